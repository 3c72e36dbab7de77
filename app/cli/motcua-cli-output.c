/* motcua-cli-output.c: text tables and JSON for motcua-cli
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "motcua-cli-output.h"
#include "motcua-exit.h"

#define NO_VALUE "—"

/* Plain output. g_print() would convert to the locale's character set, which turns Vietnamese
 * into question marks under LANG=C, as in cron jobs and CI: write the UTF-8 as it is. */

void
motcua_cli_print_text (const char *text)
{
  fputs (text, stdout);
}

void
motcua_cli_print (const char *format,
                  ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  motcua_cli_print_text (text);
}

void
motcua_cli_print_error (const char *message)
{
  g_autofree char *line = g_strdup (message != NULL ? message : _("Unknown error"));

  /* One line, whatever the message holds, so scripts can read it with one read. */
  g_strdelimit (line, "\r\n", ' ');
  fflush (stdout);
  fprintf (stderr, "motcua-cli: %s\n", g_strstrip (line));
  fflush (stderr);
}

void
motcua_cli_print_notice (const char *format,
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
motcua_cli_print_json_error (const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  motcua_cli_json_add_string (builder, "code", error_code (error));
  motcua_cli_json_add_string (builder, "message", error->message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  motcua_cli_print_builder (builder);
}

/* Tables */

struct _MotcuaCliTable
{
  guint      n_columns;
  gboolean   has_headings;
  GPtrArray *cells;   /* char *, row by row */
};

guint
motcua_cli_text_width (const char *text)
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

static MotcuaCliTable *
table_new (guint    n_columns,
           gboolean has_headings)
{
  MotcuaCliTable *table = g_new0 (MotcuaCliTable, 1);

  table->n_columns = n_columns;
  table->has_headings = has_headings;
  table->cells = g_ptr_array_new_with_free_func (g_free);

  return table;
}

MotcuaCliTable *
motcua_cli_table_new (const char *first_heading,
                      ...)
{
  g_autoptr(GPtrArray) headings = g_ptr_array_new ();
  MotcuaCliTable *table;
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

MotcuaCliTable *
motcua_cli_table_new_fields (void)
{
  return table_new (2, FALSE);
}

/* A cell is one line: control characters (a note typed with a newline) become spaces. */
static void
add_cell (MotcuaCliTable *table,
          const char     *text)
{
  char *cell = g_strdup (text != NULL ? text : NO_VALUE);

  for (char *p = cell; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  g_ptr_array_add (table->cells, cell);
}

void
motcua_cli_table_add_row (MotcuaCliTable *table,
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
motcua_cli_table_add_field (MotcuaCliTable *table,
                            const char     *label,
                            const char     *value)
{
  g_autofree char *cell = g_strconcat (label, ":", NULL);

  g_return_if_fail (table != NULL && table->n_columns == 2);

  add_cell (table, cell);
  add_cell (table, value);
}

void
motcua_cli_table_take_field (MotcuaCliTable *table,
                             const char     *label,
                             char           *value)
{
  motcua_cli_table_add_field (table, label, value);
  g_free (value);
}

void
motcua_cli_table_print (MotcuaCliTable *table,
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
                            motcua_cli_text_width (g_ptr_array_index (table->cells, i)));
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
              for (guint w = motcua_cli_text_width (cell); w < widths[column] + 2; w++)
                g_string_append_c (line, ' ');
            }
        }

      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_string_append_c (line, '\n');
      motcua_cli_print_text (line->str);
    }
}

void
motcua_cli_table_free (MotcuaCliTable *table)
{
  if (table == NULL)
    return;

  g_ptr_array_unref (table->cells);
  g_free (table);
}

/* JSON */

void
motcua_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);

  motcua_cli_print ("%s\n", text);
}

void
motcua_cli_print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  motcua_cli_print_json (root);
}

void
motcua_cli_json_add_string (JsonBuilder *builder,
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
motcua_cli_json_add_int (JsonBuilder *builder,
                         const char  *member,
                         gint64       value)
{
  if (member != NULL)
    json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

void
motcua_cli_json_add_boolean (JsonBuilder *builder,
                             const char  *member,
                             gboolean     value)
{
  if (member != NULL)
    json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

void
motcua_cli_json_add_strv (JsonBuilder       *builder,
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

/* Records */

const char *
motcua_cli_sync_state_to_string (MotcuaSyncState state)
{
  switch (state)
    {
    case MOTCUA_SYNC_STATE_PENDING:
      return "pending";
    case MOTCUA_SYNC_STATE_SYNCED:
      return "synced";
    case MOTCUA_SYNC_STATE_REJECTED:
      return "rejected";
    case MOTCUA_SYNC_STATE_CONFLICT:
      return "conflict";
    default:
      return "unknown";
    }
}

char *
motcua_cli_levels_to_string (guint levels)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint level = 0; level < MOTCUA_N_LEVELS; level++)
    if (levels & (1u << level))
      g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "",
                              motcua_level_to_string ((MotcuaLevel) level));

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
motcua_cli_papers_to_string (const GArray *papers)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; papers != NULL && i < papers->len; i++)
    g_string_append_printf (out, "%s%u", i > 0 ? "," : "", g_array_index (papers, guint, i));

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The same members as the catalogue import format, plus the row id. */
void
motcua_cli_json_add_procedure (JsonBuilder           *builder,
                               const MotcuaProcedure *procedure)
{
  json_builder_begin_object (builder);
  motcua_cli_json_add_string (builder, "code", procedure->code);
  motcua_cli_json_add_boolean (builder, "code_official", procedure->code_official);
  motcua_cli_json_add_string (builder, "name", procedure->name);
  motcua_cli_json_add_string (builder, "sector", procedure->sector);
  json_builder_set_member_name (builder, "levels");
  json_builder_begin_array (builder);
  for (guint level = 0; level < MOTCUA_N_LEVELS; level++)
    if (procedure->levels & (1u << level))
      json_builder_add_string_value (builder, motcua_level_to_string ((MotcuaLevel) level));
  json_builder_end_array (builder);
  motcua_cli_json_add_int (builder, "processing_days", procedure->processing_days);
  motcua_cli_json_add_int (builder, "fee", procedure->fee);
  motcua_cli_json_add_string (builder, "fee_note", procedure->fee_note);
  motcua_cli_json_add_string (builder, "online", procedure->online_full ? "full" : "partial");
  motcua_cli_json_add_strv (builder, "documents", (const char *const *) procedure->documents);
  motcua_cli_json_add_strv (builder, "legal_basis", (const char *const *) procedure->legal_basis);
  motcua_cli_json_add_string (builder, "in_force_from", procedure->in_force_from);
  motcua_cli_json_add_string (builder, "in_force_to", procedure->in_force_to);
  motcua_cli_json_add_boolean (builder, "sample", procedure->sample);
  motcua_cli_json_add_string (builder, "id", procedure->id);
  json_builder_end_object (builder);
}

gboolean
motcua_cli_case_has_paper (const MotcuaCase *record,
                           guint             index)
{
  for (guint i = 0; record->papers != NULL && i < record->papers->len; i++)
    if (g_array_index (record->papers, guint, i) == index)
      return TRUE;

  return FALSE;
}

/* The members follow the case import format ("procedure", "applicant", …) so that what one
 * replica prints another can read; the rest are the replica's own. */
void
motcua_cli_json_add_case_members (JsonBuilder           *builder,
                                  const MotcuaCase      *record,
                                  const MotcuaProcedure *procedure)
{
  motcua_cli_json_add_string (builder, "id", record->id);
  motcua_cli_json_add_string (builder, "receipt_no", record->receipt_no);
  motcua_cli_json_add_string (builder, "procedure", record->procedure_code);
  motcua_cli_json_add_string (builder, "procedure_name", record->procedure_name);
  motcua_cli_json_add_string (builder, "receiving_office", record->receiving_office);
  motcua_cli_json_add_string (builder, "handling_office", record->handling_office);

  json_builder_set_member_name (builder, "applicant");
  json_builder_begin_object (builder);
  motcua_cli_json_add_string (builder, "name", record->applicant_name);
  motcua_cli_json_add_string (builder, "citizen_id", record->citizen_id);
  motcua_cli_json_add_string (builder, "phone", record->phone);
  motcua_cli_json_add_string (builder, "address", record->address);
  json_builder_end_object (builder);

  motcua_cli_json_add_string (builder, "channel", motcua_channel_to_string (record->channel));
  motcua_cli_json_add_string (builder, "priority", motcua_priority_to_string (record->priority));
  motcua_cli_json_add_string (builder, "received_at", record->received_at);
  motcua_cli_json_add_string (builder, "clock_start", record->clock_start);
  motcua_cli_json_add_string (builder, "due_date", record->due_date);
  motcua_cli_json_add_string (builder, "status", motcua_status_to_string (record->status));
  motcua_cli_json_add_int (builder, "status_generation", record->status_generation);

  json_builder_set_member_name (builder, "papers");
  json_builder_begin_array (builder);
  for (guint i = 0; record->papers != NULL && i < record->papers->len; i++)
    json_builder_add_int_value (builder, g_array_index (record->papers, guint, i));
  json_builder_end_array (builder);

  if (procedure != NULL)
    {
      json_builder_set_member_name (builder, "documents");
      json_builder_begin_array (builder);
      for (guint i = 0; procedure->documents != NULL && procedure->documents[i] != NULL; i++)
        {
          json_builder_begin_object (builder);
          motcua_cli_json_add_int (builder, "index", i);
          motcua_cli_json_add_string (builder, "name", procedure->documents[i]);
          motcua_cli_json_add_boolean (builder, "received", motcua_cli_case_has_paper (record, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  motcua_cli_json_add_string (builder, "resolved_at", record->resolved_at);
  motcua_cli_json_add_string (builder, "result", record->result);
  motcua_cli_json_add_string (builder, "returned_at", record->returned_at);
  motcua_cli_json_add_string (builder, "returned_via",
                              record->returned_at != NULL
                              ? motcua_channel_to_string (record->returned_via) : NULL);
  json_builder_set_member_name (builder, "rating");
  if (record->rating > 0)
    json_builder_add_int_value (builder, record->rating);
  else
    json_builder_add_null_value (builder);
  motcua_cli_json_add_string (builder, "sync_state",
                              motcua_cli_sync_state_to_string (record->sync_state));
}

void
motcua_cli_json_add_case (JsonBuilder      *builder,
                          const MotcuaCase *record)
{
  json_builder_begin_object (builder);
  motcua_cli_json_add_case_members (builder, record, NULL);
  json_builder_end_object (builder);
}

void
motcua_cli_json_add_case_event (JsonBuilder           *builder,
                                const MotcuaCaseEvent *event)
{
  json_builder_begin_object (builder);
  motcua_cli_json_add_string (builder, "at", event->at);
  motcua_cli_json_add_string (builder, "action", event->action);
  motcua_cli_json_add_string (builder, "detail", event->detail);
  motcua_cli_json_add_string (builder, "field", event->field);
  motcua_cli_json_add_string (builder, "old_value", event->old_value);
  motcua_cli_json_add_string (builder, "new_value", event->new_value);
  motcua_cli_json_add_string (builder, "from_office", event->from_office);
  motcua_cli_json_add_string (builder, "to_office", event->to_office);
  motcua_cli_json_add_string (builder, "receipt_no", event->receipt_no);
  motcua_cli_json_add_string (builder, "due_date", event->due_date);
  motcua_cli_json_add_string (builder, "ref", event->ref);
  motcua_cli_json_add_string (builder, "note", event->note);
  motcua_cli_json_add_string (builder, "officer", event->officer);
  motcua_cli_json_add_string (builder, "replica", event->replica);
  motcua_cli_json_add_string (builder, "id", event->id);
  json_builder_end_object (builder);
}

/* A change value is "mv": nothing for NULL, else an integer or a string. */
static GVariant *
change_value_unbox (GVariant *value)
{
  g_autoptr(GVariant) boxed = NULL;

  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE ("mv")))
    return NULL;
  boxed = g_variant_get_maybe (value);
  if (boxed == NULL)
    return NULL;

  return g_variant_get_variant (boxed);
}

char *
motcua_cli_change_value_to_string (GVariant *value)
{
  g_autoptr(GVariant) inner = change_value_unbox (value);

  if (inner == NULL)
    return NULL;
  if (g_variant_is_of_type (inner, G_VARIANT_TYPE_INT64))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (inner));
  if (g_variant_is_of_type (inner, G_VARIANT_TYPE_STRING))
    return g_variant_dup_string (inner, NULL);

  return g_variant_print (inner, TRUE);
}

void
motcua_cli_json_add_change (JsonBuilder        *builder,
                            const MotcuaChange *change)
{
  g_autoptr(GVariant) inner = change_value_unbox (change->value);
  g_autofree char *hlc = motcua_hlc_to_string (change->hlc);

  json_builder_begin_object (builder);
  motcua_cli_json_add_string (builder, "origin", change->origin);
  motcua_cli_json_add_int (builder, "seq", (gint64) change->seq);
  motcua_cli_json_add_int (builder, "hlc", (gint64) change->hlc);
  motcua_cli_json_add_string (builder, "hlc_text", hlc);
  motcua_cli_json_add_string (builder, "table", change->table);
  motcua_cli_json_add_string (builder, "row_id", change->row_id);
  motcua_cli_json_add_string (builder, "column", change->column);
  json_builder_set_member_name (builder, "value");
  if (inner == NULL)
    json_builder_add_null_value (builder);
  else if (g_variant_is_of_type (inner, G_VARIANT_TYPE_INT64))
    json_builder_add_int_value (builder, g_variant_get_int64 (inner));
  else if (g_variant_is_of_type (inner, G_VARIANT_TYPE_STRING))
    json_builder_add_string_value (builder, g_variant_get_string (inner, NULL));
  else
    {
      g_autofree char *text = g_variant_print (inner, TRUE);

      json_builder_add_string_value (builder, text);
    }
  motcua_cli_json_add_int (builder, "prev_hlc", (gint64) change->prev_hlc);
  json_builder_end_object (builder);
}
