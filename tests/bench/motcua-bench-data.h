/* motcua-bench-data.h: realistic applicants and place names for the benchmarks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <motcua/motcua.h>

G_BEGIN_DECLS

/* A citizen, derived from (seed, index) alone: the same index is the same person, so a
 * population can be sampled with repeats without being held in memory. */
typedef struct
{
  char     name[96];         /* "Giàng A Páo", "Nguyễn Thị Thu Hằng" */
  char     citizen_id[13];   /* 12 digits: province, century and sex, birth year, serial */
  char     phone[11];        /* a mobile number, or "" for none */
  gboolean female;
} MotcuaBenchPerson;

void        motcua_bench_person       (guint64            seed,
                                       guint64            index,
                                       MotcuaBenchPerson *out);

/* A stateless mix (splitmix64) for deriving values from indices. */
guint64     motcua_bench_mix          (guint64            x);

/* Picks from @n_items with a random draw; items weighted by @weights (cumulative). */
guint       motcua_bench_pick_cumulative (const double   *cumulative,
                                          guint           n_items,
                                          double          draw);

/* A place name of two syllables, "Nậm Manh", "Pa Tần". @out must hold 64 bytes. */
void        motcua_bench_place_name   (GRand             *rand,
                                       char              *out);

/* "Bản Nà Hừ", "Tổ dân phố 3". @out must hold 64 bytes. */
void        motcua_bench_village_name (GRand             *rand,
                                       char              *out);

/* The family names used, for queries typed as an officer would. */
const char *const *motcua_bench_family_names (guint *n_out);

G_END_DECLS
