/* motcua-store-attachments-private.h: attachment rows as the store reads them
 *
 * A scan's row with what this replica knows of its bytes (the blob row and the progress of a
 * transfer in flight), whether the server refused it and whether it was removed, read by the
 * domain (domain/motcua-attachments.c) which makes a MotcuaAttachment of it; and the SQL that
 * says a scan was removed, which the store's statements on attachments and blobs share.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* SQL: whether the attachment aliased "a" was removed. Removing one appends an
 * "attachment_removed" event to its case's timeline whose ref is the attachment's id:
 * insert-only like the timeline, it reaches every replica that holds the case, and a
 * removal cannot be undone by a concurrent write. A fragment of the statements that read
 * attachments (motcua-store-attachments.c), drop orphan blobs (motcua-blobs.c) and list the
 * blobs to fetch, so that none of them asks row by row. */
#define MOTCUA_ATTACHMENT_REMOVED_SQL \
  "EXISTS (SELECT 1 FROM case_events e WHERE e.ref = a.id" \
  " AND e.action = 'attachment_removed' AND e.case_id = a.case_id)"

/* One attachment row, borrowed: valid during the callback it is given to. */
typedef struct
{
  const MotcuaUuid *id;
  const MotcuaUuid *case_id;       /* NULL when the row names none */
  const char       *sha256;
  const char       *name;
  const char       *mime_type;
  gint64            size;
  const char       *added_at;
  const char       *replica;
  const char       *officer;
  guint64           seq;           /* the last local change to it (_seq), 0 if none */
  gboolean          has_blob;      /* a blob row, whole or in transfer */
  gint64            blob_size;
  gint64            blob_received;
  gboolean          blob_uploaded;
  gboolean          has_progress;  /* the progress of a transfer in flight (meta "blob:") */
  gint64            progress;
  gboolean          rejected;      /* the server refused the change that wrote it */
  gboolean          removed;       /* MOTCUA_ATTACHMENT_REMOVED_SQL */
} MotcuaStoreAttachmentRow;

typedef gboolean (*MotcuaStoreAttachmentFunc) (const MotcuaStoreAttachmentRow  *row,
                                               gpointer                         user_data,
                                               GError                         **error);

/* The attachments of the case @case_id that were not removed, by when they were added. */
gboolean  _motcua_store_attachments_each_of_case (MotcuaReplica              *self,
                                                  const MotcuaUuid           *case_id,
                                                  MotcuaStoreAttachmentFunc   each,
                                                  gpointer                    user_data,
                                                  GError                    **error);

/* The attachment @id, removed or not, or at most two whose id begins with the upper-case hex
 * digits @id_prefix_hex when @id is NULL (so that the caller sees a prefix is ambiguous). */
gboolean  _motcua_store_attachments_each_by_id   (MotcuaReplica              *self,
                                                  const MotcuaUuid           *id,
                                                  const char                 *id_prefix_hex,
                                                  MotcuaStoreAttachmentFunc   each,
                                                  gpointer                    user_data,
                                                  GError                    **error);

G_END_DECLS
