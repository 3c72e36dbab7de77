/* motcua-json-scan.c: reading JSON text in place, without building a tree
 *
 * A value is scanned once with every check (RFC 8259's grammar, and the limits in the header);
 * walking it afterwards scans its parts again without the checks, which is a loop over bytes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-json-scan-private.h"

typedef struct
{
  const char  *p;
  const char  *end;
  gboolean     check;
  const char  *problem;
} Scanner;

static gboolean scan_value (Scanner *s, guint depth, MotcuaJsonValue *value);

static gboolean
fail (Scanner    *s,
      const char *problem)
{
  s->problem = problem;

  return FALSE;
}

static void
skip_space (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

/* The code unit of the four hex digits at @p, or -1. */
static int
hex4 (const char *p,
      const char *end)
{
  int unit = 0;

  if (end - p < 4)
    return -1;
  for (guint k = 0; k < 4; k++)
    {
      if (!g_ascii_isxdigit (p[k]))
        return -1;
      unit = unit << 4 | g_ascii_xdigit_value (p[k]);
    }

  return unit;
}

/* At the backslash of a \u escape: the character it stands for (a surrogate pair read as one),
 * moving *@p past it; 0 when it is not one (a lone surrogate, or \u0000). */
static gunichar
read_unicode_escape (const char **p,
                     const char  *end)
{
  int unit = hex4 (*p + 2, end);
  int low;

  if (unit <= 0 || (unit >= 0xdc00 && unit <= 0xdfff))
    return 0;
  if (unit < 0xd800 || unit > 0xdbff)
    {
      *p += 6;
      return (gunichar) unit;
    }
  if (end - *p < 12 || (*p)[6] != '\\' || (*p)[7] != 'u'
      || (low = hex4 (*p + 8, end)) < 0xdc00 || low > 0xdfff)
    return 0;
  *p += 12;

  return 0x10000 + (((gunichar) unit - 0xd800) << 10) + ((gunichar) low - 0xdc00);
}

static gboolean
scan_string (Scanner         *s,
             MotcuaJsonValue *value)
{
  value->kind = MOTCUA_JSON_STRING;
  value->escaped = FALSE;
  value->start = ++s->p;

  while (s->p < s->end)
    {
      guchar c = (guchar) *s->p;

      if (c == '"')
        {
          value->end = s->p++;
          return TRUE;
        }
      if (c == '\\')
        {
          value->escaped = TRUE;
          if (s->p + 1 >= s->end)
            break;
          if (!s->check)
            s->p += 2;
          else if (s->p[1] == 'u')
            {
              if (hex4 (s->p + 2, s->end) == 0)
                return fail (s, N_("The JSON holds a NUL character (\\u0000) in a string"));
              if (read_unicode_escape (&s->p, s->end) == 0)
                return fail (s, N_("The JSON holds a malformed \\u escape or a lone"
                                   " surrogate"));
            }
          else if (strchr ("\"\\/bfnrt", s->p[1]) != NULL && s->p[1] != '\0')
            s->p += 2;
          else
            return fail (s, N_("The JSON holds an unknown escape in a string"));
          continue;
        }
      if (c < 0x20 && s->check)
        return fail (s, N_("The JSON holds a control character in a string"));
      s->p++;
    }

  return fail (s, N_("The JSON ends inside a string"));
}

static gboolean
scan_digits (Scanner *s)
{
  const char *first = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;

  return s->p > first;
}

static gboolean
scan_number (Scanner         *s,
             MotcuaJsonValue *value)
{
  gboolean whole = TRUE;
  gboolean negative = FALSE;
  guint64 magnitude = 0;

  value->start = s->p;
  if (*s->p == '-')
    {
      negative = TRUE;
      s->p++;
    }
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!scan_digits (s))
    return fail (s, N_("The JSON holds a malformed number"));
  for (const char *d = value->start + negative; d < s->p && whole; d++)
    {
      guint digit = (guint) (*d - '0');

      if (magnitude > (G_MAXUINT64 - digit) / 10)
        whole = FALSE;
      else
        magnitude = magnitude * 10 + digit;
    }
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      whole = FALSE;
      if (!scan_digits (s))
        return fail (s, N_("The JSON holds a malformed number"));
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      whole = FALSE;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return fail (s, N_("The JSON holds a malformed number"));
    }
  value->end = s->p;

  if (whole && !negative && magnitude <= G_MAXINT64)
    value->integer = (gint64) magnitude;
  else if (whole && negative && magnitude <= (guint64) G_MAXINT64 + 1)
    value->integer = (gint64) (0 - magnitude);
  else
    whole = FALSE;
  value->kind = whole ? MOTCUA_JSON_INT : MOTCUA_JSON_REAL;

  return TRUE;
}

static gboolean
scan_word (Scanner         *s,
           MotcuaJsonValue *value,
           const char      *word,
           MotcuaJsonKind   kind)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return fail (s, N_("The JSON holds something that is not a value"));
  value->kind = kind;
  value->start = s->p;
  s->p += n;
  value->end = s->p;

  return TRUE;
}

/* An array's elements or an object's members, from its opening bracket. */
static gboolean
scan_container (Scanner         *s,
                guint            depth,
                MotcuaJsonValue *value)
{
  gboolean object = *s->p == '{';
  char close = object ? '}' : ']';
  MotcuaJsonValue part;

  if (depth > MOTCUA_JSON_MAX_DEPTH)
    return fail (s, N_("The JSON is nested too deeply"));
  value->kind = object ? MOTCUA_JSON_OBJECT : MOTCUA_JSON_ARRAY;
  value->start = s->p++;
  value->length = 0;

  skip_space (s);
  if (s->p < s->end && *s->p == close)
    {
      value->end = ++s->p;
      return TRUE;
    }

  for (;;)
    {
      if (object)
        {
          if (s->p >= s->end || *s->p != '"')
            return fail (s, N_("The JSON holds an object member without a name"));
          if (!scan_string (s, &part))
            return FALSE;
          skip_space (s);
          if (s->p >= s->end || *s->p != ':')
            return fail (s, N_("The JSON holds an object member without a colon"));
          s->p++;
        }
      if (!scan_value (s, depth, &part))
        return FALSE;
      value->length++;
      skip_space (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          skip_space (s);
          continue;
        }
      if (s->p < s->end && *s->p == close)
        {
          value->end = ++s->p;
          return TRUE;
        }
      return fail (s, object ? N_("The JSON holds an object that is not closed")
                             : N_("The JSON holds an array that is not closed"));
    }
}

static gboolean
scan_value (Scanner         *s,
            guint            depth,
            MotcuaJsonValue *value)
{
  skip_space (s);
  if (s->p >= s->end)
    return fail (s, N_("The JSON ends where a value should be"));

  switch (*s->p)
    {
    case '"':
      return scan_string (s, value);
    case '{':
    case '[':
      return scan_container (s, depth + 1, value);
    case 't':
      return scan_word (s, value, "true", MOTCUA_JSON_TRUE);
    case 'f':
      return scan_word (s, value, "false", MOTCUA_JSON_FALSE);
    case 'n':
      return scan_word (s, value, "null", MOTCUA_JSON_NULL);
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s, value);
      return fail (s, N_("The JSON holds something that is not a value"));
    }
}

gboolean
_motcua_json_scan (const char       *text,
                   gsize             length,
                   MotcuaJsonValue  *value,
                   const char      **problem)
{
  Scanner s = { text, text + length, TRUE, NULL };

  if (!g_utf8_validate_len (text, length, NULL))
    s.problem = N_("The JSON is not UTF-8 text");
  else if (scan_value (&s, 0, value))
    {
      skip_space (&s);
      if (s.p == s.end)
        return TRUE;
      s.problem = N_("The JSON holds more than one value");
    }
  if (problem != NULL)
    *problem = s.problem;

  return FALSE;
}

void
_motcua_json_iter_init (MotcuaJsonIter        *iter,
                        const MotcuaJsonValue *container)
{
  g_return_if_fail (container->kind == MOTCUA_JSON_ARRAY
                    || container->kind == MOTCUA_JSON_OBJECT);

  iter->p = container->start + 1;
  iter->end = container->end - 1;
}

gboolean
_motcua_json_iter_next (MotcuaJsonIter  *iter,
                        MotcuaJsonValue *name,
                        MotcuaJsonValue *value)
{
  Scanner s = { iter->p, iter->end, FALSE, NULL };

  skip_space (&s);
  if (s.p < s.end && *s.p == ',')
    {
      s.p++;
      skip_space (&s);
    }
  if (s.p >= s.end)
    return FALSE;
  if (name != NULL)
    {
      /* Checked when the container was scanned: a name, a colon, a value. */
      if (!scan_string (&s, name))
        return FALSE;
      skip_space (&s);
      s.p++;
    }
  if (!scan_value (&s, 0, value))
    return FALSE;
  iter->p = s.p;

  return TRUE;
}

const char *
_motcua_json_string_text (const MotcuaJsonValue *value,
                          GString               *scratch,
                          gsize                 *length)
{
  const char *p = value->start;

  if (!value->escaped)
    {
      *length = (gsize) (value->end - value->start);
      return value->start;
    }

  g_string_truncate (scratch, 0);
  while (p < value->end)
    {
      const char *run = p;

      while (p < value->end && *p != '\\')
        p++;
      g_string_append_len (scratch, run, p - run);
      if (p >= value->end)
        break;
      switch (p[1])
        {
        case 'u':
          g_string_append_unichar (scratch, read_unicode_escape (&p, value->end));
          continue;
        case 'b': g_string_append_c (scratch, '\b'); break;
        case 'f': g_string_append_c (scratch, '\f'); break;
        case 'n': g_string_append_c (scratch, '\n'); break;
        case 'r': g_string_append_c (scratch, '\r'); break;
        case 't': g_string_append_c (scratch, '\t'); break;
        default: g_string_append_c (scratch, p[1]); break;
        }
      p += 2;
    }
  *length = scratch->len;

  return scratch->str;
}

gboolean
_motcua_json_string_is (const MotcuaJsonValue *value,
                        const char            *s)
{
  g_autoptr(GString) scratch = NULL;
  gsize n = strlen (s);
  gsize length;
  const char *text;

  if (value->kind != MOTCUA_JSON_STRING)
    return FALSE;
  if (!value->escaped)
    return (gsize) (value->end - value->start) == n && memcmp (value->start, s, n) == 0;
  scratch = g_string_new (NULL);
  text = _motcua_json_string_text (value, scratch, &length);

  return length == n && memcmp (text, s, n) == 0;
}

char *
_motcua_json_cut_member (const char       *text,
                         gsize             length,
                         const char       *name,
                         MotcuaJsonValue  *member,
                         const char      **problem)
{
  MotcuaJsonValue root, key, value;
  MotcuaJsonIter iter;
  GString *rest;

  Scanner s = { text, text + length, FALSE, NULL };

  memset (member, 0, sizeof *member);
  skip_space (&s);
  if (s.p < s.end && !_motcua_json_scan (text, length, &root, problem))
    return NULL;
  if (s.p == s.end || root.kind != MOTCUA_JSON_OBJECT)
    {
      if (problem != NULL)
        *problem = N_("The text is not a JSON object");
      return NULL;
    }
  _motcua_json_iter_init (&iter, &root);
  while (_motcua_json_iter_next (&iter, &key, &value))
    if (_motcua_json_string_is (&key, name))
      *member = value;   /* the last of a name, as json-glib keeps it */
  if (member->kind == 0)
    return g_strndup (text, length);

  rest = g_string_sized_new (length - (gsize) (member->end - member->start) + 3);
  g_string_append_len (rest, text, member->start - text);
  g_string_append (rest, "[]");
  g_string_append_len (rest, member->end, text + length - member->end);

  return g_string_free (rest, FALSE);
}
