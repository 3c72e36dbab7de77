/* motcua-cases.c: reading a case, and writing one with its timeline event
 *
 * Every other file of cases (reception, corrections, steps, listing) reads and writes through
 * these; the rules the values obey are in motcua-case-values.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-cases-private.h"
#include "motcua-error.h"
#include "motcua-text.h"

/* Reading */

/* Statements */

gboolean
_motcua_replica_rows_done (MotcuaReplica  *self,
                           sqlite3_stmt   *stmt,
                           int             rc,
                           GError        **error)
{
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  _motcua_replica_set_db_error (self, error);
  return FALSE;
}

gint64
_motcua_replica_step_count (MotcuaReplica  *self,
                            sqlite3_stmt   *stmt,
                            GError        **error)
{
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    _motcua_replica_set_db_error (self, error);
  sqlite3_reset (stmt);

  return n;
}

/* Reading */

MotcuaCase *
_motcua_case_from_row (sqlite3_stmt *stmt,
                       int           col,
                       guint64       acked)
{
  MotcuaCase *c = g_new0 (MotcuaCase, 1);
  char id[37];
  const char *text;

#define TEXT(i) g_strdup ((const char *) sqlite3_column_text (stmt, col + (i)))
  motcua_uuid_to_string (sqlite3_column_blob (stmt, col + 1), id);
  c->id = g_strdup (id);
  c->receipt_no = TEXT (2);
  c->procedure_code = TEXT (3);
  c->procedure_name = TEXT (4);
  c->receiving_office = TEXT (5);
  c->handling_office = TEXT (6);
  c->applicant_name = TEXT (7);
  c->citizen_id = TEXT (8);
  c->phone = TEXT (9);
  c->address = TEXT (10);
  motcua_channel_from_string ((const char *) sqlite3_column_text (stmt, col + 11), &c->channel);
  motcua_priority_from_string ((const char *) sqlite3_column_text (stmt, col + 12), &c->priority);
  c->received_at = TEXT (13);
  c->clock_start = TEXT (14);
  c->due_date = TEXT (15);
  motcua_status_from_string ((const char *) sqlite3_column_text (stmt, col + 16), &c->status);
  c->status_generation = (guint) sqlite3_column_int (stmt, col + 17);
  c->papers = g_array_new (FALSE, FALSE, sizeof (guint));
  text = (const char *) sqlite3_column_text (stmt, col + 18);
  _motcua_papers_parse (text, c->papers, NULL);
  c->resolved_at = TEXT (19);
  c->result = TEXT (20);
  c->returned_at = TEXT (21);
  motcua_channel_from_string ((const char *) sqlite3_column_text (stmt, col + 22),
                              &c->returned_via);
  c->rating = sqlite3_column_int (stmt, col + 23);
  /* Pending while its last local change is not acknowledged by the hub. */
  c->sync_state = (guint64) sqlite3_column_int64 (stmt, col + 24) > acked
                  ? MOTCUA_SYNC_STATE_PENDING : MOTCUA_SYNC_STATE_SYNCED;
#undef TEXT

  return c;
}

gboolean
_motcua_replica_case_rid (MotcuaReplica  *self,
                          const char     *key,
                          gint64         *rid_out,
                          MotcuaUuid     *id_out,
                          GError        **error)
{
  MotcuaUuid uuid;
  sqlite3_stmt *stmt;
  gboolean found;

  if (!motcua_check_required (_("case"), key, error))
    return FALSE;

  if (motcua_uuid_parse (key, &uuid))
    {
      stmt = _motcua_replica_prepare (self, "SELECT rid, id FROM cases WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, uuid.bytes, 16, SQLITE_TRANSIENT);
    }
  else
    {
      stmt = _motcua_replica_prepare (self, "SELECT rid, id FROM cases WHERE receipt_no = ?1",
                                      error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
    }

  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found)
    {
      if (rid_out != NULL)
        *rid_out = sqlite3_column_int64 (stmt, 0);
      if (id_out != NULL)
        memcpy (id_out->bytes, sqlite3_column_blob (stmt, 1), 16);
    }
  sqlite3_reset (stmt);

  if (!found)
    g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                 _("case “%s” is not in this replica (give a case id or a receipt number)"), key);

  return found;
}

MotcuaCase *
_motcua_case_dup_by_rid (MotcuaReplica  *self,
                         gint64          rid,
                         GError        **error)
{
  sqlite3_stmt *stmt;
  MotcuaCase *c = NULL;

  stmt = _motcua_replica_prepare (self, "SELECT " CASE_COLUMNS CASE_FROM " WHERE c.rid = ?1",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    c = _motcua_case_from_row (stmt, 0, _motcua_replica_get_acked (self));
  sqlite3_reset (stmt);

  if (c == NULL)
    g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND, _("case %lld vanished"),
                 (long long) rid);

  return c;
}

MotcuaCase *
motcua_replica_dup_case (MotcuaReplica  *self,
                         const char     *key,
                         GError        **error)
{
  gint64 rid;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (!_motcua_replica_case_rid (self, key, &rid, NULL, error))
    return NULL;

  return _motcua_case_dup_by_rid (self, rid, error);
}

MotcuaCase *
_motcua_case_dup_by_key (MotcuaReplica  *self,
                         const char     *key,
                         gint64         *rid,
                         MotcuaUuid     *id,
                         GError        **error)
{
  if (!_motcua_replica_case_rid (self, key, rid, id, error))
    return NULL;

  return _motcua_case_dup_by_rid (self, *rid, error);
}

gboolean
_motcua_case_write (MotcuaReplica     *self,
                    const MotcuaUuid  *id,
                    MotcuaValue       *values,
                    guint64            mask,
                    MotcuaHlc          hlc,
                    const char        *at,
                    const char              *action,
                    const MotcuaEventFacts  *facts,
                    const char              *note,
                    GError                 **error)
{
  return _motcua_case_check_values (self, values, mask, NULL, error)
         && _motcua_replica_write_row (self, _motcua_cases_table (), id, values, mask,
                                       MOTCUA_WRITE_LOCAL, hlc, NULL, error)
         && _motcua_replica_add_case_event (self, id, hlc, at, action, facts, note, error);
}
