/* motcua-transport.c: HTTP (libsoup) and in-process transports
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-transport-private.h"

void
_motcua_transport_free (MotcuaTransport *self)
{
  if (self == NULL)
    return;

  g_free (self->token);
  self->klass->free (self);
}

/* gzip */

/* Runs @data through @converter whole, refusing an output past @max_size, input that ends too
 * soon and input left over after the end. */
static GBytes *
convert (GConverter  *converter,
         GBytes      *data,
         gsize        max_size,
         GError     **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize in_left = 0;
  const guint8 *in = data != NULL ? g_bytes_get_data (data, &in_left) : NULL;
  guint8 buf[16384];

  if (in == NULL)
    in = (const guint8 *) "";

  for (;;)
    {
      gsize read = 0, written = 0;
      GConverterResult result;

      result = g_converter_convert (converter, in, in_left, buf, sizeof buf,
                                    G_CONVERTER_INPUT_AT_END, &read, &written, error);
      if (result == G_CONVERTER_ERROR)
        return NULL;
      in += read;
      in_left -= read;
      g_byte_array_append (out, buf, (guint) written);
      if (out->len > max_size)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       _("The body is larger than %lu bytes once unpacked"),
                       (unsigned long) max_size);
          return NULL;
        }
      if (result == G_CONVERTER_FINISHED)
        break;
      if (read == 0 && written == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The gzip data ends too soon"));
          return NULL;
        }
    }

  if (in_left > 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("There is more data after the end of the gzip data"));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
motcua_gzip (GBytes *data,
             int     level)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP,
                                                                 level);

  return convert (G_CONVERTER (compressor), data, G_MAXSIZE, NULL);
}

GBytes *
motcua_gunzip (GBytes  *data,
                gsize    max_size,
                GError **error)
{
  g_autoptr(GZlibDecompressor) decompressor =
    g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);

  return convert (G_CONVERTER (decompressor), data, max_size, error);
}

/* The bytes of scans (PUT and GET /v1/blobs/<sha256>) travel as they are: scans are
 * compressed already, and gzip would only cost time on both ends. */
static gboolean
carries_scan (const char *path_and_query)
{
  return g_str_has_prefix (path_and_query, "/v1/blobs/")
         && !g_str_has_prefix (path_and_query, "/v1/blobs/status");
}

/* HTTP */

typedef struct
{
  MotcuaTransport  parent;
  SoupSession     *session;
  char            *base_url;
} HttpTransport;

/* libsoup adds "Connection: Keep-Alive" to every request as it sends it, for HTTP/1.0 servers;
 * an HTTP/1.1 connection is kept open without it (RFC 9112, 9.3), and on an idle sync it is
 * 5 % of the bytes. "starting" comes after libsoup's headers and before they are written. */
static void
drop_keep_alive (SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  if (soup_message_get_http_version (msg) == SOUP_HTTP_1_1
      && soup_message_headers_header_equals (headers, "Connection", "Keep-Alive"))
    soup_message_headers_remove (headers, "Connection");
}

static gboolean
http_exchange (MotcuaTransport  *transport,
               MotcuaExchange   *x,
               GCancellable     *cancellable,
               GError          **error)
{
  HttpTransport *self = (HttpTransport *) transport;
  g_autofree char *url = g_strconcat (self->base_url, x->path_and_query, NULL);
  g_autofree char *auth = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new (x->method, url);
  g_autoptr(GBytes) wire = NULL;
  const char *encoding;

  x->response = NULL;
  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("“%s” is not a URL"), url);
      return FALSE;
    }

  if (transport->token != NULL)
    {
      auth = g_strconcat ("Bearer ", transport->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  /* An answer without a request body (status, a scan's bytes) is small or compressed
   * already: the server would not gzip it, so saying it may is bytes for nothing. */
  if (x->body != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Encoding",
                                  "gzip");
  /* libsoup sends a POST on a new connection unless told it may be repeated: every request of
   * protocol v1 may (a push is acknowledged again, a pull or a scan is read again, a repeated
   * lease only skips a block), and a new connection costs a round trip on a slow link. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  g_signal_connect (msg, "starting", G_CALLBACK (drop_keep_alive), NULL);
  x->wire_out = 0;
  if (x->body != NULL && carries_scan (x->path_and_query))
    {
      x->wire_out = g_bytes_get_size (x->body);
      soup_message_set_request_body_from_bytes (msg, "application/octet-stream", x->body);
    }
  else if (x->body != NULL && g_bytes_get_size (x->body) <= MOTCUA_GZIP_MIN_BYTES)
    {
      x->wire_out = g_bytes_get_size (x->body);
      soup_message_set_request_body_from_bytes (msg, "application/json", x->body);
    }
  else if (x->body != NULL)
    {
      g_autoptr(GBytes) packed = motcua_gzip (x->body, MOTCUA_GZIP_REQUEST_LEVEL);

      x->wire_out = g_bytes_get_size (packed);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Encoding",
                                    "gzip");
      soup_message_set_request_body_from_bytes (msg, "application/json", packed);
    }

  wire = soup_session_send_and_read (self->session, msg, cancellable, error);
  if (wire == NULL)
    return FALSE;

  x->wire_in = g_bytes_get_size (wire);
  x->status = soup_message_get_status (msg);
  encoding = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                           "Content-Encoding");
  if (encoding != NULL && g_ascii_strcasecmp (encoding, "gzip") == 0)
    {
      /* A body cut short fails here, as a network error: the request is retried. */
      x->response = motcua_gunzip (wire, 512 * 1024 * 1024, error);
      if (x->response == NULL)
        return FALSE;
    }
  else
    x->response = g_steal_pointer (&wire);

  return TRUE;
}

static void
http_free (MotcuaTransport *transport)
{
  HttpTransport *self = (HttpTransport *) transport;

  g_clear_object (&self->session);
  g_free (self->base_url);
  g_free (self);
}

static const MotcuaTransportClass http_class = { http_exchange, http_free };

MotcuaTransport *
_motcua_transport_new_http (const char  *base_url,
                            const char  *token,
                            GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  HttpTransport *self;

  if (uri == NULL
      || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0
          && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
      || g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("server: “%s” is not an http:// or https:// URL"), base_url);
      return NULL;
    }

  self = g_new0 (HttpTransport, 1);
  self->parent.klass = &http_class;
  self->parent.token = g_strdup (token);
  /* Slow links: a generous timeout, but one. No User-Agent: nobody reads it, and every byte
   * of an idle sync counts on 2G. */
  self->session = soup_session_new_with_options ("timeout", 120, "idle-timeout", 60,
                                                 "user-agent", NULL, NULL);
  /* Bodies are unpacked here, so the bytes on the wire can be counted. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_CONTENT_DECODER);
  self->base_url = g_strdup (base_url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';

  return &self->parent;
}

/* In process */

typedef struct
{
  MotcuaTransport  parent;
  MotcuaReplica   *hub;
  MotcuaHubLimits  limits;
} LocalTransport;

static gboolean
local_exchange (MotcuaTransport  *transport,
                MotcuaExchange   *x,
                GCancellable     *cancellable,
                GError          **error)
{
  LocalTransport *self = (LocalTransport *) transport;
  g_autofree char *path = g_strdup (x->path_and_query);
  char *query = strchr (path, '?');
  g_autoptr(MotcuaHubResponse) answer = NULL;
  MotcuaHubRequest request = { x->method, path, NULL, transport->token, x->body };

  x->response = NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (query != NULL)
    {
      *query = '\0';
      request.query = query + 1;
    }

  answer = _motcua_hub_handle (self->hub, &self->limits, &request);
  x->status = answer->status;
  x->response = g_bytes_ref (answer->body);

  /* What HTTP with gzip would carry, bodies only; scans travel as they are. */
  x->wire_out = 0;
  if (x->body != NULL && carries_scan (x->path_and_query))
    x->wire_out = g_bytes_get_size (x->body);
  else if (x->body != NULL)
    {
      g_autoptr(GBytes) packed = motcua_gzip (x->body, MOTCUA_GZIP_REQUEST_LEVEL);

      x->wire_out = g_bytes_get_size (packed);
    }
  if (g_strcmp0 (answer->content_type, "application/json") != 0)
    x->wire_in = g_bytes_get_size (answer->body);
  else
    {
      g_autoptr(GBytes) packed = motcua_gzip (answer->body, MOTCUA_GZIP_ANSWER_LEVEL);

      x->wire_in = MIN (g_bytes_get_size (packed), g_bytes_get_size (answer->body));
    }

  return TRUE;
}

static void
local_free (MotcuaTransport *transport)
{
  LocalTransport *self = (LocalTransport *) transport;

  g_clear_object (&self->hub);
  g_free (self);
}

static const MotcuaTransportClass local_class = { local_exchange, local_free };

MotcuaTransport *
_motcua_transport_new_local (MotcuaReplica         *hub,
                             const MotcuaHubLimits *limits,
                             const char            *token)
{
  LocalTransport *self = g_new0 (LocalTransport, 1);

  self->parent.klass = &local_class;
  self->parent.token = g_strdup (token);
  self->hub = g_object_ref (hub);
  if (limits != NULL)
    self->limits = *limits;

  return &self->parent;
}

guint
_motcua_retry_after (GBytes *answer,
                     guint   fallback)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size = 0;
  const char *data = answer != NULL ? g_bytes_get_data (answer, &size) : NULL;
  JsonNode *root, *e, *seconds;

  if (data == NULL || !json_parser_load_from_data (parser, data, (gssize) size, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || (e = json_object_get_member (json_node_get_object (root), "error")) == NULL
      || !JSON_NODE_HOLDS_OBJECT (e)
      || (seconds = json_object_get_member (json_node_get_object (e), "retry_after")) == NULL
      || !JSON_NODE_HOLDS_VALUE (seconds) || json_node_get_value_type (seconds) != G_TYPE_INT64)
    return CLAMP (fallback, 1, MOTCUA_MAX_RETRY_AFTER);

  return (guint) CLAMP (json_node_get_int (seconds), 1, MOTCUA_MAX_RETRY_AFTER);
}

gboolean
_motcua_wait_cancellable (guint          seconds,
                          GCancellable  *cancellable,
                          GError       **error)
{
  for (guint i = 0; i < seconds * 10; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (G_USEC_PER_SEC / 10);
    }

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}
