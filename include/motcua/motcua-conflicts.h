/* motcua-conflicts.h: conflicts, as replicated rows, and their resolution
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-inside.h"
#include "motcua-hlc.h"
#include "motcua-replica.h"

G_BEGIN_DECLS

/* One side of a conflict: a write that did not see the other. */
typedef struct
{
  char      *value;      /* as text ("" for an empty text, NULL for no value) */
  MotcuaHlc  hlc;        /* when (HLC) */
  char      *at;         /* when, as local ISO 8601 time */
  char      *replica;    /* which desk (replica id) */
  char      *office;     /* the desk's office code, when the server knew it */
} MotcuaConflictSide;

/* Two writes to one field, neither of which had seen the other, with different values. The
 * server detects them; they replicate as rows to every replica that holds the record. Side a is
 * the value the server held; side b the write that had not seen it. @winner says which one the
 * merge kept (the field's value now, until someone resolves it). */
typedef struct
{
  char               *id;
  char               *table;        /* "cases", "procedures", … */
  char               *row_id;
  char               *column;
  char               *case_id;      /* the case, for conflicts on cases; else NULL */
  char               *receipt_no;   /* its receipt number, when this replica holds it */
  MotcuaConflictSide  a;
  MotcuaConflictSide  b;
  char                winner;       /* 'a' or 'b' */
  char               *detected_at;
  gboolean            resolved;
  char               *resolution;   /* the value chosen, as text */
  char               *resolved_by;  /* officer, or replica id */
  char               *resolved_at;
} MotcuaConflict;

GType           motcua_conflict_get_type       (void) G_GNUC_CONST;
MotcuaConflict *motcua_conflict_copy           (const MotcuaConflict *self);
void            motcua_conflict_free           (MotcuaConflict       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaConflict, motcua_conflict_free)

/* Open conflicts (or all, with @include_resolved), newest first. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray      *motcua_replica_list_conflicts  (MotcuaReplica        *self,
                                                gboolean              include_resolved,
                                                GError              **error);
gint64          motcua_replica_count_conflicts (MotcuaReplica        *self,
                                                GError              **error);
/* @id: a conflict id, or an unambiguous prefix of at least 8 characters. */
MotcuaConflict *motcua_replica_dup_conflict    (MotcuaReplica        *self,
                                                const char           *id,
                                                GError              **error);

typedef enum
{
  MOTCUA_RESOLVE_KEEP_A,
  MOTCUA_RESOLVE_KEEP_B,
  MOTCUA_RESOLVE_VALUE,     /* a new value, given as text */
} MotcuaResolution;

/* Resolves a conflict with an ordinary new write that has seen both sides: the field takes the
 * chosen value and the conflict is marked resolved; both replicate, and the conflict closes at
 * every replica. @value is for MOTCUA_RESOLVE_VALUE only, checked like an edit of the field. */
gboolean        motcua_replica_resolve_conflict (MotcuaReplica       *self,
                                                 const char          *id,
                                                 MotcuaResolution     how,
                                                 const char          *value,
                                                 GError             **error);

/* Local changes the server refused, each with its reason. They stay on the replica, visible,
 * until the officer retries or discards them. */
typedef struct
{
  guint64   seq;
  char     *table;
  char     *row_id;
  char     *column;      /* NULL for a whole row */
  char     *receipt_no;  /* the case's, when the change is about a case this replica holds
                          * (its row, or a row of its timeline or scans) */
  char     *reason;
  char     *at;          /* when the server refused it */
  gboolean  gone;        /* the server said its case is not this replica's: it can only be
                          * discarded */
  gboolean  waiting;     /* the server did not hold its case (its store was restored from an
                          * older copy): it goes again, by itself, once the case is back */
} MotcuaRejected;

void            motcua_rejected_free           (MotcuaRejected       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaRejected, motcua_rejected_free)

G_GNUC_WARN_UNUSED_RESULT
GPtrArray      *motcua_replica_list_rejected   (MotcuaReplica        *self,
                                                GError              **error);
gint64          motcua_replica_count_rejected  (MotcuaReplica        *self,
                                                GError              **error);

/* Issues the refused change @seq again, once its cause is fixed (a value corrected with an
 * ordinary edit, a case back in this replica's scope): as a new local change, with a new
 * sequence number and stamp, of the field's value as it is now (or of the whole row, for a row
 * of a timeline or a scan), pushed at the next sync like any change. The refusal goes; the
 * server judges the new change afresh and may refuse it again. One transaction.
 *
 * MOTCUA_ERROR_NOT_FOUND if no refused change has number @seq; MOTCUA_ERROR_INVALID if there is
 * nothing to retry: its row is no longer on this replica, or the server said its case is not
 * this replica's (MotcuaRejected.gone), which only motcua_replica_discard_rejected() clears. */
gboolean        motcua_replica_retry_rejected   (MotcuaReplica       *self,
                                                 guint64              seq,
                                                 GError             **error);

/* Gives the refused change @seq up: the refusal goes, and this replica takes the server's word
 * back. A refused row of a timeline or a scan, which the server never had, is removed; the
 * next sync pulls this replica's scope again from the start, and the server's state replaces
 * what it refused (the server acknowledged the change when it refused it). A case that is not
 * this replica's leaves it then, unless another refusal still holds it. One transaction.
 *
 * MOTCUA_ERROR_NOT_FOUND if no refused change has number @seq. */
gboolean        motcua_replica_discard_rejected (MotcuaReplica       *self,
                                                 guint64              seq,
                                                 GError             **error);

G_END_DECLS
