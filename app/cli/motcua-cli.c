/* motcua-cli.c: the tool, its table of commands, and status, init, offices, report, export and
 * changes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "motcua-cli-output.h"
#include "motcua-cli-private.h"
#include "motcua-offices.h"
#include "motcua-shared-commands.h"

/* The replica */

MotcuaReplica *
motcua_cli_get_replica (MotcuaTool  *tool,
                        GError     **error)
{
  MotcuaCli *cli = MOTCUA_CLI (tool);

  if (cli->replica == NULL)
    {
      cli->replica = motcua_replica_open (cli->db_path, error);
      if (cli->replica == NULL)
        return NULL;
      if (cli->officer != NULL)
        motcua_replica_set_officer (cli->replica, cli->officer);
    }

  return cli->replica;
}

gboolean
motcua_cli_begin (MotcuaTool  *tool,
                  GError     **error)
{
  MotcuaReplica *replica = motcua_cli_get_replica (tool, error);

  return replica != NULL && motcua_replica_begin (replica, error);
}

gboolean
motcua_cli_finish (MotcuaTool  *tool,
                   gboolean     ok,
                   GError     **error)
{
  MotcuaCli *cli = MOTCUA_CLI (tool);

  if (!ok)
    {
      motcua_replica_rollback (cli->replica);
      return FALSE;
    }

  return motcua_replica_commit (cli->replica, error);
}

/* The import commands: FILE [--format json|csv]. */
gboolean
motcua_cli_run_import (MotcuaTool        *tool,
                       int                argc,
                       char             **argv,
                       MotcuaImportKind   kind,
                       GError           **error)
{
  return motcua_tool_run_import (tool, argc, argv, kind, motcua_print_imported, error);
}

/* status */

/* @n_offices: offices just imported by init, or -1. */
static gboolean
print_status (MotcuaTool     *tool,
              MotcuaReplica  *replica,
              int             n_offices,
              GError        **error)
{
  MotcuaCaseFilter all = MOTCUA_CASE_FILTER_INIT;
  MotcuaLevel role = motcua_replica_get_role (replica);
  gint64 pending, n_cases;

  if ((pending = motcua_replica_count_pending (replica, error)) < 0
      || (n_cases = motcua_replica_count_cases (replica, &all, error)) < 0)
    return FALSE;

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      motcua_json_add_string (builder, "path", motcua_replica_get_path (replica));
      motcua_json_add_string (builder, "replica_id", motcua_replica_get_id (replica));
      motcua_json_add_string (builder, "office", motcua_replica_get_office_code (replica));
      motcua_json_add_string (builder, "role", motcua_level_to_string (role));
      motcua_json_add_int (builder, "schema_version", MOTCUA_SCHEMA_VERSION);
      motcua_json_add_int (builder, "last_seq",
                           (gint64) motcua_replica_get_last_seq (replica));
      motcua_json_add_int (builder, "pending_changes", pending);
      motcua_json_add_int (builder, "cases", n_cases);
      motcua_json_add_string (builder, "officer", motcua_replica_get_officer (replica));
      if (n_offices >= 0)
        motcua_json_add_int (builder, "offices_imported", n_offices);
      json_builder_end_object (builder);
      motcua_print_builder (builder);
    }
  else
    {
      g_autoptr(MotcuaTable) table = motcua_table_new_fields ();

      motcua_table_add_field (table, _("Replica"), motcua_replica_get_path (replica));
      motcua_table_add_field (table, _("Replica id"), motcua_replica_get_id (replica));
      motcua_table_add_field (table, _("Office"), motcua_replica_get_office_code (replica));
      motcua_table_add_field (table, _("Role"), motcua_level_to_string (role));
      motcua_table_take_field (table, _("Schema version"),
                               g_strdup_printf ("%d", MOTCUA_SCHEMA_VERSION));
      motcua_table_take_field (table, _("Last sequence"),
                               g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                motcua_replica_get_last_seq (replica)));
      motcua_table_take_field (table, _("Pending changes"),
                               g_strdup_printf ("%" G_GINT64_FORMAT, pending));
      motcua_table_take_field (table, _("Cases"),
                               g_strdup_printf ("%" G_GINT64_FORMAT, n_cases));
      motcua_table_add_field (table, _("Officer"), motcua_replica_get_officer (replica));
      motcua_table_print (table, 0);
    }

  return TRUE;
}

static gboolean
cmd_status (MotcuaTool  *tool,
            int          argc,
            char       **argv,
            GError     **error)
{
  g_auto(GStrv) args = NULL;
  MotcuaReplica *replica;

  replica = motcua_tool_parse_and_open (tool, NULL, 0, 0, argc, argv, &args, error);
  if (replica == NULL)
    return tool->help_shown;

  return print_status (tool, replica, -1, error);
}

/* init */

/* Imports the offices of @offices_path into @replica, then applies the reorganisation at
 * @reorganisation_path (may be NULL) to them. */
static gboolean
load_offices (MotcuaReplica  *replica,
              const char     *offices_path,
              const char     *reorganisation_path,
              guint          *n_offices,
              GError        **error)
{
  g_autoptr(MotcuaReorganisation) reorg = NULL;

  if (!motcua_replica_import_file (replica, offices_path, MOTCUA_IMPORT_OFFICES,
                                   MOTCUA_FORMAT_AUTO, n_offices, error))
    return FALSE;
  if (reorganisation_path == NULL)
    return TRUE;
  reorg = motcua_reorganisation_load_file (reorganisation_path, error);

  return reorg != NULL && motcua_replica_apply_reorganisation (replica, reorg, NULL, error);
}

/* Loads @offices_path into a scratch replica to learn the level of @code before the real replica
 * is made with that role: the role decides how the offices are written. */
static gboolean
probe_office_level (const char   *offices_path,
                    const char   *reorganisation_path,
                    const char   *code,
                    MotcuaLevel  *level_out,
                    GError      **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(MotcuaReplica) probe = NULL;
  g_autoptr(MotcuaOffice) office = NULL;
  g_autoptr(GError) local_error = NULL;

  dir = g_dir_make_tmp ("motcua-cli-XXXXXX", error);
  if (dir == NULL)
    return FALSE;
  path = g_build_filename (dir, "probe.db", NULL);

  probe = motcua_replica_create (path, code, MOTCUA_LEVEL_COMMUNE, error);
  if (probe != NULL && load_offices (probe, offices_path, reorganisation_path, NULL, error))
    {
      office = motcua_replica_dup_office (probe, code, &local_error);
      if (office == NULL)
        {
          if (g_error_matches (local_error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND))
            g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                         _("office “%s” is not in %s"), code, offices_path);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
        }
    }

  g_clear_object (&probe);
  motcua_remove_replica_files (path);
  g_rmdir (dir);

  if (office == NULL)
    return FALSE;

  *level_out = office->level;

  return TRUE;
}

static gboolean
cmd_init (MotcuaTool  *tool,
          int          argc,
          char       **argv,
          GError     **error)
{
  MotcuaCli *cli = MOTCUA_CLI (tool);
  g_autofree char *office = NULL;
  g_autofree char *role_text = NULL;
  g_autofree char *offices = NULL;
  g_autofree char *reorganisation = NULL;
  const GOptionEntry entries[] = {
    { "office", 0, 0, G_OPTION_ARG_FILENAME, &office,
      N_("The office this replica belongs to"), N_("CODE") },
    { "role", 0, 0, G_OPTION_ARG_FILENAME, &role_text,
      N_("The level of the office: province, department, district or commune"), N_("ROLE") },
    { "offices", 0, 0, G_OPTION_ARG_FILENAME, &offices,
      N_("Import the offices from FILE (JSON or CSV); the role is then the office's level"),
      N_("FILE") },
    { "reorganisation", 0, 0, G_OPTION_ARG_FILENAME, &reorganisation,
      N_("Then apply the published reorganisation in FILE to those offices"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(MotcuaReplica) replica = NULL;
  g_autoptr(GError) local_error = NULL;
  MotcuaLevel role = MOTCUA_LEVEL_COMMUNE;
  guint n_offices = 0;

  if (!motcua_tool_parse_args (tool, entries, 0, 0, argc, argv, &args, error))
    return tool->help_shown;

  if (office == NULL || *office == '\0')
    {
      motcua_set_usage_error (error, _("init needs --office CODE"));
      return FALSE;
    }
  if (role_text != NULL && !motcua_level_from_string (role_text, &role))
    {
      motcua_set_usage_error (error,
                              _("--role “%s” must be province, department, district or "
                                "commune"), role_text);
      return FALSE;
    }
  if (reorganisation != NULL && offices == NULL)
    {
      motcua_set_usage_error (error, _("--reorganisation applies to the offices of --offices"));
      return FALSE;
    }
  if (role_text == NULL && offices == NULL)
    {
      motcua_set_usage_error (error, _("init needs --role, or --offices to take the role "
                                       "from the office's level"));
      return FALSE;
    }
  if (g_file_test (cli->db_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_EXISTS,
                   _("%s exists already: a replica is created once"), cli->db_path);
      return FALSE;
    }

  if (offices != NULL)
    {
      MotcuaLevel level;

      if (!probe_office_level (offices, reorganisation, office, &level, error))
        return FALSE;
      if (role_text != NULL && level != role)
        {
          motcua_set_usage_error (error, _("--role %s does not match office %s, which is "
                                           "a %s in %s"),
                                  role_text, office, motcua_level_to_string (level), offices);
          return FALSE;
        }
      role = level;
    }

  replica = motcua_replica_create (cli->db_path, office, role, error);
  if (replica == NULL)
    return FALSE;

  /* From here on a failure leaves no replica behind. */
  if (offices != NULL
      && !load_offices (replica, offices, reorganisation, &n_offices, &local_error))
    {
      g_clear_object (&replica);
      motcua_remove_replica_files (cli->db_path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (cli->officer != NULL)
    motcua_replica_set_officer (replica, cli->officer);

  if (tool->json)
    return print_status (tool, replica, offices != NULL ? (int) n_offices : -1, error);

  motcua_print (_("Created replica %s for office %s (%s).\n"), cli->db_path, office,
                motcua_level_to_string (role));
  if (offices != NULL)
    motcua_print_imported (offices, MOTCUA_IMPORT_OFFICES, n_offices);

  return TRUE;
}

/* offices */

static gboolean
cmd_offices_show (MotcuaTool  *tool,
                  int          argc,
                  char       **argv,
                  GError     **error)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(MotcuaOffice) office = NULL;
  g_autoptr(MotcuaOffice) parent = NULL;
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(GPtrArray) children = g_ptr_array_new ();
  MotcuaReplica *replica;

  replica = motcua_tool_parse_and_open (tool, NULL, 1, 1, argc, argv, &args, error);
  if (replica == NULL)
    return tool->help_shown;
  office = motcua_replica_dup_office (replica, args[0], error);
  if (office == NULL)
    return FALSE;
  if (office->parent_code != NULL)
    parent = motcua_replica_dup_office (replica, office->parent_code, NULL);
  offices = motcua_replica_list_offices (replica, error);
  if (offices == NULL)
    return FALSE;
  g_ptr_array_sort (offices, motcua_compare_offices);
  for (guint i = 0; i < offices->len; i++)
    {
      MotcuaOffice *other = g_ptr_array_index (offices, i);

      if (g_strcmp0 (other->parent_code, office->code) == 0)
        g_ptr_array_add (children, other);
    }

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      motcua_json_add_string (builder, "code", office->code);
      motcua_json_add_string (builder, "name", office->name);
      motcua_json_add_string (builder, "level", motcua_level_to_string (office->level));
      motcua_json_add_string (builder, "parent", office->parent_code);
      motcua_json_add_string (builder, "id", office->id);
      json_builder_set_member_name (builder, "children");
      json_builder_begin_array (builder);
      for (guint i = 0; i < children->len; i++)
        json_builder_add_string_value (builder,
                                       ((MotcuaOffice *) g_ptr_array_index (children, i))->code);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      motcua_print_builder (builder);
    }
  else
    {
      g_autoptr(MotcuaTable) table = motcua_table_new_fields ();
      g_autoptr(GString) below = g_string_new (NULL);

      for (guint i = 0; i < children->len; i++)
        g_string_append_printf (below, "%s%s", i > 0 ? ", " : "",
                                ((MotcuaOffice *) g_ptr_array_index (children, i))->code);

      motcua_table_add_field (table, _("Code"), office->code);
      motcua_table_add_field (table, _("Name"), office->name);
      motcua_table_add_field (table, _("Level"), motcua_level_to_string (office->level));
      if (parent != NULL)
        motcua_table_take_field (table, _("Parent"),
                                 g_strdup_printf ("%s  %s", parent->code, parent->name));
      else
        motcua_table_add_field (table, _("Parent"), office->parent_code);
      motcua_table_add_field (table, _("Offices below"), below->len ? below->str : NULL);
      motcua_table_add_field (table, _("Id"), office->id);
      motcua_table_print (table, 0);
    }

  return TRUE;
}

/* The replica for the commands both programs have (motcua-shared-commands.c). */
static MotcuaReplica *
get_replica (MotcuaTool  *tool,
             gboolean     write,
             GError     **error)
{
  return motcua_cli_get_replica (tool, error);
}

/* export */

static gboolean
cmd_export (MotcuaTool  *tool,
            int          argc,
            char       **argv,
            GError     **error)
{
  gboolean canonical = FALSE;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "canonical", 0, 0, G_OPTION_ARG_NONE, &canonical,
      N_("The canonical JSON dump of the replicated state: equal states give equal bytes"),
      NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (replaced only when the export is complete) instead of standard output"),
      N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GOutputStream) buffered = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) local_error = NULL;
  MotcuaReplica *replica;

  if (!motcua_tool_parse_args (tool, entries, 0, 0, argc, argv, &args, error))
    return tool->help_shown;
  if (!canonical)
    {
      motcua_set_usage_error (error, _("export needs --canonical (the only export there is)"));
      return FALSE;
    }

  replica = motcua_cli_get_replica (tool, error);
  if (replica == NULL)
    return FALSE;

  if (output != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (output);

      stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE,
                                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, error));
      if (stream == NULL)
        return FALSE;
    }
  else
    {
      fflush (stdout);
      stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
    }
  /* The buffer is flushed first and the file closed after, so that a failed flush can still
   * drop the temporary file: a cancelled close leaves any old file as it was. */
  buffered = g_buffered_output_stream_new_sized (stream, 64 * 1024);
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (buffered), FALSE);

  if (!motcua_replica_export_canonical (replica, buffered, NULL, &local_error)
      || !g_output_stream_close (buffered, NULL, &local_error))
    {
      g_cancellable_cancel (cancellable);
      g_output_stream_close (stream, cancellable, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return g_output_stream_close (stream, NULL, error);
}

/* changes */

static gboolean
cmd_changes (MotcuaTool  *tool,
             int          argc,
             char       **argv,
             GError     **error)
{
  g_autofree char *after_text = NULL;
  g_autofree char *limit_text = NULL;
  const GOptionEntry entries[] = {
    { "after", 0, 0, G_OPTION_ARG_FILENAME, &after_text,
      N_("Only the changes after sequence number SEQ"), N_("SEQ") },
    { "limit", 0, 0, G_OPTION_ARG_FILENAME, &limit_text,
      N_("At most N changes (default: all)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  MotcuaReplica *replica;
  guint64 after = 0, limit = 0;

  if (!motcua_tool_parse_args (tool, entries, 0, 0, argc, argv, &args, error))
    return tool->help_shown;
  if ((after_text != NULL && !motcua_parse_uint ("--after", after_text, G_MAXINT64, &after,
                                                  error))
      || (limit_text != NULL && !motcua_parse_uint ("--limit", limit_text, G_MAXINT, &limit,
                                                     error)))
    return FALSE;

  replica = motcua_cli_get_replica (tool, error);
  if (replica == NULL)
    return FALSE;
  changes = motcua_replica_list_changes (replica, after, (guint) limit, error);
  if (changes == NULL)
    return FALSE;

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < changes->len; i++)
        motcua_cli_json_add_change (builder, g_ptr_array_index (changes, i));
      json_builder_end_array (builder);
      motcua_print_builder (builder);
    }
  else
    {
      g_autoptr(MotcuaTable) table = NULL;

      table = motcua_table_new (_("SEQ"), _("HLC"), _("TABLE"), _("ROW"), _("COLUMN"),
                                _("VALUE"), NULL);
      for (guint i = 0; i < changes->len; i++)
        {
          const MotcuaChange *change = g_ptr_array_index (changes, i);
          g_autofree char *seq = g_strdup_printf ("%" G_GUINT64_FORMAT, change->seq);
          g_autofree char *hlc = motcua_hlc_to_string (change->hlc);
          g_autofree char *value = motcua_cli_change_value_to_string (change->value);

          motcua_table_add_row (table, seq, hlc, change->table, change->row_id,
                                change->column, value != NULL ? value : "null");
        }
      if (changes->len > 0)
        motcua_table_print (table, 0);
      else
        motcua_print_text (_("No changes.\n"));
    }

  return TRUE;
}

/* Dispatch */

static const MotcuaCommand offices_commands[] = {
  { "list", NULL, N_("List the offices as a tree"), motcua_cmd_offices_list, NULL },
  { "show", N_("CODE"), N_("Show one office"), cmd_offices_show, NULL },
  { NULL }
};

static const MotcuaCommand commands[] = {
  { "init", NULL, N_("Create the replica"), cmd_init, NULL },
  { "status", NULL, N_("Show the replica: identity, office, role, changes, cases"),
    cmd_status, NULL },
  { "offices", N_("COMMAND"), N_("The offices: list, show"), NULL, offices_commands },
  { "catalogue", N_("COMMAND"), N_("The procedure catalogue: import, list, search, show"), NULL,
    motcua_cli_catalogue_commands },
  { "calendar", N_("COMMAND"), N_("Working days: import, holidays, due"), NULL,
    motcua_cli_calendar_commands },
  { "cases", N_("COMMAND"),
    N_("Dossiers: receive, list, show, edit, advance, transfer, search, import"), NULL,
    motcua_cli_cases_commands },
  { "reorganisation", N_("COMMAND"), N_("A published reorganisation of the offices: preview, apply"),
    NULL, motcua_reorganisation_commands },
  { "report", NULL, N_("The one-stop report of an office for a period"), motcua_cmd_report, NULL },
  { "export", NULL, N_("Export the replicated state"), cmd_export, NULL },
  { "changes", NULL, N_("List the local change log"), cmd_changes, NULL },
  { "enroll", NULL, N_("Bind this replica to a server and its office (--server URL --token"
                       " TOKEN)"), motcua_cli_cmd_enroll, NULL },
  { "sync", N_("[status]"), N_("Sync with the server (--watch N to keep syncing); status:"
                               " pending, refused and conflicts"), motcua_cli_cmd_sync,
    motcua_cli_sync_commands },
  { "conflicts", N_("COMMAND"), N_("Conflicts: list, show, resolve"), NULL,
    motcua_cli_conflicts_commands },
  { "rejected", N_("COMMAND"), N_("Changes the server refused: list, retry, discard"), NULL,
    motcua_cli_rejected_commands },
  { "attach", N_("CASE FILE"), N_("Attach a scan to a case (--type MIME)"),
    motcua_cli_cmd_attach, NULL },
  { "attachments", N_("CASE"), N_("List the scans attached to a case"),
    motcua_cli_cmd_attachments, NULL },
  { "attachment", N_("COMMAND"), N_("A scan: get, show, remove, fetch-all"), NULL,
    motcua_cli_attachment_commands },
  { NULL }
};

static const MotcuaGlobalOption globals[] = {
  { "db", N_("The replica file (default: $MOTCUA_DB, else motcua.db)"), N_("PATH"),
    G_STRUCT_OFFSET (MotcuaCli, db_path), N_("--db needs a file name"), FALSE },
  { "json", N_("Print JSON instead of text"), NULL, G_STRUCT_OFFSET (MotcuaCli, tool.json),
    NULL, FALSE },
  { "officer", N_("Who is at the desk (default: $MOTCUA_OFFICER, else the user name)"),
    N_("NAME"), G_STRUCT_OFFSET (MotcuaCli, officer), N_("--officer needs a name"), TRUE },
  { NULL }
};

static const MotcuaToolInfo info = {
  "motcua-cli", N_("Một Cửa: a local replica of the one-stop desk"), commands, globals,
  get_replica,
  N_("The office to report on, with the offices below it (default: the replica's office)")
};

int
motcua_cli_run (int    argc,
                char **argv)
{
  MotcuaCli cli = { { &info } };
  const char *env;
  int status;

  env = g_getenv ("MOTCUA_DB");
  cli.db_path = g_strdup (env != NULL && *env != '\0' ? env : "motcua.db");
  env = g_getenv ("MOTCUA_OFFICER");
  cli.officer = env != NULL && *env != '\0' ? g_strdup (env) : NULL;

  status = motcua_tool_main (&cli.tool, argc, argv);

  g_clear_object (&cli.replica);
  g_free (cli.db_path);
  g_free (cli.officer);

  return status;
}
