/* motcua-cli-catalogue.c: the catalogue commands of motcua-cli: import, list, search, show
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-cli-output.h"
#include "motcua-cli-private.h"

static gboolean
cmd_catalogue_import (MotcuaTool  *tool,
                      int          argc,
                      char       **argv,
                      GError     **error)
{
  return motcua_cli_run_import (tool, argc, argv, MOTCUA_IMPORT_CATALOGUE, error);
}

static void
print_procedures (MotcuaTool *tool,
                  GPtrArray *procedures)
{
  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < procedures->len; i++)
        motcua_cli_json_add_procedure (builder, g_ptr_array_index (procedures, i));
      json_builder_end_array (builder);
      motcua_print_builder (builder);
    }
  else
    {
      g_autoptr(MotcuaTable) table = NULL;

      table = motcua_table_new (_("CODE"), _("NAME"), _("SECTOR"), _("TIME LIMIT"), _("FEE"),
                                NULL);
      for (guint i = 0; i < procedures->len; i++)
        {
          MotcuaProcedure *p = g_ptr_array_index (procedures, i);
          g_autofree char *days = motcua_cli_time_limit_to_string (p->processing_days,
                                                                   p->time_unit);
          g_autofree char *fee = g_strdup_printf ("%" G_GINT64_FORMAT, p->fee);

          motcua_table_add_row (table, p->code, p->name, p->sector, days, fee);
        }
      if (procedures->len > 0)
        motcua_table_print (table, 0);
      else
        motcua_print_text (_("No procedures.\n"));
    }
}

static gboolean
cmd_catalogue_list (MotcuaTool  *tool,
                    int          argc,
                    char       **argv,
                    GError     **error)
{
  g_autofree char *sector = NULL;
  g_autofree char *level_text = NULL;
  const GOptionEntry entries[] = {
    { "sector", 0, 0, G_OPTION_ARG_FILENAME, &sector,
      N_("Only the procedures of sector S (lĩnh vực)"), N_("S") },
    { "level", 0, 0, G_OPTION_ARG_FILENAME, &level_text,
      N_("Only the procedures done at level L: province, department, district or commune"),
      N_("L") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) procedures = NULL;
  MotcuaReplica *replica;
  MotcuaLevel level;

  if (!motcua_tool_parse_args (tool, entries, 0, 0, argc, argv, &args, error))
    return tool->help_shown;
  if (level_text != NULL && !motcua_level_from_string (level_text, &level))
    {
      motcua_set_usage_error (error, _("--level “%s” must be province, department, district "
                                       "or commune"), level_text);
      return FALSE;
    }

  replica = motcua_cli_get_replica (tool, error);
  if (replica == NULL)
    return FALSE;
  procedures = motcua_replica_list_procedures (replica, sector,
                                               level_text != NULL ? (int) level : -1, error);
  if (procedures == NULL)
    return FALSE;

  print_procedures (tool, procedures);

  return TRUE;
}

static gboolean
cmd_catalogue_search (MotcuaTool  *tool,
                      int          argc,
                      char       **argv,
                      GError     **error)
{
  g_autofree char *limit_text = NULL;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_FILENAME, &limit_text,
      N_("At most N procedures (default: 50)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) procedures = NULL;
  g_autofree char *query = NULL;
  MotcuaReplica *replica;
  guint64 limit = 0;

  if (!motcua_tool_parse_args (tool, entries, 1, -1, argc, argv, &args, error))
    return tool->help_shown;
  if (limit_text != NULL && !motcua_parse_uint ("--limit", limit_text, 100000, &limit, error))
    return FALSE;

  replica = motcua_cli_get_replica (tool, error);
  if (replica == NULL)
    return FALSE;
  query = g_strjoinv (" ", args);
  procedures = motcua_replica_search_procedures (replica, query, (guint) limit, error);
  if (procedures == NULL)
    return FALSE;

  print_procedures (tool, procedures);

  return TRUE;
}

static gboolean
cmd_catalogue_show (MotcuaTool  *tool,
                    int          argc,
                    char       **argv,
                    GError     **error)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(MotcuaProcedure) p = NULL;
  g_autoptr(MotcuaTable) table = NULL;
  MotcuaReplica *replica;
  guint n_documents;

  replica = motcua_tool_parse_and_open (tool, NULL, 1, 1, argc, argv, &args, error);
  if (replica == NULL)
    return tool->help_shown;
  p = motcua_replica_dup_procedure (replica, args[0], error);
  if (p == NULL)
    return FALSE;

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      motcua_cli_json_add_procedure (builder, p);
      motcua_print_builder (builder);
      return TRUE;
    }

  table = motcua_table_new_fields ();
  motcua_table_add_field (table, _("Code"), p->code);
  motcua_table_add_field (table, _("Official code"), p->code_official ? _("yes") : _("no"));
  motcua_table_add_field (table, _("Name"), p->name);
  motcua_table_add_field (table, _("Sector"), p->sector);
  motcua_table_take_field (table, _("Levels"), motcua_cli_levels_to_string (p->levels));
  motcua_table_take_field (table, _("Processing time"),
                           motcua_cli_time_limit_to_string (p->processing_days, p->time_unit));
  motcua_table_take_field (table, _("Fee"),
                           g_strdup_printf (_("%lld VND"), (long long) p->fee));
  motcua_table_add_field (table, _("Fee note"), p->fee_note);
  motcua_table_add_field (table, _("Online service"),
                          p->online_full ? _("full") : _("partial"));
  motcua_table_add_field (table, _("In force from"), p->in_force_from);
  motcua_table_add_field (table, _("In force to"), p->in_force_to);
  motcua_table_add_field (table, _("Sample data"), p->sample ? _("yes") : _("no"));
  motcua_table_add_field (table, _("Id"), p->id);
  motcua_table_print (table, 0);

  n_documents = p->documents != NULL ? g_strv_length (p->documents) : 0;
  motcua_print ("\n%s\n", _("Required papers:"));
  if (n_documents == 0)
    motcua_print ("  %s\n", _("none"));
  for (guint i = 0; i < n_documents; i++)
    motcua_print ("  %*u  %s\n", n_documents > 10 ? 2 : 1, i, p->documents[i]);

  motcua_print ("\n%s\n", _("Legal basis:"));
  if (p->legal_basis == NULL || p->legal_basis[0] == NULL)
    motcua_print ("  %s\n", _("none"));
  for (guint i = 0; p->legal_basis != NULL && p->legal_basis[i] != NULL; i++)
    motcua_print ("  - %s\n", p->legal_basis[i]);

  return TRUE;
}

const MotcuaCommand motcua_cli_catalogue_commands[] = {
  { "import", N_("FILE"), N_("Import a procedure catalogue (JSON or CSV)"),
    cmd_catalogue_import, NULL },
  { "list", NULL, N_("List the procedures"), cmd_catalogue_list, NULL },
  { "search", N_("QUERY…"), N_("Find procedures by name, code or sector, with or without "
                               "diacritics"), cmd_catalogue_search, NULL },
  { "show", N_("CODE"), N_("Show a procedure: papers, fee, time, legal basis"),
    cmd_catalogue_show, NULL },
  { NULL }
};
