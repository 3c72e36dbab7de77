/* motcua-sync-bench.c: the sync benchmarks, a real motcua-server over HTTP
 *
 *   motcua-sync-bench --dump DIR [--workdir DIR] [--server PATH] [--slowlink PATH]
 *                     [--gen PATH] [--datadir DIR] [--commune CODE] [--pouchdb FILE]
 *                     [--pouchdb-slow FILE] [--replicas N] [--keep] [WHICH…]
 *
 * WHICH is any of compare, first-sync, first-sync-slow, desk-day, many (all by default; the
 * phases after compare need it, and it runs whenever one of them is asked for).
 *
 *  compare          the PouchDB workload (tests/bench/pouchdb/bench.js --dump DIR): a commune
 *                   replica imports the 20,000 cases (create), pushes them to the server (push),
 *                   its district pulls them from the log (pull-log); then the server's own admin
 *                   edits 2,000 cases (written on its store with the server stopped, as bench.js
 *                   writes its server's edits directly) and the commune 2,000, 1,000 of them the
 *                   same field of the same cases, and the commune syncs both ways (sync), then
 *                   twice more (echo, idle). Every byte between replica and server goes through
 *                   motcua-slowlink --passthrough, which counts it at the TCP level.
 *  first-sync       a new replica of the same commune enrolls and syncs for the first time:
 *                   1,800 procedures and the 20,000 cases of its scope, on loopback;
 *  first-sync-slow  the same through motcua-slowlink at 256 kbit/s, 300 ms RTT, 1 % loss;
 *  desk-day         that slow-link replica, as a busy commune desk: 40 new dossiers and 120
 *                   status changes, then one sync over the slow link;
 *  many             a second server with the 190 communes of motcua-bench-gen's province and
 *                   N (200) commune replicas, each a desk that received 5 dossiers: all sync at
 *                   once, each from its own thread.
 *
 * The cases of the dump are spread over the 14 offices of data/offices.json; one commune's
 * replica may write only its own, so every case is moved to --commune (LC.NN.NM): received
 * there, handled there, or by its district when the dump had it handled elsewhere (một cửa liên
 * thông), and numbered LC.NN.NM-2025-NNNNNN in the dump's order. Nothing else changes.
 *
 * Every figure is printed for people and once more as "RESULT name value unit".
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

/* The server whose CPU time measure_sync() reads (0: none). */
static GPid measured_server;

/* CPU seconds of process @pid (0: this one), all its threads, finer than the clock ticks
 * /proc/PID/stat counts in (an idle sync costs a few milliseconds): getrusage() for this
 * process (threads that ended included), the nanoseconds of each /proc/PID/task/TID/schedstat for a
 * child. The machine is shared, so CPU time is reported beside wall time: it says what the work
 * costs whatever else runs. */
static double
cpu_seconds (GPid pid)
{
  g_autofree char *dir_path = g_strdup_printf ("/proc/%d/task", (int) pid);
  g_autoptr(GDir) dir = NULL;
  const char *task;
  double total = 0;

  if (pid == 0)
    {
      struct rusage usage;

      getrusage (RUSAGE_SELF, &usage);
      return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
             + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    }

  dir = g_dir_open (dir_path, 0, NULL);
  while (dir != NULL && (task = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, task, "schedstat", NULL);
      g_autofree char *text = NULL;

      /* The first field: nanoseconds on a CPU. */
      if (g_file_get_contents (path, &text, NULL, NULL))
        total += g_ascii_strtod (text, NULL) / 1e9;
    }

  return total;
}

double
child_peak_rss_mib (Child *child)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status",
                                           g_subprocess_get_identifier (child->process));
  g_autofree char *text = NULL;
  const char *line;
  long kib = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL)
      || (line = strstr (text, "\nVmHWM:")) == NULL
      || sscanf (line + strlen ("\nVmHWM:"), "%ld", &kib) != 1)
    return 0;

  return kib / 1024.0;
}

/* The children running, stopped by die() too. */
static GPtrArray *children;
static GPid child_pids[8];

static void
on_signal (int signum)
{
  for (guint i = 0; i < G_N_ELEMENTS (child_pids); i++)
    if (child_pids[i] > 0)
      kill (child_pids[i], SIGKILL);
  _exit (128 + signum);
}

G_NORETURN void
die (const char   *what,
     const GError *error)
{
  for (guint i = 0; children != NULL && i < children->len; i++)
    g_subprocess_force_exit (children->pdata[i]);
  g_printerr ("motcua-sync-bench: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

/* A figure of the PouchDB run (a path of members in its JSON line), or NAN. */
double
pouch_figure (JsonParser *parser,
              const char *path)
{
  g_auto(GStrv) names = g_strsplit (path, ".", -1);
  JsonNode *node;

  if (parser == NULL)
    return NAN;
  node = json_parser_get_root (parser);
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NAN;
      node = json_object_get_member (json_node_get_object (node), names[i]);
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NAN;

  return json_node_get_double (node);
}

void
ratio (const char *name,
       double      ours,
       double      theirs)
{
  if (!isnan (theirs) && theirs != 0 && ours != 0)
    motcua_bench_result (name, ours / theirs, "x");
}

/* Processes */

/* Runs @argv to its end; its standard output, or dies. */
char *
run_tool (const char *const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                     | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error))
    die (argv[0], error);
  if (!g_subprocess_get_successful (process))
    {
      g_printerr ("motcua-sync-bench: %s %s failed:\n%s", argv[0], argv[1] ? argv[1] : "", err);
      exit (1);
    }

  return g_steal_pointer (&out);
}

static void
child_start (Child              *child,
             const char *const  *argv,
             const char         *stderr_path)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;

  if (stderr_path != NULL)
    g_subprocess_launcher_set_stderr_file_path (launcher, stderr_path);
  child->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (child->process == NULL)
    die (argv[0], error);
  child->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child->process));
  if (children == NULL)
    children = g_ptr_array_new ();
  g_ptr_array_add (children, child->process);
  for (guint i = 0; i < G_N_ELEMENTS (child_pids); i++)
    if (child_pids[i] == 0)
      {
        child_pids[i] = atoi (g_subprocess_get_identifier (child->process));
        break;
      }

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (child->out, NULL, NULL,
                                                                  &error);
      const char *colon;

      if (line == NULL)
        {
          g_printerr ("motcua-sync-bench: %s ended before listening%s%s\n", argv[0],
                      stderr_path ? "; see " : "", stderr_path ? stderr_path : "");
          exit (1);
        }
      if (!g_str_has_prefix (line, "listening on "))
        continue;
      colon = strrchr (line, ':');
      child->port = (guint) g_ascii_strtoull (colon + 1, NULL, 10);
      child->url = g_strdup_printf ("http://127.0.0.1:%u", child->port);
      break;
    }
}

void
child_stop (Child *child)
{
  g_autoptr(GError) error = NULL;

  if (child->process == NULL)
    return;
  g_ptr_array_remove (children, child->process);
  for (guint i = 0; i < G_N_ELEMENTS (child_pids); i++)
    if (child_pids[i] == atoi (g_subprocess_get_identifier (child->process)))
      child_pids[i] = 0;
  g_subprocess_send_signal (child->process, SIGTERM);
  if (!g_subprocess_wait (child->process, NULL, &error))
    die ("wait", error);
  g_clear_object (&child->out);
  g_clear_object (&child->process);
  g_clear_pointer (&child->url, g_free);
}

void
server_start (Bench  *bench,
              Server *server,
              guint   port)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *config = g_strconcat (server->store, ".conf", NULL);
  const char *argv[] = { bench->server_bin, "--config", config, "--store", server->store,
                         "serve", "--listen", "127.0.0.1", "--port", port_text, NULL };
  g_autoptr(GError) error = NULL;

  /* The engine's speed, not the server's policy: the default limit of 20 requests a second per
   * replica caps one replica's catch-up at 40,000 pulled changes a second (README, Serve a
   * province). */
  if (!g_file_set_contents (config, "[server]\nrequests-per-second=0\n", -1, &error))
    die ("config", error);
  child_start (&server->child, argv, server->log);
  measured_server = atoi (g_subprocess_get_identifier (server->child.process));
}

/* The server's log is appended to across restarts. */
void
server_init (Bench      *bench,
             Server     *server,
             const char *name)
{
  server->store = g_build_filename (bench->workdir, name, NULL);
  server->log = g_strconcat (server->store, ".log", NULL);
}

char *
server_tool (Bench      *bench,
             Server     *server,
             const char *a,
             const char *b,
             const char *c)
{
  const char *argv[] = { bench->server_bin, "--store", server->store, a, b, c, NULL };

  return run_tool (argv);
}

char *
enroll_token (Bench      *bench,
              Server     *server,
              const char *office)
{
  g_autofree char *out = server_tool (bench, server, "replicas", "enroll", office);

  return g_strdup (g_strstrip (out));
}

void
link_start (Bench      *bench,
            Link       *link,
            guint       to_port,
            gboolean    slow)
{
  g_autofree char *to = g_strdup_printf ("127.0.0.1:%u", to_port);
  g_autofree char *kbit = g_strdup_printf ("%d", SLOW_KBIT);
  g_autofree char *rtt = g_strdup_printf ("%d", SLOW_RTT_MS);
  char loss[G_ASCII_DTOSTR_BUF_SIZE];
  const char *fast[] = { bench->slowlink_bin, "--listen", "127.0.0.1:0", "--to", to,
                         "--passthrough", NULL };
  const char *slow_argv[] = { bench->slowlink_bin, "--listen", "127.0.0.1:0", "--to", to,
                              "--kbit", kbit, "--rtt-ms", rtt, "--loss", loss, "--seed", "1",
                              NULL };

  g_ascii_dtostr (loss, sizeof loss, SLOW_LOSS);
  child_start (&link->child, slow ? slow_argv : fast, NULL);
}

/* SIGUSR1 makes the proxy print "stats {…}" with its totals. */
static Wire
link_stats (Link *link)
{
  Wire wire = { 0 };

  g_subprocess_send_signal (link->child.process, SIGUSR1);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (link->child.out, NULL, NULL,
                                                                  &error);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *o;

      if (line == NULL)
        die ("motcua-slowlink stats", error);
      if (!g_str_has_prefix (line, "stats "))
        continue;
      if (!json_parser_load_from_data (parser, line + 6, -1, &error))
        die ("motcua-slowlink stats", error);
      o = json_node_get_object (json_parser_get_root (parser));
      wire.up = (guint64) json_object_get_int_member (o, "client_to_server_bytes");
      wire.down = (guint64) json_object_get_int_member (o, "server_to_client_bytes");
      wire.connections = (guint64) json_object_get_int_member (o, "connections");
      wire.lost = (guint64) (json_object_get_int_member (o, "client_to_server_lost_segments")
                             + json_object_get_int_member (o, "server_to_client_lost_segments"));
      return wire;
    }
}

static Wire
wire_minus (Wire a,
            Wire b)
{
  return (Wire) { a.up - b.up, a.down - b.down, a.connections - b.connections, a.lost - b.lost };
}

/* Replicas */

char *
replica_path (Bench      *bench,
              const char *name)
{
  return g_build_filename (bench->workdir, name, NULL);
}

void
enroll (const char *path,
        const char *url,
        const char *token)
{
  g_autoptr(GError) error = NULL;

  if (!motcua_sync_enroll (path, url, token, NULL, &error))
    die (path, error);
}

/* One sync of the replica at @path, timed, and counted by @link if given. */
Measured
measure_sync (const char *path,
              Link       *link,
              const char *what)
{
  return measure_sync_on (NULL, path, link, what);
}

Measured
measure_sync_on (MotcuaSync *desk,
                 const char *path,
                 Link       *link,
                 const char *what)
{
  g_autoptr(MotcuaSync) fresh = NULL;
  g_autoptr(GError) error = NULL;
  Measured m = { 0 };
  Wire before = { 0 };
  double server_cpu, client_cpu;
  gint64 start;

  if (link != NULL)
    before = link_stats (link);
  server_cpu = measured_server ? cpu_seconds (measured_server) : 0;
  client_cpu = cpu_seconds (0);
  start = g_get_monotonic_time ();
  /* A new engine opens the replica: that is part of the sync's cost. */
  if (desk == NULL)
    fresh = motcua_sync_new (path);
  if (!motcua_sync_run (desk != NULL ? desk : fresh, NULL, &m.summary, &error))
    die (what != NULL ? what : "sync", error);
  m.seconds = motcua_bench_seconds_since (start);
  m.client_cpu = cpu_seconds (0) - client_cpu;
  m.server_cpu = measured_server ? cpu_seconds (measured_server) - server_cpu : 0;
  if (link != NULL)
    m.wire = wire_minus (link_stats (link), before);
  if (!m.summary.verified)
    die (what != NULL ? what : "sync", NULL);
  if (what == NULL)
    return m;

  g_print ("%-18s %8.2f s (CPU: server %.2f s, replica %.2f s)\n", what, m.seconds, m.server_cpu,
           m.client_cpu);
  g_print ("%-18s %8.2f s  %8" G_GUINT64_FORMAT " changes up, %8" G_GUINT64_FORMAT " down;"
           " bodies %9" G_GUINT64_FORMAT " B up, %9" G_GUINT64_FORMAT " B down;"
           " TCP %9" G_GUINT64_FORMAT " B up, %9" G_GUINT64_FORMAT " B down; %u+%u requests,"
           " %" G_GUINT64_FORMAT " connections, %u rejected, %u conflicts%s\n",
           what, m.seconds, m.summary.changes_sent, m.summary.changes_received,
           m.summary.bytes_sent, m.summary.bytes_received, m.wire.up, m.wire.down,
           m.summary.batches_sent, m.summary.batches_received, m.wire.connections,
           m.summary.rejected, m.summary.conflicts, m.summary.repulled ? ", REPULLED" : "");

  return m;
}

/* An idle sync costs too little to measure once: the mean of IDLE_SYNCS, one after the other.
 * A desk syncs through one MotcuaSync all day (@fresh FALSE: one for all of them, after one
 * sync not counted, which opens the replica); motcua-cli sync is a new process each time
 * (@fresh: a new MotcuaSync for each). */
#define IDLE_SYNCS 20

Measured
measure_idle (const char *path,
              Link       *link,
              gboolean    fresh,
              const char *what)
{
  g_autoptr(MotcuaSync) desk = motcua_sync_new (path);
  Measured mean;

  if (!fresh)
    measure_sync_on (desk, path, link, NULL);
  mean = fresh ? measure_sync (path, link, NULL) : measure_sync_on (desk, path, link, NULL);
  for (guint i = 1; i < IDLE_SYNCS; i++)
    {
      Measured m = fresh ? measure_sync (path, link, NULL) : measure_sync_on (desk, path, link, NULL);

      mean.seconds += m.seconds;
      mean.server_cpu += m.server_cpu;
      mean.client_cpu += m.client_cpu;
      mean.wire.up += m.wire.up;
      mean.wire.down += m.wire.down;
      mean.wire.connections += m.wire.connections;
    }
  mean.seconds /= IDLE_SYNCS;
  mean.server_cpu /= IDLE_SYNCS;
  mean.client_cpu /= IDLE_SYNCS;
  mean.wire.up /= IDLE_SYNCS;
  mean.wire.down /= IDLE_SYNCS;
  mean.wire.connections /= IDLE_SYNCS;

  g_print ("%-18s %8.4f s (CPU: server %.4f s, replica %.4f s; TCP %" G_GUINT64_FORMAT
           " B up, %" G_GUINT64_FORMAT " B down: the mean of %u syncs)\n", what, mean.seconds,
           mean.server_cpu, mean.client_cpu, mean.wire.up, mean.wire.down, IDLE_SYNCS);

  return mean;
}

void
results_of (const char     *prefix,
            const Measured *m)
{
  g_autofree char *name = NULL;

#define R(suffix, value, unit) \
  G_STMT_START { \
    g_free (name); \
    name = g_strconcat (prefix, "-", suffix, NULL); \
    motcua_bench_result (name, value, unit); \
  } G_STMT_END

  R ("seconds", m->seconds, "s");
  R ("server-cpu-seconds", m->server_cpu, "s");
  R ("replica-cpu-seconds", m->client_cpu, "s");
  /* The same in milliseconds: an idle sync's are a few, below the seconds' three decimals. */
  R ("server-cpu-ms", m->server_cpu * 1000, "ms");
  R ("replica-cpu-ms", m->client_cpu * 1000, "ms");
  R ("changes-up", (double) m->summary.changes_sent, "changes");
  R ("changes-down", (double) m->summary.changes_received, "changes");
  R ("body-bytes-up", (double) m->summary.bytes_sent, "B");
  R ("body-bytes-down", (double) m->summary.bytes_received, "B");
  if (m->wire.up + m->wire.down > 0)
    {
      R ("tcp-bytes-up", (double) m->wire.up, "B");
      R ("tcp-bytes-down", (double) m->wire.down, "B");
      R ("tcp-bytes", (double) (m->wire.up + m->wire.down), "B");
    }
  R ("requests", (double) (m->summary.batches_sent + m->summary.batches_received + 1), "");
#undef R
}

MotcuaReplica *
open_replica (const char *path)
{
  g_autoptr(GError) error = NULL;
  MotcuaReplica *replica = motcua_replica_open (path, &error);

  if (replica == NULL)
    die (path, error);
  motcua_replica_set_officer (replica, "bench");

  return replica;
}

void
commit (MotcuaReplica *replica)
{
  g_autoptr(GError) error = NULL;

  if (!motcua_replica_commit (replica, &error))
    die ("commit", error);
}

void
begin (MotcuaReplica *replica)
{
  g_autoptr(GError) error = NULL;

  if (!motcua_replica_begin (replica, &error))
    die ("begin", error);
}

static gboolean
wanted (GStrv       which,
        const char *name)
{
  return which == NULL || which[0] == NULL || g_strv_contains ((const char *const *) which, name);
}

static char *
default_tool (const char *self_dir,
              const char *relative)
{
  g_autofree char *path = g_build_filename (self_dir, relative, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return g_file_get_path (file);   /* canonical: without "..". */
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0 };
  g_auto(GStrv) which = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self_dir = NULL;
  int n_replicas = 200;
  GOptionEntry entries[] = {
    { "dump", 0, 0, G_OPTION_ARG_FILENAME, &bench.dump,
      "The workload: a directory written by bench.js --dump", "DIR" },
    { "workdir", 0, 0, G_OPTION_ARG_FILENAME, &bench.workdir,
      "Where the stores and replicas go (emptied first)", "DIR" },
    { "datadir", 0, 0, G_OPTION_ARG_FILENAME, &bench.datadir,
      "The data/ directory (offices.json, calendars)", "DIR" },
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &bench.server_bin, "motcua-server", "PATH" },
    { "slowlink", 0, 0, G_OPTION_ARG_FILENAME, &bench.slowlink_bin, "motcua-slowlink",
      "PATH" },
    { "gen", 0, 0, G_OPTION_ARG_FILENAME, &bench.gen_bin, "motcua-bench-gen", "PATH" },
    { "commune", 0, 0, G_OPTION_ARG_STRING, &bench.commune,
      "The commune whose replica pushes the cases (LC.NN.NM)", "CODE" },
    { "pouchdb", 0, 0, G_OPTION_ARG_FILENAME, &bench.pouchdb,
      "PouchDB's results on loopback, for the ratios", "FILE" },
    { "pouchdb-slow", 0, 0, G_OPTION_ARG_FILENAME, &bench.pouchdb_slow,
      "PouchDB's results on the slow link", "FILE" },
    { "replicas", 0, 0, G_OPTION_ARG_INT, &n_replicas, "Replicas syncing at once (200)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &bench.keep, "Keep the work directory", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &which, NULL, NULL },
    { NULL }
  };
  static const char *const known[] = { "compare", "first-sync", "first-sync-slow", "desk-day",
                                       "many", NULL };
  Province p = { 0 };
  gboolean province;

  setlocale (LC_ALL, "");
  signal (SIGPIPE, SIG_IGN);
  signal (SIGINT, on_signal);
  signal (SIGTERM, on_signal);

  context = g_option_context_new ("[WHICH…] — the sync benchmarks");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "WHICH: compare, first-sync, first-sync-slow, desk-day, many"
                                    " (all by default)");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  for (guint i = 0; which != NULL && which[i] != NULL; i++)
    if (!g_strv_contains (known, which[i]))
      die (which[i], NULL);
  if (n_replicas < 1 || n_replicas > 2000)
    die ("--replicas must be from 1 to 2000", NULL);
  bench.n_replicas = (guint) n_replicas;

  self_dir = g_path_get_dirname (argv[0]);
  if (bench.server_bin == NULL)
    bench.server_bin = default_tool (self_dir, "../../app/server/motcua-server");
  if (bench.slowlink_bin == NULL)
    bench.slowlink_bin = default_tool (self_dir, "motcua-slowlink");
  if (bench.gen_bin == NULL)
    bench.gen_bin = default_tool (self_dir, "motcua-bench-gen");
  if (bench.datadir == NULL)
    bench.datadir = g_strdup (MOTCUA_SOURCE_DATADIR);
  if (bench.commune == NULL)
    bench.commune = g_strdup ("LC.NN.NM");
  if (bench.workdir == NULL)
    bench.workdir = g_dir_make_tmp ("motcua-sync-bench-XXXXXX", &error);
  if (bench.workdir == NULL)
    die ("workdir", error);
  if (bench.pouchdb != NULL && g_file_test (bench.pouchdb, G_FILE_TEST_EXISTS))
    bench.pouch = parse_file (bench.pouchdb);
  if (bench.pouchdb_slow != NULL && g_file_test (bench.pouchdb_slow, G_FILE_TEST_EXISTS))
    bench.pouch_slow = parse_file (bench.pouchdb_slow);

  province = wanted (which, "compare") || wanted (which, "first-sync")
             || wanted (which, "first-sync-slow") || wanted (which, "desk-day");
  if (province && bench.dump == NULL)
    die ("--dump DIR is needed (node tests/bench/pouchdb/bench.js … --dump DIR)", NULL);

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", bench.workdir);

    if (system (command) != 0 || g_mkdir_with_parents (bench.workdir, 0755) != 0)
      die (bench.workdir, NULL);
  }
  g_print ("# motcua-sync-bench in %s\n", bench.workdir);
  make_reference_files (&bench);

  if (province)
    {
      p.bench = &bench;
      province_setup (&p);
      bench_compare (&p);
      if (wanted (which, "first-sync"))
        bench_first_sync (&p, FALSE);
      if (wanted (which, "first-sync-slow") || wanted (which, "desk-day"))
        bench_first_sync (&p, TRUE);
      if (wanted (which, "desk-day"))
        bench_desk_day (&p);
      child_stop (&p.slow.child);
      child_stop (&p.fast.child);
      child_stop (&p.server.child);

      /* The conflicts as the server holds them. */
      {
        g_autoptr(MotcuaReplica) store = open_replica (p.server.store);

        motcua_bench_result ("compare-conflicts-server",
                             (double) motcua_replica_count_conflicts (store, NULL), "conflicts");
      }
      workload_clear (&p.w);
    }

  if (wanted (which, "many"))
    bench_many (&bench);

  if (!bench.keep)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", bench.workdir);

      if (system (command) != 0)
        g_printerr ("motcua-sync-bench: could not remove %s\n", bench.workdir);
    }

  return 0;
}
