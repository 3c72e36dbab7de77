/* test-lunar.c: the Vietnamese lunar calendar
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_INSIDE
#include "motcua-lunar.h"
#include "motcua-test-utils.h"

typedef struct
{
  int year, month, day;
} Ymd;

static void
date_set (GDate *date,
          int    year,
          int    month,
          int    day)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
}

static void
assert_lunar (int      year,
              int      month,
              int      day,
              int      lunar_year,
              int      lunar_month,
              int      lunar_day,
              gboolean leap)
{
  GDate date;
  MotcuaLunarDate lunar = { 0, };

  date_set (&date, year, month, day);
  g_assert_true (motcua_lunar_from_solar (&date, &lunar));
  g_assert_cmpint (lunar.year, ==, lunar_year);
  g_assert_cmpint (lunar.month, ==, lunar_month);
  g_assert_cmpint (lunar.day, ==, lunar_day);
  g_assert_cmpint (lunar.leap, ==, leap);
}

/* The first calls of the process race to build the table. */
static gpointer
tet_thread (gpointer data)
{
  int year = GPOINTER_TO_INT (data);
  GDate date;

  g_assert_true (motcua_lunar_tet (year, &date));
  return GINT_TO_POINTER (g_date_get_julian (&date));
}

static void
test_first_call_threads (void)
{
  GThread *threads[8];
  GDate expected;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("tet", tet_thread, GINT_TO_POINTER (2020 + (int) i));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      guint julian = GPOINTER_TO_UINT (g_thread_join (threads[i]));

      g_assert_true (motcua_lunar_tet (2020 + (int) i, &expected));
      g_assert_cmpuint (julian, ==, g_date_get_julian (&expected));
    }
}

static void
test_tet_known (void)
{
  /* Vietnamese Tết, from published Vietnamese calendars. */
  static const Ymd known[] = {
    { 1968, 1, 29 }, { 1969, 2, 16 }, { 1975, 2, 11 }, { 1976, 1, 31 }, { 1984, 2, 2 },
    { 1985, 1, 21 }, { 1986, 2, 9 },  { 1990, 1, 27 }, { 1995, 1, 31 }, { 2000, 2, 5 },
    { 2001, 1, 24 }, { 2004, 1, 22 }, { 2007, 2, 17 }, { 2008, 2, 7 },  { 2010, 2, 14 },
    { 2012, 1, 23 }, { 2014, 1, 31 }, { 2015, 2, 19 }, { 2017, 1, 28 }, { 2019, 2, 5 },
    { 2020, 1, 25 }, { 2021, 2, 12 }, { 2022, 2, 1 },  { 2023, 1, 22 }, { 2024, 2, 10 },
    { 2025, 1, 29 }, { 2026, 2, 17 }, { 2027, 2, 6 },  { 2028, 1, 26 }, { 2030, 2, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      GDate date;

      g_assert_true (motcua_lunar_tet (known[i].year, &date));
      motcua_test_assert_date (&date, known[i].year, known[i].month, known[i].day);
      assert_lunar (known[i].year, known[i].month, known[i].day, known[i].year, 1, 1, FALSE);
    }

  /* The first years of the range were reckoned for UTC+8. */
  {
    GDate date;

    g_assert_true (motcua_lunar_tet (1900, &date));
    motcua_test_assert_date (&date, 1900, 1, 31);
    g_assert_true (motcua_lunar_tet (1967, &date));
    motcua_test_assert_date (&date, 1967, 2, 9);
  }
}

/* Years where UTC+7 gives another Tết than UTC+8: the Chinese New Year is a later day. */
static void
test_tet_not_chinese (void)
{
  /* Chinese New Year 1968, 1969, 2007 and 2030 is day 2 of the Vietnamese year. */
  assert_lunar (1968, 1, 30, 1968, 1, 2, FALSE);
  assert_lunar (1969, 2, 17, 1969, 1, 2, FALSE);
  assert_lunar (2007, 2, 18, 2007, 1, 2, FALSE);
  assert_lunar (2030, 2, 3, 2030, 1, 2, FALSE);
  /* 1985: the Chinese New Year, 20 February, begins the second Vietnamese month, and Vietnam
   * repeats month 2 where China had repeated month 10 of 1984. */
  assert_lunar (1985, 2, 20, 1985, 2, 1, FALSE);
  assert_lunar (1985, 1, 20, 1984, 12, 30, FALSE);
  g_assert_cmpint (motcua_lunar_leap_month (1984), ==, 0);
  g_assert_cmpint (motcua_lunar_leap_month (1985), ==, 2);
  /* 1987: leap month 7 in Vietnam, 6 in China. */
  g_assert_cmpint (motcua_lunar_leap_month (1987), ==, 7);
  /* The eve of Tết 2007 is 29 tháng Chạp in Vietnam: month 12 began on 19 January. */
  assert_lunar (2007, 2, 16, 2006, 12, 29, FALSE);
  assert_lunar (2007, 1, 19, 2006, 12, 1, FALSE);
}

static void
test_hung_kings_known (void)
{
  static const Ymd known[] = {
    { 2021, 4, 21 }, { 2022, 4, 10 }, { 2023, 4, 29 }, { 2024, 4, 18 }, { 2025, 4, 7 },
    { 2026, 4, 26 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      GDate date;

      g_assert_true (motcua_lunar_hung_kings_day (known[i].year, &date));
      motcua_test_assert_date (&date, known[i].year, known[i].month, known[i].day);
      assert_lunar (known[i].year, known[i].month, known[i].day, known[i].year, 3, 10, FALSE);
    }
}

static void
test_leap_months (void)
{
  static const struct
  {
    int year, leap;
  } known[] = {
    { 2001, 4 }, { 2004, 2 }, { 2006, 7 }, { 2009, 5 }, { 2012, 4 }, { 2014, 9 },
    { 2017, 6 }, { 2020, 4 }, { 2023, 2 }, { 2025, 6 }, { 2028, 5 }, { 2031, 3 },
    { 2033, 11 }, { 2018, 0 }, { 2019, 0 }, { 2021, 0 }, { 2022, 0 }, { 2024, 0 },
    { 2026, 0 }, { 2027, 0 },
  };
  GDate date;
  MotcuaLunarDate lunar;

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      g_test_message ("year %d", known[i].year);
      g_assert_cmpint (motcua_lunar_leap_month (known[i].year), ==, known[i].leap);
    }

  /* 2023: month 2 from 20 February, leap month 2 from 22 March, month 3 from 20 April. */
  lunar = (MotcuaLunarDate) { 2023, 2, 1, FALSE };
  g_assert_true (motcua_lunar_to_solar (&lunar, &date));
  motcua_test_assert_date (&date, 2023, 2, 20);
  lunar.leap = TRUE;
  g_assert_true (motcua_lunar_to_solar (&lunar, &date));
  motcua_test_assert_date (&date, 2023, 3, 22);
  lunar = (MotcuaLunarDate) { 2023, 3, 1, FALSE };
  g_assert_true (motcua_lunar_to_solar (&lunar, &date));
  motcua_test_assert_date (&date, 2023, 4, 20);
  assert_lunar (2023, 3, 21, 2023, 2, 30, FALSE);
  assert_lunar (2023, 3, 22, 2023, 2, 1, TRUE);
  assert_lunar (2023, 4, 19, 2023, 2, 29, TRUE);
  g_assert_cmpint (motcua_lunar_month_length (2023, 2, TRUE), ==, 29);
  g_assert_cmpint (motcua_lunar_month_length (2023, 2, FALSE), ==, 30);

  /* 2020: leap month 4 from 23 May; 2025: leap month 6 from 25 July. */
  assert_lunar (2020, 5, 23, 2020, 4, 1, TRUE);
  assert_lunar (2020, 5, 22, 2020, 4, 30, FALSE);
  assert_lunar (2025, 7, 25, 2025, 6, 1, TRUE);
  assert_lunar (2025, 7, 24, 2025, 6, 30, FALSE);

  /* 2033: the leap month is 11, in December, still of lunar year 2033. */
  assert_lunar (2033, 12, 22, 2033, 11, 1, TRUE);

  /* No leap month where there is none. */
  lunar = (MotcuaLunarDate) { 2024, 2, 1, TRUE };
  g_assert_false (motcua_lunar_to_solar (&lunar, &date));
  g_assert_cmpint (motcua_lunar_month_length (2024, 2, TRUE), ==, 0);
}

static void
test_month_lengths (void)
{
  GDate date;
  MotcuaLunarDate lunar;

  /* Month 12 of Giáp Thìn (2024) has 29 days: 28 January 2025 is 29 tháng Chạp and the eve
   * of Tết. */
  g_assert_cmpint (motcua_lunar_month_length (2024, 12, FALSE), ==, 29);
  assert_lunar (2025, 1, 28, 2024, 12, 29, FALSE);
  lunar = (MotcuaLunarDate) { 2024, 12, 30, FALSE };
  g_assert_false (motcua_lunar_to_solar (&lunar, &date));

  /* Month 12 of Quý Mão (2023) has 30 days: 9 February 2024 is 30 Tết. */
  g_assert_cmpint (motcua_lunar_month_length (2023, 12, FALSE), ==, 30);
  assert_lunar (2024, 2, 9, 2023, 12, 30, FALSE);

  /* Month 12 of Ất Tỵ (2025) has 29 days: 16 February 2026 is 29 tháng Chạp. */
  g_assert_cmpint (motcua_lunar_month_length (2025, 12, FALSE), ==, 29);
  assert_lunar (2026, 2, 16, 2025, 12, 29, FALSE);

  /* Months 11 and 12 of a year fall in January of the next. */
  assert_lunar (2025, 1, 1, 2024, 12, 2, FALSE);
}

/* Months whose first day hangs on minutes: each a new moon or a solar term within four minutes
 * of midnight (UTC+7), as published in Vietnamese calendars. */
static void
test_close_calls (void)
{
  /* The December solstice of 1984 fell at 23:21 on 21 December, in the month begun on 23
   * November: that month is 11 and the next 12 (in China, 1 hour later, the next is 11). */
  assert_lunar (1984, 11, 23, 1984, 11, 1, FALSE);
  assert_lunar (1984, 12, 22, 1984, 12, 1, FALSE);
  /* New moons at 23:56 on 10 December 1996, 23:57 on 29 December 1997, 0:01 on 21 September
   * 1998 and 23:57 on 21 April 2031. */
  assert_lunar (1996, 12, 9, 1996, 10, 29, FALSE);
  assert_lunar (1996, 12, 10, 1996, 11, 1, FALSE);
  assert_lunar (1997, 12, 28, 1997, 11, 29, FALSE);
  assert_lunar (1997, 12, 29, 1997, 12, 1, FALSE);
  assert_lunar (1998, 9, 20, 1998, 7, 30, FALSE);
  assert_lunar (1998, 9, 21, 1998, 8, 1, FALSE);
  assert_lunar (2031, 4, 20, 2031, 3, 29, FALSE);
  assert_lunar (2031, 4, 21, 2031, 3, 1, TRUE);
  /* The September equinox of 2033 at 0:08 on 23 September, the day month 9 begins. */
  assert_lunar (2033, 9, 22, 2033, 8, 29, FALSE);
  assert_lunar (2033, 9, 23, 2033, 9, 1, FALSE);
}

/* Lunar years before 1968 follow UTC+8, as Vietnam then did. */
static void
test_before_1968 (void)
{
  GDate date;

  /* Tết 1965 on 2 February (the new moon at 0:36 Beijing time, 23:36 in Hanoi). */
  g_assert_true (motcua_lunar_tet (1965, &date));
  motcua_test_assert_date (&date, 1965, 2, 2);
  /* 1917 repeated month 2 (month 3 by UTC+7). */
  g_assert_cmpint (motcua_lunar_leap_month (1917), ==, 2);
  /* Month 11 of 1967 began on 2 December (1 December by UTC+7); month 12 on 31 December and
   * it ended with the UTC+7 Tết of 29 January 1968 after 29 days. */
  assert_lunar (1967, 12, 1, 1967, 10, 30, FALSE);
  assert_lunar (1967, 12, 2, 1967, 11, 1, FALSE);
  assert_lunar (1967, 12, 31, 1967, 12, 1, FALSE);
  g_assert_cmpint (motcua_lunar_month_length (1967, 12, FALSE), ==, 29);
}

/* Every day of the range: to lunar and back, and the lunar dates run on without a gap. */
static void
test_round_trip (void)
{
  GDate date, back;
  MotcuaLunarDate lunar, previous = { 0, };
  guint n_days = 0, n_years = 0, n_leap_months = 0;

  date_set (&date, 1900, 1, 31);
  while (motcua_lunar_from_solar (&date, &lunar))
    {
      g_assert_true (motcua_lunar_to_solar (&lunar, &back));
      g_assert_cmpint (g_date_compare (&date, &back), ==, 0);

      if (n_days == 0)
        {
          g_assert_cmpint (lunar.year, ==, 1900);
          g_assert_cmpint (lunar.month, ==, 1);
          g_assert_cmpint (lunar.day, ==, 1);
          g_assert_false (lunar.leap);
          n_years++;
        }
      else if (lunar.day != 1)
        {
          g_assert_cmpint (lunar.year, ==, previous.year);
          g_assert_cmpint (lunar.month, ==, previous.month);
          g_assert_cmpint (lunar.leap, ==, previous.leap);
          g_assert_cmpint (lunar.day, ==, previous.day + 1);
          g_assert_cmpint (lunar.day, <=, 30);
        }
      else
        {
          /* A month ends after 29 or 30 days; the next one follows, or repeats it as leap. */
          g_assert_cmpint (previous.day, >=, 29);
          g_assert_cmpint (motcua_lunar_month_length (previous.year, previous.month,
                                                      previous.leap), ==, previous.day);
          if (lunar.leap)
            {
              g_assert_false (previous.leap);
              g_assert_cmpint (lunar.month, ==, previous.month);
              g_assert_cmpint (lunar.year, ==, previous.year);
              g_assert_cmpint (motcua_lunar_leap_month (lunar.year), ==, lunar.month);
              n_leap_months++;
            }
          else if (lunar.month == 1)
            {
              g_assert_cmpint (previous.month, ==, 12);
              g_assert_cmpint (lunar.year, ==, previous.year + 1);
              n_years++;
            }
          else
            {
              g_assert_cmpint (lunar.month, ==, previous.month + 1);
              g_assert_cmpint (lunar.year, ==, previous.year);
            }
        }

      previous = lunar;
      n_days++;
      g_date_add_days (&date, 1);
    }

  /* The range ends on the eve of Tết 2200, 14 February 2200. */
  motcua_test_assert_date (&date, 2200, 2, 15);
  g_assert_cmpint (previous.year, ==, 2199);
  g_assert_cmpint (previous.month, ==, 12);
  g_assert_cmpuint (n_years, ==, 300);
  /* 7 leap months every 19 years, give or take one. */
  g_assert_cmpuint (n_leap_months, >=, 300 * 7 / 19 - 1);
  g_assert_cmpuint (n_leap_months, <=, 300 * 7 / 19 + 1);
  g_test_message ("%u days, %u leap months", n_days, n_leap_months);
}

/* Every month of the range, against the values checked when this was written: then every month
 * start of lunar years 1968–2199 agreed with the tables Hồ Ngọc Đức publishes, except month 4
 * of 2054 (a new moon 23 seconds after midnight, by our ΔT forecast on 8 May, by his on 7 May);
 * before 1968 they differ in five months of 1906–1925, when almanacs used older methods and
 * Beijing's local time. A change here must be checked against published calendars before the
 * digests are updated; each digest is the SHA-256 of lines "2025-01-29 2025/1\n" (a "+" after
 * the month for a leap month) for the months of its lunar years. */
static void
test_all_months (void)
{
  static const char *const expected[] = {
    /* 1900–1999 */ "4a34039224bf4293e0794122a810f979c9719665a66dccc053f3a34962db9a9d",
    /* 2000–2099 */ "07c4f7cca309467376e481d4c192322eb6f1c612dd394cf1be08d96c533d4281",
    /* 2100–2199 */ "403c430dc7c313df49f6c031eda75c4e2e362f488c4d614ce0a4112958ab01c5",
  };
  g_autoptr(GChecksum) checksum = NULL;
  GDate date;
  MotcuaLunarDate lunar;
  int century = -1;

  date_set (&date, 1900, 1, 31);
  while (motcua_lunar_from_solar (&date, &lunar))
    {
      if (lunar.day == 1)
        {
          g_autofree char *line = NULL;

          if ((lunar.year - 1900) / 100 != century)
            {
              if (checksum != NULL)
                {
                  g_test_message ("lunar years from %d", 1900 + 100 * century);
                  g_assert_cmpstr (g_checksum_get_string (checksum), ==, expected[century]);
                }
              g_clear_pointer (&checksum, g_checksum_free);
              checksum = g_checksum_new (G_CHECKSUM_SHA256);
              century = (lunar.year - 1900) / 100;
            }
          line = g_strdup_printf ("%04d-%02d-%02d %d/%d%s\n", g_date_get_year (&date),
                                  g_date_get_month (&date), g_date_get_day (&date), lunar.year,
                                  lunar.month, lunar.leap ? "+" : "");
          g_checksum_update (checksum, (const guchar *) line, -1);
        }
      g_date_add_days (&date, 1);
    }
  g_assert_cmpint (century, ==, 2);
  g_assert_cmpstr (g_checksum_get_string (checksum), ==, expected[century]);
}

static void
test_range (void)
{
  GDate date;
  MotcuaLunarDate lunar = { 1, 2, 3, TRUE };
  MotcuaLunarDate bad;

  date_set (&date, 1900, 1, 30);
  g_assert_false (motcua_lunar_from_solar (&date, &lunar));
  g_assert_cmpint (lunar.year, ==, 1);   /* untouched */
  date_set (&date, 1, 1, 1);
  g_assert_false (motcua_lunar_from_solar (&date, &lunar));
  date_set (&date, 2200, 2, 15);
  g_assert_false (motcua_lunar_from_solar (&date, &lunar));
  date_set (&date, 9999, 12, 31);
  g_assert_false (motcua_lunar_from_solar (&date, &lunar));
  date_set (&date, 2200, 2, 14);
  g_assert_true (motcua_lunar_from_solar (&date, &lunar));
  g_assert_cmpint (lunar.year, ==, 2199);

  g_assert_false (motcua_lunar_tet (1899, &date));
  g_assert_false (motcua_lunar_tet (2200, &date));
  g_assert_false (motcua_lunar_hung_kings_day (1899, &date));
  g_assert_false (motcua_lunar_hung_kings_day (2200, &date));
  g_assert_true (motcua_lunar_tet (2199, &date));
  g_assert_cmpint (motcua_lunar_leap_month (1899), ==, 0);
  g_assert_cmpint (motcua_lunar_month_length (2200, 1, FALSE), ==, 0);

  /* Lunar dates that do not exist. */
  date_set (&date, 2000, 1, 1);
  bad = (MotcuaLunarDate) { 2024, 0, 1, FALSE };
  g_assert_false (motcua_lunar_to_solar (&bad, &date));
  bad = (MotcuaLunarDate) { 2024, 13, 1, FALSE };
  g_assert_false (motcua_lunar_to_solar (&bad, &date));
  bad = (MotcuaLunarDate) { 2024, 1, 0, FALSE };
  g_assert_false (motcua_lunar_to_solar (&bad, &date));
  bad = (MotcuaLunarDate) { 2024, 1, 31, FALSE };
  g_assert_false (motcua_lunar_to_solar (&bad, &date));
  bad = (MotcuaLunarDate) { 1899, 12, 1, FALSE };
  g_assert_false (motcua_lunar_to_solar (&bad, &date));
  motcua_test_assert_date (&date, 2000, 1, 1);   /* untouched */
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Cases directly under /lunar run first, in this order: the first call races. */
  g_test_add_func ("/lunar/first-call-threads", test_first_call_threads);
  g_test_add_func ("/lunar/tet/known", test_tet_known);
  g_test_add_func ("/lunar/tet/not-chinese", test_tet_not_chinese);
  g_test_add_func ("/lunar/hung-kings/known", test_hung_kings_known);
  g_test_add_func ("/lunar/leap-months", test_leap_months);
  g_test_add_func ("/lunar/month-lengths", test_month_lengths);
  g_test_add_func ("/lunar/close-calls", test_close_calls);
  g_test_add_func ("/lunar/before-1968", test_before_1968);
  g_test_add_func ("/lunar/round-trip", test_round_trip);
  g_test_add_func ("/lunar/all-months", test_all_months);
  g_test_add_func ("/lunar/range", test_range);

  return g_test_run ();
}
