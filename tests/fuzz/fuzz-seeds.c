/* fuzz-seeds.c: writes the generated part of the fuzz targets' seed corpus
 *
 *   _build-fuzz/tests/fuzz/fuzz-seeds tests/fuzz/corpus
 *
 * push/gen-*.json: what commune T.D.A's replica pushes as it works, for real: a replica of the
 * commune receives, advances, edits, transfers and withdraws cases, and each batch of its new
 * changes is pushed to the hub and written down, renamed as FUZZ_ORIGIN_A's (its first case as
 * FUZZ_CASE_A), with "s" from 1 as fuzz-push reads it.
 * changes/gen-pull-*.json: what a new desk of T.D.A then pulls from the hub, batch by batch
 * (the state of its scope first, as snapshot rows, then the changes).
 * Also the edge cases too big to write by hand: a huge text, and values nested deep.
 * The other files of the corpus are written by hand.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <stdio.h>

#include "fuzz-common.h"

static gboolean pretty = TRUE;

static void
write_json (const char *dir,
            const char *sub,
            const char *name,
            JsonNode   *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *path = g_build_filename (dir, sub, name, NULL);
  g_autoptr(GError) error = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 1);
  json_generator_to_file (generator, path, &error);
  g_assert_no_error (error);
  printf ("%s\n", path);
}

/* {"changes": @changes} */
static void
write_push (const char *dir,
            const char *name,
            JsonArray  *changes)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

  json_object_set_array_member (body, "changes", json_array_ref (changes));
  json_node_set_object (root, body);
  write_json (dir, "push", name, root);
}

static void
write_changes (const char *dir,
               const char *name,
               JsonArray  *changes)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (root, changes);
  write_json (dir, "changes", name, root);
}

static void
push_step (FuzzProvince *p,
           const char   *dir,
           const char   *name)
{
  g_autoptr(JsonArray) seed = fuzz_province_push_a (p);

  g_assert_cmpuint (json_array_get_length (seed), >, 0);
  write_push (dir, name, seed);
}

static char *
receive (FuzzProvince   *p,
         MotcuaChannel   channel,
         MotcuaPriority  priority,
         const char     *name,
         const char     *phone)
{
  static const guint papers[] = { 1 };
  MotcuaReception r = {
    .procedure_code = "HT.KS", .applicant_name = name, .citizen_id = "011190004321",
    .phone = phone, .address = "Xóm Nà Hì, xã A", .channel = channel, .priority = priority,
    .received_at = "2025-03-03T10:15:00+07:00", .papers = papers,
    .n_papers = G_N_ELEMENTS (papers), .note = "Hồ sơ nộp trực tuyến",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = motcua_replica_receive (p->a.replica, &r, &error);

  g_assert_no_error (error);

  return g_strdup (c->id);
}

static void
advance (FuzzProvince *p,
         const char   *id,
         MotcuaStatus  to,
         const char   *note,
         const char   *result)
{
  MotcuaStepOptions options = { .note = note, .result = result,
                                .returned_via = MOTCUA_CHANNEL_COUNTER };
  g_autoptr(GError) error = NULL;

  p->a.now_ms += 60 * 60 * 1000;
  motcua_replica_advance_case (p->a.replica, id, to, &options, &error);
  g_assert_no_error (error);
}

static void
edit (FuzzProvince *p,
      const char   *id,
      const char   *field,
      const char   *value)
{
  g_autoptr(GError) error = NULL;

  motcua_replica_edit_case (p->a.replica, id, field, value, "Sửa theo yêu cầu", &error);
  g_assert_no_error (error);
}

/* One change to a field of FUZZ_CASE_A, as the replica would send it. */
static JsonObject *
field_change (gint64      s,
              const char *column,
              JsonNode   *value)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "o", FUZZ_ORIGIN_A);
  json_object_set_int_member (o, "s", s);
  json_object_set_int_member (o, "h", (gint64) motcua_hlc_make (1741000000000 + s, 0));
  json_object_set_string_member (o, "t", "cases");
  json_object_set_string_member (o, "r", FUZZ_CASE_A);
  json_object_set_string_member (o, "c", column);
  json_object_set_member (o, "v", value);
  json_object_set_int_member (o, "p", 0);

  return o;
}

static void
edge_cases (const char *dir)
{
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autoptr(JsonArray) changes = json_array_new ();
  JsonNode *nested = json_node_init_string (json_node_alloc (), "Lò Văn Pằng");

  pretty = FALSE;   /* these are big enough */

  /* A name of 60,000 bytes, Vietnamese letters of two and three bytes. */
  while (huge->len < 60000)
    g_string_append (huge, "Nguyễn Thị Hồng Nhung ");
  json_array_add_object_element (changes, field_change (1, "applicant_name",
                                                        json_node_init_string (json_node_alloc (),
                                                                               huge->str)));
  write_push (dir, "huge-text.json", changes);
  write_changes (dir, "huge-text.json", changes);

  /* A value wrapped in 200 arrays and objects, in a field and in a timeline row. */
  g_clear_pointer (&changes, json_array_unref);
  changes = json_array_new ();
  for (guint i = 0; i < 200; i++)
    {
      JsonNode *outer;

      if (i % 2 == 0)
        {
          JsonArray *a = json_array_new ();

          json_array_add_element (a, nested);
          outer = json_node_init_array (json_node_alloc (), a);
          json_array_unref (a);
        }
      else
        {
          JsonObject *o = json_object_new ();

          json_object_set_member (o, "applicant_name", nested);
          outer = json_node_init_object (json_node_alloc (), o);
          json_object_unref (o);
        }
      nested = outer;
    }
  json_array_add_object_element (changes, field_change (1, "applicant_name", nested));
  write_push (dir, "deep-value.json", changes);
  write_changes (dir, "deep-value.json", changes);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  FuzzProvince *p;
  g_autofree char *online = NULL;
  g_autofree char *home = NULL;
  MotcuaFixture desk;
  g_autoptr(MotcuaHubPeer) peer = NULL;
  g_autofree char *token = NULL;
  g_autofree char *cursor = NULL;
  gboolean more = TRUE;
  guint batch_no = 0;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s CORPUS_DIR (tests/fuzz/corpus)\n", argv[0]);
      return 2;
    }

  fuzz_process_init ();
  p = fuzz_province_new (TRUE);

  /* FUZZ_CASE_A through its workflow, and the edits a desk makes. */
  advance (p, p->a_case_id, MOTCUA_STATUS_IN_PROCESSING, "Chuyển cán bộ hộ tịch", NULL);
  push_step (p, argv[1], "gen-advance.json");
  edit (p, p->a_case_id, "phone", "+84 987 654 321");
  edit (p, p->a_case_id, "address", "Bản Pa Tần, xã A");
  edit (p, p->a_case_id, "papers", "0");
  edit (p, p->a_case_id, "priority", "elderly");
  push_step (p, argv[1], "gen-edit.json");
  advance (p, p->a_case_id, MOTCUA_STATUS_SUPPLEMENT_REQUESTED, "Thiếu giấy chứng sinh", NULL);
  advance (p, p->a_case_id, MOTCUA_STATUS_RESUBMITTED, "Đã bổ sung", NULL);
  advance (p, p->a_case_id, MOTCUA_STATUS_IN_PROCESSING, NULL, NULL);
  push_step (p, argv[1], "gen-supplement.json");
  advance (p, p->a_case_id, MOTCUA_STATUS_APPROVED, NULL, "Giấy khai sinh số 12/2025");
  advance (p, p->a_case_id, MOTCUA_STATUS_RETURNED, "Trả tại quầy", NULL);
  edit (p, p->a_case_id, "rating", "5");
  push_step (p, argv[1], "gen-approve-return.json");

  /* New cases: one online for an elderly applicant, transferred up to the district; one taken
   * at home, then withdrawn. */
  online = receive (p, MOTCUA_CHANNEL_ONLINE, MOTCUA_PRIORITY_ELDERLY, "Vàng Thị Dợ",
                    "0203 3876 123");
  push_step (p, argv[1], "gen-new-case.json");
  g_assert_true (motcua_replica_transfer_case (p->a.replica, online, "T.D",
                                               "Chuyển huyện giải quyết", &error));
  push_step (p, argv[1], "gen-transfer.json");
  home = receive (p, MOTCUA_CHANNEL_HOME, MOTCUA_PRIORITY_DISABLED, "Giàng A Páo", NULL);
  advance (p, home, MOTCUA_STATUS_WITHDRAWN, "Công dân rút hồ sơ", NULL);
  push_step (p, argv[1], "gen-withdraw.json");

  /* What a new desk of the commune pulls of all that. */
  motcua_fixture_set_up_empty (&desk, MOTCUA_LEVEL_COMMUNE, "T.D.A");
  token = _motcua_hub_enroll (p->hub.replica, "T.D.A", &error);
  g_assert_no_error (error);
  peer = _motcua_hub_authenticate (p->hub.replica, token, &error);
  g_assert_no_error (error);
  while (more)
    {
      g_autofree char *name = g_strdup_printf ("gen-pull-%02u.json", ++batch_no);
      char *next = NULL;
      g_autoptr(MotcuaWireWriter) written = _motcua_hub_pull (p->hub.replica, peer, cursor, 40,
                                                              FALSE, &next, &more, &error);
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) list = NULL;
      JsonArray *batch;

      g_assert_no_error (error);
      text = _motcua_wire_writer_finish (g_steal_pointer (&written));
      list = json_from_string (text, &error);
      g_assert_no_error (error);
      batch = json_node_get_array (list);

      g_assert_no_error (error);
      g_free (cursor);
      cursor = next;
      write_changes (argv[1], name, batch);
      _motcua_replica_apply_changes (desk.replica, batch, NULL, &error);
      g_assert_no_error (error);
    }
  motcua_fixture_tear_down (&desk, NULL);

  edge_cases (argv[1]);

  fuzz_province_free (p);

  return 0;
}
