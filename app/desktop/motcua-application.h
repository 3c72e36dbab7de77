/* motcua-application.h: the desk application
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MOTCUA_APPLICATION_ID "vn.gov.motcua.Desk"

#define MOTCUA_TYPE_APPLICATION (motcua_application_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaApplication, motcua_application, MOTCUA, APPLICATION, AdwApplication)

G_GNUC_WARN_UNUSED_RESULT
MotcuaApplication *motcua_application_new          (void);
GSettings         *motcua_application_get_settings (MotcuaApplication *self);

G_END_DECLS
