/* motcua-receipt.h: the receipt handed to the applicant (giấy tiếp nhận hồ sơ và hẹn trả kết
 * quả), printed or saved as PDF
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <motcua/motcua.h>

G_BEGIN_DECLS

typedef struct
{
  char   *office_name;
  char   *receipt_no;
  char   *procedure_code;
  char   *procedure_name;
  char   *applicant_name;
  char   *citizen_id;
  char   *phone;
  char   *address;
  char   *channel;
  GStrv   papers;          /* the papers received, by name */
  char   *received_at;     /* ISO 8601 */
  char   *due_date;        /* YYYY-MM-DD */
  guint   processing_days; /* the procedure's time limit, in time_unit */
  MotcuaTimeUnit time_unit;
  char   *officer;
} MotcuaReceipt;

/* The receipt of @record, as received at this replica's office. */
G_GNUC_WARN_UNUSED_RESULT
MotcuaReceipt *motcua_receipt_new_for_case (MotcuaReplica       *replica,
                                            const MotcuaCase    *record,
                                            GError             **error);
void           motcua_receipt_free         (MotcuaReceipt       *self);

/* Draws the receipt on a page of @width × @height points (A5 portrait is 420 × 595). */
void           motcua_receipt_draw         (const MotcuaReceipt *self,
                                            cairo_t             *cr,
                                            double               width,
                                            double               height);
gboolean       motcua_receipt_save_pdf     (const MotcuaReceipt *self,
                                            const char          *path,
                                            GError             **error);
/* Opens the print dialog; @copies from the preferences. */
void           motcua_receipt_print        (const MotcuaReceipt *self,
                                            GtkWindow           *parent,
                                            int                  copies);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaReceipt, motcua_receipt_free)

G_END_DECLS
