/* motcua-replication-private.h: the replication layer's own calls
 *
 * Capture and merge (motcua-capture.c), the log's records (motcua-log-records.c), the replica's
 * side of replication: what the server acknowledged and refused, digests, state transfers,
 * purges (motcua-replication.c), and re-stamps (motcua-restamp.c). The receipt numbers leased
 * to the replica are the domain's (domain/motcua-receipts.c).
 * The domain, the hub and the client call these; the store does not. The SQL they need is the
 * store's: the log's (motcua-store-log-private.h), the rows' (motcua-store-rows-private.h) and
 * the scope's (motcua-store-scope-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"
#include "motcua-store-catalogue-private.h"
#include "motcua-store-digest-private.h"
#include "motcua-store-log-private.h"
#include "motcua-store-rows-private.h"
#include "motcua-store-scope-private.h"

G_BEGIN_DECLS

gboolean      _motcua_replica_keep_logged_row (MotcuaReplica         *self,
                                              const MotcuaTableDesc *table,
                                              gint64                 rid,
                                              const MotcuaUuid      *id,
                                              GError               **error);

/* Change capture: write the given columns of a row (creating it if needed) and log one change
 * per column whose value changed. @mask has bit (n - 1) for column n. */
gboolean      _motcua_replica_write_row    (MotcuaReplica         *self,
                                            const MotcuaTableDesc *table,
                                            const MotcuaUuid      *id,
                                            const MotcuaValue     *values,
                                            guint64                mask,
                                            MotcuaWriteMode        mode,
                                            MotcuaHlc              hlc,
                                            gint64                *rid_out,
                                            GError               **error);

/* Reads the next change of a change record's fields; FALSE at the end or on damage. */
gboolean      _motcua_change_fields_next   (const guint8  **p,
                                            const guint8   *end,
                                            guint          *column,
                                            MotcuaHlc      *prev_hlc,
                                            MotcuaValue    *value,
                                            gsize          *text_len);

/* Re-issue a change the server refused (see motcua_replica_retry_rejected()): the field
 * @column of a row as it holds now, or a whole row of an insert-only table, logged as a new
 * local change stamped @hlc. It has seen @seen (NULL: the register the field holds).
 * MOTCUA_ERROR_INVALID when the row is no longer here. */
gboolean      _motcua_replica_reissue_field (MotcuaReplica         *self,
                                             const MotcuaTableDesc *table,
                                             const MotcuaUuid      *id,
                                             guint                  column,
                                             const MotcuaHlc       *seen,
                                             MotcuaHlc              hlc,
                                             GError               **error);

gboolean      _motcua_replica_reissue_insert (MotcuaReplica         *self,
                                              const MotcuaTableDesc *table,
                                              const MotcuaUuid      *id,
                                              MotcuaHlc              hlc,
                                              GError               **error);

/* A refused change to a row purged meanwhile, logged again from its record's @value (for a
 * row of a timeline or a scan, @column 0 and the JSON the record kept). */
gboolean      _motcua_replica_log_again    (MotcuaReplica         *self,
                                            const MotcuaTableDesc *table,
                                            const MotcuaUuid      *id,
                                            guint                  column,
                                            const MotcuaValue     *value,
                                            MotcuaHlc              seen,
                                            MotcuaHlc              hlc,
                                            GError               **error);

/* Puts back a row of a timeline or a scan this replica wrote and purged with its case, from
 * the values its record kept (@kept, JSON: see _motcua_replica_keep_logged_row()), if its case
 * is here (@put says whether) and the row is not (motcua-changes.c). Inside a transaction. */
gboolean      _motcua_replica_put_back_logged_row (MotcuaReplica         *self,
                                                   const MotcuaTableDesc *table,
                                                   const MotcuaUuid      *id,
                                                   const char            *kept,
                                                   gboolean              *put,
                                                   GError               **error);

/* Insert a row of an insert-only table and log it as one change. */
gboolean      _motcua_replica_insert_row   (MotcuaReplica         *self,
                                            const MotcuaTableDesc *table,
                                            const MotcuaUuid      *id,
                                            const MotcuaValue     *values,
                                            MotcuaHlc              hlc,
                                            GError               **error);

/* A register as it was before a merge: for the hub, which detects conflicts. */
typedef struct
{
  gboolean    exists;     /* the row existed */
  MotcuaValue value;
  char       *owned;      /* the bytes of value, owned */
  MotcuaHlc   hlc;        /* 0: never written */
  MotcuaUuid  origin;
} MotcuaRegister;

void          _motcua_register_clear       (MotcuaRegister *reg);

/* Merging changes from other replicas (motcua-capture.c). */
typedef struct
{
  guint              column;       /* from 1 */
  const MotcuaValue *value;
  MotcuaHlc          hlc;
  gint64             origin;       /* its index, see _motcua_replica_origin_index() */
  const MotcuaUuid  *origin_uuid;
} MotcuaFieldWrite;

/* Merges fields (each column at most once) of one row: the row is read and written once, as if
 * they had been merged one by one in order. @won and @olds (NULL or one register each, as
 * _motcua_replica_merge_field() gives it) have @n_fields elements. */
gboolean      _motcua_replica_merge_fields (MotcuaReplica          *self,
                                            const MotcuaTableDesc  *table,
                                            const MotcuaUuid       *id,
                                            guint                   n_fields,
                                            const MotcuaFieldWrite *fields,
                                            gboolean               *won,
                                            MotcuaRegister         *olds,
                                            GError                **error);

gboolean      _motcua_replica_merge_field  (MotcuaReplica         *self,
                                            const MotcuaTableDesc *table,
                                            const MotcuaUuid      *id,
                                            guint                  column,
                                            const MotcuaValue     *value,
                                            MotcuaHlc              hlc,
                                            gint64                 origin,
                                            const MotcuaUuid      *origin_uuid,
                                            gboolean              *won,
                                            MotcuaRegister        *old,
                                            GError               **error);

gboolean      _motcua_replica_merge_insert (MotcuaReplica         *self,
                                            const MotcuaTableDesc *table,
                                            const MotcuaUuid      *id,
                                            const MotcuaValue     *values,
                                            gboolean              *inserted,
                                            GError               **error);

/* No stamp is later than 3000-01-01: a stamp near 2^63 would overflow the clocks that observe
 * it (the next tick would be negative). */
#define MOTCUA_HLC_LATEST (G_GINT64_CONSTANT (32503680000000) << 16)

/* The replica's side of replication (motcua-replication.c) */
guint64       _motcua_replica_get_acked    (MotcuaReplica  *self);

/* The most the server ever acknowledged: more than it does now when its store was restored
 * from an older copy. The changes up to it were pulled by others meanwhile: they go again as
 * they were, never re-stamped. */
guint64       _motcua_replica_get_acked_ever (MotcuaReplica *self);

/* Inside a transaction. */
gboolean      _motcua_replica_set_acked    (MotcuaReplica  *self,
                                            guint64         acked,
                                            GError        **error);

/* An order-independent digest of the current values of everything in the scope of @office_code
 * (motcua-replication.c): 32 hex digits. Both sides of a sync compute it, from the sums the
 * store keeps as rows are written (a few rows read). */
char         *_motcua_replica_scope_digest (MotcuaReplica  *self,
                                            const char     *office_code,
                                            GError        **error);
/* The same digest counted again from every row of the scope: the check of the kept sums. */
char         *_motcua_replica_scope_recount (MotcuaReplica  *self,
                                             const char     *office_code,
                                             GError        **error);

/* Records a refusal; @gone: the case the server said is not this replica's, @wait: the case
 * the server does not hold yet, which the change waits for (each may be NULL). */
gboolean      _motcua_replica_add_rejected (MotcuaReplica     *self,
                                            guint64            seq,
                                            const char        *reason,
                                            const MotcuaUuid  *gone,
                                            const MotcuaUuid  *wait,
                                            GError           **error);

/* A state transfer: the cases and conflicts of a batch of it are noted as the server's, and
 * at its end the rows it did not bring go, unless something of them is not acknowledged or
 * was refused (motcua-replication.c). Inside a transaction. */
gboolean      _motcua_replica_transfer_end (MotcuaReplica     *self,
                                            guint             *n_out,
                                            GError           **error);

/* The due date of case @rid if its clock started on @day: the domain's rule, which a re-stamp
 * follows when it moves that day. */
typedef gboolean (*MotcuaDueDateFunc) (MotcuaReplica  *self,
                                       gint64          rid,
                                       const char     *day,
                                       char            out[11],
                                       GError        **error);

/* Gives this replica's unpushed changes (past @acked) new stamps from the corrected clock,
 * and corrects the times they read from the clock by @shift_ms, and a due date that follows
 * them as @due_date computes it (motcua-restamp.c). Inside a transaction. */
gboolean      _motcua_replica_restamp      (MotcuaReplica      *self,
                                            guint64             acked,
                                            gint64              shift_ms,
                                            MotcuaDueDateFunc   due_date,
                                            guint              *n_out,
                                            GError            **error);

/* Deletes the cases outside this replica's scope that hold nothing unacknowledged; @n_kept_out
 * counts those that wait for their changes to be acknowledged. */
gboolean      _motcua_replica_purge        (MotcuaReplica  *self,
                                            guint          *n_out,
                                            guint          *n_kept_out,
                                            GError        **error);

/* Office ids (16-byte GBytes) of @office_code's jurisdiction today: the offices below it in
 * the tree in force, and the ended offices whose work passed to one of them (their cases). */
GHashTable   *_motcua_replica_jurisdiction_set  (MotcuaReplica  *self,
                                            const char     *office_code,
                                            GError        **error);

/* The stamp of the write that set column @column (its index in @table->columns) of the row @id,
 * in *@hlc_out (0 when the row or the register is missing). */
gboolean      _motcua_replica_column_hlc   (MotcuaReplica          *self,
                                            const MotcuaTableDesc  *table,
                                            const MotcuaUuid       *id,
                                            guint                   column,
                                            MotcuaHlc              *hlc_out,
                                            GError                **error);

/* Whether the 16-byte id @id (of @size bytes) is in such a set. */
gboolean      _motcua_id_in_set            (GHashTable     *set,
                                            const void     *id,
                                            int             size);

G_END_DECLS
