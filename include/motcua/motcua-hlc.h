#pragma once

#include "motcua-inside.h"
#include <glib.h>

G_BEGIN_DECLS

/* A hybrid logical clock in 64 bits: milliseconds since the Unix epoch in the high 48 bits and a
 * counter in the low 16. Comparing two stamps as integers orders them. */

typedef guint64 MotcuaHlc;

#define MOTCUA_HLC_COUNTER_BITS 16
#define MOTCUA_HLC_COUNTER_MASK ((MotcuaHlc) 0xffff)

static inline MotcuaHlc
motcua_hlc_make (gint64 unix_ms,
                 guint  counter)
{
  return ((MotcuaHlc) unix_ms << MOTCUA_HLC_COUNTER_BITS) | (counter & MOTCUA_HLC_COUNTER_MASK);
}

static inline gint64
motcua_hlc_get_ms (MotcuaHlc hlc)
{
  return (gint64) (hlc >> MOTCUA_HLC_COUNTER_BITS);
}

static inline guint
motcua_hlc_get_counter (MotcuaHlc hlc)
{
  return (guint) (hlc & MOTCUA_HLC_COUNTER_MASK);
}

/* A clock: the last stamp issued or seen. */
typedef struct
{
  MotcuaHlc last;
} MotcuaHlcClock;

MotcuaHlc motcua_hlc_clock_now     (MotcuaHlcClock *clock,
                                    gint64          wall_ms);
void      motcua_hlc_clock_observe (MotcuaHlcClock *clock,
                                    MotcuaHlc       remote,
                                    gint64          wall_ms);
G_GNUC_WARN_UNUSED_RESULT
char     *motcua_hlc_to_string     (MotcuaHlc       hlc);

G_END_DECLS
