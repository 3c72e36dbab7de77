/* motcua-wire-writer.c: a list of changes written as JSON text as it comes
 *
 * The hub serves its log as it logged it: each change is held as text already, its value as
 * JSON, so a pull answer is written straight from the log's columns, compact or whole, with no
 * tree of JSON nodes built and freed per change. The rules are PROTOCOL.md's (Compact change
 * lists), the same as _motcua_wire_encode()'s; the members come in the same order.
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
uuid_member (GString      *text,
             const char   *name,
             const guint8 *bytes)
{
  MotcuaUuid uuid;
  char id[37];

  memcpy (uuid.bytes, bytes, 16);
  motcua_uuid_to_string (&uuid, id);
  member (text, name);
  g_string_append_c (text, '"');
  g_string_append (text, id);
  g_string_append_c (text, '"');
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
  g_autoptr(JsonNode) node = _motcua_wire_encode_item (item);

  _motcua_wire_writer_add_node (self, node);
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
