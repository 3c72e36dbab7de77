/* motcua-catalogue-page.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "motcua-session.h"

G_BEGIN_DECLS

#define MOTCUA_TYPE_CATALOGUE_PAGE (motcua_catalogue_page_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaCataloguePage, motcua_catalogue_page, MOTCUA, CATALOGUE_PAGE, AdwBin)

void motcua_catalogue_page_set_session (MotcuaCataloguePage *self,
                                        MotcuaSession *session);
void motcua_catalogue_page_focus_search   (MotcuaCataloguePage *self);
void motcua_catalogue_page_show_procedure (MotcuaCataloguePage *self,
                                           const char          *code);

G_END_DECLS
