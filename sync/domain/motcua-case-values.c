/* motcua-case-values.c: the rules a case's values obey, wherever they are written
 *
 * A citizen ID of 12 digits, a channel and a priority by name, real dates, papers as a list of
 * the procedure's documents: checked where a replica writes a case and where a hub is pushed
 * a change to one.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-cases-private.h"
#include "motcua-error.h"
#include "motcua-text.h"

char *
_motcua_papers_to_string (const guint  *papers,
                          guint         n_papers,
                          guint         n_documents,
                          GError      **error)
{
  g_autoptr(GString) out = g_string_new ("[");
  guint64 seen = 0;

  for (guint i = 0; i < n_papers; i++)
    {
      if (papers[i] >= n_documents || papers[i] >= 64)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("papers: %u is not one of the procedure's %u required papers (0–%u)"),
                       papers[i], n_documents, n_documents ? n_documents - 1 : 0);
          return NULL;
        }
      if (seen & BIT (papers[i]))
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("papers: %u is ticked twice"), papers[i]);
          return NULL;
        }
      seen |= BIT (papers[i]);
    }

  /* Stored sorted, so the same set of papers is always the same value. */
  for (guint i = 0; i < 64; i++)
    if (seen & BIT (i))
      g_string_append_printf (out, "%s%u", out->len > 1 ? "," : "", i);
  g_string_append_c (out, ']');

  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
_motcua_papers_parse (const char  *text,
                      GArray      *out,
                      GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *copy = g_strdup (text ? text : "");

  g_strdelimit (copy, "[]", ' ');
  parts = g_strsplit (g_strstrip (copy), ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 v;
      char *part = g_strstrip (parts[i]);

      if (*part == '\0' && parts[1] == NULL)
        break;
      if (!g_ascii_string_to_unsigned (part, 10, 0, 63, &v, NULL))
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("papers “%s” must be paper numbers separated by commas, e.g. 0,1,3"),
                       text);
          return FALSE;
        }
      g_array_append_val (out, (guint) { (guint) v });
    }

  return TRUE;
}

gboolean
_motcua_check_channel (int      channel,
                       GError **error)
{
  if (channel < 0 || channel >= MOTCUA_N_CHANNELS)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("channel %d must be counter, online, postal or home"), channel);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_channel_name (const char  *value,
                    GError     **error)
{
  MotcuaChannel channel;

  if (!motcua_channel_from_string (value, &channel))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("channel “%s” must be counter, online, postal or home"),
                   value ? value : "");
      return FALSE;
    }

  return TRUE;
}

gboolean
_motcua_check_priority_name (const char      *value,
                             MotcuaPriority  *out,
                             GError         **error)
{
  if (!motcua_priority_from_string (value, out))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("priority “%s” must be none, elderly, disabled, veteran, child or"
                     " pregnant"),
                   value ? value : "");
      return FALSE;
    }

  return TRUE;
}

/* Whether @value is a list of papers as a case stores it: distinct paper numbers of the
 * procedure, sorted, in brackets ("[0,1,3]"); @n_documents < 0 when the procedure is not
 * known, and then only the form is checked. */
static gboolean
check_papers (const char  *value,
              int          n_documents,
              GError     **error)
{
  g_autoptr(GArray) papers = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *canonical = NULL;
  gsize len = value ? strlen (value) : 0;

  if (len < 2 || value[0] != '[' || value[len - 1] != ']'
      || strpbrk (value + 1, "[]") != value + len - 1
      || !_motcua_papers_parse (value, papers, NULL))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("papers “%s” must be a list of paper numbers, e.g. [0,1,3]"),
                   value ? value : "");
      return FALSE;
    }
  canonical = _motcua_papers_to_string ((const guint *) (void *) papers->data, papers->len,
                                        n_documents >= 0 ? (guint) n_documents : 64, error);
  if (canonical == NULL)
    return FALSE;
  if (strcmp (canonical, value) != 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("papers “%s” must be listed in order, as %s"), value, canonical);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_datetime (const char  *field,
                const char  *value,
                GError     **error)
{
  g_autofree char *normalized = motcua_normalize_datetime (field, value, error);

  return normalized != NULL;
}

gboolean
_motcua_case_check_value (MotcuaReplica      *self,
                          guint               column,
                          const MotcuaValue  *value,
                          const MotcuaUuid   *procedure_id,
                          GError            **error)
{
  const char *name = column < N_CASE_COLUMNS ? _motcua_cases_table ()->columns[column].name : "";
  const char *text = value->type == SQLITE_TEXT ? value->s : NULL;
  gboolean is_null = value->type == SQLITE_NULL;

  switch (column)
    {
    case C_PROCEDURE_ID:
      if (value->type != SQLITE_BLOB
          || _motcua_store_cases_procedure_documents (self,
                                                      (const MotcuaUuid *) (const void *) value->s,
                                                      error) < 0)
        {
          char id[37] = "";

          if (error != NULL && *error != NULL)
            return FALSE;
          if (value->type == SQLITE_BLOB)
            motcua_uuid_to_string ((const MotcuaUuid *) (const void *) value->s, id);
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                       _("procedure %s is not in the catalogue"), id);
          return FALSE;
        }
      return TRUE;

    case C_APPLICANT_NAME:
      return motcua_check_required (name, text, error);

    case C_CITIZEN_ID:
      return motcua_check_citizen_id (_("citizen ID"), text, error);

    case C_PHONE:
      {
        g_autofree char *normalized = NULL;

        return is_null || (normalized = motcua_normalize_phone (name, text, error)) != NULL;
      }

    case C_CHANNEL:
      return check_channel_name (text, error);

    case C_RETURNED_VIA:
      return is_null || check_channel_name (text, error);

    case C_RETURN_AT:
      if (!is_null && g_strcmp0 (text, "receiving") != 0 && g_strcmp0 (text, "deciding") != 0)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("return_at must be receiving or deciding (null: where it is decided)"));
          return FALSE;
        }
      return TRUE;

    case C_PRIORITY:
      {
        MotcuaPriority priority;

        return is_null || _motcua_check_priority_name (text, &priority, error);
      }

    case C_RECEIVED_AT:
      return check_datetime (name, text, error);

    case C_RESOLVED_AT:
    case C_RETURNED_AT:
      return is_null || check_datetime (name, text, error);

    case C_CLOCK_START:
    case C_DUE_DATE:
      return motcua_check_date (name, text, NULL, error);

    case C_PAPERS:
      {
        int n_documents = -1;

        if (procedure_id != NULL
            && (n_documents = _motcua_store_cases_procedure_documents (self, procedure_id,
                                                                       error)) < 0
            && error != NULL && *error != NULL)
          return FALSE;
        return check_papers (text, n_documents, error);
      }

    case C_RATING:
      if (!is_null && (value->type != SQLITE_INTEGER || value->i < 1 || value->i > 5))
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("rating %lld must be from 1 to 5 (null: none)"),
                       (long long) value->i);
          return FALSE;
        }
      return TRUE;

    case C_DELETED:
      if (!is_null && (value->type != SQLITE_INTEGER || (value->i != 0 && value->i != 1)))
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("deleted must be 0 or 1"));
          return FALSE;
        }
      return TRUE;

    default:
      return TRUE;
    }
}

/* The same rules over a whole row about to be written. */
gboolean
_motcua_case_check_values (MotcuaReplica      *self,
                           const MotcuaValue  *values,
                           guint64             mask,
                           const MotcuaUuid   *procedure_id,
                           GError            **error)
{
  for (guint c = 0; c < N_CASE_COLUMNS; c++)
    if ((mask & BIT (c)) && !_motcua_case_check_value (self, c, &values[c], procedure_id, error))
      return FALSE;

  return TRUE;
}
