/* motcua-domain-private.h: the domain layer's own calls
 *
 * Lookups by natural key (motcua-cases.c, motcua-catalogue.c), the rules a case's values obey
 * (motcua-case-values.c), its due date (motcua-reception.c), waiting changes sent again
 * (motcua-rejected.c) and the receipt numbers leased to the replica (motcua-receipts.c). The
 * hub calls the rules, so that a push obeys what a desk's own writes do. It includes the store's
 * headers of the rows the domain reads (motcua-store-*-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-attachments.h"
#include "motcua-replication-private.h"
#include "motcua-store-attachments-private.h"
#include "motcua-store-catalogue-private.h"
#include "motcua-store-conflicts-private.h"
#include "motcua-store-export-private.h"
#include "motcua-store-leases-private.h"
#include "motcua-store-receipts-private.h"
#include "motcua-store-rejected-private.h"
#include "motcua-store-replicas-private.h"
#include "motcua-store-report-private.h"

G_BEGIN_DECLS

/* Grants @count numbers of @office_code's series for @year from the province's lease counter:
 * to a desk's lease (@token_id), or to the province's own desk ("hub"). FALSE with
 * MOTCUA_ERROR_NOT_AVAILABLE when the generation's numbers are spent (motcua-receipts.c). */
gboolean      _motcua_receipt_grant        (MotcuaReplica     *self,
                                            const char        *token_id,
                                            const char        *office_code,
                                            const MotcuaUuid  *office_id,
                                            int                year,
                                            guint              count,
                                            gint64            *first_out,
                                            GError           **error);

/* Lookups by natural key; FALSE with MOTCUA_ERROR_NOT_FOUND naming the field. */
/* An office or procedure code: 1–40 capital letters, digits, dots, dashes or underscores. */
gboolean      _motcua_check_code          (const char     *field,
                                           const char     *code,
                                           GError        **error);

/* Whether the office @code was in force on @day, so that it could receive a dossier then: an
 * error naming its dates (and its successor) when not. */
gboolean      _motcua_office_check_open   (MotcuaReplica  *self,
                                           const char     *code,
                                           const char     *day,
                                           GError        **error);

/* The office in charge today of what @code was given: @code until it ends, then its successor
 * (followed through later ends). @chain (may be NULL) gets the codes of the ended offices
 * passed on the way, first to last. */
MotcuaOffice *_motcua_office_in_charge_today (MotcuaReplica  *self,
                                              const char     *code,
                                              GPtrArray      *chain,
                                              GError        **error);

/* Moves the open cases handled by each office of @ended (codes) to the office in charge on
 * @day, with @note (NULL: one saying which office ended) on their timeline; adds to
 * @n_moved. Inside a transaction (motcua-reorganisation.c). */
gboolean      _motcua_offices_move_open_cases (MotcuaReplica  *self,
                                               GPtrArray      *ended,
                                               const char     *day,
                                               const char     *note,
                                               guint          *n_moved,
                                               GError        **error);

/* The same for every office of this replica's jurisdiction that ended before today with a
 * successor (motcua_replica_move_cases_of_ended_offices()). Inside a transaction. */
gboolean      _motcua_offices_move_cases_of_ended_in_tx (MotcuaReplica  *self,
                                                         guint          *n_moved,
                                                         GError        **error);

/* The tree of @offices (all of a replica's) on @day from @root_code, in tree order. */
GPtrArray    *_motcua_offices_tree_on     (GPtrArray      *offices,
                                           const char     *root_code,
                                           const char     *day,
                                           GError        **error);
/* The office of @offices named @code, or NULL. */
const MotcuaOffice *_motcua_offices_find  (GPtrArray      *offices,
                                           const char     *code);
/* The office in charge of @office's cases on @day: itself until it ends, then its successor's
 * (followed through later ends); NULL when an office on the way ended without one. */
const MotcuaOffice *_motcua_offices_in_charge_on (GPtrArray          *offices,
                                                  const MotcuaOffice *office,
                                                  const char         *day);

gboolean      _motcua_replica_office_id    (MotcuaReplica  *self,
                                            const char     *field,
                                            const char     *code,
                                            MotcuaUuid     *out,
                                            GError        **error);

gboolean      _motcua_replica_case_rid     (MotcuaReplica  *self,
                                            const char     *key,
                                            gint64         *rid_out,
                                            MotcuaUuid     *id_out,
                                            GError        **error);

/* Whether @value may be stored in the column @column (its index) of a case, by the rules the
 * replica's own writes obey (a citizen ID of 12 digits, a channel by name, real dates, papers
 * as a list, a procedure of the catalogue…): one definition, called where a replica writes a
 * case and where a hub is pushed a change to one (motcua-case-values.c). @procedure_id: the case's
 * procedure, to bound its papers by, or NULL. */
gboolean      _motcua_case_check_value     (MotcuaReplica      *self,
                                            guint               column,
                                            const MotcuaValue  *value,
                                            const MotcuaUuid   *procedure_id,
                                            GError            **error);

/* Whether @office is @root or an office below it. */
gboolean      _motcua_replica_office_within (MotcuaReplica    *self,
                                             const MotcuaUuid *office,
                                             const MotcuaUuid *root,
                                             GError          **error);

/* Sends again the changes that waited for the case @case_id, now that it came from the
 * server (motcua-rejected.c). Inside a transaction. */
gboolean      _motcua_replica_retry_waiting (MotcuaReplica     *self,
                                             const MotcuaUuid  *case_id,
                                             GError           **error);

/* The due date of case @rid if its clock started on @day (motcua-reception.c). */
gboolean      _motcua_replica_case_due_date (MotcuaReplica  *self,
                                             gint64          rid,
                                             const char     *day,
                                             char            out[11],
                                             GError        **error);

/* Whether a scan of @size bytes may be attached here: not empty, not past
 * MOTCUA_ATTACHMENT_MAX_SIZE (MOTCUA_ERROR_TOO_LARGE naming both) (motcua-attachments.c). The
 * client checks a scan it is about to fetch with it. */
gboolean      _motcua_attachment_check_size (guint64     size,
                                             GError    **error);

/* FALSE with MOTCUA_ERROR_NOT_FOUND when @a was removed from its case (motcua-attachments.c). */
gboolean      _motcua_attachment_check_not_removed (const MotcuaAttachment *a,
                                                    GError                **error);

G_END_DECLS
