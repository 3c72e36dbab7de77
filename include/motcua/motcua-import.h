#pragma once

#include "motcua-inside.h"
#include <gio/gio.h>

#include "motcua-replica.h"

G_BEGIN_DECLS

/* What a file holds. The formats are documented in data/README.md. */
typedef enum
{
  MOTCUA_IMPORT_CATALOGUE,
  MOTCUA_IMPORT_OFFICES,
  MOTCUA_IMPORT_CALENDAR,
  MOTCUA_IMPORT_CASES,
} MotcuaImportKind;

typedef enum
{
  MOTCUA_FORMAT_AUTO,   /* from the file name: .json or .csv */
  MOTCUA_FORMAT_JSON,
  MOTCUA_FORMAT_CSV,
} MotcuaImportFormat;

/* Validates every row, then writes them all in one transaction. On any error nothing is written
 * and the error (MOTCUA_ERROR_IMPORT) names the line (CSV), or the entry (JSON), and the field. */
gboolean motcua_replica_import_file (MotcuaReplica      *self,
                                     const char         *path,
                                     MotcuaImportKind    kind,
                                     MotcuaImportFormat  format,
                                     guint              *n_rows,
                                     GError            **error);
gboolean motcua_replica_import_data (MotcuaReplica      *self,
                                     const char         *data,
                                     gsize               length,
                                     const char         *source_name,
                                     MotcuaImportKind    kind,
                                     MotcuaImportFormat  format,
                                     guint              *n_rows,
                                     GError            **error);

G_END_DECLS
