/* motcua-reception-page.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "motcua-session.h"

G_BEGIN_DECLS

#define MOTCUA_TYPE_RECEPTION_PAGE (motcua_reception_page_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaReceptionPage, motcua_reception_page, MOTCUA, RECEPTION_PAGE, AdwBin)

void motcua_reception_page_set_session (MotcuaReceptionPage *self,
                                        MotcuaSession *session);
/* Clears the form for the next applicant and puts the focus in the procedure search. */
void motcua_reception_page_reset       (MotcuaReceptionPage *self);
void motcua_reception_page_focus_search (MotcuaReceptionPage *self);

G_END_DECLS
