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
entry_in_scope (MotcuaHubPeer              *peer,
                const MotcuaStoreHubLogRow *row)
{
  if (!row->has_case)
    return TRUE;   /* about no case: reference data */

  for (int i = 0; i < 3; i++)
    if (_motcua_hub_office_in_scope (peer, row->offices[i], row->office_sizes[i]))
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

/* Whether the entry @row continues the write @previous was part of. */
static gboolean
write_continues (const LogWrite             *previous,
                 const MotcuaStoreHubLogRow *row)
{
  return previous->valid
         && row->origin != NULL && row->row_id != NULL
         && memcmp (row->origin, previous->origin, 16) == 0
         && memcmp (row->row_id, previous->row, 16) == 0
         && row->seq == previous->seq + 1;
}

static void
write_remember (LogWrite                   *previous,
                const MotcuaStoreHubLogRow *row)
{
  previous->valid = row->kind == 0 && row->origin != NULL && row->row_id != NULL;
  if (!previous->valid)
    return;
  memcpy (previous->origin, row->origin, 16);
  memcpy (previous->row, row->row_id, 16);
  previous->seq = row->seq;
}

typedef struct
{
  MotcuaHubPeer    *peer;
  guint             limit;
  MotcuaWireWriter *out;
  LogWrite          previous;
  guint64           last;
  guint             scanned;
  gboolean          more;
} LogPull;

static gboolean
pull_log_entry (const MotcuaStoreHubLogRow  *row,
                gpointer                     user_data,
                GError                     **error)
{
  LogPull *pull = user_data;
  MotcuaHubPeer *peer = pull->peer;
  gboolean own = peer->bound && row->origin != NULL
                 && memcmp (row->origin, peer->replica_id.bytes, 16) == 0;
  gboolean same_write = row->kind == 0 && write_continues (&pull->previous, row);
  guint length = _motcua_wire_writer_length (pull->out);
  const MotcuaTableDesc *table = _motcua_table_lookup (row->table);
  g_autoptr(JsonNode) node = NULL;

  /* A batch never ends inside one row write: a replica between two batches (a sync cut
   * there) holds every write whole, never a case with half its fields. */
  if ((length >= pull->limit || pull->scanned >= pull->limit * 20)
      && !(same_write && length < pull->limit + MAX_WRITE_SPILL))
    {
      pull->more = TRUE;
      return FALSE;
    }
  pull->scanned++;
  pull->last = row->gseq;
  write_remember (&pull->previous, row);

  if ((own && row->kind == 0) || !entry_in_scope (peer, row))
    return TRUE;

  /* A change is served from its columns, as logged; a case's whole state (kind 1, when it
   * moved) is parsed into its rows. */
  if (row->split && table != NULL
      && (row->column == NULL || _motcua_table_column (table, row->column) >= 0))
    {
      MotcuaWireChangeText change = {
        row->origin, row->seq, row->hlc, table, row->row_id, row->column, row->value, row->prev,
      };

      _motcua_wire_writer_add_change (pull->out, &change);
      return TRUE;
    }
  node = json_from_string (row->change, NULL);
  if (node == NULL)
    return TRUE;
  if (row->kind == 1 && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *rows = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (rows); i++)
        _motcua_wire_writer_add_node (pull->out, json_array_get_element (rows, i));
    }
  else
    _motcua_wire_writer_add_node (pull->out, node);

  return TRUE;
}

/* The log past @cursor. Bounded in what it returns and in what it reads, so a replica far
 * behind gets answers of steady size. */
static gboolean
pull_log (MotcuaReplica     *hub,
          MotcuaHubPeer     *peer,
          guint64            cursor,
          guint              limit,
          MotcuaWireWriter  *out,
          guint64           *cursor_out,
          gboolean          *more_out,
          GError           **error)
{
  LogPull pull = { peer, limit, out, { FALSE }, cursor, 0, FALSE };

  if (!_motcua_store_hub_log_read (hub, cursor, pull_log_entry, &pull, error))
    return FALSE;

  *cursor_out = pull.last;
  *more_out = pull.more;

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
row_in_scope (MotcuaReplica                *hub,
              MotcuaHubPeer                *peer,
              MotcuaTableId                 table,
              const MotcuaStoreHubStateRow *row)
{
  switch (table)
    {
    case MOTCUA_TABLE_CASES:
      return _motcua_hub_office_in_scope (peer, row->receiving, row->receiving_size)
             || _motcua_hub_office_in_scope (peer, row->handling, row->handling_size);
    case MOTCUA_TABLE_CASE_EVENTS:
    case MOTCUA_TABLE_ATTACHMENTS:
    case MOTCUA_TABLE_CONFLICTS:
      if (row->case_id == NULL)
        return table == MOTCUA_TABLE_CONFLICTS;
      return _motcua_hub_case_in_scope (hub, peer, row->case_id);
    default:
      return TRUE;
    }
}

typedef struct
{
  MotcuaReplica         *hub;
  MotcuaHubPeer         *peer;
  const MotcuaTableDesc *table;
  guint                  limit;
  MotcuaWireWriter      *out;
  MotcuaWireBatch       *batch;
  gint64                 after_rid;
  guint                  scanned;
  gboolean               more;
} StatePull;

static gboolean
pull_state_row (const MotcuaStoreHubStateRow  *row,
                gpointer                       user_data,
                GError                       **error)
{
  StatePull *pull = user_data;

  if (_motcua_wire_writer_length (pull->out) >= pull->limit || pull->scanned >= pull->limit * 20)
    {
      pull->more = TRUE;
      return FALSE;
    }
  pull->scanned++;
  pull->after_rid = row->rid;
  if (row->id == NULL || !row_in_scope (pull->hub, pull->peer, pull->table->id, row))
    return TRUE;

  return _motcua_hub_write_row (pull->hub, pull->table, (const MotcuaUuid *) row->id,
                                pull->batch, pull->out, error);
}

static gboolean
pull_state (MotcuaReplica     *hub,
            MotcuaHubPeer     *peer,
            guint64            base,
            guint              table_index,
            gint64             after_rid,
            guint              limit,
            MotcuaWireWriter  *out,
            char             **cursor_out,
            gboolean          *more_out,
            GError           **error)
{
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_batch_new ();
  StatePull pull = { hub, peer, NULL, limit, out, batch, after_rid, 0, FALSE };

  for (; table_index < G_N_ELEMENTS (state_tables); table_index++, pull.after_rid = 0)
    {
      pull.table = _motcua_table_lookup (state_tables[table_index]);
      if (!_motcua_store_hub_state_read (hub, pull.table->id, pull.after_rid, pull_state_row,
                                         &pull, error))
        return FALSE;
      if (pull.more)
        {
          *cursor_out = g_strdup_printf ("s%" G_GUINT64_FORMAT ".%u.%" G_GINT64_FORMAT, base,
                                         table_index, pull.after_rid);
          *more_out = TRUE;
          return TRUE;
        }
    }

  *cursor_out = g_strdup_printf ("%" G_GUINT64_FORMAT, base);
  *more_out = TRUE;   /* the log from base follows */

  return TRUE;
}

MotcuaWireWriter *
_motcua_hub_pull (MotcuaReplica  *hub,
                  MotcuaHubPeer  *peer,
                  const char     *cursor,
                  guint           limit,
                  gboolean        compact,
                  char          **cursor_out,
                  gboolean       *more_out,
                  GError        **error)
{
  g_autoptr(MotcuaWireWriter) out = _motcua_wire_writer_new (compact);
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
      if (!pull_state (hub, peer, _motcua_store_hub_log_last_gseq (hub), 0, 0, limit, out,
                       cursor_out, more_out, error))
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
      if (end == NULL || *end != '.' || errno != 0 || base > G_MAXINT64
          || base > _motcua_store_hub_log_last_gseq (hub))
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
      || position > _motcua_store_hub_log_last_gseq (hub))
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
