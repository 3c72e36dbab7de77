/* motcua-cli-private.h: what the command files of motcua-cli share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <motcua/motcua.h>

#include "motcua-cli.h"
#include "motcua-command.h"
#include "motcua-output.h"

G_BEGIN_DECLS

typedef struct _MotcuaCli MotcuaCli;

/* The tool's state: the framework's part, then the global options and the replica. */
struct _MotcuaCli
{
  MotcuaTool     tool;
  char          *db_path;   /* --db, $MOTCUA_DB or motcua.db */
  char          *officer;   /* --officer, $MOTCUA_OFFICER or NULL: the user name */

  MotcuaReplica *replica;   /* opened on demand */
};

#define MOTCUA_CLI(tool) ((MotcuaCli *) (tool))

/* The replica named by --db, opened once, with the officer set. Borrowed. */
MotcuaReplica *motcua_cli_get_replica    (MotcuaTool         *tool,
                                          GError            **error);

/* Groups several library calls into one transaction: either all of them or none is written. */
gboolean       motcua_cli_begin          (MotcuaTool         *tool,
                                          GError            **error);
gboolean       motcua_cli_finish         (MotcuaTool         *tool,
                                          gboolean            ok,
                                          GError            **error);

/* An import command: parses FILE [--format json|csv] and imports it as @kind. */
gboolean       motcua_cli_run_import     (MotcuaTool         *tool,
                                          int                 argc,
                                          char              **argv,
                                          MotcuaImportKind    kind,
                                          GError            **error);

extern const MotcuaCommand motcua_cli_calendar_commands[];
extern const MotcuaCommand motcua_cli_catalogue_commands[];
extern const MotcuaCommand motcua_cli_cases_commands[];
extern const MotcuaCommand motcua_cli_conflicts_commands[];
extern const MotcuaCommand motcua_cli_rejected_commands[];
extern const MotcuaCommand motcua_cli_attachment_commands[];
gboolean motcua_cli_cmd_attach      (MotcuaTool  *tool,
                                     int          argc,
                                     char       **argv,
                                     GError     **error);
gboolean motcua_cli_cmd_attachments (MotcuaTool  *tool,
                                     int          argc,
                                     char       **argv,
                                     GError     **error);
/* A case, with its timeline (text or --json), a case alone as JSON, and a list
 * (motcua-cli-case-view.c). */
gboolean motcua_cli_print_case      (MotcuaTool  *tool,
                                     const char  *key,
                                     GError     **error);
gboolean motcua_cli_print_case_json (MotcuaTool  *tool,
                                     const char  *key,
                                     gboolean     with_events,
                                     GError     **error);
void     motcua_cli_print_case_list (MotcuaTool  *tool,
                                     GPtrArray   *cases);
/* cases apologise (motcua-cli-apology.c) */
gboolean motcua_cli_cmd_apologise   (MotcuaTool  *tool,
                                     int          argc,
                                     char       **argv,
                                     GError     **error);

gboolean motcua_cli_cmd_enroll (MotcuaTool  *tool,
                                int          argc,
                                char       **argv,
                                GError     **error);
gboolean motcua_cli_cmd_sync   (MotcuaTool  *tool,
                                int          argc,
                                char       **argv,
                                GError     **error);
extern const MotcuaCommand motcua_cli_sync_commands[];

G_END_DECLS
