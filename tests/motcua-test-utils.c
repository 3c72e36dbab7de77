/* motcua-test-utils.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "motcua-test-utils.h"

void
motcua_test_rm_rf (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        motcua_test_rm_rf (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

gint64
motcua_test_ms (const char *iso8601)
{
  g_autoptr(GTimeZone) vn = g_time_zone_new_offset (7 * 3600);
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso8601, vn);

  g_assert_nonnull (dt);

  return g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
}

static gint64
fixture_clock (gpointer user_data)
{
  MotcuaFixture *fixture = user_data;

  return fixture->now_ms;
}

void
motcua_fixture_set_up_empty (MotcuaFixture *fixture,
                             MotcuaLevel    role,
                             const char    *office)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("motcua-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "replica.db", NULL);
  fixture->replica = motcua_replica_create (fixture->path, office, role, &error);
  g_assert_no_error (error);
  fixture->now_ms = motcua_test_ms ("2025-03-03T09:00:00+07:00");
  motcua_replica_set_clock (fixture->replica, fixture_clock, fixture);
  motcua_replica_set_officer (fixture->replica, "Lò Thị Test");
}

/* The fixture's procedures are received and decided at every level, so that every replica of
 * the tests' province can receive them; the rules of levels are tested on their own. */
#define ANY_LEVEL ((1u << MOTCUA_N_LEVELS) - 1)

void
motcua_fixture_set_up (MotcuaFixture *fixture,
                       gconstpointer  data)
{
  static const struct { const char *code, *name, *parent; MotcuaLevel level; } offices[] = {
    { "T", "UBND tỉnh Thử", NULL, MOTCUA_LEVEL_PROVINCE },
    { "T.D", "UBND huyện Thử", "T", MOTCUA_LEVEL_DISTRICT },
    { "T.D.A", "UBND xã A", "T.D", MOTCUA_LEVEL_COMMUNE },
    { "T.D.B", "UBND xã B", "T.D", MOTCUA_LEVEL_COMMUNE },
  };
  const char *ks_docs[] = { "Tờ khai đăng ký khai sinh", "Giấy chứng sinh", NULL };
  const char *dd_docs[] = { "Đơn đăng ký biến động", "Giấy chứng nhận", "Hợp đồng", NULL };
  const char *basis[] = { "Luật Hộ tịch 2014", NULL };
  MotcuaProcedure ks = {
    .code = (char *) "HT.KS", .name = (char *) "Đăng ký khai sinh", .sector = (char *) "Hộ tịch",
    .levels = ANY_LEVEL, .processing_days = 0, .fee = 0, .online_full = TRUE,
    .documents = (GStrv) ks_docs, .legal_basis = (GStrv) basis, .sample = TRUE,
  };
  MotcuaProcedure dd = {
    .code = (char *) "DD.BD", .name = (char *) "Đăng ký biến động đất đai",
    .sector = (char *) "Đất đai", .levels = ANY_LEVEL, .processing_days = 10,
    .fee = 30000, .online_full = FALSE, .documents = (GStrv) dd_docs,
    .legal_basis = (GStrv) basis, .sample = TRUE,
  };
  g_autoptr(GError) error = NULL;

  motcua_fixture_set_up_empty (fixture, MOTCUA_LEVEL_PROVINCE, "T");

  for (guint i = 0; i < G_N_ELEMENTS (offices); i++)
    {
      MotcuaOffice office = {
        .code = (char *) offices[i].code, .name = (char *) offices[i].name,
        .parent_code = (char *) offices[i].parent, .level = offices[i].level,
      };

      motcua_replica_put_office (fixture->replica, &office, &error);
      g_assert_no_error (error);
    }

  motcua_replica_put_procedure (fixture->replica, &ks, &error);
  g_assert_no_error (error);
  motcua_replica_put_procedure (fixture->replica, &dd, &error);
  g_assert_no_error (error);
}

void
motcua_fixture_tear_down (MotcuaFixture *fixture,
                          gconstpointer  data)
{
  g_assert_finalize_object (fixture->replica);
  motcua_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

char *
motcua_test_export (MotcuaReplica *replica)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  char nul = '\0';

  motcua_replica_export_canonical (replica, out, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (out, &nul, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);

  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

gint64
motcua_test_count (MotcuaReplica *replica,
                   const char    *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  /* A second connection: what is on disk, not what the replica caches. */
  g_assert_cmpint (sqlite3_open_v2 (motcua_replica_get_path (replica), &db,
                                    SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

char *
motcua_test_date_string (const GDate *date)
{
  if (!g_date_valid (date))
    return g_strdup ("(invalid)");
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

void
motcua_test_assert_date (const GDate *date,
                         int          year,
                         int          month,
                         int          day)
{
  g_autofree char *got = motcua_test_date_string (date);
  g_autofree char *want = g_strdup_printf ("%04d-%02d-%02d", year, month, day);

  g_assert_cmpstr (got, ==, want);
}

JsonObject *
motcua_test_change_new (const char *origin,
                        gint64      seq,
                        gint64      hlc,
                        const char *table,
                        const char *row,
                        const char *column,
                        JsonNode   *value)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "o", origin);
  json_object_set_int_member (o, "s", seq);
  json_object_set_int_member (o, "h", hlc);
  json_object_set_string_member (o, "t", table);
  json_object_set_string_member (o, "r", row);
  if (column != NULL)
    json_object_set_string_member (o, "c", column);
  else
    json_object_set_null_member (o, "c");
  if (value != NULL)
    json_object_set_member (o, "v", value);
  json_object_set_int_member (o, "p", 0);

  return o;
}

static gboolean
settled (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
motcua_test_settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, settled, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

JsonNode *
motcua_test_parse_json (const char *text,
                        gssize      length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));

  return json_node_copy (json_parser_get_root (parser));
}
