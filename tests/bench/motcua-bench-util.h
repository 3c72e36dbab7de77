/* motcua-bench-util.h: what the benchmarks share to time and report
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Prints "RESULT @name @value @unit", with fewer decimals the larger @value is. */
void        motcua_bench_result          (const char    *name,
                                          double         value,
                                          const char    *unit);
/* Seconds since @start, a g_get_monotonic_time(). */
double      motcua_bench_seconds_since   (gint64         start);
/* A GCompareFunc of doubles, ascending. */
int         motcua_bench_compare_double  (gconstpointer  a,
                                          gconstpointer  b);
/* The @p (0 to 1) percentile of the doubles in @values by nearest rank, 0 when empty; sorts
 * @values. */
double      motcua_bench_percentile      (GArray        *values,
                                          double         p);
/* Removes the SQLite file @path with its -wal, -shm and -journal files. */
void        motcua_bench_remove_db       (const char    *path);

G_END_DECLS
