/* motcua-capture.c: field-level change capture
 *
 * Every write of a replicated row goes through here. In the caller's transaction it writes the
 * row and appends one change per field whose value changed: origin, sequence number, HLC, table,
 * row, column, new value and the HLC of the value it overwrote. Each row keeps, per column, the
 * (HLC, origin) of the write its current value came from: the field's register.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-error.h"
#include "motcua-replica-private.h"
#include "motcua-workflow.h"

#define CLOCK_SIZE 12   /* big-endian HLC (8) and origin index (4) */

typedef struct
{
  char *select_sql;
  char *insert_sql;
  char *update_sql;
  guint n_physical;
} TableSql;

static TableSql table_sql[MOTCUA_TABLE_ATTACHMENTS + 1];

static const TableSql *
get_table_sql (const MotcuaTableDesc *table)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      for (guint t = 0; t < _motcua_n_tables; t++)
        {
          const MotcuaTableDesc *desc = _motcua_tables[t];
          TableSql *sql = &table_sql[desc->id];
          g_autoptr(GString) names = g_string_new (NULL);
          g_autoptr(GString) params = g_string_new (NULL);
          g_autoptr(GString) sets = g_string_new (NULL);
          guint n = 0;

          for (guint c = 0; c < desc->n_columns; c++)
            {
              const char *phys[2] = { desc->columns[c].name, NULL };

              if (desc->columns[c].kind == MOTCUA_COL_STATUS)
                phys[1] = "status_gen";

              for (guint k = 0; k < 2 && phys[k] != NULL; k++)
                {
                  n++;
                  g_string_append_printf (names, "%s, ", phys[k]);
                  g_string_append_printf (params, "?%u, ", n + 1);
                  g_string_append_printf (sets, "%s = ?%u, ", phys[k], n + 1);
                }
            }

          sql->n_physical = n;
          sql->select_sql = g_strdup_printf ("SELECT rid, %s_clk FROM %s WHERE id = ?1",
                                             names->str, desc->name);
          sql->insert_sql = g_strdup_printf ("INSERT INTO %s (id, %s_clk, _seq)"
                                             " VALUES (?1, %s?%u, ?%u)",
                                             desc->name, names->str, params->str, n + 2, n + 3);
          sql->update_sql = g_strdup_printf ("UPDATE %s SET %s_clk = ?%u, _seq = max (_seq, ?%u)"
                                             " WHERE rid = ?1",
                                             desc->name, sets->str, n + 2, n + 3);
        }

      g_once_init_leave (&initialized, 1);
    }

  return &table_sql[table->id];
}

/* A column's value, owning its bytes. */
typedef struct
{
  MotcuaValue value;
  char       *owned;
} OwnedValue;

static void
owned_value_set_column (OwnedValue   *out,
                        sqlite3_stmt *stmt,
                        int           index)
{
  int type = sqlite3_column_type (stmt, index);

  out->value.type = type;
  out->value.i = 0;
  out->value.s = NULL;
  out->owned = NULL;

  switch (type)
    {
    case SQLITE_INTEGER:
      out->value.i = sqlite3_column_int64 (stmt, index);
      break;

    case SQLITE_TEXT:
      out->owned = g_strdup ((const char *) sqlite3_column_text (stmt, index));
      out->value.s = out->owned;
      break;

    case SQLITE_BLOB:
      if (sqlite3_column_bytes (stmt, index) == 16)
        {
          out->owned = g_memdup2 (sqlite3_column_blob (stmt, index), 16);
          out->value.s = out->owned;
        }
      else
        out->value.type = SQLITE_NULL;
      break;

    default:
      out->value.type = SQLITE_NULL;
      break;
    }
}

static gboolean
value_equal (const MotcuaValue *a,
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

static void
clock_get (const guint8 *clk,
           guint         column,
           MotcuaHlc    *hlc,
           guint32      *origin)
{
  const guint8 *p = clk + (column - 1) * CLOCK_SIZE;

  *hlc = 0;
  for (guint i = 0; i < 8; i++)
    *hlc = (*hlc << 8) | p[i];
  *origin = (guint32) p[8] << 24 | (guint32) p[9] << 16 | (guint32) p[10] << 8 | p[11];
}

static void
clock_set (guint8    *clk,
           guint      column,
           MotcuaHlc  hlc,
           guint32    origin)
{
  guint8 *p = clk + (column - 1) * CLOCK_SIZE;

  for (guint i = 0; i < 8; i++)
    p[i] = (guint8) (hlc >> (56 - 8 * i));
  p[8] = (guint8) (origin >> 24);
  p[9] = (guint8) (origin >> 16);
  p[10] = (guint8) (origin >> 8);
  p[11] = (guint8) origin;
}

static gboolean
log_change (MotcuaReplica     *self,
            MotcuaTableId      table,
            gint64             rid,
            guint              column,
            const MotcuaValue *value,
            MotcuaHlc          hlc,
            MotcuaHlc          prev_hlc,
            GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (self,
                                  "INSERT INTO changes (origin, seq, hlc, tbl, row, col, value,"
                                  " prev_hlc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                  error);
  if (stmt == NULL)
    return FALSE;

  self->seq++;
  sqlite3_bind_int64 (stmt, 1, self->self_origin);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) self->seq);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) hlc);
  sqlite3_bind_int (stmt, 4, table);
  sqlite3_bind_int64 (stmt, 5, rid);
  sqlite3_bind_int (stmt, 6, (int) column);
  _motcua_bind_value (stmt, 7, value);
  sqlite3_bind_int64 (stmt, 8, (sqlite3_int64) prev_hlc);

  return _motcua_replica_step_done (self, stmt, error);
}

gboolean
_motcua_replica_write_row (MotcuaReplica         *self,
                           const MotcuaTableDesc *table,
                           const MotcuaUuid      *id,
                           const MotcuaValue     *values,
                           guint64                mask,
                           MotcuaWriteMode        mode,
                           MotcuaHlc              hlc,
                           gint64                *rid_out,
                           GError               **error)
{
  const TableSql *sql = get_table_sql (table);
  OwnedValue current[64];
  g_autofree guint8 *clk = g_malloc0 (table->n_columns * CLOCK_SIZE);
  gboolean exists = FALSE;
  MotcuaHlc prev_hlc[64];
  guint64 changed_mask = 0;
  gboolean changed = FALSE;
  gboolean ok = FALSE;
  sqlite3_stmt *stmt;
  gint64 rid = 0;
  int rc;

  g_assert (self->tx_depth > 0);
  g_assert (table->n_columns <= G_N_ELEMENTS (current));
  g_assert (!table->insert_only);

  memset (current, 0, sizeof current);

  stmt = _motcua_replica_prepare (self, sql->select_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      int col = 1;

      exists = TRUE;
      rid = sqlite3_column_int64 (stmt, 0);
      for (guint c = 0; c < table->n_columns; c++)
        {
          if (table->columns[c].kind == MOTCUA_COL_STATUS)
            {
              MotcuaStatusKey key = { 0 };

              if (sqlite3_column_type (stmt, col) == SQLITE_TEXT
                  && motcua_status_from_string ((const char *) sqlite3_column_text (stmt, col),
                                                &key.status))
                {
                  key.generation = (guint) sqlite3_column_int (stmt, col + 1);
                  current[c].owned = motcua_status_key_encode (&key);
                  current[c].value = MOTCUA_VALUE_TEXT (current[c].owned);
                }
              else
                current[c].value = MOTCUA_VALUE_NULL;
              col += 2;
            }
          else
            owned_value_set_column (&current[c], stmt, col++);
        }
      if (sqlite3_column_bytes (stmt, col) == (int) (table->n_columns * CLOCK_SIZE))
        memcpy (clk, sqlite3_column_blob (stmt, col), table->n_columns * CLOCK_SIZE);
    }
  else if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (self, error);
      goto out;
    }
  sqlite3_reset (stmt);

  if (!exists)
    {
      for (guint c = 0; c < table->n_columns; c++)
        current[c].value = MOTCUA_VALUE_NULL;
    }

  for (guint c = 0; c < table->n_columns; c++)
    {
      guint32 prev_origin;

      if ((mask & (G_GUINT64_CONSTANT (1) << c)) == 0)
        continue;
      if (value_equal (&current[c].value, &values[c]))
        continue;

      clock_get (clk, c + 1, &prev_hlc[c], &prev_origin);

      /* Reference data loaded from a file never overrides a real write. */
      if (mode == MOTCUA_WRITE_SEED && prev_hlc[c] != 0)
        continue;
      if (mode == MOTCUA_WRITE_LOCAL)
        {
          clock_set (clk, c + 1, hlc, (guint32) self->self_origin);
          changed_mask |= G_GUINT64_CONSTANT (1) << c;
        }

      g_free (current[c].owned);
      current[c].owned = NULL;
      current[c].value = values[c];
      changed = TRUE;
    }

  if (changed || !exists)
    {
      int param = 2;

      stmt = _motcua_replica_prepare (self, exists ? sql->update_sql : sql->insert_sql, error);
      if (stmt == NULL)
        goto out;

      if (exists)
        sqlite3_bind_int64 (stmt, 1, rid);
      else
        sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);

      for (guint c = 0; c < table->n_columns; c++)
        {
          if (table->columns[c].kind == MOTCUA_COL_STATUS)
            {
              MotcuaStatusKey key;

              if (current[c].value.type == SQLITE_TEXT
                  && motcua_status_key_decode (current[c].value.s, &key))
                {
                  sqlite3_bind_text (stmt, param++, motcua_status_to_string (key.status), -1,
                                     SQLITE_STATIC);
                  sqlite3_bind_int (stmt, param++, (int) key.generation);
                }
              else
                {
                  sqlite3_bind_null (stmt, param++);
                  sqlite3_bind_int (stmt, param++, 0);
                }
            }
          else
            _motcua_bind_value (stmt, param++, &current[c].value);
        }
      sqlite3_bind_blob (stmt, param++, clk, (int) (table->n_columns * CLOCK_SIZE),
                         SQLITE_STATIC);
      /* The row's last local change: the one logged last below. */
      sqlite3_bind_int64 (stmt, param++,
                          changed_mask != 0
                          ? (sqlite3_int64) (self->seq + (guint) __builtin_popcountll (changed_mask))
                          : 0);

      if (!_motcua_replica_step_done (self, stmt, error))
        goto out;

      if (!exists)
        rid = sqlite3_last_insert_rowid (self->db);
    }

  /* One change per changed field, numbered in column order. */
  for (guint c = 0; c < table->n_columns; c++)
    {
      if ((changed_mask & (G_GUINT64_CONSTANT (1) << c)) == 0)
        continue;
      if (!log_change (self, table->id, rid, c + 1, &values[c], hlc, prev_hlc[c], error))
        goto out;
    }

  if (rid_out != NULL)
    *rid_out = rid;
  ok = TRUE;

out:
  for (guint c = 0; c < table->n_columns; c++)
    g_free (current[c].owned);

  return ok;
}

gboolean
_motcua_replica_insert_row (MotcuaReplica         *self,
                            const MotcuaTableDesc *table,
                            const MotcuaUuid      *id,
                            const MotcuaValue     *values,
                            MotcuaHlc              hlc,
                            GError               **error)
{
  const TableSql *sql = get_table_sql (table);
  g_autoptr(GString) json = g_string_new ("{");
  sqlite3_stmt *stmt;
  MotcuaValue row_value;
  gint64 rid;

  g_assert (self->tx_depth > 0);
  g_assert (table->insert_only);

  /* The row travels as one change: a JSON object of its non-null fields, keys in column order. */
  for (guint c = 0; c < table->n_columns; c++)
    {
      const MotcuaValue *v = &values[c];

      if (v->type == SQLITE_NULL)
        continue;
      if (json->len > 1)
        g_string_append_c (json, ',');
      _motcua_json_append_string (json, table->columns[c].name);
      g_string_append_c (json, ':');
      if (v->type == SQLITE_INTEGER)
        g_string_append_printf (json, "%" G_GINT64_FORMAT, v->i);
      else if (v->type == SQLITE_BLOB)
        {
          char text[37];

          motcua_uuid_to_string ((const MotcuaUuid *) v->s, text);
          _motcua_json_append_string (json, text);
        }
      else
        _motcua_json_append_string (json, v->s);
    }
  g_string_append_c (json, '}');

  stmt = _motcua_replica_prepare (self, sql->insert_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);
  for (guint c = 0; c < table->n_columns; c++)
    _motcua_bind_value (stmt, (int) c + 2, &values[c]);
  sqlite3_bind_null (stmt, (int) table->n_columns + 2);
  sqlite3_bind_int64 (stmt, (int) table->n_columns + 3, (sqlite3_int64) self->seq + 1);
  if (!_motcua_replica_step_done (self, stmt, error))
    return FALSE;
  rid = sqlite3_last_insert_rowid (self->db);

  row_value = MOTCUA_VALUE_TEXT (json->str);

  return log_change (self, table->id, rid, 0, &row_value, hlc, 0, error);
}
