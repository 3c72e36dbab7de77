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

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "motcua-format.h"
#include "motcua-pdf.h"
#include "motcua-qr.h"
#include "motcua-receipt.h"

#define FONT_FAMILY "Liberation Serif, Tinos, DejaVu Serif, Serif"

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

typedef struct
{
  cairo_t *cr;
  double   left;
  double   width;
  double   y;
} Pen;

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *markup,
             double      size,
             double      width,
             PangoAlignment alignment)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_markup (layout, markup, -1);
  return layout;
}

/* Draws @markup at (@x, @y) in a box @width wide; returns its height. */
static double
draw_text (cairo_t        *cr,
           const char     *markup,
           double          size,
           double          x,
           double          y,
           double          width,
           PangoAlignment  alignment)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, markup, size, width, alignment);
  int height;

  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

/* A labelled line of the body: "Label: value". */
static void
pen_field (Pen        *pen,
           const char *label,
           const char *value,
           gboolean    bold)
{
  g_autofree char *markup = g_markup_printf_escaped (bold ? "%s: <b>%s</b>" : "%s: %s",
                                                     label, value != NULL && *value != '\0'
                                                            ? value : "—");

  pen->y += draw_text (pen->cr, markup, 11, pen->left, pen->y, pen->width, PANGO_ALIGN_LEFT) + 3;
}

static void
underline (cairo_t *cr,
           double   center,
           double   y,
           double   length)
{
  cairo_save (cr);
  cairo_set_line_width (cr, 0.6);
  cairo_move_to (cr, center - length / 2, y);
  cairo_line_to (cr, center + length / 2, y);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
motcua_receipt_draw (const MotcuaReceipt *self,
                     cairo_t             *cr,
                     double               width,
                     double               height)
{
  const double margin = 30;
  double left_column = (width - 2 * margin) * 0.38;
  double right_column = (width - 2 * margin) - left_column;
  double y = margin;
  double h_left, h_right;
  g_autofree char *office_upper = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *received = NULL;
  g_autofree char *due = NULL;
  g_autofree char *days = NULL;
  double qr_size = 84;
  Pen pen;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);

  /* The office, and the national heading (always in Vietnamese: it is the form's). */
  office_upper = g_utf8_strup (self->office_name, -1);
  markup = g_markup_printf_escaped ("%s\n<b>%s</b>", office_upper,
                                    _("ONE-STOP RECEPTION AND RESULTS DESK"));
  h_left = draw_text (cr, markup, 8.5, margin, y, left_column, PANGO_ALIGN_CENTER);
  h_right = draw_text (cr, "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>\n"
                           "<b>Độc lập - Tự do - Hạnh phúc</b>",
                       8, margin + left_column, y, right_column, PANGO_ALIGN_CENTER);
  underline (cr, margin + left_column / 2, y + h_left + 3, 50);
  underline (cr, margin + left_column + right_column / 2, y + h_right + 3, 110);
  y += MAX (h_left, h_right) + 22;

  /* Title and number. */
  g_clear_pointer (&markup, g_free);
  markup = g_markup_printf_escaped ("<b>%s</b>", _("RECEIPT OF DOSSIER AND APPOINTMENT "
                                                   "FOR THE RESULT"));
  y += draw_text (cr, markup, 13, margin, y, width - 2 * margin, PANGO_ALIGN_CENTER) + 2;
  g_clear_pointer (&markup, g_free);
  markup = g_markup_printf_escaped ("%s: <b>%s</b>", _("Dossier number"), self->receipt_no);
  y += draw_text (cr, markup, 11.5, margin, y, width - 2 * margin, PANGO_ALIGN_CENTER) + 14;

  /* The body. */
  pen.cr = cr;
  pen.left = margin;
  pen.width = width - 2 * margin;
  pen.y = y;

  received = motcua_format_datetime (self->received_at);
  due = motcua_format_long_date (self->due_date);
  days = motcua_format_days (self->processing_days, self->time_unit);

  pen_field (&pen, _("Received from"), self->applicant_name, TRUE);
  pen_field (&pen, _("Citizen ID"), self->citizen_id, FALSE);
  if (self->phone != NULL && *self->phone != '\0')
    pen_field (&pen, _("Phone"), self->phone, FALSE);
  if (self->address != NULL && *self->address != '\0')
    pen_field (&pen, _("Address"), self->address, FALSE);
  {
    g_autofree char *procedure = g_strdup_printf ("%s (%s)", self->procedure_name,
                                                  self->procedure_code);

    pen_field (&pen, _("Procedure"), procedure, TRUE);
  }
  pen_field (&pen, _("Submitted"), self->channel, FALSE);

  g_clear_pointer (&markup, g_free);
  markup = g_markup_printf_escaped ("%s:", _("Papers received"));
  pen.y += draw_text (cr, markup, 11, pen.left, pen.y, pen.width, PANGO_ALIGN_LEFT) + 2;
  if (self->papers == NULL || self->papers[0] == NULL)
    {
      g_clear_pointer (&markup, g_free);
      markup = g_markup_printf_escaped ("<i>%s</i>", _("none"));
      pen.y += draw_text (cr, markup, 11, pen.left + 14, pen.y, pen.width - 14,
                          PANGO_ALIGN_LEFT) + 2;
    }
  for (guint i = 0; self->papers != NULL && self->papers[i] != NULL; i++)
    {
      g_clear_pointer (&markup, g_free);
      markup = g_markup_printf_escaped ("%u. %s", i + 1, self->papers[i]);
      pen.y += draw_text (cr, markup, 10.5, pen.left + 14, pen.y, pen.width - 14,
                          PANGO_ALIGN_LEFT) + 1;
    }
  pen.y += 4;
  pen_field (&pen, _("Processing time"), days, FALSE);
  pen_field (&pen, _("Received at"), received, FALSE);
  pen_field (&pen, _("Result due on"), due, TRUE);

  /* The QR code of the receipt number, to look the dossier up. */
  y = MAX (pen.y + 10, height - margin - qr_size - 80);
  motcua_qr_draw (cr, self->receipt_no, margin - 6, y, qr_size);
  g_clear_pointer (&markup, g_free);
  markup = g_markup_printf_escaped ("<small>%s\n<b>%s</b></small>",
                                    _("Scan to look up the dossier"), self->receipt_no);
  draw_text (cr, markup, 9, margin - 6, y + qr_size, qr_size + 60, PANGO_ALIGN_LEFT);

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
    draw_text (cr, applicant, 10, sign_x, y, sign_width, PANGO_ALIGN_CENTER);
    draw_text (cr, officer, 10, sign_x + sign_width, y, sign_width, PANGO_ALIGN_CENTER);
    /* The names on one line, below room to sign. */
    g_clear_pointer (&applicant, g_free);
    g_clear_pointer (&officer, g_free);
    applicant = g_markup_printf_escaped ("<b>%s</b>", self->applicant_name);
    officer = g_markup_printf_escaped ("<b>%s</b>", self->officer != NULL ? self->officer : "");
    draw_text (cr, applicant, 10.5, sign_x, y + qr_size - 4, sign_width, PANGO_ALIGN_CENTER);
    draw_text (cr, officer, 10.5, sign_x + sign_width, y + qr_size - 4, sign_width,
               PANGO_ALIGN_CENTER);
  }

  cairo_restore (cr);
}

/* A5 portrait, in points. */
#define PAGE_WIDTH  419.53
#define PAGE_HEIGHT 595.28

gboolean
motcua_receipt_save_pdf (const MotcuaReceipt  *self,
                         const char           *path,
                         GError              **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  surface = cairo_pdf_surface_create (path, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->receipt_no);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Một Cửa");
  cr = cairo_create (surface);
  motcua_receipt_draw (self, cr, PAGE_WIDTH, PAGE_HEIGHT);

  return motcua_pdf_finish (cr, surface, path, error);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              gpointer           user_data)
{
  const MotcuaReceipt *self = user_data;
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  double scale = MIN (width / PAGE_WIDTH, height / PAGE_HEIGHT);

  cairo_save (cr);
  cairo_scale (cr, scale, scale);
  motcua_receipt_draw (self, cr, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_restore (cr);
}

void
motcua_receipt_print (const MotcuaReceipt *self,
                      GtkWindow           *parent,
                      int                  copies)
{
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a5 = gtk_paper_size_new (GTK_PAPER_NAME_A5);
  g_autoptr(GtkPrintSettings) settings = gtk_print_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *job = NULL;
  GtkPrintOperationResult result;

  g_return_if_fail (self != NULL);

  gtk_page_setup_set_paper_size_and_default_margins (setup, a5);
  gtk_print_settings_set_n_copies (settings, MAX (copies, 1));
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_print_settings (operation, settings);
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  job = g_strdup_printf (_("Receipt %s"), self->receipt_no);
  gtk_print_operation_set_job_name (operation, job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), (gpointer) self);

  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent,
                                    &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    g_warning ("Could not print the receipt %s: %s", self->receipt_no, error->message);
}
