/* motcua-store-leases-private.h: the province's lease counter, stored
 *
 * The receipt numbers the province gives, per office and year: the next one not given
 * (hub_leases) and every block given, to whom (hub_lease_log). The hub leases blocks to desks
 * (hub/motcua-hub-leases.c) and its own desk takes its numbers from the same counter
 * (domain/motcua-receipts.c), so both call this; each refuses in its own words when the
 * counter has no room left.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* Gives @count numbers of @office_code for @year to @token_id: the block starts at the
 * counter's next number (before any lease, at the next one the province's own desk counter of
 * @office_id reached, if @office_id is given), and above anything a generation before the
 * last restore reached (MOTCUA_HUB_RECEIPT_SPAN numbers a generation). Its first number in
 * @first_out, or 0, with nothing written, when the generation's range has no room for it. In
 * a transaction of its own (nested in the caller's, if any). */
gboolean  _motcua_store_leases_grant (MotcuaReplica     *store,
                                      const char        *token_id,
                                      const char        *office_code,
                                      const MotcuaUuid  *office_id,
                                      int                year,
                                      guint              count,
                                      gint64            *first_out,
                                      GError           **error);
/* Moves every counter up to @next at least (a restore's new generation). */
gboolean  _motcua_store_leases_raise (MotcuaReplica     *store,
                                      gint64             next,
                                      GError           **error);

G_END_DECLS
