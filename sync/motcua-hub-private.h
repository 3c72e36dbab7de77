/* motcua-hub-private.h: a replica serving others (the provincial server's core)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* An enrolled replica, as its token authenticates it. */
typedef struct
{
  char        *token_id;
  char        *office_code;
  MotcuaLevel  level;
  gboolean     bound;          /* replica_id is known: it has pushed once */
  MotcuaUuid   replica_id;
  guint64      acked_seq;
  GHashTable  *subtree;        /* office ids (16-byte keys) of its office and below */
} MotcuaHubPeer;

void           _motcua_hub_peer_free    (MotcuaHubPeer  *peer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaHubPeer, _motcua_hub_peer_free)

/* Enrolls an office: returns its token ("id.secret"), shown once; only a salted hash is kept. */
char          *_motcua_hub_enroll       (MotcuaReplica  *hub,
                                         const char     *office_code,
                                         GError        **error);
gboolean       _motcua_hub_revoke       (MotcuaReplica  *hub,
                                         const char     *token_id,
                                         GError        **error);
MotcuaHubPeer *_motcua_hub_authenticate (MotcuaReplica  *hub,
                                         const char     *token,
                                         GError        **error);

/* Accepts a contiguous run of the peer's own changes from its last acknowledged one + 1; a run
 * already held is acknowledged again, a gap is refused (MOTCUA_ERROR_GAP). A change outside the
 * peer's scope or authority is refused alone: it is listed in @rejected ({"s", "reason"}) and
 * acknowledged, so the replica keeps it, marked rejected. All in one transaction. */
gboolean       _motcua_hub_push         (MotcuaReplica  *hub,
                                         MotcuaHubPeer  *peer,
                                         JsonArray      *changes,
                                         guint64        *acked_out,
                                         JsonArray     **rejected_out,
                                         GError        **error);
/* Appends the hub's own new changes to the global order. */
gboolean       _motcua_hub_publish      (MotcuaReplica  *hub,
                                         GError        **error);
/* The changes in the peer's scope past @cursor, in the hub's order, at most @limit. */
JsonArray     *_motcua_hub_pull         (MotcuaReplica  *hub,
                                         MotcuaHubPeer  *peer,
                                         guint64         cursor,
                                         guint           limit,
                                         guint64        *cursor_out,
                                         gboolean       *more_out,
                                         GError        **error);

/* The replica's side: what the hub acknowledged and how far it has pulled (meta). */
guint64        _motcua_replica_get_acked      (MotcuaReplica  *self);
guint64        _motcua_replica_get_cursor     (MotcuaReplica  *self);
gboolean       _motcua_replica_set_acked      (MotcuaReplica  *self,
                                               guint64         acked,
                                               GError        **error);
/* Applies a pulled batch and moves the cursor, in one transaction. */
gboolean       _motcua_replica_apply_pulled   (MotcuaReplica  *self,
                                               JsonArray      *changes,
                                               guint64         cursor,
                                               GError        **error);

G_END_DECLS
