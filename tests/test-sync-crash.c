/* test-sync-crash.c: SIGKILL of the client and of the server during sync
 *
 * A province store served by motcua-server on 127.0.0.1, with a district LC.NN and two of its
 * communes; a replica enrolled with motcua-cli for each commune (A and B) and one for the
 * district (D), which pulls all that the communes push. Each round makes local changes with
 * motcua-cli (an import of hundreds of cases, receptions, edits, status steps, transfers between
 * the communes, and now and then cases for the other commune, which the server must refuse),
 * starts `motcua-cli sync` on some replicas at once and, after a random delay, kills some of them
 * with SIGKILL, or kills the server and starts it again on the same store. After every kill the
 * three replicas and the store pass PRAGMA integrity_check, and a clean sync of each succeeds,
 * verified by the server's integrity digest.
 *
 * Every EPOCH_ROUNDS rounds everything is checked against a model of what was written: each case
 * exactly once wherever it belongs (by receipt number, with one id everywhere), each field with
 * its last value, each accepted change once on the server and each refused one kept on its
 * replica as rejected, and `export --canonical` of each replica equal to the server's restricted
 * to the replica's scope. Then a new province starts, so that syncs stay short.
 *
 * Rounds: $MOTCUA_CRASH_ROUNDS (a soak: MOTCUA_CRASH_ROUNDS=2000), else 1000 with -m slow,
 * else 100 (30 under AddressSanitizer, whose processes are several times slower); one to three
 * kills each. Unless asked for by number, the rounds stop early, at the end of an epoch, once
 * 180 s (480 s under AddressSanitizer) have passed, so that a machine busy with other work
 * still finishes within the suite's timeout. The seed is printed; $MOTCUA_CRASH_SEED replays the
 * same operations (where the kills land depends on timing). There are no timing assertions: the
 * delays only spread the kills over push, pull and the digest. The files are on /dev/shm when
 * there is one: a SIGKILL leaves what was written in the page cache, so the disk's fsync adds
 * nothing to what is tested here, only time.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "motcua-test-server.h"
#include "motcua-test-utils.h"
#include "test-sync-crash.h"

static const char *const phase_names[N_PHASES] = {
  "status/first push", "push", "pull", "digest/purge", "after the end",
};

static void
case_free (Case *c)
{
  g_free (c->receipt);
  g_free (c->name);
  g_free (c->phone);
  g_free (c->address);
  g_free (c);
}

/* Processes */

/* Each process dies with the test, whatever happens to the test. */
GSubprocessLauncher *
launcher_new (Epoch           *e,
              GSubprocessFlags flags)
{
  return motcua_test_launcher_new (e->dir, flags, "C.UTF-8");
}

static GPtrArray *
argv_new (const char *program)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (program);
  g_ptr_array_add (argv, g_strdup (program));

  return argv;
}

static void
argv_add_valist (GPtrArray  *argv,
                 const char *first,
                 va_list     args)
{
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (a));
}

/* Runs @argv to its end; its exit status, and its standard output in @out. */
static int
run_argv (Epoch      *e,
          GPtrArray  *argv,
          char      **out)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(MotcuaTestRun) result = NULL;

  g_ptr_array_add (argv, NULL);
  launcher = launcher_new (e, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  result = motcua_test_run (launcher, (const char *const *) argv->pdata);
  if (result->status != 0)
    {
      g_autofree char *line = g_strjoinv (" ", (char **) argv->pdata);

      g_test_message ("%s: exit %d; stderr: %s", line, result->status, result->err);
    }
  if (out != NULL)
    *out = g_steal_pointer (&result->out);

  return result->status;
}

/* motcua-cli --db @db @first…: must succeed; its standard output. */
char *
cli (Epoch      *e,
     const char *db,
     const char *first,
     ...)
{
  g_autoptr(GPtrArray) argv = argv_new (g_getenv ("MOTCUA_CLI"));
  char *out = NULL;
  va_list args;

  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (db));
  va_start (args, first);
  argv_add_valist (argv, first, args);
  va_end (args);
  g_assert_cmpint (run_argv (e, argv, &out), ==, 0);

  return out;
}

/* motcua-server --store STORE @first…: must succeed; its standard output. */
static char *
admin (Epoch      *e,
       const char *first,
       ...) G_GNUC_NULL_TERMINATED;

static char *
admin (Epoch      *e,
       const char *first,
       ...)
{
  g_autoptr(GPtrArray) argv = argv_new (g_getenv ("MOTCUA_SERVER"));
  char *out = NULL;
  va_list args;

  g_ptr_array_add (argv, g_strdup ("--store"));
  g_ptr_array_add (argv, g_strdup (e->store));
  va_start (args, first);
  argv_add_valist (argv, first, args);
  va_end (args);
  g_assert_cmpint (run_argv (e, argv, &out), ==, 0);

  return out;
}

static void
write_config (Epoch *e)
{
  g_autoptr(GError) error = NULL;
  /* No rate limit: the syncs come back to back. Small pulls: a kill can land between
   * batches. */
  g_autofree char *text = g_strdup_printf ("[server]\nlisten=127.0.0.1\nport=%u\n"
                                           "requests-per-second=0\nmax-changes-per-pull=400\n",
                                           e->port);

  g_file_set_contents (e->config, text, -1, &error);
  g_assert_no_error (error);
}

/* Serves the store: on a port of the system's choosing the first time, then on the same one,
 * which the replicas were enrolled with. */
void
server_start (Epoch *e)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *log = g_strdup_printf ("%s/server-%u.log", e->dir, e->server_starts++);
  g_autofree char *url = NULL;
  const char *argv[] = { g_getenv ("MOTCUA_SERVER"), "--config", e->config, "--store", e->store,
                         "serve", NULL };

  g_assert_null (e->server);
  write_config (e);
  launcher = launcher_new (e, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  e->server = motcua_test_server_spawn (launcher, argv, log, &url);
  g_assert_true (g_str_has_prefix (url, "http://"));
  if (e->port == 0)
    {
      e->url = g_steal_pointer (&url);
      e->port = motcua_test_url_port (e->url);
    }
  else
    g_assert_cmpstr (url, ==, e->url);
}

void
server_kill (Epoch *e)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (e->server, SIGKILL);
  g_subprocess_wait (e->server, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (e->server));
  g_clear_object (&e->server);
}

/* SIGTERM: the server finishes and exits 0, saying so (under AddressSanitizer, its leak check
 * passed too). */
void
server_stop (Epoch *e)
{
  g_autofree char *log = g_strdup_printf ("%s/server-%u.log", e->dir, e->server_starts - 1);

  g_free (motcua_test_server_stop (e->server, log));
  g_clear_object (&e->server);
}

/* SQLite */

sqlite3 *
db_open (const char *path)
{
  sqlite3 *db = NULL;

  /* Read-only: the check changes nothing, not even by checkpointing a WAL left by a kill. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 60000);

  return db;
}

sqlite3_stmt *
db_prepare (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));

  return stmt;
}

gint64
db_int (sqlite3    *db,
        const char *sql)
{
  sqlite3_stmt *stmt = db_prepare (db, sql);
  gint64 v;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return v;
}

static void
assert_integrity (const char *path)
{
  sqlite3 *db = db_open (path);
  sqlite3_stmt *stmt = db_prepare (db, "PRAGMA integrity_check");

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    g_error ("%s: integrity_check: %s", path, sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

void
assert_all_integrity (Epoch *e)
{
  assert_integrity (e->store);
  for (guint r = 0; r < N_REPLICAS; r++)
    assert_integrity (e->db[r]);
}

/* The world */

static Epoch *
epoch_new (guint number)
{
  Epoch *e = g_new0 (Epoch, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *datadir = g_strdup (g_getenv ("MOTCUA_SOURCE_DATADIR"));
  g_autofree char *catalogue = g_build_filename (datadir, "catalogue.json", NULL);
  char *tokens[N_REPLICAS] = { NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  e->number = number;
  if (g_access ("/dev/shm", W_OK) == 0)
    {
      e->dir = g_strdup ("/dev/shm/test-sync-crash-XXXXXX");
      g_assert_nonnull (g_mkdtemp (e->dir));
    }
  else
    {
      e->dir = g_dir_make_tmp ("test-sync-crash-XXXXXX", &error);
      g_assert_no_error (error);
    }
  e->store = g_build_filename (e->dir, "province.db", NULL);
  e->config = g_build_filename (e->dir, "server.conf", NULL);
  e->cases = g_ptr_array_new_with_free_func ((GDestroyNotify) case_free);
  for (guint r = 0; r < N_REPLICAS; r++)
    e->db[r] = g_strdup_printf ("%s/%s.db", e->dir, replica_info[r].name);

  launcher = launcher_new (e, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  motcua_test_make_lc_store (launcher, e->store,
                             (const char *const[]) { "LC.NN.NM", "LC.NN.NH", NULL });
  g_free (admin (e, "publish", "catalogue", catalogue, NULL));
  for (guint r = 0; r < N_REPLICAS; r++)
    tokens[r] = g_strchomp (admin (e, "replicas", "enroll", replica_info[r].office, NULL));

  server_start (e);
  for (guint r = 0; r < N_REPLICAS; r++)
    {
      g_free (cli (e, e->db[r], "enroll", "--server", e->url, "--token", tokens[r], NULL));
      g_free (cli (e, e->db[r], "sync", NULL));
      g_free (tokens[r]);
    }

  return e;
}

static void
epoch_free (Epoch *e)
{
  g_assert_null (e->server);
  motcua_test_rm_rf (e->dir);
  g_free (e->dir);
  g_free (e->store);
  g_free (e->config);
  g_free (e->url);
  for (guint r = 0; r < N_REPLICAS; r++)
    g_free (e->db[r]);
  g_ptr_array_unref (e->cases);
  g_free (e);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Epoch, epoch_free)

static void
test_kill_during_sync (void)
{
  const char *rounds_text = g_getenv ("MOTCUA_CRASH_ROUNDS");
  const char *seed_text = g_getenv ("MOTCUA_CRASH_SEED");
  Run run = { NULL };
  guint rounds, done = 0, epochs = 0;
  gint64 start = g_get_monotonic_time ();
  gint64 budget_s;

#ifdef __SANITIZE_ADDRESS__
  rounds = 30;
  budget_s = 480;
#else
  rounds = 100;
  budget_s = 180;
#endif
  if (g_test_slow ())
    rounds = 1000;
  /* Asked for by number: all of them, however long they take. */
  if (rounds_text != NULL)
    {
      rounds = (guint) g_ascii_strtoull (rounds_text, NULL, 10);
      budget_s = G_MAXINT64;
    }
  run.seed = seed_text != NULL ? (guint32) g_ascii_strtoull (seed_text, NULL, 10)
                               : g_random_int ();
  g_test_message ("seed %u (MOTCUA_CRASH_SEED=%u replays it), %u rounds", run.seed, run.seed,
                  rounds);
  run.rand = g_rand_new_with_seed (run.seed);
  for (guint r = 0; r < N_REPLICAS; r++)
    run.estimate_us[r] = 300 * 1000;

  /* On a machine busy with other work, the suite stops at the end of an epoch once its time is
   * up (a bound on its run time, not an assertion): it says how many rounds it ran. */
  while (done < rounds && (g_get_monotonic_time () - start) / G_USEC_PER_SEC < budget_s)
    {
      g_autoptr(Epoch) e = epoch_new (epochs++);

      for (guint i = 0; i < EPOCH_ROUNDS && done < rounds
           && (g_get_monotonic_time () - start) / G_USEC_PER_SEC < budget_s; i++, done++)
        {
          run.round++;
          local_work (&run, e);
          kill_round (&run, e);
        }
      verify_epoch (&run, e);
    }

  g_test_message ("%u rounds in %u provinces, %.0f s: %u cases (%u refused), %u clients and %u"
                  " servers killed", done, epochs,
                  (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC, run.cases,
                  run.refused_cases, run.client_kills, run.server_kills);
  for (guint p = 0; p < N_PHASES; p++)
    g_test_message ("  kills landing in %s: %u", phase_names[p], run.phases[p]);
  g_rand_free (run.rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crash/kill-during-sync", test_kill_during_sync);

  return g_test_run ();
}
