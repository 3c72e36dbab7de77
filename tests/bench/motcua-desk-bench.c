/* motcua-desk-bench.c: the desk (motcua) on a big replica, timed
 *
 *   motcua-desk-bench --db PATH [--scroll-frames N] [--rows-per-frame N] [--today YYYY-MM-DD]
 *                     [--start-only] [--cold]
 *
 * Opens the real window on the replica, as `motcua --replica PATH` does, and measures:
 *   - start to first frame: from the process's start (exec, as the kernel counts it) and from
 *     main(), to the end of the first frame painted with the replica open (a frame-clock
 *     "after-paint" callback);
 *   - memory at rest: VmRSS from /proc/self/status once every async load has landed and the
 *     window has been idle for a while, on the first page and again after every page was shown;
 *   - the dossier list: time until its first rows show, and until it knows how many there are;
 *   - scrolling the whole list, top to bottom, programmatically in N frames (1,000 by default:
 *     every frame shows new rows), with the time between frames and the work in each frame
 *     (layout to the end of painting), and how often the row at the top of the view was already
 *     filled in when painted; the same at a reading pace (6 rows a frame, as a mouse wheel held
 *     down) from the top and from the middle; then jumps to the top, three quarters down, the end
 *     and a quarter, and how long their rows take to fill in.
 *
 * Run it under Xvfb (the figures in app/desktop/README-section.md came from this; Xvfb has no
 * GPU, so the cairo renderer, not GL on llvmpipe):
 *   GSK_RENDERER=cairo xvfb-run -a -s '-screen 0 1600x1000x24' \
 *     _build/tests/bench/motcua-desk-bench --db DB --today 2025-12-31
 * Each figure is printed for people and once more as "RESULT name value unit".
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <fcntl.h>
#include <locale.h>
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "motcua-application.h"
#include "motcua-bench-util.h"
#include "motcua-test-desk.h"
#include "motcua-test-utils.h"
#include "motcua-case-item.h"
#include "motcua-case-list-model.h"
#include "motcua-cases-page.h"
#include "motcua-reports-page.h"
#include "motcua-window.h"

typedef struct
{
  gint64        main_start;        /* monotonic µs */
  double        exec_to_main_ms;
  MotcuaWindow *window;
  GdkFrameClock *clock;
  gulong        after_paint_id;
  gulong        layout_id;
  gint64        first_frame;       /* monotonic µs, 0 until painted */

  /* Scrolling */
  GtkAdjustment *vadjustment;
  GListModel    *model;
  guint          n_frames;
  guint          frame;
  double         from;             /* rows */
  double         to;
  gboolean       scrolling;
  gint64         layout_start;
  gint64         last_paint;
  GArray        *intervals;        /* double ms between two painted frames */
  GArray        *work;             /* double ms from layout to the end of painting */
  guint          top_filled;
  guint          top_seen;
} Bench;

/* Milliseconds since the kernel started this process (10 ms resolution: clock ticks). */
static double
ms_since_exec (void)
{
  g_autofree char *stat = NULL;
  struct timespec now;
  const char *p;
  unsigned long long start_ticks = 0;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL))
    return -1;
  /* Field 22, counted after the command name, which is in parentheses and may hold spaces. */
  p = strrchr (stat, ')');
  if (p == NULL)
    return -1;
  for (int field = 2; field < 22 && p != NULL; field++)
    p = strchr (p + 1, ' ');
  if (p == NULL || sscanf (p + 1, "%llu", &start_ticks) != 1)
    return -1;
  clock_gettime (CLOCK_BOOTTIME, &now);

  return (now.tv_sec + now.tv_nsec / 1e9 - (double) start_ticks / sysconf (_SC_CLK_TCK)) * 1e3;
}

static void
print_malloc (const char *what)
{
  struct mallinfo2 info = mallinfo2 ();

  g_print ("%-44s %10.1f MiB in use, %.1f MiB free in the main heap\n", what,
           info.uordblks / 1048576.0, info.fordblks / 1048576.0);
}

static double
rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;
  long kib = 0;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "\nVmRSS:");
  if (line == NULL || sscanf (line + strlen ("\nVmRSS:"), "%ld", &kib) != 1)
    return -1;
  return kib / 1024.0;
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds; returns the milliseconds it took, -1 on timeout. */
static double
wait_for (Condition condition,
          gpointer  data,
          guint     timeout_ms)
{
  gint64 start = g_get_monotonic_time ();

  while (!condition (data))
    {
      if (g_get_monotonic_time () - start > (gint64) timeout_ms * 1000)
        return -1;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
  return (g_get_monotonic_time () - start) / 1e3;
}

static gboolean
first_frame_painted (gpointer data)
{
  return ((Bench *) data)->first_frame != 0;
}

static gboolean
report_ready (gpointer data)
{
  return motcua_reports_page_get_report (MOTCUA_REPORTS_PAGE (data)) != NULL;
}

static void
print_distribution (const char *name,
                    GArray     *values)
{
  g_autofree char *p50 = g_strconcat (name, "-p50", NULL);
  g_autofree char *p95 = g_strconcat (name, "-p95", NULL);
  g_autofree char *p99 = g_strconcat (name, "-p99", NULL);
  g_autofree char *max = g_strconcat (name, "-max", NULL);
  double *v = (double *) (gpointer) values->data;
  guint n = values->len;

  if (n == 0)
    return;
  g_array_sort (values, motcua_bench_compare_double);
  motcua_bench_result (p50, v[n / 2], "ms");
  motcua_bench_result (p95, v[MIN (n - 1, n * 95 / 100)], "ms");
  motcua_bench_result (p99, v[MIN (n - 1, n * 99 / 100)], "ms");
  motcua_bench_result (max, v[n - 1], "ms");
}

/* Frames */

static void
layout_cb (GdkFrameClock *clock,
           Bench         *bench)
{
  bench->layout_start = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  gint64 now = g_get_monotonic_time ();

  if (bench->first_frame == 0 && motcua_window_get_session (bench->window) != NULL)
    bench->first_frame = now;

  if (bench->scrolling)
    {
      double work = (now - bench->layout_start) / 1e3;
      double interval = (now - bench->last_paint) / 1e3;

      if (bench->last_paint != 0)
        g_array_append_val (bench->intervals, interval);
      if (bench->layout_start != 0)
        g_array_append_val (bench->work, work);

      /* The row at the top of the view: was it filled in when the frame was painted? */
      if (bench->model != NULL && g_list_model_get_n_items (bench->model) > 0)
        {
          double upper = gtk_adjustment_get_upper (bench->vadjustment);
          guint n = g_list_model_get_n_items (bench->model);
          guint top = (guint) MIN ((double) n - 1,
                                   gtk_adjustment_get_value (bench->vadjustment) / upper * n);
          g_autoptr(MotcuaCaseItem) item = g_list_model_get_item (bench->model, top);

          bench->top_seen++;
          if (item != NULL && motcua_case_item_get_loaded (item))
            bench->top_filled++;
        }
    }
  bench->last_paint = now;
  bench->layout_start = 0;
}

static void
window_realized_cb (GtkWidget *widget,
                    Bench     *bench)
{
  bench->clock = gtk_widget_get_frame_clock (widget);
  bench->layout_id = g_signal_connect (bench->clock, "layout", G_CALLBACK (layout_cb), bench);
  bench->after_paint_id = g_signal_connect (bench->clock, "after-paint",
                                            G_CALLBACK (after_paint_cb), bench);
}

/* One step of the scroll per frame, from row @from to row @to. */
static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Bench *bench = user_data;
  double upper, page, row;

  if (bench->frame > bench->n_frames)
    {
      bench->scrolling = FALSE;
      return G_SOURCE_REMOVE;
    }
  upper = gtk_adjustment_get_upper (bench->vadjustment);
  page = gtk_adjustment_get_page_size (bench->vadjustment);
  row = bench->from + (bench->to - bench->from) * bench->frame / bench->n_frames;
  gtk_adjustment_set_value (bench->vadjustment,
                            MIN (row * upper / g_list_model_get_n_items (bench->model),
                                 upper - page));
  bench->frame++;
  return G_SOURCE_CONTINUE;
}

static gboolean
not_scrolling (gpointer data)
{
  return !((Bench *) data)->scrolling;
}

/* Scrolls from row @from to row @to in @n_frames frames, one step a frame, and reports the
 * frame times and how often the row at the top of the view was filled in as it was painted. */
static void
scroll (Bench      *bench,
        GtkWidget  *view,
        double      from,
        double      to,
        guint       n_frames,
        const char *name)
{
  g_autofree char *interval = g_strconcat (name, "-frame-interval", NULL);
  g_autofree char *work = g_strconcat (name, "-frame-work", NULL);
  g_autofree char *filled = g_strconcat (name, "-filled", NULL);
  g_autofree char *time = g_strconcat (name, "-time", NULL);
  gint64 start;
  double seconds;

  g_array_set_size (bench->intervals, 0);
  g_array_set_size (bench->work, 0);
  bench->top_filled = bench->top_seen = 0;
  bench->from = from;
  bench->to = to;
  bench->frame = 0;
  bench->n_frames = MAX (n_frames, 1);
  bench->last_paint = 0;
  bench->scrolling = TRUE;

  start = g_get_monotonic_time ();
  gtk_widget_add_tick_callback (view, scroll_tick_cb, bench, NULL);
  wait_for (not_scrolling, bench, 3600 * 1000);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  g_print ("%s: rows %.0f to %.0f in %u frames, %.1f s; the top row was filled in %.1f %% of "
           "the frames\n", name, from, to, bench->n_frames, seconds,
           100.0 * bench->top_filled / MAX (bench->top_seen, 1));
  motcua_bench_result (time, seconds, "s");
  motcua_bench_result (filled, 100.0 * bench->top_filled / MAX (bench->top_seen, 1), "%");
  print_distribution (interval, bench->intervals);
  print_distribution (work, bench->work);
  wait_for (motcua_test_model_settled, bench->model, 60000);
}

/* Jumps to @fraction of the list and waits until the row at the top of the view is filled. */
static void
jump (Bench      *bench,
      double      fraction,
      const char *name)
{
  double upper = gtk_adjustment_get_upper (bench->vadjustment);
  double page = gtk_adjustment_get_page_size (bench->vadjustment);
  guint n = g_list_model_get_n_items (bench->model);
  guint top = (guint) MIN ((double) n - 1, fraction * n);
  g_autoptr(MotcuaCaseItem) item = NULL;
  double ms;

  gtk_adjustment_set_value (bench->vadjustment, MIN (fraction * upper, upper - page));
  motcua_test_settle (50);
  item = g_list_model_get_item (bench->model, MIN (top, n - 1));
  ms = wait_for (motcua_test_item_loaded, item, 60000);
  g_print ("%-44s %10.1f ms\n", name, ms + 50);
  motcua_bench_result (name, ms + 50, "ms");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *today = NULL;
  int n_frames = 1000;
  double rows_per_frame = 6;
  gboolean start_only = FALSE;
  gboolean cold = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The replica", "PATH" },
    { "scroll-frames", 0, 0, G_OPTION_ARG_INT, &n_frames,
      "Frames to scroll the whole list in (1000)", "N" },
    { "rows-per-frame", 0, 0, G_OPTION_ARG_DOUBLE, &rows_per_frame,
      "Rows a frame at a reading pace (6)", "N" },
    { "cold", 0, 0, G_OPTION_ARG_NONE, &cold,
      "Evict the replica from the page cache first, as after a reboot", NULL },
    { "start-only", 0, 0, G_OPTION_ARG_NONE, &start_only,
      "Only the start: first frame and memory at rest", NULL },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today, "The desk's today (YYYY-MM-DD)", "DATE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— time the desk on a replica");
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaApplication) app = NULL;
  g_autoptr(MotcuaCaseItem) first = NULL;
  static const char *pages[] = { "cases", "catalogue", "reports", "sync", "conflicts",
                                 "reception" };
  Bench bench = { 0 };
  GtkWidget *cases_page, *column_view;
  double ms;

  bench.main_start = g_get_monotonic_time ();
  bench.exec_to_main_ms = ms_since_exec ();
  setlocale (LC_ALL, "");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || db == NULL)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--db PATH is required");
      return 2;
    }
  if (!g_file_test (db, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("motcua-desk-bench: no replica at %s\n", db);
      return 2;
    }
  if (cold)
    {
      /* Only this file's pages, and only clean ones: nothing else on the machine is touched. */
      int fd = open (db, O_RDONLY);

      if (fd < 0 || posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED) != 0)
        g_printerr ("motcua-desk-bench: could not evict %s from the page cache\n", db);
      if (fd >= 0)
        close (fd);
    }

  /* Leave the user's settings alone. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (today != NULL)
    g_setenv ("MOTCUA_DESK_TODAY", today, TRUE);

  /* As motcua --replica PATH: the application, its window on the replica. */
  app = motcua_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  bench.window = motcua_window_new (app);
  g_signal_connect (bench.window, "realize", G_CALLBACK (window_realized_cb), &bench);
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 1280, 820);
  if (!motcua_window_open_replica (bench.window, db))
    g_error ("Could not open %s", db);
  gtk_window_present (GTK_WINDOW (bench.window));

  if (wait_for (first_frame_painted, &bench, 60000) < 0)
    g_error ("No frame in 60 s");
  ms = (bench.first_frame - bench.main_start) / 1e3;
  g_print ("%-44s %10.1f ms (from exec: %.0f ms)\n", "start to first frame, from main()", ms,
           ms + bench.exec_to_main_ms);
  motcua_bench_result ("desk-first-frame", ms + bench.exec_to_main_ms, "ms");
  motcua_bench_result ("desk-first-frame-from-main", ms, "ms");

  /* At rest on the first page, once what was started has landed. */
  motcua_test_settle (3000);
  g_print ("%-44s %10.1f MiB\n", "memory at rest (VmRSS)", rss_mib ());
  motcua_bench_result ("desk-rss-rest", rss_mib (), "MiB");
  print_malloc ("malloc");
  if (start_only)
    goto out;

  /* The dossier list: its first rows, then its count. */
  cases_page = motcua_window_get_page (bench.window, "cases");
  column_view = GTK_WIDGET (gtk_widget_get_template_child (cases_page, MOTCUA_TYPE_CASES_PAGE,
                                                           "column_view"));
  {
    gint64 start = g_get_monotonic_time ();
    GtkSelectionModel *selection;

    motcua_window_show_page (bench.window, "cases");
    selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (column_view));
    bench.model = gtk_no_selection_get_model (GTK_NO_SELECTION (selection));
    while (g_list_model_get_n_items (bench.model) == 0 && !motcua_test_model_settled (bench.model))
      g_main_context_iteration (NULL, TRUE);
    if (g_list_model_get_n_items (bench.model) == 0)
      g_error ("The replica has no dossiers: nothing to measure");
    first = g_list_model_get_item (bench.model, 0);
    wait_for (motcua_test_item_loaded, first, 60000);
    ms = (g_get_monotonic_time () - start) / 1e3;
    g_print ("%-44s %10.1f ms\n", "dossier list: first rows", ms);
    motcua_bench_result ("desk-list-first-rows", ms, "ms");
    wait_for (motcua_test_model_settled, bench.model, 60000);
    ms = (g_get_monotonic_time () - start) / 1e3;
    g_print ("%-44s %10.1f ms (%u dossiers)\n", "dossier list: counted", ms,
             g_list_model_get_n_items (bench.model));
    motcua_bench_result ("desk-list-counted", ms, "ms");
    motcua_test_settle (12000);
    g_print ("%-44s %10.1f MiB\n", "memory at rest on the list (VmRSS)", rss_mib ());
    print_malloc ("malloc");
  }

  /* Scroll the whole list, new rows every frame; then at a brisk reading pace (a few rows a
   * frame, as a mouse wheel held down), from the top and from the middle. */
  bench.vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (column_view));
  bench.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  bench.work = g_array_new (FALSE, FALSE, sizeof (double));
  motcua_test_settle (500);
  {
    double n = g_list_model_get_n_items (bench.model);
    guint steady_frames = 600;

    scroll (&bench, column_view, 0, n, (guint) MAX (n_frames, 1), "desk-scroll-whole");
    g_print ("%-44s %10.1f MiB\n", "memory after the whole scroll (VmRSS)", rss_mib ());

    scroll (&bench, column_view, 0, MIN (n, rows_per_frame * steady_frames), steady_frames,
            "desk-scroll-steady-top");
    scroll (&bench, column_view, n / 2, MIN (n, n / 2 + rows_per_frame * steady_frames),
            steady_frames, "desk-scroll-steady-middle");
  }
  jump (&bench, 0.0, "desk-jump-top");
  jump (&bench, 0.75, "desk-jump-three-quarters");
  jump (&bench, 0.999, "desk-jump-end");
  jump (&bench, 0.25, "desk-jump-quarter");

  /* Every page, then memory once more. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      gint64 start = g_get_monotonic_time ();

      motcua_window_show_page (bench.window, pages[i]);
      if (g_str_equal (pages[i], "reports"))
        {
          wait_for (report_ready, motcua_window_get_page (bench.window, "reports"), 60000);
          ms = (g_get_monotonic_time () - start) / 1e3;
          g_print ("%-44s %10.1f ms\n", "report of the whole replica shown", ms);
          motcua_bench_result ("desk-report", ms, "ms");
        }
      motcua_test_settle (500);
      g_print ("%-44s %10.1f MiB\n", pages[i], rss_mib ());
    }
  /* At rest: the desk closes its worker's connection after 10 s without a query. */
  motcua_test_settle (12000);
  g_print ("%-44s %10.1f MiB\n", "memory after every page (VmRSS)", rss_mib ());
  print_malloc ("malloc");
  motcua_bench_result ("desk-rss-after-pages", rss_mib (), "MiB");

out:
  g_signal_handler_disconnect (bench.clock, bench.after_paint_id);
  g_signal_handler_disconnect (bench.clock, bench.layout_id);
  g_clear_object (&first);
  gtk_window_destroy (GTK_WINDOW (bench.window));
  motcua_test_settle (100);
  g_clear_pointer (&bench.intervals, g_array_unref);
  g_clear_pointer (&bench.work, g_array_unref);

  return 0;
}
