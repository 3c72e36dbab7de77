/* motcua-blobs-private.h: the bytes of scans, stored, served and transferred
 *
 * An attachment row names its bytes by their SHA-256; the bytes live in the local table blobs
 * (one row per distinct SHA-256, on desks and on the server alike), filled in place as they
 * arrive, so a transfer cut anywhere resumes where it stopped. See sync/PROTOCOL.md, Blobs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "motcua-attachments.h"
#include "motcua-hub-private.h"
#include "motcua-protocol-private.h"
#include "motcua-replica-private.h"
#include "motcua-transport-private.h"

G_BEGIN_DECLS

/* What one request carries: 64 KiB is about two seconds on a 2G link, so a cut loses little,
 * and one round trip per chunk costs little on 3G. The server serves at most MAX_CHUNK. */
#define MOTCUA_BLOB_CHUNK     (64 * 1024)
#define MOTCUA_BLOB_MAX_CHUNK (1024 * 1024)
/* At most this many SHA-256s in one POST /v1/blobs/status. */
#define MOTCUA_BLOB_MAX_STATUS 500

/* Storage (motcua-blobs.c). A blob row is made with its full size of zeros; the bytes written
 * so far are "received". Only whole, verified blobs have blobs.received = size: while a blob
 * is in transfer its progress is kept in meta ("blob:" SHA-256), because changing the row
 * itself rewrites its whole record, blob included, at every chunk. */

/* Whether a scan of @size bytes may be attached here: not empty, not past
 * MOTCUA_ATTACHMENT_MAX_SIZE (MOTCUA_ERROR_TOO_LARGE naming both) (motcua-attachments.c). */
gboolean  _motcua_attachment_check_size (guint64     size,
                                         GError    **error);

/* SQL: whether the attachment aliased "a" was removed. Removing one appends an
 * "attachment_removed" event to its case's timeline whose ref is the attachment's id:
 * insert-only like the timeline, it reaches every replica that holds the case, and a
 * removal cannot be undone by a concurrent write (motcua-attachments.c). */
#define MOTCUA_ATTACHMENT_REMOVED_SQL \
  "EXISTS (SELECT 1 FROM case_events e WHERE e.ref = a.id" \
  " AND e.action = 'attachment_removed' AND e.case_id = a.case_id)"

/* FALSE with MOTCUA_ERROR_NOT_FOUND when @a was removed from its case (motcua-attachments.c). */
gboolean  _motcua_attachment_check_not_removed (const MotcuaAttachment *a,
                                                GError                **error);

/* Whether @text is a SHA-256 as the protocol writes it: 64 lowercase hex digits. */
gboolean  _motcua_sha256_valid      (const char     *text);
char     *_motcua_sha256_of_bytes   (GBytes         *data);

typedef struct
{
  gboolean exists;       /* a row: whole, or in transfer */
  gint64   size;
  gint64   received;     /* == size when whole and verified */
  gboolean uploaded;     /* the server has it all */
} MotcuaBlobState;

gboolean  _motcua_blob_state        (MotcuaReplica   *self,
                                     const char      *sha256,
                                     MotcuaBlobState *state,
                                     GError         **error);
/* Stores whole bytes, known to have @sha256 (a local attachment). Inside a transaction. */
gboolean  _motcua_blob_store        (MotcuaReplica   *self,
                                     const char      *sha256,
                                     GBytes          *data,
                                     GError         **error);
/* Makes room for a blob of @size bytes about to arrive, unless it is there or on its way
 * (with that size: a partial row of another size is started again). Inside a transaction. */
gboolean  _motcua_blob_prepare      (MotcuaReplica   *self,
                                     const char      *sha256,
                                     gint64           size,
                                     gboolean         uploaded,
                                     GError         **error);
/* Writes @chunk at @offset, which must be where the blob's bytes end so far (else
 * MOTCUA_ERROR_GAP, and *received_out says where). When the blob is then whole, verifies it: a
 * match marks it whole; a mismatch deletes it and sets *corrupt_out, with TRUE returned so that
 * the caller commits the deletion before it reports the error. Inside a transaction. */
gboolean  _motcua_blob_write        (MotcuaReplica   *self,
                                     const char      *sha256,
                                     gint64           offset,
                                     GBytes          *chunk,
                                     gint64          *received_out,
                                     gboolean        *corrupt_out,
                                     GError         **error);
/* At most @length bytes from @offset of a whole or partial blob. */
GBytes   *_motcua_blob_read         (MotcuaReplica   *self,
                                     const char      *sha256,
                                     gint64           offset,
                                     gint64           length,
                                     GError         **error);
/* Inside a transaction. */
gboolean  _motcua_blob_set_uploaded (MotcuaReplica   *self,
                                     const char      *sha256,
                                     GError         **error);
/* Deletes blobs that no attachment names any more (their cases were purged) and that need not
 * be uploaded, and those that only removed attachments name (uploaded or not: a removed scan
 * goes nowhere); only the blob @sha256 when it is not NULL. Inside a transaction. */
gboolean  _motcua_blob_drop_orphans (MotcuaReplica   *self,
                                     const char      *sha256,
                                     guint           *n_out,
                                     GError         **error);

/* The hub's endpoints (motcua-blobs.c), called by _motcua_hub_handle() once the request is
 * authenticated. @query is the URL's parsed query, or NULL. */
MotcuaHubResponse *_motcua_hub_blobs_status (MotcuaReplica          *hub,
                                             const MotcuaHubLimits  *limits,
                                             MotcuaHubPeer          *peer,
                                             const MotcuaHubRequest *request);
MotcuaHubResponse *_motcua_hub_blob_get     (MotcuaReplica          *hub,
                                             const MotcuaHubLimits  *limits,
                                             MotcuaHubPeer          *peer,
                                             const MotcuaHubRequest *request,
                                             GHashTable             *query);
MotcuaHubResponse *_motcua_hub_blob_put     (MotcuaReplica          *hub,
                                             const MotcuaHubLimits  *limits,
                                             MotcuaHubPeer          *peer,
                                             const MotcuaHubRequest *request,
                                             GHashTable             *query);

/* Helpers of motcua-protocol.c the blob endpoints share. */
MotcuaHubResponse *_motcua_hub_json_answer  (MotcuaReplica          *hub,
                                             guint                   status,
                                             JsonObject             *body);
MotcuaHubResponse *_motcua_hub_error_from   (const GError           *error);
/* The body as a JSON object holding only @members, in *out; an error response otherwise. */
MotcuaHubResponse *_motcua_hub_parse_body   (const MotcuaHubRequest *request,
                                             const char *const      *members,
                                             JsonNode              **out);

/* The replica's side (motcua-blob-sync.c) */

/* Called after each chunk of a download, in the thread doing it. */
typedef void (*MotcuaBlobProgressFunc) (const char *attachment_id,
                                        guint64     received,
                                        guint64     size,
                                        gpointer    user_data);

/* During a sync, once rows are pushed and pulled: uploads the whole blobs the server lacks
 * (each from where the server's copy ends) and, when the replica is so configured, downloads
 * every blob of its attachments. A blob the server will not take or give (out of scope, not
 * uploaded yet, over its limit) is skipped and left for a later sync; a network error stops
 * the sync. Counts bytes and attachments in @p and reports after each chunk. */
gboolean  _motcua_sync_blobs        (MotcuaReplica          *replica,
                                     MotcuaTransport        *transport,
                                     MotcuaSyncProgress     *p,
                                     MotcuaProgressFunc      progress,
                                     gpointer                user_data,
                                     GCancellable           *cancellable,
                                     GError                **error);
/* Fetches an attachment's bytes if they are not here yet (resuming a cut download), and
 * returns them. @bytes_in (may be NULL) gets what came over the wire. */
GBytes   *_motcua_attachment_fetch  (MotcuaReplica          *replica,
                                     MotcuaTransport        *transport,
                                     const char             *attachment_id,
                                     MotcuaBlobProgressFunc  progress,
                                     gpointer                user_data,
                                     guint64                *bytes_in,
                                     GCancellable           *cancellable,
                                     GError                **error);

G_END_DECLS
