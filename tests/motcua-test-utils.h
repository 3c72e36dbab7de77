/* motcua-test-utils.h: what the tests share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <motcua/motcua.h>

G_BEGIN_DECLS

typedef struct
{
  char          *dir;
  char          *path;
  MotcuaReplica *replica;
  gint64         now_ms;   /* the replica's clock; tests move it */
} MotcuaFixture;

/* A province replica "T" with a district T.D, communes T.D.A and T.D.B, and two procedures:
 * HT.KS "Đăng ký khai sinh" (0 days, 2 papers) and DD.BD "Đăng ký biến động đất đai" (10 days,
 * 3 papers). The clock starts at 2025-03-03 09:00 +07:00 (a Monday). */
void        motcua_fixture_set_up      (MotcuaFixture *fixture,
                                        gconstpointer  data);
void        motcua_fixture_tear_down   (MotcuaFixture *fixture,
                                        gconstpointer  data);
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

G_END_DECLS
