/* motcua-hub-scope.c: the scope the hub judges by
 *
 * Which offices hold a case as the hub holds it now, whether a replica sees it, which case a
 * row of a timeline or a scan belongs to: what judging a push, logging and serving pulls all
 * ask.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "motcua-error.h"
#include "motcua-hub-private.h"

gboolean
_motcua_hub_office_in_scope (MotcuaHubPeer *peer,
                             const void    *office_id,
                             int            size)
{
  return _motcua_id_in_set (peer->jurisdiction, office_id, size);
}

/* Whether the hub holds the case @case_id at all. Only a case it does not hold yet may be placed
 * in a replica's scope by the offices a push names for it: naming its own office as the
 * handling office of another office's case must not hand that case over. */
gboolean
_motcua_hub_case_known (MotcuaReplica *hub,
                        const guint8  *case_id)
{
  gboolean known;

  /* On an error, as if known: the change is then judged by the hub's state, and refused. */
  if (!_motcua_store_hub_scope_case_known (hub, case_id, &known, NULL))
    return TRUE;

  return known;
}

/* Whether the case @case_id, as the hub holds it now, is in the peer's scope. Either office
 * may be missing (a push can give a case one of them only): each that is there puts the case
 * in the scope of the replicas above it, here as in the digest and the state transfer
 * (motcua-replication.c). The receiving office counts while it holds the case
 * (MOTCUA_STORE_CASE_RECEIVER). */
gboolean
_motcua_hub_case_in_scope (MotcuaReplica *hub,
                           MotcuaHubPeer *peer,
                           const guint8  *case_id)
{
  MotcuaUuid receiving, handling;
  gboolean has_receiving, has_handling;

  if (!_motcua_store_hub_scope_case_offices (hub, case_id, &receiving, &has_receiving, &handling,
                                             &has_handling, NULL))
    return FALSE;

  return (has_receiving && _motcua_hub_office_in_scope (peer, receiving.bytes, 16))
         || (has_handling && _motcua_hub_office_in_scope (peer, handling.bytes, 16));
}

/* The case a row of a timeline or a scan belongs to, or NULL. */
const MotcuaUuid *
_motcua_hub_row_case (const MotcuaWireItem *change)
{
  const MotcuaValue *case_id = _motcua_wire_item_get (change, "case_id");

  return case_id != NULL && case_id->type == SQLITE_BLOB
         ? (const MotcuaUuid *) (const void *) case_id->s : NULL;
}

/* A row's whole state as a snapshot row, written to @out (nothing when there is no such row).
 * @batch: scratch space, emptied first. */
gboolean
_motcua_hub_write_row (MotcuaReplica          *hub,
                       const MotcuaTableDesc  *table,
                       const MotcuaUuid       *id,
                       MotcuaWireBatch        *batch,
                       MotcuaWireWriter       *out,
                       GError                **error)
{
  gboolean found;

  _motcua_wire_batch_clear (batch);
  if (!_motcua_replica_row_item (hub, table, id, batch, &found, error))
    return FALSE;
  if (found)
    _motcua_wire_writer_add_item (out, _motcua_wire_batch_item (batch, 0));

  return TRUE;
}
