#pragma once

#include "motcua-inside.h"
#include <glib.h>

G_BEGIN_DECLS

/* The Vietnamese lunisolar calendar (âm lịch), computed from astronomy: a month begins on the
 * local day of a new moon; month 11 is the month that holds the December solstice; when 13 new
 * moons begin between two months 11, the first of them without a major solar term (the sun
 * entering a multiple of 30° of longitude) is a leap month (tháng nhuận) and repeats the number
 * of the month before it.
 *
 * Days are reckoned for the meridian of UTC+7 (105° E) from lunar year 1968 (Mậu Thân) on, as
 * decided in 1967 (Decision 121-CP). Before that Vietnam used the Chinese reckoning for UTC+8,
 * and so does this calendar for lunar years 1900–1967. UTC+7 and UTC+8 disagree whenever a new
 * moon or a solar term falls between 0:00 and 1:00 Beijing time: Tết was on 29 January 1968,
 * 16 February 1969, 21 January 1985 and 17 February 2007 in Vietnam (30 January, 17 February,
 * 20 February and 18 February in China), and will be on 2 February 2030 and 18 February 2053
 * (3 February and 19 February in China).
 *
 * The range is the lunar years MOTCUA_LUNAR_MIN_YEAR to MOTCUA_LUNAR_MAX_YEAR: from 31 January
 * 1900 (1/1 Canh Tý) to the eve of Tết 2200. Every function refuses dates outside it. The first
 * call computes the whole range (some 20 ms); later calls are table look-ups, safe from
 * any thread. Future dates rest on a forecast of the Earth's rotation (ΔT): a new moon within a
 * minute or two of midnight, as on 8 May 2054, may fall on the other day when the time comes. */

#define MOTCUA_LUNAR_MIN_YEAR 1900
#define MOTCUA_LUNAR_MAX_YEAR 2199

/**
 * MotcuaLunarDate:
 * @year: the lunar year; months 11 and 12 of @year may fall in January of @year + 1
 * @month: 1 to 12
 * @day: 1 to 29 or 30
 * @leap: TRUE for the leap (nhuận) month that repeats @month
 */
typedef struct
{
  int      year;
  int      month;
  int      day;
  gboolean leap;
} MotcuaLunarDate;

/* Converts the valid Gregorian date @solar; FALSE, leaving @out untouched, outside the range. */
gboolean motcua_lunar_from_solar        (const GDate           *solar,
                                         MotcuaLunarDate       *out);

/* Converts @lunar to a Gregorian date; FALSE, leaving @out untouched, when the year is outside
 * the range or the date does not exist (month 0 or 13, day 30 of a 29-day month, a leap flag on
 * a month that is not repeated that year). */
gboolean motcua_lunar_to_solar          (const MotcuaLunarDate *lunar,
                                         GDate                 *out);

/* The number of days (29 or 30) of the month; 0 if it does not exist. */
int      motcua_lunar_month_length      (int                    year,
                                         int                    month,
                                         gboolean               leap);

/* The month repeated as a leap month in lunar @year, 0 if none (or @year is out of range). */
int      motcua_lunar_leap_month        (int                    year);

/* Tết Nguyên đán: the Gregorian date of day 1 of month 1 of lunar @year. */
gboolean motcua_lunar_tet               (int                    year,
                                         GDate                 *out);

/* Giỗ Tổ Hùng Vương: the Gregorian date of day 10 of month 3 (never the leap month 3) of lunar
 * @year. */
gboolean motcua_lunar_hung_kings_day    (int                    year,
                                         GDate                 *out);

G_END_DECLS
