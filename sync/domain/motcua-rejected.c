/* motcua-rejected.c: this replica's changes the server refused, as the officer sees them:
 * listed with the case and the reason, retried once the cause is fixed, or discarded (with the
 * row a refused insert made); changes that waited for their case, issued again when it comes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-cases-private.h"
#include "motcua-conflicts.h"
#include "motcua-error.h"
#include "motcua-text.h"

void
motcua_rejected_free (MotcuaRejected *self)
{
  if (self == NULL)
    return;

  g_free (self->table);
  g_free (self->row_id);
  g_free (self->column);
  g_free (self->receipt_no);
  g_free (self->reason);
  g_free (self->at);
  g_free (self);
}

/* The receipt number of the case a row of a timeline or a scan belongs to, or NULL. */
static char *
row_receipt_no (MotcuaReplica *self,
                const char    *table_name,
                const char    *row_id)
{
  const MotcuaTableDesc *table = _motcua_table_by_name (table_name);
  MotcuaUuid id;

  if (table == NULL || (table->id != MOTCUA_TABLE_CASE_EVENTS
                        && table->id != MOTCUA_TABLE_ATTACHMENTS)
      || !motcua_uuid_parse (row_id, &id))
    return NULL;

  return _motcua_store_rejected_row_receipt_no (self, table, &id);
}

static gboolean
add_rejected (const MotcuaStoreRejectedRow  *row,
              gpointer                       user_data,
              GError                       **error)
{
  MotcuaRejected *r = g_new0 (MotcuaRejected, 1);

  r->seq = row->seq;
  r->reason = g_strdup (row->reason);
  r->at = g_strdup (row->at);
  r->gone = row->gone;
  r->waiting = row->waiting;
  g_ptr_array_add (user_data, r);

  return TRUE;
}

GPtrArray *
motcua_replica_list_rejected (MotcuaReplica  *self,
                              GError        **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                             motcua_rejected_free);
  g_autoptr(GPtrArray) changes = NULL;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (!_motcua_store_rejected_each (self, add_rejected, out, error))
    return NULL;

  /* What each one was. */
  for (guint i = 0; i < out->len; i++)
    {
      MotcuaRejected *r = out->pdata[i];
      g_autoptr(MotcuaCase) c = NULL;

      changes = motcua_replica_list_changes (self, r->seq - 1, 1, NULL);
      if (changes == NULL || changes->len == 0)
        continue;
      {
        MotcuaChange *change = changes->pdata[0];

        r->table = g_strdup (change->table);
        r->row_id = g_strdup (change->row_id);
        r->column = g_strdup (change->column);
        if (g_strcmp0 (change->table, "cases") == 0)
          c = motcua_replica_dup_case (self, change->row_id, NULL);
        if (c != NULL)
          r->receipt_no = g_strdup (c->receipt_no);
        else
          r->receipt_no = row_receipt_no (self, change->table, change->row_id);
      }
      g_clear_pointer (&changes, g_ptr_array_unref);
    }

  return g_steal_pointer (&out);
}

gint64
motcua_replica_count_rejected (MotcuaReplica  *self,
                               GError        **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), -1);

  return _motcua_store_rejected_count (self, error);
}

/* Whether @seq is a refused change (with whether its case is gone): FALSE with
 * MOTCUA_ERROR_NOT_FOUND if not. */
static gboolean
find_rejected (MotcuaReplica  *self,
               guint64         seq,
               gboolean       *gone,
               GError        **error)
{
  gboolean found;

  if (!_motcua_store_rejected_find (self, seq, &found, gone, error))
    return FALSE;
  if (!found)
    g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                 _("No change numbered %llu was refused by the server"),
                 (unsigned long long) seq);

  return found;
}

/* The refused change @seq as the log holds it in @out, or NULL if the log lacks it; FALSE
 * when the log could not be read. */
static gboolean
dup_logged_change (MotcuaReplica  *self,
                   guint64         seq,
                   MotcuaChange  **out,
                   GError        **error)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) local_error = NULL;

  *out = NULL;
  if (seq == 0)
    return TRUE;
  changes = motcua_replica_list_changes (self, seq - 1, 1, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (changes != NULL && changes->len > 0 && ((MotcuaChange *) changes->pdata[0])->seq == seq)
    *out = g_ptr_array_steal_index (changes, 0);

  return TRUE;
}

/* The value @change logged, as the log stores it (an id back to its 16 bytes; a row of a
 * timeline or a scan purged with its case: the JSON its record kept). @hold keeps it valid. */
static MotcuaValue
logged_value (const MotcuaChange     *change,
              const MotcuaTableDesc  *table,
              int                     column,
              GVariant              **hold,
              MotcuaUuid             *id)
{
  g_autoptr(GVariant) boxed = NULL;
  const char *text;

  if (change->value == NULL || !g_variant_is_of_type (change->value, G_VARIANT_TYPE ("mv"))
      || (boxed = g_variant_get_maybe (change->value)) == NULL)
    return MOTCUA_VALUE_NULL;
  *hold = g_variant_get_variant (boxed);
  if (g_variant_is_of_type (*hold, G_VARIANT_TYPE_INT64))
    return MOTCUA_VALUE_INT (g_variant_get_int64 (*hold));
  if (!g_variant_is_of_type (*hold, G_VARIANT_TYPE_STRING))
    return MOTCUA_VALUE_NULL;
  text = g_variant_get_string (*hold, NULL);
  if (column >= 1 && table->columns[column - 1].kind == MOTCUA_COL_ID
      && motcua_uuid_parse (text, id))
    return MOTCUA_VALUE_ID (id);

  return MOTCUA_VALUE_TEXT (text);
}

/* Issues the refused change @seq again. One that waited for its case (@as_seen) goes as
 * having seen what it had seen: the server never judged it. */
static gboolean
retry_in_tx (MotcuaReplica  *self,
             guint64         seq,
             gboolean        as_seen,
             GError        **error)
{
  g_autoptr(MotcuaChange) change = NULL;
  const MotcuaTableDesc *table;
  gboolean gone = FALSE;
  MotcuaUuid row;
  int column = 0;

  if (!find_rejected (self, seq, &gone, error))
    return FALSE;
  if (gone)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("Change %llu is about a case that is not this replica's: it cannot be"
                     " retried, only discarded"), (unsigned long long) seq);
      return FALSE;
    }

  if (!dup_logged_change (self, seq, &change, error))
    return FALSE;
  table = change != NULL ? _motcua_table_by_name (change->table) : NULL;
  if (table != NULL && change->column != NULL)
    column = _motcua_table_column (table, change->column);
  if (change == NULL || table == NULL || !motcua_uuid_parse (change->row_id, &row)
      || (change->column == NULL) != table->insert_only
      || (!table->insert_only && column < 1))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("Change %llu is no longer in the change log: there is nothing to"
                     " retry"), (unsigned long long) seq);
      return FALSE;
    }

  if (!_motcua_store_rejected_row_exists (self, table, &row) && (table->insert_only || as_seen))
    {
      /* Purged with its case meanwhile: its record kept it. A row of a timeline or a scan goes
       * back in place if its case is back here; otherwise the change goes from the record. */
      g_autoptr(GVariant) hold = NULL;
      MotcuaUuid id;
      MotcuaValue value = logged_value (change, table, column, &hold, &id);
      gboolean put = FALSE;

      if (table->insert_only && value.type != SQLITE_TEXT)
        return _motcua_replica_reissue_insert (self, table, &row, _motcua_replica_tick (self),
                                               error);   /* reports that nothing is left */
      if (table->insert_only
          && !_motcua_replica_put_back_logged_row (self, table, &row, value.s, &put, error))
        return FALSE;
      if (put)
        {
          if (!_motcua_replica_reissue_insert (self, table, &row, _motcua_replica_tick (self),
                                               error))
            return FALSE;
        }
      else if (!_motcua_replica_log_again (self, table, &row, (guint) column, &value,
                                           change->prev_hlc, _motcua_replica_tick (self),
                                           error))
        return FALSE;
    }
  else if (table->insert_only)
    {
      if (!_motcua_replica_reissue_insert (self, table, &row, _motcua_replica_tick (self),
                                           error))
        return FALSE;
    }
  else if (!_motcua_replica_reissue_field (self, table, &row, (guint) column,
                                           as_seen ? &change->prev_hlc : NULL,
                                           _motcua_replica_tick (self), error))
    return FALSE;

  /* Sending a case to another office again may take it out of this replica's scope. */
  if (table->id == MOTCUA_TABLE_CASES && strcmp (change->column, "handling_office_id") == 0
      && !_motcua_replica_meta_set_int (self, "purge_due", 1, error))
    return FALSE;

  return _motcua_store_rejected_remove (self, seq, error);
}

gboolean
motcua_replica_retry_rejected (MotcuaReplica  *self,
                               guint64         seq,
                               GError        **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self, retry_in_tx (self, seq, FALSE, error), error);
}

gboolean
_motcua_replica_retry_waiting (MotcuaReplica     *self,
                               const MotcuaUuid  *case_id,
                               GError           **error)
{
  g_autoptr(GArray) seqs = _motcua_store_rejected_waiting (self, case_id, error);

  if (seqs == NULL)
    return FALSE;

  for (guint i = 0; i < seqs->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      guint64 seq = g_array_index (seqs, guint64, i);

      if (retry_in_tx (self, seq, TRUE, &local_error))
        continue;
      if (!g_error_matches (local_error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* Nothing left to send (its row went meanwhile): it stays a refusal, which the
       * officer sees and discards, and waits no more. */
      if (!_motcua_store_rejected_stop_waiting (self, seq, error))
        return FALSE;
    }

  return TRUE;
}

/* Removes the row of a timeline or a scan that the refused change @seq brought: the server
 * never had it. Its record keeps its values, as for a purge. */
static gboolean
drop_refused_row (MotcuaReplica          *self,
                  const MotcuaTableDesc  *table,
                  const MotcuaUuid       *row,
                  guint64                 seq,
                  GError                **error)
{
  gint64 rid;

  if (!_motcua_store_rejected_row_rid (self, table, row, seq, &rid, error))
    return FALSE;
  if (rid < 0)
    return TRUE;

  return _motcua_replica_keep_logged_row (self, table, rid, row, error)
         && _motcua_store_rejected_delete_row (self, table, rid, error);
}

static gboolean
discard_in_tx (MotcuaReplica  *self,
               guint64         seq,
               GError        **error)
{
  g_autoptr(MotcuaChange) change = NULL;
  const MotcuaTableDesc *table;
  gboolean gone = FALSE;
  MotcuaUuid row;

  if (!find_rejected (self, seq, &gone, error))
    return FALSE;
  if (!dup_logged_change (self, seq, &change, error))
    return FALSE;
  table = change != NULL ? _motcua_table_by_name (change->table) : NULL;
  if (table != NULL && table->insert_only && motcua_uuid_parse (change->row_id, &row)
      && !drop_refused_row (self, table, &row, seq, error))
    return FALSE;

  /* The server's state transfer wins on everything it acknowledged, and it acknowledged the
   * refused change: pulling the scope from the start takes its values back, as when the
   * digests differ (motcua-sync.c); a case that is not ours is purged after it. */
  return _motcua_store_rejected_remove (self, seq, error)
         && _motcua_replica_meta_set_text (self, "hub_cursor", NULL, error)
         && _motcua_replica_meta_set_int (self, "purge_due", 1, error);
}

gboolean
motcua_replica_discard_rejected (MotcuaReplica  *self,
                                 guint64         seq,
                                 GError        **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self, discard_in_tx (self, seq, error), error);
}
