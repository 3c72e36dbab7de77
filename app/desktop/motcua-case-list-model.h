/* motcua-case-list-model.h: the cases of a replica as a GListModel, loaded in pages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "motcua-case-item.h"
#include "motcua-session.h"

G_BEGIN_DECLS

#define MOTCUA_TYPE_CASE_LIST_MODEL (motcua_case_list_model_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaCaseListModel, motcua_case_list_model, MOTCUA, CASE_LIST_MODEL,
                      GObject)

/* Rows per query. */
#define MOTCUA_CASE_LIST_PAGE_SIZE 100

/* A list of the cases matching a filter, newest first. Its length comes from one count query
 * (until then it grows a page at a time as the view reaches its end); items are placeholders (MotcuaCaseItem) until the page holding them is loaded, in the
 * session's worker thread, when they fill in and notify. Only the pages asked for are loaded and
 * only the last few are kept: the model never holds the whole table. */
G_GNUC_WARN_UNUSED_RESULT
MotcuaCaseListModel *motcua_case_list_model_new        (MotcuaSession          *session);

/* Replaces the filter (its strings are copied; offset and limit are ignored) and reloads. */
void                 motcua_case_list_model_set_filter (MotcuaCaseListModel    *self,
                                                        const MotcuaCaseFilter *filter);
/* Counts again and drops every loaded page (after a write or a sync). */
void                 motcua_case_list_model_reload     (MotcuaCaseListModel    *self);
/* TRUE while a count or a page is being loaded. */
gboolean             motcua_case_list_model_get_loading (MotcuaCaseListModel   *self);
/* TRUE until the matches are counted: meanwhile the list ends a page past the rows read. */
gboolean             motcua_case_list_model_get_counting (MotcuaCaseListModel  *self);
/* Pages loaded since the model was made (for tests and the benchmark). */
guint                motcua_case_list_model_get_n_pages_loaded (MotcuaCaseListModel *self);

G_END_DECLS
