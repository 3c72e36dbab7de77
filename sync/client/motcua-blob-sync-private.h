/* motcua-blob-sync-private.h: the bytes of scans moved during a sync, and fetched on demand
 *
 * Layer: client (motcua-blob-sync.c). Calls: the blob store, the transport.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-blobs-private.h"
#include "motcua-store-sync-private.h"
#include "motcua-transport-private.h"

G_BEGIN_DECLS

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
