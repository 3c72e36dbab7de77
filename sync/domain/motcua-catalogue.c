/* motcua-catalogue.c: procedures and the calendar (province-authored data)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-cases-private.h"
#include "motcua-error.h"
#include "motcua-domain-private.h"
#include "motcua-text.h"

/* Codes */

gboolean
_motcua_check_code (const char  *field,
            const char  *code,
            GError     **error)
{
  if (!motcua_check_required (field, code, error))
    return FALSE;

  if (strlen (code) > 40
      || strspn (code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen (code))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("%s “%s” must be 1–40 capital letters, digits, dots, dashes or underscores"),
                   field, code);
      return FALSE;
    }

  return TRUE;
}

/* Procedures */

static char *
strv_to_json (const char *const *strv)
{
  g_autoptr(GString) json = g_string_new ("[");

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      _motcua_json_append_string (json, strv[i]);
    }
  g_string_append_c (json, ']');

  return g_string_free (g_steal_pointer (&json), FALSE);
}

static GStrv
strv_from_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *root;

  if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *s = json_array_get_string_element (array, i);

          if (s != NULL)
            g_strv_builder_add (builder, s);
        }
    }

  return g_strv_builder_end (builder);
}

gboolean
motcua_replica_put_procedure (MotcuaReplica          *self,
                              const MotcuaProcedure  *procedure,
                              GError                **error)
{
  g_autofree char *levels = NULL;
  g_autofree char *receiving_levels = NULL;
  g_autofree char *documents = NULL;
  g_autofree char *legal_basis = NULL;
  MotcuaValue values[17];
  MotcuaUuid id;
  const char *code;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (procedure != NULL, FALSE);

  code = procedure->code;
  if (!_motcua_check_code ("procedure code", code, error)
      || !motcua_check_required (_("procedure name"), procedure->name, error)
      || !motcua_check_required (_("sector"), procedure->sector, error))
    return FALSE;

  if (procedure->levels == 0 || procedure->levels >= (1u << MOTCUA_N_LEVELS))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("procedure %s: levels must name at least one of province, department,"
                   " district, commune"), code);
      return FALSE;
    }
  if (procedure->receiving_levels >= (1u << MOTCUA_N_LEVELS))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("procedure %s: receiving_levels may name only province, department,"
                     " district, commune"), code);
      return FALSE;
    }
  if ((guint) procedure->time_unit >= MOTCUA_N_TIME_UNITS)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("procedure %s: time_unit %d is not working_days, days or hours"),
                   code, (int) procedure->time_unit);
      return FALSE;
    }
  if (procedure->processing_days > motcua_time_unit_max (procedure->time_unit))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("procedure %s: processing_days %u is more than %u %s"),
                   code, procedure->processing_days, motcua_time_unit_max (procedure->time_unit),
                   motcua_time_unit_to_string (procedure->time_unit));
      return FALSE;
    }
  if (procedure->fee < 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("procedure %s: fee %lld is negative"), code, (long long) procedure->fee);
      return FALSE;
    }
  if (procedure->documents == NULL || procedure->documents[0] == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("procedure %s: documents must list at least one required paper"), code);
      return FALSE;
    }
  for (guint i = 0; procedure->documents[i] != NULL; i++)
    if (!motcua_check_required (_("document"), procedure->documents[i], error))
      return FALSE;
  if ((procedure->in_force_from != NULL
       && !motcua_check_date ("in_force_from", procedure->in_force_from, NULL, error))
      || (procedure->in_force_to != NULL
          && !motcua_check_date ("in_force_to", procedure->in_force_to, NULL, error)))
    return FALSE;

  motcua_uuid_for_key (&id, "procedure", code);
  levels = _motcua_levels_to_string (procedure->levels);
  documents = strv_to_json ((const char *const *) procedure->documents);
  legal_basis = strv_to_json ((const char *const *) procedure->legal_basis);

  values[0] = MOTCUA_VALUE_TEXT (code);
  values[1] = MOTCUA_VALUE_INT (procedure->code_official ? 1 : 0);
  values[2] = MOTCUA_VALUE_TEXT (procedure->name);
  values[3] = MOTCUA_VALUE_TEXT (procedure->sector);
  values[4] = MOTCUA_VALUE_TEXT (levels);
  values[5] = MOTCUA_VALUE_INT (procedure->processing_days);
  values[6] = MOTCUA_VALUE_INT (procedure->fee);
  values[7] = MOTCUA_VALUE_TEXT (procedure->fee_note);
  values[8] = MOTCUA_VALUE_TEXT (procedure->online_full ? "full" : "partial");
  values[9] = MOTCUA_VALUE_TEXT (documents);
  values[10] = MOTCUA_VALUE_TEXT (legal_basis);
  values[11] = MOTCUA_VALUE_TEXT (procedure->in_force_from);
  values[12] = MOTCUA_VALUE_TEXT (procedure->in_force_to);
  values[13] = MOTCUA_VALUE_INT (procedure->sample ? 1 : 0);
  values[14] = MOTCUA_VALUE_INT (0);
  /* NULL for working days, so that rows written before the unit existed read the same. */
  values[15] = procedure->time_unit != MOTCUA_TIME_WORKING_DAYS
               ? MOTCUA_VALUE_TEXT (motcua_time_unit_to_string (procedure->time_unit))
               : MOTCUA_VALUE_NULL;
  receiving_levels = procedure->receiving_levels != 0
                     ? _motcua_levels_to_string (procedure->receiving_levels) : NULL;
  values[16] = MOTCUA_VALUE_TEXT (receiving_levels);

  if (!motcua_replica_begin (self, error))
    return FALSE;
  if (!_motcua_replica_write_row (self, _motcua_table_lookup (MOTCUA_TABLE_PROCEDURES), &id,
                                  values, 0x1ffff, _motcua_replica_authority (self),
                                  _motcua_replica_tick (self), NULL, error))
    {
      motcua_replica_rollback (self);
      return FALSE;
    }
  g_hash_table_remove (self->procedures, code);

  return motcua_replica_commit (self, error);
}

static gboolean
add_procedure (const MotcuaStoreProcedureRow  *row,
               gpointer                        user_data,
               GError                        **error)
{
  MotcuaProcedure *p = g_new0 (MotcuaProcedure, 1);
  char id[37];

  motcua_uuid_to_string (row->id, id);
  p->id = g_strdup (id);
  p->code = g_strdup (row->code);
  p->code_official = row->code_official;
  p->name = g_strdup (row->name);
  p->sector = g_strdup (row->sector);
  p->levels = _motcua_levels_from_string (row->levels);
  p->processing_days = (guint) row->processing_days;
  /* A unit this build does not know (from a newer one) reads as working days. */
  p->time_unit = MOTCUA_TIME_WORKING_DAYS;
  motcua_time_unit_from_string (row->time_unit, &p->time_unit);
  p->fee = row->fee;
  p->fee_note = g_strdup (row->fee_note);
  p->online_full = g_strcmp0 (row->online, "full") == 0;
  p->documents = strv_from_json (row->documents);
  p->legal_basis = strv_from_json (row->legal_basis);
  p->in_force_from = g_strdup (row->in_force_from);
  p->in_force_to = g_strdup (row->in_force_to);
  p->sample = row->sample;
  p->receiving_levels = _motcua_levels_from_string (row->receiving_levels);
  g_ptr_array_add (user_data, p);

  return TRUE;
}

static GPtrArray *
new_procedure_list (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) motcua_procedure_free);
}

MotcuaProcedure *
motcua_replica_dup_procedure (MotcuaReplica  *self,
                              const char     *code,
                              GError        **error)
{
  g_autoptr(GPtrArray) found = new_procedure_list ();

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (!_motcua_store_procedures_get (self, code, add_procedure, found, error))
    return NULL;
  if (found->len == 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                   _("procedure “%s” is not in the catalogue"), code ? code : "");
      return NULL;
    }

  return g_ptr_array_steal_index (found, 0);
}

GPtrArray *
motcua_replica_list_procedures (MotcuaReplica  *self,
                                const char     *sector,
                                int             level,
                                GError        **error)
{
  g_autoptr(GPtrArray) out = new_procedure_list ();
  const char *level_name = NULL;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (level >= 0 && level < MOTCUA_N_LEVELS)
    level_name = motcua_level_to_string ((MotcuaLevel) level);
  if (!_motcua_store_procedures_each (self, sector, level_name, add_procedure, out, error))
    return NULL;

  return g_steal_pointer (&out);
}

GPtrArray *
motcua_replica_search_procedures (MotcuaReplica  *self,
                                  const char     *query,
                                  guint           limit,
                                  GError        **error)
{
  g_autofree char *match = _motcua_fts_query (query);
  g_autoptr(GPtrArray) out = NULL;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (match == NULL)
    return motcua_replica_list_procedures (self, NULL, -1, error);

  out = new_procedure_list ();
  if (!_motcua_store_procedures_search (self, match, limit > 0 ? limit : 50, add_procedure,
                                        out, error))
    return NULL;

  return g_steal_pointer (&out);
}

/* Calendar */

gboolean
motcua_replica_put_calendar_day (MotcuaReplica  *self,
                                 const char     *date,
                                 const char     *kind,
                                 const char     *name,
                                 GError        **error)
{
  MotcuaValue values[4];
  MotcuaUuid id;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  if (!motcua_check_date (_("date"), date, NULL, error))
    return FALSE;
  if (g_strcmp0 (kind, "holiday") != 0 && g_strcmp0 (kind, "off") != 0
      && g_strcmp0 (kind, "working") != 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("calendar %s: kind “%s” must be holiday, off or working"), date,
                   kind ? kind : "");
      return FALSE;
    }

  motcua_uuid_for_key (&id, "calendar", date);
  values[0] = MOTCUA_VALUE_TEXT (date);
  values[1] = MOTCUA_VALUE_TEXT (kind);
  values[2] = MOTCUA_VALUE_TEXT (name);
  values[3] = MOTCUA_VALUE_INT (0);

  if (!motcua_replica_begin (self, error))
    return FALSE;
  if (!_motcua_replica_write_row (self, _motcua_table_lookup (MOTCUA_TABLE_CALENDAR), &id, values,
                                  0xf, _motcua_replica_authority (self),
                                  _motcua_replica_tick (self), NULL, error))
    {
      motcua_replica_rollback (self);
      return FALSE;
    }
  _motcua_replica_drop_caches (self);

  return motcua_replica_commit (self, error);
}

static gboolean
add_calendar_entry (const MotcuaStoreCalendarRow  *row,
                    gpointer                       user_data,
                    GError                       **error)
{
  MotcuaCalendarEntry *entry = g_new0 (MotcuaCalendarEntry, 1);

  entry->date = g_strdup (row->date);
  entry->kind = g_strdup (row->kind);
  entry->name = g_strdup (row->name);
  g_ptr_array_add (user_data, entry);

  return TRUE;
}

GPtrArray *
motcua_replica_list_calendar (MotcuaReplica  *self,
                              int             year,
                              GError        **error)
{
  g_autoptr(GPtrArray) out =
    g_ptr_array_new_with_free_func ((GDestroyNotify) motcua_calendar_entry_free);
  g_autofree char *prefix = g_strdup_printf ("%04d-", year);

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (!_motcua_store_calendar_each (self, year > 0 ? prefix : NULL, add_calendar_entry, out,
                                    error))
    return NULL;

  return g_steal_pointer (&out);
}

MotcuaCalendar *
motcua_replica_dup_calendar (MotcuaReplica  *self,
                             GError        **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (self->calendar == NULL)
    {
      g_autoptr(GPtrArray) days = motcua_replica_list_calendar (self, 0, error);
      g_autoptr(MotcuaCalendar) calendar = NULL;

      if (days == NULL)
        return NULL;

      calendar = motcua_calendar_new ();
      for (guint i = 0; i < days->len; i++)
        {
          MotcuaCalendarEntry *entry = g_ptr_array_index (days, i);
          MotcuaDayKind kind = MOTCUA_DAY_OFF;
          GDate date;

          if (!motcua_check_date (_("date"), entry->date, &date, NULL))
            continue;
          motcua_calendar_set_year_published (calendar, g_date_get_year (&date));
          if (g_strcmp0 (entry->kind, "holiday") == 0)
            kind = MOTCUA_DAY_HOLIDAY;
          else if (g_strcmp0 (entry->kind, "working") == 0)
            kind = MOTCUA_DAY_WORKING;
          motcua_calendar_set_day (calendar, &date, kind, entry->name);
        }

      self->calendar = g_steal_pointer (&calendar);
      self->calendar_free = (GDestroyNotify) motcua_calendar_unref;
    }

  return motcua_calendar_ref (self->calendar);
}

char *
motcua_replica_compute_due_date (MotcuaReplica  *self,
                                 const char     *procedure_code,
                                 const char     *received_at,
                                 GError        **error)
{
  return motcua_replica_compute_due_date_for_channel (self, procedure_code, received_at,
                                                      MOTCUA_CHANNEL_COUNTER, error);
}

char *
motcua_replica_compute_due_date_for_channel (MotcuaReplica  *self,
                                             const char     *procedure_code,
                                             const char     *received_at,
                                             MotcuaChannel   channel,
                                             GError        **error)
{
  g_autoptr(MotcuaProcedure) procedure = NULL;
  g_autofree char *at = NULL;
  char day[11], due[11];
  gboolean moved;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  procedure = motcua_replica_dup_procedure (self, procedure_code, error);
  if (procedure == NULL)
    return NULL;
  at = received_at ? motcua_normalize_datetime ("received_at", received_at, error)
                   : _motcua_replica_now_iso (self);
  if (at == NULL)
    return NULL;
  if (!_motcua_clock_start_for (self, channel, at, day, &moved, error)
      || !_motcua_due_date_for (self, moved ? day : at, procedure->time_unit,
                                procedure->processing_days, due, error))
    return NULL;

  return g_strdup (due);
}
