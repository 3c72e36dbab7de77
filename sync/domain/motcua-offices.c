/* motcua-offices.c: the offices and their tree on any day (province-authored data)
 *
 * An office row holds its current state: name, level, parent, the days it was in force, the
 * office that took its work over when it ended, and the parents it had before. The tree on a
 * day is derived from those: the offices in force that day under the parents they had then.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-error.h"
#include "motcua-domain-private.h"
#include "motcua-text.h"

gboolean
_motcua_replica_office_id (MotcuaReplica  *self,
                           const char     *field,
                           const char     *code,
                           MotcuaUuid     *out,
                           GError        **error)
{
  gboolean found;

  if (!_motcua_store_offices_find_id (self, code, out, &found, error))
    return FALSE;
  if (!found)
    g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                 _("%s “%s” is not an office of this replica"), field, code);

  return found;
}

/* Whether @office is @root or below it. */
gboolean
_motcua_replica_office_within (MotcuaReplica    *self,
                               const MotcuaUuid *office,
                               const MotcuaUuid *root,
                               GError          **error)
{
  if (memcmp (office->bytes, root->bytes, 16) == 0)
    return TRUE;

  return _motcua_store_offices_is_below (self, office, root, error);
}

gboolean
_motcua_office_check_open (MotcuaReplica  *self,
                           const char     *code,
                           const char     *day,
                           GError        **error)
{
  g_autoptr(MotcuaOffice) office = motcua_replica_dup_office (self, code, error);

  if (office == NULL)
    return FALSE;
  if (office->in_force_from != NULL && strcmp (day, office->in_force_from) < 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("office %s comes into being on %s: it cannot receive a dossier on %s"),
                   code, office->in_force_from, day);
      return FALSE;
    }
  if (office->in_force_to != NULL && strcmp (day, office->in_force_to) > 0)
    {
      if (office->successor_code != NULL)
        g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                     _("office %s ended on %s and its work passed to %s: it cannot receive a"
                       " dossier on %s"), code, office->in_force_to, office->successor_code, day);
      else
        g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                     _("office %s ended on %s: it cannot receive a dossier on %s"), code,
                     office->in_force_to, day);
      return FALSE;
    }

  return TRUE;
}

MotcuaOffice *
_motcua_office_in_charge_today (MotcuaReplica  *self,
                                const char     *code,
                                GPtrArray      *chain,
                                GError        **error)
{
  g_autofree char *today = _motcua_replica_today (self);
  g_autoptr(MotcuaOffice) office = motcua_replica_dup_office (self, code, error);

  /* A chain longer than any reorganisation history is a cycle in the data: stop there. */
  for (guint steps = 0; office != NULL && steps < 64; steps++)
    {
      if (office->in_force_to == NULL || strcmp (today, office->in_force_to) <= 0
          || office->successor_code == NULL)
        break;
      if (chain != NULL)
        g_ptr_array_add (chain, g_strdup (office->code));
      {
        MotcuaOffice *next = motcua_replica_dup_office (self, office->successor_code, error);

        motcua_office_free (office);
        office = next;
      }
    }

  return g_steal_pointer (&office);
}

/* "CODE/last day;…", as the row stores former parents. */
static char *
former_parents_to_text (const MotcuaOffice *office)
{
  g_autoptr(GString) text = NULL;

  if (office->n_former_parents == 0)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; i < office->n_former_parents; i++)
    g_string_append_printf (text, "%s%s/%s", i > 0 ? ";" : "", office->former_parents[i].code,
                            office->former_parents[i].until);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
former_parents_from_text (MotcuaOffice *office,
                          const char   *text)
{
  g_auto(GStrv) entries = NULL;
  guint n;

  if (text == NULL || *text == '\0')
    return;
  entries = g_strsplit (text, ";", -1);
  n = g_strv_length (entries);
  office->former_parents = g_new0 (MotcuaOfficeParent, n);
  for (guint i = 0; i < n; i++)
    {
      const char *slash = strchr (entries[i], '/');

      if (slash == NULL || strlen (slash + 1) != 10)
        continue;   /* not written by this library: skipped rather than guessed */
      office->former_parents[office->n_former_parents].code = g_strndup (entries[i],
                                                                        slash - entries[i]);
      memcpy (office->former_parents[office->n_former_parents].until, slash + 1, 11);
      office->n_former_parents++;
    }
}

/* The office named @field of @office (its parent, successor, a former parent) must exist and
 * must not be @office itself. */
static gboolean
check_other_office (MotcuaReplica       *self,
                    const MotcuaOffice  *office,
                    const char          *field,
                    const char          *code,
                    MotcuaUuid          *id_out,
                    GError             **error)
{
  gboolean exists = FALSE;

  if (!_motcua_check_code (field, code, error))
    return FALSE;
  if (strcmp (code, office->code) == 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("office %s: its %s cannot be itself"), office->code, field);
      return FALSE;
    }
  motcua_uuid_for_key (id_out, "office", code);
  if (!_motcua_store_offices_exists (self, id_out, &exists, error))
    return FALSE;
  if (!exists)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                   _("office %s: %s “%s” is not an office of this replica"), office->code, field,
                   code);
      return FALSE;
    }

  return TRUE;
}

/* What an office's values must be, whatever else the replica holds. */
static gboolean
check_office (const MotcuaOffice  *office,
              GError             **error)
{
  if (!_motcua_check_code ("office code", office->code, error)
      || !motcua_check_required (_("office name"), office->name, error))
    return FALSE;
  if ((guint) office->level >= MOTCUA_N_LEVELS)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("office %s: level %d is not a level"), office->code, office->level);
      return FALSE;
    }
  if ((office->in_force_from != NULL
       && !motcua_check_date ("in_force_from", office->in_force_from, NULL, error))
      || (office->in_force_to != NULL
          && !motcua_check_date ("in_force_to", office->in_force_to, NULL, error)))
    return FALSE;
  if (office->in_force_from != NULL && office->in_force_to != NULL
      && strcmp (office->in_force_from, office->in_force_to) > 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("office %s: it ends on %s, before it comes into force on %s"), office->code,
                   office->in_force_to, office->in_force_from);
      return FALSE;
    }
  if (office->successor_code != NULL && office->in_force_to == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("office %s: a successor takes over an office that ends: set in_force_to"),
                   office->code);
      return FALSE;
    }
  for (guint i = 0; i < office->n_former_parents; i++)
    {
      if (!motcua_check_date ("former parent's until", office->former_parents[i].until, NULL,
                              error))
        return FALSE;
      if (i > 0 && strcmp (office->former_parents[i - 1].until,
                           office->former_parents[i].until) >= 0)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("office %s: former parents must be oldest first"), office->code);
          return FALSE;
        }
    }

  return TRUE;
}

/* What an office's values must be among the offices the replica holds. */
static gboolean
check_office_links (MotcuaReplica       *self,
                    const MotcuaOffice  *office,
                    const MotcuaUuid    *id,
                    MotcuaUuid          *parent,
                    MotcuaUuid          *successor,
                    GError             **error)
{
  g_autoptr(GError) local_error = NULL;

  for (guint i = 0; i < office->n_former_parents; i++)
    {
      MotcuaUuid former;

      if (!check_other_office (self, office, "former parent", office->former_parents[i].code,
                               &former, error))
        return FALSE;
    }
  if (office->successor_code != NULL
      && !check_other_office (self, office, "successor", office->successor_code, successor,
                              error))
    return FALSE;
  if (office->parent_code == NULL)
    return TRUE;
  if (!check_other_office (self, office, "parent", office->parent_code, parent, error))
    return FALSE;

  /* Nor may an office go under an office below it. */
  if (_motcua_replica_office_within (self, parent, id, &local_error))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("office %s cannot be placed under %s, which is %s or below it"),
                   office->code, office->parent_code, office->code);
      return FALSE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

enum {
  OFFICE_CODE, OFFICE_NAME, OFFICE_LEVEL, OFFICE_PARENT, OFFICE_DELETED, OFFICE_FROM, OFFICE_TO,
  OFFICE_SUCCESSOR, OFFICE_FORMER_PARENTS, OFFICE_CENTRE, N_OFFICE_VALUES
};

gboolean
motcua_replica_put_office (MotcuaReplica       *self,
                           const MotcuaOffice  *office,
                           GError             **error)
{
  MotcuaValue values[N_OFFICE_VALUES];
  g_autofree char *former_parents = NULL;
  MotcuaUuid id, parent, successor;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (office != NULL, FALSE);

  if (!check_office (office, error))
    return FALSE;

  motcua_uuid_for_key (&id, "office", office->code);
  if (!motcua_replica_begin (self, error))
    return FALSE;
  /* The offices it names must be known before anything is written. */
  if (!check_office_links (self, office, &id, &parent, &successor, error))
    {
      motcua_replica_rollback (self);
      return FALSE;
    }

  former_parents = former_parents_to_text (office);
  values[OFFICE_CODE] = MOTCUA_VALUE_TEXT (office->code);
  values[OFFICE_NAME] = MOTCUA_VALUE_TEXT (office->name);
  values[OFFICE_LEVEL] = MOTCUA_VALUE_TEXT (motcua_level_to_string (office->level));
  values[OFFICE_PARENT] = office->parent_code ? MOTCUA_VALUE_ID (&parent) : MOTCUA_VALUE_NULL;
  values[OFFICE_DELETED] = MOTCUA_VALUE_INT (0);
  values[OFFICE_FROM] = MOTCUA_VALUE_TEXT (office->in_force_from);
  values[OFFICE_TO] = MOTCUA_VALUE_TEXT (office->in_force_to);
  values[OFFICE_SUCCESSOR] = office->successor_code ? MOTCUA_VALUE_ID (&successor)
                                                    : MOTCUA_VALUE_NULL;
  values[OFFICE_FORMER_PARENTS] = MOTCUA_VALUE_TEXT (former_parents);
  values[OFFICE_CENTRE] = MOTCUA_VALUE_TEXT (office->centre);

  if (!_motcua_replica_write_row (self, _motcua_table_lookup (MOTCUA_TABLE_OFFICES), &id, values,
                                  (1u << N_OFFICE_VALUES) - 1, _motcua_replica_authority (self),
                                  _motcua_replica_tick (self), NULL, error))
    {
      motcua_replica_rollback (self);
      return FALSE;
    }

  return motcua_replica_commit (self, error);
}

static gboolean
add_office (const MotcuaStoreOfficeRow  *row,
            gpointer                     user_data,
            GError                     **error)
{
  MotcuaOffice *office = g_new0 (MotcuaOffice, 1);
  char id[37];

  motcua_uuid_to_string (row->id, id);
  office->id = g_strdup (id);
  office->code = g_strdup (row->code);
  office->name = g_strdup (row->name);
  motcua_level_from_string (row->level, &office->level);
  office->parent_code = g_strdup (row->parent_code);
  office->in_force_from = g_strdup (row->in_force_from);
  office->in_force_to = g_strdup (row->in_force_to);
  office->successor_code = g_strdup (row->successor_code);
  office->centre = g_strdup (row->centre);
  former_parents_from_text (office, row->former_parents);
  g_ptr_array_add (user_data, office);

  return TRUE;
}

static GPtrArray *
new_office_list (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) motcua_office_free);
}

MotcuaOffice *
motcua_replica_dup_office (MotcuaReplica  *self,
                           const char     *code,
                           GError        **error)
{
  g_autoptr(GPtrArray) found = new_office_list ();

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (!_motcua_store_offices_get (self, code, add_office, found, error))
    return NULL;
  if (found->len == 0)
    {
      _motcua_store_offices_unknown (code, error);
      return NULL;
    }

  return g_ptr_array_steal_index (found, 0);
}

GPtrArray *
motcua_replica_list_offices (MotcuaReplica  *self,
                             GError        **error)
{
  g_autoptr(GPtrArray) offices = new_office_list ();

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (!_motcua_store_offices_each (self, NULL, add_office, offices, error))
    return NULL;

  return g_steal_pointer (&offices);
}

GPtrArray *
motcua_replica_list_subtree (MotcuaReplica  *self,
                             const char     *code,
                             GError        **error)
{
  g_autoptr(GPtrArray) offices = new_office_list ();
  g_autoptr(MotcuaOffice) root = NULL;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  root = motcua_replica_dup_office (self, code, error);
  if (root == NULL || !_motcua_store_offices_each (self, code, add_office, offices, error))
    return NULL;

  return g_steal_pointer (&offices);
}

GPtrArray *
motcua_replica_list_jurisdiction (MotcuaReplica  *self,
                                  const char     *code,
                                  GError        **error)
{
  g_autoptr(GPtrArray) offices = new_office_list ();
  g_autoptr(MotcuaOffice) root = NULL;
  g_autofree char *today = NULL;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  root = motcua_replica_dup_office (self, code, error);
  today = _motcua_replica_today (self);
  if (root == NULL
      || !_motcua_store_offices_jurisdiction (self, code, today, add_office, offices, error))
    return NULL;

  return g_steal_pointer (&offices);
}

/* The tree on a day */

static int
compare_codes (gconstpointer a,
               gconstpointer b)
{
  const MotcuaOffice *x = *(MotcuaOffice *const *) a;
  const MotcuaOffice *y = *(MotcuaOffice *const *) b;

  return strcmp (x->code, y->code);
}

static void
add_tree (GPtrArray    *tree,
          GHashTable   *children,
          MotcuaOffice *office)
{
  GPtrArray *below = g_hash_table_lookup (children, office->code);

  g_ptr_array_add (tree, motcua_office_copy (office));
  if (below == NULL)
    return;
  g_ptr_array_sort (below, compare_codes);
  for (guint i = 0; i < below->len; i++)
    add_tree (tree, children, g_ptr_array_index (below, i));
}

GPtrArray *
_motcua_offices_tree_on (GPtrArray   *offices,
                         const char  *root_code,
                         const char  *day,
                         GError     **error)
{
  g_autoptr(GHashTable) children = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) tree = new_office_list ();
  MotcuaOffice *root = NULL;

  for (guint i = 0; i < offices->len; i++)
    {
      MotcuaOffice *office = g_ptr_array_index (offices, i);
      const char *parent = motcua_office_parent_on (office, day);
      GPtrArray *siblings;

      if (strcmp (office->code, root_code) == 0)
        root = office;
      if (!motcua_office_in_force (office, day) || parent == NULL)
        continue;
      siblings = g_hash_table_lookup (children, parent);
      if (siblings == NULL)
        {
          siblings = g_ptr_array_new ();
          g_hash_table_insert (children, (gpointer) parent, siblings);
        }
      g_ptr_array_add (siblings, office);
    }

  if (root == NULL)
    {
      _motcua_store_offices_unknown (root_code, error);
      return NULL;
    }
  if (!motcua_office_in_force (root, day))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("office %s was not in force on %s (in force from %s to %s)"), root->code,
                   day, root->in_force_from ? root->in_force_from : "…",
                   root->in_force_to ? root->in_force_to : "…");
      return NULL;
    }
  add_tree (tree, children, root);

  return g_steal_pointer (&tree);
}

GPtrArray *
motcua_replica_list_tree_on (MotcuaReplica  *self,
                             const char     *code,
                             const char     *day,
                             GError        **error)
{
  g_autoptr(GPtrArray) offices = NULL;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  if (!motcua_check_date ("day", day, NULL, error))
    return NULL;
  offices = motcua_replica_list_offices (self, error);
  if (offices == NULL)
    return NULL;

  return _motcua_offices_tree_on (offices, code, day, error);
}

const MotcuaOffice *
_motcua_offices_find (GPtrArray  *offices,
                      const char *code)
{
  for (guint i = 0; code != NULL && i < offices->len; i++)
    {
      const MotcuaOffice *office = g_ptr_array_index (offices, i);

      if (strcmp (office->code, code) == 0)
        return office;
    }

  return NULL;
}

const MotcuaOffice *
_motcua_offices_in_charge_on (GPtrArray          *offices,
                              const MotcuaOffice *office,
                              const char         *day)
{
  /* Each step follows an office that ended to the one that took over; a chain longer than
   * the offices is a cycle in the data, and ends the walk. */
  for (guint steps = 0; office != NULL && steps <= offices->len; steps++)
    {
      if (office->in_force_to == NULL || strcmp (day, office->in_force_to) <= 0)
        return office;
      office = _motcua_offices_find (offices, office->successor_code);
    }

  return NULL;
}
