/* motcua-bench.c: how fast a replica is, in the figures the design promises
 *
 *   motcua-bench [--db PATH] [--workdir DIR] [WHICH…]
 *
 * WHICH is any of fsync, receive-single, receive-bulk, search, report, export, size (all by
 * default). fsync and the receive benchmarks work on fresh replicas in the work directory;
 * search, report, export and size read the province replica at --db (made by motcua-bench-gen).
 * Each figure is printed for people and once more as "RESULT name value unit".
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "motcua-bench-data.h"
#include "motcua-bench-util.h"
#include "motcua-replica-private.h"
#include "motcua-bench.h"

/* --sqlite-pragma: an experiment, not the library as it is. */
static char **experiment_pragmas;

static int
apply_experiment_pragmas (sqlite3                           *db,
                          char                             **error_message,
                          const struct sqlite3_api_routines *api)
{
  for (guint i = 0; experiment_pragmas[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA %s", experiment_pragmas[i]);
      int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

      if (rc != SQLITE_OK)
        {
          *error_message = sqlite3_mprintf ("%s: %s", sql, sqlite3_errmsg (db));
          return rc;
        }
    }

  return SQLITE_OK;
}

G_NORETURN void
die (const char   *what,
     const GError *error)
{
  g_printerr ("motcua-bench: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (goffset) st.st_size : 0;
}

/* 1. fsync: the disk's durable-write rate, the ceiling of one-transaction-per-case writes. */

static void
bench_fsync (Bench *bench)
{
  g_autofree char *path = g_build_filename (bench->workdir, "fsync.bin", NULL);
  g_autofree char *block = g_malloc (4096);
  struct statfs fs;
  gint64 start, deadline;
  guint64 n = 0;
  double elapsed;
  int fd;

  g_print ("\n== fsync: 4 KiB write + fdatasync in %s ==\n", bench->workdir);
  if (statfs (bench->workdir, &fs) == 0)
    {
      g_print ("  file system type 0x%lx%s\n", (unsigned long) fs.f_type,
               fs.f_type == TMPFS_MAGIC_ ? " (tmpfs: nothing reaches a disk, figures mean little)"
                                         : "");
    }

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    g_error ("cannot open %s: %s", path, g_strerror (errno));
  memset (block, 'm', 4096);

  /* A WAL is rewritten in place once it has grown: preallocate 4 MiB and cycle over it, so
   * each fdatasync flushes data, not file size. */
  for (guint i = 0; i < 1024; i++)
    if (write (fd, block, 4096) != 4096)
      g_error ("cannot write %s: %s", path, g_strerror (errno));
  if (fsync (fd) != 0)
    g_error ("cannot fsync %s: %s", path, g_strerror (errno));

  start = g_get_monotonic_time ();
  deadline = start + (gint64) (FSYNC_SECONDS * G_USEC_PER_SEC);
  while (g_get_monotonic_time () < deadline)
    {
      block[0] = (char) n;
      if (pwrite (fd, block, 4096, (off_t) (n % 1024) * 4096) != 4096)
        g_error ("cannot write %s: %s", path, g_strerror (errno));
      if (fdatasync (fd) != 0)
        g_error ("cannot fdatasync %s: %s", path, g_strerror (errno));
      n++;
    }
  elapsed = motcua_bench_seconds_since (start);
  close (fd);
  g_unlink (path);

  bench->fsync_rate = n / elapsed;
  g_print ("  %" G_GUINT64_FORMAT " durable writes in %.2f s: %.0f/s, %.0f µs each\n", n, elapsed,
           bench->fsync_rate, 1e6 * elapsed / n);
  motcua_bench_result ("fsync", bench->fsync_rate, "ops/s");
}

/* 1b. sqlite-floor: the cheapest durable SQLite write with the replica's settings (WAL,
 * synchronous=FULL): one 400-byte row into a table with no index, one transaction each. No
 * reception, which writes a dozen B-trees, can beat it: it is the ceiling under the fsync rate. */

static void
bench_sqlite_floor (Bench *bench)
{
  g_autofree char *path = g_build_filename (bench->workdir, "floor.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  char payload[401];
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;
  gint64 start, deadline;
  guint64 n = 0;
  double elapsed, rate;

  g_print ("\n== sqlite-floor: one 400-byte row per durable transaction (WAL, FULL) ==\n");
  memset (payload, 'x', 400);
  payload[400] = '\0';

  if (sqlite3_open (path, &db) != SQLITE_OK
      || sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                       "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", NULL, NULL, NULL)
         != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO t (v) VALUES (?1)", -1, &insert, NULL) != SQLITE_OK)
    g_error ("sqlite-floor: %s", sqlite3_errmsg (db));

  start = g_get_monotonic_time ();
  deadline = start + (gint64) (FSYNC_SECONDS * G_USEC_PER_SEC);
  while (g_get_monotonic_time () < deadline)
    {
      sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      sqlite3_bind_text (insert, 1, payload, 400, SQLITE_STATIC);
      if (sqlite3_step (insert) != SQLITE_DONE)
        g_error ("sqlite-floor: %s", sqlite3_errmsg (db));
      sqlite3_reset (insert);
      if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        g_error ("sqlite-floor: %s", sqlite3_errmsg (db));
      n++;
    }
  elapsed = motcua_bench_seconds_since (start);
  sqlite3_finalize (insert);
  sqlite3_close (db);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);

  rate = n / elapsed;
  g_print ("  %" G_GUINT64_FORMAT " transactions in %.2f s: %.0f/s", n, elapsed, rate);
  if (bench->fsync_rate > 0)
    g_print (", %.0f %% of the fsync rate", 100.0 * rate / bench->fsync_rate);
  g_print ("\n");
  motcua_bench_result ("sqlite-floor", rate, "tx/s");
  if (bench->fsync_rate > 0)
    motcua_bench_result ("sqlite-floor-vs-fsync", 100.0 * rate / bench->fsync_rate, "%");
}

/* 3b. bulk-floor: what SQLite alone costs for the rows a reception writes, with the replica's
 * schema and settings but none of the library's work (no validation, lookups, dates, receipt
 * numbers or registers): the case row and its seven indexes, the timeline event and its two, two
 * change records, and the full-text entries at commit. A bulk reception cannot beat it. */

#define FLOOR_CASES 100000

static void
bench_bulk_floor (Bench *bench)
{
  g_autofree char *path = g_build_filename (bench->workdir, "bulk-floor.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  GRand *rand = bench->rand;
  MotcuaReplica *replica;
  sqlite3 *db = NULL;
  sqlite3_stmt *ins_case = NULL, *ins_event = NULL, *ins_change = NULL, *ins_fts = NULL;
  guint8 office[16], procedures[80][16], fields[300];
  gint64 start;
  double elapsed;

  g_print ("\n== bulk-floor: the rows of %d receptions, raw SQLite, one transaction ==\n",
           FLOOR_CASES);

  replica = motcua_replica_create (path, "P", MOTCUA_LEVEL_PROVINCE, &error);
  if (replica == NULL)
    g_error ("bulk-floor: %s", error->message);
  g_object_unref (replica);

  for (guint i = 0; i < 16; i++)
    office[i] = (guint8) g_rand_int (rand);
  for (guint p = 0; p < 80; p++)
    for (guint i = 0; i < 16; i++)
      procedures[p][i] = (guint8) g_rand_int (rand);
  for (guint i = 0; i < sizeof fields; i++)
    fields[i] = (guint8) g_rand_int (rand);

  if (sqlite3_open (path, &db) != SQLITE_OK
      || !_motcua_fts_register (db, NULL)
      || sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                       "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
                       "PRAGMA cache_size = -32768", NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO cases (id, receipt_no, procedure_id,"
                             " receiving_office_id, handling_office_id, applicant_name,"
                             " citizen_id, phone, address, channel, received_at, clock_start,"
                             " due_date, status, status_gen, papers, deleted, _clk, _seq)"
                             " VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8, 'online', ?9, ?10, ?11,"
                             " 'received', 0, '[0,1]', 0, ?12, ?13)", -1, &ins_case, NULL)
         != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO case_events (id, case_id, at, replica, officer,"
                             " action, detail) VALUES (?1, ?2, ?3, 'r', 'o', 'received', ?4)",
                             -1, &ins_event, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO changes (origin, seq, n, hlc, tbl, row, fields)"
                             " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)", -1, &ins_change, NULL)
         != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO cases_fts (rowid, applicant_name, citizen_id,"
                             " phone) VALUES (?1, ?2, ?3, ?4)", -1, &ins_fts, NULL) != SQLITE_OK)
    g_error ("bulk-floor: %s", sqlite3_errmsg (db));

  start = g_get_monotonic_time ();
  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  for (guint i = 0; i < FLOOR_CASES; i++)
    {
      MotcuaUuid case_id, event_id;
      char receipt[32], name[64], cid[16];
      gint64 rid, hlc = ((gint64) 1735689600000 + i) << 16;

      motcua_uuid_v7_at (&case_id, 1735689600000 + i);
      motcua_uuid_v7_at (&event_id, 1735689600000 + i);
      g_snprintf (receipt, sizeof receipt, "P.D01.C01-2025-%06u", i + 1);
      g_snprintf (name, sizeof name, "Nguyễn Văn An %u", i);
      g_snprintf (cid, sizeof cid, "0120%08u", i);

      sqlite3_bind_blob (ins_case, 1, case_id.bytes, 16, SQLITE_STATIC);
      sqlite3_bind_text (ins_case, 2, receipt, -1, SQLITE_STATIC);
      sqlite3_bind_blob (ins_case, 3, procedures[i % 80], 16, SQLITE_STATIC);
      sqlite3_bind_blob (ins_case, 4, office, 16, SQLITE_STATIC);
      sqlite3_bind_text (ins_case, 5, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (ins_case, 6, cid, -1, SQLITE_STATIC);
      sqlite3_bind_text (ins_case, 7, "0912345678", -1, SQLITE_STATIC);
      sqlite3_bind_text (ins_case, 8, "Bản Nậm Manh", -1, SQLITE_STATIC);
      sqlite3_bind_text (ins_case, 9, "2025-03-03T09:00:00+07:00", -1, SQLITE_STATIC);
      sqlite3_bind_text (ins_case, 10, "2025-03-03", -1, SQLITE_STATIC);
      sqlite3_bind_text (ins_case, 11, "2025-03-10", -1, SQLITE_STATIC);
      sqlite3_bind_blob (ins_case, 12, fields, 40, SQLITE_STATIC);
      sqlite3_bind_int64 (ins_case, 13, i * 16 + 15);
      if (sqlite3_step (ins_case) != SQLITE_DONE)
        g_error ("bulk-floor: %s", sqlite3_errmsg (db));
      sqlite3_reset (ins_case);
      rid = sqlite3_last_insert_rowid (db);

      sqlite3_bind_blob (ins_event, 1, event_id.bytes, 16, SQLITE_STATIC);
      sqlite3_bind_blob (ins_event, 2, case_id.bytes, 16, SQLITE_STATIC);
      sqlite3_bind_text (ins_event, 3, "2025-03-03T09:00:00+07:00", -1, SQLITE_STATIC);
      sqlite3_bind_text (ins_event, 4, receipt, -1, SQLITE_STATIC);
      if (sqlite3_step (ins_event) != SQLITE_DONE)
        g_error ("bulk-floor: %s", sqlite3_errmsg (db));
      sqlite3_reset (ins_event);

      for (guint k = 0; k < 2; k++)
        {
          sqlite3_bind_int64 (ins_change, 1, (gint64) i * 16 + 1 + k * 15);
          sqlite3_bind_int (ins_change, 2, k == 0 ? 15 : 1);
          sqlite3_bind_int64 (ins_change, 3, hlc);
          sqlite3_bind_int (ins_change, 4, k == 0 ? 4 : 5);
          sqlite3_bind_int64 (ins_change, 5, rid);
          sqlite3_bind_blob (ins_change, 6, fields, k == 0 ? 300 : 4, SQLITE_STATIC);
          if (sqlite3_step (ins_change) != SQLITE_DONE)
            g_error ("bulk-floor: %s", sqlite3_errmsg (db));
          sqlite3_reset (ins_change);
        }
    }
  /* The library indexes at commit, as here. */
  for (guint i = 0; i < FLOOR_CASES; i++)
    {
      char name[64], cid[16];

      g_snprintf (name, sizeof name, "Nguyễn Văn An %u", i);
      g_snprintf (cid, sizeof cid, "0120%08u", i);
      sqlite3_bind_int64 (ins_fts, 1, i + 1);
      sqlite3_bind_text (ins_fts, 2, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (ins_fts, 3, cid, -1, SQLITE_STATIC);
      sqlite3_bind_text (ins_fts, 4, "0912345678", -1, SQLITE_STATIC);
      if (sqlite3_step (ins_fts) != SQLITE_DONE)
        g_error ("bulk-floor: %s", sqlite3_errmsg (db));
      sqlite3_reset (ins_fts);
    }
  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    g_error ("bulk-floor: %s", sqlite3_errmsg (db));
  elapsed = motcua_bench_seconds_since (start);

  sqlite3_finalize (ins_case);
  sqlite3_finalize (ins_event);
  sqlite3_finalize (ins_change);
  sqlite3_finalize (ins_fts);
  sqlite3_close (db);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);

  g_print ("  %d receptions' rows in %.2f s: %.0f cases/s\n", FLOOR_CASES, elapsed,
           FLOOR_CASES / elapsed);
  motcua_bench_result ("bulk-floor", FLOOR_CASES / elapsed, "cases/s");
}

/* 7. Bytes per case, once the replica is closed (closing checkpoints the WAL). */

static void
bench_size (Bench  *bench,
            gint64  n_cases)
{
  g_autofree char *wal_path = g_strconcat (bench->db, "-wal", NULL);
  goffset db = file_size (bench->db);
  goffset wal = file_size (wal_path);
  double per_case = n_cases > 0 ? (double) (db + wal) / n_cases : 0;

  g_print ("\n== size: %s after closing ==\n", bench->db);
  g_print ("  database %.1f MB, WAL %.1f MB, %" G_GINT64_FORMAT " cases: %.0f bytes per case "
           "(target < 2048)%s\n", db / 1e6, wal / 1e6, n_cases, per_case,
           per_case < 2048 ? "" : "  MISSED");
  motcua_bench_result ("size-db", (db + wal) / 1e6, "MB");
  motcua_bench_result ("size-per-case", per_case, "bytes");
}

static gboolean
wanted (GStrv       which,
        const char *name)
{
  return which == NULL || which[0] == NULL || g_strv_contains ((const char *const *) which, name);
}

int
main (int   argc,
      char *argv[])
{
  static const char *const all[] = {
    "fsync", "sqlite-floor", "receive-single", "receive-bulk", "bulk-floor", "search", "report",
    "export", "size", NULL,
  };
  g_auto(GStrv) which = NULL;
  gint64 bulk = 100000, single = 0, seed = 1;
  gboolean keep = FALSE;
  Bench bench = { 0 };
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &bench.db, "The province replica (motcua-bench-gen)",
      "PATH" },
    { "workdir", 0, 0, G_OPTION_ARG_FILENAME, &bench.workdir,
      "Where to write (a new directory here by default; not tmpfs)", "DIR" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &bench.datadir, "The sample data (data/)", "DIR" },
    { "bulk-cases", 0, 0, G_OPTION_ARG_INT64, &bulk, "Cases in receive-bulk (100000)", "N" },
    { "single-cases", 0, 0, G_OPTION_ARG_INT64, &single,
      "Cases in receive-single (3 s of fsyncs, 1000–3000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (1)", "S" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the files written in the work dir", NULL },
    { "sqlite-pragma", 0, 0, G_OPTION_ARG_STRING_ARRAY, &experiment_pragmas,
      "Experiment: run PRAGMA P on every SQLite connection (figures are then not the "
      "library's own)", "P" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &which, NULL, "WHICH…" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[WHICH…] — benchmarks");
  g_autoptr(GError) error = NULL;
  g_autofree char *made_workdir = NULL;
  MotcuaReplica *replica = NULL;
  gint64 n_cases = 0;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, "WHICH: fsync sqlite-floor receive-single receive-bulk bulk-floor search "
                                             "report export size (all by default)");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("arguments", error);
  for (guint i = 0; which != NULL && which[i] != NULL; i++)
    if (!g_strv_contains (all, which[i]))
      {
        g_printerr ("motcua-bench: unknown benchmark “%s”: choose from fsync, receive-single, "
                    "receive-bulk, search, report, export, size\n", which[i]);
        return 2;
      }
  if (bulk < 1 || bulk > G_MAXUINT || single < 0 || single > G_MAXUINT)
    {
      g_printerr ("motcua-bench: --bulk-cases and --single-cases must be positive\n");
      return 2;
    }

  bench.bulk_cases = (guint) bulk;
  bench.single_cases = (guint) single;
  bench.keep = keep;
  bench.rand = g_rand_new_with_seed ((guint32) seed);
  if (bench.datadir == NULL)
    bench.datadir = g_strdup (g_getenv ("MOTCUA_SOURCE_DATADIR")
                              ? g_getenv ("MOTCUA_SOURCE_DATADIR") : MOTCUA_SOURCE_DATADIR);
  if (bench.workdir == NULL)
    {
      /* Not $TMPDIR: it is often tmpfs, where fsync costs nothing. */
      g_autofree char *cwd = g_get_current_dir ();

      made_workdir = g_build_filename (cwd, "motcua-bench-XXXXXX", NULL);
      if (g_mkdtemp (made_workdir) == NULL)
        g_error ("cannot make %s: %s", made_workdir, g_strerror (errno));
      bench.workdir = g_strdup (made_workdir);
    }
  else if (g_mkdir_with_parents (bench.workdir, 0755) != 0)
    g_error ("cannot make %s: %s", bench.workdir, g_strerror (errno));

  g_print ("motcua-bench: %u CPUs, work dir %s, replica %s\n", g_get_num_processors (),
           bench.workdir, bench.db ? bench.db : "(none)");
  if (experiment_pragmas != NULL && experiment_pragmas[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", experiment_pragmas);

      g_print ("EXPERIMENT: PRAGMA %s on every connection: these figures are not the library's "
               "own\n", list);
      sqlite3_auto_extension ((void (*) (void)) apply_experiment_pragmas);
    }

  if (wanted (which, "fsync"))
    bench_fsync (&bench);
  if (wanted (which, "sqlite-floor"))
    bench_sqlite_floor (&bench);
  if (wanted (which, "receive-single"))
    bench_receive_single (&bench);
  if (wanted (which, "receive-bulk"))
    bench_receive_bulk (&bench);
  if (wanted (which, "bulk-floor"))
    bench_bulk_floor (&bench);

  if (wanted (which, "search") || wanted (which, "report") || wanted (which, "export")
      || wanted (which, "size"))
    {
      if (bench.db == NULL)
        g_print ("\nsearch, report, export, size: skipped, no --db\n");
      else
        {
          gint64 start = g_get_monotonic_time ();

          replica = motcua_replica_open (bench.db, &error);
          if (replica == NULL)
            die (bench.db, error);
          n_cases = motcua_replica_count_cases (replica, NULL, &error);
          if (n_cases < 0)
            die ("count cases", error);
          g_print ("\n%s: %" G_GINT64_FORMAT " cases, %s replica of %s (opened and counted in "
                   "%.2f s)\n", bench.db, n_cases,
                   motcua_level_to_string (motcua_replica_get_role (replica)),
                   motcua_replica_get_office_code (replica), motcua_bench_seconds_since (start));

          if (wanted (which, "search"))
            bench_search (&bench, replica, n_cases);
          if (wanted (which, "report"))
            bench_report (&bench, replica);
          if (wanted (which, "export"))
            bench_export (&bench, replica);
          g_clear_object (&replica);

          if (wanted (which, "size"))
            bench_size (&bench, n_cases);
        }
    }

  if (made_workdir != NULL && !keep)
    g_rmdir (made_workdir);
  g_free (bench.db);
  g_free (bench.workdir);
  g_free (bench.datadir);
  g_rand_free (bench.rand);
  g_clear_pointer (&experiment_pragmas, g_strfreev);
  sqlite3_reset_auto_extension ();

  return 0;
}
