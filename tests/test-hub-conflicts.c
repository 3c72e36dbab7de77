/* test-hub-conflicts.c: timeline rows, tokens, conflicts, transfers, leases, hostile requests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-hub-private.h"
#include "motcua-protocol-private.h"
#include "motcua-test-transport.h"
#include "motcua-test-utils.h"
#include "test-hub.h"

/* A copy of the event of case @case_id with the id @id, or about the row @ref, or NULL. */
MotcuaCaseEvent *
dup_event (MotcuaReplica *replica,
           const char    *case_id,
           const char    *id,
           const char    *ref)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = motcua_replica_list_case_events (replica, case_id, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      const MotcuaCaseEvent *e = events->pdata[i];

      if ((id != NULL && g_strcmp0 (e->id, id) == 0)
          || (ref != NULL && g_strcmp0 (e->ref, ref) == 0))
        return motcua_case_event_copy (e);
    }

  return NULL;
}

/* A row of a timeline never changes once written: the same row again with other values is
 * refused, and neither the hub nor the district takes them (the hub once logged them as
 * pushed while keeping its own, so the district took the other values; found by fuzz-push).
 * The same values again are a harmless repeat. */
static void
test_timeline_rows_never_change (Province      *p,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lý Thị Sen");
  g_autoptr(JsonArray) changes = _motcua_replica_collect_changes (p->a.replica, 0, 0, &error);
  g_autoptr(MotcuaHubPeer) peer = NULL;
  g_autoptr(JsonArray) again = json_array_new ();
  g_autoptr(JsonArray) rejected = NULL;
  g_autoptr(GPtrArray) events = NULL;
  JsonObject *event = NULL;
  guint64 acked = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *o = json_array_get_object_element (changes, i);

      if (g_strcmp0 (json_object_get_string_member (o, "t"), "case_events") == 0)
        event = o;
    }
  g_assert_nonnull (event);
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);
  peer = _motcua_hub_authenticate (p->hub.replica, p->token_a, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *text = json_to_string (json_object_get_member (event, "v"), FALSE);
      JsonNode *node = json_from_string (text, NULL);   /* deep: json_node_copy() shares */

      if (i == 0)
        json_object_set_string_member (json_node_get_object (node), "receipt_no", "đã sửa");
      json_array_add_object_element (again, forged_change (&p->a, peer->acked_seq + 1 + i, i,
                                                           "case_events",
                                                           json_object_get_string_member (event,
                                                                                          "r"),
                                                           NULL, node));
    }

  g_assert_true (_motcua_hub_push (p->hub.replica, peer, again, &acked, &rejected, NULL,
                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rejected), ==, 1);
  {
    JsonObject *r = json_array_get_object_element (rejected, 0);

    g_assert_nonnull (strstr (json_object_get_string_member (r, "reason"),
                              "exists already with another receipt_no"));
  }

  sync_replica (p, &p->d, p->token_d, NULL);
  events = motcua_replica_list_case_events (p->d.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((MotcuaCaseEvent *) events->pdata[0])->receipt_no, ==, c->receipt_no);
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_pointer (&rejected, json_array_unref);

  /* An event as a build before schema 8 wrote it (the server logged it before it was
   * updated): every replica holds it parsed into its fields, as the migration parsed those it
   * held. */
  {
    g_autoptr(JsonArray) old = json_array_new ();
    JsonObject *v = json_object_new ();
    JsonNode *node = json_node_init_object (json_node_alloc (), v);
    g_autoptr(MotcuaCaseEvent) parsed = NULL;

    json_object_set_string_member (v, "case_id", c->id);
    json_object_set_string_member (v, "at", "2025-03-03T09:00:00+07:00");
    json_object_set_string_member (v, "officer", "cán bộ cũ");
    json_object_set_string_member (v, "action", "status");
    json_object_set_string_member (v, "detail", "received → in_processing");
    json_object_unref (v);
    json_array_add_object_element (old, forged_change (&p->a, acked + 1, 7, "case_events",
                                                       "01955a00-0000-7000-8000-0000000000e7",
                                                       NULL, node));
    g_assert_true (_motcua_hub_push (p->hub.replica, peer, old, &acked, &rejected, NULL,
                                     &error));
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (rejected), ==, 0);
    sync_replica (p, &p->d, p->token_d, NULL);
    parsed = dup_event (p->d.replica, c->id, "01955a00-0000-7000-8000-0000000000e7", NULL);
    g_assert_nonnull (parsed);
    g_assert_cmpstr (parsed->field, ==, "status");
    g_assert_cmpstr (parsed->old_value, ==, "received");
    g_assert_cmpstr (parsed->new_value, ==, "in_processing");
    g_assert_null (parsed->detail);
  }
}

static void
test_tokens (Province      *p,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaHubPeer) peer = NULL;
  g_autofree char *wrong = g_strdup (p->token_a);
  g_auto(GStrv) parts = g_strsplit (p->token_a, ".", 2);

  /* Only the salted hash is stored: the secret is nowhere in the hub's file. */
  {
    g_autofree char *contents = NULL;
    gsize len;

    g_file_get_contents (p->hub.path, &contents, &len, &error);
    g_assert_no_error (error);
    g_assert_null (g_strstr_len (contents, (gssize) len, parts[1]));
  }

  wrong[strlen (wrong) - 1] = wrong[strlen (wrong) - 1] == '0' ? '1' : '0';
  peer = _motcua_hub_authenticate (p->hub.replica, wrong, &error);
  g_assert_null (peer);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED);
  g_clear_error (&error);

  peer = _motcua_hub_authenticate (p->hub.replica, "nonsense", &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED);
  g_clear_error (&error);

  g_assert_true (_motcua_hub_revoke (p->hub.replica, parts[0], &error));
  peer = _motcua_hub_authenticate (p->hub.replica, p->token_a, &error);
  g_assert_null (peer);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED);
}


gint64
open_conflicts (MotcuaReplica *replica)
{
  g_autoptr(GError) error = NULL;
  gint64 n = motcua_replica_count_conflicts (replica, &error);

  g_assert_no_error (error);

  return n;
}

/* Concurrent edits of different fields both survive; of one field, they make one conflict row
 * at every replica in scope, with the losing value kept, and its resolution closes it
 * everywhere. */
static void
test_conflicts (Province      *p,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lò Thị Xuân");
  g_autoptr(MotcuaCase) on_a = NULL;
  g_autoptr(MotcuaCase) on_d = NULL;
  g_autoptr(GPtrArray) list = NULL;
  MotcuaConflict *k;

  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);

  /* Different fields: no conflict. */
  g_assert_true (motcua_replica_edit_case (p->a.replica, c->id, "address", "Bản Nà Hừ", NULL,
                                           &error));
  g_assert_true (motcua_replica_edit_case (p->d.replica, c->id, "phone", "0912345678", NULL,
                                           &error));
  g_assert_no_error (error);
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->a, p->token_a, NULL);
  on_a = motcua_replica_dup_case (p->a.replica, c->id, &error);
  g_assert_cmpstr (on_a->address, ==, "Bản Nà Hừ");
  g_assert_cmpstr (on_a->phone, ==, "0912345678");
  g_assert_cmpint (open_conflicts (p->hub.replica), ==, 0);

  /* One field, neither having seen the other. */
  p->d.now_ms += 1000;
  g_assert_true (motcua_replica_edit_case (p->a.replica, c->id, "phone", "0987654321", NULL,
                                           &error));
  g_assert_true (motcua_replica_edit_case (p->d.replica, c->id, "phone", "0911111111", NULL,
                                           &error));
  g_assert_no_error (error);
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->a, p->token_a, NULL);

  g_assert_cmpint (open_conflicts (p->hub.replica), ==, 1);
  g_assert_cmpint (open_conflicts (p->a.replica), ==, 1);
  g_assert_cmpint (open_conflicts (p->d.replica), ==, 1);
  g_assert_cmpint (open_conflicts (p->b.replica), ==, 0);   /* not in its scope */

  list = motcua_replica_list_conflicts (p->a.replica, FALSE, &error);
  g_assert_no_error (error);
  k = list->pdata[0];
  g_assert_cmpstr (k->column, ==, "phone");
  g_assert_cmpstr (k->receipt_no, ==, c->receipt_no);
  /* Both values are kept, whoever won. */
  g_assert_true ((g_strcmp0 (k->a.value, "0987654321") == 0
                  && g_strcmp0 (k->b.value, "0911111111") == 0)
                 || (g_strcmp0 (k->b.value, "0987654321") == 0
                     && g_strcmp0 (k->a.value, "0911111111") == 0));
  g_assert_cmpstr (k->a.office, !=, NULL);
  /* The same conflict, by the same id, everywhere. */
  {
    g_autoptr(MotcuaConflict) on_hub = motcua_replica_dup_conflict (p->hub.replica, k->id,
                                                                    &error);

    g_assert_no_error (error);
    g_assert_cmpstr (on_hub->id, ==, k->id);
  }

  /* A side that is not one value (from a replica that wrote nonsense) is refused, not
   * written into the case; the district's copy is put back as it was after. */
  {
    sqlite3 *db = p->d.replica->db;
    g_autofree char *before = motcua_test_export (p->d.replica);
    g_autofree char *after = NULL;

    g_assert_cmpint (sqlite3_exec (db, "CREATE TEMP TABLE kept AS SELECT id, a_value"
                                   " FROM conflicts; UPDATE conflicts SET a_value = '[1]'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_false (motcua_replica_resolve_conflict (p->d.replica, k->id,
                                                     MOTCUA_RESOLVE_KEEP_A, NULL, &error));
    g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "type a new value"));
    g_clear_error (&error);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE conflicts SET a_value = (SELECT a_value FROM kept"
                                   " WHERE kept.id = conflicts.id); DROP TABLE kept",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    after = motcua_test_export (p->d.replica);
    g_assert_cmpstr (before, ==, after);
  }

  /* Resolved at the commune with the district's value: closed everywhere after a sync. */
  g_assert_true (motcua_replica_resolve_conflict (p->a.replica, k->id, MOTCUA_RESOLVE_VALUE,
                                                  "0911111111", &error));
  g_assert_no_error (error);
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);
  g_assert_cmpint (open_conflicts (p->a.replica), ==, 0);
  g_assert_cmpint (open_conflicts (p->hub.replica), ==, 0);
  g_assert_cmpint (open_conflicts (p->d.replica), ==, 0);
  on_d = motcua_replica_dup_case (p->d.replica, c->id, &error);
  g_assert_cmpstr (on_d->phone, ==, "0911111111");

  /* The district's timeline says the correction resolved that conflict. */
  {
    g_autoptr(MotcuaCaseEvent) resolution = dup_event (p->d.replica, c->id, NULL, k->id);

    g_assert_nonnull (resolution);
    g_assert_cmpstr (resolution->action, ==, "edited");
    g_assert_cmpstr (resolution->field, ==, "phone");
    g_assert_cmpstr (resolution->new_value, ==, "0911111111");
    g_assert_null (resolution->note);
  }
}

/* A stale concurrent status edit never reopens a resolved case. */
static void
test_stale_status (Province      *p,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Vàng A Dình");
  g_autoptr(MotcuaCase) on_hub = NULL;
  MotcuaStepOptions approved = { .result = "Giấy khai sinh" };

  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);

  /* The district resolves it; the commune, later by the clock, only starts processing it. */
  g_assert_true (motcua_replica_advance_case (p->d.replica, c->id, MOTCUA_STATUS_IN_PROCESSING,
                                              NULL, &error));
  g_assert_true (motcua_replica_advance_case (p->d.replica, c->id, MOTCUA_STATUS_APPROVED,
                                              &approved, &error));
  g_assert_no_error (error);
  p->a.now_ms += 3600 * 1000;
  g_assert_true (motcua_replica_advance_case (p->a.replica, c->id, MOTCUA_STATUS_IN_PROCESSING,
                                              NULL, &error));
  g_assert_no_error (error);

  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);

  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_cmpint (on_hub->status, ==, MOTCUA_STATUS_APPROVED);
  g_clear_pointer (&on_hub, motcua_case_free);
  on_hub = motcua_replica_dup_case (p->a.replica, c->id, &error);
  g_assert_cmpint (on_hub->status, ==, MOTCUA_STATUS_APPROVED);
}

/* A case transferred to another commune arrives there whole; when it moves on, it is purged
 * there once nothing of it is pending. */
static void
test_transfer (Province      *p,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->d, "Giàng Thị Mai");
  g_autoptr(MotcuaCase) on_b = NULL;
  g_autoptr(GPtrArray) events = NULL;

  g_assert_true (motcua_replica_edit_case (p->d.replica, c->id, "address", "Bản Sin Chải", NULL,
                                           &error));
  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->b, p->token_b, NULL);
  g_assert_null (motcua_replica_dup_case (p->b.replica, c->id, NULL));

  g_assert_true (motcua_replica_transfer_case (p->d.replica, c->id, "T.D.B", "liên thông",
                                               &error));
  g_assert_no_error (error);
  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->b, p->token_b, NULL);

  on_b = motcua_replica_dup_case (p->b.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_b->address, ==, "Bản Sin Chải");
  g_assert_cmpstr (on_b->receipt_no, ==, c->receipt_no);
  events = motcua_replica_list_case_events (p->b.replica, c->id, &error);
  g_assert_cmpuint (events->len, ==, 3);   /* received, edited, transferred */

  /* Back to the district: it leaves the commune's scope. */
  g_assert_true (motcua_replica_transfer_case (p->b.replica, c->id, "T.D", NULL, &error));
  g_assert_no_error (error);
  sync_replica (p, &p->b, p->token_b, NULL);
  g_assert_null (motcua_replica_dup_case (p->b.replica, c->id, NULL));
  g_assert_cmpint (motcua_test_count (p->b.replica, "case_events"), ==, 0);
}

/* Receipt numbers from leased blocks are unique across desks. */
static void
test_leases (Province      *p,
             gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *second_path = g_build_filename (p->a.dir, "second.db", NULL);
  g_autofree char *token = _motcua_hub_enroll (p->hub.replica, "T.D.A", &error);
  g_autoptr(MotcuaReplica) second = motcua_replica_create (second_path, "T.D.A",
                                                           MOTCUA_LEVEL_COMMUNE, &error);
  MotcuaFixture f2 = { NULL, second_path, second, p->a.now_ms };

  g_assert_no_error (error);
  motcua_replica_set_clock (second, (MotcuaClockFunc) (void (*) (void)) NULL, NULL);
  /* Both desks of commune A enroll; offline each numbers from its own block. */
  for (guint desk = 0; desk < 2; desk++)
    {
      MotcuaFixture *f = desk == 0 ? &p->a : &f2;
      g_autoptr(MotcuaTransport) transport =
        _motcua_transport_new_local (p->hub.replica, NULL, desk == 0 ? p->token_a : token);

      g_assert_true (_motcua_sync_bind (f->replica, transport, "local:", NULL, &error));
      g_assert_true (_motcua_sync_once (f->replica, transport, NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 30; i++)
    {
      MotcuaFixture *f = i % 2 ? &p->a : &f2;
      g_autoptr(MotcuaCase) c = receive (f, "Sùng A Tủa");

      g_assert_false (g_hash_table_contains (seen, c->receipt_no));
      g_assert_null (strstr (c->receipt_no, "-D"));
      g_hash_table_add (seen, g_strdup (c->receipt_no));
    }
}


guint
post (Province   *p,
      const char *token,
      const char *path,
      const char *body,
      char      **answer)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autofree char *query = g_strdup_printf ("protocol=%d&schema=%d", MOTCUA_PROTOCOL_VERSION,
                                            MOTCUA_SCHEMA_VERSION);
  MotcuaHubRequest request = { "POST", path, query, token, bytes };
  g_autoptr(MotcuaHubResponse) response = _motcua_hub_handle (p->hub.replica, NULL, &request);
  gsize size;
  const char *data = g_bytes_get_data (response->body, &size);

  g_assert_true (g_utf8_validate (data, (gssize) size, NULL));
  *answer = g_strndup (data, size);

  return response->status;
}

/* What the fuzzer found: each is a 4xx naming the problem, never a crash, a warning or bytes
 * that are not UTF-8, and the hub goes on syncing. */
static void
test_hostile (Province      *p,
              gconstpointer  data)
{
  g_autofree char *deep = g_strnfill (100000, '[');
  char *answer = NULL;

  g_assert_cmpuint (post (p, p->token_a, "/v1/push", deep, &answer), ==, 400);
  g_assert_nonnull (strstr (answer, "nested too deeply"));
  g_free (answer);
  g_assert_cmpuint (post (p, p->token_a, "/v1/push", "{\"changes\":[]} [1]", &answer), ==, 400);
  g_free (answer);
  /* Blank text parses to no JSON at all, not to an object. */
  g_assert_cmpuint (post (p, p->token_a, "/v1/push", " \n", &answer), ==, 400);
  g_assert_nonnull (strstr (answer, "JSON object"));
  g_free (answer);
  g_assert_cmpuint (post (p, p->token_a, "/v1/push",
                          "{\"changes\":[{\"o\":[1],\"s\":{},\"t\":[\"cases\"],\"r\":[]}]}",
                          &answer), ==, 400);
  g_free (answer);
  g_assert_cmpuint (post (p, p->token_a, "/v1/push",
                          "{\"changes\":[{\"o\":\"019a0000-0000-7000-8000-000000000001\","
                          "\"s\":1,\"h\":9223372036854775807,\"t\":\"cases\","
                          "\"r\":\"019a0000-0000-7000-8000-000000000002\",\"c\":\"phone\","
                          "\"v\":\"1\",\"p\":0}]}", &answer), ==, 400);
  g_free (answer);
  g_assert_cmpuint (post (p, p->token_a, "/v1/push",
                          "{\"changes\":[{\"o\":\"019a0000-0000-7000-8000-000000000001\","
                          "\"s\":1,\"h\":1,\"t\":\"a\\ud800b\","
                          "\"r\":\"019a0000-0000-7000-8000-000000000002\",\"c\":\"phone\","
                          "\"v\":\"1\",\"p\":0}]}", &answer), ==, 400);
  g_free (answer);
  /* Escapes json-glib 1.6 leaks on: refused before it parses them. A well-formed pair is
   * not. */
  for (guint i = 0; i < 4; i++)
    {
      static const char *const bodies[] = {
        "{\"changes\": [{\"v\": \"\\ud83l\\u0041\"}]}",
        "{\"changes\": [{\"v\": \"\\udc00\"}]}",
        "{\"changes\": [{\"v\": \"\\ud83d x\"}]}",
        "{\"changes\": [{\"v\": \"\\u12\"}]}",
      };

      g_assert_cmpuint (post (p, p->token_a, "/v1/push", bodies[i], &answer), ==, 400);
      g_assert_nonnull (strstr (answer, "malformed"));
      g_free (answer);
    }
  g_assert_cmpuint (post (p, p->token_a, "/v1/push",
                          "{\"changes\": [], \"x\": \"\\ud83d\\ude00\"}", &answer), ==, 400);
  g_assert_null (strstr (answer, "malformed"));
  g_free (answer);

  sync_replica (p, &p->d, p->token_d, NULL);
}

/* A NUL character in a string of a request is refused whole, never kept cut short. */
static void
test_nul_refused (Province      *p,
                  gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = receive (&p->a, "Giàng A Tủa");
  g_autoptr(MotcuaCase) on_hub = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  char *answer = NULL;

  sync_replica (p, &p->a, p->token_a, NULL);
  body = g_strdup_printf ("{\"changes\":[{\"o\":\"%s\",\"s\":%" G_GUINT64_FORMAT ","
                          "\"h\":%" G_GUINT64_FORMAT ",\"t\":\"cases\",\"r\":\"%s\","
                          "\"c\":\"applicant_name\",\"v\":\"Giàng\\u0000 A Tủa\","
                          "\"p\":0}]}",
                          motcua_replica_get_id (p->a.replica),
                          motcua_replica_get_last_seq (p->a.replica) + 1,
                          (guint64) motcua_hlc_make (p->a.now_ms + 1000, 0), c->id);
  g_assert_cmpuint (post (p, p->token_a, "/v1/push", body, &answer), ==, 400);
  g_assert_nonnull (strstr (answer, "NUL"));
  g_assert_nonnull (strstr (answer, "\"code\":\"bad-json\""));
  g_free (answer);

  on_hub = motcua_replica_dup_case (p->hub.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_hub->applicant_name, ==, "Giàng A Tủa");
}

/* A store that fails answers 500 with a message that names neither its file nor its SQL: the
 * detail is the server's, in its log. */
static void
test_store_error_hidden (Province      *p,
                         gconstpointer  data)
{
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lý Thị Kín");
  g_autoptr(MotcuaHubPeer) peer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) forged = json_array_new ();
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  char *answer = NULL;

  sync_replica (p, &p->a, p->token_a, NULL);
  peer = _motcua_hub_authenticate (p->hub.replica, p->token_b, &error);
  g_assert_no_error (error);
  /* B writing A's case is refused, and a refusal is kept in a table that is now gone. */
  json_array_add_object_element (forged, forged_change (&p->b, peer->acked_seq + 1, 0, "cases",
                                                        c->id, "address",
                                                        json_node_init_string (json_node_alloc (),
                                                                               "x")));
  json_object_set_array_member (body, "changes", g_steal_pointer (&forged));
  root = json_node_init_object (json_node_alloc (), body);
  text = json_to_string (root, FALSE);
  g_assert_cmpint (sqlite3_exec (p->hub.replica->db, "DROP TABLE hub_rejected", NULL, NULL,
                                 NULL), ==, SQLITE_OK);

  g_assert_cmpuint (post (p, p->token_b, "/v1/push", text, &answer), ==, 500);
  g_test_message ("500: %s", answer);
  g_assert_nonnull (strstr (answer, "\"code\":\"internal\""));
  g_assert_null (strstr (answer, "hub_rejected"));
  g_assert_null (strstr (answer, "such table"));
  g_assert_null (strstr (answer, p->hub.replica->path));
  g_assert_null (strstr (answer, "/"));
  g_free (answer);
}

void
test_hub_conflicts_add_tests (void)
{
  HUB_ADD ("/hub/conflicts", test_conflicts);
  HUB_ADD ("/hub/stale-status", test_stale_status);
  HUB_ADD ("/hub/transfer", test_transfer);
  HUB_ADD ("/hub/leases", test_leases);
  HUB_ADD ("/hub/hostile", test_hostile);
  HUB_ADD ("/hub/nul-refused", test_nul_refused);
  HUB_ADD ("/hub/store-error-hidden", test_store_error_hidden);
  HUB_ADD ("/hub/timeline-rows-never-change", test_timeline_rows_never_change);
  HUB_ADD ("/hub/tokens", test_tokens);
}
