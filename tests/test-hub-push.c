/* test-hub-push.c: what the hub takes from a push: scope, forged and refused changes, busy
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
JsonObject *
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
void
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

void
test_hub_push_add_tests (void)
{
  HUB_ADD ("/hub/scope", test_scope);
  HUB_ADD ("/hub/refused", test_refused);
  HUB_ADD ("/hub/push-idempotent-and-gap", test_push_idempotent_and_gap);
  HUB_ADD ("/hub/push-whole-rows", test_push_whole_rows);
  HUB_ADD ("/hub/handling-office-only", test_handling_office_only);
  HUB_ADD ("/hub/case-offices", test_case_offices);
  HUB_ADD ("/hub/values-checked", test_values_checked);
  HUB_ADD ("/hub/busy", test_busy);
}
