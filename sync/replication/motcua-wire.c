/* motcua-wire.c: changes and rows as they travel, decoded once into typed items
 *
 * A change on the wire is a JSON object:
 *   {"o": origin replica UUID, "s": its sequence number, "h": HLC, "t": table,
 *    "r": row UUID, "c": column (null for a row of an insert-only table),
 *    "v": the new value (a row object for an insert-only table), "p": HLC it overwrote}
 * and a snapshot row {"t", "r", "v": {column: value}, "k": [[hlc, origin], …], "m": [the pair
 * of each column, or -1]} (insert-only rows have "t", "r" and "v" only). Ids travel as UUID
 * strings and the status as "generation:name". A compact list leaves out of a change what the
 * change before it implies (PROTOCOL.md; the hub's pulls are written in motcua-wire-writer.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-wire-private.h"
#include "motcua-workflow.h"

struct _MotcuaWireBatch
{
  GArray       *items;    /* MotcuaWireItem */
  GPtrArray    *blocks;   /* the items' values and registers */
  GStringChunk *bytes;    /* their text and the bytes of their ids */
};

MotcuaWireBatch *
_motcua_wire_batch_new (void)
{
  MotcuaWireBatch *batch = g_new0 (MotcuaWireBatch, 1);

  batch->items = g_array_new (FALSE, TRUE, sizeof (MotcuaWireItem));
  batch->blocks = g_ptr_array_new_with_free_func (g_free);
  batch->bytes = g_string_chunk_new (4096);

  return batch;
}

void
_motcua_wire_batch_free (MotcuaWireBatch *batch)
{
  if (batch == NULL)
    return;
  g_array_unref (batch->items);
  g_ptr_array_unref (batch->blocks);
  g_string_chunk_free (batch->bytes);
  g_free (batch);
}

void
_motcua_wire_batch_clear (MotcuaWireBatch *batch)
{
  g_array_set_size (batch->items, 0);
  g_ptr_array_set_size (batch->blocks, 0);
  g_string_chunk_clear (batch->bytes);
}

guint
_motcua_wire_batch_length (const MotcuaWireBatch *batch)
{
  return batch->items->len;
}

MotcuaWireItem *
_motcua_wire_batch_item (const MotcuaWireBatch *batch,
                         guint                  index)
{
  return &g_array_index (batch->items, MotcuaWireItem, index);
}

MotcuaWireItem *
_motcua_wire_batch_add (MotcuaWireBatch       *batch,
                        const MotcuaTableDesc *table,
                        gboolean               is_change,
                        guint                  column)
{
  MotcuaWireItem item = { table, { { 0 } }, is_change, { { 0 } }, 0, 0, 0, column, NULL, NULL };
  guint n = column > 0 ? 1 : table->n_columns;

  item.values = g_new0 (MotcuaValue, n);
  g_ptr_array_add (batch->blocks, item.values);
  if (!is_change && !table->insert_only)
    {
      item.registers = g_new0 (MotcuaRowRegister, n);
      g_ptr_array_add (batch->blocks, item.registers);
    }
  g_array_append_val (batch->items, item);

  return _motcua_wire_batch_item (batch, batch->items->len - 1);
}

MotcuaValue
_motcua_wire_batch_keep (MotcuaWireBatch   *batch,
                         const MotcuaValue *value,
                         gssize             text_len)
{
  MotcuaValue kept = *value;

  if (value->type == SQLITE_TEXT)
    kept.s = g_string_chunk_insert_len (batch->bytes, value->s,
                                        text_len >= 0 ? text_len : (gssize) strlen (value->s));
  else if (value->type == SQLITE_BLOB)
    kept.s = g_string_chunk_insert_len (batch->bytes, value->s, 16);

  return kept;
}

const MotcuaValue *
_motcua_wire_item_get (const MotcuaWireItem *item,
                       const char           *name)
{
  int column = _motcua_table_column (item->table, name);

  if (column < 1 || item->column != 0)
    return NULL;

  return &item->values[column - 1];
}

MotcuaHlc
_motcua_wire_item_latest (const MotcuaWireItem *item)
{
  MotcuaHlc latest = item->hlc;

  for (guint c = 0; item->registers != NULL && c < item->table->n_columns; c++)
    if (item->registers[c].written)
      latest = MAX (latest, item->registers[c].hlc);

  return latest;
}

/* JSON accessors */

const char *
_motcua_json_string (JsonObject *o,
                     const char *name,
                     const char *fallback)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;

  return json_node_get_string (node);
}

gint64
_motcua_json_int (JsonObject *o,
                  const char *name,
                  gint64      fallback)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;

  return json_node_get_int (node);
}

JsonObject *
_motcua_json_root_object (JsonParser *parser)
{
  JsonNode *root = json_parser_get_root (parser);

  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

JsonNode *
_motcua_value_to_json (const MotcuaValue *value,
                       gssize             text_len)
{
  switch (value->type)
    {
    case SQLITE_INTEGER:
      return json_node_init_int (json_node_alloc (), value->i);
    case SQLITE_TEXT:
      {
        g_autofree char *text = text_len >= 0 ? g_strndup (value->s, (gsize) text_len)
                                              : g_strdup (value->s);

        return json_node_init_string (json_node_alloc (), text);
      }
    case SQLITE_BLOB:
      {
        char id[37];

        motcua_uuid_to_string ((const MotcuaUuid *) (const void *) value->s, id);
        return json_node_init_string (json_node_alloc (), id);
      }
    default:
      return json_node_init_null (json_node_alloc ());
    }
}

/* Decoding */

static gboolean G_GNUC_PRINTF (4, 5)
bad_change (GError     **error,
            guint        index,
            const char  *field,
            const char  *format,
            ...)
{
  g_autofree char *message = NULL;
  g_autofree char *valid_field = g_utf8_make_valid (field, -1);
  g_autofree char *valid_message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Names from the input may hold bytes that are not UTF-8 (a lone surrogate escape). */
  valid_message = g_utf8_make_valid (message, -1);

  g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("change %u: %s: %s"), index,
               valid_field, valid_message);

  return FALSE;
}

static gboolean
is_int_node (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_INT64;
}

/* A JSON value as a column's value, kept in @batch. */
static gboolean
decode_value (MotcuaWireBatch        *batch,
              JsonNode               *node,
              const MotcuaColumnDesc *column,
              MotcuaValue            *out,
              guint                   index,
              GError                **error)
{
  const char *text;
  MotcuaUuid id;
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = MOTCUA_VALUE_NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return bad_change (error, index, column->name, _("must be a string, a number or null"));

  type = json_node_get_value_type (node);
  text = type == G_TYPE_STRING ? json_node_get_string (node) : NULL;

  switch (column->kind)
    {
    case MOTCUA_COL_INT:
      if (type != G_TYPE_INT64)
        return bad_change (error, index, column->name, _("must be a whole number"));
      *out = MOTCUA_VALUE_INT (json_node_get_int (node));
      return TRUE;

    case MOTCUA_COL_ID:
      if (text == NULL || !motcua_uuid_parse (text, &id))
        return bad_change (error, index, column->name, _("must be a UUID"));
      *out = MOTCUA_VALUE_ID (&id);
      break;

    case MOTCUA_COL_STATUS:
      {
        MotcuaStatusKey key;

        if (text == NULL || !motcua_status_key_decode (text, &key))
          return bad_change (error, index, column->name,
                             _("must be a status as generation:name, e.g. 0:received"));
        *out = MOTCUA_VALUE_TEXT (text);
        break;
      }

    case MOTCUA_COL_TEXT:
    default:
      if (text == NULL || !g_utf8_validate (text, -1, NULL))
        return bad_change (error, index, column->name, _("must be UTF-8 text"));
      if (strlen (text) > MOTCUA_MAX_TEXT_BYTES)
        return bad_change (error, index, column->name, _("is longer than %u bytes"),
                           (guint) MOTCUA_MAX_TEXT_BYTES);
      *out = MOTCUA_VALUE_TEXT (text);
      break;
    }

  *out = _motcua_wire_batch_keep (batch, out, -1);

  return TRUE;
}

gboolean
_motcua_wire_decode_row (MotcuaWireBatch *batch,
                         MotcuaWireItem  *item,
                         JsonObject      *row,
                         guint            index,
                         GError         **error)
{
  const MotcuaTableDesc *table = item->table;
  g_autoptr(GList) names = json_object_get_members (row);

  for (GList *l = names; l != NULL; l = l->next)
    if (_motcua_table_column (table, l->data) < 0)
      return bad_change (error, index, l->data, _("is not a column of %s"), table->name);

  for (guint c = 0; c < table->n_columns; c++)
    if (!decode_value (batch, json_object_get_member (row, table->columns[c].name),
                       &table->columns[c], &item->values[c], index, error))
      return FALSE;

  return TRUE;
}

static gboolean
check_members (JsonObject         *o,
               const char *const  *allowed,
               guint               index,
               GError            **error)
{
  g_autoptr(GList) names = json_object_get_members (o);

  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return bad_change (error, index, l->data, _("is not a field of a change"));

  return TRUE;
}

static gboolean
decode_table_row (JsonObject             *o,
                  const MotcuaTableDesc **table,
                  MotcuaUuid             *row_id,
                  const MotcuaWireItem   *prev,
                  guint                   index,
                  GError                **error)
{
  const char *name = _motcua_json_string (o, "t", NULL);
  const char *text = _motcua_json_string (o, "r", NULL);

  if (prev != NULL && !json_object_has_member (o, "t"))
    *table = prev->table;
  else if ((*table = _motcua_table_by_name (name)) == NULL)
    return bad_change (error, index, "t", _("“%s” is not a replicated table"),
                       name != NULL ? name : "");
  if (prev != NULL && !json_object_has_member (o, "r"))
    *row_id = prev->row_id;
  else if (text == NULL || !motcua_uuid_parse (text, row_id))
    return bad_change (error, index, "r", _("must be the row's UUID"));

  return TRUE;
}

/* A snapshot row: its registers by "k" and "m", its values by "v". */
static gboolean
decode_snapshot (MotcuaWireBatch *batch,
                 JsonObject      *o,
                 guint            index,
                 GError         **error)
{
  static const char *const members[] = { "t", "r", "v", "k", "m", NULL };
  const MotcuaTableDesc *table;
  MotcuaWireItem *item;
  MotcuaUuid row_id;
  JsonNode *values_node = json_object_get_member (o, "v");
  JsonNode *pairs_node = json_object_get_member (o, "k");
  JsonNode *map_node = json_object_get_member (o, "m");
  JsonArray *pairs, *map;
  JsonObject *values;

  if (!check_members (o, members, index, error)
      || !decode_table_row (o, &table, &row_id, NULL, index, error))
    return FALSE;
  item = _motcua_wire_batch_add (batch, table, FALSE, 0);
  item->row_id = row_id;

  if (table->insert_only)
    {
      if (values_node == NULL || !JSON_NODE_HOLDS_OBJECT (values_node))
        return bad_change (error, index, "v", _("must be the row, an object"));
      return _motcua_wire_decode_row (batch, item, json_node_get_object (values_node), index,
                                      error);
    }

  if (pairs_node == NULL || !JSON_NODE_HOLDS_ARRAY (pairs_node))
    return bad_change (error, index, "k", _("must be the row's registers, an array"));
  if (values_node == NULL || !JSON_NODE_HOLDS_OBJECT (values_node)
      || map_node == NULL || !JSON_NODE_HOLDS_ARRAY (map_node))
    return bad_change (error, index, "v", _("a snapshot row needs v (object) and m (array)"));
  pairs = json_node_get_array (pairs_node);
  map = json_node_get_array (map_node);
  values = json_node_get_object (values_node);
  if (pairs == NULL || json_array_get_length (map) != table->n_columns)
    return bad_change (error, index, "m", _("must give a register for each column of %s"),
                       table->name);

  for (guint c = 0; c < table->n_columns; c++)
    {
      JsonNode *m = json_array_get_element (map, c);
      MotcuaRowRegister *reg = &item->registers[c];
      JsonArray *pair;
      gint64 k;

      if (!is_int_node (m))
        return bad_change (error, index, "m", _("must hold whole numbers"));
      k = json_node_get_int (m);
      if (k < 0)
        continue;   /* never written */
      if (k >= json_array_get_length (pairs)
          || !JSON_NODE_HOLDS_ARRAY (json_array_get_element (pairs, (guint) k))
          || (pair = json_array_get_array_element (pairs, (guint) k)) == NULL
          || json_array_get_length (pair) != 2
          || !is_int_node (json_array_get_element (pair, 0))
          || json_array_get_int_element (pair, 0) < 1
          || json_array_get_int_element (pair, 0) > MOTCUA_HLC_LATEST
          || json_node_get_value_type (json_array_get_element (pair, 1)) != G_TYPE_STRING
          || !motcua_uuid_parse (json_array_get_string_element (pair, 1), &reg->origin))
        return bad_change (error, index, "k", _("must be [HLC, origin UUID] pairs"));
      if (!json_object_has_member (values, table->columns[c].name))
        return bad_change (error, index, table->columns[c].name, _("is missing from v"));
      reg->written = TRUE;
      reg->hlc = (MotcuaHlc) json_array_get_int_element (pair, 0);
      if (!decode_value (batch, json_object_get_member (values, table->columns[c].name),
                         &table->columns[c], &item->values[c], index, error))
        return FALSE;
    }

  return TRUE;
}

/* A change, whole or, in a compact list, leaving out what @prev (the change before it, or
 * NULL) implies, and p when it is 0. */
static gboolean
decode_change (MotcuaWireBatch      *batch,
               JsonObject           *o,
               gboolean              compact,
               const MotcuaWireItem *prev,
               guint                 index,
               GError              **error)
{
  static const char *const members[] = { "o", "s", "h", "t", "r", "c", "v", "p", NULL };
  MotcuaWireItem head = { NULL };
  MotcuaWireItem *item;
  JsonNode *c_node = json_object_get_member (o, "c");
  JsonNode *v_node = json_object_get_member (o, "v");
  const char *text;
  int column = 0;

  if (!check_members (o, members, index, error)
      || !decode_table_row (o, &head.table, &head.row_id, prev, index, error))
    return FALSE;

  if (prev != NULL && !json_object_has_member (o, "o"))
    head.origin = prev->origin;
  else if ((text = _motcua_json_string (o, "o", NULL)) == NULL
           || !motcua_uuid_parse (text, &head.origin))
    return bad_change (error, index, "o", _("must be the origin replica's UUID"));

  if (prev != NULL && !json_object_has_member (o, "s") && prev->seq < G_MAXINT64)
    head.seq = prev->seq + 1;
  else if (_motcua_json_int (o, "s", 0) < 1)
    return bad_change (error, index, "s", _("must be a sequence number from 1"));
  else
    head.seq = (guint64) _motcua_json_int (o, "s", 0);

  if (prev != NULL && !json_object_has_member (o, "h"))
    head.hlc = prev->hlc;
  else if (_motcua_json_int (o, "h", 0) < 1 || _motcua_json_int (o, "h", 0) > MOTCUA_HLC_LATEST)
    return bad_change (error, index, "h", _("must be an HLC timestamp"));
  else
    head.hlc = (MotcuaHlc) _motcua_json_int (o, "h", 0);

  if ((!compact || json_object_has_member (o, "p"))
      && (_motcua_json_int (o, "p", -1) < 0 || _motcua_json_int (o, "p", -1) > MOTCUA_HLC_LATEST))
    return bad_change (error, index, "p", _("must be the HLC of the overwritten value, or 0"));
  head.prev = (MotcuaHlc) _motcua_json_int (o, "p", 0);

  if (head.table->insert_only)
    {
      if (!JSON_NODE_HOLDS_NULL (c_node))
        return bad_change (error, index, "c", _("must be null for a row of %s"),
                           head.table->name);
      if (v_node == NULL || !JSON_NODE_HOLDS_OBJECT (v_node))
        return bad_change (error, index, "v", _("must be the row, an object"));
    }
  else
    {
      text = _motcua_json_string (o, "c", NULL);
      column = text != NULL ? _motcua_table_column (head.table, text) : -1;
      if (column < 1)
        return bad_change (error, index, "c", _("“%s” is not a column of %s"),
                           text != NULL ? text : "", head.table->name);
      if (v_node == NULL)
        return bad_change (error, index, "v", _("is missing: the new value"));
    }

  item = _motcua_wire_batch_add (batch, head.table, TRUE, (guint) column);
  item->row_id = head.row_id;
  item->origin = head.origin;
  item->seq = head.seq;
  item->hlc = head.hlc;
  item->prev = head.prev;

  if (column == 0)
    return _motcua_wire_decode_row (batch, item, json_node_get_object (v_node), index, error);

  return decode_value (batch, v_node, &head.table->columns[column - 1], &item->values[0], index,
                       error);
}

MotcuaWireBatch *
_motcua_wire_decode (JsonArray  *items,
                     gboolean    compact,
                     gboolean    changes_only,
                     GError    **error)
{
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_batch_new ();
  gboolean prev_is_change = FALSE;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *o;
      gboolean ok;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          bad_change (error, i, "change", _("must be an object"));
          return NULL;
        }
      o = json_node_get_object (node);

      /* A change names its column ("c", null for a whole row); a snapshot row has none. */
      if (json_object_has_member (o, "c"))
        ok = decode_change (batch, o, compact, compact && prev_is_change
                                      ? _motcua_wire_batch_item (batch, batch->items->len - 1)
                                      : NULL, i, error);
      else if (changes_only || json_object_has_member (o, "o"))
        ok = bad_change (error, i, "c", _("is missing: the column, or null for a whole row"));
      else
        ok = decode_snapshot (batch, o, i, error);
      if (!ok)
        return NULL;
      prev_is_change = json_object_has_member (o, "c");
    }

  return g_steal_pointer (&batch);
}

/* Encoding */

JsonObject *
_motcua_wire_encode_values (const MotcuaWireItem *item)
{
  JsonObject *row = json_object_new ();

  /* A snapshot row gives every register written, null or not; a whole row of an insert-only
   * table leaves its null columns out. */
  for (guint c = 0; c < item->table->n_columns; c++)
    if (item->registers != NULL ? item->registers[c].written
                                : item->values[c].type != SQLITE_NULL)
      json_object_set_member (row, item->table->columns[c].name,
                              _motcua_value_to_json (&item->values[c], -1));

  return row;
}

/* The registers of a snapshot row as "k" (the distinct pairs, in the order of the columns that
 * first hold them) and "m" (each column's pair, or -1). */
static void
encode_registers (const MotcuaWireItem *item,
                  JsonObject           *o)
{
  g_autoptr(JsonArray) pairs = json_array_new ();
  g_autoptr(JsonArray) map = json_array_new ();
  guint first[64];
  guint n_pairs = 0;

  g_assert (item->table->n_columns <= G_N_ELEMENTS (first));

  for (guint c = 0; c < item->table->n_columns; c++)
    {
      const MotcuaRowRegister *reg = &item->registers[c];
      guint k;

      if (!reg->written)
        {
          json_array_add_int_element (map, -1);
          continue;
        }
      for (k = 0; k < n_pairs; k++)
        if (item->registers[first[k]].hlc == reg->hlc
            && memcmp (item->registers[first[k]].origin.bytes, reg->origin.bytes, 16) == 0)
          break;
      if (k == n_pairs)
        {
          g_autoptr(JsonArray) pair = json_array_new ();
          char origin[37];

          motcua_uuid_to_string (&reg->origin, origin);
          json_array_add_int_element (pair, (gint64) reg->hlc);
          json_array_add_string_element (pair, origin);
          json_array_add_array_element (pairs, g_steal_pointer (&pair));
          first[n_pairs++] = c;
        }
      json_array_add_int_element (map, k);
    }

  json_object_set_array_member (o, "k", g_steal_pointer (&pairs));
  json_object_set_array_member (o, "m", g_steal_pointer (&map));
}

/* @prev: the change before @item in a compact list, or NULL: what it implies is left out. */
static JsonNode *
encode_item (const MotcuaWireItem *item,
             const MotcuaWireItem *prev)
{
  g_autoptr(JsonObject) o = json_object_new ();
  char id[37];

  if (prev != NULL && (!prev->is_change || !item->is_change))
    prev = NULL;   /* a snapshot row is never compacted, and the change after it is whole */
  if (item->is_change)
    {
      if (prev == NULL || memcmp (prev->origin.bytes, item->origin.bytes, 16) != 0)
        {
          motcua_uuid_to_string (&item->origin, id);
          json_object_set_string_member (o, "o", id);
        }
      if (prev == NULL || item->seq != prev->seq + 1)
        json_object_set_int_member (o, "s", (gint64) item->seq);
      if (prev == NULL || item->hlc != prev->hlc)
        json_object_set_int_member (o, "h", (gint64) item->hlc);
    }
  if (prev == NULL || item->table != prev->table)
    json_object_set_string_member (o, "t", item->table->name);
  if (prev == NULL || memcmp (prev->row_id.bytes, item->row_id.bytes, 16) != 0)
    {
      motcua_uuid_to_string (&item->row_id, id);
      json_object_set_string_member (o, "r", id);
    }

  if (!item->is_change)
    {
      json_object_set_object_member (o, "v", _motcua_wire_encode_values (item));
      if (item->registers != NULL)
        encode_registers (item, o);
    }
  else if (item->column == 0)
    {
      json_object_set_null_member (o, "c");
      json_object_set_object_member (o, "v", _motcua_wire_encode_values (item));
    }
  else
    {
      json_object_set_string_member (o, "c", item->table->columns[item->column - 1].name);
      json_object_set_member (o, "v", _motcua_value_to_json (&item->values[0], -1));
    }
  if (item->is_change && (prev == NULL || item->prev != 0))
    json_object_set_int_member (o, "p", (gint64) item->prev);

  /* The node takes a reference of its own. */
  return json_node_init_object (json_node_alloc (), o);
}

JsonNode *
_motcua_wire_encode_item (const MotcuaWireItem *item)
{
  return encode_item (item, NULL);
}

/* Compact lists are built compact from the typed items, never whole and then cut: a push of
 * 20,000 new cases would pay for the cutting. */
JsonArray *
_motcua_wire_encode (const MotcuaWireBatch *batch,
                     gboolean               compact)
{
  JsonArray *out = json_array_sized_new (batch->items->len);

  for (guint i = 0; i < batch->items->len; i++)
    json_array_add_element (out, encode_item (_motcua_wire_batch_item (batch, i),
                                              compact && i > 0
                                              ? _motcua_wire_batch_item (batch, i - 1)
                                              : NULL));

  return out;
}

