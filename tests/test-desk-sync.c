/* test-desk-sync.c: the desk syncing against a real motcua-server, and the conflicts it shows
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

/* Sync and conflicts, against a real motcua-server on 127.0.0.1 */

char *
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

char *
first_line (const char *text)
{
  const char *end = strchr (text, '\n');

  return end != NULL ? g_strndup (text, (gsize) (end - text)) : g_strdup (text);
}

/* @config: a settings file, or NULL. */
GSubprocess *
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

void
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

void
test_desk_sync_add_tests (void)
{
  g_test_add ("/desk/sync-conflicts", DeskFixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_sync_conflicts, fixture_tear_down);
}
