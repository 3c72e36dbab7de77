/* motcua-cli-calendar.c: the calendar commands of motcua-cli: import, holidays, due
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "motcua-cli-output.h"
#include "motcua-cli-private.h"

static gboolean
cmd_calendar_import (MotcuaTool  *tool,
                     int          argc,
                     char       **argv,
                     GError     **error)
{
  return motcua_cli_run_import (tool, argc, argv, MOTCUA_IMPORT_CALENDAR, error);
}

typedef struct
{
  GDate       date;
  const char *kind;     /* holiday, off, working */
  const char *name;
  gboolean    published;
} CalendarDay;

static const char *
weekday_name (GDateWeekday weekday)
{
  static const char *const names[] = {
    NULL, "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
  };

  g_assert (weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY);

  return names[weekday];
}

static const char *
weekday_label (GDateWeekday weekday)
{
  switch (weekday)
    {
    case G_DATE_MONDAY:
      return _("Monday");
    case G_DATE_TUESDAY:
      return _("Tuesday");
    case G_DATE_WEDNESDAY:
      return _("Wednesday");
    case G_DATE_THURSDAY:
      return _("Thursday");
    case G_DATE_FRIDAY:
      return _("Friday");
    case G_DATE_SATURDAY:
      return _("Saturday");
    case G_DATE_SUNDAY:
      return _("Sunday");
    case G_DATE_BAD_WEEKDAY:
    default:
      g_assert_not_reached ();
    }
}

static const char *
day_kind_label (const char *kind)
{
  if (g_str_equal (kind, "holiday"))
    return _("holiday");
  if (g_str_equal (kind, "off"))
    return _("day off");
  if (g_str_equal (kind, "working"))
    return _("working day");

  return kind;
}

static gboolean
cmd_calendar_holidays (MotcuaTool  *tool,
                       int          argc,
                       char       **argv,
                       GError     **error)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) published = NULL;
  g_autoptr(MotcuaCalendar) calendar = NULL;
  GDate day_date;
  g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (CalendarDay));
  MotcuaReplica *replica;
  guint64 year;

  if (!motcua_tool_parse_args (tool, NULL, 1, 1, argc, argv, &args, error))
    return tool->help_shown;
  if (!motcua_parse_uint (_("year"), args[0], 9999, &year, error))
    return FALSE;
  if (year < 1)
    {
      motcua_set_usage_error (error, _("year “%s” must be from 1 to 9999"), args[0]);
      return FALSE;
    }

  replica = motcua_cli_get_replica (tool, error);
  if (replica == NULL)
    return FALSE;
  published = motcua_replica_list_calendar (replica, (int) year, error);
  if (published == NULL)
    return FALSE;
  calendar = motcua_replica_dup_calendar (replica, error);
  if (calendar == NULL)
    return FALSE;

  /* What changes the week, as the replica counts working days: days off on weekdays, working
   * days on weekends. A year the province published is its schedule alone; any other year is
   * the statutory default. */
  g_date_clear (&day_date, 1);
  g_date_set_dmy (&day_date, 1, 1, (GDateYear) year);
  while (g_date_get_year (&day_date) == year)
    {
      const char *name = NULL;
      MotcuaDayKind kind = motcua_calendar_get_day (calendar, &day_date, &name);
      gboolean weekend = g_date_get_weekday (&day_date) >= G_DATE_SATURDAY;
      CalendarDay day = { day_date, NULL, name, published->len > 0 };

      if (kind == MOTCUA_DAY_HOLIDAY)
        day.kind = "holiday";
      else if (kind == MOTCUA_DAY_OFF || (kind == MOTCUA_DAY_WEEKEND && !weekend))
        day.kind = "off";
      else if (kind == MOTCUA_DAY_WORKING && weekend)
        day.kind = "working";

      if (day.kind != NULL && weekend == g_str_equal (day.kind, "working"))
        g_array_append_val (shown, day);
      if (g_date_get_year (&day_date) == 9999 && g_date_get_month (&day_date) == 12
          && g_date_get_day (&day_date) == 31)
        break;
      g_date_add_days (&day_date, 1);
    }

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < shown->len; i++)
        {
          const CalendarDay *day = &g_array_index (shown, CalendarDay, i);
          char date[16];

          g_date_strftime (date, sizeof date, "%Y-%m-%d", &day->date);
          json_builder_begin_object (builder);
          motcua_json_add_string (builder, "date", date);
          motcua_json_add_string (builder, "weekday",
                                  weekday_name (g_date_get_weekday (&day->date)));
          motcua_json_add_string (builder, "kind", day->kind);
          motcua_json_add_string (builder, "name", day->name);
          motcua_json_add_string (builder, "source",
                                  day->published ? "published" : "statutory");
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      motcua_print_builder (builder);
    }
  else
    {
      g_autoptr(MotcuaTable) table = NULL;

      table = motcua_table_new (_("DATE"), _("WEEKDAY"), _("KIND"), _("NAME"), NULL);
      for (guint i = 0; i < shown->len; i++)
        {
          const CalendarDay *day = &g_array_index (shown, CalendarDay, i);
          char date[16];

          g_date_strftime (date, sizeof date, "%Y-%m-%d", &day->date);
          motcua_table_add_row (table, date, weekday_label (g_date_get_weekday (&day->date)),
                                day_kind_label (day->kind), day->name);
        }
      motcua_table_print (table, 0);
    }

  return TRUE;
}

static gboolean
cmd_calendar_due (MotcuaTool  *tool,
                  int          argc,
                  char       **argv,
                  GError     **error)
{
  g_autofree char *procedure_code = NULL;
  gboolean online = FALSE;
  const GOptionEntry entries[] = {
    { "procedure", 0, 0, G_OPTION_ARG_FILENAME, &procedure_code,
      N_("Count the processing time of procedure CODE from RECEIVED_AT (ISO 8601)"),
      N_("CODE") },
    { "online", 0, 0, G_OPTION_ARG_NONE, &online,
      N_("With --procedure, an online dossier: after the cut-off or on a day off it counts from "
         "the next working day"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autofree char *received = NULL;
  g_autofree char *due = NULL;
  MotcuaReplica *replica;
  MotcuaTimeUnit unit = MOTCUA_TIME_WORKING_DAYS;
  guint64 days = 0;

  if (!motcua_tool_parse_options (tool, entries, argc, argv, &args, error))
    return tool->help_shown;

  if (procedure_code != NULL)
    {
      g_autoptr(MotcuaProcedure) procedure = NULL;

      if (!motcua_tool_check_n_args (tool, (const char *const *) args, 1, 1, error))
        return FALSE;
      replica = motcua_cli_get_replica (tool, error);
      if (replica == NULL)
        return FALSE;
      procedure = motcua_replica_dup_procedure (replica, procedure_code, error);
      if (procedure == NULL)
        return FALSE;
      received = motcua_normalize_datetime (_("received at"), args[0], error);
      if (received == NULL)
        return FALSE;
      due = motcua_replica_compute_due_date_for_channel (replica, procedure_code, received,
                                                         online ? MOTCUA_CHANNEL_ONLINE
                                                                : MOTCUA_CHANNEL_COUNTER,
                                                         error);
      if (due == NULL)
        return FALSE;
      days = procedure->processing_days;
      unit = procedure->time_unit;
    }
  else
    {
      g_autoptr(MotcuaCalendar) calendar = NULL;
      GDate start, end;

      if (online)
        {
          motcua_set_usage_error (error, _("--online needs --procedure"));
          return FALSE;
        }
      if (!motcua_tool_check_n_args (tool, (const char *const *) args, 2, 2, error))
        return FALSE;
      if (!motcua_check_date (_("received date"), args[0], &start, error)
          || !motcua_parse_uint (_("days"), args[1], 1000000, &days, error))
        return FALSE;
      replica = motcua_cli_get_replica (tool, error);
      if (replica == NULL)
        return FALSE;
      calendar = motcua_replica_dup_calendar (replica, error);
      if (calendar == NULL)
        return FALSE;

      motcua_calendar_add_working_days (calendar, &start, (guint) days, &end);
      if (!g_date_valid (&end))
        {
          motcua_set_usage_error (error, _("%s working days after %s fall after the year "
                                           "9999"), args[1], args[0]);
          return FALSE;
        }
      received = g_strdup (args[0]);
      due = g_malloc (16);
      g_date_strftime (due, 16, "%Y-%m-%d", &end);
    }

  if (tool->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      motcua_json_add_string (builder, "received", received);
      motcua_json_add_string (builder, "procedure", procedure_code);
      /* "working_days" is the amount, kept under its old name; "time_unit" says its unit. */
      motcua_json_add_int (builder, "working_days", (gint64) days);
      motcua_json_add_string (builder, "time_unit", motcua_time_unit_to_string (unit));
      motcua_json_add_string (builder, "due_date", due);
      json_builder_end_object (builder);
      motcua_print_builder (builder);
    }
  else
    motcua_print ("%s\n", due);

  return TRUE;
}

const MotcuaCommand motcua_cli_calendar_commands[] = {
  { "import", N_("FILE"), N_("Import a published holiday calendar (JSON or CSV)"),
    cmd_calendar_import, NULL },
  { "holidays", N_("YEAR"), N_("List the weekdays off and the make-up working days of YEAR"),
    cmd_calendar_holidays, NULL },
  { "due", N_("RECEIVED_DATE DAYS | --procedure CODE RECEIVED_AT"),
    N_("Compute a due date in working days"), cmd_calendar_due, NULL },
  { NULL }
};
