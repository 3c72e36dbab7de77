/* motcua-preferences-window.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-preferences-window.h"

static const guint intervals[] = { 0, 5, 15, 30, 60 };

struct _MotcuaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwEntryRow          *officer_row;
  AdwActionRow         *office_row;
  AdwActionRow         *path_row;
  AdwActionRow         *server_row;
  AdwComboRow          *interval_row;
  GtkSpinButton        *copies_spin;
};

G_DEFINE_FINAL_TYPE (MotcuaPreferencesWindow, motcua_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static void
officer_apply_cb (MotcuaPreferencesWindow *self)
{
  g_autofree char *officer = g_strstrip (g_strdup (gtk_editable_get_text (
                                                     GTK_EDITABLE (self->officer_row))));

  g_settings_set_string (self->settings, "officer-name", officer);
}

static void
interval_changed_cb (MotcuaPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->interval_row);

  if (self->settings != NULL && selected < G_N_ELEMENTS (intervals))
    g_settings_set_uint (self->settings, "auto-sync-minutes", intervals[selected]);
}

static void
motcua_preferences_window_dispose (GObject *object)
{
  MotcuaPreferencesWindow *self = MOTCUA_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MOTCUA_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (motcua_preferences_window_parent_class)->dispose (object);
}

static void
motcua_preferences_window_class_init (MotcuaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = motcua_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/motcua/Desk/"
                                               "motcua-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MotcuaPreferencesWindow, officer_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaPreferencesWindow, office_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaPreferencesWindow, path_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaPreferencesWindow, interval_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaPreferencesWindow, copies_spin);
  gtk_widget_class_bind_template_callback (widget_class, officer_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, interval_changed_cb);
}

static void
motcua_preferences_window_init (MotcuaPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

MotcuaPreferencesWindow *
motcua_preferences_window_new (MotcuaApplication *application,
                               MotcuaWindow      *window)
{
  MotcuaPreferencesWindow *self;
  MotcuaSession *session = window != NULL ? motcua_window_get_session (window) : NULL;
  g_autofree char *officer = NULL;
  g_autofree char *server = NULL;
  guint minutes;

  g_return_val_if_fail (MOTCUA_IS_APPLICATION (application), NULL);

  self = g_object_new (MOTCUA_TYPE_PREFERENCES_WINDOW,
                       "transient-for", window,
                       "modal", TRUE,
                       NULL);
  self->settings = g_object_ref (motcua_application_get_settings (application));

  officer = g_settings_get_string (self->settings, "officer-name");
  gtk_editable_set_text (GTK_EDITABLE (self->officer_row), officer);
  g_settings_bind (self->settings, "receipt-copies", self->copies_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);

  minutes = g_settings_get_uint (self->settings, "auto-sync-minutes");
  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    if (intervals[i] == minutes)
      adw_combo_row_set_selected (self->interval_row, i);

  if (session != NULL)
    {
      MotcuaReplica *replica = motcua_session_get_replica (session);
      g_autofree char *office = g_strdup_printf ("%s (%s)",
                                                 motcua_session_get_office_name (session),
                                                 motcua_replica_get_office_code (replica));

      adw_action_row_set_subtitle (self->office_row, office);
      adw_action_row_set_subtitle (self->path_row, motcua_session_get_path (session));
#ifdef MOTCUA_DESK_HAVE_SYNC
      server = motcua_replica_dup_server_url (replica);
#endif
    }
  adw_action_row_set_subtitle (self->server_row,
                               server != NULL ? server : _("Not enrolled: this replica works "
                                                           "alone"));
  return self;
}
