/* motcua-uuid.c: time-ordered and key-derived UUIDs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "motcua-base-private.h"
#include "motcua-uuid.h"

/* Bytes from the kernel's random source, for ids and for enrolment tokens alike: a token must
 * never fall back to a predictable generator, so neither does anything else. */
void
_motcua_random_bytes (guint8 *buf,
                      gsize   len)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = getrandom (buf + done, len - done, 0);

      if (n > 0)
        done += (gsize) n;
      else if (n < 0 && errno != EINTR)
        g_error ("No random source: getrandom() failed: %s", g_strerror (errno));
    }
}

typedef struct
{
  guint8 bytes[4000];
  guint  used;           /* 10-byte slots handed out */
} RandomPool;

#define POOL_SLOTS (sizeof (((RandomPool *) NULL)->bytes) / 10)

void
motcua_uuid_v7_at (MotcuaUuid *out,
                   gint64      unix_ms)
{
  /* Random bits come from a per-thread pool refilled 4 kB at a time: getrandom() per UUID
   * would be a system call per row in a bulk import. */
  static GPrivate pool_key = G_PRIVATE_INIT (g_free);
  RandomPool *pool;
  const guint8 *pos;

  g_return_if_fail (out != NULL);

  pool = g_private_get (&pool_key);
  if (pool == NULL)
    {
      pool = g_new0 (RandomPool, 1);
      pool->used = POOL_SLOTS;
      g_private_set (&pool_key, pool);
    }
  if (pool->used >= POOL_SLOTS)
    {
      _motcua_random_bytes (pool->bytes, sizeof pool->bytes);
      pool->used = 0;
    }
  pos = pool->bytes + 10 * pool->used++;

  out->bytes[0] = (guint8) (unix_ms >> 40);
  out->bytes[1] = (guint8) (unix_ms >> 32);
  out->bytes[2] = (guint8) (unix_ms >> 24);
  out->bytes[3] = (guint8) (unix_ms >> 16);
  out->bytes[4] = (guint8) (unix_ms >> 8);
  out->bytes[5] = (guint8) unix_ms;
  memcpy (out->bytes + 6, pos, 10);
  out->bytes[6] = (out->bytes[6] & 0x0f) | 0x70;  /* version 7 */
  out->bytes[8] = (out->bytes[8] & 0x3f) | 0x80;  /* RFC 4122 variant */
}

void
motcua_uuid_v7_from_hlc (MotcuaUuid *out,
                         guint64     hlc)
{
  guint counter = (guint) (hlc & 0xfff);

  motcua_uuid_v7_at (out, (gint64) (hlc >> 16));
  out->bytes[6] = (guint8) (0x70 | (counter >> 8));
  out->bytes[7] = (guint8) (counter & 0xff);
}

void
motcua_uuid_v7 (MotcuaUuid *out)
{
  motcua_uuid_v7_at (out, g_get_real_time () / 1000);
}

void
motcua_uuid_for_key (MotcuaUuid *out,
                     const char *kind,
                     const char *key)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_return_if_fail (out != NULL);
  g_return_if_fail (kind != NULL);
  g_return_if_fail (key != NULL);

  g_checksum_update (sum, (const guchar *) "motcua:", -1);
  g_checksum_update (sum, (const guchar *) kind, -1);
  g_checksum_update (sum, (const guchar *) ":", -1);
  g_checksum_update (sum, (const guchar *) key, -1);
  g_checksum_get_digest (sum, digest, &len);

  memcpy (out->bytes, digest, 16);
  out->bytes[6] = (out->bytes[6] & 0x0f) | 0x80;  /* version 8: custom */
  out->bytes[8] = (out->bytes[8] & 0x3f) | 0x80;
}

void
motcua_uuid_to_string (const MotcuaUuid *uuid,
                       char              out[37])
{
  static const char hex[] = "0123456789abcdef";
  guint j = 0;

  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        out[j++] = '-';
      out[j++] = hex[uuid->bytes[i] >> 4];
      out[j++] = hex[uuid->bytes[i] & 0xf];
    }
  out[j] = '\0';
}

gboolean
motcua_uuid_parse (const char *text,
                   MotcuaUuid *out)
{
  guint j = 0;

  if (text == NULL || strlen (text) != 36)
    return FALSE;

  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
          continue;
        }
      if (!g_ascii_isxdigit (text[i]))
        return FALSE;
    }

  for (guint i = 0; i < 36; i += 2)
    {
      if (text[i] == '-')
        i++;
      out->bytes[j++] = (guint8) (g_ascii_xdigit_value (text[i]) << 4
                                  | g_ascii_xdigit_value (text[i + 1]));
    }

  return j == 16;
}

char *
motcua_uuid_v7_new_string (void)
{
  MotcuaUuid uuid;
  char buf[37];

  motcua_uuid_v7 (&uuid);
  motcua_uuid_to_string (&uuid, buf);

  return g_strdup (buf);
}
