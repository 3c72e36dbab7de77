/* test-converge-ops.c: test-converge's operations, and the province's backups and clocks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "motcua-hub-private.h"
#include "motcua-protocol-private.h"
#include "motcua-replica-private.h"
#include "motcua-test-transport.h"
#include "motcua-test-utils.h"
#include "test-converge.h"

/* Operations */

static MotcuaCase *
random_case (World *w,
             Node  *node)
{
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  g_autoptr(GPtrArray) cases = NULL;
  gint64 n = motcua_replica_count_cases (node->officer, &filter, NULL);

  if (n <= 0)
    return NULL;
  filter.offset = pick (w, (guint) n);
  filter.limit = 1;
  cases = motcua_replica_list_cases (node->officer, &filter, NULL);
  if (cases == NULL || cases->len == 0)
    return NULL;

  return motcua_case_copy (cases->pdata[0]);
}

/* An operation may be refused by the workflow (a step not allowed now, a field that does not
 * take the value): that is the officer's problem, not the replica's. Anything else is a bug. */
static void
check_op (World      *w,
          const char *what,
          GError     *error)
{
  if (error == NULL)
    return;
  if (error->domain == MOTCUA_ERROR
      && (error->code == MOTCUA_ERROR_ILLEGAL_TRANSITION
          || error->code == MOTCUA_ERROR_INVALID
          || error->code == MOTCUA_ERROR_NOT_FOUND))
    return;
  g_error ("seed %u: %s failed: %s", w->seed, what, error->message);
}

static void
op_receive (World *w,
            Node  *node)
{
  static const char *names[] = { "Lò Văn Pằng", "Giàng Thị Mai", "Vàng A Sình", "Hà Thị Xuân",
                                 "Lường Văn Hặc", "Nguyễn Thị Hoa" };
  g_autofree char *citizen_id = g_strdup_printf ("0%02u%09u", pick (w, 96),
                                                 (guint) g_rand_int_range (w->rand, 0,
                                                                           999999999));
  MotcuaReception r = {
    /* Births at the communes' desks; land changes at the district and province. */
    .procedure_code = node->level == MOTCUA_LEVEL_COMMUNE ? "HT.KS" : "DD.BD",
    .applicant_name = names[pick (w, G_N_ELEMENTS (names))],
    .citizen_id = citizen_id,
    .channel = (MotcuaChannel) pick (w, MOTCUA_N_CHANNELS),
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = NULL;

  /* A quarter of a commune's dossiers are decided by the other commune (received anywhere,
   * Decree 118/2025), half of those with the result handed back there: once it is, the case
   * leaves the receiving commune's desks. */
  if (node->level == MOTCUA_LEVEL_COMMUNE && pick (w, 4) == 0)
    {
      r.deciding_office = g_str_equal (node->office, "T.D.A") ? "T.D.B" : "T.D.A";
      r.return_at_deciding = pick (w, 2) == 0;
    }
  c = motcua_replica_receive (node->officer, &r, &error);

  check_op (w, "receive", error);
}

static void
op_edit (World      *w,
         Node       *node,
         const char *case_id,
         const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (g_str_equal (field, "phone"))
    value = g_strdup_printf ("09%08u", (guint) g_rand_int_range (w->rand, 0, 99999999));
  else if (g_str_equal (field, "rating"))
    value = g_strdup_printf ("%u", pick (w, 6));
  else
    value = g_strdup_printf ("Bản %s %u", node->office, pick (w, 100000));

  motcua_replica_edit_case (node->officer, case_id, field, value, NULL, &error);
  check_op (w, "edit", error);
}

static const char *
random_field (World *w)
{
  static const char *fields[] = { "address", "phone", "applicant_name", "rating" };

  return fields[pick (w, G_N_ELEMENTS (fields))];
}

static void
op_advance (World *w,
            Node  *node)
{
  g_autoptr(MotcuaCase) c = random_case (w, node);
  g_autoptr(GError) error = NULL;
  MotcuaStatus next[MOTCUA_N_STATUSES];
  MotcuaStepOptions options = { .result = "Giấy chứng nhận",
                                .returned_via = MOTCUA_CHANNEL_COUNTER };
  guint n;

  if (c == NULL)
    return;
  n = motcua_status_next (c->status, next);
  if (n == 0)
    return;
  motcua_replica_advance_case (node->officer, c->id, next[pick (w, n)], &options, &error);
  check_op (w, "advance", error);
}

static void
op_transfer (World *w,
             Node  *node)
{
  static const char *offices[] = { "T.D", "T.D.A", "T.D.B" };
  g_autoptr(MotcuaCase) c = random_case (w, node);
  g_autoptr(GError) error = NULL;

  if (c == NULL)
    return;
  motcua_replica_transfer_case (node->officer, c->id, offices[pick (w, 3)], "liên thông",
                                &error);
  check_op (w, "transfer", error);
}

/* Two replicas that both hold a case write one field before either syncs. */
static void
op_conflict (World *w)
{
  Node *first = &w->nodes[pick (w, N_NODES)];
  Node *second = &w->nodes[pick (w, N_NODES)];
  g_autoptr(MotcuaCase) c = random_case (w, first);
  g_autoptr(MotcuaCase) there = NULL;
  const char *field = random_field (w);

  if (c == NULL || first == second)
    return;
  there = motcua_replica_dup_case (second->officer, c->id, NULL);
  if (there == NULL)
    return;
  op_edit (w, first, c->id, field);
  op_edit (w, second, c->id, field);
  w->n_conflicts_made++;
}

static void
op_resolve (World *w,
            Node  *node)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = motcua_replica_list_conflicts (node->officer, FALSE, &error);
  MotcuaConflict *k;

  g_assert_no_error (error);
  if (open->len == 0)
    return;
  k = open->pdata[pick (w, open->len)];
  switch (pick (w, 3))
    {
    case 0:
      motcua_replica_resolve_conflict (node->officer, k->id, MOTCUA_RESOLVE_KEEP_A, NULL,
                                       &error);
      break;
    case 1:
      motcua_replica_resolve_conflict (node->officer, k->id, MOTCUA_RESOLVE_KEEP_B, NULL,
                                       &error);
      break;
    default:
      motcua_replica_resolve_conflict (node->officer, k->id, MOTCUA_RESOLVE_VALUE,
                                       k->a.value, &error);
      break;
    }
  check_op (w, "resolve", error);
}

/* A scan attached at a desk, now and then the same bytes as another (stored once). */
static void
op_attach (World *w,
           Node  *node)
{
  g_autoptr(MotcuaCase) c = random_case (w, node);
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaAttachment) a = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size = 16 + pick (w, 3000);
  guint8 *data;

  if (c == NULL)
    return;
  data = g_malloc (size);
  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) pick (w, chance (w, 30) ? 2 : 256);
  bytes = g_bytes_new_take (data, size);
  a = motcua_replica_add_attachment (node->officer, c->id, "giay-to.pdf", "application/pdf",
                                     bytes, &error);
  check_op (w, "attach", error);
}

/* A scan attached by mistake, removed with a reason, by whoever holds the case. */
static void
op_remove_attachment (World *w,
                      Node  *node)
{
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) error = NULL;
  MotcuaAttachment *a;

  /* Few cases have scans: look at a few. */
  for (guint tries = 0; tries < 8 && (attachments == NULL || attachments->len == 0); tries++)
    {
      g_autoptr(MotcuaCase) c = random_case (w, node);

      if (c == NULL)
        return;
      g_clear_pointer (&attachments, g_ptr_array_unref);
      attachments = motcua_replica_list_attachments (node->officer, c->id, &error);
      g_assert_no_error (error);
    }
  if (attachments == NULL || attachments->len == 0)
    return;
  a = attachments->pdata[pick (w, attachments->len)];
  if (motcua_replica_remove_attachment (node->officer, a->id, "Đính kèm nhầm", &error))
    w->n_removed++;
  check_op (w, "remove an attachment", error);
}

/* A case received at a district desk and sent down to a commune to handle. */
static void
op_pass_down (World *w,
              Node  *node)
{
  static const char *communes[] = { "T.D.A", "T.D.B" };
  MotcuaReception r = { .procedure_code = "DD.BD", .applicant_name = "Sần Thị Phin",
                        .citizen_id = "012345678901", .channel = MOTCUA_CHANNEL_COUNTER };
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = motcua_replica_receive (node->officer, &r, &error);

  check_op (w, "receive at the district", error);
  if (c == NULL)
    return;
  motcua_replica_transfer_case (node->officer, c->id, communes[pick (w, 2)], "liên thông",
                                &error);
  check_op (w, "send down", error);
}

/* A commune moves on to the other commune a case the district sent it: the case leaves its
 * scope and is purged once its changes are acknowledged, and the cases it receives after
 * that take the rowids it held. */
static void
op_move_on (World *w,
            Node  *node)
{
  const char *other = g_str_equal (node->office, "T.D.A") ? "T.D.B" : "T.D.A";

  for (guint tries = 0; tries < 8; tries++)
    {
      g_autoptr(MotcuaCase) c = random_case (w, node);
      g_autoptr(GError) error = NULL;

      if (c == NULL)
        return;
      if (g_strcmp0 (c->handling_office, node->office) != 0
          || g_strcmp0 (c->receiving_office, node->office) == 0)
        continue;
      if (chance (w, 50))
        op_edit (w, node, c->id, "address");
      if (motcua_replica_transfer_case (node->officer, c->id, other, "liên thông", &error))
        w->n_moved_on++;
      check_op (w, "move on", error);
      op_receive (w, node);
      return;
    }
}

/* A commune decides a dossier the other commune received for it and hands the result back
 * itself: once it has, the case leaves the receiving commune's desks. FALSE: it has none. */
static gboolean
op_hand_back (World *w,
              Node  *node)
{
  static const MotcuaStatus steps[] = {
    MOTCUA_STATUS_IN_PROCESSING, MOTCUA_STATUS_APPROVED, MOTCUA_STATUS_RETURNED,
  };
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) ours = g_ptr_array_new ();
  const MotcuaCase *c;

  filter.limit = 1000;
  cases = motcua_replica_list_cases (node->officer, &filter, NULL);
  for (guint i = 0; cases != NULL && i < cases->len; i++)
    {
      c = cases->pdata[i];
      if (g_strcmp0 (c->handling_office, node->office) == 0 && c->return_at_deciding
          && motcua_status_is_open (c->status))
        g_ptr_array_add (ours, (gpointer) c);
    }
  if (ours->len == 0)
    return FALSE;

  c = ours->pdata[pick (w, ours->len)];
  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      g_autoptr(GError) error = NULL;

      if (c->status < steps[s])
        motcua_replica_advance_case (node->officer, c->id, steps[s], NULL, &error);
      check_op (w, "hand back", error);
    }

  return TRUE;
}

/* The officer types while the replica syncs, through the desk's own connection. */
void
write_during_sync (World *w,
                   Node  *node)
{
  MotcuaReplica *officer = node->officer;
  guint roll = pick (w, 10);

  node->officer = node->desk;
  w->n_writes_during++;
  if (roll < 4)
    op_receive (w, node);
  else if (roll < 7)
    {
      g_autoptr(MotcuaCase) c = random_case (w, node);

      if (c != NULL)
        op_edit (w, node, c->id, random_field (w));
    }
  else
    op_advance (w, node);
  node->officer = officer;
}

/* What a refused sync must leave as it was: the replica's settings (cursor, acknowledged
 * sequence, leases' bookkeeping…), its log, and the server's log. */
static char *
sync_state (World *w,
            Node  *node)
{
  sqlite3 *mine = NULL, *hub = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (node->f.path, &mine, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (mine, "SELECT key, quote (value) FROM meta ORDER BY key",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s=%s\n", sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (mine, "SELECT count(*), max(seq) FROM changes", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_string_append_printf (out, "changes %lld up to %lld\n", sqlite3_column_int64 (stmt, 0),
                          sqlite3_column_int64 (stmt, 1));
  sqlite3_finalize (stmt);
  sqlite3_close (mine);

  g_assert_cmpint (sqlite3_open_v2 (w->hub.path, &hub, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (hub, "SELECT max(gseq) FROM hub_log", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_string_append_printf (out, "hub log up to %lld\n", sqlite3_column_int64 (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (hub);

  return g_string_free (out, FALSE);
}

/* The desk's automatic sync and motcua-cli's at once: the second, through either connection,
 * is refused as busy and changes nothing. */
void
try_second_sync (World *w,
                 Node  *node)
{
  g_autoptr(MotcuaTransport) other = _motcua_transport_new_local (w->hub.replica, NULL,
                                                                  node->token);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = sync_state (w, node);
  g_autofree char *after = NULL;
  MotcuaReplica *replica = chance (w, 50) ? node->desk : node->f.replica;

  if (_motcua_sync_once (replica, other, NULL, NULL, NULL, NULL, &error))
    g_error ("seed %u: %s synced twice at once", w->seed, node->office);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
    g_error ("seed %u: a second sync of %s failed otherwise than busy: %s", w->seed,
             node->office, error->message);
  after = sync_state (w, node);
  if (strcmp (before, after) != 0)
    g_error ("seed %u: a refused second sync of %s changed it:\nbefore:\n%safter:\n%s",
             w->seed, node->office, before, after);
  w->n_busy++;
}

/* The province's store */

/* A fixture's clock, for another connection to its file. */
gint64
fixture_clock (gpointer user_data)
{
  return ((MotcuaFixture *) user_data)->now_ms;
}

void
take_backup (World *w)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  w->backup = g_build_filename (w->hub.dir, "backup.db", NULL);
  sql = g_strdup_printf ("VACUUM INTO '%s'", w->backup);
  g_assert_true (_motcua_replica_exec (w->hub.replica, sql, &error));
  g_assert_no_error (error);
}

/* The province restores its store from the older copy: it forgets what it acknowledged
 * since, and the replicas send it again. */
void
restore_backup (World *w)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&w->hub.replica);
  g_assert_true (motcua_hub_restore (w->hub.path, w->backup, &error));
  g_assert_no_error (error);
  g_unlink (w->backup);
  w->hub.replica = motcua_replica_open (w->hub.path, &error);
  g_assert_no_error (error);
  motcua_replica_set_clock (w->hub.replica, fixture_clock, &w->hub);
  g_clear_pointer (&w->backup, g_free);
  w->n_restores++;
}

static void
advance_time (World *w)
{
  w->now_ms += 1000 + pick (w, 20 * 60 * 1000);

  for (guint i = 0; i < N_NODES; i++)
    {
      Node *node = &w->nodes[i];

      /* Clocks drift a minute or two either way; now and then one runs well ahead, beyond
       * what the server accepts, until its officer notices; rarely hours ahead, for some
       * steps, until someone sets it right. */
      if (node->ahead > 0)
        {
          if (--node->ahead == 0)
            node->skew_ms = 0;
        }
      else if (chance (w, 10))
        node->skew_ms = (gint64) g_rand_int_range (w->rand, -120000, 120000);
      else if (chance (w, 3))
        node->skew_ms = 10 * 60 * 1000;
      else if (pick (w, 1000) < 2 && with_hours_ahead)
        {
          node->skew_ms = HOURS_AHEAD;
          node->ahead = 3 + pick (w, 12);
          w->n_hours_ahead++;
        }
      node->f.now_ms = w->now_ms + node->skew_ms;
    }
}

void
step (World *w)
{
  Node *node = &w->nodes[pick (w, N_NODES)];
  guint roll = pick (w, 100);

  advance_time (w);
  /* Now and then the officer's desk writes through its own connection, not the sync's. */
  for (guint i = 0; i < N_NODES; i++)
    w->nodes[i].officer = chance (w, 20) ? w->nodes[i].desk : w->nodes[i].f.replica;

  if (roll < 22)
    op_receive (w, node);
  else if (roll < 40)
    {
      g_autoptr(MotcuaCase) c = random_case (w, node);

      if (c != NULL)
        op_edit (w, node, c->id, random_field (w));
    }
  else if (roll < 52)
    op_advance (w, node);
  else if (roll < 58)
    op_transfer (w, node);
  else if (roll < 64)
    op_conflict (w);
  else if (roll < 68)
    op_resolve (w, node);
  else if (roll < 72)
    node->offline = 1 + pick (w, 12);   /* a field trip out of coverage */
  else if (roll < 76)
    op_attach (w, node);
  else if (roll < 80)
    op_remove_attachment (w, node);
  else if (roll < 84)
    {
      if (node->level == MOTCUA_LEVEL_DISTRICT)
        op_pass_down (w, node);
      else if (node->level == MOTCUA_LEVEL_COMMUNE && !op_hand_back (w, node))
        op_move_on (w, node);
    }
  else if (node->offline == 0)
    sync_node (w, node);

  for (guint i = 0; i < N_NODES; i++)
    if (w->nodes[i].offline > 0)
      w->nodes[i].offline--;
}
