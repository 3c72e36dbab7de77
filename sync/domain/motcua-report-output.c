/* motcua-report-output.c: the one-stop report as a text table, CSV and JSON
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-domain-private.h"
#include "motcua-report.h"

/* The figures as the output formats name them. The CSV columns and the JSON members use the
 * field names; the text table shows the fields with a header. */
typedef struct
{
  const char *key;
  const char *header;   /* NULL: not a column of the text table */
  gsize       offset;
} FigureField;

#define FIGURE_FIELD(name, header) { #name, header, G_STRUCT_OFFSET (MotcuaReportFigures, name) }

static const FigureField figure_fields[] = {
  FIGURE_FIELD (carried_over, N_("Carried")),
  FIGURE_FIELD (new_online, N_("New online")),
  FIGURE_FIELD (new_direct, N_("New direct")),
  FIGURE_FIELD (new_postal, NULL),
  FIGURE_FIELD (received_total, N_("Received")),
  FIGURE_FIELD (resolved_early, N_("Early")),
  FIGURE_FIELD (resolved_on_time, N_("On time")),
  FIGURE_FIELD (resolved_late, N_("Late")),
  FIGURE_FIELD (resolved_total, N_("Resolved")),
  FIGURE_FIELD (withdrawn, N_("Withdrawn")),
  FIGURE_FIELD (pending_within, N_("Within")),
  FIGURE_FIELD (pending_overdue, N_("Overdue")),
  FIGURE_FIELD (pending_supplement, N_("Supplement")),
  FIGURE_FIELD (pending_total, N_("Pending")),
  FIGURE_FIELD (digitised, NULL),
};

/* Every figure is listed above, so adding and printing them misses none. */
G_STATIC_ASSERT (G_N_ELEMENTS (figure_fields) * sizeof (gint64) == sizeof (MotcuaReportFigures));

static inline gint64
figure_get (const MotcuaReportFigures *figures,
            const FigureField         *field)
{
  return *(const gint64 *) (const void *) ((const guint8 *) figures + field->offset);
}

/* Text */

/* Columns a terminal gives @text: combining marks take none, wide characters two. */
static gsize
text_width (const char *text)
{
  gsize width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_iszerowidth (c))
        width += g_unichar_iswide (c) ? 2 : 1;
    }

  return width;
}

static void
append_padded (GString    *out,
               const char *text,
               gsize       width,
               gboolean    right)
{
  gsize text_columns = text_width (text);
  gsize pad = width > text_columns ? width - text_columns : 0;

  if (!right)
    g_string_append (out, text);
  for (gsize i = 0; i < pad; i++)
    g_string_append_c (out, ' ');
  if (right)
    g_string_append (out, text);
}

static char *
percent_cell (double rate)
{
  return g_strdup_printf ("%.1f", rate * 100.0);
}

char *
motcua_report_to_text (MotcuaReport *self)
{
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autofree gsize *widths = NULL;
  g_autoptr(GString) out = NULL;
  guint n_columns, n_rows;
  gsize line_width = 0;

  g_return_val_if_fail (self != NULL, NULL);

  g_ptr_array_add (headers, (gpointer) _("Office"));
  for (guint f = 0; f < G_N_ELEMENTS (figure_fields); f++)
    if (figure_fields[f].header != NULL)
      g_ptr_array_add (headers, (gpointer) _(figure_fields[f].header));
  g_ptr_array_add (headers, (gpointer) _("Online %"));
  g_ptr_array_add (headers, (gpointer) _("Digitised %"));
  n_columns = headers->len;
  n_rows = motcua_report_get_n_rows (self);

  /* cells holds n_rows × n_columns strings, row by row. */
  for (guint r = 0; r < n_rows; r++)
    {
      const MotcuaReportRow *row = motcua_report_get_row (self, r);
      const char *name = row->office_name != NULL && *row->office_name != '\0'
                         ? row->office_name : row->office_code;
      g_autofree char *valid_name = g_utf8_make_valid (name, -1);

      g_ptr_array_add (cells, g_strdup_printf ("%*s%s", (int) row->depth * 2, "", valid_name));
      for (guint f = 0; f < G_N_ELEMENTS (figure_fields); f++)
        if (figure_fields[f].header != NULL)
          g_ptr_array_add (cells, g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   figure_get (&row->total, &figure_fields[f])));
      g_ptr_array_add (cells, percent_cell (motcua_report_figures_online_rate (&row->total)));
      g_ptr_array_add (cells, percent_cell (motcua_report_figures_digitisation_rate (&row->total)));
    }
  g_assert (cells->len == n_rows * n_columns);

  widths = g_new0 (gsize, n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      widths[c] = text_width (g_ptr_array_index (headers, c));
      for (guint r = 0; r < n_rows; r++)
        widths[c] = MAX (widths[c], text_width (g_ptr_array_index (cells, r * n_columns + c)));
      line_width += widths[c] + (c > 0 ? 2 : 0);
    }

  out = g_string_new (NULL);
  g_string_append_printf (out, _("One-stop report %s – %s"), motcua_report_get_from (self), motcua_report_get_to (self));
  g_string_append_c (out, '\n');

  for (guint c = 0; c < n_columns; c++)
    {
      if (c > 0)
        g_string_append (out, "  ");
      append_padded (out, g_ptr_array_index (headers, c), widths[c], c > 0);
    }
  g_string_append_c (out, '\n');
  for (gsize i = 0; i < line_width; i++)
    g_string_append_c (out, '-');
  g_string_append_c (out, '\n');

  for (guint r = 0; r < n_rows; r++)
    {
      for (guint c = 0; c < n_columns; c++)
        {
          if (c > 0)
            g_string_append (out, "  ");
          append_padded (out, g_ptr_array_index (cells, r * n_columns + c), widths[c], c > 0);
        }
      g_string_append_c (out, '\n');
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* CSV (RFC 4180) */

static void
csv_append_field (GString    *out,
                  const char *text)
{
  if (text == NULL)
    return;

  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_append_rate (GString *out,
                 double   rate)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ',');
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.4f", rate));
}

char *
motcua_report_to_csv (MotcuaReport *self)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new ("office_code,office_name,level,depth");
  for (guint f = 0; f < G_N_ELEMENTS (figure_fields); f++)
    g_string_append_printf (out, ",%s", figure_fields[f].key);
  g_string_append (out, ",online_rate,digitisation_rate\r\n");

  for (guint r = 0; r < motcua_report_get_n_rows (self); r++)
    {
      const MotcuaReportRow *row = motcua_report_get_row (self, r);

      csv_append_field (out, row->office_code);
      g_string_append_c (out, ',');
      csv_append_field (out, row->office_name);
      g_string_append_printf (out, ",%s,%u", motcua_level_to_string (row->level), row->depth);
      for (guint f = 0; f < G_N_ELEMENTS (figure_fields); f++)
        g_string_append_printf (out, ",%" G_GINT64_FORMAT,
                                figure_get (&row->total, &figure_fields[f]));
      csv_append_rate (out, motcua_report_figures_online_rate (&row->total));
      csv_append_rate (out, motcua_report_figures_digitisation_rate (&row->total));
      g_string_append (out, "\r\n");
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* JSON */

static void
json_add_figures (JsonBuilder               *builder,
                  const char                *member,
                  const MotcuaReportFigures *figures)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  for (guint f = 0; f < G_N_ELEMENTS (figure_fields); f++)
    {
      json_builder_set_member_name (builder, figure_fields[f].key);
      json_builder_add_int_value (builder, figure_get (figures, &figure_fields[f]));
    }
  json_builder_set_member_name (builder, "online_rate");
  json_builder_add_double_value (builder, motcua_report_figures_online_rate (figures));
  json_builder_set_member_name (builder, "digitisation_rate");
  json_builder_add_double_value (builder, motcua_report_figures_digitisation_rate (figures));
  json_builder_end_object (builder);
}

char *
motcua_report_to_json (MotcuaReport *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, motcua_report_get_from (self));
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, motcua_report_get_to (self));
  json_builder_set_member_name (builder, "offices");
  json_builder_begin_array (builder);
  for (guint r = 0; r < motcua_report_get_n_rows (self); r++)
    {
      const MotcuaReportRow *row = motcua_report_get_row (self, r);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, row->office_code);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, row->office_name);
      json_builder_set_member_name (builder, "level");
      json_builder_add_string_value (builder, motcua_level_to_string (row->level));
      json_builder_set_member_name (builder, "depth");
      json_builder_add_int_value (builder, row->depth);
      json_add_figures (builder, "own", &row->own);
      json_add_figures (builder, "total", &row->total);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}
