/* test-hub-restore.c: writes during a sync, a restored hub, refused changes retried or discarded
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

void
test_hub_restore_add_tests (void)
{
  HUB_ADD ("/hub/refused-retry", test_refused_retry);
  HUB_ADD ("/hub/refused-discard", test_refused_discard);
  HUB_ADD ("/hub/refused-discard-gone", test_refused_discard_gone);
  HUB_ADD ("/hub/writes-during-sync", test_writes_during_sync);
  HUB_ADD ("/hub/purged-rowid-reused", test_purged_rowid_reused);
  HUB_ADD ("/hub/restored-server", test_restored_server);
  HUB_ADD ("/hub/restore-gives-nothing-twice", test_restore_gives_nothing_twice);
  HUB_ADD ("/hub/restore-change-waits-for-case", test_restore_change_waits_for_case);
  HUB_ADD ("/hub/restore-case-back-elsewhere", test_restore_case_back_elsewhere);
  HUB_ADD ("/hub/restore-desk-enrolled-since", test_restore_desk_enrolled_since);
}
