/* motcua-changes.c: changes as they travel between replicas
 *
 * A change on the wire is a JSON object:
 *   {"o": origin replica UUID, "s": its sequence number, "h": HLC, "t": table,
 *    "r": row UUID, "c": column (null for a row of an insert-only table),
 *    "v": the new value (a row object for an insert-only table), "p": HLC it overwrote}
 * Ids travel as UUID strings and the status as "generation:name".
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-replica-private.h"
#include "motcua-workflow.h"

/* @text_len: the length of a text value, or -1 when it is NUL-terminated. */
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

JsonObject *
_motcua_replica_insert_only_json (MotcuaReplica          *self,
                                  const MotcuaTableDesc  *table,
                                  gint64                  rid,
                                  GError                **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(JsonObject) row = json_object_new ();
  sqlite3_stmt *stmt = NULL;

  for (guint c = 0; c < table->n_columns; c++)
    g_string_append_printf (sql, "%s%s", c ? ", " : "", table->columns[c].name);
  g_string_append_printf (sql, " FROM %s WHERE rid = ?1", table->name);

  stmt = _motcua_replica_prepare_text (self, sql->str, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                   _("%s is damaged: a logged row of %s is missing"), self->path, table->name);
      return NULL;
    }

  for (guint c = 0; c < table->n_columns; c++)
    {
      MotcuaValue v = _motcua_value_from_column (stmt, (int) c);

      if (v.type != SQLITE_NULL)
        json_object_set_member (row, table->columns[c].name, _motcua_value_to_json (&v, -1));
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&row);
}

/* One change of the log, as the iterator hands it over. Borrowed: valid during the callback. */
typedef struct
{
  guint64                seq;
  MotcuaHlc              hlc;
  const MotcuaTableDesc *table;
  gint64                 rid;
  const guint8          *row_id;     /* 16 bytes */
  guint                  column;     /* 0: a whole row of an insert-only table */
  MotcuaValue            value;      /* text is not NUL-terminated: see text_len */
  gsize                  text_len;
  MotcuaHlc              prev_hlc;
} LoggedChange;

typedef gboolean (*LoggedChangeFunc) (const LoggedChange  *change,
                                      gpointer             user_data,
                                      GError             **error);

/* Walks this replica's own changes past @after_seq, at most @limit (0: all), oldest first,
 * unpacking the records they are stored in (one per row write). With @whole_records, the
 * limit is only checked between logical writes (the records sharing one HLC): a push must
 * never cut a write in two, or the server would judge the first part of a new case before
 * the part naming its offices, or a transfer's event after the transfer, and refuse them as
 * out of scope. A record holds at most 64 changes. */
static gboolean
foreach_change (MotcuaReplica     *self,
                guint64            after_seq,
                guint              limit,
                gboolean           whole_records,
                LoggedChangeFunc   func,
                gpointer           user_data,
                GError           **error)
{
  sqlite3_stmt *stmt;
  MotcuaHlc last_hlc = 0;
  guint emitted = 0;
  int rc = SQLITE_ROW;

  if (limit == 0)
    limit = G_MAXUINT;

  /* Records are keyed by their first sequence number: start from the one holding
   * after_seq + 1 (a record holds at most 64 changes). */
  stmt = _motcua_replica_prepare (self,
                                  "SELECT ch.seq, ch.n, ch.hlc, ch.tbl,"
                                  MOTCUA_CHANGE_ROW_RID_SQL ", ch.fields, ch.row_id"
                                  " FROM changes ch"
                                  " WHERE ch.origin = ?1 AND ch.seq > ?2 - 64"
                                  " AND ch.seq + ch.n > ?2 + 1"
                                  " ORDER BY ch.seq",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->self_origin);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) after_seq);

  while ((emitted < limit || whole_records) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LoggedChange change = { 0 };
      const guint8 *p = sqlite3_column_blob (stmt, 5);
      const guint8 *end = p + sqlite3_column_bytes (stmt, 5);
      guint n = (guint) sqlite3_column_int (stmt, 1);

      change.seq = (guint64) sqlite3_column_int64 (stmt, 0);
      change.hlc = (MotcuaHlc) sqlite3_column_int64 (stmt, 2);

      /* Past the limit, whole records go on only to the end of one logical write: the
       * records of one operation share its HLC (a transfer writes the case and its event),
       * and the server judges them together. */
      if (emitted >= limit && change.hlc != last_hlc)
        break;
      last_hlc = change.hlc;
      change.table = _motcua_table_lookup (sqlite3_column_int (stmt, 3));
      change.rid = sqlite3_column_type (stmt, 4) == SQLITE_INTEGER
                   ? sqlite3_column_int64 (stmt, 4) : -1;
      change.row_id = sqlite3_column_bytes (stmt, 6) == 16 ? sqlite3_column_blob (stmt, 6) : NULL;

      /* A record made before the log named rows by UUID, whose row was purged once all of it
       * was acknowledged: it stays (a refusal may name it) but has nothing to show. */
      if (change.row_id == NULL && change.table != NULL
          && change.seq + n - 1 <= _motcua_replica_get_acked (self))
        continue;

      for (guint i = 0; i < n && (emitted < limit || whole_records); i++, change.seq++)
        {
          if (p == NULL || change.table == NULL || change.row_id == NULL
              || !_motcua_change_fields_next (&p, end, &change.column, &change.prev_hlc,
                                              &change.value, &change.text_len)
              || change.column > change.table->n_columns)
            {
              sqlite3_reset (stmt);
              g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                           _("The change log of %s is damaged at sequence number %llu"),
                           self->path, (unsigned long long) change.seq);
              return FALSE;
            }
          if (change.seq <= after_seq)
            continue;

          if (!func (&change, user_data, error))
            {
              sqlite3_reset (stmt);
              return FALSE;
            }
          emitted++;
        }
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/* The public view: MotcuaChange, values as "mv" GVariants. */

static GVariant *
change_value_variant (const MotcuaValue *value,
                      gsize              text_len)
{
  GVariant *inner = NULL;

  switch (value->type)
    {
    case SQLITE_INTEGER:
      inner = g_variant_new_variant (g_variant_new_int64 (value->i));
      break;
    case SQLITE_TEXT:
      {
        g_autofree char *text = g_strndup (value->s, text_len);

        inner = g_variant_new_variant (g_variant_new_string (g_utf8_validate (text, -1, NULL)
                                                             ? text : ""));
      }
      break;
    case SQLITE_BLOB:
      {
        char id[37];

        motcua_uuid_to_string ((const MotcuaUuid *) (const void *) value->s, id);
        inner = g_variant_new_variant (g_variant_new_string (id));
      }
      break;
    default:
      break;
    }

  return g_variant_ref_sink (g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, inner));
}

static gboolean
add_public_change (const LoggedChange  *change,
                   gpointer             user_data,
                   GError             **error)
{
  GPtrArray *changes = ((gpointer *) user_data)[0];
  MotcuaReplica *self = ((gpointer *) user_data)[1];
  MotcuaChange *ch = g_new0 (MotcuaChange, 1);
  char row_id[37];

  motcua_uuid_to_string ((const MotcuaUuid *) (const void *) change->row_id, row_id);
  ch->origin = g_strdup (self->id);
  ch->seq = change->seq;
  ch->hlc = change->hlc;
  ch->table = g_strdup (change->table->name);
  ch->row_id = g_strdup (row_id);
  ch->column = change->column > 0
               ? g_strdup (change->table->columns[change->column - 1].name) : NULL;
  ch->value = change_value_variant (&change->value, change->text_len);
  ch->prev_hlc = change->prev_hlc;
  g_ptr_array_add (changes, ch);

  return TRUE;
}

GPtrArray *
motcua_replica_list_changes (MotcuaReplica  *self,
                             guint64         after_seq,
                             guint           limit,
                             GError        **error)
{
  g_autoptr(GPtrArray) changes =
    g_ptr_array_new_with_free_func ((GDestroyNotify) motcua_change_free);
  gpointer data[2] = { changes, self };

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (!foreach_change (self, after_seq, limit, FALSE, add_public_change, data, error))
    return NULL;

  return g_steal_pointer (&changes);
}

/* The wire view: JSON objects. */

typedef struct
{
  JsonArray             *out;
  MotcuaReplica         *self;
  gboolean               compact;    /* see _motcua_changes_compact() */
  /* The change before, for a compact list */
  gboolean               has_prev;
  guint64                prev_seq;
  MotcuaHlc              prev_hlc;
  const MotcuaTableDesc *prev_table;
  guint8                 prev_row[16];
} WireList;

static gboolean
add_wire_change (const LoggedChange  *change,
                 gpointer             user_data,
                 GError             **error)
{
  WireList *list = user_data;
  MotcuaReplica *self = list->self;
  g_autoptr(JsonObject) o = json_object_new ();
  gboolean whole = !list->compact || !list->has_prev;
  char row_id[37];

  /* A compact list is made compact here rather than whole and then cut (a push is built once
   * per batch of thousands): the origin is always this replica. */
  if (whole)
    json_object_set_string_member (o, "o", self->id);
  if (whole || change->seq != list->prev_seq + 1)
    json_object_set_int_member (o, "s", (gint64) change->seq);
  if (whole || change->hlc != list->prev_hlc)
    json_object_set_int_member (o, "h", (gint64) change->hlc);
  if (whole || change->table != list->prev_table)
    json_object_set_string_member (o, "t", change->table->name);
  if (whole || memcmp (change->row_id, list->prev_row, 16) != 0)
    {
      motcua_uuid_to_string ((const MotcuaUuid *) (const void *) change->row_id, row_id);
      json_object_set_string_member (o, "r", row_id);
    }
  list->has_prev = TRUE;
  list->prev_seq = change->seq;
  list->prev_hlc = change->hlc;
  list->prev_table = change->table;
  memcpy (list->prev_row, change->row_id, 16);

  if (change->column == 0)
    {
      JsonObject *row = NULL;

      /* A row of a timeline or a scan is its own value; one purged with its case left its
       * values in its record (_motcua_replica_keep_logged_row()). */
      if (change->value.type == SQLITE_TEXT)
        {
          g_autoptr(JsonParser) parser = json_parser_new_immutable ();
          JsonNode *root;

          if (json_parser_load_from_data (parser, change->value.s, (gssize) change->text_len,
                                          NULL)
              && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
            row = json_object_ref (json_node_get_object (root));
        }
      /* (rid -1, a row gone with nothing kept, is reported as the damage it is) */
      if (row == NULL)
        row = _motcua_replica_insert_only_json (self, change->table, change->rid, error);
      if (row == NULL)
        return FALSE;
      json_object_set_null_member (o, "c");
      json_object_set_object_member (o, "v", row);
    }
  else
    {
      json_object_set_string_member (o, "c", change->table->columns[change->column - 1].name);
      json_object_set_member (o, "v", _motcua_value_to_json (&change->value,
                                                             (gssize) change->text_len));
    }
  if (!list->compact || change->prev_hlc != 0)
    json_object_set_int_member (o, "p", (gint64) change->prev_hlc);
  json_array_add_object_element (list->out, g_steal_pointer (&o));

  return TRUE;
}

JsonArray *
_motcua_replica_collect_changes (MotcuaReplica  *self,
                                 guint64         after_seq,
                                 guint           limit,
                                 GError        **error)
{
  g_autoptr(JsonArray) out = json_array_new ();
  WireList list = { out, self, FALSE, FALSE, 0, 0, NULL, { 0 } };

  if (!foreach_change (self, after_seq, limit, TRUE, add_wire_change, &list, error))
    return NULL;

  return g_steal_pointer (&out);
}

JsonArray *
_motcua_replica_collect_compact (MotcuaReplica  *self,
                                 guint64         after_seq,
                                 guint           limit,
                                 GError        **error)
{
  g_autoptr(JsonArray) out = json_array_new ();
  WireList list = { out, self, TRUE, FALSE, 0, 0, NULL, { 0 } };

  if (!foreach_change (self, after_seq, limit, TRUE, add_wire_change, &list, error))
    return NULL;

  return g_steal_pointer (&out);
}

/* Compact change lists (PROTOCOL.md): a change may leave out o, h, t and r when they are those
 * of the change before it in the list, s when it is that change's s + 1, and p when it is 0. A
 * snapshot row (no "c") is never compacted, and the change after it is whole. */

enum { W_O, W_S, W_H, W_T, W_R, W_C, W_V, W_P, W_N };
static const char *const wire_members[W_N] = { "o", "s", "h", "t", "r", "c", "v", "p" };

static gboolean
is_wire_change (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node)
         && json_object_has_member (json_node_get_object (node), "c");
}

static gboolean
same_scalar (JsonNode *a,
             JsonNode *b)
{
  GType type;

  if (a == NULL || b == NULL || !JSON_NODE_HOLDS_VALUE (a) || !JSON_NODE_HOLDS_VALUE (b))
    return FALSE;
  type = json_node_get_value_type (a);
  if (type != json_node_get_value_type (b))
    return FALSE;
  if (type == G_TYPE_STRING)
    return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;

  return type == G_TYPE_INT64 && json_node_get_int (a) == json_node_get_int (b);
}

static gboolean
is_int (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_INT64;
}

static void
wire_clear (JsonNode *members[W_N])
{
  for (guint m = 0; m < W_N; m++)
    g_clear_pointer (&members[m], json_node_unref);
}

void
_motcua_changes_compact (JsonArray *items)
{
  JsonNode *prev[W_N] = { NULL };

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonNode *full[W_N] = { NULL };
      JsonObject *o;

      if (!is_wire_change (node))
        {
          wire_clear (prev);
          continue;
        }
      o = json_node_get_object (node);
      for (guint m = 0; m < W_N; m++)
        if (json_object_has_member (o, wire_members[m]))
          full[m] = json_node_ref (json_object_get_member (o, wire_members[m]));

      for (guint m = W_H; m <= W_R; m++)
        if (same_scalar (full[m], prev[m]))
          json_object_remove_member (o, wire_members[m]);
      if (same_scalar (full[W_O], prev[W_O]))
        json_object_remove_member (o, "o");
      if (is_int (full[W_S]) && is_int (prev[W_S]) && json_node_get_int (prev[W_S]) < G_MAXINT64
          && json_node_get_int (full[W_S]) == json_node_get_int (prev[W_S]) + 1)
        json_object_remove_member (o, "s");
      if (is_int (full[W_P]) && json_node_get_int (full[W_P]) == 0)
        json_object_remove_member (o, "p");

      wire_clear (prev);
      memcpy (prev, full, sizeof prev);
    }
  wire_clear (prev);
}

JsonArray *
_motcua_changes_expand (JsonArray *items)
{
  JsonNode *prev[W_N] = { NULL };
  JsonArray *out = json_array_sized_new (json_array_get_length (items));

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonNode *full[W_N] = { NULL };
      gboolean missing = FALSE;
      JsonObject *o;

      if (!is_wire_change (node))
        {
          wire_clear (prev);
          json_array_add_element (out, json_node_ref (node));
          continue;
        }
      o = json_node_get_object (node);
      for (guint m = 0; m < W_N; m++)
        {
          JsonNode *member = json_object_get_member (o, wire_members[m]);

          if (member != NULL)
            full[m] = json_node_ref (member);
          else if ((m == W_O || (m >= W_H && m <= W_R)) && prev[m] != NULL)
            full[m] = json_node_copy (prev[m]);
          else if (m == W_S && is_int (prev[W_S]) && json_node_get_int (prev[W_S]) < G_MAXINT64)
            full[m] = json_node_init_int (json_node_alloc (), json_node_get_int (prev[W_S]) + 1);
          else if (m == W_P)
            full[m] = json_node_init_int (json_node_alloc (), 0);
          missing |= member == NULL && full[m] != NULL;
        }

      /* Whole again, its members in the usual order: what is logged is what a full list
       * would have carried, byte for byte. */
      if (missing)
        {
          g_autoptr(GList) names = json_object_get_members (o);
          JsonObject *whole = json_object_new ();

          for (guint m = 0; m < W_N; m++)
            if (full[m] != NULL)
              json_object_set_member (whole, wire_members[m], json_node_ref (full[m]));
          /* Anything else stays, for the merge to refuse by name. */
          for (GList *l = names; l != NULL; l = l->next)
            if (!json_object_has_member (whole, l->data))
              json_object_set_member (whole, l->data,
                                      json_node_ref (json_object_get_member (o, l->data)));
          json_array_add_object_element (out, whole);
        }
      else
        json_array_add_element (out, json_node_ref (node));

      wire_clear (prev);
      memcpy (prev, full, sizeof prev);
    }
  wire_clear (prev);

  return out;
}

/* Applying */

static gboolean G_GNUC_PRINTF (4, 5)
bad_change (GError     **error,
            guint        index,
            const char  *field,
            const char  *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_autofree char *valid_field = g_utf8_make_valid (field, -1);
  g_autofree char *valid_message = NULL;

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
get_json_int (JsonObject *o,
              const char *name,
              gint64      min,
              gint64     *out)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);

  return *out >= min;
}

/* json-glib's *_with_default accessors warn when the member is an array or an object: these
 * return the fallback for anything but a value of the right type. */
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

/* The object @parser holds, or NULL: blank text parses with no root at all. */
JsonObject *
_motcua_json_root_object (JsonParser *parser)
{
  JsonNode *root = json_parser_get_root (parser);

  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
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

static const char *
get_json_string (JsonObject *o,
                 const char *name)
{
  return _motcua_json_string (o, name, NULL);
}

/* A JSON value as a column's value; @id holds the bytes of an id. */
static gboolean
json_to_value (JsonNode               *node,
               const MotcuaColumnDesc *column,
               MotcuaValue            *out,
               MotcuaUuid             *id,
               guint                   index,
               GError                **error)
{
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = MOTCUA_VALUE_NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return bad_change (error, index, column->name, _("must be a string, a number or null"));

  type = json_node_get_value_type (node);

  switch (column->kind)
    {
    case MOTCUA_COL_INT:
      if (type != G_TYPE_INT64)
        return bad_change (error, index, column->name, _("must be a whole number"));
      *out = MOTCUA_VALUE_INT (json_node_get_int (node));
      return TRUE;

    case MOTCUA_COL_ID:
      if (type != G_TYPE_STRING || !motcua_uuid_parse (json_node_get_string (node), id))
        return bad_change (error, index, column->name, _("must be a UUID"));
      out->type = SQLITE_BLOB;
      out->s = (const char *) id->bytes;
      return TRUE;

    case MOTCUA_COL_STATUS:
      {
        MotcuaStatusKey key;

        if (type != G_TYPE_STRING || !motcua_status_key_decode (json_node_get_string (node), &key))
          return bad_change (error, index, column->name,
                             _("must be a status as generation:name, e.g. 0:received"));
        *out = MOTCUA_VALUE_TEXT (json_node_get_string (node));
        return TRUE;
      }

    case MOTCUA_COL_TEXT:
    default:
      if (type != G_TYPE_STRING || !g_utf8_validate (json_node_get_string (node), -1, NULL))
        return bad_change (error, index, column->name, _("must be UTF-8 text"));
      if (strlen (json_node_get_string (node)) > MOTCUA_MAX_TEXT_BYTES)
        return bad_change (error, index, column->name, _("is longer than %u bytes"),
                           (guint) MOTCUA_MAX_TEXT_BYTES);
      *out = MOTCUA_VALUE_TEXT (json_node_get_string (node));
      return TRUE;
    }
}

/* The row of an insert-only table in "v": merge is union. */
static gboolean
apply_insert_only (MotcuaReplica          *self,
                   const MotcuaTableDesc  *table,
                   const MotcuaUuid       *row_id,
                   JsonObject             *o,
                   guint                   index,
                   gboolean               *won,
                   GError                **error)
{
  MotcuaValue values[16];
  MotcuaUuid ids[16];
  JsonNode *row_node = json_object_get_member (o, "v");
  JsonObject *row;

  if (row_node == NULL || !JSON_NODE_HOLDS_OBJECT (row_node))
    return bad_change (error, index, "v", _("must be the row, an object"));
  row = json_node_get_object (row_node);

  {
    g_autoptr(GList) names = json_object_get_members (row);

    for (GList *l = names; l != NULL; l = l->next)
      if (_motcua_table_column (table, l->data) < 0)
        return bad_change (error, index, l->data, _("is not a column of %s"), table->name);
  }

  g_assert (table->n_columns <= G_N_ELEMENTS (values));
  for (guint c = 0; c < table->n_columns; c++)
    if (!json_to_value (json_object_get_member (row, table->columns[c].name),
                        &table->columns[c], &values[c], &ids[c], index, error))
      return FALSE;

  return _motcua_replica_merge_insert (self, table, row_id, values, won, error);
}

gboolean
_motcua_replica_put_back_logged_row (MotcuaReplica          *self,
                                     const MotcuaTableDesc  *table,
                                     const MotcuaUuid       *id,
                                     const char             *kept,
                                     gboolean               *put,
                                     GError                **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(JsonObject) o = json_object_new ();
  JsonNode *root;
  gboolean inserted;
  MotcuaUuid case_id;
  sqlite3_stmt *stmt;

  g_assert (self->tx_depth > 0);

  if (!json_parser_load_from_data (parser, kept, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      char text[37];

      motcua_uuid_to_string (id, text);
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                   _("The change log's copy of row %s of %s cannot be read"), text,
                   table->name);
      return FALSE;
    }
  /* Not without its case. */
  *put = FALSE;
  if (!motcua_uuid_parse (_motcua_json_string (json_node_get_object (root), "case_id", ""),
                          &case_id)
      || (stmt = _motcua_replica_prepare (self, "SELECT 1 FROM cases WHERE id = ?1",
                                          error)) == NULL)
    return error == NULL || *error == NULL;
  sqlite3_bind_blob (stmt, 1, case_id.bytes, 16, SQLITE_STATIC);
  *put = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (!*put)
    return TRUE;
  json_object_set_member (o, "v", json_node_copy (root));

  return apply_insert_only (self, table, id, o, 0, &inserted, error);
}

/* Consecutive fields of one row from one write (same table, row, origin and HLC, each column
 * once), or the fields of one snapshot row: merged together, so that the row is read and
 * written (and its full-text entry updated) once rather than once per field. */
typedef struct
{
  const MotcuaTableDesc *table;
  MotcuaUuid             row_id;
  guint                  n;
  guint64                columns;       /* a bit per column in the run */
  MotcuaFieldWrite       fields[64];
  MotcuaValue            values[64];
  MotcuaUuid             ids[64];       /* the bytes of id values */
  MotcuaUuid             origins[64];
  MotcuaHlc              prevs[64];
} FieldRun;

static gboolean
run_flush (MotcuaReplica        *self,
           FieldRun             *run,
           guint                *n_won,
           MotcuaMergeObserver   observer,
           gpointer              user_data,
           GError              **error)
{
  MotcuaRegister olds[G_N_ELEMENTS (run->fields)];
  gboolean won[G_N_ELEMENTS (run->fields)];
  gboolean ok;

  if (run->n == 0)
    return TRUE;

  memset (olds, 0, sizeof olds[0] * run->n);
  ok = _motcua_replica_merge_fields (self, run->table, &run->row_id, run->n, run->fields, won,
                                     observer ? olds : NULL, error);

  /* The clock and the observer see the fields in order, as when they were merged one by one. */
  for (guint i = 0; i < run->n; i++)
    {
      if (ok)
        motcua_hlc_clock_observe (&self->clock, run->fields[i].hlc,
                                  _motcua_replica_now_ms (self));
      if (ok && observer != NULL)
        {
          MotcuaMergeEvent event = { run->table, &run->row_id, run->fields[i].column,
                                     run->fields[i].value, run->fields[i].hlc,
                                     run->fields[i].origin_uuid, run->prevs[i], &olds[i],
                                     won[i] };

          ok = observer (self, &event, user_data, error);
        }
      _motcua_register_clear (&olds[i]);

      if (ok && won[i])
        {
          (*n_won)++;
          if (run->table->id == MOTCUA_TABLE_CALENDAR || run->table->id == MOTCUA_TABLE_PROCEDURES)
            _motcua_replica_drop_caches (self);
        }
    }

  run->n = 0;
  run->columns = 0;

  return ok;
}

/* Adds a field to the run, merging what the run held first if the field is not of its row
 * write (@whole_row: of its snapshot row, whose fields each have their own register). */
static gboolean
run_add (MotcuaReplica          *self,
         FieldRun               *run,
         const MotcuaTableDesc  *table,
         const MotcuaUuid       *row_id,
         guint                   column,
         JsonNode               *value_node,
         MotcuaHlc               hlc,
         const MotcuaUuid       *origin_uuid,
         MotcuaHlc               prev,
         gboolean                whole_row,
         guint                   index,
         guint                  *n_won,
         MotcuaMergeObserver     observer,
         gpointer                user_data,
         GError                **error)
{
  guint64 bit = G_GUINT64_CONSTANT (1) << (column - 1);
  MotcuaFieldWrite *field;
  guint i;

  if (run->n > 0
      && (run->table != table || (run->columns & bit) != 0
          || memcmp (run->row_id.bytes, row_id->bytes, 16) != 0
          || (!whole_row && (memcmp (run->origins[0].bytes, origin_uuid->bytes, 16) != 0
                             || run->fields[0].hlc != hlc)))
      && !run_flush (self, run, n_won, observer, user_data, error))
    return FALSE;

  i = run->n;
  field = &run->fields[i];
  if (!json_to_value (value_node, &table->columns[column - 1], &run->values[i], &run->ids[i],
                      index, error)
      || !_motcua_replica_origin_index (self, origin_uuid, &field->origin, error))
    return FALSE;

  run->table = table;
  run->row_id = *row_id;
  run->origins[i] = *origin_uuid;
  run->prevs[i] = prev;
  field->column = column;
  field->value = &run->values[i];
  field->hlc = hlc;
  field->origin_uuid = &run->origins[i];
  run->columns |= bit;
  run->n++;

  return TRUE;
}

/* Repairing from a state transfer: the field goes back to never written (no value, HLC 0),
 * unless it holds a change of ours the server has not acknowledged. */
static gboolean
clear_field (MotcuaReplica          *self,
             const MotcuaTableDesc  *table,
             const MotcuaUuid       *row_id,
             guint                   column,
             guint                  *n_won,
             GError                **error)
{
  static const MotcuaUuid nil = { { 0 } };
  MotcuaValue none = MOTCUA_VALUE_NULL;
  gboolean won = FALSE;

  if (table->columns[column - 1].kind == MOTCUA_COL_STATUS)
    return TRUE;   /* always written: a row has a status from its first write */
  if (!_motcua_replica_merge_field (self, table, row_id, column, &none, 0, 0, &nil, &won, NULL,
                                    error))
    return FALSE;
  if (won)
    (*n_won)++;

  return TRUE;
}

/* A snapshot row: {"t", "r", "v": {column: value}, "k": [[hlc, origin], …], "m": [pair per
 * column or -1]}; insert-only rows have "t", "r" and "v" only. */
static gboolean
apply_row (MotcuaReplica        *self,
           FieldRun             *run,
           JsonObject           *o,
           const MotcuaTableDesc *table,
           const MotcuaUuid     *row_id,
           guint                 index,
           guint                *n_won,
           MotcuaMergeObserver   observer,
           gpointer              user_data,
           GError              **error)
{
  JsonNode *values_node = json_object_get_member (o, "v");
  JsonNode *pairs_node = json_object_get_member (o, "k");
  JsonNode *map_node = json_object_get_member (o, "m");
  JsonArray *pairs, *map;
  JsonObject *values;

  if (table->insert_only)
    {
      gboolean won = FALSE;

      if (!apply_insert_only (self, table, row_id, o, index, &won, error))
        return FALSE;
      if (won)
        (*n_won)++;
      return TRUE;
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
      JsonArray *pair;
      MotcuaUuid origin;
      gint64 k;

      if (!JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_INT64)
        return bad_change (error, index, "m", _("must hold whole numbers"));
      k = json_node_get_int (m);
      if (k < 0 && self->repairing)
        {
          /* Never written on the server: a value of ours there that the server acknowledged
           * (it refused it) gives way too. */
          if (!clear_field (self, table, row_id, c + 1, n_won, error))
            return FALSE;
          continue;
        }
      if (k < 0)
        continue;
      if (k >= json_array_get_length (pairs)
          || !JSON_NODE_HOLDS_ARRAY (json_array_get_element (pairs, (guint) k))
          || (pair = json_array_get_array_element (pairs, (guint) k)) == NULL
          || json_array_get_length (pair) != 2
          || json_node_get_value_type (json_array_get_element (pair, 0)) != G_TYPE_INT64
          || json_array_get_int_element (pair, 0) < 1
          || json_array_get_int_element (pair, 0) > MOTCUA_HLC_LATEST
          || json_node_get_value_type (json_array_get_element (pair, 1)) != G_TYPE_STRING
          || !motcua_uuid_parse (json_array_get_string_element (pair, 1), &origin))
        return bad_change (error, index, "k", _("must be [HLC, origin UUID] pairs"));
      if (!json_object_has_member (values, table->columns[c].name))
        return bad_change (error, index, table->columns[c].name, _("is missing from v"));

      /* The fields of a snapshot row, each with its own register, go in one run. */
      if (!run_add (self, run, table, row_id, c + 1,
                    json_object_get_member (values, table->columns[c].name),
                    (MotcuaHlc) json_array_get_int_element (pair, 0), &origin, 0, TRUE,
                    index, n_won, observer, user_data, error))
        return FALSE;
    }

  return run_flush (self, run, n_won, observer, user_data, error);
}

static gboolean
apply_one (MotcuaReplica        *self,
           FieldRun             *run,
           JsonNode             *node,
           guint                 index,
           guint                *n_won,
           MotcuaMergeObserver   observer,
           gpointer              user_data,
           GError              **error)
{
  static const char *const members[] = { "o", "s", "h", "t", "r", "c", "v", "p", NULL };
  static const char *const row_members[] = { "t", "r", "v", "k", "m", NULL };
  const MotcuaTableDesc *table;
  JsonObject *o;
  const char *text;
  MotcuaUuid origin_uuid, row_id;
  gint64 origin, seq, hlc, prev;
  JsonNode *column_node;
  gboolean snapshot;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return bad_change (error, index, "change", _("must be an object"));
  o = json_node_get_object (node);
  snapshot = !json_object_has_member (o, "o");

  {
    g_autoptr(GList) names = json_object_get_members (o);

    for (GList *l = names; l != NULL; l = l->next)
      if (!g_strv_contains (snapshot ? row_members : members, l->data))
        return bad_change (error, index, l->data, _("is not a field of a change"));
  }

  if ((table = _motcua_table_by_name (get_json_string (o, "t"))) == NULL)
    return bad_change (error, index, "t", _("“%s” is not a replicated table"),
                       get_json_string (o, "t") ? get_json_string (o, "t") : "");
  if ((text = get_json_string (o, "r")) == NULL || !motcua_uuid_parse (text, &row_id))
    return bad_change (error, index, "r", _("must be the row's UUID"));

  if (snapshot)
    return run_flush (self, run, n_won, observer, user_data, error)
           && apply_row (self, run, o, table, &row_id, index, n_won, observer, user_data,
                         error);

  if ((text = get_json_string (o, "o")) == NULL || !motcua_uuid_parse (text, &origin_uuid))
    return bad_change (error, index, "o", _("must be the origin replica's UUID"));
  if (!get_json_int (o, "s", 1, &seq))
    return bad_change (error, index, "s", _("must be a sequence number from 1"));
  if (!get_json_int (o, "h", 1, &hlc) || hlc > MOTCUA_HLC_LATEST)
    return bad_change (error, index, "h", _("must be an HLC timestamp"));
  if (!get_json_int (o, "p", 0, &prev) || prev > MOTCUA_HLC_LATEST)
    return bad_change (error, index, "p", _("must be the HLC of the overwritten value, or 0"));

  column_node = json_object_get_member (o, "c");

  if (table->insert_only)
    {
      gboolean won = FALSE;

      if (column_node == NULL || !JSON_NODE_HOLDS_NULL (column_node))
        return bad_change (error, index, "c", _("must be null for a row of %s"), table->name);
      if (!run_flush (self, run, n_won, observer, user_data, error))
        return FALSE;
      if (!_motcua_replica_origin_index (self, &origin_uuid, &origin, error))
        return FALSE;
      motcua_hlc_clock_observe (&self->clock, (MotcuaHlc) hlc, _motcua_replica_now_ms (self));
      if (!apply_insert_only (self, table, &row_id, o, index, &won, error))
        return FALSE;
      if (won)
        (*n_won)++;
      if (observer != NULL)
        {
          MotcuaMergeEvent event = { table, &row_id, 0, NULL, (MotcuaHlc) hlc, &origin_uuid,
                                     (MotcuaHlc) prev, NULL, won };

          return observer (self, &event, user_data, error);
        }
      return TRUE;
    }
  else
    {
      const char *column_name = get_json_string (o, "c");
      int column = column_name ? _motcua_table_column (table, column_name) : -1;

      if (column < 1)
        return bad_change (error, index, "c", _("“%s” is not a column of %s"),
                           column_name ? column_name : "", table->name);
      if (!json_object_has_member (o, "v"))
        return bad_change (error, index, "v", _("is missing: the new value"));

      return run_add (self, run, table, &row_id, (guint) column,
                      json_object_get_member (o, "v"), (MotcuaHlc) hlc, &origin_uuid,
                      (MotcuaHlc) prev, FALSE, index, n_won, observer, user_data, error);
    }
}

gboolean
_motcua_replica_apply_full (MotcuaReplica        *self,
                            JsonArray            *items,
                            guint                *n_won,
                            MotcuaMergeObserver   observer,
                            gpointer              user_data,
                            GError              **error)
{
  g_autofree FieldRun *run = g_new0 (FieldRun, 1);
  guint won = 0;

  if (!motcua_replica_begin (self, error))
    return FALSE;

  for (guint i = 0; i <= json_array_get_length (items); i++)
    if (!(i < json_array_get_length (items)
          ? apply_one (self, run, json_array_get_element (items, i), i, &won, observer,
                       user_data, error)
          : run_flush (self, run, &won, observer, user_data, error)))
      {
        motcua_replica_rollback (self);
        /* Merged changes never roll back alone: a failed batch is retried whole. */
        return FALSE;
      }

  if (!motcua_replica_commit (self, error))
    return FALSE;

  if (n_won != NULL)
    *n_won = won;

  return TRUE;
}

/* Merges changes from other replicas in one transaction: all or nothing. A change already seen,
 * or one that lost, changes nothing. Returns how many changed this replica in @n_won. */
gboolean
_motcua_replica_apply_changes (MotcuaReplica  *self,
                               JsonArray      *changes,
                               guint          *n_won,
                               GError        **error)
{
  return _motcua_replica_apply_full (self, changes, n_won, NULL, NULL, error);
}
