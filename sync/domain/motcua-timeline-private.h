/* motcua-timeline-private.h: writing a case's timeline, for the domain's writers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-domain-private.h"
#include "motcua-store-timeline-private.h"

G_BEGIN_DECLS

/* What an event says besides its kind (the action) and its note; NULL for what it does not
 * say. Values are as the case stores them (status names, dates YYYY-MM-DD, office codes),
 * never text for a reader: each reader formats them in its own language
 * (motcua_case_event_describe()). */
typedef struct
{
  const char       *field;        /* the case's column it changed: status, phone, … */
  const char       *old_value;
  const char       *new_value;    /* NULL: cleared */
  const char       *from_office;  /* office codes, of a transfer */
  const char       *to_office;
  const char       *receipt_no;   /* of a reception or an import */
  const char       *due_date;     /* of a reception */
  const MotcuaUuid *ref;          /* the row it is about: a scan, a conflict */
} MotcuaEventFacts;

/* Appends an event to a case's timeline, by this replica's officer, at @at (ISO 8601; NULL:
 * now) (motcua-timeline.c). Inside a transaction. */
gboolean _motcua_replica_add_case_event (MotcuaReplica          *self,
                                         const MotcuaUuid       *case_id,
                                         MotcuaHlc               hlc,
                                         const char             *at,
                                         const char             *action,
                                         const MotcuaEventFacts *facts,
                                         const char             *note,
                                         GError                **error);

G_END_DECLS
