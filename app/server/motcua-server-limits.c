/* motcua-server-limits.c: a token bucket per replica
 *
 * Each key (a replica's token id, or a client's address) has a bucket of `burst` requests that
 * refills at `requests-per-second`; a request finds it empty: 429, and how long to wait.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-server-private.h"

#define MAX_BUCKETS 4096   /* beyond this, full buckets are forgotten */

typedef struct
{
  double tokens;
  gint64 updated_us;   /* monotonic */
} Bucket;

struct _MotcuaRateLimits
{
  double      requests_per_second;  /* 0: no limit */
  guint       burst;
  GHashTable *buckets;              /* key → Bucket */
};

MotcuaRateLimits *
motcua_rate_limits_new (double requests_per_second,
                        guint  burst)
{
  MotcuaRateLimits *self = g_new0 (MotcuaRateLimits, 1);

  self->requests_per_second = requests_per_second;
  self->burst = burst;
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return self;
}

void
motcua_rate_limits_free (MotcuaRateLimits *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->buckets);
  g_free (self);
}

static double
bucket_level (MotcuaRateLimits *self,
              const Bucket     *bucket,
              gint64            now_us)
{
  double refill = (double) (now_us - bucket->updated_us) / G_USEC_PER_SEC
                  * self->requests_per_second;

  return MIN ((double) self->burst, bucket->tokens + refill);
}

gboolean
motcua_rate_limits_take (MotcuaRateLimits *self,
                         const char       *key,
                         guint            *retry_after)
{
  double rate = self->requests_per_second;
  gint64 now = g_get_monotonic_time ();
  Bucket *bucket;

  if (rate <= 0)
    return TRUE;

  bucket = g_hash_table_lookup (self->buckets, key);
  if (bucket == NULL)
    {
      if (g_hash_table_size (self->buckets) >= MAX_BUCKETS)
        {
          GHashTableIter iter;
          gpointer value;

          /* A full bucket is the same as none. */
          g_hash_table_iter_init (&iter, self->buckets);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            if (bucket_level (self, value, now) >= self->burst)
              g_hash_table_iter_remove (&iter);
        }
      bucket = g_new (Bucket, 1);
      bucket->tokens = self->burst;
      bucket->updated_us = now;
      g_hash_table_insert (self->buckets, g_strdup (key), bucket);
    }

  bucket->tokens = bucket_level (self, bucket, now);
  bucket->updated_us = now;
  if (bucket->tokens >= 1)
    {
      bucket->tokens -= 1;
      return TRUE;
    }

  *retry_after = (guint) MIN ((1 - bucket->tokens) / rate, 86400.0) + 1;

  return FALSE;
}
