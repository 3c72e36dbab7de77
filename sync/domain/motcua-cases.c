/* motcua-cases.c: receiving cases and moving them through their workflow
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-error.h"
#include "motcua-hub-private.h"
#include "motcua-domain-private.h"
#include "motcua-text.h"
#include "motcua-cases-private.h"

enum
{
  C_RECEIPT_NO,
  C_PROCEDURE_ID,
  C_RECEIVING_OFFICE_ID,
  C_HANDLING_OFFICE_ID,
  C_APPLICANT_NAME,
  C_CITIZEN_ID,
  C_PHONE,
  C_ADDRESS,
  C_CHANNEL,
  C_PRIORITY,
  C_RECEIVED_AT,
  C_CLOCK_START,
  C_DUE_DATE,
  C_STATUS,
  C_PAPERS,
  C_RESOLVED_AT,
  C_RESULT,
  C_RETURNED_AT,
  C_RETURNED_VIA,
  C_RATING,
  C_DELETED,
  N_CASE_COLUMNS
};

#define BIT(c) (G_GUINT64_CONSTANT (1) << (c))

static const MotcuaTableDesc *
cases_table (void)
{
  return _motcua_table_lookup (MOTCUA_TABLE_CASES);
}

static gboolean
procedure_lookup (MotcuaReplica  *self,
                  const char     *code,
                  MotcuaUuid     *id_out,
                  guint          *days_out,
                  guint          *n_documents_out,
                  const char    **name_out,
                  GError        **error)
{
  MotcuaProcedureInfo *info;
  sqlite3_stmt *stmt;
  gboolean found;

  if (!motcua_check_required (_("procedure"), code, error))
    return FALSE;

  /* A desk receives the same few procedures all day: remember what a reception needs of them.
   * The cache is dropped whenever procedures change or a transaction rolls back. */
  info = g_hash_table_lookup (self->procedures, code);
  if (info == NULL)
    {
      stmt = _motcua_replica_prepare (self,
                                      "SELECT id, processing_days, json_array_length (documents),"
                                      " name FROM procedures WHERE code = ?1 AND deleted IS NOT 1",
                                      error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
      found = sqlite3_step (stmt) == SQLITE_ROW;
      if (found)
        {
          info = g_new0 (MotcuaProcedureInfo, 1);
          memcpy (info->id.bytes, sqlite3_column_blob (stmt, 0), 16);
          info->processing_days = (guint) sqlite3_column_int (stmt, 1);
          info->n_documents = (guint) sqlite3_column_int (stmt, 2);
          info->name = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          g_hash_table_insert (self->procedures, g_strdup (code), info);
        }
      sqlite3_reset (stmt);

      if (!found)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                       _("procedure “%s” is not in the catalogue"), code);
          return FALSE;
        }
    }

  *id_out = info->id;
  *days_out = info->processing_days;
  *n_documents_out = info->n_documents;
  if (name_out != NULL)
    *name_out = info->name;

  return TRUE;
}

static char *
papers_to_string (const guint  *papers,
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

static gboolean
parse_papers (const char  *text,
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

static gboolean
check_channel (int      channel,
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

static gboolean
check_priority_name (const char      *value,
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
      || !parse_papers (value, papers, NULL))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("papers “%s” must be a list of paper numbers, e.g. [0,1,3]"),
                   value ? value : "");
      return FALSE;
    }
  canonical = papers_to_string ((const guint *) (void *) papers->data, papers->len,
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

/* How many papers the procedure @procedure_id requires, or -1 when it is not in the
 * catalogue (or on an error, then in @error). */
static int
procedure_documents (MotcuaReplica     *self,
                     const MotcuaUuid  *procedure_id,
                     GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT json_array_length (documents)"
                                                " FROM procedures WHERE id = ?1", error);
  int n = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_blob (stmt, 1, procedure_id->bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  return n;
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
  const char *name = column < N_CASE_COLUMNS ? cases_table ()->columns[column].name : "";
  const char *text = value->type == SQLITE_TEXT ? value->s : NULL;
  gboolean is_null = value->type == SQLITE_NULL;

  switch (column)
    {
    case C_PROCEDURE_ID:
      if (value->type != SQLITE_BLOB
          || procedure_documents (self, (const MotcuaUuid *) (const void *) value->s, error) < 0)
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

    case C_PRIORITY:
      {
        MotcuaPriority priority;

        return is_null || check_priority_name (text, &priority, error);
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
            && (n_documents = procedure_documents (self, procedure_id, error)) < 0
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
static gboolean
check_case_values (MotcuaReplica      *self,
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

static gboolean
due_date_for (MotcuaReplica  *self,
              const char     *start_day,
              guint           days,
              char            out[11],
              GError        **error)
{
  g_autoptr(MotcuaCalendar) calendar = motcua_replica_dup_calendar (self, error);
  GDate start, due;

  if (calendar == NULL)
    return FALSE;
  if (!motcua_check_date (_("date"), start_day, &start, error))
    return FALSE;

  motcua_calendar_add_working_days (calendar, &start, days, &due);
  if (!g_date_valid (&due))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("%s + %u working days has no due date in the calendar"), start_day, days);
      return FALSE;
    }
  g_date_strftime (out, 11, "%Y-%m-%d", &due);

  return TRUE;
}

gboolean
_motcua_replica_case_due_date (MotcuaReplica  *self,
                               gint64          rid,
                               const char     *day,
                               char            out[11],
                               GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT p.processing_days FROM cases c"
                                                " JOIN procedures p ON p.id = c.procedure_id"
                                                " WHERE c.rid = ?1", error);
  gint64 days = -1;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    days = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (days < 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                   _("case %lld has no procedure in the catalogue"), (long long) rid);
      return FALSE;
    }

  return due_date_for (self, day, (guint) days, out, error);
}

static char *
next_receipt_no (MotcuaReplica    *self,
                 const MotcuaUuid *office_id,
                 const char       *office_code,
                 int               year,
                 GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 number = 0;
  g_autofree char *server = _motcua_replica_meta_dup_text (self, "server_url");

  /* Numbers are unique across the province: an enrolled desk gives the numbers its server
   * leased it; the server's own desk takes them from the lease counter itself. */
  if (_motcua_replica_is_hub (self))
    {
      gint64 last;

      if (!_motcua_hub_lease (self, "hub", office_code, year, 1, &number, &last, error))
        return NULL;
      return g_strdup_printf ("%s-%04d-%06" G_GINT64_FORMAT, office_code, year, number);
    }
  if (server != NULL)
    {
      number = _motcua_replica_take_leased (self, office_id, year, error);
      if (number < 0)
        return NULL;
      if (number > 0)
        return g_strdup_printf ("%s-%04d-%06" G_GINT64_FORMAT, office_code, year, number);
    }

  /* Per office and year. An enrolled desk that ran out of leased numbers offline gives a
   * visibly distinct one that carries its desk code, unique in the province: no other desk
   * can make it. */
  stmt = _motcua_replica_prepare (self,
                                  "INSERT INTO receipt_counters (office_id, year, next)"
                                  " VALUES (?1, ?2, 2) ON CONFLICT (office_id, year)"
                                  " DO UPDATE SET next = next + 1 RETURNING next - 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, office_id->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    number = sqlite3_column_int64 (stmt, 0);
  if (!_motcua_replica_step_done (self, stmt, error))
    return NULL;

  if (server != NULL)
    {
      g_autofree char *desk = _motcua_replica_meta_dup_text (self, "desk_code");

      /* A desk enrolled before desk codes existed, not synced since: the random part of its
       * id (the last 12 hex digits of a UUIDv7; its first ones are a timestamp). */
      if (desk == NULL)
        desk = g_strdup_printf ("R%s", self->id + 24);
      return g_strdup_printf ("%s-%04d-%s-%04" G_GINT64_FORMAT, office_code, year, desk, number);
    }

  return g_strdup_printf ("%s-%04d-%06" G_GINT64_FORMAT, office_code, year, number);
}

static gboolean
receive_in_tx (MotcuaReplica          *self,
               const MotcuaReception  *r,
               MotcuaCase             *out,
               GError                **error)
{
  MotcuaUuid case_id_storage;
  MotcuaUuid *case_id = &case_id_storage;
  const char *procedure_name = NULL;
  const char *office_code = r->receiving_office ? r->receiving_office : self->office_code;
  g_autofree char *phone = NULL;
  g_autofree char *received_at = NULL;
  g_autofree char *papers = NULL;
  g_autofree char *receipt_no = NULL;
  g_autofree char *status = NULL;
  g_autofree char *name = NULL;
  MotcuaEventFacts facts = { NULL };
  MotcuaValue values[N_CASE_COLUMNS] = { { 0 } };
  MotcuaUuid procedure_id, office_id;
  MotcuaStatusKey key = { 0, 0, MOTCUA_STATUS_RECEIVED };
  guint days, n_documents;
  char day[11], due[11];
  MotcuaHlc hlc;

  if (!procedure_lookup (self, r->procedure_code, &procedure_id, &days, &n_documents,
                         &procedure_name, error)
      || !_motcua_replica_office_id (self, _("receiving office"), office_code, &office_id, error))
    return FALSE;
  if (!_motcua_replica_office_within (self, &office_id, &self->office_id, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                     _("receiving office “%s” is outside this replica's office %s"),
                     office_code, self->office_code);
      return FALSE;
    }

  if (!motcua_check_required (_("applicant name"), r->applicant_name, error)
      || !motcua_check_citizen_id (_("citizen ID"), r->citizen_id, error))
    return FALSE;
  if (r->phone != NULL && *r->phone != '\0'
      && (phone = motcua_normalize_phone (_("phone"), r->phone, error)) == NULL)
    return FALSE;
  if (r->address != NULL && !g_utf8_validate (r->address, -1, NULL))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("address is not valid UTF-8"));
      return FALSE;
    }
  if (!check_channel (r->channel, error))
    return FALSE;
  if ((guint) r->priority >= MOTCUA_N_PRIORITIES)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("priority %d is not a priority group"), r->priority);
      return FALSE;
    }

  received_at = r->received_at ? motcua_normalize_datetime ("received_at", r->received_at, error)
                               : _motcua_replica_now_iso (self);
  if (received_at == NULL)
    return FALSE;
  papers = papers_to_string (r->papers, r->n_papers, n_documents, error);
  if (papers == NULL)
    return FALSE;

  memcpy (day, received_at, 10);
  day[10] = '\0';
  if (!due_date_for (self, day, days, due, error))
    return FALSE;

  receipt_no = next_receipt_no (self, &office_id, office_code, atoi (day), error);
  if (receipt_no == NULL)
    return FALSE;

  hlc = _motcua_replica_tick (self);
  motcua_uuid_v7_from_hlc (case_id, hlc);
  status = motcua_status_key_encode (&key);

  for (guint c = 0; c < N_CASE_COLUMNS; c++)
    values[c] = MOTCUA_VALUE_NULL;
  values[C_RECEIPT_NO] = MOTCUA_VALUE_TEXT (receipt_no);
  values[C_PROCEDURE_ID] = MOTCUA_VALUE_ID (&procedure_id);
  values[C_RECEIVING_OFFICE_ID] = MOTCUA_VALUE_ID (&office_id);
  values[C_HANDLING_OFFICE_ID] = MOTCUA_VALUE_ID (&office_id);
  name = g_strstrip (g_strdup (r->applicant_name));
  values[C_APPLICANT_NAME] = MOTCUA_VALUE_TEXT (name);
  values[C_CITIZEN_ID] = MOTCUA_VALUE_TEXT (r->citizen_id);
  values[C_PHONE] = MOTCUA_VALUE_TEXT (phone);
  values[C_ADDRESS] = (r->address && *r->address) ? MOTCUA_VALUE_TEXT (r->address)
                                                  : MOTCUA_VALUE_NULL;
  values[C_CHANNEL] = MOTCUA_VALUE_TEXT (motcua_channel_to_string (r->channel));
  values[C_PRIORITY] = r->priority != MOTCUA_PRIORITY_NONE
                       ? MOTCUA_VALUE_TEXT (motcua_priority_to_string (r->priority))
                       : MOTCUA_VALUE_NULL;
  values[C_RECEIVED_AT] = MOTCUA_VALUE_TEXT (received_at);
  values[C_CLOCK_START] = MOTCUA_VALUE_TEXT (day);
  values[C_DUE_DATE] = MOTCUA_VALUE_TEXT (due);
  values[C_STATUS] = MOTCUA_VALUE_TEXT (status);
  values[C_PAPERS] = MOTCUA_VALUE_TEXT (papers);
  values[C_DELETED] = MOTCUA_VALUE_INT (0);

  if (!check_case_values (self, values, BIT (N_CASE_COLUMNS) - 1, &procedure_id, error)
      || !_motcua_replica_write_row (self, cases_table (), case_id, values,
                                     BIT (N_CASE_COLUMNS) - 1, MOTCUA_WRITE_NEW, hlc, NULL, error))
    return FALSE;

  facts.receipt_no = receipt_no;
  facts.due_date = due;
  if (!_motcua_replica_add_case_event (self, case_id, hlc, received_at, "received", &facts,
                                       r->note, error))
    return FALSE;

  /* What the caller gets back is what was just written: no need to read it again. */
  {
    char id[37];

    motcua_uuid_to_string (case_id, id);
    out->id = g_strdup (id);
  }
  out->receipt_no = g_steal_pointer (&receipt_no);
  out->procedure_code = g_strdup (r->procedure_code);
  out->procedure_name = g_strdup (procedure_name);
  out->receiving_office = g_strdup (office_code);
  out->handling_office = g_strdup (office_code);
  out->applicant_name = g_steal_pointer (&name);
  out->citizen_id = g_strdup (r->citizen_id);
  out->phone = g_steal_pointer (&phone);
  out->address = (r->address && *r->address) ? g_strdup (r->address) : NULL;
  out->channel = r->channel;
  out->priority = r->priority;
  out->received_at = g_steal_pointer (&received_at);
  out->clock_start = g_strdup (day);
  out->due_date = g_strdup (due);
  out->status = MOTCUA_STATUS_RECEIVED;
  out->papers = g_array_new (FALSE, FALSE, sizeof (guint));
  parse_papers (papers, out->papers, NULL);
  out->sync_state = MOTCUA_SYNC_STATE_PENDING;

  return TRUE;
}

MotcuaCase *
motcua_replica_receive (MotcuaReplica          *self,
                        const MotcuaReception  *reception,
                        GError                **error)
{
  g_autoptr(MotcuaCase) received = g_new0 (MotcuaCase, 1);

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);
  g_return_val_if_fail (reception != NULL, NULL);

  if (!motcua_replica_begin (self, error))
    return NULL;
  if (!receive_in_tx (self, reception, received, error))
    {
      motcua_replica_rollback (self);
      return NULL;
    }
  if (!motcua_replica_commit (self, error))
    return NULL;

  return g_steal_pointer (&received);
}

/* Reading */

#define CASE_COLUMNS                                                                         \
  "c.rid, c.id, c.receipt_no, p.code, p.name, ro.code, ho.code, c.applicant_name,"          \
  " c.citizen_id, c.phone, c.address, c.channel, c.priority, c.received_at, c.clock_start,"  \
  " c.due_date, c.status, c.status_gen, c.papers, c.resolved_at, c.result, c.returned_at,"   \
  " c.returned_via, c.rating, c._seq"
#define CASE_FROM                                                                            \
  " FROM cases c LEFT JOIN procedures p ON p.id = c.procedure_id"                            \
  " LEFT JOIN offices ro ON ro.id = c.receiving_office_id"                                   \
  " LEFT JOIN offices ho ON ho.id = c.handling_office_id"

static MotcuaCase *
case_from_row (sqlite3_stmt *stmt,
               int           col,
               guint64       acked)
{
  MotcuaCase *c = g_new0 (MotcuaCase, 1);
  char id[37];
  const char *text;

#define TEXT(i) g_strdup ((const char *) sqlite3_column_text (stmt, col + (i)))
  motcua_uuid_to_string (sqlite3_column_blob (stmt, col + 1), id);
  c->id = g_strdup (id);
  c->receipt_no = TEXT (2);
  c->procedure_code = TEXT (3);
  c->procedure_name = TEXT (4);
  c->receiving_office = TEXT (5);
  c->handling_office = TEXT (6);
  c->applicant_name = TEXT (7);
  c->citizen_id = TEXT (8);
  c->phone = TEXT (9);
  c->address = TEXT (10);
  motcua_channel_from_string ((const char *) sqlite3_column_text (stmt, col + 11), &c->channel);
  motcua_priority_from_string ((const char *) sqlite3_column_text (stmt, col + 12), &c->priority);
  c->received_at = TEXT (13);
  c->clock_start = TEXT (14);
  c->due_date = TEXT (15);
  motcua_status_from_string ((const char *) sqlite3_column_text (stmt, col + 16), &c->status);
  c->status_generation = (guint) sqlite3_column_int (stmt, col + 17);
  c->papers = g_array_new (FALSE, FALSE, sizeof (guint));
  text = (const char *) sqlite3_column_text (stmt, col + 18);
  parse_papers (text, c->papers, NULL);
  c->resolved_at = TEXT (19);
  c->result = TEXT (20);
  c->returned_at = TEXT (21);
  motcua_channel_from_string ((const char *) sqlite3_column_text (stmt, col + 22),
                              &c->returned_via);
  c->rating = sqlite3_column_int (stmt, col + 23);
  /* Pending while its last local change is not acknowledged by the hub. */
  c->sync_state = (guint64) sqlite3_column_int64 (stmt, col + 24) > acked
                  ? MOTCUA_SYNC_STATE_PENDING : MOTCUA_SYNC_STATE_SYNCED;
#undef TEXT

  return c;
}

gboolean
_motcua_replica_case_rid (MotcuaReplica  *self,
                          const char     *key,
                          gint64         *rid_out,
                          MotcuaUuid     *id_out,
                          GError        **error)
{
  MotcuaUuid uuid;
  sqlite3_stmt *stmt;
  gboolean found;

  if (!motcua_check_required (_("case"), key, error))
    return FALSE;

  if (motcua_uuid_parse (key, &uuid))
    {
      stmt = _motcua_replica_prepare (self, "SELECT rid, id FROM cases WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, uuid.bytes, 16, SQLITE_TRANSIENT);
    }
  else
    {
      stmt = _motcua_replica_prepare (self, "SELECT rid, id FROM cases WHERE receipt_no = ?1",
                                      error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
    }

  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found)
    {
      if (rid_out != NULL)
        *rid_out = sqlite3_column_int64 (stmt, 0);
      if (id_out != NULL)
        memcpy (id_out->bytes, sqlite3_column_blob (stmt, 1), 16);
    }
  sqlite3_reset (stmt);

  if (!found)
    g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                 _("case “%s” is not in this replica (give a case id or a receipt number)"), key);

  return found;
}

static MotcuaCase *
dup_case_by_rid (MotcuaReplica  *self,
                 gint64          rid,
                 GError        **error)
{
  sqlite3_stmt *stmt;
  MotcuaCase *c = NULL;

  stmt = _motcua_replica_prepare (self, "SELECT " CASE_COLUMNS CASE_FROM " WHERE c.rid = ?1",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    c = case_from_row (stmt, 0, _motcua_replica_get_acked (self));
  sqlite3_reset (stmt);

  if (c == NULL)
    g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND, _("case %lld vanished"),
                 (long long) rid);

  return c;
}

MotcuaCase *
motcua_replica_dup_case (MotcuaReplica  *self,
                         const char     *key,
                         GError        **error)
{
  gint64 rid;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (!_motcua_replica_case_rid (self, key, &rid, NULL, error))
    return NULL;

  return dup_case_by_rid (self, rid, error);
}

/* Editing */

static const char *const editable_fields[] = {
  "applicant_name", "citizen_id", "phone", "address", "channel", "priority", "papers", "result",
  "rating", NULL
};

GStrv
motcua_case_editable_fields (void)
{
  return g_strdupv ((GStrv) editable_fields);
}

/* Writes @mask of @values for one case, with a timeline event, in a transaction. */
static gboolean
write_case (MotcuaReplica     *self,
            const MotcuaUuid  *id,
            MotcuaValue       *values,
            guint64            mask,
            MotcuaHlc          hlc,
            const char        *at,
            const char              *action,
            const MotcuaEventFacts  *facts,
            const char              *note,
            GError                 **error)
{
  return check_case_values (self, values, mask, NULL, error)
         && _motcua_replica_write_row (self, cases_table (), id, values, mask, MOTCUA_WRITE_LOCAL,
                                       hlc, NULL, error)
         && _motcua_replica_add_case_event (self, id, hlc, at, action, facts, note, error);
}

/* The value of @column of case @rid as text, or NULL. */
static char *
stored_text (MotcuaReplica  *self,
             gint64          rid,
             int             column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT CAST (%s AS TEXT) FROM cases WHERE rid = ?1",
                                          cases_table ()->columns[column].name);
  sqlite3_stmt *stmt = _motcua_replica_prepare_text (self, sql, NULL);
  char *text = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return text;
}

gboolean
_motcua_case_edit_in_tx (MotcuaReplica     *self,
                         const char        *key,
                         const char        *field,
                         const char        *value,
                         const char        *note,
                         const MotcuaUuid  *conflict,
                         GError           **error)
{
  g_autoptr(MotcuaCase) current = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *old_value = NULL;
  g_autofree char *new_value = NULL;
  MotcuaEventFacts facts = { NULL };
  MotcuaValue values[N_CASE_COLUMNS] = { { 0 } };
  MotcuaUuid id;
  gint64 rid;
  int column;
  const char *empty_to_null = (value != NULL && *value != '\0') ? value : NULL;

  if (!_motcua_replica_case_rid (self, key, &rid, &id, error))
    return FALSE;
  current = dup_case_by_rid (self, rid, error);
  if (current == NULL)
    return FALSE;

  if (field == NULL || !g_strv_contains (editable_fields, field))
    {
      g_autofree char *list = g_strjoinv (", ", (GStrv) editable_fields);

      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("field “%s” cannot be edited; editable fields: %s"), field ? field : "", list);
      return FALSE;
    }

  column = _motcua_table_column (cases_table (), field) - 1;
  g_assert (column >= 0);
  values[column] = MOTCUA_VALUE_TEXT (empty_to_null);

  if (g_str_equal (field, "applicant_name"))
    {
      if (!motcua_check_required (_("applicant name"), value, error))
        return FALSE;
      normalized = g_strstrip (g_strdup (value));
      values[column] = MOTCUA_VALUE_TEXT (normalized);
    }
  else if (g_str_equal (field, "phone"))
    {
      if (empty_to_null != NULL
          && (normalized = motcua_normalize_phone (_("phone"), value, error)) == NULL)
        return FALSE;
      values[column] = MOTCUA_VALUE_TEXT (normalized);
    }
  else if (g_str_equal (field, "priority"))
    {
      MotcuaPriority priority = MOTCUA_PRIORITY_NONE;

      if (empty_to_null != NULL && !check_priority_name (value, &priority, error))
        return FALSE;
      values[column] = priority == MOTCUA_PRIORITY_NONE ? MOTCUA_VALUE_NULL
                       : MOTCUA_VALUE_TEXT (motcua_priority_to_string (priority));
    }
  else if (g_str_equal (field, "papers"))
    {
      g_autoptr(GArray) papers = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(MotcuaProcedure) procedure = NULL;

      procedure = motcua_replica_dup_procedure (self, current->procedure_code, error);
      if (procedure == NULL || !parse_papers (value, papers, error))
        return FALSE;
      normalized = papers_to_string ((const guint *) (void *) papers->data, papers->len,
                                     g_strv_length (procedure->documents), error);
      if (normalized == NULL)
        return FALSE;
      values[column] = MOTCUA_VALUE_TEXT (normalized);
    }
  else if (g_str_equal (field, "rating"))
    {
      guint64 rating;

      if (!g_ascii_string_to_unsigned (value ? value : "", 10, 0, 5, &rating, NULL))
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("rating “%s” must be a whole number from 1 to 5 (0 clears it)"),
                       value ? value : "");
          return FALSE;
        }
      if (rating > 0 && current->status != MOTCUA_STATUS_RETURNED)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("rating: case %s is %s; the applicant rates it once the result is"
                         " returned"),
                       current->receipt_no, motcua_status_to_string (current->status));
          return FALSE;
        }
      values[column] = rating ? MOTCUA_VALUE_INT ((gint64) rating) : MOTCUA_VALUE_NULL;
    }
  else if (value != NULL && !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("%s is not valid UTF-8"), field);
      return FALSE;
    }

  old_value = stored_text (self, rid, column);
  new_value = values[column].type == SQLITE_INTEGER
              ? g_strdup_printf ("%" G_GINT64_FORMAT, values[column].i)
              : g_strdup (values[column].s);
  facts.field = field;
  facts.old_value = old_value;
  facts.new_value = new_value;
  facts.ref = conflict;

  return write_case (self, &id, values, BIT (column), _motcua_replica_tick (self), NULL,
                     "edited", &facts, note, error);
}

gboolean
motcua_replica_edit_case (MotcuaReplica  *self,
                          const char     *key,
                          const char     *field,
                          const char     *value,
                          const char     *note,
                          GError        **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self,
                                 _motcua_case_edit_in_tx (self, key, field, value, note, NULL,
                                                          error),
                                 error);
}

/* The workflow */

static void
set_illegal_step_error (GError           **error,
                        const MotcuaCase  *c,
                        MotcuaStatus       to)
{
  MotcuaStatus next[MOTCUA_N_STATUSES];
  guint n = motcua_status_next (c->status, next);
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", motcua_status_to_string (next[i]));

  g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_ILLEGAL_TRANSITION,
               _("case %s is %s and cannot become %s; %s%s"), c->receipt_no,
               motcua_status_to_string (c->status), motcua_status_to_string (to),
               n ? _("it can become: ") : _("its workflow has ended"), list->str);
}

static gboolean
advance_in_tx (MotcuaReplica            *self,
               const char               *key,
               MotcuaStatus              to,
               const MotcuaStepOptions  *options,
               GError                  **error)
{
  g_autoptr(MotcuaCase) c = NULL;
  g_autofree char *at = NULL;
  g_autofree char *status = NULL;
  MotcuaEventFacts facts = { NULL };
  MotcuaValue values[N_CASE_COLUMNS] = { { 0 } };
  MotcuaStatusKey from, next;
  MotcuaUuid id;
  guint64 mask = BIT (C_STATUS);
  char due[11], day[11];
  gint64 rid;

  if (!_motcua_replica_case_rid (self, key, &rid, &id, error))
    return FALSE;
  c = dup_case_by_rid (self, rid, error);
  if (c == NULL)
    return FALSE;

  if ((guint) to >= MOTCUA_N_STATUSES)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("status %d is not a status"), to);
      return FALSE;
    }

  from.status = c->status;
  from.generation = c->status_generation;
  from.rank = motcua_status_rank (c->status);
  if (!motcua_status_step (&from, to, &next))
    {
      set_illegal_step_error (error, c, to);
      return FALSE;
    }

  at = options && options->at ? motcua_normalize_datetime ("at", options->at, error)
                              : _motcua_replica_now_iso (self);
  if (at == NULL)
    return FALSE;
  if (g_strcmp0 (at, c->received_at) < 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("at %s is before the case was received (%s)"), at, c->received_at);
      return FALSE;
    }
  memcpy (day, at, 10);
  day[10] = '\0';

  status = motcua_status_key_encode (&next);
  values[C_STATUS] = MOTCUA_VALUE_TEXT (status);

  switch (to)
    {
    case MOTCUA_STATUS_APPROVED:
    case MOTCUA_STATUS_REFUSED:
      values[C_RESOLVED_AT] = MOTCUA_VALUE_TEXT (at);
      mask |= BIT (C_RESOLVED_AT);
      if (options && options->result)
        {
          if (!g_utf8_validate (options->result, -1, NULL))
            {
              g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                           _("result is not valid UTF-8"));
              return FALSE;
            }
          values[C_RESULT] = MOTCUA_VALUE_TEXT (options->result);
          mask |= BIT (C_RESULT);
        }
      break;

    case MOTCUA_STATUS_RETURNED:
      if (!check_channel (options ? (int) options->returned_via : 0, error))
        return FALSE;
      values[C_RETURNED_AT] = MOTCUA_VALUE_TEXT (at);
      values[C_RETURNED_VIA] = MOTCUA_VALUE_TEXT (
        motcua_channel_to_string (options ? options->returned_via : MOTCUA_CHANNEL_COUNTER));
      mask |= BIT (C_RETURNED_AT) | BIT (C_RETURNED_VIA);
      break;

    case MOTCUA_STATUS_RESUBMITTED:
      {
        g_autoptr(MotcuaProcedure) procedure = motcua_replica_dup_procedure (self,
                                                                             c->procedure_code,
                                                                             error);

        /* The clock restarts: the deadline counts from the resubmission. */
        if (procedure == NULL || !due_date_for (self, day, procedure->processing_days, due, error))
          return FALSE;
        values[C_CLOCK_START] = MOTCUA_VALUE_TEXT (day);
        values[C_DUE_DATE] = MOTCUA_VALUE_TEXT (due);
        mask |= BIT (C_CLOCK_START) | BIT (C_DUE_DATE);
      }
      break;

    case MOTCUA_STATUS_IN_PROCESSING:
      if (motcua_status_is_resolved (c->status))
        {
          /* A reopened case is no longer resolved. */
          values[C_RESOLVED_AT] = MOTCUA_VALUE_NULL;
          mask |= BIT (C_RESOLVED_AT);
        }
      break;

    case MOTCUA_STATUS_WITHDRAWN:
    case MOTCUA_STATUS_CANCELLED:
      values[C_RESOLVED_AT] = MOTCUA_VALUE_TEXT (at);
      mask |= BIT (C_RESOLVED_AT);
      break;

    case MOTCUA_STATUS_RECEIVED:
    case MOTCUA_STATUS_SUPPLEMENT_REQUESTED:
    case MOTCUA_N_STATUSES:
    default:
      break;
    }

  facts.field = "status";
  facts.old_value = motcua_status_to_string (c->status);
  facts.new_value = motcua_status_to_string (to);

  return write_case (self, &id, values, mask, _motcua_replica_tick (self), at, "status", &facts,
                     options ? options->note : NULL, error);
}

gboolean
motcua_replica_advance_case (MotcuaReplica            *self,
                             const char               *key,
                             MotcuaStatus              to,
                             const MotcuaStepOptions  *options,
                             GError                  **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self,
                                 advance_in_tx (self, key, to, options, error),
                                 error);
}

static gboolean
transfer_in_tx (MotcuaReplica  *self,
                const char     *key,
                const char     *office_code,
                const char     *note,
                GError        **error)
{
  g_autoptr(MotcuaCase) c = NULL;
  MotcuaEventFacts facts = { NULL };
  MotcuaValue values[N_CASE_COLUMNS] = { { 0 } };
  MotcuaUuid id, office_id;
  gint64 rid;

  if (!_motcua_replica_case_rid (self, key, &rid, &id, error))
    return FALSE;
  c = dup_case_by_rid (self, rid, error);
  if (c == NULL)
    return FALSE;
  if (!motcua_check_required (_("office"), office_code, error)
      || !_motcua_replica_office_id (self, _("office"), office_code, &office_id, error))
    return FALSE;
  if (g_strcmp0 (c->handling_office, office_code) == 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("office: case %s is already handled by %s"), c->receipt_no, office_code);
      return FALSE;
    }
  if (!motcua_status_is_open (c->status))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_ILLEGAL_TRANSITION,
                   _("case %s is %s: only an open case can be transferred"), c->receipt_no,
                   motcua_status_to_string (c->status));
      return FALSE;
    }

  values[C_HANDLING_OFFICE_ID] = MOTCUA_VALUE_ID (&office_id);
  facts.field = "handling_office_id";
  facts.from_office = c->handling_office;
  facts.to_office = office_code;

  /* The case may have left this replica's scope: once the server has acknowledged the
   * transfer, the next sync purges it (see motcua-sync.c). */
  return write_case (self, &id, values, BIT (C_HANDLING_OFFICE_ID), _motcua_replica_tick (self),
                     NULL, "transferred", &facts, note, error)
         && _motcua_replica_meta_set_int (self, "purge_due", 1, error);
}

gboolean
motcua_replica_transfer_case (MotcuaReplica  *self,
                              const char     *key,
                              const char     *office_code,
                              const char     *note,
                              GError        **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self,
                                 transfer_in_tx (self, key, office_code, note, error),
                                 error);
}

/* Historical import */

static gboolean
import_case_in_tx (MotcuaReplica     *self,
                   const MotcuaCase  *r,
                   GError           **error)
{
  g_autofree char *received_at = NULL;
  g_autofree char *resolved_at = NULL;
  g_autofree char *returned_at = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *papers = NULL;
  g_autofree char *status = NULL;
  MotcuaEventFacts facts = { NULL };
  MotcuaValue values[N_CASE_COLUMNS] = { { 0 } };
  MotcuaUuid case_id, procedure_id, receiving_id, handling_id;
  MotcuaStatusKey key;
  guint days, n_documents;
  char day[11], due[11];
  MotcuaHlc hlc;

  if (!motcua_check_required ("receipt_no", r->receipt_no, error))
    return FALSE;
  if (_motcua_replica_case_rid (self, r->receipt_no, NULL, NULL, NULL))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_EXISTS,
                   _("receipt_no “%s” is already a case of this replica"), r->receipt_no);
      return FALSE;
    }
  if (!procedure_lookup (self, r->procedure_code, &procedure_id, &days, &n_documents, NULL, error)
      || !_motcua_replica_office_id (self, "receiving_office", r->receiving_office, &receiving_id,
                                     error)
      || !_motcua_replica_office_id (self, "handling_office",
                                     r->handling_office ? r->handling_office : r->receiving_office,
                                     &handling_id, error)
      || !motcua_check_required (_("applicant name"), r->applicant_name, error)
      || !motcua_check_citizen_id ("citizen_id", r->citizen_id, error)
      || !check_channel ((int) r->channel, error))
    return FALSE;
  if (r->phone != NULL && *r->phone != '\0'
      && (phone = motcua_normalize_phone (_("phone"), r->phone, error)) == NULL)
    return FALSE;
  if ((received_at = motcua_normalize_datetime ("received_at", r->received_at, error)) == NULL)
    return FALSE;
  if ((guint) r->status >= MOTCUA_N_STATUSES || (guint) r->priority >= MOTCUA_N_PRIORITIES)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID, _("status or priority out of range"));
      return FALSE;
    }
  if (r->resolved_at != NULL
      && (resolved_at = motcua_normalize_datetime ("resolved_at", r->resolved_at, error)) == NULL)
    return FALSE;
  if (r->returned_at != NULL
      && (returned_at = motcua_normalize_datetime ("returned_at", r->returned_at, error)) == NULL)
    return FALSE;
  if (!motcua_status_is_open (r->status) && resolved_at == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("resolved_at is required for a case that is %s"),
                   motcua_status_to_string (r->status));
      return FALSE;
    }
  if (motcua_status_is_open (r->status) && resolved_at != NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("resolved_at must be empty for a case that is %s"),
                   motcua_status_to_string (r->status));
      return FALSE;
    }
  if ((resolved_at != NULL && strcmp (resolved_at, received_at) < 0)
      || (returned_at != NULL && strcmp (returned_at, received_at) < 0))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("resolved_at or returned_at is before received_at %s"), received_at);
      return FALSE;
    }
  if (r->status == MOTCUA_STATUS_RETURNED && returned_at == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("returned_at is required for a returned case"));
      return FALSE;
    }
  if (r->rating < 0 || r->rating > 5)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("rating %d must be from 1 to 5 (0: none)"), r->rating);
      return FALSE;
    }
  papers = papers_to_string (r->papers ? (const guint *) (void *) r->papers->data : NULL,
                             r->papers ? r->papers->len : 0, n_documents, error);
  if (papers == NULL)
    return FALSE;

  memcpy (day, received_at, 10);
  day[10] = '\0';
  if (r->due_date != NULL)
    {
      if (!motcua_check_date ("due_date", r->due_date, NULL, error))
        return FALSE;
      g_strlcpy (due, r->due_date, sizeof due);
    }
  else if (!due_date_for (self, day, days, due, error))
    return FALSE;

  key.status = r->status;
  key.rank = motcua_status_rank (r->status);
  /* A case that went through a supplement is in a later generation of its workflow. */
  key.generation = MAX (r->status_generation, r->status == MOTCUA_STATUS_RESUBMITTED ? 1u : 0u);
  status = motcua_status_key_encode (&key);

  hlc = _motcua_replica_tick (self);
  motcua_uuid_v7_from_hlc (&case_id, hlc);

  values[C_RECEIPT_NO] = MOTCUA_VALUE_TEXT (r->receipt_no);
  values[C_PROCEDURE_ID] = MOTCUA_VALUE_ID (&procedure_id);
  values[C_RECEIVING_OFFICE_ID] = MOTCUA_VALUE_ID (&receiving_id);
  values[C_HANDLING_OFFICE_ID] = MOTCUA_VALUE_ID (&handling_id);
  values[C_APPLICANT_NAME] = MOTCUA_VALUE_TEXT (r->applicant_name);
  values[C_CITIZEN_ID] = MOTCUA_VALUE_TEXT (r->citizen_id);
  values[C_PHONE] = MOTCUA_VALUE_TEXT (phone);
  values[C_ADDRESS] = MOTCUA_VALUE_TEXT (r->address);
  values[C_CHANNEL] = MOTCUA_VALUE_TEXT (motcua_channel_to_string (r->channel));
  values[C_PRIORITY] = r->priority != MOTCUA_PRIORITY_NONE
                       ? MOTCUA_VALUE_TEXT (motcua_priority_to_string (r->priority))
                       : MOTCUA_VALUE_NULL;
  values[C_RECEIVED_AT] = MOTCUA_VALUE_TEXT (received_at);
  values[C_CLOCK_START] = MOTCUA_VALUE_TEXT (r->clock_start ? r->clock_start : day);
  values[C_DUE_DATE] = MOTCUA_VALUE_TEXT (due);
  values[C_STATUS] = MOTCUA_VALUE_TEXT (status);
  values[C_PAPERS] = MOTCUA_VALUE_TEXT (papers);
  values[C_RESOLVED_AT] = MOTCUA_VALUE_TEXT (resolved_at);
  values[C_RESULT] = MOTCUA_VALUE_TEXT (r->result);
  values[C_RETURNED_AT] = MOTCUA_VALUE_TEXT (returned_at);
  values[C_RETURNED_VIA] = returned_at
                           ? MOTCUA_VALUE_TEXT (motcua_channel_to_string (r->returned_via))
                                       : MOTCUA_VALUE_NULL;
  values[C_RATING] = r->rating > 0 ? MOTCUA_VALUE_INT (r->rating) : MOTCUA_VALUE_NULL;
  values[C_DELETED] = MOTCUA_VALUE_INT (0);

  if (!check_case_values (self, values, BIT (N_CASE_COLUMNS) - 1, &procedure_id, error)
      || !_motcua_replica_write_row (self, cases_table (), &case_id, values,
                                     BIT (N_CASE_COLUMNS) - 1, MOTCUA_WRITE_NEW, hlc, NULL, error))
    return FALSE;

  facts.receipt_no = r->receipt_no;
  facts.field = "status";
  facts.new_value = motcua_status_to_string (r->status);

  return _motcua_replica_add_case_event (self, &case_id, hlc, NULL, "imported", &facts, NULL,
                                         error);
}

gboolean
motcua_replica_import_case (MotcuaReplica     *self,
                            const MotcuaCase  *record,
                            GError           **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self,
                                 import_case_in_tx (self, record, error),
                                 error);
}

/* Listing */

static char *
week_end (const char *today)
{
  GDate date;
  char buf[11];

  if (!motcua_check_date (_("today"), today, &date, NULL))
    return g_strdup (today);
  g_date_add_days (&date, G_DATE_SUNDAY - g_date_get_weekday (&date));
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &date);

  return g_strdup (buf);
}

/* Whether @query looks like (the start of) a receipt number: one word with a dash, made of
 * capital letters, digits, dots, dashes and underscores. Those are found through the receipt
 * index, as a prefix range. */
static char *
receipt_prefix (const char *query)
{
  g_autofree char *text = g_ascii_strup (query ? query : "", -1);
  char *t = g_strstrip (text);

  if (*t == '\0' || strchr (t, '-') == NULL
      || strspn (t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen (t))
    return NULL;

  return g_strdup (t);
}

/* How many of the newest matches of a full-text query are ranked. Ranking every match of a
 * one-letter prefix over a million cases takes seconds; the newest 500 take a millisecond, and a
 * query specific enough to be worth ranking has fewer matches than that. */
#define SEARCH_WINDOW 500

static gboolean
filter_is_query_only (const MotcuaCaseFilter *f)
{
  return f->status < 0 && !f->open_only && !f->overdue && !f->due_this_week
         && f->procedure_code == NULL && f->channel < 0 && f->office == NULL;
}

/* Builds the query of a filter; parameters are named so the same text serves list and count. */
static char *
filter_sql (const MotcuaCaseFilter *f,
            gboolean                count,
            gboolean               *uses_fts)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *receipt = receipt_prefix (f->query);
  g_autofree char *match = (f->query && receipt == NULL) ? _motcua_fts_query (f->query) : NULL;
  gboolean windowed = match != NULL && !count && filter_is_query_only (f);

  *uses_fts = match != NULL;

  if (f->office != NULL)
    g_string_append (sql, "WITH RECURSIVE sub (id) AS ("
                     " SELECT id FROM offices WHERE code = :office"
                     " UNION SELECT o.id FROM offices o JOIN sub ON o.parent_id = sub.id) ");

  g_string_append (sql, count ? "SELECT count(*)" : "SELECT " CASE_COLUMNS);
  if (windowed)
    g_string_append_printf (sql, " FROM (SELECT rowid, rank FROM cases_fts WHERE cases_fts"
                            " MATCH :match ORDER BY rowid DESC LIMIT %d) f"
                            " JOIN cases c ON c.rid = f.rowid", SEARCH_WINDOW);
  else if (*uses_fts)
    g_string_append (sql, " FROM cases_fts f JOIN cases c ON c.rid = f.rowid");
  else
    g_string_append (sql, " FROM cases c");
  if (!count)
    g_string_append (sql, " LEFT JOIN procedures p ON p.id = c.procedure_id"
                     " LEFT JOIN offices ro ON ro.id = c.receiving_office_id"
                     " LEFT JOIN offices ho ON ho.id = c.handling_office_id");
  g_string_append (sql, " WHERE c.deleted IS NOT 1");

  if (*uses_fts && !windowed)
    g_string_append (sql, " AND cases_fts MATCH :match");
  if (receipt != NULL)
    g_string_append (sql, " AND c.receipt_no >= :receipt_lo AND c.receipt_no < :receipt_hi");
  if (f->status >= 0)
    g_string_append (sql, " AND c.status = :status");
  if (f->open_only || f->overdue || f->due_this_week)
    g_string_append (sql, " AND c.resolved_at IS NULL");
  if (f->overdue)
    g_string_append (sql, " AND c.due_date < :today");
  if (f->due_this_week)
    g_string_append (sql, " AND c.due_date >= :today AND c.due_date <= :week_end");
  if (f->procedure_code != NULL)
    g_string_append (sql, " AND c.procedure_id ="
                     " (SELECT id FROM procedures WHERE code = :procedure)");
  if (f->channel >= 0)
    g_string_append (sql, " AND c.channel = :channel");
  if (f->office != NULL)
    g_string_append (sql, " AND (c.receiving_office_id IN sub OR c.handling_office_id IN sub)");

  if (!count)
    {
      if (*uses_fts)
        g_string_append (sql, " ORDER BY f.rank, c.rid DESC");
      else if (receipt != NULL)
        g_string_append (sql, " ORDER BY c.receipt_no");
      else
        g_string_append (sql, " ORDER BY c.received_at DESC, c.rid DESC");
      g_string_append (sql, " LIMIT :limit OFFSET :offset");
    }

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static void
bind_named_text (sqlite3_stmt *stmt,
                 const char   *name,
                 const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static sqlite3_stmt *
prepare_filter (MotcuaReplica           *self,
                const MotcuaCaseFilter  *f,
                gboolean                 count,
                GError                 **error)
{
  g_autofree char *sql = NULL;
  g_autofree char *today = NULL;
  g_autofree char *sunday = NULL;
  g_autofree char *match = NULL;
  g_autofree char *receipt = NULL;
  g_autofree char *receipt_hi = NULL;
  sqlite3_stmt *stmt;
  gboolean uses_fts;
  int index;

  if (f->today != NULL && !motcua_check_date (_("today"), f->today, NULL, error))
    return NULL;
  if (f->status >= MOTCUA_N_STATUSES || f->channel >= MOTCUA_N_CHANNELS)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("filter: status or channel out of range"));
      return NULL;
    }

  /* A typo in a filter must not look like "no cases". */
  if (f->office != NULL)
    {
      MotcuaUuid office;

      if (!_motcua_replica_office_id (self, _("office"), f->office, &office, error))
        return NULL;
    }
  if (f->procedure_code != NULL)
    {
      g_autoptr(MotcuaProcedure) procedure = motcua_replica_dup_procedure (self, f->procedure_code,
                                                                           error);

      if (procedure == NULL)
        return NULL;
    }

  sql = filter_sql (f, count, &uses_fts);
  stmt = _motcua_replica_prepare_text (self, sql, error);
  if (stmt == NULL)
    return NULL;

  today = f->today ? g_strdup (f->today) : _motcua_replica_today (self);
  sunday = week_end (today);
  match = f->query ? _motcua_fts_query (f->query) : NULL;
  receipt = receipt_prefix (f->query);
  if (receipt != NULL)
    {
      /* The range of receipt numbers starting with the prefix: its last byte raised by one. */
      receipt_hi = g_strdup (receipt);
      receipt_hi[strlen (receipt_hi) - 1]++;
      bind_named_text (stmt, ":receipt_lo", receipt);
      bind_named_text (stmt, ":receipt_hi", receipt_hi);
    }

  bind_named_text (stmt, ":office", f->office);
  bind_named_text (stmt, ":match", match);
  if (f->status >= 0)
    bind_named_text (stmt, ":status", motcua_status_to_string ((MotcuaStatus) f->status));
  bind_named_text (stmt, ":today", today);
  bind_named_text (stmt, ":week_end", sunday);
  bind_named_text (stmt, ":procedure", f->procedure_code);
  if (f->channel >= 0)
    bind_named_text (stmt, ":channel", motcua_channel_to_string ((MotcuaChannel) f->channel));
  if ((index = sqlite3_bind_parameter_index (stmt, ":limit")) > 0)
    sqlite3_bind_int (stmt, index, f->limit ? (int) MIN (f->limit, G_MAXINT) : 100);
  if ((index = sqlite3_bind_parameter_index (stmt, ":offset")) > 0)
    sqlite3_bind_int64 (stmt, index, f->offset);

  return stmt;
}

GPtrArray *
motcua_replica_list_cases (MotcuaReplica           *self,
                           const MotcuaCaseFilter  *filter,
                           GError                 **error)
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func ((GDestroyNotify) motcua_case_free);
  MotcuaCaseFilter defaults = MOTCUA_CASE_FILTER_INIT;
  sqlite3_stmt *stmt;
  guint64 acked;
  int rc;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  /* Read before the list's statement steps: it uses a cached statement of its own. */
  acked = _motcua_replica_get_acked (self);
  stmt = prepare_filter (self, filter ? filter : &defaults, FALSE, error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (cases, case_from_row (stmt, 0, acked));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&cases);
}

gint64
motcua_replica_count_cases (MotcuaReplica           *self,
                            const MotcuaCaseFilter  *filter,
                            GError                 **error)
{
  MotcuaCaseFilter defaults = MOTCUA_CASE_FILTER_INIT;
  sqlite3_stmt *stmt;
  gint64 n = -1;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), -1);

  stmt = prepare_filter (self, filter ? filter : &defaults, TRUE, error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    _motcua_replica_set_db_error (self, error);
  sqlite3_reset (stmt);

  return n;
}

gint64
motcua_replica_count_pending (MotcuaReplica  *self,
                              GError        **error)
{
  guint64 acked;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), -1);

  /* Sequence numbers are dense: what the hub has not acknowledged is the rest. */
  acked = _motcua_replica_get_acked (self);

  return (gint64) (self->seq > acked ? self->seq - acked : 0);
}
