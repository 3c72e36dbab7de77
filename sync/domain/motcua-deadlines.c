/* motcua-deadlines.c: when a case's clock starts and when it is due, as the rules count a
 * procedure's time limit in working days, calendar days or hours
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-cases-private.h"
#include "motcua-error.h"
#include "motcua-text.h"

/* An online dossier that arrives after this time of a working day (or on a day off) counts as
 * received on the next working day. The sector rules found say "outside working hours"
 * (Circular 87/2021/TT-BTC art. 10, Decision 2988/QĐ-TCHQ art. 7(5)); 15:00 is the hour after
 * which, as recalled but not confirmed, Decree 61/2018 art. 19 (replaced by Decree 118/2025)
 * had dossiers handed on the next working day. The article of Decree 45/2020 or 118/2025 that
 * fixes the hour for counting was not found, so it is this one constant (README, "Working
 * days"). Seconds after 00:00. */
#define ONLINE_CUTOFF_SECONDS (15 * 3600)

static GTimeZone *
vietnam_time_zone (void)
{
  return g_time_zone_new_offset (7 * 3600);
}

/* @text (YYYY-MM-DD, or an ISO 8601 moment) as a moment in Vietnam's time: a date is the
 * beginning of its day. NULL when it is neither. */
static GDateTime *
parse_start (const char *text)
{
  g_autoptr(GTimeZone) tz = vietnam_time_zone ();
  g_autoptr(GDateTime) parsed = NULL;

  if (text == NULL)
    return NULL;
  if (strlen (text) == 10)
    {
      GDate date;

      if (!motcua_check_date ("date", text, &date, NULL))
        return NULL;
      return g_date_time_new (tz, g_date_get_year (&date), g_date_get_month (&date),
                              g_date_get_day (&date), 0, 0, 0);
    }
  parsed = g_date_time_new_from_iso8601 (text, tz);
  if (parsed == NULL)
    return NULL;

  return g_date_time_to_timezone (parsed, tz);
}

static void
date_of (GDateTime *moment,
         GDate     *out)
{
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) g_date_time_get_day_of_month (moment),
                  (GDateMonth) g_date_time_get_month (moment),
                  (GDateYear) g_date_time_get_year (moment));
}

/* Civil Code 2015 art. 147(1), 148(1): hours run from the moment itself, around the clock, and
 * the period ends with its last hour (one ending at midnight ends the day before). */
static GDateTime *
hours_end (GDateTime *start,
           guint      hours)
{
  return g_date_time_add_seconds (start, hours > 0 ? hours * 3600.0 - 1 : 0);
}

const char *
_motcua_clock_start_moment (const char *received_at,
                            const char *clock_start)
{
  return received_at != NULL && clock_start != NULL && strncmp (received_at, clock_start, 10) == 0
         ? received_at : clock_start;
}

gboolean
_motcua_hours_limit_end (const char *start,
                         guint       hours,
                         char        out[26])
{
  g_autoptr(GDateTime) moment = parse_start (start);
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *text = NULL;

  if (moment == NULL || hours > motcua_time_unit_max (MOTCUA_TIME_HOURS))
    return FALSE;
  end = hours_end (moment, hours);
  text = g_date_time_format (end, "%Y-%m-%dT%H:%M:%S+07:00");
  g_strlcpy (out, text, 26);

  return TRUE;
}

gboolean
_motcua_due_date_for (MotcuaReplica   *self,
                      const char      *start,
                      MotcuaTimeUnit   unit,
                      guint            amount,
                      char             out[11],
                      GError         **error)
{
  g_autoptr(MotcuaCalendar) calendar = NULL;
  g_autoptr(GDateTime) moment = parse_start (start);
  GDate day, due;

  if (moment == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("“%s” is not a date (YYYY-MM-DD) or a time"), start ? start : "");
      return FALSE;
    }
  if ((guint) unit >= MOTCUA_N_TIME_UNITS || amount > motcua_time_unit_max (unit))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("a time limit of %u %s is out of range"), amount,
                   (guint) unit < MOTCUA_N_TIME_UNITS ? motcua_time_unit_to_string (unit) : "?");
      return FALSE;
    }
  calendar = motcua_replica_dup_calendar (self, error);
  if (calendar == NULL)
    return FALSE;
  date_of (moment, &day);

  switch (unit)
    {
    case MOTCUA_TIME_WORKING_DAYS:
      /* The N-th working day after the day the clock starts (N = 0: that day, or the next
       * working day when it is a day off). */
      motcua_calendar_add_working_days (calendar, &day, amount, &due);
      break;

    case MOTCUA_TIME_DAYS:
      /* Civil Code 2015 art. 147(1): the first day is not counted; art. 148(1), (5): the
       * period ends with its last day, or with the next working day when that is a day off. */
      g_date_add_days (&day, amount);
      motcua_calendar_add_working_days (calendar, &day, 0, &due);
      break;

    case MOTCUA_TIME_HOURS:
    default:
      {
        /* The due date is the day the last hour ends in (hours_end()), moved to the next
         * working day when it is a day off, as art. 148(5) moves a last day. */
        g_autoptr(GDateTime) end = hours_end (moment, amount);

        date_of (end, &day);
        motcua_calendar_add_working_days (calendar, &day, 0, &due);
      }
      break;
    }

  if (!g_date_valid (&due))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("%s + %u %s has no due date in the calendar"), start, amount,
                   motcua_time_unit_to_string (unit));
      return FALSE;
    }
  g_date_strftime (out, 11, "%Y-%m-%d", &due);

  return TRUE;
}

gboolean
_motcua_clock_start_for (MotcuaReplica   *self,
                         MotcuaChannel    channel,
                         const char      *received_at,
                         char             day_out[11],
                         gboolean        *moved_out,
                         GError         **error)
{
  g_autoptr(MotcuaCalendar) calendar = NULL;
  g_autoptr(GDateTime) moment = parse_start (received_at);
  GDate day, next;
  int seconds;

  *moved_out = FALSE;
  if (moment == NULL || strlen (received_at) == 10)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("received_at “%s” is not a time"), received_at ? received_at : "");
      return FALSE;
    }
  date_of (moment, &day);
  g_date_strftime (day_out, 11, "%Y-%m-%d", &day);
  if (channel != MOTCUA_CHANNEL_ONLINE)
    return TRUE;

  calendar = motcua_replica_dup_calendar (self, error);
  if (calendar == NULL)
    return FALSE;
  seconds = g_date_time_get_hour (moment) * 3600 + g_date_time_get_minute (moment) * 60
            + g_date_time_get_second (moment);
  if (motcua_calendar_is_working_day (calendar, &day) && seconds <= ONLINE_CUTOFF_SECONDS)
    return TRUE;

  motcua_calendar_add_working_days (calendar, &day, 1, &next);
  if (!g_date_valid (&next))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("%s has no next working day in the calendar"), day_out);
      return FALSE;
    }
  g_date_strftime (day_out, 11, "%Y-%m-%d", &next);
  *moved_out = TRUE;

  return TRUE;
}
