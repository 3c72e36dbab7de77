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
/* Checks an entry's members against @fields: no unknown member, required ones present, types;
 * the error names @where. */
gboolean    _motcua_import_check_object  (JsonObject       *object,
                                          const FieldSpec  *fields,
                                          guint             n_fields,
                                          const char       *where,
                                          GError          **error);
/* @object's member @name if it is a string, else NULL. */
const char *_motcua_import_get_string    (JsonObject       *object,
                                          const char       *name);
/* The office entry's fields, as offices files and reorganisations' "created" hold them. */
extern const FieldSpec _motcua_import_office_fields[];
extern const guint     _motcua_import_n_office_fields;
/* Puts the office entry @o, checked against those fields, with @in_force_from (may be NULL)
 * overriding the entry's. */
gboolean    _motcua_import_put_office    (MotcuaReplica    *self,
                                          JsonObject       *o,
                                          const char       *in_force_from,
                                          GError          **error);

/* The CSV @records (MotcuaCsvRecord) of @source as the JSON objects of entries of @kind, each
 * with its line in @wheres (motcua-import-csv.c). */
JsonArray *_motcua_import_csv_to_entries (const KindSpec    *kind,
                                          MotcuaImportKind   kind_id,
                                          GPtrArray         *records,
                                          const char        *source,
                                          GPtrArray         *wheres,
                                          GError           **error);

G_END_DECLS
