/* motcua-store-hub-scope-private.h: what the hub reads to judge a replica's scope
 *
 * The offices a case is held by, whether the store holds a case at all, and the attachments
 * that name a scan's bytes with their case's offices. Whose scope they fall in is the hub's
 * (hub/motcua-hub-scope.c, hub/motcua-hub-blobs.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* The offices that hold the case @case_id (16 bytes): its receiving office while that holds
 * it (MOTCUA_STORE_CASE_RECEIVER) and its handling office; FALSE if the store has no such case
 * (or on an error). Either office may be missing. @released (may be NULL) says whether the
 * receiving office no longer holds it; its id is then in @receiving, with *@has_receiving
 * FALSE. */
gboolean  _motcua_store_hub_scope_case_offices (MotcuaReplica  *store,
                                                const guint8   *case_id,
                                                MotcuaUuid     *receiving,
                                                gboolean       *has_receiving,
                                                MotcuaUuid     *handling,
                                                gboolean       *has_handling,
                                                gboolean       *released);
/* Whether the result of the case @case_id is handed back by the office deciding it, not at the
 * receiving desk (its return_at is 'deciding'); FALSE on an error too. */
gboolean  _motcua_store_hub_scope_case_returned_by_decider (MotcuaReplica  *store,
                                                            const guint8   *case_id);
/* Whether the store holds the case @case_id, in @known_out; FALSE on an error. */
gboolean  _motcua_store_hub_scope_case_known   (MotcuaReplica  *store,
                                                const guint8   *case_id,
                                                gboolean       *known_out,
                                                GError        **error);

/* An attachment naming a scan's bytes, with its case's offices (NULL when missing). */
typedef struct
{
  gint64        size;
  const char   *replica;         /* the replica that added it, as a UUID string */
  const guint8 *receiving;       /* @receiving_size bytes */
  int           receiving_size;
  const guint8 *handling;        /* @handling_size bytes */
  int           handling_size;
} MotcuaStoreScanRow;

/* Called for each attachment; returns FALSE to stop. The row lasts the call only. */
typedef gboolean (*MotcuaStoreScanEach) (const MotcuaStoreScanRow *row,
                                         gpointer                  user_data);

/* Walks the attachments that name the bytes @sha256, until @each stops; FALSE on an error. */
gboolean  _motcua_store_hub_scope_scans        (MotcuaReplica        *store,
                                                const char           *sha256,
                                                MotcuaStoreScanEach   each,
                                                gpointer              user_data,
                                                GError              **error);

G_END_DECLS
