/* test-hub-desks.c: re-stamped clocks, desk codes, duplicate receipts and lost tokens at the hub
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-hub-private.h"
#include "motcua-protocol-private.h"
#include "motcua-test-transport.h"
#include "motcua-test-utils.h"
#include "test-hub.h"

/* A desk whose clock ran ahead re-stamps what it has not pushed. An operation keeps one stamp
 * (a reception's case row and its event), and a later change that overwrote it names that
 * stamp: the server sees a transfer made before the re-stamp as the next write of the field,
 * not as a conflict of the desk with itself (found by test-converge, seed 5510). */
static void
test_restamp (Province      *p,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaCase) on_hub = NULL;
  g_autoptr(JsonArray) changes = NULL;
  MotcuaHlc case_hlc = 0, event_hlc = 0;

  p->a.now_ms = p->hub.now_ms + 10 * 60 * 1000;   /* ten minutes ahead */
  c = receive (&p->a, "Sần Thị Mỷ");
  g_assert_true (motcua_replica_transfer_case (p->a.replica, c->id, "T.D", "liên thông",
                                               &error));
  g_assert_no_error (error);
  p->a.now_ms = p->hub.now_ms;                      /* its officer sets the clock right */

  sync_replica (p, &p->a, p->token_a, NULL);
  g_assert_cmpint (open_conflicts (p->hub.replica), ==, 0);
  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->handling_office, ==, "T.D");

  /* The reception's records, re-stamped, still share one stamp, now behind the hub's clock. */
  changes = _motcua_replica_collect_changes (p->a.replica, 0, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *o = json_array_get_object_element (changes, i);
      const char *table = json_object_get_string_member (o, "t");

      if (g_str_equal (table, "cases") && case_hlc == 0)
        case_hlc = (MotcuaHlc) json_object_get_int_member (o, "h");
      else if (g_str_equal (table, "case_events") && event_hlc == 0)
        event_hlc = (MotcuaHlc) json_object_get_int_member (o, "h");
    }
  g_assert_cmpuint (case_hlc, !=, 0);
  g_assert_cmpuint (case_hlc, ==, event_hlc);
  g_assert_cmpint (motcua_hlc_get_ms (case_hlc), <=, p->hub.now_ms + 60 * 1000);
}


/* Checks that every event of case @id on @f is at or before @latest. */
static void
assert_events_not_after (MotcuaFixture *f,
                         const char    *id,
                         const char    *latest)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = motcua_replica_list_case_events (f->replica, id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >, 0);
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpstr (((MotcuaCaseEvent *) events->pdata[i])->at, <=, latest);
}

/* A desk whose clock runs hours ahead receives a case, past midnight by its clock, and moves
 * it on before it syncs. Once the sync knows the offset, the times it wrote are corrected as
 * its stamps are, the day its clock starts and its due date with them, and what is pushed is
 * the corrected values: the case's next steps, at the desk and above it, are not refused as
 * before it was received (issue 10: refused 1,427 times in one run). */
static void
test_restamp_times (Province      *p,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaCase) on_a = NULL;
  g_autoptr(MotcuaCase) on_hub = NULL;
  g_autoptr(MotcuaCase) on_d = NULL;
  g_autofree char *due = NULL;
  g_autoptr(MotcuaCase) typed_case = NULL;
  MotcuaReception backdated = { .procedure_code = "HT.KS", .applicant_name = "Vàng Thị Dua",
                                .citizen_id = "012345678901",
                                .received_at = "2025-03-03T20:00:00+07:00" };
  MotcuaStepOptions typed = { .at = "2025-03-03T20:30:00+07:00" };

  p->hub.now_ms = motcua_test_ms ("2025-03-03T22:00:00+07:00");
  p->d.now_ms = p->hub.now_ms;
  p->a.now_ms = p->hub.now_ms + 4 * 3600 * 1000;   /* 02:00 the next day, by its clock */
  c = receive (&p->a, "Thào A Chứ");
  g_assert_cmpstr (c->received_at, ==, "2025-03-04T02:00:00+07:00");
  p->a.now_ms += 60 * 1000;
  g_assert_true (motcua_replica_advance_case (p->a.replica, c->id,
                                              MOTCUA_STATUS_IN_PROCESSING, NULL, &error));
  g_assert_no_error (error);
  due = motcua_replica_compute_due_date (p->a.replica, "HT.KS", "2025-03-03T22:00:00+07:00",
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpstr (due, !=, c->due_date);
  typed_case = motcua_replica_receive (p->a.replica, &backdated, &error);
  g_assert_no_error (error);
  g_assert_true (motcua_replica_advance_case (p->a.replica, typed_case->id,
                                              MOTCUA_STATUS_IN_PROCESSING, &typed, &error));
  g_assert_no_error (error);

  p->hub.now_ms += 2 * 60 * 1000;
  p->a.now_ms += 60 * 1000;
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);

  /* Corrected at the desk, and pushed corrected. */
  on_a = motcua_replica_dup_case (p->a.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_a->received_at, ==, "2025-03-03T22:00:00+07:00");
  g_assert_cmpstr (on_a->clock_start, ==, "2025-03-03");
  g_assert_cmpstr (on_a->due_date, ==, due);
  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->received_at, ==, on_a->received_at);
  g_assert_cmpstr (on_hub->due_date, ==, due);
  assert_events_not_after (&p->a, c->id, "2025-03-03T22:02:00+07:00");
  assert_events_not_after (&p->hub, c->id, "2025-03-03T22:02:00+07:00");

  /* The desk (its clock still wrong, corrected by the offset) and the district above both
   * move it on now, and nothing they push is refused. */
  p->a.now_ms += 60 * 1000;
  g_assert_true (motcua_replica_advance_case (p->a.replica, c->id, MOTCUA_STATUS_APPROVED,
                                              NULL, &error));
  g_assert_no_error (error);
  sync_desk (p, &p->a, p->token_a);
  sync_replica (p, &p->d, p->token_d, NULL);
  on_d = motcua_replica_dup_case (p->d.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (on_d->status, ==, MOTCUA_STATUS_APPROVED);
  g_assert_cmpstr (on_d->resolved_at, <=, "2025-03-03T22:05:00+07:00");
  g_assert_true (motcua_replica_advance_case (p->d.replica, c->id, MOTCUA_STATUS_RETURNED,
                                              NULL, &error));
  g_assert_no_error (error);
  sync_desk (p, &p->d, p->token_d);

  /* A time the officer typed is not the clock's: it is kept. */
  g_clear_pointer (&on_hub, motcua_case_free);
  on_hub = motcua_replica_dup_case (p->hub.replica, typed_case->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->received_at, ==, "2025-03-03T20:00:00+07:00");
  g_assert_cmpint (on_hub->status, ==, MOTCUA_STATUS_IN_PROCESSING);
}

/* A desk whose clock ran hours ahead, set right by its officer before it synced: its offset
 * is nothing now, but the times it wrote are still ahead of every clock. The re-stamp brings
 * them back to the moment it corrects them, and the case can move on at once. */
static void
test_restamp_times_clock_set_right (Province      *p,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaCase) on_a = NULL;

  p->a.now_ms = p->hub.now_ms + 3 * 3600 * 1000;
  c = receive (&p->a, "Giàng A Páo");
  p->a.now_ms = p->hub.now_ms;                      /* its officer sets the clock right */

  /* Refused now, as received in the future… */
  g_assert_false (motcua_replica_advance_case (p->a.replica, c->id,
                                               MOTCUA_STATUS_IN_PROCESSING, NULL, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_clear_error (&error);

  /* …but not once the sync has corrected it. */
  sync_replica (p, &p->a, p->token_a, NULL);
  on_a = motcua_replica_dup_case (p->a.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (motcua_test_ms (on_a->received_at), <=, p->hub.now_ms);
  g_assert_true (motcua_replica_advance_case (p->a.replica, c->id,
                                              MOTCUA_STATUS_IN_PROCESSING, NULL, &error));
  g_assert_no_error (error);
  sync_desk (p, &p->a, p->token_a);
}

static gint64
fixture_now (gpointer data)
{
  return ((MotcuaFixture *) data)->now_ms;
}

/* The desk writes through its own connection while the sync re-stamps through another: once
 * the sync has corrected the clock, the desk's next writes are stamped by the corrected clock
 * too, not after the stamps it gave before (which kept every later write ahead, to be
 * re-stamped at every sync). */
static void
test_restamp_other_connection (Province      *p,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaReplica) desk = motcua_replica_open (p->a.path, &error);
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaTransport) transport = NULL;
  MotcuaSyncProgress summary;

  g_assert_no_error (error);
  motcua_replica_set_clock (desk, fixture_now, &p->a);
  p->a.now_ms = p->hub.now_ms + 3 * 3600 * 1000;
  c = receive_on (desk, "Lò Văn Hặc");
  sync_replica (p, &p->a, p->token_a, NULL);

  g_assert_true (motcua_replica_advance_case (desk, c->id, MOTCUA_STATUS_IN_PROCESSING, NULL,
                                              &error));
  g_assert_no_error (error);
  transport = _motcua_transport_new_local (p->hub.replica, NULL, p->token_a);
  g_assert_true (_motcua_sync_once (p->a.replica, transport, NULL, NULL, NULL, &summary,
                                    &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.restamped, ==, 0);
  g_assert_cmpuint (summary.rejected, ==, 0);
}

/* Two offices transfer one case at once: a conflict on its handling office. The commune the
 * case went to keeps the other side; the case leaves its scope, and its next sync purges it,
 * as after a transfer (found by test-converge, seed 5510: the commune held it for good). */
static void
test_resolve_moves_case (Province      *p,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lù Thị Sửu");
  g_autoptr(MotcuaCase) on_b = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  MotcuaConflict *k;
  MotcuaUuid district;
  char district_id[37];

  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);

  /* The commune hands it to the district; a minute later the district, not having seen
   * that, hands it to the other commune, whose write wins the field. */
  g_assert_true (motcua_replica_transfer_case (p->a.replica, c->id, "T.D", NULL, &error));
  p->d.now_ms += 60 * 1000;
  g_assert_true (motcua_replica_transfer_case (p->d.replica, c->id, "T.D.B", NULL, &error));
  g_assert_no_error (error);
  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->b, p->token_b, NULL);
  on_b = motcua_replica_dup_case (p->b.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_b->handling_office, ==, "T.D.B");

  conflicts = motcua_replica_list_conflicts (p->b.replica, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  k = conflicts->pdata[0];
  g_assert_cmpstr (k->column, ==, "handling_office_id");
  motcua_uuid_for_key (&district, "office", "T.D");
  motcua_uuid_to_string (&district, district_id);

  /* T.D.B keeps the district's side: the case is no longer its own. */
  g_assert_true (motcua_replica_resolve_conflict (p->b.replica, k->id,
                                                  g_strcmp0 (k->a.value, district_id) == 0
                                                  ? MOTCUA_RESOLVE_KEEP_A : MOTCUA_RESOLVE_KEEP_B,
                                                  NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(MotcuaCaseEvent) resolution = dup_event (p->b.replica, c->id, NULL, k->id);

    g_assert_nonnull (resolution);
    g_assert_cmpstr (resolution->action, ==, "conflict_resolved");
    g_assert_cmpstr (resolution->field, ==, "handling_office_id");
    g_assert_cmpstr (resolution->new_value, ==, district_id);
  }
  sync_replica (p, &p->b, p->token_b, NULL);
  g_clear_pointer (&on_b, motcua_case_free);
  on_b = motcua_replica_dup_case (p->b.replica, c->id, &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_assert_null (on_b);
}

/* Syncs @f and returns how many of its changes the server refused; the sync may pull the scope
 * again (a refused value differs from the server's), but ends verified. */
guint
sync_refused (Province      *p,
              MotcuaFixture *f,
              const char    *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaTransport) transport = _motcua_transport_new_local (p->hub.replica, NULL, token);
  MotcuaSyncProgress summary;

  g_assert_true (_motcua_sync_once (f->replica, transport, NULL, NULL, NULL, &summary, &error));
  g_assert_no_error (error);
  g_assert_true (summary.verified);

  return summary.rejected;
}

/* Syncs @f through its own token and checks nothing it pushed was refused. */
void
sync_desk (Province      *p,
           MotcuaFixture *f,
           const char    *token)
{
  g_assert_cmpuint (sync_refused (p, f, token), ==, 0);
}

void
bind_desk (Province      *p,
           MotcuaFixture *f,
           const char    *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaTransport) transport = _motcua_transport_new_local (p->hub.replica, NULL, token);

  g_assert_true (_motcua_sync_bind (f->replica, transport, "local:", NULL, &error));
  g_assert_no_error (error);
  sync_desk (p, f, token);
}

#define N_DESKS 4

/* Several desks of one commune, enrolled within the same second, all offline and receiving
 * past their leased numbers, and a district desk receiving for the commune: every receipt
 * number in the province is unique, before and after they sync. The numbers given past a
 * lease carry the desk's code, which the server gave it, and no clock. */
static void
test_desk_codes (Province      *p,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  MotcuaFixture desks[N_DESKS];
  char *tokens[N_DESKS];
  MotcuaReception for_a = { .procedure_code = "HT.KS", .applicant_name = "Giàng Thị Mỷ",
                            .citizen_id = "012345678901", .receiving_office = "T.D.A" };
  guint n_received = 0;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < N_DESKS; i++)
    {
      motcua_fixture_set_up_empty (&desks[i], MOTCUA_LEVEL_COMMUNE, "T.D.A");
      tokens[i] = _motcua_hub_enroll (p->hub.replica, "T.D.A", &error);
      g_assert_no_error (error);
      bind_desk (p, &desks[i], tokens[i]);
    }
  bind_desk (p, &p->d, p->token_d);

  /* Each desk has a code of its own, the one `replicas list` shows. */
  listed = _motcua_hub_list_replicas (p->hub.replica, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_DESKS; i++)
    {
      g_autofree char *code = motcua_replica_dup_desk_code (desks[i].replica);
      gboolean found = FALSE;

      g_assert_nonnull (code);
      g_assert_true (g_regex_match_simple ("^Q[0-9]{2,}$", code, 0, 0));
      for (guint j = 0; j < listed->len; j++)
        {
          const MotcuaHubReplicaInfo *info = listed->pdata[j];

          found |= g_str_has_prefix (tokens[i], info->token_id)
                   && tokens[i][strlen (info->token_id)] == '.'
                   && g_strcmp0 (info->desk_code, code) == 0;
        }
      g_assert_true (found);
      g_assert_true (g_hash_table_add (codes, g_steal_pointer (&code)));
    }

  /* Offline: past the leased block, until each desk has given 5 numbers of its own. */
  for (guint i = 0; i < N_DESKS; i++)
    {
      g_autofree char *code = motcua_replica_dup_desk_code (desks[i].replica);
      g_autofree char *mark = g_strdup_printf ("-%s-", code);
      guint own = 0;

      for (guint k = 0; own < 5; k++)
        {
          g_autoptr(MotcuaCase) c = receive (&desks[i], "Sùng A Tủa");

          g_assert_cmpuint (k, <, 1000);
          own += strstr (c->receipt_no, mark) != NULL;
          g_assert_true (g_hash_table_add (seen, g_strdup (c->receipt_no)));
          n_received++;
        }
    }
  /* The district desk receiving for the commune: it holds no block for it yet. */
  for (guint k = 0; k < 3; k++)
    {
      g_autofree char *code = motcua_replica_dup_desk_code (p->d.replica);
      g_autoptr(MotcuaCase) c = motcua_replica_receive (p->d.replica, &for_a, &error);

      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (c->receipt_no, "T.D.A-"));
      g_assert_nonnull (strstr (c->receipt_no, code));
      g_assert_true (g_hash_table_add (seen, g_strdup (c->receipt_no)));
      n_received++;
    }

  for (guint i = 0; i < N_DESKS; i++)
    sync_desk (p, &desks[i], tokens[i]);
  sync_desk (p, &p->d, p->token_d);

  stmt = _motcua_replica_prepare (p->hub.replica, "SELECT count(*), count(DISTINCT receipt_no)"
                                  " FROM cases", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, n_received);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, n_received);
  sqlite3_reset (stmt);

  /* The district now holds a block for the commune it received for: leased numbers again. */
  {
    g_autoptr(MotcuaCase) c = motcua_replica_receive (p->d.replica, &for_a, &error);

    g_assert_no_error (error);
    g_assert_true (g_regex_match_simple ("^T\\.D\\.A-[0-9]{4}-[0-9]{6}$", c->receipt_no, 0, 0));
    g_assert_false (g_hash_table_contains (seen, c->receipt_no));
  }

  for (guint i = 0; i < N_DESKS; i++)
    {
      motcua_fixture_tear_down (&desks[i], NULL);
      g_free (tokens[i]);
    }
}

/* A pushed case whose receipt number another case holds is refused, naming both cases; the
 * number stays with the case that had it, and neither is renumbered. */
static void
test_duplicate_receipt (Province      *p,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lý A Páo");
  g_autoptr(MotcuaHubPeer) peer = NULL;
  g_autoptr(JsonArray) forged = json_array_new ();
  g_autoptr(JsonArray) rejected = NULL;
  g_autoptr(MotcuaCase) on_hub = NULL;
  const char *other = "019a0000-0000-7000-8000-0000000000bb";
  const char *reason;
  guint64 first, acked = 0;

  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->b, p->token_b, NULL);
  peer = _motcua_hub_authenticate (p->hub.replica, p->token_b, &error);
  g_assert_no_error (error);
  first = peer->acked_seq + 1;

  /* Commune B's new case, with A's number (a restored store could make one). */
  forge_office (forged, &p->b, first, 0, other, "receiving_office_id", "T.D.B");
  forge_office (forged, &p->b, first + 1, 0, other, "handling_office_id", "T.D.B");
  json_array_add_object_element (forged, forged_change (&p->b, first + 2, 0, "cases", other,
                                                        "receipt_no",
                                                        json_node_init_string (
                                                          json_node_alloc (), c->receipt_no)));
  g_assert_true (_motcua_hub_push (p->hub.replica, peer, forged, &acked, &rejected, NULL,
                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rejected), ==, 1);
  reason = json_object_get_string_member (json_array_get_object_element (rejected, 0), "reason");
  g_assert_nonnull (strstr (reason, c->receipt_no));
  g_assert_nonnull (strstr (reason, c->id));
  g_assert_nonnull (strstr (reason, other));

  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->receipt_no, ==, c->receipt_no);
  g_clear_pointer (&on_hub, motcua_case_free);
  on_hub = motcua_replica_dup_case (p->hub.replica, other, &error);
  g_assert_no_error (error);
  g_assert_null (on_hub->receipt_no);
}

/* A desk whose token was lost: the province revokes it and enrolls a new one, and the same
 * replica takes it (`motcua-cli enroll --token NEW`) and syncs on, with nothing pushed twice
 * or lost. A replica already held by a token in force is refused with 409, never a 500. */
static void
test_lost_token (Province      *p,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) before = NULL;
  g_autoptr(MotcuaCase) after = NULL;
  g_autoptr(MotcuaCase) on_hub = NULL;
  g_auto(GStrv) parts = g_strsplit (p->token_a, ".", 2);
  g_autofree char *token = NULL;
  g_autofree char *third = NULL;
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;

  bind_desk (p, &p->a, p->token_a);
  before = receive (&p->a, "Lò Văn Ún");
  sync_desk (p, &p->a, p->token_a);

  token = _motcua_hub_enroll (p->hub.replica, "T.D.A", &error);
  g_assert_no_error (error);
  third = _motcua_hub_enroll (p->hub.replica, "T.D.A", &error);
  g_assert_no_error (error);

  /* While the old token is in force, another one cannot take the replica. */
  body = g_strdup_printf ("{\"replica\": \"%s\"}", motcua_replica_get_id (p->a.replica));
  g_assert_cmpuint (post (p, token, "/v1/enroll", body, &answer), ==, 409);
  g_assert_nonnull (strstr (answer, "revoke"));
  g_assert_null (strstr (answer, "UNIQUE"));

  g_assert_true (_motcua_hub_revoke (p->hub.replica, parts[0], &error));
  bind_desk (p, &p->a, token);
  after = receive (&p->a, "Lò Thị Ón");
  sync_desk (p, &p->a, token);
  on_hub = motcua_replica_dup_case (p->hub.replica, after->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->receipt_no, ==, after->receipt_no);
  g_assert_cmpint (motcua_replica_count_pending (p->a.replica, &error), ==, 0);

  /* Now the new token holds it. */
  g_clear_pointer (&answer, g_free);
  g_assert_cmpuint (post (p, third, "/v1/enroll", body, &answer), ==, 409);
}

void
test_hub_desks_add_tests (void)
{
  HUB_ADD ("/hub/restamp", test_restamp);
  HUB_ADD ("/hub/restamp-times", test_restamp_times);
  HUB_ADD ("/hub/restamp-times-clock-set-right", test_restamp_times_clock_set_right);
  HUB_ADD ("/hub/restamp-other-connection", test_restamp_other_connection);
  HUB_ADD ("/hub/resolve-moves-case", test_resolve_moves_case);
  HUB_ADD ("/hub/desk-codes", test_desk_codes);
  HUB_ADD ("/hub/duplicate-receipt", test_duplicate_receipt);
  HUB_ADD ("/hub/lost-token", test_lost_token);
}
