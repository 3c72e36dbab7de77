/* test-sync-crash-check.c: test-sync-crash's checks of the replicas and server against the model
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "motcua-test-server.h"
#include "motcua-test-utils.h"
#include "test-sync-crash.h"

/* Checks against the model */

#define SERVER N_REPLICAS

typedef struct
{
  char *id;
  char *name;
  char *phone;
  char *address;
  char *status;
  char *handling;
} Row;

static void
row_free (Row *row)
{
  g_free (row->id);
  g_free (row->name);
  g_free (row->phone);
  g_free (row->address);
  g_free (row->status);
  g_free (row->handling);
  g_free (row);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* The cases in the file at @path by receipt number, each there once. */
static GHashTable *
load_cases (const char *path)
{
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) row_free);
  sqlite3 *db = db_open (path);
  sqlite3_stmt *stmt = db_prepare (db, "SELECT c.receipt_no, lower (hex (c.id)),"
                                   " c.applicant_name, c.phone, c.address, c.status, o.code"
                                   " FROM cases c LEFT JOIN offices o"
                                   " ON o.id = c.handling_office_id");
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row *row = g_new0 (Row, 1);
      char *receipt = column_text (stmt, 0);

      row->id = column_text (stmt, 1);
      row->name = column_text (stmt, 2);
      row->phone = column_text (stmt, 3);
      row->address = column_text (stmt, 4);
      row->status = column_text (stmt, 5);
      row->handling = column_text (stmt, 6);
      g_assert_nonnull (receipt);
      if (g_hash_table_contains (rows, receipt))
        g_error ("%s: receipt number %s twice", path, receipt);
      g_hash_table_insert (rows, receipt, row);
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return rows;
}

/* Whether @c belongs on replica @where (or the server). A refused case stays where it was
 * made, and nowhere else. */
static gboolean
expected_on (const Case *c,
             guint       where)
{
  if (c->refused)
    return where == c->creator;
  if (where == SERVER || where == D)
    return TRUE;

  return c->receiving == where || c->handling == where;
}

static void
check_cases (Epoch *e)
{
  GHashTable *rows[N_REPLICAS + 1];

  for (guint w = 0; w <= SERVER; w++)
    rows[w] = load_cases (w == SERVER ? e->store : e->db[w]);

  for (guint w = 0; w <= SERVER; w++)
    {
      const char *where = w == SERVER ? e->store : e->db[w];
      guint expected = 0;

      for (guint i = 0; i < e->cases->len; i++)
        {
          const Case *c = e->cases->pdata[i];
          Row *row = g_hash_table_lookup (rows[w], c->receipt);

          if (!expected_on (c, w))
            {
              if (row != NULL)
                g_error ("%s holds %s, which is not its to hold", where, c->receipt);
              continue;
            }
          expected++;
          if (row == NULL)
            g_error ("%s lost %s", where, c->receipt);
          g_assert_cmpstr (row->name, ==, c->name);
          g_assert_cmpstr (row->phone, ==, c->phone);
          g_assert_cmpstr (row->address, ==, c->address);
          g_assert_cmpstr (row->status, ==, steps[c->step]);
          g_assert_cmpstr (row->handling, ==, replica_info[c->handling].office);
          /* One id everywhere. */
          if (!c->refused)
            g_assert_cmpstr (row->id, ==,
                             ((Row *) g_hash_table_lookup (rows[SERVER], c->receipt))->id);
        }
      /* Nothing else: no case twice under two ids, none out of nowhere. */
      g_assert_cmpuint (g_hash_table_size (rows[w]), ==, expected);
    }

  for (guint w = 0; w <= SERVER; w++)
    g_hash_table_unref (rows[w]);
}

/* Each change once: every replica's log whole, every accepted change once in the server's
 * log and acknowledged, every refused one kept on its replica as rejected. */
static void
check_changes (Epoch *e)
{
  sqlite3 *server = db_open (e->store);

  for (guint r = 0; r < N_REPLICAS; r++)
    {
      sqlite3 *db = db_open (e->db[r]);
      sqlite3_stmt *stmt;
      gint64 last = db_int (db, "SELECT coalesce (max (seq + n - 1), 0) FROM changes"
                                " WHERE origin = 1");
      gint64 rejected = db_int (db, "SELECT count(*) FROM rejected");
      /* The changes of the cases made for the other commune, and of their timelines. */
      gint64 refused = db_int (db, "SELECT coalesce (sum (n), 0) FROM changes ch"
                                   " WHERE ch.origin = 1 AND ("
                                   " (ch.tbl = 4 AND ch.row_id IN (SELECT id FROM cases"
                                   "   WHERE receipt_no LIKE 'OOS-%'))"
                                   " OR (ch.tbl = 5 AND ch.row_id IN (SELECT e.id FROM case_events e"
                                   "   JOIN cases c ON c.id = e.case_id"
                                   "   WHERE c.receipt_no LIKE 'OOS-%')))");
      gint64 acked, logged;

      g_assert_cmpint (db_int (db, "SELECT coalesce (sum (n), 0) FROM changes WHERE origin = 1"),
                       ==, last);
      g_assert_cmpint (rejected, ==, refused);
      g_assert_cmpint (db_int (db, "SELECT count(*) FROM rejected r WHERE NOT EXISTS"
                                   " (SELECT 1 FROM changes ch JOIN cases c ON c.id = ch.row_id"
                                   "  WHERE ch.origin = 1 AND ch.tbl = 4"
                                   "  AND r.seq BETWEEN ch.seq AND ch.seq + ch.n - 1"
                                   "  AND c.receipt_no LIKE 'OOS-%')"
                                   " AND NOT EXISTS"
                                   " (SELECT 1 FROM changes ch JOIN case_events ev"
                                   "  ON ev.id = ch.row_id JOIN cases c ON c.id = ev.case_id"
                                   "  WHERE ch.origin = 1 AND ch.tbl = 5"
                                   "  AND r.seq BETWEEN ch.seq AND ch.seq + ch.n - 1"
                                   "  AND c.receipt_no LIKE 'OOS-%')"), ==, 0);

      stmt = db_prepare (db, "SELECT uuid FROM origins WHERE idx = 1");
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      {
        sqlite3_stmt *q = db_prepare (server, "SELECT acked_seq, (SELECT count(*) FROM hub_log"
                                              " WHERE origin = ?1 AND kind = 0)"
                                              " FROM hub_replicas WHERE replica_id = ?1");

        sqlite3_bind_blob (q, 1, sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0),
                           SQLITE_TRANSIENT);
        g_assert_cmpint (sqlite3_step (q), ==, SQLITE_ROW);
        acked = sqlite3_column_int64 (q, 0);
        logged = sqlite3_column_int64 (q, 1);
        sqlite3_finalize (q);
      }
      sqlite3_finalize (stmt);
      sqlite3_close (db);

      g_test_message ("%s: %" G_GINT64_FORMAT " changes, %" G_GINT64_FORMAT " refused",
                      replica_info[r].name, last, rejected);
      g_assert_cmpint (acked, ==, last);
      g_assert_cmpint (logged, ==, last - rejected);
    }
  sqlite3_close (server);
}

/* A canonical export's rows in @office's scope: each table's name, then its rows, a line
 * each. */
static char *
scoped_export (const char *text,
               const char *office)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) offices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) cases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *below = g_strconcat (office, ".", NULL);
  GPtrArray *rows = NULL;
  static const char *const order[] = { "offices", "cases" };

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];

      if (line[0] == '"')
        {
          char *name = g_strndup (line + 1, strcspn (line + 1, "\""));

          rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
          g_ptr_array_add (names, name);
          g_hash_table_insert (tables, name, rows);
        }
      else if (line[0] == '{' && rows != NULL)
        {
          gsize len = strlen (line);
          g_autoptr(GError) error = NULL;

          if (len > 0 && line[len - 1] == ',')
            line[--len] = '\0';
          g_ptr_array_add (rows, json_from_string (line, &error));
          g_assert_no_error (error);
        }
    }

  /* Offices first, then cases, then what hangs on cases. */
  for (guint o = 0; o < G_N_ELEMENTS (order); o++)
    {
      rows = g_hash_table_lookup (tables, order[o]);
      g_assert_nonnull (rows);
      for (guint i = 0; i < rows->len; i++)
        {
          JsonObject *row = json_node_get_object (rows->pdata[i]);
          const char *id = json_object_get_string_member (row, "id");

          if (o == 0)
            {
              const char *code = json_object_get_string_member (row, "code");

              if (g_str_equal (code, office) || g_str_has_prefix (code, below))
                g_hash_table_add (offices, g_strdup (id));
            }
          else if (g_hash_table_contains (offices, json_object_get_string_member_with_default (
                                            row, "receiving_office_id", ""))
                   || g_hash_table_contains (offices,
                                             json_object_get_string_member_with_default (
                                               row, "handling_office_id", "")))
            g_hash_table_add (cases, g_strdup (id));
        }
    }

  for (guint t = 0; t < names->len; t++)
    {
      const char *name = names->pdata[t];
      gboolean per_case = g_str_equal (name, "cases") || g_str_equal (name, "case_events")
                          || g_str_equal (name, "attachments") || g_str_equal (name, "conflicts");

      rows = g_hash_table_lookup (tables, name);
      g_string_append_printf (out, "%s\n", name);
      for (guint i = 0; i < rows->len; i++)
        {
          JsonObject *row = json_node_get_object (rows->pdata[i]);
          const char *key = g_str_equal (name, "cases") ? "id" : "case_id";
          g_autofree char *row_text = NULL;

          if (per_case)
            {
              JsonNode *node = json_object_get_member (row, key);

              if (node != NULL && !JSON_NODE_HOLDS_NULL (node)
                  && !g_hash_table_contains (cases, json_node_get_string (node)))
                continue;
              if ((node == NULL || JSON_NODE_HOLDS_NULL (node)) && !g_str_equal (name, "conflicts"))
                continue;
            }
          row_text = json_to_string (rows->pdata[i], FALSE);
          g_string_append_printf (out, "%s\n", row_text);
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_same_text (const char *what,
                  const char *ours,
                  const char *theirs)
{
  gsize line = 1;

  if (g_str_equal (ours, theirs))
    return;
  for (gsize i = 0; ours[i] == theirs[i]; i++)
    if (ours[i] == '\n')
      line++;
  {
    g_auto(GStrv) a = g_strsplit (ours, "\n", -1);
    g_auto(GStrv) b = g_strsplit (theirs, "\n", -1);

    g_error ("%s differs from the server's at line %" G_GSIZE_FORMAT ":\n%s\nthe server's:\n%s",
             what, line, line - 1 < g_strv_length (a) ? a[line - 1] : "(end)",
             line - 1 < g_strv_length (b) ? b[line - 1] : "(end)");
  }
}

void
verify_epoch (Run   *run,
              Epoch *e)
{
  char *exports[N_REPLICAS] = { NULL };
  g_autofree char *server_export = NULL;

  /* Twice around: what B wrote to the cases it took over reaches A too. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint r = 0; r < N_REPLICAS; r++)
      clean_sync (e, r);

  for (guint r = 0; r < N_REPLICAS; r++)
    {
      g_autofree char *out = cli (e, e->db[r], "--json", "sync", "status", NULL);
      g_autoptr(JsonNode) root = motcua_test_parse_json (out, -1);
      JsonObject *o = json_node_get_object (root);

      g_assert_cmpint (json_object_get_int_member (o, "pending"), ==, 0);
      g_assert_cmpint (json_object_get_int_member (o, "conflicts"), ==, 0);
      exports[r] = cli (e, e->db[r], "export", "--canonical", NULL);
    }

  server_stop (e);
  assert_all_integrity (e);
  server_export = cli (e, e->store, "export", "--canonical", NULL);

  for (guint r = 0; r < N_REPLICAS; r++)
    {
      g_autofree char *ours = scoped_export (exports[r], replica_info[r].office);
      g_autofree char *theirs = scoped_export (server_export, replica_info[r].office);

      assert_same_text (e->db[r], ours, theirs);
      g_free (exports[r]);
    }

  check_cases (e);
  check_changes (e);
}
