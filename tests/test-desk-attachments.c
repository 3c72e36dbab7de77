/* test-desk-attachments.c: the desk's attachments: scans added, shown, and fetched from the server
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

gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

/* Scrolls the case page so that @widget is at the top of the view. */
void
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


/* Nậm Manh's two desks against a motcua-server of Lai Châu (its offices and catalogue, with
 * @config unless NULL) on 127.0.0.1: @fixture's replica and the one at @path_b, each enrolled
 * with a token of its own, and the first synced. The server. */
GSubprocess *
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

void
test_desk_attachments_add_tests (void)
{
  g_test_add ("/desk/attachments", DeskFixture, GUINT_TO_POINTER (20), fixture_set_up,
              test_attachments, fixture_tear_down);
  g_test_add ("/desk/attachments-fetch", DeskFixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_attachments_fetch, fixture_tear_down);
}
