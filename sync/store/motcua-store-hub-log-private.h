/* motcua-store-hub-log-private.h: the province's global order, stored
 *
 * hub_log holds every change the hub accepted, in the order it accepted them (gseq), each with
 * the case it is about and the offices that put it in a replica's scope; hub_case_scope
 * remembers each case's handling office as last logged, so that a move is seen. The rules of
 * what is logged and who sees it are the hub's (hub/motcua-hub-log.c, hub/motcua-hub-pull.c);
 * these read and write the rows.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* One entry appended to the global order. Borrowed. */
typedef struct
{
  int               kind;        /* 0: a change; 1: a case's whole state (snapshot rows) */
  const MotcuaUuid *origin;
  gint64            seq;
  MotcuaTableId     table;
  const MotcuaUuid *row_id;
  const char       *change;      /* as the wire encodes it */
  const MotcuaUuid *case_id;     /* NULL: about no case (reference data) */
  const MotcuaUuid *offices;     /* at most 3 */
  guint             n_offices;
} MotcuaStoreHubLogEntry;

/* One entry read back, valid during the callback only. */
typedef struct
{
  guint64       gseq;
  const guint8 *origin;          /* NULL unless 16 bytes */
  gint64        seq;
  const guint8 *row_id;          /* NULL unless 16 bytes */
  int           kind;
  const char   *change;
  gboolean      has_case;        /* about a case; else reference data */
  const void   *offices[3];      /* as stored: NULL with size 0 where there is none */
  int           office_sizes[3];
  /* A change (kind 0) whose text is sound, read out of it by SQLite's JSON functions, so that
   * it is served without being parsed again here: */
  gboolean      split;
  MotcuaTableId table;
  MotcuaHlc     hlc;
  const char   *column;          /* NULL: a whole row of an insert-only table */
  const char   *value;           /* as JSON text */
  MotcuaHlc     prev;
} MotcuaStoreHubLogRow;

/* Called for each entry read: TRUE to go on, FALSE to stop there (with @error set, the read
 * fails with it). */
typedef gboolean (*MotcuaStoreHubLogEach) (const MotcuaStoreHubLogRow *row,
                                           gpointer                    user_data,
                                           GError                    **error);

gboolean  _motcua_store_hub_log_append       (MotcuaReplica                *hub,
                                              const MotcuaStoreHubLogEntry *entry,
                                              GError                      **error);
/* The entries past @after, in order, streamed: the statement stays open during @each, which
 * may use other statements. */
gboolean  _motcua_store_hub_log_read         (MotcuaReplica                *hub,
                                              guint64                       after,
                                              MotcuaStoreHubLogEach         each,
                                              gpointer                      user_data,
                                              GError                      **error);
/* The last entry's gseq, 0 when the log is empty or cannot be read. */
guint64   _motcua_store_hub_log_last_gseq    (MotcuaReplica                *hub);

/* The handling office of @case_id as last logged: *@known if hub_case_scope has the case,
 * *@has_office if it has an office for it (then in @office), *@receiving_held if its
 * receiving office still held it (MOTCUA_STORE_CASE_RECEIVER). */
gboolean  _motcua_store_hub_log_get_handling (MotcuaReplica                *hub,
                                              const MotcuaUuid             *case_id,
                                              gboolean                     *known,
                                              gboolean                     *has_office,
                                              MotcuaUuid                   *office,
                                              gboolean                     *receiving_held,
                                              GError                      **error);
gboolean  _motcua_store_hub_log_set_handling (MotcuaReplica                *hub,
                                              const MotcuaUuid             *case_id,
                                              const MotcuaUuid             *office,
                                              gboolean                      receiving_held,
                                              GError                      **error);

/* The case conflict @conflict_id is about: *@exists if the hub holds the conflict, *@has_case
 * if it names a case (then in @case_id). */
gboolean  _motcua_store_hub_log_conflict_case (MotcuaReplica               *hub,
                                               const MotcuaUuid            *conflict_id,
                                               gboolean                    *exists,
                                               gboolean                    *has_case,
                                               MotcuaUuid                  *case_id,
                                               GError                     **error);

G_END_DECLS
