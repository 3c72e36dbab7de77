/* motcua-replication.c: a replica's side of replication
 *
 * What a replica keeps about its server: how far its own changes are acknowledged, the changes
 * the server refused and why, the integrity digest of its scope, and the purge of cases that
 * left its scope. (The receipt numbers it was leased are kept by domain/motcua-receipts.c.)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-changes-private.h"

guint64
_motcua_replica_get_acked (MotcuaReplica *self)
{
  return (guint64) _motcua_replica_meta_get_int (self, "hub_acked", 0);
}

guint64
_motcua_replica_get_acked_ever (MotcuaReplica *self)
{
  return MAX ((guint64) _motcua_replica_meta_get_int (self, "hub_acked_ever", 0),
              _motcua_replica_get_acked (self));
}

gboolean
_motcua_replica_set_acked (MotcuaReplica  *self,
                           guint64         acked,
                           GError        **error)
{
  guint64 ever = _motcua_replica_get_acked_ever (self);

  /* Going back (a restored server): remember how far it went. */
  if (acked < ever
      && !_motcua_replica_meta_set_int (self, "hub_acked_ever", (gint64) ever, error))
    return FALSE;

  return _motcua_replica_meta_set_int (self, "hub_acked", (gint64) acked, error);
}

gboolean
_motcua_replica_add_rejected (MotcuaReplica     *self,
                              guint64            seq,
                              const char        *reason,
                              const MotcuaUuid  *gone,
                              const MotcuaUuid  *wait,
                              GError           **error)
{
  g_autofree char *now = _motcua_replica_now_iso (self);

  return _motcua_store_log_add_rejected (self, seq, reason, now, gone, wait, error);
}

static gboolean
add_office_id (const MotcuaStoreOfficeRow  *row,
               gpointer                     user_data,
               GError                     **error)
{
  g_hash_table_add (user_data, g_bytes_new (row->id->bytes, 16));

  return TRUE;
}

GHashTable *
_motcua_replica_jurisdiction_set (MotcuaReplica  *self,
                             const char     *office_code,
                             GError        **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                     (GDestroyNotify) g_bytes_unref, NULL);
  g_autofree char *today = _motcua_replica_today (self);

  if (!_motcua_store_offices_jurisdiction (self, office_code, today, add_office_id, set, error))
    return NULL;
  /* Not even the office itself. */
  if (g_hash_table_size (set) == 0)
    {
      _motcua_store_offices_unknown (office_code, error);
      return NULL;
    }

  return g_steal_pointer (&set);
}

gboolean
_motcua_id_in_set (GHashTable *set,
                   const void *id,
                   int         size)
{
  g_autoptr(GBytes) key = NULL;

  if (id == NULL || size != 16)
    return FALSE;
  key = g_bytes_new (id, 16);

  return g_hash_table_contains (set, key);
}

/* Whether the receiving or the handling office of a case (@row's refs) is in @offices: the case
 * is in scope. */
static gboolean
case_offices_in (GHashTable                *offices,
                 const MotcuaStoreScopeRow *row)
{
  return _motcua_id_in_set (offices, row->refs[0], row->refs[0] != NULL ? 16 : 0)
         || _motcua_id_in_set (offices, row->refs[1], row->refs[1] != NULL ? 16 : 0);
}

/* Digest */

/* One table's walk for the digest: the offices of the scope, its cases so far. */
typedef struct
{
  MotcuaReplica         *self;
  const MotcuaTableDesc *table;
  GHashTable            *offices;
  GHashTable            *cases;
  MotcuaDigest          *digest;
  MotcuaWireBatch       *batch;
} DigestWalk;

static gboolean
digest_row (const MotcuaStoreScopeRow  *row,
            gpointer                    user_data,
            GError                    **error)
{
  DigestWalk *walk = user_data;
  MotcuaTableId table = walk->table->id;
  MotcuaUuid id;
  gboolean in = TRUE;
  gboolean found;

  if (row->id == NULL)
    return TRUE;
  memcpy (id.bytes, row->id, 16);

  if (table == MOTCUA_TABLE_CASES)
    {
      in = case_offices_in (walk->offices, row);
      if (in)
        g_hash_table_add (walk->cases, g_bytes_new (id.bytes, 16));
    }
  else if (table >= MOTCUA_TABLE_CASE_EVENTS)
    in = row->refs[0] == NULL ? table == MOTCUA_TABLE_CONFLICTS
                              : _motcua_id_in_set (walk->cases, row->refs[0], 16);

  if (!in)
    return TRUE;

  /* The row's state, typed: this runs for every row of the scope at the end of every sync.
   * The walk stays open: reading the row uses other statements. */
  _motcua_wire_batch_clear (walk->batch);
  if (!_motcua_replica_row_item (walk->self, walk->table, &id, walk->batch, &found, error))
    return FALSE;
  if (found)
    {
      const MotcuaWireItem *item = _motcua_wire_batch_item (walk->batch, 0);
      MotcuaDigest hash;

      /* A row no replica ever wrote (reference data loaded from a file) is local. */
      if (_motcua_row_digest (item->table, item->row_id.bytes, item->values, item->registers,
                              &hash))
        _motcua_digest_add (walk->digest, &hash);
    }

  return TRUE;
}

char *
_motcua_replica_scope_recount (MotcuaReplica  *self,
                               const char     *office_code,
                               GError        **error)
{
  static const MotcuaTableId tables[] = {
    MOTCUA_TABLE_OFFICES, MOTCUA_TABLE_PROCEDURES, MOTCUA_TABLE_CALENDAR, MOTCUA_TABLE_CASES,
    MOTCUA_TABLE_CASE_EVENTS, MOTCUA_TABLE_ATTACHMENTS, MOTCUA_TABLE_CONFLICTS,
  };
  g_autoptr(GHashTable) offices = _motcua_replica_jurisdiction_set (self, office_code, error);
  g_autoptr(GHashTable) cases = NULL;
  g_autoptr(MotcuaWireBatch) batch = NULL;
  MotcuaDigest digest = { { 0, 0 } };

  if (offices == NULL)
    return NULL;
  cases = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                 NULL);
  batch = _motcua_wire_batch_new ();

  /* Cases before the rows that hang on them: a row is in scope when its case is. */
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      DigestWalk walk = { self, _motcua_table_lookup (tables[t]), offices, cases, &digest,
                          batch };

      if (!_motcua_store_scope_foreach_digest_row (self, tables[t], digest_row, &walk, error))
        return NULL;
    }

  return _motcua_digest_to_string (&digest);
}

/* The sums the store keeps, read for a scope: the buckets of the offices of its jurisdiction
 * and the one every scope holds, added; then what the replica's digest leaves out, taken away
 * (@taking). */
typedef struct
{
  GHashTable   *offices;
  gboolean      taking;
  MotcuaDigest  digest;
} SumWalk;

static gboolean
sum_bucket (const MotcuaDigestBucket  *bucket,
            gpointer                   user_data,
            GError                   **error)
{
  SumWalk *walk = user_data;

  if (!bucket->everyone && !_motcua_id_in_set (walk->offices, bucket->receiver, 16)
      && !_motcua_id_in_set (walk->offices, bucket->handler, 16))
    return TRUE;
  if (walk->taking)
    _motcua_digest_subtract (&walk->digest, &bucket->sum);
  else
    _motcua_digest_add (&walk->digest, &bucket->sum);

  return TRUE;
}

char *
_motcua_replica_scope_digest (MotcuaReplica  *self,
                              const char     *office_code,
                              GError        **error)
{
  g_autoptr(GHashTable) offices = _motcua_replica_jurisdiction_set (self, office_code, error);
  SumWalk walk = { offices, FALSE, { { 0, 0 } } };

  if (offices == NULL || !_motcua_store_digest_foreach_bucket (self, sum_bucket, &walk, error))
    return NULL;
  walk.taking = TRUE;
  if (!_motcua_store_digest_foreach_left_out (self, sum_bucket, &walk, error))
    return NULL;

  return _motcua_digest_to_string (&walk.digest);
}

typedef struct
{
  gint64     rid;
  MotcuaUuid id;
} LoggedRow;

static gboolean
add_logged_row (const MotcuaStoreScopeRow  *row,
                gpointer                    user_data,
                GError                    **error)
{
  LoggedRow logged = { row->rid };

  if (row->id != NULL)
    {
      memcpy (logged.id.bytes, row->id, 16);
      g_array_append_val ((GArray *) user_data, logged);
    }

  return TRUE;
}

/* The rows of the case at @rid's timeline and scans that this replica logged keep their values
 * in their records before they go (_motcua_replica_keep_logged_row()). */
static gboolean
keep_logged_rows (MotcuaReplica  *self,
                  gint64          rid,
                  GError        **error)
{
  static const MotcuaTableId tables[] = { MOTCUA_TABLE_CASE_EVENTS, MOTCUA_TABLE_ATTACHMENTS };

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      const MotcuaTableDesc *table = _motcua_table_lookup (tables[t]);
      /* Collected first: keeping a row's values reads it again and writes the log. */
      g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (LoggedRow));

      if (!_motcua_store_scope_foreach_logged_row (self, table, rid, add_logged_row, rows,
                                                   error))
        return FALSE;
      for (guint i = 0; i < rows->len; i++)
        {
          const LoggedRow *row = &g_array_index (rows, LoggedRow, i);

          if (!_motcua_replica_keep_logged_row (self, table, row->rid, &row->id, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* Deletes the case at @rid with its timeline, scans and conflicts. */
static gboolean
drop_case (MotcuaReplica  *self,
           gint64          rid,
           GError        **error)
{
  return keep_logged_rows (self, rid, error) && _motcua_store_scope_drop_case (self, rid, error);
}

/* A purge's walk of the cases: those out of scope with nothing unacknowledged go. */
typedef struct
{
  GHashTable *offices;
  guint64     acked;
  GArray     *doomed;
  guint       n_kept;
} PurgeWalk;

static gboolean
purge_case (const MotcuaStoreScopeRow  *row,
            gpointer                    user_data,
            GError                    **error)
{
  PurgeWalk *walk = user_data;

  if (case_offices_in (walk->offices, row))
    return TRUE;
  if (row->pending > walk->acked)
    {
      walk->n_kept++;   /* something of it is not acknowledged yet: it stays until it is */
      return TRUE;
    }
  g_array_append_val (walk->doomed, row->rid);

  return TRUE;
}

/* Purge: a case that left this replica's scope goes once nothing of it is unacknowledged. A case
 * with a change the server refused stays: the refused change is kept, visible to the officer
 * (the case is out of scope, so it is in no digest). */
gboolean
_motcua_replica_purge (MotcuaReplica  *self,
                       guint          *n_out,
                       guint          *n_kept_out,
                       GError        **error)
{
  g_autoptr(GHashTable) offices = NULL;
  g_autoptr(GArray) doomed = g_array_new (FALSE, FALSE, sizeof (gint64));
  PurgeWalk walk = { NULL, _motcua_replica_get_acked (self), doomed, 0 };

  g_assert (self->tx_depth > 0);

  *n_out = 0;
  offices = _motcua_replica_jurisdiction_set (self, self->office_code, error);
  if (offices == NULL)
    return FALSE;
  walk.offices = offices;

  if (!_motcua_store_scope_foreach_case (self, purge_case, &walk, error))
    return FALSE;

  for (guint i = 0; i < doomed->len;)
    {
      gboolean refused;

      if (!_motcua_store_scope_case_refused (self, g_array_index (doomed, gint64, i), &refused,
                                             error))
        return FALSE;
      if (refused)
        g_array_remove_index_fast (doomed, i);
      else
        i++;
    }

  for (guint i = 0; i < doomed->len; i++)
    if (!drop_case (self, g_array_index (doomed, gint64, i), error))
      return FALSE;

  *n_out += doomed->len;
  *n_kept_out = walk.n_kept;

  return TRUE;
}

gboolean
_motcua_replica_transfer_saw (MotcuaReplica    *self,
                              MotcuaWireBatch  *items,
                              gboolean        first,
                              GError        **error)
{
  g_assert (self->tx_depth > 0);

  if (first && !_motcua_store_scope_transfer_clear (self, error))
    return FALSE;
  for (guint i = 0; i < _motcua_wire_batch_length (items); i++)
    {
      const MotcuaWireItem *item = _motcua_wire_batch_item (items, i);
      const MotcuaTableDesc *table = item->table;

      if (table->id != MOTCUA_TABLE_CASES && table->id != MOTCUA_TABLE_CONFLICTS
          && !table->insert_only)
        continue;
      if (!_motcua_store_scope_transfer_note (self, table->id, &item->row_id, error))
        return FALSE;
    }

  return TRUE;
}

/* A state transfer's end: the cases it did not bring, with nothing of ours unacknowledged. */
typedef struct
{
  guint64  acked;
  GArray  *doomed;
} UnsentWalk;

static gboolean
unsent_case (const MotcuaStoreScopeRow  *row,
             gpointer                    user_data,
             GError                    **error)
{
  UnsentWalk *walk = user_data;

  if (row->pending <= walk->acked)
    g_array_append_val (walk->doomed, row->rid);

  return TRUE;
}

gboolean
_motcua_replica_transfer_end (MotcuaReplica  *self,
                              guint          *n_out,
                              GError        **error)
{
  g_autoptr(GArray) doomed = g_array_new (FALSE, FALSE, sizeof (gint64));
  UnsentWalk walk = { _motcua_replica_get_acked (self), doomed };

  g_assert (self->tx_depth > 0);

  *n_out = 0;
  if (!_motcua_store_scope_foreach_unsent_case (self, unsent_case, &walk, error))
    return FALSE;
  for (guint i = 0; i < doomed->len; i++)
    {
      gint64 rid = g_array_index (doomed, gint64, i);
      gboolean refused;

      /* The server's state, sent whole, lacks a case that refused changes of ours keep here:
       * it is not ours, as if the server had said so of them (see
       * _motcua_replica_add_rejected()). */
      if (!_motcua_store_scope_case_refused (self, rid, &refused, error)
          || (!refused && !drop_case (self, rid, error))
          || (refused && !_motcua_store_scope_mark_gone (self, rid, error)))
        return FALSE;
      *n_out += !refused;
    }

  /* The hub makes conflicts; one it did not bring, and no resolution of ours waits on, it
   * lost. So with a row of a timeline or a scan another desk made (it has not sent it again
   * yet, or it was refused when it did): it comes back with its case if the hub takes it. */
  return _motcua_store_scope_transfer_drop_unsent (self, walk.acked, error)
         && _motcua_store_scope_transfer_clear (self, error);
}
