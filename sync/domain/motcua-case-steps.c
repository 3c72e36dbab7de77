/* motcua-case-steps.c: moving a case: its workflow's steps and transfers to another office
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-cases-private.h"
#include "motcua-error.h"
#include "motcua-text.h"

/* The workflow */

static void
set_illegal_step_error (GError           **error,
                        const MotcuaCase  *c,
                        MotcuaStatus       to)
{
  MotcuaStatus next[MOTCUA_N_STATUSES];
  guint n = motcua_status_next (c->status, next);
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", motcua_status_to_string (next[i]));

  g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_ILLEGAL_TRANSITION,
               _("case %s is %s and cannot become %s; %s%s"), c->receipt_no,
               motcua_status_to_string (c->status), motcua_status_to_string (to),
               n ? _("it can become: ") : _("its workflow has ended"), list->str);
}

static gboolean
advance_in_tx (MotcuaReplica            *self,
               const char               *key,
               MotcuaStatus              to,
               const MotcuaStepOptions  *options,
               GError                  **error)
{
  g_autoptr(MotcuaCase) c = NULL;
  g_autofree char *at = NULL;
  g_autofree char *status = NULL;
  MotcuaEventFacts facts = { NULL };
  MotcuaValue values[N_CASE_COLUMNS] = { { 0 } };
  MotcuaStatusKey from, next;
  MotcuaUuid id;
  guint64 mask = BIT (C_STATUS);
  char due[11], day[11];
  gint64 rid;

  c = _motcua_case_dup_by_key (self, key, &rid, &id, error);
  if (c == NULL)
    return FALSE;

  if ((guint) to >= MOTCUA_N_STATUSES)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("status %d is not a status"), to);
      return FALSE;
    }

  if (to != MOTCUA_STATUS_WITHDRAWN && _motcua_case_received_only (self, c))
    {
      if (to == MOTCUA_STATUS_RETURNED && c->return_at_deciding)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("case %s is decided by %s, which hands its result back: the desk that"
                         " received it only takes a withdrawal"), c->receipt_no,
                       c->handling_office);
          return FALSE;
        }
      if (to != MOTCUA_STATUS_RETURNED)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("case %s is decided by %s: the desk that received it hands its result"
                         " back or takes a withdrawal, and does not move it to %s"),
                       c->receipt_no, c->handling_office, motcua_status_to_string (to));
          return FALSE;
        }
    }

  from.status = c->status;
  from.generation = c->status_generation;
  from.rank = motcua_status_rank (c->status);
  if (!motcua_status_step (&from, to, &next))
    {
      set_illegal_step_error (error, c, to);
      return FALSE;
    }

  at = options && options->at ? motcua_normalize_datetime ("at", options->at, error)
                              : _motcua_replica_now_iso (self);
  if (at == NULL)
    return FALSE;
  if (g_strcmp0 (at, c->received_at) < 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("at %s is before the case was received (%s)"), at, c->received_at);
      return FALSE;
    }
  memcpy (day, at, 10);
  day[10] = '\0';

  status = motcua_status_key_encode (&next);
  values[C_STATUS] = MOTCUA_VALUE_TEXT (status);

  switch (to)
    {
    case MOTCUA_STATUS_APPROVED:
    case MOTCUA_STATUS_REFUSED:
      values[C_RESOLVED_AT] = MOTCUA_VALUE_TEXT (at);
      mask |= BIT (C_RESOLVED_AT);
      if (options && options->result)
        {
          if (!g_utf8_validate (options->result, -1, NULL))
            {
              g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                           _("result is not valid UTF-8"));
              return FALSE;
            }
          values[C_RESULT] = MOTCUA_VALUE_TEXT (options->result);
          mask |= BIT (C_RESULT);
        }
      break;

    case MOTCUA_STATUS_RETURNED:
      if (!_motcua_check_channel (options ? (int) options->returned_via : 0, error))
        return FALSE;
      values[C_RETURNED_AT] = MOTCUA_VALUE_TEXT (at);
      values[C_RETURNED_VIA] = MOTCUA_VALUE_TEXT (
        motcua_channel_to_string (options ? options->returned_via : MOTCUA_CHANNEL_COUNTER));
      mask |= BIT (C_RETURNED_AT) | BIT (C_RETURNED_VIA);
      break;

    case MOTCUA_STATUS_RESUBMITTED:
      {
        g_autoptr(MotcuaProcedure) procedure = motcua_replica_dup_procedure (self,
                                                                             c->procedure_code,
                                                                             error);

        /* The clock restarts: the deadline counts from the resubmission (an hours limit
         * from its moment). */
        if (procedure == NULL
            || !_motcua_due_date_for (self, at, procedure->time_unit, procedure->processing_days,
                                      due, error))
          return FALSE;
        values[C_CLOCK_START] = MOTCUA_VALUE_TEXT (day);
        values[C_DUE_DATE] = MOTCUA_VALUE_TEXT (due);
        mask |= BIT (C_CLOCK_START) | BIT (C_DUE_DATE);
      }
      break;

    case MOTCUA_STATUS_IN_PROCESSING:
      if (motcua_status_is_resolved (c->status))
        {
          /* A reopened case is no longer resolved. */
          values[C_RESOLVED_AT] = MOTCUA_VALUE_NULL;
          mask |= BIT (C_RESOLVED_AT);
        }
      break;

    case MOTCUA_STATUS_WITHDRAWN:
    case MOTCUA_STATUS_CANCELLED:
      values[C_RESOLVED_AT] = MOTCUA_VALUE_TEXT (at);
      mask |= BIT (C_RESOLVED_AT);
      break;

    case MOTCUA_STATUS_RECEIVED:
    case MOTCUA_STATUS_SUPPLEMENT_REQUESTED:
    case MOTCUA_N_STATUSES:
    default:
      break;
    }

  facts.field = "status";
  facts.old_value = motcua_status_to_string (c->status);
  facts.new_value = motcua_status_to_string (to);

  return _motcua_case_write (self, &id, values, mask, _motcua_replica_tick (self), at, "status",
                             &facts, options ? options->note : NULL, error);
}

gboolean
motcua_replica_advance_case (MotcuaReplica            *self,
                             const char               *key,
                             MotcuaStatus              to,
                             const MotcuaStepOptions  *options,
                             GError                  **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  return motcua_replica_begin (self, error)
         && _motcua_replica_finish (self, advance_in_tx (self, key, to, options, error), error);
}

gboolean
_motcua_case_transfer_in_tx (MotcuaReplica  *self,
                             const char     *key,
                             const char     *office_code,
                             const char     *note,
                             GError        **error)
{
  g_autoptr(MotcuaCase) c = NULL;
  MotcuaEventFacts facts = { NULL };
  MotcuaValue values[N_CASE_COLUMNS] = { { 0 } };
  MotcuaUuid id, office_id;
  gint64 rid;

  c = _motcua_case_dup_by_key (self, key, &rid, &id, error);
  if (c == NULL)
    return FALSE;
  if (!motcua_check_required (_("office"), office_code, error)
      || !_motcua_replica_office_id (self, _("office"), office_code, &office_id, error))
    return FALSE;
  if (g_strcmp0 (c->handling_office, office_code) == 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("office: case %s is already handled by %s"), c->receipt_no, office_code);
      return FALSE;
    }
  /* Moving it is the deciding office's to do, as the server holds it (motcua-hub-push.c). */
  if (_motcua_case_received_only (self, c))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("case %s is decided by %s: the desk that received it does not transfer"
                     " it"), c->receipt_no, c->handling_office);
      return FALSE;
    }
  if (!motcua_status_is_open (c->status))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_ILLEGAL_TRANSITION,
                   _("case %s is %s: only an open case can be transferred"), c->receipt_no,
                   motcua_status_to_string (c->status));
      return FALSE;
    }

  values[C_HANDLING_OFFICE_ID] = MOTCUA_VALUE_ID (&office_id);
  facts.field = "handling_office_id";
  facts.from_office = c->handling_office;
  facts.to_office = office_code;

  /* The case may have left this replica's scope: once the server has acknowledged the
   * transfer, the next sync purges it (see motcua-sync.c). */
  return _motcua_case_write (self, &id, values, BIT (C_HANDLING_OFFICE_ID),
                             _motcua_replica_tick (self), NULL, "transferred", &facts, note, error)
         && _motcua_replica_meta_set_int (self, "purge_due", 1, error);
}

gboolean
motcua_replica_transfer_case (MotcuaReplica  *self,
                              const char     *key,
                              const char     *office_code,
                              const char     *note,
                              GError        **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  return motcua_replica_begin (self, error)
         && _motcua_replica_finish (self, _motcua_case_transfer_in_tx (self, key, office_code,
                                                                          note, error),
                                    error);
}
