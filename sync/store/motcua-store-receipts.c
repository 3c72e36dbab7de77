/* motcua-store-receipts.c: a desk's receipt numbers, stored
 *
 * The leased blocks (receipt_leases) and the replica's own counters (receipt_counters); see
 * motcua-store-receipts-private.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-store-receipts-private.h"

void
_motcua_store_receipts_office_free (gpointer data)
{
  MotcuaLeaseOffice *office = data;

  g_free (office->code);
  g_free (office);
}

gboolean
_motcua_store_receipts_add_lease (MotcuaReplica    *store,
                                  const MotcuaUuid *office_id,
                                  int               year,
                                  gint64            first,
                                  gint64            last,
                                  GError          **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "INSERT OR IGNORE INTO receipt_leases"
                                                " (office_id, year, first, last, next)"
                                                " VALUES (?1, ?2, ?3, ?4, ?3)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, office_id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  sqlite3_bind_int64 (stmt, 3, first);
  sqlite3_bind_int64 (stmt, 4, last);

  return _motcua_replica_step_done (store, stmt, error);
}

GPtrArray *
_motcua_store_receipts_offices (MotcuaReplica  *store,
                                GError        **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (_motcua_store_receipts_office_free);
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT o.id, o.code FROM offices o"
                                                " WHERE o.id = ?1 OR o.id IN (SELECT office_id"
                                                " FROM receipt_leases UNION SELECT office_id"
                                                " FROM receipt_counters) ORDER BY o.id <> ?1,"
                                                " o.code", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, store->office_id.bytes, 16, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaLeaseOffice *office;

      if (sqlite3_column_bytes (stmt, 0) != 16)
        continue;
      office = g_new0 (MotcuaLeaseOffice, 1);
      memcpy (office->id.bytes, sqlite3_column_blob (stmt, 0), 16);
      office->code = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      g_ptr_array_add (out, office);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&out);
}

gint64
_motcua_store_receipts_lease_left (MotcuaReplica    *store,
                                   const MotcuaUuid *office_id,
                                   int               year)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "SELECT coalesce(sum(last - next + 1),"
                                                " 0) FROM receipt_leases WHERE office_id = ?1"
                                                " AND year = ?2 AND next <= last", NULL);
  gint64 left = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_blob (stmt, 1, office_id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    left = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return left;
}

/* Steps @stmt, which returns one number or none: that number (0 when none), or -1. */
static gint64
step_number (MotcuaReplica  *store,
             sqlite3_stmt   *stmt,
             GError        **error)
{
  gint64 number = 0;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    number = sqlite3_column_int64 (stmt, 0);
  if (!_motcua_replica_step_done (store, stmt, error))
    return -1;

  return number;
}

gint64
_motcua_store_receipts_take_leased (MotcuaReplica    *store,
                                    const MotcuaUuid *office_id,
                                    int               year,
                                    GError          **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store, "UPDATE receipt_leases SET next ="
                                                " next + 1 WHERE (office_id, year, first) ="
                                                " (SELECT office_id, year, first FROM"
                                                " receipt_leases WHERE office_id = ?1"
                                                " AND year = ?2 AND next <= last ORDER BY first"
                                                " LIMIT 1) RETURNING next - 1", error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_blob (stmt, 1, office_id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);

  return step_number (store, stmt, error);
}

gint64
_motcua_store_receipts_count (MotcuaReplica    *store,
                              const MotcuaUuid *office_id,
                              int               year,
                              GError          **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (store,
                                                "INSERT INTO receipt_counters (office_id, year,"
                                                " next) VALUES (?1, ?2, 2) ON CONFLICT"
                                                " (office_id, year) DO UPDATE SET next ="
                                                " next + 1 RETURNING next - 1", error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_blob (stmt, 1, office_id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);

  return step_number (store, stmt, error);
}
