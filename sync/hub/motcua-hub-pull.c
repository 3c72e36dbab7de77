/* motcua-hub-pull.c: serving pulls
 *
 * A replica pulls what lies in its scope past its cursor: from the global order (a number), or,
 * for a new replica or one whose cursor the hub does not know, its scope's current state first
 * (a cursor "s…"), table by table, then the order from where the state was read.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-hub-private.h"

static gboolean
entry_in_scope (MotcuaHubPeer *peer,
                sqlite3_stmt  *stmt,
                int            first_office_column)
{
  if (sqlite3_column_type (stmt, first_office_column - 1) == SQLITE_NULL)
    return TRUE;   /* about no case: reference data */

  for (int i = 0; i < 3; i++)
    if (_motcua_hub_office_in_scope (peer, sqlite3_column_blob (stmt, first_office_column + i),
                         sqlite3_column_bytes (stmt, first_office_column + i)))
      return TRUE;

  return FALSE;
}

/* The changes of one row write are logged together: the same origin and row, consecutive
 * sequence numbers. A write has at most one change per column, so a batch that finishes the
 * write it is in grows by less than this. */
#define MAX_WRITE_SPILL 64

typedef struct
{
  gboolean valid;
  guint8   origin[16];
  guint8   row[16];
  gint64   seq;
} LogWrite;

/* Whether the entry at @stmt (columns: 1 origin, 8 seq, 9 row) continues the write @previous
 * was part of. */
static gboolean
write_continues (const LogWrite *previous,
                 sqlite3_stmt   *stmt)
{
  return previous->valid
         && sqlite3_column_bytes (stmt, 1) == 16 && sqlite3_column_bytes (stmt, 9) == 16
         && memcmp (sqlite3_column_blob (stmt, 1), previous->origin, 16) == 0
         && memcmp (sqlite3_column_blob (stmt, 9), previous->row, 16) == 0
         && sqlite3_column_int64 (stmt, 8) == previous->seq + 1;
}

static void
write_remember (LogWrite     *previous,
                sqlite3_stmt *stmt,
                int           kind)
{
  previous->valid = kind == 0 && sqlite3_column_bytes (stmt, 1) == 16
                    && sqlite3_column_bytes (stmt, 9) == 16;
  if (!previous->valid)
    return;
  memcpy (previous->origin, sqlite3_column_blob (stmt, 1), 16);
  memcpy (previous->row, sqlite3_column_blob (stmt, 9), 16);
  previous->seq = sqlite3_column_int64 (stmt, 8);
}

/* The log past @cursor. Bounded in what it returns and in what it reads, so a replica far
 * behind gets answers of steady size. */
static gboolean
pull_log (MotcuaReplica  *hub,
          MotcuaHubPeer  *peer,
          guint64         cursor,
          guint           limit,
          JsonArray      *out,
          guint64        *cursor_out,
          gboolean       *more_out,
          GError        **error)
{
  sqlite3_stmt *stmt;
  LogWrite previous = { FALSE };
  guint64 last = cursor;
  guint scanned = 0;
  gboolean more = FALSE;
  int rc;

  stmt = _motcua_replica_prepare (hub, "SELECT gseq, origin, kind, change, case_id, office_a,"
                                  " office_b, office_c, seq, row_id FROM hub_log WHERE gseq > ?1"
                                  " ORDER BY gseq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) cursor);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean own = peer->bound && sqlite3_column_bytes (stmt, 1) == 16
                     && memcmp (sqlite3_column_blob (stmt, 1), peer->replica_id.bytes, 16) == 0;
      int kind = sqlite3_column_int (stmt, 2);

      gboolean same_write = kind == 0 && write_continues (&previous, stmt);

      /* A batch never ends inside one row write: a replica between two batches (a sync cut
       * there) holds every write whole, never a case with half its fields. */
      if ((json_array_get_length (out) >= limit || scanned >= limit * 20)
          && !(same_write && json_array_get_length (out) < limit + MAX_WRITE_SPILL))
        {
          more = TRUE;
          break;
        }
      scanned++;
      last = (guint64) sqlite3_column_int64 (stmt, 0);
      write_remember (&previous, stmt, kind);

      if ((own && kind == 0) || !entry_in_scope (peer, stmt, 5))
        continue;

      {
        g_autoptr(JsonNode) node = json_from_string ((const char *) sqlite3_column_text (stmt, 3),
                                                     NULL);

        if (node == NULL)
          continue;
        if (kind == 1 && JSON_NODE_HOLDS_ARRAY (node))
          {
            JsonArray *rows = json_node_get_array (node);

            for (guint i = 0; i < json_array_get_length (rows); i++)
              json_array_add_element (out, json_node_copy (json_array_get_element (rows, i)));
          }
        else
          json_array_add_element (out, g_steal_pointer (&node));
      }
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (hub, error);
      return FALSE;
    }

  *cursor_out = last;
  *more_out = more;

  return TRUE;
}

/* A new replica downloads current state, not history: every row in its scope as a snapshot row,
 * table by table in rid order, then the log from where the snapshot began. The cursor says
 * where it is: "s<gseq>.<table>.<rid>". */
static const MotcuaTableId state_tables[] = {
  MOTCUA_TABLE_OFFICES, MOTCUA_TABLE_PROCEDURES, MOTCUA_TABLE_CALENDAR, MOTCUA_TABLE_CASES,
  MOTCUA_TABLE_CASE_EVENTS, MOTCUA_TABLE_ATTACHMENTS, MOTCUA_TABLE_CONFLICTS,
};

static gboolean
row_in_scope (MotcuaReplica  *hub,
              MotcuaHubPeer  *peer,
              MotcuaTableId   table,
              sqlite3_stmt   *stmt)
{
  switch (table)
    {
    case MOTCUA_TABLE_CASES:
      return _motcua_hub_office_in_scope (peer, sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2))
             || _motcua_hub_office_in_scope (peer, sqlite3_column_blob (stmt, 3),
                                 sqlite3_column_bytes (stmt, 3));
    case MOTCUA_TABLE_CASE_EVENTS:
    case MOTCUA_TABLE_ATTACHMENTS:
    case MOTCUA_TABLE_CONFLICTS:
      if (sqlite3_column_bytes (stmt, 2) != 16)
        return table == MOTCUA_TABLE_CONFLICTS;
      return _motcua_hub_case_in_scope (hub, peer, sqlite3_column_blob (stmt, 2));
    default:
      return TRUE;
    }
}

static gboolean
pull_state (MotcuaReplica  *hub,
            MotcuaHubPeer  *peer,
            guint64         base,
            guint           table_index,
            gint64          after_rid,
            guint           limit,
            JsonArray      *out,
            char          **cursor_out,
            gboolean       *more_out,
            GError        **error)
{
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_batch_new ();
  guint scanned = 0;

  for (; table_index < G_N_ELEMENTS (state_tables); table_index++, after_rid = 0)
    {
      const MotcuaTableDesc *table = _motcua_table_lookup (state_tables[table_index]);
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;
      int rc;

      switch (table->id)
        {
        case MOTCUA_TABLE_CASES:
          sql = g_strdup ("SELECT rid, id, receiving_office_id, handling_office_id FROM cases"
                          " WHERE rid > ?1 ORDER BY rid");
          break;
        case MOTCUA_TABLE_CASE_EVENTS:
        case MOTCUA_TABLE_ATTACHMENTS:
        case MOTCUA_TABLE_CONFLICTS:
          sql = g_strdup_printf ("SELECT rid, id, case_id FROM %s WHERE rid > ?1 ORDER BY rid",
                                 table->name);
          break;
        default:
          sql = g_strdup_printf ("SELECT rid, id FROM %s WHERE rid > ?1 ORDER BY rid",
                                 table->name);
          break;
        }
      stmt = _motcua_replica_prepare_text (hub, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, after_rid);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          MotcuaUuid id;

          if (json_array_get_length (out) >= limit || scanned >= limit * 20)
            {
              sqlite3_reset (stmt);
              *cursor_out = g_strdup_printf ("s%" G_GUINT64_FORMAT ".%u.%" G_GINT64_FORMAT, base,
                                             table_index, after_rid);
              *more_out = TRUE;
              return TRUE;
            }
          scanned++;
          after_rid = sqlite3_column_int64 (stmt, 0);
          if (sqlite3_column_bytes (stmt, 1) != 16
              || !row_in_scope (hub, peer, table->id, stmt))
            continue;
          memcpy (id.bytes, sqlite3_column_blob (stmt, 1), 16);
          if (!_motcua_hub_row_json (hub, table, &id, batch, out, error))
            {
              sqlite3_reset (stmt);
              return FALSE;
            }
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _motcua_replica_set_db_error (hub, error);
          return FALSE;
        }
    }

  *cursor_out = g_strdup_printf ("%" G_GUINT64_FORMAT, base);
  *more_out = TRUE;   /* the log from base follows */

  return TRUE;
}

JsonArray *
_motcua_hub_pull (MotcuaReplica  *hub,
                  MotcuaHubPeer  *peer,
                  const char     *cursor,
                  guint           limit,
                  char          **cursor_out,
                  gboolean       *more_out,
                  GError        **error)
{
  g_autoptr(JsonArray) out = json_array_new ();
  guint64 base = 0, position = 0;
  guint table_index = 0;
  gint64 after_rid = 0;
  char *end = NULL;

  g_return_val_if_fail (cursor_out != NULL && more_out != NULL, NULL);

  if (!_motcua_hub_publish (hub, error))
    return NULL;

  if (cursor == NULL || *cursor == '\0')
    {
      /* From nothing: the current state, then the log from here. */
      if (!pull_state (hub, peer, _motcua_hub_last_gseq (hub), 0, 0, limit, out, cursor_out, more_out,
                       error))
        return NULL;
      return g_steal_pointer (&out);
    }

  /* Digits only (and a state cursor's “s” and dots): g_ascii_strtoull() would also take
   * spaces and a sign, and wrap “-1” around to the largest number. */
  for (const char *c = cursor[0] == 's' ? cursor + 1 : cursor; *c != '\0'; c++)
    if (!g_ascii_isdigit (*c) && !(cursor[0] == 's' && *c == '.'))
      goto bad;

  if (cursor[0] == 's')
    {
      errno = 0;
      base = g_ascii_strtoull (cursor + 1, &end, 10);
      if (end == NULL || *end != '.' || errno != 0 || base > G_MAXINT64 || base > _motcua_hub_last_gseq (hub))
        goto bad;
      table_index = (guint) g_ascii_strtoull (end + 1, &end, 10);
      if (end == NULL || *end != '.' || table_index >= G_N_ELEMENTS (state_tables))
        goto bad;
      after_rid = g_ascii_strtoll (end + 1, &end, 10);
      if (end == NULL || *end != '\0' || after_rid < 0)
        goto bad;
      if (!pull_state (hub, peer, base, table_index, after_rid, limit, out, cursor_out,
                       more_out, error))
        return NULL;
      return g_steal_pointer (&out);
    }

  errno = 0;
  position = g_ascii_strtoull (cursor, &end, 10);
  if (end == NULL || end == cursor || *end != '\0' || errno != 0 || position > G_MAXINT64
      || position > _motcua_hub_last_gseq (hub))
    goto bad;

  if (!pull_log (hub, peer, position, limit, out, &position, more_out, error))
    return NULL;
  *cursor_out = g_strdup_printf ("%" G_GUINT64_FORMAT, position);

  return g_steal_pointer (&out);

bad:
  /* Malformed, or past the end of the log: never one this server gave, or one it gave before
   * its store was restored from an older copy. NOT_FOUND, so that the answer can say so (the
   * replica then pulls its scope from the start). */
  g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
               _("cursor “%s” is not one this server gave"), cursor);
  return NULL;
}
