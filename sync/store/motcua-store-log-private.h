/* motcua-store-log-private.h: the change log's storage
 *
 * The store's side of replication/motcua-log-records.c, motcua-changes.c and motcua-restamp.c:
 * this replica's records (one per row write, its changes packed in their fields) appended,
 * walked oldest first, re-stamped, and given a purged row's values; and the changes the server
 * refused. What the fields hold is the replication layer's: here they are bytes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* A record of this replica's log, borrowed: valid during the callback. */
typedef struct
{
  guint64        seq;          /* of its first change */
  guint          n;            /* how many changes it holds */
  MotcuaHlc      hlc;
  int            table;        /* a MotcuaTableId, as stored */
  gint64         rid;          /* the row it names, -1 when it is gone */
  const guint8  *row_id;       /* 16 bytes, or NULL (a record older than rows named by UUID) */
  const guint8  *fields;
  gsize          fields_size;
} MotcuaStoreLogRecord;

/* Called for each record of a walk; setting *@stop ends the walk without an error. */
typedef gboolean (*MotcuaStoreLogFunc) (const MotcuaStoreLogRecord  *record,
                                        gpointer                     user_data,
                                        gboolean                    *stop,
                                        GError                     **error);

/* Appends the record of @n changes of row @row_id of @table, numbered from @seq. */
gboolean      _motcua_store_log_append     (MotcuaReplica       *self,
                                            guint64              seq,
                                            guint                n,
                                            MotcuaHlc            hlc,
                                            MotcuaTableId        table,
                                            const MotcuaUuid    *row_id,
                                            const guint8        *fields,
                                            gsize                fields_size,
                                            GError             **error);

/* Walks this replica's records holding a change past @after_seq, oldest first. */
gboolean      _motcua_store_log_foreach    (MotcuaReplica       *self,
                                            guint64              after_seq,
                                            MotcuaStoreLogFunc   each,
                                            gpointer             user_data,
                                            GError             **error);

/* Walks this replica's records whose first change is past @after_seq, oldest first. */
gboolean      _motcua_store_log_foreach_after (MotcuaReplica    *self,
                                               guint64           after_seq,
                                               MotcuaStoreLogFunc each,
                                               gpointer          user_data,
                                               GError          **error);

/* The record of this replica's starting at @seq takes the stamp @hlc and the fields @fields. */
gboolean      _motcua_store_log_restamp    (MotcuaReplica       *self,
                                            guint64              seq,
                                            MotcuaHlc            hlc,
                                            const guint8        *fields,
                                            gsize                fields_size,
                                            GError             **error);

/* The record of this replica's of the row @row_id of a timeline or a scan takes @fields: the
 * row's values, kept before it is purged. */
gboolean      _motcua_store_log_keep_row   (MotcuaReplica       *self,
                                            const MotcuaUuid    *row_id,
                                            const guint8        *fields,
                                            gsize                fields_size,
                                            GError             **error);

/* Records (or replaces) the refusal of the change @seq, made at @at (see
 * _motcua_replica_add_rejected()). */
gboolean      _motcua_store_log_add_rejected (MotcuaReplica     *self,
                                              guint64            seq,
                                              const char        *reason,
                                              const char        *at,
                                              const MotcuaUuid  *gone,
                                              const MotcuaUuid  *wait,
                                              GError           **error);

G_END_DECLS
