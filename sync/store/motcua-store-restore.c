/* motcua-store-restore.c: the province's store files, as a restore handles them
 *
 * See motcua-store-restore-private.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "motcua-error.h"
#include "motcua-store-restore-private.h"

gint64
_motcua_store_restore_generation (MotcuaReplica *store)
{
  return _motcua_replica_meta_get_int (store, "hub_restores", 0);
}

gboolean
_motcua_store_restore_set_generation (MotcuaReplica  *store,
                                      gint64          generation,
                                      GError        **error)
{
  return _motcua_replica_meta_set_int (store, "hub_restores", generation, error);
}

/* Opens @path as SQLite, read-only when @readonly; sets @error naming the file otherwise. */
static sqlite3 *
open_db (const char  *path,
         gboolean     readonly,
         GError     **error)
{
  sqlite3 *db = NULL;
  int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

  if (sqlite3_open_v2 (path, &db, flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE, _("Cannot open %s: %s"), path,
                   db != NULL ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);

  return db;
}

gboolean
_motcua_store_restore_inspect (const char           *path,
                               MotcuaStoreCopyKind  *kind_out,
                               GError              **error)
{
  sqlite3 *db = open_db (path, TRUE, error);
  sqlite3_stmt *stmt = NULL;

  if (db == NULL)
    return FALSE;
  if (sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW
      || g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    *kind_out = MOTCUA_STORE_COPY_DAMAGED;
  else
    {
      sqlite3_finalize (stmt);
      stmt = NULL;
      *kind_out = sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = 'hub'", -1, &stmt,
                                      NULL) == SQLITE_OK
                  && sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) == 1
                  ? MOTCUA_STORE_COPY_HUB : MOTCUA_STORE_COPY_NOT_HUB;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return TRUE;
}

gint64
_motcua_store_restore_file_generation (const char *path)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = open_db (path, TRUE, NULL);
  gint64 generation = 0;

  if (db == NULL)
    return 0;
  if (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = 'hub_restores'", -1, &stmt,
                          NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    generation = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return generation;
}

gboolean
_motcua_store_restore_copy (const char  *from_path,
                            const char  *to_path,
                            GError     **error)
{
  sqlite3 *from, *to;
  sqlite3_backup *backup;
  int rc;

  from = open_db (from_path, TRUE, error);
  if (from == NULL)
    return FALSE;
  to = open_db (to_path, FALSE, error);
  if (to == NULL)
    {
      sqlite3_close (from);
      return FALSE;
    }
  backup = sqlite3_backup_init (to, "main", from, "main");
  rc = backup != NULL ? sqlite3_backup_step (backup, -1) : sqlite3_errcode (to);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE,
                 _("Cannot write %s: %s; it was left as it was"), to_path, sqlite3_errstr (rc));
  sqlite3_close (from);
  sqlite3_close (to);

  return rc == SQLITE_DONE;
}
