/* motcua-hub-blobs.c: the hub's blob endpoints
 *
 * POST /v1/blobs/status, GET and PUT /v1/blobs/<sha256>: a replica moves the bytes of the scans
 * in its scope, in chunks, each PUT committed on its own so a cut upload resumes where the
 * server's copy ends (sync/PROTOCOL.md, Blobs). Called by _motcua_hub_handle() once the request
 * is authenticated.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-blobs-private.h"
#include "motcua-error.h"
#include "motcua-protocol-private.h"

/* What peer_may() asks of each attachment naming the bytes, and its answer so far. */
typedef struct
{
  MotcuaHubPeer *peer;
  char           replica_id[37];
  gint64         size;
  gint64         size_out;
  gboolean       allowed;
} PeerMay;

static gboolean
peer_may_scan (const MotcuaStoreScanRow *row,
               gpointer                  user_data)
{
  PeerMay *may = user_data;

  if (may->size >= 0 && row->size != may->size)
    return TRUE;
  may->allowed = (may->peer->bound && g_strcmp0 (row->replica, may->replica_id) == 0)
                 || _motcua_id_in_set (may->peer->jurisdiction, row->receiving, row->receiving_size)
                 || _motcua_id_in_set (may->peer->jurisdiction, row->handling, row->handling_size);
  if (may->allowed)
    may->size_out = row->size;

  return !may->allowed;
}

/* Whether @peer may move the bytes @sha256: an attachment names them (with @size bytes, unless
 * @size is -1) whose case is in the peer's scope as the hub holds it now, or which the peer's
 * own replica added (it uploads what it attached even after the case left its scope). The
 * attachment's size in @size_out. Unknown and out of scope are the same answer, so that
 * nothing tells a commune which scans another one holds. */
static gboolean
peer_may (MotcuaReplica  *hub,
          MotcuaHubPeer  *peer,
          const char     *sha256,
          gint64          size,
          gint64         *size_out,
          GError        **error)
{
  PeerMay may = { peer, "", size, 0, FALSE };

  if (peer->bound)
    motcua_uuid_to_string (&peer->replica_id, may.replica_id);
  if (!_motcua_store_hub_scope_scans (hub, sha256, peer_may_scan, &may, error))
    return FALSE;
  if (may.allowed && size_out != NULL)
    *size_out = may.size_out;

  return may.allowed;
}

static MotcuaHubResponse *
not_in_scope (const char *sha256)
{
  g_autofree char *message =
    g_strdup_printf (_("No attachment in your jurisdiction has a scan with SHA-256 %s"), sha256);

  return motcua_hub_error_response (404, "not-found", message);
}

static MotcuaHubResponse *
bad_sha (void)
{
  return motcua_hub_error_response (400, "invalid",
                                     _("A scan is named by its SHA-256: 64 lowercase hex"
                                       " digits"));
}

/* The SHA-256 in "/v1/blobs/<sha256>", or NULL. */
static const char *
path_sha (const MotcuaHubRequest *request)
{
  const char *sha = request->path + strlen ("/v1/blobs/");

  return _motcua_sha256_valid (sha) ? sha : NULL;
}

/* A whole number from the query: @fallback when absent, -1 when malformed. */
static gint64
query_size (GHashTable *query,
            const char *name,
            gint64      fallback)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  guint64 value;

  if (text == NULL)
    return fallback;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    return -1;

  return (gint64) value;
}

#define SIZE_FORMAT (G_FORMAT_SIZE_IEC_UNITS | G_FORMAT_SIZE_LONG_FORMAT)

static MotcuaHubResponse *
too_large (gint64 size,
           gint64 limit)
{
  g_autofree char *size_text = g_format_size_full ((guint64) size, SIZE_FORMAT);
  g_autofree char *limit_text = g_format_size_full ((guint64) limit, SIZE_FORMAT);
  g_autofree char *message = g_strdup_printf (_("The scan is %s: this server accepts scans of"
                                                " at most %s"), size_text, limit_text);

  return motcua_hub_error_response (413, "too-large", message);
}

static JsonObject *
blob_json (const char            *sha256,
           const MotcuaBlobState *state,
           gint64                 size)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "sha256", sha256);
  json_object_set_int_member (o, "size", state->exists ? state->size : size);
  json_object_set_int_member (o, "received", state->received);
  json_object_set_boolean_member (o, "complete", state->exists
                                                 && state->received == state->size);

  return o;
}

MotcuaHubResponse *
_motcua_hub_blobs_status (MotcuaReplica          *hub,
                          const MotcuaHubLimits  *limits,
                          MotcuaHubPeer          *peer,
                          const MotcuaHubRequest *request)
{
  static const char *const members[] = { "blobs", NULL };
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonArray) out = json_array_new ();
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(GError) error = NULL;
  MotcuaHubResponse *response;
  JsonNode *blobs_node;
  JsonArray *blobs;

  if ((response = _motcua_hub_parse_body (request, members, &body)) != NULL)
    return response;
  blobs_node = json_object_get_member (json_node_get_object (body), "blobs");
  if (blobs_node == NULL || !JSON_NODE_HOLDS_ARRAY (blobs_node))
    return motcua_hub_error_response (400, "invalid", _("blobs must be an array of SHA-256s"));
  blobs = json_node_get_array (blobs_node);
  if (json_array_get_length (blobs) > MOTCUA_BLOB_MAX_STATUS)
    {
      g_autofree char *message = g_strdup_printf (_("%u scans asked about at once: at most %u"),
                                                  json_array_get_length (blobs),
                                                  MOTCUA_BLOB_MAX_STATUS);

      return motcua_hub_error_response (413, "too-many-blobs", message);
    }

  for (guint i = 0; i < json_array_get_length (blobs); i++)
    {
      JsonNode *node = json_array_get_element (blobs, i);
      const char *sha = JSON_NODE_HOLDS_VALUE (node)
                        && json_node_get_value_type (node) == G_TYPE_STRING
                        ? json_node_get_string (node) : NULL;
      MotcuaBlobState state = { FALSE, 0, 0, FALSE };
      gint64 size = 0;
      gboolean known;
      JsonObject *entry;

      if (!_motcua_sha256_valid (sha))
        return bad_sha ();
      known = peer_may (hub, peer, sha, -1, &size, &error);
      if (error != NULL)
        return _motcua_hub_error_from (error);
      if (known && !_motcua_blob_state (hub, sha, &state, &error))
        return _motcua_hub_error_from (error);
      entry = blob_json (sha, &state, size);
      json_object_set_boolean_member (entry, "known", known);
      json_array_add_object_element (out, entry);
    }

  json_object_set_array_member (o, "blobs", g_steal_pointer (&out));

  return _motcua_hub_json_answer (hub, 200, g_steal_pointer (&o));
}

MotcuaHubResponse *
_motcua_hub_blob_get (MotcuaReplica          *hub,
                      const MotcuaHubLimits  *limits,
                      MotcuaHubPeer          *peer,
                      const MotcuaHubRequest *request,
                      GHashTable             *query)
{
  const char *sha = path_sha (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  MotcuaHubResponse *response;
  MotcuaBlobState state;
  gint64 offset = query_size (query, "offset", 0);
  gint64 length = query_size (query, "length", MOTCUA_BLOB_CHUNK);

  if (sha == NULL)
    return bad_sha ();
  if (offset < 0 || length < 1)
    return motcua_hub_error_response (400, "invalid", _("offset and length must be whole"
                                                         " numbers, length from 1"));
  if (!peer_may (hub, peer, sha, -1, NULL, &error))
    return error != NULL ? _motcua_hub_error_from (error) : not_in_scope (sha);
  if (!_motcua_blob_state (hub, sha, &state, &error))
    return _motcua_hub_error_from (error);
  if (!state.exists || state.received != state.size)
    return motcua_hub_error_response (404, "not-uploaded",
                                       _("The desk that attached this scan has not uploaded it"
                                         " yet: try again after it syncs"));
  if (offset > state.size)
    {
      g_autofree char *message = g_strdup_printf (_("offset %lld is past the end of the scan"
                                                    " (%lld bytes)"), (long long) offset,
                                                  (long long) state.size);

      return motcua_hub_error_response (400, "invalid", message);
    }

  chunk = _motcua_blob_read (hub, sha, offset, MIN (length, MOTCUA_BLOB_MAX_CHUNK), &error);
  if (chunk == NULL)
    return _motcua_hub_error_from (error);

  response = g_new0 (MotcuaHubResponse, 1);
  response->status = 200;
  response->content_type = "application/octet-stream";
  response->bytes_out = g_bytes_get_size (chunk);
  response->body = g_steal_pointer (&chunk);

  return response;
}

static MotcuaHubResponse *
offset_mismatch (MotcuaReplica *hub,
                 const char    *message,
                 gint64         received)
{
  g_autoptr(JsonObject) o = json_object_new ();
  JsonObject *e = json_object_new ();

  /* The replica resumes from "received" without asking again. */
  json_object_set_string_member (e, "code", "offset");
  json_object_set_string_member (e, "message", message);
  json_object_set_int_member (e, "received", received);
  json_object_set_object_member (o, "error", e);

  return _motcua_hub_json_answer (hub, 409, g_steal_pointer (&o));
}

/* Stores one chunk in a transaction of its own: committed, it is never sent again. */
static MotcuaHubResponse *
put_chunk (MotcuaReplica *hub,
           const char    *sha,
           gint64         size,
           gint64         offset,
           GBytes        *chunk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) o = NULL;
  MotcuaBlobState state;
  gint64 received = 0;
  gboolean corrupt = FALSE;
  gboolean ok;

  if (!motcua_replica_begin (hub, &error))
    return _motcua_hub_error_from (error);
  ok = _motcua_blob_prepare (hub, sha, size, TRUE, &error)
       && _motcua_blob_write (hub, sha, offset, chunk, &received, &corrupt, &error);
  if (!_motcua_replica_finish (hub, ok, &error))
    {
      if (g_error_matches (error, MOTCUA_ERROR, MOTCUA_ERROR_GAP))
        return offset_mismatch (hub, error->message, received);
      return _motcua_hub_error_from (error);
    }
  if (corrupt)
    {
      g_autofree char *message =
        g_strdup_printf (_("The bytes uploaded do not have SHA-256 %s: they were discarded;"
                           " upload the scan again from the start"), sha);

      return motcua_hub_error_response (400, "checksum-mismatch", message);
    }

  if (!_motcua_blob_state (hub, sha, &state, &error))
    return _motcua_hub_error_from (error);
  o = blob_json (sha, &state, size);

  return _motcua_hub_json_answer (hub, 200, g_steal_pointer (&o));
}

MotcuaHubResponse *
_motcua_hub_blob_put (MotcuaReplica          *hub,
                      const MotcuaHubLimits  *limits,
                      MotcuaHubPeer          *peer,
                      const MotcuaHubRequest *request,
                      GHashTable             *query)
{
  const char *sha = path_sha (request);
  g_autoptr(GError) error = NULL;
  MotcuaHubResponse *response;
  gint64 offset = query_size (query, "offset", -1);
  gint64 size = query_size (query, "size", -1);
  gsize length = request->body != NULL ? g_bytes_get_size (request->body) : 0;

  if (sha == NULL)
    return bad_sha ();
  if (offset < 0 || size < 1)
    return motcua_hub_error_response (400, "invalid", _("An upload says offset (a whole"
                                                         " number) and size (from 1)"));
  if (size > limits->max_blob_size)
    return too_large (size, limits->max_blob_size);
  if (length > MOTCUA_BLOB_MAX_CHUNK)
    return too_large ((gint64) length, MOTCUA_BLOB_MAX_CHUNK);
  if (length == 0 || (gint64) length > size - MIN (offset, size))
    {
      g_autofree char *message = g_strdup_printf (_("A chunk of %lu bytes at %lld does not"
                                                    " fit a scan of %lld bytes"),
                                                  (unsigned long) length, (long long) offset,
                                                  (long long) size);

      return motcua_hub_error_response (400, "invalid", message);
    }
  if (!peer_may (hub, peer, sha, size, NULL, &error))
    return error != NULL ? _motcua_hub_error_from (error) : not_in_scope (sha);

  response = put_chunk (hub, sha, size, offset, request->body);
  response->bytes_in = length;

  return response;
}
