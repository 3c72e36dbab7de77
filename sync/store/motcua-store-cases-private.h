/* motcua-store-cases-private.h: a case's row read, lists and counts by filter, one of its
 * columns, and what a reception reads of a case's procedure
 *
 * The domain's files of cases (domain/motcua-cases.c, motcua-case-list.c, motcua-reception.c,
 * motcua-case-values.c, motcua-corrections.c) decide what to read and what it means; these
 * functions read it. Also the two statement helpers the domain's loops share until they move
 * below too.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* A case's row as stored, with the codes and name of its procedure and offices; texts are
 * borrowed, valid during the callback that gets it. */
typedef struct
{
  gint64      rid;
  MotcuaUuid  id;
  const char *receipt_no;
  const char *procedure_code;
  const char *procedure_name;
  const char *receiving_office;   /* codes */
  const char *handling_office;
  const char *applicant_name;
  const char *citizen_id;
  const char *phone;
  const char *address;
  const char *channel;
  const char *priority;
  const char *received_at;
  const char *clock_start;
  const char *due_date;
  const char *status;
  guint       status_generation;
  const char *papers;
  const char *resolved_at;
  const char *result;
  const char *returned_at;
  const char *returned_via;
  const char *return_at;        /* "receiving", "deciding" or NULL */
  int         rating;
  guint64     seq;                /* its last local change's sequence number (_seq) */
} MotcuaStoreCaseRow;

typedef gboolean (*MotcuaStoreCaseEach) (const MotcuaStoreCaseRow  *row,
                                         gpointer                   user_data,
                                         GError                   **error);

/* Which cases a list or a count takes: every condition set (non-NULL, TRUE) must hold, and
 * deleted cases never do. */
typedef struct
{
  const char *office;          /* code: cases received or handled in its jurisdiction */
  const char *match;           /* an FTS5 query (_motcua_fts_query()), ranked */
  guint       match_window;    /* a list ranks only this many newest matches (0: all) */
  const char *receipt_lo;      /* receipt numbers from receipt_lo, below receipt_hi */
  const char *receipt_hi;
  const char *status;
  gboolean    open_only;       /* not resolved */
  const char *due_before;      /* due before this day */
  const char *due_from;        /* due from this day to due_to */
  const char *due_to;
  const char *procedure_code;
  const char *channel;
  int         limit;           /* of a list */
  gint64      offset;
} MotcuaStoreCaseQuery;

/* The case whose id is @id, or else whose receipt number is @receipt_no: @found, and its rid
 * and id in @rid and @id_out (each may be NULL). FALSE on an error only. */
gboolean    _motcua_store_cases_lookup  (MotcuaReplica           *store,
                                         const MotcuaUuid        *id,
                                         const char              *receipt_no,
                                         gboolean                *found,
                                         gint64                  *rid,
                                         MotcuaUuid              *id_out,
                                         GError                 **error);
/* Calls @each with the case @rid, if it is there. */
gboolean    _motcua_store_cases_read    (MotcuaReplica           *store,
                                         gint64                   rid,
                                         MotcuaStoreCaseEach      each,
                                         gpointer                 user_data,
                                         GError                 **error);
/* Calls @each with the cases @query takes, one page of them: matches of a full-text query by
 * rank, receipt ranges by number, others newest first. */
gboolean    _motcua_store_cases_list    (MotcuaReplica              *store,
                                         const MotcuaStoreCaseQuery *query,
                                         MotcuaStoreCaseEach         each,
                                         gpointer                    user_data,
                                         GError                    **error);
/* How many cases @query takes (its page aside), or -1. */
gint64      _motcua_store_cases_count   (MotcuaReplica              *store,
                                         const MotcuaStoreCaseQuery *query,
                                         GError                    **error);

/* The value of column @column of case @rid as text, or NULL (also on an error). */
char       *_motcua_store_cases_dup_text (MotcuaReplica          *store,
                                          gint64                  rid,
                                          const char             *column);

/* Procedures as cases use them. _motcua_store_cases_procedure() fills @out (its name
 * allocated) with the procedure @code, unless it is deleted: @found says whether it is there.
 * _motcua_store_cases_processing_days() gives the time limit of case @rid's procedure, its
 * amount (-1 when it has none in the catalogue) and unit, and the case's received_at (to free,
 * NULL when it has none). _motcua_store_cases_procedure_documents() gives
 * the number of documents procedure @id lists, or -1 when it is not in the catalogue (or on an
 * error, then in @error). */
gboolean    _motcua_store_cases_procedure (MotcuaReplica        *store,
                                           const char           *code,
                                           MotcuaProcedureInfo  *out,
                                           gboolean             *found,
                                           GError              **error);
gboolean    _motcua_store_cases_processing_days (MotcuaReplica   *store,
                                                 gint64           rid,
                                                 gint64          *days,
                                                 MotcuaTimeUnit  *unit,
                                                 char           **received_at,
                                                 GError         **error);
int         _motcua_store_cases_procedure_documents (MotcuaReplica     *store,
                                                     const MotcuaUuid  *id,
                                                     GError           **error);

/* The cases of office @office, as a reorganisation that ends it sees them: @each is given the
 * receipt number of every open case it handles (not resolved), oldest first; @n_closed counts
 * the resolved cases received there, which stay. */
typedef gboolean (*MotcuaStoreReceiptFunc) (const char  *receipt_no,
                                            gpointer     user_data,
                                            GError     **error);
gboolean    _motcua_store_cases_at_office (MotcuaReplica           *store,
                                           const MotcuaUuid        *office,
                                           MotcuaStoreReceiptFunc   each,
                                           gpointer                 user_data,
                                           gint64                  *n_closed,
                                           GError                 **error);

G_END_DECLS
