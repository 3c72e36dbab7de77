/* test-pg-store.c: the provincial server's PostgreSQL store, on a throwaway cluster
 *
 * One cluster for the suite (motcua-test-pg.c), a new database for each test. What exists of
 * the PostgreSQL store so far is its schema with its versions (motcua-pg-schema.c) and
 * `motcua-server migrate`; the server serves from SQLite only, and says so when it is given a
 * PostgreSQL store.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua.h"
#include "motcua-test-pg.h"
#include "motcua-test-server.h"
#include "motcua-test-utils.h"

static MotcuaTestPg *cluster;

/* How many versions the store's history records, and when the last was applied (µs). */
#define VERSIONS "SELECT count(*) FROM motcua_schema"
#define APPLIED_AT "SELECT extract (epoch FROM max (applied_at)) * 1000000 FROM motcua_schema"

/* A new database is migrated from nothing to this build's version, its history recording each
 * version once; the provinces' table is there. */
static void
test_migrate_fresh (void)
{
  g_autofree char *uri = motcua_test_pg_new_database (cluster);
  g_autoptr(GError) error = NULL;
  int from = -1, to = -1;

  g_assert_true (motcua_hub_migrate_postgresql (uri, &from, &to, &error));
  g_assert_no_error (error);
  g_assert_cmpint (from, ==, 0);
  g_assert_cmpint (to, >=, 1);
  g_assert_cmpint (motcua_test_pg_query_int (uri, VERSIONS), ==, to);
  g_assert_cmpint (motcua_test_pg_query_int (uri, "SELECT max(version) FROM motcua_schema"),
                   ==, to);
  g_assert_cmpint (motcua_test_pg_query_int (uri, "SELECT (to_regclass ('provinces')"
                                                  " IS NOT NULL)::int"), ==, 1);
}

/* Migrating a store that is up to date changes nothing. */
static void
test_migrate_again (void)
{
  g_autofree char *uri = motcua_test_pg_new_database (cluster);
  g_autoptr(GError) error = NULL;
  gint64 applied;
  int from, to;

  g_assert_true (motcua_hub_migrate_postgresql (uri, &from, &to, &error));
  applied = motcua_test_pg_query_int (uri, APPLIED_AT);
  g_assert_true (motcua_hub_migrate_postgresql (uri, &from, &to, &error));
  g_assert_no_error (error);
  g_assert_cmpint (from, ==, to);
  g_assert_cmpint (motcua_test_pg_query_int (uri, VERSIONS), ==, to);
  g_assert_cmpint (motcua_test_pg_query_int (uri, APPLIED_AT), ==, applied);
}

/* A store a newer build migrated is refused, by version, and left as it was. */
static void
test_migrate_newer (void)
{
  g_autofree char *uri = motcua_test_pg_new_database (cluster);
  g_autoptr(GError) error = NULL;
  int from, to;

  g_assert_true (motcua_hub_migrate_postgresql (uri, &from, &to, &error));
  motcua_test_pg_exec (uri, "INSERT INTO motcua_schema (version) VALUES (99)");
  g_assert_false (motcua_hub_migrate_postgresql (uri, &from, &to, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_SCHEMA_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "99"));
  g_assert_nonnull (strstr (error->message, "update motcua-server"));
  g_assert_cmpint (motcua_test_pg_query_int (uri, VERSIONS), ==, to + 1);
}

typedef struct
{
  const char *uri;
  int         from;
  gboolean    ok;
} Migration;

static gpointer
migrate_thread (gpointer data)
{
  Migration *m = data;
  g_autoptr(GError) error = NULL;
  int to;

  m->ok = motcua_hub_migrate_postgresql (m->uri, &m->from, &to, &error);
  if (error != NULL)
    g_test_message ("%s", error->message);

  return NULL;
}

/* Several processes starting at once migrate one store once: one of them does the work, the
 * others wait for it and find it done. */
static void
test_migrate_concurrent (void)
{
  g_autofree char *uri = motcua_test_pg_new_database (cluster);
  Migration migrations[4];
  GThread *threads[G_N_ELEMENTS (migrations)];
  guint from_nothing = 0;

  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      migrations[i] = (Migration) { uri, -1, FALSE };
      threads[i] = g_thread_new ("migrate", migrate_thread, &migrations[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (migrations[i].ok);
      from_nothing += migrations[i].from == 0;
    }
  g_assert_cmpuint (from_nothing, ==, 1);
  g_assert_cmpint (motcua_test_pg_query_int (uri, VERSIONS), ==,
                   motcua_test_pg_query_int (uri, "SELECT max(version) FROM motcua_schema"));
}

/* A store that cannot be reached, and a URI that is not one, are named as such; a password in
 * the URI is never repeated. */
static void
test_connect_errors (void)
{
  g_autoptr(GError) error = NULL;
  int from, to;

  g_assert_false (motcua_hub_migrate_postgresql ("postgresql://motcua:s3cr3t@/x"
                                                 "?host=/nonexistent-motcua", &from, &to,
                                                 &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE);
  g_assert_true (g_str_has_prefix (error->message, "Cannot connect to the PostgreSQL store: "));
  g_assert_null (strstr (error->message, "s3cr3t"));
  g_clear_error (&error);

  g_assert_false (motcua_hub_migrate_postgresql ("postgresql://host/db?nonsense=1", &from, &to,
                                                 &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nonsense"));
  g_clear_error (&error);

  g_assert_false (motcua_hub_migrate_postgresql ("/var/lib/motcua/province.db", &from, &to,
                                                 &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
}

/* `motcua-server migrate` as an administrator runs it; the other commands refuse a PostgreSQL
 * store plainly, and write nothing. */
static void
test_server_migrate (void)
{
  g_autofree char *uri = motcua_test_pg_new_database (cluster);
  g_autofree char *dir = g_dir_make_tmp ("test-pg-XXXXXX", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const char *server = g_getenv ("MOTCUA_SERVER");
  const char *const migrate[] = { server, "--store", uri, "migrate", NULL };
  const char *const json[] = { server, "--store", uri, "--json", "migrate", NULL };
  const char *const list[] = { server, "--store", uri, "offices", "list", NULL };
  const char *const bad[] = { server, "--store", "postgresql://x/y?nonsense=1", "migrate", NULL };
  g_autoptr(MotcuaTestRun) first = NULL;
  g_autoptr(MotcuaTestRun) second = NULL;
  g_autoptr(MotcuaTestRun) as_json = NULL;
  g_autoptr(MotcuaTestRun) refused = NULL;
  g_autoptr(MotcuaTestRun) invalid = NULL;
  g_autoptr(GDir) left = NULL;

  g_assert_nonnull (server);
  launcher = motcua_test_launcher_new (dir, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                            | G_SUBPROCESS_FLAGS_STDERR_PIPE, "C.UTF-8");
  first = motcua_test_run (launcher, migrate);
  g_assert_cmpint (first->status, ==, 0);
  g_assert_nonnull (strstr (first->out, "went from version 0 to"));
  second = motcua_test_run (launcher, migrate);
  g_assert_cmpint (second->status, ==, 0);
  g_assert_nonnull (strstr (second->out, "already"));
  as_json = motcua_test_run (launcher, json);
  g_assert_cmpint (as_json->status, ==, 0);
  g_assert_nonnull (strstr (as_json->out, "\"backend\" : \"postgresql\""));

  refused = motcua_test_run (launcher, list);
  g_assert_cmpint (refused->status, ==, 2 /* usage */);
  g_assert_nonnull (strstr (refused->err, "cannot serve from a PostgreSQL store yet"));
  invalid = motcua_test_run (launcher, bad);
  g_assert_cmpint (invalid->status, ==, 2 /* usage */);
  g_assert_nonnull (strstr (invalid->err, "not valid"));

  /* Nothing was written beside it: no SQLite file named after the URI. */
  left = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (left));
  motcua_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pg/migrate/fresh", test_migrate_fresh);
  g_test_add_func ("/pg/migrate/again", test_migrate_again);
  g_test_add_func ("/pg/migrate/newer", test_migrate_newer);
  g_test_add_func ("/pg/migrate/concurrent", test_migrate_concurrent);
  g_test_add_func ("/pg/connect/errors", test_connect_errors);
  g_test_add_func ("/pg/server/migrate", test_server_migrate);

  cluster = motcua_test_pg_start ();
  status = g_test_run ();
  motcua_test_pg_stop (cluster);

  return status;
}
