/* motcua-receipts.c: receipt numbers on the desk's side: their format, the next one, the blocks
 * the server leased this replica (kept, counted, taken from) and the numbers carrying the desk's
 * code when they run out offline
 *
 * Numbers are unique across the province (DESIGN.md, Receipt numbers). The server grants the
 * leases (hub/motcua-hub-leases.c); the province's own desk takes its numbers straight from
 * that counter.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-cases-private.h"
#include "motcua-error.h"
#include "motcua-hub-private.h"

/* The number printed on a receipt: OFFICE-YEAR-NNNNNN, or OFFICE-YEAR-DESK-NNNN for the
 * numbers a desk out of leased ones gives offline, which carry its desk code. */
static char *
format_number (const char *office_code,
               int         year,
               const char *desk,
               gint64      number)
{
  if (desk != NULL)
    return g_strdup_printf ("%s-%04d-%s-%04" G_GINT64_FORMAT, office_code, year, desk, number);
  return g_strdup_printf ("%s-%04d-%06" G_GINT64_FORMAT, office_code, year, number);
}

/* The blocks of numbers the server leased this replica */

gboolean
_motcua_replica_add_lease (MotcuaReplica    *self,
                           const MotcuaUuid *office_id,
                           int               year,
                           gint64            first,
                           gint64            last,
                           GError          **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "INSERT OR IGNORE INTO receipt_leases"
                                                " (office_id, year, first, last, next)"
                                                " VALUES (?1, ?2, ?3, ?4, ?3)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, office_id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  sqlite3_bind_int64 (stmt, 3, first);
  sqlite3_bind_int64 (stmt, 4, last);

  return _motcua_replica_step_done (self, stmt, error);
}

/* The offices this replica keeps leased receipt numbers for: its own, and each office below it
 * it has received a dossier for (it holds a lease or a counter for it), as (id, code) pairs:
 * a GPtrArray of MotcuaLeaseOffice. */
GPtrArray *
_motcua_replica_lease_offices (MotcuaReplica  *self,
                               GError        **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (_motcua_lease_office_free);
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT o.id, o.code FROM offices o"
                                                " WHERE o.id = ?1 OR o.id IN (SELECT office_id"
                                                " FROM receipt_leases UNION SELECT office_id"
                                                " FROM receipt_counters) ORDER BY o.id <> ?1,"
                                                " o.code", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, self->office_id.bytes, 16, SQLITE_STATIC);
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
  if (!_motcua_replica_rows_done (self, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&out);
}

void
_motcua_lease_office_free (gpointer data)
{
  MotcuaLeaseOffice *office = data;

  g_free (office->code);
  g_free (office);
}

gint64
_motcua_replica_lease_left (MotcuaReplica    *self,
                            const MotcuaUuid *office_id,
                            int               year)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT coalesce(sum(last - next + 1), 0)"
                                                " FROM receipt_leases WHERE office_id = ?1"
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

gint64
_motcua_replica_take_leased (MotcuaReplica    *self,
                             const MotcuaUuid *office_id,
                             int               year,
                             GError          **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "UPDATE receipt_leases SET next = next + 1"
                                                " WHERE (office_id, year, first) = (SELECT"
                                                " office_id, year, first FROM receipt_leases"
                                                " WHERE office_id = ?1 AND year = ?2"
                                                " AND next <= last ORDER BY first LIMIT 1)"
                                                " RETURNING next - 1", error);
  gint64 number = 0;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_blob (stmt, 1, office_id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    number = sqlite3_column_int64 (stmt, 0);
  if (!_motcua_replica_step_done (self, stmt, error))
    return -1;

  return number;
}

/* The next number */

char *
_motcua_receipt_next (MotcuaReplica    *self,
                      const MotcuaUuid *office_id,
                      const char       *office_code,
                      int               year,
                      GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 number = 0;
  g_autofree char *server = _motcua_replica_meta_dup_text (self, "server_url");

  /* Numbers are unique across the province: an enrolled desk gives the numbers its server
   * leased it; the server's own desk takes them from the lease counter itself. */
  if (_motcua_replica_is_hub (self))
    {
      gint64 last;

      if (!_motcua_hub_lease (self, "hub", office_code, year, 1, &number, &last, error))
        return NULL;
      return format_number (office_code, year, NULL, number);
    }
  if (server != NULL)
    {
      number = _motcua_replica_take_leased (self, office_id, year, error);
      if (number < 0)
        return NULL;
      if (number > 0)
        return format_number (office_code, year, NULL, number);
    }

  /* Per office and year. An enrolled desk that ran out of leased numbers offline gives a
   * visibly distinct one that carries its desk code, unique in the province: no other desk
   * can make it. */
  stmt = _motcua_replica_prepare (self,
                                  "INSERT INTO receipt_counters (office_id, year, next)"
                                  " VALUES (?1, ?2, 2) ON CONFLICT (office_id, year)"
                                  " DO UPDATE SET next = next + 1 RETURNING next - 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, office_id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    number = sqlite3_column_int64 (stmt, 0);
  if (!_motcua_replica_step_done (self, stmt, error))
    return NULL;

  if (server != NULL)
    {
      g_autofree char *desk = _motcua_replica_meta_dup_text (self, "desk_code");

      /* A desk enrolled before desk codes existed, not synced since: the random part of its
       * id (the last 12 hex digits of a UUIDv7; its first ones are a timestamp). */
      if (desk == NULL)
        desk = g_strdup_printf ("R%s", self->id + 24);
      return format_number (office_code, year, desk, number);
    }

  return format_number (office_code, year, NULL, number);
}
