/* motcua-store-export.c: a table's rows read whole, in one read transaction, for the
 * canonical export
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-store-export-private.h"

gboolean
_motcua_store_export_begin (MotcuaReplica  *store,
                            GError        **error)
{
  return _motcua_replica_exec (store, store->tx_depth > 0 ? "SAVEPOINT motcua_export" : "BEGIN",
                               error);
}

void
_motcua_store_export_end (MotcuaReplica *store)
{
  sqlite3_exec (store->db, store->tx_depth > 0 ? "RELEASE motcua_export" : "COMMIT", NULL, NULL,
                NULL);
}

static MotcuaValue
export_value (sqlite3_stmt *stmt,
              int           column)
{
  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_NULL:
      return MOTCUA_VALUE_NULL;
    case SQLITE_INTEGER:
      return MOTCUA_VALUE_INT (sqlite3_column_int64 (stmt, column));
    case SQLITE_BLOB:
      if (sqlite3_column_bytes (stmt, column) == 16)
        return (MotcuaValue) { SQLITE_BLOB, 0, sqlite3_column_blob (stmt, column) };
      return MOTCUA_VALUE_NULL;
    default:
      return MOTCUA_VALUE_TEXT ((const char *) sqlite3_column_text (stmt, column));
    }
}

gboolean
_motcua_store_export_rows (MotcuaReplica          *store,
                           const char             *table,
                           const char *const      *columns,
                           guint                   n_columns,
                           MotcuaStoreExportEach   each,
                           gpointer                user_data,
                           GError                **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autofree MotcuaValue *values = g_new0 (MotcuaValue, MAX (n_columns, 1));
  sqlite3_stmt *stmt = NULL;
  int rc;

  for (guint c = 0; c < n_columns; c++)
    g_string_append_printf (sql, "%s%s", c ? ", " : "", columns[c]);
  g_string_append_printf (sql, " FROM %s ORDER BY id", table);

  /* Not cached: an export runs once. */
  if (sqlite3_prepare_v2 (store->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      _motcua_replica_set_db_error (store, error);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (guint c = 0; c < n_columns; c++)
        values[c] = export_value (stmt, (int) c);
      if (!each (values, user_data, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }

  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (store, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);

  return TRUE;
}
