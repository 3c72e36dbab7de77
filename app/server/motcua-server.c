/* motcua-server.c: global options, dispatch and the administration commands
 *
 * The provincial server is a replica of province role whose store also holds the enrolled
 * replicas and the global order they pull from. Every command here is a call into libmotcua;
 * `serve` (motcua-server-http.c) puts the same store on the network.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

/* The hub's private API: enrolment and the list of replicas. The umbrella comes first, so the
 * public headers the private ones name are already in. */
#include <motcua/motcua.h>

#include "motcua-offices.h"
#include "motcua-shared-commands.h"
#include "motcua-server-private.h"


/* Options that take a word from a short list. */
static gboolean
check_choice (const char  *option,
              const char  *value,
              const char  *choices,
              GError     **error)
{
  g_auto(GStrv) words = g_strsplit (choices, "|", -1);
  g_autofree char *listed = NULL;

  if (value != NULL && g_strv_contains ((const char *const *) words, value))
    return TRUE;

  listed = g_strjoinv (", ", words);
  motcua_set_usage_error (error, _("%s “%s” must be one of %s"), option,
                          value != NULL ? value : "", listed);

  return FALSE;
}

/* migrate */

/* A PostgreSQL store's schema made or brought up to date; an SQLite store is brought up to date
 * whenever it is opened, which this does too. */
static gboolean
cmd_migrate (MotcuaTool  *tool,
             int          argc,
             char       **argv,
             GError     **error)
{
  g_auto(GStrv) args = NULL;
  const char *store;
  int from = 0, to = MOTCUA_SCHEMA_VERSION;
  gboolean postgresql;

  if (!motcua_tool_parse_args (tool, NULL, 0, 0, argc, argv, &args, error))
    return tool->help_shown;
  store = motcua_server_get_store_name (tool, error);
  if (store == NULL)
    return FALSE;
  postgresql = motcua_hub_store_is_postgresql (store);
  if (postgresql)
    {
      if (!motcua_hub_migrate_postgresql (store, &from, &to, error))
        return FALSE;
    }
  else
    {
      if (motcua_server_get_store (tool, TRUE, error) == NULL)
        return FALSE;
    }

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      motcua_json_add_string (builder, "backend", postgresql ? "postgresql" : "sqlite");
      /* An SQLite store migrates as it opens, from a version it does not report. */
      if (postgresql)
        {
          json_builder_set_member_name (builder, "from");
          json_builder_add_int_value (builder, from);
        }
      json_builder_set_member_name (builder, "to");
      json_builder_add_int_value (builder, to);
      json_builder_end_object (builder);
      motcua_print_builder (builder);
    }
  else if (!postgresql)
    motcua_print (_("The SQLite store %s is at schema version %d.\n"), store, to);
  else if (from == to)
    motcua_print (_("The PostgreSQL store is at schema version %d already.\n"), to);
  else
    motcua_print (_("The PostgreSQL store's schema went from version %d to %d.\n"), from, to);

  return TRUE;
}

/* init */

static gboolean
cmd_init (MotcuaTool  *tool,
          int          argc,
          char       **argv,
          GError     **error)
{
  g_autofree char *province = NULL;
  g_autofree char *name = NULL;
  const GOptionEntry entries[] = {
    { "province", 0, 0, G_OPTION_ARG_FILENAME, &province,
      N_("The province's office code"), N_("CODE") },
    { "name", 0, 0, G_OPTION_ARG_FILENAME, &name, N_("The province's name"), N_("NAME") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(MotcuaReplica) store = NULL;
  g_autoptr(GError) local_error = NULL;
  MotcuaOffice office = { 0 };
  const char *path;

  if (!motcua_tool_parse_args (tool, entries, 0, 0, argc, argv, &args, error))
    return tool->help_shown;
  if (province == NULL || *g_strstrip (province) == '\0')
    {
      motcua_set_usage_error (error, _("init needs --province CODE"));
      return FALSE;
    }
  if (name == NULL || *g_strstrip (name) == '\0')
    {
      motcua_set_usage_error (error, _("init needs --name NAME, the province's name"));
      return FALSE;
    }

  path = motcua_server_get_store_path (tool, error);
  if (path == NULL)
    return FALSE;
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_EXISTS,
                   _("%s exists already: a store is created once"), path);
      return FALSE;
    }
  if (!motcua_server_lock_store (tool, path, MOTCUA_STORE_ALONE, error))
    return FALSE;

  store = motcua_replica_create (path, province, MOTCUA_LEVEL_PROVINCE, error);
  if (store == NULL)
    return FALSE;

  /* The province is the root of the office tree; from here on a failure leaves no store. */
  office.code = province;
  office.name = name;
  office.level = MOTCUA_LEVEL_PROVINCE;
  if (!motcua_replica_put_office (store, &office, &local_error))
    {
      g_clear_object (&store);
      motcua_remove_replica_files (path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      motcua_json_add_string (builder, "store", path);
      motcua_json_add_string (builder, "replica_id", motcua_replica_get_id (store));
      motcua_json_add_string (builder, "province", province);
      motcua_json_add_string (builder, "name", name);
      json_builder_end_object (builder);
      motcua_print_builder (builder);
    }
  else
    motcua_print (_("Created the store %s for province %s (%s).\n"), path, province,
                  name);

  return TRUE;
}

/* offices */

static gboolean
cmd_offices_add (MotcuaTool  *tool,
                 int          argc,
                 char       **argv,
                 GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *level_text = NULL;
  g_autofree char *parent = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_FILENAME, &name, N_("The office's name"), N_("NAME") },
    { "level", 0, 0, G_OPTION_ARG_FILENAME, &level_text,
      N_("district, commune or department"), N_("LEVEL") },
    { "parent", 0, 0, G_OPTION_ARG_FILENAME, &parent,
      N_("The office it belongs to"), N_("CODE") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(MotcuaOffice) existing = NULL;
  g_autoptr(MotcuaOffice) added = NULL;
  g_autoptr(GError) local_error = NULL;
  MotcuaOffice office = { 0 };
  MotcuaReplica *store;

  if (!motcua_tool_parse_args (tool, entries, 1, 1, argc, argv, &args, error))
    return tool->help_shown;
  if (name == NULL || *g_strstrip (name) == '\0')
    {
      motcua_set_usage_error (error, _("offices add needs --name NAME"));
      return FALSE;
    }
  if (!check_choice ("--level", level_text, "district|commune|department", error))
    return FALSE;
  if (parent == NULL || *parent == '\0')
    {
      motcua_set_usage_error (error, _("offices add needs --parent CODE, the office it "
                                       "belongs to"));
      return FALSE;
    }

  store = motcua_server_get_store (tool, TRUE, error);
  if (store == NULL)
    return FALSE;
  existing = motcua_replica_dup_office (store, args[0], &local_error);
  if (existing != NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_EXISTS,
                   _("office %s exists already (%s)"), existing->code, existing->name);
      return FALSE;
    }
  if (!g_error_matches (local_error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  office.code = args[0];
  office.name = name;
  motcua_level_from_string (level_text, &office.level);
  office.parent_code = parent;
  if (!motcua_replica_put_office (store, &office, error))
    return FALSE;
  added = motcua_replica_dup_office (store, args[0], error);
  if (added == NULL)
    return FALSE;

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      motcua_json_add_office (builder, added, -1);
      motcua_print_builder (builder);
    }
  else
    motcua_print (_("Added office %s (%s), a %s under %s.\n"), added->code, added->name,
                  motcua_level_to_string (added->level), added->parent_code);

  return TRUE;
}

/* What an import says: offices add to the tree; the catalogue and the calendar are
 * published. Either way the rows are the province's writes, and replicas get them
 * at their next pull. */
static void
print_import (const char       *path,
              MotcuaImportKind  kind,
              guint             n_rows)
{
  switch (kind)
    {
    case MOTCUA_IMPORT_CATALOGUE:
      motcua_print (ngettext ("Published %u procedure from %s; replicas get it at their "
                              "next sync.\n",
                              "Published %u procedures from %s; replicas get them at "
                              "their next sync.\n", n_rows), n_rows, path);
      break;
    case MOTCUA_IMPORT_CALENDAR:
      motcua_print (ngettext ("Published %u calendar day from %s; replicas get it at "
                              "their next sync.\n",
                              "Published %u calendar days from %s; replicas get them at "
                              "their next sync.\n", n_rows), n_rows, path);
      break;
    case MOTCUA_IMPORT_OFFICES:
    case MOTCUA_IMPORT_CASES:
    default:
      motcua_print_imported (path, kind, n_rows);
      break;
    }
}

static gboolean
cmd_offices_import (MotcuaTool  *tool,
                    int          argc,
                    char       **argv,
                    GError     **error)
{
  return motcua_tool_run_import (tool, argc, argv, MOTCUA_IMPORT_OFFICES, print_import, error);
}

/* replicas */

static gboolean
cmd_replicas_enroll (MotcuaTool  *tool,
                     int          argc,
                     char       **argv,
                     GError     **error)
{
  g_auto(GStrv) args = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_id = NULL;
  MotcuaReplica *store;

  store = motcua_tool_parse_and_open (tool, NULL, 1, 1, argc, argv, &args, error);
  if (store == NULL)
    return tool->help_shown;
  token = motcua_hub_enroll (motcua_server_hub (tool), args[0], error);
  if (token == NULL)
    return FALSE;
  token_id = g_strndup (token, strcspn (token, "."));

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      motcua_json_add_string (builder, "office", args[0]);
      motcua_json_add_string (builder, "token_id", token_id);
      motcua_json_add_string (builder, "token", token);
      json_builder_end_object (builder);
      motcua_print_builder (builder);
      return TRUE;
    }

  /* The token alone on standard output, for scripts; the advice beside it, for people. */
  motcua_print ("%s\n", token);
  fflush (stdout);
  fprintf (stderr, _("Enrolled office %s (token id %s). Give the token above to that office's "
                     "replica now: it is shown only this once, and the server keeps only its "
                     "hash.\n"), args[0], token_id);
  fflush (stderr);

  return TRUE;
}

static gboolean
cmd_replicas_list (MotcuaTool  *tool,
                   int          argc,
                   char       **argv,
                   GError     **error)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) replicas = NULL;
  MotcuaReplica *store;

  store = motcua_tool_parse_and_open (tool, NULL, 0, 0, argc, argv, &args, error);
  if (store == NULL)
    return tool->help_shown;
  replicas = motcua_hub_list_replicas (motcua_server_hub (tool), error);
  if (replicas == NULL)
    return FALSE;

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < replicas->len; i++)
        {
          const MotcuaHubReplicaInfo *info = g_ptr_array_index (replicas, i);

          json_builder_begin_object (builder);
          motcua_json_add_string (builder, "token_id", info->token_id);
          motcua_json_add_string (builder, "office", info->office_code);
          motcua_json_add_string (builder, "desk", info->desk_code);
          motcua_json_add_string (builder, "replica_id", info->replica_id);
          motcua_json_add_int (builder, "acked_seq", (gint64) info->acked_seq);
          json_builder_set_member_name (builder, "revoked");
          json_builder_add_boolean_value (builder, info->revoked);
          motcua_json_add_string (builder, "enrolled_at", info->enrolled_at);
          motcua_json_add_string (builder, "last_seen_at", info->last_seen_at);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      motcua_print_builder (builder);
    }
  else if (replicas->len == 0)
    motcua_print ("%s\n", _("No replicas are enrolled."));
  else
    {
      g_autoptr(MotcuaTable) table = motcua_table_new (_("TOKEN ID"), _("OFFICE"), _("DESK"),
                                                       _("REPLICA"), _("ACKED"), _("REVOKED"),
                                                       _("ENROLLED"), _("LAST SEEN"), NULL);

      for (guint i = 0; i < replicas->len; i++)
        {
          const MotcuaHubReplicaInfo *info = g_ptr_array_index (replicas, i);
          g_autofree char *acked = g_strdup_printf ("%" G_GUINT64_FORMAT, info->acked_seq);

          motcua_table_add_row (table, info->token_id, info->office_code, info->desk_code,
                                info->replica_id != NULL ? info->replica_id
                                                         : _("not yet bound"),
                                acked, info->revoked ? _("yes") : _("no"), info->enrolled_at,
                                info->last_seen_at != NULL ? info->last_seen_at : _("never"));
        }
      motcua_table_print (table, 0);
    }

  return TRUE;
}

static gboolean
cmd_replicas_revoke (MotcuaTool  *tool,
                     int          argc,
                     char       **argv,
                     GError     **error)
{
  g_auto(GStrv) args = NULL;
  MotcuaReplica *store;

  if (!motcua_tool_parse_args (tool, NULL, 1, 1, argc, argv, &args, error))
    return tool->help_shown;
  if (strchr (args[0], '.') != NULL)
    {
      /* Whole tokens do not belong in shell histories, nor in this command. */
      motcua_set_usage_error (error, _("give the token id (the part of the token before "
                                       "the dot, as “replicas list” shows it), not the "
                                       "token"));
      return FALSE;
    }

  store = motcua_server_get_store (tool, FALSE, error);
  if (store == NULL || !motcua_hub_revoke (motcua_server_hub (tool), args[0], error))
    return FALSE;

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      motcua_json_add_string (builder, "token_id", args[0]);
      json_builder_set_member_name (builder, "revoked");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      motcua_print_builder (builder);
    }
  else
    motcua_print (_("Revoked token %s: its replica can no longer sync.\n"), args[0]);

  return TRUE;
}

/* restore */

static gboolean
cmd_restore (MotcuaTool  *tool,
             int          argc,
             char       **argv,
             GError     **error)
{
  g_auto(GStrv) args = NULL;
  const char *path;
  MotcuaReplica *store;
  gint64 generation;

  if (!motcua_tool_parse_args (tool, NULL, 1, 1, argc, argv, &args, error))
    return tool->help_shown;
  path = motcua_server_get_store_path (tool, error);
  if (path == NULL)
    return FALSE;
  if (!g_file_test (args[0], G_FILE_TEST_IS_REGULAR))
    {
      motcua_set_usage_error (error, _("There is no copy of a store at %s"), args[0]);
      return FALSE;
    }
  /* Never under a running server, nor beside any other command: they would go on with the
   * store they had open. */
  if (!motcua_server_lock_store (tool, path, MOTCUA_STORE_ALONE, error)
      || !motcua_hub_restore (path, args[0], error))
    return FALSE;

  store = motcua_server_get_store (tool, FALSE, error);
  if (store == NULL)
    return FALSE;
  generation = motcua_hub_get_generation (motcua_server_hub (tool));

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      motcua_json_add_string (builder, "store", path);
      motcua_json_add_string (builder, "copy", args[0]);
      json_builder_set_member_name (builder, "generation");
      json_builder_add_int_value (builder, generation);
      json_builder_set_member_name (builder, "receipt_numbers_from");
      json_builder_add_int_value (builder, generation * MOTCUA_HUB_RECEIPT_SPAN + 1);
      json_builder_set_member_name (builder, "desk_numbers_from");
      json_builder_add_int_value (builder, generation * MOTCUA_HUB_DESK_SPAN + 1);
      json_builder_end_object (builder);
      motcua_print_builder (builder);
    }
  else
    motcua_print (_("Restored %s from %s (restore %lld). Receipt numbers leased from now"
                    " on start at %lld for every office and year, and new desks are"
                    " numbered from %lld, so nothing given out since the copy was taken"
                    " is given twice. Start the server: at its next sync, every desk"
                    " sends again what the copy lacks.\n"),
                  path, args[0], (long long) generation,
                  (long long) (generation * MOTCUA_HUB_RECEIPT_SPAN + 1),
                  (long long) (generation * MOTCUA_HUB_DESK_SPAN + 1));

  return TRUE;
}

/* publish */

static gboolean
cmd_publish_catalogue (MotcuaTool  *tool,
                       int          argc,
                       char       **argv,
                       GError     **error)
{
  return motcua_tool_run_import (tool, argc, argv, MOTCUA_IMPORT_CATALOGUE, print_import,
                                 error);
}

static gboolean
cmd_publish_calendar (MotcuaTool  *tool,
                      int          argc,
                      char       **argv,
                      GError     **error)
{
  return motcua_tool_run_import (tool, argc, argv, MOTCUA_IMPORT_CALENDAR, print_import,
                                 error);
}

/* serve */

static gboolean
cmd_serve (MotcuaTool  *tool,
           int          argc,
           char       **argv,
           GError     **error)
{
  g_autofree char *listen = NULL;
  g_autofree char *port = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_FILENAME, &listen,
      N_("The IP address to listen on (default: 127.0.0.1)"), N_("ADDRESS") },
    { "port", 0, 0, G_OPTION_ARG_FILENAME, &port,
      N_("The TCP port (default: 8470; 0: any free port)"), N_("N") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      N_("Serve HTTPS with this certificate (PEM, with its chain)"), N_("PEM") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
      N_("The certificate's private key (PEM)"), N_("PEM") },
    G_OPTION_ENTRY_NULL
  };
  const struct
  {
    const char *key;
    const char *option;
    char      **value;
  } flags[] = {
    { "listen", "--listen", &listen },
    { "port", "--port", &port },
    { "tls-cert", "--tls-cert", &tls_cert },
    { "tls-key", "--tls-key", &tls_key },
  };
  g_auto(GStrv) args = NULL;
  MotcuaServerConfig *config;
  MotcuaReplica *store;
  const char *path;

  if (!motcua_tool_parse_args (tool, entries, 0, 0, argc, argv, &args, error))
    return tool->help_shown;

  config = motcua_server_get_config (tool, error);
  if (config == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (*flags[i].value != NULL
        && !motcua_server_config_set (config, flags[i].option, flags[i].key, *flags[i].value,
                                      error))
      return FALSE;
  if ((config->tls_cert == NULL) != (config->tls_key == NULL))
    {
      motcua_set_usage_error (error, _("HTTPS needs both a certificate and its key "
                                       "(--tls-cert and --tls-key, or tls-cert and "
                                       "tls-key in the config file)"));
      return FALSE;
    }

  path = motcua_server_get_store_path (tool, error);
  if (path == NULL || !motcua_server_lock_store (tool, path, MOTCUA_STORE_SERVE, error))
    return FALSE;
  store = motcua_server_get_store (tool, TRUE, error);
  if (store == NULL || !motcua_hub_count_digests (motcua_server_hub (tool), error))
    return FALSE;

  return motcua_server_serve (motcua_server_hub (tool), config, error);
}

/* Dispatch */

static const MotcuaCommand offices_commands[] = {
  { "add", N_("CODE"), N_("Add an office below the province: a department, district or commune"),
    cmd_offices_add, NULL },
  { "list", NULL, N_("List the offices as a tree"), motcua_cmd_offices_list, NULL },
  { "import", N_("FILE"), N_("Import offices (JSON or CSV, as data/offices.json)"),
    cmd_offices_import, NULL },
  { NULL }
};

static const MotcuaCommand replicas_commands[] = {
  { "enroll", N_("OFFICE"), N_("Enroll a replica of an office: prints its token, once"),
    cmd_replicas_enroll, NULL },
  { "list", NULL, N_("List the enrolled replicas"), cmd_replicas_list, NULL },
  { "revoke", N_("TOKEN_ID"), N_("Revoke a replica's token"), cmd_replicas_revoke, NULL },
  { NULL }
};

static const MotcuaCommand publish_commands[] = {
  { "catalogue", N_("FILE"), N_("Publish a procedure catalogue (JSON or CSV)"),
    cmd_publish_catalogue, NULL },
  { "calendar", N_("FILE"), N_("Publish a year's calendar of holidays and make-up days"),
    cmd_publish_calendar, NULL },
  { NULL }
};

static const MotcuaCommand commands[] = {
  { "init", NULL, N_("Create the store of a province"), cmd_init, NULL },
  { "migrate", NULL, N_("Create or update the store's schema (a PostgreSQL store's too)"),
    cmd_migrate, NULL },
  { "offices", N_("COMMAND"), N_("The offices: add, list, import"), NULL, offices_commands },
  { "replicas", N_("COMMAND"), N_("The enrolled replicas: enroll, list, revoke"), NULL,
    replicas_commands },
  { "conflicts", N_("COMMAND"), N_("Conflicting edits: list, show, resolve"), NULL,
    motcua_server_conflicts_commands },
  { "publish", N_("COMMAND"), N_("Publish province data to every replica: catalogue, calendar"),
    NULL, publish_commands },
  { "reorganisation", N_("COMMAND"), N_("A published reorganisation of the offices: preview, apply"),
    NULL, motcua_reorganisation_commands },
  { "report", NULL, N_("The one-stop report of an office for a period, over the merged data"),
    motcua_cmd_report, NULL },
  { "restore", N_("COPY"), N_("Put an older copy of the store in its place (the server stopped)"),
    cmd_restore, NULL },
  { "serve", NULL, N_("Serve the replicas over HTTP(S) until SIGTERM"), cmd_serve, NULL },
  { NULL }
};

static const MotcuaGlobalOption globals[] = {
  { "config", N_("The config file (default: $MOTCUA_SERVER_CONFIG, else none)"), N_("FILE"),
    G_STRUCT_OFFSET (MotcuaServerTool, config_path), N_("--config needs a file name"), FALSE },
  { "store", N_("The server's store: an SQLite file, or a postgresql:// URI (default: “store” "
                "in the config file, else motcua-server.db)"), N_("PATH"),
    G_STRUCT_OFFSET (MotcuaServerTool, store_path), N_("--store needs a file name"), FALSE },
  { "json", N_("Print JSON instead of text"), NULL,
    G_STRUCT_OFFSET (MotcuaServerTool, tool.json), NULL, FALSE },
  { NULL }
};

static const MotcuaToolInfo info = {
  "motcua-server",
  N_("Một Cửa: the provincial server, a province replica that the offices' replicas sync with"),
  commands, globals, motcua_server_get_store,
  N_("The office to report on, with the offices below it (default: the province)")
};

int
motcua_server_run (int    argc,
                   char **argv)
{
  MotcuaServerTool server = { { &info } };
  const char *env = g_getenv ("MOTCUA_SERVER_CONFIG");
  int status;

  server.config_path = env != NULL && *env != '\0' ? g_strdup (env) : NULL;
  server.lock_fd = server.serve_lock_fd = -1;

  status = motcua_tool_main (&server.tool, argc, argv);
  if (status == MOTCUA_EXIT_OK)
    motcua_server_publish_writes (&server.tool);

  g_clear_object (&server.hub);
  g_clear_object (&server.store);
  motcua_server_unlock_store (&server.tool);
  motcua_server_config_free (server.config);
  g_free (server.config_path);
  g_free (server.store_path);

  return status;
}
