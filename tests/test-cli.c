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
#include <json-glib/json-glib.h>
#include <motcua/motcua.h>
#include <sqlite3.h>
#include <string.h>

#include "motcua-test-server.h"
#include "motcua-test-utils.h"

/* Sample data written by the tests themselves, so that they do not move when data/ does. */

static const char offices_json[] =
  "{\"format\":\"motcua-offices\",\"version\":1,\"offices\":["
  "{\"code\":\"LC.SP.TV\",\"name\":\"Xã Tả Van\",\"level\":\"commune\",\"parent\":\"LC.SP\"},"
  "{\"code\":\"LC\",\"name\":\"Tỉnh Lào Cai\",\"level\":\"province\",\"parent\":null},"
  "{\"code\":\"LC.SP\",\"name\":\"Thị xã Sa Pa\",\"level\":\"district\",\"parent\":\"LC\"},"
  "{\"code\":\"LC.SP.TP\",\"name\":\"Xã Tả Phìn\",\"level\":\"commune\",\"parent\":\"LC.SP\"},"
  "{\"code\":\"LC.STP\",\"name\":\"Sở Tư pháp\",\"level\":\"department\",\"parent\":\"LC\"}"
  "]}";

static const char catalogue_json[] =
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
static const char calendar_json[] =
  "{\"format\":\"motcua-calendar\",\"version\":1,\"days\":["
  "{\"date\":\"2025-01-01\",\"kind\":\"holiday\",\"name\":\"Tết Dương lịch\"},"
  "{\"date\":\"2025-04-30\",\"kind\":\"holiday\",\"name\":\"Ngày Chiến thắng\"},"
  "{\"date\":\"2025-05-01\",\"kind\":\"holiday\",\"name\":\"Ngày Quốc tế Lao động\"},"
  "{\"date\":\"2025-04-26\",\"kind\":\"working\",\"name\":\"Làm bù cho thứ Sáu 02/5\"},"
  "{\"date\":\"2025-05-02\",\"kind\":\"off\",\"name\":\"Nghỉ hoán đổi\"}"
  "]}";

static const char cases_json[] =
  "{\"format\":\"motcua-cases\",\"version\":1,\"cases\":["
  "{\"receipt_no\":\"OLD-2024-000007\",\"procedure\":\"MAU.HT.001\","
  "\"receiving_office\":\"LC.SP.TV\","
  "\"applicant\":{\"name\":\"Lò Thị Mai\",\"citizen_id\":\"010190001234\"},"
  "\"channel\":\"counter\",\"received_at\":\"2024-11-04T08:30:00+07:00\","
  "\"due_date\":\"2024-11-04\",\"papers\":[0,1],\"status\":\"returned\","
  "\"resolved_at\":\"2024-11-04T10:00:00+07:00\",\"result\":\"Giấy khai sinh\","
  "\"returned_at\":\"2024-11-04T10:30:00+07:00\",\"returned_via\":\"counter\"}"
  "]}";

#define OFFICE "LC.SP.TV"
#define CITIZEN "001085012345"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

typedef MotcuaTestRun Run;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, motcua_test_run_free)

static char *
fixture_path (Fixture    *f,
              const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static char *
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

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = fixture_path (f, "desk.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  motcua_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

/* Runs motcua-cli with @argv in the fixture's directory. @env: NAME=VALUE pairs to add. */
static Run *
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
static Run *
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

static Run *
cli_run (Fixture    *f,
         const char *first,
         ...) G_GNUC_NULL_TERMINATED;

static Run *
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

static void
assert_ok (Run *run)
{
  if (run->status != 0)
    g_test_message ("stderr: %s", run->err);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
}

/* Exit status 2, nothing on standard output, one line “motcua-cli: …” that holds @needle. */
static void
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
static void
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
static void
tamper (Fixture    *f,
        const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static JsonNode *
parse_json (const char *text)
{
  return motcua_test_parse_json (text, -1);
}

static char *
export_state (Fixture *f)
{
  g_autoptr(Run) run = cli_run (f, "export", "--canonical", NULL);

  assert_ok (run);
  g_assert_cmpuint (strlen (run->out), >, 0);

  return g_steal_pointer (&run->out);
}

/* A commune replica with the offices and the catalogue. */
static void
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
static char *
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
static JsonObject *
ok_object (Run *run)
{
  g_autoptr(JsonNode) root = NULL;

  assert_ok (run);
  root = parse_json (run->out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

static JsonObject *
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

/* cases */

static void
test_cases_workflow (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Run) receive_run = NULL;
  g_autoptr(Run) show = NULL;
  g_autoptr(Run) step1 = NULL;
  g_autoptr(Run) step2 = NULL;
  g_autoptr(Run) step3 = NULL;
  g_autoptr(Run) returned = NULL;
  g_autoptr(Run) received = NULL;
  g_autoptr(Run) count = NULL;
  g_autoptr(Run) search = NULL;
  g_autoptr(Run) by_id = NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(Run) list_json = NULL;
  g_autofree char *receipt = NULL;
  JsonArray *events;
  JsonArray *documents;

  set_up_desk (f);

  receive_run = cli_run (f, "cases", "receive", "--procedure", "MAU.HT.002",
                         "--name", "Nguyễn Văn An", "--citizen-id", CITIZEN,
                         "--phone", "0912 345 678", "--address", "Thôn Lủ Khấu, Tả Van",
                         "--channel", "counter", "--priority", "elderly", "--papers", "0,2",
                         "--at", "2025-03-03T09:00:00+07:00", "--note", "Nộp đủ bản chính",
                         NULL);
  assert_ok (receive_run);
  g_assert_nonnull (strstr (receive_run->out, OFFICE "-2025-000001"));
  g_assert_nonnull (strstr (receive_run->out, "2025-03-10"));
  receipt = g_strdup (OFFICE "-2025-000001");

  show = cli_run (f, "cases", "show", receipt, NULL);
  assert_ok (show);
  g_assert_nonnull (strstr (show->out, "Nguyễn Văn An"));
  g_assert_nonnull (strstr (show->out, "0912345678"));
  g_assert_nonnull (strstr (show->out, "[x] 0  Tờ khai đăng ký kết hôn"));
  g_assert_nonnull (strstr (show->out, "[ ] 1  Giấy xác nhận tình trạng hôn nhân"));
  g_assert_nonnull (strstr (show->out, "[x] 2  Căn cước của hai bên"));
  g_assert_nonnull (strstr (show->out, "pending"));
  g_assert_nonnull (strstr (show->out, "Nộp đủ bản chính"));
  g_assert_nonnull (strstr (show->out, "cán bộ thử"));

  step1 = cli_run (f, "cases", "advance", receipt, "in_processing",
                   "--at", "2025-03-04T08:00:00+07:00", NULL);
  assert_ok (step1);
  g_assert_nonnull (strstr (step1->out, "received → in_processing"));
  step2 = cli_run (f, "cases", "advance", receipt, "approved", "--at", "2025-03-06T15:00:00+07:00",
                   "--result", "Giấy chứng nhận kết hôn số 12/2025", NULL);
  assert_ok (step2);
  step3 = cli_run (f, "cases", "advance", receipt, "returned", "--via", "postal",
                   "--at", "2025-03-07T10:00:00+07:00", "--note", "Gửi bưu điện", NULL);
  assert_ok (step3);

  shown = show_case (f, receipt);
  g_assert_cmpstr (json_object_get_string_member (shown, "status"), ==, "returned");
  g_assert_cmpstr (json_object_get_string_member (shown, "returned_via"), ==, "postal");
  g_assert_cmpstr (json_object_get_string_member (shown, "result"), ==,
                   "Giấy chứng nhận kết hôn số 12/2025");
  g_assert_cmpstr (json_object_get_string_member (shown, "due_date"), ==, "2025-03-10");
  g_assert_cmpstr (json_object_get_string_member (shown, "priority"), ==, "elderly");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (shown, "applicant"), "citizen_id"),
                   ==, CITIZEN);
  events = json_object_get_array_member (shown, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 4);
  documents = json_object_get_array_member (shown, "documents");
  g_assert_cmpuint (json_array_get_length (documents), ==, 3);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (documents, 1),
                                                  "received"));

  returned = cli_run (f, "cases", "list", "--status", "returned", NULL);
  assert_ok (returned);
  g_assert_nonnull (strstr (returned->out, receipt));
  received = cli_run (f, "cases", "list", "--status", "received", NULL);
  assert_ok (received);
  g_assert_null (strstr (received->out, receipt));
  count = cli_run (f, "cases", "list", "--open", "--count", NULL);
  assert_ok (count);
  g_assert_cmpstr (count->out, ==, "0\n");

  list_json = cli_run (f, "--json", "cases", "list", NULL);
  assert_ok (list_json);
  list = parse_json (list_json->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);

  search = cli_run (f, "cases", "search", "nguyen", "van", "an", NULL);
  assert_ok (search);
  g_assert_nonnull (strstr (search->out, receipt));

  /* The case id is a key as good as the receipt number. */
  by_id = cli_run (f, "cases", "show", json_object_get_string_member (shown, "id"), NULL);
  assert_ok (by_id);
  g_assert_nonnull (strstr (by_id->out, receipt));
}

static void
test_cases_illegal_step (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *receipt = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(Run) step = NULL;
  g_autoptr(Run) unknown_status = NULL;
  MotcuaStatus next[MOTCUA_N_STATUSES];
  guint n;

  set_up_desk (f);
  receipt = receive (f, "MAU.HT.002", "2025-03-03T09:00:00+07:00");
  before = export_state (f);

  step = cli_run (f, "cases", "advance", receipt, "returned", NULL);
  assert_usage_error (step, receipt);
  /* It names the current status and every legal next one. */
  g_assert_nonnull (strstr (step->err, "received"));
  n = motcua_status_next (MOTCUA_STATUS_RECEIVED, next);
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    g_assert_nonnull (strstr (step->err, motcua_status_to_string (next[i])));

  unknown_status = cli_run (f, "cases", "advance", receipt, "finished", NULL);
  assert_usage_error (unknown_status, "finished");

  after = export_state (f);
  g_assert_cmpstr (before, ==, after);
}

typedef struct
{
  const char *what;
  const char *needle;
  const char *argv[24];
} BadInput;

static void
test_cases_bad_input (Fixture       *f,
                      gconstpointer  data)
{
  const BadInput bad[] = {
    { "citizen ID", "12345", { "cases", "receive", "--procedure", "MAU.HT.001", "--name", "An",
                               "--citizen-id", "12345", NULL } },
    { "phone", "0123", { "cases", "receive", "--procedure", "MAU.HT.001", "--name", "An",
                         "--citizen-id", CITIZEN, "--phone", "0123", NULL } },
    { "procedure", "MAU.NOPE", { "cases", "receive", "--procedure", "MAU.NOPE", "--name", "An",
                                 "--citizen-id", CITIZEN, NULL } },
    { "date", "2025-02-30", { "cases", "receive", "--procedure", "MAU.HT.001", "--name", "An",
                              "--citizen-id", CITIZEN, "--at", "2025-02-30T09:00:00", NULL } },
    { "paper", "7", { "cases", "receive", "--procedure", "MAU.HT.001", "--name", "An",
                      "--citizen-id", CITIZEN, "--papers", "0,7", NULL } },
    { "paper list", "a,b", { "cases", "receive", "--procedure", "MAU.HT.001", "--name", "An",
                             "--citizen-id", CITIZEN, "--papers", "a,b", NULL } },
    { "channel", "fax", { "cases", "receive", "--procedure", "MAU.HT.001", "--name", "An",
                          "--citizen-id", CITIZEN, "--channel", "fax", NULL } },
    { "missing name", "--name", { "cases", "receive", "--procedure", "MAU.HT.001",
                                  "--citizen-id", CITIZEN, NULL } },
    { "office", "HN", { "cases", "receive", "--procedure", "MAU.HT.001", "--name", "An",
                        "--citizen-id", CITIZEN, "--office", "HN", NULL } },
    { "unknown command", "frobnicate", { "frobnicate", NULL } },
    { "unknown subcommand", "frobnicate", { "cases", "frobnicate", NULL } },
    { "unknown option", "--bogus", { "cases", "list", "--bogus", NULL } },
    { "unknown global option", "--bogus", { "--bogus", "status", NULL } },
    { "missing argument", "KEY", { "cases", "show", NULL } },
    { "extra argument", "surplus", { "status", "surplus", NULL } },
    { "no command", "command", { NULL } },
    { "no subcommand", "cases", { "cases", NULL } },
    { "unknown case", "LC-2099-999999", { "cases", "show", "LC-2099-999999", NULL } },
    { "bad limit", "-1", { "cases", "list", "--limit", "-1", NULL } },
    { "bad today", "tomorrow", { "cases", "list", "--today", "tomorrow", NULL } },
    { "bad status filter", "done", { "cases", "list", "--status", "done", NULL } },
    { "transfer to nowhere", "HN", { "cases", "transfer", OFFICE "-2025-000001", "HN", NULL } },
    { "bad step date", "yesterday", { "cases", "advance", OFFICE "-2025-000001", "in_processing",
                                      "--at", "yesterday", NULL } },
    { "step before reception", "before", { "cases", "advance", OFFICE "-2025-000001",
                                           "in_processing", "--at", "2025-03-01T09:00:00",
                                           NULL } },
    { "result on a wrong step", "--result", { "cases", "advance", OFFICE "-2025-000001",
                                              "in_processing", "--result", "x", NULL } },
    { "edit without =", "FIELD=VALUE", { "cases", "edit", OFFICE "-2025-000001", "phone", NULL } },
    { "edit bad phone", "0123", { "cases", "edit", OFFICE "-2025-000001", "phone=0123", NULL } },
    { "report without dates", "--from", { "report", NULL } },
    { "export without --canonical", "--canonical", { "export", NULL } },
  };
  g_autofree char *before = NULL;
  g_autofree char *receipt = NULL;

  set_up_desk (f);
  receipt = receive (f, "MAU.HT.002", "2025-03-03T09:00:00+07:00");
  g_assert_cmpstr (receipt, ==, OFFICE "-2025-000001");
  before = export_state (f);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(Run) run = NULL;
      g_autofree char *after = NULL;

      g_test_message ("bad input: %s", bad[i].what);
      g_ptr_array_add (argv, (gpointer) "--db");
      g_ptr_array_add (argv, f->db);
      for (guint k = 0; bad[i].argv[k] != NULL; k++)
        g_ptr_array_add (argv, (gpointer) bad[i].argv[k]);
      g_ptr_array_add (argv, NULL);

      run = cli_runv (f, NULL, (const char *const *) argv->pdata);
      assert_usage_error (run, bad[i].needle);

      after = export_state (f);
      g_assert_cmpstr (before, ==, after);
    }
}

static void
test_missing_db (Fixture       *f,
                 gconstpointer  data)
{
  const char *const argv[] = { "--db", "absent.db", "cases", "list", NULL };
  const char *const env_argv[] = { "status", NULL };
  const char *const env[] = { "MOTCUA_DB=also-absent.db", NULL };
  g_autoptr(Run) run = cli_runv (f, NULL, argv);
  g_autoptr(Run) env_run = cli_runv (f, env, env_argv);
  g_autofree char *absent = fixture_path (f, "absent.db");
  g_autofree char *also_absent = fixture_path (f, "also-absent.db");
  g_autoptr(GDir) dir = NULL;

  assert_usage_error (run, "absent.db");
  assert_usage_error (env_run, "also-absent.db");
  g_assert_false (g_file_test (absent, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (also_absent, G_FILE_TEST_EXISTS));

  /* Nothing was created at all. */
  dir = g_dir_open (f->dir, 0, NULL);
  g_assert_null (g_dir_read_name (dir));
}

static void
test_db_from_environment (Fixture       *f,
                          gconstpointer  data)
{
  const char *const init_argv[] = { "init", "--office", "LC", "--role", "province", NULL };
  const char *const status_argv[] = { "--json", "status", NULL };
  const char *const env[] = { "MOTCUA_DB=from-env.db", "MOTCUA_OFFICER=Lò Văn Sáng", NULL };
  g_autoptr(Run) init = cli_runv (f, env, init_argv);
  g_autoptr(Run) status = cli_runv (f, env, status_argv);
  g_autofree char *path = fixture_path (f, "from-env.db");
  g_autoptr(JsonNode) root = NULL;

  assert_ok (init);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  assert_ok (status);
  root = parse_json (status->out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "officer"), ==,
                   "Lò Văn Sáng");
}

static void
test_cases_edit (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *receipt = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(Run) half = NULL;
  g_autoptr(Run) edit = NULL;
  g_autoptr(JsonObject) shown = NULL;
  JsonObject *applicant;

  set_up_desk (f);
  receipt = receive (f, "MAU.HT.002", "2025-03-03T09:00:00+07:00");
  before = export_state (f);

  /* The first field is fine, the second is not: neither is written. */
  half = cli_run (f, "cases", "edit", receipt, "phone=0987654321", "colour=red", NULL);
  assert_usage_error (half, "colour");
  after = export_state (f);
  g_assert_cmpstr (before, ==, after);

  edit = cli_run (f, "cases", "edit", receipt, "phone=+84 987 654 321",
                  "address=Thôn 2, Tả Van", "papers=0,1", "--note", "Công dân bổ sung", NULL);
  assert_ok (edit);

  shown = show_case (f, receipt);
  applicant = json_object_get_object_member (shown, "applicant");
  g_assert_cmpstr (json_object_get_string_member (applicant, "phone"), ==, "0987654321");
  g_assert_cmpstr (json_object_get_string_member (applicant, "address"), ==, "Thôn 2, Tả Van");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (shown, "papers")), ==,
                    2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (shown, "events")), >,
                    1);
}

static void
test_cases_transfer (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *receipt = NULL;
  g_autoptr(Run) transfer = NULL;
  g_autoptr(Run) again = NULL;
  g_autoptr(JsonObject) shown = NULL;

  set_up_desk (f);
  receipt = receive (f, "MAU.HT.002", "2025-03-03T09:00:00+07:00");

  transfer = cli_run (f, "cases", "transfer", receipt, "LC.SP", "--note", "Liên thông", NULL);
  assert_ok (transfer);
  shown = show_case (f, receipt);
  g_assert_cmpstr (json_object_get_string_member (shown, "handling_office"), ==, "LC.SP");
  g_assert_cmpstr (json_object_get_string_member (shown, "receiving_office"), ==, OFFICE);

  again = cli_run (f, "cases", "transfer", receipt, "LC.SP", NULL);
  assert_usage_error (again, "LC.SP");
}

static void
test_cases_import (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *cases = NULL;
  g_autoptr(Run) import = NULL;
  g_autoptr(Run) count = NULL;
  g_autoptr(JsonObject) shown = NULL;

  set_up_desk (f);
  cases = write_file (f, "cases.json", cases_json);

  import = cli_run (f, "cases", "import", cases, NULL);
  assert_ok (import);
  g_assert_nonnull (strstr (import->out, "1"));

  shown = show_case (f, "OLD-2024-000007");
  g_assert_cmpstr (json_object_get_string_member (shown, "status"), ==, "returned");
  g_assert_cmpstr (json_object_get_string_member (shown, "result"), ==, "Giấy khai sinh");

  count = cli_run (f, "cases", "list", "--status", "returned", "--count", NULL);
  assert_ok (count);
  g_assert_cmpstr (count->out, ==, "1\n");
}

static void
test_cases_list_filters (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autoptr(Run) overdue = NULL;
  g_autoptr(Run) week = NULL;
  g_autoptr(Run) page = NULL;
  g_autoptr(Run) procedure = NULL;
  g_autoptr(Run) online = NULL;
  g_autoptr(JsonNode) page_root = NULL;

  set_up_desk (f);
  a = receive (f, "MAU.HT.002", "2025-03-03T09:00:00+07:00");   /* due 2025-03-10 */
  b = receive (f, "MAU.HT.002", "2025-03-12T09:00:00+07:00");   /* due 2025-03-19 */
  c = receive (f, "MAU.HT.001", "2025-03-12T10:00:00+07:00");   /* due 2025-03-12 */

  overdue = cli_run (f, "cases", "list", "--overdue", "--today", "2025-03-17", NULL);
  assert_ok (overdue);
  g_assert_nonnull (strstr (overdue->out, a));
  g_assert_nonnull (strstr (overdue->out, c));
  g_assert_null (strstr (overdue->out, b));

  week = cli_run (f, "cases", "list", "--due-this-week", "--today", "2025-03-17", NULL);
  assert_ok (week);
  g_assert_nonnull (strstr (week->out, b));
  g_assert_null (strstr (week->out, a));

  procedure = cli_run (f, "cases", "list", "--procedure", "MAU.HT.001", "--count", NULL);
  assert_ok (procedure);
  g_assert_cmpstr (procedure->out, ==, "1\n");

  online = cli_run (f, "cases", "list", "--channel", "online", "--count", NULL);
  assert_ok (online);
  g_assert_cmpstr (online->out, ==, "0\n");

  page = cli_run (f, "--json", "cases", "list", "--limit", "2", "--offset", "1", NULL);
  assert_ok (page);
  page_root = parse_json (page->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (page_root)), ==, 2);
}

/* More cases than one page: the list says it stops, on standard error, and --limit and --all
 * show the rest. */
static void
test_cases_list_limit (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GString) json = g_string_new ("{\"format\":\"motcua-cases\",\"version\":1,\"cases\":[");
  g_autofree char *path = NULL;
  g_autoptr(Run) import = NULL;
  g_autoptr(Run) text = NULL;
  g_autoptr(Run) page = NULL;
  g_autoptr(Run) all = NULL;
  g_autoptr(Run) exact = NULL;
  g_autoptr(Run) offset = NULL;
  g_autoptr(Run) search = NULL;
  g_autoptr(Run) search_all = NULL;
  g_autoptr(JsonNode) page_root = NULL;
  g_autoptr(JsonNode) all_root = NULL;
  g_autoptr(JsonNode) search_root = NULL;
  g_auto(GStrv) lines = NULL;
  const char *const bad[] = { "0", "-1", "abc", "", "1.5", "2147483648" };

  set_up_desk (f);
  for (guint i = 1; i <= 103; i++)
    g_string_append_printf (json,
                            "%s{\"receipt_no\":\"OLD-2024-%06u\",\"procedure\":\"MAU.HT.001\","
                            "\"receiving_office\":\"LC.SP.TV\","
                            "\"applicant\":{\"name\":\"Lò Thị Mai\",\"citizen_id\":\"010190001234\"},"
                            "\"channel\":\"counter\",\"received_at\":\"2024-11-04T08:30:00+07:00\","
                            "\"due_date\":\"2024-11-04\",\"papers\":[0,1],\"status\":\"received\"}",
                            i > 1 ? "," : "", i);
  g_string_append (json, "]}");
  path = write_file (f, "many.json", json->str);
  import = cli_run (f, "cases", "import", path, NULL);
  assert_ok (import);

  /* The default page: 100 rows under the heading, and a notice beside them. */
  text = cli_run (f, "cases", "list", NULL);
  g_assert_cmpint (text->status, ==, 0);
  lines = g_strsplit (g_strchomp (text->out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 100);
  g_assert_cmpstr (text->err, ==,
                   "Showing the first 100 of 103 cases; use --limit N or --all to see more.\n");

  /* JSON stays JSON: the notice goes to standard error only. */
  page = cli_run (f, "--json", "cases", "list", NULL);
  g_assert_cmpint (page->status, ==, 0);
  page_root = parse_json (page->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (page_root)), ==, 100);
  g_assert_nonnull (strstr (page->err, "first 100 of 103"));

  all = cli_run (f, "--json", "cases", "list", "--all", NULL);
  assert_ok (all);
  all_root = parse_json (all->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (all_root)), ==, 103);

  exact = cli_run (f, "cases", "list", "--limit", "103", NULL);
  assert_ok (exact);

  offset = cli_run (f, "cases", "list", "--limit", "5", "--offset", "10", NULL);
  g_assert_cmpint (offset->status, ==, 0);
  g_assert_nonnull (strstr (offset->err, "Showing cases 11 to 15 of 103;"));

  search = cli_run (f, "cases", "search", "mai", "--limit", "3", NULL);
  g_assert_cmpint (search->status, ==, 0);
  g_assert_nonnull (strstr (search->err, "first 3 of 103 cases"));
  search_all = cli_run (f, "--json", "cases", "search", "mai", "--all", NULL);
  assert_ok (search_all);
  search_root = parse_json (search_all->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (search_root)), ==, 103);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *option = g_strdup_printf ("--limit=%s", bad[i]);
      g_autoptr(Run) list = cli_run (f, "cases", "list", option, NULL);
      g_autoptr(Run) found = cli_run (f, "cases", "search", "mai", option, NULL);

      assert_usage_error (list, "--limit");
      assert_usage_error (found, "--limit");
    }
  {
    g_autoptr(Run) both = cli_run (f, "cases", "list", "--limit", "5", "--all", NULL);

    assert_usage_error (both, "--all");
  }
}

/* JSON */

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  const char *const commands[][8] = {
    { "status", NULL },
    { "offices", "list", NULL },
    { "offices", "show", OFFICE, NULL },
    { "catalogue", "list", NULL },
    { "catalogue", "search", "ket hon", NULL },
    { "catalogue", "show", "MAU.HT.001", NULL },
    { "calendar", "holidays", "2026", NULL },
    { "calendar", "due", "2025-03-03", "5", NULL },
    { "calendar", "due", "--procedure", "MAU.HT.002", "2025-03-03", NULL },
    { "cases", "list", NULL },
    { "cases", "list", "--count", NULL },
    { "cases", "search", "an", NULL },
    { "cases", "show", OFFICE "-2025-000001", NULL },
    { "changes", "--limit", "5", NULL },
    { "export", "--canonical", NULL },
  };
  g_autofree char *receipt = NULL;

  set_up_desk (f);
  receipt = receive (f, "MAU.HT.002", "2025-03-03T09:00:00+07:00");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(Run) run = NULL;
      g_autoptr(JsonNode) root = NULL;

      g_test_message ("--json %s %s", commands[i][0], commands[i][1]);
      g_ptr_array_add (argv, (gpointer) "--db");
      g_ptr_array_add (argv, f->db);
      for (guint k = 0; commands[i][k] != NULL; k++)
        g_ptr_array_add (argv, (gpointer) commands[i][k]);
      /* --json after the command works as well as before it. */
      g_ptr_array_add (argv, (gpointer) "--json");
      g_ptr_array_add (argv, NULL);

      run = cli_runv (f, NULL, (const char *const *) argv->pdata);
      assert_ok (run);
      root = parse_json (run->out);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (root) || JSON_NODE_HOLDS_ARRAY (root));
    }
}

static JsonObject *
run_json_object (Fixture    *f,
                 const char *first,
                 ...) G_GNUC_NULL_TERMINATED;

/* Runs a command with --json and returns the object it printed. */
static JsonObject *
run_json_object (Fixture    *f,
                 const char *first,
                 ...)
{
  g_autoptr(Run) run = NULL;
  va_list args;

  va_start (args, first);
  run = cli_run_valist (f, TRUE, first, args);
  va_end (args);

  return ok_object (run);
}

static void
test_json_writes (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *offices = write_file (f, "offices.json", offices_json);
  g_autofree char *catalogue = write_file (f, "catalogue.json", catalogue_json);
  g_autofree char *calendar = write_file (f, "calendar.json", calendar_json);
  g_autofree char *cases = write_file (f, "cases.json", cases_json);
  g_autofree char *receipt = NULL;
  g_autoptr(JsonObject) init = NULL;
  g_autoptr(JsonObject) imported = NULL;
  g_autoptr(JsonObject) days = NULL;
  g_autoptr(JsonObject) old = NULL;
  g_autoptr(JsonObject) advanced = NULL;
  g_autoptr(JsonObject) edited = NULL;
  g_autoptr(JsonObject) transferred = NULL;
  g_autoptr(JsonObject) shown = NULL;
  JsonArray *events;

  init = run_json_object (f, "init", "--office", OFFICE, "--offices", offices, NULL);
  g_assert_cmpstr (json_object_get_string_member (init, "role"), ==, "commune");
  g_assert_cmpint (json_object_get_int_member (init, "offices_imported"), ==, 5);

  imported = run_json_object (f, "catalogue", "import", catalogue, NULL);
  g_assert_cmpint (json_object_get_int_member (imported, "imported"), ==, 3);
  days = run_json_object (f, "calendar", "import", calendar, NULL);
  g_assert_cmpint (json_object_get_int_member (days, "imported"), ==, 5);
  old = run_json_object (f, "cases", "import", cases, NULL);
  g_assert_cmpint (json_object_get_int_member (old, "imported"), ==, 1);

  receipt = receive (f, "MAU.HT.002", "2025-03-03T09:00:00+07:00");

  /* --officer names who did it, in the timeline. */
  advanced = run_json_object (f, "cases", "advance", receipt, "in_processing",
                              "--officer", "Lò Văn Sáng", NULL);
  g_assert_cmpstr (json_object_get_string_member (advanced, "status"), ==, "in_processing");
  edited = run_json_object (f, "cases", "edit", receipt, "applicant_name=Nguyễn Văn Ân", NULL);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (edited, "applicant"), "name"),
                   ==, "Nguyễn Văn Ân");
  transferred = run_json_object (f, "cases", "transfer", receipt, "LC.SP", NULL);
  g_assert_cmpstr (json_object_get_string_member (transferred, "handling_office"), ==, "LC.SP");

  shown = show_case (f, receipt);
  events = json_object_get_array_member (shown, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0),
                                                  "officer"), ==, "cán bộ thử");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 1),
                                                  "officer"), ==, "Lò Văn Sáng");
}

/* --help */

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  const char *const commands[][3] = {
    { NULL },
    { "init", NULL },
    { "status", NULL },
    { "offices", NULL },
    { "offices", "list", NULL },
    { "offices", "show", NULL },
    { "catalogue", NULL },
    { "catalogue", "import", NULL },
    { "catalogue", "list", NULL },
    { "catalogue", "search", NULL },
    { "catalogue", "show", NULL },
    { "calendar", NULL },
    { "calendar", "import", NULL },
    { "calendar", "holidays", NULL },
    { "calendar", "due", NULL },
    { "cases", NULL },
    { "cases", "receive", NULL },
    { "cases", "list", NULL },
    { "cases", "show", NULL },
    { "cases", "edit", NULL },
    { "cases", "advance", NULL },
    { "cases", "transfer", NULL },
    { "cases", "search", NULL },
    { "cases", "import", NULL },
    { "report", NULL },
    { "export", NULL },
    { "changes", NULL },
    { "enroll", NULL },
    { "sync", NULL },
    { "sync", "status" },
    { "conflicts", NULL },
    { "conflicts", "list" },
    { "conflicts", "show" },
    { "conflicts", "resolve" },
    { "rejected", NULL },
    { "rejected", "list" },
    { "rejected", "retry" },
    { "rejected", "discard" },
    { "attach", NULL },
    { "attachments", NULL },
    { "attachment", NULL },
    { "attachment", "get" },
    { "attachment", "show" },
    { "attachment", "remove" },
    { "attachment", "fetch-all" },
  };
  g_autoptr(Run) sync_help = NULL;
  g_autoptr(Run) status_help = NULL;
  g_autoptr(Run) status_help_after = NULL;

  /* No replica: help needs none. */
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    for (guint form = 0; form < 2; form++)
      {
        g_autoptr(GPtrArray) argv = g_ptr_array_new ();
        g_autoptr(GString) path = g_string_new ("motcua-cli");
        g_autoptr(Run) run = NULL;

        for (guint k = 0; k < G_N_ELEMENTS (commands[i]) && commands[i][k] != NULL; k++)
          {
            g_ptr_array_add (argv, (gpointer) commands[i][k]);
            g_string_append_printf (path, " %s", commands[i][k]);
          }
        g_ptr_array_add (argv, (gpointer) (form == 0 ? "--help" : "-h"));
        g_ptr_array_add (argv, NULL);
        g_test_message ("%s --help", path->str);

        run = cli_runv (f, NULL, (const char *const *) argv->pdata);
        assert_ok (run);
        g_assert_nonnull (strstr (run->out, "Usage:"));
        if (commands[i][0] != NULL)
          g_assert_nonnull (strstr (run->out, path->str + strlen ("motcua-cli ")));
        g_assert_nonnull (strstr (run->out, "--db"));
      }

  /* A subcommand of a command that also runs alone has its own help, whatever the options
   * around it; the command's help names it. */
  sync_help = cli_run (f, "sync", "--help", NULL);
  assert_ok (sync_help);
  g_assert_nonnull (strstr (sync_help->out, "--watch"));
  g_assert_nonnull (strstr (sync_help->out, "  status  "));
  status_help = cli_run (f, "sync", "status", "--help", NULL);
  assert_ok (status_help);
  g_assert_cmpstr (status_help->out, !=, sync_help->out);
  g_assert_nonnull (strstr (status_help->out, "motcua-cli [OPTION…] sync status\n"));
  g_assert_null (strstr (status_help->out, "--watch"));
  status_help_after = cli_run (f, "sync", "--json", "status", "-h", NULL);
  assert_ok (status_help_after);
  g_assert_cmpstr (status_help_after->out, ==, status_help->out);

  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

/* report, export, changes */

static void
test_report (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(Run) text = NULL;
  g_autoptr(Run) csv = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(Run) json_format = NULL;
  g_autoptr(Run) district = NULL;
  g_autoptr(Run) bad_date = NULL;
  g_autoptr(Run) bad_format = NULL;
  g_autoptr(Run) advance = NULL;
  g_autoptr(JsonNode) root = NULL;

  set_up_desk (f);
  a = receive (f, "MAU.HT.002", "2025-03-03T09:00:00+07:00");
  b = receive (f, "MAU.HT.001", "2025-03-05T09:00:00+07:00");
  advance = cli_run (f, "cases", "advance", b, "in_processing", "--at", "2025-03-05T10:00:00",
                     NULL);
  assert_ok (advance);

  text = cli_run (f, "report", "--from", "2025-03-01", "--to", "2025-03-31", NULL);
  assert_ok (text);
  g_assert_cmpuint (strlen (text->out), >, 0);
  g_assert_nonnull (strstr (text->out, "Xã Tả Van"));

  csv = cli_run (f, "report", "--from", "2025-03-01", "--to", "2025-03-31", "--format", "csv",
                 NULL);
  assert_ok (csv);
  g_assert_nonnull (strchr (csv->out, ','));
  g_assert_nonnull (strstr (csv->out, OFFICE));

  json = cli_run (f, "--json", "report", "--from", "2025-03-01", "--to", "2025-03-31", NULL);
  assert_ok (json);
  root = parse_json (json->out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root) || JSON_NODE_HOLDS_ARRAY (root));
  json_format = cli_run (f, "report", "--from", "2025-03-01", "--to", "2025-03-31",
                         "--format", "json", NULL);
  assert_ok (json_format);
  g_assert_cmpstr (json_format->out, ==, json->out);

  district = cli_run (f, "report", "--office", "LC.SP", "--from", "2025-03-01",
                      "--to", "2025-03-31", NULL);
  assert_ok (district);
  g_assert_nonnull (strstr (district->out, "Thị xã Sa Pa"));
  g_assert_nonnull (strstr (district->out, "Xã Tả Van"));

  bad_date = cli_run (f, "report", "--from", "2025-13-01", "--to", "2025-03-31", NULL);
  assert_usage_error (bad_date, "2025-13-01");
  bad_format = cli_run (f, "report", "--from", "2025-03-01", "--to", "2025-03-31",
                        "--format", "pdf", NULL);
  assert_usage_error (bad_format, "pdf");
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *receipt = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *file = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(Run) to_file = NULL;
  g_autoptr(Run) bad_dir = NULL;
  g_autoptr(JsonNode) root = NULL;

  set_up_desk (f);
  receipt = receive (f, "MAU.HT.002", "2025-03-03T09:00:00+07:00");

  first = export_state (f);
  second = export_state (f);
  g_assert_cmpstr (first, ==, second);
  root = parse_json (first);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_assert_nonnull (strstr (first, receipt));

  file = fixture_path (f, "export.json");
  to_file = cli_run (f, "export", "--canonical", "--output", file, NULL);
  assert_ok (to_file);
  g_assert_cmpstr (to_file->out, ==, "");
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, first);

  bad_dir = cli_run (f, "export", "--canonical", "--output", "no/such/dir/export.json", NULL);
  g_assert_cmpint (bad_dir->status, ==, 1);
  g_assert_true (g_str_has_prefix (bad_dir->err, "motcua-cli: "));
}

static void
test_changes (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *receipt = NULL;
  g_autoptr(Run) status = NULL;
  g_autoptr(Run) changes = NULL;
  g_autoptr(Run) text = NULL;
  g_autoptr(Run) after = NULL;
  g_autoptr(JsonNode) status_root = NULL;
  g_autoptr(JsonNode) changes_root = NULL;
  g_autoptr(JsonNode) after_root = NULL;
  g_autofree char *last = NULL;
  JsonObject *st;
  JsonArray *array;
  gboolean saw_case = FALSE;

  set_up_desk (f);
  receipt = receive (f, "MAU.HT.002", "2025-03-03T09:00:00+07:00");

  status = cli_run (f, "--json", "status", NULL);
  assert_ok (status);
  status_root = parse_json (status->out);
  st = json_node_get_object (status_root);
  g_assert_cmpstr (json_object_get_string_member (st, "office"), ==, OFFICE);
  g_assert_cmpstr (json_object_get_string_member (st, "role"), ==, "commune");
  g_assert_cmpint (json_object_get_int_member (st, "cases"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (st, "schema_version"), ==, MOTCUA_SCHEMA_VERSION);
  g_assert_cmpint (json_object_get_int_member (st, "last_seq"), >, 0);
  g_assert_cmpint (json_object_get_int_member (st, "pending_changes"), >, 0);

  changes = cli_run (f, "--json", "changes", NULL);
  assert_ok (changes);
  changes_root = parse_json (changes->out);
  array = json_node_get_array (changes_root);
  g_assert_cmpint (json_array_get_length (array), ==, json_object_get_int_member (st, "last_seq"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *change = json_array_get_object_element (array, i);

      g_assert_cmpint (json_object_get_int_member (change, "seq"), ==, i + 1);
      if (g_str_equal (json_object_get_string_member (change, "table"), "cases")
          && g_strcmp0 (json_object_get_string_member (change, "column"), "receipt_no") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (change, "value"), ==, receipt);
          saw_case = TRUE;
        }
    }
  g_assert_true (saw_case);

  text = cli_run (f, "changes", "--limit", "3", NULL);
  assert_ok (text);
  g_assert_nonnull (strstr (text->out, "SEQ"));

  last = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (st, "last_seq"));
  after = cli_run (f, "--json", "changes", "--after", last, NULL);
  assert_ok (after);
  after_root = parse_json (after->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (after_root)), ==, 0);
}

/* A damaged replica exits 3, not 2: nothing the user typed was wrong, and typing it again will
 * not help. */
static void
test_damaged_log (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *receipt = NULL;
  g_autoptr(Run) changes = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(Run) not_a_replica = NULL;

  set_up_desk (f);
  receipt = receive (f, "MAU.HT.002", "2025-03-03T09:00:00+07:00");
  tamper (f, "UPDATE changes SET fields = x'ff'");

  changes = cli_run (f, "changes", NULL);
  assert_error (changes, 3, "damaged at sequence number");
  json = cli_run (f, "--json", "changes", NULL);
  assert_error (json, 3, "damaged at sequence number");

  /* A file that is not a replica at all is no usage error either. */
  tamper (f, "PRAGMA application_id = 0");
  not_a_replica = cli_run (f, "status", NULL);
  assert_error (not_a_replica, 3, "not a Một Cửa replica");
}

/* sync --json answers in JSON when it fails too: {"error": {"code", "message"}} on standard
 * output, the line on standard error, and the exit status of the table. */
static JsonObject *
assert_json_error (Run        *run,
                   int         status,
                   const char *code)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *error;

  g_test_message ("stderr: %s", run->err);
  g_assert_cmpint (run->status, ==, status);
  g_assert_true (g_str_has_prefix (run->err, "motcua-cli: "));
  root = parse_json (run->out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_assert_cmpuint (json_object_get_size (json_node_get_object (root)), ==, 1);
  error = json_object_get_object_member (json_node_get_object (root), "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member_with_default (error, "message", ""), !=, "");
  /* The same message as on standard error. */
  g_assert_nonnull (strstr (run->err, json_object_get_string_member (error, "message")));

  return json_object_ref (error);
}

static void
test_sync_json_error (Fixture       *f,
                      gconstpointer  data)
{
  const char *const env[] = { "no_proxy=127.0.0.1", "NO_PROXY=127.0.0.1", NULL };
  g_autoptr(Run) absent = NULL;
  g_autoptr(Run) unenrolled = NULL;
  g_autoptr(Run) unenrolled_text = NULL;
  g_autoptr(Run) bad_watch = NULL;
  g_autoptr(Run) unreachable = NULL;
  g_autoptr(Run) status = NULL;
  g_autoptr(JsonObject) e1 = NULL;
  g_autoptr(JsonObject) e2 = NULL;
  g_autoptr(JsonObject) e3 = NULL;
  g_autoptr(JsonObject) e4 = NULL;
  g_autoptr(JsonNode) status_root = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  absent = cli_run (f, "--json", "sync", NULL);
  e1 = assert_json_error (absent, 2, "not-found");

  set_up_desk (f);
  unenrolled = cli_run (f, "sync", "--json", NULL);
  e2 = assert_json_error (unenrolled, 2, "not-enrolled");
  unenrolled_text = cli_run (f, "sync", NULL);
  assert_error (unenrolled_text, 2, "not enrolled");
  bad_watch = cli_run (f, "--json", "sync", "--watch", "0", NULL);
  e3 = assert_json_error (bad_watch, 2, "usage");

  /* Enrolled with a server where nothing listens: try again later (4). */
  tamper (f, "INSERT INTO meta (key, value) VALUES ('server_url', 'http://127.0.0.1:1'),"
             " ('server_token', '0123456789abcdef.0123456789abcdef')");
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->db);
  g_ptr_array_add (argv, (gpointer) "--json");
  g_ptr_array_add (argv, (gpointer) "sync");
  g_ptr_array_add (argv, NULL);
  unreachable = cli_runv (f, env, (const char *const *) argv->pdata);
  e4 = assert_json_error (unreachable, 4, "unavailable");

  /* sync status still answers, as JSON. */
  status = cli_run (f, "sync", "status", "--json", NULL);
  assert_ok (status);
  status_root = parse_json (status->out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (status_root), "server"),
                   ==, "http://127.0.0.1:1");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (status_root),
                                               "clock_offset_ms"), ==, 0);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (status_root),
                                                  "clock_off"));

  /* A sync found this computer's clock 3 hours and a half ahead: said, in both forms. */
  tamper (f, "INSERT OR REPLACE INTO meta (key, value) VALUES ('clock_offset', -12600000)");
  g_clear_pointer (&status, motcua_test_run_free);
  g_clear_pointer (&status_root, json_node_unref);
  status = cli_run (f, "sync", "status", "--json", NULL);
  assert_ok (status);
  status_root = parse_json (status->out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (status_root),
                                               "clock_offset_ms"), ==, -12600000);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (status_root),
                                                 "clock_off"));
  g_clear_pointer (&status, motcua_test_run_free);
  status = cli_run (f, "sync", "status", NULL);
  assert_ok (status);
  g_assert_nonnull (strstr (status->out, "-12600 s"));
  g_assert_nonnull (strstr (status->out, "210 minutes ahead"));
}

/* The id of an office, from the tool. */
static char *
office_id (Fixture    *f,
           const char *code)
{
  g_autoptr(Run) run = cli_run (f, "--json", "offices", "show", code, NULL);
  g_autoptr(JsonNode) root = NULL;

  assert_ok (run);
  root = parse_json (run->out);

  return g_strdup (json_object_get_string_member (json_node_get_object (root), "id"));
}

/* A UUID as an SQL blob literal. */
static char *
uuid_sql (const char *uuid)
{
  g_auto(GStrv) parts = g_strsplit (uuid, "-", -1);
  g_autofree char *hex = g_strjoinv ("", parts);

  return g_strdup_printf ("x'%s'", hex);
}

/* The line of @text that starts with @prefix, or NULL. */
static char *
line_starting (const char *text,
               const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i]);

  return NULL;
}

/* The seq of the last change to @table (and @column, unless NULL: a whole row) in the log. */
static gint64
last_change_seq (Fixture    *f,
                 const char *table,
                 const char *column)
{
  g_autoptr(Run) run = cli_run (f, "--json", "changes", NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  gint64 seq = -1;

  assert_ok (run);
  root = parse_json (run->out);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *change = json_array_get_object_element (array, i);
      const char *c = json_object_get_null_member (change, "column") ? NULL
                      : json_object_get_string_member (change, "column");

      if (g_str_equal (json_object_get_string_member (change, "table"), table)
          && g_strcmp0 (c, column) == 0)
        seq = json_object_get_int_member (change, "seq");
    }
  g_assert_cmpint (seq, >, 0);

  return seq;
}

/* Changes the server refused are shown as refusals, each with its reason, in sync status and
 * in rejected list; the officer retries one (sent again as a new change) or discards one, and
 * cannot retry one about a case that is not the desk's any more. The refusals are written into
 * the replica as a sync would record them. */
static void
test_rejected (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *receipt = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *case_blob = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *field_seq = NULL;
  g_autofree char *row_seq = NULL;
  g_autofree char *gone_seq = NULL;
  g_autoptr(Run) edit = NULL;
  g_autoptr(Run) status = NULL;
  g_autoptr(Run) list = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(Run) retry = NULL;
  g_autoptr(Run) discard = NULL;
  g_autoptr(Run) bad = NULL;
  g_autoptr(Run) gone = NULL;
  g_autoptr(Run) none = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *pattern = NULL;
  JsonArray *array;
  gint64 last;

  set_up_desk (f);
  receipt = receive (f, "MAU.HT.002", "2025-03-03T09:00:00+07:00");
  edit = cli_run (f, "cases", "edit", receipt, "phone=0987654321", NULL);
  assert_ok (edit);
  record = show_case (f, receipt);
  case_blob = uuid_sql (json_object_get_string_member (record, "id"));
  field_seq = g_strdup_printf ("%" G_GINT64_FORMAT, last_change_seq (f, "cases", "phone"));
  row_seq = g_strdup_printf ("%" G_GINT64_FORMAT, last_change_seq (f, "case_events", NULL));
  gone_seq = g_strdup_printf ("%" G_GINT64_FORMAT, last_change_seq (f, "cases", "applicant_name"));
  sql = g_strdup_printf ("INSERT INTO rejected (seq, reason, at, gone) VALUES"
                         " (%s, 'the number is on a blacklist', '2025-03-03T10:00:00+07:00', NULL),"
                         " (%s, 'its case is not in the jurisdiction of LC.SP.TV',"
                         "  '2025-03-03T10:00:00+07:00', NULL),"
                         " (%s, 'case moved on', '2025-03-03T10:00:00+07:00', %s);"
                         "INSERT OR REPLACE INTO meta (key, value)"
                         " VALUES ('hub_acked', (SELECT max(seq + n - 1) FROM changes))",
                         field_seq, row_seq, gone_seq, case_blob);
  tamper (f, sql);

  /* Labelled as refusals, each with its reason. */
  status = cli_run (f, "sync", "status", NULL);
  assert_ok (status);
  g_test_message ("%s", status->out);
  g_assert_nonnull (strstr (status->out, "Refused by the server"));
  prefix = g_strdup_printf ("%s ", field_seq);
  line = line_starting (status->out, prefix);
  g_assert_nonnull (line);
  pattern = g_strdup_printf (" +cases %s +phone +the number is on a blacklist *$",
                             receipt);
  g_assert_true (g_regex_match_simple (pattern, line, 0, 0));
  g_clear_pointer (&line, g_free);
  g_free (prefix);
  prefix = g_strdup_printf ("%s ", row_seq);
  line = line_starting (status->out, prefix);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "case_events"));
  g_assert_nonnull (strstr (line, "(whole row)"));
  g_assert_nonnull (strstr (line, "its case is not in the jurisdiction"));

  list = cli_run (f, "rejected", "list", NULL);
  assert_ok (list);
  g_assert_nonnull (strstr (list->out, "the number is on a blacklist"));
  g_assert_nonnull (strstr (list->out, receipt));
  json = cli_run (f, "--json", "rejected", "list", NULL);
  assert_ok (json);
  root = parse_json (json->out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  /* In the order they were made. */
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (array, 0),
                                                 "gone"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1),
                                                  "reason"), ==, "the number is on a blacklist");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1),
                                                  "column"), ==, "phone");
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (array, 1),
                                                  "gone"));

  /* Wrong numbers are usage errors; one about a case that is gone only goes by discarding. */
  bad = cli_run (f, "rejected", "retry", "987654", NULL);
  assert_error (bad, 2, "987654");
  g_clear_pointer (&bad, motcua_test_run_free);
  bad = cli_run (f, "rejected", "discard", "x", NULL);
  assert_usage_error (bad, "SEQ");
  g_clear_pointer (&bad, motcua_test_run_free);
  bad = cli_run (f, "rejected", "retry", NULL);
  g_assert_cmpint (bad->status, ==, 2);
  gone = cli_run (f, "rejected", "retry", gone_seq, NULL);
  assert_error (gone, 2, "only discarded");

  /* Retried: a new change, pending, and no refusal. */
  last = last_change_seq (f, "cases", "phone");
  retry = cli_run (f, "rejected", "retry", field_seq, NULL);
  assert_ok (retry);
  g_assert_nonnull (strstr (retry->out, "next sync"));
  g_assert_cmpint (last_change_seq (f, "cases", "phone"), >, last);

  discard = cli_run (f, "rejected", "discard", row_seq, NULL);
  assert_ok (discard);
  g_clear_pointer (&discard, motcua_test_run_free);
  discard = cli_run (f, "--json", "rejected", "discard", gone_seq, NULL);
  assert_ok (discard);
  g_assert_cmpstr (discard->out, ==, "");

  none = cli_run (f, "rejected", "list", NULL);
  assert_ok (none);
  g_assert_nonnull (strstr (none->out, "refused none"));
  g_clear_pointer (&status, motcua_test_run_free);
  status = cli_run (f, "sync", "status", NULL);
  assert_ok (status);
  g_assert_null (strstr (status->out, "Refused by the server ("));
}

/* Conflicts name offices by their codes, never by the ids they are stored by. The conflicts
 * are written into the replica as the server's would arrive: two transfers of one case at
 * once, and two renamings of one office. */
static void
test_conflicts_office_codes (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *receipt = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *commune = NULL;
  g_autofree char *district = NULL;
  g_autofree char *case_blob = NULL;
  g_autofree char *district_blob = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(Run) list = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(Run) show = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *transfers = NULL;
  g_autofree char *renamings = NULL;
  g_auto(GStrv) cells = NULL;
  JsonArray *array;
  guint n_office_values = 0;

  set_up_desk (f);
  receipt = receive (f, "MAU.HT.002", "2025-03-03T09:00:00+07:00");
  record = show_case (f, receipt);
  commune = office_id (f, "LC.SP.TV");
  district = office_id (f, "LC.SP");
  case_blob = uuid_sql (json_object_get_string_member (record, "id"));
  district_blob = uuid_sql (district);
  sql = g_strdup_printf ("INSERT INTO conflicts (id, tbl, row_id, col, case_id, a_value, a_hlc,"
                         " a_replica, a_office, b_value, b_hlc, b_replica, b_office, detected_at,"
                         " resolved) VALUES"
                         " (x'01000000000000000000000000000000', 'cases', %s,"
                         " 'handling_office_id', %s, '\"%s\"', 65536, randomblob (16), 'LC.SP.TV',"
                         " '\"%s\"', 131072, randomblob (16), 'LC.SP',"
                         " '2025-03-03T10:00:00+07:00', 0),"
                         " (x'02000000000000000000000000000000', 'offices', %s, 'name', NULL,"
                         " '\"Thị xã Sa Pa\"', 65536, randomblob (16), 'LC',"
                         " '\"Thị xã Sapa\"', 131072, randomblob (16), 'LC.SP',"
                         " '2025-03-03T10:00:00+07:00', 0)",
                         case_blob, case_blob, commune, district, district_blob);
  tamper (f, sql);

  list = cli_run (f, "conflicts", "list", NULL);
  assert_ok (list);
  g_test_message ("%s", list->out);
  g_assert_null (strstr (list->out, commune));
  g_assert_null (strstr (list->out, district));
  /* ID RECORD FIELD VALUE-A VALUE-B RESOLVED */
  transfers = line_starting (list->out, "01000000 ");
  g_assert_nonnull (transfers);
  cells = g_regex_split_simple (" +", transfers, 0, 0);
  g_assert_cmpuint (g_strv_length (cells), ==, 6);
  g_assert_cmpstr (cells[1], ==, receipt);
  g_assert_cmpstr (cells[3], ==, "LC.SP.TV");
  g_assert_cmpstr (cells[4], ==, "LC.SP");
  renamings = line_starting (list->out, "02000000 ");
  g_assert_nonnull (renamings);
  g_assert_true (g_regex_match_simple ("^02000000 +LC\\.SP +name ", renamings, 0, 0));

  show = cli_run (f, "conflicts", "show", "01000000", NULL);
  assert_ok (show);
  g_assert_null (strstr (show->out, commune));
  g_assert_null (strstr (show->out, district));
  g_assert_nonnull (strstr (show->out, "LC.SP.TV — LC.SP.TV, desk"));
  g_assert_nonnull (strstr (show->out, "LC.SP — LC.SP, desk"));

  json = cli_run (f, "--json", "conflicts", "list", NULL);
  assert_ok (json);
  root = parse_json (json->out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *k = json_array_get_object_element (array, i);
      JsonObject *a = json_object_get_object_member (k, "a");
      JsonObject *b = json_object_get_object_member (k, "b");

      if (g_strcmp0 (json_object_get_string_member (k, "column"), "handling_office_id") != 0)
        {
          g_assert_false (json_object_has_member (a, "value_office"));
          continue;
        }
      /* The values stay ids, as resolve --value takes them; their codes come beside. */
      g_assert_cmpstr (json_object_get_string_member (a, "value"), ==, commune);
      g_assert_cmpstr (json_object_get_string_member (a, "value_office"), ==, "LC.SP.TV");
      g_assert_cmpstr (json_object_get_string_member (b, "value_office"), ==, "LC.SP");
      n_office_values++;
    }
  g_assert_cmpuint (n_office_values, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/cli/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("init/offices", test_init_offices);
  ADD ("init/role", test_init_role);
  ADD ("init/unknown-office", test_init_unknown_office);
  ADD ("init/sample-data", test_init_sample_data);
  ADD ("usage/missing-db", test_missing_db);
  ADD ("usage/db-from-environment", test_db_from_environment);
  ADD ("usage/help", test_help);
  ADD ("catalogue/search-show-list", test_catalogue);
  ADD ("catalogue/import-bad", test_catalogue_import_bad);
  ADD ("calendar/holidays-due", test_calendar);
  ADD ("cases/workflow", test_cases_workflow);
  ADD ("cases/illegal-step", test_cases_illegal_step);
  ADD ("cases/bad-input", test_cases_bad_input);
  ADD ("cases/edit", test_cases_edit);
  ADD ("cases/transfer", test_cases_transfer);
  ADD ("cases/import", test_cases_import);
  ADD ("cases/list-filters", test_cases_list_filters);
  ADD ("cases/list-limit", test_cases_list_limit);
  ADD ("json/read", test_json);
  ADD ("json/write", test_json_writes);
  ADD ("report", test_report);
  ADD ("export/deterministic", test_export);
  ADD ("changes-status", test_changes);
  ADD ("usage/damaged-log", test_damaged_log);
  ADD ("sync/json-error", test_sync_json_error);
  ADD ("conflicts/office-codes", test_conflicts_office_codes);
  ADD ("rejected", test_rejected);

#undef ADD

  return g_test_run ();
}
