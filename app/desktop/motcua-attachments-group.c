/* motcua-attachments-group.c: a dossier's scans: list, add from a file, view, download
 *
 * Each scan is a row: its name, size, who attached it and when, and whether its bytes are on this
 * computer ("Open") or still only on the server ("Download"). Adding checks the file's size
 * before reading it, reads it without blocking and attaches it on the main connection (the one
 * that numbers this desk's changes). Opening reads and checks the bytes, and decodes an image, in
 * the session's worker; a scan that is not here yet is downloaded first
 * (motcua_sync_fetch_attachment_async(), with its progress on the row). Images show in a window
 * of the desk; anything else (a PDF) opens in the application the system has for it, from a
 * private copy in the user's runtime folder. What goes wrong is said under the list, naming the
 * file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "motcua-attachments-group.h"
#include "motcua-attachments-group-private.h"
#include "motcua-format.h"

G_DEFINE_FINAL_TYPE (MotcuaAttachmentsGroup, motcua_attachments_group,
                     ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* State shown */

static const char *
icon_for (const MotcuaAttachment *attachment)
{
  if (g_str_has_prefix (attachment->mime_type != NULL ? attachment->mime_type : "", "image/"))
    return "image-x-generic-symbolic";
  if (g_strcmp0 (attachment->mime_type, "application/pdf") == 0)
    return "x-office-document-symbolic";
  return "text-x-generic-symbolic";
}

static char *
describe (const MotcuaAttachment *attachment)
{
  g_autofree char *size = g_format_size (attachment->size);
  g_autofree char *at = motcua_format_datetime (attachment->added_at);
  g_autofree char *here = NULL;

  if (!attachment->present && attachment->received > 0)
    {
      g_autofree char *received = g_format_size (attachment->received);

      /* Translators: a scan partly downloaded: "1.2 MB of 3.4 MB here". */
      here = g_strdup_printf (_("%s of %s here"), received, size);
    }
  else if (!attachment->present)
    here = g_strdup (_("Not downloaded"));

  /* Its size, who attached it and when ("1.2 MB · Lò Thị Hoa · 24/11/2026 08:15"), then whether
   * it is on this computer. */
  return g_strdup_printf ("%s · %s · %s%s%s", size,
                          attachment->officer != NULL ? attachment->officer : "—", at,
                          here != NULL ? " · " : "", here != NULL ? here : "");
}

static GtkWidget *
make_row (MotcuaAttachmentsGroup *self,
          const MotcuaAttachment *attachment)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;
  GtkWidget *progress = gtk_progress_bar_new ();
  g_autofree char *subtitle = describe (attachment);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), attachment->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (icon_for (attachment)));

  gtk_widget_set_valign (progress, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (progress, 120, -1);
  gtk_widget_set_visible (progress, FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), progress);

  button = gtk_button_new_with_mnemonic (attachment->present ? _("_Open") : _("_Download"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, attachment->present
                                       ? _("View the scan")
                                       : _("Download the scan from the server, then view it"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "attachments.open");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", attachment->id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);

  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Remove this scan from the dossier…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove this scan from the dossier"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "attachments.remove");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", attachment->id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  g_object_set_data (G_OBJECT (row), "progress", progress);
  return row;
}

void
motcua_attachments_group_reload (MotcuaAttachmentsGroup *self)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *attachments = NULL;

  g_return_if_fail (MOTCUA_IS_ATTACHMENTS_GROUP (self));

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self),
                                  g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_clear_pointer (&self->attachments, g_ptr_array_unref);

  /* The scans of one dossier: a handful of rows, read on the main thread. */
  if (self->session != NULL && self->case_id != NULL)
    {
      attachments = motcua_replica_list_attachments (replica (self), self->case_id, &error);
      if (attachments == NULL)
        show_error (self, g_strdup_printf (_("Could not list the scans: %s"), error->message));
    }
  self->attachments = attachments;

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      const MotcuaAttachment *attachment = g_ptr_array_index (attachments, i);
      GtkWidget *row = make_row (self, attachment);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
      if (g_strcmp0 (attachment->id, self->fetching) == 0)
        gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "progress"), TRUE);
    }
  gtk_widget_set_visible (self->empty_row, self->rows->len == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "attachments.add",
                                 self->session != NULL && self->case_id != NULL);
}

/* Adding a scan */

/* What an operation started for the case then shown: when another case is shown (or the page
 * goes), its cancellable is cancelled and whatever comes back is dropped. */
typedef struct
{
  MotcuaAttachmentsGroup *self;
  GCancellable           *cancellable;
  char                   *case_id;
  GFile                  *file;
  char                   *name;
} Adding;

static void
adding_free (Adding *adding)
{
  g_object_unref (adding->self);
  g_object_unref (adding->cancellable);
  g_free (adding->case_id);
  g_object_unref (adding->file);
  g_free (adding->name);
  g_free (adding);
}

/* A scan was attached (@attachment), or not (@error, naming the file @name). */
static void
attached (MotcuaAttachmentsGroup *self,
          const char             *name,
          MotcuaAttachment       *attachment,
          const GError           *error)
{
  if (attachment == NULL)
    {
      show_error (self, g_strdup_printf (_("Could not attach “%s”: %s"), name, error->message));
      return;
    }
  motcua_attachments_group_reload (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
add_loaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Adding *adding = user_data;
  MotcuaAttachmentsGroup *self = adding->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(MotcuaAttachment) attachment = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error)
      || g_cancellable_is_cancelled (adding->cancellable))
    {
      if (!g_cancellable_is_cancelled (adding->cancellable))
        {
          set_busy (self, FALSE);
          show_error (self, g_strdup_printf (_("Could not read “%s”: %s"), adding->name,
                                             error->message));
        }
      g_free (contents);
      adding_free (adding);
      return;
    }
  set_busy (self, FALSE);

  /* One durable write: the bytes, the row and the timeline's event. */
  bytes = g_bytes_new_take (contents, length);
  attachment = motcua_replica_add_attachment (replica (self), adding->case_id, adding->name,
                                              NULL, bytes, &error);
  attached (self, adding->name, attachment, error);
  adding_free (adding);
}

static void
add_info_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Adding *adding = user_data;
  MotcuaAttachmentsGroup *self = adding->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);

  if (info == NULL || g_cancellable_is_cancelled (adding->cancellable))
    {
      if (!g_cancellable_is_cancelled (adding->cancellable))
        {
          set_busy (self, FALSE);
          show_error (self, g_strdup_printf (_("Could not read “%s”: %s"), adding->name,
                                             error->message));
        }
      adding_free (adding);
      return;
    }

  g_free (adding->name);
  adding->name = g_strdup (g_file_info_get_display_name (info));

  /* Too large, empty or not a file: the library says so from the file's size alone, without
   * reading it. */
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR
      || g_file_info_get_size (info) <= 0
      || (guint64) g_file_info_get_size (info) > MOTCUA_ATTACHMENT_MAX_SIZE)
    {
      g_autoptr(MotcuaAttachment) attachment = NULL;

      set_busy (self, FALSE);
      attachment = motcua_replica_add_attachment_from_file (replica (self), adding->case_id,
                                                            adding->file, NULL, NULL, &error);
      attached (self, adding->name, attachment, error);
      adding_free (adding);
      return;
    }

  g_file_load_contents_async (adding->file, adding->cancellable, add_loaded_cb, adding);
}

void
motcua_attachments_group_add_file (MotcuaAttachmentsGroup *self,
                                   GFile                  *file)
{
  Adding *adding;

  g_return_if_fail (MOTCUA_IS_ATTACHMENTS_GROUP (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->session == NULL || self->case_id == NULL)
    return;

  clear_error (self);
  set_busy (self, TRUE);
  adding = g_new0 (Adding, 1);
  adding->self = g_object_ref (self);
  adding->cancellable = g_object_ref (self->cancellable);
  adding->case_id = g_strdup (self->case_id);
  adding->file = g_object_ref (file);
  adding->name = g_file_get_basename (file);
  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                           G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                           G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, adding->cancellable,
                           add_info_cb, adding);
}

static void
chooser_response_cb (GtkNativeDialog        *dialog,
                     int                     response,
                     MotcuaAttachmentsGroup *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        motcua_attachments_group_add_file (self, file);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  MotcuaAttachmentsGroup *self = MOTCUA_ATTACHMENTS_GROUP (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  GtkFileFilter *scans = gtk_file_filter_new ();
  GtkFileFilter *all = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Add a Scan"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_filter_set_name (scans, _("Scans (images and PDF)"));
  gtk_file_filter_add_mime_type (scans, "image/*");
  gtk_file_filter_add_mime_type (scans, "application/pdf");
  gtk_file_filter_add_suffix (scans, "pdf");
  gtk_file_filter_add_suffix (scans, "jpg");
  gtk_file_filter_add_suffix (scans, "jpeg");
  gtk_file_filter_add_suffix (scans, "png");
  gtk_file_filter_add_suffix (scans, "tif");
  gtk_file_filter_add_suffix (scans, "tiff");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), scans);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  g_object_unref (scans);
  g_object_unref (all);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  motcua_attachments_group_open (MOTCUA_ATTACHMENTS_GROUP (widget),
                                 g_variant_get_string (parameter, NULL));
}

/* Removing a scan */

gboolean
motcua_attachments_group_remove (MotcuaAttachmentsGroup *self,
                                 const char             *attachment_id,
                                 const char             *reason)
{
  g_autoptr(GError) error = NULL;
  const MotcuaAttachment *attachment;
  g_autofree char *name = NULL;

  g_return_val_if_fail (MOTCUA_IS_ATTACHMENTS_GROUP (self), FALSE);
  g_return_val_if_fail (attachment_id != NULL, FALSE);

  attachment = lookup (self, attachment_id, NULL);
  if (attachment == NULL || self->session == NULL)
    return FALSE;
  name = g_strdup (attachment->name);

  clear_error (self);
  /* One small write: an event of the dossier's timeline. */
  if (!motcua_replica_remove_attachment (replica (self), attachment_id, reason, &error))
    {
      show_error (self, g_strdup_printf (_("Could not remove “%s”: %s"), name, error->message));
      return FALSE;
    }
  motcua_attachments_group_reload (self);
  g_signal_emit (self, signals[CHANGED], 0);

  return TRUE;
}

typedef struct
{
  MotcuaAttachmentsGroup *self;
  char                   *attachment_id;
  GtkEditable            *reason;
} Removing;

static void
removing_free (Removing *removing)
{
  g_object_unref (removing->self);
  g_free (removing->attachment_id);
  g_free (removing);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    Removing         *removing)
{
  if (g_strcmp0 (response, "remove") == 0)
    motcua_attachments_group_remove (removing->self, removing->attachment_id,
                                     gtk_editable_get_text (removing->reason));
}

static void
reason_changed_cb (GtkEditable      *reason,
                   AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (reason)));

  adw_message_dialog_set_response_enabled (dialog, "remove", *text != '\0');
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MotcuaAttachmentsGroup *self = MOTCUA_ATTACHMENTS_GROUP (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  const MotcuaAttachment *attachment = lookup (self, id, NULL);
  g_autofree char *heading = NULL;
  Removing *removing;
  GtkWidget *dialog, *entry;

  if (attachment == NULL)
    return;

  heading = g_strdup_printf (_("Remove “%s”?"), attachment->name);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                   _("The dossier's timeline keeps who removed it, when and"
                                     " why. Every desk learns it at its next sync."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "remove", FALSE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason, e.g. another citizen's paper"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_signal_connect_object (entry, "changed", G_CALLBACK (reason_changed_cb), dialog, 0);

  removing = g_new0 (Removing, 1);
  removing->self = g_object_ref (self);
  removing->attachment_id = g_strdup (id);
  removing->reason = GTK_EDITABLE (entry);
  g_signal_connect_data (dialog, "response", G_CALLBACK (remove_response_cb), removing,
                         (GClosureNotify) (void (*) (void)) removing_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* The case shown */

void
motcua_attachments_group_show (MotcuaAttachmentsGroup *self,
                               MotcuaSession          *session,
                               const char             *case_id)
{
  g_return_if_fail (MOTCUA_IS_ATTACHMENTS_GROUP (self));

  if (g_strcmp0 (case_id, self->case_id) != 0 || session != self->session)
    {
      /* What was under way belongs to the case shown before. */
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      g_clear_pointer (&self->fetching, g_free);
      self->busy = 0;
      set_busy (self, FALSE);
      clear_error (self);
    }
  g_set_object (&self->session, session);
  g_free (self->case_id);
  self->case_id = g_strdup (case_id);
  motcua_attachments_group_reload (self);
}

GPtrArray *
motcua_attachments_group_get_attachments (MotcuaAttachmentsGroup *self)
{
  g_return_val_if_fail (MOTCUA_IS_ATTACHMENTS_GROUP (self), NULL);

  return self->attachments;
}

const char *
motcua_attachments_group_get_error (MotcuaAttachmentsGroup *self)
{
  g_return_val_if_fail (MOTCUA_IS_ATTACHMENTS_GROUP (self), NULL);

  return self->error;
}

gboolean
motcua_attachments_group_get_busy (MotcuaAttachmentsGroup *self)
{
  g_return_val_if_fail (MOTCUA_IS_ATTACHMENTS_GROUP (self), FALSE);

  return self->busy > 0;
}

/* GObject */

static void
motcua_attachments_group_dispose (GObject *object)
{
  MotcuaAttachmentsGroup *self = MOTCUA_ATTACHMENTS_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  if (self->sync != NULL)
    g_clear_signal_handler (&self->progress_handler, self->sync);
  g_clear_object (&self->sync);
  gtk_widget_dispose_template (GTK_WIDGET (self), MOTCUA_TYPE_ATTACHMENTS_GROUP);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->attachments, g_ptr_array_unref);

  G_OBJECT_CLASS (motcua_attachments_group_parent_class)->dispose (object);
}

static void
motcua_attachments_group_finalize (GObject *object)
{
  MotcuaAttachmentsGroup *self = MOTCUA_ATTACHMENTS_GROUP (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_free (self->case_id);
  g_free (self->error);
  g_free (self->fetching);

  G_OBJECT_CLASS (motcua_attachments_group_parent_class)->finalize (object);
}

static void
motcua_attachments_group_class_init (MotcuaAttachmentsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = motcua_attachments_group_dispose;
  object_class->finalize = motcua_attachments_group_finalize;

  /* A scan was added or removed: the dossier's timeline has a new event. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/motcua/Desk/motcua-attachments-group.ui");
  gtk_widget_class_bind_template_child (widget_class, MotcuaAttachmentsGroup, spinner);
  gtk_widget_class_bind_template_child (widget_class, MotcuaAttachmentsGroup, add_button);
  gtk_widget_class_bind_template_child (widget_class, MotcuaAttachmentsGroup, empty_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaAttachmentsGroup, error_label);

  gtk_widget_class_install_action (widget_class, "attachments.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "attachments.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "attachments.remove", "s", remove_action);
}

static void
motcua_attachments_group_init (MotcuaAttachmentsGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "attachments.add", FALSE);
}
