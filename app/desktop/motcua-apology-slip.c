/* motcua-apology-slip.c: the apology for a late case, printed or saved as PDF
 *
 * The layout follows the form of the one-stop mechanism (phiếu xin lỗi và hẹn lại ngày trả kết
 * quả, Decree 61/2018/NĐ-CP art. 19, kept by Decree 118/2025/NĐ-CP): the heading of the
 * receipt, the title, the dossier, the date the result was due, the office's apology with its
 * reason, the new date, and the signature of the office.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-apology-slip.h"
#include "motcua-format.h"
#include "motcua-pdf.h"

void
motcua_apology_slip_free (MotcuaApologySlip *self)
{
  if (self == NULL)
    return;
  g_free (self->office_name);
  g_free (self->receipt_no);
  g_free (self->procedure_code);
  g_free (self->procedure_name);
  g_free (self->applicant_name);
  g_free (self->citizen_id);
  g_free (self->received_at);
  g_free (self->due_date);
  g_free (self->new_date);
  g_free (self->reason);
  g_free (self->officer);
  g_free (self->issued_at);
  g_free (self);
}

MotcuaApologySlip *
motcua_apology_slip_new_for_case (MotcuaReplica     *replica,
                                  const MotcuaCase  *record,
                                  GError           **error)
{
  g_autoptr(MotcuaOffice) office = NULL;
  g_autoptr(GPtrArray) events = NULL;
  const MotcuaCaseEvent *apology = NULL;
  MotcuaApologySlip *self;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (replica), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  events = motcua_replica_list_case_events (replica, record->id, error);
  if (events == NULL)
    return NULL;
  for (guint i = events->len; i > 0 && apology == NULL; i--)
    {
      const MotcuaCaseEvent *event = g_ptr_array_index (events, i - 1);

      if (g_strcmp0 (event->action, "apologised") == 0 && event->new_value != NULL)
        apology = event;
    }
  if (apology == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                   _("Dossier %s has no apology to print"), record->receipt_no);
      return NULL;
    }
  office = motcua_replica_dup_office (replica, record->receiving_office, NULL);

  self = g_new0 (MotcuaApologySlip, 1);
  self->office_name = g_strdup (office != NULL ? office->name : record->receiving_office);
  self->receipt_no = g_strdup (record->receipt_no);
  self->procedure_code = g_strdup (record->procedure_code);
  self->procedure_name = g_strdup (record->procedure_name);
  self->applicant_name = g_strdup (record->applicant_name);
  self->citizen_id = g_strdup (record->citizen_id);
  self->received_at = g_strdup (record->received_at);
  self->due_date = g_strdup (apology->due_date != NULL ? apology->due_date : record->due_date);
  self->new_date = g_strdup (apology->new_value);
  self->reason = g_strdup (apology->note);
  self->officer = g_strdup (apology->officer);
  self->issued_at = g_strdup (apology->at);
  return self;
}

void
motcua_apology_slip_draw (const MotcuaApologySlip *self,
                          cairo_t                 *cr,
                          double                   width,
                          double                   height)
{
  const double margin = 30;
  g_autofree char *markup = NULL;
  g_autofree char *received = NULL;
  g_autofree char *due = NULL;
  g_autofree char *new_date = NULL;
  g_autofree char *issued = NULL;
  g_autofree char *procedure = NULL;
  MotcuaPdfPen pen;
  double y, sign_x, sign_width;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  y = motcua_pdf_draw_heading (cr, self->office_name, margin, width);

  markup = g_markup_printf_escaped ("<b>%s</b>", _("APOLOGY AND NEW APPOINTMENT FOR THE "
                                                   "RESULT"));
  y += motcua_pdf_draw_text (cr, markup, 13, margin, y, width - 2 * margin,
                             PANGO_ALIGN_CENTER) + 2;
  g_clear_pointer (&markup, g_free);
  markup = g_markup_printf_escaped ("%s: <b>%s</b>", _("Dossier number"), self->receipt_no);
  y += motcua_pdf_draw_text (cr, markup, 11.5, margin, y, width - 2 * margin,
                             PANGO_ALIGN_CENTER) + 14;

  pen.cr = cr;
  pen.left = margin;
  pen.width = width - 2 * margin;
  pen.y = y;

  received = motcua_format_datetime (self->received_at);
  due = motcua_format_long_date (self->due_date);
  new_date = motcua_format_long_date (self->new_date);
  issued = motcua_format_datetime (self->issued_at);
  procedure = g_strdup_printf ("%s (%s)", self->procedure_name != NULL
                                          ? self->procedure_name : "",
                               self->procedure_code);

  motcua_pdf_pen_field (&pen, _("To"), self->applicant_name, TRUE);
  motcua_pdf_pen_field (&pen, _("Citizen ID"), self->citizen_id, FALSE);
  motcua_pdf_pen_field (&pen, _("Procedure"), procedure, TRUE);
  motcua_pdf_pen_field (&pen, _("Received at"), received, FALSE);
  motcua_pdf_pen_field (&pen, _("Result was due on"), due, FALSE);

  /* The apology, in the office's words, and why. */
  pen.y += 6;
  g_clear_pointer (&markup, g_free);
  markup = g_markup_escape_text (_("The office is sorry that the result of this dossier "
                                   "could not be ready on the date appointed, for this reason:"),
                                 -1);
  pen.y += motcua_pdf_draw_text (cr, markup, 11, pen.left, pen.y, pen.width,
                                 PANGO_ALIGN_LEFT) + 3;
  g_clear_pointer (&markup, g_free);
  markup = g_markup_printf_escaped ("<i>%s</i>", self->reason != NULL ? self->reason : "—");
  pen.y += motcua_pdf_draw_text (cr, markup, 11, pen.left + 14, pen.y, pen.width - 14,
                                 PANGO_ALIGN_LEFT) + 8;
  g_clear_pointer (&markup, g_free);
  markup = g_markup_printf_escaped ("%s:\n<b><big>%s</big></b>",
                                    _("The result will be returned on"), new_date);
  pen.y += motcua_pdf_draw_text (cr, markup, 12, pen.left, pen.y, pen.width,
                                 PANGO_ALIGN_CENTER) + 8;
  g_clear_pointer (&markup, g_free);
  markup = g_markup_escape_text (_("We apologise for the inconvenience and ask for your "
                                   "understanding."), -1);
  pen.y += motcua_pdf_draw_text (cr, markup, 11, pen.left, pen.y, pen.width,
                                 PANGO_ALIGN_LEFT) + 12;

  /* The date, and the signature of the office over its officer's name. */
  sign_width = (width - 2 * margin) * 0.55;
  sign_x = width - margin - sign_width;
  y = MAX (pen.y, height - margin - 120);
  g_clear_pointer (&markup, g_free);
  markup = g_markup_printf_escaped ("<i>%s</i>\n<b>%s</b>\n<i><small>%s</small></i>", issued,
                                    _("FOR THE OFFICE"), _("(signature and full name)"));
  motcua_pdf_draw_text (cr, markup, 10, sign_x, y, sign_width, PANGO_ALIGN_CENTER);
  g_clear_pointer (&markup, g_free);
  markup = g_markup_printf_escaped ("<b>%s</b>", self->officer != NULL ? self->officer : "");
  motcua_pdf_draw_text (cr, markup, 10.5, sign_x, y + 88, sign_width, PANGO_ALIGN_CENTER);

  cairo_restore (cr);
}

static void
draw_form (gconstpointer  form,
           cairo_t       *cr,
           double         width,
           double         height)
{
  motcua_apology_slip_draw (form, cr, width, height);
}

gboolean
motcua_apology_slip_save_pdf (const MotcuaApologySlip  *self,
                              const char               *path,
                              GError                  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return motcua_pdf_save_a5 (draw_form, self, self->receipt_no, path, error);
}

void
motcua_apology_slip_print (const MotcuaApologySlip *self,
                           GtkWindow               *parent,
                           int                      copies)
{
  g_autofree char *job = NULL;

  g_return_if_fail (self != NULL);

  job = g_strdup_printf (_("Apology %s"), self->receipt_no);
  motcua_pdf_print_a5 (draw_form, self, job, parent, copies);
}
