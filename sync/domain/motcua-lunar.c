/* motcua-lunar.c: the Vietnamese lunar calendar, from astronomy
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The calendar is built once for the whole range into a table of months, then every
 * conversion is a search in that table.
 *
 * Astronomy, all from J. Meeus, "Astronomical Algorithms" (2nd ed., 1998):
 *  - new moons: chapter 49, with its periodic and planetary corrections (error well under a
 *    minute);
 *  - the sun's apparent longitude: chapter 25's "higher accuracy" method, VSOP87 truncated to
 *    the terms of Meeus's appendix III, nutation from chapter 22 and aberration (error ~1″,
 *    which the sun crosses in about 25 seconds);
 *  - ΔT = TT − UT: the polynomials of Espenak and Meeus (NASA, 2006). After the 2020s ΔT is a
 *    forecast, some minutes uncertain by 2200, so the day of a far-future new moon falling within
 *    minutes of local midnight is uncertain in the same way.
 *
 * Checked while writing it: every month start of lunar years 1968–2199 agrees with the tables
 * Hồ Ngọc Đức publishes, except month 4 of 2054 (a new moon 23 seconds after midnight, by ΔT);
 * with UTC+8 the months of 1968–2048 agree with the Chinese calendar except in 1978.
 */

#include "config.h"

#include "motcua-lunar.h"

#include <math.h>

/* Julian Day Number of GDate's julian day 0 (GDate counts 1 January of year 1 as day 1). */
#define GDATE_JDN_OFFSET 1721425

#define J2000 2451545.0
#define DEG (G_PI / 180.0)

/* ------------------------------------------------------------------------------------------
 * Astronomy
 */

static double
normalize_degrees (double x)
{
  x = fmod (x, 360.0);
  if (x < 0)
    x += 360.0;
  return x;
}

/* ΔT in seconds for a decimal year (Espenak & Meeus). */
static double
delta_t_seconds (double y)
{
  double t, u;

  if (y < 1900)
    {
      t = y - 1860;
      return 7.62 + 0.5737 * t - 0.251754 * t * t + 0.01680668 * t * t * t
             - 0.0004473624 * pow (t, 4) + pow (t, 5) / 233174;
    }
  if (y < 1920)
    {
      t = y - 1900;
      return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t * t * t
             - 0.000197 * pow (t, 4);
    }
  if (y < 1941)
    {
      t = y - 1920;
      return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
    }
  if (y < 1961)
    {
      t = y - 1950;
      return 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
    }
  if (y < 1986)
    {
      t = y - 1975;
      return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
    }
  if (y < 2005)
    {
      t = y - 2000;
      return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t
             + 0.000651814 * pow (t, 4) + 0.00002373599 * pow (t, 5);
    }
  if (y < 2050)
    {
      t = y - 2000;
      return 62.92 + 0.32217 * t + 0.005589 * t * t;
    }

  u = (y - 1820) / 100;
  if (y < 2150)
    return -20 + 32 * u * u - 0.5628 * (2150 - y);
  return -20 + 32 * u * u;
}

/* ΔT in days at the Julian Day @jd. */
static double
delta_t_days (double jd)
{
  return delta_t_seconds (2000.0 + (jd - J2000) / 365.25) / 86400.0;
}

/* Terms of the new moon's correction (Meeus table 49.A): coefficient, then the multiples of
 * M (the sun's mean anomaly), M' (the moon's), F (the moon's argument of latitude) and Ω (the
 * longitude of its ascending node). Terms with M are multiplied by E^|multiple of M|. */
static const struct
{
  double coefficient;
  gint8  m, mp, f, omega;
} new_moon_terms[] = {
  { -0.40720, 0, 1, 0, 0 },
  { +0.17241, 1, 0, 0, 0 },
  { +0.01608, 0, 2, 0, 0 },
  { +0.01039, 0, 0, 2, 0 },
  { +0.00739, -1, 1, 0, 0 },
  { -0.00514, 1, 1, 0, 0 },
  { +0.00208, 2, 0, 0, 0 },
  { -0.00111, 0, 1, -2, 0 },
  { -0.00057, 0, 1, 2, 0 },
  { +0.00056, 1, 2, 0, 0 },
  { -0.00042, 0, 3, 0, 0 },
  { +0.00042, 1, 0, 2, 0 },
  { +0.00038, 1, 0, -2, 0 },
  { -0.00024, -1, 2, 0, 0 },
  { -0.00017, 0, 0, 0, 1 },
  { -0.00007, 2, 1, 0, 0 },
  { +0.00004, 0, 2, -2, 0 },
  { +0.00004, 3, 0, 0, 0 },
  { +0.00003, 1, 1, -2, 0 },
  { +0.00003, 0, 2, 2, 0 },
  { -0.00003, 1, 1, 2, 0 },
  { +0.00003, -1, 1, 2, 0 },
  { -0.00002, -1, 1, -2, 0 },
  { -0.00002, 1, 3, 0, 0 },
  { +0.00002, 0, 4, 0, 0 },
};

/* The planetary arguments A1…A14 (Meeus, end of chapter 49): constant, rate per lunation,
 * and the coefficient of the sine in days. A1 has also a term in T². */
static const struct
{
  double constant, rate, coefficient;
} new_moon_planetary[] = {
  { 299.77, 0.107408, 0.000325 },
  { 251.88, 0.016321, 0.000165 },
  { 251.83, 26.651886, 0.000164 },
  { 349.42, 36.412478, 0.000126 },
  { 84.66, 18.206239, 0.000110 },
  { 141.74, 53.303771, 0.000062 },
  { 207.14, 2.453732, 0.000060 },
  { 154.84, 7.306860, 0.000056 },
  { 34.52, 27.261239, 0.000047 },
  { 207.19, 0.121824, 0.000042 },
  { 291.34, 1.844379, 0.000040 },
  { 161.72, 24.198154, 0.000037 },
  { 239.56, 25.513099, 0.000035 },
  { 331.55, 3.592518, 0.000023 },
};

/* The Julian Ephemeris Day (TT) of new moon number @k, counted from the one of 6 January 2000. */
static double
new_moon_jde (int k)
{
  double t = k / 1236.85;
  double t2 = t * t, t3 = t2 * t, t4 = t3 * t;
  double jde, e, m, mp, f, omega;

  jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t2 - 0.000000150 * t3
        + 0.00000000073 * t4;
  e = 1 - 0.002516 * t - 0.0000074 * t2;
  m = (2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3) * DEG;
  mp = (201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4)
       * DEG;
  f = (160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4)
      * DEG;
  omega = (124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3) * DEG;

  for (guint i = 0; i < G_N_ELEMENTS (new_moon_terms); i++)
    {
      double c = new_moon_terms[i].coefficient;
      double arg = new_moon_terms[i].m * m + new_moon_terms[i].mp * mp
                   + new_moon_terms[i].f * f + new_moon_terms[i].omega * omega;

      for (int j = 0; j < ABS (new_moon_terms[i].m); j++)
        c *= e;
      jde += c * sin (arg);
    }

  for (guint i = 0; i < G_N_ELEMENTS (new_moon_planetary); i++)
    {
      double a = new_moon_planetary[i].constant + new_moon_planetary[i].rate * k;

      if (i == 0)
        a -= 0.009173 * t2;
      jde += new_moon_planetary[i].coefficient * sin (a * DEG);
    }

  return jde;
}

/* VSOP87 series of the Earth's heliocentric longitude, truncated (Meeus appendix III):
 * each term is A cos (B + C τ), A in 1e-8 radian, τ in Julian millennia from J2000. */
typedef struct
{
  double a, b, c;
} VsopTerm;

static const VsopTerm earth_l0[] = {
  { 175347046, 0, 0 },
  { 3341656, 4.6692568, 6283.0758500 },
  { 34894, 4.62610, 12566.15170 },
  { 3497, 2.7441, 5753.3849 },
  { 3418, 2.8289, 3.5231 },
  { 3136, 3.6277, 77713.7715 },
  { 2676, 4.4181, 7860.4194 },
  { 2343, 6.1352, 3930.2097 },
  { 1324, 0.7425, 11506.7698 },
  { 1273, 2.0371, 529.6910 },
  { 1199, 1.1096, 1577.3435 },
  { 990, 5.233, 5884.927 },
  { 902, 2.045, 26.298 },
  { 857, 3.508, 398.149 },
  { 780, 1.179, 5223.694 },
  { 753, 2.533, 5507.553 },
  { 505, 4.583, 18849.228 },
  { 492, 4.205, 775.523 },
  { 357, 2.920, 0.067 },
  { 317, 5.849, 11790.629 },
  { 284, 1.899, 796.298 },
  { 271, 0.315, 10977.079 },
  { 243, 0.345, 5486.778 },
  { 206, 4.806, 2544.314 },
  { 205, 1.869, 5573.143 },
  { 202, 2.458, 6069.777 },
  { 156, 0.833, 213.299 },
  { 132, 3.411, 2942.463 },
  { 126, 1.083, 20.775 },
  { 115, 0.645, 0.980 },
  { 103, 0.636, 4694.003 },
  { 102, 0.976, 15720.839 },
  { 102, 4.267, 7.114 },
  { 99, 6.21, 2146.17 },
  { 98, 0.68, 155.42 },
  { 86, 5.98, 161000.69 },
  { 85, 1.30, 6275.96 },
  { 85, 3.67, 71430.70 },
  { 80, 1.81, 17260.15 },
  { 79, 3.04, 12036.46 },
  { 75, 1.76, 5088.63 },
  { 74, 3.50, 3154.69 },
  { 74, 4.68, 801.82 },
  { 70, 0.83, 9437.76 },
  { 62, 3.98, 8827.39 },
  { 61, 1.82, 7084.90 },
  { 57, 2.78, 6286.60 },
  { 56, 4.39, 14143.50 },
  { 56, 3.47, 6279.55 },
  { 52, 0.19, 12139.55 },
  { 52, 1.33, 1748.02 },
  { 51, 0.28, 5856.48 },
  { 49, 0.49, 1194.45 },
  { 41, 5.37, 8429.24 },
  { 41, 2.40, 19651.05 },
  { 39, 6.17, 10447.39 },
  { 37, 6.04, 10213.29 },
  { 37, 2.57, 1059.38 },
  { 36, 1.71, 2352.87 },
  { 36, 1.78, 6812.77 },
  { 33, 0.59, 17789.85 },
  { 30, 0.44, 83996.85 },
  { 30, 2.74, 1349.87 },
  { 25, 3.16, 4690.48 },
};

static const VsopTerm earth_l1[] = {
  { 628331966747.0, 0, 0 },
  { 206059, 2.678235, 6283.075850 },
  { 4303, 2.6351, 12566.1517 },
  { 425, 1.590, 3.523 },
  { 119, 5.796, 26.298 },
  { 109, 2.966, 1577.344 },
  { 93, 2.59, 18849.23 },
  { 72, 1.14, 529.69 },
  { 68, 1.87, 398.15 },
  { 67, 4.41, 5507.55 },
  { 59, 2.89, 5223.69 },
  { 56, 2.17, 155.42 },
  { 45, 0.40, 796.30 },
  { 36, 0.47, 775.52 },
  { 29, 2.65, 7.11 },
  { 21, 5.34, 0.98 },
  { 19, 1.85, 5486.78 },
  { 19, 4.97, 213.30 },
  { 17, 2.99, 6275.96 },
  { 16, 0.03, 2544.31 },
  { 16, 1.43, 2146.17 },
  { 15, 1.21, 10977.08 },
  { 12, 2.83, 1748.02 },
  { 12, 3.26, 5088.63 },
  { 12, 5.27, 1194.45 },
  { 12, 2.08, 4694.00 },
  { 11, 0.77, 553.57 },
  { 10, 1.30, 6286.60 },
  { 10, 4.24, 1349.87 },
  { 9, 2.70, 242.73 },
  { 9, 5.64, 951.72 },
  { 8, 5.30, 2352.87 },
  { 6, 2.65, 9437.76 },
  { 6, 4.67, 4690.48 },
};

static const VsopTerm earth_l2[] = {
  { 52919, 0, 0 },
  { 8720, 1.0721, 6283.0758 },
  { 309, 0.867, 12566.152 },
  { 27, 0.05, 3.52 },
  { 16, 5.19, 26.30 },
  { 16, 3.68, 155.42 },
  { 10, 0.76, 18849.23 },
  { 9, 2.06, 77713.77 },
  { 7, 0.83, 775.52 },
  { 5, 4.66, 1577.34 },
  { 4, 1.03, 7.11 },
  { 4, 3.44, 5573.14 },
  { 3, 5.14, 796.30 },
  { 3, 6.05, 5507.55 },
  { 3, 1.19, 242.73 },
  { 3, 6.12, 529.69 },
  { 3, 0.31, 398.15 },
  { 3, 2.28, 553.57 },
  { 2, 4.38, 5223.69 },
  { 2, 3.75, 0.98 },
};

static const VsopTerm earth_l3[] = {
  { 289, 5.844, 6283.076 },
  { 35, 0, 0 },
  { 17, 5.49, 12566.15 },
  { 3, 5.20, 155.42 },
  { 1, 4.72, 3.52 },
  { 1, 5.30, 18849.23 },
  { 1, 5.97, 242.73 },
};

static const VsopTerm earth_l4[] = {
  { 114, 3.142, 0 },
  { 8, 4.13, 6283.08 },
  { 1, 3.84, 12566.15 },
};

static const VsopTerm earth_l5[] = {
  { 1, 3.14, 0 },
};

static double
vsop_sum (const VsopTerm *terms,
          guint           n_terms,
          double          tau)
{
  double sum = 0;

  for (guint i = 0; i < n_terms; i++)
    sum += terms[i].a * cos (terms[i].b + terms[i].c * tau);
  return sum;
}

/* The sun's apparent geocentric longitude, in degrees in [0, 360), at the Julian Ephemeris Day
 * @jde: the true equinox of date, with nutation and aberration. */
static double
sun_apparent_longitude (double jde)
{
  double tau = (jde - J2000) / 365250.0;
  double t = tau * 10.0;
  double l, r, omega, lsun, lmoon, nutation, longitude;

  l = vsop_sum (earth_l5, G_N_ELEMENTS (earth_l5), tau);
  l = l * tau + vsop_sum (earth_l4, G_N_ELEMENTS (earth_l4), tau);
  l = l * tau + vsop_sum (earth_l3, G_N_ELEMENTS (earth_l3), tau);
  l = l * tau + vsop_sum (earth_l2, G_N_ELEMENTS (earth_l2), tau);
  l = l * tau + vsop_sum (earth_l1, G_N_ELEMENTS (earth_l1), tau);
  l = l * tau + vsop_sum (earth_l0, G_N_ELEMENTS (earth_l0), tau);
  l = l / 1e8 / DEG;

  /* The Earth–sun distance in AU, to the 1e-6 the aberration needs. */
  r = 1.00013989 + 0.01670700 * cos (3.0984635 + 6283.0758500 * tau)
      + 0.00013956 * cos (3.05525 + 12566.15170 * tau);

  /* Nutation in longitude (Meeus chapter 22, to 0.5″). */
  omega = (125.04452 - 1934.136261 * t) * DEG;
  lsun = (280.4665 + 36000.7698 * t) * DEG;
  lmoon = (218.3165 + 481267.8813 * t) * DEG;
  nutation = -17.20 * sin (omega) - 1.32 * sin (2 * lsun) - 0.23 * sin (2 * lmoon)
             + 0.21 * sin (2 * omega);

  /* Geocentric = heliocentric + 180°; then to FK5, nutation, aberration (in arc seconds). */
  longitude = l + 180.0 + (-0.09033 + nutation - 20.4898 / r) / 3600.0;
  return normalize_degrees (longitude);
}

/* The Julian Day Number of the local day, @offset days east of Greenwich, holding new moon
 * number @k. */
static int
new_moon_day (int    k,
              double offset)
{
  double jde = new_moon_jde (k);
  double jd_ut = jde - delta_t_days (jde);

  return (int) floor (jd_ut + offset + 0.5);
}

/* The 30° sector (0 to 11) that holds the sun at the local midnight starting the day @jdn:
 * the major solar terms are the sector boundaries, the December solstice entering sector 9. */
static int
sun_sector_at_day_start (int    jdn,
                         double offset)
{
  double jd_ut = jdn - 0.5 - offset;
  double jde = jd_ut + delta_t_days (jd_ut);

  return (int) (sun_apparent_longitude (jde) / 30.0) % 12;
}

/* ------------------------------------------------------------------------------------------
 * The table of months
 */

typedef struct
{
  gint32 jdn;   /* first day */
  gint16 year;
  gint8  month;
  gint8  leap;
} LunarMonth;

#define N_YEARS (MOTCUA_LUNAR_MAX_YEAR - MOTCUA_LUNAR_MIN_YEAR + 1)

/* Vietnam reckoned its calendar for UTC+8, like China, until Decision 121-CP of 8 August 1967
 * moved it to UTC+7 from lunar year 1968 (Mậu Thân) on. */
#define UTC7_FIRST_YEAR 1968

typedef struct
{
  /* Every month from month 11 of lunar year MIN_YEAR − 1 to the end of MAX_YEAR, then one
   * sentinel month holding the first day of MAX_YEAR + 1. */
  LunarMonth *months;
  guint       n_months;
  /* The index in @months of month 1 of each year, and of MAX_YEAR + 1 at the end. */
  guint       first_month[N_YEARS + 1];
} LunarTable;

static int
jdn_from_dmy (int day,
              int month,
              int year)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  return (int) g_date_get_julian (&date) + GDATE_JDN_OFFSET;
}

/* How many boundaries between sectors the sun crosses from @from to @to (0, 1 or 2 in a
 * month). */
static int
sectors_crossed (int from,
                 int to)
{
  return (to - from + 12) % 12;
}

/* Appends to @months, in order, the months of lunar years @first_year to @last_year reckoned
 * @offset days east of Greenwich (months 11 and 12 of @first_year − 1 included if
 * @with_previous). */
static void
append_months (GArray  *months,
               double   offset,
               int      first_year,
               int      last_year,
               gboolean with_previous)
{
  g_autofree int *day = NULL;
  g_autofree int *sector = NULL;
  g_autoptr(GArray) month11 = g_array_new (FALSE, FALSE, sizeof (int));
  int k_first, k_last, n;

  /* New moons from before the solstice of @first_year − 1 to after the one of @last_year + 1,
   * to find the months 11 of those solstices. */
  k_first = (int) floor ((jdn_from_dmy (1, 10, first_year - 1) - 2451550.1) / 29.530588861);
  k_last = (int) ceil ((jdn_from_dmy (1, 3, last_year + 2) - 2451550.1) / 29.530588861);
  n = k_last - k_first + 1;
  day = g_new (int, n);
  sector = g_new (int, n);
  for (int i = 0; i < n; i++)
    {
      day[i] = new_moon_day (k_first + i, offset);
      sector[i] = sun_sector_at_day_start (day[i], offset);
    }

  /* Month i runs from day[i] to day[i + 1] − 1; it is month 11 when the sun enters sector 9
   * (the December solstice) during it. */
  for (int i = 0; i + 1 < n; i++)
    {
      int crossed = sectors_crossed (sector[i], sector[i + 1]);

      for (int c = 1; c <= crossed; c++)
        if ((sector[i] + c) % 12 == 9)
          g_array_append_val (month11, i);
    }
  g_assert (month11->len == (guint) (last_year - first_year + 3));

  /* One solar year from solstice to solstice at a time: its months 11 and 12 (and a leap 11 or
   * 12) belong to the lunar year of its first solstice, the rest to the next lunar year. */
  for (guint s = 0; s + 1 < month11->len; s++)
    {
      int a = g_array_index (month11, int, s);
      int b = g_array_index (month11, int, s + 1);
      int year = first_year - 1 + (int) s;
      int leap_offset = -1;
      int number = 11;
      int owner = year;

      g_assert (b - a == 12 || b - a == 13);
      if (b - a == 13)
        {
          for (int j = 1; j < 13 && leap_offset < 0; j++)
            if (sectors_crossed (sector[a + j], sector[a + j + 1]) == 0)
              leap_offset = j;
          g_assert (leap_offset > 0);
        }

      for (int j = 0; j < b - a; j++)
        {
          LunarMonth month = { 0, };

          if (j != leap_offset && j != 0)
            number = number % 12 + 1;
          if (number == 1 && j != leap_offset)
            owner = year + 1;
          if (owner < first_year && !with_previous)
            continue;
          if (owner > last_year)
            break;
          month.jdn = day[a + j];
          month.year = owner;
          month.month = number;
          month.leap = (j == leap_offset);
          g_array_append_val (months, month);
        }
    }
}

static LunarTable *
lunar_table_build (void)
{
  LunarTable *table = g_new0 (LunarTable, 1);
  g_autoptr(GArray) months = g_array_new (FALSE, FALSE, sizeof (LunarMonth));
  LunarMonth end = { 0, };

  append_months (months, 8.0 / 24.0, MOTCUA_LUNAR_MIN_YEAR, UTC7_FIRST_YEAR - 1, TRUE);
  append_months (months, 7.0 / 24.0, UTC7_FIRST_YEAR, MOTCUA_LUNAR_MAX_YEAR + 1, FALSE);

  /* Keep month 1 of MAX_YEAR + 1 as the sentinel. */
  while (g_array_index (months, LunarMonth, months->len - 1).year > MOTCUA_LUNAR_MAX_YEAR)
    {
      end = g_array_index (months, LunarMonth, months->len - 1);
      g_array_set_size (months, months->len - 1);
    }
  g_assert (end.year == MOTCUA_LUNAR_MAX_YEAR + 1 && end.month == 1 && !end.leap);
  g_array_append_val (months, end);

  table->n_months = months->len;
  table->months = (LunarMonth *) (void *) g_array_free (g_steal_pointer (&months), FALSE);

  for (guint i = 0, y = 0; i < table->n_months && y <= N_YEARS; i++)
    {
      const LunarMonth *m = &table->months[i];

      if (i > 0)
        {
          int length = m->jdn - m[-1].jdn;

          g_assert (length == 29 || length == 30);
        }
      if (m->month == 1 && !m->leap && m->year == MOTCUA_LUNAR_MIN_YEAR + (int) y)
        table->first_month[y++] = i;
    }
  g_assert (table->first_month[N_YEARS] == table->n_months - 1);

  return table;
}

static const LunarTable *
lunar_table (void)
{
  static LunarTable *table;

  if (g_once_init_enter (&table))
    g_once_init_leave (&table, lunar_table_build ());
  return table;
}

/* The index of the month holding @jdn, or -1 outside the range. */
static int
lunar_month_index (const LunarTable *table,
                   int               jdn)
{
  guint lo = table->first_month[0];
  guint hi = table->first_month[N_YEARS];

  if (jdn < table->months[lo].jdn || jdn >= table->months[hi].jdn)
    return -1;

  /* The last month of [lo, hi) starting on or before @jdn. */
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (table->months[mid].jdn <= jdn)
        lo = mid;
      else
        hi = mid;
    }
  return (int) lo;
}

/* The index of month @month (@leap) of lunar @year, or -1 if there is none. */
static int
lunar_find_month (const LunarTable *table,
                  int               year,
                  int               month,
                  gboolean          leap)
{
  if (year < MOTCUA_LUNAR_MIN_YEAR || year > MOTCUA_LUNAR_MAX_YEAR || month < 1 || month > 12)
    return -1;

  for (guint i = table->first_month[year - MOTCUA_LUNAR_MIN_YEAR];
       i < table->first_month[year - MOTCUA_LUNAR_MIN_YEAR + 1];
       i++)
    {
      if (table->months[i].month == month && !table->months[i].leap == !leap)
        return (int) i;
    }
  return -1;
}

/* ------------------------------------------------------------------------------------------
 * Public API
 */

gboolean
motcua_lunar_from_solar (const GDate     *solar,
                         MotcuaLunarDate *out)
{
  const LunarTable *table;
  const LunarMonth *month;
  int jdn, index;

  g_return_val_if_fail (solar != NULL && g_date_valid (solar), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  table = lunar_table ();
  jdn = (int) g_date_get_julian (solar) + GDATE_JDN_OFFSET;
  index = lunar_month_index (table, jdn);
  if (index < 0)
    return FALSE;

  month = &table->months[index];
  out->year = month->year;
  out->month = month->month;
  out->day = jdn - month->jdn + 1;
  out->leap = month->leap != 0;
  return TRUE;
}

gboolean
motcua_lunar_to_solar (const MotcuaLunarDate *lunar,
                       GDate                 *out)
{
  const LunarTable *table;
  int index, length;

  g_return_val_if_fail (lunar != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  table = lunar_table ();
  index = lunar_find_month (table, lunar->year, lunar->month, lunar->leap);
  if (index < 0)
    return FALSE;

  length = table->months[index + 1].jdn - table->months[index].jdn;
  if (lunar->day < 1 || lunar->day > length)
    return FALSE;

  g_date_clear (out, 1);
  g_date_set_julian (out, table->months[index].jdn + lunar->day - 1 - GDATE_JDN_OFFSET);
  return TRUE;
}

int
motcua_lunar_month_length (int      year,
                           int      month,
                           gboolean leap)
{
  const LunarTable *table = lunar_table ();
  int index = lunar_find_month (table, year, month, leap);

  if (index < 0)
    return 0;
  return table->months[index + 1].jdn - table->months[index].jdn;
}

int
motcua_lunar_leap_month (int year)
{
  const LunarTable *table = lunar_table ();

  if (year < MOTCUA_LUNAR_MIN_YEAR || year > MOTCUA_LUNAR_MAX_YEAR)
    return 0;

  for (guint i = table->first_month[year - MOTCUA_LUNAR_MIN_YEAR];
       i < table->first_month[year - MOTCUA_LUNAR_MIN_YEAR + 1];
       i++)
    {
      if (table->months[i].leap)
        return table->months[i].month;
    }
  return 0;
}

gboolean
motcua_lunar_tet (int    year,
                  GDate *out)
{
  MotcuaLunarDate tet = { year, 1, 1, FALSE };

  g_return_val_if_fail (out != NULL, FALSE);

  return motcua_lunar_to_solar (&tet, out);
}

gboolean
motcua_lunar_hung_kings_day (int    year,
                             GDate *out)
{
  MotcuaLunarDate day = { year, 3, 10, FALSE };

  g_return_val_if_fail (out != NULL, FALSE);

  return motcua_lunar_to_solar (&day, out);
}
