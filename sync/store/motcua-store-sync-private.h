/* motcua-store-sync-private.h: what a sync reads and writes of its own state (client/): the
 * changes not acknowledged yet, the refusals it forgets or brings back, the rows a pulled batch
 * left without their case, the snapshot its digest is read in, and the scans to move
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* Changes of this replica */

/* The sequence number of this replica's first change past @acked stamped after @hlc, or 0
 * when there is none (or on an error). */
gint64   _motcua_store_sync_first_after        (MotcuaReplica     *store,
                                                guint64            acked,
                                                MotcuaHlc          hlc);
/* The HLC of this replica's oldest change past @acked in @out, G_MAXINT64 when there is none. */
gboolean _motcua_store_sync_oldest_pending     (MotcuaReplica     *store,
                                                guint64            acked,
                                                MotcuaHlc         *out,
                                                GError           **error);

/* Refusals */

/* Forgets the refusals of the changes @first to @last. */
gboolean _motcua_store_sync_forget_refusals    (MotcuaReplica     *store,
                                                guint64            first,
                                                guint64            last,
                                                GError           **error);
/* Whether any refusal marks its case as gone, in @marked. */
gboolean _motcua_store_sync_any_gone           (MotcuaReplica     *store,
                                                gboolean          *marked,
                                                GError           **error);
/* Whether any refused change waits for its case, in @waiting. */
gboolean _motcua_store_sync_any_waiting        (MotcuaReplica     *store,
                                                gboolean          *waiting,
                                                GError           **error);
/* Drops the marks that case @case_id is gone. */
gboolean _motcua_store_sync_clear_gone         (MotcuaReplica     *store,
                                                const MotcuaUuid  *case_id,
                                                GError           **error);

/* Pulled rows */

/* The last rid of each table whose rows belong to a case, before a batch is applied. */
typedef struct
{
  gint64 case_events;
  gint64 attachments;
  gint64 conflicts;
} MotcuaStoreCaseRowMarks;

gboolean _motcua_store_sync_mark_case_rows     (MotcuaReplica            *store,
                                                MotcuaStoreCaseRowMarks  *marks,
                                                GError                  **error);
/* Deletes the rows inserted past @marks whose case is not in this replica. */
gboolean _motcua_store_sync_drop_orphans       (MotcuaReplica                  *store,
                                                const MotcuaStoreCaseRowMarks  *marks,
                                                GError                        **error);
/* Whether this replica holds any case or conflict, in @held. */
gboolean _motcua_store_sync_holds_cases        (MotcuaReplica     *store,
                                                gboolean          *held,
                                                GError           **error);

/* One read snapshot, while the desk may go on writing: begun, then ended with a commit when
 * @ok, else a rollback. */
gboolean _motcua_store_sync_snapshot_begin     (MotcuaReplica     *store,
                                                GError           **error);
void     _motcua_store_sync_snapshot_end       (MotcuaReplica     *store,
                                                gboolean           ok);

/* Scans to move */

/* A blob, with its rowid when it is one of the table blobs; the SHA-256 borrowed. */
typedef struct
{
  gint64      rowid;
  const char *sha256;
  gint64      size;
} MotcuaStoreBlobRow;

typedef gboolean (*MotcuaStoreBlobEach) (const MotcuaStoreBlobRow  *row,
                                         gpointer                   user_data,
                                         GError                   **error);

/* Calls @each with up to @limit whole blobs not known to be on the server, past rowid @after,
 * by rowid. */
gboolean _motcua_store_sync_blobs_to_upload    (MotcuaReplica        *store,
                                                gint64                after,
                                                guint                 limit,
                                                MotcuaStoreBlobEach   each,
                                                gpointer              user_data,
                                                GError              **error);
/* Calls @each with every blob of this replica's attachments (not removed) that is not whole
 * here, once per SHA-256 with its largest size, oldest attachment first (rowid 0). */
gboolean _motcua_store_sync_blobs_to_fetch     (MotcuaReplica        *store,
                                                MotcuaStoreBlobEach   each,
                                                gpointer              user_data,
                                                GError              **error);

G_END_DECLS
