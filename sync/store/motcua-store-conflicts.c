/* motcua-store-conflicts.c: conflicts as the store reads them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-store-conflicts-private.h"

#define CONFLICT_COLUMNS \
  "k.id, k.tbl, k.row_id, k.col, k.case_id, c.receipt_no," \
  " k.a_value, k.a_hlc, k.a_replica, k.a_office, k.b_value, k.b_hlc, k.b_replica, k.b_office," \
  " k.detected_at, k.resolved, k.resolution, k.resolved_by, k.resolved_at" \
  " FROM conflicts k LEFT JOIN cases c ON c.id = k.case_id"

static const MotcuaUuid *
column_uuid (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_bytes (stmt, column) != 16)
    return NULL;

  return sqlite3_column_blob (stmt, column);
}

static void
side_from_row (MotcuaStoreConflictSide *side,
               sqlite3_stmt            *stmt,
               int                      first)
{
  side->value = (const char *) sqlite3_column_text (stmt, first);
  side->hlc = (MotcuaHlc) sqlite3_column_int64 (stmt, first + 1);
  side->replica = column_uuid (stmt, first + 2);
  side->office = (const char *) sqlite3_column_text (stmt, first + 3);
}

gboolean
_motcua_store_conflicts_each (MotcuaReplica            *self,
                              gboolean                  include_resolved,
                              MotcuaStoreConflictFunc   each,
                              gpointer                  user_data,
                              GError                  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _motcua_replica_prepare (self, include_resolved
                                  ? "SELECT " CONFLICT_COLUMNS " WHERE k.deleted IS NOT 1"
                                    " ORDER BY k.rid DESC"
                                  : "SELECT " CONFLICT_COLUMNS " WHERE k.resolved IS NOT 1"
                                    " AND k.deleted IS NOT 1 ORDER BY k.rid DESC", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaStoreConflictRow row = {
        .id = column_uuid (stmt, 0),
        .table = (const char *) sqlite3_column_text (stmt, 1),
        .row_id = column_uuid (stmt, 2),
        .column = (const char *) sqlite3_column_text (stmt, 3),
        .case_id = column_uuid (stmt, 4),
        .receipt_no = (const char *) sqlite3_column_text (stmt, 5),
        .detected_at = (const char *) sqlite3_column_text (stmt, 14),
        .resolved = sqlite3_column_int (stmt, 15) == 1,
        .resolution = (const char *) sqlite3_column_text (stmt, 16),
        .resolved_by = (const char *) sqlite3_column_text (stmt, 17),
        .resolved_at = (const char *) sqlite3_column_text (stmt, 18),
      };

      side_from_row (&row.a, stmt, 6);
      side_from_row (&row.b, stmt, 10);
      if (!each (&row, user_data, error))
        break;
    }

  return _motcua_replica_rows_done (self, stmt, rc, error);
}

gint64
_motcua_store_conflicts_count_open (MotcuaReplica  *self,
                                    GError        **error)
{
  return _motcua_replica_step_count (self,
                                     _motcua_replica_prepare (self, "SELECT count(*) FROM conflicts"
                                                              " WHERE resolved IS NOT 1"
                                                              " AND deleted IS NOT 1", error),
                                     error);
}

char *
_motcua_store_conflicts_dup_side_value (MotcuaReplica     *self,
                                        const MotcuaUuid  *id,
                                        char               side)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, side == 'a'
                                                ? "SELECT a_value FROM conflicts WHERE id = ?1"
                                                : "SELECT b_value FROM conflicts WHERE id = ?1",
                                                NULL);
  char *text = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return text;
}
