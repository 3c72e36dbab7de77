/* motcua-server-private.h: what the files of motcua-server share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <motcua/motcua.h>

#include "motcua-exit.h"
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

typedef struct _MotcuaServerTool    MotcuaServerTool;
typedef struct _MotcuaServerCommand MotcuaServerCommand;

/* Runs a command on its arguments (@argv[0] is the command's name). A usage error is reported
 * in the G_OPTION_ERROR domain; --help is not an error. */
typedef gboolean (*MotcuaServerCommandFunc) (MotcuaServerTool  *tool,
                                             int                argc,
                                             char             **argv,
                                             GError           **error);

struct _MotcuaServerCommand
{
  const char                *name;
  const char                *parameters;   /* N_(): "OFFICE", shown in the usage line */
  const char                *summary;      /* N_(): one line for lists and --help */
  MotcuaServerCommandFunc    func;         /* NULL for a group of subcommands */
  const MotcuaServerCommand *subcommands;  /* NULL-terminated, for a group */
};

struct _MotcuaServerTool
{
  char                      *config_path;  /* --config, $MOTCUA_SERVER_CONFIG or NULL */
  char                      *store_path;   /* --store, or NULL: from the config */
  gboolean                   json;         /* --json */

  const MotcuaServerCommand *command;      /* the command being run */
  char                      *command_path; /* "replicas enroll" */
  gboolean                   help_shown;   /* --help was asked for and printed */

  MotcuaServerConfig        *config;       /* loaded on demand */
  MotcuaReplica             *store;        /* opened on demand */
  int                        lock_fd;      /* the store's lock, or -1 */
};

/* Parses the options of the current command (@entries, NULL-terminated, plus the global
 * options, which may also follow the command) and returns its positional arguments. When --help
 * was given it prints the help, sets @tool->help_shown and returns TRUE: the command then
 * returns TRUE at once. */
gboolean            motcua_server_parse_options   (MotcuaServerTool    *tool,
                                                   const GOptionEntry  *entries,
                                                   int                  argc,
                                                   char               **argv,
                                                   GStrv               *positional,
                                                   GError             **error);
/* Checks that there are @min to @max positional arguments. */
gboolean            motcua_server_check_n_args    (MotcuaServerTool    *tool,
                                                   const char *const   *positional,
                                                   int                  min,
                                                   int                  max,
                                                   GError             **error);
/* A G_OPTION_ERROR_BAD_VALUE error: bad usage, exit status 2. */
void                motcua_server_set_usage_error (GError             **error,
                                                   const char          *format,
                                                   ...) G_GNUC_PRINTF (2, 3);

/* The settings: defaults, the config file, no flags yet. Borrowed. */
MotcuaServerConfig *motcua_server_get_config      (MotcuaServerTool    *tool,
                                                   GError             **error);
/* The store, opened once; it must be a province replica. With @write, the command is about to
 * write changes of its own, which only one process may do at a time: the store's lock is taken,
 * and refused while the server (or another writer) holds it. Borrowed. */
MotcuaReplica      *motcua_server_get_store       (MotcuaServerTool    *tool,
                                                   gboolean             write,
                                                   GError             **error);
/* Takes the store's lock for @path, for the life of the tool. */
gboolean            motcua_server_lock_store      (MotcuaServerTool    *tool,
                                                   const char          *path,
                                                   GError             **error);

/* Output: UTF-8 whatever the locale says. */
void                motcua_server_print           (const char          *format,
                                                   ...) G_GNUC_PRINTF (1, 2);
void                motcua_server_print_builder   (JsonBuilder         *builder);
void                motcua_server_json_add_string (JsonBuilder         *builder,
                                                   const char          *member,
                                                   const char          *value);
void                motcua_server_json_add_int    (JsonBuilder         *builder,
                                                   const char          *member,
                                                   gint64               value);
/* A table: @cells holds the headings, then each row, @n_columns cells a row (NULL: “—”). */
void                motcua_server_print_table     (GPtrArray           *cells,
                                                   guint                n_columns);

extern const MotcuaServerCommand motcua_server_conflicts_commands[];

/* Serving (motcua-server-http.c) */

/* Serves @store over HTTP(S) until SIGTERM or SIGINT, then lets the requests in flight finish.
 * Prints "listening on URL" on standard output once it listens; logs one line per request on
 * standard error. */
gboolean            motcua_server_serve           (MotcuaReplica             *store,
                                                   const MotcuaServerConfig  *config,
                                                   GError                   **error);

G_END_DECLS
