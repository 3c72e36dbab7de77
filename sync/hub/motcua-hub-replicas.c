/* motcua-hub-replicas.c: the replicas a province enrolled
 *
 * Enrollment gives a token (kept only as a salted hash) and a desk code; the first push or
 * enrollment request binds the token to one replica; a token is revoked, never deleted. Every
 * request is authenticated here. Their rows are the store's (store/motcua-store-replicas.c).
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
  g_clear_pointer (&peer->jurisdiction, g_hash_table_unref);
  g_clear_pointer (&peer->moved_from, g_ptr_array_unref);
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
  MotcuaStoreReplicaRow row = { 0 };
  guint8 id_bytes[8], secret_bytes[16];

  office = motcua_replica_dup_office (hub, office_code, error);
  if (office == NULL)
    return NULL;
  if (office->in_force_to != NULL)
    {
      g_autofree char *today = _motcua_replica_today (hub);

      if (strcmp (today, office->in_force_to) > 0)
        {
          if (office->successor_code != NULL)
            g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                         _("Office %s ended on %s: enroll the office that took its work over,"
                           " %s"), office->code, office->in_force_to, office->successor_code);
          else
            g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                         _("Office %s ended on %s: it can no longer be enrolled"), office->code,
                         office->in_force_to);
          return NULL;
        }
    }

  _motcua_random_bytes (id_bytes, sizeof id_bytes);
  _motcua_random_bytes (secret_bytes, sizeof secret_bytes);
  _motcua_random_bytes (row.salt, sizeof row.salt);
  token_id = hex (id_bytes, sizeof id_bytes);
  secret = hex (secret_bytes, sizeof secret_bytes);
  token_hash (row.salt, secret, row.token_hash);
  now = _motcua_replica_now_iso (hub);
  row.token_id = token_id;
  row.office_code = office->code;
  row.enrolled_at = now;

  if (!motcua_replica_begin (hub, error))
    return NULL;
  /* Desk numbers are never given twice, revoked tokens' included: numbers a desk printed
   * carry its code. */
  if (!_motcua_replica_finish (hub,
                               _motcua_store_replicas_insert (hub, &row,
                                                              _motcua_hub_generation (hub)
                                                              * MOTCUA_HUB_DESK_SPAN + 1,
                                                              error),
                               error))
    return NULL;

  return g_strconcat (token_id, ".", secret, NULL);
}

gboolean
_motcua_hub_revoke (MotcuaReplica  *hub,
                    const char     *token_id,
                    GError        **error)
{
  gboolean found;

  if (!motcua_replica_begin (hub, error))
    return FALSE;
  if (!_motcua_store_replicas_revoke (hub, token_id, &found, error))
    return _motcua_replica_finish (hub, FALSE, error);
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
  g_autoptr(MotcuaStoreReplicaRow) row = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *token_id = NULL;
  g_autoptr(MotcuaOffice) office = NULL;
  const char *dot = token ? strchr (token, '.') : NULL;
  guint8 hash[32];
  gboolean ok = FALSE;

  if (dot == NULL || dot == token || dot[1] == '\0')
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED,
                   _("The token is not one this server issued"));
      return NULL;
    }
  token_id = g_strndup (token, (gsize) (dot - token));

  row = _motcua_store_replicas_lookup (hub, token_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (row != NULL && row->has_hash && !row->revoked)
    {
      guint8 diff = 0;

      token_hash (row->salt, dot + 1, hash);
      /* Compared in constant time. */
      for (guint i = 0; i < 32; i++)
        diff |= hash[i] ^ row->token_hash[i];
      if (diff == 0)
        {
          peer = g_new0 (MotcuaHubPeer, 1);
          peer->token_id = g_strdup (token_id);
          peer->office_code = g_steal_pointer (&row->office_code);
          peer->bound = row->bound;
          peer->replica_id = row->replica_id;
          peer->acked_seq = (guint64) row->acked_seq;
          peer->desk_code = desk_code (row->desk_no);
          ok = TRUE;
        }
    }

  if (!ok)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED,
                   _("The token is not one this server issued, or it was revoked"));
      return NULL;
    }

  /* A desk of an office a reorganisation ended now serves its successor, without enrolling
   * again: its token stays valid, and its scope is the successor's. */
  peer->moved_from = g_ptr_array_new_with_free_func (g_free);
  office = _motcua_office_in_charge_today (hub, peer->office_code, peer->moved_from, error);
  if (office == NULL)
    return NULL;
  g_free (peer->office_code);
  peer->office_code = g_strdup (office->code);
  if (peer->moved_from->len == 0)
    g_clear_pointer (&peer->moved_from, g_ptr_array_unref);
  peer->level = office->level;
  peer->jurisdiction = _motcua_replica_jurisdiction_set (hub, peer->office_code, error);
  if (peer->jurisdiction == NULL)
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
  gboolean holder_revoked;
  gint64 acked;

  if (!_motcua_store_replicas_holder (hub, replica_id, &holder, &holder_revoked, &acked, error))
    return FALSE;

  if (holder != NULL && !holder_revoked)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_EXISTS,
                   _("This replica is enrolled already with token %s; to give it a new token,"
                     " revoke that one first (motcua-server replicas revoke %s)"),
                   holder, holder);
      return FALSE;
    }
  if (holder != NULL && !_motcua_store_replicas_unbind (hub, holder, error))
    return FALSE;
  if (!_motcua_store_replicas_bind (hub, peer->token_id, replica_id, acked, error))
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

  if (!motcua_replica_begin (hub, NULL))
    return;
  _motcua_replica_finish (hub, _motcua_store_replicas_touch (hub, peer->token_id, now, NULL),
                          NULL);
}

JsonArray *
_motcua_hub_cases_back (MotcuaReplica  *hub,
                        MotcuaHubPeer  *peer,
                        GError        **error)
{
  g_autoptr(JsonArray) out = json_array_new ();
  g_autoptr(GArray) cases = NULL;

  if (!peer->bound)
    return g_steal_pointer (&out);
  cases = _motcua_store_replicas_cases_back (hub, &peer->replica_id, error);
  if (cases == NULL)
    return NULL;
  for (guint i = 0; i < cases->len; i++)
    {
      char id[37];

      motcua_uuid_to_string (&g_array_index (cases, MotcuaUuid, i), id);
      json_array_add_string_element (out, id);
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
  g_autoptr(GPtrArray) rows = _motcua_store_replicas_list (hub, error);

  if (rows == NULL)
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    {
      MotcuaStoreReplicaRow *row = g_ptr_array_index (rows, i);
      MotcuaHubReplicaInfo *info = g_new0 (MotcuaHubReplicaInfo, 1);

      info->token_id = g_steal_pointer (&row->token_id);
      info->office_code = g_steal_pointer (&row->office_code);
      if (row->bound)
        {
          info->replica_id = g_malloc (37);
          motcua_uuid_to_string (&row->replica_id, info->replica_id);
        }
      info->acked_seq = (guint64) row->acked_seq;
      info->revoked = row->revoked;
      info->enrolled_at = g_steal_pointer (&row->enrolled_at);
      info->last_seen_at = g_steal_pointer (&row->last_seen_at);
      info->desk_code = desk_code (row->desk_no);
      g_ptr_array_add (out, info);
    }

  return g_steal_pointer (&out);
}
