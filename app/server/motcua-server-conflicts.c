/* motcua-server-conflicts.c: reviewing and resolving conflicts at the province
 *
 * The hub detects conflicts as changes arrive; they are replicated rows like any other. A
 * resolution made here is an ordinary write of the province that has seen both sides, and it
 * closes the conflict at every replica.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "motcua-server-private.h"
#include "motcua-shared-commands.h"

static void
json_add_side (JsonBuilder              *builder,
               const char               *member,
               const MotcuaConflictSide *side)
{
  g_autofree char *hlc = motcua_hlc_to_string (side->hlc);

  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  motcua_json_add_string (builder, "value", side->value);
  motcua_json_add_string (builder, "hlc", hlc);
  motcua_json_add_string (builder, "at", side->at);
  motcua_json_add_string (builder, "replica", side->replica);
  motcua_json_add_string (builder, "office", side->office);
  json_builder_end_object (builder);
}

static void
json_add_conflict (JsonBuilder          *builder,
                   const MotcuaConflict *conflict)
{
  char winner[2] = { conflict->winner, '\0' };

  json_builder_begin_object (builder);
  motcua_json_add_string (builder, "id", conflict->id);
  motcua_json_add_string (builder, "table", conflict->table);
  motcua_json_add_string (builder, "row_id", conflict->row_id);
  motcua_json_add_string (builder, "column", conflict->column);
  motcua_json_add_string (builder, "case_id", conflict->case_id);
  motcua_json_add_string (builder, "receipt_no", conflict->receipt_no);
  json_add_side (builder, "a", &conflict->a);
  json_add_side (builder, "b", &conflict->b);
  motcua_json_add_string (builder, "winner", winner);
  motcua_json_add_string (builder, "detected_at", conflict->detected_at);
  json_builder_set_member_name (builder, "resolved");
  json_builder_add_boolean_value (builder, conflict->resolved);
  motcua_json_add_string (builder, "resolution", conflict->resolution);
  motcua_json_add_string (builder, "resolved_by", conflict->resolved_by);
  motcua_json_add_string (builder, "resolved_at", conflict->resolved_at);
  json_builder_end_object (builder);
}

/* A side in one cell: “value” (office). */
static char *
describe_side (const MotcuaConflictSide *side)
{
  const char *value = side->value != NULL ? side->value : _("(no value)");

  if (side->office != NULL)
    return g_strdup_printf ("“%s” (%s)", value, side->office);

  return g_strdup_printf ("“%s”", value);
}

static gboolean
cmd_conflicts_list (MotcuaTool  *tool,
                    int          argc,
                    char       **argv,
                    GError     **error)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  MotcuaReplica *store = NULL;
  gboolean all;

  conflicts = motcua_tool_list_conflicts (tool, argc, argv, N_("Also the resolved ones"), &store,
                                          &all, error);
  if (conflicts == NULL)
    return store == NULL && tool->help_shown;

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < conflicts->len; i++)
        json_add_conflict (builder, g_ptr_array_index (conflicts, i));
      json_builder_end_array (builder);
      motcua_print_builder (builder);
    }
  else if (conflicts->len == 0)
    motcua_print ("%s\n", all ? _("No conflicts.") : _("No open conflicts."));
  else
    {
      g_autoptr(MotcuaTable) table = motcua_table_new (_("ID"), _("RECORD"), _("FIELD"), _("A"),
                                                       _("B"), _("KEPT"), _("DETECTED"),
                                                       _("STATE"), NULL);

      for (guint i = 0; i < conflicts->len; i++)
        {
          const MotcuaConflict *c = g_ptr_array_index (conflicts, i);

          /* Ids are UUIDs; their first 8 characters name them for show and resolve. */
          motcua_table_take_cell (table, g_strndup (c->id, 8));
          motcua_table_take_cell (table,
                                  g_strdup_printf ("%s %s", c->table,
                                                   c->receipt_no != NULL ? c->receipt_no
                                                                         : c->row_id));
          motcua_table_take_cell (table, g_strdup (c->column));
          motcua_table_take_cell (table, describe_side (&c->a));
          motcua_table_take_cell (table, describe_side (&c->b));
          motcua_table_take_cell (table, g_strdup_printf ("%c", c->winner));
          motcua_table_take_cell (table, g_strdup (c->detected_at));
          motcua_table_take_cell (table, g_strdup (c->resolved ? _("resolved") : _("open")));
        }
      motcua_table_print (table, 0);
    }

  return TRUE;
}

static void
add_side_fields (MotcuaTable              *table,
                 const char               *label,
                 const MotcuaConflictSide *side)
{
  motcua_table_take_cell (table, g_strdup (label));
  motcua_table_take_cell (table, g_strdup (side->value != NULL ? side->value : _("(no value)")));
  motcua_table_take_cell (table, g_strdup (""));
  motcua_table_take_cell (table, g_strdup_printf (_("at %s, by replica %s%s%s%s"),
                                                  side->at != NULL ? side->at : "?",
                                                  side->replica != NULL ? side->replica : "?",
                                                  side->office != NULL ? " (" : "",
                                                  side->office != NULL ? side->office : "",
                                                  side->office != NULL ? ")" : ""));
}

static gboolean
cmd_conflicts_show (MotcuaTool  *tool,
                    int          argc,
                    char       **argv,
                    GError     **error)
{
  g_autoptr(MotcuaConflict) c = NULL;
  g_autoptr(MotcuaTable) table = NULL;
  MotcuaReplica *store = NULL;

  c = motcua_tool_dup_conflict (tool, argc, argv, &store, error);
  if (c == NULL)
    return store == NULL && tool->help_shown;

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_add_conflict (builder, c);
      motcua_print_builder (builder);
      return TRUE;
    }

  /* Label and value, two columns without headings: the first row is a real one. */
  table = motcua_table_new_columns (2);
  motcua_table_take_cell (table, g_strdup (_("Conflict")));
  motcua_table_take_cell (table, g_strdup (c->id));
  motcua_table_take_cell (table, g_strdup (_("Record")));
  motcua_table_take_cell (table, g_strdup_printf ("%s %s", c->table, c->row_id));
  if (c->receipt_no != NULL)
    {
      motcua_table_take_cell (table, g_strdup (_("Receipt")));
      motcua_table_take_cell (table, g_strdup (c->receipt_no));
    }
  motcua_table_take_cell (table, g_strdup (_("Field")));
  motcua_table_take_cell (table, g_strdup (c->column));
  add_side_fields (table, _("A (the server's)"), &c->a);
  add_side_fields (table, _("B (not seen by A)"), &c->b);
  motcua_table_take_cell (table, g_strdup (_("Kept by the merge")));
  motcua_table_take_cell (table, g_strdup_printf ("%c", c->winner));
  motcua_table_take_cell (table, g_strdup (_("Detected")));
  motcua_table_take_cell (table, g_strdup (c->detected_at));
  motcua_table_take_cell (table, g_strdup (_("State")));
  if (c->resolved)
    motcua_table_take_cell (table, g_strdup_printf (_("resolved to “%s” by %s at %s"),
                                                    c->resolution != NULL ? c->resolution : "",
                                                    c->resolved_by != NULL ? c->resolved_by : "?",
                                                    c->resolved_at != NULL ? c->resolved_at : "?"));
  else
    motcua_table_take_cell (table, g_strdup (_("open")));
  motcua_table_print (table, 0);

  return TRUE;
}

static gboolean
cmd_conflicts_resolve (MotcuaTool  *tool,
                       int          argc,
                       char       **argv,
                       GError     **error)
{
  g_autoptr(MotcuaConflict) resolved = motcua_tool_resolve_conflict (tool, argc, argv, error);

  if (resolved == NULL)
    return tool->help_shown;

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_add_conflict (builder, resolved);
      motcua_print_builder (builder);
    }
  else
    motcua_print (_("Resolved conflict %s: %s is now “%s”; every replica gets it at its "
                    "next sync.\n"),
                  resolved->id, resolved->column,
                  resolved->resolution != NULL ? resolved->resolution : "");

  return TRUE;
}

const MotcuaCommand motcua_server_conflicts_commands[] = {
  { "list", NULL, N_("List the open conflicts (--all: also the resolved ones)"),
    cmd_conflicts_list, NULL },
  { "show", N_("ID"), N_("Show both sides of a conflict"), cmd_conflicts_show, NULL },
  { "resolve", N_("ID"), N_("Resolve a conflict: keep a side, or write a new value"),
    cmd_conflicts_resolve, NULL },
  { NULL }
};
