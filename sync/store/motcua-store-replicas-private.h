/* motcua-store-replicas-private.h: the replicas a province enrolled, stored
 *
 * One row of hub_replicas a token: its salted hash, its office, the replica it is bound to,
 * what the hub acknowledged of it, its desk number, and whether it was revoked. What a token
 * is worth and who may do what with it is the hub's (hub/motcua-hub-replicas.c). A store that
 * enrolled a replica serves others: it is the province's hub.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* A row of hub_replicas. */
typedef struct
{
  char       *token_id;
  char       *office_code;
  guint8      salt[16];
  guint8      token_hash[32];
  gboolean    has_hash;        /* salt and token_hash were stored whole */
  gboolean    bound;           /* replica_id is known: it has pushed once */
  MotcuaUuid  replica_id;
  gint64      acked_seq;
  gboolean    revoked;
  char       *enrolled_at;
  char       *last_seen_at;
  gint64      desk_no;
} MotcuaStoreReplicaRow;

void       _motcua_store_replica_row_free     (MotcuaStoreReplicaRow  *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaStoreReplicaRow, _motcua_store_replica_row_free)

/* Whether this replica serves others (it has enrolled one). */
gboolean   _motcua_store_replicas_is_hub      (MotcuaReplica          *store);

/* Enrolls @row (its token_id, salt, token_hash, office_code and enrolled_at) with the next desk
 * number, at least @first_desk_no: desk numbers are never given twice, revoked tokens'
 * included. The store serves others from then on. Inside a transaction. */
gboolean   _motcua_store_replicas_insert      (MotcuaReplica          *store,
                                               const MotcuaStoreReplicaRow *row,
                                               gint64                  first_desk_no,
                                               GError                **error);
/* Marks @token_id revoked; @found_out says whether it was enrolled. */
gboolean   _motcua_store_replicas_revoke      (MotcuaReplica          *store,
                                               const char             *token_id,
                                               gboolean               *found_out,
                                               GError                **error);
/* The row of @token_id, NULL (and no error) if there is none. */
MotcuaStoreReplicaRow *_motcua_store_replicas_lookup (MotcuaReplica   *store,
                                                      const char      *token_id,
                                                      GError         **error);
/* The token @replica_id is bound to, if any: NULL in @token_out when none, else its token id,
 * whether it was revoked and what the hub acknowledged of it. */
gboolean   _motcua_store_replicas_holder      (MotcuaReplica          *store,
                                               const MotcuaUuid       *replica_id,
                                               char                  **token_out,
                                               gboolean               *revoked_out,
                                               gint64                 *acked_out,
                                               GError                **error);
/* Binds @token_id to @replica_id, acknowledged up to @acked at least; unbinds @token_id. */
gboolean   _motcua_store_replicas_bind        (MotcuaReplica          *store,
                                               const char             *token_id,
                                               const MotcuaUuid       *replica_id,
                                               gint64                  acked,
                                               GError                **error);
gboolean   _motcua_store_replicas_unbind      (MotcuaReplica          *store,
                                               const char             *token_id,
                                               GError                **error);
/* Notes when @token_id was last seen (@now). */
gboolean   _motcua_store_replicas_touch       (MotcuaReplica          *store,
                                               const char             *token_id,
                                               const char             *now,
                                               GError                **error);
/* The enrolled replicas, oldest first: a GPtrArray of MotcuaStoreReplicaRow. */
GPtrArray *_motcua_store_replicas_list        (MotcuaReplica          *store,
                                               GError                **error);
/* The office code of the replica @replica_id, as its token was enrolled for, or NULL. */
char      *_motcua_store_replicas_office_of   (MotcuaReplica          *store,
                                               const MotcuaUuid       *replica_id);
/* The cases the changes of @replica_id waited for (the hub lacked them) that the store holds
 * now: a GArray of MotcuaUuid. */
GArray    *_motcua_store_replicas_cases_back  (MotcuaReplica          *store,
                                               const MotcuaUuid       *replica_id,
                                               GError                **error);

G_END_DECLS
