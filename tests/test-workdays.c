/* test-workdays.c: statutory holidays, working days and due dates
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_INSIDE
#include "motcua-lunar.h"
#include "motcua-workdays.h"
#include "motcua-test-utils.h"

#define H MOTCUA_DAY_HOLIDAY
#define O MOTCUA_DAY_OFF

typedef struct
{
  int           month, day;
  MotcuaDayKind kind;
  const char   *name;
} Expected;

static GDate
ymd (int year,
     int month,
     int day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  return date;
}

static void
assert_holidays (int             year,
                 const Expected *expected,
                 guint           n_expected)
{
  g_autoptr(GArray) holidays = motcua_statutory_holidays (year);

  for (guint i = 0; i < MIN (holidays->len, n_expected); i++)
    {
      const MotcuaHoliday *h = &g_array_index (holidays, MotcuaHoliday, i);

      g_test_message ("%d: entry %u", year, i);
      motcua_test_assert_date (&h->date, year, expected[i].month, expected[i].day);
      g_assert_cmpint (h->kind, ==, expected[i].kind);
      g_assert_cmpstr (h->name, ==, expected[i].name);
    }
  g_assert_cmpuint (holidays->len, ==, n_expected);
}

/* The due date of @n working days from @year-@month-@day. */
static void
assert_due (MotcuaCalendar *calendar,
            int             year,
            int             month,
            int             day,
            guint           n,
            int             due_year,
            int             due_month,
            int             due_day)
{
  GDate start = ymd (year, month, day);
  GDate due;

  motcua_calendar_add_working_days (calendar, &start, n, &due);
  motcua_test_assert_date (&due, due_year, due_month, due_day);
}

/* ------------------------------------------------------------------------------------------
 * Statutory holidays
 */

static void
test_statutory_2024 (void)
{
  /* Tết Giáp Thìn on Saturday 10 February; 9 February is 30 Tết. Saturday and Sunday are
   * holidays, so Wednesday 14 and Thursday 15 are off in lieu. */
  static const Expected expected[] = {
    { 1, 1, H, "Tết Dương lịch" },
    { 2, 9, H, "Tết Nguyên đán" },
    { 2, 10, H, "Tết Nguyên đán" },
    { 2, 11, H, "Tết Nguyên đán" },
    { 2, 12, H, "Tết Nguyên đán" },
    { 2, 13, H, "Tết Nguyên đán" },
    { 2, 14, O, "Nghỉ bù Tết Nguyên đán" },
    { 2, 15, O, "Nghỉ bù Tết Nguyên đán" },
    { 4, 18, H, "Giỗ Tổ Hùng Vương" },
    { 4, 30, H, "Ngày Chiến thắng" },
    { 5, 1, H, "Ngày Quốc tế Lao động" },
    { 9, 2, H, "Quốc khánh" },   /* a Monday: with Tuesday 3/9, as decided for 2024 */
    { 9, 3, H, "Quốc khánh" },
  };

  assert_holidays (2024, expected, G_N_ELEMENTS (expected));
}

static void
test_statutory_2025 (void)
{
  /* Tết Ất Tỵ on Wednesday 29 January; month 12 of Giáp Thìn has 29 days, so the eve is
   * Tuesday 28 January (29 tháng Chạp). Mùng 4 is a Saturday: Monday 3 February in lieu. */
  static const Expected expected[] = {
    { 1, 1, H, "Tết Dương lịch" },
    { 1, 28, H, "Tết Nguyên đán" },
    { 1, 29, H, "Tết Nguyên đán" },
    { 1, 30, H, "Tết Nguyên đán" },
    { 1, 31, H, "Tết Nguyên đán" },
    { 2, 1, H, "Tết Nguyên đán" },
    { 2, 3, O, "Nghỉ bù Tết Nguyên đán" },
    { 4, 7, H, "Giỗ Tổ Hùng Vương" },
    { 4, 30, H, "Ngày Chiến thắng" },
    { 5, 1, H, "Ngày Quốc tế Lao động" },
    { 9, 1, H, "Quốc khánh" },   /* 2/9 a Tuesday: with Monday 1/9, as decided for 2025 */
    { 9, 2, H, "Quốc khánh" },
  };

  assert_holidays (2025, expected, G_N_ELEMENTS (expected));
}

static void
test_statutory_2026 (void)
{
  /* Tết Bính Ngọ on Tuesday 17 February: Monday 16 (29 tháng Chạp) to Friday 20, as decided
   * for 2026. Giỗ Tổ on Sunday 26 April: Monday 27 in lieu. */
  static const Expected expected[] = {
    { 1, 1, H, "Tết Dương lịch" },
    { 2, 16, H, "Tết Nguyên đán" },
    { 2, 17, H, "Tết Nguyên đán" },
    { 2, 18, H, "Tết Nguyên đán" },
    { 2, 19, H, "Tết Nguyên đán" },
    { 2, 20, H, "Tết Nguyên đán" },
    { 4, 26, H, "Giỗ Tổ Hùng Vương" },
    { 4, 27, O, "Nghỉ bù Giỗ Tổ Hùng Vương" },
    { 4, 30, H, "Ngày Chiến thắng" },
    { 5, 1, H, "Ngày Quốc tế Lao động" },
    { 9, 2, H, "Quốc khánh" },   /* a Wednesday: with Thursday 3/9 */
    { 9, 3, H, "Quốc khánh" },
  };

  assert_holidays (2026, expected, G_N_ELEMENTS (expected));
}

static void
test_statutory_2023 (void)
{
  /* 1/1 a Sunday; Giỗ Tổ on Saturday 29 April then 30/4 on Sunday and 1/5 on Monday: the days
   * in lieu are Tuesday 2 and Wednesday 3 May, as decided for 2023; 2/9 a Saturday. */
  static const Expected expected[] = {
    { 1, 1, H, "Tết Dương lịch" },
    { 1, 2, O, "Nghỉ bù Tết Dương lịch" },
    { 1, 21, H, "Tết Nguyên đán" },
    { 1, 22, H, "Tết Nguyên đán" },
    { 1, 23, H, "Tết Nguyên đán" },
    { 1, 24, H, "Tết Nguyên đán" },
    { 1, 25, H, "Tết Nguyên đán" },
    { 1, 26, O, "Nghỉ bù Tết Nguyên đán" },
    { 1, 27, O, "Nghỉ bù Tết Nguyên đán" },
    { 4, 29, H, "Giỗ Tổ Hùng Vương" },
    { 4, 30, H, "Ngày Chiến thắng" },
    { 5, 1, H, "Ngày Quốc tế Lao động" },
    { 5, 2, O, "Nghỉ bù Giỗ Tổ Hùng Vương" },
    { 5, 3, O, "Nghỉ bù Ngày Chiến thắng" },
    { 9, 1, H, "Quốc khánh" },
    { 9, 2, H, "Quốc khánh" },
    { 9, 4, O, "Nghỉ bù Quốc khánh" },
  };

  assert_holidays (2023, expected, G_N_ELEMENTS (expected));
}

static void
test_statutory_2022 (void)
{
  /* 1/1 a Saturday: Monday 3 January in lieu; Giỗ Tổ on Sunday 10 April; 30/4 and 1/5 on the
   * weekend: Monday 2 and Tuesday 3 May; 2/9 a Friday: with Thursday 1/9. All as decided. */
  static const Expected expected[] = {
    { 1, 1, H, "Tết Dương lịch" },
    { 1, 3, O, "Nghỉ bù Tết Dương lịch" },
    { 1, 31, H, "Tết Nguyên đán" },
    { 2, 1, H, "Tết Nguyên đán" },
    { 2, 2, H, "Tết Nguyên đán" },
    { 2, 3, H, "Tết Nguyên đán" },
    { 2, 4, H, "Tết Nguyên đán" },
    { 4, 10, H, "Giỗ Tổ Hùng Vương" },
    { 4, 11, O, "Nghỉ bù Giỗ Tổ Hùng Vương" },
    { 4, 30, H, "Ngày Chiến thắng" },
    { 5, 1, H, "Ngày Quốc tế Lao động" },
    { 5, 2, O, "Nghỉ bù Ngày Chiến thắng" },
    { 5, 3, O, "Nghỉ bù Ngày Quốc tế Lao động" },
    { 9, 1, H, "Quốc khánh" },
    { 9, 2, H, "Quốc khánh" },
  };

  assert_holidays (2022, expected, G_N_ELEMENTS (expected));
}

/* The day next to 2 September, for each weekday. */
static void
test_statutory_national_day (void)
{
  static const struct
  {
    int          year;
    GDateWeekday weekday;   /* of 2 September */
    int          adjacent;  /* the other holiday */
    int          first, last;   /* the days of September off: holidays, weekend, in lieu */
  } cases[] = {
    { 2024, G_DATE_MONDAY, 3, 2, 3 },
    { 2025, G_DATE_TUESDAY, 1, 1, 2 },
    { 2026, G_DATE_WEDNESDAY, 3, 2, 3 },
    { 2021, G_DATE_THURSDAY, 3, 2, 5 },
    { 2022, G_DATE_FRIDAY, 1, 1, 4 },
    { 2023, G_DATE_SATURDAY, 1, 1, 4 },   /* Friday 1, Saturday 2, in lieu Monday 4 */
    { 2029, G_DATE_SUNDAY, 3, 1, 4 },     /* Sunday 2, Monday 3, in lieu Tuesday 4 */
  };
  g_autoptr(MotcuaCalendar) calendar = motcua_calendar_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate date = ymd (cases[i].year, 9, 2);

      g_test_message ("%d", cases[i].year);
      g_assert_cmpint (g_date_get_weekday (&date), ==, cases[i].weekday);
      g_assert_cmpint (motcua_calendar_get_day (calendar, &date, NULL), ==, MOTCUA_DAY_HOLIDAY);
      date = ymd (cases[i].year, 9, cases[i].adjacent);
      g_assert_cmpint (motcua_calendar_get_day (calendar, &date, NULL), ==, MOTCUA_DAY_HOLIDAY);

      /* Off from first to last, working days around them. */
      for (int day = cases[i].first - 1; day <= cases[i].last + 1; day++)
        {
          gboolean off = day >= cases[i].first && day <= cases[i].last;

          date = day == 0 ? ymd (cases[i].year, 8, 31) : ymd (cases[i].year, 9, day);
          if (!off && g_date_get_weekday (&date) >= G_DATE_SATURDAY)
            continue;
          g_assert_cmpint (motcua_calendar_is_working_day (calendar, &date), ==, !off);
        }
    }

  /* 2029: Tuesday 4 is in lieu of Sunday 2. */
  {
    const char *name = NULL;
    GDate date = ymd (2029, 9, 4);

    g_assert_cmpint (motcua_calendar_get_day (calendar, &date, &name), ==, MOTCUA_DAY_OFF);
    g_assert_cmpstr (name, ==, "Nghỉ bù Quốc khánh");
    date = ymd (2029, 9, 1);
    g_assert_cmpint (motcua_calendar_get_day (calendar, &date, &name), ==, MOTCUA_DAY_WEEKEND);
    g_assert_null (name);
  }
}

static void
test_statutory_new_year_in_lieu (void)
{
  /* 1 January 2028 is a Saturday, 2034 a Sunday: Monday 3 and Monday 2 January are off. */
  g_autoptr(GArray) y2028 = motcua_statutory_holidays (2028);
  g_autoptr(GArray) y2034 = motcua_statutory_holidays (2034);
  const MotcuaHoliday *h;

  h = &g_array_index (y2028, MotcuaHoliday, 1);
  motcua_test_assert_date (&h->date, 2028, 1, 3);
  g_assert_cmpint (h->kind, ==, MOTCUA_DAY_OFF);
  g_assert_cmpstr (h->name, ==, "Nghỉ bù Tết Dương lịch");

  h = &g_array_index (y2034, MotcuaHoliday, 1);
  motcua_test_assert_date (&h->date, 2034, 1, 2);
  g_assert_cmpint (h->kind, ==, MOTCUA_DAY_OFF);
}

/* Every year of the lunar range: 11 holidays, one a date, sorted, and as many days in lieu as
 * holidays on a weekend, each on a weekday after its holiday. */
static void
test_statutory_all_years (void)
{
  for (int year = MOTCUA_LUNAR_MIN_YEAR; year <= MOTCUA_LUNAR_MAX_YEAR; year++)
    {
      g_autoptr(GArray) holidays = motcua_statutory_holidays (year);
      guint n_holidays = 0, n_weekend = 0, n_off = 0;
      GDate tet;

      g_assert_true (motcua_lunar_tet (year, &tet));
      for (guint i = 0; i < holidays->len; i++)
        {
          const MotcuaHoliday *h = &g_array_index (holidays, MotcuaHoliday, i);
          GDateWeekday weekday = g_date_get_weekday (&h->date);

          g_assert_cmpint (g_date_get_year (&h->date), ==, year);
          if (i > 0)
            g_assert_cmpint (g_date_compare (&h[-1].date, &h->date), <, 0);
          if (h->kind == MOTCUA_DAY_HOLIDAY)
            {
              n_holidays++;
              n_weekend += weekday >= G_DATE_SATURDAY;
            }
          else
            {
              g_assert_cmpint (h->kind, ==, MOTCUA_DAY_OFF);
              g_assert_cmpint (weekday, <, G_DATE_SATURDAY);
              g_assert_true (g_str_has_prefix (h->name, "Nghỉ bù "));
              n_off++;
            }
        }
      /* Giỗ Tổ met 30 April in 1917 and 1947: one day off for both. */
      if (year == 1917 || year == 1947)
        g_assert_cmpuint (n_holidays, ==, 10);
      else
        g_assert_cmpuint (n_holidays, ==, 11);
      g_assert_cmpuint (n_off, ==, n_weekend);
    }

  {
    g_autoptr(GArray) holidays = motcua_statutory_holidays (1947);
    const char *name = NULL;

    for (guint i = 0; i < holidays->len; i++)
      {
        const MotcuaHoliday *h = &g_array_index (holidays, MotcuaHoliday, i);

        if (g_date_get_month (&h->date) == 4 && g_date_get_day (&h->date) == 30)
          name = h->name;
      }
    g_assert_cmpstr (name, ==, "Giỗ Tổ Hùng Vương, Ngày Chiến thắng");
  }
}

static void
test_statutory_outside_lunar (void)
{
  /* Without the lunar calendar only the solar holidays remain: in 2200 1/1, 30/4 and 1/5 on
   * weekdays, 2/9 a Tuesday with Monday 1/9. */
  g_autoptr(GArray) holidays = motcua_statutory_holidays (2200);
  g_autoptr(GArray) first = motcua_statutory_holidays (1);
  const MotcuaHoliday *h;

  g_assert_cmpuint (holidays->len, ==, 5);
  motcua_test_assert_date (&g_array_index (holidays, MotcuaHoliday, 0).date, 2200, 1, 1);
  motcua_test_assert_date (&g_array_index (holidays, MotcuaHoliday, 3).date, 2200, 9, 1);
  motcua_test_assert_date (&g_array_index (holidays, MotcuaHoliday, 4).date, 2200, 9, 2);

  /* Year 1: 2/9 a Sunday, so Monday 3/9 and Tuesday 4/9 in lieu. */
  g_assert_cmpuint (first->len, ==, 6);
  h = &g_array_index (first, MotcuaHoliday, 0);
  motcua_test_assert_date (&h->date, 1, 1, 1);
  h = &g_array_index (first, MotcuaHoliday, 5);
  motcua_test_assert_date (&h->date, 1, 9, 4);
  g_assert_cmpint (h->kind, ==, MOTCUA_DAY_OFF);
}

/* ------------------------------------------------------------------------------------------
 * Calendar
 */

static void
test_calendar_boxed (void)
{
  MotcuaCalendar *calendar = motcua_calendar_new ();
  MotcuaCalendar *copy;
  GType type = MOTCUA_TYPE_CALENDAR;

  g_assert_true (G_TYPE_IS_BOXED (type));
  g_assert_cmpstr (g_type_name (type), ==, "MotcuaCalendar");

  copy = g_boxed_copy (type, calendar);
  g_assert_true (copy == calendar);
  g_boxed_free (type, copy);
  g_assert_true (motcua_calendar_ref (calendar) == calendar);
  motcua_calendar_unref (calendar);
  motcua_calendar_unref (calendar);
}

static void
test_calendar_default_days (void)
{
  g_autoptr(MotcuaCalendar) calendar = motcua_calendar_new ();
  const char *name = (const char *) 1;
  GDate date;

  date = ymd (2025, 1, 27);   /* Monday */
  g_assert_cmpint (motcua_calendar_get_day (calendar, &date, &name), ==, MOTCUA_DAY_WORKING);
  g_assert_null (name);
  g_assert_true (motcua_calendar_is_working_day (calendar, &date));

  date = ymd (2025, 1, 29);   /* mùng 1 Tết */
  g_assert_cmpint (motcua_calendar_get_day (calendar, &date, &name), ==, MOTCUA_DAY_HOLIDAY);
  g_assert_cmpstr (name, ==, "Tết Nguyên đán");
  g_assert_false (motcua_calendar_is_working_day (calendar, &date));

  date = ymd (2025, 2, 3);    /* in lieu of Saturday 1 February */
  g_assert_cmpint (motcua_calendar_get_day (calendar, &date, &name), ==, MOTCUA_DAY_OFF);
  g_assert_cmpstr (name, ==, "Nghỉ bù Tết Nguyên đán");
  g_assert_false (motcua_calendar_is_working_day (calendar, &date));

  date = ymd (2025, 2, 2);    /* Sunday */
  g_assert_cmpint (motcua_calendar_get_day (calendar, &date, &name), ==, MOTCUA_DAY_WEEKEND);
  g_assert_null (name);

  date = ymd (2025, 2, 4);
  g_assert_true (motcua_calendar_is_working_day (calendar, &date));

  /* Outside the lunar range and the cache: weekdays still work, Sundays do not. */
  date = ymd (2300, 1, 1);    /* Monday */
  g_assert_cmpint (motcua_calendar_get_day (calendar, &date, NULL), ==, MOTCUA_DAY_HOLIDAY);
  date = ymd (2300, 1, 2);
  g_assert_cmpint (motcua_calendar_get_day (calendar, &date, NULL), ==, MOTCUA_DAY_WORKING);
  date = ymd (2300, 1, 6);
  g_assert_cmpint (motcua_calendar_get_day (calendar, &date, NULL), ==, MOTCUA_DAY_WEEKEND);
}

static void
test_calendar_overrides (void)
{
  g_autoptr(MotcuaCalendar) calendar = motcua_calendar_new ();
  const char *name = NULL;
  GDate saturday = ymd (2025, 4, 26);
  GDate friday = ymd (2025, 5, 2);
  GDate tet = ymd (2025, 2, 3);

  /* Read the year first, so that the overrides must drop what is cached. */
  g_assert_false (motcua_calendar_is_working_day (calendar, &saturday));
  g_assert_true (motcua_calendar_is_working_day (calendar, &friday));

  motcua_calendar_set_day (calendar, &saturday, MOTCUA_DAY_WORKING, "Làm bù cho thứ Sáu 02/5");
  motcua_calendar_set_day (calendar, &friday, MOTCUA_DAY_OFF, "Hoán đổi, làm bù thứ Bảy 26/4");
  g_assert_cmpint (motcua_calendar_get_day (calendar, &saturday, &name), ==, MOTCUA_DAY_WORKING);
  g_assert_cmpstr (name, ==, "Làm bù cho thứ Sáu 02/5");
  g_assert_true (motcua_calendar_is_working_day (calendar, &saturday));
  g_assert_cmpint (motcua_calendar_get_day (calendar, &friday, &name), ==, MOTCUA_DAY_OFF);
  g_assert_cmpstr (name, ==, "Hoán đổi, làm bù thứ Bảy 26/4");

  /* A default day off made a working day, then a replaced override, without a name. */
  motcua_calendar_set_day (calendar, &tet, MOTCUA_DAY_WORKING, NULL);
  g_assert_true (motcua_calendar_is_working_day (calendar, &tet));
  motcua_calendar_set_day (calendar, &tet, MOTCUA_DAY_HOLIDAY, "Tết Nguyên đán");
  g_assert_cmpint (motcua_calendar_get_day (calendar, &tet, &name), ==, MOTCUA_DAY_HOLIDAY);
  g_assert_cmpstr (name, ==, "Tết Nguyên đán");

  /* Withdrawn: back to the default. */
  motcua_calendar_clear_day (calendar, &tet);
  g_assert_cmpint (motcua_calendar_get_day (calendar, &tet, &name), ==, MOTCUA_DAY_OFF);
  g_assert_cmpstr (name, ==, "Nghỉ bù Tết Nguyên đán");
  motcua_calendar_clear_day (calendar, &saturday);
  g_assert_false (motcua_calendar_is_working_day (calendar, &saturday));
  motcua_calendar_clear_day (calendar, &saturday);
  g_assert_false (motcua_calendar_is_working_day (calendar, &saturday));
}

/* ------------------------------------------------------------------------------------------
 * Due dates
 */

static void
test_due_across_tet (void)
{
  g_autoptr(MotcuaCalendar) calendar = motcua_calendar_new ();

  /* Received Friday 24 January 2025 with 5 working days: Monday 27 January, then Tết from 28
   * January to Saturday 1 February and Monday 3 in lieu, then 4, 5, 6 and 7 February. */
  assert_due (calendar, 2025, 1, 24, 5, 2025, 2, 7);
  assert_due (calendar, 2025, 1, 24, 1, 2025, 1, 27);
  assert_due (calendar, 2025, 1, 24, 2, 2025, 2, 4);
  /* Received during Tết: the count starts after it. */
  assert_due (calendar, 2025, 1, 30, 1, 2025, 2, 4);

  /* Tết 2024 over a weekend: Friday 9 to Thursday 15 February off. */
  assert_due (calendar, 2024, 2, 8, 1, 2024, 2, 16);
  assert_due (calendar, 2024, 2, 8, 3, 2024, 2, 20);
}

static void
test_due_make_up_saturday (void)
{
  g_autoptr(MotcuaCalendar) calendar = motcua_calendar_new ();
  GDate saturday = ymd (2025, 4, 26);
  GDate friday = ymd (2025, 5, 2);

  /* Default: Friday 25 April, Monday 28 April. */
  assert_due (calendar, 2025, 4, 24, 2, 2025, 4, 28);
  /* Default: 30/4 and 1/5 off, Friday 2 May works. */
  assert_due (calendar, 2025, 4, 29, 1, 2025, 5, 2);

  /* 2025 as decided: work Saturday 26 April, take Friday 2 May off (30/4 to 4/5 off). */
  motcua_calendar_set_day (calendar, &saturday, MOTCUA_DAY_WORKING, "Làm bù cho thứ Sáu 02/5");
  motcua_calendar_set_day (calendar, &friday, MOTCUA_DAY_OFF, "Nghỉ hoán đổi");
  assert_due (calendar, 2025, 4, 24, 2, 2025, 4, 26);
  assert_due (calendar, 2025, 4, 29, 1, 2025, 5, 5);
  assert_due (calendar, 2025, 4, 25, 1, 2025, 4, 26);
  assert_due (calendar, 2025, 4, 26, 0, 2025, 4, 26);
  /* Twenty working days across both changes: one gained, one lost, the same due date. */
  assert_due (calendar, 2025, 4, 24, 4, 2025, 4, 29);
  assert_due (calendar, 2025, 4, 24, 5, 2025, 5, 5);
  assert_due (calendar, 2025, 4, 24, 20, 2025, 5, 26);
}

static void
test_due_zero (void)
{
  g_autoptr(MotcuaCalendar) calendar = motcua_calendar_new ();

  assert_due (calendar, 2025, 4, 26, 0, 2025, 4, 28);   /* Saturday: next Monday */
  assert_due (calendar, 2025, 4, 27, 0, 2025, 4, 28);   /* Sunday */
  assert_due (calendar, 2025, 4, 28, 0, 2025, 4, 28);   /* a working day itself */
  assert_due (calendar, 2025, 1, 28, 0, 2025, 2, 4);    /* first day of Tết */
  assert_due (calendar, 2024, 12, 31, 0, 2024, 12, 31);
  assert_due (calendar, 2023, 12, 30, 0, 2024, 1, 2);   /* Saturday, then 1/1 */
}

static void
test_due_year_boundary (void)
{
  g_autoptr(MotcuaCalendar) calendar = motcua_calendar_new ();

  assert_due (calendar, 2025, 12, 31, 1, 2026, 1, 2);
  assert_due (calendar, 2025, 12, 30, 2, 2026, 1, 2);
  /* 2026 has 250 working days by default: 261 weekdays less 10 holidays on weekdays (Giỗ Tổ
   * is a Sunday) and Monday 27 April in lieu. */
  assert_due (calendar, 2025, 12, 31, 249, 2026, 12, 30);
  assert_due (calendar, 2025, 12, 31, 250, 2026, 12, 31);
  assert_due (calendar, 2025, 12, 31, 251, 2027, 1, 4);
}

static void
test_due_end_of_dates (void)
{
  g_autoptr(MotcuaCalendar) calendar = motcua_calendar_new ();
  GDate start = ymd (9999, 12, 29);   /* a Wednesday */
  GDate due;

  motcua_calendar_add_working_days (calendar, &start, 2, &due);
  motcua_test_assert_date (&due, 9999, 12, 31);
  motcua_calendar_add_working_days (calendar, &start, 3, &due);
  g_assert_false (g_date_valid (&due));
}

/* The due date by walking one day at a time. */
static void
walk_working_days (MotcuaCalendar *calendar,
                   const GDate    *start,
                   guint           n,
                   GDate          *due)
{
  *due = *start;
  if (n == 0)
    {
      while (!motcua_calendar_is_working_day (calendar, due))
        g_date_add_days (due, 1);
      return;
    }
  while (n > 0)
    {
      g_date_add_days (due, 1);
      if (motcua_calendar_is_working_day (calendar, due))
        n--;
    }
}

static void
test_due_matches_walk (void)
{
  g_autoptr(MotcuaCalendar) calendar = motcua_calendar_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (20250426);
  GDate day = ymd (2025, 4, 26);

  motcua_calendar_set_day (calendar, &day, MOTCUA_DAY_WORKING, NULL);
  day = ymd (2025, 5, 2);
  motcua_calendar_set_day (calendar, &day, MOTCUA_DAY_OFF, NULL);
  day = ymd (2026, 12, 31);
  motcua_calendar_set_day (calendar, &day, MOTCUA_DAY_OFF, NULL);
  day = ymd (2199, 12, 31);
  motcua_calendar_set_day (calendar, &day, MOTCUA_DAY_WEEKEND, NULL);

  for (guint i = 0; i < 2000; i++)
    {
      GDate start, fast, slow;
      guint n = g_rand_int_range (rand, 0, i % 10 == 0 ? 700 : 90);

      /* Mostly 2019–2027, sometimes across the end of the cached years (2199). */
      if (i % 100 == 0)
        {
          start = ymd (g_rand_int_range (rand, 2195, 2204), g_rand_int_range (rand, 1, 13),
                       g_rand_int_range (rand, 1, 29));
        }
      else
        {
          start = ymd (2019, 1, 1);
          g_date_add_days (&start, g_rand_int_range (rand, 0, 3000));
        }

      motcua_calendar_add_working_days (calendar, &start, n, &fast);
      walk_working_days (calendar, &start, n, &slow);
      if (g_date_compare (&fast, &slow) != 0)
        {
          g_autofree char *s = motcua_test_date_string (&start);

          g_test_message ("start %s, %u working days", s, n);
        }
      g_assert_cmpint (g_date_compare (&fast, &slow), ==, 0);
    }
}

typedef struct
{
  MotcuaCalendar *calendar;
  const GDate    *expected;
  guint           n_expected;
} ThreadData;

static gpointer
due_thread (gpointer user_data)
{
  ThreadData *data = user_data;

  for (guint round = 0; round < 20; round++)
    for (guint i = 0; i < data->n_expected; i++)
      {
        GDate start = ymd (2020 + (int) (i % 10), 1 + (int) (i % 12), 1 + (int) (i % 28));
        GDate due;

        motcua_calendar_add_working_days (data->calendar, &start, i % 60, &due);
        g_assert_cmpint (g_date_compare (&due, &data->expected[i]), ==, 0);
      }
  return NULL;
}

static void
test_due_threads (void)
{
  g_autoptr(MotcuaCalendar) reference = motcua_calendar_new ();
  g_autoptr(MotcuaCalendar) shared = motcua_calendar_new ();
  GDate expected[500];
  GThread *threads[4];
  ThreadData data = { shared, expected, G_N_ELEMENTS (expected) };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      GDate start = ymd (2020 + (int) (i % 10), 1 + (int) (i % 12), 1 + (int) (i % 28));

      motcua_calendar_add_working_days (reference, &start, i % 60, &expected[i]);
    }

  /* The shared calendar starts empty: the threads fill its cache together. */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("due", due_thread, &data);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

/* A published year replaces the default: in 2026 the government moved the Quốc khánh break to
 * Monday 31 August – Wednesday 2 September, so the default's Thursday 3 September is worked. */
static void
test_published_year (void)
{
  g_autoptr(MotcuaCalendar) calendar = motcua_calendar_new ();
  GDate d, due;

  d = ymd (2026, 9, 3);
  g_assert_cmpint (motcua_calendar_get_day (calendar, &d, NULL), ==, MOTCUA_DAY_HOLIDAY);

  d = ymd (2026, 8, 31);
  motcua_calendar_set_day (calendar, &d, MOTCUA_DAY_OFF, "Nghỉ hoán đổi");
  d = ymd (2026, 9, 1);
  motcua_calendar_set_day (calendar, &d, MOTCUA_DAY_HOLIDAY, "Quốc khánh");
  d = ymd (2026, 9, 2);
  motcua_calendar_set_day (calendar, &d, MOTCUA_DAY_HOLIDAY, "Quốc khánh");
  /* Overrides alone leave the default's 3 September off… */
  d = ymd (2026, 9, 3);
  g_assert_cmpint (motcua_calendar_get_day (calendar, &d, NULL), ==, MOTCUA_DAY_HOLIDAY);

  /* …the published year does not. */
  motcua_calendar_set_year_published (calendar, 2026);
  g_assert_cmpint (motcua_calendar_get_day (calendar, &d, NULL), ==, MOTCUA_DAY_WORKING);
  d = ymd (2026, 1, 1);   /* a default holiday not republished is a working day */
  g_assert_cmpint (motcua_calendar_get_day (calendar, &d, NULL), ==, MOTCUA_DAY_WORKING);

  /* Friday 28 August + 2 working days: 31/8, 1/9, 2/9 are off, so Thursday 3 and Friday 4. */
  d = ymd (2026, 8, 28);
  motcua_calendar_add_working_days (calendar, &d, 2, &due);
  g_assert_cmpint (g_date_get_day (&due), ==, 4);
  g_assert_cmpint (g_date_get_month (&due), ==, 9);

  /* Other years keep the default. */
  d = ymd (2027, 1, 1);
  g_assert_cmpint (motcua_calendar_get_day (calendar, &d, NULL), ==, MOTCUA_DAY_HOLIDAY);
}

static void
test_timeliness (void)
{
  GDate due = ymd (2025, 2, 7);
  GDate day;

  day = ymd (2025, 2, 6);
  g_assert_cmpint (motcua_timeliness (&day, &due), ==, MOTCUA_TIMELINESS_EARLY);
  day = ymd (2024, 12, 31);
  g_assert_cmpint (motcua_timeliness (&day, &due), ==, MOTCUA_TIMELINESS_EARLY);
  day = ymd (2025, 2, 7);
  g_assert_cmpint (motcua_timeliness (&day, &due), ==, MOTCUA_TIMELINESS_ON_TIME);
  day = ymd (2025, 2, 8);
  g_assert_cmpint (motcua_timeliness (&day, &due), ==, MOTCUA_TIMELINESS_LATE);
  day = ymd (2026, 1, 1);
  g_assert_cmpint (motcua_timeliness (&day, &due), ==, MOTCUA_TIMELINESS_LATE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workdays/calendar/published-year", test_published_year);
  g_test_add_func ("/workdays/statutory/2022", test_statutory_2022);
  g_test_add_func ("/workdays/statutory/2023", test_statutory_2023);
  g_test_add_func ("/workdays/statutory/2024", test_statutory_2024);
  g_test_add_func ("/workdays/statutory/2025", test_statutory_2025);
  g_test_add_func ("/workdays/statutory/2026", test_statutory_2026);
  g_test_add_func ("/workdays/statutory/national-day", test_statutory_national_day);
  g_test_add_func ("/workdays/statutory/new-year-in-lieu", test_statutory_new_year_in_lieu);
  g_test_add_func ("/workdays/statutory/all-years", test_statutory_all_years);
  g_test_add_func ("/workdays/statutory/outside-lunar", test_statutory_outside_lunar);
  g_test_add_func ("/workdays/calendar/boxed", test_calendar_boxed);
  g_test_add_func ("/workdays/calendar/default-days", test_calendar_default_days);
  g_test_add_func ("/workdays/calendar/overrides", test_calendar_overrides);
  g_test_add_func ("/workdays/due/across-tet", test_due_across_tet);
  g_test_add_func ("/workdays/due/make-up-saturday", test_due_make_up_saturday);
  g_test_add_func ("/workdays/due/zero", test_due_zero);
  g_test_add_func ("/workdays/due/year-boundary", test_due_year_boundary);
  g_test_add_func ("/workdays/due/end-of-dates", test_due_end_of_dates);
  g_test_add_func ("/workdays/due/matches-walk", test_due_matches_walk);
  g_test_add_func ("/workdays/due/threads", test_due_threads);
  g_test_add_func ("/workdays/timeliness", test_timeliness);

  return g_test_run ();
}
