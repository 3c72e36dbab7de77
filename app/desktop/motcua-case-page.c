/* motcua-case-page.c: one dossier: its fields, papers, timeline and the steps it can take
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "motcua-apology-slip.h"
#include "motcua-attachments-group.h"
#include "motcua-case-page.h"
#include "motcua-format.h"
#include "motcua-window.h"

struct _MotcuaCasePage
{
  AdwBin           parent_instance;

  MotcuaSession   *session;
  MotcuaCase      *record;
  MotcuaProcedure *procedure;
  GPtrArray       *paper_rows;     /* rows added to papers_group */
  GPtrArray       *event_rows;     /* rows added to timeline_group */
  GPtrArray       *paper_checks;
  GPtrArray       *stars;
  gboolean         filling;        /* setting widgets from the record: no edits */

  GtkLabel        *title_label;
  GtkLabel        *status_label;
  GtkLabel        *sync_label;
  GtkWidget       *actions_group;
  GtkFlowBox      *steps_box;
  AdwActionRow    *procedure_row;
  AdwActionRow    *received_row;
  AdwActionRow    *due_row;
  GtkWidget       *apologise_button;
  AdwActionRow    *promised_row;
  AdwActionRow    *office_row;
  AdwActionRow    *receiving_row;
  AdwComboRow     *channel_row;
  AdwComboRow     *priority_row;
  AdwActionRow    *result_row;
  AdwActionRow    *rating_row;
  GtkBox          *rating_box;
  AdwEntryRow     *name_row;
  AdwEntryRow     *citizen_id_row;
  AdwEntryRow     *phone_row;
  AdwEntryRow     *address_row;
  AdwPreferencesGroup *papers_group;
  MotcuaAttachmentsGroup *attachments_group;
  AdwPreferencesGroup *timeline_group;
};

G_DEFINE_FINAL_TYPE (MotcuaCasePage, motcua_case_page, ADW_TYPE_BIN)

enum {
  BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static MotcuaReplica *
replica (MotcuaCasePage *self)
{
  return motcua_session_get_replica (self->session);
}

const MotcuaCase *
motcua_case_page_get_case (MotcuaCasePage *self)
{
  g_return_val_if_fail (MOTCUA_IS_CASE_PAGE (self), NULL);

  return self->record;
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void step_clicked_cb (GtkButton      *button,
                             MotcuaCasePage *self);

static void
fill_steps (MotcuaCasePage *self)
{
  MotcuaStatus next[MOTCUA_N_STATUSES];
  guint n = motcua_status_next (self->record->status, next);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->steps_box))) != NULL)
    gtk_flow_box_remove (self->steps_box, child);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (motcua_format_step (next[i]));

      g_object_set_data (G_OBJECT (button), "status", GUINT_TO_POINTER (next[i]));
      /* The usual next step stands out; leaving the workflow is a destructive one. */
      if (i == 0 && next[i] != MOTCUA_STATUS_WITHDRAWN && next[i] != MOTCUA_STATUS_CANCELLED)
        gtk_widget_add_css_class (button, "suggested-action");
      if (next[i] == MOTCUA_STATUS_CANCELLED || next[i] == MOTCUA_STATUS_REFUSED)
        gtk_widget_add_css_class (button, "destructive-action");
      g_signal_connect (button, "clicked", G_CALLBACK (step_clicked_cb), self);
      gtk_flow_box_append (self->steps_box, button);
    }
  gtk_widget_set_visible (self->actions_group, n > 0);
}

/* The day @n working days after @day in the replica's calendar, or NULL. */
static char *
working_days_after (MotcuaCasePage *self,
                    const char     *day,
                    guint           n)
{
  g_autoptr(MotcuaCalendar) calendar = motcua_replica_dup_calendar (replica (self), NULL);
  GDate start, out;
  char text[11];

  if (calendar == NULL || day == NULL || !motcua_check_date ("day", day, &start, NULL))
    return NULL;
  motcua_calendar_add_working_days (calendar, &start, n, &out);
  if (!g_date_valid (&out))
    return NULL;
  g_date_strftime (text, sizeof text, "%Y-%m-%d", &out);
  return g_strdup (text);
}

/* The promise of the latest apology, and the apology itself for an open case that is overdue
 * or due within two working days. */
static void
fill_apology (MotcuaCasePage *self,
              GPtrArray      *events,
              const char     *today)
{
  const MotcuaCase *c = self->record;
  g_autofree char *promised = events != NULL ? motcua_case_dup_promised_date (c, events) : NULL;
  g_autofree char *soon = working_days_after (self, today, 2);
  gboolean late_soon;

  gtk_widget_set_visible (GTK_WIDGET (self->promised_row), promised != NULL);
  if (promised != NULL)
    {
      g_autofree char *text = motcua_format_long_date (promised);

      adw_action_row_set_subtitle (self->promised_row, text);
    }
  late_soon = motcua_status_is_open (c->status) && c->due_date != NULL
              && g_strcmp0 (c->due_date, soon != NULL ? soon : today) <= 0;
  gtk_widget_set_visible (self->apologise_button, late_soon);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.apologise", late_soon);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.print-apology", promised != NULL);
}

static void
fill (MotcuaCasePage *self)
{
  const MotcuaCase *c = self->record;
  g_autofree char *received = motcua_format_datetime (c->received_at);
  g_autofree char *due = motcua_format_long_date (c->due_date);
  g_autofree char *handler = motcua_format_office (replica (self), c->handling_office);
  g_autofree char *receiver = motcua_format_office (replica (self), c->receiving_office);
  g_autofree char *procedure = NULL;
  g_autoptr(GPtrArray) events = NULL;
  const char *pill[] = { "status-pill", motcua_format_status_class (c->status), NULL };
  gboolean overdue;
  g_autofree char *today = motcua_session_dup_today (self->session);

  self->filling = TRUE;

  gtk_label_set_label (self->title_label, c->receipt_no);
  gtk_label_set_label (self->status_label, motcua_format_status (c->status));
  gtk_widget_set_css_classes (GTK_WIDGET (self->status_label), pill);
  gtk_label_set_label (self->sync_label, motcua_format_record_sync_state ((int) c->sync_state));

  procedure = g_strdup_printf ("%s (%s)", c->procedure_name, c->procedure_code);
  adw_action_row_set_subtitle (self->procedure_row, procedure);
  adw_action_row_set_subtitle (self->received_row, received);
  overdue = motcua_status_is_open (c->status) && c->due_date != NULL
            && g_strcmp0 (c->due_date, today) < 0;
  if (overdue)
    {
      g_autofree char *text = g_strdup_printf ("%s · <span weight=\"bold\" foreground=\"#c01c28\">"
                                               "%s</span>", due, _("overdue"));

      adw_action_row_set_subtitle (self->due_row, text);
    }
  else
    adw_action_row_set_subtitle (self->due_row, due);
  /* A dossier decided elsewhere: which of the two offices hands the result back. */
  if (g_strcmp0 (c->handling_office, c->receiving_office) != 0)
    {
      char **returner = c->return_at_deciding ? &handler : &receiver;
      char *with = g_strdup_printf ("%s · %s", *returner, _("hands the result back"));

      g_free (*returner);
      *returner = with;
    }
  adw_action_row_set_subtitle (self->office_row, handler);
  adw_action_row_set_subtitle (self->receiving_row, receiver);
  adw_combo_row_set_selected (self->channel_row, c->channel);
  adw_combo_row_set_selected (self->priority_row, c->priority);
  gtk_widget_set_visible (GTK_WIDGET (self->result_row), c->result != NULL);
  if (c->result != NULL)
    {
      g_autofree char *resolved = motcua_format_datetime (c->resolved_at);
      g_autofree char *text = g_markup_printf_escaped ("%s · %s", c->result, resolved);

      adw_action_row_set_subtitle (self->result_row, text);
    }
  for (guint i = 0; i < self->stars->len; i++)
    {
      GtkWidget *star = g_ptr_array_index (self->stars, i);

      gtk_button_set_label (GTK_BUTTON (star), (int) i < c->rating ? "★" : "☆");
    }

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), c->applicant_name);
  gtk_editable_set_text (GTK_EDITABLE (self->citizen_id_row), c->citizen_id);
  gtk_editable_set_text (GTK_EDITABLE (self->phone_row), c->phone != NULL ? c->phone : "");
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), c->address != NULL ? c->address : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->citizen_id_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->phone_row), "error");

  /* Papers: the procedure's list, ticked as received. */
  clear_rows (self->papers_group, self->paper_rows);
  g_ptr_array_set_size (self->paper_checks, 0);
  for (guint i = 0; self->procedure != NULL && self->procedure->documents != NULL
                    && self->procedure->documents[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      gboolean received_it = FALSE;

      for (guint j = 0; c->papers != NULL && j < c->papers->len; j++)
        received_it |= g_array_index (c->papers, guint, j) == i;
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), self->procedure->documents[i]);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), received_it);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->papers_group, row);
      g_ptr_array_add (self->paper_rows, row);
      g_ptr_array_add (self->paper_checks, check);
    }

  /* The timeline, oldest first. */
  clear_rows (self->timeline_group, self->event_rows);
  events = motcua_replica_list_case_events (replica (self), c->id, NULL);
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      MotcuaCaseEvent *event = g_ptr_array_index (events, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *at = motcua_format_datetime (event->at);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      title = motcua_format_event (event);
      subtitle = g_strdup_printf ("%s · %s%s%s", at,
                                  event->officer != NULL ? event->officer : "—",
                                  event->note != NULL && *event->note != '\0' ? " · " : "",
                                  event->note != NULL ? event->note : "");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (
                                   g_strcmp0 (event->action, "received") == 0
                                   ? "document-new-symbolic"
                                   : g_strcmp0 (event->action, "apologised") == 0
                                   ? "mail-send-symbolic" : "emblem-documents-symbolic"));
      adw_preferences_group_add (self->timeline_group, row);
      g_ptr_array_add (self->event_rows, row);
    }

  fill_apology (self, events, today);
  fill_steps (self);
  self->filling = FALSE;

  /* Connect the paper checks after filling them. */
}

static gboolean
reload (MotcuaCasePage *self)
{
  g_autoptr(GError) error = NULL;
  MotcuaCase *record = motcua_replica_dup_case (replica (self),
                                                self->record != NULL ? self->record->id : "",
                                                &error);

  if (record == NULL)
    {
      motcua_window_toast (GTK_WIDGET (self), error->message);
      return FALSE;
    }
  g_clear_pointer (&self->record, motcua_case_free);
  self->record = record;
  fill (self);
  return TRUE;
}

static void paper_toggled_cb (MotcuaCasePage *self);

static void
connect_papers (MotcuaCasePage *self)
{
  for (guint i = 0; i < self->paper_checks->len; i++)
    g_signal_connect_object (g_ptr_array_index (self->paper_checks, i), "toggled",
                             G_CALLBACK (paper_toggled_cb), self, G_CONNECT_SWAPPED);
}

/* Writes one field, says what went wrong if it did, and shows the case as it now is. */
static gboolean
edit (MotcuaCasePage *self,
      const char     *field,
      const char     *value,
      GtkWidget      *row)
{
  g_autoptr(GError) error = NULL;

  if (!motcua_replica_edit_case (replica (self), self->record->id, field, value, NULL, &error))
    {
      if (row != NULL)
        gtk_widget_add_css_class (row, "error");
      motcua_window_toast (GTK_WIDGET (self), error->message);
      if (row == NULL)
        {
          reload (self);
          connect_papers (self);
        }
      return FALSE;
    }
  reload (self);
  connect_papers (self);
  motcua_session_changed (self->session);
  return TRUE;
}

static void
paper_toggled_cb (MotcuaCasePage *self)
{
  g_autoptr(GString) papers = g_string_new (NULL);

  if (self->filling || self->record == NULL)
    return;
  for (guint i = 0; i < self->paper_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->paper_checks, i)))
      g_string_append_printf (papers, "%s%u", papers->len > 0 ? "," : "", i);
  edit (self, "papers", papers->str, NULL);
}

static void
field_apply_cb (MotcuaCasePage *self,
                AdwEntryRow    *row)
{
  const char *field = row == self->name_row ? "applicant_name"
                      : row == self->citizen_id_row ? "citizen_id"
                      : row == self->phone_row ? "phone" : "address";
  g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (self->record == NULL)
    return;
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  if (edit (self, field, value, GTK_WIDGET (row)))
    motcua_window_toast (GTK_WIDGET (self), _("Saved"));
}

static void
channel_changed_cb (MotcuaCasePage *self)
{
  guint selected = adw_combo_row_get_selected (self->channel_row);

  if (self->filling || self->record == NULL || selected == self->record->channel)
    return;
  edit (self, "channel", motcua_channel_to_string ((MotcuaChannel) selected), NULL);
}

static void
priority_changed_cb (MotcuaCasePage *self)
{
  guint selected = adw_combo_row_get_selected (self->priority_row);

  if (self->filling || self->record == NULL || selected == self->record->priority)
    return;
  edit (self, "priority", motcua_priority_to_string ((MotcuaPriority) selected), NULL);
}

static void
star_clicked_cb (GtkButton      *button,
                 MotcuaCasePage *self)
{
  int rating = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "rating"));
  g_autofree char *value = NULL;

  if (self->record == NULL)
    return;
  value = g_strdup_printf ("%d", rating == self->record->rating ? 0 : rating);
  edit (self, "rating", value, NULL);
}

/* Workflow steps */

typedef struct
{
  MotcuaCasePage *self;
  MotcuaStatus    to;
  GtkEntry       *note;
  GtkEntry       *result;
  GtkDropDown    *via;
  GtkDropDown    *office;
  GPtrArray      *office_codes;
} StepDialog;

static void
step_dialog_free (gpointer pointer)
{
  StepDialog *dialog = pointer;

  g_clear_pointer (&dialog->office_codes, g_ptr_array_unref);
  g_free (dialog);
}

static void
step_response_cb (AdwMessageDialog *message,
                  const char       *response,
                  StepDialog       *dialog)
{
  MotcuaCasePage *self = dialog->self;
  g_autoptr(GError) error = NULL;
  const char *note;
  gboolean ok;

  if (g_strcmp0 (response, "apply") != 0 || self->record == NULL)
    return;

  note = gtk_editable_get_text (GTK_EDITABLE (dialog->note));
  if (dialog->office != NULL)
    {
      guint selected = gtk_drop_down_get_selected (dialog->office);

      if (selected >= dialog->office_codes->len)
        return;
      ok = motcua_replica_transfer_case (replica (self), self->record->id,
                                         g_ptr_array_index (dialog->office_codes, selected),
                                         *note != '\0' ? note : NULL, &error);
    }
  else
    {
      MotcuaStepOptions options = { 0 };

      options.note = *note != '\0' ? note : NULL;
      if (dialog->result != NULL)
        {
          const char *result = gtk_editable_get_text (GTK_EDITABLE (dialog->result));

          options.result = *result != '\0' ? result : NULL;
        }
      if (dialog->via != NULL)
        options.returned_via = (MotcuaChannel) gtk_drop_down_get_selected (dialog->via);
      ok = motcua_replica_advance_case (replica (self), self->record->id, dialog->to, &options,
                                        &error);
    }

  if (!ok)
    {
      motcua_window_toast (GTK_WIDGET (self), error->message);
      return;
    }
  reload (self);
  connect_papers (self);
  motcua_session_changed (self->session);
}

static GtkEntry *
dialog_entry (GtkBox     *box,
              const char *placeholder)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_box_append (box, entry);
  return GTK_ENTRY (entry);
}

static void
run_dialog (MotcuaCasePage *self,
            StepDialog     *dialog,
            const char     *heading,
            const char     *body,
            const char     *apply_label,
            GtkWidget      *extra)
{
  GtkWidget *message = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                               heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (message),
                                    "cancel", _("_Cancel"),
                                    "apply", apply_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (message), "apply",
                                              dialog->to == MOTCUA_STATUS_CANCELLED
                                              || dialog->to == MOTCUA_STATUS_REFUSED
                                              ? ADW_RESPONSE_DESTRUCTIVE
                                              : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (message), "apply");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (message), "cancel");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (message), extra);
  g_signal_connect_data (message, "response", G_CALLBACK (step_response_cb), dialog,
                         (GClosureNotify) (void (*) (void)) step_dialog_free, 0);
  gtk_window_present (GTK_WINDOW (message));
}

static void
step_clicked_cb (GtkButton      *button,
                 MotcuaCasePage *self)
{
  StepDialog *dialog = g_new0 (StepDialog, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  g_autofree char *body = NULL;

  dialog->self = self;
  dialog->to = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "status"));

  if (dialog->to == MOTCUA_STATUS_APPROVED || dialog->to == MOTCUA_STATUS_REFUSED)
    dialog->result = dialog_entry (GTK_BOX (box), dialog->to == MOTCUA_STATUS_APPROVED
                                                  ? _("Document issued, e.g. Giấy khai sinh")
                                                  : _("Reason for refusal"));
  if (dialog->to == MOTCUA_STATUS_RETURNED)
    {
      dialog->via = GTK_DROP_DOWN (gtk_drop_down_new (motcua_format_channel_model (), NULL));
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (dialog->via));
    }
  dialog->note = dialog_entry (GTK_BOX (box), _("Note for the timeline (optional)"));

  /* Translators: "Dossier LC.NN.NM-2026-000001: Received → In processing". */
  body = g_strdup_printf (_("Dossier %s: %s → %s"), self->record->receipt_no,
                          motcua_format_status (self->record->status),
                          motcua_format_status (dialog->to));
  run_dialog (self, dialog, motcua_format_step (dialog->to), body,
              motcua_format_step (dialog->to), box);
}

static void
transfer_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  MotcuaCasePage *self = MOTCUA_CASE_PAGE (widget);
  StepDialog *dialog;
  GtkWidget *box;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) offices = NULL;
  g_autofree char *body = NULL;

  if (self->record == NULL)
    return;
  offices = motcua_replica_list_offices (replica (self), NULL);
  dialog = g_new0 (StepDialog, 1);
  dialog->self = self;
  dialog->to = MOTCUA_N_STATUSES;
  dialog->office_codes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; offices != NULL && i < offices->len; i++)
    {
      MotcuaOffice *office = g_ptr_array_index (offices, i);

      if (g_strcmp0 (office->code, self->record->handling_office) == 0)
        continue;
      gtk_string_list_append (names, office->name);
      g_ptr_array_add (dialog->office_codes, g_strdup (office->code));
    }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  dialog->office = GTK_DROP_DOWN (gtk_drop_down_new (g_object_ref (G_LIST_MODEL (names)), NULL));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (dialog->office));
  dialog->note = dialog_entry (GTK_BOX (box), _("Note for the timeline (optional)"));
  body = g_strdup_printf (_("Hand dossier %s to another office (inter-office one-stop)"),
                          self->record->receipt_no);
  run_dialog (self, dialog, _("Transfer the Dossier"), body, _("_Transfer"), box);
}

/* The apology */

typedef struct
{
  MotcuaCasePage *self;
  GtkEntry       *date;
  GtkEntry       *reason;
} ApologyDialog;

static void
apology_response_cb (AdwMessageDialog *message,
                     const char       *response,
                     ApologyDialog    *dialog)
{
  MotcuaCasePage *self = dialog->self;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "apply") != 0 || self->record == NULL)
    return;
  if (!motcua_replica_apologise_case (replica (self), self->record->id,
                                      gtk_editable_get_text (GTK_EDITABLE (dialog->date)),
                                      gtk_editable_get_text (GTK_EDITABLE (dialog->reason)),
                                      &error))
    {
      motcua_window_toast (GTK_WIDGET (self), error->message);
      return;
    }
  reload (self);
  connect_papers (self);
  motcua_session_changed (self->session);
  motcua_window_toast (GTK_WIDGET (self), _("Apology recorded: print the slip for the applicant"));
}

static void
apologise_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MotcuaCasePage *self = MOTCUA_CASE_PAGE (widget);
  ApologyDialog *dialog;
  GtkWidget *message, *box;
  g_autofree char *today = NULL;
  g_autofree char *suggested = NULL;
  g_autofree char *due = NULL;
  g_autofree char *body = NULL;

  if (self->record == NULL)
    return;
  /* A week of working days past the later of the due date and today, to start from. */
  today = motcua_session_dup_today (self->session);
  suggested = working_days_after (self, g_strcmp0 (self->record->due_date, today) > 0
                                        ? self->record->due_date : today, 5);
  due = motcua_format_long_date (self->record->due_date);

  dialog = g_new0 (ApologyDialog, 1);
  dialog->self = self;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  dialog->date = dialog_entry (GTK_BOX (box), _("New date for the result (YYYY-MM-DD)"));
  gtk_editable_set_text (GTK_EDITABLE (dialog->date), suggested != NULL ? suggested : "");
  dialog->reason = dialog_entry (GTK_BOX (box), _("Reason, printed on the slip"));

  /* Translators: "Dossier LC.NN.NM-2026-000001 was due on Monday, 2 March 2026. …" */
  body = g_strdup_printf (_("Dossier %s was due on %s. Give the applicant a written apology "
                            "with a new date, a working day, and the reason."),
                          self->record->receipt_no, due);
  message = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                    _("Apologise and Set a New Date"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (message),
                                    "cancel", _("_Cancel"),
                                    "apply", _("_Record Apology"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (message), "apply",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (message), "apply");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (message), "cancel");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (message), box);
  /* For the tests, which fill them in. */
  g_object_set_data (G_OBJECT (message), "date-entry", dialog->date);
  g_object_set_data (G_OBJECT (message), "reason-entry", dialog->reason);
  g_signal_connect_data (message, "response", G_CALLBACK (apology_response_cb), dialog,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  gtk_window_present (GTK_WINDOW (message));
}

static MotcuaApologySlip *
make_slip (MotcuaCasePage  *self,
           GError         **error)
{
  if (self->record == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND, _("No dossier is shown"));
      return NULL;
    }
  return motcua_apology_slip_new_for_case (replica (self), self->record, error);
}

gboolean
motcua_case_page_save_apology_pdf (MotcuaCasePage  *self,
                                   const char      *path,
                                   GError         **error)
{
  g_autoptr(MotcuaApologySlip) slip = NULL;

  g_return_val_if_fail (MOTCUA_IS_CASE_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  slip = make_slip (self, error);
  return slip != NULL && motcua_apology_slip_save_pdf (slip, path, error);
}

static void
print_apology_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MotcuaCasePage *self = MOTCUA_CASE_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaApologySlip) slip = make_slip (self, &error);

  if (slip == NULL)
    {
      motcua_window_toast (widget, error->message);
      return;
    }
  motcua_apology_slip_print (slip, GTK_WINDOW (gtk_widget_get_root (widget)), 1);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[BACK], 0);
}

gboolean
motcua_case_page_show (MotcuaCasePage *self,
                       MotcuaSession  *session,
                       const char     *key)
{
  g_autoptr(GError) error = NULL;
  MotcuaCase *record;

  g_return_val_if_fail (MOTCUA_IS_CASE_PAGE (self), FALSE);
  g_return_val_if_fail (MOTCUA_IS_SESSION (session), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  g_set_object (&self->session, session);
  record = motcua_replica_dup_case (replica (self), key, &error);
  if (record == NULL)
    {
      motcua_window_toast (GTK_WIDGET (self), error->message);
      return FALSE;
    }
  g_clear_pointer (&self->record, motcua_case_free);
  self->record = record;
  g_clear_pointer (&self->procedure, motcua_procedure_free);
  self->procedure = motcua_replica_dup_procedure (replica (self), record->procedure_code, NULL);
  fill (self);
  connect_papers (self);
  motcua_attachments_group_show (self->attachments_group, session, record->id);
  return TRUE;
}

/* A scan was attached: the timeline says so, and the desk counts one more change to send. */
static void
attachments_changed_cb (MotcuaCasePage *self)
{
  if (self->record == NULL)
    return;
  reload (self);
  connect_papers (self);
  motcua_session_changed (self->session);
}

static void
motcua_case_page_dispose (GObject *object)
{
  MotcuaCasePage *self = MOTCUA_CASE_PAGE (object);

  /* AdwBin unparents its child itself. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MOTCUA_TYPE_CASE_PAGE);
  g_clear_object (&self->session);
  g_clear_pointer (&self->record, motcua_case_free);
  g_clear_pointer (&self->procedure, motcua_procedure_free);
  g_clear_pointer (&self->paper_rows, g_ptr_array_unref);
  g_clear_pointer (&self->event_rows, g_ptr_array_unref);
  g_clear_pointer (&self->paper_checks, g_ptr_array_unref);
  g_clear_pointer (&self->stars, g_ptr_array_unref);

  G_OBJECT_CLASS (motcua_case_page_parent_class)->dispose (object);
}

static void
motcua_case_page_class_init (MotcuaCasePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = motcua_case_page_dispose;

  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (MOTCUA_TYPE_ATTACHMENTS_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/motcua/Desk/motcua-case-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, sync_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, actions_group);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, steps_box);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, procedure_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, received_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, due_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, apologise_button);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, promised_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, office_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, receiving_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, channel_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, priority_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, result_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, rating_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, rating_box);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, name_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, citizen_id_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, address_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, papers_group);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, attachments_group);
  gtk_widget_class_bind_template_child (widget_class, MotcuaCasePage, timeline_group);
  gtk_widget_class_bind_template_callback (widget_class, field_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, channel_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, priority_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, attachments_changed_cb);

  gtk_widget_class_install_action (widget_class, "case.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "case.transfer", NULL, transfer_action);
  gtk_widget_class_install_action (widget_class, "case.apologise", NULL, apologise_action);
  gtk_widget_class_install_action (widget_class, "case.print-apology", NULL,
                                   print_apology_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "case.back",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "case.back", NULL);
}

static void
motcua_case_page_init (MotcuaCasePage *self)
{
  g_autoptr(GListModel) channels = motcua_format_channel_model ();
  g_autoptr(GListModel) priorities = motcua_format_priority_model ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->paper_rows = g_ptr_array_new ();
  self->event_rows = g_ptr_array_new ();
  self->paper_checks = g_ptr_array_new ();
  self->stars = g_ptr_array_new ();

  self->filling = TRUE;
  adw_combo_row_set_model (self->channel_row, channels);
  adw_combo_row_set_model (self->priority_row, priorities);
  self->filling = FALSE;

  for (int i = 1; i <= 5; i++)
    {
      GtkWidget *star = gtk_button_new_with_label ("☆");
      g_autofree char *tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d star",
                                                               "%d stars", i), i);

      g_object_set_data (G_OBJECT (star), "rating", GINT_TO_POINTER (i));
      gtk_widget_set_tooltip_text (star, tooltip);
      gtk_widget_add_css_class (star, "flat");
      g_signal_connect (star, "clicked", G_CALLBACK (star_clicked_cb), self);
      gtk_box_append (self->rating_box, star);
      g_ptr_array_add (self->stars, star);
    }
}
