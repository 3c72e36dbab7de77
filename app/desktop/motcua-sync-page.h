/* motcua-sync-page.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "motcua-session.h"

G_BEGIN_DECLS

#define MOTCUA_TYPE_SYNC_PAGE (motcua_sync_page_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaSyncPage, motcua_sync_page, MOTCUA, SYNC_PAGE, AdwBin)

void motcua_sync_page_set_session (MotcuaSyncPage *self,
                                   MotcuaSession *session);

G_END_DECLS
