/* motcua-test-utils.h: what the tests share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <motcua/motcua.h>

G_BEGIN_DECLS

typedef struct
{
  char          *dir;
  char          *path;
  MotcuaReplica *replica;
  gint64         now_ms;   /* the replica's clock; tests move it */
} MotcuaFixture;

/* A province replica "T" with a district T.D, communes T.D.A and T.D.B, and two procedures
 * received and decided at every level: HT.KS "Đăng ký khai sinh" (0 days, 2 papers) and DD.BD
 * "Đăng ký biến động đất đai" (10 days, 3 papers). The clock starts at 2025-03-03 09:00 +07:00 (a Monday). */
void        motcua_fixture_set_up      (MotcuaFixture *fixture,
                                        gconstpointer  data);
void        motcua_fixture_tear_down   (MotcuaFixture *fixture,
                                        gconstpointer  data);
/* Adds the test @path running @func on a fresh MotcuaFixture (motcua_fixture_set_up()). */
#define motcua_test_add(path, func) \
  g_test_add (path, MotcuaFixture, NULL, motcua_fixture_set_up, func, motcua_fixture_tear_down)

/* An empty replica in a fresh temporary directory. */
void        motcua_fixture_set_up_empty (MotcuaFixture *fixture,
                                         MotcuaLevel    role,
                                         const char    *office);

/* Removes @dir and everything in it. */
void        motcua_test_rm_rf          (const char    *dir);
gint64      motcua_test_ms             (const char    *iso8601);
/* The canonical export as a string. */
char       *motcua_test_export         (MotcuaReplica *replica);
gint64      motcua_test_count          (MotcuaReplica *replica,
                                        const char    *table);

/* "2025-03-03", or "(invalid)". */
char       *motcua_test_date_string    (const GDate   *date);
/* Asserts that @date is @year-@month-@day, saying both when it is not. */
void        motcua_test_assert_date    (const GDate   *date,
                                        int            year,
                                        int            month,
                                        int            day);

/* @text (@length bytes, -1: up to its NUL) parsed as JSON, which it must be. */
JsonNode   *motcua_test_parse_json     (const char    *text,
                                        gssize         length);

/* Runs the default main context for @ms milliseconds: async loads land, frames are drawn. */
void        motcua_test_settle         (guint          ms);

/* A change of protocol v1 as a replica would push it: @column NULL for a whole row, @value
 * taken ("v" is left out when it is NULL, for the caller to set). */
JsonObject *motcua_test_change_new     (const char    *origin,
                                        gint64         seq,
                                        gint64         hlc,
                                        const char    *table,
                                        const char    *row,
                                        const char    *column,
                                        JsonNode      *value);

G_END_DECLS
