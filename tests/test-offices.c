/* test-offices.c: offices with dates, the tree on a day, jurisdiction and reorganisations
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-test-utils.h"
#include "test-offices.h"

static void
put (MotcuaFixture *f,
     const char    *code,
     const char    *parent,
     MotcuaLevel    level,
     const char    *from,
     const char    *to,
     const char    *successor)
{
  MotcuaOffice office = {
    .code = (char *) code, .name = (char *) code, .level = level, .parent_code = (char *) parent,
    .in_force_from = (char *) from, .in_force_to = (char *) to,
    .successor_code = (char *) successor,
  };
  g_autoptr(GError) error = NULL;

  motcua_replica_put_office (f->replica, &office, &error);
  g_assert_no_error (error);
}

/* The fixture's district T.D and its communes end on 30 June 2025; a new commune T.M takes
 * their work over, and T.D.K, kept, moves under the province. */
void
test_offices_reform (MotcuaFixture *f)
{
  g_autoptr(MotcuaOffice) kept = NULL;
  g_autoptr(GError) error = NULL;
  MotcuaOfficeParent former = { (char *) "T.D", "2025-06-30" };

  put (f, "T.D.K", "T.D", MOTCUA_LEVEL_COMMUNE, NULL, NULL, NULL);
  put (f, "T.M", "T", MOTCUA_LEVEL_COMMUNE, "2025-07-01", NULL, NULL);
  put (f, "T.D.A", "T.D", MOTCUA_LEVEL_COMMUNE, NULL, "2025-06-30", "T.M");
  put (f, "T.D.B", "T.D", MOTCUA_LEVEL_COMMUNE, NULL, "2025-06-30", "T.M");
  put (f, "T.D", "T", MOTCUA_LEVEL_DISTRICT, NULL, "2025-06-30", "T.M");

  kept = motcua_replica_dup_office (f->replica, "T.D.K", &error);
  g_assert_no_error (error);
  g_free (kept->parent_code);
  kept->parent_code = g_strdup ("T");
  kept->former_parents = g_memdup2 (&former, sizeof former);
  kept->former_parents[0].code = g_strdup ("T.D");
  kept->n_former_parents = 1;
  motcua_replica_put_office (f->replica, kept, &error);
  g_assert_no_error (error);
}

static char *
codes (GPtrArray *offices)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < offices->len; i++)
    {
      const MotcuaOffice *office = g_ptr_array_index (offices, i);

      g_string_append_printf (out, "%s%s", i > 0 ? " " : "", office->code);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_tree_on_a_day (MotcuaFixture *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) gone = NULL;
  g_autoptr(MotcuaOffice) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before_codes = NULL;
  g_autofree char *after_codes = NULL;

  test_offices_reform (f);

  before = motcua_replica_list_tree_on (f->replica, "T", "2025-06-30", &error);
  g_assert_no_error (error);
  before_codes = codes (before);
  g_assert_cmpstr (before_codes, ==, "T T.D T.D.A T.D.B T.D.K");

  after = motcua_replica_list_tree_on (f->replica, "T", "2025-07-01", &error);
  g_assert_no_error (error);
  after_codes = codes (after);
  g_assert_cmpstr (after_codes, ==, "T T.D.K T.M");

  /* An office that was not in force that day has no tree. */
  gone = motcua_replica_list_tree_on (f->replica, "T.D", "2025-07-01", &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_null (gone);
  g_assert_nonnull (strstr (error->message, "2025-06-30"));

  /* The moved office keeps its history through a copy. */
  kept = motcua_replica_dup_office (f->replica, "T.D.K", NULL);
  g_assert_cmpuint (kept->n_former_parents, ==, 1);
  g_assert_cmpstr (motcua_office_parent_on (kept, "2025-06-30"), ==, "T.D");
  g_assert_cmpstr (motcua_office_parent_on (kept, "2025-07-01"), ==, "T");
}

static void
test_jurisdiction (MotcuaFixture *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) merged = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GPtrArray) province = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *merged_codes = NULL;
  g_autofree char *kept_codes = NULL;

  test_offices_reform (f);
  f->now_ms = motcua_test_ms ("2025-08-01T09:00:00+07:00");

  /* The new commune holds what its predecessors received. */
  merged = motcua_replica_list_jurisdiction (f->replica, "T.M", &error);
  g_assert_no_error (error);
  merged_codes = codes (merged);
  g_assert_cmpstr (merged_codes, ==, "T.D T.D.A T.D.B T.M");

  kept = motcua_replica_list_jurisdiction (f->replica, "T.D.K", &error);
  g_assert_no_error (error);
  kept_codes = codes (kept);
  g_assert_cmpstr (kept_codes, ==, "T.D.K");

  province = motcua_replica_list_jurisdiction (f->replica, "T", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (province->len, ==, 6);
}

static MotcuaCase *
receive_at (MotcuaFixture  *f,
            const char     *office,
            const char     *when,
            GError        **error)
{
  MotcuaReception r = {
    .procedure_code = "HT.KS", .receiving_office = office, .applicant_name = "Lò Văn Xanh",
    .citizen_id = "012345678901", .received_at = when,
  };

  return motcua_replica_receive (f->replica, &r, error);
}

static void
test_reception_dates (MotcuaFixture *f,
                      gconstpointer  data)
{
  g_autoptr(MotcuaCase) june = NULL;
  g_autoptr(MotcuaCase) july = NULL;
  g_autoptr(MotcuaCase) late = NULL;
  g_autoptr(MotcuaCase) early = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  gint64 before;

  test_offices_reform (f);
  june = receive_at (f, "T.D.A", "2025-06-30T16:00:00+07:00", &error);
  g_assert_no_error (error);
  july = receive_at (f, "T.M", "2025-07-01T08:00:00+07:00", &error);
  g_assert_no_error (error);
  before = motcua_test_count (f->replica, "cases");

  /* An ended office receives nothing, and the refusal says who took its work over. */
  late = receive_at (f, "T.D.A", "2025-07-01T08:00:00+07:00", &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_null (late);
  g_assert_nonnull (strstr (error->message, "2025-06-30"));
  g_assert_nonnull (strstr (error->message, "T.M"));
  g_clear_error (&error);

  early = receive_at (f, "T.M", "2025-06-30T08:00:00+07:00", &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_null (early);
  g_assert_nonnull (strstr (error->message, "2025-07-01"));
  g_clear_error (&error);
  g_assert_cmpint (motcua_test_count (f->replica, "cases"), ==, before);

  /* The new commune's list holds its predecessor's case. */
  filter.office = "T.M";
  filter.today = "2025-08-01";
  f->now_ms = motcua_test_ms ("2025-08-01T09:00:00+07:00");
  listed = motcua_replica_list_cases (f->replica, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
}

typedef struct
{
  const char *code, *from, *to, *successor;
  const char *expect;
} BadOffice;

static void
test_bad_dates (MotcuaFixture *f,
                gconstpointer  data)
{
  static const BadOffice cases[] = {
    { "T.X", "2025-07-01", "2025-06-30", NULL, "before it comes into force" },
    { "T.X", NULL, NULL, "T.D.A", "set in_force_to" },
    { "T.X", NULL, "2025-06-30", "T.NONE", "successor “T.NONE” is not an office" },
    { "T.X", NULL, "2025-06-30", "T.X", "its successor cannot be itself" },
    { "T.X", "2025-02-30", NULL, NULL, "in_force_from" },
  };
  gint64 before = motcua_test_count (f->replica, "offices");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MotcuaOffice office = {
        .code = (char *) cases[i].code, .name = (char *) "Xã X", .level = MOTCUA_LEVEL_COMMUNE,
        .parent_code = (char *) "T", .in_force_from = (char *) cases[i].from,
        .in_force_to = (char *) cases[i].to, .successor_code = (char *) cases[i].successor,
      };
      g_autoptr(GError) error = NULL;

      g_assert_false (motcua_replica_put_office (f->replica, &office, &error));
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].expect) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].expect);
    }
  g_assert_cmpint (motcua_test_count (f->replica, "offices"), ==, before);
}

static MotcuaCase *
receive_on_day (MotcuaFixture *f,
                const char    *office,
                const char    *when)
{
  g_autoptr(GError) error = NULL;
  MotcuaCase *c;

  f->now_ms = motcua_test_ms (when);
  c = receive_at (f, office, when, &error);
  g_assert_no_error (error);

  return c;
}

static const MotcuaReportRow *
row_at (MotcuaReport *report,
        guint         index,
        const char   *code,
        guint         depth)
{
  const MotcuaReportRow *row = motcua_report_get_row (report, index);

  g_assert_cmpstr (row->office_code, ==, code);
  g_assert_cmpuint (row->depth, ==, depth);

  return row;
}

/* A month the reform cuts in two (15 June – 14 July 2025), worked out by hand. A case received
 * at T.D.A on 20 June is new there, and at the month's end overdue at T.M, which took T.D.A's
 * work over; one received at T.D.K on 25 June is new under the district and overdue under the
 * province, where T.D.K moved; one received at T.M on 2 July is new and overdue there. The
 * province's total counts each case once. */
static void
test_report_across_reform (MotcuaFixture *f,
                           gconstpointer  data)
{
  g_autoptr(MotcuaCase) a = NULL;
  g_autoptr(MotcuaCase) k = NULL;
  g_autoptr(MotcuaCase) m = NULL;
  g_autoptr(MotcuaReport) month = NULL;
  g_autoptr(MotcuaReport) district = NULL;
  g_autoptr(MotcuaReport) after = NULL;
  g_autoptr(GError) error = NULL;
  const MotcuaReportRow *row;

  test_offices_reform (f);
  a = receive_on_day (f, "T.D.A", "2025-06-20T09:00:00+07:00");
  k = receive_on_day (f, "T.D.K", "2025-06-25T09:00:00+07:00");
  m = receive_on_day (f, "T.M", "2025-07-02T09:00:00+07:00");
  f->now_ms = motcua_test_ms ("2025-08-01T09:00:00+07:00");

  month = motcua_replica_report (f->replica, "T", "2025-06-15", "2025-07-14", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (motcua_report_get_n_rows (month), ==, 7);
  row = row_at (month, 0, "T", 0);
  g_assert_cmpint (row->total.received_total, ==, 3);
  g_assert_cmpint (row->total.new_direct, ==, 3);
  g_assert_cmpint (row->total.pending_overdue, ==, 3);
  g_assert_cmpint (row->total.pending_total, ==, 3);
  row = row_at (month, 1, "T.D", 1);
  g_assert_cmpint (row->total.received_total, ==, 2);
  g_assert_cmpint (row->total.pending_total, ==, 0);
  row = row_at (month, 2, "T.D.A", 2);
  g_assert_cmpint (row->own.new_direct, ==, 1);
  g_assert_cmpint (row->own.pending_total, ==, 0);
  row_at (month, 3, "T.D.B", 2);
  row = row_at (month, 4, "T.D.K", 2);
  g_assert_cmpint (row->own.new_direct, ==, 1);
  g_assert_cmpint (row->own.pending_total, ==, 0);
  row = row_at (month, 5, "T.D.K", 1);
  g_assert_cmpint (row->own.new_direct, ==, 0);
  g_assert_cmpint (row->own.pending_overdue, ==, 1);
  row = row_at (month, 6, "T.M", 1);
  g_assert_cmpint (row->own.new_direct, ==, 1);
  g_assert_cmpint (row->own.pending_overdue, ==, 2);

  /* The district, over the part of the month it was in force. */
  district = motcua_replica_report (f->replica, "T.D", "2025-06-15", "2025-07-14", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (motcua_report_get_n_rows (district), ==, 4);
  g_assert_cmpint (row_at (district, 0, "T.D", 0)->total.received_total, ==, 2);

  /* A period after it ended has nothing to say about it. */
  after = motcua_replica_report (f->replica, "T.D", "2025-07-15", "2025-08-14", &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_null (after);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  motcua_test_add ("/offices/tree-on-a-day", test_tree_on_a_day);
  motcua_test_add ("/offices/jurisdiction", test_jurisdiction);
  motcua_test_add ("/offices/reception-dates", test_reception_dates);
  motcua_test_add ("/offices/bad-dates", test_bad_dates);
  motcua_test_add ("/offices/report-across-reform", test_report_across_reform);
  test_reorganisation_add_tests ();

  return g_test_run ();
}
