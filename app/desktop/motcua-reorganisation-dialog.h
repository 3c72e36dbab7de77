/* motcua-reorganisation-dialog.h: a published reorganisation, previewed and applied
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "motcua-window.h"

G_BEGIN_DECLS

#define MOTCUA_TYPE_REORGANISATION_DIALOG (motcua_reorganisation_dialog_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaReorganisationDialog, motcua_reorganisation_dialog, MOTCUA,
                      REORGANISATION_DIALOG, AdwWindow)

/* A dialog over @window's replica that reads the reorganisation in @path and says, step by
 * step, what applying it would do; its Apply button applies it, when the replica may. */
G_GNUC_WARN_UNUSED_RESULT
MotcuaReorganisationDialog *motcua_reorganisation_dialog_new (MotcuaWindow *window,
                                                              const char   *path);
/* Whether it is reading the file or applying it ("busy" notifies the change). */
gboolean motcua_reorganisation_dialog_get_busy (MotcuaReorganisationDialog *self);

G_END_DECLS
