/* motcua-window.h: the desk's main window
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "motcua-application.h"
#include "motcua-session.h"

G_BEGIN_DECLS

#define MOTCUA_TYPE_WINDOW (motcua_window_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaWindow, motcua_window, MOTCUA, WINDOW, AdwApplicationWindow)

G_GNUC_WARN_UNUSED_RESULT
MotcuaWindow  *motcua_window_new          (MotcuaApplication *application);
/* Opens the replica at @path; on failure the first-run page says why. */
gboolean       motcua_window_open_replica (MotcuaWindow      *self,
                                           const char        *path);
MotcuaSession *motcua_window_get_session  (MotcuaWindow      *self);
/* Shows page @name: reception, cases, catalogue, reports, sync, conflicts. */
void           motcua_window_show_page    (MotcuaWindow      *self,
                                           const char        *name);
GtkWidget     *motcua_window_get_page     (MotcuaWindow      *self,
                                           const char        *name);
const char    *motcua_window_get_visible_page (MotcuaWindow  *self);
/* The clock warning shown, or NULL when none is. */
const char    *motcua_window_get_clock_warning (MotcuaWindow *self);

/* Opens the dialog that previews, and may apply, the reorganisation in @path: a
 * MotcuaReorganisationDialog (borrowed), or NULL with no replica open. */
GtkWindow     *motcua_window_open_reorganisation (MotcuaWindow   *self,
                                                  const char     *path);

/* A toast in the window that holds @widget. */
void           motcua_window_toast        (GtkWidget         *widget,
                                           const char        *message);
void           motcua_window_add_toast    (GtkWidget         *widget,
                                           AdwToast          *toast);

G_END_DECLS
