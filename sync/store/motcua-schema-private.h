/* motcua-schema-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* 'MCUA': marks an SQLite file as a Một Cửa replica. */
#define MOTCUA_APPLICATION_ID 0x4d435541

/* The change log's records of rows of insert-only tables (timelines and scans), word for word
 * as the partial index changes_row says it, so that a query saying it too can use the index. */
#define MOTCUA_INSERT_ONLY_RECORD_SQL "tbl IN (5, 6)"

int      _motcua_schema_get_version (sqlite3  *db);
/* Runs the migrations from the file's version up to @to_version in one transaction. */
gboolean _motcua_schema_migrate     (sqlite3  *db,
                                     int       to_version,
                                     GError  **error);

G_END_DECLS
