/* test-hub-digest.c: the digest's sums, kept as rows are written, and their check
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <sqlite3.h>

#include "motcua-test-transport.h"
#include "test-hub.h"

static MotcuaSyncProgress
sync_verified (Province      *p,
               MotcuaFixture *f,
               const char    *token)
{
  MotcuaSyncProgress summary = sync_once (p, f, token);

  g_assert_true (summary.verified);

  return summary;
}

static void
assert_kept (MotcuaReplica *replica,
             const char    *office)
{
  g_autofree char *kept = NULL;
  g_autofree char *counted = NULL;

  motcua_test_digest_kept (replica, office, &kept, &counted);
  g_assert_cmpstr (kept, ==, counted);
}

/* How many events the timeline of case @id holds on @replica. */
static guint
n_events (MotcuaReplica *replica,
          const char    *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = motcua_replica_list_case_events (replica, id, &error);

  g_assert_no_error (error);

  return events->len;
}

/* Deletes the last row of the timelines @replica holds, behind the library's back. */
#define DELETE_LAST_EVENT \
  "DELETE FROM case_events WHERE rid = (SELECT max(rid) FROM case_events);"

/* Runs @sql on @replica's file through a connection of its own: behind the library's back, as
 * another program or a damaged disk would, without the triggers that keep the sums. */
static void
write_behind (MotcuaReplica *replica,
              const char    *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (motcua_replica_get_path (replica), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The sums follow every kind of write on every side: receptions, an edit, a transfer that
 * moves a case (its row, timeline and all) to another bucket. */
static void
test_digest_kept (Province      *p,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) kept = receive (&p->a, "Lò Văn Pằng");
  g_autoptr(MotcuaCase) moved = receive (&p->a, "Tòng Thị Xuân");
  MotcuaSyncProgress summary;

  g_assert_true (motcua_replica_edit_case (p->a.replica, kept->id, "phone", "0912345678",
                                           NULL, &error));
  g_assert_no_error (error);
  summary = sync_verified (p, &p->a, p->token_a);
  g_assert_false (summary.recounted);
  sync_verified (p, &p->d, p->token_d);

  g_assert_true (motcua_replica_transfer_case (p->d.replica, moved->id, "T.D.B", NULL,
                                               &error));
  g_assert_no_error (error);
  summary = sync_verified (p, &p->d, p->token_d);
  g_assert_false (summary.recounted);
  summary = sync_verified (p, &p->a, p->token_a);
  g_assert_false (summary.recounted);

  assert_kept (p->a.replica, "T.D.A");
  assert_kept (p->d.replica, "T.D");
  for (const char *const *office = (const char *const[]) { "T", "T.D", "T.D.A", "T.D.B", NULL };
       *office != NULL; office++)
    assert_kept (p->hub.replica, *office);
}

/* Sums damaged without the rows changing: the sync finds its digest differs, counts it again,
 * and agrees with the server without pulling anything again. */
static void
test_digest_stale_sums (Province      *p,
                        gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lò Văn Pằng");
  g_autoptr(GError) error = NULL;
  MotcuaSyncProgress summary;

  sync_verified (p, &p->a, p->token_a);
  g_assert_true (_motcua_replica_exec (p->a.replica,
                                       "UPDATE digest_sums SET sum = randomblob (16)", &error));
  g_assert_no_error (error);

  summary = sync_verified (p, &p->a, p->token_a);
  g_assert_true (summary.recounted);
  g_assert_false (summary.repulled);
  assert_kept (p->a.replica, "T.D.A");

  summary = sync_verified (p, &p->a, p->token_a);
  g_assert_false (summary.recounted);
}

/* A row deleted behind the library's back is invisible to the kept sums; the daily count from
 * every row sees it, and the scope is pulled again. */
static void
test_digest_written_behind (Province      *p,
                            gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lò Văn Pằng");
  MotcuaSyncProgress summary;
  guint held;

  sync_verified (p, &p->a, p->token_a);
  held = n_events (p->a.replica, c->id);

  write_behind (p->a.replica, DELETE_LAST_EVENT
                              "DELETE FROM meta WHERE key = 'digest_recounted_at'");
  summary = sync_verified (p, &p->a, p->token_a);
  g_assert_true (summary.recounted);
  g_assert_true (summary.repulled);
  g_assert_cmpuint (n_events (p->a.replica, c->id), ==, held);
  assert_kept (p->a.replica, "T.D.A");
}

/* A row deleted from the server's store behind its back (by hand, the server stopped): its
 * sums still count it, so desks holding the row agree with it, until the server counts them
 * again, as motcua-server does when it starts to serve. Then the desk pulls its scope again
 * and lets the row go. */
static void
test_digest_server_counts (Province      *p,
                           gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lò Văn Pằng");
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaHub) hub = NULL;
  MotcuaSyncProgress summary;
  guint held;

  sync_verified (p, &p->a, p->token_a);
  held = n_events (p->a.replica, c->id);

  write_behind (p->hub.replica, DELETE_LAST_EVENT);
  summary = sync_verified (p, &p->a, p->token_a);
  g_assert_false (summary.repulled);

  hub = motcua_hub_new (p->hub.replica, &error);
  g_assert_no_error (error);
  g_assert_true (motcua_hub_count_digests (hub, &error));
  g_assert_no_error (error);
  summary = sync_verified (p, &p->a, p->token_a);
  g_assert_true (summary.repulled);
  g_assert_false (summary.recounted);
  g_assert_cmpuint (n_events (p->a.replica, c->id), ==, held - 1);
  assert_kept (p->hub.replica, "T.D.A");
}

void
test_hub_digest_add_tests (void)
{
  HUB_ADD ("/hub/digest/kept", test_digest_kept);
  HUB_ADD ("/hub/digest/stale-sums", test_digest_stale_sums);
  HUB_ADD ("/hub/digest/written-behind", test_digest_written_behind);
  HUB_ADD ("/hub/digest/server-counts", test_digest_server_counts);
}
