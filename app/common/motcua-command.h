/* motcua-command.h: the commands of motcua-cli and motcua-server: table, options, help, dispatch
 *
 * Each program describes itself once (MotcuaToolInfo: its name, its global options and its table
 * of commands) and keeps its own state in a struct that starts with a MotcuaTool. Everything
 * else (parsing, --help, usage errors, dispatch, the exit status) is done here the same way for
 * both.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <motcua/motcua.h>

#include "motcua-exit.h"

G_BEGIN_DECLS

typedef struct _MotcuaTool     MotcuaTool;
typedef struct _MotcuaCommand  MotcuaCommand;

/* Runs a command on its arguments (@argv[0] is the command's name). A usage error is reported
 * in the G_OPTION_ERROR domain; --help is not an error. */
typedef gboolean (*MotcuaCommandFunc) (MotcuaTool  *tool,
                                       int          argc,
                                       char       **argv,
                                       GError     **error);

struct _MotcuaCommand
{
  const char          *name;
  const char          *parameters;   /* N_(): "KEY STATUS", shown in the usage line */
  const char          *summary;      /* N_(): one line for lists and --help */
  MotcuaCommandFunc    func;         /* NULL for a group of subcommands */
  const MotcuaCommand *subcommands;  /* NULL-terminated, for a group, or for a command that
                                      * also runs alone ("sync", "sync status") */
};

/* A global option: accepted before the command and after it. Text values are
 * G_OPTION_ARG_FILENAME: G_OPTION_ARG_STRING converts from the locale's character set and
 * refuses Vietnamese under LANG=C; the arguments are checked to be UTF-8 before anything else. */
typedef struct
{
  const char *long_name;
  const char *description;      /* N_() */
  const char *arg_description;  /* N_(); NULL for a flag */
  gsize       offset;           /* of the char * (or the gboolean, for a flag) in the tool */
  const char *empty_message;    /* N_(): the usage error for an empty value */
  gboolean    strip;            /* spaces around the value do not count */
} MotcuaGlobalOption;

/* The program's replica (the desk's, or the server's store), opened once; @write: the command
 * is about to write to it. Borrowed. */
typedef MotcuaReplica *(*MotcuaGetReplicaFunc) (MotcuaTool  *tool,
                                                gboolean     write,
                                                GError     **error);

typedef struct
{
  const char               *name;        /* "motcua-cli" */
  const char               *summary;     /* N_() */
  const MotcuaCommand      *commands;    /* NULL-terminated */
  const MotcuaGlobalOption *globals;     /* NULL-terminated; --help and --version are added */
  /* For the commands both programs have (motcua-shared-commands.c). */
  MotcuaGetReplicaFunc      get_replica;
  const char               *report_office_help;  /* N_(): report --office, and its default */
} MotcuaToolInfo;

/* The part of a program's state the framework uses: a program's own struct starts with it. */
struct _MotcuaTool
{
  const MotcuaToolInfo *info;
  gboolean              json;         /* --json */
  gboolean              json_errors;  /* with --json, a failure is also printed as JSON */

  const MotcuaCommand  *command;      /* the command being run */
  char                 *command_path; /* "cases receive" */
  gboolean              help_shown;   /* --help was asked for and printed */
};

/* Runs the program on @argv as typed, in the user's locale, prints a failure as one line on
 * standard error, and returns the exit status. @tool is the program's state, its global
 * options already set to their defaults; the program frees its own fields afterwards. */
int      motcua_tool_main            (MotcuaTool          *tool,
                                      int                  argc,
                                      char               **argv);

/* Parses the options of the current command (@entries, NULL-terminated, plus the global
 * options, which may also follow the command) and returns its positional arguments in
 * @positional. Returns FALSE when the command must stop: on bad usage (@error set), or when
 * --help was given and printed (no error; @tool->help_shown is set). A command therefore ends
 * with `return tool->help_shown;` when this returns FALSE. */
gboolean motcua_tool_parse_options   (MotcuaTool          *tool,
                                      const GOptionEntry  *entries,
                                      int                  argc,
                                      char               **argv,
                                      GStrv               *positional,
                                      GError             **error);
/* The same, then checks that there are @min to @max positional arguments (@max -1: no
 * limit). */
gboolean motcua_tool_parse_args      (MotcuaTool          *tool,
                                      const GOptionEntry  *entries,
                                      int                  min,
                                      int                  max,
                                      int                  argc,
                                      char               **argv,
                                      GStrv               *positional,
                                      GError             **error);
/* The same, then opens the program's replica to read it (MotcuaToolInfo.get_replica). Returns
 * NULL when the command must stop: the command then returns @tool->help_shown. */
MotcuaReplica *motcua_tool_parse_and_open (MotcuaTool          *tool,
                                           const GOptionEntry  *entries,
                                           int                  min,
                                           int                  max,
                                           int                  argc,
                                           char               **argv,
                                           GStrv               *positional,
                                           GError             **error);
/* Checks that there are @min to @max positional arguments (@max -1: no limit). */
gboolean motcua_tool_check_n_args    (MotcuaTool          *tool,
                                      const char *const   *positional,
                                      int                  min,
                                      int                  max,
                                      GError             **error);

/* A G_OPTION_ERROR_BAD_VALUE error: bad usage, exit status 2. Returns FALSE. */
gboolean motcua_set_usage_error      (GError             **error,
                                      const char          *format,
                                      ...) G_GNUC_PRINTF (2, 3);
/* A whole number from 0 to @max; else a usage error naming @option and the bad value. */
gboolean motcua_parse_uint           (const char          *option,
                                      const char          *text,
                                      guint64              max,
                                      guint64             *out,
                                      GError             **error);

G_END_DECLS
