/* test-workflow.c: the case workflow and its lattice
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <motcua/motcua.h>

/* Every legal step strictly raises (generation, rank): the status merge relies on it. */
static void
test_every_step_raises (void)
{
  for (guint from = 0; from < MOTCUA_N_STATUSES; from++)
    for (guint gen = 0; gen < 3; gen++)
      {
        MotcuaStatusKey key = { gen, motcua_status_rank (from), from };
        MotcuaStatus next[MOTCUA_N_STATUSES];
        guint n = motcua_status_next (from, next);

        for (guint i = 0; i < n; i++)
          {
            MotcuaStatusKey after;

            g_assert_true (motcua_status_step (&key, next[i], &after));
            g_assert_cmpint (motcua_status_key_compare (&after, &key), >, 0);
            g_assert_cmpuint (after.generation, <=, key.generation + 1);
          }
      }
}

/* Walk every legal path from "received" (bounded by length) and check that the key strictly
 * increases along it. */
static void
walk (MotcuaStatusKey key,
      guint           depth,
      guint          *n_paths)
{
  MotcuaStatus next[MOTCUA_N_STATUSES];
  guint n = motcua_status_next (key.status, next);

  if (n == 0 || depth == 0)
    {
      (*n_paths)++;
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      MotcuaStatusKey after;

      g_assert_true (motcua_status_step (&key, next[i], &after));
      g_assert_cmpint (motcua_status_key_compare (&after, &key), >, 0);
      walk (after, depth - 1, n_paths);
    }
}

static void
test_every_path_increases (void)
{
  MotcuaStatusKey start = { 0, motcua_status_rank (MOTCUA_STATUS_RECEIVED),
                            MOTCUA_STATUS_RECEIVED };
  guint n_paths = 0;

  walk (start, 10, &n_paths);
  /* Paths with supplements and reopens branch: there are many; make sure we walked them. */
  g_assert_cmpuint (n_paths, >, 100);
}

static void
test_illegal_steps (void)
{
  MotcuaStatusKey key = { 0, motcua_status_rank (MOTCUA_STATUS_RECEIVED),
                          MOTCUA_STATUS_RECEIVED };
  MotcuaStatusKey out;

  g_assert_false (motcua_status_can_step (MOTCUA_STATUS_RECEIVED, MOTCUA_STATUS_RETURNED));
  g_assert_false (motcua_status_can_step (MOTCUA_STATUS_RECEIVED, MOTCUA_STATUS_APPROVED));
  g_assert_false (motcua_status_can_step (MOTCUA_STATUS_RETURNED, MOTCUA_STATUS_IN_PROCESSING));
  g_assert_false (motcua_status_can_step (MOTCUA_STATUS_WITHDRAWN, MOTCUA_STATUS_IN_PROCESSING));
  g_assert_false (motcua_status_can_step (MOTCUA_STATUS_CANCELLED, MOTCUA_STATUS_RECEIVED));
  g_assert_false (motcua_status_can_step (MOTCUA_STATUS_APPROVED, MOTCUA_STATUS_REFUSED));
  g_assert_false (motcua_status_step (&key, MOTCUA_STATUS_RETURNED, &out));
}

static void
test_supplement_raises_generation (void)
{
  MotcuaStatusKey k = { 0, motcua_status_rank (MOTCUA_STATUS_RECEIVED), MOTCUA_STATUS_RECEIVED };
  MotcuaStatus path[] = {
    MOTCUA_STATUS_IN_PROCESSING, MOTCUA_STATUS_SUPPLEMENT_REQUESTED, MOTCUA_STATUS_RESUBMITTED,
    MOTCUA_STATUS_IN_PROCESSING, MOTCUA_STATUS_APPROVED, MOTCUA_STATUS_IN_PROCESSING,
    MOTCUA_STATUS_REFUSED, MOTCUA_STATUS_RETURNED,
  };
  guint generations[] = { 0, 0, 1, 1, 1, 2, 2, 2 };

  for (guint i = 0; i < G_N_ELEMENTS (path); i++)
    {
      MotcuaStatusKey next;

      g_assert_true (motcua_status_step (&k, path[i], &next));
      g_assert_cmpuint (next.generation, ==, generations[i]);
      k = next;
    }
}

/* A stale concurrent edit never outranks a resolution of the same generation. */
static void
test_resolution_outranks_stale (void)
{
  MotcuaStatusKey approved = { 0, motcua_status_rank (MOTCUA_STATUS_APPROVED),
                               MOTCUA_STATUS_APPROVED };
  MotcuaStatusKey returned = { 0, motcua_status_rank (MOTCUA_STATUS_RETURNED),
                               MOTCUA_STATUS_RETURNED };

  for (guint s = 0; s < MOTCUA_N_STATUSES; s++)
    {
      MotcuaStatusKey stale = { 0, motcua_status_rank (s), s };

      if (motcua_status_is_open (s))
        {
          g_assert_cmpint (motcua_status_key_compare (&approved, &stale), >, 0);
          g_assert_cmpint (motcua_status_key_compare (&returned, &stale), >, 0);
        }
    }
}

static void
test_encode_decode (void)
{
  MotcuaStatusKey key = { 3, motcua_status_rank (MOTCUA_STATUS_IN_PROCESSING),
                          MOTCUA_STATUS_IN_PROCESSING };
  g_autofree char *text = motcua_status_key_encode (&key);
  MotcuaStatusKey back;

  g_assert_cmpstr (text, ==, "3:in_processing");
  g_assert_true (motcua_status_key_decode (text, &back));
  g_assert_cmpint (motcua_status_key_compare (&key, &back), ==, 0);
  g_assert_cmpint (back.status, ==, MOTCUA_STATUS_IN_PROCESSING);

  g_assert_false (motcua_status_key_decode ("in_processing", &back));
  g_assert_false (motcua_status_key_decode ("1:open", &back));
  g_assert_false (motcua_status_key_decode ("x:received", &back));
  g_assert_false (motcua_status_key_decode ("99999999:received", &back));
}

static void
test_names (void)
{
  for (guint s = 0; s < MOTCUA_N_STATUSES; s++)
    {
      MotcuaStatus back;

      g_assert_true (motcua_status_from_string (motcua_status_to_string (s), &back));
      g_assert_cmpint (back, ==, s);
    }
  for (guint c = 0; c < MOTCUA_N_CHANNELS; c++)
    {
      MotcuaChannel back;

      g_assert_true (motcua_channel_from_string (motcua_channel_to_string (c), &back));
      g_assert_cmpint (back, ==, c);
    }
  g_assert_false (motcua_status_from_string ("Received", NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workflow/lattice/every-step-raises", test_every_step_raises);
  g_test_add_func ("/workflow/lattice/every-path-increases", test_every_path_increases);
  g_test_add_func ("/workflow/lattice/supplement-raises-generation",
                   test_supplement_raises_generation);
  g_test_add_func ("/workflow/lattice/resolution-outranks-stale", test_resolution_outranks_stale);
  g_test_add_func ("/workflow/illegal-steps", test_illegal_steps);
  g_test_add_func ("/workflow/encode-decode", test_encode_decode);
  g_test_add_func ("/workflow/names", test_names);

  return g_test_run ();
}
