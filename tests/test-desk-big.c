/* test-desk-big.c: the desk on a big replica, and the timeline's language
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <motcua/motcua.h>

#include "motcua-application.h"
#include "motcua-attachments-group.h"
#include "motcua-case-list-model.h"
#include "motcua-cases-page.h"
#include "motcua-case-page.h"
#include "motcua-catalogue-page.h"
#include "motcua-conflicts-page.h"
#include "motcua-format.h"
#include "motcua-receipt.h"
#include "motcua-reception-page.h"
#include "motcua-reports-page.h"
#include "motcua-window.h"

#include "motcua-test-desk.h"
#include "motcua-test-utils.h"
#include "test-desk.h"

/* Every page on a big replica: a province's million dossiers */

/* The longest the main loop went without running, in ms: a query whose cost grows with the
 * number of cases, run on the main thread, would show here. */
typedef struct
{
  gint64 last;
  gint64 longest;
  gint64 phase_longest;
} Stall;

/* Not counted: the time the test itself spends between two iterations (its own queries to
 * check the desk's figures, its screenshots). */
static void
stall_skip (Stall *stall)
{
  stall->last = 0;
}

/* Notes the longest stall since the last note, with what the desk was doing. */
static void
stall_note (Stall      *stall,
            const char *what)
{
  g_test_message ("%s: the main loop went at most %.0f ms without running", what,
                  stall->phase_longest / 1e3);
  stall->phase_longest = 0;
}

static gboolean
stall_tick_cb (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0)
    {
      stall->longest = MAX (stall->longest, now - stall->last);
      stall->phase_longest = MAX (stall->phase_longest, now - stall->last);
    }
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

/* The replica of tests/bench/motcua-bench-gen, made once into the build directory and kept (a
 * million dossiers take about a minute to make): MOTCUA_DESK_BIG_DIR/province-N-s1.db. */
static char *
big_replica (guint64 n_cases)
{
  const char *dir = g_getenv ("MOTCUA_DESK_BIG_DIR");
  const char *gen = g_getenv ("MOTCUA_BENCH_GEN");
  g_autofree char *name = g_strdup_printf ("province-%" G_GUINT64_FORMAT "-s1.db", n_cases);
  g_autofree char *cases = g_strdup_printf ("%" G_GUINT64_FORMAT, n_cases);
  char *path;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  gint64 start;

  g_assert_nonnull (dir);
  g_assert_nonnull (gen);
  path = g_build_filename (dir, name, NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;

  g_mkdir_with_parents (dir, 0755);
  start = g_get_monotonic_time ();
  {
    const char *argv[] = { gen, "--db", path, "--cases", cases, "--seed", "1", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                  &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("motcua-bench-gen failed: %s", err);
  g_test_message ("made %s in %.1f s", path, (g_get_monotonic_time () - start) / 1e6);
  return path;
}

static gboolean
top_row_loaded (gpointer data)
{
  GtkWidget *view = data;
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  GListModel *model = gtk_no_selection_get_model (
    GTK_NO_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (view))));
  guint n = g_list_model_get_n_items (model);
  guint top = (guint) MIN ((double) n - 1, gtk_adjustment_get_value (adjustment)
                                           / gtk_adjustment_get_upper (adjustment) * n);
  g_autoptr(MotcuaCaseItem) item = g_list_model_get_item (model, top);

  return item != NULL && motcua_case_item_get_loaded (item);
}

static void
test_big_pages (DeskFixture   *fixture,
                gconstpointer  data)
{
  guint64 n_cases = g_ascii_strtoull (g_getenv ("MOTCUA_DESK_BIG_CASES"), NULL, 10);
  const char *max_stall = g_getenv ("MOTCUA_DESK_MAX_STALL_MS");
  g_autofree char *path = big_replica (n_cases);
  g_autoptr(MotcuaReplica) replica = motcua_replica_open (path, NULL);
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  Stall stall = { 0 };
  GtkWidget *cases_page, *view, *reports_page;
  GtkAdjustment *adjustment;
  GListModel *model;
  g_autoptr(MotcuaCaseItem) item = NULL;
  g_autoptr(MotcuaReport) expected = NULL;
  g_autofree char *id = NULL;
  MotcuaReport *shown;
  guint stall_source;
  gint64 start;

  g_assert_nonnull (replica);
  g_assert_cmpint (motcua_replica_count_cases (replica, &filter, NULL), ==, (gint64) n_cases);

  stall_source = g_timeout_add_full (G_PRIORITY_HIGH, 10, stall_tick_cb, &stall, NULL);
  start = g_get_monotonic_time ();
  g_assert_true (motcua_window_open_replica (fixture->window, path));
  motcua_test_settle (300);
  g_test_message ("opened in %.0f ms", (g_get_monotonic_time () - start) / 1e3);
  stall_note (&stall, "opening");
  save_screenshot (window_content (fixture), "60-big-reception");
  stall_skip (&stall);

  /* The dossiers: all of them counted, the first rows at once, rows deep down as they are
   * scrolled to; never the whole table. */
  cases_page = motcua_window_get_page (fixture->window, "cases");
  view = page_child (cases_page, MOTCUA_TYPE_CASES_PAGE, "column_view");
  show_page (fixture, "cases");
  model = cases_model (cases_page);
  g_assert_true (wait_for (motcua_test_model_settled, model, 120000));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_cases);
  item = g_list_model_get_item (model, 0);
  g_assert_true (wait_for (motcua_test_item_loaded, item, 60000));
  stall_note (&stall, "the dossiers, counted");
  save_screenshot (window_content (fixture), "61-big-cases");
  stall_skip (&stall);

  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) / 2);
  motcua_test_settle (100);
  g_assert_true (wait_for (top_row_loaded, view, 120000));
  stall_note (&stall, "scrolling to the middle");
  save_screenshot (window_content (fixture), "62-big-cases-middle");
  stall_skip (&stall);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                        - gtk_adjustment_get_page_size (adjustment));
  motcua_test_settle (100);
  g_assert_true (wait_for (top_row_loaded, view, 120000));
  g_assert_cmpuint (motcua_case_list_model_get_n_pages_loaded (MOTCUA_CASE_LIST_MODEL (model)),
                    <, n_cases / MOTCUA_CASE_LIST_PAGE_SIZE / 10);

  /* A filter: the open dossiers, counted as the library counts them. */
  {
    GtkDropDown *status = GTK_DROP_DOWN (page_child (cases_page, MOTCUA_TYPE_CASES_PAGE,
                                                     "status_dropdown"));

    gtk_drop_down_set_selected (status, 1);
    g_assert_true (wait_for (motcua_test_model_settled, model, 120000));
    filter.open_only = TRUE;
    filter.today = g_getenv ("MOTCUA_DESK_TODAY");
    g_assert_cmpint (g_list_model_get_n_items (model), ==,
                     motcua_replica_count_cases (replica, &filter, NULL));
    stall_skip (&stall);
    gtk_drop_down_set_selected (status, 0);
    g_assert_true (wait_for (motcua_test_model_settled, model, 120000));
  }

  /* A dossier of the list, opened. */
  g_clear_object (&item);
  item = g_list_model_get_item (model, 0);
  g_assert_true (wait_for (motcua_test_item_loaded, item, 60000));
  id = g_strdup (motcua_case_item_get_case (item)->id);
  motcua_cases_page_show_case (MOTCUA_CASES_PAGE (cases_page), id);
  motcua_test_settle (200);
  stall_note (&stall, "filters, a dossier opened");
  save_screenshot (window_content (fixture), "63-big-case");
  stall_skip (&stall);

  show_page (fixture, "catalogue");
  motcua_test_settle (300);
  stall_note (&stall, "the catalogue");
  save_screenshot (window_content (fixture), "64-big-catalogue");
  stall_skip (&stall);

  /* The report of the province: every office, over every dossier. */
  reports_page = motcua_window_get_page (fixture->window, "reports");
  show_page (fixture, "reports");
  g_assert_true (wait_for (report_ready, reports_page, 120000));
  shown = motcua_reports_page_get_report (MOTCUA_REPORTS_PAGE (reports_page));
  expected = motcua_replica_report (replica, motcua_replica_get_office_code (replica),
                                    motcua_report_get_from (shown), motcua_report_get_to (shown),
                                    NULL);
  g_assert_nonnull (expected);
  stall_skip (&stall);
  g_assert_cmpint (motcua_report_get_row (shown, 0)->total.received_total, ==,
                   motcua_report_get_row (expected, 0)->total.received_total);
  stall_note (&stall, "the report");
  save_screenshot (window_content (fixture), "65-big-reports");
  stall_skip (&stall);

  show_page (fixture, "sync");
  motcua_test_settle (300);
  stall_note (&stall, "the sync page");
  save_screenshot (window_content (fixture), "66-big-sync");
  stall_skip (&stall);
  show_page (fixture, "conflicts");
  motcua_test_settle (300);
  stall_note (&stall, "the conflicts page");
  save_screenshot (window_content (fixture), "67-big-conflicts");

  g_source_remove (stall_source);
  g_test_message ("the main loop went at most %.0f ms without running",
                  stall.longest / 1e3);
  if (max_stall != NULL)
    g_assert_cmpint (stall.longest / 1000, <, g_ascii_strtoll (max_stall, NULL, 10));
}

/* The timeline in the desk's language: the events' fields worded by the desk's translation,
 * never the English of whoever wrote them. In a subprocess: the language is chosen before
 * anything is translated. */
static void
test_timeline_language (void)
{
  if (g_test_subprocess ())
    {
      MotcuaCaseEvent step = { .action = (char *) "status", .field = (char *) "status",
                               .old_value = (char *) "received",
                               .new_value = (char *) "in_processing" };
      MotcuaCaseEvent edit = { .action = (char *) "edited", .field = (char *) "address" };
      MotcuaCaseEvent scan = { .action = (char *) "attachment_removed",
                               .field = (char *) "attachment",
                               .old_value = (char *) "giay-khai-sinh.pdf" };
      g_autofree char *step_line = NULL;
      g_autofree char *edit_line = NULL;
      g_autofree char *scan_line = NULL;

      /* gtk_test_init() set the C locale, in which gettext ignores LANGUAGE. */
      g_setenv ("LANGUAGE", "vi", TRUE);
      setlocale (LC_ALL, "C.UTF-8");
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("MOTCUA_LOCALE_DIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);

      step_line = motcua_format_event (&step);
      edit_line = motcua_format_event (&edit);
      scan_line = motcua_format_event (&scan);
      g_assert_cmpstr (step_line, ==, "Đã chuyển bước: Đã tiếp nhận → Đang xử lý");
      g_assert_cmpstr (edit_line, ==, "Đã sửa thông tin: Địa chỉ = (để trống)");
      g_assert_cmpstr (scan_line, ==, "Đã gỡ bản quét: giay-khai-sinh.pdf");
      return;
    }

  if (g_getenv ("MOTCUA_LOCALE_DIR") == NULL)
    {
      g_test_skip ("MOTCUA_LOCALE_DIR names no translations");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* The big replica's own run (the "desk-big" test): only that. */
void
test_desk_big_add_big_tests (void)
{
  g_test_add ("/desk/big/pages", DeskFixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_big_pages, fixture_tear_down);
}

void
test_desk_big_add_tests (void)
{
  g_test_add_func ("/desk/timeline-language", test_timeline_language);
}
