/* motcua-pdf.h: the printed forms of the desk (the receipt, the apology slip, reports): their
 * text, the heading of the one-stop forms, and ending the PDF files or printing them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <cairo.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A5 portrait, in points: the forms handed to applicants. */
#define MOTCUA_PDF_A5_WIDTH  419.53
#define MOTCUA_PDF_A5_HEIGHT 595.28

/* Draws Pango @markup in the forms' serif font at (@x, @y) in a box @width wide; returns its
 * height. */
double   motcua_pdf_draw_text   (cairo_t        *cr,
                                 const char     *markup,
                                 double          size,
                                 double          x,
                                 double          y,
                                 double          width,
                                 PangoAlignment  alignment);

/* Where the body of a form is being written. */
typedef struct
{
  cairo_t *cr;
  double   left;
  double   width;
  double   y;
} MotcuaPdfPen;

/* A labelled line of the body, "Label: value" (— for no value), and the pen moves below it. */
void     motcua_pdf_pen_field   (MotcuaPdfPen   *pen,
                                 const char     *label,
                                 const char     *value,
                                 gboolean        bold);

/* Paints the page white and draws the heading of the one-stop forms: @office_name and the
 * desk on the left, the national heading on the right, each underlined. Returns the y below
 * it. */
double   motcua_pdf_draw_heading (cairo_t       *cr,
                                  const char    *office_name,
                                  double         margin,
                                  double         width);

/* Draws one A5 page of a form on @cr. */
typedef void (*MotcuaPdfDrawFunc) (gconstpointer  form,
                                   cairo_t       *cr,
                                   double         width,
                                   double         height);

/* Ends the page drawn with @cr on @surface, a PDF surface writing @path, and closes both
 * (it takes the caller's references). FALSE with @error naming @path if the file could not
 * be written. */
gboolean motcua_pdf_finish      (cairo_t          *cr,
                                 cairo_surface_t  *surface,
                                 const char       *path,
                                 GError          **error);
/* Writes @form, drawn by @draw on one A5 page, to the PDF file @path titled @title. */
gboolean motcua_pdf_save_a5     (MotcuaPdfDrawFunc  draw,
                                 gconstpointer      form,
                                 const char        *title,
                                 const char        *path,
                                 GError           **error);
/* Opens the print dialog for @form on A5 paper, @copies of it, as the job @job_name. */
void     motcua_pdf_print_a5    (MotcuaPdfDrawFunc  draw,
                                 gconstpointer      form,
                                 const char        *job_name,
                                 GtkWindow         *parent,
                                 int                copies);

G_END_DECLS
