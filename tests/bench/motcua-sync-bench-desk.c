/* motcua-sync-bench-desk.c: the desk-day benchmark, and many replicas syncing at once
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "motcua-bench-data.h"
#include "motcua-bench-util.h"
#include "motcua-sync-bench.h"

/* Cases of the replica in @status, at most @limit, as receipt numbers. */
static GPtrArray *
cases_in (MotcuaReplica *replica,
          MotcuaStatus   status,
          guint          limit)
{
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  filter.status = (int) status;
  filter.limit = limit;
  cases = motcua_replica_list_cases (replica, &filter, &error);
  if (cases == NULL)
    die ("list cases", error);
  for (guint i = 0; i < cases->len; i++)
    g_ptr_array_add (out, g_strdup (((MotcuaCase *) cases->pdata[i])->id));

  return out;
}

static void
step (MotcuaReplica *replica,
      const char    *key,
      MotcuaStatus   to)
{
  MotcuaStepOptions options = { 0 };
  g_autoptr(GError) error = NULL;

  if (to == MOTCUA_STATUS_APPROVED)
    options.result = "Giấy chứng nhận";
  if (to == MOTCUA_STATUS_RETURNED)
    options.returned_via = MOTCUA_CHANNEL_COUNTER;
  if (!motcua_replica_advance_case (replica, key, to, &options, &error))
    die (key, error);
}

/* One dossier received at the desk, as an officer enters it. */
static void
receive_one (MotcuaReplica *replica,
             const char    *procedure_code,
             guint64        person,
             GPtrArray     *received)
{
  g_autoptr(MotcuaProcedure) procedure = NULL;
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(GError) error = NULL;
  MotcuaBenchPerson who;
  MotcuaReception r = { 0 };
  guint papers[16];

  procedure = motcua_replica_dup_procedure (replica, procedure_code, &error);
  if (procedure == NULL)
    die (procedure_code, error);
  motcua_bench_person (7, person, &who);
  r.procedure_code = procedure_code;
  r.applicant_name = who.name;
  r.citizen_id = who.citizen_id;
  r.phone = who.phone[0] ? who.phone : NULL;
  r.address = "Bản Nậm Manh, xã Nậm Manh, huyện Nậm Nhùn";
  r.channel = MOTCUA_CHANNEL_COUNTER;
  r.n_papers = MIN (procedure->documents ? g_strv_length (procedure->documents) : 0,
                    G_N_ELEMENTS (papers));
  for (guint i = 0; i < r.n_papers; i++)
    papers[i] = i;
  r.papers = papers;
  c = motcua_replica_receive (replica, &r, &error);
  if (c == NULL)
    die ("receive", error);
  if (received != NULL)
    g_ptr_array_add (received, g_strdup (c->id));
}

void
bench_desk_day (Province *p)
{
  g_autoptr(MotcuaReplica) desk = open_replica (p->slow_db);
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) processing = cases_in (desk, MOTCUA_STATUS_IN_PROCESSING, DESK_STEPS / 3);
  g_autoptr(GPtrArray) approved = cases_in (desk, MOTCUA_STATUS_APPROVED, DESK_STEPS / 3);
  static const char *const popular[] = { "MAU.HT.001", "MAU.HT.003", "MAU.CT.001",
                                         "MAU.BTXH.004", "MAU.HT.002" };
  guint64 seq_before = motcua_replica_get_last_seq (desk);
  guint steps = 0;
  Measured m;

  g_print ("\n== desk-day: %u new dossiers and %u status changes at %s, one sync over the slow"
           " link ==\n", DESK_NEW, DESK_STEPS, p->bench->commune);
  uptime_line ("desk-day");

  /* The day: each write on its own, as the desk makes them. */
  for (guint i = 0; i < DESK_NEW; i++)
    receive_one (desk, popular[i % G_N_ELEMENTS (popular)], 500000 + i, received);
  for (guint i = 0; i < received->len && steps < DESK_STEPS; i++, steps++)
    step (desk, received->pdata[i], MOTCUA_STATUS_IN_PROCESSING);
  for (guint i = 0; i < processing->len && steps < DESK_STEPS; i++, steps++)
    step (desk, processing->pdata[i], MOTCUA_STATUS_APPROVED);
  for (guint i = 0; i < approved->len && steps < DESK_STEPS; i++, steps++)
    step (desk, approved->pdata[i], MOTCUA_STATUS_RETURNED);
  if (steps != DESK_STEPS)
    die ("not enough open cases for the status changes", NULL);
  g_print ("%-18s %u changes in the log\n", "the day (local)",
           (guint) (motcua_replica_get_last_seq (desk) - seq_before));
  g_clear_object (&desk);

  m = measure_sync (p->slow_db, &p->slow, "desk-day");
  results_of ("desk-day", &m);
  motcua_bench_result ("desk-day-tcp-kib", (m.wire.up + m.wire.down) / 1024.0, "KiB");
}

/* many */

typedef struct
{
  char          *path;
  GMutex        *lock;
  GCond         *cond;
  gboolean      *go;
  double         seconds;
  MotcuaSyncProgress summary;
  GError        *error;
} Desk;

static gpointer
desk_thread (gpointer data)
{
  Desk *desk = data;
  g_autoptr(MotcuaSync) sync = motcua_sync_new (desk->path);
  gint64 start;

  g_mutex_lock (desk->lock);
  while (!*desk->go)
    g_cond_wait (desk->cond, desk->lock);
  g_mutex_unlock (desk->lock);

  start = g_get_monotonic_time ();
  motcua_sync_run (sync, NULL, &desk->summary, &desk->error);
  desk->seconds = motcua_bench_seconds_since (start);

  return NULL;
}

/* The per-request milliseconds of the server's log past @offset. */
static GArray *
request_ms (const char *log,
            gsize       offset,
            guint      *n_errors)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  GArray *out = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(GStrv) lines = NULL;

  *n_errors = 0;
  if (!g_file_get_contents (log, &text, &length, NULL) || length < offset)
    return out;
  lines = g_strsplit (text + offset, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *ms = strstr (lines[i], " ms=");
      const char *status = strstr (lines[i], " status=");
      double value;

      if (ms == NULL || status == NULL)
        continue;
      value = g_ascii_strtod (ms + 4, NULL);
      g_array_append_val (out, value);
      if (!g_str_has_prefix (status + 8, "200"))
        (*n_errors)++;
    }

  return out;
}

static gsize
file_length (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gsize) st.st_size : 0;
}

void
bench_many (Bench *bench)
{
  g_autofree char *catalogue = g_build_filename (bench->datadir, "catalogue.json", NULL);
  const char *init[] = { bench->server_bin, "--store", NULL, "init", "--province", "P",
                         "--name", "Tỉnh Sơn Lai", NULL };
  static const char *const procedures[] = { "MAU.HT.001", "MAU.HT.003", "MAU.CT.001" };
  g_autoptr(MotcuaReplica) gen_view = NULL;
  g_autoptr(GPtrArray) communes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) sync_s = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree Desk *desks = NULL;
  g_autofree GThread **threads = NULL;
  GMutex lock;
  GCond cond;
  gboolean go = FALSE;
  guint64 pushed = 0, pulled = 0;
  guint n_errors = 0, failed = 0;
  gsize log_offset;
  Server server = { 0 };
  double wall, rss;
  gint64 start;

  g_print ("\n== many: %u commune replicas syncing at once ==\n", bench->n_replicas);

  server_init (bench, &server, "many.db");
  init[2] = server.store;
  g_free (run_tool (init));
  g_free (server_tool (bench, &server, "offices", "import", bench->gen_offices));
  g_free (server_tool (bench, &server, "publish", "catalogue", catalogue));

  {
    g_autofree char *db = g_build_filename (bench->workdir, "gen.db", NULL);
    g_autoptr(GPtrArray) offices = NULL;

    gen_view = open_replica (db);
    offices = motcua_replica_list_offices (gen_view, &error);
    if (offices == NULL)
      die ("offices", error);
    for (guint i = 0; i < offices->len; i++)
      if (((MotcuaOffice *) offices->pdata[i])->level == MOTCUA_LEVEL_COMMUNE)
        g_ptr_array_add (communes, g_strdup (((MotcuaOffice *) offices->pdata[i])->code));
    g_clear_object (&gen_view);
  }

  server_start (bench, &server, 0);
  desks = g_new0 (Desk, bench->n_replicas);
  threads = g_new0 (GThread *, bench->n_replicas);
  g_mutex_init (&lock);
  g_cond_init (&cond);

  /* Enrolled, synced once (reference data), then a day's first dossiers at each desk. */
  for (guint i = 0; i < bench->n_replicas; i++)
    {
      const char *office = communes->pdata[i % communes->len];
      g_autofree char *token = enroll_token (bench, &server, office);
      g_autofree char *name = g_strdup_printf ("many-%03u.db", i);
      g_autoptr(MotcuaSync) sync = NULL;
      g_autoptr(MotcuaReplica) replica = NULL;

      desks[i].path = replica_path (bench, name);
      desks[i].lock = &lock;
      desks[i].cond = &cond;
      desks[i].go = &go;
      enroll (desks[i].path, server.child.url, token);
      sync = motcua_sync_new (desks[i].path);
      if (!motcua_sync_run (sync, NULL, NULL, &error))
        die (desks[i].path, error);
      replica = open_replica (desks[i].path);
      for (guint k = 0; k < MANY_CASES; k++)
        receive_one (replica, procedures[k % G_N_ELEMENTS (procedures)], i * 100 + k, NULL);
    }

  for (guint i = 0; i < bench->n_replicas; i++)
    threads[i] = g_thread_new ("desk", desk_thread, &desks[i]);
  g_usleep (G_USEC_PER_SEC / 2);   /* every thread waiting */
  uptime_line ("many");
  log_offset = file_length (server.log);

  g_mutex_lock (&lock);
  go = TRUE;
  start = g_get_monotonic_time ();
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  for (guint i = 0; i < bench->n_replicas; i++)
    g_thread_join (threads[i]);
  wall = motcua_bench_seconds_since (start);

  for (guint i = 0; i < bench->n_replicas; i++)
    {
      if (desks[i].error != NULL)
        {
          if (failed++ == 0)
            g_printerr ("motcua-sync-bench: %s: %s\n", desks[i].path, desks[i].error->message);
          g_clear_error (&desks[i].error);
          continue;
        }
      g_array_append_val (sync_s, desks[i].seconds);
      pushed += desks[i].summary.changes_sent;
      pulled += desks[i].summary.changes_received;
    }
  rss = child_peak_rss_mib (&server.child);
  child_stop (&server.child);
  ms = request_ms (server.log, log_offset, &n_errors);

  g_print ("%-18s %8.2f s  %u syncs (%u failed), %" G_GUINT64_FORMAT " changes up, %"
           G_GUINT64_FORMAT " down, %u requests (%u not 200)\n", "all at once", wall,
           bench->n_replicas, failed, pushed, pulled, ms->len, n_errors);
  motcua_bench_result ("many-replicas", bench->n_replicas, "replicas");
  motcua_bench_result ("many-failed-syncs", failed, "syncs");
  motcua_bench_result ("many-wall-seconds", wall, "s");
  motcua_bench_result ("many-changes-per-s", (pushed + pulled) / wall, "changes/s");
  motcua_bench_result ("many-pushed-changes-per-s", pushed / wall, "changes/s");
  motcua_bench_result ("many-syncs-per-s", (bench->n_replicas - failed) / wall, "syncs/s");
  motcua_bench_result ("many-sync-p50", motcua_bench_percentile (sync_s, 0.50) * 1000, "ms");
  motcua_bench_result ("many-sync-p95", motcua_bench_percentile (sync_s, 0.95) * 1000, "ms");
  motcua_bench_result ("many-sync-max", motcua_bench_percentile (sync_s, 1.0) * 1000, "ms");
  motcua_bench_result ("many-requests", ms->len, "requests");
  motcua_bench_result ("many-requests-not-200", n_errors, "requests");
  motcua_bench_result ("many-request-server-p50", motcua_bench_percentile (ms, 0.50), "ms");
  motcua_bench_result ("many-request-server-p95", motcua_bench_percentile (ms, 0.95), "ms");
  motcua_bench_result ("many-request-server-max", motcua_bench_percentile (ms, 1.0), "ms");
  motcua_bench_result ("many-server-peak-rss", rss, "MiB");

  for (guint i = 0; i < bench->n_replicas; i++)
    g_free (desks[i].path);
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
  g_free (server.store);
  g_free (server.log);
}
