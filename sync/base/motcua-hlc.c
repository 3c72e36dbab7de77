/* motcua-hlc.c: hybrid logical clock
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-hlc.h"

/* Issue a stamp greater than every stamp issued or seen so far. When the wall clock is behind
 * (a stamp from the future was observed, or the clock stepped back), keep the last milliseconds
 * and count; a full counter carries into the milliseconds. */
MotcuaHlc
motcua_hlc_clock_now (MotcuaHlcClock *clock,
                      gint64          wall_ms)
{
  MotcuaHlc candidate;

  g_return_val_if_fail (clock != NULL, 0);

  if (wall_ms < 0)
    wall_ms = 0;

  candidate = motcua_hlc_make (wall_ms, 0);
  if (candidate <= clock->last)
    candidate = clock->last + 1;  /* the counter, carrying into ms when it is full */

  clock->last = candidate;

  return candidate;
}

void
motcua_hlc_clock_observe (MotcuaHlcClock *clock,
                          MotcuaHlc       remote,
                          gint64          wall_ms)
{
  g_return_if_fail (clock != NULL);

  (void) wall_ms;

  if (remote > clock->last)
    clock->last = remote;
}

char *
motcua_hlc_to_string (MotcuaHlc hlc)
{
  gint64 ms = motcua_hlc_get_ms (hlc);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
  g_autofree char *base = NULL;

  if (dt == NULL)
    return g_strdup_printf ("%" G_GUINT64_FORMAT, hlc);

  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ/%u", base, (int) (ms % 1000), motcua_hlc_get_counter (hlc));
}
