/* motcua-import-private.h: what the files of import share: the fields each kind of entry
 * holds, the errors that name an entry, and CSV rows as the JSON objects they stand for
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "motcua-import.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  JsonNodeType type;        /* JSON_NODE_VALUE for scalars */
  GType value_type;         /* G_TYPE_STRING or G_TYPE_INT64 or G_TYPE_BOOLEAN; 0 for any */
  gboolean required;
  gboolean list;            /* in CSV: " | "-separated */
} FieldSpec;

typedef struct
{
  const char      *format;         /* the "format" a JSON file declares */
  const char      *array;          /* the member holding the entries */
  const FieldSpec *fields;
  guint            n_fields;
} KindSpec;

/* Sets @error to MOTCUA_ERROR_IMPORT, "@where: message"; returns FALSE (motcua-import.c). */
gboolean   _motcua_import_error          (GError           **error,
                                          const char        *where,
                                          const char        *format,
                                          ...) G_GNUC_PRINTF (3, 4);
/* The CSV @records (MotcuaCsvRecord) of @source as the JSON objects of entries of @kind, each
 * with its line in @wheres (motcua-import-csv.c). */
JsonArray *_motcua_import_csv_to_entries (const KindSpec    *kind,
                                          MotcuaImportKind   kind_id,
                                          GPtrArray         *records,
                                          const char        *source,
                                          GPtrArray         *wheres,
                                          GError           **error);

G_END_DECLS
