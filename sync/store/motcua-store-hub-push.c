/* motcua-store-hub-push.c: what judging a push reads and writes
 *
 * See motcua-store-hub-push-private.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-store-hub-push-private.h"

gboolean
_motcua_store_hub_push_office_exists (MotcuaReplica *hub,
                                      const guint8  *office_id)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT 1 FROM offices WHERE id = ?1",
                                                NULL);
  gboolean exists;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, office_id, 16, SQLITE_STATIC);
  exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return exists;
}

gboolean
_motcua_store_hub_push_receipt_holder (MotcuaReplica    *hub,
                                       const char       *receipt_no,
                                       const MotcuaUuid *case_id,
                                       MotcuaUuid       *holder)
{
  sqlite3_stmt *stmt;
  gboolean held = FALSE;

  stmt = _motcua_replica_prepare (hub, "SELECT id FROM cases WHERE receipt_no = ?1"
                                  " AND id <> ?2 LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, receipt_no, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 2, case_id->bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == 16)
    {
      memcpy (holder->bytes, sqlite3_column_blob (stmt, 0), 16);
      held = TRUE;
    }
  sqlite3_reset (stmt);

  return held;
}

/* By table id; literals, so that the statements are cached by address. */
static const char *const rid_sql[] = {
  [MOTCUA_TABLE_OFFICES] = "SELECT rid FROM offices WHERE id = ?1",
  [MOTCUA_TABLE_PROCEDURES] = "SELECT rid FROM procedures WHERE id = ?1",
  [MOTCUA_TABLE_CALENDAR] = "SELECT rid FROM calendar WHERE id = ?1",
  [MOTCUA_TABLE_CASES] = "SELECT rid FROM cases WHERE id = ?1",
  [MOTCUA_TABLE_CASE_EVENTS] = "SELECT rid FROM case_events WHERE id = ?1",
  [MOTCUA_TABLE_ATTACHMENTS] = "SELECT rid FROM attachments WHERE id = ?1",
  [MOTCUA_TABLE_CONFLICTS] = "SELECT rid FROM conflicts WHERE id = ?1",
};

gint64
_motcua_store_hub_push_row_rid (MotcuaReplica    *hub,
                                MotcuaTableId     table,
                                const MotcuaUuid *id)
{
  sqlite3_stmt *stmt;
  gint64 rid = -1;

  g_return_val_if_fail ((guint) table < G_N_ELEMENTS (rid_sql) && rid_sql[table] != NULL, -1);

  stmt = _motcua_replica_prepare (hub, rid_sql[table], NULL);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return rid;
}

gboolean
_motcua_store_hub_push_case_procedure (MotcuaReplica    *hub,
                                       const MotcuaUuid *case_id,
                                       MotcuaUuid       *procedure)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT procedure_id FROM cases"
                                                " WHERE id = ?1", NULL);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, case_id->bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == 16)
    {
      memcpy (procedure->bytes, sqlite3_column_blob (stmt, 0), 16);
      found = TRUE;
    }
  sqlite3_reset (stmt);

  return found;
}

gboolean
_motcua_store_hub_push_refusal_keep (MotcuaReplica                *hub,
                                     const MotcuaUuid             *origin,
                                     const MotcuaStoreHubRefusal  *refusal,
                                     GError                      **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "INSERT OR REPLACE INTO hub_rejected"
                                                " (origin, seq, reason, case_id, waits)"
                                                " VALUES (?1, ?2, ?3, ?4, ?5)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, origin->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, refusal->seq);
  sqlite3_bind_text (stmt, 3, refusal->reason, -1, SQLITE_STATIC);
  if (refusal->case_id != NULL)
    sqlite3_bind_blob (stmt, 4, refusal->case_id->bytes, 16, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_int (stmt, 5, refusal->waits);

  return _motcua_replica_step_done (hub, stmt, error);
}

gboolean
_motcua_store_hub_push_refusals_read (MotcuaReplica              *hub,
                                      const MotcuaUuid           *origin,
                                      gint64                      first,
                                      gint64                      last,
                                      MotcuaStoreHubRefusalEach   each,
                                      gpointer                    user_data,
                                      GError                    **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT seq, reason, case_id, waits"
                                                " FROM hub_rejected"
                                                " WHERE origin = ?1 AND seq BETWEEN ?2 AND ?3"
                                                " ORDER BY seq", error);
  GError *local_error = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, origin->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, first);
  sqlite3_bind_int64 (stmt, 3, last);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaStoreHubRefusal refusal;

      refusal.seq = sqlite3_column_int64 (stmt, 0);
      refusal.reason = (const char *) sqlite3_column_text (stmt, 1);
      refusal.case_id = sqlite3_column_bytes (stmt, 2) == 16
                        ? sqlite3_column_blob (stmt, 2) : NULL;
      refusal.waits = sqlite3_column_int (stmt, 3);
      if (!each (&refusal, user_data, &local_error))
        break;
    }
  return _motcua_replica_walk_done (hub, stmt, rc, local_error, error);
}

gboolean
_motcua_store_hub_push_any_waiting (MotcuaReplica     *hub,
                                    const MotcuaUuid  *origin,
                                    gboolean          *any,
                                    GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT EXISTS (SELECT 1 FROM hub_rejected"
                                                " WHERE origin = ?1 AND waits = 1)", error);
  int rc;

  *any = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, origin->bytes, 16, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *any = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _motcua_replica_set_db_error (hub, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
_motcua_store_hub_push_waits_over (MotcuaReplica     *hub,
                                   const MotcuaUuid  *origin,
                                   const MotcuaUuid  *case_ids,
                                   guint              n,
                                   GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (hub, "UPDATE hub_rejected SET waits = 2 WHERE origin = ?1"
                                  " AND waits = 1 AND case_id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      sqlite3_bind_blob (stmt, 1, origin->bytes, 16, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 2, case_ids[i].bytes, 16, SQLITE_STATIC);
      if (!_motcua_replica_step_done (hub, stmt, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
_motcua_store_hub_push_acknowledge (MotcuaReplica     *hub,
                                    const char        *token_id,
                                    guint64            acked,
                                    const MotcuaUuid  *replica_id,
                                    GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (hub, "UPDATE hub_replicas SET acked_seq = ?1, replica_id = ?2"
                                  " WHERE token_id = ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) acked);
  if (replica_id != NULL)
    sqlite3_bind_blob (stmt, 2, replica_id->bytes, 16, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, token_id, -1, SQLITE_STATIC);

  return _motcua_replica_step_done (hub, stmt, error);
}
