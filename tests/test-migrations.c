/* test-migrations.c: replicas made by older and newer builds
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "motcua-replica-private.h"
#include "motcua-test-transport.h"

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

/* A desk of schema version 10, with dossiers not yet pushed, opened by this build: its changes
 * are all still pending (the change log is not touched by the migration), and the digest's sums
 * it now keeps are counted when it is opened, equal to a count from every row. */
static void
test_digest_from_10 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("motcua-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autofree char *kept = NULL;
  g_autofree char *counted = NULL;
  const char *documents[] = { "Tờ khai đăng ký khai sinh", NULL };
  MotcuaOffice office = { .code = (char *) "T", .name = (char *) "UBND tỉnh Thử",
                          .level = MOTCUA_LEVEL_PROVINCE };
  MotcuaProcedure procedure = {
    .code = (char *) "HT.KS", .name = (char *) "Đăng ký khai sinh", .sector = (char *) "Hộ tịch",
    .levels = (1u << MOTCUA_N_LEVELS) - 1, .online_full = TRUE, .documents = (GStrv) documents,
    .sample = TRUE,
  };
  MotcuaReplica *old, *opened;
  gint64 pending;

  old = _motcua_replica_create_at_version (path, "T", MOTCUA_LEVEL_PROVINCE, 10, &error);
  g_assert_no_error (error);
  g_assert_true (motcua_replica_put_office (old, &office, &error));
  g_assert_true (motcua_replica_put_procedure (old, &procedure, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      MotcuaReception r = { .procedure_code = "HT.KS", .applicant_name = "Lò Văn Pằng",
                            .citizen_id = "012345678901" };
      g_autoptr(MotcuaCase) c = motcua_replica_receive (old, &r, &error);

      g_assert_no_error (error);
    }
  pending = motcua_replica_count_pending (old, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pending, >, 0);
  g_assert_finalize_object (old);
  g_assert_cmpint (schema_version_of (path), ==, 10);

  opened = motcua_replica_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (schema_version_of (path), ==, MOTCUA_SCHEMA_VERSION);
  g_assert_cmpint (motcua_replica_count_pending (opened, &error), ==, pending);
  g_assert_no_error (error);
  g_assert_true (motcua_test_digest_kept (opened, "T", &kept, &counted));
  g_assert_cmpstr (kept, !=, "00000000000000000000000000000000");
  g_assert_finalize_object (opened);

  motcua_test_rm_rf (dir);
}

/* A replica of schema version 7 held its timeline as text (detail); opened in this build,
 * every event is parsed once into its fields, as each writer of version 7 formatted it, and
 * what could not be parsed keeps its text. */
static void
test_timeline_from_7 (void)
{
  static const struct
  {
    const char *action;
    const char *detail;
    const char *field, *old_value, *new_value, *from_office, *to_office, *receipt_no, *due_date;
    const char *ref;
    const char *left;   /* what stays of detail */
  } rows[] = {
    { "received", "T.D.A-2026-000001 HT.KS, due 2026-03-17", NULL, NULL, NULL, NULL, NULL,
      "T.D.A-2026-000001", "2026-03-17", NULL, NULL },
    { "status", "received → in_processing", "status", "received", "in_processing", NULL, NULL,
      NULL, NULL, NULL, NULL },
    { "edited", "phone = 0912345678", "phone", NULL, "0912345678", NULL, NULL, NULL, NULL,
      NULL, NULL },
    { "edited", "address = (empty)", "address", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
      NULL },
    { "transferred", "T.D.A → T.D", "handling_office_id", NULL, NULL, "T.D.A", "T.D", NULL,
      NULL, NULL, NULL },
    { "transferred", "? → T.D", "handling_office_id", NULL, NULL, NULL, "T.D", NULL, NULL,
      NULL, NULL },
    { "imported", "T.D.A-2025-000007 imported as approved", "status", NULL, "approved", NULL,
      NULL, "T.D.A-2025-000007", NULL, NULL, NULL },
    { "attached", "giay khai sinh (1.2 MB).pdf (1.2 MB)", "attachment", NULL,
      "giay khai sinh (1.2 MB).pdf", NULL, NULL, NULL, NULL, NULL, NULL },
    { "attachment_removed", "01955a00-0000-7000-8000-0000000000a1 scan.pdf", "attachment",
      "scan.pdf", NULL, NULL, NULL, NULL, NULL, "01955a00-0000-7000-8000-0000000000a1", NULL },
    { "status", "garbled", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "garbled" },
    { "stamped", "something new", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
      "something new" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("motcua-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "v7.db", NULL);
  g_autoptr(GPtrArray) events = NULL;
  MotcuaReplica *old, *opened;
  sqlite3 *db = NULL;

  old = _motcua_replica_create_at_version (path, "T.D.A", MOTCUA_LEVEL_COMMUNE, 7, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (old);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO cases (id, receipt_no, status, deleted) VALUES"
                                 " (x'01955a00000070008000000000000c01', 'T.D.A-2026-000001',"
                                 " 'in_processing', 0)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *sql =
        g_strdup_printf ("INSERT INTO case_events (id, case_id, at, replica, officer, action,"
                         " detail) VALUES (randomblob (16),"
                         " x'01955a00000070008000000000000c01', '2026-03-01T08:%02u:00+07:00',"
                         " 'r', 'o', '%s', '%s')", i, rows[i].action, rows[i].detail);

      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  sqlite3_close (db);
  g_assert_cmpint (schema_version_of (path), ==, 7);

  opened = motcua_replica_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (schema_version_of (path), ==, MOTCUA_SCHEMA_VERSION);
  events = motcua_replica_list_case_events (opened, "T.D.A-2026-000001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (rows));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const MotcuaCaseEvent *e = g_ptr_array_index (events, i);

      g_assert_cmpstr (e->action, ==, rows[i].action);
      g_assert_cmpstr (e->field, ==, rows[i].field);
      g_assert_cmpstr (e->old_value, ==, rows[i].old_value);
      g_assert_cmpstr (e->new_value, ==, rows[i].new_value);
      g_assert_cmpstr (e->from_office, ==, rows[i].from_office);
      g_assert_cmpstr (e->to_office, ==, rows[i].to_office);
      g_assert_cmpstr (e->receipt_no, ==, rows[i].receipt_no);
      g_assert_cmpstr (e->due_date, ==, rows[i].due_date);
      g_assert_cmpstr (e->ref, ==, rows[i].ref);
      g_assert_cmpstr (e->detail, ==, rows[i].left);
    }
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

/* The column descriptions (motcua-tables.c) are the one definition of the replicated columns
 * that capture, the wire, the digest, the export and the desk read; the schema, written as a
 * history of migrations, must end where they say: every described column is there, with the
 * storage its kind needs, both in a new replica and in one brought up from version 1. */
static void
assert_schema_matches_tables (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  for (guint t = 0; t < _motcua_n_tables; t++)
    {
      const MotcuaTableDesc *table = _motcua_tables[t];
      g_autofree char *sql = g_strdup_printf ("SELECT name, type FROM pragma_table_info ('%s')",
                                              table->name);
      g_autoptr(GHashTable) types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           g_free);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_hash_table_insert (types, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                             g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      sqlite3_finalize (stmt);

      g_assert_cmpuint (g_hash_table_size (types), >, 0);
      for (guint c = 0; c < table->n_columns; c++)
        {
          const MotcuaColumnDesc *column = &table->columns[c];
          const char *type = g_hash_table_lookup (types, column->name);
          const char *wanted = column->kind == MOTCUA_COL_INT ? "INTEGER"
                               : column->kind == MOTCUA_COL_ID ? "BLOB" : "TEXT";

          if (type == NULL)
            g_error ("%s.%s is described but not in the schema", table->name, column->name);
          g_assert_cmpstr (type, ==, wanted);
          if (column->kind == MOTCUA_COL_STATUS)
            g_assert_true (g_hash_table_contains (types, "status_gen"));
        }
    }
  sqlite3_close (db);
}

static void
test_tables_match_schema (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("motcua-test-XXXXXX", NULL);
  g_autofree char *fresh = g_build_filename (dir, "new.db", NULL);
  g_autofree char *old = g_build_filename (dir, "old.db", NULL);
  MotcuaReplica *replica;

  replica = motcua_replica_create (fresh, "T", MOTCUA_LEVEL_PROVINCE, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (replica);
  assert_schema_matches_tables (fresh);

  replica = _motcua_replica_create_at_version (old, "T", MOTCUA_LEVEL_PROVINCE, 1, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (replica);
  replica = motcua_replica_open (old, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (replica);
  assert_schema_matches_tables (old);

  motcua_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/migrations/forward-from-1", test_forward);
  g_test_add_func ("/migrations/timeline-from-7", test_timeline_from_7);
  g_test_add_func ("/migrations/digest-from-10", test_digest_from_10);
  g_test_add_func ("/migrations/too-new", test_too_new);
  g_test_add_func ("/migrations/tables-match-schema", test_tables_match_schema);
  g_test_add_func ("/migrations/not-a-replica", test_not_a_replica);

  return g_test_run ();
}
