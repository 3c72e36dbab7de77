/* motcua-offices.h: the office tree, as motcua-cli and motcua-server print it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <motcua/motcua.h>

G_BEGIN_DECLS

/* Orders offices by code, for g_ptr_array_sort(). */
int      motcua_compare_offices  (gconstpointer   a,
                                  gconstpointer   b);

/* An office as a JSON object, with its @depth in the tree unless @depth is -1. */
void     motcua_json_add_office  (JsonBuilder        *builder,
                                  const MotcuaOffice *office,
                                  int                 depth);

/* The offices of @replica in force on @day as that day's tree (NULL: every office, ended ones
 * too, each under its parent now): each below its parent, indented in text, with its depth in
 * JSON. An office whose parent is not there (partial data) is shown as a root. */
gboolean motcua_print_offices    (MotcuaReplica      *replica,
                                  const char         *day,
                                  gboolean            json,
                                  GError            **error);

G_END_DECLS
