/* motcua-store-attachments.c: attachment rows as the store reads them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-store-attachments-private.h"

#define ATTACHMENT_SELECT \
  "SELECT a.id, a.case_id, a.sha256, a.name, a.mime_type, a.size, a.added_at, a.replica," \
  " a.officer, a._seq, b.size, b.received, b.uploaded," \
  " (SELECT value FROM meta WHERE key = 'blob:' || a.sha256)," \
  " EXISTS (SELECT 1 FROM rejected r WHERE a._seq > 0 AND r.seq = a._seq)," \
  " " MOTCUA_ATTACHMENT_REMOVED_SQL \
  " FROM attachments a LEFT JOIN blobs b ON b.sha256 = a.sha256"

/* Calls @each on every row of @stmt, then resets it. */
static gboolean
each_row (MotcuaReplica              *self,
          sqlite3_stmt               *stmt,
          MotcuaStoreAttachmentFunc   each,
          gpointer                    user_data,
          GError                    **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaStoreAttachmentRow row = {
        .id = sqlite3_column_blob (stmt, 0),
        .case_id = sqlite3_column_bytes (stmt, 1) == 16 ? sqlite3_column_blob (stmt, 1) : NULL,
        .sha256 = (const char *) sqlite3_column_text (stmt, 2),
        .name = (const char *) sqlite3_column_text (stmt, 3),
        .mime_type = (const char *) sqlite3_column_text (stmt, 4),
        .size = sqlite3_column_int64 (stmt, 5),
        .added_at = (const char *) sqlite3_column_text (stmt, 6),
        .replica = (const char *) sqlite3_column_text (stmt, 7),
        .officer = (const char *) sqlite3_column_text (stmt, 8),
        .seq = (guint64) sqlite3_column_int64 (stmt, 9),
        .has_blob = sqlite3_column_type (stmt, 10) != SQLITE_NULL,
        .blob_size = sqlite3_column_int64 (stmt, 10),
        .blob_received = sqlite3_column_int64 (stmt, 11),
        .blob_uploaded = sqlite3_column_int (stmt, 12) != 0,
        .has_progress = sqlite3_column_type (stmt, 13) == SQLITE_INTEGER,
        .progress = sqlite3_column_int64 (stmt, 13),
        .rejected = sqlite3_column_int (stmt, 14) != 0,
        .removed = sqlite3_column_int (stmt, 15) != 0,
      };

      if (!each (&row, user_data, error))
        break;
    }

  return _motcua_replica_rows_done (self, stmt, rc, error);
}

gboolean
_motcua_store_attachments_each_of_case (MotcuaReplica              *self,
                                        const MotcuaUuid           *case_id,
                                        MotcuaStoreAttachmentFunc   each,
                                        gpointer                    user_data,
                                        GError                    **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, ATTACHMENT_SELECT " WHERE a.case_id = ?1"
                                                " AND NOT " MOTCUA_ATTACHMENT_REMOVED_SQL
                                                " ORDER BY a.added_at, a.id", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, case_id->bytes, 16, SQLITE_TRANSIENT);

  return each_row (self, stmt, each, user_data, error);
}

gboolean
_motcua_store_attachments_each_by_id (MotcuaReplica              *self,
                                      const MotcuaUuid           *id,
                                      const char                 *id_prefix_hex,
                                      MotcuaStoreAttachmentFunc   each,
                                      gpointer                    user_data,
                                      GError                    **error)
{
  sqlite3_stmt *stmt;

  if (id != NULL)
    {
      stmt = _motcua_replica_prepare (self, ATTACHMENT_SELECT " WHERE a.id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_TRANSIENT);
    }
  else
    {
      stmt = _motcua_replica_prepare (self, ATTACHMENT_SELECT
                                      " WHERE substr (hex (a.id), 1, length (?1)) = ?1"
                                      " LIMIT 2", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id_prefix_hex, -1, SQLITE_TRANSIENT);
    }

  return each_row (self, stmt, each, user_data, error);
}
