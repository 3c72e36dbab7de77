/* test-security.c: tokens, scope, authority and hostile input, over HTTP to a real server
 *
 * A province store with a district LC.NN and its communes LC.NN.NM (A) and LC.NN.NH (B), served
 * by motcua-server on 127.0.0.1; replicas of A, B and the district enrolled with motcua-cli, each
 * with cases of its own. The tests speak protocol v1 themselves with libsoup (see
 * sync/PROTOCOL.md), as a hostile or broken client would: without a token or with a wrong or
 * revoked one; as commune A reading B's cases or writing them; as a commune or district writing
 * the catalogue, offices or calendar; and with bodies that are malformed, mistyped, oversized or
 * stamped in the future. Each gets its 4xx with a JSON error, nothing of B leaks into any
 * answer, nothing refused is applied, and the server goes on serving the others.
 *
 * What test-server.c covers already is not repeated here: no token on /v1/status, 404, a body
 * that is not gzip, a body over the limit sent whole or announced, rate limits, slow clients.
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

/* B's cases: what must never reach A. */
static const char *const b_names[] = { "Hờ Thị Bí Mật", "Sùng Seo Kín Đáo" };
static const char *const b_citizen_ids[] = { "011199887766", "011155443322" };

/* Processes */

GPtrArray *
argv_new (const char *program,
          const char *flag,
          const char *path)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (program);
  g_ptr_array_add (argv, g_strdup (program));
  g_ptr_array_add (argv, g_strdup (flag));
  g_ptr_array_add (argv, g_strdup (path));

  return argv;
}

/* Runs @argv to its end; its exit status, its standard output in @out and its standard error in
 * @err. */
int
run_argv (Fixture    *f,
          GPtrArray  *argv,
          char      **out,
          char      **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(MotcuaTestRun) run = NULL;

  g_ptr_array_add (argv, NULL);
  launcher = motcua_test_launcher_new (f->dir, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                | G_SUBPROCESS_FLAGS_STDERR_PIPE, "C.UTF-8");
  run = motcua_test_run (launcher, (const char *const *) argv->pdata);
  if (run->status != 0)
    g_test_message ("%s %s: exit %d: %s", (char *) argv->pdata[0], (char *) argv->pdata[3],
                    run->status, run->err);
  if (out != NULL)
    *out = g_steal_pointer (&run->out);
  if (err != NULL)
    *err = g_steal_pointer (&run->err);

  return run->status;
}

/* @program @flag @value @first… (@args), which must succeed; its standard output. */
static char *
run_ok (Fixture    *f,
        const char *program,
        const char *flag,
        const char *value,
        const char *first,
        va_list     args)
{
  g_autoptr(GPtrArray) argv = argv_new (program, flag, value);
  char *out = NULL;

  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  g_assert_cmpint (run_argv (f, argv, &out, NULL), ==, 0);

  return out;
}

/* motcua-server --store STORE @first…, which must succeed; its standard output. */
char *
admin (Fixture    *f,
       const char *first,
       ...)
{
  va_list args;
  char *out;

  va_start (args, first);
  out = run_ok (f, g_getenv ("MOTCUA_SERVER"), "--store", f->store, first, args);
  va_end (args);

  return out;
}

/* motcua-cli --db DB @first…, which must succeed; its standard output. */
char *
cli (Fixture    *f,
     guint       r,
     const char *first,
     ...)
{
  va_list args;
  char *out;

  va_start (args, first);
  out = run_ok (f, g_getenv ("MOTCUA_CLI"), "--db", f->db[r], first, args);
  va_end (args);

  return out;
}

/* The server */

void
server_start (Fixture    *f,
              const char *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_build_filename (f->dir, "server.conf", NULL);
  g_autofree char *text = g_strdup_printf ("[server]\nlisten=127.0.0.1\nport=0\n"
                                           "requests-per-second=0\nmax-body-bytes=%d\n%s",
                                           MAX_BODY, extra != NULL ? extra : "");
  const char *argv[] = { g_getenv ("MOTCUA_SERVER"), "--config", config, "--store", f->store,
                         "serve", NULL };

  g_file_set_contents (config, text, -1, &error);
  g_assert_no_error (error);
  launcher = motcua_test_launcher_new (f->dir, G_SUBPROCESS_FLAGS_STDOUT_PIPE, "C.UTF-8");
  f->server = motcua_test_server_spawn (launcher, argv, f->log, &f->url);
  g_assert_true (g_str_has_prefix (f->url, "http://"));
}

/* SIGTERM: it stops cleanly (under AddressSanitizer, with no leak), whatever it was sent. */
void
server_stop (Fixture *f)
{
  g_free (motcua_test_server_stop (f->server, f->log));
  g_clear_object (&f->server);
}

/* The id of a case that @r received, and its receipt number. */
char *
receive (Fixture     *f,
         guint        r,
         const char  *name,
         const char  *citizen_id,
         char       **receipt)
{
  g_autofree char *out = cli (f, r, "--json", "cases", "receive", "--procedure", PROCEDURE,
                              "--name", name, "--citizen-id", citizen_id, NULL);
  g_autoptr(JsonNode) root = motcua_test_parse_json (out, -1);
  JsonObject *o = json_node_get_object (root);

  if (receipt != NULL)
    *receipt = g_strdup (json_object_get_string_member (o, "receipt_no"));

  return g_strdup (json_object_get_string_member (o, "id"));
}

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *catalogue = g_build_filename (g_getenv ("MOTCUA_SOURCE_DATADIR"),
                                                 "catalogue.json", NULL);
  g_autofree char *calendar = g_build_filename (g_getenv ("MOTCUA_SOURCE_DATADIR"),
                                                "calendar-2026.json", NULL);

  f->dir = g_dir_make_tmp ("test-security-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = g_build_filename (f->dir, "province.db", NULL);
  f->log = g_build_filename (f->dir, "server.log", NULL);
  f->b_ids = g_ptr_array_new_with_free_func (g_free);
  f->b_receipts = g_ptr_array_new_with_free_func (g_free);

  launcher = motcua_test_launcher_new (f->dir, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                | G_SUBPROCESS_FLAGS_STDERR_PIPE, "C.UTF-8");
  motcua_test_make_lc_store (launcher, f->store,
                             (const char *const[]) { "LC.NN.NM", "LC.NN.NH", NULL });
  g_free (admin (f, "publish", "catalogue", catalogue, NULL));
  g_free (admin (f, "publish", "calendar", calendar, NULL));
  for (guint r = 0; r < N_REPLICAS; r++)
    {
      f->db[r] = g_strdup_printf ("%s/%s.db", f->dir, replica_info[r].name);
      f->token[r] = g_strchomp (admin (f, "replicas", "enroll", replica_info[r].office, NULL));
    }

  server_start (f, NULL);
  for (guint r = 0; r < N_REPLICAS; r++)
    {
      g_free (cli (f, r, "enroll", "--server", f->url, "--token", f->token[r], NULL));
      g_free (cli (f, r, "sync", NULL));
    }

  /* B's cases, A's, and the district sees them all. */
  for (guint i = 0; i < G_N_ELEMENTS (b_names); i++)
    {
      char *receipt = NULL;

      g_ptr_array_add (f->b_ids, receive (f, B, b_names[i], b_citizen_ids[i], &receipt));
      g_ptr_array_add (f->b_receipts, receipt);
    }
  f->a_id = receive (f, A, "Lò Văn Công Khai", "011122334455", NULL);
  for (guint r = 0; r < N_REPLICAS; r++)
    g_free (cli (f, r, "sync", NULL));
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->server != NULL)
    server_stop (f);
  motcua_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->store);
  g_free (f->url);
  g_free (f->log);
  for (guint r = 0; r < N_REPLICAS; r++)
    {
      g_free (f->db[r]);
      g_free (f->token[r]);
    }
  g_ptr_array_unref (f->b_ids);
  g_ptr_array_unref (f->b_receipts);
  g_free (f->a_id);
}

/* HTTP */

/* @endpoint's path with the versions every request carries. */
char *
v1 (const char *endpoint)
{
  return g_strdup_printf ("/v1/%s?protocol=%d&schema=%d", endpoint, MOTCUA_PROTOCOL_VERSION,
                          MOTCUA_SCHEMA_VERSION);
}

/* One request, with “Authorization: @authorization” unless NULL, and @body; the session undoes
 * the answer's gzip. */
Reply *
request_full (Fixture    *f,
              const char *method,
              const char *path,
              const char *authorization,
              const char *content_encoding,
              GBytes     *body)
{
  return motcua_test_request (f->url, method, path, authorization, content_encoding, body);
}

/* A request with @token's bearer (none for NULL) and @body text (none for NULL). */
Reply *
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *body)
{
  g_autofree char *authorization = token != NULL ? g_strconcat ("Bearer ", token, NULL) : NULL;
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  return request_full (f, method, path, authorization, NULL, bytes);
}

/* @reply is @status with {"error": {"code": @code, "message": "…"}}; returns the message. */
char *
assert_error (Reply      *reply,
              guint       status,
              const char *code)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *error;

  if (reply->status != status)
    g_error ("expected %u %s, got %u: %s", status, code, reply->status, reply->body);
  root = motcua_test_parse_json (reply->body, (gssize) reply->length);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  error = json_object_get_object_member (json_node_get_object (root), "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member_with_default (error, "code", NULL), ==, code);
  g_assert_cmpstr (json_object_get_string_member_with_default (error, "message", ""), !=, "");
  g_test_message ("%u %s: %s", status, code, json_object_get_string_member (error, "message"));

  return g_strdup (json_object_get_string_member (error, "message"));
}

/* A 200 answer's object. */
JsonNode *
assert_ok (Reply *reply)
{
  JsonNode *root;

  if (reply->status != 200)
    g_error ("expected 200, got %u: %s", reply->status, reply->body);
  root = motcua_test_parse_json (reply->body, (gssize) reply->length);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return root;
}

/* Another replica is still served, in full. */
void
assert_still_serving (Fixture *f)
{
  g_autofree char *path = v1 ("status");
  g_autoptr(Reply) reply = request (f, "GET", path, f->token[B], NULL);
  g_autoptr(JsonNode) root = assert_ok (reply);

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "office"), ==,
                   replica_info[B].office);
}

/* Nothing of B's cases in @bytes: no receipt number, name or citizen id, and no id unless
 * @ids_named (the answer to a push may name the ids it was sent). */
static void
assert_nothing_of_b_but (Fixture    *f,
                         const char *bytes,
                         gsize       length,
                         gboolean    ids_named)
{
  g_autoptr(GPtrArray) needles = g_ptr_array_new ();

  if (!ids_named)
    g_ptr_array_extend (needles, f->b_ids, NULL, NULL);
  g_ptr_array_extend (needles, f->b_receipts, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (b_names); i++)
    {
      g_ptr_array_add (needles, (gpointer) b_names[i]);
      g_ptr_array_add (needles, (gpointer) b_citizen_ids[i]);
    }
  for (guint i = 0; i < needles->len; i++)
    if (g_strstr_len (bytes, (gssize) length, needles->pdata[i]) != NULL)
      g_error ("B's “%s” is in an answer to A", (const char *) needles->pdata[i]);
}

void
assert_nothing_of_b (Fixture    *f,
                     const char *bytes,
                     gsize       length)
{
  assert_nothing_of_b_but (f, bytes, length, FALSE);
}

/* All of B's cases in @bytes: the check above would see them. */
void
assert_all_of_b (Fixture    *f,
                 const char *bytes,
                 gsize       length)
{
  for (guint i = 0; i < f->b_ids->len; i++)
    {
      g_assert_nonnull (g_strstr_len (bytes, (gssize) length, f->b_ids->pdata[i]));
      g_assert_nonnull (g_strstr_len (bytes, (gssize) length, f->b_receipts->pdata[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (b_names); i++)
    {
      g_assert_nonnull (g_strstr_len (bytes, (gssize) length, b_names[i]));
      g_assert_nonnull (g_strstr_len (bytes, (gssize) length, b_citizen_ids[i]));
    }
}

/* Forged changes, as a second desk of an office would push them with its own token */

char *
uuid_of (const char *kind,
         const char *key)
{
  MotcuaUuid id;
  char text[37];

  motcua_uuid_for_key (&id, kind, key);
  motcua_uuid_to_string (&id, text);

  return g_strdup (text);
}

gint64
hlc_now (void)
{
  return (g_get_real_time () / 1000) << 16;
}

/* {"o", "s", "h", "t", "r", "c", "v", "p"} with a text, number or null value. */
JsonObject *
change_new (const char *origin,
            gint64      seq,
            const char *table,
            const char *row,
            const char *column)
{
  return motcua_test_change_new (origin, seq, hlc_now () + seq, table, row, column, NULL);
}

void
add_text_change (JsonArray  *changes,
                 const char *origin,
                 const char *table,
                 const char *row,
                 const char *column,
                 const char *value)
{
  JsonObject *o = change_new (origin, (gint64) json_array_get_length (changes) + 1, table, row,
                              column);

  json_object_set_string_member (o, "v", value);
  json_array_add_object_element (changes, o);
}

char *
push_body (JsonArray *changes)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);

  json_object_set_array_member (body, "changes", json_array_ref (changes));

  return json_to_string (node, FALSE);
}

/* Pushes @changes with @token: all are acknowledged and every one is refused, in order. The
 * refusals ("rejected"); the answer in @reply_out. */
JsonArray *
push_refused (Fixture    *f,
              const char *token,
              JsonArray  *changes,
              Reply     **reply_out)
{
  g_autofree char *path = v1 ("push");
  g_autofree char *body = push_body (changes);
  g_autoptr(Reply) reply = request (f, "POST", path, token, body);
  g_autoptr(JsonNode) root = assert_ok (reply);
  JsonObject *o = json_node_get_object (root);
  JsonArray *rejected = json_object_get_array_member (o, "rejected");

  g_assert_cmpint (json_object_get_int_member (o, "acked"), ==,
                   json_array_get_length (changes));
  g_assert_cmpuint (json_array_get_length (rejected), ==, json_array_get_length (changes));
  for (guint i = 0; i < json_array_get_length (rejected); i++)
    {
      JsonObject *r = json_array_get_object_element (rejected, i);

      g_assert_cmpint (json_object_get_int_member (r, "s"), ==, i + 1);
    }
  if (reply_out != NULL)
    *reply_out = g_steal_pointer (&reply);

  return json_array_ref (rejected);
}

/* Pushes @changes with @token: every one is refused with a reason holding @reason, and all are
 * acknowledged. */
void
push_all_refused (Fixture    *f,
                  const char *token,
                  JsonArray  *changes,
                  const char *reason)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonArray) rejected = push_refused (f, token, changes, &reply);

  for (guint i = 0; i < json_array_get_length (rejected); i++)
    {
      JsonObject *r = json_array_get_object_element (rejected, i);

      if (strstr (json_object_get_string_member (r, "reason"), reason) == NULL)
        g_error ("change %u refused for “%s”, not “%s”", i + 1,
                 json_object_get_string_member (r, "reason"), reason);
    }
  assert_nothing_of_b_but (f, reply->body, reply->length, TRUE);
}

/* A new token for @office, as `replicas enroll` prints it. */
char *
enroll_token (Fixture    *f,
              const char *office)
{
  return g_strchomp (admin (f, "replicas", "enroll", office, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  test_security_scope_add_tests ();
  test_security_input_add_tests ();

  return g_test_run ();
}
