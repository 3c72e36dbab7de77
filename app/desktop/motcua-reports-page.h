/* motcua-reports-page.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "motcua-session.h"

G_BEGIN_DECLS

#define MOTCUA_TYPE_REPORTS_PAGE (motcua_reports_page_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaReportsPage, motcua_reports_page, MOTCUA, REPORTS_PAGE, AdwBin)

void          motcua_reports_page_set_session (MotcuaReportsPage *self,
                                               MotcuaSession     *session);
/* The report shown (NULL while the first one is computed), and a PDF of it. */
MotcuaReport *motcua_reports_page_get_report (MotcuaReportsPage *self);
gboolean      motcua_reports_page_save_pdf   (MotcuaReportsPage *self,
                                              const char        *path,
                                              GError           **error);

G_END_DECLS
