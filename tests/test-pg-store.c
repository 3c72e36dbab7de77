/* test-pg-store.c: the provincial server's PostgreSQL store, on a throwaway cluster
 *
 * One cluster for the suite (motcua-test-pg.c), a new database for each test. What exists of
 * the PostgreSQL store so far is its schema with its versions (motcua-pg-schema.c) and
 * `motcua-server migrate`; the server serves from SQLite only, and says so when it is given a
 * PostgreSQL store.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua.h"
#include "motcua-error.h"
#include "motcua-pg-private.h"
#include "motcua-test-pg.h"
#include "motcua-test-server.h"
#include "motcua-test-utils.h"

static MotcuaTestPg *cluster;

/* How many versions the store's history records, and when the last was applied (µs). */
#define VERSIONS "SELECT count(*) FROM motcua_schema"
#define APPLIED_AT "SELECT extract (epoch FROM max (applied_at)) * 1000000 FROM motcua_schema"

/* A new database is migrated from nothing to this build's version, its history recording each
 * version once; the provinces' table is there. */
static void
test_migrate_fresh (void)
{
  g_autofree char *uri = motcua_test_pg_new_database (cluster);
  g_autoptr(GError) error = NULL;
  int from = -1, to = -1;

  g_assert_true (motcua_hub_migrate_postgresql (uri, &from, &to, &error));
  g_assert_no_error (error);
  g_assert_cmpint (from, ==, 0);
  g_assert_cmpint (to, >=, 1);
  g_assert_cmpint (motcua_test_pg_query_int (uri, VERSIONS), ==, to);
  g_assert_cmpint (motcua_test_pg_query_int (uri, "SELECT max(version) FROM motcua_schema"),
                   ==, to);
  g_assert_cmpint (motcua_test_pg_query_int (uri, "SELECT (to_regclass ('provinces')"
                                                  " IS NOT NULL)::int"), ==, 1);
  g_assert_cmpint (motcua_test_pg_query_int (uri, "SELECT (to_regclass ('hub_log')"
                                                  " IS NOT NULL)::int"), ==, 1);
}

/* Migrating a store that is up to date changes nothing. */
static void
test_migrate_again (void)
{
  g_autofree char *uri = motcua_test_pg_new_database (cluster);
  g_autoptr(GError) error = NULL;
  gint64 applied;
  int from, to;

  g_assert_true (motcua_hub_migrate_postgresql (uri, &from, &to, &error));
  applied = motcua_test_pg_query_int (uri, APPLIED_AT);
  g_assert_true (motcua_hub_migrate_postgresql (uri, &from, &to, &error));
  g_assert_no_error (error);
  g_assert_cmpint (from, ==, to);
  g_assert_cmpint (motcua_test_pg_query_int (uri, VERSIONS), ==, to);
  g_assert_cmpint (motcua_test_pg_query_int (uri, APPLIED_AT), ==, applied);
}

/* A store a newer build migrated is refused, by version, and left as it was. */
static void
test_migrate_newer (void)
{
  g_autofree char *uri = motcua_test_pg_new_database (cluster);
  g_autoptr(GError) error = NULL;
  int from, to;

  g_assert_true (motcua_hub_migrate_postgresql (uri, &from, &to, &error));
  motcua_test_pg_exec (uri, "INSERT INTO motcua_schema (version) VALUES (99)");
  g_assert_false (motcua_hub_migrate_postgresql (uri, &from, &to, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_SCHEMA_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "99"));
  g_assert_nonnull (strstr (error->message, "update motcua-server"));
  g_assert_cmpint (motcua_test_pg_query_int (uri, VERSIONS), ==, to + 1);
}

typedef struct
{
  const char *uri;
  int         from;
  gboolean    ok;
} Migration;

static gpointer
migrate_thread (gpointer data)
{
  Migration *m = data;
  g_autoptr(GError) error = NULL;
  int to;

  m->ok = motcua_hub_migrate_postgresql (m->uri, &m->from, &to, &error);
  if (error != NULL)
    g_test_message ("%s", error->message);

  return NULL;
}

/* Several processes starting at once migrate one store once: one of them does the work, the
 * others wait for it and find it done. */
static void
test_migrate_concurrent (void)
{
  g_autofree char *uri = motcua_test_pg_new_database (cluster);
  Migration migrations[4];
  GThread *threads[G_N_ELEMENTS (migrations)];
  guint from_nothing = 0;

  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      migrations[i] = (Migration) { uri, -1, FALSE };
      threads[i] = g_thread_new ("migrate", migrate_thread, &migrations[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (migrations[i].ok);
      from_nothing += migrations[i].from == 0;
    }
  g_assert_cmpuint (from_nothing, ==, 1);
  g_assert_cmpint (motcua_test_pg_query_int (uri, VERSIONS), ==,
                   motcua_test_pg_query_int (uri, "SELECT max(version) FROM motcua_schema"));
}

/* A store that cannot be reached, and a URI that is not one, are named as such; a password in
 * the URI is never repeated. */
static void
test_connect_errors (void)
{
  g_autoptr(GError) error = NULL;
  int from, to;

  g_assert_false (motcua_hub_migrate_postgresql ("postgresql://motcua:s3cr3t@/x"
                                                 "?host=/nonexistent-motcua", &from, &to,
                                                 &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE);
  g_assert_true (g_str_has_prefix (error->message, "Cannot connect to the PostgreSQL store: "));
  g_assert_null (strstr (error->message, "s3cr3t"));
  g_clear_error (&error);

  g_assert_false (motcua_hub_migrate_postgresql ("postgresql://host/db?nonsense=1", &from, &to,
                                                 &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nonsense"));
  g_clear_error (&error);

  g_assert_false (motcua_hub_migrate_postgresql ("/var/lib/motcua/province.db", &from, &to,
                                                 &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
}

/* A new store with the province LC (the sample data's Lào Cai) in it. */
static char *
province_store (void)
{
  char *uri = motcua_test_pg_new_database (cluster);
  g_autoptr(MotcuaPg) pg = _motcua_pg_connect (uri, NULL);
  g_autoptr(GError) error = NULL;
  int from;

  g_assert_nonnull (pg);
  g_assert_true (_motcua_pg_migrate (pg, &from, &error));
  g_assert_true (_motcua_pg_province_add (pg, "LC", "Lào Cai", &error));
  g_assert_true (_motcua_pg_province_add (pg, "LC", "Lào Cai", &error));
  g_assert_no_error (error);

  return uri;
}

typedef struct
{
  const char *uri;
  GMutex     *lock;
  GArray     *taken;   /* gint64 pairs: first, last, of the committed transactions */
  guint       rolled_back;
} Appender;

/* Appends as a server process would: a transaction reserving 1–5 numbers, one in ten rolled
 * back (a push that failed after it reserved). */
static gpointer
append_thread (gpointer data)
{
  Appender *a = data;
  g_autoptr(MotcuaPg) pg = _motcua_pg_connect (a->uri, NULL);
  g_autoptr(GRand) rand = g_rand_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (pg);
  for (guint i = 0; i < 150; i++)
    {
      guint n = (guint) g_rand_int_range (rand, 1, 6);
      gboolean keep = g_rand_int_range (rand, 0, 10) != 0;
      gint64 first;

      g_assert_true (_motcua_pg_exec (pg, "BEGIN", &error));
      g_assert_true (_motcua_pg_log_reserve (pg, "LC", n, &first, &error));
      g_assert_no_error (error);
      g_assert_true (_motcua_pg_exec (pg, keep ? "COMMIT" : "ROLLBACK", &error));
      g_mutex_lock (a->lock);
      if (keep)
        {
          gint64 last = first + n - 1;

          g_array_append_val (a->taken, first);
          g_array_append_val (a->taken, last);
        }
      else
        a->rolled_back++;
      g_mutex_unlock (a->lock);
    }

  return NULL;
}

static int
compare_first (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Four processes appending to one province's log at once: the numbers of the committed
 * transactions are disjoint and leave no gap, those of a rolled-back one are given again. */
static void
test_log_reserve_concurrent (void)
{
  g_autofree char *uri = province_store ();
  GMutex lock;
  Appender appenders[4];
  GThread *threads[G_N_ELEMENTS (appenders)];
  g_autoptr(GArray) taken = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint rolled_back = 0;
  gint64 next = 1;

  g_mutex_init (&lock);
  for (guint i = 0; i < G_N_ELEMENTS (appenders); i++)
    {
      appenders[i] = (Appender) { uri, &lock, taken, 0 };
      threads[i] = g_thread_new ("append", append_thread, &appenders[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (appenders); i++)
    {
      g_thread_join (threads[i]);
      rolled_back += appenders[i].rolled_back;
    }
  g_mutex_clear (&lock);
  g_assert_cmpuint (rolled_back, >, 0);

  /* Pairs sorted by their first number: each starts where the one before ended. */
  g_qsort_with_data (taken->data, (gint) taken->len / 2, 2 * sizeof (gint64),
                     compare_first, NULL);
  for (guint i = 0; i < taken->len; i += 2)
    {
      g_assert_cmpint (g_array_index (taken, gint64, i), ==, next);
      next = g_array_index (taken, gint64, i + 1) + 1;
    }
  g_assert_cmpint (motcua_test_pg_query_int (uri, "SELECT last_gseq FROM provinces"
                                                  " WHERE code = 'LC'"), ==, next - 1);
}

typedef struct
{
  const char *uri;
  MotcuaHlc   stamps[200];
} Stamper;

static gpointer
stamp_thread (gpointer data)
{
  Stamper *s = data;
  g_autoptr(MotcuaPg) pg = _motcua_pg_connect (s->uri, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (pg);
  for (guint i = 0; i < G_N_ELEMENTS (s->stamps); i++)
    {
      /* Every process's wall clock stuck on one millisecond: only the counter moves. */
      g_assert_true (_motcua_pg_clock_tick (pg, "LC", 1765152000000, &s->stamps[i], &error));
      g_assert_no_error (error);
    }

  return NULL;
}

static int
compare_hlc (gconstpointer a,
             gconstpointer b)
{
  MotcuaHlc x = *(const MotcuaHlc *) a, y = *(const MotcuaHlc *) b;

  return x < y ? -1 : x > y;
}

/* The province's clock is the store's: four processes stamping in the same millisecond never
 * issue one stamp twice, each sees its own stamps rise, and a stamp seen from a replica ahead
 * of the wall clock is passed by the next one issued. */
static void
test_clock (void)
{
  g_autofree char *uri = province_store ();
  g_autoptr(MotcuaPg) pg = _motcua_pg_connect (uri, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree Stamper *stampers = g_new0 (Stamper, 4);
  GThread *threads[4];
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (MotcuaHlc));
  MotcuaHlc ahead = motcua_hlc_make (1765152000000 + 3600 * 1000, 7), next;

  for (guint i = 0; i < 4; i++)
    {
      stampers[i].uri = uri;
      threads[i] = g_thread_new ("stamp", stamp_thread, &stampers[i]);
    }
  for (guint i = 0; i < 4; i++)
    {
      g_thread_join (threads[i]);
      for (guint k = 0; k < G_N_ELEMENTS (stampers[i].stamps); k++)
        {
          g_assert_true (k == 0 || stampers[i].stamps[k] > stampers[i].stamps[k - 1]);
          g_array_append_val (all, stampers[i].stamps[k]);
        }
    }
  g_array_sort (all, compare_hlc);
  for (guint k = 1; k < all->len; k++)
    g_assert_cmpuint (g_array_index (all, MotcuaHlc, k), >, g_array_index (all, MotcuaHlc, k - 1));
  g_assert_cmpint (motcua_hlc_get_ms (g_array_index (all, MotcuaHlc, 0)), ==, 1765152000000);

  g_assert_true (_motcua_pg_clock_observe (pg, "LC", ahead, &error));
  g_assert_true (_motcua_pg_clock_tick (pg, "LC", 1765152000000, &next, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (next, ==, ahead + 1);
}

/* A province the store does not hold is named, and nothing is written. */
static void
test_unknown_province (void)
{
  g_autofree char *uri = province_store ();
  g_autoptr(MotcuaPg) pg = _motcua_pg_connect (uri, NULL);
  g_autoptr(GError) error = NULL;
  gint64 first;
  MotcuaHlc hlc;

  g_assert_false (_motcua_pg_log_reserve (pg, "YB", 3, &first, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "YB"));
  g_clear_error (&error);
  g_assert_false (_motcua_pg_clock_tick (pg, "YB", 1765152000000, &hlc, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_assert_cmpint (motcua_test_pg_query_int (uri, "SELECT count(*) FROM provinces"), ==, 1);
}

/* An entry of the log as a writer in these tests makes it: its origin is the writer's, its
 * text names its writer and sequence number. */
typedef struct
{
  MotcuaUuid origin, row, office;
  char       text[64];
} TestEntry;

static void
test_entry (TestEntry        *t,
            MotcuaPgLogEntry *e,
            const MotcuaUuid *origin,
            gint64            seq,
            guint             n,
            gboolean          with_case)
{
  t->origin = *origin;
  motcua_uuid_v7 (&t->row);
  motcua_uuid_v7 (&t->office);
  g_snprintf (t->text, sizeof t->text, "{\"s\":%" G_GINT64_FORMAT "}", seq);
  *e = (MotcuaPgLogEntry) {
    .origin = &t->origin, .seq = seq, .n = n, .hlc = motcua_hlc_make (1765152000000, n),
    .table = 4, .row_id = &t->row, .case_id = with_case ? &t->row : NULL,
    .offices = &t->office, .n_offices = with_case ? 1 : 0, .entry = t->text,
  };
}

typedef struct
{
  const char *uri;
  guint       index;
  guint       committed;   /* entries */
} LogWriter;

static gpointer
log_writer_thread (gpointer data)
{
  LogWriter *w = data;
  g_autoptr(MotcuaPg) pg = _motcua_pg_connect (w->uri, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (w->index);
  g_autoptr(GError) error = NULL;
  MotcuaUuid origin;
  gint64 seq = 1;

  g_assert_nonnull (pg);
  motcua_uuid_v7 (&origin);
  for (guint i = 0; i < 80; i++)
    {
      guint n = (guint) g_rand_int_range (rand, 1, 4);
      gboolean keep = g_rand_int_range (rand, 0, 10) != 0;
      TestEntry t[3];
      MotcuaPgLogEntry e[3];
      gint64 first;

      for (guint k = 0; k < n; k++)
        test_entry (&t[k], &e[k], &origin, seq + k, 1, k % 2 == 0);
      g_assert_true (_motcua_pg_exec (pg, "BEGIN", &error));
      g_assert_true (_motcua_pg_log_append (pg, "LC", e, n, &first, &error));
      g_assert_no_error (error);
      g_assert_true (_motcua_pg_exec (pg, keep ? "COMMIT" : "ROLLBACK", &error));
      if (keep)
        {
          seq += n;
          w->committed += n;
        }
    }

  return NULL;
}

typedef struct
{
  gint64  cursor;
  guint   read;
  guint   with_case;
} LogReader;

static gboolean
read_entry (gint64                   gseq,
            const MotcuaPgLogEntry  *entry,
            gpointer                 user_data)
{
  LogReader *r = user_data;
  g_autofree char *text = g_strdup_printf ("{\"s\":%" G_GINT64_FORMAT "}", entry->seq);

  /* Never a hole: what a read returns follows the cursor without a gap. */
  g_assert_cmpint (gseq, ==, r->cursor + 1);
  g_assert_cmpstr (entry->entry, ==, text);
  g_assert_cmpint (entry->table, ==, 4);
  g_assert_cmpuint (entry->n_offices, ==, entry->case_id != NULL ? 1 : 0);
  r->cursor = gseq;
  r->read++;
  r->with_case += entry->case_id != NULL;

  return TRUE;
}

/* Three processes append to one province's log while a fourth pulls it by cursor, 50 entries
 * at a time: every read continues its cursor with no hole (an entry never commits late under
 * a lower number), and the pulls end holding every committed entry once. */
static void
test_log_cursor (void)
{
  g_autofree char *uri = province_store ();
  g_autoptr(MotcuaPg) pg = _motcua_pg_connect (uri, NULL);
  g_autoptr(GError) error = NULL;
  LogWriter writers[3];
  GThread *threads[G_N_ELEMENTS (writers)];
  LogReader reader = { 0 };
  guint committed = 0, running = G_N_ELEMENTS (writers);

  for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
    {
      writers[i] = (LogWriter) { uri, i + 1, 0 };
      threads[i] = g_thread_new ("log-writer", log_writer_thread, &writers[i]);
    }
  /* Pull while they write; once they are done, pull what is left. */
  while (running > 0 || reader.read < committed)
    {
      guint before = reader.read;

      g_assert_true (_motcua_pg_log_read (pg, "LC", reader.cursor, 50, read_entry, &reader,
                                          &error));
      g_assert_no_error (error);
      if (running > 0 && reader.read == before)
        {
          for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
            if (threads[i] != NULL)
              {
                g_thread_join (threads[i]);
                threads[i] = NULL;
                committed += writers[i].committed;
                running--;
                break;
              }
        }
    }
  g_assert_cmpuint (reader.read, ==, committed);
  g_assert_cmpuint (reader.with_case, >, 0);
  g_assert_cmpint (motcua_test_pg_query_int (uri, "SELECT last_gseq FROM provinces"
                                                  " WHERE code = 'LC'"), ==, reader.cursor);
  g_assert_cmpint (motcua_test_pg_query_int (uri, "SELECT count(*) FROM hub_log"), ==,
                   committed);
}

static gboolean
count_entry (gint64                   gseq,
             const MotcuaPgLogEntry  *entry,
             gpointer                 user_data)
{
  (*(guint *) user_data)++;

  return TRUE;
}

/* Provinces sharing a cluster each have their log, in a partition of its own, numbered from 1;
 * a write logged twice is refused and the transaction's numbers are given back. */
static void
test_log_provinces (void)
{
  g_autofree char *uri = province_store ();
  g_autoptr(MotcuaPg) pg = _motcua_pg_connect (uri, NULL);
  g_autoptr(GError) error = NULL;
  MotcuaUuid origin;
  TestEntry t[2];
  MotcuaPgLogEntry e[2];
  gint64 first;
  guint n = 0;

  g_assert_true (_motcua_pg_province_add (pg, "YB", "Yên Bái", &error));
  motcua_uuid_v7 (&origin);
  test_entry (&t[0], &e[0], &origin, 1, 20, TRUE);
  test_entry (&t[1], &e[1], &origin, 21, 2, FALSE);
  g_assert_true (_motcua_pg_log_append (pg, "LC", e, 2, &first, &error));
  g_assert_cmpint (first, ==, 1);
  g_assert_true (_motcua_pg_log_append (pg, "YB", e, 1, &first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first, ==, 1);
  g_assert_cmpint (motcua_test_pg_query_int (uri, "SELECT count(*) FROM pg_inherits"
                                                  " WHERE inhparent = 'hub_log'::regclass"),
                   ==, 2);
  g_assert_true (_motcua_pg_log_read (pg, "YB", 0, 100, count_entry, &n, &error));
  g_assert_cmpuint (n, ==, 1);

  /* The same write again: refused, and LC's head is where it was. */
  g_assert_true (_motcua_pg_exec (pg, "BEGIN", &error));
  g_assert_false (_motcua_pg_log_append (pg, "LC", e, 1, &first, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE);
  g_clear_error (&error);
  g_assert_true (_motcua_pg_exec (pg, "ROLLBACK", &error));
  g_assert_cmpint (motcua_test_pg_query_int (uri, "SELECT last_gseq FROM provinces"
                                                  " WHERE code = 'LC'"), ==, 2);
}

/* `motcua-server migrate` as an administrator runs it; the other commands refuse a PostgreSQL
 * store plainly, and write nothing. */
static void
test_server_migrate (void)
{
  g_autofree char *uri = motcua_test_pg_new_database (cluster);
  g_autofree char *dir = g_dir_make_tmp ("test-pg-XXXXXX", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const char *server = g_getenv ("MOTCUA_SERVER");
  const char *const migrate[] = { server, "--store", uri, "migrate", NULL };
  const char *const json[] = { server, "--store", uri, "--json", "migrate", NULL };
  const char *const list[] = { server, "--store", uri, "offices", "list", NULL };
  const char *const bad[] = { server, "--store", "postgresql://x/y?nonsense=1", "migrate", NULL };
  g_autoptr(MotcuaTestRun) first = NULL;
  g_autoptr(MotcuaTestRun) second = NULL;
  g_autoptr(MotcuaTestRun) as_json = NULL;
  g_autoptr(MotcuaTestRun) refused = NULL;
  g_autoptr(MotcuaTestRun) invalid = NULL;
  g_autoptr(GDir) left = NULL;

  g_assert_nonnull (server);
  launcher = motcua_test_launcher_new (dir, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                            | G_SUBPROCESS_FLAGS_STDERR_PIPE, "C.UTF-8");
  first = motcua_test_run (launcher, migrate);
  g_assert_cmpint (first->status, ==, 0);
  g_assert_nonnull (strstr (first->out, "went from version 0 to"));
  second = motcua_test_run (launcher, migrate);
  g_assert_cmpint (second->status, ==, 0);
  g_assert_nonnull (strstr (second->out, "already"));
  as_json = motcua_test_run (launcher, json);
  g_assert_cmpint (as_json->status, ==, 0);
  g_assert_nonnull (strstr (as_json->out, "\"backend\" : \"postgresql\""));

  refused = motcua_test_run (launcher, list);
  g_assert_cmpint (refused->status, ==, 2 /* usage */);
  g_assert_nonnull (strstr (refused->err, "cannot serve from a PostgreSQL store yet"));
  invalid = motcua_test_run (launcher, bad);
  g_assert_cmpint (invalid->status, ==, 2 /* usage */);
  g_assert_nonnull (strstr (invalid->err, "not valid"));

  /* Nothing was written beside it: no SQLite file named after the URI. */
  left = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (left));
  motcua_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pg/migrate/fresh", test_migrate_fresh);
  g_test_add_func ("/pg/migrate/again", test_migrate_again);
  g_test_add_func ("/pg/migrate/newer", test_migrate_newer);
  g_test_add_func ("/pg/migrate/concurrent", test_migrate_concurrent);
  g_test_add_func ("/pg/connect/errors", test_connect_errors);
  g_test_add_func ("/pg/log/reserve-concurrent", test_log_reserve_concurrent);
  g_test_add_func ("/pg/log/cursor", test_log_cursor);
  g_test_add_func ("/pg/log/provinces", test_log_provinces);
  g_test_add_func ("/pg/clock", test_clock);
  g_test_add_func ("/pg/unknown-province", test_unknown_province);
  g_test_add_func ("/pg/server/migrate", test_server_migrate);

  cluster = motcua_test_pg_start ();
  status = g_test_run ();
  motcua_test_pg_stop (cluster);

  return status;
}
