/* motcua-preferences-window.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "motcua-application.h"
#include "motcua-window.h"

G_BEGIN_DECLS

#define MOTCUA_TYPE_PREFERENCES_WINDOW (motcua_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaPreferencesWindow, motcua_preferences_window, MOTCUA,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

/* @window (nullable): the desk whose replica the window describes. */
G_GNUC_WARN_UNUSED_RESULT
MotcuaPreferencesWindow *motcua_preferences_window_new (MotcuaApplication *application,
                                                        MotcuaWindow      *window);

G_END_DECLS
