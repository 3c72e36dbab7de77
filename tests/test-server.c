/* test-server.c: motcua-server run as a province's administrator would, and served on 127.0.0.1
 *
 * Each test works in a fresh temporary directory and runs the built binary ($MOTCUA_SERVER) with
 * GSubprocess under LC_ALL=C. The HTTP tests start `serve --port 0` with a config file of their
 * own, read the port from its first line of output, talk to it with a SoupSession or a raw socket,
 * stop it with SIGTERM and check that it exits 0 saying "stopped" (under AddressSanitizer that is
 * also its leak check). A server whose test dies is killed with it (PR_SET_PDEATHSIG). There are
 * no timing assertions: timeouts here only keep a broken server from hanging the suite.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <motcua/motcua.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "motcua-test-server.h"
#include "motcua-test-utils.h"

typedef struct
{
  char *dir;
  char *store;
} Fixture;

typedef MotcuaTestRun Run;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, motcua_test_run_free)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-server-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = g_build_filename (f->dir, "province.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  motcua_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->store);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

static char *
data_file (const char *name)
{
  const char *dir = g_getenv ("MOTCUA_SOURCE_DATADIR");

  g_assert_nonnull (dir);

  return g_build_filename (dir, name, NULL);
}

/* Runs motcua-server --store STORE @first… and waits for it. */
static Run *
server_run (Fixture    *f,
            const char *first,
            ...) G_GNUC_NULL_TERMINATED;

static Run *
server_run (Fixture    *f,
            const char *first,
            ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("MOTCUA_SERVER"));
  g_assert_nonnull (argv->pdata[0]);
  g_ptr_array_add (argv, (gpointer) "--store");
  g_ptr_array_add (argv, f->store);
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = motcua_test_launcher_new (f->dir, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                | G_SUBPROCESS_FLAGS_STDERR_PIPE, "C");

  return motcua_test_run (launcher, (const char *const *) argv->pdata);
}

static void
assert_ok (Run *run)
{
  motcua_test_assert_exit_ok (run->status, run->err);
}

/* Exit status @status, nothing on standard output, one line “motcua-server: …” holding
 * @needle. */
static void
assert_error (Run        *run,
              int         status,
              const char *needle)
{
  const char *newline = strchr (run->err, '\n');

  g_test_message ("stderr: %s", run->err);
  g_assert_cmpint (run->status, ==, status);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "motcua-server: "));
  g_assert_nonnull (newline);
  g_assert_cmpint (newline[1], ==, '\0');
  if (needle != NULL)
    g_assert_nonnull (strstr (run->err, needle));
}

/* The body is {"error": {"code": @code (or any, for NULL), "message": "…"}}. */
static void
assert_json_error (const char *body,
                   gssize      length,
                   const char *code)
{
  g_autoptr(JsonNode) root = motcua_test_parse_json (body, length);
  JsonObject *error;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  error = json_object_get_object_member (json_node_get_object (root), "error");
  g_assert_nonnull (error);
  g_assert_nonnull (json_object_get_string_member_with_default (error, "code", NULL));
  g_assert_cmpstr (json_object_get_string_member_with_default (error, "message", ""), !=, "");
  if (code != NULL)
    g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
}

static void
init_store (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) launcher =
    motcua_test_launcher_new (f->dir, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                      | G_SUBPROCESS_FLAGS_STDERR_PIPE, "C");

  motcua_test_make_lc_store (launcher, f->store, (const char *const[]) { "LC.NN.NM", NULL });
}

/* Administration */

static void
test_init (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Run) no_name = server_run (f, "init", "--province", "LC", NULL);
  g_autoptr(Run) init = NULL;
  g_autoptr(Run) again = NULL;
  g_autoptr(Run) status = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;

  assert_error (no_name, 2, "--name");
  g_assert_false (g_file_test (f->store, G_FILE_TEST_EXISTS));

  init = server_run (f, "--json", "init", "--province", "LC", "--name", "Tỉnh Lai Châu", NULL);
  assert_ok (init);
  root = motcua_test_parse_json (init->out, -1);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "province"), ==, "LC");
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Tỉnh Lai Châu");
  g_assert_true (g_file_test (f->store, G_FILE_TEST_EXISTS));

  again = server_run (f, "init", "--province", "LC", "--name", "Tỉnh Lai Châu", NULL);
  assert_error (again, 2, "exists already");

  /* A store is a province replica: the province is its root office. */
  status = server_run (f, "offices", "list", NULL);
  assert_ok (status);
  g_assert_true (g_str_has_prefix (status->out, "CODE"));
  g_assert_nonnull (strstr (status->out, "\nLC  "));
  g_assert_nonnull (strstr (status->out, "Tỉnh Lai Châu"));
}

static void
test_no_store (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Run) list = server_run (f, "offices", "list", NULL);
  g_autoptr(Run) unknown = server_run (f, "frobnicate", NULL);
  g_autoptr(Run) help = server_run (f, "replicas", "--help", NULL);

  assert_error (list, 2, "init");
  assert_error (unknown, 2, "frobnicate");
  assert_ok (help);
  g_assert_nonnull (strstr (help->out, "enroll"));
}

static void
test_offices (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Run) bad_level = NULL;
  g_autoptr(Run) no_parent = NULL;
  g_autoptr(Run) twice = NULL;
  g_autoptr(Run) list = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(Run) import = NULL;
  g_autoptr(Run) after = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *offices = data_file ("offices.json");
  JsonArray *array;

  init_store (f);

  bad_level = server_run (f, "offices", "add", "LC.X", "--name", "X", "--level", "province",
                          "--parent", "LC", NULL);
  assert_error (bad_level, 2, "--level");
  no_parent = server_run (f, "offices", "add", "LC.X", "--name", "X", "--level", "commune",
                          "--parent", "LC.NOPE", NULL);
  assert_error (no_parent, 2, "LC.NOPE");
  twice = server_run (f, "offices", "add", "LC.NN", "--name", "X", "--level", "district",
                      "--parent", "LC", NULL);
  assert_error (twice, 2, "exists already");

  /* The tree, indented by depth. */
  list = server_run (f, "offices", "list", NULL);
  assert_ok (list);
  g_assert_nonnull (strstr (list->out, "\nLC  "));
  g_assert_nonnull (strstr (list->out, "\n  LC.NN  "));
  g_assert_nonnull (strstr (list->out, "\n    LC.NN.NM  "));
  g_assert_null (strstr (list->out, "LC.X"));

  json = server_run (f, "offices", "list", "--json", NULL);
  assert_ok (json);
  root = motcua_test_parse_json (json->out, -1);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 2),
                                                  "code"), ==, "LC.NN.NM");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 2),
                                               "depth"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 2),
                                                  "parent"), ==, "LC.NN");

  /* The sample offices of Lai Châu, the same province. */
  import = server_run (f, "offices", "import", offices, NULL);
  assert_ok (import);
  g_assert_nonnull (strstr (import->out, "Imported 18 offices"));
  after = server_run (f, "offices", "list", NULL);
  assert_ok (after);
  g_assert_nonnull (strstr (after->out, "\n  LC.MT  "));
}

/* Whether @needle is anywhere in the file at @path. */
static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  gsize n = strlen (needle);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (contents + i, needle, n) == 0)
      return TRUE;

  return FALSE;
}

/* `restore` puts an older copy in the store's place and opens a generation: what is leased
 * and enrolled from then on starts above anything given since the copy. A missing copy is a
 * usage error, a damaged one exit 3, and neither changes the store. */
static void
test_restore (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *copy = g_build_filename (f->dir, "copy.db", NULL);
  g_autofree char *garbage = write_file (f, "garbage.db", "not a store");
  g_autofree char *sql = g_strdup_printf ("VACUUM INTO '%s'", copy);
  g_autoptr(Run) enroll = NULL;
  g_autoptr(Run) restore = NULL;
  g_autoptr(Run) again = NULL;
  g_autoptr(Run) missing = NULL;
  g_autoptr(Run) damaged = NULL;
  g_autoptr(Run) later = NULL;
  g_autoptr(Run) list = NULL;
  g_autoptr(Run) over_damaged = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *wal = g_strconcat (f->store, "-wal", NULL);
  g_autofree char *before = g_strconcat (f->store, ".before-restore", NULL);
  g_autofree char *kept = NULL;
  sqlite3 *db = NULL;

  init_store (f);
  enroll = server_run (f, "replicas", "enroll", "LC.NN.NM", NULL);
  assert_ok (enroll);
  g_assert_cmpint (sqlite3_open (f->store, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  restore = server_run (f, "restore", copy, NULL);
  assert_ok (restore);
  g_assert_nonnull (strstr (restore->out, "1000001"));
  again = server_run (f, "--json", "restore", copy, NULL);
  assert_ok (again);
  root = motcua_test_parse_json (again->out, -1);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "generation"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root),
                                               "receipt_numbers_from"), ==, 2000001);

  missing = server_run (f, "restore", "nowhere.db", NULL);
  assert_error (missing, 2, "nowhere.db");
  damaged = server_run (f, "restore", garbage, NULL);
  assert_error (damaged, 3, "garbage.db");

  /* A store damaged beyond opening is the usual reason: it is moved aside, not written. */
  g_assert_true (g_file_set_contents (f->store, "damaged beyond repair", -1, NULL));
  g_unlink (wal);
  over_damaged = server_run (f, "restore", copy, NULL);
  assert_ok (over_damaged);
  g_assert_true (g_file_get_contents (before, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "damaged beyond repair");

  later = server_run (f, "replicas", "enroll", "LC.NN.NM", NULL);
  assert_ok (later);
  list = server_run (f, "replicas", "list", NULL);
  assert_ok (list);
  g_assert_nonnull (strstr (list->out, "Q01"));
  g_assert_nonnull (strstr (list->out, "Q30001"));
}

static void
test_replicas (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Run) enroll = NULL;
  g_autoptr(Run) unknown_office = NULL;
  g_autoptr(Run) list = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(Run) revoke = NULL;
  g_autoptr(Run) whole = NULL;
  g_autoptr(Run) unknown = NULL;
  g_autoptr(Run) revoked = NULL;
  g_autoptr(GRegex) token_line = g_regex_new ("^[0-9a-f]{8,}\\.[0-9a-f]{16,}\n$", 0, 0, NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token_id = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *token = NULL;
  g_autofree char *wal = NULL;
  JsonObject *o;

  init_store (f);

  /* The token alone on standard output, once; the advice on standard error. */
  enroll = server_run (f, "replicas", "enroll", "LC.NN.NM", NULL);
  assert_ok (enroll);
  g_assert_true (g_regex_match (token_line, enroll->out, 0, NULL));
  g_assert_cmpstr (enroll->err, !=, "");
  token = g_strchomp (g_strdup (enroll->out));
  token_id = g_strndup (token, strcspn (token, "."));
  secret = g_strdup (strchr (token, '.') + 1);
  g_assert_nonnull (strstr (enroll->err, token_id));
  g_assert_null (strstr (enroll->err, secret));

  unknown_office = server_run (f, "replicas", "enroll", "LC.NOPE", NULL);
  assert_error (unknown_office, 2, "LC.NOPE");

  /* The list shows the token's id, never the token. */
  list = server_run (f, "replicas", "list", NULL);
  assert_ok (list);
  g_assert_nonnull (strstr (list->out, token_id));
  g_assert_nonnull (strstr (list->out, "LC.NN.NM"));
  g_assert_nonnull (strstr (list->out, "not yet bound"));
  g_assert_null (strstr (list->out, secret));

  /* Nor does the store hold it: only a salted hash. */
  wal = g_strconcat (f->store, "-wal", NULL);
  g_assert_false (file_contains (f->store, secret));
  g_assert_false (file_contains (wal, secret));

  whole = server_run (f, "replicas", "revoke", token, NULL);
  assert_error (whole, 2, "token id");
  unknown = server_run (f, "replicas", "revoke", "0123456789abcdef", NULL);
  assert_error (unknown, 2, "0123456789abcdef");
  revoke = server_run (f, "replicas", "revoke", token_id, NULL);
  assert_ok (revoke);

  json = server_run (f, "--json", "replicas", "list", NULL);
  assert_ok (json);
  root = motcua_test_parse_json (json->out, -1);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  o = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "token_id"), ==, token_id);
  g_assert_cmpstr (json_object_get_string_member (o, "office"), ==, "LC.NN.NM");
  g_assert_true (json_object_get_boolean_member (o, "revoked"));
  g_assert_true (json_object_get_null_member (o, "replica_id"));
  g_assert_false (json_object_has_member (o, "token"));

  revoked = server_run (f, "replicas", "list", NULL);
  assert_ok (revoked);
  g_assert_null (strstr (revoked->out, secret));
}

static void
test_publish_report (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *catalogue = data_file ("catalogue.json");
  g_autofree char *catalogue_csv = data_file ("catalogue.csv");
  g_autofree char *calendar = data_file ("calendar-2026.json");
  g_autofree char *bad = write_file (f, "bad.json", "{\"format\":\"motcua-catalogue\"");
  g_autoptr(Run) published = NULL;
  g_autoptr(Run) csv = NULL;
  g_autoptr(Run) broken = NULL;
  g_autoptr(Run) days = NULL;
  g_autoptr(Run) report = NULL;
  g_autoptr(Run) report_json = NULL;
  g_autoptr(Run) bad_date = NULL;
  g_autoptr(JsonNode) root = NULL;

  init_store (f);

  published = server_run (f, "publish", "catalogue", catalogue, NULL);
  assert_ok (published);
  g_assert_nonnull (strstr (published->out, "Published 80 procedures"));
  csv = server_run (f, "--json", "publish", "catalogue", catalogue_csv, NULL);
  assert_ok (csv);
  root = motcua_test_parse_json (csv->out, -1);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "kind"), ==,
                   "catalogue");
  broken = server_run (f, "publish", "catalogue", bad, NULL);
  assert_error (broken, 2, NULL);
  days = server_run (f, "publish", "calendar", calendar, NULL);
  assert_ok (days);
  g_assert_nonnull (strstr (days->out, "calendar days"));

  report = server_run (f, "report", "--from", "2026-01-01", "--to", "2026-12-31", NULL);
  assert_ok (report);
  g_assert_nonnull (strstr (report->out, "Tỉnh Lai Châu"));
  g_assert_nonnull (strstr (report->out, "Xã Nậm Manh"));
  report_json = server_run (f, "report", "--office", "LC.NN", "--from", "2026-01-01", "--to",
                            "2026-12-31", "--format", "json", NULL);
  assert_ok (report_json);
  g_clear_pointer (&root, json_node_unref);
  root = motcua_test_parse_json (report_json->out, -1);
  bad_date = server_run (f, "report", "--from", "2026-02-30", "--to", "2026-12-31", NULL);
  assert_error (bad_date, 2, "2026-02-30");
}

static void
test_conflicts (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Run) list = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(Run) show = NULL;
  g_autoptr(Run) neither = NULL;
  g_autoptr(Run) both = NULL;
  g_autoptr(Run) bad_side = NULL;

  init_store (f);

  list = server_run (f, "conflicts", "list", NULL);
  assert_ok (list);
  g_assert_cmpstr (list->out, ==, "No open conflicts.\n");
  json = server_run (f, "conflicts", "list", "--all", "--json", NULL);
  assert_ok (json);
  g_assert_cmpstr (g_strstrip (json->out), ==, "[]");
  show = server_run (f, "conflicts", "show", "0123456789abcdef", NULL);
  assert_error (show, 2, "0123456789abcdef");
  neither = server_run (f, "conflicts", "resolve", "0123456789abcdef", NULL);
  assert_error (neither, 2, "--keep");
  both = server_run (f, "conflicts", "resolve", "0123456789abcdef", "--keep", "a", "--value", "x",
                     NULL);
  assert_error (both, 2, "--keep");
  bad_side = server_run (f, "conflicts", "resolve", "0123456789abcdef", "--keep", "c", NULL);
  assert_error (bad_side, 2, "“c”");
}

/* A damaged store exits 3, as a damaged desk replica does with motcua-cli: the same table. */
static void
test_damaged_store (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Run) list = NULL;
  g_autoptr(Run) help = NULL;
  sqlite3 *db = NULL;

  init_store (f);
  g_assert_cmpint (sqlite3_open (f->store, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA application_id = 0", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);

  list = server_run (f, "offices", "list", NULL);
  assert_error (list, 3, "not a Một Cửa replica");

  help = server_run (f, "--help", NULL);
  assert_ok (help);
  g_assert_nonnull (strstr (help->out, "3 damaged replica or store"));
}

static void
test_bad_config (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *typo = write_file (f, "typo.conf", "[server]\nmax-body-byte=1000000\n");
  g_autofree char *group = write_file (f, "group.conf", "[sever]\nport=1\n");
  g_autofree char *value = write_file (f, "value.conf", "[server]\nburst=many\n");
  g_autoptr(Run) r1 = NULL;
  g_autoptr(Run) r2 = NULL;
  g_autoptr(Run) r3 = NULL;
  g_autoptr(Run) r4 = NULL;
  g_autoptr(Run) r5 = NULL;
  g_autoptr(Run) r6 = NULL;

  init_store (f);

  r1 = server_run (f, "--config", typo, "serve", NULL);
  assert_error (r1, 2, "max-body-byte");
  r2 = server_run (f, "--config", group, "serve", NULL);
  assert_error (r2, 2, "[sever]");
  r3 = server_run (f, "--config", value, "serve", NULL);
  assert_error (r3, 2, "many");
  r4 = server_run (f, "serve", "--port", "70000", NULL);
  assert_error (r4, 2, "70000");
  r5 = server_run (f, "serve", "--listen", "localhost", NULL);
  assert_error (r5, 2, "localhost");
  r6 = server_run (f, "serve", "--tls-cert", "cert.pem", NULL);
  assert_error (r6, 2, "--tls-key");
}

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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("admin/init", test_init);
  ADD ("admin/no-store", test_no_store);
  ADD ("admin/offices", test_offices);
  ADD ("admin/replicas", test_replicas);
  ADD ("admin/publish-report", test_publish_report);
  ADD ("admin/conflicts", test_conflicts);
  ADD ("admin/bad-config", test_bad_config);
  ADD ("admin/damaged-store", test_damaged_store);
  ADD ("serve/errors", test_serve_errors);
  ADD ("serve/rate-limit", test_serve_rate_limit);
  ADD ("serve/slow-client", test_serve_slow_client);
  ADD ("restore", test_restore);
  ADD ("serve/idle", test_serve_idle);
  ADD ("serve/replica", test_serve_replica);
  ADD ("serve/stop", test_serve_stop);
  ADD ("serve/https", test_serve_https);

#undef ADD

  return g_test_run ();
}
