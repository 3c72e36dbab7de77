/* motcua-store-restore-private.h: the province's store files, as a restore handles them
 *
 * The generation a store is in (how many restores it has been through: meta "hub_restores"),
 * and the files a restore reads and copies with SQLite itself, outside any MotcuaReplica: the
 * copy checked, the generation of the store it replaces, the copy written beside it. Why, and
 * what a restore refuses, is the hub's (hub/motcua-hub-restore.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* What a file offered as a copy of the province's store is. */
typedef enum
{
  MOTCUA_STORE_COPY_HUB,        /* whole, readable, a store that enrolled a desk */
  MOTCUA_STORE_COPY_DAMAGED,    /* damaged, or not SQLite */
  MOTCUA_STORE_COPY_NOT_HUB,    /* a desk's replica, or a store that never enrolled one */
} MotcuaStoreCopyKind;

/* The store's generation: 0 until its first restore. */
gint64    _motcua_store_restore_generation     (MotcuaReplica        *store);
/* Notes the store's generation. */
gboolean  _motcua_store_restore_set_generation (MotcuaReplica        *store,
                                                gint64                generation,
                                                GError              **error);

/* What the file @path is, in @kind_out; FALSE when it cannot be opened. */
gboolean  _motcua_store_restore_inspect        (const char           *path,
                                                MotcuaStoreCopyKind  *kind_out,
                                                GError              **error);
/* The generation of the store file @path, read-only; 0 if it cannot be read. */
gint64    _motcua_store_restore_file_generation (const char          *path);
/* Copies the database @from_path into @to_path with SQLite's online backup, in one
 * transaction. */
gboolean  _motcua_store_restore_copy           (const char           *from_path,
                                                const char           *to_path,
                                                GError              **error);

G_END_DECLS
