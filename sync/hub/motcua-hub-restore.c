/* motcua-hub-restore.c: putting an older copy of the province's store back
 *
 * A copy taken at noon and restored at five has forgotten what the afternoon gave out: the
 * receipt numbers leased to desks, the desk codes given at enrollment. The desks still hold
 * and print them, so the restored store must never give them again. It cannot know how many
 * there were, so it does not guess: each restore opens a new generation, and every number and
 * desk code given after it comes from that generation's own range, above anything the one
 * before could have reached. What the desks' changes carried comes back as they push again
 * (sync/PROTOCOL.md, "A restored server").
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "motcua-error.h"
#include "motcua-hub-private.h"
#include "motcua-replica-private.h"

gint64
_motcua_hub_generation (MotcuaReplica *hub)
{
  return _motcua_replica_meta_get_int (hub, "hub_restores", 0);
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

/* Whether @db is a whole, readable server store: a damaged copy or a desk's replica is never
 * put in the store's place. */
static gboolean
check_copy (sqlite3     *db,
            const char  *path,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW
      || g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      sqlite3_finalize (stmt);
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                   _("%s is damaged or is not a Một Cửa store: nothing was restored"), path);
      return FALSE;
    }
  sqlite3_finalize (stmt);

  ok = sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = 'hub'", -1, &stmt, NULL)
       == SQLITE_OK
       && sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) == 1;
  sqlite3_finalize (stmt);
  if (!ok)
    g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                 _("%s is not a copy of a server's store (a desk's replica, or a store that"
                   " never enrolled a desk): nothing was restored"), path);

  return ok;
}

/* The generation of the store being replaced, if it can still be read (a store lost with
 * its disk cannot): a copy older than the last restore must not open that one again. */
static gint64
replaced_generation (const char *store_path)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  gint64 generation = 0;

  if (!g_file_test (store_path, G_FILE_TEST_IS_REGULAR)
      || (db = open_db (store_path, TRUE, NULL)) == NULL)
    return 0;
  if (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = 'hub_restores'", -1, &stmt,
                          NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    generation = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return generation;
}

/* The generation the last restore noted beside the store (0: none). */
static gint64
noted_generation (const char *note)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (note, &text, NULL, NULL))
    return 0;

  return MAX (g_ascii_strtoll (text, NULL, 10), 0);
}

/* Opens the next generation after both the copy's and @replaced: leases and desk codes given
 * from now on start above anything either reached. Inside a transaction. */
static gboolean
open_generation (MotcuaReplica  *hub,
                 gint64          replaced,
                 GError        **error)
{
  gint64 generation = MAX (_motcua_hub_generation (hub), replaced) + 1;
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "UPDATE hub_leases SET next ="
                                                " max(next, ?1)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, generation * MOTCUA_HUB_RECEIPT_SPAN + 1);

  return _motcua_replica_step_done (hub, stmt, error)
         && _motcua_replica_meta_set_int (hub, "hub_restores", generation, error);
}

/* Copies the database @from_path into @to_path with SQLite's online backup, in one
 * transaction. */
static gboolean
copy_db (const char  *from_path,
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

/* The copy, brought up to date and given its new generation, beside the store: the store
 * then takes it whole or not at all, so a restore cut short never leaves a store that could
 * lease numbers again. */
static gboolean
prepare (const char  *copy_path,
         const char  *staged_path,
         gint64       replaced,
         GError     **error)
{
  g_autoptr(MotcuaReplica) hub = NULL;
  sqlite3 *copy = open_db (copy_path, TRUE, error);
  gboolean ok;

  if (copy == NULL)
    return FALSE;
  ok = check_copy (copy, copy_path, error);
  sqlite3_close (copy);
  if (!ok || !copy_db (copy_path, staged_path, error))
    return FALSE;

  /* Opening it brings an older copy's schema up to date, as at any start. */
  hub = motcua_replica_open (staged_path, error);
  if (hub == NULL || !motcua_replica_begin (hub, error))
    return FALSE;

  return _motcua_replica_finish (hub, open_generation (hub, replaced, error), error);
}

static void
remove_staged (const char *staged)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (staged, suffixes[i], NULL);

      g_unlink (path);
    }
}

/* Renames @from (and its -wal, if any) to @to; the -shm goes: it only mirrors the -wal. */
static gboolean
move_db (const char  *from,
         const char  *to,
         GError     **error)
{
  static const char *const suffixes[] = { "", "-wal" };
  g_autofree char *shm = g_strconcat (from, "-shm", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *a = g_strconcat (from, suffixes[i], NULL);
      g_autofree char *b = g_strconcat (to, suffixes[i], NULL);
      int saved_errno;

      g_unlink (b);
      if (g_rename (a, b) == 0 || errno == ENOENT)
        continue;
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot move %s to %s: %s"), a, b, g_strerror (saved_errno));
      return FALSE;
    }
  g_unlink (shm);

  return TRUE;
}

gboolean
motcua_hub_restore (const char  *store_path,
                    const char  *copy_path,
                    GError     **error)
{
  g_autofree char *staged = g_strconcat (store_path, ".restoring", NULL);
  g_autofree char *before = g_strconcat (store_path, ".before-restore", NULL);
  g_autofree char *note = g_strconcat (store_path, ".restores", NULL);
  gboolean ok;

  /* The store being replaced is most often damaged: it is not written to, only moved aside
   * (kept, in case it holds anything still to be read), and the prepared copy takes its name. */
  remove_staged (staged);
  ok = prepare (copy_path, staged, MAX (replaced_generation (store_path), noted_generation (note)),
                error)
       && (!g_file_test (store_path, G_FILE_TEST_EXISTS) || move_db (store_path, before, error))
       && move_db (staged, store_path, error);
  remove_staged (staged);
  if (!ok)
    return FALSE;

  /* Beside the store as well: a store too damaged to read still leaves it. */
  {
    g_autoptr(MotcuaReplica) hub = motcua_replica_open (store_path, error);
    g_autofree char *text = NULL;

    if (hub == NULL)
      return FALSE;
    text = g_strdup_printf ("%" G_GINT64_FORMAT "\n", _motcua_hub_generation (hub));

    return g_file_set_contents (note, text, -1, error);
  }
}
