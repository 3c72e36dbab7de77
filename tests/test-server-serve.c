/* test-server-serve.c: motcua-server serving on 127.0.0.1: errors, limits, clients, stop, HTTPS
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "test-server.h"

/* Serving */

typedef struct
{
  GSubprocess *process;
  char        *url;
  guint16      port;
  char        *log;
  gboolean     https;
} Server;

/* Starts `serve` with [server] @config_lines (plus port=0) and any @flags. */
static Server *
server_start (Fixture           *f,
              const char        *config_lines,
              const char *const *flags)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *contents = g_strdup_printf ("[server]\nport=0\nlisten=127.0.0.1\n%s",
                                               config_lines != NULL ? config_lines : "");
  g_autofree char *config = write_file (f, "server.conf", contents);
  Server *server = g_new0 (Server, 1);

  g_ptr_array_add (argv, (gpointer) g_getenv ("MOTCUA_SERVER"));
  g_ptr_array_add (argv, (gpointer) "--config");
  g_ptr_array_add (argv, config);
  g_ptr_array_add (argv, (gpointer) "--store");
  g_ptr_array_add (argv, f->store);
  g_ptr_array_add (argv, (gpointer) "serve");
  for (guint i = 0; flags != NULL && flags[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) flags[i]);
  g_ptr_array_add (argv, NULL);

  server->log = g_build_filename (f->dir, "server.log", NULL);
  launcher = motcua_test_launcher_new (f->dir, G_SUBPROCESS_FLAGS_STDOUT_PIPE, "C");
  server->process = motcua_test_server_spawn (launcher, (const char *const *) argv->pdata,
                                              server->log, &server->url);
  server->port = motcua_test_url_port (server->url);
  server->https = g_str_has_prefix (server->url, "https:");

  return server;
}

static char *
server_log (Server *server)
{
  char *log = NULL;

  g_file_get_contents (server->log, &log, NULL, NULL);

  return log != NULL ? log : g_strdup ("");
}

/* The server exits 0 and says "stopped"; returns its log. */
static char *
server_wait (Server *server)
{
  char *log = motcua_test_server_wait (server->process, server->log);

  g_test_message ("server log:\n%s", log);

  return log;
}

/* SIGTERM, then as server_wait(). */
static char *
server_stop (Server *server)
{
  g_subprocess_send_signal (server->process, SIGTERM);

  return server_wait (server);
}

static void
server_free (Server *server)
{
  g_clear_object (&server->process);
  g_free (server->url);
  g_free (server->log);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

typedef MotcuaTestReply Reply;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, motcua_test_reply_free)

/* @path with the protocol and schema versions every request carries. */
static char *
versioned (const char *path)
{
  return g_strdup_printf ("%s?protocol=%d&schema=%d", path, MOTCUA_PROTOCOL_VERSION,
                          MOTCUA_SCHEMA_VERSION);
}

/* One request, with @token's bearer unless NULL. */
static Reply *
request (Server     *server,
         const char *method,
         const char *path,
         const char *token,
         const char *content_encoding,
         GBytes     *body)
{
  g_autofree char *authorization = token != NULL ? g_strconcat ("Bearer ", token, NULL) : NULL;

  return motcua_test_request (server->url, method, path, authorization, content_encoding, body);
}

static GSocketConnection *
raw_connect (Server *server)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", server->port, NULL, &error);
  g_assert_no_error (error);
  /* A guard, not an expectation. */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 60);

  return connection;
}

static void
raw_write (GSocketConnection *connection,
           const char        *text)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), text,
                             strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Everything the server sends until it closes the connection. */
static char *
raw_read_all (GSocketConnection *connection)
{
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint8 buffer[4096];
  gssize n;

  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer, sizeof buffer, NULL, &error)) > 0)
    g_byte_array_append (all, buffer, (guint) n);
  g_assert_no_error (error);
  g_byte_array_append (all, (const guint8 *) "", 1);

  return (char *) g_byte_array_free (g_steal_pointer (&all), FALSE);
}

/* An HTTP response as text: its status, and its body's JSON error. */
static void
assert_raw_error (const char *response,
                  guint       status,
                  const char *code)
{
  g_autofree char *status_line = g_strdup_printf ("HTTP/1.1 %u ", status);
  const char *body = strstr (response, "\r\n\r\n");

  g_test_message ("response: %s", response);
  g_assert_true (g_str_has_prefix (response, status_line));
  g_assert_nonnull (strstr (response, "Content-Type: application/json\r\n"));
  g_assert_nonnull (body);
  assert_json_error (body + 4, -1, code);
}

static void
test_serve_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Server) server = NULL;
  g_autoptr(Reply) status = NULL;
  g_autoptr(Reply) elsewhere = NULL;
  g_autoptr(Reply) bad_gzip = NULL;
  g_autoptr(Reply) big = NULL;
  g_autoptr(GSocketConnection) declared = NULL;
  g_autoptr(GBytes) garbage = g_bytes_new_static ("not gzip at all", 15);
  g_autoptr(GBytes) too_big = NULL;
  g_autofree char *path = versioned ("/v1/status");
  g_autofree char *response = NULL;
  g_autofree char *log = NULL;

  init_store (f);
  server = server_start (f, "max-body-bytes=65536\n", NULL);

  /* No token. */
  status = request (server, "GET", path, NULL, NULL, NULL);
  g_assert_cmpuint (status->status, ==, 401);
  assert_json_error (status->body, (gssize) status->length, NULL);

  elsewhere = request (server, "GET", "/index.html", NULL, NULL, NULL);
  g_assert_cmpuint (elsewhere->status, ==, 404);
  assert_json_error (elsewhere->body, (gssize) elsewhere->length, "not-found");

  bad_gzip = request (server, "POST", "/v1/push", NULL, "gzip", garbage);
  g_assert_cmpuint (bad_gzip->status, ==, 400);
  assert_json_error (bad_gzip->body, (gssize) bad_gzip->length, "bad-gzip");

  /* A body larger than the limit, sent whole: refused, and the client reads why. */
  too_big = g_bytes_new_take (g_strnfill (100000, ' '), 100000);
  big = request (server, "POST", "/v1/push", NULL, NULL, too_big);
  g_assert_cmpuint (big->status, ==, 413);
  assert_json_error (big->body, (gssize) big->length, "body-too-large");

  /* Announced larger than the limit: answered from the headers alone, the body never sent. */
  declared = raw_connect (server);
  raw_write (declared, "POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n");
  response = raw_read_all (declared);
  assert_raw_error (response, 413, "body-too-large");

  log = server_stop (server);
  /* One line per request; those the server answered itself say what they were. */
  g_assert_nonnull (strstr (log, "status=413 POST /v1/push"));
  g_assert_nonnull (strstr (log, "status=400 POST /v1/push"));
  g_assert_nonnull (strstr (log, "status=404 GET /index.html"));
}

static void
test_serve_rate_limit (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Run) enroll = NULL;
  g_autoptr(Server) server = NULL;
  g_autoptr(GPtrArray) replies =
    g_ptr_array_new_with_free_func ((GDestroyNotify) motcua_test_reply_free);
  g_autofree char *path = versioned ("/v1/status");
  g_autofree char *token = NULL;
  g_autofree char *log = NULL;
  Reply *reply;

  init_store (f);
  enroll = server_run (f, "replicas", "enroll", "LC.NN.NM", NULL);
  assert_ok (enroll);
  token = g_strchomp (g_strdup (enroll->out));

  /* Buckets of two that refill once in 1000 seconds. */
  server = server_start (f, "requests-per-second=0.001\nburst=2\n", NULL);

  /* Until the hub accepts a token, requests count against their address: the replica's first
   * one, then a made-up token; another made-up token finds the bucket empty. */
  g_ptr_array_add (replies, request (server, "GET", path, token, NULL, NULL));
  g_ptr_array_add (replies, request (server, "GET", path, "0123456789abcdef.00", NULL, NULL));
  g_ptr_array_add (replies, request (server, "GET", path, "fedcba9876543210.00", NULL, NULL));
  g_assert_cmpuint (((Reply *) replies->pdata[0])->status, ==, 200);
  g_assert_cmpuint (((Reply *) replies->pdata[1])->status, ==, 401);
  reply = replies->pdata[2];
  g_assert_cmpuint (reply->status, ==, 429);
  assert_json_error (reply->body, (gssize) reply->length, "too-many-requests");
  g_assert_nonnull (reply->retry_after);
  g_assert_cmpuint (g_ascii_strtoull (reply->retry_after, NULL, 10), >=, 1);
  /* In the body too, where the replica reads it. */
  g_assert_nonnull (g_strstr_len (reply->body, (gssize) reply->length, "\"retry_after\":"));

  /* The replica has a bucket of its own now: two more, then 429. */
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (replies, request (server, "GET", path, token, NULL, NULL));
  g_assert_cmpuint (((Reply *) replies->pdata[3])->status, ==, 200);
  g_assert_cmpuint (((Reply *) replies->pdata[4])->status, ==, 200);
  reply = replies->pdata[5];
  g_assert_cmpuint (reply->status, ==, 429);
  assert_json_error (reply->body, (gssize) reply->length, "too-many-requests");

  log = server_stop (server);
  g_assert_nonnull (strstr (log, "status=429 GET /v1/status"));
}

typedef struct
{
  Server   *server;
  GMutex    mutex;
  GCond     cond;
  gboolean  started;
  char     *response;
} SlowClient;

/* Sends a request with Content-Length: 100, then its body one byte every 200 ms, until the
 * server answers. */
static gpointer
slow_client_run (gpointer data)
{
  SlowClient *slow = data;
  g_autoptr(GSocketConnection) connection = raw_connect (slow->server);
  GSocket *socket = g_socket_connection_get_socket (connection);

  raw_write (connection, "POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
  g_mutex_lock (&slow->mutex);
  slow->started = TRUE;
  g_cond_signal (&slow->cond);
  g_mutex_unlock (&slow->mutex);

  for (guint i = 1; i < 100; i++)
    {
      if (g_socket_condition_timed_wait (socket, G_IO_IN, 200 * 1000, NULL, NULL))
        break;
      raw_write (connection, " ");
    }
  slow->response = raw_read_all (connection);

  return NULL;
}

static void
test_serve_slow_client (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Server) server = NULL;
  g_autoptr(Reply) normal = NULL;
  g_autoptr(GThread) thread = NULL;
  g_autofree char *path = versioned ("/v1/status");
  g_autofree char *log = NULL;
  SlowClient slow = { NULL };

  init_store (f);
  server = server_start (f, "slow-client-timeout-s=1\n", NULL);

  slow.server = server;
  g_mutex_init (&slow.mutex);
  g_cond_init (&slow.cond);
  thread = g_thread_new ("slow-client", slow_client_run, &slow);
  g_mutex_lock (&slow.mutex);
  while (!slow.started)
    g_cond_wait (&slow.cond, &slow.mutex);
  g_mutex_unlock (&slow.mutex);

  /* Others are served meanwhile. */
  normal = request (server, "GET", path, NULL, NULL, NULL);
  g_assert_cmpuint (normal->status, ==, 401);

  g_thread_join (g_steal_pointer (&thread));
  assert_raw_error (slow.response, 408, "request-timeout");
  g_free (slow.response);
  g_mutex_clear (&slow.mutex);
  g_cond_clear (&slow.cond);

  log = server_stop (server);
  g_assert_nonnull (strstr (log, "status=408 POST /v1/push"));
}

static GBytes *
gzip_bytes (GBytes *bytes)
{
  g_autoptr(GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) zipped = g_converter_output_stream_new (memory, G_CONVERTER (gzip));
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (zipped, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (zipped, NULL, &error);
  g_assert_no_error (error);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* A connection left idle after its request is closed: idle connections cannot pile up. */
static void
test_serve_idle (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Server) server = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *path = versioned ("/v1/status");
  g_autofree char *head = NULL;
  g_autofree char *response = NULL;
  g_autofree char *log = NULL;

  init_store (f);
  server = server_start (f, "slow-client-timeout-s=1\n", NULL);

  connection = raw_connect (server);
  head = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", path);
  raw_write (connection, head);
  /* The answer, then the end of the stream once the connection has idled. */
  response = raw_read_all (connection);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 401 "));
  g_assert_null (strstr (response, "Connection: close"));

  log = server_stop (server);
}

/* A replica's exchanges, end to end through the server: gzip both ways. */
static void
test_serve_replica (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *catalogue = data_file ("catalogue.json");
  g_autoptr(Run) published = NULL;
  g_autoptr(Run) enroll = NULL;
  g_autoptr(Run) enroll_live = NULL;
  g_autoptr(Server) server = NULL;
  g_autoptr(Reply) status = NULL;
  g_autoptr(Reply) pull = NULL;
  g_autoptr(Reply) push = NULL;
  g_autoptr(GBytes) pull_body = g_bytes_new_static ("{\"cursor\":null,\"limit\":50}", 26);
  g_autoptr(GBytes) push_body = g_bytes_new_static ("{\"changes\":[]}", 14);
  g_autoptr(GBytes) push_gzip = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *status_path = versioned ("/v1/status");
  g_autofree char *pull_path = versioned ("/v1/pull");
  g_autofree char *push_path = versioned ("/v1/push");
  g_autofree char *log = NULL;
  g_autofree char *token = NULL;

  init_store (f);
  published = server_run (f, "publish", "catalogue", catalogue, NULL);
  assert_ok (published);
  enroll = server_run (f, "replicas", "enroll", "LC.NN.NM", NULL);
  assert_ok (enroll);
  token = g_strchomp (g_strdup (enroll->out));

  server = server_start (f, NULL, NULL);

  status = request (server, "GET", status_path, token, NULL, NULL);
  g_assert_cmpuint (status->status, ==, 200);
  root = motcua_test_parse_json (status->body, (gssize) status->length);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "office"), ==,
                   "LC.NN.NM");

  /* The catalogue is more than a kilobyte: it comes gzipped. */
  pull = request (server, "POST", pull_path, token, NULL, pull_body);
  g_assert_cmpuint (pull->status, ==, 200);
  g_assert_cmpstr (pull->content_encoding, ==, "gzip");
  g_clear_pointer (&root, json_node_unref);
  root = motcua_test_parse_json (pull->body, (gssize) pull->length);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  /* A gzipped request body reaches the hub inflated. */
  push_gzip = gzip_bytes (push_body);
  push = request (server, "POST", push_path, token, "gzip", push_gzip);
  g_test_message ("push: %u %s", push->status, push->body);
  g_assert_cmpuint (push->status, ==, 200);

  /* Every administration command works beside the running server; a second server and a
   * restore are refused. */
  enroll_live = server_run (f, "replicas", "enroll", "LC.NN", NULL);
  assert_ok (enroll_live);
  {
    g_autoptr(Run) live = server_run (f, "offices", "add", "LC.NN.X", "--name", "X", "--level",
                                      "commune", "--parent", "LC.NN", NULL);
    g_autoptr(Run) twice = server_run (f, "serve", "--port", "0", NULL);
    g_autoptr(Run) restore = server_run (f, "restore", f->store, NULL);

    assert_ok (live);
    assert_error (twice, 1, "in use");
    assert_error (restore, 1, "in use");
  }

  log = server_stop (server);
  /* The replica's lines name it and its endpoint. */
  g_assert_nonnull (strstr (log, "LC.NN.NM"));
  g_assert_nonnull (strstr (log, " pull in="));
}

/* SIGTERM: no new connections, the request in flight is answered, then the server exits 0. */
static void
test_serve_stop (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Server) server = NULL;
  g_autoptr(GSocketConnection) in_flight = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = versioned ("/v1/push");
  g_autofree char *head = NULL;
  g_autofree char *response = NULL;
  g_autofree char *log = NULL;
  char buffer[256] = { 0 };
  gssize n;

  init_store (f);
  server = server_start (f, NULL, NULL);

  /* With Expect: 100-continue, the interim answer says the server has the request's headers: it
   * is in flight. */
  in_flight = raw_connect (server);
  head = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                          "Content-Type: application/json\r\nContent-Length: 14\r\n\r\n", path);
  raw_write (in_flight, head);
  n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (in_flight)), buffer,
                           sizeof buffer - 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
  g_assert_true (g_str_has_prefix (buffer, "HTTP/1.1 100 Continue\r\n"));

  g_subprocess_send_signal (server->process, SIGTERM);
  for (guint i = 0; i < 600; i++)
    {
      g_autofree char *so_far = server_log (server);

      if (strstr (so_far, "stopping: ") != NULL)
        {
          g_assert_nonnull (strstr (so_far, "stopping: 1 request in flight"));
          break;
        }
      g_usleep (100 * 1000);
    }

  refused = g_socket_client_connect_to_host (client, "127.0.0.1", server->port, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_null (refused);

  raw_write (in_flight, "{\"changes\":[]}");
  response = raw_read_all (in_flight);
  g_test_message ("response: %s", response);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 401 "));
  g_assert_nonnull (strstr (response, "Connection: close\r\n"));

  log = server_wait (server);
  g_assert_nonnull (strstr (log, "status=401"));
}

static void
test_serve_https (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cert = g_build_filename (f->dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "key.pem", NULL);
  g_autoptr(Server) server = NULL;
  g_autoptr(Reply) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = versioned ("/v1/status");
  g_autofree char *log = NULL;
  int wait_status = 0;

#ifdef __SANITIZE_ADDRESS__
  /* After a TLS handshake, LeakSanitizer's tracer crashes at exit (signal 11 reading a bogus
   * dynamic-TLS range of a worker thread that ran GnuTLS; GCC 12's libsanitizer with glibc
   * 2.36), in the server and in this process alike. The plain build runs this test. */
  g_test_skip ("LeakSanitizer cannot scan a process that ran GnuTLS here");
  return;
#endif

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return;
    }
  if (openssl == NULL)
    {
      g_test_skip ("no openssl to make a test certificate");
      return;
    }

  {
    const char *argv[] = {
      openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1", NULL
    };

    g_spawn_sync (f->dir, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL
                  | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &wait_status, &error);
    g_assert_no_error (error);
    g_spawn_check_wait_status (wait_status, &error);
    g_assert_no_error (error);
  }

  init_store (f);
  server = server_start (f, NULL, (const char *const[]) { "--tls-cert", cert, "--tls-key", key,
                                                         NULL });
  g_assert_true (server->https);

  status = request (server, "GET", path, NULL, NULL, NULL);
  g_assert_cmpuint (status->status, ==, 401);
  assert_json_error (status->body, (gssize) status->length, NULL);

  log = server_stop (server);
}

void
test_server_serve_add_tests (void)
{
  SERVER_ADD ("serve/errors", test_serve_errors);
  SERVER_ADD ("serve/rate-limit", test_serve_rate_limit);
  SERVER_ADD ("serve/slow-client", test_serve_slow_client);
  SERVER_ADD ("serve/idle", test_serve_idle);
  SERVER_ADD ("serve/replica", test_serve_replica);
  SERVER_ADD ("serve/stop", test_serve_stop);
  SERVER_ADD ("serve/https", test_serve_https);
}
