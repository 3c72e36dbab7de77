/* motcua-store-scope.c: the SQL of a replica's scope: offices, digests, purges, transfers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-store-scope-private.h"

static const guint8 *
column_id (sqlite3_stmt *stmt,
           int           column)
{
  return sqlite3_column_bytes (stmt, column) == 16 ? sqlite3_column_blob (stmt, column) : NULL;
}

/* Walks the rows of @stmt; @read fills a row from the statement's current one. */
static gboolean
walk (MotcuaReplica         *self,
      sqlite3_stmt          *stmt,
      void                 (*read) (sqlite3_stmt *stmt, MotcuaStoreScopeRow *row),
      MotcuaStoreScopeFunc   each,
      gpointer               user_data,
      GError               **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaStoreScopeRow row = { -1, NULL, { NULL, NULL }, 0 };

      read (stmt, &row);
      if (!each (&row, user_data, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }

  return TRUE;
}

static void
read_id_refs (sqlite3_stmt        *stmt,
              MotcuaStoreScopeRow *row)
{
  int n = sqlite3_column_count (stmt);

  row->id = column_id (stmt, 0);
  for (int r = 0; r < 2 && r + 1 < n; r++)
    row->refs[r] = column_id (stmt, r + 1);
}

gboolean
_motcua_store_scope_foreach_digest_row (MotcuaReplica         *self,
                                        MotcuaTableId          table,
                                        MotcuaStoreScopeFunc   each,
                                        gpointer               user_data,
                                        GError               **error)
{
  static const char *const sql[] = {
    [MOTCUA_TABLE_OFFICES] = "SELECT id FROM offices",
    [MOTCUA_TABLE_PROCEDURES] = "SELECT id FROM procedures",
    [MOTCUA_TABLE_CALENDAR] = "SELECT id FROM calendar",
    /* A case the server refused writes of ours to, and said is not ours, differs from the
     * server's by design: the officer sees it as rejected. It is in no digest until the
     * server sends it whole again (see motcua-sync.c). Nor is a case the server does not
     * hold yet, which changes of ours wait for. */
    [MOTCUA_TABLE_CASES] = "SELECT c.id, " MOTCUA_STORE_CASE_RECEIVER ("c") ","
                           " c.handling_office_id FROM cases c"
                           " WHERE id NOT IN (SELECT gone FROM rejected WHERE gone IS NOT NULL)"
                           " AND id NOT IN (SELECT wait FROM rejected WHERE wait IS NOT NULL)",
    /* Likewise a row of a timeline or a scan the server refused: it stays here, marked
     * rejected, and the server never had it. */
    [MOTCUA_TABLE_CASE_EVENTS] = "SELECT id, case_id FROM case_events"
                                 " WHERE _seq NOT IN (SELECT seq FROM rejected)",
    [MOTCUA_TABLE_ATTACHMENTS] = "SELECT id, case_id FROM attachments"
                                 " WHERE _seq NOT IN (SELECT seq FROM rejected)",
    [MOTCUA_TABLE_CONFLICTS] = "SELECT id, case_id FROM conflicts",
  };
  sqlite3_stmt *stmt;

  g_assert (table < G_N_ELEMENTS (sql) && sql[table] != NULL);

  stmt = _motcua_replica_prepare (self, sql[table], error);
  if (stmt == NULL)
    return FALSE;

  return walk (self, stmt, read_id_refs, each, user_data, error);
}

/* The last change of ours to the case c, its timeline, scans or conflicts (0: none). */
#define PENDING_OF_CASE_SQL \
  "max(c._seq, coalesce((SELECT max(_seq) FROM case_events WHERE case_id = c.id), 0)," \
  " coalesce((SELECT max(_seq) FROM attachments WHERE case_id = c.id), 0)," \
  " coalesce((SELECT max(_seq) FROM conflicts WHERE case_id = c.id), 0))"

static void
read_case (sqlite3_stmt        *stmt,
           MotcuaStoreScopeRow *row)
{
  row->rid = sqlite3_column_int64 (stmt, 0);
  row->refs[0] = column_id (stmt, 1);
  row->refs[1] = column_id (stmt, 2);
  row->pending = (guint64) sqlite3_column_int64 (stmt, 3);
}

gboolean
_motcua_store_scope_foreach_case (MotcuaReplica         *self,
                                  MotcuaStoreScopeFunc   each,
                                  gpointer               user_data,
                                  GError               **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT c.rid, "
                                                MOTCUA_STORE_CASE_RECEIVER ("c") ","
                                                " c.handling_office_id, " PENDING_OF_CASE_SQL
                                                " FROM cases c", error);

  if (stmt == NULL)
    return FALSE;

  return walk (self, stmt, read_case, each, user_data, error);
}

static void
read_rid_pending (sqlite3_stmt        *stmt,
                  MotcuaStoreScopeRow *row)
{
  row->rid = sqlite3_column_int64 (stmt, 0);
  row->pending = (guint64) sqlite3_column_int64 (stmt, 1);
}

gboolean
_motcua_store_scope_foreach_unsent_case (MotcuaReplica         *self,
                                         MotcuaStoreScopeFunc   each,
                                         gpointer               user_data,
                                         GError               **error)
{
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (self, "SELECT c.rid, " PENDING_OF_CASE_SQL " FROM cases c"
                                  " WHERE c.id NOT IN (SELECT id FROM transfer_seen"
                                  "  WHERE tbl = ?1)"
                                  " AND c.id NOT IN (SELECT wait FROM rejected"
                                  "  WHERE wait IS NOT NULL)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, MOTCUA_TABLE_CASES);

  return walk (self, stmt, read_rid_pending, each, user_data, error);
}

static void
read_rid_id (sqlite3_stmt        *stmt,
             MotcuaStoreScopeRow *row)
{
  row->rid = sqlite3_column_int64 (stmt, 0);
  row->id = column_id (stmt, 1);
}

gboolean
_motcua_store_scope_foreach_logged_row (MotcuaReplica          *self,
                                        const MotcuaTableDesc  *table,
                                        gint64                  case_rid,
                                        MotcuaStoreScopeFunc    each,
                                        gpointer                user_data,
                                        GError                **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT r.rid, r.id FROM %s r"
                                          " WHERE r.case_id = (SELECT id FROM cases"
                                          " WHERE rid = ?1) AND EXISTS (SELECT 1"
                                          " FROM changes WHERE row_id = r.id AND "
                                          MOTCUA_INSERT_ONLY_RECORD_SQL ")",
                                          table->name);
  sqlite3_stmt *stmt = _motcua_replica_prepare_text (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, case_rid);

  return walk (self, stmt, read_rid_id, each, user_data, error);
}

/* The refusals of this replica's changes to the case at ?5, to its timeline or to its
 * attachments (bound by bind_refused_of_case()). */
#define REFUSED_OF_CASE_SQL \
  "SELECT r.seq FROM rejected r" \
  " JOIN changes ch ON ch.origin = ?1" \
  /* A record of the log holds at most 64 changes: the one holding r.seq starts at most 63 \
   * before it. */ \
  " AND ch.seq BETWEEN r.seq - 63 AND r.seq AND r.seq < ch.seq + ch.n" \
  " WHERE (ch.tbl = ?2 AND ch.row_id = (SELECT id FROM cases WHERE rid = ?5))" \
  " OR (ch.tbl = ?3 AND ch.row_id IN (SELECT e.id FROM case_events e JOIN cases c" \
  "  ON c.id = e.case_id WHERE c.rid = ?5))" \
  " OR (ch.tbl = ?4 AND ch.row_id IN (SELECT a.id FROM attachments a JOIN cases c" \
  "  ON c.id = a.case_id WHERE c.rid = ?5))"

static void
bind_refused_of_case (MotcuaReplica *self,
                      sqlite3_stmt  *stmt,
                      gint64         rid)
{
  sqlite3_bind_int64 (stmt, 1, self->self_origin);
  sqlite3_bind_int (stmt, 2, MOTCUA_TABLE_CASES);
  sqlite3_bind_int (stmt, 3, MOTCUA_TABLE_CASE_EVENTS);
  sqlite3_bind_int (stmt, 4, MOTCUA_TABLE_ATTACHMENTS);
  sqlite3_bind_int64 (stmt, 5, rid);
}

gboolean
_motcua_store_scope_case_refused (MotcuaReplica  *self,
                                  gint64          rid,
                                  gboolean       *refused,
                                  GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT EXISTS (" REFUSED_OF_CASE_SQL ")",
                                                error);
  gboolean ok = FALSE;

  *refused = FALSE;
  if (stmt == NULL)
    return FALSE;
  bind_refused_of_case (self, stmt, rid);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *refused = sqlite3_column_int (stmt, 0) != 0;
      ok = TRUE;
    }
  else
    _motcua_replica_set_db_error (self, error);
  sqlite3_reset (stmt);

  return ok;
}

gboolean
_motcua_store_scope_mark_gone (MotcuaReplica  *self,
                               gint64          rid,
                               GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "UPDATE rejected SET gone ="
                                                " (SELECT id FROM cases WHERE rid = ?5)"
                                                " WHERE wait IS NULL AND seq IN ("
                                                REFUSED_OF_CASE_SQL ")", error);

  if (stmt == NULL)
    return FALSE;
  bind_refused_of_case (self, stmt, rid);

  return _motcua_replica_step_done (self, stmt, error);
}

gboolean
_motcua_store_scope_drop_case (MotcuaReplica  *self,
                               gint64          rid,
                               GError        **error)
{
  static const char *const sql[] = {
    "DELETE FROM case_events WHERE case_id = (SELECT id FROM cases WHERE rid = ?1)",
    "DELETE FROM attachments WHERE case_id = (SELECT id FROM cases WHERE rid = ?1)",
    "DELETE FROM conflicts WHERE case_id = (SELECT id FROM cases WHERE rid = ?1)",
    ("INSERT INTO cases_fts (cases_fts, rowid, applicant_name, citizen_id, phone)"
     " SELECT 'delete', rid, applicant_name, citizen_id, phone FROM cases WHERE rid = ?1"),
    "DELETE FROM cases WHERE rid = ?1",
  };

  for (guint s = 0; s < G_N_ELEMENTS (sql); s++)
    {
      sqlite3_stmt *stmt = _motcua_replica_prepare (self, sql[s], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rid);
      if (!_motcua_replica_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
_motcua_store_scope_case_exists (MotcuaReplica     *self,
                                 const MotcuaUuid  *id,
                                 gboolean          *exists,
                                 GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT 1 FROM cases WHERE id = ?1", error);
  int rc;

  *exists = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *exists = rc == SQLITE_ROW;
  return _motcua_replica_walk_done (self, stmt, rc, NULL, error);
}

gboolean
_motcua_store_scope_transfer_clear (MotcuaReplica  *self,
                                    GError        **error)
{
  return _motcua_replica_exec (self, "DELETE FROM transfer_seen", error);
}

gboolean
_motcua_store_scope_transfer_note (MotcuaReplica     *self,
                                   MotcuaTableId      table,
                                   const MotcuaUuid  *id,
                                   GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "INSERT OR IGNORE INTO transfer_seen"
                                                " (tbl, id) VALUES (?1, ?2)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, table);
  sqlite3_bind_blob (stmt, 2, id->bytes, 16, SQLITE_STATIC);

  return _motcua_replica_step_done (self, stmt, error);
}

/* The rows a state transfer's end removes if it did not bring them (?1: acknowledged up to,
 * ?2: the table). */
static const struct { MotcuaTableId table; const char *sql; } unsent_rows[] = {
  { MOTCUA_TABLE_CONFLICTS, "DELETE FROM conflicts WHERE _seq <= ?1"
                            " AND id NOT IN (SELECT id FROM transfer_seen WHERE tbl = ?2)" },
  { MOTCUA_TABLE_CASE_EVENTS, "DELETE FROM case_events WHERE _seq <= ?1"
                              " AND _seq NOT IN (SELECT seq FROM rejected)"
                              " AND id NOT IN (SELECT id FROM transfer_seen WHERE tbl = ?2)" },
  { MOTCUA_TABLE_ATTACHMENTS, "DELETE FROM attachments WHERE _seq <= ?1"
                              " AND _seq NOT IN (SELECT seq FROM rejected)"
                              " AND id NOT IN (SELECT id FROM transfer_seen WHERE tbl = ?2)" },
};

gboolean
_motcua_store_scope_transfer_drop_unsent (MotcuaReplica  *self,
                                          guint64         acked,
                                          GError        **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (unsent_rows); i++)
    {
      sqlite3_stmt *stmt = _motcua_replica_prepare (self, unsent_rows[i].sql, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) acked);
      sqlite3_bind_int (stmt, 2, unsent_rows[i].table);
      if (!_motcua_replica_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}
