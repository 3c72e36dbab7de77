/* test-migrations.c: replicas made by older and newer builds
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "motcua-replica-private.h"
#include "motcua-test-utils.h"

static int
schema_version_of (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return version;
}

static void
set_user_version (const char *path,
                  int         version)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A replica written at schema version 1 (before search existed) opens in this build: it is
 * migrated, and what it held is searchable. */
/* A replica written at schema version 1 (before search existed) opens in this build: it is
 * migrated, and what it held is searchable. The old build's rows are written as it wrote them,
 * with plain SQL. */
static void
test_forward (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("motcua-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(MotcuaProcedure) procedure = NULL;
  MotcuaReplica *old, *opened;
  sqlite3 *db = NULL;

  old = _motcua_replica_create_at_version (path, "T", MOTCUA_LEVEL_PROVINCE, 1, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (old);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO procedures (id, code, name, sector, levels,"
                                 " processing_days, fee, online, documents, legal_basis)"
                                 " VALUES (randomblob (16), 'HT.KS', 'Đăng ký khai sinh',"
                                 " 'Hộ tịch', 'commune', 0, 0, 'full', '[\"Tờ khai\"]',"
                                 " '[\"Luật Hộ tịch 2014\"]')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (schema_version_of (path), ==, 1);

  opened = motcua_replica_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (schema_version_of (path), ==, MOTCUA_SCHEMA_VERSION);
  found = motcua_replica_search_procedures (opened, "dang ky khai", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  procedure = g_ptr_array_steal_index (found, 0);
  g_assert_cmpstr (procedure->name, ==, "Đăng ký khai sinh");
  g_assert_finalize_object (opened);

  motcua_test_rm_rf (dir);
}

static void
test_too_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("motcua-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "new.db", NULL);
  MotcuaReplica *replica;

  replica = motcua_replica_create (path, "T", MOTCUA_LEVEL_COMMUNE, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (replica);

  set_user_version (path, MOTCUA_SCHEMA_VERSION + 1);

  replica = motcua_replica_open (path, &error);
  g_assert_null (replica);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_SCHEMA_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "update Một Cửa"));

  motcua_test_rm_rf (dir);
}

static void
test_not_a_replica (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("motcua-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "other.db", NULL);
  sqlite3 *db = NULL;
  MotcuaReplica *replica;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  replica = motcua_replica_open (path, &error);
  g_assert_null (replica);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "is not a Một Cửa replica"));

  motcua_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/migrations/forward-from-1", test_forward);
  g_test_add_func ("/migrations/too-new", test_too_new);
  g_test_add_func ("/migrations/not-a-replica", test_not_a_replica);

  return g_test_run ();
}
