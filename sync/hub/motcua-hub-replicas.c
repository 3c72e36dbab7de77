/* motcua-hub-replicas.c: the replicas a province enrolled
 *
 * Enrollment gives a token (kept only as a salted hash) and a desk code; the first push or
 * enrollment request binds the token to one replica; a token is revoked, never deleted. Every
 * request is authenticated here.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-hub-private.h"

void
_motcua_hub_peer_free (MotcuaHubPeer *peer)
{
  if (peer == NULL)
    return;

  g_free (peer->token_id);
  g_free (peer->office_code);
  g_free (peer->desk_code);
  g_clear_pointer (&peer->subtree, g_hash_table_unref);
  g_free (peer);
}

static char *
hex (const guint8 *buf,
     gsize         len)
{
  GString *out = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, "%02x", buf[i]);

  return g_string_free (out, FALSE);
}

static void
token_hash (const guint8 *salt,
            const char   *secret,
            guint8        out[32])
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = 32;

  g_checksum_update (sum, salt, 16);
  g_checksum_update (sum, (const guchar *) secret, -1);
  g_checksum_get_digest (sum, out, &len);
}

/* A desk's code, as receipts print it: "Q" (quầy, the counter) and its number, at least two
 * digits. The hub numbers desks across the province (hub_replicas.desk_no). */
static char *
desk_code (gint64 desk_no)
{
  return g_strdup_printf ("Q%02" G_GINT64_FORMAT, desk_no);
}

char *
_motcua_hub_enroll (MotcuaReplica  *hub,
                    const char     *office_code,
                    GError        **error)
{
  g_autofree char *token_id = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *now = NULL;
  g_autoptr(MotcuaOffice) office = NULL;
  guint8 id_bytes[8], secret_bytes[16], salt[16], hash[32];
  sqlite3_stmt *stmt;

  office = motcua_replica_dup_office (hub, office_code, error);
  if (office == NULL)
    return NULL;

  _motcua_random_bytes (id_bytes, sizeof id_bytes);
  _motcua_random_bytes (secret_bytes, sizeof secret_bytes);
  _motcua_random_bytes (salt, sizeof salt);
  token_id = hex (id_bytes, sizeof id_bytes);
  secret = hex (secret_bytes, sizeof secret_bytes);
  token_hash (salt, secret, hash);
  now = _motcua_replica_now_iso (hub);

  if (!motcua_replica_begin (hub, error))
    return NULL;
  /* Desk numbers are never given twice, revoked tokens' included: numbers a desk printed
   * carry its code. */
  stmt = _motcua_replica_prepare (hub, "INSERT INTO hub_replicas (token_id, salt, token_hash,"
                                  " office_code, enrolled_at, desk_no) VALUES (?1, ?2, ?3, ?4,"
                                  " ?5, (SELECT max(coalesce(max(desk_no), 0) + 1, ?6)"
                                  " FROM hub_replicas))", error);
  if (stmt == NULL)
    {
      motcua_replica_rollback (hub);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, token_id, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, salt, sizeof salt, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 3, hash, sizeof hash, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, office->code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, _motcua_hub_generation (hub) * MOTCUA_HUB_DESK_SPAN + 1);
  if (!_motcua_replica_finish (hub,
                              _motcua_replica_step_done (hub, stmt, error)
                              && _motcua_replica_meta_set_int (hub, "hub", 1, error),
                              error))
    return NULL;

  return g_strconcat (token_id, ".", secret, NULL);
}

gboolean
_motcua_hub_revoke (MotcuaReplica  *hub,
                    const char     *token_id,
                    GError        **error)
{
  sqlite3_stmt *stmt;
  gboolean found;

  if (!motcua_replica_begin (hub, error))
    return FALSE;
  stmt = _motcua_replica_prepare (hub, "UPDATE hub_replicas SET revoked = 1 WHERE token_id = ?1",
                                  error);
  if (stmt == NULL)
    return _motcua_replica_finish (hub, FALSE, error);
  sqlite3_bind_text (stmt, 1, token_id, -1, SQLITE_STATIC);
  if (!_motcua_replica_step_done (hub, stmt, error))
    return _motcua_replica_finish (hub, FALSE, error);
  found = sqlite3_changes (hub->db) == 1;
  if (!found)
    g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                 _("no replica is enrolled with token %s"), token_id);

  return _motcua_replica_finish (hub, found, error);
}

MotcuaHubPeer *
_motcua_hub_authenticate (MotcuaReplica  *hub,
                          const char     *token,
                          GError        **error)
{
  g_autoptr(MotcuaHubPeer) peer = NULL;
  g_autofree char *token_id = NULL;
  g_autoptr(MotcuaOffice) office = NULL;
  const char *dot = token ? strchr (token, '.') : NULL;
  sqlite3_stmt *stmt;
  guint8 hash[32];
  gboolean ok = FALSE;

  if (dot == NULL || dot == token || dot[1] == '\0')
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED,
                   _("The token is not one this server issued"));
      return NULL;
    }
  token_id = g_strndup (token, (gsize) (dot - token));

  stmt = _motcua_replica_prepare (hub, "SELECT salt, token_hash, office_code, replica_id,"
                                  " acked_seq, revoked, desk_no FROM hub_replicas"
                                  " WHERE token_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, token_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == 16
      && sqlite3_column_bytes (stmt, 1) == 32 && sqlite3_column_int (stmt, 5) == 0)
    {
      guint8 diff = 0;

      token_hash (sqlite3_column_blob (stmt, 0), dot + 1, hash);
      /* Compared in constant time. */
      for (guint i = 0; i < 32; i++)
        diff |= hash[i] ^ ((const guint8 *) sqlite3_column_blob (stmt, 1))[i];
      if (diff == 0)
        {
          peer = g_new0 (MotcuaHubPeer, 1);
          peer->token_id = g_strdup (token_id);
          peer->office_code = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          peer->bound = sqlite3_column_bytes (stmt, 3) == 16;
          if (peer->bound)
            memcpy (peer->replica_id.bytes, sqlite3_column_blob (stmt, 3), 16);
          peer->acked_seq = (guint64) sqlite3_column_int64 (stmt, 4);
          peer->desk_code = desk_code (sqlite3_column_int64 (stmt, 6));
          ok = TRUE;
        }
    }
  sqlite3_reset (stmt);

  if (!ok)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED,
                   _("The token is not one this server issued, or it was revoked"));
      return NULL;
    }

  office = motcua_replica_dup_office (hub, peer->office_code, error);
  if (office == NULL)
    return NULL;
  peer->level = office->level;
  peer->subtree = _motcua_replica_subtree_set (hub, peer->office_code, error);
  if (peer->subtree == NULL)
    return NULL;

  return g_steal_pointer (&peer);
}

/* Binds @peer's token to @replica_id, in the transaction under way. A replica whose token
 * was lost is enrolled anew: its new token takes over from the revoked one, with what the hub
 * acknowledged of it (the hub holds those changes). A replica held by a token still in force
 * is refused: two tokens never push as one replica. */
gboolean
_motcua_hub_bind_in_tx (MotcuaReplica     *hub,
                        MotcuaHubPeer     *peer,
                        const MotcuaUuid  *replica_id,
                        GError           **error)
{
  g_autofree char *holder = NULL;
  gboolean holder_revoked = FALSE;
  gint64 acked = 0;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _motcua_replica_prepare (hub, "SELECT token_id, revoked, acked_seq FROM hub_replicas"
                                  " WHERE replica_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, replica_id->bytes, 16, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      holder = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      holder_revoked = sqlite3_column_int (stmt, 1) != 0;
      acked = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (hub, error);
      return FALSE;
    }

  if (holder != NULL && !holder_revoked)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_EXISTS,
                   _("This replica is enrolled already with token %s; to give it a new token,"
                     " revoke that one first (motcua-server replicas revoke %s)"),
                   holder, holder);
      return FALSE;
    }
  if (holder != NULL)
    {
      stmt = _motcua_replica_prepare (hub, "UPDATE hub_replicas SET replica_id = NULL"
                                      " WHERE token_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, holder, -1, SQLITE_STATIC);
      if (!_motcua_replica_step_done (hub, stmt, error))
        return FALSE;
    }

  stmt = _motcua_replica_prepare (hub, "UPDATE hub_replicas SET replica_id = ?1,"
                                  " acked_seq = max(acked_seq, ?2) WHERE token_id = ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, replica_id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, acked);
  sqlite3_bind_text (stmt, 3, peer->token_id, -1, SQLITE_STATIC);
  if (!_motcua_replica_step_done (hub, stmt, error))
    return FALSE;

  peer->replica_id = *replica_id;
  peer->bound = TRUE;
  peer->acked_seq = MAX (peer->acked_seq, (guint64) acked);

  return TRUE;
}

gboolean
_motcua_hub_bind (MotcuaReplica     *hub,
                  MotcuaHubPeer     *peer,
                  const MotcuaUuid  *replica_id,
                  GError           **error)
{
  if (peer->bound)
    {
      if (memcmp (peer->replica_id.bytes, replica_id->bytes, 16) == 0)
        return TRUE;
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_EXISTS,
                   _("This token is bound to another replica; enroll a new one with"
                     " “motcua-server replicas enroll %s”"), peer->office_code);
      return FALSE;
    }

  if (!motcua_replica_begin (hub, error))
    return FALSE;

  return _motcua_replica_finish (hub, _motcua_hub_bind_in_tx (hub, peer, replica_id, error), error);
}

void
_motcua_hub_touch (MotcuaReplica *hub,
                   MotcuaHubPeer *peer)
{
  g_autofree char *now = _motcua_replica_now_iso (hub);
  sqlite3_stmt *stmt;

  if (!motcua_replica_begin (hub, NULL))
    return;
  stmt = _motcua_replica_prepare (hub, "UPDATE hub_replicas SET last_seen_at = ?1"
                                  " WHERE token_id = ?2", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, peer->token_id, -1, SQLITE_STATIC);
    }
  _motcua_replica_finish (hub, stmt != NULL && _motcua_replica_step_done (hub, stmt, NULL),
                          NULL);
}

JsonArray *
_motcua_hub_cases_back (MotcuaReplica  *hub,
                        MotcuaHubPeer  *peer,
                        GError        **error)
{
  g_autoptr(JsonArray) out = json_array_new ();
  sqlite3_stmt *stmt;
  int rc;

  if (!peer->bound)
    return g_steal_pointer (&out);
  stmt = _motcua_replica_prepare (hub, "SELECT DISTINCT r.case_id FROM hub_rejected r"
                                  " WHERE r.origin = ?1 AND r.waits = 1"
                                  " AND EXISTS (SELECT 1 FROM cases c WHERE c.id = r.case_id)",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, peer->replica_id.bytes, 16, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (sqlite3_column_bytes (stmt, 0) == 16)
      {
        char id[37];

        motcua_uuid_to_string ((const MotcuaUuid *) sqlite3_column_blob (stmt, 0), id);
        json_array_add_string_element (out, id);
      }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (hub, error);
      return NULL;
    }

  return g_steal_pointer (&out);
}

void
motcua_hub_replica_info_free (MotcuaHubReplicaInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->token_id);
  g_free (info->office_code);
  g_free (info->replica_id);
  g_free (info->enrolled_at);
  g_free (info->last_seen_at);
  g_free (info->desk_code);
  g_free (info);
}

GPtrArray *
_motcua_hub_list_replicas (MotcuaReplica  *hub,
                           GError        **error)
{
  g_autoptr(GPtrArray) out =
    g_ptr_array_new_with_free_func ((GDestroyNotify) motcua_hub_replica_info_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _motcua_replica_prepare (hub, "SELECT token_id, office_code, replica_id, acked_seq,"
                                  " revoked, enrolled_at, last_seen_at, desk_no FROM hub_replicas"
                                  " ORDER BY enrolled_at, token_id", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaHubReplicaInfo *info = g_new0 (MotcuaHubReplicaInfo, 1);

      info->token_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      info->office_code = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (sqlite3_column_bytes (stmt, 2) == 16)
        {
          info->replica_id = g_malloc (37);
          motcua_uuid_to_string (sqlite3_column_blob (stmt, 2), info->replica_id);
        }
      info->acked_seq = (guint64) sqlite3_column_int64 (stmt, 3);
      info->revoked = sqlite3_column_int (stmt, 4) != 0;
      info->enrolled_at = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      info->last_seen_at = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      info->desk_code = desk_code (sqlite3_column_int64 (stmt, 7));
      g_ptr_array_add (out, info);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (hub, error);
      return NULL;
    }

  return g_steal_pointer (&out);
}
