/* test-json-scan.c: reading JSON text in place (sync/base/motcua-json-scan.c)
 *
 * What the reader walks must be what json-glib parses, value for value, and what json-glib
 * would refuse (or what the server refuses before json-glib sees it) must be refused.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-json-scan-private.h"

/* The scanned value as json-glib's tree, to compare with json-glib's own parse. */
static JsonNode *
to_node (const MotcuaJsonValue *value)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  MotcuaJsonValue name, part;
  MotcuaJsonIter iter;
  JsonNode *node;
  gsize length;
  const char *text;

  switch (value->kind)
    {
    case MOTCUA_JSON_NULL:
      return json_node_init_null (json_node_alloc ());
    case MOTCUA_JSON_FALSE:
    case MOTCUA_JSON_TRUE:
      return json_node_init_boolean (json_node_alloc (), value->kind == MOTCUA_JSON_TRUE);
    case MOTCUA_JSON_INT:
      return json_node_init_int (json_node_alloc (), value->integer);
    case MOTCUA_JSON_REAL:
      {
        g_autofree char *number = g_strndup (value->start, (gsize) (value->end - value->start));

        return json_node_init_double (json_node_alloc (), g_ascii_strtod (number, NULL));
      }
    case MOTCUA_JSON_STRING:
      text = _motcua_json_string_text (value, scratch, &length);
      {
        g_autofree char *copy = g_strndup (text, length);

        return json_node_init_string (json_node_alloc (), copy);
      }
    case MOTCUA_JSON_ARRAY:
      {
        JsonArray *array = json_array_new ();
        guint n = 0;

        _motcua_json_iter_init (&iter, value);
        for (; _motcua_json_iter_next (&iter, NULL, &part); n++)
          json_array_add_element (array, to_node (&part));
        g_assert_cmpuint (n, ==, value->length);
        node = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (node, array);
        return node;
      }
    case MOTCUA_JSON_OBJECT:
    default:
      {
        JsonObject *object = json_object_new ();
        guint n = 0;

        _motcua_json_iter_init (&iter, value);
        for (; _motcua_json_iter_next (&iter, &name, &part); n++)
          {
            g_autofree char *key = NULL;

            text = _motcua_json_string_text (&name, scratch, &length);
            key = g_strndup (text, length);
            json_object_set_member (object, key, to_node (&part));
          }
        g_assert_cmpuint (n, ==, value->length);
        node = json_node_new (JSON_NODE_OBJECT);
        json_node_take_object (node, object);
        return node;
      }
    }
}

static void
test_walk_as_json_glib (void)
{
  static const char *const texts[] = {
    "null", "true", "false", "0", "-0", "42", "-17", "1.5", "-2E-2", "1e3",
    "9223372036854775807", "-9223372036854775808",
    "\"\"", "\"Lò Văn Pằng, bản Nậm Hàng\"",
    "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
    "\"\\u0110\\u0103ng k\\u00fd \\ud83d\\ude00\"",
    "[]", "{}", " [ 1 , \"x\" , null , [ [ ] ] , { } ] ",
    "{\"o\":\"x\",\"s\":1,\"v\":{\"applicant_name\":\"Đỗ Thị Hà\",\"phone\":null},"
    "\"k\":[[1,\"a\"],[2,\"b\"]],\"m\":[0,-1,1]}",
    "{\"a\":1,\"a\":2}",
    "{\"\\u0063\":\"escaped name\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(JsonNode) expected = json_from_string (texts[i], NULL);
      g_autoptr(JsonNode) walked = NULL;
      g_autofree char *expected_text = NULL;
      g_autofree char *walked_text = NULL;
      MotcuaJsonValue value;
      const char *problem = NULL;

      g_test_message ("%s", texts[i]);
      g_assert_true (_motcua_json_scan (texts[i], strlen (texts[i]), &value, &problem));
      g_assert_null (problem);
      walked = to_node (&value);
      expected_text = json_to_string (expected, FALSE);
      walked_text = json_to_string (walked, FALSE);
      g_assert_cmpstr (walked_text, ==, expected_text);
    }
}

static void
test_numbers (void)
{
  static const struct { const char *text; MotcuaJsonKind kind; gint64 integer; } cases[] = {
    { "0", MOTCUA_JSON_INT, 0 },
    { "-0", MOTCUA_JSON_INT, 0 },
    { "117747309787414528", MOTCUA_JSON_INT, G_GINT64_CONSTANT (117747309787414528) },
    { "9223372036854775807", MOTCUA_JSON_INT, G_MAXINT64 },
    { "-9223372036854775808", MOTCUA_JSON_INT, G_MININT64 },
    { "9223372036854775808", MOTCUA_JSON_REAL, 0 },
    { "-9223372036854775809", MOTCUA_JSON_REAL, 0 },
    { "99999999999999999999999", MOTCUA_JSON_REAL, 0 },
    { "1.0", MOTCUA_JSON_REAL, 0 },
    { "1e2", MOTCUA_JSON_REAL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MotcuaJsonValue value;

      g_assert_true (_motcua_json_scan (cases[i].text, strlen (cases[i].text), &value, NULL));
      g_assert_cmpint (value.kind, ==, cases[i].kind);
      if (cases[i].kind == MOTCUA_JSON_INT)
        g_assert_cmpint (value.integer, ==, cases[i].integer);
    }
}

static void
test_refused (void)
{
  static const char *const texts[] = {
    "", "   ", "[1,]", "{\"a\":1,}", "[01]", "[1 2]", "{\"a\" 1}", "{1:2}", "{\"a\"}",
    "tru", "nul", "-", "1.", "1e", ".5", "+1", "[", "{", "\"abc", "\"a\tb\"", "\"a\nb\"",
    "\"\\x\"", "\"\\u00\"", "\"\\u00zz\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
    "\"\\u0000\"", "1 2", "{} []", "\"\xff\"", "[\"\xc3\"]", "\"a\0b\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      MotcuaJsonValue value;
      const char *problem = NULL;
      gsize length = strlen (texts[i]);
      g_autofree char *shown = g_strescape (texts[i], NULL);

      /* The one with a NUL byte in it goes whole. */
      if (g_str_has_prefix (texts[i], "\"a") && length == 2)
        length = 5;
      g_test_message ("%u: %s", i, shown);
      g_assert_false (_motcua_json_scan (texts[i], length, &value, &problem));
      g_assert_nonnull (problem);
      g_assert_true (g_str_has_prefix (problem, "The JSON "));
    }
}

static void
test_depth (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  MotcuaJsonValue value;
  const char *problem = NULL;

  for (guint i = 0; i < MOTCUA_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < MOTCUA_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  g_assert_true (_motcua_json_scan (deep->str, deep->len, &value, NULL));

  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  g_assert_false (_motcua_json_scan (deep->str, deep->len, &value, &problem));
  g_assert_cmpstr (problem, ==, "The JSON is nested too deeply");
}

static void
test_cut_member (void)
{
  static const char text[] = "{\"cursor\":\"7\",\"items\": [ {\"a\":1}, 2 ] ,\"more\":true}";
  g_autofree char *rest = NULL;
  g_autofree char *absent = NULL;
  g_autofree char *items = NULL;
  MotcuaJsonValue member;
  const char *problem = NULL;

  rest = _motcua_json_cut_member (text, strlen (text), "items", &member, &problem);
  g_assert_cmpstr (rest, ==, "{\"cursor\":\"7\",\"items\": [] ,\"more\":true}");
  g_assert_cmpint (member.kind, ==, MOTCUA_JSON_ARRAY);
  g_assert_cmpuint (member.length, ==, 2);
  items = g_strndup (member.start, (gsize) (member.end - member.start));
  g_assert_cmpstr (items, ==, "[ {\"a\":1}, 2 ]");

  absent = _motcua_json_cut_member (text, strlen (text), "changes", &member, NULL);
  g_assert_cmpstr (absent, ==, text);
  g_assert_cmpint (member.kind, ==, 0);

  /* A text cut short is refused whole, the list too. */
  g_assert_null (_motcua_json_cut_member (text, strlen (text) - 1, "items", &member, &problem));
  g_assert_nonnull (problem);
}

static void
test_string_is (void)
{
  static const char text[] = "[\"c\", \"\\u0063\", \"cc\", 1]";
  MotcuaJsonValue list, part;
  MotcuaJsonIter iter;
  gboolean is[4];
  guint n = 0;

  g_assert_true (_motcua_json_scan (text, strlen (text), &list, NULL));
  _motcua_json_iter_init (&iter, &list);
  while (_motcua_json_iter_next (&iter, NULL, &part))
    is[n++] = _motcua_json_string_is (&part, "c");
  g_assert_cmpuint (n, ==, 4);
  g_assert_true (is[0]);
  g_assert_true (is[1]);
  g_assert_false (is[2]);
  g_assert_false (is[3]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-scan/walk-as-json-glib", test_walk_as_json_glib);
  g_test_add_func ("/json-scan/numbers", test_numbers);
  g_test_add_func ("/json-scan/refused", test_refused);
  g_test_add_func ("/json-scan/depth", test_depth);
  g_test_add_func ("/json-scan/cut-member", test_cut_member);
  g_test_add_func ("/json-scan/string-is", test_string_is);

  return g_test_run ();
}
