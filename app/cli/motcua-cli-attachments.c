/* motcua-cli-attachments.c: attach, attachments, attachment get|show|fetch-all
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "motcua-cli-output.h"
#include "motcua-cli-private.h"

static void
json_add_attachment (JsonBuilder            *b,
                     const MotcuaAttachment *a)
{
  json_builder_begin_object (b);
  motcua_json_add_string (b, "id", a->id);
  motcua_json_add_string (b, "case_id", a->case_id);
  motcua_json_add_string (b, "name", a->name);
  motcua_json_add_string (b, "mime_type", a->mime_type);
  motcua_json_add_int (b, "size", (gint64) a->size);
  motcua_json_add_string (b, "sha256", a->sha256);
  motcua_json_add_string (b, "added_at", a->added_at);
  motcua_json_add_string (b, "replica", a->replica);
  motcua_json_add_string (b, "officer", a->officer);
  motcua_json_add_boolean (b, "present", a->present);
  motcua_json_add_int (b, "received", (gint64) a->received);
  motcua_json_add_boolean (b, "uploaded", a->uploaded);
  motcua_json_add_string (b, "sync_state", motcua_cli_sync_state_to_string (a->sync_state));
  motcua_json_add_boolean (b, "removed", a->removed);
  json_builder_end_object (b);
}

static void
print_attachment_json (const MotcuaAttachment *a)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_add_attachment (b, a);
  motcua_print_builder (b);
}

/* Whether the bytes are here: "yes", "no" or how much of them. */
static char *
presence (const MotcuaAttachment *a)
{
  if (a->present)
    return g_strdup (_("yes"));
  if (a->received == 0)
    return g_strdup (_("no"));

  return g_strdup_printf (_("%u%%"), (guint) (a->received * 100 / MAX (a->size, 1)));
}

/* attach */

gboolean
motcua_cli_cmd_attach (MotcuaTool  *tool,
                       int          argc,
                       char       **argv,
                       GError     **error)
{
  g_autofree char *type = NULL;
  const GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &type,
      N_("Its media type (default: guessed from the file)"), N_("MIME") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(MotcuaAttachment) a = NULL;
  g_autofree char *size = NULL;
  MotcuaReplica *replica;

  replica = motcua_tool_parse_and_open (tool, entries, 2, 2, argc, argv, &args, error);
  if (replica == NULL)
    return tool->help_shown;

  file = g_file_new_for_commandline_arg (args[1]);
  a = motcua_replica_add_attachment_from_file (replica, args[0], file, type, NULL, error);
  if (a == NULL)
    return FALSE;

  if (tool->json)
    {
      print_attachment_json (a);
      return TRUE;
    }
  size = g_format_size (a->size);
  motcua_print (_("Attached %s (%s, %s) to case %s: attachment %s\n"), a->name, size,
                a->mime_type, args[0], a->id);

  return TRUE;
}

/* attachments */

gboolean
motcua_cli_cmd_attachments (MotcuaTool  *tool,
                            int          argc,
                            char       **argv,
                            GError     **error)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(MotcuaTable) table = NULL;
  MotcuaReplica *replica;

  replica = motcua_tool_parse_and_open (tool, NULL, 1, 1, argc, argv, &args, error);
  if (replica == NULL)
    return tool->help_shown;

  list = motcua_replica_list_attachments (replica, args[0], error);
  if (list == NULL)
    return FALSE;

  if (tool->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        json_add_attachment (b, list->pdata[i]);
      json_builder_end_array (b);
      motcua_print_builder (b);
      return TRUE;
    }

  if (list->len == 0)
    {
      motcua_print (_("Case %s has no attachments.\n"), args[0]);
      return TRUE;
    }

  table = motcua_table_new (_("ID"), _("NAME"), _("TYPE"), _("SIZE"), _("HERE"),
                            _("ADDED"), _("BY"), _("SYNC"), NULL);
  for (guint i = 0; i < list->len; i++)
    {
      MotcuaAttachment *a = list->pdata[i];
      g_autofree char *size = g_format_size (a->size);
      g_autofree char *here = presence (a);

      motcua_table_add_row (table, a->id, a->name, a->mime_type, size, here, a->added_at,
                            a->officer, motcua_cli_sync_state_to_string (a->sync_state));
    }
  motcua_table_print (table, 0);

  return TRUE;
}

/* attachment show */

static gboolean
cmd_show (MotcuaTool  *tool,
          int          argc,
          char       **argv,
          GError     **error)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(MotcuaAttachment) a = NULL;
  g_autoptr(MotcuaTable) table = NULL;
  MotcuaReplica *replica;

  replica = motcua_tool_parse_and_open (tool, NULL, 1, 1, argc, argv, &args, error);
  if (replica == NULL)
    return tool->help_shown;

  a = motcua_replica_dup_attachment (replica, args[0], error);
  if (a == NULL)
    return FALSE;
  if (tool->json)
    {
      print_attachment_json (a);
      return TRUE;
    }

  table = motcua_table_new_fields ();
  motcua_table_add_field (table, _("Attachment"), a->id);
  motcua_table_add_field (table, _("Case"), a->case_id);
  motcua_table_add_field (table, _("Name"), a->name);
  motcua_table_add_field (table, _("Type"), a->mime_type);
  motcua_table_take_field (table, _("Size"),
                           g_format_size_full (a->size, G_FORMAT_SIZE_LONG_FORMAT));
  motcua_table_add_field (table, _("SHA-256"), a->sha256);
  motcua_table_add_field (table, _("Added"), a->added_at);
  motcua_table_add_field (table, _("By"), a->officer);
  motcua_table_take_field (table, _("On this replica"), presence (a));
  motcua_table_add_field (table, _("Uploaded"), a->uploaded ? _("yes") : _("not yet"));
  motcua_table_add_field (table, _("Sync"), motcua_cli_sync_state_to_string (a->sync_state));
  if (a->removed)
    motcua_table_add_field (table, _("Removed"),
                            _("yes: see the case's timeline for who removed it and why"));
  motcua_table_print (table, 0);

  return TRUE;
}

/* attachment get */

static void
print_fetch_progress (MotcuaSync *sync,
                      const char *attachment_id,
                      guint64     received,
                      guint64     size,
                      gpointer    user_data)
{
  MotcuaTool *tool = user_data;

  g_autofree char *done = g_format_size (received);
  g_autofree char *total = g_format_size (size);

  if (!tool->json)
    g_printerr (_("received %s of %s\n"), done, total);
}

/* The attachment's bytes, from the replica or, when they are not here yet, from the server. */
static GBytes *
read_or_fetch (MotcuaTool  *tool,
               const char  *id,
               GError     **error)
{
  MotcuaCli *cli = MOTCUA_CLI (tool);
  MotcuaReplica *replica = motcua_cli_get_replica (tool, error);
  g_autoptr(MotcuaSync) sync = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *data;

  if (replica == NULL)
    return NULL;
  data = motcua_replica_read_attachment (replica, id, &local_error);
  if (data != NULL || !g_error_matches (local_error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_AVAILABLE))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return data;
    }

  sync = motcua_sync_new (cli->db_path);
  g_signal_connect (sync, "attachment-progress", G_CALLBACK (print_fetch_progress), cli);

  return motcua_sync_fetch_attachment (sync, id, NULL, error);
}

static gboolean
write_stdout (GBytes  *data,
              GError **error)
{
  gsize size;
  const void *bytes = g_bytes_get_data (data, &size);

  if (size > 0 && fwrite (bytes, 1, size, stdout) != size)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Cannot write to standard output"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
cmd_get (MotcuaTool  *tool,
         int          argc,
         char       **argv,
         GError     **error)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the scan to FILE (default: standard output)"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(GBytes) data = NULL;

  if (!motcua_tool_parse_args (tool, entries, 1, 1, argc, argv, &args, error))
    return tool->help_shown;

  data = read_or_fetch (tool, args[0], error);
  if (data == NULL)
    return FALSE;

  if (output == NULL)
    return write_stdout (data, error);

  /* A temporary file renamed into place: on any error, nothing is left at @output. */
  return g_file_set_contents (output, g_bytes_get_data (data, NULL),
                              (gssize) g_bytes_get_size (data), error);
}

/* attachment remove */

static gboolean
cmd_remove (MotcuaTool  *tool,
            int          argc,
            char       **argv,
            GError     **error)
{
  g_autofree char *reason = NULL;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_FILENAME, &reason,
      N_("Why it is removed (required): it goes into the case's timeline"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(MotcuaAttachment) a = NULL;
  MotcuaReplica *replica;

  if (!motcua_tool_parse_args (tool, entries, 1, 1, argc, argv, &args, error))
    return tool->help_shown;
  if (reason == NULL)
    {
      motcua_set_usage_error (error, _("attachment remove needs --reason TEXT: why it is"
                                       " removed"));
      return FALSE;
    }
  replica = motcua_cli_get_replica (tool, error);
  if (replica == NULL)
    return FALSE;

  if (!motcua_replica_remove_attachment (replica, args[0], reason, error)
      || (a = motcua_replica_dup_attachment (replica, args[0], error)) == NULL)
    return FALSE;

  if (tool->json)
    print_attachment_json (a);
  else
    motcua_print (_("Removed the scan “%s” from its case; every replica learns it at its"
                    " next sync.\n"), a->name);

  return TRUE;
}

/* attachment fetch-all */

static gboolean
cmd_fetch_all (MotcuaTool  *tool,
               int          argc,
               char       **argv,
               GError     **error)
{
  g_auto(GStrv) args = NULL;
  MotcuaReplica *replica;
  gboolean on;

  if (!motcua_tool_parse_args (tool, NULL, 0, 1, argc, argv, &args, error))
    return tool->help_shown;
  if (args[0] != NULL && g_strcmp0 (args[0], "on") != 0 && g_strcmp0 (args[0], "off") != 0)
    {
      motcua_set_usage_error (error, _("fetch-all takes “on” or “off”, not “%s”"),
                              args[0]);
      return FALSE;
    }
  replica = motcua_cli_get_replica (tool, error);
  if (replica == NULL)
    return FALSE;

  if (args[0] != NULL
      && !motcua_replica_set_fetch_all_attachments (replica, g_str_equal (args[0], "on"), error))
    return FALSE;
  on = motcua_replica_get_fetch_all_attachments (replica);

  if (tool->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      motcua_json_add_boolean (b, "fetch_all", on);
      json_builder_end_object (b);
      motcua_print_builder (b);
    }
  else if (on)
    motcua_print (_("Each sync downloads every scan of the cases of this office.\n"));
  else
    motcua_print (_("Scans are downloaded when they are opened "
                    "(“motcua-cli attachment get ID”).\n"));

  return TRUE;
}

const MotcuaCommand motcua_cli_attachment_commands[] = {
  { "get", N_("ID"), N_("Write a scan to a file (-o FILE) or standard output, fetching it from "
                        "the server when it is not here"), cmd_get, NULL },
  { "show", N_("ID"), N_("Show an attachment: name, type, size, SHA-256, whether it is here"),
    cmd_show, NULL },
  { "remove", N_("ID --reason TEXT"), N_("Remove a scan attached by mistake, saying why (it "
                                         "stays in the case's timeline)"), cmd_remove, NULL },
  { "fetch-all", N_("[on|off]"), N_("Whether each sync downloads every scan in this office's "
                                    "jurisdiction"), cmd_fetch_all, NULL },
  { NULL }
};
