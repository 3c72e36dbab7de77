/* motcua-store-hub-conflicts-private.h: the conflicts the hub continues, read
 *
 * The hub writes a conflict as a replicated row like any other; it reads back the open one on
 * a field to tell a later write of one of its sides from a new conflict
 * (hub/motcua-hub-conflicts.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* The open conflict on the field @column of the row @row, if any (the latest): its id and the
 * HLCs of its two sides. FALSE when there is none (or on an error). */
gboolean  _motcua_store_hub_conflicts_open (MotcuaReplica     *store,
                                            const MotcuaUuid  *row,
                                            const char        *column,
                                            MotcuaUuid        *id,
                                            MotcuaHlc         *a_hlc,
                                            MotcuaHlc         *b_hlc);

G_END_DECLS
