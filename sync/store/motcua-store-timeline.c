/* motcua-store-timeline.c: a case's timeline as stored, read back
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-store-timeline-private.h"

static const MotcuaUuid *
column_uuid (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) != SQLITE_BLOB
      || sqlite3_column_bytes (stmt, column) != 16)
    return NULL;

  return sqlite3_column_blob (stmt, column);
}

gboolean
_motcua_store_timeline_list (MotcuaReplica         *store,
                             const MotcuaUuid      *case_id,
                             MotcuaStoreEventEach   each,
                             gpointer               user_data,
                             GError               **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _motcua_replica_prepare (store, "SELECT id, at, replica, officer, action, detail, note,"
                                  " field, old_value, new_value, from_office, to_office,"
                                  " receipt_no, due_date, ref"
                                  " FROM case_events WHERE case_id = ?1 ORDER BY at, id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, case_id->bytes, 16, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaStoreEventRow row;

#define TEXT(i) ((const char *) sqlite3_column_text (stmt, (i)))
      row.at = TEXT (1);
      row.replica = TEXT (2);
      row.officer = TEXT (3);
      row.action = TEXT (4);
      row.detail = TEXT (5);
      row.note = TEXT (6);
      row.field = TEXT (7);
      row.old_value = TEXT (8);
      row.new_value = TEXT (9);
      row.from_office = TEXT (10);
      row.to_office = TEXT (11);
      row.receipt_no = TEXT (12);
      row.due_date = TEXT (13);
#undef TEXT
      row.id = column_uuid (stmt, 0);
      row.ref = column_uuid (stmt, 14);
      if (!each (&row, user_data, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  if (rc != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      _motcua_replica_set_db_error (store, error);
      return FALSE;
    }
  sqlite3_reset (stmt);

  return TRUE;
}
