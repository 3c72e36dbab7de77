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

#define PROCEDURE "MAU.HT.001"
#define MAX_BODY  (1024 * 1024)
/* Longer than any field may be, and short enough for a command line. */
#define HUGE_FIELD (100 * 1024)

enum { A, B, D, N_REPLICAS };

static const MotcuaTestReplicaInfo *const replica_info = motcua_test_lc_replicas;
G_STATIC_ASSERT (G_N_ELEMENTS (motcua_test_lc_replicas) == N_REPLICAS);

/* B's cases: what must never reach A. */
static const char *const b_names[] = { "Hờ Thị Bí Mật", "Sùng Seo Kín Đáo" };
static const char *const b_citizen_ids[] = { "011199887766", "011155443322" };

typedef struct
{
  char        *dir;
  char        *store;
  char        *url;
  GSubprocess *server;
  char        *log;
  char        *db[N_REPLICAS];
  char        *token[N_REPLICAS];
  GPtrArray   *b_ids;        /* B's case ids */
  GPtrArray   *b_receipts;   /* and receipt numbers */
  char        *a_id;         /* one of A's cases */
} Fixture;

/* Processes */

static GPtrArray *
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
static int
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
static char *
admin (Fixture    *f,
       const char *first,
       ...) G_GNUC_NULL_TERMINATED;

static char *
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
static char *
cli (Fixture    *f,
     guint       r,
     const char *first,
     ...) G_GNUC_NULL_TERMINATED;

static char *
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

static void
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
static void
server_stop (Fixture *f)
{
  g_free (motcua_test_server_stop (f->server, f->log));
  g_clear_object (&f->server);
}

/* The id of a case that @r received, and its receipt number. */
static char *
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

static void
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

static void
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

typedef MotcuaTestReply Reply;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, motcua_test_reply_free)

/* @endpoint's path with the versions every request carries. */
static char *
v1 (const char *endpoint)
{
  return g_strdup_printf ("/v1/%s?protocol=%d&schema=%d", endpoint, MOTCUA_PROTOCOL_VERSION,
                          MOTCUA_SCHEMA_VERSION);
}

/* One request, with “Authorization: @authorization” unless NULL, and @body; the session undoes
 * the answer's gzip. */
static Reply *
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
static Reply *
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
static char *
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
static JsonNode *
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
static void
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

static void
assert_nothing_of_b (Fixture    *f,
                     const char *bytes,
                     gsize       length)
{
  assert_nothing_of_b_but (f, bytes, length, FALSE);
}

/* All of B's cases in @bytes: the check above would see them. */
static void
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

static char *
uuid_of (const char *kind,
         const char *key)
{
  MotcuaUuid id;
  char text[37];

  motcua_uuid_for_key (&id, kind, key);
  motcua_uuid_to_string (&id, text);

  return g_strdup (text);
}

static gint64
hlc_now (void)
{
  return (g_get_real_time () / 1000) << 16;
}

/* {"o", "s", "h", "t", "r", "c", "v", "p"} with a text, number or null value. */
static JsonObject *
change_new (const char *origin,
            gint64      seq,
            const char *table,
            const char *row,
            const char *column)
{
  return motcua_test_change_new (origin, seq, hlc_now () + seq, table, row, column, NULL);
}

static void
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

static char *
push_body (JsonArray *changes)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);

  json_object_set_array_member (body, "changes", json_array_ref (changes));

  return json_to_string (node, FALSE);
}

/* Pushes @changes with @token: all are acknowledged and every one is refused, in order. The
 * refusals ("rejected"); the answer in @reply_out. */
static JsonArray *
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
static void
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
static char *
enroll_token (Fixture    *f,
              const char *office)
{
  return g_strchomp (admin (f, "replicas", "enroll", office, NULL));
}

/* Tokens */

static void
test_tokens (Fixture       *f,
             gconstpointer  data)
{
  static const struct { const char *method, *endpoint, *body; } endpoints[] = {
    { "GET", "status", NULL },
    { "POST", "pull", "{\"cursor\":null,\"limit\":100}" },
    { "POST", "push", "{\"changes\":[]}" },
    { "POST", "lease", "{\"office\":\"LC.NN.NM\",\"year\":2026,\"count\":10}" },
    { "POST", "enroll", "{\"replica\":\"01a20000-0000-7000-8000-000000000001\"}" },
  };
  g_autofree char *wrong_secret = g_strdup (f->token[A]);
  g_autofree char *revoked = enroll_token (f, "LC.NN.NM");
  g_autofree char *revoked_id = g_strndup (revoked, strcspn (revoked, "."));
  g_autofree char *status_path = v1 ("status");
  char *last = wrong_secret + strlen (wrong_secret) - 1;

  *last = *last == '0' ? '1' : '0';

  /* Before it is revoked, the extra token works. */
  {
    g_autoptr(Reply) reply = request (f, "GET", status_path, revoked, NULL);
    g_autoptr(JsonNode) root = assert_ok (reply);
  }
  g_free (admin (f, "replicas", "revoke", revoked_id, NULL));

  for (guint e = 0; e < G_N_ELEMENTS (endpoints); e++)
    {
      g_autofree char *path = v1 (endpoints[e].endpoint);
      g_autoptr(GBytes) body = endpoints[e].body != NULL
                               ? g_bytes_new_static (endpoints[e].body,
                                                     strlen (endpoints[e].body))
                               : NULL;
      static const struct { const char *authorization, *code; } cases[] = {
        { NULL, "no-token" },
        { "Basic YTpi", "no-token" },
        { "Bearer ", "no-token" },
        { "Bearer nonsense", "bad-token" },
        { "Bearer 0123456789abcdef.0123456789abcdef0123456789abcdef", "bad-token" },
      };

      for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
        {
          g_autoptr(Reply) reply = request_full (f, endpoints[e].method, path,
                                                 cases[c].authorization, NULL, body);
          g_autofree char *message = assert_error (reply, 401, cases[c].code);

          assert_nothing_of_b (f, reply->body, reply->length);
        }

      /* A's token id with another secret, and a revoked token: unknown alike. */
      {
        g_autoptr(Reply) wrong = request (f, endpoints[e].method, path, wrong_secret,
                                          endpoints[e].body);
        g_autoptr(Reply) gone = request (f, endpoints[e].method, path, revoked,
                                         endpoints[e].body);
        g_autofree char *m1 = assert_error (wrong, 401, "bad-token");
        g_autofree char *m2 = assert_error (gone, 401, "bad-token");

        assert_nothing_of_b (f, wrong->body, wrong->length);
        assert_nothing_of_b (f, gone->body, gone->length);
      }
    }

  /* A replica whose token is revoked is told so, and changes nothing. */
  {
    g_autoptr(GPtrArray) argv = argv_new (g_getenv ("MOTCUA_CLI"), "--db", f->db[A]);
    g_autofree char *a_token_id = g_strndup (f->token[A], strcspn (f->token[A], "."));
    g_autofree char *before = cli (f, A, "export", "--canonical", NULL);
    g_autofree char *after = NULL;
    g_autofree char *err = NULL;

    g_free (admin (f, "replicas", "revoke", a_token_id, NULL));
    g_ptr_array_add (argv, g_strdup ("sync"));
    g_assert_cmpint (run_argv (f, argv, NULL, &err), !=, 0);
    g_assert_nonnull (strstr (err, "revoked"));
    after = cli (f, A, "export", "--canonical", NULL);
    g_assert_cmpstr (before, ==, after);
  }

  assert_still_serving (f);
}

/* Scope: what A reads */

/* Pulls with @token from @cursor until up to date, @limit at a time; every answer's bytes are
 * appended to @seen. */
static void
pull_all (Fixture    *f,
          const char *token,
          const char *cursor,
          guint       limit,
          GString    *seen)
{
  g_autofree char *path = v1 ("pull");
  g_autofree char *next = g_strdup (cursor);

  for (guint batch = 0;; batch++)
    {
      g_autofree char *body = NULL;
      g_autoptr(Reply) reply = NULL;
      g_autoptr(JsonNode) root = NULL;
      JsonObject *o;

      g_assert_cmpuint (batch, <, 10000);
      if (next != NULL)
        body = g_strdup_printf ("{\"cursor\":\"%s\",\"limit\":%u}", next, limit);
      else
        body = g_strdup_printf ("{\"cursor\":null,\"limit\":%u}", limit);
      reply = request (f, "POST", path, token, body);
      root = assert_ok (reply);
      g_string_append_len (seen, reply->body, (gssize) reply->length);
      o = json_node_get_object (root);
      g_free (next);
      next = g_strdup (json_object_get_string_member (o, "cursor"));
      if (!json_object_get_boolean_member (o, "more"))
        {
          g_assert_nonnull (json_object_get_string_member_with_default (o, "digest", NULL));
          break;
        }
    }
}

static void
test_pull_scope (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GString) district = g_string_new (NULL);
  static const guint limits[] = { 1, 7, 2000 };

  /* The district above both communes sees B's cases: the checks below would find them. */
  pull_all (f, f->token[D], NULL, 2000, district);
  assert_all_of_b (f, district->str, district->len);
  g_assert_nonnull (strstr (district->str, f->a_id));

  /* A, from nothing (the state, table by table, then the log), in batches of every size; and
   * the whole log from its start. */
  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    pull_all (f, f->token[A], NULL, limits[i], seen);
  pull_all (f, f->token[A], "0", 1, seen);
  g_assert_nonnull (strstr (seen->str, f->a_id));

  /* Cursors A was never given: into the cases of the state, past its end, from far back. */
  for (guint table = 0; table < 8; table++)
    {
      g_autofree char *path = v1 ("pull");
      g_autofree char *from_start = g_strdup_printf ("{\"cursor\":\"s0.%u.0\"}", table);
      g_autofree char *from_far = g_strdup_printf ("{\"cursor\":\"s999999.%u.0\",\"limit\":5}",
                                                   table);
      g_autoptr(Reply) r1 = request (f, "POST", path, f->token[A], from_start);
      g_autoptr(Reply) r2 = request (f, "POST", path, f->token[A], from_far);

      g_assert_true (r1->status == 200 || r1->status == 400);
      g_assert_true (r2->status == 200 || r2->status == 400);
      g_string_append_len (seen, r1->body, (gssize) r1->length);
      g_string_append_len (seen, r2->body, (gssize) r2->length);
    }

  /* Its status, and a lease of its own numbers. */
  {
    g_autofree char *status_path = v1 ("status");
    g_autofree char *lease_path = v1 ("lease");
    g_autoptr(Reply) status = request (f, "GET", status_path, f->token[A], NULL);
    g_autoptr(Reply) lease = request (f, "POST", lease_path, f->token[A],
                                      "{\"office\":\"LC.NN.NM\",\"year\":2026,\"count\":10}");
    g_autoptr(JsonNode) status_root = assert_ok (status);
    g_autoptr(JsonNode) lease_root = assert_ok (lease);

    g_string_append_len (seen, status->body, (gssize) status->length);
    g_string_append_len (seen, lease->body, (gssize) lease->length);
  }

  /* Receipt numbers of B's office are not A's to lease. */
  {
    g_autofree char *path = v1 ("lease");
    g_autoptr(Reply) reply = request (f, "POST", path, f->token[A],
                                      "{\"office\":\"LC.NN.NH\",\"year\":2026,\"count\":10}");
    g_autofree char *message = assert_error (reply, 403, "out-of-scope");

    g_string_append_len (seen, reply->body, (gssize) reply->length);
  }

  /* And A's replica, synced from nothing, holds none of it either. */
  {
    g_autofree char *fresh = g_build_filename (f->dir, "fresh.db", NULL);
    g_autofree char *token = enroll_token (f, "LC.NN.NM");
    g_autofree char *exported = NULL;

    g_free (f->db[A]);
    f->db[A] = g_steal_pointer (&fresh);
    g_free (cli (f, A, "enroll", "--server", f->url, "--token", token, NULL));
    g_free (cli (f, A, "sync", NULL));
    exported = cli (f, A, "export", "--canonical", NULL);
    g_assert_nonnull (strstr (exported, f->a_id));
    g_string_append (seen, exported);
  }

  assert_nothing_of_b (f, seen->str, seen->len);
  assert_still_serving (f);
}

/* Scope: what A writes */

/* The state the district holds once synced: everything of both communes. */
static char *
district_state (Fixture *f)
{
  g_free (cli (f, D, "sync", NULL));

  return cli (f, D, "export", "--canonical", NULL);
}

static void
test_push_scope (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *token = enroll_token (f, "LC.NN.NM");
  g_autofree char *b_office = uuid_of ("office", "LC.NN.NH");
  g_autofree char *a_office = uuid_of ("office", "LC.NN.NM");
  g_autofree char *before = district_state (f);
  g_autofree char *after = NULL;
  g_autoptr(JsonArray) forged = json_array_new ();
  const char *desk = "01a20000-0000-7000-8000-00000000a002";
  const char *forged_case = "01a20000-0000-7000-8000-00000000bad1";
  const char *b_case = f->b_ids->pdata[0];

  /* A second desk of A's office writes B's case, makes a case of B's, and adds to the timeline
   * of B's case. */
  add_text_change (forged, desk, "cases", b_case, "applicant_name", "Kẻ Gian");
  add_text_change (forged, desk, "cases", b_case, "handling_office_id", a_office);
  add_text_change (forged, desk, "cases", forged_case, "receipt_no", "LC.NN.NH-2026-999999");
  add_text_change (forged, desk, "cases", forged_case, "receiving_office_id", b_office);
  add_text_change (forged, desk, "cases", forged_case, "handling_office_id", b_office);
  add_text_change (forged, desk, "cases", forged_case, "applicant_name", "Kẻ Gian Mạo");
  {
    JsonObject *event = change_new (desk, (gint64) json_array_get_length (forged) + 1,
                                    "case_events", "01a20000-0000-7000-8000-00000000bad2", NULL);
    JsonObject *row = json_object_new ();

    json_object_set_string_member (row, "case_id", b_case);
    json_object_set_string_member (row, "at", "2026-03-03T09:00:00+07:00");
    json_object_set_string_member (row, "action", "note");
    json_object_set_string_member (row, "note", "Kẻ Gian đã ở đây");
    json_object_set_object_member (event, "v", row);
    json_array_add_object_element (forged, event);
  }
  push_all_refused (f, token, forged, "is not in the jurisdiction of LC.NN.NM");

  /* Refused change by change: nothing of it reached anyone. */
  after = district_state (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_null (strstr (after, "Kẻ Gian"));

  /* A's own replica, through motcua-cli: a case for B's office, imported. The server refuses
   * each of its changes; the replica keeps them, marked rejected with the reason, and the
   * case with them, where its officer sees what was refused. */
  {
    g_autofree char *file = g_build_filename (f->dir, "for-b.json", NULL);
    g_autofree char *summary = NULL;
    g_autofree char *status = NULL;
    g_autofree char *shown = NULL;
    g_autofree char *changes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) root = NULL;
    JsonArray *rejected;
    guint n;

    g_file_set_contents (file, "{\"format\":\"motcua-cases\",\"version\":1,\"cases\":["
                         "{\"receipt_no\":\"OOS-0001\",\"procedure\":\"" PROCEDURE "\","
                         "\"receiving_office\":\"LC.NN.NH\",\"applicant\":{\"name\":"
                         "\"Lầu Thị Lạc Chỗ\",\"citizen_id\":\"011100000001\"},"
                         "\"channel\":\"online\",\"received_at\":\"2026-03-03T09:00:00+07:00\","
                         "\"status\":\"received\"}]}", -1, &error);
    g_assert_no_error (error);
    g_free (cli (f, A, "cases", "import", file, NULL));

    summary = cli (f, A, "--json", "sync", NULL);
    root = motcua_test_parse_json (summary, -1);
    n = (guint) json_object_get_int_member (json_node_get_object (root), "rejected");
    g_assert_cmpuint (n, >, 1);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "verified"));
    g_clear_pointer (&root, json_node_unref);

    status = cli (f, A, "--json", "sync", "status", NULL);
    root = motcua_test_parse_json (status, -1);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "pending"), ==, 0);
    rejected = json_object_get_array_member (json_node_get_object (root), "rejected");
    g_assert_cmpuint (json_array_get_length (rejected), ==, n);
    for (guint i = 0; i < n; i++)
      {
        JsonObject *r = json_array_get_object_element (rejected, i);

        g_assert_nonnull (strstr (json_object_get_string_member (r, "reason"),
                                  "is not in the jurisdiction of LC.NN.NM"));
        /* What each was: the case's fields, under its receipt number, and its timeline. */
        if (g_strcmp0 (json_object_get_string_member_with_default (r, "table", NULL),
                       "cases") == 0)
          g_assert_cmpstr (json_object_get_string_member_with_default (r, "receipt_no", NULL),
                           ==, "OOS-0001");
        else
          g_assert_cmpstr (json_object_get_string_member_with_default (r, "table", NULL), ==,
                           "case_events");
      }

    shown = cli (f, A, "cases", "show", "OOS-0001", NULL);
    g_assert_nonnull (strstr (shown, "Lầu Thị Lạc Chỗ"));
    changes = cli (f, A, "changes", NULL);
    g_assert_nonnull (strstr (changes, "OOS-0001"));

    /* Still so after another sync; and neither B nor the district has it. */
    g_free (cli (f, A, "sync", NULL));
    g_free (cli (f, A, "cases", "show", "OOS-0001", NULL));
    for (guint r = B; r <= D; r++)
      {
        g_autoptr(GPtrArray) argv = argv_new (g_getenv ("MOTCUA_CLI"), "--db", f->db[r]);

        g_free (cli (f, r, "sync", NULL));
        g_ptr_array_add (argv, g_strdup ("cases"));
        g_ptr_array_add (argv, g_strdup ("show"));
        g_ptr_array_add (argv, g_strdup ("OOS-0001"));
        g_assert_cmpint (run_argv (f, argv, NULL, NULL), ==, 2);
      }
  }

  server_stop (f);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MotcuaReplica) store = motcua_replica_open (f->store, &error);
    g_autofree char *exported = NULL;

    g_assert_no_error (error);
    exported = motcua_test_export (store);
    g_assert_null (strstr (exported, "Kẻ Gian"));
    g_assert_null (strstr (exported, "OOS-0001"));
    g_assert_null (strstr (exported, "Lầu Thị Lạc Chỗ"));
  }
}

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
static gint64
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/security/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("tokens", test_tokens);
  ADD ("pull-scope", test_pull_scope);
  ADD ("push-scope", test_push_scope);
  ADD ("authority", test_authority);
  ADD ("bad-input", test_bad_input);
  ADD ("stalled", test_stalled);

#undef ADD

  return g_test_run ();
}
