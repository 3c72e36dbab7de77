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

#define DESK_NEW         40
#define DESK_STEPS       120
#define MANY_CASES       5
#define SLOW_KBIT        256
#define SLOW_RTT_MS      300
#define SLOW_LOSS        0.01

typedef struct
{
  char       *workdir;
  char       *dump;
  char       *datadir;
  char       *server_bin;
  char       *slowlink_bin;
  char       *gen_bin;
  char       *commune;
  char       *pouchdb;
  char       *pouchdb_slow;
  guint       n_replicas;
  gboolean    keep;

  /* Made during the run */
  char       *catalogue;      /* the 1,800 procedures, as a motcua-catalogue file */
  char       *gen_offices;    /* motcua-bench-gen's offices, as a motcua-offices file */
  JsonParser *pouch;
  JsonParser *pouch_slow;
} Bench;

/* A child process printing "listening on …:PORT" on its standard output. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  guint             port;
  char             *url;
} Child;

/* What the proxy counted. */
typedef struct
{
  guint64 up;
  guint64 down;
  guint64 connections;
  guint64 lost;
} Wire;

/* One measured sync. */
typedef struct
{
  double             seconds;
  double             server_cpu;   /* seconds of CPU the server spent meanwhile */
  double             client_cpu;   /* and this process (the replica's side) */
  MotcuaSyncProgress summary;
  Wire               wire;
} Measured;

/* The server whose CPU time measure_sync() reads (0: none). */
static GPid measured_server;

/* User and system CPU seconds of process @pid (0: this one). The machine is shared, so CPU
 * time is reported beside wall time: it says what the work costs whatever else runs. */
static double
cpu_seconds (GPid pid)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  if (pid == 0)
    {
      struct rusage usage;

      getrusage (RUSAGE_SELF, &usage);
      return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
             + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    }

  path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  if (!g_file_get_contents (path, &text, NULL, NULL) || (end = strrchr (text, ')')) == NULL)
    return 0;
  /* After "pid (comm) ": state is field 3, utime 14 and stime 15. */
  fields = g_strsplit (end + 2, " ", 16);
  if (g_strv_length (fields) < 14)
    return 0;

  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         / sysconf (_SC_CLK_TCK);
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

static G_NORETURN void
die (const char   *what,
     const GError *error)
{
  for (guint i = 0; children != NULL && i < children->len; i++)
    g_subprocess_force_exit (children->pdata[i]);
  g_printerr ("motcua-sync-bench: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

/* A figure of the PouchDB run (a path of members in its JSON line), or NAN. */
static double
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

static void
ratio (const char *name,
       double      ours,
       double      theirs)
{
  if (!isnan (theirs) && theirs != 0 && ours != 0)
    motcua_bench_result (name, ours / theirs, "x");
}

/* Processes */

/* Runs @argv to its end; its standard output, or dies. */
static char *
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

static void
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

typedef struct
{
  char  *store;
  char  *log;
  Child  child;
} Server;

static void
server_start (Bench  *bench,
              Server *server,
              guint   port)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  const char *argv[] = { bench->server_bin, "--store", server->store, "serve", "--listen",
                         "127.0.0.1", "--port", port_text, NULL };

  child_start (&server->child, argv, server->log);
  measured_server = atoi (g_subprocess_get_identifier (server->child.process));
}

/* The server's log is appended to across restarts. */
static void
server_init (Bench      *bench,
             Server     *server,
             const char *name)
{
  server->store = g_build_filename (bench->workdir, name, NULL);
  server->log = g_strconcat (server->store, ".log", NULL);
}

static char *
server_tool (Bench      *bench,
             Server     *server,
             const char *a,
             const char *b,
             const char *c)
{
  const char *argv[] = { bench->server_bin, "--store", server->store, a, b, c, NULL };

  return run_tool (argv);
}

static char *
enroll_token (Bench      *bench,
              Server     *server,
              const char *office)
{
  g_autofree char *out = server_tool (bench, server, "replicas", "enroll", office);

  return g_strdup (g_strstrip (out));
}

typedef struct
{
  Child child;
} Link;

static void
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

static char *
replica_path (Bench      *bench,
              const char *name)
{
  return g_build_filename (bench->workdir, name, NULL);
}

static void
enroll (const char *path,
        const char *url,
        const char *token)
{
  g_autoptr(GError) error = NULL;

  if (!motcua_sync_enroll (path, url, token, NULL, &error))
    die (path, error);
}

/* One sync of the replica at @path, timed, and counted by @link if given. */
static Measured
measure_sync (const char *path,
              Link       *link,
              const char *what)
{
  g_autoptr(MotcuaSync) sync = motcua_sync_new (path);
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
  if (!motcua_sync_run (sync, NULL, &m.summary, &error))
    die (what, error);
  m.seconds = motcua_bench_seconds_since (start);
  m.client_cpu = cpu_seconds (0) - client_cpu;
  m.server_cpu = measured_server ? cpu_seconds (measured_server) - server_cpu : 0;
  if (link != NULL)
    m.wire = wire_minus (link_stats (link), before);
  if (!m.summary.verified)
    die (what, NULL);

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

static void
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

static MotcuaReplica *
open_replica (const char *path)
{
  g_autoptr(GError) error = NULL;
  MotcuaReplica *replica = motcua_replica_open (path, &error);

  if (replica == NULL)
    die (path, error);
  motcua_replica_set_officer (replica, "bench");

  return replica;
}

static void
commit (MotcuaReplica *replica)
{
  g_autoptr(GError) error = NULL;

  if (!motcua_replica_commit (replica, &error))
    die ("commit", error);
}

static void
begin (MotcuaReplica *replica)
{
  g_autoptr(GError) error = NULL;

  if (!motcua_replica_begin (replica, &error))
    die ("begin", error);
}

/* The workload */

typedef struct
{
  char *receipt_no;
  char *field;
  char *value;
} Edit;

static void
edit_free (gpointer data)
{
  Edit *edit = data;

  g_free (edit->receipt_no);
  g_free (edit->field);
  g_free (edit->value);
  g_free (edit);
}

typedef struct
{
  char      *cases_json;   /* the dump's cases moved to one commune */
  gsize      length;
  guint      n_cases;
  GPtrArray *client;       /* Edit: the commune's */
  GPtrArray *server;       /* Edit: the server's own */
  guint      overlap;
} Workload;

static JsonParser *
parse_file (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_file (parser, path, &error))
    die (path, error);

  return g_steal_pointer (&parser);
}

static GPtrArray *
read_edits (JsonObject *edits,
            const char *side,
            GHashTable *receipts)
{
  JsonArray *list = json_object_get_array_member (edits, side);
  GPtrArray *out = g_ptr_array_new_with_free_func (edit_free);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *e = json_array_get_object_element (list, i);
      const char *receipt = g_hash_table_lookup (receipts,
                                                 json_object_get_string_member (e, "receipt_no"));
      JsonNode *value = json_object_get_member (e, "value");
      Edit *edit = g_new0 (Edit, 1);

      if (receipt == NULL)
        die ("edits.json names a case that is not in cases.json", NULL);
      edit->receipt_no = g_strdup (receipt);
      edit->field = g_strdup (json_object_get_string_member (e, "field"));
      edit->value = json_node_get_value_type (value) == G_TYPE_STRING
                    ? g_strdup (json_node_get_string (value))
                    : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
      g_ptr_array_add (out, edit);
    }

  return out;
}

static void
load_workload (Bench      *bench,
               const char *district,
               Workload   *w)
{
  g_autofree char *cases_path = g_build_filename (bench->dump, "cases.json", NULL);
  g_autofree char *edits_path = g_build_filename (bench->dump, "edits.json", NULL);
  g_autoptr(JsonParser) cases = parse_file (cases_path);
  g_autoptr(JsonParser) edits = parse_file (edits_path);
  g_autoptr(GHashTable) receipts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          g_free);
  JsonArray *list = json_object_get_array_member (json_node_get_object (
                                                    json_parser_get_root (cases)), "cases");
  JsonObject *e = json_node_get_object (json_parser_get_root (edits));

  w->n_cases = json_array_get_length (list);
  for (guint i = 0; i < w->n_cases; i++)
    {
      JsonObject *c = json_array_get_object_element (list, i);
      const char *receiving = json_object_get_string_member (c, "receiving_office");
      const char *handling = json_object_has_member (c, "handling_office")
                             ? json_object_get_string_member (c, "handling_office") : receiving;
      gboolean elsewhere = g_strcmp0 (handling, receiving) != 0;
      char *receipt = g_strdup_printf ("%s-2025-%06u", bench->commune, i + 1);

      g_hash_table_insert (receipts,
                           g_strdup (json_object_get_string_member (c, "receipt_no")), receipt);
      json_object_set_string_member (c, "receipt_no", receipt);
      json_object_set_string_member (c, "receiving_office", bench->commune);
      json_object_set_string_member (c, "handling_office", elsewhere ? district : bench->commune);
    }
  w->cases_json = json_to_string (json_parser_get_root (cases), FALSE);
  w->length = strlen (w->cases_json);
  w->client = read_edits (e, "client", receipts);
  w->server = read_edits (e, "server", receipts);
  w->overlap = (guint) json_object_get_int_member (e, "overlap");
}

static void
workload_clear (Workload *w)
{
  g_free (w->cases_json);
  g_clear_pointer (&w->client, g_ptr_array_unref);
  g_clear_pointer (&w->server, g_ptr_array_unref);
}

static double
apply_edits (MotcuaReplica *replica,
             GPtrArray     *edits)
{
  gint64 start = g_get_monotonic_time ();

  begin (replica);
  for (guint i = 0; i < edits->len; i++)
    {
      const Edit *edit = edits->pdata[i];
      g_autoptr(GError) error = NULL;

      if (!motcua_replica_edit_case (replica, edit->receipt_no, edit->field, edit->value, NULL,
                                     &error))
        die (edit->receipt_no, error);
    }
  commit (replica);

  return motcua_bench_seconds_since (start);
}

/* The reference data from motcua-bench-gen's province: its 1,800 procedures as a catalogue
 * file, its offices (below the province) as an offices file. */
static void
make_reference_files (Bench *bench)
{
  g_autofree char *db = g_build_filename (bench->workdir, "gen.db", NULL);
  const char *argv[] = { bench->gen_bin, "--db", db, "--cases", "1", "--seed", "1", NULL };
  g_autoptr(MotcuaReplica) gen = NULL;
  g_autoptr(GPtrArray) procedures = NULL;
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_free (run_tool (argv));
  gen = open_replica (db);
  procedures = motcua_replica_list_procedures (gen, NULL, -1, &error);
  if (procedures == NULL)
    die ("procedures", error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "motcua-catalogue");
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "procedures");
  json_builder_begin_array (b);
  for (guint i = 0; i < procedures->len; i++)
    {
      const MotcuaProcedure *p = procedures->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, p->code);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, p->name);
      json_builder_set_member_name (b, "sector");
      json_builder_add_string_value (b, p->sector);
      json_builder_set_member_name (b, "levels");
      json_builder_begin_array (b);
      for (guint level = 0; level < MOTCUA_N_LEVELS; level++)
        if (p->levels & (1u << level))
          json_builder_add_string_value (b, motcua_level_to_string (level));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "processing_days");
      json_builder_add_int_value (b, p->processing_days);
      json_builder_set_member_name (b, "fee");
      json_builder_add_int_value (b, p->fee);
      if (p->fee_note != NULL)
        {
          json_builder_set_member_name (b, "fee_note");
          json_builder_add_string_value (b, p->fee_note);
        }
      json_builder_set_member_name (b, "online");
      json_builder_add_string_value (b, p->online_full ? "full" : "partial");
      json_builder_set_member_name (b, "documents");
      json_builder_begin_array (b);
      for (guint d = 0; p->documents != NULL && p->documents[d] != NULL; d++)
        json_builder_add_string_value (b, p->documents[d]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "legal_basis");
      json_builder_begin_array (b);
      for (guint d = 0; p->legal_basis != NULL && p->legal_basis[d] != NULL; d++)
        json_builder_add_string_value (b, p->legal_basis[d]);
      json_builder_end_array (b);
      if (p->in_force_from != NULL)
        {
          json_builder_set_member_name (b, "in_force_from");
          json_builder_add_string_value (b, p->in_force_from);
        }
      if (p->in_force_to != NULL)
        {
          json_builder_set_member_name (b, "in_force_to");
          json_builder_add_string_value (b, p->in_force_to);
        }
      json_builder_set_member_name (b, "code_official");
      json_builder_add_boolean_value (b, p->code_official);
      json_builder_set_member_name (b, "sample");
      json_builder_add_boolean_value (b, p->sample);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  bench->catalogue = g_build_filename (bench->workdir, "catalogue-1800.json", NULL);
  if (!g_file_set_contents (bench->catalogue, text, -1, &error))
    die (bench->catalogue, error);

  offices = motcua_replica_list_offices (gen, &error);
  if (offices == NULL)
    die ("offices", error);
  json_builder_reset (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "motcua-offices");
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "offices");
  json_builder_begin_array (b);
  for (guint i = 0; i < offices->len; i++)
    {
      const MotcuaOffice *o = offices->pdata[i];

      if (o->parent_code == NULL)
        continue;   /* the province: made by init */
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, o->code);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, o->name);
      json_builder_set_member_name (b, "level");
      json_builder_add_string_value (b, motcua_level_to_string (o->level));
      json_builder_set_member_name (b, "parent");
      json_builder_add_string_value (b, o->parent_code);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&text, g_free);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  bench->gen_offices = g_build_filename (bench->workdir, "offices-gen.json", NULL);
  if (!g_file_set_contents (bench->gen_offices, text, -1, &error))
    die (bench->gen_offices, error);
}

static void
uptime_line (const char *when)
{
  g_autofree char *text = NULL;

  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    g_print ("# load %s: %s", when, text);
}

/* compare, first-sync, first-sync-slow, desk-day */

typedef struct
{
  Bench    *bench;
  Server    server;
  Link      fast;
  Link      slow;
  char     *district;
  char     *commune_db;
  char     *district_db;
  char     *slow_db;
  Workload  w;
} Province;

static void
province_setup (Province *p)
{
  Bench *bench = p->bench;
  g_autofree char *offices = g_build_filename (bench->datadir, "offices.json", NULL);
  g_autofree char *cal25 = g_build_filename (bench->datadir, "calendar-2025.json", NULL);
  g_autofree char *cal26 = g_build_filename (bench->datadir, "calendar-2026.json", NULL);
  g_autofree char *commune_token = NULL;
  g_autofree char *district_token = NULL;
  const char *init[] = { bench->server_bin, "--store", NULL, "init", "--province", "LC",
                         "--name", "Tỉnh Lai Châu", NULL };
  g_autoptr(MotcuaReplica) commune = NULL;
  g_autoptr(MotcuaOffice) office = NULL;
  g_autoptr(GError) error = NULL;
  Measured m;

  server_init (bench, &p->server, "province.db");
  init[2] = p->server.store;
  g_free (run_tool (init));
  g_free (server_tool (bench, &p->server, "offices", "import", offices));
  g_free (server_tool (bench, &p->server, "publish", "catalogue", bench->catalogue));
  g_free (server_tool (bench, &p->server, "publish", "calendar", cal25));
  g_free (server_tool (bench, &p->server, "publish", "calendar", cal26));
  server_start (bench, &p->server, 0);
  link_start (bench, &p->fast, p->server.child.port, FALSE);

  commune_token = enroll_token (bench, &p->server, bench->commune);
  p->commune_db = replica_path (bench, "commune.db");
  enroll (p->commune_db, p->fast.child.url, commune_token);

  /* First syncs with nothing but reference data: the catalogue, offices, calendars. */
  m = measure_sync (p->commune_db, &p->fast, "bootstrap");
  results_of ("bootstrap", &m);

  commune = open_replica (p->commune_db);
  office = motcua_replica_dup_office (commune, bench->commune, &error);
  if (office == NULL || office->parent_code == NULL)
    die (bench->commune, error);
  p->district = g_strdup (office->parent_code);
  g_clear_object (&commune);

  district_token = enroll_token (bench, &p->server, p->district);
  p->district_db = replica_path (bench, "district.db");
  enroll (p->district_db, p->fast.child.url, district_token);
  measure_sync (p->district_db, &p->fast, "bootstrap-district");

  load_workload (bench, p->district, &p->w);
}

static void
bench_compare (Province *p)
{
  Bench *bench = p->bench;
  g_autoptr(MotcuaReplica) commune = open_replica (p->commune_db);
  g_autoptr(MotcuaReplica) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0, port = p->server.child.port;
  double create_s, edit_client_s, edit_server_s, edited;
  Measured push, pull, sync, echo, idle;
  gint64 start;

  g_print ("\n== compare: the PouchDB workload (%u cases, %u + %u edits, %u the same) ==\n",
           p->w.n_cases, p->w.client->len, p->w.server->len, p->w.overlap);
  uptime_line ("compare");

  start = g_get_monotonic_time ();
  if (!motcua_replica_import_data (commune, p->w.cases_json, p->w.length, "cases.json",
                                   MOTCUA_IMPORT_CASES, MOTCUA_FORMAT_JSON, &n, &error))
    die ("import", error);
  create_s = motcua_bench_seconds_since (start);
  g_print ("%-18s %8.2f s  %u cases, %" G_GUINT64_FORMAT " changes\n", "create (local)",
           create_s, n, motcua_replica_get_last_seq (commune));
  motcua_bench_result ("compare-create-seconds", create_s, "s");
  motcua_bench_result ("compare-create-changes", (double) motcua_replica_get_last_seq (commune),
                       "changes");
  g_clear_object (&commune);

  push = measure_sync (p->commune_db, &p->fast, "push");
  if (push.summary.rejected > 0)
    die ("the server refused some of the pushed changes", NULL);
  results_of ("compare-push", &push);
  motcua_bench_result ("compare-push-cases-per-s", n / push.seconds, "cases/s");
  motcua_bench_result ("compare-push-tcp-bytes-per-case",
                       (double) (push.wire.up + push.wire.down) / n, "B");
  motcua_bench_result ("compare-push-body-bytes-per-case",
                       (double) (push.summary.bytes_sent + push.summary.bytes_received) / n, "B");
  motcua_bench_result ("push-changes-per-s", push.summary.changes_sent / push.seconds, "changes/s");
  /* What an idle machine would do: the two sides work in turn, so their CPU times add up. */
  motcua_bench_result ("compare-push-cases-per-cpu-s", n / (push.server_cpu + push.client_cpu),
                       "cases/s");
  motcua_bench_result ("push-changes-per-cpu-s",
                       push.summary.changes_sent / (push.server_cpu + push.client_cpu),
                       "changes/s");

  pull = measure_sync (p->district_db, &p->fast, "pull (district)");
  results_of ("pull-log", &pull);
  motcua_bench_result ("pull-log-changes-per-s", pull.summary.changes_received / pull.seconds,
                       "changes/s");
  motcua_bench_result ("pull-log-changes-per-cpu-s",
                       pull.summary.changes_received / (pull.server_cpu + pull.client_cpu),
                       "changes/s");

  /* The server's own edits, made on its store while it is stopped (a province's writes need
   * the server stopped); then the commune's. */
  child_stop (&p->server.child);
  store = open_replica (p->server.store);
  edit_server_s = apply_edits (store, p->w.server);
  g_clear_object (&store);
  server_start (bench, &p->server, port);
  commune = open_replica (p->commune_db);
  edit_client_s = apply_edits (commune, p->w.client);
  g_clear_object (&commune);
  g_print ("%-18s %8.3f s  %u edits on the commune, %.3f s for %u on the server\n", "edit (local)",
           edit_client_s, p->w.client->len, edit_server_s, p->w.server->len);

  sync = measure_sync (p->commune_db, &p->fast, "sync");
  echo = measure_sync (p->commune_db, &p->fast, "echo");
  idle = measure_sync (p->commune_db, &p->fast, "idle");
  edited = p->w.client->len + p->w.server->len;
  results_of ("compare-sync", &sync);
  motcua_bench_result ("compare-sync-edits-per-s", edited / sync.seconds, "edits/s");
  motcua_bench_result ("compare-sync-tcp-bytes-per-edited-field",
                       (sync.wire.up + sync.wire.down) / edited, "B");
  motcua_bench_result ("compare-sync-body-bytes-per-edited-field",
                       (sync.summary.bytes_sent + sync.summary.bytes_received) / edited, "B");
  motcua_bench_result ("compare-sync-tcp-bytes-up-per-client-edit",
                       (double) sync.wire.up / p->w.client->len, "B");
  motcua_bench_result ("compare-sync-tcp-bytes-down-per-server-edit",
                       (double) sync.wire.down / p->w.server->len, "B");
  motcua_bench_result ("compare-conflicts", sync.summary.conflicts, "conflicts");
  results_of ("compare-echo", &echo);
  results_of ("compare-idle", &idle);

  /* Against PouchDB's run of the same workload. */
  ratio ("compare-push-throughput-vs-pouchdb", n / push.seconds,
         pouch_figure (bench->pouch, "phases.push.cases_per_s"));
  ratio ("compare-push-bytes-per-case-vs-pouchdb", (double) (push.wire.up + push.wire.down) / n,
         pouch_figure (bench->pouch, "phases.push.bytes_per_case"));
  ratio ("compare-sync-bytes-per-edited-field-vs-pouchdb",
         (sync.wire.up + sync.wire.down) / edited,
         pouch_figure (bench->pouch, "phases.sync.bytes_per_edited_field"));
  ratio ("compare-sync-seconds-vs-pouchdb", sync.seconds,
         pouch_figure (bench->pouch, "phases.sync.seconds"));
}

static void
bench_first_sync (Province *p,
                  gboolean  slow)
{
  Bench *bench = p->bench;
  g_autofree char *token = enroll_token (bench, &p->server, bench->commune);
  g_autofree char *path = replica_path (bench, slow ? "first-slow.db" : "first.db");
  const char *prefix = slow ? "first-sync-slow" : "first-sync";
  g_autoptr(MotcuaReplica) replica = NULL;
  g_autoptr(GError) error = NULL;
  Link *link = slow ? &p->slow : &p->fast;
  gint64 n_cases;
  Measured m;

  g_print ("\n== %s: a new replica of %s%s ==\n", prefix, bench->commune,
           slow ? " over 256 kbit/s, RTT 300 ms, 1 % loss" : " on loopback");
  uptime_line (prefix);
  if (slow && p->slow.child.process == NULL)
    link_start (bench, &p->slow, p->server.child.port, TRUE);
  enroll (path, link->child.url, token);
  m = measure_sync (path, link, prefix);
  results_of (prefix, &m);

  replica = open_replica (path);
  n_cases = motcua_replica_count_cases (replica, &(MotcuaCaseFilter) MOTCUA_CASE_FILTER_INIT,
                                        &error);
  {
    g_autofree char *name = g_strconcat (prefix, "-cases", NULL);

    motcua_bench_result (name, (double) n_cases, "cases");
  }
  {
    g_autoptr(GPtrArray) procedures = motcua_replica_list_procedures (replica, NULL, -1, &error);
    g_autofree char *name = g_strconcat (prefix, "-procedures", NULL);

    motcua_bench_result (name, procedures ? procedures->len : 0, "procedures");
  }
  {
    g_autofree char *name = g_strconcat (prefix, "-rows-per-s", NULL);

    motcua_bench_result (name, m.summary.changes_received / m.seconds, "rows/s");
  }
  if (!slow)
    ratio ("first-sync-seconds-vs-pouchdb-clone", m.seconds,
           pouch_figure (bench->pouch, "phases.clone.seconds"));
  else
    {
      ratio ("first-sync-slow-seconds-vs-pouchdb-clone", m.seconds,
             pouch_figure (bench->pouch_slow, "phases.clone.seconds"));
      g_free (p->slow_db);
      p->slow_db = g_steal_pointer (&path);
    }
}

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

static void
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

static void
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
  double wall;
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

  for (guint i = 0; i < bench->n_replicas; i++)
    g_free (desks[i].path);
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
  g_free (server.store);
  g_free (server.log);
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
