/* motcua-wire-writer.c: a list of changes written as JSON text as it comes
 *
 * The hub serves its log as it logged it: each change is held as text already, its value as
 * JSON, so a pull answer is written straight from the log's columns, compact or whole, with no
 * tree of JSON nodes built and freed per change. Typed items are written as text here too
 * (_motcua_wire_write_item(), _motcua_wire_encode()): what the client pushes, the hub logs and
 * its snapshots of a case. Both follow PROTOCOL.md's rules (Compact change lists) and write the
 * members in the same order.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-wire-private.h"

struct _MotcuaWireWriter
{
  GString  *text;
  guint     n;
  gboolean  compact;
  /* The change before, while it is one (a snapshot row breaks the run). */
  gboolean  has_prev;
  guint8    prev_origin[16];
  gint64    prev_seq;
  MotcuaHlc prev_hlc;
  const MotcuaTableDesc *prev_table;
  guint8    prev_row[16];
};

MotcuaWireWriter *
_motcua_wire_writer_new (gboolean compact)
{
  MotcuaWireWriter *self = g_new0 (MotcuaWireWriter, 1);

  self->text = g_string_sized_new (4096);
  g_string_append_c (self->text, '[');
  self->compact = compact;

  return self;
}

void
_motcua_wire_writer_free (MotcuaWireWriter *self)
{
  g_string_free (self->text, TRUE);
  g_free (self);
}

guint
_motcua_wire_writer_length (const MotcuaWireWriter *self)
{
  return self->n;
}

static void
begin_item (MotcuaWireWriter *self)
{
  if (self->n++ > 0)
    g_string_append_c (self->text, ',');
  g_string_append_c (self->text, '{');
}

/* ,"name": with the comma when a member came before in this object. */
static void
member (GString    *text,
        const char *name)
{
  if (text->str[text->len - 1] != '{')
    g_string_append_c (text, ',');
  g_string_append_c (text, '"');
  g_string_append (text, name);
  g_string_append (text, "\":");
}

static void
write_uuid (GString          *out,
            const MotcuaUuid *uuid)
{
  char id[37];

  motcua_uuid_to_string (uuid, id);
  g_string_append_c (out, '"');
  g_string_append (out, id);
  g_string_append_c (out, '"');
}

static void
uuid_member (GString      *text,
             const char   *name,
             const guint8 *bytes)
{
  MotcuaUuid uuid;

  memcpy (uuid.bytes, bytes, 16);
  member (text, name);
  write_uuid (text, &uuid);
}

/* Typed items as text: what the client pushes, the hub logs and the hub's snapshots. */

static void
write_int (GString *out,
           gint64   i)
{
  g_string_append_printf (out, "%" G_GINT64_FORMAT, i);
}

void
_motcua_wire_write_value (GString           *out,
                          const MotcuaValue *value)
{
  switch (value->type)
    {
    case SQLITE_INTEGER:
      write_int (out, value->i);
      break;
    case SQLITE_TEXT:
      _motcua_json_append_string (out, value->s);
      break;
    case SQLITE_BLOB:
      write_uuid (out, (const MotcuaUuid *) (const void *) value->s);
      break;
    default:
      g_string_append (out, "null");
      break;
    }
}

void
_motcua_wire_write_values (GString              *out,
                           const MotcuaWireItem *item)
{
  g_string_append_c (out, '{');
  /* A snapshot row gives every register written, null or not; a whole row of an insert-only
   * table leaves its null columns out. */
  for (guint c = 0; c < item->table->n_columns; c++)
    if (item->registers != NULL ? item->registers[c].written
                                : item->values[c].type != SQLITE_NULL)
      {
        member (out, item->table->columns[c].name);
        _motcua_wire_write_value (out, &item->values[c]);
      }
  g_string_append_c (out, '}');
}

/* The registers of a snapshot row as "k" (the distinct pairs, in the order of the columns that
 * first hold them) and "m" (each column's pair, or -1). */
static void
write_registers (GString              *out,
                 const MotcuaWireItem *item)
{
  guint first[64];
  int pair_of[64];   /* each column's pair, or -1: "m" */
  guint n_pairs = 0;

  g_assert (item->table->n_columns <= G_N_ELEMENTS (first));

  member (out, "k");
  g_string_append_c (out, '[');
  for (guint c = 0; c < item->table->n_columns; c++)
    {
      const MotcuaRowRegister *reg = &item->registers[c];
      guint k;

      pair_of[c] = -1;
      if (!reg->written)
        continue;
      for (k = 0; k < n_pairs; k++)
        if (item->registers[first[k]].hlc == reg->hlc
            && memcmp (item->registers[first[k]].origin.bytes, reg->origin.bytes, 16) == 0)
          break;
      pair_of[c] = (int) k;
      if (k < n_pairs)
        continue;
      if (n_pairs > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '[');
      write_int (out, (gint64) reg->hlc);
      g_string_append_c (out, ',');
      write_uuid (out, &reg->origin);
      g_string_append_c (out, ']');
      first[n_pairs++] = c;
    }
  g_string_append_c (out, ']');

  member (out, "m");
  g_string_append_c (out, '[');
  for (guint c = 0; c < item->table->n_columns; c++)
    {
      if (c > 0)
        g_string_append_c (out, ',');
      write_int (out, pair_of[c]);
    }
  g_string_append_c (out, ']');
}

void
_motcua_wire_write_item (GString              *out,
                         const MotcuaWireItem *item,
                         const MotcuaWireItem *prev)
{
  if (prev != NULL && (!prev->is_change || !item->is_change))
    prev = NULL;   /* a snapshot row is never compacted, and the change after it is whole */

  g_string_append_c (out, '{');
  if (item->is_change)
    {
      if (prev == NULL || memcmp (prev->origin.bytes, item->origin.bytes, 16) != 0)
        {
          member (out, "o");
          write_uuid (out, &item->origin);
        }
      if (prev == NULL || item->seq != prev->seq + 1)
        {
          member (out, "s");
          write_int (out, (gint64) item->seq);
        }
      if (prev == NULL || item->hlc != prev->hlc)
        {
          member (out, "h");
          write_int (out, (gint64) item->hlc);
        }
    }
  if (prev == NULL || item->table != prev->table)
    {
      member (out, "t");
      _motcua_json_append_string (out, item->table->name);
    }
  if (prev == NULL || memcmp (prev->row_id.bytes, item->row_id.bytes, 16) != 0)
    {
      member (out, "r");
      write_uuid (out, &item->row_id);
    }

  if (item->is_change)
    {
      member (out, "c");
      if (item->column == 0)
        g_string_append (out, "null");
      else
        _motcua_json_append_string (out, item->table->columns[item->column - 1].name);
    }
  member (out, "v");
  if (item->is_change && item->column != 0)
    _motcua_wire_write_value (out, &item->values[0]);
  else
    _motcua_wire_write_values (out, item);
  if (!item->is_change && item->registers != NULL)
    write_registers (out, item);
  if (item->is_change && (prev == NULL || item->prev != 0))
    {
      member (out, "p");
      write_int (out, (gint64) item->prev);
    }
  g_string_append_c (out, '}');
}

char *
_motcua_wire_encode (const MotcuaWireBatch *batch,
                     gboolean               compact)
{
  guint n = _motcua_wire_batch_length (batch);
  GString *out = g_string_sized_new (128 * (gsize) MAX (n, 1));

  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      _motcua_wire_write_item (out, _motcua_wire_batch_item (batch, i),
                               compact && i > 0 ? _motcua_wire_batch_item (batch, i - 1) : NULL);
    }
  g_string_append_c (out, ']');

  return g_string_free (out, FALSE);
}

void
_motcua_wire_writer_add_change (MotcuaWireWriter           *self,
                                const MotcuaWireChangeText *change)
{
  GString *text = self->text;
  gboolean follows = self->compact && self->has_prev;

  begin_item (self);
  if (!follows || memcmp (self->prev_origin, change->origin, 16) != 0)
    uuid_member (text, "o", change->origin);
  if (!follows || change->seq != self->prev_seq + 1 || self->prev_seq == G_MAXINT64)
    {
      member (text, "s");
      g_string_append_printf (text, "%" G_GINT64_FORMAT, change->seq);
    }
  if (!follows || change->hlc != self->prev_hlc)
    {
      member (text, "h");
      g_string_append_printf (text, "%" G_GINT64_FORMAT, (gint64) change->hlc);
    }
  if (!follows || change->table != self->prev_table)
    {
      member (text, "t");
      g_string_append_printf (text, "\"%s\"", change->table->name);
    }
  if (!follows || memcmp (self->prev_row, change->row_id, 16) != 0)
    uuid_member (text, "r", change->row_id);
  member (text, "c");
  if (change->column != NULL)
    g_string_append_printf (text, "\"%s\"", change->column);
  else
    g_string_append (text, "null");
  member (text, "v");
  g_string_append (text, change->value != NULL ? change->value : "null");
  if (!follows || change->prev != 0)
    {
      member (text, "p");
      g_string_append_printf (text, "%" G_GINT64_FORMAT, (gint64) change->prev);
    }
  g_string_append_c (text, '}');

  self->has_prev = TRUE;
  memcpy (self->prev_origin, change->origin, 16);
  self->prev_seq = change->seq;
  self->prev_hlc = change->hlc;
  self->prev_table = change->table;
  memcpy (self->prev_row, change->row_id, 16);
}

void
_motcua_wire_writer_add_node (MotcuaWireWriter *self,
                              JsonNode         *node)
{
  g_autofree char *json = json_to_string (node, FALSE);

  if (self->n++ > 0)
    g_string_append_c (self->text, ',');
  g_string_append (self->text, json);
  /* A snapshot row is never compacted, and the change after it is whole. */
  self->has_prev = FALSE;
}

void
_motcua_wire_writer_add_item (MotcuaWireWriter     *self,
                              const MotcuaWireItem *item)
{
  if (self->n++ > 0)
    g_string_append_c (self->text, ',');
  _motcua_wire_write_item (self->text, item, NULL);
  /* Written whole: the change after it is whole too. */
  self->has_prev = FALSE;
}

char *
_motcua_wire_writer_finish (MotcuaWireWriter *self)
{
  char *text;

  g_string_append_c (self->text, ']');
  text = g_string_free (g_steal_pointer (&self->text), FALSE);
  g_free (self);

  return text;
}
