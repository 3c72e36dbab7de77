/* motcua-store-hub-state-private.h: the hub's current rows, walked in rid order
 *
 * What a new replica downloads (its scope's state, table by table: hub/motcua-hub-pull.c) and
 * what is logged for a case that enters a new office's scope (the rows of its timeline, scans
 * and conflicts: hub/motcua-hub-log.c). Each row comes with what judging its scope needs; the
 * judging is the hub's.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* One row, valid during the callback only. */
typedef struct
{
  gint64        rid;
  const guint8 *id;               /* NULL unless 16 bytes */
  const guint8 *case_id;          /* case_events, attachments, conflicts: NULL unless 16 bytes */
  const void   *receiving;        /* cases: the offices as stored, NULL with size 0 if none */
  int           receiving_size;
  const void   *handling;
  int           handling_size;
} MotcuaStoreHubStateRow;

/* Called for each row: TRUE to go on, FALSE to stop there (with @error set, the walk fails
 * with it). The statement stays open during the call, which may use other statements. */
typedef gboolean (*MotcuaStoreHubStateEach) (const MotcuaStoreHubStateRow *row,
                                             gpointer                      user_data,
                                             GError                      **error);

/* The rows of @table past @after_rid, in rid order. */
gboolean  _motcua_store_hub_state_read      (MotcuaReplica            *hub,
                                             MotcuaTableId             table,
                                             gint64                    after_rid,
                                             MotcuaStoreHubStateEach   each,
                                             gpointer                  user_data,
                                             GError                  **error);
/* The rows of @table (case_events, attachments or conflicts) about @case_id, in rid order;
 * only rid and id are given. */
gboolean  _motcua_store_hub_state_case_rows (MotcuaReplica            *hub,
                                             MotcuaTableId             table,
                                             const MotcuaUuid         *case_id,
                                             MotcuaStoreHubStateEach   each,
                                             gpointer                  user_data,
                                             GError                  **error);

G_END_DECLS
