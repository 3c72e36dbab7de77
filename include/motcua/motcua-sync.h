/* motcua-sync.h: a replica syncing with its provincial server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-inside.h"
#include <gio/gio.h>

#include "motcua-replica.h"

G_BEGIN_DECLS

/* Binds a replica to a server and its office with a token from `motcua-server replicas enroll`.
 * Creates the replica at @path for the token's office when there is none; an existing replica
 * must belong to that office. Blocking: call it from a thread (or the CLI). */
gboolean         motcua_sync_enroll           (const char     *path,
                                               const char     *server_url,
                                               const char     *token,
                                               GCancellable   *cancellable,
                                               GError        **error);
/* The server a replica is enrolled with, or NULL. */
char            *motcua_replica_dup_server_url (MotcuaReplica *self);
/* The desk code the server gave this replica at enrollment ("Q07"), or NULL. Receipt numbers
 * given offline past the leased ones carry it. */
char            *motcua_replica_dup_desk_code (MotcuaReplica *self);

/* How far this computer's clock may be from the server's before the officer is told to set it
 * (the times it writes are corrected by the server's clock whatever the offset). */
#define MOTCUA_CLOCK_WARNING_MS (2 * 60 * 1000)
/* How far ahead of the server's clock a pushed change may be stamped: further is refused. */
#define MOTCUA_MAX_SKEW_MS (5 * 60 * 1000)

/* The server's clock minus this computer's, in milliseconds, as the last sync that reached the
 * server measured it (one that failed after asking counts), or 0. Negative: this computer's
 * clock is ahead. */
gint64           motcua_replica_get_clock_offset_ms (MotcuaReplica *self);

typedef enum
{
  MOTCUA_SYNC_STATUS_NOT_ENROLLED,
  MOTCUA_SYNC_STATUS_IDLE,          /* enrolled, not synced since it started */
  MOTCUA_SYNC_STATUS_OFFLINE,       /* the server could not be reached */
  MOTCUA_SYNC_STATUS_SYNCING,
  MOTCUA_SYNC_STATUS_UP_TO_DATE,
  MOTCUA_SYNC_STATUS_ERROR,         /* see motcua_sync_get_error_message() */
} MotcuaSyncStatus;

/* What a sync has done so far (and, at its end, in all). */
typedef struct
{
  guint64  changes_sent;
  guint64  changes_received;
  guint64  bytes_sent;         /* on the wire, compressed, headers excluded */
  guint64  bytes_received;
  guint    batches_sent;
  guint    batches_received;
  gboolean more;               /* the server has more to send */
  guint    rejected;           /* changes refused in this sync */
  guint    conflicts;          /* open conflicts after it */
  gboolean verified;           /* the integrity digest matched */
  gboolean repulled;           /* it did not at first: the scope was pulled again */
  gboolean recounted;          /* the digest's sums kept in the replica file were stale (it
                                * was written behind the library's back): counted again */
  gboolean verify_deferred;    /* the officer kept writing during it: the next sync checks */
  guint    purged;             /* cases purged: they left this replica's scope */
  gboolean rehomed;            /* a reorganisation ended its office: it now belongs to the
                                * successor (motcua_replica_get_office_code()) and pulled its
                                * scope anew */
  gint64   clock_offset_ms;    /* the server's clock minus this computer's */
  guint    restamped;          /* pending changes given corrected stamps */
  guint    attachments_sent;   /* scans whose bytes the server now has whole */
  guint    attachments_received; /* scans downloaded whole (fetch-all) */
} MotcuaSyncProgress;

GType               motcua_sync_progress_get_type (void) G_GNUC_CONST;
MotcuaSyncProgress *motcua_sync_progress_copy     (const MotcuaSyncProgress *progress);

#define MOTCUA_TYPE_SYNC (motcua_sync_get_type ())
G_DECLARE_FINAL_TYPE (MotcuaSync, motcua_sync, MOTCUA, SYNC, GObject)

/* A sync engine for the replica at @path. Runs use a connection to the replica of their own,
 * in a worker thread, so the caller's replica stays usable: it sees the pulled changes as soon
 * as they are committed. The connection is opened once and kept between runs while they go well
 * (a desk syncs all day; opening the file is more than half of an idle sync's cost).
 * Signals are emitted in the thread-default main context of the thread that created the
 * engine. */
MotcuaSync      *motcua_sync_new              (const char           *replica_path);

/* Pushes this replica's pending changes, then pulls until up to date, then checks the digest.
 * One run at a time: a run asked for while one is going joins it. */
void             motcua_sync_run_async        (MotcuaSync           *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean         motcua_sync_run_finish       (MotcuaSync           *self,
                                               GAsyncResult         *result,
                                               MotcuaSyncProgress   *summary,
                                               GError              **error);
/* The same, blocking the calling thread (progress is still signalled, from it). */
gboolean         motcua_sync_run              (MotcuaSync           *self,
                                               GCancellable         *cancellable,
                                               MotcuaSyncProgress   *summary,
                                               GError              **error);

MotcuaSyncStatus  motcua_sync_get_state        (MotcuaSync           *self);
const char      *motcua_sync_get_error_message (MotcuaSync          *self);
/* Unix seconds of the last sync that completed, or 0. */
gint64           motcua_sync_get_last_sync    (MotcuaSync           *self);
gint64           motcua_sync_get_n_pending    (MotcuaSync           *self);
gint64           motcua_sync_get_n_rejected   (MotcuaSync           *self);
gint64           motcua_sync_get_n_conflicts  (MotcuaSync           *self);
/* Re-reads the counts from the replica (after local edits); emits notify for those that
 * changed. */
void             motcua_sync_refresh_counts   (MotcuaSync           *self);

/* Sync every @interval_s seconds and whenever the network comes back (GNetworkMonitor); 0
 * stops it. */
void             motcua_sync_set_auto         (MotcuaSync           *self,
                                               guint                 interval_s);

const char      *motcua_sync_status_to_string  (MotcuaSyncStatus       state);

G_END_DECLS
