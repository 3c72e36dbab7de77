/* motcua-protocol.c: protocol v1, the hub's side (see sync/PROTOCOL.md)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "motcua-blobs-private.h"
#include "motcua-error.h"
#include "motcua-hub-private.h"
#include "motcua-json-scan-private.h"
#include "motcua-protocol-private.h"
#include "motcua-version.h"

void
motcua_hub_response_free (MotcuaHubResponse *response)
{
  if (response == NULL)
    return;

  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response->replica);
  g_free (response->endpoint);
  g_free (response->token_id);
  g_free (response);
}

static MotcuaHubResponse *
error_response (guint       status,
                const char *code,
                const char *message,
                gint64      retry_after)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  MotcuaHubResponse *response = g_new0 (MotcuaHubResponse, 1);
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  if (retry_after >= 0)
    {
      json_builder_set_member_name (builder, "retry_after");
      json_builder_add_int_value (builder, retry_after);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  response->status = status;
  response->content_type = "application/json";
  response->body = g_bytes_new_take (text, strlen (text));
  response->replica = g_strdup ("-");
  response->endpoint = g_strdup ("-");

  return response;
}

MotcuaHubResponse *
motcua_hub_error_response (guint       status,
                           const char *code,
                           const char *message)
{
  return error_response (status, code, message, -1);
}

MotcuaHubResponse *
motcua_hub_busy_response (const char *message,
                          guint       retry_after)
{
  return error_response (429, "too-many-requests", message, retry_after);
}

static MotcuaHubResponse *
json_response (guint       status,
               JsonObject *body)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), body);
  MotcuaHubResponse *response = g_new0 (MotcuaHubResponse, 1);
  gsize length;
  char *text = json_to_string (root, FALSE);

  json_object_unref (body);   /* the node holds its own reference; this one was given to us */

  length = strlen (text);
  response->status = status;
  response->content_type = "application/json";
  response->body = g_bytes_new_take (text, length);

  return response;
}

/* As json_response(), with the member @name added as the JSON text @list (taken), written
 * elsewhere. */
static MotcuaHubResponse *
json_response_with_list (guint       status,
                         JsonObject *body,
                         const char *name,
                         char       *list)
{
  g_autofree char *taken = list;
  MotcuaHubResponse *response = json_response (status, body);
  gsize length;
  const char *text = g_bytes_get_data (response->body, &length);
  GString *joined = g_string_sized_new (length + strlen (taken) + strlen (name) + 8);

  /* {…} becomes {…,"name":list}; the body always has members (add_common()'s). */
  g_string_append_len (joined, text, (gssize) length - 1);
  g_string_append_printf (joined, ",\"%s\":", name);
  g_string_append (joined, taken);
  g_string_append_c (joined, '}');
  g_bytes_unref (response->body);
  length = joined->len;
  response->body = g_bytes_new_take (g_string_free (joined, FALSE), length);

  return response;
}

/* The HTTP status for a library error. */
static guint
status_for (const GError *error)
{
  if (error->domain != MOTCUA_ERROR)
    return 500;

  switch (error->code)
    {
    case MOTCUA_ERROR_NOT_ENROLLED:
      return 401;
    case MOTCUA_ERROR_NOT_AUTHORIZED:
      return 403;
    case MOTCUA_ERROR_GAP:
    case MOTCUA_ERROR_EXISTS:
      return 409;
    case MOTCUA_ERROR_NOT_FOUND:
      return 404;
    case MOTCUA_ERROR_TOO_LARGE:
      return 413;
    case MOTCUA_ERROR_DATABASE:
    case MOTCUA_ERROR_CORRUPT:
      return 500;
    default:
      return 400;
    }
}

static const char *
code_for (const GError *error)
{
  if (error->domain != MOTCUA_ERROR)
    return "internal";

  switch (error->code)
    {
    case MOTCUA_ERROR_NOT_ENROLLED:
      return "bad-token";
    case MOTCUA_ERROR_NOT_AUTHORIZED:
      return "forbidden";
    case MOTCUA_ERROR_GAP:
      return "gap";
    case MOTCUA_ERROR_EXISTS:
      return "exists";
    case MOTCUA_ERROR_NOT_FOUND:
      return "not-found";
    case MOTCUA_ERROR_TOO_LARGE:
      return "too-large";
    case MOTCUA_ERROR_CHECKSUM:
      return "checksum-mismatch";
    case MOTCUA_ERROR_DATABASE:
    case MOTCUA_ERROR_CORRUPT:
      return "internal";
    default:
      return "invalid";
    }
}

/* A 500 says no more than that: the message of a store error names the store's file, and
 * SQLite's may quote SQL. The detail goes to the server's log (standard error, which the
 * journal keeps), where its operator reads it. */
static MotcuaHubResponse *
error_from (const GError *error)
{
  guint status = status_for (error);

  if (status >= 500)
    {
      fprintf (stderr, "internal error: %s\n", error->message);
      fflush (stderr);
      return motcua_hub_error_response (status, code_for (error),
                                         _("The server could not complete the request: the"
                                           " reason is in its log"));
    }

  return motcua_hub_error_response (status, code_for (error), error->message);
}

typedef struct
{
  MotcuaReplica          *hub;
  MotcuaHubLimits         limits;
  const MotcuaHubRequest *request;
  GHashTable             *query;
  MotcuaHubPeer          *peer;
  JsonNode               *body;
  MotcuaJsonValue         list;     /* a push's changes, read in place from the request */
} Exchange;

static void
exchange_clear (Exchange *x)
{
  g_clear_pointer (&x->query, g_hash_table_unref);
  g_clear_pointer (&x->peer, _motcua_hub_peer_free);
  g_clear_pointer (&x->body, json_node_unref);
}

static const char *
query_get (Exchange   *x,
           const char *name)
{
  return x->query != NULL ? g_hash_table_lookup (x->query, name) : NULL;
}

/* A whole number from the query, or -1 when absent; FALSE when malformed. */
static gboolean
query_int (Exchange   *x,
           const char *name,
           gint64     *out)
{
  const char *text = query_get (x, name);

  *out = -1;
  if (text == NULL)
    return TRUE;

  return g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, out, NULL);
}

static MotcuaHubResponse *
check_versions (Exchange *x)
{
  gint64 protocol, schema;

  if (!query_int (x, "protocol", &protocol) || !query_int (x, "schema", &schema)
      || protocol < 0 || schema < 0)
    return motcua_hub_error_response (400, "missing-version",
                                       _("Every request says its protocol and schema versions"
                                         " (?protocol=1&schema=N)"));
  if (protocol != MOTCUA_PROTOCOL_VERSION)
    return motcua_hub_error_response (409, "protocol-mismatch",
                                       _("This server speaks protocol version 1 only: update"
                                         " Một Cửa"));
  if (schema < MOTCUA_SCHEMA_VERSION)
    {
      g_autofree char *message =
        g_strdup_printf (_("This replica has schema version %d and the server %d: update Một Cửa"
                           " on this computer, then sync again"), (int) schema,
                         MOTCUA_SCHEMA_VERSION);

      return motcua_hub_error_response (409, "update-required", message);
    }
  if (schema > MOTCUA_SCHEMA_VERSION)
    {
      g_autofree char *message =
        g_strdup_printf (_("This replica has schema version %d but the server only %d: the"
                           " server must be updated first"), (int) schema,
                         MOTCUA_SCHEMA_VERSION);

      return motcua_hub_error_response (409, "server-outdated", message);
    }

  return NULL;
}

/* The body as a JSON object holding only @members; an error response otherwise. The member
 * @list (or NULL), a long list, is left in the request's text for x->list, not parsed. */
static MotcuaHubResponse *
parse_body (Exchange           *x,
            const char *const  *members,
            const char         *list)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data = x->request->body ? g_bytes_get_data (x->request->body, &size) : NULL;
  g_autofree char *rest = NULL;
  const char *problem = NULL;
  MotcuaJsonValue root;

  if (data == NULL || size == 0)
    return motcua_hub_error_response (400, "bad-json", _("The request needs a JSON body"));
  /* Checked whole before json-glib sees it: json-glib 1.6 recurses once per nesting level
   * (a body nested thousands deep would overflow the stack), parses and leaks a second value
   * after the first, and leaks on a \u escape that is not four hex digits and on a lone or
   * misplaced surrogate. The reader refuses all of them. */
  if (list != NULL)
    rest = _motcua_json_cut_member (data, size, list, &x->list, &problem);
  if ((list != NULL && rest == NULL)
      || (list == NULL && !_motcua_json_scan (data, size, &root, &problem)))
    return motcua_hub_error_response (400, "bad-json", _(problem));
  if (!json_parser_load_from_data (parser, rest != NULL ? rest : data, rest != NULL ? -1
                                                                       : (gssize) size,
                                   &error))
    {
      g_autofree char *message = g_strdup_printf (_("The body is not valid JSON: %s"),
                                                  error->message);

      return motcua_hub_error_response (400, "bad-json", message);
    }
  if (_motcua_json_root_object (parser) == NULL)
    return motcua_hub_error_response (400, "bad-json", _("The body must be a JSON object"));

  {
    g_autoptr(GList) names = json_object_get_members (_motcua_json_root_object (parser));

    for (GList *l = names; l != NULL; l = l->next)
      if (!g_strv_contains (members, l->data))
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a field of this request"),
                                                      (const char *) l->data);

          return motcua_hub_error_response (400, "unknown-field", message);
        }
  }

  x->body = json_parser_steal_root (parser);

  return NULL;
}

static JsonObject *
body_object (Exchange *x)
{
  return json_node_get_object (x->body);
}

/* "compact": true in the body: its change list is compact, or the answer's may be. */
static gboolean
body_says_compact (Exchange *x)
{
  JsonNode *node = json_object_get_member (body_object (x), "compact");

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static void
add_common (Exchange   *x,
            JsonObject *o)
{
  json_object_set_int_member (o, "protocol", MOTCUA_PROTOCOL_VERSION);
  json_object_set_int_member (o, "schema", MOTCUA_SCHEMA_VERSION);
  json_object_set_int_member (o, "now", _motcua_replica_now_ms (x->hub));
}

static MotcuaHubResponse *
handle_status (Exchange *x)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonArray) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaOffice) office = motcua_replica_dup_office (x->hub, x->peer->office_code, NULL);

  /* Every sync starts here: "last seen" costs one durable write per sync, not per request. */
  _motcua_hub_touch (x->hub, x->peer);
  add_common (x, o);
  json_object_set_string_member (o, "office", x->peer->office_code);
  json_object_set_string_member (o, "level", motcua_level_to_string (x->peer->level));
  json_object_set_string_member (o, "office_name", office ? office->name : "");
  if (x->peer->moved_from != NULL)
    {
      JsonArray *moved = json_array_new ();

      for (guint i = 0; i < x->peer->moved_from->len; i++)
        json_array_add_string_element (moved, g_ptr_array_index (x->peer->moved_from, i));
      json_object_set_array_member (o, "moved_from", moved);
    }
  if (x->peer->bound)
    {
      char id[37];

      motcua_uuid_to_string (&x->peer->replica_id, id);
      json_object_set_string_member (o, "replica", id);
    }
  else
    json_object_set_null_member (o, "replica");
  json_object_set_int_member (o, "acked", (gint64) x->peer->acked_seq);
  json_object_set_string_member (o, "desk", x->peer->desk_code);
  json_object_set_string_member (o, "server", x->hub->office_code);
  /* It reads and writes compact change lists (PROTOCOL.md). */
  json_object_set_boolean_member (o, "compact", TRUE);
  back = _motcua_hub_cases_back (x->hub, x->peer, &error);
  if (back == NULL)
    return error_from (error);
  if (json_array_get_length (back) > 0)
    json_object_set_array_member (o, "back", g_steal_pointer (&back));

  return json_response (200, g_steal_pointer (&o));
}

static MotcuaHubResponse *
handle_enroll (Exchange *x)
{
  static const char *const members[] = { "replica", NULL };
  g_autoptr(GError) error = NULL;
  MotcuaHubResponse *response;
  MotcuaUuid id;

  if ((response = parse_body (x, members, NULL)) != NULL)
    return response;
  if (!motcua_uuid_parse (_motcua_json_string (body_object (x),
                                                                      "replica", ""), &id))
    return motcua_hub_error_response (400, "invalid", _("replica must be the replica's UUID"));
  if (!_motcua_hub_bind (x->hub, x->peer, &id, &error))
    return error_from (error);

  return handle_status (x);
}

static MotcuaHubResponse *
handle_push (Exchange *x)
{
  static const char *const members[] = { "changes", "compact", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaWireBatch) batch = NULL;
  g_autoptr(JsonArray) rejected = NULL;
  g_autoptr(JsonObject) o = NULL;
  MotcuaHubResponse *response;
  guint max = x->limits.max_changes_per_push;
  gint64 now = _motcua_replica_now_ms (x->hub);
  guint64 acked;
  guint n_conflicts = 0;

  if ((response = parse_body (x, members, "changes")) != NULL)
    return response;
  if (x->list.kind != MOTCUA_JSON_ARRAY)
    return motcua_hub_error_response (400, "invalid", _("changes must be an array"));
  if (x->list.length > max)
    {
      g_autofree char *message = g_strdup_printf (_("%u changes in one push: at most %u"),
                                                  x->list.length, max);

      return motcua_hub_error_response (413, "too-many-changes", message);
    }
  /* Decoded once, whole or compact, where it lies: from here on the changes are typed. */
  batch = _motcua_wire_decode (x->list.start, (gsize) (x->list.end - x->list.start),
                               body_says_compact (x), TRUE, &error);
  if (batch == NULL)
    return error_from (error);

  /* A change stamped in the future would win every merge until that future came. */
  for (guint i = 0; i < _motcua_wire_batch_length (batch); i++)
    {
      gint64 ms = motcua_hlc_get_ms (_motcua_wire_batch_item (batch, i)->hlc);

      if (ms > now + x->limits.max_skew_ms)
        {
          gint64 ahead = (ms - now) / 1000;
          g_autofree char *message =
            g_strdup_printf (_("change %u is stamped %lld h %02lld min %02lld s ahead of the"
                               " server's clock (at most 5 minutes are allowed): this computer's"
                               " clock is wrong; sync again to re-stamp its changes"), i,
                             (long long) (ahead / 3600), (long long) (ahead / 60 % 60),
                             (long long) (ahead % 60));

          return motcua_hub_error_response (400, "clock-skew", message);
        }
    }

  if (!_motcua_hub_push_batch (x->hub, x->peer, batch, &acked, &rejected, &n_conflicts, &error))
    return error_from (error);

  o = json_object_new ();
  add_common (x, o);
  json_object_set_int_member (o, "acked", (gint64) acked);
  json_object_set_array_member (o, "rejected", g_steal_pointer (&rejected));
  json_object_set_int_member (o, "conflicts", n_conflicts);
  response = json_response (200, g_steal_pointer (&o));
  response->changes_in = x->list.length;

  return response;
}

static MotcuaHubResponse *
handle_pull (Exchange *x)
{
  static const char *const members[] = { "cursor", "limit", "compact", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaWireWriter) items = NULL;
  g_autoptr(JsonObject) o = NULL;
  g_autofree char *cursor_out = NULL;
  MotcuaHubResponse *response;
  JsonNode *cursor_node, *limit_node;
  const char *cursor = NULL;
  guint limit = x->limits.max_changes_per_pull;
  gboolean more = FALSE;
  guint n;

  if ((response = parse_body (x, members, NULL)) != NULL)
    return response;
  cursor_node = json_object_get_member (body_object (x), "cursor");
  limit_node = json_object_get_member (body_object (x), "limit");
  if (cursor_node != NULL && !JSON_NODE_HOLDS_NULL (cursor_node))
    {
      if (!JSON_NODE_HOLDS_VALUE (cursor_node)
          || json_node_get_value_type (cursor_node) != G_TYPE_STRING)
        return motcua_hub_error_response (400, "invalid",
                                           _("cursor must be the text the last pull gave, or"
                                             " null"));
      cursor = json_node_get_string (cursor_node);
    }
  if (limit_node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (limit_node)
          || json_node_get_value_type (limit_node) != G_TYPE_INT64
          || json_node_get_int (limit_node) < 1)
        return motcua_hub_error_response (400, "invalid", _("limit must be a whole number from"
                                                             " 1"));
      limit = (guint) MIN ((guint64) json_node_get_int (limit_node), limit);
    }

  items = _motcua_hub_pull (x->hub, x->peer, cursor, limit, body_says_compact (x), &cursor_out,
                            &more, &error);
  if (items == NULL && g_error_matches (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND))
    return motcua_hub_error_response (400, "unknown-cursor", error->message);
  if (items == NULL)
    return error_from (error);
  n = _motcua_wire_writer_length (items);

  o = json_object_new ();
  add_common (x, o);
  json_object_set_string_member (o, "cursor", cursor_out);
  json_object_set_boolean_member (o, "more", more);
  if (!more)
    {
      /* Up to date: what the replica must now hold, to check it does. */
      g_autofree char *digest = _motcua_replica_scope_digest (x->hub, x->peer->office_code,
                                                              &error);

      if (digest == NULL)
        return error_from (error);
      json_object_set_string_member (o, "digest", digest);
    }
  /* The items are written as text already (from the log, as logged): they join the answer's
   * text rather than its tree. */
  response = json_response_with_list (200, g_steal_pointer (&o), "items",
                                      _motcua_wire_writer_finish (g_steal_pointer (&items)));
  response->changes_out = n;

  return response;
}

static MotcuaHubResponse *
handle_lease (Exchange *x)
{
  static const char *const members[] = { "office", "year", "count", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) o = NULL;
  MotcuaHubResponse *response;
  JsonObject *body;
  const char *office;
  MotcuaUuid office_id;
  gint64 year, count, first, last;

  if ((response = parse_body (x, members, NULL)) != NULL)
    return response;
  body = body_object (x);
  office = _motcua_json_string (body, "office", NULL);
  year = _motcua_json_int (body, "year", 0);
  count = _motcua_json_int (body, "count", 0);
  if (office == NULL || year < 2000 || year > 9999 || count < 1 || count > 10000)
    return motcua_hub_error_response (400, "invalid",
                                       _("a lease needs office (a code), year and count"
                                         " (1 to 10000)"));
  if (!_motcua_replica_office_id (x->hub, "office", office, &office_id, &error))
    return error_from (error);
  {
    g_autoptr(GBytes) key = g_bytes_new (office_id.bytes, 16);

    if (!g_hash_table_contains (x->peer->jurisdiction, key))
      {
        g_autofree char *message = g_strdup_printf (_("office %s is not in the jurisdiction of"
                                                      " %s"), office, x->peer->office_code);

        return motcua_hub_error_response (403, "out-of-scope", message);
      }
  }
  if (!_motcua_hub_lease (x->hub, x->peer->token_id, office, (int) year, (guint) count, &first,
                          &last, &error))
    return error_from (error);

  o = json_object_new ();
  add_common (x, o);
  json_object_set_string_member (o, "office", office);
  json_object_set_int_member (o, "year", year);
  json_object_set_int_member (o, "first", first);
  json_object_set_int_member (o, "last", last);

  return json_response (200, g_steal_pointer (&o));
}

/* Blobs: the bytes of scans (motcua-blobs.c) */

static MotcuaHubResponse *
handle_blobs_status (Exchange *x)
{
  return _motcua_hub_blobs_status (x->hub, &x->limits, x->peer, x->request);
}

static MotcuaHubResponse *
handle_blob_get (Exchange *x)
{
  return _motcua_hub_blob_get (x->hub, &x->limits, x->peer, x->request, x->query);
}

static MotcuaHubResponse *
handle_blob_put (Exchange *x)
{
  return _motcua_hub_blob_put (x->hub, &x->limits, x->peer, x->request, x->query);
}

MotcuaHubResponse *
_motcua_hub_json_answer (MotcuaReplica *hub,
                         guint          status,
                         JsonObject    *body)
{
  Exchange x = { hub, { 0 }, NULL, NULL, NULL, NULL };

  add_common (&x, body);

  return json_response (status, body);
}

MotcuaHubResponse *
_motcua_hub_error_from (const GError *error)
{
  return error_from (error);
}

MotcuaHubResponse *
_motcua_hub_parse_body (const MotcuaHubRequest *request,
                        const char *const      *members,
                        JsonNode              **out)
{
  Exchange x = { NULL, { 0 }, request, NULL, NULL, NULL };
  MotcuaHubResponse *response = parse_body (&x, members, NULL);

  *out = g_steal_pointer (&x.body);

  return response;
}

/* A path ending in "*" matches any last segment. */
static const struct
{
  const char *method;
  const char *path;
  MotcuaHubResponse *(*handler) (Exchange *x);
} routes[] = {
  { "GET", "/v1/status", handle_status },
  { "POST", "/v1/enroll", handle_enroll },
  { "POST", "/v1/push", handle_push },
  { "POST", "/v1/pull", handle_pull },
  { "POST", "/v1/lease", handle_lease },
  { "POST", "/v1/blobs/status", handle_blobs_status },
  { "GET", "/v1/blobs/*", handle_blob_get },
  { "PUT", "/v1/blobs/*", handle_blob_put },
};

static gboolean
route_matches (const char *route,
               const char *path)
{
  gsize prefix = strlen (route) - 1;

  if (path == NULL)
    return FALSE;
  if (route[prefix] != '*')
    return strcmp (route, path) == 0;

  return strncmp (route, path, prefix) == 0 && path[prefix] != '\0'
         && strchr (path + prefix, '/') == NULL;
}

/* The endpoint as the server's log names it. */
static char *
endpoint_name (const MotcuaHubRequest *request)
{
  if (request->path == NULL || !g_str_has_prefix (request->path, "/v1/"))
    return g_strdup ("-");
  if (route_matches ("/v1/blobs/*", request->path)
      && strcmp (request->path, "/v1/blobs/status") != 0)
    return g_strdup (g_strcmp0 (request->method, "PUT") == 0 ? "blob-put" : "blob-get");

  return g_strdup (request->path + 4);
}

static MotcuaHubResponse *
dispatch (Exchange *x)
{
  const MotcuaHubRequest *request = x->request;
  g_autoptr(GError) error = NULL;
  MotcuaHubResponse *response;
  gboolean path_known = FALSE;

  for (guint r = 0; r < G_N_ELEMENTS (routes); r++)
    {
      if (!route_matches (routes[r].path, request->path))
        continue;
      path_known = TRUE;
      if (g_strcmp0 (request->method, routes[r].method) != 0)
        continue;

      if ((response = check_versions (x)) != NULL)
        return response;
      if (request->token == NULL || *request->token == '\0')
        return motcua_hub_error_response (401, "no-token",
                                           _("This request needs the replica's token"
                                             " (Authorization: Bearer …)"));
      x->peer = _motcua_hub_authenticate (x->hub, request->token, &error);
      if (x->peer == NULL)
        return error_from (error);

      return routes[r].handler (x);
    }

  if (path_known)
    return motcua_hub_error_response (405, "method-not-allowed",
                                       _("That method is not allowed here"));

  return motcua_hub_error_response (404, "not-found", _("No such endpoint"));
}

MotcuaHubResponse *
_motcua_hub_handle (MotcuaReplica          *hub,
                    const MotcuaHubLimits  *limits,
                    const MotcuaHubRequest *request)
{
  Exchange x = { hub, { 0 }, request, NULL, NULL, NULL };
  MotcuaHubResponse *response;

  if (limits != NULL)
    x.limits = *limits;
  if (x.limits.max_changes_per_push == 0)
    x.limits.max_changes_per_push = 5000;
  if (x.limits.max_changes_per_pull == 0)
    x.limits.max_changes_per_pull = MOTCUA_HUB_MAX_CHANGES_PER_PULL;
  if (x.limits.max_blob_size == 0)
    x.limits.max_blob_size = 20 * 1024 * 1024;
  if (x.limits.max_skew_ms == 0)
    x.limits.max_skew_ms = MOTCUA_MAX_SKEW_MS;
  if (request->query != NULL)
    x.query = g_uri_parse_params (request->query, -1, "&", G_URI_PARAMS_NONE, NULL);

  response = dispatch (&x);

  g_free (response->replica);
  g_free (response->endpoint);
  response->replica = x.peer != NULL ? g_strdup_printf ("%s/%s", x.peer->office_code,
                                                        x.peer->token_id)
                                     : g_strdup ("-");
  response->endpoint = endpoint_name (request);
  response->token_id = x.peer != NULL ? g_strdup (x.peer->token_id) : NULL;
  exchange_clear (&x);

  return response;
}
