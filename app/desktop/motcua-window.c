/* motcua-window.c: the desk's main window
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-cases-page.h"
#include "motcua-catalogue-page.h"
#include "motcua-conflicts-page.h"
#include "motcua-format.h"
#include "motcua-reception-page.h"
#include "motcua-reorganisation-dialog.h"
#include "motcua-reports-page.h"
#include "motcua-setup-page.h"
#include "motcua-sync-page.h"
#include "motcua-window.h"

struct _MotcuaWindow
{
  AdwApplicationWindow  parent_instance;

  MotcuaSession        *session;
  GCancellable         *cancellable;
  gint64                n_pending;
  gint64                n_conflicts;
  guint                 sync_on_open;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  MotcuaSetupPage      *setup_page;
  AdwLeaflet           *leaflet;
  GtkWidget            *content;
  GtkListBox           *sidebar_list;
  AdwWindowTitle       *sidebar_title;
  AdwWindowTitle       *content_title;
  GtkLabel             *officer_label;
  GtkLabel             *office_label;
  GtkStack             *content_stack;
  GtkImage             *sync_icon;
  GtkLabel             *sync_label;
  GtkLabel             *pending_label;
  GtkLabel             *conflicts_badge;
  GtkInfoBar           *clock_bar;
  GtkLabel             *clock_label;
  MotcuaReceptionPage  *reception_page;
  MotcuaCasesPage      *cases_page;
  MotcuaCataloguePage  *catalogue_page;
  MotcuaReportsPage    *reports_page;
  MotcuaSyncPage       *sync_page;
  MotcuaConflictsPage  *conflicts_page;
};

G_DEFINE_FINAL_TYPE (MotcuaWindow, motcua_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GSettings *
get_settings (MotcuaWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (MOTCUA_IS_APPLICATION (app))
    return motcua_application_get_settings (MOTCUA_APPLICATION (app));
  return NULL;
}

void
motcua_window_add_toast (GtkWidget *widget,
                         AdwToast  *toast)
{
  GtkWidget *window = gtk_widget_get_ancestor (widget, MOTCUA_TYPE_WINDOW);

  if (window == NULL)
    {
      g_object_unref (g_object_ref_sink (toast));
      return;
    }
  adw_toast_overlay_add_toast (MOTCUA_WINDOW (window)->toast_overlay, toast);
}

void
motcua_window_toast (GtkWidget  *widget,
                     const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 4);
  motcua_window_add_toast (widget, toast);
}

/* The header bar: sync state, pending changes, open conflicts */

static void
update_counts_label (MotcuaWindow *self)
{
  if (self->n_pending > 0)
    {
      g_autofree char *count = motcua_format_count (self->n_pending);
      g_autofree char *text = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%s pending", "%s pending", (gulong) self->n_pending), count);

      gtk_label_set_label (self->pending_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->pending_label),
                                   _("Changes made here that the server has not acknowledged yet"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->pending_label), self->n_pending > 0);

  if (self->n_conflicts > 0)
    {
      g_autofree char *count = motcua_format_count (self->n_conflicts);

      gtk_label_set_label (self->conflicts_badge, count);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->conflicts_badge),
                                   _("Open conflicts to review"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_badge), self->n_conflicts > 0);
}

/* The clock warning: shown while the last sync that reached the server found this computer's
 * clock further off than MOTCUA_CLOCK_WARNING_MS. */
static void
update_clock_warning (MotcuaWindow *self)
{
  gint64 offset = 0;
  gulong minutes;
  g_autofree char *text = NULL;

#ifdef MOTCUA_DESK_HAVE_SYNC
  if (self->session != NULL && motcua_session_get_sync (self->session) != NULL)
    offset = motcua_replica_get_clock_offset_ms (motcua_session_get_replica (self->session));
#endif
  if (ABS (offset) <= MOTCUA_CLOCK_WARNING_MS)
    {
      gtk_info_bar_set_revealed (self->clock_bar, FALSE);
      return;
    }

  minutes = (gulong) ((ABS (offset) + 30 * 1000) / (60 * 1000));
  if (offset < 0)
    text = g_strdup_printf (ngettext ("This computer's clock is %lu minute ahead of the"
                                      " server's. Times are corrected by the server's clock;"
                                      " set this computer's clock right.",
                                      "This computer's clock is %lu minutes ahead of the"
                                      " server's. Times are corrected by the server's clock;"
                                      " set this computer's clock right.", minutes), minutes);
  else
    text = g_strdup_printf (ngettext ("This computer's clock is %lu minute behind the"
                                      " server's. Times are corrected by the server's clock;"
                                      " set this computer's clock right.",
                                      "This computer's clock is %lu minutes behind the"
                                      " server's. Times are corrected by the server's clock;"
                                      " set this computer's clock right.", minutes), minutes);
  gtk_label_set_label (self->clock_label, text);
  gtk_info_bar_set_revealed (self->clock_bar, TRUE);
}

static void
update_sync_state (MotcuaWindow *self)
{
  const char *icon = "network-offline-symbolic";
  g_autofree char *label = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->sync_label), "error");

#ifdef MOTCUA_DESK_HAVE_SYNC
  MotcuaSync *sync = self->session != NULL ? motcua_session_get_sync (self->session) : NULL;

  if (sync != NULL)
    {
      switch (motcua_sync_get_state (sync))
        {
        case MOTCUA_SYNC_STATUS_SYNCING:
          icon = "emblem-synchronizing-symbolic";
          label = g_strdup (_("Syncing…"));
          break;
        case MOTCUA_SYNC_STATUS_UP_TO_DATE:
          {
            /* In Vietnam's time, as every other time the desk shows. */
            g_autoptr(GTimeZone) zone = g_time_zone_new_offset (7 * 3600);
            g_autoptr(GDateTime) utc =
              g_date_time_new_from_unix_utc (motcua_sync_get_last_sync (sync));
            g_autoptr(GDateTime) when = g_date_time_to_timezone (utc, zone);
            g_autofree char *time = g_date_time_format (when, "%H:%M");

            icon = "emblem-ok-symbolic";
            /* Translators: %s is a time, HH:MM. */
            label = g_strdup_printf (_("Up to date at %s"), time);
          }
          break;
        case MOTCUA_SYNC_STATUS_OFFLINE:
          label = g_strdup (_("Offline"));
          break;
        case MOTCUA_SYNC_STATUS_ERROR:
          icon = "dialog-warning-symbolic";
          label = g_strdup (_("Sync failed"));
          gtk_widget_add_css_class (GTK_WIDGET (self->sync_label), "error");
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label),
                                       motcua_sync_get_error_message (sync));
          break;
        case MOTCUA_SYNC_STATUS_IDLE:
          icon = "emblem-synchronizing-symbolic";
          label = g_strdup (_("Not synced yet"));
          break;
        case MOTCUA_SYNC_STATUS_NOT_ENROLLED:
        default:
          break;
        }
    }
#endif

  if (label == NULL)
    {
      label = g_strdup (_("Offline, local only"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label),
                                   _("This replica is not enrolled with a server: everything "
                                     "stays on this computer"));
    }
  gtk_image_set_from_icon_name (self->sync_icon, icon);
  gtk_label_set_label (self->sync_label, label);
  update_clock_warning (self);
}

#ifdef MOTCUA_DESK_HAVE_SYNC
static void
sync_progress_cb (MotcuaWindow             *self,
                  const MotcuaSyncProgress *progress)
{
  g_autofree char *sent = motcua_format_count ((gint64) progress->changes_sent);
  g_autofree char *received = motcua_format_count ((gint64) progress->changes_received);
  /* Translators: syncing, with changes sent ↑ and received ↓ so far. */
  g_autofree char *label = g_strdup_printf (_("Syncing… ↑%s ↓%s"), sent, received);

  gtk_label_set_label (self->sync_label, label);
}

/* An enrolled desk syncs as it opens (once its first frame is up), then every N minutes. */
static gboolean
sync_on_open_cb (gpointer user_data)
{
  MotcuaWindow *self = user_data;
  MotcuaSync *sync = self->session != NULL ? motcua_session_get_sync (self->session) : NULL;

  self->sync_on_open = 0;
  if (sync != NULL && motcua_sync_get_state (sync) == MOTCUA_SYNC_STATUS_IDLE)
    gtk_widget_activate_action (GTK_WIDGET (self->sync_page), "sync.run", NULL);
  return G_SOURCE_REMOVE;
}

static void
auto_sync_changed_cb (GSettings    *settings,
                      const char   *key,
                      MotcuaWindow *self)
{
  MotcuaSync *sync = self->session != NULL ? motcua_session_get_sync (self->session) : NULL;

  if (sync != NULL)
    motcua_sync_set_auto (sync, 60 * g_settings_get_uint (settings, "auto-sync-minutes"));
}
#endif

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(MotcuaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  MotcuaSessionCounts *counts = NULL;

  if (!motcua_session_run_finish (MOTCUA_SESSION (source), result, (gpointer *) &counts, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not count the pending changes: %s", error->message);
      return;
    }
  /* O(1): the last sequence number less the last acknowledged. */
  self->n_pending = self->session != NULL
                    ? MAX (motcua_replica_count_pending (motcua_session_get_replica (self->session),
                                                         NULL), 0)
                    : 0;
  self->n_conflicts = counts->conflicts;
  update_counts_label (self);
}

static void
refresh_counts (MotcuaWindow *self)
{
  if (self->session == NULL)
    return;
  motcua_session_run_async (self->session, MOTCUA_SESSION_QUICK, motcua_session_count_in_thread,
                            g_new0 (MotcuaSessionCounts, 1), motcua_session_counts_free,
                            self->cancellable, counted_cb, g_object_ref (self));
}

static void
session_changed_cb (MotcuaWindow  *self,
                    MotcuaSession *session)
{
  refresh_counts (self);
  update_sync_state (self);
}

/* Pages */

static void
update_officer (MotcuaWindow *self)
{
  GSettings *settings = get_settings (self);
  g_autofree char *officer = settings != NULL ? g_settings_get_string (settings, "officer-name")
                                              : NULL;

  if (officer == NULL || *officer == '\0')
    {
      g_free (officer);
      officer = g_strdup (g_get_real_name ());
      if (g_strcmp0 (officer, "Unknown") == 0)
        {
          g_free (officer);
          officer = g_strdup (g_get_user_name ());
        }
    }
  gtk_label_set_label (self->officer_label, officer);
  if (self->session != NULL)
    motcua_session_set_officer (self->session, officer);
}

static void
officer_changed_cb (GSettings    *settings,
                    const char   *key,
                    MotcuaWindow *self)
{
  update_officer (self);
}

static GtkWidget *
make_sidebar_row (GtkStackPage *page)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (gtk_stack_page_get_title (page));

  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (gtk_stack_page_get_icon_name (page)));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "page-name",
                          g_strdup (gtk_stack_page_get_name (page)), g_free);
  return row;
}

static void
sidebar_row_activated_cb (MotcuaWindow  *self,
                          GtkListBoxRow *row)
{
  const char *name = g_object_get_data (G_OBJECT (row), "page-name");

  motcua_window_show_page (self, name);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
back_clicked_cb (MotcuaWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
content_page_changed_cb (MotcuaWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->content_stack);
  GtkStackPage *page;
  const char *name;

  if (child == NULL)
    return;
  page = gtk_stack_get_page (self->content_stack, child);
  name = gtk_stack_page_get_name (page);
  adw_window_title_set_title (self->content_title, gtk_stack_page_get_title (page));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "page-name"), name) == 0)
        {
          gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (row));
          break;
        }
    }
}

void
motcua_window_show_page (MotcuaWindow *self,
                         const char   *name)
{
  g_return_if_fail (MOTCUA_IS_WINDOW (self));

  if (gtk_stack_get_child_by_name (self->content_stack, name) == NULL)
    return;
  gtk_stack_set_visible_child_name (self->content_stack, name);
}

const char *
motcua_window_get_clock_warning (MotcuaWindow *self)
{
  g_return_val_if_fail (MOTCUA_IS_WINDOW (self), NULL);

  return gtk_info_bar_get_revealed (self->clock_bar)
         ? gtk_label_get_label (self->clock_label) : NULL;
}

GtkWidget *
motcua_window_get_page (MotcuaWindow *self,
                        const char   *name)
{
  g_return_val_if_fail (MOTCUA_IS_WINDOW (self), NULL);

  return gtk_stack_get_child_by_name (self->content_stack, name);
}

const char *
motcua_window_get_visible_page (MotcuaWindow *self)
{
  g_return_val_if_fail (MOTCUA_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->content_stack);
}

MotcuaSession *
motcua_window_get_session (MotcuaWindow *self)
{
  g_return_val_if_fail (MOTCUA_IS_WINDOW (self), NULL);

  return self->session;
}

static void
set_session (MotcuaWindow  *self,
             MotcuaSession *session)
{
  if (!motcua_session_follow (&self->session, session, self, G_CALLBACK (session_changed_cb)))
    return;

  motcua_reception_page_set_session (self->reception_page, session);
  motcua_cases_page_set_session (self->cases_page, session);
  motcua_catalogue_page_set_session (self->catalogue_page, session);
  motcua_reports_page_set_session (self->reports_page, session);
  motcua_sync_page_set_session (self->sync_page, session);
  motcua_conflicts_page_set_session (self->conflicts_page, session);

  if (session != NULL)
    {
      g_autofree char *title = NULL;

      gtk_label_set_label (self->office_label, motcua_session_get_office_name (session));
      adw_window_title_set_subtitle (self->content_title,
                                     motcua_session_get_office_name (session));
      title = g_strdup_printf ("%s — %s", motcua_session_get_office_name (session), "Một Cửa");
      gtk_window_set_title (GTK_WINDOW (self), title);
      update_officer (self);
#ifdef MOTCUA_DESK_HAVE_SYNC
      if (motcua_session_get_sync (session) != NULL)
        {
          MotcuaSync *sync = motcua_session_get_sync (session);
          GSettings *settings = get_settings (self);

          g_signal_connect_object (sync, "notify::state", G_CALLBACK (update_sync_state), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (sync, "progress", G_CALLBACK (sync_progress_cb), self,
                                   G_CONNECT_SWAPPED);
          if (settings != NULL)
            motcua_sync_set_auto (sync, 60 * g_settings_get_uint (settings, "auto-sync-minutes"));
          g_clear_handle_id (&self->sync_on_open, g_source_remove);
          if (settings != NULL && g_settings_get_uint (settings, "auto-sync-minutes") > 0)
            self->sync_on_open = g_timeout_add_seconds (1, sync_on_open_cb, self);
        }
#endif
      gtk_stack_set_visible_child_name (self->main_stack, "desk");
      refresh_counts (self);
    }
  else
    gtk_stack_set_visible_child_name (self->main_stack, "setup");

  update_sync_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

gboolean
motcua_window_open_replica (MotcuaWindow *self,
                            const char   *path)
{
  g_autoptr(MotcuaSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GSettings *settings;

  g_return_val_if_fail (MOTCUA_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  session = motcua_session_new (path, &error);
  if (session == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the replica %s: %s"),
                                                  path, error->message);

      motcua_setup_page_set_error (self->setup_page, message);
      set_session (self, NULL);
      return FALSE;
    }

  settings = get_settings (self);
  if (settings != NULL)
    g_settings_set_string (settings, "last-replica", motcua_session_get_path (session));
  set_session (self, session);
  motcua_window_show_page (self, "reception");
  motcua_reception_page_focus_search (self->reception_page);
  return TRUE;
}

static void
replica_ready_cb (MotcuaWindow    *self,
                  const char      *path,
                  MotcuaSetupPage *page)
{
  motcua_window_open_replica (self, path);
}

/* Actions */

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MotcuaWindow *self = MOTCUA_WINDOW (widget);

  if (self->session == NULL)
    return;
  motcua_window_show_page (self, g_variant_get_string (parameter, NULL));
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
new_reception_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MotcuaWindow *self = MOTCUA_WINDOW (widget);

  if (self->session == NULL)
    return;
  motcua_window_show_page (self, "reception");
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  motcua_reception_page_reset (self->reception_page);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MotcuaWindow *self = MOTCUA_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->content_stack);

  if (self->session == NULL)
    return;
  if (g_strcmp0 (page, "catalogue") == 0)
    motcua_catalogue_page_focus_search (self->catalogue_page);
  else if (g_strcmp0 (page, "reception") == 0)
    motcua_reception_page_focus_search (self->reception_page);
  else
    {
      motcua_window_show_page (self, "cases");
      motcua_cases_page_focus_search (self->cases_page);
    }
}

/* What a file chosen in the dialog of choose_file() opens. */
typedef void (*OpenPath) (MotcuaWindow *self,
                          const char   *path);

static void
chosen_cb (GtkNativeDialog *dialog,
           int              response,
           MotcuaWindow    *self)
{
  const OpenPath *open = g_object_get_data (G_OBJECT (dialog), "motcua-open-path");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        (*open) (self, path);
    }
  g_object_unref (dialog);
}

/* Asks for a file of @kind (its name pattern @pattern) and gives it to @open. */
static void
choose_file (MotcuaWindow *self,
             const char   *title,
             const char   *kind,
             const char   *pattern,
             OpenPath      open)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, kind);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "motcua-open-path",
                          g_memdup2 (&open, sizeof open), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_replica (MotcuaWindow *self,
              const char   *path)
{
  motcua_window_open_replica (self, path);   /* a replica it cannot open says why itself */
}

static void
open_replica_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  choose_file (MOTCUA_WINDOW (widget), _("Open a Replica"), _("Một Cửa replicas"), "*.db",
               open_replica);
}

GtkWindow *
motcua_window_open_reorganisation (MotcuaWindow *self,
                                   const char   *path)
{
  GtkWindow *dialog;

  g_return_val_if_fail (MOTCUA_IS_WINDOW (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (self->session == NULL)
    return NULL;
  dialog = GTK_WINDOW (motcua_reorganisation_dialog_new (self, path));
  gtk_window_present (dialog);
  return dialog;
}

static void
open_reorganisation (MotcuaWindow *self,
                     const char   *path)
{
  motcua_window_open_reorganisation (self, path);
}

/* The province's officer picks the file it published (data/README.md, motcua-reorganisation). */
static void
reorganisation_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MotcuaWindow *self = MOTCUA_WINDOW (widget);

  if (self->session != NULL)
    choose_file (self, _("Open a Reorganisation"), _("Reorganisations (JSON)"), "*.json",
                 open_reorganisation);
}

/* GObject */

/* Once the window belongs to the application, which holds the settings. */
static void
bind_settings (MotcuaWindow *self)
{
  GSettings *settings = get_settings (self);

  if (settings != NULL)
    {
      g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-height", self, "default-height",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
      g_signal_connect_object (settings, "changed::officer-name",
                               G_CALLBACK (officer_changed_cb), self, 0);
#ifdef MOTCUA_DESK_HAVE_SYNC
      g_signal_connect_object (settings, "changed::auto-sync-minutes",
                               G_CALLBACK (auto_sync_changed_cb), self, 0);
#endif
    }
  update_officer (self);
}

static void
motcua_window_dispose (GObject *object)
{
  MotcuaWindow *self = MOTCUA_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->sync_on_open, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), MOTCUA_TYPE_WINDOW);
  motcua_session_follow (&self->session, NULL, self, G_CALLBACK (session_changed_cb));
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (motcua_window_parent_class)->dispose (object);
}

static void
motcua_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MotcuaWindow *self = MOTCUA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
motcua_window_class_init (MotcuaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *pages[] = { "reception", "cases", "catalogue", "reports", "sync",
                                 "conflicts" };

  object_class->dispose = motcua_window_dispose;
  object_class->get_property = motcua_window_get_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         MOTCUA_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MOTCUA_TYPE_SETUP_PAGE);
  g_type_ensure (MOTCUA_TYPE_RECEPTION_PAGE);
  g_type_ensure (MOTCUA_TYPE_CASES_PAGE);
  g_type_ensure (MOTCUA_TYPE_CATALOGUE_PAGE);
  g_type_ensure (MOTCUA_TYPE_REPORTS_PAGE);
  g_type_ensure (MOTCUA_TYPE_SYNC_PAGE);
  g_type_ensure (MOTCUA_TYPE_CONFLICTS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/vn/gov/motcua/Desk/motcua-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, setup_page);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, content);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, officer_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, office_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, clock_bar);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, clock_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, sync_icon);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, pending_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, conflicts_badge);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, reception_page);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, cases_page);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, catalogue_page);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, reports_page);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, sync_page);
  gtk_widget_class_bind_template_child (widget_class, MotcuaWindow, conflicts_page);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, content_page_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.new-reception", NULL, new_reception_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.open-replica", NULL, open_replica_action);
  gtk_widget_class_install_action (widget_class, "win.reorganisation", NULL,
                                   reorganisation_action);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-page", "s", pages[i]);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-reception", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open-replica", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
motcua_window_init (MotcuaWindow *self)
{
  GListModel *pages;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  pages = G_LIST_MODEL (gtk_stack_get_pages (self->content_stack));
  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      GtkStackPage *page = g_list_model_get_item (pages, i);

      gtk_list_box_append (self->sidebar_list, make_sidebar_row (page));
      g_object_unref (page);
    }
  g_object_unref (pages);

  g_signal_connect_object (self->setup_page, "replica-ready", G_CALLBACK (replica_ready_cb), self,
                           G_CONNECT_SWAPPED);
  content_page_changed_cb (self);
  update_sync_state (self);
  update_counts_label (self);
}

MotcuaWindow *
motcua_window_new (MotcuaApplication *application)
{
  MotcuaWindow *self = g_object_new (MOTCUA_TYPE_WINDOW, "application", application, NULL);

  bind_settings (self);
  return self;
}
