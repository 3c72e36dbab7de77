/* motcua-store-conflicts-private.h: conflicts as the store reads them
 *
 * The conflicts this replica holds, with the receipt number of their case, handed over
 * borrowed one row per call of a callback, how many are open, and the stored JSON of a side's
 * value; the domain (domain/motcua-conflicts.c) shows them and resolves them, writing as any
 * replicated row is written (_motcua_replica_write_row()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* One side of a conflict, borrowed. */
typedef struct
{
  const char       *value;     /* JSON, or NULL */
  MotcuaHlc         hlc;
  const MotcuaUuid *replica;   /* NULL when it names none */
  const char       *office;
} MotcuaStoreConflictSide;

/* One conflict, borrowed: valid during the callback it is given to. Ids are NULL when the
 * row names none. */
typedef struct
{
  const MotcuaUuid        *id;
  const char              *table;
  const MotcuaUuid        *row_id;
  const char              *column;
  const MotcuaUuid        *case_id;
  const char              *receipt_no;   /* of its case, NULL when the case is not here */
  MotcuaStoreConflictSide  a;
  MotcuaStoreConflictSide  b;
  const char              *detected_at;
  gboolean                 resolved;
  const char              *resolution;   /* JSON, or NULL */
  const char              *resolved_by;
  const char              *resolved_at;
} MotcuaStoreConflictRow;

typedef gboolean (*MotcuaStoreConflictFunc) (const MotcuaStoreConflictRow  *row,
                                             gpointer                       user_data,
                                             GError                       **error);

/* The conflicts that are not deleted, the latest first; only the open ones unless
 * @include_resolved. */
gboolean  _motcua_store_conflicts_each          (MotcuaReplica            *self,
                                                 gboolean                  include_resolved,
                                                 MotcuaStoreConflictFunc   each,
                                                 gpointer                  user_data,
                                                 GError                  **error);

/* How many conflicts are open (not resolved, not deleted), or -1 with @error set. */
gint64    _motcua_store_conflicts_count_open    (MotcuaReplica            *self,
                                                 GError                  **error);

/* The stored JSON text of side @side ('a' or 'b') of the conflict @id's value, or NULL. */
char     *_motcua_store_conflicts_dup_side_value (MotcuaReplica           *self,
                                                  const MotcuaUuid        *id,
                                                  char                     side);

G_END_DECLS
