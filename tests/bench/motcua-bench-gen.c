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

#define YEAR          2025
#define N_DEPARTMENTS 20
#define N_DISTRICTS   15
#define N_COMMUNES    190
#define N_PROCEDURES  1800
#define BATCH         50000
#define SNAPSHOT_DAY  "2025-12-31"

typedef struct
{
  char        *code;
  char        *name;        /* "UBND xã Nậm Manh" */
  char        *place;       /* "xã Nậm Manh", for addresses */
  MotcuaLevel  level;
  gint         parent;      /* index into the offices, -1 for the province */
  double       weight;      /* how many cases it receives, relatively */
  guint        receipts;    /* receipt numbers given in the year */
} GenOffice;

typedef struct
{
  char  *code;
  guint  levels;
  guint  days;
  guint  n_documents;
  double weight;            /* how popular it is, relatively */
} GenProcedure;

/* Cumulative weights for picking one of a set of indices. */
typedef struct
{
  GArray *items;            /* guint */
  GArray *cumulative;       /* double */
} Picker;

typedef struct
{
  guint64         seed;
  GRand          *rand;
  MotcuaReplica  *replica;
  MotcuaCalendar *calendar;
  GPtrArray      *offices;      /* GenOffice */
  GPtrArray      *procedures;   /* GenProcedure */
  Picker          offices_at[MOTCUA_N_LEVELS];
  Picker          procedures_at[MOTCUA_N_LEVELS];
  guint64         population;
  GDate           snapshot;
  guint           early_debt;   /* early draws that had to be on time instead */

  /* What was generated. */
  guint64         n_level[MOTCUA_N_LEVELS];
  guint64         n_channel[MOTCUA_N_CHANNELS];
  guint64         n_status[MOTCUA_N_STATUSES];
  guint64         n_early, n_on_time, n_late;
  guint64         n_open_within, n_open_overdue;
} Gen;

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

static void
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

static guint
picker_pick (const Picker *picker,
             GRand        *rand)
{
  guint i;

  g_assert (picker->items->len > 0);
  i = motcua_bench_pick_cumulative ((const double *) (void *) picker->cumulative->data,
                                    picker->cumulative->len, g_rand_double (rand));

  return g_array_index (picker->items, guint, i);
}

static double
gaussian (GRand *rand)
{
  double u = 1.0 - g_rand_double (rand);
  double v = g_rand_double (rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

static G_NORETURN void
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

/* Synthesized procedures: an action on an object, sometimes qualified, as in the national
 * database of administrative procedures. */
typedef enum
{
  KIND_PERMIT,    /* giấy phép, chứng chỉ, giấy chứng nhận, thẻ */
  KIND_BENEFIT,   /* trợ cấp, hỗ trợ, chế độ */
  KIND_RECORD,    /* xác nhận, đăng ký */
} ObjectKind;

typedef struct
{
  const char *name;
  const char *sector;
  guint       levels;
  ObjectKind  kind;
} ProcedureObject;

#define L_DEP  (1u << MOTCUA_LEVEL_DEPARTMENT)
#define L_PROV (1u << MOTCUA_LEVEL_PROVINCE)
#define L_DIS  (1u << MOTCUA_LEVEL_DISTRICT)
#define L_COM  (1u << MOTCUA_LEVEL_COMMUNE)

static const ProcedureObject procedure_objects[] = {
  { "giấy phép kinh doanh vận tải bằng xe ô tô", "Đường bộ", L_DEP, KIND_PERMIT },
  { "giấy phép lái xe", "Đường bộ", L_DEP, KIND_PERMIT },
  { "giấy chứng nhận đăng ký xe máy chuyên dùng", "Đường bộ", L_DEP, KIND_PERMIT },
  { "giấy phép vận chuyển hàng nguy hiểm", "Đường bộ", L_DEP, KIND_PERMIT },
  { "giấy phép thi công công trình trên đường bộ đang khai thác", "Đường bộ", L_DEP | L_DIS,
    KIND_PERMIT },
  { "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "An toàn thực phẩm", L_DEP | L_DIS,
    KIND_PERMIT },
  { "giấy xác nhận nội dung quảng cáo thực phẩm", "An toàn thực phẩm", L_DEP, KIND_PERMIT },
  { "chứng chỉ hành nghề dược", "Dược phẩm", L_DEP, KIND_PERMIT },
  { "giấy chứng nhận đủ điều kiện kinh doanh dược", "Dược phẩm", L_DEP, KIND_PERMIT },
  { "giấy phép hoạt động khám bệnh, chữa bệnh", "Khám bệnh, chữa bệnh", L_DEP, KIND_PERMIT },
  { "giấy phép hành nghề khám bệnh, chữa bệnh", "Khám bệnh, chữa bệnh", L_DEP, KIND_PERMIT },
  { "giấy phép xây dựng công trình", "Hoạt động xây dựng", L_DEP | L_DIS, KIND_PERMIT },
  { "chứng chỉ hành nghề hoạt động xây dựng", "Hoạt động xây dựng", L_DEP, KIND_PERMIT },
  { "chứng chỉ hành nghề kiến trúc", "Kiến trúc", L_DEP, KIND_PERMIT },
  { "giấy chứng nhận đăng ký doanh nghiệp", "Thành lập và hoạt động của doanh nghiệp", L_DEP,
    KIND_PERMIT },
  { "giấy chứng nhận đăng ký hợp tác xã", "Kinh tế hợp tác", L_DIS, KIND_PERMIT },
  { "giấy chứng nhận đăng ký đầu tư", "Đầu tư tại Việt Nam", L_DEP | L_PROV, KIND_PERMIT },
  { "giấy phép bán lẻ sản phẩm thuốc lá", "Lưu thông hàng hóa trong nước", L_DIS, KIND_PERMIT },
  { "giấy phép bán lẻ rượu", "Lưu thông hàng hóa trong nước", L_DIS, KIND_PERMIT },
  { "giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu", "Kinh doanh xăng dầu", L_DEP,
    KIND_PERMIT },
  { "giấy phép hoạt động điện lực", "Điện", L_DEP, KIND_PERMIT },
  { "giấy phép sử dụng vật liệu nổ công nghiệp", "Vật liệu nổ công nghiệp", L_DEP,
    KIND_PERMIT },
  { "giấy phép lao động cho người lao động nước ngoài", "Việc làm", L_DEP, KIND_PERMIT },
  { "giấy phép khai thác nước dưới đất", "Tài nguyên nước", L_DEP, KIND_PERMIT },
  { "giấy phép môi trường", "Môi trường", L_DEP | L_DIS, KIND_PERMIT },
  { "giấy phép khai thác khoáng sản", "Địa chất và khoáng sản", L_DEP | L_PROV, KIND_PERMIT },
  { "giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "Đất đai",
    L_DEP | L_DIS, KIND_PERMIT },
  { "trích lục bản đồ địa chính", "Đất đai", L_DIS, KIND_RECORD },
  { "giấy phép thành lập cơ sở giáo dục mầm non tư thục", "Giáo dục và Đào tạo", L_DIS,
    KIND_PERMIT },
  { "bản sao văn bằng, chứng chỉ từ sổ gốc", "Văn bằng, chứng chỉ", L_DEP | L_DIS,
    KIND_RECORD },
  { "giấy phép tổ chức biểu diễn nghệ thuật", "Nghệ thuật biểu diễn", L_DEP, KIND_PERMIT },
  { "giấy phép kinh doanh dịch vụ karaoke", "Văn hóa", L_DIS, KIND_PERMIT },
  { "giấy phép kinh doanh dịch vụ lữ hành nội địa", "Du lịch", L_DEP, KIND_PERMIT },
  { "thẻ hướng dẫn viên du lịch", "Du lịch", L_DEP, KIND_PERMIT },
  { "giấy chứng nhận kiểm dịch động vật vận chuyển ra khỏi địa bàn", "Thú y", L_DIS,
    KIND_PERMIT },
  { "chứng chỉ hành nghề thú y", "Thú y", L_DEP, KIND_PERMIT },
  { "giấy phép thành lập văn phòng công chứng", "Công chứng", L_DEP, KIND_PERMIT },
  { "thẻ công chứng viên", "Công chứng", L_DEP, KIND_PERMIT },
  { "phiếu lý lịch tư pháp", "Lý lịch tư pháp", L_DEP, KIND_RECORD },
  { "giấy chứng nhận thẩm duyệt thiết kế về phòng cháy và chữa cháy", "Phòng cháy, chữa cháy",
    L_DEP, KIND_PERMIT },
  { "trợ cấp thất nghiệp", "Việc làm", L_DEP, KIND_BENEFIT },
  { "chế độ ưu đãi đối với người có công với cách mạng", "Người có công", L_DEP | L_DIS,
    KIND_BENEFIT },
  { "trợ cấp xã hội hằng tháng đối với người cao tuổi", "Bảo trợ xã hội", L_DIS | L_COM,
    KIND_BENEFIT },
  { "hỗ trợ nhà ở cho hộ nghèo", "Giảm nghèo", L_DIS | L_COM, KIND_BENEFIT },
  { "hỗ trợ học phí cho học sinh, sinh viên dân tộc thiểu số", "Giáo dục và Đào tạo",
    L_DIS | L_COM, KIND_BENEFIT },
  { "hỗ trợ giống cây trồng sau thiên tai", "Nông nghiệp", L_DIS | L_COM, KIND_BENEFIT },
  { "hộ nghèo, hộ cận nghèo", "Giảm nghèo", L_COM, KIND_RECORD },
  { "thông tin về cư trú", "Đăng ký, quản lý cư trú", L_COM, KIND_RECORD },
  { "hộ gia đình làm nông nghiệp, lâm nghiệp có mức sống trung bình", "Giảm nghèo", L_COM,
    KIND_RECORD },
  { "phương án khai thác gỗ rừng trồng", "Lâm nghiệp", L_COM | L_DIS, KIND_RECORD },
  { "nguồn gốc lâm sản", "Lâm nghiệp", L_COM | L_DIS, KIND_RECORD },
  { "giấy phép chặt hạ, dịch chuyển cây xanh đô thị", "Hạ tầng kỹ thuật", L_DIS, KIND_PERMIT },
  { "giấy phép đào đường, vỉa hè", "Hạ tầng kỹ thuật", L_DIS, KIND_PERMIT },
  { "giấy chứng nhận đăng ký hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", L_DIS,
    KIND_PERMIT },
  { "tình trạng hôn nhân", "Hộ tịch", L_COM, KIND_RECORD },
  { "người giám hộ", "Hộ tịch", L_COM, KIND_RECORD },
};

static const char *const permit_actions[] = {
  "Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Cấp điều chỉnh", "Thu hồi",
  "Sửa đổi, bổ sung", "Cấp mới",
};
static const char *const benefit_actions[] = {
  "Giải quyết", "Thực hiện", "Điều chỉnh", "Thôi hưởng", "Chi trả", "Tạm dừng",
};
static const char *const record_actions[] = {
  "Xác nhận", "Cấp", "Đăng ký", "Cấp bản sao", "Đính chính",
};

typedef struct
{
  const char *text;
  guint       levels;   /* 0: the object's */
} Qualifier;

static const Qualifier qualifiers[] = {
  { " (trường hợp bị mất, hư hỏng)", 0 }, { " đối với tổ chức", 0 }, { " đối với cá nhân", 0 },
  { " có yếu tố nước ngoài", 0 }, { " cấp tỉnh", L_DEP | L_PROV }, { " cấp huyện", L_DIS },
  { " cấp xã", L_COM }, { " lần đầu", 0 }, { " trong khu công nghiệp", L_DEP },
  { " đối với doanh nghiệp nhỏ và vừa", 0 }, { " theo thủ tục rút gọn", 0 },
  { " khi thay đổi nơi cư trú", 0 }, { " thực hiện tại cấp huyện", L_DIS },
  { " trên địa bàn tỉnh", L_DEP },
};

static const char *const generic_documents[] = {
  "Đơn đề nghị theo mẫu", "Tờ khai theo mẫu", "Bản sao giấy tờ tùy thân (xuất trình bản chính)",
  "Bản sao Giấy chứng nhận đăng ký doanh nghiệp", "Sơ đồ vị trí", "Bản vẽ thiết kế",
  "Báo cáo đánh giá hiện trạng", "Giấy ủy quyền (nếu có)", "Văn bản thẩm duyệt của cơ quan chuyên môn",
  "Danh sách kèm theo", "Biên bản kiểm tra", "Bản chính giấy phép đã được cấp",
  "Giấy khám sức khỏe", "Ảnh màu cỡ 4x6 cm", "Bản cam kết", "Hợp đồng",
};
static const char *const generic_legal_basis[] = {
  "Nghị định số 107/2021/NĐ-CP", "Nghị định số 61/2018/NĐ-CP",
  "Luật Doanh nghiệp số 59/2020/QH14", "Luật Xây dựng số 50/2014/QH13",
  "Luật Đất đai số 31/2024/QH15", "Luật Giao thông đường bộ số 35/2024/QH15",
  "Nghị định số 45/2020/NĐ-CP", "Thông tư số 01/2023/TT-VPCP", "Luật Dược số 105/2016/QH13",
  "Luật Bảo vệ môi trường số 72/2020/QH14", "Nghị định số 20/2021/NĐ-CP",
  "Luật An toàn thực phẩm số 55/2010/QH12",
};

static guint
pick_days (GRand *rand,
           guint  levels)
{
  static const guint department[] = { 3, 5, 7, 10, 10, 15, 15, 20, 30 };
  static const guint district[] = { 2, 3, 5, 5, 7, 10, 15 };
  static const guint commune[] = { 0, 1, 1, 2, 3, 3, 5 };

  if (levels & (L_DEP | L_PROV))
    return department[g_rand_int_range (rand, 0, G_N_ELEMENTS (department))];
  if (levels & L_DIS)
    return district[g_rand_int_range (rand, 0, G_N_ELEMENTS (district))];

  return commune[g_rand_int_range (rand, 0, G_N_ELEMENTS (commune))];
}

static void
make_procedures (Gen        *gen,
                 const char *datadir)
{
  static const gint64 fees[] = { 0, 0, 0, 0, 20000, 50000, 100000, 200000, 500000, 1000000 };
  g_autofree char *catalogue = g_build_filename (datadir, "catalogue.json", NULL);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  guint n_catalogue = 0;
  guint n_generated;

  if (!motcua_replica_import_file (gen->replica, catalogue, MOTCUA_IMPORT_CATALOGUE,
                                   MOTCUA_FORMAT_AUTO, &n_catalogue, &error))
    die (catalogue, error);

  n_generated = N_PROCEDURES > n_catalogue ? N_PROCEDURES - n_catalogue : 0;
  if (!motcua_replica_begin (gen->replica, &error))
    die ("begin", error);

  for (guint i = 0; i < n_generated; i++)
    {
      const ProcedureObject *object;
      const Qualifier *qualifier = NULL;
      const char *action;
      const char *documents[8] = { NULL };
      const char *legal_basis[3] = { NULL };
      guint64 used = 0;
      guint n_documents;
      g_autofree char *code = g_strdup_printf ("GEN.%04u", i + 1);
      g_autofree char *name = NULL;
      MotcuaProcedure procedure = { 0 };

      do
        {
          object = &procedure_objects[g_rand_int_range (gen->rand, 0,
                                                         G_N_ELEMENTS (procedure_objects))];
          switch (object->kind)
            {
            case KIND_BENEFIT:
              action = benefit_actions[g_rand_int_range (gen->rand, 0,
                                                          G_N_ELEMENTS (benefit_actions))];
              break;
            case KIND_RECORD:
              action = record_actions[g_rand_int_range (gen->rand, 0,
                                                         G_N_ELEMENTS (record_actions))];
              break;
            case KIND_PERMIT:
            default:
              action = permit_actions[g_rand_int_range (gen->rand, 0,
                                                         G_N_ELEMENTS (permit_actions))];
              break;
            }
          qualifier = g_rand_int_range (gen->rand, 0, 10) < 7
                      ? &qualifiers[g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (qualifiers))]
                      : NULL;
          g_free (name);
          name = g_strdup_printf ("%s %s%s", action, object->name,
                                  qualifier != NULL ? qualifier->text : "");
        }
      while (g_hash_table_contains (names, name));
      g_hash_table_add (names, g_strdup (name));

      n_documents = (guint) g_rand_int_range (gen->rand, 2, 7);
      for (guint d = 0; d < n_documents; d++)
        {
          guint k;

          do
            k = (guint) g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (generic_documents));
          while (used & (G_GUINT64_CONSTANT (1) << k));
          used |= G_GUINT64_CONSTANT (1) << k;
          documents[d] = generic_documents[k];
        }
      legal_basis[0] = generic_legal_basis[g_rand_int_range (gen->rand, 0,
                                                             G_N_ELEMENTS (generic_legal_basis))];

      procedure.code = code;
      procedure.name = name;
      procedure.sector = (char *) object->sector;
      procedure.levels = qualifier != NULL && qualifier->levels != 0 ? qualifier->levels
                                                                      : object->levels;
      procedure.processing_days = pick_days (gen->rand, procedure.levels);
      procedure.fee = fees[g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (fees))];
      procedure.online_full = g_rand_int_range (gen->rand, 0, 10) < 6;
      procedure.documents = (GStrv) documents;
      procedure.legal_basis = (GStrv) legal_basis;
      procedure.in_force_from = (char *) "2021-07-01";
      procedure.sample = TRUE;

      if (!motcua_replica_put_procedure (gen->replica, &procedure, &error))
        die (code, error);
    }

  if (!motcua_replica_commit (gen->replica, &error))
    die ("commit", error);

  /* Read them back: processing days and papers as the library sees them. The sample catalogue
   * holds the common procedures (khai sinh, chứng thực…), so they are the popular ones. */
  all = motcua_replica_list_procedures (gen->replica, NULL, -1, &error);
  if (all == NULL)
    die ("list procedures", error);

  for (guint i = 0; i < all->len; i++)
    {
      const MotcuaProcedure *p = g_ptr_array_index (all, i);
      GenProcedure *procedure = g_new0 (GenProcedure, 1);

      procedure->code = g_strdup (p->code);
      procedure->levels = p->levels;
      procedure->days = p->processing_days;
      procedure->n_documents = p->documents ? g_strv_length (p->documents) : 0;
      procedure->weight = exp (1.2 * gaussian (gen->rand))
                          * (g_str_has_prefix (p->code, "GEN.") ? 1.0 : 25.0);
      g_ptr_array_add (gen->procedures, procedure);

      for (guint level = 0; level < MOTCUA_N_LEVELS; level++)
        if (procedure->levels & (1u << level))
          picker_add (&gen->procedures_at[level], gen->procedures->len - 1, procedure->weight);
    }

  /* The province's own desk handles what its departments handle. */
  if (gen->procedures_at[MOTCUA_LEVEL_PROVINCE].items->len == 0)
    for (guint i = 0; i < gen->procedures_at[MOTCUA_LEVEL_DEPARTMENT].items->len; i++)
      {
        guint item = g_array_index (gen->procedures_at[MOTCUA_LEVEL_DEPARTMENT].items, guint, i);

        picker_add (&gen->procedures_at[MOTCUA_LEVEL_PROVINCE], item,
                    ((GenProcedure *) g_ptr_array_index (gen->procedures, item))->weight);
      }

  g_print ("procedures: %u from the sample catalogue, %u synthesized\n", n_catalogue,
           n_generated);
}

static void
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

static void
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
