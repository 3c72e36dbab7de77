/* test-apology.c: the apology for a late case and the new date it promises
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-test-utils.h"

/* A land case (DD.BD, 10 working days) received on Monday 3 March 2025 at T.D.A: due on
 * Monday 17 March. */
static MotcuaCase *
receive_land_case (MotcuaFixture *f)
{
  MotcuaReception r = { .procedure_code = "DD.BD", .receiving_office = "T.D.A",
                        .applicant_name = "Lò Thị Hoa", .citizen_id = "012345678901" };
  g_autoptr(GError) error = NULL;
  MotcuaCase *c = motcua_replica_receive (f->replica, &r, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (c->due_date, ==, "2025-03-17");
  return c;
}

static guint
count_events (MotcuaFixture *f,
              const char    *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = motcua_replica_list_case_events (f->replica, key, &error);

  g_assert_no_error (error);
  return events->len;
}

/* Each refusal names what is wrong and writes nothing: no event, no change in the log. */
static void
assert_refused (MotcuaFixture *f,
                const char    *key,
                const char    *new_date,
                const char    *reason,
                int            code)
{
  g_autoptr(GError) error = NULL;
  guint events = count_events (f, key);
  guint64 seq = motcua_replica_get_last_seq (f->replica);

  g_assert_false (motcua_replica_apologise_case (f->replica, key, new_date, reason, &error));
  g_assert_error (error, MOTCUA_ERROR, code);
  g_test_message ("refused: %s", error->message);
  g_assert_cmpuint (count_events (f, key), ==, events);
  g_assert_cmpuint (motcua_replica_get_last_seq (f->replica), ==, seq);
}

static void
test_refused (MotcuaFixture *f,
              gconstpointer  data)
{
  g_autoptr(MotcuaCase) open = receive_land_case (f);
  g_autoptr(MotcuaCase) closed = receive_land_case (f);
  g_autoptr(GError) error = NULL;
  const char *reason = "Chờ ý kiến của Phòng Nông nghiệp và Môi trường";

  motcua_replica_advance_case (f->replica, closed->id, MOTCUA_STATUS_WITHDRAWN, NULL, &error);
  g_assert_no_error (error);

  f->now_ms = motcua_test_ms ("2025-03-14T09:00:00+07:00");
  assert_refused (f, closed->id, "2025-03-20", reason, MOTCUA_ERROR_ILLEGAL_TRANSITION);
  /* Not after the due date, in the past, not a date. */
  assert_refused (f, open->id, "2025-03-17", reason, MOTCUA_ERROR_INVALID);
  assert_refused (f, open->id, "2025-03-10", reason, MOTCUA_ERROR_INVALID);
  assert_refused (f, open->id, "2025-02-30", reason, MOTCUA_ERROR_INVALID);
  assert_refused (f, open->id, "20 March", reason, MOTCUA_ERROR_INVALID);
  assert_refused (f, open->id, NULL, reason, MOTCUA_ERROR_INVALID);
  /* A Saturday, and Hùng Kings' day (10/3 lunar: Monday 7 April 2025). */
  assert_refused (f, open->id, "2025-03-22", reason, MOTCUA_ERROR_INVALID);
  assert_refused (f, open->id, "2025-04-07", reason, MOTCUA_ERROR_INVALID);
  /* No reason. */
  assert_refused (f, open->id, "2025-03-20", NULL, MOTCUA_ERROR_INVALID);
  assert_refused (f, open->id, "2025-03-20", "", MOTCUA_ERROR_INVALID);
  assert_refused (f, open->id, "2025-03-20", "  \n ", MOTCUA_ERROR_INVALID);
  /* No such case. */
  g_assert_false (motcua_replica_apologise_case (f->replica, "T.D.A-2025-999999", "2025-03-20",
                                                 reason, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Overdue already: the new date must be after today, not only after the due date. */
  f->now_ms = motcua_test_ms ("2025-03-24T09:00:00+07:00");
  assert_refused (f, open->id, "2025-03-20", reason, MOTCUA_ERROR_INVALID);
  assert_refused (f, open->id, "2025-03-24", reason, MOTCUA_ERROR_INVALID);
}

static void
test_accepted (MotcuaFixture *f,
               gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = receive_land_case (f);
  g_autoptr(MotcuaCase) after = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *promised = NULL;
  g_autofree char *described = NULL;
  const MotcuaCaseEvent *event;
  guint before = count_events (f, c->id);

  events = motcua_replica_list_case_events (f->replica, c->id, &error);
  g_assert_no_error (error);
  promised = motcua_case_dup_promised_date (c, events);
  g_assert_null (promised);
  g_clear_pointer (&events, g_ptr_array_unref);

  f->now_ms = motcua_test_ms ("2025-03-14T09:00:00+07:00");
  g_assert_true (motcua_replica_apologise_case (f->replica, c->receipt_no, "2025-03-21",
                                                "  Chờ kết quả đo đạc thửa đất  ", &error));
  g_assert_no_error (error);

  events = motcua_replica_list_case_events (f->replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, before + 1);
  event = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (event->action, ==, "apologised");
  g_assert_cmpstr (event->field, ==, "due_date");
  g_assert_cmpstr (event->old_value, ==, "2025-03-17");
  g_assert_cmpstr (event->new_value, ==, "2025-03-21");
  g_assert_cmpstr (event->due_date, ==, "2025-03-17");
  g_assert_cmpstr (event->note, ==, "Chờ kết quả đo đạc thửa đất");
  described = motcua_case_event_describe (event);
  g_assert_nonnull (strstr (described, "2025-03-21"));

  /* The legal due date stands; the promise is read from the timeline. */
  after = motcua_replica_dup_case (f->replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after->due_date, ==, "2025-03-17");
  promised = motcua_case_dup_promised_date (after, events);
  g_assert_cmpstr (promised, ==, "2025-03-21");

  /* A second apology must promise later than the first; its old value is the first promise. */
  assert_refused (f, c->id, "2025-03-20", "Chưa xong", MOTCUA_ERROR_INVALID);
  g_assert_true (motcua_replica_apologise_case (f->replica, c->id, "2025-03-25", "Chưa xong",
                                                &error));
  g_assert_no_error (error);
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_pointer (&promised, g_free);
  events = motcua_replica_list_case_events (f->replica, c->id, &error);
  event = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (event->old_value, ==, "2025-03-21");
  g_assert_cmpstr (event->due_date, ==, "2025-03-17");
  promised = motcua_case_dup_promised_date (after, events);
  g_assert_cmpstr (promised, ==, "2025-03-25");
}

/* The report judges the case by its legal due date, apology or not. */
static void
test_report_still_late (MotcuaFixture *f,
                        gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = receive_land_case (f);
  g_autoptr(MotcuaReport) overdue = NULL;
  g_autoptr(MotcuaReport) late = NULL;
  g_autoptr(GError) error = NULL;
  const MotcuaReportRow *row;
  MotcuaStepOptions step = { .at = "2025-03-20T10:00:00+07:00" };

  f->now_ms = motcua_test_ms ("2025-03-17T09:00:00+07:00");
  g_assert_true (motcua_replica_apologise_case (f->replica, c->id, "2025-03-21",
                                                "Chờ kết quả đo đạc", &error));
  g_assert_no_error (error);

  f->now_ms = motcua_test_ms ("2025-03-19T09:00:00+07:00");
  overdue = motcua_replica_report (f->replica, "T.D.A", "2025-03-01", "2025-03-31", &error);
  g_assert_no_error (error);
  row = motcua_report_find (overdue, "T.D.A");
  g_assert_cmpint (row->own.pending_overdue, ==, 1);
  g_assert_cmpint (row->own.pending_within, ==, 0);

  /* Resolved on 20 March, before the promised 21st: still late. */
  f->now_ms = motcua_test_ms ("2025-03-20T10:00:00+07:00");
  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_IN_PROCESSING, NULL, &error);
  g_assert_no_error (error);
  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_APPROVED, &step, &error);
  g_assert_no_error (error);
  late = motcua_replica_report (f->replica, "T.D.A", "2025-03-01", "2025-03-31", &error);
  g_assert_no_error (error);
  row = motcua_report_find (late, "T.D.A");
  g_assert_cmpint (row->own.resolved_late, ==, 1);
  g_assert_cmpint (row->own.resolved_on_time + row->own.resolved_early, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  motcua_test_add ("/apology/refused", test_refused);
  motcua_test_add ("/apology/accepted", test_accepted);
  motcua_test_add ("/apology/report-still-late", test_report_still_late);

  return g_test_run ();
}
