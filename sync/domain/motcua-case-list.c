/* motcua-case-list.c: listing and counting cases by filter and search, and the changes
 * pending
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-cases-private.h"
#include "motcua-error.h"
#include "motcua-text.h"

/* Listing */

static char *
week_end (const char *today)
{
  GDate date;
  char buf[11];

  if (!motcua_check_date (_("today"), today, &date, NULL))
    return g_strdup (today);
  g_date_add_days (&date, G_DATE_SUNDAY - g_date_get_weekday (&date));
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &date);

  return g_strdup (buf);
}

/* Whether @query looks like (the start of) a receipt number: one word with a dash, made of
 * capital letters, digits, dots, dashes and underscores. Those are found through the receipt
 * index, as a prefix range. */
static char *
receipt_prefix (const char *query)
{
  g_autofree char *text = g_ascii_strup (query ? query : "", -1);
  char *t = g_strstrip (text);

  if (*t == '\0' || strchr (t, '-') == NULL
      || strspn (t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen (t))
    return NULL;

  return g_strdup (t);
}

/* How many of the newest matches of a full-text query are ranked. Ranking every match of a
 * one-letter prefix over a million cases takes seconds; the newest 500 take a millisecond, and a
 * query specific enough to be worth ranking has fewer matches than that. */
#define SEARCH_WINDOW 500

static gboolean
filter_is_query_only (const MotcuaCaseFilter *f)
{
  return f->status < 0 && !f->open_only && !f->overdue && !f->due_this_week
         && f->procedure_code == NULL && f->channel < 0 && f->office == NULL;
}

/* Builds the query of a filter; parameters are named so the same text serves list and count. */
static char *
filter_sql (const MotcuaCaseFilter *f,
            gboolean                count,
            gboolean               *uses_fts)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *receipt = receipt_prefix (f->query);
  g_autofree char *match = (f->query && receipt == NULL) ? _motcua_fts_query (f->query) : NULL;
  gboolean windowed = match != NULL && !count && filter_is_query_only (f);

  *uses_fts = match != NULL;

  if (f->office != NULL)
    g_string_append (sql, "WITH RECURSIVE sub (id) AS ("
                     " SELECT id FROM offices WHERE code = :office"
                     " UNION SELECT o.id FROM offices o JOIN sub ON o.parent_id = sub.id) ");

  g_string_append (sql, count ? "SELECT count(*)" : "SELECT " CASE_COLUMNS);
  if (windowed)
    g_string_append_printf (sql, " FROM (SELECT rowid, rank FROM cases_fts WHERE cases_fts"
                            " MATCH :match ORDER BY rowid DESC LIMIT %d) f"
                            " JOIN cases c ON c.rid = f.rowid", SEARCH_WINDOW);
  else if (*uses_fts)
    g_string_append (sql, " FROM cases_fts f JOIN cases c ON c.rid = f.rowid");
  else
    g_string_append (sql, " FROM cases c");
  if (!count)
    g_string_append (sql, " LEFT JOIN procedures p ON p.id = c.procedure_id"
                     " LEFT JOIN offices ro ON ro.id = c.receiving_office_id"
                     " LEFT JOIN offices ho ON ho.id = c.handling_office_id");
  g_string_append (sql, " WHERE c.deleted IS NOT 1");

  if (*uses_fts && !windowed)
    g_string_append (sql, " AND cases_fts MATCH :match");
  if (receipt != NULL)
    g_string_append (sql, " AND c.receipt_no >= :receipt_lo AND c.receipt_no < :receipt_hi");
  if (f->status >= 0)
    g_string_append (sql, " AND c.status = :status");
  if (f->open_only || f->overdue || f->due_this_week)
    g_string_append (sql, " AND c.resolved_at IS NULL");
  if (f->overdue)
    g_string_append (sql, " AND c.due_date < :today");
  if (f->due_this_week)
    g_string_append (sql, " AND c.due_date >= :today AND c.due_date <= :week_end");
  if (f->procedure_code != NULL)
    g_string_append (sql, " AND c.procedure_id ="
                     " (SELECT id FROM procedures WHERE code = :procedure)");
  if (f->channel >= 0)
    g_string_append (sql, " AND c.channel = :channel");
  if (f->office != NULL)
    g_string_append (sql, " AND (c.receiving_office_id IN sub OR c.handling_office_id IN sub)");

  if (!count)
    {
      if (*uses_fts)
        g_string_append (sql, " ORDER BY f.rank, c.rid DESC");
      else if (receipt != NULL)
        g_string_append (sql, " ORDER BY c.receipt_no");
      else
        g_string_append (sql, " ORDER BY c.received_at DESC, c.rid DESC");
      g_string_append (sql, " LIMIT :limit OFFSET :offset");
    }

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static void
bind_named_text (sqlite3_stmt *stmt,
                 const char   *name,
                 const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static sqlite3_stmt *
prepare_filter (MotcuaReplica           *self,
                const MotcuaCaseFilter  *f,
                gboolean                 count,
                GError                 **error)
{
  g_autofree char *sql = NULL;
  g_autofree char *today = NULL;
  g_autofree char *sunday = NULL;
  g_autofree char *match = NULL;
  g_autofree char *receipt = NULL;
  g_autofree char *receipt_hi = NULL;
  sqlite3_stmt *stmt;
  gboolean uses_fts;
  int index;

  if (f->today != NULL && !motcua_check_date (_("today"), f->today, NULL, error))
    return NULL;
  if (f->status >= MOTCUA_N_STATUSES || f->channel >= MOTCUA_N_CHANNELS)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("filter: status or channel out of range"));
      return NULL;
    }

  /* A typo in a filter must not look like "no cases". */
  if (f->office != NULL)
    {
      MotcuaUuid office;

      if (!_motcua_replica_office_id (self, _("office"), f->office, &office, error))
        return NULL;
    }
  if (f->procedure_code != NULL)
    {
      g_autoptr(MotcuaProcedure) procedure = motcua_replica_dup_procedure (self, f->procedure_code,
                                                                           error);

      if (procedure == NULL)
        return NULL;
    }

  sql = filter_sql (f, count, &uses_fts);
  stmt = _motcua_replica_prepare_text (self, sql, error);
  if (stmt == NULL)
    return NULL;

  today = f->today ? g_strdup (f->today) : _motcua_replica_today (self);
  sunday = week_end (today);
  match = f->query ? _motcua_fts_query (f->query) : NULL;
  receipt = receipt_prefix (f->query);
  if (receipt != NULL)
    {
      /* The range of receipt numbers starting with the prefix: its last byte raised by one. */
      receipt_hi = g_strdup (receipt);
      receipt_hi[strlen (receipt_hi) - 1]++;
      bind_named_text (stmt, ":receipt_lo", receipt);
      bind_named_text (stmt, ":receipt_hi", receipt_hi);
    }

  bind_named_text (stmt, ":office", f->office);
  bind_named_text (stmt, ":match", match);
  if (f->status >= 0)
    bind_named_text (stmt, ":status", motcua_status_to_string ((MotcuaStatus) f->status));
  bind_named_text (stmt, ":today", today);
  bind_named_text (stmt, ":week_end", sunday);
  bind_named_text (stmt, ":procedure", f->procedure_code);
  if (f->channel >= 0)
    bind_named_text (stmt, ":channel", motcua_channel_to_string ((MotcuaChannel) f->channel));
  if ((index = sqlite3_bind_parameter_index (stmt, ":limit")) > 0)
    sqlite3_bind_int (stmt, index, f->limit ? (int) MIN (f->limit, G_MAXINT) : 100);
  if ((index = sqlite3_bind_parameter_index (stmt, ":offset")) > 0)
    sqlite3_bind_int64 (stmt, index, f->offset);

  return stmt;
}

GPtrArray *
motcua_replica_list_cases (MotcuaReplica           *self,
                           const MotcuaCaseFilter  *filter,
                           GError                 **error)
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func ((GDestroyNotify) motcua_case_free);
  MotcuaCaseFilter defaults = MOTCUA_CASE_FILTER_INIT;
  sqlite3_stmt *stmt;
  guint64 acked;
  int rc;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  /* Read before the list's statement steps: it uses a cached statement of its own. */
  acked = _motcua_replica_get_acked (self);
  stmt = prepare_filter (self, filter ? filter : &defaults, FALSE, error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (cases, _motcua_case_from_row (stmt, 0, acked));
  if (!_motcua_replica_rows_done (self, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&cases);
}

gint64
motcua_replica_count_cases (MotcuaReplica           *self,
                            const MotcuaCaseFilter  *filter,
                            GError                 **error)
{
  MotcuaCaseFilter defaults = MOTCUA_CASE_FILTER_INIT;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), -1);

  stmt = prepare_filter (self, filter ? filter : &defaults, TRUE, error);
  return _motcua_replica_step_count (self, stmt, error);
}

gint64
motcua_replica_count_pending (MotcuaReplica  *self,
                              GError        **error)
{
  guint64 acked;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), -1);

  /* Sequence numbers are dense: what the hub has not acknowledged is the rest. */
  acked = _motcua_replica_get_acked (self);

  return (gint64) (self->seq > acked ? self->seq - acked : 0);
}
