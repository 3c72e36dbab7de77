/* motcua-store-hub-push-private.h: what judging a push reads and writes
 *
 * The facts a push is judged on (an office, a receipt number's holder, a row held already, a
 * case's procedure), the refusals kept in hub_rejected until the pushing replica has heard
 * them, and its acknowledgement in hub_replicas. The judging is the hub's
 * (hub/motcua-hub-push.c). Reads that answer a judgement take no GError: one that fails
 * answers as if nothing were there, and the merge that follows meets the same error.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

gboolean  _motcua_store_hub_push_office_exists  (MotcuaReplica     *hub,
                                                 const guint8      *office_id);
/* Whether a case other than @case_id holds @receipt_no (then in @holder). */
gboolean  _motcua_store_hub_push_receipt_holder (MotcuaReplica     *hub,
                                                 const char        *receipt_no,
                                                 const MotcuaUuid  *case_id,
                                                 MotcuaUuid        *holder);
/* The rid of the row @id of @table, or -1 when the hub holds none. */
gint64    _motcua_store_hub_push_row_rid        (MotcuaReplica     *hub,
                                                 MotcuaTableId      table,
                                                 const MotcuaUuid  *id);
/* The procedure of case @case_id as the hub holds it, if it names one. */
gboolean  _motcua_store_hub_push_case_procedure (MotcuaReplica     *hub,
                                                 const MotcuaUuid  *case_id,
                                                 MotcuaUuid        *procedure);

/* A refusal of a pushed change. waits: 0, refused for good; 1, it waits for its case to
 * reach the hub; 2, it waited, and the replica has sent a change about the case since. */
typedef struct
{
  gint64            seq;
  const char       *reason;
  const MotcuaUuid *case_id;     /* NULL: about no case */
  int               waits;
} MotcuaStoreHubRefusal;

/* Called for each refusal read, valid during the call only: TRUE to go on, FALSE to stop
 * (with @error set, the read fails with it). The statement stays open during the call, which
 * may use other statements. */
typedef gboolean (*MotcuaStoreHubRefusalEach) (const MotcuaStoreHubRefusal  *refusal,
                                               gpointer                      user_data,
                                               GError                      **error);

/* Keeps the refusal of @origin's change @refusal->seq, replacing one kept for it. */
gboolean  _motcua_store_hub_push_refusal_keep   (MotcuaReplica                *hub,
                                                 const MotcuaUuid             *origin,
                                                 const MotcuaStoreHubRefusal  *refusal,
                                                 GError                      **error);
/* The refusals of @origin's changes @first … @last, in order. */
gboolean  _motcua_store_hub_push_refusals_read  (MotcuaReplica                *hub,
                                                 const MotcuaUuid             *origin,
                                                 gint64                        first,
                                                 gint64                        last,
                                                 MotcuaStoreHubRefusalEach     each,
                                                 gpointer                      user_data,
                                                 GError                      **error);
/* Whether any refusal of @origin's changes waits (waits 1). */
gboolean  _motcua_store_hub_push_any_waiting    (MotcuaReplica                *hub,
                                                 const MotcuaUuid             *origin,
                                                 gboolean                     *any,
                                                 GError                      **error);
/* The refusals of @origin's changes that wait for one of the @n cases @case_ids wait no more
 * (waits 1 becomes 2). */
gboolean  _motcua_store_hub_push_waits_over     (MotcuaReplica                *hub,
                                                 const MotcuaUuid             *origin,
                                                 const MotcuaUuid             *case_ids,
                                                 guint                         n,
                                                 GError                      **error);

/* Records that the replica of token @token_id has pushed its changes up to @acked, and which
 * replica it is (@replica_id; NULL while it has not pushed). */
gboolean  _motcua_store_hub_push_acknowledge    (MotcuaReplica                *hub,
                                                 const char                   *token_id,
                                                 guint64                       acked,
                                                 const MotcuaUuid             *replica_id,
                                                 GError                      **error);

G_END_DECLS
