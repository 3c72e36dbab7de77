/* motcua-attachments-group-view.c: opening a scan: viewed, or downloaded first
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

/* Viewing a scan */

typedef struct
{
  GCancellable *cancellable;
  char       *id;
  char       *name;
  char       *mime_type;
  char       *sha256;
  guint64     size;
  GBytes     *bytes;      /* NULL: read them in the worker */
  GdkTexture *texture;    /* for an image the desk can show */
} Viewing;

static void
viewing_free (gpointer pointer)
{
  Viewing *viewing = pointer;

  g_clear_object (&viewing->cancellable);
  g_free (viewing->id);
  g_free (viewing->name);
  g_free (viewing->mime_type);
  g_free (viewing->sha256);
  g_clear_pointer (&viewing->bytes, g_bytes_unref);
  g_clear_object (&viewing->texture);
  g_free (viewing);
}

static Viewing *
viewing_new (MotcuaAttachmentsGroup *self,
             const MotcuaAttachment *attachment)
{
  Viewing *viewing = g_new0 (Viewing, 1);

  viewing->cancellable = g_object_ref (self->cancellable);
  viewing->id = g_strdup (attachment->id);
  viewing->name = g_strdup (attachment->name);
  viewing->mime_type = g_strdup (attachment->mime_type);
  viewing->sha256 = g_strdup (attachment->sha256);
  viewing->size = attachment->size;
  return viewing;
}

/* In the worker: the bytes, checked against their SHA-256, and an image decoded. */
static gboolean
view_in_thread (MotcuaReplica  *reader,
                gpointer        data,
                GCancellable   *cancellable,
                GError        **error)
{
  Viewing *viewing = data;

  if (viewing->bytes == NULL)
    {
      viewing->bytes = motcua_replica_read_attachment (reader, viewing->id, error);
      if (viewing->bytes == NULL)
        return FALSE;
    }
  /* What GTK cannot decode opens outside instead. */
  if (g_str_has_prefix (viewing->mime_type != NULL ? viewing->mime_type : "", "image/"))
    viewing->texture = gdk_texture_new_from_bytes (viewing->bytes, NULL);
  return TRUE;
}

static void
show_image (MotcuaAttachmentsGroup *self,
            Viewing                *viewing)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (viewing->texture));
  g_autofree char *size = g_format_size (viewing->size);
  g_autofree char *dimensions = g_strdup_printf ("%s · %d × %d", size,
                                                 gdk_texture_get_width (viewing->texture),
                                                 gdk_texture_get_height (viewing->texture));
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_window_set_title (GTK_WINDOW (window), viewing->name);
  gtk_window_set_default_size (GTK_WINDOW (window),
                               CLAMP (gdk_texture_get_width (viewing->texture), 480, 1000),
                               CLAMP (gdk_texture_get_height (viewing->texture) + 48, 360, 800));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_widget_add_css_class (window, "scan-viewer");

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (viewing->name, dimensions));
  gtk_box_append (GTK_BOX (box), header);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_picture_set_alternative_text (GTK_PICTURE (picture), viewing->name);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), picture);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (window), box);

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape,
                                                                                  0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, shortcuts);
  gtk_window_present (GTK_WINDOW (window));
}

static void
launched_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(MotcuaAttachmentsGroup) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, g_strdup_printf (_("No application here could open the scan: %s"),
                                       error->message));
}

/* A private copy in the user's runtime folder (readable by the user alone, gone at logout), for
 * the system's application for its type. */
static void
open_outside (MotcuaAttachmentsGroup *self,
              Viewing                *viewing)
{
  g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "motcua-scans", NULL);
  g_autofree char *file = g_strdup_printf ("%.12s-%s", viewing->sha256, viewing->name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAppLaunchContext) context = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (viewing->bytes, &length);

  if (g_mkdir_with_parents (dir, 0700) != 0
      || !g_file_set_contents_full (path, data, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT,
                                    0600, &error))
    {
      show_error (self, g_strdup_printf (_("Could not open “%s”: %s"), viewing->name,
                                         error != NULL ? error->message : g_strerror (errno)));
      return;
    }
  uri = g_filename_to_uri (path, NULL, NULL);
  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (
                                    gtk_widget_get_display (GTK_WIDGET (self))));
  g_app_info_launch_default_for_uri_async (uri, context, self->cancellable, launched_cb,
                                           g_object_ref (self));
}

static void
viewed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(MotcuaAttachmentsGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  Viewing *viewing = NULL;

  gboolean ok = motcua_session_run_finish (MOTCUA_SESSION (source), result,
                                           (gpointer *) &viewing, &error);

  if (g_cancellable_is_cancelled (viewing->cancellable))
    return;
  set_busy (self, FALSE);
  if (!ok)
    {
      show_error (self, g_strdup_printf (_("Could not open “%s”: %s"), viewing->name,
                                         error->message));
      return;
    }
  if (viewing->texture != NULL)
    show_image (self, viewing);
  else
    open_outside (self, viewing);
}

static void
view (MotcuaAttachmentsGroup *self,
      Viewing                *viewing)
{
  set_busy (self, TRUE);
  motcua_session_run_async (self->session, MOTCUA_SESSION_QUICK, view_in_thread, viewing,
                            viewing_free, viewing->cancellable, viewed_cb, g_object_ref (self));
}

/* Downloading a scan */

static GtkWidget *
progress_bar (MotcuaAttachmentsGroup *self,
              const char             *id)
{
  guint index;

  if (lookup (self, id, &index) == NULL || index >= self->rows->len)
    return NULL;
  return g_object_get_data (G_OBJECT (g_ptr_array_index (self->rows, index)), "progress");
}

static void
progress_cb (MotcuaSync             *sync,
             const char             *id,
             guint64                 received,
             guint64                 size,
             MotcuaAttachmentsGroup *self)
{
  GtkWidget *bar = progress_bar (self, id);

  if (bar != NULL && size > 0)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), (double) received / size);
}

typedef struct
{
  MotcuaAttachmentsGroup *self;
  Viewing                *viewing;
} Fetching;

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetching *fetching = user_data;
  g_autoptr(MotcuaAttachmentsGroup) self = fetching->self;
  Viewing *viewing = fetching->viewing;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = motcua_sync_fetch_attachment_finish (MOTCUA_SYNC (source), result,
                                                                 &error);

  g_free (fetching);
  if (g_cancellable_is_cancelled (viewing->cancellable))
    {
      viewing_free (viewing);
      return;
    }
  set_busy (self, FALSE);
  g_clear_pointer (&self->fetching, g_free);
  /* Downloaded or not, the row says how much of it is here now. */
  motcua_attachments_group_reload (self);
  if (bytes == NULL)
    {
      show_error (self, g_strdup_printf (_("Could not download “%s”: %s"), viewing->name,
                                         error->message));
      viewing_free (viewing);
      return;
    }
  viewing->bytes = g_steal_pointer (&bytes);
  view (self, viewing);
}

static void
fetch (MotcuaAttachmentsGroup *self,
       Viewing                *viewing)
{
#ifdef MOTCUA_DESK_HAVE_SYNC
  MotcuaSync *sync = motcua_session_get_sync (self->session);
#else
  MotcuaSync *sync = NULL;
#endif
  Fetching *fetching;
  GtkWidget *bar;

  if (sync == NULL)
    {
      show_error (self, g_strdup_printf (_("“%s” is not on this computer, and this replica is "
                                           "not enrolled with a server to download it from"),
                                         viewing->name));
      viewing_free (viewing);
      return;
    }
  if (self->fetching != NULL)
    {
      show_error (self, g_strdup (_("One scan is being downloaded: wait for it to finish")));
      viewing_free (viewing);
      return;
    }

  if (self->sync != sync)
    {
      if (self->sync != NULL)
        g_clear_signal_handler (&self->progress_handler, self->sync);
      g_set_object (&self->sync, sync);
      self->progress_handler = g_signal_connect (sync, "attachment-progress",
                                                 G_CALLBACK (progress_cb), self);
    }

  self->fetching = g_strdup (viewing->id);
  bar = progress_bar (self, viewing->id);
  if (bar != NULL)
    {
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), 0);
      gtk_widget_set_visible (bar, TRUE);
    }
  set_busy (self, TRUE);
  fetching = g_new0 (Fetching, 1);
  fetching->self = g_object_ref (self);
  fetching->viewing = viewing;
  motcua_sync_fetch_attachment_async (sync, viewing->id, viewing->cancellable, fetched_cb,
                                      fetching);
}

void
motcua_attachments_group_open (MotcuaAttachmentsGroup *self,
                               const char             *attachment_id)
{
  const MotcuaAttachment *attachment;

  g_return_if_fail (MOTCUA_IS_ATTACHMENTS_GROUP (self));
  g_return_if_fail (attachment_id != NULL);

  attachment = lookup (self, attachment_id, NULL);
  if (attachment == NULL || self->session == NULL)
    return;

  clear_error (self);
  if (attachment->present)
    view (self, viewing_new (self, attachment));
  else
    fetch (self, viewing_new (self, attachment));
}
