/* motcua-pg.c: a connection to the hub's PostgreSQL store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpq-fe.h>

#include "motcua-error.h"
#include "motcua-pg-private.h"

struct _MotcuaPg
{
  PGconn *conn;
};

gboolean
_motcua_pg_is_uri (const char *store)
{
  return store != NULL
         && (g_str_has_prefix (store, "postgresql://") || g_str_has_prefix (store, "postgres://"));
}

/* libpq's message, one line, without its trailing newline. */
static char *
server_message (const char *message)
{
  char *text = g_strstrip (g_strdup (message != NULL ? message : ""));

  g_strdelimit (text, "\n", ' ');

  return text;
}

static void
ignore_notice (void       *data,
               const char *message)
{
}

MotcuaPg *
_motcua_pg_connect (const char  *uri,
                    GError     **error)
{
  g_autoptr(MotcuaPg) pg = g_new0 (MotcuaPg, 1);
  char *problem = NULL;
  PQconninfoOption *options;

  if (!_motcua_pg_is_uri (uri))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("A PostgreSQL store is named by a URI that starts with postgresql://"));
      return NULL;
    }
  options = PQconninfoParse (uri, &problem);
  if (options == NULL)
    {
      g_autofree char *message = server_message (problem);

      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("The PostgreSQL store's URI is not valid: %s"), message);
      PQfreemem (problem);
      return NULL;
    }
  PQconninfoFree (options);

  pg->conn = PQconnectdb (uri);
  if (pg->conn == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE,
                   _("Cannot connect to the PostgreSQL store: out of memory"));
      return NULL;
    }
  if (PQstatus (pg->conn) != CONNECTION_OK)
    {
      g_autofree char *message = server_message (PQerrorMessage (pg->conn));

      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE,
                   _("Cannot connect to the PostgreSQL store: %s"), message);
      return NULL;
    }
  /* Notices (a table that exists already…) are the store's business, not the terminal's. */
  PQsetNoticeProcessor (pg->conn, ignore_notice, NULL);

  return g_steal_pointer (&pg);
}

void
_motcua_pg_close (MotcuaPg *pg)
{
  if (pg == NULL)
    return;
  if (pg->conn != NULL)
    PQfinish (pg->conn);
  g_free (pg);
}

PGresult *
_motcua_pg_run (MotcuaPg           *pg,
                const char         *sql,
                const char *const  *params,
                int                 n_params,
                GError            **error)
{
  PGresult *result = n_params > 0 ? PQexecParams (pg->conn, sql, n_params, NULL,
                                                  (const char *const *) params, NULL, NULL, 0)
                                  : PQexec (pg->conn, sql);
  ExecStatusType status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      g_autofree char *message = server_message (result != NULL
                                                 ? PQresultErrorMessage (result)
                                                 : PQerrorMessage (pg->conn));

      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE, _("PostgreSQL store: %s"),
                   message);
      PQclear (result);
      return NULL;
    }

  return result;
}

gboolean
_motcua_pg_exec (MotcuaPg    *pg,
                 const char  *sql,
                 GError     **error)
{
  PGresult *result = _motcua_pg_run (pg, sql, NULL, 0, error);

  if (result == NULL)
    return FALSE;
  PQclear (result);

  return TRUE;
}

gboolean
_motcua_pg_query_params_int (MotcuaPg           *pg,
                             const char         *sql,
                             const char *const  *params,
                             int                 n_params,
                             gboolean           *found,
                             gint64             *value,
                             GError            **error)
{
  PGresult *result = _motcua_pg_run (pg, sql, params, n_params, error);

  if (result == NULL)
    return FALSE;
  *found = PQntuples (result) > 0 && PQnfields (result) > 0 && !PQgetisnull (result, 0, 0);
  if (*found)
    *value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);

  return TRUE;
}

gboolean
_motcua_pg_query_int (MotcuaPg    *pg,
                      const char  *sql,
                      gint64       fallback,
                      gint64      *value,
                      GError     **error)
{
  gboolean found;

  if (!_motcua_pg_query_params_int (pg, sql, NULL, 0, &found, value, error))
    return FALSE;
  if (!found)
    *value = fallback;

  return TRUE;
}
