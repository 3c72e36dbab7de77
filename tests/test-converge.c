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
#include "test-converge.h"

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

gboolean
chance (World *w,
        guint  percent)
{
  return (guint) g_rand_int_range (w->rand, 0, 100) < percent;
}

guint
pick (World *w,
      guint  n)
{
  return (guint) g_rand_int_range (w->rand, 0, (gint32) n);
}

/* Restores of the province's store, clocks hours ahead and writes during syncs run unless
 * turned off (MOTCUA_CONVERGE_RESTORE=0, MOTCUA_CONVERGE_HOURS_AHEAD=0,
 * MOTCUA_CONVERGE_WRITES_DURING=0). */
static gboolean with_restores = TRUE;      /* the province restores its store in most seeds */
gboolean with_hours_ahead = TRUE;          /* clocks run hours ahead, then are set right */
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
  /* Not while a pull is asked for: the batch before may be being applied meanwhile (in a
   * thread of its own), which would change the replica under the check that the refused
   * sync changed nothing. */
  if (self->second_sync && strstr (x->path_and_query, "/v1/pull") == NULL && chance (w, 50))
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

static void
assert_sums_kept (World         *w,
                  MotcuaReplica *replica,
                  const char    *office)
{
  g_autofree char *kept = NULL;
  g_autofree char *counted = NULL;

  if (!motcua_test_digest_kept (replica, office, &kept, &counted))
    g_error ("seed %u: the digest sums kept in %s for %s are %s, a count gives %s", w->seed,
             motcua_replica_get_path (replica), office, kept, counted);
}

/* One sync through the fault layer. With faults, a sync may fail, but only as a network
 * failure would make it fail; without, it must succeed and verify. */
void
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
      /* The sums kept as rows are written are what counting every row gives, on both sides:
       * never found stale by a sync, and the same as a count after it. */
      if (summary.recounted)
        g_error ("seed %u: %s found its digest sums stale", w->seed, node->office);
      assert_sums_kept (w, node->f.replica, node->office);
      assert_sums_kept (w, w->hub.replica, node->office);
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
                  " %u restores, %u clocks hours ahead, %" G_GINT64_FORMAT " forwarded"
                  " (%" G_GINT64_FORMAT " left their receiving commune)",
                  w.seed, ((GPtrArray *) g_hash_table_lookup (hub_rows, "cases"))->len,
                  w.n_syncs, w.n_failed, w.n_faults, w.n_conflicts_made,
                  motcua_test_count (w.hub.replica, "conflicts"),
                  motcua_test_count (w.hub.replica, "attachments"), w.n_removed,
                  w.n_writes_during, w.n_busy, w.n_moved_on, w.n_restores,
                  w.n_hours_ahead,
                  /* motcua_test_count() reads "SELECT count(*) FROM" what it is given. */
                  motcua_test_count (w.hub.replica, "cases WHERE return_at IS NOT NULL"),
                  motcua_test_count (w.hub.replica, "cases WHERE return_at = 'deciding'"
                                                    " AND returned_at IS NOT NULL"));
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
