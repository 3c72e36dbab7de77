/* motcua-wire-private.h: changes and rows as they travel, decoded once into typed items
 *
 * A push or a pull carries a JSON list of changes and snapshot rows (sync/PROTOCOL.md, the
 * change format). This module is the only one that reads or writes that JSON: the protocol and
 * the client decode a list once, here, into a MotcuaWireBatch of typed items, checked whole
 * (every member, every value against its column); the merge, the hub and the client pass the
 * items on, and encode them here when they must travel again or be logged.
 *
 * Layer: replication. Calls: store (table descriptions, values), base.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "motcua-replication-private.h"

G_BEGIN_DECLS

typedef struct
{
  const MotcuaTableDesc *table;
  MotcuaUuid             row_id;
  /* A change ({"o", "s", "h", …}); otherwise a snapshot row ({"t", "r", "v", "k", "m"}). */
  gboolean               is_change;
  MotcuaUuid             origin;
  guint64                seq;
  MotcuaHlc              hlc;
  MotcuaHlc              prev;         /* the HLC the change overwrote at its origin, or 0 */
  guint                  column;       /* from 1; 0 for a whole row */
  /* One value for a change to a field (values[0]); a whole row (an insert-only table's, or a
   * snapshot row) has one per column. Text and the 16 bytes of ids belong to the batch. */
  MotcuaValue           *values;
  /* A snapshot row of a table of registers: one per column; NULL otherwise. */
  MotcuaRowRegister    *registers;
} MotcuaWireItem;

typedef struct _MotcuaWireBatch MotcuaWireBatch;

MotcuaWireBatch      *_motcua_wire_batch_new     (void);
void                  _motcua_wire_batch_free    (MotcuaWireBatch       *batch);
/* Empties @batch, keeping its memory for the next items. */
void                  _motcua_wire_batch_clear   (MotcuaWireBatch       *batch);
guint                 _motcua_wire_batch_length  (const MotcuaWireBatch *batch);
MotcuaWireItem       *_motcua_wire_batch_item    (const MotcuaWireBatch *batch,
                                                  guint                  index);
/* A new item of @table at the end of @batch, zeroed, with room for its values (and registers,
 * for a snapshot row of a table of registers). Valid until the next item is added. */
MotcuaWireItem       *_motcua_wire_batch_add     (MotcuaWireBatch       *batch,
                                                  const MotcuaTableDesc *table,
                                                  gboolean               is_change,
                                                  guint                  column);
/* @value with its text or id bytes copied into @batch. @text_len: the text's length, or -1. */
MotcuaValue           _motcua_wire_batch_keep    (MotcuaWireBatch       *batch,
                                                  const MotcuaValue     *value,
                                                  gssize                 text_len);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaWireBatch, _motcua_wire_batch_free)

/* The value of the column named @name in a whole row, or NULL. */
const MotcuaValue    *_motcua_wire_item_get      (const MotcuaWireItem  *item,
                                                  const char            *name);
/* The newest HLC an item carries: its own, or the newest of its registers. */
MotcuaHlc             _motcua_wire_item_latest   (const MotcuaWireItem  *item);

/* Decodes a list of changes and snapshot rows from its JSON text, whole or (when @compact: its
 * request said so) compact, and checks every member; the first fault fails the list with
 * MOTCUA_ERROR_INVALID, as "change N: member: what is wrong". With @changes_only, a snapshot
 * row is a fault (a push carries changes only). The text is read in place, never as a tree. */
MotcuaWireBatch      *_motcua_wire_decode        (const char            *text,
                                                  gsize                  length,
                                                  gboolean               compact,
                                                  gboolean               changes_only,
                                                  GError               **error);
/* The values of a whole row of @item's table from its JSON object's text ({column: value}). */
gboolean              _motcua_wire_decode_row    (MotcuaWireBatch       *batch,
                                                  MotcuaWireItem        *item,
                                                  const char            *text,
                                                  gsize                  length,
                                                  GError               **error);
/* The same from a list json-glib holds (tests, and the calls that build one). */
MotcuaWireBatch      *_motcua_wire_decode_array  (JsonArray             *items,
                                                  gboolean               compact,
                                                  gboolean               changes_only,
                                                  GError               **error);

/* Typed items as JSON text (motcua-wire-writer.c), with no tree of nodes: a value, a whole
 * row's values as an object (NULL columns left out, but a snapshot row's written registers
 * kept), an item (@prev: the change before it in a compact list, or NULL: what it implies is
 * left out), and a batch as a list, whole or compact. */
void                  _motcua_wire_write_value   (GString               *out,
                                                  const MotcuaValue     *value);
void                  _motcua_wire_write_values  (GString               *out,
                                                  const MotcuaWireItem  *item);
void                  _motcua_wire_write_item    (GString               *out,
                                                  const MotcuaWireItem  *item,
                                                  const MotcuaWireItem  *prev);
char                 *_motcua_wire_encode        (const MotcuaWireBatch *batch,
                                                  gboolean               compact);
/* A list written as JSON text as it comes (motcua-wire-writer.c): the hub's pulls, served from
 * its log, where each change is held as text already, and the case snapshots it logs. Compact
 * (PROTOCOL.md) when asked: each change leaves out what the change before it implies. */
typedef struct _MotcuaWireWriter MotcuaWireWriter;

/* A change as the hub's log holds it. Borrowed. */
typedef struct
{
  const guint8          *origin;     /* 16 bytes */
  gint64                 seq;
  MotcuaHlc              hlc;
  const MotcuaTableDesc *table;
  const guint8          *row_id;     /* 16 bytes */
  const char            *column;     /* NULL: a whole row of an insert-only table */
  const char            *value;      /* the value as JSON text; NULL for null */
  MotcuaHlc              prev;
} MotcuaWireChangeText;

MotcuaWireWriter     *_motcua_wire_writer_new        (gboolean                    compact);
void                  _motcua_wire_writer_free       (MotcuaWireWriter           *self);
guint                 _motcua_wire_writer_length     (const MotcuaWireWriter     *self);
void                  _motcua_wire_writer_add_change (MotcuaWireWriter           *self,
                                                      const MotcuaWireChangeText *change);
/* A snapshot row, whole: the change after it is whole too. */
void                  _motcua_wire_writer_add_node   (MotcuaWireWriter           *self,
                                                      JsonNode                   *node);
void                  _motcua_wire_writer_add_item   (MotcuaWireWriter           *self,
                                                      const MotcuaWireItem       *item);
/* The list's text ("[…]"); frees @self. */
char                 *_motcua_wire_writer_finish     (MotcuaWireWriter           *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaWireWriter, _motcua_wire_writer_free)

/* JSON accessors that return the fallback for a member of any other type (json-glib's own
 * warn on an array or an object). */
const char           *_motcua_json_string        (JsonObject            *o,
                                                  const char            *name,
                                                  const char            *fallback);
gint64                _motcua_json_int           (JsonObject            *o,
                                                  const char            *name,
                                                  gint64                 fallback);
/* The object @parser holds, or NULL: blank text parses with no root at all. */
JsonObject           *_motcua_json_root_object   (JsonParser            *parser);

G_END_DECLS
