/* motcua-hub-leases.c: receipt numbers leased to desks
 *
 * Blocks of numbers per office and year, counted in hub_leases and logged in hub_lease_log,
 * each in the range of the store's generation (motcua-hub-restore.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-hub-private.h"

/* Receipt numbers: blocks per office and year, never given twice. */
gboolean
_motcua_hub_lease (MotcuaReplica  *hub,
                   const char     *token_id,
                   const char     *office_code,
                   int             year,
                   guint           count,
                   gint64         *first_out,
                   gint64         *last_out,
                   GError        **error)
{
  g_autofree char *now = _motcua_replica_now_iso (hub);
  sqlite3_stmt *stmt;
  gint64 generation;
  gint64 first = 1;

  if (!motcua_replica_begin (hub, error))
    return FALSE;
  /* Read under the write lock, as everything the lease is counted from. */
  generation = _motcua_hub_generation (hub);

  stmt = _motcua_replica_prepare (hub, "SELECT next FROM hub_leases WHERE office_code = ?1"
                                  " AND year = ?2", error);
  if (stmt == NULL)
    return _motcua_replica_finish (hub, FALSE, error);
  sqlite3_bind_text (stmt, 1, office_code, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    first = sqlite3_column_int64 (stmt, 0);
  else
    {
      /* Numbers the hub's own desk gave before it leased any. */
      MotcuaUuid office;

      sqlite3_reset (stmt);
      if (_motcua_replica_office_id (hub, "office", office_code, &office, NULL))
        {
          sqlite3_stmt *counter = _motcua_replica_prepare (hub, "SELECT next FROM"
                                                           " receipt_counters WHERE office_id"
                                                           " = ?1 AND year = ?2", error);

          if (counter == NULL)
            return _motcua_replica_finish (hub, FALSE, error);
          sqlite3_bind_blob (counter, 1, office.bytes, 16, SQLITE_STATIC);
          sqlite3_bind_int (counter, 2, year);
          if (sqlite3_step (counter) == SQLITE_ROW)
            first = MAX (first, sqlite3_column_int64 (counter, 0));
          sqlite3_reset (counter);
        }
    }
  sqlite3_reset (stmt);

  /* After a restore, above whatever the numbers given before it reached. */
  first = MAX (first, generation * MOTCUA_HUB_RECEIPT_SPAN + 1);
  if (first + count > (generation + 1) * MOTCUA_HUB_RECEIPT_SPAN)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_AVAILABLE,
                   _("Office %s has no receipt numbers left to lease for %d: desks give"
                     " numbers carrying their desk code"), office_code, year);
      return _motcua_replica_finish (hub, FALSE, error);
    }

  stmt = _motcua_replica_prepare (hub, "INSERT OR REPLACE INTO hub_leases (office_code, year,"
                                  " next) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return _motcua_replica_finish (hub, FALSE, error);
  sqlite3_bind_text (stmt, 1, office_code, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  sqlite3_bind_int64 (stmt, 3, first + count);
  if (!_motcua_replica_step_done (hub, stmt, error))
    return _motcua_replica_finish (hub, FALSE, error);

  stmt = _motcua_replica_prepare (hub, "INSERT INTO hub_lease_log (token_id, office_code, year,"
                                  " first, last, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return _motcua_replica_finish (hub, FALSE, error);
  sqlite3_bind_text (stmt, 1, token_id ? token_id : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, office_code, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, year);
  sqlite3_bind_int64 (stmt, 4, first);
  sqlite3_bind_int64 (stmt, 5, first + count - 1);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  if (!_motcua_replica_finish (hub, _motcua_replica_step_done (hub, stmt, error), error))
    return FALSE;

  *first_out = first;
  *last_out = first + count - 1;

  return TRUE;
}
