/* motcua-workflow.c: the case workflow and its (generation, rank) lattice
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "motcua-workflow.h"

typedef struct
{
  const char *name;
  guint       rank;
  guint       next;        /* bit (1 << MotcuaStatus) per status reachable in one step */
} StatusInfo;

#define BIT(s) (1u << MOTCUA_STATUS_##s)

/* Ranks: each step forward raises the rank within a generation. Resubmission and reopening
 * step back to a lower rank, and so open a new generation. Withdrawal and cancellation rank
 * below resolution so that a concurrent decision outranks them; return outranks everything in
 * its generation. */
static const StatusInfo statuses[MOTCUA_N_STATUSES] = {
  [MOTCUA_STATUS_RECEIVED] = { "received", 1,
                               BIT (IN_PROCESSING) | BIT (WITHDRAWN) | BIT (CANCELLED) },
  [MOTCUA_STATUS_IN_PROCESSING] = { "in_processing", 2,
                                    BIT (SUPPLEMENT_REQUESTED) | BIT (APPROVED) | BIT (REFUSED)
                                    | BIT (WITHDRAWN) | BIT (CANCELLED) },
  [MOTCUA_STATUS_SUPPLEMENT_REQUESTED] = { "supplement_requested", 3,
                                           BIT (RESUBMITTED) | BIT (WITHDRAWN)
                                           | BIT (CANCELLED) },
  [MOTCUA_STATUS_RESUBMITTED] = { "resubmitted", 1,
                                  BIT (IN_PROCESSING) | BIT (APPROVED) | BIT (REFUSED)
                                  | BIT (WITHDRAWN) | BIT (CANCELLED) },
  [MOTCUA_STATUS_APPROVED] = { "approved", 5, BIT (RETURNED) | BIT (IN_PROCESSING) },
  [MOTCUA_STATUS_REFUSED] = { "refused", 5, BIT (RETURNED) | BIT (IN_PROCESSING) },
  [MOTCUA_STATUS_RETURNED] = { "returned", 6, 0 },
  [MOTCUA_STATUS_WITHDRAWN] = { "withdrawn", 4, 0 },
  [MOTCUA_STATUS_CANCELLED] = { "cancelled", 4, 0 },
};

#undef BIT

const char *
motcua_status_to_string (MotcuaStatus status)
{
  g_return_val_if_fail ((guint) status < MOTCUA_N_STATUSES, NULL);

  return statuses[status].name;
}

gboolean
motcua_status_from_string (const char   *text,
                           MotcuaStatus *out)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < MOTCUA_N_STATUSES; i++)
    {
      if (strcmp (text, statuses[i].name) == 0)
        {
          if (out != NULL)
            *out = (MotcuaStatus) i;
          return TRUE;
        }
    }

  return FALSE;
}

guint
motcua_status_rank (MotcuaStatus status)
{
  g_return_val_if_fail ((guint) status < MOTCUA_N_STATUSES, 0);

  return statuses[status].rank;
}

gboolean
motcua_status_is_resolved (MotcuaStatus status)
{
  return status == MOTCUA_STATUS_APPROVED
         || status == MOTCUA_STATUS_REFUSED
         || status == MOTCUA_STATUS_RETURNED;
}

gboolean
motcua_status_is_closed (MotcuaStatus status)
{
  return status == MOTCUA_STATUS_WITHDRAWN || status == MOTCUA_STATUS_CANCELLED;
}

gboolean
motcua_status_is_open (MotcuaStatus status)
{
  return !motcua_status_is_resolved (status) && !motcua_status_is_closed (status);
}

guint
motcua_status_next (MotcuaStatus from,
                    MotcuaStatus out[MOTCUA_N_STATUSES])
{
  guint n = 0;

  g_return_val_if_fail ((guint) from < MOTCUA_N_STATUSES, 0);

  for (guint i = 0; i < MOTCUA_N_STATUSES; i++)
    if (statuses[from].next & (1u << i))
      out[n++] = (MotcuaStatus) i;

  return n;
}

gboolean
motcua_status_can_step (MotcuaStatus from,
                        MotcuaStatus to)
{
  if ((guint) from >= MOTCUA_N_STATUSES || (guint) to >= MOTCUA_N_STATUSES)
    return FALSE;

  return (statuses[from].next & (1u << to)) != 0;
}

gboolean
motcua_status_step (const MotcuaStatusKey *from,
                    MotcuaStatus           to,
                    MotcuaStatusKey       *out)
{
  g_return_val_if_fail (from != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!motcua_status_can_step (from->status, to))
    return FALSE;

  out->status = to;
  out->rank = statuses[to].rank;
  out->generation = from->generation;
  if (out->rank <= from->rank)
    out->generation++;

  return TRUE;
}

int
motcua_status_key_compare (const MotcuaStatusKey *a,
                           const MotcuaStatusKey *b)
{
  if (a->generation != b->generation)
    return a->generation < b->generation ? -1 : 1;
  if (a->rank != b->rank)
    return a->rank < b->rank ? -1 : 1;
  return 0;
}

char *
motcua_status_key_encode (const MotcuaStatusKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return g_strdup_printf ("%u:%s", key->generation, motcua_status_to_string (key->status));
}

gboolean
motcua_status_key_decode (const char      *text,
                          MotcuaStatusKey *out)
{
  char *end = NULL;
  guint64 gen;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;

  gen = g_ascii_strtoull (text, &end, 10);
  if (end == NULL || *end != ':' || gen > G_MAXUINT16)
    return FALSE;
  if (!motcua_status_from_string (end + 1, &out->status))
    return FALSE;

  out->generation = (guint) gen;
  out->rank = statuses[out->status].rank;

  return TRUE;
}

static const char *channels[MOTCUA_N_CHANNELS] = { "counter", "online", "postal", "home" };
static const char *priorities[MOTCUA_N_PRIORITIES] = {
  "none", "elderly", "disabled", "veteran", "child", "pregnant"
};

const char *
motcua_channel_to_string (MotcuaChannel channel)
{
  g_return_val_if_fail ((guint) channel < MOTCUA_N_CHANNELS, NULL);

  return channels[channel];
}

gboolean
motcua_channel_from_string (const char    *text,
                            MotcuaChannel *out)
{
  for (guint i = 0; text != NULL && i < MOTCUA_N_CHANNELS; i++)
    if (strcmp (text, channels[i]) == 0)
      {
        *out = (MotcuaChannel) i;
        return TRUE;
      }

  return FALSE;
}

const char *
motcua_priority_to_string (MotcuaPriority priority)
{
  g_return_val_if_fail ((guint) priority < MOTCUA_N_PRIORITIES, NULL);

  return priorities[priority];
}

gboolean
motcua_priority_from_string (const char     *text,
                             MotcuaPriority *out)
{
  for (guint i = 0; text != NULL && i < MOTCUA_N_PRIORITIES; i++)
    if (strcmp (text, priorities[i]) == 0)
      {
        *out = (MotcuaPriority) i;
        return TRUE;
      }

  return FALSE;
}
