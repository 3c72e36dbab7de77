/* motcua-report.c: the standard one-stop report, rolled up through the office tree
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-cases-private.h"
#include "motcua-domain-private.h"
#include "motcua-report.h"
#include "motcua-text.h"

struct _MotcuaReport
{
  gatomicrefcount  ref_count;
  char            *from;
  char            *to;
  GArray          *rows;   /* MotcuaReportRow, in tree order */
};

G_DEFINE_BOXED_TYPE (MotcuaReport, motcua_report, motcua_report_ref, motcua_report_unref)

/* Every figure is a gint64 (motcua-report-output.c checks it against its table of them). */
static void
figures_add (MotcuaReportFigures       *sum,
             const MotcuaReportFigures *figures)
{
  gint64 *to = (gint64 *) (void *) sum;
  const gint64 *from = (const gint64 *) (const void *) figures;

  for (gsize i = 0; i < sizeof *sum / sizeof (gint64); i++)
    to[i] += from[i];
}

double
motcua_report_figures_online_rate (const MotcuaReportFigures *figures)
{
  gint64 new_cases;

  g_return_val_if_fail (figures != NULL, 0.0);

  new_cases = figures->new_online + figures->new_direct;

  return new_cases > 0 ? (double) figures->new_online / (double) new_cases : 0.0;
}

double
motcua_report_figures_digitisation_rate (const MotcuaReportFigures *figures)
{
  gint64 new_cases;

  g_return_val_if_fail (figures != NULL, 0.0);

  new_cases = figures->new_online + figures->new_direct;

  return new_cases > 0 ? (double) figures->digitised / (double) new_cases : 0.0;
}

/* Counting one office's cases
 *
 * Timestamps are "YYYY-MM-DDTHH:MM:SS+07:00", so their first 10 characters are the day in
 * Vietnam, comparable as text with a due date or a period bound.
 *
 * A case is closed once resolved_at is set: when it was approved or refused (kept when the
 * result is returned), withdrawn or cancelled; a reopen clears it. This is also what the case
 * lists call open, and deciding "closed" on one field alone makes every case received by the end
 * of the period land in exactly one of resolved, withdrawn and pending, even if replication
 * ever merged a status and a resolved_at that disagree. The status only says which of resolved
 * and withdrawn a closed case counts as. */

static int
day_cmp (const char *timestamp,
         const char *day)
{
  return strncmp (timestamp, day, 10);
}

/* Whether @moment is past the last hour of @c's hours limit, on its due date: the limit ends
 * within that day unless the day it ended in was a day off (then the due date is the next
 * working day, and the whole of it counts). Only for a case the query gave its hours. */
static gboolean
past_last_hour (const MotcuaStoreReportCase *c,
                const char                  *moment)
{
  char end[26];

  return c->hours >= 0 && moment != NULL && c->due_date != NULL
         && _motcua_hours_limit_end (_motcua_clock_start_moment (c->received_at,
                                                                c->clock_start),
                                     (guint) c->hours, end)
         && day_cmp (end, c->due_date) == 0 && strcmp (moment, end) > 0;
}

/* Counts @c into @figures; the report's query calls it for every case, inside SQL
 * (motcua-store-report.c). */
static void
tally_case (MotcuaReportFigures          *figures,
            const MotcuaStoreReportCase  *c)
{
  const char *from = c->from, *to = c->to, *as_of = c->as_of;
  const char *received_at = c->received_at, *resolved_at = c->resolved_at;
  const char *due_date = c->due_date, *status = c->status, *channel = c->channel;

  if (from == NULL || to == NULL || received_at == NULL)
    return;
  /* Received after the period, or closed before it: not part of this report. */
  if (day_cmp (received_at, to) > 0 || (resolved_at != NULL && day_cmp (resolved_at, from) < 0))
    return;

  if (day_cmp (received_at, from) < 0)
    figures->carried_over++;
  else
    {
      if (g_strcmp0 (channel, "online") == 0)
        figures->new_online++;
      else
        {
          figures->new_direct++;
          if (g_strcmp0 (channel, "postal") == 0)
            figures->new_postal++;
        }
      if (c->scanned)
        figures->digitised++;
    }

  if (resolved_at == NULL || day_cmp (resolved_at, to) > 0)
    {
      /* Still in progress at the end of the period, judged on its last day or today if the
       * period has not ended yet. A case due on that day is not late yet; one waiting for the
       * applicant's supplement then has its clock stopped, and is neither. */
      if (c->waiting_supplement)
        figures->pending_supplement++;
      else if (due_date != NULL
               && (day_cmp (due_date, as_of) < 0
                   || (day_cmp (due_date, as_of) == 0 && past_last_hour (c, c->judged_at))))
        figures->pending_overdue++;
      else
        figures->pending_within++;
    }
  else if (g_strcmp0 (status, "withdrawn") == 0 || g_strcmp0 (status, "cancelled") == 0)
    figures->withdrawn++;
  else
    {
      int against_due = due_date != NULL ? day_cmp (resolved_at, due_date) : 0;

      if (against_due == 0 && past_last_hour (c, resolved_at))
        against_due = 1;
      if (against_due < 0)
        figures->resolved_early++;
      else if (against_due == 0)
        figures->resolved_on_time++;
      else
        figures->resolved_late++;
    }
}

static void
figures_complete (MotcuaReportFigures *figures)
{
  figures->received_total = figures->carried_over + figures->new_online + figures->new_direct;
  figures->resolved_total = figures->resolved_early + figures->resolved_on_time
                            + figures->resolved_late;
  figures->pending_total = figures->pending_within + figures->pending_overdue
                           + figures->pending_supplement;
}

static void
report_row_clear (MotcuaReportRow *row)
{
  g_clear_pointer (&row->office_code, g_free);
  g_clear_pointer (&row->office_name, g_free);
}

static MotcuaReport *
report_new (const char *from,
            const char *to,
            guint       n_rows)
{
  MotcuaReport *report = g_new0 (MotcuaReport, 1);

  g_atomic_ref_count_init (&report->ref_count);
  report->from = g_strdup (from);
  report->to = g_strdup (to);
  report->rows = g_array_sized_new (FALSE, TRUE, sizeof (MotcuaReportRow), n_rows);
  g_array_set_clear_func (report->rows, (GDestroyNotify) report_row_clear);

  return report;
}

/* The report over the tree in force in the period. A period a reorganisation cuts in parts is
 * counted part by part, each over the tree in force then: a case counts under the office in
 * charge of it in that part (its receiving office, or the successor of an office that had
 * ended). Carried over is the first part's, in progress the last part's, what happened within
 * (new, resolved, withdrawn) the sum of the parts. A row is an office at its place in a part's
 * tree (its path from the office asked for), so an office that moved shows under each parent. */
typedef struct
{
  char                *path;     /* codes from the office asked for, joined by \x1f */
  const MotcuaOffice  *office;
  guint                depth;
  MotcuaReportFigures  own;
} PathRow;

static void
path_row_free (PathRow *row)
{
  g_free (row->path);
  g_free (row);
}

typedef struct
{
  GPtrArray  *offices;        /* every office of the replica */
  GHashTable *rows;           /* path → PathRow */
  GHashTable *path_of;        /* receiving office code → its row's path, in this part */
  GHashTable *id_to_code;     /* office id string → code */
  gboolean    first, last;
} Part;

static void
add_part_figures (MotcuaReportFigures       *own,
                  const MotcuaReportFigures *part,
                  gboolean                   first,
                  gboolean                   last)
{
  if (first)
    own->carried_over += part->carried_over;
  own->new_online += part->new_online;
  own->new_direct += part->new_direct;
  own->new_postal += part->new_postal;
  own->resolved_early += part->resolved_early;
  own->resolved_on_time += part->resolved_on_time;
  own->resolved_late += part->resolved_late;
  own->withdrawn += part->withdrawn;
  own->digitised += part->digitised;
  if (last)
    {
      own->pending_within += part->pending_within;
      own->pending_overdue += part->pending_overdue;
      own->pending_supplement += part->pending_supplement;
    }
}

static gboolean
add_office_figures (const MotcuaUuid           *office_id,
                    const MotcuaReportFigures  *figures,
                    gpointer                    user_data,
                    GError                    **error)
{
  Part *part = user_data;
  char id[37];
  const char *code, *path;
  PathRow *row;

  motcua_uuid_to_string (office_id, id);
  code = g_hash_table_lookup (part->id_to_code, id);
  path = code ? g_hash_table_lookup (part->path_of, code) : NULL;
  row = path ? g_hash_table_lookup (part->rows, path) : NULL;
  if (row != NULL)
    add_part_figures (&row->own, figures, part->first, part->last);

  return TRUE;
}

/* One part [@from, @to] of the period, over the tree in force on @from. */
static gboolean
count_part (MotcuaReplica  *self,
            Part           *part,
            const char     *root_code,
            const char     *from,
            const char     *to,
            GError        **error)
{
  g_autoptr(GPtrArray) tree = NULL;
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(JsonArray) codes = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *codes_json = NULL;
  g_autofree char *today = _motcua_replica_today (self);
  g_autofree char *judged_at = NULL;
  char to_next[11];
  GDate next;

  tree = _motcua_offices_tree_on (part->offices, root_code, from, error);
  if (tree == NULL)
    return FALSE;

  /* Tree order puts every parent before its children. */
  for (guint i = 0; i < tree->len; i++)
    {
      const MotcuaOffice *office = g_ptr_array_index (tree, i);
      const char *parent_path = i == 0 ? NULL
                                       : g_hash_table_lookup (paths,
                                                              motcua_office_parent_on (office,
                                                                                       from));
      char *path = parent_path ? g_strdup_printf ("%s\x1f%s", parent_path, office->code)
                               : g_strdup (office->code);
      PathRow *row = g_hash_table_lookup (part->rows, path);

      g_hash_table_insert (paths, office->code, path);
      if (row == NULL)
        {
          row = g_new0 (PathRow, 1);
          row->path = g_strdup (path);
          row->office = _motcua_offices_find (part->offices, office->code);
          row->depth = parent_path ? ((PathRow *) g_hash_table_lookup (part->rows,
                                                                        parent_path))->depth + 1
                                   : 0;
          g_hash_table_insert (part->rows, row->path, row);
        }
    }

  /* The receiving offices counted: each office whose cases the tree's offices are in charge
   * of in this part (themselves, and the ended offices they succeeded). */
  g_hash_table_remove_all (part->path_of);
  for (guint i = 0; i < part->offices->len; i++)
    {
      const MotcuaOffice *office = g_ptr_array_index (part->offices, i);
      const MotcuaOffice *in_charge = _motcua_offices_in_charge_on (part->offices, office, from);
      const char *path = in_charge ? g_hash_table_lookup (paths, in_charge->code) : NULL;

      if (path == NULL)
        continue;
      g_hash_table_insert (part->path_of, office->code,
                           ((PathRow *) g_hash_table_lookup (part->rows, path))->path);
      json_array_add_string_element (codes, office->code);
    }
  json_node_set_array (node, codes);
  codes_json = json_to_string (node, FALSE);

  g_date_set_parse (&next, to);
  g_date_add_days (&next, 1);
  g_date_strftime (to_next, sizeof to_next, "%Y-%m-%d", &next);

  /* A period that has not ended yet is judged as of today, now; one that has, at the end of its
   * last day. */
  if (strcmp (today, to) <= 0)
    judged_at = _motcua_replica_now_iso (self);
  else
    judged_at = g_strdup_printf ("%sT23:59:59+07:00", to);
  return _motcua_store_report_count (self, codes_json, from, to, to_next,
                                     strcmp (today, to) < 0 ? today : to, judged_at, tally_case,
                                     add_office_figures, part, error);
}

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Adds @day to @days if it falls within (@from, @to]. */
static void
add_start (GPtrArray  *days,
           const char *day,
           const char *from,
           const char *to)
{
  if (day != NULL && strcmp (day, from) > 0 && strcmp (day, to) <= 0)
    g_ptr_array_add (days, g_strdup (day));
}

/* Adds the day after @last (an office's last day, or its last day under a former parent). */
static void
add_start_after (GPtrArray  *days,
                 const char *last,
                 const char *from,
                 const char *to)
{
  GDate day;
  char after[11];

  if (last == NULL)
    return;
  g_date_set_parse (&day, last);
  if (!g_date_valid (&day))
    return;
  g_date_add_days (&day, 1);
  g_date_strftime (after, sizeof after, "%Y-%m-%d", &day);
  add_start (days, after, from, to);
}

/* The days within (@from, @to] on which the tree changed: a part of the period starts on each. */
static GPtrArray *
part_starts (GPtrArray  *offices,
             const char *from,
             const char *to)
{
  g_autoptr(GPtrArray) days = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (days, g_strdup (from));
  for (guint i = 0; i < offices->len; i++)
    {
      const MotcuaOffice *office = g_ptr_array_index (offices, i);

      add_start (days, office->in_force_from, from, to);
      add_start_after (days, office->in_force_to, from, to);
      for (guint k = 0; k < office->n_former_parents; k++)
        add_start_after (days, office->former_parents[k].until, from, to);
    }
  g_ptr_array_sort (days, compare_days);
  for (guint i = days->len; i-- > 1;)
    if (strcmp (g_ptr_array_index (days, i), g_ptr_array_index (days, i - 1)) == 0)
      g_ptr_array_remove_index (days, i);

  return g_steal_pointer (&days);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  const PathRow *x = *(PathRow *const *) a;
  const PathRow *y = *(PathRow *const *) b;

  return strcmp (x->path, y->path);
}

static MotcuaReport *
build_report (MotcuaReplica  *self,
              const char     *office_code,
              const char     *from,
              const char     *to,
              GError        **error)
{
  g_autoptr(MotcuaReport) report = NULL;
  g_autoptr(GPtrArray) offices = motcua_replica_list_offices (self, error);
  g_autoptr(GPtrArray) starts = NULL;
  g_autoptr(GHashTable) rows = NULL;
  g_autoptr(GHashTable) path_of = NULL;
  g_autoptr(GHashTable) id_to_code = NULL;
  g_autoptr(GPtrArray) ordered = NULL;
  g_autoptr(GHashTable) index_of = NULL;
  g_autoptr(GError) last_error = NULL;
  guint counted = 0;

  if (offices == NULL)
    return NULL;
  if (_motcua_offices_find (offices, office_code) == NULL)
    {
      _motcua_store_offices_unknown (office_code, error);
      return NULL;
    }

  rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) path_row_free);
  path_of = g_hash_table_new (g_str_hash, g_str_equal);
  id_to_code = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < offices->len; i++)
    {
      const MotcuaOffice *office = g_ptr_array_index (offices, i);

      g_hash_table_insert (id_to_code, office->id, office->code);
    }

  starts = part_starts (offices, from, to);
  for (guint k = 0; k < starts->len; k++)
    {
      g_autofree char *part_to = NULL;
      Part part = { offices, rows, path_of, id_to_code, k == 0, k + 1 == starts->len };
      g_autoptr(GError) local_error = NULL;

      if (k + 1 < starts->len)
        {
          GDate day;

          g_date_set_parse (&day, g_ptr_array_index (starts, k + 1));
          g_date_subtract_days (&day, 1);
          part_to = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&day),
                                     g_date_get_month (&day), g_date_get_day (&day));
        }
      else
        part_to = g_strdup (to);

      /* The office asked for may be in force in only some parts of the period. */
      if (!count_part (self, &part, office_code, g_ptr_array_index (starts, k), part_to,
                       &local_error))
        {
          if (!g_error_matches (local_error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_clear_error (&last_error);
          last_error = g_steal_pointer (&local_error);
          continue;
        }
      counted++;
    }
  if (counted == 0)
    {
      g_propagate_error (error, g_steal_pointer (&last_error));
      return NULL;
    }

  ordered = g_ptr_array_new ();
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, rows);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_ptr_array_add (ordered, value);
  }
  g_ptr_array_sort (ordered, compare_paths);
  report = report_new (from, to, ordered->len);
  index_of = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < ordered->len; i++)
    {
      PathRow *path_row = g_ptr_array_index (ordered, i);
      MotcuaReportRow row = { 0 };

      row.office_code = g_strdup (path_row->office->code);
      row.office_name = g_strdup (path_row->office->name);
      row.level = path_row->office->level;
      row.depth = path_row->depth;
      row.own = path_row->own;
      figures_complete (&row.own);
      row.total = row.own;
      g_array_append_val (report->rows, row);
      g_hash_table_insert (index_of, path_row->path, GUINT_TO_POINTER (i + 1));
    }

  /* Children come after their parent, so walking backwards adds each subtree's total to its
   * parent only once it is complete. */
  for (guint i = ordered->len; i-- > 1;)
    {
      PathRow *path_row = g_ptr_array_index (ordered, i);
      const char *cut = strrchr (path_row->path, '\x1f');
      g_autofree char *parent_path = cut ? g_strndup (path_row->path, cut - path_row->path)
                                         : NULL;
      gpointer parent = parent_path ? g_hash_table_lookup (index_of, parent_path) : NULL;

      if (parent != NULL)
        figures_add (&g_array_index (report->rows, MotcuaReportRow,
                                     GPOINTER_TO_UINT (parent) - 1).total,
                     &g_array_index (report->rows, MotcuaReportRow, i).total);
    }

  return g_steal_pointer (&report);
}

MotcuaReport *
motcua_replica_report (MotcuaReplica  *self,
                       const char     *office_code,
                       const char     *from,
                       const char     *to,
                       GError        **error)
{
  MotcuaReport *report;
  GDate from_date, to_date;
  char to_next[11];
  gboolean started;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);
  g_return_val_if_fail (office_code != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!motcua_check_date ("from", from, &from_date, error)
      || !motcua_check_date ("to", to, &to_date, error))
    return NULL;
  if (g_date_compare (&from_date, &to_date) > 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("The period from %s to %s ends before it starts: from must not be after to"),
                   from, to);
      return NULL;
    }

  g_date_add_days (&to_date, 1);
  g_date_strftime (to_next, sizeof to_next, "%Y-%m-%d", &to_date);

  /* Reads happen in one transaction, so the subtree and the counts agree even if another
   * connection writes meanwhile. */
  if (!_motcua_store_report_begin_read (self, &started, error))
    return NULL;
  report = build_report (self, office_code, from, to, error);
  _motcua_store_report_end_read (self, started);

  return report;
}

MotcuaReport *
motcua_report_ref (MotcuaReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
motcua_report_unref (MotcuaReport *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->from);
  g_free (self->to);
  g_array_unref (self->rows);
  g_free (self);
}

const char *
motcua_report_get_from (MotcuaReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->from;
}

const char *
motcua_report_get_to (MotcuaReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->to;
}

guint
motcua_report_get_n_rows (MotcuaReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->rows->len;
}

const MotcuaReportRow *
motcua_report_get_row (MotcuaReport *self,
                       guint         index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);

  return &g_array_index (self->rows, MotcuaReportRow, index);
}

const MotcuaReportRow *
motcua_report_find (MotcuaReport *self,
                    const char   *office_code)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (office_code != NULL, NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      const MotcuaReportRow *row = &g_array_index (self->rows, MotcuaReportRow, i);

      if (g_strcmp0 (row->office_code, office_code) == 0)
        return row;
    }

  return NULL;
}
