/* test-replica-input.c: bad input at reception and in corrections writes nothing
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-test-utils.h"
#include "test-replica.h"

/* HT.MOI, in force from 1 July 2025, and HT.CU, in force until 28 February 2025: the fixture's
 * clock (3 March 2025) is outside both. */
static void
put_dated_procedures (MotcuaFixture *f)
{
  g_autoptr(MotcuaProcedure) p = motcua_replica_dup_procedure (f->replica, "HT.KS", NULL);

  g_assert_nonnull (p);
  g_free (p->code);
  p->code = g_strdup ("HT.MOI");
  p->in_force_from = g_strdup ("2025-07-01");
  g_assert_true (motcua_replica_put_procedure (f->replica, p, NULL));

  g_free (p->code);
  p->code = g_strdup ("HT.CU");
  g_clear_pointer (&p->in_force_from, g_free);
  p->in_force_to = g_strdup ("2025-02-28");
  g_assert_true (motcua_replica_put_procedure (f->replica, p, NULL));
}

/* A procedure is in force on its first and its last day. */
static void
test_in_force_days (MotcuaFixture *f,
                    gconstpointer  data)
{
  MotcuaReception last = {
    .procedure_code = "HT.CU", .applicant_name = "Lò Văn Pọm", .citizen_id = "012345678901",
    .received_at = "2025-02-28T16:30:00+07:00",
  };
  MotcuaReception first = {
    .procedure_code = "HT.MOI", .applicant_name = "Lò Thị Ban", .citizen_id = "012345678902",
    .received_at = "2025-07-01T07:30:00+07:00",
  };
  g_autoptr(MotcuaCase) a = NULL;
  g_autoptr(MotcuaCase) b = NULL;
  g_autoptr(GError) error = NULL;

  put_dated_procedures (f);
  a = motcua_replica_receive (f->replica, &last, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->procedure_code, ==, "HT.CU");
  b = motcua_replica_receive (f->replica, &first, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->procedure_code, ==, "HT.MOI");
}

typedef struct
{
  const char *field;
  const char *expect;   /* the start of the message */
  MotcuaReception r;
  guint error_code;
} BadReception;

static void
test_bad_input (MotcuaFixture *f,
                gconstpointer  data)
{
  guint bad_paper[] = { 2 };
  guint twice[] = { 0, 0 };
  BadReception bad[] = {
    { "citizen", "citizen ID “12345” is not a citizen ID",
      { .procedure_code = "HT.KS", .applicant_name = "A", .citizen_id = "12345" },
      MOTCUA_ERROR_INVALID },
    { "phone", "phone “12345” is not a Vietnamese phone number",
      { .procedure_code = "HT.KS", .applicant_name = "A", .citizen_id = "012345678901",
        .phone = "12345" }, MOTCUA_ERROR_INVALID },
    { "name", "applicant name is required",
      { .procedure_code = "HT.KS", .applicant_name = "  ", .citizen_id = "012345678901" },
      MOTCUA_ERROR_INVALID },
    { "procedure", "procedure “XX.YY” is not in the catalogue",
      { .procedure_code = "XX.YY", .applicant_name = "A", .citizen_id = "012345678901" },
      MOTCUA_ERROR_NOT_FOUND },
    { "date", "received_at “2025-02-30T09:00:00”",
      { .procedure_code = "HT.KS", .applicant_name = "A", .citizen_id = "012345678901",
        .received_at = "2025-02-30T09:00:00" }, MOTCUA_ERROR_INVALID },
    { "paper", "papers: 2 is not one of the procedure's 2 required papers",
      { .procedure_code = "HT.KS", .applicant_name = "A", .citizen_id = "012345678901",
        .papers = bad_paper, .n_papers = 1 }, MOTCUA_ERROR_INVALID },
    { "twice", "papers: 0 is ticked twice",
      { .procedure_code = "HT.KS", .applicant_name = "A", .citizen_id = "012345678901",
        .papers = twice, .n_papers = 2 }, MOTCUA_ERROR_INVALID },
    { "channel", "channel 9 must be",
      { .procedure_code = "HT.KS", .applicant_name = "A", .citizen_id = "012345678901",
        .channel = 9 }, MOTCUA_ERROR_INVALID },
    { "office", "receiving office “Q” is not an office",
      { .procedure_code = "HT.KS", .receiving_office = "Q", .applicant_name = "A",
        .citizen_id = "012345678901" }, MOTCUA_ERROR_NOT_FOUND },
    { "in force from", "procedure “HT.MOI” comes into force on 2025-07-01: a dossier cannot be"
      " received under it on 2025-03-03",
      { .procedure_code = "HT.MOI", .applicant_name = "A", .citizen_id = "012345678901" },
      MOTCUA_ERROR_INVALID },
    { "in force to", "procedure “HT.CU” was in force until 2025-02-28: a dossier cannot be"
      " received under it on 2025-03-03",
      { .procedure_code = "HT.CU", .applicant_name = "A", .citizen_id = "012345678901" },
      MOTCUA_ERROR_INVALID },
    { "in force to, typed time", "procedure “HT.CU” was in force until 2025-02-28: a dossier"
      " cannot be received under it on 2025-03-01",
      { .procedure_code = "HT.CU", .applicant_name = "A", .citizen_id = "012345678901",
        .received_at = "2025-03-01T08:00:00+07:00" }, MOTCUA_ERROR_INVALID },
  };
  g_autofree char *before = NULL;
  guint64 seq;

  put_dated_procedures (f);
  before = motcua_test_export (f->replica);
  seq = motcua_replica_get_last_seq (f->replica);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MotcuaCase) c = motcua_replica_receive (f->replica, &bad[i].r, &error);

      g_test_message ("bad input: %s", bad[i].field);
      g_assert_null (c);
      g_assert_error (error, MOTCUA_ERROR, (int) bad[i].error_code);
      g_assert_true (g_str_has_prefix (error->message, bad[i].expect));
    }

  /* Nothing was written, not even a receipt number. */
  {
    g_autofree char *after = motcua_test_export (f->replica);

    g_assert_cmpstr (before, ==, after);
    g_assert_cmpuint (motcua_replica_get_last_seq (f->replica), ==, seq);
    g_assert_cmpint (motcua_test_count (f->replica, "receipt_counters"), ==, 0);
  }
}

static void
test_bad_edits (MotcuaFixture *f,
                gconstpointer  data)
{
  MotcuaReception r = {
    .procedure_code = "HT.KS", .applicant_name = "Nguyễn Văn An", .citizen_id = "012345678901",
  };
  g_autoptr(MotcuaCase) c = motcua_replica_receive (f->replica, &r, NULL);
  static const struct { const char *field, *value, *expect; } bad[] = {
    { "status", "approved", "field “status” cannot be edited" },
    { "due_date", "2030-01-01", "field “due_date” cannot be edited" },
    { "citizen_id", "123", "citizen ID “123” is not a citizen ID" },
    { "phone", "abc", "phone “abc” is not a Vietnamese phone number" },
    { "channel", "fax", "channel “fax” must be" },
    { "priority", "vip", "priority “vip” must be" },
    { "papers", "0,7", "papers: 7 is not one of" },
    { "papers", "zero", "papers “zero” must be paper numbers" },
    { "rating", "6", "rating “6” must be" },
    { "rating", "4", "rating: case T-2025-000001 is received" },
    { "applicant_name", "", "applicant name is required" },
  };
  g_autofree char *before = motcua_test_export (f->replica);
  g_autofree char *after = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (motcua_replica_edit_case (f->replica, c->id, bad[i].field, bad[i].value,
                                                NULL, &error));
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, bad[i].expect));
    }

  after = motcua_test_export (f->replica);
  g_assert_cmpstr (before, ==, after);
}

void
test_replica_input_add_tests (void)
{
  motcua_test_add ("/replica/bad-input/reception", test_bad_input);
  motcua_test_add ("/replica/bad-input/edits", test_bad_edits);
  motcua_test_add ("/replica/in-force-days", test_in_force_days);
}
