/* motcua-rows-private.h: a replicated row as stored, and the log's records
 *
 * Inside the replication layer: what capture (motcua-capture.c), the rows (motcua-rows.c), the
 * log's records (motcua-log-records.c) and re-stamps (motcua-restamp.c) share.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-changes-private.h"

G_BEGIN_DECLS

/* A column's value, owning its bytes. */
typedef struct
{
  MotcuaValue value;
  char       *owned;
} OwnedValue;

/* A row as stored: its values (status as its "generation:name" register value), its registers,
 * and what its full-text index held when it was read. */
typedef struct
{
  const MotcuaTableDesc *table;
  const TableSql        *sql;
  gboolean               exists;
  gint64                 rid;
  OwnedValue             current[64];
  Clocks                 clocks;
  char                  *fts_old[8];
  gboolean               fts_changed;
} RowState;

void             _motcua_row_state_clear (RowState              *row);
/* Reads the row @id of @table (@known_new: it cannot exist yet, so it is not looked up). */
gboolean         _motcua_row_read       (MotcuaReplica          *self,
                                         const MotcuaTableDesc  *table,
                                         const MotcuaUuid       *id,
                                         gboolean                known_new,
                                         RowState               *row,
                                         GError                **error);
void             _motcua_row_set        (RowState               *row,
                                         guint                   c,
                                         const MotcuaValue      *value,
                                         MotcuaHlc               hlc,
                                         guint32                 origin);
/* Writes the row back (inserting it if new), its registers and its full-text entry. */
gboolean         _motcua_row_store      (MotcuaReplica          *self,
                                         RowState               *row,
                                         const MotcuaUuid       *id,
                                         guint64                 seq,
                                         GError                **error);

/* The log's records (motcua-log-records.c): a change's fields appended to a record, and a
 * record of @n changes appended to the log. */
void             _motcua_change_put     (GByteArray             *out,
                                         guint                   column,
                                         MotcuaHlc               prev_hlc,
                                         const MotcuaValue      *value);
gboolean         _motcua_replica_log_record (MotcuaReplica      *self,
                                             MotcuaTableId       table,
                                             const MotcuaUuid   *row_id,
                                             guint               n,
                                             GByteArray         *fields,
                                             MotcuaHlc           hlc,
                                             GError            **error);

G_END_DECLS
