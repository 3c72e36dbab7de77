/* motcua-log-records.c: this replica's change log as stored
 *
 * A record holds the changes of one row write (at most 64), packed: per change its column, the
 * HLC it overwrote and its value. Records are appended as writes are captured, issued again
 * when the server refused them for a cause since fixed, and keep a purged row's values.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-rows-private.h"
#include "motcua-text.h"
#include "motcua-workflow.h"

/* The fields of a change record: per change, varint column, varint HLC of the overwritten
 * value, then the value: a tag byte (0 NULL, 1 integer as a zigzag varint, 2 text as a varint
 * length and bytes, 3 a 16-byte id). */
static void
put_varint (GByteArray *out,
            guint64     v)
{
  guint8 b;

  do
    {
      b = v & 0x7f;
      v >>= 7;
      if (v != 0)
        b |= 0x80;
      g_byte_array_append (out, &b, 1);
    }
  while (v != 0);
}

static gboolean
get_varint (const guint8 **p,
            const guint8  *end,
            guint64       *out)
{
  guint64 v = 0;

  for (guint shift = 0; *p < end && shift < 64; shift += 7)
    {
      guint8 b = *(*p)++;

      v |= (guint64) (b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        {
          *out = v;
          return TRUE;
        }
    }

  return FALSE;
}

void
_motcua_change_put (GByteArray        *out,
                    guint              column,
                    MotcuaHlc          prev_hlc,
                    const MotcuaValue *value)
{
  guint8 tag;

  put_varint (out, column);
  put_varint (out, prev_hlc);

  switch (value->type)
    {
    case SQLITE_INTEGER:
      tag = 1;
      g_byte_array_append (out, &tag, 1);
      put_varint (out, ((guint64) value->i << 1) ^ (guint64) (value->i >> 63));
      break;
    case SQLITE_TEXT:
      {
        gsize len = strlen (value->s);

        tag = 2;
        g_byte_array_append (out, &tag, 1);
        put_varint (out, len);
        g_byte_array_append (out, (const guint8 *) value->s, (guint) len);
      }
      break;
    case SQLITE_BLOB:
      tag = 3;
      g_byte_array_append (out, &tag, 1);
      g_byte_array_append (out, (const guint8 *) value->s, 16);
      break;
    default:
      tag = 0;
      g_byte_array_append (out, &tag, 1);
      break;
    }
}

gboolean
_motcua_change_fields_next (const guint8 **p,
                            const guint8  *end,
                            guint         *column,
                            MotcuaHlc     *prev_hlc,
                            MotcuaValue   *value,
                            gsize         *text_len)
{
  guint64 col, prev, v;
  guint8 tag;

  if (!get_varint (p, end, &col) || !get_varint (p, end, &prev) || *p >= end)
    return FALSE;

  *column = (guint) col;
  *prev_hlc = prev;
  tag = *(*p)++;
  *text_len = 0;

  switch (tag)
    {
    case 0:
      *value = MOTCUA_VALUE_NULL;
      return TRUE;
    case 1:
      if (!get_varint (p, end, &v))
        return FALSE;
      *value = MOTCUA_VALUE_INT ((gint64) (v >> 1) ^ -(gint64) (v & 1));
      return TRUE;
    case 2:
      if (!get_varint (p, end, &v) || v > (guint64) (end - *p))
        return FALSE;
      value->type = SQLITE_TEXT;
      value->s = (const char *) *p;   /* not NUL-terminated: use text_len */
      *text_len = (gsize) v;
      *p += v;
      return TRUE;
    case 3:
      if (end - *p < 16)
        return FALSE;
      value->type = SQLITE_BLOB;
      value->s = (const char *) *p;
      *p += 16;
      return TRUE;
    default:
      return FALSE;
    }
}

/* Appends the record of one row write: @n changes, numbered from the next sequence number. The
 * row is named by its UUID, which no other row ever takes. */
gboolean
_motcua_replica_log_record (MotcuaReplica     *self,
                            MotcuaTableId      table,
                            const MotcuaUuid  *row_id,
                            guint              n,
                            GByteArray     *fields,
                            MotcuaHlc       hlc,
                            GError        **error)
{
  guint64 seq = self->seq + 1;

  self->seq += n;

  return _motcua_store_log_append (self, seq, n, hlc, table, row_id, fields->data, fields->len,
                                   error);
}


/* A change the server refused, issued again once its cause is fixed: the field @column of the
 * row @id as it holds now, as a new local change stamped @hlc that has seen the register the
 * field holds (a write made elsewhere since then is a conflict at the server, never lost),
 * or @seen: what the refused change had seen, when the server never judged it. */
gboolean
_motcua_replica_reissue_field (MotcuaReplica         *self,
                               const MotcuaTableDesc *table,
                               const MotcuaUuid      *id,
                               guint                  column,
                               const MotcuaHlc       *seen,
                               MotcuaHlc              hlc,
                               GError               **error)
{
  g_autoptr(GByteArray) fields = g_byte_array_sized_new (64);
  RowState row;
  gboolean ok = FALSE;
  guint c = column - 1;

  g_assert (self->tx_depth > 0);
  g_assert (!table->insert_only && column >= 1 && column <= table->n_columns);

  if (!_motcua_row_read (self, table, id, FALSE, &row, error))
    goto out;
  if (!row.exists)
    {
      char text[37];

      motcua_uuid_to_string (id, text);
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("Row %s of %s is no longer on this replica: there is nothing to retry"),
                   text, table->name);
      goto out;
    }

  _motcua_change_put (fields, column, seen != NULL ? *seen : row.clocks.hlc[c], &row.current[c].value);
  row.clocks.hlc[c] = hlc;
  row.clocks.origin[c] = (guint32) self->self_origin;
  ok = _motcua_row_store (self, &row, id, self->seq + 1, error)
       && _motcua_replica_log_record (self, table->id, id, 1, fields, hlc, error);

out:
  _motcua_row_state_clear (&row);

  return ok;
}

/* Likewise a row of a timeline or a scan the server refused: it is logged again, whole, as a
 * new change stamped @hlc, and the row names that change as its own. */
gboolean
_motcua_replica_reissue_insert (MotcuaReplica         *self,
                                const MotcuaTableDesc *table,
                                const MotcuaUuid      *id,
                                MotcuaHlc              hlc,
                                GError               **error)
{
  MotcuaValue none = MOTCUA_VALUE_NULL;
  g_autoptr(GByteArray) fields = NULL;
  gboolean found;

  g_assert (self->tx_depth > 0);
  g_assert (table->insert_only);

  if (!_motcua_store_rows_set_seq (self, table, id, self->seq + 1, &found, error))
    return FALSE;
  if (!found)
    {
      char text[37];

      motcua_uuid_to_string (id, text);
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("Row %s of %s is no longer on this replica: there is nothing to retry"),
                   text, table->name);
      return FALSE;
    }

  fields = g_byte_array_sized_new (4);
  _motcua_change_put (fields, 0, 0, &none);

  return _motcua_replica_log_record (self, table->id, id, 1, fields, hlc, error);
}

/* A refused change to a row this replica no longer holds (purged with its case), logged again
 * from its record: @value of the field @column, having seen @seen, or for a row of a timeline
 * or a scan (@column 0) the JSON of its values, which the new record keeps too. Stamped @hlc. */
gboolean
_motcua_replica_log_again (MotcuaReplica         *self,
                           const MotcuaTableDesc *table,
                           const MotcuaUuid      *id,
                           guint                  column,
                           const MotcuaValue     *value,
                           MotcuaHlc              seen,
                           MotcuaHlc              hlc,
                           GError               **error)
{
  g_autoptr(GByteArray) fields = g_byte_array_sized_new (64);

  g_assert (self->tx_depth > 0);
  g_assert (table->insert_only ? column == 0 && value->type == SQLITE_TEXT
                               : column >= 1 && column <= table->n_columns);

  _motcua_change_put (fields, column, table->insert_only ? 0 : seen, value);

  return _motcua_replica_log_record (self, table->id, id, 1, fields, hlc, error);
}

/* A row of a timeline or a scan is about to be purged with its case: its record in this
 * replica's log held no copy of it (the row was its value), so it takes the row's values now,
 * as JSON. Should the server ever need the change again (its store restored from a backup), it
 * can still be sent. */
gboolean
_motcua_replica_keep_logged_row (MotcuaReplica         *self,
                                 const MotcuaTableDesc *table,
                                 gint64                 rid,
                                 const MotcuaUuid      *id,
                                 GError               **error)
{
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_batch_new ();
  MotcuaWireItem *item = _motcua_wire_batch_add (batch, table, FALSE, 0);
  g_autoptr(GByteArray) fields = g_byte_array_sized_new (256);
  g_autoptr(GString) text = g_string_sized_new (256);
  MotcuaValue value;

  g_assert (table->insert_only);

  if (!_motcua_replica_read_row (self, table, rid, batch, item, error))
    return FALSE;
  _motcua_wire_write_values (text, item);
  value = MOTCUA_VALUE_TEXT (text->str);
  _motcua_change_put (fields, 0, 0, &value);

  return _motcua_store_log_keep_row (self, id, fields->data, fields->len, error);
}
