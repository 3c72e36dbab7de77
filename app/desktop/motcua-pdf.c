/* motcua-pdf.c: the printed forms of the desk (the receipt, the apology slip, reports): their
 * text, the heading of the one-stop forms, and ending the PDF files or printing them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "motcua-pdf.h"

#define FONT_FAMILY "Liberation Serif, Tinos, DejaVu Serif, Serif"

static PangoLayout *
make_layout (cairo_t        *cr,
             const char     *markup,
             double          size,
             double          width,
             PangoAlignment  alignment)
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

double
motcua_pdf_draw_text (cairo_t        *cr,
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

void
motcua_pdf_pen_field (MotcuaPdfPen *pen,
                      const char   *label,
                      const char   *value,
                      gboolean      bold)
{
  g_autofree char *markup = g_markup_printf_escaped (bold ? "%s: <b>%s</b>" : "%s: %s",
                                                     label, value != NULL && *value != '\0'
                                                            ? value : "—");

  pen->y += motcua_pdf_draw_text (pen->cr, markup, 11, pen->left, pen->y, pen->width,
                                  PANGO_ALIGN_LEFT) + 3;
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

double
motcua_pdf_draw_heading (cairo_t    *cr,
                         const char *office_name,
                         double      margin,
                         double      width)
{
  double left_column = (width - 2 * margin) * 0.38;
  double right_column = (width - 2 * margin) - left_column;
  g_autofree char *office_upper = g_utf8_strup (office_name != NULL ? office_name : "", -1);
  g_autofree char *markup = NULL;
  double h_left, h_right;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);

  /* The office, and the national heading (always in Vietnamese: it is the form's). */
  markup = g_markup_printf_escaped ("%s\n<b>%s</b>", office_upper,
                                    _("ONE-STOP RECEPTION AND RESULTS DESK"));
  h_left = motcua_pdf_draw_text (cr, markup, 8.5, margin, margin, left_column,
                                 PANGO_ALIGN_CENTER);
  h_right = motcua_pdf_draw_text (cr, "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>\n"
                                      "<b>Độc lập - Tự do - Hạnh phúc</b>",
                                  8, margin + left_column, margin, right_column,
                                  PANGO_ALIGN_CENTER);
  underline (cr, margin + left_column / 2, margin + h_left + 3, 50);
  underline (cr, margin + left_column + right_column / 2, margin + h_right + 3, 110);
  return margin + MAX (h_left, h_right) + 22;
}

gboolean
motcua_pdf_finish (cairo_t          *cr,
                   cairo_surface_t  *surface,
                   const char       *path,
                   GError          **error)
{
  cairo_status_t status;

  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write %s: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

gboolean
motcua_pdf_save_a5 (MotcuaPdfDrawFunc   draw,
                    gconstpointer       form,
                    const char         *title,
                    const char         *path,
                    GError            **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_val_if_fail (draw != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  surface = cairo_pdf_surface_create (path, MOTCUA_PDF_A5_WIDTH, MOTCUA_PDF_A5_HEIGHT);
  if (title != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Một Cửa");
  cr = cairo_create (surface);
  draw (form, cr, MOTCUA_PDF_A5_WIDTH, MOTCUA_PDF_A5_HEIGHT);

  return motcua_pdf_finish (cr, surface, path, error);
}

typedef struct
{
  MotcuaPdfDrawFunc draw;
  gconstpointer     form;
} PrintJob;

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              gpointer           user_data)
{
  const PrintJob *job = user_data;
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  double scale = MIN (width / MOTCUA_PDF_A5_WIDTH, height / MOTCUA_PDF_A5_HEIGHT);

  cairo_save (cr);
  cairo_scale (cr, scale, scale);
  job->draw (job->form, cr, MOTCUA_PDF_A5_WIDTH, MOTCUA_PDF_A5_HEIGHT);
  cairo_restore (cr);
}

void
motcua_pdf_print_a5 (MotcuaPdfDrawFunc  draw,
                     gconstpointer      form,
                     const char        *job_name,
                     GtkWindow         *parent,
                     int                copies)
{
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a5 = gtk_paper_size_new (GTK_PAPER_NAME_A5);
  g_autoptr(GtkPrintSettings) settings = gtk_print_settings_new ();
  g_autoptr(GError) error = NULL;
  PrintJob job = { draw, form };
  GtkPrintOperationResult result;

  g_return_if_fail (draw != NULL);

  gtk_page_setup_set_paper_size_and_default_margins (setup, a5);
  gtk_print_settings_set_n_copies (settings, MAX (copies, 1));
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_print_settings (operation, settings);
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  gtk_print_operation_set_job_name (operation, job_name);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), &job);

  /* The dialog is modal: the job is drawn before this returns. */
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent,
                                    &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    g_warning ("Could not print %s: %s", job_name, error->message);
}
