/* motcua-server-http.c: protocol v1 over HTTP(S), with libsoup 3
 *
 * Everything runs on the main loop of one thread. libsoup reads requests asynchronously, so a
 * slow client holds only its own connection; the hub's work (SQLite, short and synchronous) runs
 * in the handler. This file owns what belongs to the transport:
 * - the body limit: a Content-Length above max-body-bytes is answered 413 as soon as the headers
 *   are in, before any of the body is read; a chunked body is cut at the limit; a gzip body may
 *   not inflate past it either;
 * - a token bucket per replica (its token id, once the hub has accepted that token; the
 *   client's address before): 429 with Retry-After (the buckets: motcua-server-limits.c);
 * - slow clients: a request whose headers and body are not in after slow-client-timeout-s gets
 *   408 and its connection is closed;
 * - gzip both ways, one log line per request, and a clean stop on SIGTERM or SIGINT: no new
 *   connections, the requests in flight finish, then the store is closed.
 * Every error has the protocol's shape, {"error": {"code", "message"}}, made by the hub's own
 * motcua_hub_error_response().
 *
 * Answering before the body is read means taking the connection from libsoup
 * (soup_server_message_steal_connection()), writing the response ourselves and closing it
 * gently: the rest of what the client sends is read and dropped for a moment first, so that
 * closing does not reset the connection before the client has read the answer
 * (motcua-server-linger.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* The umbrella first: the private header names public ones. */
#include <motcua/motcua.h>

#include "motcua-server-private.h"

#define REQUEST_KEY       "motcua-server-request"
#define SOCKET_SEEN_KEY   "motcua-server-seen"
#define SOCKET_IDLE_KEY   "motcua-server-idle"

/* RFC 6585; libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

typedef struct
{
  const MotcuaServerConfig *config;
  MotcuaHub                *hub;
  MotcuaHubLimits           limits;
  SoupServer               *soup;
  GSocket                  *socket;      /* the listening socket */
  GMainLoop                *loop;
  MotcuaRateLimits         *buckets;     /* per rate key */
  GHashTable               *known;       /* ids of the tokens the hub has accepted */
  guint                     in_flight;   /* requests between their headers and their end */
  gboolean                  stopping;
  guint                     grace_id;
} HttpServer;

/* What the server knows of one request; owned by its SoupServerMessage. */
typedef struct
{
  HttpServer        *server;
  SoupServerMessage *msg;
  gint64             started_us;
  guint64            body_bytes;
  GSource           *deadline;      /* until the request is read whole */
  gboolean           counted;       /* its headers are in: in flight until it ends */
  gboolean           ended;         /* logged and no longer in flight */
  /* From the hub's response, for the log; NULL when the server answered by itself. */
  char              *replica;
  char              *endpoint;
  guint              changes_in;
  guint              changes_out;
  guint64            bytes_in;      /* of a scan: blob-put, blob-get */
  guint64            bytes_out;
} Request;

/* The log: one line per event on standard error, which the journal timestamps. Its lines are
 * read by scripts and monitoring, so they are not translated; the error messages sent to
 * replicas are. */
static void log_line (const char *format,
                      ...) G_GNUC_PRINTF (1, 2);

static void
log_line (const char *format,
          ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "%s\n", line);
  fflush (stderr);
}

/* In flight */

static void
server_release (HttpServer *server)
{
  g_assert (server->in_flight > 0);

  server->in_flight--;
  if (server->stopping && server->in_flight == 0)
    g_main_loop_quit (server->loop);
}

static void
server_release_data (gpointer data)
{
  server_release (data);
}

static void
request_clear_deadline (Request *request)
{
  if (request->deadline != NULL)
    {
      g_source_destroy (request->deadline);
      g_clear_pointer (&request->deadline, g_source_unref);
    }
}

static void
request_free (gpointer data)
{
  Request *request = data;

  request_clear_deadline (request);
  g_free (request->replica);
  g_free (request->endpoint);
  g_free (request);
}

/* Logs the request and ends its time in flight, once. */
static void
request_end (Request  *request,
             guint     status,
             gboolean  aborted)
{
  SoupServerMessage *msg = request->msg;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  long long ms = (g_get_monotonic_time () - request->started_us) / 1000;

  if (request->ended)
    return;
  request->ended = TRUE;
  request_clear_deadline (request);

  if (request->replica != NULL && (request->bytes_in > 0 || request->bytes_out > 0))
    log_line ("%s %s in=%u out=%u ms=%lld status=%u bytes_in=%llu bytes_out=%llu%s",
              request->replica, request->endpoint != NULL ? request->endpoint : "-",
              request->changes_in, request->changes_out, ms, status,
              (unsigned long long) request->bytes_in, (unsigned long long) request->bytes_out,
              aborted ? " aborted" : "");
  else if (request->replica != NULL)
    log_line ("%s %s in=%u out=%u ms=%lld status=%u%s", request->replica,
              request->endpoint != NULL ? request->endpoint : "-", request->changes_in,
              request->changes_out, ms, status, aborted ? " aborted" : "");
  else
    log_line ("- - in=0 out=0 ms=%lld status=%u %s %s%s", ms, status,
              method != NULL ? method : "-", uri != NULL ? g_uri_get_path (uri) : "-",
              aborted ? " aborted" : "");

  if (request->counted)
    server_release (request->server);
}

/* Responses */

static gboolean
accepts_gzip (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Accept-Encoding");
  GSList *unacceptable = NULL;
  GSList *acceptable;
  gboolean gzip = FALSE;

  if (header == NULL)
    return FALSE;

  acceptable = soup_header_parse_quality_list (header, &unacceptable);
  for (GSList *l = acceptable; l != NULL && !gzip; l = l->next)
    gzip = g_ascii_strcasecmp (l->data, "gzip") == 0;
  soup_header_free_list (acceptable);
  soup_header_free_list (unacceptable);

  return gzip;
}

static const char *
reason_phrase (guint status)
{
  if (status == STATUS_TOO_MANY_REQUESTS)
    return "Too Many Requests";

  return soup_status_get_phrase (status);
}

/* Puts @response (the hub's, or one of the server's own errors) on @msg. */
static void
respond (HttpServer        *server,
         SoupServerMessage *msg,
         MotcuaHubResponse *response,
         guint              retry_after)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) body = response->body != NULL ? g_bytes_ref (response->body) : NULL;

  /* JSON shrinks several times over; scans are compressed already. */
  if (body != NULL && g_bytes_get_size (body) > MOTCUA_GZIP_MIN_BYTES
      && g_strcmp0 (response->content_type, "application/json") == 0)
    {
      soup_message_headers_append (headers, "Vary", "Accept-Encoding");
      if (accepts_gzip (msg))
        {
          GBytes *compressed = motcua_gzip (body, MOTCUA_GZIP_ANSWER_LEVEL);

          if (compressed != NULL)
            {
              g_bytes_unref (body);
              body = compressed;
              soup_message_headers_replace (headers, "Content-Encoding", "gzip");
            }
        }
    }

  if (retry_after > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", retry_after);

      soup_message_headers_replace (headers, "Retry-After", seconds);
    }

  /* A stopping server finishes this request, and takes no other on the connection. */
  if (server->stopping)
    soup_message_headers_replace (headers, "Connection", "close");

  soup_server_message_set_status (msg, response->status, reason_phrase (response->status));
  if (body != NULL)
    {
      soup_message_headers_set_content_type (headers, response->content_type, NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
    }
}

/* Answers @request with @response now, whatever of its body is still to come, and closes the
 * connection. */
static void
reply_early (Request           *request,
             MotcuaHubResponse *response)
{
  HttpServer *server = request->server;
  g_autoptr(SoupServerMessage) msg = g_object_ref (request->msg);
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GString) reply = g_string_new (NULL);
  gsize body_size = 0;
  const char *body = response->body != NULL ? g_bytes_get_data (response->body, &body_size) : NULL;

  /* The answer is in flight until its connection is closed; counted before the request stops
   * being, so that a stop waiting for the last request also waits for it. */
  server->in_flight++;
  request_end (request, response->status, FALSE);
  stream = soup_server_message_steal_connection (msg);   /* @request may be gone now */
  if (stream == NULL)
    {
      server_release (server);
      return;
    }

  g_string_append_printf (reply, "HTTP/1.1 %u %s\r\n", response->status,
                          reason_phrase (response->status));
  g_string_append_printf (reply, "Content-Type: %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n\r\n", response->content_type, body_size);
  if (body != NULL)
    g_string_append_len (reply, body, (gssize) body_size);

  motcua_server_linger (g_steal_pointer (&stream),
                        g_string_free_to_bytes (g_steal_pointer (&reply)),
                        server_release_data, server);
}

static void
reply_too_large (Request *request)
{
  g_autofree char *message = NULL;
  g_autoptr(MotcuaHubResponse) response = NULL;

  message = g_strdup_printf (_("The request body is larger than this server accepts (%llu "
                               "bytes): send fewer changes at a time"),
                             (unsigned long long) request->server->config->max_body_bytes);
  response = motcua_hub_error_response (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "body-too-large",
                                         message);
  reply_early (request, response);
}

/* Rate limits */

/* The token of “Authorization: Bearer TOKEN”, borrowed, or NULL. */
static const char *
bearer_token (SoupServerMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  value += 7;
  while (*value == ' ')
    value++;

  return *value != '\0' ? value : NULL;
}

/* Whom a request counts against: the replica its token names (the token id, before the dot),
 * once the hub has accepted that token; before that, the address it comes from, so that made-up
 * tokens cannot each bring a fresh bucket. */
static char *
rate_key (HttpServer        *server,
          SoupServerMessage *msg)
{
  const char *token = bearer_token (msg);
  const char *host;

  if (token != NULL)
    {
      g_autofree char *token_id = g_strndup (token, strcspn (token, "."));

      if (g_hash_table_contains (server->known, token_id))
        return g_strconcat ("token ", token_id, NULL);
    }
  host = soup_server_message_get_remote_host (msg);

  return g_strconcat ("address ", host != NULL ? host : "-", NULL);
}

/* The life of a request */

static void
on_got_headers (SoupServerMessage *msg,
                Request           *request)
{
  HttpServer *server = request->server;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char *key = NULL;
  guint retry_after = 0;

  request->counted = TRUE;
  server->in_flight++;

  /* libsoup has answered it already (a bad request line, say). */
  if (soup_server_message_get_status (msg) != 0)
    return;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && (guint64) soup_message_headers_get_content_length (headers)
         > server->config->max_body_bytes)
    {
      reply_too_large (request);
      return;
    }

  key = rate_key (server, msg);
  if (!motcua_rate_limits_take (server->buckets, key, &retry_after))
    {
      g_autoptr(MotcuaHubResponse) response = NULL;
      g_autofree char *message = NULL;

      message = g_strdup_printf (ngettext ("Too many requests: try again in %u second",
                                           "Too many requests: try again in %u seconds",
                                           retry_after), retry_after);
      response = motcua_hub_busy_response (message, retry_after);
      /* libsoup sends it once the body is in (read, and dropped); the handler is not called. */
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      respond (server, msg, response, retry_after);
    }
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              Request           *request)
{
  request->body_bytes += g_bytes_get_size (chunk);
  if (request->body_bytes > request->server->config->max_body_bytes)
    reply_too_large (request);
}

static gboolean
on_deadline (gpointer data)
{
  Request *request = data;
  g_autoptr(SoupServerMessage) msg = g_object_ref (request->msg);
  g_autoptr(MotcuaHubResponse) response = NULL;
  g_autofree char *message = NULL;

  g_clear_pointer (&request->deadline, g_source_unref);

  if (!request->counted)
    {
      GSocket *socket = soup_server_message_get_socket (msg);

      /* Not even the headers are in (or, with TLS, perhaps not the handshake): libsoup has
       * no request to answer, and no way to answer one it is still reading. Without TLS the
       * client is told on the socket itself (libsoup only reads from it now), best effort and
       * without blocking; then closing the socket lets libsoup drop the connection its usual
       * way. With TLS, bytes written past the TLS stream would be garbage to the client. */
      request_end (request, SOUP_STATUS_REQUEST_TIMEOUT, FALSE);
      if (socket != NULL && request->server->config->tls_cert == NULL)
        {
          g_autoptr(MotcuaHubResponse) timeout = NULL;
          g_autoptr(GString) reply = g_string_new (NULL);
          g_autofree char *text = NULL;
          gsize size = 0;
          const char *body;

          text = g_strdup_printf (ngettext ("The request was not received whole within %u"
                                            " second: the connection is too slow, or the"
                                            " client stalled",
                                            "The request was not received whole within %u"
                                            " seconds: the connection is too slow, or the"
                                            " client stalled",
                                            request->server->config->slow_client_timeout_s),
                                  request->server->config->slow_client_timeout_s);
          timeout = motcua_hub_error_response (SOUP_STATUS_REQUEST_TIMEOUT, "request-timeout",
                                                text);
          body = g_bytes_get_data (timeout->body, &size);
          g_string_append_printf (reply, "HTTP/1.1 408 %s\r\nContent-Type: %s\r\n"
                                  "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                  "Connection: close\r\n\r\n",
                                  reason_phrase (SOUP_STATUS_REQUEST_TIMEOUT),
                                  timeout->content_type, size);
          g_string_append_len (reply, body, (gssize) size);
          g_socket_send_with_blocking (socket, reply->str, reply->len, FALSE, NULL, NULL);
        }
      if (socket != NULL)
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
      return G_SOURCE_REMOVE;
    }

  message = g_strdup_printf (ngettext ("The request was not received whole within %u second: "
                                       "the connection is too slow, or the client stalled",
                                       "The request was not received whole within %u seconds: "
                                       "the connection is too slow, or the client stalled",
                                       request->server->config->slow_client_timeout_s),
                             request->server->config->slow_client_timeout_s);
  response = motcua_hub_error_response (SOUP_STATUS_REQUEST_TIMEOUT, "request-timeout", message);
  reply_early (request, response);

  return G_SOURCE_REMOVE;
}

/* libsoup before 3.4.0 keeps a reference to every socket it accepts, so each connection leaks
 * its GSocket (336 bytes) for the life of the server (fixed upstream by commit b545d5f0,
 * “soup-listener: Plug a leak”; Debian 12 has 3.2.3). At the first request of a connection,
 * libsoup's connection holds the socket once, or twice with the leak: then the leaked reference
 * is dropped here, once per socket. Delete this when libsoup 3.4 is the oldest supported. */
static void
plug_accepted_socket_leak (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket == NULL || soup_get_major_version () != 3 || soup_get_minor_version () >= 4
      || g_object_get_data (G_OBJECT (socket), SOCKET_SEEN_KEY) != NULL)
    return;

  g_object_set_data (G_OBJECT (socket), SOCKET_SEEN_KEY, GINT_TO_POINTER (TRUE));
  if (g_atomic_int_get (&G_OBJECT (socket)->ref_count) == 2)
    g_object_unref (socket);
}

/* Idle connections: libsoup keeps a connection open between requests for as long as the client
 * likes. One left idle for slow-client-timeout-s is closed (its socket shut down, which libsoup
 * sees as the client leaving), so idle connections cannot pile up. The timer lives on the
 * socket, and a new request on the connection cancels it. */
static gboolean
on_idle_timeout (gpointer data)
{
  GSocket *socket = data;

  g_socket_shutdown (socket, TRUE, TRUE, NULL);
  g_object_set_data (G_OBJECT (socket), SOCKET_IDLE_KEY, NULL);

  return G_SOURCE_REMOVE;
}

static void
idle_source_free (gpointer data)
{
  g_source_destroy (data);
  g_source_unref (data);
}

static void
watch_idle_connection (HttpServer        *server,
                       SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  GSource *idle;

  if (socket == NULL)
    return;

  idle = g_timeout_source_new (server->config->slow_client_timeout_s * 1000);
  g_source_set_callback (idle, on_idle_timeout, socket, NULL);
  g_source_attach (idle, NULL);
  g_object_set_data_full (G_OBJECT (socket), SOCKET_IDLE_KEY, idle, idle_source_free);
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    HttpServer        *server)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Request *request = g_new0 (Request, 1);

  plug_accepted_socket_leak (msg);
  if (socket != NULL)
    g_object_set_data (G_OBJECT (socket), SOCKET_IDLE_KEY, NULL);

  request->server = server;
  request->msg = msg;
  request->started_us = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), REQUEST_KEY, request, request_free);

  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), request);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), request);

  /* Not a seconds source: those may fire up to a quarter of a second early. */
  request->deadline = g_timeout_source_new (server->config->slow_client_timeout_s * 1000);
  g_source_set_callback (request->deadline, on_deadline, request, NULL);
  g_source_attach (request->deadline, NULL);
}

static void
on_request_finished (SoupServer        *soup,
                     SoupServerMessage *msg,
                     HttpServer        *server)
{
  Request *request = g_object_get_data (G_OBJECT (msg), REQUEST_KEY);

  if (request != NULL)
    request_end (request, soup_server_message_get_status (msg), FALSE);
  watch_idle_connection (server, msg);
}

static void
on_request_aborted (SoupServer        *soup,
                    SoupServerMessage *msg,
                    HttpServer        *server)
{
  Request *request = g_object_get_data (G_OBJECT (msg), REQUEST_KEY);

  if (request != NULL)
    request_end (request, soup_server_message_get_status (msg), TRUE);
}

/* The body as the hub takes it: gzip undone. NULL with @response set when it cannot be. */
static GBytes *
request_body (HttpServer         *server,
              SoupServerMessage  *msg,
              MotcuaHubResponse **response)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *encoding = soup_message_headers_get_one (headers, "Content-Encoding");
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GError) error = NULL;
  GBytes *inflated;

  if (encoding == NULL || g_ascii_strcasecmp (encoding, "identity") == 0)
    return g_steal_pointer (&body);

  if (g_ascii_strcasecmp (encoding, "gzip") != 0)
    {
      g_autofree char *message = g_strdup_printf (_("Content-Encoding “%s” is not supported: "
                                                    "send gzip, or nothing"), encoding);

      *response = motcua_hub_error_response (SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                              "unsupported-encoding", message);
      return NULL;
    }

  inflated = motcua_gunzip (body, server->config->max_body_bytes, &error);
  if (inflated == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        {
          *response = motcua_hub_error_response (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                                  "body-too-large", error->message);
          return NULL;
        }
      message = g_strdup_printf (_("The body is not valid gzip: %s"), error->message);
      *response = motcua_hub_error_response (SOUP_STATUS_BAD_REQUEST, "bad-gzip", message);
      return NULL;
    }

  return inflated;
}

static void
handle_request (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           data)
{
  HttpServer *server = data;
  Request *request = g_object_get_data (G_OBJECT (msg), REQUEST_KEY);
  g_autoptr(MotcuaHubResponse) response = NULL;
  g_autoptr(GBytes) body = NULL;
  MotcuaHubRequest hub_request = { NULL };

  g_assert (request != NULL);
  request_clear_deadline (request);

  if (!g_str_equal (path, "/v1") && !g_str_has_prefix (path, "/v1/"))
    {
      g_autofree char *message = g_strdup_printf (_("There is nothing at %s: the protocol is "
                                                    "under /v1/"), path);

      response = motcua_hub_error_response (SOUP_STATUS_NOT_FOUND, "not-found", message);
      respond (server, msg, response, 0);
      return;
    }

  body = request_body (server, msg, &response);
  if (response != NULL)
    {
      respond (server, msg, response, 0);
      return;
    }

  hub_request.method = soup_server_message_get_method (msg);
  hub_request.path = path;
  hub_request.query = g_uri_get_query (soup_server_message_get_uri (msg));
  hub_request.token = bearer_token (msg);
  hub_request.body = body != NULL && g_bytes_get_size (body) > 0 ? body : NULL;
  response = motcua_hub_handle (server->hub, &server->limits, &hub_request);

  if (response->token_id != NULL && !g_hash_table_contains (server->known, response->token_id))
    g_hash_table_add (server->known, g_strdup (response->token_id));
  request->replica = g_strdup (response->replica != NULL ? response->replica : "-");
  request->endpoint = g_strdup (response->endpoint);
  request->changes_in = response->changes_in;
  request->changes_out = response->changes_out;
  request->bytes_in = response->bytes_in;
  request->bytes_out = response->bytes_out;
  respond (server, msg, response, 0);
}

/* Stopping */

static gboolean
on_grace_over (gpointer data)
{
  HttpServer *server = data;

  server->grace_id = 0;
  log_line ("stopping now: %u %s did not finish in time", server->in_flight,
            server->in_flight == 1 ? "request" : "requests");
  g_main_loop_quit (server->loop);

  return G_SOURCE_REMOVE;
}

static gboolean
on_stop_signal (gpointer data)
{
  HttpServer *server = data;
  g_autoptr(GError) error = NULL;

  if (server->stopping)
    {
      /* Asked twice: stop now. */
      g_main_loop_quit (server->loop);
      return G_SOURCE_CONTINUE;
    }
  server->stopping = TRUE;

  /* No new connections: the listening socket stops listening (its descriptor stays open until
   * libsoup lets it go, so nothing else can take its number meanwhile). Connections already
   * open finish their request and are closed. */
  if (!g_socket_shutdown (server->socket, TRUE, FALSE, &error))
    log_line ("stopping: %s", error->message);

  log_line ("stopping: %u %s in flight", server->in_flight,
            server->in_flight == 1 ? "request" : "requests");
  if (server->in_flight == 0)
    g_main_loop_quit (server->loop);
  else
    server->grace_id = g_timeout_add_seconds (server->config->slow_client_timeout_s,
                                              on_grace_over, server);

  return G_SOURCE_CONTINUE;
}

/* Serving */

static GSocket *
listen_on (const MotcuaServerConfig  *config,
           GError                   **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (config->listen);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) local_error = NULL;

  if (inet == NULL)
    {
      motcua_set_usage_error (error, _("listen “%s” must be an IP address"),
                              config->listen);
      return NULL;
    }
  address = g_inet_socket_address_new (inet, (guint16) config->port);
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  /* A province's offices come back online together (the network returns, the day starts):
   * with GSocket's default backlog of 10, the kernel drops their SYNs and they wait seconds
   * to retry. 200 replicas at once synced in 4.5 s instead of 8.2 s with this. */
  g_socket_set_listen_backlog (socket, 1024);
  if (!g_socket_bind (socket, address, TRUE, &local_error)
      || !g_socket_listen (socket, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Cannot listen on %s port %u: %s"), config->listen, config->port,
                   local_error->message);
      return NULL;
    }

  return g_steal_pointer (&socket);
}

static char *
describe_address (GSocket  *socket,
                  gboolean  https,
                  GError  **error)
{
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (socket, error);
  g_autofree char *host = NULL;
  GInetAddress *inet;

  if (bound == NULL)
    return NULL;
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (bound));
  host = g_inet_address_to_string (inet);

  return g_strdup_printf (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6
                          ? "%s://[%s]:%u" : "%s://%s:%u",
                          https ? "https" : "http", host,
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

static GTlsCertificate *
load_certificate (const MotcuaServerConfig  *config,
                  GError                   **error)
{
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *certificate;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_UNAVAILABLE,
                           _("HTTPS is not available: install glib-networking"));
      return NULL;
    }
  certificate = g_tls_certificate_new_from_files (config->tls_cert, config->tls_key,
                                                  &local_error);
  if (certificate == NULL)
    motcua_set_usage_error (error, _("Cannot use the certificate %s with the key %s: %s"),
                            config->tls_cert, config->tls_key, local_error->message);

  return certificate;
}

gboolean
motcua_server_serve (MotcuaHub                 *hub,
                     const MotcuaServerConfig  *config,
                     GError                   **error)
{
  HttpServer server = { NULL };
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *url = NULL;
  guint sigterm_id, sigint_id;

  if (config->tls_cert != NULL)
    {
      certificate = load_certificate (config, error);
      if (certificate == NULL)
        return FALSE;
    }

  server.config = config;
  server.hub = hub;
  server.limits.max_changes_per_push = config->max_changes_per_push;
  server.limits.max_changes_per_pull = config->max_changes_per_pull;
  server.limits.max_blob_size = (gint64) config->max_blob_bytes;
  server.socket = listen_on (config, error);
  if (server.socket == NULL)
    return FALSE;
  server.buckets = motcua_rate_limits_new (config->requests_per_second, config->burst);
  server.known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server.loop = g_main_loop_new (NULL, FALSE);
  /* No Server header: nobody reads it, and every byte of an idle sync counts on 2G. */
  server.soup = soup_server_new ("server-header", NULL, "tls-certificate", certificate, NULL);
  g_signal_connect (server.soup, "request-started", G_CALLBACK (on_request_started), &server);
  g_signal_connect (server.soup, "request-finished", G_CALLBACK (on_request_finished), &server);
  g_signal_connect (server.soup, "request-aborted", G_CALLBACK (on_request_aborted), &server);
  soup_server_add_handler (server.soup, NULL, handle_request, &server, NULL);

  if (!soup_server_listen_socket (server.soup, server.socket,
                                  certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, error)
      || (url = describe_address (server.socket, certificate != NULL, error)) == NULL)
    {
      g_clear_object (&server.soup);
      g_clear_object (&server.socket);
      g_clear_pointer (&server.loop, g_main_loop_unref);
      g_clear_pointer (&server.buckets, motcua_rate_limits_free);
      g_clear_pointer (&server.known, g_hash_table_unref);
      return FALSE;
    }

  /* The one line on standard output: scripts and tests read the port from it. */
  motcua_print ("listening on %s\n", url);
  fflush (stdout);

  sigterm_id = g_unix_signal_add (SIGTERM, on_stop_signal, &server);
  sigint_id = g_unix_signal_add (SIGINT, on_stop_signal, &server);
  g_main_loop_run (server.loop);
  g_clear_handle_id (&server.grace_id, g_source_remove);

  /* Closes the connections still open (idle ones, or those that outlived the grace), then lets
   * what they leave behind run down before the store is closed by the caller. */
  soup_server_disconnect (server.soup);
  for (guint i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_signal_handlers_disconnect_by_data (server.soup, &server);
  g_clear_object (&server.soup);
  g_clear_object (&server.socket);
  g_clear_pointer (&server.loop, g_main_loop_unref);
  g_clear_pointer (&server.buckets, motcua_rate_limits_free);
  g_clear_pointer (&server.known, g_hash_table_unref);
  log_line ("stopped");

  /* Until here a signal only asked again for what is under way. */
  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);

  return TRUE;
}
