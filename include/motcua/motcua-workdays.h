#pragma once

#include "motcua-inside.h"
#include <glib.h>
#include <glib-object.h>

G_BEGIN_DECLS

/* Working days (ngày làm việc), in which processing times are counted.
 *
 * The default for any year is Monday to Friday minus the public holidays of the Labour Code 2019
 * (Bộ luật Lao động 2019, article 112), applied to every year:
 *  - Tết Dương lịch: 1 January;
 *  - Tết Nguyên đán: 5 days, the last day of the old lunar year and days 1 to 4 of the new;
 *  - Giỗ Tổ Hùng Vương: day 10 of lunar month 3;
 *  - Ngày Chiến thắng: 30 April; Ngày Quốc tế Lao động: 1 May;
 *  - Quốc khánh: 2 September and one day next to it, chosen to give the longest break: 1
 *    September when 2 September is a Tuesday, Friday or Saturday, otherwise 3 September. So a
 *    Monday gives Saturday–Tuesday, a Tuesday Saturday–Tuesday, a Thursday Thursday–Sunday, a
 *    Friday Thursday–Sunday (as decided for 2022), a Saturday Friday–Monday with the day in lieu
 *    (as for 2023), a Sunday Saturday–Tuesday (the day in lieu either way); a Wednesday joins no
 *    weekend either way and takes Thursday 3 September.
 * A holiday on a Saturday or Sunday gives a day off in lieu (nghỉ bù, article 111) on the next
 * day that is neither a weekend, a holiday nor already a day in lieu; holidays are served in
 * date order, so 30 April and 1 May on a weekend give the following Monday and Tuesday. Two
 * holidays on the same date (Giỗ Tổ on 30 April, as in 1917 and 1947) are one day off, with no
 * day in lieu for the coincidence. The lunar holidays exist for the years of the lunar calendar
 * (1900–2199) only.
 *
 * Every year the Prime Minister decides the actual Tết and Quốc khánh days and the swaps of
 * working days, which the province publishes: those dates are set on a MotcuaCalendar as
 * overrides, each replacing the default of its date alone. A published schedule therefore sets
 * every date where it differs from the default, including default days off that it makes
 * working days. */

/**
 * MotcuaDayKind:
 * @MOTCUA_DAY_WORKING: a working day, a make-up Saturday (ngày làm bù) included
 * @MOTCUA_DAY_WEEKEND: Saturday or Sunday
 * @MOTCUA_DAY_HOLIDAY: a statutory public holiday (ngày nghỉ lễ, tết)
 * @MOTCUA_DAY_OFF: a day off in lieu (nghỉ bù) or an extra day off announced
 */
typedef enum
{
  MOTCUA_DAY_WORKING,
  MOTCUA_DAY_WEEKEND,
  MOTCUA_DAY_HOLIDAY,
  MOTCUA_DAY_OFF,
} MotcuaDayKind;

/**
 * MotcuaHoliday:
 * @date: the day
 * @kind: %MOTCUA_DAY_HOLIDAY or %MOTCUA_DAY_OFF (a day in lieu)
 * @name: its Vietnamese name ("Tết Nguyên đán", "Nghỉ bù Quốc khánh"), static
 */
typedef struct
{
  GDate         date;
  MotcuaDayKind kind;
  const char   *name;
} MotcuaHoliday;

/* The statutory holidays and days in lieu of the Gregorian @year (1 to 9999) by the default
 * rules, sorted by date, one per date: an array of MotcuaHoliday. */
G_GNUC_WARN_UNUSED_RESULT
GArray          *motcua_statutory_holidays        (int                year);

/**
 * MotcuaCalendar:
 *
 * A province's working-day calendar: the default rules plus the days it published. A
 * refcounted boxed type; it may be shared between threads (its methods lock it). It caches the
 * days of each year it is asked about, so a due date takes about a microsecond.
 */
typedef struct _MotcuaCalendar MotcuaCalendar;

#define MOTCUA_TYPE_CALENDAR (motcua_calendar_get_type ())

GType            motcua_calendar_get_type         (void) G_GNUC_CONST;

G_GNUC_WARN_UNUSED_RESULT
MotcuaCalendar  *motcua_calendar_new              (void);
MotcuaCalendar  *motcua_calendar_ref              (MotcuaCalendar    *self);
void             motcua_calendar_unref            (MotcuaCalendar    *self);

/* Publishes @kind for @date, replacing the default and any earlier override of that date.
 * @name (nullable, copied) says why: "Làm bù cho thứ Sáu 02/5", "Nghỉ Tết Nguyên đán". */
void             motcua_calendar_set_day          (MotcuaCalendar    *self,
                                                   const GDate       *date,
                                                   MotcuaDayKind      kind,
                                                   const char        *name);
/* Withdraws the override of @date, if any, back to the default. */
/* The province published the whole schedule of @year: the statutory default no longer applies to
 * it, and its non-working weekdays and make-up Saturdays are exactly the days set on it. */
void             motcua_calendar_set_year_published (MotcuaCalendar *self,
                                                     int             year);
void             motcua_calendar_clear_day        (MotcuaCalendar    *self,
                                                   const GDate       *date);

/* What @date is. @name_out (nullable) receives the name of the holiday, day off or override,
 * or NULL; the string lives as long as the process. */
MotcuaDayKind    motcua_calendar_get_day          (MotcuaCalendar    *self,
                                                   const GDate       *date,
                                                   const char       **name_out);
gboolean         motcua_calendar_is_working_day   (MotcuaCalendar    *self,
                                                   const GDate       *date);

/* The due date of a case received on @start with @n working days to process it: with @n = 0,
 * @start itself if it is a working day, else the next working day; otherwise the @n-th working
 * day strictly after @start. Working days are counted to 31 December 9999; past it @due_out is
 * cleared (invalid). */
void             motcua_calendar_add_working_days (MotcuaCalendar    *self,
                                                   const GDate       *start,
                                                   guint              n,
                                                   GDate             *due_out);

/**
 * MotcuaTimeliness:
 * @MOTCUA_TIMELINESS_EARLY: resolved before the due date (trước hạn)
 * @MOTCUA_TIMELINESS_ON_TIME: resolved on the due date (đúng hạn)
 * @MOTCUA_TIMELINESS_LATE: resolved after the due date (quá hạn)
 */
typedef enum
{
  MOTCUA_TIMELINESS_EARLY,
  MOTCUA_TIMELINESS_ON_TIME,
  MOTCUA_TIMELINESS_LATE,
} MotcuaTimeliness;

MotcuaTimeliness motcua_timeliness                (const GDate       *resolved,
                                                   const GDate       *due);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaCalendar, motcua_calendar_unref)

G_END_DECLS
