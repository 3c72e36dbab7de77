/* motcua-changes-private.h: the change log read back, and changes from others merged
 *
 * Layer: replication (motcua-changes.c; the merge of one field is motcua-capture.c's). Calls:
 * store, wire, base.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-wire-private.h"

G_BEGIN_DECLS

/* Called by the merge for every change or snapshot register it applies; the hub detects
 * conflicts here. @prev is the HLC the change overwrote at its origin (0 in a snapshot). */
typedef struct
{
  const MotcuaTableDesc *table;
  const MotcuaUuid      *row;
  guint                  column;       /* 0 for a row of an insert-only table */
  const MotcuaValue     *value;
  MotcuaHlc              hlc;
  const MotcuaUuid      *origin;
  MotcuaHlc              prev;
  const MotcuaRegister  *old;          /* NULL for an insert-only row */
  gboolean               won;
} MotcuaMergeEvent;

typedef gboolean (*MotcuaMergeObserver) (MotcuaReplica          *self,
                                         const MotcuaMergeEvent *event,
                                         gpointer                user_data,
                                         GError                **error);

/* Merges changes and snapshot rows alike, in order, in one transaction (the caller's when there
 * is one): all or nothing. A change already seen, or one that lost, changes nothing; @n_won
 * counts the others. */
gboolean         _motcua_replica_apply_items   (MotcuaReplica         *self,
                                                MotcuaWireItem *const *items,
                                                guint                  n_items,
                                                guint                 *n_won,
                                                MotcuaMergeObserver    observer,
                                                gpointer               user_data,
                                                GError               **error);
gboolean         _motcua_replica_apply_batch   (MotcuaReplica         *self,
                                                MotcuaWireBatch       *batch,
                                                guint                 *n_won,
                                                GError               **error);
/* The same from a JSON list, decoded once (for the tests and the fuzzers). */
gboolean         _motcua_replica_apply_changes (MotcuaReplica         *self,
                                                JsonArray             *changes,
                                                guint                 *n_won,
                                                GError               **error);

/* This replica's changes past @after_seq for a push: about @limit (0: all), rounded up to whole
 * row writes (at most 63 more), so that no push cuts a row in two. */
MotcuaWireBatch *_motcua_replica_collect       (MotcuaReplica         *self,
                                                guint64                after_seq,
                                                guint                  limit,
                                                GError               **error);
/* The same as a list's JSON text, whole or compact, and how many items it holds (@n). */
char            *_motcua_replica_collect_text  (MotcuaReplica         *self,
                                                guint64                after_seq,
                                                guint                  limit,
                                                gboolean               compact,
                                                guint                 *n,
                                                GError               **error);
/* The same as a whole list json-glib holds (tests, and the calls that build one). */
JsonArray       *_motcua_replica_collect_changes (MotcuaReplica       *self,
                                                  guint64              after_seq,
                                                  guint                limit,
                                                  GError             **error);

/* The values of the row @rid of @table into @item (a whole row), kept in @batch. */
gboolean         _motcua_replica_read_row      (MotcuaReplica         *self,
                                                const MotcuaTableDesc *table,
                                                gint64                 rid,
                                                MotcuaWireBatch       *batch,
                                                MotcuaWireItem        *item,
                                                GError               **error);
/* A row's whole state as a snapshot row, added to @batch; *found FALSE when there is no such
 * row (motcua-capture.c). */
gboolean         _motcua_replica_row_item      (MotcuaReplica         *self,
                                                const MotcuaTableDesc *table,
                                                const MotcuaUuid      *id,
                                                MotcuaWireBatch       *batch,
                                                gboolean              *found,
                                                GError               **error);

/* A state transfer: the cases, conflicts and rows of insert-only tables of a batch of it are
 * noted as the server's (motcua-replication.c; see _motcua_replica_transfer_end()). */
gboolean         _motcua_replica_transfer_saw  (MotcuaReplica         *self,
                                                MotcuaWireBatch       *items,
                                                gboolean               first,
                                                GError               **error);

G_END_DECLS
