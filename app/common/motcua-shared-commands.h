/* motcua-shared-commands.h: the commands motcua-cli and motcua-server both have
 *
 * Both programs report on a replica and import files into it; only which replica (the desk's, or
 * the server's store) and what they say after an import differ.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <motcua/motcua.h>

#include "motcua-command.h"

G_BEGIN_DECLS

/* report [--office CODE] --from DATE --to DATE [--format text|csv|json]: the one-stop report
 * of an office (by default the replica's own) and the offices below it. */
gboolean motcua_cmd_report          (MotcuaTool            *tool,
                                     int                    argc,
                                     char                 **argv,
                                     GError               **error);

/* reorganisation preview|apply FILE (motcua-reorganisation-commands.c). */
extern const MotcuaCommand motcua_reorganisation_commands[];

/* offices list: the office tree. */
gboolean motcua_cmd_offices_list    (MotcuaTool            *tool,
                                     int                    argc,
                                     char                 **argv,
                                     GError               **error);

/* conflicts list [--all]: parses the command line and returns the replica's open conflicts
 * (all of them with --all, which @all_help describes), for the program to print; @replica is set
 * to the replica they are of. Returns NULL as motcua_tool_parse_and_open() does. */
GPtrArray *motcua_tool_list_conflicts (MotcuaTool            *tool,
                                       int                    argc,
                                       char                 **argv,
                                       const char            *all_help,
                                       MotcuaReplica        **replica,
                                       gboolean              *all,
                                       GError               **error);

/* conflicts show ID: parses the command line and returns that conflict of the replica (set in
 * @replica), for the program to print. Returns NULL as motcua_tool_parse_and_open() does. */
MotcuaConflict *motcua_tool_dup_conflict (MotcuaTool          *tool,
                                          int                  argc,
                                          char               **argv,
                                          MotcuaReplica      **replica,
                                          GError             **error);

/* conflicts resolve ID --keep a|b | --value TEXT: resolves that conflict of the replica, and
 * returns it resolved, for the program to say so. Returns NULL as motcua_tool_parse_args()
 * returns FALSE. */
MotcuaConflict *motcua_tool_resolve_conflict (MotcuaTool      *tool,
                                              int              argc,
                                              char           **argv,
                                              GError         **error);

/* Removes the database file at @path and its -wal and -shm: what a failed init leaves. */
void     motcua_remove_replica_files (const char           *path);

/* Says in words what an import did: @n_rows of @kind from @path. */
typedef void (*MotcuaPrintImportFunc) (const char       *path,
                                       MotcuaImportKind  kind,
                                       guint             n_rows);

/* An import command, FILE [--format json|csv]: imports FILE into the replica as @kind, then
 * prints what it did with @print_import, or with --json as {"file": …, "kind": …,
 * "imported": N}. */
gboolean motcua_tool_run_import     (MotcuaTool            *tool,
                                     int                    argc,
                                     char                 **argv,
                                     MotcuaImportKind       kind,
                                     MotcuaPrintImportFunc  print_import,
                                     GError               **error);

/* What an import did, in words: "Imported 18 offices from FILE." */
void     motcua_print_imported      (const char            *path,
                                     MotcuaImportKind       kind,
                                     guint                  n_rows);
/* What an import did, as JSON. */
void     motcua_print_import_json   (const char            *path,
                                     MotcuaImportKind       kind,
                                     guint                  n_rows);

G_END_DECLS
