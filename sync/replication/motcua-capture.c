/* motcua-capture.c: field-level change capture, and the merge of others' changes
 *
 * Every write of a replicated row goes through here. In the caller's transaction it writes the
 * row and appends one change per field whose value changed: origin, sequence number, HLC, table,
 * row, column, new value and the HLC of the value it overwrote. Each row keeps, per column, the
 * (HLC, origin) of the write its current value came from: the field's register, against which
 * a change from another replica is merged (last writer wins by HLC, then origin). The rows as
 * stored are motcua-rows.c's; the log's records, motcua-log-records.c's.
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

/* Whether the text values of @mask in @values are at most MOTCUA_MAX_TEXT_BYTES long. */
static gboolean
check_text_lengths (const MotcuaTableDesc  *table,
                    const MotcuaValue      *values,
                    guint64                 mask,
                    GError                **error)
{
  for (guint c = 0; c < table->n_columns; c++)
    if ((mask & (G_GUINT64_CONSTANT (1) << c)) != 0 && values[c].type == SQLITE_TEXT
        && strlen (values[c].s) > MOTCUA_MAX_TEXT_BYTES)
      {
        g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                     _("%s.%s is longer than %u bytes"), table->name, table->columns[c].name,
                     (guint) MOTCUA_MAX_TEXT_BYTES);
        return FALSE;
      }

  return TRUE;
}

gboolean
_motcua_replica_write_row (MotcuaReplica         *self,
                           const MotcuaTableDesc *table,
                           const MotcuaUuid      *id,
                           const MotcuaValue     *values,
                           guint64                mask,
                           MotcuaWriteMode        mode,
                           MotcuaHlc              hlc,
                           gint64                *rid_out,
                           GError               **error)
{
  RowState row;
  MotcuaHlc prev_hlc[64];
  guint64 changed_mask = 0;
  gboolean changed = FALSE;
  gboolean ok = FALSE;

  g_assert (self->tx_depth > 0);
  g_assert (!table->insert_only);

  if (mode != MOTCUA_WRITE_SEED && !check_text_lengths (table, values, mask, error))
    return FALSE;
  if (!_motcua_row_read (self, table, id, mode == MOTCUA_WRITE_NEW, &row, error))
    goto out;

  for (guint c = 0; c < table->n_columns; c++)
    {
      if ((mask & (G_GUINT64_CONSTANT (1) << c)) == 0)
        continue;
      if (_motcua_value_equal (&row.current[c].value, &values[c]))
        continue;

      prev_hlc[c] = row.clocks.hlc[c];

      /* Reference data loaded from a file never overrides a real write. */
      if (mode == MOTCUA_WRITE_SEED)
        {
          if (prev_hlc[c] != 0)
            continue;
          _motcua_row_set (&row, c, &values[c], 0, 0);
        }
      else
        {
          _motcua_row_set (&row, c, &values[c], hlc, (guint32) self->self_origin);
          changed_mask |= G_GUINT64_CONSTANT (1) << c;
        }
      changed = TRUE;
    }

  /* The row's last local change is the one logged last below. */
  if ((changed || !row.exists)
      && !_motcua_row_store (self, &row, id,
                     changed_mask != 0
                     ? self->seq + (guint) __builtin_popcountll (changed_mask) : 0,
                     error))
    goto out;

  /* One change per changed field, numbered in column order, in one record. */
  if (changed_mask != 0)
    {
      g_autoptr(GByteArray) fields = g_byte_array_sized_new (256);

      for (guint c = 0; c < table->n_columns; c++)
        if ((changed_mask & (G_GUINT64_CONSTANT (1) << c)) != 0)
          _motcua_change_put (fields, c + 1, prev_hlc[c], &values[c]);
      if (!_motcua_replica_log_record (self, table->id, id, (guint) __builtin_popcountll (changed_mask),
                       fields, hlc, error))
        goto out;
    }

  if (rid_out != NULL)
    *rid_out = row.rid;
  ok = TRUE;

out:
  _motcua_row_state_clear (&row);

  return ok;
}

/* The merge of remote changes: every replica that has seen the same set of changes holds the
 * same state, whatever order, duplication or batching they came in (DESIGN.md, Merge).
 *
 * An ordinary field is a register: the write with the greatest (HLC, origin) wins. The status
 * wins by (generation, rank) first, so a stale concurrent edit cannot reopen a resolved case.
 * Comparing is strict, so a change seen twice changes nothing the second time. Returns in @won
 * whether the change now holds the field. */
gboolean
_motcua_replica_merge_fields (MotcuaReplica          *self,
                              const MotcuaTableDesc  *table,
                              const MotcuaUuid       *id,
                              guint                   n_fields,
                              const MotcuaFieldWrite *fields,
                              gboolean               *won,
                              MotcuaRegister         *olds,
                              GError                **error)
{
  RowState row;
  gboolean existed, stored = FALSE;
  gboolean ok = FALSE;

  g_assert (self->tx_depth > 0);
  g_assert (!table->insert_only);

  for (guint i = 0; i < n_fields; i++)
    won[i] = FALSE;

  if (!_motcua_row_read (self, table, id, FALSE, &row, error))
    goto out;
  existed = row.exists;

  for (guint i = 0; i < n_fields; i++)
    {
      const MotcuaValue *value = fields[i].value;
      MotcuaHlc hlc = fields[i].hlc;
      guint c = fields[i].column - 1;
      int order = 0;

      g_assert (fields[i].column >= 1 && fields[i].column <= table->n_columns);

      if (olds != NULL)
        {
          MotcuaRegister *old = &olds[i];

          /* As merging the fields one by one would have found it: the row exists once a field
           * before this one won. */
          old->exists = existed || stored;
          old->hlc = row.clocks.hlc[c];
          memset (&old->origin, 0, sizeof old->origin);
          if (row.clocks.origin[c] != 0
              && !_motcua_replica_origin_uuid (self, row.clocks.origin[c], &old->origin, error))
            goto out;
          old->value = row.current[c].value;
          old->owned = g_steal_pointer (&row.current[c].owned);
          row.current[c].value = old->value;   /* still valid: old owns the bytes */
        }

      if (table->columns[c].kind == MOTCUA_COL_STATUS
          && row.current[c].value.type == SQLITE_TEXT)
        {
          MotcuaStatusKey mine, theirs;

          if (motcua_status_key_decode (row.current[c].value.s, &mine)
              && motcua_status_key_decode (value->s, &theirs))
            order = motcua_status_key_compare (&theirs, &mine);
        }

      if (order == 0)
        {
          MotcuaHlc mine_hlc = row.clocks.hlc[c];
          MotcuaUuid mine_origin = { { 0 } };

          /* A register never written (or loaded from a file: HLC 0) loses to any real write. */
          if (mine_hlc != hlc)
            order = hlc > mine_hlc ? 1 : -1;
          else
            {
              if (row.clocks.origin[c] != 0
                  && !_motcua_replica_origin_uuid (self, row.clocks.origin[c], &mine_origin,
                                                   error))
                goto out;
              order = memcmp (fields[i].origin_uuid->bytes, mine_origin.bytes, 16);
            }
        }

      /* A state transfer is the server's word on everything it acknowledged: a register of
       * ours that is ahead of it (a change re-stamped after the server had taken the first
       * stamp) gives way, unless it holds a change the server has not acknowledged yet. */
      if (self->repairing && order < 0
          && !((gint64) row.clocks.origin[c] == self->self_origin
               && row.clocks.hlc[c] >= self->repair_pending_from))
        order = 1;

      if (order > 0)
        {
          _motcua_row_set (&row, c, value, hlc, (guint32) fields[i].origin);
          won[i] = TRUE;
          stored = TRUE;
        }
    }

  /* Once for all the fields: one UPDATE (or INSERT) and one full-text update per row. */
  if (stored && !_motcua_row_store (self, &row, id, 0, error))
    goto out;

  ok = TRUE;

out:
  _motcua_row_state_clear (&row);

  return ok;
}

gboolean
_motcua_replica_merge_field (MotcuaReplica         *self,
                             const MotcuaTableDesc *table,
                             const MotcuaUuid      *id,
                             guint                  column,
                             const MotcuaValue     *value,
                             MotcuaHlc              hlc,
                             gint64                 origin,
                             const MotcuaUuid      *origin_uuid,
                             gboolean              *won,
                             MotcuaRegister        *old,
                             GError               **error)
{
  MotcuaFieldWrite field = { column, value, hlc, origin, origin_uuid };

  return _motcua_replica_merge_fields (self, table, id, 1, &field, won, old, error);
}

/* A state transfer's row of an insert-only table that this replica holds already. Such a row
 * never changes, with one exception: a re-stamp corrects the times a desk's wrong clock wrote
 * in the rows it has not pushed, and a push delivered late (after the sync that sent it had
 * given up, and after the re-stamp) makes the server keep the uncorrected row. The server's
 * word stands on what it acknowledged: a row of ours it acknowledged takes its values, keeping
 * its place in our log. */
static gboolean
repair_insert_only (MotcuaReplica         *self,
                    const MotcuaTableDesc *table,
                    const MotcuaUuid      *id,
                    const MotcuaValue     *values,
                    GError               **error)
{
  gint64 seq;

  if (!_motcua_store_rows_get_seq (self, table, id, &seq, error))
    return FALSE;
  if (seq <= 0 || (guint64) seq > _motcua_replica_get_acked (self))
    return TRUE;   /* not ours, or not acknowledged: it goes as it is */

  return _motcua_store_rows_delete (self, table, id, error)
         && _motcua_store_rows_insert_only (self, table, id, values, (guint64) seq, error);
}

/* A row of an insert-only table from another replica: merge is union. */
gboolean
_motcua_replica_merge_insert (MotcuaReplica         *self,
                              const MotcuaTableDesc *table,
                              const MotcuaUuid      *id,
                              const MotcuaValue     *values,
                              gboolean              *inserted,
                              GError               **error)
{
  gint64 rid;
  gboolean exists;

  g_assert (self->tx_depth > 0);
  g_assert (table->insert_only);

  *inserted = FALSE;

  if (!_motcua_store_rows_find (self, table, id, &rid, error))
    return FALSE;
  exists = rid >= 0;
  if (exists && self->repairing)
    return repair_insert_only (self, table, id, values, error);
  if (exists)
    return TRUE;

  if (!_motcua_store_rows_insert_only (self, table, id, values, 0, error))
    return FALSE;
  /* An event of an older build says what it did only in its detail (motcua-schema.c). */
  if (table->id == MOTCUA_TABLE_CASE_EVENTS
      && values[_motcua_table_column (table, "detail") - 1].type != SQLITE_NULL
      && !_motcua_store_rows_upgrade_event (self, id, error))
    return FALSE;

  *inserted = TRUE;

  return TRUE;
}

gboolean
_motcua_replica_insert_row (MotcuaReplica         *self,
                            const MotcuaTableDesc *table,
                            const MotcuaUuid      *id,
                            const MotcuaValue     *values,
                            MotcuaHlc              hlc,
                            GError               **error)
{
  MotcuaValue none = MOTCUA_VALUE_NULL;
  g_autoptr(GByteArray) fields = NULL;

  g_assert (self->tx_depth > 0);
  g_assert (table->insert_only);

  if (!check_text_lengths (table, values, G_MAXUINT64, error)
      || !_motcua_store_rows_insert_only (self, table, id, values, self->seq + 1, error))
    return FALSE;

  /* The row travels as one change, column 0. Rows of insert-only tables never change, so the
   * change holds no copy of them: the row itself is the value. */
  fields = g_byte_array_sized_new (4);
  _motcua_change_put (fields, 0, 0, &none);

  return _motcua_replica_log_record (self, table->id, id, 1, fields, hlc, error);
}

