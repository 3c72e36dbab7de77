/* motcua-replica.c: a local replica, its identity, transactions and reference data
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-replica-private.h"
#include "motcua-schema-private.h"
#include "motcua-text.h"
#include "motcua-version.h"
#include "motcua-workdays.h"

G_DEFINE_FINAL_TYPE (MotcuaReplica, motcua_replica, G_TYPE_OBJECT)

typedef struct
{
  guint64   seq;
  MotcuaHlc hlc;
  gint64    total_changes;   /* rows SQLite had written when the level began */
} TxSaved;

static void
procedure_info_free (gpointer data)
{
  MotcuaProcedureInfo *info = data;

  g_free (info->name);
  g_free (info);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
motcua_replica_finalize (GObject *object)
{
  MotcuaReplica *self = (MotcuaReplica *) object;

  if (self->tx_depth > 0)
    {
      g_warning ("Replica %s finalized inside a transaction: rolling back", self->path);
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    }

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->statements_by_text, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->calendar, motcua_calendar_unref);
  g_clear_pointer (&self->tx_saved, g_array_unref);
  g_clear_pointer (&self->fts_pending, g_array_unref);
  g_clear_pointer (&self->origins, g_hash_table_unref);
  g_clear_pointer (&self->procedures, g_hash_table_unref);
  g_free (self->path);
  g_free (self->id);
  g_free (self->office_code);
  g_free (self->officer);

  G_OBJECT_CLASS (motcua_replica_parent_class)->finalize (object);
}

static void
motcua_replica_class_init (MotcuaReplicaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = motcua_replica_finalize;
}

static void
motcua_replica_init (MotcuaReplica *self)
{
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
  self->statements_by_text = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                    finalize_statement);
  self->tx_saved = g_array_new (FALSE, FALSE, sizeof (TxSaved));
  self->fts_pending = _motcua_fts_pending_new ();
  self->origins = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->procedures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            procedure_info_free);
  self->officer = g_strdup (g_get_user_name ());
}

/* SQLite helpers */

void
_motcua_replica_set_db_error (MotcuaReplica  *self,
                              GError        **error)
{
  int code = sqlite3_extended_errcode (self->db);

  if (code == SQLITE_FULL)
    g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE,
                 _("The disk holding %s is full: %s"), self->path, sqlite3_errmsg (self->db));
  else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE,
                 _("The replica %s is in use by another program: %s"),
                 self->path, sqlite3_errmsg (self->db));
  else
    g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE,
                 _("Database error in %s: %s"), self->path, sqlite3_errmsg (self->db));
}

static sqlite3_stmt *
prepare_cached (MotcuaReplica  *self,
                GHashTable     *cache,
                const char     *sql,
                gboolean        copy_key,
                GError        **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (cache, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _motcua_replica_set_db_error (self, error);
      return NULL;
    }

  g_hash_table_insert (cache, copy_key ? g_strdup (sql) : (gpointer) sql, stmt);

  return stmt;
}

/* @sql must live as long as the replica (a literal, or a table descriptor's): statements are
 * cached by its address, so a lookup costs no hashing of the text. */
sqlite3_stmt *
_motcua_replica_prepare (MotcuaReplica  *self,
                         const char     *sql,
                         GError        **error)
{
  return prepare_cached (self, self->statements, sql, FALSE, error);
}

/* For SQL built at run time (a filter's query): cached by its text. */
sqlite3_stmt *
_motcua_replica_prepare_text (MotcuaReplica  *self,
                              const char     *sql,
                              GError        **error)
{
  return prepare_cached (self, self->statements_by_text, sql, TRUE, error);
}

gboolean
_motcua_replica_exec (MotcuaReplica  *self,
                      const char     *sql,
                      GError        **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
_motcua_replica_step_done (MotcuaReplica  *self,
                           sqlite3_stmt   *stmt,
                           GError        **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }

  _motcua_replica_set_db_error (self, error);
  sqlite3_reset (stmt);

  return FALSE;
}

static gboolean
meta_set (MotcuaReplica     *self,
          const char        *key,
          const MotcuaValue *value,
          GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self,
                                                "INSERT OR REPLACE INTO meta (key, value)"
                                                " VALUES (?1, ?2)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  _motcua_bind_value (stmt, 2, value);

  return _motcua_replica_step_done (self, stmt, error);
}

gint64
_motcua_replica_meta_get_int (MotcuaReplica *self,
                              const char    *key,
                              gint64         fallback)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT value FROM meta WHERE key = ?1",
                                                NULL);
  gint64 value = fallback;

  if (stmt == NULL)
    return fallback;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_INTEGER)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return value;
}

gboolean
_motcua_replica_meta_set_int (MotcuaReplica  *self,
                              const char     *key,
                              gint64          value,
                              GError        **error)
{
  MotcuaValue v = MOTCUA_VALUE_INT (value);

  return meta_set (self, key, &v, error);
}

char *
_motcua_replica_meta_dup_text (MotcuaReplica *self,
                               const char    *key)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT value FROM meta WHERE key = ?1",
                                                NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  /* meta.value has numeric affinity: a text of digits comes back as a number. */
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return value;
}

gboolean
_motcua_replica_meta_set_text (MotcuaReplica  *self,
                               const char     *key,
                               const char     *value,
                               GError        **error)
{
  MotcuaValue v = MOTCUA_VALUE_TEXT (value);

  return meta_set (self, key, &v, error);
}

/* Clock */

gint64
_motcua_replica_now_ms (MotcuaReplica *self)
{
  /* Stamps follow the server's clock once its offset is known (DESIGN.md, Clocks). */
  if (self->clock_func != NULL)
    return self->clock_func (self->clock_data) + self->clock_offset_ms;

  return g_get_real_time () / 1000 + self->clock_offset_ms;
}

MotcuaHlc
_motcua_replica_tick (MotcuaReplica *self)
{
  return motcua_hlc_clock_now (&self->clock, _motcua_replica_now_ms (self));
}

char *
_motcua_replica_now_iso (MotcuaReplica *self)
{
  return motcua_datetime_from_unix_ms (_motcua_replica_now_ms (self));
}

char *
_motcua_replica_today (MotcuaReplica *self)
{
  g_autofree char *now = _motcua_replica_now_iso (self);

  return g_strndup (now, 10);
}

void
motcua_replica_set_clock (MotcuaReplica   *self,
                          MotcuaClockFunc  func,
                          gpointer         user_data)
{
  g_return_if_fail (MOTCUA_IS_REPLICA (self));

  self->clock_func = func;
  self->clock_data = user_data;
}

void
_motcua_replica_drop_caches (MotcuaReplica *self)
{
  g_clear_pointer (&self->calendar, motcua_calendar_unref);
  g_hash_table_remove_all (self->origins);
  g_hash_table_remove_all (self->procedures);
}

gboolean
_motcua_replica_origin_uuid (MotcuaReplica  *self,
                             gint64          index,
                             MotcuaUuid     *out,
                             GError        **error)
{
  MotcuaUuid *cached = g_hash_table_lookup (self->origins, &index);
  sqlite3_stmt *stmt;
  gboolean found;

  if (cached != NULL)
    {
      *out = *cached;
      return TRUE;
    }

  stmt = _motcua_replica_prepare (self, "SELECT uuid FROM origins WHERE idx = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, index);
  found = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == 16;
  if (found)
    memcpy (out->bytes, sqlite3_column_blob (stmt, 0), 16);
  sqlite3_reset (stmt);

  if (!found)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                   _("%s is damaged: replica %lld of its registers is unknown"), self->path,
                   (long long) index);
      return FALSE;
    }

  g_hash_table_insert (self->origins, g_memdup2 (&index, sizeof index),
                       g_memdup2 (out, sizeof *out));

  return TRUE;
}

gboolean
_motcua_replica_origin_index (MotcuaReplica     *self,
                              const MotcuaUuid  *uuid,
                              gint64            *index_out,
                              GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (self, "SELECT idx FROM origins WHERE uuid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, uuid->bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *index_out = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);

  stmt = _motcua_replica_prepare (self, "INSERT INTO origins (uuid) VALUES (?1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, uuid->bytes, 16, SQLITE_STATIC);
  if (!_motcua_replica_step_done (self, stmt, error))
    return FALSE;
  *index_out = sqlite3_last_insert_rowid (self->db);

  return TRUE;
}

/* Transactions
 *
 * A group (motcua_replica_begin) is one SQLite transaction; writes inside it do not open
 * savepoints. Every write validates all its input before it writes anything, so a write refused
 * for bad input has nothing to undo and the group goes on. A write that fails after it started
 * writing (a disk or database error) cannot be undone alone: the whole group is then rolled back
 * when it ends, and its commit says so. Savepoints per write would cost more than they give:
 * FTS5 flushes its pending index at each one. */

gboolean
motcua_replica_begin (MotcuaReplica  *self,
                      GError        **error)
{
  TxSaved saved = { self->seq, self->clock.last, sqlite3_total_changes64 (self->db) };

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  if (self->tx_depth == 0)
    {
      if (!_motcua_replica_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!_motcua_replica_refresh (self, error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      saved.seq = self->seq;
      saved.hlc = self->clock.last;
      self->tx_broken = FALSE;
    }

  g_array_append_val (self->tx_saved, saved);
  self->tx_depth++;

  return TRUE;
}

gboolean
motcua_replica_commit (MotcuaReplica  *self,
                       GError        **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->tx_depth == 1)
    {
      TxSaved *saved = &g_array_index (self->tx_saved, TxSaved, 0);
      MotcuaValue seq = MOTCUA_VALUE_INT ((gint64) self->seq);
      MotcuaValue hlc = MOTCUA_VALUE_INT ((gint64) self->clock.last);

      if (self->tx_broken)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE,
                       _("A write in this group failed halfway, so none of the group was saved"));
          motcua_replica_rollback (self);
          return FALSE;
        }

      /* The counters are written once per transaction, not once per change. */
      if (!_motcua_replica_flush_fts (self, error)
          || (self->seq != saved->seq && !meta_set (self, "seq", &seq, error))
          || (self->clock.last != saved->hlc && !meta_set (self, "hlc", &hlc, error))
          || !_motcua_replica_exec (self, "COMMIT", error))
        {
          motcua_replica_rollback (self);
          return FALSE;
        }
    }

  self->tx_depth--;
  g_array_set_size (self->tx_saved, self->tx_depth);

  return TRUE;
}

gboolean
_motcua_replica_finish (MotcuaReplica  *self,
                        gboolean        ok,
                        GError        **error)
{
  if (!ok)
    {
      motcua_replica_rollback (self);
      return FALSE;
    }

  return motcua_replica_commit (self, error);
}

void
motcua_replica_rollback (MotcuaReplica *self)
{
  TxSaved saved;

  g_return_if_fail (MOTCUA_IS_REPLICA (self));
  g_return_if_fail (self->tx_depth > 0);

  self->tx_depth--;
  saved = g_array_index (self->tx_saved, TxSaved, self->tx_depth);
  g_array_set_size (self->tx_saved, self->tx_depth);

  if (self->tx_depth == 0)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_array_set_size (self->fts_pending, 0);
      self->tx_broken = FALSE;
    }
  else if (sqlite3_total_changes64 (self->db) != saved.total_changes)
    {
      /* This write got halfway: the group cannot be saved. */
      self->tx_broken = TRUE;
      return;
    }

  /* Sequence numbers of undone changes are given again; the clock only moves forward. */
  self->seq = saved.seq;
  _motcua_replica_drop_caches (self);
}

gboolean
motcua_replica_optimize (MotcuaReplica  *self,
                         GError        **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (self->tx_depth == 0, FALSE);

  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self,
                                 _motcua_replica_exec (self,
                                                       "INSERT INTO cases_fts (cases_fts)"
                                                       " VALUES ('optimize');"
                                                       "INSERT INTO procedures_fts"
                                                       " (procedures_fts) VALUES ('optimize');"
                                                       "PRAGMA optimize;", error),
                                 error);
}

/* Opening */

/* A replica holds its server's bearer token and citizens' personal data: it is its user's
 * alone. The file is made 0600 before SQLite opens it, and SQLite gives the -wal and -shm
 * files beside it the mode of the database file; one made before this rule is made 0600
 * when opened. */
static gboolean
make_private (const char  *path,
              gboolean     create,
              GError     **error)
{
  GStatBuf st;
  int fd;

  if (create)
    {
      fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          int saved = errno;

          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE, _("Cannot create %s: %s"),
                       path, g_strerror (saved));
          return FALSE;
        }
      g_close (fd, NULL);
      return TRUE;
    }

  /* Best effort: a file this user does not own (read-only use) is left as it is. */
  if (g_stat (path, &st) == 0 && (st.st_mode & 0077) != 0 && st.st_uid == getuid ())
    {
      static const char *const suffixes[] = { "", "-wal", "-shm" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

          if (g_file_test (file, G_FILE_TEST_EXISTS))
            g_chmod (file, st.st_mode & 0700);
        }
    }

  return TRUE;
}

static gboolean
open_db (MotcuaReplica  *self,
         gboolean        create,
         GError        **error)
{
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc;

  if (!make_private (self->path, create, error))
    return FALSE;
  rc = sqlite3_open_v2 (self->path, &self->db, flags, NULL);

  if (rc != SQLITE_OK)
    {
      if (!create && !g_file_test (self->path, G_FILE_TEST_EXISTS))
        g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                     _("No replica at %s: create one with “motcua-cli init”"), self->path);
      else
        g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE, _("Cannot open %s: %s"),
                     self->path, self->db ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return FALSE;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  /* Durable when the call returns: a receipt handed to a citizen must survive a power cut. */
  if (!_motcua_replica_exec (self, "PRAGMA journal_mode = WAL", error)
      || !_motcua_replica_exec (self, "PRAGMA synchronous = FULL", error)
      || !_motcua_replica_exec (self, "PRAGMA foreign_keys = ON", error)
      /* Each write inside a batch is a savepoint, whose sub-journal is a temporary file by
       * default: keep it in memory, and give a batch room before it spills to the WAL. */
      || !_motcua_replica_exec (self, "PRAGMA temp_store = MEMORY", error)
      || !_motcua_replica_exec (self, "PRAGMA cache_size = -32768", error))
    return FALSE;

  return _motcua_fts_register (self->db, error);
}

gboolean
_motcua_replica_refresh (MotcuaReplica  *self,
                         GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "PRAGMA data_version", error);
  gint64 version = -1;
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (version < 0)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }
  if (version == self->data_version)
    return TRUE;

  stmt = _motcua_replica_prepare (self, "SELECT key, value FROM meta"
                                  " WHERE key IN ('seq', 'hlc', 'clock_offset')", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      gint64 value = sqlite3_column_int64 (stmt, 1);

      if (g_strcmp0 (key, "seq") == 0)
        self->seq = (guint64) value;
      else if (g_strcmp0 (key, "hlc") == 0)
        {
          /* Taken as it is, even behind this connection's: every commit writes its clock,
           * so it is ahead of every stamp given, unless a re-stamp by another connection
           * (the sync's) has brought the clock back from a time that never was. Keeping
           * ours then stamped the desk's later writes as far ahead as before. */
          self->clock.last = (MotcuaHlc) value;
        }
      else
        self->clock_offset_ms = value;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }
  _motcua_replica_drop_caches (self);
  self->data_version = version;

  return TRUE;
}

static gboolean
load_identity (MotcuaReplica  *self,
               GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT key, value FROM meta", error);
  gboolean have_id = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      const char *text = (const char *) sqlite3_column_text (stmt, 1);

      if (g_strcmp0 (key, "replica_id") == 0)
        have_id = motcua_uuid_parse (text, &self->uuid);
      else if (g_strcmp0 (key, "office_code") == 0)
        self->office_code = g_strdup (text);
      else if (g_strcmp0 (key, "role") == 0)
        motcua_level_from_string (text, &self->role);
      else if (g_strcmp0 (key, "seq") == 0)
        self->seq = (guint64) sqlite3_column_int64 (stmt, 1);
      else if (g_strcmp0 (key, "hlc") == 0)
        self->clock.last = (MotcuaHlc) sqlite3_column_int64 (stmt, 1);
      else if (g_strcmp0 (key, "clock_offset") == 0)
        self->clock_offset_ms = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }

  if (!have_id || self->office_code == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                   _("%s is damaged: its identity (replica id, office) is missing"), self->path);
      return FALSE;
    }

  self->id = g_malloc (37);
  motcua_uuid_to_string (&self->uuid, self->id);
  motcua_uuid_for_key (&self->office_id, "office", self->office_code);

  stmt = _motcua_replica_prepare (self, "SELECT idx FROM origins WHERE uuid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, self->uuid.bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self->self_origin = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (self->self_origin == 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                   _("%s is damaged: its own origin is missing"), self->path);
      return FALSE;
    }

  return TRUE;
}

static int
read_pragma_int (sqlite3    *db,
                 const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/**
 * motcua_replica_open:
 * @path: the replica file
 * @error: return location for a #GError
 *
 * Opens a replica, migrating its schema forward if an older build made it. A replica of a newer
 * schema is refused with %MOTCUA_ERROR_SCHEMA_TOO_NEW; a file that is not a replica with
 * %MOTCUA_ERROR_CORRUPT.
 */
MotcuaReplica *
motcua_replica_open (const char  *path,
                     GError     **error)
{
  g_autoptr(MotcuaReplica) self = NULL;
  int app_id;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (MOTCUA_TYPE_REPLICA, NULL);
  self->path = g_strdup (path);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                   _("No replica at %s: create one with “motcua-cli init”"), path);
      return NULL;
    }

  if (!open_db (self, FALSE, error))
    return NULL;

  app_id = read_pragma_int (self->db, "PRAGMA application_id");
  if (app_id != MOTCUA_APPLICATION_ID)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                   _("%s is not a Một Cửa replica"), path);
      return NULL;
    }

  if (!_motcua_schema_migrate (self->db, MOTCUA_SCHEMA_VERSION, error))
    return NULL;

  if (!load_identity (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Creates the file at a given schema version; tests use it to make "older" replicas. */
MotcuaReplica *
_motcua_replica_create_at_version (const char   *path,
                                   const char   *office_code,
                                   MotcuaLevel   role,
                                   int           version,
                                   GError      **error)
{
  g_autoptr(MotcuaReplica) self = NULL;
  g_autofree char *app_id = NULL;
  MotcuaUuid uuid;
  char uuid_text[37];
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!motcua_check_required (_("office code"), office_code, error))
    return NULL;
  if ((guint) role >= MOTCUA_N_LEVELS)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("role %d is not a level"), role);
      return NULL;
    }

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_EXISTS,
                   _("%s exists already: a replica is created once"), path);
      return NULL;
    }

  self = g_object_new (MOTCUA_TYPE_REPLICA, NULL);
  self->path = g_strdup (path);

  app_id = g_strdup_printf ("PRAGMA application_id = %d", MOTCUA_APPLICATION_ID);
  motcua_uuid_v7 (&uuid);
  motcua_uuid_to_string (&uuid, uuid_text);

  ok = open_db (self, TRUE, error)
       && _motcua_replica_exec (self, app_id, error)
       && _motcua_schema_migrate (self->db, version, error)
       && motcua_replica_begin (self, error);

  if (ok)
    {
      static const guint8 seed_origin[16] = { 0 };

      MotcuaValue id_value = MOTCUA_VALUE_TEXT (uuid_text);
      MotcuaValue office_value = MOTCUA_VALUE_TEXT (office_code);
      MotcuaValue role_value = MOTCUA_VALUE_TEXT (motcua_level_to_string (role));

      ok = meta_set (self, "replica_id", &id_value, error)
           && meta_set (self, "office_code", &office_value, error)
           && meta_set (self, "role", &role_value, error);

      /* Origin 0 stands for reference data loaded from files (never logged). */
      if (ok && (stmt = _motcua_replica_prepare (self, "INSERT INTO origins (idx, uuid)"
                                                 " VALUES (0, ?1), (1, ?2)", error)) != NULL)
        {
          sqlite3_bind_blob (stmt, 1, seed_origin, 16, SQLITE_STATIC);
          sqlite3_bind_blob (stmt, 2, uuid.bytes, 16, SQLITE_STATIC);
          ok = _motcua_replica_step_done (self, stmt, error);
        }
      else
        ok = FALSE;

      if (ok)
        ok = motcua_replica_commit (self, error);
      else
        motcua_replica_rollback (self);
    }

  ok = ok && load_identity (self, error);

  if (!ok)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_clear_pointer (&self->statements, g_hash_table_unref);
      g_clear_pointer (&self->statements_by_text, g_hash_table_unref);
      g_clear_pointer (&self->db, sqlite3_close_v2);
      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * motcua_replica_create:
 * @path: where to create the replica file; it must not exist
 * @office_code: the office this replica belongs to
 * @role: the level of that office: what the replica may write and what it sees
 * @error: return location for a #GError
 *
 * Creates a new, empty replica with a new identity.
 */
MotcuaReplica *
motcua_replica_create (const char  *path,
                       const char  *office_code,
                       MotcuaLevel  role,
                       GError     **error)
{
  return _motcua_replica_create_at_version (path, office_code, role, MOTCUA_SCHEMA_VERSION,
                                            error);
}

const char *
motcua_replica_get_path (MotcuaReplica *self)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  return self->path;
}

const char *
motcua_replica_get_id (MotcuaReplica *self)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  return self->id;
}

const char *
motcua_replica_get_office_code (MotcuaReplica *self)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  return self->office_code;
}

MotcuaLevel
motcua_replica_get_role (MotcuaReplica *self)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), MOTCUA_LEVEL_COMMUNE);

  return self->role;
}

const char *
motcua_replica_get_officer (MotcuaReplica *self)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  return self->officer;
}

void
motcua_replica_set_officer (MotcuaReplica *self,
                            const char    *officer)
{
  g_return_if_fail (MOTCUA_IS_REPLICA (self));
  g_return_if_fail (officer != NULL && *officer != '\0');

  g_free (self->officer);
  self->officer = g_strdup (officer);
}

guint64
motcua_replica_get_last_seq (MotcuaReplica *self)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), 0);

  return self->seq;
}

MotcuaWriteMode
_motcua_replica_authority (MotcuaReplica *self)
{
  return self->role == MOTCUA_LEVEL_PROVINCE ? MOTCUA_WRITE_LOCAL : MOTCUA_WRITE_SEED;
}

/* JSON */

void
_motcua_json_append_string (GString    *out,
                            const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}
