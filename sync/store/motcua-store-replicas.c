/* motcua-store-replicas.c: the replicas a province enrolled, stored
 *
 * hub_replicas, and the meta key "hub" that says the store serves others; see
 * motcua-store-replicas-private.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-store-replicas-private.h"

#define ROW_COLUMNS "token_id, office_code, replica_id, acked_seq, revoked, enrolled_at," \
                    " last_seen_at, desk_no, salt, token_hash"

void
_motcua_store_replica_row_free (MotcuaStoreReplicaRow *row)
{
  if (row == NULL)
    return;

  g_free (row->token_id);
  g_free (row->office_code);
  g_free (row->enrolled_at);
  g_free (row->last_seen_at);
  g_free (row);
}

/* The row @stmt stands on, selected as ROW_COLUMNS. */
static MotcuaStoreReplicaRow *
row_read (sqlite3_stmt *stmt)
{
  MotcuaStoreReplicaRow *row = g_new0 (MotcuaStoreReplicaRow, 1);

  row->token_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  row->office_code = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  row->bound = sqlite3_column_bytes (stmt, 2) == 16;
  if (row->bound)
    memcpy (row->replica_id.bytes, sqlite3_column_blob (stmt, 2), 16);
  row->acked_seq = sqlite3_column_int64 (stmt, 3);
  row->revoked = sqlite3_column_int (stmt, 4) != 0;
  row->enrolled_at = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  row->last_seen_at = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  row->desk_no = sqlite3_column_int64 (stmt, 7);
  row->has_hash = sqlite3_column_bytes (stmt, 8) == 16 && sqlite3_column_bytes (stmt, 9) == 32;
  if (row->has_hash)
    {
      memcpy (row->salt, sqlite3_column_blob (stmt, 8), 16);
      memcpy (row->token_hash, sqlite3_column_blob (stmt, 9), 32);
    }

  return row;
}

gboolean
_motcua_store_replicas_is_hub (MotcuaReplica *store)
{
  return _motcua_replica_meta_get_int (store, "hub", 0) != 0;
}

gboolean
_motcua_store_replicas_insert (MotcuaReplica                *store,
                               const MotcuaStoreReplicaRow  *row,
                               gint64                        first_desk_no,
                               GError                      **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "INSERT INTO hub_replicas (token_id, salt,"
                                                " token_hash, office_code, enrolled_at, desk_no)"
                                                " VALUES (?1, ?2, ?3, ?4, ?5, (SELECT"
                                                " max(coalesce(max(desk_no), 0) + 1, ?6)"
                                                " FROM hub_replicas))", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->token_id, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, row->salt, sizeof row->salt, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 3, row->token_hash, sizeof row->token_hash, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, row->office_code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, row->enrolled_at, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, first_desk_no);

  return _motcua_replica_step_done (store, stmt, error)
         && _motcua_replica_meta_set_int (store, "hub", 1, error);
}

gboolean
_motcua_store_replicas_revoke (MotcuaReplica  *store,
                               const char     *token_id,
                               gboolean       *found_out,
                               GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "UPDATE hub_replicas SET revoked = 1"
                                                " WHERE token_id = ?1", error);

  *found_out = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_id, -1, SQLITE_STATIC);
  if (!_motcua_replica_step_done (store, stmt, error))
    return FALSE;
  *found_out = sqlite3_changes (store->db) == 1;

  return TRUE;
}

MotcuaStoreReplicaRow *
_motcua_store_replicas_lookup (MotcuaReplica  *store,
                               const char     *token_id,
                               GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT " ROW_COLUMNS " FROM hub_replicas"
                                                " WHERE token_id = ?1", error);
  MotcuaStoreReplicaRow *row = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, token_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    row = row_read (stmt);
  sqlite3_reset (stmt);

  return row;
}

gboolean
_motcua_store_replicas_holder (MotcuaReplica     *store,
                               const MotcuaUuid  *replica_id,
                               char             **token_out,
                               gboolean          *revoked_out,
                               gint64            *acked_out,
                               GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT token_id, revoked, acked_seq FROM"
                                                " hub_replicas WHERE replica_id = ?1", error);
  int rc;

  *token_out = NULL;
  *revoked_out = FALSE;
  *acked_out = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, replica_id->bytes, 16, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *token_out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *revoked_out = sqlite3_column_int (stmt, 1) != 0;
      *acked_out = sqlite3_column_int64 (stmt, 2);
    }
  return _motcua_replica_walk_done (store, stmt, rc, NULL, error);
}

gboolean
_motcua_store_replicas_bind (MotcuaReplica     *store,
                             const char        *token_id,
                             const MotcuaUuid  *replica_id,
                             gint64             acked,
                             GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "UPDATE hub_replicas SET replica_id = ?1,"
                                                " acked_seq = max(acked_seq, ?2)"
                                                " WHERE token_id = ?3", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, replica_id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, acked);
  sqlite3_bind_text (stmt, 3, token_id, -1, SQLITE_STATIC);

  return _motcua_replica_step_done (store, stmt, error);
}

gboolean
_motcua_store_replicas_unbind (MotcuaReplica  *store,
                               const char     *token_id,
                               GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "UPDATE hub_replicas SET replica_id ="
                                                " NULL WHERE token_id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_id, -1, SQLITE_STATIC);

  return _motcua_replica_step_done (store, stmt, error);
}

gboolean
_motcua_store_replicas_touch (MotcuaReplica  *store,
                              const char     *token_id,
                              const char     *now,
                              GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "UPDATE hub_replicas SET last_seen_at ="
                                                " ?1 WHERE token_id = ?2", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, token_id, -1, SQLITE_STATIC);

  return _motcua_replica_step_done (store, stmt, error);
}

GPtrArray *
_motcua_store_replicas_list (MotcuaReplica  *store,
                             GError        **error)
{
  g_autoptr(GPtrArray) out =
    g_ptr_array_new_with_free_func ((GDestroyNotify) _motcua_store_replica_row_free);
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT " ROW_COLUMNS " FROM hub_replicas"
                                                " ORDER BY enrolled_at, token_id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, row_read (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&out);
}

char *
_motcua_store_replicas_office_of (MotcuaReplica    *store,
                                  const MotcuaUuid *replica_id)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT office_code FROM hub_replicas"
                                                " WHERE replica_id = ?1", NULL);
  char *code = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, replica_id->bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    code = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return code;
}

GArray *
_motcua_store_replicas_cases_back (MotcuaReplica     *store,
                                   const MotcuaUuid  *replica_id,
                                   GError           **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (MotcuaUuid));
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT DISTINCT r.case_id FROM"
                                                " hub_rejected r WHERE r.origin = ?1"
                                                " AND r.waits = 1 AND EXISTS (SELECT 1 FROM"
                                                " cases c WHERE c.id = r.case_id)", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, replica_id->bytes, 16, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (sqlite3_column_bytes (stmt, 0) == 16)
      {
        MotcuaUuid id;

        memcpy (id.bytes, sqlite3_column_blob (stmt, 0), 16);
        g_array_append_val (out, id);
      }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&out);
}
