/* motcua-test-desk.h: what the desk's test and its benchmark wait for
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-case-item.h"
#include "motcua-case-list-model.h"

G_BEGIN_DECLS

/* @data, a MotcuaCaseListModel, is loading no page. */
static inline gboolean
motcua_test_model_settled (gpointer data)
{
  return !motcua_case_list_model_get_loading (MOTCUA_CASE_LIST_MODEL (data));
}

/* @data, a MotcuaCaseItem, holds its row. */
static inline gboolean
motcua_test_item_loaded (gpointer data)
{
  return motcua_case_item_get_loaded (MOTCUA_CASE_ITEM (data));
}

G_END_DECLS
