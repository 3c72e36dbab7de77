/* motcua-setup-page.c: the first run: create a local replica or enroll with a server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include <motcua/motcua.h>

#include "motcua-format.h"
#include "motcua-session.h"
#include "motcua-setup-page.h"

struct _MotcuaSetupPage
{
  AdwBin        parent_instance;

  GCancellable *cancellable;
  GPtrArray    *offices;          /* MotcuaOffice, in the combo's order */
  gboolean      offices_loaded;
  gboolean      busy;

  GtkLabel     *error_label;
  AdwComboRow  *office_row;
  GtkSwitch    *sample_switch;
  GtkWidget    *create_button;
  AdwEntryRow  *server_row;
  AdwEntryRow  *token_row;
  GtkWidget    *enroll_button;
  GtkWidget    *spinner;
};

G_DEFINE_FINAL_TYPE (MotcuaSetupPage, motcua_setup_page, ADW_TYPE_BIN)

enum {
  REPLICA_READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
motcua_setup_dup_data_dir (void)
{
  const char *env = g_getenv ("MOTCUA_SOURCE_DATADIR");
  g_autofree char *installed = g_build_filename (MOTCUA_DATADIR, "offices.json", NULL);

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    return g_strdup (MOTCUA_DATADIR);
  return g_strdup (MOTCUA_SOURCE_DATADIR);
}

void
motcua_setup_page_set_error (MotcuaSetupPage *self,
                             const char      *message)
{
  g_return_if_fail (MOTCUA_IS_SETUP_PAGE (self));

  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_sensitivity (MotcuaSetupPage *self)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  gboolean can_enroll = FALSE;

#ifdef MOTCUA_DESK_HAVE_SYNC
  can_enroll = TRUE;
#endif

  gtk_widget_set_visible (self->spinner, self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->office_row), !self->busy && self->offices != NULL
                                                           && self->offices->len > 0);
  gtk_widget_set_sensitive (self->create_button, !self->busy && self->offices != NULL
                                                 && self->offices->len > 0);
  gtk_widget_set_sensitive (self->enroll_button, can_enroll && !self->busy
                                                 && g_str_has_prefix (server, "http")
                                                 && *token != '\0');
}

static void
enroll_changed_cb (MotcuaSetupPage *self)
{
  update_sensitivity (self);
}

/* The offices: read the sample offices file through a scratch replica. */

static void
load_offices_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  g_autofree char *data_dir = motcua_setup_dup_data_dir ();
  g_autofree char *offices_path = g_build_filename (data_dir, "offices.json", NULL);
  g_autofree char *tmp = NULL;
  g_autofree char *path = NULL;
  g_autoptr(MotcuaReplica) probe = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *offices = NULL;

  tmp = g_dir_make_tmp ("motcua-setup-XXXXXX", &error);
  if (tmp == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  path = g_build_filename (tmp, "probe.db", NULL);
  probe = motcua_replica_create (path, "PROBE", MOTCUA_LEVEL_PROVINCE, &error);
  if (probe != NULL
      && motcua_replica_import_file (probe, offices_path, MOTCUA_IMPORT_OFFICES,
                                     MOTCUA_FORMAT_AUTO, NULL, &error))
    offices = motcua_replica_list_offices (probe, &error);
  /* In tree order, from the root (the province). */
  for (guint i = 0; offices != NULL && i < offices->len; i++)
    {
      MotcuaOffice *office = g_ptr_array_index (offices, i);

      if (office->parent_code == NULL && g_strcmp0 (office->code, "PROBE") != 0)
        {
          GPtrArray *tree = motcua_replica_list_subtree (probe, office->code, NULL);

          if (tree != NULL)
            {
              g_ptr_array_unref (offices);
              offices = tree;
            }
          break;
        }
    }
  g_clear_object (&probe);

  for (const char *const *suffix = (const char *const[]) { "", "-wal", "-shm", NULL };
       *suffix != NULL; suffix++)
    {
      g_autofree char *file = g_strconcat (path, *suffix, NULL);

      g_unlink (file);
    }
  g_rmdir (tmp);

  if (offices == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, offices, (GDestroyNotify) g_ptr_array_unref);
}

static void
offices_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  MotcuaSetupPage *self = MOTCUA_SETUP_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) offices = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  if (offices == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        motcua_setup_page_set_error (self, error->message);
      return;
    }

  for (guint i = 0; i < offices->len; i++)
    {
      MotcuaOffice *office = g_ptr_array_index (offices, i);
      g_autofree char *name = g_strdup_printf ("%s · %s", office->name,
                                               motcua_format_level (office->level));

      gtk_string_list_append (names, name);
      /* A commune desk is the common case: preselect the first commune. */
      if (selected == 0 && office->level == MOTCUA_LEVEL_COMMUNE)
        selected = i;
    }
  g_clear_pointer (&self->offices, g_ptr_array_unref);
  self->offices = g_steal_pointer (&offices);
  adw_combo_row_set_model (self->office_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->office_row, selected);
  update_sensitivity (self);
}

static void
motcua_setup_page_map (GtkWidget *widget)
{
  MotcuaSetupPage *self = MOTCUA_SETUP_PAGE (widget);

  GTK_WIDGET_CLASS (motcua_setup_page_parent_class)->map (widget);

  if (!self->offices_loaded)
    {
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, offices_loaded_cb, NULL);

      self->offices_loaded = TRUE;
      g_task_set_source_tag (task, motcua_setup_page_map);
      g_task_run_in_thread (task, load_offices_in_thread);
    }
}

/* Creating a replica */

typedef struct
{
  char        *path;
  char        *office;
  MotcuaLevel  level;
  gboolean     samples;
} CreateData;

static void
create_data_free (gpointer pointer)
{
  CreateData *data = pointer;

  g_free (data->path);
  g_free (data->office);
  g_free (data);
}

static gboolean
import_samples (MotcuaReplica  *replica,
                gboolean        samples,
                GError        **error)
{
  g_autofree char *data_dir = motcua_setup_dup_data_dir ();
  g_autofree char *offices = g_build_filename (data_dir, "offices.json", NULL);
  g_autoptr(GDir) dir = NULL;

  if (!motcua_replica_import_file (replica, offices, MOTCUA_IMPORT_OFFICES, MOTCUA_FORMAT_AUTO,
                                   NULL, error))
    return FALSE;
  if (!samples)
    return TRUE;

  {
    g_autofree char *catalogue = g_build_filename (data_dir, "catalogue.json", NULL);

    if (!motcua_replica_import_file (replica, catalogue, MOTCUA_IMPORT_CATALOGUE,
                                     MOTCUA_FORMAT_AUTO, NULL, error))
      return FALSE;
  }

  dir = g_dir_open (data_dir, 0, error);
  if (dir == NULL)
    return FALSE;
  for (const char *name = g_dir_read_name (dir); name != NULL; name = g_dir_read_name (dir))
    {
      g_autofree char *path = NULL;

      if (!g_str_has_prefix (name, "calendar-") || !g_str_has_suffix (name, ".json"))
        continue;
      path = g_build_filename (data_dir, name, NULL);
      if (!motcua_replica_import_file (replica, path, MOTCUA_IMPORT_CALENDAR, MOTCUA_FORMAT_AUTO,
                                       NULL, error))
        return FALSE;
    }
  return TRUE;
}

static void
create_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CreateData *data = task_data;
  g_autoptr(MotcuaReplica) replica = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (data->path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Could not create the folder %s: %s"), dir, g_strerror (saved));
      return;
    }

  replica = motcua_replica_create (data->path, data->office, data->level, &error);
  if (replica == NULL || !import_samples (replica, data->samples, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  MotcuaSetupPage *self = MOTCUA_SETUP_PAGE (source);
  g_autoptr(GError) error = NULL;
  CreateData *data = g_task_get_task_data (G_TASK (result));

  self->busy = FALSE;
  update_sensitivity (self);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        motcua_setup_page_set_error (self, error->message);
      return;
    }
  motcua_setup_page_set_error (self, NULL);
  g_signal_emit (self, signals[REPLICA_READY], 0, data->path);
}

static char *
default_replica_path (const char *name)
{
  const char *dir = g_getenv ("MOTCUA_DESK_REPLICA_DIR");
  g_autofree char *file = g_strconcat (name, ".db", NULL);

  if (dir != NULL && *dir != '\0')
    return g_build_filename (dir, file, NULL);
  return g_build_filename (g_get_user_data_dir (), "motcua", file, NULL);
}

static void
create_clicked_cb (MotcuaSetupPage *self)
{
  guint selected = adw_combo_row_get_selected (self->office_row);
  g_autoptr(GTask) task = NULL;
  MotcuaOffice *office;
  CreateData *data;

  if (self->offices == NULL || selected >= self->offices->len || self->busy)
    return;
  office = g_ptr_array_index (self->offices, selected);

  data = g_new0 (CreateData, 1);
  data->path = default_replica_path (office->code);
  data->office = g_strdup (office->code);
  data->level = office->level;
  data->samples = gtk_switch_get_active (self->sample_switch);

  if (g_file_test (data->path, G_FILE_TEST_EXISTS))
    {
      /* The office has a replica on this computer already: open it. */
      g_signal_emit (self, signals[REPLICA_READY], 0, data->path);
      create_data_free (data);
      return;
    }

  self->busy = TRUE;
  update_sensitivity (self);
  task = g_task_new (self, self->cancellable, created_cb, NULL);
  g_task_set_source_tag (task, create_clicked_cb);
  g_task_set_task_data (task, data, create_data_free);
  g_task_run_in_thread (task, create_in_thread);
}

/* Enrolling */

#ifdef MOTCUA_DESK_HAVE_SYNC
static void
enrolled_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  MotcuaSetupPage *self = MOTCUA_SETUP_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = motcua_session_enroll_finish (result, &error);

  self->busy = FALSE;
  update_sensitivity (self);
  if (path == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not enroll: %s"), error->message);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        motcua_setup_page_set_error (self, message);
      return;
    }
  motcua_setup_page_set_error (self, NULL);
  g_signal_emit (self, signals[REPLICA_READY], 0, path);
}
#endif

static void
enroll_clicked_cb (MotcuaSetupPage *self)
{
#ifdef MOTCUA_DESK_HAVE_SYNC
  g_autofree char *stamp = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (self->busy)
    return;
  stamp = g_date_time_format (now, "replica-%Y%m%d-%H%M%S");
  path = default_replica_path (stamp);

  self->busy = TRUE;
  update_sensitivity (self);
  motcua_session_enroll_async (self, path, gtk_editable_get_text (GTK_EDITABLE (self->server_row)),
                               gtk_editable_get_text (GTK_EDITABLE (self->token_row)),
                               self->cancellable, enrolled_cb, NULL);
#endif
}

static void
motcua_setup_page_dispose (GObject *object)
{
  MotcuaSetupPage *self = MOTCUA_SETUP_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  /* AdwBin unparents its child itself. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MOTCUA_TYPE_SETUP_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->offices, g_ptr_array_unref);

  G_OBJECT_CLASS (motcua_setup_page_parent_class)->dispose (object);
}

static void
motcua_setup_page_class_init (MotcuaSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = motcua_setup_page_dispose;
  widget_class->map = motcua_setup_page_map;

  signals[REPLICA_READY] = g_signal_new ("replica-ready",
                                         G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/motcua/Desk/motcua-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MotcuaSetupPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSetupPage, office_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSetupPage, sample_switch);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSetupPage, create_button);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSetupPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSetupPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSetupPage, enroll_button);
  gtk_widget_class_bind_template_child (widget_class, MotcuaSetupPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, enroll_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, enroll_changed_cb);
}

static void
motcua_setup_page_init (MotcuaSetupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  update_sensitivity (self);
}
