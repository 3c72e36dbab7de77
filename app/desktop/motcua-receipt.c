/* motcua-receipt.c: the receipt handed to the applicant, printed or saved as PDF
 *
 * The layout follows the receipt form of the one-stop mechanism (giấy tiếp nhận hồ sơ và hẹn trả
 * kết quả): the office and the national heading side by side, the title and the receipt number,
 * the applicant, the procedure, the papers received, when it was received and when the result is
 * due, a QR code of the receipt number and both signatures.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-format.h"
#include "motcua-pdf.h"
#include "motcua-qr.h"
#include "motcua-receipt.h"

void
motcua_receipt_free (MotcuaReceipt *self)
{
  if (self == NULL)
    return;
  g_free (self->office_name);
  g_free (self->receipt_no);
  g_free (self->procedure_code);
  g_free (self->procedure_name);
  g_free (self->applicant_name);
  g_free (self->citizen_id);
  g_free (self->phone);
  g_free (self->address);
  g_free (self->channel);
  g_strfreev (self->papers);
  g_free (self->received_at);
  g_free (self->due_date);
  g_free (self->officer);
  g_free (self);
}

MotcuaReceipt *
motcua_receipt_new_for_case (MotcuaReplica     *replica,
                             const MotcuaCase  *record,
                             GError           **error)
{
  g_autoptr(MotcuaProcedure) procedure = NULL;
  g_autoptr(MotcuaOffice) office = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GStrvBuilder) papers = g_strv_builder_new ();
  MotcuaReceipt *self;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (replica), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  procedure = motcua_replica_dup_procedure (replica, record->procedure_code, error);
  if (procedure == NULL)
    return NULL;
  office = motcua_replica_dup_office (replica, record->receiving_office, NULL);
  events = motcua_replica_list_case_events (replica, record->id, NULL);

  for (guint i = 0; record->papers != NULL && i < record->papers->len; i++)
    {
      guint index = g_array_index (record->papers, guint, i);

      if (procedure->documents != NULL && index < g_strv_length (procedure->documents))
        g_strv_builder_add (papers, procedure->documents[index]);
    }

  self = g_new0 (MotcuaReceipt, 1);
  self->office_name = g_strdup (office != NULL ? office->name : record->receiving_office);
  self->receipt_no = g_strdup (record->receipt_no);
  self->procedure_code = g_strdup (record->procedure_code);
  self->procedure_name = g_strdup (procedure->name);
  self->applicant_name = g_strdup (record->applicant_name);
  self->citizen_id = g_strdup (record->citizen_id);
  self->phone = g_strdup (record->phone);
  self->address = g_strdup (record->address);
  self->channel = g_strdup (motcua_format_channel (record->channel));
  self->papers = g_strv_builder_end (papers);
  self->received_at = g_strdup (record->received_at);
  self->due_date = g_strdup (record->due_date);
  self->processing_days = procedure->processing_days;
  self->time_unit = procedure->time_unit;
  if (events != NULL && events->len > 0)
    self->officer = g_strdup (((MotcuaCaseEvent *) g_ptr_array_index (events, 0))->officer);
  if (self->officer == NULL)
    self->officer = g_strdup (motcua_replica_get_officer (replica));
  return self;
}

/* Drawing */

void
motcua_receipt_draw (const MotcuaReceipt *self,
                     cairo_t             *cr,
                     double               width,
                     double               height)
{
  const double margin = 30;
  double y;
  g_autofree char *markup = NULL;
  g_autofree char *received = NULL;
  g_autofree char *due = NULL;
  g_autofree char *days = NULL;
  double qr_size = 84;
  MotcuaPdfPen pen;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  y = motcua_pdf_draw_heading (cr, self->office_name, margin, width);

  /* Title and number. */
  markup = g_markup_printf_escaped ("<b>%s</b>", _("RECEIPT OF DOSSIER AND APPOINTMENT "
                                                   "FOR THE RESULT"));
  y += motcua_pdf_draw_text (cr, markup, 13, margin, y, width - 2 * margin,
                             PANGO_ALIGN_CENTER) + 2;
  g_clear_pointer (&markup, g_free);
  markup = g_markup_printf_escaped ("%s: <b>%s</b>", _("Dossier number"), self->receipt_no);
  y += motcua_pdf_draw_text (cr, markup, 11.5, margin, y, width - 2 * margin,
                             PANGO_ALIGN_CENTER) + 14;

  /* The body. */
  pen.cr = cr;
  pen.left = margin;
  pen.width = width - 2 * margin;
  pen.y = y;

  received = motcua_format_datetime (self->received_at);
  due = motcua_format_long_date (self->due_date);
  days = motcua_format_days (self->processing_days, self->time_unit);

  motcua_pdf_pen_field (&pen, _("Received from"), self->applicant_name, TRUE);
  motcua_pdf_pen_field (&pen, _("Citizen ID"), self->citizen_id, FALSE);
  if (self->phone != NULL && *self->phone != '\0')
    motcua_pdf_pen_field (&pen, _("Phone"), self->phone, FALSE);
  if (self->address != NULL && *self->address != '\0')
    motcua_pdf_pen_field (&pen, _("Address"), self->address, FALSE);
  {
    g_autofree char *procedure = g_strdup_printf ("%s (%s)", self->procedure_name,
                                                  self->procedure_code);

    motcua_pdf_pen_field (&pen, _("Procedure"), procedure, TRUE);
  }
  motcua_pdf_pen_field (&pen, _("Submitted"), self->channel, FALSE);

  g_clear_pointer (&markup, g_free);
  markup = g_markup_printf_escaped ("%s:", _("Papers received"));
  pen.y += motcua_pdf_draw_text (cr, markup, 11, pen.left, pen.y, pen.width,
                                 PANGO_ALIGN_LEFT) + 2;
  if (self->papers == NULL || self->papers[0] == NULL)
    {
      g_clear_pointer (&markup, g_free);
      markup = g_markup_printf_escaped ("<i>%s</i>", _("none"));
      pen.y += motcua_pdf_draw_text (cr, markup, 11, pen.left + 14, pen.y, pen.width - 14,
                                     PANGO_ALIGN_LEFT) + 2;
    }
  for (guint i = 0; self->papers != NULL && self->papers[i] != NULL; i++)
    {
      g_clear_pointer (&markup, g_free);
      markup = g_markup_printf_escaped ("%u. %s", i + 1, self->papers[i]);
      pen.y += motcua_pdf_draw_text (cr, markup, 10.5, pen.left + 14, pen.y, pen.width - 14,
                                     PANGO_ALIGN_LEFT) + 1;
    }
  pen.y += 4;
  motcua_pdf_pen_field (&pen, _("Processing time"), days, FALSE);
  motcua_pdf_pen_field (&pen, _("Received at"), received, FALSE);
  motcua_pdf_pen_field (&pen, _("Result due on"), due, TRUE);

  /* The QR code of the receipt number, to look the dossier up. */
  y = MAX (pen.y + 10, height - margin - qr_size - 80);
  motcua_qr_draw (cr, self->receipt_no, margin - 6, y, qr_size);
  g_clear_pointer (&markup, g_free);
  markup = g_markup_printf_escaped ("<small>%s\n<b>%s</b></small>",
                                    _("Scan to look up the dossier"), self->receipt_no);
  motcua_pdf_draw_text (cr, markup, 9, margin - 6, y + qr_size, qr_size + 60, PANGO_ALIGN_LEFT);

  /* The signatures: the applicant's and the officer's. */
  {
    double sign_x = margin + qr_size + 10;
    double sign_width = (width - margin - sign_x) / 2;
    g_autofree char *applicant = NULL;
    g_autofree char *officer = NULL;

    applicant = g_markup_printf_escaped ("<b>%s</b>\n<i><small>%s</small></i>",
                                         _("APPLICANT"), _("(signature and full name)"));
    officer = g_markup_printf_escaped ("<b>%s</b>\n<i><small>%s</small></i>",
                                       _("RECEIVING OFFICER"), _("(signature and full name)"));
    motcua_pdf_draw_text (cr, applicant, 10, sign_x, y, sign_width, PANGO_ALIGN_CENTER);
    motcua_pdf_draw_text (cr, officer, 10, sign_x + sign_width, y, sign_width,
                          PANGO_ALIGN_CENTER);
    /* The names on one line, below room to sign. */
    g_clear_pointer (&applicant, g_free);
    g_clear_pointer (&officer, g_free);
    applicant = g_markup_printf_escaped ("<b>%s</b>", self->applicant_name);
    officer = g_markup_printf_escaped ("<b>%s</b>", self->officer != NULL ? self->officer : "");
    motcua_pdf_draw_text (cr, applicant, 10.5, sign_x, y + qr_size - 4, sign_width,
                          PANGO_ALIGN_CENTER);
    motcua_pdf_draw_text (cr, officer, 10.5, sign_x + sign_width, y + qr_size - 4, sign_width,
                          PANGO_ALIGN_CENTER);
  }

  cairo_restore (cr);
}

static void
draw_form (gconstpointer  form,
           cairo_t       *cr,
           double         width,
           double         height)
{
  motcua_receipt_draw (form, cr, width, height);
}

gboolean
motcua_receipt_save_pdf (const MotcuaReceipt  *self,
                         const char           *path,
                         GError              **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return motcua_pdf_save_a5 (draw_form, self, self->receipt_no, path, error);
}

void
motcua_receipt_print (const MotcuaReceipt *self,
                      GtkWindow           *parent,
                      int                  copies)
{
  g_autofree char *job = NULL;

  g_return_if_fail (self != NULL);

  job = g_strdup_printf (_("Receipt %s"), self->receipt_no);
  motcua_pdf_print_a5 (draw_form, self, job, parent, copies);
}
