/* motcua-reorganisation-commands.c: reorganisation preview and apply, in motcua-cli and
 * motcua-server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-output.h"
#include "motcua-shared-commands.h"

static void
print_plan (MotcuaReorganisation *reorg,
            GPtrArray            *steps,
            gboolean              json,
            gboolean              applied,
            guint                 n_moved)
{
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      motcua_json_add_string (builder, "effective", motcua_reorganisation_get_effective (reorg));
      motcua_json_add_string (builder, "title", motcua_reorganisation_get_title (reorg));
      motcua_json_add_string (builder, "legal_basis",
                              motcua_reorganisation_get_legal_basis (reorg));
      json_builder_set_member_name (builder, "applied");
      json_builder_add_boolean_value (builder, applied);
      if (applied)
        {
          json_builder_set_member_name (builder, "cases_moved");
          json_builder_add_int_value (builder, n_moved);
        }
      json_builder_set_member_name (builder, "steps");
      json_builder_begin_array (builder);
      for (guint i = 0; i < steps->len; i++)
        {
          const MotcuaReorgStep *step = g_ptr_array_index (steps, i);

          json_builder_begin_object (builder);
          motcua_json_add_string (builder, "action", motcua_reorg_action_to_string (step->action));
          motcua_json_add_string (builder, "code", step->code);
          motcua_json_add_string (builder, "name", step->name);
          motcua_json_add_string (builder, "target", step->target);
          json_builder_set_member_name (builder, "done");
          json_builder_add_boolean_value (builder, step->done);
          if (step->action == MOTCUA_REORG_END)
            {
              json_builder_set_member_name (builder, "open_cases");
              json_builder_add_int_value (builder, step->open_cases);
              json_builder_set_member_name (builder, "closed_cases");
              json_builder_add_int_value (builder, step->closed_cases);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      motcua_print_builder (builder);
      return;
    }

  {
    g_autoptr(MotcuaTable) table = motcua_table_new (_("OFFICE"), _("NAME"), _("CHANGE"),
                                                     _("STATE"), NULL);
    guint to_do = 0;

    motcua_print (_("%s, in effect from %s (%s)\n\n"), motcua_reorganisation_get_title (reorg),
                  motcua_reorganisation_get_effective (reorg),
                  motcua_reorganisation_get_legal_basis (reorg));
    for (guint i = 0; i < steps->len; i++)
      {
        const MotcuaReorgStep *step = g_ptr_array_index (steps, i);
        g_autofree char *change = motcua_reorg_step_describe (step);

        to_do += !step->done;
        motcua_table_add_row (table, step->code, step->name, change,
                              step->done ? _("done") : applied ? _("applied") : _("to do"));
      }
    motcua_table_print (table, 0);
    if (applied)
      motcua_print (_("\nApplied: %u open cases moved to the offices that took the work over."
                      " Desks of the ended offices move to their successors at their next"
                      " sync.\n"), n_moved);
    else if (to_do == 0)
      motcua_print (_("\nThis replica already holds the whole reorganisation.\n"));
    else
      motcua_print (_("\n%u steps to do: nothing was written (apply writes them).\n"), to_do);
  }
}

static gboolean
run (MotcuaTool  *tool,
     int          argc,
     char       **argv,
     gboolean     apply,
     GError     **error)
{
  g_autoptr(MotcuaReorganisation) reorg = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_auto(GStrv) args = NULL;
  MotcuaReplica *replica;
  guint n_moved = 0;

  if (!motcua_tool_parse_args (tool, NULL, 1, 1, argc, argv, &args, error))
    return tool->help_shown;
  reorg = motcua_reorganisation_load_file (args[0], error);
  if (reorg == NULL)
    return FALSE;
  replica = tool->info->get_replica (tool, apply, error);
  if (replica == NULL)
    return FALSE;
  /* The plan is read before applying, so the output shows what was to do. */
  steps = motcua_replica_plan_reorganisation (replica, reorg, error);
  if (steps == NULL)
    return FALSE;
  if (apply && !motcua_replica_apply_reorganisation (replica, reorg, &n_moved, error))
    return FALSE;
  print_plan (reorg, steps, tool->json, apply, n_moved);

  return TRUE;
}

static gboolean
cmd_preview (MotcuaTool  *tool,
             int          argc,
             char       **argv,
             GError     **error)
{
  return run (tool, argc, argv, FALSE, error);
}

static gboolean
cmd_apply (MotcuaTool  *tool,
           int          argc,
           char       **argv,
           GError     **error)
{
  return run (tool, argc, argv, TRUE, error);
}

const MotcuaCommand motcua_reorganisation_commands[] = {
  { "preview", N_("FILE"), N_("What a published reorganisation would change: writes nothing"),
    cmd_preview, NULL },
  { "apply", N_("FILE"), N_("Apply a reorganisation on or after its day (the province only)"),
    cmd_apply, NULL },
  { NULL }
};
