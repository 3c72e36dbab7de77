/* motcua-sync-bench.h: what the files of motcua-sync-bench share: the run, processes, province
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include <motcua/motcua.h>

#define DESK_NEW         40
#define DESK_STEPS       120
#define MANY_CASES       5
#define SLOW_KBIT        256
#define SLOW_RTT_MS      300
#define SLOW_LOSS        0.01

typedef struct
{
  char       *workdir;
  char       *dump;
  char       *datadir;
  char       *server_bin;
  char       *slowlink_bin;
  char       *gen_bin;
  char       *commune;
  char       *pouchdb;
  char       *pouchdb_slow;
  guint       n_replicas;
  gboolean    keep;

  /* Made during the run */
  char       *catalogue;      /* the 1,800 procedures, as a motcua-catalogue file */
  char       *gen_offices;    /* motcua-bench-gen's offices, as a motcua-offices file */
  JsonParser *pouch;
  JsonParser *pouch_slow;
} Bench;

/* A child process printing "listening on …:PORT" on its standard output. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  guint             port;
  char             *url;
} Child;

/* What the proxy counted. */
typedef struct
{
  guint64 up;
  guint64 down;
  guint64 connections;
  guint64 lost;
} Wire;

/* One measured sync. */
typedef struct
{
  double             seconds;
  double             server_cpu;   /* seconds of CPU the server spent meanwhile */
  double             client_cpu;   /* and this process (the replica's side) */
  MotcuaSyncProgress summary;
  Wire               wire;
} Measured;

typedef struct
{
  char  *store;
  char  *log;
  Child  child;
} Server;

typedef struct
{
  Child child;
} Link;

typedef struct
{
  char *receipt_no;
  char *field;
  char *value;
} Edit;

typedef struct
{
  char      *cases_json;   /* the dump's cases moved to one commune */
  gsize      length;
  guint      n_cases;
  GPtrArray *client;       /* Edit: the commune's */
  GPtrArray *server;       /* Edit: the server's own */
  guint      overlap;
} Workload;

typedef struct
{
  Bench    *bench;
  Server    server;
  Link      fast;
  Link      slow;
  char     *district;
  char     *commune_db;
  char     *district_db;
  char     *slow_db;
  Workload  w;
} Province;

G_NORETURN void die (const char   *what,
                     const GError *error);

double pouch_figure (JsonParser *parser,
                     const char *path);

void ratio (const char *name,
            double      ours,
            double      theirs);

char *run_tool (const char *const *argv);

void child_stop (Child *child);

void server_start (Bench  *bench,
                   Server *server,
                   guint   port);

void server_init (Bench      *bench,
                  Server     *server,
                  const char *name);

char *server_tool (Bench      *bench,
                   Server     *server,
                   const char *a,
                   const char *b,
                   const char *c);

char *enroll_token (Bench      *bench,
                    Server     *server,
                    const char *office);

void link_start (Bench      *bench,
                 Link       *link,
                 guint       to_port,
                 gboolean    slow);

char *replica_path (Bench      *bench,
                    const char *name);

void enroll (const char *path,
             const char *url,
             const char *token);

/* The most memory @child ever held (VmHWM), in MiB. */
double child_peak_rss_mib (Child *child);

/* One sync, printed under @what (NULL: not printed). */
Measured measure_sync (const char *path,
                       Link       *link,
                       const char *what);
/* The same through @desk, an engine that may have synced before (NULL: a new one, whose
 * creation is measured with the sync). */
Measured measure_sync_on (MotcuaSync *desk,
                          const char *path,
                          Link       *link,
                          const char *what);
/* The mean of several idle syncs, through one MotcuaSync as a desk does, or (@fresh) a new one
 * each time as motcua-cli sync does. */
Measured measure_idle (const char *path,
                       Link       *link,
                       gboolean    fresh,
                       const char *what);

void results_of (const char     *prefix,
                 const Measured *m);

MotcuaReplica *open_replica (const char *path);

void commit (MotcuaReplica *replica);

void begin (MotcuaReplica *replica);

JsonParser *parse_file (const char *path);

void workload_clear (Workload *w);

void make_reference_files (Bench *bench);

void uptime_line (const char *when);

void province_setup (Province *p);

void bench_compare (Province *p);

void bench_first_sync (Province *p,
                       gboolean  slow);

void bench_desk_day (Province *p);

void bench_many (Bench *bench);
