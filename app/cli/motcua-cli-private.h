/* motcua-cli-private.h: what the command files of motcua-cli share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <motcua/motcua.h>

#include "motcua-cli.h"
#include "motcua-exit.h"

G_BEGIN_DECLS

typedef struct _MotcuaCli        MotcuaCli;
typedef struct _MotcuaCliCommand MotcuaCliCommand;

/* Runs a command on its arguments (@argv[0] is the command's name). A usage error is reported
 * in the G_OPTION_ERROR domain; --help is not an error. */
typedef gboolean (*MotcuaCliCommandFunc) (MotcuaCli  *cli,
                                          int         argc,
                                          char      **argv,
                                          GError    **error);

struct _MotcuaCliCommand
{
  const char              *name;
  const char              *parameters;   /* "KEY STATUS", shown in the usage line */
  const char              *summary;      /* N_(): one line for lists and --help */
  MotcuaCliCommandFunc     func;         /* NULL for a group of subcommands */
  const MotcuaCliCommand  *subcommands;  /* NULL-terminated, for a group, or for a command
                                          * that also runs alone ("sync", "sync status") */
};

struct _MotcuaCli
{
  char                   *db_path;      /* --db, $MOTCUA_DB or motcua.db */
  char                   *officer;      /* --officer, $MOTCUA_OFFICER or NULL: the user name */
  gboolean                json;         /* --json */

  const MotcuaCliCommand *command;      /* the command being run */
  char                   *command_path; /* "cases receive" */
  gboolean                help_shown;   /* --help was asked for and printed */
  gboolean                json_errors;  /* with --json, a failure is also printed as JSON */

  MotcuaReplica          *replica;      /* opened on demand */
};

/* Parses the options of the current command (@entries, NULL-terminated, plus the global
 * options, which may also follow the command) and returns its positional arguments in
 * @positional. When --help was given it prints the help, sets @cli->help_shown and returns TRUE:
 * the command then returns TRUE at once. */
gboolean       motcua_cli_parse_options  (MotcuaCli          *cli,
                                          const GOptionEntry *entries,
                                          int                 argc,
                                          char              **argv,
                                          GStrv              *positional,
                                          GError            **error);
/* Checks that there are @min to @max positional arguments (@max -1: no limit). */
gboolean       motcua_cli_check_n_args   (MotcuaCli          *cli,
                                          const char *const  *positional,
                                          int                 min,
                                          int                 max,
                                          GError            **error);
/* A G_OPTION_ERROR_BAD_VALUE error: bad usage, exit status 2. */
void           motcua_cli_set_usage_error (GError            **error,
                                           const char         *format,
                                           ...) G_GNUC_PRINTF (2, 3);

/* The replica named by --db, opened once, with the officer set. Borrowed. */
MotcuaReplica *motcua_cli_get_replica    (MotcuaCli          *cli,
                                          GError            **error);

/* Groups several library calls into one transaction: either all of them or none is written. */
gboolean       motcua_cli_begin          (MotcuaCli          *cli,
                                          GError            **error);
gboolean       motcua_cli_finish         (MotcuaCli          *cli,
                                          gboolean            ok,
                                          GError            **error);

/* Argument parsers; each sets a usage error naming @option and the bad value. */
gboolean       motcua_cli_parse_uint     (const char         *option,
                                          const char         *text,
                                          guint64             max,
                                          guint64            *out,
                                          GError            **error);

/* Imports @path as @kind and reports how many rows it held. */
gboolean       motcua_cli_import         (MotcuaCli          *cli,
                                          const char         *path,
                                          MotcuaImportKind    kind,
                                          const char         *format,
                                          GError            **error);

/* An import command: parses FILE [--format json|csv] and imports it as @kind. */
gboolean       motcua_cli_run_import     (MotcuaCli          *cli,
                                          int                 argc,
                                          char              **argv,
                                          MotcuaImportKind    kind,
                                          GError            **error);

extern const MotcuaCliCommand motcua_cli_cases_commands[];
extern const MotcuaCliCommand motcua_cli_conflicts_commands[];
extern const MotcuaCliCommand motcua_cli_rejected_commands[];
extern const MotcuaCliCommand motcua_cli_attachment_commands[];
gboolean motcua_cli_cmd_attach      (MotcuaCli  *cli,
                                     int         argc,
                                     char      **argv,
                                     GError    **error);
gboolean motcua_cli_cmd_attachments (MotcuaCli  *cli,
                                     int         argc,
                                     char      **argv,
                                     GError    **error);
gboolean motcua_cli_cmd_enroll (MotcuaCli  *cli,
                                int         argc,
                                char      **argv,
                                GError    **error);
gboolean motcua_cli_cmd_sync   (MotcuaCli  *cli,
                                int         argc,
                                char      **argv,
                                GError    **error);
extern const MotcuaCliCommand motcua_cli_sync_commands[];

G_END_DECLS
