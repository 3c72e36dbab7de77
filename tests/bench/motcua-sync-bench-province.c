/* motcua-sync-bench-province.c: the workload, the reference data, compare and first-sync
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

/* The workload */

static void
edit_free (gpointer data)
{
  Edit *edit = data;

  g_free (edit->receipt_no);
  g_free (edit->field);
  g_free (edit->value);
  g_free (edit);
}

JsonParser *
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

void
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
void
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

void
uptime_line (const char *when)
{
  g_autofree char *text = NULL;

  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    g_print ("# load %s: %s", when, text);
}

/* compare, first-sync, first-sync-slow, desk-day */

void
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

void
bench_compare (Province *p)
{
  Bench *bench = p->bench;
  g_autoptr(MotcuaReplica) commune = open_replica (p->commune_db);
  g_autoptr(MotcuaReplica) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0, port = p->server.child.port;
  double create_s, edit_client_s, edit_server_s, edited;
  Measured push, pull, sync, echo, idle, idle_fresh, district_idle;
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
  idle = measure_idle (p->commune_db, &p->fast, FALSE, "idle");
  idle_fresh = measure_idle (p->commune_db, &p->fast, TRUE, "idle (new MotcuaSync)");
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
  results_of ("compare-idle-fresh", &idle_fresh);
  /* At a larger scope: the district's, with every case of its communes (brought up to date
   * first: it has not synced since the commune's edits). */
  measure_sync (p->district_db, &p->fast, NULL);
  district_idle = measure_idle (p->district_db, &p->fast, FALSE, "idle (district)");
  results_of ("district-idle", &district_idle);

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

void
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
