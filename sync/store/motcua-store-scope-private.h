/* motcua-store-scope-private.h: the SQL of a replica's scope: offices, digests, purges, transfers
 *
 * The store's side of replication/motcua-replication.c: the office ids below an office, the rows
 * an integrity digest visits, the cases a purge or a state transfer's end looks at and drops
 * (with their timelines, scans, conflicts and full-text entries), the refusals of changes to a
 * case, and the rows a state transfer brought. Which rows are in scope, and which go, is
 * decided above.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* A row as a scope's walks give it, borrowed: valid during the callback. */
typedef struct
{
  gint64         rid;
  const guint8  *id;        /* 16 bytes, or NULL when the row's id is not an id */
  /* For a case, its receiving and handling offices; for a row of a timeline, of scans or a
   * conflict, refs[0] is its case; 16 bytes or NULL. */
  const guint8  *refs[2];
  guint64        pending;   /* the last change of ours to a case and what hangs on it (0: none) */
} MotcuaStoreScopeRow;

typedef gboolean (*MotcuaStoreScopeFunc) (const MotcuaStoreScopeRow  *row,
                                          gpointer                    user_data,
                                          GError                    **error);

/* The rows of @table an integrity digest visits (id, refs): all but those a refusal keeps
 * apart (see _motcua_replica_scope_digest()). */
gboolean      _motcua_store_scope_foreach_digest_row (MotcuaReplica         *self,
                                                      MotcuaTableId          table,
                                                      MotcuaStoreScopeFunc   each,
                                                      gpointer               user_data,
                                                      GError               **error);

/* Every case (rid, refs, pending). */
gboolean      _motcua_store_scope_foreach_case  (MotcuaReplica         *self,
                                                 MotcuaStoreScopeFunc   each,
                                                 gpointer               user_data,
                                                 GError               **error);

/* The cases a state transfer did not bring and no change of ours waits for (rid, pending). */
gboolean      _motcua_store_scope_foreach_unsent_case (MotcuaReplica         *self,
                                                       MotcuaStoreScopeFunc   each,
                                                       gpointer               user_data,
                                                       GError               **error);

/* The rows (rid, id) of @table, a timeline or scans, of the case at @case_rid that this replica
 * logged. */
gboolean      _motcua_store_scope_foreach_logged_row (MotcuaReplica          *self,
                                                      const MotcuaTableDesc  *table,
                                                      gint64                  case_rid,
                                                      MotcuaStoreScopeFunc    each,
                                                      gpointer                user_data,
                                                      GError                **error);

/* Whether the server refused a change of this replica's to the case at @rid, to its timeline or
 * to its scans. */
gboolean      _motcua_store_scope_case_refused  (MotcuaReplica         *self,
                                                 gint64                 rid,
                                                 gboolean              *refused,
                                                 GError               **error);

/* Those refusals say the case at @rid is not this replica's (unless they wait for it). */
gboolean      _motcua_store_scope_mark_gone     (MotcuaReplica         *self,
                                                 gint64                 rid,
                                                 GError               **error);

/* Deletes the case at @rid with its timeline, scans, conflicts and full-text entry. */
gboolean      _motcua_store_scope_drop_case     (MotcuaReplica         *self,
                                                 gint64                 rid,
                                                 GError               **error);

/* Whether the case @id is here. */
gboolean      _motcua_store_scope_case_exists   (MotcuaReplica         *self,
                                                 const MotcuaUuid      *id,
                                                 gboolean              *exists,
                                                 GError               **error);

/* The rows a state transfer brought: forgotten, one noted, and at its end the conflicts, events
 * and scans it did not bring removed, unless a change of ours to them is past @acked or was
 * refused. */
gboolean      _motcua_store_scope_transfer_clear (MotcuaReplica        *self,
                                                  GError              **error);
gboolean      _motcua_store_scope_transfer_note (MotcuaReplica         *self,
                                                 MotcuaTableId          table,
                                                 const MotcuaUuid      *id,
                                                 GError               **error);
gboolean      _motcua_store_scope_transfer_drop_unsent (MotcuaReplica  *self,
                                                        guint64         acked,
                                                        GError        **error);

G_END_DECLS
