/* motcua-store-hub-state.c: the hub's current rows, walked in rid order
 *
 * See motcua-store-hub-state-private.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-store-hub-state-private.h"

/* By table id; literals, so that the statements are cached by address. */
static const char *const read_sql[] = {
  [MOTCUA_TABLE_OFFICES] = "SELECT rid, id FROM offices WHERE rid > ?1 ORDER BY rid",
  [MOTCUA_TABLE_PROCEDURES] = "SELECT rid, id FROM procedures WHERE rid > ?1 ORDER BY rid",
  [MOTCUA_TABLE_CALENDAR] = "SELECT rid, id FROM calendar WHERE rid > ?1 ORDER BY rid",
  [MOTCUA_TABLE_CASES] = "SELECT c.rid, c.id, " MOTCUA_STORE_CASE_RECEIVER ("c") ","
                         " c.handling_office_id FROM cases c WHERE c.rid > ?1 ORDER BY c.rid",
  [MOTCUA_TABLE_CASE_EVENTS] = "SELECT rid, id, case_id FROM case_events WHERE rid > ?1"
                               " ORDER BY rid",
  [MOTCUA_TABLE_ATTACHMENTS] = "SELECT rid, id, case_id FROM attachments WHERE rid > ?1"
                               " ORDER BY rid",
  [MOTCUA_TABLE_CONFLICTS] = "SELECT rid, id, case_id FROM conflicts WHERE rid > ?1"
                             " ORDER BY rid",
};

static const char *const case_rows_sql[] = {
  [MOTCUA_TABLE_CASE_EVENTS] = "SELECT rid, id FROM case_events WHERE case_id = ?1 ORDER BY rid",
  [MOTCUA_TABLE_ATTACHMENTS] = "SELECT rid, id FROM attachments WHERE case_id = ?1 ORDER BY rid",
  [MOTCUA_TABLE_CONFLICTS] = "SELECT rid, id FROM conflicts WHERE case_id = ?1 ORDER BY rid",
};

static const guint8 *
column_uuid (sqlite3_stmt *stmt,
             int           column)
{
  return sqlite3_column_bytes (stmt, column) == 16 ? sqlite3_column_blob (stmt, column) : NULL;
}

/* Steps @stmt, bound, to its end or until @each stops. What a row carries follows from the
 * columns selected: rid and id, then a case's two offices or a row's case. */
static gboolean
walk (MotcuaReplica            *hub,
      sqlite3_stmt             *stmt,
      MotcuaStoreHubStateEach   each,
      gpointer                  user_data,
      GError                  **error)
{
  int n_columns = sqlite3_column_count (stmt);
  GError *local_error = NULL;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaStoreHubStateRow row = { 0 };

      row.rid = sqlite3_column_int64 (stmt, 0);
      row.id = column_uuid (stmt, 1);
      if (n_columns == 4)
        {
          row.receiving = sqlite3_column_blob (stmt, 2);
          row.receiving_size = sqlite3_column_bytes (stmt, 2);
          row.handling = sqlite3_column_blob (stmt, 3);
          row.handling_size = sqlite3_column_bytes (stmt, 3);
        }
      else if (n_columns == 3)
        row.case_id = column_uuid (stmt, 2);

      if (!each (&row, user_data, &local_error))
        break;
    }
  return _motcua_replica_walk_done (hub, stmt, rc, local_error, error);
}

gboolean
_motcua_store_hub_state_read (MotcuaReplica            *hub,
                              MotcuaTableId             table,
                              gint64                    after_rid,
                              MotcuaStoreHubStateEach   each,
                              gpointer                  user_data,
                              GError                  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail ((guint) table < G_N_ELEMENTS (read_sql) && read_sql[table] != NULL,
                        FALSE);

  stmt = _motcua_replica_prepare (hub, read_sql[table], error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after_rid);

  return walk (hub, stmt, each, user_data, error);
}

gboolean
_motcua_store_hub_state_case_rows (MotcuaReplica            *hub,
                                   MotcuaTableId             table,
                                   const MotcuaUuid         *case_id,
                                   MotcuaStoreHubStateEach   each,
                                   gpointer                  user_data,
                                   GError                  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail ((guint) table < G_N_ELEMENTS (case_rows_sql)
                        && case_rows_sql[table] != NULL, FALSE);

  stmt = _motcua_replica_prepare (hub, case_rows_sql[table], error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, case_id->bytes, 16, SQLITE_STATIC);

  return walk (hub, stmt, each, user_data, error);
}
