/* motcua-bench-gen.c: a realistic province replica for the benchmarks
 *
 *   motcua-bench-gen --db PATH [--cases N] [--seed S]
 *
 * A province-role replica with the province, 20 departments, 15 districts and 190 communes,
 * ~1,800 procedures (the sample catalogue and synthesized variants), the published calendars,
 * and N cases (default 1,000,000) received over 2025 as a real province receives them: mostly
 * online, at communes, on working days and in office hours; ~90 % resolved (~55 % early, ~44 %
 * on time, <1 % late), the rest open (the older ones overdue), a few withdrawn. The state is that
 * of 31 December 2025. The same seed gives the same replica.
 *
 * The file is written as PATH.partial and renamed when complete, so an interrupted run never
 * leaves something that looks like a finished replica.
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

static void
gen_office_free (GenOffice *office)
{
  g_free (office->code);
  g_free (office->name);
  g_free (office->place);
  g_free (office);
}

static void
gen_procedure_free (GenProcedure *procedure)
{
  g_free (procedure->code);
  g_free (procedure);
}

static void
picker_init (Picker *picker)
{
  picker->items = g_array_new (FALSE, FALSE, sizeof (guint));
  picker->cumulative = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
picker_clear (Picker *picker)
{
  g_clear_pointer (&picker->items, g_array_unref);
  g_clear_pointer (&picker->cumulative, g_array_unref);
}

void
picker_add (Picker *picker,
            guint   item,
            double  weight)
{
  double total = picker->cumulative->len > 0
                 ? g_array_index (picker->cumulative, double, picker->cumulative->len - 1) : 0;

  total += weight;
  g_array_append_val (picker->items, item);
  g_array_append_val (picker->cumulative, total);
}

guint
picker_pick (const Picker *picker,
             GRand        *rand)
{
  guint i;

  g_assert (picker->items->len > 0);
  i = motcua_bench_pick_cumulative ((const double *) (void *) picker->cumulative->data,
                                    picker->cumulative->len, g_rand_double (rand));

  return g_array_index (picker->items, guint, i);
}

double
gaussian (GRand *rand)
{
  double u = 1.0 - g_rand_double (rand);
  double v = g_rand_double (rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

G_NORETURN void
die (const char   *what,
     const GError *error)
{
  g_printerr ("motcua-bench-gen: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

/* "Nậm Manh" → "NM"; made unique among @taken by a digit. */
static char *
make_code (const char *prefix,
           const char *name,
           GHashTable *taken)
{
  g_autofree char *folded = motcua_text_fold (name);
  g_auto(GStrv) words = g_strsplit (folded, " ", -1);
  g_autoptr(GString) initials = g_string_new (NULL);
  char *code;

  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_string_append_c (initials, g_ascii_toupper (words[i][0]));

  code = g_strdup_printf ("%s%s", prefix, initials->str);
  for (guint n = 2; g_hash_table_contains (taken, code); n++)
    {
      g_free (code);
      code = g_strdup_printf ("%s%s%u", prefix, initials->str, n);
    }
  g_hash_table_add (taken, g_strdup (code));

  return code;
}

static GenOffice *
add_office (Gen         *gen,
            char        *code,
            const char  *name,
            const char  *place,
            MotcuaLevel  level,
            gint         parent,
            double       weight)
{
  GenOffice *office = g_new0 (GenOffice, 1);
  const GenOffice *up = parent >= 0 ? g_ptr_array_index (gen->offices, parent) : NULL;
  MotcuaOffice record = {
    .code = code, .name = (char *) name, .level = level,
    .parent_code = up != NULL ? up->code : NULL,
  };
  g_autoptr(GError) error = NULL;

  if (!motcua_replica_put_office (gen->replica, &record, &error))
    die (code, error);

  office->code = code;
  office->name = g_strdup (name);
  office->place = g_strdup (place);
  office->level = level;
  office->parent = parent;
  office->weight = weight;
  g_ptr_array_add (gen->offices, office);
  picker_add (&gen->offices_at[level], gen->offices->len - 1, weight);

  return office;
}

static void
make_offices (Gen *gen)
{
  static const struct { const char *code, *name; double weight; } departments[N_DEPARTMENTS] = {
    { "STP", "Sở Tư pháp", 6 }, { "SXD", "Sở Xây dựng", 2 }, { "SNV", "Sở Nội vụ", 1 },
    { "STC", "Sở Tài chính", 1.5 }, { "SNNMT", "Sở Nông nghiệp và Môi trường", 3 },
    { "SYT", "Sở Y tế", 2.5 }, { "SGDDT", "Sở Giáo dục và Đào tạo", 2 },
    { "SCT", "Sở Công Thương", 2 }, { "SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", 1 },
    { "SKHCN", "Sở Khoa học và Công nghệ", 0.5 }, { "SDTTG", "Sở Dân tộc và Tôn giáo", 0.3 },
    { "SNGV", "Sở Ngoại vụ", 0.2 }, { "TTT", "Thanh tra tỉnh", 0.2 },
    { "BQLKCN", "Ban Quản lý các khu công nghiệp", 0.3 },
    { "SKHDT", "Sở Kế hoạch và Đầu tư", 2.5 }, { "SGTVT", "Sở Giao thông vận tải", 5 },
    { "SLDTBXH", "Sở Lao động – Thương binh và Xã hội", 2 },
    { "STNMT", "Sở Tài nguyên và Môi trường", 2 },
    { "STTTT", "Sở Thông tin và Truyền thông", 0.5 }, { "VPUBND", "Văn phòng UBND tỉnh", 0.3 },
  };
  static const char *const districts[N_DISTRICTS] = {
    "Mường Tè", "Nậm Nhùn", "Sìn Hồ", "Phong Thổ", "Tam Đường", "Than Uyên", "Tân Uyên",
    "Mường Lay", "Điện Biên Đông", "Mường Chà", "Tủa Chùa", "Tuần Giáo", "Mường Ảng", "Nậm Pồ",
    "Bắc Yên",
  };
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_communes[N_DISTRICTS];
  guint total = 0;
  g_autoptr(GError) error = NULL;

  if (!motcua_replica_begin (gen->replica, &error))
    die ("begin", error);

  add_office (gen, g_strdup ("P"), "UBND tỉnh Sơn Lai", "tỉnh Sơn Lai", MOTCUA_LEVEL_PROVINCE, -1,
              1);
  for (guint i = 0; i < N_DEPARTMENTS; i++)
    add_office (gen, g_strdup_printf ("P.%s", departments[i].code), departments[i].name,
                "tỉnh Sơn Lai", MOTCUA_LEVEL_DEPARTMENT, 0, departments[i].weight);

  /* 190 communes over 15 districts, 8 to 17 each. */
  for (guint d = 0; d < N_DISTRICTS; d++)
    total += n_communes[d] = 8 + (guint) g_rand_int_range (gen->rand, 0, 10);
  for (guint d = 0; total != N_COMMUNES; d = (d + 1) % N_DISTRICTS)
    {
      if (total < N_COMMUNES)
        {
          n_communes[d]++;
          total++;
        }
      else if (n_communes[d] > 6)
        {
          n_communes[d]--;
          total--;
        }
    }

  for (guint d = 0; d < N_DISTRICTS; d++)
    {
      g_autofree char *name = g_strdup_printf ("UBND huyện %s", districts[d]);
      g_autofree char *district_place = g_strdup_printf ("huyện %s", districts[d]);
      g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      gint district = (gint) gen->offices->len;
      GenOffice *office;

      office = add_office (gen, make_code ("P.", districts[d], taken), name, district_place,
                           MOTCUA_LEVEL_DISTRICT, 0, exp (0.3 * gaussian (gen->rand)));

      for (guint c = 0; c < n_communes[d]; c++)
        {
          g_autofree char *prefix = g_strdup_printf ("%s.", office->code);
          g_autofree char *commune_name = NULL;
          g_autofree char *place = NULL;
          char syllables[64];
          double weight = exp (0.5 * gaussian (gen->rand));

          if (c == 0)
            {
              /* The district town: busier than a commune. */
              g_strlcpy (syllables, districts[d], sizeof syllables);
              place = g_strdup_printf ("thị trấn %s", syllables);
              weight *= 2.5;
            }
          else
            {
              do
                motcua_bench_place_name (gen->rand, syllables);
              while (g_hash_table_contains (names, syllables));
              place = g_strdup_printf ("xã %s", syllables);
            }
          g_hash_table_add (names, g_strdup (syllables));

          commune_name = g_strdup_printf ("UBND %s", place);
          add_office (gen, make_code (prefix, syllables, taken), commune_name, place,
                      MOTCUA_LEVEL_COMMUNE, district, weight);
        }
    }

  if (!motcua_replica_commit (gen->replica, &error))
    die ("commit", error);
}

static double
percent (guint64 part,
         guint64 whole)
{
  return whole > 0 ? 100.0 * part / whole : 0;
}

static void
print_summary (Gen     *gen,
               guint64  n)
{
  guint64 resolved = gen->n_early + gen->n_on_time + gen->n_late;

  g_print ("\nwhat was generated (state on %s):\n", SNAPSHOT_DAY);
  g_print ("  levels:   commune %.1f %%, district %.1f %%, department %.1f %%, province %.1f %%\n",
           percent (gen->n_level[MOTCUA_LEVEL_COMMUNE], n),
           percent (gen->n_level[MOTCUA_LEVEL_DISTRICT], n),
           percent (gen->n_level[MOTCUA_LEVEL_DEPARTMENT], n),
           percent (gen->n_level[MOTCUA_LEVEL_PROVINCE], n));
  g_print ("  channels: online %.1f %%, counter %.1f %%, postal %.1f %%, home %.1f %%\n",
           percent (gen->n_channel[MOTCUA_CHANNEL_ONLINE], n),
           percent (gen->n_channel[MOTCUA_CHANNEL_COUNTER], n),
           percent (gen->n_channel[MOTCUA_CHANNEL_POSTAL], n),
           percent (gen->n_channel[MOTCUA_CHANNEL_HOME], n));
  g_print ("  statuses:");
  for (guint s = 0; s < MOTCUA_N_STATUSES; s++)
    g_print (" %s %.2f %%%s", motcua_status_to_string ((MotcuaStatus) s),
             percent (gen->n_status[s], n), s + 1 < MOTCUA_N_STATUSES ? "," : "\n");
  g_print ("  resolved %.1f %%: early %.1f %%, on time %.1f %%, late %.2f %% of them\n",
           percent (resolved, n), percent (gen->n_early, resolved),
           percent (gen->n_on_time, resolved), percent (gen->n_late, resolved));
  g_print ("  open %.1f %%: within the deadline %.1f %%, overdue %.1f %% of all cases\n",
           percent (gen->n_open_within + gen->n_open_overdue, n),
           percent (gen->n_open_within, n), percent (gen->n_open_overdue, n));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  g_autofree char *datadir = NULL;
  g_autofree char *partial = NULL;
  gint64 n_cases = 1000000;
  gint64 seed = 1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The replica to write", "PATH" },
    { "cases", 0, 0, G_OPTION_ARG_INT64, &n_cases, "How many cases (1000000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (1)", "S" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &datadir, "The sample data (data/ of the sources)",
      "DIR" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— a realistic province replica");
  g_autoptr(GError) error = NULL;
  Gen gen = { 0 };
  gint64 start, setup_done, cases_done, optimized;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("arguments", error);
  if (db == NULL)
    {
      g_printerr ("motcua-bench-gen: --db PATH is required\n");
      return 2;
    }
  if (n_cases < 1)
    {
      g_printerr ("motcua-bench-gen: --cases %" G_GINT64_FORMAT " must be at least 1\n", n_cases);
      return 2;
    }
  if (g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_printerr ("motcua-bench-gen: %s exists: remove it first\n", db);
      return 2;
    }
  if (datadir == NULL)
    datadir = g_strdup (g_getenv ("MOTCUA_SOURCE_DATADIR") ? g_getenv ("MOTCUA_SOURCE_DATADIR")
                                                           : MOTCUA_SOURCE_DATADIR);

  partial = g_strconcat (db, ".partial", NULL);
  motcua_bench_remove_db (partial);

  start = g_get_monotonic_time ();
  gen.seed = (guint64) seed;
  gen.rand = g_rand_new_with_seed ((guint32) (seed ^ (seed >> 32)));
  gen.offices = g_ptr_array_new_with_free_func ((GDestroyNotify) gen_office_free);
  gen.procedures = g_ptr_array_new_with_free_func ((GDestroyNotify) gen_procedure_free);
  for (guint l = 0; l < MOTCUA_N_LEVELS; l++)
    {
      picker_init (&gen.offices_at[l]);
      picker_init (&gen.procedures_at[l]);
    }
  gen.population = MAX ((guint64) n_cases * 3 / 5, 1);
  g_date_clear (&gen.snapshot, 1);
  g_date_set_dmy (&gen.snapshot, 31, G_DATE_DECEMBER, YEAR);

  gen.replica = motcua_replica_create (partial, "P", MOTCUA_LEVEL_PROVINCE, &error);
  if (gen.replica == NULL)
    die (partial, error);
  motcua_replica_set_officer (gen.replica, "Nhập dữ liệu (bench)");

  g_print ("motcua-bench-gen: %s, %" G_GINT64_FORMAT " cases, seed %" G_GINT64_FORMAT "\n", db,
           n_cases, seed);
  make_offices (&gen);
  g_print ("offices: %u (1 province, %d departments, %d districts, %d communes)\n",
           gen.offices->len, N_DEPARTMENTS, N_DISTRICTS, N_COMMUNES);
  make_procedures (&gen, datadir);
  load_calendars (&gen, datadir);
  gen.calendar = motcua_replica_dup_calendar (gen.replica, &error);
  if (gen.calendar == NULL)
    die ("calendar", error);
  setup_done = g_get_monotonic_time ();
  g_print ("setup: %.1f s\ncases:\n", (setup_done - start) / 1e6);

  make_cases (&gen, (guint64) n_cases);
  cases_done = g_get_monotonic_time ();

  /* What a bulk import does at its end: compact the search index. */
  if (!motcua_replica_optimize (gen.replica, &error))
    g_error ("optimize: %s", error->message);
  optimized = g_get_monotonic_time ();

  /* Closing checkpoints the WAL into the file. */
  g_clear_object (&gen.replica);
  {
    g_autofree char *wal = g_strconcat (partial, "-wal", NULL);
    g_autofree char *db_wal = g_strconcat (db, "-wal", NULL);

    if (g_file_test (wal, G_FILE_TEST_EXISTS) && g_rename (wal, db_wal) != 0)
      g_error ("cannot rename %s: %s", wal, g_strerror (errno));
    if (g_rename (partial, db) != 0)
      g_error ("cannot rename %s: %s", partial, g_strerror (errno));
  }

  print_summary (&gen, (guint64) n_cases);
  g_print ("\ngenerated %" G_GINT64_FORMAT " cases in %.1f s (%.0f cases/s), %.1f s in all\n",
           n_cases, (cases_done - setup_done) / 1e6,
           n_cases / ((cases_done - setup_done) / 1e6), (g_get_monotonic_time () - start) / 1e6);
  g_print ("RESULT gen-cases %" G_GINT64_FORMAT " cases\n", n_cases);
  g_print ("RESULT gen-time %.1f s\n", (cases_done - setup_done) / 1e6);
  g_print ("RESULT gen-rate %.0f cases/s\n", n_cases / ((cases_done - setup_done) / 1e6));
  g_print ("RESULT gen-optimize-time %.1f s\n", (optimized - cases_done) / 1e6);
  g_print ("RESULT gen-total-time %.1f s\n", (g_get_monotonic_time () - start) / 1e6);

  g_clear_pointer (&gen.calendar, motcua_calendar_unref);
  for (guint l = 0; l < MOTCUA_N_LEVELS; l++)
    {
      picker_clear (&gen.offices_at[l]);
      picker_clear (&gen.procedures_at[l]);
    }
  g_clear_pointer (&gen.offices, g_ptr_array_unref);
  g_clear_pointer (&gen.procedures, g_ptr_array_unref);
  g_clear_pointer (&gen.rand, g_rand_free);

  return 0;
}
