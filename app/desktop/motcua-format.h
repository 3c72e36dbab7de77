/* motcua-format.h: how the desk shows statuses, channels, dates, amounts and timeline events
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <motcua/motcua.h>

G_BEGIN_DECLS

const char *motcua_format_status     (MotcuaStatus    status);
/* A verb for the button that moves a case to @status. */
const char *motcua_format_step       (MotcuaStatus    status);
const char *motcua_format_channel    (MotcuaChannel   channel);
const char *motcua_format_priority   (MotcuaPriority  priority);
/* Every channel's, every priority's name, in their enum's order: a drop-down's model. */
G_GNUC_WARN_UNUSED_RESULT
GListModel *motcua_format_channel_model  (void);
G_GNUC_WARN_UNUSED_RESULT
GListModel *motcua_format_priority_model (void);
const char *motcua_format_level      (MotcuaLevel     level);
const char *motcua_format_record_sync_state (int state);
/* A CSS class for a status pill: "status-open", "status-done", "status-waiting", … */
const char *motcua_format_status_class (MotcuaStatus  status);

/* "YYYY-MM-DD" or an ISO 8601 date-time → "dd/MM/yyyy" (as translated); NULL or bad → "—". */
G_GNUC_WARN_UNUSED_RESULT
char       *motcua_format_date       (const char     *iso);
/* An ISO 8601 date-time → "dd/MM/yyyy HH:MM" in Vietnam's time. */
G_GNUC_WARN_UNUSED_RESULT
char       *motcua_format_datetime   (const char     *iso);
/* "Thứ Hai, 10/03/2025" / "Monday, 10/03/2025". */
G_GNUC_WARN_UNUSED_RESULT
char       *motcua_format_long_date  (const char     *iso);
G_GNUC_WARN_UNUSED_RESULT
char       *motcua_format_fee        (gint64          fee);
/* An office of @replica by name and code; one a reorganisation ended says so, with the office
 * that took its work over: "UBND xã Nậm Manh (LC.NN.NM), until 30/06/2025, now LC.NAMHANG". */
G_GNUC_WARN_UNUSED_RESULT
char       *motcua_format_office     (MotcuaReplica  *replica,
                                      const char     *code);
/* 1234567 → "1,234,567" (the translation picks the separator). */
G_GNUC_WARN_UNUSED_RESULT
char       *motcua_format_count      (gint64          n);
G_GNUC_WARN_UNUSED_RESULT
/* A procedure's time limit: "The same day", "3 working days", "15 days", "8 hours". */
char       *motcua_format_days       (guint           amount,
                                      MotcuaTimeUnit  unit);

/* An event of a case's timeline as one line: "Moved on: Received → In processing". */
G_GNUC_WARN_UNUSED_RESULT
char       *motcua_format_event      (const MotcuaCaseEvent *event);

/* Parses "YYYY-MM-DD" (or the date part of an ISO date-time). */
gboolean    motcua_parse_date        (const char     *iso,
                                      GDate          *out);

G_END_DECLS
