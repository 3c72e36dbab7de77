/* motcua-case-item.h: one row of the case list, filled in when its page arrives
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>
#include <motcua/motcua.h>

G_BEGIN_DECLS

#define MOTCUA_TYPE_CASE_ITEM (motcua_case_item_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaCaseItem, motcua_case_item, MOTCUA, CASE_ITEM, GObject)

G_GNUC_WARN_UNUSED_RESULT
MotcuaCaseItem   *motcua_case_item_new        (guint             position);
guint             motcua_case_item_get_position (MotcuaCaseItem  *self);
/* NULL until loaded. */
const MotcuaCase *motcua_case_item_get_case   (MotcuaCaseItem   *self);
/* Fills the item with @record (copied); @today ("YYYY-MM-DD") decides whether it is overdue. */
void              motcua_case_item_set_case   (MotcuaCaseItem   *self,
                                               const MotcuaCase *record,
                                               const char       *today);
gboolean          motcua_case_item_get_loaded (MotcuaCaseItem   *self);
gboolean          motcua_case_item_get_overdue (MotcuaCaseItem  *self);

G_END_DECLS
