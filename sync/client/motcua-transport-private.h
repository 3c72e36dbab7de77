/* motcua-transport-private.h: how a replica reaches its server
 *
 * The sync engine speaks protocol v1 through a transport: HTTP (libsoup) in the programs, the
 * hub in process in tests and benchmarks, and the tests' fault layer around either.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "motcua-protocol-private.h"
#include "motcua-replica.h"
#include "motcua-sync.h"

G_BEGIN_DECLS

typedef struct _MotcuaTransport MotcuaTransport;

/* One request and its answer. @path_and_query is "/v1/push?protocol=1&schema=4"; @body is JSON,
 * or NULL. An exchange that returns TRUE sets @status and @response (the caller's to unref)
 * and how many bytes went each way on the wire; one that returns FALSE leaves @response NULL. */
typedef struct
{
  const char *method;
  const char *path_and_query;
  GBytes     *body;
  guint       status;
  GBytes     *response;
  guint64     wire_out;
  guint64     wire_in;
} MotcuaExchange;

typedef struct
{
  /* FALSE with a G_IO_ERROR when no answer came (the network, a cut). */
  gboolean (*exchange) (MotcuaTransport  *self,
                        MotcuaExchange   *x,
                        GCancellable     *cancellable,
                        GError          **error);
  void     (*free)     (MotcuaTransport  *self);
} MotcuaTransportClass;

struct _MotcuaTransport
{
  const MotcuaTransportClass *klass;
  char                       *token;
  /* Changes per push and per pull request; 0 for the engine's defaults. Tests make them small
   * so that every sync crosses batch boundaries. */
  guint                       push_batch;
  guint                       pull_batch;
  /* How long each exchange is taken to last, in µs, instead of the clock's measure (which sizes
   * the pulled batches: PULL_BATCH); 0 for the clock. Tests set it, so that what depends on
   * the link's speed does not depend on the machine's. */
  gint64                      exchange_us;
  /* Receipt numbers per lease; 0 for the engine's default. Tests make it small so that desks
   * run past their block offline. */
  guint                       lease_block;
};

void             _motcua_transport_free      (MotcuaTransport   *self);

/* How many times a request answered 429 (too many requests) is sent again, and the longest
 * wait before one: a server that asks for more is busy beyond waiting for. */
#define MOTCUA_BUSY_RETRIES     5
#define MOTCUA_MAX_RETRY_AFTER 60

/* The seconds a 429 answer asks the client to wait ("retry_after" in its error object), from
 * 1 to MOTCUA_MAX_RETRY_AFTER; @fallback when it says nothing. */
guint            _motcua_retry_after         (GBytes            *answer,
                                              guint              fallback);
/* Sleeps @seconds, waking when @cancellable is cancelled; FALSE with the error then. */
gboolean         _motcua_wait_cancellable    (guint              seconds,
                                              GCancellable      *cancellable,
                                              GError           **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaTransport, _motcua_transport_free)

/* HTTP to @base_url ("http://host:port" or "https://…"), gzip both ways. */
MotcuaTransport *_motcua_transport_new_http  (const char        *base_url,
                                              const char        *token,
                                              GError           **error);
/* The hub @hub itself, in this process: for tests and benchmarks. Bytes are counted as the
 * JSON bodies gzipped, as HTTP would carry them. */
MotcuaTransport *_motcua_transport_new_local (MotcuaReplica     *hub,
                                              const MotcuaHubLimits *limits,
                                              const char        *token);


/* One sync of @replica through @transport (see motcua_sync_run()). @progress is called after
 * each batch, in this thread. */
typedef void (*MotcuaProgressFunc) (const MotcuaSyncProgress *progress,
                                    gpointer                  user_data);

gboolean         _motcua_sync_once           (MotcuaReplica      *replica,
                                              MotcuaTransport    *transport,
                                              MotcuaProgressFunc  progress,
                                              gpointer            user_data,
                                              GCancellable       *cancellable,
                                              MotcuaSyncProgress *summary,
                                              GError            **error);
/* Binds @replica to the server behind @transport (enrollment, after the replica exists). */
gboolean         _motcua_sync_bind           (MotcuaReplica      *replica,
                                              MotcuaTransport    *transport,
                                              const char         *server_url,
                                              GCancellable       *cancellable,
                                              GError            **error);

G_END_DECLS
