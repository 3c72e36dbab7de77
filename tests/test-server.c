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
#include <sqlite3.h>
#include <string.h>

#include "test-server.h"

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-server-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = g_build_filename (f->dir, "province.db", NULL);
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  motcua_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->store);
}

char *
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

char *
data_file (const char *name)
{
  const char *dir = g_getenv ("MOTCUA_SOURCE_DATADIR");

  g_assert_nonnull (dir);

  return g_build_filename (dir, name, NULL);
}

/* Runs motcua-server --store STORE @first… and waits for it. */
Run *
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

void
assert_ok (Run *run)
{
  motcua_test_assert_exit_ok (run->status, run->err);
}

/* Exit status @status, nothing on standard output, one line “motcua-server: …” holding
 * @needle. */
void
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
void
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

void
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

  /* An SQLite store is brought up to date when it is opened: migrate says at which version. */
  g_clear_pointer (&status, motcua_test_run_free);
  status = server_run (f, "migrate", NULL);
  assert_ok (status);
  g_assert_nonnull (strstr (status->out, "is at schema version"));
}

static void
test_no_store (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Run) list = server_run (f, "offices", "list", NULL);
  g_autoptr(Run) unknown = server_run (f, "frobnicate", NULL);
  g_autoptr(Run) help = server_run (f, "replicas", "--help", NULL);
  g_autoptr(Run) migrate = server_run (f, "migrate", NULL);

  assert_error (list, 2, "init");
  assert_error (migrate, 2, "init");
  g_assert_false (g_file_test (f->store, G_FILE_TEST_EXISTS));
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
  g_autoptr(Run) reform = NULL;
  g_autoptr(Run) today = NULL;
  g_autoptr(Run) before = NULL;
  g_autofree char *reorganisation = data_file ("reorganisation-2025-07-01.json");
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
  g_assert_nonnull (strstr (import->out, "Imported 118 offices"));
  after = server_run (f, "offices", "list", NULL);
  assert_ok (after);
  g_assert_nonnull (strstr (after->out, "\n  LC.MT  "));

  /* The reform of 1 July 2025: today's tree has its communes, the day before its districts. */
  reform = server_run (f, "reorganisation", "apply", reorganisation, NULL);
  assert_ok (reform);
  today = server_run (f, "offices", "list", NULL);
  assert_ok (today);
  g_assert_null (strstr (today->out, "\n  LC.MT  "));
  g_assert_nonnull (strstr (today->out, "\n  LC.MUONGTE  "));
  before = server_run (f, "offices", "list", "--on", "2025-06-30", NULL);
  assert_ok (before);
  g_assert_nonnull (strstr (before->out, "\n  LC.MT  "));
  g_assert_null (strstr (before->out, "\n  LC.MUONGTE"));
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
  g_assert_nonnull (strstr (published->out, "Published 104 procedures"));
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  SERVER_ADD ("admin/init", test_init);
  SERVER_ADD ("admin/no-store", test_no_store);
  SERVER_ADD ("admin/offices", test_offices);
  SERVER_ADD ("admin/replicas", test_replicas);
  SERVER_ADD ("admin/publish-report", test_publish_report);
  SERVER_ADD ("admin/conflicts", test_conflicts);
  SERVER_ADD ("admin/bad-config", test_bad_config);
  SERVER_ADD ("admin/damaged-store", test_damaged_store);
  SERVER_ADD ("restore", test_restore);

  test_server_serve_add_tests ();

  return g_test_run ();
}
