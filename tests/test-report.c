/* test-report.c: the standard one-stop report and its roll-up through the office tree
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-test-utils.h"

/* Cases with a known outcome, each named by what it is in March and April 2025. Dates of
 * resolution and due dates are given so every figure below can be worked out by hand. */
typedef struct
{
  const char    *name;
  MotcuaChannel  channel;
  const char    *received_at;
  const char    *due_date;
  MotcuaStatus   status;
  const char    *resolved_at;
  const char    *returned_at;
} CaseTemplate;

#define COUNTER MOTCUA_CHANNEL_COUNTER
#define ONLINE MOTCUA_CHANNEL_ONLINE
#define POSTAL MOTCUA_CHANNEL_POSTAL
#define HOME MOTCUA_CHANNEL_HOME

/*                March 1–31                          April 1–30 */
static const CaseTemplate templates[] = {
  /* k1:  —                                           — */
  { "k1", COUNTER, "2025-02-10T09:00:00+07:00", "2025-02-13", MOTCUA_STATUS_APPROVED,
    "2025-02-12T10:00:00+07:00", NULL },
  /* k2:  carried, early                              — */
  { "k2", COUNTER, "2025-02-25T09:00:00+07:00", "2025-03-05", MOTCUA_STATUS_APPROVED,
    "2025-03-03T10:00:00+07:00", NULL },
  /* k3:  carried, overdue                            carried, overdue */
  { "k3", COUNTER, "2025-02-20T09:00:00+07:00", "2025-02-28", MOTCUA_STATUS_IN_PROCESSING,
    NULL, NULL },
  /* k4:  online, early                               — */
  { "k4", ONLINE, "2025-03-02T20:00:00+07:00", "2025-03-10", MOTCUA_STATUS_APPROVED,
    "2025-03-09T10:00:00+07:00", NULL },
  /* k5:  direct, on time                             — */
  { "k5", COUNTER, "2025-03-03T09:00:00+07:00", "2025-03-06", MOTCUA_STATUS_REFUSED,
    "2025-03-06T16:00:00+07:00", NULL },
  /* k6:  direct (postal), late                       — */
  { "k6", POSTAL, "2025-03-04T09:00:00+07:00", "2025-03-07", MOTCUA_STATUS_RETURNED,
    "2025-03-10T10:00:00+07:00", "2025-03-12T10:00:00+07:00" },
  /* k7:  direct (home), withdrawn                    — */
  { "k7", HOME, "2025-03-05T09:00:00+07:00", "2025-03-10", MOTCUA_STATUS_WITHDRAWN,
    "2025-03-06T10:00:00+07:00", NULL },
  /* k8:  online, withdrawn (cancelled)               — */
  { "k8", ONLINE, "2025-03-10T09:00:00+07:00", "2025-03-13", MOTCUA_STATUS_CANCELLED,
    "2025-03-11T10:00:00+07:00", NULL },
  /* k9:  direct, within                              carried, overdue */
  { "k9", COUNTER, "2025-03-28T09:00:00+07:00", "2025-04-02", MOTCUA_STATUS_RECEIVED,
    NULL, NULL },
  /* k10: online, supplement                          carried, supplement */
  { "k10", ONLINE, "2025-03-20T09:00:00+07:00", "2025-03-25",
    MOTCUA_STATUS_SUPPLEMENT_REQUESTED, NULL, NULL },
  /* k11: direct, within (due on the last day)        carried, late */
  { "k11", COUNTER, "2025-03-27T09:00:00+07:00", "2025-03-31", MOTCUA_STATUS_APPROVED,
    "2025-04-02T10:00:00+07:00", NULL },
  /* k12: —                                           online, early */
  { "k12", ONLINE, "2025-04-03T09:00:00+07:00", "2025-04-08", MOTCUA_STATUS_APPROVED,
    "2025-04-07T10:00:00+07:00", NULL },
  /* k13: carried, withdrawn (on the first day)       — */
  { "k13", COUNTER, "2025-02-26T09:00:00+07:00", "2025-03-03", MOTCUA_STATUS_WITHDRAWN,
    "2025-03-01T08:00:00+07:00", NULL },
  /* k14: direct (postal), late (on the last day)     — */
  { "k14", POSTAL, "2025-03-25T09:00:00+07:00", "2025-03-28", MOTCUA_STATUS_APPROVED,
    "2025-03-31T17:00:00+07:00", NULL },
  /* k15: direct (received on the last day), within   carried, overdue */
  { "k15", COUNTER, "2025-03-31T16:30:00+07:00", "2025-04-03", MOTCUA_STATUS_IN_PROCESSING,
    NULL, NULL },
  /* k16: online (received on the first day), on time — */
  { "k16", ONLINE, "2025-03-01T07:30:00+07:00", "2025-03-04", MOTCUA_STATUS_APPROVED,
    "2025-03-04T10:00:00+07:00", NULL },
  /* k17: carried, overdue                            carried, overdue */
  { "k17", HOME, "2025-02-27T09:00:00+07:00", "2025-03-04", MOTCUA_STATUS_RESUBMITTED,
    NULL, NULL },
  /* k18: —                                           direct (home), within */
  { "k18", HOME, "2025-04-10T09:00:00+07:00", "2025-05-05", MOTCUA_STATUS_IN_PROCESSING,
    NULL, NULL },
  /* k19: —                                           direct (postal), on time */
  { "k19", POSTAL, "2025-04-28T09:00:00+07:00", "2025-04-30", MOTCUA_STATUS_RETURNED,
    "2025-04-30T10:00:00+07:00", "2025-05-02T10:00:00+07:00" },
};

/* Which cases each office received. The province's own desk received none. */
static const struct
{
  const char *office;
  const char *cases;
} office_cases[] = {
  { "T.D.A", "k1 k2 k3 k4 k5 k6 k7 k8 k9 k10 k11 k12 k13 k14 k15 k16 k17 k18 k19" },
  { "T.D.B", "k2 k5 k6 k8 k9 k10 k12 k18" },
  { "T.D", "k1 k3 k4 k7 k11 k13 k14 k16 k17 k19" },
};

/* Figures in the order of MotcuaReportFigures: carried, new online, new direct, new postal,
 * received; early, on time, late, resolved; withdrawn; within, overdue, waiting for a
 * supplement, pending; digitised. */
typedef gint64 Figures[15];

static const Figures march_a = { 4, 4, 7, 2, 15,  2, 2, 2, 6,  3,  3, 2, 1, 6,  0 };
static const Figures march_b = { 1, 2, 3, 1, 6,   1, 1, 1, 3,  1,  1, 0, 1, 2,  0 };
static const Figures march_d = { 3, 2, 3, 1, 8,   1, 1, 1, 3,  2,  1, 2, 0, 3,  0 };
static const Figures march_district = { 8, 8, 13, 4, 29,  4, 4, 4, 12,  6,  5, 4, 2, 11,  0 };

static const Figures april_a = { 6, 1, 2, 1, 9,   1, 1, 1, 3,  0,  1, 4, 1, 6,  0 };
static const Figures april_b = { 2, 1, 1, 0, 4,   1, 0, 0, 1,  0,  1, 1, 1, 3,  0 };
static const Figures april_d = { 3, 0, 1, 1, 4,   0, 1, 1, 2,  0,  0, 2, 0, 2,  0 };
static const Figures april_district = { 11, 2, 4, 2, 17,  2, 2, 2, 6,  0,  2, 7, 2, 11,  0 };

static const Figures zero = { 0 };

static const CaseTemplate *
template_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    if (strcmp (templates[i].name, name) == 0)
      return &templates[i];

  g_assert_not_reached ();
}

static void
import_cases (MotcuaFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  guint serial = 0;

  motcua_replica_begin (fixture->replica, &error);
  g_assert_no_error (error);

  for (guint o = 0; o < G_N_ELEMENTS (office_cases); o++)
    {
      g_auto(GStrv) names = g_strsplit (office_cases[o].cases, " ", -1);

      for (guint i = 0; names[i] != NULL; i++)
        {
          const CaseTemplate *t = template_lookup (names[i]);
          g_autofree char *receipt_no = g_strdup_printf ("%s-%s", office_cases[o].office, t->name);
          g_autofree char *citizen_id = g_strdup_printf ("0010900%05u", ++serial);
          MotcuaCase record = {
            .receipt_no = receipt_no,
            .procedure_code = (char *) "HT.KS",
            .receiving_office = (char *) office_cases[o].office,
            .handling_office = (char *) office_cases[o].office,
            .applicant_name = (char *) "Nguyễn Văn Thử",
            .citizen_id = citizen_id,
            .channel = t->channel,
            .received_at = (char *) t->received_at,
            .due_date = (char *) t->due_date,
            .status = t->status,
            .resolved_at = (char *) t->resolved_at,
            .returned_at = (char *) t->returned_at,
            .returned_via = MOTCUA_CHANNEL_COUNTER,
          };

          motcua_replica_import_case (fixture->replica, &record, &error);
          g_assert_no_error (error);
        }
    }

  motcua_replica_commit (fixture->replica, &error);
  g_assert_no_error (error);
}

static void
report_set_up (MotcuaFixture *fixture,
               gconstpointer  data)
{
  motcua_fixture_set_up (fixture, data);
  import_cases (fixture);
  /* The periods under test are over: report as of June. */
  fixture->now_ms = motcua_test_ms ("2025-06-02T09:00:00+07:00");
}

/* A period that has not ended yet is judged as of today: a case due today is not overdue yet,
 * and becomes overdue tomorrow. */
static void
test_period_running (MotcuaFixture *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MotcuaReception r = { .procedure_code = "HT.KS", .receiving_office = "T.D.A",
                        .applicant_name = "Lò Văn Pằng", .citizen_id = "012345678999",
                        .received_at = "2025-07-07T09:00:00+07:00" };
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaReport) before = NULL;
  g_autoptr(MotcuaReport) today = NULL;
  g_autoptr(MotcuaReport) tomorrow = NULL;
  const MotcuaReportRow *base, *row;

  f->now_ms = motcua_test_ms ("2025-07-07T10:00:00+07:00");   /* a Monday */
  before = motcua_replica_report (f->replica, "T.D.A", "2025-07-01", "2025-07-31", &error);
  g_assert_no_error (error);
  base = motcua_report_find (before, "T.D.A");

  c = motcua_replica_receive (f->replica, &r, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->due_date, ==, "2025-07-07");

  today = motcua_replica_report (f->replica, "T.D.A", "2025-07-01", "2025-07-31", &error);
  g_assert_no_error (error);
  row = motcua_report_find (today, "T.D.A");
  g_assert_cmpint (row->own.pending_within, ==, base->own.pending_within + 1);
  g_assert_cmpint (row->own.pending_overdue, ==, base->own.pending_overdue);

  f->now_ms = motcua_test_ms ("2025-07-08T08:00:00+07:00");
  tomorrow = motcua_replica_report (f->replica, "T.D.A", "2025-07-01", "2025-07-31", &error);
  g_assert_no_error (error);
  row = motcua_report_find (tomorrow, "T.D.A");
  g_assert_cmpint (row->own.pending_within, ==, base->own.pending_within);
  g_assert_cmpint (row->own.pending_overdue, ==, base->own.pending_overdue + 1);
}

static char *
figures_to_string (const gint64 *values)
{
  static const char *const names[] = {
    "carried_over", "new_online", "new_direct", "new_postal", "received_total",
    "resolved_early", "resolved_on_time", "resolved_late", "resolved_total", "withdrawn",
    "pending_within", "pending_overdue", "pending_supplement", "pending_total", "digitised",
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_string_append_printf (out, "%s%s=%" G_GINT64_FORMAT, i > 0 ? " " : "", names[i], values[i]);

  return g_string_free (out, FALSE);
}

static void
figures_to_array (const MotcuaReportFigures *figures,
                  Figures                    out)
{
  const gint64 values[] = {
    figures->carried_over, figures->new_online, figures->new_direct, figures->new_postal,
    figures->received_total, figures->resolved_early, figures->resolved_on_time,
    figures->resolved_late, figures->resolved_total, figures->withdrawn, figures->pending_within,
    figures->pending_overdue, figures->pending_supplement, figures->pending_total,
    figures->digitised,
  };

  G_STATIC_ASSERT (sizeof values == sizeof (Figures));
  memcpy (out, values, sizeof values);
}

/* Every figure, compared as one line so a failure shows them all. */
static void
assert_figures (const MotcuaReportFigures *figures,
                const Figures              want)
{
  Figures got;
  g_autofree char *got_text = NULL;
  g_autofree char *want_text = NULL;

  figures_to_array (figures, got);
  got_text = figures_to_string (got);
  want_text = figures_to_string (want);
  g_assert_cmpstr (got_text, ==, want_text);
}

static void
assert_consistent (const MotcuaReportFigures *figures)
{
  g_assert_cmpint (figures->received_total, ==,
                   figures->carried_over + figures->new_online + figures->new_direct);
  g_assert_cmpint (figures->received_total, ==,
                   figures->resolved_total + figures->withdrawn + figures->pending_total);
  g_assert_cmpint (figures->resolved_total, ==,
                   figures->resolved_early + figures->resolved_on_time + figures->resolved_late);
  g_assert_cmpint (figures->pending_total, ==,
                   figures->pending_within + figures->pending_overdue
                   + figures->pending_supplement);
  g_assert_cmpint (figures->new_postal, <=, figures->new_direct);
  g_assert_cmpint (figures->digitised, <=, figures->new_online + figures->new_direct);
}

static void
assert_row (MotcuaReport *report,
            guint         index,
            const char   *code,
            MotcuaLevel   level,
            guint         depth,
            const Figures own,
            const Figures total)
{
  const MotcuaReportRow *row = motcua_report_get_row (report, index);

  g_test_message ("row %u: %s", index, code);
  g_assert_nonnull (row);
  g_assert_cmpstr (row->office_code, ==, code);
  g_assert_cmpint (row->level, ==, level);
  g_assert_cmpuint (row->depth, ==, depth);
  g_assert_true (motcua_report_find (report, code) == row);
  assert_consistent (&row->own);
  assert_consistent (&row->total);
  assert_figures (&row->own, own);
  assert_figures (&row->total, total);
}

static MotcuaReport *
make_report (MotcuaFixture *fixture,
             const char    *office,
             const char    *from,
             const char    *to)
{
  g_autoptr(GError) error = NULL;
  MotcuaReport *report = motcua_replica_report (fixture->replica, office, from, to, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpstr (motcua_report_get_from (report), ==, from);
  g_assert_cmpstr (motcua_report_get_to (report), ==, to);

  return report;
}

static void
test_rollup_province (MotcuaFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(MotcuaReport) report = make_report (fixture, "T", "2025-03-01", "2025-03-31");

  g_assert_cmpuint (motcua_report_get_n_rows (report), ==, 4);
  assert_row (report, 0, "T", MOTCUA_LEVEL_PROVINCE, 0, zero, march_district);
  assert_row (report, 1, "T.D", MOTCUA_LEVEL_DISTRICT, 1, march_d, march_district);
  assert_row (report, 2, "T.D.A", MOTCUA_LEVEL_COMMUNE, 2, march_a, march_a);
  assert_row (report, 3, "T.D.B", MOTCUA_LEVEL_COMMUNE, 2, march_b, march_b);
  g_assert_null (motcua_report_find (report, "T.X"));

  g_assert_cmpfloat_with_epsilon (motcua_report_figures_online_rate (
                                    &motcua_report_get_row (report, 0)->total),
                                  8.0 / 21.0, 1e-12);
  g_assert_cmpfloat (motcua_report_figures_digitisation_rate (
                       &motcua_report_get_row (report, 0)->total), ==, 0.0);
  /* No new case: the rates are 0, not NaN. */
  g_assert_cmpfloat (motcua_report_figures_online_rate (&motcua_report_get_row (report, 0)->own),
                     ==, 0.0);
  g_assert_cmpfloat (motcua_report_figures_digitisation_rate (
                       &motcua_report_get_row (report, 0)->own), ==, 0.0);
}

static void
test_rollup_district (MotcuaFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(MotcuaReport) report = make_report (fixture, "T.D", "2025-03-01", "2025-03-31");

  g_assert_cmpuint (motcua_report_get_n_rows (report), ==, 3);
  assert_row (report, 0, "T.D", MOTCUA_LEVEL_DISTRICT, 0, march_d, march_district);
  assert_row (report, 1, "T.D.A", MOTCUA_LEVEL_COMMUNE, 1, march_a, march_a);
  assert_row (report, 2, "T.D.B", MOTCUA_LEVEL_COMMUNE, 1, march_b, march_b);
  g_assert_null (motcua_report_find (report, "T"));
}

static void
test_rollup_commune (MotcuaFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(MotcuaReport) report = make_report (fixture, "T.D.B", "2025-03-01", "2025-03-31");

  g_assert_cmpuint (motcua_report_get_n_rows (report), ==, 1);
  assert_row (report, 0, "T.D.B", MOTCUA_LEVEL_COMMUNE, 0, march_b, march_b);
}

/* April: what was open at the end of March is carried over. */
static void
test_period_carried_over (MotcuaFixture *fixture,
                          gconstpointer  data)
{
  g_autoptr(MotcuaReport) report = make_report (fixture, "T", "2025-04-01", "2025-04-30");

  g_assert_cmpuint (motcua_report_get_n_rows (report), ==, 4);
  assert_row (report, 0, "T", MOTCUA_LEVEL_PROVINCE, 0, zero, april_district);
  assert_row (report, 1, "T.D", MOTCUA_LEVEL_DISTRICT, 1, april_d, april_district);
  assert_row (report, 2, "T.D.A", MOTCUA_LEVEL_COMMUNE, 2, april_a, april_a);
  assert_row (report, 3, "T.D.B", MOTCUA_LEVEL_COMMUNE, 2, april_b, april_b);

  /* What was pending at the end of March is exactly what April carries over. */
  {
    g_autoptr(MotcuaReport) march = make_report (fixture, "T", "2025-03-01", "2025-03-31");

    for (guint i = 0; i < motcua_report_get_n_rows (report); i++)
      g_assert_cmpint (motcua_report_get_row (report, i)->total.carried_over, ==,
                       motcua_report_get_row (march, i)->total.pending_total);
  }
}

/* A one-day period: both bounds are inclusive. */
static void
test_period_one_day (MotcuaFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(MotcuaReport) report = make_report (fixture, "T.D.A", "2025-03-31", "2025-03-31");
  /* Open on the 31st: k3 k9 k10 k11 k14 k17 carried (k14 resolved that day, late, k10 waiting
   * for a supplement), k15 new. */
  static const Figures want = { 6, 0, 1, 0, 7,  0, 0, 1, 1,  0,  3, 2, 1, 6,  0 };

  assert_row (report, 0, "T.D.A", MOTCUA_LEVEL_COMMUNE, 0, want, want);
}

/* Before any case: every row is there, every figure 0. */
static void
test_period_empty (MotcuaFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(MotcuaReport) report = make_report (fixture, "T", "2024-01-01", "2024-12-31");

  g_assert_cmpuint (motcua_report_get_n_rows (report), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      assert_figures (&motcua_report_get_row (report, i)->own, zero);
      assert_figures (&motcua_report_get_row (report, i)->total, zero);
    }
}

static void
assert_report_error (MotcuaFixture *fixture,
                     const char    *office,
                     const char    *from,
                     const char    *to,
                     MotcuaError    code,
                     const char    *named,
                     const char    *also_named)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaReport) report = motcua_replica_report (fixture->replica, office, from, to,
                                                          &error);

  g_assert_null (report);
  g_assert_error (error, MOTCUA_ERROR, (int) code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, named));
  if (also_named != NULL)
    g_assert_nonnull (strstr (error->message, also_named));
}

static void
test_input_errors (MotcuaFixture *fixture,
                   gconstpointer  data)
{
  assert_report_error (fixture, "T.X", "2025-03-01", "2025-03-31",
                       MOTCUA_ERROR_NOT_FOUND, "T.X", NULL);
  assert_report_error (fixture, "T", "2025-03-31", "2025-03-01",
                       MOTCUA_ERROR_INVALID, "2025-03-31", "2025-03-01");
  assert_report_error (fixture, "T", "2025-02-30", "2025-03-31",
                       MOTCUA_ERROR_INVALID, "from", "2025-02-30");
  assert_report_error (fixture, "T", "2025-03-01", "31/03/2025",
                       MOTCUA_ERROR_INVALID, "to", "31/03/2025");
  assert_report_error (fixture, "T", "2025-03-01", "2025-03-31T00:00:00",
                       MOTCUA_ERROR_INVALID, "to", NULL);
  assert_report_error (fixture, "T", NULL, "2025-03-31",
                       MOTCUA_ERROR_INVALID, "from", NULL);
  assert_report_error (fixture, "T", "2025-03-01", "",
                       MOTCUA_ERROR_INVALID, "to", NULL);
}

static void
test_boxed (MotcuaFixture *fixture,
            gconstpointer  data)
{
  g_autoptr(MotcuaReport) report = make_report (fixture, "T.D", "2025-03-01", "2025-03-31");
  MotcuaReport *copy;

  g_assert_true (G_TYPE_IS_BOXED (MOTCUA_TYPE_REPORT));
  copy = g_boxed_copy (MOTCUA_TYPE_REPORT, report);
  g_assert_true (copy == report);
  g_boxed_free (MOTCUA_TYPE_REPORT, copy);

  copy = motcua_report_ref (report);
  g_clear_pointer (&report, motcua_report_unref);
  /* Still alive through the second reference. */
  g_assert_cmpuint (motcua_report_get_n_rows (copy), ==, 3);
  motcua_report_unref (copy);
}

static void
test_format_csv (MotcuaFixture *fixture,
                 gconstpointer  data)
{
  MotcuaOffice renamed = {
    .code = (char *) "T.D.B", .name = (char *) "UBND xã B, \"mới\"", .parent_code = (char *) "T.D",
    .level = MOTCUA_LEVEL_COMMUNE,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaReport) report = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;

  motcua_replica_put_office (fixture->replica, &renamed, &error);
  g_assert_no_error (error);

  report = make_report (fixture, "T", "2025-03-01", "2025-03-31");
  csv = motcua_report_to_csv (report);
  g_assert_true (g_str_has_suffix (csv, "\r\n"));
  lines = g_strsplit (csv, "\r\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 4 + 1);
  g_assert_cmpstr (lines[0], ==,
                   "office_code,office_name,level,depth,carried_over,new_online,new_direct,"
                   "new_postal,received_total,resolved_early,resolved_on_time,resolved_late,"
                   "resolved_total,withdrawn,pending_within,pending_overdue,pending_supplement,pending_total,"
                   "digitised,online_rate,digitisation_rate");
  g_assert_cmpstr (lines[1], ==,
                   "T,UBND tỉnh Thử,province,0,8,8,13,4,29,4,4,4,12,6,5,4,2,11,0,0.3810,0.0000");
  g_assert_cmpstr (lines[2], ==,
                   "T.D,UBND huyện Thử,district,1,8,8,13,4,29,4,4,4,12,6,5,4,2,11,0,0.3810,"
                   "0.0000");
  g_assert_cmpstr (lines[3], ==,
                   "T.D.A,UBND xã A,commune,2,4,4,7,2,15,2,2,2,6,3,3,2,1,6,0,0.3636,0.0000");
  g_assert_cmpstr (lines[4], ==,
                   "T.D.B,\"UBND xã B, \"\"mới\"\"\",commune,2,1,2,3,1,6,1,1,1,3,1,1,0,1,2,0,"
                   "0.4000,0.0000");
  g_assert_cmpstr (lines[5], ==, "");
}

static void
assert_json_figures (JsonObject                *object,
                     const MotcuaReportFigures *figures)
{
  Figures want;
  Figures got;
  static const char *const keys[] = {
    "carried_over", "new_online", "new_direct", "new_postal", "received_total",
    "resolved_early", "resolved_on_time", "resolved_late", "resolved_total", "withdrawn",
    "pending_within", "pending_overdue", "pending_supplement", "pending_total", "digitised",
  };

  g_assert_nonnull (object);
  figures_to_array (figures, want);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_assert_true (json_object_has_member (object, keys[i]));
      got[i] = json_object_get_int_member (object, keys[i]);
    }
  {
    g_autofree char *got_text = figures_to_string (got);
    g_autofree char *want_text = figures_to_string (want);

    g_assert_cmpstr (got_text, ==, want_text);
  }
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "online_rate"),
                                  motcua_report_figures_online_rate (figures), 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "digitisation_rate"),
                                  motcua_report_figures_digitisation_rate (figures), 1e-12);
}

static void
test_format_json (MotcuaFixture *fixture,
                  gconstpointer  data)
{
  g_autoptr(MotcuaReport) report = make_report (fixture, "T", "2025-04-01", "2025-04-30");
  g_autofree char *json = motcua_report_to_json (report);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *offices;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  root = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (json_object_get_string_member (root, "from"), ==, "2025-04-01");
  g_assert_cmpstr (json_object_get_string_member (root, "to"), ==, "2025-04-30");
  offices = json_object_get_array_member (root, "offices");
  g_assert_nonnull (offices);
  g_assert_cmpuint (json_array_get_length (offices), ==, motcua_report_get_n_rows (report));

  for (guint i = 0; i < json_array_get_length (offices); i++)
    {
      JsonObject *office = json_array_get_object_element (offices, i);
      const MotcuaReportRow *row = motcua_report_get_row (report, i);

      g_assert_cmpstr (json_object_get_string_member (office, "code"), ==, row->office_code);
      g_assert_cmpstr (json_object_get_string_member (office, "name"), ==, row->office_name);
      g_assert_cmpstr (json_object_get_string_member (office, "level"), ==,
                       motcua_level_to_string (row->level));
      g_assert_cmpint (json_object_get_int_member (office, "depth"), ==, row->depth);
      assert_json_figures (json_object_get_object_member (office, "own"), &row->own);
      assert_json_figures (json_object_get_object_member (office, "total"), &row->total);
    }

  /* And the numbers are the ones worked out by hand. */
  {
    JsonObject *district = json_array_get_object_element (offices, 1);
    JsonObject *total = json_object_get_object_member (district, "total");

    g_assert_cmpstr (json_object_get_string_member (district, "code"), ==, "T.D");
    g_assert_cmpint (json_object_get_int_member (total, "carried_over"), ==, 11);
    g_assert_cmpint (json_object_get_int_member (total, "pending_overdue"), ==, 7);
    g_assert_cmpint (json_object_get_int_member (total, "pending_supplement"), ==, 2);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (total, "online_rate"),
                                    2.0 / 6.0, 1e-12);
  }
}

static void
test_format_text (MotcuaFixture *fixture,
                  gconstpointer  data)
{
  g_autoptr(MotcuaReport) report = make_report (fixture, "T", "2025-03-01", "2025-03-31");
  g_autofree char *text = motcua_report_to_text (report);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  glong width;

  g_test_message ("\n%s", text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (g_strv_length (lines), ==, 3 + 4 + 1);
  g_assert_cmpstr (lines[0], ==, "One-stop report 2025-03-01 – 2025-03-31");
  g_assert_true (g_str_has_prefix (lines[1], "Office "));
  g_assert_nonnull (strstr (lines[1], "Carried"));
  g_assert_true (g_str_has_suffix (lines[1], "Digitised %"));
  g_assert_nonnull (strstr (lines[1], "New online"));
  g_assert_nonnull (strstr (lines[1], "Overdue"));
  g_assert_nonnull (strstr (lines[1], "Supplement"));
  g_assert_true (lines[2][0] == '-');

  /* Indented by depth; Vietnamese names pad by characters, not bytes, so every line of the
   * table is as wide as the header. */
  g_assert_true (g_str_has_prefix (lines[3], "UBND tỉnh Thử "));
  g_assert_true (g_str_has_prefix (lines[4], "  UBND huyện Thử "));
  g_assert_true (g_str_has_prefix (lines[5], "    UBND xã A "));
  g_assert_true (g_str_has_prefix (lines[6], "    UBND xã B "));
  width = g_utf8_strlen (lines[1], -1);
  for (guint i = 2; i < 7; i++)
    g_assert_cmpint (g_utf8_strlen (lines[i], -1), ==, width);
  g_assert_cmpstr (lines[7], ==, "");

  /* The district's received total (29) ends its Received column; the rates end the lines. */
  {
    g_auto(GStrv) cells = g_strsplit_set (lines[4] + strlen ("  UBND huyện Thử"), " ", -1);
    g_autoptr(GPtrArray) values = g_ptr_array_new ();

    for (guint i = 0; cells[i] != NULL; i++)
      if (*cells[i] != '\0')
        g_ptr_array_add (values, cells[i]);
    g_assert_cmpuint (values->len, ==, 15);
    g_assert_cmpstr (g_ptr_array_index (values, 0), ==, "8");
    g_assert_cmpstr (g_ptr_array_index (values, 3), ==, "29");
    g_assert_cmpstr (g_ptr_array_index (values, 10), ==, "4");
    g_assert_cmpstr (g_ptr_array_index (values, 11), ==, "2");
    g_assert_cmpstr (g_ptr_array_index (values, 12), ==, "11");
    g_assert_cmpstr (g_ptr_array_index (values, 13), ==, "38.1");
    g_assert_cmpstr (g_ptr_array_index (values, 14), ==, "0.0");
  }
}

/* A case waiting for the applicant's supplement at the end of a period has its clock stopped:
 * neither within nor overdue. What counts is its last step by then, not its status today. */
static void
test_period_supplement (MotcuaFixture *f,
                        gconstpointer  data)
{
  /* s1: supplement asked on 20 May, resubmitted on 3 June; s2: asked on 2 June. Both are
   * received at the province's own office (T), which holds no other case, on 5 May under
   * HT.KS (due the same day), so both are past due from 6 May on. */
  static const struct
  {
    const char   *applicant;
    const char   *steps[3];
  } cases[] = {
    { "Lò Văn Sinh", { "2025-05-06T09:00:00+07:00", "2025-05-20T09:00:00+07:00",
                       "2025-06-03T09:00:00+07:00" } },
    { "Lò Thị Hai", { "2025-05-06T09:00:00+07:00", "2025-06-02T09:00:00+07:00", NULL } },
  };
  static const MotcuaStatus path[] = {
    MOTCUA_STATUS_IN_PROCESSING, MOTCUA_STATUS_SUPPLEMENT_REQUESTED, MOTCUA_STATUS_RESUBMITTED,
  };
  /*                               carried, new (online, direct, postal), received;
   *                               resolved (early, on time, late, total); withdrawn;
   *                               within, overdue, supplement, pending; digitised */
  static const Figures may = { 0, 0, 2, 0, 2,  0, 0, 0, 0,  0,  0, 1, 1, 2,  0 };
  static const Figures june = { 2, 0, 0, 0, 2,  0, 0, 0, 0,  0,  0, 1, 1, 2,  0 };
  g_autoptr(MotcuaReport) in_may = NULL;
  g_autoptr(MotcuaReport) in_june = NULL;
  g_autoptr(MotcuaReport) on_may_19 = NULL;
  const MotcuaReportRow *row;

  f->now_ms = motcua_test_ms ("2025-07-01T09:00:00+07:00");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MotcuaReception r = {
        .procedure_code = "HT.KS", .receiving_office = "T", .applicant_name = cases[i].applicant,
        .citizen_id = "012345678901", .received_at = "2025-05-05T09:00:00+07:00",
      };
      g_autoptr(GError) error = NULL;
      g_autoptr(MotcuaCase) c = motcua_replica_receive (f->replica, &r, &error);

      g_assert_no_error (error);
      for (guint s = 0; s < G_N_ELEMENTS (path) && cases[i].steps[s] != NULL; s++)
        {
          MotcuaStepOptions options = { .at = cases[i].steps[s] };

          g_assert_true (motcua_replica_advance_case (f->replica, c->receipt_no, path[s],
                                                      &options, &error));
          g_assert_no_error (error);
        }
    }

  in_may = make_report (f, "T", "2025-05-01", "2025-05-31");
  row = motcua_report_find (in_may, "T");
  assert_consistent (&row->own);
  assert_figures (&row->own, may);

  /* Before the request neither waits. (Overdue is judged against a case's due date today, so
   * s1, resubmitted since with a new due date, does not count as overdue on the 19th.) */
  on_may_19 = make_report (f, "T", "2025-05-19", "2025-05-19");
  row = motcua_report_find (on_may_19, "T");
  g_assert_cmpint (row->own.pending_supplement, ==, 0);
  g_assert_cmpint (row->own.pending_total, ==, 2);

  /* In June s1's clock runs again from its resubmission, and s2 waits. */
  in_june = make_report (f, "T", "2025-06-01", "2025-06-30");
  row = motcua_report_find (in_june, "T");
  assert_consistent (&row->own);
  assert_figures (&row->own, june);
}

/* The reporting periods close on the 14th (Decree 09/2019/NĐ-CP, article 12). */
static void
test_reporting_periods (void)
{
  static const struct
  {
    const char       *name;
    MotcuaPeriodKind  kind;
    const char       *from, *to;
  } periods[] = {
    { "2026-11", MOTCUA_PERIOD_MONTH, "2026-10-15", "2026-11-14" },
    { "2026-01", MOTCUA_PERIOD_MONTH, "2025-12-15", "2026-01-14" },
    { "2026-12", MOTCUA_PERIOD_MONTH, "2026-11-15", "2026-12-14" },
    { "2026-Q1", MOTCUA_PERIOD_QUARTER, "2025-12-15", "2026-03-14" },
    { "2026-Q4", MOTCUA_PERIOD_QUARTER, "2026-09-15", "2026-12-14" },
    { "2026-H1", MOTCUA_PERIOD_HALF, "2025-12-15", "2026-06-14" },
    { "2026-H2", MOTCUA_PERIOD_HALF, "2026-06-15", "2026-12-14" },
    { "2026", MOTCUA_PERIOD_YEAR, "2025-12-15", "2026-12-14" },
  };
  static const struct
  {
    const char       *day;
    MotcuaPeriodKind  kind;
    int               year, number;
  } days[] = {
    { "2026-12-07", MOTCUA_PERIOD_MONTH, 2026, 12 },
    { "2026-12-14", MOTCUA_PERIOD_MONTH, 2026, 12 },
    { "2026-12-15", MOTCUA_PERIOD_MONTH, 2027, 1 },
    { "2026-03-14", MOTCUA_PERIOD_QUARTER, 2026, 1 },
    { "2026-03-15", MOTCUA_PERIOD_QUARTER, 2026, 2 },
    { "2026-06-15", MOTCUA_PERIOD_HALF, 2026, 2 },
    { "2026-12-20", MOTCUA_PERIOD_YEAR, 2027, 1 },
  };
  const char *bad[] = { "2026-13", "2026-00", "2026-Q5", "2026-H3", "26-11", "2026-11-01", "" };

  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    {
      MotcuaPeriodKind kind;
      int year, number;
      char from[11], to[11];

      g_assert_true (motcua_report_period_parse (periods[i].name, &kind, &year, &number, NULL));
      g_assert_cmpint (kind, ==, periods[i].kind);
      g_assert_true (motcua_report_period (kind, year, number, from, to));
      g_assert_cmpstr (from, ==, periods[i].from);
      g_assert_cmpstr (to, ==, periods[i].to);

      /* Its first and last days fall in it, the days around it do not. */
      g_assert_true (motcua_report_period_of (kind, periods[i].from, &year, &number));
      g_assert_true (motcua_report_period (kind, year, number, from, to));
      g_assert_cmpstr (to, ==, periods[i].to);
    }
  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      int year, number;

      g_assert_true (motcua_report_period_of (days[i].kind, days[i].day, &year, &number));
      g_assert_cmpint (year, ==, days[i].year);
      g_assert_cmpint (number, ==, days[i].number);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      MotcuaPeriodKind kind;
      int year, number;

      g_assert_false (motcua_report_period_parse (bad[i], &kind, &year, &number, &error));
      g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i]));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, MotcuaFixture, NULL, report_set_up, func, motcua_fixture_tear_down)

  ADD ("/report/rollup/province", test_rollup_province);
  ADD ("/report/rollup/district", test_rollup_district);
  ADD ("/report/rollup/commune", test_rollup_commune);
  ADD ("/report/period/carried-over", test_period_carried_over);
  ADD ("/report/period/one-day", test_period_one_day);
  ADD ("/report/period/empty", test_period_empty);
  ADD ("/report/period/running", test_period_running);
  ADD ("/report/period/supplement", test_period_supplement);
  ADD ("/report/input/errors", test_input_errors);
  ADD ("/report/boxed", test_boxed);
  ADD ("/report/format/csv", test_format_csv);
  ADD ("/report/format/json", test_format_json);
  ADD ("/report/format/text", test_format_text);
  g_test_add_func ("/report/periods", test_reporting_periods);

#undef ADD

  return g_test_run ();
}
