/* motcua-cli-cases.c: the cases commands of motcua-cli
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "motcua-cli-output.h"
#include "motcua-cli-private.h"

/* Values */

static char *
list_values (const char *(*to_string) (int),
             int          n)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (int i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", to_string (i));

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
status_name (int status)
{
  return motcua_status_to_string ((MotcuaStatus) status);
}

static const char *
channel_name (int channel)
{
  return motcua_channel_to_string ((MotcuaChannel) channel);
}

static const char *
priority_name (int priority)
{
  return motcua_priority_to_string ((MotcuaPriority) priority);
}

/* @text as one of the @n values @to_string names, exactly; else a usage error that names
 * @option, @text and the values. */
static gboolean
parse_value (const char   *option,
             const char   *text,
             const char *(*to_string) (int),
             int           n,
             int          *out,
             GError      **error)
{
  g_autofree char *all = NULL;

  for (int i = 0; text != NULL && i < n; i++)
    if (g_str_equal (text, to_string (i)))
      {
        *out = i;
        return TRUE;
      }

  all = list_values (to_string, n);
  if (to_string == status_name)
    return motcua_set_usage_error (error, _("%s “%s” is not a status; the statuses are: %s"),
                                   option, text, all);

  return motcua_set_usage_error (error, _("%s “%s” must be one of: %s"), option, text, all);
}

static gboolean
parse_status (const char    *option,
              const char    *text,
              MotcuaStatus  *out,
              GError       **error)
{
  return parse_value (option, text, status_name, MOTCUA_N_STATUSES, (int *) out, error);
}

static gboolean
parse_channel (const char     *option,
               const char     *text,
               MotcuaChannel  *out,
               GError        **error)
{
  return parse_value (option, text, channel_name, MOTCUA_N_CHANNELS, (int *) out, error);
}

static gboolean
parse_priority (const char      *option,
                const char      *text,
                MotcuaPriority  *out,
                GError         **error)
{
  return parse_value (option, text, priority_name, MOTCUA_N_PRIORITIES, (int *) out, error);
}

/* "0,1,3" → the indices; "" → none. The library checks them against the procedure. */
static GArray *
parse_papers (const char  *text,
              GError     **error)
{
  g_autoptr(GArray) papers = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  g_auto(GStrv) parts = NULL;

  if (*trimmed == '\0')
    return g_steal_pointer (&papers);

  parts = g_strsplit (trimmed, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 index;
      guint value;

      if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 0, 63, &index, NULL))
        {
          motcua_set_usage_error (error, _("--papers “%s” must be paper numbers separated by "
                                           "commas, e.g. 0,1,3 (see “catalogue show”)"),
                                  text);
          return NULL;
        }
      value = (guint) index;
      g_array_append_val (papers, value);
    }

  return g_steal_pointer (&papers);
}

/* Printing */

/* receive */

static gboolean
cmd_receive (MotcuaTool  *tool,
             int          argc,
             char       **argv,
             GError     **error)
{
  g_autofree char *procedure = NULL;
  g_autofree char *name = NULL;
  g_autofree char *citizen_id = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *address = NULL;
  g_autofree char *channel_text = NULL;
  g_autofree char *priority_text = NULL;
  g_autofree char *papers_text = NULL;
  g_autofree char *office = NULL;
  g_autofree char *deciding = NULL;
  g_autofree char *return_at = NULL;
  g_autofree char *at = NULL;
  g_autofree char *note = NULL;
  const GOptionEntry entries[] = {
    { "procedure", 0, 0, G_OPTION_ARG_FILENAME, &procedure,
      N_("The procedure (required; see “catalogue search”)"), N_("CODE") },
    { "name", 0, 0, G_OPTION_ARG_FILENAME, &name,
      N_("The applicant's full name (required)"), N_("NAME") },
    { "citizen-id", 0, 0, G_OPTION_ARG_FILENAME, &citizen_id,
      N_("The applicant's 12-digit citizen identity number (required)"), N_("NUMBER") },
    { "phone", 0, 0, G_OPTION_ARG_FILENAME, &phone,
      N_("The applicant's phone number"), N_("PHONE") },
    { "address", 0, 0, G_OPTION_ARG_FILENAME, &address,
      N_("The applicant's address"), N_("ADDRESS") },
    { "channel", 0, 0, G_OPTION_ARG_FILENAME, &channel_text,
      N_("How it came in: counter (default), online, postal or home"), N_("CHANNEL") },
    { "priority", 0, 0, G_OPTION_ARG_FILENAME, &priority_text,
      N_("Priority group: none (default), elderly, disabled, veteran, child or pregnant"),
      N_("GROUP") },
    { "papers", 0, 0, G_OPTION_ARG_FILENAME, &papers_text,
      N_("The papers received, by number in the procedure's list, e.g. 0,1,2"), N_("LIST") },
    { "office", 0, 0, G_OPTION_ARG_FILENAME, &office,
      N_("The receiving office (default: the replica's office)"), N_("CODE") },
    { "deciding-office", 0, 0, G_OPTION_ARG_FILENAME, &deciding,
      N_("The office that decides it, when another office of the province does: the dossier"
         " is forwarded to it at once"), N_("CODE") },
    { "return-at", 0, 0, G_OPTION_ARG_FILENAME, &return_at,
      N_("With --deciding-office, where the result is handed back: receiving (this desk,"
         " the default) or deciding (the deciding office hands it back or sends it)"),
      N_("PLACE") },
    { "at", 0, 0, G_OPTION_ARG_FILENAME, &at,
      N_("When it was received (ISO 8601; default: now)"), N_("ISO8601") },
    { "note", 0, 0, G_OPTION_ARG_FILENAME, &note,
      N_("A note for the timeline"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(GArray) papers = NULL;
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(MotcuaTable) table = NULL;
  MotcuaReception reception = { NULL };
  MotcuaReplica *replica;

  if (!motcua_tool_parse_args (tool, entries, 0, 0, argc, argv, &args, error))
    return tool->help_shown;

  if (procedure == NULL || name == NULL || citizen_id == NULL)
    {
      motcua_set_usage_error (error, _("cases receive needs %s"),
                              procedure == NULL ? "--procedure CODE"
                              : name == NULL ? "--name NAME" : "--citizen-id NUMBER");
      return FALSE;
    }

  reception.procedure_code = procedure;
  reception.receiving_office = office;
  reception.deciding_office = deciding;
  if (return_at != NULL)
    {
      if (strcmp (return_at, "deciding") != 0 && strcmp (return_at, "receiving") != 0)
        {
          motcua_set_usage_error (error, _("--return-at “%s” must be receiving or deciding"),
                                  return_at);
          return FALSE;
        }
      reception.return_at_deciding = strcmp (return_at, "deciding") == 0;
    }
  reception.applicant_name = name;
  reception.citizen_id = citizen_id;
  reception.phone = phone;
  reception.address = address;
  reception.channel = MOTCUA_CHANNEL_COUNTER;
  reception.priority = MOTCUA_PRIORITY_NONE;
  reception.received_at = at;
  reception.note = note;

  if (channel_text != NULL && !parse_channel ("--channel", channel_text, &reception.channel,
                                              error))
    return FALSE;
  if (priority_text != NULL && !parse_priority ("--priority", priority_text,
                                                &reception.priority, error))
    return FALSE;
  if (papers_text != NULL)
    {
      papers = parse_papers (papers_text, error);
      if (papers == NULL)
        return FALSE;
      reception.papers = (const guint *) (gpointer) papers->data;
      reception.n_papers = papers->len;
    }

  replica = motcua_cli_get_replica (tool, error);
  if (replica == NULL)
    return FALSE;
  c = motcua_replica_receive (replica, &reception, error);
  if (c == NULL)
    return FALSE;

  if (tool->json)
    return motcua_cli_print_case_json (tool, c->id, FALSE, error);

  table = motcua_table_new_fields ();
  motcua_table_add_field (table, _("Receipt number"), c->receipt_no);
  motcua_table_add_field (table, _("Case id"), c->id);
  motcua_table_add_field (table, _("Due date"), c->due_date);
  if (g_strcmp0 (c->handling_office, c->receiving_office) != 0)
    motcua_table_add_field (table, _("Forwarded to"), c->handling_office);
  motcua_table_print (table, 0);

  return TRUE;
}

/* list, search */

/* The page size: --limit N (from 1), --all, or neither for the library's default (0: 100). */
static gboolean
parse_limit (const char  *text,
             gboolean     all,
             guint       *out,
             GError     **error)
{
  guint64 n = 0;

  if (text != NULL && all)
    {
      motcua_set_usage_error (error, _("--limit and --all disagree: give one of them"));
      return FALSE;
    }
  if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT, &n, NULL))
    {
      motcua_set_usage_error (error, _("--limit “%s” must be a whole number of cases from 1"
                                       " (or use --all)"), text);
      return FALSE;
    }
  /* The library takes at most G_MAXINT rows in one list. */
  *out = all ? G_MAXUINT : (guint) n;

  return TRUE;
}

static gboolean
list_cases (MotcuaTool             *tool,
            const MotcuaCaseFilter *filter,
            gboolean                count_only,
            GError                **error)
{
  MotcuaReplica *replica = motcua_cli_get_replica (tool, error);
  g_autoptr(GPtrArray) cases = NULL;

  if (replica == NULL)
    return FALSE;

  if (count_only)
    {
      gint64 n = motcua_replica_count_cases (replica, filter, error);

      if (n < 0)
        return FALSE;
      if (tool->json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          motcua_json_add_int (builder, "count", n);
          json_builder_end_object (builder);
          motcua_print_builder (builder);
        }
      else
        motcua_print ("%" G_GINT64_FORMAT "\n", n);

      return TRUE;
    }

  cases = motcua_replica_list_cases (replica, filter, error);
  if (cases == NULL)
    return FALSE;
  motcua_cli_print_case_list (tool, cases);

  /* Say so when the page hides cases: an officer reading the list, or a script counting it,
   * would think it complete. On standard error, so that JSON stays JSON. */
  if (cases->len > 0 && cases->len == (filter->limit ? filter->limit : 100))
    {
      gint64 total = motcua_replica_count_cases (replica, filter, error);

      if (total < 0)
        return FALSE;
      if (total > (gint64) (filter->offset + cases->len) && filter->offset == 0)
        motcua_print_notice (ngettext ("Showing the first %u of %lld case; use --limit N "
                                       "or --all to see more.",
                                       "Showing the first %u of %lld cases; use --limit N "
                                       "or --all to see more.",
                                       (unsigned long) MIN (total, G_MAXINT)),
                             cases->len, (long long) total);
      else if (total > (gint64) (filter->offset + cases->len))
        motcua_print_notice (_("Showing cases %u to %u of %lld; use --limit N, --offset N "
                               "or --all to see the others."),
                             filter->offset + 1, filter->offset + cases->len,
                             (long long) total);
    }

  return TRUE;
}

static gboolean
cmd_list (MotcuaTool  *tool,
          int          argc,
          char       **argv,
          GError     **error)
{
  g_autofree char *status_text = NULL;
  gboolean open_only = FALSE;
  gboolean overdue = FALSE;
  gboolean due_this_week = FALSE;
  g_autofree char *procedure = NULL;
  g_autofree char *channel_text = NULL;
  g_autofree char *office = NULL;
  g_autofree char *search = NULL;
  g_autofree char *today = NULL;
  g_autofree char *limit_text = NULL;
  g_autofree char *offset_text = NULL;
  gboolean all = FALSE;
  gboolean count = FALSE;
  const GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_FILENAME, &status_text,
      N_("Only the cases in status STATUS"), N_("STATUS") },
    { "open", 0, 0, G_OPTION_ARG_NONE, &open_only,
      N_("Only the cases not yet resolved, returned, withdrawn or cancelled"), NULL },
    { "overdue", 0, 0, G_OPTION_ARG_NONE, &overdue,
      N_("Only the open cases past their due date"), NULL },
    { "due-this-week", 0, 0, G_OPTION_ARG_NONE, &due_this_week,
      N_("Only the open cases due from today to Sunday"), NULL },
    { "procedure", 0, 0, G_OPTION_ARG_FILENAME, &procedure,
      N_("Only the cases of procedure CODE"), N_("CODE") },
    { "channel", 0, 0, G_OPTION_ARG_FILENAME, &channel_text,
      N_("Only the cases that came in by CHANNEL: counter, online, postal or home"),
      N_("CHANNEL") },
    { "office", 0, 0, G_OPTION_ARG_FILENAME, &office,
      N_("Only the cases received or handled by office CODE or below it"), N_("CODE") },
    { "search", 0, 0, G_OPTION_ARG_FILENAME, &search,
      N_("Only the cases matching TEXT (name, receipt, citizen ID…; diacritics optional)"),
      N_("TEXT") },
    { "today", 0, 0, G_OPTION_ARG_FILENAME, &today,
      N_("The day --overdue and --due-this-week count from (default: today)"),
      N_("YYYY-MM-DD") },
    { "limit", 0, 0, G_OPTION_ARG_FILENAME, &limit_text,
      N_("At most N cases (default: 100)"), N_("N") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("Every matching case, however many"), NULL },
    { "offset", 0, 0, G_OPTION_ARG_FILENAME, &offset_text,
      N_("Skip the first N cases"), N_("N") },
    { "count", 0, 0, G_OPTION_ARG_NONE, &count,
      N_("Print only how many cases match"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  guint64 offset = 0;
  guint limit = 0;

  if (!motcua_tool_parse_args (tool, entries, 0, 0, argc, argv, &args, error))
    return tool->help_shown;

  if (status_text != NULL)
    {
      MotcuaStatus status;

      if (!parse_status ("--status", status_text, &status, error))
        return FALSE;
      filter.status = (int) status;
    }
  if (channel_text != NULL)
    {
      MotcuaChannel channel;

      if (!parse_channel ("--channel", channel_text, &channel, error))
        return FALSE;
      filter.channel = (int) channel;
    }
  if (today != NULL && !motcua_check_date ("--today", today, NULL, error))
    return FALSE;
  if (!parse_limit (limit_text, all, &limit, error)
      || (offset_text != NULL && !motcua_parse_uint ("--offset", offset_text, G_MAXINT,
                                                      &offset, error)))
    return FALSE;

  filter.open_only = open_only;
  filter.overdue = overdue;
  filter.due_this_week = due_this_week;
  filter.procedure_code = procedure;
  filter.office = office;
  filter.query = search;
  filter.today = today;
  filter.limit = limit;
  filter.offset = (guint) offset;

  return list_cases (tool, &filter, count, error);
}

static gboolean
cmd_search (MotcuaTool  *tool,
            int          argc,
            char       **argv,
            GError     **error)
{
  g_autofree char *limit_text = NULL;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_FILENAME, &limit_text,
      N_("At most N cases (default: 100)"), N_("N") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("Every matching case, however many"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autofree char *query = NULL;
  MotcuaCaseFilter filter = MOTCUA_CASE_FILTER_INIT;
  guint limit = 0;

  if (!motcua_tool_parse_args (tool, entries, 1, -1, argc, argv, &args, error))
    return tool->help_shown;
  if (!parse_limit (limit_text, all, &limit, error))
    return FALSE;

  query = g_strjoinv (" ", args);
  filter.query = query;
  filter.limit = limit;

  return list_cases (tool, &filter, FALSE, error);
}

/* show */

static gboolean
cmd_show (MotcuaTool  *tool,
          int          argc,
          char       **argv,
          GError     **error)
{
  g_auto(GStrv) args = NULL;

  if (!motcua_tool_parse_args (tool, NULL, 1, 1, argc, argv, &args, error))
    return tool->help_shown;
  if (motcua_cli_get_replica (tool, error) == NULL)
    return FALSE;

  return motcua_cli_print_case (tool, args[0], error);
}

/* edit */

static gboolean
cmd_edit (MotcuaTool  *tool,
          int          argc,
          char       **argv,
          GError     **error)
{
  g_autofree char *note = NULL;
  const GOptionEntry entries[] = {
    { "note", 0, 0, G_OPTION_ARG_FILENAME, &note,
      N_("A note for the timeline"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MotcuaCase) c = NULL;
  g_autoptr(GString) edited = g_string_new (NULL);
  MotcuaReplica *replica;
  gboolean ok = TRUE;

  if (!motcua_tool_parse_args (tool, entries, 2, -1, argc, argv, &args, error))
    return tool->help_shown;

  for (guint i = 1; args[i] != NULL; i++)
    {
      const char *equals = strchr (args[i], '=');

      if (equals == NULL || equals == args[i])
        {
          g_auto(GStrv) editable = motcua_case_editable_fields ();
          g_autofree char *list = g_strjoinv (", ", editable);

          motcua_set_usage_error (error, _("“%s” must be FIELD=VALUE; the fields are: %s"),
                                  args[i], list);
          return FALSE;
        }
      g_ptr_array_add (fields, g_strndup (args[i], equals - args[i]));
      g_ptr_array_add (values, g_strdup (equals + 1));
    }

  replica = motcua_cli_get_replica (tool, error);
  if (replica == NULL)
    return FALSE;

  /* All the fields or none. */
  if (!motcua_cli_begin (tool, error))
    return FALSE;
  for (guint i = 0; i < fields->len && ok; i++)
    {
      ok = motcua_replica_edit_case (replica, args[0], g_ptr_array_index (fields, i),
                                     g_ptr_array_index (values, i), note, error);
      g_string_append_printf (edited, "%s%s", i > 0 ? ", " : "",
                              (const char *) g_ptr_array_index (fields, i));
    }
  if (!motcua_cli_finish (tool, ok, error))
    return FALSE;

  if (tool->json)
    return motcua_cli_print_case_json (tool, args[0], FALSE, error);

  c = motcua_replica_dup_case (replica, args[0], error);
  if (c == NULL)
    return FALSE;
  motcua_print (_("%s: edited %s.\n"), c->receipt_no, edited->str);

  return TRUE;
}

/* advance */

static gboolean
cmd_advance (MotcuaTool  *tool,
             int          argc,
             char       **argv,
             GError     **error)
{
  g_autofree char *at = NULL;
  g_autofree char *note = NULL;
  g_autofree char *result = NULL;
  g_autofree char *via_text = NULL;
  const GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_FILENAME, &at,
      N_("When the step happened (ISO 8601; default: now)"), N_("ISO8601") },
    { "note", 0, 0, G_OPTION_ARG_FILENAME, &note,
      N_("A note for the timeline"), N_("TEXT") },
    { "result", 0, 0, G_OPTION_ARG_FILENAME, &result,
      N_("With approved or refused: what was decided or issued"), N_("TEXT") },
    { "via", 0, 0, G_OPTION_ARG_FILENAME, &via_text,
      N_("With returned: how the result went back: counter (default), online, postal or home"),
      N_("CHANNEL") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(MotcuaCase) before = NULL;
  MotcuaStepOptions options = { NULL };
  MotcuaReplica *replica;
  MotcuaStatus to;

  if (!motcua_tool_parse_args (tool, entries, 2, 2, argc, argv, &args, error))
    return tool->help_shown;
  if (!parse_status (_("status"), args[1], &to, error))
    return FALSE;

  options.at = at;
  options.note = note;
  options.returned_via = MOTCUA_CHANNEL_COUNTER;
  if (result != NULL)
    {
      if (to != MOTCUA_STATUS_APPROVED && to != MOTCUA_STATUS_REFUSED)
        {
          motcua_set_usage_error (error, _("--result goes with approved or refused, not %s"),
                                  args[1]);
          return FALSE;
        }
      options.result = result;
    }
  if (via_text != NULL)
    {
      if (to != MOTCUA_STATUS_RETURNED)
        {
          motcua_set_usage_error (error, _("--via goes with returned, not %s"), args[1]);
          return FALSE;
        }
      if (!parse_channel ("--via", via_text, &options.returned_via, error))
        return FALSE;
    }

  replica = motcua_cli_get_replica (tool, error);
  if (replica == NULL)
    return FALSE;
  before = motcua_replica_dup_case (replica, args[0], error);
  if (before == NULL)
    return FALSE;
  if (!motcua_replica_advance_case (replica, before->id, to, &options, error))
    return FALSE;

  if (tool->json)
    return motcua_cli_print_case_json (tool, before->id, FALSE, error);

  motcua_print ("%s: %s → %s\n", before->receipt_no, motcua_status_to_string (before->status),
                motcua_status_to_string (to));

  return TRUE;
}

/* transfer */

static gboolean
cmd_transfer (MotcuaTool  *tool,
              int          argc,
              char       **argv,
              GError     **error)
{
  g_autofree char *note = NULL;
  const GOptionEntry entries[] = {
    { "note", 0, 0, G_OPTION_ARG_FILENAME, &note,
      N_("A note for the timeline"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(MotcuaCase) before = NULL;
  MotcuaReplica *replica;

  replica = motcua_tool_parse_and_open (tool, entries, 2, 2, argc, argv, &args, error);
  if (replica == NULL)
    return tool->help_shown;
  before = motcua_replica_dup_case (replica, args[0], error);
  if (before == NULL)
    return FALSE;
  if (!motcua_replica_transfer_case (replica, before->id, args[1], note, error))
    return FALSE;

  if (tool->json)
    return motcua_cli_print_case_json (tool, before->id, FALSE, error);

  motcua_print (_("%s: handled by %s, was %s\n"), before->receipt_no, args[1],
                before->handling_office ? before->handling_office : "?");

  return TRUE;
}

/* import */

static gboolean
cmd_import (MotcuaTool  *tool,
            int          argc,
            char       **argv,
            GError     **error)
{
  return motcua_cli_run_import (tool, argc, argv, MOTCUA_IMPORT_CASES, error);
}

const MotcuaCommand motcua_cli_cases_commands[] = {
  { "receive", NULL, N_("Receive a dossier: prints its receipt number and due date"),
    cmd_receive, NULL },
  { "list", NULL, N_("List cases"), cmd_list, NULL },
  { "show", N_("KEY"), N_("Show a case (KEY: receipt number or id) with its papers and timeline"),
    cmd_show, NULL },
  { "edit", N_("KEY FIELD=VALUE…"), N_("Correct fields of a case, all in one go"), cmd_edit,
    NULL },
  { "advance", N_("KEY STATUS"), N_("Move a case to its next status"), cmd_advance, NULL },
  { "transfer", N_("KEY OFFICE"), N_("Hand a case over to another office"), cmd_transfer, NULL },
  { "apologise", N_("KEY --until DATE --reason TEXT"),
    N_("Apologise for a late case with a new date for the result: prints the slip"),
    motcua_cli_cmd_apologise, NULL },
  { "search", N_("QUERY…"), N_("Find cases by name, receipt number, citizen ID…"), cmd_search,
    NULL },
  { "import", N_("FILE"), N_("Import historical cases (JSON or CSV)"), cmd_import, NULL },
  { NULL }
};
