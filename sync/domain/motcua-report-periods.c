/* motcua-report-periods.c: the reporting periods, as the rules close them
 *
 * A periodic report of a state administrative agency closes its figures on the 14th, not on the
 * last day of a month (Decree 09/2019/NĐ-CP on the reporting regime of state administrative
 * agencies, article 12): the monthly period runs from the 15th of the month before to the 14th
 * of the month reported; a quarter from the 15th of the month before it to the 14th of its last
 * month; the first half-year from 15 December of the year before to 14 June, the second from
 * 15 June to 14 December; the year from 15 December of the year before to 14 December. So a day
 * after the 14th already belongs to the next month's period, and 20 December to next year's.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "motcua-error.h"
#include "motcua-report.h"
#include "motcua-text.h"

/* Months a period of @kind spans, and how many periods a year has. */
static const struct
{
  int months;
  int per_year;
} kinds[] = {
  [MOTCUA_PERIOD_MONTH] = { 1, 12 },
  [MOTCUA_PERIOD_QUARTER] = { 3, 4 },
  [MOTCUA_PERIOD_HALF] = { 6, 2 },
  [MOTCUA_PERIOD_YEAR] = { 12, 1 },
};

gboolean
motcua_report_period (MotcuaPeriodKind  kind,
                      int               year,
                      int               number,
                      char              from[11],
                      char              to[11])
{
  int last_month, first_year, first_month;

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kinds), FALSE);

  if (year < 1901 || year > 2199 || number < 1 || number > kinds[kind].per_year)
    return FALSE;

  /* The period ends on the 14th of its last month and starts on the 15th of the month before
   * its first one. */
  last_month = number * kinds[kind].months;
  first_month = last_month - kinds[kind].months;
  first_year = year;
  if (first_month == 0)
    {
      first_month = 12;
      first_year--;
    }
  g_snprintf (from, 11, "%04d-%02d-15", first_year, first_month);
  g_snprintf (to, 11, "%04d-%02d-14", year, last_month);

  return TRUE;
}

gboolean
motcua_report_period_of (MotcuaPeriodKind  kind,
                         const char       *day,
                         int              *year_out,
                         int              *number_out)
{
  GDate date;
  int year, month;

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kinds), FALSE);

  if (!motcua_check_date ("day", day, &date, NULL))
    return FALSE;
  year = g_date_get_year (&date);
  month = g_date_get_month (&date);
  /* From the 15th a day counts in the next month's period. */
  if (g_date_get_day (&date) >= 15 && ++month > 12)
    {
      month = 1;
      year++;
    }

  *year_out = year;
  *number_out = (month - 1) / kinds[kind].months + 1;

  return TRUE;
}

gboolean
motcua_report_period_parse (const char        *text,
                            MotcuaPeriodKind  *kind_out,
                            int               *year_out,
                            int               *number_out,
                            GError           **error)
{
  MotcuaPeriodKind kind = MOTCUA_PERIOD_YEAR;
  int year = 0, number = 1;
  char from[11], to[11];

  if (text != NULL && g_regex_match_simple ("^[0-9]{4}(-([0-9]{2}|Q[1-4]|H[1-2]))?$", text, 0, 0))
    {
      year = atoi (text);
      if (text[4] == '-' && text[5] == 'Q')
        kind = MOTCUA_PERIOD_QUARTER;
      else if (text[4] == '-' && text[5] == 'H')
        kind = MOTCUA_PERIOD_HALF;
      else if (text[4] == '-')
        kind = MOTCUA_PERIOD_MONTH;
      if (kind != MOTCUA_PERIOD_YEAR)
        number = atoi (text + (kind == MOTCUA_PERIOD_MONTH ? 5 : 6));
    }

  if (!motcua_report_period (kind, year, number, from, to))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("period “%s” must be a month (2026-11), a quarter (2026-Q4), a half-year"
                     " (2026-H2) or a year (2026)"), text != NULL ? text : "");
      return FALSE;
    }

  *kind_out = kind;
  *year_out = year;
  *number_out = number;

  return TRUE;
}
