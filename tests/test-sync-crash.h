/* test-sync-crash.h: what the files of test-sync-crash share: epochs, the model, processes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "motcua-test-server.h"
#include "motcua-test-utils.h"

#define EPOCH_ROUNDS 25
#define PROCEDURE    "MAU.HT.001"

enum { A, B, D, N_REPLICAS };

static const MotcuaTestReplicaInfo *const replica_info = motcua_test_lc_replicas;
G_STATIC_ASSERT (G_N_ELEMENTS (motcua_test_lc_replicas) == N_REPLICAS);

/* The steps a case goes through here, in order. */
static const char *const steps[] = { "received", "in_processing", "approved", "returned" };

/* Where a kill landed, from what the client had printed by then. */
enum
{
  PHASE_START,      /* no batch acknowledged yet: status, or the first push */
  PHASE_PUSH,       /* pushing */
  PHASE_PULL,       /* pulling, more to come */
  PHASE_DIGEST,     /* pulled everything: digest, purge, the end */
  PHASE_DONE,       /* the sync had finished */
  N_PHASES
};

typedef struct
{
  char     *receipt;
  guint     round;         /* made or handed over in that round: settled, editable, after it */
  guint     creator;       /* A or B */
  guint     receiving;     /* A or B */
  guint     handling;      /* A or B: the commune that alone edits it */
  gboolean  refused;       /* made for the other commune: refused by the server */
  char     *name;
  char     *phone;
  char     *address;       /* written by D alone */
  guint     step;          /* in steps[] */
} Case;

typedef struct
{
  guint        number;
  char        *dir;
  char        *store;
  char        *config;
  char        *url;
  guint16      port;
  GSubprocess *server;
  guint        server_starts;
  char        *db[N_REPLICAS];
  GPtrArray   *cases;      /* Case */
  guint        next_case;
} Epoch;

typedef struct
{
  GRand  *rand;
  guint32 seed;
  guint   round;
  gint64  estimate_us[N_REPLICAS];    /* how long a whole sync of each replica takes lately */
  guint   client_kills;
  guint   server_kills;
  guint   phases[N_PHASES];
  guint   refused_cases;
  guint   cases;
} Run;

GSubprocessLauncher *launcher_new (Epoch           *e,
                                   GSubprocessFlags flags);

char *cli (Epoch      *e,
           const char *db,
           const char *first,
           ...) G_GNUC_NULL_TERMINATED;

void server_start (Epoch *e);

void server_kill (Epoch *e);

void server_stop (Epoch *e);

sqlite3 *db_open (const char *path);

sqlite3_stmt *db_prepare (sqlite3    *db,
                          const char *sql);

gint64 db_int (sqlite3    *db,
               const char *sql);

void assert_all_integrity (Epoch *e);

void local_work (Run   *run,
                 Epoch *e);

void clean_sync (Epoch *e,
                 guint  r);

void kill_round (Run   *run,
                 Epoch *e);

void verify_epoch (Run   *run,
                   Epoch *e);
