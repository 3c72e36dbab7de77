/* test-merge.c: merging changes between replicas converges
 *
 * Replicas exchange their change logs through a hub, an in-memory stand-in for the provincial
 * server: a push appends a replica's new changes to the hub in order, a pull applies the hub's
 * changes past the replica's cursor. Every replica that has seen the same changes must hold the
 * same state (the canonical export), whatever the order, duplication and batching.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-changes-private.h"
#include "motcua-test-utils.h"

typedef struct
{
  JsonArray *log;        /* every change pushed, in push order */
} Hub;

typedef struct
{
  MotcuaFixture f;
  guint64       pushed;  /* last own sequence number pushed */
  guint         cursor;  /* hub changes applied */
} Node;

static void
push (Hub  *hub,
      Node *node)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) changes = _motcua_replica_collect_changes (node->f.replica, node->pushed, 0,
                                                                  &error);

  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *o = json_array_get_object_element (changes, i);

      json_array_add_element (hub->log, json_node_copy (json_array_get_element (changes, i)));
      node->pushed = (guint64) json_object_get_int_member (o, "s");
    }
}

/* Applies the hub's changes from @from in batches of @batch. */
static void
pull_range (Hub   *hub,
            Node  *node,
            guint  from,
            guint  batch)
{
  guint len = json_array_get_length (hub->log);

  for (guint start = from; start < len; start += batch)
    {
      g_autoptr(JsonArray) slice = json_array_new ();
      g_autoptr(GError) error = NULL;

      for (guint i = start; i < MIN (len, start + batch); i++)
        json_array_add_element (slice, json_node_copy (json_array_get_element (hub->log, i)));
      _motcua_replica_apply_changes (node->f.replica, slice, NULL, &error);
      g_assert_no_error (error);
    }
  node->cursor = MAX (node->cursor, len);
}

static void
pull (Hub  *hub,
      Node *node)
{
  pull_range (hub, node, node->cursor, 50);
}

static MotcuaCase *
receive (Node       *node,
         const char *name,
         const char *cid)
{
  MotcuaReception r = { .procedure_code = "DD.BD", .applicant_name = name, .citizen_id = cid };
  g_autoptr(GError) error = NULL;
  MotcuaCase *c = motcua_replica_receive (node->f.replica, &r, &error);

  g_assert_no_error (error);

  return c;
}

static void
set_up_nodes (Hub   *hub,
              Node  *nodes,
              guint  n)
{
  hub->log = json_array_new ();

  /* The first node is the province with the catalogue; the others start empty and learn the
   * catalogue from it, through the hub. */
  motcua_fixture_set_up (&nodes[0].f, NULL);
  for (guint i = 1; i < n; i++)
    motcua_fixture_set_up_empty (&nodes[i].f, MOTCUA_LEVEL_PROVINCE, "T");
  push (hub, &nodes[0]);
  for (guint i = 1; i < n; i++)
    pull (hub, &nodes[i]);
}

static void
tear_down_nodes (Hub   *hub,
                 Node  *nodes,
                 guint  n)
{
  for (guint i = 0; i < n; i++)
    motcua_fixture_tear_down (&nodes[i].f, NULL);
  json_array_unref (hub->log);
}

/* Two replicas of province T through a hub: the first with the catalogue, the second that has
 * learnt it from the first. */
typedef struct
{
  Hub  hub;
  Node nodes[2];
} Pair;

static void
pair_set_up (Pair          *p,
             gconstpointer  data)
{
  set_up_nodes (&p->hub, p->nodes, 2);
}

static void
pair_tear_down (Pair          *p,
                gconstpointer  data)
{
  tear_down_nodes (&p->hub, p->nodes, 2);
}

/* Node @first pushes, then the other; then both pull: each has seen every change. */
static void
exchange (Pair  *p,
          guint  first)
{
  push (&p->hub, &p->nodes[first]);
  push (&p->hub, &p->nodes[1 - first]);
  pull (&p->hub, &p->nodes[0]);
  pull (&p->hub, &p->nodes[1]);
}

static void
assert_converged (Node  *nodes,
                  guint  n)
{
  g_autofree char *first = motcua_test_export (nodes[0].f.replica);

  for (guint i = 1; i < n; i++)
    {
      g_autofree char *other = motcua_test_export (nodes[i].f.replica);

      if (g_strcmp0 (first, other) != 0)
        g_error ("replica %u differs from replica 0", i);
    }
}

static void
test_catalogue_flows (Pair          *p,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaProcedure) procedure = NULL;

  procedure = motcua_replica_dup_procedure (p->nodes[1].f.replica, "DD.BD", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (procedure->name, ==, "Đăng ký biến động đất đai");
  assert_converged (p->nodes, 2);
}

/* Concurrent edits of different fields of one case both survive; of the same field, every
 * replica keeps the same one. */
static void
test_concurrent_edits (Pair          *p,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaCase) a = NULL;
  g_autoptr(MotcuaCase) b = NULL;

  c = receive (&p->nodes[0], "Lò Văn Pằng", "012345678901");
  push (&p->hub, &p->nodes[0]);
  pull (&p->hub, &p->nodes[1]);

  p->nodes[0].f.now_ms += 60000;
  p->nodes[1].f.now_ms += 120000;   /* B writes later */
  motcua_replica_edit_case (p->nodes[0].f.replica, c->id, "phone", "0912345678", NULL, &error);
  motcua_replica_edit_case (p->nodes[1].f.replica, c->id, "address", "Bản Nậm Manh", NULL, &error);
  motcua_replica_edit_case (p->nodes[0].f.replica, c->id, "applicant_name", "Lò Văn Pằng A", NULL,
                            &error);
  motcua_replica_edit_case (p->nodes[1].f.replica, c->id, "applicant_name", "Lò Văn Pằng B", NULL,
                            &error);
  g_assert_no_error (error);

  exchange (p, 1);

  a = motcua_replica_dup_case (p->nodes[0].f.replica, c->id, &error);
  b = motcua_replica_dup_case (p->nodes[1].f.replica, c->id, &error);
  g_assert_cmpstr (a->phone, ==, "0912345678");
  g_assert_cmpstr (a->address, ==, "Bản Nậm Manh");
  g_assert_cmpstr (a->applicant_name, ==, "Lò Văn Pằng B");   /* the later write */
  g_assert_cmpstr (b->applicant_name, ==, "Lò Văn Pằng B");
  assert_converged (p->nodes, 2);

  /* Both timelines hold every event. */
  {
    g_autoptr(GPtrArray) events = motcua_replica_list_case_events (p->nodes[0].f.replica, c->id,
                                                                   &error);

    g_assert_cmpuint (events->len, ==, 5);
  }
}

/* Two replicas that saw the same stamps and write the same field in the same millisecond make
 * the same HLC: the origin decides, the same way on both. */
static void
test_hlc_tie (Pair          *p,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaCase) a = NULL;
  g_autoptr(MotcuaCase) b = NULL;
  g_autoptr(GPtrArray) la = NULL;
  g_autoptr(GPtrArray) lb = NULL;
  MotcuaChange *ca, *cb;
  guint greater;

  c = receive (&p->nodes[0], "Giàng A Páo", "012345678904");
  push (&p->hub, &p->nodes[0]);
  pull (&p->hub, &p->nodes[1]);
  pull (&p->hub, &p->nodes[0]);
  p->nodes[1].f.now_ms = p->nodes[0].f.now_ms;

  motcua_replica_edit_case (p->nodes[0].f.replica, c->id, "address", "Bản A", NULL, &error);
  motcua_replica_edit_case (p->nodes[1].f.replica, c->id, "address", "Bản B", NULL, &error);
  g_assert_no_error (error);

  /* The stamps really are equal. */
  la = motcua_replica_list_changes (p->nodes[0].f.replica, 0, 0, &error);
  lb = motcua_replica_list_changes (p->nodes[1].f.replica, 0, 0, &error);
  ca = g_ptr_array_index (la, la->len - 2);
  cb = g_ptr_array_index (lb, lb->len - 2);
  g_assert_cmpstr (ca->column, ==, "address");
  g_assert_cmpstr (cb->column, ==, "address");
  g_assert_cmpuint (ca->hlc, ==, cb->hlc);

  /* The winner's change goes first, so "the last one applied wins" would get it wrong. */
  greater = strcmp (motcua_replica_get_id (p->nodes[0].f.replica),
                    motcua_replica_get_id (p->nodes[1].f.replica)) > 0 ? 0 : 1;
  exchange (p, greater);

  a = motcua_replica_dup_case (p->nodes[0].f.replica, c->id, &error);
  b = motcua_replica_dup_case (p->nodes[1].f.replica, c->id, &error);
  g_assert_cmpstr (a->address, ==, b->address);
  /* The greater origin UUID wins. */
  g_assert_cmpstr (a->address, ==, greater == 0 ? "Bản A" : "Bản B");
  assert_converged (p->nodes, 2);
}

/* A stale concurrent status edit never reopens a resolved case, even when it is later. */
static void
test_status_lattice (Pair          *p,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaCase) a = NULL;
  g_autoptr(MotcuaCase) b = NULL;

  c = receive (&p->nodes[0], "Hà Thị Mai", "012345678902");
  motcua_replica_advance_case (p->nodes[0].f.replica, c->id, MOTCUA_STATUS_IN_PROCESSING, NULL,
                               &error);
  push (&p->hub, &p->nodes[0]);
  pull (&p->hub, &p->nodes[1]);

  /* A approves; B, not knowing, requests a supplement an hour later. */
  motcua_replica_advance_case (p->nodes[0].f.replica, c->id, MOTCUA_STATUS_APPROVED, NULL, &error);
  p->nodes[1].f.now_ms += 3600 * 1000;
  motcua_replica_advance_case (p->nodes[1].f.replica, c->id, MOTCUA_STATUS_SUPPLEMENT_REQUESTED,
                               NULL, &error);
  g_assert_no_error (error);

  exchange (p, 1);

  a = motcua_replica_dup_case (p->nodes[0].f.replica, c->id, &error);
  b = motcua_replica_dup_case (p->nodes[1].f.replica, c->id, &error);
  g_assert_cmpint (a->status, ==, MOTCUA_STATUS_APPROVED);
  g_assert_cmpint (b->status, ==, MOTCUA_STATUS_APPROVED);
  assert_converged (p->nodes, 2);
}

/* An empty text travels as an empty text, not as what follows it in the log. */
static void
test_empty_text (Pair          *p,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) b = NULL;
  /* The empty result is followed, in the same change record, by returned_at. */
  MotcuaCase old = {
    .receipt_no = (char *) "OLD-1", .procedure_code = (char *) "HT.KS",
    .receiving_office = (char *) "T", .applicant_name = (char *) "Sùng A Dế",
    .citizen_id = (char *) "012345678905", .channel = MOTCUA_CHANNEL_COUNTER,
    .received_at = (char *) "2025-03-03T08:00:00+07:00", .status = MOTCUA_STATUS_RETURNED,
    .resolved_at = (char *) "2025-03-03T09:00:00+07:00", .result = (char *) "",
    .returned_at = (char *) "2025-03-03T10:00:00+07:00",
  };

  motcua_replica_import_case (p->nodes[0].f.replica, &old, &error);
  g_assert_no_error (error);
  push (&p->hub, &p->nodes[0]);
  pull (&p->hub, &p->nodes[1]);

  b = motcua_replica_dup_case (p->nodes[1].f.replica, "OLD-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->result, ==, "");
  g_assert_cmpstr (b->returned_at, ==, "2025-03-03T10:00:00+07:00");
  {
    g_autoptr(GPtrArray) events = motcua_replica_list_case_events (p->nodes[1].f.replica, "OLD-1",
                                                                   &error);
    const MotcuaCaseEvent *imported;

    g_assert_no_error (error);
    g_assert_cmpuint (events->len, ==, 1);
    imported = events->pdata[0];
    g_assert_cmpstr (imported->action, ==, "imported");
    g_assert_cmpstr (imported->receipt_no, ==, "OLD-1");
    g_assert_cmpstr (imported->field, ==, "status");
    g_assert_cmpstr (imported->new_value, ==, "returned");
  }
  assert_converged (p->nodes, 2);
}

/* The same changes applied again, and the whole hub replayed from the start in other batch
 * sizes, change nothing. */
static void
test_idempotent (Pair          *p,
                 gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(MotcuaCase) c = NULL;

  c = receive (&p->nodes[0], "Vàng A Sình", "012345678903");
  push (&p->hub, &p->nodes[0]);
  pull (&p->hub, &p->nodes[1]);
  before = motcua_test_export (p->nodes[1].f.replica);

  pull_range (&p->hub, &p->nodes[1], 0, 1);
  pull_range (&p->hub, &p->nodes[1], 0, 7);
  pull_range (&p->hub, &p->nodes[1], 3, 1000);
  after = motcua_test_export (p->nodes[1].f.replica);
  g_assert_cmpstr (before, ==, after);
}

static void
test_bad_changes (void)
{
  static const char *bad[] = {
    "[1]",
    "[{\"o\":\"x\",\"s\":1,\"h\":1,\"t\":\"cases\",\"r\":\"x\",\"c\":\"phone\",\"v\":null,\"p\":0}]",
    "[{\"o\":\"01941f29-7c7b-7000-8000-000000000000\",\"s\":0,\"h\":1,\"t\":\"cases\","
    "\"r\":\"01941f29-7c7b-7000-8000-000000000001\",\"c\":\"phone\",\"v\":null,\"p\":0}]",
    "[{\"o\":\"01941f29-7c7b-7000-8000-000000000000\",\"s\":1,\"h\":1,\"t\":\"secrets\","
    "\"r\":\"01941f29-7c7b-7000-8000-000000000001\",\"c\":\"phone\",\"v\":null,\"p\":0}]",
    "[{\"o\":\"01941f29-7c7b-7000-8000-000000000000\",\"s\":1,\"h\":1,\"t\":\"cases\","
    "\"r\":\"01941f29-7c7b-7000-8000-000000000001\",\"c\":\"salary\",\"v\":null,\"p\":0}]",
    "[{\"o\":\"01941f29-7c7b-7000-8000-000000000000\",\"s\":1,\"h\":1,\"t\":\"cases\","
    "\"r\":\"01941f29-7c7b-7000-8000-000000000001\",\"c\":\"rating\",\"v\":\"five\",\"p\":0}]",
    "[{\"o\":\"01941f29-7c7b-7000-8000-000000000000\",\"s\":1,\"h\":1,\"t\":\"cases\","
    "\"r\":\"01941f29-7c7b-7000-8000-000000000001\",\"c\":\"status\",\"v\":\"open\",\"p\":0}]",
    "[{\"o\":\"01941f29-7c7b-7000-8000-000000000000\",\"s\":1,\"h\":1,\"t\":\"cases\","
    "\"r\":\"01941f29-7c7b-7000-8000-000000000001\",\"c\":\"phone\",\"v\":null,\"p\":0,\"x\":1}]",
    /* A snapshot row without its register map (found by fuzz-changes: it was a critical). */
    "[{\"t\":\"cases\",\"r\":\"01941f29-7c7b-7000-8000-000000000001\",\"v\":{\"rating\":4},"
    "\"k\":{},\"k\":[]}]",
  };
  MotcuaFixture f = { 0 };
  g_autofree char *before = NULL;

  motcua_fixture_set_up (&f, NULL);
  before = motcua_test_export (f.replica);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      json_parser_load_from_data (parser, bad[i], -1, &error);
      g_assert_no_error (error);
      g_assert_false (_motcua_replica_apply_changes (f.replica,
                                                     json_node_get_array (json_parser_get_root (parser)),
                                                     NULL, &error));
      g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "change 0: "));
      after = motcua_test_export (f.replica);
      g_assert_cmpstr (before, ==, after);
    }

  motcua_fixture_tear_down (&f, NULL);
}

/* Seeded random work on four replicas with random push and pull schedules, replays from old
 * cursors and random batch sizes; after everyone pushes and pulls everything, all agree. */
static void
run_random (guint32 seed)
{
  enum { N = 4 };
  Hub hub;
  Node nodes[N] = { { { 0 } } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func (g_free);

  set_up_nodes (&hub, nodes, N);

  for (guint step = 0; step < 60; step++)
    {
      Node *node = &nodes[g_rand_int_range (rand, 0, N)];
      g_autoptr(GError) error = NULL;
      guint action = (guint) g_rand_int_range (rand, 0, 10);

      node->f.now_ms += g_rand_int_range (rand, 0, 3) * 1000;   /* clocks tie sometimes */

      if (action < 3 || known->len == 0)
        {
          g_autofree char *cid = g_strdup_printf ("0120000%05u", step);
          g_autoptr(MotcuaCase) c = receive (node, "Nguyễn Văn An", cid);

          g_ptr_array_add (known, g_strdup (c->id));
        }
      else if (action < 5)
        {
          static const MotcuaStatus statuses[] = {
            MOTCUA_STATUS_IN_PROCESSING, MOTCUA_STATUS_SUPPLEMENT_REQUESTED,
            MOTCUA_STATUS_RESUBMITTED, MOTCUA_STATUS_APPROVED, MOTCUA_STATUS_RETURNED,
            MOTCUA_STATUS_WITHDRAWN,
          };
          const char *id = g_ptr_array_index (known, g_rand_int_range (rand, 0, known->len));
          MotcuaStatus to = statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))];

          /* Only cases this replica has seen; illegal steps are refused and change nothing. */
          motcua_replica_advance_case (node->f.replica, id, to, NULL, &error);
        }
      else if (action < 7)
        {
          const char *id = g_ptr_array_index (known, g_rand_int_range (rand, 0, known->len));
          static const char *names[] = { "Lò Văn Pằng", "Hà Thị Mai", "Vàng A Sình" };
          static const char *fields[] = { "applicant_name", "address" };

          motcua_replica_edit_case (node->f.replica, id,
                                    fields[g_rand_int_range (rand, 0, 2)],
                                    names[g_rand_int_range (rand, 0, 3)], NULL, &error);
        }
      else if (action < 8)
        {
          const char *id = g_ptr_array_index (known, g_rand_int_range (rand, 0, known->len));
          static const char *offices[] = { "T.D", "T.D.A", "T.D.B" };

          motcua_replica_transfer_case (node->f.replica, id,
                                        offices[g_rand_int_range (rand, 0, 3)], NULL, &error);
        }
      else if (action < 9)
        push (&hub, node);
      else if (g_rand_boolean (rand))
        pull (&hub, node);
      else
        pull_range (&hub, node, (guint) g_rand_int_range (rand, 0, node->cursor + 1),
                    (guint) g_rand_int_range (rand, 1, 40));
    }

  for (guint i = 0; i < N; i++)
    push (&hub, &nodes[i]);
  for (guint i = 0; i < N; i++)
    pull (&hub, &nodes[i]);

  assert_converged (nodes, N);
  tear_down_nodes (&hub, nodes, N);
}

static void
test_random (void)
{
  guint n_seeds = g_test_slow () ? 2000 : 40;

  for (guint32 seed = 1; seed <= n_seeds; seed++)
    {
      g_test_message ("seed %u", seed);
      run_random (seed);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD_PAIR(path, func) \
  g_test_add ("/merge/" path, Pair, NULL, pair_set_up, func, pair_tear_down)
  ADD_PAIR ("catalogue-flows", test_catalogue_flows);
  ADD_PAIR ("concurrent-edits", test_concurrent_edits);
  ADD_PAIR ("hlc-tie", test_hlc_tie);
  ADD_PAIR ("status-lattice", test_status_lattice);
  ADD_PAIR ("idempotent", test_idempotent);
  ADD_PAIR ("empty-text", test_empty_text);
#undef ADD_PAIR
  g_test_add_func ("/merge/bad-changes", test_bad_changes);
  g_test_add_func ("/merge/random-convergence", test_random);

  return g_test_run ();
}
