/* test-reorganisation.c: a published reorganisation, planned, applied, and refused
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include "motcua-replica-private.h"

#include "test-offices.h"

/* The fixture's district T.D and its communes end on 30 June 2025: their work passes to a new
 * commune T.M, and T.D.K, kept, moves under the province. */
static const char reform[] =
  "{\"format\": \"motcua-reorganisation\", \"version\": 1, \"effective\": \"2025-07-01\","
  " \"title\": \"Sắp xếp đơn vị hành chính cấp xã tỉnh Thử\","
  " \"legal_basis\": \"Nghị quyết mẫu\","
  " \"created\": [{\"code\": \"T.M\", \"name\": \"UBND xã Mới\", \"level\": \"commune\","
  "   \"parent\": \"T\", \"centre\": \"Trung tâm Phục vụ hành chính công xã Mới\"}],"
  " \"ended\": [{\"code\": \"T.D.A\", \"successor\": \"T.M\"},"
  "   {\"code\": \"T.D.B\", \"successor\": \"T.M\"}, {\"code\": \"T.D\", \"successor\": \"T.M\"}],"
  " \"moved\": [{\"code\": \"T.D.K\", \"parent\": \"T\"}],"
  " \"renamed\": [{\"code\": \"T\", \"name\": \"UBND tỉnh Thử mới\"}]}";

static MotcuaReorganisation *
load (const char *text)
{
  g_autoptr(GError) error = NULL;
  MotcuaReorganisation *reorg = motcua_reorganisation_load_data (text, strlen (text), "r.json",
                                                                 &error);

  g_assert_no_error (error);

  return reorg;
}

static void
put_kept (MotcuaFixture *f)
{
  MotcuaOffice kept = {
    .code = (char *) "T.D.K", .name = (char *) "UBND xã Giữ", .level = MOTCUA_LEVEL_COMMUNE,
    .parent_code = (char *) "T.D",
  };
  g_autoptr(GError) error = NULL;

  motcua_replica_put_office (f->replica, &kept, &error);
  g_assert_no_error (error);
}

/* An open case at T.D.A and a withdrawn one at T.D.B, both received in June 2025. */
static void
receive_june (MotcuaFixture *f)
{
  MotcuaReception open = {
    .procedure_code = "HT.KS", .receiving_office = "T.D.A", .applicant_name = "Lò Văn Mở",
    .citizen_id = "012345678901", .received_at = "2025-06-27T09:00:00+07:00",
  };
  MotcuaReception closed = {
    .procedure_code = "HT.KS", .receiving_office = "T.D.B", .applicant_name = "Lò Thị Đóng",
    .citizen_id = "012345678902", .received_at = "2025-06-27T10:00:00+07:00",
  };
  MotcuaStepOptions withdrawn = { .note = "Công dân rút hồ sơ" };
  g_autoptr(MotcuaCase) a = NULL;
  g_autoptr(MotcuaCase) b = NULL;
  g_autoptr(GError) error = NULL;

  f->now_ms = motcua_test_ms ("2025-06-27T11:00:00+07:00");
  a = motcua_replica_receive (f->replica, &open, &error);
  g_assert_no_error (error);
  b = motcua_replica_receive (f->replica, &closed, &error);
  g_assert_no_error (error);
  motcua_replica_advance_case (f->replica, b->receipt_no, MOTCUA_STATUS_WITHDRAWN, &withdrawn,
                               &error);
  g_assert_no_error (error);
}

static const MotcuaReorgStep *
find_step (GPtrArray  *steps,
           const char *code)
{
  for (guint i = 0; i < steps->len; i++)
    {
      const MotcuaReorgStep *step = g_ptr_array_index (steps, i);

      if (g_strcmp0 (step->code, code) == 0)
        return step;
    }
  g_assert_not_reached ();
}

static void
test_plan (MotcuaFixture *f,
           gconstpointer  data)
{
  g_autoptr(MotcuaReorganisation) reorg = load (reform);
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  gint64 changes;

  put_kept (f);
  receive_june (f);
  changes = motcua_test_count (f->replica, "changes");

  steps = motcua_replica_plan_reorganisation (f->replica, reorg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, 6);
  g_assert_cmpint (find_step (steps, "T.M")->action, ==, MOTCUA_REORG_CREATE);
  g_assert_cmpuint (find_step (steps, "T.D.A")->open_cases, ==, 1);
  g_assert_cmpuint (find_step (steps, "T.D.A")->closed_cases, ==, 0);
  g_assert_cmpuint (find_step (steps, "T.D.B")->open_cases, ==, 0);
  g_assert_cmpuint (find_step (steps, "T.D.B")->closed_cases, ==, 1);
  g_assert_cmpstr (find_step (steps, "T.D.K")->target, ==, "T");
  g_assert_false (find_step (steps, "T.D")->done);

  /* The one wording of a step, which the CLI and the desk both show. */
  {
    static const struct { const char *code, *action, *words; } words[] = {
      { "T.M", "create", "created under T" },
      { "T.D.A", "end", "ends; its work passes to T.M: 1 open cases move there, 0 closed cases"
                        " stay" },
      { "T.D.K", "move", "moves under T" },
      { "T", "rename", "renamed" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (words); i++)
      {
        const MotcuaReorgStep *step = find_step (steps, words[i].code);
        g_autofree char *described = motcua_reorg_step_describe (step);

        g_assert_cmpstr (motcua_reorg_action_to_string (step->action), ==, words[i].action);
        g_assert_cmpstr (described, ==, words[i].words);
      }
  }

  /* A plan writes nothing. */
  g_assert_cmpint (motcua_test_count (f->replica, "changes"), ==, changes);
  g_assert_null (motcua_replica_dup_office (f->replica, "T.M", NULL));
}

static char *
tree_codes (MotcuaReplica *replica,
            const char    *day)
{
  g_autoptr(GPtrArray) tree = motcua_replica_list_tree_on (replica, "T", day, NULL);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_nonnull (tree);
  for (guint i = 0; i < tree->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "",
                            ((MotcuaOffice *) g_ptr_array_index (tree, i))->code);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_apply (MotcuaFixture *f,
            gconstpointer  data)
{
  g_autoptr(MotcuaReorganisation) reorg = load (reform);
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(MotcuaCase) open = NULL;
  g_autoptr(MotcuaOffice) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  const MotcuaCaseEvent *last;
  guint moved = 99;
  gint64 changes;

  put_kept (f);
  receive_june (f);

  /* Not before its day. */
  g_assert_false (motcua_replica_can_apply_reorganisation (f->replica, reorg, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (motcua_replica_apply_reorganisation (f->replica, reorg, &moved, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2025-07-01"));
  g_clear_error (&error);
  g_assert_null (motcua_replica_dup_office (f->replica, "T.M", NULL));

  f->now_ms = motcua_test_ms ("2025-07-01T07:00:00+07:00");
  g_assert_true (motcua_replica_can_apply_reorganisation (f->replica, reorg, &error));
  g_assert_no_error (error);
  g_assert_true (motcua_replica_apply_reorganisation (f->replica, reorg, &moved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (moved, ==, 1);

  created = motcua_replica_dup_office (f->replica, "T.M", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (created->in_force_from, ==, "2025-07-01");
  g_assert_cmpstr (created->centre, ==, "Trung tâm Phục vụ hành chính công xã Mới");

  /* The open case is the new commune's to handle, and its timeline says why; the closed one
   * stays where it was received. */
  filter.office = "T.D.A";
  filter.today = "2025-06-30";
  filter.query = "Mở";
  cases = motcua_replica_list_cases (f->replica, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 1);
  open = motcua_case_copy (g_ptr_array_index (cases, 0));
  g_assert_cmpstr (open->receiving_office, ==, "T.D.A");
  g_assert_cmpstr (open->handling_office, ==, "T.M");
  events = motcua_replica_list_case_events (f->replica, open->receipt_no, &error);
  g_assert_no_error (error);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (last->action, ==, "transferred");
  g_assert_cmpstr (last->from_office, ==, "T.D.A");
  g_assert_cmpstr (last->to_office, ==, "T.M");
  g_assert_cmpstr (last->note, ==, "Sắp xếp đơn vị hành chính cấp xã tỉnh Thử");

  /* The tree before and after. */
  before = tree_codes (f->replica, "2025-06-30");
  g_assert_cmpstr (before, ==, "T T.D T.D.A T.D.B T.D.K");
  after = tree_codes (f->replica, "2025-07-01");
  g_assert_cmpstr (after, ==, "T T.D.K T.M");

  /* Applying it again changes nothing, and the plan says it is done. */
  changes = motcua_test_count (f->replica, "changes");
  g_assert_true (motcua_replica_apply_reorganisation (f->replica, reorg, &moved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (moved, ==, 0);
  g_assert_cmpint (motcua_test_count (f->replica, "changes"), ==, changes);
  again = motcua_replica_plan_reorganisation (f->replica, reorg, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < again->len; i++)
    g_assert_true (((MotcuaReorgStep *) g_ptr_array_index (again, i))->done);
}

typedef struct
{
  const char *text;
  int         code;
  const char *expect;
} BadReorg;

#define REORG(body) \
  "{\"format\": \"motcua-reorganisation\", \"version\": 1, \"effective\": \"2025-07-01\"," \
  " \"title\": \"T\", \"legal_basis\": \"L\", " body "}"

static void
test_bad (MotcuaFixture *f,
          gconstpointer  data)
{
  static const BadReorg loads[] = {
    { "{", MOTCUA_ERROR_IMPORT, "is not valid JSON" },
    { "{\"format\": \"motcua-offices\", \"version\": 1}", MOTCUA_ERROR_IMPORT,
      "expected “motcua-reorganisation”" },
    { REORG ("\"ended\": [{\"code\": \"T.D\"}], \"colour\": 1"), MOTCUA_ERROR_IMPORT,
      "unknown field “colour”" },
    { "{\"format\": \"motcua-reorganisation\", \"version\": 1, \"effective\": \"2025-02-30\","
      " \"title\": \"T\", \"legal_basis\": \"L\"}", MOTCUA_ERROR_IMPORT, "effective" },
    { REORG ("\"ended\": [{\"code\": \"T.D\"}], \"renamed\": [{\"code\": \"T.D\","
             " \"name\": \"X\"}]"), MOTCUA_ERROR_IMPORT, "renamed[0] (T.D): office T.D appears twice" },
    { REORG ("\"ended\": [{\"code\": \"t.d\"}]"), MOTCUA_ERROR_IMPORT, "ended[0] (t.d)" },
    { REORG ("\"moved\": [{\"code\": \"T.D\"}]"), MOTCUA_ERROR_IMPORT,
      "moved[0] (T.D): field parent is required" },
    { REORG ("\"created\": [{\"code\": \"T.N\", \"name\": \"N\", \"level\": \"commune\","
             " \"in_force_to\": \"2026-01-01\"}]"), MOTCUA_ERROR_IMPORT,
      "created[0] (T.N): a created office comes into being on the effective day" },
  };
  static const BadReorg plans[] = {
    { REORG ("\"ended\": [{\"code\": \"T.D.A\", \"successor\": \"T.NONE\"}]"),
      MOTCUA_ERROR_NOT_FOUND, "successor “T.NONE” is neither an office" },
    { REORG ("\"ended\": [{\"code\": \"T.NONE\"}]"), MOTCUA_ERROR_NOT_FOUND, "T.NONE" },
    { REORG ("\"created\": [{\"code\": \"T.D\", \"name\": \"N\", \"level\": \"commune\"}]"),
      MOTCUA_ERROR_EXISTS, "office T.D already exists" },
    { REORG ("\"moved\": [{\"code\": \"T.D\", \"parent\": \"T\"}]"), MOTCUA_ERROR_INVALID,
      "already under T" },
  };
  gint64 changes = motcua_test_count (f->replica, "changes");

  for (guint i = 0; i < G_N_ELEMENTS (loads); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MotcuaReorganisation) reorg =
        motcua_reorganisation_load_data (loads[i].text, strlen (loads[i].text), "r.json",
                                         &error);

      g_assert_null (reorg);
      g_assert_error (error, MOTCUA_ERROR, loads[i].code);
      if (strstr (error->message, loads[i].expect) == NULL)
        g_error ("load %u: “%s” does not say “%s”", i, error->message, loads[i].expect);
    }

  f->now_ms = motcua_test_ms ("2025-07-02T09:00:00+07:00");
  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MotcuaReorganisation) reorg = load (plans[i].text);
      g_autoptr(GPtrArray) steps = motcua_replica_plan_reorganisation (f->replica, reorg,
                                                                       &error);

      g_assert_null (steps);
      g_assert_error (error, MOTCUA_ERROR, plans[i].code);
      if (strstr (error->message, plans[i].expect) == NULL)
        g_error ("plan %u: “%s” does not say “%s”", i, error->message, plans[i].expect);
      g_clear_error (&error);
      g_assert_false (motcua_replica_apply_reorganisation (f->replica, reorg, NULL, &error));
      g_assert_error (error, MOTCUA_ERROR, plans[i].code);
    }
  g_assert_cmpint (motcua_test_count (f->replica, "changes"), ==, changes);
}

/* Only the province applies one: an enrolled desk receives it by syncing. */
static void
test_desk_refused (void)
{
  MotcuaFixture f = { 0 };
  g_autoptr(MotcuaReorganisation) reorg = load (REORG ("\"renamed\": [{\"code\": \"X\","
                                                       " \"name\": \"Y\"}]"));
  g_autoptr(GError) error = NULL;

  motcua_fixture_set_up_empty (&f, MOTCUA_LEVEL_COMMUNE, "X");
  f.now_ms = motcua_test_ms ("2025-07-02T09:00:00+07:00");
  _motcua_replica_meta_set_text (f.replica, "server_url", "http://127.0.0.1:1/", &error);
  g_assert_no_error (error);
  /* Said beforehand, as the desk shows it, in the words apply refuses with. */
  g_assert_false (motcua_replica_can_apply_reorganisation (f.replica, reorg, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Only the province"));
  g_clear_error (&error);
  g_assert_false (motcua_replica_apply_reorganisation (f.replica, reorg, NULL, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Only the province"));
  motcua_fixture_tear_down (&f, NULL);
}

void
test_reorganisation_add_tests (void)
{
  motcua_test_add ("/reorganisation/plan", test_plan);
  motcua_test_add ("/reorganisation/apply", test_apply);
  motcua_test_add ("/reorganisation/bad", test_bad);
  g_test_add_func ("/reorganisation/desk-refused", test_desk_refused);
}
