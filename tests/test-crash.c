/* test-crash.c: a kill at any instant loses a whole transaction or nothing
 *
 * motcua-cli imports a file of cases in one transaction and is killed with SIGKILL at random
 * moments. After each kill the replica must open, pass SQLite's integrity check, hold all of the
 * file's cases or none, with a change log that matches them, and importing again must finish the
 * job without duplicating anything.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <sqlite3.h>
#include <string.h>

#include "motcua-test-utils.h"

#define N_CASES 1500

static int
run_cli (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                                         | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                                   &error);

  g_assert_no_error (error);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);

  return g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

static char *
write_cases (const char *dir)
{
  g_autoptr(GString) json = g_string_new ("{\"format\":\"motcua-cases\",\"version\":1,\"cases\":[");
  g_autofree char *path = g_build_filename (dir, "cases.json", NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_CASES; i++)
    g_string_append_printf (json,
                            "%s{\"receipt_no\":\"CRASH-%05u\",\"procedure\":\"MAU.HT.001\","
                            "\"receiving_office\":\"LC.NN.NM\",\"applicant\":{\"name\":"
                            "\"Lò Văn Pằng %u\",\"citizen_id\":\"0120890%05u\"},"
                            "\"channel\":\"online\",\"received_at\":"
                            "\"2025-03-03T09:00:00+07:00\",\"status\":\"received\"}",
                            i ? "," : "", i, i, i);
  g_string_append (json, "]}");
  g_file_set_contents (path, json->str, -1, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return v;
}

/* The replica after a kill: whole, and all of the batch or none of it. Returns the cases. */
static gint64
check_replica (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaReplica) replica = motcua_replica_open (path, &error);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 cases, all_cases, events, changes, seq;

  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  cases = query_int (db, "SELECT count(*) FROM cases WHERE receipt_no LIKE 'CRASH-%'");
  all_cases = query_int (db, "SELECT count(*) FROM cases");
  events = query_int (db, "SELECT count(*) FROM case_events");
  changes = query_int (db, "SELECT coalesce (sum (n), 0) FROM changes WHERE origin = 1");
  seq = query_int (db, "SELECT coalesce (max (seq + n - 1), 0) FROM changes WHERE origin = 1");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM (SELECT receipt_no FROM cases"
                                  " GROUP BY receipt_no HAVING count(*) > 1)"), ==, 0);
  sqlite3_close (db);

  g_assert_true (cases == 0 || cases == N_CASES);
  /* Every case has exactly its one event: received or imported. */
  g_assert_cmpint (events, ==, all_cases);
  /* The log has no gap and the replica's counter agrees with it. */
  g_assert_cmpint (changes, ==, seq);
  g_assert_cmpuint (motcua_replica_get_last_seq (replica), ==, (guint64) seq);

  return cases;
}

/* A replica of Nậm Manh at @db with the sample offices and catalogue, made by the tool. */
static void
init_replica (const char *db)
{
  const char *cli = g_getenv ("MOTCUA_CLI");
  const char *datadir = g_getenv ("MOTCUA_SOURCE_DATADIR");
  g_autofree char *offices = g_build_filename (datadir, "offices.json", NULL);
  g_autofree char *catalogue = g_build_filename (datadir, "catalogue.json", NULL);
  const char *init[] = { cli, "--db", db, "init", "--office", "LC.NN.NM", "--offices", offices,
                         NULL };
  const char *cat[] = { cli, "--db", db, "catalogue", "import", catalogue, NULL };

  g_assert_nonnull (cli);
  g_assert_cmpint (run_cli (init), ==, 0);
  g_assert_cmpint (run_cli (cat), ==, 0);
}

static void
test_kill_during_import (void)
{
  const char *cli = g_getenv ("MOTCUA_CLI");
  g_autofree char *dir = g_dir_make_tmp ("motcua-test-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "replica.db", NULL);
  g_autofree char *cases = write_cases (dir);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20251123);
  guint rounds = g_test_slow () ? 300 : 25;
  guint completed = 0, lost = 0;
  gint64 duration_us;

  init_replica (db);

  /* How long an import takes here, to spread the kills over it. */
  {
    g_autofree char *probe = g_build_filename (dir, "probe.db", NULL);
    const char *imp[] = { cli, "--db", probe, "cases", "import", cases, NULL };
    gint64 start;

    init_replica (probe);
    start = g_get_monotonic_time ();
    g_assert_cmpint (run_cli (imp), ==, 0);
    duration_us = g_get_monotonic_time () - start;
    g_assert_cmpint (check_replica (probe), ==, N_CASES);
  }

  /* Each round starts from the same replica, a copy of the one set up above, so every kill
   * lands somewhere in one import. */
  for (guint round = 0; round < rounds; round++)
    {
      g_autofree char *copy = g_strdup_printf ("%s/round-%u.db", dir, round);
      const char *argv[] = { cli, "--db", copy, "cases", "import", cases, NULL };
      g_autofree char *bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) proc = NULL;
      gsize len;

      g_file_get_contents (db, &bytes, &len, &error);
      g_assert_no_error (error);
      g_file_set_contents (copy, bytes, (gssize) len, &error);
      g_assert_no_error (error);

      proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                      | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
      g_assert_no_error (error);
      g_usleep ((gulong) g_rand_int_range (rand, 0,
                                           (gint32) MIN (duration_us * 6 / 5, G_MAXINT32)));
      g_subprocess_force_exit (proc);
      g_subprocess_wait (proc, NULL, &error);
      g_assert_no_error (error);

      if (check_replica (copy) == N_CASES)
        {
          completed++;
          /* Done: a repeat refuses (the numbers exist) and changes nothing. */
          g_assert_cmpint (run_cli (argv), ==, 2);
          g_assert_cmpint (check_replica (copy), ==, N_CASES);
        }
      else
        {
          lost++;
          /* Lost whole: importing again finishes the job, once. */
          g_assert_cmpint (run_cli (argv), ==, 0);
          g_assert_cmpint (check_replica (copy), ==, N_CASES);
        }
    }

  g_test_message ("%u kills lost the import whole, %u came after it was saved", lost, completed);

  motcua_test_rm_rf (dir);
}

/* Single receptions, each its own transaction, killed at random: every receipt the tool printed
 * is in the replica; nothing is there twice. */
static void
test_kill_during_receptions (void)
{
  const char *cli = g_getenv ("MOTCUA_CLI");
  g_autofree char *dir = g_dir_make_tmp ("motcua-test-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "replica.db", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (24112026);
  g_autoptr(GPtrArray) printed = g_ptr_array_new_with_free_func (g_free);
  guint rounds = g_test_slow () ? 300 : 30;

  init_replica (db);

  for (guint round = 0; round < rounds; round++)
    {
      g_autofree char *cid = g_strdup_printf ("0120890%05u", round);
      const char *argv[] = { cli, "--db", db, "--json", "cases", "receive", "--procedure",
                             "MAU.HT.001", "--name", "Vàng Thị Mai", "--citizen-id", cid, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) proc = NULL;
      g_autofree char *out = NULL;

      proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                      | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
      g_assert_no_error (error);
      if (g_rand_boolean (rand))
        {
          g_usleep ((gulong) g_rand_int_range (rand, 0, 30000));
          g_subprocess_force_exit (proc);
        }
      g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);

      /* A receipt handed over (printed) must survive. */
      if (out != NULL && strstr (out, "LC.NN.NM-") != NULL)
        {
          const char *start = strstr (out, "LC.NN.NM-");

          g_ptr_array_add (printed, g_strndup (start, strlen ("LC.NN.NM-2025-000001")));
        }
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MotcuaReplica) replica = motcua_replica_open (db, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < printed->len; i++)
      {
        g_autoptr(MotcuaCase) c = motcua_replica_dup_case (replica, printed->pdata[i], &error);

        g_assert_no_error (error);
      }
  }
  check_replica (db);

  motcua_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crash/kill-during-import", test_kill_during_import);
  g_test_add_func ("/crash/kill-during-receptions", test_kill_during_receptions);

  return g_test_run ();
}
