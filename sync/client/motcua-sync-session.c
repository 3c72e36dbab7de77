/* motcua-sync-session.c: MotcuaSync, the session a desk syncs through
 *
 * Runs one sync at a time in a worker thread, with its progress and outcome delivered in the
 * caller's main context, the counts the desk shows, and syncs on a timer and when the network
 * returns (the threading contract is motcua-sync.h's).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-blob-sync-private.h"
#include "motcua-conflicts.h"
#include "motcua-error.h"
#include "motcua-sync-private.h"

/* MotcuaSync */

struct _MotcuaSync
{
  GObject          parent_instance;

  char            *path;
  GMainContext    *context;
  MotcuaSyncStatus  state;
  char            *error_message;
  gint64           last_sync;
  gint64           n_pending;
  gint64           n_rejected;
  gint64           n_conflicts;
  GTask           *running;        /* the run under way */
  GPtrArray       *waiting;        /* GTasks of callers that joined it */
  guint            auto_source;
  guint            auto_interval;
  gulong           network_handler;
  /* The replica kept open between uses (a run that went well, or reading the counts): a desk
   * syncs every few minutes all day, and opening the file is more than half of what a sync
   * with nothing to do costs on its side. One use at a time (take_replica()). */
  GMutex           replica_lock;
  MotcuaReplica   *replica;
};

enum
{
  PROP_0,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_LAST_SYNC,
  PROP_N_PENDING,
  PROP_N_REJECTED,
  PROP_N_CONFLICTS,
  N_PROPS
};

enum
{
  SIGNAL_PROGRESS,
  SIGNAL_ATTACHMENT_PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MotcuaSync, motcua_sync, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (MotcuaSyncProgress, motcua_sync_progress, motcua_sync_progress_copy,
                     g_free)

MotcuaSyncProgress *
motcua_sync_progress_copy (const MotcuaSyncProgress *progress)
{
  return g_memdup2 (progress, sizeof *progress);
}

static void
motcua_sync_dispose (GObject *object)
{
  MotcuaSync *self = MOTCUA_SYNC (object);

  motcua_sync_set_auto (self, 0);

  G_OBJECT_CLASS (motcua_sync_parent_class)->dispose (object);
}

static void
motcua_sync_finalize (GObject *object)
{
  MotcuaSync *self = MOTCUA_SYNC (object);

  g_clear_object (&self->replica);
  g_mutex_clear (&self->replica_lock);
  g_free (self->path);
  g_free (self->error_message);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);

  G_OBJECT_CLASS (motcua_sync_parent_class)->finalize (object);
}

static void
motcua_sync_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MotcuaSync *self = MOTCUA_SYNC (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->last_sync);
      break;
    case PROP_N_PENDING:
      g_value_set_int64 (value, self->n_pending);
      break;
    case PROP_N_REJECTED:
      g_value_set_int64 (value, self->n_rejected);
      break;
    case PROP_N_CONFLICTS:
      g_value_set_int64 (value, self->n_conflicts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
motcua_sync_class_init (MotcuaSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = motcua_sync_dispose;
  object_class->finalize = motcua_sync_finalize;
  object_class->get_property = motcua_sync_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, MOTCUA_SYNC_STATUS_NOT_ENROLLED,
                      MOTCUA_SYNC_STATUS_ERROR, MOTCUA_SYNC_STATUS_NOT_ENROLLED,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_PENDING] =
    g_param_spec_int64 ("n-pending", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_REJECTED] =
    g_param_spec_int64 ("n-rejected", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_CONFLICTS] =
    g_param_spec_int64 ("n-conflicts", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MotcuaSync::progress:
   * @progress: (type MotcuaSyncProgress): what the sync under way has done so far
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, motcua_sync_progress_get_type () | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * MotcuaSync::attachment-progress:
   * @attachment_id: the attachment being fetched
   * @received: its bytes on this replica so far
   * @size: its size
   *
   * A fetch (motcua_sync_fetch_attachment_async()) got a chunk.
   */
  signals[SIGNAL_ATTACHMENT_PROGRESS] =
    g_signal_new ("attachment-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_UINT64, G_TYPE_UINT64);
}

static void
motcua_sync_init (MotcuaSync *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_mutex_init (&self->replica_lock);
}

static void
set_state (MotcuaSync      *self,
           MotcuaSyncStatus  state,
           const char      *message)
{
  if (g_strcmp0 (self->error_message, message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
set_count (MotcuaSync *self,
           gint64     *field,
           gint64      value,
           guint       prop)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

/* What the desk shows of a replica beside the state of its sync, read on the connection at
 * hand: a sync reads it before it closes the replica, rather than opening it once more. */
typedef struct
{
  gboolean read;
  gboolean enrolled;
  gint64   pending;
  gint64   rejected;
  gint64   conflicts;
  gint64   last_sync;
} Counts;

/* @synced: the summary of a run that just went well, which counted the open conflicts. */
static void
read_counts (MotcuaReplica            *replica,
             const MotcuaSyncProgress *synced,
             Counts                   *counts)
{
  g_autofree char *url = motcua_replica_dup_server_url (replica);

  counts->read = TRUE;
  counts->enrolled = url != NULL;
  counts->pending = MAX (motcua_replica_count_pending (replica, NULL), 0);
  counts->rejected = MAX (motcua_replica_count_rejected (replica, NULL), 0);
  counts->conflicts = synced != NULL ? synced->conflicts
                                     : MAX (motcua_replica_count_conflicts (replica, NULL), 0);
  counts->last_sync = _motcua_replica_meta_get_int (replica, "last_sync", 0);
}

/* The replica the last run kept open, taken for this use (*@keeps: the use may keep it
 * afterwards, keep_replica()), or a new connection to it when none is kept or another use
 * holds it. */
static MotcuaReplica *
take_replica (MotcuaSync  *self,
              gboolean    *keeps,
              GError     **error)
{
  MotcuaReplica *replica = NULL;

  *keeps = g_mutex_trylock (&self->replica_lock);
  if (*keeps)
    replica = g_steal_pointer (&self->replica);

  return replica != NULL ? replica : motcua_replica_open (self->path, error);
}

/* Ends the use take_replica() began; @replica (NULL: nothing) is kept for the next. */
static void
keep_replica (MotcuaSync    *self,
              gboolean       keeps,
              MotcuaReplica *replica)
{
  if (!keeps)
    return;
  if (replica != NULL)
    self->replica = g_object_ref (replica);
  g_mutex_unlock (&self->replica_lock);
}

static void
show_counts (MotcuaSync   *self,
             const Counts *counts)
{
  if (!counts->enrolled)
    set_state (self, MOTCUA_SYNC_STATUS_NOT_ENROLLED, NULL);
  else if (self->state == MOTCUA_SYNC_STATUS_NOT_ENROLLED)
    set_state (self, MOTCUA_SYNC_STATUS_IDLE, NULL);

  set_count (self, &self->n_pending, counts->pending, PROP_N_PENDING);
  set_count (self, &self->n_rejected, counts->rejected, PROP_N_REJECTED);
  set_count (self, &self->n_conflicts, counts->conflicts, PROP_N_CONFLICTS);
  set_count (self, &self->last_sync, counts->last_sync, PROP_LAST_SYNC);
}

void
motcua_sync_refresh_counts (MotcuaSync *self)
{
  g_autoptr(MotcuaReplica) replica = NULL;
  gboolean keeps;
  Counts counts;

  g_return_if_fail (MOTCUA_IS_SYNC (self));

  replica = take_replica (self, &keeps, NULL);
  if (replica != NULL)
    {
      read_counts (replica, NULL, &counts);
      show_counts (self, &counts);
    }
  keep_replica (self, keeps, replica);
}

MotcuaSync *
motcua_sync_new (const char *replica_path)
{
  MotcuaSync *self;

  g_return_val_if_fail (replica_path != NULL, NULL);

  self = g_object_new (MOTCUA_TYPE_SYNC, NULL);
  self->path = g_strdup (replica_path);
  self->context = g_main_context_ref_thread_default ();
  motcua_sync_refresh_counts (self);

  return self;
}

typedef struct
{
  MotcuaSync         *self;
  MotcuaSyncProgress  progress;
} ProgressIdle;

static gboolean
emit_progress (gpointer data)
{
  ProgressIdle *idle = data;

  g_signal_emit (idle->self, signals[SIGNAL_PROGRESS], 0, &idle->progress);

  return G_SOURCE_REMOVE;
}

static void
progress_idle_free (gpointer data)
{
  ProgressIdle *idle = data;

  g_object_unref (idle->self);
  g_free (idle);
}

static void
progress_in_thread (const MotcuaSyncProgress *progress,
                    gpointer                  user_data)
{
  MotcuaSync *self = user_data;
  ProgressIdle *idle = g_new0 (ProgressIdle, 1);

  idle->self = g_object_ref (self);
  idle->progress = *progress;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_progress, idle,
                              progress_idle_free);
}

/* The HTTP transport to the server @replica is enrolled with. */
static MotcuaTransport *
transport_for (MotcuaReplica  *replica,
               GError        **error)
{
  g_autofree char *url = _motcua_replica_meta_dup_text (replica, "server_url");
  g_autofree char *token = _motcua_replica_meta_dup_text (replica, "server_token");

  if (url == NULL || token == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED,
                   _("This replica is not enrolled with a server: enroll it first"));
      return NULL;
    }

  return _motcua_transport_new_http (url, token, error);
}

/* One run, on the replica the last one kept open (or a new connection to it) and an HTTP
 * session of its own. */
static gboolean
run_on_path (MotcuaSync          *self,
             MotcuaProgressFunc   progress,
             gpointer             user_data,
             GCancellable        *cancellable,
             MotcuaSyncProgress  *summary,
             Counts              *counts,
             GError             **error)
{
  g_autoptr(MotcuaReplica) replica = NULL;
  g_autoptr(MotcuaTransport) transport = NULL;
  gboolean keeps;
  gboolean ok;

  replica = take_replica (self, &keeps, error);
  ok = replica != NULL
       && (transport = transport_for (replica, error)) != NULL
       && _motcua_sync_once (replica, transport, progress, user_data, cancellable, summary,
                             error);
  if (replica != NULL)
    read_counts (replica, ok ? summary : NULL, counts);
  /* After a failure the next run starts afresh. */
  keep_replica (self, keeps, ok ? replica : NULL);

  return ok;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  MotcuaSync *self = source_object;
  g_autoptr(GError) error = NULL;
  MotcuaSyncProgress *summary = g_new0 (MotcuaSyncProgress, 1);

  if (run_on_path (self, progress_in_thread, self, cancellable, summary, task_data,
                   &error))
    g_task_return_pointer (task, summary, g_free);
  else
    {
      g_free (summary);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

static void
finish_state (MotcuaSync               *self,
              const MotcuaSyncProgress *summary,
              const Counts             *counts,
              const GError             *error)
{
  if (summary != NULL)
    set_state (self, MOTCUA_SYNC_STATUS_UP_TO_DATE, NULL);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_state (self, MOTCUA_SYNC_STATUS_IDLE, NULL);
  else if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR
           || error->domain == G_TLS_ERROR)
    set_state (self, MOTCUA_SYNC_STATUS_OFFLINE, error->message);
  else
    set_state (self, MOTCUA_SYNC_STATUS_ERROR, error->message);
  if (counts->read)
    show_counts (self, counts);
  else
    motcua_sync_refresh_counts (self);
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  MotcuaSync *self = MOTCUA_SYNC (source);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);
  g_autoptr(GError) error = NULL;
  g_autofree MotcuaSyncProgress *summary = g_task_propagate_pointer (G_TASK (result), &error);

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_clear_object (&self->running);

  finish_state (self, summary, g_task_get_task_data (G_TASK (result)), error);

  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = waiting->pdata[i];

      if (summary != NULL)
        g_task_return_pointer (task, g_memdup2 (summary, sizeof *summary), g_free);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

void
motcua_sync_run_async (MotcuaSync          *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *waiter;

  g_return_if_fail (MOTCUA_IS_SYNC (self));

  waiter = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (waiter, motcua_sync_run_async);
  g_ptr_array_add (self->waiting, waiter);

  if (self->running != NULL)
    return;   /* it joins the run under way */

  set_state (self, MOTCUA_SYNC_STATUS_SYNCING, NULL);
  self->running = g_task_new (self, cancellable, run_done, NULL);
  g_task_set_source_tag (self->running, run_thread);
  g_task_set_task_data (self->running, g_new0 (Counts, 1), g_free);
  g_task_run_in_thread (self->running, run_thread);
}

gboolean
motcua_sync_run_finish (MotcuaSync          *self,
                        GAsyncResult        *result,
                        MotcuaSyncProgress  *summary,
                        GError             **error)
{
  g_autofree MotcuaSyncProgress *p = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  p = g_task_propagate_pointer (G_TASK (result), error);
  if (p == NULL)
    return FALSE;
  if (summary != NULL)
    *summary = *p;

  return TRUE;
}

static void
progress_here (const MotcuaSyncProgress *progress,
               gpointer                  user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_PROGRESS], 0, progress);
}

gboolean
motcua_sync_run (MotcuaSync          *self,
                 GCancellable        *cancellable,
                 MotcuaSyncProgress  *summary,
                 GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  MotcuaSyncProgress p = { 0 };
  Counts counts = { 0 };
  gboolean ok;

  g_return_val_if_fail (MOTCUA_IS_SYNC (self), FALSE);

  set_state (self, MOTCUA_SYNC_STATUS_SYNCING, NULL);
  ok = run_on_path (self, progress_here, self, cancellable, &p, &counts, &local_error);
  finish_state (self, ok ? &p : NULL, &counts, local_error);
  if (summary != NULL)
    *summary = p;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return ok;
}

MotcuaSyncStatus
motcua_sync_get_state (MotcuaSync *self)
{
  g_return_val_if_fail (MOTCUA_IS_SYNC (self), MOTCUA_SYNC_STATUS_ERROR);

  return self->state;
}

const char *
motcua_sync_get_error_message (MotcuaSync *self)
{
  g_return_val_if_fail (MOTCUA_IS_SYNC (self), NULL);

  return self->error_message;
}

gint64
motcua_sync_get_last_sync (MotcuaSync *self)
{
  g_return_val_if_fail (MOTCUA_IS_SYNC (self), 0);

  return self->last_sync;
}

gint64
motcua_sync_get_n_pending (MotcuaSync *self)
{
  g_return_val_if_fail (MOTCUA_IS_SYNC (self), 0);

  return self->n_pending;
}

gint64
motcua_sync_get_n_rejected (MotcuaSync *self)
{
  g_return_val_if_fail (MOTCUA_IS_SYNC (self), 0);

  return self->n_rejected;
}

gint64
motcua_sync_get_n_conflicts (MotcuaSync *self)
{
  g_return_val_if_fail (MOTCUA_IS_SYNC (self), 0);

  return self->n_conflicts;
}

static void
auto_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  motcua_sync_run_finish (MOTCUA_SYNC (source), result, NULL, NULL);
}

static gboolean
auto_tick (gpointer user_data)
{
  MotcuaSync *self = user_data;

  if (self->state != MOTCUA_SYNC_STATUS_NOT_ENROLLED)
    motcua_sync_run_async (self, NULL, auto_done, NULL);

  return G_SOURCE_CONTINUE;
}

static void
network_changed (GNetworkMonitor *monitor,
                 gboolean         available,
                 gpointer         user_data)
{
  MotcuaSync *self = user_data;

  /* The link is back: what waited goes now. */
  if (available && self->state == MOTCUA_SYNC_STATUS_OFFLINE)
    auto_tick (self);
}

void
motcua_sync_set_auto (MotcuaSync *self,
                      guint       interval_s)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();

  g_return_if_fail (MOTCUA_IS_SYNC (self));

  if (self->auto_source != 0)
    {
      g_source_remove (self->auto_source);
      self->auto_source = 0;
    }
  if (self->network_handler != 0)
    {
      g_signal_handler_disconnect (monitor, self->network_handler);
      self->network_handler = 0;
    }
  self->auto_interval = interval_s;
  if (interval_s == 0)
    return;

  self->auto_source = g_timeout_add_seconds (interval_s, auto_tick, self);
  self->network_handler = g_signal_connect (monitor, "network-changed",
                                            G_CALLBACK (network_changed), self);
}

const char *
motcua_sync_status_to_string (MotcuaSyncStatus state)
{
  switch (state)
    {
    case MOTCUA_SYNC_STATUS_NOT_ENROLLED:
      return _("not enrolled");
    case MOTCUA_SYNC_STATUS_IDLE:
      return _("not synced yet");
    case MOTCUA_SYNC_STATUS_OFFLINE:
      return _("offline");
    case MOTCUA_SYNC_STATUS_SYNCING:
      return _("syncing");
    case MOTCUA_SYNC_STATUS_UP_TO_DATE:
      return _("up to date");
    case MOTCUA_SYNC_STATUS_ERROR:
    default:
      return _("error");
    }
}

/* Fetching a scan */

/* On its own connection to the replica; the bytes from the replica when they are here. */
static GBytes *
fetch_on_path (const char              *path,
               const char              *attachment_id,
               MotcuaBlobProgressFunc   progress,
               gpointer                 user_data,
               GCancellable            *cancellable,
               GError                 **error)
{
  g_autoptr(MotcuaReplica) replica = motcua_replica_open (path, error);
  g_autoptr(MotcuaTransport) transport = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *bytes;

  if (replica == NULL)
    return NULL;

  bytes = motcua_replica_read_attachment (replica, attachment_id, &local_error);
  if (bytes != NULL
      || !g_error_matches (local_error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_AVAILABLE))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return bytes;
    }

  transport = transport_for (replica, error);
  if (transport == NULL)
    return NULL;

  return _motcua_attachment_fetch (replica, transport, attachment_id, progress, user_data, NULL,
                                   cancellable, error);
}

typedef struct
{
  MotcuaSync *self;
  char       *id;
  guint64     received;
  guint64     size;
} FetchProgress;

static void
fetch_progress_free (gpointer data)
{
  FetchProgress *idle = data;

  g_object_unref (idle->self);
  g_free (idle->id);
  g_free (idle);
}

static gboolean
emit_fetch_progress (gpointer data)
{
  FetchProgress *idle = data;

  g_signal_emit (idle->self, signals[SIGNAL_ATTACHMENT_PROGRESS], 0, idle->id, idle->received,
                 idle->size);

  return G_SOURCE_REMOVE;
}

static void
fetch_progress_in_thread (const char *attachment_id,
                          guint64     received,
                          guint64     size,
                          gpointer    user_data)
{
  MotcuaSync *self = user_data;
  FetchProgress *idle = g_new0 (FetchProgress, 1);

  idle->self = g_object_ref (self);
  idle->id = g_strdup (attachment_id);
  idle->received = received;
  idle->size = size;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_fetch_progress, idle,
                              fetch_progress_free);
}

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  MotcuaSync *self = source_object;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  bytes = fetch_on_path (self->path, task_data, fetch_progress_in_thread, self,
                         cancellable, &error);
  if (bytes != NULL)
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
motcua_sync_fetch_attachment_async (MotcuaSync          *self,
                                    const char          *attachment_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MOTCUA_IS_SYNC (self));
  g_return_if_fail (attachment_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, motcua_sync_fetch_attachment_async);
  g_task_set_task_data (task, g_strdup (attachment_id), g_free);
  g_task_run_in_thread (task, fetch_thread);
}

GBytes *
motcua_sync_fetch_attachment_finish (MotcuaSync    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (MOTCUA_IS_SYNC (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == motcua_sync_fetch_attachment_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fetch_progress_here (const char *attachment_id,
                     guint64     received,
                     guint64     size,
                     gpointer    user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_ATTACHMENT_PROGRESS], 0, attachment_id, received,
                 size);
}

GBytes *
motcua_sync_fetch_attachment (MotcuaSync    *self,
                              const char    *attachment_id,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (MOTCUA_IS_SYNC (self), NULL);
  g_return_val_if_fail (attachment_id != NULL, NULL);

  return fetch_on_path (self->path, attachment_id, fetch_progress_here, self,
                        cancellable, error);
}
