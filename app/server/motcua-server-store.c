/* motcua-server-store.c: the settings and the store of motcua-server, and who may use it when
 *
 * The store is one SQLite file that several processes may open at once: `serve`, and beside it
 * any administration command (lists, reports, offices, publish, enrolling, revoking, resolving
 * conflicts). Each writes in a transaction that holds SQLite's write lock and first re-reads
 * what another process may have changed (motcua_replica_begin()), so that they never give one
 * sequence number twice. Two advisory locks (flock) beside the store say the rest:
 * - STORE.lock: every command that opens the store holds it shared; `restore` (and `init`, which
 *   makes the store) holds it exclusive, so that nothing has the store open while it is replaced;
 * - STORE.serve.lock: `serve` holds it exclusive, so that only one server serves a store.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include <motcua/motcua.h>

#include "motcua-server-private.h"

#define DEFAULT_STORE "motcua-server.db"

/* A store's writer waits this long for another process's transaction (an import beside the
 * server can take seconds) before it gives up: a request that meets a busy store waits. */
#define BUSY_TIMEOUT_MS 60000

MotcuaServerConfig *
motcua_server_get_config (MotcuaTool  *tool,
                          GError     **error)
{
  MotcuaServerTool *server = MOTCUA_SERVER_TOOL (tool);

  if (server->config == NULL)
    {
      g_autoptr(MotcuaServerConfig) config = motcua_server_config_new ();

      if (server->config_path != NULL
          && !motcua_server_config_load (config, server->config_path, error))
        return NULL;
      server->config = g_steal_pointer (&config);
    }

  return server->config;
}

const char *
motcua_server_get_store_name (MotcuaTool  *tool,
                              GError     **error)
{
  MotcuaServerTool *server = MOTCUA_SERVER_TOOL (tool);
  MotcuaServerConfig *config;

  if (server->store_path != NULL)
    return server->store_path;

  config = motcua_server_get_config (tool, error);
  if (config == NULL)
    return NULL;
  server->store_path = g_strdup (config->store != NULL ? config->store : DEFAULT_STORE);

  return server->store_path;
}

const char *
motcua_server_get_store_path (MotcuaTool  *tool,
                              GError     **error)
{
  const char *store = motcua_server_get_store_name (tool, error);

  if (store != NULL && motcua_hub_store_is_postgresql (store))
    {
      motcua_set_usage_error (error, _("The server cannot serve from a PostgreSQL store yet: "
                                       "only “motcua-server migrate” works on one"));
      return NULL;
    }

  return store;
}

/* Takes @operation (LOCK_SH or LOCK_EX) on the file @path @suffix without waiting; returns its
 * descriptor, or -1 with @error set: G_IO_ERROR_BUSY, saying @busy_message, when another
 * process holds it. */
static int
lock_file (const char  *path,
           const char  *suffix,
           int          operation,
           const char  *busy_message,
           GError     **error)
{
  g_autofree char *lock_path = g_strconcat (path, suffix, NULL);
  int fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  int saved_errno;

  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot open the lock file %s: %s"), lock_path, g_strerror (saved_errno));
      return -1;
    }
  if (flock (fd, operation | LOCK_NB) == 0)
    return fd;

  saved_errno = errno;
  close (fd);
  if (saved_errno == EWOULDBLOCK)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, busy_message);
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Cannot lock %s: %s"), lock_path, g_strerror (saved_errno));

  return -1;
}

gboolean
motcua_server_lock_store (MotcuaTool      *tool,
                          const char      *path,
                          MotcuaStoreUse   use,
                          GError         **error)
{
  MotcuaServerTool *server = MOTCUA_SERVER_TOOL (tool);
  g_autofree char *restoring = NULL;
  g_autofree char *in_use = NULL;
  g_autofree char *served = NULL;

  if (server->lock_fd >= 0)
    return TRUE;

  if (use == MOTCUA_STORE_ALONE)
    {
      in_use = g_strdup_printf (_("%s is in use by another motcua-server (serving it, or "
                                  "running a command on it): stop the server and let the "
                                  "command end, then run this one"), path);
      server->lock_fd = lock_file (path, ".lock", LOCK_EX, in_use, error);
      return server->lock_fd >= 0;
    }

  restoring = g_strdup_printf (_("%s is being restored by another motcua-server: run this "
                                 "command once the restore is done"), path);
  server->lock_fd = lock_file (path, ".lock", LOCK_SH, restoring, error);
  if (server->lock_fd < 0)
    return FALSE;
  if (use != MOTCUA_STORE_SERVE)
    return TRUE;

  served = g_strdup_printf (_("%s is in use by another motcua-server that serves it: only one "
                              "server may serve a store"), path);
  server->serve_lock_fd = lock_file (path, ".serve.lock", LOCK_EX, served, error);

  return server->serve_lock_fd >= 0;
}

void
motcua_server_unlock_store (MotcuaTool *tool)
{
  MotcuaServerTool *server = MOTCUA_SERVER_TOOL (tool);

  if (server->serve_lock_fd >= 0)
    close (server->serve_lock_fd);
  if (server->lock_fd >= 0)
    close (server->lock_fd);
  server->serve_lock_fd = server->lock_fd = -1;
}

MotcuaReplica *
motcua_server_get_store (MotcuaTool  *tool,
                         gboolean     write,
                         GError     **error)
{
  MotcuaServerTool *server = MOTCUA_SERVER_TOOL (tool);
  const char *path = motcua_server_get_store_path (tool, error);
  g_autoptr(MotcuaReplica) store = NULL;

  if (path == NULL)
    return NULL;
  server->writes = server->writes || write;
  if (server->store != NULL)
    return server->store;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      motcua_set_usage_error (error, _("There is no store at %s: create it with "
                                       "“motcua-server init”, or name it with --store"),
                              path);
      return NULL;
    }
  if (!motcua_server_lock_store (tool, path, MOTCUA_STORE_SHARED, error))
    return NULL;

  store = motcua_replica_open (path, error);
  if (store == NULL || (server->hub = motcua_hub_new (store, error)) == NULL)
    return NULL;
  motcua_replica_set_busy_timeout (store, BUSY_TIMEOUT_MS);
  server->store = g_steal_pointer (&store);

  return server->store;
}

void
motcua_server_publish_writes (MotcuaTool *tool)
{
  MotcuaServerTool *server = MOTCUA_SERVER_TOOL (tool);
  g_autoptr(GError) error = NULL;

  if (!server->writes || server->store == NULL || server->serve_lock_fd >= 0)
    return;
  if (!motcua_hub_publish (server->hub, &error))
    motcua_print_notice (_("The changes are saved; the server adds them to what replicas pull "
                           "at its next request (%s)."), error->message);
}
