/* motcua-hub.c: MotcuaHub, the province replica serving the others
 *
 * The provincial server is a replica with a global order: it merges every change pushed to it
 * with the same code as the desks, appends it to hub_log in the order it accepted it, and lets
 * each enrolled replica pull what lies in its scope (its office and the offices below it) from
 * that log. MotcuaHub is that core, without the network (motcua-server wraps it in HTTP), and
 * this file its small public surface over the hub's parts, one job a file: the scope they judge
 * by (motcua-hub-scope.c), judging a push (motcua-hub-push.c), detecting conflicts
 * (motcua-hub-conflicts.c), the global order (motcua-hub-log.c), serving pulls
 * (motcua-hub-pull.c), the enrolled replicas and their tokens (motcua-hub-replicas.c),
 * receipt-number leases (motcua-hub-leases.c), restores (motcua-hub-restore.c) and protocol v1
 * (motcua-protocol.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "motcua-error.h"
#include "motcua-hub-private.h"
#include "motcua-protocol-private.h"

struct _MotcuaHub
{
  GObject        parent_instance;
  MotcuaReplica *store;
};

G_DEFINE_FINAL_TYPE (MotcuaHub, motcua_hub, G_TYPE_OBJECT)

static void
motcua_hub_finalize (GObject *object)
{
  MotcuaHub *self = MOTCUA_HUB (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (motcua_hub_parent_class)->finalize (object);
}

static void
motcua_hub_class_init (MotcuaHubClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = motcua_hub_finalize;
}

static void
motcua_hub_init (MotcuaHub *self)
{
}

MotcuaHub *
motcua_hub_new (MotcuaReplica  *store,
                GError        **error)
{
  MotcuaHub *self;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (store), NULL);

  if (motcua_replica_get_role (store) != MOTCUA_LEVEL_PROVINCE)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("%s is the replica of a %s office (%s), not a provincial server's store"),
                   motcua_replica_get_path (store),
                   motcua_level_to_string (motcua_replica_get_role (store)),
                   motcua_replica_get_office_code (store));
      return NULL;
    }
  self = g_object_new (MOTCUA_TYPE_HUB, NULL);
  self->store = g_object_ref (store);

  return self;
}

MotcuaReplica *
motcua_hub_get_store (MotcuaHub *self)
{
  g_return_val_if_fail (MOTCUA_IS_HUB (self), NULL);

  return self->store;
}

gboolean
motcua_hub_publish (MotcuaHub  *self,
                    GError    **error)
{
  g_return_val_if_fail (MOTCUA_IS_HUB (self), FALSE);

  return _motcua_hub_publish (self->store, error);
}

gboolean
motcua_hub_count_digests (MotcuaHub  *self,
                          GError    **error)
{
  g_return_val_if_fail (MOTCUA_IS_HUB (self), FALSE);

  return _motcua_store_digest_rebuild (self->store, error);
}

MotcuaHubResponse *
motcua_hub_handle (MotcuaHub              *self,
                   const MotcuaHubLimits  *limits,
                   const MotcuaHubRequest *request)
{
  g_return_val_if_fail (MOTCUA_IS_HUB (self), NULL);

  return _motcua_hub_handle (self->store, limits, request);
}

char *
motcua_hub_enroll (MotcuaHub   *self,
                   const char  *office_code,
                   GError     **error)
{
  g_return_val_if_fail (MOTCUA_IS_HUB (self), NULL);

  return _motcua_hub_enroll (self->store, office_code, error);
}

GPtrArray *
motcua_hub_list_replicas (MotcuaHub  *self,
                          GError    **error)
{
  g_return_val_if_fail (MOTCUA_IS_HUB (self), NULL);

  return _motcua_hub_list_replicas (self->store, error);
}

gboolean
motcua_hub_revoke (MotcuaHub   *self,
                   const char  *token_id,
                   GError     **error)
{
  g_return_val_if_fail (MOTCUA_IS_HUB (self), FALSE);

  return _motcua_hub_revoke (self->store, token_id, error);
}

gint64
motcua_hub_get_generation (MotcuaHub *self)
{
  g_return_val_if_fail (MOTCUA_IS_HUB (self), 0);

  return _motcua_hub_generation (self->store);
}
