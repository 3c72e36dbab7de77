/* motcua-store-leases.c: the province's lease counter, stored
 *
 * hub_leases and hub_lease_log; see motcua-store-leases-private.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-hub.h"
#include "motcua-store-leases-private.h"
#include "motcua-store-restore-private.h"

/* The counter's next number for @office_code and @year, in @next (left as it is when there is
 * none yet). */
static gboolean
counter_next (MotcuaReplica     *store,
              const char        *office_code,
              const MotcuaUuid  *office_id,
              int                year,
              gint64            *next,
              GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT next FROM hub_leases"
                                                " WHERE office_code = ?1 AND year = ?2", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, office_code, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *next = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);

  /* Numbers the hub's own desk gave before it leased any. */
  if (office_id != NULL)
    {
      sqlite3_stmt *counter = _motcua_replica_prepare (store, "SELECT next FROM"
                                                       " receipt_counters WHERE office_id"
                                                       " = ?1 AND year = ?2", error);

      if (counter == NULL)
        return FALSE;
      sqlite3_bind_blob (counter, 1, office_id->bytes, 16, SQLITE_STATIC);
      sqlite3_bind_int (counter, 2, year);
      if (sqlite3_step (counter) == SQLITE_ROW)
        *next = MAX (*next, sqlite3_column_int64 (counter, 0));
      sqlite3_reset (counter);
    }

  return TRUE;
}

/* Moves the counter past [@first, @last] and notes who was given that block. */
static gboolean
record (MotcuaReplica  *store,
        const char     *token_id,
        const char     *office_code,
        int             year,
        gint64          first,
        gint64          last,
        GError        **error)
{
  g_autofree char *now = _motcua_replica_now_iso (store);
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (store, "INSERT OR REPLACE INTO hub_leases (office_code, year,"
                                  " next) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, office_code, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  sqlite3_bind_int64 (stmt, 3, last + 1);
  if (!_motcua_replica_step_done (store, stmt, error))
    return FALSE;

  stmt = _motcua_replica_prepare (store, "INSERT INTO hub_lease_log (token_id, office_code,"
                                  " year, first, last, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_id ? token_id : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, office_code, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, year);
  sqlite3_bind_int64 (stmt, 4, first);
  sqlite3_bind_int64 (stmt, 5, last);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);

  return _motcua_replica_step_done (store, stmt, error);
}

/* Receipt numbers: blocks per office and year, never given twice. */
gboolean
_motcua_store_leases_grant (MotcuaReplica     *store,
                            const char        *token_id,
                            const char        *office_code,
                            const MotcuaUuid  *office_id,
                            int                year,
                            guint              count,
                            gint64            *first_out,
                            GError           **error)
{
  gint64 generation;
  gint64 first = 1;

  *first_out = 0;
  if (!motcua_replica_begin (store, error))
    return FALSE;
  /* Read under the write lock, as everything the lease is counted from. */
  generation = _motcua_store_restore_generation (store);
  if (!counter_next (store, office_code, office_id, year, &first, error))
    return _motcua_replica_finish (store, FALSE, error);

  /* After a restore, above whatever the numbers given before it reached. */
  first = MAX (first, generation * MOTCUA_HUB_RECEIPT_SPAN + 1);
  if (first + count > (generation + 1) * MOTCUA_HUB_RECEIPT_SPAN)
    return _motcua_replica_finish (store, TRUE, error);

  if (!_motcua_replica_finish (store,
                               record (store, token_id, office_code, year, first,
                                       first + count - 1, error),
                               error))
    return FALSE;
  *first_out = first;

  return TRUE;
}

gboolean
_motcua_store_leases_raise (MotcuaReplica  *store,
                            gint64          next,
                            GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "UPDATE hub_leases SET next ="
                                                " max(next, ?1)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, next);

  return _motcua_replica_step_done (store, stmt, error);
}
