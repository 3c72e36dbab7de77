/* motcua-store-report-private.h: the one-stop report's aggregation, one query over the cases
 * of an office's subtree (domain/motcua-report.c)
 *
 * The figures are counted inside SQL, by an aggregate that hands each case to the domain's
 * tally: the store knows the query and the index it runs on, the domain what a case counts as.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"
#include "motcua-report.h"

G_BEGIN_DECLS

/* A case as the report's tally sees it, with the period it is counted in: texts borrowed. */
typedef struct
{
  const char *from;          /* the period, days */
  const char *to;
  const char *as_of;         /* the day a case still open is judged on */
  const char *judged_at;     /* the moment it is judged at: now, or the end of @as_of */
  const char *received_at;
  const char *resolved_at;
  const char *due_date;
  const char *status;
  const char *channel;
  /* An hours limit, for a case resolved on its due date or open and due on @as_of (only these
   * can be late by the hour): its hours, and the day its clock starts; else -1 and NULL. */
  gint64      hours;
  const char *clock_start;
  gboolean    scanned;       /* a new case with a scan attached */
  gboolean    waiting_supplement;   /* its last status by the end of the period asks the
                                     * applicant for a supplement */
} MotcuaStoreReportCase;

/* Adds @c to @figures. */
typedef void     (*MotcuaStoreReportTally) (MotcuaReportFigures          *figures,
                                            const MotcuaStoreReportCase  *c);
/* The figures of the cases received by the office @office_id. */
typedef gboolean (*MotcuaStoreReportEach)  (const MotcuaUuid             *office_id,
                                            const MotcuaReportFigures    *figures,
                                            gpointer                      user_data,
                                            GError                      **error);

/* Reads happen in one transaction, so the subtree and the counts agree even if another
 * connection writes meanwhile: @started says whether begin started one (else the caller's
 * holds), for end to commit it. */
gboolean _motcua_store_report_begin_read (MotcuaReplica  *store,
                                          gboolean       *started,
                                          GError        **error);
void     _motcua_store_report_end_read   (MotcuaReplica  *store,
                                          gboolean        started);

/* Counts the cases received by the offices @office_codes (a JSON list) by the end of the period
 * @from–@to (@to_next: the day after it) and not closed before it starts, with @tally, judging
 * the open ones as of @as_of (at the moment @judged_at); calls @each once per office with
 * cases. @tally must be the same function at every call on one replica (it is registered once
 * per connection). */
gboolean _motcua_store_report_count      (MotcuaReplica           *store,
                                          const char              *office_codes,
                                          const char              *from,
                                          const char              *to,
                                          const char              *to_next,
                                          const char              *as_of,
                                          const char              *judged_at,
                                          MotcuaStoreReportTally   tally,
                                          MotcuaStoreReportEach    each,
                                          gpointer                 user_data,
                                          GError                 **error);

G_END_DECLS
