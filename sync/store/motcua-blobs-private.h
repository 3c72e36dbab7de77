/* motcua-blobs-private.h: the bytes of scans, stored
 *
 * An attachment row names its bytes by their SHA-256; the bytes live in the local table blobs
 * (one row per distinct SHA-256, on desks and on the server alike), filled in place as they
 * arrive, so a transfer cut anywhere resumes where it stopped. The hub serves them
 * (hub/motcua-hub-blobs.c) and a sync moves them (client/motcua-blob-sync.c). See
 * sync/PROTOCOL.md, Blobs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

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

G_END_DECLS
