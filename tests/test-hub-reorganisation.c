/* test-hub-reorganisation.c: the offices of 2026 at the hub: a reorganisation applied while
 * desks are offline, and dossiers received at one office and decided by another
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <string.h>

#include "motcua-sync-private.h"
#include "motcua-test-transport.h"
#include "test-hub.h"

/* The fixture's district and communes end on 30 June 2025; a new commune T.M takes over. */
static const char reform[] =
  "{\"format\": \"motcua-reorganisation\", \"version\": 1, \"effective\": \"2025-07-01\","
  " \"title\": \"Sắp xếp đơn vị hành chính\", \"legal_basis\": \"Nghị quyết mẫu\","
  " \"created\": [{\"code\": \"T.M\", \"name\": \"UBND xã Mới\", \"level\": \"commune\","
  "   \"parent\": \"T\"}],"
  " \"ended\": [{\"code\": \"T.D.A\", \"successor\": \"T.M\"},"
  "   {\"code\": \"T.D.B\", \"successor\": \"T.M\"}, {\"code\": \"T.D\", \"successor\": \"T.M\"}]}";

static void
set_clocks (Province   *p,
            const char *when)
{
  p->hub.now_ms = p->a.now_ms = p->b.now_ms = p->d.now_ms = motcua_test_ms (when);
}

static const MotcuaCaseEvent *
last_event (GPtrArray *events)
{
  g_assert_cmpuint (events->len, >, 0);

  return g_ptr_array_index (events, events->len - 1);
}

/* Desk A receives a case in June and stays offline; desk B's June case reaches the province.
 * The province applies the reform on 1 July. When A syncs on 2 July it belongs to T.M without
 * enrolling again, keeps and pushes its June case, hands it to T.M, and holds B's too; its next
 * receipt is T.M's. */
static void
test_offline_desk_rehomed (Province      *p,
                           gconstpointer  data)
{
  g_autoptr(MotcuaReorganisation) reorg = NULL;
  g_autoptr(MotcuaCase) x = NULL;
  g_autoptr(MotcuaCase) y = NULL;
  g_autoptr(MotcuaCase) z = NULL;
  g_autoptr(MotcuaCase) x_hub = NULL;
  g_autoptr(MotcuaCase) y_hub = NULL;
  g_autoptr(MotcuaCase) y_on_a = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  MotcuaSyncProgress summary;
  guint moved = 0;

  set_clocks (p, "2025-06-27T09:00:00+07:00");
  x = receive (&p->a, "Lò Văn Ngoại Tuyến");
  y = receive (&p->b, "Lò Thị Trực Tuyến");
  summary = sync_once (p, &p->b, p->token_b);
  g_assert_true (summary.verified);

  set_clocks (p, "2025-07-01T07:30:00+07:00");
  reorg = motcua_reorganisation_load_data (reform, strlen (reform), "reform.json", &error);
  g_assert_no_error (error);
  motcua_replica_apply_reorganisation (p->hub.replica, reorg, &moved, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (moved, ==, 1);
  y_hub = motcua_replica_dup_case (p->hub.replica, y->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (y_hub->handling_office, ==, "T.M");

  set_clocks (p, "2025-07-02T08:00:00+07:00");
  summary = sync_once (p, &p->a, p->token_a);
  g_assert_true (summary.rehomed);
  g_assert_cmpstr (motcua_replica_get_office_code (p->a.replica), ==, "T.M");

  /* Its June case reached the province and is T.M's to handle, with the reason on its
   * timeline; B's case came with T.M's scope. */
  x_hub = motcua_replica_dup_case (p->hub.replica, x->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (x_hub->receiving_office, ==, "T.D.A");
  g_assert_cmpstr (x_hub->handling_office, ==, "T.M");
  events = motcua_replica_list_case_events (p->hub.replica, x->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (last_event (events)->action, ==, "transferred");
  g_assert_cmpstr (last_event (events)->to_office, ==, "T.M");
  y_on_a = motcua_replica_dup_case (p->a.replica, y->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (y_on_a->handling_office, ==, "T.M");

  /* Its next sync verifies with nothing left to send. */
  summary = sync_once (p, &p->a, p->token_a);
  g_assert_false (summary.rehomed);
  g_assert_true (summary.verified);
  g_assert_cmpuint (summary.changes_sent, ==, 0);

  /* Receipts continue in T.M's own series. */
  z = receive (&p->a, "Lò Văn Mới");
  g_assert_true (g_str_has_prefix (z->receipt_no, "T.M-2025-"));
  summary = sync_once (p, &p->a, p->token_a);
  g_assert_true (summary.verified);

  /* The district's desk follows too; enrolling an ended office is refused. */
  summary = sync_once (p, &p->d, p->token_d);
  g_assert_true (summary.rehomed);
  g_assert_cmpstr (motcua_replica_get_office_code (p->d.replica), ==, "T.M");
  g_assert_null (_motcua_hub_enroll (p->hub.replica, "T.D.A", &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "T.M"));
}


/* A department of the province, and a procedure it decides that commune desks may receive. */
static void
put_department_procedure (Province *p)
{
  MotcuaOffice department = {
    .code = (char *) "T.S", .name = (char *) "Sở Thử", .level = MOTCUA_LEVEL_DEPARTMENT,
    .parent_code = (char *) "T",
  };
  const char *docs[] = { "Đơn đề nghị", NULL };
  const char *basis[] = { "Nghị định mẫu", NULL };
  MotcuaProcedure procedure = {
    .code = (char *) "SO.CAP", .name = (char *) "Cấp giấy phép mẫu", .sector = (char *) "Mẫu",
    .levels = 1u << MOTCUA_LEVEL_DEPARTMENT,
    .receiving_levels = 1u << MOTCUA_LEVEL_DEPARTMENT | 1u << MOTCUA_LEVEL_COMMUNE,
    .processing_days = 5, .documents = (GStrv) docs, .legal_basis = (GStrv) basis,
    .sample = TRUE,
  };
  g_autoptr(GError) error = NULL;

  motcua_replica_put_office (p->hub.replica, &department, &error);
  g_assert_no_error (error);
  motcua_replica_put_procedure (p->hub.replica, &procedure, &error);
  g_assert_no_error (error);
}

static MotcuaCase *
receive_returned_at (MotcuaReplica  *replica,
                     const char     *office,
                     const char     *deciding,
                     gboolean        return_at_deciding,
                     GError        **error)
{
  MotcuaReception r = {
    .procedure_code = "SO.CAP", .receiving_office = office, .deciding_office = deciding,
    .return_at_deciding = return_at_deciding,
    .applicant_name = "Lò Văn Liên Thông", .citizen_id = "012345678901",
  };

  return motcua_replica_receive (replica, &r, error);
}

static MotcuaCase *
receive_for (MotcuaFixture  *f,
             const char     *office,
             const char     *deciding,
             GError        **error)
{
  return receive_returned_at (f->replica, office, deciding, FALSE, error);
}

/* The deciding office (here the province's own replica) decides and hands back. */
static void
decide_and_return (Province   *p,
                   const char *case_id)
{
  static const MotcuaStatus steps[] = {
    MOTCUA_STATUS_IN_PROCESSING, MOTCUA_STATUS_APPROVED, MOTCUA_STATUS_RETURNED,
  };
  MotcuaStepOptions by_post = { .returned_via = MOTCUA_CHANNEL_POSTAL };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_assert_true (motcua_replica_advance_case (p->hub.replica, case_id, steps[i], &by_post,
                                                  &error));
      g_assert_no_error (error);
    }
}

/* A commune desk receives a dossier the department decides: its own receipt, forwarded at once
 * with the step on the timeline, the department's desk and the province hold it; the commune
 * desk hands the result back or takes a withdrawal, and decides nothing. A level that may not
 * receive it, or an office that may not decide it, is refused naming the levels. */
static void
test_received_anywhere (Province      *p,
                        gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaCase) refused = NULL;
  g_autoptr(MotcuaCase) on_hub = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  MotcuaStepOptions withdrawn = { .note = "Công dân rút hồ sơ" };
  MotcuaSyncProgress summary;
  gint64 cases;

  put_department_procedure (p);
  summary = sync_once (p, &p->a, p->token_a);
  g_assert_true (summary.verified);
  summary = sync_once (p, &p->d, p->token_d);
  g_assert_true (summary.verified);
  cases = motcua_test_count (p->a.replica, "cases");

  /* Who may receive, who may decide. */
  refused = receive_for (&p->a, NULL, NULL, &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "decided at the levels department"));
  g_clear_error (&error);
  refused = receive_for (&p->a, NULL, "T.D.B", &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "office T.D.B is a commune"));
  g_clear_error (&error);
  refused = receive_for (&p->d, NULL, "T.S", &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "received at the levels department,commune"));
  g_clear_error (&error);
  g_assert_cmpint (motcua_test_count (p->a.replica, "cases"), ==, cases);

  c = receive_for (&p->a, NULL, "T.S", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (c->receipt_no, "T.D.A-"));
  g_assert_cmpstr (c->receiving_office, ==, "T.D.A");
  g_assert_cmpstr (c->handling_office, ==, "T.S");
  events = motcua_replica_list_case_events (p->a.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (last_event (events)->action, ==, "forwarded");
  g_assert_cmpstr (last_event (events)->to_office, ==, "T.S");

  summary = sync_once (p, &p->a, p->token_a);
  g_assert_true (summary.verified);
  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->handling_office, ==, "T.S");

  /* The receiving desk decides nothing, corrects only the applicant's contact. */
  g_assert_false (motcua_replica_advance_case (p->a.replica, c->id,
                                               MOTCUA_STATUS_IN_PROCESSING, NULL, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "decided by T.S"));
  g_clear_error (&error);
  g_assert_false (motcua_replica_edit_case (p->a.replica, c->id, "applicant_name", "Lò Văn Khác",
                                            NULL, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (motcua_replica_edit_case (p->a.replica, c->id, "phone", "0912345678", NULL,
                                           &error));
  g_assert_no_error (error);
  g_assert_true (motcua_replica_advance_case (p->a.replica, c->id, MOTCUA_STATUS_WITHDRAWN,
                                              &withdrawn, &error));
  g_assert_no_error (error);
  summary = sync_once (p, &p->a, p->token_a);
  g_assert_true (summary.verified);
  g_clear_pointer (&on_hub, motcua_case_free);
  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (on_hub->status, ==, MOTCUA_STATUS_WITHDRAWN);
  g_assert_cmpstr (on_hub->phone, ==, "0912345678");

  /* Nor may a desk of the receiving office that writes it anyway (its last push): the hub
   * refuses it. */
  {
    g_autoptr(MotcuaHubPeer) peer = _motcua_hub_authenticate (p->hub.replica, p->token_a,
                                                              &error);
    g_autoptr(JsonArray) forged = json_array_new ();
    g_autoptr(JsonArray) rejected = NULL;
    guint64 acked = 0;

    g_assert_no_error (error);
    json_array_add_object_element (forged, forged_change (&p->a, peer->acked_seq + 1, 0, "cases",
                                                          c->id, "status",
                                                          json_node_init_string (
                                                            json_node_alloc (),
                                                            "0:approved")));
    json_array_add_object_element (forged, forged_change (&p->a, peer->acked_seq + 2, 1, "cases",
                                                          c->id, "applicant_name",
                                                          json_node_init_string (
                                                            json_node_alloc (), "Kẻ Khác")));
    g_assert_true (_motcua_hub_push (p->hub.replica, peer, forged, &acked, &rejected, NULL,
                                     &error));
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (rejected), ==, 2);
    for (guint i = 0; i < 2; i++)
      g_assert_nonnull (strstr (json_object_get_string_member (
                                  json_array_get_object_element (rejected, i), "reason"),
                                "decided by another office"));
    g_clear_pointer (&on_hub, motcua_case_free);
    on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (on_hub->status, ==, MOTCUA_STATUS_WITHDRAWN);
    g_assert_cmpstr (on_hub->applicant_name, ==, "Lò Văn Liên Thông");
  }
}

/* A forwarded dossier whose result the deciding office hands back leaves the receiving desk
 * (and the district above it) once it has: the step that ends their holding reaches them, they
 * let the case go, and their digests still agree with the server's. One whose result is
 * handed back at the receiving desk stays there. The receiving desk may not hand back the
 * first itself, and a dossier decided where it is received has nowhere else to return. */
static void
test_returned_by_deciding (Province      *p,
                           gconstpointer  data)
{
  g_autoptr(MotcuaCase) away = NULL;
  g_autoptr(MotcuaCase) here = NULL;
  g_autoptr(MotcuaCase) refused = NULL;
  g_autoptr(MotcuaCase) gone = NULL;
  g_autoptr(MotcuaCase) kept = NULL;
  g_autoptr(MotcuaCase) on_hub = NULL;
  g_autoptr(GError) error = NULL;
  MotcuaSyncProgress summary;

  put_department_procedure (p);
  summary = sync_once (p, &p->a, p->token_a);
  g_assert_true (summary.verified);

  refused = receive_returned_at (p->hub.replica, "T.S", NULL, TRUE, &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "decides procedure “SO.CAP” itself"));
  g_clear_error (&error);

  away = receive_returned_at (p->a.replica, NULL, "T.S", TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (away->return_at_deciding);
  here = receive_returned_at (p->a.replica, NULL, "T.S", FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (here->return_at_deciding);
  g_assert_false (motcua_replica_advance_case (p->a.replica, away->id, MOTCUA_STATUS_RETURNED,
                                               NULL, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "which hands its result back"));
  g_clear_error (&error);

  summary = sync_once (p, &p->a, p->token_a);
  g_assert_true (summary.verified);
  summary = sync_once (p, &p->d, p->token_d);
  g_assert_true (summary.verified);
  gone = motcua_replica_dup_case (p->d.replica, away->id, &error);
  g_assert_no_error (error);
  g_clear_pointer (&gone, motcua_case_free);

  /* Decided and handed back by the department, while the commune desk waits. */
  decide_and_return (p, away->id);
  decide_and_return (p, here->id);
  summary = sync_once (p, &p->a, p->token_a);
  g_assert_true (summary.verified);
  summary = sync_once (p, &p->d, p->token_d);
  g_assert_true (summary.verified);

  for (guint i = 0; i < 2; i++)
    {
      MotcuaReplica *desk = i == 0 ? p->a.replica : p->d.replica;

      gone = motcua_replica_dup_case (desk, away->id, &error);
      g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
      g_assert_null (gone);
      g_clear_error (&error);
      kept = motcua_replica_dup_case (desk, here->id, &error);
      g_assert_no_error (error);
      g_assert_cmpint (kept->status, ==, MOTCUA_STATUS_RETURNED);
      g_clear_pointer (&kept, motcua_case_free);
    }
  on_hub = motcua_replica_dup_case (p->hub.replica, away->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (on_hub->status, ==, MOTCUA_STATUS_RETURNED);
  g_assert_true (on_hub->return_at_deciding);

  /* Nothing more of it reaches them, and a later sync still agrees. */
  g_assert_true (motcua_replica_edit_case (p->hub.replica, away->id, "rating", "5", NULL,
                                           &error));
  g_assert_no_error (error);
  summary = sync_once (p, &p->a, p->token_a);
  g_assert_true (summary.verified);
  gone = motcua_replica_dup_case (p->a.replica, away->id, &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

/* A case the province transfers to another commune while the desk that received and handled it
 * is offline: what the desk wrote before the transfer was its own to write and counts; what it
 * wrote after, not knowing, is held to what a receiving desk may write (the applicant's contact
 * passes, the citizen ID does not), and the refusal names why. */
static void
test_transferred_while_offline (Province      *p,
                                gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaCase) on_hub = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  g_autoptr(GError) error = NULL;

  set_clocks (p, "2026-03-02T09:00:00+07:00");
  c = receive (&p->a, "Lò Thị Chuyển");
  sync_replica (p, &p->a, p->token_a, NULL);

  p->a.now_ms = motcua_test_ms ("2026-03-02T10:00:00+07:00");
  g_assert_true (motcua_replica_edit_case (p->a.replica, c->id, "applicant_name",
                                           "Lò Thị Chuyển Sớm", NULL, &error));
  g_assert_no_error (error);
  p->hub.now_ms = motcua_test_ms ("2026-03-02T11:00:00+07:00");
  g_assert_true (motcua_replica_transfer_case (p->hub.replica, c->id, "T.D.B", "liên thông",
                                               &error));
  g_assert_no_error (error);
  p->a.now_ms = motcua_test_ms ("2026-03-02T12:00:00+07:00");
  g_assert_true (motcua_replica_edit_case (p->a.replica, c->id, "address", "Bản Mới", NULL,
                                           &error));
  g_assert_no_error (error);
  g_assert_true (motcua_replica_edit_case (p->a.replica, c->id, "citizen_id", "098765432109",
                                           NULL, &error));
  g_assert_no_error (error);

  (void) sync_once (p, &p->a, p->token_a);
  rejected = motcua_replica_list_rejected (p->a.replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejected->len, ==, 1);
  g_assert_cmpstr (((MotcuaRejected *) rejected->pdata[0])->column, ==, "citizen_id");
  g_assert_nonnull (strstr (((MotcuaRejected *) rejected->pdata[0])->reason,
                            "not write citizen_id"));
  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->handling_office, ==, "T.D.B");
  g_assert_cmpstr (on_hub->applicant_name, ==, "Lò Thị Chuyển Sớm");
  g_assert_cmpstr (on_hub->address, ==, "Bản Mới");
  g_assert_cmpstr (on_hub->citizen_id, !=, "098765432109");
}

void
test_hub_reorganisation_add_tests (void)
{
  HUB_ADD ("/hub/reorganisation/offline-desk", test_offline_desk_rehomed);
  HUB_ADD ("/hub/received-anywhere", test_received_anywhere);
  HUB_ADD ("/hub/received-anywhere/returned-by-deciding", test_returned_by_deciding);
  HUB_ADD ("/hub/received-anywhere/transferred-while-offline", test_transferred_while_offline);
}
