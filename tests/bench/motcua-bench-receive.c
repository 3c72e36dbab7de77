/* motcua-bench-receive.c: receiving cases at a commune's desk, one at a time and in bulk
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

void
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

      g_print ("  %.0f %% of the disk's %.0f fsync/s (target ≥ 60 %%)%s\n", ratio,
               bench->fsync_rate, ratio >= 60 ? "" : "  MISSED");
      motcua_bench_result ("receive-single-vs-fsync", ratio, "%");
    }

  desk_clear (&desk);
  if (!bench->keep)
    {
      g_autofree char *path = g_build_filename (bench->workdir, "single.db", NULL);

      motcua_bench_remove_db (path);
    }
}

void
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
