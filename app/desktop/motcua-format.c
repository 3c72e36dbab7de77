/* motcua-format.c: how the desk shows statuses, channels, dates, amounts and timeline events
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <stdio.h>
#include <string.h>

#include "motcua-format.h"

const char *
motcua_format_status (MotcuaStatus status)
{
  switch (status)
    {
    case MOTCUA_STATUS_RECEIVED: return C_("case status", "Received");
    case MOTCUA_STATUS_IN_PROCESSING: return _("In processing");
    case MOTCUA_STATUS_SUPPLEMENT_REQUESTED: return _("Supplement requested");
    case MOTCUA_STATUS_RESUBMITTED: return _("Resubmitted");
    case MOTCUA_STATUS_APPROVED: return _("Approved");
    case MOTCUA_STATUS_REFUSED: return _("Refused");
    case MOTCUA_STATUS_RETURNED: return _("Result returned");
    case MOTCUA_STATUS_WITHDRAWN: return C_("case status", "Withdrawn");
    case MOTCUA_STATUS_CANCELLED: return _("Cancelled");
    case MOTCUA_N_STATUSES:
    default:
      return "?";
    }
}

const char *
motcua_format_step (MotcuaStatus status)
{
  switch (status)
    {
    case MOTCUA_STATUS_RECEIVED: return _("Receive");
    case MOTCUA_STATUS_IN_PROCESSING: return _("Start Processing");
    case MOTCUA_STATUS_SUPPLEMENT_REQUESTED: return _("Request Supplement");
    case MOTCUA_STATUS_RESUBMITTED: return _("Record Resubmission");
    case MOTCUA_STATUS_APPROVED: return _("Approve");
    case MOTCUA_STATUS_REFUSED: return _("Refuse");
    case MOTCUA_STATUS_RETURNED: return _("Return Result");
    case MOTCUA_STATUS_WITHDRAWN: return _("Withdrawn by Applicant");
    case MOTCUA_STATUS_CANCELLED: return _("Cancel Dossier");
    case MOTCUA_N_STATUSES:
    default:
      return "?";
    }
}

const char *
motcua_format_status_class (MotcuaStatus status)
{
  switch (status)
    {
    case MOTCUA_STATUS_RECEIVED:
    case MOTCUA_STATUS_IN_PROCESSING:
    case MOTCUA_STATUS_RESUBMITTED:
      return "status-open";
    case MOTCUA_STATUS_SUPPLEMENT_REQUESTED:
      return "status-waiting";
    case MOTCUA_STATUS_APPROVED:
    case MOTCUA_STATUS_RETURNED:
      return "status-done";
    case MOTCUA_STATUS_REFUSED:
    case MOTCUA_STATUS_WITHDRAWN:
    case MOTCUA_STATUS_CANCELLED:
    case MOTCUA_N_STATUSES:
    default:
      return "status-closed";
    }
}

const char *
motcua_format_channel (MotcuaChannel channel)
{
  switch (channel)
    {
    case MOTCUA_CHANNEL_COUNTER: return _("At the counter");
    case MOTCUA_CHANNEL_ONLINE: return _("Online");
    case MOTCUA_CHANNEL_POSTAL: return _("Public postal service");
    case MOTCUA_CHANNEL_HOME: return _("Home visit");
    case MOTCUA_N_CHANNELS:
    default:
      return "?";
    }
}

const char *
motcua_format_priority (MotcuaPriority priority)
{
  switch (priority)
    {
    case MOTCUA_PRIORITY_NONE: return _("None");
    case MOTCUA_PRIORITY_ELDERLY: return _("Elderly");
    case MOTCUA_PRIORITY_DISABLED: return _("Person with disability");
    case MOTCUA_PRIORITY_VETERAN: return _("War veteran, person with merit");
    case MOTCUA_PRIORITY_CHILD: return _("Child");
    case MOTCUA_PRIORITY_PREGNANT: return _("Pregnant woman");
    case MOTCUA_N_PRIORITIES:
    default:
      return "?";
    }
}

GListModel *
motcua_format_channel_model (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (int i = 0; i < MOTCUA_N_CHANNELS; i++)
    gtk_string_list_append (list, motcua_format_channel ((MotcuaChannel) i));
  return G_LIST_MODEL (list);
}

GListModel *
motcua_format_priority_model (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (int i = 0; i < MOTCUA_N_PRIORITIES; i++)
    gtk_string_list_append (list, motcua_format_priority ((MotcuaPriority) i));
  return G_LIST_MODEL (list);
}

const char *
motcua_format_level (MotcuaLevel level)
{
  switch (level)
    {
    case MOTCUA_LEVEL_PROVINCE: return _("Province");
    case MOTCUA_LEVEL_DEPARTMENT: return _("Department");
    case MOTCUA_LEVEL_DISTRICT: return _("District");
    case MOTCUA_LEVEL_COMMUNE: return _("Commune");
    case MOTCUA_N_LEVELS:
    default:
      return "?";
    }
}

const char *
motcua_format_record_sync_state (int state)
{
  switch (state)
    {
    case 0: return _("Pending: not yet acknowledged by the server");
    case 1: return _("Synced");
    case 2: return _("Rejected by the server");
    case 3: return _("In conflict");
    default: return "?";
    }
}

gboolean
motcua_parse_date (const char *iso,
                   GDate      *out)
{
  int y, m, d;

  g_date_clear (out, 1);
  if (iso == NULL || strlen (iso) < 10)
    return FALSE;
  if (sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_set_dmy (out, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

char *
motcua_format_date (const char *iso)
{
  GDate date;
  char buffer[64];

  if (!motcua_parse_date (iso, &date))
    return g_strdup ("—");
  /* Translators: a date as the desk shows it (strftime): dd/MM/yyyy in Vietnamese. */
  if (g_date_strftime (buffer, sizeof buffer, C_("date", "%d/%m/%Y"), &date) == 0)
    return g_strdup ("—");
  return g_strdup (buffer);
}

char *
motcua_format_datetime (const char *iso)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (7 * 3600);
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso == NULL)
    return g_strdup ("—");
  parsed = g_date_time_new_from_iso8601 (iso, zone);
  if (parsed == NULL)
    return motcua_format_date (iso);
  local = g_date_time_to_timezone (parsed, zone);
  /* Translators: a date and time (g_date_time_format): dd/MM/yyyy HH:MM in Vietnamese. */
  return g_date_time_format (local, C_("date and time", "%d/%m/%Y %H:%M"));
}

char *
motcua_format_long_date (const char *iso)
{
  static const char *weekdays[] = {
    NULL,
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
    N_("Saturday"), N_("Sunday"),
  };
  GDate date;
  g_autofree char *short_date = NULL;

  if (!motcua_parse_date (iso, &date))
    return g_strdup ("—");
  short_date = motcua_format_date (iso);
  /* Translators: weekday, date: "Thứ Hai, 10/03/2025". */
  return g_strdup_printf (C_("long date", "%s, %s"),
                          _(weekdays[g_date_get_weekday (&date)]), short_date);
}

char *
motcua_format_count (gint64 n)
{
  /* Translators: the thousands separator in counts ("." in Vietnamese). */
  const char *separator = C_("thousands separator", ",");
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n < 0 ? -n : n);
  GString *out = g_string_new (n < 0 ? "-" : "");
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

char *
motcua_format_fee (gint64 fee)
{
  g_autofree char *amount = NULL;

  if (fee <= 0)
    return g_strdup (_("No fee"));
  amount = motcua_format_count (fee);
  /* Translators: an amount in Vietnamese đồng. */
  return g_strdup_printf (_("%s ₫"), amount);
}

char *
motcua_format_days (guint          amount,
                    MotcuaTimeUnit unit)
{
  switch (unit)
    {
    case MOTCUA_TIME_DAYS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", amount), amount);
    case MOTCUA_TIME_HOURS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", amount),
                              amount);
    case MOTCUA_TIME_WORKING_DAYS:
    default:
      if (amount == 0)
        return g_strdup (_("The same day"));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u working day", "%u working days",
                                           amount),
                              amount);
    }
}

/* The timeline */

static const char *
action_label (const char *action)
{
  if (g_strcmp0 (action, "received") == 0)
    return _("Received");
  if (g_strcmp0 (action, "advanced") == 0 || g_strcmp0 (action, "status") == 0)
    return _("Moved on");
  if (g_strcmp0 (action, "edited") == 0)
    return _("Corrected");
  if (g_strcmp0 (action, "transferred") == 0)
    return _("Transferred");
  if (g_strcmp0 (action, "forwarded") == 0)
    return _("Forwarded for decision");
  if (g_strcmp0 (action, "imported") == 0)
    return _("Imported");
  if (g_strcmp0 (action, "attached") == 0)
    return _("Scan attached");
  if (g_strcmp0 (action, "attachment_removed") == 0)
    return _("Scan removed");
  if (g_strcmp0 (action, "conflict_resolved") == 0)
    return _("Conflict resolved");
  if (g_strcmp0 (action, "apologised") == 0)
    return _("Apologised, new date set");
  return action;
}

static char *
status_name (const char *name)
{
  MotcuaStatus status;

  if (name != NULL && motcua_status_from_string (name, &status))
    return g_strdup (motcua_format_status (status));
  return g_strdup (name != NULL ? name : "—");
}

/* What @event says, past its kind, in the desk's words; NULL when nothing. */
static char *
event_detail (const MotcuaCaseEvent *event)
{
  const char *action = event->action != NULL ? event->action : "";

  if (strcmp (action, "received") == 0 && event->receipt_no != NULL)
    {
      g_autofree char *due = motcua_format_date (event->due_date);

      return g_strdup_printf (_("%s, due %s"), event->receipt_no, due);
    }
  if (strcmp (action, "imported") == 0 && event->receipt_no != NULL)
    {
      g_autofree char *status = status_name (event->new_value);

      return g_strdup_printf ("%s · %s", event->receipt_no, status);
    }
  if (strcmp (action, "status") == 0 && event->new_value != NULL)
    {
      g_autofree char *from = status_name (event->old_value);
      g_autofree char *to = status_name (event->new_value);

      return g_strdup_printf ("%s → %s", from, to);
    }
  if (strcmp (action, "transferred") == 0 || strcmp (action, "forwarded") == 0)
    return g_strdup_printf ("%s → %s", event->from_office != NULL ? event->from_office : "—",
                            event->to_office != NULL ? event->to_office : "—");
  if ((strcmp (action, "edited") == 0 || strcmp (action, "conflict_resolved") == 0)
      && event->field != NULL)
    return g_strdup_printf ("%s = %s", motcua_case_field_label (event->field),
                            event->new_value != NULL ? event->new_value : _("(empty)"));
  if (strcmp (action, "attached") == 0 && event->new_value != NULL)
    return g_strdup (event->new_value);
  if (strcmp (action, "attachment_removed") == 0 && event->old_value != NULL)
    return g_strdup (event->old_value);
  if (strcmp (action, "apologised") == 0 && event->new_value != NULL)
    {
      g_autofree char *promised = motcua_format_date (event->new_value);
      g_autofree char *before = motcua_format_date (event->old_value);

      /* Translators: "result on 21/03/2025 (was 17/03/2025)". */
      return g_strdup_printf (_("result on %s (was %s)"), promised, before);
    }

  return event->detail != NULL && *event->detail != '\0' ? g_strdup (event->detail) : NULL;
}

char *
motcua_format_event (const MotcuaCaseEvent *event)
{
  /* A correction that resolves a conflict reads as the conflict's resolution. */
  const char *label = event->ref != NULL && g_strcmp0 (event->action, "edited") == 0
                      ? action_label ("conflict_resolved") : action_label (event->action);
  g_autofree char *detail = event_detail (event);

  return detail != NULL ? g_strdup_printf ("%s: %s", label, detail) : g_strdup (label);
}

char *
motcua_format_office (MotcuaReplica *replica,
                      const char    *code)
{
  g_autoptr(MotcuaOffice) office = motcua_replica_dup_office (replica, code, NULL);
  g_autofree char *until = NULL;

  if (office == NULL)
    return g_strdup (code != NULL ? code : "—");
  if (office->in_force_to == NULL)
    return g_strdup_printf ("%s (%s)", office->name, office->code);
  until = motcua_format_date (office->in_force_to);
  if (office->successor_code == NULL)
    /* Translators: an office a reorganisation ended: its name, code and last day. */
    return g_strdup_printf (_("%s (%s), until %s"), office->name, office->code, until);
  /* Translators: an office a reorganisation ended: name, code, last day, its successor. */
  return g_strdup_printf (_("%s (%s), until %s, now %s"), office->name, office->code, until,
                          office->successor_code);
}
