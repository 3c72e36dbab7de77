/* motcua-session.h: the replica the desk works on
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <motcua/motcua.h>

G_BEGIN_DECLS

#define MOTCUA_TYPE_SESSION (motcua_session_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaSession, motcua_session, MOTCUA, SESSION, GObject)

/* Work run in the session's worker thread on its own connection to the replica; @data is the
 * job's, to read arguments from and write results to. */
typedef gboolean (*MotcuaSessionFunc) (MotcuaReplica  *reader,
                                       gpointer        data,
                                       GCancellable   *cancellable,
                                       GError        **error);

G_GNUC_WARN_UNUSED_RESULT
MotcuaSession *motcua_session_new          (const char           *path,
                                            GError              **error);

/* The main thread's connection: short writes and lookups whose cost does not grow with the
 * number of cases (receiving, advancing, one case). */
MotcuaReplica *motcua_session_get_replica  (MotcuaSession        *self);
const char    *motcua_session_get_path     (MotcuaSession        *self);
const char    *motcua_session_get_office_name (MotcuaSession     *self);
MotcuaCalendar *motcua_session_get_calendar (MotcuaSession       *self);
void           motcua_session_set_officer  (MotcuaSession        *self,
                                            const char           *officer);

/* "YYYY-MM-DD" in Vietnam (UTC+7); MOTCUA_DESK_TODAY overrides it (tests, demos). */
G_GNUC_WARN_UNUSED_RESULT
char          *motcua_session_dup_today    (MotcuaSession        *self);

/* The two lanes of worker jobs: quick jobs (a page of rows, one dossier's scan, the
 * conflicts), and slow ones, that may read the whole table (counting every match, the
 * report). */
typedef enum
{
  MOTCUA_SESSION_QUICK,
  MOTCUA_SESSION_SLOW,
} MotcuaSessionLane;

/* Runs @func in a worker thread on its own connection to the replica, so the main thread never
 * waits on a query whose cost grows with the number of cases. Each @lane runs one job at a
 * time in the order they were started, so that a slow job never holds up a quick one. Jobs
 * only read: this desk's changes are numbered by the main thread's connection, and a second
 * writer would number them again. Ends with motcua_session_run_finish(). */
void           motcua_session_run_async    (MotcuaSession        *self,
                                            MotcuaSessionLane     lane,
                                            MotcuaSessionFunc     func,
                                            gpointer              data,
                                            GDestroyNotify        data_free,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
/* @data_out (nullable) borrows the job's data: it lives as long as @result. */
gboolean       motcua_session_run_finish   (MotcuaSession        *self,
                                            GAsyncResult         *result,
                                            gpointer             *data_out,
                                            GError              **error);

#ifdef MOTCUA_DESK_HAVE_SYNC
/* The sync engine, when the replica is enrolled with a server; else NULL. */
MotcuaSync    *motcua_session_get_sync     (MotcuaSession        *self);

/* Enrolls the replica at @path (made, and its folder, when missing) with @server's @token, in
 * a thread of its own (the network is slow). motcua_session_enroll_finish() gives the
 * replica's path back. */
void           motcua_session_enroll_async (gpointer              source_object,
                                            const char           *path,
                                            const char           *server,
                                            const char           *token,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
G_GNUC_WARN_UNUSED_RESULT
char          *motcua_session_enroll_finish (GAsyncResult        *result,
                                            GError              **error);
#endif

/* What the header bar and the sync page count, in a worker (a MotcuaSessionFunc over a
 * MotcuaSessionCounts): the open conflicts, and the refused changes when @with_rejected. The
 * pending changes are counted on the main thread's connection (motcua_replica_count_pending()),
 * the one that makes them: another connection knows the last sequence number as of when it
 * was opened. */
typedef struct
{
  gboolean   with_rejected;
  gint64     pending;
  gint64     conflicts;
  GPtrArray *rejected;
} MotcuaSessionCounts;

void           motcua_session_counts_free  (gpointer              counts);
gboolean       motcua_session_count_in_thread (MotcuaReplica     *reader,
                                            gpointer              counts,
                                            GCancellable         *cancellable,
                                            GError              **error);

/* Makes *@slot hold @session (or NULL) and @changed_cb (called with @page) follow its "changed"
 * signal instead of the one *@slot held. FALSE, doing nothing, when *@slot is @session. */
gboolean       motcua_session_follow       (MotcuaSession       **slot,
                                            MotcuaSession        *session,
                                            gpointer              page,
                                            GCallback             changed_cb);

/* Says that the replica changed (a case received or moved, a sync pulled): lists reload. */
void           motcua_session_changed      (MotcuaSession        *self);

/* Applies @reorg (motcua_replica_apply_reorganisation()) in a thread of its own, on a connection
 * of its own, signed by the session's officer: its one transaction moves every open case of the
 * ended offices, which grows with the number of cases, so it is no job for the main thread,
 * and it writes, so it is none for the read-only workers either (motcua_replica_begin() has a
 * second writer number its changes after the first's). @reorg is borrowed: it must stay alive
 * and unchanged until @callback. */
void           motcua_session_apply_reorganisation_async  (MotcuaSession        *self,
                                                           MotcuaReorganisation *reorg,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
/* On success, the main thread's connection has re-read the counters the writer moved (the
 * pending count), "changed" was emitted, and @n_moved (nullable) holds the cases moved. */
gboolean       motcua_session_apply_reorganisation_finish (MotcuaSession        *self,
                                                           GAsyncResult         *result,
                                                           guint                *n_moved,
                                                           GError              **error);

G_END_DECLS
