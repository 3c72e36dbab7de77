/* motcua-cli-apology.c: `cases apologise`, the apology for a late case and its slip
 *
 * The slip (phiếu xin lỗi và hẹn lại ngày trả kết quả) is printed as text, or as JSON with
 * --json, from what the library recorded: the case, and the "apologised" event just written.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-cli-private.h"

static void
print_slip_json (const MotcuaCase      *c,
                 const MotcuaOffice    *office,
                 const MotcuaCaseEvent *event)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  motcua_json_add_string (builder, "office", c->receiving_office);
  motcua_json_add_string (builder, "office_name", office != NULL ? office->name : NULL);
  motcua_json_add_string (builder, "receipt_no", c->receipt_no);
  motcua_json_add_string (builder, "id", c->id);
  motcua_json_add_string (builder, "applicant", c->applicant_name);
  motcua_json_add_string (builder, "citizen_id", c->citizen_id);
  motcua_json_add_string (builder, "procedure", c->procedure_code);
  motcua_json_add_string (builder, "procedure_name", c->procedure_name);
  motcua_json_add_string (builder, "received_at", c->received_at);
  motcua_json_add_string (builder, "due_date", c->due_date);
  motcua_json_add_string (builder, "previous_date", event->old_value);
  motcua_json_add_string (builder, "promised_date", event->new_value);
  motcua_json_add_string (builder, "reason", event->note);
  motcua_json_add_string (builder, "officer", event->officer);
  motcua_json_add_string (builder, "apologised_at", event->at);
  motcua_json_add_string (builder, "event", event->id);
  json_builder_end_object (builder);
  motcua_print_builder (builder);
}

static void
print_slip_text (const MotcuaCase      *c,
                 const MotcuaOffice    *office,
                 const MotcuaCaseEvent *event)
{
  g_autoptr(MotcuaTable) table = motcua_table_new_fields ();

  motcua_print ("%s\n\n", _("APOLOGY AND NEW APPOINTMENT FOR THE RESULT"));
  motcua_table_take_field (table, _("Office"),
                           office != NULL
                           ? g_strdup_printf ("%s (%s)", office->name, c->receiving_office)
                           : g_strdup (c->receiving_office));
  motcua_table_add_field (table, _("Receipt number"), c->receipt_no);
  motcua_table_take_field (table, _("Applicant"),
                           g_strdup_printf ("%s (%s)", c->applicant_name, c->citizen_id));
  motcua_table_take_field (table, _("Procedure"),
                           g_strdup_printf ("%s  %s", c->procedure_code,
                                            c->procedure_name ? c->procedure_name : ""));
  motcua_table_add_field (table, _("Received at"), c->received_at);
  motcua_table_add_field (table, _("Result was due on"), c->due_date);
  if (g_strcmp0 (event->old_value, c->due_date) != 0)
    motcua_table_add_field (table, _("Then promised for"), event->old_value);
  motcua_table_add_field (table, _("New date for the result"), event->new_value);
  motcua_table_add_field (table, _("Reason"), event->note);
  motcua_table_add_field (table, _("Officer"), event->officer);
  motcua_table_add_field (table, _("Issued at"), event->at);
  motcua_table_print (table, 0);
  motcua_print ("\n%s\n", _("The office apologises to the applicant for the delay."));
}

gboolean
motcua_cli_cmd_apologise (MotcuaTool  *tool,
                          int          argc,
                          char       **argv,
                          GError     **error)
{
  g_autofree char *until = NULL;
  g_autofree char *reason = NULL;
  const GOptionEntry entries[] = {
    { "until", 0, 0, G_OPTION_ARG_FILENAME, &until,
      N_("The new date for the result (YYYY-MM-DD, a working day after the due date)"),
      N_("DATE") },
    { "reason", 0, 0, G_OPTION_ARG_FILENAME, &reason,
      N_("Why the result is late, as printed on the slip"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaOffice) office = NULL;
  g_autoptr(GPtrArray) events = NULL;
  const MotcuaCaseEvent *event;
  MotcuaReplica *replica;

  replica = motcua_tool_parse_and_open (tool, entries, 1, 1, argc, argv, &args, error);
  if (replica == NULL)
    return tool->help_shown;
  if (until == NULL)
    return motcua_set_usage_error (error, _("--until DATE is required: the new date for the "
                                            "result"));
  if (reason == NULL)
    return motcua_set_usage_error (error, _("--reason TEXT is required: why the result is "
                                            "late"));

  c = motcua_replica_dup_case (replica, args[0], error);
  if (c == NULL
      || !motcua_replica_apologise_case (replica, c->id, until, reason, error))
    return FALSE;
  events = motcua_replica_list_case_events (replica, c->id, error);
  if (events == NULL)
    return FALSE;
  /* The event just written: the latest apology. */
  event = NULL;
  for (guint i = events->len; i > 0 && event == NULL; i--)
    if (g_strcmp0 (((MotcuaCaseEvent *) g_ptr_array_index (events, i - 1))->action,
                   "apologised") == 0)
      event = g_ptr_array_index (events, i - 1);
  g_assert (event != NULL);
  office = motcua_replica_dup_office (replica, c->receiving_office, NULL);

  if (tool->json)
    print_slip_json (c, office, event);
  else
    print_slip_text (c, office, event);

  return TRUE;
}
