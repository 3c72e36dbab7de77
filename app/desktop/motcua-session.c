/* motcua-session.c: the replica the desk works on
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-session.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

/* A worker: one thread that runs its jobs in the order they came, on its own connection to the
 * replica. @reader is opened on the first job and closed after READER_IDLE_SECONDS without one,
 * so its page cache does not stay in memory while the desk rests; it is only touched in the
 * worker's thread (and in finalize, once that thread is gone). */
typedef struct
{
  MotcuaSession *session;
  GThreadPool   *pool;
  MotcuaReplica *reader;
  guint          idle_source;
} Worker;

struct _MotcuaSession
{
  GObject         parent_instance;

  MotcuaReplica  *replica;
  MotcuaCalendar *calendar;
  char           *office_name;
  char           *path;

  /* Two workers: quick jobs (pages of the list, a scan, the conflicts) are never stuck behind a
   * slow one (counting every dossier, the report), which reads the whole table when it is not in
   * the page cache yet: seconds, on a million. */
  Worker          quick;
  Worker          slow;

#ifdef MOTCUA_DESK_HAVE_SYNC
  MotcuaSync     *sync;
#endif
};

G_DEFINE_FINAL_TYPE (MotcuaSession, motcua_session, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define READER_IDLE_SECONDS 10

typedef struct
{
  MotcuaSessionFunc func;
  gpointer          data;
  GDestroyNotify    data_free;
} Job;

static void
job_free (gpointer pointer)
{
  Job *job = pointer;

  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

/* A work item that is not a task: close the worker's connection. */
static int close_reader_marker;
#define CLOSE_READER ((gpointer) &close_reader_marker)

static void
worker_func (gpointer data,
             gpointer user_data)
{
  Worker *worker = user_data;
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  Job *job;
  gboolean ok;

  if (data == CLOSE_READER)
    {
      g_steal_pointer (&task);
      g_clear_object (&worker->reader);
#ifdef __GLIBC__
      /* Give back what the connection's cache and the last pages of rows held: glibc keeps
       * freed memory of a thread's arena for later otherwise, and the desk rests for hours. */
      malloc_trim (0);
#endif
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  if (worker->reader == NULL)
    {
      worker->reader = motcua_replica_open (worker->session->path, &error);
      if (worker->reader == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  job = g_task_get_task_data (task);
  cancellable = g_task_get_cancellable (task);
  ok = job->func (worker->reader, job->data, cancellable, &error);

  /* Returned from this thread, the task completes in the main context, where its last
   * reference (and so the session's) is dropped. */
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
worker_init (Worker        *worker,
             MotcuaSession *session)
{
  worker->session = session;
  /* One thread at most: its jobs run one at a time, in order. Cannot fail unless exclusive. */
  worker->pool = g_thread_pool_new (worker_func, worker, 1, FALSE, NULL);
}

static void
worker_clear (Worker *worker)
{
  /* Every task holds the session: none is left, only perhaps a request to close. */
  g_thread_pool_free (worker->pool, FALSE, TRUE);
  g_clear_handle_id (&worker->idle_source, g_source_remove);
  g_clear_object (&worker->reader);
}

static void
motcua_session_finalize (GObject *object)
{
  MotcuaSession *self = MOTCUA_SESSION (object);

  worker_clear (&self->quick);
  worker_clear (&self->slow);

#ifdef MOTCUA_DESK_HAVE_SYNC
  if (self->sync != NULL)
    {
      motcua_sync_set_auto (self->sync, 0);
      g_signal_handlers_disconnect_by_data (self->sync, self);
    }
  g_clear_object (&self->sync);
#endif
  g_clear_object (&self->replica);
  g_clear_pointer (&self->calendar, motcua_calendar_unref);
  g_clear_pointer (&self->office_name, g_free);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (motcua_session_parent_class)->finalize (object);
}

static void
motcua_session_class_init (MotcuaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = motcua_session_finalize;

  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
motcua_session_init (MotcuaSession *self)
{
  worker_init (&self->quick, self);
  worker_init (&self->slow, self);
}

MotcuaSession *
motcua_session_new (const char  *path,
                    GError     **error)
{
  g_autoptr(MotcuaSession) self = NULL;
  g_autoptr(MotcuaOffice) office = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (MOTCUA_TYPE_SESSION, NULL);
  self->replica = motcua_replica_open (path, error);
  if (self->replica == NULL)
    return NULL;
  self->path = g_strdup (motcua_replica_get_path (self->replica));

  office = motcua_replica_dup_office (self->replica,
                                      motcua_replica_get_office_code (self->replica), NULL);
  self->office_name = g_strdup (office != NULL ? office->name
                                               : motcua_replica_get_office_code (self->replica));
  self->calendar = motcua_replica_dup_calendar (self->replica, NULL);
  if (self->calendar == NULL)
    self->calendar = motcua_calendar_new ();

#ifdef MOTCUA_DESK_HAVE_SYNC
  {
    g_autofree char *server = motcua_replica_dup_server_url (self->replica);

    if (server != NULL)
      {
        self->sync = motcua_sync_new (path);
        /* A sync that ended brought changes: lists reload. */
        g_signal_connect_swapped (self->sync, "notify::last-sync",
                                  G_CALLBACK (motcua_session_changed), self);
      }
  }
#endif

  return g_steal_pointer (&self);
}

#ifdef MOTCUA_DESK_HAVE_SYNC
MotcuaSync *
motcua_session_get_sync (MotcuaSession *self)
{
  g_return_val_if_fail (MOTCUA_IS_SESSION (self), NULL);

  return self->sync;
}
#endif

MotcuaReplica *
motcua_session_get_replica (MotcuaSession *self)
{
  g_return_val_if_fail (MOTCUA_IS_SESSION (self), NULL);

  return self->replica;
}

const char *
motcua_session_get_path (MotcuaSession *self)
{
  g_return_val_if_fail (MOTCUA_IS_SESSION (self), NULL);

  return motcua_replica_get_path (self->replica);
}

const char *
motcua_session_get_office_name (MotcuaSession *self)
{
  g_return_val_if_fail (MOTCUA_IS_SESSION (self), NULL);

  return self->office_name;
}

MotcuaCalendar *
motcua_session_get_calendar (MotcuaSession *self)
{
  g_return_val_if_fail (MOTCUA_IS_SESSION (self), NULL);

  return self->calendar;
}

void
motcua_session_set_officer (MotcuaSession *self,
                            const char    *officer)
{
  g_return_if_fail (MOTCUA_IS_SESSION (self));

  /* The workers only read: they sign nothing. */
  motcua_replica_set_officer (self->replica, officer);
}

char *
motcua_session_dup_today (MotcuaSession *self)
{
  const char *fixed = g_getenv ("MOTCUA_DESK_TODAY");
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (fixed != NULL && *fixed != '\0')
    return g_strdup (fixed);

  zone = g_time_zone_new_offset (7 * 3600);
  now = g_date_time_new_now (zone);
  return g_date_time_format (now, "%Y-%m-%d");
}

static gboolean
reader_idle_cb (gpointer user_data)
{
  Worker *worker = user_data;

  worker->idle_source = 0;
  g_thread_pool_push (worker->pool, CLOSE_READER, NULL);
  return G_SOURCE_REMOVE;
}

void
motcua_session_run_async (MotcuaSession       *self,
                          MotcuaSessionLane    lane,
                          MotcuaSessionFunc    func,
                          gpointer             data,
                          GDestroyNotify       data_free,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Worker *worker;
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (MOTCUA_IS_SESSION (self));
  g_return_if_fail (func != NULL);

  worker = lane == MOTCUA_SESSION_SLOW ? &self->slow : &self->quick;
  job = g_new0 (Job, 1);
  job->func = func;
  job->data = data;
  job->data_free = data_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, motcua_session_run_async);
  g_task_set_task_data (task, job, job_free);
  g_thread_pool_push (worker->pool, g_steal_pointer (&task), NULL);

  /* The worker's connection is closed once the desk has rested a while. */
  g_clear_handle_id (&worker->idle_source, g_source_remove);
  worker->idle_source = g_timeout_add_seconds (READER_IDLE_SECONDS, reader_idle_cb, worker);
}

gboolean
motcua_session_run_finish (MotcuaSession  *self,
                           GAsyncResult   *result,
                           gpointer       *data_out,
                           GError        **error)
{
  Job *job;

  g_return_val_if_fail (MOTCUA_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (data_out != NULL)
    *data_out = job->data;

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
motcua_session_changed (MotcuaSession *self)
{
  g_return_if_fail (MOTCUA_IS_SESSION (self));

  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
motcua_session_follow (MotcuaSession **slot,
                       MotcuaSession  *session,
                       gpointer        page,
                       GCallback       changed_cb)
{
  g_return_val_if_fail (slot != NULL, FALSE);
  g_return_val_if_fail (session == NULL || MOTCUA_IS_SESSION (session), FALSE);

  if (*slot == session)
    return FALSE;
  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, (gpointer) changed_cb, page);
  g_set_object (slot, session);
  if (session != NULL)
    g_signal_connect_object (session, "changed", changed_cb, page, G_CONNECT_SWAPPED);

  return TRUE;
}

/* Applying a reorganisation */

typedef struct
{
  char                 *path;
  char                 *officer;
  MotcuaReorganisation *reorg;      /* borrowed from the caller */
  guint                 n_moved;
} Applying;

static void
applying_free (gpointer pointer)
{
  Applying *applying = pointer;

  g_free (applying->path);
  g_free (applying->officer);
  g_free (applying);
}

static void
apply_reorganisation_in_thread (GTask        *task,
                                gpointer      source_object,
                                gpointer      task_data,
                                GCancellable *cancellable)
{
  Applying *applying = task_data;
  g_autoptr(MotcuaReplica) writer = NULL;
  g_autoptr(GError) error = NULL;

  writer = motcua_replica_open (applying->path, &error);
  if (writer != NULL)
    motcua_replica_set_officer (writer, applying->officer);
  if (writer == NULL
      || !motcua_replica_apply_reorganisation (writer, applying->reorg, &applying->n_moved,
                                               &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
motcua_session_apply_reorganisation_async (MotcuaSession        *self,
                                           MotcuaReorganisation *reorg,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Applying *applying;

  g_return_if_fail (MOTCUA_IS_SESSION (self));
  g_return_if_fail (reorg != NULL);

  applying = g_new0 (Applying, 1);
  applying->path = g_strdup (self->path);
  applying->officer = g_strdup (motcua_replica_get_officer (self->replica));
  applying->reorg = reorg;
  /* No cancellable: once begun, the transaction is better finished than left to a closed
   * window. */
  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, motcua_session_apply_reorganisation_async);
  g_task_set_task_data (task, applying, applying_free);
  g_task_run_in_thread (task, apply_reorganisation_in_thread);
}

gboolean
motcua_session_apply_reorganisation_finish (MotcuaSession  *self,
                                            GAsyncResult   *result,
                                            guint          *n_moved,
                                            GError        **error)
{
  Applying *applying;

  g_return_val_if_fail (MOTCUA_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  applying = g_task_get_task_data (G_TASK (result));
  if (n_moved != NULL)
    *n_moved = applying->n_moved;
  motcua_session_changed (self);

  return TRUE;
}

/* Counting */

void
motcua_session_counts_free (gpointer pointer)
{
  MotcuaSessionCounts *counts = pointer;

  g_clear_pointer (&counts->rejected, g_ptr_array_unref);
  g_free (counts);
}

gboolean
motcua_session_count_in_thread (MotcuaReplica  *reader,
                                gpointer        data,
                                GCancellable   *cancellable,
                                GError        **error)
{
  MotcuaSessionCounts *counts = data;

  (void) counts;
#ifdef MOTCUA_DESK_HAVE_SYNC
  counts->conflicts = motcua_replica_count_conflicts (reader, error);
  if (counts->conflicts < 0)
    return FALSE;
  if (counts->with_rejected)
    {
      counts->rejected = motcua_replica_list_rejected (reader, error);
      if (counts->rejected == NULL)
        return FALSE;
    }
#endif
  return TRUE;
}

#ifdef MOTCUA_DESK_HAVE_SYNC
/* Enrolling */

typedef struct
{
  char *path;
  char *server;
  char *token;
} Enrollment;

static void
enrollment_free (gpointer pointer)
{
  Enrollment *enrollment = pointer;

  g_free (enrollment->path);
  g_free (enrollment->server);
  g_free (enrollment->token);
  g_free (enrollment);
}

static void
enroll_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Enrollment *enrollment = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (enrollment->path);

  g_mkdir_with_parents (dir, 0700);
  if (!motcua_sync_enroll (enrollment->path, enrollment->server, enrollment->token,
                           cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_strdup (enrollment->path), g_free);
}

void
motcua_session_enroll_async (gpointer             source_object,
                             const char          *path,
                             const char          *server,
                             const char          *token,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Enrollment *enrollment;

  g_return_if_fail (path != NULL);

  enrollment = g_new0 (Enrollment, 1);
  enrollment->path = g_strdup (path);
  enrollment->server = g_strstrip (g_strdup (server != NULL ? server : ""));
  enrollment->token = g_strstrip (g_strdup (token != NULL ? token : ""));
  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, motcua_session_enroll_async);
  g_task_set_task_data (task, enrollment, enrollment_free);
  g_task_run_in_thread (task, enroll_in_thread);
}

char *
motcua_session_enroll_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
#endif
