/* motcua-store-hub-log.c: the province's global order, stored
 *
 * See motcua-store-hub-log-private.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-store-hub-log-private.h"

gboolean
_motcua_store_hub_log_append (MotcuaReplica                *hub,
                              const MotcuaStoreHubLogEntry *entry,
                              GError                      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (entry->n_offices <= 3, FALSE);

  stmt = _motcua_replica_prepare (hub, "INSERT INTO hub_log (origin, seq, tbl, row_id, change,"
                                  " kind, case_id, office_a, office_b, office_c)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, entry->origin->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, entry->seq);
  sqlite3_bind_int (stmt, 3, entry->table);
  sqlite3_bind_blob (stmt, 4, entry->row_id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entry->change, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, entry->kind);
  if (entry->case_id != NULL)
    sqlite3_bind_blob (stmt, 7, entry->case_id->bytes, 16, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 7);
  for (guint i = 0; i < 3; i++)
    if (i < entry->n_offices)
      sqlite3_bind_blob (stmt, 8 + (int) i, entry->offices[i].bytes, 16, SQLITE_STATIC);
    else
      sqlite3_bind_null (stmt, 8 + (int) i);

  return _motcua_replica_step_done (hub, stmt, error);
}

static const guint8 *
column_uuid (sqlite3_stmt *stmt,
             int           column)
{
  return sqlite3_column_bytes (stmt, column) == 16 ? sqlite3_column_blob (stmt, column) : NULL;
}

gboolean
_motcua_store_hub_log_read (MotcuaReplica          *hub,
                            guint64                 after,
                            MotcuaStoreHubLogEach   each,
                            gpointer                user_data,
                            GError                **error)
{
  GError *local_error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* A change's text is the wire's (PROTOCOL.md, A change): its HLC, column, value (as JSON
   * text) and overwritten HLC are its members h, c, v and p. The CASE keeps a damaged text
   * from failing the whole read (-> and ->> raise an error on it): the caller skips it.
   * SQLite parses each text once for the four. */
  stmt = _motcua_replica_prepare (hub, "SELECT gseq, origin, kind, change, case_id, office_a,"
                                  " office_b, office_c, seq, row_id, tbl, split,"
                                  " CASE WHEN split THEN change ->> '$.h' END,"
                                  " CASE WHEN split THEN change ->> '$.c' END,"
                                  " CASE WHEN split THEN change -> '$.v' END,"
                                  " CASE WHEN split THEN change ->> '$.p' END"
                                  " FROM (SELECT *, kind = 0 AND json_valid (change) AS split"
                                  "       FROM hub_log WHERE gseq > ?1) ORDER BY gseq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) after);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaStoreHubLogRow row;

      row.gseq = (guint64) sqlite3_column_int64 (stmt, 0);
      row.origin = column_uuid (stmt, 1);
      row.kind = sqlite3_column_int (stmt, 2);
      row.change = (const char *) sqlite3_column_text (stmt, 3);
      row.has_case = sqlite3_column_type (stmt, 4) != SQLITE_NULL;
      for (int i = 0; i < 3; i++)
        {
          row.offices[i] = sqlite3_column_blob (stmt, 5 + i);
          row.office_sizes[i] = sqlite3_column_bytes (stmt, 5 + i);
        }
      row.seq = sqlite3_column_int64 (stmt, 8);
      row.row_id = column_uuid (stmt, 9);
      row.table = (MotcuaTableId) sqlite3_column_int (stmt, 10);
      row.split = sqlite3_column_int (stmt, 11) != 0 && row.origin != NULL
                  && row.row_id != NULL;
      row.hlc = (MotcuaHlc) sqlite3_column_int64 (stmt, 12);
      row.column = (const char *) sqlite3_column_text (stmt, 13);
      row.value = (const char *) sqlite3_column_text (stmt, 14);
      row.prev = (MotcuaHlc) sqlite3_column_int64 (stmt, 15);

      if (!each (&row, user_data, &local_error))
        break;
    }
  return _motcua_replica_walk_done (hub, stmt, rc, local_error, error);
}

guint64
_motcua_store_hub_log_last_gseq (MotcuaReplica *hub)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT max(gseq) FROM hub_log", NULL);
  guint64 last = 0;

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    last = (guint64) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return last;
}

gboolean
_motcua_store_hub_log_get_handling (MotcuaReplica     *hub,
                                    const MotcuaUuid  *case_id,
                                    gboolean          *known,
                                    gboolean          *has_office,
                                    MotcuaUuid        *office,
                                    gboolean          *receiving_held,
                                    GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *known = FALSE;
  *has_office = FALSE;
  *receiving_held = TRUE;

  stmt = _motcua_replica_prepare (hub, "SELECT handling_office_id, receiving_held"
                                  " FROM hub_case_scope WHERE case_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, case_id->bytes, 16, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *known = TRUE;
      *has_office = sqlite3_column_bytes (stmt, 0) == 16;
      if (*has_office)
        memcpy (office->bytes, sqlite3_column_blob (stmt, 0), 16);
      *receiving_held = sqlite3_column_int (stmt, 1) != 0;
    }
  return _motcua_replica_walk_done (hub, stmt, rc, NULL, error);
}

gboolean
_motcua_store_hub_log_set_handling (MotcuaReplica     *hub,
                                    const MotcuaUuid  *case_id,
                                    const MotcuaUuid  *office,
                                    gboolean           receiving_held,
                                    GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (hub, "INSERT OR REPLACE INTO hub_case_scope"
                                  " (case_id, handling_office_id, receiving_held)"
                                  " VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, case_id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, office->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, receiving_held);

  return _motcua_replica_step_done (hub, stmt, error);
}

gboolean
_motcua_store_hub_log_conflict_case (MotcuaReplica     *hub,
                                     const MotcuaUuid  *conflict_id,
                                     gboolean          *exists,
                                     gboolean          *has_case,
                                     MotcuaUuid        *case_id,
                                     GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *exists = FALSE;
  *has_case = FALSE;

  stmt = _motcua_replica_prepare (hub, "SELECT case_id FROM conflicts WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, conflict_id->bytes, 16, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *exists = TRUE;
      *has_case = sqlite3_column_bytes (stmt, 0) == 16;
      if (*has_case)
        memcpy (case_id->bytes, sqlite3_column_blob (stmt, 0), 16);
    }
  return _motcua_replica_walk_done (hub, stmt, rc, NULL, error);
}
