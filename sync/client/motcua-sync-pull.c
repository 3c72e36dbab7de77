/* motcua-sync-pull.c: a sync's pull, its digest and its purge
 *
 * Pulls in bounded batches until up to date, each applied and committed with its cursor (a
 * state transfer's batches also noted, to sweep at its end what the server did not bring);
 * compares the scope's digest with the server's, pulling the whole scope again when they
 * differ; purges the cases that left the scope.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-sync-private.h"

static gboolean
moves_cases (MotcuaWireBatch *items)
{
  const MotcuaTableDesc *cases = _motcua_table_lookup (MOTCUA_TABLE_CASES);
  guint handling = (guint) _motcua_table_column (cases, "handling_office_id");
  /* A result handed back may end the receiving office's holding (MOTCUA_STORE_CASE_RECEIVER). */
  guint returned = (guint) _motcua_table_column (cases, "returned_at");

  for (guint i = 0; i < _motcua_wire_batch_length (items); i++)
    {
      const MotcuaWireItem *item = _motcua_wire_batch_item (items, i);

      if (item->table == cases
          && (!item->is_change || item->column == handling || item->column == returned))
        return TRUE;
    }

  return FALSE;
}

/* Pulled changes may have moved cases out of this replica's scope: purge is due, and stays
 * due until it has run, even if this sync is cut before it gets there. (A transfer made here
 * marks it itself: its push may be acknowledged in a batch that does not carry it.) */
static gboolean
mark_purge_due (MotcuaReplica    *self,
                MotcuaWireBatch  *changes,
                GError        **error)
{
  return !moves_cases (changes) || _motcua_replica_meta_set_int (self, "purge_due", 1, error);
}

/* The latest HLC among pulled items, so that a re-stamp never goes behind what was seen. */
static MotcuaHlc
latest_stamp (MotcuaWireBatch *items)
{
  MotcuaHlc latest = 0;

  for (guint i = 0; i < _motcua_wire_batch_length (items); i++)
    latest = MAX (latest, _motcua_wire_item_latest (_motcua_wire_batch_item (items, i)));

  return latest;
}

static gboolean
is_state_transfer (const char *previous_cursor)
{
  return previous_cursor == NULL || previous_cursor[0] == 's';
}

/* A batch of a state transfer (from a null cursor, or one in "s…") carries the server's
 * current rows, applied as the server's word on what it acknowledged (see
 * _motcua_replica_merge_field()); a batch of the log is merged like any change. */
static gboolean
apply_items (MotcuaReplica    *self,
             MotcuaWireBatch  *items,
             const char     *previous_cursor,
             GError        **error)
{
  gboolean ok;

  if (!is_state_transfer (previous_cursor))
    return _motcua_replica_apply_batch (self, items, NULL, error);

  /* Fields of changes not acknowledged yet are ours, from the oldest one's HLC on. */
  if (!_motcua_store_sync_oldest_pending (self, _motcua_replica_get_acked (self),
                                          &self->repair_pending_from, error))
    return FALSE;
  self->repairing = TRUE;
  ok = _motcua_replica_apply_batch (self, items, NULL, error);
  self->repairing = FALSE;

  return ok;
}

/* A case the server sends whole is in this replica's scope again: any mark that it was not
 * ours (see _motcua_replica_add_rejected()) is obsolete. */
static gboolean
clear_gone (MotcuaReplica    *self,
            MotcuaWireBatch  *items,
            GError        **error)
{
  gboolean marked;

  /* Almost always none: then a first sync's 20,000 cases cost one query, not 20,000. */
  if (!_motcua_store_sync_any_gone (self, &marked, error))
    return FALSE;
  if (!marked)
    return TRUE;

  for (guint i = 0; i < _motcua_wire_batch_length (items); i++)
    {
      const MotcuaWireItem *item = _motcua_wire_batch_item (items, i);

      if (item->is_change || item->table->id != MOTCUA_TABLE_CASES)
        continue;
      if (!_motcua_store_sync_clear_gone (self, &item->row_id, error))
        return FALSE;
    }

  return TRUE;
}

/* The cases this batch brings that changes of ours waited for (the server did not hold them):
 * those changes go again, in the push that follows. */
static gboolean
retry_waiting (MotcuaReplica    *self,
               MotcuaWireBatch  *items,
               GError        **error)
{
  gboolean waiting;

  if (!_motcua_store_sync_any_waiting (self, &waiting, error))
    return FALSE;
  for (guint i = 0; waiting && i < _motcua_wire_batch_length (items); i++)
    {
      const MotcuaWireItem *item = _motcua_wire_batch_item (items, i);

      if (item->table->id == MOTCUA_TABLE_CASES
          && !_motcua_replica_retry_waiting (self, &item->row_id, error))
        return FALSE;
    }

  return TRUE;
}

/* A state transfer brings the server's rows whole; what it did not bring is not the server's,
 * and goes at its end (see _motcua_replica_transfer_end()). A replica that held no case and no
 * conflict when the transfer began has nothing to sweep: a new desk's first sync notes
 * nothing. */
/* Before a transfer's first batch is applied: whether it will have anything to sweep. */
static gboolean
begin_transfer (MotcuaReplica  *self,
                const char     *previous_cursor,
                GError        **error)
{
  gboolean held;

  if (previous_cursor != NULL)
    return TRUE;

  return _motcua_store_sync_holds_cases (self, &held, error)
         && _motcua_replica_meta_set_int (self, "transfer_sweep", held, error);
}

static gboolean
note_transfer (MotcuaReplica  *self,
               const char     *previous_cursor,
               const char     *cursor,
               MotcuaWireBatch *items,
               GError        **error)
{
  guint n = 0;

  if (!is_state_transfer (previous_cursor)
      || _motcua_replica_meta_get_int (self, "transfer_sweep", 1) == 0)
    return TRUE;
  if (!_motcua_replica_transfer_saw (self, items, previous_cursor == NULL, error))
    return FALSE;
  if (is_state_transfer (cursor))
    return TRUE;

  return _motcua_replica_transfer_end (self, &n, error);
}

/* Orphans. During a state transfer, the rows of a case's timeline, scans and conflicts are
 * sent table by table after the cases: a case that entered the scope in between has its rows
 * sent but not itself. It follows whole in the log after the transfer; its rows wait for it there.
 * The log of a server restored from a backup can likewise hold a desk's timeline row, sent
 * again, for a case the desk that made it has not sent again yet: dropped here, it comes back
 * with the re-pull the digest then asks for, instead of failing every sync on the foreign key.
 * Only the rows this batch inserted (past its marks) can be such orphans: the check costs what
 * the batch brought, not the size of the tables. */
static gboolean
apply_batch (MotcuaReplica    *self,
             MotcuaWireBatch  *items,
             const char       *previous_cursor,
             const char       *cursor,
             GError          **error)
{
  MotcuaHlc latest = latest_stamp (items);
  gint64 seen = _motcua_replica_meta_get_int (self, "hub_seen_hlc", 0);
  MotcuaStoreCaseRowMarks marks = { 0 };

  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self,
                                 _motcua_store_sync_mark_case_rows (self, &marks, error)
                                 && begin_transfer (self, previous_cursor, error)
                                 && apply_items (self, items, previous_cursor, error)
                                 && note_transfer (self, previous_cursor, cursor, items, error)
                                 && _motcua_store_sync_drop_orphans (self, &marks, error)
                                 && clear_gone (self, items, error)
                                 && retry_waiting (self, items, error)
                                 && _motcua_replica_meta_set_text (self, "hub_cursor", cursor,
                                                                   error)
                                 && mark_purge_due (self, items, error)
                                 && ((MotcuaHlc) seen >= latest
                                     || _motcua_replica_meta_set_int (self, "hub_seen_hlc",
                                                                      (gint64) latest, error)),
                                 error);
}

/* One pull answer, decoded: the items the server sent after @cursor. */
typedef struct
{
  char            *cursor;    /* what it was asked with; NULL for the start of a transfer */
  char            *next;
  MotcuaWireBatch *items;
  gboolean         more;
  char            *digest;    /* when !more */
} Pulled;

static void
pulled_free (Pulled *pulled)
{
  g_free (pulled->cursor);
  g_free (pulled->next);
  g_clear_pointer (&pulled->items, _motcua_wire_batch_free);
  g_free (pulled->digest);
  g_free (pulled);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pulled, pulled_free)

/* The next pull's limit after @pulled came (PULL_BATCH's comment). A limit the transport sets
 * stays. */
static void
next_limit (Run          *run,
            const Pulled *pulled)
{
  if (run->transport->pull_batch != 0)
    return;
  if (run->exchange_us > PULL_SLOW_US)
    run->pull_limit = MAX (run->pull_limit / 2, PULL_BATCH_MIN);
  else if (run->exchange_us < PULL_QUICK_US && run->exchange_bytes < PULL_SMALL_BYTES
           && pulled->more
           && _motcua_wire_batch_length (pulled->items) >= run->pull_limit)
    run->pull_limit = MIN (run->pull_limit * 2, MOTCUA_HUB_MAX_CHANGES_PER_PULL);
}

/* Asks for what follows @cursor. Touches the network and the run's byte counts, never the
 * replica: it runs while the batch before is being applied. */
static Pulled *
fetch_batch (Run         *run,
             const char  *cursor,
             GError     **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(Pulled) pulled = g_new0 (Pulled, 1);
  g_autoptr(GBytes) items = NULL;
  JsonNode *more;
  const char *next;

  if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
    return NULL;

  if (cursor != NULL)
    json_object_set_string_member (body, "cursor", cursor);
  else
    json_object_set_null_member (body, "cursor");
  json_object_set_int_member (body, "limit", run->pull_limit);
  if (run->compact)
    json_object_set_boolean_member (body, "compact", TRUE);

  answer = _motcua_sync_call_list (run, "POST", "pull", body, "items", NULL, &items,
                                   error);
  if (answer == NULL)
    return NULL;

  next = _motcua_json_string (answer, "cursor", NULL);
  if (items == NULL || next == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The server's answer to pull lacks items or cursor"));
      return NULL;
    }
  /* Decoded once, whole or compact: from here on the items are typed. */
  pulled->items = _motcua_wire_decode (g_bytes_get_data (items, NULL), g_bytes_get_size (items),
                                       run->compact, FALSE, error);
  if (pulled->items == NULL)
    return NULL;
  pulled->cursor = g_strdup (cursor);
  pulled->next = g_strdup (next);
  more = json_object_get_member (answer, "more");
  pulled->more = more != NULL && JSON_NODE_HOLDS_VALUE (more)
                 && json_node_get_value_type (more) == G_TYPE_BOOLEAN
                 && json_node_get_boolean (more);
  if (!pulled->more)
    pulled->digest = g_strdup (_motcua_json_string (answer, "digest", ""));
  next_limit (run, pulled);

  return g_steal_pointer (&pulled);
}

/* A batch being applied in a thread of its own while the next one is asked for: the server
 * reads and sends batch n + 1 while this replica writes batch n. Only that thread touches the
 * replica until it is joined. */
typedef struct
{
  MotcuaReplica *replica;
  Pulled        *pulled;
  GThread       *thread;
  gboolean       ok;
  GError        *error;
} Applying;

static gboolean
apply_pulled (MotcuaReplica  *self,
              Pulled         *pulled,
              GError        **error)
{
  /* Nothing new (an idle sync): nothing to write either. */
  if (_motcua_wire_batch_length (pulled->items) == 0
      && g_strcmp0 (pulled->cursor, pulled->next) == 0)
    return TRUE;

  return apply_batch (self, pulled->items, pulled->cursor, pulled->next, error);
}

static gpointer
applying_thread (gpointer data)
{
  Applying *applying = data;

  applying->ok = apply_pulled (applying->replica, applying->pulled, &applying->error);

  return NULL;
}

static void
applying_start (Applying  *applying,
                Run       *run,
                Pulled    *pulled)
{
  applying->replica = run->replica;
  applying->pulled = pulled;
  applying->error = NULL;
  applying->thread = g_thread_try_new ("motcua-pull-apply", applying_thread, applying, NULL);
  if (applying->thread == NULL)   /* no thread to be had: apply it here */
    applying_thread (applying);
}

/* A batch applied: its counts go into the run's progress. */
static void
count_batch (Run    *run,
             Pulled *pulled)
{
  run->p.changes_received += _motcua_wire_batch_length (pulled->items);
  run->p.batches_received++;
  run->p.more = pulled->more;
  _motcua_sync_report (run);
}

/* Waits for the batch being applied, if any, and counts it; FALSE with the error when applying
 * it failed. */
static gboolean
applying_join (Applying  *applying,
               Run       *run,
               GError   **error)
{
  g_autoptr(Pulled) pulled = NULL;

  if (applying->thread != NULL)
    g_thread_join (g_steal_pointer (&applying->thread));
  pulled = g_steal_pointer (&applying->pulled);
  if (pulled == NULL)
    return TRUE;
  if (!applying->ok)
    {
      g_propagate_error (error, g_steal_pointer (&applying->error));
      return FALSE;
    }
  count_batch (run, pulled);

  return TRUE;
}

/* Pulls until up to date; the server's digest of the scope in @digest_out. Each batch is
 * applied, with its cursor, while the next is on its way. */
static gboolean
pull_all (Run       *run,
          char     **digest_out,
          GError   **error)
{
  MotcuaReplica *self = run->replica;
  g_autofree char *cursor = _motcua_replica_meta_dup_text (self, "hub_cursor");
  Applying applying = { 0 };

  run->pull_limit = BATCH (run->transport->pull_batch, PULL_BATCH);
  for (;;)
    {
      g_autoptr(GError) fetch_error = NULL;
      g_autoptr(Pulled) pulled = fetch_batch (run, cursor, &fetch_error);

      /* The batch before is applied (or failed) before anything else is decided. */
      if (!applying_join (&applying, run, error))
        return FALSE;

      if (pulled == NULL && cursor != NULL
          && g_error_matches (fetch_error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND))
        {
          /* A cursor the server does not know: its store was restored from an older copy.
           * Pull the scope from the start; the digest then says whether all is well. */
          g_message ("The server does not know the cursor of %s (%s): pulling its scope again",
                     self->path, fetch_error->message);
          if (!motcua_replica_begin (self, error)
              || !_motcua_replica_finish (self,
                                          _motcua_replica_meta_set_text (self, "hub_cursor",
                                                                         NULL, error),
                                          error))
            return FALSE;
          g_clear_pointer (&cursor, g_free);
          continue;
        }
      if (pulled == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&fetch_error));
          return FALSE;
        }

      g_free (cursor);
      cursor = g_strdup (pulled->next);
      if (pulled->more)
        {
          applying_start (&applying, run, g_steal_pointer (&pulled));
          continue;
        }

      /* The last batch: nothing to overlap it with. */
      if (!apply_pulled (self, pulled, error))
        return FALSE;
      count_batch (run, pulled);
      *digest_out = g_steal_pointer (&pulled->digest);
      return TRUE;
    }
}

/* Purges what left the scope. A case that still holds changes the server has not
 * acknowledged stays, and the purge stays due until it can go. */
static gboolean
purge (Run     *run,
       GError **error)
{
  MotcuaReplica *self = run->replica;
  guint purged = 0, kept = 0;

  if (!motcua_replica_begin (self, error))
    return FALSE;
  if (!_motcua_replica_finish (self,
                               _motcua_replica_purge (self, &purged, &kept, error)
                               && _motcua_replica_meta_set_int (self, "purge_due", kept > 0,
                                                                error),
                               error))
    return FALSE;
  run->p.purged += purged;

  return TRUE;
}

/* This replica's digest, read in one snapshot while the desk may go on writing, and whether
 * that snapshot holds changes the server has not acknowledged: written while this sync ran,
 * they are in no digest of the server's, so the two cannot be compared. */
static gboolean
local_digest (Run       *run,
              char     **out,
              gboolean  *pending,
              GError   **error)
{
  MotcuaReplica *self = run->replica;
  gboolean ok;

  if (!_motcua_store_sync_snapshot_begin (self, error))
    return FALSE;
  *pending = (guint64) _motcua_replica_meta_get_int (self, "seq", 0)
             > _motcua_replica_get_acked (self);
  ok = *pending || (*out = _motcua_replica_scope_digest (self, self->office_code, error)) != NULL;
  _motcua_store_sync_snapshot_end (self, ok);

  return ok;
}

/* How often the digest is counted from every row even when it agrees with the server's. */
#define RECOUNT_SECONDS (24 * 60 * 60)

static gboolean
recount_due (MotcuaReplica *self)
{
  gint64 last = _motcua_replica_meta_get_int (self, "digest_recounted_at", 0);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  return now - last >= RECOUNT_SECONDS || now < last;
}

/* Counts the digest again from every row. The sums the store keeps go stale only when
 * something wrote to the file behind the library's back (another program, a damaged disk):
 * then the sums are counted again, and the count is what is compared. This runs when the
 * digest differs from the server's, and once a day, for a write behind the library's back
 * that the kept sums cannot see. */
static gboolean
check_kept_sums (Run      *run,
                 char    **ours,
                 GError  **error)
{
  MotcuaReplica *self = run->replica;
  g_autofree char *kept = NULL;
  g_autofree char *counted = NULL;
  gboolean ok;

  if (!_motcua_store_sync_snapshot_begin (self, error))
    return FALSE;
  ok = (kept = _motcua_replica_scope_digest (self, self->office_code, error)) != NULL
       && (counted = _motcua_replica_scope_recount (self, self->office_code, error)) != NULL;
  _motcua_store_sync_snapshot_end (self, ok);
  if (!ok || !motcua_replica_begin (self, error)
      || !_motcua_replica_finish (self,
                                  _motcua_replica_meta_set_int (self, "digest_recounted_at",
                                                                g_get_real_time ()
                                                                / G_USEC_PER_SEC, error),
                                  error))
    return FALSE;
  if (strcmp (kept, counted) == 0)
    return TRUE;

  g_message ("The digest sums kept in %s were stale (%s, counted %s): counting them again",
             self->path, kept, counted);
  if (!_motcua_store_digest_rebuild (self, error))
    return FALSE;
  run->p.recounted = TRUE;
  g_free (*ours);
  *ours = g_steal_pointer (&counted);

  return TRUE;
}

/* Pulls until up to date and compares digests. What the officer wrote during the sync is
 * pushed and the comparison made again; an officer who keeps writing through every round
 * leaves it to the next sync (verify_deferred), which is neither a failure nor a re-pull. */
static gboolean
pull_and_compare (Run       *run,
                  char     **ours,
                  char     **theirs,
                  GError   **error)
{
  MotcuaReplica *self = run->replica;

  for (guint round = 0;; round++)
    {
      gboolean pending = FALSE;

      g_clear_pointer (ours, g_free);
      g_clear_pointer (theirs, g_free);
      if (!pull_all (run, theirs, error))
        return FALSE;
      if (_motcua_replica_meta_get_int (self, "purge_due", 0) != 0 && !purge (run, error))
        return FALSE;
      if (!local_digest (run, ours, &pending, error))
        return FALSE;
      if (!pending)
        return TRUE;
      if (round == WRITES_DURING_SYNC_ROUNDS)
        {
          run->p.verify_deferred = TRUE;
          return TRUE;
        }
      if (!_motcua_sync_step_push (run, error))
        return FALSE;
    }
}

gboolean
_motcua_sync_step_pull (Run     *run,
                        GError **error)
{
  MotcuaReplica *self = run->replica;
  g_autofree char *theirs = NULL;
  g_autofree char *ours = NULL;

  if (!pull_and_compare (run, &ours, &theirs, error))
    return FALSE;
  if (!run->p.verify_deferred && (g_strcmp0 (ours, theirs) != 0 || recount_due (self))
      && !check_kept_sums (run, &ours, error))
    return FALSE;
  if (run->p.verify_deferred || g_strcmp0 (ours, theirs) == 0)
    {
      run->p.verified = !run->p.verify_deferred;
      return TRUE;
    }

  /* Divergence never hides: pull the whole scope again, and say so. */
  g_message ("The integrity digest of %s differs from the server's (%s, server %s):"
             " pulling its scope again", self->path, ours, theirs);
  run->p.repulled = TRUE;
  if (!motcua_replica_begin (self, error))
    return FALSE;
  if (!_motcua_replica_finish (self,
                               _motcua_replica_meta_set_text (self, "hub_cursor", NULL, error)
                               && _motcua_replica_meta_set_int (self, "purge_due", 1, error),
                               error))
    return FALSE;

  if (!pull_and_compare (run, &ours, &theirs, error))
    return FALSE;
  if (run->p.verify_deferred)
    return TRUE;
  if (g_strcmp0 (ours, theirs) != 0 && !check_kept_sums (run, &ours, error))
    return FALSE;
  if (g_strcmp0 (ours, theirs) != 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DIVERGED,
                   _("This replica still differs from the server after pulling its whole scope"
                     " again (digest %s, server %s): keep the replica file and report it"),
                   ours, theirs);
      return FALSE;
    }
  run->p.verified = TRUE;

  return TRUE;
}

