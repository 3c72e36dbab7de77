/* motcua-cases-private.h: what the files of cases share: the cases' columns, reading a case,
 * writing one with its timeline event
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-timeline-private.h"

G_BEGIN_DECLS

/* Corrects @field of the case @key to @value, with an "edited" event carrying @note and, when
 * the correction resolves a conflict, its id @conflict (motcua-cases.c). Inside a
 * transaction. */
gboolean _motcua_case_edit_in_tx (MotcuaReplica     *self,
                                  const char        *key,
                                  const char        *field,
                                  const char        *value,
                                  const char        *note,
                                  const MotcuaUuid  *conflict,
                                  GError           **error);

G_END_DECLS
