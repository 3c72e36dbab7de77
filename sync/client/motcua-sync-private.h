/* motcua-sync-private.h: one sync, shared by its steps
 *
 * Layer: client. A sync's steps (motcua-sync.c: status, push, leases; motcua-sync-pull.c: pull,
 * digest, purge) share the run below; MotcuaSync (motcua-sync-session.c) runs them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-changes-private.h"
#include "motcua-domain-private.h"
#include "motcua-store-sync-private.h"
#include "motcua-sync.h"
#include "motcua-transport-private.h"

G_BEGIN_DECLS

/* Changes per push: the server takes 5,000 (PROTOCOL.md), and a batch is rounded up to whole row
 * writes (63 more at most). Each push is a request and a durable transaction on the server, so
 * fewer, larger ones go faster; 4,000 compact changes are ~30 kB of gzip, ~1 s at 256 kbit/s. */
#define PUSH_BATCH 4000
/* Changes per pull: the first ask of a sync. While full answers come back within
 * PULL_QUICK_US and under PULL_SMALL_BYTES on the wire, the next ask is twice as large, up to
 * the server's default most (MOTCUA_HUB_MAX_CHANGES_PER_PULL): a fast link catches up on
 * changes in fewer, larger transactions. Whole rows (a first sync's) are ~10 times the bytes
 * of a change and stay at 2,000: larger batches of them only left the replica more to apply
 * after the last answer. An answer that takes longer than PULL_SLOW_US halves the ask, down
 * to PULL_BATCH_MIN: a weak link that drops a request loses less. */
#define PULL_BATCH 2000
#define PULL_BATCH_MIN 500
#define PULL_QUICK_US (1 * G_USEC_PER_SEC)
#define PULL_SMALL_BYTES (64 * 1024)
#define PULL_SLOW_US (4 * G_USEC_PER_SEC)
/* A transport's own batch size, if it sets one. */
#define BATCH(set, otherwise) ((set) != 0 ? (set) : (otherwise))
#define LEASE_BLOCK 200
/* Pushes made again, when the officer wrote during a sync, before its comparison of digests is
 * left to the next sync. */
#define WRITES_DURING_SYNC_ROUNDS 2
#define LEASE_LOW 50


typedef struct
{
  MotcuaReplica      *replica;
  MotcuaTransport    *transport;
  MotcuaProgressFunc  progress;
  gpointer            user_data;
  GCancellable       *cancellable;
  MotcuaSyncProgress  p;
  gint64              server_now;
  guint64             held;           /* what the server holds of ours, from its status */
  gboolean            compact;        /* the server takes and gives compact change lists */
  guint64             upto;           /* this push ends here: what was written when it began */
  guint               pull_limit;     /* the next pull's limit (PULL_BATCH and after) */
  gint64              exchange_us;    /* how long the last request took, its answer whole */
  guint64             exchange_bytes; /* its answer's bytes on the wire */
} Run;

/* One request; the answer's JSON object, or NULL with an error naming what went wrong. */
JsonObject *_motcua_sync_call      (Run         *run,
                                    const char  *method,
                                    const char  *endpoint,
                                    JsonObject  *body,
                                    GError     **error);
/* The same with a long list as text, never a tree: @list_in, when given, is the request's
 * member @list (written after @body's members); with @list_out, the answer's member @list is
 * left out of the object, an empty array in its place, and its text is in @list_out (NULL
 * when the answer has none). */
JsonObject *_motcua_sync_call_list (Run         *run,
                                    const char  *method,
                                    const char  *endpoint,
                                    JsonObject  *body,
                                    const char  *list,
                                    const char  *list_in,
                                    GBytes     **list_out,
                                    GError     **error);
/* Tells the caller how far the sync got. */
void        _motcua_sync_report    (Run         *run);
/* Pushes what the server does not hold yet (motcua-sync.c). */
gboolean    _motcua_sync_step_push (Run         *run,
                                    GError     **error);
/* Pulls until up to date, compares digests and purges (motcua-sync-pull.c). */
gboolean    _motcua_sync_step_pull (Run         *run,
                                    GError     **error);

G_END_DECLS
