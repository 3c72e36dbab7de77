/* test-security-input.c: the province's authority, and bad or stalled input, over HTTP
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "motcua-test-server.h"
#include "motcua-test-utils.h"
#include "test-security.h"

/* Authority: the catalogue, offices and calendar are the province's */

static void
test_authority (Fixture       *f,
                gconstpointer  data)
{
  static const struct { const char *office, *desk; } writers[] = {
    { "LC.NN.NM", "01a20000-0000-7000-8000-00000000c001" },
    { "LC.NN", "01a20000-0000-7000-8000-00000000d001" },
  };
  g_autofree char *procedure = uuid_of ("procedure", PROCEDURE);
  g_autofree char *office = uuid_of ("office", "LC.NN.NH");
  g_autofree char *parent = uuid_of ("office", "LC.NN.NM");
  g_autofree char *day = uuid_of ("calendar", "2026-01-01");
  g_autofree char *before = district_state (f);
  g_autofree char *after = NULL;

  for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
    {
      g_autofree char *token = enroll_token (f, writers[w].office);
      g_autoptr(JsonArray) forged = json_array_new ();
      const char *desk = writers[w].desk;
      JsonObject *fee = change_new (desk, 1, "procedures", procedure, "fee");

      /* Each kind of row, changed and made anew. */
      json_object_set_int_member (fee, "v", 999999);
      json_array_add_object_element (forged, fee);
      add_text_change (forged, desk, "procedures", procedure, "name", "Thủ tục giả");
      add_text_change (forged, desk, "procedures", "01a20000-0000-7000-8000-00000000e001",
                       "code", "GIA.001");
      add_text_change (forged, desk, "offices", office, "name", "Xã Bị Chiếm");
      add_text_change (forged, desk, "offices", office, "parent_id", parent);
      add_text_change (forged, desk, "offices", "01a20000-0000-7000-8000-00000000e002", "code",
                       "LC.NN.GIA");
      add_text_change (forged, desk, "calendar", day, "kind", "working");
      add_text_change (forged, desk, "calendar", "01a20000-0000-7000-8000-00000000e003", "date",
                       "2026-12-31");

      g_test_message ("%s writing the catalogue, offices and calendar", writers[w].office);
      {
        g_autoptr(JsonArray) rejected = push_refused (f, token, forged, NULL);

        for (guint i = 0; i < json_array_get_length (rejected); i++)
          {
            JsonObject *r = json_array_get_object_element (rejected, i);
            const char *table = json_object_get_string_member (
              json_array_get_object_element (forged, i), "t");
            g_autofree char *reason = g_strdup_printf ("only a province replica writes %s",
                                                       table);

            g_assert_cmpstr (json_object_get_string_member (r, "reason"), ==, reason);
          }
      }
    }

  /* Nothing of it reached anyone. */
  after = district_state (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_null (strstr (after, "Xã Bị Chiếm"));
  g_assert_null (strstr (after, "Thủ tục giả"));
  g_assert_null (strstr (after, "GIA.001"));
  assert_still_serving (f);
}

/* Bad input */

static GSocketConnection *
raw_connect (Fixture *f)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;
  guint16 port = motcua_test_url_port (f->url);

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  /* A guard, not an expectation. */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 60);

  return connection;
}

/* Writes @data; FALSE once the server has closed the connection (it answered early). */
static gboolean
raw_write (GSocketConnection *connection,
           const void        *data,
           gsize              size)
{
  return g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                    data, size, NULL, NULL, NULL);
}

/* Everything the server sends until it closes the connection. */
static char *
raw_read_all (GSocketConnection *connection)
{
  g_autoptr(GByteArray) all = g_byte_array_new ();
  guint8 buffer[4096];
  gssize n;

  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer, sizeof buffer, NULL, NULL)) > 0)
    g_byte_array_append (all, buffer, (guint) n);
  g_byte_array_append (all, (const guint8 *) "", 1);

  return (char *) g_byte_array_free (g_steal_pointer (&all), FALSE);
}

static GBytes *
gzip_bytes (const void *data,
            gsize       size)
{
  g_autoptr(GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) zipped = g_converter_output_stream_new (memory, G_CONVERTER (gzip));
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (zipped, data, size, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (zipped, NULL, &error);
  g_assert_no_error (error);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* A's second desk's acknowledged sequence number, as the server tells it. */
gint64
acked (Fixture    *f,
       const char *token)
{
  g_autofree char *path = v1 ("status");
  g_autoptr(Reply) reply = request (f, "GET", path, token, NULL);
  g_autoptr(JsonNode) root = assert_ok (reply);

  return json_object_get_int_member (json_node_get_object (root), "acked");
}

/* @body to @endpoint with @token: @status and @code; the others are still served. Returns the
 * error's message. */
static char *
expect (Fixture    *f,
        const char *endpoint,
        const char *token,
        const char *body,
        guint       status,
        const char *code)
{
  g_autofree char *path = v1 (endpoint);
  g_autoptr(Reply) reply = request (f, "POST", path, token, body);
  char *message = assert_error (reply, status, code);

  assert_still_serving (f);

  return message;
}

static void
expect_push (Fixture    *f,
             const char *token,
             const char *body,
             guint       status,
             const char *code)
{
  g_free (expect (f, "push", token, body, status, code));
}

/* A push of one change made of @members (JSON text, without braces). */
static void
expect_change (Fixture    *f,
               const char *token,
               const char *members,
               guint       status,
               const char *code)
{
  g_autofree char *body = g_strdup_printf ("{\"changes\":[{%s}]}", members);

  expect_push (f, token, body, status, code);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *token = enroll_token (f, "LC.NN.NM");
  const char *desk = "01a20000-0000-7000-8000-00000000f001";
  g_autofree char *good = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, hlc_now ());
  g_autofree char *head = g_strdup_printf ("\"o\":\"%s\",\"s\":2,\"h\":%s,\"p\":0", desk, now);
  g_autofree char *on_a = g_strdup_printf ("%s,\"t\":\"cases\",\"r\":\"%s\"", head, f->a_id);

  /* One good change binds the token to the desk: the sequence is at 1. */
  {
    g_autoptr(JsonArray) changes = json_array_new ();
    g_autofree char *path = v1 ("push");
    g_autoptr(Reply) reply = NULL;
    g_autoptr(JsonNode) root = NULL;

    add_text_change (changes, desk, "cases", f->a_id, "address", "Bản Nậm Manh");
    good = push_body (changes);
    reply = request (f, "POST", path, token, good);
    root = assert_ok (reply);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "acked"), ==, 1);
  }
  before = district_state (f);

  /* Not JSON, or not one object. */
  expect_push (f, token, "", 400, "bad-json");
  expect_push (f, token, "{", 400, "bad-json");
  expect_push (f, token, "not json at all", 400, "bad-json");
  expect_push (f, token, "[]", 400, "bad-json");
  expect_push (f, token, "\"changes\"", 400, "bad-json");
  expect_push (f, token, "{\"changes\":[]} {\"changes\":[]}", 400, "bad-json");
  expect_push (f, token, "{\"changes\":[\"\xff\xfe\"]}", 400, "bad-json");
  {
    g_autoptr(GString) deep = g_string_new ("{\"changes\":");

    for (guint i = 0; i < 10000; i++)
      g_string_append_c (deep, '[');
    for (guint i = 0; i < 10000; i++)
      g_string_append_c (deep, ']');
    g_string_append_c (deep, '}');
    expect_push (f, token, deep->str, 400, "bad-json");
  }

  /* Missing, unknown and mistyped fields of a request. */
  expect_push (f, token, "{}", 400, "invalid");
  expect_push (f, token, "{\"changes\":[],\"since\":0}", 400, "unknown-field");
  expect_push (f, token, "{\"changes\":{}}", 400, "invalid");
  expect_push (f, token, "{\"changes\":\"all\"}", 400, "invalid");
  expect_push (f, token, "{\"changes\":null}", 400, "invalid");
  g_free (expect (f, "pull", token, "{\"cursor\":5}", 400, "invalid"));
  /* Cursors the server never gave: malformed, or past the end of its log. */
  {
    static const char *const cursors[] = { "garbage", "s1.99.0", "-1", "999999", "s999999.0.0" };

    for (guint i = 0; i < G_N_ELEMENTS (cursors); i++)
      {
        g_autofree char *body = g_strdup_printf ("{\"cursor\":\"%s\"}", cursors[i]);
        g_autofree char *message = expect (f, "pull", token, body, 400, "unknown-cursor");

        g_assert_nonnull (strstr (message, cursors[i]));
      }
  }
  g_free (expect (f, "pull", token, "{\"cursor\":null,\"limit\":0}", 400, "invalid"));
  g_free (expect (f, "pull", token, "{\"cursor\":null,\"limit\":\"all\"}", 400, "invalid"));
  g_free (expect (f, "pull", token, "{\"cursor\":null,\"limit\":2.5}", 400, "invalid"));
  g_free (expect (f, "pull", token, "{\"cursor\":null,\"since\":0}", 400, "unknown-field"));
  g_free (expect (f, "lease", token, "{\"year\":2026,\"count\":10}", 400, "invalid"));
  g_free (expect (f, "lease", token, "{\"office\":\"LC.NN.NM\",\"year\":\"2026\",\"count\":10}",
                  400, "invalid"));
  g_free (expect (f, "lease", token, "{\"office\":\"LC.NN.NM\",\"year\":2026,\"count\":0}",
                  400, "invalid"));
  g_free (expect (f, "lease", token,
                  "{\"office\":\"LC.NN.NM\",\"year\":2026,\"count\":100000000}", 400,
                  "invalid"));
  g_free (expect (f, "enroll", token, "{\"replica\":\"not a uuid\"}", 400, "invalid"));
  g_free (expect (f, "enroll", token, "{\"replica\":\"01a20000-0000-7000-8000-00000000f002\"}",
                  409, "exists"));

  /* Changes: missing members, wrong types, unknown tables and columns. */
  expect_change (f, token, "\"o\":\"x\",\"s\":2", 400, "invalid");
  expect_change (f, token, head, 400, "invalid");
  {
    g_autofree char *s_text = g_strdup_printf ("\"o\":\"%s\",\"s\":\"2\",\"h\":%s,\"p\":0,"
                                               "\"t\":\"cases\",\"r\":\"%s\",\"c\":\"address\","
                                               "\"v\":\"x\"", desk, now, f->a_id);
    g_autofree char *s_float = g_strdup_printf ("\"o\":\"%s\",\"s\":2.0,\"h\":%s,\"p\":0,"
                                                "\"t\":\"cases\",\"r\":\"%s\",\"c\":\"address\","
                                                "\"v\":\"x\"", desk, now, f->a_id);
    g_autofree char *h_text = g_strdup_printf ("\"o\":\"%s\",\"s\":2,\"h\":\"soon\",\"p\":0,"
                                               "\"t\":\"cases\",\"r\":\"%s\",\"c\":\"address\","
                                               "\"v\":\"x\"", desk, f->a_id);
    g_autofree char *r_bad = g_strdup_printf ("%s,\"t\":\"cases\",\"r\":\"case-1\","
                                              "\"c\":\"address\",\"v\":\"x\"", head);
    g_autofree char *t_number = g_strdup_printf ("%s,\"t\":4,\"r\":\"%s\",\"c\":\"address\","
                                                 "\"v\":\"x\"", head, f->a_id);
    g_autofree char *t_unknown = g_strdup_printf ("%s,\"t\":\"hub_replicas\",\"r\":\"%s\","
                                                  "\"c\":\"token_hash\",\"v\":\"x\"", head,
                                                  f->a_id);
    g_autofree char *c_unknown = g_strdup_printf ("%s,\"c\":\"_seq\",\"v\":1", on_a);
    g_autofree char *c_number = g_strdup_printf ("%s,\"c\":7,\"v\":\"x\"", on_a);
    g_autofree char *v_object = g_strdup_printf ("%s,\"c\":\"address\",\"v\":{\"a\":1}", on_a);
    g_autofree char *v_type = g_strdup_printf ("%s,\"c\":\"rating\",\"v\":\"five\"", on_a);
    g_autofree char *v_status = g_strdup_printf ("%s,\"c\":\"status\",\"v\":\"approved\"", on_a);
    g_autofree char *v_id = g_strdup_printf ("%s,\"c\":\"handling_office_id\",\"v\":\"LC.NN\"",
                                             on_a);
    g_autofree char *row_unknown = g_strdup_printf ("%s,\"t\":\"case_events\",\"r\":"
                                                    "\"01a20000-0000-7000-8000-0000000000e1\","
                                                    "\"c\":null,\"v\":{\"case_id\":\"%s\","
                                                    "\"password\":\"x\"}", head, f->a_id);
    g_autofree char *other = g_strdup_printf ("\"o\":\"01a20000-0000-7000-8000-00000000f003\","
                                              "\"s\":2,\"h\":%s,\"p\":0,\"t\":\"cases\","
                                              "\"r\":\"%s\",\"c\":\"address\",\"v\":\"x\"", now,
                                              f->a_id);
    g_autofree char *s_zero = g_strdup_printf ("\"o\":\"%s\",\"s\":0,\"h\":%s,\"p\":0,"
                                               "\"t\":\"cases\",\"r\":\"%s\",\"c\":\"address\","
                                               "\"v\":\"x\"", desk, now, f->a_id);
    const char *invalid[] = { s_text, s_float, h_text, r_bad, t_number, t_unknown, c_unknown,
                              c_number, v_object, v_type, v_status, v_id, row_unknown, other,
                              s_zero };

    for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
      {
        g_test_message ("change {%.200s}", invalid[i]);
        expect_change (f, token, invalid[i], 400, "invalid");
      }
  }

  /* A gap in the sequence. */
  {
    g_autofree char *gap = g_strdup_printf ("\"o\":\"%s\",\"s\":3,\"h\":%s,\"p\":0,"
                                            "\"t\":\"cases\",\"r\":\"%s\",\"c\":\"address\","
                                            "\"v\":\"x\"", desk, now, f->a_id);
    g_autofree char *far = g_strdup_printf ("\"o\":\"%s\",\"s\":9223372036854775807,\"h\":%s,"
                                            "\"p\":0,\"t\":\"cases\",\"r\":\"%s\","
                                            "\"c\":\"address\",\"v\":\"x\"", desk, now, f->a_id);

    expect_change (f, token, gap, 409, "gap");
    expect_change (f, token, far, 409, "gap");
  }

  /* Stamped an hour ahead of the server's clock: refused, naming by how much. */
  {
    gint64 ahead = ((g_get_real_time () / 1000) + 3600 * 1000) << 16;
    g_autofree char *future = g_strdup_printf ("\"o\":\"%s\",\"s\":2,\"h\":%" G_GINT64_FORMAT ","
                                               "\"p\":0,\"t\":\"cases\",\"r\":\"%s\","
                                               "\"c\":\"address\",\"v\":\"x\"", desk, ahead,
                                               f->a_id);
    g_autofree char *body = g_strdup_printf ("{\"changes\":[{%s}]}", future);
    g_autofree char *message = expect (f, "push", token, body, 400, "clock-skew");

    g_assert_true (strstr (message, "1 h 00 min") != NULL || strstr (message, "0 h 59 min"));
    g_assert_nonnull (strstr (message, "ahead"));
  }

  /* A huge string, in a body under the limit. */
  {
    g_autofree char *huge = g_strnfill (MAX_BODY - 4096, 'x');
    g_autofree char *members = g_strdup_printf ("%s,\"c\":\"address\",\"v\":\"%s\"", on_a, huge);

    expect_change (f, token, members, 400, "invalid");
  }

  /* Too many changes at once. */
  {
    g_autoptr(JsonArray) many = json_array_new ();
    g_autofree char *body = NULL;

    for (guint i = 0; i < 5001; i++)
      add_text_change (many, desk, "cases", f->a_id, "address", "x");
    body = push_body (many);
    g_assert_cmpuint (strlen (body), <, MAX_BODY);
    expect_push (f, token, body, 413, "too-many-changes");
  }

  /* Versions and methods. */
  {
    static const struct { const char *path; guint status; const char *code; } paths[] = {
      { "/v1/push", 400, "missing-version" },
      { "/v1/push?protocol=1", 400, "missing-version" },
      { "/v1/push?protocol=one&schema=4", 400, "missing-version" },
      { "/v1/push?protocol=2&schema=4", 409, "protocol-mismatch" },
      { "/v1/push?protocol=1&schema=1", 409, "update-required" },
      { "/v1/push?protocol=1&schema=99", 409, "server-outdated" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_autoptr(Reply) reply = request (f, "POST", paths[i].path, token, good);
        g_autofree char *message = assert_error (reply, paths[i].status, paths[i].code);
      }
    {
      g_autofree char *path = v1 ("push");
      g_autoptr(Reply) get = request (f, "GET", path, token, NULL);
      g_autoptr(Reply) del = request (f, "DELETE", path, token, NULL);
      g_autofree char *m1 = assert_error (get, 405, "method-not-allowed");
      g_autofree char *m2 = assert_error (del, 405, "method-not-allowed");
    }
  }

  /* Bodies over the limit: chunked, with no length announced; and a small gzip body that
   * inflates past it. */
  {
    g_autoptr(GSocketConnection) connection = raw_connect (f);
    g_autofree char *path = v1 ("push");
    g_autofree char *request_head = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                     "Authorization: Bearer %s\r\n"
                                                     "Content-Type: application/json\r\n"
                                                     "Transfer-Encoding: chunked\r\n\r\n",
                                                     path, token);
    g_autofree char *chunk = g_strnfill (65536, ' ');
    g_autofree char *chunk_head = g_strdup_printf ("%x\r\n", 65536);
    g_autofree char *response = NULL;
    const char *body;

    raw_write (connection, request_head, strlen (request_head));
    for (guint i = 0; i < 2 * MAX_BODY / 65536; i++)
      if (!raw_write (connection, chunk_head, strlen (chunk_head))
          || !raw_write (connection, chunk, 65536) || !raw_write (connection, "\r\n", 2))
        break;
    raw_write (connection, "0\r\n\r\n", 5);
    response = raw_read_all (connection);
    g_test_message ("chunked: %.200s", response);
    g_assert_true (g_str_has_prefix (response, "HTTP/1.1 413 "));
    body = strstr (response, "\r\n\r\n");
    g_assert_nonnull (body);
    g_assert_nonnull (strstr (body, "\"body-too-large\""));
    assert_still_serving (f);
  }
  {
    g_autofree char *spaces = g_strnfill (4 * MAX_BODY, ' ');
    g_autoptr(GBytes) bomb = gzip_bytes (spaces, 4 * MAX_BODY);
    g_autofree char *path = v1 ("push");
    g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
    g_autoptr(Reply) reply = NULL;
    g_autofree char *message = NULL;

    g_assert_cmpuint (g_bytes_get_size (bomb), <, MAX_BODY / 64);
    reply = request_full (f, "POST", path, authorization, "gzip", bomb);
    message = assert_error (reply, 413, "body-too-large");
    assert_still_serving (f);
  }

  /* None of it changed anything: the desk's sequence is where it was, and the district, synced,
   * holds what it held. */
  g_assert_cmpint (acked (f, token), ==, 1);
  after = district_state (f);
  g_assert_cmpstr (before, ==, after);

  /* A huge string is refused where it is written too, so no replica can make a change the
   * server will not take. */
  {
    g_autoptr(GPtrArray) argv = argv_new (g_getenv ("MOTCUA_CLI"), "--db", f->db[A]);
    g_autofree char *huge = g_strnfill (HUGE_FIELD, 'x');
    g_autofree char *err = NULL;

    g_ptr_array_add (argv, g_strdup ("cases"));
    g_ptr_array_add (argv, g_strdup ("edit"));
    g_ptr_array_add (argv, g_strdup (f->a_id));
    g_ptr_array_add (argv, g_strconcat ("address=", huge, NULL));
    g_assert_cmpint (run_argv (f, argv, NULL, &err), ==, 2);
    g_assert_nonnull (strstr (err, "cases.address is longer than"));
  }

  /* And a replica syncs as ever. */
  {
    g_autofree char *summary = NULL;
    g_autoptr(JsonNode) root = NULL;

    g_free (receive (f, B, "Thào A Tiếp", "011100000002", NULL));
    summary = cli (f, B, "--json", "sync", NULL);
    root = motcua_test_parse_json (summary, -1);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "verified"));
  }
}

/* A client that stalls before its headers are in is told 408, with the JSON error body every
 * answer carries, not just dropped. (libsoup 3.2 answers a request line or header it cannot
 * parse itself, with no body and no signal before it writes: see README.md.) */
static void
test_stalled (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *response = NULL;
  const char *body;

  server_stop (f);
  g_clear_pointer (&f->url, g_free);
  server_start (f, "slow-client-timeout-s=1\n");
  connection = raw_connect (f);
  g_assert_true (raw_write (connection, "GET /v1/sta", 11));
  response = raw_read_all (connection);
  g_test_message ("stalled: %.300s", response);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 408 "));
  body = strstr (response, "\r\n\r\n");
  g_assert_nonnull (body);
  g_assert_nonnull (strstr (body, "{\"error\":{\"code\":\"request-timeout\""));
  assert_still_serving (f);
}

void
test_security_input_add_tests (void)
{
  SECURITY_ADD ("authority", test_authority);
  SECURITY_ADD ("bad-input", test_bad_input);
  SECURITY_ADD ("stalled", test_stalled);
}
