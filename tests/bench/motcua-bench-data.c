/* motcua-bench-data.c: realistic applicants and place names for the benchmarks
 *
 * The population of a mountain province: Kinh, Thái, H'Mông and Dao families, each with the
 * middle and given names usual among them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-bench-data.h"

typedef enum
{
  GROUP_KINH,
  GROUP_THAI,
  GROUP_HMONG,
  GROUP_DAO,
  N_GROUPS
} Group;

typedef struct
{
  const char *name;
  guint       weight;
  Group       group;
} Family;

static const Family families[] = {
  { "Nguyễn", 230, GROUP_KINH }, { "Trần", 75, GROUP_KINH }, { "Lê", 55, GROUP_KINH },
  { "Phạm", 40, GROUP_KINH }, { "Hoàng", 40, GROUP_KINH }, { "Vũ", 30, GROUP_KINH },
  { "Đỗ", 20, GROUP_KINH }, { "Bùi", 20, GROUP_KINH }, { "Đặng", 18, GROUP_KINH },
  { "Ngô", 12, GROUP_KINH }, { "Dương", 12, GROUP_KINH }, { "Đinh", 12, GROUP_KINH },
  { "Lò", 55, GROUP_THAI }, { "Hà", 35, GROUP_THAI }, { "Tòng", 20, GROUP_THAI },
  { "Lường", 20, GROUP_THAI }, { "Điêu", 15, GROUP_THAI }, { "Quàng", 15, GROUP_THAI },
  { "Vàng", 40, GROUP_HMONG }, { "Sùng", 32, GROUP_HMONG }, { "Giàng", 32, GROUP_HMONG },
  { "Lý", 22, GROUP_HMONG }, { "Thào", 15, GROUP_HMONG }, { "Mùa", 12, GROUP_HMONG },
  { "Lù", 10, GROUP_HMONG }, { "Hảng", 8, GROUP_HMONG }, { "Cứ", 8, GROUP_HMONG },
  { "Tẩn", 18, GROUP_DAO }, { "Chảo", 14, GROUP_DAO }, { "Phàn", 10, GROUP_DAO },
};

/* Middle names by group, male then female. */
static const char *const middle_male[N_GROUPS][8] = {
  { "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân" },
  { "Văn", "Văn", "Văn", "Văn", "Văn", "Văn", "Văn", "Thanh" },
  { "A", "A", "A", "A", "Văn", "A", "A", "Seo" },
  { "Láo", "Văn", "Văn", "Láo", "Văn", "Láo", "Văn", "Sành" },
};
static const char *const middle_female[N_GROUPS][8] = {
  { "Thị", "Thị", "Thị Thu", "Thị Thanh", "Ngọc", "Thị Kim", "Thị Minh", "Thị Hồng" },
  { "Thị", "Thị", "Thị", "Thị", "Thị", "Thị", "Thị", "Thị Thu" },
  { "Thị", "Thị", "Thị", "Mỷ", "Thị", "Thị", "Thị", "Thị" },
  { "Thị", "Mùi", "Thị", "Thị", "Sử", "Thị", "Thị", "Thị" },
};

static const char *const given_kinh_male[] = {
  "An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh",
  "Long", "Minh", "Nam", "Phong", "Phúc", "Quân", "Sơn", "Thắng", "Thành", "Tuấn", "Tùng", "Việt",
  "Vinh", "Hưng", "Lâm", "Nghĩa", "Trung", "Kiên",
};
static const char *const given_kinh_female[] = {
  "Anh", "Châm", "Dung", "Hà", "Hằng", "Hoa", "Huyền", "Hương", "Lan", "Liên", "Linh", "Loan",
  "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thúy", "Trang", "Vân", "Yến",
  "Hạnh", "Hiền", "Tâm", "Xuân", "Ánh", "Hồng",
};
static const char *const given_thai_male[] = {
  "Ơn", "Piểng", "Khăm", "Ín", "Pánh", "Xiêng", "Thoong", "Biên", "Inh", "Cương", "Hoan", "Lả",
  "Khiêm", "Dũng", "Tiến", "Sơn",
};
static const char *const given_thai_female[] = {
  "Ọn", "Xuân", "Pỏm", "Ính", "Bua", "Lả", "Ương", "Ngoan", "Hiên", "Phanh", "Duyên", "Thơm",
  "Nhất", "Lan", "Hoa", "Mai",
};
static const char *const given_hmong_male[] = {
  "Páo", "Chứ", "Dì", "Lềnh", "Tủa", "Sình", "Pó", "Tráng", "Chống", "Dế", "Của", "Sử", "Vừ",
  "Lử", "Sếnh", "Dua", "Chơ", "Tu",
};
static const char *const given_hmong_female[] = {
  "Dua", "Mỷ", "Pàng", "Xúa", "Chá", "Ly", "Say", "Mai", "Dợ", "Sua", "Ca", "Máy", "Chở", "Pằng",
  "Dính", "Xía",
};
static const char *const given_dao_male[] = {
  "Phấu", "Sành", "Kiều", "Chàn", "Quẩy", "Phin", "Lở", "Dao", "Chiêu", "Vảng",
};
static const char *const given_dao_female[] = {
  "Mẩy", "Sói", "Xe", "Lở", "Nái", "Lai", "Chạ", "Pham", "Mây", "Dùn",
};

/* Province codes of the citizen ID (CCCD): mostly this province (012), some from elsewhere. */
static const char *const other_provinces[] = {
  "001", "010", "011", "014", "015", "017", "026", "030", "034", "036", "038", "040",
};

static const char *const mobile_prefixes[] = {
  "032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079",
  "081", "082", "083", "084", "085", "086", "088", "089", "090", "091", "092", "093", "094",
  "096", "097", "098", "086", "097", "098", "096", "036", "037",
};

static const char *const syllables_first[] = {
  "Nậm", "Mường", "Pa", "Phìn", "Tà", "Sì", "Bum", "Ka", "Thu", "Hua", "Dào", "Khổng", "Sin",
  "Chăn", "Lùng", "Pú", "Huổi", "Nà", "Tông", "Khun", "Noong", "Phăng", "Hồ", "Lản", "Mù", "Tả",
  "Vàng", "Bản", "Căn", "Pắc", "Ma", "Xà", "Hô", "Lê", "Cò",
};
static const char *const syllables_second[] = {
  "Hồ", "Lào", "Nưa", "Tở", "Chải", "Hô", "Tủng", "Pao", "Lư", "Sán", "Xe", "Manh", "Hàng",
  "Ma", "Tè", "Mạ", "Kha", "Bon", "Tiến", "Thàng", "Cang", "Sáng", "Ngà", "Bó", "Luông", "Mỏ",
  "Chà", "Hán", "Khương", "Cuổi", "Tòng", "Pồ", "Khao", "Lìn", "Mu", "Sảng", "Chản", "Hăn",
};

guint64
motcua_bench_mix (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);

  return x ^ (x >> 31);
}

typedef struct
{
  guint64 state;
} Stream;

static guint64
stream_next (Stream *s)
{
  s->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  return motcua_bench_mix (s->state);
}

/* Uniform in [0, n). */
static guint
stream_below (Stream *s,
              guint   n)
{
  return (guint) (stream_next (s) % n);
}

/* In [0, 1). */
static double
stream_double (Stream *s)
{
  return (double) (stream_next (s) >> 11) / (double) (G_GUINT64_CONSTANT (1) << 53);
}

/* Given names are not uniform: a few are much more common. */
static const char *
pick_given (Stream            *s,
            const char *const *names,
            guint              n)
{
  double u = stream_double (s);

  return names[(guint) (n * u * u) % n];
}

void
motcua_bench_person (guint64            seed,
                     guint64            index,
                     MotcuaBenchPerson *out)
{
  Stream s = { motcua_bench_mix (seed * G_GUINT64_CONSTANT (0x100000001b3) ^ index) };
  const Family *family = NULL;
  const char *given;
  const char *middle;
  guint total = 0;
  guint draw;
  guint acc = 0;
  int birth_year;
  guint century_sex;
  const char *province;

  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    total += families[i].weight;
  draw = stream_below (&s, total);
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      acc += families[i].weight;
      if (draw < acc)
        {
          family = &families[i];
          break;
        }
    }
  if (family == NULL)
    family = &families[0];

  out->female = stream_below (&s, 100) < 52;
  middle = out->female ? middle_female[family->group][stream_below (&s, 8)]
                       : middle_male[family->group][stream_below (&s, 8)];

  switch (family->group)
    {
    case GROUP_THAI:
      given = out->female ? pick_given (&s, given_thai_female, G_N_ELEMENTS (given_thai_female))
                          : pick_given (&s, given_thai_male, G_N_ELEMENTS (given_thai_male));
      break;

    case GROUP_HMONG:
      given = out->female ? pick_given (&s, given_hmong_female, G_N_ELEMENTS (given_hmong_female))
                          : pick_given (&s, given_hmong_male, G_N_ELEMENTS (given_hmong_male));
      break;

    case GROUP_DAO:
      given = out->female ? pick_given (&s, given_dao_female, G_N_ELEMENTS (given_dao_female))
                          : pick_given (&s, given_dao_male, G_N_ELEMENTS (given_dao_male));
      break;

    case GROUP_KINH:
    case N_GROUPS:
    default:
      given = out->female ? pick_given (&s, given_kinh_female, G_N_ELEMENTS (given_kinh_female))
                          : pick_given (&s, given_kinh_male, G_N_ELEMENTS (given_kinh_male));
      break;
    }

  g_snprintf (out->name, sizeof out->name, "%s %s %s", family->name, middle, given);

  /* Applicants are adults, born 1940–2007. */
  birth_year = 1940 + (int) stream_below (&s, 68);
  century_sex = (birth_year >= 2000 ? 2 : 0) + (out->female ? 1 : 0);
  province = stream_below (&s, 100) < 88
             ? "012" : other_provinces[stream_below (&s, G_N_ELEMENTS (other_provinces))];
  g_snprintf (out->citizen_id, sizeof out->citizen_id, "%s%u%02d%06u", province, century_sex,
              birth_year % 100, stream_below (&s, 1000000));

  if (stream_below (&s, 100) < 88)
    g_snprintf (out->phone, sizeof out->phone, "%s%07u",
                mobile_prefixes[stream_below (&s, G_N_ELEMENTS (mobile_prefixes))],
                stream_below (&s, 10000000));
  else
    out->phone[0] = '\0';
}

guint
motcua_bench_pick_cumulative (const double *cumulative,
                              guint         n_items,
                              double        draw)
{
  double target = draw * cumulative[n_items - 1];
  guint lo = 0, hi = n_items - 1;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (cumulative[mid] > target)
        hi = mid;
      else
        lo = mid + 1;
    }

  return lo;
}

void
motcua_bench_place_name (GRand *rand,
                         char  *out)
{
  g_snprintf (out, 64, "%s %s",
              syllables_first[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables_first))],
              syllables_second[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables_second))]);
}

void
motcua_bench_village_name (GRand *rand,
                           char  *out)
{
  guint kind = (guint) g_rand_int_range (rand, 0, 10);
  char place[64];

  if (kind < 2)
    {
      g_snprintf (out, 64, "Tổ dân phố %d", g_rand_int_range (rand, 1, 16));
      return;
    }

  motcua_bench_place_name (rand, place);
  g_snprintf (out, 64, "%s %s", kind < 8 ? "Bản" : "Thôn", place);
}

const char *const *
motcua_bench_family_names (guint *n_out)
{
  static const char *names[G_N_ELEMENTS (families) + 1];

  if (names[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (families); i++)
      names[i] = families[i].name;
  *n_out = G_N_ELEMENTS (families);

  return names;
}
