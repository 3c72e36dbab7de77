/* test-hub-apology.c: an apology travels like any event of the timeline
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include "motcua-test-transport.h"
#include "test-hub.h"

static const MotcuaCaseEvent *
last_event (GPtrArray *events)
{
  g_assert_cmpuint (events->len, >, 0);
  return g_ptr_array_index (events, events->len - 1);
}

/* The commune apologises; the hub takes the event and the district receives it, with the
 * promised date and the reason, and the legal due date unchanged. */
static void
test_apology_travels (Province      *p,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lò Văn Pằng");
  g_autoptr(MotcuaCase) on_d = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) on_hub = NULL;
  g_autofree char *promised = NULL;
  const MotcuaCaseEvent *event;

  g_assert_true (motcua_replica_apologise_case (p->a.replica, c->id, "2025-03-05",
                                                "Chờ xác minh nơi cư trú", &error));
  g_assert_no_error (error);
  sync_replica (p, &p->a, p->token_a, NULL);
  g_assert_cmpint (motcua_replica_count_pending (p->a.replica, &error), ==, 0);

  on_hub = motcua_replica_list_case_events (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (last_event (on_hub)->action, ==, "apologised");

  sync_replica (p, &p->d, p->token_d, NULL);
  events = motcua_replica_list_case_events (p->d.replica, c->id, &error);
  g_assert_no_error (error);
  event = last_event (events);
  g_assert_cmpstr (event->action, ==, "apologised");
  g_assert_cmpstr (event->old_value, ==, c->due_date);
  g_assert_cmpstr (event->new_value, ==, "2025-03-05");
  g_assert_cmpstr (event->note, ==, "Chờ xác minh nơi cư trú");
  g_assert_cmpstr (event->replica, ==, motcua_replica_get_id (p->a.replica));

  on_d = motcua_replica_dup_case (p->d.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_d->due_date, ==, c->due_date);
  promised = motcua_case_dup_promised_date (on_d, events);
  g_assert_cmpstr (promised, ==, "2025-03-05");
}

void
test_hub_apology_add_tests (void)
{
  HUB_ADD ("/hub/apology/travels", test_apology_travels);
}
