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
#include "motcua-json-scan-private.h"
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
  valid_message = g_utf8_make_valid (message, -1);

  g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("change %u: %s: %s"), index,
               valid_field, valid_message);

  return FALSE;
}

/* What the decoding of one list needs besides the batch. */
typedef struct
{
  MotcuaWireBatch *batch;
  GString         *scratch;   /* a string's text when it holds escapes */
  guint            index;     /* the item's place in the list, for errors */
  GError         **error;
} Decoder;

/* A string's text as a NUL-terminated copy in the batch. */
static const char *
keep_string (Decoder               *d,
             const MotcuaJsonValue *value,
             gsize                 *length)
{
  MotcuaValue text = { SQLITE_TEXT, 0, _motcua_json_string_text (value, d->scratch, length) };

  return _motcua_wire_batch_keep (d->batch, &text, (gssize) *length).s;
}

/* A name (a table's, a column's) in @d's scratch space, NUL-terminated, until its next use;
 * "" for a value that is not a string. No allocation: names are looked up once per change. */
static const char *
read_name (Decoder               *d,
           const MotcuaJsonValue *value)
{
  gsize length;
  const char *text;

  if (value == NULL || value->kind != MOTCUA_JSON_STRING)
    return "";
  text = _motcua_json_string_text (value, d->scratch, &length);
  if (text != d->scratch->str)
    {
      g_string_truncate (d->scratch, 0);
      g_string_append_len (d->scratch, text, (gssize) length);
    }

  return d->scratch->str;
}

/* A string holding a UUID. */
static gboolean
read_uuid (Decoder               *d,
           const MotcuaJsonValue *value,
           MotcuaUuid            *out)
{
  char text[37];
  gsize length;
  const char *s;

  if (value == NULL || value->kind != MOTCUA_JSON_STRING)
    return FALSE;
  s = _motcua_json_string_text (value, d->scratch, &length);
  if (length != 36)
    return FALSE;
  memcpy (text, s, 36);
  text[36] = '\0';

  return motcua_uuid_parse (text, out);
}

/* A JSON value as a column's value, kept in the batch. */
static gboolean
decode_value (Decoder                *d,
              const MotcuaJsonValue  *value,
              const MotcuaColumnDesc *column,
              MotcuaValue            *out)
{
  gboolean is_text = value != NULL && value->kind == MOTCUA_JSON_STRING;
  const char *text;
  MotcuaUuid id;
  gsize length;

  if (value == NULL || value->kind == MOTCUA_JSON_NULL)
    {
      *out = MOTCUA_VALUE_NULL;
      return TRUE;
    }
  if (value->kind == MOTCUA_JSON_ARRAY || value->kind == MOTCUA_JSON_OBJECT)
    return bad_change (d->error, d->index, column->name,
                       _("must be a string, a number or null"));

  switch (column->kind)
    {
    case MOTCUA_COL_INT:
      if (value->kind != MOTCUA_JSON_INT)
        return bad_change (d->error, d->index, column->name, _("must be a whole number"));
      *out = MOTCUA_VALUE_INT (value->integer);
      return TRUE;

    case MOTCUA_COL_ID:
      if (!read_uuid (d, value, &id))
        return bad_change (d->error, d->index, column->name, _("must be a UUID"));
      *out = _motcua_wire_batch_keep (d->batch, &MOTCUA_VALUE_ID (&id), 16);
      return TRUE;

    case MOTCUA_COL_STATUS:
      {
        MotcuaStatusKey key;

        if (!is_text || !motcua_status_key_decode (text = keep_string (d, value, &length),
                                                    &key))
          return bad_change (d->error, d->index, column->name,
                             _("must be a status as generation:name, e.g. 0:received"));
        break;
      }

    case MOTCUA_COL_TEXT:
    default:
      if (!is_text)
        return bad_change (d->error, d->index, column->name, _("must be UTF-8 text"));
      text = keep_string (d, value, &length);
      if (length > MOTCUA_MAX_TEXT_BYTES)
        return bad_change (d->error, d->index, column->name, _("is longer than %u bytes"),
                           (guint) MOTCUA_MAX_TEXT_BYTES);
      break;
    }
  *out = (MotcuaValue) { SQLITE_TEXT, 0, text };

  return TRUE;
}

/* The values of a whole row, from its object ({column: value}). */
static gboolean
decode_row (Decoder               *d,
            MotcuaWireItem        *item,
            const MotcuaJsonValue *row,
            guint64               *present)
{
  const MotcuaTableDesc *table = item->table;
  MotcuaJsonValue name, value;
  MotcuaJsonIter iter;

  g_assert (table->n_columns <= 64);
  for (guint c = 0; c < table->n_columns; c++)
    item->values[c] = MOTCUA_VALUE_NULL;
  *present = 0;

  _motcua_json_iter_init (&iter, row);
  while (_motcua_json_iter_next (&iter, &name, &value))
    {
      const char *column_name = read_name (d, &name);
      int column = _motcua_table_column (table, column_name);

      if (column < 1)
        return bad_change (d->error, d->index, column_name, _("is not a column of %s"),
                           table->name);
      if (!decode_value (d, &value, &table->columns[column - 1], &item->values[column - 1]))
        return FALSE;
      *present |= G_GUINT64_CONSTANT (1) << (column - 1);
    }

  return TRUE;
}

gboolean
_motcua_wire_decode_row (MotcuaWireBatch *batch,
                         MotcuaWireItem  *item,
                         const char      *text,
                         gsize            length,
                         GError         **error)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  Decoder d = { batch, scratch, 0, error };
  MotcuaJsonValue row;
  guint64 present;

  if (!_motcua_json_scan (text, length, &row, NULL) || row.kind != MOTCUA_JSON_OBJECT)
    return bad_change (error, 0, "v", _("must be the row, an object"));

  return decode_row (&d, item, &row, &present);
}

/* The members of a change or a snapshot row, by their one-letter names. */
static const char member_letters[] = "oshtrcvpkm";
#define N_MEMBERS (G_N_ELEMENTS (member_letters) - 1)
#define CHANGE_MEMBERS "oshtrcvp"
#define SNAPSHOT_MEMBERS "trvkm"

typedef struct
{
  MotcuaJsonValue value[N_MEMBERS];
  gboolean        has[N_MEMBERS];
} Members;

static guint
letter (char c)
{
  return (guint) (strchr (member_letters, c) - member_letters);
}

static const MotcuaJsonValue *
member (const Members *m,
        char           c)
{
  guint k = letter (c);

  return m->has[k] ? &m->value[k] : NULL;
}

static gboolean
read_members (Decoder               *d,
              const MotcuaJsonValue *object,
              Members               *m)
{
  MotcuaJsonValue name, value;
  MotcuaJsonIter iter;

  memset (m->has, 0, sizeof m->has);
  _motcua_json_iter_init (&iter, object);
  while (_motcua_json_iter_next (&iter, &name, &value))
    {
      gsize length;
      const char *text = _motcua_json_string_text (&name, d->scratch, &length);

      if (length != 1 || strchr (member_letters, text[0]) == NULL || text[0] == '\0')
        {
          g_autofree char *field = g_strndup (text, length);

          return bad_change (d->error, d->index, field, _("is not a field of a change"));
        }
      m->value[letter (text[0])] = value;
      m->has[letter (text[0])] = TRUE;
    }

  return TRUE;
}

/* Only the members @allowed. */
static gboolean
check_members (Decoder       *d,
               const Members *m,
               const char    *allowed)
{
  for (guint k = 0; k < N_MEMBERS; k++)
    if (m->has[k] && strchr (allowed, member_letters[k]) == NULL)
      {
        char field[2] = { member_letters[k], '\0' };

        return bad_change (d->error, d->index, field, _("is not a field of a change"));
      }

  return TRUE;
}

/* A number member between @min and @max, or @fallback when it is absent. */
static gboolean
read_int (const Members *m,
          char           c,
          gint64         min,
          gint64         max,
          gint64        *out)
{
  const MotcuaJsonValue *value = member (m, c);

  if (value == NULL || value->kind != MOTCUA_JSON_INT || value->integer < min
      || value->integer > max)
    return FALSE;
  *out = value->integer;

  return TRUE;
}

static gboolean
decode_table_row (Decoder                *d,
                  const Members          *m,
                  const MotcuaTableDesc **table,
                  MotcuaUuid             *row_id,
                  const MotcuaWireItem   *prev)
{
  const MotcuaJsonValue *t = member (m, 't');

  if (prev != NULL && t == NULL)
    *table = prev->table;
  else
    {
      const char *name = read_name (d, t);

      if ((*table = _motcua_table_by_name (name)) == NULL)
        return bad_change (d->error, d->index, "t", _("“%s” is not a replicated table"), name);
    }
  if (prev != NULL && member (m, 'r') == NULL)
    *row_id = prev->row_id;
  else if (!read_uuid (d, member (m, 'r'), row_id))
    return bad_change (d->error, d->index, "r", _("must be the row's UUID"));

  return TRUE;
}

/* One [HLC, origin UUID] pair of a snapshot row's registers. */
static gboolean
read_register (Decoder               *d,
               const MotcuaJsonValue *pair,
               MotcuaRowRegister     *reg)
{
  MotcuaJsonValue hlc, origin, extra;
  MotcuaJsonIter iter;

  if (pair->kind != MOTCUA_JSON_ARRAY || pair->length != 2)
    return FALSE;
  _motcua_json_iter_init (&iter, pair);
  if (!_motcua_json_iter_next (&iter, NULL, &hlc) || !_motcua_json_iter_next (&iter, NULL, &origin)
      || _motcua_json_iter_next (&iter, NULL, &extra))
    return FALSE;
  if (hlc.kind != MOTCUA_JSON_INT || hlc.integer < 1 || hlc.integer > (gint64) MOTCUA_HLC_LATEST
      || !read_uuid (d, &origin, &reg->origin))
    return FALSE;
  reg->hlc = (MotcuaHlc) hlc.integer;

  return TRUE;
}

/* A snapshot row: its registers by "k" and "m", its values by "v". */
static gboolean
decode_snapshot (Decoder       *d,
                 const Members *m)
{
  const MotcuaJsonValue *values = member (m, 'v');
  const MotcuaJsonValue *pairs = member (m, 'k');
  const MotcuaJsonValue *map = member (m, 'm');
  const MotcuaTableDesc *table;
  MotcuaJsonValue pair_list[64];   /* at most one pair a column */
  MotcuaJsonValue element;
  MotcuaJsonIter iter;
  MotcuaWireItem *item;
  MotcuaUuid row_id;
  guint64 present;
  guint c = 0;

  if (!check_members (d, m, SNAPSHOT_MEMBERS)
      || !decode_table_row (d, m, &table, &row_id, NULL))
    return FALSE;
  item = _motcua_wire_batch_add (d->batch, table, FALSE, 0);
  item->row_id = row_id;

  if (table->insert_only)
    {
      if (values == NULL || values->kind != MOTCUA_JSON_OBJECT)
        return bad_change (d->error, d->index, "v", _("must be the row, an object"));
      return decode_row (d, item, values, &present);
    }

  if (pairs == NULL || pairs->kind != MOTCUA_JSON_ARRAY)
    return bad_change (d->error, d->index, "k", _("must be the row's registers, an array"));
  if (values == NULL || values->kind != MOTCUA_JSON_OBJECT
      || map == NULL || map->kind != MOTCUA_JSON_ARRAY)
    return bad_change (d->error, d->index, "v", _("a snapshot row needs v (object) and m (array)"));
  if (map->length != table->n_columns)
    return bad_change (d->error, d->index, "m", _("must give a register for each column of %s"),
                       table->name);
  if (pairs->length > MIN (table->n_columns, G_N_ELEMENTS (pair_list)))
    return bad_change (d->error, d->index, "k", _("holds more registers than %s has columns"),
                       table->name);

  _motcua_json_iter_init (&iter, pairs);
  for (guint k = 0; _motcua_json_iter_next (&iter, NULL, &pair_list[k]); k++)
    ;
  if (!decode_row (d, item, values, &present))
    return FALSE;

  _motcua_json_iter_init (&iter, map);
  for (c = 0; _motcua_json_iter_next (&iter, NULL, &element); c++)
    {
      MotcuaRowRegister *reg = &item->registers[c];

      if (element.kind != MOTCUA_JSON_INT)
        return bad_change (d->error, d->index, "m", _("must hold whole numbers"));
      if (element.integer < 0)
        {
          /* Never written: its value is null, whatever v says. */
          item->values[c] = MOTCUA_VALUE_NULL;
          continue;
        }
      if (element.integer >= pairs->length
          || !read_register (d, &pair_list[element.integer], reg))
        return bad_change (d->error, d->index, "k", _("must be [HLC, origin UUID] pairs"));
      if (!(present & G_GUINT64_CONSTANT (1) << c))
        return bad_change (d->error, d->index, table->columns[c].name, _("is missing from v"));
      reg->written = TRUE;
    }

  return TRUE;
}

/* A change, whole or, in a compact list, leaving out what @prev (the change before it, or
 * NULL) implies, and p when it is 0. */
static gboolean
decode_change (Decoder              *d,
               const Members        *m,
               gboolean              compact,
               const MotcuaWireItem *prev)
{
  const MotcuaJsonValue *c_value = member (m, 'c');
  const MotcuaJsonValue *v_value = member (m, 'v');
  MotcuaWireItem head = { NULL };
  MotcuaWireItem *item;
  gint64 number;
  int column = 0;
  guint64 present;

  if (!check_members (d, m, CHANGE_MEMBERS)
      || !decode_table_row (d, m, &head.table, &head.row_id, prev))
    return FALSE;

  if (prev != NULL && member (m, 'o') == NULL)
    head.origin = prev->origin;
  else if (!read_uuid (d, member (m, 'o'), &head.origin))
    return bad_change (d->error, d->index, "o", _("must be the origin replica's UUID"));

  if (prev != NULL && member (m, 's') == NULL && prev->seq < G_MAXINT64)
    head.seq = prev->seq + 1;
  else if (!read_int (m, 's', 1, G_MAXINT64, &number))
    return bad_change (d->error, d->index, "s", _("must be a sequence number from 1"));
  else
    head.seq = (guint64) number;

  if (prev != NULL && member (m, 'h') == NULL)
    head.hlc = prev->hlc;
  else if (!read_int (m, 'h', 1, (gint64) MOTCUA_HLC_LATEST, &number))
    return bad_change (d->error, d->index, "h", _("must be an HLC timestamp"));
  else
    head.hlc = (MotcuaHlc) number;

  if (compact && member (m, 'p') == NULL)
    head.prev = 0;
  else if (!read_int (m, 'p', 0, (gint64) MOTCUA_HLC_LATEST, &number))
    return bad_change (d->error, d->index, "p",
                       _("must be the HLC of the overwritten value, or 0"));
  else
    head.prev = (MotcuaHlc) number;

  if (head.table->insert_only)
    {
      if (c_value->kind != MOTCUA_JSON_NULL)
        return bad_change (d->error, d->index, "c", _("must be null for a row of %s"),
                           head.table->name);
      if (v_value == NULL || v_value->kind != MOTCUA_JSON_OBJECT)
        return bad_change (d->error, d->index, "v", _("must be the row, an object"));
    }
  else
    {
      const char *name = read_name (d, c_value);

      column = _motcua_table_column (head.table, name);
      if (column < 1)
        return bad_change (d->error, d->index, "c", _("“%s” is not a column of %s"), name,
                           head.table->name);
      if (v_value == NULL)
        return bad_change (d->error, d->index, "v", _("is missing: the new value"));
    }

  item = _motcua_wire_batch_add (d->batch, head.table, TRUE, (guint) column);
  item->row_id = head.row_id;
  item->origin = head.origin;
  item->seq = head.seq;
  item->hlc = head.hlc;
  item->prev = head.prev;

  if (column == 0)
    return decode_row (d, item, v_value, &present);

  return decode_value (d, v_value, &head.table->columns[column - 1], &item->values[0]);
}

MotcuaWireBatch *
_motcua_wire_decode (const char  *text,
                     gsize        length,
                     gboolean     compact,
                     gboolean     changes_only,
                     GError     **error)
{
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_batch_new ();
  g_autoptr(GString) scratch = g_string_new (NULL);
  Decoder d = { batch, scratch, 0, error };
  gboolean prev_is_change = FALSE;
  MotcuaJsonValue list, element;
  MotcuaJsonIter iter;
  const char *problem = NULL;

  if (!_motcua_json_scan (text, length, &list, &problem))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, "%s", _(problem));
      return NULL;
    }
  if (list.kind != MOTCUA_JSON_ARRAY)
    {
      g_set_error_literal (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                           _("The changes must be a JSON array"));
      return NULL;
    }

  _motcua_json_iter_init (&iter, &list);
  for (d.index = 0; _motcua_json_iter_next (&iter, NULL, &element); d.index++)
    {
      Members m;
      gboolean ok;

      if (element.kind != MOTCUA_JSON_OBJECT)
        {
          bad_change (error, d.index, "change", _("must be an object"));
          return NULL;
        }
      if (!read_members (&d, &element, &m))
        return NULL;

      /* A change names its column ("c", null for a whole row); a snapshot row has none. */
      if (member (&m, 'c') != NULL)
        ok = decode_change (&d, &m, compact, compact && prev_is_change
                                             ? _motcua_wire_batch_item (batch,
                                                                        batch->items->len - 1)
                                             : NULL);
      else if (changes_only || member (&m, 'o') != NULL)
        ok = bad_change (error, d.index, "c", _("is missing: the column, or null for a whole row"));
      else
        ok = decode_snapshot (&d, &m);
      if (!ok)
        return NULL;
      prev_is_change = member (&m, 'c') != NULL;
    }

  return g_steal_pointer (&batch);
}

MotcuaWireBatch *
_motcua_wire_decode_array (JsonArray  *items,
                           gboolean    compact,
                           gboolean    changes_only,
                           GError    **error)
{
  g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), items);
  g_autofree char *text = json_to_string (node, FALSE);

  return _motcua_wire_decode (text, strlen (text), compact, changes_only, error);
}
