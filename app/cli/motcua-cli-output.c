/* motcua-cli-output.c: JSON and words for the records of motcua-cli
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-cli-output.h"


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
motcua_cli_time_limit_to_string (guint          amount,
                                 MotcuaTimeUnit unit)
{
  switch (unit)
    {
    case MOTCUA_TIME_DAYS:
      return g_strdup_printf (ngettext ("%u day", "%u days", amount), amount);
    case MOTCUA_TIME_HOURS:
      return g_strdup_printf (ngettext ("%u hour", "%u hours", amount), amount);
    case MOTCUA_TIME_WORKING_DAYS:
    default:
      if (amount == 0)
        return g_strdup (_("the same day"));
      return g_strdup_printf (ngettext ("%u working day", "%u working days", amount), amount);
    }
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
  motcua_json_add_string (builder, "code", procedure->code);
  motcua_json_add_boolean (builder, "code_official", procedure->code_official);
  motcua_json_add_string (builder, "name", procedure->name);
  motcua_json_add_string (builder, "sector", procedure->sector);
  json_builder_set_member_name (builder, "levels");
  json_builder_begin_array (builder);
  for (guint level = 0; level < MOTCUA_N_LEVELS; level++)
    if (procedure->levels & (1u << level))
      json_builder_add_string_value (builder, motcua_level_to_string ((MotcuaLevel) level));
  json_builder_end_array (builder);
  motcua_json_add_int (builder, "processing_days", procedure->processing_days);
  motcua_json_add_string (builder, "time_unit", motcua_time_unit_to_string (procedure->time_unit));
  motcua_json_add_int (builder, "fee", procedure->fee);
  motcua_json_add_string (builder, "fee_note", procedure->fee_note);
  motcua_json_add_string (builder, "online", procedure->online_full ? "full" : "partial");
  motcua_json_add_strv (builder, "documents", (const char *const *) procedure->documents);
  motcua_json_add_strv (builder, "legal_basis", (const char *const *) procedure->legal_basis);
  motcua_json_add_string (builder, "in_force_from", procedure->in_force_from);
  motcua_json_add_string (builder, "in_force_to", procedure->in_force_to);
  motcua_json_add_boolean (builder, "sample", procedure->sample);
  motcua_json_add_string (builder, "id", procedure->id);
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
  motcua_json_add_string (builder, "id", record->id);
  motcua_json_add_string (builder, "receipt_no", record->receipt_no);
  motcua_json_add_string (builder, "procedure", record->procedure_code);
  motcua_json_add_string (builder, "procedure_name", record->procedure_name);
  motcua_json_add_string (builder, "receiving_office", record->receiving_office);
  motcua_json_add_string (builder, "handling_office", record->handling_office);
  if (g_strcmp0 (record->handling_office, record->receiving_office) != 0)
    motcua_json_add_string (builder, "return_at",
                            record->return_at_deciding ? "deciding" : "receiving");

  json_builder_set_member_name (builder, "applicant");
  json_builder_begin_object (builder);
  motcua_json_add_string (builder, "name", record->applicant_name);
  motcua_json_add_string (builder, "citizen_id", record->citizen_id);
  motcua_json_add_string (builder, "phone", record->phone);
  motcua_json_add_string (builder, "address", record->address);
  json_builder_end_object (builder);

  motcua_json_add_string (builder, "channel", motcua_channel_to_string (record->channel));
  motcua_json_add_string (builder, "priority", motcua_priority_to_string (record->priority));
  motcua_json_add_string (builder, "received_at", record->received_at);
  motcua_json_add_string (builder, "clock_start", record->clock_start);
  motcua_json_add_string (builder, "due_date", record->due_date);
  motcua_json_add_string (builder, "status", motcua_status_to_string (record->status));
  motcua_json_add_int (builder, "status_generation", record->status_generation);

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
          motcua_json_add_int (builder, "index", i);
          motcua_json_add_string (builder, "name", procedure->documents[i]);
          motcua_json_add_boolean (builder, "received", motcua_cli_case_has_paper (record, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  motcua_json_add_string (builder, "resolved_at", record->resolved_at);
  motcua_json_add_string (builder, "result", record->result);
  motcua_json_add_string (builder, "returned_at", record->returned_at);
  motcua_json_add_string (builder, "returned_via",
                          record->returned_at != NULL
                          ? motcua_channel_to_string (record->returned_via) : NULL);
  json_builder_set_member_name (builder, "rating");
  if (record->rating > 0)
    json_builder_add_int_value (builder, record->rating);
  else
    json_builder_add_null_value (builder);
  motcua_json_add_string (builder, "sync_state",
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
  motcua_json_add_string (builder, "at", event->at);
  motcua_json_add_string (builder, "action", event->action);
  motcua_json_add_string (builder, "detail", event->detail);
  motcua_json_add_string (builder, "field", event->field);
  motcua_json_add_string (builder, "old_value", event->old_value);
  motcua_json_add_string (builder, "new_value", event->new_value);
  motcua_json_add_string (builder, "from_office", event->from_office);
  motcua_json_add_string (builder, "to_office", event->to_office);
  motcua_json_add_string (builder, "receipt_no", event->receipt_no);
  motcua_json_add_string (builder, "due_date", event->due_date);
  motcua_json_add_string (builder, "ref", event->ref);
  motcua_json_add_string (builder, "note", event->note);
  motcua_json_add_string (builder, "officer", event->officer);
  motcua_json_add_string (builder, "replica", event->replica);
  motcua_json_add_string (builder, "id", event->id);
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
  motcua_json_add_string (builder, "origin", change->origin);
  motcua_json_add_int (builder, "seq", (gint64) change->seq);
  motcua_json_add_int (builder, "hlc", (gint64) change->hlc);
  motcua_json_add_string (builder, "hlc_text", hlc);
  motcua_json_add_string (builder, "table", change->table);
  motcua_json_add_string (builder, "row_id", change->row_id);
  motcua_json_add_string (builder, "column", change->column);
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
  motcua_json_add_int (builder, "prev_hlc", (gint64) change->prev_hlc);
  json_builder_end_object (builder);
}
