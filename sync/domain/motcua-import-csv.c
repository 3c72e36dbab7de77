/* motcua-import-csv.c: CSV rows of an import as the JSON objects of the same kind, so that
 * both formats share one validator (motcua-import.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-csv-private.h"
#include "motcua-error.h"
#include "motcua-import-private.h"

/* CSV → the JSON objects of the same kind */

static const char *const case_csv_applicant[] = { "applicant_name", "citizen_id", "phone",
                                                  "address", NULL };

static const FieldSpec *
find_spec (const KindSpec *kind,
           const char     *name)
{
  for (guint i = 0; i < kind->n_fields; i++)
    if (strcmp (kind->fields[i].name, name) == 0)
      return &kind->fields[i];

  return NULL;
}

static gboolean
csv_cell_to_node (const FieldSpec  *spec,
                  const char       *cell,
                  JsonNode        **out,
                  const char       *where,
                  GError          **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (cell));

  if (*trimmed == '\0')
    {
      *out = json_node_new (JSON_NODE_NULL);
      return TRUE;
    }

  if (spec->type == JSON_NODE_ARRAY)
    {
      g_auto(GStrv) items = g_strsplit (trimmed, "|", -1);
      JsonArray *array = json_array_new ();

      for (guint i = 0; items[i] != NULL; i++)
        {
          char *item = g_strstrip (items[i]);

          if (spec->value_type == G_TYPE_INT64)
            {
              gint64 v;

              if (!g_ascii_string_to_signed (item, 10, 0, G_MAXINT32, &v, NULL))
                {
                  json_array_unref (array);
                  return _motcua_import_error (error, where,
                                               _("field %s: “%s” is not a whole number"),
                                               spec->name, item);
                }
              json_array_add_int_element (array, v);
            }
          else if (*item != '\0')
            json_array_add_string_element (array, item);
        }
      *out = json_node_init_array (json_node_alloc (), array);
      json_array_unref (array);
      return TRUE;
    }

  if (spec->value_type == G_TYPE_INT64)
    {
      gint64 v;

      if (!g_ascii_string_to_signed (trimmed, 10, G_MININT64, G_MAXINT64, &v, NULL))
        return _motcua_import_error (error, where, _("field %s: “%s” is not a whole number"),
                                     spec->name, trimmed);
      *out = json_node_init_int (json_node_alloc (), v);
      return TRUE;
    }

  if (spec->value_type == G_TYPE_BOOLEAN)
    {
      if (g_ascii_strcasecmp (trimmed, "true") == 0 || strcmp (trimmed, "1") == 0)
        *out = json_node_init_boolean (json_node_alloc (), TRUE);
      else if (g_ascii_strcasecmp (trimmed, "false") == 0 || strcmp (trimmed, "0") == 0)
        *out = json_node_init_boolean (json_node_alloc (), FALSE);
      else
        return _motcua_import_error (error, where, _("field %s: “%s” must be true or false"),
                                     spec->name, trimmed);
      return TRUE;
    }

  *out = json_node_init_string (json_node_alloc (), trimmed);
  return TRUE;
}

JsonArray *
_motcua_import_csv_to_entries (const KindSpec    *kind,
                               MotcuaImportKind   kind_id,
                               GPtrArray         *records,
                               const char        *source,
                               GPtrArray         *wheres,
                               GError           **error)
{
  g_autoptr(JsonArray) entries = json_array_new ();
  MotcuaCsvRecord *header;
  guint n_columns;

  if (records->len == 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT, _("%s is empty: the first line must"
                   " name the columns"), source);
      return NULL;
    }

  header = g_ptr_array_index (records, 0);
  n_columns = g_strv_length (header->fields);
  for (guint c = 0; c < n_columns; c++)
    {
      const char *name = g_strstrip (header->fields[c]);

      if ((kind_id == MOTCUA_IMPORT_CASES && g_strv_contains (case_csv_applicant, name))
          || (find_spec (kind, name) != NULL && strcmp (name, "applicant") != 0))
        {
          for (guint k = 0; k < c; k++)
            if (strcmp (header->fields[k], name) == 0)
              {
                g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT,
                             _("%s: line 1: column %s appears twice"), source, name);
                return NULL;
              }
          continue;
        }
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT,
                   _("%s: line 1: unknown column “%s”"), source, name);
      return NULL;
    }

  for (guint r = 1; r < records->len; r++)
    {
      MotcuaCsvRecord *record = g_ptr_array_index (records, r);
      g_autofree char *where = g_strdup_printf ("%s: line %u", source, record->line);
      g_autoptr(JsonObject) object = json_object_new ();
      g_autoptr(JsonObject) applicant = json_object_new ();

      if (g_strv_length (record->fields) != n_columns)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT,
                       _("%s: has %u fields, the header has %u"), where,
                       g_strv_length (record->fields), n_columns);
          return NULL;
        }

      for (guint c = 0; c < n_columns; c++)
        {
          const char *name = header->fields[c];
          JsonNode *node = NULL;

          if (kind_id == MOTCUA_IMPORT_CASES && g_strv_contains (case_csv_applicant, name))
            {
              static const FieldSpec text = { NULL, JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE };
              const char *member = strcmp (name, "applicant_name") == 0 ? "name" : name;

              if (!csv_cell_to_node (&text, record->fields[c], &node, where, error))
                return NULL;
              if (!JSON_NODE_HOLDS_NULL (node))
                json_object_set_member (applicant, member, node);
              else
                json_node_unref (node);
              continue;
            }

          if (!csv_cell_to_node (find_spec (kind, name), record->fields[c], &node, where, error))
            return NULL;
          if (!JSON_NODE_HOLDS_NULL (node))
            json_object_set_member (object, name, node);
          else
            json_node_unref (node);
        }

      if (kind_id == MOTCUA_IMPORT_CASES)
        json_object_set_object_member (object, "applicant", g_steal_pointer (&applicant));

      json_array_add_object_element (entries, g_steal_pointer (&object));
      g_ptr_array_add (wheres, g_steal_pointer (&where));
    }

  return g_steal_pointer (&entries);
}
