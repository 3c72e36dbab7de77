/* fuzz-push.c: libFuzzer target for the hub's side of a push (_motcua_hub_push)
 *
 * Each input is a push body, {"changes": [...]} or a bare array, as commune T.D.A's replica
 * would send it; anything else is ignored. It is pushed as T.D.A's enrolled peer, bound to
 * FUZZ_ORIGIN_A, to a hub that holds the tests' province and a case of each commune
 * (fuzz-common.c). The hub validates and merges it: every failure must come back as a GError,
 * never a crash, a leak, a GLib critical or warning, or a database error.
 *
 * As the protocol does before it calls _motcua_hub_push(), a push holding a change stamped more
 * than 5 minutes ahead of the hub's clock (a day after the seeds') is refused: skipped.
 *
 * Sequence numbers: the hub and its peer are kept across inputs, so the peer's acknowledged
 * sequence number grows. So that an input means the same whenever it runs, a whole-number "s"
 * counts from the last acknowledged change: the harness adds it (1 is the next change; 0 or
 * less, one held already).
 *
 * After each input: no transaction is left open; on success the acknowledged sequence number
 * did not go back, moved by at most the number of changes, is what the hub stored, the hub
 * logged at most as many of the peer's changes, and the district T.D syncs through the protocol: it takes what
 * the hub accepted and then holds the same state of its scope (the digests match); on failure
 * nothing moved. Every 500 inputs,
 * PRAGMA quick_check on the hub and the district. Every 20,000 inputs the province is made
 * anew, so that its growth does not slow the run.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "fuzz-common.h"
#include "motcua-error.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static FuzzProvince *province;   /* of this input */

static gint64
query_int (MotcuaReplica *replica,
           const char    *sql,
           const char    *text)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (replica->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    fuzz_fail ("%s: %s", sql, sqlite3_errmsg (replica->db));
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static gint64
stored_acked (void)
{
  return query_int (province->hub.replica,
                    "SELECT acked_seq FROM hub_replicas WHERE token_id = ?1",
                    province->peer_a->token_id);
}

static gint64
last_logged (void)
{
  return query_int (province->hub.replica, "SELECT coalesce(max(gseq), 0) FROM hub_log", NULL);
}

/* The entries of the peer's own changes logged past @gseq (the hub logs its own writes too, and
 * the conflicts it detects). */
static gint64
peer_logged_since (gint64 gseq)
{
  sqlite3 *db = province->hub.replica->db;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM hub_log WHERE gseq > ?1 AND origin = ?2", -1,
                          &stmt, NULL) != SQLITE_OK)
    fuzz_fail ("hub_log: %s", sqlite3_errmsg (db));
  sqlite3_bind_int64 (stmt, 1, gseq);
  sqlite3_bind_blob (stmt, 2, province->peer_a->replica_id.bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

/* The protocol refuses a push holding a change stamped more than 5 minutes ahead of the hub's
 * clock before it reaches _motcua_hub_push() (motcua-protocol.c): so does the harness. */
static gboolean
stamped_ahead (JsonArray *changes,
               gint64     now_ms)
{
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      JsonNode *h = JSON_NODE_HOLDS_OBJECT (node)
                    ? json_object_get_member (json_node_get_object (node), "h") : NULL;

      if (h != NULL && JSON_NODE_HOLDS_VALUE (h) && json_node_get_value_type (h) == G_TYPE_INT64
          && motcua_hlc_get_ms ((MotcuaHlc) json_node_get_int (h)) > now_ms + 5 * 60 * 1000)
        return TRUE;
    }

  return FALSE;
}

/* "s" counts from the last acknowledged change (see above). */
static void
rebase (JsonArray *changes,
        guint64    acked)
{
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      JsonNode *s;
      gint64 seq;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      s = json_object_get_member (json_node_get_object (node), "s");
      if (s == NULL || !JSON_NODE_HOLDS_VALUE (s) || json_node_get_value_type (s) != G_TYPE_INT64)
        continue;
      seq = json_node_get_int (s);
      if (seq <= G_MAXINT64 - (gint64) acked)
        json_node_set_int (s, seq + (gint64) acked);
    }
}

/* The sequence number of the first change of a push that the hub accepted as well formed. */
static gint64
first_seq (JsonArray *changes)
{
  JsonObject *o = json_array_get_length (changes) > 0
                  ? json_array_get_object_element (changes, 0) : NULL;

  return o != NULL ? json_object_get_int_member_with_default (o, "s", 1) : 1;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonArray) rejected = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *changes;
  MotcuaHubPeer *peer;
  guint64 before, acked = 0;
  gint64 logged_before, logged_after, first;
  guint n;
  guint64 n_inputs;
  gboolean quick_check, ok;

  province = fuzz_province_for_input (data, size, &n_inputs);
  quick_check = n_inputs % FUZZ_QUICK_CHECK_EVERY == 0;

  parser = json_parser_new ();
  changes = fuzz_parse_changes (parser, data, size);
  if (changes == NULL || stamped_ahead (changes, province->hub.now_ms))
    return 0;

  peer = province->peer_a;
  n = json_array_get_length (changes);
  before = peer->acked_seq;
  rebase (changes, before);
  logged_before = last_logged ();

  ok = fuzz_hub_push (province->hub.replica, peer, changes, &acked, &rejected, &error);

  fuzz_check_replica (province->hub.replica, quick_check);
  logged_after = last_logged ();

  if (!ok)
    {
      if (error == NULL)
        fuzz_fail ("the push failed without an error");
      if (error->domain != MOTCUA_ERROR
          || error->code == MOTCUA_ERROR_DATABASE || error->code == MOTCUA_ERROR_CORRUPT)
        fuzz_fail ("bad input must be refused as such, not as a failure of the hub: %s (%s %d)",
                   error->message, g_quark_to_string (error->domain), error->code);
      if (!g_utf8_validate (error->message, -1, NULL))
        fuzz_fail ("the error message is not UTF-8: %s", error->message);
      if (peer->acked_seq != before || stored_acked () != (gint64) before)
        fuzz_fail ("a refused push moved the acknowledged sequence number: %" G_GUINT64_FORMAT
                   " → %" G_GUINT64_FORMAT " (stored %" G_GINT64_FORMAT ")", before,
                   peer->acked_seq, stored_acked ());
      if (logged_after != logged_before)
        fuzz_fail ("a refused push was logged: gseq %" G_GINT64_FORMAT " → %" G_GINT64_FORMAT,
                   logged_before, logged_after);
      return 0;
    }

  if (error != NULL)
    fuzz_fail ("the push succeeded with an error: %s", error->message);
  if (acked != peer->acked_seq || acked < before || acked - before > n)
    fuzz_fail ("acknowledged %" G_GUINT64_FORMAT " (peer %" G_GUINT64_FORMAT ") after %"
               G_GUINT64_FORMAT " for %u changes", acked, peer->acked_seq, before, n);
  if (stored_acked () != (gint64) acked)
    fuzz_fail ("acknowledged %" G_GUINT64_FORMAT " but the hub stored %" G_GINT64_FORMAT, acked,
               stored_acked ());
  if (logged_after < logged_before || peer_logged_since (logged_before) > (gint64) n)
    fuzz_fail ("%u changes logged %" G_GINT64_FORMAT " entries", n,
               peer_logged_since (logged_before));
  /* Refusals name changes from the first one pushed to the last acknowledged: those of this
   * push, and those of earlier pushes whose answer the replica may have missed. */
  first = first_seq (changes);
  if (rejected == NULL
      || (json_array_get_length (rejected) > 0
          && json_array_get_length (rejected) > (guint64) acked - (guint64) first + 1))
    fuzz_fail ("rejected: %u of %u changes", rejected ? json_array_get_length (rejected) : 0, n);
  for (guint i = 0; i < json_array_get_length (rejected); i++)
    {
      JsonObject *r = json_array_get_object_element (rejected, i);
      gint64 s = json_object_get_int_member_with_default (r, "s", 0);
      const char *reason = json_object_get_string_member_with_default (r, "reason", NULL);

      if (s < first || s > (gint64) acked || reason == NULL
          || !g_utf8_validate (reason, -1, NULL))
        fuzz_fail ("rejected change %u: s %" G_GINT64_FORMAT ", reason %s", i, s,
                   reason ? reason : "(none)");
    }

  /* Whatever the hub accepted, the replicas in its scope must take. */
  if (logged_after != logged_before)
    {
      if (!fuzz_sync_district (province, &error))
        fuzz_fail ("after the hub accepted this push, the district's sync failed: %s",
                   error->message);
      fuzz_check_replica (province->district.replica, quick_check);
    }

  return 0;
}
