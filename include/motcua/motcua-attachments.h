/* motcua-attachments.h: scans of citizens' papers attached to cases
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-inside.h"
#include <gio/gio.h>

#include "motcua-replica.h"
#include "motcua-sync.h"

G_BEGIN_DECLS

/* The largest scan a replica accepts, in bytes (20 MiB): a multi-page dossier scanned at
 * 300 dpi fits; more would take hours on a 2G link. The server refuses more too (its limit is
 * configurable, this one is not). */
#define MOTCUA_ATTACHMENT_MAX_SIZE (G_GUINT64_CONSTANT (20) * 1024 * 1024)

/* An attachment's metadata replicates as an insert-only row to every replica that holds its
 * case; its bytes travel separately, named by their SHA-256, and only where they are wanted: a
 * replica fetches a scan when it is opened (motcua_sync_fetch_attachment_async()), or every
 * scan in its scope at each sync when so configured
 * (motcua_replica_set_fetch_all_attachments()). A plain copy read from a replica. */
typedef struct
{
  char            *id;          /* UUID */
  char            *case_id;     /* UUID of its case */
  char            *sha256;      /* of the bytes: 64 lowercase hex digits */
  char            *name;        /* file name as given, without directories */
  char            *mime_type;
  guint64          size;        /* bytes */
  char            *added_at;    /* ISO 8601, +07:00 */
  char            *replica;     /* the replica (desk) that added it */
  char            *officer;     /* who added it, or NULL */
  gboolean         present;     /* all its bytes are on this replica, verified */
  guint64          received;    /* bytes of it on this replica so far (== size when present) */
  gboolean         uploaded;    /* the server has all its bytes (as far as this replica knows) */
  MotcuaSyncState  sync_state;  /* of the metadata row: pending until the server acknowledges */
  gboolean         removed;     /* removed from its case (motcua_replica_remove_attachment()) */
} MotcuaAttachment;

#define MOTCUA_TYPE_ATTACHMENT (motcua_attachment_get_type ())

GType             motcua_attachment_get_type  (void) G_GNUC_CONST;
MotcuaAttachment *motcua_attachment_copy      (const MotcuaAttachment *self);
void              motcua_attachment_free      (MotcuaAttachment       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaAttachment, motcua_attachment_free)

/* Attaches a scan to a case (@case_key: a case id or a receipt number). In one transaction it
 * stores the bytes, adds the attachment row and a case event ("attached", naming the file),
 * signed by the replica's officer. @name is reduced to its base name; @mime_type NULL guesses
 * it from the name and the bytes. Refuses an empty scan (MOTCUA_ERROR_INVALID) and one larger
 * than MOTCUA_ATTACHMENT_MAX_SIZE (MOTCUA_ERROR_TOO_LARGE, naming the size and the limit);
 * on any error nothing is written. The same bytes attached twice are stored once. */
G_GNUC_WARN_UNUSED_RESULT
MotcuaAttachment *motcua_replica_add_attachment           (MotcuaReplica  *self,
                                                           const char     *case_key,
                                                           const char     *name,
                                                           const char     *mime_type,
                                                           GBytes         *data,
                                                           GError        **error);
/* The same, reading @file (its display name is the attachment's name). Checks the file's size
 * before reading it, so an oversized file is refused without being loaded. Blocking. */
G_GNUC_WARN_UNUSED_RESULT
MotcuaAttachment *motcua_replica_add_attachment_from_file (MotcuaReplica  *self,
                                                           const char     *case_key,
                                                           GFile          *file,
                                                           const char     *mime_type,
                                                           GCancellable   *cancellable,
                                                           GError        **error);

/* Removes an attachment from its case: a scan attached to the wrong case, or a wrong scan.
 * The removal is an event of the case's timeline ("attachment_removed", naming the file, with
 * @reason as its note, signed by the replica's officer), so it replicates with the case, keeps
 * who removed what and why, and no concurrent write brings the attachment back. A removed
 * attachment is no longer listed nor fetched; its bytes are deleted from a replica once no
 * attachment still there names them (on the server they stay, with the record). @id: as for
 * motcua_replica_dup_attachment(). Errors: MOTCUA_ERROR_NOT_FOUND, MOTCUA_ERROR_INVALID (no
 * reason given, or removed already); on any error nothing is written. */
gboolean          motcua_replica_remove_attachment        (MotcuaReplica  *self,
                                                           const char     *id,
                                                           const char     *reason,
                                                           GError        **error);

/* A case's attachments that are not removed, oldest first (MotcuaAttachment *). */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray        *motcua_replica_list_attachments         (MotcuaReplica  *self,
                                                           const char     *case_key,
                                                           GError        **error);
/* @id: an attachment id, or an unambiguous prefix of at least 8 characters. Removed ones too
 * (their removed member says so). */
G_GNUC_WARN_UNUSED_RESULT
MotcuaAttachment *motcua_replica_dup_attachment           (MotcuaReplica  *self,
                                                           const char     *id,
                                                           GError        **error);
/* The bytes of an attachment, verified against its SHA-256. MOTCUA_ERROR_NOT_AVAILABLE when
 * they are not (all) on this replica yet: fetch them with motcua_sync_fetch_attachment_async(). */
G_GNUC_WARN_UNUSED_RESULT
GBytes           *motcua_replica_read_attachment          (MotcuaReplica  *self,
                                                           const char     *id,
                                                           GError        **error);

/* Whether each sync also downloads every scan of the cases in this replica's scope (a district
 * office with a good link, or a laptop about to go into the field), rather than only those
 * opened. Stored in the replica; off by default. */
gboolean          motcua_replica_get_fetch_all_attachments (MotcuaReplica *self);
gboolean          motcua_replica_set_fetch_all_attachments (MotcuaReplica *self,
                                                            gboolean       fetch_all,
                                                            GError       **error);

/* Downloads an attachment's bytes from the server into the replica, resuming from what an
 * earlier, cut download left, verifies them and returns them. Returns at once with the bytes
 * when they are already here. Runs in a worker thread on its own connection to the replica;
 * the "attachment-progress" signal of @self (attachment id, bytes received, size: const char *,
 * guint64, guint64) reports its progress in the engine's main context. Errors:
 * MOTCUA_ERROR_NOT_FOUND (no such attachment on this replica), MOTCUA_ERROR_NOT_ENROLLED,
 * MOTCUA_ERROR_NOT_AVAILABLE (the server does not have the bytes yet: the desk that added the
 * scan has not synced), MOTCUA_ERROR_CHECKSUM (what arrived is not the scan; nothing is kept),
 * G_IO_ERROR_* for the network. */
void              motcua_sync_fetch_attachment_async      (MotcuaSync           *self,
                                                           const char           *attachment_id,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
G_GNUC_WARN_UNUSED_RESULT
GBytes           *motcua_sync_fetch_attachment_finish     (MotcuaSync           *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* The same, blocking the calling thread. */
G_GNUC_WARN_UNUSED_RESULT
GBytes           *motcua_sync_fetch_attachment            (MotcuaSync           *self,
                                                           const char           *attachment_id,
                                                           GCancellable         *cancellable,
                                                           GError              **error);

G_END_DECLS
