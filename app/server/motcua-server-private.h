/* motcua-server-private.h: what the files of motcua-server share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <motcua/motcua.h>

#include "motcua-command.h"
#include "motcua-output.h"
#include "motcua-server.h"

G_BEGIN_DECLS

/* Configuration (motcua-server-config.c) */

/* The settings: built-in defaults, then the config file's [server] group, then the flags. */
typedef struct
{
  char    *store;                  /* NULL: the --store flag or motcua-server.db */
  char    *listen;                 /* an IP address */
  guint    port;                   /* 0: any free port */
  char    *tls_cert;               /* PEM files; both or neither */
  char    *tls_key;
  guint64  max_body_bytes;         /* a request body, as sent and once gzip is undone */
  guint    max_changes_per_push;
  guint    max_changes_per_pull;
  guint64  max_blob_bytes;
  double   requests_per_second;    /* per replica; 0: no limit */
  guint    burst;
  guint    slow_client_timeout_s;  /* a request not in whole by then: 408; idle: closed */
} MotcuaServerConfig;

MotcuaServerConfig *motcua_server_config_new  (void);
void                motcua_server_config_free (MotcuaServerConfig  *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaServerConfig, motcua_server_config_free)

/* Reads the [server] group of @path over @config. Every problem (no such file, an unknown key,
 * a bad value) is a G_OPTION_ERROR naming the file, the key and the value. Relative paths in the
 * file are taken from the file's directory. */
gboolean            motcua_server_config_load (MotcuaServerConfig  *config,
                                               const char          *path,
                                               GError             **error);

/* Checks and sets one value as a flag gives it (@key as in the file: "port", "tls-cert"…). */
gboolean            motcua_server_config_set  (MotcuaServerConfig  *config,
                                               const char          *source,
                                               const char          *key,
                                               const char          *value,
                                               GError             **error);

/* The tool (motcua-server.c) */

typedef struct _MotcuaServerTool MotcuaServerTool;

/* The tool's state: the framework's part, then the global options, the config and the store. */
struct _MotcuaServerTool
{
  MotcuaTool          tool;
  char               *config_path;  /* --config, $MOTCUA_SERVER_CONFIG or NULL */
  char               *store_path;   /* --store, or NULL: from the config */

  MotcuaServerConfig *config;       /* loaded on demand */
  MotcuaReplica      *store;        /* opened on demand */
  MotcuaHub          *hub;          /* the store's hub, made with it */
  int                 lock_fd;        /* STORE.lock, or -1 */
  int                 serve_lock_fd;  /* STORE.serve.lock, held by `serve`, or -1 */
  gboolean            writes;         /* the command opened the store to write to it */
};

#define MOTCUA_SERVER_TOOL(tool) ((MotcuaServerTool *) (tool))

/* The hub of the store motcua_server_get_store() opened. */
static inline MotcuaHub *
motcua_server_hub (MotcuaTool *tool)
{
  return MOTCUA_SERVER_TOOL (tool)->hub;
}

/* The settings: defaults, the config file, no flags yet. Borrowed. */
MotcuaServerConfig *motcua_server_get_config      (MotcuaTool          *tool,
                                                   GError             **error);
/* The store as named: --store, else the config's, else motcua-server.db; a file's path or a
 * postgresql:// URI. */
const char         *motcua_server_get_store_name  (MotcuaTool          *tool,
                                                   GError             **error);
/* The same, for the commands that work on an SQLite file: a PostgreSQL store is refused. */
const char         *motcua_server_get_store_path  (MotcuaTool          *tool,
                                                   GError             **error);
/* The store, opened once, with its lock shared (motcua-server-store.c): it works beside a
 * running server. It must be a province replica. Borrowed. */
MotcuaReplica      *motcua_server_get_store       (MotcuaTool          *tool,
                                                   gboolean             write,
                                                   GError             **error);

/* How a command uses the store, and so which locks it takes. */
typedef enum
{
  MOTCUA_STORE_SHARED,  /* beside a server and other commands: every command but these two */
  MOTCUA_STORE_SERVE,   /* shared, and the only server of the store */
  MOTCUA_STORE_ALONE,   /* nothing else may have the store open: init, restore */
} MotcuaStoreUse;

/* Takes the locks of the store at @path for @use, for the life of the tool; refused
 * (G_IO_ERROR_BUSY) when another motcua-server's use excludes it. */
gboolean            motcua_server_lock_store      (MotcuaTool          *tool,
                                                   const char          *path,
                                                   MotcuaStoreUse       use,
                                                   GError             **error);
void                motcua_server_unlock_store    (MotcuaTool          *tool);
/* After a command that wrote the province's own changes (offices, publish, conflicts
 * resolve): adds them to the global order that replicas pull at once, as the server would at
 * its next request. Under SQLite's write lock, so beside a server too. */
void                motcua_server_publish_writes  (MotcuaTool          *tool);

extern const MotcuaCommand motcua_server_conflicts_commands[];

/* Rate limits (motcua-server-limits.c): a token bucket per key. */
typedef struct _MotcuaRateLimits MotcuaRateLimits;

MotcuaRateLimits   *motcua_rate_limits_new        (double                     requests_per_second,
                                                   guint                      burst);
void                motcua_rate_limits_free       (MotcuaRateLimits          *self);
/* Takes one request from @key's bucket; FALSE, with the seconds to wait in @retry_after, when
 * it is empty. Always TRUE without a limit. */
gboolean            motcua_rate_limits_take       (MotcuaRateLimits          *self,
                                                   const char                *key,
                                                   guint                     *retry_after);

/* Writes @reply (taken) on @stream (taken), the connection of a request libsoup no longer owns,
 * then closes it gently (motcua-server-linger.c); calls @done with @done_data at the end. */
void                motcua_server_linger          (GIOStream                 *stream,
                                                   GBytes                    *reply,
                                                   GDestroyNotify             done,
                                                   gpointer                   done_data);

/* Serving (motcua-server-http.c) */

/* Serves @store over HTTP(S) until SIGTERM or SIGINT, then lets the requests in flight finish.
 * Prints "listening on URL" on standard output once it listens; logs one line per request on
 * standard error. */
gboolean            motcua_server_serve           (MotcuaHub                 *hub,
                                                   const MotcuaServerConfig  *config,
                                                   GError                   **error);

G_END_DECLS
