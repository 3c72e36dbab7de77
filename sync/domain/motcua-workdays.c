/* motcua-workdays.c: working days, statutory holidays and due dates
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A calendar keeps, for each year it was asked about, the kind of each day and a running count
 * of working days, so that the n-th working day after a date is a binary search inside a year
 * and a subtraction per year crossed.
 */

#include "config.h"

#include "motcua-workdays.h"
#include "motcua-lunar.h"

#include <stdlib.h>

#define MAX_YEAR 9999

/* Room for the holidays of a year: at most 11 holidays (1 + 5 + 1 + 1 + 1 + 2), each with at
 * most one day in lieu. */
#define MAX_HOLIDAYS 24

typedef struct
{
  const char *name;
  const char *in_lieu;
} HolidayName;

static const HolidayName new_year = { "Tết Dương lịch", "Nghỉ bù Tết Dương lịch" };
static const HolidayName tet = { "Tết Nguyên đán", "Nghỉ bù Tết Nguyên đán" };
static const HolidayName hung_kings = { "Giỗ Tổ Hùng Vương", "Nghỉ bù Giỗ Tổ Hùng Vương" };
static const HolidayName victory = { "Ngày Chiến thắng", "Nghỉ bù Ngày Chiến thắng" };
static const HolidayName labour = { "Ngày Quốc tế Lao động", "Nghỉ bù Ngày Quốc tế Lao động" };
static const HolidayName national = { "Quốc khánh", "Nghỉ bù Quốc khánh" };

/* A day off of the default: its GDate julian day, kind and name. */
typedef struct
{
  guint32       julian;
  MotcuaDayKind kind;
  const char   *name;
} DayOff;

/* Monday is 1, Sunday 7, as GDateWeekday; GDate's julian day 1, 1 January of year 1, was a
 * Monday. */
static inline int
weekday_of_julian (guint32 julian)
{
  return (int) ((julian - 1) % 7) + 1;
}

static inline gboolean
is_weekend_julian (guint32 julian)
{
  return weekday_of_julian (julian) >= G_DATE_SATURDAY;
}

static guint32
julian_of_dmy (int day,
               int month,
               int year)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  return g_date_get_julian (&date);
}

static int
compare_day_off (gconstpointer a,
                 gconstpointer b)
{
  const DayOff *x = a;
  const DayOff *y = b;

  return (x->julian > y->julian) - (x->julian < y->julian);
}

static void
add_holiday (DayOff             *days,
             guint              *n_days,
             const HolidayName **names,
             guint32             julian,
             const HolidayName  *name)
{
  g_assert (*n_days < MAX_HOLIDAYS);
  names[*n_days] = name;
  days[*n_days] = (DayOff) { julian, MOTCUA_DAY_HOLIDAY, name->name };
  (*n_days)++;
}

/* Fills @days with the default days off of @year, sorted, one per date; returns how many. */
static guint
compute_days_off (int    year,
                  DayOff days[MAX_HOLIDAYS])
{
  const HolidayName *names[MAX_HOLIDAYS];
  const char *in_lieu[MAX_HOLIDAYS];
  DayOff holidays[MAX_HOLIDAYS];
  guint n_holidays = 0, n_merged = 0, n_days = 0;
  guint32 september_2;
  GDate lunar_day;

  g_assert (year >= 1 && year <= MAX_YEAR);

  add_holiday (holidays, &n_holidays, names, julian_of_dmy (1, 1, year), &new_year);

  if (motcua_lunar_tet (year, &lunar_day))
    {
      guint32 first = g_date_get_julian (&lunar_day);

      /* The last day of the old year (29 or 30 tháng Chạp), then days 1 to 4. */
      for (guint32 j = first - 1; j <= first + 3; j++)
        add_holiday (holidays, &n_holidays, names, j, &tet);
    }

  if (motcua_lunar_hung_kings_day (year, &lunar_day))
    add_holiday (holidays, &n_holidays, names, g_date_get_julian (&lunar_day), &hung_kings);

  add_holiday (holidays, &n_holidays, names, julian_of_dmy (30, 4, year), &victory);
  add_holiday (holidays, &n_holidays, names, julian_of_dmy (1, 5, year), &labour);

  september_2 = julian_of_dmy (2, 9, year);
  add_holiday (holidays, &n_holidays, names, september_2, &national);
  switch (weekday_of_julian (september_2))
    {
    case G_DATE_TUESDAY:
    case G_DATE_FRIDAY:
    case G_DATE_SATURDAY:
      add_holiday (holidays, &n_holidays, names, september_2 - 1, &national);
      break;
    default:
      add_holiday (holidays, &n_holidays, names, september_2 + 1, &national);
      break;
    }

  /* Sort by date (an insertion sort: a dozen entries) and merge holidays on the same date. */
  for (guint i = 1; i < n_holidays; i++)
    for (guint j = i; j > 0 && holidays[j - 1].julian > holidays[j].julian; j--)
      {
        DayOff d = holidays[j];
        const HolidayName *h = names[j];

        holidays[j] = holidays[j - 1];
        names[j] = names[j - 1];
        holidays[j - 1] = d;
        names[j - 1] = h;
      }
  for (guint i = 0; i < n_holidays; i++)
    {
      if (n_merged > 0 && holidays[n_merged - 1].julian == holidays[i].julian)
        {
          g_autofree char *name = NULL;
          g_autofree char *lieu = NULL;

          name = g_strconcat (holidays[n_merged - 1].name, ", ", names[i]->name, NULL);
          lieu = g_strconcat (in_lieu[n_merged - 1], ", ", names[i]->name, NULL);
          holidays[n_merged - 1].name = g_intern_string (name);
          in_lieu[n_merged - 1] = g_intern_string (lieu);
          continue;
        }
      holidays[n_merged] = holidays[i];
      in_lieu[n_merged] = names[i]->in_lieu;
      n_merged++;
    }

  /* Days in lieu, in date order: the next weekday that is neither a holiday nor taken. */
  for (guint i = 0; i < n_merged; i++)
    days[n_days++] = holidays[i];
  for (guint i = 0; i < n_merged; i++)
    {
      guint32 j = holidays[i].julian;

      if (!is_weekend_julian (j))
        continue;

      for (j = j + 1;; j++)
        {
          gboolean taken = is_weekend_julian (j);

          for (guint k = 0; k < n_days && !taken; k++)
            taken = days[k].julian == j;
          if (!taken)
            break;
        }
      g_assert (n_days < MAX_HOLIDAYS);
      days[n_days++] = (DayOff) { j, MOTCUA_DAY_OFF, in_lieu[i] };
    }

  qsort (days, n_days, sizeof (DayOff), compare_day_off);
  return n_days;
}

GArray *
motcua_statutory_holidays (int year)
{
  DayOff days[MAX_HOLIDAYS];
  guint n_days;
  GArray *array;

  g_return_val_if_fail (year >= 1 && year <= MAX_YEAR, NULL);

  n_days = compute_days_off (year, days);
  array = g_array_sized_new (FALSE, TRUE, sizeof (MotcuaHoliday), n_days);
  for (guint i = 0; i < n_days; i++)
    {
      MotcuaHoliday holiday = { { 0, }, days[i].kind, days[i].name };

      g_date_clear (&holiday.date, 1);
      g_date_set_julian (&holiday.date, days[i].julian);
      g_array_append_val (array, holiday);
    }
  return array;
}

/* ------------------------------------------------------------------------------------------
 * MotcuaCalendar
 */

/* The years whose days a calendar keeps; others are computed for each call. */
#define CACHE_FIRST_YEAR MOTCUA_LUNAR_MIN_YEAR
#define CACHE_LAST_YEAR  MOTCUA_LUNAR_MAX_YEAR

typedef struct
{
  MotcuaDayKind kind;
  const char   *name;   /* interned, or NULL */
} Override;

/* The days of one year, overrides applied. */
typedef struct
{
  guint32 first_julian;
  guint   n_days;
  guint8  kind[366];
  /* working[i]: how many of the first i days are working days. */
  guint16 working[367];
  guint   n_days_off;
  DayOff  days_off[MAX_HOLIDAYS];
} YearDays;

struct _MotcuaCalendar
{
  gatomicrefcount ref_count;
  GMutex          mutex;
  GHashTable     *overrides;   /* GDate julian → Override */
  GHashTable     *published;   /* years whose schedule the province published */
  YearDays       *years[CACHE_LAST_YEAR - CACHE_FIRST_YEAR + 1];
};

G_DEFINE_BOXED_TYPE (MotcuaCalendar, motcua_calendar, motcua_calendar_ref, motcua_calendar_unref)

MotcuaCalendar *
motcua_calendar_new (void)
{
  MotcuaCalendar *self = g_new0 (MotcuaCalendar, 1);

  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->mutex);
  self->overrides = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->published = g_hash_table_new (NULL, NULL);
  return self;
}

MotcuaCalendar *
motcua_calendar_ref (MotcuaCalendar *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
motcua_calendar_unref (MotcuaCalendar *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (self->years); i++)
    g_free (self->years[i]);
  g_hash_table_unref (self->overrides);
  g_hash_table_unref (self->published);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

static void
year_days_fill (MotcuaCalendar *self,
                int             year,
                YearDays       *days)
{
  guint next_off = 0;

  days->first_julian = julian_of_dmy (1, 1, year);
  days->n_days = g_date_is_leap_year (year) ? 366 : 365;
  /* A published year is the whole schedule: its days off are the published ones alone. */
  if (g_hash_table_contains (self->published, GINT_TO_POINTER (year)))
    days->n_days_off = 0;
  else
    days->n_days_off = compute_days_off (year, days->days_off);
  days->working[0] = 0;

  for (guint i = 0; i < days->n_days; i++)
    {
      guint32 julian = days->first_julian + i;
      const Override *override;
      MotcuaDayKind kind;

      if (next_off < days->n_days_off && days->days_off[next_off].julian == julian)
        kind = days->days_off[next_off++].kind;
      else if (is_weekend_julian (julian))
        kind = MOTCUA_DAY_WEEKEND;
      else
        kind = MOTCUA_DAY_WORKING;

      override = g_hash_table_lookup (self->overrides, GUINT_TO_POINTER (julian));
      if (override != NULL)
        kind = override->kind;

      days->kind[i] = kind;
      days->working[i + 1] = days->working[i] + (kind == MOTCUA_DAY_WORKING);
    }
}

/* The days of @year: the cached ones, or @scratch filled for a year outside the cache. Called
 * with the mutex held. */
static const YearDays *
year_days (MotcuaCalendar *self,
           int             year,
           YearDays       *scratch)
{
  YearDays **slot;

  if (year < CACHE_FIRST_YEAR || year > CACHE_LAST_YEAR)
    {
      year_days_fill (self, year, scratch);
      return scratch;
    }

  slot = &self->years[year - CACHE_FIRST_YEAR];
  if (*slot == NULL)
    {
      *slot = g_new (YearDays, 1);
      year_days_fill (self, year, *slot);
    }
  return *slot;
}

/* Forgets the cached days of the year of @date. Called with the mutex held. */
static void
invalidate_year (MotcuaCalendar *self,
                 const GDate    *date)
{
  int year = g_date_get_year (date);

  if (year >= CACHE_FIRST_YEAR && year <= CACHE_LAST_YEAR)
    g_clear_pointer (&self->years[year - CACHE_FIRST_YEAR], g_free);
}

void
motcua_calendar_set_day (MotcuaCalendar *self,
                         const GDate    *date,
                         MotcuaDayKind   kind,
                         const char     *name)
{
  Override *override;

  g_return_if_fail (self != NULL);
  g_return_if_fail (date != NULL && g_date_valid (date));
  g_return_if_fail (g_date_get_year (date) <= MAX_YEAR);
  g_return_if_fail (kind >= MOTCUA_DAY_WORKING && kind <= MOTCUA_DAY_OFF);

  override = g_new (Override, 1);
  override->kind = kind;
  override->name = name != NULL ? g_intern_string (name) : NULL;

  g_mutex_lock (&self->mutex);
  g_hash_table_insert (self->overrides, GUINT_TO_POINTER (g_date_get_julian (date)), override);
  invalidate_year (self, date);
  g_mutex_unlock (&self->mutex);
}

void
motcua_calendar_set_year_published (MotcuaCalendar *self,
                                    int             year)
{
  GDate date;

  g_return_if_fail (self != NULL);
  g_return_if_fail (year >= 1 && year <= MAX_YEAR);

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, 1, (GDateYear) year);

  g_mutex_lock (&self->mutex);
  g_hash_table_add (self->published, GINT_TO_POINTER (year));
  invalidate_year (self, &date);
  g_mutex_unlock (&self->mutex);
}

void
motcua_calendar_clear_day (MotcuaCalendar *self,
                           const GDate    *date)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (date != NULL && g_date_valid (date));

  g_mutex_lock (&self->mutex);
  if (g_hash_table_remove (self->overrides, GUINT_TO_POINTER (g_date_get_julian (date))))
    invalidate_year (self, date);
  g_mutex_unlock (&self->mutex);
}

MotcuaDayKind
motcua_calendar_get_day (MotcuaCalendar *self,
                         const GDate    *date,
                         const char    **name_out)
{
  const Override *override;
  MotcuaDayKind kind;
  const char *name = NULL;
  guint32 julian;

  g_return_val_if_fail (self != NULL, MOTCUA_DAY_WORKING);
  g_return_val_if_fail (date != NULL && g_date_valid (date), MOTCUA_DAY_WORKING);
  g_return_val_if_fail (g_date_get_year (date) <= MAX_YEAR, MOTCUA_DAY_WORKING);

  julian = g_date_get_julian (date);

  g_mutex_lock (&self->mutex);
  override = g_hash_table_lookup (self->overrides, GUINT_TO_POINTER (julian));
  if (override != NULL)
    {
      kind = override->kind;
      name = override->name;
    }
  else
    {
      YearDays scratch;
      const YearDays *days = year_days (self, g_date_get_year (date), &scratch);

      kind = days->kind[julian - days->first_julian];
      for (guint i = 0; i < days->n_days_off; i++)
        if (days->days_off[i].julian == julian)
          name = days->days_off[i].name;
    }
  g_mutex_unlock (&self->mutex);

  if (name_out != NULL)
    *name_out = name;
  return kind;
}

gboolean
motcua_calendar_is_working_day (MotcuaCalendar *self,
                                const GDate    *date)
{
  return motcua_calendar_get_day (self, date, NULL) == MOTCUA_DAY_WORKING;
}

void
motcua_calendar_add_working_days (MotcuaCalendar *self,
                                  const GDate    *start,
                                  guint           n,
                                  GDate          *due_out)
{
  /* Look for the @need-th working day from @julian on, @julian included. */
  guint32 julian;
  guint need;
  int year;
  gboolean found = FALSE;

  g_return_if_fail (self != NULL);
  g_return_if_fail (start != NULL && g_date_valid (start));
  g_return_if_fail (due_out != NULL);

  julian = g_date_get_julian (start) + (n > 0 ? 1 : 0);
  need = MAX (n, 1);
  year = g_date_get_year (start);

  g_mutex_lock (&self->mutex);
  for (; year <= MAX_YEAR && !found; year++)
    {
      YearDays scratch;
      const YearDays *days = year_days (self, year, &scratch);
      guint from = julian - days->first_julian;
      guint available, target, lo, hi;

      if (from >= days->n_days)
        continue;

      available = days->working[days->n_days] - days->working[from];
      if (available < need)
        {
          need -= available;
          julian = days->first_julian + days->n_days;
          continue;
        }

      /* The least i in (from, n_days] with working[i] == target: day i − 1 is the one. */
      target = days->working[from] + need;
      lo = from + 1;
      hi = days->n_days;
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (days->working[mid] >= target)
            hi = mid;
          else
            lo = mid + 1;
        }
      julian = days->first_julian + lo - 1;
      found = TRUE;
    }
  g_mutex_unlock (&self->mutex);

  g_date_clear (due_out, 1);
  if (found)
    g_date_set_julian (due_out, julian);
}

MotcuaTimeliness
motcua_timeliness (const GDate *resolved,
                   const GDate *due)
{
  int order;

  g_return_val_if_fail (resolved != NULL && g_date_valid (resolved), MOTCUA_TIMELINESS_LATE);
  g_return_val_if_fail (due != NULL && g_date_valid (due), MOTCUA_TIMELINESS_LATE);

  order = g_date_compare (resolved, due);
  if (order < 0)
    return MOTCUA_TIMELINESS_EARLY;
  if (order == 0)
    return MOTCUA_TIMELINESS_ON_TIME;
  return MOTCUA_TIMELINESS_LATE;
}
