/* motcua-cli-output.h: JSON and words for the records of motcua-cli
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <motcua/motcua.h>

#include "motcua-output.h"

G_BEGIN_DECLS

/* Records as JSON objects, added to @builder as a value (in an array or after a member name). */
void        motcua_cli_json_add_procedure (JsonBuilder           *builder,
                                           const MotcuaProcedure *procedure);
/* The members of a case (call inside an object). With @procedure, also "documents": each
 * required paper with its index and whether it was received. */
void        motcua_cli_json_add_case_members (JsonBuilder           *builder,
                                              const MotcuaCase      *record,
                                              const MotcuaProcedure *procedure);
void        motcua_cli_json_add_case      (JsonBuilder           *builder,
                                           const MotcuaCase      *record);
void        motcua_cli_json_add_case_event (JsonBuilder           *builder,
                                            const MotcuaCaseEvent *event);
void        motcua_cli_json_add_change    (JsonBuilder           *builder,
                                           const MotcuaChange    *change);

/* Words for values. */
const char *motcua_cli_sync_state_to_string (MotcuaSyncState  state);
char       *motcua_cli_levels_to_string     (guint            levels);
/* "the same day", "3 working days", "15 days", "8 hours". */
char       *motcua_cli_time_limit_to_string (guint            amount,
                                             MotcuaTimeUnit   unit);
char       *motcua_cli_papers_to_string     (const GArray    *papers);
gboolean    motcua_cli_case_has_paper       (const MotcuaCase *record,
                                             guint             index);
/* The value of a change ("mv"): NULL, or an integer or a string in @int_out / the result. */
char       *motcua_cli_change_value_to_string (GVariant      *value);

G_END_DECLS
