/* motcua-output.h: what motcua-cli and motcua-server print: text, tables, JSON, errors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Output is UTF-8 whatever the locale says: scripts read it, and JSON must be UTF-8. */
void        motcua_print              (const char        *format,
                                       ...) G_GNUC_PRINTF (1, 2);
void        motcua_print_text         (const char        *text);
/* The program's name, then @message, on one line of standard error ("motcua-cli: …"). The
 * name is the one motcua_tool_main() was given. */
void        motcua_print_error        (const char        *message);
/* A line for people on standard error, beside output that scripts read: a notice, not an
 * error. */
void        motcua_print_notice       (const char        *format,
                                       ...) G_GNUC_PRINTF (1, 2);
/* @error as JSON on standard output, in the shape of the server's errors (sync/PROTOCOL.md):
 * {"error": {"code": "…", "message": "…"}}, for a script that reads JSON whatever happens. */
void        motcua_print_json_error   (const GError      *error);
/* The name motcua_print_error() starts its lines with. */
void        motcua_output_set_program (const char        *program);

/* A table of text, its columns as wide as their widest cell. */
typedef struct _MotcuaTable MotcuaTable;

MotcuaTable *motcua_table_new         (const char        *first_heading,
                                       ...) G_GNUC_NULL_TERMINATED G_GNUC_WARN_UNUSED_RESULT;
/* A table of @n_columns columns, filled cell by cell with motcua_table_take_cell(). */
MotcuaTable *motcua_table_new_columns (guint              n_columns) G_GNUC_WARN_UNUSED_RESULT;
/* A table of labels and values, without headings. */
MotcuaTable *motcua_table_new_fields  (void) G_GNUC_WARN_UNUSED_RESULT;
/* Adds a row of exactly as many cells as the table has columns; NULL cells print as “—”. */
void        motcua_table_add_row      (MotcuaTable       *table,
                                       ...);
/* Adds one cell to the row being filled, and takes @text. */
void        motcua_table_take_cell    (MotcuaTable       *table,
                                       char              *text);
void        motcua_table_add_field    (MotcuaTable       *table,
                                       const char        *label,
                                       const char        *value);
void        motcua_table_take_field   (MotcuaTable       *table,
                                       const char        *label,
                                       char              *value);
/* Prints the table, each line after @indent spaces. */
void        motcua_table_print        (MotcuaTable       *table,
                                       guint              indent);
void        motcua_table_free         (MotcuaTable       *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaTable, motcua_table_free)

/* How many columns @text takes on a terminal. */
guint       motcua_text_width         (const char        *text);

/* JSON: pretty-printed, with a final newline. */
void        motcua_print_json         (JsonNode          *node);
void        motcua_print_builder      (JsonBuilder       *builder);
/* A member; a NULL string is null. */
void        motcua_json_add_string    (JsonBuilder       *builder,
                                       const char        *member,
                                       const char        *value);
void        motcua_json_add_int       (JsonBuilder       *builder,
                                       const char        *member,
                                       gint64             value);
void        motcua_json_add_boolean   (JsonBuilder       *builder,
                                       const char        *member,
                                       gboolean           value);
void        motcua_json_add_strv      (JsonBuilder       *builder,
                                       const char        *member,
                                       const char *const *values);

G_END_DECLS
