/* motcua-hub.c: a replica serving others
 *
 * The provincial server is a replica with a global order: it merges every change pushed to it
 * with the same code as the desks, appends it to hub_log in the order it accepted it, and lets
 * each enrolled replica pull what lies in its scope (its office and the offices below it) from
 * that log. This file is that core, without the network: motcua-server wraps it in HTTP.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-hub-private.h"
#include "motcua-text.h"

void
_motcua_hub_peer_free (MotcuaHubPeer *peer)
{
  if (peer == NULL)
    return;

  g_free (peer->token_id);
  g_free (peer->office_code);
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
  stmt = _motcua_replica_prepare (hub, "INSERT INTO hub_replicas (token_id, salt, token_hash,"
                                  " office_code, enrolled_at) VALUES (?1, ?2, ?3, ?4, ?5)", error);
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
  if (!_motcua_replica_finish (hub, _motcua_replica_step_done (hub, stmt, error), error))
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

static GHashTable *
subtree_of (MotcuaReplica  *hub,
            const char     *office_code,
            GError        **error)
{
  g_autoptr(GPtrArray) offices = motcua_replica_list_subtree (hub, office_code, error);
  GHashTable *set;

  if (offices == NULL)
    return NULL;

  set = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  for (guint i = 0; i < offices->len; i++)
    {
      MotcuaOffice *office = g_ptr_array_index (offices, i);
      MotcuaUuid id;

      if (motcua_uuid_parse (office->id, &id))
        g_hash_table_add (set, g_bytes_new (id.bytes, 16));
    }

  return set;
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
                                  " acked_seq, revoked FROM hub_replicas WHERE token_id = ?1",
                                  error);
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
  peer->subtree = subtree_of (hub, peer->office_code, error);
  if (peer->subtree == NULL)
    return NULL;

  return g_steal_pointer (&peer);
}

/* Scope */

static gboolean
office_in_scope (MotcuaHubPeer *peer,
                 const guint8  *office_id)
{
  g_autoptr(GBytes) key = NULL;

  if (office_id == NULL)
    return FALSE;
  key = g_bytes_new (office_id, 16);

  return g_hash_table_contains (peer->subtree, key);
}

/* Whether the case @case_id, as the hub holds it now, is in the peer's scope. */
static gboolean
case_in_scope (MotcuaReplica *hub,
               MotcuaHubPeer *peer,
               const guint8  *case_id)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT receiving_office_id,"
                                                " handling_office_id FROM cases WHERE id = ?1",
                                                NULL);
  gboolean in = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, case_id, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    in = (sqlite3_column_bytes (stmt, 0) == 16
          && office_in_scope (peer, sqlite3_column_blob (stmt, 0)))
         || (sqlite3_column_bytes (stmt, 1) == 16
             && office_in_scope (peer, sqlite3_column_blob (stmt, 1)));
  sqlite3_reset (stmt);

  return in;
}

/* Why the peer may not write @change, or NULL if it may. Judged on the hub's state with the
 * peer's earlier changes of the same push already applied. */
static char *
refusal (MotcuaReplica *hub,
         MotcuaHubPeer *peer,
         GHashTable    *named_in_scope,
         JsonObject    *change)
{
  const char *table_name = json_object_get_string_member_with_default (change, "t", "");
  const MotcuaTableDesc *table = _motcua_table_by_name (table_name);
  MotcuaUuid row;

  if (table == NULL || !motcua_uuid_parse (json_object_get_string_member_with_default (change, "r",
                                                                                      ""),
                                           &row))
    return NULL;   /* malformed: the merge refuses it with its own message */

  if (table->province_only && peer->level != MOTCUA_LEVEL_PROVINCE)
    return g_strdup_printf (_("only a province replica writes %s"), table->name);

  if (table->id == MOTCUA_TABLE_CASES)
    {
      g_autoptr(GBytes) key = g_bytes_new (row.bytes, 16);

      /* A case the hub does not know yet is judged by the offices this push names for it. */
      if (!case_in_scope (hub, peer, row.bytes)
          && !g_hash_table_contains (named_in_scope, key))
        return g_strdup_printf (_("case %s is not in the jurisdiction of %s"),
                                json_object_get_string_member_with_default (change, "r", ""),
                                peer->office_code);
    }
  else if (table->id == MOTCUA_TABLE_CASE_EVENTS || table->id == MOTCUA_TABLE_ATTACHMENTS)
    {
      JsonObject *values = json_object_get_object_member (change, "v");
      MotcuaUuid case_id;

      if (values == NULL
          || !motcua_uuid_parse (json_object_get_string_member_with_default (values, "case_id",
                                                                             ""), &case_id)
          || !case_in_scope (hub, peer, case_id.bytes))
        return g_strdup_printf (_("its case is not in the jurisdiction of %s"),
                                peer->office_code);
    }

  return NULL;
}

static gboolean
append_log (MotcuaReplica  *hub,
            JsonNode       *change,
            GError        **error)
{
  JsonObject *o = json_node_get_object (change);
  const MotcuaTableDesc *table = _motcua_table_by_name (json_object_get_string_member (o, "t"));
  g_autofree char *text = json_to_string (change, FALSE);
  MotcuaUuid origin, row;
  sqlite3_stmt *stmt;

  motcua_uuid_parse (json_object_get_string_member (o, "o"), &origin);
  motcua_uuid_parse (json_object_get_string_member (o, "r"), &row);

  stmt = _motcua_replica_prepare (hub, "INSERT INTO hub_log (origin, seq, tbl, row_id, change)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, origin.bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, json_object_get_int_member (o, "s"));
  sqlite3_bind_int (stmt, 3, table->id);
  sqlite3_bind_blob (stmt, 4, row.bytes, 16, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, text, -1, SQLITE_STATIC);

  return _motcua_replica_step_done (hub, stmt, error);
}

static gboolean
push_in_tx (MotcuaReplica  *hub,
            MotcuaHubPeer  *peer,
            JsonArray      *changes,
            JsonArray      *rejected,
            GError        **error)
{
  g_autoptr(GHashTable) named_in_scope = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                                 (GDestroyNotify) g_bytes_unref,
                                                                 NULL);
  guint64 acked = peer->acked_seq;
  sqlite3_stmt *stmt;

  /* The cases this push places in the peer's jurisdiction, by the offices it gives them. */
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *column = o ? json_object_get_string_member_with_default (o, "c", NULL) : NULL;
      MotcuaUuid row, office;

      if (o != NULL
          && g_strcmp0 (json_object_get_string_member_with_default (o, "t", ""), "cases") == 0
          && (g_strcmp0 (column, "receiving_office_id") == 0
              || g_strcmp0 (column, "handling_office_id") == 0)
          && motcua_uuid_parse (json_object_get_string_member_with_default (o, "r", ""), &row)
          && motcua_uuid_parse (json_object_get_string_member_with_default (o, "v", ""), &office)
          && office_in_scope (peer, office.bytes))
        g_hash_table_add (named_in_scope, g_bytes_new (row.bytes, 16));
    }

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autoptr(JsonArray) one = NULL;
      g_autofree char *reason = NULL;
      MotcuaUuid origin;
      gint64 seq;

      if (o == NULL
          || !motcua_uuid_parse (json_object_get_string_member_with_default (o, "o", ""), &origin)
          || (seq = json_object_get_int_member_with_default (o, "s", 0)) < 1)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("change %u: o and s must be the replica's UUID and a sequence number"),
                       i);
          return FALSE;
        }

      /* A replica pushes its own changes only; the first push binds the token to it. */
      if (!peer->bound)
        {
          peer->replica_id = origin;
          peer->bound = TRUE;
        }
      if (memcmp (origin.bytes, peer->replica_id.bytes, 16) != 0)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("change %u: o is another replica's: a replica pushes its own changes"),
                       i);
          return FALSE;
        }

      if ((guint64) seq <= acked)
        continue;   /* held already: acknowledged again */
      if ((guint64) seq != acked + 1)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_GAP,
                       _("change %u has sequence number %lld but %llu was acknowledged last:"
                         " push from %llu"), i, (long long) seq, (unsigned long long) acked,
                       (unsigned long long) acked + 1);
          return FALSE;
        }

      reason = refusal (hub, peer, named_in_scope, o);
      if (reason != NULL)
        {
          g_autoptr(JsonObject) r = json_object_new ();

          json_object_set_int_member (r, "s", seq);
          json_object_set_string_member (r, "reason", reason);
          json_array_add_object_element (rejected, g_steal_pointer (&r));
        }
      else
        {
          one = json_array_new ();
          json_array_add_element (one, json_node_copy (node));
          if (!_motcua_replica_apply_changes (hub, one, NULL, error)
              || !append_log (hub, node, error))
            return FALSE;
        }
      acked = (guint64) seq;
    }

  stmt = _motcua_replica_prepare (hub, "UPDATE hub_replicas SET acked_seq = ?1, replica_id = ?2"
                                  " WHERE token_id = ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) acked);
  if (peer->bound)
    sqlite3_bind_blob (stmt, 2, peer->replica_id.bytes, 16, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, peer->token_id, -1, SQLITE_STATIC);
  if (!_motcua_replica_step_done (hub, stmt, error))
    return FALSE;

  peer->acked_seq = acked;

  return TRUE;
}

gboolean
_motcua_hub_push (MotcuaReplica  *hub,
                  MotcuaHubPeer  *peer,
                  JsonArray      *changes,
                  guint64        *acked_out,
                  JsonArray     **rejected_out,
                  GError        **error)
{
  g_autoptr(JsonArray) rejected = json_array_new ();
  MotcuaHubPeer saved = *peer;

  if (!motcua_replica_begin (hub, error))
    return FALSE;
  if (!_motcua_replica_finish (hub, push_in_tx (hub, peer, changes, rejected, error), error))
    {
      /* Nothing of the push was kept. */
      peer->bound = saved.bound;
      peer->replica_id = saved.replica_id;
      peer->acked_seq = saved.acked_seq;
      return FALSE;
    }

  if (acked_out != NULL)
    *acked_out = peer->acked_seq;
  if (rejected_out != NULL)
    *rejected_out = g_steal_pointer (&rejected);

  return TRUE;
}

/* The hub's own writes (the province publishing its catalogue, offices and calendar, its own
 * desk's cases) join the global order like anyone's. */
gboolean
_motcua_hub_publish (MotcuaReplica  *hub,
                     GError        **error)
{
  guint64 published = (guint64) _motcua_replica_meta_get_int (hub, "hub_published", 0);
  g_autoptr(JsonArray) own = NULL;
  guint64 last = published;

  if (published >= hub->seq)
    return TRUE;

  own = _motcua_replica_collect_changes (hub, published, 0, error);
  if (own == NULL || !motcua_replica_begin (hub, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (own); i++)
    {
      JsonNode *node = json_array_get_element (own, i);

      if (!append_log (hub, node, error))
        return _motcua_replica_finish (hub, FALSE, error);
      last = (guint64) json_object_get_int_member (json_node_get_object (node), "s");
    }

  return _motcua_replica_finish (hub,
                                 _motcua_replica_meta_set_int (hub, "hub_published",
                                                               (gint64) last, error),
                                 error);
}

JsonArray *
_motcua_hub_pull (MotcuaReplica  *hub,
                  MotcuaHubPeer  *peer,
                  guint64         cursor,
                  guint           limit,
                  guint64        *cursor_out,
                  gboolean       *more_out,
                  GError        **error)
{
  g_autoptr(JsonArray) out = json_array_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  sqlite3_stmt *stmt;
  guint64 last = cursor;
  gboolean more = FALSE;
  int rc;

  if (!_motcua_hub_publish (hub, error))
    return NULL;

  stmt = _motcua_replica_prepare (hub, "SELECT gseq, origin, tbl, row_id, change FROM hub_log"
                                  " WHERE gseq > ?1 ORDER BY gseq", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) cursor);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaTableId table = (MotcuaTableId) sqlite3_column_int (stmt, 2);
      gboolean own = peer->bound && sqlite3_column_bytes (stmt, 1) == 16
                     && memcmp (sqlite3_column_blob (stmt, 1), peer->replica_id.bytes, 16) == 0;
      gboolean in_scope = TRUE;

      if (json_array_get_length (out) >= limit)
        {
          more = TRUE;
          break;
        }
      last = (guint64) sqlite3_column_int64 (stmt, 0);

      if (own)
        continue;   /* it has them */

      if (table == MOTCUA_TABLE_CASES)
        in_scope = case_in_scope (hub, peer, sqlite3_column_blob (stmt, 3));
      else if (table == MOTCUA_TABLE_CASE_EVENTS || table == MOTCUA_TABLE_ATTACHMENTS)
        {
          if (!json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 4), -1,
                                           NULL))
            in_scope = FALSE;
          else
            {
              JsonObject *v = json_object_get_object_member (
                json_node_get_object (json_parser_get_root (parser)), "v");
              MotcuaUuid case_id;

              in_scope = v != NULL
                         && motcua_uuid_parse (
                              json_object_get_string_member_with_default (v, "case_id", ""),
                              &case_id)
                         && case_in_scope (hub, peer, case_id.bytes);
            }
        }

      if (in_scope)
        {
          JsonNode *node = json_from_string ((const char *) sqlite3_column_text (stmt, 4), NULL);

          if (node != NULL)
            json_array_add_element (out, node);
        }
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (hub, error);
      return NULL;
    }

  if (cursor_out != NULL)
    *cursor_out = last;
  if (more_out != NULL)
    *more_out = more;

  return g_steal_pointer (&out);
}

/* The replica's side */

guint64
_motcua_replica_get_acked (MotcuaReplica *self)
{
  return (guint64) _motcua_replica_meta_get_int (self, "hub_acked", 0);
}

guint64
_motcua_replica_get_cursor (MotcuaReplica *self)
{
  return (guint64) _motcua_replica_meta_get_int (self, "hub_cursor", 0);
}

gboolean
_motcua_replica_set_acked (MotcuaReplica  *self,
                           guint64         acked,
                           GError        **error)
{
  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self,
                                 _motcua_replica_meta_set_int (self, "hub_acked", (gint64) acked,
                                                               error),
                                 error);
}

gboolean
_motcua_replica_apply_pulled (MotcuaReplica  *self,
                              JsonArray      *changes,
                              guint64         cursor,
                              GError        **error)
{
  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self,
                                 _motcua_replica_apply_changes (self, changes, NULL, error)
                                 && _motcua_replica_meta_set_int (self, "hub_cursor",
                                                                  (gint64) cursor, error),
                                 error);
}
