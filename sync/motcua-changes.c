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

static JsonNode *
value_to_json (const MotcuaValue *value,
               gsize              text_len)
{
  switch (value->type)
    {
    case SQLITE_INTEGER:
      return json_node_init_int (json_node_alloc (), value->i);
    case SQLITE_TEXT:
      {
        g_autofree char *text = text_len ? g_strndup (value->s, text_len) : g_strdup (value->s);

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

static JsonObject *
insert_only_row (MotcuaReplica          *self,
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
      MotcuaValue v = MOTCUA_VALUE_NULL;

      switch (sqlite3_column_type (stmt, (int) c))
        {
        case SQLITE_INTEGER:
          v = MOTCUA_VALUE_INT (sqlite3_column_int64 (stmt, (int) c));
          break;
        case SQLITE_TEXT:
          v = MOTCUA_VALUE_TEXT ((const char *) sqlite3_column_text (stmt, (int) c));
          break;
        case SQLITE_BLOB:
          if (sqlite3_column_bytes (stmt, (int) c) == 16)
            {
              v.type = SQLITE_BLOB;
              v.s = sqlite3_column_blob (stmt, (int) c);
            }
          break;
        default:
          break;
        }
      if (v.type != SQLITE_NULL)
        json_object_set_member (row, table->columns[c].name, value_to_json (&v, 0));
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&row);
}

JsonArray *
_motcua_replica_collect_changes (MotcuaReplica  *self,
                                 guint64         after_seq,
                                 guint           limit,
                                 GError        **error)
{
  g_autoptr(JsonArray) out = json_array_new ();
  sqlite3_stmt *stmt;
  int rc = SQLITE_ROW;

  if (limit == 0)
    limit = G_MAXUINT;

  stmt = _motcua_replica_prepare (self,
                                  "SELECT seq, n, hlc, tbl, row, fields FROM changes"
                                  " WHERE origin = ?1 AND seq > ?2 - 64 AND seq + n > ?2 + 1"
                                  " ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, self->self_origin);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) after_seq);

  while (json_array_get_length (out) < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint64 seq = (guint64) sqlite3_column_int64 (stmt, 0);
      guint n = (guint) sqlite3_column_int (stmt, 1);
      MotcuaHlc hlc = (MotcuaHlc) sqlite3_column_int64 (stmt, 2);
      const MotcuaTableDesc *table = _motcua_table_lookup (sqlite3_column_int (stmt, 3));
      gint64 rid = sqlite3_column_int64 (stmt, 4);
      g_autofree guint8 *fields = g_memdup2 (sqlite3_column_blob (stmt, 5),
                                             (gsize) sqlite3_column_bytes (stmt, 5));
      const guint8 *p = fields;
      const guint8 *end = fields + sqlite3_column_bytes (stmt, 5);
      g_autofree char *id_sql = NULL;
      sqlite3_stmt *id_stmt;
      char row_id[37];

      if (table == NULL)
        goto damaged;

      /* The record's statement is still stepping: read the row's id with another one. */
      id_sql = g_strdup_printf ("SELECT id FROM %s WHERE rid = ?1", table->name);
      id_stmt = _motcua_replica_prepare_text (self, id_sql, error);
      if (id_stmt == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      sqlite3_bind_int64 (id_stmt, 1, rid);
      if (sqlite3_step (id_stmt) != SQLITE_ROW || sqlite3_column_bytes (id_stmt, 0) != 16)
        {
          sqlite3_reset (id_stmt);
          goto damaged;
        }
      motcua_uuid_to_string (sqlite3_column_blob (id_stmt, 0), row_id);
      sqlite3_reset (id_stmt);

      for (guint i = 0; i < n && json_array_get_length (out) < limit; i++, seq++)
        {
          g_autoptr(JsonObject) change = NULL;
          MotcuaValue value;
          MotcuaHlc prev_hlc;
          guint column;
          gsize text_len;

          if (p == NULL || !_motcua_change_fields_next (&p, end, &column, &prev_hlc, &value,
                                                        &text_len)
              || column > table->n_columns)
            goto damaged;
          if (seq <= after_seq)
            continue;

          change = json_object_new ();
          json_object_set_string_member (change, "o", self->id);
          json_object_set_int_member (change, "s", (gint64) seq);
          json_object_set_int_member (change, "h", (gint64) hlc);
          json_object_set_string_member (change, "t", table->name);
          json_object_set_string_member (change, "r", row_id);
          if (column == 0)
            {
              JsonObject *row = insert_only_row (self, table, rid, error);

              if (row == NULL)
                {
                  sqlite3_reset (stmt);
                  return NULL;
                }
              json_object_set_null_member (change, "c");
              json_object_set_object_member (change, "v", row);
            }
          else
            {
              json_object_set_string_member (change, "c", table->columns[column - 1].name);
              json_object_set_member (change, "v", value_to_json (&value, text_len));
            }
          json_object_set_int_member (change, "p", (gint64) prev_hlc);
          json_array_add_object_element (out, g_steal_pointer (&change));
        }
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&out);

damaged:
  sqlite3_reset (stmt);
  g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
               _("The change log of %s is damaged"), self->path);
  return NULL;
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

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("change %u: %s: %s"), index, field,
               message);

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

static const char *
get_json_string (JsonObject *o,
                 const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
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
      *out = MOTCUA_VALUE_TEXT (json_node_get_string (node));
      return TRUE;
    }
}

static gboolean
apply_one (MotcuaReplica  *self,
           JsonNode       *node,
           guint           index,
           guint          *n_won,
           GError        **error)
{
  static const char *const members[] = { "o", "s", "h", "t", "r", "c", "v", "p", NULL };
  const MotcuaTableDesc *table;
  JsonObject *o;
  const char *text;
  MotcuaUuid origin_uuid, row_id;
  gint64 origin, seq, hlc, prev;
  JsonNode *column_node;
  gboolean won = FALSE;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return bad_change (error, index, "change", _("must be an object"));
  o = json_node_get_object (node);

  {
    g_autoptr(GList) names = json_object_get_members (o);

    for (GList *l = names; l != NULL; l = l->next)
      if (!g_strv_contains (members, l->data))
        return bad_change (error, index, l->data, _("is not a field of a change"));
  }

  if ((text = get_json_string (o, "o")) == NULL || !motcua_uuid_parse (text, &origin_uuid))
    return bad_change (error, index, "o", _("must be the origin replica's UUID"));
  if (!get_json_int (o, "s", 1, &seq))
    return bad_change (error, index, "s", _("must be a sequence number from 1"));
  if (!get_json_int (o, "h", 1, &hlc))
    return bad_change (error, index, "h", _("must be an HLC timestamp"));
  if (!get_json_int (o, "p", 0, &prev))
    return bad_change (error, index, "p", _("must be the HLC of the overwritten value, or 0"));
  if ((table = _motcua_table_by_name (get_json_string (o, "t"))) == NULL)
    return bad_change (error, index, "t", _("“%s” is not a replicated table"),
                       get_json_string (o, "t") ? get_json_string (o, "t") : "");
  if ((text = get_json_string (o, "r")) == NULL || !motcua_uuid_parse (text, &row_id))
    return bad_change (error, index, "r", _("must be the row's UUID"));

  column_node = json_object_get_member (o, "c");

  if (!_motcua_replica_origin_index (self, &origin_uuid, &origin, error))
    return FALSE;
  motcua_hlc_clock_observe (&self->clock, (MotcuaHlc) hlc, _motcua_replica_now_ms (self));

  if (table->insert_only)
    {
      MotcuaValue values[16];
      MotcuaUuid ids[16];
      JsonNode *row_node = json_object_get_member (o, "v");
      JsonObject *row;
      gboolean inserted;

      if (column_node == NULL || !JSON_NODE_HOLDS_NULL (column_node))
        return bad_change (error, index, "c", _("must be null for a row of %s"), table->name);
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

      if (!_motcua_replica_merge_insert (self, table, &row_id, values, &inserted, error))
        return FALSE;
      won = inserted;
    }
  else
    {
      MotcuaValue value;
      MotcuaUuid id_value;
      const char *column_name = get_json_string (o, "c");
      int column = column_name ? _motcua_table_column (table, column_name) : -1;

      if (column < 1)
        return bad_change (error, index, "c", _("“%s” is not a column of %s"),
                           column_name ? column_name : "", table->name);
      if (!json_to_value (json_object_get_member (o, "v"), &table->columns[column - 1], &value,
                          &id_value, index, error))
        return FALSE;

      if (!_motcua_replica_merge_field (self, table, &row_id, (guint) column, &value,
                                        (MotcuaHlc) hlc, origin, &origin_uuid, &won, error))
        return FALSE;
    }

  if (won)
    {
      (*n_won)++;
      if (table->id == MOTCUA_TABLE_CALENDAR || table->id == MOTCUA_TABLE_PROCEDURES)
        _motcua_replica_drop_caches (self);
    }

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
  guint won = 0;

  if (!motcua_replica_begin (self, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    if (!apply_one (self, json_array_get_element (changes, i), i, &won, error))
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
