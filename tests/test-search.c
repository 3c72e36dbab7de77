/* test-search.c: diacritic-insensitive, ranked, prefix search
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-test-utils.h"

static void
put (MotcuaReplica *replica,
     const char    *code,
     const char    *name,
     const char    *sector)
{
  const char *docs[] = { "Tờ khai", NULL };
  MotcuaProcedure p = {
    .code = (char *) code, .name = (char *) name, .sector = (char *) sector,
    .levels = 1u << MOTCUA_LEVEL_COMMUNE, .documents = (GStrv) docs,
  };
  g_autoptr(GError) error = NULL;

  motcua_replica_put_procedure (replica, &p, &error);
  g_assert_no_error (error);
}

static GPtrArray *
search (MotcuaReplica *replica,
        const char    *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *found = motcua_replica_search_procedures (replica, query, 10, &error);

  g_assert_no_error (error);

  return found;
}

static void
test_procedures (MotcuaFixture *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) found = NULL;

  put (f->replica, "HT.KT", "Đăng ký khai tử", "Hộ tịch");
  put (f->replica, "HT.KH", "Đăng ký kết hôn", "Hộ tịch");
  put (f->replica, "CT.BS", "Chứng thực bản sao từ bản chính", "Chứng thực");

  /* Without diacritics, đ included. */
  found = search (f->replica, "dang ky khai sinh");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((MotcuaProcedure *) found->pdata[0])->code, ==, "HT.KS");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* With diacritics, upper case. */
  found = search (f->replica, "ĐĂNG KÝ KẾT HÔN");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((MotcuaProcedure *) found->pdata[0])->code, ==, "HT.KH");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* As the officer types: "khai" is a prefix of nothing else, "kha" finds both. */
  found = search (f->replica, "dang ky kha");
  g_assert_cmpuint (found->len, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Ranked: a name match ranks above a sector match. */
  found = search (f->replica, "chung thuc");
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = search (f->replica, "ho tich");
  g_assert_cmpuint (found->len, ==, 3);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* FTS5 syntax in the query is just text. */
  found = search (f->replica, "\"dang\" OR * NEAR(");
  g_assert_nonnull (found);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = search (f->replica, "không có");
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_ranking (MotcuaFixture *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) found = NULL;

  put (f->replica, "X.1", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng");
  put (f->replica, "X.2", "Đăng ký hộ kinh doanh", "Đăng ký kinh doanh");

  /* "kinh doanh" is in X.2's name and sector, in nothing else. */
  found = search (f->replica, "kinh doanh");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((MotcuaProcedure *) found->pdata[0])->code, ==, "X.2");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* A code finds its procedure. */
  found = search (f->replica, "x.1");
  g_assert_cmpuint (found->len, >=, 1);
  g_assert_cmpstr (((MotcuaProcedure *) found->pdata[0])->code, ==, "X.1");
}

static void
test_cases (MotcuaFixture *f,
            gconstpointer  data)
{
  static const char *names[] = {
    "Nguyễn Văn An", "Nguyễn Văn Bình", "Nguyễn Thị Cúc", "Đặng Văn Đức", "Lò Văn Pằng",
  };
  g_autoptr(GError) error = NULL;
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  g_autoptr(GPtrArray) list = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *cid = g_strdup_printf ("01200000000%u", i);
      MotcuaReception r = { .procedure_code = "HT.KS", .applicant_name = names[i],
                            .citizen_id = cid, .phone = "0912345678" };
      g_autoptr(MotcuaCase) c = motcua_replica_receive (f->replica, &r, &error);

      g_assert_no_error (error);
    }

  filter.query = "nguyen van";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 2);
  filter.query = "nguyen";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 3);
  filter.query = "dang van duc";
  list = motcua_replica_list_cases (f->replica, &filter, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((MotcuaCase *) list->pdata[0])->applicant_name, ==, "Đặng Văn Đức");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* By receipt number, and by citizen ID as it is typed. */
  filter.query = "T-2025-000005";
  list = motcua_replica_list_cases (f->replica, &filter, &error);
  g_assert_cmpuint (list->len, >=, 1);
  g_assert_cmpstr (((MotcuaCase *) list->pdata[0])->receipt_no, ==, "T-2025-000005");
  g_clear_pointer (&list, g_ptr_array_unref);
  filter.query = "0120000000";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 5);

  /* A receipt number as it is typed, in lower case: a prefix of the numbers. */
  filter.query = "t-2025-00000";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 5);
  filter.query = "T-2025-000004";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 1);

  /* Words typed so far are whole, the last is a prefix: "van" is not a prefix of "van…". */
  filter.query = "nguyen van b";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 1);
  filter.query = "nguy";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 3);
  filter.query = "nguy van";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 0);

  /* An edit reindexes. */
  motcua_replica_edit_case (f->replica, "T-2025-000001", "applicant_name", "Hoàng Văn An", NULL,
                            &error);
  g_assert_no_error (error);
  filter.query = "nguyen van";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 1);
  filter.query = "hoang";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 1);
  g_assert_no_error (error);

  /* Compacting the index finds the same. */
  g_assert_true (motcua_replica_optimize (f->replica, &error));
  g_assert_no_error (error);
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 1);
  filter.query = "nguyen";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  motcua_test_add ("/search/procedures", test_procedures);
  motcua_test_add ("/search/ranking", test_ranking);
  motcua_test_add ("/search/cases", test_cases);

  return g_test_run ();
}
