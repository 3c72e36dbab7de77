/* test-hub.c: replicas syncing through a hub, the provincial server's core
 *
 * A province hub with a district T.D and its communes T.D.A and T.D.B; a replica for each of
 * the two communes and the district, enrolled with a token each. Syncing is what motcua-cli
 * sync will do over HTTP: push the replica's changes past what the hub acknowledged, then pull
 * the hub's changes in scope past the replica's cursor, in small batches.
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

typedef MotcuaTestProvince Province;

/* Small batches, so that resuming from a cursor is exercised. */
static const MotcuaHubLimits small_batches = { .max_changes_per_pull = 7 };

static void
sync_replica (Province      *p,
              MotcuaFixture *replica,
              const char    *token,
              JsonArray    **rejected_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaTransport) transport = NULL;
  MotcuaSyncProgress summary;

  transport = _motcua_transport_new_local (p->hub.replica, &small_batches, token);
  _motcua_sync_once (replica->replica, transport, NULL, NULL, NULL, &summary, &error);
  g_assert_no_error (error);
  g_assert_true (summary.verified);
  g_assert_false (summary.repulled);
  g_assert_null (rejected_out);
}

static MotcuaCase *
receive_on (MotcuaReplica *replica,
            const char    *name)
{
  MotcuaReception r = { .procedure_code = "HT.KS", .applicant_name = name,
                        .citizen_id = "012345678901" };
  g_autoptr(GError) error = NULL;
  MotcuaCase *c = motcua_replica_receive (replica, &r, &error);

  g_assert_no_error (error);

  return c;
}

static MotcuaCase *
receive (MotcuaFixture *f,
         const char    *name)
{
  return receive_on (f->replica, name);
}

static void
test_catalogue_down (Province      *p,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaProcedure) procedure = motcua_replica_dup_procedure (p->a.replica, "DD.BD",
                                                                       &error);
  g_autoptr(GPtrArray) offices = motcua_replica_list_offices (p->d.replica, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (procedure->name, ==, "Đăng ký biến động đất đai");
  g_assert_cmpuint (offices->len, ==, 4);
}

/* Cases flow up to the hub and to the district above, never across to the other commune. */
static void
test_scope (Province      *p,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lò Văn Pằng");
  g_autoptr(MotcuaCase) on_hub = NULL;
  g_autoptr(MotcuaCase) on_d = NULL;
  g_autoptr(MotcuaCase) on_b = NULL;
  g_autoptr(GPtrArray) events = NULL;

  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->b, p->token_b, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);

  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->receipt_no, ==, c->receipt_no);
  on_d = motcua_replica_dup_case (p->d.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_d->applicant_name, ==, "Lò Văn Pằng");
  events = motcua_replica_list_case_events (p->d.replica, c->id, &error);
  g_assert_cmpuint (events->len, ==, 1);

  on_b = motcua_replica_dup_case (p->b.replica, c->id, &error);
  g_assert_null (on_b);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The district advances it; the commune learns it. */
  motcua_replica_advance_case (p->d.replica, c->id, MOTCUA_STATUS_IN_PROCESSING, NULL, &error);
  g_assert_no_error (error);
  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->a, p->token_a, NULL);
  g_clear_pointer (&on_d, motcua_case_free);
  on_d = motcua_replica_dup_case (p->a.replica, c->id, &error);
  g_assert_cmpint (on_d->status, ==, MOTCUA_STATUS_IN_PROCESSING);

  /* Pushed changes are no longer pending; the case shows it. */
  g_assert_cmpuint (_motcua_replica_get_acked (p->a.replica), ==,
                    motcua_replica_get_last_seq (p->a.replica));
  g_assert_cmpint (motcua_replica_count_pending (p->a.replica, &error), ==, 0);
  g_assert_cmpint (on_d->sync_state, ==, MOTCUA_SYNC_STATE_SYNCED);
  g_assert_cmpint (c->sync_state, ==, MOTCUA_SYNC_STATE_PENDING);   /* as received, offline */
}

/* A change as @f's replica would push it, stamped a second after its clock; @value is taken
 * (NULL: null), @column NULL for a whole row. */
static JsonObject *
forged_change (MotcuaFixture *f,
               guint64        seq,
               guint          logical,
               const char    *table,
               const char    *row,
               const char    *column,
               JsonNode      *value)
{
  return motcua_test_change_new (motcua_replica_get_id (f->replica), (gint64) seq,
                                 (gint64) motcua_hlc_make (f->now_ms + 1000, logical), table, row,
                                 column, value != NULL ? value : json_node_new (JSON_NODE_NULL));
}

/* Adds a change of case @row's office @column to office @code (NULL: null). */
static void
forge_office (JsonArray     *forged,
              MotcuaFixture *f,
              guint64        seq,
              guint          logical,
              const char    *row,
              const char    *column,
              const char    *code)
{
  JsonNode *value = NULL;
  MotcuaUuid office;
  char text[37];

  if (code != NULL)
    {
      motcua_uuid_for_key (&office, "office", code);
      motcua_uuid_to_string (&office, text);
      value = json_node_init_string (json_node_alloc (), text);
    }
  json_array_add_object_element (forged, forged_change (f, seq, logical, "cases", row, column,
                                                        value));
}

/* A commune writing another commune's case, or the catalogue, is refused change by change;
 * the push is acknowledged, and nothing of it reaches the hub. */
static void
test_refused (Province      *p,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Hà Thị Mai");
  g_autoptr(MotcuaHubPeer) peer_b = NULL;
  g_autoptr(JsonArray) forged = json_array_new ();
  g_autoptr(JsonArray) rejected = NULL;
  g_autoptr(MotcuaCase) on_hub = NULL;
  g_autofree char *hub_before = NULL;
  g_autofree char *hub_after = NULL;
  guint64 acked = 0;

  sync_replica (p, &p->a, p->token_a, NULL);
  hub_before = motcua_test_export (p->hub.replica);

  /* B has never seen A's case; it forges a write to it, and one to the catalogue. */
  peer_b = _motcua_hub_authenticate (p->hub.replica, p->token_b, &error);
  g_assert_no_error (error);
  {
    MotcuaUuid procedure_id;
    char pid[37];

    motcua_uuid_for_key (&procedure_id, "procedure", "HT.KS");
    motcua_uuid_to_string (&procedure_id, pid);
    json_array_add_object_element (forged, forged_change (&p->b, peer_b->acked_seq + 1, 0,
                                                          "cases", c->id, "applicant_name",
                                                          json_node_init_string (json_node_alloc (),
                                                                                 "Kẻ Gian")));
    json_array_add_object_element (forged, forged_change (&p->b, peer_b->acked_seq + 2, 1,
                                                          "procedures", pid, "fee",
                                                          json_node_init_int (json_node_alloc (),
                                                                              999999)));
  }

  g_assert_true (_motcua_hub_push (p->hub.replica, peer_b, forged, &acked, &rejected, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (acked, ==, peer_b->acked_seq);
  g_assert_cmpuint (json_array_get_length (rejected), ==, 2);
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (rejected, 0),
                                                           "reason"),
                            "is not in the jurisdiction of T.D.B"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rejected, 1),
                                                  "reason"),
                   ==, "only a province replica writes procedures");

  hub_after = motcua_test_export (p->hub.replica);
  g_assert_cmpstr (hub_before, ==, hub_after);
  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_cmpstr (on_hub->applicant_name, ==, "Hà Thị Mai");
}

/* A push seen twice is acknowledged again and changes nothing; a gap is refused whole. */
static void
test_push_idempotent_and_gap (Province      *p,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Vàng A Sình");
  g_autoptr(MotcuaHubPeer) peer = _motcua_hub_authenticate (p->hub.replica, p->token_a, &error);
  g_autoptr(JsonArray) changes = _motcua_replica_collect_changes (p->a.replica,
                                                                  _motcua_replica_get_acked (p->a.replica),
                                                                  0, &error);
  g_autoptr(JsonArray) tail = json_array_new ();
  g_autofree char *once = NULL;
  g_autofree char *twice = NULL;
  guint64 acked_once = 0, acked_twice = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (changes), >, 1);

  /* A gap: everything but the first change. */
  for (guint i = 1; i < json_array_get_length (changes); i++)
    json_array_add_element (tail, json_node_copy (json_array_get_element (changes, i)));
  g_assert_false (_motcua_hub_push (p->hub.replica, peer, tail, NULL, NULL, NULL, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_GAP);
  g_clear_error (&error);

  g_assert_true (_motcua_hub_push (p->hub.replica, peer, changes, &acked_once, NULL, NULL, &error));
  once = motcua_test_export (p->hub.replica);
  g_assert_true (_motcua_hub_push (p->hub.replica, peer, changes, &acked_twice, NULL, NULL, &error));
  g_assert_no_error (error);
  twice = motcua_test_export (p->hub.replica);
  g_assert_cmpuint (acked_once, ==, acked_twice);
  g_assert_cmpuint (acked_once, ==, motcua_replica_get_last_seq (p->a.replica));
  g_assert_cmpstr (once, ==, twice);
}

/* A push in small batches never cuts a row write in two: a new case's first fields would reach
 * the hub before the ones naming its offices and be refused as out of scope, leaving the hub a
 * case without them (found by test-sync-crash: batches of 1000 cut imported cases). */
static void
test_push_whole_rows (Province      *p,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Sùng A Páo");
  g_autoptr(MotcuaHubPeer) peer = _motcua_hub_authenticate (p->hub.replica, p->token_a, &error);
  g_autoptr(MotcuaCase) on_hub = NULL;
  guint64 acked = _motcua_replica_get_acked (p->a.replica);

  g_assert_no_error (error);
  while (acked < motcua_replica_get_last_seq (p->a.replica))
    {
      /* Two changes asked for: the case's row write is more than that, and comes whole. */
      g_autoptr(JsonArray) batch = _motcua_replica_collect_changes (p->a.replica, acked, 2,
                                                                    &error);
      g_autoptr(JsonArray) rejected = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (json_array_get_length (batch), >, 0);
      g_assert_true (_motcua_hub_push (p->hub.replica, peer, batch, &acked, &rejected, NULL,
                                       &error));
      g_assert_no_error (error);
      g_assert_cmpuint (json_array_get_length (rejected), ==, 0);
    }

  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->receipt_no, ==, c->receipt_no);
  g_assert_cmpstr (on_hub->procedure_code, ==, c->procedure_code);
}

/* A case a push gives only its handling office is still in the scope of the offices above
 * that one, timeline and all: the hub once scoped the case's events by its receiving office
 * alone, so the district received the case but never its events, and its digest could not
 * agree (found by fuzz-push). */
static void
test_handling_office_only (Province      *p,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Vàng Thị Dợ");
  g_autoptr(MotcuaHubPeer) peer = _motcua_hub_authenticate (p->hub.replica, p->token_a, &error);
  g_autoptr(JsonArray) changes = _motcua_replica_collect_changes (p->a.replica,
                                                                  _motcua_replica_get_acked (p->a.replica),
                                                                  0, &error);
  g_autoptr(JsonArray) rejected = NULL;
  g_autoptr(MotcuaCase) on_d = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint64 acked = 0;
  gboolean cleared = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *o = json_array_get_object_element (changes, i);

      if (json_object_has_member (o, "c") && !json_object_get_null_member (o, "c")
          && g_strcmp0 (json_object_get_string_member (o, "c"), "receiving_office_id") == 0)
        {
          json_object_set_null_member (o, "v");
          cleared = TRUE;
        }
    }
  g_assert_true (cleared);

  g_assert_true (_motcua_hub_push (p->hub.replica, peer, changes, &acked, &rejected, NULL,
                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rejected), ==, 0);

  /* Verified at once, not after pulling the scope again (sync_replica asserts both). */
  sync_replica (p, &p->d, p->token_d, NULL);
  on_d = motcua_replica_dup_case (p->d.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_d->applicant_name, ==, "Vàng Thị Dợ");
  events = motcua_replica_list_case_events (p->d.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
}

/* The offices of a case decide who sees it: the office that received it never changes after
 * it is received, and neither office can be one the province does not have. Each such write
 * is refused with its reason and changes nothing; a transfer to a real office goes through. */
static void
test_case_offices (Province      *p,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Hoàng Văn Sử");
  g_autoptr(MotcuaHubPeer) peer = NULL;
  g_autoptr(JsonArray) forged = json_array_new ();
  g_autoptr(JsonArray) rejected = NULL;
  g_autoptr(MotcuaCase) on_hub = NULL;
  static const char *const reasons[] = {
    "does not change after it is received",
    "does not change after it is received",
    "is not an office of this province",
    "is not an office of this province",
  };
  const char *other = "019a0000-0000-7000-8000-0000000000aa";
  guint64 first, acked = 0;

  sync_replica (p, &p->a, p->token_a, NULL);
  peer = _motcua_hub_authenticate (p->hub.replica, p->token_a, &error);
  g_assert_no_error (error);
  first = peer->acked_seq + 1;

  forge_office (forged, &p->a, first, 0, c->id, "receiving_office_id", "T.D.B");
  forge_office (forged, &p->a, first + 1, 1, c->id, "receiving_office_id", NULL);
  forge_office (forged, &p->a, first + 2, 2, c->id, "handling_office_id", "T.X");
  /* A new case, handled here, received by an office that does not exist. */
  forge_office (forged, &p->a, first + 3, 3, other, "handling_office_id", "T.D.A");
  forge_office (forged, &p->a, first + 4, 3, other, "receiving_office_id", "T.X");
  /* The same receiving office again, and a transfer to the district: both fine. */
  forge_office (forged, &p->a, first + 5, 4, c->id, "receiving_office_id", "T.D.A");
  forge_office (forged, &p->a, first + 6, 5, c->id, "handling_office_id", "T.D");

  g_assert_true (_motcua_hub_push (p->hub.replica, peer, forged, &acked, &rejected, NULL,
                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (acked, ==, first + 6);
  g_assert_cmpuint (json_array_get_length (rejected), ==, G_N_ELEMENTS (reasons));
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      JsonObject *r = json_array_get_object_element (rejected, i);

      g_assert_cmpint (json_object_get_int_member (r, "s"), ==,
                       (gint64) first + (i < 3 ? i : 4));
      g_assert_nonnull (strstr (json_object_get_string_member (r, "reason"), reasons[i]));
    }

  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->receiving_office, ==, "T.D.A");
  g_assert_cmpstr (on_hub->handling_office, ==, "T.D");
}

static JsonNode *
text_node (const char *text)
{
  return json_node_init_string (json_node_alloc (), text);
}

/* A push is held to the rules the desk's own writes obey, change by change: a citizen ID that
 * is not 12 digits, a channel that is not one, a date that does not exist, papers that are not
 * a list, a procedure the catalogue does not have are each refused with the reason the desk
 * gives, and nothing of them reaches the hub or the replicas that pull from it; a good change
 * in the same push goes through. */
static void
test_values_checked (Province      *p,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lò Văn Pấng");
  g_autoptr(MotcuaHubPeer) peer = NULL;
  g_autoptr(JsonArray) forged = json_array_new ();
  g_autoptr(JsonArray) rejected = NULL;
  g_autoptr(MotcuaCase) on_hub = NULL;
  g_autoptr(MotcuaCase) on_d = NULL;
  static const char *const reasons[] = {
    "“abc” is not a citizen ID",
    "channel “carrier-pigeon” must be",
    "“2026-02-30” is not a real date",
    "papers “abc” must be a list",
    "papers “0,1” must be a list",
    "papers “[1,0]” must be listed in order",
    "papers: 40 is not one of the procedure's",
    "priority “vip” must be",
    "is not a real date and time",
    "rating 9 must be from 1 to 5",
    "is not in the catalogue",
  };
  const char *other = "019a0000-0000-7000-8000-0000000000bb";
  guint64 first, acked = 0;
  guint n = 0;

  sync_replica (p, &p->a, p->token_a, NULL);
  peer = _motcua_hub_authenticate (p->hub.replica, p->token_a, &error);
  g_assert_no_error (error);
  first = peer->acked_seq + 1;

#define FORGE(row, column, value) \
  json_array_add_object_element (forged, forged_change (&p->a, first + n, n, "cases", row, \
                                                        column, value)), n++

  FORGE (c->id, "citizen_id", text_node ("abc"));
  FORGE (c->id, "channel", text_node ("carrier-pigeon"));
  FORGE (c->id, "due_date", text_node ("2026-02-30"));
  FORGE (c->id, "papers", text_node ("abc"));
  FORGE (c->id, "papers", text_node ("0,1"));
  FORGE (c->id, "papers", text_node ("[1,0]"));
  FORGE (c->id, "papers", text_node ("[40]"));
  FORGE (c->id, "priority", text_node ("vip"));
  FORGE (c->id, "resolved_at", text_node ("yesterday"));
  FORGE (c->id, "rating", json_node_init_int (json_node_alloc (), 9));
  /* A new case of a procedure nobody published. */
  {
    MotcuaUuid office;
    char office_id[37];

    motcua_uuid_for_key (&office, "office", "T.D.A");
    motcua_uuid_to_string (&office, office_id);
    json_array_add_object_element (forged, forged_change (&p->a, first + n, n, "cases", other,
                                                          "receiving_office_id",
                                                          text_node (office_id)));
    n++;
    json_array_add_object_element (forged, forged_change (&p->a, first + n, n - 1, "cases",
                                                          other, "handling_office_id",
                                                          text_node (office_id)));
    n++;
    json_array_add_object_element (forged, forged_change (&p->a, first + n, n - 1, "cases",
                                                          other, "procedure_id",
                                                          text_node ("019a0000-0000-7000-8000-0000000000cc")));
    n++;
  }
  /* Good ones, through. */
  FORGE (c->id, "citizen_id", text_node ("098765432101"));
  FORGE (c->id, "papers", text_node ("[0]"));
#undef FORGE

  g_assert_true (_motcua_hub_push (p->hub.replica, peer, forged, &acked, &rejected, NULL,
                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (acked, ==, first + n - 1);
  g_assert_cmpuint (json_array_get_length (rejected), ==, G_N_ELEMENTS (reasons));
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      JsonObject *r = json_array_get_object_element (rejected, i);
      const char *reason = json_object_get_string_member (r, "reason");

      g_assert_cmpint (json_object_get_int_member (r, "s"), ==,
                       (gint64) first + (i < 10 ? i : 12));
      if (strstr (reason, reasons[i]) == NULL)
        g_error ("refusal %u: “%s” does not say “%s”", i, reason, reasons[i]);
    }

  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->citizen_id, ==, "098765432101");
  g_assert_cmpint (on_hub->channel, ==, MOTCUA_CHANNEL_COUNTER);
  g_assert_cmpstr (on_hub->due_date, ==, c->due_date);
  g_assert_cmpuint (on_hub->papers->len, ==, 1);
  g_assert_null (on_hub->resolved_at);

  /* Nothing refused travels on. */
  sync_replica (p, &p->d, p->token_d, NULL);
  on_d = motcua_replica_dup_case (p->d.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_d->citizen_id, ==, "098765432101");
  g_assert_cmpstr (on_d->due_date, ==, c->due_date);
}

/* A server that asks the replica to slow down: every other request is answered 429 with
 * "retry_after" until @busy_left runs out. */
typedef struct
{
  MotcuaTransport  parent;
  MotcuaTransport *inner;
  guint            n_requests;
  guint            n_busy;
  guint            busy_left;
  gboolean         always;       /* every request, not every other one */
} BusyTransport;

static gboolean
busy_exchange (MotcuaTransport  *transport,
               MotcuaExchange   *x,
               GCancellable     *cancellable,
               GError          **error)
{
  BusyTransport *self = (BusyTransport *) transport;
  guint n = self->n_requests++;

  if (self->busy_left > 0 && (self->always || n % 2 == 1))
    {
      g_autoptr(MotcuaHubResponse) busy = motcua_hub_busy_response ("Too many requests", 1);

      self->busy_left--;
      self->n_busy++;
      x->status = busy->status;
      x->response = g_bytes_ref (busy->body);
      x->wire_out = x->wire_in = 0;
      return TRUE;
    }

  return motcua_test_pass_on (transport, x, cancellable, error);
}

static const MotcuaTransportClass busy_class = { busy_exchange, motcua_test_wrapper_free };

/* A 429 is waited out, as long as the server says, and the sync goes on; a server that stays
 * busy past MOTCUA_BUSY_RETRIES fails the sync with G_IO_ERROR_BUSY, to be tried later. */
static void
test_busy (Province      *p,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Giàng Thị Chờ");
  g_autoptr(MotcuaCase) on_d = NULL;
  MotcuaHubLimits limits = { .max_changes_per_pull = 7 };
  MotcuaSyncProgress summary = { 0 };
  BusyTransport *busy = g_new0 (BusyTransport, 1);
  g_autoptr(MotcuaTransport) transport = &busy->parent;

  busy->parent.klass = &busy_class;
  busy->parent.token = g_strdup (p->token_a);
  busy->inner = _motcua_transport_new_local (p->hub.replica, &limits, p->token_a);
  busy->busy_left = 2;

  g_assert_true (_motcua_sync_once (p->a.replica, transport, NULL, NULL, NULL, &summary,
                                    &error));
  g_assert_no_error (error);
  g_assert_true (summary.verified);
  g_assert_cmpuint (busy->n_busy, ==, 2);
  sync_replica (p, &p->d, p->token_d, NULL);
  on_d = motcua_replica_dup_case (p->d.replica, c->id, &error);
  g_assert_no_error (error);

  /* Busy for good: every request answered 429. */
  g_clear_pointer (&c, motcua_case_free);
  c = receive (&p->a, "Giàng A Đợi");
  busy->busy_left = G_MAXUINT;
  busy->always = TRUE;
  busy->n_busy = 0;
  g_assert_false (_motcua_sync_once (p->a.replica, transport, NULL, NULL, NULL, &summary,
                                     &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_cmpuint (busy->n_busy, ==, MOTCUA_BUSY_RETRIES + 1);
}

/* A copy of the event of case @case_id with the id @id, or about the row @ref, or NULL. */
static MotcuaCaseEvent *
dup_event (MotcuaReplica *replica,
           const char    *case_id,
           const char    *id,
           const char    *ref)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = motcua_replica_list_case_events (replica, case_id, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      const MotcuaCaseEvent *e = events->pdata[i];

      if ((id != NULL && g_strcmp0 (e->id, id) == 0)
          || (ref != NULL && g_strcmp0 (e->ref, ref) == 0))
        return motcua_case_event_copy (e);
    }

  return NULL;
}

/* A row of a timeline never changes once written: the same row again with other values is
 * refused, and neither the hub nor the district takes them (the hub once logged them as
 * pushed while keeping its own, so the district took the other values; found by fuzz-push).
 * The same values again are a harmless repeat. */
static void
test_timeline_rows_never_change (Province      *p,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lý Thị Sen");
  g_autoptr(JsonArray) changes = _motcua_replica_collect_changes (p->a.replica, 0, 0, &error);
  g_autoptr(MotcuaHubPeer) peer = NULL;
  g_autoptr(JsonArray) again = json_array_new ();
  g_autoptr(JsonArray) rejected = NULL;
  g_autoptr(GPtrArray) events = NULL;
  JsonObject *event = NULL;
  guint64 acked = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *o = json_array_get_object_element (changes, i);

      if (g_strcmp0 (json_object_get_string_member (o, "t"), "case_events") == 0)
        event = o;
    }
  g_assert_nonnull (event);
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);
  peer = _motcua_hub_authenticate (p->hub.replica, p->token_a, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *text = json_to_string (json_object_get_member (event, "v"), FALSE);
      JsonNode *node = json_from_string (text, NULL);   /* deep: json_node_copy() shares */

      if (i == 0)
        json_object_set_string_member (json_node_get_object (node), "receipt_no", "đã sửa");
      json_array_add_object_element (again, forged_change (&p->a, peer->acked_seq + 1 + i, i,
                                                           "case_events",
                                                           json_object_get_string_member (event,
                                                                                          "r"),
                                                           NULL, node));
    }

  g_assert_true (_motcua_hub_push (p->hub.replica, peer, again, &acked, &rejected, NULL,
                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rejected), ==, 1);
  {
    JsonObject *r = json_array_get_object_element (rejected, 0);

    g_assert_nonnull (strstr (json_object_get_string_member (r, "reason"),
                              "exists already with another receipt_no"));
  }

  sync_replica (p, &p->d, p->token_d, NULL);
  events = motcua_replica_list_case_events (p->d.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((MotcuaCaseEvent *) events->pdata[0])->receipt_no, ==, c->receipt_no);
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_pointer (&rejected, json_array_unref);

  /* An event as a build before schema 8 wrote it (the server logged it before it was
   * updated): every replica holds it parsed into its fields, as the migration parsed those it
   * held. */
  {
    g_autoptr(JsonArray) old = json_array_new ();
    JsonObject *v = json_object_new ();
    JsonNode *node = json_node_init_object (json_node_alloc (), v);
    g_autoptr(MotcuaCaseEvent) parsed = NULL;

    json_object_set_string_member (v, "case_id", c->id);
    json_object_set_string_member (v, "at", "2025-03-03T09:00:00+07:00");
    json_object_set_string_member (v, "officer", "cán bộ cũ");
    json_object_set_string_member (v, "action", "status");
    json_object_set_string_member (v, "detail", "received → in_processing");
    json_object_unref (v);
    json_array_add_object_element (old, forged_change (&p->a, acked + 1, 7, "case_events",
                                                       "01955a00-0000-7000-8000-0000000000e7",
                                                       NULL, node));
    g_assert_true (_motcua_hub_push (p->hub.replica, peer, old, &acked, &rejected, NULL,
                                     &error));
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (rejected), ==, 0);
    sync_replica (p, &p->d, p->token_d, NULL);
    parsed = dup_event (p->d.replica, c->id, "01955a00-0000-7000-8000-0000000000e7", NULL);
    g_assert_nonnull (parsed);
    g_assert_cmpstr (parsed->field, ==, "status");
    g_assert_cmpstr (parsed->old_value, ==, "received");
    g_assert_cmpstr (parsed->new_value, ==, "in_processing");
    g_assert_null (parsed->detail);
  }
}

static void
test_tokens (Province      *p,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaHubPeer) peer = NULL;
  g_autofree char *wrong = g_strdup (p->token_a);
  g_auto(GStrv) parts = g_strsplit (p->token_a, ".", 2);

  /* Only the salted hash is stored: the secret is nowhere in the hub's file. */
  {
    g_autofree char *contents = NULL;
    gsize len;

    g_file_get_contents (p->hub.path, &contents, &len, &error);
    g_assert_no_error (error);
    g_assert_null (g_strstr_len (contents, (gssize) len, parts[1]));
  }

  wrong[strlen (wrong) - 1] = wrong[strlen (wrong) - 1] == '0' ? '1' : '0';
  peer = _motcua_hub_authenticate (p->hub.replica, wrong, &error);
  g_assert_null (peer);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED);
  g_clear_error (&error);

  peer = _motcua_hub_authenticate (p->hub.replica, "nonsense", &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED);
  g_clear_error (&error);

  g_assert_true (_motcua_hub_revoke (p->hub.replica, parts[0], &error));
  peer = _motcua_hub_authenticate (p->hub.replica, p->token_a, &error);
  g_assert_null (peer);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED);
}


static gint64
open_conflicts (MotcuaReplica *replica)
{
  g_autoptr(GError) error = NULL;
  gint64 n = motcua_replica_count_conflicts (replica, &error);

  g_assert_no_error (error);

  return n;
}

/* Concurrent edits of different fields both survive; of one field, they make one conflict row
 * at every replica in scope, with the losing value kept, and its resolution closes it
 * everywhere. */
static void
test_conflicts (Province      *p,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lò Thị Xuân");
  g_autoptr(MotcuaCase) on_a = NULL;
  g_autoptr(MotcuaCase) on_d = NULL;
  g_autoptr(GPtrArray) list = NULL;
  MotcuaConflict *k;

  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);

  /* Different fields: no conflict. */
  g_assert_true (motcua_replica_edit_case (p->a.replica, c->id, "address", "Bản Nà Hừ", NULL,
                                           &error));
  g_assert_true (motcua_replica_edit_case (p->d.replica, c->id, "phone", "0912345678", NULL,
                                           &error));
  g_assert_no_error (error);
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->a, p->token_a, NULL);
  on_a = motcua_replica_dup_case (p->a.replica, c->id, &error);
  g_assert_cmpstr (on_a->address, ==, "Bản Nà Hừ");
  g_assert_cmpstr (on_a->phone, ==, "0912345678");
  g_assert_cmpint (open_conflicts (p->hub.replica), ==, 0);

  /* One field, neither having seen the other. */
  p->d.now_ms += 1000;
  g_assert_true (motcua_replica_edit_case (p->a.replica, c->id, "phone", "0987654321", NULL,
                                           &error));
  g_assert_true (motcua_replica_edit_case (p->d.replica, c->id, "phone", "0911111111", NULL,
                                           &error));
  g_assert_no_error (error);
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->a, p->token_a, NULL);

  g_assert_cmpint (open_conflicts (p->hub.replica), ==, 1);
  g_assert_cmpint (open_conflicts (p->a.replica), ==, 1);
  g_assert_cmpint (open_conflicts (p->d.replica), ==, 1);
  g_assert_cmpint (open_conflicts (p->b.replica), ==, 0);   /* not in its scope */

  list = motcua_replica_list_conflicts (p->a.replica, FALSE, &error);
  g_assert_no_error (error);
  k = list->pdata[0];
  g_assert_cmpstr (k->column, ==, "phone");
  g_assert_cmpstr (k->receipt_no, ==, c->receipt_no);
  /* Both values are kept, whoever won. */
  g_assert_true ((g_strcmp0 (k->a.value, "0987654321") == 0
                  && g_strcmp0 (k->b.value, "0911111111") == 0)
                 || (g_strcmp0 (k->b.value, "0987654321") == 0
                     && g_strcmp0 (k->a.value, "0911111111") == 0));
  g_assert_cmpstr (k->a.office, !=, NULL);
  /* The same conflict, by the same id, everywhere. */
  {
    g_autoptr(MotcuaConflict) on_hub = motcua_replica_dup_conflict (p->hub.replica, k->id,
                                                                    &error);

    g_assert_no_error (error);
    g_assert_cmpstr (on_hub->id, ==, k->id);
  }

  /* A side that is not one value (from a replica that wrote nonsense) is refused, not
   * written into the case; the district's copy is put back as it was after. */
  {
    sqlite3 *db = p->d.replica->db;
    g_autofree char *before = motcua_test_export (p->d.replica);
    g_autofree char *after = NULL;

    g_assert_cmpint (sqlite3_exec (db, "CREATE TEMP TABLE kept AS SELECT id, a_value"
                                   " FROM conflicts; UPDATE conflicts SET a_value = '[1]'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_false (motcua_replica_resolve_conflict (p->d.replica, k->id,
                                                     MOTCUA_RESOLVE_KEEP_A, NULL, &error));
    g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "type a new value"));
    g_clear_error (&error);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE conflicts SET a_value = (SELECT a_value FROM kept"
                                   " WHERE kept.id = conflicts.id); DROP TABLE kept",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    after = motcua_test_export (p->d.replica);
    g_assert_cmpstr (before, ==, after);
  }

  /* Resolved at the commune with the district's value: closed everywhere after a sync. */
  g_assert_true (motcua_replica_resolve_conflict (p->a.replica, k->id, MOTCUA_RESOLVE_VALUE,
                                                  "0911111111", &error));
  g_assert_no_error (error);
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);
  g_assert_cmpint (open_conflicts (p->a.replica), ==, 0);
  g_assert_cmpint (open_conflicts (p->hub.replica), ==, 0);
  g_assert_cmpint (open_conflicts (p->d.replica), ==, 0);
  on_d = motcua_replica_dup_case (p->d.replica, c->id, &error);
  g_assert_cmpstr (on_d->phone, ==, "0911111111");

  /* The district's timeline says the correction resolved that conflict. */
  {
    g_autoptr(MotcuaCaseEvent) resolution = dup_event (p->d.replica, c->id, NULL, k->id);

    g_assert_nonnull (resolution);
    g_assert_cmpstr (resolution->action, ==, "edited");
    g_assert_cmpstr (resolution->field, ==, "phone");
    g_assert_cmpstr (resolution->new_value, ==, "0911111111");
    g_assert_null (resolution->note);
  }
}

/* A stale concurrent status edit never reopens a resolved case. */
static void
test_stale_status (Province      *p,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Vàng A Dình");
  g_autoptr(MotcuaCase) on_hub = NULL;
  MotcuaStepOptions approved = { .result = "Giấy khai sinh" };

  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);

  /* The district resolves it; the commune, later by the clock, only starts processing it. */
  g_assert_true (motcua_replica_advance_case (p->d.replica, c->id, MOTCUA_STATUS_IN_PROCESSING,
                                              NULL, &error));
  g_assert_true (motcua_replica_advance_case (p->d.replica, c->id, MOTCUA_STATUS_APPROVED,
                                              &approved, &error));
  g_assert_no_error (error);
  p->a.now_ms += 3600 * 1000;
  g_assert_true (motcua_replica_advance_case (p->a.replica, c->id, MOTCUA_STATUS_IN_PROCESSING,
                                              NULL, &error));
  g_assert_no_error (error);

  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);

  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_cmpint (on_hub->status, ==, MOTCUA_STATUS_APPROVED);
  g_clear_pointer (&on_hub, motcua_case_free);
  on_hub = motcua_replica_dup_case (p->a.replica, c->id, &error);
  g_assert_cmpint (on_hub->status, ==, MOTCUA_STATUS_APPROVED);
}

/* A case transferred to another commune arrives there whole; when it moves on, it is purged
 * there once nothing of it is pending. */
static void
test_transfer (Province      *p,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->d, "Giàng Thị Mai");
  g_autoptr(MotcuaCase) on_b = NULL;
  g_autoptr(GPtrArray) events = NULL;

  g_assert_true (motcua_replica_edit_case (p->d.replica, c->id, "address", "Bản Sin Chải", NULL,
                                           &error));
  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->b, p->token_b, NULL);
  g_assert_null (motcua_replica_dup_case (p->b.replica, c->id, NULL));

  g_assert_true (motcua_replica_transfer_case (p->d.replica, c->id, "T.D.B", "liên thông",
                                               &error));
  g_assert_no_error (error);
  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->b, p->token_b, NULL);

  on_b = motcua_replica_dup_case (p->b.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_b->address, ==, "Bản Sin Chải");
  g_assert_cmpstr (on_b->receipt_no, ==, c->receipt_no);
  events = motcua_replica_list_case_events (p->b.replica, c->id, &error);
  g_assert_cmpuint (events->len, ==, 3);   /* received, edited, transferred */

  /* Back to the district: it leaves the commune's scope. */
  g_assert_true (motcua_replica_transfer_case (p->b.replica, c->id, "T.D", NULL, &error));
  g_assert_no_error (error);
  sync_replica (p, &p->b, p->token_b, NULL);
  g_assert_null (motcua_replica_dup_case (p->b.replica, c->id, NULL));
  g_assert_cmpint (motcua_test_count (p->b.replica, "case_events"), ==, 0);
}

/* Receipt numbers from leased blocks are unique across desks. */
static void
test_leases (Province      *p,
             gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *second_path = g_build_filename (p->a.dir, "second.db", NULL);
  g_autofree char *token = _motcua_hub_enroll (p->hub.replica, "T.D.A", &error);
  g_autoptr(MotcuaReplica) second = motcua_replica_create (second_path, "T.D.A",
                                                           MOTCUA_LEVEL_COMMUNE, &error);
  MotcuaFixture f2 = { NULL, second_path, second, p->a.now_ms };

  g_assert_no_error (error);
  motcua_replica_set_clock (second, (MotcuaClockFunc) (void (*) (void)) NULL, NULL);
  /* Both desks of commune A enroll; offline each numbers from its own block. */
  for (guint desk = 0; desk < 2; desk++)
    {
      MotcuaFixture *f = desk == 0 ? &p->a : &f2;
      g_autoptr(MotcuaTransport) transport =
        _motcua_transport_new_local (p->hub.replica, NULL, desk == 0 ? p->token_a : token);

      g_assert_true (_motcua_sync_bind (f->replica, transport, "local:", NULL, &error));
      g_assert_true (_motcua_sync_once (f->replica, transport, NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 30; i++)
    {
      MotcuaFixture *f = i % 2 ? &p->a : &f2;
      g_autoptr(MotcuaCase) c = receive (f, "Sùng A Tủa");

      g_assert_false (g_hash_table_contains (seen, c->receipt_no));
      g_assert_null (strstr (c->receipt_no, "-D"));
      g_hash_table_add (seen, g_strdup (c->receipt_no));
    }
}


static guint
post (Province   *p,
      const char *token,
      const char *path,
      const char *body,
      char      **answer)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autofree char *query = g_strdup_printf ("protocol=%d&schema=%d", MOTCUA_PROTOCOL_VERSION,
                                            MOTCUA_SCHEMA_VERSION);
  MotcuaHubRequest request = { "POST", path, query, token, bytes };
  g_autoptr(MotcuaHubResponse) response = _motcua_hub_handle (p->hub.replica, NULL, &request);
  gsize size;
  const char *data = g_bytes_get_data (response->body, &size);

  g_assert_true (g_utf8_validate (data, (gssize) size, NULL));
  *answer = g_strndup (data, size);

  return response->status;
}

/* What the fuzzer found: each is a 4xx naming the problem, never a crash, a warning or bytes
 * that are not UTF-8, and the hub goes on syncing. */
static void
test_hostile (Province      *p,
              gconstpointer  data)
{
  g_autofree char *deep = g_strnfill (100000, '[');
  char *answer = NULL;

  g_assert_cmpuint (post (p, p->token_a, "/v1/push", deep, &answer), ==, 400);
  g_assert_nonnull (strstr (answer, "nested too deeply"));
  g_free (answer);
  g_assert_cmpuint (post (p, p->token_a, "/v1/push", "{\"changes\":[]} [1]", &answer), ==, 400);
  g_free (answer);
  /* Blank text parses to no JSON at all, not to an object. */
  g_assert_cmpuint (post (p, p->token_a, "/v1/push", " \n", &answer), ==, 400);
  g_assert_nonnull (strstr (answer, "JSON object"));
  g_free (answer);
  g_assert_cmpuint (post (p, p->token_a, "/v1/push",
                          "{\"changes\":[{\"o\":[1],\"s\":{},\"t\":[\"cases\"],\"r\":[]}]}",
                          &answer), ==, 400);
  g_free (answer);
  g_assert_cmpuint (post (p, p->token_a, "/v1/push",
                          "{\"changes\":[{\"o\":\"019a0000-0000-7000-8000-000000000001\","
                          "\"s\":1,\"h\":9223372036854775807,\"t\":\"cases\","
                          "\"r\":\"019a0000-0000-7000-8000-000000000002\",\"c\":\"phone\","
                          "\"v\":\"1\",\"p\":0}]}", &answer), ==, 400);
  g_free (answer);
  g_assert_cmpuint (post (p, p->token_a, "/v1/push",
                          "{\"changes\":[{\"o\":\"019a0000-0000-7000-8000-000000000001\","
                          "\"s\":1,\"h\":1,\"t\":\"a\\ud800b\","
                          "\"r\":\"019a0000-0000-7000-8000-000000000002\",\"c\":\"phone\","
                          "\"v\":\"1\",\"p\":0}]}", &answer), ==, 400);
  g_free (answer);
  /* Escapes json-glib 1.6 leaks on: refused before it parses them. A well-formed pair is
   * not. */
  for (guint i = 0; i < 4; i++)
    {
      static const char *const bodies[] = {
        "{\"changes\": [{\"v\": \"\\ud83l\\u0041\"}]}",
        "{\"changes\": [{\"v\": \"\\udc00\"}]}",
        "{\"changes\": [{\"v\": \"\\ud83d x\"}]}",
        "{\"changes\": [{\"v\": \"\\u12\"}]}",
      };

      g_assert_cmpuint (post (p, p->token_a, "/v1/push", bodies[i], &answer), ==, 400);
      g_assert_nonnull (strstr (answer, "malformed"));
      g_free (answer);
    }
  g_assert_cmpuint (post (p, p->token_a, "/v1/push",
                          "{\"changes\": [], \"x\": \"\\ud83d\\ude00\"}", &answer), ==, 400);
  g_assert_null (strstr (answer, "malformed"));
  g_free (answer);

  sync_replica (p, &p->d, p->token_d, NULL);
}

/* A NUL character in a string of a request is refused whole, never kept cut short. */
static void
test_nul_refused (Province      *p,
                  gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = receive (&p->a, "Giàng A Tủa");
  g_autoptr(MotcuaCase) on_hub = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  char *answer = NULL;

  sync_replica (p, &p->a, p->token_a, NULL);
  body = g_strdup_printf ("{\"changes\":[{\"o\":\"%s\",\"s\":%" G_GUINT64_FORMAT ","
                          "\"h\":%" G_GUINT64_FORMAT ",\"t\":\"cases\",\"r\":\"%s\","
                          "\"c\":\"applicant_name\",\"v\":\"Giàng\\u0000 A Tủa\","
                          "\"p\":0}]}",
                          motcua_replica_get_id (p->a.replica),
                          motcua_replica_get_last_seq (p->a.replica) + 1,
                          (guint64) motcua_hlc_make (p->a.now_ms + 1000, 0), c->id);
  g_assert_cmpuint (post (p, p->token_a, "/v1/push", body, &answer), ==, 400);
  g_assert_nonnull (strstr (answer, "NUL"));
  g_assert_nonnull (strstr (answer, "\"code\":\"bad-json\""));
  g_free (answer);

  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->applicant_name, ==, "Giàng A Tủa");
}

/* A store that fails answers 500 with a message that names neither its file nor its SQL: the
 * detail is the server's, in its log. */
static void
test_store_error_hidden (Province      *p,
                         gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lý Thị Kín");
  g_autoptr(MotcuaHubPeer) peer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) forged = json_array_new ();
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  char *answer = NULL;

  sync_replica (p, &p->a, p->token_a, NULL);
  peer = _motcua_hub_authenticate (p->hub.replica, p->token_b, &error);
  g_assert_no_error (error);
  /* B writing A's case is refused, and a refusal is kept in a table that is now gone. */
  json_array_add_object_element (forged, forged_change (&p->b, peer->acked_seq + 1, 0, "cases",
                                                        c->id, "address",
                                                        json_node_init_string (json_node_alloc (),
                                                                               "x")));
  json_object_set_array_member (body, "changes", g_steal_pointer (&forged));
  root = json_node_init_object (json_node_alloc (), body);
  text = json_to_string (root, FALSE);
  g_assert_cmpint (sqlite3_exec (p->hub.replica->db, "DROP TABLE hub_rejected", NULL, NULL,
                                 NULL), ==, SQLITE_OK);

  g_assert_cmpuint (post (p, p->token_b, "/v1/push", text, &answer), ==, 500);
  g_test_message ("500: %s", answer);
  g_assert_nonnull (strstr (answer, "\"code\":\"internal\""));
  g_assert_null (strstr (answer, "hub_rejected"));
  g_assert_null (strstr (answer, "such table"));
  g_assert_null (strstr (answer, p->hub.replica->path));
  g_assert_null (strstr (answer, "/"));
  g_free (answer);
}

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

static void sync_desk (Province      *p,
                       MotcuaFixture *f,
                       const char    *token);

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
static guint
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
static void
sync_desk (Province      *p,
           MotcuaFixture *f,
           const char    *token)
{
  g_assert_cmpuint (sync_refused (p, f, token), ==, 0);
}

static void
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


/* A desk's officer typing while it syncs: before each request of the sync, another connection
 * to the same replica file (the desk's own, beside the sync's) receives a dossier, as long as
 * @writes_left lasts; a second sync of the same replica is tried from inside the first. */
typedef struct
{
  MotcuaTransport  parent;
  MotcuaTransport *inner;
  MotcuaReplica   *desk;            /* the other connection */
  MotcuaReplica   *syncing;         /* the sync's connection */
  MotcuaReplica   *hub;
  guint            writes_left;
  guint            writes;
  gboolean         second_refused;
} WritingTransport;

static gboolean
writing_exchange (MotcuaTransport  *transport,
                  MotcuaExchange   *x,
                  GCancellable     *cancellable,
                  GError          **error)
{
  WritingTransport *self = (WritingTransport *) transport;

  if (self->writes_left > 0)
    {
      MotcuaReception r = { .procedure_code = "HT.KS", .applicant_name = "Thào A Chứ",
                            .citizen_id = "012345678901" };
      g_autoptr(GError) local_error = NULL;
      g_autoptr(MotcuaCase) c = motcua_replica_receive (self->desk, &r, &local_error);

      g_assert_no_error (local_error);
      self->writes_left--;
      self->writes++;
    }
  if (!self->second_refused)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(MotcuaTransport) other = _motcua_transport_new_local (self->hub, NULL,
                                                                      transport->token);

      g_assert_false (_motcua_sync_once (self->syncing, other, NULL, NULL, NULL, NULL,
                                         &local_error));
      g_assert_error (local_error, G_IO_ERROR, G_IO_ERROR_BUSY);
      self->second_refused = TRUE;
    }

  return motcua_test_pass_on (transport, x, cancellable, error);
}

static const MotcuaTransportClass writing_class = { writing_exchange, motcua_test_wrapper_free };

static gint64
hub_cases (Province *p)
{
  return motcua_test_count (p->hub.replica, "cases");
}

/* Writes made while the replica syncs never make the sync fail: each sync pushes what was
 * written when it began, then what was written meanwhile, and compares digests when nothing is
 * pending (or leaves that to the next sync if the officer never stops); two connections never
 * give one sequence number twice; a second sync of the replica is refused while one runs. */
static void
test_writes_during_sync (Province      *p,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaReplica) desk = motcua_replica_open (p->a.path, &error);
  guint total = 0;

  g_assert_no_error (error);
  motcua_replica_set_officer (desk, "Lò Thị Test");
  for (guint writes = 1; writes <= 12; writes += 5)
    {
      WritingTransport *t = g_new0 (WritingTransport, 1);
      g_autoptr(MotcuaTransport) transport = (MotcuaTransport *) t;
      MotcuaSyncProgress summary;

      t->parent.klass = &writing_class;
      t->inner = _motcua_transport_new_local (p->hub.replica, NULL, p->token_a);
      t->desk = desk;
      t->syncing = p->a.replica;
      t->hub = p->hub.replica;
      t->parent.token = g_strdup (p->token_a);
      t->writes_left = writes;
      g_assert_cmpint (motcua_test_count (p->a.replica, "cases"), ==, total);
      g_assert_true (_motcua_sync_once (p->a.replica, transport, NULL, NULL, NULL, &summary,
                                        &error));
      g_assert_no_error (error);
      g_assert_true (t->second_refused);
      /* One before each request, as long as the sync made requests. */
      g_assert_cmpuint (t->writes, >, 0);
      total += t->writes;
      /* Verified, or (an officer who never stopped) left to the next sync: never a re-pull. */
      g_assert_false (summary.repulled);
      g_assert_true (summary.verified != summary.verify_deferred);
      g_assert_cmpuint (summary.rejected, ==, 0);
    }

  /* A quiet sync afterwards pushes whatever is left and verifies. */
  sync_desk (p, &p->a, p->token_a);
  g_assert_cmpint (hub_cases (p), ==, total);
  g_assert_cmpint (motcua_replica_count_pending (p->a.replica, &error), ==, 0);
  g_assert_cmpint (motcua_replica_count_pending (desk, &error), ==, 0);
}


static gint64
hub_clock (gpointer user_data)
{
  return ((MotcuaFixture *) user_data)->now_ms;
}

/* A case received at the district and handled by commune A, then moved on to commune B: it
 * leaves A's scope and is purged there. Returns it as A last had it. */
static MotcuaCase *
pass_through_a (Province   *p,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->d, name);

  g_assert_true (motcua_replica_transfer_case (p->d.replica, c->id, "T.D.A", NULL, &error));
  g_assert_no_error (error);
  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->a, p->token_a, NULL);
  g_assert_true (motcua_replica_edit_case (p->a.replica, c->id, "address", "Bản Nậm Manh", NULL,
                                           &error));
  g_assert_no_error (error);

  return motcua_replica_dup_case (p->a.replica, c->id, &error);
}

static void
move_on_to_b (Province   *p,
              MotcuaCase *c)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (motcua_replica_transfer_case (p->a.replica, c->id, "T.D.B", "liên thông",
                                               &error));
  g_assert_no_error (error);
  sync_desk (p, &p->a, p->token_a);
  g_assert_null (motcua_replica_dup_case (p->a.replica, c->id, NULL));
}

/* The history of a case purged from a replica keeps naming that case, never the next one to
 * take its place in the table: the log names rows by UUID. */
static void
test_purged_rowid_reused (Province      *p,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) gone = pass_through_a (p, "Vàng A Dình");
  g_autoptr(MotcuaCase) next = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  const MotcuaChange *edit;

  move_on_to_b (p, gone);
  next = receive (&p->d, "Vàng Thị Dua");
  changes = motcua_replica_list_changes (p->a.replica, 0, 0, &error);
  g_assert_no_error (error);
  /* A's first change is its edit of the case it no longer holds. */
  edit = changes->pdata[0];
  g_assert_cmpstr (edit->table, ==, "cases");
  g_assert_cmpstr (edit->column, ==, "address");
  g_assert_cmpstr (edit->row_id, ==, gone->id);
  g_assert_cmpstr (edit->row_id, !=, next->id);
}

/* A copy of the hub's store, taken now: its path. */
static char *
back_up_hub (Province *p)
{
  g_autoptr(GError) error = NULL;
  char *backup = g_build_filename (p->hub.dir, "backup.db", NULL);
  g_autofree char *sql = g_strdup_printf ("VACUUM INTO '%s'", backup);

  g_unlink (backup);
  g_assert_true (_motcua_replica_exec (p->hub.replica, sql, &error));
  g_assert_no_error (error);

  return backup;
}

/* The province restores its store from @backup, as `motcua-server restore` does. */
static void
restore_hub (Province   *p,
             const char *backup)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&p->hub.replica);
  g_assert_true (motcua_hub_restore (p->hub.path, backup, &error));
  g_assert_no_error (error);
  p->hub.replica = motcua_replica_open (p->hub.path, &error);
  g_assert_no_error (error);
  motcua_replica_set_clock (p->hub.replica, hub_clock, &p->hub);
}

/* The provincial store restored from an older copy: it lost changes it had acknowledged,
 * among them those of a case the commune has since moved on (and purged, with its timeline).
 * The commune's next sync sends again all the server lacks, from its log, and everyone
 * converges with nothing lost. */
static void
test_restored_server (Province      *p,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) moved = pass_through_a (p, "Sùng A Pó");
  g_autofree char *backup = back_up_hub (p);
  g_autoptr(MotcuaCase) later = NULL;
  g_autoptr(MotcuaCase) on_b = NULL;
  g_autoptr(MotcuaCase) on_hub = NULL;
  g_autoptr(GPtrArray) events = NULL;

  /* After the backup: A's edit and transfer of the case (which leaves A), and a new case. */
  later = receive (&p->a, "Sùng Thị Của");
  move_on_to_b (p, moved);

  /* The province restores its store from the backup. */
  restore_hub (p, backup);
  g_assert_null (motcua_replica_dup_case (p->hub.replica, later->id, NULL));

  /* The commune syncs on: what the server lacks goes again, the moved case's part whole. */
  sync_desk (p, &p->a, p->token_a);
  on_hub = motcua_replica_dup_case (p->hub.replica, later->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->receipt_no, ==, later->receipt_no);
  g_clear_pointer (&on_hub, motcua_case_free);
  on_hub = motcua_replica_dup_case (p->hub.replica, moved->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->handling_office, ==, "T.D.B");
  g_assert_cmpstr (on_hub->address, ==, "Bản Nậm Manh");
  events = motcua_replica_list_case_events (p->hub.replica, moved->id, &error);
  g_assert_no_error (error);
  /* received and transferred at the district; edited and transferred at A */
  g_assert_cmpuint (events->len, ==, 4);

  /* Commune B gets it whole; everyone verifies. */
  sync_desk (p, &p->b, p->token_b);
  on_b = motcua_replica_dup_case (p->b.replica, moved->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_b->address, ==, "Bản Nậm Manh");
  sync_desk (p, &p->d, p->token_d);
  sync_desk (p, &p->a, p->token_a);
}

/* Receipt numbers leased and desk codes given after a copy of the store was taken are never
 * given again once it is restored: the restore opens a generation, and everything given after
 * it comes from above anything the one before could reach. A damaged copy, or a desk's
 * replica, is refused, and the store is left as it was. */
static void
test_restore_gives_nothing_twice (Province      *p,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *garbage = g_build_filename (p->hub.dir, "garbage.db", NULL);
  g_autofree char *token = NULL;
  g_autoptr(GPtrArray) replicas = NULL;
  guint n_new_desk = 0;
  gint64 first, last;

  g_assert_true (_motcua_hub_lease (p->hub.replica, "t", "T.D.A", 2025, 10, &first, &last,
                                    &error));
  g_assert_no_error (error);
  g_assert_cmpint (first, ==, 1);
  backup = back_up_hub (p);

  /* Given out after the copy: numbers 11–20, desk Q04. */
  g_assert_true (_motcua_hub_lease (p->hub.replica, "t", "T.D.A", 2025, 10, &first, &last,
                                    &error));
  g_assert_cmpint (last, ==, 20);
  g_free (_motcua_hub_enroll (p->hub.replica, "T.D.A", &error));
  g_assert_no_error (error);

  restore_hub (p, backup);
  g_assert_cmpint (_motcua_hub_generation (p->hub.replica), ==, 1);
  g_assert_true (_motcua_hub_lease (p->hub.replica, "t", "T.D.A", 2025, 10, &first, &last,
                                    &error));
  g_assert_no_error (error);
  g_assert_cmpint (first, ==, 1000001);
  /* An office and year nobody leased before starts there too. */
  g_assert_true (_motcua_hub_lease (p->hub.replica, "t", "T.D.B", 2026, 5, &first, &last,
                                    &error));
  g_assert_cmpint (first, ==, 1000001);
  token = _motcua_hub_enroll (p->hub.replica, "T.D.A", &error);
  g_assert_no_error (error);
  replicas = _motcua_hub_list_replicas (p->hub.replica, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < replicas->len; i++)
    n_new_desk += g_strcmp0 (((MotcuaHubReplicaInfo *) replicas->pdata[i])->desk_code,
                             "Q10001") == 0;
  g_assert_cmpuint (n_new_desk, ==, 1);

  /* Refused, and nothing changes: a desk's replica, and a file that is not SQLite. */
  g_clear_object (&p->hub.replica);
  g_assert_false (motcua_hub_restore (p->hub.path, p->a.path, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not a copy of a server's store"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (garbage, "not a store", -1, NULL));
  g_assert_false (motcua_hub_restore (p->hub.path, garbage, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT);
  g_clear_error (&error);
  p->hub.replica = motcua_replica_open (p->hub.path, &error);
  g_assert_no_error (error);
  motcua_replica_set_clock (p->hub.replica, hub_clock, &p->hub);
  g_assert_cmpint (_motcua_hub_generation (p->hub.replica), ==, 1);
  g_assert_true (_motcua_hub_lease (p->hub.replica, "t", "T.D.A", 2025, 10, &first, &last,
                                    &error));
  g_assert_cmpint (first, ==, 1000011);
}

/* The district edits a case commune A received after the copy was taken. The restored store
 * lacks the case, and the district syncs first: its edit waits (kept, neither applied nor lost,
 * the case kept and out of its digest) until A has sent the case again, then goes by itself,
 * as having seen what it had seen (no conflict with A's own values). */
static void
test_restore_change_waits_for_case (Province      *p,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = back_up_hub (p);
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lò Văn Pấng");
  g_autoptr(GPtrArray) rejected = NULL;
  g_autoptr(MotcuaCase) on_hub = NULL;
  MotcuaSyncProgress summary;

  sync_desk (p, &p->a, p->token_a);
  sync_desk (p, &p->d, p->token_d);
  g_assert_true (motcua_replica_edit_case (p->d.replica, c->id, "phone", "0912345678", NULL,
                                           &error));
  g_assert_no_error (error);
  sync_desk (p, &p->d, p->token_d);

  restore_hub (p, backup);
  {
    g_autoptr(MotcuaTransport) transport = _motcua_transport_new_local (p->hub.replica, NULL,
                                                                        p->token_d);

    g_assert_true (_motcua_sync_once (p->d.replica, transport, NULL, NULL, NULL, &summary,
                                      &error));
    g_assert_no_error (error);
    g_assert_true (summary.verified);
    g_assert_cmpuint (summary.rejected, >, 0);
  }
  rejected = motcua_replica_list_rejected (p->d.replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejected->len, >, 0);
  for (guint i = 0; i < rejected->len; i++)
    {
      MotcuaRejected *r = rejected->pdata[i];

      g_assert_true (r->waiting);
      g_assert_false (r->gone);
      g_assert_nonnull (strstr (r->reason, "not on the server yet"));
    }
  g_clear_pointer (&on_hub, motcua_case_free);
  g_assert_nonnull ((on_hub = motcua_replica_dup_case (p->d.replica, c->id, &error)));
  g_clear_pointer (&on_hub, motcua_case_free);

  /* A sends the case again; the district's next sync sends its edit. */
  sync_desk (p, &p->a, p->token_a);
  sync_desk (p, &p->d, p->token_d);
  g_clear_pointer (&rejected, g_ptr_array_unref);
  rejected = motcua_replica_list_rejected (p->d.replica, &error);
  g_assert_cmpuint (rejected->len, ==, 0);
  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->phone, ==, "0912345678");
  g_assert_cmpint (motcua_test_count (p->hub.replica, "conflicts"), ==, 0);
  sync_desk (p, &p->a, p->token_a);
  g_clear_pointer (&on_hub, motcua_case_free);
  on_hub = motcua_replica_dup_case (p->a.replica, c->id, &error);
  g_assert_cmpstr (on_hub->phone, ==, "0912345678");
}

/* A desk enrolled after the copy was taken is unknown to the restored store: refused as a bad
 * token, it is enrolled again on the same replica file, sends everything it made, and gets a
 * new desk code in the new generation (its old one is never given again). */
static void
test_restore_desk_enrolled_since (Province      *p,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = back_up_hub (p);
  g_autofree char *late = _motcua_hub_enroll (p->hub.replica, "T.D.A", &error);
  g_autofree char *again = NULL;
  g_autofree char *old_code = NULL;
  g_autofree char *new_code = NULL;
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaCase) on_hub = NULL;
  MotcuaFixture desk;

  g_assert_no_error (error);
  motcua_fixture_set_up_empty (&desk, MOTCUA_LEVEL_COMMUNE, "T.D.A");
  bind_desk (p, &desk, late);
  c = receive (&desk, "Thào A Chứ");
  sync_desk (p, &desk, late);
  old_code = motcua_replica_dup_desk_code (desk.replica);

  restore_hub (p, backup);
  {
    g_autoptr(MotcuaTransport) transport = _motcua_transport_new_local (p->hub.replica, NULL,
                                                                        late);
    MotcuaSyncProgress summary;

    g_assert_false (_motcua_sync_once (desk.replica, transport, NULL, NULL, NULL, &summary,
                                       &error));
    g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED);
    g_clear_error (&error);
  }

  again = _motcua_hub_enroll (p->hub.replica, "T.D.A", &error);
  g_assert_no_error (error);
  bind_desk (p, &desk, again);
  sync_desk (p, &desk, again);
  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->receipt_no, ==, c->receipt_no);
  new_code = motcua_replica_dup_desk_code (desk.replica);
  g_assert_cmpstr (new_code, ==, "Q10001");
  g_assert_cmpstr (old_code, !=, new_code);
  motcua_fixture_tear_down (&desk, NULL);
}

/* A change that waited for a case that then comes back elsewhere (another office's by the
 * changes its maker sent again) does not wait for ever: the server's status names the case as
 * back, the desk sends the change again, and it is judged like any change (here refused: the
 * case is not the desk's any more). */
static void
test_restore_case_back_elsewhere (Province      *p,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = back_up_hub (p);
  g_autoptr(MotcuaCase) c = receive (&p->d, "Giàng Thị Sua");
  g_autoptr(GPtrArray) rejected = NULL;
  MotcuaRejected *r;

  g_assert_true (motcua_replica_transfer_case (p->d.replica, c->id, "T.D.A", NULL, &error));
  g_assert_no_error (error);
  sync_desk (p, &p->d, p->token_d);
  sync_desk (p, &p->a, p->token_a);
  g_assert_true (motcua_replica_edit_case (p->a.replica, c->id, "phone", "0987654321", NULL,
                                           &error));
  g_assert_no_error (error);
  sync_desk (p, &p->a, p->token_a);
  g_assert_true (motcua_replica_transfer_case (p->d.replica, c->id, "T.D.B", NULL, &error));
  g_assert_no_error (error);
  sync_desk (p, &p->d, p->token_d);

  restore_hub (p, backup);
  g_assert_cmpuint (sync_refused (p, &p->a, p->token_a), >, 0);
  rejected = motcua_replica_list_rejected (p->a.replica, &error);
  g_assert_cmpuint (rejected->len, >, 0);
  g_assert_true (((MotcuaRejected *) rejected->pdata[0])->waiting);

  /* The district sends the case again, at commune B now; A never pulls it. */
  sync_desk (p, &p->d, p->token_d);
  sync_refused (p, &p->a, p->token_a);
  g_clear_pointer (&rejected, g_ptr_array_unref);
  rejected = motcua_replica_list_rejected (p->a.replica, &error);
  g_assert_no_error (error);
  /* The edit and its timeline row. */
  g_assert_cmpuint (rejected->len, ==, 2);
  for (guint i = 0; i < rejected->len; i++)
    {
      r = rejected->pdata[i];
      g_assert_false (r->waiting);
      g_assert_true (r->gone);
      g_assert_nonnull (strstr (r->reason, "not in the jurisdiction of T.D.A"));
    }
  /* Nothing waits any more: the next sync changes nothing. */
  g_assert_cmpuint (sync_refused (p, &p->a, p->token_a), ==, 0);
}

/* The district received case @c and sent it to commune A; then it sends it on to commune B,
 * and A edits it offline before it hears: the edit and the row it adds to the timeline are
 * refused, as about a case that is not A's. Returns them. */
static GPtrArray *
refuse_edit_of_moved_case (Province   *p,
                           MotcuaCase *c)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rejected;
  MotcuaRejected *r;

  g_assert_true (motcua_replica_transfer_case (p->d.replica, c->id, "T.D.A", NULL, &error));
  g_assert_no_error (error);
  sync_desk (p, &p->d, p->token_d);
  sync_desk (p, &p->a, p->token_a);
  g_assert_true (motcua_replica_transfer_case (p->d.replica, c->id, "T.D.B", NULL, &error));
  g_assert_no_error (error);
  sync_desk (p, &p->d, p->token_d);

  g_assert_true (motcua_replica_edit_case (p->a.replica, c->id, "address", "Bản Phìn Hồ", NULL,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sync_refused (p, &p->a, p->token_a), ==, 2);

  rejected = motcua_replica_list_rejected (p->a.replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejected->len, ==, 2);
  r = rejected->pdata[0];
  g_assert_cmpstr (r->table, ==, "cases");
  g_assert_cmpstr (r->column, ==, "address");
  g_assert_cmpstr (r->receipt_no, ==, c->receipt_no);
  g_assert_nonnull (strstr (r->reason, "is not in the jurisdiction of T.D.A"));
  g_assert_true (r->gone);
  r = rejected->pdata[1];
  g_assert_cmpstr (r->table, ==, "case_events");
  g_assert_null (r->column);
  g_assert_true (r->gone);

  return rejected;
}

/* The district sends case @c back to commune A, which syncs: the case is A's again. */
static void
send_back_to_a (Province   *p,
                MotcuaCase *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rejected = NULL;

  g_assert_true (motcua_replica_transfer_case (p->d.replica, c->id, "T.D.A", NULL, &error));
  g_assert_no_error (error);
  sync_desk (p, &p->d, p->token_d);
  g_assert_cmpuint (sync_refused (p, &p->a, p->token_a), ==, 0);

  rejected = motcua_replica_list_rejected (p->a.replica, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejected->len, ==, 2);
  for (guint i = 0; i < rejected->len; i++)
    g_assert_false (((MotcuaRejected *) rejected->pdata[i])->gone);
}

static gboolean
has_event (MotcuaReplica *replica,
           const char    *case_id,
           const char    *event_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = motcua_replica_list_case_events (replica, case_id, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (((MotcuaCaseEvent *) events->pdata[i])->id, event_id) == 0)
      return TRUE;

  return FALSE;
}

/* A refused change stays with its reason until the officer acts on it. While its case is not
 * the replica's, it cannot be retried; once the case is back and the value fixed with an
 * ordinary edit, a retry issues it again as a new change, which reaches the hub: the refused
 * row of the timeline too, which nothing else would have sent. */
static void
test_refused_retry (Province      *p,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->d, "Vàng Thị Dua");
  g_autoptr(GPtrArray) rejected = refuse_edit_of_moved_case (p, c);
  g_autoptr(MotcuaCase) on_hub = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  MotcuaRejected *field = rejected->pdata[0];
  MotcuaRejected *row = rejected->pdata[1];
  guint64 last;

  g_assert_false (motcua_replica_retry_rejected (p->a.replica, field->seq, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "only discarded"));
  g_clear_error (&error);
  g_assert_false (motcua_replica_retry_rejected (p->a.replica, 987654, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "987654"));
  g_clear_error (&error);
  g_assert_cmpint (motcua_replica_count_rejected (p->a.replica, NULL), ==, 2);

  send_back_to_a (p, c);
  g_assert_false (has_event (p->hub.replica, c->id, row->row_id));
  g_assert_true (has_event (p->a.replica, c->id, row->row_id));

  /* The officer enters the address again, and retries both. */
  g_assert_true (motcua_replica_edit_case (p->a.replica, c->id, "address", "Bản Phìn Hồ", NULL,
                                           &error));
  g_assert_no_error (error);
  last = motcua_replica_get_last_seq (p->a.replica);
  g_assert_true (motcua_replica_retry_rejected (p->a.replica, field->seq, &error));
  g_assert_no_error (error);
  g_assert_true (motcua_replica_retry_rejected (p->a.replica, row->seq, &error));
  g_assert_no_error (error);
  g_assert_cmpint (motcua_replica_count_rejected (p->a.replica, NULL), ==, 0);
  g_assert_false (motcua_replica_retry_rejected (p->a.replica, row->seq, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Two new changes, a field and a whole row, with new numbers and stamps. */
  changes = motcua_replica_list_changes (p->a.replica, last, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 2);
  {
    MotcuaChange *a = changes->pdata[0], *b = changes->pdata[1];
    g_autoptr(GVariant) maybe = g_variant_get_maybe (a->value);
    g_autoptr(GVariant) value = g_variant_get_variant (maybe);

    g_assert_cmpuint (a->seq, ==, last + 1);
    g_assert_cmpstr (a->table, ==, "cases");
    g_assert_cmpstr (a->column, ==, "address");
    g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "Bản Phìn Hồ");
    g_assert_cmpstr (b->table, ==, "case_events");
    g_assert_cmpstr (b->row_id, ==, row->row_id);
    g_assert_null (b->column);
    g_assert_cmpuint (b->hlc, >, a->prev_hlc);
  }

  sync_desk (p, &p->a, p->token_a);
  g_assert_cmpint (motcua_replica_count_rejected (p->a.replica, NULL), ==, 0);
  g_assert_cmpint (motcua_replica_count_pending (p->a.replica, NULL), ==, 0);
  g_assert_true (has_event (p->hub.replica, c->id, row->row_id));
  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->address, ==, "Bản Phìn Hồ");
}

/* A refused change given up: the refusal goes, and the next sync leaves the replica as the hub
 * has it (verified digest): the refused row of the timeline, which the hub never had, is gone
 * from the replica too. */
static void
test_refused_discard (Province      *p,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->d, "Sùng Thị Mỷ");
  g_autoptr(GPtrArray) rejected = refuse_edit_of_moved_case (p, c);
  g_autoptr(MotcuaCase) on_a = NULL;
  g_autoptr(MotcuaCase) on_hub = NULL;
  MotcuaRejected *row = rejected->pdata[1];

  send_back_to_a (p, c);

  g_assert_false (motcua_replica_discard_rejected (p->a.replica, 987654, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "987654"));
  g_clear_error (&error);

  for (guint i = 0; i < rejected->len; i++)
    {
      g_assert_true (motcua_replica_discard_rejected (p->a.replica,
                                                      ((MotcuaRejected *) rejected->pdata[i])->seq,
                                                      &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (motcua_replica_count_rejected (p->a.replica, NULL), ==, 0);
  g_assert_false (has_event (p->a.replica, c->id, row->row_id));

  sync_desk (p, &p->a, p->token_a);
  g_assert_cmpint (motcua_replica_count_rejected (p->a.replica, NULL), ==, 0);
  g_assert_false (has_event (p->a.replica, c->id, row->row_id));
  g_assert_false (has_event (p->hub.replica, c->id, row->row_id));
  on_a = motcua_replica_dup_case (p->a.replica, c->id, &error);
  g_assert_no_error (error);
  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_a->address, ==, on_hub->address);
  g_assert_cmpstr (on_a->address, !=, "Bản Phìn Hồ");
}

/* Discarding the refusals about a case that is not the replica's lets it go at the next sync. */
static void
test_refused_discard_gone (Province      *p,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->d, "Thào A Sính");
  g_autoptr(GPtrArray) rejected = refuse_edit_of_moved_case (p, c);
  g_autoptr(MotcuaCase) kept = NULL;

  /* One left holds it. */
  g_assert_true (motcua_replica_discard_rejected (p->a.replica,
                                                  ((MotcuaRejected *) rejected->pdata[0])->seq,
                                                  &error));
  g_assert_no_error (error);
  sync_desk (p, &p->a, p->token_a);
  kept = motcua_replica_dup_case (p->a.replica, c->id, NULL);
  g_assert_nonnull (kept);
  g_assert_cmpint (motcua_replica_count_rejected (p->a.replica, NULL), ==, 1);

  g_assert_true (motcua_replica_discard_rejected (p->a.replica,
                                                  ((MotcuaRejected *) rejected->pdata[1])->seq,
                                                  &error));
  g_assert_no_error (error);
  sync_desk (p, &p->a, p->token_a);
  g_assert_cmpint (motcua_replica_count_rejected (p->a.replica, NULL), ==, 0);
  g_assert_null (motcua_replica_dup_case (p->a.replica, c->id, NULL));
  g_assert_cmpint (motcua_test_count (p->a.replica, "case_events"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Province, &small_batches, motcua_test_province_set_up, func, \
              motcua_test_province_tear_down)

  ADD ("/hub/catalogue-down", test_catalogue_down);
  ADD ("/hub/conflicts", test_conflicts);
  ADD ("/hub/stale-status", test_stale_status);
  ADD ("/hub/transfer", test_transfer);
  ADD ("/hub/leases", test_leases);
  ADD ("/hub/hostile", test_hostile);
  ADD ("/hub/scope", test_scope);
  ADD ("/hub/refused", test_refused);
  ADD ("/hub/refused-retry", test_refused_retry);
  ADD ("/hub/refused-discard", test_refused_discard);
  ADD ("/hub/refused-discard-gone", test_refused_discard_gone);
  ADD ("/hub/push-idempotent-and-gap", test_push_idempotent_and_gap);
  ADD ("/hub/push-whole-rows", test_push_whole_rows);
  ADD ("/hub/handling-office-only", test_handling_office_only);
  ADD ("/hub/case-offices", test_case_offices);
  ADD ("/hub/values-checked", test_values_checked);
  ADD ("/hub/nul-refused", test_nul_refused);
  ADD ("/hub/store-error-hidden", test_store_error_hidden);
  ADD ("/hub/busy", test_busy);
  ADD ("/hub/timeline-rows-never-change", test_timeline_rows_never_change);
  ADD ("/hub/restamp", test_restamp);
  ADD ("/hub/restamp-times", test_restamp_times);
  ADD ("/hub/restamp-times-clock-set-right", test_restamp_times_clock_set_right);
  ADD ("/hub/restamp-other-connection", test_restamp_other_connection);
  ADD ("/hub/resolve-moves-case", test_resolve_moves_case);
  ADD ("/hub/tokens", test_tokens);
  ADD ("/hub/desk-codes", test_desk_codes);
  ADD ("/hub/duplicate-receipt", test_duplicate_receipt);
  ADD ("/hub/lost-token", test_lost_token);
  ADD ("/hub/writes-during-sync", test_writes_during_sync);
  ADD ("/hub/purged-rowid-reused", test_purged_rowid_reused);
  ADD ("/hub/restored-server", test_restored_server);
  ADD ("/hub/restore-gives-nothing-twice", test_restore_gives_nothing_twice);
  ADD ("/hub/restore-change-waits-for-case", test_restore_change_waits_for_case);
  ADD ("/hub/restore-case-back-elsewhere", test_restore_case_back_elsewhere);
  ADD ("/hub/restore-desk-enrolled-since", test_restore_desk_enrolled_since);

#undef ADD

  return g_test_run ();
}
