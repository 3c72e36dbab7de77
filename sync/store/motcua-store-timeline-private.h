/* motcua-store-timeline-private.h: a case's timeline as stored, read back (its events are
 * written as rows, by replication's capture)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* An event as stored; texts and ids are borrowed, valid during the callback that gets it, and
 * NULL when the row holds none (an id that is not 16 bytes reads as none). */
typedef struct
{
  const MotcuaUuid *id;
  const char       *at;
  const char       *replica;
  const char       *officer;
  const char       *action;
  const char       *detail;
  const char       *note;
  const char       *field;
  const char       *old_value;
  const char       *new_value;
  const char       *from_office;
  const char       *to_office;
  const char       *receipt_no;
  const char       *due_date;
  const MotcuaUuid *ref;
} MotcuaStoreEventRow;

typedef gboolean (*MotcuaStoreEventEach) (const MotcuaStoreEventRow  *row,
                                          gpointer                    user_data,
                                          GError                    **error);

/* Calls @each with the events of case @case_id, by time (then id). */
gboolean _motcua_store_timeline_list (MotcuaReplica         *store,
                                      const MotcuaUuid      *case_id,
                                      MotcuaStoreEventEach   each,
                                      gpointer               user_data,
                                      GError               **error);

G_END_DECLS
