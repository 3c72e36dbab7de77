/* motcua-replication.c: a replica's side of replication
 *
 * What a replica keeps about its server: how far its own changes are acknowledged, the changes
 * the server refused and why, the integrity digest of its scope, and the purge of cases that
 * left its scope. (The receipt numbers it was leased are kept by domain/motcua-receipts.c.)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-changes-private.h"

guint64
_motcua_replica_get_acked (MotcuaReplica *self)
{
  return (guint64) _motcua_replica_meta_get_int (self, "hub_acked", 0);
}

guint64
_motcua_replica_get_acked_ever (MotcuaReplica *self)
{
  return MAX ((guint64) _motcua_replica_meta_get_int (self, "hub_acked_ever", 0),
              _motcua_replica_get_acked (self));
}

gboolean
_motcua_replica_set_acked (MotcuaReplica  *self,
                           guint64         acked,
                           GError        **error)
{
  guint64 ever = _motcua_replica_get_acked_ever (self);

  /* Going back (a restored server): remember how far it went. */
  if (acked < ever
      && !_motcua_replica_meta_set_int (self, "hub_acked_ever", (gint64) ever, error))
    return FALSE;

  return _motcua_replica_meta_set_int (self, "hub_acked", (gint64) acked, error);
}

gboolean
_motcua_replica_add_rejected (MotcuaReplica     *self,
                              guint64            seq,
                              const char        *reason,
                              const MotcuaUuid  *gone,
                              const MotcuaUuid  *wait,
                              GError           **error)
{
  g_autofree char *now = _motcua_replica_now_iso (self);

  return _motcua_store_log_add_rejected (self, seq, reason, now, gone, wait, error);
}

GHashTable *
_motcua_replica_subtree_set (MotcuaReplica  *self,
                             const char     *office_code,
                             GError        **error)
{
  g_autoptr(GPtrArray) offices = motcua_replica_list_subtree (self, office_code, error);
  GHashTable *set;

  if (offices == NULL)
    return NULL;

  set = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  for (guint i = 0; i < offices->len; i++)
    {
      MotcuaOffice *office = g_ptr_array_index (offices, i);
      MotcuaUuid id;

      if (motcua_uuid_parse (office->id, &id))
        g_hash_table_add (set, g_bytes_new (id.bytes, 16));
    }

  return set;
}

gboolean
_motcua_id_in_set (GHashTable *set,
                   const void *id,
                   int         size)
{
  g_autoptr(GBytes) key = NULL;

  if (id == NULL || size != 16)
    return FALSE;
  key = g_bytes_new (id, 16);

  return g_hash_table_contains (set, key);
}

/* Whether the receiving or the handling office of a case (columns @first and @first + 1 of
 * @stmt) is in @offices: the case is in scope. */
static gboolean
case_offices_in (GHashTable   *offices,
                 sqlite3_stmt *stmt,
                 int           first)
{
  return _motcua_id_in_set (offices, sqlite3_column_blob (stmt, first),
                            sqlite3_column_bytes (stmt, first))
         || _motcua_id_in_set (offices, sqlite3_column_blob (stmt, first + 1),
                               sqlite3_column_bytes (stmt, first + 1));
}

/* Digest */

typedef struct
{
  guint64 lanes[2];
} Digest;

/* Adds a row's hash to the digest: SHA-256 of its replicated state in the canonical bytes of
 * _motcua_wire_item_hash(), summed over two 64-bit lanes. */
static void
digest_add (Digest               *digest,
            const MotcuaWireItem *item)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 out[32];
  gsize len = sizeof out;

  if (!_motcua_wire_item_hash (item, sum))
    return;   /* a row no replica ever wrote (reference data loaded from a file) is local */
  g_checksum_get_digest (sum, out, &len);

  /* A sum of the rows' hashes: the same whatever order they are visited in. */
  for (guint l = 0; l < 2; l++)
    {
      guint64 v = 0;

      for (guint i = 0; i < 8; i++)
        v = v << 8 | out[8 * l + i];
      digest->lanes[l] += v;
    }
}

static gboolean
digest_table (MotcuaReplica          *self,
              const MotcuaTableDesc  *table,
              const char             *sql,
              GHashTable             *offices,
              GHashTable             *cases,
              Digest                 *digest,
              GError                **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare_text (self, sql, error);
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_batch_new ();
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaUuid id;
      gboolean in = TRUE;

      if (sqlite3_column_bytes (stmt, 0) != 16)
        continue;
      memcpy (id.bytes, sqlite3_column_blob (stmt, 0), 16);

      if (table->id == MOTCUA_TABLE_CASES)
        {
          in = case_offices_in (offices, stmt, 1);
          if (in)
            g_hash_table_add (cases, g_bytes_new (id.bytes, 16));
        }
      else if (table->id >= MOTCUA_TABLE_CASE_EVENTS)
        in = sqlite3_column_bytes (stmt, 1) != 16
             ? table->id == MOTCUA_TABLE_CONFLICTS
             : _motcua_id_in_set (cases, sqlite3_column_blob (stmt, 1), 16);

      if (!in)
        continue;
      {
        /* The row's state, typed: this runs for every row of the scope at the end of every
         * sync. The statement stays open: reading the row uses others. */
        gboolean found;

        _motcua_wire_batch_clear (batch);
        if (!_motcua_replica_row_item (self, table, &id, batch, &found, error))
          {
            sqlite3_reset (stmt);
            return FALSE;
          }
        if (found)
          digest_add (digest, _motcua_wire_batch_item (batch, 0));
      }
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }

  return TRUE;
}

char *
_motcua_replica_scope_digest (MotcuaReplica  *self,
                              const char     *office_code,
                              GError        **error)
{
  static const struct { MotcuaTableId table; const char *sql; } parts[] = {
    { MOTCUA_TABLE_OFFICES, "SELECT id FROM offices" },
    { MOTCUA_TABLE_PROCEDURES, "SELECT id FROM procedures" },
    { MOTCUA_TABLE_CALENDAR, "SELECT id FROM calendar" },
    /* A case the server refused writes of ours to, and said is not ours, differs from the
     * server's by design: the officer sees it as rejected. It is in no digest until the
     * server sends it whole again (see motcua-sync.c). Nor is a case the server does not
     * hold yet, which changes of ours wait for. */
    { MOTCUA_TABLE_CASES, "SELECT id, receiving_office_id, handling_office_id FROM cases"
                          " WHERE id NOT IN (SELECT gone FROM rejected WHERE gone IS NOT NULL)"
                          " AND id NOT IN (SELECT wait FROM rejected WHERE wait IS NOT NULL)" },
    /* Likewise a row of a timeline or a scan the server refused: it stays here, marked
     * rejected, and the server never had it. */
    { MOTCUA_TABLE_CASE_EVENTS, "SELECT id, case_id FROM case_events"
                                " WHERE _seq NOT IN (SELECT seq FROM rejected)" },
    { MOTCUA_TABLE_ATTACHMENTS, "SELECT id, case_id FROM attachments"
                                " WHERE _seq NOT IN (SELECT seq FROM rejected)" },
    { MOTCUA_TABLE_CONFLICTS, "SELECT id, case_id FROM conflicts" },
  };
  g_autoptr(GHashTable) offices = _motcua_replica_subtree_set (self, office_code, error);
  g_autoptr(GHashTable) cases = NULL;
  Digest digest = { { 0, 0 } };

  if (offices == NULL)
    return NULL;
  cases = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                 NULL);

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    if (!digest_table (self, _motcua_table_lookup (parts[p].table), parts[p].sql, offices, cases,
                       &digest, error))
      return NULL;

  return g_strdup_printf ("%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x",
                          digest.lanes[0], digest.lanes[1]);
}

typedef struct
{
  gint64     rid;
  MotcuaUuid id;
} LoggedRow;

/* The rows of the case at @rid's timeline and scans that this replica logged keep their values
 * in their records before they go (_motcua_replica_keep_logged_row()). */
static gboolean
keep_logged_rows (MotcuaReplica  *self,
                  gint64          rid,
                  GError        **error)
{
  static const MotcuaTableId tables[] = { MOTCUA_TABLE_CASE_EVENTS, MOTCUA_TABLE_ATTACHMENTS };

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      const MotcuaTableDesc *table = _motcua_table_lookup (tables[t]);
      g_autofree char *sql = g_strdup_printf ("SELECT r.rid, r.id FROM %s r"
                                              " WHERE r.case_id = (SELECT id FROM cases"
                                              " WHERE rid = ?1) AND EXISTS (SELECT 1"
                                              " FROM changes WHERE row_id = r.id AND "
                                              MOTCUA_INSERT_ONLY_RECORD_SQL ")",
                                              table->name);
      sqlite3_stmt *stmt = _motcua_replica_prepare_text (self, sql, error);
      /* Collected first: keeping a row's values reads it again and writes the log. */
      g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (LoggedRow));
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rid);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          LoggedRow row = { sqlite3_column_int64 (stmt, 0) };

          if (sqlite3_column_bytes (stmt, 1) == 16)
            {
              memcpy (row.id.bytes, sqlite3_column_blob (stmt, 1), 16);
              g_array_append_val (rows, row);
            }
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _motcua_replica_set_db_error (self, error);
          return FALSE;
        }
      for (guint i = 0; i < rows->len; i++)
        {
          const LoggedRow *row = &g_array_index (rows, LoggedRow, i);

          if (!_motcua_replica_keep_logged_row (self, table, row->rid, &row->id, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* The last change of ours to the case c, its timeline, scans or conflicts (0: none). */
#define PENDING_OF_CASE_SQL \
  "max(c._seq, coalesce((SELECT max(_seq) FROM case_events WHERE case_id = c.id), 0)," \
  " coalesce((SELECT max(_seq) FROM attachments WHERE case_id = c.id), 0)," \
  " coalesce((SELECT max(_seq) FROM conflicts WHERE case_id = c.id), 0))"

/* Deletes the case at @rid with its timeline, scans and conflicts. */
static gboolean
drop_case (MotcuaReplica  *self,
           gint64          rid,
           GError        **error)
{
  static const char *const sql[] = {
    "DELETE FROM case_events WHERE case_id = (SELECT id FROM cases WHERE rid = ?1)",
    "DELETE FROM attachments WHERE case_id = (SELECT id FROM cases WHERE rid = ?1)",
    "DELETE FROM conflicts WHERE case_id = (SELECT id FROM cases WHERE rid = ?1)",
    ("INSERT INTO cases_fts (cases_fts, rowid, applicant_name, citizen_id, phone)"
     " SELECT 'delete', rid, applicant_name, citizen_id, phone FROM cases WHERE rid = ?1"),
    "DELETE FROM cases WHERE rid = ?1",
  };

  if (!keep_logged_rows (self, rid, error))
    return FALSE;
  for (guint s = 0; s < G_N_ELEMENTS (sql); s++)
    {
      sqlite3_stmt *stmt = _motcua_replica_prepare (self, sql[s], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rid);
      if (!_motcua_replica_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* The refusals of this replica's changes to the case at ?5, to its timeline or to its
 * attachments (bound by bind_refused_of_case()). */
#define REFUSED_OF_CASE_SQL \
  "SELECT r.seq FROM rejected r" \
  " JOIN changes ch ON ch.origin = ?1" \
  /* A record of the log holds at most 64 changes: the one holding r.seq starts at most 63 \
   * before it. */ \
  " AND ch.seq BETWEEN r.seq - 63 AND r.seq AND r.seq < ch.seq + ch.n" \
  " WHERE (ch.tbl = ?2 AND ch.row_id = (SELECT id FROM cases WHERE rid = ?5))" \
  " OR (ch.tbl = ?3 AND ch.row_id IN (SELECT e.id FROM case_events e JOIN cases c" \
  "  ON c.id = e.case_id WHERE c.rid = ?5))" \
  " OR (ch.tbl = ?4 AND ch.row_id IN (SELECT a.id FROM attachments a JOIN cases c" \
  "  ON c.id = a.case_id WHERE c.rid = ?5))"

static void
bind_refused_of_case (MotcuaReplica *self,
                      sqlite3_stmt  *stmt,
                      gint64         rid)
{
  sqlite3_bind_int64 (stmt, 1, self->self_origin);
  sqlite3_bind_int (stmt, 2, MOTCUA_TABLE_CASES);
  sqlite3_bind_int (stmt, 3, MOTCUA_TABLE_CASE_EVENTS);
  sqlite3_bind_int (stmt, 4, MOTCUA_TABLE_ATTACHMENTS);
  sqlite3_bind_int64 (stmt, 5, rid);
}

/* Whether the server refused a change of this replica's to the case at @rid, to its timeline or
 * to its attachments: 1 or 0, -1 on error. */
static int
case_refused (MotcuaReplica  *self,
              gint64          rid,
              GError        **error)
{
  /* A record of the log holds at most 64 changes: the one holding r.seq starts at most 63
   * before it. */
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT EXISTS (" REFUSED_OF_CASE_SQL ")",
                                                error);
  int refused = -1;

  if (stmt == NULL)
    return -1;
  bind_refused_of_case (self, stmt, rid);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    refused = sqlite3_column_int (stmt, 0) != 0;
  else
    _motcua_replica_set_db_error (self, error);
  sqlite3_reset (stmt);

  return refused;
}

/* Purge: a case that left this replica's scope goes once nothing of it is unacknowledged. A case
 * with a change the server refused stays: the refused change is kept, visible to the officer
 * (the case is out of scope, so it is in no digest). */
gboolean
_motcua_replica_purge (MotcuaReplica  *self,
                       guint          *n_out,
                       guint          *n_kept_out,
                       GError        **error)
{
  guint n_kept = 0;
  g_autoptr(GHashTable) offices = NULL;
  g_autoptr(GArray) doomed = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint64 acked = _motcua_replica_get_acked (self);
  sqlite3_stmt *stmt;
  int rc;

  g_assert (self->tx_depth > 0);

  *n_out = 0;
  offices = _motcua_replica_subtree_set (self, self->office_code, error);
  if (offices == NULL)
    return FALSE;

  stmt = _motcua_replica_prepare (self, "SELECT c.rid, c.receiving_office_id,"
                                  " c.handling_office_id, " PENDING_OF_CASE_SQL
                                  " FROM cases c", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);

      if (case_offices_in (offices, stmt, 1))
        continue;
      if ((guint64) sqlite3_column_int64 (stmt, 3) > acked)
        {
          n_kept++;   /* something of it is not acknowledged yet: it stays until it is */
          continue;
        }
      g_array_append_val (doomed, rid);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }

  for (guint i = 0; i < doomed->len;)
    {
      int refused = case_refused (self, g_array_index (doomed, gint64, i), error);

      if (refused < 0)
        return FALSE;
      if (refused)
        g_array_remove_index_fast (doomed, i);
      else
        i++;
    }

  for (guint i = 0; i < doomed->len; i++)
    if (!drop_case (self, g_array_index (doomed, gint64, i), error))
      return FALSE;

  *n_out += doomed->len;
  *n_kept_out = n_kept;

  return TRUE;
}

gboolean
_motcua_replica_transfer_saw (MotcuaReplica    *self,
                              MotcuaWireBatch  *items,
                              gboolean        first,
                              GError        **error)
{
  sqlite3_stmt *stmt;

  g_assert (self->tx_depth > 0);

  if (first && !_motcua_replica_exec (self, "DELETE FROM transfer_seen", error))
    return FALSE;
  stmt = _motcua_replica_prepare (self, "INSERT OR IGNORE INTO transfer_seen (tbl, id)"
                                  " VALUES (?1, ?2)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < _motcua_wire_batch_length (items); i++)
    {
      const MotcuaWireItem *item = _motcua_wire_batch_item (items, i);
      const MotcuaTableDesc *table = item->table;

      if (table->id != MOTCUA_TABLE_CASES && table->id != MOTCUA_TABLE_CONFLICTS
          && !table->insert_only)
        continue;
      sqlite3_bind_int (stmt, 1, table->id);
      sqlite3_bind_blob (stmt, 2, item->row_id.bytes, 16, SQLITE_STATIC);
      if (!_motcua_replica_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* The server's state, sent whole, lacks the case at @rid, which refused changes of ours keep
 * here: it is not ours, as if the server had said so of them (see
 * _motcua_replica_add_rejected()). */
static gboolean
mark_gone (MotcuaReplica  *self,
           gint64          rid,
           GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "UPDATE rejected SET gone ="
                                                " (SELECT id FROM cases WHERE rid = ?5)"
                                                " WHERE wait IS NULL AND seq IN ("
                                                REFUSED_OF_CASE_SQL ")", error);

  if (stmt == NULL)
    return FALSE;
  bind_refused_of_case (self, stmt, rid);

  return _motcua_replica_step_done (self, stmt, error);
}

/* The rows a state transfer's end removes if it did not bring them: those with nothing of ours
 * unacknowledged or refused (?1: acknowledged up to, ?2: the table). */
static const struct { MotcuaTableId table; const char *sql; } unsent_rows[] = {
  { MOTCUA_TABLE_CONFLICTS, "DELETE FROM conflicts WHERE _seq <= ?1"
                            " AND id NOT IN (SELECT id FROM transfer_seen WHERE tbl = ?2)" },
  { MOTCUA_TABLE_CASE_EVENTS, "DELETE FROM case_events WHERE _seq <= ?1"
                              " AND _seq NOT IN (SELECT seq FROM rejected)"
                              " AND id NOT IN (SELECT id FROM transfer_seen WHERE tbl = ?2)" },
  { MOTCUA_TABLE_ATTACHMENTS, "DELETE FROM attachments WHERE _seq <= ?1"
                              " AND _seq NOT IN (SELECT seq FROM rejected)"
                              " AND id NOT IN (SELECT id FROM transfer_seen WHERE tbl = ?2)" },
};

gboolean
_motcua_replica_transfer_end (MotcuaReplica  *self,
                              guint          *n_out,
                              GError        **error)
{
  g_autoptr(GArray) doomed = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint64 acked = _motcua_replica_get_acked (self);
  sqlite3_stmt *stmt;
  int rc;

  g_assert (self->tx_depth > 0);

  *n_out = 0;
  stmt = _motcua_replica_prepare (self, "SELECT c.rid, " PENDING_OF_CASE_SQL " FROM cases c"
                                  " WHERE c.id NOT IN (SELECT id FROM transfer_seen"
                                  "  WHERE tbl = ?1)"
                                  " AND c.id NOT IN (SELECT wait FROM rejected"
                                  "  WHERE wait IS NOT NULL)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, MOTCUA_TABLE_CASES);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);

      if ((guint64) sqlite3_column_int64 (stmt, 1) <= acked)
        g_array_append_val (doomed, rid);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }
  for (guint i = 0; i < doomed->len; i++)
    {
      gint64 rid = g_array_index (doomed, gint64, i);
      int refused = case_refused (self, rid, error);

      if (refused < 0 || (!refused && !drop_case (self, rid, error))
          || (refused && !mark_gone (self, rid, error)))
        return FALSE;
      *n_out += !refused;
    }

  /* The hub makes conflicts; one it did not bring, and no resolution of ours waits on, it
   * lost. So with a row of a timeline or a scan another desk made (it has not sent it again
   * yet, or it was refused when it did): it comes back with its case if the hub takes it. */
  for (guint i = 0; i < G_N_ELEMENTS (unsent_rows); i++)
    {
      stmt = _motcua_replica_prepare (self, unsent_rows[i].sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) acked);
      sqlite3_bind_int (stmt, 2, unsent_rows[i].table);
      if (!_motcua_replica_step_done (self, stmt, error))
        return FALSE;
    }

  return _motcua_replica_exec (self, "DELETE FROM transfer_seen", error);
}
