/* test-deadlines.c: time limits in working days, calendar days and hours, and the cut-off of
 * online dossiers, with due dates worked out by hand on the default calendar
 *
 * The default calendar of 2026: Tết is Monday 16 to Friday 20 February (the last day of Ất Tỵ
 * and days 1–4 of Bính Ngọ, 17 February); 2 September is a Wednesday, so the adjacent day off is
 * Thursday 3 September.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-test-utils.h"

static void
put (MotcuaFixture  *f,
     const char     *code,
     MotcuaTimeUnit  unit,
     guint           amount)
{
  const char *docs[] = { "Tờ khai", NULL };
  const char *basis[] = { "Luật Hộ tịch 2014", NULL };
  MotcuaProcedure p = {
    .code = (char *) code, .name = (char *) "Thủ tục thử", .sector = (char *) "Hộ tịch",
    .levels = 1u << MOTCUA_LEVEL_PROVINCE, .processing_days = amount, .time_unit = unit,
    .online_full = TRUE, .documents = (GStrv) docs, .legal_basis = (GStrv) basis,
  };
  g_autoptr(GError) error = NULL;

  motcua_replica_put_procedure (f->replica, &p, &error);
  g_assert_no_error (error);
}

static void
assert_due (MotcuaFixture *f,
            const char    *code,
            const char    *received_at,
            MotcuaChannel  channel,
            const char    *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *due = motcua_replica_compute_due_date_for_channel (f->replica, code,
                                                                      received_at, channel,
                                                                      &error);

  g_assert_no_error (error);
  if (g_strcmp0 (due, expected) != 0)
    g_error ("%s received %s: due %s, expected %s", code, received_at, due, expected);
}

static void
test_units (MotcuaFixture *f,
            gconstpointer  data)
{
  g_autoptr(MotcuaProcedure) p = NULL;
  g_autoptr(GError) error = NULL;
  const MotcuaChannel counter = MOTCUA_CHANNEL_COUNTER;

  put (f, "W.3", MOTCUA_TIME_WORKING_DAYS, 3);
  put (f, "W.2", MOTCUA_TIME_WORKING_DAYS, 2);
  put (f, "D.3", MOTCUA_TIME_DAYS, 3);
  put (f, "D.5", MOTCUA_TIME_DAYS, 5);
  put (f, "D.10", MOTCUA_TIME_DAYS, 10);
  put (f, "D.2", MOTCUA_TIME_DAYS, 2);
  put (f, "D.0", MOTCUA_TIME_DAYS, 0);
  put (f, "H.8", MOTCUA_TIME_HOURS, 8);
  put (f, "H.24", MOTCUA_TIME_HOURS, 24);
  put (f, "H.0", MOTCUA_TIME_HOURS, 0);

  /* The unit reads back; working days are stored as before (NULL). */
  p = motcua_replica_dup_procedure (f->replica, "D.3", &error);
  g_assert_no_error (error);
  g_assert_cmpint (p->time_unit, ==, MOTCUA_TIME_DAYS);
  g_assert_cmpuint (p->processing_days, ==, 3);
  g_clear_pointer (&p, motcua_procedure_free);
  p = motcua_replica_dup_procedure (f->replica, "W.3", &error);
  g_assert_cmpint (p->time_unit, ==, MOTCUA_TIME_WORKING_DAYS);

  /* Working days, Friday 13 February 2026: Tết and the weekend do not count, so 23, 24, 25. */
  assert_due (f, "W.3", "2026-02-13T10:00:00+07:00", counter, "2026-02-25");
  /* Tuesday 1 September: 2 and 3 September are off, so Friday 4 and Monday 7. */
  assert_due (f, "W.2", "2026-09-01T10:00:00+07:00", counter, "2026-09-07");

  /* Calendar days count every day from the next: 13 February + 3 is Monday 16, in Tết, so
   * the first working day after it, Monday 23. */
  assert_due (f, "D.3", "2026-02-13T10:00:00+07:00", counter, "2026-02-23");
  /* Monday 2 February + 5 is Saturday 7: Monday 9. */
  assert_due (f, "D.5", "2026-02-02T10:00:00+07:00", counter, "2026-02-09");
  /* Tuesday 3 February + 10 is Friday 13, a working day, over a weekend that counts. */
  assert_due (f, "D.10", "2026-02-03T10:00:00+07:00", counter, "2026-02-13");
  /* Monday 31 August + 2 is 2 September, then 3 September: Friday 4. */
  assert_due (f, "D.2", "2026-08-31T10:00:00+07:00", counter, "2026-09-04");
  /* Zero days: the same day, or the next working day when it is a day off. */
  assert_due (f, "D.0", "2026-02-13T10:00:00+07:00", counter, "2026-02-13");
  assert_due (f, "D.0", "2026-02-14T10:00:00+07:00", counter, "2026-02-23");

  /* Hours run around the clock from the moment: 10:00 + 8 is 18:00 the same day. */
  assert_due (f, "H.8", "2026-02-13T10:00:00+07:00", counter, "2026-02-13");
  /* 16:00 + 8 ends with the hour that ends at midnight: still the 13th. */
  assert_due (f, "H.8", "2026-02-13T16:00:00+07:00", counter, "2026-02-13");
  /* 16:01 + 8 ends on Saturday 14, so the first working day after Tết, Monday 23. */
  assert_due (f, "H.8", "2026-02-13T16:01:00+07:00", counter, "2026-02-23");
  /* Friday 16:00 + 24 is Saturday 16:00: Monday 23. */
  assert_due (f, "H.24", "2026-02-13T16:00:00+07:00", counter, "2026-02-23");
  /* Tuesday 1 September 09:00 + 24 is 2 September: Friday 4. */
  assert_due (f, "H.24", "2026-09-01T09:00:00+07:00", counter, "2026-09-04");
  assert_due (f, "H.0", "2026-09-01T09:00:00+07:00", counter, "2026-09-01");
  /* A moment in another offset is Vietnam's time first: 20:00 UTC is 03:00 the next day. */
  assert_due (f, "H.0", "2026-09-03T20:00:00Z", counter, "2026-09-04");
}

static MotcuaCase *
receive (MotcuaFixture *f,
         const char    *code,
         const char    *received_at,
         MotcuaChannel  channel)
{
  guint papers[] = { 0 };
  MotcuaReception r = {
    .procedure_code = code, .applicant_name = "Lò Thị Mai", .citizen_id = "012345678901",
    .channel = channel, .received_at = received_at, .papers = papers, .n_papers = 1,
  };
  g_autoptr(GError) error = NULL;
  MotcuaCase *c = motcua_replica_receive (f->replica, &r, &error);

  g_assert_no_error (error);
  g_assert_nonnull (c);

  return c;
}

static void
assert_case (MotcuaCase *c,
             const char *received_at,
             const char *clock_start,
             const char *due_date)
{
  g_assert_cmpstr (c->received_at, ==, received_at);
  g_assert_cmpstr (c->clock_start, ==, clock_start);
  g_assert_cmpstr (c->due_date, ==, due_date);
}

static void
test_cutoff (MotcuaFixture *f,
             gconstpointer  data)
{
  const char *friday_late = "2026-03-06T16:30:00+07:00";
  const char *friday_early = "2026-03-06T14:59:00+07:00";
  const char *sunday = "2026-03-08T10:00:00+07:00";
  MotcuaCase *c;

  put (f, "W.1", MOTCUA_TIME_WORKING_DAYS, 1);
  put (f, "D.1", MOTCUA_TIME_DAYS, 1);
  put (f, "H.4", MOTCUA_TIME_HOURS, 4);

  /* Online on Friday 6 March 2026 at 16:30: received_at is the true moment, the clock starts
   * on Monday 9, so one working day is Tuesday 10. */
  c = receive (f, "W.1", friday_late, MOTCUA_CHANNEL_ONLINE);
  assert_case (c, friday_late, "2026-03-09", "2026-03-10");
  motcua_case_free (c);
  assert_due (f, "W.1", friday_late, MOTCUA_CHANNEL_ONLINE, "2026-03-10");

  /* On Sunday 8 March: the same. */
  c = receive (f, "W.1", sunday, MOTCUA_CHANNEL_ONLINE);
  assert_case (c, sunday, "2026-03-09", "2026-03-10");
  motcua_case_free (c);

  /* Before the cut-off it counts from Friday. */
  c = receive (f, "W.1", friday_early, MOTCUA_CHANNEL_ONLINE);
  assert_case (c, friday_early, "2026-03-06", "2026-03-09");
  motcua_case_free (c);

  /* At the counter nothing moves: Friday + 1 working day is Monday 9; Sunday's too. */
  c = receive (f, "W.1", friday_late, MOTCUA_CHANNEL_COUNTER);
  assert_case (c, friday_late, "2026-03-06", "2026-03-09");
  motcua_case_free (c);
  c = receive (f, "W.1", sunday, MOTCUA_CHANNEL_COUNTER);
  assert_case (c, sunday, "2026-03-08", "2026-03-09");
  motcua_case_free (c);
  assert_due (f, "W.1", friday_late, MOTCUA_CHANNEL_COUNTER, "2026-03-09");
  {
    g_autofree char *due = motcua_replica_compute_due_date (f->replica, "W.1", friday_late, NULL);

    g_assert_cmpstr (due, ==, "2026-03-09");
  }
}

static void
test_bad_units (MotcuaFixture *f,
                gconstpointer  data)
{
  const char *docs[] = { "Tờ khai", NULL };
  const char *basis[] = { "Luật Hộ tịch 2014", NULL };
  struct
  {
    MotcuaTimeUnit unit;
    guint          amount;
    const char    *expect;
  } bad[] = {
    { MOTCUA_TIME_WORKING_DAYS, 366, "processing_days 366 is more than 365 working_days" },
    { MOTCUA_TIME_DAYS, 731, "processing_days 731 is more than 730 days" },
    { MOTCUA_TIME_HOURS, 721, "processing_days 721 is more than 720 hours" },
    { (MotcuaTimeUnit) 7, 1, "time_unit 7 is not working_days, days or hours" },
  };
  g_autofree char *before = motcua_test_export (f->replica);
  MotcuaTimeUnit unit = MOTCUA_TIME_DAYS;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      MotcuaProcedure p = {
        .code = (char *) "X.1", .name = (char *) "x", .sector = (char *) "s",
        .levels = 1u << MOTCUA_LEVEL_PROVINCE, .processing_days = bad[i].amount,
        .time_unit = bad[i].unit, .documents = (GStrv) docs, .legal_basis = (GStrv) basis,
      };
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      g_assert_false (motcua_replica_put_procedure (f->replica, &p, &error));
      g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
      if (strstr (error->message, bad[i].expect) == NULL)
        g_error ("“%s” does not say “%s”", error->message, bad[i].expect);
      after = motcua_test_export (f->replica);
      g_assert_cmpstr (before, ==, after);
    }

  /* The limits themselves are allowed. */
  put (f, "X.2", MOTCUA_TIME_DAYS, 730);
  put (f, "X.3", MOTCUA_TIME_HOURS, 720);

  g_assert_cmpstr (motcua_time_unit_to_string (MOTCUA_TIME_HOURS), ==, "hours");
  g_assert_true (motcua_time_unit_from_string ("working_days", &unit));
  g_assert_cmpint (unit, ==, MOTCUA_TIME_WORKING_DAYS);
  g_assert_false (motcua_time_unit_from_string ("weeks", &unit));
  g_assert_false (motcua_time_unit_from_string (NULL, &unit));
}

static gboolean
import (MotcuaFixture  *f,
        const char     *name,
        const char     *text,
        GError        **error)
{
  return motcua_replica_import_data (f->replica, text, strlen (text), name,
                                     MOTCUA_IMPORT_CATALOGUE, MOTCUA_FORMAT_AUTO, NULL, error);
}

#define PROC(code, extra)                                                                    \
  "{\"code\":\"" code "\",\"name\":\"Cấp phiếu\",\"sector\":\"Tư pháp\","                    \
  "\"levels\":[\"province\"],\"fee\":0,\"online\":\"full\",\"documents\":[\"Tờ khai\"],"      \
  "\"legal_basis\":[\"l\"]" extra "}"
#define CATALOGUE(procedures) \
  "{\"format\":\"motcua-catalogue\",\"version\":1,\"procedures\":[" procedures "]}"
#define CSV_HEADER "code,name,sector,levels,processing_days,time_unit,fee,online,documents," \
                   "legal_basis\n"

static void
test_import (MotcuaFixture *f,
             gconstpointer  data)
{
  const struct
  {
    const char *name;
    const char *text;
    const char *expect;
  } bad[] = {
    { "a.json", CATALOGUE (PROC ("A.1", ",\"processing_days\":1") ","
                           PROC ("A.2", ",\"processing_days\":1,\"time_unit\":\"weeks\"")),
      "procedures[1] (A.2): time_unit “weeks” must be working_days, days or hours" },
    { "a.json", CATALOGUE (PROC ("A.3", ",\"processing_days\":721,\"time_unit\":\"hours\"")),
      "procedures[0] (A.3): processing_days 721 must be from 0 to 720 hours" },
    { "a.json", CATALOGUE (PROC ("A.4", ",\"processing_days\":400")),
      "processing_days 400 must be from 0 to 365 working_days" },
    { "a.json", CATALOGUE (PROC ("A.5", ",\"processing_days\":1,\"time_unit\":3")),
      "procedures[0] (A.5): field time_unit" },
    { "b.csv", CSV_HEADER "B.1,n,s,province,1,days,0,full,d,l\n"
      "B.2,n,s,province,1,Hours,0,full,d,l\n",
      "b.csv: line 3: time_unit “Hours” must be working_days, days or hours" },
    { "b.csv", CSV_HEADER "B.3,n,s,province,731,days,0,full,d,l\n",
      "b.csv: line 2: processing_days 731 must be from 0 to 730 days" },
  };
  g_autofree char *before = motcua_test_export (f->replica);
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaProcedure) p = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *after = NULL;

      g_test_message ("bad file %u: %s", i, bad[i].expect);
      g_assert_false (import (f, bad[i].name, bad[i].text, &local_error));
      g_assert_error (local_error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT);
      if (strstr (local_error->message, bad[i].expect) == NULL)
        g_error ("“%s” does not say “%s”", local_error->message, bad[i].expect);
      after = motcua_test_export (f->replica);
      g_assert_cmpstr (before, ==, after);
    }

  g_assert_true (import (f, "c.json",
                         CATALOGUE (PROC ("J.1", ",\"processing_days\":8,\"time_unit\":\"hours\"")
                                    "," PROC ("J.2", ",\"processing_days\":3")),
                         &error));
  g_assert_no_error (error);
  g_assert_true (import (f, "c.csv", CSV_HEADER "C.1,n,s,province,15,days,0,full,d,l\n"
                                    "C.2,n,s,province,2,,0,full,d,l\n"
                                    "C.3,n,s,province,2,working_days,0,full,d,l\n", &error));
  g_assert_no_error (error);

  {
    const struct
    {
      const char    *code;
      MotcuaTimeUnit unit;
      guint          amount;
    } good[] = {
      { "J.1", MOTCUA_TIME_HOURS, 8 },
      { "J.2", MOTCUA_TIME_WORKING_DAYS, 3 },
      { "C.1", MOTCUA_TIME_DAYS, 15 },
      { "C.2", MOTCUA_TIME_WORKING_DAYS, 2 },
      { "C.3", MOTCUA_TIME_WORKING_DAYS, 2 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (good); i++)
      {
        p = motcua_replica_dup_procedure (f->replica, good[i].code, &error);
        g_assert_no_error (error);
        g_assert_cmpint (p->time_unit, ==, good[i].unit);
        g_assert_cmpuint (p->processing_days, ==, good[i].amount);
        g_clear_pointer (&p, motcua_procedure_free);
      }
  }
}

static void
test_resubmission (MotcuaFixture *f,
                   gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaCase) after = NULL;
  g_autoptr(GError) error = NULL;
  MotcuaStepOptions at = { 0 };

  put (f, "D.3", MOTCUA_TIME_DAYS, 3);
  c = receive (f, "D.3", "2026-02-02T09:00:00+07:00", MOTCUA_CHANNEL_COUNTER);
  assert_case (c, "2026-02-02T09:00:00+07:00", "2026-02-02", "2026-02-05");

  at.at = "2026-02-03T10:00:00+07:00";
  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_IN_PROCESSING, &at, &error);
  g_assert_no_error (error);
  at.at = "2026-02-04T10:00:00+07:00";
  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_SUPPLEMENT_REQUESTED, &at, &error);
  g_assert_no_error (error);
  /* Resubmitted on Friday 13 February: + 3 calendar days is Monday 16, in Tết: Monday 23. */
  at.at = "2026-02-13T10:00:00+07:00";
  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_RESUBMITTED, &at, &error);
  g_assert_no_error (error);
  after = motcua_replica_dup_case (f->replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after->clock_start, ==, "2026-02-13");
  g_assert_cmpstr (after->due_date, ==, "2026-02-23");
}

static void
decide_at (MotcuaFixture *f,
           MotcuaCase    *c,
           const char    *at)
{
  MotcuaStepOptions options = { .at = at };
  g_autoptr(GError) error = NULL;

  g_assert_true (motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_IN_PROCESSING,
                                              &options, &error));
  g_assert_no_error (error);
  g_assert_true (motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_APPROVED,
                                              &options, &error));
  g_assert_no_error (error);
}

static const MotcuaReportRow *
report_row (MotcuaFixture  *f,
            MotcuaReport  **out,
            const char     *now)
{
  g_autoptr(GError) error = NULL;

  f->now_ms = motcua_test_ms (now);
  g_clear_pointer (out, motcua_report_unref);
  *out = motcua_replica_report (f->replica, motcua_replica_get_office_code (f->replica),
                                "2026-03-01", "2026-03-16", &error);
  g_assert_no_error (error);

  return motcua_report_find (*out, motcua_replica_get_office_code (f->replica));
}

/* A 4-hour limit, worked out by hand: received on Tuesday 10 March 2026 at 09:00, its last hour
 * ends at 12:59:59. Resolved at 12:30 it is on time, at 14:00 late on its own due date; one still
 * open is within at 12:00 and overdue at 13:30. Received on Friday 13 at 22:00, its last hour
 * ends on Saturday, a day off, so the due date is Monday 16, whole: resolved then at 15:00, on
 * time. */
static void
test_report_hours (MotcuaFixture *f,
                   gconstpointer  data)
{
  const char *tuesday = "2026-03-10T09:00:00+07:00";
  g_autoptr(MotcuaReport) report = NULL;
  const MotcuaReportRow *row;
  MotcuaCase *c;

  put (f, "H.4", MOTCUA_TIME_HOURS, 4);
  f->now_ms = motcua_test_ms ("2026-03-20T08:00:00+07:00");

  c = receive (f, "H.4", tuesday, MOTCUA_CHANNEL_COUNTER);
  assert_case (c, tuesday, "2026-03-10", "2026-03-10");
  decide_at (f, c, "2026-03-10T12:30:00+07:00");
  motcua_case_free (c);
  c = receive (f, "H.4", tuesday, MOTCUA_CHANNEL_COUNTER);
  decide_at (f, c, "2026-03-10T14:00:00+07:00");
  motcua_case_free (c);
  /* Resubmitted at 10:00: due at 13:59:59, a moment its row does not keep (it is not its
   * reception's 12:59:59), so judged by the day: resolved at 13:30, on time. */
  c = receive (f, "H.4", tuesday, MOTCUA_CHANNEL_COUNTER);
  {
    static const MotcuaStatus steps[] = {
      MOTCUA_STATUS_IN_PROCESSING, MOTCUA_STATUS_SUPPLEMENT_REQUESTED, MOTCUA_STATUS_RESUBMITTED,
    };
    static const char *const at[] = {
      "2026-03-10T09:10:00+07:00", "2026-03-10T09:30:00+07:00", "2026-03-10T10:00:00+07:00",
    };

    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      {
        MotcuaStepOptions options = { .at = at[i] };
        g_autoptr(GError) error = NULL;

        g_assert_true (motcua_replica_advance_case (f->replica, c->id, steps[i], &options,
                                                    &error));
        g_assert_no_error (error);
      }
  }
  decide_at (f, c, "2026-03-10T13:30:00+07:00");
  motcua_case_free (c);
  c = receive (f, "H.4", "2026-03-13T22:00:00+07:00", MOTCUA_CHANNEL_COUNTER);
  assert_case (c, "2026-03-13T22:00:00+07:00", "2026-03-13", "2026-03-16");
  decide_at (f, c, "2026-03-16T15:00:00+07:00");
  motcua_case_free (c);

  row = report_row (f, &report, "2026-03-20T08:00:00+07:00");
  g_assert_cmpint (row->own.resolved_early, ==, 0);
  g_assert_cmpint (row->own.resolved_on_time, ==, 3);
  g_assert_cmpint (row->own.resolved_late, ==, 1);

  /* Open, judged while the period runs (now) and after it ended (at the end of its last day). */
  c = receive (f, "H.4", tuesday, MOTCUA_CHANNEL_COUNTER);
  motcua_case_free (c);
  row = report_row (f, &report, "2026-03-10T12:00:00+07:00");
  g_assert_cmpint (row->own.pending_within, ==, 1);
  g_assert_cmpint (row->own.pending_overdue, ==, 0);
  row = report_row (f, &report, "2026-03-10T13:30:00+07:00");
  g_assert_cmpint (row->own.pending_within, ==, 0);
  g_assert_cmpint (row->own.pending_overdue, ==, 1);
  f->now_ms = motcua_test_ms ("2026-03-20T08:00:00+07:00");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MotcuaReport) day = motcua_replica_report (f->replica,
                                                         motcua_replica_get_office_code (
                                                           f->replica),
                                                         "2026-03-10", "2026-03-10", &error);

    g_assert_no_error (error);
    row = motcua_report_find (day, motcua_replica_get_office_code (f->replica));
    g_assert_cmpint (row->own.pending_overdue, ==, 1);
    g_assert_cmpint (row->own.resolved_on_time, ==, 2);
    g_assert_cmpint (row->own.resolved_late, ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  motcua_test_add ("/deadlines/units", test_units);
  motcua_test_add ("/deadlines/online-cutoff", test_cutoff);
  motcua_test_add ("/deadlines/bad-units", test_bad_units);
  motcua_test_add ("/deadlines/import", test_import);
  motcua_test_add ("/deadlines/resubmission", test_resubmission);
  motcua_test_add ("/deadlines/report-hours", test_report_hours);

  return g_test_run ();
}
