/* motcua-cli-output.h: text tables and JSON for motcua-cli
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <motcua/motcua.h>

G_BEGIN_DECLS

/* Output is UTF-8 whatever the locale says: scripts read it, and JSON must be UTF-8. */
void        motcua_cli_print              (const char        *format,
                                           ...) G_GNUC_PRINTF (1, 2);
void        motcua_cli_print_text         (const char        *text);
/* "motcua-cli: @message" on one line of standard error. */
void        motcua_cli_print_error        (const char        *message);
/* A line for people on standard error, beside output that scripts read: a notice, not an
 * error. */
void        motcua_cli_print_notice       (const char        *format,
                                           ...) G_GNUC_PRINTF (1, 2);
/* @error as JSON on standard output, in the shape of the server's errors (sync/PROTOCOL.md):
 * {"error": {"code": "…", "message": "…"}}, for a script that reads JSON whatever happens. */
void        motcua_cli_print_json_error   (const GError      *error);

/* A table of text, its columns as wide as their widest cell. */
typedef struct _MotcuaCliTable MotcuaCliTable;

MotcuaCliTable *motcua_cli_table_new      (const char        *first_heading,
                                           ...) G_GNUC_NULL_TERMINATED;
/* A table of labels and values, without headings. */
MotcuaCliTable *motcua_cli_table_new_fields (void);
/* Adds a row of exactly as many cells as the table has columns; NULL cells print as “—”. */
void        motcua_cli_table_add_row      (MotcuaCliTable    *table,
                                           ...);
void        motcua_cli_table_add_field    (MotcuaCliTable    *table,
                                           const char        *label,
                                           const char        *value);
void        motcua_cli_table_take_field   (MotcuaCliTable    *table,
                                           const char        *label,
                                           char              *value);
/* Prints the table, each line after @indent spaces. */
void        motcua_cli_table_print        (MotcuaCliTable    *table,
                                           guint              indent);
void        motcua_cli_table_free         (MotcuaCliTable    *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaCliTable, motcua_cli_table_free)

/* How many columns @text takes on a terminal. */
guint       motcua_cli_text_width         (const char        *text);

/* JSON: pretty-printed, with a final newline. */
void        motcua_cli_print_json         (JsonNode          *node);
void        motcua_cli_print_builder      (JsonBuilder       *builder);
void        motcua_cli_json_add_string    (JsonBuilder       *builder,
                                           const char        *member,
                                           const char        *value);
void        motcua_cli_json_add_int       (JsonBuilder       *builder,
                                           const char        *member,
                                           gint64             value);
void        motcua_cli_json_add_boolean   (JsonBuilder       *builder,
                                           const char        *member,
                                           gboolean           value);
void        motcua_cli_json_add_strv      (JsonBuilder       *builder,
                                           const char        *member,
                                           const char *const *values);

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
char       *motcua_cli_papers_to_string     (const GArray    *papers);
gboolean    motcua_cli_case_has_paper       (const MotcuaCase *record,
                                             guint             index);
/* The value of a change ("mv"): NULL, or an integer or a string in @int_out / the result. */
char       *motcua_cli_change_value_to_string (GVariant      *value);

G_END_DECLS
