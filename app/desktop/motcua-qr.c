/* motcua-qr.c: QR codes, drawn with cairo
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <qrencode.h>

#include "motcua-qr.h"

#define QUIET_ZONE 4

gboolean
motcua_qr_draw (cairo_t    *cr,
                const char *text,
                double      x,
                double      y,
                double      size)
{
  QRcode *code;
  double module;

  g_return_val_if_fail (cr != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  code = QRcode_encodeString8bit (text, 0, QR_ECLEVEL_M);
  if (code == NULL)
    return FALSE;

  module = size / (code->width + 2 * QUIET_ZONE);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int row = 0; row < code->width; row++)
    for (int col = 0; col < code->width; col++)
      if (code->data[row * code->width + col] & 1)
        cairo_rectangle (cr,
                         x + (col + QUIET_ZONE) * module,
                         y + (row + QUIET_ZONE) * module,
                         module, module);
  /* Modules drawn edge to edge: no antialiasing seams between them. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  cairo_fill (cr);
  cairo_restore (cr);

  QRcode_free (code);
  return TRUE;
}

GdkTexture *
motcua_qr_texture_new (const char *text,
                       int         size)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture = NULL;
  gboolean ok;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cr = cairo_create (surface);
  ok = motcua_qr_draw (cr, text, 0, 0, size);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  if (ok)
    {
      bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                           (gsize) cairo_image_surface_get_stride (surface) * size);
      texture = gdk_memory_texture_new (size, size,
                                        GDK_MEMORY_DEFAULT,
                                        bytes, cairo_image_surface_get_stride (surface));
    }
  cairo_surface_destroy (surface);
  return texture;
}
