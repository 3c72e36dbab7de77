/* motcua-conflicts-page.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "motcua-session.h"

G_BEGIN_DECLS

#define MOTCUA_TYPE_CONFLICTS_PAGE (motcua_conflicts_page_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaConflictsPage, motcua_conflicts_page, MOTCUA, CONFLICTS_PAGE, AdwBin)

void motcua_conflicts_page_set_session (MotcuaConflictsPage *self,
                                        MotcuaSession *session);
/* The conflicts listed now (open, or all when resolved ones are shown). */
guint motcua_conflicts_page_get_n_shown (MotcuaConflictsPage *self);

G_END_DECLS
