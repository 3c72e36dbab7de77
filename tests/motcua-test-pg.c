/* motcua-test-pg.c: a throwaway PostgreSQL cluster for the tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "motcua-test-pg.h"
#include "motcua-test-utils.h"

struct _MotcuaTestPg
{
  char  *dir;        /* data/, the socket, log */
  guint  databases;  /* made so far, for their names */
  GPid   watchdog;
};

/* The command line of one of PostgreSQL's programs (@argv[0] in its bindir), as the postgres
 * user when the test runs as root; NULL-terminated. */
static GPtrArray *
pg_command (const char *const *argv)
{
  GPtrArray *full = g_ptr_array_new_with_free_func (g_free);

  if (geteuid () == 0)
    {
      g_ptr_array_add (full, g_strdup ("runuser"));
      g_ptr_array_add (full, g_strdup ("-u"));
      g_ptr_array_add (full, g_strdup ("postgres"));
      g_ptr_array_add (full, g_strdup ("--"));
    }
  g_ptr_array_add (full, g_build_filename (MOTCUA_PG_BINDIR, argv[0], NULL));
  for (guint i = 1; argv[i] != NULL; i++)
    g_ptr_array_add (full, g_strdup (argv[i]));
  g_ptr_array_add (full, NULL);

  return full;
}

/* Runs one of PostgreSQL's programs to its end. Its output, for a failure's message. */
static gboolean
run_pg_program (const char *const  *argv,
                char              **output)
{
  g_autoptr(GPtrArray) full = pg_command (argv);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) full->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                     &err, &status, &error))
    {
      *output = g_strdup (error->message);
      return FALSE;
    }
  *output = g_strconcat (out, err, NULL);

  return g_spawn_check_wait_status (status, NULL);
}

/* The cluster runs apart from the test (pg_ctl detaches it), so a failed assertion, which
 * aborts the test, would leave it running: a watchdog waits for the test to go, then stops the
 * cluster and removes its directory. */
static GPid
start_watchdog (MotcuaTestPg *pg,
                const char   *data)
{
  static const char script[] =
    "pid=$1 dir=$2; shift 2\n"
    "while kill -0 \"$pid\" 2>/dev/null; do sleep 1; done\n"
    "\"$@\"; rm -rf \"$dir\"\n";
  const char *const stop[] = { "pg_ctl", "--pgdata", data, "--mode", "immediate", "--wait",
                               "--silent", "stop", NULL };
  g_autoptr(GPtrArray) command = pg_command (stop);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GPid watchdog;

  g_ptr_array_add (argv, g_strdup ("sh"));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup (script));
  g_ptr_array_add (argv, g_strdup ("sh"));
  g_ptr_array_add (argv, g_strdup_printf ("%d", (int) getpid ()));
  g_ptr_array_add (argv, g_strdup (pg->dir));
  for (guint i = 0; command->pdata[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (command->pdata[i]));
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_async (NULL, (char **) argv->pdata, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD
                                | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &watchdog, &error));
  g_assert_no_error (error);

  return watchdog;
}

MotcuaTestPg *
motcua_test_pg_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *log = NULL;
  g_autofree char *options = NULL;
  g_autofree char *output = NULL;
  MotcuaTestPg *pg = g_new0 (MotcuaTestPg, 1);

  pg->dir = g_dir_make_tmp ("motcua-pg-XXXXXX", &error);
  g_assert_no_error (error);
  if (geteuid () == 0)
    {
      struct passwd *postgres = getpwnam ("postgres");

      g_assert_nonnull (postgres);
      g_assert_cmpint (chown (pg->dir, postgres->pw_uid, postgres->pw_gid), ==, 0);
    }
  data = g_build_filename (pg->dir, "data", NULL);
  log = g_build_filename (pg->dir, "log", NULL);

  {
    const char *const initdb[] = { "initdb", "--pgdata", data, "--username", "motcua",
                                   "--auth", "trust", "--encoding", "UTF8",
                                   "--locale", "C.UTF-8", "--no-sync", NULL };

    if (!run_pg_program (initdb, &output))
      g_error ("initdb failed: %s", output);
    g_clear_pointer (&output, g_free);
  }

  /* No TCP at all: the socket in the cluster's own directory. */
  options = g_strdup_printf ("-c listen_addresses='' -k %s", pg->dir);
  {
    const char *const start[] = { "pg_ctl", "--pgdata", data, "--log", log, "--wait",
                                  "--silent", "-o", options, "start", NULL };

    if (!run_pg_program (start, &output))
      {
        g_autofree char *server_log = NULL;

        g_file_get_contents (log, &server_log, NULL, NULL);
        g_error ("pg_ctl start failed: %s\n%s", output, server_log ? server_log : "");
      }
  }
  pg->watchdog = start_watchdog (pg, data);

  return pg;
}

void
motcua_test_pg_stop (MotcuaTestPg *pg)
{
  g_autofree char *data = NULL;
  g_autofree char *output = NULL;

  if (pg == NULL)
    return;
  kill (pg->watchdog, SIGKILL);
  waitpid (pg->watchdog, NULL, 0);
  g_spawn_close_pid (pg->watchdog);
  data = g_build_filename (pg->dir, "data", NULL);
  {
    const char *const stop[] = { "pg_ctl", "--pgdata", data, "--mode", "immediate", "--wait",
                                 "--silent", "stop", NULL };

    if (!run_pg_program (stop, &output))
      g_test_message ("pg_ctl stop: %s", output);
  }
  motcua_test_rm_rf (pg->dir);
  g_free (pg->dir);
  g_free (pg);
}

/* @sql's result on the database @uri, which must have the status @expected. */
static PGresult *
query (const char     *uri,
       const char     *sql,
       ExecStatusType  expected)
{
  PGconn *conn = PQconnectdb (uri);
  PGresult *result;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, sql);
  g_assert_cmpint (PQresultStatus (result), ==, expected);
  PQfinish (conn);

  return result;
}

void
motcua_test_pg_exec (const char *uri,
                     const char *sql)
{
  PQclear (query (uri, sql, PGRES_COMMAND_OK));
}

gint64
motcua_test_pg_query_int (const char *uri,
                          const char *sql)
{
  PGresult *result = query (uri, sql, PGRES_TUPLES_OK);
  gint64 value;

  g_assert_cmpint (PQntuples (result), ==, 1);
  value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);

  return value;
}

char *
motcua_test_pg_new_database (MotcuaTestPg *pg)
{
  g_autofree char *admin = g_strdup_printf ("postgresql:///postgres?host=%s&user=motcua",
                                            pg->dir);
  g_autofree char *name = g_strdup_printf ("test%u", ++pg->databases);
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);

  motcua_test_pg_exec (admin, sql);

  return g_strdup_printf ("postgresql:///%s?host=%s&user=motcua", name, pg->dir);
}
