/* motcua-export.c: the canonical export
 *
 * One JSON document, one row per line: tables by name, rows by id, keys sorted, values as
 * stored. Only replicated fields are written (no rid, clocks or local bookkeeping), so two
 * replicas holding the same state write the same bytes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-error.h"
#include "motcua-export.h"
#include "motcua-domain-private.h"
#include "motcua-version.h"

#define FLUSH_SIZE (64 * 1024)

typedef struct
{
  const char      *name;       /* key in the export */
  const char      *column;     /* physical column */
  MotcuaColumnKind kind;
} ExportColumn;

static int
compare_export_columns (gconstpointer a,
                        gconstpointer b)
{
  return strcmp (((const ExportColumn *) a)->name, ((const ExportColumn *) b)->name);
}

static int
compare_tables (gconstpointer a,
                gconstpointer b)
{
  const MotcuaTableDesc *const *ta = a;
  const MotcuaTableDesc *const *tb = b;

  return strcmp ((*ta)->name, (*tb)->name);
}

static gboolean
flush (GOutputStream  *stream,
       GString        *buffer,
       GCancellable   *cancellable,
       GError        **error)
{
  if (buffer->len > 0
      && !g_output_stream_write_all (stream, buffer->str, buffer->len, NULL, cancellable, error))
    return FALSE;
  g_string_truncate (buffer, 0);

  return TRUE;
}

typedef struct
{
  GArray        *columns;      /* ExportColumn */
  GOutputStream *stream;
  GString       *out;
  GCancellable  *cancellable;
  gboolean       first;
} ExportTable;

static gboolean
export_row (const MotcuaValue  *values,
            gpointer            user_data,
            GError            **error)
{
  ExportTable *export = user_data;
  GString *out = export->out;

  g_string_append (out, export->first ? "\n{" : ",\n{");
  export->first = FALSE;

  for (guint c = 0; c < export->columns->len; c++)
    {
      const ExportColumn *col = &g_array_index (export->columns, ExportColumn, c);

      if (c > 0)
        g_string_append_c (out, ',');
      _motcua_json_append_string (out, col->name);
      g_string_append_c (out, ':');

      switch (values[c].type)
        {
        case SQLITE_NULL:
          g_string_append (out, "null");
          break;
        case SQLITE_INTEGER:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, values[c].i);
          break;
        case SQLITE_BLOB:
          {
            char text[37];

            motcua_uuid_to_string ((const MotcuaUuid *) (const void *) values[c].s, text);
            _motcua_json_append_string (out, text);
          }
          break;
        default:
          _motcua_json_append_string (out, values[c].s);
          break;
        }
    }
  g_string_append_c (out, '}');

  return out->len < FLUSH_SIZE || flush (export->stream, out, export->cancellable, error);
}

static gboolean
export_table (MotcuaReplica          *self,
              const MotcuaTableDesc  *table,
              GOutputStream          *stream,
              GString                *out,
              GCancellable           *cancellable,
              GError                **error)
{
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (ExportColumn));
  g_autofree const char **names = NULL;
  ExportTable export = { columns, stream, out, cancellable, TRUE };

  g_array_append_val (columns, ((ExportColumn) { "id", "id", MOTCUA_COL_ID }));
  for (guint c = 0; c < table->n_columns; c++)
    {
      const MotcuaColumnDesc *desc = &table->columns[c];

      g_array_append_val (columns, ((ExportColumn) { desc->name, desc->name, desc->kind }));
      if (desc->kind == MOTCUA_COL_STATUS)
        g_array_append_val (columns, ((ExportColumn) { "status_gen", "status_gen",
                                                       MOTCUA_COL_INT }));
    }
  g_array_sort (columns, compare_export_columns);

  names = g_new (const char *, columns->len);
  for (guint c = 0; c < columns->len; c++)
    names[c] = g_array_index (columns, ExportColumn, c).column;

  g_string_append_printf (out, "\"%s\":[", table->name);
  if (!_motcua_store_export_rows (self, table->name, names, columns->len, export_row, &export,
                                  error))
    return FALSE;
  g_string_append (out, export.first ? "]" : "\n]");

  return TRUE;
}

gboolean
motcua_replica_export_canonical (MotcuaReplica  *self,
                                 GOutputStream  *stream,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  g_autoptr(GString) out = g_string_sized_new (FLUSH_SIZE * 2);
  const MotcuaTableDesc *tables[16];
  gboolean ok = TRUE;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (_motcua_n_tables <= G_N_ELEMENTS (tables), FALSE);

  memcpy (tables, _motcua_tables, _motcua_n_tables * sizeof tables[0]);
  qsort (tables, _motcua_n_tables, sizeof tables[0], compare_tables);

  /* One read transaction: the export is a consistent snapshot even while others write. */
  if (!_motcua_store_export_begin (self, error))
    return FALSE;

  g_string_append_printf (out, "{\"format\":\"motcua-export\",\"schema\":%d,\"tables\":{\n",
                          MOTCUA_SCHEMA_VERSION);

  for (guint t = 0; ok && t < _motcua_n_tables; t++)
    {
      if (t > 0)
        g_string_append (out, ",\n");
      ok = export_table (self, tables[t], stream, out, cancellable, error);
    }

  _motcua_store_export_end (self);

  if (!ok)
    return FALSE;

  g_string_append (out, "\n}}\n");

  return flush (stream, out, cancellable, error) && g_output_stream_flush (stream, cancellable,
                                                                           error);
}
