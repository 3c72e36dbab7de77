/* motcua-reception.c: receiving a case: at the counter (a receipt number and a legal due date
 * by the procedure's time limit) and from an older system (historical import)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-cases-private.h"
#include "motcua-error.h"
#include "motcua-text.h"

static gboolean
procedure_lookup (MotcuaReplica               *self,
                  const char                  *code,
                  MotcuaUuid                  *id_out,
                  guint                       *days_out,
                  guint                       *n_documents_out,
                  const MotcuaProcedureInfo  **info_out,
                  GError                     **error)
{
  MotcuaProcedureInfo *info;

  if (!motcua_check_required (_("procedure"), code, error))
    return FALSE;

  /* A desk receives the same few procedures all day: remember what a reception needs of them.
   * The cache is dropped whenever procedures change or a transaction rolls back. */
  info = g_hash_table_lookup (self->procedures, code);
  if (info == NULL)
    {
      g_autofree MotcuaProcedureInfo *read = g_new0 (MotcuaProcedureInfo, 1);
      gboolean found;

      if (!_motcua_store_cases_procedure (self, code, read, &found, error))
        return FALSE;
      if (!found)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                       _("procedure “%s” is not in the catalogue"), code);
          return FALSE;
        }
      info = g_steal_pointer (&read);
      g_hash_table_insert (self->procedures, g_strdup (code), info);
    }

  *id_out = info->id;
  *days_out = info->processing_days;
  *n_documents_out = info->n_documents;
  if (info_out != NULL)
    *info_out = info;

  return TRUE;
}

/* Whether a dossier may be received under @info's procedure on @day (YYYY-MM-DD): the procedure
 * is in force from its first day to its last, both included. */
static gboolean
procedure_in_force (const char                 *code,
                    const MotcuaProcedureInfo  *info,
                    const char                 *day,
                    GError                    **error)
{
  if (info->in_force_from[0] != '\0' && strcmp (day, info->in_force_from) < 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("procedure “%s” comes into force on %s: a dossier cannot be received under"
                     " it on %s"), code, info->in_force_from, day);
      return FALSE;
    }
  if (info->in_force_to[0] != '\0' && strcmp (day, info->in_force_to) > 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("procedure “%s” was in force until %s: a dossier cannot be received under"
                     " it on %s"), code, info->in_force_to, day);
      return FALSE;
    }

  return TRUE;
}

/* Where a dossier received at @receiving under procedure @code goes: the receiving office must
 * be of a level that may receive it, and the office deciding it of a level that decides it and
 * in force on @day. @deciding NULL: the receiving office decides it, if its level does. */
static MotcuaOffice *
route_dossier (MotcuaReplica              *self,
               const char                 *code,
               const MotcuaProcedureInfo  *info,
               const char                 *receiving,
               const char                 *deciding,
               const char                 *day,
               GError                    **error)
{
  g_autoptr(MotcuaOffice) at = motcua_replica_dup_office (self, receiving, error);
  g_autoptr(MotcuaOffice) by = NULL;
  g_autofree char *levels = NULL;

  if (at == NULL)
    return NULL;
  if ((info->receiving_levels & (1u << at->level)) == 0)
    {
      levels = _motcua_levels_to_string (info->receiving_levels);
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("procedure “%s” is received at the levels %s: office %s is a %s"), code,
                   levels, at->code, motcua_level_to_string (at->level));
      return NULL;
    }
  if (deciding == NULL || strcmp (deciding, receiving) == 0)
    {
      if ((info->levels & (1u << at->level)) == 0)
        {
          levels = _motcua_levels_to_string (info->levels);
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("procedure “%s” is decided at the levels %s, not by office %s (a %s):"
                         " name the office that decides it"), code, levels, at->code,
                       motcua_level_to_string (at->level));
          return NULL;
        }
      return g_steal_pointer (&at);
    }

  by = motcua_replica_dup_office (self, deciding, error);
  if (by == NULL)
    return NULL;
  if ((info->levels & (1u << by->level)) == 0)
    {
      levels = _motcua_levels_to_string (info->levels);
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("procedure “%s” is decided at the levels %s: office %s is a %s"), code,
                   levels, by->code, motcua_level_to_string (by->level));
      return NULL;
    }
  if (!motcua_office_in_force (by, day))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("office %s was not in force on %s: it cannot decide a dossier received"
                     " then"), by->code, day);
      return NULL;
    }

  return g_steal_pointer (&by);
}

gboolean
_motcua_replica_case_due_date (MotcuaReplica  *self,
                               gint64          rid,
                               const char     *day,
                               char            out[11],
                               GError        **error)
{
  g_autofree char *received_at = NULL;
  MotcuaTimeUnit unit;
  gint64 days;

  if (!_motcua_store_cases_processing_days (self, rid, &days, &unit, &received_at, error))
    return FALSE;
  if (days < 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                   _("case %lld has no procedure in the catalogue"), (long long) rid);
      return FALSE;
    }

  return _motcua_due_date_for (self, _motcua_clock_start_moment (received_at, day), unit,
                               (guint) days, out, error);
}

static gboolean
receive_in_tx (MotcuaReplica          *self,
               const MotcuaReception  *r,
               MotcuaCase             *out,
               GError                **error)
{
  MotcuaUuid case_id_storage;
  MotcuaUuid *case_id = &case_id_storage;
  const MotcuaProcedureInfo *procedure = NULL;
  const char *office_code = r->receiving_office ? r->receiving_office : self->office_code;
  g_autofree char *phone = NULL;
  g_autofree char *received_at = NULL;
  g_autofree char *papers = NULL;
  g_autofree char *receipt_no = NULL;
  g_autofree char *status = NULL;
  g_autofree char *name = NULL;
  MotcuaEventFacts facts = { NULL };
  MotcuaValue values[N_CASE_COLUMNS] = { { 0 } };
  MotcuaUuid procedure_id, office_id, deciding_id;
  MotcuaStatusKey key = { 0, 0, MOTCUA_STATUS_RECEIVED };
  g_autoptr(MotcuaOffice) deciding = NULL;
  guint days, n_documents;
  char day[11], clock_day[11], due[11];
  gboolean moved, forwarded;
  MotcuaHlc hlc;

  if (!procedure_lookup (self, r->procedure_code, &procedure_id, &days, &n_documents, &procedure,
                         error)
      || !_motcua_replica_office_id (self, _("receiving office"), office_code, &office_id, error))
    return FALSE;
  if (!_motcua_replica_office_within (self, &office_id, &self->office_id, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                     _("receiving office “%s” is outside this replica's office %s"),
                     office_code, self->office_code);
      return FALSE;
    }

  if (!motcua_check_required (_("applicant name"), r->applicant_name, error)
      || !motcua_check_citizen_id (_("citizen ID"), r->citizen_id, error))
    return FALSE;
  if (r->phone != NULL && *r->phone != '\0'
      && (phone = motcua_normalize_phone (_("phone"), r->phone, error)) == NULL)
    return FALSE;
  if (r->address != NULL && !g_utf8_validate (r->address, -1, NULL))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("address is not valid UTF-8"));
      return FALSE;
    }
  if (!_motcua_check_channel (r->channel, error))
    return FALSE;
  if ((guint) r->priority >= MOTCUA_N_PRIORITIES)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("priority %d is not a priority group"), r->priority);
      return FALSE;
    }

  received_at = r->received_at ? motcua_normalize_datetime ("received_at", r->received_at, error)
                               : _motcua_replica_now_iso (self);
  if (received_at == NULL)
    return FALSE;
  papers = _motcua_papers_to_string (r->papers, r->n_papers, n_documents, error);
  if (papers == NULL)
    return FALSE;

  memcpy (day, received_at, 10);
  day[10] = '\0';
  /* received_at stays the true moment; the clock of an online dossier that came after the
   * cut-off or on a day off starts on the next working day. */
  if (!procedure_in_force (r->procedure_code, procedure, day, error)
      || !_motcua_office_check_open (self, office_code, day, error))
    return FALSE;
  deciding = route_dossier (self, r->procedure_code, procedure, office_code, r->deciding_office,
                            day, error);
  if (deciding == NULL || !motcua_uuid_parse (deciding->id, &deciding_id)
      || !_motcua_clock_start_for (self, r->channel, received_at, clock_day, &moved, error)
      || !_motcua_due_date_for (self, moved ? clock_day : received_at, procedure->time_unit,
                                days, due, error))
    return FALSE;

  forwarded = strcmp (deciding->code, office_code) != 0;
  if (r->return_at_deciding && !forwarded)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("office %s decides procedure “%s” itself: the result is handed back where"
                     " the dossier was received, so there is no deciding office to return it"),
                   office_code, r->procedure_code);
      return FALSE;
    }

  receipt_no = _motcua_receipt_next (self, &office_id, office_code, atoi (day), error);
  if (receipt_no == NULL)
    return FALSE;

  hlc = _motcua_replica_tick (self);
  motcua_uuid_v7_from_hlc (case_id, hlc);
  status = motcua_status_key_encode (&key);

  for (guint c = 0; c < N_CASE_COLUMNS; c++)
    values[c] = MOTCUA_VALUE_NULL;
  values[C_RECEIPT_NO] = MOTCUA_VALUE_TEXT (receipt_no);
  values[C_PROCEDURE_ID] = MOTCUA_VALUE_ID (&procedure_id);
  values[C_RECEIVING_OFFICE_ID] = MOTCUA_VALUE_ID (&office_id);
  values[C_HANDLING_OFFICE_ID] = MOTCUA_VALUE_ID (&deciding_id);
  name = g_strstrip (g_strdup (r->applicant_name));
  values[C_APPLICANT_NAME] = MOTCUA_VALUE_TEXT (name);
  values[C_CITIZEN_ID] = MOTCUA_VALUE_TEXT (r->citizen_id);
  values[C_PHONE] = MOTCUA_VALUE_TEXT (phone);
  values[C_ADDRESS] = (r->address && *r->address) ? MOTCUA_VALUE_TEXT (r->address)
                                                  : MOTCUA_VALUE_NULL;
  values[C_CHANNEL] = MOTCUA_VALUE_TEXT (motcua_channel_to_string (r->channel));
  values[C_PRIORITY] = r->priority != MOTCUA_PRIORITY_NONE
                       ? MOTCUA_VALUE_TEXT (motcua_priority_to_string (r->priority))
                       : MOTCUA_VALUE_NULL;
  values[C_RECEIVED_AT] = MOTCUA_VALUE_TEXT (received_at);
  values[C_CLOCK_START] = MOTCUA_VALUE_TEXT (clock_day);
  values[C_DUE_DATE] = MOTCUA_VALUE_TEXT (due);
  values[C_STATUS] = MOTCUA_VALUE_TEXT (status);
  values[C_PAPERS] = MOTCUA_VALUE_TEXT (papers);
  values[C_DELETED] = MOTCUA_VALUE_INT (0);
  if (forwarded)
    values[C_RETURN_AT] = MOTCUA_VALUE_TEXT (r->return_at_deciding ? "deciding" : "receiving");

  if (!_motcua_case_check_values (self, values, BIT (N_CASE_COLUMNS) - 1, &procedure_id, error)
      || !_motcua_replica_write_row (self, _motcua_cases_table (), case_id, values,
                                     BIT (N_CASE_COLUMNS) - 1, MOTCUA_WRITE_NEW, hlc, NULL, error))
    return FALSE;

  facts.receipt_no = receipt_no;
  facts.due_date = due;
  if (!_motcua_replica_add_case_event (self, case_id, hlc, received_at, "received", &facts,
                                       r->note, error))
    return FALSE;
  /* Received here, decided there: forwarded at once, and the timeline says so. */
  if (forwarded)
    {
      MotcuaEventFacts move = { NULL };

      move.field = "handling_office_id";
      move.from_office = office_code;
      move.to_office = deciding->code;
      /* Its own stamp, after the reception's: the timeline orders them so. */
      if (!_motcua_replica_add_case_event (self, case_id, _motcua_replica_tick (self),
                                           received_at, "forwarded", &move, NULL, error))
        return FALSE;
    }

  /* What the caller gets back is what was just written: no need to read it again. */
  {
    char id[37];

    motcua_uuid_to_string (case_id, id);
    out->id = g_strdup (id);
  }
  out->receipt_no = g_steal_pointer (&receipt_no);
  out->procedure_code = g_strdup (r->procedure_code);
  out->procedure_name = g_strdup (procedure->name);
  out->receiving_office = g_strdup (office_code);
  out->handling_office = g_strdup (deciding->code);
  out->applicant_name = g_steal_pointer (&name);
  out->citizen_id = g_strdup (r->citizen_id);
  out->phone = g_steal_pointer (&phone);
  out->address = (r->address && *r->address) ? g_strdup (r->address) : NULL;
  out->channel = r->channel;
  out->priority = r->priority;
  out->received_at = g_steal_pointer (&received_at);
  out->clock_start = g_strdup (clock_day);
  out->due_date = g_strdup (due);
  out->status = MOTCUA_STATUS_RECEIVED;
  out->return_at_deciding = r->return_at_deciding;
  out->papers = g_array_new (FALSE, FALSE, sizeof (guint));
  _motcua_papers_parse (papers, out->papers, NULL);
  out->sync_state = MOTCUA_SYNC_STATE_PENDING;

  return TRUE;
}

MotcuaCase *
motcua_replica_receive (MotcuaReplica          *self,
                        const MotcuaReception  *reception,
                        GError                **error)
{
  g_autoptr(MotcuaCase) received = g_new0 (MotcuaCase, 1);

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);
  g_return_val_if_fail (reception != NULL, NULL);

  if (!motcua_replica_begin (self, error))
    return NULL;
  if (!receive_in_tx (self, reception, received, error))
    {
      motcua_replica_rollback (self);
      return NULL;
    }
  if (!motcua_replica_commit (self, error))
    return NULL;

  return g_steal_pointer (&received);
}

/* Historical import */

static gboolean
import_case_in_tx (MotcuaReplica     *self,
                   const MotcuaCase  *r,
                   GError           **error)
{
  g_autofree char *received_at = NULL;
  g_autofree char *resolved_at = NULL;
  g_autofree char *returned_at = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *papers = NULL;
  g_autofree char *status = NULL;
  MotcuaEventFacts facts = { NULL };
  MotcuaValue values[N_CASE_COLUMNS] = { { 0 } };
  MotcuaUuid case_id, procedure_id, receiving_id, handling_id;
  MotcuaStatusKey key;
  const MotcuaProcedureInfo *procedure = NULL;
  guint days, n_documents;
  char day[11], due[11];
  MotcuaHlc hlc;

  if (!motcua_check_required ("receipt_no", r->receipt_no, error))
    return FALSE;
  if (_motcua_replica_case_rid (self, r->receipt_no, NULL, NULL, NULL))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_EXISTS,
                   _("receipt_no “%s” is already a case of this replica"), r->receipt_no);
      return FALSE;
    }
  if (!procedure_lookup (self, r->procedure_code, &procedure_id, &days, &n_documents, &procedure,
                         error)
      || !_motcua_replica_office_id (self, "receiving_office", r->receiving_office, &receiving_id,
                                     error)
      || !_motcua_replica_office_id (self, "handling_office",
                                     r->handling_office ? r->handling_office : r->receiving_office,
                                     &handling_id, error)
      || !motcua_check_required (_("applicant name"), r->applicant_name, error)
      || !motcua_check_citizen_id ("citizen_id", r->citizen_id, error)
      || !_motcua_check_channel ((int) r->channel, error))
    return FALSE;
  if (r->phone != NULL && *r->phone != '\0'
      && (phone = motcua_normalize_phone (_("phone"), r->phone, error)) == NULL)
    return FALSE;
  if ((received_at = motcua_normalize_datetime ("received_at", r->received_at, error)) == NULL)
    return FALSE;
  memcpy (day, received_at, 10);
  day[10] = '\0';
  if (!_motcua_office_check_open (self, r->receiving_office, day, error))
    return FALSE;
  if ((guint) r->status >= MOTCUA_N_STATUSES || (guint) r->priority >= MOTCUA_N_PRIORITIES)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("status or priority out of range"));
      return FALSE;
    }
  if (r->resolved_at != NULL
      && (resolved_at = motcua_normalize_datetime ("resolved_at", r->resolved_at, error)) == NULL)
    return FALSE;
  if (r->returned_at != NULL
      && (returned_at = motcua_normalize_datetime ("returned_at", r->returned_at, error)) == NULL)
    return FALSE;
  if (!motcua_status_is_open (r->status) && resolved_at == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("resolved_at is required for a case that is %s"),
                   motcua_status_to_string (r->status));
      return FALSE;
    }
  if (motcua_status_is_open (r->status) && resolved_at != NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("resolved_at must be empty for a case that is %s"),
                   motcua_status_to_string (r->status));
      return FALSE;
    }
  if ((resolved_at != NULL && strcmp (resolved_at, received_at) < 0)
      || (returned_at != NULL && strcmp (returned_at, received_at) < 0))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("resolved_at or returned_at is before received_at %s"), received_at);
      return FALSE;
    }
  if (r->status == MOTCUA_STATUS_RETURNED && returned_at == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("returned_at is required for a returned case"));
      return FALSE;
    }
  if (r->rating < 0 || r->rating > 5)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("rating %d must be from 1 to 5 (0: none)"), r->rating);
      return FALSE;
    }
  papers = _motcua_papers_to_string (r->papers ? (const guint *) (void *) r->papers->data : NULL,
                                     r->papers ? r->papers->len : 0, n_documents, error);
  if (papers == NULL)
    return FALSE;

  if (r->due_date != NULL)
    {
      if (!motcua_check_date ("due_date", r->due_date, NULL, error))
        return FALSE;
      g_strlcpy (due, r->due_date, sizeof due);
    }
  else if (r->clock_start != NULL && !motcua_check_date ("clock_start", r->clock_start, NULL,
                                                        error))
    return FALSE;
  else if (!_motcua_due_date_for (self,
                                  r->clock_start != NULL && strncmp (r->clock_start, day, 10) != 0
                                  ? r->clock_start : received_at,
                                  procedure->time_unit, days, due, error))
    return FALSE;

  key.status = r->status;
  key.rank = motcua_status_rank (r->status);
  /* A case that went through a supplement is in a later generation of its workflow. */
  key.generation = MAX (r->status_generation, r->status == MOTCUA_STATUS_RESUBMITTED ? 1u : 0u);
  status = motcua_status_key_encode (&key);

  hlc = _motcua_replica_tick (self);
  motcua_uuid_v7_from_hlc (&case_id, hlc);

  values[C_RECEIPT_NO] = MOTCUA_VALUE_TEXT (r->receipt_no);
  values[C_PROCEDURE_ID] = MOTCUA_VALUE_ID (&procedure_id);
  values[C_RECEIVING_OFFICE_ID] = MOTCUA_VALUE_ID (&receiving_id);
  values[C_HANDLING_OFFICE_ID] = MOTCUA_VALUE_ID (&handling_id);
  values[C_APPLICANT_NAME] = MOTCUA_VALUE_TEXT (r->applicant_name);
  values[C_CITIZEN_ID] = MOTCUA_VALUE_TEXT (r->citizen_id);
  values[C_PHONE] = MOTCUA_VALUE_TEXT (phone);
  values[C_ADDRESS] = MOTCUA_VALUE_TEXT (r->address);
  values[C_CHANNEL] = MOTCUA_VALUE_TEXT (motcua_channel_to_string (r->channel));
  values[C_PRIORITY] = r->priority != MOTCUA_PRIORITY_NONE
                       ? MOTCUA_VALUE_TEXT (motcua_priority_to_string (r->priority))
                       : MOTCUA_VALUE_NULL;
  values[C_RECEIVED_AT] = MOTCUA_VALUE_TEXT (received_at);
  values[C_CLOCK_START] = MOTCUA_VALUE_TEXT (r->clock_start ? r->clock_start : day);
  values[C_DUE_DATE] = MOTCUA_VALUE_TEXT (due);
  values[C_STATUS] = MOTCUA_VALUE_TEXT (status);
  values[C_PAPERS] = MOTCUA_VALUE_TEXT (papers);
  values[C_RESOLVED_AT] = MOTCUA_VALUE_TEXT (resolved_at);
  values[C_RESULT] = MOTCUA_VALUE_TEXT (r->result);
  values[C_RETURNED_AT] = MOTCUA_VALUE_TEXT (returned_at);
  values[C_RETURNED_VIA] = returned_at
                           ? MOTCUA_VALUE_TEXT (motcua_channel_to_string (r->returned_via))
                                       : MOTCUA_VALUE_NULL;
  values[C_RATING] = r->rating > 0 ? MOTCUA_VALUE_INT (r->rating) : MOTCUA_VALUE_NULL;
  values[C_DELETED] = MOTCUA_VALUE_INT (0);
  /* Where the result of a dossier decided by another office is handed back. */
  if (memcmp (receiving_id.bytes, handling_id.bytes, 16) != 0)
    values[C_RETURN_AT] = MOTCUA_VALUE_TEXT (r->return_at_deciding ? "deciding" : "receiving");
  else if (r->return_at_deciding)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("return_at “deciding” needs a handling office other than the receiving"
                     " one"));
      return FALSE;
    }
  else
    values[C_RETURN_AT] = MOTCUA_VALUE_NULL;

  if (!_motcua_case_check_values (self, values, BIT (N_CASE_COLUMNS) - 1, &procedure_id, error)
      || !_motcua_replica_write_row (self, _motcua_cases_table (), &case_id, values,
                                     BIT (N_CASE_COLUMNS) - 1, MOTCUA_WRITE_NEW, hlc, NULL, error))
    return FALSE;

  facts.receipt_no = r->receipt_no;
  facts.field = "status";
  facts.new_value = motcua_status_to_string (r->status);

  return _motcua_replica_add_case_event (self, &case_id, hlc, NULL, "imported", &facts, NULL,
                                         error);
}

gboolean
motcua_replica_import_case (MotcuaReplica     *self,
                            const MotcuaCase  *record,
                            GError           **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  return motcua_replica_begin (self, error)
         && _motcua_replica_finish (self, import_case_in_tx (self, record, error), error);
}
