/* motcua-hub-log.c: the global order
 *
 * Every accepted change, the hub's own included, is appended to hub_log with the offices that
 * put it in a replica's scope; a case that moves to a new handling office is logged whole first
 * for the replicas it enters.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-hub-private.h"

typedef struct
{
  gboolean   has_case;
  MotcuaUuid case_id;
  guint      n_offices;
  /* The receiving office (while it holds the case, or in the batch that ends its holding),
   * the handling office, and the handling office before: three at most, as a receiving
   * office that no longer holds the case is named only when it did before the batch. */
  MotcuaUuid offices[3];
  gboolean   entered;        /* the case moved to a new handling office */
} EntryScope;

/* Which case a change is about, if any: a case row itself, a row of a case's timeline or
 * scans (by its case_id), or a conflict on a case. */
gboolean
_motcua_hub_change_case (MotcuaReplica         *hub,
             const MotcuaWireItem  *change,
             MotcuaUuid            *case_id,
             gboolean              *has_case,
             GError               **error)
{
  const MotcuaTableDesc *table = change->table;
  const MotcuaUuid *row = &change->row_id;

  *has_case = FALSE;

  switch (table->id)
    {
    case MOTCUA_TABLE_CASES:
      *case_id = *row;
      *has_case = TRUE;
      break;
    case MOTCUA_TABLE_CASE_EVENTS:
    case MOTCUA_TABLE_ATTACHMENTS:
      {
        const MotcuaUuid *of = _motcua_hub_row_case (change);

        if (of != NULL)
          {
            *case_id = *of;
            *has_case = TRUE;
          }
      }
      break;
    case MOTCUA_TABLE_CONFLICTS:
      {
        gboolean exists;

        if (!_motcua_store_hub_log_conflict_case (hub, row, &exists, has_case, case_id, error))
          return FALSE;
      }
      break;
    default:
      break;   /* reference data: about no case */
    }

  return TRUE;
}

/* Which case a change is about, and the offices that put it in a replica's scope: the case's
 * receiving and handling offices as the hub holds them, and its handling office before, so the
 * replicas a case leaves learn that it left. */
/* A case's handling office as last logged before the batch being logged: what is in
 * hub_case_scope when the batch's first entry about the case is logged. */
typedef struct
{
  gboolean   known;      /* hub_case_scope has a row for the case */
  gboolean   has_office;
  MotcuaUuid office;
  gboolean   receiving_held;
} PriorHandling;

static gboolean
prior_handling (MotcuaReplica        *hub,
                GHashTable           *batch_prior,
                const MotcuaUuid     *case_id,
                const PriorHandling **out,
                GError              **error)
{
  g_autoptr(GBytes) key = g_bytes_new (case_id->bytes, 16);
  PriorHandling *prior = g_hash_table_lookup (batch_prior, key);

  if (prior == NULL)
    {
      g_autofree PriorHandling *read = g_new0 (PriorHandling, 1);

      if (!_motcua_store_hub_log_get_handling (hub, case_id, &read->known, &read->has_office,
                                               &read->office, &read->receiving_held, error))
        return FALSE;
      prior = read;
      g_hash_table_insert (batch_prior, g_steal_pointer (&key), g_steal_pointer (&read));
    }
  *out = prior;

  return TRUE;
}

/* @batch_prior: see prior_handling(); @same_case: the scope of the change logged before, or
 * NULL. Every entry of a batch about a case that moved in it is scoped to the office it left,
 * not only the entry that moved it: the changes of one push are logged after all of them are
 * applied, so the move must not hide in the middle. */
static gboolean
entry_scope (MotcuaReplica         *hub,
             GHashTable            *batch_prior,
             const MotcuaWireItem  *change,
             const EntryScope      *same_case,
             EntryScope            *scope,
             GError               **error)
{
  const PriorHandling *prior = NULL;
  MotcuaUuid receiving, handling;
  gboolean has_receiving, has_handling, released;

  memset (scope, 0, sizeof *scope);

  if (!_motcua_hub_change_case (hub, change, &scope->case_id, &scope->has_case, error))
    return FALSE;
  if (!scope->has_case)
    return TRUE;
  /* The changes of one case in a batch share its scope: the case's offices, as applied, and
   * its handling office before the batch do not change while the batch is logged. */
  if (same_case != NULL && same_case->has_case
      && memcmp (same_case->case_id.bytes, scope->case_id.bytes, 16) == 0)
    {
      *scope = *same_case;
      return TRUE;
    }
  if (!_motcua_store_hub_scope_case_offices (hub, scope->case_id.bytes, &receiving,
                                             &has_receiving, &handling, &has_handling,
                                             &released))
    return TRUE;   /* in no one's scope yet */

  /* The handling office as last logged before this batch. */
  if (!prior_handling (hub, batch_prior, &scope->case_id, &prior, error))
    return FALSE;

  /* A receiving office that held the case before this batch hears of the step that ended
   * its holding (its replicas then let the case go), and of nothing after. */
  if (has_receiving || (released && prior->known && prior->receiving_held))
    scope->offices[scope->n_offices++] = receiving;
  if (has_handling)
    scope->offices[scope->n_offices++] = handling;

  if (prior->known)
    {
      if (prior->has_office
          && (!has_handling || memcmp (prior->office.bytes, handling.bytes, 16) != 0))
        {
          scope->offices[scope->n_offices++] = prior->office;
          scope->entered = has_handling;
        }
      else if (!prior->has_office && has_handling)
        scope->entered = TRUE;
    }

  if (scope->n_offices > 0 && has_handling
      && !_motcua_store_hub_log_set_handling (hub, &scope->case_id, &handling, !released, error))
    return FALSE;

  return TRUE;
}

static gboolean
insert_log (MotcuaReplica     *hub,
            int                kind,
            const MotcuaUuid  *origin,
            gint64             seq,
            MotcuaTableId      table,
            const MotcuaUuid  *row,
            const EntryScope  *scope,
            const char        *text,
            GError           **error)
{
  MotcuaStoreHubLogEntry entry = {
    .kind = kind,
    .origin = origin,
    .seq = seq,
    .table = table,
    .row_id = row,
    .change = text,
    .case_id = scope->has_case ? &scope->case_id : NULL,
    .offices = scope->offices,
    .n_offices = scope->n_offices,
  };

  return _motcua_store_hub_log_append (hub, &entry, error);
}

typedef struct
{
  MotcuaReplica         *hub;
  const MotcuaTableDesc *table;
  MotcuaWireBatch       *batch;
  MotcuaWireWriter      *rows;
} CaseSnapshot;

static gboolean
case_snapshot_row (const MotcuaStoreHubStateRow  *row,
                   gpointer                       user_data,
                   GError                       **error)
{
  CaseSnapshot *snapshot = user_data;

  if (row->id == NULL)
    return TRUE;

  return _motcua_hub_write_row (snapshot->hub, snapshot->table, (const MotcuaUuid *) row->id,
                                snapshot->batch, snapshot->rows, error);
}

/* The whole state of a case (its row, timeline, attachments and conflicts) as a list of
 * snapshot rows, whole. */
static char *
case_snapshot (MotcuaReplica     *hub,
               const MotcuaUuid  *case_id,
               GError           **error)
{
  static const MotcuaTableId parts[] = {
    MOTCUA_TABLE_CASE_EVENTS, MOTCUA_TABLE_ATTACHMENTS, MOTCUA_TABLE_CONFLICTS,
  };
  g_autoptr(MotcuaWireWriter) rows = _motcua_wire_writer_new (FALSE);
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_batch_new ();
  CaseSnapshot snapshot = { hub, NULL, batch, rows };

  if (!_motcua_hub_write_row (hub, _motcua_table_lookup (MOTCUA_TABLE_CASES), case_id, batch,
                              rows, error))
    return NULL;

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      snapshot.table = _motcua_table_lookup (parts[p]);
      /* The walk's statement stays open: _motcua_hub_write_row uses other statements. */
      if (!_motcua_store_hub_state_case_rows (hub, parts[p], case_id, case_snapshot_row,
                                              &snapshot, error))
        return NULL;
    }

  return _motcua_wire_writer_finish (g_steal_pointer (&rows));
}

/* Appends accepted changes to the global order, each with its scope. A case that moved to a
 * new handling office is logged whole first, for the replicas it has just entered: they
 * hold the case before any change about it (its events, its moved fields) reaches them. */
gboolean
_motcua_hub_log_changes (MotcuaReplica         *hub,
             MotcuaWireItem *const *accepted,
             guint                  n,
             GError               **error)
{
  g_autoptr(GHashTable) entered = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                         (GDestroyNotify) g_bytes_unref, NULL);
  g_autoptr(GHashTable) batch_prior = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                             (GDestroyNotify) g_bytes_unref,
                                                             g_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autofree EntryScope *scopes = g_new0 (EntryScope, MAX (n, 1));
  g_autoptr(GString) change = NULL;

  for (guint i = 0; i < n; i++)
    {
      if (!entry_scope (hub, batch_prior, accepted[i], i > 0 ? &scopes[i - 1] : NULL,
                        &scopes[i], error))
        return FALSE;

      if (scopes[i].entered)
        {
          g_autoptr(GBytes) key = g_bytes_new (scopes[i].case_id.bytes, 16);

          /* Not g_hash_table_add() alone: on a key it holds, it frees the one held, which
           * order points to. */
          if (!g_hash_table_contains (entered, key))
            {
              g_ptr_array_add (order, key);
              g_hash_table_add (entered, g_steal_pointer (&key));
            }
        }
    }

  for (guint i = 0; i < order->len; i++)
    {
      MotcuaUuid case_id;
      MotcuaUuid receiving, handling;
      gboolean has_receiving, has_handling;
      g_autofree char *text = NULL;
      EntryScope scope = { 0 };

      memcpy (case_id.bytes, g_bytes_get_data (order->pdata[i], NULL), 16);
      if (!_motcua_store_hub_scope_case_offices (hub, case_id.bytes, &receiving, &has_receiving,
                                                 &handling, &has_handling, NULL)
          || !has_handling)
        continue;
      text = case_snapshot (hub, &case_id, error);
      if (text == NULL)
        return FALSE;

      /* For the replicas of its new handling office; the others have it. */
      scope.has_case = TRUE;
      scope.case_id = case_id;
      scope.n_offices = 1;
      scope.offices[0] = handling;
      /* Snapshots are nobody's change: a negative sequence number keeps (origin, seq)
       * unique. */
      if (!insert_log (hub, 1, &hub->uuid, -(gint64) _motcua_store_hub_log_last_gseq (hub) - 1,
                       MOTCUA_TABLE_CASES, &case_id, &scope, text, error))
        return FALSE;
    }

  change = g_string_sized_new (256);
  for (guint i = 0; i < n; i++)
    {
      g_string_truncate (change, 0);
      _motcua_wire_write_item (change, accepted[i], NULL);
      if (!insert_log (hub, 0, &accepted[i]->origin, (gint64) accepted[i]->seq,
                       accepted[i]->table->id, &accepted[i]->row_id, &scopes[i], change->str,
                       error))
        return FALSE;
    }

  return TRUE;
}

/* The hub's own writes (the province publishing its catalogue, offices and calendar, its own
 * desk's cases, the conflicts it detects) join the global order like anyone's. */
gboolean
_motcua_hub_publish (MotcuaReplica  *hub,
                     GError        **error)
{
  g_autoptr(MotcuaWireBatch) own = NULL;
  g_autofree MotcuaWireItem **items = NULL;
  guint64 published, last;
  guint n;

  /* Nothing to publish, as the file says: no write lock taken. The file's sequence number
   * counts too, since another process (an administration command beside the server) may have
   * written since this one last looked; inside a transaction, this one's own count is ahead. */
  if ((guint64) _motcua_replica_meta_get_int (hub, "hub_published", 0)
      >= MAX (hub->seq, (guint64) _motcua_replica_meta_get_int (hub, "seq", 0)))
    return TRUE;

  if (!motcua_replica_begin (hub, error))
    return FALSE;
  /* Again under the write lock, which has brought hub->seq up to date: another process may
   * have published meanwhile, and logging its changes twice would break (origin, seq). */
  published = (guint64) _motcua_replica_meta_get_int (hub, "hub_published", 0);
  if (published >= hub->seq)
    return _motcua_replica_finish (hub, TRUE, error);
  own = _motcua_replica_collect (hub, published, 0, error);
  if (own == NULL)
    return _motcua_replica_finish (hub, FALSE, error);
  n = _motcua_wire_batch_length (own);
  items = g_new (MotcuaWireItem *, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    items[i] = _motcua_wire_batch_item (own, i);
  if (!_motcua_hub_log_changes (hub, items, n, error))
    return _motcua_replica_finish (hub, FALSE, error);

  last = n > 0 ? items[n - 1]->seq : published;

  return _motcua_replica_finish (hub,
                                 _motcua_replica_meta_set_int (hub, "hub_published",
                                                               (gint64) last, error),
                                 error);
}
