/* motcua-cases-page.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "motcua-session.h"

G_BEGIN_DECLS

#define MOTCUA_TYPE_CASES_PAGE (motcua_cases_page_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaCasesPage, motcua_cases_page, MOTCUA, CASES_PAGE, AdwBin)

void motcua_cases_page_set_session (MotcuaCasesPage *self,
                                    MotcuaSession *session);
void motcua_cases_page_focus_search (MotcuaCasesPage *self);
/* Opens the case page of @key (a receipt number or case id). */
void motcua_cases_page_show_case    (MotcuaCasesPage *self,
                                     const char      *key);

G_END_DECLS
