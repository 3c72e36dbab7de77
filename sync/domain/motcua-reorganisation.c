/* motcua-reorganisation.c: a published reorganisation of the offices, planned and applied
 *
 * The file is read and checked whole first (motcua_reorganisation_load_*): its own faults name
 * the entry and the field. The plan then checks it against a replica's offices and counts the
 * cases it would move, writing nothing; applying it writes the plan's steps and the moves in
 * one transaction, so a desk that syncs sees the new tree and the moved cases together.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-cases-private.h"
#include "motcua-domain-private.h"
#include "motcua-error.h"
#include "motcua-import-private.h"
#include "motcua-reorganisation.h"
#include "motcua-text.h"

#define MAX_FILE_SIZE (16 * 1024 * 1024)

struct _MotcuaReorganisation
{
  JsonNode  *root;
  char      *source;
  char      *effective;
  char      *day_before;   /* the last day of the offices it ends */
  char      *title;
  char      *legal_basis;
  JsonArray *lists[4];     /* by MotcuaReorgAction; never NULL */
};

static const FieldSpec top_fields[] = {
  { "format", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "version", JSON_NODE_VALUE, G_TYPE_INT64, TRUE, FALSE },
  { "effective", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "title", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "legal_basis", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "note", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "created", JSON_NODE_ARRAY, 0, FALSE, FALSE },
  { "ended", JSON_NODE_ARRAY, 0, FALSE, FALSE },
  { "moved", JSON_NODE_ARRAY, 0, FALSE, FALSE },
  { "renamed", JSON_NODE_ARRAY, 0, FALSE, FALSE },
};

static const FieldSpec ended_fields[] = {
  { "code", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "successor", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "sample", JSON_NODE_VALUE, G_TYPE_BOOLEAN, FALSE, FALSE },
  { "note", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
};

static const FieldSpec moved_fields[] = {
  { "code", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "parent", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "note", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
};

static const FieldSpec renamed_fields[] = {
  { "code", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "name", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "note", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
};

/* By MotcuaReorgAction: the member holding the entries, their fields, and the field naming the
 * other office a step is about. */
static const struct
{
  const char      *member;
  const FieldSpec *fields;
  guint            n_fields;
  const char      *target;
} sections[] = {
  [MOTCUA_REORG_CREATE] = { "created", NULL, 0, "parent" },
  [MOTCUA_REORG_END] = { "ended", ended_fields, G_N_ELEMENTS (ended_fields), "successor" },
  [MOTCUA_REORG_MOVE] = { "moved", moved_fields, G_N_ELEMENTS (moved_fields), "parent" },
  [MOTCUA_REORG_RENAME] = { "renamed", renamed_fields, G_N_ELEMENTS (renamed_fields), NULL },
};

void
motcua_reorg_step_free (MotcuaReorgStep *step)
{
  if (step == NULL)
    return;
  g_free (step->code);
  g_free (step->name);
  g_free (step->target);
  g_free (step);
}

const char *
motcua_reorg_action_to_string (MotcuaReorgAction action)
{
  switch (action)
    {
    case MOTCUA_REORG_CREATE:
      return "create";
    case MOTCUA_REORG_END:
      return "end";
    case MOTCUA_REORG_MOVE:
      return "move";
    case MOTCUA_REORG_RENAME:
    default:
      return "rename";
    }
}

char *
motcua_reorg_step_describe (const MotcuaReorgStep *step)
{
  g_return_val_if_fail (step != NULL, NULL);

  switch (step->action)
    {
    case MOTCUA_REORG_CREATE:
      return g_strdup_printf (_("created under %s"), step->target ? step->target : "—");
    case MOTCUA_REORG_END:
      if (step->target == NULL)
        return g_strdup_printf (_("ends; %u open and %u closed cases stay with its parent"),
                                step->open_cases, step->closed_cases);
      return g_strdup_printf (_("ends; its work passes to %s: %u open cases move there, %u"
                                " closed cases stay"), step->target, step->open_cases,
                              step->closed_cases);
    case MOTCUA_REORG_MOVE:
      return g_strdup_printf (_("moves under %s"), step->target);
    case MOTCUA_REORG_RENAME:
    default:
      return g_strdup (_("renamed"));
    }
}

void
motcua_reorganisation_free (MotcuaReorganisation *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->root, json_node_unref);
  g_free (self->source);
  g_free (self->effective);
  g_free (self->day_before);
  g_free (self->title);
  g_free (self->legal_basis);
  for (guint i = 0; i < G_N_ELEMENTS (self->lists); i++)
    g_clear_pointer (&self->lists[i], json_array_unref);
  g_free (self);
}

const char *
motcua_reorganisation_get_effective (MotcuaReorganisation *self)
{
  return self->effective;
}

const char *
motcua_reorganisation_get_title (MotcuaReorganisation *self)
{
  return self->title;
}

const char *
motcua_reorganisation_get_legal_basis (MotcuaReorganisation *self)
{
  return self->legal_basis;
}

/* One section's entries: each an object with its fields, its codes well formed, no office
 * twice in the whole file (@seen). */
static gboolean
check_section (MotcuaReorganisation  *self,
               MotcuaReorgAction      action,
               GHashTable            *seen,
               GError               **error)
{
  JsonArray *list = self->lists[action];
  const FieldSpec *fields = sections[action].fields;
  guint n_fields = sections[action].n_fields;

  if (action == MOTCUA_REORG_CREATE)
    {
      fields = _motcua_import_office_fields;
      n_fields = _motcua_import_n_office_fields;
    }

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      g_autofree char *where = NULL;
      const char *code, *target, *from;
      JsonObject *o;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          where = g_strdup_printf ("%s: %s[%u]", self->source, sections[action].member, i);
          return _motcua_import_error (error, where, _("must be an object"));
        }
      o = json_node_get_object (node);
      code = _motcua_import_get_string (o, "code");
      where = g_strdup_printf ("%s: %s[%u] (%s)", self->source, sections[action].member, i,
                               code ? code : "?");
      if (!_motcua_import_check_object (o, fields, n_fields, where, error))
        return FALSE;

      target = sections[action].target ? _motcua_import_get_string (o, sections[action].target)
                                       : NULL;
      {
        g_autoptr(GError) local_error = NULL;

        if (!_motcua_check_code ("code", code, &local_error)
            || (target != NULL && !_motcua_check_code (sections[action].target, target,
                                                       &local_error)))
          return _motcua_import_error (error, where, "%s", local_error->message);
      }
      if (g_hash_table_contains (seen, code))
        return _motcua_import_error (error, where,
                                     _("office %s appears twice: a reorganisation names each"
                                       " office once"), code);
      g_hash_table_add (seen, (gpointer) code);

      from = _motcua_import_get_string (o, "in_force_from");
      if (action == MOTCUA_REORG_CREATE
          && ((from != NULL && strcmp (from, self->effective) != 0)
              || json_object_has_member (o, "in_force_to")
              || json_object_has_member (o, "successor")))
        return _motcua_import_error (error, where,
                                     _("a created office comes into being on the effective"
                                       " day, %s, and has not ended"), self->effective);
    }

  return TRUE;
}

static MotcuaReorganisation *
load_root (JsonNode    *root,
           const char  *source,
           GError     **error)
{
  g_autoptr(MotcuaReorganisation) self = g_new0 (MotcuaReorganisation, 1);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *o;
  const char *format;
  GDate day;

  self->root = json_node_ref (root);
  self->source = g_strdup (source);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      _motcua_import_error (error, source, _("the top level must be an object with \"format\":"
                                             " \"%s\""), "motcua-reorganisation");
      return NULL;
    }
  o = json_node_get_object (root);
  format = _motcua_import_get_string (o, "format");
  if (g_strcmp0 (format, "motcua-reorganisation") != 0)
    {
      _motcua_import_error (error, source, _("format is “%s”, expected “%s”"),
                            format ? format : "(missing)", "motcua-reorganisation");
      return NULL;
    }
  if (!_motcua_import_check_object (o, top_fields, G_N_ELEMENTS (top_fields), source, error))
    return NULL;
  if (json_object_get_int_member (o, "version") != 1)
    {
      _motcua_import_error (error, source, _("version %lld is not supported (this build reads"
                                             " version 1)"),
                            (long long) json_object_get_int_member (o, "version"));
      return NULL;
    }

  self->effective = g_strdup (_motcua_import_get_string (o, "effective"));
  self->title = g_strdup (_motcua_import_get_string (o, "title"));
  self->legal_basis = g_strdup (_motcua_import_get_string (o, "legal_basis"));
  {
    g_autoptr(GError) local_error = NULL;

    if (!motcua_check_date ("effective", self->effective, &day, &local_error)
        || !motcua_check_required ("title", self->title, &local_error)
        || !motcua_check_required ("legal_basis", self->legal_basis, &local_error))
      {
        _motcua_import_error (error, source, "%s", local_error->message);
        return NULL;
      }
  }
  g_date_subtract_days (&day, 1);
  self->day_before = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&day),
                                      g_date_get_month (&day), g_date_get_day (&day));

  for (guint a = 0; a < G_N_ELEMENTS (sections); a++)
    {
      self->lists[a] = json_object_has_member (o, sections[a].member)
                         ? json_array_ref (json_object_get_array_member (o, sections[a].member))
                         : json_array_new ();
      if (!check_section (self, a, seen, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

MotcuaReorganisation *
motcua_reorganisation_load_data (const char  *data,
                                 gsize        length,
                                 const char  *source,
                                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (source == NULL)
    source = "input";
  if (!json_parser_load_from_data (parser, data ? data : "", (gssize) length, &local_error))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT, _("%s is not valid JSON: %s"),
                   source, local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      _motcua_import_error (error, source, _("the top level must be an object with \"format\":"
                                             " \"%s\""), "motcua-reorganisation");
      return NULL;
    }

  return load_root (json_parser_get_root (parser), source, error);
}

MotcuaReorganisation *
motcua_reorganisation_load_file (const char  *path,
                                 GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT, _("Cannot read %s: %s"), path,
                   local_error->message);
      return NULL;
    }
  if (length > MAX_FILE_SIZE)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT,
                   _("%s is larger than %d MiB: split it"), path, MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }
  name = g_path_get_basename (path);

  return motcua_reorganisation_load_data (contents, length, name, error);
}

/* The plan */

typedef struct
{
  MotcuaReplica        *replica;
  MotcuaReorganisation *reorg;
  GPtrArray            *offices;   /* MotcuaOffice: all the replica holds */
  GHashTable           *created;   /* codes the file creates */
} Plan;

static gboolean
office_known (Plan       *plan,
              const char *code)
{
  return _motcua_offices_find (plan->offices, code) != NULL
         || g_hash_table_contains (plan->created, code);
}

static gboolean
count_open (const char  *receipt_no,
            gpointer     user_data,
            GError     **error)
{
  (*(guint *) user_data)++;

  return TRUE;
}

/* Fills @step for the entry @o of @action, or says why the replica cannot take it. */
static gboolean
plan_step (Plan             *plan,
           MotcuaReorgAction action,
           JsonObject       *o,
           MotcuaReorgStep  *step,
           GError          **error)
{
  const char *day_before = plan->reorg->day_before;
  const MotcuaOffice *office;

  step->action = action;
  step->code = g_strdup (_motcua_import_get_string (o, "code"));
  step->target = sections[action].target
                   ? g_strdup (_motcua_import_get_string (o, sections[action].target)) : NULL;
  step->name = g_strdup (_motcua_import_get_string (o, "name"));
  office = _motcua_offices_find (plan->offices, step->code);

  if (step->target != NULL && !office_known (plan, step->target))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                   _("office %s: %s “%s” is neither an office of this replica nor created by"
                     " the reorganisation"), step->code, sections[action].target, step->target);
      return FALSE;
    }

  if (action == MOTCUA_REORG_CREATE)
    {
      if (office != NULL && g_strcmp0 (office->in_force_from, plan->reorg->effective) != 0)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_EXISTS,
                       _("office %s already exists: a reorganisation creates new offices only"),
                       step->code);
          return FALSE;
        }
      step->done = office != NULL;
      return TRUE;
    }

  if (office == NULL)
    {
      _motcua_store_offices_unknown (step->code, error);
      return FALSE;
    }
  if (step->name == NULL)
    step->name = g_strdup (office->name);

  switch (action)
    {
    case MOTCUA_REORG_END:
      step->done = g_strcmp0 (office->in_force_to, day_before) == 0
                   && g_strcmp0 (office->successor_code, step->target) == 0;
      if (!step->done && office->in_force_to != NULL)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("office %s already ended on %s"), step->code, office->in_force_to);
          return FALSE;
        }
      if (!step->done && !motcua_office_in_force (office, day_before))
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("office %s is not in force on %s, the day before the reorganisation"),
                       step->code, day_before);
          return FALSE;
        }
      {
        MotcuaUuid id;
        gint64 closed = 0;

        if (!motcua_uuid_parse (office->id, &id)
            || !_motcua_store_cases_at_office (plan->replica, &id, count_open, &step->open_cases,
                                               &closed, error))
          return FALSE;
        step->closed_cases = (guint) closed;
      }
      return TRUE;

    case MOTCUA_REORG_MOVE:
      step->done = g_strcmp0 (office->parent_code, step->target) == 0
                   && office->n_former_parents > 0
                   && strcmp (office->former_parents[office->n_former_parents - 1].until,
                              day_before) == 0;
      if (!step->done && g_strcmp0 (office->parent_code, step->target) == 0)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("office %s is already under %s"), step->code, step->target);
          return FALSE;
        }
      return TRUE;

    case MOTCUA_REORG_RENAME:
      step->done = g_strcmp0 (office->name, step->name) == 0;
      return TRUE;

    case MOTCUA_REORG_CREATE:
    default:
      g_assert_not_reached ();
    }
}

static GPtrArray *
plan_in_tx (MotcuaReplica         *self,
            MotcuaReorganisation  *reorg,
            GPtrArray            **offices_out,
            GError               **error)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               motcua_reorg_step_free);
  g_autoptr(GHashTable) created = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) offices = motcua_replica_list_offices (self, error);
  Plan plan = { self, reorg, offices, created };

  if (offices == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (reorg->lists[MOTCUA_REORG_CREATE]); i++)
    g_hash_table_add (created, (gpointer) _motcua_import_get_string (
                        json_array_get_object_element (reorg->lists[MOTCUA_REORG_CREATE], i),
                        "code"));

  for (guint a = 0; a < G_N_ELEMENTS (reorg->lists); a++)
    for (guint i = 0; i < json_array_get_length (reorg->lists[a]); i++)
      {
        g_autoptr(MotcuaReorgStep) step = g_new0 (MotcuaReorgStep, 1);

        if (!plan_step (&plan, a, json_array_get_object_element (reorg->lists[a], i), step,
                        error))
          return NULL;
        g_ptr_array_add (steps, g_steal_pointer (&step));
      }

  if (offices_out != NULL)
    *offices_out = g_steal_pointer (&offices);

  return g_steal_pointer (&steps);
}

GPtrArray *
motcua_replica_plan_reorganisation (MotcuaReplica         *self,
                                    MotcuaReorganisation  *reorg,
                                    GError               **error)
{
  GPtrArray *steps;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);
  g_return_val_if_fail (reorg != NULL, NULL);

  if (!motcua_replica_begin (self, error))
    return NULL;
  steps = plan_in_tx (self, reorg, NULL, error);
  motcua_replica_rollback (self);

  return steps;
}

/* Applying */

/* Created offices, parents first: each pass writes those whose parent is known by then. */
static gboolean
apply_creates (MotcuaReplica         *self,
               MotcuaReorganisation  *reorg,
               GPtrArray             *steps,
               GError               **error)
{
  JsonArray *list = reorg->lists[MOTCUA_REORG_CREATE];
  guint n = json_array_get_length (list);
  g_autofree gboolean *written = g_new0 (gboolean, MAX (n, 1));
  guint left = 0;

  for (guint i = 0; i < n; i++)
    {
      const MotcuaReorgStep *step = g_ptr_array_index (steps, i);

      written[i] = step->done;
      left += !step->done;
    }

  for (guint pass = 0; left > 0 && pass <= n; pass++)
    for (guint i = 0; i < n; i++)
      {
        JsonObject *o = json_array_get_object_element (list, i);
        const char *parent = _motcua_import_get_string (o, "parent");
        MotcuaUuid parent_id;
        gboolean exists = TRUE;

        if (written[i])
          continue;
        if (parent != NULL)
          {
            motcua_uuid_for_key (&parent_id, "office", parent);
            if (!_motcua_store_offices_exists (self, &parent_id, &exists, error))
              return FALSE;
          }
        if (!exists)
          continue;
        if (!_motcua_import_put_office (self, o, reorg->effective, error))
          return FALSE;
        written[i] = TRUE;
        left--;
      }

  if (left > 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("the offices the reorganisation creates are each other's parents in a"
                     " loop"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
apply_change (MotcuaReplica         *self,
              MotcuaReorganisation  *reorg,
              const MotcuaReorgStep *step,
              GError               **error)
{
  g_autoptr(MotcuaOffice) office = motcua_replica_dup_office (self, step->code, error);

  if (office == NULL)
    return FALSE;

  switch (step->action)
    {
    case MOTCUA_REORG_END:
      g_free (office->in_force_to);
      office->in_force_to = g_strdup (reorg->day_before);
      g_free (office->successor_code);
      office->successor_code = g_strdup (step->target);
      break;

    case MOTCUA_REORG_MOVE:
      office->former_parents = g_renew (MotcuaOfficeParent, office->former_parents,
                                        office->n_former_parents + 1);
      office->former_parents[office->n_former_parents].code = g_strdup (office->parent_code);
      memcpy (office->former_parents[office->n_former_parents].until, reorg->day_before, 11);
      office->n_former_parents++;
      g_free (office->parent_code);
      office->parent_code = g_strdup (step->target);
      break;

    case MOTCUA_REORG_RENAME:
      g_free (office->name);
      office->name = g_strdup (step->name);
      break;

    case MOTCUA_REORG_CREATE:
    default:
      g_assert_not_reached ();
    }

  return motcua_replica_put_office (self, office, error);
}

static gboolean
add_receipt (const char  *receipt_no,
             gpointer     user_data,
             GError     **error)
{
  g_ptr_array_add (user_data, g_strdup (receipt_no));

  return TRUE;
}

/* Every open case an ended office handles goes to the office in charge on @day. */
gboolean
_motcua_offices_move_open_cases (MotcuaReplica  *self,
                                 GPtrArray      *ended,
                                 const char     *day,
                                 const char     *note,
                                 guint          *n_moved,
                                 GError        **error)
{
  g_autoptr(GPtrArray) offices = motcua_replica_list_offices (self, error);

  if (offices == NULL)
    return FALSE;

  for (guint i = 0; i < ended->len; i++)
    {
      g_autoptr(GPtrArray) receipts = g_ptr_array_new_with_free_func (g_free);
      const MotcuaOffice *office = _motcua_offices_find (offices, g_ptr_array_index (ended, i));
      const MotcuaOffice *to = office ? _motcua_offices_in_charge_on (offices, office, day) : NULL;
      g_autofree char *why = NULL;
      MotcuaUuid id;
      gint64 closed;

      /* Ended without a successor: its parent holds its cases. */
      if (to == NULL || to == office || !motcua_uuid_parse (office->id, &id))
        continue;
      if (!_motcua_store_cases_at_office (self, &id, add_receipt, receipts, &closed, error))
        return FALSE;
      why = note ? g_strdup (note)
                 : g_strdup_printf (_("Office %s ended on %s: its work passed to %s"),
                                    office->code, office->in_force_to, to->code);
      for (guint k = 0; k < receipts->len; k++)
        if (!_motcua_case_transfer_in_tx (self, g_ptr_array_index (receipts, k), to->code, why,
                                          error))
          return FALSE;
      *n_moved += receipts->len;
    }

  return TRUE;
}

static gboolean
apply_in_tx (MotcuaReplica         *self,
             MotcuaReorganisation  *reorg,
             guint                 *n_moved,
             GError               **error)
{
  g_autoptr(GPtrArray) steps = plan_in_tx (self, reorg, NULL, error);

  if (steps == NULL || !apply_creates (self, reorg, steps, error))
    return FALSE;
  for (guint i = 0; i < steps->len; i++)
    {
      const MotcuaReorgStep *step = g_ptr_array_index (steps, i);

      if (step->action != MOTCUA_REORG_CREATE && !step->done
          && !apply_change (self, reorg, step, error))
        return FALSE;
    }

  {
    g_autoptr(GPtrArray) ended = g_ptr_array_new ();

    for (guint i = 0; i < steps->len; i++)
      {
        const MotcuaReorgStep *step = g_ptr_array_index (steps, i);

        if (step->action == MOTCUA_REORG_END)
          g_ptr_array_add (ended, step->code);
      }

    return _motcua_offices_move_open_cases (self, ended, reorg->effective, reorg->title, n_moved,
                                            error);
  }
}

gboolean
motcua_replica_can_apply_reorganisation (MotcuaReplica         *self,
                                         MotcuaReorganisation  *reorg,
                                         GError               **error)
{
  g_autofree char *today = NULL;
  g_autofree char *server = NULL;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (reorg != NULL, FALSE);

  /* A desk gets the province's reorganisation by syncing; one with no server (a demo, a
   * trial) takes it as it took its offices file. */
  server = _motcua_replica_meta_dup_text (self, "server_url");
  if (motcua_replica_get_role (self) != MOTCUA_LEVEL_PROVINCE && server != NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("Only the province applies a reorganisation (this replica is office %s):"
                     " its desks receive it at their next sync"),
                   motcua_replica_get_office_code (self));
      return FALSE;
    }
  today = _motcua_replica_today (self);
  if (strcmp (today, reorg->effective) < 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("The reorganisation takes effect on %s: apply it on or after that day"
                     " (preview it now)"), reorg->effective);
      return FALSE;
    }

  return TRUE;
}

gboolean
motcua_replica_apply_reorganisation (MotcuaReplica         *self,
                                     MotcuaReorganisation  *reorg,
                                     guint                 *n_moved,
                                     GError               **error)
{
  guint moved = 0;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (reorg != NULL, FALSE);

  if (!motcua_replica_can_apply_reorganisation (self, reorg, error))
    return FALSE;
  if (!motcua_replica_begin (self, error)
      || !_motcua_replica_finish (self, apply_in_tx (self, reorg, &moved, error), error))
    return FALSE;
  if (n_moved != NULL)
    *n_moved = moved;

  return TRUE;
}

gboolean
_motcua_offices_move_cases_of_ended_in_tx (MotcuaReplica  *self,
                                           guint          *n_moved,
                                           GError        **error)
{
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(GPtrArray) ended = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *today = NULL;

  offices = motcua_replica_list_jurisdiction (self, motcua_replica_get_office_code (self), error);
  if (offices == NULL)
    return FALSE;
  today = _motcua_replica_today (self);
  for (guint i = 0; i < offices->len; i++)
    {
      const MotcuaOffice *office = g_ptr_array_index (offices, i);

      if (office->in_force_to != NULL && strcmp (today, office->in_force_to) > 0
          && office->successor_code != NULL)
        g_ptr_array_add (ended, g_strdup (office->code));
    }

  return _motcua_offices_move_open_cases (self, ended, today, NULL, n_moved, error);
}

gboolean
motcua_replica_move_cases_of_ended_offices (MotcuaReplica  *self,
                                            guint          *n_moved,
                                            GError        **error)
{
  guint moved = 0;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  if (!motcua_replica_begin (self, error)
      || !_motcua_replica_finish (self,
                                  _motcua_offices_move_cases_of_ended_in_tx (self, &moved, error),
                                  error))
    return FALSE;
  if (n_moved != NULL)
    *n_moved = moved;

  return TRUE;
}
