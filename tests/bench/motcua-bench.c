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

#define FSYNC_SECONDS 3.0
#define SEARCH_LIMIT  50
#define TMPFS_MAGIC_  0x01021994

typedef struct
{
  char          *workdir;
  char          *db;
  char          *datadir;
  guint          bulk_cases;
  guint          single_cases;
  gboolean       keep;
  double         fsync_rate;    /* ops/s, 0 if not measured */
  GRand         *rand;
} Bench;

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

static G_NORETURN void
die (const char   *what,
     const GError *error)
{
  g_printerr ("motcua-bench: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static goffset
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

/* 2, 3. Receiving cases on a small replica: the sample offices, catalogue and calendar. */

typedef struct
{
  MotcuaReplica *replica;
  GPtrArray     *communes;     /* office codes */
  GPtrArray     *procedures;   /* MotcuaProcedure at commune level */
  guint64        next_person;
} Desk;

static void
desk_clear (Desk *desk)
{
  g_clear_object (&desk->replica);
  g_clear_pointer (&desk->communes, g_ptr_array_unref);
  g_clear_pointer (&desk->procedures, g_ptr_array_unref);
}

static void
desk_open (Bench      *bench,
           Desk       *desk,
           const char *name)
{
  static const struct { const char *file; MotcuaImportKind kind; } data[] = {
    { "offices.json", MOTCUA_IMPORT_OFFICES },
    { "catalogue.json", MOTCUA_IMPORT_CATALOGUE },
    { "calendar-2025.json", MOTCUA_IMPORT_CALENDAR },
    { "calendar-2026.json", MOTCUA_IMPORT_CALENDAR },
  };
  g_autofree char *path = g_build_filename (bench->workdir, name, NULL);
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(GError) error = NULL;

  motcua_bench_remove_db (path);
  desk->replica = motcua_replica_create (path, "LC", MOTCUA_LEVEL_PROVINCE, &error);
  if (desk->replica == NULL)
    die (path, error);
  motcua_replica_set_officer (desk->replica, "Lò Thị Bench");

  for (guint i = 0; i < G_N_ELEMENTS (data); i++)
    {
      g_autofree char *file = g_build_filename (bench->datadir, data[i].file, NULL);

      if (!g_file_test (file, G_FILE_TEST_EXISTS) && data[i].kind == MOTCUA_IMPORT_CALENDAR)
        continue;
      if (!motcua_replica_import_file (desk->replica, file, data[i].kind, MOTCUA_FORMAT_AUTO,
                                       NULL, &error))
        die (file, error);
    }

  offices = motcua_replica_list_offices (desk->replica, &error);
  if (offices == NULL)
    die ("offices", error);
  desk->communes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < offices->len; i++)
    {
      const MotcuaOffice *office = g_ptr_array_index (offices, i);

      if (office->level == MOTCUA_LEVEL_COMMUNE)
        g_ptr_array_add (desk->communes, g_strdup (office->code));
    }
  desk->procedures = motcua_replica_list_procedures (desk->replica, NULL, MOTCUA_LEVEL_COMMUNE,
                                                     &error);
  if (desk->procedures == NULL)
    die ("procedures", error);
  if (desk->communes->len == 0 || desk->procedures->len == 0)
    g_error ("the sample data has no commune or no commune procedure");
}

/* One citizen at the desk of a commune. */
static MotcuaCase *
desk_receive (Bench   *bench,
              Desk    *desk,
              GError **error)
{
  const MotcuaProcedure *procedure =
    g_ptr_array_index (desk->procedures, g_rand_int_range (bench->rand, 0,
                                                           (gint32) desk->procedures->len));
  guint papers[16];
  guint n_papers = MIN (procedure->documents ? g_strv_length (procedure->documents) : 0,
                        G_N_ELEMENTS (papers));
  MotcuaBenchPerson person;
  MotcuaReception reception = { 0 };
  char address[128], village[64];

  motcua_bench_person (7, desk->next_person++, &person);
  motcua_bench_village_name (bench->rand, village);
  g_snprintf (address, sizeof address, "%s, huyện Nậm Nhùn, tỉnh Lai Châu", village);
  for (guint i = 0; i < n_papers; i++)
    papers[i] = i;

  reception.procedure_code = procedure->code;
  reception.receiving_office = g_ptr_array_index (desk->communes,
                                                  g_rand_int_range (bench->rand, 0,
                                                                    (gint32) desk->communes->len));
  reception.applicant_name = person.name;
  reception.citizen_id = person.citizen_id;
  reception.phone = person.phone[0] != '\0' ? person.phone : NULL;
  reception.address = address;
  reception.channel = g_rand_int_range (bench->rand, 0, 10) < 7 ? MOTCUA_CHANNEL_COUNTER
                                                                : MOTCUA_CHANNEL_HOME;
  reception.priority = MOTCUA_PRIORITY_NONE;
  reception.papers = papers;
  reception.n_papers = n_papers;

  return motcua_replica_receive (desk->replica, &reception, error);
}

static void
bench_receive_single (Bench *bench)
{
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  Desk desk = { 0 };
  guint n = bench->single_cases;
  gint64 start;
  double elapsed, rate;

  if (n == 0)
    n = bench->fsync_rate > 0 ? (guint) CLAMP (bench->fsync_rate * 3, 1000, 3000) : 2000;

  g_print ("\n== receive-single: %u cases, one durable transaction each ==\n", n);
  desk_open (bench, &desk, "single.db");

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      gint64 t = g_get_monotonic_time ();
      g_autoptr(GError) error = NULL;
      g_autoptr(MotcuaCase) c = desk_receive (bench, &desk, &error);
      double ms;

      if (c == NULL)
        die ("receive", error);
      ms = (g_get_monotonic_time () - t) / 1e3;
      g_array_append_val (latencies, ms);
    }
  elapsed = motcua_bench_seconds_since (start);
  rate = n / elapsed;

  g_print ("  %u cases in %.2f s: %.0f cases/s; latency p50 %.2f ms, p95 %.2f ms, max %.2f ms\n",
           n, elapsed, rate, motcua_bench_percentile (latencies, 0.50),
           motcua_bench_percentile (latencies, 0.95), motcua_bench_percentile (latencies, 1.0));
  motcua_bench_result ("receive-single", rate, "cases/s");
  motcua_bench_result ("receive-single-p95", motcua_bench_percentile (latencies, 0.95), "ms");
  if (bench->fsync_rate > 0)
    {
      double ratio = 100.0 * rate / bench->fsync_rate;

      g_print ("  %.0f %% of the disk's %.0f fsync/s (target ≥ 80 %%)%s\n", ratio,
               bench->fsync_rate, ratio >= 80 ? "" : "  MISSED");
      motcua_bench_result ("receive-single-vs-fsync", ratio, "%");
    }

  desk_clear (&desk);
  if (!bench->keep)
    {
      g_autofree char *path = g_build_filename (bench->workdir, "single.db", NULL);

      motcua_bench_remove_db (path);
    }
}

static void
bench_receive_bulk (Bench *bench)
{
  g_autoptr(GError) error = NULL;
  Desk desk = { 0 };
  gint64 start, commit_start;
  double elapsed, rate;

  g_print ("\n== receive-bulk: %u cases in one transaction ==\n", bench->bulk_cases);
  desk_open (bench, &desk, "bulk.db");

  start = g_get_monotonic_time ();
  if (!motcua_replica_begin (desk.replica, &error))
    die ("begin", error);
  for (guint i = 0; i < bench->bulk_cases; i++)
    {
      g_autoptr(MotcuaCase) c = desk_receive (bench, &desk, &error);

      if (c == NULL)
        die ("receive", error);
    }
  commit_start = g_get_monotonic_time ();
  if (!motcua_replica_commit (desk.replica, &error))
    die ("commit", error);
  elapsed = motcua_bench_seconds_since (start);
  rate = bench->bulk_cases / elapsed;

  g_print ("  %u cases in %.2f s (commit %.2f s): %.0f cases/s (target ≥ 50,000/s)%s\n",
           bench->bulk_cases, elapsed, motcua_bench_seconds_since (commit_start), rate,
           rate >= 50000 ? "" : "  MISSED");
  motcua_bench_result ("receive-bulk", rate, "cases/s");

  desk_clear (&desk);
  if (!bench->keep)
    {
      g_autofree char *path = g_build_filename (bench->workdir, "bulk.db", NULL);

      motcua_bench_remove_db (path);
    }
}

/* 4. Search, as an officer types into the search box of the desk. */

typedef enum
{
  Q_NAME_FULL,
  Q_NAME_PREFIX,
  Q_RECEIPT,
  Q_CITIZEN_ID,
  Q_PHONE,
  Q_SHORT,
  Q_LIST_RECENT,
  Q_PROCEDURE,
  N_QUERY_CLASSES
} QueryClass;

static const struct { const char *name, *example; } query_classes[N_QUERY_CLASSES] = {
  { "name-full", "full name without diacritics: nguyen van an" },
  { "name-prefix", "family, middle, first letters of the given name: tran thi h" },
  { "receipt", "a receipt number as printed" },
  { "citizen-id", "the first 6 to 12 digits of a citizen ID" },
  { "phone", "the first 6 to 10 digits of a phone number" },
  { "short-prefix", "two letters, the first keystrokes: ng" },
  { "list-recent", "no query: the newest cases (the list the desk opens on)" },
  { "procedure", "motcua_replica_search_procedures: khai sinh, cap giay phep…" },
};

typedef struct
{
  QueryClass  klass;
  char       *text;
} Query;

static void
query_clear (gpointer data)
{
  g_free (((Query *) data)->text);
}

static void
add_query (GArray     *queries,
           QueryClass  klass,
           char       *text)
{
  Query q = { klass, text };

  g_array_append_val (queries, q);
}

/* Cases to build queries from: pages of the newest cases at random depths. */
static GPtrArray *
sample_cases (Bench         *bench,
              MotcuaReplica *replica,
              gint64         n_cases)
{
  GPtrArray *sample = g_ptr_array_new_with_free_func ((GDestroyNotify) motcua_case_free);

  for (guint page = 0; page < 8; page++)
    {
      MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
      g_autoptr(GPtrArray) cases = NULL;
      g_autoptr(GError) error = NULL;

      filter.offset = (guint) g_rand_int_range (bench->rand, 0, (gint32) MAX (n_cases - 50, 1));
      filter.limit = 50;
      cases = motcua_replica_list_cases (replica, &filter, &error);
      if (cases == NULL)
        die ("list cases", error);
      for (guint i = 0; i < cases->len; i++)
        g_ptr_array_add (sample, motcua_case_copy (g_ptr_array_index (cases, i)));
    }

  return sample;
}

static GArray *
make_queries (Bench     *bench,
              GPtrArray *sample)
{
  static const char *const shorts[] = {
    "ng", "tr", "le", "ph", "ho", "vu", "lo", "ha", "va", "su", "gi", "ly", "to", "lu", "di",
    "qu", "do", "bu", "th", "mu",
  };
  static const char *const procedures[] = {
    "khai sinh", "dang ky khai sinh", "khai tu", "ket hon", "chung thuc", "chung thuc ban sao",
    "ban sao", "giay phep xay dung", "cap giay phep xay", "xay dung", "ho kinh doanh",
    "dang ky ho kinh doanh", "thuong tru", "tam tru", "dat dai", "bien dong dat",
    "giay chung nhan quyen su dung dat", "tro cap", "tro cap xa hoi", "nguoi co cong",
    "ly lich tu phap", "phieu ly lich", "giay phep lai xe", "an toan thuc pham", "hon nhan",
    "kh", "cap lai", "gia han giay phep", "hoa giai", "HT.001",
  };
  GArray *queries = g_array_new (FALSE, FALSE, sizeof (Query));
  guint n = sample->len;

  g_array_set_clear_func (queries, query_clear);

  for (guint i = 0; i < 40; i++)
    {
      const MotcuaCase *c = g_ptr_array_index (sample, (i * 7) % n);

      add_query (queries, Q_NAME_FULL, motcua_text_fold (c->applicant_name));
    }
  for (guint i = 0; i < 40; i++)
    {
      const MotcuaCase *c = g_ptr_array_index (sample, (i * 11 + 3) % n);
      g_autofree char *folded = motcua_text_fold (c->applicant_name);
      g_auto(GStrv) words = g_strsplit (folded, " ", -1);
      guint n_words = g_strv_length (words);

      /* "tran thi h", "giang a pa" */
      if (n_words >= 3)
        add_query (queries, Q_NAME_PREFIX,
                   g_strdup_printf ("%s %s %.*s", words[0], words[1], 1 + (int) (i % 2),
                                    words[n_words - 1]));
      else
        add_query (queries, Q_NAME_PREFIX, g_strdup_printf ("%s %.1s", words[0],
                                                            n_words > 1 ? words[1] : ""));
    }
  for (guint i = 0; i < 30; i++)
    {
      const MotcuaCase *c = g_ptr_array_index (sample, (i * 13 + 5) % n);

      add_query (queries, Q_RECEIPT, g_strdup (c->receipt_no));
    }
  for (guint i = 0; i < 40; i++)
    {
      const MotcuaCase *c = g_ptr_array_index (sample, (i * 17 + 1) % n);

      add_query (queries, Q_CITIZEN_ID, g_strndup (c->citizen_id, 6 + i % 7));
    }
  for (guint i = 0, j = 0; i < 20 && j < n; j++)
    {
      const MotcuaCase *c = g_ptr_array_index (sample, (j * 19 + 2) % n);

      if (c->phone == NULL || *c->phone == '\0')
        continue;
      add_query (queries, Q_PHONE, g_strndup (c->phone, 6 + i % 5));
      i++;
    }
  for (guint i = 0; i < G_N_ELEMENTS (shorts); i++)
    add_query (queries, Q_SHORT, g_strdup (shorts[i]));
  for (guint i = 0; i < 10; i++)
    add_query (queries, Q_LIST_RECENT, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (procedures); i++)
    add_query (queries, Q_PROCEDURE, g_strdup (procedures[i]));

  /* Interleaved, as a day at the desk is. */
  for (guint i = queries->len; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (bench->rand, 0, (gint32) i);
      Query tmp = g_array_index (queries, Query, i - 1);

      g_array_index (queries, Query, i - 1) = g_array_index (queries, Query, j);
      g_array_index (queries, Query, j) = tmp;
    }

  return queries;
}

static guint
run_query (MotcuaReplica *replica,
           const Query   *q)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  if (q->klass == Q_PROCEDURE)
    found = motcua_replica_search_procedures (replica, q->text, SEARCH_LIMIT, &error);
  else
    {
      MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;

      filter.query = q->text;
      filter.limit = SEARCH_LIMIT;
      found = motcua_replica_list_cases (replica, &filter, &error);
    }
  if (found == NULL)
    die (q->text ? q->text : "list", error);

  return found->len;
}

static void
bench_search (Bench         *bench,
              MotcuaReplica *replica,
              gint64         n_cases)
{
  g_autoptr(GPtrArray) sample = NULL;
  g_autoptr(GArray) queries = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *times[N_QUERY_CLASSES];
  guint64 found[N_QUERY_CLASSES] = { 0 };
  double slowest[N_QUERY_CLASSES] = { 0 };
  const char *slowest_text[N_QUERY_CLASSES] = { NULL };
  gint64 start;

  g_print ("\n== search: motcua_replica_list_cases with a query (limit %d) ==\n", SEARCH_LIMIT);
  start = g_get_monotonic_time ();
  sample = sample_cases (bench, replica, n_cases);
  if (sample->len == 0)
    g_error ("the replica has no cases to search for");
  queries = make_queries (bench, sample);
  g_print ("  %u queries made from %u sampled cases in %.1f s\n", queries->len, sample->len,
           motcua_bench_seconds_since (start));

  for (guint c = 0; c < N_QUERY_CLASSES; c++)
    times[c] = g_array_new (FALSE, FALSE, sizeof (double));

  /* A few untimed queries first: the desk has been open for a while. */
  for (guint i = 0; i < MIN (queries->len, 10); i++)
    run_query (replica, &g_array_index (queries, Query, i));

  for (guint i = 0; i < queries->len; i++)
    {
      const Query *q = &g_array_index (queries, Query, i);
      gint64 t = g_get_monotonic_time ();
      guint n = run_query (replica, q);
      double ms = (g_get_monotonic_time () - t) / 1e3;

      g_array_append_val (times[q->klass], ms);
      if (q->klass != Q_PROCEDURE && q->klass != Q_LIST_RECENT)
        g_array_append_val (all, ms);
      found[q->klass] += n;
      if (ms >= slowest[q->klass])
        {
          slowest[q->klass] = ms;
          slowest_text[q->klass] = q->text;
        }
    }

  g_print ("  %-13s %5s %9s %9s %9s %8s  %s\n", "class", "n", "p50 ms", "p95 ms", "max ms",
           "found", "slowest query");
  for (guint c = 0; c < N_QUERY_CLASSES; c++)
    {
      GArray *t = times[c];
      g_autofree char *name = NULL;

      if (t->len == 0)
        {
          g_array_unref (t);
          continue;
        }
      g_print ("  %-13s %5u %9.2f %9.2f %9.2f %8.1f  “%s”%s\n", query_classes[c].name, t->len,
               motcua_bench_percentile (t, 0.5), motcua_bench_percentile (t, 0.95),
               motcua_bench_percentile (t, 1.0),
               (double) found[c] / t->len, slowest_text[c] ? slowest_text[c] : "",
               motcua_bench_percentile (t, 0.95) < 30 ? "" : "  MISSED");
      name = g_strdup_printf ("search-%s-p50", query_classes[c].name);
      motcua_bench_result (name, motcua_bench_percentile (t, 0.5), "ms");
      g_free (name);
      name = g_strdup_printf ("search-%s-p95", query_classes[c].name);
      motcua_bench_result (name, motcua_bench_percentile (t, 0.95), "ms");
      g_free (name);
      name = g_strdup_printf ("search-%s-max", query_classes[c].name);
      motcua_bench_result (name, motcua_bench_percentile (t, 1.0), "ms");
      g_array_unref (t);
    }
  g_print ("  classes:\n");
  for (guint c = 0; c < N_QUERY_CLASSES; c++)
    g_print ("    %-13s %s\n", query_classes[c].name, query_classes[c].example);
  g_print ("  all case queries: p50 %.2f ms, p95 %.2f ms, max %.2f ms (target p95 < 30 ms)%s\n",
           motcua_bench_percentile (all, 0.5), motcua_bench_percentile (all, 0.95),
           motcua_bench_percentile (all, 1.0),
           motcua_bench_percentile (all, 0.95) < 30 ? "" : "  MISSED");
  motcua_bench_result ("search-cases-p50", motcua_bench_percentile (all, 0.5), "ms");
  motcua_bench_result ("search-cases-p95", motcua_bench_percentile (all, 0.95), "ms");
  motcua_bench_result ("search-cases-max", motcua_bench_percentile (all, 1.0), "ms");
}

/* 5. The standard report over the year. */

static double
time_report (MotcuaReplica *replica,
             const char    *office,
             MotcuaReport **report_out)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 t = g_get_monotonic_time ();
      g_autoptr(MotcuaReport) report = motcua_replica_report (replica, office, "2025-01-01",
                                                              "2025-12-31", &error);
      double ms = (g_get_monotonic_time () - t) / 1e3;

      if (report == NULL)
        die (office, error);
      g_array_append_val (times, ms);
      if (i == 0 && report_out != NULL)
        *report_out = motcua_report_ref (report);
    }

  return motcua_bench_percentile (times, 0.5);
}

static void
bench_report (Bench         *bench,
              MotcuaReplica *replica)
{
  const char *province = motcua_replica_get_office_code (replica);
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(MotcuaReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const MotcuaReportRow *row;
  const char *district = NULL;
  double ms;

  g_print ("\n== report: the standard report for 2025, median of 5 ==\n");
  ms = time_report (replica, province, &report);
  row = motcua_report_find (report, province);
  g_print ("  province %s: %.1f ms over %u offices (target < 1000 ms)%s\n", province, ms,
           motcua_report_get_n_rows (report), ms < 1000 ? "" : "  MISSED");
  if (row != NULL)
    {
      const MotcuaReportFigures *f = &row->total;

      g_print ("    received %" G_GINT64_FORMAT " (carried over %" G_GINT64_FORMAT ", online %"
               G_GINT64_FORMAT ", direct %" G_GINT64_FORMAT "); resolved %" G_GINT64_FORMAT
               " (early %" G_GINT64_FORMAT ", on time %" G_GINT64_FORMAT ", late %"
               G_GINT64_FORMAT "); withdrawn %" G_GINT64_FORMAT "; pending %" G_GINT64_FORMAT
               " (overdue %" G_GINT64_FORMAT "); online rate %.1f %%\n",
               f->received_total, f->carried_over, f->new_online, f->new_direct,
               f->resolved_total, f->resolved_early, f->resolved_on_time, f->resolved_late,
               f->withdrawn, f->pending_total, f->pending_overdue,
               100 * motcua_report_figures_online_rate (f));
    }
  motcua_bench_result ("report-province", ms, "ms");

  /* The district with the most offices below it. */
  offices = motcua_replica_list_offices (replica, &error);
  if (offices == NULL)
    die ("offices", error);
  {
    guint best = 0;

    for (guint i = 0; i < offices->len; i++)
      {
        const MotcuaOffice *office = g_ptr_array_index (offices, i);
        guint below = 0;

        if (office->level != MOTCUA_LEVEL_DISTRICT)
          continue;
        for (guint j = 0; j < offices->len; j++)
          below += g_strcmp0 (((MotcuaOffice *) g_ptr_array_index (offices, j))->parent_code,
                              office->code) == 0;
        if (district == NULL || below > best)
          {
            district = office->code;
            best = below;
          }
      }
  }
  if (district != NULL)
    {
      ms = time_report (replica, district, NULL);
      g_print ("  district %s: %.1f ms\n", district, ms);
      motcua_bench_result ("report-district", ms, "ms");
    }
}

/* 6. The canonical export. */

static void
bench_export (Bench         *bench,
              MotcuaReplica *replica)
{
  g_autofree char *path = g_build_filename (bench->workdir, "export.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  double elapsed, mb;

  g_print ("\n== export: motcua_replica_export_canonical to %s ==\n", path);
  start = g_get_monotonic_time ();
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  if (stream == NULL)
    die (path, error);
  if (!motcua_replica_export_canonical (replica, G_OUTPUT_STREAM (stream), NULL, &error)
      || !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error))
    die ("export", error);
  elapsed = motcua_bench_seconds_since (start);
  mb = file_size (path) / 1e6;

  g_print ("  %.1f MB in %.2f s: %.1f MB/s\n", mb, elapsed, mb / elapsed);
  motcua_bench_result ("export-time", elapsed, "s");
  motcua_bench_result ("export-size", mb, "MB");
  if (!bench->keep)
    g_unlink (path);
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
