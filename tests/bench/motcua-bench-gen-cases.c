/* motcua-bench-gen-cases.c: the year's cases: calendars, seasons, office hours and deadlines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "motcua-bench-data.h"
#include "motcua-bench-util.h"
#include "motcua-bench-gen.h"

void
load_calendars (Gen        *gen,
                const char *datadir)
{
  for (int year = YEAR; year <= YEAR + 1; year++)
    {
      g_autofree char *base = g_strdup_printf ("calendar-%d.json", year);
      g_autofree char *path = g_build_filename (datadir, base, NULL);
      g_autoptr(GError) error = NULL;

      /* 2025 is the year the cases are in; 2026 holds the due dates of late December. */
      if (year > YEAR && !g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      if (!motcua_replica_import_file (gen->replica, path, MOTCUA_IMPORT_CALENDAR,
                                       MOTCUA_FORMAT_AUTO, NULL, &error))
        die (path, error);
    }
}

/* Seasons of a one-stop desk: busy before Tết and at the start of the school year. */
static double
day_weight (Gen         *gen,
            const GDate *date)
{
  static const double month[13] = { 0, 1.15, 0.8, 1.0, 1.0, 1.0, 1.05, 1.0, 1.1, 0.95, 1.0,
                                     1.0, 1.1 };
  static const double weekday[8] = { 0, 1.15, 1.0, 1.0, 1.0, 0.9, 0.6, 0.6 };

  if (!motcua_calendar_is_working_day (gen->calendar, date))
    return 0.12 * month[g_date_get_month (date)];   /* online submissions only */

  return month[g_date_get_month (date)] * weekday[g_date_get_weekday (date)];
}

static void
format_date (const GDate *date,
             char         out[11])
{
  g_snprintf (out, 11, "%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
              g_date_get_day (date));
}

static void
format_time (const GDate *date,
             guint        seconds,
             char         out[32])
{
  g_snprintf (out, 32, "%04d-%02d-%02dT%02u:%02u:%02u+07:00", g_date_get_year (date),
              g_date_get_month (date), g_date_get_day (date), seconds / 3600,
              seconds / 60 % 60, seconds % 60);
}

/* A time in office hours, 07:30–11:30 and 13:30–17:00. */
static guint
office_seconds (GRand *rand)
{
  if (g_rand_int_range (rand, 0, 100) < 55)
    return 7 * 3600 + 1800 + (guint) g_rand_int_range (rand, 0, 4 * 3600);

  return 13 * 3600 + 1800 + (guint) g_rand_int_range (rand, 0, 3 * 3600 + 1800);
}

/* After @after on the same day, but at most a few hours later. */
static guint
seconds_after (GRand *rand,
               guint  after)
{
  guint room = 86399 - after;

  if (room == 0)
    return after;

  return after + 1 + (guint) g_rand_int_range (rand, 0, (gint32) MIN (room, 4 * 3600));
}

/* The working day @n working days after @from (n ≥ 1). */
static void
working_days_after (Gen         *gen,
                    const GDate *from,
                    guint        n,
                    GDate       *out)
{
  motcua_calendar_add_working_days (gen->calendar, from, n, out);
}

/* A uniformly chosen working day in [from, to); FALSE if there is none. */
static gboolean
working_day_between (Gen         *gen,
                     const GDate *from,
                     const GDate *to,
                     GDate       *out)
{
  GDate days[64];
  guint n = 0;
  GDate d = *from;

  while (g_date_compare (&d, to) < 0 && n < G_N_ELEMENTS (days))
    {
      if (motcua_calendar_is_working_day (gen->calendar, &d))
        days[n++] = d;
      g_date_add_days (&d, 1);
    }
  if (n == 0)
    return FALSE;
  *out = days[g_rand_int_range (gen->rand, 0, (gint32) n)];

  return TRUE;
}

static const char *const results[] = {
  "Giấy chứng nhận", "Quyết định", "Giấy phép", "Trích lục", "Văn bản trả lời",
  "Bản sao chứng thực", "Giấy xác nhận",
};

static void
make_case (Gen         *gen,
           const GDate *day,
           guint        slot,
           GArray      *papers)
{
  static const double level_share[MOTCUA_N_LEVELS] = { 0.005, 0.055, 0.22, 0.72 };
  gboolean office_hours = slot & 1;
  guint seconds = slot >> 1;
  double draw = g_rand_double (gen->rand);
  MotcuaLevel level = MOTCUA_LEVEL_COMMUNE;
  GenOffice *receiving, *handling;
  GenProcedure *procedure;
  MotcuaBenchPerson person;
  MotcuaCase record = { 0 };
  GDate due, resolved, returned;
  gboolean is_resolved = FALSE, is_returned = FALSE;
  guint resolved_seconds = 0, returned_seconds = 0;
  double age, p_open;
  char receipt[64], address[256], village[64];
  char received_at[32], resolved_at[32], returned_at[32], due_date[11];
  g_autoptr(GError) error = NULL;

  /* Where: mostly communes, some districts, a few departments and the province's desk. */
  for (guint l = 0; l < MOTCUA_N_LEVELS; l++)
    {
      if (draw < level_share[l])
        {
          level = (MotcuaLevel) l;
          break;
        }
      draw -= level_share[l];
    }
  receiving = g_ptr_array_index (gen->offices, picker_pick (&gen->offices_at[level], gen->rand));
  handling = receiving;
  /* Một cửa liên thông: a commune receives, its district decides. */
  if (level == MOTCUA_LEVEL_COMMUNE && g_rand_int_range (gen->rand, 0, 100) < 5)
    handling = g_ptr_array_index (gen->offices, receiving->parent);
  procedure = g_ptr_array_index (gen->procedures,
                                 picker_pick (&gen->procedures_at[handling->level], gen->rand));
  gen->n_level[level]++;

  /* Who: people come back, so the population is smaller than the number of cases. */
  motcua_bench_person (gen->seed,
                       (guint64) (gen->population * pow (g_rand_double (gen->rand), 1.3)),
                       &person);
  motcua_bench_village_name (gen->rand, village);
  if (receiving->level == MOTCUA_LEVEL_COMMUNE)
    g_snprintf (address, sizeof address, "%s, %s, %s", village, receiving->place,
                ((GenOffice *) g_ptr_array_index (gen->offices, receiving->parent))->place);
  else
    g_snprintf (address, sizeof address, "%s, %s", village, receiving->place);

  /* How: out of office hours only online; at the desk mostly online too (the portal). */
  if (!office_hours || g_rand_int_range (gen->rand, 0, 1000) < 935)
    record.channel = MOTCUA_CHANNEL_ONLINE;
  else
    {
      guint c = (guint) g_rand_int_range (gen->rand, 0, 10);

      record.channel = c < 6 ? MOTCUA_CHANNEL_COUNTER
                       : c < 9 ? MOTCUA_CHANNEL_POSTAL : MOTCUA_CHANNEL_HOME;
    }
  gen->n_channel[record.channel]++;

  draw = g_rand_double (gen->rand);
  record.priority = draw < 0.03 ? MOTCUA_PRIORITY_ELDERLY
                    : draw < 0.04 ? MOTCUA_PRIORITY_DISABLED
                    : draw < 0.05 ? MOTCUA_PRIORITY_VETERAN
                    : draw < 0.055 ? MOTCUA_PRIORITY_CHILD
                    : draw < 0.06 ? MOTCUA_PRIORITY_PREGNANT : MOTCUA_PRIORITY_NONE;

  format_time (day, seconds, received_at);
  motcua_calendar_add_working_days (gen->calendar, day, procedure->days, &due);
  format_date (&due, due_date);

  /* What became of it by 31 December. Recent cases are still open more often. */
  age = g_date_days_between (day, &gen->snapshot);
  p_open = 0.8 * exp (-age / 25.0) + 0.035;
  draw = g_rand_double (gen->rand);

  if (draw < 0.005)
    {
      /* Withdrawn by the applicant or cancelled by the office, within a few days. */
      record.status = draw < 0.004 ? MOTCUA_STATUS_WITHDRAWN : MOTCUA_STATUS_CANCELLED;
      resolved = *day;
      g_date_add_days (&resolved, (guint) g_rand_int_range (gen->rand, 0, 6));
      if (g_date_compare (&resolved, &gen->snapshot) > 0)
        resolved = gen->snapshot;
      resolved_seconds = g_date_compare (&resolved, day) == 0 ? seconds_after (gen->rand, seconds)
                                                               : office_seconds (gen->rand);
      is_resolved = TRUE;
    }
  else if (g_rand_double (gen->rand) >= p_open)
    {
      /* Resolved: ~55 % early, ~44 % on time, <1 % late. An early draw that cannot be early (a
       * same-day procedure) is made up by a later on-time draw that can. */
      double timeliness = g_rand_double (gen->rand);
      gboolean want_early = timeliness < 0.563 || (timeliness >= 0.008 && gen->early_debt > 0);
      GDate limit = due;   /* early is before the due date and not after the snapshot */
      guint64 *category;

      if (g_date_compare (&gen->snapshot, &due) < 0)
        {
          limit = gen->snapshot;
          g_date_add_days (&limit, 1);
        }

      if (timeliness < 0.008)
        {
          working_days_after (gen, &due, (guint) g_rand_int_range (gen->rand, 1, 7), &resolved);
          category = &gen->n_late;
        }
      else if (want_early && working_day_between (gen, day, &limit, &resolved))
        {
          if (timeliness >= 0.563)
            gen->early_debt--;
          category = &gen->n_early;
        }
      else
        {
          if (timeliness < 0.563)
            gen->early_debt++;
          resolved = due;
          category = &gen->n_on_time;
        }

      /* Otherwise it was not decided by the end of the year after all. */
      if (g_date_compare (&resolved, &gen->snapshot) <= 0)
        {
          (*category)++;
          is_resolved = TRUE;
          resolved_seconds = g_date_compare (&resolved, day) == 0
                             ? seconds_after (gen->rand, seconds) : office_seconds (gen->rand);
          record.status = g_rand_int_range (gen->rand, 0, 100) < 3 ? MOTCUA_STATUS_REFUSED
                                                                   : MOTCUA_STATUS_APPROVED;
          if (record.status == MOTCUA_STATUS_APPROVED && g_rand_int_range (gen->rand, 0, 100) < 85)
            {
              returned = resolved;
              if (g_rand_int_range (gen->rand, 0, 2) == 1)
                working_days_after (gen, &resolved, (guint) g_rand_int_range (gen->rand, 1, 3),
                                    &returned);
              if (g_date_compare (&returned, &gen->snapshot) <= 0)
                {
                  is_returned = TRUE;
                  returned_seconds = g_date_compare (&returned, &resolved) == 0
                                     ? seconds_after (gen->rand, resolved_seconds)
                                     : office_seconds (gen->rand);
                  record.status = MOTCUA_STATUS_RETURNED;
                }
            }
        }
    }

  if (!is_resolved)
    {
      guint s = (guint) g_rand_int_range (gen->rand, 0, 100);

      record.status = s < 25 && age < 10 ? MOTCUA_STATUS_RECEIVED
                      : s < 80 ? MOTCUA_STATUS_IN_PROCESSING
                      : s < 92 ? MOTCUA_STATUS_SUPPLEMENT_REQUESTED : MOTCUA_STATUS_RESUBMITTED;
      if (g_date_compare (&due, &gen->snapshot) < 0)
        gen->n_open_overdue++;
      else
        gen->n_open_within++;
    }
  gen->n_status[record.status]++;

  if (is_resolved)
    format_time (&resolved, resolved_seconds, resolved_at);
  if (is_returned)
    format_time (&returned, returned_seconds, returned_at);

  g_snprintf (receipt, sizeof receipt, "%s-%04d-%06u", receiving->code, YEAR,
              ++receiving->receipts);

  g_array_set_size (papers, 0);
  for (guint i = 0; i < procedure->n_documents; i++)
    /* The last papers are often the conditional ones ("nếu có"). */
    if (i < 2 || i + 1 < procedure->n_documents || g_rand_int_range (gen->rand, 0, 2) == 0)
      g_array_append_val (papers, i);

  record.receipt_no = receipt;
  record.procedure_code = procedure->code;
  record.receiving_office = receiving->code;
  record.handling_office = handling->code;
  record.applicant_name = person.name;
  record.citizen_id = person.citizen_id;
  record.phone = person.phone[0] != '\0' ? person.phone : NULL;
  record.address = address;
  record.received_at = received_at;
  record.due_date = due_date;
  record.papers = papers;
  record.resolved_at = is_resolved ? resolved_at : NULL;
  record.returned_at = is_returned ? returned_at : NULL;
  if (is_returned)
    {
      guint via = (guint) g_rand_int_range (gen->rand, 0, 100);

      if (record.channel == MOTCUA_CHANNEL_ONLINE)
        record.returned_via = via < 55 ? MOTCUA_CHANNEL_ONLINE
                              : via < 90 ? MOTCUA_CHANNEL_COUNTER : MOTCUA_CHANNEL_POSTAL;
      else
        record.returned_via = via < 85 ? MOTCUA_CHANNEL_COUNTER : MOTCUA_CHANNEL_POSTAL;
      if (g_rand_int_range (gen->rand, 0, 100) < 35)
        {
          guint r = (guint) g_rand_int_range (gen->rand, 0, 100);

          record.rating = r < 80 ? 5 : r < 95 ? 4 : r < 98 ? 3 : r < 99 ? 2 : 1;
        }
    }
  if (record.status == MOTCUA_STATUS_REFUSED)
    record.result = (char *) "Từ chối: hồ sơ không đủ điều kiện theo quy định";
  else if (record.status == MOTCUA_STATUS_APPROVED || record.status == MOTCUA_STATUS_RETURNED)
    record.result = (char *) results[g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (results))];
  record.status_generation = record.status == MOTCUA_STATUS_RESUBMITTED ? 1 : 0;

  if (!motcua_replica_import_case (gen->replica, &record, &error))
    die (receipt, error);
}

static int
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

void
make_cases (Gen     *gen,
            guint64  n_cases)
{
  g_autoptr(GArray) weights = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) slots = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) papers = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  GDate first, day;
  double total = 0, acc = 0;
  guint64 done = 0, batch_done = 0, given = 0;
  gint64 start = g_get_monotonic_time ();
  gint64 batch_start = start;
  guint n_days;

  g_date_clear (&first, 1);
  g_date_set_dmy (&first, 1, G_DATE_JANUARY, YEAR);
  n_days = g_date_is_leap_year (YEAR) ? 366 : 365;
  for (guint d = 0; d < n_days; d++)
    {
      double w;

      day = first;
      g_date_add_days (&day, d);
      w = day_weight (gen, &day);
      g_array_append_val (weights, w);
      total += w;
    }

  if (!motcua_replica_begin (gen->replica, &error))
    die ("begin", error);

  for (guint d = 0; d < n_days; d++)
    {
      gboolean working;
      guint64 n;

      day = first;
      g_date_add_days (&day, d);
      working = motcua_calendar_is_working_day (gen->calendar, &day);

      /* Exactly n_cases over the year, each day its share. */
      acc += g_array_index (weights, double, d);
      n = (guint64) llround (n_cases * acc / total) - given;
      given += n;

      /* When in the day, in order: the replica fills as a live one would. */
      g_array_set_size (slots, 0);
      for (guint64 i = 0; i < n; i++)
        {
          guint seconds;
          gboolean in_hours = FALSE;
          guint u = (guint) g_rand_int_range (gen->rand, 0, 100);

          if (!working)
            seconds = 6 * 3600 + (guint) g_rand_int_range (gen->rand, 0, 16 * 3600);
          else if (u < 85)
            {
              seconds = office_seconds (gen->rand);
              in_hours = TRUE;
            }
          else if (u < 93)
            seconds = 17 * 3600 + (guint) g_rand_int_range (gen->rand, 0, 5 * 3600 + 1800);
          else if (u < 97)
            seconds = 5 * 3600 + 1800 + (guint) g_rand_int_range (gen->rand, 0, 2 * 3600);
          else
            seconds = 11 * 3600 + 1800 + (guint) g_rand_int_range (gen->rand, 0, 2 * 3600);

          g_array_append_val (slots, (guint) { seconds << 1 | (in_hours ? 1u : 0u) });
        }
      g_array_sort (slots, compare_guint);

      for (guint i = 0; i < slots->len; i++)
        {
          make_case (gen, &day, g_array_index (slots, guint, i), papers);
          done++;
          batch_done++;

          if (batch_done == BATCH || done == n_cases)
            {
              gint64 now;
              double elapsed, batch_elapsed;

              if (!motcua_replica_commit (gen->replica, &error))
                die ("commit", error);
              now = g_get_monotonic_time ();
              elapsed = (now - start) / 1e6;
              batch_elapsed = (now - batch_start) / 1e6;
              g_print ("  %8" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT " cases  %7.1f s"
                       "  %8.0f cases/s (last batch %8.0f cases/s)\n",
                       done, n_cases, elapsed, done / elapsed, batch_done / batch_elapsed);
              batch_done = 0;
              batch_start = now;
              if (done < n_cases && !motcua_replica_begin (gen->replica, &error))
                die ("begin", error);
            }
        }
    }

  if (done < n_cases || batch_done > 0)
    g_error ("generated %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " cases", done, n_cases);
}
