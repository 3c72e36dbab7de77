/* motcua-store-rejected-private.h: the changes the server refused, as the store keeps them
 *
 * The table rejected (a refused change's sequence number, the reason, whether its case is
 * gone, which case it waits for) read and written for the domain (domain/motcua-rejected.c),
 * and the reads and the deletion it needs of the rows a refused change names: the domain
 * decides what is retried, discarded or reported.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* One refused change, borrowed: valid during the callback it is given to. */
typedef struct
{
  guint64     seq;
  const char *reason;
  const char *at;
  gboolean    gone;      /* its case is not this replica's */
  gboolean    waiting;   /* it waits for its case to come from the server */
} MotcuaStoreRejectedRow;

typedef gboolean (*MotcuaStoreRejectedFunc) (const MotcuaStoreRejectedRow  *row,
                                             gpointer                       user_data,
                                             GError                       **error);

/* The refused changes, by sequence number. */
gboolean  _motcua_store_rejected_each          (MotcuaReplica            *self,
                                                MotcuaStoreRejectedFunc   each,
                                                gpointer                  user_data,
                                                GError                  **error);

/* How many changes were refused, or -1 with @error set. */
gint64    _motcua_store_rejected_count         (MotcuaReplica            *self,
                                                GError                  **error);

/* Whether the change @seq was refused (*found), and if so whether its case is gone. */
gboolean  _motcua_store_rejected_find          (MotcuaReplica            *self,
                                                guint64                   seq,
                                                gboolean                 *found,
                                                gboolean                 *gone,
                                                GError                  **error);

/* The refused changes that wait for the case @case_id, by sequence number, or NULL with
 * @error set. */
GArray   *_motcua_store_rejected_waiting       (MotcuaReplica            *self,
                                                const MotcuaUuid         *case_id,
                                                GError                  **error);

/* The refused change @seq waits no more. */
gboolean  _motcua_store_rejected_stop_waiting  (MotcuaReplica            *self,
                                                guint64                   seq,
                                                GError                  **error);

/* Forgets that the change @seq was refused. */
gboolean  _motcua_store_rejected_remove        (MotcuaReplica            *self,
                                                guint64                   seq,
                                                GError                  **error);

/* The rows refused changes name */

/* Whether @table has the row @id (TRUE when that cannot be read: then the caller's next
 * step reports the error). */
gboolean  _motcua_store_rejected_row_exists    (MotcuaReplica            *self,
                                                const MotcuaTableDesc    *table,
                                                const MotcuaUuid         *id);

/* The receipt number of the case of the row @id of @table (a table with a case_id: a
 * timeline's or a scan's), or NULL. */
char     *_motcua_store_rejected_row_receipt_no (MotcuaReplica           *self,
                                                 const MotcuaTableDesc   *table,
                                                 const MotcuaUuid        *id);

/* The rid of the row @id of @table if the change @seq wrote it, else -1 in *rid_out. */
gboolean  _motcua_store_rejected_row_rid       (MotcuaReplica            *self,
                                                const MotcuaTableDesc    *table,
                                                const MotcuaUuid         *id,
                                                guint64                   seq,
                                                gint64                   *rid_out,
                                                GError                  **error);

/* Deletes the row @rid of @table. */
gboolean  _motcua_store_rejected_delete_row    (MotcuaReplica            *self,
                                                const MotcuaTableDesc    *table,
                                                gint64                    rid,
                                                GError                  **error);

G_END_DECLS
