/* motcua-store-rejected.c: the changes the server refused, as the store keeps them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-store-rejected-private.h"

gboolean
_motcua_store_rejected_each (MotcuaReplica            *self,
                             MotcuaStoreRejectedFunc   each,
                             gpointer                  user_data,
                             GError                  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _motcua_replica_prepare (self, "SELECT seq, reason, at, gone IS NOT NULL,"
                                  " wait IS NOT NULL FROM rejected ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaStoreRejectedRow row = {
        .seq = (guint64) sqlite3_column_int64 (stmt, 0),
        .reason = (const char *) sqlite3_column_text (stmt, 1),
        .at = (const char *) sqlite3_column_text (stmt, 2),
        .gone = sqlite3_column_int (stmt, 3) != 0,
        .waiting = sqlite3_column_int (stmt, 4) != 0,
      };

      if (!each (&row, user_data, error))
        break;
    }

  return _motcua_replica_rows_done (self, stmt, rc, error);
}

gint64
_motcua_store_rejected_count (MotcuaReplica  *self,
                              GError        **error)
{
  return _motcua_replica_step_count (self,
                                     _motcua_replica_prepare (self, "SELECT count(*) FROM rejected",
                                                              error),
                                     error);
}

gboolean
_motcua_store_rejected_find (MotcuaReplica  *self,
                             guint64         seq,
                             gboolean       *found,
                             gboolean       *gone,
                             GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT gone IS NOT NULL FROM rejected"
                                                " WHERE seq = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq);
  rc = sqlite3_step (stmt);
  *found = rc == SQLITE_ROW;
  if (*found)
    *gone = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;
  _motcua_replica_set_db_error (self, error);

  return FALSE;
}

GArray *
_motcua_store_rejected_waiting (MotcuaReplica     *self,
                                const MotcuaUuid  *case_id,
                                GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT seq FROM rejected WHERE wait = ?1"
                                                " ORDER BY seq", error);
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (guint64));
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, case_id->bytes, 16, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint64 seq = (guint64) sqlite3_column_int64 (stmt, 0);

      g_array_append_val (seqs, seq);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&seqs);
}

/* Steps @sql, a statement that binds @seq to ?1. */
static gboolean
exec_seq (MotcuaReplica  *self,
          const char     *sql,
          guint64         seq,
          GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq);

  return _motcua_replica_step_done (self, stmt, error);
}

gboolean
_motcua_store_rejected_stop_waiting (MotcuaReplica  *self,
                                     guint64         seq,
                                     GError        **error)
{
  return exec_seq (self, "UPDATE rejected SET wait = NULL WHERE seq = ?1", seq, error);
}

gboolean
_motcua_store_rejected_remove (MotcuaReplica  *self,
                               guint64         seq,
                               GError        **error)
{
  return exec_seq (self, "DELETE FROM rejected WHERE seq = ?1", seq, error);
}

/* The rows refused changes name */

gboolean
_motcua_store_rejected_row_exists (MotcuaReplica         *self,
                                   const MotcuaTableDesc *table,
                                   const MotcuaUuid      *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?1", table->name);
  sqlite3_stmt *stmt = _motcua_replica_prepare_text (self, sql, NULL);
  gboolean here;

  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);
  here = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return here;
}

char *
_motcua_store_rejected_row_receipt_no (MotcuaReplica         *self,
                                       const MotcuaTableDesc *table,
                                       const MotcuaUuid      *id)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  char *receipt_no = NULL;

  sql = g_strdup_printf ("SELECT c.receipt_no FROM %s r JOIN cases c ON c.id = r.case_id"
                         " WHERE r.id = ?1", table->name);
  stmt = _motcua_replica_prepare_text (self, sql, NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    receipt_no = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return receipt_no;
}

gboolean
_motcua_store_rejected_row_rid (MotcuaReplica          *self,
                                const MotcuaTableDesc  *table,
                                const MotcuaUuid       *id,
                                guint64                 seq,
                                gint64                 *rid_out,
                                GError                **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT rid FROM %s WHERE id = ?1 AND _seq = ?2",
                                          table->name);
  sqlite3_stmt *stmt = _motcua_replica_prepare_text (self, sql, error);
  int rc;

  *rid_out = -1;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *rid_out = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;
  _motcua_replica_set_db_error (self, error);

  return FALSE;
}

gboolean
_motcua_store_rejected_delete_row (MotcuaReplica          *self,
                                   const MotcuaTableDesc  *table,
                                   gint64                  rid,
                                   GError                **error)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE rid = ?1", table->name);
  sqlite3_stmt *stmt = _motcua_replica_prepare_text (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);

  return _motcua_replica_step_done (self, stmt, error);
}
