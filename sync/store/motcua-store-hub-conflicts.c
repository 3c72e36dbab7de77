/* motcua-store-hub-conflicts.c: the conflicts the hub continues, read
 *
 * See motcua-store-hub-conflicts-private.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-store-hub-conflicts-private.h"

gboolean
_motcua_store_hub_conflicts_open (MotcuaReplica     *store,
                                  const MotcuaUuid  *row,
                                  const char        *column,
                                  MotcuaUuid        *id,
                                  MotcuaHlc         *a_hlc,
                                  MotcuaHlc         *b_hlc)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT id, a_hlc, b_hlc FROM conflicts"
                                                " WHERE row_id = ?1 AND col = ?2"
                                                " AND resolved IS NOT 1 AND deleted IS NOT 1"
                                                " ORDER BY rid DESC LIMIT 1", NULL);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, row->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, column, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == 16)
    {
      memcpy (id->bytes, sqlite3_column_blob (stmt, 0), 16);
      *a_hlc = (MotcuaHlc) sqlite3_column_int64 (stmt, 1);
      *b_hlc = (MotcuaHlc) sqlite3_column_int64 (stmt, 2);
      found = TRUE;
    }
  sqlite3_reset (stmt);

  return found;
}
