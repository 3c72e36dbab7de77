/* motcua-rows.c: a replicated row as stored, with its registers
 *
 * A row's values, the (HLC, origin) register of each column (packed in _clk), its full-text
 * entry, read and written in one go; the typed snapshot of a row (motcua-wire.c encodes it).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-replication-private.h"
#include "motcua-rows-private.h"
#include "motcua-text.h"
#include "motcua-workflow.h"

static void
owned_value_set (OwnedValue        *out,
                 const MotcuaValue *value)
{
  out->value = *value;
  out->owned = NULL;
  if (value->type == SQLITE_TEXT)
    out->owned = g_strdup (value->s);
  else if (value->type == SQLITE_BLOB)
    out->owned = g_memdup2 (value->s, 16);
  out->value.s = out->owned;
}

void
_motcua_row_state_clear (RowState *row)
{
  for (guint c = 0; c < G_N_ELEMENTS (row->current); c++)
    g_free (row->current[c].owned);
  for (guint n = 0; n < G_N_ELEMENTS (row->fts_old); n++)
    g_free (row->fts_old[n]);
}

/* The row as the store read it, into the RowState @user_data. */
static gboolean
row_state_take (const MotcuaStoreRow  *stored,
                gpointer               user_data,
                GError               **error)
{
  RowState *row = user_data;
  const MotcuaTableDesc *table = row->table;
  guint p = 0;

  row->exists = TRUE;
  row->rid = stored->rid;
  for (guint c = 0; c < table->n_columns; c++)
    {
      if (table->columns[c].kind == MOTCUA_COL_STATUS)
        {
          const MotcuaValue *status = &stored->values[p];

          row->current[c].owned = _motcua_status_key_from_stored
                                    (status->type == SQLITE_TEXT ? status->s : NULL,
                                     stored->values[p + 1].i);
          row->current[c].value = MOTCUA_VALUE_TEXT (row->current[c].owned);
          p += 2;
        }
      else
        owned_value_set (&row->current[c], &stored->values[p++]);
    }
  _motcua_clocks_decode (&row->clocks, table->n_columns, stored->clk, stored->clk_size);

  /* What the full-text index holds of the row now, before it changes. */
  if (table->fts != NULL)
    for (guint n = 0; table->fts_columns[n] != G_MAXUINT; n++)
      {
        const MotcuaValue *v = &row->current[table->fts_columns[n]].value;

        row->fts_old[n] = v->type == SQLITE_TEXT ? g_strdup (v->s) : NULL;
      }

  return TRUE;
}

gboolean
_motcua_row_read (MotcuaReplica         *self,
                  const MotcuaTableDesc *table,
                  const MotcuaUuid      *id,
                  gboolean               known_new,
                  RowState              *row,
                  GError               **error)
{
  g_assert (table->n_columns <= G_N_ELEMENTS (row->current));

  memset (row, 0, sizeof *row);
  row->table = table;
  row->sql = _motcua_table_sql (table);
  for (guint c = 0; c < table->n_columns; c++)
    row->current[c].value = MOTCUA_VALUE_NULL;

  return known_new || _motcua_store_rows_read (self, table, id, row_state_take, row, error);
}

/* Sets column @c of the row (not yet stored), with the register it now holds. */
void
_motcua_row_set (RowState          *row,
                 guint              c,
                 const MotcuaValue *value,
                 MotcuaHlc          hlc,
                 guint32            origin)
{
  g_free (row->current[c].owned);
  row->current[c].owned = NULL;
  row->current[c].value = *value;
  if (value->type == SQLITE_TEXT || value->type == SQLITE_BLOB)
    {
      row->current[c].owned = value->type == SQLITE_TEXT ? g_strdup (value->s)
                                                         : g_memdup2 (value->s, 16);
      row->current[c].value.s = row->current[c].owned;
    }
  row->clocks.hlc[c] = hlc;
  row->clocks.origin[c] = origin;

  if (row->table->fts != NULL)
    for (guint n = 0; row->table->fts_columns[n] != G_MAXUINT; n++)
      row->fts_changed |= row->table->fts_columns[n] == c;
}

/* Writes the row back (inserting it if new) and queues its full-text update. @seq is the last
 * local change to it, or 0 for none. */
gboolean
_motcua_row_store (MotcuaReplica    *self,
                   RowState         *row,
                   const MotcuaUuid *id,
                   guint64           seq,
                   GError          **error)
{
  const MotcuaTableDesc *table = row->table;
  g_autoptr(GBytes) clk = _motcua_clocks_encode (&row->clocks, table->n_columns);
  MotcuaValue values[128];
  MotcuaStoreRow stored = { row->exists ? row->rid : -1, values, g_bytes_get_data (clk, NULL),
                            g_bytes_get_size (clk) };
  guint p = 0;

  g_assert (row->sql->n_physical <= G_N_ELEMENTS (values));

  for (guint c = 0; c < table->n_columns; c++)
    {
      const MotcuaValue *v = &row->current[c].value;

      if (table->columns[c].kind == MOTCUA_COL_STATUS)
        {
          MotcuaStatusKey key;

          if (v->type == SQLITE_TEXT && motcua_status_key_decode (v->s, &key))
            {
              values[p++] = MOTCUA_VALUE_TEXT (motcua_status_to_string (key.status));
              values[p++] = MOTCUA_VALUE_INT ((gint64) key.generation);
            }
          else
            {
              values[p++] = MOTCUA_VALUE_NULL;
              values[p++] = MOTCUA_VALUE_INT (0);
            }
        }
      else
        values[p++] = *v;
    }

  if (!_motcua_store_rows_write (self, table, id, &stored, seq, &row->rid, error))
    return FALSE;

  if (!row->exists)
    {
      row->exists = TRUE;
      row->fts_changed = table->fts != NULL;
      for (guint n = 0; n < G_N_ELEMENTS (row->fts_old); n++)
        g_clear_pointer (&row->fts_old[n], g_free);
      if (table->fts != NULL)
        {
          MotcuaValue now[64];

          for (guint c = 0; c < table->n_columns; c++)
            now[c] = row->current[c].value;
          _motcua_replica_queue_fts (self, table, row->rid, NULL, now);
        }
      return TRUE;
    }

  if (row->fts_changed)
    {
      MotcuaValue now[64];
      MotcuaValue old[8];

      for (guint c = 0; c < table->n_columns; c++)
        now[c] = row->current[c].value;
      for (guint n = 0; table->fts_columns[n] != G_MAXUINT; n++)
        old[n] = MOTCUA_VALUE_TEXT (row->fts_old[n]);
      _motcua_replica_queue_fts (self, table, row->rid, old, now);
    }

  return TRUE;
}

void
_motcua_register_clear (MotcuaRegister *reg)
{
  g_clear_pointer (&reg->owned, g_free);
}

/* A row's whole state as it travels in a snapshot: its values and, for a table of registers,
 * the (HLC, origin) of each column. */
gboolean
_motcua_replica_row_item (MotcuaReplica          *self,
                          const MotcuaTableDesc  *table,
                          const MotcuaUuid       *id,
                          MotcuaWireBatch        *batch,
                          gboolean               *found,
                          GError                **error)
{
  MotcuaWireItem *item;
  RowState row;
  gboolean ok = FALSE;

  *found = FALSE;

  if (table->insert_only)
    {
      gint64 rid;

      if (!_motcua_store_rows_find (self, table, id, &rid, error))
        return FALSE;
      if (rid < 0)
        return TRUE;
      item = _motcua_wire_batch_add (batch, table, FALSE, 0);
      item->row_id = *id;
      *found = TRUE;
      return _motcua_replica_read_row (self, table, rid, batch, item, error);
    }

  if (!_motcua_row_read (self, table, id, FALSE, &row, error))
    goto done;
  if (!row.exists)
    {
      ok = TRUE;
      goto done;
    }

  item = _motcua_wire_batch_add (batch, table, FALSE, 0);
  item->row_id = *id;
  *found = TRUE;
  if (!_motcua_clocks_registers (self, &row.clocks, table->n_columns, item->registers, error))
    goto done;
  for (guint c = 0; c < table->n_columns; c++)
    if (item->registers[c].written)
      item->values[c] = _motcua_wire_batch_keep (batch, &row.current[c].value, -1);
  ok = TRUE;

done:
  _motcua_row_state_clear (&row);

  return ok;
}

gboolean
_motcua_replica_column_hlc (MotcuaReplica          *self,
                            const MotcuaTableDesc  *table,
                            const MotcuaUuid       *id,
                            guint                   column,
                            MotcuaHlc              *hlc_out,
                            GError                **error)
{
  RowState row;

  g_assert (column < table->n_columns);

  *hlc_out = 0;
  if (!_motcua_row_read (self, table, id, FALSE, &row, error))
    return FALSE;
  if (row.exists)
    *hlc_out = row.clocks.hlc[column];
  _motcua_row_state_clear (&row);

  return TRUE;
}
