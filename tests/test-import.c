/* test-import.c: catalogue, office, calendar and case files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-test-utils.h"

static gboolean
import (MotcuaFixture     *f,
        const char        *name,
        const char        *text,
        MotcuaImportKind   kind,
        guint             *n,
        GError           **error)
{
  return motcua_replica_import_data (f->replica, text, strlen (text), name, kind,
                                     MOTCUA_FORMAT_AUTO, n, error);
}

#define PROC(code, extra)                                                                    \
  "{\"code\":\"" code "\",\"name\":\"Chứng thực chữ ký\",\"sector\":\"Chứng thực\","          \
  "\"levels\":[\"commune\",\"district\"],\"processing_days\":1,\"fee\":10000,"                \
  "\"online\":\"partial\",\"documents\":[\"Giấy tờ tùy thân\",\"Giấy tờ cần chứng thực\"],"    \
  "\"legal_basis\":[\"Nghị định số 23/2015/NĐ-CP\"]" extra "}"

static void
test_catalogue_json (MotcuaFixture *f,
                     gconstpointer  data)
{
  const char *text = "{\"format\":\"motcua-catalogue\",\"version\":1,\"procedures\":["
                     PROC ("CT.CK", ",\"sample\":true,\"fee_note\":\"mẫu\"") ","
                     PROC ("CT.CK2", "") "]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaProcedure) p = NULL;
  guint n = 0;

  g_assert_true (import (f, "c.json", text, MOTCUA_IMPORT_CATALOGUE, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);

  p = motcua_replica_dup_procedure (f->replica, "CT.CK", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p->name, ==, "Chứng thực chữ ký");
  g_assert_cmpuint (p->levels, ==, (1u << MOTCUA_LEVEL_COMMUNE) | (1u << MOTCUA_LEVEL_DISTRICT));
  g_assert_cmpuint (p->processing_days, ==, 1);
  g_assert_cmpint (p->fee, ==, 10000);
  g_assert_false (p->online_full);
  g_assert_cmpuint (g_strv_length (p->documents), ==, 2);
  g_assert_cmpstr (p->documents[1], ==, "Giấy tờ cần chứng thực");
  g_assert_cmpstr (p->legal_basis[0], ==, "Nghị định số 23/2015/NĐ-CP");
  g_assert_true (p->sample);
  g_assert_cmpstr (p->fee_note, ==, "mẫu");

  /* Importing the same file again changes nothing and logs nothing. */
  {
    guint64 seq = motcua_replica_get_last_seq (f->replica);

    g_assert_true (import (f, "c.json", text, MOTCUA_IMPORT_CATALOGUE, &n, &error));
    g_assert_cmpuint (motcua_replica_get_last_seq (f->replica), ==, seq);
  }
}

static void
test_catalogue_csv (MotcuaFixture *f,
                    gconstpointer  data)
{
  const char *text =
    "\xef\xbb\xbf" "code,name,sector,levels,processing_days,fee,online,documents,legal_basis\r\n"
    "CT.BS,\"Chứng thực bản sao từ bản chính, giấy tờ\",Chứng thực,commune|district,0,2000,"
    "partial,\"Bản chính | Bản sao\",Nghị định số 23/2015/NĐ-CP\r\n"
    "\r\n"
    "HT.TT,\"Trích lục \"\"hộ tịch\"\"\nbản sao\",Hộ tịch,commune,0,0,full,Tờ khai,"
    "Luật Hộ tịch 2014\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaProcedure) bs = NULL;
  g_autoptr(MotcuaProcedure) tt = NULL;
  guint n = 0;

  g_assert_true (import (f, "c.csv", text, MOTCUA_IMPORT_CATALOGUE, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);

  bs = motcua_replica_dup_procedure (f->replica, "CT.BS", &error);
  g_assert_cmpstr (bs->name, ==, "Chứng thực bản sao từ bản chính, giấy tờ");
  g_assert_cmpuint (g_strv_length (bs->documents), ==, 2);
  g_assert_cmpstr (bs->documents[1], ==, "Bản sao");
  tt = motcua_replica_dup_procedure (f->replica, "HT.TT", &error);
  g_assert_cmpstr (tt->name, ==, "Trích lục \"hộ tịch\"\nbản sao");
  g_assert_true (tt->online_full);
}

typedef struct
{
  const char      *name;
  const char      *text;
  MotcuaImportKind kind;
  const char      *expect;   /* a part of the message: where and which field */
} BadFile;

static void
test_bad_files (MotcuaFixture *f,
                gconstpointer  data)
{
  static const BadFile bad[] = {
    { "a.json", "{", MOTCUA_IMPORT_CATALOGUE, "a.json is not valid JSON" },
    { "a.json", "[]", MOTCUA_IMPORT_CATALOGUE, "the top level must be an object" },
    { "a.json", "{\"format\":\"motcua-offices\",\"version\":1,\"offices\":[]}",
      MOTCUA_IMPORT_CATALOGUE, "format is “motcua-offices”, expected “motcua-catalogue”" },
    { "a.json", "{\"format\":\"motcua-catalogue\",\"version\":2,\"procedures\":[]}",
      MOTCUA_IMPORT_CATALOGUE, "version 2 is not supported" },
    { "a.json", "{\"format\":\"motcua-catalogue\",\"version\":1,\"procedures\":["
      PROC ("A.1", "") "," PROC ("A.2", ",\"colour\":1") "]}",
      MOTCUA_IMPORT_CATALOGUE, "procedures[1] (A.2): unknown field “colour”" },
    { "a.json", "{\"format\":\"motcua-catalogue\",\"version\":1,\"procedures\":["
      PROC ("A.1", "") "," PROC ("A.3", ",\"in_force_from\":\"2025-02-30\"") "]}",
      MOTCUA_IMPORT_CATALOGUE, "procedures[1] (A.3): in_force_from “2025-02-30”" },
    { "a.json", "{\"format\":\"motcua-catalogue\",\"version\":1,\"procedures\":[{\"code\":\"A.4\"}]}",
      MOTCUA_IMPORT_CATALOGUE, "procedures[0] (A.4): field name is required" },
    { "a.json", "{\"format\":\"motcua-catalogue\",\"version\":1,\"procedures\":["
      "{\"code\":\"A.5\",\"name\":\"x\",\"sector\":\"s\",\"levels\":[\"commune\"],"
      "\"processing_days\":\"ba\",\"fee\":0,\"online\":\"full\",\"documents\":[\"d\"],"
      "\"legal_basis\":[\"l\"]}]}",
      MOTCUA_IMPORT_CATALOGUE, "procedures[0] (A.5): field processing_days must be a whole number" },
    { "a.json", "{\"format\":\"motcua-catalogue\",\"version\":1,\"procedures\":["
      PROC ("a lower", "") "]}", MOTCUA_IMPORT_CATALOGUE, "procedure code “a lower”" },
    { "b.csv", "code,name,sector,levels,processing_days,fee,online,documents,legal_basis\n"
      "A.1,n,s,commune,1,0,full,d,l\n"
      "A.2,n,s,commune,-3,0,full,d,l\n", MOTCUA_IMPORT_CATALOGUE,
      "b.csv: line 3: processing_days -3" },
    { "b.csv", "code,name,sector,levels,processing_days,fee,online,documents,legal_basis\n"
      "A.1,n,s,village,1,0,full,d,l\n", MOTCUA_IMPORT_CATALOGUE,
      "b.csv: line 2: levels: “village”" },
    { "b.csv", "code,name,colour\nA.1,n,red\n", MOTCUA_IMPORT_CATALOGUE,
      "b.csv: line 1: unknown column “colour”" },
    { "b.csv", "code,name\nA.1\n", MOTCUA_IMPORT_CATALOGUE,
      "b.csv: line 2: has 1 fields, the header has 2" },
    { "b.csv", "code,name\nA.1,\"open\n", MOTCUA_IMPORT_CATALOGUE,
      "b.csv: line 2: a quoted field is never closed" },
    { "b.csv", "code,name\nA.1,ab\"c\n", MOTCUA_IMPORT_CATALOGUE,
      "b.csv: line 2: a quote inside an unquoted field" },
    { "b.csv", "code,name\nA.1,\xff\xfe\n", MOTCUA_IMPORT_CATALOGUE, "b.csv is not valid UTF-8" },
    { "b.csv", "", MOTCUA_IMPORT_CATALOGUE, "b.csv is empty" },
    { "o.json", "{\"format\":\"motcua-offices\",\"version\":1,\"offices\":["
      "{\"code\":\"Z\",\"name\":\"z\",\"level\":\"district\",\"parent\":\"NOPE\"}]}",
      MOTCUA_IMPORT_OFFICES, "offices[0] (Z): office Z: parent “NOPE”" },
    { "o.json", "{\"format\":\"motcua-offices\",\"version\":1,\"offices\":["
      "{\"code\":\"Y\",\"name\":\"y\",\"level\":\"district\",\"parent\":\"W\"},"
      "{\"code\":\"W\",\"name\":\"w\",\"level\":\"district\",\"parent\":\"Y\"}]}",
      MOTCUA_IMPORT_OFFICES, "the chain of parents and successors loops" },
    { "k.json", "{\"format\":\"motcua-calendar\",\"version\":1,\"days\":["
      "{\"date\":\"2025-09-01\",\"kind\":\"holiday\"},{\"date\":\"2025-09-03\",\"kind\":\"party\"}]}",
      MOTCUA_IMPORT_CALENDAR, "days[1] (2025-09-03): calendar 2025-09-03: kind “party”" },
    { "cases.csv", "receipt_no,procedure,receiving_office,applicant_name,citizen_id,channel,"
      "received_at,status\n"
      "R1,HT.KS,T,Nguyễn Văn An,012345678901,counter,2025-03-03T08:00:00+07:00,received\n"
      "R2,HT.KS,T,Trần Văn B,0123,counter,2025-03-03T08:00:00+07:00,received\n",
      MOTCUA_IMPORT_CASES, "cases.csv: line 3: citizen_id “0123”" },
    { "cases.csv", "receipt_no,procedure,receiving_office,applicant_name,citizen_id,channel,"
      "received_at,status\n"
      "R1,HT.KS,T,Nguyễn Văn An,012345678901,counter,2025-03-03T08:00:00+07:00,approved\n",
      MOTCUA_IMPORT_CASES, "line 2: resolved_at is required for a case that is approved" },
    { "cases.json", "{\"format\":\"motcua-cases\",\"version\":1,\"cases\":[{\"receipt_no\":\"R\","
      "\"procedure\":\"HT.KS\",\"receiving_office\":\"T\",\"applicant\":{\"name\":\"A\","
      "\"citizen_id\":\"012345678901\",\"age\":3},\"channel\":\"counter\","
      "\"received_at\":\"2025-03-03T08:00:00+07:00\",\"status\":\"received\"}]}",
      MOTCUA_IMPORT_CASES, "cases[0] (R): applicant: unknown field “age”" },
  };
  g_autofree char *before = motcua_test_export (f->replica);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      g_test_message ("bad file %u: %s", i, bad[i].expect);
      g_assert_false (import (f, bad[i].name, bad[i].text, bad[i].kind, NULL, &error));
      g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT);
      if (strstr (error->message, bad[i].expect) == NULL)
        g_error ("“%s” does not say “%s”", error->message, bad[i].expect);

      /* Nothing of a bad file is written, not even its good entries. */
      after = motcua_test_export (f->replica);
      g_assert_cmpstr (before, ==, after);
    }
}

static void
test_cases (MotcuaFixture *f,
            gconstpointer  data)
{
  const char *text =
    "receipt_no,procedure,receiving_office,handling_office,applicant_name,citizen_id,phone,"
    "address,channel,priority,received_at,papers,status,resolved_at,result,returned_at,"
    "returned_via,rating\n"
    "OLD-1,DD.BD,T.D.A,T.D,Lò Văn Pằng,012345678901,0912345678,Bản Nậm Manh,online,elderly,"
    "2024-12-02T08:00:00+07:00,0|2,returned,2024-12-10T10:00:00+07:00,Đã cấp,"
    "2024-12-11T09:00:00+07:00,postal,4\n"
    "OLD-2,HT.KS,T.D.B,,Vàng Thị Mai,012345678902,,,counter,,2024-12-20,0,in_processing,,,,,\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) a = NULL;
  g_autoptr(MotcuaCase) b = NULL;
  guint n = 0;

  g_assert_true (import (f, "cases.csv", text, MOTCUA_IMPORT_CASES, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);

  a = motcua_replica_dup_case (f->replica, "OLD-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->receiving_office, ==, "T.D.A");
  g_assert_cmpstr (a->handling_office, ==, "T.D");
  g_assert_cmpint (a->status, ==, MOTCUA_STATUS_RETURNED);
  g_assert_cmpint (a->priority, ==, MOTCUA_PRIORITY_ELDERLY);
  g_assert_cmpstr (a->resolved_at, ==, "2024-12-10T10:00:00+07:00");
  g_assert_cmpstr (a->returned_at, ==, "2024-12-11T09:00:00+07:00");
  g_assert_cmpint (a->returned_via, ==, MOTCUA_CHANNEL_POSTAL);
  g_assert_cmpint (a->rating, ==, 4);
  g_assert_cmpuint (a->papers->len, ==, 2);
  /* The due date is computed from the historical date: 10 working days after 2 December. */
  g_assert_cmpstr (a->due_date, ==, "2024-12-16");

  b = motcua_replica_dup_case (f->replica, "OLD-2", &error);
  g_assert_cmpstr (b->handling_office, ==, "T.D.B");
  g_assert_cmpstr (b->received_at, ==, "2024-12-20T08:00:00+07:00");
  g_assert_null (b->phone);

  /* The same receipt number twice is refused. */
  g_assert_false (import (f, "cases.csv", text, MOTCUA_IMPORT_CASES, &n, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT);
  g_assert_nonnull (strstr (error->message, "line 2: receipt_no “OLD-1” is already a case"));
}

/* Lai Châu since 1 July 2025: 38 commune-level units under the province; the sample's cases
 * still open at an office the reform ended are its successor's to handle. */
static void
check_shipped_tree (MotcuaReplica *replica)
{
  g_autoptr(GPtrArray) tree = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  guint communes = 0;

  tree = motcua_replica_list_tree_on (replica, "LC", "2026-12-01", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tree->len; i++)
    {
      const MotcuaOffice *office = g_ptr_array_index (tree, i);

      g_assert_cmpint (office->level, !=, MOTCUA_LEVEL_DISTRICT);
      communes += office->level == MOTCUA_LEVEL_COMMUNE;
    }
  g_assert_cmpuint (communes, ==, 38);

  filter.open_only = TRUE;
  filter.limit = 1000;
  cases = motcua_replica_list_cases (replica, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, >, 0);
  for (guint i = 0; i < cases->len; i++)
    {
      const MotcuaCase *c = g_ptr_array_index (cases, i);
      g_autoptr(MotcuaOffice) handling = motcua_replica_dup_office (replica, c->handling_office,
                                                                    &error);

      g_assert_no_error (error);
      if (handling->in_force_to != NULL)
        g_error ("%s is open at %s, which ended on %s", c->receipt_no, handling->code,
                 handling->in_force_to);
    }
}

/* The sample catalogue since 1 July 2025: no procedure in force after the district tier ended is
 * decided at the district; each district version ends on 30 June 2025 with a current version
 * under the same code and ".2025", which a commune desk of today may receive. */
static void
check_shipped_catalogue (MotcuaReplica *replica)
{
  g_autoptr(GPtrArray) procedures = NULL;
  g_autoptr(GError) error = NULL;
  guint ended = 0;

  procedures = motcua_replica_list_procedures (replica, NULL, -1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < procedures->len; i++)
    {
      const MotcuaProcedure *p = g_ptr_array_index (procedures, i);
      g_autofree char *current = NULL;
      g_autoptr(MotcuaProcedure) next = NULL;

      if ((p->levels & (1u << MOTCUA_LEVEL_DISTRICT)) == 0)
        continue;
      g_assert_cmpstr (p->in_force_to, ==, "2025-06-30");
      current = g_strconcat (p->code, ".2025", NULL);
      next = motcua_replica_dup_procedure (replica, current, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (next->in_force_from, ==, "2025-07-01");
      g_assert_null (next->in_force_to);
      g_assert_cmpuint (next->levels & (1u << MOTCUA_LEVEL_DISTRICT), ==, 0);
      g_assert_cmpuint ((next->receiving_levels ? next->receiving_levels : next->levels)
                        & (1u << MOTCUA_LEVEL_COMMUNE), !=, 0);
      ended++;
    }
  g_assert_cmpuint (ended, ==, 24);
}

/* The files shipped in data/ import cleanly. */
static void
test_shipped_data (void)
{
  const char *datadir = g_getenv ("MOTCUA_SOURCE_DATADIR");
  static const struct { const char *file; MotcuaImportKind kind; guint min; } files[] = {
    { "offices.json", MOTCUA_IMPORT_OFFICES, 100 },
    { "catalogue.json", MOTCUA_IMPORT_CATALOGUE, 60 },
    { "catalogue.csv", MOTCUA_IMPORT_CATALOGUE, 5 },
    { "calendar-2025.json", MOTCUA_IMPORT_CALENDAR, 5 },
    { "calendar-2026.json", MOTCUA_IMPORT_CALENDAR, 5 },
    { "cases-sample.json", MOTCUA_IMPORT_CASES, 10 },
  };
  MotcuaFixture f = { 0 };

  g_assert_nonnull (datadir);
  motcua_fixture_set_up_empty (&f, MOTCUA_LEVEL_PROVINCE, "LC");
  f.now_ms = motcua_test_ms ("2026-12-01T09:00:00+07:00");

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (datadir, files[i].file, NULL);
      g_autoptr(GError) error = NULL;
      guint n = 0;

      g_test_message ("importing %s", files[i].file);
      motcua_replica_import_file (f.replica, path, files[i].kind, MOTCUA_FORMAT_AUTO, &n, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (n, >=, files[i].min);

      /* The reform of 1 July 2025 joins the old tree to today's, before the cases. */
      if (files[i].kind == MOTCUA_IMPORT_OFFICES)
        {
          g_autofree char *reform = g_build_filename (datadir, "reorganisation-2025-07-01.json",
                                                      NULL);
          g_autoptr(MotcuaReorganisation) reorg = motcua_reorganisation_load_file (reform,
                                                                                   &error);

          g_assert_no_error (error);
          motcua_replica_apply_reorganisation (f.replica, reorg, NULL, &error);
          g_assert_no_error (error);
        }
    }
  check_shipped_tree (f.replica);
  check_shipped_catalogue (f.replica);

  motcua_fixture_tear_down (&f, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  motcua_test_add ("/import/catalogue/json", test_catalogue_json);
  motcua_test_add ("/import/catalogue/csv", test_catalogue_csv);
  motcua_test_add ("/import/bad-files", test_bad_files);
  motcua_test_add ("/import/cases", test_cases);
  g_test_add_func ("/import/shipped-data", test_shipped_data);

  return g_test_run ();
}
