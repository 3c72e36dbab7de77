/* motcua-bench-util.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>
#include <math.h>

#include "motcua-bench-util.h"

void
motcua_bench_result (const char *name,
                     double      value,
                     const char *unit)
{
  g_print ("RESULT %s %.*f %s\n", name, fabs (value) >= 100 ? 0 : fabs (value) >= 1 ? 2 : 3,
           value, unit);
}

double
motcua_bench_seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

int
motcua_bench_compare_double (gconstpointer a,
                             gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
motcua_bench_percentile (GArray *values,
                         double  p)
{
  guint rank;

  if (values->len == 0)
    return 0;
  g_array_sort (values, motcua_bench_compare_double);
  rank = (guint) ceil (p * values->len);

  return g_array_index (values, double, CLAMP (rank, 1, values->len) - 1);
}

void
motcua_bench_remove_db (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}
