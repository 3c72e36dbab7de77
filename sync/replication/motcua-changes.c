/* motcua-changes.c: this replica's change log read back, and changes from others merged
 *
 * The log (motcua-capture.c writes it) is read back as the public MotcuaChange list and as the
 * typed items a push carries (motcua-wire.c encodes them); the items a pull or a push brings
 * are merged here, field by field, in one transaction.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-changes-private.h"
#include "motcua-workflow.h"

/* A row's values, kept in the batch of the item @user_data names. */
typedef struct
{
  MotcuaWireBatch *batch;
  MotcuaWireItem  *item;
} ReadRow;

static gboolean
read_row_keep (const MotcuaStoreRow  *row,
               gpointer               user_data,
               GError               **error)
{
  ReadRow *read = user_data;

  for (guint c = 0; c < read->item->table->n_columns; c++)
    read->item->values[c] = _motcua_wire_batch_keep (read->batch, &row->values[c], -1);

  return TRUE;
}

gboolean
_motcua_replica_read_row (MotcuaReplica          *self,
                          const MotcuaTableDesc  *table,
                          gint64                  rid,
                          MotcuaWireBatch        *batch,
                          MotcuaWireItem         *item,
                          GError                **error)
{
  ReadRow read = { batch, item };
  gboolean found;

  if (!_motcua_store_rows_read_values (self, table, rid, read_row_keep, &read, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                   _("%s is damaged: a logged row of %s is missing"), self->path, table->name);
      return FALSE;
    }

  return TRUE;
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

/* A walk of the log's changes: where it is, and what it hands them to. */
typedef struct
{
  MotcuaReplica     *self;
  guint64            after_seq;
  guint              limit;
  gboolean           whole_records;
  LoggedChangeFunc   func;
  gpointer           user_data;
  MotcuaHlc          last_hlc;
  guint              emitted;
} ChangeWalk;

static gboolean
walk_record (const MotcuaStoreLogRecord  *record,
             gpointer                     user_data,
             gboolean                    *stop,
             GError                     **error)
{
  ChangeWalk *walk = user_data;
  LoggedChange change = { 0 };
  const guint8 *p = record->fields;
  const guint8 *end = p + record->fields_size;
  guint n = record->n;

  change.seq = record->seq;
  change.hlc = record->hlc;

  /* Past the limit, whole records go on only to the end of one logical write: the records of
   * one operation share its HLC (a transfer writes the case and its event), and the server
   * judges them together. */
  if (walk->emitted >= walk->limit && change.hlc != walk->last_hlc)
    {
      *stop = TRUE;
      return TRUE;
    }
  walk->last_hlc = change.hlc;
  change.table = _motcua_table_lookup (record->table);
  change.rid = record->rid;
  change.row_id = record->row_id;

  /* A record made before the log named rows by UUID, whose row was purged once all of it
   * was acknowledged: it stays (a refusal may name it) but has nothing to show. */
  if (change.row_id == NULL && change.table != NULL
      && change.seq + n - 1 <= _motcua_replica_get_acked (walk->self))
    return TRUE;

  for (guint i = 0; i < n && (walk->emitted < walk->limit || walk->whole_records);
       i++, change.seq++)
    {
      if (p == NULL || change.table == NULL || change.row_id == NULL
          || !_motcua_change_fields_next (&p, end, &change.column, &change.prev_hlc,
                                          &change.value, &change.text_len)
          || change.column > change.table->n_columns)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                       _("The change log of %s is damaged at sequence number %llu"),
                       walk->self->path, (unsigned long long) change.seq);
          return FALSE;
        }
      if (change.seq <= walk->after_seq)
        continue;

      if (!walk->func (&change, walk->user_data, error))
        return FALSE;
      walk->emitted++;
    }
  *stop = walk->emitted >= walk->limit && !walk->whole_records;

  return TRUE;
}

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
  ChangeWalk walk = { self, after_seq, limit != 0 ? limit : G_MAXUINT, whole_records, func,
                      user_data, 0, 0 };

  return _motcua_store_log_foreach (self, after_seq, walk_record, &walk, error);
}

/* The public view: MotcuaChange, values as "mv" GVariants. */

void
motcua_change_free (MotcuaChange *change)
{
  if (change == NULL)
    return;

  g_free (change->origin);
  g_free (change->table);
  g_free (change->row_id);
  g_free (change->column);
  g_clear_pointer (&change->value, g_variant_unref);
  g_free (change);
}

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

/* The wire view: typed items, one per change. */

typedef struct
{
  MotcuaReplica   *self;
  MotcuaWireBatch *batch;
} CollectState;

/* The row a record of a timeline or a scan kept as JSON when it was purged with its case
 * (_motcua_replica_keep_logged_row()), into @item. */
static gboolean
read_kept_row (const char             *kept,
               gsize                   len,
               MotcuaWireBatch        *batch,
               MotcuaWireItem         *item,
               GError                **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!_motcua_wire_decode_row (batch, item, kept, len, &local_error))
    {
      char text[37];

      motcua_uuid_to_string (&item->row_id, text);
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                   _("The change log's copy of row %s of %s cannot be read"), text,
                   item->table->name);
      return FALSE;
    }

  return TRUE;
}

static gboolean
add_wire_change (const LoggedChange  *change,
                 gpointer             user_data,
                 GError             **error)
{
  CollectState *state = user_data;
  MotcuaWireItem *item = _motcua_wire_batch_add (state->batch, change->table, TRUE,
                                                 change->column);

  item->origin = state->self->uuid;
  item->seq = change->seq;
  item->hlc = change->hlc;
  item->prev = change->prev_hlc;
  memcpy (item->row_id.bytes, change->row_id, 16);

  if (change->column > 0)
    {
      item->values[0] = _motcua_wire_batch_keep (state->batch, &change->value,
                                                 (gssize) change->text_len);
      return TRUE;
    }
  /* A row of a timeline or a scan is its own value; one purged with its case left its values
   * in its record. (rid -1, a row gone with nothing kept, is reported as the damage it is.) */
  if (change->value.type == SQLITE_TEXT)
    return read_kept_row (change->value.s, change->text_len, state->batch, item, error);

  return _motcua_replica_read_row (state->self, change->table, change->rid, state->batch, item,
                                   error);
}

MotcuaWireBatch *
_motcua_replica_collect (MotcuaReplica  *self,
                         guint64         after_seq,
                         guint           limit,
                         GError        **error)
{
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_batch_new ();
  CollectState state = { self, batch };

  if (!foreach_change (self, after_seq, limit, TRUE, add_wire_change, &state, error))
    return NULL;

  return g_steal_pointer (&batch);
}

char *
_motcua_replica_collect_text (MotcuaReplica  *self,
                              guint64         after_seq,
                              guint           limit,
                              gboolean        compact,
                              guint          *n,
                              GError        **error)
{
  g_autoptr(MotcuaWireBatch) batch = _motcua_replica_collect (self, after_seq, limit, error);

  if (batch == NULL)
    return NULL;
  *n = _motcua_wire_batch_length (batch);

  return _motcua_wire_encode (batch, compact);
}

JsonArray *
_motcua_replica_collect_changes (MotcuaReplica  *self,
                                 guint64         after_seq,
                                 guint           limit,
                                 GError        **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  guint n;

  text = _motcua_replica_collect_text (self, after_seq, limit, FALSE, &n, error);
  if (text == NULL)
    return NULL;
  node = json_from_string (text, error);
  if (node == NULL)
    return NULL;

  return json_array_ref (json_node_get_array (node));
}

/* Applying */

gboolean
_motcua_replica_put_back_logged_row (MotcuaReplica          *self,
                                     const MotcuaTableDesc  *table,
                                     const MotcuaUuid       *id,
                                     const char             *kept,
                                     gboolean               *put,
                                     GError                **error)
{
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_batch_new ();
  MotcuaWireItem *item = _motcua_wire_batch_add (batch, table, FALSE, 0);
  const MotcuaValue *case_id;
  gboolean inserted;

  g_assert (self->tx_depth > 0);

  item->row_id = *id;
  if (!read_kept_row (kept, strlen (kept), batch, item, error))
    return FALSE;
  /* Not without its case. */
  *put = FALSE;
  case_id = _motcua_wire_item_get (item, "case_id");
  if (case_id == NULL || case_id->type != SQLITE_BLOB)
    return TRUE;
  if (!_motcua_store_scope_case_exists (self, (const MotcuaUuid *) (const void *) case_id->s, put,
                                        error))
    return FALSE;
  if (!*put)
    return TRUE;

  return _motcua_replica_merge_insert (self, table, id, item->values, &inserted, error);
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
  MotcuaUuid             origins[64];
  MotcuaHlc              prevs[64];
} FieldRun;

/* One application of items: the run being gathered, what won, who observes. */
typedef struct
{
  MotcuaReplica       *self;
  FieldRun             run;
  guint                n_won;
  MotcuaMergeObserver  observer;
  gpointer             user_data;
} Apply;

static gboolean
run_flush (Apply   *apply,
           GError **error)
{
  MotcuaReplica *self = apply->self;
  FieldRun *run = &apply->run;
  MotcuaRegister olds[G_N_ELEMENTS (run->fields)];
  gboolean won[G_N_ELEMENTS (run->fields)];
  gboolean ok;

  if (run->n == 0)
    return TRUE;

  memset (olds, 0, sizeof olds[0] * run->n);
  ok = _motcua_replica_merge_fields (self, run->table, &run->row_id, run->n, run->fields, won,
                                     apply->observer ? olds : NULL, error);

  /* The clock and the observer see the fields in order, as when they were merged one by one. */
  for (guint i = 0; i < run->n; i++)
    {
      if (ok)
        motcua_hlc_clock_observe (&self->clock, run->fields[i].hlc,
                                  _motcua_replica_now_ms (self));
      if (ok && apply->observer != NULL)
        {
          MotcuaMergeEvent event = { run->table, &run->row_id, run->fields[i].column,
                                     run->fields[i].value, run->fields[i].hlc,
                                     run->fields[i].origin_uuid, run->prevs[i], &olds[i],
                                     won[i] };

          ok = apply->observer (self, &event, apply->user_data, error);
        }
      _motcua_register_clear (&olds[i]);

      if (ok && won[i])
        {
          apply->n_won++;
          if (run->table->id == MOTCUA_TABLE_CALENDAR || run->table->id == MOTCUA_TABLE_PROCEDURES)
            _motcua_replica_drop_caches (self);
        }
    }

  run->n = 0;
  run->columns = 0;

  return ok;
}

/* Adds the field @column of @item (a change, or a snapshot row with its register @reg) to the
 * run, merging what the run held first if the field is not of its row write (a snapshot row's
 * fields each have their own register, and go in one run). */
static gboolean
run_add (Apply                     *apply,
         const MotcuaWireItem      *item,
         guint                      column,
         const MotcuaRowRegister  *reg,
         GError                   **error)
{
  FieldRun *run = &apply->run;
  const MotcuaUuid *origin = reg != NULL ? &reg->origin : &item->origin;
  MotcuaHlc hlc = reg != NULL ? reg->hlc : item->hlc;
  guint64 bit = G_GUINT64_CONSTANT (1) << (column - 1);
  MotcuaFieldWrite *field;
  guint i;

  if (run->n > 0
      && (run->table != item->table || (run->columns & bit) != 0
          || memcmp (run->row_id.bytes, item->row_id.bytes, 16) != 0
          || (reg == NULL && (memcmp (run->origins[0].bytes, origin->bytes, 16) != 0
                              || run->fields[0].hlc != hlc)))
      && !run_flush (apply, error))
    return FALSE;

  i = run->n;
  field = &run->fields[i];
  if (!_motcua_replica_origin_index (apply->self, origin, &field->origin, error))
    return FALSE;

  run->table = item->table;
  run->row_id = item->row_id;
  run->origins[i] = *origin;
  run->prevs[i] = reg != NULL ? 0 : item->prev;
  field->column = column;
  field->value = reg != NULL ? &item->values[column - 1] : &item->values[0];
  field->hlc = hlc;
  field->origin_uuid = &run->origins[i];
  run->columns |= bit;
  run->n++;

  return TRUE;
}

/* Repairing from a state transfer: the field goes back to never written (no value, HLC 0),
 * unless it holds a change of ours the server has not acknowledged. */
static gboolean
clear_field (Apply                 *apply,
             const MotcuaWireItem  *item,
             guint                  column,
             GError               **error)
{
  static const MotcuaUuid nil = { { 0 } };
  MotcuaValue none = MOTCUA_VALUE_NULL;
  gboolean won = FALSE;

  if (item->table->columns[column - 1].kind == MOTCUA_COL_STATUS)
    return TRUE;   /* always written: a row has a status from its first write */
  if (!_motcua_replica_merge_field (apply->self, item->table, &item->row_id, column, &none, 0, 0,
                                    &nil, &won, NULL, error))
    return FALSE;
  if (won)
    apply->n_won++;

  return TRUE;
}

/* A whole row of an insert-only table: merge is union. */
static gboolean
apply_insert_only (Apply                 *apply,
                   const MotcuaWireItem  *item,
                   GError               **error)
{
  MotcuaReplica *self = apply->self;
  gboolean won = FALSE;
  gint64 origin;

  if (item->is_change)
    {
      if (!_motcua_replica_origin_index (self, &item->origin, &origin, error))
        return FALSE;
      motcua_hlc_clock_observe (&self->clock, item->hlc, _motcua_replica_now_ms (self));
    }
  if (!_motcua_replica_merge_insert (self, item->table, &item->row_id, item->values, &won,
                                     error))
    return FALSE;
  if (won)
    apply->n_won++;
  if (apply->observer != NULL && item->is_change)
    {
      MotcuaMergeEvent event = { item->table, &item->row_id, 0, NULL, item->hlc, &item->origin,
                                 item->prev, NULL, won };

      return apply->observer (self, &event, apply->user_data, error);
    }

  return TRUE;
}

static gboolean
apply_one (Apply                 *apply,
           const MotcuaWireItem  *item,
           GError               **error)
{
  if (item->column > 0)
    return run_add (apply, item, item->column, NULL, error);
  if (!run_flush (apply, error))
    return FALSE;
  if (item->table->insert_only)
    return apply_insert_only (apply, item, error);

  /* A snapshot row of a table of registers. A field never written on the server: a value of
   * ours there that the server acknowledged (it refused it) gives way too. */
  for (guint c = 0; c < item->table->n_columns; c++)
    {
      const MotcuaRowRegister *reg = &item->registers[c];

      if (!(reg->written ? run_add (apply, item, c + 1, reg, error)
                         : !apply->self->repairing || clear_field (apply, item, c + 1, error)))
        return FALSE;
    }

  return run_flush (apply, error);
}

gboolean
_motcua_replica_apply_items (MotcuaReplica         *self,
                             MotcuaWireItem *const *items,
                             guint                  n_items,
                             guint                 *n_won,
                             MotcuaMergeObserver    observer,
                             gpointer               user_data,
                             GError               **error)
{
  g_autofree Apply *apply = g_new0 (Apply, 1);

  apply->self = self;
  apply->observer = observer;
  apply->user_data = user_data;

  if (!motcua_replica_begin (self, error))
    return FALSE;

  for (guint i = 0; i <= n_items; i++)
    if (!(i < n_items ? apply_one (apply, items[i], error) : run_flush (apply, error)))
      {
        motcua_replica_rollback (self);
        /* Merged changes never roll back alone: a failed batch is retried whole. */
        return FALSE;
      }

  if (!motcua_replica_commit (self, error))
    return FALSE;

  if (n_won != NULL)
    *n_won = apply->n_won;

  return TRUE;
}

gboolean
_motcua_replica_apply_batch (MotcuaReplica    *self,
                             MotcuaWireBatch  *batch,
                             guint            *n_won,
                             GError          **error)
{
  guint n = _motcua_wire_batch_length (batch);
  g_autofree MotcuaWireItem **items = g_new (MotcuaWireItem *, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    items[i] = _motcua_wire_batch_item (batch, i);

  return _motcua_replica_apply_items (self, items, n, n_won, NULL, NULL, error);
}

/* Merges changes from other replicas in one transaction: all or nothing. A change already seen,
 * or one that lost, changes nothing. Returns how many changed this replica in @n_won. */
gboolean
_motcua_replica_apply_changes (MotcuaReplica  *self,
                               JsonArray      *changes,
                               guint          *n_won,
                               GError        **error)
{
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_decode_array (changes, FALSE, FALSE, error);

  return batch != NULL && _motcua_replica_apply_batch (self, batch, n_won, error);
}
