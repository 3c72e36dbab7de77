/* test-cli-output.c: what motcua-cli prints: JSON, --help, report, export, changes, a damaged log
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "test-cli.h"

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
  g_autoptr(Run) period = NULL;
  g_autoptr(Run) bad_period = NULL;
  g_autoptr(Run) both = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) period_root = NULL;
  JsonObject *o;

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

  /* March's reporting period closes on the 14th and began on 15 February. */
  period = cli_run (f, "--json", "report", "--period", "2025-03", NULL);
  assert_ok (period);
  period_root = parse_json (period->out);
  o = json_node_get_object (period_root);
  g_assert_cmpstr (json_object_get_string_member (o, "from"), ==, "2025-02-15");
  g_assert_cmpstr (json_object_get_string_member (o, "to"), ==, "2025-03-14");
  bad_period = cli_run (f, "report", "--period", "2025-13", NULL);
  assert_usage_error (bad_period, "2025-13");
  both = cli_run (f, "report", "--period", "2025-Q1", "--from", "2025-03-01", NULL);
  assert_usage_error (both, "not both");
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

/* Time limits in their unit: catalogue show and list, JSON, and calendar due --procedure with
 * the online cut-off. Friday 6 March 2026 at 16:30, online, counts from Monday 9. */
static void
test_time_units (Fixture       *f,
                 gconstpointer  data)
{
  const char units_json[] =
    "{\"format\":\"motcua-catalogue\",\"version\":1,\"procedures\":["
    "{\"code\":\"MAU.TP.001\",\"name\":\"Cấp bản sao trích lục\",\"sector\":\"Tư pháp\","
    "\"levels\":[\"commune\"],\"processing_days\":8,\"time_unit\":\"hours\",\"fee\":0,"
    "\"online\":\"full\",\"documents\":[\"Tờ khai\"],\"legal_basis\":[\"l\"]},"
    "{\"code\":\"MAU.TP.002\",\"name\":\"Xác nhận\",\"sector\":\"Tư pháp\","
    "\"levels\":[\"commune\"],\"processing_days\":3,\"time_unit\":\"days\",\"fee\":0,"
    "\"online\":\"full\",\"documents\":[\"Tờ khai\"],\"legal_basis\":[\"l\"]}]}";
  g_autofree char *units = NULL;
  g_autoptr(Run) import = NULL;
  g_autoptr(Run) show = NULL;
  g_autoptr(Run) list = NULL;
  g_autoptr(Run) counter = NULL;
  g_autoptr(Run) online = NULL;
  g_autoptr(Run) online_alone = NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(JsonObject) due = NULL;

  set_up_desk (f);
  units = write_file (f, "units.json", units_json);
  import = cli_run (f, "catalogue", "import", units, NULL);
  assert_ok (import);

  show = cli_run (f, "catalogue", "show", "MAU.TP.001", NULL);
  assert_ok (show);
  g_assert_nonnull (strstr (show->out, "8 hours"));
  list = cli_run (f, "catalogue", "list", "--sector", "Tư pháp", NULL);
  assert_ok (list);
  g_assert_nonnull (strstr (list->out, "TIME LIMIT"));
  g_assert_nonnull (strstr (list->out, "8 hours"));
  g_assert_nonnull (strstr (list->out, "3 days"));

  shown = run_json_object (f, "catalogue", "show", "MAU.TP.002", NULL);
  g_assert_cmpint (json_object_get_int_member (shown, "processing_days"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (shown, "time_unit"), ==, "days");
  g_clear_pointer (&shown, json_object_unref);
  shown = run_json_object (f, "catalogue", "show", "MAU.HT.002", NULL);
  g_assert_cmpstr (json_object_get_string_member (shown, "time_unit"), ==, "working_days");

  /* Friday 6 March 2026 16:30 + 3 calendar days is Monday 9 at the counter; online it counts
   * from Monday 9, so Thursday 12. */
  counter = cli_run (f, "calendar", "due", "--procedure", "MAU.TP.002",
                     "2026-03-06T16:30:00+07:00", NULL);
  assert_ok (counter);
  g_assert_cmpstr (counter->out, ==, "2026-03-09\n");
  online = cli_run (f, "calendar", "due", "--procedure", "MAU.TP.002", "--online",
                    "2026-03-06T16:30:00+07:00", NULL);
  assert_ok (online);
  g_assert_cmpstr (online->out, ==, "2026-03-12\n");
  due = run_json_object (f, "calendar", "due", "--procedure", "MAU.TP.001",
                         "2026-03-06T16:30:00+07:00", NULL);
  g_assert_cmpstr (json_object_get_string_member (due, "due_date"), ==, "2026-03-09");
  g_assert_cmpstr (json_object_get_string_member (due, "time_unit"), ==, "hours");

  online_alone = cli_run (f, "calendar", "due", "--online", "2026-03-06", "3", NULL);
  assert_usage_error (online_alone, "--online");
}

void
test_cli_output_add_tests (void)
{
  CLI_ADD ("usage/help", test_help);
  CLI_ADD ("json/read", test_json);
  CLI_ADD ("json/write", test_json_writes);
  CLI_ADD ("report", test_report);
  CLI_ADD ("export/deterministic", test_export);
  CLI_ADD ("changes-status", test_changes);
  CLI_ADD ("catalogue/time-units", test_time_units);
  CLI_ADD ("usage/damaged-log", test_damaged_log);
}
