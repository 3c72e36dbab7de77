/* motcua-cases-private.h: what the files of cases share: the cases' columns, reading a case,
 * writing one with its timeline event, the rules its values obey, the due date and the next
 * receipt number
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-store-cases-private.h"
#include "motcua-timeline-private.h"

G_BEGIN_DECLS

/* The columns of cases, by index (MOTCUA_CASE_COLUMNS, motcua-replica-private.h): C_RECEIPT_NO,
 * C_PROCEDURE_ID, … C_DELETED. */
#define CASE_COLUMN_INDEX(id, name, kind, label, editable) C_##id,
enum
{
  MOTCUA_CASE_COLUMNS (CASE_COLUMN_INDEX)
  N_CASE_COLUMNS
};
#undef CASE_COLUMN_INDEX

#define BIT(c) (G_GUINT64_CONSTANT (1) << (c))

static inline const MotcuaTableDesc *
_motcua_cases_table (void)
{
  return _motcua_table_lookup (MOTCUA_TABLE_CASES);
}

/* Reading (motcua-cases.c): the case of a row of the store; @acked says which rows are still
 * pending. */
MotcuaCase *_motcua_case_from_row       (const MotcuaStoreCaseRow *row,
                                         guint64                  acked);
MotcuaCase *_motcua_case_dup_by_rid     (MotcuaReplica           *self,
                                         gint64                   rid,
                                         GError                 **error);
/* The case @key (a receipt number or an id), its rid in @rid and its id in @id. */
MotcuaCase *_motcua_case_dup_by_key     (MotcuaReplica           *self,
                                         const char              *key,
                                         gint64                  *rid,
                                         MotcuaUuid              *id,
                                         GError                 **error);
/* Writes @mask of @values of case @id, checked (_motcua_case_check_values()), with an event
 * @action saying @facts (motcua-cases.c). Inside a transaction. */
gboolean    _motcua_case_write          (MotcuaReplica           *self,
                                         const MotcuaUuid        *id,
                                         MotcuaValue             *values,
                                         guint64                  mask,
                                         MotcuaHlc                hlc,
                                         const char              *at,
                                         const char              *action,
                                         const MotcuaEventFacts  *facts,
                                         const char              *note,
                                         GError                 **error);

/* The rules of values (motcua-case-values.c). Papers are stored as a JSON list of distinct
 * document numbers below @n_documents. */
char       *_motcua_papers_to_string    (const guint             *papers,
                                         guint                    n_papers,
                                         guint                    n_documents,
                                         GError                 **error);
gboolean    _motcua_papers_parse        (const char              *text,
                                         GArray                  *out,
                                         GError                 **error);
gboolean    _motcua_check_channel       (int                      channel,
                                         GError                 **error);
gboolean    _motcua_check_priority_name (const char              *value,
                                         MotcuaPriority          *out,
                                         GError                 **error);
/* The rules of _motcua_case_check_value() over the columns @mask of a row about to be
 * written. */
gboolean    _motcua_case_check_values   (MotcuaReplica           *self,
                                         const MotcuaValue       *values,
                                         guint64                  mask,
                                         const MotcuaUuid        *procedure_id,
                                         GError                 **error);

/* The due date (YYYY-MM-DD) of a time limit of @amount @unit whose clock starts at @start: a
 * day YYYY-MM-DD (from its beginning) or an ISO 8601 moment; working and calendar days count
 * from its day, hours from the moment (motcua-deadlines.c). */
gboolean    _motcua_due_date_for        (MotcuaReplica           *self,
                                         const char              *start,
                                         MotcuaTimeUnit           unit,
                                         guint                    amount,
                                         char                     out[11],
                                         GError                 **error);
/* Where the clock of a case counts from, as its row keeps it: the moment it was received when
 * its clock started that day, else the beginning of its clock's day (an online dossier moved
 * to the next working day; a resubmission, whose moment the row does not keep). */
const char *_motcua_clock_start_moment  (const char              *received_at,
                                         const char              *clock_start);
/* The last moment (YYYY-MM-DDTHH:MM:SS+07:00, in @out) of a limit of @hours hours whose clock
 * starts at @start (an ISO 8601 moment, or a day from its beginning); FALSE if @start is
 * neither or @hours out of range. */
gboolean    _motcua_hours_limit_end     (const char              *start,
                                         guint                    hours,
                                         char                     out[26]);
/* The day the clock of a case received at @received_at (ISO 8601) through @channel starts:
 * the day of receipt, but for an online dossier received after the cut-off time or on a day
 * off the next working day (@moved_out: TRUE then). */
gboolean    _motcua_clock_start_for     (MotcuaReplica           *self,
                                         MotcuaChannel            channel,
                                         const char              *received_at,
                                         char                     day_out[11],
                                         gboolean                *moved_out,
                                         GError                 **error);

/* The next receipt number of @office_id (code @office_code) for @year (motcua-receipts.c).
 * Inside a transaction. */
char       *_motcua_receipt_next        (MotcuaReplica           *self,
                                         const MotcuaUuid        *office_id,
                                         const char              *office_code,
                                         int                      year,
                                         GError                 **error);

/* Corrects @field of the case @key to @value, with an "edited" event carrying @note and, when
 * the correction resolves a conflict, its id @conflict (motcua-corrections.c). Inside a
 * transaction. */
gboolean    _motcua_case_edit_in_tx     (MotcuaReplica           *self,
                                         const char              *key,
                                         const char              *field,
                                         const char              *value,
                                         const char              *note,
                                         const MotcuaUuid        *conflict,
                                         GError                 **error);

/* Whether this replica only received case @c, which an office outside its jurisdiction decides:
 * such a desk hands the result back, takes a withdrawal and keeps the applicant's contact and
 * rating, and writes nothing else of it (the server refuses the rest too). */
gboolean    _motcua_case_received_only  (MotcuaReplica           *self,
                                         const MotcuaCase        *c);

/* Moves the open case @key to @office_code's handling, with a "transferred" event carrying
 * @note (motcua-case-steps.c). Inside a transaction. */
gboolean    _motcua_case_transfer_in_tx (MotcuaReplica           *self,
                                         const char              *key,
                                         const char              *office_code,
                                         const char              *note,
                                         GError                 **error);

G_END_DECLS
