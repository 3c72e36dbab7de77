/* motcua-pg-schema.c: the PostgreSQL store's schema and its versions
 *
 * Each version is one step of SQL, run in order in the transaction that records it in
 * motcua_schema; a step is never changed once released, a new one is added.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "motcua-error.h"
#include "motcua-pg-private.h"

/* pg_advisory_xact_lock's key for migrations: 'MCUA', as the SQLite files' application_id. */
#define MIGRATE_LOCK "1296254273"

static const char *const steps[] = {
  /* 1: the provinces that share the cluster. A province's row is the one lock its global log is
   * appended under: the transaction that appends takes it by moving the head, last_gseq
   * (motcua-pg-log.c), so the log's order has no gaps in commit order. It keeps the province's
   * clock too, so no process keeps it in memory (DESIGN.md, The provincial server). */
  "CREATE TABLE provinces ("
  "  code text PRIMARY KEY CHECK (code <> ''),"
  "  name text NOT NULL,"
  "  last_gseq bigint NOT NULL DEFAULT 0 CHECK (last_gseq >= 0),"
  "  hlc bigint NOT NULL DEFAULT 0 CHECK (hlc >= 0));",

  /* 2: the global log, one entry per row write (a change's columns travel and are stored
   * together, as a replica's own log keeps them): the origin's sequence numbers seq … seq + n - 1,
   * the row's table and id, the case it is about and the offices that put it in a replica's
   * scope, and the write as the wire writes it. Partitioned by province, a partition made with
   * the province (motcua_add_province), so provinces sharing a cluster never share an index. */
  "CREATE TABLE hub_log ("
  "  province text NOT NULL REFERENCES provinces (code),"
  "  gseq bigint NOT NULL CHECK (gseq > 0),"
  "  origin uuid NOT NULL,"
  "  seq bigint NOT NULL,"
  "  n integer NOT NULL CHECK (n > 0),"
  "  hlc bigint NOT NULL,"
  "  tbl smallint NOT NULL,"
  "  row_id uuid NOT NULL,"
  "  kind smallint NOT NULL DEFAULT 0,"
  "  case_id uuid,"
  "  offices uuid[] NOT NULL DEFAULT '{}',"
  "  entry text NOT NULL,"
  "  PRIMARY KEY (province, gseq),"
  "  UNIQUE (province, origin, seq))"
  " PARTITION BY LIST (province);"
  "CREATE FUNCTION motcua_add_province (p_code text, p_name text) RETURNS void"
  " LANGUAGE plpgsql AS $$"
  " BEGIN"
  "   INSERT INTO provinces (code, name) VALUES (p_code, p_name) ON CONFLICT (code) DO NOTHING;"
  "   EXECUTE format ('CREATE TABLE IF NOT EXISTS %I PARTITION OF hub_log FOR VALUES IN (%L)',"
  "                   'hub_log_' || lower (p_code), p_code);"
  " END $$;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (steps) == MOTCUA_PG_SCHEMA_VERSION);

gboolean
_motcua_pg_schema_version (MotcuaPg  *pg,
                           int       *version,
                           GError   **error)
{
  gint64 exists, value;

  if (!_motcua_pg_query_int (pg, "SELECT (to_regclass ('motcua_schema') IS NOT NULL)::int", 0,
                             &exists, error))
    return FALSE;
  if (!exists)
    {
      *version = 0;
      return TRUE;
    }
  if (!_motcua_pg_query_int (pg, "SELECT max (version) FROM motcua_schema", 0, &value, error))
    return FALSE;
  *version = (int) value;

  return TRUE;
}

static gboolean
migrate_in_transaction (MotcuaPg  *pg,
                        int       *from,
                        GError   **error)
{
  if (!_motcua_pg_exec (pg, "SELECT pg_advisory_xact_lock (" MIGRATE_LOCK ")", error)
      || !_motcua_pg_exec (pg, "CREATE TABLE IF NOT EXISTS motcua_schema ("
                               "  version integer PRIMARY KEY,"
                               "  applied_at timestamptz NOT NULL DEFAULT now ())", error)
      || !_motcua_pg_schema_version (pg, from, error))
    return FALSE;

  if (*from > MOTCUA_PG_SCHEMA_VERSION)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_SCHEMA_TOO_NEW,
                   _("The PostgreSQL store is at schema version %d, newer than this "
                     "motcua-server knows (%d): update motcua-server"),
                   *from, MOTCUA_PG_SCHEMA_VERSION);
      return FALSE;
    }

  for (int v = *from + 1; v <= MOTCUA_PG_SCHEMA_VERSION; v++)
    {
      g_autofree char *record = g_strdup_printf ("INSERT INTO motcua_schema (version)"
                                                 " VALUES (%d)", v);

      if (!_motcua_pg_exec (pg, steps[v - 1], error) || !_motcua_pg_exec (pg, record, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
_motcua_pg_migrate (MotcuaPg  *pg,
                    int       *from,
                    GError   **error)
{
  if (!_motcua_pg_exec (pg, "BEGIN", error))
    return FALSE;
  if (!migrate_in_transaction (pg, from, error))
    {
      /* Nothing half-done: the whole migration or none of it. */
      _motcua_pg_exec (pg, "ROLLBACK", NULL);
      return FALSE;
    }

  return _motcua_pg_exec (pg, "COMMIT", error);
}
