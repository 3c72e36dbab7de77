/* test-text.c: folding for search, and input checks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <motcua/motcua.h>
#include <string.h>

static void
test_fold (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "Đăng ký khai sinh", "dang ky khai sinh" },
    { "NGUYỄN VĂN AN", "nguyen van an" },
    { "Trần Thị Ánh Tuyết", "tran thi anh tuyet" },
    { "đường Điện Biên Phủ, phường 15", "duong dien bien phu phuong 15" },
    { "Lò Văn Pằng", "lo van pang" },
    { "  hộ   tịch  ", "ho tich" },
    { "Ưu tiên ơ ư ợ", "uu tien o u o" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = motcua_text_fold (cases[i].in);

      g_assert_cmpstr (folded, ==, cases[i].out);
    }
}

static void
test_fold_decomposed (void)
{
  /* The same words typed with combining marks (NFD) fold the same. */
  g_autofree char *nfd = g_utf8_normalize ("Nguyễn Văn Đức", -1, G_NORMALIZE_NFD);
  g_autofree char *folded = motcua_text_fold (nfd);

  g_assert_cmpstr (folded, ==, "nguyen van duc");
}

static void
test_citizen_id (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (motcua_check_citizen_id ("citizen ID", "012345678901", &error));
  g_assert_no_error (error);

  g_assert_false (motcua_check_citizen_id ("citizen ID", "01234567890", &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "citizen ID “01234567890”"));
  g_clear_error (&error);

  g_assert_false (motcua_check_citizen_id ("citizen ID", "01234567890a", &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (motcua_check_citizen_id ("citizen ID", NULL, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "citizen ID is required");
}

static void
test_phone (void)
{
  static const struct { const char *in, *out; } good[] = {
    { "0912345678", "0912345678" },
    { "091 234 5678", "0912345678" },
    { "+84912345678", "0912345678" },
    { "0386.123.456", "0386123456" },
    { "02133876543", "02133876543" },
  };
  static const char *bad[] = {
    "091234567", "09123456789", "0112345678", "1912345678", "09123x5678", "+1 555 1234",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *phone = motcua_normalize_phone ("phone", good[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (phone, ==, good[i].out);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *phone = motcua_normalize_phone ("phone", bad[i], &error);
      g_autofree char *quoted = g_strdup_printf ("“%s”", bad[i]);

      g_assert_null (phone);
      g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, quoted));
    }
}

static void
test_dates (void)
{
  g_autoptr(GError) error = NULL;
  GDate date;

  g_assert_true (motcua_check_date ("date", "2024-02-29", &date, &error));
  g_assert_cmpint (g_date_get_day (&date), ==, 29);

  g_assert_false (motcua_check_date ("date", "2025-02-29", NULL, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "date “2025-02-29”"));
  g_clear_error (&error);

  g_assert_false (motcua_check_date ("date", "2025-13-01", NULL, &error));
  g_clear_error (&error);
  g_assert_false (motcua_check_date ("date", "25-01-01", NULL, &error));
  g_clear_error (&error);
  g_assert_false (motcua_check_date ("date", "2025-01-01x", NULL, &error));
  g_clear_error (&error);
}

static void
test_datetimes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = motcua_normalize_datetime ("at", "2025-03-04T02:15:00Z", &error);
  g_autofree char *b = motcua_normalize_datetime ("at", "2025-03-04T09:15:00", &error);
  g_autofree char *c = motcua_normalize_datetime ("at", "2025-03-04", &error);
  g_autofree char *bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, "2025-03-04T09:15:00+07:00");
  g_assert_cmpstr (b, ==, "2025-03-04T09:15:00+07:00");
  g_assert_cmpstr (c, ==, "2025-03-04T08:00:00+07:00");

  bad = motcua_normalize_datetime ("received_at", "2025-02-30T10:00:00+07:00", &error);
  g_assert_null (bad);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "received_at “2025-02-30T10:00:00+07:00”"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/fold", test_fold);
  g_test_add_func ("/text/fold-decomposed", test_fold_decomposed);
  g_test_add_func ("/text/citizen-id", test_citizen_id);
  g_test_add_func ("/text/phone", test_phone);
  g_test_add_func ("/text/dates", test_dates);
  g_test_add_func ("/text/datetimes", test_datetimes);

  return g_test_run ();
}
