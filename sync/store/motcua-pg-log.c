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
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

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
  PGresult *result = _motcua_pg_run (pg, "SELECT motcua_add_province ($1, $2)", params, 2,
                                     error);

  if (result == NULL)
    return FALSE;
  PQclear (result);

  return TRUE;
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

/* Append and read */

#define ENTRY_PARAMS 12

/* The text of one entry's parameters. */
typedef struct
{
  char uuids[6][37];    /* origin, row, case, offices */
  char numbers[6][24];  /* gseq, seq, n, hlc, table, kind */
  char offices[3 * 37 + 3];
} EntryText;

static void
entry_params (const char              *province,
              gint64                   gseq,
              const MotcuaPgLogEntry  *e,
              EntryText               *t,
              const char              *params[ENTRY_PARAMS])
{
  motcua_uuid_to_string (e->origin, t->uuids[0]);
  motcua_uuid_to_string (e->row_id, t->uuids[1]);
  if (e->case_id != NULL)
    motcua_uuid_to_string (e->case_id, t->uuids[2]);
  g_strlcpy (t->offices, "{", sizeof t->offices);
  for (guint i = 0; i < e->n_offices && i < 3; i++)
    {
      motcua_uuid_to_string (&e->offices[i], t->uuids[3 + i]);
      if (i > 0)
        g_strlcat (t->offices, ",", sizeof t->offices);
      g_strlcat (t->offices, t->uuids[3 + i], sizeof t->offices);
    }
  g_strlcat (t->offices, "}", sizeof t->offices);
  g_snprintf (t->numbers[0], sizeof t->numbers[0], "%" G_GINT64_FORMAT, gseq);
  g_snprintf (t->numbers[1], sizeof t->numbers[1], "%" G_GINT64_FORMAT, e->seq);
  g_snprintf (t->numbers[2], sizeof t->numbers[2], "%u", e->n);
  g_snprintf (t->numbers[3], sizeof t->numbers[3], "%" G_GINT64_FORMAT, (gint64) e->hlc);
  g_snprintf (t->numbers[4], sizeof t->numbers[4], "%d", e->table);
  g_snprintf (t->numbers[5], sizeof t->numbers[5], "%d", e->kind);

  params[0] = province;
  params[1] = t->numbers[0];
  params[2] = t->uuids[0];
  params[3] = t->numbers[1];
  params[4] = t->numbers[2];
  params[5] = t->numbers[3];
  params[6] = t->numbers[4];
  params[7] = t->uuids[1];
  params[8] = t->numbers[5];
  params[9] = e->case_id != NULL ? t->uuids[2] : NULL;
  params[10] = t->offices;
  params[11] = e->entry;
}

gboolean
_motcua_pg_log_append (MotcuaPg                *pg,
                       const char              *province,
                       const MotcuaPgLogEntry  *entries,
                       guint                    n_entries,
                       gint64                  *first_gseq,
                       GError                 **error)
{
  if (n_entries == 0)
    {
      *first_gseq = 0;
      return TRUE;
    }
  if (!_motcua_pg_log_reserve (pg, province, n_entries, first_gseq, error))
    return FALSE;

  for (guint i = 0; i < n_entries; i++)
    {
      EntryText text;
      const char *params[ENTRY_PARAMS];
      PGresult *result;

      entry_params (province, *first_gseq + i, &entries[i], &text, params);
      result = _motcua_pg_run (pg, "INSERT INTO hub_log (province, gseq, origin, seq, n, hlc,"
                                   " tbl, row_id, kind, case_id, offices, entry) VALUES ($1, $2,"
                                   " $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                               params, ENTRY_PARAMS, error);
      if (result == NULL)
        return FALSE;
      PQclear (result);
    }

  return TRUE;
}

/* A uuid[] as PostgreSQL writes it ({a,b}) into @offices; how many. */
static guint
parse_offices (const char  *text,
               MotcuaUuid   offices[3])
{
  g_auto(GStrv) parts = NULL;
  guint n = 0;

  if (text == NULL || strlen (text) < 2)
    return 0;
  parts = g_strsplit (text + 1, ",", 4);
  for (guint i = 0; parts[i] != NULL && n < 3; i++)
    {
      g_strdelimit (parts[i], "}", '\0');
      if (motcua_uuid_parse (parts[i], &offices[n]))
        n++;
    }

  return n;
}

gboolean
_motcua_pg_log_read (MotcuaPg         *pg,
                     const char       *province,
                     gint64            after,
                     guint             limit,
                     MotcuaPgLogEach   each,
                     gpointer          user_data,
                     GError          **error)
{
  g_autofree char *from = g_strdup_printf ("%" G_GINT64_FORMAT, after);
  g_autofree char *most = g_strdup_printf ("%u", limit);
  const char *const params[] = { province, from, most };
  PGresult *result;

  result = _motcua_pg_run (pg, "SELECT gseq, kind, origin, seq, n, hlc, tbl, row_id, case_id,"
                               " offices, entry FROM hub_log WHERE province = $1 AND gseq > $2"
                               " ORDER BY gseq LIMIT $3", params, 3, error);
  if (result == NULL)
    return FALSE;

  for (int r = 0; r < PQntuples (result); r++)
    {
      MotcuaUuid origin, row_id, case_id, offices[3];
      gboolean has_case = !PQgetisnull (result, r, 8)
                          && motcua_uuid_parse (PQgetvalue (result, r, 8), &case_id);
      MotcuaPgLogEntry entry = {
        .kind = atoi (PQgetvalue (result, r, 1)),
        .origin = &origin,
        .seq = g_ascii_strtoll (PQgetvalue (result, r, 3), NULL, 10),
        .n = (guint) g_ascii_strtoull (PQgetvalue (result, r, 4), NULL, 10),
        .hlc = (MotcuaHlc) g_ascii_strtoll (PQgetvalue (result, r, 5), NULL, 10),
        .table = atoi (PQgetvalue (result, r, 6)),
        .row_id = &row_id,
        .case_id = has_case ? &case_id : NULL,
        .offices = offices,
        .n_offices = parse_offices (PQgetvalue (result, r, 9), offices),
        .entry = PQgetvalue (result, r, 10),
      };

      /* Columns of type uuid: PostgreSQL writes them in the one form motcua_uuid_parse reads. */
      motcua_uuid_parse (PQgetvalue (result, r, 2), &origin);
      motcua_uuid_parse (PQgetvalue (result, r, 7), &row_id);
      if (!each (g_ascii_strtoll (PQgetvalue (result, r, 0), NULL, 10), &entry, user_data))
        break;
    }
  PQclear (result);

  return TRUE;
}
