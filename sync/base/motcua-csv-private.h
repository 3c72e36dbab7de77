/* motcua-csv-private.h: an RFC 4180 reader
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint line;     /* where the record starts, from 1 */
  GStrv fields;
} MotcuaCsvRecord;

void       _motcua_csv_record_free (MotcuaCsvRecord *record);

/* Parses all of @data (UTF-8, an optional BOM, LF or CRLF). Fields may be quoted with ", which
 * inside a quoted field is doubled; quoted fields may hold commas and line breaks. */
GPtrArray *_motcua_csv_parse       (const char      *data,
                                    gsize            length,
                                    const char      *source_name,
                                    GError         **error);

G_END_DECLS
