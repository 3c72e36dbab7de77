/* motcua-text.c: search folding and input checks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <stdio.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-base-private.h"
#include "motcua-text.h"

/* The base letter of @c, lower-cased, or 0 when it is not a letter or digit. */
gunichar
_motcua_fold_char (gunichar c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

  if (c < 0x80)
    {
      if (g_ascii_isalnum (c))
        return g_ascii_tolower (c);
      return 0;
    }

  /* đ and Đ are letters of their own, not d with a combining mark. */
  if (c == 0x0111 || c == 0x0110)
    return 'd';

  /* Combining marks (text typed in decomposed form) belong to the letter before them. */
  if (g_unichar_ismark (c))
    return MOTCUA_FOLD_SKIP;

  if (!g_unichar_isalnum (c))
    return 0;

  if (g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed)) > 0)
    c = decomposed[0];

  return g_unichar_tolower (c);
}

char *
motcua_text_fold (const char *text)
{
  GString *out;
  gboolean space = FALSE;

  if (text == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      gunichar f;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;

      f = _motcua_fold_char (c);
      if (f == MOTCUA_FOLD_SKIP)
        continue;
      if (f == 0)
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, f);
    }

  return g_string_free (out, FALSE);
}

gboolean
motcua_check_required (const char  *field,
                       const char  *value,
                       GError     **error)
{
  const char *p = value;

  while (p != NULL && g_ascii_isspace (*p))
    p++;

  if (p == NULL || *p == '\0')
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("%s is required"), field);
      return FALSE;
    }

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("%s is not valid UTF-8"), field);
      return FALSE;
    }

  return TRUE;
}

gboolean
motcua_check_citizen_id (const char  *field,
                         const char  *value,
                         GError     **error)
{
  if (!motcua_check_required (field, value, error))
    return FALSE;

  if (strlen (value) != 12 || strspn (value, "0123456789") != 12)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("%s “%s” is not a citizen ID: it must be exactly 12 digits"), field, value);
      return FALSE;
    }

  return TRUE;
}

char *
motcua_normalize_phone (const char  *field,
                        const char  *value,
                        GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *p = value;

  if (!motcua_check_required (field, value, error))
    return NULL;

  if (g_str_has_prefix (p, "+84"))
    {
      g_string_append_c (digits, '0');
      p += 3;
    }

  for (; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p != ' ' && *p != '.' && *p != '-')
        goto bad;
    }

  if (digits->len == 10 && digits->str[0] == '0' && strchr ("35789", digits->str[1]) != NULL)
    return g_string_free (g_steal_pointer (&digits), FALSE);
  if (digits->len == 11 && digits->str[0] == '0' && digits->str[1] == '2')
    return g_string_free (g_steal_pointer (&digits), FALSE);

bad:
  g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
               _("%s “%s” is not a Vietnamese phone number "
               "(a mobile 0[35789]xxxxxxxx or a landline 02xxxxxxxxx)"), field, value);
  return NULL;
}

gboolean
motcua_check_date (const char  *field,
                   const char  *value,
                   GDate       *out,
                   GError     **error)
{
  guint y, m, d;
  char tail;

  if (!motcua_check_required (field, value, error))
    return FALSE;

  if (strlen (value) != 10 || value[4] != '-' || value[7] != '-'
      || sscanf (value, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3
      || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y)
      || y < 1900 || y > 2199)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("%s “%s” is not a real date in the form YYYY-MM-DD"), field, value);
      return FALSE;
    }

  if (out != NULL)
    g_date_set_dmy (out, (GDateDay) d, (GDateMonth) m, (GDateYear) y);

  return TRUE;
}

static GTimeZone *
vietnam_zone (void)
{
  static gsize zone;

  if (g_once_init_enter (&zone))
    g_once_init_leave (&zone, (gsize) g_time_zone_new_offset (7 * 3600));

  return (GTimeZone *) zone;
}

static char *
format_vn (GDateTime *dt)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (dt, vietnam_zone ());

  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S+07:00");
}

char *
motcua_normalize_datetime (const char  *field,
                           const char  *value,
                           GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;

  if (!motcua_check_required (field, value, error))
    return NULL;

  dt = g_date_time_new_from_iso8601 (value, vietnam_zone ());
  if (dt == NULL && strlen (value) == 10)
    {
      /* A bare date means the start of the office day. */
      g_autofree char *noon = g_strconcat (value, "T08:00:00", NULL);

      if (motcua_check_date (field, value, NULL, NULL))
        dt = g_date_time_new_from_iso8601 (noon, vietnam_zone ());
    }

  if (dt == NULL || g_date_time_get_year (dt) < 1900 || g_date_time_get_year (dt) > 2199)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("%s “%s” is not a real date and time"
                     " (ISO 8601, e.g. 2025-03-04T09:15:00+07:00)"),
                   field, value);
      return NULL;
    }

  return format_vn (dt);
}

char *
motcua_datetime_from_unix_ms (gint64 unix_ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_ms / 1000);

  return format_vn (dt);
}

/* A JSON string literal for @text (NULL → null), for the files the library writes by hand. */
void
_motcua_json_append_string (GString    *out,
                            const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      const guchar *run = p;

      /* What needs no escape is copied a run at a time. */
      while (*p >= 0x20 && *p != '"' && *p != '\\')
        p++;
      g_string_append_len (out, (const char *) run, p - run);
      if (*p == '\0')
        break;
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}
