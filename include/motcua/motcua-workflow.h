#pragma once

#include "motcua-inside.h"
#include <glib.h>

G_BEGIN_DECLS

/**
 * MotcuaStatus:
 *
 * The workflow of a case (hồ sơ):
 *
 *   received → in_processing → approved | refused → returned
 *                   ↓    ↑ (resubmitted, then in_processing)
 *          supplement_requested
 *
 * A case may also be withdrawn by the applicant or cancelled by the office before it is
 * resolved, and a resolved case may be reopened (back to in_processing).
 *
 * Each status a case holds carries a (generation, rank). Every legal step strictly raises it:
 * a step forward raises the rank within the generation, a step back (resubmission after a
 * supplement, a reopen) raises the generation. Replication merges the status as the greatest
 * (generation, rank, HLC, origin), so a stale concurrent edit can never reopen a resolved case.
 */
typedef enum
{
  MOTCUA_STATUS_RECEIVED,
  MOTCUA_STATUS_IN_PROCESSING,
  MOTCUA_STATUS_SUPPLEMENT_REQUESTED,
  MOTCUA_STATUS_RESUBMITTED,
  MOTCUA_STATUS_APPROVED,
  MOTCUA_STATUS_REFUSED,
  MOTCUA_STATUS_RETURNED,
  MOTCUA_STATUS_WITHDRAWN,
  MOTCUA_STATUS_CANCELLED,
  MOTCUA_N_STATUSES
} MotcuaStatus;

typedef enum
{
  MOTCUA_CHANNEL_COUNTER,
  MOTCUA_CHANNEL_ONLINE,
  MOTCUA_CHANNEL_POSTAL,
  MOTCUA_CHANNEL_HOME,
  MOTCUA_N_CHANNELS
} MotcuaChannel;

typedef enum
{
  MOTCUA_PRIORITY_NONE,
  MOTCUA_PRIORITY_ELDERLY,
  MOTCUA_PRIORITY_DISABLED,
  MOTCUA_PRIORITY_VETERAN,
  MOTCUA_PRIORITY_CHILD,
  MOTCUA_PRIORITY_PREGNANT,
  MOTCUA_N_PRIORITIES
} MotcuaPriority;

/* A status as the merge sees it. */
typedef struct
{
  guint        generation;
  guint        rank;
  MotcuaStatus status;
} MotcuaStatusKey;

const char *motcua_status_to_string    (MotcuaStatus  status);
gboolean    motcua_status_from_string  (const char   *text,
                                        MotcuaStatus *out);
guint       motcua_status_rank         (MotcuaStatus  status);
gboolean    motcua_status_is_resolved  (MotcuaStatus  status);
gboolean    motcua_status_is_closed    (MotcuaStatus  status);
gboolean    motcua_status_is_open      (MotcuaStatus  status);

/* The statuses reachable from @from in one legal step (a 0-terminated list is not possible with
 * RECEIVED = 0, so the count is returned). */
guint       motcua_status_next         (MotcuaStatus  from,
                                        MotcuaStatus  out[MOTCUA_N_STATUSES]);
gboolean    motcua_status_can_step     (MotcuaStatus  from,
                                        MotcuaStatus  to);

/* The key reached by stepping from @from to @to; FALSE if the step is illegal. */
gboolean    motcua_status_step         (const MotcuaStatusKey *from,
                                        MotcuaStatus           to,
                                        MotcuaStatusKey       *out);
int         motcua_status_key_compare  (const MotcuaStatusKey *a,
                                        const MotcuaStatusKey *b);

/* "3:in_processing": how a status register travels in the change log. */
G_GNUC_WARN_UNUSED_RESULT
char       *motcua_status_key_encode   (const MotcuaStatusKey *key);
gboolean    motcua_status_key_decode   (const char            *text,
                                        MotcuaStatusKey       *out);

const char *motcua_channel_to_string   (MotcuaChannel  channel);
gboolean    motcua_channel_from_string (const char    *text,
                                        MotcuaChannel *out);
const char *motcua_priority_to_string  (MotcuaPriority priority);
gboolean    motcua_priority_from_string (const char     *text,
                                         MotcuaPriority *out);

G_END_DECLS
