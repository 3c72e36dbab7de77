/* motcua-reception-page.c: receiving a dossier at the desk, keyboard first
 *
 * The officer types the procedure (accents optional), picks it with Enter, ticks the papers,
 * types the applicant (checked as typed), sees the due date, and saves with Ctrl+Enter: the
 * receipt number comes back at once, ready to print (Ctrl+P) or save as PDF.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-application.h"
#include "motcua-cases-page.h"
#include "motcua-format.h"
#include "motcua-receipt.h"
#include "motcua-reception-page.h"
#include "motcua-window.h"

#define N_RESULTS 8

struct _MotcuaReceptionPage
{
  AdwBin           parent_instance;

  MotcuaSession   *session;
  MotcuaProcedure *procedure;     /* the one chosen, or NULL */
  GPtrArray       *results;       /* MotcuaProcedure, as listed */
  GPtrArray       *paper_checks;  /* GtkCheckButton, one per document */
  GPtrArray       *deciding;      /* codes of the offices deciding_row offers, or empty */
  MotcuaCase      *saved;         /* the last dossier received, for its receipt */
  gboolean         tried;         /* a save was attempted: show every missing field */

  GtkScrolledWindow *scroller;
  GtkRevealer     *done_revealer;
  GtkLabel        *receipt_label;
  GtkLabel        *receipt_detail_label;
  GtkSearchEntry  *procedure_entry;
  GtkListBox      *procedure_list;
  GtkWidget       *procedure_empty_label;
  GtkWidget       *procedure_card;
  GtkLabel        *procedure_name_label;
  GtkLabel        *procedure_detail_label;
  GtkWidget       *papers_group;
  GtkListBox      *papers_list;
  AdwEntryRow     *name_row;
  AdwEntryRow     *citizen_id_row;
  AdwEntryRow     *phone_row;
  AdwEntryRow     *address_row;
  GtkLabel        *applicant_error_label;
  AdwComboRow     *deciding_row;
  AdwComboRow     *return_row;    /* 0: at this desk, 1: by the deciding office */
  AdwComboRow     *channel_row;
  AdwComboRow     *priority_row;
  AdwEntryRow     *note_row;
  AdwActionRow    *due_row;
};

G_DEFINE_FINAL_TYPE (MotcuaReceptionPage, motcua_reception_page, ADW_TYPE_BIN)

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static char *
stripped (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (row_text (row)));
}

/* Validation as typed */

/* Checks the applicant; marks the rows in error and says what is wrong. With @all, missing
 * required fields count too (after a save was tried). Returns TRUE when all is well. */
static gboolean
validate (MotcuaReceptionPage *self,
          gboolean             all)
{
  g_autoptr(GString) messages = g_string_new (NULL);
  g_autofree char *name = stripped (self->name_row);
  g_autofree char *citizen_id = stripped (self->citizen_id_row);
  g_autofree char *phone = stripped (self->phone_row);
  gboolean name_bad = FALSE, id_bad = FALSE, phone_bad = FALSE;

  if (all && *name == '\0')
    {
      name_bad = TRUE;
      g_string_append_printf (messages, "%s\n", _("The applicant's full name is required."));
    }

  if (*citizen_id != '\0' || all)
    {
      g_autoptr(GError) error = NULL;

      if (*citizen_id == '\0')
        {
          id_bad = TRUE;
          g_string_append_printf (messages, "%s\n", _("The citizen ID is required."));
        }
      else if (!motcua_check_citizen_id (_("citizen ID"), citizen_id, &error))
        {
          /* While typing, fewer than 12 digits is not yet an error. */
          gboolean typing = !all && strlen (citizen_id) < 12
                            && strspn (citizen_id, "0123456789") == strlen (citizen_id);

          if (!typing)
            {
              id_bad = TRUE;
              g_string_append_printf (messages, _("The citizen ID must be exactly 12 digits "
                                                  "(it has %u characters).\n"),
                                      (guint) g_utf8_strlen (citizen_id, -1));
            }
        }
    }

  if (*phone != '\0')
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = motcua_normalize_phone (_("phone"), phone, &error);
      gsize digits = 0;

      for (const char *p = phone; *p != '\0'; p++)
        digits += g_ascii_isdigit (*p);
      if (normalized == NULL && (all || digits >= 10))
        {
          phone_bad = TRUE;
          g_string_append_printf (messages, "%s\n",
                                  _("The phone number is not a Vietnamese number: a mobile "
                                    "starts with 03, 05, 07, 08 or 09, a landline with 02, "
                                    "with 10 or 11 digits."));
        }
    }

  if (name_bad)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  if (id_bad)
    gtk_widget_add_css_class (GTK_WIDGET (self->citizen_id_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->citizen_id_row), "error");
  if (phone_bad)
    gtk_widget_add_css_class (GTK_WIDGET (self->phone_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->phone_row), "error");

  if (messages->len > 0)
    g_string_truncate (messages, messages->len - 1);
  gtk_label_set_label (self->applicant_error_label, messages->str);
  gtk_widget_set_visible (GTK_WIDGET (self->applicant_error_label), messages->len > 0);

  return !name_bad && !id_bad && !phone_bad && *name != '\0' && *citizen_id != '\0';
}

static void
applicant_changed_cb (MotcuaReceptionPage *self)
{
  validate (self, self->tried);
}

/* The due date */

static char *
now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return motcua_datetime_from_unix_ms (g_date_time_to_unix (now) * 1000);
}

static void
update_due_date (MotcuaReceptionPage *self)
{
  g_autofree char *received_at = NULL;
  g_autofree char *due = NULL;
  g_autofree char *long_date = NULL;
  g_autofree char *days = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(GError) error = NULL;

  if (self->procedure == NULL || self->session == NULL)
    {
      adw_action_row_set_subtitle (self->due_row, _("Choose a procedure first"));
      return;
    }

  received_at = now_iso ();
  due = motcua_replica_compute_due_date_for_channel (
    motcua_session_get_replica (self->session), self->procedure->code, received_at,
    (MotcuaChannel) adw_combo_row_get_selected (self->channel_row), &error);
  if (due == NULL)
    {
      adw_action_row_set_subtitle (self->due_row, error->message);
      return;
    }
  long_date = motcua_format_long_date (due);
  days = motcua_format_days (self->procedure->processing_days,
                             self->procedure->time_unit);
  subtitle = g_strdup_printf ("<b>%s</b> · %s", long_date, days);
  adw_action_row_set_subtitle (self->due_row, subtitle);
}

/* Procedures */

static void
clear_results (MotcuaReceptionPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->procedure_list))) != NULL)
    gtk_list_box_remove (self->procedure_list, child);
  g_ptr_array_set_size (self->results, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->procedure_list), FALSE);
  gtk_widget_set_visible (self->procedure_empty_label, FALSE);
}

static char *
procedure_summary (const MotcuaProcedure *procedure,
                   gboolean               markup)
{
  g_autofree char *days = motcua_format_days (procedure->processing_days, procedure->time_unit);
  g_autofree char *fee = motcua_format_fee (procedure->fee);

  if (markup)
    return g_markup_printf_escaped ("%s · %s · <b>%s</b> · %s · %s", procedure->code,
                                    procedure->sector, days, fee,
                                    procedure->online_full ? _("full online service")
                                                           : _("partial online service"));
  return g_strdup_printf ("%s · %s · %s", procedure->code, procedure->sector, days);
}

static void
clear_papers (MotcuaReceptionPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->papers_list))) != NULL)
    gtk_list_box_remove (self->papers_list, child);
  g_ptr_array_set_size (self->paper_checks, 0);
}

/* A procedure this desk's office does not decide goes to an office that does (Decree
 * 118/2025/NĐ-CP): the officer picks it among the offices of a deciding level in force today. */
static void
offer_deciding_offices (MotcuaReceptionPage   *self,
                        const MotcuaProcedure *procedure)
{
  MotcuaReplica *replica = motcua_session_get_replica (self->session);
  g_autoptr(MotcuaOffice) own = NULL;
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *today = NULL;

  g_ptr_array_set_size (self->deciding, 0);
  if (procedure != NULL && replica != NULL)
    own = motcua_replica_dup_office (replica, motcua_replica_get_office_code (replica), NULL);
  if (own != NULL && (procedure->levels & (1u << own->level)) == 0)
    {
      offices = motcua_replica_list_offices (replica, NULL);
      today = motcua_replica_dup_today (replica);
    }
  for (guint i = 0; offices != NULL && i < offices->len; i++)
    {
      const MotcuaOffice *office = g_ptr_array_index (offices, i);
      g_autofree char *name = NULL;

      if ((procedure->levels & (1u << office->level)) == 0
          || !motcua_office_in_force (office, today))
        continue;
      name = g_strdup_printf ("%s (%s)", office->name, office->code);
      gtk_string_list_append (names, name);
      g_ptr_array_add (self->deciding, g_strdup (office->code));
    }
  adw_combo_row_set_model (self->deciding_row, G_LIST_MODEL (names));
  gtk_widget_set_visible (GTK_WIDGET (self->deciding_row), self->deciding->len > 0);
}

static void
set_procedure (MotcuaReceptionPage   *self,
               const MotcuaProcedure *procedure)
{
  offer_deciding_offices (self, procedure);
  g_clear_pointer (&self->procedure, motcua_procedure_free);
  clear_papers (self);

  if (procedure == NULL)
    {
      gtk_widget_set_visible (self->procedure_card, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->procedure_entry), TRUE);
      gtk_widget_set_visible (self->papers_group, FALSE);
      update_due_date (self);
      return;
    }

  self->procedure = motcua_procedure_copy (procedure);
  {
    g_autofree char *detail = procedure_summary (procedure, TRUE);

    gtk_label_set_label (self->procedure_name_label, procedure->name);
    gtk_label_set_label (self->procedure_detail_label, detail);
  }

  for (guint i = 0; procedure->documents != NULL && procedure->documents[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), procedure->documents[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (self->papers_list, row);
      g_ptr_array_add (self->paper_checks, check);
    }

  gtk_widget_set_visible (self->papers_group, self->paper_checks->len > 0);
  gtk_widget_set_visible (self->procedure_card, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->procedure_entry), FALSE);
  clear_results (self);
  update_due_date (self);
}

static void
procedure_search_changed_cb (MotcuaReceptionPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (
                                                  GTK_EDITABLE (self->procedure_entry))));
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *today = NULL;

  clear_results (self);
  if (self->session == NULL || *text == '\0')
    return;
  today = motcua_session_dup_today (self->session);

  /* The catalogue has a few thousand procedures at most: searching it takes well under a
   * millisecond, so it runs as the officer types. */
  found = motcua_replica_search_procedures (motcua_session_get_replica (self->session), text,
                                            N_RESULTS, &error);
  if (found == NULL)
    {
      g_warning ("Procedure search failed: %s", error->message);
      return;
    }

  for (guint i = 0; i < found->len; i++)
    {
      MotcuaProcedure *procedure = g_ptr_array_index (found, i);
      GtkWidget *row = NULL;
      g_autofree char *subtitle = NULL;

      /* A version a reform ended (or one not yet in force) cannot take today's dossier: the
       * catalogue page still lists it. */
      if (!motcua_procedure_in_force (procedure, today))
        continue;
      row = adw_action_row_new ();
      subtitle = procedure_summary (procedure, FALSE);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), procedure->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_append (self->procedure_list, row);
      g_ptr_array_add (self->results, motcua_procedure_copy (procedure));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->procedure_list), self->results->len > 0);
  gtk_widget_set_visible (self->procedure_empty_label, self->results->len == 0);
}

static void
focus_after_procedure (MotcuaReceptionPage *self)
{
  if (self->paper_checks->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->paper_checks, 0));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
procedure_search_activate_cb (MotcuaReceptionPage *self)
{
  if (self->results->len == 0)
    return;
  set_procedure (self, g_ptr_array_index (self->results, 0));
  focus_after_procedure (self);
}

static void
procedure_row_activated_cb (MotcuaReceptionPage *self,
                            GtkListBoxRow       *row)
{
  int index = gtk_list_box_row_get_index (row);

  if (index < 0 || (guint) index >= self->results->len)
    return;
  set_procedure (self, g_ptr_array_index (self->results, index));
  focus_after_procedure (self);
}

/* Down in the search entry goes to the results. */
static gboolean
procedure_key_pressed_cb (GtkEventControllerKey *controller,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          MotcuaReceptionPage   *self)
{
  GtkListBoxRow *first;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;
  first = gtk_list_box_get_row_at_index (self->procedure_list, 0);
  if (first == NULL)
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (first));
  return TRUE;
}

static void
change_procedure_clicked_cb (MotcuaReceptionPage *self)
{
  set_procedure (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->procedure_entry));
  procedure_search_changed_cb (self);
}

static void
all_papers_clicked_cb (MotcuaReceptionPage *self)
{
  for (guint i = 0; i < self->paper_checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->paper_checks, i), TRUE);
}

/* Saving */

static GSettings *
get_settings (MotcuaReceptionPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root))
                                             : NULL;

  return MOTCUA_IS_APPLICATION (app) ? motcua_application_get_settings (MOTCUA_APPLICATION (app))
                                     : NULL;
}

static void
update_actions (MotcuaReceptionPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reception.print", self->saved != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reception.save-pdf", self->saved != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reception.open-case", self->saved != NULL);
}

static void
show_saved (MotcuaReceptionPage *self)
{
  g_autofree char *due = motcua_format_long_date (self->saved->due_date);
  g_autofree char *detail = NULL;

  gtk_label_set_label (self->receipt_label, self->saved->receipt_no);
  detail = g_strdup_printf (_("%s · %s · result due %s"), self->saved->applicant_name,
                            self->saved->procedure_name, due);
  gtk_label_set_label (self->receipt_detail_label, detail);
  gtk_revealer_set_reveal_child (self->done_revealer, TRUE);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MotcuaReceptionPage *self = MOTCUA_RECEPTION_PAGE (widget);
  MotcuaReception reception = { 0 };
  g_autoptr(GArray) papers = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) record = NULL;
  g_autofree char *name = NULL;
  g_autofree char *citizen_id = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *address = NULL;
  g_autofree char *note = NULL;

  if (self->session == NULL)
    return;

  self->tried = TRUE;
  if (self->procedure == NULL)
    {
      motcua_window_toast (widget, _("Choose the procedure first"));
      gtk_widget_grab_focus (GTK_WIDGET (self->procedure_entry));
      return;
    }
  if (!validate (self, TRUE))
    {
      gtk_widget_grab_focus (GTK_WIDGET (gtk_widget_has_css_class (GTK_WIDGET (self->name_row),
                                                                   "error")
                                         ? self->name_row : self->citizen_id_row));
      return;
    }

  for (guint i = 0; i < self->paper_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->paper_checks, i)))
      g_array_append_val (papers, i);

  name = stripped (self->name_row);
  citizen_id = stripped (self->citizen_id_row);
  phone = stripped (self->phone_row);
  address = stripped (self->address_row);
  note = stripped (self->note_row);

  reception.procedure_code = self->procedure->code;
  if (self->deciding->len > 0)
    {
      reception.deciding_office =
        g_ptr_array_index (self->deciding, MIN (adw_combo_row_get_selected (self->deciding_row),
                                                self->deciding->len - 1));
      reception.return_at_deciding = adw_combo_row_get_selected (self->return_row) == 1;
    }
  reception.applicant_name = name;
  reception.citizen_id = citizen_id;
  reception.phone = *phone != '\0' ? phone : NULL;
  reception.address = *address != '\0' ? address : NULL;
  reception.channel = (MotcuaChannel) adw_combo_row_get_selected (self->channel_row);
  reception.priority = (MotcuaPriority) adw_combo_row_get_selected (self->priority_row);
  reception.papers = (const guint *) (gpointer) papers->data;
  reception.n_papers = papers->len;
  reception.note = *note != '\0' ? note : NULL;

  /* One durable write whose cost does not grow with the number of cases. */
  record = motcua_replica_receive (motcua_session_get_replica (self->session), &reception,
                                   &error);
  if (record == NULL)
    {
      gtk_label_set_label (self->applicant_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->applicant_error_label), TRUE);
      return;
    }

  g_clear_pointer (&self->saved, motcua_case_free);
  self->saved = g_steal_pointer (&record);
  self->tried = FALSE;
  update_actions (self);
  show_saved (self);
  motcua_session_changed (self->session);
}

static MotcuaReceipt *
make_receipt (MotcuaReceptionPage *self)
{
  g_autoptr(GError) error = NULL;
  MotcuaReceipt *receipt;

  if (self->saved == NULL || self->session == NULL)
    return NULL;
  receipt = motcua_receipt_new_for_case (motcua_session_get_replica (self->session), self->saved,
                                         &error);
  if (receipt == NULL)
    motcua_window_toast (GTK_WIDGET (self), error->message);
  return receipt;
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MotcuaReceptionPage *self = MOTCUA_RECEPTION_PAGE (widget);
  g_autoptr(MotcuaReceipt) receipt = make_receipt (self);
  GSettings *settings = get_settings (self);

  if (receipt == NULL)
    return;
  motcua_receipt_print (receipt, GTK_WINDOW (gtk_widget_get_root (widget)),
                        settings != NULL ? g_settings_get_int (settings, "receipt-copies") : 1);
}

static void
save_pdf_response_cb (GtkNativeDialog     *dialog,
                      int                  response,
                      MotcuaReceptionPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(MotcuaReceipt) receipt = make_receipt (self);
      g_autoptr(GError) error = NULL;

      if (receipt != NULL && path != NULL)
        {
          if (!motcua_receipt_save_pdf (receipt, path, &error))
            motcua_window_toast (GTK_WIDGET (self), error->message);
          else
            motcua_window_toast (GTK_WIDGET (self), _("Receipt saved"));
        }
    }
  g_object_unref (dialog);
}

static void
save_pdf_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  MotcuaReceptionPage *self = MOTCUA_RECEPTION_PAGE (widget);
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  if (self->saved == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Save the Receipt"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  name = g_strdup_printf ("%s.pdf", self->saved->receipt_no);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_pdf_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_case_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MotcuaReceptionPage *self = MOTCUA_RECEPTION_PAGE (widget);
  GtkWidget *window = gtk_widget_get_ancestor (widget, MOTCUA_TYPE_WINDOW);
  GtkWidget *cases;

  if (self->saved == NULL || window == NULL)
    return;
  cases = motcua_window_get_page (MOTCUA_WINDOW (window), "cases");
  motcua_window_show_page (MOTCUA_WINDOW (window), "cases");
  motcua_cases_page_show_case (MOTCUA_CASES_PAGE (cases), self->saved->id);
}

static void
select_procedure_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  MotcuaReceptionPage *self = MOTCUA_RECEPTION_PAGE (widget);
  g_autoptr(MotcuaProcedure) procedure = NULL;
  g_autoptr(GError) error = NULL;

  if (self->session == NULL)
    return;
  procedure = motcua_replica_dup_procedure (motcua_session_get_replica (self->session),
                                            g_variant_get_string (parameter, NULL), &error);
  if (procedure == NULL)
    {
      motcua_window_toast (widget, error->message);
      return;
    }
  set_procedure (self, procedure);
  focus_after_procedure (self);
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  motcua_reception_page_reset (MOTCUA_RECEPTION_PAGE (widget));
}

void
motcua_reception_page_reset (MotcuaReceptionPage *self)
{
  g_return_if_fail (MOTCUA_IS_RECEPTION_PAGE (self));

  self->tried = FALSE;
  set_procedure (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->procedure_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->citizen_id_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->phone_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), "");
  adw_combo_row_set_selected (self->channel_row, MOTCUA_CHANNEL_COUNTER);
  adw_combo_row_set_selected (self->priority_row, MOTCUA_PRIORITY_NONE);
  adw_combo_row_set_selected (self->return_row, 0);
  gtk_revealer_set_reveal_child (self->done_revealer, FALSE);
  validate (self, FALSE);
  motcua_reception_page_focus_search (self);
}

void
motcua_reception_page_focus_search (MotcuaReceptionPage *self)
{
  g_return_if_fail (MOTCUA_IS_RECEPTION_PAGE (self));

  if (self->procedure != NULL)
    set_procedure (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->procedure_entry));
}

void
motcua_reception_page_set_session (MotcuaReceptionPage *self,
                                   MotcuaSession       *session)
{
  g_return_if_fail (MOTCUA_IS_RECEPTION_PAGE (self));

  if (!g_set_object (&self->session, session))
    return;
  g_clear_pointer (&self->saved, motcua_case_free);
  update_actions (self);
  motcua_reception_page_reset (self);
}

static void
motcua_reception_page_dispose (GObject *object)
{
  MotcuaReceptionPage *self = MOTCUA_RECEPTION_PAGE (object);

  /* AdwBin unparents its child itself. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MOTCUA_TYPE_RECEPTION_PAGE);
  g_clear_object (&self->session);
  g_clear_pointer (&self->procedure, motcua_procedure_free);
  g_clear_pointer (&self->saved, motcua_case_free);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->paper_checks, g_ptr_array_unref);
  g_clear_pointer (&self->deciding, g_ptr_array_unref);

  G_OBJECT_CLASS (motcua_reception_page_parent_class)->dispose (object);
}

static void
motcua_reception_page_class_init (MotcuaReceptionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = motcua_reception_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/motcua/Desk/motcua-reception-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, deciding_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, return_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, done_revealer);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, receipt_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, receipt_detail_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, procedure_entry);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, procedure_list);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, procedure_empty_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, procedure_card);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, procedure_name_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage,
                                        procedure_detail_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, papers_group);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, papers_list);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, citizen_id_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage,
                                        applicant_error_label);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, channel_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, priority_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, note_row);
  gtk_widget_class_bind_template_child (widget_class, MotcuaReceptionPage, due_row);
  gtk_widget_class_bind_template_callback (widget_class, procedure_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, procedure_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, procedure_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, change_procedure_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, all_papers_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, applicant_changed_cb);

  gtk_widget_class_install_action (widget_class, "reception.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "reception.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "reception.save-pdf", NULL, save_pdf_action);
  gtk_widget_class_install_action (widget_class, "reception.open-case", NULL, open_case_action);
  gtk_widget_class_install_action (widget_class, "reception.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "reception.select-procedure", "s",
                                   select_procedure_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "reception.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "reception.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "reception.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "reception.save-pdf", NULL);
}

static void
motcua_reception_page_init (MotcuaReceptionPage *self)
{
  GtkEventController *keys;
  g_autoptr(GListModel) channels = motcua_format_channel_model ();
  g_autoptr(GListModel) priorities = motcua_format_priority_model ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) motcua_procedure_free);
  self->paper_checks = g_ptr_array_new ();
  self->deciding = g_ptr_array_new_with_free_func (g_free);

  adw_combo_row_set_model (self->channel_row, channels);
  adw_combo_row_set_model (self->priority_row, priorities);
  /* An online dossier after the cut-off counts from the next working day. */
  g_signal_connect_swapped (self->channel_row, "notify::selected",
                            G_CALLBACK (update_due_date), self);

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (procedure_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->procedure_entry), keys);

  update_actions (self);
}
