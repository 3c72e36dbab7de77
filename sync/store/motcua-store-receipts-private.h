/* motcua-store-receipts-private.h: a desk's receipt numbers, stored
 *
 * The blocks of numbers the server leased this replica (receipt_leases: kept, counted, taken
 * from) and its own counters per office and year (receipt_counters). What they mean, and the
 * number printed from them, is the domain's (domain/motcua-receipts.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* An office this replica keeps leased receipt numbers for. */
typedef struct
{
  MotcuaUuid  id;
  char       *code;
} MotcuaLeaseOffice;

void      _motcua_store_receipts_office_free (gpointer          data);

/* Keeps the block [@first, @last] leased for @office_id and @year; a block held already is
 * left as it is. */
gboolean  _motcua_store_receipts_add_lease   (MotcuaReplica    *store,
                                              const MotcuaUuid *office_id,
                                              int               year,
                                              gint64            first,
                                              gint64            last,
                                              GError          **error);
/* The offices this replica keeps leased numbers for: its own first, then each one it holds a
 * lease or a counter for, by code: a GPtrArray of MotcuaLeaseOffice. */
GPtrArray *_motcua_store_receipts_offices    (MotcuaReplica    *store,
                                              GError          **error);
/* How many leased numbers of @office_id for @year are left (0 on an error). */
gint64    _motcua_store_receipts_lease_left  (MotcuaReplica    *store,
                                              const MotcuaUuid *office_id,
                                              int               year);
/* Takes the next leased number, from the lowest block: 0 when none is left, -1 on an error.
 * Inside a transaction. */
gint64    _motcua_store_receipts_take_leased (MotcuaReplica    *store,
                                              const MotcuaUuid *office_id,
                                              int               year,
                                              GError          **error);
/* Takes the next number of the replica's own counter of @office_id for @year (from 1), or -1
 * on an error. Inside a transaction. */
gint64    _motcua_store_receipts_count       (MotcuaReplica    *store,
                                              const MotcuaUuid *office_id,
                                              int               year,
                                              GError          **error);

G_END_DECLS
