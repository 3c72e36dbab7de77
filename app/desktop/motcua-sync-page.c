/* motcua-sync-page.c: the replica and its provincial server: state, progress, what is pending,
 * what the server refused, and "Sync now"
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-format.h"
#include "motcua-sync-page.h"
#include "motcua-window.h"

struct _MotcuaSyncPage
{
  AdwBin               parent_instance;

  MotcuaSession       *session;
  GCancellable        *cancellable;
  GPtrArray           *rejected_rows;

  GtkStack            *stack;
  AdwEntryRow         *server_entry;
  AdwEntryRow         *token_entry;
  AdwActionRow        *server_row;
  AdwActionRow        *state_row;
  GtkImage            *state_icon;
  AdwActionRow        *last_row;
  GtkWidget           *progress_group;
  GtkProgressBar      *progress_bar;
  AdwActionRow        *sent_row;
  AdwActionRow        *received_row;
  AdwActionRow        *check_row;
  AdwActionRow        *pending_row;
  AdwActionRow        *conflicts_row;
  AdwPreferencesGroup *rejected_group;
};

G_DEFINE_FINAL_TYPE (MotcuaSyncPage, motcua_sync_page, ADW_TYPE_BIN)

static void
set_count (AdwActionRow *row,
           gint64        n)
{
  g_autofree char *text = motcua_format_count (n);

  adw_action_row_set_subtitle (row, text);
}

#ifdef MOTCUA_DESK_HAVE_SYNC
/* A button at the end of the row of a refused change, acting on its number. */
static void
add_row_button (GtkWidget  *row,
                const char *label,
                const char *tooltip,
                const char *action,
                guint64     seq,
                gboolean    destructive)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  if (destructive)
    gtk_widget_add_css_class (button, "destructive-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          g_variant_new_uint64 (seq));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
}
#endif

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  MotcuaSyncPage *self = user_data;
  g_autoptr(GError) error = NULL;
  MotcuaSessionCounts *counts = NULL;

  if (!motcua_session_run_finish (MOTCUA_SESSION (source), result, (gpointer *) &counts, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        motcua_window_toast (GTK_WIDGET (self), error->message);
      return;
    }
  counts->pending = motcua_replica_count_pending (motcua_session_get_replica (self->session),
                                                   NULL);
  set_count (self->pending_row, MAX (counts->pending, 0));
  set_count (self->conflicts_row, counts->conflicts);

  for (guint i = 0; i < self->rejected_rows->len; i++)
    adw_preferences_group_remove (self->rejected_group,
                                  g_ptr_array_index (self->rejected_rows, i));
  g_ptr_array_set_size (self->rejected_rows, 0);
#ifdef MOTCUA_DESK_HAVE_SYNC
  for (guint i = 0; counts->rejected != NULL && i < counts->rejected->len; i++)
    {
      MotcuaRejected *rejected = g_ptr_array_index (counts->rejected, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *at = motcua_format_datetime (rejected->at);
      const char *field = rejected->column != NULL ? rejected->column
                          : g_strcmp0 (rejected->table, "case_events") == 0 ? _("timeline entry")
                          : g_strcmp0 (rejected->table, "attachments") == 0 ? _("scan")
                          : _("whole record");
      g_autofree char *title = g_strdup_printf ("%s · %s", rejected->receipt_no != NULL
                                                           ? rejected->receipt_no
                                                           : rejected->table, field);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", rejected->reason, at);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      /* One that waits for its case to reach a restored server goes again by itself. */
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (rejected->waiting
                                                               ? "emblem-synchronizing-symbolic"
                                                               : "dialog-warning-symbolic"));
      /* A change about a case that is not this desk's any more can only be given up. */
      if (!rejected->gone && !rejected->waiting)
        add_row_button (row, _("_Retry"), _("Send this change again, as the record is now"),
                        "sync.retry-rejected", rejected->seq, FALSE);
      add_row_button (row, _("_Discard"), _("Give this change up and take the server's value"),
                      "sync.discard-rejected", rejected->seq, TRUE);
      adw_preferences_group_add (self->rejected_group, row);
      g_ptr_array_add (self->rejected_rows, row);
    }
#endif
  gtk_widget_set_visible (GTK_WIDGET (self->rejected_group), self->rejected_rows->len > 0);
}

static void
refresh_counts (MotcuaSyncPage *self)
{
  if (self->session == NULL)
    return;
  MotcuaSessionCounts *counts = g_new0 (MotcuaSessionCounts, 1);

  counts->with_rejected = TRUE;
  motcua_session_run_async (self->session, MOTCUA_SESSION_QUICK, motcua_session_count_in_thread,
                            counts, motcua_session_counts_free, self->cancellable, counted_cb,
                            self);
}

#ifdef MOTCUA_DESK_HAVE_SYNC

static void
update_state (MotcuaSyncPage *self)
{
  MotcuaSync *sync = self->session != NULL ? motcua_session_get_sync (self->session) : NULL;
  MotcuaSyncStatus status;
  const char *icon = "network-offline-symbolic";
  const char *text = NULL;
  gint64 last;

  if (sync == NULL)
    return;
  status = motcua_sync_get_state (sync);
  switch (status)
    {
    case MOTCUA_SYNC_STATUS_SYNCING:
      icon = "emblem-synchronizing-symbolic";
      text = _("Syncing");
      break;
    case MOTCUA_SYNC_STATUS_UP_TO_DATE:
      icon = "emblem-ok-symbolic";
      text = _("Up to date");
      break;
    case MOTCUA_SYNC_STATUS_OFFLINE:
      text = _("Offline: the server could not be reached");
      break;
    case MOTCUA_SYNC_STATUS_ERROR:
      icon = "dialog-warning-symbolic";
      text = motcua_sync_get_error_message (sync);
      break;
    case MOTCUA_SYNC_STATUS_IDLE:
      icon = "emblem-synchronizing-symbolic";
      text = _("Not synced since the desk started");
      break;
    case MOTCUA_SYNC_STATUS_NOT_ENROLLED:
    default:
      text = _("Not enrolled");
      break;
    }
  gtk_image_set_from_icon_name (self->state_icon, icon);
  adw_action_row_set_subtitle (self->state_row, text != NULL ? text : "");
  gtk_widget_set_visible (self->progress_group, status == MOTCUA_SYNC_STATUS_SYNCING
                                                || gtk_widget_get_visible (self->progress_group));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.run",
                                 status != MOTCUA_SYNC_STATUS_SYNCING);

  last = motcua_sync_get_last_sync (sync);
  if (last > 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (last);
      g_autofree char *iso = g_date_time_format_iso8601 (when);
      g_autofree char *text_last = motcua_format_datetime (iso);

      adw_action_row_set_subtitle (self->last_row, text_last);
    }
  else
    adw_action_row_set_subtitle (self->last_row, _("Never"));
}

static void
show_progress (MotcuaSyncPage           *self,
               const MotcuaSyncProgress *progress)
{
  g_autofree char *sent = motcua_format_count ((gint64) progress->changes_sent);
  g_autofree char *received = motcua_format_count ((gint64) progress->changes_received);
  g_autofree char *sent_bytes = g_format_size (progress->bytes_sent);
  g_autofree char *received_bytes = g_format_size (progress->bytes_received);
  g_autofree char *sent_text = NULL;
  g_autofree char *received_text = NULL;

  /* Translators: "120 changes, 14.2 kB in 2 batches". */
  sent_text = g_strdup_printf (_("%s changes, %s in %u batches"), sent, sent_bytes,
                               progress->batches_sent);
  received_text = g_strdup_printf (_("%s changes, %s in %u batches%s"), received,
                                   received_bytes, progress->batches_received,
                                   progress->more ? _(", more to come") : "");
  adw_action_row_set_subtitle (self->sent_row, sent_text);
  adw_action_row_set_subtitle (self->received_row, received_text);
  gtk_widget_set_visible (self->progress_group, TRUE);
}

static void
progress_cb (MotcuaSyncPage           *self,
             const MotcuaSyncProgress *progress)
{
  show_progress (self, progress);
  gtk_progress_bar_pulse (self->progress_bar);
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  MotcuaSyncPage *self = user_data;
  g_autoptr(GError) error = NULL;
  MotcuaSyncProgress summary = { 0 };

  if (!motcua_sync_run_finish (MOTCUA_SYNC (source), result, &summary, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        motcua_window_toast (GTK_WIDGET (self), error->message);
      update_state (self);
      refresh_counts (self);
      return;
    }

  show_progress (self, &summary);
  gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
  if (summary.rehomed)
    motcua_window_toast (GTK_WIDGET (self),
                         _("A reorganisation ended this desk's office: the desk now serves the"
                           " office that took its work over, and holds its dossiers"));
  if (summary.repulled)
    adw_action_row_set_subtitle (self->check_row, _("The replica differed from the server: "
                                                    "its scope was pulled again"));
  else if (summary.verify_deferred)
    adw_action_row_set_subtitle (self->check_row, _("Not checked yet: dossiers were being"
                                                    " entered during the sync; the next sync"
                                                    " checks"));
  else
    adw_action_row_set_subtitle (self->check_row, summary.verified
                                                  ? _("Verified: this replica matches the server")
                                                  : _("Not checked"));
  update_state (self);
  refresh_counts (self);
  motcua_session_changed (self->session);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  MotcuaSyncPage *self = MOTCUA_SYNC_PAGE (widget);
  MotcuaSync *sync = self->session != NULL ? motcua_session_get_sync (self->session) : NULL;

  if (sync == NULL)
    return;
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  adw_action_row_set_subtitle (self->check_row, "—");
  gtk_widget_set_visible (self->progress_group, TRUE);
  motcua_sync_run_async (sync, self->cancellable, run_cb, self);
}

static void
enrolled_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  MotcuaSyncPage *self = MOTCUA_SYNC_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = motcua_session_enroll_finish (result, &error);
  GtkWidget *window;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.enroll", TRUE);
  if (path == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not enroll: %s"), error->message);

      motcua_window_toast (GTK_WIDGET (self), message);
      return;
    }
  /* Open the replica again: the session now has its sync engine. */
  window = gtk_widget_get_ancestor (GTK_WIDGET (self), MOTCUA_TYPE_WINDOW);
  if (window != NULL && motcua_window_open_replica (MOTCUA_WINDOW (window), path))
    motcua_window_show_page (MOTCUA_WINDOW (window), "sync");
}
#endif

static void
enroll_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
#ifdef MOTCUA_DESK_HAVE_SYNC
  MotcuaSyncPage *self = MOTCUA_SYNC_PAGE (widget);

  if (self->session == NULL)
    return;
  gtk_widget_action_set_enabled (widget, "sync.enroll", FALSE);
  motcua_session_enroll_async (self, motcua_session_get_path (self->session),
                               gtk_editable_get_text (GTK_EDITABLE (self->server_entry)),
                               gtk_editable_get_text (GTK_EDITABLE (self->token_entry)),
                               self->cancellable, enrolled_cb, NULL);
#endif
}

static void
session_changed_cb (MotcuaSyncPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh_counts (self);
}

static void
motcua_sync_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (motcua_sync_page_parent_class)->map (widget);
  refresh_counts (MOTCUA_SYNC_PAGE (widget));
}

void
motcua_sync_page_set_session (MotcuaSyncPage *self,
                              MotcuaSession  *session)
{
  gboolean enrolled = FALSE;

  g_return_if_fail (MOTCUA_IS_SYNC_PAGE (self));

  if (!motcua_session_follow (&self->session, session, self, G_CALLBACK (session_changed_cb)))
    return;

#ifdef MOTCUA_DESK_HAVE_SYNC
  if (session != NULL && motcua_session_get_sync (session) != NULL)
    {
      MotcuaSync *sync = motcua_session_get_sync (session);
      g_autofree char *server = motcua_replica_dup_server_url (motcua_session_get_replica (session));

      enrolled = TRUE;
      adw_action_row_set_subtitle (self->server_row, server);
      g_signal_connect_object (sync, "notify::state", G_CALLBACK (update_state), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (sync, "notify::last-sync", G_CALLBACK (update_state), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (sync, "progress", G_CALLBACK (progress_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_widget_set_visible (self->progress_group, FALSE);
      update_state (self);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.enroll", TRUE);
#else
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.enroll", FALSE);
#endif
  gtk_stack_set_visible_child_name (self->stack, enrolled ? "enrolled" : "alone");
}

#ifdef MOTCUA_DESK_HAVE_SYNC
/* Retrying and discarding write this desk's replica (a retry numbers a new change): on the
 * main thread's connection, like every write of the desk, never in the session's worker. */
static void
retry_rejected_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MotcuaSyncPage *self = MOTCUA_SYNC_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->session == NULL)
    return;
  if (!motcua_replica_retry_rejected (motcua_session_get_replica (self->session),
                                      g_variant_get_uint64 (parameter), &error))
    {
      motcua_window_toast (widget, error->message);
      return;
    }
  motcua_window_toast (widget, _("The change will be sent again at the next sync"));
  motcua_session_changed (self->session);
}

typedef struct
{
  MotcuaSyncPage *self;
  guint64         seq;
} Discarding;

static void
discarding_free (Discarding *discarding)
{
  g_object_unref (discarding->self);
  g_free (discarding);
}

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     Discarding       *discarding)
{
  MotcuaSyncPage *self = discarding->self;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "discard") != 0 || self->session == NULL)
    return;
  if (!motcua_replica_discard_rejected (motcua_session_get_replica (self->session),
                                        discarding->seq, &error))
    {
      motcua_window_toast (GTK_WIDGET (self), error->message);
      return;
    }
  motcua_window_toast (GTK_WIDGET (self),
                       _("Change discarded: the next sync takes the server's values back"));
  motcua_session_changed (self->session);
}

static void
discard_rejected_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  Discarding *discarding;
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Discard the Refused Change?"),
                                   _("This desk gives the change up for good and takes the"
                                     " server's values back at the next sync. To keep it,"
                                     " correct the record and retry instead."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  discarding = g_new0 (Discarding, 1);
  discarding->self = g_object_ref (MOTCUA_SYNC_PAGE (widget));
  discarding->seq = g_variant_get_uint64 (parameter);
  g_signal_connect_data (dialog, "response", G_CALLBACK (discard_response_cb), discarding,
                         (GClosureNotify) (void (*) (void)) discarding_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
#endif

static void
motcua_sync_page_dispose (GObject *object)
{
  MotcuaSyncPage *self = MOTCUA_SYNC_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  /* AdwBin unparents its child itself. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MOTCUA_TYPE_SYNC_PAGE);
  motcua_session_follow (&self->session, NULL, self, G_CALLBACK (session_changed_cb));
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rejected_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (motcua_sync_page_parent_class)->dispose (object);
}

static void
motcua_sync_page_class_init (MotcuaSyncPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = motcua_sync_page_dispose;
  widget_class->map = motcua_sync_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/motcua/Desk/motcua-sync-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, server_entry);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, token_entry);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, state_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, state_icon);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, last_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, progress_group);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, sent_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, received_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, check_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, pending_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, conflicts_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSyncPage, rejected_group);

#ifdef MOTCUA_DESK_HAVE_SYNC
  gtk_widget_class_install_action (widget_class, "sync.run", NULL, run_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "sync.run",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "sync.retry-rejected", "t",
                                   retry_rejected_action);
  gtk_widget_class_install_action (widget_class, "sync.discard-rejected", "t",
                                   discard_rejected_action);
#endif
  gtk_widget_class_install_action (widget_class, "sync.enroll", NULL, enroll_action);
}

static void
motcua_sync_page_init (MotcuaSyncPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rejected_rows = g_ptr_array_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->rejected_group), FALSE);
}
