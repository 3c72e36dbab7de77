/* motcua-store-hub-scope.c: what the hub reads to judge a replica's scope
 *
 * See motcua-store-hub-scope-private.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-store-hub-scope-private.h"

gboolean
_motcua_store_hub_scope_case_offices (MotcuaReplica *store,
                                      const guint8  *case_id,
                                      MotcuaUuid    *receiving,
                                      gboolean      *has_receiving,
                                      MotcuaUuid    *handling,
                                      gboolean      *has_handling,
                                      gboolean      *released)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT c.receiving_office_id,"
                                                " c.handling_office_id, "
                                                MOTCUA_STORE_CASE_RECEIVER ("c") " IS NULL"
                                                " FROM cases c WHERE c.id = ?1", NULL);

  *has_receiving = FALSE;
  *has_handling = FALSE;
  if (released != NULL)
    *released = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, case_id, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (sqlite3_column_bytes (stmt, 0) == 16)
        {
          gboolean gone = sqlite3_column_int (stmt, 2) != 0;

          memcpy (receiving->bytes, sqlite3_column_blob (stmt, 0), 16);
          *has_receiving = !gone;
          if (released != NULL)
            *released = gone;
        }
      if (sqlite3_column_bytes (stmt, 1) == 16)
        {
          memcpy (handling->bytes, sqlite3_column_blob (stmt, 1), 16);
          *has_handling = TRUE;
        }
    }
  sqlite3_reset (stmt);

  return *has_receiving || *has_handling;
}

gboolean
_motcua_store_hub_scope_case_known (MotcuaReplica  *store,
                                    const guint8   *case_id,
                                    gboolean       *known_out,
                                    GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT 1 FROM cases WHERE id = ?1",
                                                error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, case_id, 16, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (store, error);
      return FALSE;
    }
  *known_out = rc == SQLITE_ROW;

  return TRUE;
}

gboolean
_motcua_store_hub_scope_scans (MotcuaReplica        *store,
                               const char           *sha256,
                               MotcuaStoreScanEach   each,
                               gpointer              user_data,
                               GError              **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT a.size, a.replica,"
                                                " " MOTCUA_STORE_CASE_RECEIVER ("c") ","
                                                " c.handling_office_id"
                                                " FROM attachments a LEFT JOIN cases c"
                                                " ON c.id = a.case_id WHERE a.sha256 = ?1",
                                                error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      MotcuaStoreScanRow row;

      row.size = sqlite3_column_int64 (stmt, 0);
      row.replica = (const char *) sqlite3_column_text (stmt, 1);
      row.receiving = sqlite3_column_blob (stmt, 2);
      row.receiving_size = sqlite3_column_bytes (stmt, 2);
      row.handling = sqlite3_column_blob (stmt, 3);
      row.handling_size = sqlite3_column_bytes (stmt, 3);
      if (!each (&row, user_data))
        break;
    }
  sqlite3_reset (stmt);

  return TRUE;
}

gboolean
_motcua_store_hub_scope_case_returned_by_decider (MotcuaReplica *store,
                                                  const guint8  *case_id)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT 1 FROM cases WHERE id = ?1"
                                                " AND return_at = 'deciding'", NULL);
  gboolean by_decider;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, case_id, 16, SQLITE_STATIC);
  by_decider = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return by_decider;
}
