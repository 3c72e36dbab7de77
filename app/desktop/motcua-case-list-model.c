/* motcua-case-list-model.c: the cases of a replica as a GListModel, loaded in pages
 *
 * Rows come from motcua_replica_list_cases() with an offset and a limit, in the session's quick
 * worker; the length from motcua_replica_count_cases(), in its slow one (a scan of every match:
 * a few hundred ms on a million cases, seconds when the file is not in the page cache yet). A
 * new filter shows its first page as soon as it is read (a millisecond) and, until the count
 * comes, grows a page at a time as the view reaches its end; then the list takes its length. The view asks for the items it shows; an
 * item not loaded yet is a placeholder that fills in (and notifies) when its page arrives. Pages
 * are loaded most recent request first, pages whose items nobody holds any more are skipped,
 * and only the last MAX_PAGES pages are kept.
 *
 * An offset costs a walk over every row before it (about 1.3 µs a row: 1.3 s at the end of a
 * million), so deep in the list one query loads a run of pages around the one asked for, longer
 * the deeper it is: scrolling on from there finds its rows loaded, and the walk is paid once per
 * run rather than once per page. While the view scrolls through loaded rows, the run ahead of it
 * is loaded before it gets there.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-case-list-model.h"

#define PAGE_SIZE MOTCUA_CASE_LIST_PAGE_SIZE
/* Pages loaded by one query: one near the top, up to MAX_RUN deep down (from RUN_DEPTH pages on,
 * one more page per RUN_DEPTH pages of depth). */
#define MAX_RUN   25
#define RUN_DEPTH 25
/* Pages kept: two of the longest runs and more; at most 6,400 cases, a few megabytes. */
#define MAX_PAGES 64

struct _MotcuaCaseListModel
{
  GObject          parent_instance;

  MotcuaSession   *session;
  GCancellable    *cancellable;

  /* The filter, with its own copies of the strings. */
  MotcuaCaseFilter filter;
  char            *procedure_code;
  char            *office;
  char            *query;
  char            *today;

  guint            generation;     /* bumped by every reload: late answers are dropped */
  guint            n_items;
  gboolean         resetting;      /* a reload waits for its first page */
  gboolean         counting;       /* … or for its count */
  gboolean         loading_page;
  guint            n_pages_loaded;

  GHashTable      *pages;          /* page index → GPtrArray of MotcuaCase */
  GQueue           lru;            /* page indices, most recent first */
  GHashTable      *items;          /* position → MotcuaCaseItem (weak) */
  GQueue           wanted;         /* page indices to load, most recent first */
  guint            last_position;  /* of the last item asked for: which way the view scrolls */
  guint            prefetch;       /* a page to load when nothing is wanted, plus one; 0: none */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MotcuaCaseListModel, motcua_case_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The worker's jobs */

typedef struct
{
  MotcuaCaseFilter filter;
  char            *procedure_code;
  char            *office;
  char            *query;
  char            *today;
  guint            generation;
  guint            page;           /* the first page loaded */
  guint            n_pages;
  gint64           count;
  GPtrArray       *rows;
} Job;

static Job *
job_new (MotcuaCaseListModel *self)
{
  Job *job = g_new0 (Job, 1);

  job->filter = self->filter;
  job->procedure_code = g_strdup (self->procedure_code);
  job->office = g_strdup (self->office);
  job->query = g_strdup (self->query);
  job->today = g_strdup (self->today);
  job->filter.procedure_code = job->procedure_code;
  job->filter.office = job->office;
  job->filter.query = job->query;
  job->filter.today = job->today;
  job->generation = self->generation;
  return job;
}

static void
job_free (gpointer pointer)
{
  Job *job = pointer;

  g_free (job->procedure_code);
  g_free (job->office);
  g_free (job->query);
  g_free (job->today);
  g_clear_pointer (&job->rows, g_ptr_array_unref);
  g_free (job);
}

static gboolean
count_in_thread (MotcuaReplica  *reader,
                 gpointer        data,
                 GCancellable   *cancellable,
                 GError        **error)
{
  Job *job = data;

  job->count = motcua_replica_count_cases (reader, &job->filter, error);
  return job->count >= 0;
}

static gboolean
page_in_thread (MotcuaReplica  *reader,
                gpointer        data,
                GCancellable   *cancellable,
                GError        **error)
{
  Job *job = data;

  job->filter.offset = job->page * PAGE_SIZE;
  job->filter.limit = job->n_pages * PAGE_SIZE;
  job->rows = motcua_replica_list_cases (reader, &job->filter, error);
  return job->rows != NULL;
}

/* Items */

static void
item_finalized (gpointer  data,
                GObject  *where_the_object_was)
{
  MotcuaCaseListModel *self = data;
  /* Weak references are notified while the object is disposed: its fields are still there. */
  gpointer position = GUINT_TO_POINTER (motcua_case_item_get_position (
                                          (MotcuaCaseItem *) where_the_object_was));
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_lookup (self->items, position) == (gpointer) where_the_object_was)
    {
      g_hash_table_remove (self->items, position);
      return;
    }
  /* An item of an earlier list, at a position that another item holds now. */
  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (value == (gpointer) where_the_object_was)
      {
        g_hash_table_iter_remove (&iter);
        return;
      }
}

static void
forget_items (MotcuaCaseListModel *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_object_weak_unref (value, item_finalized, self);
  g_hash_table_remove_all (self->items);
}

static gboolean
page_has_items (MotcuaCaseListModel *self,
                guint                page)
{
  for (guint i = 0; i < PAGE_SIZE; i++)
    if (g_hash_table_contains (self->items, GUINT_TO_POINTER (page * PAGE_SIZE + i)))
      return TRUE;
  return FALSE;
}

static void
set_loading (MotcuaCaseListModel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Drops the pages, the items and the requests of the previous list. */
static void
reset_pages (MotcuaCaseListModel *self)
{
  self->prefetch = 0;
  forget_items (self);
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
  g_queue_clear (&self->wanted);
}

static void
keep_page (MotcuaCaseListModel *self,
           guint                page,
           GPtrArray           *rows)
{
  g_queue_remove (&self->lru, GUINT_TO_POINTER (page));
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), rows);
  g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
  while (self->lru.length > MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->lru));
}

/* Keeps the rows of @job, page by page, and fills in the items waiting for them. */
static void
keep_rows (MotcuaCaseListModel *self,
           Job                 *job)
{
  GPtrArray *all = job->rows;

  /* The rows move to their pages. */
  g_ptr_array_set_free_func (all, NULL);
  for (guint p = 0; p < job->n_pages; p++)
    {
      guint first = p * PAGE_SIZE;
      guint page = job->page + p;
      GPtrArray *rows;

      /* A short page is the last one; nothing follows it. */
      if (first >= all->len && p > 0)
        break;
      rows = g_ptr_array_new_full (PAGE_SIZE, (GDestroyNotify) motcua_case_free);
      for (guint i = first; i < MIN (first + PAGE_SIZE, all->len); i++)
        g_ptr_array_add (rows, g_steal_pointer (&all->pdata[i]));
      self->n_pages_loaded++;
      keep_page (self, page, rows);

      for (guint i = 0; i < rows->len; i++)
        {
          MotcuaCaseItem *item = g_hash_table_lookup (self->items,
                                                      GUINT_TO_POINTER (page * PAGE_SIZE + i));

          if (item != NULL)
            motcua_case_item_set_case (item, g_ptr_array_index (rows, i), self->today);
        }
    }
}

static void load_next_page (MotcuaCaseListModel *self);

/* Until the count comes, the list ends one page of placeholders past the last full page read:
 * the view can scroll on, a page at a time, while the count scans every match. A short page is
 * the end. */
static void
grow_until_counted (MotcuaCaseListModel *self,
                    Job                 *job)
{
  guint end = job->page * PAGE_SIZE + job->rows->len;
  guint old = self->n_items;
  guint n;

  if (end < old - MIN (old, PAGE_SIZE))
    return;  /* not the last page shown */
  n = job->rows->len == job->n_pages * PAGE_SIZE ? end + PAGE_SIZE : end;
  if (n == old)
    return;
  self->n_items = n;
  if (n > old)
    g_list_model_items_changed (G_LIST_MODEL (self), old, 0, n - old);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), n, old - n, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* The first page of a reload: the list shows it at once, and grows when the count comes. */
static void
show_first_page (MotcuaCaseListModel *self,
                 Job                 *job)
{
  guint old = self->n_items;

  self->resetting = FALSE;
  reset_pages (self);
  self->n_items = job->rows->len;
  keep_rows (self, job);
  /* A full page, and no count yet: there may be more, one page of placeholders says so. */
  if (self->counting && self->n_items == PAGE_SIZE)
    self->n_items += PAGE_SIZE;
  if (old > 0 || self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
  if (old != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
page_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MotcuaCaseListModel) self = user_data;
  g_autoptr(GError) error = NULL;
  Job *job = NULL;

  if (!motcua_session_run_finish (MOTCUA_SESSION (source), result, (gpointer *) &job, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not load cases %u–%u: %s", job->page * PAGE_SIZE,
                 (job->page + job->n_pages) * PAGE_SIZE, error->message);
      if (job->generation == self->generation)
        {
          self->loading_page = FALSE;
          self->resetting = FALSE;
          set_loading (self);
        }
      return;
    }
  if (job->generation != self->generation)
    return;

  self->loading_page = FALSE;
  if (self->resetting)
    show_first_page (self, job);
  else
    {
      keep_rows (self, job);
      if (self->counting)
        grow_until_counted (self, job);
    }

  load_next_page (self);
  set_loading (self);
}

/* How many pages one query loads when @page is asked for: see the top of the file. */
static guint
run_length (guint page)
{
  return CLAMP (page / RUN_DEPTH, 1, MAX_RUN);
}

static void
load_next_page (MotcuaCaseListModel *self)
{
  Job *job;
  guint page, n_pages, first, last;

  if (self->loading_page || self->resetting || self->session == NULL)
    return;

  /* The most recent request first; skip pages loaded since, or that nobody shows any more.
   * With nothing wanted, the page ahead of the view. */
  do
    {
      if (g_queue_is_empty (&self->wanted))
        {
          page = self->prefetch - 1;
          self->prefetch = 0;
          if (page == G_MAXUINT || g_hash_table_contains (self->pages, GUINT_TO_POINTER (page)))
            return;
          break;
        }
      page = GPOINTER_TO_UINT (g_queue_pop_head (&self->wanted));
    }
  while (g_hash_table_contains (self->pages, GUINT_TO_POINTER (page))
         || !page_has_items (self, page));

  /* A run of pages around it, within the list, without the loaded ones at its ends. */
  n_pages = run_length (page);
  first = page - MIN (page, n_pages / 2);
  last = MIN (first + n_pages, (self->n_items + PAGE_SIZE - 1) / PAGE_SIZE);
  first = MIN (first, page);
  while (first < page && g_hash_table_contains (self->pages, GUINT_TO_POINTER (first)))
    first++;
  while (last > page + 1 && g_hash_table_contains (self->pages, GUINT_TO_POINTER (last - 1)))
    last--;

  job = job_new (self);
  job->page = first;
  job->n_pages = MAX (last, page + 1) - first;
  self->loading_page = TRUE;
  motcua_session_run_async (self->session, MOTCUA_SESSION_QUICK, page_in_thread, job, job_free,
                            self->cancellable, page_loaded_cb, g_object_ref (self));
}

static void
request_page (MotcuaCaseListModel *self,
              guint                page)
{
  g_queue_remove (&self->wanted, GUINT_TO_POINTER (page));
  g_queue_push_head (&self->wanted, GUINT_TO_POINTER (page));
  /* Scrolling fast asks for many pages it has left already: forget the oldest requests. */
  while (self->wanted.length > MAX_PAGES)
    g_queue_pop_tail (&self->wanted);
  load_next_page (self);
}

/* Rows the view reaches are loaded: ask, at low priority, for the page a little ahead of
 * @position in the direction the view goes, if it is not loaded yet. */
static void
prefetch_ahead (MotcuaCaseListModel *self,
                guint                position)
{
  guint page = position / PAGE_SIZE;
  guint ahead = run_length (page) / 4 + 2;
  guint n_pages = (self->n_items + PAGE_SIZE - 1) / PAGE_SIZE;
  guint target;

  if (position >= self->last_position)
    target = page + ahead;
  else if (page >= ahead)
    target = page - ahead;
  else
    return;
  if (target >= n_pages || g_hash_table_contains (self->pages, GUINT_TO_POINTER (target)))
    return;

  self->prefetch = target + 1;
  load_next_page (self);
}

/* GListModel */

static GType
get_item_type (GListModel *model)
{
  return MOTCUA_TYPE_CASE_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return MOTCUA_CASE_LIST_MODEL (model)->n_items;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  MotcuaCaseListModel *self = MOTCUA_CASE_LIST_MODEL (model);
  MotcuaCaseItem *item;
  GPtrArray *rows;
  guint page = position / PAGE_SIZE;

  if (position >= self->n_items)
    return NULL;

  item = g_hash_table_lookup (self->items, GUINT_TO_POINTER (position));
  if (item != NULL)
    return g_object_ref (item);

  item = motcua_case_item_new (position);
  g_hash_table_insert (self->items, GUINT_TO_POINTER (position), item);
  g_object_weak_ref (G_OBJECT (item), item_finalized, self);

  rows = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (rows != NULL)
    {
      if (position % PAGE_SIZE < rows->len)
        motcua_case_item_set_case (item, g_ptr_array_index (rows, position % PAGE_SIZE),
                                   self->today);
      /* Keep it among the recent pages. */
      g_queue_remove (&self->lru, GUINT_TO_POINTER (page));
      g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
      prefetch_ahead (self, position);
    }
  else
    request_page (self, page);

  self->last_position = position;
  return item;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Counting */

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(MotcuaCaseListModel) self = user_data;
  g_autoptr(GError) error = NULL;
  Job *job = NULL;
  guint old, count;

  if (!motcua_session_run_finish (MOTCUA_SESSION (source), result, (gpointer *) &job, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not count the cases: %s", error->message);
      if (job->generation == self->generation)
        {
          self->counting = FALSE;
          set_loading (self);
        }
      return;
    }
  if (job->generation != self->generation)
    return;

  self->counting = FALSE;
  old = self->n_items;
  count = (guint) MIN (job->count, (gint64) G_MAXUINT);

  if (self->resetting)
    {
      /* Counted before the first page came: the list starts anew, at its length. */
      self->resetting = FALSE;
      reset_pages (self);
      self->n_items = count;
      if (old > 0 || count > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, old, count);
    }
  else
    {
      /* What was shown stays: the rest follows it (or the placeholders past the end go). */
      self->n_items = count;
      if (count > old)
        g_list_model_items_changed (G_LIST_MODEL (self), old, 0, count - old);
      else if (count < old)
        g_list_model_items_changed (G_LIST_MODEL (self), count, old - count, 0);
    }
  if (old != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  load_next_page (self);
  set_loading (self);
}

void
motcua_case_list_model_reload (MotcuaCaseListModel *self)
{
  Job *job;

  g_return_if_fail (MOTCUA_IS_CASE_LIST_MODEL (self));

  if (self->session == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  self->resetting = TRUE;
  self->counting = TRUE;
  self->loading_page = TRUE;
  g_free (self->today);
  self->today = motcua_session_dup_today (self->session);
  self->filter.today = self->today;

  /* The first page and the count, each in its own worker: the page comes first, in a
   * millisecond. Until it comes, the list shows what it showed. */
  job = job_new (self);
  job->page = 0;
  job->n_pages = 1;
  motcua_session_run_async (self->session, MOTCUA_SESSION_QUICK, page_in_thread, job, job_free,
                            self->cancellable, page_loaded_cb, g_object_ref (self));
  motcua_session_run_async (self->session, MOTCUA_SESSION_SLOW, count_in_thread, job_new (self),
                            job_free, self->cancellable, counted_cb, g_object_ref (self));
  set_loading (self);
}

void
motcua_case_list_model_set_filter (MotcuaCaseListModel    *self,
                                   const MotcuaCaseFilter *filter)
{
  g_return_if_fail (MOTCUA_IS_CASE_LIST_MODEL (self));
  g_return_if_fail (filter != NULL);

  g_free (self->procedure_code);
  g_free (self->office);
  g_free (self->query);
  self->filter = *filter;
  self->procedure_code = g_strdup (filter->procedure_code);
  self->office = g_strdup (filter->office);
  self->query = g_strdup (filter->query);
  self->filter.procedure_code = self->procedure_code;
  self->filter.office = self->office;
  self->filter.query = self->query;
  self->filter.offset = 0;
  self->filter.limit = 0;
  motcua_case_list_model_reload (self);
}

gboolean
motcua_case_list_model_get_loading (MotcuaCaseListModel *self)
{
  g_return_val_if_fail (MOTCUA_IS_CASE_LIST_MODEL (self), FALSE);

  return self->resetting || self->counting || self->loading_page;
}

gboolean
motcua_case_list_model_get_counting (MotcuaCaseListModel *self)
{
  g_return_val_if_fail (MOTCUA_IS_CASE_LIST_MODEL (self), FALSE);

  return self->counting;
}

guint
motcua_case_list_model_get_n_pages_loaded (MotcuaCaseListModel *self)
{
  g_return_val_if_fail (MOTCUA_IS_CASE_LIST_MODEL (self), 0);

  return self->n_pages_loaded;
}

/* GObject */

static void
motcua_case_list_model_dispose (GObject *object)
{
  MotcuaCaseListModel *self = MOTCUA_CASE_LIST_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  if (self->items != NULL)
    forget_items (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (motcua_case_list_model_parent_class)->dispose (object);
}

static void
motcua_case_list_model_finalize (GObject *object)
{
  MotcuaCaseListModel *self = MOTCUA_CASE_LIST_MODEL (object);

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->items, g_hash_table_unref);
  g_queue_clear (&self->lru);
  g_queue_clear (&self->wanted);
  g_free (self->procedure_code);
  g_free (self->office);
  g_free (self->query);
  g_free (self->today);

  G_OBJECT_CLASS (motcua_case_list_model_parent_class)->finalize (object);
}

static void
motcua_case_list_model_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  MotcuaCaseListModel *self = MOTCUA_CASE_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, motcua_case_list_model_get_loading (self));
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
motcua_case_list_model_class_init (MotcuaCaseListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = motcua_case_list_model_dispose;
  object_class->finalize = motcua_case_list_model_finalize;
  object_class->get_property = motcua_case_list_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
motcua_case_list_model_init (MotcuaCaseListModel *self)
{
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;

  self->filter = filter;
  self->cancellable = g_cancellable_new ();
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->items = g_hash_table_new (NULL, NULL);
  g_queue_init (&self->lru);
  g_queue_init (&self->wanted);
}

MotcuaCaseListModel *
motcua_case_list_model_new (MotcuaSession *session)
{
  MotcuaCaseListModel *self;

  g_return_val_if_fail (MOTCUA_IS_SESSION (session), NULL);

  self = g_object_new (MOTCUA_TYPE_CASE_LIST_MODEL, NULL);
  self->session = g_object_ref (session);
  return self;
}
