/* test-cli-cases.c: cases received, moved on, edited, transferred, imported and listed by motcua-cli
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "test-cli.h"

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
    { "return place", "nowhere", { "cases", "receive", "--procedure", "MAU.HT.001", "--name",
                                   "An", "--citizen-id", CITIZEN, "--return-at", "nowhere",
                                   NULL } },
    { "return elsewhere, decided here", "itself", { "cases", "receive", "--procedure",
                                                    "MAU.HT.001", "--name", "An",
                                                    "--citizen-id", CITIZEN, "--return-at",
                                                    "deciding", NULL } },
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

/* Receives a case now (the tool's clock) and returns its receipt number. */
static char *
receive_now (Fixture *f)
{
  g_autoptr(Run) run = cli_run (f, "--json", "cases", "receive", "--procedure", "MAU.HT.002",
                                "--name", "Nguyễn Văn An", "--citizen-id", CITIZEN, NULL);
  g_autoptr(JsonObject) object = ok_object (run);

  return g_strdup (json_object_get_string_member (object, "receipt_no"));
}

/* The JSON object @argv (NULL-terminated) printed; it must succeed. */
static JsonObject *
run_object (Fixture    *f,
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

/* A working day @n working days after @day in @f's replica's calendar. */
static char *
working_day_after (Fixture    *f,
                   const char *day,
                   guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaReplica) replica = motcua_replica_open (f->db, &error);
  g_autoptr(MotcuaCalendar) calendar = NULL;
  GDate start, out;

  g_assert_no_error (error);
  calendar = motcua_replica_dup_calendar (replica, &error);
  g_assert_no_error (error);
  g_assert_true (motcua_check_date ("day", day, &start, NULL));
  motcua_calendar_add_working_days (calendar, &start, n, &out);
  return motcua_test_date_string (&out);
}

static void
test_cases_apologise (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *receipt = NULL;
  g_autofree char *closed = NULL;
  g_autofree char *new_date = NULL;
  g_autofree char *saturday = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(JsonObject) slip = NULL;
  g_autoptr(Run) text = NULL;
  g_autoptr(Run) show = NULL;
  g_autoptr(Run) withdrawn = NULL;
  g_autofree char *due = NULL;
  GDate day;

  set_up_desk (f);
  receipt = receive_now (f);
  closed = receive_now (f);
  withdrawn = cli_run (f, "cases", "advance", closed, "withdrawn", NULL);
  assert_ok (withdrawn);
  shown = run_object (f, "cases", "show", receipt, NULL);
  due = g_strdup (json_object_get_string_member (shown, "due_date"));
  new_date = working_day_after (f, due, 2);
  /* The first Saturday after the due date. */
  g_assert_true (motcua_check_date ("due", due, &day, NULL));
  do
    g_date_add_days (&day, 1);
  while (g_date_get_weekday (&day) != G_DATE_SATURDAY);
  saturday = motcua_test_date_string (&day);

  /* Bad input: exit 2, a message naming it, nothing written. */
  before = export_state (f);
  {
    const struct { const char *what, *needle, *until, *reason, *key; } bad[] = {
      { "no such case", "T.NONE", new_date, "Chờ xác minh", "T.NONE" },
      { "not a date", "31-12-2025", "31-12-2025", "Chờ xác minh", receipt },
      { "in the past", "2020-01-06", "2020-01-06", "Chờ xác minh", receipt },
      { "the due date", due, due, "Chờ xác minh", receipt },
      { "a Saturday", "working day", saturday, "Chờ xác minh", receipt },
      { "empty reason", "reason", new_date, "  ", receipt },
      { "no reason", "--reason", new_date, NULL, receipt },
      { "no date", "--until", NULL, "Chờ xác minh", receipt },
      { "a closed case", "withdrawn", new_date, "Chờ xác minh", closed },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GPtrArray) argv = g_ptr_array_new ();
        g_autoptr(Run) run = NULL;

        g_test_message ("bad apology: %s", bad[i].what);
        g_ptr_array_add (argv, (gpointer) "--db");
        g_ptr_array_add (argv, f->db);
        g_ptr_array_add (argv, (gpointer) "cases");
        g_ptr_array_add (argv, (gpointer) "apologise");
        g_ptr_array_add (argv, (gpointer) bad[i].key);
        if (bad[i].until != NULL)
          {
            g_ptr_array_add (argv, (gpointer) "--until");
            g_ptr_array_add (argv, (gpointer) bad[i].until);
          }
        if (bad[i].reason != NULL)
          {
            g_ptr_array_add (argv, (gpointer) "--reason");
            g_ptr_array_add (argv, (gpointer) bad[i].reason);
          }
        g_ptr_array_add (argv, NULL);
        run = cli_runv (f, NULL, (const char *const *) argv->pdata);
        assert_usage_error (run, bad[i].needle);
      }
  }
  after = export_state (f);
  g_assert_cmpstr (before, ==, after);

  /* The slip, as JSON and as text. */
  slip = run_object (f, "cases", "apologise", receipt, "--until", new_date, "--reason",
                     "Chờ xác minh nơi cư trú", NULL);
  g_assert_cmpstr (json_object_get_string_member (slip, "receipt_no"), ==, receipt);
  g_assert_cmpstr (json_object_get_string_member (slip, "due_date"), ==, due);
  g_assert_cmpstr (json_object_get_string_member (slip, "promised_date"), ==, new_date);
  g_assert_cmpstr (json_object_get_string_member (slip, "reason"), ==, "Chờ xác minh nơi cư trú");
  g_assert_cmpstr (json_object_get_string_member (slip, "applicant"), ==, "Nguyễn Văn An");
  g_assert_cmpstr (json_object_get_string_member (slip, "office"), ==, OFFICE);

  g_clear_pointer (&new_date, g_free);
  new_date = working_day_after (f, due, 3);
  text = cli_run (f, "cases", "apologise", receipt, "--until", new_date, "--reason",
                  "Chưa có kết quả đo đạc", NULL);
  assert_ok (text);
  g_assert_nonnull (strstr (text->out, "APOLOGY"));
  g_assert_nonnull (strstr (text->out, receipt));
  g_assert_nonnull (strstr (text->out, new_date));
  g_assert_nonnull (strstr (text->out, "Chưa có kết quả đo đạc"));

  /* The case shows the latest promise, and its due date is unchanged. */
  show = cli_run (f, "cases", "show", receipt, NULL);
  assert_ok (show);
  g_assert_nonnull (strstr (show->out, "Promised date"));
  g_assert_nonnull (strstr (show->out, new_date));
  g_clear_pointer (&shown, json_object_unref);
  shown = run_object (f, "cases", "show", receipt, NULL);
  g_assert_cmpstr (json_object_get_string_member (shown, "due_date"), ==, due);
  g_assert_cmpstr (json_object_get_string_member (shown, "promised_date"), ==, new_date);
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

void
test_cli_cases_add_tests (void)
{
  CLI_ADD ("usage/missing-db", test_missing_db);
  CLI_ADD ("usage/db-from-environment", test_db_from_environment);
  CLI_ADD ("cases/workflow", test_cases_workflow);
  CLI_ADD ("cases/illegal-step", test_cases_illegal_step);
  CLI_ADD ("cases/bad-input", test_cases_bad_input);
  CLI_ADD ("cases/edit", test_cases_edit);
  CLI_ADD ("cases/transfer", test_cases_transfer);
  CLI_ADD ("cases/apologise", test_cases_apologise);
  CLI_ADD ("cases/import", test_cases_import);
  CLI_ADD ("cases/list-filters", test_cases_list_filters);
  CLI_ADD ("cases/list-limit", test_cases_list_limit);
}
