/* motcua-csv.c: an RFC 4180 reader
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "motcua-csv-private.h"
#include "motcua-error.h"

void
_motcua_csv_record_free (MotcuaCsvRecord *record)
{
  g_strfreev (record->fields);
  g_free (record);
}

GPtrArray *
_motcua_csv_parse (const char  *data,
                   gsize        length,
                   const char  *source_name,
                   GError     **error)
{
  g_autoptr(GPtrArray) records =
    g_ptr_array_new_with_free_func ((GDestroyNotify) _motcua_csv_record_free);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = data;
  const char *end = data + length;
  guint line = 1;
  guint record_line = 1;
  gboolean quoted = FALSE;
  gboolean was_quoted = FALSE;

  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT, _("%s is not valid UTF-8 text"),
                   source_name);
      return NULL;
    }

  if (length >= 3 && (guchar) p[0] == 0xef && (guchar) p[1] == 0xbb && (guchar) p[2] == 0xbf)
    p += 3;

  while (p <= end)
    {
      char c = p < end ? *p : '\n';
      gboolean at_end = p == end;

      if (quoted)
        {
          if (at_end)
            {
              g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT,
                           _("%s: line %u: a quoted field is never closed"), source_name,
                           record_line);
              return NULL;
            }
          if (c == '"')
            {
              if (p + 1 < end && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p++;
                }
              else
                quoted = FALSE;
            }
          else
            {
              if (c == '\n')
                line++;
              g_string_append_c (field, c);
            }
          p++;
          continue;
        }

      if (c == '"')
        {
          if (field->len > 0 || was_quoted)
            {
              g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT,
                           _("%s: line %u: a quote inside an unquoted field (quote the whole field"
                           " and double the quote)"), source_name, line);
              return NULL;
            }
          quoted = TRUE;
          was_quoted = TRUE;
        }
      else if (c == ',')
        {
          g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
          field = g_string_new (NULL);
          was_quoted = FALSE;
        }
      else if (c == '\r' && p + 1 < end && p[1] == '\n')
        ;  /* the \n that follows ends the record */
      else if (c == '\n')
        {
          gboolean blank = fields->len == 0 && field->len == 0 && !was_quoted;

          if (!blank)
            {
              MotcuaCsvRecord *record = g_new0 (MotcuaCsvRecord, 1);

              g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
              field = g_string_new (NULL);
              g_ptr_array_add (fields, NULL);
              record->line = record_line;
              record->fields = (GStrv) g_ptr_array_steal (fields, NULL);
              g_ptr_array_add (records, record);
            }
          was_quoted = FALSE;
          line++;
          record_line = line;
          if (at_end)
            break;
        }
      else if (was_quoted)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT,
                       _("%s: line %u: text after a closing quote"), source_name, line);
          return NULL;
        }
      else
        g_string_append_c (field, c);

      p++;
    }

  return g_steal_pointer (&records);
}
