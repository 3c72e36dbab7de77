/* motcua-apology-slip.h: the apology handed to the applicant of a late case, with the new date
 * for the result (phiếu xin lỗi và hẹn lại ngày trả kết quả), printed or saved as PDF: the
 * receipt's sibling
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <motcua/motcua.h>

G_BEGIN_DECLS

typedef struct
{
  char *office_name;
  char *receipt_no;
  char *procedure_code;
  char *procedure_name;
  char *applicant_name;
  char *citizen_id;
  char *received_at;     /* ISO 8601 */
  char *due_date;        /* the legal due date, YYYY-MM-DD */
  char *new_date;        /* the date promised, YYYY-MM-DD */
  char *reason;          /* the officer's words */
  char *officer;
  char *issued_at;       /* ISO 8601: when the apology was recorded */
} MotcuaApologySlip;

/* The slip of the latest apology of @record (its "apologised" event); an error when the case
 * has none. */
G_GNUC_WARN_UNUSED_RESULT
MotcuaApologySlip *motcua_apology_slip_new_for_case (MotcuaReplica            *replica,
                                                     const MotcuaCase         *record,
                                                     GError                  **error);
void               motcua_apology_slip_free         (MotcuaApologySlip        *self);

/* Draws the slip on a page of @width × @height points (A5 portrait is 420 × 595). */
void               motcua_apology_slip_draw         (const MotcuaApologySlip  *self,
                                                     cairo_t                  *cr,
                                                     double                    width,
                                                     double                    height);
gboolean           motcua_apology_slip_save_pdf     (const MotcuaApologySlip  *self,
                                                     const char               *path,
                                                     GError                  **error);
/* Opens the print dialog; @copies from the preferences. */
void               motcua_apology_slip_print        (const MotcuaApologySlip  *self,
                                                     GtkWindow                *parent,
                                                     int                       copies);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaApologySlip, motcua_apology_slip_free)

G_END_DECLS
