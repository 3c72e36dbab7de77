/* test-desk-reorganisation.c: the reform of 1 July 2025, previewed and applied at the desk
 *
 * A province's replica holding the offices before the reform and a few dossiers received at two
 * communes it ends opens the Reorganisation dialog on data/reorganisation-2025-07-01.json: every
 * step is shown in the library's words, Apply asks first and moves the open dossiers, and the
 * window counts the changes it made. A reorganisation dated later, a broken file and a commune's
 * desk enrolled with a server are refused with their reason shown, writing nothing.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <motcua/motcua.h>

#include "motcua-format.h"
#include "motcua-reorganisation-dialog.h"
#include "motcua-window.h"

#include "motcua-test-utils.h"
#include "test-desk.h"

/* The communes the reform ends, and their successor. */
#define ENDED_A   "LC.NN.NM"
#define ENDED_B   "LC.NN.NH"
#define SUCCESSOR "LC.NAMHANG"

static char *
source_path (const char *name)
{
  return g_build_filename (g_getenv ("MOTCUA_SOURCE_DATADIR"), name, NULL);
}

/* The offices before the reform (data/offices.json), the catalogue and the calendar of 2025,
 * and, received in June 2025, @n_open open dossiers (at ENDED_A and ENDED_B, on the province's
 * replica) and one returned. */
static void
make_pre_reform_replica (const char  *path,
                         const char  *office,
                         MotcuaLevel  level,
                         guint        n_open,
                         GPtrArray   *receipts)
{
  g_autoptr(MotcuaReplica) replica = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *offices_file = source_path ("offices.json");
  g_autofree char *catalogue = source_path ("catalogue.json");
  g_autofree char *calendar = source_path ("calendar-2025.json");

  replica = motcua_replica_create (path, office, level, &error);
  g_assert_no_error (error);
  motcua_replica_set_officer (replica, "Lò Thị Hoa");
  g_assert_true (motcua_replica_import_file (replica, offices_file, MOTCUA_IMPORT_OFFICES,
                                            MOTCUA_FORMAT_AUTO, NULL, &error));
  g_assert_true (motcua_replica_import_file (replica, catalogue, MOTCUA_IMPORT_CATALOGUE,
                                            MOTCUA_FORMAT_AUTO, NULL, &error));
  g_assert_true (motcua_replica_import_file (replica, calendar, MOTCUA_IMPORT_CALENDAR,
                                            MOTCUA_FORMAT_AUTO, NULL, &error));

  for (guint i = 0; i <= n_open; i++)
    {
      g_autofree char *citizen_id = g_strdup_printf ("0120%08u", 30000000 + i);
      g_autofree char *received_at = g_strdup_printf ("2025-06-%02uT09:00:00+07:00", 16 + i);
      guint papers[] = { 0, 1 };
      MotcuaReception reception = {
        .procedure_code = "MAU.HT.001",
        /* A commune's desk receives at its own office only. */
        .receiving_office = i % 2 == 0 || level != MOTCUA_LEVEL_PROVINCE ? ENDED_A : ENDED_B,
        .applicant_name = names[i % 16],
        .citizen_id = citizen_id,
        .phone = "0912345678",
        .address = "Bản Nậm Manh, xã Nậm Manh, huyện Nậm Nhùn",
        .channel = MOTCUA_CHANNEL_COUNTER,
        .priority = MOTCUA_PRIORITY_NONE,
        .received_at = received_at,
        .papers = papers,
        .n_papers = 2,
      };
      g_autoptr(MotcuaCase) record = motcua_replica_receive (replica, &reception, &error);

      g_assert_no_error (error);
      if (receipts != NULL)
        g_ptr_array_add (receipts, g_strdup (record->receipt_no));
      /* The last one is decided and handed back before the reform: it stays where it was. */
      if (i == n_open)
        {
          MotcuaStepOptions options = { .at = "2025-06-27T10:00:00+07:00",
                                        .result = "Giấy khai sinh" };

          g_assert_true (motcua_replica_advance_case (replica, record->id,
                                                     MOTCUA_STATUS_IN_PROCESSING, &options,
                                                     &error));
          g_assert_true (motcua_replica_advance_case (replica, record->id,
                                                     MOTCUA_STATUS_APPROVED, &options, &error));
          options.at = "2025-06-28T10:00:00+07:00";
          options.returned_via = MOTCUA_CHANNEL_COUNTER;
          g_assert_true (motcua_replica_advance_case (replica, record->id,
                                                     MOTCUA_STATUS_RETURNED, &options, &error));
        }
    }
}

static gboolean
dialog_settled (gpointer data)
{
  return !motcua_reorganisation_dialog_get_busy (MOTCUA_REORGANISATION_DIALOG (data));
}

static GtkWidget *
dialog_child (GtkWindow  *dialog,
              const char *name)
{
  return page_child (GTK_WIDGET (dialog), MOTCUA_TYPE_REORGANISATION_DIALOG, name);
}

/* Opens the dialog on @file and waits until it has read it. */
static GtkWindow *
open_dialog (DeskFixture *fixture,
             const char  *file)
{
  GtkWindow *dialog = motcua_window_open_reorganisation (fixture->window, file);

  g_assert_nonnull (dialog);
  g_assert_true (wait_for (widget_mapped, dialog, 30000));
  g_assert_true (wait_for (dialog_settled, dialog, 60000));
  return dialog;
}

static gboolean
pointer_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Closes @dialog and waits until it is finalized: nothing holds it once closed. */
static void
close_dialog (GtkWindow *dialog)
{
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_window_close (dialog);
  g_assert_true (wait_for (pointer_gone, &weak, 30000));
}

static const char *
label_text (GtkWindow  *dialog,
            const char *name)
{
  return gtk_label_get_label (GTK_LABEL (dialog_child (dialog, name)));
}

/* The step rows, by their subtitle ("CODE — what it does"). */
static GHashTable *
shown_steps (GtkWindow *dialog)
{
  GtkWidget *list = dialog_child (dialog, "steps_list");
  GHashTable *shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    g_hash_table_insert (shown, g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (row))),
                         row);
  return shown;
}

static char *
pending_text (DeskFixture *fixture)
{
  g_autoptr(MotcuaReplica) replica = motcua_replica_open (fixture->path, NULL);
  g_autofree char *count = motcua_format_count (motcua_replica_count_pending (replica, NULL));

  return g_strdup_printf ("%s pending", count);
}

typedef struct
{
  GtkLabel   *label;
  const char *text;
} LabelIs;

static gboolean
label_is (gpointer data)
{
  LabelIs *check = data;

  return g_strcmp0 (gtk_label_get_label (check->label), check->text) == 0;
}

static gboolean
message_dialog_present (gpointer data)
{
  return find_message_dialog () != NULL;
}

static void
count_changed (gpointer  data)
{
  (*(guint *) data)++;
}

static void
test_reorganisation_apply (DeskFixture   *fixture,
                           gconstpointer  data)
{
  g_autofree char *file = source_path ("reorganisation-2025-07-01.json");
  g_autofree char *effective = motcua_format_long_date ("2025-07-01");
  g_autofree char *later = g_build_filename (fixture->dir, "later.json", NULL);
  g_autoptr(GPtrArray) receipts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MotcuaReorganisation) reorg = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GHashTable) shown = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pending_before = NULL;
  g_autofree char *pending_after = NULL;
  GtkWidget *pending_label;
  AdwMessageDialog *confirm;
  GtkWindow *dialog;
  guint n_changed = 0;

  make_pre_reform_replica (fixture->path, "LC", MOTCUA_LEVEL_PROVINCE, 4, receipts);
  g_assert_true (motcua_window_open_replica (fixture->window, fixture->path));
  show_page (fixture, "cases");
  g_signal_connect_swapped (motcua_window_get_session (fixture->window), "changed",
                            G_CALLBACK (count_changed), &n_changed);

  /* What the library plans, on a connection of the test's own. */
  {
    g_autoptr(MotcuaReplica) replica = motcua_replica_open (fixture->path, &error);

    g_assert_no_error (error);
    reorg = motcua_reorganisation_load_file (file, &error);
    g_assert_no_error (error);
    steps = motcua_replica_plan_reorganisation (replica, reorg, &error);
    g_assert_no_error (error);
  }

  /* A reorganisation dated later is shown, and Apply is off, saying from when. */
  g_assert_true (g_file_set_contents (later,
                                      "{\"format\": \"motcua-reorganisation\", \"version\": 1,"
                                      " \"effective\": \"2099-01-01\", \"title\": \"Đổi tên\","
                                      " \"legal_basis\": \"Nghị quyết mẫu\", \"renamed\":"
                                      " [{\"code\": \"LC.NN\", \"name\": \"UBND huyện Mới\"}]}",
                                      -1, NULL));
  dialog = open_dialog (fixture, later);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (dialog_child (dialog, "stack"))),
                   ==, "plan");
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "apply_button")));
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "refusal_box")));
  g_assert_nonnull (strstr (label_text (dialog, "refusal_label"), "2099-01-01"));
  close_dialog (dialog);

  /* The reform: every step, in the library's words, all to do. */
  dialog = open_dialog (fixture, file);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (dialog_child (dialog, "stack"))),
                   ==, "plan");
  g_assert_cmpstr (label_text (dialog, "title_label"), ==,
                   motcua_reorganisation_get_title (reorg));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (dialog_child (dialog,
                                                                              "effective_row"))),
                   ==, effective);
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "refusal_box")));
  shown = shown_steps (dialog);
  g_assert_cmpuint (g_hash_table_size (shown), ==, steps->len);
  for (guint i = 0; i < steps->len; i++)
    {
      const MotcuaReorgStep *step = g_ptr_array_index (steps, i);
      g_autofree char *change = motcua_reorg_step_describe (step);
      g_autofree char *subtitle = g_strdup_printf ("%s — %s", step->code, change);

      g_assert_false (step->done);
      g_assert_true (g_hash_table_contains (shown, subtitle));
      if (g_strcmp0 (step->code, ENDED_A) == 0)
        {
          g_assert_cmpuint (step->open_cases, ==, 2);
          g_assert_cmpuint (step->closed_cases, ==, 1);
          g_assert_cmpstr (step->target, ==, SUCCESSOR);
        }
    }
  g_assert_nonnull (strstr (label_text (dialog, "summary_label"),
                            "4 open dossiers move to the offices that take the work over."));
  g_assert_true (gtk_widget_get_sensitive (dialog_child (dialog, "apply_button")));
  save_screenshot (GTK_WIDGET (dialog), "reorganisation");

  pending_label = page_child (GTK_WIDGET (fixture->window), MOTCUA_TYPE_WINDOW, "pending_label");
  pending_before = pending_text (fixture);
  g_assert_true (wait_for (label_is, &(LabelIs) { GTK_LABEL (pending_label), pending_before },
                           30000));

  /* Apply asks first, naming how many open dossiers move. */
  g_signal_emit_by_name (dialog_child (dialog, "apply_button"), "clicked");
  g_assert_true (wait_for (message_dialog_present, NULL, 30000));
  confirm = find_message_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm),
                            "4 open dossiers move to the offices that take the work over."));
  adw_message_dialog_response (confirm, "apply");
  g_assert_true (motcua_reorganisation_dialog_get_busy (MOTCUA_REORGANISATION_DIALOG (dialog)));
  g_assert_true (wait_for (dialog_settled, dialog, 120000));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "refusal_box")));
  g_assert_true (g_str_has_prefix (label_text (dialog, "summary_label"),
                                   "Applied: 4 open dossiers moved"));
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "apply_button")));
  save_screenshot (GTK_WIDGET (dialog), "reorganisation-applied");

  /* The replica: the open dossiers are the successor's, the returned one stays. */
  {
    g_autoptr(MotcuaReplica) replica = motcua_replica_open (fixture->path, &error);
    g_autoptr(MotcuaOffice) ended = motcua_replica_dup_office (replica, ENDED_A, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (ended->in_force_to, ==, "2025-06-30");
    g_assert_cmpstr (ended->successor_code, ==, SUCCESSOR);
    for (guint i = 0; i < receipts->len; i++)
      {
        g_autoptr(MotcuaCase) record = motcua_replica_dup_case (replica,
                                                                g_ptr_array_index (receipts, i),
                                                                &error);

        g_assert_no_error (error);
        g_assert_cmpstr (record->handling_office, ==,
                         i + 1 < receipts->len ? SUCCESSOR : record->receiving_office);
      }
  }

  /* The window heard of it: it counts the changes the apply made, as a fresh connection does. */
  g_assert_cmpuint (n_changed, >, 0);
  pending_after = pending_text (fixture);
  g_assert_cmpstr (pending_after, !=, pending_before);
  g_assert_true (wait_for (label_is, &(LabelIs) { GTK_LABEL (pending_label), pending_after },
                           30000));
  save_screenshot (GTK_WIDGET (fixture->window), "reorganisation-window");
  close_dialog (dialog);

  /* Opened again: everything is done, and Apply says there is nothing left. */
  dialog = open_dialog (fixture, file);
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "apply_button")));
  g_assert_true (g_str_has_prefix (label_text (dialog, "summary_label"),
                                   "This replica already holds the whole reorganisation"));
  close_dialog (dialog);
  g_signal_handlers_disconnect_by_data (motcua_window_get_session (fixture->window), &n_changed);
}

static gint64
count_changes (const char *path)
{
  g_autoptr(MotcuaReplica) replica = motcua_replica_open (path, NULL);

  return motcua_test_count (replica, "changes");
}

static void
test_reorganisation_refused (DeskFixture   *fixture,
                             gconstpointer  data)
{
  g_autofree char *file = source_path ("reorganisation-2025-07-01.json");
  g_autofree char *broken = g_build_filename (fixture->dir, "broken.json", NULL);
  g_autofree char *expected = NULL;
  const char *description;
  GtkWindow *dialog;
  sqlite3 *db;
  gint64 changes;

  /* A commune's desk, enrolled with a server (where nothing listens: it never syncs here). */
  make_pre_reform_replica (fixture->path, ENDED_A, MOTCUA_LEVEL_COMMUNE, 2, NULL);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO meta (key, value) VALUES"
                                     " ('server_url', 'http://127.0.0.1:1/')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  changes = count_changes (fixture->path);
  g_assert_true (motcua_window_open_replica (fixture->window, fixture->path));

  /* It sees the steps, and the library's reason why it does not apply them. */
  dialog = open_dialog (fixture, file);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (dialog_child (dialog, "stack"))),
                   ==, "plan");
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "refusal_box")));
  expected = g_strdup_printf ("Only the province applies a reorganisation (this replica is office"
                              " %s): its desks receive it at their next sync", ENDED_A);
  g_assert_cmpstr (label_text (dialog, "refusal_label"), ==, expected);
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "apply_button")));
  save_screenshot (GTK_WIDGET (dialog), "reorganisation-refused");
  g_signal_emit_by_name (dialog_child (dialog, "apply_button"), "clicked");
  close_dialog (dialog);

  /* A broken file: the reason, naming the file, and no plan. */
  g_assert_true (g_file_set_contents (broken, "{\"format\": \"motcua-reorganisation\","
                                              " \"version\": 1}", -1, NULL));
  dialog = open_dialog (fixture, broken);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (dialog_child (dialog, "stack"))),
                   ==, "error");
  description = adw_status_page_get_description (ADW_STATUS_PAGE (dialog_child (dialog,
                                                                                "error_page")));
  g_assert_nonnull (strstr (description, "broken.json"));
  g_assert_nonnull (strstr (description, "effective"));
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "apply_button")));
  close_dialog (dialog);

  /* Nothing was written. */
  g_assert_cmpint (count_changes (fixture->path), ==, changes);
  g_assert_null (find_message_dialog ());
}

void
test_desk_reorganisation_add_tests (void)
{
  g_test_add ("/desk/reorganisation/apply", DeskFixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_reorganisation_apply, fixture_tear_down);
  g_test_add ("/desk/reorganisation/refused", DeskFixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_reorganisation_refused, fixture_tear_down);
}
