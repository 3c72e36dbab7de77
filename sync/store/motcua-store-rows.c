/* motcua-store-rows.c: a replicated row's SQL: its values and registers, read and written
 *
 * The statements of a table's rows are made once per table (_motcua_table_sql()); those named
 * by a column's name are built here and cached by their text. A row's registers are packed
 * here too (_motcua_clocks_encode()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-store-rows-private.h"
#include "motcua-workflow.h"

void
_motcua_clocks_decode (Clocks       *clocks,
                       guint         n_columns,
                       const guint8 *blob,
                       gsize         size)
{
  guint n_pairs;

  memset (clocks, 0, sizeof *clocks);
  if (blob == NULL || size < 1)
    return;

  n_pairs = blob[0];
  if (size != 1 + 12 * (gsize) n_pairs + n_columns)
    return;   /* not ours: treat every register as never written */

  for (guint c = 0; c < n_columns; c++)
    {
      guint pair = blob[1 + 12 * n_pairs + c];
      const guint8 *p = blob + 1 + 12 * pair;

      if (pair == NO_PAIR || pair >= n_pairs)
        continue;
      for (guint i = 0; i < 8; i++)
        clocks->hlc[c] = (clocks->hlc[c] << 8) | p[i];
      clocks->origin[c] = (guint32) p[8] << 24 | (guint32) p[9] << 16 | (guint32) p[10] << 8
                          | p[11];
    }
}

GBytes *
_motcua_clocks_encode (const Clocks *clocks,
                       guint         n_columns)
{
  guint8 buf[1 + 12 * 64 + 64];
  guint8 pair_of[64];
  guint n_pairs = 0;

  for (guint c = 0; c < n_columns; c++)
    {
      guint k;

      pair_of[c] = NO_PAIR;
      if (clocks->hlc[c] == 0 && clocks->origin[c] == 0)
        continue;
      for (k = 0; k < n_pairs; k++)
        {
          guint first = 0;

          while (pair_of[first] != k)
            first++;
          if (clocks->hlc[first] == clocks->hlc[c] && clocks->origin[first] == clocks->origin[c])
            break;
        }
      if (k == n_pairs)
        {
          guint8 *p = buf + 1 + 12 * n_pairs++;

          for (guint i = 0; i < 8; i++)
            p[i] = (guint8) (clocks->hlc[c] >> (56 - 8 * i));
          p[8] = (guint8) (clocks->origin[c] >> 24);
          p[9] = (guint8) (clocks->origin[c] >> 16);
          p[10] = (guint8) (clocks->origin[c] >> 8);
          p[11] = (guint8) clocks->origin[c];
        }
      pair_of[c] = (guint8) k;
    }

  buf[0] = (guint8) n_pairs;
  /* The pairs were written in place; move the column map right after them. */
  memcpy (buf + 1 + 12 * n_pairs, pair_of, n_columns);

  return g_bytes_new (buf, 1 + 12 * n_pairs + n_columns);
}

gboolean
_motcua_clocks_registers (MotcuaReplica      *self,
                          const Clocks       *clocks,
                          guint               n_columns,
                          MotcuaRowRegister  *out,
                          GError            **error)
{
  for (guint c = 0; c < n_columns; c++)
    {
      memset (&out[c], 0, sizeof out[c]);
      /* Never written by a replica (or seeded from a file): not part of the state. */
      if (clocks->hlc[c] == 0 && clocks->origin[c] == 0)
        continue;
      out[c].written = TRUE;
      out[c].hlc = clocks->hlc[c];
      if (clocks->origin[c] != 0
          && !_motcua_replica_origin_uuid (self, clocks->origin[c], &out[c].origin, error))
        return FALSE;
    }

  return TRUE;
}

char *
_motcua_status_key_from_stored (const char *status,
                                gint64      generation)
{
  MotcuaStatusKey key = { 0 };

  if (status == NULL || !motcua_status_from_string (status, &key.status))
    return NULL;
  key.generation = (guint) generation;

  return motcua_status_key_encode (&key);
}

static void
bind_id (sqlite3_stmt     *stmt,
         int               index,
         const MotcuaUuid *id)
{
  sqlite3_bind_blob (stmt, index, id->bytes, 16, SQLITE_STATIC);
}

gboolean
_motcua_store_rows_read (MotcuaReplica          *self,
                         const MotcuaTableDesc  *table,
                         const MotcuaUuid       *id,
                         MotcuaStoreRowFunc      each,
                         gpointer                user_data,
                         GError                **error)
{
  const TableSql *sql = _motcua_table_sql (table);
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, sql->select_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_id (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      MotcuaValue values[128];
      int clk = (int) sql->n_physical + 1;
      MotcuaStoreRow row = { sqlite3_column_int64 (stmt, 0), values,
                             sqlite3_column_blob (stmt, clk),
                             (gsize) sqlite3_column_bytes (stmt, clk) };

      g_assert (sql->n_physical <= G_N_ELEMENTS (values));
      for (guint p = 0; p < sql->n_physical; p++)
        values[p] = _motcua_value_from_column (stmt, (int) p + 1);
      if (!each (&row, user_data, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }

  return _motcua_replica_walk_done (self, stmt, rc, NULL, error);
}

gboolean
_motcua_store_rows_write (MotcuaReplica          *self,
                          const MotcuaTableDesc  *table,
                          const MotcuaUuid       *id,
                          const MotcuaStoreRow   *row,
                          guint64                 seq,
                          gint64                 *rid_out,
                          GError                **error)
{
  const TableSql *sql = _motcua_table_sql (table);
  gboolean exists = row->rid >= 0;
  sqlite3_stmt *stmt;
  int param = 2;

  stmt = _motcua_replica_prepare (self, exists ? sql->update_sql : sql->insert_sql, error);
  if (stmt == NULL)
    return FALSE;

  if (exists)
    sqlite3_bind_int64 (stmt, 1, row->rid);
  else
    bind_id (stmt, 1, id);
  for (guint p = 0; p < sql->n_physical; p++)
    _motcua_bind_value (stmt, param++, &row->values[p]);
  sqlite3_bind_blob (stmt, param++, row->clk, (int) row->clk_size, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, param++, (sqlite3_int64) seq);

  if (!_motcua_replica_step_done (self, stmt, error))
    return FALSE;

  *rid_out = exists ? row->rid : sqlite3_last_insert_rowid (self->db);

  return TRUE;
}

gboolean
_motcua_store_rows_find (MotcuaReplica          *self,
                         const MotcuaTableDesc  *table,
                         const MotcuaUuid       *id,
                         gint64                 *rid_out,
                         GError                **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, _motcua_table_sql (table)->select_sql,
                                                error);
  int rc;

  *rid_out = -1;
  if (stmt == NULL)
    return FALSE;
  bind_id (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *rid_out = sqlite3_column_int64 (stmt, 0);

  return _motcua_replica_walk_done (self, stmt, rc, NULL, error);
}

gboolean
_motcua_store_rows_read_values (MotcuaReplica          *self,
                                const MotcuaTableDesc  *table,
                                gint64                  rid,
                                MotcuaStoreRowFunc      each,
                                gpointer                user_data,
                                gboolean               *found,
                                GError                **error)
{
  MotcuaValue values[64];
  MotcuaStoreRow row = { rid, values, NULL, 0 };
  sqlite3_stmt *stmt;
  int rc;

  g_assert (table->n_columns <= G_N_ELEMENTS (values));

  *found = FALSE;
  stmt = _motcua_replica_prepare (self, _motcua_table_sql (table)->values_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      for (guint c = 0; c < table->n_columns; c++)
        values[c] = _motcua_value_from_column (stmt, (int) c);
      if (!each (&row, user_data, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }

  return _motcua_replica_walk_done (self, stmt, rc, NULL, error);
}

gboolean
_motcua_store_rows_insert_only (MotcuaReplica          *self,
                                const MotcuaTableDesc  *table,
                                const MotcuaUuid       *id,
                                const MotcuaValue      *values,
                                guint64                 seq,
                                GError                **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, _motcua_table_sql (table)->insert_sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_id (stmt, 1, id);
  for (guint c = 0; c < table->n_columns; c++)
    _motcua_bind_value (stmt, (int) c + 2, &values[c]);
  sqlite3_bind_null (stmt, (int) table->n_columns + 2);
  sqlite3_bind_int64 (stmt, (int) table->n_columns + 3, (sqlite3_int64) seq);

  return _motcua_replica_step_done (self, stmt, error);
}

gboolean
_motcua_store_rows_get_seq (MotcuaReplica          *self,
                            const MotcuaTableDesc  *table,
                            const MotcuaUuid       *id,
                            gint64                 *seq_out,
                            GError                **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT _seq FROM %s WHERE id = ?1", table->name);
  sqlite3_stmt *stmt = _motcua_replica_prepare_text (self, sql, error);
  int rc;

  *seq_out = -1;
  if (stmt == NULL)
    return FALSE;
  bind_id (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *seq_out = sqlite3_column_int64 (stmt, 0);

  return _motcua_replica_walk_done (self, stmt, rc, NULL, error);
}

gboolean
_motcua_store_rows_delete (MotcuaReplica          *self,
                           const MotcuaTableDesc  *table,
                           const MotcuaUuid       *id,
                           GError                **error)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?1", table->name);
  sqlite3_stmt *stmt = _motcua_replica_prepare_text (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_id (stmt, 1, id);

  return _motcua_replica_step_done (self, stmt, error);
}

gboolean
_motcua_store_rows_upgrade_event (MotcuaReplica     *self,
                                  const MotcuaUuid  *id,
                                  GError           **error)
{
  return _motcua_schema_upgrade_event (self->db, id->bytes, error);
}

gboolean
_motcua_store_rows_set_seq (MotcuaReplica          *self,
                            const MotcuaTableDesc  *table,
                            const MotcuaUuid       *id,
                            guint64                 seq,
                            gboolean               *found,
                            GError                **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET _seq = ?1 WHERE id = ?2", table->name);
  sqlite3_stmt *stmt = _motcua_replica_prepare_text (self, sql, error);

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq);
  bind_id (stmt, 2, id);
  if (!_motcua_replica_step_done (self, stmt, error))
    return FALSE;
  *found = sqlite3_changes (self->db) > 0;

  return TRUE;
}

gboolean
_motcua_store_rows_get_texts (MotcuaReplica          *self,
                              const MotcuaTableDesc  *table,
                              gint64                  rid,
                              const char *const      *columns,
                              guint                   n,
                              char                  **out,
                              GError                **error)
{
  g_autofree char *names = g_strjoinv (", ", (char **) columns);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < n; i++)
    out[i] = NULL;
  g_assert (columns[n] == NULL);
  sql = g_strdup_printf ("SELECT %s FROM %s WHERE rid = ?1", names, table->name);
  stmt = _motcua_replica_prepare_text (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    for (guint i = 0; i < n; i++)
      out[i] = g_strdup ((const char *) sqlite3_column_text (stmt, (int) i));

  return _motcua_replica_walk_done (self, stmt, rc, NULL, error);
}

gboolean
_motcua_store_rows_set_texts (MotcuaReplica          *self,
                              const MotcuaTableDesc  *table,
                              gint64                  rid,
                              GBytes                 *clk,
                              const char *const      *columns,
                              const char *const      *values,
                              guint                   n,
                              GError                **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;

  if (clk == NULL && n == 0)
    return TRUE;

  g_string_printf (sql, "UPDATE %s SET ", table->name);
  if (clk != NULL)
    g_string_append (sql, "_clk = ?1");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, "%s%s = coalesce (?%u, %s)", clk != NULL || i > 0 ? ", " : "",
                            columns[i], i + 3, columns[i]);
  g_string_append (sql, " WHERE rid = ?2");

  stmt = _motcua_replica_prepare_text (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  if (clk != NULL)
    sqlite3_bind_blob (stmt, 1, g_bytes_get_data (clk, NULL), (int) g_bytes_get_size (clk),
                       SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, rid);
  for (guint i = 0; i < n; i++)
    sqlite3_bind_text (stmt, (int) i + 3, values[i], -1, SQLITE_STATIC);

  return _motcua_replica_step_done (self, stmt, error);
}

gboolean
_motcua_store_rows_get_clk (MotcuaReplica          *self,
                            const MotcuaTableDesc  *table,
                            gint64                  rid,
                            GBytes                **clk_out,
                            GError                **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT _clk FROM %s WHERE rid = ?1", table->name);
  sqlite3_stmt *stmt = _motcua_replica_prepare_text (self, sql, error);
  int rc;

  *clk_out = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *clk_out = g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0));

  return _motcua_replica_walk_done (self, stmt, rc, NULL, error);
}
