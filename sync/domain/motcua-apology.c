/* motcua-apology.c: the apology for a late case and the new date promised for its result
 *
 * When a case will be late the office gives the applicant a written apology with a new date
 * for the result (phiếu xin lỗi và hẹn lại ngày trả kết quả, Decree 61/2018/NĐ-CP art. 19,
 * kept by Decree 118/2025/NĐ-CP). It is a fact of the timeline, an "apologised" event: the
 * date promised before it (old_value), the new one (new_value), the legal due date (due_date)
 * and the officer's reason (note). The case's due date does not change: the report judges
 * the case against its legal deadline, and the promise is read back from the timeline.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-cases-private.h"
#include "motcua-error.h"
#include "motcua-text.h"

#define APOLOGISED "apologised"

/* The date the latest apology among @events promised, borrowed; NULL when none. */
static const char *
latest_promise (GPtrArray *events)
{
  for (guint i = events->len; i > 0; i--)
    {
      const MotcuaCaseEvent *event = g_ptr_array_index (events, i - 1);

      if (g_strcmp0 (event->action, APOLOGISED) == 0 && event->new_value != NULL)
        return event->new_value;
    }
  return NULL;
}

char *
motcua_case_dup_promised_date (const MotcuaCase *self,
                               GPtrArray        *events)
{
  const char *promised;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (events != NULL, NULL);

  promised = latest_promise (events);
  /* A case whose clock restarted (a resubmission) may have a due date past an old promise. */
  if (promised == NULL || g_strcmp0 (promised, self->due_date) <= 0)
    return NULL;
  return g_strdup (promised);
}

static gboolean
apologise_in_tx (MotcuaReplica  *self,
                 const char     *key,
                 const char     *new_date,
                 const char     *reason,
                 GError        **error)
{
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(MotcuaCalendar) calendar = NULL;
  g_autofree char *today = NULL;
  g_autofree char *promised = NULL;
  g_autofree char *words = NULL;
  MotcuaEventFacts facts = { NULL };
  const char *after;
  MotcuaUuid id;
  GDate date;
  gint64 rid;

  c = _motcua_case_dup_by_key (self, key, &rid, &id, error);
  if (c == NULL)
    return FALSE;
  if (!motcua_status_is_open (c->status))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_ILLEGAL_TRANSITION,
                   _("case %s is %s: only an open case can be given a new date"), c->receipt_no,
                   motcua_status_to_string (c->status));
      return FALSE;
    }

  if (!motcua_check_required (_("reason"), reason, error))
    return FALSE;
  if (!g_utf8_validate (reason, -1, NULL))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("reason is not valid UTF-8"));
      return FALSE;
    }
  /* Printed on the slip as the officer wrote it, without the spaces around it. */
  words = g_strstrip (g_strdup (reason));

  if (!motcua_check_required (_("new date"), new_date, error)
      || !motcua_check_date (_("new date"), new_date, &date, error))
    return FALSE;

  /* After the legal due date, today and any date promised already. */
  events = motcua_replica_list_case_events (self, c->id, error);
  if (events == NULL)
    return FALSE;
  promised = motcua_case_dup_promised_date (c, events);
  today = motcua_replica_dup_today (self);
  after = c->due_date;
  if (g_strcmp0 (today, after) > 0)
    after = today;
  if (promised != NULL && strcmp (promised, after) > 0)
    after = promised;
  if (strcmp (new_date, after) <= 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("new date %s must be after %s, the latest of the due date, today and any"
                     " date promised already"), new_date, after);
      return FALSE;
    }

  calendar = motcua_replica_dup_calendar (self, error);
  if (calendar == NULL)
    return FALSE;
  if (!motcua_calendar_is_working_day (calendar, &date))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("new date %s is not a working day"), new_date);
      return FALSE;
    }

  facts.field = "due_date";
  facts.old_value = promised != NULL ? promised : c->due_date;
  facts.new_value = new_date;
  facts.due_date = c->due_date;

  return _motcua_replica_add_case_event (self, &id, _motcua_replica_tick (self), NULL,
                                         APOLOGISED, &facts, words, error);
}

gboolean
motcua_replica_apologise_case (MotcuaReplica  *self,
                               const char     *key,
                               const char     *new_date,
                               const char     *reason,
                               GError        **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return motcua_replica_begin (self, error)
         && _motcua_replica_finish (self, apologise_in_tx (self, key, new_date, reason, error),
                                    error);
}
