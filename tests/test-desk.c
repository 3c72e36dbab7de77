/* test-desk.c: the desk (motcua) driven through its actions and widgets under Xvfb
 *
 * Each test opens a real window on a replica made for it (a district with its communes, the
 * sample catalogue and calendars, and a few hundred dossiers), drives it as an officer would
 * and checks the replica. Every page is also saved as a PNG screenshot in the build directory
 * (tests/screenshots/), for a reviewer to look at.
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

static const char *names[] = {
  "Vừ A Lồng", "Lò Thị Hoa", "Lò Văn Pằng", "Vàng Thị Mai", "Nguyễn Văn Minh", "Tòng Thị Lả",
  "Sùng A Páo", "Lường Văn Hặc", "Đỗ Thị Thu Hà", "Hoàng Thị Minh Linh", "Quàng Văn Đông",
  "Giàng A Chứ", "Phạm Đức Thắng", "Lù Thị Dung", "Tẩn Láo Lở", "Chẻo Thị Mẩy",
};

static const char *procedures[] = {
  "MAU.HT.001", "MAU.HT.002", "MAU.HT.003", "MAU.HT.004", "MAU.HT.007", "MAU.HT.008",
};

static const char *offices[] = { "LC.NN", "LC.NN.NM", "LC.NN.TT", "LC.NN.NH" };

typedef struct
{
  char              *dir;
  char              *path;
  MotcuaApplication *app;
  MotcuaWindow      *window;
  gint64             n_cases;
} DeskFixture;

/* Main loop helpers */

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data,
          guint     timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
widget_allocated (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 0
         && gtk_widget_get_height (GTK_WIDGET (data)) > 0;
}

/* Whether a stack in @widget is still cross-fading from one page to another. */
static gboolean
transition_running (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (transition_running (child))
      return TRUE;

  return FALSE;
}

static gboolean
transitions_done (gpointer data)
{
  return !transition_running (GTK_WIDGET (data));
}

/* Saves @widget as tests/screenshots/@name.png in the build directory. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("MOTCUA_DESK_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  motcua_test_settle (300);
  if (dir == NULL)
    dir = ".";
  g_mkdir_with_parents (dir, 0755);

  /* Mapped is not yet allocated: under a sanitizer, a window's first layout takes a while. */
  g_assert_true (wait_for (widget_allocated, widget, 60000));
  /* A page shown just now may still be fading in over the last one. */
  g_assert_true (wait_for (transitions_done, widget, 60000));
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);

  /* The widget draws at the next frame: under a sanitizer that may take a while. */
  paintable = gtk_widget_paintable_new (widget);
  for (int tries = 0; node == NULL && tries < 50; tries++)
    {
      g_clear_object (&snapshot);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_to_node (snapshot);
      if (node == NULL)
        motcua_test_settle (100);
    }
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* Shows a page of the window and waits until it is on screen: a page loads what it shows when
 * it is first mapped, and a window whose content was just replaced maps it at its next
 * allocation (a while, under a sanitizer). */
static GtkWidget *
show_page (DeskFixture *fixture,
           const char  *name)
{
  GtkWidget *page = motcua_window_get_page (fixture->window, name);

  motcua_window_show_page (fixture->window, name);
  g_assert_true (wait_for (widget_mapped, page, 30000));
  return page;
}

static GtkWidget *
window_content (DeskFixture *fixture)
{
  return adw_application_window_get_content (ADW_APPLICATION_WINDOW (fixture->window));
}

/* The replica: a district with its communes */

static char *
iso_days_ago (int days,
              int hour)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (7 * 3600);
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, -days);
  g_autoptr(GDateTime) at = g_date_time_new (zone, g_date_time_get_year (day),
                                             g_date_time_get_month (day),
                                             g_date_time_get_day_of_month (day), hour, 15, 0);

  return g_date_time_format (at, "%Y-%m-%dT%H:%M:%S+07:00");
}

static void
make_replica (DeskFixture *fixture,
              guint        n_cases)
{
  const char *data_dir = g_getenv ("MOTCUA_SOURCE_DATADIR");
  g_autoptr(MotcuaReplica) replica = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *offices_path = g_build_filename (data_dir, "offices.json", NULL);
  g_autofree char *catalogue = g_build_filename (data_dir, "catalogue.json", NULL);
  GRand *rand = g_rand_new_with_seed (42);

  replica = motcua_replica_create (fixture->path, "LC.NN", MOTCUA_LEVEL_DISTRICT, &error);
  g_assert_no_error (error);
  motcua_replica_set_officer (replica, "Lò Thị Hoa");
  g_assert_true (motcua_replica_import_file (replica, offices_path, MOTCUA_IMPORT_OFFICES,
                                            MOTCUA_FORMAT_AUTO, NULL, &error));
  g_assert_true (motcua_replica_import_file (replica, catalogue, MOTCUA_IMPORT_CATALOGUE,
                                            MOTCUA_FORMAT_AUTO, NULL, &error));
  for (int year = 2025; year <= 2026; year++)
    {
      g_autofree char *name = g_strdup_printf ("calendar-%d.json", year);
      g_autofree char *path = g_build_filename (data_dir, name, NULL);

      g_assert_true (motcua_replica_import_file (replica, path, MOTCUA_IMPORT_CALENDAR,
                                                MOTCUA_FORMAT_AUTO, NULL, &error));
    }

  g_assert_true (motcua_replica_begin (replica, &error));
  for (guint i = 0; i < n_cases; i++)
    {
      /* Oldest first, so the newest are at the top of the list. */
      int days = (int) ((n_cases - i) * 60 / MAX (n_cases, 1));
      g_autofree char *received_at = iso_days_ago (days, 8 + (int) (i % 9));
      g_autofree char *citizen_id = g_strdup_printf ("0120%08u", 10000000 + i * 7919 % 89999999);
      g_autofree char *phone = g_strdup_printf ("09%08u", 12345678 + i * 31);
      guint papers[] = { 0, 1 };
      MotcuaReception reception = {
        .procedure_code = procedures[g_rand_int_range (rand, 0, G_N_ELEMENTS (procedures))],
        .receiving_office = offices[g_rand_int_range (rand, 0, G_N_ELEMENTS (offices))],
        .applicant_name = names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))],
        .citizen_id = citizen_id,
        .phone = phone,
        .address = "Bản Nậm Manh, xã Nậm Manh, huyện Nậm Nhùn",
        .channel = (MotcuaChannel) (g_rand_int_range (rand, 0, 10) < 7 ? MOTCUA_CHANNEL_ONLINE
                                    : g_rand_int_range (rand, 0, MOTCUA_N_CHANNELS)),
        .priority = MOTCUA_PRIORITY_NONE,
        .received_at = received_at,
        .papers = papers,
        .n_papers = 2,
      };
      g_autoptr(MotcuaCase) record = motcua_replica_receive (replica, &reception, &error);
      int fate = g_rand_int_range (rand, 0, 10);

      g_assert_no_error (error);
      g_assert_nonnull (record);
      if (days < 3 || fate < 2)
        continue;
      {
        /* Each step dated after the one before, so that timelines read in order. */
        g_autofree char *at = iso_days_ago (days - 1, 9);
        MotcuaStepOptions options = { .at = at };

        g_assert_true (motcua_replica_advance_case (replica, record->id,
                                                   MOTCUA_STATUS_IN_PROCESSING, &options,
                                                   &error));
        if (fate < 4)
          continue;
        if (fate == 4)
          {
            g_autofree char *later = iso_days_ago (days - 1, 15);
            MotcuaStepOptions asked = { .at = later };

            g_assert_true (motcua_replica_advance_case (replica, record->id,
                                                       MOTCUA_STATUS_SUPPLEMENT_REQUESTED,
                                                       &asked, &error));
            continue;
          }
      }
      {
        g_autofree char *at = iso_days_ago (MAX (days - 2, 0), 16);
        MotcuaStepOptions options = { .at = at, .result = "Giấy khai sinh" };

        g_assert_true (motcua_replica_advance_case (replica, record->id, MOTCUA_STATUS_APPROVED,
                                                   &options, &error));
        if (fate > 6)
          {
            options.returned_via = MOTCUA_CHANNEL_COUNTER;
            g_assert_true (motcua_replica_advance_case (replica, record->id,
                                                       MOTCUA_STATUS_RETURNED, &options,
                                                       &error));
          }
      }
    }
  g_assert_true (motcua_replica_commit (replica, &error));
  fixture->n_cases = n_cases;
  g_rand_free (rand);
}

static void
fixture_set_up (DeskFixture   *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n_cases = GPOINTER_TO_UINT (data);

  fixture->dir = g_dir_make_tmp ("motcua-desk-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "nam-nhun.db", NULL);
  if (n_cases > 0)
    make_replica (fixture, n_cases);

  fixture->app = motcua_application_new ();
  g_application_set_flags (G_APPLICATION (fixture->app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (fixture->app), NULL, &error));
  g_assert_no_error (error);
  g_settings_set_string (motcua_application_get_settings (fixture->app), "officer-name",
                         "Lò Thị Hoa");
  /* The tests sync when they mean to, not as the desk opens or every N minutes. */
  g_settings_set_uint (motcua_application_get_settings (fixture->app), "auto-sync-minutes", 0);

  fixture->window = motcua_window_new (fixture->app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 820);
  gtk_window_present (GTK_WINDOW (fixture->window));
  /* Pages load what they show when they are first mapped: the window must be, first. */
  g_assert_true (wait_for (widget_mapped, fixture->window, 30000));
  if (n_cases > 0)
    g_assert_true (motcua_window_open_replica (fixture->window, fixture->path));
  motcua_test_settle (200);
}

static void
fixture_tear_down (DeskFixture   *fixture,
                   gconstpointer  data)
{
  gpointer window = fixture->window;
  gpointer session = motcua_window_get_session (fixture->window);

  /* The desk's background work (queries of a big replica, the sync) holds the pages it will
   * answer until its answer is delivered in the main loop: iterate until the window and its
   * session are finalized, or they and the render nodes their widgets cache would still be
   * alive when the process exits, and LeakSanitizer would rightly call them leaked. How long
   * that takes depends on the machine, never on a fixed pause. */
  g_object_add_weak_pointer (window, &window);
  if (session != NULL)
    g_object_add_weak_pointer (session, &session);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  g_assert_true (wait_for (pointer_cleared, &window, 120000));
  g_assert_true (wait_for (pointer_cleared, &session, 120000));
  g_clear_object (&fixture->app);
  motcua_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static gint64
count_cases (DeskFixture *fixture)
{
  g_autoptr(MotcuaReplica) replica = motcua_replica_open (fixture->path, NULL);
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;

  return motcua_replica_count_cases (replica, &filter, NULL);
}

/* Tests */

static void
test_setup_page (DeskFixture   *fixture,
                 gconstpointer  data)
{
  g_assert_null (motcua_window_get_session (fixture->window));
  motcua_test_settle (500);
  save_screenshot (window_content (fixture), "00-first-run");
}

static GtkWidget *
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
  g_assert_true (g_str_has_prefix (receipt_no, "LC.NN-"));
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

static GListModel *
cases_model (GtkWidget *cases_page)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (page_child (cases_page, MOTCUA_TYPE_CASES_PAGE,
                                                     "column_view"));
  GtkSelectionModel *selection = gtk_column_view_get_model (view);

  g_assert_nonnull (selection);
  return gtk_no_selection_get_model (GTK_NO_SELECTION (selection));
}

static AdwMessageDialog *
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

static gboolean
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
  expected = motcua_replica_report (replica, "LC.NN", motcua_report_get_from (shown),
                                    motcua_report_get_to (shown), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (motcua_report_get_n_rows (shown), ==, motcua_report_get_n_rows (expected));
  g_assert_cmpint (motcua_report_get_row (shown, 0)->total.received_total, ==,
                   motcua_report_get_row (expected, 0)->total.received_total);
  g_assert_true (motcua_reports_page_save_pdf (MOTCUA_REPORTS_PAGE (page), pdf, &error));
  g_assert_no_error (error);
  save_screenshot (window_content (fixture), "40-reports");
}

/* Scans attached to a dossier */

/* A scan-like PNG: a page with a heading and lines of text; @noise makes it big (and PNG cannot
 * compress it). Returns its size in bytes. */
static goffset
make_scan (const char *path,
           int         width,
           int         height,
           gboolean    noise)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  GStatBuf st;

  cairo_set_source_rgb (cr, 0.97, 0.96, 0.92);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, width / 18.0);
  cairo_move_to (cr, width * 0.12, height * 0.12);
  cairo_show_text (cr, "GIẤY CHỨNG SINH");
  cairo_set_line_width (cr, 2);
  for (int i = 0; i < 14; i++)
    {
      cairo_move_to (cr, width * 0.1, height * (0.2 + i * 0.05));
      cairo_line_to (cr, width * (0.5 + (i % 4) * 0.1), height * (0.2 + i * 0.05));
    }
  cairo_stroke (cr);
  cairo_rectangle (cr, width * 0.6, height * 0.8, width * 0.3, height * 0.12);
  cairo_stroke (cr);
  if (noise)
    {
      guint32 *pixels = (guint32 *) (gpointer) cairo_image_surface_get_data (surface);
      GRand *rand = g_rand_new_with_seed (7);

      cairo_surface_flush (surface);
      for (int i = 0; i < width * height; i++)
        pixels[i] = g_rand_int (rand) & 0xffffff;
      cairo_surface_mark_dirty (surface);
      g_rand_free (rand);
    }
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size;
}

static gboolean
attachments_idle (gpointer data)
{
  return !motcua_attachments_group_get_busy (MOTCUA_ATTACHMENTS_GROUP (data));
}

static GtkWindow *
find_scan_viewer (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (gtk_widget_has_css_class (window, "scan-viewer") && gtk_widget_get_visible (window))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static gboolean
scan_viewer_shown (gpointer data)
{
  return find_scan_viewer () != NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

/* Scrolls the case page so that @widget is at the top of the view. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (scroller));
  double x = 0, y = 0;

  motcua_test_settle (200);
  g_assert_true (gtk_widget_translate_coordinates (widget, gtk_scrolled_window_get_child (
                                                     GTK_SCROLLED_WINDOW (scroller)),
                                                   0, 0, &x, &y));
  gtk_adjustment_set_value (adjustment, y - 12);
}

static GtkWidget *
show_first_case (DeskFixture  *fixture,
                 MotcuaCase  **record_out)
{
  g_autoptr(MotcuaReplica) replica = motcua_replica_open (fixture->path, NULL);
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  g_autoptr(GPtrArray) cases = NULL;
  GtkWidget *cases_page = motcua_window_get_page (fixture->window, "cases");
  GtkWidget *case_page = page_child (cases_page, MOTCUA_TYPE_CASES_PAGE, "case_page");

  filter.limit = 1;
  cases = motcua_replica_list_cases (replica, &filter, NULL);
  g_assert_nonnull (cases);
  g_assert_cmpuint (cases->len, ==, 1);
  *record_out = motcua_case_copy (g_ptr_array_index (cases, 0));
  show_page (fixture, "cases");
  motcua_cases_page_show_case (MOTCUA_CASES_PAGE (cases_page), (*record_out)->id);
  motcua_test_settle (200);
  return page_child (case_page, MOTCUA_TYPE_CASE_PAGE, "attachments_group");
}

static void
test_attachments (DeskFixture   *fixture,
                  gconstpointer  data)
{
  g_autofree char *png = g_build_filename (fixture->dir, "giay-chung-sinh.png", NULL);
  g_autofree char *big = g_build_filename (fixture->dir, "ho-so-scan-600dpi.pdf", NULL);
  g_autoptr(MotcuaCase) record = NULL;
  g_autoptr(MotcuaReplica) replica = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group = show_first_case (fixture, &record);
  const MotcuaAttachment *shown;
  GtkWindow *viewer;
  goffset size;
  gboolean attached = FALSE;

  g_assert_cmpuint (motcua_attachments_group_get_attachments (
                      MOTCUA_ATTACHMENTS_GROUP (group))->len, ==, 0);

  /* "Add Scan…" with a file: attached in one write, with its event in the timeline. */
  size = make_scan (png, 900, 1200, FALSE);
  file = g_file_new_for_path (png);
  motcua_attachments_group_add_file (MOTCUA_ATTACHMENTS_GROUP (group), file);
  g_assert_true (wait_for (attachments_idle, group, 30000));
  g_assert_null (motcua_attachments_group_get_error (MOTCUA_ATTACHMENTS_GROUP (group)));
  g_assert_cmpuint (motcua_attachments_group_get_attachments (
                      MOTCUA_ATTACHMENTS_GROUP (group))->len, ==, 1);
  shown = g_ptr_array_index (motcua_attachments_group_get_attachments (
                               MOTCUA_ATTACHMENTS_GROUP (group)), 0);
  g_assert_cmpstr (shown->name, ==, "giay-chung-sinh.png");
  g_assert_cmpstr (shown->mime_type, ==, "image/png");
  g_assert_cmpuint (shown->size, ==, (guint64) size);
  g_assert_true (shown->present);
  g_assert_cmpstr (shown->officer, ==, "Lò Thị Hoa");

  replica = motcua_replica_open (fixture->path, &error);
  g_assert_no_error (error);
  stored = motcua_replica_list_attachments (replica, record->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  events = motcua_replica_list_case_events (replica, record->id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    attached |= g_strcmp0 (((MotcuaCaseEvent *) g_ptr_array_index (events, i))->action,
                           "attached") == 0;
  g_assert_true (attached);

  /* Viewed in a window of the desk. */
  motcua_attachments_group_open (MOTCUA_ATTACHMENTS_GROUP (group), shown->id);
  g_assert_true (wait_for (scan_viewer_shown, NULL, 30000));
  viewer = find_scan_viewer ();
  g_assert_cmpstr (gtk_window_get_title (viewer), ==, "giay-chung-sinh.png");
  save_screenshot (GTK_WIDGET (viewer), "25-scan-viewer");
  gtk_window_destroy (viewer);
  motcua_test_settle (100);

  /* Too large: refused from its size alone, said plainly, nothing written. */
  {
    FILE *f = g_fopen (big, "wb");

    g_assert_nonnull (f);
    g_assert_cmpint (fseek (f, (long) MOTCUA_ATTACHMENT_MAX_SIZE + 1024 * 1024, SEEK_SET), ==, 0);
    g_assert_cmpint (fputc ('%', f), ==, '%');
    fclose (f);
  }
  g_clear_object (&file);
  file = g_file_new_for_path (big);
  motcua_attachments_group_add_file (MOTCUA_ATTACHMENTS_GROUP (group), file);
  g_assert_true (wait_for (attachments_idle, group, 30000));
  g_assert_nonnull (motcua_attachments_group_get_error (MOTCUA_ATTACHMENTS_GROUP (group)));
  g_assert_nonnull (strstr (motcua_attachments_group_get_error (
                              MOTCUA_ATTACHMENTS_GROUP (group)), "ho-so-scan-600dpi.pdf"));
  g_test_message ("too large: %s",
                  motcua_attachments_group_get_error (MOTCUA_ATTACHMENTS_GROUP (group)));
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = motcua_replica_list_attachments (replica, record->id, &error);
  g_assert_cmpuint (stored->len, ==, 1);

  /* Not found: a file that is not there. */
  g_clear_object (&file);
  file = g_file_new_for_path ("/nonexistent/giay-to.pdf");
  motcua_attachments_group_add_file (MOTCUA_ATTACHMENTS_GROUP (group), file);
  g_assert_true (wait_for (attachments_idle, group, 30000));
  g_assert_nonnull (strstr (motcua_attachments_group_get_error (
                              MOTCUA_ATTACHMENTS_GROUP (group)), "giay-to.pdf"));
  g_test_message ("not found: %s",
                  motcua_attachments_group_get_error (MOTCUA_ATTACHMENTS_GROUP (group)));

  /* The too-large message is the one to look at. */
  g_clear_object (&file);
  file = g_file_new_for_path (big);
  motcua_attachments_group_add_file (MOTCUA_ATTACHMENTS_GROUP (group), file);
  g_assert_true (wait_for (attachments_idle, group, 30000));
  scroll_to (group);
  save_screenshot (window_content (fixture), "24-case-scans");

  /* Removed by mistake-proof steps: the trash button asks why, and Remove stays off until a
   * reason is typed; then the scan leaves the list and the timeline says who and why. */
  {
    g_autofree char *id = g_strdup (shown->id);
    AdwMessageDialog *dialog;
    GtkEditable *reason;
    gboolean removed = FALSE;

    g_assert_true (gtk_widget_activate_action (group, "attachments.remove", "s", id));
    g_assert_true (wait_for (message_dialog_shown, NULL, 30000));
    dialog = find_message_dialog ();
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "remove"));
    reason = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
    gtk_editable_set_text (reason, "Nhầm giấy của hồ sơ khác");
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "remove"));
    save_screenshot (GTK_WIDGET (dialog), "25b-remove-scan");
    adw_message_dialog_response (dialog, "remove");
    gtk_window_destroy (GTK_WINDOW (dialog));
    motcua_test_settle (100);

    g_assert_null (motcua_attachments_group_get_error (MOTCUA_ATTACHMENTS_GROUP (group)));
    g_assert_cmpuint (motcua_attachments_group_get_attachments (
                        MOTCUA_ATTACHMENTS_GROUP (group))->len, ==, 0);
    g_clear_pointer (&stored, g_ptr_array_unref);
    stored = motcua_replica_list_attachments (replica, record->id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (stored->len, ==, 0);
    g_clear_pointer (&events, g_ptr_array_unref);
    events = motcua_replica_list_case_events (replica, record->id, &error);
    for (guint i = 0; i < events->len; i++)
      {
        MotcuaCaseEvent *event = g_ptr_array_index (events, i);

        removed |= g_strcmp0 (event->action, "attachment_removed") == 0
                   && g_strcmp0 (event->note, "Nhầm giấy của hồ sơ khác") == 0
                   && g_strcmp0 (event->officer, "Lò Thị Hoa") == 0;
      }
    g_assert_true (removed);
  }
}

static GSubprocess *server_serve (const char  *store,
                                  const char  *config,
                                  char       **url_out);
static char *server_cli (const char *store, ...) G_GNUC_NULL_TERMINATED;
static char *first_line (const char *text);
static void sync_replica (const char *path);

/* Nậm Manh's two desks against a motcua-server of Lai Châu (its offices and catalogue, with
 * @config unless NULL) on 127.0.0.1: @fixture's replica and the one at @path_b, each enrolled
 * with a token of its own, and the first synced. The server. */
static GSubprocess *
serve_two_desks (DeskFixture *fixture,
                 const char  *path_b,
                 const char  *config)
{
  const char *data_dir = g_getenv ("MOTCUA_SOURCE_DATADIR");
  g_autofree char *offices_file = g_build_filename (data_dir, "offices.json", NULL);
  g_autofree char *catalogue = g_build_filename (data_dir, "catalogue.json", NULL);
  g_autofree char *store = g_build_filename (fixture->dir, "server.db", NULL);
  g_autofree char *out = NULL, *token_a = NULL, *token_b = NULL, *url = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *server;

  g_free (server_cli (store, "init", "--province", "LC", "--name", "UBND tỉnh Lai Châu", NULL));
  g_free (server_cli (store, "offices", "import", offices_file, NULL));
  g_free (server_cli (store, "publish", "catalogue", catalogue, NULL));
  out = server_cli (store, "replicas", "enroll", "LC.NN.NM", NULL);
  token_a = first_line (out);
  g_free (out);
  out = server_cli (store, "replicas", "enroll", "LC.NN.NM", NULL);
  token_b = first_line (out);
  server = server_serve (store, config, &url);

  g_assert_true (motcua_sync_enroll (fixture->path, url, token_a, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (motcua_sync_enroll (path_b, url, token_b, NULL, &error));
  g_assert_no_error (error);
  sync_replica (fixture->path);

  return server;
}

static void
test_attachments_fetch (DeskFixture   *fixture,
                        gconstpointer  data)
{
  g_autofree char *config = g_build_filename (fixture->dir, "server.conf", NULL);
  g_autofree char *path_b = g_build_filename (fixture->dir, "desk-b.db", NULL);
  g_autofree char *small = g_build_filename (fixture->dir, "giay-chung-sinh.png", NULL);
  g_autofree char *large = g_build_filename (fixture->dir, "so-ho-khau.png", NULL);
  g_autofree char *small_id = NULL, *large_id = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) record = NULL;
  GtkWidget *group, *cases_page;
  GPtrArray *shown;
  guint papers[] = { 0 };

  if (g_getenv ("MOTCUA_SERVER") == NULL)
    {
      g_test_skip ("no motcua-server");
      return;
    }

  /* A server that takes scans up to 200 kB: the large one stays on the desk that added it. */
  g_assert_true (g_file_set_contents (config, "[server]\nmax-blob-bytes=200000\n", -1, NULL));
  server = serve_two_desks (fixture, path_b, config);

  /* Desk A receives a dossier and attaches two scans, then syncs. */
  g_assert_cmpint (make_scan (small, 600, 800, FALSE), <, 200000);
  g_assert_cmpint (make_scan (large, 500, 500, TRUE), >, 200000);
  {
    g_autoptr(MotcuaReplica) a = motcua_replica_open (fixture->path, &error);
    g_autoptr(GFile) small_file = g_file_new_for_path (small);
    g_autoptr(GFile) large_file = g_file_new_for_path (large);
    g_autoptr(MotcuaAttachment) one = NULL;
    g_autoptr(MotcuaAttachment) two = NULL;
    MotcuaReception reception = {
      .procedure_code = "MAU.HT.001", .applicant_name = "Vừ A Lồng",
      .citizen_id = "012089001234", .phone = "0912345678", .channel = MOTCUA_CHANNEL_COUNTER,
      .papers = papers, .n_papers = 1,
    };

    g_assert_no_error (error);
    motcua_replica_set_officer (a, "Lường Văn Hặc");
    record = motcua_replica_receive (a, &reception, &error);
    g_assert_no_error (error);
    one = motcua_replica_add_attachment_from_file (a, record->id, small_file, NULL, NULL, &error);
    g_assert_no_error (error);
    two = motcua_replica_add_attachment_from_file (a, record->id, large_file, NULL, NULL, &error);
    g_assert_no_error (error);
    small_id = g_strdup (one->id);
    large_id = g_strdup (two->id);
  }
  sync_replica (fixture->path);
  sync_replica (path_b);

  /* The desk on B: both listed, neither downloaded. */
  g_assert_true (motcua_window_open_replica (fixture->window, path_b));
  cases_page = motcua_window_get_page (fixture->window, "cases");
  show_page (fixture, "cases");
  motcua_cases_page_show_case (MOTCUA_CASES_PAGE (cases_page), record->receipt_no);
  motcua_test_settle (200);
  group = page_child (page_child (cases_page, MOTCUA_TYPE_CASES_PAGE, "case_page"),
                      MOTCUA_TYPE_CASE_PAGE, "attachments_group");
  shown = motcua_attachments_group_get_attachments (MOTCUA_ATTACHMENTS_GROUP (group));
  g_assert_cmpuint (shown->len, ==, 2);
  for (guint i = 0; i < shown->len; i++)
    g_assert_false (((MotcuaAttachment *) g_ptr_array_index (shown, i))->present);
  scroll_to (group);
  save_screenshot (window_content (fixture), "26-case-scans-not-downloaded");

  /* Opening the small one downloads it, then shows it. */
  motcua_attachments_group_open (MOTCUA_ATTACHMENTS_GROUP (group), small_id);
  g_assert_true (wait_for (attachments_idle, group, 30000));
  g_assert_null (motcua_attachments_group_get_error (MOTCUA_ATTACHMENTS_GROUP (group)));
  g_assert_true (wait_for (scan_viewer_shown, NULL, 30000));
  gtk_window_destroy (find_scan_viewer ());
  {
    g_autoptr(MotcuaReplica) b = motcua_replica_open (path_b, &error);
    g_autoptr(GBytes) bytes = motcua_replica_read_attachment (b, small_id, &error);

    g_assert_no_error (error);
    g_assert_nonnull (bytes);
  }

  /* The large one never reached the server: said plainly. */
  motcua_attachments_group_open (MOTCUA_ATTACHMENTS_GROUP (group), large_id);
  g_assert_true (wait_for (attachments_idle, group, 30000));
  g_assert_nonnull (motcua_attachments_group_get_error (MOTCUA_ATTACHMENTS_GROUP (group)));
  g_assert_nonnull (strstr (motcua_attachments_group_get_error (MOTCUA_ATTACHMENTS_GROUP (group)),
                            "so-ho-khau.png"));
  g_test_message ("not on the server: %s",
                  motcua_attachments_group_get_error (MOTCUA_ATTACHMENTS_GROUP (group)));
  scroll_to (group);
  save_screenshot (window_content (fixture), "27-case-scans-downloaded");

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
}

/* Sync and conflicts, against a real motcua-server on 127.0.0.1 */

static char *
server_cli (const char *store,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("MOTCUA_SERVER"));
  g_ptr_array_add (argv, (gpointer) "--store");
  g_ptr_array_add (argv, (gpointer) store);
  va_start (args, store);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("motcua-server failed: %s", err);
  return g_steal_pointer (&out);
}

static char *
first_line (const char *text)
{
  const char *end = strchr (text, '\n');

  return end != NULL ? g_strndup (text, (gsize) (end - text)) : g_strdup (text);
}

/* @config: a settings file, or NULL. */
static GSubprocess *
server_serve (const char  *store,
              const char  *config,
              char       **url_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *server;

  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) g_getenv ("MOTCUA_SERVER"));
  if (config != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--config");
      g_ptr_array_add (argv, (gpointer) config);
    }
  g_ptr_array_add (argv, (gpointer) "--store");
  g_ptr_array_add (argv, (gpointer) store);
  g_ptr_array_add (argv, (gpointer) "serve");
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1");
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  g_ptr_array_add (argv, NULL);
  server = g_subprocess_newv ((const char * const *) argv->pdata,
                              G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  *url_out = g_strdup (line + strlen ("listening on "));
  return server;
}

static void
sync_replica (const char *path)
{
  g_autoptr(MotcuaSync) sync = motcua_sync_new (path);
  g_autoptr(GError) error = NULL;
  MotcuaSyncProgress summary = { 0 };

  gboolean ok = motcua_sync_run (sync, NULL, &summary, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Stores in the replica at @path the clock offset a sync would have measured. */
static void
store_clock_offset (const char *path,
                    gint64      offset_ms)
{
  g_autofree char *sql = g_strdup_printf ("INSERT OR REPLACE INTO meta (key, value)"
                                          " VALUES ('clock_offset', %" G_GINT64_FORMAT ")",
                                          offset_ms);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static gboolean
conflicts_shown (gpointer data)
{
  return motcua_conflicts_page_get_n_shown (MOTCUA_CONFLICTS_PAGE (data)) > 0;
}

static gboolean
sync_settled (gpointer data)
{
  MotcuaSyncStatus status = motcua_sync_get_state (MOTCUA_SYNC (data));

  return status == MOTCUA_SYNC_STATUS_UP_TO_DATE || status == MOTCUA_SYNC_STATUS_ERROR;
}

static gboolean
nothing_pending (gpointer data)
{
  return motcua_replica_count_pending (MOTCUA_REPLICA (data), NULL) == 0;
}

/* The desk's sync ends up to date. */
static void
assert_synced (DeskFixture *fixture)
{
  MotcuaSync *sync = motcua_session_get_sync (motcua_window_get_session (fixture->window));

  g_assert_true (wait_for (sync_settled, sync, 30000));
  g_assert_cmpint (motcua_sync_get_state (sync), ==, MOTCUA_SYNC_STATUS_UP_TO_DATE);
}

static void
test_sync_conflicts (DeskFixture   *fixture,
                     gconstpointer  data)
{
  g_autofree char *path_b = g_build_filename (fixture->dir, "desk-b.db", NULL);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) record = NULL;
  g_autoptr(MotcuaCase) resolved = NULL;
  GtkWidget *conflicts_page, *sync_page, *keep;
  guint papers[] = { 0 };

  if (g_getenv ("MOTCUA_SERVER") == NULL)
    {
      g_test_skip ("no motcua-server");
      return;
    }

  /* Two desks of Nậm Manh commune, enrolled; a dossier received at the first reaches both. */
  server = serve_two_desks (fixture, path_b, NULL);
  {
    g_autoptr(MotcuaReplica) a = motcua_replica_open (fixture->path, &error);
    MotcuaReception reception = {
      .procedure_code = "MAU.HT.001", .applicant_name = "Vừ A Lồng",
      .citizen_id = "012089001234", .phone = "0912345678", .channel = MOTCUA_CHANNEL_COUNTER,
      .papers = papers, .n_papers = 1,
    };

    g_assert_no_error (error);
    record = motcua_replica_receive (a, &reception, &error);
    g_assert_no_error (error);
  }
  sync_replica (fixture->path);
  sync_replica (path_b);

  /* Both desks correct the phone offline, differently: the server keeps both. */
  {
    g_autoptr(MotcuaReplica) a = motcua_replica_open (fixture->path, NULL);
    g_autoptr(MotcuaReplica) b = motcua_replica_open (path_b, NULL);

    g_assert_true (motcua_replica_edit_case (a, record->id, "phone", "0912000001", NULL, &error));
    g_assert_true (motcua_replica_edit_case (b, record->id, "phone", "0987000002", NULL, &error));
    g_assert_no_error (error);
  }
  sync_replica (fixture->path);
  sync_replica (path_b);
  sync_replica (fixture->path);

  /* The desk on the first replica: the header, the Sync page, the Conflicts page. Its last
   * sync found its clock three hours ahead: the window says so on every page, until a sync
   * finds it right. */
  store_clock_offset (fixture->path, -3 * 3600 * 1000);
  g_assert_true (motcua_window_open_replica (fixture->window, fixture->path));
  g_assert_nonnull (motcua_window_get_clock_warning (fixture->window));
  g_assert_nonnull (strstr (motcua_window_get_clock_warning (fixture->window), "180"));
  motcua_test_settle (200);
  save_screenshot (window_content (fixture), "49-clock-warning");
  g_assert_nonnull (motcua_session_get_sync (motcua_window_get_session (fixture->window)));
  sync_page = motcua_window_get_page (fixture->window, "sync");
  show_page (fixture, "sync");
  motcua_test_settle (200);
  gtk_widget_activate_action (sync_page, "sync.run", NULL);
  assert_synced (fixture);
  g_assert_null (motcua_window_get_clock_warning (fixture->window));
  motcua_test_settle (300);
  save_screenshot (window_content (fixture), "50-sync");

  conflicts_page = motcua_window_get_page (fixture->window, "conflicts");
  show_page (fixture, "conflicts");
  g_assert_true (wait_for (conflicts_shown, conflicts_page, 10000));
  motcua_test_settle (200);
  save_screenshot (window_content (fixture), "51-conflicts");

  /* Keep the other desk's value: the field takes it and the conflict closes. */
  keep = find_button (conflicts_page, _("Keep This"));
  if (keep == NULL)
    keep = find_button (conflicts_page, _("Keep This (Shown Now)"));
  g_assert_nonnull (keep);
  {
    g_autoptr(MotcuaReplica) a = motcua_replica_open (fixture->path, NULL);
    g_autoptr(GPtrArray) open = motcua_replica_list_conflicts (a, FALSE, &error);
    MotcuaConflict *conflict;
    const char *kept_value;
    GtkWidget *keep_b;

    g_assert_no_error (error);
    g_assert_cmpuint (open->len, ==, 1);
    conflict = g_ptr_array_index (open, 0);
    g_assert_cmpstr (conflict->column, ==, "phone");
    /* The second "Keep" button is side b's. */
    keep_b = find_button (gtk_widget_get_parent (gtk_widget_get_parent (keep)), _("Keep This"));
    if (keep_b == NULL || keep_b == keep)
      keep_b = keep;
    kept_value = conflict->b.value;
    g_signal_emit_by_name (conflict->winner == 'b' ? keep : keep_b, "clicked");
    motcua_test_settle (300);
    resolved = motcua_replica_dup_case (a, record->id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (motcua_replica_count_conflicts (a, NULL), ==, 0);
    g_assert_true (g_strcmp0 (resolved->phone, kept_value) == 0
                   || g_strcmp0 (resolved->phone, conflict->a.value) == 0);
  }
  save_screenshot (window_content (fixture), "52-conflicts-resolved");

  /* Refusals, as a sync records them: the sync page lists them under their own title, each
   * with its reason, Retry and Discard. Retry sends the change again; Discard asks first. */
  {
    g_autoptr(MotcuaReplica) a = motcua_replica_open (fixture->path, &error);
    g_autoptr(GPtrArray) changes = motcua_replica_list_changes (a, 0, 0, &error);
    g_autoptr(GPtrArray) rejected = NULL;
    g_autofree char *sql = NULL;
    guint64 phone_seq = 0, event_seq = 0;
    AdwMessageDialog *dialog;
    GtkWidget *retry, *discard;
    MotcuaReplica *desk;
    sqlite3 *db = NULL;
    gint64 pending;

    g_assert_no_error (error);
    for (guint i = 0; i < changes->len; i++)
      {
        MotcuaChange *change = g_ptr_array_index (changes, i);

        if (g_strcmp0 (change->table, "cases") == 0 && g_strcmp0 (change->column, "phone") == 0)
          phone_seq = change->seq;
        else if (g_strcmp0 (change->table, "case_events") == 0)
          event_seq = change->seq;
      }
    g_assert_cmpuint (phone_seq, >, 0);
    g_assert_cmpuint (event_seq, >, 0);
    sql = g_strdup_printf ("INSERT INTO rejected (seq, reason, at) VALUES"
                           " (%" G_GUINT64_FORMAT ", 'case %s: số điện thoại bị khoá',"
                           "  '2025-03-03T10:00:00+07:00'),"
                           " (%" G_GUINT64_FORMAT ", 'its case is not in the jurisdiction of"
                           " LC.NN.NM', '2025-03-03T10:00:00+07:00')",
                           phone_seq, record->id, event_seq);
    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);

    show_page (fixture, "sync");
    motcua_session_changed (motcua_window_get_session (fixture->window));
    motcua_test_settle (500);
    retry = find_button (sync_page, _("_Retry"));
    discard = find_button (sync_page, _("_Discard"));
    g_assert_nonnull (retry);
    g_assert_nonnull (discard);
    g_assert_true (gtk_widget_get_visible (gtk_widget_get_ancestor (retry,
                                                                    ADW_TYPE_PREFERENCES_GROUP)));
    g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (
                       gtk_widget_get_ancestor (retry, ADW_TYPE_PREFERENCES_GROUP))), ==,
                     _("Refused by the Server"));
    scroll_to (retry);
    motcua_test_settle (200);
    save_screenshot (window_content (fixture), "53-sync-refused");

    /* The first row is the older change: retried, it is a new change, pending. */
    desk = motcua_session_get_replica (motcua_window_get_session (fixture->window));
    pending = motcua_replica_count_pending (desk, NULL);
    g_signal_emit_by_name (retry, "clicked");
    motcua_test_settle (300);
    g_assert_cmpint (motcua_replica_count_pending (desk, NULL), ==, pending + 1);
    rejected = motcua_replica_list_rejected (a, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rejected->len, ==, 1);
    g_assert_cmpuint (((MotcuaRejected *) rejected->pdata[0])->seq, ==, MAX (phone_seq,
                                                                             event_seq));
    g_clear_pointer (&rejected, g_ptr_array_unref);

    /* Discard: asked first; cancelled changes nothing. */
    discard = find_button (sync_page, _("_Discard"));
    g_assert_nonnull (discard);
    g_signal_emit_by_name (discard, "clicked");
    g_assert_true (wait_for (message_dialog_shown, NULL, 30000));
    dialog = find_message_dialog ();
    save_screenshot (GTK_WIDGET (dialog), "54-sync-discard");
    adw_message_dialog_response (dialog, "cancel");
    gtk_window_destroy (GTK_WINDOW (dialog));
    motcua_test_settle (100);
    g_assert_cmpint (motcua_replica_count_rejected (a, NULL), ==, 1);
    g_signal_emit_by_name (discard, "clicked");
    g_assert_true (wait_for (message_dialog_shown, NULL, 30000));
    dialog = find_message_dialog ();
    adw_message_dialog_response (dialog, "discard");
    gtk_window_destroy (GTK_WINDOW (dialog));
    motcua_test_settle (300);
    g_assert_cmpint (motcua_replica_count_rejected (a, NULL), ==, 0);
    g_assert_null (find_button (sync_page, _("_Retry")));

    /* The next sync sends the retried change and takes the server's word back: verified. */
    gtk_widget_activate_action (sync_page, "sync.run", NULL);
    g_assert_true (wait_for (nothing_pending, desk, 30000));
    assert_synced (fixture);
    g_assert_cmpint (motcua_replica_count_rejected (a, NULL), ==, 0);
  }

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
}

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

int
main (int    argc,
      char **argv)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (7 * 3600);
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  /* One "today" for the desk and the checks, even across midnight. */
  g_setenv ("MOTCUA_DESK_TODAY", today, FALSE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* The big replica's own run (the "desk-big" test): only that. */
  if (g_getenv ("MOTCUA_DESK_BIG_CASES") != NULL)
    {
      g_test_add ("/desk/big/pages", DeskFixture, GUINT_TO_POINTER (0), fixture_set_up,
                  test_big_pages, fixture_tear_down);
      return g_test_run ();
    }

  g_test_add_func ("/desk/timeline-language", test_timeline_language);
  g_test_add ("/desk/first-run", DeskFixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_setup_page, fixture_tear_down);
  g_test_add ("/desk/reception", DeskFixture, GUINT_TO_POINTER (300), fixture_set_up,
              test_reception, fixture_tear_down);
  g_test_add ("/desk/pages", DeskFixture, GUINT_TO_POINTER (300), fixture_set_up,
              test_pages, fixture_tear_down);

  g_test_add ("/desk/cases", DeskFixture, GUINT_TO_POINTER (300), fixture_set_up,
              test_cases, fixture_tear_down);
  g_test_add ("/desk/catalogue", DeskFixture, GUINT_TO_POINTER (20), fixture_set_up,
              test_catalogue, fixture_tear_down);
  g_test_add ("/desk/attachments", DeskFixture, GUINT_TO_POINTER (20), fixture_set_up,
              test_attachments, fixture_tear_down);
  g_test_add ("/desk/attachments-fetch", DeskFixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_attachments_fetch, fixture_tear_down);
  g_test_add ("/desk/sync-conflicts", DeskFixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_sync_conflicts, fixture_tear_down);
  g_test_add ("/desk/reports", DeskFixture, GUINT_TO_POINTER (300), fixture_set_up,
              test_reports, fixture_tear_down);

  return g_test_run ();
}
