/* test-hub-pull.c: pulls served from the log as it was logged
 *
 * The hub writes a pull's items as text straight from its log (motcua-wire-writer.c); the
 * client encodes pushes from typed items (_motcua_wire_encode()). Both follow one rule for
 * compact lists, and a whole list carries every change byte for byte as it was logged.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "motcua-protocol-private.h"
#include "motcua-test-transport.h"
#include "motcua-wire-private.h"
#include "test-hub.h"

/* The items of a pull of the whole log by @token, whole or compact, as the server wrote them. */
static char *
pull_items (Province   *p,
            const char *token,
            gboolean    compact)
{
  g_autofree char *body = g_strdup_printf ("{\"cursor\":\"0\",\"limit\":2000%s}",
                                           compact ? ",\"compact\":true" : "");
  g_autofree char *answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  g_assert_cmpuint (post (p, token, "/v1/pull", body, &answer), ==, 200);
  root = json_from_string (answer, &error);
  g_assert_no_error (error);
  o = json_node_get_object (root);
  g_assert_false (json_object_get_boolean_member (o, "more"));

  return json_to_string (json_object_get_member (o, "items"), FALSE);
}

static MotcuaWireBatch *
decode (const char *text,
        gboolean    compact)
{
  g_autoptr(GError) error = NULL;
  MotcuaWireBatch *batch;

  batch = _motcua_wire_decode (text, strlen (text), compact, FALSE, &error);
  g_assert_no_error (error);

  return batch;
}

static char *
encode (MotcuaWireBatch *batch,
        gboolean         compact)
{
  return _motcua_wire_encode (batch, compact);
}

/* Cases received, edited and moved from one commune to the other (which logs the case whole
 * for T.D.B, a snapshot row among the changes). */
static void
fill_log (Province *p)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) moved = receive (&p->a, "Lù Thị Sửu");
  g_autoptr(MotcuaCase) kept = receive (&p->b, "Sùng A Chứ");

  g_assert_true (motcua_replica_edit_case (p->b.replica, kept->id, "phone", "0912 345 678", NULL,
                                           &error));
  g_assert_no_error (error);
  g_assert_true (motcua_replica_transfer_case (p->a.replica, moved->id, "T.D", NULL, &error));
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->b, p->token_b, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);
  g_assert_true (motcua_replica_transfer_case (p->d.replica, moved->id, "T.D.B", NULL, &error));
  g_assert_no_error (error);
  sync_replica (p, &p->d, p->token_d, NULL);
}

static void
test_compact_as_whole (Province      *p,
                       gconstpointer  data)
{
  g_autofree char *whole = NULL;
  g_autofree char *compact = NULL;
  g_autofree char *again = NULL;
  g_autofree char *compact_again = NULL;
  g_autofree char *from_compact = NULL;
  g_autoptr(MotcuaWireBatch) whole_batch = NULL;
  g_autoptr(MotcuaWireBatch) compact_batch = NULL;
  gboolean snapshot = FALSE, change_after = FALSE;

  fill_log (p);
  /* A desk of T.D.B sees its own case, the moved one whole, then the changes after. */
  whole = pull_items (p, p->token_b, FALSE);
  compact = pull_items (p, p->token_b, TRUE);
  whole_batch = decode (whole, FALSE);
  compact_batch = decode (compact, TRUE);

  for (guint i = 0; i < _motcua_wire_batch_length (whole_batch); i++)
    {
      const MotcuaWireItem *item = _motcua_wire_batch_item (whole_batch, i);

      snapshot = snapshot || !item->is_change;
      change_after = change_after || (snapshot && item->is_change);
    }
  g_assert_true (snapshot);
  g_assert_true (change_after);

  /* Whole: every item as the typed item encodes, byte for byte. */
  again = encode (whole_batch, FALSE);
  g_assert_cmpstr (again, ==, whole);
  /* Compact: the same items, in fewer bytes, compacted as the client compacts. */
  from_compact = encode (compact_batch, FALSE);
  g_assert_cmpstr (from_compact, ==, whole);
  compact_again = encode (whole_batch, TRUE);
  g_assert_cmpstr (compact_again, ==, compact);
  g_assert_cmpuint (strlen (compact), <, strlen (whole) * 2 / 3);
}

/* Every character a text may hold travels as it was: the encoder's escapes (the control
 * characters, DEL, quotes, backslashes) read back to the same text, by the decoder and by
 * json-glib, and Vietnamese is written as it is. */
static void
test_text_escapes (void)
{
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_batch_new ();
  g_autoptr(MotcuaWireBatch) back = NULL;
  g_autoptr(GString) text = g_string_new ("Nguyễn Thị Ánh Tuyết, \"Bản\" \\ ");
  const MotcuaTableDesc *cases = _motcua_table_lookup (MOTCUA_TABLE_CASES);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autofree char *encoded = NULL;
  const MotcuaWireItem *got;
  MotcuaWireItem *item;
  MotcuaValue value;

  for (int c = 1; c < 128; c++)
    g_string_append_c (text, (char) c);
  item = _motcua_wire_batch_add (batch, cases, TRUE,
                                 (guint) _motcua_table_column (cases, "applicant_name") + 1);
  motcua_uuid_v7 (&item->origin);
  motcua_uuid_v7 (&item->row_id);
  item->seq = 1;
  item->hlc = (MotcuaHlc) 1 << 40;
  value = MOTCUA_VALUE_TEXT (text->str);
  item->values[0] = _motcua_wire_batch_keep (batch, &value, -1);

  encoded = _motcua_wire_encode (batch, FALSE);
  g_assert_nonnull (strstr (encoded, "Nguyễn Thị Ánh Tuyết, \\\"Bản\\\" \\\\ "));
  g_assert_nonnull (strstr (encoded, "\\u0001\\u0002"));
  g_assert_nonnull (strstr (encoded, "\\u001f !\\\"#"));
  back = _motcua_wire_decode (encoded, strlen (encoded), FALSE, FALSE, &error);
  g_assert_no_error (error);
  got = _motcua_wire_batch_item (back, 0);
  g_assert_cmpstr (got->values[0].s, ==, text->str);
  g_assert_cmpint (got->hlc, ==, item->hlc);

  parsed = json_from_string (encoded, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_node_get_array (parsed), 0), "v"),
                   ==, text->str);
}

/* A log entry whose text is damaged is left out of pulls; it does not fail them. */
static void
test_damaged_entry (Province      *p,
                    gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(MotcuaWireBatch) before_batch = NULL;
  g_autoptr(MotcuaWireBatch) after_batch = NULL;
  sqlite3 *db = NULL;

  fill_log (p);
  before = pull_items (p, p->token_b, TRUE);
  g_assert_cmpint (sqlite3_open (motcua_replica_get_path (p->hub.replica), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE hub_log SET change = '{\"o\":' WHERE gseq ="
                                 " (SELECT max(gseq) FROM hub_log WHERE kind = 0)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  after = pull_items (p, p->token_b, TRUE);

  before_batch = decode (before, TRUE);
  after_batch = decode (after, TRUE);
  g_assert_cmpuint (_motcua_wire_batch_length (after_batch), ==,
                    _motcua_wire_batch_length (before_batch) - 1);
}

/* Commune T.D.A receives @n cases, each with an address of @address_len random letters (or
 * none), and pushes them. */
static void
receive_many (Province *p,
              guint     n,
              guint     address_len)
{
  g_autoptr(MotcuaTransport) transport = _motcua_transport_new_local (p->hub.replica, NULL,
                                                                      p->token_a);
  g_autoptr(GError) error = NULL;
  MotcuaSyncProgress summary;

  g_assert_true (motcua_replica_begin (p->a.replica, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Lò Văn Số %u", i);
      g_autofree char *address = g_malloc0 (address_len + 1);
      MotcuaReception r = { .procedure_code = "HT.KS", .applicant_name = name,
                            .citizen_id = "012345678901",
                            .address = address_len > 0 ? address : NULL };
      g_autoptr(MotcuaCase) c = NULL;

      for (guint k = 0; k < address_len; k++)
        address[k] = (char) g_test_rand_int_range ('a', 'z' + 1);
      c = motcua_replica_receive (p->a.replica, &r, &error);
      g_assert_no_error (error);
    }
  g_assert_true (motcua_replica_commit (p->a.replica, &error));
  g_assert_true (_motcua_sync_once (p->a.replica, transport, NULL, NULL, NULL, &summary,
                                    &error));
  g_assert_no_error (error);
}

/* The district pulls what its commune pushed, each exchange taken to last @exchange_us. */
static MotcuaSyncProgress
district_pulls (Province *p,
                gint64    exchange_us)
{
  g_autoptr(MotcuaTransport) transport = _motcua_transport_new_local (p->hub.replica, NULL,
                                                                      p->token_d);
  g_autoptr(GError) error = NULL;
  MotcuaSyncProgress summary;

  transport->exchange_us = exchange_us;
  g_assert_true (_motcua_sync_once (p->d.replica, transport, NULL, NULL, NULL, &summary,
                                    &error));
  g_assert_no_error (error);
  g_assert_true (summary.verified);
  g_test_message ("%" G_GUINT64_FORMAT " changes in %u batches", summary.changes_received,
                  summary.batches_received);

  return summary;
}

/* Over a quick link a replica asks for twice as many changes each time, up to the server's
 * most: 2,000, 4,000, 8,000, 8,000… (each batch may run on to the end of a row write). */
static void
test_batches_grow (Province      *p,
                   gconstpointer  data)
{
  MotcuaSyncProgress summary;
  guint64 left;
  guint most = 0, limit = 2000;

  receive_many (p, 800, 0);
  summary = district_pulls (p, 1000);

  g_assert_cmpuint (summary.changes_received, >, 10000);
  for (left = summary.changes_received; left > 0; most++)
    {
      left -= MIN (left, limit);
      limit = MIN (limit * 2, MOTCUA_HUB_MAX_CHANGES_PER_PULL);
    }
  g_assert_cmpuint (summary.batches_received, <=, most);
  g_assert_cmpuint (summary.batches_received, <, (summary.changes_received + 1999) / 2000);
}

/* Answers large on the wire do not grow, however quickly they come: whole rows, or changes
 * holding long text, are more to apply after the last answer than they save. */
static void
test_batches_large_stay (Province      *p,
                         gconstpointer  data)
{
  MotcuaSyncProgress summary;

  receive_many (p, 300, 1000);
  summary = district_pulls (p, 1000);

  g_assert_cmpuint (summary.changes_received, >, 4000);
  g_assert_cmpuint (summary.batches_received, >=, (summary.changes_received + 2063) / 2064);
}

/* Over a slow link it asks for half as many each time, down to 500: a dropped request
 * loses less. */
static void
test_batches_shrink (Province      *p,
                     gconstpointer  data)
{
  MotcuaSyncProgress summary;

  receive_many (p, 400, 0);
  summary = district_pulls (p, 5 * G_USEC_PER_SEC);

  g_assert_cmpuint (summary.changes_received, >, 5000);
  /* 2,000, 1,000, then 500 at a time (a few more for batches that end a row write). */
  g_assert_cmpuint (summary.batches_received, >=, 2 + (summary.changes_received - 3000) / 564);
}

void
test_hub_pull_add_tests (void)
{
  HUB_ADD ("/hub/pull/compact-as-whole", test_compact_as_whole);
  HUB_ADD ("/hub/pull/damaged-entry", test_damaged_entry);
  g_test_add_func ("/hub/pull/text-escapes", test_text_escapes);
  HUB_ADD ("/hub/pull/batches-grow", test_batches_grow);
  HUB_ADD ("/hub/pull/batches-shrink", test_batches_shrink);
  HUB_ADD ("/hub/pull/batches-large-stay", test_batches_large_stay);
}
