/* motcua-application.c: the desk application
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-application.h"
#include "motcua-desk-resources.h"
#include "motcua-preferences-window.h"
#include "motcua-window.h"

struct _MotcuaApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (MotcuaApplication, motcua_application, ADW_TYPE_APPLICATION)

/* The schema from the system, else (running from the build tree) the one built beside us. */
static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaSource) built = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, MOTCUA_APPLICATION_ID, TRUE);
#ifdef MOTCUA_DESK_BUILD_SCHEMA_DIR
  if (schema == NULL)
    {
      built = g_settings_schema_source_new_from_directory (MOTCUA_DESK_BUILD_SCHEMA_DIR, source,
                                                           FALSE, NULL);
      if (built != NULL)
        schema = g_settings_schema_source_lookup (built, MOTCUA_APPLICATION_ID, TRUE);
    }
#endif
  if (schema == NULL)
    g_error ("The GSettings schema %s is not installed", MOTCUA_APPLICATION_ID);

  return g_settings_new_full (schema, NULL, NULL);
}

static MotcuaWindow *
get_window (MotcuaApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (MOTCUA_IS_WINDOW (window))
    return MOTCUA_WINDOW (window);
  return NULL;
}

static MotcuaWindow *
new_window (MotcuaApplication *self)
{
  MotcuaWindow *window = motcua_window_new (self);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
motcua_application_activate (GApplication *application)
{
  MotcuaApplication *self = MOTCUA_APPLICATION (application);
  MotcuaWindow *window = get_window (self);
  g_autofree char *last = NULL;

  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  window = new_window (self);
  last = g_settings_get_string (self->settings, "last-replica");
  if (*last != '\0' && g_file_test (last, G_FILE_TEST_EXISTS))
    motcua_window_open_replica (window, last);
}

static int
motcua_application_command_line (GApplication            *application,
                                 GApplicationCommandLine *command_line)
{
  MotcuaApplication *self = MOTCUA_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree char *replica = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  MotcuaWindow *window;

  if (!g_variant_dict_lookup (options, "replica", "^ay", &replica))
    {
      g_application_activate (application);
      return 0;
    }

  file = g_application_command_line_create_file_for_arg (command_line, replica);
  path = g_file_get_path (file);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_application_command_line_printerr (command_line,
                                           _("motcua: no replica at %s\n"), path);
      return 2;
    }

  window = get_window (self);
  if (window == NULL || motcua_window_get_session (window) != NULL)
    window = new_window (self);
  motcua_window_open_replica (window, path);
  gtk_window_present (GTK_WINDOW (window));
  return 0;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  MotcuaApplication *self = user_data;
  const char *developers[] = { _("The Một Cửa contributors"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-icon", MOTCUA_APPLICATION_ID,
                        "application-name", "Một Cửa",
                        "developer-name", _("The Một Cửa contributors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("The one-stop desk of commune and district offices: receive "
                                      "dossiers, follow them to their result and report, online "
                                      "or offline."),
                        "license-type", GTK_LICENSE_LGPL_2_1,
                        "developers", developers,
                        /* Translators: your names, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  MotcuaApplication *self = user_data;
  MotcuaWindow *window = get_window (self);
  GtkWindow *preferences;

  preferences = GTK_WINDOW (motcua_preferences_window_new (self, window));
  gtk_window_present (preferences);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* Close the windows (saving their state) rather than stopping in the middle of a write. */
  while (windows != NULL)
    {
      GList *next = windows->next;

      gtk_window_destroy (windows->data);
      windows = next;
    }
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_action },
  { .name = "preferences", .activate = preferences_action },
  { .name = "quit", .activate = quit_action },
};

static void
motcua_application_startup (GApplication *application)
{
  GtkApplication *app = GTK_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (motcua_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (app, "app.quit", quit_accels);
  gtk_application_set_accels_for_action (app, "app.preferences", preferences_accels);
  gtk_window_set_default_icon_name (MOTCUA_APPLICATION_ID);

  /* Running from the source tree: the icon is beside the sources, not installed. */
  {
    GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

    if (!gtk_icon_theme_has_icon (theme, MOTCUA_APPLICATION_ID))
      gtk_icon_theme_add_search_path (theme, MOTCUA_SOURCE_DATADIR "/icons");
  }
}

static void
motcua_application_dispose (GObject *object)
{
  MotcuaApplication *self = MOTCUA_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (motcua_application_parent_class)->dispose (object);
}

static void
motcua_application_class_init (MotcuaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = motcua_application_dispose;
  app_class->activate = motcua_application_activate;
  app_class->command_line = motcua_application_command_line;
  app_class->startup = motcua_application_startup;

  /* The resources live in a static library: make sure they are linked in. */
  (void) motcua_desk_get_resource ();
}

static void
motcua_application_init (MotcuaApplication *self)
{
  const GOptionEntry entries[] = {
    { "replica", 'r', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Open the replica at PATH"), N_("PATH") },
    { NULL }
  };

  self->settings = load_settings ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The one-stop desk: receive dossiers, follow them "
                                              "and report, online or offline."));
}

MotcuaApplication *
motcua_application_new (void)
{
  return g_object_new (MOTCUA_TYPE_APPLICATION,
                       "application-id", MOTCUA_APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/vn/gov/motcua/Desk",
                       NULL);
}

GSettings *
motcua_application_get_settings (MotcuaApplication *self)
{
  g_return_val_if_fail (MOTCUA_IS_APPLICATION (self), NULL);

  return self->settings;
}
