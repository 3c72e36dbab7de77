/* motcua-reorganisation-dialog.c: a published reorganisation, previewed and applied
 *
 * What the CLI's `reorganisation preview` and `apply` do, for a province's officer: the file is
 * read and checked against the replica in the slow worker (the plan counts every case of each
 * ended office), each step is shown in the library's words (motcua_reorg_step_describe()), and
 * Apply asks first, naming how many open dossiers move. Why Apply is off is always said: the
 * library's refusal (a desk enrolled with a server, a day before the effective one), or that the
 * replica holds the whole reorganisation already.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-format.h"
#include "motcua-reorganisation-dialog.h"

struct _MotcuaReorganisationDialog
{
  AdwWindow             parent_instance;

  MotcuaSession        *session;
  GCancellable         *cancellable;
  char                 *path;
  MotcuaReorganisation *reorg;     /* once read; borrowed by an apply under way */
  GPtrArray            *steps;     /* MotcuaReorgStep: the plan, as read before applying */
  guint                 to_do;
  guint                 moving;    /* open cases of ended offices with a successor */
  gboolean              can_apply;
  gboolean              applied;
  gboolean              busy;

  AdwWindowTitle       *window_title;
  GtkButton            *apply_button;
  GtkStack             *stack;
  AdwStatusPage        *error_page;
  GtkLabel             *title_label;
  AdwActionRow         *effective_row;
  AdwActionRow         *legal_basis_row;
  AdwActionRow         *file_row;
  GtkLabel             *summary_label;
  GtkWidget            *refusal_box;
  GtkLabel             *refusal_label;
  GtkListBox           *steps_list;
};

G_DEFINE_FINAL_TYPE (MotcuaReorganisationDialog, motcua_reorganisation_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_busy (MotcuaReorganisationDialog *self,
          gboolean                    busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* "N open dossiers move…": in the summary and in the confirmation alike. */
static char *
format_moving (guint moving)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u open dossier moves to the office that takes the work"
                                       " over.",
                                       "%u open dossiers move to the offices that take the work"
                                       " over.", moving), moving);
}

/* Why Apply is off, or why it failed (NULL: nothing to say), beside the button too. */
static void
show_refusal (MotcuaReorganisationDialog *self,
              const char                 *message)
{
  if (message != NULL)
    gtk_label_set_label (self->refusal_label, message);
  gtk_widget_set_visible (self->refusal_box, message != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->apply_button),
                               message != NULL ? message
                                               : _("Write the reorganisation into this replica and"
                                                   " move the open dossiers of the ended offices"));
}

static void
show_error (MotcuaReorganisationDialog *self,
            const char                 *message)
{
  g_autofree char *markup = g_markup_escape_text (message, -1);

  adw_status_page_set_description (self->error_page, markup);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), FALSE);
}

static GtkWidget *
make_step_row (MotcuaReorganisationDialog *self,
               const MotcuaReorgStep      *step)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *state;
  g_autofree char *change = motcua_reorg_step_describe (step);
  g_autofree char *subtitle = g_strdup_printf ("%s — %s", step->code, change);

  /* Names and codes are the province's text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), step->name ? step->name : step->code);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_tooltip_text (row, subtitle);

  if (step->done)
    {
      state = gtk_label_new (_("Done"));
      gtk_widget_add_css_class (state, "dim-label");
    }
  else if (self->applied)
    {
      state = gtk_label_new (_("Applied"));
      gtk_widget_add_css_class (state, "success");
    }
  else
    {
      state = gtk_label_new (_("To do"));
      gtk_widget_add_css_class (state, "accent");
    }
  gtk_widget_set_valign (state, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);

  return row;
}

/* Whether Apply may be pressed: the library allows it, and it would change something. */
static gboolean
apply_possible (MotcuaReorganisationDialog *self)
{
  return self->reorg != NULL && self->can_apply && !self->applied && !self->busy
         && (self->to_do > 0 || self->moving > 0);
}

/* The plan as it stands: its steps, the summary line, and whether Apply may be pressed. */
static void
show_plan (MotcuaReorganisationDialog *self)
{
  g_autofree char *summary = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->steps_list))) != NULL)
    gtk_list_box_remove (self->steps_list, child);
  for (guint i = 0; i < self->steps->len; i++)
    gtk_list_box_append (self->steps_list, make_step_row (self, g_ptr_array_index (self->steps,
                                                                                   i)));

  if (self->applied)
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Applied: %u open dossier moved to the office that"
                                            " took the work over. Desks of the ended offices move"
                                            " to their successors at their next sync.",
                                            "Applied: %u open dossiers moved to the offices that"
                                            " took the work over. Desks of the ended offices move"
                                            " to their successors at their next sync.",
                                            self->moving), self->moving);
  else if (self->to_do == 0 && self->moving == 0)
    summary = g_strdup (_("This replica already holds the whole reorganisation: there is nothing"
                          " left to apply."));
  else
    {
      g_autofree char *steps = g_strdup_printf (_("Steps to do: %u of %u."), self->to_do,
                                                self->steps->len);
      g_autofree char *moving = format_moving (self->moving);

      summary = g_strdup_printf ("%s %s %s", steps, moving,
                                 _("Nothing has been written yet."));
    }
  gtk_label_set_label (self->summary_label, summary);

  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), apply_possible (self));
}

/* Reading the file and planning, in the slow worker */

typedef struct
{
  char                 *path;
  MotcuaReorganisation *reorg;
  GPtrArray            *steps;
} Reading;

static void
reading_free (gpointer pointer)
{
  Reading *reading = pointer;

  g_free (reading->path);
  g_clear_pointer (&reading->reorg, motcua_reorganisation_free);
  g_clear_pointer (&reading->steps, g_ptr_array_unref);
  g_free (reading);
}

static gboolean
read_in_thread (MotcuaReplica  *reader,
                gpointer        data,
                GCancellable   *cancellable,
                GError        **error)
{
  Reading *reading = data;

  /* Its own faults name the file and the entry. */
  reading->reorg = motcua_reorganisation_load_file (reading->path, error);
  if (reading->reorg == NULL)
    return FALSE;
  reading->steps = motcua_replica_plan_reorganisation (reader, reading->reorg, error);
  if (reading->steps == NULL)
    {
      g_autofree char *name = g_path_get_basename (reading->path);

      /* Against the replica's offices, it names the office only: say which file. */
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  return TRUE;
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MotcuaReorganisationDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) refusal = NULL;
  g_autofree char *effective = NULL;
  Reading *reading;

  if (!motcua_session_run_finish (MOTCUA_SESSION (source), result, (gpointer *) &reading,
                                  &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          show_error (self, error->message);
          set_busy (self, FALSE);
        }
      return;
    }

  self->reorg = g_steal_pointer (&reading->reorg);
  self->steps = g_steal_pointer (&reading->steps);
  self->to_do = 0;
  self->moving = 0;
  for (guint i = 0; i < self->steps->len; i++)
    {
      const MotcuaReorgStep *step = g_ptr_array_index (self->steps, i);

      self->to_do += !step->done;
      /* What apply moves: the open cases of every ended office with a successor, done or not
       * (a case imported since is handed over too). */
      if (step->action == MOTCUA_REORG_END && step->target != NULL)
        self->moving += step->open_cases;
    }

  /* The library's own checks, before the officer presses anything: cheap (no case is read). */
  self->can_apply = motcua_replica_can_apply_reorganisation (
    motcua_session_get_replica (self->session), self->reorg, &refusal);
  show_refusal (self, refusal != NULL ? refusal->message : NULL);

  gtk_label_set_label (self->title_label, motcua_reorganisation_get_title (self->reorg));
  effective = motcua_format_long_date (motcua_reorganisation_get_effective (self->reorg));
  adw_action_row_set_subtitle (self->effective_row, effective);
  adw_action_row_set_subtitle (self->legal_basis_row,
                               motcua_reorganisation_get_legal_basis (self->reorg));
  set_busy (self, FALSE);
  show_plan (self);
  gtk_stack_set_visible_child_name (self->stack, "plan");
}

/* Applying */

static void
applied_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(MotcuaReorganisationDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  guint n_moved = 0;

  /* Finished even when the dialog was closed meanwhile: the session says the replica changed. */
  if (!motcua_session_apply_reorganisation_finish (MOTCUA_SESSION (source), result, &n_moved,
                                                   &error))
    {
      set_busy (self, FALSE);
      if (g_cancellable_is_cancelled (self->cancellable))
        return;
      show_refusal (self, error->message);
      show_plan (self);
      return;
    }

  self->applied = TRUE;
  self->moving = n_moved;
  set_busy (self, FALSE);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  show_refusal (self, NULL);
  show_plan (self);

  window = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (window != NULL)
    {
      g_autofree char *message = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE,
                     "Reorganisation applied: %u open dossier moved to the office that took the"
                     " work over",
                     "Reorganisation applied: %u open dossiers moved to the offices that took"
                     " the work over", n_moved), n_moved);

      motcua_window_toast (GTK_WIDGET (window), message);
    }
}

static void
confirm_response_cb (AdwMessageDialog           *dialog,
                     const char                 *response,
                     MotcuaReorganisationDialog *self)
{
  if (g_strcmp0 (response, "apply") != 0 || !apply_possible (self))
    return;

  set_busy (self, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), FALSE);
  gtk_label_set_label (self->summary_label, _("Applying the reorganisation…"));
  motcua_session_apply_reorganisation_async (self->session, self->reorg, applied_cb,
                                             g_object_ref (self));
}

static void
apply_clicked_cb (MotcuaReorganisationDialog *self)
{
  GtkWidget *dialog;
  g_autofree char *steps = NULL;
  g_autofree char *moving = NULL;
  g_autofree char *body = NULL;

  if (!apply_possible (self))
    return;

  steps = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u step is written into this replica.",
                                        "%u steps are written into this replica.", self->to_do),
                           self->to_do);
  moving = format_moving (self->moving);
  body = g_strdup_printf ("%s %s %s", steps, moving,
                          _("Every desk receives the change at its next sync; it cannot be"
                            " undone here."));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Apply the Reorganisation?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "apply", _("_Apply"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static gboolean
motcua_reorganisation_dialog_close_request (GtkWindow *window)
{
  MotcuaReorganisationDialog *self = MOTCUA_REORGANISATION_DIALOG (window);

  /* Not while its transaction runs: the officer sees how it ended. */
  if (self->busy && self->reorg != NULL)
    return TRUE;

  return GTK_WINDOW_CLASS (motcua_reorganisation_dialog_parent_class)->close_request (window);
}

static void
motcua_reorganisation_dialog_dispose (GObject *object)
{
  MotcuaReorganisationDialog *self = MOTCUA_REORGANISATION_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MOTCUA_TYPE_REORGANISATION_DIALOG);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (motcua_reorganisation_dialog_parent_class)->dispose (object);
}

static void
motcua_reorganisation_dialog_finalize (GObject *object)
{
  MotcuaReorganisationDialog *self = MOTCUA_REORGANISATION_DIALOG (object);

  /* Here, not in dispose: an apply under way borrows it, and holds the dialog until it ends. */
  g_clear_pointer (&self->reorg, motcua_reorganisation_free);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_free (self->path);

  G_OBJECT_CLASS (motcua_reorganisation_dialog_parent_class)->finalize (object);
}

static void
motcua_reorganisation_dialog_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  MotcuaReorganisationDialog *self = MOTCUA_REORGANISATION_DIALOG (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
motcua_reorganisation_dialog_class_init (MotcuaReorganisationDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = motcua_reorganisation_dialog_dispose;
  object_class->finalize = motcua_reorganisation_dialog_finalize;
  object_class->get_property = motcua_reorganisation_dialog_get_property;
  window_class->close_request = motcua_reorganisation_dialog_close_request;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/motcua/Desk/"
                                               "motcua-reorganisation-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MotcuaReorganisationDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReorganisationDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReorganisationDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReorganisationDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReorganisationDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReorganisationDialog, effective_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReorganisationDialog,
                                        legal_basis_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReorganisationDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReorganisationDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReorganisationDialog, refusal_box);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReorganisationDialog, refusal_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReorganisationDialog, steps_list);
  gtk_widget_class_bind_template_callback (widget_class, apply_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
motcua_reorganisation_dialog_init (MotcuaReorganisationDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

MotcuaReorganisationDialog *
motcua_reorganisation_dialog_new (MotcuaWindow *window,
                                  const char   *path)
{
  MotcuaReorganisationDialog *self;
  MotcuaSession *session;
  Reading *reading;
  g_autofree char *name = NULL;

  g_return_val_if_fail (MOTCUA_IS_WINDOW (window), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  session = motcua_window_get_session (window);
  g_return_val_if_fail (session != NULL, NULL);

  self = g_object_new (MOTCUA_TYPE_REORGANISATION_DIALOG,
                       "transient-for", window,
                       NULL);
  self->session = g_object_ref (session);
  self->path = g_strdup (path);
  name = g_path_get_basename (path);
  adw_window_title_set_subtitle (self->window_title, name);
  adw_action_row_set_subtitle (self->file_row, path);

  reading = g_new0 (Reading, 1);
  reading->path = g_strdup (path);
  set_busy (self, TRUE);
  motcua_session_run_async (session, MOTCUA_SESSION_SLOW, read_in_thread, reading, reading_free,
                            self->cancellable, read_cb, g_object_ref (self));

  return self;
}

gboolean
motcua_reorganisation_dialog_get_busy (MotcuaReorganisationDialog *self)
{
  g_return_val_if_fail (MOTCUA_IS_REORGANISATION_DIALOG (self), FALSE);

  return self->busy;
}
