#pragma once

#include "motcua-inside.h"
#include <gio/gio.h>

#include "motcua-replica.h"

G_BEGIN_DECLS

/* A deterministic JSON dump of the whole replicated state: every replicated table, rows sorted by
 * id, keys sorted, current field values only (no local bookkeeping). Two replicas that hold the
 * same state write byte-identical exports, whatever order they learned it in. Streams, so it
 * works on a replica of a million cases in constant memory. */
gboolean motcua_replica_export_canonical (MotcuaReplica  *self,
                                          GOutputStream  *stream,
                                          GCancellable   *cancellable,
                                          GError        **error);

G_END_DECLS
