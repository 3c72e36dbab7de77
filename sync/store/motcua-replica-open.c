/* motcua-replica-open.c: opening and creating a replica file, and its identity
 *
 * A replica is one SQLite file, its user's alone (0600), opened in WAL mode, brought up to the
 * current schema, and known by the identity its meta table holds: its UUID, its office and its
 * role. Another connection's commits are noticed here too (_motcua_replica_refresh()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "motcua-error.h"
#include "motcua-replica-private.h"
#include "motcua-schema-private.h"
#include "motcua-store-digest-private.h"
#include "motcua-text.h"
#include "motcua-version.h"

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

void
motcua_replica_set_busy_timeout (MotcuaReplica *self,
                                 guint          ms)
{
  g_return_if_fail (MOTCUA_IS_REPLICA (self));

  sqlite3_busy_timeout (self->db, (int) MIN (ms, (guint) G_MAXINT));
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
                                  " WHERE key IN ('seq', 'hlc', 'clock_offset', 'office_code')",
                                  error);
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
      else if (g_strcmp0 (key, "office_code") == 0)
        {
          /* A reorganisation re-homed the replica (the sync's connection did). */
          if (g_strcmp0 (self->office_code, (const char *) sqlite3_column_text (stmt, 1)) != 0)
            {
              g_free (self->office_code);
              self->office_code = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
              motcua_uuid_for_key (&self->office_id, "office", self->office_code);
            }
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

gboolean
_motcua_replica_set_office_code (MotcuaReplica  *self,
                                 const char     *code,
                                 GError        **error)
{
  if (!_motcua_replica_meta_set_text (self, "office_code", code, error))
    return FALSE;
  g_free (self->office_code);
  self->office_code = g_strdup (code);
  motcua_uuid_for_key (&self->office_id, "office", self->office_code);

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

  if (!load_identity (self, error) || !_motcua_store_digest_install (self, error))
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

      ok = _motcua_replica_meta_set_text (self, "replica_id", uuid_text, error)
           && _motcua_replica_meta_set_text (self, "office_code", office_code, error)
           && _motcua_replica_meta_set_text (self, "role", motcua_level_to_string (role), error);

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

  ok = ok && load_identity (self, error) && _motcua_store_digest_install (self, error);

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

