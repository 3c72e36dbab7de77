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

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-changes-private.h"
#include "motcua-text.h"
#include "motcua-workflow.h"

/* A row's registers (_clk): the distinct (HLC, origin) pairs its columns were written with, then
 * one byte per column naming its pair. Most columns of a row were written together, so a case's
 * 21 registers take ~40 bytes rather than 21 × 12.
 *   [n] n × (HLC big-endian 8, origin index big-endian 4) [column → pair index or 0xff] */
#define NO_PAIR 0xff

typedef struct
{
  MotcuaHlc hlc[64];
  guint32   origin[64];
} Clocks;

static void
clocks_decode (Clocks       *clocks,
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

static GBytes *
clocks_encode (const Clocks *clocks,
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

typedef struct
{
  char *select_sql;
  char *insert_sql;
  char *update_sql;
  char *fts_insert_sql;
  char *fts_delete_sql;
  guint n_physical;
} TableSql;

static TableSql table_sql[MOTCUA_TABLE_CONFLICTS + 1];

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
          if (desc->fts != NULL)
            {
              g_autoptr(GString) fts_names = g_string_new (NULL);
              g_autoptr(GString) fts_params = g_string_new (NULL);

              for (guint k = 0; desc->fts_columns[k] != G_MAXUINT; k++)
                {
                  g_string_append_printf (fts_names, ", %s",
                                          desc->columns[desc->fts_columns[k]].name);
                  g_string_append_printf (fts_params, ", ?%u", k + 2);
                }
              sql->fts_insert_sql = g_strdup_printf ("INSERT INTO %s (rowid%s) VALUES (?1%s)",
                                                     desc->fts, fts_names->str, fts_params->str);
              sql->fts_delete_sql = g_strdup_printf ("INSERT INTO %s (%s, rowid%s)"
                                                     " VALUES ('delete', ?1%s)", desc->fts,
                                                     desc->fts, fts_names->str, fts_params->str);
            }
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

/* The fields of a change record: per change, varint column, varint HLC of the overwritten
 * value, then the value: a tag byte (0 NULL, 1 integer as a zigzag varint, 2 text as a varint
 * length and bytes, 3 a 16-byte id). */
static void
put_varint (GByteArray *out,
            guint64     v)
{
  guint8 b;

  do
    {
      b = v & 0x7f;
      v >>= 7;
      if (v != 0)
        b |= 0x80;
      g_byte_array_append (out, &b, 1);
    }
  while (v != 0);
}

static gboolean
get_varint (const guint8 **p,
            const guint8  *end,
            guint64       *out)
{
  guint64 v = 0;

  for (guint shift = 0; *p < end && shift < 64; shift += 7)
    {
      guint8 b = *(*p)++;

      v |= (guint64) (b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        {
          *out = v;
          return TRUE;
        }
    }

  return FALSE;
}

static void
put_change (GByteArray        *out,
            guint              column,
            MotcuaHlc          prev_hlc,
            const MotcuaValue *value)
{
  guint8 tag;

  put_varint (out, column);
  put_varint (out, prev_hlc);

  switch (value->type)
    {
    case SQLITE_INTEGER:
      tag = 1;
      g_byte_array_append (out, &tag, 1);
      put_varint (out, ((guint64) value->i << 1) ^ (guint64) (value->i >> 63));
      break;
    case SQLITE_TEXT:
      {
        gsize len = strlen (value->s);

        tag = 2;
        g_byte_array_append (out, &tag, 1);
        put_varint (out, len);
        g_byte_array_append (out, (const guint8 *) value->s, (guint) len);
      }
      break;
    case SQLITE_BLOB:
      tag = 3;
      g_byte_array_append (out, &tag, 1);
      g_byte_array_append (out, (const guint8 *) value->s, 16);
      break;
    default:
      tag = 0;
      g_byte_array_append (out, &tag, 1);
      break;
    }
}

gboolean
_motcua_change_fields_next (const guint8 **p,
                            const guint8  *end,
                            guint         *column,
                            MotcuaHlc     *prev_hlc,
                            MotcuaValue   *value,
                            gsize         *text_len)
{
  guint64 col, prev, v;
  guint8 tag;

  if (!get_varint (p, end, &col) || !get_varint (p, end, &prev) || *p >= end)
    return FALSE;

  *column = (guint) col;
  *prev_hlc = prev;
  tag = *(*p)++;
  *text_len = 0;

  switch (tag)
    {
    case 0:
      *value = MOTCUA_VALUE_NULL;
      return TRUE;
    case 1:
      if (!get_varint (p, end, &v))
        return FALSE;
      *value = MOTCUA_VALUE_INT ((gint64) (v >> 1) ^ -(gint64) (v & 1));
      return TRUE;
    case 2:
      if (!get_varint (p, end, &v) || v > (guint64) (end - *p))
        return FALSE;
      value->type = SQLITE_TEXT;
      value->s = (const char *) *p;   /* not NUL-terminated: use text_len */
      *text_len = (gsize) v;
      *p += v;
      return TRUE;
    case 3:
      if (end - *p < 16)
        return FALSE;
      value->type = SQLITE_BLOB;
      value->s = (const char *) *p;
      *p += 16;
      return TRUE;
    default:
      return FALSE;
    }
}

/* Appends the record of one row write: @n changes, numbered from the next sequence number. The
 * row is named by its UUID, which no other row ever takes. */
static gboolean
log_record (MotcuaReplica     *self,
            MotcuaTableId      table,
            const MotcuaUuid  *row_id,
            guint              n,
            GByteArray     *fields,
            MotcuaHlc       hlc,
            GError        **error)
{
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (self,
                                  "INSERT INTO changes (origin, seq, n, hlc, tbl, row_id, fields)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, self->self_origin);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) self->seq + 1);
  sqlite3_bind_int (stmt, 3, (int) n);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) hlc);
  sqlite3_bind_int (stmt, 5, table);
  sqlite3_bind_blob (stmt, 6, row_id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 7, fields->data, (int) fields->len, SQLITE_STATIC);
  self->seq += n;

  return _motcua_replica_step_done (self, stmt, error);
}

/* Full-text indexing waits for the commit. FTS5 flushes its pending index at every savepoint
 * and statement journal once it has joined a transaction, which made each write of a batch
 * write a tiny segment; indexed at the end, a batch is indexed in one go. Searches inside an
 * uncommitted group do not see its rows, and nothing in the library searches there. */
typedef struct
{
  const MotcuaTableDesc *table;
  gint64                 rid;
  gboolean               had_old;
  char                  *old[8];
  char                  *now[8];
} FtsPending;

static void
fts_pending_clear (gpointer data)
{
  FtsPending *p = data;

  for (guint n = 0; n < G_N_ELEMENTS (p->old); n++)
    {
      g_free (p->old[n]);
      g_free (p->now[n]);
    }
}

GArray *
_motcua_fts_pending_new (void)
{
  GArray *pending = g_array_new (FALSE, TRUE, sizeof (FtsPending));

  g_array_set_clear_func (pending, fts_pending_clear);

  return pending;
}

static void
queue_fts (MotcuaReplica         *self,
           const MotcuaTableDesc *table,
           gint64                 rid,
           const MotcuaValue     *old,
           const MotcuaValue     *now)
{
  FtsPending p = { table, rid, old != NULL, { NULL }, { NULL } };

  for (guint n = 0; table->fts_columns[n] != G_MAXUINT; n++)
    {
      const MotcuaValue *v = &now[table->fts_columns[n]];

      if (old != NULL && old[n].type == SQLITE_TEXT)
        p.old[n] = g_strdup (old[n].s);
      if (v->type == SQLITE_TEXT)
        p.now[n] = g_strdup (v->s);
    }

  g_array_append_val (self->fts_pending, p);
}

gboolean
_motcua_replica_flush_fts (MotcuaReplica  *self,
                           GError        **error)
{
  for (guint i = 0; i < self->fts_pending->len; i++)
    {
      const FtsPending *p = &g_array_index (self->fts_pending, FtsPending, i);
      const TableSql *sql = get_table_sql (p->table);
      sqlite3_stmt *stmt;

      if (p->had_old)
        {
          stmt = _motcua_replica_prepare (self, sql->fts_delete_sql, error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, p->rid);
          for (guint n = 0; p->table->fts_columns[n] != G_MAXUINT; n++)
            sqlite3_bind_text (stmt, (int) n + 2, p->old[n], -1, SQLITE_STATIC);
          if (!_motcua_replica_step_done (self, stmt, error))
            return FALSE;
        }

      stmt = _motcua_replica_prepare (self, sql->fts_insert_sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, p->rid);
      for (guint n = 0; p->table->fts_columns[n] != G_MAXUINT; n++)
        sqlite3_bind_text (stmt, (int) n + 2, p->now[n], -1, SQLITE_STATIC);
      if (!_motcua_replica_step_done (self, stmt, error))
        return FALSE;
    }

  g_array_set_size (self->fts_pending, 0);

  return TRUE;
}

/* A row as stored: its values (status as its "generation:name" register value), its registers,
 * and what its full-text index held when it was read. */
typedef struct
{
  const MotcuaTableDesc *table;
  const TableSql        *sql;
  gboolean               exists;
  gint64                 rid;
  OwnedValue             current[64];
  Clocks                 clocks;
  char                  *fts_old[8];
  gboolean               fts_changed;
} RowState;

static void
row_state_clear (RowState *row)
{
  for (guint c = 0; c < G_N_ELEMENTS (row->current); c++)
    g_free (row->current[c].owned);
  for (guint n = 0; n < G_N_ELEMENTS (row->fts_old); n++)
    g_free (row->fts_old[n]);
}

static gboolean
row_read (MotcuaReplica         *self,
          const MotcuaTableDesc *table,
          const MotcuaUuid      *id,
          gboolean               known_new,
          RowState              *row,
          GError               **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_assert (table->n_columns <= G_N_ELEMENTS (row->current));

  memset (row, 0, sizeof *row);
  row->table = table;
  row->sql = get_table_sql (table);

  if (known_new)
    {
      for (guint c = 0; c < table->n_columns; c++)
        row->current[c].value = MOTCUA_VALUE_NULL;
      return TRUE;
    }

  stmt = _motcua_replica_prepare (self, row->sql->select_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      int col = 1;

      row->exists = TRUE;
      row->rid = sqlite3_column_int64 (stmt, 0);
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
                  row->current[c].owned = motcua_status_key_encode (&key);
                  row->current[c].value = MOTCUA_VALUE_TEXT (row->current[c].owned);
                }
              else
                row->current[c].value = MOTCUA_VALUE_NULL;
              col += 2;
            }
          else
            owned_value_set_column (&row->current[c], stmt, col++);
        }
      clocks_decode (&row->clocks, table->n_columns, sqlite3_column_blob (stmt, col),
                     (gsize) sqlite3_column_bytes (stmt, col));

      /* What the full-text index holds of the row now, before it changes. */
      if (table->fts != NULL)
        for (guint n = 0; table->fts_columns[n] != G_MAXUINT; n++)
          {
            const MotcuaValue *v = &row->current[table->fts_columns[n]].value;

            row->fts_old[n] = v->type == SQLITE_TEXT ? g_strdup (v->s) : NULL;
          }
    }
  else
    {
      for (guint c = 0; c < table->n_columns; c++)
        row->current[c].value = MOTCUA_VALUE_NULL;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/* Sets column @c of the row (not yet stored), with the register it now holds. */
static void
row_set (RowState          *row,
         guint              c,
         const MotcuaValue *value,
         MotcuaHlc          hlc,
         guint32            origin)
{
  g_free (row->current[c].owned);
  row->current[c].owned = NULL;
  row->current[c].value = *value;
  if (value->type == SQLITE_TEXT || value->type == SQLITE_BLOB)
    {
      row->current[c].owned = value->type == SQLITE_TEXT ? g_strdup (value->s)
                                                         : g_memdup2 (value->s, 16);
      row->current[c].value.s = row->current[c].owned;
    }
  row->clocks.hlc[c] = hlc;
  row->clocks.origin[c] = origin;

  if (row->table->fts != NULL)
    for (guint n = 0; row->table->fts_columns[n] != G_MAXUINT; n++)
      row->fts_changed |= row->table->fts_columns[n] == c;
}

/* Writes the row back (inserting it if new) and queues its full-text update. @seq is the last
 * local change to it, or 0 for none. */
static gboolean
row_store (MotcuaReplica    *self,
           RowState         *row,
           const MotcuaUuid *id,
           guint64           seq,
           GError          **error)
{
  const MotcuaTableDesc *table = row->table;
  g_autoptr(GBytes) clk = NULL;
  sqlite3_stmt *stmt;
  int param = 2;

  stmt = _motcua_replica_prepare (self, row->exists ? row->sql->update_sql : row->sql->insert_sql,
                                  error);
  if (stmt == NULL)
    return FALSE;

  if (row->exists)
    sqlite3_bind_int64 (stmt, 1, row->rid);
  else
    sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);

  for (guint c = 0; c < table->n_columns; c++)
    {
      const MotcuaValue *v = &row->current[c].value;

      if (table->columns[c].kind == MOTCUA_COL_STATUS)
        {
          MotcuaStatusKey key;

          if (v->type == SQLITE_TEXT && motcua_status_key_decode (v->s, &key))
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
        _motcua_bind_value (stmt, param++, v);
    }
  clk = clocks_encode (&row->clocks, table->n_columns);
  sqlite3_bind_blob (stmt, param++, g_bytes_get_data (clk, NULL), (int) g_bytes_get_size (clk),
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, param++, (sqlite3_int64) seq);

  if (!_motcua_replica_step_done (self, stmt, error))
    return FALSE;

  if (!row->exists)
    {
      row->rid = sqlite3_last_insert_rowid (self->db);
      row->exists = TRUE;
      row->fts_changed = table->fts != NULL;
      for (guint n = 0; n < G_N_ELEMENTS (row->fts_old); n++)
        g_clear_pointer (&row->fts_old[n], g_free);
      if (table->fts != NULL)
        {
          MotcuaValue now[64];

          for (guint c = 0; c < table->n_columns; c++)
            now[c] = row->current[c].value;
          queue_fts (self, table, row->rid, NULL, now);
        }
      return TRUE;
    }

  if (row->fts_changed)
    {
      MotcuaValue now[64];
      MotcuaValue old[8];

      for (guint c = 0; c < table->n_columns; c++)
        now[c] = row->current[c].value;
      for (guint n = 0; table->fts_columns[n] != G_MAXUINT; n++)
        old[n] = MOTCUA_VALUE_TEXT (row->fts_old[n]);
      queue_fts (self, table, row->rid, old, now);
    }

  return TRUE;
}

/* Whether the text values of @mask in @values are at most MOTCUA_MAX_TEXT_BYTES long. */
static gboolean
check_text_lengths (const MotcuaTableDesc  *table,
                    const MotcuaValue      *values,
                    guint64                 mask,
                    GError                **error)
{
  for (guint c = 0; c < table->n_columns; c++)
    if ((mask & (G_GUINT64_CONSTANT (1) << c)) != 0 && values[c].type == SQLITE_TEXT
        && strlen (values[c].s) > MOTCUA_MAX_TEXT_BYTES)
      {
        g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                     _("%s.%s is longer than %u bytes"), table->name, table->columns[c].name,
                     (guint) MOTCUA_MAX_TEXT_BYTES);
        return FALSE;
      }

  return TRUE;
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
  RowState row;
  MotcuaHlc prev_hlc[64];
  guint64 changed_mask = 0;
  gboolean changed = FALSE;
  gboolean ok = FALSE;

  g_assert (self->tx_depth > 0);
  g_assert (!table->insert_only);

  if (mode != MOTCUA_WRITE_SEED && !check_text_lengths (table, values, mask, error))
    return FALSE;
  if (!row_read (self, table, id, mode == MOTCUA_WRITE_NEW, &row, error))
    goto out;

  for (guint c = 0; c < table->n_columns; c++)
    {
      if ((mask & (G_GUINT64_CONSTANT (1) << c)) == 0)
        continue;
      if (value_equal (&row.current[c].value, &values[c]))
        continue;

      prev_hlc[c] = row.clocks.hlc[c];

      /* Reference data loaded from a file never overrides a real write. */
      if (mode == MOTCUA_WRITE_SEED)
        {
          if (prev_hlc[c] != 0)
            continue;
          row_set (&row, c, &values[c], 0, 0);
        }
      else
        {
          row_set (&row, c, &values[c], hlc, (guint32) self->self_origin);
          changed_mask |= G_GUINT64_CONSTANT (1) << c;
        }
      changed = TRUE;
    }

  /* The row's last local change is the one logged last below. */
  if ((changed || !row.exists)
      && !row_store (self, &row, id,
                     changed_mask != 0
                     ? self->seq + (guint) __builtin_popcountll (changed_mask) : 0,
                     error))
    goto out;

  /* One change per changed field, numbered in column order, in one record. */
  if (changed_mask != 0)
    {
      g_autoptr(GByteArray) fields = g_byte_array_sized_new (256);

      for (guint c = 0; c < table->n_columns; c++)
        if ((changed_mask & (G_GUINT64_CONSTANT (1) << c)) != 0)
          put_change (fields, c + 1, prev_hlc[c], &values[c]);
      if (!log_record (self, table->id, id, (guint) __builtin_popcountll (changed_mask),
                       fields, hlc, error))
        goto out;
    }

  if (rid_out != NULL)
    *rid_out = row.rid;
  ok = TRUE;

out:
  row_state_clear (&row);

  return ok;
}

/* Stores a row of an insert-only table; @seq is its local change, or 0 for a merged row. */
static gboolean
insert_only_store (MotcuaReplica         *self,
                   const MotcuaTableDesc *table,
                   const MotcuaUuid      *id,
                   const MotcuaValue     *values,
                   guint64                seq,
                   GError               **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, get_table_sql (table)->insert_sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);
  for (guint c = 0; c < table->n_columns; c++)
    _motcua_bind_value (stmt, (int) c + 2, &values[c]);
  sqlite3_bind_null (stmt, (int) table->n_columns + 2);
  sqlite3_bind_int64 (stmt, (int) table->n_columns + 3, (sqlite3_int64) seq);

  return _motcua_replica_step_done (self, stmt, error);
}

/* The merge of remote changes: every replica that has seen the same set of changes holds the
 * same state, whatever order, duplication or batching they came in (DESIGN.md, Merge).
 *
 * An ordinary field is a register: the write with the greatest (HLC, origin) wins. The status
 * wins by (generation, rank) first, so a stale concurrent edit cannot reopen a resolved case.
 * Comparing is strict, so a change seen twice changes nothing the second time. Returns in @won
 * whether the change now holds the field. */
gboolean
_motcua_replica_merge_fields (MotcuaReplica          *self,
                              const MotcuaTableDesc  *table,
                              const MotcuaUuid       *id,
                              guint                   n_fields,
                              const MotcuaFieldWrite *fields,
                              gboolean               *won,
                              MotcuaRegister         *olds,
                              GError                **error)
{
  RowState row;
  gboolean existed, stored = FALSE;
  gboolean ok = FALSE;

  g_assert (self->tx_depth > 0);
  g_assert (!table->insert_only);

  for (guint i = 0; i < n_fields; i++)
    won[i] = FALSE;

  if (!row_read (self, table, id, FALSE, &row, error))
    goto out;
  existed = row.exists;

  for (guint i = 0; i < n_fields; i++)
    {
      const MotcuaValue *value = fields[i].value;
      MotcuaHlc hlc = fields[i].hlc;
      guint c = fields[i].column - 1;
      int order = 0;

      g_assert (fields[i].column >= 1 && fields[i].column <= table->n_columns);

      if (olds != NULL)
        {
          MotcuaRegister *old = &olds[i];

          /* As merging the fields one by one would have found it: the row exists once a field
           * before this one won. */
          old->exists = existed || stored;
          old->hlc = row.clocks.hlc[c];
          memset (&old->origin, 0, sizeof old->origin);
          if (row.clocks.origin[c] != 0
              && !_motcua_replica_origin_uuid (self, row.clocks.origin[c], &old->origin, error))
            goto out;
          old->value = row.current[c].value;
          old->owned = g_steal_pointer (&row.current[c].owned);
          row.current[c].value = old->value;   /* still valid: old owns the bytes */
        }

      if (table->columns[c].kind == MOTCUA_COL_STATUS
          && row.current[c].value.type == SQLITE_TEXT)
        {
          MotcuaStatusKey mine, theirs;

          if (motcua_status_key_decode (row.current[c].value.s, &mine)
              && motcua_status_key_decode (value->s, &theirs))
            order = motcua_status_key_compare (&theirs, &mine);
        }

      if (order == 0)
        {
          MotcuaHlc mine_hlc = row.clocks.hlc[c];
          MotcuaUuid mine_origin = { { 0 } };

          /* A register never written (or loaded from a file: HLC 0) loses to any real write. */
          if (mine_hlc != hlc)
            order = hlc > mine_hlc ? 1 : -1;
          else
            {
              if (row.clocks.origin[c] != 0
                  && !_motcua_replica_origin_uuid (self, row.clocks.origin[c], &mine_origin,
                                                   error))
                goto out;
              order = memcmp (fields[i].origin_uuid->bytes, mine_origin.bytes, 16);
            }
        }

      /* A state transfer is the server's word on everything it acknowledged: a register of
       * ours that is ahead of it (a change re-stamped after the server had taken the first
       * stamp) gives way, unless it holds a change the server has not acknowledged yet. */
      if (self->repairing && order < 0
          && !((gint64) row.clocks.origin[c] == self->self_origin
               && row.clocks.hlc[c] >= self->repair_pending_from))
        order = 1;

      if (order > 0)
        {
          row_set (&row, c, value, hlc, (guint32) fields[i].origin);
          won[i] = TRUE;
          stored = TRUE;
        }
    }

  /* Once for all the fields: one UPDATE (or INSERT) and one full-text update per row. */
  if (stored && !row_store (self, &row, id, 0, error))
    goto out;

  ok = TRUE;

out:
  row_state_clear (&row);

  return ok;
}

gboolean
_motcua_replica_merge_field (MotcuaReplica         *self,
                             const MotcuaTableDesc *table,
                             const MotcuaUuid      *id,
                             guint                  column,
                             const MotcuaValue     *value,
                             MotcuaHlc              hlc,
                             gint64                 origin,
                             const MotcuaUuid      *origin_uuid,
                             gboolean              *won,
                             MotcuaRegister        *old,
                             GError               **error)
{
  MotcuaFieldWrite field = { column, value, hlc, origin, origin_uuid };

  return _motcua_replica_merge_fields (self, table, id, 1, &field, won, old, error);
}

/* A state transfer's row of an insert-only table that this replica holds already. Such a row
 * never changes, with one exception: a re-stamp corrects the times a desk's wrong clock wrote
 * in the rows it has not pushed, and a push delivered late (after the sync that sent it had
 * given up, and after the re-stamp) makes the server keep the uncorrected row. The server's
 * word stands on what it acknowledged: a row of ours it acknowledged takes its values, keeping
 * its place in our log. */
static gboolean
repair_insert_only (MotcuaReplica         *self,
                    const MotcuaTableDesc *table,
                    const MotcuaUuid      *id,
                    const MotcuaValue     *values,
                    GError               **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT _seq FROM %s WHERE id = ?1", table->name);
  g_autofree char *delete = g_strdup_printf ("DELETE FROM %s WHERE id = ?1", table->name);
  sqlite3_stmt *stmt = _motcua_replica_prepare_text (self, select, error);
  gint64 seq = 0;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (seq <= 0 || (guint64) seq > _motcua_replica_get_acked (self))
    return TRUE;   /* not ours, or not acknowledged: it goes as it is */

  stmt = _motcua_replica_prepare_text (self, delete, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);

  return _motcua_replica_step_done (self, stmt, error)
         && insert_only_store (self, table, id, values, (guint64) seq, error);
}

/* A row of an insert-only table from another replica: merge is union. */
gboolean
_motcua_replica_merge_insert (MotcuaReplica         *self,
                              const MotcuaTableDesc *table,
                              const MotcuaUuid      *id,
                              const MotcuaValue     *values,
                              gboolean              *inserted,
                              GError               **error)
{
  const TableSql *sql = get_table_sql (table);
  sqlite3_stmt *stmt;
  gboolean exists;

  g_assert (self->tx_depth > 0);
  g_assert (table->insert_only);

  *inserted = FALSE;

  stmt = _motcua_replica_prepare (self, sql->select_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);
  exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (exists && self->repairing)
    return repair_insert_only (self, table, id, values, error);
  if (exists)
    return TRUE;

  if (!insert_only_store (self, table, id, values, 0, error))
    return FALSE;

  *inserted = TRUE;

  return TRUE;
}

gboolean
_motcua_replica_insert_row (MotcuaReplica         *self,
                            const MotcuaTableDesc *table,
                            const MotcuaUuid      *id,
                            const MotcuaValue     *values,
                            MotcuaHlc              hlc,
                            GError               **error)
{
  MotcuaValue none = MOTCUA_VALUE_NULL;
  g_autoptr(GByteArray) fields = NULL;

  g_assert (self->tx_depth > 0);
  g_assert (table->insert_only);

  if (!check_text_lengths (table, values, G_MAXUINT64, error)
      || !insert_only_store (self, table, id, values, self->seq + 1, error))
    return FALSE;

  /* The row travels as one change, column 0. Rows of insert-only tables never change, so the
   * change holds no copy of them: the row itself is the value. */
  fields = g_byte_array_sized_new (4);
  put_change (fields, 0, 0, &none);

  return log_record (self, table->id, id, 1, fields, hlc, error);
}

/* A change the server refused, issued again once its cause is fixed: the field @column of the
 * row @id as it holds now, as a new local change stamped @hlc that has seen the register the
 * field holds (a write made elsewhere since then is a conflict at the server, never lost),
 * or @seen: what the refused change had seen, when the server never judged it. */
gboolean
_motcua_replica_reissue_field (MotcuaReplica         *self,
                               const MotcuaTableDesc *table,
                               const MotcuaUuid      *id,
                               guint                  column,
                               const MotcuaHlc       *seen,
                               MotcuaHlc              hlc,
                               GError               **error)
{
  g_autoptr(GByteArray) fields = g_byte_array_sized_new (64);
  RowState row;
  gboolean ok = FALSE;
  guint c = column - 1;

  g_assert (self->tx_depth > 0);
  g_assert (!table->insert_only && column >= 1 && column <= table->n_columns);

  if (!row_read (self, table, id, FALSE, &row, error))
    goto out;
  if (!row.exists)
    {
      char text[37];

      motcua_uuid_to_string (id, text);
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("Row %s of %s is no longer on this replica: there is nothing to retry"),
                   text, table->name);
      goto out;
    }

  put_change (fields, column, seen != NULL ? *seen : row.clocks.hlc[c], &row.current[c].value);
  row.clocks.hlc[c] = hlc;
  row.clocks.origin[c] = (guint32) self->self_origin;
  ok = row_store (self, &row, id, self->seq + 1, error)
       && log_record (self, table->id, id, 1, fields, hlc, error);

out:
  row_state_clear (&row);

  return ok;
}

/* Likewise a row of a timeline or a scan the server refused: it is logged again, whole, as a
 * new change stamped @hlc, and the row names that change as its own. */
gboolean
_motcua_replica_reissue_insert (MotcuaReplica         *self,
                                const MotcuaTableDesc *table,
                                const MotcuaUuid      *id,
                                MotcuaHlc              hlc,
                                GError               **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET _seq = ?1 WHERE id = ?2", table->name);
  MotcuaValue none = MOTCUA_VALUE_NULL;
  g_autoptr(GByteArray) fields = NULL;
  sqlite3_stmt *stmt;

  g_assert (self->tx_depth > 0);
  g_assert (table->insert_only);

  stmt = _motcua_replica_prepare_text (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) self->seq + 1);
  sqlite3_bind_blob (stmt, 2, id->bytes, 16, SQLITE_STATIC);
  if (!_motcua_replica_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      char text[37];

      motcua_uuid_to_string (id, text);
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("Row %s of %s is no longer on this replica: there is nothing to retry"),
                   text, table->name);
      return FALSE;
    }

  fields = g_byte_array_sized_new (4);
  put_change (fields, 0, 0, &none);

  return log_record (self, table->id, id, 1, fields, hlc, error);
}

/* A refused change to a row this replica no longer holds (purged with its case), logged again
 * from its record: @value of the field @column, having seen @seen, or for a row of a timeline
 * or a scan (@column 0) the JSON of its values, which the new record keeps too. Stamped @hlc. */
gboolean
_motcua_replica_log_again (MotcuaReplica         *self,
                           const MotcuaTableDesc *table,
                           const MotcuaUuid      *id,
                           guint                  column,
                           const MotcuaValue     *value,
                           MotcuaHlc              seen,
                           MotcuaHlc              hlc,
                           GError               **error)
{
  g_autoptr(GByteArray) fields = g_byte_array_sized_new (64);

  g_assert (self->tx_depth > 0);
  g_assert (table->insert_only ? column == 0 && value->type == SQLITE_TEXT
                               : column >= 1 && column <= table->n_columns);

  put_change (fields, column, table->insert_only ? 0 : seen, value);

  return log_record (self, table->id, id, 1, fields, hlc, error);
}

/* A row of a timeline or a scan is about to be purged with its case: its record in this
 * replica's log held no copy of it (the row was its value), so it takes the row's values now,
 * as JSON. Should the server ever need the change again (its store restored from a backup), it
 * can still be sent. */
gboolean
_motcua_replica_keep_logged_row (MotcuaReplica         *self,
                                 const MotcuaTableDesc *table,
                                 gint64                 rid,
                                 const MotcuaUuid      *id,
                                 GError               **error)
{
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_batch_new ();
  MotcuaWireItem *item = _motcua_wire_batch_add (batch, table, FALSE, 0);
  g_autoptr(GByteArray) fields = g_byte_array_sized_new (256);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  MotcuaValue value;
  sqlite3_stmt *stmt;

  g_assert (table->insert_only);

  if (!_motcua_replica_read_row (self, table, rid, batch, item, error))
    return FALSE;
  node = json_node_init_object (json_node_alloc (), _motcua_wire_encode_values (item));
  text = json_to_string (node, FALSE);
  value = MOTCUA_VALUE_TEXT (text);
  put_change (fields, 0, 0, &value);

  stmt = _motcua_replica_prepare (self, "UPDATE changes SET fields = ?1 WHERE origin = ?2"
                                  " AND row_id = ?3 AND " MOTCUA_INSERT_ONLY_RECORD_SQL, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, fields->data, (int) fields->len, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, self->self_origin);
  sqlite3_bind_blob (stmt, 3, id->bytes, 16, SQLITE_STATIC);

  return _motcua_replica_step_done (self, stmt, error);
}

void
_motcua_register_clear (MotcuaRegister *reg)
{
  g_clear_pointer (&reg->owned, g_free);
}

/* A row's whole state as it travels in a snapshot: its values and, for a table of registers,
 * the (HLC, origin) of each column. */
gboolean
_motcua_replica_row_item (MotcuaReplica          *self,
                          const MotcuaTableDesc  *table,
                          const MotcuaUuid       *id,
                          MotcuaWireBatch        *batch,
                          gboolean               *found,
                          GError                **error)
{
  MotcuaWireItem *item;
  RowState row;
  gboolean ok = FALSE;

  *found = FALSE;

  if (table->insert_only)
    {
      const TableSql *sql = get_table_sql (table);
      sqlite3_stmt *stmt = _motcua_replica_prepare (self, sql->select_sql, error);
      gint64 rid = -1;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        rid = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rid < 0)
        return TRUE;
      item = _motcua_wire_batch_add (batch, table, FALSE, 0);
      item->row_id = *id;
      *found = TRUE;
      return _motcua_replica_read_row (self, table, rid, batch, item, error);
    }

  if (!row_read (self, table, id, FALSE, &row, error))
    goto done;
  if (!row.exists)
    {
      ok = TRUE;
      goto done;
    }

  item = _motcua_wire_batch_add (batch, table, FALSE, 0);
  item->row_id = *id;
  *found = TRUE;
  for (guint c = 0; c < table->n_columns; c++)
    {
      MotcuaWireRegister *reg = &item->registers[c];

      /* Never written by a replica (or seeded from a file): not part of the state. */
      if (row.clocks.hlc[c] == 0 && row.clocks.origin[c] == 0)
        continue;
      reg->written = TRUE;
      reg->hlc = row.clocks.hlc[c];
      if (row.clocks.origin[c] != 0
          && !_motcua_replica_origin_uuid (self, row.clocks.origin[c], &reg->origin, error))
        goto done;
      item->values[c] = _motcua_wire_batch_keep (batch, &row.current[c].value, -1);
    }
  ok = TRUE;

done:
  row_state_clear (&row);

  return ok;
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

/* Times a local write reads from this computer's clock. A re-stamp corrects them with the
 * stamps (DESIGN.md, Clocks); the day a case's clock starts, and its due date, follow. */
static const struct
{
  MotcuaTableId  table;
  const char    *column;
} clock_columns[] = {
  { MOTCUA_TABLE_CASES, "received_at" },
  { MOTCUA_TABLE_CASES, "resolved_at" },
  { MOTCUA_TABLE_CASES, "returned_at" },
  { MOTCUA_TABLE_CASE_EVENTS, "at" },
  { MOTCUA_TABLE_ATTACHMENTS, "added_at" },
  { MOTCUA_TABLE_CONFLICTS, "resolved_at" },
};

/* A time further than this from the stamp of the write that holds it was not read from the
 * clock: the officer typed it (a dossier received by post yesterday), and it stays. */
#define CLOCK_READING_SLACK_MS (10 * 60 * 1000)

/* How the times of one re-stamped operation are corrected. */
typedef struct
{
  MotcuaReplica *self;
  gint64         written_ms;   /* its stamp before: what the clock read when it was made */
  gint64         shift_ms;     /* how far the clock was corrected since */
  gint64         limit_ms;     /* its new stamp: none of its times comes after */
  char           old_due[11];  /* a due date it moved, for the text of its event */
  char           new_due[11];
} TimesFix;

static gboolean
is_clock_column (MotcuaTableId  table,
                 const char    *column)
{
  for (guint i = 0; i < G_N_ELEMENTS (clock_columns); i++)
    if (clock_columns[i].table == table && strcmp (clock_columns[i].column, column) == 0)
      return TRUE;

  return FALSE;
}

/* The unix milliseconds @fix moves @ms to. */
static gint64
fix_ms (const TimesFix *fix,
        gint64          ms)
{
  return MIN (ms + fix->shift_ms, fix->limit_ms);
}

/* @value (a time), corrected; NULL if it stays as it is. */
static char *
fix_time (const TimesFix *fix,
          const char     *value)
{
  g_autoptr(GDateTime) dt = value ? g_date_time_new_from_iso8601 (value, NULL) : NULL;
  gint64 ms;

  if (dt == NULL)
    return NULL;
  ms = g_date_time_to_unix (dt) * 1000;
  if (ABS (ms - fix->written_ms) > CLOCK_READING_SLACK_MS
      || fix_ms (fix, ms) / 1000 == ms / 1000)
    return NULL;

  return motcua_datetime_from_unix_ms (fix_ms (fix, ms));
}

/* @day, the day a case's clock starts, corrected when it was the day of a time this write
 * read from the clock; NULL if it stays. @received is the write's received_at (or NULL), and
 * @fixed_received what it became (or NULL). */
static char *
fix_day (const TimesFix *fix,
         const char     *day,
         const char     *received,
         const char     *fixed_received)
{
  g_autofree char *written = NULL;
  g_autofree char *fixed = NULL;

  if (day == NULL || strlen (day) != 10)
    return NULL;
  if (received != NULL)
    return fixed_received != NULL && strncmp (day, received, 10) == 0
           && strncmp (day, fixed_received, 10) != 0 ? g_strndup (fixed_received, 10) : NULL;

  /* A resubmission restarts the clock: its day is the day of the write. */
  written = motcua_datetime_from_unix_ms (fix->written_ms);
  fixed = motcua_datetime_from_unix_ms (fix_ms (fix, fix->written_ms));
  if (strncmp (day, written, 10) != 0 || strncmp (day, fixed, 10) == 0)
    return NULL;

  return g_strndup (fixed, 10);
}

/* The fields of a change record with each overwritten stamp renamed as @renamed says: the
 * latest of those into @latest_prev (when not NULL), the record re-encoded into @out (when
 * not NULL). With @fix, the record of a write to row @rid of @table, the times it read from
 * the clock are corrected, and what each column became is set in @fixed (by column, from 0;
 * NULL where it stays). */
static gboolean
restamp_fields (GHashTable            *renamed,
                GBytes                *record,
                MotcuaHlc             *latest_prev,
                GByteArray            *out,
                TimesFix              *fix,
                const MotcuaTableDesc *table,
                gint64                 rid,
                char                 **fixed,
                GError               **error)
{
  gsize size;
  const guint8 *p = g_bytes_get_data (record, &size);
  const guint8 *end = p + size;
  guint column;
  MotcuaHlc prev;
  MotcuaValue value;
  gsize text_len;
  g_autofree char *received = NULL;
  gboolean day_moved = FALSE;

  while (p < end && _motcua_change_fields_next (&p, end, &column, &prev, &value, &text_len))
    {
      MotcuaHlc *renamed_prev = g_hash_table_lookup (renamed, &prev);
      g_autofree char *text = NULL;
      const char *name = fix != NULL && column >= 1 && column <= table->n_columns
                         ? table->columns[column - 1].name : "";
      char *now = NULL;

      if (renamed_prev != NULL)
        prev = *renamed_prev;
      if (latest_prev != NULL)
        *latest_prev = MAX (*latest_prev, prev);
      if (out == NULL)
        continue;
      if (value.type == SQLITE_TEXT)
        {
          text = g_strndup (value.s, text_len);
          value.s = text;
        }

      if (fix != NULL && value.type == SQLITE_TEXT)
        {
          if (is_clock_column (table->id, name))
            now = fix_time (fix, text);
          else if (table->id == MOTCUA_TABLE_CASES && strcmp (name, "clock_start") == 0)
            {
              int received_column = _motcua_table_column (table, "received_at");

              now = fix_day (fix, text, received, fixed[received_column - 1]);
              day_moved = now != NULL;
            }
          else if (table->id == MOTCUA_TABLE_CASES && strcmp (name, "due_date") == 0
                   && day_moved)
            {
              int day_column = _motcua_table_column (table, "clock_start");
              char due[11];
              g_autoptr(GError) local_error = NULL;

              /* Recomputed from the corrected day, as the write would have; a calendar that
               * has no due date for it keeps the one it had. */
              if (_motcua_replica_case_due_date (fix->self, rid, fixed[day_column - 1], due,
                                                 &local_error)
                  && strcmp (due, text) != 0)
                {
                  g_strlcpy (fix->old_due, text, sizeof fix->old_due);
                  g_strlcpy (fix->new_due, due, sizeof fix->new_due);
                  now = g_strdup (due);
                }
            }
          if (table->id == MOTCUA_TABLE_CASES && strcmp (name, "received_at") == 0)
            received = g_strdup (text);
          if (now != NULL)
            {
              fixed[column - 1] = now;
              value.s = now;
            }
        }
      put_change (out, column, prev, &value);
    }

  return TRUE;
}

/* The clock's times in row @rid of @table, an insert-only table (its change holds no copy of
 * it: the row travels as it is), corrected by @fix; a "received" event's text follows the
 * due date the operation moved. */
static gboolean
restamp_insert_only (MotcuaReplica         *self,
                     const MotcuaTableDesc *table,
                     gint64                 rid,
                     const TimesFix        *fix,
                     GError               **error)
{
  for (guint c = 0; c < table->n_columns; c++)
    {
      const char *name = table->columns[c].name;
      gboolean events = table->id == MOTCUA_TABLE_CASE_EVENTS;
      g_autofree char *select = NULL;
      g_autofree char *update = NULL;
      g_autofree char *now = NULL;
      g_autofree char *detail = NULL;
      sqlite3_stmt *stmt;

      if (!is_clock_column (table->id, name))
        continue;

      select = g_strdup_printf ("SELECT %s, %s FROM %s WHERE rid = ?1", name,
                                events ? "detail" : "NULL", table->name);
      stmt = _motcua_replica_prepare_text (self, select, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rid);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          now = fix_time (fix, (const char *) sqlite3_column_text (stmt, 0));
          detail = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_reset (stmt);

      if (detail != NULL && fix->old_due[0] != '\0')
        {
          g_autofree char *suffix = g_strconcat (", due ", fix->old_due, NULL);

          if (g_str_has_suffix (detail, suffix))
            {
              detail[strlen (detail) - strlen (fix->old_due)] = '\0';
              g_free (g_steal_pointer (&suffix));
              suffix = g_strconcat (detail, fix->new_due, NULL);
              g_free (detail);
              detail = g_steal_pointer (&suffix);
            }
          else
            g_clear_pointer (&detail, g_free);
        }
      else
        g_clear_pointer (&detail, g_free);
      if (now == NULL && detail == NULL)
        continue;

      update = g_strdup_printf ("UPDATE %s SET %s = coalesce (?1, %s)%s WHERE rid = ?2",
                                table->name, name, name,
                                events ? ", detail = coalesce (?3, detail)" : "");
      stmt = _motcua_replica_prepare_text (self, update, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, rid);
      if (events)
        sqlite3_bind_text (stmt, 3, detail, -1, SQLITE_STATIC);
      if (!_motcua_replica_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* The registers of row @rid that hold this replica's @old_hlc take @new_hlc, and their
 * columns the values @fixed gives (NULL: as they are). */
static gboolean
restamp_registers (MotcuaReplica         *self,
                   const MotcuaTableDesc *table,
                   gint64                 rid,
                   MotcuaHlc              old_hlc,
                   MotcuaHlc              new_hlc,
                   char                 **fixed,
                   GError               **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT _clk FROM %s WHERE rid = ?1", table->name);
  g_autoptr(GString) update = g_string_new (NULL);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  Clocks clocks;
  g_autoptr(GBytes) clk = NULL;
  gboolean found = FALSE;

  stmt = _motcua_replica_prepare_text (self, select, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      clocks_decode (&clocks, table->n_columns, sqlite3_column_blob (stmt, 0),
                     (gsize) sqlite3_column_bytes (stmt, 0));
      found = TRUE;
    }
  sqlite3_reset (stmt);
  if (!found)
    return TRUE;

  g_string_printf (update, "UPDATE %s SET _clk = ?1", table->name);
  for (guint c = 0; c < table->n_columns; c++)
    if (clocks.hlc[c] == old_hlc && clocks.origin[c] == (guint32) self->self_origin)
      {
        clocks.hlc[c] = new_hlc;
        /* The value the row holds is this write's: it takes the corrected one. */
        if (fixed[c] != NULL)
          {
            g_ptr_array_add (values, fixed[c]);
            g_string_append_printf (update, ", %s = ?%u", table->columns[c].name,
                                    values->len + 2);
          }
      }
  g_string_append (update, " WHERE rid = ?2");
  clk = clocks_encode (&clocks, table->n_columns);
  stmt = _motcua_replica_prepare_text (self, update->str, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (clk, NULL), (int) g_bytes_get_size (clk),
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, rid);
  for (guint i = 0; i < values->len; i++)
    sqlite3_bind_text (stmt, (int) i + 3, values->pdata[i], -1, SQLITE_STATIC);

  return _motcua_replica_step_done (self, stmt, error);
}

/* Re-stamping: a replica whose clock ran ahead gives its changes that nobody has seen (those
 * past @acked) new stamps from the corrected clock, in their order, each still after the value
 * it overwrote. The registers they hold and the later changes that overwrote them follow.
 *
 * The times they read from the clock are corrected with them, in the change and in the row,
 * so that what is pushed is corrected: by @shift_ms, the correction the clock took since they
 * were written, and never past their new stamp (a clock set right by hand leaves no offset,
 * only times ahead). A time the officer typed is kept (see CLOCK_READING_SLACK_MS). */
gboolean
_motcua_replica_restamp (MotcuaReplica  *self,
                         guint64         acked,
                         gint64          shift_ms,
                         guint          *n_out,
                         GError        **error)
{
  g_autoptr(GHashTable) renamed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         g_free);
  sqlite3_stmt *stmt;
  MotcuaHlc last = 0;
  guint n = 0;
  int rc;

  g_assert (self->tx_depth > 0);

  stmt = _motcua_replica_prepare (self, "SELECT ch.seq, ch.hlc, ch.tbl,"
                                  " coalesce (" MOTCUA_CHANGE_ROW_RID_SQL ", -1), ch.fields"
                                  " FROM changes ch WHERE ch.origin = ?1 AND ch.seq > ?2"
                                  " ORDER BY ch.seq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->self_origin);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) acked);

  /* Collected first: the loop below writes to the tables being read. */
  {
    g_autoptr(GArray) records = g_array_new (FALSE, FALSE, sizeof (gint64) * 4);
    g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 r[4] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                        sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3) };

        g_array_append_vals (records, r, 1);
        g_ptr_array_add (blobs, g_bytes_new (sqlite3_column_blob (stmt, 4),
                                             (gsize) sqlite3_column_bytes (stmt, 4)));
      }
    sqlite3_reset (stmt);
    if (rc != SQLITE_DONE)
      {
        _motcua_replica_set_db_error (self, error);
        return FALSE;
      }

    /* The clock restarts from the corrected time and what it has seen of others. */
    self->clock.last = (MotcuaHlc) _motcua_replica_meta_get_int (self, "hub_seen_hlc", 0);

    for (guint first = 0; first < records->len;)
      {
        MotcuaHlc old_hlc = (MotcuaHlc) g_array_index (records, gint64, 4 * first + 1);
        MotcuaHlc new_hlc, latest_prev = 0;
        TimesFix fix = { self, (gint64) motcua_hlc_get_ms (old_hlc), shift_ms, 0, "", "" };
        guint after = first;

        /* One operation, one stamp: the records of one write (a transfer's case row and its
         * event) keep sharing theirs, so the server still judges them together and a later
         * change that overwrote any of them is renamed to the stamp they all took. (Each
         * record once took its own: a transfer made before a re-stamp then named the event's
         * new stamp as the case row's, and the server saw a conflict of the replica with
         * itself; found by test-converge, seed 5510.) */
        while (after < records->len
               && (MotcuaHlc) g_array_index (records, gint64, 4 * after + 1) == old_hlc)
          after++;

        /* The new stamp comes after everything the operation overwrote. */
        for (guint i = first; i < after; i++)
          if (!restamp_fields (renamed, blobs->pdata[i], &latest_prev, NULL, NULL, NULL, 0, NULL,
                               error))
            return FALSE;
        if (latest_prev != 0)
          motcua_hlc_clock_observe (&self->clock, latest_prev, _motcua_replica_now_ms (self));
        new_hlc = _motcua_replica_tick (self);
        fix.limit_ms = (gint64) motcua_hlc_get_ms (new_hlc);

        for (guint i = first; i < after; i++)
          {
            const gint64 *r = &g_array_index (records, gint64, 4 * i);
            const MotcuaTableDesc *table = _motcua_table_lookup ((MotcuaTableId) r[2]);
            g_autoptr(GByteArray) fields = g_byte_array_new ();
            char *fixed[64] = { NULL };
            gboolean ok;

            if (table == NULL)
              continue;
            ok = restamp_fields (renamed, blobs->pdata[i], NULL, fields, &fix, table, r[3], fixed,
                                 error)
                 && (table->insert_only
                     ? restamp_insert_only (self, table, r[3], &fix, error)
                     : restamp_registers (self, table, r[3], old_hlc, new_hlc, fixed, error));
            for (guint c = 0; c < G_N_ELEMENTS (fixed); c++)
              g_free (fixed[c]);
            if (!ok)
              return FALSE;

            stmt = _motcua_replica_prepare (self, "UPDATE changes SET hlc = ?1, fields = ?2"
                                            " WHERE origin = ?3 AND seq = ?4", error);
            if (stmt == NULL)
              return FALSE;
            sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) new_hlc);
            sqlite3_bind_blob (stmt, 2, fields->data, (int) fields->len, SQLITE_STATIC);
            sqlite3_bind_int64 (stmt, 3, self->self_origin);
            sqlite3_bind_int64 (stmt, 4, r[0]);
            if (!_motcua_replica_step_done (self, stmt, error))
              return FALSE;
            n++;
          }

        {
          gint64 *key = g_new (gint64, 1);
          MotcuaHlc *val = g_new (MotcuaHlc, 1);

          *key = (gint64) old_hlc;
          *val = new_hlc;
          g_hash_table_replace (renamed, key, val);
        }
        last = new_hlc;
        first = after;
      }
  }

  if (last != 0)
    self->clock.last = MAX (self->clock.last, last);
  if (n_out != NULL)
    *n_out = n;

  return TRUE;
}
