/* motcua-output.c: what motcua-cli and motcua-server print: text, tables, JSON, errors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include <motcua/motcua.h>

#include "motcua-exit.h"
#include "motcua-output.h"

#define NO_VALUE "—"

static const char *program_name = "motcua";

void
motcua_output_set_program (const char *program)
{
  program_name = program;
}


/* Plain output. g_print() would convert to the locale's character set, which turns Vietnamese
 * into question marks under LANG=C, as in cron jobs and CI: write the UTF-8 as it is. */

void
motcua_print_text (const char *text)
{
  fputs (text, stdout);
}

void
motcua_print (const char *format,
              ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  motcua_print_text (text);
}

void
motcua_print_error (const char *message)
{
  g_autofree char *line = g_strdup (message != NULL ? message : _("Unknown error"));

  /* One line, whatever the message holds, so scripts can read it with one read. */
  g_strdelimit (line, "\r\n", ' ');
  fflush (stdout);
  fprintf (stderr, "%s: %s\n", program_name, g_strstrip (line));
  fflush (stderr);
}

void
motcua_print_notice (const char *format,
                     ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  fflush (stdout);
  fprintf (stderr, "%s\n", text);
  fflush (stderr);
}

/* The code of an error object: the protocol's word where it has one (sync/PROTOCOL.md), else
 * a word of the same kind. Scripts test the code, people read the message. */
static const char *
error_code (const GError *error)
{
  if (error->domain == G_OPTION_ERROR)
    return "usage";
  if (error->domain == MOTCUA_ERROR)
    {
      switch ((MotcuaError) error->code)
        {
        case MOTCUA_ERROR_INVALID:
          return "invalid";
        case MOTCUA_ERROR_NOT_FOUND:
          return "not-found";
        case MOTCUA_ERROR_EXISTS:
          return "exists";
        case MOTCUA_ERROR_ILLEGAL_TRANSITION:
          return "illegal-transition";
        case MOTCUA_ERROR_NOT_AUTHORIZED:
          return "forbidden";
        case MOTCUA_ERROR_SCHEMA_TOO_NEW:
          return "version-mismatch";
        case MOTCUA_ERROR_CORRUPT:
          return "damaged";
        case MOTCUA_ERROR_IMPORT:
          return "bad-import";
        case MOTCUA_ERROR_DATABASE:
          return "database";
        case MOTCUA_ERROR_NOT_ENROLLED:
          return "not-enrolled";
        case MOTCUA_ERROR_GAP:
          return "gap";
        case MOTCUA_ERROR_CLOCK_SKEW:
          return "clock-skew";
        case MOTCUA_ERROR_DIVERGED:
          return "diverged";
        case MOTCUA_ERROR_TOO_LARGE:
          return "too-large";
        case MOTCUA_ERROR_NOT_AVAILABLE:
          return "not-available";
        case MOTCUA_ERROR_CHECKSUM:
          return "checksum-mismatch";
        default:
          return "failed";
        }
    }
  if (motcua_exit_for_error (error) == MOTCUA_EXIT_UNAVAILABLE)
    return "unavailable";

  return "failed";
}

void
motcua_print_json_error (const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  motcua_json_add_string (builder, "code", error_code (error));
  motcua_json_add_string (builder, "message", error->message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  motcua_print_builder (builder);
}

/* Tables */

struct _MotcuaTable
{
  guint      n_columns;
  gboolean   has_headings;
  GPtrArray *cells;   /* char *, row by row */
};

guint
motcua_text_width (const char *text)
{
  guint width = 0;

  if (text == NULL)
    return 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }

  return width;
}

static MotcuaTable *
table_new (guint    n_columns,
           gboolean has_headings)
{
  MotcuaTable *table = g_new0 (MotcuaTable, 1);

  table->n_columns = n_columns;
  table->has_headings = has_headings;
  table->cells = g_ptr_array_new_with_free_func (g_free);

  return table;
}

MotcuaTable *
motcua_table_new (const char *first_heading,
                  ...)
{
  g_autoptr(GPtrArray) headings = g_ptr_array_new ();
  MotcuaTable *table;
  va_list args;

  g_return_val_if_fail (first_heading != NULL, NULL);

  va_start (args, first_heading);
  for (const char *h = first_heading; h != NULL; h = va_arg (args, const char *))
    g_ptr_array_add (headings, (gpointer) h);
  va_end (args);

  table = table_new (headings->len, TRUE);
  for (guint i = 0; i < headings->len; i++)
    g_ptr_array_add (table->cells, g_strdup (g_ptr_array_index (headings, i)));

  return table;
}

MotcuaTable *
motcua_table_new_columns (guint n_columns)
{
  g_return_val_if_fail (n_columns > 0, NULL);

  return table_new (n_columns, FALSE);
}

MotcuaTable *
motcua_table_new_fields (void)
{
  return table_new (2, FALSE);
}

/* A cell is one line: control characters (a note typed with a newline) become spaces. */
static void
add_cell (MotcuaTable *table,
          const char     *text)
{
  char *cell = g_strdup (text != NULL ? text : NO_VALUE);

  for (char *p = cell; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  g_ptr_array_add (table->cells, cell);
}

void
motcua_table_add_row (MotcuaTable *table,
                      ...)
{
  va_list args;

  g_return_if_fail (table != NULL);

  va_start (args, table);
  for (guint i = 0; i < table->n_columns; i++)
    add_cell (table, va_arg (args, const char *));
  va_end (args);
}

void
motcua_table_take_cell (MotcuaTable *table,
                        char        *text)
{
  g_return_if_fail (table != NULL);

  add_cell (table, text);
  g_free (text);
}

void
motcua_table_add_field (MotcuaTable *table,
                        const char     *label,
                        const char     *value)
{
  g_autofree char *cell = g_strconcat (label, ":", NULL);

  g_return_if_fail (table != NULL && table->n_columns == 2);

  add_cell (table, cell);
  add_cell (table, value);
}

void
motcua_table_take_field (MotcuaTable *table,
                         const char     *label,
                         char           *value)
{
  motcua_table_add_field (table, label, value);
  g_free (value);
}

void
motcua_table_print (MotcuaTable *table,
                    guint           indent)
{
  g_autofree guint *widths = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  guint n_rows;

  g_return_if_fail (table != NULL);

  widths = g_new0 (guint, table->n_columns);
  n_rows = table->cells->len / table->n_columns;

  for (guint i = 0; i < table->cells->len; i++)
    {
      guint column = i % table->n_columns;

      widths[column] = MAX (widths[column],
                            motcua_text_width (g_ptr_array_index (table->cells, i)));
    }

  for (guint row = 0; row < n_rows; row++)
    {
      g_string_truncate (line, 0);
      for (guint i = 0; i < indent; i++)
        g_string_append_c (line, ' ');

      for (guint column = 0; column < table->n_columns; column++)
        {
          const char *cell = g_ptr_array_index (table->cells, row * table->n_columns + column);

          g_string_append (line, cell);
          if (column + 1 < table->n_columns)
            {
              for (guint w = motcua_text_width (cell); w < widths[column] + 2; w++)
                g_string_append_c (line, ' ');
            }
        }

      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_string_append_c (line, '\n');
      motcua_print_text (line->str);
    }
}

void
motcua_table_free (MotcuaTable *table)
{
  if (table == NULL)
    return;

  g_ptr_array_unref (table->cells);
  g_free (table);
}

/* JSON */

void
motcua_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);

  motcua_print ("%s\n", text);
}

void
motcua_print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  motcua_print_json (root);
}

void
motcua_json_add_string (JsonBuilder *builder,
                        const char  *member,
                        const char  *value)
{
  if (member != NULL)
    json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
motcua_json_add_int (JsonBuilder *builder,
                     const char  *member,
                     gint64       value)
{
  if (member != NULL)
    json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

void
motcua_json_add_boolean (JsonBuilder *builder,
                         const char  *member,
                         gboolean     value)
{
  if (member != NULL)
    json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

void
motcua_json_add_strv (JsonBuilder       *builder,
                      const char        *member,
                      const char *const *values)
{
  if (member != NULL)
    json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}
