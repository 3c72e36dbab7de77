/* motcua-cli-case-view.c: how the cases commands of motcua-cli print a case and a list
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-cli-output.h"
#include "motcua-cli-private.h"

void
motcua_cli_print_case_list (MotcuaTool *tool,
                            GPtrArray  *cases)
{
  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < cases->len; i++)
        motcua_cli_json_add_case (builder, g_ptr_array_index (cases, i));
      json_builder_end_array (builder);
      motcua_print_builder (builder);
    }
  else if (cases->len == 0)
    motcua_print_text (_("No cases.\n"));
  else
    {
      g_autoptr(MotcuaTable) table = NULL;

      table = motcua_table_new (_("RECEIPT"), _("STATUS"), _("RECEIVED"), _("DUE"),
                                _("PROCEDURE"), _("APPLICANT"), NULL);
      for (guint i = 0; i < cases->len; i++)
        {
          const MotcuaCase *c = g_ptr_array_index (cases, i);
          g_autofree char *received = g_strndup (c->received_at, 10);

          motcua_table_add_row (table, c->receipt_no, motcua_status_to_string (c->status),
                                received, c->due_date, c->procedure_code, c->applicant_name);
        }
      motcua_table_print (table, 0);
    }
}

gboolean
motcua_cli_print_case_json (MotcuaTool  *tool,
                            const char  *key,
                            gboolean     with_events,
                            GError     **error)
{
  MotcuaCli *cli = MOTCUA_CLI (tool);
  MotcuaReplica *replica = cli->replica;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaProcedure) procedure = NULL;
  g_autoptr(GPtrArray) events = NULL;

  c = motcua_replica_dup_case (replica, key, error);
  if (c == NULL)
    return FALSE;
  /* A case may name a procedure that was since withdrawn from the catalogue. */
  procedure = motcua_replica_dup_procedure (replica, c->procedure_code, NULL);
  if (with_events)
    {
      events = motcua_replica_list_case_events (replica, c->id, error);
      if (events == NULL)
        return FALSE;
    }

  json_builder_begin_object (builder);
  motcua_cli_json_add_case_members (builder, c, procedure);
  if (events != NULL)
    {
      g_autofree char *promised = motcua_case_dup_promised_date (c, events);

      motcua_json_add_string (builder, "promised_date", promised);
      json_builder_set_member_name (builder, "events");
      json_builder_begin_array (builder);
      for (guint i = 0; i < events->len; i++)
        motcua_cli_json_add_case_event (builder, g_ptr_array_index (events, i));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  motcua_print_builder (builder);

  return TRUE;
}

static gboolean
print_case_text (MotcuaTool  *tool,
                 const char  *key,
                 GError     **error)
{
  MotcuaCli *cli = MOTCUA_CLI (tool);
  MotcuaReplica *replica = cli->replica;
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaProcedure) procedure = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(MotcuaTable) table = motcua_table_new_fields ();
  g_autofree char *promised = NULL;
  guint n_documents = 0;

  c = motcua_replica_dup_case (replica, key, error);
  if (c == NULL)
    return FALSE;
  procedure = motcua_replica_dup_procedure (replica, c->procedure_code, NULL);
  events = motcua_replica_list_case_events (replica, c->id, error);
  if (events == NULL)
    return FALSE;
  promised = motcua_case_dup_promised_date (c, events);

  motcua_table_add_field (table, _("Receipt number"), c->receipt_no);
  motcua_table_add_field (table, _("Case id"), c->id);
  motcua_table_take_field (table, _("Procedure"),
                           g_strdup_printf ("%s  %s", c->procedure_code,
                                            c->procedure_name ? c->procedure_name : ""));
  if (c->status_generation > 0)
    motcua_table_take_field (table, _("Status"),
                             g_strdup_printf (_("%s (round %u)"),
                                              motcua_status_to_string (c->status),
                                              c->status_generation + 1));
  else
    motcua_table_add_field (table, _("Status"), motcua_status_to_string (c->status));
  motcua_table_add_field (table, _("Received at"), c->received_at);
  motcua_table_add_field (table, _("Counted from"), c->clock_start);
  motcua_table_add_field (table, _("Due date"), c->due_date);
  if (promised != NULL)
    motcua_table_add_field (table, _("Promised date"), promised);
  motcua_table_add_field (table, _("Receiving office"), c->receiving_office);
  motcua_table_add_field (table, _("Handling office"), c->handling_office);
  if (g_strcmp0 (c->handling_office, c->receiving_office) != 0)
    motcua_table_add_field (table, _("Result handed back by"),
                            c->return_at_deciding ? c->handling_office : c->receiving_office);
  motcua_table_add_field (table, _("Applicant"), c->applicant_name);
  motcua_table_add_field (table, _("Citizen ID"), c->citizen_id);
  motcua_table_add_field (table, _("Phone"), c->phone);
  motcua_table_add_field (table, _("Address"), c->address);
  motcua_table_add_field (table, _("Channel"), motcua_channel_to_string (c->channel));
  motcua_table_add_field (table, _("Priority"), motcua_priority_to_string (c->priority));
  motcua_table_add_field (table, _("Resolved at"), c->resolved_at);
  motcua_table_add_field (table, _("Result"), c->result);
  if (c->returned_at != NULL)
    motcua_table_take_field (table, _("Returned at"),
                             g_strdup_printf (_("%s (%s)"), c->returned_at,
                                              motcua_channel_to_string (c->returned_via)));
  else
    motcua_table_add_field (table, _("Returned at"), NULL);
  if (c->rating > 0)
    motcua_table_take_field (table, _("Rating"), g_strdup_printf ("%d/5", c->rating));
  else
    motcua_table_add_field (table, _("Rating"), NULL);
  motcua_table_add_field (table, _("Sync state"),
                          motcua_cli_sync_state_to_string (c->sync_state));
  motcua_table_print (table, 0);

  if (procedure != NULL && procedure->documents != NULL)
    n_documents = g_strv_length (procedure->documents);
  motcua_print ("\n%s\n", _("Papers received:"));
  if (procedure != NULL)
    {
      for (guint i = 0; i < n_documents; i++)
        motcua_print ("  [%s] %*u  %s\n", motcua_cli_case_has_paper (c, i) ? "x" : " ",
                      n_documents > 10 ? 2 : 1, i, procedure->documents[i]);
      if (n_documents == 0)
        motcua_print ("  %s\n", _("none required"));
    }
  else
    {
      g_autofree char *papers = motcua_cli_papers_to_string (c->papers);

      motcua_print ("  %s\n", *papers ? papers : _("none"));
    }

  motcua_print ("\n%s\n", _("Timeline:"));
  for (guint i = 0; i < events->len; i++)
    {
      const MotcuaCaseEvent *event = g_ptr_array_index (events, i);
      g_autofree char *what = motcua_case_event_describe (event);

      motcua_print ("  %s  %s\n", event->at, what);
      motcua_print (_("      by %s at desk %s\n"), event->officer ? event->officer : "?",
                    event->replica ? event->replica : "?");
      if (event->note != NULL && *event->note != '\0')
        {
          g_autofree char *note = g_strdup (event->note);

          g_strdelimit (note, "\r\n", ' ');
          motcua_print (_("      note: %s\n"), note);
        }
    }

  return TRUE;
}

gboolean
motcua_cli_print_case (MotcuaTool  *tool,
                       const char  *key,
                       GError     **error)
{
  if (tool->json)
    return motcua_cli_print_case_json (tool, key, TRUE, error);

  return print_case_text (tool, key, error);
}
