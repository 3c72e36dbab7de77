/* motcua-command.c: the commands of motcua-cli and motcua-server: options, help, dispatch
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "motcua-command.h"
#include "motcua-output.h"

/* Options */

#define MAX_GLOBAL_OPTIONS 8

/* What one parse of the global options gave, before it is merged into the tool: each parse
 * fills its own copy, so that GOption's bookkeeping of the strings it allocates stays simple.
 * One slot a global option: a char * or a gboolean. */
typedef struct
{
  const MotcuaGlobalOption *options;
  union
  {
    char     *text;
    gboolean  flag;
  } values[MAX_GLOBAL_OPTIONS];
  gboolean                  help;
  gboolean                  version;
} GlobalArgs;

static void
global_args_clear (GlobalArgs *args)
{
  for (guint i = 0; args->options != NULL && args->options[i].long_name != NULL; i++)
    if (args->options[i].arg_description != NULL)
      g_clear_pointer (&args->values[i].text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GlobalArgs, global_args_clear)

/* Adds the global options (and --version with @version) to @context, as its main group. */
static void
global_args_add (GlobalArgs     *args,
                 MotcuaTool     *tool,
                 GOptionContext *context,
                 gboolean        version)
{
  const MotcuaGlobalOption *options = tool->info->globals;
  g_autofree GOptionEntry *entries = NULL;
  guint n = 0;

  while (options[n].long_name != NULL)
    n++;
  g_assert (n <= G_N_ELEMENTS (args->values));

  args->options = options;
  entries = g_new0 (GOptionEntry, n + 3);
  for (guint i = 0; i < n; i++)
    {
      gboolean flag = options[i].arg_description == NULL;

      entries[i] = (GOptionEntry) {
        options[i].long_name, 0, 0, flag ? G_OPTION_ARG_NONE : G_OPTION_ARG_FILENAME,
        flag ? (gpointer) &args->values[i].flag : (gpointer) &args->values[i].text,
        options[i].description, options[i].arg_description
      };
    }
  entries[n++] = (GOptionEntry) { "help", 'h', 0, G_OPTION_ARG_NONE, &args->help,
                                  N_("Show this help"), NULL };
  if (version)
    entries[n++] = (GOptionEntry) { "version", 0, 0, G_OPTION_ARG_NONE, &args->version,
                                    N_("Show the version"), NULL };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static gboolean
global_args_merge (GlobalArgs  *args,
                   MotcuaTool  *tool,
                   GError     **error)
{
  for (guint i = 0; args->options[i].long_name != NULL; i++)
    {
      const MotcuaGlobalOption *option = &args->options[i];
      gpointer field = G_STRUCT_MEMBER_P (tool, option->offset);

      if (option->arg_description == NULL)
        {
          *(gboolean *) field = *(gboolean *) field || args->values[i].flag;
          continue;
        }
      if (args->values[i].text == NULL)
        continue;
      if (option->strip)
        g_strstrip (args->values[i].text);
      if (*args->values[i].text == '\0')
        return motcua_set_usage_error (error, "%s", _(option->empty_message));
      g_free (*(char **) field);
      *(char **) field = g_steal_pointer (&args->values[i].text);
    }

  return TRUE;
}

gboolean
motcua_set_usage_error (GError     **error,
                        const char  *format,
                        ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  g_return_val_if_fail (*error == NULL, FALSE);

  va_start (args, format);
  *error = g_error_new_valist (G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, format, args);
  va_end (args);

  return FALSE;
}

gboolean
motcua_parse_uint (const char  *option,
                   const char  *text,
                   guint64      max,
                   guint64     *out,
                   GError     **error)
{
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, max, out, NULL))
    return motcua_set_usage_error (error, _("%s “%s” must be a whole number from 0 to %llu"),
                                   option, text ? text : "", (unsigned long long) max);

  return TRUE;
}

static void
print_help (GOptionContext *context)
{
  g_autofree char *help = g_option_context_get_help (context, FALSE, NULL);

  motcua_print_text (help);
}

/* The list of a group's commands, for --help; @path is NULL for the program's own list. */
static char *
describe_commands (MotcuaTool          *tool,
                   const MotcuaCommand *commands,
                   const char          *path)
{
  g_autoptr(GString) out = g_string_new (_("Commands:"));
  guint width = 0;

  g_string_append_c (out, '\n');
  for (guint i = 0; commands[i].name != NULL; i++)
    width = MAX (width, strlen (commands[i].name));
  for (guint i = 0; commands[i].name != NULL; i++)
    g_string_append_printf (out, "  %-*s  %s\n", (int) width, commands[i].name,
                            _(commands[i].summary));
  g_string_append_c (out, '\n');
  if (path != NULL)
    g_string_append_printf (out, _("Run “%s %s COMMAND --help” for the options of a command."),
                            tool->info->name, path);
  else
    {
      g_string_append_printf (out, _("Run “%s COMMAND --help” for the options of a command.\n"
                                     "The global options may also follow the command."),
                              tool->info->name);
      g_string_append_printf (out, "\n\n%s", motcua_exit_describe ());
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
parse_options (MotcuaTool          *tool,
               const GOptionEntry  *entries,
               gboolean             stop_at_command,
               int                  argc,
               char               **argv,
               GStrv               *positional,
               GError             **error)
{
  const MotcuaCommand *command = tool->command;
  g_auto(GlobalArgs) globals = { NULL };
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *parameters = NULL;
  g_auto(GStrv) args = NULL;

  parameters = g_strdup_printf ("%s%s%s", tool->command_path,
                                command->parameters ? " " : "",
                                command->parameters ? _(command->parameters) : "");
  context = g_option_context_new (parameters);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, command->summary);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_strict_posix (context, stop_at_command);
  /* The command's own options first; then the global ones, as the main group. */
  if (entries != NULL)
    {
      GOptionGroup *group = g_option_group_new ("command", _("Options:"), _("Show options"),
                                                NULL, NULL);

      g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
      g_option_group_add_entries (group, entries);
      g_option_context_add_group (context, group);
    }
  global_args_add (&globals, tool, context, FALSE);

  if (command->subcommands != NULL)
    {
      g_autofree char *description = describe_commands (tool, command->subcommands,
                                                        tool->command_path);

      g_option_context_set_description (context, description);
    }

  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (context, &args, error)
      || !global_args_merge (&globals, tool, error))
    return FALSE;

  if (globals.help)
    {
      print_help (context);
      tool->help_shown = TRUE;
      return FALSE;
    }

  /* Drop the command's name. */
  *positional = g_strdupv (args[0] != NULL ? args + 1 : args);

  return TRUE;
}

gboolean
motcua_tool_parse_options (MotcuaTool          *tool,
                           const GOptionEntry  *entries,
                           int                  argc,
                           char               **argv,
                           GStrv               *positional,
                           GError             **error)
{
  return parse_options (tool, entries, FALSE, argc, argv, positional, error);
}

gboolean
motcua_tool_check_n_args (MotcuaTool         *tool,
                          const char *const  *positional,
                          int                 min,
                          int                 max,
                          GError            **error)
{
  int n = positional != NULL ? (int) g_strv_length ((GStrv) positional) : 0;
  const char *parameters = tool->command->parameters ? _(tool->command->parameters) : "";

  if (n < min)
    return motcua_set_usage_error (error, _("missing argument: usage is “%s %s%s%s”"),
                                   tool->info->name, tool->command_path,
                                   *parameters ? " " : "", parameters);
  if (max >= 0 && n > max)
    return motcua_set_usage_error (error,
                                   _("unexpected argument “%s”: usage is “%s %s%s%s”"),
                                   positional[max], tool->info->name, tool->command_path,
                                   *parameters ? " " : "", parameters);

  return TRUE;
}

gboolean
motcua_tool_parse_args (MotcuaTool          *tool,
                        const GOptionEntry  *entries,
                        int                  min,
                        int                  max,
                        int                  argc,
                        char               **argv,
                        GStrv               *positional,
                        GError             **error)
{
  return motcua_tool_parse_options (tool, entries, argc, argv, positional, error)
         && motcua_tool_check_n_args (tool, (const char *const *) *positional, min, max, error);
}

MotcuaReplica *
motcua_tool_parse_and_open (MotcuaTool          *tool,
                            const GOptionEntry  *entries,
                            int                  min,
                            int                  max,
                            int                  argc,
                            char               **argv,
                            GStrv               *positional,
                            GError             **error)
{
  if (!motcua_tool_parse_args (tool, entries, min, max, argc, argv, positional, error))
    return NULL;

  return tool->info->get_replica (tool, FALSE, error);
}

/* Dispatch */

static const MotcuaCommand *
find_command (const MotcuaCommand *table,
              const char          *name)
{
  for (guint i = 0; table[i].name != NULL; i++)
    if (g_str_equal (table[i].name, name))
      return &table[i];

  return NULL;
}

/* Whether @arg is a global option whose value comes apart, as the next argument ("--db PATH"). */
static gboolean
takes_value_apart (MotcuaTool *tool,
                   const char *arg)
{
  const MotcuaGlobalOption *options = tool->info->globals;

  if (!g_str_has_prefix (arg, "--"))
    return FALSE;
  for (guint i = 0; options[i].long_name != NULL; i++)
    if (options[i].arg_description != NULL && g_str_equal (arg + 2, options[i].long_name))
      return TRUE;

  return FALSE;
}

/* For a command that runs alone and also has subcommands ("sync" and "sync status"): the
 * index in @argv of the subcommand's name, or -1 for none. It is the first argument that is
 * neither an option nor the value of a global option given apart ("--db PATH"), so that each
 * subcommand parses its own options and --help prints its own help. */
static int
find_subcommand_arg (MotcuaTool          *tool,
                     const MotcuaCommand *command,
                     int                  argc,
                     char               **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        return -1;
      if (takes_value_apart (tool, argv[i]))
        {
          i++;
          continue;
        }
      if (argv[i][0] == '-')
        continue;

      return find_command (command->subcommands, argv[i]) != NULL ? i : -1;
    }

  return -1;
}

static gboolean
run_command (MotcuaTool          *tool,
             const MotcuaCommand *command,
             int                  argc,
             char               **argv,
             GError             **error)
{
  const char *name = tool->info->name;
  const MotcuaCommand *sub;
  g_auto(GStrv) args = NULL;
  g_autofree char *path = NULL;

  path = tool->command_path != NULL ? g_strdup_printf ("%s %s", tool->command_path,
                                                       command->name)
                                    : g_strdup (command->name);
  g_free (tool->command_path);
  tool->command_path = g_steal_pointer (&path);
  tool->command = command;

  if (command->func != NULL && command->subcommands != NULL)
    {
      int index = find_subcommand_arg (tool, command, argc, argv);

      if (index > 0)
        {
          /* The subcommand's name first, then every other argument in its order. */
          g_autofree char **sub_argv = g_new0 (char *, argc);
          int n = 0;

          sub_argv[n++] = argv[index];
          for (int i = 1; i < argc; i++)
            if (i != index)
              sub_argv[n++] = argv[i];

          return run_command (tool, find_command (command->subcommands, argv[index]), n,
                              sub_argv, error);
        }
    }
  if (command->func != NULL)
    return command->func (tool, argc, argv, error);

  /* A group: its options (--help, the global ones) and then the subcommand. */
  if (!parse_options (tool, NULL, TRUE, argc, argv, &args, error))
    return tool->help_shown;
  if (args[0] == NULL)
    return motcua_set_usage_error (error, _("“%s” needs a command; see “%s %s --help”"),
                                   tool->command_path, name, tool->command_path);
  sub = find_command (command->subcommands, args[0]);
  if (sub == NULL)
    return motcua_set_usage_error (error, _("unknown command “%s %s”; see “%s %s --help”"),
                                   tool->command_path, args[0], name, tool->command_path);

  return run_command (tool, sub, (int) g_strv_length (args), args, error);
}

static gboolean
run (MotcuaTool  *tool,
     int          argc,
     char       **argv,
     GError     **error)
{
  const char *name = tool->info->name;
  g_auto(GlobalArgs) globals = { NULL };
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *description = NULL;
  g_auto(GStrv) args = NULL;
  const MotcuaCommand *command;

  for (int i = 0; i < argc; i++)
    if (!g_utf8_validate (argv[i], -1, NULL))
      return motcua_set_usage_error (error, _("argument %d is not valid UTF-8"), i);

  /* The context translates its parameter string and summary itself. */
  context = g_option_context_new (N_("COMMAND [ARGS…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, tool->info->summary);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_strict_posix (context, TRUE);
  global_args_add (&globals, tool, context, TRUE);
  description = describe_commands (tool, tool->info->commands, NULL);
  g_option_context_set_description (context, description);

  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, error)
      || !global_args_merge (&globals, tool, error))
    return FALSE;

  if (globals.help)
    {
      print_help (context);
      return TRUE;
    }
  if (globals.version)
    {
      motcua_print ("%s %s\n", name, PACKAGE_VERSION);
      return TRUE;
    }
  if (args[0] == NULL || args[1] == NULL)
    return motcua_set_usage_error (error, _("no command given; see “%s --help”"), name);

  command = find_command (tool->info->commands, args[1]);
  if (command == NULL)
    return motcua_set_usage_error (error, _("unknown command “%s”; see “%s --help”"),
                                   args[1], name);

  return run_command (tool, command, (int) g_strv_length (args) - 1, args + 1, error);
}

int
motcua_tool_main (MotcuaTool  *tool,
                  int          argc,
                  char       **argv)
{
  g_autoptr(GError) error = NULL;
  int status = MOTCUA_EXIT_OK;

  g_return_val_if_fail (tool != NULL && tool->info != NULL, MOTCUA_EXIT_FAILURE);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  motcua_output_set_program (tool->info->name);

  if (!run (tool, argc, argv, &error))
    {
      motcua_print_error (error->message);
      if (tool->json && tool->json_errors)
        motcua_print_json_error (error);
      status = motcua_exit_for_error (error);
    }

  if (fflush (stdout) != 0 && status == MOTCUA_EXIT_OK)
    {
      motcua_print_error (_("Cannot write to standard output"));
      status = MOTCUA_EXIT_FAILURE;
    }

  g_clear_pointer (&tool->command_path, g_free);

  return status;
}
