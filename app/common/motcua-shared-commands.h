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

/* The program's replica, opened once; @write: the command is about to write to it. Borrowed. */
typedef MotcuaReplica *(*MotcuaGetReplicaFunc) (MotcuaTool  *tool,
                                                gboolean     write,
                                                GError     **error);

/* report [--office CODE] --from DATE --to DATE [--format text|csv|json]; @office_help says
 * which office is the default: the replica's own. */
gboolean motcua_tool_run_report     (MotcuaTool            *tool,
                                     int                    argc,
                                     char                 **argv,
                                     const char            *office_help,
                                     MotcuaGetReplicaFunc   get_replica,
                                     GError               **error);

/* The arguments of an import command, FILE [--format json|csv]; returns FALSE as
 * motcua_tool_parse_args() does. */
gboolean motcua_tool_parse_import   (MotcuaTool            *tool,
                                     int                    argc,
                                     char                 **argv,
                                     char                 **path,
                                     MotcuaImportFormat    *format,
                                     GError               **error);

/* What an import did, as JSON: {"file": …, "kind": …, "imported": N}. */
void     motcua_print_import_json   (const char            *path,
                                     MotcuaImportKind       kind,
                                     guint                  n_rows);

G_END_DECLS
