/* test-converge-check.c: test-converge's checks: every replica agrees with the hub, nothing lost
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "motcua-hub-private.h"
#include "motcua-protocol-private.h"
#include "motcua-replica-private.h"
#include "motcua-test-transport.h"
#include "motcua-test-utils.h"
#include "test-converge.h"

/* Checking */

static gboolean
office_under (GHashTable *parents,
              const char *office_id,
              const char *top_id)
{
  for (guint depth = 0; office_id != NULL && depth < 16; depth++)
    {
      if (g_str_equal (office_id, top_id))
        return TRUE;
      office_id = g_hash_table_lookup (parents, office_id);
    }

  return FALSE;
}

static const char *
member_string (JsonObject *row,
               const char *name)
{
  JsonNode *node = json_object_get_member (row, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

/* Each table's rows, one serialized row per entry, in the export's order; restricted to the
 * scope of @office_code when it is not NULL, without the cases in @excluded (ids) and what
 * belongs to them. Written from the export alone, not from the library's scope code, so that
 * it checks that code rather than repeating it. */
GHashTable *
export_rows_but (MotcuaReplica *replica,
                 const char    *office_code,
                 GHashTable    *excluded)
{
  g_autofree char *text = motcua_test_export (replica);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) parents = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) cases = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_ptr_array_unref);
  JsonObject *tables;
  JsonArray *offices;
  const char *top_id = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  tables = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "tables");

  offices = json_object_get_array_member (tables, "offices");
  for (guint i = 0; i < json_array_get_length (offices); i++)
    {
      JsonObject *o = json_array_get_object_element (offices, i);

      g_hash_table_insert (parents, (gpointer) member_string (o, "id"),
                           (gpointer) member_string (o, "parent_id"));
      if (g_strcmp0 (member_string (o, "code"), office_code) == 0)
        top_id = member_string (o, "id");
    }
  g_assert_true (office_code == NULL || top_id != NULL);

  /* Cases first: the rows that belong to a case follow it. */
  {
    g_autoptr(GList) names = json_object_get_members (tables);

    names = g_list_sort (names, (GCompareFunc) g_strcmp0);
    for (guint pass = 0; pass < 2; pass++)
      for (GList *l = names; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonArray *rows = json_object_get_array_member (tables, name);
          GPtrArray *kept;

          if ((pass == 0) != g_str_equal (name, "cases"))
            continue;
          kept = g_ptr_array_new_with_free_func (g_free);
          for (guint i = 0; i < json_array_get_length (rows); i++)
            {
              JsonNode *row_node = json_array_get_element (rows, i);
              JsonObject *row = json_node_get_object (row_node);
              gboolean in = TRUE;

              if (excluded != NULL
                  && (g_hash_table_contains (excluded, member_string (row, "id") ?: "")
                      || g_hash_table_contains (excluded, member_string (row, "case_id") ?: "")))
                in = FALSE;
              else if (top_id == NULL)
                in = TRUE;
              else if (g_str_equal (name, "cases"))
                {
                  /* The receiving office holds a case until the deciding office has handed
                   * its result back, when that office does. */
                  gboolean released = member_string (row, "returned_at") != NULL
                                      && g_strcmp0 (member_string (row, "return_at"),
                                                    "deciding") == 0;

                  in = (!released
                        && office_under (parents, member_string (row, "receiving_office_id"),
                                         top_id))
                       || office_under (parents, member_string (row, "handling_office_id"),
                                        top_id);
                  if (in)
                    g_hash_table_add (cases, (gpointer) member_string (row, "id"));
                }
              else if (member_string (row, "case_id") != NULL)
                in = g_hash_table_contains (cases, member_string (row, "case_id"));

              if (in)
                g_ptr_array_add (kept, json_to_string (row_node, FALSE));
            }
          g_hash_table_insert (out, g_strdup (name), kept);
        }
  }

  return out;
}

GHashTable *
export_rows (MotcuaReplica *replica,
             const char    *office_code)
{
  return export_rows_but (replica, office_code, NULL);
}

/* The ids (text) of the cases @node was told are not its own when the server refused its
 * writes to them, and of the rows of timelines and scans the server refused: it keeps them,
 * marked rejected, and they differ from the server's by design. */
GHashTable *
gone_cases (Node *node)
{
  GHashTable *gone = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (node->f.path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  /* With them, the rows of timelines and scans whose own writing was refused. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT DISTINCT gone FROM rejected"
                                           " WHERE gone IS NOT NULL"
                                           " UNION SELECT id FROM case_events"
                                           " WHERE _seq IN (SELECT seq FROM rejected)"
                                           " UNION SELECT id FROM attachments"
                                           " WHERE _seq IN (SELECT seq FROM rejected)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char text[37];

      motcua_uuid_to_string (sqlite3_column_blob (stmt, 0), text);
      g_hash_table_add (gone, g_strdup (text));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return gone;
}

void
assert_same_rows (World      *w,
                  Node       *node,
                  GHashTable *expected,
                  GHashTable *actual)
{
  GHashTableIter iter;
  const char *table;
  GPtrArray *want;

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, (gpointer *) &table, (gpointer *) &want))
    {
      GPtrArray *got = g_hash_table_lookup (actual, table);

      g_assert_nonnull (got);
      for (guint i = 0; i < MAX (want->len, got->len); i++)
        {
          const char *a = i < want->len ? want->pdata[i] : "(nothing)";
          const char *b = i < got->len ? got->pdata[i] : "(nothing)";

          if (strcmp (a, b) != 0)
            g_error ("seed %u: %s differs from the hub in %s, row %u:\n  hub:     %s\n"
                     "  replica: %s\nthe files stay: hub %s, replica %s", w->seed, node->office,
                     table, i, a, b, w->hub.path, node->f.path);
        }
    }
}

/* A case outside the replica's scope stays on it only while the server has refused a change
 * of its to it: the officer sees the record as rejected, with the reason. Anything else that
 * left the scope was purged. */
void
assert_only_refused_left (World *w,
                          Node  *node)
{
  g_autoptr(GHashTable) all = export_rows (node->f.replica, NULL);
  g_autoptr(GHashTable) scoped = export_rows (node->f.replica, node->office);
  g_autoptr(GHashTable) in_scope = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) refused = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) gone = gone_cases (node);
  g_autoptr(GPtrArray) rejected = motcua_replica_list_rejected (node->f.replica, NULL);
  GPtrArray *all_cases = g_hash_table_lookup (all, "cases");
  GPtrArray *scoped_cases = g_hash_table_lookup (scoped, "cases");

  g_assert_nonnull (rejected);
  for (guint i = 0; i < scoped_cases->len; i++)
    g_hash_table_add (in_scope, scoped_cases->pdata[i]);
  for (guint i = 0; i < rejected->len; i++)
    {
      MotcuaRejected *r = rejected->pdata[i];

      if (r->receipt_no != NULL)
        g_hash_table_add (refused, r->receipt_no);
    }

  for (guint i = 0; i < all_cases->len; i++)
    {
      const char *row = all_cases->pdata[i];
      g_autoptr(JsonNode) node_json = NULL;
      const char *receipt;

      if (g_hash_table_contains (in_scope, row))
        continue;
      node_json = json_from_string (row, NULL);
      receipt = member_string (json_node_get_object (node_json), "receipt_no");
      if (g_hash_table_contains (gone, member_string (json_node_get_object (node_json), "id")))
        continue;
      if (receipt == NULL || !g_hash_table_contains (refused, receipt))
        g_error ("seed %u: %s still holds case %s, out of its scope, with nothing refused:\n"
                 "  %s", w->seed, node->office, receipt, row);
    }
}

static sqlite3 *
open_db (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);

  return db;
}

static gint64
query_int (sqlite3    *db,
           const char *sql,
           const void *blob,
           gint64      n)
{
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (blob != NULL)
    sqlite3_bind_blob (stmt, 1, blob, 16, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, blob != NULL ? 2 : 1, n);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return v;
}

/* Every change @node made up to what the hub acknowledged is in the hub's log once, or was
 * refused: kept on the replica as refused, or, if it waited for a case the restored hub did not
 * hold, sent again since (as a new change, itself checked here). */
void
assert_nothing_lost (World *w,
                     Node  *node)
{
  sqlite3 *hub = open_db (w->hub.path);
  sqlite3 *mine = open_db (node->f.path);
  guint64 acked = _motcua_replica_get_acked (node->f.replica);
  MotcuaUuid origin;

  g_assert_cmpuint (acked, ==, motcua_replica_get_last_seq (node->f.replica));
  g_assert_true (motcua_uuid_parse (motcua_replica_get_id (node->f.replica), &origin));

  for (guint64 seq = 1; seq <= acked; seq++)
    {
      gint64 logged = query_int (hub, "SELECT count(*) FROM hub_log WHERE origin = ?1"
                                      " AND seq = ?2", origin.bytes, (gint64) seq);
      gint64 refused = query_int (hub, "SELECT count(*) FROM hub_rejected WHERE origin = ?1"
                                       " AND seq = ?2", origin.bytes, (gint64) seq);
      gint64 waited = query_int (hub, "SELECT count(*) FROM hub_rejected WHERE origin = ?1"
                                      " AND seq = ?2 AND waits", origin.bytes, (gint64) seq);
      gint64 kept = query_int (mine, "SELECT count(*) FROM rejected WHERE seq = ?1", NULL,
                               (gint64) seq);

      if (logged + refused != 1)
        g_error ("seed %u: change %" G_GUINT64_FORMAT " of %s is in the hub's log %"
                 G_GINT64_FORMAT " times and refused %" G_GINT64_FORMAT " times",
                 w->seed, seq, node->office, logged, refused);
      if (kept != refused - waited)
        g_error ("seed %u: change %" G_GUINT64_FORMAT " of %s was %s, and the replica %s",
                 w->seed, seq, node->office,
                 !refused ? "taken" : waited ? "refused as waiting for its case"
                                              : "refused for good",
                 kept ? "keeps it as refused" : "does not keep the refusal");
    }

  sqlite3_close (hub);
  sqlite3_close (mine);
}

/* Adds the receipt numbers of the cases in @path to @holders (number to case id), failing
 * if one names another case there or anywhere seen before. */
static void
collect_receipts (World      *w,
                  GHashTable *holders,
                  const char *path)
{
  sqlite3 *db = open_db (path);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT receipt_no, id FROM cases"
                                           " WHERE receipt_no IS NOT NULL", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *receipt = (const char *) sqlite3_column_text (stmt, 0);
      char id[37];
      const char *holder;

      motcua_uuid_to_string (sqlite3_column_blob (stmt, 1), id);
      holder = g_hash_table_lookup (holders, receipt);
      if (holder == NULL)
        g_hash_table_insert (holders, g_strdup (receipt), g_strdup (id));
      else if (strcmp (holder, id) != 0)
        g_error ("seed %u: receipt number %s is held by cases %s and %s (in %s)", w->seed,
                 receipt, holder, id, path);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* No receipt number is held by two cases anywhere in the province: on the hub, on any
 * replica, or between them (a case the server refused stays on its desk with its number). */
void
assert_receipts_unique (World *w)
{
  g_autoptr(GHashTable) holders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         g_free);

  collect_receipts (w, holders, w->hub.path);
  for (guint i = 0; i < N_NODES; i++)
    collect_receipts (w, holders, w->nodes[i].f.path);
}

/* Every refusal left on a replica has a way out: it is about a case the server said is not
 * the replica's (the officer sees why; the case is the handling office's now), or the server
 * refused it for a reason this schedule makes on purpose: a write to a case another desk moved
 * out of the replica's scope meanwhile, or away from the office that received it (which keeps
 * it, but writes only what a receiving desk may), or the resolution of a conflict on such a
 * case. */
void
assert_refusals_expected (World *w,
                          Node  *node)
{
  static const char *const expected[] = { "is not in the jurisdiction of",
                                          "may resolve", "is decided by another office" };
  sqlite3 *db = open_db (node->f.path);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, reason FROM rejected"
                                           " WHERE gone IS NULL", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *reason = (const char *) sqlite3_column_text (stmt, 1);
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
        known |= strstr (reason, expected[i]) != NULL;
      if (!known)
        g_error ("seed %u: %s holds change %lld refused for a reason nothing here makes: %s"
                 " (replica %s)", w->seed, node->office, sqlite3_column_int64 (stmt, 0), reason,
                 node->f.path);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}
