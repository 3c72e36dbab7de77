/* motcua-store-log.c: the change log's storage
 *
 * The changes table holds a record per row write, keyed by (origin, seq of its first change);
 * the rejected table, the server's refusals by sequence number.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-store-log-private.h"

gboolean
_motcua_store_log_append (MotcuaReplica       *self,
                          guint64              seq,
                          guint                n,
                          MotcuaHlc            hlc,
                          MotcuaTableId        table,
                          const MotcuaUuid    *row_id,
                          const guint8        *fields,
                          gsize                fields_size,
                          GError             **error)
{
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (self,
                                  "INSERT INTO changes (origin, seq, n, hlc, tbl, row_id, fields)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, self->self_origin);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
  sqlite3_bind_int (stmt, 3, (int) n);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) hlc);
  sqlite3_bind_int (stmt, 5, table);
  sqlite3_bind_blob (stmt, 6, row_id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 7, fields, (int) fields_size, SQLITE_STATIC);

  return _motcua_replica_step_done (self, stmt, error);
}

/* Walks the records @stmt selects (seq, n, hlc, tbl, rid, fields, row_id). */
static gboolean
walk (MotcuaReplica       *self,
      sqlite3_stmt        *stmt,
      MotcuaStoreLogFunc   each,
      gpointer             user_data,
      GError             **error)
{
  gboolean stop = FALSE;
  int rc = SQLITE_ROW;

  while (!stop && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaStoreLogRecord record = {
        (guint64) sqlite3_column_int64 (stmt, 0),
        (guint) sqlite3_column_int (stmt, 1),
        (MotcuaHlc) sqlite3_column_int64 (stmt, 2),
        sqlite3_column_int (stmt, 3),
        sqlite3_column_type (stmt, 4) == SQLITE_INTEGER ? sqlite3_column_int64 (stmt, 4) : -1,
        sqlite3_column_bytes (stmt, 6) == 16 ? sqlite3_column_blob (stmt, 6) : NULL,
        sqlite3_column_blob (stmt, 5),
        (gsize) sqlite3_column_bytes (stmt, 5),
      };

      if (!each (&record, user_data, &stop, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  return _motcua_replica_walk_done (self, stmt, rc, NULL, error);
}

gboolean
_motcua_store_log_foreach (MotcuaReplica       *self,
                           guint64              after_seq,
                           MotcuaStoreLogFunc   each,
                           gpointer             user_data,
                           GError             **error)
{
  sqlite3_stmt *stmt;

  /* Records are keyed by their first sequence number: start from the one holding
   * after_seq + 1 (a record holds at most 64 changes). */
  stmt = _motcua_replica_prepare (self,
                                  "SELECT ch.seq, ch.n, ch.hlc, ch.tbl,"
                                  MOTCUA_CHANGE_ROW_RID_SQL ", ch.fields, ch.row_id"
                                  " FROM changes ch"
                                  " WHERE ch.origin = ?1 AND ch.seq > ?2 - 64"
                                  " AND ch.seq + ch.n > ?2 + 1"
                                  " ORDER BY ch.seq",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->self_origin);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) after_seq);

  return walk (self, stmt, each, user_data, error);
}

gboolean
_motcua_store_log_foreach_after (MotcuaReplica       *self,
                                 guint64              after_seq,
                                 MotcuaStoreLogFunc   each,
                                 gpointer             user_data,
                                 GError             **error)
{
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (self, "SELECT ch.seq, ch.n, ch.hlc, ch.tbl,"
                                  MOTCUA_CHANGE_ROW_RID_SQL ", ch.fields, ch.row_id"
                                  " FROM changes ch WHERE ch.origin = ?1 AND ch.seq > ?2"
                                  " ORDER BY ch.seq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->self_origin);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) after_seq);

  return walk (self, stmt, each, user_data, error);
}

gboolean
_motcua_store_log_restamp (MotcuaReplica       *self,
                           guint64              seq,
                           MotcuaHlc            hlc,
                           const guint8        *fields,
                           gsize                fields_size,
                           GError             **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "UPDATE changes SET hlc = ?1, fields = ?2"
                                                " WHERE origin = ?3 AND seq = ?4", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) hlc);
  sqlite3_bind_blob (stmt, 2, fields, (int) fields_size, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, self->self_origin);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) seq);

  return _motcua_replica_step_done (self, stmt, error);
}

gboolean
_motcua_store_log_keep_row (MotcuaReplica       *self,
                            const MotcuaUuid    *row_id,
                            const guint8        *fields,
                            gsize                fields_size,
                            GError             **error)
{
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (self, "UPDATE changes SET fields = ?1 WHERE origin = ?2"
                                  " AND row_id = ?3 AND " MOTCUA_INSERT_ONLY_RECORD_SQL, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, fields, (int) fields_size, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, self->self_origin);
  sqlite3_bind_blob (stmt, 3, row_id->bytes, 16, SQLITE_STATIC);

  return _motcua_replica_step_done (self, stmt, error);
}

gboolean
_motcua_store_log_add_rejected (MotcuaReplica     *self,
                                guint64            seq,
                                const char        *reason,
                                const char        *at,
                                const MotcuaUuid  *gone,
                                const MotcuaUuid  *wait,
                                GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "INSERT OR REPLACE INTO rejected"
                                                " (seq, reason, at, gone, wait)"
                                                " VALUES (?1, ?2, ?3, ?4, ?5)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, at, -1, SQLITE_STATIC);
  if (gone != NULL)
    sqlite3_bind_blob (stmt, 4, gone->bytes, 16, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 4);
  if (wait != NULL)
    sqlite3_bind_blob (stmt, 5, wait->bytes, 16, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 5);

  return _motcua_replica_step_done (self, stmt, error);
}
