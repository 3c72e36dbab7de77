/* motcua-pg-log.c: a province's global order and clock in the PostgreSQL store
 *
 * Several server processes append to one province's log. The transaction that appends first
 * moves the province's log head (provinces.last_gseq) by the number of entries it appends; the
 * UPDATE locks the province's row until the transaction ends, so the next appender waits, the
 * numbers follow commit order with no gap (a transaction that rolls back gives its numbers back
 * with its update), and a pull by cursor never passes an entry that commits later under a lower
 * number. The province's clock is in the same row: each process stamps from it, not from its
 * own memory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "motcua-error.h"
#include "motcua-hlc.h"
#include "motcua-pg-private.h"

/* The one bigint @sql gives with its parameters; FALSE with an error naming @province when it
 * gives no row (no such province). */
static gboolean
province_int (MotcuaPg            *pg,
              const char          *sql,
              const char *const   *params,
              gint64              *value,
              GError             **error)
{
  gboolean found;

  if (!_motcua_pg_query_params_int (pg, sql, params, 2, &found, value, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                   _("The province %s is not in the PostgreSQL store"), params[0]);
      return FALSE;
    }

  return TRUE;
}

gboolean
_motcua_pg_province_add (MotcuaPg    *pg,
                         const char  *code,
                         const char  *name,
                         GError     **error)
{
  const char *const params[] = { code, name };
  gboolean found;
  gint64 value;

  return _motcua_pg_query_params_int (pg, "INSERT INTO provinces (code, name) VALUES ($1, $2)"
                                      " ON CONFLICT (code) DO NOTHING", params, 2, &found,
                                      &value, error);
}

gboolean
_motcua_pg_log_reserve (MotcuaPg    *pg,
                        const char  *province,
                        guint        n,
                        gint64      *first,
                        GError     **error)
{
  g_autofree char *count = g_strdup_printf ("%u", n);
  const char *const params[] = { province, count };

  g_return_val_if_fail (n > 0, FALSE);

  return province_int (pg, "UPDATE provinces SET last_gseq = last_gseq + $2::bigint"
                           " WHERE code = $1 RETURNING last_gseq - $2::bigint + 1",
                       params, first, error);
}

gboolean
_motcua_pg_clock_tick (MotcuaPg    *pg,
                       const char  *province,
                       gint64       wall_ms,
                       MotcuaHlc   *hlc,
                       GError     **error)
{
  g_autofree char *physical = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               (gint64) motcua_hlc_make (wall_ms, 0));
  const char *const params[] = { province, physical };
  gint64 value;

  /* As motcua_hlc_clock_now(): the wall clock's millisecond with a zero counter, or one past
   * the last stamp when the clock has not moved past it. */
  if (!province_int (pg, "UPDATE provinces SET hlc = greatest (hlc + 1, $2::bigint)"
                         " WHERE code = $1 RETURNING hlc", params, &value, error))
    return FALSE;
  *hlc = (MotcuaHlc) value;

  return TRUE;
}

gboolean
_motcua_pg_clock_observe (MotcuaPg    *pg,
                          const char  *province,
                          MotcuaHlc    remote,
                          GError     **error)
{
  g_autofree char *stamp = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) remote);
  const char *const params[] = { province, stamp };
  gint64 value;

  return province_int (pg, "UPDATE provinces SET hlc = greatest (hlc, $2::bigint)"
                           " WHERE code = $1 RETURNING hlc", params, &value, error);
}
