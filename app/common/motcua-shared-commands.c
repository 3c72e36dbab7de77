/* motcua-shared-commands.c: the commands motcua-cli and motcua-server both have
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "motcua-offices.h"
#include "motcua-output.h"
#include "motcua-shared-commands.h"

gboolean
motcua_cmd_report (MotcuaTool  *tool,
                   int          argc,
                   char       **argv,
                   GError     **error)
{
  g_autofree char *office = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *period = NULL;
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "office", 0, 0, G_OPTION_ARG_FILENAME, &office, tool->info->report_office_help,
      N_("CODE") },
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from,
      N_("The first day of the period"), N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to,
      N_("The last day of the period"), N_("YYYY-MM-DD") },
    { "period", 0, 0, G_OPTION_ARG_FILENAME, &period,
      N_("A reporting period, closed on the 14th: a month, a quarter, a half-year or a year"),
      N_("2026-11|2026-Q4|2026-H2|2026") },
    { "format", 0, 0, G_OPTION_ARG_FILENAME, &format,
      N_("text, csv or json (default: text; json with --json)"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(MotcuaReport) report = NULL;
  g_autofree char *output = NULL;
  MotcuaReplica *replica;

  if (!motcua_tool_parse_args (tool, entries, 0, 0, argc, argv, &args, error))
    return tool->help_shown;

  if (period != NULL && (from != NULL || to != NULL))
    return motcua_set_usage_error (error, _("report takes --period or --from and --to, not both"));
  if (period != NULL)
    {
      MotcuaPeriodKind kind;
      int year, number;

      if (!motcua_report_period_parse (period, &kind, &year, &number, error))
        return FALSE;
      from = g_malloc (11);
      to = g_malloc (11);
      motcua_report_period (kind, year, number, from, to);
    }
  if (from == NULL || to == NULL)
    return motcua_set_usage_error (error, _("report needs --period, or --from and --to"));
  if (format == NULL)
    format = g_strdup (tool->json ? "json" : "text");
  if (!g_str_equal (format, "text") && !g_str_equal (format, "csv")
      && !g_str_equal (format, "json"))
    return motcua_set_usage_error (error, _("--format “%s” must be text, csv or json"), format);
  if (tool->json && !g_str_equal (format, "json"))
    return motcua_set_usage_error (error, _("--json and --format %s disagree"), format);
  if (!motcua_check_date ("--from", from, NULL, error)
      || !motcua_check_date ("--to", to, NULL, error))
    return FALSE;

  replica = tool->info->get_replica (tool, FALSE, error);
  if (replica == NULL)
    return FALSE;
  report = motcua_replica_report (replica,
                                  office != NULL ? office
                                                 : motcua_replica_get_office_code (replica),
                                  from, to, error);
  if (report == NULL)
    return FALSE;

  if (g_str_equal (format, "csv"))
    output = motcua_report_to_csv (report);
  else if (g_str_equal (format, "json"))
    output = motcua_report_to_json (report);
  else
    output = motcua_report_to_text (report);

  if (output != NULL && *output != '\0')
    motcua_print ("%s%s", output, g_str_has_suffix (output, "\n") ? "" : "\n");

  return TRUE;
}

gboolean
motcua_cmd_offices_list (MotcuaTool  *tool,
                         int          argc,
                         char       **argv,
                         GError     **error)
{
  g_auto(GStrv) args = NULL;
  g_autofree char *on = NULL;
  g_autofree char *today = NULL;
  gboolean all = FALSE;
  MotcuaReplica *replica;
  const GOptionEntry entries[] = {
    { "on", 0, 0, G_OPTION_ARG_FILENAME, &on,
      N_("The tree on that day (default: today)"), N_("DATE") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("Every office, ended ones too, with the days each was in force"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!motcua_tool_parse_args (tool, entries, 0, 0, argc, argv, &args, error))
    return tool->help_shown;
  if (on != NULL && !motcua_check_date ("--on", on, NULL, error))
    return FALSE;

  replica = tool->info->get_replica (tool, FALSE, error);
  if (replica == NULL)
    return FALSE;
  today = motcua_replica_dup_today (replica);

  return motcua_print_offices (replica, all ? NULL : on ? on : today, tool->json, error);
}

gboolean
motcua_tool_run_import (MotcuaTool            *tool,
                        int                    argc,
                        char                 **argv,
                        MotcuaImportKind       kind,
                        MotcuaPrintImportFunc  print_import,
                        GError               **error)
{
  g_autofree char *format_text = NULL;
  MotcuaImportFormat format;
  MotcuaReplica *replica;
  guint n_rows = 0;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_FILENAME, &format_text,
      N_("json or csv (default: from the file name)"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;

  if (!motcua_tool_parse_args (tool, entries, 1, 1, argc, argv, &args, error))
    return tool->help_shown;

  if (format_text == NULL)
    format = MOTCUA_FORMAT_AUTO;
  else if (g_str_equal (format_text, "json"))
    format = MOTCUA_FORMAT_JSON;
  else if (g_str_equal (format_text, "csv"))
    format = MOTCUA_FORMAT_CSV;
  else
    return motcua_set_usage_error (error, _("%s “%s” must be json or csv"), "--format",
                                   format_text);

  replica = tool->info->get_replica (tool, TRUE, error);
  if (replica == NULL
      || !motcua_replica_import_file (replica, args[0], kind, format, &n_rows, error))
    return FALSE;
  if (tool->json)
    motcua_print_import_json (args[0], kind, n_rows);
  else
    print_import (args[0], kind, n_rows);

  return TRUE;
}

GPtrArray *
motcua_tool_list_conflicts (MotcuaTool      *tool,
                            int              argc,
                            char           **argv,
                            const char      *all_help,
                            MotcuaReplica  **replica,
                            gboolean        *all,
                            GError         **error)
{
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, all, all_help, NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;

  *all = FALSE;
  *replica = motcua_tool_parse_and_open (tool, entries, 0, 0, argc, argv, &args, error);
  if (*replica == NULL)
    return NULL;

  return motcua_replica_list_conflicts (*replica, *all, error);
}

MotcuaConflict *
motcua_tool_dup_conflict (MotcuaTool      *tool,
                          int              argc,
                          char           **argv,
                          MotcuaReplica  **replica,
                          GError         **error)
{
  g_auto(GStrv) args = NULL;

  *replica = motcua_tool_parse_and_open (tool, NULL, 1, 1, argc, argv, &args, error);
  if (*replica == NULL)
    return NULL;

  return motcua_replica_dup_conflict (*replica, args[0], error);
}

MotcuaConflict *
motcua_tool_resolve_conflict (MotcuaTool  *tool,
                              int          argc,
                              char       **argv,
                              GError     **error)
{
  g_autofree char *keep = NULL;
  g_autofree char *value = NULL;
  const GOptionEntry entries[] = {
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep,
      N_("Keep a or b, as “conflicts show” names them"), N_("a|b") },
    { "value", 0, 0, G_OPTION_ARG_FILENAME, &value,
      N_("Write a new value instead, checked like an edit of the field"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  MotcuaResolution how = MOTCUA_RESOLVE_VALUE;
  MotcuaReplica *replica;

  if (!motcua_tool_parse_args (tool, entries, 1, 1, argc, argv, &args, error))
    return NULL;
  if ((keep == NULL) == (value == NULL))
    {
      motcua_set_usage_error (error, _("conflicts resolve needs either --keep a|b or "
                                       "--value TEXT"));
      return NULL;
    }
  if (keep != NULL)
    {
      if (g_strcmp0 (keep, "a") != 0 && g_strcmp0 (keep, "b") != 0)
        {
          motcua_set_usage_error (error, _("--keep “%s” must be a or b"), keep);
          return NULL;
        }
      how = keep[0] == 'a' ? MOTCUA_RESOLVE_KEEP_A : MOTCUA_RESOLVE_KEEP_B;
    }

  replica = tool->info->get_replica (tool, TRUE, error);
  if (replica == NULL || !motcua_replica_resolve_conflict (replica, args[0], how, value, error))
    return NULL;

  return motcua_replica_dup_conflict (replica, args[0], error);
}

void
motcua_remove_replica_files (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static const char *
import_kind_name (MotcuaImportKind kind)
{
  switch (kind)
    {
    case MOTCUA_IMPORT_CATALOGUE:
      return "catalogue";
    case MOTCUA_IMPORT_OFFICES:
      return "offices";
    case MOTCUA_IMPORT_CALENDAR:
      return "calendar";
    case MOTCUA_IMPORT_CASES:
      return "cases";
    default:
      g_assert_not_reached ();
    }
}

void
motcua_print_imported (const char       *path,
                       MotcuaImportKind  kind,
                       guint             n_rows)
{
  switch (kind)
    {
    case MOTCUA_IMPORT_CATALOGUE:
      motcua_print (ngettext ("Imported %u procedure from %s.\n",
                              "Imported %u procedures from %s.\n", n_rows), n_rows, path);
      break;
    case MOTCUA_IMPORT_OFFICES:
      motcua_print (ngettext ("Imported %u office from %s.\n",
                              "Imported %u offices from %s.\n", n_rows), n_rows, path);
      break;
    case MOTCUA_IMPORT_CALENDAR:
      motcua_print (ngettext ("Imported %u calendar day from %s.\n",
                              "Imported %u calendar days from %s.\n", n_rows), n_rows, path);
      break;
    case MOTCUA_IMPORT_CASES:
      motcua_print (ngettext ("Imported %u case from %s.\n",
                              "Imported %u cases from %s.\n", n_rows), n_rows, path);
      break;
    default:
      g_assert_not_reached ();
    }
}

void
motcua_print_import_json (const char       *path,
                          MotcuaImportKind  kind,
                          guint             n_rows)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  motcua_json_add_string (builder, "file", path);
  motcua_json_add_string (builder, "kind", import_kind_name (kind));
  motcua_json_add_int (builder, "imported", n_rows);
  json_builder_end_object (builder);
  motcua_print_builder (builder);
}
