/* motcua-qr.h: QR codes, drawn with cairo
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Draws the QR code of @text (UTF-8, error correction M) in the square (@x, @y, @size), dark on
 * white with the standard quiet zone. FALSE if @text is too long to encode. */
gboolean      motcua_qr_draw        (cairo_t    *cr,
                                     const char *text,
                                     double      x,
                                     double      y,
                                     double      size);
/* A texture of @size × @size pixels, or NULL. */
G_GNUC_WARN_UNUSED_RESULT
GdkTexture   *motcua_qr_texture_new (const char *text,
                                     int         size);

G_END_DECLS
