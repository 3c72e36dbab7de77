/* test-converge.h: what the files of test-converge share: the simulated province and its nodes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-test-utils.h"

#define N_NODES 8
#define N_STEPS 140
#define HOURS_AHEAD (3 * 60 * 60 * 1000)

typedef struct
{
  const char    *office;
  MotcuaLevel    level;
  MotcuaFixture  f;          /* its replica: the connection that syncs */
  MotcuaReplica *desk;       /* another connection to the same file, as the desk holds one */
  MotcuaReplica *officer;    /* the connection the officer writes through now: one of those */
  char          *token;
  gint64         skew_ms;    /* its clock minus the true time */
  guint          ahead;      /* steps left with its clock hours ahead, before it is set right */
  guint          offline;    /* steps left cut off from the server */
  GPtrArray     *late;       /* requests held back by the network, delivered later */
} Node;

typedef struct
{
  guint32        seed;
  GRand         *rand;
  gint64         now_ms;     /* the true time; the hub's clock */
  MotcuaFixture  hub;
  Node           nodes[N_NODES];
  gboolean       faults;
  char          *backup;     /* an older copy of the hub's store, once taken */
  guint          backup_at, restore_at;   /* the steps that take it and restore it; 0: none */
  guint          n_faults, n_syncs, n_failed, n_conflicts_made, n_removed;
  guint          n_writes_during, n_busy, n_moved_on, n_restores, n_hours_ahead;
} World;

gboolean chance (World *w,
                 guint  percent);

guint pick (World *w,
            guint  n);

extern gboolean with_hours_ahead;

void sync_node (World *w,
                Node  *node);

void write_during_sync (World *w,
                        Node  *node);

void try_second_sync (World *w,
                      Node  *node);

gint64 fixture_clock (gpointer user_data);

void take_backup (World *w);

void restore_backup (World *w);

void step (World *w);

GHashTable *export_rows_but (MotcuaReplica *replica,
                             const char    *office_code,
                             GHashTable    *excluded);

GHashTable *export_rows (MotcuaReplica *replica,
                         const char    *office_code);

GHashTable *gone_cases (Node *node);

void assert_same_rows (World      *w,
                       Node       *node,
                       GHashTable *expected,
                       GHashTable *actual);

void assert_only_refused_left (World *w,
                               Node  *node);

void assert_nothing_lost (World *w,
                          Node  *node);

void assert_receipts_unique (World *w);

void assert_refusals_expected (World *w,
                               Node  *node);
