/* test-export.c: the canonical export
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-test-utils.h"

static void
test_stable (MotcuaFixture *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MotcuaReception r = { .procedure_code = "HT.KS", .applicant_name = "Nguyễn \"Văn\" An\n",
                        .citizen_id = "012345678901" };
  g_autoptr(MotcuaCase) c = motcua_replica_receive (f->replica, &r, &error);
  g_autofree char *a = motcua_test_export (f->replica);
  g_autofree char *b = motcua_test_export (f->replica);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *tables;
  JsonArray *cases;

  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, b);

  /* It is JSON, with every replicated table, and no local bookkeeping. */
  json_parser_load_from_data (parser, a, -1, &error);
  g_assert_no_error (error);
  tables = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "tables");
  g_assert_true (json_object_has_member (tables, "offices"));
  g_assert_true (json_object_has_member (tables, "procedures"));
  g_assert_true (json_object_has_member (tables, "calendar"));
  g_assert_true (json_object_has_member (tables, "case_events"));
  g_assert_true (json_object_has_member (tables, "attachments"));
  cases = json_object_get_array_member (tables, "cases");
  g_assert_cmpuint (json_array_get_length (cases), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (cases, 0),
                                                  "applicant_name"), ==, "Nguyễn \"Văn\" An");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (cases, 0),
                                                  "id"), ==, c->id);
  g_assert_null (strstr (a, "_clk"));
  g_assert_null (strstr (a, "\"rid\""));
}

/* Two replicas that loaded the same catalogue in different orders export the same bytes. */
static void
test_order_independent (void)
{
  static const char *codes[] = { "A.1", "B.2", "C.3", "D.4" };
  MotcuaFixture one = { 0 }, two = { 0 };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  motcua_fixture_set_up_empty (&one, MOTCUA_LEVEL_PROVINCE, "T");
  motcua_fixture_set_up_empty (&two, MOTCUA_LEVEL_PROVINCE, "T");

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      const char *docs[] = { "Tờ khai", NULL };
      MotcuaProcedure p = { .name = (char *) "Thủ tục", .sector = (char *) "Hộ tịch",
                            .levels = 1u << MOTCUA_LEVEL_COMMUNE, .documents = (GStrv) docs };
      g_autoptr(GError) error = NULL;

      p.code = (char *) codes[i];
      motcua_replica_put_procedure (one.replica, &p, &error);
      p.code = (char *) codes[G_N_ELEMENTS (codes) - 1 - i];
      motcua_replica_put_procedure (two.replica, &p, &error);
      g_assert_no_error (error);
    }

  a = motcua_test_export (one.replica);
  b = motcua_test_export (two.replica);
  g_assert_cmpstr (a, ==, b);

  motcua_fixture_tear_down (&one, NULL);
  motcua_fixture_tear_down (&two, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/export/stable", MotcuaFixture, NULL, motcua_fixture_set_up, test_stable,
              motcua_fixture_tear_down);
  g_test_add_func ("/export/order-independent", test_order_independent);

  return g_test_run ();
}
