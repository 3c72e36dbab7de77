/* motcua-blobs.c: the bytes of scans: their storage, and the hub's blob endpoints
 *
 * Blobs are stored by SHA-256 in the local table blobs, on desks and on the server alike. A
 * blob that arrives in chunks (an upload to the server, a download to a desk) gets its row at
 * once, full of zeros, and each chunk is written in place with SQLite's incremental blob I/O
 * and committed with its progress, so a transfer cut anywhere resumes from the last chunk
 * committed. When the last chunk is in, the whole blob is hashed: bytes that are not what
 * their SHA-256 names are deleted, never kept.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-blobs-private.h"
#include "motcua-error.h"
#include "motcua-store-attachments-private.h"
#include "motcua-version.h"

gboolean
_motcua_sha256_valid (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;

  return TRUE;
}

char *
_motcua_sha256_of_bytes (GBytes *data)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
}

/* Storage */

/* The progress of a transfer in flight is kept beside the row, not in it (see the header). */
static char *
progress_key (const char *sha256)
{
  return g_strconcat ("blob:", sha256, NULL);
}

static gboolean
forget_progress (MotcuaReplica  *self,
                 const char     *sha256,
                 GError        **error)
{
  g_autofree char *key = progress_key (sha256);
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "DELETE FROM meta WHERE key = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);

  return _motcua_replica_step_done (self, stmt, error);
}

/* The blob's rowid, size and whether it is whole; FALSE (no error) when there is no row. */
static gboolean
blob_row (MotcuaReplica *self,
          const char    *sha256,
          gint64        *rowid,
          gint64        *size,
          gboolean      *whole,
          gboolean      *uploaded,
          GError       **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT rowid, size, received, uploaded"
                                                " FROM blobs WHERE sha256 = ?1", error);
  gboolean found = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      found = TRUE;
      *rowid = sqlite3_column_int64 (stmt, 0);
      *size = sqlite3_column_int64 (stmt, 1);
      *whole = sqlite3_column_int64 (stmt, 2) == *size;
      if (uploaded != NULL)
        *uploaded = sqlite3_column_int (stmt, 3) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _motcua_replica_set_db_error (self, error);

  return found;
}

gboolean
_motcua_blob_state (MotcuaReplica   *self,
                    const char      *sha256,
                    MotcuaBlobState *state,
                    GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 rowid;
  gboolean whole;

  memset (state, 0, sizeof *state);
  if (!blob_row (self, sha256, &rowid, &state->size, &whole, &state->uploaded, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }

  state->exists = TRUE;
  if (whole)
    state->received = state->size;
  else
    {
      g_autofree char *key = progress_key (sha256);

      state->received = CLAMP (_motcua_replica_meta_get_int (self, key, 0), 0, state->size);
    }

  return TRUE;
}

gboolean
_motcua_blob_store (MotcuaReplica  *self,
                    const char     *sha256,
                    GBytes         *data,
                    GError        **error)
{
  sqlite3_stmt *stmt;
  gsize size;
  const void *bytes = g_bytes_get_data (data, &size);

  g_assert (self->tx_depth > 0);

  /* A whole blob stays as it is; a partial download of the same bytes is completed. */
  stmt = _motcua_replica_prepare (self, "INSERT INTO blobs (sha256, size, received, uploaded,"
                                  " data) VALUES (?1, ?2, ?2, 0, ?3) ON CONFLICT (sha256) DO"
                                  " UPDATE SET size = excluded.size, received = excluded.size,"
                                  " data = excluded.data WHERE blobs.received != blobs.size",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) size);
  sqlite3_bind_blob64 (stmt, 3, bytes != NULL ? bytes : "", size, SQLITE_STATIC);

  return _motcua_replica_step_done (self, stmt, error) && forget_progress (self, sha256, error);
}

static gboolean
delete_blob (MotcuaReplica  *self,
             const char     *sha256,
             GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "DELETE FROM blobs WHERE sha256 = ?1",
                                                error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);

  return _motcua_replica_step_done (self, stmt, error) && forget_progress (self, sha256, error);
}

gboolean
_motcua_blob_prepare (MotcuaReplica  *self,
                      const char     *sha256,
                      gint64          size,
                      gboolean        uploaded,
                      GError        **error)
{
  MotcuaBlobState state;
  sqlite3_stmt *stmt;

  g_assert (self->tx_depth > 0);
  g_assert (size > 0);

  if (!_motcua_blob_state (self, sha256, &state, error))
    return FALSE;
  if (state.exists && state.size == size)
    return TRUE;
  if (state.exists && state.received == state.size)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CHECKSUM,
                   _("The scan with SHA-256 %s has %lld bytes here, not %lld"), sha256,
                   (long long) state.size, (long long) size);
      return FALSE;
    }
  /* A partial row of another size was started for a lie about the size: start again. */
  if (state.exists && !delete_blob (self, sha256, error))
    return FALSE;

  stmt = _motcua_replica_prepare (self, "INSERT INTO blobs (sha256, size, received, uploaded,"
                                  " data) VALUES (?1, ?2, 0, ?3, zeroblob (?2))", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, size);
  sqlite3_bind_int (stmt, 3, uploaded ? 1 : 0);

  return _motcua_replica_step_done (self, stmt, error);
}

static sqlite3_blob *
open_data (MotcuaReplica  *self,
           gint64          rowid,
           gboolean        write,
           GError        **error)
{
  sqlite3_blob *blob = NULL;

  if (sqlite3_blob_open (self->db, "main", "blobs", "data", rowid, write ? 1 : 0, &blob)
      != SQLITE_OK)
    {
      _motcua_replica_set_db_error (self, error);
      sqlite3_blob_close (blob);
      return NULL;
    }

  return blob;
}

/* The SHA-256 of a stored blob, read in chunks: a 20 MiB scan is never copied whole. */
static char *
hash_stored (MotcuaReplica  *self,
             gint64          rowid,
             gint64          size,
             GError        **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (MOTCUA_BLOB_CHUNK);
  sqlite3_blob *blob = open_data (self, rowid, FALSE, error);

  if (blob == NULL)
    return NULL;
  for (gint64 at = 0; at < size; at += MOTCUA_BLOB_CHUNK)
    {
      int n = (int) MIN (size - at, MOTCUA_BLOB_CHUNK);

      if (sqlite3_blob_read (blob, buffer, n, (int) at) != SQLITE_OK)
        {
          _motcua_replica_set_db_error (self, error);
          sqlite3_blob_close (blob);
          return NULL;
        }
      g_checksum_update (sum, buffer, n);
    }
  sqlite3_blob_close (blob);

  return g_strdup (g_checksum_get_string (sum));
}

static gboolean
mark_whole (MotcuaReplica  *self,
            const char     *sha256,
            GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "UPDATE blobs SET received = size"
                                                " WHERE sha256 = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);

  return _motcua_replica_step_done (self, stmt, error) && forget_progress (self, sha256, error);
}

gboolean
_motcua_blob_write (MotcuaReplica  *self,
                    const char     *sha256,
                    gint64          offset,
                    GBytes         *chunk,
                    gint64         *received_out,
                    gboolean       *corrupt_out,
                    GError        **error)
{
  MotcuaBlobState state;
  g_autofree char *key = progress_key (sha256);
  g_autofree char *actual = NULL;
  gsize length;
  const void *data = g_bytes_get_data (chunk, &length);
  sqlite3_blob *blob;
  gint64 rowid, size;
  gboolean whole;
  int rc;

  g_assert (self->tx_depth > 0);

  *corrupt_out = FALSE;
  if (!_motcua_blob_state (self, sha256, &state, error))
    return FALSE;
  *received_out = state.received;
  if (!state.exists || state.received == state.size)
    return TRUE;   /* nothing is awaited: another transfer finished it */
  if (offset != state.received)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_GAP,
                   _("The scan's bytes so far end at %lld, not at %lld"),
                   (long long) state.received, (long long) offset);
      return FALSE;
    }
  if (length == 0 || (gint64) length > state.size - offset)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("A chunk of %lu bytes at %lld does not fit a scan of %lld bytes"),
                   (unsigned long) length, (long long) offset, (long long) state.size);
      return FALSE;
    }

  if (!blob_row (self, sha256, &rowid, &size, &whole, NULL, error))
    return FALSE;
  blob = open_data (self, rowid, TRUE, error);
  if (blob == NULL)
    return FALSE;
  rc = sqlite3_blob_write (blob, data, (int) length, (int) offset);
  sqlite3_blob_close (blob);
  if (rc != SQLITE_OK)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }
  *received_out = offset + (gint64) length;

  if (*received_out < size)
    return _motcua_replica_meta_set_int (self, key, *received_out, error);

  actual = hash_stored (self, rowid, size, error);
  if (actual == NULL)
    return FALSE;
  if (strcmp (actual, sha256) == 0)
    return mark_whole (self, sha256, error);

  *corrupt_out = TRUE;
  *received_out = 0;

  return delete_blob (self, sha256, error);
}

GBytes *
_motcua_blob_read (MotcuaReplica  *self,
                   const char     *sha256,
                   gint64          offset,
                   gint64          length,
                   GError        **error)
{
  MotcuaBlobState state;
  g_autofree guint8 *buffer = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_blob *blob;
  gint64 rowid, size, n;
  gboolean whole;

  if (!_motcua_blob_state (self, sha256, &state, error))
    return NULL;
  if (!state.exists || offset < 0 || offset > state.received)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_AVAILABLE,
                   _("The bytes of the scan with SHA-256 %s are not on this replica"), sha256);
      return NULL;
    }
  n = MIN (length, state.received - offset);
  if (n == 0)
    return g_bytes_new (NULL, 0);
  if (!blob_row (self, sha256, &rowid, &size, &whole, NULL, &local_error))
    {
      if (local_error == NULL)
        g_set_error (&local_error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_AVAILABLE,
                     _("The bytes of the scan with SHA-256 %s are not on this replica"), sha256);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  blob = open_data (self, rowid, FALSE, error);
  if (blob == NULL)
    return NULL;
  buffer = g_malloc ((gsize) n);
  if (sqlite3_blob_read (blob, buffer, (int) n, (int) offset) != SQLITE_OK)
    {
      _motcua_replica_set_db_error (self, error);
      sqlite3_blob_close (blob);
      return NULL;
    }
  sqlite3_blob_close (blob);

  return g_bytes_new_take (g_steal_pointer (&buffer), (gsize) n);
}

gboolean
_motcua_blob_set_uploaded (MotcuaReplica  *self,
                           const char     *sha256,
                           GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "UPDATE blobs SET uploaded = 1"
                                                " WHERE sha256 = ?1 AND uploaded = 0", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);

  return _motcua_replica_step_done (self, stmt, error);
}

gboolean
_motcua_blob_drop_orphans (MotcuaReplica  *self,
                           const char     *sha256,
                           guint          *n_out,
                           GError        **error)
{
/* Whether the blob row aliased @b is wanted here no more: no attachment that is not removed
 * names it, and it need not be uploaded (the server has it, or only removed attachments name
 * it). */
#define BLOB_UNWANTED_SQL(b) \
  "NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = " b ".sha256" \
  " AND NOT " MOTCUA_ATTACHMENT_REMOVED_SQL ")" \
  " AND (" b ".uploaded = 1" \
  "  OR EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = " b ".sha256))"
  static const char *const all[] = {
    "DELETE FROM meta WHERE key IN (SELECT 'blob:' || sha256 FROM blobs b"
    " WHERE " BLOB_UNWANTED_SQL ("b") ")",
    "DELETE FROM blobs WHERE " BLOB_UNWANTED_SQL ("blobs"),
  };
  static const char *const one[] = {
    "DELETE FROM meta WHERE key = 'blob:' || ?1"
    " AND EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = ?1 AND " BLOB_UNWANTED_SQL ("b") ")",
    "DELETE FROM blobs WHERE sha256 = ?1 AND " BLOB_UNWANTED_SQL ("blobs"),
  };
#undef BLOB_UNWANTED_SQL
  const char *const *sql = sha256 != NULL ? one : all;

  g_assert (self->tx_depth > 0);

  *n_out = 0;
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      sqlite3_stmt *stmt = _motcua_replica_prepare (self, sql[i], error);

      if (stmt == NULL)
        return FALSE;
      if (sha256 != NULL)
        sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
      if (!_motcua_replica_step_done (self, stmt, error))
        return FALSE;
      *n_out = (guint) sqlite3_changes (self->db);
    }

  return TRUE;
}
