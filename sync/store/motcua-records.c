/* motcua-records.c: copies of replicated rows
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-records.h"
#include "motcua-replica-private.h"

static const char *level_names[MOTCUA_N_LEVELS] = { "province", "department", "district", "commune" };

static const char *time_units[MOTCUA_N_TIME_UNITS] = { "working_days", "days", "hours" };
static const guint time_unit_max[MOTCUA_N_TIME_UNITS] = { 365, 730, 720 };

const char *
motcua_time_unit_to_string (MotcuaTimeUnit unit)
{
  g_return_val_if_fail ((guint) unit < MOTCUA_N_TIME_UNITS, NULL);

  return time_units[unit];
}

gboolean
motcua_time_unit_from_string (const char     *text,
                              MotcuaTimeUnit *out)
{
  for (guint i = 0; text != NULL && i < MOTCUA_N_TIME_UNITS; i++)
    if (strcmp (text, time_units[i]) == 0)
      {
        *out = (MotcuaTimeUnit) i;
        return TRUE;
      }

  return FALSE;
}

guint
motcua_time_unit_max (MotcuaTimeUnit unit)
{
  g_return_val_if_fail ((guint) unit < MOTCUA_N_TIME_UNITS, 0);

  return time_unit_max[unit];
}

const char *
motcua_level_to_string (MotcuaLevel level)
{
  g_return_val_if_fail ((guint) level < MOTCUA_N_LEVELS, NULL);

  return level_names[level];
}

gboolean
motcua_level_from_string (const char  *text,
                          MotcuaLevel *out)
{
  for (guint i = 0; text != NULL && i < MOTCUA_N_LEVELS; i++)
    if (strcmp (text, level_names[i]) == 0)
      {
        *out = (MotcuaLevel) i;
        return TRUE;
      }

  return FALSE;
}

char *
_motcua_levels_to_string (guint levels)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint l = 0; l < MOTCUA_N_LEVELS; l++)
    if (levels & (1u << l))
      {
        if (out->len > 0)
          g_string_append_c (out, ',');
        g_string_append (out, motcua_level_to_string ((MotcuaLevel) l));
      }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

guint
_motcua_levels_from_string (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ",", -1);
  guint levels = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      MotcuaLevel level;

      if (motcua_level_from_string (parts[i], &level))
        levels |= 1u << level;
    }

  return levels;
}

MotcuaOffice *
motcua_office_copy (const MotcuaOffice *self)
{
  MotcuaOffice *copy = g_new0 (MotcuaOffice, 1);

  copy->id = g_strdup (self->id);
  copy->code = g_strdup (self->code);
  copy->name = g_strdup (self->name);
  copy->level = self->level;
  copy->parent_code = g_strdup (self->parent_code);
  copy->in_force_from = g_strdup (self->in_force_from);
  copy->in_force_to = g_strdup (self->in_force_to);
  copy->successor_code = g_strdup (self->successor_code);
  copy->centre = g_strdup (self->centre);
  copy->n_former_parents = self->n_former_parents;
  copy->former_parents = g_new0 (MotcuaOfficeParent, MAX (self->n_former_parents, 1));
  for (guint i = 0; i < self->n_former_parents; i++)
    {
      copy->former_parents[i].code = g_strdup (self->former_parents[i].code);
      memcpy (copy->former_parents[i].until, self->former_parents[i].until,
              sizeof copy->former_parents[i].until);
    }

  return copy;
}

void
motcua_office_free (MotcuaOffice *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->code);
  g_free (self->name);
  g_free (self->parent_code);
  g_free (self->in_force_from);
  g_free (self->in_force_to);
  g_free (self->successor_code);
  g_free (self->centre);
  for (guint i = 0; i < self->n_former_parents; i++)
    g_free (self->former_parents[i].code);
  g_free (self->former_parents);
  g_free (self);
}

/* Whether @day (YYYY-MM-DD) is within @from–@to, either of which may be open (NULL). */
static gboolean
in_force (const char *from,
          const char *to,
          const char *day)
{
  return (from == NULL || strcmp (from, day) <= 0) && (to == NULL || strcmp (day, to) <= 0);
}

gboolean
motcua_procedure_in_force (const MotcuaProcedure *self,
                           const char            *day)
{
  return in_force (self->in_force_from, self->in_force_to, day);
}

gboolean
motcua_office_in_force (const MotcuaOffice *self,
                        const char         *day)
{
  return in_force (self->in_force_from, self->in_force_to, day);
}

const char *
motcua_office_parent_on (const MotcuaOffice *self,
                         const char         *day)
{
  for (guint i = 0; i < self->n_former_parents; i++)
    if (strcmp (day, self->former_parents[i].until) <= 0)
      return self->former_parents[i].code;

  return self->parent_code;
}

MotcuaProcedure *
motcua_procedure_copy (const MotcuaProcedure *self)
{
  MotcuaProcedure *copy = g_memdup2 (self, sizeof *self);

  copy->id = g_strdup (self->id);
  copy->code = g_strdup (self->code);
  copy->name = g_strdup (self->name);
  copy->sector = g_strdup (self->sector);
  copy->fee_note = g_strdup (self->fee_note);
  copy->documents = g_strdupv (self->documents);
  copy->legal_basis = g_strdupv (self->legal_basis);
  copy->in_force_from = g_strdup (self->in_force_from);
  copy->in_force_to = g_strdup (self->in_force_to);

  return copy;
}

void
motcua_procedure_free (MotcuaProcedure *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->code);
  g_free (self->name);
  g_free (self->sector);
  g_free (self->fee_note);
  g_strfreev (self->documents);
  g_strfreev (self->legal_basis);
  g_free (self->in_force_from);
  g_free (self->in_force_to);
  g_free (self);
}

MotcuaCase *
motcua_case_copy (const MotcuaCase *self)
{
  MotcuaCase *copy = g_memdup2 (self, sizeof *self);

  copy->id = g_strdup (self->id);
  copy->receipt_no = g_strdup (self->receipt_no);
  copy->procedure_code = g_strdup (self->procedure_code);
  copy->procedure_name = g_strdup (self->procedure_name);
  copy->receiving_office = g_strdup (self->receiving_office);
  copy->handling_office = g_strdup (self->handling_office);
  copy->applicant_name = g_strdup (self->applicant_name);
  copy->citizen_id = g_strdup (self->citizen_id);
  copy->phone = g_strdup (self->phone);
  copy->address = g_strdup (self->address);
  copy->received_at = g_strdup (self->received_at);
  copy->clock_start = g_strdup (self->clock_start);
  copy->due_date = g_strdup (self->due_date);
  copy->papers = self->papers ? g_array_copy (self->papers) : NULL;
  copy->resolved_at = g_strdup (self->resolved_at);
  copy->result = g_strdup (self->result);
  copy->returned_at = g_strdup (self->returned_at);

  return copy;
}

void
motcua_case_free (MotcuaCase *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->receipt_no);
  g_free (self->procedure_code);
  g_free (self->procedure_name);
  g_free (self->receiving_office);
  g_free (self->handling_office);
  g_free (self->applicant_name);
  g_free (self->citizen_id);
  g_free (self->phone);
  g_free (self->address);
  g_free (self->received_at);
  g_free (self->clock_start);
  g_free (self->due_date);
  g_clear_pointer (&self->papers, g_array_unref);
  g_free (self->resolved_at);
  g_free (self->result);
  g_free (self->returned_at);
  g_free (self);
}

MotcuaCaseEvent *
motcua_case_event_copy (const MotcuaCaseEvent *self)
{
  MotcuaCaseEvent *copy = g_new0 (MotcuaCaseEvent, 1);

  copy->id = g_strdup (self->id);
  copy->at = g_strdup (self->at);
  copy->replica = g_strdup (self->replica);
  copy->officer = g_strdup (self->officer);
  copy->action = g_strdup (self->action);
  copy->detail = g_strdup (self->detail);
  copy->note = g_strdup (self->note);
  copy->field = g_strdup (self->field);
  copy->old_value = g_strdup (self->old_value);
  copy->new_value = g_strdup (self->new_value);
  copy->from_office = g_strdup (self->from_office);
  copy->to_office = g_strdup (self->to_office);
  copy->receipt_no = g_strdup (self->receipt_no);
  copy->due_date = g_strdup (self->due_date);
  copy->ref = g_strdup (self->ref);

  return copy;
}

void
motcua_case_event_free (MotcuaCaseEvent *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->at);
  g_free (self->replica);
  g_free (self->officer);
  g_free (self->action);
  g_free (self->detail);
  g_free (self->note);
  g_free (self->field);
  g_free (self->old_value);
  g_free (self->new_value);
  g_free (self->from_office);
  g_free (self->to_office);
  g_free (self->receipt_no);
  g_free (self->due_date);
  g_free (self->ref);
  g_free (self);
}

void
motcua_calendar_entry_free (MotcuaCalendarEntry *self)
{
  if (self == NULL)
    return;

  g_free (self->date);
  g_free (self->kind);
  g_free (self->name);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (MotcuaOffice, motcua_office, motcua_office_copy, motcua_office_free)
G_DEFINE_BOXED_TYPE (MotcuaProcedure, motcua_procedure, motcua_procedure_copy,
                     motcua_procedure_free)
G_DEFINE_BOXED_TYPE (MotcuaCase, motcua_case, motcua_case_copy, motcua_case_free)
G_DEFINE_BOXED_TYPE (MotcuaCaseEvent, motcua_case_event, motcua_case_event_copy,
                     motcua_case_event_free)
