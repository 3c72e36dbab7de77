#pragma once

#include "motcua-inside.h"
#include <glib-object.h>

#include "motcua-replica.h"

G_BEGIN_DECLS

/**
 * MotcuaReportFigures:
 *
 * The standard one-stop report for one office and period [from, to] (dates inclusive). A case
 * belongs to its receiving office.
 * - received: carried over (received before the period and still open at its start) plus new in
 *   the period, split online and direct (counter, postal service, home visit);
 * - resolved in the period: early, on time, late against the due date;
 * - withdrawn or cancelled in the period;
 * - in progress at the end of the period: within the deadline, overdue (judged as of today
 *   while the period is still running), or waiting for the applicant's supplement, whose clock
 *   is stopped: neither within nor overdue;
 * - online rate: new online / new; digitisation rate: new with a scanned dossier / new.
 * received_total = resolved_total + withdrawn + pending_total.
 */
typedef struct
{
  gint64 carried_over;
  gint64 new_online;
  gint64 new_direct;
  gint64 new_postal;       /* part of new_direct */
  gint64 received_total;
  gint64 resolved_early;
  gint64 resolved_on_time;
  gint64 resolved_late;
  gint64 resolved_total;
  gint64 withdrawn;
  gint64 pending_within;
  gint64 pending_overdue;
  gint64 pending_supplement;   /* waiting for the applicant's supplement */
  gint64 pending_total;
  gint64 digitised;
} MotcuaReportFigures;

double motcua_report_figures_online_rate       (const MotcuaReportFigures *figures);
double motcua_report_figures_digitisation_rate (const MotcuaReportFigures *figures);

typedef struct
{
  char               *office_code;
  char               *office_name;
  MotcuaLevel         level;
  guint               depth;    /* 0 for the office asked for */
  MotcuaReportFigures own;      /* the office's own cases */
  MotcuaReportFigures total;    /* its own plus every office below it */
} MotcuaReportRow;

/* Reporting periods as the rules close them (Decree 09/2019/NĐ-CP, article 12): a month runs
 * from the 15th of the month before to the 14th, a quarter from the 15th of the month before it
 * to the 14th of its last month, a half-year from 15 December (15 June) to 14 June (14 December),
 * a year from 15 December of the year before to 14 December. */
typedef enum
{
  MOTCUA_PERIOD_MONTH,
  MOTCUA_PERIOD_QUARTER,
  MOTCUA_PERIOD_HALF,
  MOTCUA_PERIOD_YEAR,
} MotcuaPeriodKind;

/* The first and last day (YYYY-MM-DD) of period @number of @year: a month 1–12, a quarter 1–4,
 * a half 1–2, or 1 for the year; FALSE if there is no such period. */
gboolean motcua_report_period       (MotcuaPeriodKind   kind,
                                     int                year,
                                     int                number,
                                     char               from[11],
                                     char               to[11]);
/* The period of @kind that @day (YYYY-MM-DD) falls in, as its year and number. */
gboolean motcua_report_period_of    (MotcuaPeriodKind   kind,
                                     const char        *day,
                                     int               *year_out,
                                     int               *number_out);
/* A period by name: "2026-11" (month), "2026-Q4", "2026-H2", "2026" (year). */
gboolean motcua_report_period_parse (const char        *text,
                                     MotcuaPeriodKind  *kind_out,
                                     int               *year_out,
                                     int               *number_out,
                                     GError           **error);

typedef struct _MotcuaReport MotcuaReport;

#define MOTCUA_TYPE_REPORT (motcua_report_get_type ())
GType         motcua_report_get_type   (void) G_GNUC_CONST;

G_GNUC_WARN_UNUSED_RESULT
MotcuaReport *motcua_replica_report    (MotcuaReplica *self,
                                        const char    *office_code,
                                        const char    *from,
                                        const char    *to,
                                        GError       **error);
MotcuaReport *motcua_report_ref        (MotcuaReport  *self);
void          motcua_report_unref      (MotcuaReport  *self);
const char   *motcua_report_get_from   (MotcuaReport  *self);
const char   *motcua_report_get_to     (MotcuaReport  *self);
guint         motcua_report_get_n_rows (MotcuaReport  *self);
/* Rows in tree order: the office asked for first, then its subtree depth-first. */
const MotcuaReportRow *motcua_report_get_row (MotcuaReport *self,
                                              guint         index);
const MotcuaReportRow *motcua_report_find    (MotcuaReport *self,
                                              const char   *office_code);

G_GNUC_WARN_UNUSED_RESULT
char         *motcua_report_to_text    (MotcuaReport  *self);
G_GNUC_WARN_UNUSED_RESULT
char         *motcua_report_to_csv     (MotcuaReport  *self);
G_GNUC_WARN_UNUSED_RESULT
char         *motcua_report_to_json    (MotcuaReport  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaReport, motcua_report_unref)

G_END_DECLS
