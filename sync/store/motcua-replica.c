/* motcua-replica.c: a local replica: its statements, meta, clock, origins and transactions
 *
 * The object, and what every write goes through. Opening and creating a replica file, and its
 * identity, are motcua-replica-open.c's.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-replica-private.h"
#include "motcua-schema-private.h"
#include "motcua-text.h"
#include "motcua-version.h"

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
  _motcua_replica_drop_caches (self);
  g_clear_pointer (&self->tx_saved, g_array_unref);
  g_clear_pointer (&self->fts_pending, g_array_unref);
  g_clear_pointer (&self->origins, g_hash_table_unref);
  g_clear_pointer (&self->origin_indexes, g_hash_table_unref);
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

/* UUIDs as hash table keys (16 bytes each). */
static guint
uuid_hash (gconstpointer key)
{
  guint32 words[4];

  memcpy (words, key, sizeof words);

  return words[0] ^ words[1] ^ words[2] ^ words[3];
}

static gboolean
uuid_equal (gconstpointer a,
            gconstpointer b)
{
  return memcmp (a, b, 16) == 0;
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
  self->origin_indexes = g_hash_table_new_full (uuid_hash, uuid_equal, g_free, g_free);
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

gboolean
_motcua_replica_rows_done (MotcuaReplica  *self,
                           sqlite3_stmt   *stmt,
                           int             rc,
                           GError        **error)
{
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)   /* SQLITE_ROW: the caller stopped the walk, its error set */
    _motcua_replica_set_db_error (self, error);

  return FALSE;
}

gboolean
_motcua_replica_walk_done (MotcuaReplica  *self,
                           sqlite3_stmt   *stmt,
                           int             rc,
                           GError         *walk_error,
                           GError        **error)
{
  sqlite3_reset (stmt);
  if (walk_error != NULL)
    {
      g_propagate_error (error, walk_error);
      return FALSE;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }

  return TRUE;
}

gint64
_motcua_replica_step_count (MotcuaReplica  *self,
                            sqlite3_stmt   *stmt,
                            GError        **error)
{
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    _motcua_replica_set_db_error (self, error);
  sqlite3_reset (stmt);

  return n;
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

MotcuaValue
_motcua_value_from_column (sqlite3_stmt *stmt,
                           int           column)
{
  MotcuaValue v = MOTCUA_VALUE_NULL;

  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_INTEGER:
      v = MOTCUA_VALUE_INT (sqlite3_column_int64 (stmt, column));
      break;
    case SQLITE_TEXT:
      v = MOTCUA_VALUE_TEXT ((const char *) sqlite3_column_text (stmt, column));
      break;
    case SQLITE_BLOB:
      if (sqlite3_column_bytes (stmt, column) == 16)
        {
          v.type = SQLITE_BLOB;
          v.s = sqlite3_column_blob (stmt, column);
        }
      break;
    default:
      break;
    }

  return v;
}

void
_motcua_bind_value (sqlite3_stmt      *stmt,
                    int                index,
                    const MotcuaValue *value)
{
  switch (value->type)
    {
    case SQLITE_INTEGER:
      sqlite3_bind_int64 (stmt, index, value->i);
      break;
    case SQLITE_TEXT:
      sqlite3_bind_text (stmt, index, value->s, -1, SQLITE_STATIC);
      break;
    case SQLITE_BLOB:
      sqlite3_bind_blob (stmt, index, value->s, 16, SQLITE_STATIC);
      break;
    default:
      sqlite3_bind_null (stmt, index);
      break;
    }
}

gboolean
_motcua_value_equal (const MotcuaValue *a,
                     const MotcuaValue *b)
{
  if (a->type != b->type)
    return FALSE;

  switch (a->type)
    {
    case SQLITE_NULL:
      return TRUE;
    case SQLITE_INTEGER:
      return a->i == b->i;
    case SQLITE_TEXT:
      return strcmp (a->s, b->s) == 0;
    case SQLITE_BLOB:
      return memcmp (a->s, b->s, 16) == 0;
    default:
      return FALSE;
    }
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
  if (self->calendar != NULL)
    self->calendar_free (g_steal_pointer (&self->calendar));
  if (self->origins != NULL)
    g_hash_table_remove_all (self->origins);
  if (self->origin_indexes != NULL)
    g_hash_table_remove_all (self->origin_indexes);
  if (self->procedures != NULL)
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
  gint64 *cached = g_hash_table_lookup (self->origin_indexes, uuid->bytes);
  sqlite3_stmt *stmt;
  gboolean found;

  /* Every change applied asks (a first sync, ~50,000 times): the table holds one row per
   * replica ever seen. The cache goes with the others when a transaction is rolled back (an
   * index given in it is undone) or another connection wrote. */
  if (cached != NULL)
    {
      *index_out = *cached;
      return TRUE;
    }

  stmt = _motcua_replica_prepare (self, "SELECT idx FROM origins WHERE uuid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, uuid->bytes, 16, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found)
    *index_out = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (!found)
    {
      stmt = _motcua_replica_prepare (self, "INSERT INTO origins (uuid) VALUES (?1)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, uuid->bytes, 16, SQLITE_STATIC);
      if (!_motcua_replica_step_done (self, stmt, error))
        return FALSE;
      *index_out = sqlite3_last_insert_rowid (self->db);
    }

  g_hash_table_insert (self->origin_indexes, g_memdup2 (uuid->bytes, 16),
                       g_memdup2 (index_out, sizeof *index_out));

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

char *
motcua_replica_dup_today (MotcuaReplica *self)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  return _motcua_replica_today (self);
}
