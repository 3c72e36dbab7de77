/* motcua-format.c: how the desk shows statuses, channels, dates and amounts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
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
motcua_format_days (guint working_days)
{
  if (working_days == 0)
    return g_strdup (_("The same day"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u working day", "%u working days",
                                       working_days),
                          working_days);
}
