/* motcua-bench.h: what the files of motcua-bench share: the run's settings and helpers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <sqlite3.h>

#include <motcua/motcua.h>

#define FSYNC_SECONDS 3.0
#define SEARCH_LIMIT  50
#define TMPFS_MAGIC_  0x01021994

typedef struct
{
  char          *workdir;
  char          *db;
  char          *datadir;
  guint          bulk_cases;
  guint          single_cases;
  gboolean       keep;
  double         fsync_rate;    /* ops/s, 0 if not measured */
  GRand         *rand;
} Bench;

G_NORETURN void die (const char   *what,
                     const GError *error);

goffset file_size (const char *path);

void bench_receive_single (Bench *bench);

void bench_receive_bulk (Bench *bench);

void bench_search (Bench         *bench,
                   MotcuaReplica *replica,
                   gint64         n_cases);

void bench_report (Bench         *bench,
                   MotcuaReplica *replica);

void bench_export (Bench         *bench,
                   MotcuaReplica *replica);
