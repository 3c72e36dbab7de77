/* motcua-bench-gen-procedures.c: the province's synthesized procedures, as in the national database
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

void
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
