/* test-cli.c: motcua-cli run as a user or a script would
 *
 * Each test works in a fresh temporary directory, runs the built binary ($MOTCUA_CLI) with
 * GSubprocess under LC_ALL=C (where a careless tool mangles Vietnamese), and checks its exit
 * status, its output and the replica it leaves.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "test-cli.h"

/* Sample data written by the tests themselves, so that they do not move when data/ does. */

const char offices_json[] =
  "{\"format\":\"motcua-offices\",\"version\":1,\"offices\":["
  "{\"code\":\"LC.SP.TV\",\"name\":\"Xã Tả Van\",\"level\":\"commune\",\"parent\":\"LC.SP\"},"
  "{\"code\":\"LC\",\"name\":\"Tỉnh Lào Cai\",\"level\":\"province\",\"parent\":null},"
  "{\"code\":\"LC.SP\",\"name\":\"Thị xã Sa Pa\",\"level\":\"district\",\"parent\":\"LC\"},"
  "{\"code\":\"LC.SP.TP\",\"name\":\"Xã Tả Phìn\",\"level\":\"commune\",\"parent\":\"LC.SP\"},"
  "{\"code\":\"LC.STP\",\"name\":\"Sở Tư pháp\",\"level\":\"department\",\"parent\":\"LC\"}"
  "]}";

const char catalogue_json[] =
  "{\"format\":\"motcua-catalogue\",\"version\":1,\"procedures\":["
  "{\"code\":\"MAU.HT.001\",\"code_official\":false,\"name\":\"Đăng ký khai sinh\","
  "\"sector\":\"Hộ tịch\",\"levels\":[\"commune\"],\"processing_days\":0,\"fee\":0,"
  "\"fee_note\":null,\"online\":\"full\","
  "\"documents\":[\"Tờ khai đăng ký khai sinh\",\"Giấy chứng sinh\"],"
  "\"legal_basis\":[\"Luật Hộ tịch 2014\"],\"in_force_from\":null,\"in_force_to\":null,"
  "\"sample\":true,\"note\":null},"
  "{\"code\":\"MAU.HT.002\",\"code_official\":false,\"name\":\"Đăng ký kết hôn\","
  "\"sector\":\"Hộ tịch\",\"levels\":[\"commune\"],\"processing_days\":5,\"fee\":0,"
  "\"fee_note\":null,\"online\":\"partial\","
  "\"documents\":[\"Tờ khai đăng ký kết hôn\",\"Giấy xác nhận tình trạng hôn nhân\","
  "\"Căn cước của hai bên\"],"
  "\"legal_basis\":[\"Luật Hộ tịch 2014\",\"Luật Hôn nhân và gia đình 2014\"],"
  "\"in_force_from\":null,\"in_force_to\":null,\"sample\":true,\"note\":null},"
  "{\"code\":\"MAU.XD.001\",\"code_official\":false,\"name\":\"Cấp giấy phép xây dựng nhà ở\","
  "\"sector\":\"Xây dựng\",\"levels\":[\"district\"],\"processing_days\":15,\"fee\":75000,"
  "\"fee_note\":\"Lệ phí cấp phép\",\"online\":\"partial\","
  "\"documents\":[\"Đơn đề nghị\",\"Bản vẽ thiết kế\"],"
  "\"legal_basis\":[\"Luật Xây dựng 2014\"],\"in_force_from\":\"2021-01-01\","
  "\"in_force_to\":null,\"sample\":true,\"note\":null}"
  "]}";

/* 2025 as decided: Friday 2 May off, Saturday 26 April worked instead. */
/* A published year is the whole schedule of that year (here, part of the real 2025 one). */
const char calendar_json[] =
  "{\"format\":\"motcua-calendar\",\"version\":1,\"days\":["
  "{\"date\":\"2025-01-01\",\"kind\":\"holiday\",\"name\":\"Tết Dương lịch\"},"
  "{\"date\":\"2025-04-30\",\"kind\":\"holiday\",\"name\":\"Ngày Chiến thắng\"},"
  "{\"date\":\"2025-05-01\",\"kind\":\"holiday\",\"name\":\"Ngày Quốc tế Lao động\"},"
  "{\"date\":\"2025-04-26\",\"kind\":\"working\",\"name\":\"Làm bù cho thứ Sáu 02/5\"},"
  "{\"date\":\"2025-05-02\",\"kind\":\"off\",\"name\":\"Nghỉ hoán đổi\"}"
  "]}";

const char cases_json[] =
  "{\"format\":\"motcua-cases\",\"version\":1,\"cases\":["
  "{\"receipt_no\":\"OLD-2024-000007\",\"procedure\":\"MAU.HT.001\","
  "\"receiving_office\":\"LC.SP.TV\","
  "\"applicant\":{\"name\":\"Lò Thị Mai\",\"citizen_id\":\"010190001234\"},"
  "\"channel\":\"counter\",\"received_at\":\"2024-11-04T08:30:00+07:00\","
  "\"due_date\":\"2024-11-04\",\"papers\":[0,1],\"status\":\"returned\","
  "\"resolved_at\":\"2024-11-04T10:00:00+07:00\",\"result\":\"Giấy khai sinh\","
  "\"returned_at\":\"2024-11-04T10:30:00+07:00\",\"returned_via\":\"counter\"}"
  "]}";

char *
fixture_path (Fixture    *f,
              const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = fixture_path (f, name);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = fixture_path (f, "desk.db");
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  motcua_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

/* Runs motcua-cli with @argv in the fixture's directory. @env: NAME=VALUE pairs to add. */
Run *
cli_runv (Fixture           *f,
          const char *const *env,
          const char *const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *cli = g_getenv ("MOTCUA_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (args, (gpointer) cli);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  launcher = motcua_test_launcher_new (f->dir, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                | G_SUBPROCESS_FLAGS_STDERR_PIPE, "C");
  g_subprocess_launcher_setenv (launcher, "MOTCUA_OFFICER", "cán bộ thử", TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  return motcua_test_run (launcher, (const char *const *) args->pdata);
}

/* motcua-cli [--json] --db DB @first… (@args) */
Run *
cli_run_valist (Fixture    *f,
                gboolean    json,
                const char *first,
                va_list     args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  if (json)
    g_ptr_array_add (argv, (gpointer) "--json");
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->db);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  g_ptr_array_add (argv, NULL);

  return cli_runv (f, NULL, (const char *const *) argv->pdata);
}

Run *
cli_run (Fixture    *f,
         const char *first,
         ...)
{
  va_list args;
  Run *run;

  va_start (args, first);
  run = cli_run_valist (f, FALSE, first, args);
  va_end (args);

  return run;
}

void
assert_ok (Run *run)
{
  if (run->status != 0)
    g_test_message ("stderr: %s", run->err);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
}

/* Exit status 2, nothing on standard output, one line “motcua-cli: …” that holds @needle. */
void
assert_usage_error (Run        *run,
                    const char *needle)
{
  const char *newline = strchr (run->err, '\n');

  g_test_message ("stderr: %s", run->err);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "motcua-cli: "));
  g_assert_nonnull (newline);
  g_assert_cmpint (newline[1], ==, '\0');
  g_assert_cmpuint (strlen (run->err), >, strlen ("motcua-cli: \n"));
  if (needle != NULL)
    g_assert_nonnull (strstr (run->err, needle));
}

/* Exit status @status, nothing on standard output, one line “motcua-cli: …” holding @needle. */
void
assert_error (Run        *run,
              int         status,
              const char *needle)
{
  g_test_message ("stderr: %s", run->err);
  g_assert_cmpint (run->status, ==, status);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "motcua-cli: "));
  g_assert_nonnull (strstr (run->err, needle));
}

/* Runs @sql on the replica file behind the tool's back, as a failing disk or a bad restore
 * would leave it. */
void
tamper (Fixture    *f,
        const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

JsonNode *
parse_json (const char *text)
{
  return motcua_test_parse_json (text, -1);
}

char *
export_state (Fixture *f)
{
  g_autoptr(Run) run = cli_run (f, "export", "--canonical", NULL);

  assert_ok (run);
  g_assert_cmpuint (strlen (run->out), >, 0);

  return g_steal_pointer (&run->out);
}

/* A commune replica with the offices and the catalogue. */
void
set_up_desk (Fixture *f)
{
  g_autofree char *offices = write_file (f, "offices.json", offices_json);
  g_autofree char *catalogue = write_file (f, "catalogue.json", catalogue_json);
  g_autoptr(Run) init = cli_run (f, "init", "--office", OFFICE, "--offices", offices, NULL);
  g_autoptr(Run) import = NULL;

  assert_ok (init);
  import = cli_run (f, "catalogue", "import", catalogue, NULL);
  assert_ok (import);
}

/* Receives a case and returns its receipt number. */
char *
receive (Fixture    *f,
         const char *procedure,
         const char *at)
{
  g_autoptr(Run) run = cli_run (f, "--json", "cases", "receive", "--procedure", procedure,
                                "--name", "Nguyễn Văn An", "--citizen-id", CITIZEN,
                                "--at", at, NULL);
  g_autoptr(JsonNode) root = NULL;

  assert_ok (run);
  root = parse_json (run->out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return g_strdup (json_object_get_string_member (json_node_get_object (root), "receipt_no"));
}

/* @run succeeded and printed a JSON object: that object. */
JsonObject *
ok_object (Run *run)
{
  g_autoptr(JsonNode) root = NULL;

  assert_ok (run);
  root = parse_json (run->out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

JsonObject *
show_case (Fixture    *f,
           const char *key)
{
  g_autoptr(Run) run = cli_run (f, "--json", "cases", "show", key, NULL);

  return ok_object (run);
}

/* init */

static void
test_init_offices (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *offices = write_file (f, "offices.json", offices_json);
  g_autoptr(Run) init = cli_run (f, "init", "--office", OFFICE, "--offices", offices, NULL);
  g_autoptr(Run) list = NULL;
  g_autoptr(Run) show = NULL;
  g_autoptr(Run) status = NULL;
  g_autoptr(MotcuaReplica) replica = NULL;
  g_autoptr(GError) error = NULL;

  assert_ok (init);
  g_assert_nonnull (strstr (init->out, "commune"));

  /* The role came from the office's level in the file. */
  replica = motcua_replica_open (f->db, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (motcua_replica_get_office_code (replica), ==, OFFICE);
  g_assert_cmpint (motcua_replica_get_role (replica), ==, MOTCUA_LEVEL_COMMUNE);
  g_clear_object (&replica);

  list = cli_run (f, "offices", "list", NULL);
  assert_ok (list);
  g_assert_nonnull (strstr (list->out, "\nLC "));
  g_assert_nonnull (strstr (list->out, "\n  LC.SP "));
  g_assert_nonnull (strstr (list->out, "\n    LC.SP.TV "));
  g_assert_nonnull (strstr (list->out, "Xã Tả Van"));
  g_assert_true (strstr (list->out, "\n  LC.SP ") < strstr (list->out, "\n    LC.SP.TP "));

  show = cli_run (f, "offices", "show", "LC.SP", NULL);
  assert_ok (show);
  g_assert_nonnull (strstr (show->out, "Thị xã Sa Pa"));
  g_assert_nonnull (strstr (show->out, "LC.SP.TP, LC.SP.TV"));

  status = cli_run (f, "status", NULL);
  assert_ok (status);
  g_assert_nonnull (strstr (status->out, OFFICE));
  g_assert_nonnull (strstr (status->out, "cán bộ thử"));
}

static void
test_init_role (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Run) no_role = cli_run (f, "init", "--office", "LC", NULL);
  g_autoptr(Run) bad_role = cli_run (f, "init", "--office", "LC", "--role", "village", NULL);
  g_autoptr(Run) init = NULL;
  g_autoptr(Run) again = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  assert_usage_error (no_role, "--role");
  assert_usage_error (bad_role, "village");
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));

  init = cli_run (f, "init", "--office", "LC", "--role", "province", NULL);
  assert_ok (init);
  before = export_state (f);

  /* A replica is created once. */
  again = cli_run (f, "init", "--office", "LC.SP", "--role", "district", NULL);
  assert_usage_error (again, "exists");
  after = export_state (f);
  g_assert_cmpstr (before, ==, after);
}

static void
assert_no_replica_left (Fixture *f)
{
  g_autofree char *wal = g_strconcat (f->db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->db, "-shm", NULL);

  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
}

static void
test_init_unknown_office (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *offices = write_file (f, "offices.json", offices_json);
  g_autofree char *broken = write_file (f, "broken.json", "{\"format\":\"motcua-offices\"");
  g_autoptr(Run) unknown = cli_run (f, "init", "--office", "HN", "--offices", offices, NULL);
  g_autoptr(Run) mismatch = cli_run (f, "init", "--office", OFFICE, "--role", "district",
                                     "--offices", offices, NULL);
  g_autoptr(Run) malformed = cli_run (f, "init", "--office", OFFICE, "--offices", broken, NULL);
  g_autoptr(Run) missing = cli_run (f, "init", "--office", OFFICE, "--offices", "nope.json",
                                    NULL);

  assert_usage_error (unknown, "HN");
  assert_no_replica_left (f);
  assert_usage_error (mismatch, "district");
  assert_no_replica_left (f);
  assert_usage_error (malformed, "broken.json");
  assert_no_replica_left (f);
  assert_usage_error (missing, "nope.json");
  assert_no_replica_left (f);
}

/* The reform of 1 July 2025, previewed (writing nothing) then applied: the tree today has no
 * district left. */
static void
check_sample_reform (Fixture    *f,
                     const char *datadir)
{
  g_autofree char *path = g_build_filename (datadir, "reorganisation-2025-07-01.json", NULL);
  g_autoptr(Run) preview = cli_run (f, "--json", "reorganisation", "preview", path, NULL);
  g_autoptr(Run) apply = NULL;
  g_autoptr(Run) again = NULL;
  g_autoptr(Run) today = NULL;
  g_autoptr(JsonNode) plan = NULL;
  g_autoptr(JsonNode) tree = NULL;
  JsonArray *steps, *offices;

  assert_ok (preview);
  plan = parse_json (preview->out);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (plan), "applied"));
  steps = json_object_get_array_member (json_node_get_object (plan), "steps");
  g_assert_cmpuint (json_array_get_length (steps), >, 100);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (steps, 0),
                                                  "done"));

  apply = cli_run (f, "reorganisation", "apply", path, NULL);
  assert_ok (apply);
  g_assert_nonnull (strstr (apply->out, "Applied"));
  again = cli_run (f, "reorganisation", "preview", path, NULL);
  assert_ok (again);
  g_assert_nonnull (strstr (again->out, "already holds the whole reorganisation"));

  today = cli_run (f, "--json", "offices", "list", NULL);
  assert_ok (today);
  tree = parse_json (today->out);
  offices = json_node_get_array (tree);
  for (guint i = 0; i < json_array_get_length (offices); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (offices, i),
                                                    "level"), !=, "district");
}

/* The shipped sample data, when it is there. */
static void
test_init_sample_data (Fixture       *f,
                       gconstpointer  data)
{
  const char *datadir = g_getenv ("MOTCUA_SOURCE_DATADIR");
  g_autofree char *offices = NULL;
  g_autofree char *catalogue = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(Run) init = NULL;
  g_autoptr(Run) status = NULL;
  g_autoptr(JsonNode) init_root = NULL;
  JsonArray *array;
  const char *root_code = NULL;

  offices = g_build_filename (datadir ? datadir : ".", "offices.json", NULL);
  if (!g_file_get_contents (offices, &contents, NULL, NULL))
    {
      g_test_skip ("no data/offices.json yet");
      return;
    }

  root = parse_json (contents);
  array = json_object_get_array_member (json_node_get_object (root), "offices");
  for (guint i = 0; i < json_array_get_length (array) && root_code == NULL; i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      if (!json_object_has_member (o, "parent") || json_object_get_null_member (o, "parent"))
        root_code = json_object_get_string_member (o, "code");
    }
  g_assert_nonnull (root_code);

  init = cli_run (f, "--json", "init", "--office", root_code, "--offices", offices, NULL);
  assert_ok (init);
  init_root = parse_json (init->out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (init_root), "role"), ==,
                   "province");

  check_sample_reform (f, datadir);

  catalogue = g_build_filename (datadir, "catalogue.json", NULL);
  if (g_file_test (catalogue, G_FILE_TEST_EXISTS))
    {
      g_autoptr(Run) import = cli_run (f, "catalogue", "import", catalogue, NULL);
      g_autoptr(Run) search = NULL;

      assert_ok (import);
      search = cli_run (f, "catalogue", "search", "khai", "sinh", NULL);
      assert_ok (search);
    }

  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "calendar-2025.json" : "cases-sample.json";
      g_autofree char *path = g_build_filename (datadir, name, NULL);
      g_autoptr(Run) import = NULL;
      g_autoptr(Run) count = NULL;
      g_autoptr(JsonNode) import_root = NULL;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      import = cli_run (f, "--json", i == 0 ? "calendar" : "cases", "import", path, NULL);
      assert_ok (import);
      import_root = parse_json (import->out);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (import_root),
                                                   "imported"), >, 0);
      if (i == 1)
        {
          g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT "\n",
            json_object_get_int_member (json_node_get_object (import_root), "imported"));

          count = cli_run (f, "cases", "list", "--count", NULL);
          assert_ok (count);
          g_assert_cmpstr (count->out, ==, n);
        }
    }

  status = cli_run (f, "status", NULL);
  assert_ok (status);
  g_assert_nonnull (strstr (status->out, root_code));
}

/* catalogue */

static void
test_catalogue (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Run) search = NULL;
  g_autoptr(Run) nothing = NULL;
  g_autoptr(Run) show = NULL;
  g_autoptr(Run) list = NULL;
  g_autoptr(Run) district = NULL;
  g_autoptr(Run) unknown = NULL;
  g_autoptr(Run) bad_level = NULL;

  set_up_desk (f);

  /* Without diacritics, as typed on a keyboard without a Vietnamese layout. */
  search = cli_run (f, "catalogue", "search", "dang ky khai sinh", NULL);
  assert_ok (search);
  g_assert_nonnull (strstr (search->out, "Đăng ký khai sinh"));
  g_assert_nonnull (strstr (search->out, "MAU.HT.001"));
  g_assert_null (strstr (search->out, "MAU.XD.001"));

  nothing = cli_run (f, "catalogue", "search", "hộ", "chiếu", "xuất", "cảnh", NULL);
  assert_ok (nothing);
  g_assert_null (strstr (nothing->out, "MAU."));

  show = cli_run (f, "catalogue", "show", "MAU.HT.002", NULL);
  assert_ok (show);
  g_assert_nonnull (strstr (show->out, "Đăng ký kết hôn"));
  g_assert_nonnull (strstr (show->out, "5 working days"));
  g_assert_nonnull (strstr (show->out, "  0  Tờ khai đăng ký kết hôn\n"));
  g_assert_nonnull (strstr (show->out, "  2  Căn cước của hai bên\n"));
  g_assert_nonnull (strstr (show->out, "  - Luật Hôn nhân và gia đình 2014\n"));

  list = cli_run (f, "catalogue", "list", "--sector", "Hộ tịch", NULL);
  assert_ok (list);
  g_assert_nonnull (strstr (list->out, "MAU.HT.001"));
  g_assert_nonnull (strstr (list->out, "MAU.HT.002"));
  g_assert_null (strstr (list->out, "MAU.XD.001"));

  district = cli_run (f, "catalogue", "list", "--level", "district", NULL);
  assert_ok (district);
  g_assert_nonnull (strstr (district->out, "MAU.XD.001"));
  g_assert_null (strstr (district->out, "MAU.HT.001"));

  unknown = cli_run (f, "catalogue", "show", "MAU.NOPE", NULL);
  assert_usage_error (unknown, "MAU.NOPE");
  bad_level = cli_run (f, "catalogue", "list", "--level", "hamlet", NULL);
  assert_usage_error (bad_level, "hamlet");
}

static void
test_catalogue_import_bad (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *bad = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(Run) import = NULL;
  g_autoptr(Run) format = NULL;
  g_autofree char *good = NULL;

  set_up_desk (f);
  before = export_state (f);

  /* The second procedure has no legal basis: nothing of the file is written. */
  bad = write_file (f, "bad.json",
                    "{\"format\":\"motcua-catalogue\",\"version\":1,\"procedures\":["
                    "{\"code\":\"MAU.X.1\",\"name\":\"Một\",\"sector\":\"S\","
                    "\"levels\":[\"commune\"],\"processing_days\":1,\"fee\":0,"
                    "\"online\":\"full\",\"documents\":[\"Đơn\"],\"legal_basis\":[\"L\"]},"
                    "{\"code\":\"MAU.X.2\",\"name\":\"Hai\",\"sector\":\"S\","
                    "\"levels\":[\"commune\"],\"processing_days\":1,\"fee\":0,"
                    "\"online\":\"full\",\"documents\":[\"Đơn\"],\"legal_basis\":[]}]}");
  import = cli_run (f, "catalogue", "import", bad, NULL);
  assert_usage_error (import, "MAU.X.2");
  after = export_state (f);
  g_assert_cmpstr (before, ==, after);

  good = write_file (f, "again.json", catalogue_json);
  format = cli_run (f, "catalogue", "import", "--format", "xml", good, NULL);
  assert_usage_error (format, "xml");
}

/* calendar */

static void
test_calendar (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *calendar = NULL;
  g_autoptr(Run) before = NULL;
  g_autoptr(Run) import = NULL;
  g_autoptr(Run) after = NULL;
  g_autoptr(Run) saturday = NULL;
  g_autoptr(Run) holidays = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(Run) procedure = NULL;
  g_autoptr(Run) bad_date = NULL;
  g_autoptr(Run) bad_days = NULL;
  g_autoptr(Run) bad_year = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *days;
  gboolean saw_swap = FALSE;

  set_up_desk (f);

  /* Tuesday 29 April + 1 working day: 30 April and 1 May are holidays. */
  before = cli_run (f, "calendar", "due", "2025-04-29", "1", NULL);
  assert_ok (before);
  g_assert_cmpstr (before->out, ==, "2025-05-02\n");

  calendar = write_file (f, "calendar-2025.json", calendar_json);
  import = cli_run (f, "calendar", "import", calendar, NULL);
  assert_ok (import);
  g_assert_nonnull (strstr (import->out, "2"));

  /* The published schedule replaces the default: 2 May is off, 26 April worked. */
  after = cli_run (f, "calendar", "due", "2025-04-29", "1", NULL);
  assert_ok (after);
  g_assert_cmpstr (after->out, ==, "2025-05-05\n");
  saturday = cli_run (f, "calendar", "due", "2025-04-25", "1", NULL);
  assert_ok (saturday);
  g_assert_cmpstr (saturday->out, ==, "2025-04-26\n");

  holidays = cli_run (f, "calendar", "holidays", "2025", NULL);
  assert_ok (holidays);
  g_assert_nonnull (strstr (holidays->out, "2025-01-01"));
  g_assert_nonnull (strstr (holidays->out, "2025-04-30"));
  g_assert_nonnull (strstr (holidays->out, "Nghỉ hoán đổi"));
  g_assert_nonnull (strstr (holidays->out, "2025-04-26  Saturday"));

  json = cli_run (f, "--json", "calendar", "holidays", "2025", NULL);
  assert_ok (json);
  root = parse_json (json->out);
  days = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (days); i++)
    {
      JsonObject *day = json_array_get_object_element (days, i);
      const char *date = json_object_get_string_member (day, "date");
      const char *weekday = json_object_get_string_member (day, "weekday");

      /* Only what changes the week: weekdays off, weekend days worked. */
      if (g_str_equal (json_object_get_string_member (day, "kind"), "working"))
        g_assert_true (g_str_equal (weekday, "Saturday") || g_str_equal (weekday, "Sunday"));
      else
        g_assert_false (g_str_equal (weekday, "Saturday") || g_str_equal (weekday, "Sunday"));
      if (g_str_equal (date, "2025-05-02"))
        {
          g_assert_cmpstr (json_object_get_string_member (day, "source"), ==, "published");
          saw_swap = TRUE;
        }
    }
  g_assert_true (saw_swap);

  procedure = cli_run (f, "calendar", "due", "--procedure", "MAU.HT.002",
                       "2025-03-03T09:00:00+07:00", NULL);
  assert_ok (procedure);
  g_assert_cmpstr (procedure->out, ==, "2025-03-10\n");

  bad_date = cli_run (f, "calendar", "due", "2025-02-30", "3", NULL);
  assert_usage_error (bad_date, "2025-02-30");
  bad_days = cli_run (f, "calendar", "due", "2025-02-03", "-3", NULL);
  assert_usage_error (bad_days, "-3");
  bad_year = cli_run (f, "calendar", "holidays", "năm nay", NULL);
  assert_usage_error (bad_year, "năm nay");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  CLI_ADD ("init/offices", test_init_offices);
  CLI_ADD ("init/role", test_init_role);
  CLI_ADD ("init/unknown-office", test_init_unknown_office);
  CLI_ADD ("init/sample-data", test_init_sample_data);
  CLI_ADD ("catalogue/search-show-list", test_catalogue);
  CLI_ADD ("catalogue/import-bad", test_catalogue_import_bad);
  CLI_ADD ("calendar/holidays-due", test_calendar);
  test_cli_cases_add_tests ();
  test_cli_output_add_tests ();
  test_cli_sync_add_tests ();

  return g_test_run ();
}
