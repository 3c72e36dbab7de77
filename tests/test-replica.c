/* test-replica.c: the local replica, change capture and the case workflow
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include <string.h>

#include "motcua-test-utils.h"
#include "test-replica.h"

static MotcuaCase *
receive (MotcuaFixture *f,
         const char    *procedure,
         const char    *name,
         MotcuaChannel  channel)
{
  guint papers[] = { 0, 1 };
  MotcuaReception r = {
    .procedure_code = procedure, .applicant_name = name, .citizen_id = "012345678901",
    .phone = "0912 345 678", .address = "Bản Nậm Manh", .channel = channel,
    .papers = papers, .n_papers = 2,
  };
  g_autoptr(GError) error = NULL;
  MotcuaCase *c = motcua_replica_receive (f->replica, &r, &error);

  g_assert_no_error (error);
  g_assert_nonnull (c);

  return c;
}

static void
test_create_open (MotcuaFixture *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (motcua_replica_get_id (f->replica));
  g_autofree char *garbage = g_build_filename (f->dir, "garbage.db", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.db", NULL);
  MotcuaReplica *again;

  g_assert_cmpstr (motcua_replica_get_office_code (f->replica), ==, "T");
  g_assert_cmpint (motcua_replica_get_role (f->replica), ==, MOTCUA_LEVEL_PROVINCE);

  /* The identity survives a reopen. */
  again = motcua_replica_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (motcua_replica_get_id (again), ==, id);
  g_assert_cmpuint (motcua_replica_get_last_seq (again), ==,
                    motcua_replica_get_last_seq (f->replica));
  g_assert_finalize_object (again);

  /* A replica is created once. */
  again = motcua_replica_create (f->path, "T", MOTCUA_LEVEL_PROVINCE, &error);
  g_assert_null (again);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_EXISTS);
  g_clear_error (&error);

  again = motcua_replica_open (missing, &error);
  g_assert_null (again);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_file_set_contents (garbage, "this is not a database, just text", -1, &error);
  g_assert_no_error (error);
  again = motcua_replica_open (garbage, &error);
  g_assert_null (again);
  g_assert_nonnull (error);
  g_clear_error (&error);
}

static guint
file_mode (const char *path,
           const char *suffix)
{
  g_autofree char *file = g_strconcat (path, suffix, NULL);
  GStatBuf st;

  g_assert_cmpint (g_stat (file, &st), ==, 0);

  return st.st_mode & 0777;
}

/* A replica holds its server's token and citizens' data: its file, WAL and shared memory are
 * its user's alone, whatever the umask, and one made world-readable before is made private
 * when opened. The token never leaves in an export. */
static void
test_file_private (MotcuaFixture *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *exported = NULL;
  g_autoptr(MotcuaCase) c = NULL;
  MotcuaReplica *replica;
  sqlite3 *db = NULL;
  mode_t saved = umask (0);

  replica = motcua_replica_create (other, "T", MOTCUA_LEVEL_PROVINCE, &error);
  umask (saved);
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (other, ""), ==, 0600);
  g_assert_cmpuint (file_mode (other, "-wal"), ==, 0600);
  g_assert_cmpuint (file_mode (other, "-shm"), ==, 0600);
  g_assert_finalize_object (replica);

  c = receive (f, "HT.KS", "Lò Thị Ín", MOTCUA_CHANNEL_COUNTER);
  g_assert_cmpuint (file_mode (f->path, ""), ==, 0600);
  g_assert_cmpuint (file_mode (f->path, "-wal"), ==, 0600);

  /* Made before the rule: private once opened. */
  g_assert_cmpint (g_chmod (other, 0644), ==, 0);
  replica = motcua_replica_open (other, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (other, ""), ==, 0600);
  g_assert_finalize_object (replica);

  /* The token, as an enrolled desk keeps it, is not exported. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT OR REPLACE INTO meta (key, value) VALUES"
                                 " ('server_token', '0123456789abcdef.sekrit-token-value')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  exported = motcua_test_export (f->replica);
  g_assert_nonnull (strstr (exported, "Lò Thị Ín"));
  g_assert_null (strstr (exported, "sekrit"));
  g_assert_null (strstr (exported, "server_token"));
}

static void
test_receive (MotcuaFixture *f,
              gconstpointer  data)
{
  g_autoptr(MotcuaCase) ks = receive (f, "HT.KS", " Nguyễn Văn An ", MOTCUA_CHANNEL_COUNTER);
  g_autoptr(MotcuaCase) dd = receive (f, "DD.BD", "Trần Thị Bình", MOTCUA_CHANNEL_ONLINE);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (ks->receipt_no, ==, "T-2025-000001");
  g_assert_cmpstr (dd->receipt_no, ==, "T-2025-000002");
  g_assert_cmpstr (ks->applicant_name, ==, "Nguyễn Văn An");
  g_assert_cmpstr (ks->phone, ==, "0912345678");
  g_assert_cmpstr (ks->received_at, ==, "2025-03-03T09:00:00+07:00");
  /* Same-day procedure: due the day it was received; 10 working days from Monday 3 March. */
  g_assert_cmpstr (ks->due_date, ==, "2025-03-03");
  g_assert_cmpstr (dd->due_date, ==, "2025-03-17");
  g_assert_cmpint (ks->status, ==, MOTCUA_STATUS_RECEIVED);
  g_assert_cmpstr (ks->receiving_office, ==, "T");
  g_assert_cmpstr (ks->handling_office, ==, "T");
  g_assert_cmpstr (ks->procedure_name, ==, "Đăng ký khai sinh");
  g_assert_cmpuint (ks->papers->len, ==, 2);
  g_assert_cmpint (ks->sync_state, ==, MOTCUA_SYNC_STATE_PENDING);

  /* What receive returns is what was stored. */
  {
    g_autoptr(MotcuaCase) stored = motcua_replica_dup_case (f->replica, ks->id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (stored->receipt_no, ==, ks->receipt_no);
    g_assert_cmpstr (stored->procedure_name, ==, ks->procedure_name);
    g_assert_cmpstr (stored->applicant_name, ==, ks->applicant_name);
    g_assert_cmpstr (stored->phone, ==, ks->phone);
    g_assert_cmpstr (stored->address, ==, ks->address);
    g_assert_cmpstr (stored->received_at, ==, ks->received_at);
    g_assert_cmpstr (stored->clock_start, ==, ks->clock_start);
    g_assert_cmpstr (stored->due_date, ==, ks->due_date);
    g_assert_cmpint (stored->channel, ==, ks->channel);
    g_assert_cmpuint (stored->papers->len, ==, ks->papers->len);
    g_assert_cmpint (stored->sync_state, ==, ks->sync_state);
  }

  events = motcua_replica_list_case_events (f->replica, ks->receipt_no, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((MotcuaCaseEvent *) events->pdata[0])->action, ==, "received");
  g_assert_cmpstr (((MotcuaCaseEvent *) events->pdata[0])->officer, ==, "Lò Thị Test");
  g_assert_cmpstr (((MotcuaCaseEvent *) events->pdata[0])->receipt_no, ==, ks->receipt_no);
  g_assert_cmpstr (((MotcuaCaseEvent *) events->pdata[0])->due_date, ==, ks->due_date);
  g_assert_null (((MotcuaCaseEvent *) events->pdata[0])->detail);
  g_assert_cmpstr (((MotcuaCaseEvent *) events->pdata[0])->replica, ==,
                   motcua_replica_get_id (f->replica));

  /* Durable: a second connection sees both cases. */
  g_assert_cmpint (motcua_test_count (f->replica, "cases"), ==, 2);
}

/* One change per changed field, each with the HLC of the value it overwrote. */
static void
test_change_capture (MotcuaFixture *f,
                     gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = receive (f, "HT.KS", "Nguyễn Văn An", MOTCUA_CHANNEL_COUNTER);
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;
  guint64 before = motcua_replica_get_last_seq (f->replica);
  MotcuaHlc name_hlc = 0;
  guint n_case_changes = 0;

  created = motcua_replica_list_changes (f->replica, 0, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < created->len; i++)
    {
      MotcuaChange *ch = created->pdata[i];

      g_assert_cmpuint (ch->seq, ==, i + 1);   /* 1, 2, 3… with no gap */
      if (g_strcmp0 (ch->table, "cases") != 0)
        continue;
      n_case_changes++;
      g_assert_cmpstr (ch->row_id, ==, c->id);
      g_assert_cmpuint (ch->prev_hlc, ==, 0);
      if (g_strcmp0 (ch->column, "applicant_name") == 0)
        name_hlc = ch->hlc;
    }
  /* The fields a reception sets: all but resolved_at, result, returned_at, returned_via and
   * rating (priority is none here). */
  g_assert_cmpuint (n_case_changes, ==, 15);
  g_assert_cmpuint (name_hlc, !=, 0);

  /* A window that starts and ends inside the changes of one write. */
  {
    g_autoptr(GPtrArray) window = motcua_replica_list_changes (f->replica, before - 10, 3, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (window->len, ==, 3);
    for (guint i = 0; i < 3; i++)
      g_assert_cmpuint (((MotcuaChange *) window->pdata[i])->seq, ==, before - 10 + 1 + i);
  }

  /* An edit to the same value logs nothing; a real edit logs one change and one event. */
  f->now_ms += 60000;
  motcua_replica_edit_case (f->replica, c->receipt_no, "applicant_name", "Nguyễn Văn An", NULL,
                            &error);
  g_assert_no_error (error);
  edits = motcua_replica_list_changes (f->replica, before, 0, &error);
  g_assert_cmpuint (edits->len, ==, 1);  /* only the timeline event */
  g_assert_null (((MotcuaChange *) edits->pdata[0])->column);
  g_clear_pointer (&edits, g_ptr_array_unref);

  before = motcua_replica_get_last_seq (f->replica);
  motcua_replica_edit_case (f->replica, c->receipt_no, "applicant_name", "Nguyễn Văn Ân", "typo",
                            &error);
  g_assert_no_error (error);
  edits = motcua_replica_list_changes (f->replica, before, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 2);
  {
    MotcuaChange *ch = edits->pdata[0];
    g_autoptr(GVariant) maybe = g_variant_get_maybe (ch->value);
    g_autoptr(GVariant) value = g_variant_get_variant (maybe);

    g_assert_cmpstr (ch->table, ==, "cases");
    g_assert_cmpstr (ch->column, ==, "applicant_name");
    g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "Nguyễn Văn Ân");
    g_assert_cmpuint (ch->prev_hlc, ==, name_hlc);
    g_assert_cmpuint (ch->hlc, >, name_hlc);
  }
  g_assert_cmpstr (((MotcuaChange *) edits->pdata[1])->table, ==, "case_events");
}

/* Every writer of the timeline says what it did in the event's fields, not in text; the
 * library's line for the command line words them. */
static void
test_timeline_fields (MotcuaFixture *f,
                      gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = receive (f, "DD.BD", "Lò Văn Pằng", MOTCUA_CHANNEL_COUNTER);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  const MotcuaCaseEvent *e;
  g_autofree char *line = NULL;

  motcua_replica_edit_case (f->replica, c->id, "phone", "0912 345 678", "số mới", &error);
  g_assert_no_error (error);
  motcua_replica_edit_case (f->replica, c->id, "phone", "", NULL, &error);
  g_assert_no_error (error);
  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_IN_PROCESSING, NULL, &error);
  g_assert_no_error (error);

  events = motcua_replica_list_case_events (f->replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 4);
  for (guint i = 0; i < events->len; i++)
    g_assert_null (((MotcuaCaseEvent *) events->pdata[i])->detail);

  e = events->pdata[0];
  g_assert_cmpstr (e->action, ==, "received");
  g_assert_cmpstr (e->receipt_no, ==, c->receipt_no);
  g_assert_cmpstr (e->due_date, ==, c->due_date);
  line = motcua_case_event_describe (e);
  g_assert_true (g_str_has_prefix (line, "Received as "));
  g_assert_nonnull (strstr (line, c->due_date));
  g_clear_pointer (&line, g_free);

  e = events->pdata[1];
  g_assert_cmpstr (e->action, ==, "edited");
  g_assert_cmpstr (e->field, ==, "phone");
  g_assert_cmpstr (e->old_value, ==, c->phone);
  g_assert_cmpstr (e->new_value, ==, "0912345678");   /* as stored */
  g_assert_cmpstr (e->note, ==, "số mới");
  line = motcua_case_event_describe (e);
  g_assert_cmpstr (line, ==, "phone set to “0912345678”");
  g_clear_pointer (&line, g_free);

  e = events->pdata[2];
  g_assert_cmpstr (e->field, ==, "phone");
  g_assert_cmpstr (e->old_value, ==, "0912345678");
  g_assert_null (e->new_value);
  line = motcua_case_event_describe (e);
  g_assert_cmpstr (line, ==, "phone cleared");
  g_clear_pointer (&line, g_free);

  e = events->pdata[3];
  g_assert_cmpstr (e->action, ==, "status");
  g_assert_cmpstr (e->field, ==, "status");
  g_assert_cmpstr (e->old_value, ==, "received");
  g_assert_cmpstr (e->new_value, ==, "in_processing");
  line = motcua_case_event_describe (e);
  g_assert_cmpstr (line, ==, "Status received → in_processing");
}

static void
test_workflow (MotcuaFixture *f,
               gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = receive (f, "DD.BD", "Lò Văn Pằng", MOTCUA_CHANNEL_COUNTER);
  g_autoptr(MotcuaCase) after = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *unchanged = NULL;
  MotcuaStepOptions at = { 0 };

  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_IN_PROCESSING, NULL, &error);
  g_assert_no_error (error);

  /* Supplement requested on 5 March, resubmitted on Friday 7 March: the clock restarts, so the
   * due date is 10 working days after 7 March. */
  at.at = "2025-03-05T10:00:00+07:00";
  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_SUPPLEMENT_REQUESTED, &at, &error);
  g_assert_no_error (error);
  at.at = "2025-03-07T10:00:00+07:00";
  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_RESUBMITTED, &at, &error);
  g_assert_no_error (error);
  after = motcua_replica_dup_case (f->replica, c->id, &error);
  g_assert_cmpstr (after->clock_start, ==, "2025-03-07");
  g_assert_cmpstr (after->due_date, ==, "2025-03-21");
  g_assert_cmpuint (after->status_generation, ==, 1);
  g_clear_pointer (&after, motcua_case_free);

  /* An illegal step names the current status and the legal next ones, and changes nothing. */
  before = motcua_test_export (f->replica);
  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_RETURNED, NULL, &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_ILLEGAL_TRANSITION);
  g_assert_cmpstr (error->message, ==,
                   "case T-2025-000001 is resubmitted and cannot become returned; it can become: "
                   "in_processing, approved, refused, withdrawn, cancelled");
  g_clear_error (&error);
  unchanged = motcua_test_export (f->replica);
  g_assert_cmpstr (before, ==, unchanged);

  at.at = "2025-03-12T15:00:00+07:00";
  at.result = "Đã cập nhật biến động";
  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_APPROVED, &at, &error);
  g_assert_no_error (error);
  at.at = "2025-03-13T08:00:00+07:00";
  at.returned_via = MOTCUA_CHANNEL_POSTAL;
  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_RETURNED, &at, &error);
  g_assert_no_error (error);

  after = motcua_replica_dup_case (f->replica, c->id, &error);
  g_assert_cmpint (after->status, ==, MOTCUA_STATUS_RETURNED);
  g_assert_cmpstr (after->resolved_at, ==, "2025-03-12T15:00:00+07:00");
  g_assert_cmpstr (after->result, ==, "Đã cập nhật biến động");
  g_assert_cmpstr (after->returned_at, ==, "2025-03-13T08:00:00+07:00");
  g_assert_cmpint (after->returned_via, ==, MOTCUA_CHANNEL_POSTAL);

  /* The applicant rates it once it is returned. */
  motcua_replica_edit_case (f->replica, c->id, "rating", "5", NULL, &error);
  g_assert_no_error (error);

  /* Returned is the end. */
  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_IN_PROCESSING, NULL, &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_ILLEGAL_TRANSITION);
  g_assert_nonnull (strstr (error->message, "its workflow has ended"));
  g_clear_error (&error);

  events = motcua_replica_list_case_events (f->replica, c->id, &error);
  g_assert_cmpuint (events->len, ==, 7);  /* received, 5 steps, rating */
}

static void
test_reopen (MotcuaFixture *f,
             gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = receive (f, "HT.KS", "Lò Văn Pằng", MOTCUA_CHANNEL_COUNTER);
  g_autoptr(MotcuaCase) after = NULL;
  g_autoptr(GError) error = NULL;

  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_IN_PROCESSING, NULL, &error);
  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_REFUSED, NULL, &error);
  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_IN_PROCESSING, NULL, &error);
  g_assert_no_error (error);

  after = motcua_replica_dup_case (f->replica, c->id, &error);
  g_assert_cmpint (after->status, ==, MOTCUA_STATUS_IN_PROCESSING);
  g_assert_cmpuint (after->status_generation, ==, 1);
  g_assert_null (after->resolved_at);
}

static void
test_transfer (MotcuaFixture *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(MotcuaCase) after = NULL;
  g_autoptr(GError) error = NULL;
  guint papers[] = { 0 };
  MotcuaReception r = {
    .procedure_code = "DD.BD", .receiving_office = "T.D.A", .applicant_name = "Hà Văn Chung",
    .citizen_id = "012345678902", .channel = MOTCUA_CHANNEL_HOME, .papers = papers, .n_papers = 1,
  };
  g_autoptr(MotcuaCase) c = motcua_replica_receive (f->replica, &r, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (c->receipt_no, ==, "T.D.A-2025-000001");
  g_assert_cmpstr (c->handling_office, ==, "T.D.A");

  /* Một cửa liên thông: the commune forwards the dossier to the district. */
  motcua_replica_transfer_case (f->replica, c->receipt_no, "T.D", "chuyển huyện", &error);
  g_assert_no_error (error);
  after = motcua_replica_dup_case (f->replica, c->id, &error);
  g_assert_cmpstr (after->handling_office, ==, "T.D");
  g_assert_cmpstr (after->receiving_office, ==, "T.D.A");
  events = motcua_replica_list_case_events (f->replica, c->id, &error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (((MotcuaCaseEvent *) events->pdata[1])->action, ==, "transferred");
  g_assert_cmpstr (((MotcuaCaseEvent *) events->pdata[1])->from_office, ==, "T.D.A");
  g_assert_cmpstr (((MotcuaCaseEvent *) events->pdata[1])->to_office, ==, "T.D");
  g_assert_null (((MotcuaCaseEvent *) events->pdata[1])->detail);
  g_assert_cmpstr (((MotcuaCaseEvent *) events->pdata[1])->note, ==, "chuyển huyện");

  motcua_replica_transfer_case (f->replica, c->receipt_no, "T.X", NULL, &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  motcua_replica_transfer_case (f->replica, c->receipt_no, "T.D", NULL, &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
}

/* The office tree stays a tree: no office goes under itself or below itself. */
static void
test_office_cycle (MotcuaFixture *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = motcua_test_export (f->replica);
  g_autofree char *after = NULL;
  MotcuaOffice district = { .code = (char *) "T.D", .name = (char *) "UBND huyện Thử",
                            .level = MOTCUA_LEVEL_DISTRICT, .parent_code = (char *) "T.D.A" };

  g_assert_false (motcua_replica_put_office (f->replica, &district, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "office T.D cannot be placed under T.D.A, which is T.D or below it");
  g_clear_error (&error);

  district.parent_code = (char *) "T.D";
  g_assert_false (motcua_replica_put_office (f->replica, &district, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_clear_error (&error);

  after = motcua_test_export (f->replica);
  g_assert_cmpstr (before, ==, after);

  /* Moving a commune to another district is fine. */
  {
    MotcuaOffice commune = { .code = (char *) "T.D.B", .name = (char *) "UBND xã B",
                             .level = MOTCUA_LEVEL_COMMUNE, .parent_code = (char *) "T" };

    g_assert_true (motcua_replica_put_office (f->replica, &commune, &error));
    g_assert_no_error (error);
  }
}

static void
test_batch (MotcuaFixture *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MotcuaReception good = {
    .procedure_code = "HT.KS", .applicant_name = "A", .citizen_id = "012345678901",
  };
  MotcuaReception bad = good;
  MotcuaCase *c;

  bad.citizen_id = "1";

  /* A rolled back group leaves nothing. */
  g_assert_true (motcua_replica_begin (f->replica, &error));
  c = motcua_replica_receive (f->replica, &good, &error);
  motcua_case_free (c);
  motcua_replica_rollback (f->replica);
  g_assert_cmpint (motcua_test_count (f->replica, "cases"), ==, 0);
  g_assert_cmpint (motcua_test_count (f->replica, "receipt_counters"), ==, 0);

  /* A failed write inside a group undoes only itself. */
  g_assert_true (motcua_replica_begin (f->replica, &error));
  motcua_case_free (motcua_replica_receive (f->replica, &good, &error));
  g_assert_null (motcua_replica_receive (f->replica, &bad, &error));
  g_clear_error (&error);
  motcua_case_free (motcua_replica_receive (f->replica, &good, &error));
  g_assert_no_error (error);
  /* Not visible to others before the commit. */
  g_assert_cmpint (motcua_test_count (f->replica, "cases"), ==, 0);
  g_assert_true (motcua_replica_commit (f->replica, &error));
  g_assert_cmpint (motcua_test_count (f->replica, "cases"), ==, 2);

  /* Numbers are dense after the failure in between: 1 and 2. */
  c = motcua_replica_dup_case (f->replica, "T-2025-000002", &error);
  g_assert_no_error (error);
  motcua_case_free (c);

  /* Sequence numbers are dense too, and survive a reopen. */
  {
    g_autoptr(GPtrArray) changes = motcua_replica_list_changes (f->replica, 0, 0, &error);
    g_autoptr(MotcuaReplica) again = NULL;

    for (guint i = 0; i < changes->len; i++)
      g_assert_cmpuint (((MotcuaChange *) changes->pdata[i])->seq, ==, i + 1);
    again = motcua_replica_open (f->path, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (motcua_replica_get_last_seq (again), ==, changes->len);
  }
}

/* A write that fails halfway (here a database error after the case row is written, from a
 * trigger added behind the library's back) cannot be undone alone: the whole group is lost, and
 * its commit says so. Nothing of it reaches the disk. */
static void
test_batch_broken (MotcuaFixture *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = motcua_test_export (f->replica);
  g_autofree char *after = NULL;
  MotcuaReception good = {
    .procedure_code = "HT.KS", .applicant_name = "A", .citizen_id = "012345678901",
  };
  MotcuaReception poisoned = good;
  sqlite3 *db = NULL;

  poisoned.applicant_name = "Poisoned";

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TRIGGER poison BEFORE INSERT ON case_events"
                                 " WHEN (SELECT applicant_name FROM cases WHERE id = new.case_id)"
                                 " = 'Poisoned' BEGIN SELECT RAISE (ABORT, 'disk on fire'); END",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_true (motcua_replica_begin (f->replica, &error));
  motcua_case_free (motcua_replica_receive (f->replica, &good, &error));
  g_assert_no_error (error);
  g_assert_null (motcua_replica_receive (f->replica, &poisoned, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE);
  g_clear_error (&error);
  motcua_case_free (motcua_replica_receive (f->replica, &good, &error));
  g_assert_no_error (error);

  g_assert_false (motcua_replica_commit (f->replica, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "none of the group was saved"));
  g_clear_error (&error);

  after = motcua_test_export (f->replica);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (motcua_test_count (f->replica, "cases"), ==, 0);
  g_assert_cmpint (motcua_test_count (f->replica, "receipt_counters"), ==, 0);

  /* The replica goes on: the next write is saved, numbered as if nothing happened. */
  {
    g_autoptr(MotcuaCase) c = motcua_replica_receive (f->replica, &good, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (c->receipt_no, ==, "T-2025-000001");
  }
}

static void
test_receipt_numbers (MotcuaFixture *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MotcuaReception r = {
    .procedure_code = "HT.KS", .applicant_name = "A", .citizen_id = "012345678901",
    .received_at = "2025-12-31T16:00:00+07:00",
  };
  g_autoptr(MotcuaCase) a = motcua_replica_receive (f->replica, &r, &error);
  g_autoptr(MotcuaCase) b = NULL;
  g_autoptr(MotcuaCase) c = NULL;

  r.received_at = "2026-01-02T08:00:00+07:00";
  b = motcua_replica_receive (f->replica, &r, &error);
  r.receiving_office = "T.D.B";
  c = motcua_replica_receive (f->replica, &r, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (a->receipt_no, ==, "T-2025-000001");
  g_assert_cmpstr (b->receipt_no, ==, "T-2026-000001");   /* a new year starts again */
  g_assert_cmpstr (c->receipt_no, ==, "T.D.B-2026-000001"); /* per office */
}

/* On a commune replica the catalogue is local reference data: loaded, never logged. */
static void
test_authority (void)
{
  MotcuaFixture f = { 0 };
  g_autoptr(GError) error = NULL;
  const char *docs[] = { "Tờ khai", NULL };
  MotcuaOffice office = { .code = (char *) "X", .name = (char *) "UBND xã X",
                          .level = MOTCUA_LEVEL_COMMUNE };
  MotcuaProcedure p = {
    .code = (char *) "HT.KS", .name = (char *) "Đăng ký khai sinh", .sector = (char *) "Hộ tịch",
    .levels = 1u << MOTCUA_LEVEL_COMMUNE, .documents = (GStrv) docs,
  };
  MotcuaReception r = { .procedure_code = "HT.KS", .applicant_name = "A",
                        .citizen_id = "012345678901" };
  g_autoptr(MotcuaCase) c = NULL;

  motcua_fixture_set_up_empty (&f, MOTCUA_LEVEL_COMMUNE, "X");
  g_assert_true (motcua_replica_put_office (f.replica, &office, &error));
  g_assert_true (motcua_replica_put_procedure (f.replica, &p, &error));
  g_assert_no_error (error);
  g_assert_cmpint (motcua_replica_count_pending (f.replica, &error), ==, 0);

  /* The commune's own cases are logged: 13 fields set (no phone, address, priority, nor any
   * outcome yet) and the timeline event. */
  c = motcua_replica_receive (f.replica, &r, &error);
  g_assert_no_error (error);
  g_assert_cmpint (motcua_replica_count_pending (f.replica, &error), ==, 14);

  motcua_fixture_tear_down (&f, NULL);
}

static void
test_list_filters (MotcuaFixture *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  g_autoptr(MotcuaCase) a = receive (f, "HT.KS", "Nguyễn Văn An", MOTCUA_CHANNEL_COUNTER);
  g_autoptr(MotcuaCase) b = receive (f, "DD.BD", "Trần Thị Bình", MOTCUA_CHANNEL_ONLINE);
  g_autoptr(MotcuaCase) c = receive (f, "DD.BD", "Lê Văn Cường", MOTCUA_CHANNEL_ONLINE);
  g_autoptr(GPtrArray) list = NULL;

  motcua_replica_advance_case (f->replica, c->id, MOTCUA_STATUS_IN_PROCESSING, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 3);

  filter.channel = MOTCUA_CHANNEL_ONLINE;
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 2);
  filter.channel = -1;

  filter.status = MOTCUA_STATUS_IN_PROCESSING;
  list = motcua_replica_list_cases (f->replica, &filter, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((MotcuaCase *) list->pdata[0])->id, ==, c->id);
  g_clear_pointer (&list, g_ptr_array_unref);
  filter.status = -1;

  /* On 4 March the same-day case is overdue; the land cases are due on 17 March. */
  filter.overdue = TRUE;
  filter.today = "2025-03-04";
  list = motcua_replica_list_cases (f->replica, &filter, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((MotcuaCase *) list->pdata[0])->id, ==, a->id);
  g_clear_pointer (&list, g_ptr_array_unref);
  filter.overdue = FALSE;

  filter.due_this_week = TRUE;
  filter.today = "2025-03-17";   /* a Monday: due today counts */
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 2);
  filter.today = "2025-03-04";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 0);
  filter.due_this_week = FALSE;
  filter.today = NULL;

  filter.procedure_code = "DD.BD";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 2);
  filter.procedure_code = NULL;

  filter.office = "T.D";   /* nothing received below the district */
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 0);
  filter.office = "T";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, 3);
  filter.office = NULL;

  /* A typo in a filter is an error, not an empty list. */
  filter.office = "T.Q";
  g_assert_cmpint (motcua_replica_count_cases (f->replica, &filter, &error), ==, -1);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  filter.office = NULL;
  filter.procedure_code = "XX.YY";
  g_assert_null (motcua_replica_list_cases (f->replica, &filter, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  filter.procedure_code = NULL;

  /* Newest first, paged. */
  filter.limit = 2;
  list = motcua_replica_list_cases (f->replica, &filter, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);
  filter.offset = 2;
  list = motcua_replica_list_cases (f->replica, &filter, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_no_error (error);
}

/* Two connections to one replica file writing in turn (the desk and motcua-cli, or the desk
 * beside its sync): each write takes the next sequence number and a later stamp, whichever
 * connection makes it, so the log stays one dense run with no number given twice. */
static void
test_two_connections (MotcuaFixture *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaReplica) other = motcua_replica_open (f->path, &error);
  g_autoptr(GPtrArray) changes = NULL;
  MotcuaFixture g = *f;
  MotcuaHlc last = 0;

  g_assert_no_error (error);
  g.replica = other;
  motcua_replica_set_officer (other, "Lò Văn Hai");
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(MotcuaCase) c = receive (i % 2 ? &g : f, "HT.KS", "Hà Thị Mai",
                                         MOTCUA_CHANNEL_COUNTER);

      g_assert_nonnull (c);
    }

  changes = motcua_replica_list_changes (f->replica, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, >, 6);
  for (guint i = 0; i < changes->len; i++)
    {
      const MotcuaChange *change = changes->pdata[i];

      g_assert_cmpuint (change->seq, ==, i + 1);
      g_assert_cmpuint (change->hlc, >=, last);
      last = change->hlc;
    }
  g_assert_cmpint (motcua_replica_count_pending (other, &error), ==, (gint64) changes->len);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  motcua_test_add ("/replica/create-open", test_create_open);
  motcua_test_add ("/replica/receive", test_receive);
  motcua_test_add ("/replica/file-private", test_file_private);
  motcua_test_add ("/replica/change-capture", test_change_capture);
  motcua_test_add ("/replica/timeline-fields", test_timeline_fields);
  motcua_test_add ("/replica/workflow/full-path", test_workflow);
  motcua_test_add ("/replica/workflow/reopen", test_reopen);
  motcua_test_add ("/replica/transfer", test_transfer);
  motcua_test_add ("/replica/office-cycle", test_office_cycle);
  motcua_test_add ("/replica/batch", test_batch);
  motcua_test_add ("/replica/batch-broken", test_batch_broken);
  motcua_test_add ("/replica/receipt-numbers", test_receipt_numbers);
  motcua_test_add ("/replica/list-filters", test_list_filters);
  motcua_test_add ("/replica/two-connections", test_two_connections);
  g_test_add_func ("/replica/authority/commune-seeds-catalogue", test_authority);
  test_replica_input_add_tests ();

  return g_test_run ();
}
