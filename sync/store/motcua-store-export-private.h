/* motcua-store-export-private.h: a table's rows read whole, in one read transaction, for the
 * canonical export (domain/motcua-export.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* One read transaction (a savepoint inside the caller's): what is read between begin and end
 * is a consistent snapshot even while others write. */
gboolean _motcua_store_export_begin (MotcuaReplica  *store,
                                     GError        **error);
void     _motcua_store_export_end   (MotcuaReplica  *store);

/* @values holds a row's @n_columns columns as stored: NULL, a number, text (real numbers read
 * as text), or a 16-byte id (any other blob reads as NULL); borrowed, valid during the call. */
typedef gboolean (*MotcuaStoreExportEach) (const MotcuaValue  *values,
                                           gpointer            user_data,
                                           GError            **error);

/* Calls @each with the physical @columns of every row of @table, by id, streamed. */
gboolean _motcua_store_export_rows  (MotcuaReplica          *store,
                                     const char             *table,
                                     const char *const      *columns,
                                     guint                   n_columns,
                                     MotcuaStoreExportEach   each,
                                     gpointer                user_data,
                                     GError                **error);

G_END_DECLS
