/* test-desk-pages.c: the desk's first run, reception, pages, cases, catalogue and reports
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

#include "motcua-apology-slip.h"
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

/* Tests */

static void
test_setup_page (DeskFixture   *fixture,
                 gconstpointer  data)
{
  g_assert_null (motcua_window_get_session (fixture->window));
  motcua_test_settle (500);
  save_screenshot (window_content (fixture), "00-first-run");
}

GtkWidget *
page_child (GtkWidget  *page,
            GType       type,
            const char *name)
{
  GObject *child = gtk_widget_get_template_child (page, type, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static void
set_text (GtkWidget  *page,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (page_child (page, MOTCUA_TYPE_RECEPTION_PAGE, name)),
                         text);
}

static void
test_reception (DeskFixture   *fixture,
                gconstpointer  data)
{
  GtkWidget *page = motcua_window_get_page (fixture->window, "reception");
  GtkWidget *search = page_child (page, MOTCUA_TYPE_RECEPTION_PAGE, "procedure_entry");
  GtkWidget *citizen_id = page_child (page, MOTCUA_TYPE_RECEPTION_PAGE, "citizen_id_row");
  GtkWidget *papers = page_child (page, MOTCUA_TYPE_RECEPTION_PAGE, "papers_list");
  GtkWidget *receipt_label = page_child (page, MOTCUA_TYPE_RECEPTION_PAGE, "receipt_label");
  g_autoptr(MotcuaReplica) replica = NULL;
  g_autoptr(MotcuaCase) record = NULL;
  g_autoptr(MotcuaReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = NULL;
  const char *dir = g_getenv ("MOTCUA_DESK_SCREENSHOT_DIR");
  const char *receipt_no;
  gint64 before = count_cases (fixture);

  g_assert_cmpstr (motcua_window_get_visible_page (fixture->window), ==, "reception");
  g_assert_true (gtk_widget_has_focus (search) || gtk_widget_is_focus (search)
                 || gtk_widget_get_focus_child (search) != NULL);

  /* The officer types without diacritics; Enter picks the first procedure found. */
  gtk_editable_set_text (GTK_EDITABLE (search), "dang ky khai sinh");
  motcua_test_settle (400);
  save_screenshot (window_content (fixture), "01-reception-search");
  g_signal_emit_by_name (search, "activate");
  motcua_test_settle (50);
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (papers), 0));

  /* Tick the first two papers. */
  for (int i = 0; i < 2; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (papers), i);

      g_assert_nonnull (row);
      g_signal_emit_by_name (row, "activate");
    }

  /* Checked as typed: a letter in the citizen ID is an error at once. */
  set_text (page, "citizen_id_row", "01208900123x");
  g_assert_true (gtk_widget_has_css_class (citizen_id, "error"));
  /* A saved attempt with a bad ID writes nothing. */
  set_text (page, "name_row", "Vừ A Lồng");
  gtk_widget_activate_action (page, "reception.save", NULL);
  g_assert_cmpint (count_cases (fixture), ==, before);

  set_text (page, "citizen_id_row", "012089001234");
  g_assert_false (gtk_widget_has_css_class (citizen_id, "error"));
  set_text (page, "phone_row", "0912 345 678");
  set_text (page, "address_row", "Bản Nậm Manh, xã Nậm Manh");
  motcua_test_settle (100);
  save_screenshot (window_content (fixture), "02-reception-form");

  gtk_widget_activate_action (page, "reception.save", NULL);
  g_assert_cmpint (count_cases (fixture), ==, before + 1);

  receipt_no = gtk_label_get_label (GTK_LABEL (receipt_label));
  g_assert_true (g_str_has_prefix (receipt_no, "LC.NAMHANG-"));
  replica = motcua_replica_open (fixture->path, &error);
  g_assert_no_error (error);
  record = motcua_replica_dup_case (replica, receipt_no, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->applicant_name, ==, "Vừ A Lồng");
  g_assert_cmpstr (record->citizen_id, ==, "012089001234");
  g_assert_cmpstr (record->phone, ==, "0912345678");
  g_assert_cmpstr (record->procedure_code, ==, "MAU.HT.001");
  g_assert_cmpint (record->channel, ==, MOTCUA_CHANNEL_COUNTER);
  g_assert_cmpuint (record->papers->len, ==, 2);
  g_assert_cmpint (record->status, ==, MOTCUA_STATUS_RECEIVED);
  motcua_test_settle (300);
  save_screenshot (window_content (fixture), "03-reception-received");

  /* The receipt, as PDF. */
  receipt = motcua_receipt_new_for_case (replica, record, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (receipt->officer, ==, "Lò Thị Hoa");
  g_assert_cmpuint (g_strv_length (receipt->papers), ==, 2);
  pdf = g_build_filename (dir != NULL ? dir : ".", "receipt.pdf", NULL);
  g_assert_true (motcua_receipt_save_pdf (receipt, pdf, &error));
  g_assert_no_error (error);

  /* Next applicant: the form is empty again. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-reception", NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (citizen_id)), ==, "");
}

/* A procedure a department decides and a commune's centre may receive (sample). */
static void
put_department_procedure (DeskFixture *fixture)
{
  g_autoptr(MotcuaReplica) replica = NULL;
  g_autoptr(GError) error = NULL;
  const char *docs[] = { "Đơn đề nghị cấp giấy phép", "Bản sao giấy tờ", NULL };
  const char *basis[] = { "Văn bản mẫu", NULL };
  MotcuaProcedure procedure = {
    .code = (char *) "MAU.SO.001", .name = (char *) "Cấp giấy phép mẫu của sở",
    .sector = (char *) "Mẫu", .levels = 1u << MOTCUA_LEVEL_DEPARTMENT,
    .receiving_levels = 1u << MOTCUA_LEVEL_DEPARTMENT | 1u << MOTCUA_LEVEL_COMMUNE,
    .processing_days = 10, .documents = (GStrv) docs, .legal_basis = (GStrv) basis,
    .sample = TRUE,
  };

  replica = motcua_replica_open (fixture->path, &error);
  g_assert_no_error (error);
  motcua_replica_put_procedure (replica, &procedure, &error);
  g_assert_no_error (error);
}

/* Received at the commune's centre, decided by a department: the form asks which one and where
 * the result is handed back, and the dossier is forwarded there at once under the commune's
 * receipt. */
static void
test_reception_forwarded (DeskFixture   *fixture,
                          gconstpointer  data)
{
  GtkWidget *page = motcua_window_get_page (fixture->window, "reception");
  GtkWidget *search = page_child (page, MOTCUA_TYPE_RECEPTION_PAGE, "procedure_entry");
  GtkWidget *deciding = page_child (page, MOTCUA_TYPE_RECEPTION_PAGE, "deciding_row");
  GtkWidget *return_row = page_child (page, MOTCUA_TYPE_RECEPTION_PAGE, "return_row");
  GtkWidget *papers = page_child (page, MOTCUA_TYPE_RECEPTION_PAGE, "papers_list");
  GtkWidget *receipt_label = page_child (page, MOTCUA_TYPE_RECEPTION_PAGE, "receipt_label");
  g_autoptr(MotcuaReplica) replica = NULL;
  g_autoptr(MotcuaCase) record = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = count_cases (fixture);

  put_department_procedure (fixture);
  gtk_editable_set_text (GTK_EDITABLE (search), "giay phep mau cua so");
  motcua_test_settle (400);
  g_signal_emit_by_name (search, "activate");
  motcua_test_settle (50);
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (papers), 0));
  g_assert_true (gtk_widget_get_visible (deciding));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (deciding))),
                    ==, 3);
  g_assert_true (gtk_widget_get_visible (return_row));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (return_row)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (return_row), 1);   /* by the deciding office */

  set_text (page, "name_row", "Lò Văn Liên Thông");
  set_text (page, "citizen_id_row", "012089005678");
  motcua_test_settle (100);
  save_screenshot (window_content (fixture), "04-reception-forwarded");
  gtk_widget_activate_action (page, "reception.save", NULL);
  g_assert_cmpint (count_cases (fixture), ==, before + 1);

  replica = motcua_replica_open (fixture->path, &error);
  g_assert_no_error (error);
  record = motcua_replica_dup_case (replica, gtk_label_get_label (GTK_LABEL (receipt_label)),
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->receiving_office, ==, "LC.NAMHANG");
  g_assert_true (g_str_has_prefix (record->handling_office, "LC.S"));
  g_assert_true (record->return_at_deciding);
  /* The next applicant's form starts from "at this desk" again. */
  motcua_reception_page_reset (MOTCUA_RECEPTION_PAGE (page));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (return_row)), ==, 0);
}

static void
test_pages (DeskFixture   *fixture,
            gconstpointer  data)
{
  static const char *pages[] = { "cases", "catalogue", "reports", "sync", "conflicts" };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *name = g_strdup_printf ("%02u-%s", 10 + i, pages[i]);
      g_autoptr(GVariant) target = g_variant_ref_sink (g_variant_new_string (pages[i]));

      gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window), "win.show-page", target);
      g_assert_cmpstr (motcua_window_get_visible_page (fixture->window), ==, pages[i]);
      g_assert_true (wait_for (widget_mapped, motcua_window_get_page (fixture->window, pages[i]),
                               30000));
      motcua_test_settle (600);
      save_screenshot (window_content (fixture), name);
    }
}

GListModel *
cases_model (GtkWidget *cases_page)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (page_child (cases_page, MOTCUA_TYPE_CASES_PAGE,
                                                     "column_view"));
  GtkSelectionModel *selection = gtk_column_view_get_model (view);

  g_assert_nonnull (selection);
  return gtk_no_selection_get_model (GTK_NO_SELECTION (selection));
}

AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static void
test_cases (DeskFixture   *fixture,
            gconstpointer  data)
{
  GtkWidget *page = motcua_window_get_page (fixture->window, "cases");
  GtkWidget *search = page_child (page, MOTCUA_TYPE_CASES_PAGE, "search_entry");
  GtkWidget *overdue = page_child (page, MOTCUA_TYPE_CASES_PAGE, "overdue_toggle");
  GtkWidget *case_page = page_child (page, MOTCUA_TYPE_CASES_PAGE, "case_page");
  GtkWidget *steps = page_child (case_page, MOTCUA_TYPE_CASE_PAGE, "steps_box");
  g_autoptr(MotcuaReplica) replica = motcua_replica_open (fixture->path, NULL);
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  g_autoptr(MotcuaCaseItem) first = NULL;
  g_autofree char *today = NULL;
  g_autofree char *id = NULL;
  g_autoptr(MotcuaCase) before = NULL;
  g_autoptr(MotcuaCase) after = NULL;
  GListModel *model;
  GtkFlowBoxChild *step;
  AdwMessageDialog *dialog;

  show_page (fixture, "cases");
  model = cases_model (page);
  g_assert_true (wait_for (motcua_test_model_settled, model, 30000));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, fixture->n_cases);

  /* Rows come in pages: the first is loaded, the table never is whole. */
  first = g_list_model_get_item (model, 0);
  g_assert_true (wait_for (motcua_test_item_loaded, first, 30000));
  g_assert_cmpuint (motcua_case_list_model_get_n_pages_loaded (MOTCUA_CASE_LIST_MODEL (model)),
                    <, fixture->n_cases / MOTCUA_CASE_LIST_PAGE_SIZE + 1);
  save_screenshot (window_content (fixture), "20-cases-list");

  /* Overdue: the same count as the library's. */
  today = g_strdup (g_getenv ("MOTCUA_DESK_TODAY"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (overdue), TRUE);
  g_assert_true (wait_for (motcua_test_model_settled, model, 30000));
  filter.overdue = TRUE;
  filter.today = today;
  g_assert_cmpint (g_list_model_get_n_items (model), ==,
                   motcua_replica_count_cases (replica, &filter, NULL));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (overdue), FALSE);

  /* Search as you type, without diacritics. */
  gtk_editable_set_text (GTK_EDITABLE (search), "vu a long");
  motcua_test_settle (400);
  g_assert_true (wait_for (motcua_test_model_settled, model, 30000));
  filter.overdue = FALSE;
  filter.query = "vu a long";
  g_assert_cmpint (g_list_model_get_n_items (model), ==,
                   motcua_replica_count_cases (replica, &filter, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
  save_screenshot (window_content (fixture), "21-cases-search");

  /* Open the newest dossier and take its first step through the dialog. */
  g_clear_object (&first);
  first = g_list_model_get_item (model, 0);
  g_assert_true (wait_for (motcua_test_item_loaded, first, 30000));
  id = g_strdup (motcua_case_item_get_case (first)->id);
  before = motcua_replica_dup_case (replica, id, NULL);
  motcua_cases_page_show_case (MOTCUA_CASES_PAGE (page), id);
  motcua_test_settle (200);
  save_screenshot (window_content (fixture), "22-case");

  step = gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (steps), 0);
  g_assert_nonnull (step);
  g_signal_emit_by_name (gtk_flow_box_child_get_child (step), "clicked");
  motcua_test_settle (200);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "apply");
  gtk_window_destroy (GTK_WINDOW (dialog));
  motcua_test_settle (100);
  after = motcua_replica_dup_case (replica, id, NULL);
  g_assert_true (motcua_status_can_step (before->status, after->status));
  g_assert_cmpint (after->status, !=, before->status);
  save_screenshot (window_content (fixture), "23-case-advanced");
}

static void
test_catalogue (DeskFixture   *fixture,
                gconstpointer  data)
{
  GtkWidget *page = motcua_window_get_page (fixture->window, "catalogue");
  GtkWidget *search = page_child (page, MOTCUA_TYPE_CATALOGUE_PAGE, "search_entry");
  GtkWidget *name = page_child (page, MOTCUA_TYPE_CATALOGUE_PAGE, "name_label");

  show_page (fixture, "catalogue");
  gtk_editable_set_text (GTK_EDITABLE (search), "ket hon");
  motcua_test_settle (400);
  g_signal_emit_by_name (search, "activate");
  motcua_test_settle (100);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (name)), "kết hôn"));
  save_screenshot (window_content (fixture), "30-catalogue-detail");
}

gboolean
report_ready (gpointer data)
{
  return motcua_reports_page_get_report (MOTCUA_REPORTS_PAGE (data)) != NULL;
}

static void
test_reports (DeskFixture   *fixture,
              gconstpointer  data)
{
  GtkWidget *page = motcua_window_get_page (fixture->window, "reports");
  const char *dir = g_getenv ("MOTCUA_DESK_SCREENSHOT_DIR");
  g_autofree char *pdf = g_build_filename (dir != NULL ? dir : ".", "report.pdf", NULL);
  g_autoptr(MotcuaReplica) replica = motcua_replica_open (fixture->path, NULL);
  g_autoptr(MotcuaReport) expected = NULL;
  g_autoptr(GError) error = NULL;
  MotcuaReport *shown;

  show_page (fixture, "reports");
  g_assert_true (wait_for (report_ready, page, 30000));
  shown = motcua_reports_page_get_report (MOTCUA_REPORTS_PAGE (page));
  /* "This month" is the reporting month, from the 15th of the month before to the 14th. */
  g_assert_true (g_str_has_suffix (motcua_report_get_from (shown), "-15"));
  g_assert_true (g_str_has_suffix (motcua_report_get_to (shown), "-14"));
  expected = motcua_replica_report (replica, "LC.NAMHANG", motcua_report_get_from (shown),
                                    motcua_report_get_to (shown), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (motcua_report_get_n_rows (shown), ==, motcua_report_get_n_rows (expected));
  g_assert_cmpint (motcua_report_get_row (shown, 0)->total.received_total, ==,
                   motcua_report_get_row (expected, 0)->total.received_total);
  g_assert_true (motcua_reports_page_save_pdf (MOTCUA_REPORTS_PAGE (page), pdf, &error));
  g_assert_no_error (error);
  save_screenshot (window_content (fixture), "40-reports");
}

/* The first row below @widget whose title contains @needle, or NULL. */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *needle)
{
  const char *title = ADW_IS_PREFERENCES_ROW (widget)
                      ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)) : NULL;

  if (title != NULL && strstr (title, needle) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, needle);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* An overdue dossier: the officer apologises with a new date, the timeline says so, and the
 * slip prints. */
static void
test_apology (DeskFixture   *fixture,
              gconstpointer  data)
{
  GtkWidget *page = motcua_window_get_page (fixture->window, "cases");
  GtkWidget *case_page = page_child (page, MOTCUA_TYPE_CASES_PAGE, "case_page");
  GtkWidget *button = page_child (case_page, MOTCUA_TYPE_CASE_PAGE, "apologise_button");
  GtkWidget *promised_row = page_child (case_page, MOTCUA_TYPE_CASE_PAGE, "promised_row");
  GtkWidget *timeline = page_child (case_page, MOTCUA_TYPE_CASE_PAGE, "timeline_group");
  const char *dir = g_getenv ("MOTCUA_DESK_SCREENSHOT_DIR");
  g_autofree char *pdf = g_build_filename (dir != NULL ? dir : ".", "apology.pdf", NULL);
  g_autofree char *png = g_build_filename (dir != NULL ? dir : ".", "25-apology-slip.png", NULL);
  g_autoptr(MotcuaReplica) replica = motcua_replica_open (fixture->path, NULL);
  g_autoptr(MotcuaCalendar) calendar = motcua_replica_dup_calendar (replica, NULL);
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  g_autoptr(GPtrArray) overdue = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(MotcuaCase) after = NULL;
  g_autoptr(MotcuaApologySlip) slip = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *new_date = NULL;
  const MotcuaCase *record;
  const MotcuaCaseEvent *event;
  AdwMessageDialog *dialog;
  GtkWidget *row;
  GDate today, promised;

  filter.overdue = TRUE;
  filter.today = g_getenv ("MOTCUA_DESK_TODAY");
  overdue = motcua_replica_list_cases (replica, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overdue->len, >, 0);
  record = g_ptr_array_index (overdue, 0);

  show_page (fixture, "cases");
  motcua_cases_page_show_case (MOTCUA_CASES_PAGE (page), record->id);
  motcua_test_settle (200);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_false (gtk_widget_get_visible (promised_row));

  /* Three working days from today, through the dialog. */
  g_assert_true (motcua_check_date ("today", filter.today, &today, NULL));
  motcua_calendar_add_working_days (calendar, &today, 3, &promised);
  new_date = motcua_test_date_string (&promised);
  gtk_widget_activate_action (case_page, "case.apologise", NULL);
  motcua_test_settle (200);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "date-entry"), new_date);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "reason-entry"),
                         "Chờ ý kiến của Phòng Nông nghiệp và Môi trường");
  save_screenshot (GTK_WIDGET (dialog), "24-case-apology-dialog");
  adw_message_dialog_response (dialog, "apply");
  gtk_window_destroy (GTK_WINDOW (dialog));
  motcua_test_settle (200);

  /* One event with the dates; the legal due date stands. */
  events = motcua_replica_list_case_events (replica, record->id, &error);
  g_assert_no_error (error);
  event = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (event->action, ==, "apologised");
  g_assert_cmpstr (event->old_value, ==, record->due_date);
  g_assert_cmpstr (event->new_value, ==, new_date);
  after = motcua_replica_dup_case (replica, record->id, &error);
  g_assert_cmpstr (after->due_date, ==, record->due_date);

  /* The page shows the promise and the timeline row. */
  g_assert_true (gtk_widget_get_visible (promised_row));
  row = find_row (timeline, _("Apologised, new date set"));
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "Phòng Nông nghiệp"));
  save_screenshot (window_content (fixture), "25-case-apologised");
  scroll_to (row);
  save_screenshot (window_content (fixture), "26-case-apology-timeline");

  /* The slip, as PDF and as a picture to look at. */
  g_assert_true (motcua_case_page_save_apology_pdf (MOTCUA_CASE_PAGE (case_page), pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  slip = motcua_apology_slip_new_for_case (replica, after, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (slip->new_date, ==, new_date);
  {
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 840, 1190);
    cairo_t *cr = cairo_create (surface);

    cairo_scale (cr, 2, 2);
    motcua_apology_slip_draw (slip, cr, 420, 595);
    cairo_destroy (cr);
    g_assert_cmpint (cairo_surface_write_to_png (surface, png), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy (surface);
  }
}

void
test_desk_pages_add_tests (void)
{
  g_test_add ("/desk/first-run", DeskFixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_setup_page, fixture_tear_down);
  g_test_add ("/desk/reception", DeskFixture, GUINT_TO_POINTER (300), fixture_set_up,
              test_reception, fixture_tear_down);
  g_test_add ("/desk/reception-forwarded", DeskFixture, GUINT_TO_POINTER (20), fixture_set_up,
              test_reception_forwarded, fixture_tear_down);
  g_test_add ("/desk/pages", DeskFixture, GUINT_TO_POINTER (300), fixture_set_up,
              test_pages, fixture_tear_down);
  g_test_add ("/desk/cases", DeskFixture, GUINT_TO_POINTER (300), fixture_set_up,
              test_cases, fixture_tear_down);
  g_test_add ("/desk/apology", DeskFixture, GUINT_TO_POINTER (300), fixture_set_up,
              test_apology, fixture_tear_down);
  g_test_add ("/desk/catalogue", DeskFixture, GUINT_TO_POINTER (20), fixture_set_up,
              test_catalogue, fixture_tear_down);
  g_test_add ("/desk/reports", DeskFixture, GUINT_TO_POINTER (300), fixture_set_up,
              test_reports, fixture_tear_down);
}
