/* motcua-conflicts.c: conflicts as this replica holds them, and their resolution (the changes
 * the server refused are in motcua-rejected.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-conflicts.h"
#include "motcua-error.h"
#include "motcua-cases-private.h"
#include "motcua-text.h"

static void
side_clear (MotcuaConflictSide *side)
{
  g_free (side->value);
  g_free (side->at);
  g_free (side->replica);
  g_free (side->office);
}

static void
side_copy (MotcuaConflictSide       *to,
           const MotcuaConflictSide *from)
{
  to->value = g_strdup (from->value);
  to->hlc = from->hlc;
  to->at = g_strdup (from->at);
  to->replica = g_strdup (from->replica);
  to->office = g_strdup (from->office);
}

MotcuaConflict *
motcua_conflict_copy (const MotcuaConflict *self)
{
  MotcuaConflict *copy = g_new0 (MotcuaConflict, 1);

  copy->id = g_strdup (self->id);
  copy->table = g_strdup (self->table);
  copy->row_id = g_strdup (self->row_id);
  copy->column = g_strdup (self->column);
  copy->case_id = g_strdup (self->case_id);
  copy->receipt_no = g_strdup (self->receipt_no);
  side_copy (&copy->a, &self->a);
  side_copy (&copy->b, &self->b);
  copy->winner = self->winner;
  copy->detected_at = g_strdup (self->detected_at);
  copy->resolved = self->resolved;
  copy->resolution = g_strdup (self->resolution);
  copy->resolved_by = g_strdup (self->resolved_by);
  copy->resolved_at = g_strdup (self->resolved_at);

  return copy;
}

void
motcua_conflict_free (MotcuaConflict *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->table);
  g_free (self->row_id);
  g_free (self->column);
  g_free (self->case_id);
  g_free (self->receipt_no);
  side_clear (&self->a);
  side_clear (&self->b);
  g_free (self->detected_at);
  g_free (self->resolution);
  g_free (self->resolved_by);
  g_free (self->resolved_at);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (MotcuaConflict, motcua_conflict, motcua_conflict_copy, motcua_conflict_free)

/* A value as stored in a conflict (JSON) as text for people: NULL for no value. */
static char *
display_value (const char *json)
{
  g_autoptr(JsonNode) node = json != NULL ? json_from_string (json, NULL) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  return g_strdup (json);
}

static char *
uuid_text (const MotcuaUuid *id)
{
  char *text;

  if (id == NULL)
    return NULL;
  text = g_malloc (37);
  motcua_uuid_to_string (id, text);

  return text;
}

static void
side_from_row (MotcuaConflictSide            *side,
               const MotcuaStoreConflictSide *row)
{
  side->value = display_value (row->value);
  side->hlc = row->hlc;
  side->at = motcua_datetime_from_unix_ms (motcua_hlc_get_ms (side->hlc));
  side->replica = uuid_text (row->replica);
  side->office = g_strdup (row->office);
}

static gboolean
add_conflict (const MotcuaStoreConflictRow  *row,
              gpointer                       user_data,
              GError                       **error)
{
  MotcuaConflict *k = g_new0 (MotcuaConflict, 1);

  k->id = uuid_text (row->id);
  k->table = g_strdup (row->table);
  k->row_id = uuid_text (row->row_id);
  k->column = g_strdup (row->column);
  k->case_id = uuid_text (row->case_id);
  k->receipt_no = g_strdup (row->receipt_no);
  side_from_row (&k->a, &row->a);
  side_from_row (&k->b, &row->b);
  /* The merge's winner: the greater (HLC, replica). */
  k->winner = k->a.hlc != k->b.hlc ? (k->a.hlc > k->b.hlc ? 'a' : 'b')
              : (g_strcmp0 (k->a.replica, k->b.replica) > 0 ? 'a' : 'b');
  k->detected_at = g_strdup (row->detected_at);
  k->resolved = row->resolved;
  k->resolution = display_value (row->resolution);
  k->resolved_by = g_strdup (row->resolved_by);
  k->resolved_at = g_strdup (row->resolved_at);
  g_ptr_array_add (user_data, k);

  return TRUE;
}

GPtrArray *
motcua_replica_list_conflicts (MotcuaReplica  *self,
                               gboolean        include_resolved,
                               GError        **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                             motcua_conflict_free);

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (!_motcua_store_conflicts_each (self, include_resolved, add_conflict, out, error))
    return NULL;

  return g_steal_pointer (&out);
}

gint64
motcua_replica_count_conflicts (MotcuaReplica  *self,
                                GError        **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), -1);

  return _motcua_store_conflicts_count_open (self, error);
}

MotcuaConflict *
motcua_replica_dup_conflict (MotcuaReplica  *self,
                             const char     *id,
                             GError        **error)
{
  g_autoptr(GPtrArray) all = NULL;
  MotcuaConflict *found = NULL;
  g_autofree char *prefix = g_ascii_strdown (id ? id : "", -1);

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (strlen (prefix) < 8)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("conflict: give its id, or at least its first 8 characters"));
      return NULL;
    }
  all = motcua_replica_list_conflicts (self, TRUE, error);
  if (all == NULL)
    return NULL;
  for (guint i = 0; i < all->len; i++)
    {
      MotcuaConflict *k = all->pdata[i];

      if (!g_str_has_prefix (k->id, prefix))
        continue;
      if (found != NULL)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("conflict: “%s” names more than one; give more of its id"), id);
          return NULL;
        }
      found = k;
    }
  if (found == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                   _("conflict “%s” is not in this replica"), id);
      return NULL;
    }

  return motcua_conflict_copy (found);
}

static gboolean
resolve_in_tx (MotcuaReplica         *self,
               const MotcuaConflict  *k,
               MotcuaResolution       how,
               const char            *value,
               GError               **error)
{
  const MotcuaTableDesc *conflicts = _motcua_table_lookup (MOTCUA_TABLE_CONFLICTS);
  const MotcuaTableDesc *table = _motcua_table_by_name (k->table);
  int column = table ? _motcua_table_column (table, k->column) : -1;
  g_autofree char *now = _motcua_replica_now_iso (self);
  g_autofree char *chosen_json = NULL;
  g_autoptr(JsonNode) chosen = NULL;
  MotcuaValue values[18];
  MotcuaUuid id, row;
  MotcuaHlc hlc;

  if (table == NULL || column < 1 || !motcua_uuid_parse (k->id, &id)
      || !motcua_uuid_parse (k->row_id, &row))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                   _("conflict %s names a field this build does not know"), k->id);
      return FALSE;
    }

  if (how == MOTCUA_RESOLVE_VALUE)
    {
      if (value == NULL)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("value: give the new value of %s"), k->column);
          return FALSE;
        }
      chosen = json_node_init_string (json_node_alloc (), value);
    }
  else
    {
      chosen_json = _motcua_store_conflicts_dup_side_value (self, &id,
                                                            how == MOTCUA_RESOLVE_KEEP_A
                                                            ? 'a' : 'b');
      chosen = chosen_json ? json_from_string (chosen_json, NULL) : NULL;
      if (chosen == NULL)
        chosen = json_node_init_null (json_node_alloc ());
      /* A side is one field's value; anything else came from a replica that wrote nonsense. */
      if (!JSON_NODE_HOLDS_NULL (chosen)
          && (!JSON_NODE_HOLDS_VALUE (chosen)
              || (json_node_get_value_type (chosen) != G_TYPE_STRING
                  && json_node_get_value_type (chosen) != G_TYPE_INT64)))
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("The kept value of conflict %s is not a value of %s: type a new"
                         " value instead"), k->id, k->column);
          return FALSE;
        }
    }
  g_free (chosen_json);
  chosen_json = json_to_string (chosen, FALSE);

  /* First the conflict closes, then the field takes the chosen value: the server sees the
   * write after the conflict is resolved, so it continues nothing. */
  for (guint c = 0; c < G_N_ELEMENTS (values); c++)
    values[c] = MOTCUA_VALUE_NULL;
  values[13] = MOTCUA_VALUE_INT (1);
  values[14] = MOTCUA_VALUE_TEXT (chosen_json);
  values[15] = MOTCUA_VALUE_TEXT (self->officer ? self->officer : self->id);
  values[16] = MOTCUA_VALUE_TEXT (now);
  hlc = _motcua_replica_tick (self);
  if (!_motcua_replica_write_row (self, conflicts, &id, values, 0xf << 13, MOTCUA_WRITE_LOCAL,
                                  hlc, NULL, error))
    return FALSE;

  /* Checked like any edit of the field; its event names the conflict. */
  if (table->id == MOTCUA_TABLE_CASES && how == MOTCUA_RESOLVE_VALUE)
    return _motcua_case_edit_in_tx (self, k->row_id, k->column, value, NULL, &id, error);

  {
    MotcuaValue field[64];
    MotcuaUuid id_value;
    const MotcuaColumnDesc *desc = &table->columns[column - 1];

    for (guint c = 0; c < table->n_columns; c++)
      field[c] = MOTCUA_VALUE_NULL;
    if (JSON_NODE_HOLDS_NULL (chosen))
      field[column - 1] = MOTCUA_VALUE_NULL;
    else if (desc->kind == MOTCUA_COL_INT)
      {
        gint64 n;

        if (json_node_get_value_type (chosen) == G_TYPE_INT64)
          n = json_node_get_int (chosen);
        else if (!g_ascii_string_to_signed (json_node_get_string (chosen), 10, G_MININT64,
                                            G_MAXINT64, &n, NULL))
          {
            g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                         _("value: %s takes a whole number"), k->column);
            return FALSE;
          }
        field[column - 1] = MOTCUA_VALUE_INT (n);
      }
    else if (desc->kind == MOTCUA_COL_ID)
      {
        if (json_node_get_value_type (chosen) != G_TYPE_STRING
            || !motcua_uuid_parse (json_node_get_string (chosen), &id_value))
          {
            g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                         _("value: %s takes an id"), k->column);
            return FALSE;
          }
        field[column - 1] = MOTCUA_VALUE_ID (&id_value);
      }
    else if (json_node_get_value_type (chosen) == G_TYPE_STRING)
      field[column - 1] = MOTCUA_VALUE_TEXT (json_node_get_string (chosen));
    else
      {
        g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("value: %s takes text"),
                     k->column);
        return FALSE;
      }

    /* Keeping the other handling office moves the case like a transfer: it may leave this
     * replica's scope, to be purged once the server has acknowledged it (found by
     * test-converge, seed 5510: a commune kept the district's side and held the case for
     * good). */
    hlc = _motcua_replica_tick (self);
    if (!_motcua_replica_write_row (self, table, &row, field,
                                    G_GUINT64_CONSTANT (1) << (column - 1), MOTCUA_WRITE_LOCAL,
                                    hlc, NULL, error))
      return FALSE;
    if (table->id != MOTCUA_TABLE_CASES)
      return TRUE;
    /* The case's timeline says which side was kept, in the same write. */
    {
      g_autofree char *kept = NULL;
      MotcuaEventFacts facts = { .field = k->column, .ref = &id };
      char id_text[37];

      if (field[column - 1].type == SQLITE_INTEGER)
        kept = g_strdup_printf ("%" G_GINT64_FORMAT, field[column - 1].i);
      else if (field[column - 1].type == SQLITE_BLOB)
        {
          motcua_uuid_to_string (&id_value, id_text);
          kept = g_strdup (id_text);
        }
      else
        kept = g_strdup (field[column - 1].s);
      facts.new_value = kept;
      if (!_motcua_replica_add_case_event (self, &row, hlc, NULL, "conflict_resolved", &facts,
                                           NULL, error))
        return FALSE;
    }
    return strcmp (k->column, "handling_office_id") != 0
           || _motcua_replica_meta_set_int (self, "purge_due", 1, error);
  }
}

gboolean
motcua_replica_resolve_conflict (MotcuaReplica     *self,
                                 const char        *id,
                                 MotcuaResolution   how,
                                 const char        *value,
                                 GError           **error)
{
  g_autoptr(MotcuaConflict) k = NULL;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  /* The conflict is read under the write lock: another process on the same file (the server
   * merging a desk's resolution, an administrator beside it) may have resolved it since. */
  if (!motcua_replica_begin (self, error))
    return FALSE;
  k = motcua_replica_dup_conflict (self, id, error);
  if (k != NULL && k->resolved)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("conflict %.8s is resolved already"), k->id);
      g_clear_pointer (&k, motcua_conflict_free);
    }

  return _motcua_replica_finish (self, k != NULL && resolve_in_tx (self, k, how, value, error),
                                 error);
}
