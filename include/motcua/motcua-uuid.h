#pragma once

#include "motcua-inside.h"
#include <glib.h>

G_BEGIN_DECLS

/* Rows are named by UUIDs made where they are created. Rows created by a replica use UUIDv7
 * (milliseconds first, then random bits) so inserts append to SQLite's B-trees; province-authored
 * rows named by a natural key (an office or procedure code, a calendar date) use a UUIDv8 derived
 * from that key, so every replica that loads the same key names the same row. */

typedef struct
{
  guint8 bytes[16];
} MotcuaUuid;

void     motcua_uuid_v7          (MotcuaUuid       *out);
void     motcua_uuid_v7_at       (MotcuaUuid       *out,
                                  gint64            unix_ms);
/* A UUIDv7 whose 12 bits after the version carry the HLC's counter: ids made from increasing
 * stamps sort in stamp order, even within one millisecond. */
void     motcua_uuid_v7_from_hlc (MotcuaUuid       *out,
                                  guint64           hlc);
void     motcua_uuid_for_key     (MotcuaUuid       *out,
                                  const char       *kind,
                                  const char       *key);
void     motcua_uuid_to_string   (const MotcuaUuid *uuid,
                                  char              out[37]);
gboolean motcua_uuid_parse       (const char       *text,
                                  MotcuaUuid       *out);
G_GNUC_WARN_UNUSED_RESULT
char    *motcua_uuid_v7_new_string (void);

G_END_DECLS
