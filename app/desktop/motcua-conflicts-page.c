/* motcua-conflicts-page.c: two writes to one field that did not see each other, side by side;
 * keep one, keep the other, or type a new value (an ordinary write that has seen both)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "motcua-conflicts-page.h"
#include "motcua-format.h"
#include "motcua-window.h"

struct _MotcuaConflictsPage
{
  AdwBin         parent_instance;

  MotcuaSession *session;
  GCancellable  *cancellable;
  guint          n_shown;

  GtkLabel      *count_label;
  GtkSwitch     *resolved_switch;
  GtkStack      *stack;
  GtkBox        *list_box;
};

G_DEFINE_FINAL_TYPE (MotcuaConflictsPage, motcua_conflicts_page, ADW_TYPE_BIN)

#ifdef MOTCUA_DESK_HAVE_SYNC

static void resolve (MotcuaConflictsPage *self,
                     const char          *id,
                     MotcuaResolution     how,
                     const char          *value);

static void
keep_clicked_cb (GtkButton           *button,
                 MotcuaConflictsPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "conflict");
  MotcuaResolution how = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "how"));

  resolve (self, id, how, NULL);
}

static void
value_clicked_cb (GtkButton           *button,
                  MotcuaConflictsPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "conflict");
  GtkEditable *entry = g_object_get_data (G_OBJECT (button), "entry");

  resolve (self, id, MOTCUA_RESOLVE_VALUE, gtk_editable_get_text (entry));
}

static GtkWidget *
side_box (MotcuaConflictsPage      *self,
          const MotcuaConflict     *conflict,
          const MotcuaConflictSide *side,
          gboolean                  is_a)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label;
  GtkWidget *button;
  g_autofree char *at = motcua_format_datetime (side->at);
  g_autofree char *who = NULL;
  gboolean kept = conflict->winner == (is_a ? 'a' : 'b');

  gtk_widget_set_hexpand (box, TRUE);
  label = gtk_label_new (is_a ? _("The server's value") : _("The other desk's value"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  label = gtk_label_new (side->value != NULL ? (*side->value != '\0' ? side->value : _("(empty)"))
                                             : _("(no value)"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "title-3");
  gtk_box_append (GTK_BOX (box), label);

  /* Translators: which desk (office and replica) wrote a value, and when. */
  /* A desk by the end of its replica id: the start of a UUIDv7 is its creation time, alike for
   * desks set up together. */
  who = g_strdup_printf (_("%s, desk …%s · %s"),
                         side->office != NULL ? side->office : _("unknown office"),
                         side->replica != NULL && strlen (side->replica) > 8
                         ? side->replica + strlen (side->replica) - 8 : "?", at);
  label = gtk_label_new (who);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), label);

  if (!conflict->resolved)
    {
      button = gtk_button_new_with_label (kept ? _("Keep This (Shown Now)") : _("Keep This"));
      gtk_widget_set_halign (button, GTK_ALIGN_START);
      gtk_widget_set_margin_top (button, 6);
      g_object_set_data_full (G_OBJECT (button), "conflict", g_strdup (conflict->id), g_free);
      g_object_set_data (G_OBJECT (button), "how",
                         GINT_TO_POINTER (is_a ? MOTCUA_RESOLVE_KEEP_A : MOTCUA_RESOLVE_KEEP_B));
      g_signal_connect (button, "clicked", G_CALLBACK (keep_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), button);
    }
  return box;
}

static GtkWidget *
conflict_card (MotcuaConflictsPage  *self,
               const MotcuaConflict *conflict)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *sides = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *label;
  g_autofree char *title = NULL;
  g_autofree char *detected = motcua_format_datetime (conflict->detected_at);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "stat-card");

  title = g_strdup_printf ("%s · %s", conflict->receipt_no != NULL ? conflict->receipt_no
                                                                   : conflict->table,
                           motcua_case_field_label (conflict->column));
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (header), label);
  label = gtk_label_new (detected);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (header), label);
  gtk_box_append (GTK_BOX (card), header);

  gtk_box_set_homogeneous (GTK_BOX (sides), TRUE);
  gtk_box_append (GTK_BOX (sides), side_box (self, conflict, &conflict->a, TRUE));
  gtk_box_append (GTK_BOX (sides), side_box (self, conflict, &conflict->b, FALSE));
  gtk_box_append (GTK_BOX (card), sides);

  if (conflict->resolved)
    {
      g_autofree char *at = motcua_format_datetime (conflict->resolved_at);
      g_autofree char *text = g_strdup_printf (_("Resolved: “%s” by %s, %s"),
                                               conflict->resolution != NULL
                                               ? conflict->resolution : "",
                                               conflict->resolved_by != NULL
                                               ? conflict->resolved_by : "?", at);

      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "success");
      gtk_box_append (GTK_BOX (card), label);
    }
  else
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *entry = gtk_entry_new ();
      GtkWidget *button = gtk_button_new_with_label (_("Use This Value"));

      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Or type the right value"));
      gtk_widget_set_hexpand (entry, TRUE);
      g_object_set_data_full (G_OBJECT (button), "conflict", g_strdup (conflict->id), g_free);
      g_object_set_data (G_OBJECT (button), "entry", entry);
      g_signal_connect (button, "clicked", G_CALLBACK (value_clicked_cb), self);
      gtk_box_append (GTK_BOX (row), entry);
      gtk_box_append (GTK_BOX (row), button);
      gtk_box_append (GTK_BOX (card), row);
    }
  return card;
}

typedef struct
{
  gboolean   include_resolved;
  GPtrArray *conflicts;
} Job;

static void
job_free (gpointer pointer)
{
  Job *job = pointer;

  g_clear_pointer (&job->conflicts, g_ptr_array_unref);
  g_free (job);
}

static gboolean
list_in_thread (MotcuaReplica  *reader,
                gpointer        data,
                GCancellable   *cancellable,
                GError        **error)
{
  Job *job = data;

  job->conflicts = motcua_replica_list_conflicts (reader, job->include_resolved, error);
  return job->conflicts != NULL;
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  MotcuaConflictsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  Job *job = NULL;
  guint open = 0;

  if (!motcua_session_run_finish (MOTCUA_SESSION (source), result, (gpointer *) &job, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        motcua_window_toast (GTK_WIDGET (self), error->message);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_box_remove (self->list_box, child);
  for (guint i = 0; i < job->conflicts->len; i++)
    {
      MotcuaConflict *conflict = g_ptr_array_index (job->conflicts, i);

      open += !conflict->resolved;
      gtk_box_append (self->list_box, conflict_card (self, conflict));
    }
  self->n_shown = job->conflicts->len;
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u open conflict",
                                                          "%u open conflicts", open), open);

    gtk_label_set_label (self->count_label, text);
  }
  gtk_stack_set_visible_child_name (self->stack, self->n_shown > 0 ? "list" : "empty");
}

static void
resolve (MotcuaConflictsPage *self,
         const char          *id,
         MotcuaResolution     how,
         const char          *value)
{
  g_autoptr(GError) error = NULL;

  if (self->session == NULL)
    return;
  if (!motcua_replica_resolve_conflict (motcua_session_get_replica (self->session), id, how,
                                        value, &error))
    {
      motcua_window_toast (GTK_WIDGET (self), error->message);
      return;
    }
  motcua_window_toast (GTK_WIDGET (self), _("Conflict resolved; it closes everywhere at the "
                                            "next sync"));
  motcua_session_changed (self->session);
}
#endif

static void
reload_cb (MotcuaConflictsPage *self)
{
#ifdef MOTCUA_DESK_HAVE_SYNC
  Job *job;

  if (self->session == NULL)
    return;
  job = g_new0 (Job, 1);
  job->include_resolved = gtk_switch_get_active (self->resolved_switch);
  motcua_session_run_async (self->session, MOTCUA_SESSION_QUICK, list_in_thread, job, job_free,
                            self->cancellable, listed_cb, self);
#else
  gtk_label_set_label (self->count_label, "");
  gtk_stack_set_visible_child_name (self->stack, "empty");
#endif
}

/* For the tests: the conflicts listed. */
guint
motcua_conflicts_page_get_n_shown (MotcuaConflictsPage *self)
{
  g_return_val_if_fail (MOTCUA_IS_CONFLICTS_PAGE (self), 0);

  return self->n_shown;
}

static void
session_changed_cb (MotcuaConflictsPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload_cb (self);
}

static void
motcua_conflicts_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (motcua_conflicts_page_parent_class)->map (widget);
  reload_cb (MOTCUA_CONFLICTS_PAGE (widget));
}

void
motcua_conflicts_page_set_session (MotcuaConflictsPage *self,
                                   MotcuaSession       *session)
{
  g_return_if_fail (MOTCUA_IS_CONFLICTS_PAGE (self));

  if (!motcua_session_follow (&self->session, session, self, G_CALLBACK (session_changed_cb)))
    return;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload_cb (self);
}

static void
motcua_conflicts_page_dispose (GObject *object)
{
  MotcuaConflictsPage *self = MOTCUA_CONFLICTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  /* AdwBin unparents its child itself. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MOTCUA_TYPE_CONFLICTS_PAGE);
  motcua_session_follow (&self->session, NULL, self, G_CALLBACK (session_changed_cb));
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (motcua_conflicts_page_parent_class)->dispose (object);
}

static void
motcua_conflicts_page_class_init (MotcuaConflictsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = motcua_conflicts_page_dispose;
  widget_class->map = motcua_conflicts_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/motcua/Desk/motcua-conflicts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MotcuaConflictsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaConflictsPage, resolved_switch);
  gtk_widget_class_bind_template_child (widget_class, MotcuaConflictsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MotcuaConflictsPage, list_box);
  gtk_widget_class_bind_template_callback (widget_class, reload_cb);
}

static void
motcua_conflicts_page_init (MotcuaConflictsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
