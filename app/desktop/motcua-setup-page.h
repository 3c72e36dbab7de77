/* motcua-setup-page.h: the first run: create a local replica or enroll with a server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MOTCUA_TYPE_SETUP_PAGE (motcua_setup_page_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaSetupPage, motcua_setup_page, MOTCUA, SETUP_PAGE, AdwBin)

/* Says why the replica could not be opened, or NULL. */
void motcua_setup_page_set_error (MotcuaSetupPage *self,
                                  const char      *message);

/* The folder of sample data: offices, catalogue, calendars. */
G_GNUC_WARN_UNUSED_RESULT
char *motcua_setup_dup_data_dir  (void);

G_END_DECLS
