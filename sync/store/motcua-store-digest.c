/* motcua-store-digest.c: the digest of a scope, kept as rows are written
 *
 * A row's hash in its canonical bytes, and the triggers that keep the sums of those hashes in
 * step with every write (motcua-store-digest-private.h). The triggers are temporary: each
 * connection makes them from the table descriptions when the replica is opened, so a column
 * added by a migration is hashed without rewriting them. A write made behind the library's
 * back (another program on the file) leaves the sums stale; the replica finds that out when
 * its digest differs from the server's, counts again, and rebuilds them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-store-digest-private.h"

/* A sum as stored: its two lanes, big-endian. */
#define DIGEST_BYTES 16

/* The key of the bucket in every scope (no office id is one byte). */
#define EVERYONE_SQL "x'ff'"

void
_motcua_digest_add (MotcuaDigest       *sum,
                    const MotcuaDigest *x)
{
  for (guint l = 0; l < 2; l++)
    sum->lanes[l] += x->lanes[l];
}

void
_motcua_digest_subtract (MotcuaDigest       *sum,
                         const MotcuaDigest *x)
{
  for (guint l = 0; l < 2; l++)
    sum->lanes[l] -= x->lanes[l];
}

char *
_motcua_digest_to_string (const MotcuaDigest *digest)
{
  return g_strdup_printf ("%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x",
                          digest->lanes[0], digest->lanes[1]);
}

static void
digest_from_bytes (MotcuaDigest *digest,
                   const guint8 *bytes)
{
  for (guint l = 0; l < 2; l++)
    {
      digest->lanes[l] = 0;
      for (guint i = 0; i < 8; i++)
        digest->lanes[l] = digest->lanes[l] << 8 | bytes[8 * l + i];
    }
}

static void
digest_to_bytes (const MotcuaDigest *digest,
                 guint8             *bytes)
{
  for (guint l = 0; l < 2; l++)
    for (guint i = 0; i < 8; i++)
      bytes[8 * l + i] = (guint8) (digest->lanes[l] >> (56 - 8 * i));
}

/* The canonical bytes */

static void
hash_u64 (GChecksum *sum,
          guint64    v)
{
  guint8 bytes[8];

  for (guint i = 0; i < 8; i++)
    bytes[i] = (guint8) (v >> (56 - 8 * i));
  g_checksum_update (sum, bytes, sizeof bytes);
}

static void
hash_value (GChecksum         *sum,
            const MotcuaValue *value)
{
  guint8 type = (guint8) value->type;

  g_checksum_update (sum, &type, 1);
  switch (value->type)
    {
    case SQLITE_INTEGER:
      hash_u64 (sum, (guint64) value->i);
      break;
    case SQLITE_TEXT:
      /* With its length first: no two lists of texts give the same bytes. */
      hash_u64 (sum, strlen (value->s));
      g_checksum_update (sum, (const guchar *) value->s, (gssize) strlen (value->s));
      break;
    case SQLITE_BLOB:
      g_checksum_update (sum, (const guchar *) value->s, 16);
      break;
    default:
      break;
    }
}

gboolean
_motcua_row_digest (const MotcuaTableDesc   *table,
                    const guint8            *id,
                    const MotcuaValue       *values,
                    const MotcuaRowRegister *registers,
                    MotcuaDigest            *out)
{
  g_autoptr(GChecksum) sum = NULL;
  gboolean any = registers == NULL;
  guint8 bytes[32];
  gsize len = sizeof bytes;

  memset (out, 0, sizeof *out);
  for (guint c = 0; !any && c < table->n_columns; c++)
    any = registers[c].written;
  if (!any)
    return FALSE;   /* a row no replica ever wrote is not replicated state */

  sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, (const guchar *) table->name, -1);
  g_checksum_update (sum, (const guchar *) "", 1);
  g_checksum_update (sum, id, 16);
  for (guint c = 0; c < table->n_columns; c++)
    {
      guint8 column = (guint8) c;

      if (registers != NULL && !registers[c].written)
        continue;
      if (registers == NULL && values[c].type == SQLITE_NULL)
        continue;
      g_checksum_update (sum, &column, 1);
      hash_value (sum, &values[c]);
      if (registers != NULL)
        {
          hash_u64 (sum, registers[c].hlc);
          g_checksum_update (sum, registers[c].origin.bytes, 16);
        }
    }
  g_checksum_get_digest (sum, bytes, &len);
  digest_from_bytes (out, bytes);

  return TRUE;
}

/* The SQL functions */

/* What the functions of one connection share: the replica, and the last hash
 * motcua_row_hash_at() gave, which motcua_row_hash_again() gives again (a trigger adds one row's
 * hash to its case's sum and to its bucket's). */
typedef struct
{
  MotcuaReplica *self;
  gboolean       last_written;
  MotcuaDigest   last;
} Functions;

static gboolean
value_digest (sqlite3_value *value,
              MotcuaDigest  *out)
{
  memset (out, 0, sizeof *out);
  if (sqlite3_value_type (value) != SQLITE_BLOB || sqlite3_value_bytes (value) != DIGEST_BYTES)
    return FALSE;
  digest_from_bytes (out, sqlite3_value_blob (value));

  return TRUE;
}

static void
result_digest (sqlite3_context    *context,
               const MotcuaDigest *digest)
{
  guint8 bytes[DIGEST_BYTES];

  digest_to_bytes (digest, bytes);
  sqlite3_result_blob (context, bytes, sizeof bytes, SQLITE_TRANSIENT);
}

static MotcuaValue
value_of (sqlite3_value *value)
{
  switch (sqlite3_value_type (value))
    {
    case SQLITE_INTEGER:
      return MOTCUA_VALUE_INT (sqlite3_value_int64 (value));
    case SQLITE_TEXT:
      return MOTCUA_VALUE_TEXT ((const char *) sqlite3_value_text (value));
    case SQLITE_BLOB:
      if (sqlite3_value_bytes (value) == 16)
        return (MotcuaValue) { SQLITE_BLOB, 0, sqlite3_value_blob (value) };
      return MOTCUA_VALUE_NULL;
    default:
      return MOTCUA_VALUE_NULL;
    }
}

/* The hash of a row from its physical columns as stored (@physical: n_physical of them, the
 * status as its two), @id and @clk. FALSE with @message set when an origin is unknown. */
static gboolean
hash_stored (MotcuaReplica          *self,
             const MotcuaTableDesc  *table,
             sqlite3_value          *id,
             sqlite3_value         **physical,
             sqlite3_value          *clk,
             gboolean               *written,
             MotcuaDigest           *out,
             char                  **message)
{
  g_autofree char *status_key = NULL;
  MotcuaValue values[64];
  MotcuaRowRegister registers[64];
  guint p = 0;

  for (guint c = 0; c < table->n_columns; c++)
    {
      if (table->columns[c].kind == MOTCUA_COL_STATUS)
        {
          status_key = _motcua_status_key_from_stored
                         ((const char *) sqlite3_value_text (physical[p]),
                          sqlite3_value_int64 (physical[p + 1]));
          values[c] = MOTCUA_VALUE_TEXT (status_key);
          p += 2;
        }
      else
        values[c] = value_of (physical[p++]);
    }

  if (!table->insert_only)
    {
      g_autoptr(GError) error = NULL;
      Clocks clocks;

      _motcua_clocks_decode (&clocks, table->n_columns, sqlite3_value_blob (clk),
                             (gsize) sqlite3_value_bytes (clk));
      if (!_motcua_clocks_registers (self, &clocks, table->n_columns, registers, &error))
        {
          *message = g_strdup (error->message);
          return FALSE;
        }
    }

  *written = sqlite3_value_bytes (id) == 16
             && _motcua_row_digest (table, sqlite3_value_blob (id), values,
                                    table->insert_only ? NULL : registers, out);

  return TRUE;
}

static void
result_hash (sqlite3_context       *context,
             Functions             *functions,
             const MotcuaTableDesc *table,
             sqlite3_value         *id,
             sqlite3_value        **physical,
             sqlite3_value         *clk)
{
  g_autofree char *message = NULL;
  MotcuaDigest *digest = &functions->last;
  gboolean *written = &functions->last_written;

  if (!hash_stored (functions->self, table, id, physical, clk, written, digest, &message))
    sqlite3_result_error (context, message, -1);
  else if (*written)
    result_digest (context, digest);
  else
    sqlite3_result_null (context);
}

/* motcua_row_hash (table, id, physical columns…, _clk): the row's hash as a sum, or NULL for
 * a row no replica wrote. */
static void
row_hash_func (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  const MotcuaTableDesc *table = _motcua_table_lookup (sqlite3_value_int (argv[0]));

  if (table == NULL || argc != 3 + (int) _motcua_table_sql (table)->n_physical)
    {
      sqlite3_result_error (context, "motcua_row_hash: not a row of a replicated table", -1);
      return;
    }

  result_hash (context, sqlite3_user_data (context), table, argv[1], argv + 2, argv[argc - 1]);
}

/* motcua_row_hash_again (): what the last motcua_row_hash_at() or motcua_row_hash() gave. */
static void
row_hash_again_func (sqlite3_context  *context,
                     int               argc,
                     sqlite3_value   **argv)
{
  Functions *functions = sqlite3_user_data (context);

  if (functions->last_written)
    result_digest (context, &functions->last);
  else
    sqlite3_result_null (context);
}

/* The id, the physical columns (the status as its two) and the registers of a row of @table,
 * each after ", " and @prefix (a row's alias and a dot, or ""): the arguments of
 * motcua_row_hash() but its first. */
static void
append_stored (GString               *sql,
               const MotcuaTableDesc *table,
               const char            *prefix)
{
  g_string_append_printf (sql, ", %sid", prefix);
  for (guint c = 0; c < table->n_columns; c++)
    {
      g_string_append_printf (sql, ", %s%s", prefix, table->columns[c].name);
      if (table->columns[c].kind == MOTCUA_COL_STATUS)
        g_string_append_printf (sql, ", %sstatus_gen", prefix);
    }
  g_string_append_printf (sql, ", %s_clk", prefix);
}

/* The statement reading a row of @table by its rid for motcua_row_hash_at(). */
static char *
row_at_sql (const MotcuaTableDesc *table)
{
  GString *sql = g_string_new ("SELECT");

  append_stored (sql, table, "");
  g_string_erase (sql, strlen ("SELECT"), 1);   /* the comma before the first */
  g_string_append_printf (sql, " FROM %s WHERE rid = ?1", table->name);

  return g_string_free (sql, FALSE);
}

/* motcua_row_hash_at (table, rid): the same, of the row as it is stored now; the triggers call
 * it, before a row changes and after, rather than passing every column (short triggers are
 * parsed quickly each time a replica is opened). */
static void
row_hash_at_func (sqlite3_context  *context,
                  int               argc,
                  sqlite3_value   **argv)
{
  static char *sql[16];
  Functions *functions = sqlite3_user_data (context);
  MotcuaReplica *self = functions->self;
  MotcuaTableId id = sqlite3_value_int (argv[0]);
  const MotcuaTableDesc *table = _motcua_table_lookup (id);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  sqlite3_value *columns[72];
  int rc, n;

  if (table == NULL || (guint) id >= G_N_ELEMENTS (sql))
    {
      sqlite3_result_error (context, "motcua_row_hash_at: not a replicated table", -1);
      return;
    }
  if (g_once_init_enter (&sql[id]))
    g_once_init_leave (&sql[id], row_at_sql (table));

  stmt = _motcua_replica_prepare (self, sql[id], &error);
  if (stmt == NULL)
    {
      sqlite3_result_error (context, error->message, -1);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, sqlite3_value_int64 (argv[1]));
  rc = sqlite3_step (stmt);
  n = sqlite3_column_count (stmt);
  g_assert (n <= (int) G_N_ELEMENTS (columns));
  if (rc == SQLITE_ROW)
    {
      for (int c = 0; c < n; c++)
        columns[c] = sqlite3_column_value (stmt, c);
      result_hash (context, functions, table, columns[0], columns + 1, columns[n - 1]);
    }
  else if (rc == SQLITE_DONE)
    {
      functions->last_written = FALSE;
      sqlite3_result_null (context);
    }
  else
    sqlite3_result_error (context, sqlite3_errmsg (sqlite3_context_db_handle (context)), -1);
  sqlite3_reset (stmt);
}

/* motcua_digest_add (a, b), motcua_digest_sub (a, b): sums, NULL standing for zero. */
static void
digest_add_func (sqlite3_context  *context,
                 int               argc,
                 sqlite3_value   **argv)
{
  MotcuaDigest a, b;

  value_digest (argv[0], &a);
  value_digest (argv[1], &b);
  if (sqlite3_user_data (context) != NULL)
    _motcua_digest_subtract (&a, &b);
  else
    _motcua_digest_add (&a, &b);
  result_digest (context, &a);
}

/* motcua_digest_sum (x): the aggregate. */
static void
digest_sum_step (sqlite3_context  *context,
                 int               argc,
                 sqlite3_value   **argv)
{
  MotcuaDigest *sum = sqlite3_aggregate_context (context, sizeof *sum);
  MotcuaDigest x;

  if (sum != NULL && value_digest (argv[0], &x))
    _motcua_digest_add (sum, &x);
}

static void
digest_sum_final (sqlite3_context *context)
{
  MotcuaDigest *sum = sqlite3_aggregate_context (context, 0);

  if (sum != NULL)
    result_digest (context, sum);
  else
    sqlite3_result_null (context);
}

/* The triggers */

/* The hash of the row @alias (NEW, OLD, or the table's name) of @table, as SQL. */
static void
append_row_hash (GString               *sql,
                 const MotcuaTableDesc *table,
                 const char            *alias)
{
  g_autofree char *prefix = g_strconcat (alias, ".", NULL);

  g_string_append_printf (sql, "motcua_row_hash (%d", table->id);
  append_stored (sql, table, prefix);
  g_string_append (sql, ")");
}

#define UPSERT_CASE \
  " ON CONFLICT (case_id) DO UPDATE SET sum = motcua_digest_add (sum, excluded.sum);"
#define UPSERT_BUCKET \
  " ON CONFLICT (receiver, handler) DO UPDATE SET sum = motcua_digest_add (sum, excluded.sum);"
/* The bucket of the case row c. */
#define BUCKET_OF_CASE(c) \
  "coalesce (" MOTCUA_STORE_CASE_RECEIVER (c) ", x''), coalesce (" c ".handling_office_id, x'')"
#define CASE_TOTAL(id) "(SELECT sum FROM digest_cases WHERE case_id = " id ")"

/* Statements adding (@add) or taking away the row @alias (NEW or OLD) of @table, one of a
 * case's rows (its timeline, scans, conflicts) or of the rows every scope holds. The row's
 * hash is read from the table: after the row is written when it is added, before it changes
 * when it is taken away. */
static void
append_row_change (GString               *sql,
                   const MotcuaTableDesc *table,
                   const char            *alias,
                   gboolean               add)
{
  g_autofree char *hash = add ? g_strdup_printf ("motcua_row_hash_at (%d, NEW.rid)", table->id)
                              : g_strdup_printf ("motcua_digest_sub (NULL,"
                                                 " motcua_row_hash_at (%d, OLD.rid))",
                                                 table->id);
  /* The hash the statement before computed, when it did (it had a case). */
  const char *again = add ? "motcua_row_hash_again ()"
                          : "motcua_digest_sub (NULL, motcua_row_hash_again ())";

  if (_motcua_table_column (table, "case_id") < 0)
    {
      g_string_append_printf (sql, "INSERT INTO digest_sums (receiver, handler, sum)"
                              " VALUES (" EVERYONE_SQL ", " EVERYONE_SQL ", %s)" UPSERT_BUCKET,
                              hash);
      return;
    }

  g_string_append_printf (sql, "INSERT INTO digest_cases (case_id, sum) SELECT %s.case_id, %s"
                          " WHERE %s.case_id IS NOT NULL" UPSERT_CASE, alias, hash, alias);
  g_string_append_printf (sql, "INSERT INTO digest_sums (receiver, handler, sum)"
                          " SELECT " BUCKET_OF_CASE ("c") ", %s FROM cases c"
                          " WHERE c.id = %s.case_id" UPSERT_BUCKET, again, alias);
  /* A conflict about no case is in every scope. */
  if (table->id == MOTCUA_TABLE_CONFLICTS)
    g_string_append_printf (sql, "INSERT INTO digest_sums (receiver, handler, sum)"
                            " SELECT " EVERYONE_SQL ", " EVERYONE_SQL ", %s"
                            " WHERE %s.case_id IS NULL" UPSERT_BUCKET, hash, alias);
  if (!add)
    g_string_append_printf (sql, "DELETE FROM digest_cases WHERE case_id = OLD.case_id"
                            " AND sum = zeroblob (%d);", DIGEST_BYTES);
}

/* A case moves its whole sum (its timeline's, scans' and conflicts' with its own) between
 * buckets: taken from the old one before it changes, added to the new one after. */
#define CASE_TAKE_OLD \
  "INSERT INTO digest_sums (receiver, handler, sum) VALUES (" BUCKET_OF_CASE ("OLD") "," \
  " motcua_digest_sub (NULL, " CASE_TOTAL ("OLD.id") "))" UPSERT_BUCKET \
  "INSERT INTO digest_cases (case_id, sum) VALUES (OLD.id," \
  " motcua_digest_sub (NULL, motcua_row_hash_at (4, OLD.rid)))" UPSERT_CASE
#define CASE_ADD_NEW \
  "INSERT INTO digest_cases (case_id, sum) VALUES (NEW.id, motcua_row_hash_at (4, NEW.rid))" \
  UPSERT_CASE \
  "INSERT INTO digest_sums (receiver, handler, sum) VALUES (" BUCKET_OF_CASE ("NEW") ", " \
  CASE_TOTAL ("NEW.id") ")" UPSERT_BUCKET

G_STATIC_ASSERT (MOTCUA_TABLE_CASES == 4);

static char *
triggers_sql (void)
{
  GString *sql = g_string_new (NULL);

  for (guint t = 0; t < _motcua_n_tables; t++)
    {
      const MotcuaTableDesc *table = _motcua_tables[t];
      g_autoptr(GString) columns = g_string_new (NULL);
      g_autoptr(GString) add = g_string_new (NULL);
      g_autoptr(GString) take = g_string_new (NULL);

      append_stored (columns, table, "");
      g_string_erase (columns, 0, 2);   /* the first ", " */

      if (table->id == MOTCUA_TABLE_CASES)
        {
          g_string_append (add, CASE_ADD_NEW);
          g_string_append (take, CASE_TAKE_OLD
                           "DELETE FROM digest_cases WHERE case_id = OLD.id"
                           " AND sum = zeroblob (" G_STRINGIFY (DIGEST_BYTES) ");");
        }
      else
        {
          append_row_change (add, table, "NEW", TRUE);
          append_row_change (take, table, "OLD", FALSE);
        }

      g_string_append_printf (sql,
                              "CREATE TEMP TRIGGER digest_%1$s_insert AFTER INSERT ON %1$s"
                              " BEGIN %2$s END;"
                              "CREATE TEMP TRIGGER digest_%1$s_before BEFORE UPDATE OF %3$s"
                              " ON %1$s BEGIN %4$s END;"
                              "CREATE TEMP TRIGGER digest_%1$s_after AFTER UPDATE OF %3$s"
                              " ON %1$s BEGIN %2$s END;"
                              "CREATE TEMP TRIGGER digest_%1$s_delete BEFORE DELETE ON %1$s"
                              " BEGIN %4$s END;",
                              table->name, add->str, columns->str, take->str);
    }

  return g_string_free (sql, FALSE);
}

gboolean
_motcua_store_digest_install (MotcuaReplica  *self,
                              GError        **error)
{
  static const char *const tables_sql =
    "SELECT count(*) FROM sqlite_master WHERE name = 'digest_sums'";
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean present;

  Functions *functions = g_new0 (Functions, 1);

  functions->self = self;
  /* The connection frees @functions when it closes (with motcua_row_hash, the first one). */
  if (sqlite3_create_function_v2 (self->db, "motcua_row_hash", -1, SQLITE_UTF8, functions,
                                  row_hash_func, NULL, NULL, g_free) != SQLITE_OK
      || sqlite3_create_function (self->db, "motcua_row_hash_at", 2, SQLITE_UTF8, functions,
                                  row_hash_at_func, NULL, NULL) != SQLITE_OK
      || sqlite3_create_function (self->db, "motcua_row_hash_again", 0, SQLITE_UTF8, functions,
                                  row_hash_again_func, NULL, NULL) != SQLITE_OK
      || sqlite3_create_function (self->db, "motcua_digest_add", 2,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                  digest_add_func, NULL, NULL) != SQLITE_OK
      /* The same function, told to subtract by its user data. */
      || sqlite3_create_function (self->db, "motcua_digest_sub", 2,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC, (void *) "-",
                                  digest_add_func, NULL, NULL) != SQLITE_OK
      || sqlite3_create_function (self->db, "motcua_digest_sum", 1,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                  NULL, digest_sum_step, digest_sum_final) != SQLITE_OK)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }

  /* A replica made at an older schema (tests make them) has no sums to keep. */
  stmt = _motcua_replica_prepare (self, tables_sql, error);
  if (stmt == NULL)
    return FALSE;
  present = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) > 0;
  sqlite3_reset (stmt);
  if (!present)
    return TRUE;

  sql = triggers_sql ();
  if (!_motcua_replica_exec (self, sql, error))
    return FALSE;

  if (_motcua_replica_meta_get_int (self, "digest_counted", 0) != 0)
    return TRUE;

  return _motcua_store_digest_rebuild (self, error);
}

static char *
rebuild_sql (void)
{
  static const MotcuaTableId of_cases[] = {
    MOTCUA_TABLE_CASES, MOTCUA_TABLE_CASE_EVENTS, MOTCUA_TABLE_ATTACHMENTS,
    MOTCUA_TABLE_CONFLICTS,
  };
  static const MotcuaTableId everyone[] = {
    MOTCUA_TABLE_OFFICES, MOTCUA_TABLE_PROCEDURES, MOTCUA_TABLE_CALENDAR,
    MOTCUA_TABLE_CONFLICTS,
  };
  GString *sql = g_string_new ("DELETE FROM digest_sums; DELETE FROM digest_cases;"
                               "INSERT INTO digest_cases (case_id, sum)"
                               " SELECT k, motcua_digest_sum (h) FROM (");

  for (guint t = 0; t < G_N_ELEMENTS (of_cases); t++)
    {
      const MotcuaTableDesc *table = _motcua_table_lookup (of_cases[t]);

      g_string_append_printf (sql, "%sSELECT %s AS k, ", t > 0 ? " UNION ALL " : "",
                              table->id == MOTCUA_TABLE_CASES ? "id" : "case_id");
      append_row_hash (sql, table, table->name);
      g_string_append_printf (sql, " AS h FROM %s WHERE %s IS NOT NULL", table->name,
                              table->id == MOTCUA_TABLE_CASES ? "id" : "case_id");
    }
  g_string_append (sql, ") GROUP BY k;"
                   "INSERT INTO digest_sums (receiver, handler, sum)"
                   " SELECT " BUCKET_OF_CASE ("c") ", motcua_digest_sum (d.sum)"
                   " FROM cases c JOIN digest_cases d ON d.case_id = c.id GROUP BY 1, 2;"
                   "INSERT INTO digest_sums (receiver, handler, sum)"
                   " SELECT " EVERYONE_SQL ", " EVERYONE_SQL ", motcua_digest_sum (h) FROM (");
  for (guint t = 0; t < G_N_ELEMENTS (everyone); t++)
    {
      const MotcuaTableDesc *table = _motcua_table_lookup (everyone[t]);

      g_string_append (sql, t > 0 ? " UNION ALL SELECT " : "SELECT ");
      append_row_hash (sql, table, table->name);
      g_string_append_printf (sql, " AS h FROM %s%s", table->name,
                              table->id == MOTCUA_TABLE_CONFLICTS ? " WHERE case_id IS NULL"
                                                                  : "");
    }
  g_string_append (sql, ");");

  return g_string_free (sql, FALSE);
}

gboolean
_motcua_store_digest_rebuild (MotcuaReplica  *self,
                              GError        **error)
{
  g_autofree char *sql = rebuild_sql ();

  if (!motcua_replica_begin (self, error))
    return FALSE;
  if (!_motcua_replica_exec (self, sql, error)
      || !_motcua_replica_meta_set_int (self, "digest_counted", 1, error))
    {
      motcua_replica_rollback (self);
      return FALSE;
    }

  return motcua_replica_commit (self, error);
}

/* Reading the sums */

static gboolean
walk_buckets (MotcuaReplica           *self,
              sqlite3_stmt            *stmt,
              MotcuaDigestBucketFunc   each,
              gpointer                 user_data,
              GError                 **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaDigestBucket bucket = { NULL, NULL, FALSE, { { 0, 0 } } };

      bucket.everyone = sqlite3_column_bytes (stmt, 0) == 1;
      if (sqlite3_column_bytes (stmt, 0) == 16)
        bucket.receiver = sqlite3_column_blob (stmt, 0);
      if (sqlite3_column_bytes (stmt, 1) == 16)
        bucket.handler = sqlite3_column_blob (stmt, 1);
      value_digest (sqlite3_column_value (stmt, 2), &bucket.sum);
      if (!each (&bucket, user_data, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
_motcua_store_digest_foreach_bucket (MotcuaReplica          *self,
                                     MotcuaDigestBucketFunc  each,
                                     gpointer                user_data,
                                     GError                **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT receiver, handler, sum"
                                                " FROM digest_sums", error);

  return stmt != NULL && walk_buckets (self, stmt, each, user_data, error);
}

gboolean
_motcua_store_digest_foreach_left_out (MotcuaReplica          *self,
                                       MotcuaDigestBucketFunc  each,
                                       gpointer                user_data,
                                       GError                **error)
{
  static char *sql;
  sqlite3_stmt *stmt;

  if (g_once_init_enter (&sql))
    {
      GString *text = g_string_new ("WITH left_out (id) AS (SELECT gone FROM rejected"
                                    " WHERE gone IS NOT NULL UNION SELECT wait FROM rejected"
                                    " WHERE wait IS NOT NULL)"
                                    /* CROSS JOIN: from the few left out, not a walk of
                                     * the cases. */
                                    " SELECT " BUCKET_OF_CASE ("c") ", d.sum FROM left_out l"
                                    " CROSS JOIN cases c ON c.id = l.id"
                                    " CROSS JOIN digest_cases d ON d.case_id = c.id");
      static const MotcuaTableId refused[] = {
        MOTCUA_TABLE_CASE_EVENTS, MOTCUA_TABLE_ATTACHMENTS,
      };

      for (guint t = 0; t < G_N_ELEMENTS (refused); t++)
        {
          const MotcuaTableDesc *table = _motcua_table_lookup (refused[t]);

          g_string_append (text, " UNION ALL SELECT " BUCKET_OF_CASE ("c") ", ");
          append_row_hash (text, table, "r");
          /* From the refusals (usually none), through the log's record holding each (a
           * record holds at most 64 changes), to the row it made. */
          g_string_append_printf (text, " FROM rejected x CROSS JOIN changes ch"
                                  " ON ch.origin = ?1 AND ch.seq > x.seq - 64"
                                  " AND ch.seq <= x.seq AND x.seq < ch.seq + ch.n"
                                  " AND ch.tbl = %d"
                                  " CROSS JOIN %s r ON r.id = ch.row_id AND r._seq = x.seq"
                                  " CROSS JOIN cases c ON c.id = r.case_id"
                                  " WHERE c.id NOT IN left_out", table->id, table->name);
        }
      g_once_init_leave (&sql, g_string_free (text, FALSE));
    }

  stmt = _motcua_replica_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->self_origin);

  return walk_buckets (self, stmt, each, user_data, error);
}
