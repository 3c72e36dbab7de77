/* motcua-bench-gen.h: what the files of motcua-bench-gen share: the generator and its offices
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <motcua/motcua.h>

#define YEAR          2025
#define N_DEPARTMENTS 20
#define N_DISTRICTS   15
#define N_COMMUNES    190
#define N_PROCEDURES  1800
#define BATCH         50000
#define SNAPSHOT_DAY  "2025-12-31"

typedef struct
{
  char        *code;
  char        *name;        /* "UBND xã Nậm Manh" */
  char        *place;       /* "xã Nậm Manh", for addresses */
  MotcuaLevel  level;
  gint         parent;      /* index into the offices, -1 for the province */
  double       weight;      /* how many cases it receives, relatively */
  guint        receipts;    /* receipt numbers given in the year */
} GenOffice;

typedef struct
{
  char  *code;
  guint  levels;
  guint  days;
  guint  n_documents;
  double weight;            /* how popular it is, relatively */
} GenProcedure;

/* Cumulative weights for picking one of a set of indices. */
typedef struct
{
  GArray *items;            /* guint */
  GArray *cumulative;       /* double */
} Picker;

typedef struct
{
  guint64         seed;
  GRand          *rand;
  MotcuaReplica  *replica;
  MotcuaCalendar *calendar;
  GPtrArray      *offices;      /* GenOffice */
  GPtrArray      *procedures;   /* GenProcedure */
  Picker          offices_at[MOTCUA_N_LEVELS];
  Picker          procedures_at[MOTCUA_N_LEVELS];
  guint64         population;
  GDate           snapshot;
  guint           early_debt;   /* early draws that had to be on time instead */

  /* What was generated. */
  guint64         n_level[MOTCUA_N_LEVELS];
  guint64         n_channel[MOTCUA_N_CHANNELS];
  guint64         n_status[MOTCUA_N_STATUSES];
  guint64         n_early, n_on_time, n_late;
  guint64         n_open_within, n_open_overdue;
} Gen;

void picker_add (Picker *picker,
                 guint   item,
                 double  weight);

guint picker_pick (const Picker *picker,
                   GRand        *rand);

double gaussian (GRand *rand);

G_NORETURN void die (const char   *what,
                     const GError *error);

void make_procedures (Gen        *gen,
                      const char *datadir);

void load_calendars (Gen        *gen,
                     const char *datadir);

void make_cases (Gen     *gen,
                 guint64  n_cases);
