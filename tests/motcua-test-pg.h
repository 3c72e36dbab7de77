/* motcua-test-pg.h: a throwaway PostgreSQL cluster for the tests
 *
 * Started by the test itself (initdb and pg_ctl from PostgreSQL 15, tools/debian-packages.txt),
 * listening only on a unix socket in a temporary directory, and stopped and removed at the end.
 * Run as root (as CI runs the tests), the cluster runs as the postgres user, which PostgreSQL
 * requires.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MotcuaTestPg MotcuaTestPg;

/* A new cluster, running; fails the test if it cannot start, with initdb's or the server's
 * log. */
MotcuaTestPg *motcua_test_pg_start        (void);
/* Stops the cluster and removes its directory. */
void          motcua_test_pg_stop         (MotcuaTestPg *pg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaTestPg, motcua_test_pg_stop)

/* A new, empty database of the cluster, and the postgresql:// URI of it. */
char         *motcua_test_pg_new_database (MotcuaTestPg *pg);
/* Runs @sql (no rows) on the database @uri. */
void          motcua_test_pg_exec         (const char   *uri,
                                           const char   *sql);
/* The one integer the query @sql gives on the database @uri. */
gint64        motcua_test_pg_query_int    (const char   *uri,
                                           const char   *sql);

G_END_DECLS
