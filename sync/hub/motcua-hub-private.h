/* motcua-hub-private.h: a replica serving others (the provincial server's core)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "motcua-changes-private.h"
#include "motcua-domain-private.h"
#include "motcua-hub.h"
#include "motcua-pg-private.h"
#include "motcua-store-hub-conflicts-private.h"
#include "motcua-store-hub-log-private.h"
#include "motcua-store-hub-push-private.h"
#include "motcua-store-hub-scope-private.h"
#include "motcua-store-hub-state-private.h"
#include "motcua-store-leases-private.h"
#include "motcua-store-replicas-private.h"
#include "motcua-store-restore-private.h"

G_BEGIN_DECLS

/* An enrolled replica, as its token authenticates it. */
typedef struct
{
  char        *token_id;
  char        *office_code;    /* the office in charge today of what it was enrolled for */
  GPtrArray   *moved_from;     /* the ended offices between the two, first to last, or NULL */
  MotcuaLevel  level;
  gboolean     bound;          /* replica_id is known: it has pushed once */
  MotcuaUuid   replica_id;
  guint64      acked_seq;
  char        *desk_code;      /* short, unique in the province: "Q" and a number */
  GHashTable  *jurisdiction;   /* office ids (16-byte keys) of its office's jurisdiction today */
} MotcuaHubPeer;

void           _motcua_hub_peer_free    (MotcuaHubPeer  *peer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaHubPeer, _motcua_hub_peer_free)

/* Enrolls an office: returns its token ("id.secret"), shown once; only a salted hash is kept. */
char          *_motcua_hub_enroll       (MotcuaReplica  *hub,
                                         const char     *office_code,
                                         GError        **error);
/* The enrolled replicas, oldest first (MotcuaHubReplicaInfo). */
GPtrArray     *_motcua_hub_list_replicas (MotcuaReplica  *hub,
                                         GError        **error);
gboolean       _motcua_hub_revoke       (MotcuaReplica  *hub,
                                         const char     *token_id,
                                         GError        **error);
MotcuaHubPeer *_motcua_hub_authenticate (MotcuaReplica  *hub,
                                         const char     *token,
                                         GError        **error);

/* Binds the token to the replica @replica_id (enrollment); a token binds one replica only. */
gboolean       _motcua_hub_bind         (MotcuaReplica     *hub,
                                         MotcuaHubPeer     *peer,
                                         const MotcuaUuid  *replica_id,
                                         GError           **error);
/* The same, in the transaction under way (a push's first change binds its token). */
gboolean       _motcua_hub_bind_in_tx   (MotcuaReplica     *hub,
                                         MotcuaHubPeer     *peer,
                                         const MotcuaUuid  *replica_id,
                                         GError           **error);
/* Notes when the peer was last seen. */
void           _motcua_hub_touch        (MotcuaReplica  *hub,
                                         MotcuaHubPeer  *peer);

/* Accepts a contiguous run of the peer's own changes from its last acknowledged one + 1; a run
 * already held is acknowledged again, a gap is refused (MOTCUA_ERROR_GAP). A change outside the
 * peer's scope or authority is refused alone: it is listed in @rejected ({"s", "reason"}) and
 * acknowledged, so the replica keeps it, marked rejected. Conflicts are detected and written as
 * rows. All in one transaction. */
gboolean       _motcua_hub_push_batch   (MotcuaReplica  *hub,
                                         MotcuaHubPeer  *peer,
                                         MotcuaWireBatch *changes,
                                         guint64        *acked_out,
                                         JsonArray     **rejected_out,
                                         guint          *n_conflicts_out,
                                         GError        **error);
/* The same from a JSON list, decoded once (for the tests and the fuzzers). */
gboolean       _motcua_hub_push         (MotcuaReplica  *hub,
                                         MotcuaHubPeer  *peer,
                                         JsonArray      *changes,
                                         guint64        *acked_out,
                                         JsonArray     **rejected_out,
                                         guint          *n_conflicts_out,
                                         GError        **error);
/* Appends the hub's own new changes to the global order. */
gboolean       _motcua_hub_publish      (MotcuaReplica  *hub,
                                         GError        **error);
/* What lies in the peer's scope past @cursor (NULL or "" for a new replica: its scope's current
 * state first), at most @limit changes or snapshot rows, in the hub's order, as a list
 * written compact when @compact. */
MotcuaWireWriter *_motcua_hub_pull      (MotcuaReplica  *hub,
                                         MotcuaHubPeer  *peer,
                                         const char     *cursor,
                                         guint           limit,
                                         gboolean        compact,
                                         char          **cursor_out,
                                         gboolean       *more_out,
                                         GError        **error);
/* Leases @count receipt numbers of @office_code for @year: never given to anyone else. */
gboolean       _motcua_hub_lease        (MotcuaReplica  *hub,
                                         const char     *token_id,
                                         const char     *office_code,
                                         int             year,
                                         guint           count,
                                         gint64         *first_out,
                                         gint64         *last_out,
                                         GError        **error);
/* The cases the peer's changes waited for (the hub lacked them: its store was restored) that
 * the hub holds now, as UUID strings: the peer sends those changes again. */
JsonArray     *_motcua_hub_cases_back   (MotcuaReplica  *hub,
                                         MotcuaHubPeer  *peer,
                                         GError        **error);

/* motcua_hub_get_generation() on the store itself (motcua-hub-restore.c). */
gint64         _motcua_hub_generation   (MotcuaReplica  *hub);


/* Inside the hub: the scope every part judges by (motcua-hub.c). */
gboolean       _motcua_hub_office_in_scope (MotcuaHubPeer  *peer,
                                            const void     *office_id,
                                            int             size);
gboolean       _motcua_hub_case_known   (MotcuaReplica  *hub,
                                         const guint8   *case_id);
gboolean       _motcua_hub_case_in_scope (MotcuaReplica *hub,
                                          MotcuaHubPeer *peer,
                                          const guint8  *case_id);
/* The case a row of a timeline or a scan belongs to, or NULL. */
const MotcuaUuid *_motcua_hub_row_case  (const MotcuaWireItem *change);
/* A row's whole state as a snapshot row, written to @out (nothing when there is no such row);
 * @batch is scratch space, emptied first. */
gboolean       _motcua_hub_write_row    (MotcuaReplica          *hub,
                                         const MotcuaTableDesc  *table,
                                         const MotcuaUuid       *id,
                                         MotcuaWireBatch        *batch,
                                         MotcuaWireWriter       *out,
                                         GError                **error);
/* The merge observer that detects conflicts (motcua-hub-conflicts.c); @user_data: a guint
 * counting the new ones. */
gboolean       _motcua_hub_detect_conflict (MotcuaReplica          *hub,
                                            const MotcuaMergeEvent *event,
                                            gpointer                user_data,
                                            GError                **error);
/* The global order (motcua-hub-log.c): which case a change is about, if any; appending
 * accepted changes with their scope; the last position given. */
gboolean       _motcua_hub_change_case  (MotcuaReplica          *hub,
                                         const MotcuaWireItem   *change,
                                         MotcuaUuid             *case_id,
                                         gboolean               *has_case,
                                         GError                **error);
gboolean       _motcua_hub_log_changes  (MotcuaReplica          *hub,
                                         MotcuaWireItem *const  *accepted,
                                         guint                   n,
                                         GError                **error);

G_END_DECLS
