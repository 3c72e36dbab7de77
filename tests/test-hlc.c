/* test-hlc.c: the hybrid logical clock and UUIDs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <motcua/motcua.h>
#include <string.h>

static void
test_hlc_layout (void)
{
  MotcuaHlc hlc = motcua_hlc_make (1735689600123, 7);

  g_assert_cmpint (motcua_hlc_get_ms (hlc), ==, 1735689600123);
  g_assert_cmpuint (motcua_hlc_get_counter (hlc), ==, 7);
  /* Milliseconds dominate the counter in the integer order. */
  g_assert_cmpuint (motcua_hlc_make (1000, 0xffff), <, motcua_hlc_make (1001, 0));
}

static void
test_hlc_monotonic (void)
{
  MotcuaHlcClock clock = { 0 };
  MotcuaHlc a, b, c, d;

  a = motcua_hlc_clock_now (&clock, 5000);
  g_assert_cmpint (motcua_hlc_get_ms (a), ==, 5000);
  g_assert_cmpuint (motcua_hlc_get_counter (a), ==, 0);

  /* Same millisecond: the counter moves. */
  b = motcua_hlc_clock_now (&clock, 5000);
  g_assert_cmpuint (b, >, a);
  g_assert_cmpuint (motcua_hlc_get_counter (b), ==, 1);

  /* The wall clock steps back: stamps still grow. */
  c = motcua_hlc_clock_now (&clock, 4000);
  g_assert_cmpuint (c, >, b);
  g_assert_cmpint (motcua_hlc_get_ms (c), ==, 5000);

  /* The wall clock moves on: the counter resets. */
  d = motcua_hlc_clock_now (&clock, 6000);
  g_assert_cmpuint (d, ==, motcua_hlc_make (6000, 0));
}

static void
test_hlc_counter_carry (void)
{
  MotcuaHlcClock clock = { motcua_hlc_make (5000, 0xffff) };
  MotcuaHlc next = motcua_hlc_clock_now (&clock, 5000);

  /* A full counter carries into the milliseconds rather than wrapping. */
  g_assert_cmpuint (next, ==, motcua_hlc_make (5001, 0));
}

static void
test_hlc_observe (void)
{
  MotcuaHlcClock clock = { 0 };
  MotcuaHlc remote = motcua_hlc_make (90000, 3);
  MotcuaHlc next;

  motcua_hlc_clock_now (&clock, 1000);
  motcua_hlc_clock_observe (&clock, remote, 1000);
  next = motcua_hlc_clock_now (&clock, 1000);
  /* After seeing a stamp, every new stamp is greater than it. */
  g_assert_cmpuint (next, >, remote);

  /* An older stamp does not move the clock back. */
  motcua_hlc_clock_observe (&clock, motcua_hlc_make (10, 0), 1000);
  g_assert_cmpuint (motcua_hlc_clock_now (&clock, 1000), >, next);
}

static void
test_hlc_to_string (void)
{
  g_autofree char *text = motcua_hlc_to_string (motcua_hlc_make (1735689600123, 2));

  g_assert_cmpstr (text, ==, "2025-01-01T00:00:00.123Z/2");
}

static void
test_uuid_v7 (void)
{
  MotcuaUuid a, b, parsed;
  char text[37];

  motcua_uuid_v7_at (&a, 1735689600123);
  motcua_uuid_v7_at (&b, 1735689600124);

  motcua_uuid_to_string (&a, text);
  g_assert_cmpuint (strlen (text), ==, 36);
  g_assert_true (g_str_has_prefix (text, "01941f29-7c7b-7"));  /* ms first, version 7 */
  g_assert_true (strchr ("89ab", text[19]) != NULL);           /* RFC 4122 variant */

  /* Time-ordered: a later millisecond sorts after. */
  g_assert_cmpint (memcmp (a.bytes, b.bytes, 16), <, 0);

  g_assert_true (motcua_uuid_parse (text, &parsed));
  g_assert_cmpmem (parsed.bytes, 16, a.bytes, 16);
}

static void
test_uuid_unique (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Many in one millisecond, across refills of the random pool. */
  for (guint i = 0; i < 5000; i++)
    {
      MotcuaUuid u;
      char text[37];

      motcua_uuid_v7_at (&u, 1735689600000);
      motcua_uuid_to_string (&u, text);
      g_assert_true (g_hash_table_add (seen, g_strdup (text)));
    }
}

static void
test_uuid_for_key (void)
{
  MotcuaUuid a, b, c;

  motcua_uuid_for_key (&a, "procedure", "HT.KS");
  motcua_uuid_for_key (&b, "procedure", "HT.KS");
  motcua_uuid_for_key (&c, "office", "HT.KS");

  g_assert_cmpmem (a.bytes, 16, b.bytes, 16);
  g_assert_false (memcmp (a.bytes, c.bytes, 16) == 0);
  g_assert_cmpint (a.bytes[6] >> 4, ==, 8);
}

static void
test_uuid_parse_bad (void)
{
  MotcuaUuid u;

  g_assert_false (motcua_uuid_parse (NULL, &u));
  g_assert_false (motcua_uuid_parse ("", &u));
  g_assert_false (motcua_uuid_parse ("01941f29-7c7b-7000-8000-00000000000", &u));
  g_assert_false (motcua_uuid_parse ("01941f29x7c7b-7000-8000-000000000000", &u));
  g_assert_false (motcua_uuid_parse ("01941f29-7c7b-7000-8000-00000000000g", &u));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hlc/layout", test_hlc_layout);
  g_test_add_func ("/hlc/monotonic", test_hlc_monotonic);
  g_test_add_func ("/hlc/counter-carry", test_hlc_counter_carry);
  g_test_add_func ("/hlc/observe", test_hlc_observe);
  g_test_add_func ("/hlc/to-string", test_hlc_to_string);
  g_test_add_func ("/uuid/v7", test_uuid_v7);
  g_test_add_func ("/uuid/unique", test_uuid_unique);
  g_test_add_func ("/uuid/for-key", test_uuid_for_key);
  g_test_add_func ("/uuid/parse-bad", test_uuid_parse_bad);

  return g_test_run ();
}
