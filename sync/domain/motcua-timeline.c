/* motcua-timeline.c: a case's timeline: writing its events, listing them, describing one
 *
 * An event says what happened in fields (the field, its old and new values, the offices of a
 * transfer, a reception's receipt number and due date, the row it is about), as the case
 * stores values; each reader words it in its own language: the desk in its own, the command
 * line with motcua_case_event_describe(), exports as data. The table is insert-only: events
 * replicate whole, and merge is union.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-cases-private.h"

enum
{
  E_CASE_ID,
  E_AT,
  E_REPLICA,
  E_OFFICER,
  E_ACTION,
  E_DETAIL,
  E_NOTE,
  E_FIELD,
  E_OLD_VALUE,
  E_NEW_VALUE,
  E_FROM_OFFICE,
  E_TO_OFFICE,
  E_RECEIPT_NO,
  E_DUE_DATE,
  E_REF,
  N_EVENT_COLUMNS
};

gboolean
_motcua_replica_add_case_event (MotcuaReplica          *self,
                                const MotcuaUuid       *case_id,
                                MotcuaHlc               hlc,
                                const char             *at,
                                const char             *action,
                                const MotcuaEventFacts *facts,
                                const char             *note,
                                GError                **error)
{
  static const MotcuaEventFacts none = { NULL };
  const MotcuaTableDesc *table = _motcua_table_lookup (MOTCUA_TABLE_CASE_EVENTS);
  MotcuaValue values[N_EVENT_COLUMNS];
  MotcuaUuid id;
  g_autofree char *now = NULL;

  g_assert (table->n_columns == N_EVENT_COLUMNS);

  if (at == NULL)
    at = now = _motcua_replica_now_iso (self);
  if (facts == NULL)
    facts = &none;

  motcua_uuid_v7_from_hlc (&id, hlc);
  values[E_CASE_ID] = MOTCUA_VALUE_ID (case_id);
  values[E_AT] = MOTCUA_VALUE_TEXT (at);
  values[E_REPLICA] = MOTCUA_VALUE_TEXT (self->id);
  values[E_OFFICER] = MOTCUA_VALUE_TEXT (self->officer);
  values[E_ACTION] = MOTCUA_VALUE_TEXT (action);
  values[E_DETAIL] = MOTCUA_VALUE_NULL;
  values[E_NOTE] = (note != NULL && *note != '\0') ? MOTCUA_VALUE_TEXT (note) : MOTCUA_VALUE_NULL;
  values[E_FIELD] = MOTCUA_VALUE_TEXT (facts->field);
  values[E_OLD_VALUE] = MOTCUA_VALUE_TEXT (facts->old_value);
  values[E_NEW_VALUE] = MOTCUA_VALUE_TEXT (facts->new_value);
  values[E_FROM_OFFICE] = MOTCUA_VALUE_TEXT (facts->from_office);
  values[E_TO_OFFICE] = MOTCUA_VALUE_TEXT (facts->to_office);
  values[E_RECEIPT_NO] = MOTCUA_VALUE_TEXT (facts->receipt_no);
  values[E_DUE_DATE] = MOTCUA_VALUE_TEXT (facts->due_date);
  values[E_REF] = facts->ref != NULL ? MOTCUA_VALUE_ID (facts->ref) : MOTCUA_VALUE_NULL;

  return _motcua_replica_insert_row (self, table, &id, values, hlc, error);
}

static char *
uuid_text (const MotcuaUuid *id)
{
  char text[37];

  if (id == NULL)
    return NULL;
  motcua_uuid_to_string (id, text);
  return g_strdup (text);
}

static gboolean
add_event (const MotcuaStoreEventRow  *row,
           gpointer                    user_data,
           GError                    **error)
{
  MotcuaCaseEvent *e = g_new0 (MotcuaCaseEvent, 1);

  e->id = uuid_text (row->id);
  e->at = g_strdup (row->at);
  e->replica = g_strdup (row->replica);
  e->officer = g_strdup (row->officer);
  e->action = g_strdup (row->action);
  e->detail = g_strdup (row->detail);
  e->note = g_strdup (row->note);
  e->field = g_strdup (row->field);
  e->old_value = g_strdup (row->old_value);
  e->new_value = g_strdup (row->new_value);
  e->from_office = g_strdup (row->from_office);
  e->to_office = g_strdup (row->to_office);
  e->receipt_no = g_strdup (row->receipt_no);
  e->due_date = g_strdup (row->due_date);
  e->ref = uuid_text (row->ref);
  g_ptr_array_add (user_data, e);

  return TRUE;
}

GPtrArray *
motcua_replica_list_case_events (MotcuaReplica  *self,
                                 const char     *key,
                                 GError        **error)
{
  g_autoptr(GPtrArray) events =
    g_ptr_array_new_with_free_func ((GDestroyNotify) motcua_case_event_free);
  MotcuaUuid id;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (!_motcua_replica_case_rid (self, key, NULL, &id, error)
      || !_motcua_store_timeline_list (self, &id, add_event, events, error))
    return NULL;

  return g_steal_pointer (&events);
}

static const char *
or_none (const char *value)
{
  return value != NULL ? value : _("(none)");
}

/**
 * motcua_case_event_describe:
 * @self: an event of a case's timeline
 *
 * What @self says happened, as one line in the language of the messages of libmotcua
 * (gettext): values as the case stores them (status names, dates, office codes). For the
 * command line and logs; the desk words events itself, with its own labels.
 *
 * Returns: (transfer full): the line
 */
char *
motcua_case_event_describe (const MotcuaCaseEvent *self)
{
  const char *action;

  g_return_val_if_fail (self != NULL, NULL);

  action = self->action != NULL ? self->action : "";

  if (strcmp (action, "received") == 0 && self->receipt_no != NULL)
    return self->due_date != NULL
           ? g_strdup_printf (_("Received as %s, due %s"), self->receipt_no, self->due_date)
           : g_strdup_printf (_("Received as %s"), self->receipt_no);
  if (strcmp (action, "imported") == 0 && self->receipt_no != NULL)
    return g_strdup_printf (_("Imported as %s, %s"), self->receipt_no, or_none (self->new_value));
  if (strcmp (action, "status") == 0 && self->new_value != NULL)
    return g_strdup_printf (_("Status %s → %s"), or_none (self->old_value), self->new_value);
  if (strcmp (action, "transferred") == 0)
    return g_strdup_printf (_("Transferred from %s to %s"), or_none (self->from_office),
                            or_none (self->to_office));
  if (strcmp (action, "forwarded") == 0)
    return g_strdup_printf (_("Received at %s, forwarded to %s, which decides it"),
                            or_none (self->from_office), or_none (self->to_office));
  if (strcmp (action, "edited") == 0 && self->field != NULL)
    {
      g_autofree char *change = self->new_value != NULL
                                ? g_strdup_printf (_("%s set to “%s”"), self->field,
                                                   self->new_value)
                                : g_strdup_printf (_("%s cleared"), self->field);

      if (self->ref == NULL)
        return g_steal_pointer (&change);
      return g_strdup_printf (_("%s, resolving conflict %.8s"), change, self->ref);
    }
  if (strcmp (action, "conflict_resolved") == 0 && self->field != NULL)
    return g_strdup_printf (_("Conflict %.8s on %s resolved: “%s” kept"),
                            self->ref != NULL ? self->ref : "?", self->field,
                            or_none (self->new_value));
  if (strcmp (action, "attached") == 0 && self->new_value != NULL)
    return g_strdup_printf (_("Scan “%s” attached"), self->new_value);
  if (strcmp (action, "attachment_removed") == 0 && self->old_value != NULL)
    return g_strdup_printf (_("Scan “%s” removed"), self->old_value);

  if (strcmp (action, "apologised") == 0 && self->new_value != NULL)
    return g_strdup_printf (_("Apologised: result promised on %s instead of %s"),
                            self->new_value, or_none (self->old_value));

  /* A kind this build does not know, or an older build's event it could not read. */
  if (self->detail != NULL && *self->detail != '\0')
    return g_strdup_printf ("%s: %s", action, self->detail);
  return g_strdup (action);
}
