/* motcua-pdf.h: ending the PDF files the desk writes (receipts, reports)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* Ends the page drawn with @cr on @surface, a PDF surface writing @path, and closes both
 * (it takes the caller's references). FALSE with @error naming @path if the file could not
 * be written. */
gboolean motcua_pdf_finish (cairo_t          *cr,
                            cairo_surface_t  *surface,
                            const char       *path,
                            GError          **error);

G_END_DECLS
