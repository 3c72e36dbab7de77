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
#include "test-desk.h"

const char *names[] = {
  "Vừ A Lồng", "Lò Thị Hoa", "Lò Văn Pằng", "Vàng Thị Mai", "Nguyễn Văn Minh", "Tòng Thị Lả",
  "Sùng A Páo", "Lường Văn Hặc", "Đỗ Thị Thu Hà", "Hoàng Thị Minh Linh", "Quàng Văn Đông",
  "Giàng A Chứ", "Phạm Đức Thắng", "Lù Thị Dung", "Tẩn Láo Lở", "Chẻo Thị Mẩy",
};

static const char *procedures[] = {
  "MAU.HT.001", "MAU.HT.002", "MAU.HT.003", "MAU.HT.004", "MAU.HT.007", "MAU.HT.008",
};

/* The desk's own commune since 1 July 2025: the sample's civil-status dossiers are received and
 * decided there. */
const char *offices[] = { "LC.NAMHANG" };

/* Main loop helpers */

gboolean
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

gboolean
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
void
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
GtkWidget *
show_page (DeskFixture *fixture,
           const char  *name)
{
  GtkWidget *page = motcua_window_get_page (fixture->window, name);

  motcua_window_show_page (fixture->window, name);
  g_assert_true (wait_for (widget_mapped, page, 30000));
  return page;
}

GtkWidget *
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
  g_autofree char *reform_path = g_build_filename (data_dir, "reorganisation-2025-07-01.json",
                                                   NULL);
  g_autoptr(MotcuaReorganisation) reform = NULL;
  g_autofree char *catalogue = g_build_filename (data_dir, "catalogue.json", NULL);
  GRand *rand = g_rand_new_with_seed (42);

  replica = motcua_replica_create (fixture->path, "LC.NAMHANG", MOTCUA_LEVEL_COMMUNE, &error);
  g_assert_no_error (error);
  motcua_replica_set_officer (replica, "Lò Thị Hoa");
  g_assert_true (motcua_replica_import_file (replica, offices_path, MOTCUA_IMPORT_OFFICES,
                                            MOTCUA_FORMAT_AUTO, NULL, &error));
  reform = motcua_reorganisation_load_file (reform_path, &error);
  g_assert_no_error (error);
  g_assert_true (motcua_replica_apply_reorganisation (replica, reform, NULL, &error));
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

void
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

void
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

gint64
count_cases (DeskFixture *fixture)
{
  g_autoptr(MotcuaReplica) replica = motcua_replica_open (fixture->path, NULL);
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;

  return motcua_replica_count_cases (replica, &filter, NULL);
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
      test_desk_big_add_big_tests ();
      return g_test_run ();
    }

  test_desk_pages_add_tests ();
  test_desk_attachments_add_tests ();
  test_desk_sync_add_tests ();
  test_desk_reorganisation_add_tests ();
  test_desk_big_add_tests ();

  return g_test_run ();
}
