/* test-security-scope.c: tokens, and what a commune may read and write of another's cases
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "motcua-test-server.h"
#include "motcua-test-utils.h"
#include "test-security.h"

/* Tokens */

static void
test_tokens (Fixture       *f,
             gconstpointer  data)
{
  static const struct { const char *method, *endpoint, *body; } endpoints[] = {
    { "GET", "status", NULL },
    { "POST", "pull", "{\"cursor\":null,\"limit\":100}" },
    { "POST", "push", "{\"changes\":[]}" },
    { "POST", "lease", "{\"office\":\"LC.NN.NM\",\"year\":2026,\"count\":10}" },
    { "POST", "enroll", "{\"replica\":\"01a20000-0000-7000-8000-000000000001\"}" },
  };
  g_autofree char *wrong_secret = g_strdup (f->token[A]);
  g_autofree char *revoked = enroll_token (f, "LC.NN.NM");
  g_autofree char *revoked_id = g_strndup (revoked, strcspn (revoked, "."));
  g_autofree char *status_path = v1 ("status");
  char *last = wrong_secret + strlen (wrong_secret) - 1;

  *last = *last == '0' ? '1' : '0';

  /* Before it is revoked, the extra token works. */
  {
    g_autoptr(Reply) reply = request (f, "GET", status_path, revoked, NULL);
    g_autoptr(JsonNode) root = assert_ok (reply);
  }
  g_free (admin (f, "replicas", "revoke", revoked_id, NULL));

  for (guint e = 0; e < G_N_ELEMENTS (endpoints); e++)
    {
      g_autofree char *path = v1 (endpoints[e].endpoint);
      g_autoptr(GBytes) body = endpoints[e].body != NULL
                               ? g_bytes_new_static (endpoints[e].body,
                                                     strlen (endpoints[e].body))
                               : NULL;
      static const struct { const char *authorization, *code; } cases[] = {
        { NULL, "no-token" },
        { "Basic YTpi", "no-token" },
        { "Bearer ", "no-token" },
        { "Bearer nonsense", "bad-token" },
        { "Bearer 0123456789abcdef.0123456789abcdef0123456789abcdef", "bad-token" },
      };

      for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
        {
          g_autoptr(Reply) reply = request_full (f, endpoints[e].method, path,
                                                 cases[c].authorization, NULL, body);
          g_autofree char *message = assert_error (reply, 401, cases[c].code);

          assert_nothing_of_b (f, reply->body, reply->length);
        }

      /* A's token id with another secret, and a revoked token: unknown alike. */
      {
        g_autoptr(Reply) wrong = request (f, endpoints[e].method, path, wrong_secret,
                                          endpoints[e].body);
        g_autoptr(Reply) gone = request (f, endpoints[e].method, path, revoked,
                                         endpoints[e].body);
        g_autofree char *m1 = assert_error (wrong, 401, "bad-token");
        g_autofree char *m2 = assert_error (gone, 401, "bad-token");

        assert_nothing_of_b (f, wrong->body, wrong->length);
        assert_nothing_of_b (f, gone->body, gone->length);
      }
    }

  /* A replica whose token is revoked is told so, and changes nothing. */
  {
    g_autoptr(GPtrArray) argv = argv_new (g_getenv ("MOTCUA_CLI"), "--db", f->db[A]);
    g_autofree char *a_token_id = g_strndup (f->token[A], strcspn (f->token[A], "."));
    g_autofree char *before = cli (f, A, "export", "--canonical", NULL);
    g_autofree char *after = NULL;
    g_autofree char *err = NULL;

    g_free (admin (f, "replicas", "revoke", a_token_id, NULL));
    g_ptr_array_add (argv, g_strdup ("sync"));
    g_assert_cmpint (run_argv (f, argv, NULL, &err), !=, 0);
    g_assert_nonnull (strstr (err, "revoked"));
    after = cli (f, A, "export", "--canonical", NULL);
    g_assert_cmpstr (before, ==, after);
  }

  assert_still_serving (f);
}

/* Scope: what A reads */

/* Pulls with @token from @cursor until up to date, @limit at a time; every answer's bytes are
 * appended to @seen. */
static void
pull_all (Fixture    *f,
          const char *token,
          const char *cursor,
          guint       limit,
          GString    *seen)
{
  g_autofree char *path = v1 ("pull");
  g_autofree char *next = g_strdup (cursor);

  for (guint batch = 0;; batch++)
    {
      g_autofree char *body = NULL;
      g_autoptr(Reply) reply = NULL;
      g_autoptr(JsonNode) root = NULL;
      JsonObject *o;

      g_assert_cmpuint (batch, <, 10000);
      if (next != NULL)
        body = g_strdup_printf ("{\"cursor\":\"%s\",\"limit\":%u}", next, limit);
      else
        body = g_strdup_printf ("{\"cursor\":null,\"limit\":%u}", limit);
      reply = request (f, "POST", path, token, body);
      root = assert_ok (reply);
      g_string_append_len (seen, reply->body, (gssize) reply->length);
      o = json_node_get_object (root);
      g_free (next);
      next = g_strdup (json_object_get_string_member (o, "cursor"));
      if (!json_object_get_boolean_member (o, "more"))
        {
          g_assert_nonnull (json_object_get_string_member_with_default (o, "digest", NULL));
          break;
        }
    }
}

static void
test_pull_scope (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GString) district = g_string_new (NULL);
  static const guint limits[] = { 1, 7, 2000 };

  /* The district above both communes sees B's cases: the checks below would find them. */
  pull_all (f, f->token[D], NULL, 2000, district);
  assert_all_of_b (f, district->str, district->len);
  g_assert_nonnull (strstr (district->str, f->a_id));

  /* A, from nothing (the state, table by table, then the log), in batches of every size; and
   * the whole log from its start. */
  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    pull_all (f, f->token[A], NULL, limits[i], seen);
  pull_all (f, f->token[A], "0", 1, seen);
  g_assert_nonnull (strstr (seen->str, f->a_id));

  /* Cursors A was never given: into the cases of the state, past its end, from far back. */
  for (guint table = 0; table < 8; table++)
    {
      g_autofree char *path = v1 ("pull");
      g_autofree char *from_start = g_strdup_printf ("{\"cursor\":\"s0.%u.0\"}", table);
      g_autofree char *from_far = g_strdup_printf ("{\"cursor\":\"s999999.%u.0\",\"limit\":5}",
                                                   table);
      g_autoptr(Reply) r1 = request (f, "POST", path, f->token[A], from_start);
      g_autoptr(Reply) r2 = request (f, "POST", path, f->token[A], from_far);

      g_assert_true (r1->status == 200 || r1->status == 400);
      g_assert_true (r2->status == 200 || r2->status == 400);
      g_string_append_len (seen, r1->body, (gssize) r1->length);
      g_string_append_len (seen, r2->body, (gssize) r2->length);
    }

  /* Its status, and a lease of its own numbers. */
  {
    g_autofree char *status_path = v1 ("status");
    g_autofree char *lease_path = v1 ("lease");
    g_autoptr(Reply) status = request (f, "GET", status_path, f->token[A], NULL);
    g_autoptr(Reply) lease = request (f, "POST", lease_path, f->token[A],
                                      "{\"office\":\"LC.NN.NM\",\"year\":2026,\"count\":10}");
    g_autoptr(JsonNode) status_root = assert_ok (status);
    g_autoptr(JsonNode) lease_root = assert_ok (lease);

    g_string_append_len (seen, status->body, (gssize) status->length);
    g_string_append_len (seen, lease->body, (gssize) lease->length);
  }

  /* Receipt numbers of B's office are not A's to lease. */
  {
    g_autofree char *path = v1 ("lease");
    g_autoptr(Reply) reply = request (f, "POST", path, f->token[A],
                                      "{\"office\":\"LC.NN.NH\",\"year\":2026,\"count\":10}");
    g_autofree char *message = assert_error (reply, 403, "out-of-scope");

    g_string_append_len (seen, reply->body, (gssize) reply->length);
  }

  /* And A's replica, synced from nothing, holds none of it either. */
  {
    g_autofree char *fresh = g_build_filename (f->dir, "fresh.db", NULL);
    g_autofree char *token = enroll_token (f, "LC.NN.NM");
    g_autofree char *exported = NULL;

    g_free (f->db[A]);
    f->db[A] = g_steal_pointer (&fresh);
    g_free (cli (f, A, "enroll", "--server", f->url, "--token", token, NULL));
    g_free (cli (f, A, "sync", NULL));
    exported = cli (f, A, "export", "--canonical", NULL);
    g_assert_nonnull (strstr (exported, f->a_id));
    g_string_append (seen, exported);
  }

  assert_nothing_of_b (f, seen->str, seen->len);
  assert_still_serving (f);
}

/* Scope: what A writes */

/* The state the district holds once synced: everything of both communes. */
char *
district_state (Fixture *f)
{
  g_free (cli (f, D, "sync", NULL));

  return cli (f, D, "export", "--canonical", NULL);
}

static void
test_push_scope (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *token = enroll_token (f, "LC.NN.NM");
  g_autofree char *b_office = uuid_of ("office", "LC.NN.NH");
  g_autofree char *a_office = uuid_of ("office", "LC.NN.NM");
  g_autofree char *before = district_state (f);
  g_autofree char *after = NULL;
  g_autoptr(JsonArray) forged = json_array_new ();
  const char *desk = "01a20000-0000-7000-8000-00000000a002";
  const char *forged_case = "01a20000-0000-7000-8000-00000000bad1";
  const char *b_case = f->b_ids->pdata[0];

  /* A second desk of A's office writes B's case, makes a case of B's, and adds to the timeline
   * of B's case. */
  add_text_change (forged, desk, "cases", b_case, "applicant_name", "Kẻ Gian");
  add_text_change (forged, desk, "cases", b_case, "handling_office_id", a_office);
  add_text_change (forged, desk, "cases", forged_case, "receipt_no", "LC.NN.NH-2026-999999");
  add_text_change (forged, desk, "cases", forged_case, "receiving_office_id", b_office);
  add_text_change (forged, desk, "cases", forged_case, "handling_office_id", b_office);
  add_text_change (forged, desk, "cases", forged_case, "applicant_name", "Kẻ Gian Mạo");
  {
    JsonObject *event = change_new (desk, (gint64) json_array_get_length (forged) + 1,
                                    "case_events", "01a20000-0000-7000-8000-00000000bad2", NULL);
    JsonObject *row = json_object_new ();

    json_object_set_string_member (row, "case_id", b_case);
    json_object_set_string_member (row, "at", "2026-03-03T09:00:00+07:00");
    json_object_set_string_member (row, "action", "note");
    json_object_set_string_member (row, "note", "Kẻ Gian đã ở đây");
    json_object_set_object_member (event, "v", row);
    json_array_add_object_element (forged, event);
  }
  push_all_refused (f, token, forged, "is not in the jurisdiction of LC.NN.NM");

  /* Refused change by change: nothing of it reached anyone. */
  after = district_state (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_null (strstr (after, "Kẻ Gian"));

  /* A's own replica, through motcua-cli: a case for B's office, imported. The server refuses
   * each of its changes; the replica keeps them, marked rejected with the reason, and the
   * case with them, where its officer sees what was refused. */
  {
    g_autofree char *file = g_build_filename (f->dir, "for-b.json", NULL);
    g_autofree char *summary = NULL;
    g_autofree char *status = NULL;
    g_autofree char *shown = NULL;
    g_autofree char *changes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) root = NULL;
    JsonArray *rejected;
    guint n;

    g_file_set_contents (file, "{\"format\":\"motcua-cases\",\"version\":1,\"cases\":["
                         "{\"receipt_no\":\"OOS-0001\",\"procedure\":\"" PROCEDURE "\","
                         "\"receiving_office\":\"LC.NN.NH\",\"applicant\":{\"name\":"
                         "\"Lầu Thị Lạc Chỗ\",\"citizen_id\":\"011100000001\"},"
                         "\"channel\":\"online\",\"received_at\":\"2026-03-03T09:00:00+07:00\","
                         "\"status\":\"received\"}]}", -1, &error);
    g_assert_no_error (error);
    g_free (cli (f, A, "cases", "import", file, NULL));

    summary = cli (f, A, "--json", "sync", NULL);
    root = motcua_test_parse_json (summary, -1);
    n = (guint) json_object_get_int_member (json_node_get_object (root), "rejected");
    g_assert_cmpuint (n, >, 1);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "verified"));
    g_clear_pointer (&root, json_node_unref);

    status = cli (f, A, "--json", "sync", "status", NULL);
    root = motcua_test_parse_json (status, -1);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "pending"), ==, 0);
    rejected = json_object_get_array_member (json_node_get_object (root), "rejected");
    g_assert_cmpuint (json_array_get_length (rejected), ==, n);
    for (guint i = 0; i < n; i++)
      {
        JsonObject *r = json_array_get_object_element (rejected, i);

        g_assert_nonnull (strstr (json_object_get_string_member (r, "reason"),
                                  "is not in the jurisdiction of LC.NN.NM"));
        /* What each was: the case's fields, under its receipt number, and its timeline. */
        if (g_strcmp0 (json_object_get_string_member_with_default (r, "table", NULL),
                       "cases") == 0)
          g_assert_cmpstr (json_object_get_string_member_with_default (r, "receipt_no", NULL),
                           ==, "OOS-0001");
        else
          g_assert_cmpstr (json_object_get_string_member_with_default (r, "table", NULL), ==,
                           "case_events");
      }

    shown = cli (f, A, "cases", "show", "OOS-0001", NULL);
    g_assert_nonnull (strstr (shown, "Lầu Thị Lạc Chỗ"));
    changes = cli (f, A, "changes", NULL);
    g_assert_nonnull (strstr (changes, "OOS-0001"));

    /* Still so after another sync; and neither B nor the district has it. */
    g_free (cli (f, A, "sync", NULL));
    g_free (cli (f, A, "cases", "show", "OOS-0001", NULL));
    for (guint r = B; r <= D; r++)
      {
        g_autoptr(GPtrArray) argv = argv_new (g_getenv ("MOTCUA_CLI"), "--db", f->db[r]);

        g_free (cli (f, r, "sync", NULL));
        g_ptr_array_add (argv, g_strdup ("cases"));
        g_ptr_array_add (argv, g_strdup ("show"));
        g_ptr_array_add (argv, g_strdup ("OOS-0001"));
        g_assert_cmpint (run_argv (f, argv, NULL, NULL), ==, 2);
      }
  }

  server_stop (f);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MotcuaReplica) store = motcua_replica_open (f->store, &error);
    g_autofree char *exported = NULL;

    g_assert_no_error (error);
    exported = motcua_test_export (store);
    g_assert_null (strstr (exported, "Kẻ Gian"));
    g_assert_null (strstr (exported, "OOS-0001"));
    g_assert_null (strstr (exported, "Lầu Thị Lạc Chỗ"));
  }
}

void
test_security_scope_add_tests (void)
{
  SECURITY_ADD ("tokens", test_tokens);
  SECURITY_ADD ("pull-scope", test_pull_scope);
  SECURITY_ADD ("push-scope", test_push_scope);
}
