/* motcua-corrections.c: correcting a case's fields (the applicant, the papers, the result,
 * the rating…), each with its old and new value in the timeline
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-cases-private.h"
#include "motcua-error.h"
#include "motcua-text.h"

/* Editing */

/* What an officer may correct, and how the desk and the CLI name a field: one table, the
 * cases' column descriptions (motcua-tables.c). */
static gboolean
is_editable (const char *field)
{
  int column = field != NULL ? _motcua_table_column (_motcua_cases_table (), field) : -1;

  return column > 0 && _motcua_cases_table ()->columns[column - 1].editable;
}

GStrv
motcua_case_editable_fields (void)
{
  const MotcuaTableDesc *table = _motcua_cases_table ();
  g_autoptr(GStrvBuilder) fields = g_strv_builder_new ();

  for (guint c = 0; c < table->n_columns; c++)
    if (table->columns[c].editable)
      g_strv_builder_add (fields, table->columns[c].name);

  return g_strv_builder_end (fields);
}

const char *
motcua_case_field_label (const char *field)
{
  int column = field != NULL ? _motcua_table_column (_motcua_cases_table (), field) : -1;

  if (column < 1 || _motcua_cases_table ()->columns[column - 1].label == NULL)
    return field;

  return _(_motcua_cases_table ()->columns[column - 1].label);
}


gboolean
_motcua_case_edit_in_tx (MotcuaReplica     *self,
                         const char        *key,
                         const char        *field,
                         const char        *value,
                         const char        *note,
                         const MotcuaUuid  *conflict,
                         GError           **error)
{
  g_autoptr(MotcuaCase) current = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *old_value = NULL;
  g_autofree char *new_value = NULL;
  MotcuaEventFacts facts = { NULL };
  MotcuaValue values[N_CASE_COLUMNS] = { { 0 } };
  MotcuaUuid id;
  gint64 rid;
  int column;
  const char *empty_to_null = (value != NULL && *value != '\0') ? value : NULL;

  current = _motcua_case_dup_by_key (self, key, &rid, &id, error);
  if (current == NULL)
    return FALSE;

  if (_motcua_case_received_only (self, current)
      && g_strcmp0 (field, "phone") != 0 && g_strcmp0 (field, "address") != 0
      && g_strcmp0 (field, "rating") != 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("case %s is decided by %s: the desk that received it corrects only the"
                     " applicant's phone and address and the rating, not %s"),
                   current->receipt_no, current->handling_office, field);
      return FALSE;
    }
  if (!is_editable (field))
    {
      g_auto(GStrv) editable = motcua_case_editable_fields ();
      g_autofree char *list = g_strjoinv (", ", editable);

      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("field “%s” cannot be edited; editable fields: %s"), field ? field : "", list);
      return FALSE;
    }

  column = _motcua_table_column (_motcua_cases_table (), field) - 1;
  g_assert (column >= 0);
  values[column] = MOTCUA_VALUE_TEXT (empty_to_null);

  if (g_str_equal (field, "applicant_name"))
    {
      if (!motcua_check_required (_("applicant name"), value, error))
        return FALSE;
      normalized = g_strstrip (g_strdup (value));
      values[column] = MOTCUA_VALUE_TEXT (normalized);
    }
  else if (g_str_equal (field, "phone"))
    {
      if (empty_to_null != NULL
          && (normalized = motcua_normalize_phone (_("phone"), value, error)) == NULL)
        return FALSE;
      values[column] = MOTCUA_VALUE_TEXT (normalized);
    }
  else if (g_str_equal (field, "priority"))
    {
      MotcuaPriority priority = MOTCUA_PRIORITY_NONE;

      if (empty_to_null != NULL && !_motcua_check_priority_name (value, &priority, error))
        return FALSE;
      values[column] = priority == MOTCUA_PRIORITY_NONE ? MOTCUA_VALUE_NULL
                       : MOTCUA_VALUE_TEXT (motcua_priority_to_string (priority));
    }
  else if (g_str_equal (field, "papers"))
    {
      g_autoptr(GArray) papers = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(MotcuaProcedure) procedure = NULL;

      procedure = motcua_replica_dup_procedure (self, current->procedure_code, error);
      if (procedure == NULL || !_motcua_papers_parse (value, papers, error))
        return FALSE;
      normalized = _motcua_papers_to_string ((const guint *) (void *) papers->data, papers->len,
                                             g_strv_length (procedure->documents), error);
      if (normalized == NULL)
        return FALSE;
      values[column] = MOTCUA_VALUE_TEXT (normalized);
    }
  else if (g_str_equal (field, "rating"))
    {
      guint64 rating;

      if (!g_ascii_string_to_unsigned (value ? value : "", 10, 0, 5, &rating, NULL))
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("rating “%s” must be a whole number from 1 to 5 (0 clears it)"),
                       value ? value : "");
          return FALSE;
        }
      if (rating > 0 && current->status != MOTCUA_STATUS_RETURNED)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("rating: case %s is %s; the applicant rates it once the result is"
                         " returned"),
                       current->receipt_no, motcua_status_to_string (current->status));
          return FALSE;
        }
      values[column] = rating ? MOTCUA_VALUE_INT ((gint64) rating) : MOTCUA_VALUE_NULL;
    }
  else if (value != NULL && !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("%s is not valid UTF-8"), field);
      return FALSE;
    }

  old_value = _motcua_store_cases_dup_text (self, rid,
                                            _motcua_cases_table ()->columns[column].name);
  new_value = values[column].type == SQLITE_INTEGER
              ? g_strdup_printf ("%" G_GINT64_FORMAT, values[column].i)
              : g_strdup (values[column].s);
  facts.field = field;
  facts.old_value = old_value;
  facts.new_value = new_value;
  facts.ref = conflict;

  return _motcua_case_write (self, &id, values, BIT (column), _motcua_replica_tick (self), NULL,
                             "edited", &facts, note, error);
}

gboolean
motcua_replica_edit_case (MotcuaReplica  *self,
                          const char     *key,
                          const char     *field,
                          const char     *value,
                          const char     *note,
                          GError        **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  return motcua_replica_begin (self, error)
         && _motcua_replica_finish (self,
                                    _motcua_case_edit_in_tx (self, key, field, value, note, NULL,
                                                             error),
                                    error);
}
