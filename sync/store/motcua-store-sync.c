/* motcua-store-sync.c: what a sync reads and writes of its own state: the changes not
 * acknowledged yet, refusals, the rows a pulled batch left without their case, the snapshot its
 * digest is read in, and the scans to move
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-blobs-private.h"
#include "motcua-store-attachments-private.h"
#include "motcua-store-sync-private.h"

/* One number from a query with no parameters. */
static gboolean
query_int (MotcuaReplica  *store,
           const char     *sql,
           gint64         *out,
           GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _motcua_replica_set_db_error (store, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
query_bool (MotcuaReplica  *store,
            const char     *sql,
            gboolean       *out,
            GError        **error)
{
  gint64 n;

  if (!query_int (store, sql, &n, error))
    return FALSE;
  *out = n != 0;

  return TRUE;
}

/* Changes of this replica */

gint64
_motcua_store_sync_first_after (MotcuaReplica *store,
                                guint64        acked,
                                MotcuaHlc      hlc)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT min(seq) FROM changes"
                                                /* The key's range first (a record holds at
                                                 * most 64 changes): not a walk of the log. */
                                                " WHERE origin = ?1 AND seq > ?2 - 64"
                                                " AND seq + n - 1 > ?2 AND hlc > ?3", NULL);
  gint64 first = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, store->self_origin);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) acked);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) hlc);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    first = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return first;
}

gboolean
_motcua_store_sync_oldest_pending (MotcuaReplica  *store,
                                   guint64         acked,
                                   MotcuaHlc      *out,
                                   GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT min(hlc) FROM changes"
                                                " WHERE origin = ?1 AND seq > ?2 - 64"
                                                " AND seq + n - 1 > ?2",
                                                error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, store->self_origin);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) acked);
  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL
         ? (MotcuaHlc) sqlite3_column_int64 (stmt, 0) : (MotcuaHlc) G_MAXINT64;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _motcua_replica_set_db_error (store, error);
      return FALSE;
    }

  return TRUE;
}

/* Refusals */

gboolean
_motcua_store_sync_forget_refusals (MotcuaReplica  *store,
                                    guint64         first,
                                    guint64         last,
                                    GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "DELETE FROM rejected"
                                                " WHERE seq BETWEEN ?1 AND ?2", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) first);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) last);

  return _motcua_replica_step_done (store, stmt, error);
}

gboolean
_motcua_store_sync_any_gone (MotcuaReplica  *store,
                             gboolean       *marked,
                             GError        **error)
{
  return query_bool (store, "SELECT EXISTS (SELECT 1 FROM rejected WHERE gone IS NOT NULL)",
                     marked, error);
}

gboolean
_motcua_store_sync_any_waiting (MotcuaReplica  *store,
                                gboolean       *waiting,
                                GError        **error)
{
  return query_bool (store, "SELECT EXISTS (SELECT 1 FROM rejected WHERE wait IS NOT NULL)",
                     waiting, error);
}

gboolean
_motcua_store_sync_clear_gone (MotcuaReplica     *store,
                               const MotcuaUuid  *case_id,
                               GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "UPDATE rejected SET gone = NULL"
                                                " WHERE gone = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, case_id->bytes, 16, SQLITE_STATIC);

  return _motcua_replica_step_done (store, stmt, error);
}

/* Pulled rows */

/* The tables whose rows belong to a case, with where their marks are kept. */
static const struct
{
  const char *max_sql;
  const char *orphans_sql;
  gsize       mark;
} case_rows[] = {
  { "SELECT coalesce (max (rid), 0) FROM case_events",
    "DELETE FROM case_events WHERE rid > ?1 AND case_id NOT IN (SELECT id FROM cases)",
    G_STRUCT_OFFSET (MotcuaStoreCaseRowMarks, case_events) },
  { "SELECT coalesce (max (rid), 0) FROM attachments",
    "DELETE FROM attachments WHERE rid > ?1 AND case_id NOT IN (SELECT id FROM cases)",
    G_STRUCT_OFFSET (MotcuaStoreCaseRowMarks, attachments) },
  { "SELECT coalesce (max (rid), 0) FROM conflicts",
    "DELETE FROM conflicts WHERE rid > ?1 AND case_id IS NOT NULL"
    " AND case_id NOT IN (SELECT id FROM cases)",
    G_STRUCT_OFFSET (MotcuaStoreCaseRowMarks, conflicts) },
};

G_STATIC_ASSERT (G_N_ELEMENTS (case_rows) * sizeof (gint64) == sizeof (MotcuaStoreCaseRowMarks));

gboolean
_motcua_store_sync_mark_case_rows (MotcuaReplica            *store,
                                   MotcuaStoreCaseRowMarks  *marks,
                                   GError                  **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (case_rows); i++)
    if (!query_int (store, case_rows[i].max_sql,
                    G_STRUCT_MEMBER_P (marks, case_rows[i].mark), error))
      return FALSE;

  return TRUE;
}

/* Only the rows a batch inserted (past @marks) can be orphans: the check costs what the batch
 * brought, not the size of the tables. */
gboolean
_motcua_store_sync_drop_orphans (MotcuaReplica                  *store,
                                 const MotcuaStoreCaseRowMarks  *marks,
                                 GError                        **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (case_rows); i++)
    {
      sqlite3_stmt *stmt = _motcua_replica_prepare (store, case_rows[i].orphans_sql, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, G_STRUCT_MEMBER (gint64, marks, case_rows[i].mark));
      if (!_motcua_replica_step_done (store, stmt, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
_motcua_store_sync_holds_cases (MotcuaReplica  *store,
                                gboolean       *held,
                                GError        **error)
{
  return query_bool (store, "SELECT EXISTS (SELECT 1 FROM cases)"
                            " OR EXISTS (SELECT 1 FROM conflicts)", held, error);
}

gboolean
_motcua_store_sync_snapshot_begin (MotcuaReplica  *store,
                                   GError        **error)
{
  return _motcua_replica_exec (store, "BEGIN", error);
}

void
_motcua_store_sync_snapshot_end (MotcuaReplica *store,
                                 gboolean       ok)
{
  sqlite3_exec (store->db, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
}

/* Scans to move */

static gboolean
each_blob (MotcuaReplica        *store,
           sqlite3_stmt         *stmt,
           MotcuaStoreBlobEach   each,
           gpointer              user_data,
           GError              **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaStoreBlobRow row;

      row.sha256 = (const char *) sqlite3_column_text (stmt, 0);
      row.size = sqlite3_column_int64 (stmt, 1);
      row.rowid = sqlite3_column_int64 (stmt, 2);
      if (!each (&row, user_data, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (store, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
_motcua_store_sync_blobs_to_upload (MotcuaReplica        *store,
                                    gint64                after,
                                    guint                 limit,
                                    MotcuaStoreBlobEach   each,
                                    gpointer              user_data,
                                    GError              **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT sha256, size, rowid FROM blobs"
                                                " WHERE uploaded = 0 AND received = size"
                                                " AND rowid > ?1 ORDER BY rowid LIMIT ?2",
                                                error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, limit);

  return each_blob (store, stmt, each, user_data, error);
}

gboolean
_motcua_store_sync_blobs_to_fetch (MotcuaReplica        *store,
                                   MotcuaStoreBlobEach   each,
                                   gpointer              user_data,
                                   GError              **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT a.sha256, max (a.size), 0"
                                                " FROM attachments a"
                                                " LEFT JOIN blobs b ON b.sha256 = a.sha256"
                                                " WHERE (b.sha256 IS NULL OR b.received != b.size)"
                                                " AND NOT " MOTCUA_ATTACHMENT_REMOVED_SQL
                                                " GROUP BY a.sha256 ORDER BY min (a.rid)", error);

  if (stmt == NULL)
    return FALSE;

  return each_blob (store, stmt, each, user_data, error);
}
