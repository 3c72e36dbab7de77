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
/* An event of the timeline written before schema version 8 (it says what it did only in its
 * detail) that arrived now, made to hold what the migration to version 8 made of those
 * already held: its fields parsed from its detail. A row that holds fields is left as it
 * is. Needs the functions _motcua_schema_migrate() registers on @db. */
gboolean _motcua_schema_upgrade_event (sqlite3       *db,
                                       const guint8  *id,
                                       GError       **error);

G_END_DECLS
