/* motcua-bench-queries.c: search as an officer types, the reports, and the export
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

void
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

void
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

void
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
