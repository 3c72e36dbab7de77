/* test-converge.c: replicas converge through a network that drops, repeats, delays and cuts
 *
 * Each seed builds a province: the hub (the provincial server's store) and five replicas at
 * every level: the province's own desk, the district T.D, two desks of commune T.D.A and one
 * of T.D.B. Then a few hundred random steps: receive a dossier, edit a field, advance a status,
 * transfer a case, make the same field differ at two replicas before either syncs, resolve a
 * conflict, attach a scan or remove one, move a clock, cut a replica off, and sync in random
 * orders. Every sync goes through
 * a fault layer that drops requests, loses answers after the server acted, delivers a request
 * twice, holds a copy back and delivers it much later, and cuts answers mid-body.
 *
 * After a final sync of everyone with the faults off:
 *   - every sync verifies its scope's digest;
 *   - each replica's canonical export equals the hub's export restricted to its scope (cases
 *     whose receiving or handling office is in its subtree, and what belongs to them);
 *   - every change a replica made that the hub acknowledged is in the hub's log exactly once,
 *     or was refused and is on the replica as rejected: nothing is lost;
 *   - no receipt number is held by two cases.
 *
 * The seeds: MOTCUA_CONVERGE_SEEDS of them (200; 40 under AddressSanitizer) from
 * MOTCUA_CONVERGE_FIRST_SEED (1). Each is a test case, /converge/seed/N, so a failure names
 * its seed and `test-converge -p /converge/seed/N` replays it alone. A soak by hand:
 *   MOTCUA_CONVERGE_SEEDS=5000 MOTCUA_CONVERGE_FIRST_SEED=1000 tests/test-converge
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "motcua-hub-private.h"
#include "motcua-protocol-private.h"
#include "motcua-replica-private.h"
#include "motcua-test-transport.h"
#include "motcua-test-utils.h"

#define N_NODES 8
#define N_STEPS 140
#define HOURS_AHEAD (3 * 60 * 60 * 1000)

typedef struct
{
  const char    *office;
  MotcuaLevel    level;
  MotcuaFixture  f;          /* its replica: the connection that syncs */
  MotcuaReplica *desk;       /* another connection to the same file, as the desk holds one */
  MotcuaReplica *officer;    /* the connection the officer writes through now: one of those */
  char          *token;
  gint64         skew_ms;    /* its clock minus the true time */
  guint          ahead;      /* steps left with its clock hours ahead, before it is set right */
  guint          offline;    /* steps left cut off from the server */
  GPtrArray     *late;       /* requests held back by the network, delivered later */
} Node;

typedef struct
{
  guint32        seed;
  GRand         *rand;
  gint64         now_ms;     /* the true time; the hub's clock */
  MotcuaFixture  hub;
  Node           nodes[N_NODES];
  gboolean       faults;
  char          *backup;     /* an older copy of the hub's store, once taken */
  guint          backup_at, restore_at;   /* the steps that take it and restore it; 0: none */
  guint          n_faults, n_syncs, n_failed, n_conflicts_made, n_removed;
  guint          n_writes_during, n_busy, n_moved_on, n_restores, n_hours_ahead;
} World;

/* A request the network held back: delivered later, its answer lost. */
typedef struct
{
  char   *method;
  char   *path;
  GBytes *body;
} Late;

static void
late_free (Late *late)
{
  g_free (late->method);
  g_free (late->path);
  g_clear_pointer (&late->body, g_bytes_unref);
  g_free (late);
}

static gboolean
chance (World *w,
        guint  percent)
{
  return (guint) g_rand_int_range (w->rand, 0, 100) < percent;
}

static guint
pick (World *w,
      guint  n)
{
  return (guint) g_rand_int_range (w->rand, 0, (gint32) n);
}

/* Restores of the province's store, clocks hours ahead and writes during syncs run unless
 * turned off (MOTCUA_CONVERGE_RESTORE=0, MOTCUA_CONVERGE_HOURS_AHEAD=0,
 * MOTCUA_CONVERGE_WRITES_DURING=0). */
static gboolean with_restores = TRUE;      /* the province restores its store in most seeds */
static gboolean with_hours_ahead = TRUE;   /* clocks run hours ahead, then are set right */
static gboolean with_writes_during = TRUE;    /* the officer writes while the replica syncs */

/* The fault layer */

typedef struct
{
  MotcuaTransport  parent;
  MotcuaTransport *inner;
  World           *world;
  Node            *node;
  gboolean         writing;      /* the officer writes while this sync runs */
  gboolean         second_sync;  /* a second sync of the replica is tried while this one runs */
} FaultTransport;

static void write_during_sync (World *w,
                               Node  *node);
static void try_second_sync   (World *w,
                               Node  *node);

static gboolean
lost (GError    **error,
      const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "fault layer: %s", what);

  return FALSE;
}

static gboolean
fault_exchange (MotcuaTransport  *transport,
                MotcuaExchange   *x,
                GCancellable     *cancellable,
                GError          **error)
{
  FaultTransport *self = (FaultTransport *) transport;
  World *w = self->world;
  MotcuaTransport *inner = self->inner;
  guint roll;

  /* Before the request leaves, the officer may type, through the desk's own connection. */
  if (self->writing && chance (w, 40))
    write_during_sync (w, self->node);
  if (self->second_sync && chance (w, 50))
    {
      try_second_sync (w, self->node);
      self->second_sync = FALSE;
    }

  /* A request held back earlier arrives now, before this one; nobody hears its answer. */
  if (self->node->late->len > 0 && chance (w, 30))
    {
      Late *late = g_ptr_array_steal_index (self->node->late, 0);
      MotcuaExchange ignored = { late->method, late->path, late->body };

      inner->klass->exchange (inner, &ignored, cancellable, NULL);
      g_clear_pointer (&ignored.response, g_bytes_unref);
      late_free (late);
    }

  if (!w->faults)
    return inner->klass->exchange (inner, x, cancellable, error);

  roll = pick (w, 100);
  if (roll < 5)
    {
      w->n_faults++;
      return lost (error, "request dropped");
    }
  if (roll < 10)
    {
      /* A copy stays in the network and turns up later. */
      Late *late = g_new0 (Late, 1);

      late->method = g_strdup (x->method);
      late->path = g_strdup (x->path_and_query);
      late->body = x->body ? g_bytes_ref (x->body) : NULL;
      g_ptr_array_add (self->node->late, late);
      w->n_faults++;
      if (chance (w, 50))
        return lost (error, "request delayed past the client's patience");
    }
  if (roll >= 10 && roll < 15)
    {
      /* Delivered twice: the server acts on both, the client hears the second. */
      MotcuaExchange first = { x->method, x->path_and_query, x->body };

      w->n_faults++;
      inner->klass->exchange (inner, &first, cancellable, NULL);
      g_clear_pointer (&first.response, g_bytes_unref);
    }

  if (!inner->klass->exchange (inner, x, cancellable, error))
    return FALSE;

  if (roll >= 15 && roll < 20)
    {
      /* The server acted; the answer never arrived. */
      w->n_faults++;
      g_clear_pointer (&x->response, g_bytes_unref);
      return lost (error, "answer lost");
    }
  if (roll >= 20 && roll < 25 && g_bytes_get_size (x->response) > 1)
    {
      /* Cut mid-body: half the time the client sees the connection close, half the time it
       * gets a prefix of the body as if it were whole. */
      gsize size = g_bytes_get_size (x->response);
      GBytes *cut = g_bytes_new_from_bytes (x->response, 0, 1 + pick (w, (guint) size - 1));

      w->n_faults++;
      g_bytes_unref (x->response);
      x->response = cut;
      if (chance (w, 50))
        {
          g_clear_pointer (&x->response, g_bytes_unref);
          return lost (error, "connection cut mid-body");
        }
    }

  return TRUE;
}

static const MotcuaTransportClass fault_class = { fault_exchange, motcua_test_wrapper_free };

static MotcuaTransport *
fault_transport_new (World *w,
                     Node  *node)
{
  FaultTransport *self = g_new0 (FaultTransport, 1);
  MotcuaHubLimits limits = { .max_changes_per_pull = 3 + pick (w, 30) };

  self->parent.klass = &fault_class;
  self->parent.token = g_strdup (node->token);
  /* Small batches: syncs cross batch boundaries, and cuts land between them. */
  self->parent.push_batch = 1 + pick (w, 25);
  self->parent.pull_batch = 1 + pick (w, 40);
  /* Blocks of a few receipt numbers: desks run past them offline. */
  self->parent.lease_block = 2 + pick (w, 6);
  self->inner = _motcua_transport_new_local (w->hub.replica, &limits, node->token);
  self->world = w;
  self->node = node;
  /* Only while the network misbehaves: the final syncs are quiet, so that they verify. */
  self->writing = w->faults && chance (w, 25) && with_writes_during;
  self->second_sync = w->faults && chance (w, 15);

  return &self->parent;
}

/* Syncing */

static GHashTable *export_rows_but  (MotcuaReplica *replica,
                                     const char    *office_code,
                                     GHashTable    *excluded);
static GHashTable *export_rows      (MotcuaReplica *replica,
                                     const char    *office_code);
static void        assert_same_rows (World         *w,
                                     Node          *node,
                                     GHashTable    *expected,
                                     GHashTable    *actual);

/* One sync through the fault layer. With faults, a sync may fail, but only as a network
 * failure would make it fail; without, it must succeed and verify. */
static void
sync_node (World *w,
           Node  *node)
{
  g_autoptr(MotcuaTransport) transport = fault_transport_new (w, node);
  g_autoptr(GError) error = NULL;
  MotcuaSyncProgress summary;
  gboolean writing = ((FaultTransport *) transport)->writing;
  MotcuaReplica *officer = node->officer;

  w->hub.now_ms = w->now_ms;
  w->n_syncs++;
  if (_motcua_sync_once (node->f.replica, transport, NULL, NULL, NULL, &summary, &error))
    {
      /* An officer who wrote through every round leaves the comparison to the next sync. */
      if (!summary.verified && !(writing && summary.verify_deferred))
        g_error ("seed %u: %s synced without verifying its digest", w->seed, node->office);
      g_assert_true (node->officer == officer);
      return;
    }
  g_assert_true (node->officer == officer);

  /* Even just after a restore, before the other desks have sent again what the hub lost: the
   * rows they made that this replica holds go at the end of the pull its digest asks for. */
  if (g_error_matches (error, MOTCUA_ERROR, MOTCUA_ERROR_DIVERGED))
    {
      /* Name the rows that differ before failing. */
      g_autoptr(GHashTable) expected = export_rows (w->hub.replica, node->office);
      g_autoptr(GHashTable) actual = export_rows (node->f.replica, NULL);

      assert_same_rows (w, node, expected, actual);
    }
  if (!w->faults || error->domain != G_IO_ERROR)
    g_error ("seed %u: %s failed to sync%s: %s (%s %d); the files stay: hub %s, replica %s",
             w->seed, node->office,
             w->faults ? " with an error no network fault explains" : " without faults",
             error->message, g_quark_to_string (error->domain), error->code, w->hub.path,
             node->f.path);
  w->n_failed++;
}

/* Operations */

static MotcuaCase *
random_case (World *w,
             Node  *node)
{
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  g_autoptr(GPtrArray) cases = NULL;
  gint64 n = motcua_replica_count_cases (node->officer, &filter, NULL);

  if (n <= 0)
    return NULL;
  filter.offset = pick (w, (guint) n);
  filter.limit = 1;
  cases = motcua_replica_list_cases (node->officer, &filter, NULL);
  if (cases == NULL || cases->len == 0)
    return NULL;

  return motcua_case_copy (cases->pdata[0]);
}

/* An operation may be refused by the workflow (a step not allowed now, a field that does not
 * take the value): that is the officer's problem, not the replica's. Anything else is a bug. */
static void
check_op (World      *w,
          const char *what,
          GError     *error)
{
  if (error == NULL)
    return;
  if (error->domain == MOTCUA_ERROR
      && (error->code == MOTCUA_ERROR_ILLEGAL_TRANSITION
          || error->code == MOTCUA_ERROR_INVALID
          || error->code == MOTCUA_ERROR_NOT_FOUND))
    return;
  g_error ("seed %u: %s failed: %s", w->seed, what, error->message);
}

static void
op_receive (World *w,
            Node  *node)
{
  static const char *names[] = { "Lò Văn Pằng", "Giàng Thị Mai", "Vàng A Sình", "Hà Thị Xuân",
                                 "Lường Văn Hặc", "Nguyễn Thị Hoa" };
  g_autofree char *citizen_id = g_strdup_printf ("0%02u%09u", pick (w, 96),
                                                 (guint) g_rand_int_range (w->rand, 0,
                                                                           999999999));
  MotcuaReception r = {
    /* Births at the communes' desks; land changes at the district and province. */
    .procedure_code = node->level == MOTCUA_LEVEL_COMMUNE ? "HT.KS" : "DD.BD",
    .applicant_name = names[pick (w, G_N_ELEMENTS (names))],
    .citizen_id = citizen_id,
    .channel = (MotcuaChannel) pick (w, MOTCUA_N_CHANNELS),
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = motcua_replica_receive (node->officer, &r, &error);

  check_op (w, "receive", error);
}

static void
op_edit (World      *w,
         Node       *node,
         const char *case_id,
         const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (g_str_equal (field, "phone"))
    value = g_strdup_printf ("09%08u", (guint) g_rand_int_range (w->rand, 0, 99999999));
  else if (g_str_equal (field, "rating"))
    value = g_strdup_printf ("%u", pick (w, 6));
  else
    value = g_strdup_printf ("Bản %s %u", node->office, pick (w, 100000));

  motcua_replica_edit_case (node->officer, case_id, field, value, NULL, &error);
  check_op (w, "edit", error);
}

static const char *
random_field (World *w)
{
  static const char *fields[] = { "address", "phone", "applicant_name", "rating" };

  return fields[pick (w, G_N_ELEMENTS (fields))];
}

static void
op_advance (World *w,
            Node  *node)
{
  g_autoptr(MotcuaCase) c = random_case (w, node);
  g_autoptr(GError) error = NULL;
  MotcuaStatus next[MOTCUA_N_STATUSES];
  MotcuaStepOptions options = { .result = "Giấy chứng nhận",
                                .returned_via = MOTCUA_CHANNEL_COUNTER };
  guint n;

  if (c == NULL)
    return;
  n = motcua_status_next (c->status, next);
  if (n == 0)
    return;
  motcua_replica_advance_case (node->officer, c->id, next[pick (w, n)], &options, &error);
  check_op (w, "advance", error);
}

static void
op_transfer (World *w,
             Node  *node)
{
  static const char *offices[] = { "T.D", "T.D.A", "T.D.B" };
  g_autoptr(MotcuaCase) c = random_case (w, node);
  g_autoptr(GError) error = NULL;

  if (c == NULL)
    return;
  motcua_replica_transfer_case (node->officer, c->id, offices[pick (w, 3)], "liên thông",
                                &error);
  check_op (w, "transfer", error);
}

/* Two replicas that both hold a case write one field before either syncs. */
static void
op_conflict (World *w)
{
  Node *first = &w->nodes[pick (w, N_NODES)];
  Node *second = &w->nodes[pick (w, N_NODES)];
  g_autoptr(MotcuaCase) c = random_case (w, first);
  g_autoptr(MotcuaCase) there = NULL;
  const char *field = random_field (w);

  if (c == NULL || first == second)
    return;
  there = motcua_replica_dup_case (second->officer, c->id, NULL);
  if (there == NULL)
    return;
  op_edit (w, first, c->id, field);
  op_edit (w, second, c->id, field);
  w->n_conflicts_made++;
}

static void
op_resolve (World *w,
            Node  *node)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = motcua_replica_list_conflicts (node->officer, FALSE, &error);
  MotcuaConflict *k;

  g_assert_no_error (error);
  if (open->len == 0)
    return;
  k = open->pdata[pick (w, open->len)];
  switch (pick (w, 3))
    {
    case 0:
      motcua_replica_resolve_conflict (node->officer, k->id, MOTCUA_RESOLVE_KEEP_A, NULL,
                                       &error);
      break;
    case 1:
      motcua_replica_resolve_conflict (node->officer, k->id, MOTCUA_RESOLVE_KEEP_B, NULL,
                                       &error);
      break;
    default:
      motcua_replica_resolve_conflict (node->officer, k->id, MOTCUA_RESOLVE_VALUE,
                                       k->a.value, &error);
      break;
    }
  check_op (w, "resolve", error);
}

/* A scan attached at a desk, now and then the same bytes as another (stored once). */
static void
op_attach (World *w,
           Node  *node)
{
  g_autoptr(MotcuaCase) c = random_case (w, node);
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaAttachment) a = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size = 16 + pick (w, 3000);
  guint8 *data;

  if (c == NULL)
    return;
  data = g_malloc (size);
  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) pick (w, chance (w, 30) ? 2 : 256);
  bytes = g_bytes_new_take (data, size);
  a = motcua_replica_add_attachment (node->officer, c->id, "giay-to.pdf", "application/pdf",
                                     bytes, &error);
  check_op (w, "attach", error);
}

/* A scan attached by mistake, removed with a reason, by whoever holds the case. */
static void
op_remove_attachment (World *w,
                      Node  *node)
{
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) error = NULL;
  MotcuaAttachment *a;

  /* Few cases have scans: look at a few. */
  for (guint tries = 0; tries < 8 && (attachments == NULL || attachments->len == 0); tries++)
    {
      g_autoptr(MotcuaCase) c = random_case (w, node);

      if (c == NULL)
        return;
      g_clear_pointer (&attachments, g_ptr_array_unref);
      attachments = motcua_replica_list_attachments (node->officer, c->id, &error);
      g_assert_no_error (error);
    }
  if (attachments == NULL || attachments->len == 0)
    return;
  a = attachments->pdata[pick (w, attachments->len)];
  if (motcua_replica_remove_attachment (node->officer, a->id, "Đính kèm nhầm", &error))
    w->n_removed++;
  check_op (w, "remove an attachment", error);
}

/* A case received at a district desk and sent down to a commune to handle. */
static void
op_pass_down (World *w,
              Node  *node)
{
  static const char *communes[] = { "T.D.A", "T.D.B" };
  MotcuaReception r = { .procedure_code = "DD.BD", .applicant_name = "Sần Thị Phin",
                        .citizen_id = "012345678901", .channel = MOTCUA_CHANNEL_COUNTER };
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = motcua_replica_receive (node->officer, &r, &error);

  check_op (w, "receive at the district", error);
  if (c == NULL)
    return;
  motcua_replica_transfer_case (node->officer, c->id, communes[pick (w, 2)], "liên thông",
                                &error);
  check_op (w, "send down", error);
}

/* A commune moves on to the other commune a case the district sent it: the case leaves its
 * scope and is purged once its changes are acknowledged, and the cases it receives after
 * that take the rowids it held. */
static void
op_move_on (World *w,
            Node  *node)
{
  const char *other = g_str_equal (node->office, "T.D.A") ? "T.D.B" : "T.D.A";

  for (guint tries = 0; tries < 8; tries++)
    {
      g_autoptr(MotcuaCase) c = random_case (w, node);
      g_autoptr(GError) error = NULL;

      if (c == NULL)
        return;
      if (g_strcmp0 (c->handling_office, node->office) != 0
          || g_strcmp0 (c->receiving_office, node->office) == 0)
        continue;
      if (chance (w, 50))
        op_edit (w, node, c->id, "address");
      if (motcua_replica_transfer_case (node->officer, c->id, other, "liên thông", &error))
        w->n_moved_on++;
      check_op (w, "move on", error);
      op_receive (w, node);
      return;
    }
}

/* The officer types while the replica syncs, through the desk's own connection. */
static void
write_during_sync (World *w,
                   Node  *node)
{
  MotcuaReplica *officer = node->officer;
  guint roll = pick (w, 10);

  node->officer = node->desk;
  w->n_writes_during++;
  if (roll < 4)
    op_receive (w, node);
  else if (roll < 7)
    {
      g_autoptr(MotcuaCase) c = random_case (w, node);

      if (c != NULL)
        op_edit (w, node, c->id, random_field (w));
    }
  else
    op_advance (w, node);
  node->officer = officer;
}

/* What a refused sync must leave as it was: the replica's settings (cursor, acknowledged
 * sequence, leases' bookkeeping…), its log, and the server's log. */
static char *
sync_state (World *w,
            Node  *node)
{
  sqlite3 *mine = NULL, *hub = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (node->f.path, &mine, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (mine, "SELECT key, quote (value) FROM meta ORDER BY key",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s=%s\n", sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (mine, "SELECT count(*), max(seq) FROM changes", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_string_append_printf (out, "changes %lld up to %lld\n", sqlite3_column_int64 (stmt, 0),
                          sqlite3_column_int64 (stmt, 1));
  sqlite3_finalize (stmt);
  sqlite3_close (mine);

  g_assert_cmpint (sqlite3_open_v2 (w->hub.path, &hub, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (hub, "SELECT max(gseq) FROM hub_log", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_string_append_printf (out, "hub log up to %lld\n", sqlite3_column_int64 (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (hub);

  return g_string_free (out, FALSE);
}

/* The desk's automatic sync and motcua-cli's at once: the second, through either connection,
 * is refused as busy and changes nothing. */
static void
try_second_sync (World *w,
                 Node  *node)
{
  g_autoptr(MotcuaTransport) other = _motcua_transport_new_local (w->hub.replica, NULL,
                                                                  node->token);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = sync_state (w, node);
  g_autofree char *after = NULL;
  MotcuaReplica *replica = chance (w, 50) ? node->desk : node->f.replica;

  if (_motcua_sync_once (replica, other, NULL, NULL, NULL, NULL, &error))
    g_error ("seed %u: %s synced twice at once", w->seed, node->office);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
    g_error ("seed %u: a second sync of %s failed otherwise than busy: %s", w->seed,
             node->office, error->message);
  after = sync_state (w, node);
  if (strcmp (before, after) != 0)
    g_error ("seed %u: a refused second sync of %s changed it:\nbefore:\n%safter:\n%s",
             w->seed, node->office, before, after);
  w->n_busy++;
}

/* The province's store */

/* A fixture's clock, for another connection to its file. */
static gint64
fixture_clock (gpointer user_data)
{
  return ((MotcuaFixture *) user_data)->now_ms;
}

static void
take_backup (World *w)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  w->backup = g_build_filename (w->hub.dir, "backup.db", NULL);
  sql = g_strdup_printf ("VACUUM INTO '%s'", w->backup);
  g_assert_true (_motcua_replica_exec (w->hub.replica, sql, &error));
  g_assert_no_error (error);
}

/* The province restores its store from the older copy: it forgets what it acknowledged
 * since, and the replicas send it again. */
static void
restore_backup (World *w)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&w->hub.replica);
  g_assert_true (motcua_hub_restore (w->hub.path, w->backup, &error));
  g_assert_no_error (error);
  g_unlink (w->backup);
  w->hub.replica = motcua_replica_open (w->hub.path, &error);
  g_assert_no_error (error);
  motcua_replica_set_clock (w->hub.replica, fixture_clock, &w->hub);
  g_clear_pointer (&w->backup, g_free);
  w->n_restores++;
}

static void
advance_time (World *w)
{
  w->now_ms += 1000 + pick (w, 20 * 60 * 1000);

  for (guint i = 0; i < N_NODES; i++)
    {
      Node *node = &w->nodes[i];

      /* Clocks drift a minute or two either way; now and then one runs well ahead, beyond
       * what the server accepts, until its officer notices; rarely hours ahead, for some
       * steps, until someone sets it right. */
      if (node->ahead > 0)
        {
          if (--node->ahead == 0)
            node->skew_ms = 0;
        }
      else if (chance (w, 10))
        node->skew_ms = (gint64) g_rand_int_range (w->rand, -120000, 120000);
      else if (chance (w, 3))
        node->skew_ms = 10 * 60 * 1000;
      else if (pick (w, 1000) < 2 && with_hours_ahead)
        {
          node->skew_ms = HOURS_AHEAD;
          node->ahead = 3 + pick (w, 12);
          w->n_hours_ahead++;
        }
      node->f.now_ms = w->now_ms + node->skew_ms;
    }
}

static void
step (World *w)
{
  Node *node = &w->nodes[pick (w, N_NODES)];
  guint roll = pick (w, 100);

  advance_time (w);
  /* Now and then the officer's desk writes through its own connection, not the sync's. */
  for (guint i = 0; i < N_NODES; i++)
    w->nodes[i].officer = chance (w, 20) ? w->nodes[i].desk : w->nodes[i].f.replica;

  if (roll < 22)
    op_receive (w, node);
  else if (roll < 40)
    {
      g_autoptr(MotcuaCase) c = random_case (w, node);

      if (c != NULL)
        op_edit (w, node, c->id, random_field (w));
    }
  else if (roll < 52)
    op_advance (w, node);
  else if (roll < 58)
    op_transfer (w, node);
  else if (roll < 64)
    op_conflict (w);
  else if (roll < 68)
    op_resolve (w, node);
  else if (roll < 72)
    node->offline = 1 + pick (w, 12);   /* a field trip out of coverage */
  else if (roll < 76)
    op_attach (w, node);
  else if (roll < 80)
    op_remove_attachment (w, node);
  else if (roll < 84)
    {
      if (node->level == MOTCUA_LEVEL_DISTRICT)
        op_pass_down (w, node);
      else if (node->level == MOTCUA_LEVEL_COMMUNE)
        op_move_on (w, node);
    }
  else if (node->offline == 0)
    sync_node (w, node);

  for (guint i = 0; i < N_NODES; i++)
    if (w->nodes[i].offline > 0)
      w->nodes[i].offline--;
}

/* Checking */

static gboolean
office_under (GHashTable *parents,
              const char *office_id,
              const char *top_id)
{
  for (guint depth = 0; office_id != NULL && depth < 16; depth++)
    {
      if (g_str_equal (office_id, top_id))
        return TRUE;
      office_id = g_hash_table_lookup (parents, office_id);
    }

  return FALSE;
}

static const char *
member_string (JsonObject *row,
               const char *name)
{
  JsonNode *node = json_object_get_member (row, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

/* Each table's rows, one serialized row per entry, in the export's order; restricted to the
 * scope of @office_code when it is not NULL, without the cases in @excluded (ids) and what
 * belongs to them. Written from the export alone, not from the library's scope code, so that
 * it checks that code rather than repeating it. */
static GHashTable *
export_rows_but (MotcuaReplica *replica,
                 const char    *office_code,
                 GHashTable    *excluded)
{
  g_autofree char *text = motcua_test_export (replica);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) parents = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) cases = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_ptr_array_unref);
  JsonObject *tables;
  JsonArray *offices;
  const char *top_id = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  tables = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "tables");

  offices = json_object_get_array_member (tables, "offices");
  for (guint i = 0; i < json_array_get_length (offices); i++)
    {
      JsonObject *o = json_array_get_object_element (offices, i);

      g_hash_table_insert (parents, (gpointer) member_string (o, "id"),
                           (gpointer) member_string (o, "parent_id"));
      if (g_strcmp0 (member_string (o, "code"), office_code) == 0)
        top_id = member_string (o, "id");
    }
  g_assert_true (office_code == NULL || top_id != NULL);

  /* Cases first: the rows that belong to a case follow it. */
  {
    g_autoptr(GList) names = json_object_get_members (tables);

    names = g_list_sort (names, (GCompareFunc) g_strcmp0);
    for (guint pass = 0; pass < 2; pass++)
      for (GList *l = names; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonArray *rows = json_object_get_array_member (tables, name);
          GPtrArray *kept;

          if ((pass == 0) != g_str_equal (name, "cases"))
            continue;
          kept = g_ptr_array_new_with_free_func (g_free);
          for (guint i = 0; i < json_array_get_length (rows); i++)
            {
              JsonNode *row_node = json_array_get_element (rows, i);
              JsonObject *row = json_node_get_object (row_node);
              gboolean in = TRUE;

              if (excluded != NULL
                  && (g_hash_table_contains (excluded, member_string (row, "id") ?: "")
                      || g_hash_table_contains (excluded, member_string (row, "case_id") ?: "")))
                in = FALSE;
              else if (top_id == NULL)
                in = TRUE;
              else if (g_str_equal (name, "cases"))
                {
                  in = office_under (parents, member_string (row, "receiving_office_id"), top_id)
                       || office_under (parents, member_string (row, "handling_office_id"),
                                        top_id);
                  if (in)
                    g_hash_table_add (cases, (gpointer) member_string (row, "id"));
                }
              else if (member_string (row, "case_id") != NULL)
                in = g_hash_table_contains (cases, member_string (row, "case_id"));

              if (in)
                g_ptr_array_add (kept, json_to_string (row_node, FALSE));
            }
          g_hash_table_insert (out, g_strdup (name), kept);
        }
  }

  return out;
}

static GHashTable *
export_rows (MotcuaReplica *replica,
             const char    *office_code)
{
  return export_rows_but (replica, office_code, NULL);
}

/* The ids (text) of the cases @node was told are not its own when the server refused its
 * writes to them, and of the rows of timelines and scans the server refused: it keeps them,
 * marked rejected, and they differ from the server's by design. */
static GHashTable *
gone_cases (Node *node)
{
  GHashTable *gone = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (node->f.path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  /* With them, the rows of timelines and scans whose own writing was refused. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT DISTINCT gone FROM rejected"
                                           " WHERE gone IS NOT NULL"
                                           " UNION SELECT id FROM case_events"
                                           " WHERE _seq IN (SELECT seq FROM rejected)"
                                           " UNION SELECT id FROM attachments"
                                           " WHERE _seq IN (SELECT seq FROM rejected)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char text[37];

      motcua_uuid_to_string (sqlite3_column_blob (stmt, 0), text);
      g_hash_table_add (gone, g_strdup (text));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return gone;
}

static void
assert_same_rows (World      *w,
                  Node       *node,
                  GHashTable *expected,
                  GHashTable *actual)
{
  GHashTableIter iter;
  const char *table;
  GPtrArray *want;

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, (gpointer *) &table, (gpointer *) &want))
    {
      GPtrArray *got = g_hash_table_lookup (actual, table);

      g_assert_nonnull (got);
      for (guint i = 0; i < MAX (want->len, got->len); i++)
        {
          const char *a = i < want->len ? want->pdata[i] : "(nothing)";
          const char *b = i < got->len ? got->pdata[i] : "(nothing)";

          if (strcmp (a, b) != 0)
            g_error ("seed %u: %s differs from the hub in %s, row %u:\n  hub:     %s\n"
                     "  replica: %s\nthe files stay: hub %s, replica %s", w->seed, node->office,
                     table, i, a, b, w->hub.path, node->f.path);
        }
    }
}

/* A case outside the replica's scope stays on it only while the server has refused a change
 * of its to it: the officer sees the record as rejected, with the reason. Anything else that
 * left the scope was purged. */
static void
assert_only_refused_left (World *w,
                          Node  *node)
{
  g_autoptr(GHashTable) all = export_rows (node->f.replica, NULL);
  g_autoptr(GHashTable) scoped = export_rows (node->f.replica, node->office);
  g_autoptr(GHashTable) in_scope = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) refused = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) gone = gone_cases (node);
  g_autoptr(GPtrArray) rejected = motcua_replica_list_rejected (node->f.replica, NULL);
  GPtrArray *all_cases = g_hash_table_lookup (all, "cases");
  GPtrArray *scoped_cases = g_hash_table_lookup (scoped, "cases");

  g_assert_nonnull (rejected);
  for (guint i = 0; i < scoped_cases->len; i++)
    g_hash_table_add (in_scope, scoped_cases->pdata[i]);
  for (guint i = 0; i < rejected->len; i++)
    {
      MotcuaRejected *r = rejected->pdata[i];

      if (r->receipt_no != NULL)
        g_hash_table_add (refused, r->receipt_no);
    }

  for (guint i = 0; i < all_cases->len; i++)
    {
      const char *row = all_cases->pdata[i];
      g_autoptr(JsonNode) node_json = NULL;
      const char *receipt;

      if (g_hash_table_contains (in_scope, row))
        continue;
      node_json = json_from_string (row, NULL);
      receipt = member_string (json_node_get_object (node_json), "receipt_no");
      if (g_hash_table_contains (gone, member_string (json_node_get_object (node_json), "id")))
        continue;
      if (receipt == NULL || !g_hash_table_contains (refused, receipt))
        g_error ("seed %u: %s still holds case %s, out of its scope, with nothing refused:\n"
                 "  %s", w->seed, node->office, receipt, row);
    }
}

static sqlite3 *
open_db (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);

  return db;
}

static gint64
query_int (sqlite3    *db,
           const char *sql,
           const void *blob,
           gint64      n)
{
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (blob != NULL)
    sqlite3_bind_blob (stmt, 1, blob, 16, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, blob != NULL ? 2 : 1, n);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return v;
}

/* Every change @node made up to what the hub acknowledged is in the hub's log once, or was
 * refused: kept on the replica as refused, or, if it waited for a case the restored hub did not
 * hold, sent again since (as a new change, itself checked here). */
static void
assert_nothing_lost (World *w,
                     Node  *node)
{
  sqlite3 *hub = open_db (w->hub.path);
  sqlite3 *mine = open_db (node->f.path);
  guint64 acked = _motcua_replica_get_acked (node->f.replica);
  MotcuaUuid origin;

  g_assert_cmpuint (acked, ==, motcua_replica_get_last_seq (node->f.replica));
  g_assert_true (motcua_uuid_parse (motcua_replica_get_id (node->f.replica), &origin));

  for (guint64 seq = 1; seq <= acked; seq++)
    {
      gint64 logged = query_int (hub, "SELECT count(*) FROM hub_log WHERE origin = ?1"
                                      " AND seq = ?2", origin.bytes, (gint64) seq);
      gint64 refused = query_int (hub, "SELECT count(*) FROM hub_rejected WHERE origin = ?1"
                                       " AND seq = ?2", origin.bytes, (gint64) seq);
      gint64 waited = query_int (hub, "SELECT count(*) FROM hub_rejected WHERE origin = ?1"
                                      " AND seq = ?2 AND waits", origin.bytes, (gint64) seq);
      gint64 kept = query_int (mine, "SELECT count(*) FROM rejected WHERE seq = ?1", NULL,
                               (gint64) seq);

      if (logged + refused != 1)
        g_error ("seed %u: change %" G_GUINT64_FORMAT " of %s is in the hub's log %"
                 G_GINT64_FORMAT " times and refused %" G_GINT64_FORMAT " times",
                 w->seed, seq, node->office, logged, refused);
      if (kept != refused - waited)
        g_error ("seed %u: change %" G_GUINT64_FORMAT " of %s was %s, and the replica %s",
                 w->seed, seq, node->office,
                 !refused ? "taken" : waited ? "refused as waiting for its case"
                                              : "refused for good",
                 kept ? "keeps it as refused" : "does not keep the refusal");
    }

  sqlite3_close (hub);
  sqlite3_close (mine);
}

/* Adds the receipt numbers of the cases in @path to @holders (number to case id), failing
 * if one names another case there or anywhere seen before. */
static void
collect_receipts (World      *w,
                  GHashTable *holders,
                  const char *path)
{
  sqlite3 *db = open_db (path);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT receipt_no, id FROM cases"
                                           " WHERE receipt_no IS NOT NULL", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *receipt = (const char *) sqlite3_column_text (stmt, 0);
      char id[37];
      const char *holder;

      motcua_uuid_to_string (sqlite3_column_blob (stmt, 1), id);
      holder = g_hash_table_lookup (holders, receipt);
      if (holder == NULL)
        g_hash_table_insert (holders, g_strdup (receipt), g_strdup (id));
      else if (strcmp (holder, id) != 0)
        g_error ("seed %u: receipt number %s is held by cases %s and %s (in %s)", w->seed,
                 receipt, holder, id, path);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* No receipt number is held by two cases anywhere in the province: on the hub, on any
 * replica, or between them (a case the server refused stays on its desk with its number). */
static void
assert_receipts_unique (World *w)
{
  g_autoptr(GHashTable) holders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         g_free);

  collect_receipts (w, holders, w->hub.path);
  for (guint i = 0; i < N_NODES; i++)
    collect_receipts (w, holders, w->nodes[i].f.path);
}

/* Every refusal left on a replica has a way out: it is about a case the server said is not
 * the replica's (the officer sees why; the case is the handling office's now), or the server
 * refused it for a reason this schedule makes on purpose: a write to a case another desk moved
 * out of the replica's scope meanwhile, or the resolution of a conflict on such a case. */
static void
assert_refusals_expected (World *w,
                          Node  *node)
{
  static const char *const expected[] = { "is not in the jurisdiction of",
                                          "may resolve" };
  sqlite3 *db = open_db (node->f.path);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, reason FROM rejected"
                                           " WHERE gone IS NULL", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *reason = (const char *) sqlite3_column_text (stmt, 1);
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
        known |= strstr (reason, expected[i]) != NULL;
      if (!known)
        g_error ("seed %u: %s holds change %lld refused for a reason nothing here makes: %s"
                 " (replica %s)", w->seed, node->office, sqlite3_column_int64 (stmt, 0), reason,
                 node->f.path);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* The world */


static void
world_set_up (World   *w,
              guint32  seed)
{
  /* Two or three desks per office below the province, each enrolled with its own token and
   * given its own desk code. */
  static const struct { const char *office; MotcuaLevel level; } nodes[N_NODES] = {
    { "T", MOTCUA_LEVEL_PROVINCE },
    { "T.D", MOTCUA_LEVEL_DISTRICT },
    { "T.D", MOTCUA_LEVEL_DISTRICT },
    { "T.D.A", MOTCUA_LEVEL_COMMUNE },
    { "T.D.A", MOTCUA_LEVEL_COMMUNE },
    { "T.D.A", MOTCUA_LEVEL_COMMUNE },
    { "T.D.B", MOTCUA_LEVEL_COMMUNE },
    { "T.D.B", MOTCUA_LEVEL_COMMUNE },
  };
  g_autoptr(GError) error = NULL;

  w->seed = seed;
  w->rand = g_rand_new_with_seed (seed);
  motcua_fixture_set_up (&w->hub, NULL);
  w->now_ms = w->hub.now_ms;

  for (guint i = 0; i < N_NODES; i++)
    {
      Node *node = &w->nodes[i];

      node->office = nodes[i].office;
      node->level = nodes[i].level;
      motcua_fixture_set_up_empty (&node->f, node->level, node->office);
      node->token = _motcua_hub_enroll (w->hub.replica, node->office, &error);
      g_assert_no_error (error);
      node->late = g_ptr_array_new_with_free_func ((GDestroyNotify) late_free);
      {
        g_autoptr(MotcuaTransport) transport = _motcua_transport_new_local (w->hub.replica, NULL,
                                                                            node->token);

        g_assert_true (_motcua_sync_bind (node->f.replica, transport, "local:", NULL, &error));
        g_assert_no_error (error);
      }
      node->desk = motcua_replica_open (node->f.path, &error);
      g_assert_no_error (error);
      motcua_replica_set_clock (node->desk, fixture_clock, &node->f);
      motcua_replica_set_officer (node->desk, "Lò Thị Bàn");
      node->officer = node->f.replica;
      sync_node (w, node);
    }

  /* In most seeds the province takes a copy of its store, and later restores it. */
  if (chance (w, 60) && with_restores)
    {
      w->backup_at = 1 + pick (w, N_STEPS / 2);
      w->restore_at = w->backup_at + 1 + pick (w, N_STEPS - w->backup_at - 1);
    }
}

static void
world_tear_down (World *w)
{
  for (guint i = 0; i < N_NODES; i++)
    {
      g_clear_object (&w->nodes[i].desk);
      motcua_fixture_tear_down (&w->nodes[i].f, NULL);
      g_free (w->nodes[i].token);
      g_ptr_array_unref (w->nodes[i].late);
    }
  motcua_fixture_tear_down (&w->hub, NULL);
  g_free (w->backup);
  g_rand_free (w->rand);
}

static void
test_seed (gconstpointer data)
{
  World w = { 0 };
  g_autoptr(GHashTable) hub_rows = NULL;

  world_set_up (&w, GPOINTER_TO_UINT (data));

  w.faults = TRUE;
  for (guint i = 0; i < N_STEPS; i++)
    {
      if (i == w.backup_at && w.backup_at != 0)
        take_backup (&w);
      if (i == w.restore_at && w.restore_at != 0)
        restore_backup (&w);
      step (&w);
    }

  /* The network heals; whatever it still held arrives, then everyone syncs until quiet: two
   * rounds carry every change to the hub and back out; a third proves nothing is left. */
  w.faults = FALSE;
  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < N_NODES; i++)
      {
        w.nodes[i].offline = 0;
        w.nodes[i].skew_ms = 0;
        w.nodes[i].f.now_ms = w.now_ms;
        sync_node (&w, &w.nodes[i]);
      }

  hub_rows = export_rows (w.hub.replica, NULL);
  for (guint i = 0; i < N_NODES; i++)
    {
      Node *node = &w.nodes[i];
      g_autoptr(GHashTable) gone = gone_cases (node);
      g_autoptr(GHashTable) expected = export_rows_but (w.hub.replica, node->office, gone);
      g_autoptr(GHashTable) actual = export_rows_but (node->f.replica, node->office, gone);

      assert_same_rows (&w, node, expected, actual);
      assert_only_refused_left (&w, node);
      assert_nothing_lost (&w, node);
      assert_refusals_expected (&w, node);
    }
  assert_receipts_unique (&w);

  g_test_message ("seed %u: %u cases, %u syncs (%u failed), %u faults, %u same-field edits,"
                  " %" G_GINT64_FORMAT " conflicts, %" G_GINT64_FORMAT " scans (%u removed),"
                  " %u writes during syncs, %u second syncs refused, %u cases moved on,"
                  " %u restores, %u clocks hours ahead",
                  w.seed, ((GPtrArray *) g_hash_table_lookup (hub_rows, "cases"))->len,
                  w.n_syncs, w.n_failed, w.n_faults, w.n_conflicts_made,
                  motcua_test_count (w.hub.replica, "conflicts"),
                  motcua_test_count (w.hub.replica, "attachments"), w.n_removed,
                  w.n_writes_during, w.n_busy, w.n_moved_on, w.n_restores,
                  w.n_hours_ahead);
  world_tear_down (&w);
}

int
main (int   argc,
      char *argv[])
{
#if defined(__SANITIZE_ADDRESS__)
  guint n_seeds = 24;
#else
  guint n_seeds = 120;
#endif
  guint first = 1;
  const char *env;

  /* Replicas on tmpfs when there is one: the faults are the point here, not the fsyncs. */
  if (g_getenv ("TMPDIR") == NULL && g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR)
      && g_access ("/dev/shm", W_OK) == 0)
    g_setenv ("TMPDIR", "/dev/shm", TRUE);

  g_test_init (&argc, &argv, NULL);

  if ((env = g_getenv ("MOTCUA_CONVERGE_SEEDS")) != NULL)
    n_seeds = (guint) g_ascii_strtoull (env, NULL, 10);
  if ((env = g_getenv ("MOTCUA_CONVERGE_FIRST_SEED")) != NULL)
    first = (guint) g_ascii_strtoull (env, NULL, 10);
  if ((env = g_getenv ("MOTCUA_CONVERGE_RESTORE")) != NULL)
    with_restores = g_ascii_strtoull (env, NULL, 10) != 0;
  if ((env = g_getenv ("MOTCUA_CONVERGE_HOURS_AHEAD")) != NULL)
    with_hours_ahead = g_ascii_strtoull (env, NULL, 10) != 0;
  if ((env = g_getenv ("MOTCUA_CONVERGE_WRITES_DURING")) != NULL)
    with_writes_during = g_ascii_strtoull (env, NULL, 10) != 0;

  for (guint s = first; s < first + n_seeds; s++)
    {
      g_autofree char *path = g_strdup_printf ("/converge/seed/%u", s);

      g_test_add_data_func (path, GUINT_TO_POINTER (s), test_seed);
    }

  return g_test_run ();
}
