/* motcua-base-private.h: the base layer's own calls
 *
 * Random bytes (motcua-uuid.c), folding Vietnamese for search and writing JSON strings
 * (motcua-text.c): what every layer above may call.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bytes from the kernel's random source (motcua-uuid.c). */
void          _motcua_random_bytes         (guint8         *buf,
                                            gsize           len);

/* Writes a JSON string literal for @text (NULL → null). */
void          _motcua_json_append_string   (GString        *out,
                                            const char     *text);

/* The folded letter or digit for @c; 0 for a separator; MOTCUA_FOLD_SKIP for a combining mark,
 * which belongs to the letter before it. */
#define MOTCUA_FOLD_SKIP ((gunichar) 1)

gunichar      _motcua_fold_char            (gunichar        c);

G_END_DECLS
