/* motcua-store-cases.c: a case's row read, lists and counts by filter, one of its columns,
 * and what a reception reads of a case's procedure
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-store-cases-private.h"

/* Reading: CASE_COLUMNS FROM CASE_FROM selects what case_row_read() reads. */
#define CASE_COLUMNS                                                                         \
  "c.rid, c.id, c.receipt_no, p.code, p.name, ro.code, ho.code, c.applicant_name,"          \
  " c.citizen_id, c.phone, c.address, c.channel, c.priority, c.received_at, c.clock_start,"  \
  " c.due_date, c.status, c.status_gen, c.papers, c.resolved_at, c.result, c.returned_at,"   \
  " c.returned_via, c.rating, c._seq, c.return_at"
#define CASE_JOINS                                                                           \
  " LEFT JOIN procedures p ON p.id = c.procedure_id"                                         \
  " LEFT JOIN offices ro ON ro.id = c.receiving_office_id"                                   \
  " LEFT JOIN offices ho ON ho.id = c.handling_office_id"
#define CASE_FROM " FROM cases c" CASE_JOINS

static void
case_row_read (sqlite3_stmt       *stmt,
               MotcuaStoreCaseRow *row)
{
#define TEXT(i) ((const char *) sqlite3_column_text (stmt, (i)))
  row->rid = sqlite3_column_int64 (stmt, 0);
  memset (row->id.bytes, 0, sizeof row->id.bytes);
  if (sqlite3_column_bytes (stmt, 1) == sizeof row->id.bytes)
    memcpy (row->id.bytes, sqlite3_column_blob (stmt, 1), sizeof row->id.bytes);
  row->receipt_no = TEXT (2);
  row->procedure_code = TEXT (3);
  row->procedure_name = TEXT (4);
  row->receiving_office = TEXT (5);
  row->handling_office = TEXT (6);
  row->applicant_name = TEXT (7);
  row->citizen_id = TEXT (8);
  row->phone = TEXT (9);
  row->address = TEXT (10);
  row->channel = TEXT (11);
  row->priority = TEXT (12);
  row->received_at = TEXT (13);
  row->clock_start = TEXT (14);
  row->due_date = TEXT (15);
  row->status = TEXT (16);
  row->status_generation = (guint) sqlite3_column_int (stmt, 17);
  row->papers = TEXT (18);
  row->resolved_at = TEXT (19);
  row->result = TEXT (20);
  row->returned_at = TEXT (21);
  row->returned_via = TEXT (22);
  row->rating = sqlite3_column_int (stmt, 23);
  row->seq = (guint64) sqlite3_column_int64 (stmt, 24);
  row->return_at = TEXT (25);
#undef TEXT
}

/* Steps @stmt to its end, calling @each with every row. */
static gboolean
each_case_row (MotcuaReplica        *store,
               sqlite3_stmt         *stmt,
               MotcuaStoreCaseEach   each,
               gpointer              user_data,
               GError              **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaStoreCaseRow row;

      case_row_read (stmt, &row);
      if (!each (&row, user_data, error))
        break;
    }

  return _motcua_replica_rows_done (store, stmt, rc, error);
}

gboolean
_motcua_store_cases_lookup (MotcuaReplica     *store,
                            const MotcuaUuid  *id,
                            const char        *receipt_no,
                            gboolean          *found,
                            gint64            *rid,
                            MotcuaUuid        *id_out,
                            GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (id != NULL)
    {
      stmt = _motcua_replica_prepare (store, "SELECT rid, id FROM cases WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_TRANSIENT);
    }
  else
    {
      stmt = _motcua_replica_prepare (store, "SELECT rid, id FROM cases WHERE receipt_no = ?1",
                                      error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, receipt_no, -1, SQLITE_STATIC);
    }

  rc = sqlite3_step (stmt);
  *found = rc == SQLITE_ROW;
  if (*found)
    {
      if (rid != NULL)
        *rid = sqlite3_column_int64 (stmt, 0);
      if (id_out != NULL)
        memcpy (id_out->bytes, sqlite3_column_blob (stmt, 1), 16);
      rc = SQLITE_DONE;
    }

  return _motcua_replica_rows_done (store, stmt, rc, error);
}

gboolean
_motcua_store_cases_read (MotcuaReplica        *store,
                          gint64                rid,
                          MotcuaStoreCaseEach   each,
                          gpointer              user_data,
                          GError              **error)
{
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (store, "SELECT " CASE_COLUMNS CASE_FROM " WHERE c.rid = ?1",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);

  return each_case_row (store, stmt, each, user_data, error);
}

/* Lists and counts */

/* Builds the query of a filter; parameters are named so the same text serves list and count. */
static char *
query_sql (const MotcuaStoreCaseQuery *q,
           gboolean                    count)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  gboolean windowed = q->match != NULL && !count && q->match_window > 0;

  if (q->office != NULL)
    g_string_append (sql, MOTCUA_STORE_JURISDICTION (":office", ":today"));

  g_string_append (sql, count ? "SELECT count(*)" : "SELECT " CASE_COLUMNS);
  if (windowed)
    g_string_append_printf (sql, " FROM (SELECT rowid, rank FROM cases_fts WHERE cases_fts"
                            " MATCH :match ORDER BY rowid DESC LIMIT %u) f"
                            " JOIN cases c ON c.rid = f.rowid", q->match_window);
  else if (q->match != NULL)
    g_string_append (sql, " FROM cases_fts f JOIN cases c ON c.rid = f.rowid");
  else
    g_string_append (sql, " FROM cases c");
  if (!count)
    g_string_append (sql, CASE_JOINS);
  g_string_append (sql, " WHERE c.deleted IS NOT 1");

  if (q->match != NULL && !windowed)
    g_string_append (sql, " AND cases_fts MATCH :match");
  if (q->receipt_lo != NULL)
    g_string_append (sql, " AND c.receipt_no >= :receipt_lo AND c.receipt_no < :receipt_hi");
  if (q->status != NULL)
    g_string_append (sql, " AND c.status = :status");
  if (q->open_only)
    g_string_append (sql, " AND c.resolved_at IS NULL");
  if (q->due_before != NULL)
    g_string_append (sql, " AND c.due_date < :due_before");
  if (q->due_from != NULL)
    g_string_append (sql, " AND c.due_date >= :due_from AND c.due_date <= :due_to");
  if (q->procedure_code != NULL)
    g_string_append (sql, " AND c.procedure_id ="
                     " (SELECT id FROM procedures WHERE code = :procedure)");
  if (q->channel != NULL)
    g_string_append (sql, " AND c.channel = :channel");
  if (q->office != NULL)
    g_string_append (sql, " AND (c.receiving_office_id IN jurisdiction"
                     " OR c.handling_office_id IN jurisdiction)");

  if (!count)
    {
      if (q->match != NULL)
        g_string_append (sql, " ORDER BY f.rank, c.rid DESC");
      else if (q->receipt_lo != NULL)
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
prepare_query (MotcuaReplica               *store,
               const MotcuaStoreCaseQuery  *q,
               gboolean                     count,
               GError                     **error)
{
  g_autofree char *sql = query_sql (q, count);
  sqlite3_stmt *stmt = _motcua_replica_prepare_text (store, sql, error);
  int index;

  if (stmt == NULL)
    return NULL;

  if (q->office != NULL)
    {
      g_autofree char *today = _motcua_replica_today (store);

      bind_named_text (stmt, ":office", q->office);
      bind_named_text (stmt, ":today", today);
    }
  bind_named_text (stmt, ":match", q->match);
  bind_named_text (stmt, ":receipt_lo", q->receipt_lo);
  bind_named_text (stmt, ":receipt_hi", q->receipt_hi);
  bind_named_text (stmt, ":status", q->status);
  bind_named_text (stmt, ":due_before", q->due_before);
  bind_named_text (stmt, ":due_from", q->due_from);
  bind_named_text (stmt, ":due_to", q->due_to);
  bind_named_text (stmt, ":procedure", q->procedure_code);
  bind_named_text (stmt, ":channel", q->channel);
  if ((index = sqlite3_bind_parameter_index (stmt, ":limit")) > 0)
    sqlite3_bind_int (stmt, index, q->limit);
  if ((index = sqlite3_bind_parameter_index (stmt, ":offset")) > 0)
    sqlite3_bind_int64 (stmt, index, q->offset);

  return stmt;
}

gboolean
_motcua_store_cases_list (MotcuaReplica               *store,
                          const MotcuaStoreCaseQuery  *query,
                          MotcuaStoreCaseEach          each,
                          gpointer                     user_data,
                          GError                     **error)
{
  sqlite3_stmt *stmt = prepare_query (store, query, FALSE, error);

  return stmt != NULL && each_case_row (store, stmt, each, user_data, error);
}

gint64
_motcua_store_cases_count (MotcuaReplica               *store,
                           const MotcuaStoreCaseQuery  *query,
                           GError                     **error)
{
  return _motcua_replica_step_count (store, prepare_query (store, query, TRUE, error), error);
}

/* One column */

char *
_motcua_store_cases_dup_text (MotcuaReplica *store,
                              gint64         rid,
                              const char    *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT CAST (%s AS TEXT) FROM cases WHERE rid = ?1",
                                          column);
  sqlite3_stmt *stmt = _motcua_replica_prepare_text (store, sql, NULL);
  char *text = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return text;
}

/* Procedures */

gboolean
_motcua_store_cases_procedure (MotcuaReplica        *store,
                               const char           *code,
                               MotcuaProcedureInfo  *out,
                               gboolean             *found,
                               GError              **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _motcua_replica_prepare (store,
                                  "SELECT id, processing_days, json_array_length (documents),"
                                  " name, in_force_from, in_force_to, time_unit, levels,"
                                  " coalesce (receiving_levels, levels) FROM procedures"
                                  " WHERE code = ?1 AND deleted IS NOT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *found = rc == SQLITE_ROW;
  if (*found)
    {
      memcpy (out->id.bytes, sqlite3_column_blob (stmt, 0), 16);
      out->processing_days = (guint) sqlite3_column_int (stmt, 1);
      out->n_documents = (guint) sqlite3_column_int (stmt, 2);
      out->name = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_strlcpy (out->in_force_from, (const char *) sqlite3_column_text (stmt, 4) ?: "",
                 sizeof out->in_force_from);
      g_strlcpy (out->in_force_to, (const char *) sqlite3_column_text (stmt, 5) ?: "",
                 sizeof out->in_force_to);
      out->time_unit = MOTCUA_TIME_WORKING_DAYS;
      motcua_time_unit_from_string ((const char *) sqlite3_column_text (stmt, 6),
                                    &out->time_unit);
      out->levels = _motcua_levels_from_string ((const char *) sqlite3_column_text (stmt, 7));
      out->receiving_levels = _motcua_levels_from_string ((const char *)
                                                          sqlite3_column_text (stmt, 8));
      rc = SQLITE_DONE;
    }

  return _motcua_replica_rows_done (store, stmt, rc, error);
}

gboolean
_motcua_store_cases_processing_days (MotcuaReplica   *store,
                                     gint64           rid,
                                     gint64          *days,
                                     MotcuaTimeUnit  *unit,
                                     char           **received_at,
                                     GError         **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT p.processing_days, p.time_unit,"
                                                " c.received_at FROM cases c"
                                                " JOIN procedures p ON p.id = c.procedure_id"
                                                " WHERE c.rid = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  *days = -1;
  *unit = MOTCUA_TIME_WORKING_DAYS;
  *received_at = NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *days = sqlite3_column_int64 (stmt, 0);
      motcua_time_unit_from_string ((const char *) sqlite3_column_text (stmt, 1), unit);
      *received_at = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      rc = SQLITE_DONE;
    }

  return _motcua_replica_rows_done (store, stmt, rc, error);
}

int
_motcua_store_cases_procedure_documents (MotcuaReplica     *store,
                                         const MotcuaUuid  *id,
                                         GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT json_array_length (documents)"
                                                " FROM procedures WHERE id = ?1", error);
  int n = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  return n;
}

gboolean
_motcua_store_cases_at_office (MotcuaReplica           *store,
                               const MotcuaUuid        *office,
                               MotcuaStoreReceiptFunc   each,
                               gpointer                 user_data,
                               gint64                  *n_closed,
                               GError                 **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _motcua_replica_prepare (store, "SELECT count(*) FROM cases WHERE receiving_office_id"
                                  " = ?1 AND resolved_at IS NOT NULL AND deleted IS NOT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, office->bytes, 16, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *n_closed = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  if (!_motcua_replica_walk_done (store, stmt, rc == SQLITE_ROW ? SQLITE_DONE : rc, NULL, error))
    return FALSE;

  stmt = _motcua_replica_prepare (store, "SELECT receipt_no FROM cases WHERE handling_office_id"
                                  " = ?1 AND resolved_at IS NULL AND deleted IS NOT 1"
                                  " ORDER BY received_at, rid", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, office->bytes, 16, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!each ((const char *) sqlite3_column_text (stmt, 0), user_data, error))
      break;

  return _motcua_replica_rows_done (store, stmt, rc, error);
}
