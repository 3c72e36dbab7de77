/* test-cli-sync.c: motcua-cli syncing: errors in JSON, refused changes, conflicts by office codes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "test-cli.h"

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

void
test_cli_sync_add_tests (void)
{
  CLI_ADD ("sync/json-error", test_sync_json_error);
  CLI_ADD ("conflicts/office-codes", test_conflicts_office_codes);
  CLI_ADD ("rejected", test_rejected);
}
