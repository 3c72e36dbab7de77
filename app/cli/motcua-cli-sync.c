/* motcua-cli-sync.c: enroll, sync, sync status, conflicts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "motcua-cli-output.h"
#include "motcua-cli-private.h"
#include "motcua-shared-commands.h"

gboolean
motcua_cli_cmd_enroll (MotcuaTool  *tool,
                       int          argc,
                       char       **argv,
                       GError     **error)
{
  MotcuaCli *cli = MOTCUA_CLI (tool);
  g_autofree char *server = NULL;
  g_autofree char *token = NULL;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The provincial server"), N_("URL") },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token,
      N_("The token “motcua-server replicas enroll” printed"), N_("TOKEN") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(MotcuaReplica) replica = NULL;

  if (!motcua_tool_parse_args (tool, entries, 0, 0, argc, argv, &args, error))
    return tool->help_shown;
  if (server == NULL || token == NULL)
    {
      motcua_set_usage_error (error, _("enroll needs --server URL and --token TOKEN"));
      return FALSE;
    }

  if (!motcua_sync_enroll (cli->db_path, server, token, NULL, error))
    return FALSE;
  replica = motcua_replica_open (cli->db_path, error);
  if (replica == NULL)
    return FALSE;
  g_print (_("Enrolled %s (office %s) with %s. Run “motcua-cli sync” to sync.\n"),
           cli->db_path, motcua_replica_get_office_code (replica), server);

  return TRUE;
}

static void
print_progress (MotcuaSync               *sync,
                const MotcuaSyncProgress *p,
                gpointer                  user_data)
{
  MotcuaTool *tool = user_data;

  if (tool->json)
    return;
  g_printerr (_("sent %llu changes (%llu bytes, %u batches), received %llu (%llu bytes,"
                " %u batches)%s\n"),
              (unsigned long long) p->changes_sent, (unsigned long long) p->bytes_sent,
              p->batches_sent, (unsigned long long) p->changes_received,
              (unsigned long long) p->bytes_received, p->batches_received,
              p->more ? _(", more to come") : "");
}

static void
print_summary (MotcuaTool               *tool,
               const MotcuaSyncProgress *p)
{
  if (tool->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
#define INT_MEMBER(name, value) \
      json_builder_set_member_name (b, name); json_builder_add_int_value (b, (gint64) (value));
      INT_MEMBER ("changes_sent", p->changes_sent);
      INT_MEMBER ("changes_received", p->changes_received);
      INT_MEMBER ("bytes_sent", p->bytes_sent);
      INT_MEMBER ("bytes_received", p->bytes_received);
      INT_MEMBER ("batches_sent", p->batches_sent);
      INT_MEMBER ("batches_received", p->batches_received);
      INT_MEMBER ("rejected", p->rejected);
      INT_MEMBER ("conflicts", p->conflicts);
      INT_MEMBER ("purged", p->purged);
      INT_MEMBER ("restamped", p->restamped);
      INT_MEMBER ("clock_offset_ms", p->clock_offset_ms);
      INT_MEMBER ("attachments_sent", p->attachments_sent);
      INT_MEMBER ("attachments_received", p->attachments_received);
#undef INT_MEMBER
      json_builder_set_member_name (b, "verified");
      json_builder_add_boolean_value (b, p->verified);
      json_builder_set_member_name (b, "repulled");
      json_builder_add_boolean_value (b, p->repulled);
      json_builder_set_member_name (b, "recounted");
      json_builder_add_boolean_value (b, p->recounted);
      json_builder_set_member_name (b, "verify_deferred");
      json_builder_add_boolean_value (b, p->verify_deferred);
      json_builder_end_object (b);
      motcua_print_builder (b);
      return;
    }

  g_print (_("Up to date: sent %llu changes, received %llu; %llu bytes out, %llu bytes in.\n"),
           (unsigned long long) p->changes_sent, (unsigned long long) p->changes_received,
           (unsigned long long) p->bytes_sent, (unsigned long long) p->bytes_received);
  if (p->repulled)
    g_print (_("This replica differed from the server: its whole scope was pulled again.\n"));
  if (p->verified)
    g_print (_("Verified: this replica holds what the server holds for its office.\n"));
  if (p->verify_deferred)
    g_print (_("Not verified yet: changes were being made during the sync; the next sync"
               " checks.\n"));
  if (p->rejected > 0)
    g_print (_("%u changes were refused: see “motcua-cli sync status”.\n"), p->rejected);
  if (p->conflicts > 0)
    g_print (_("%u conflicts are open: see “motcua-cli conflicts list”.\n"), p->conflicts);
  if (p->purged > 0)
    g_print (_("%u cases left this office's jurisdiction and were removed here.\n"), p->purged);
  if (p->restamped > 0)
    g_print (_("This computer's clock was %.1f s off: %u pending changes were re-stamped.\n"),
             (double) p->clock_offset_ms / 1000.0, p->restamped);
  if (p->attachments_sent > 0 || p->attachments_received > 0)
    g_print (_("Scans: %u uploaded, %u downloaded.\n"), p->attachments_sent,
             p->attachments_received);
}

/* What the officer should know of a clock @offset_ms off the server's. */
static char *
clock_warning (gint64 offset_ms)
{
  gulong minutes = (gulong) ((ABS (offset_ms) + 30 * 1000) / (60 * 1000));

  if (offset_ms < 0)
    return g_strdup_printf (ngettext ("This computer's clock is %lu minute ahead of the"
                                      " server's: the times it writes are corrected by the"
                                      " server's clock. Set the clock right.",
                                      "This computer's clock is %lu minutes ahead of the"
                                      " server's: the times it writes are corrected by the"
                                      " server's clock. Set the clock right.", minutes),
                            minutes);

  return g_strdup_printf (ngettext ("This computer's clock is %lu minute behind the server's:"
                                    " the times it writes are corrected by the server's clock."
                                    " Set the clock right.",
                                    "This computer's clock is %lu minutes behind the server's:"
                                    " the times it writes are corrected by the server's clock."
                                    " Set the clock right.", minutes),
                          minutes);
}

/* One refused change, for scripts. */
static void
json_rejected (JsonBuilder          *b,
               const MotcuaRejected *r)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, (gint64) r->seq);
  motcua_json_add_string (b, "table", r->table);
  motcua_json_add_string (b, "row", r->row_id);
  motcua_json_add_string (b, "column", r->column);
  motcua_json_add_string (b, "receipt_no", r->receipt_no);
  motcua_json_add_string (b, "reason", r->reason);
  motcua_json_add_string (b, "at", r->at);
  json_builder_set_member_name (b, "gone");
  json_builder_add_boolean_value (b, r->gone);
  json_builder_set_member_name (b, "waiting");
  json_builder_add_boolean_value (b, r->waiting);
  json_builder_end_object (b);
}

/* The refused changes as a table: what each was, and why the server refused it. */
static void
print_rejected (GPtrArray *rejected)
{
  g_autoptr(MotcuaTable) table = motcua_table_new (_("SEQ"), _("RECORD"), _("FIELD"),
                                                   _("REASON"), NULL);

  for (guint i = 0; i < rejected->len; i++)
    {
      MotcuaRejected *r = rejected->pdata[i];
      g_autofree char *seq = g_strdup_printf ("%" G_GUINT64_FORMAT, r->seq);
      g_autofree char *record = g_strdup_printf ("%s %s", r->table ? r->table : "?",
                                                 r->receipt_no ? r->receipt_no
                                                 : r->row_id ? r->row_id : "?");

      /* A whole row of a timeline or a scan has no field. */
      motcua_table_add_row (table, seq, record, r->column ? r->column : _("(whole row)"),
                            r->reason);
    }
  motcua_table_print (table, 0);
}

static gboolean
cmd_sync_status (MotcuaTool  *tool,
                 int          argc,
                 char       **argv,
                 GError     **error)
{
  MotcuaReplica *replica;
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  g_autofree char *server = NULL;
  g_autofree char *desk = NULL;
  gint64 pending, conflicts, offset;

  tool->json_errors = TRUE;
  replica = motcua_tool_parse_and_open (tool, NULL, 0, 0, argc, argv, &args, error);
  if (replica == NULL)
    return tool->help_shown;
  server = motcua_replica_dup_server_url (replica);
  desk = motcua_replica_dup_desk_code (replica);
  pending = motcua_replica_count_pending (replica, error);
  conflicts = motcua_replica_count_conflicts (replica, error);
  rejected = motcua_replica_list_rejected (replica, error);
  if (pending < 0 || conflicts < 0 || rejected == NULL)
    return FALSE;
  offset = motcua_replica_get_clock_offset_ms (replica);

  if (tool->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "server");
      if (server != NULL)
        json_builder_add_string_value (b, server);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "desk");
      if (desk != NULL)
        json_builder_add_string_value (b, desk);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "pending");
      json_builder_add_int_value (b, pending);
      json_builder_set_member_name (b, "conflicts");
      json_builder_add_int_value (b, conflicts);
      json_builder_set_member_name (b, "clock_offset_ms");
      json_builder_add_int_value (b, offset);
      json_builder_set_member_name (b, "clock_off");
      json_builder_add_boolean_value (b, ABS (offset) > MOTCUA_CLOCK_WARNING_MS);
      json_builder_set_member_name (b, "rejected");
      json_builder_begin_array (b);
      for (guint i = 0; i < rejected->len; i++)
        json_rejected (b, rejected->pdata[i]);
      json_builder_end_array (b);
      json_builder_end_object (b);
      motcua_print_builder (b);
      return TRUE;
    }

  {
    g_autoptr(MotcuaTable) fields = motcua_table_new_fields ();

    motcua_table_add_field (fields, _("Server"), server ? server : _("not enrolled"));
    if (desk != NULL)
      motcua_table_add_field (fields, _("Desk code"), desk);
    motcua_table_take_field (fields, _("Pending"),
                             g_strdup_printf ("%" G_GINT64_FORMAT, pending));
    motcua_table_take_field (fields, _("Refused by the server"),
                             g_strdup_printf ("%u", rejected->len));
    motcua_table_take_field (fields, _("Open conflicts"),
                             g_strdup_printf ("%" G_GINT64_FORMAT, conflicts));
    /* Translators: the server's clock minus this computer's, in seconds. */
    motcua_table_take_field (fields, _("Clock offset"),
                             g_strdup_printf (_("%+.0f s from the server's"),
                                              (double) offset / 1000.0));
    motcua_table_print (fields, 0);
  }
  if (ABS (offset) > MOTCUA_CLOCK_WARNING_MS)
    {
      g_autofree char *warning = clock_warning (offset);

      g_print ("\n%s\n", warning);
    }
  if (rejected->len > 0)
    {
      g_print ("\n%s\n", _("Refused by the server (retry or discard each: see"
                            " “motcua-cli rejected --help”):"));
      print_rejected (rejected);
    }

  return TRUE;
}

typedef struct
{
  MotcuaTool *tool;
  GMainLoop  *loop;
  GError    **error;
  gboolean    ok;
} Watch;

static void
watch_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Watch *watch = user_data;
  g_autoptr(GError) error = NULL;
  MotcuaSyncProgress p;

  if (motcua_sync_run_finish (MOTCUA_SYNC (source), result, &p, &error))
    print_summary (watch->tool, &p);
  else
    {
      g_printerr (_("Sync failed: %s\n"), error->message);
      /* One JSON value per round, failed or not: a script reads them one after another. */
      if (watch->tool->json)
        motcua_print_json_error (error);
    }
}

static void
watch_state (MotcuaSync *sync,
             GParamSpec *pspec,
             gpointer    user_data)
{
  g_printerr (_("Sync: %s\n"), motcua_sync_status_to_string (motcua_sync_get_state (sync)));
}

static gboolean
watch_stop (gpointer user_data)
{
  g_main_loop_quit (((Watch *) user_data)->loop);

  return G_SOURCE_REMOVE;
}

gboolean
motcua_cli_cmd_sync (MotcuaTool  *tool,
                     int          argc,
                     char       **argv,
                     GError     **error)
{
  MotcuaCli *cli = MOTCUA_CLI (tool);
  g_autofree char *watch_text = NULL;
  const GOptionEntry entries[] = {
    { "watch", 0, 0, G_OPTION_ARG_STRING, &watch_text,
      N_("Keep syncing every N seconds, and as soon as the network returns"), N_("N") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(MotcuaSync) sync = NULL;
  MotcuaSyncProgress p;
  guint64 interval = 0;

  /* A script that asked for JSON reads JSON on failure too. */
  tool->json_errors = TRUE;
  if (!motcua_tool_parse_args (tool, entries, 0, 0, argc, argv, &args, error))
    return tool->help_shown;
  if (watch_text != NULL
      && (!motcua_parse_uint ("--watch", watch_text, 86400, &interval, error)
          || interval == 0))
    {
      if (error != NULL && *error == NULL)
        motcua_set_usage_error (error, _("--watch: give a number of seconds from 1"));
      return FALSE;
    }
  if (!g_file_test (cli->db_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                   _("%s does not exist: enroll it first"), cli->db_path);
      return FALSE;
    }

  sync = motcua_sync_new (cli->db_path);
  g_signal_connect (sync, "progress", G_CALLBACK (print_progress), cli);

  if (interval == 0)
    {
      if (!motcua_sync_run (sync, NULL, &p, error))
        return FALSE;
      print_summary (tool, &p);
      return TRUE;
    }

  {
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
    Watch watch = { tool, loop, error, TRUE };

    g_signal_connect (sync, "notify::state", G_CALLBACK (watch_state), NULL);
    g_unix_signal_add (SIGINT, watch_stop, &watch);
    g_unix_signal_add (SIGTERM, watch_stop, &watch);
    motcua_sync_set_auto (sync, (guint) interval);
    motcua_sync_run_async (sync, NULL, watch_done, &watch);
    g_main_loop_run (loop);
    motcua_sync_set_auto (sync, 0);
  }

  return TRUE;
}

const MotcuaCommand motcua_cli_sync_commands[] = {
  { "status", NULL, N_("Show what waits to be synced, what the server refused, and the open "
                       "conflicts"), cmd_sync_status, NULL },
  { NULL }
};

/* Conflicts */

/* The offices' codes by their ids. A conflict holds values as stored, and an office is stored
 * by its id; people know offices by their codes, as everywhere else in this tool. */
static GHashTable *
office_codes_new (MotcuaReplica  *replica,
                  GError        **error)
{
  g_autoptr(GPtrArray) offices = motcua_replica_list_offices (replica, error);
  GHashTable *codes;

  if (offices == NULL)
    return NULL;
  codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < offices->len; i++)
    {
      const MotcuaOffice *office = g_ptr_array_index (offices, i);

      g_hash_table_insert (codes, g_strdup (office->id), g_strdup (office->code));
    }

  return codes;
}

/* The code of the office @text is the id of, or NULL. */
static const char *
office_code (GHashTable *codes,
             const char *text)
{
  return text != NULL ? g_hash_table_lookup (codes, text) : NULL;
}

/* @text as people read it: an office's id as its code. */
static const char *
display_value (GHashTable *codes,
               const char *text)
{
  const char *code = office_code (codes, text);

  return code != NULL ? code : text;
}

/* The record of a conflict: a case by its receipt number, an office by its code. */
static const char *
display_record (GHashTable           *codes,
                const MotcuaConflict *k)
{
  return k->receipt_no != NULL ? k->receipt_no : display_value (codes, k->row_id);
}

static void
print_conflict (MotcuaTool           *tool,
                const MotcuaConflict *k,
                GHashTable           *codes)
{
  g_autoptr(MotcuaTable) fields = motcua_table_new_fields ();
  const MotcuaConflictSide *sides[2] = { &k->a, &k->b };

  motcua_table_add_field (fields, _("Conflict"), k->id);
  motcua_table_take_field (fields, _("Field"), g_strdup_printf ("%s.%s", k->table,
                                                                k->column));
  motcua_table_add_field (fields, _("Record"), display_record (codes, k));
  for (guint s = 0; s < 2; s++)
    {
      g_autofree char *label = g_strdup_printf (s == 0 ? _("Value a%s") : _("Value b%s"),
                                                k->winner == (s == 0 ? 'a' : 'b')
                                                ? _(" (kept for now)") : "");
      const char *value = display_value (codes, sides[s]->value);

      motcua_table_take_field (fields, label,
                               g_strdup_printf (_("%s — %s, desk %.8s, %s"),
                                                value ? value : "—",
                                                sides[s]->office ? sides[s]->office : "?",
                                                sides[s]->replica ? sides[s]->replica : "?",
                                                sides[s]->at));
    }
  motcua_table_add_field (fields, _("Detected"), k->detected_at);
  motcua_table_add_field (fields, _("Resolved"),
                          k->resolved ? display_value (codes, k->resolution) : _("no"));
  motcua_table_print (fields, 0);
}

/* The values stay as stored, for scripts (and for resolve --value); "value_office" adds the
 * code of an office a value names. */
static void
json_conflict (JsonBuilder          *b,
               const MotcuaConflict *k,
               GHashTable           *codes)
{
  const MotcuaConflictSide *sides[2] = { &k->a, &k->b };

  json_builder_begin_object (b);
  motcua_json_add_string (b, "id", k->id);
  motcua_json_add_string (b, "table", k->table);
  motcua_json_add_string (b, "row", k->row_id);
  motcua_json_add_string (b, "column", k->column);
  motcua_json_add_string (b, "receipt_no", k->receipt_no);
  for (guint s = 0; s < 2; s++)
    {
      json_builder_set_member_name (b, s == 0 ? "a" : "b");
      json_builder_begin_object (b);
      motcua_json_add_string (b, "value", sides[s]->value);
      if (office_code (codes, sides[s]->value) != NULL)
        motcua_json_add_string (b, "value_office", office_code (codes, sides[s]->value));
      motcua_json_add_string (b, "at", sides[s]->at);
      motcua_json_add_string (b, "replica", sides[s]->replica);
      motcua_json_add_string (b, "office", sides[s]->office);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "winner");
  json_builder_add_string_value (b, k->winner == 'a' ? "a" : "b");
  json_builder_set_member_name (b, "resolved");
  json_builder_add_boolean_value (b, k->resolved);
  motcua_json_add_string (b, "resolution", k->resolution);
  json_builder_end_object (b);
}

static gboolean
cmd_conflicts_list (MotcuaTool  *tool,
                    int          argc,
                    char       **argv,
                    GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) codes = NULL;
  MotcuaReplica *replica = NULL;
  gboolean all;

  list = motcua_tool_list_conflicts (tool, argc, argv, N_("Include resolved conflicts"),
                                     &replica, &all, error);
  if (list == NULL)
    return replica == NULL && tool->help_shown;
  if ((codes = office_codes_new (replica, error)) == NULL)
    return FALSE;

  if (tool->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        json_conflict (b, list->pdata[i], codes);
      json_builder_end_array (b);
      motcua_print_builder (b);
      return TRUE;
    }

  {
    g_autoptr(MotcuaTable) table = motcua_table_new (_("ID"), _("RECORD"), _("FIELD"),
                                                     _("VALUE A"), _("VALUE B"),
                                                     _("RESOLVED"), NULL);

    for (guint i = 0; i < list->len; i++)
      {
        MotcuaConflict *k = list->pdata[i];
        g_autofree char *id = g_strndup (k->id, 8);

        motcua_table_add_row (table, id, display_record (codes, k), k->column,
                              display_value (codes, k->a.value),
                              display_value (codes, k->b.value),
                              k->resolved ? display_value (codes, k->resolution) : _("no"));
      }
    motcua_table_print (table, 0);
  }

  return TRUE;
}

static gboolean
cmd_conflicts_show (MotcuaTool  *tool,
                    int          argc,
                    char       **argv,
                    GError     **error)
{
  g_autoptr(MotcuaConflict) k = NULL;
  g_autoptr(GHashTable) codes = NULL;
  MotcuaReplica *replica = NULL;

  k = motcua_tool_dup_conflict (tool, argc, argv, &replica, error);
  if (k == NULL)
    return replica == NULL && tool->help_shown;
  if ((codes = office_codes_new (replica, error)) == NULL)
    return FALSE;

  if (tool->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_conflict (b, k, codes);
      motcua_print_builder (b);
    }
  else
    print_conflict (tool, k, codes);

  return TRUE;
}

static gboolean
cmd_conflicts_resolve (MotcuaTool  *tool,
                       int          argc,
                       char       **argv,
                       GError     **error)
{
  g_autoptr(MotcuaConflict) resolved = motcua_tool_resolve_conflict (tool, argc, argv, error);

  if (resolved == NULL)
    return tool->help_shown;
  if (!tool->json)
    g_print (_("Resolved. The resolution reaches the other replicas at the next sync.\n"));

  return TRUE;
}

const MotcuaCommand motcua_cli_conflicts_commands[] = {
  { "list", NULL, N_("List the open conflicts"), cmd_conflicts_list, NULL },
  { "show", N_("ID"), N_("Show both values of a conflict, with who wrote them and when"),
    cmd_conflicts_show, NULL },
  { "resolve", N_("ID"), N_("Resolve a conflict: --keep a, --keep b or --value TEXT"),
    cmd_conflicts_resolve, NULL },
  { NULL }
};


/* Refused changes */

static gboolean
cmd_rejected_list (MotcuaTool  *tool,
                   int          argc,
                   char       **argv,
                   GError     **error)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  MotcuaReplica *replica;

  tool->json_errors = TRUE;
  replica = motcua_tool_parse_and_open (tool, NULL, 0, 0, argc, argv, &args, error);
  if (replica == NULL)
    return tool->help_shown;
  if ((rejected = motcua_replica_list_rejected (replica, error)) == NULL)
    return FALSE;

  if (tool->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < rejected->len; i++)
        json_rejected (b, rejected->pdata[i]);
      json_builder_end_array (b);
      motcua_print_builder (b);
      return TRUE;
    }

  if (rejected->len == 0)
    {
      g_print (_("The server refused none of this replica's changes.\n"));
      return TRUE;
    }
  print_rejected (rejected);

  return TRUE;
}

/* retry and discard: SEQ, then the library does the rest. */
static gboolean
run_rejected_action (MotcuaTool  *tool,
                     int          argc,
                     char       **argv,
                     gboolean     retry,
                     GError     **error)
{
  g_auto(GStrv) args = NULL;
  MotcuaReplica *replica;
  guint64 seq;

  if (!motcua_tool_parse_options (tool, NULL, argc, argv, &args, error))
    return tool->help_shown;
  if (!motcua_tool_check_n_args (tool, (const char *const *) args, 1, 1, error)
      || !motcua_parse_uint ("SEQ", args[0], G_MAXINT64, &seq, error))
    return FALSE;
  replica = motcua_cli_get_replica (tool, error);
  if (replica == NULL
      || !(retry ? motcua_replica_retry_rejected (replica, seq, error)
                 : motcua_replica_discard_rejected (replica, seq, error)))
    return FALSE;
  if (!tool->json)
    g_print (retry ? _("Change %llu will be sent again at the next sync.\n")
                   : _("Change %llu is given up: the next sync takes the server's values"
                       " back.\n"), (unsigned long long) seq);

  return TRUE;
}

static gboolean
cmd_rejected_retry (MotcuaTool  *tool,
                    int          argc,
                    char       **argv,
                    GError     **error)
{
  return run_rejected_action (tool, argc, argv, TRUE, error);
}

static gboolean
cmd_rejected_discard (MotcuaTool  *tool,
                      int          argc,
                      char       **argv,
                      GError     **error)
{
  return run_rejected_action (tool, argc, argv, FALSE, error);
}

const MotcuaCommand motcua_cli_rejected_commands[] = {
  { "list", NULL, N_("List the changes the server refused, with its reasons"),
    cmd_rejected_list, NULL },
  { "retry", N_("SEQ"), N_("Send a refused change again, as it is now, after fixing its cause"),
    cmd_rejected_retry, NULL },
  { "discard", N_("SEQ"), N_("Give a refused change up and take the server's values back at"
                             " the next sync"), cmd_rejected_discard, NULL },
  { NULL }
};
