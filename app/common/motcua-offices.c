/* motcua-offices.c: the office tree, as motcua-cli and motcua-server print it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-offices.h"
#include "motcua-output.h"

typedef struct
{
  GPtrArray  *order;      /* MotcuaOffice *, borrowed, tree order */
  GArray     *depths;     /* guint */
  GHashTable *children;   /* parent code → GPtrArray of MotcuaOffice *, borrowed */
} OfficeTree;

int
motcua_compare_offices (gconstpointer a,
                        gconstpointer b)
{
  const MotcuaOffice *oa = *(MotcuaOffice *const *) a;
  const MotcuaOffice *ob = *(MotcuaOffice *const *) b;

  return g_strcmp0 (oa->code, ob->code);
}

void
motcua_json_add_office (JsonBuilder        *builder,
                        const MotcuaOffice *office,
                        int                 depth)
{
  json_builder_begin_object (builder);
  motcua_json_add_string (builder, "code", office->code);
  motcua_json_add_string (builder, "name", office->name);
  motcua_json_add_string (builder, "level", motcua_level_to_string (office->level));
  motcua_json_add_string (builder, "parent", office->parent_code);
  motcua_json_add_string (builder, "in_force_from", office->in_force_from);
  motcua_json_add_string (builder, "in_force_to", office->in_force_to);
  motcua_json_add_string (builder, "successor", office->successor_code);
  motcua_json_add_string (builder, "centre", office->centre);
  if (depth >= 0)
    motcua_json_add_int (builder, "depth", depth);
  motcua_json_add_string (builder, "id", office->id);
  json_builder_end_object (builder);
}

static void
office_tree_walk (OfficeTree   *tree,
                  MotcuaOffice *office,
                  guint         depth)
{
  GPtrArray *children = g_hash_table_lookup (tree->children, office->code);

  g_ptr_array_add (tree->order, office);
  g_array_append_val (tree->depths, depth);

  for (guint i = 0; children != NULL && i < children->len; i++)
    office_tree_walk (tree, g_ptr_array_index (children, i), depth + 1);
}

/* @offices sorted by code, in tree order, each under its parent on @day (NULL: its parent
 * now). */
static void
office_tree_build (OfficeTree *tree,
                   GPtrArray  *offices,
                   const char *day)
{
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) roots = g_ptr_array_new ();

  for (guint i = 0; i < offices->len; i++)
    {
      MotcuaOffice *office = g_ptr_array_index (offices, i);

      g_hash_table_insert (by_code, office->code, office);
    }
  for (guint i = 0; i < offices->len; i++)
    {
      MotcuaOffice *office = g_ptr_array_index (offices, i);
      const char *parent = day ? motcua_office_parent_on (office, day) : office->parent_code;
      GPtrArray *siblings;

      if (parent == NULL || !g_hash_table_contains (by_code, parent)
          || g_str_equal (parent, office->code))
        {
          g_ptr_array_add (roots, office);
          continue;
        }
      siblings = g_hash_table_lookup (tree->children, parent);
      if (siblings == NULL)
        {
          siblings = g_ptr_array_new ();
          g_hash_table_insert (tree->children, (gpointer) parent, siblings);
        }
      g_ptr_array_add (siblings, office);
    }
  for (guint i = 0; i < roots->len; i++)
    office_tree_walk (tree, g_ptr_array_index (roots, i), 0);
}

/* When an office was in force, in words: "—" when always. */
static char *
in_force_text (const MotcuaOffice *office)
{
  if (office->in_force_from == NULL && office->in_force_to == NULL)
    return NULL;
  if (office->in_force_to == NULL)
    return g_strdup_printf (_("from %s"), office->in_force_from);
  if (office->successor_code != NULL)
    return g_strdup_printf (_("%s – %s, then %s"),
                            office->in_force_from ? office->in_force_from : "…",
                            office->in_force_to, office->successor_code);

  return g_strdup_printf (_("%s – %s"), office->in_force_from ? office->in_force_from : "…",
                          office->in_force_to);
}

gboolean
motcua_print_offices (MotcuaReplica  *replica,
                      const char     *day,
                      gboolean        json,
                      GError        **error)
{
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GArray) depths = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) children = NULL;
  OfficeTree tree;

  offices = motcua_replica_list_offices (replica, error);
  if (offices == NULL)
    return FALSE;
  g_ptr_array_sort (offices, motcua_compare_offices);
  for (guint i = 0; i < offices->len; i++)
    if (day == NULL || motcua_office_in_force (g_ptr_array_index (offices, i), day))
      g_ptr_array_add (shown, g_ptr_array_index (offices, i));

  children = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                    (GDestroyNotify) g_ptr_array_unref);
  tree = (OfficeTree) { order, depths, children };
  office_tree_build (&tree, shown, day);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < order->len; i++)
        motcua_json_add_office (builder, g_ptr_array_index (order, i),
                                (int) g_array_index (depths, guint, i));
      json_builder_end_array (builder);
      motcua_print_builder (builder);
    }
  else
    {
      g_autoptr(MotcuaTable) table = motcua_table_new (_("CODE"), _("NAME"), _("LEVEL"),
                                                       _("IN FORCE"), NULL);

      for (guint i = 0; i < order->len; i++)
        {
          MotcuaOffice *office = g_ptr_array_index (order, i);
          guint depth = g_array_index (depths, guint, i);
          g_autofree char *code = g_strdup_printf ("%*s%s", (int) (2 * depth), "", office->code);
          g_autofree char *in_force = in_force_text (office);

          motcua_table_add_row (table, code, office->name,
                                motcua_level_to_string (office->level), in_force);
        }
      motcua_table_print (table, 0);
    }

  return TRUE;
}
