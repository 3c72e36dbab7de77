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

int      _motcua_schema_get_version (sqlite3  *db);
/* Runs the migrations from the file's version up to @to_version in one transaction. */
gboolean _motcua_schema_migrate     (sqlite3  *db,
                                     int       to_version,
                                     GError  **error);

G_END_DECLS
