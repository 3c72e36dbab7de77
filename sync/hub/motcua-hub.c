/* motcua-hub.c: a replica serving others
 *
 * The provincial server is a replica with a global order: it merges every change pushed to it
 * with the same code as the desks, appends it to hub_log in the order it accepted it, and lets
 * each enrolled replica pull what lies in its scope (its office and the offices below it) from
 * that log. This file is that core, without the network (motcua-server wraps it in HTTP):
 * judging a push, detecting conflicts, serving pulls. Beside it: the enrolled replicas and
 * their tokens (motcua-hub-replicas.c), receipt-number leases (motcua-hub-leases.c), restores
 * (motcua-hub-restore.c) and protocol v1 (motcua-protocol.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-hub-private.h"
#include "motcua-text.h"

/* The name of the column a change writes, or "" for a whole row. */
static const char *
column_name (const MotcuaWireItem *change)
{
  return change->column > 0 ? change->table->columns[change->column - 1].name : "";
}

/* Scope */

static gboolean
office_in_scope (MotcuaHubPeer *peer,
                 const void    *office_id,
                 int            size)
{
  return _motcua_id_in_set (peer->subtree, office_id, size);
}

/* The receiving and handling offices of a case as the hub holds it now; FALSE if it has
 * neither. Either may be missing (a push can give a case one of them only): each that is there
 * puts the case in the scope of the replicas above it, here as in the digest and the state
 * transfer (motcua-replication.c). */
static gboolean
case_offices (MotcuaReplica *hub,
              const guint8  *case_id,
              MotcuaUuid    *receiving,
              gboolean      *has_receiving,
              MotcuaUuid    *handling,
              gboolean      *has_handling)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT receiving_office_id,"
                                                " handling_office_id FROM cases WHERE id = ?1",
                                                NULL);

  *has_receiving = FALSE;
  *has_handling = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, case_id, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (sqlite3_column_bytes (stmt, 0) == 16)
        {
          memcpy (receiving->bytes, sqlite3_column_blob (stmt, 0), 16);
          *has_receiving = TRUE;
        }
      if (sqlite3_column_bytes (stmt, 1) == 16)
        {
          memcpy (handling->bytes, sqlite3_column_blob (stmt, 1), 16);
          *has_handling = TRUE;
        }
    }
  sqlite3_reset (stmt);

  return *has_receiving || *has_handling;
}

/* What a push says of a case the hub does not hold yet: that it makes it (it names the
 * office that received it), and that an office it names is in the peer's jurisdiction. */
enum { NAMED_MADE = 1 << 0, NAMED_IN_SCOPE = 1 << 1 };
#define NAMED_MADE_IN_SCOPE (NAMED_MADE | NAMED_IN_SCOPE)

/* Whether the hub holds the case @case_id at all. Only a case it does not hold yet may be placed
 * in a replica's scope by the offices a push names for it: naming its own office as the
 * handling office of another office's case must not hand that case over. */
static gboolean
case_known (MotcuaReplica *hub,
            const guint8  *case_id)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT 1 FROM cases WHERE id = ?1", NULL);
  gboolean known;

  /* On an error, as if known: the change is then judged by the hub's state, and refused. */
  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_blob (stmt, 1, case_id, 16, SQLITE_STATIC);
  known = sqlite3_step (stmt) != SQLITE_DONE;
  sqlite3_reset (stmt);

  return known;
}

/* Whether the case @case_id, as the hub holds it now, is in the peer's scope. */
static gboolean
case_in_scope (MotcuaReplica *hub,
               MotcuaHubPeer *peer,
               const guint8  *case_id)
{
  MotcuaUuid receiving, handling;
  gboolean has_receiving, has_handling;

  if (!case_offices (hub, case_id, &receiving, &has_receiving, &handling, &has_handling))
    return FALSE;

  return (has_receiving && office_in_scope (peer, receiving.bytes, 16))
         || (has_handling && office_in_scope (peer, handling.bytes, 16));
}

/* Whether a case was in the peer's scope when the logical write being judged began: the
 * changes of one operation (one HLC: a transfer writes the case and its event) are judged
 * together, so a transfer out of the scope does not make its own event out of scope.
 * @write_scope caches the answer per case for the write; the caller empties it between
 * writes. */
static gboolean
case_in_scope_for_write (MotcuaReplica *hub,
                         MotcuaHubPeer *peer,
                         GHashTable    *write_scope,
                         const guint8  *case_id)
{
  g_autoptr(GBytes) key = g_bytes_new (case_id, 16);
  gpointer cached;
  gboolean in;

  if (g_hash_table_lookup_extended (write_scope, key, NULL, &cached))
    return GPOINTER_TO_INT (cached);
  in = case_in_scope (hub, peer, case_id);
  g_hash_table_insert (write_scope, g_steal_pointer (&key), GINT_TO_POINTER (in));

  return in;
}

/* A case is the peer's to write if it was in scope when the write began, or if this push
 * places it there (a new case, judged by the offices the push names for it). */
static gboolean
case_writable (MotcuaReplica *hub,
               MotcuaHubPeer *peer,
               GHashTable    *named_cases,
               GHashTable    *write_scope,
               const guint8  *case_id)
{
  g_autoptr(GBytes) key = g_bytes_new (case_id, 16);

  return case_in_scope_for_write (hub, peer, write_scope, case_id)
         || GPOINTER_TO_INT (g_hash_table_lookup (named_cases, key)) == NAMED_MADE_IN_SCOPE;
}

static gboolean
office_exists (MotcuaReplica *hub,
               const guint8  *office_id)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT 1 FROM offices WHERE id = ?1",
                                                NULL);
  gboolean exists;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, office_id, 16, SQLITE_STATIC);
  exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return exists;
}

/* The offices of a case decide who sees it, so the hub holds them to what they mean: each
 * names one of the province's offices, and the office that received a dossier is set when it
 * is received (the write that makes the case) and never changes after. A case moved to an
 * office that is nobody's would vanish from every replica, the province's included; a case
 * whose receiving office changed would leave the replicas of the old one without their
 * learning it (found by fuzz-push). A transfer changes the handling office only. */
static char *
office_refusal (MotcuaReplica        *hub,
                const MotcuaWireItem *change)
{
  const char *column = column_name (change);
  const MotcuaValue *v = &change->values[0];
  MotcuaUuid receiving, handling;
  gboolean has_receiving, has_handling;
  gboolean is_null = v->type == SQLITE_NULL;
  gboolean receiving_column = strcmp (column, "receiving_office_id") == 0;
  char text[37];

  if (!receiving_column && strcmp (column, "handling_office_id") != 0)
    return NULL;
  if (!is_null && !office_exists (hub, (const guint8 *) v->s))
    {
      motcua_uuid_to_string ((const MotcuaUuid *) (const void *) v->s, text);
      return g_strdup_printf (_("%s is not an office of this province"), text);
    }
  if (receiving_column && case_known (hub, change->row_id.bytes))
    {
      case_offices (hub, change->row_id.bytes, &receiving, &has_receiving, &handling,
                    &has_handling);
      if (is_null || !has_receiving || memcmp (receiving.bytes, v->s, 16) != 0)
        {
          motcua_uuid_to_string (&change->row_id, text);
          return g_strdup_printf (_("the office that received case %s does not change after"
                                    " it is received"), text);
        }
    }

  return NULL;
}

/* Receipt numbers are printed and handed to citizens: one the hub knows on another case is
 * refused, never renumbered. Desks cannot make one twice (leases, desk codes); a duplicate
 * means a bug or a restored store, and the officers must hear of it. */
static char *
receipt_refusal (MotcuaReplica        *hub,
                 const MotcuaWireItem *change)
{
  const MotcuaValue *v = &change->values[0];
  const MotcuaUuid *case_id = &change->row_id;
  sqlite3_stmt *stmt;
  MotcuaUuid holder;
  gboolean held = FALSE;
  char holder_id[37], case_text[37];

  if (strcmp (column_name (change), "receipt_no") != 0 || v->type != SQLITE_TEXT)
    return NULL;
  stmt = _motcua_replica_prepare (hub, "SELECT id FROM cases WHERE receipt_no = ?1"
                                  " AND id <> ?2 LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;   /* the merge meets the same error */
  sqlite3_bind_text (stmt, 1, v->s, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 2, case_id->bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == 16)
    {
      memcpy (holder.bytes, sqlite3_column_blob (stmt, 0), 16);
      held = TRUE;
    }
  sqlite3_reset (stmt);
  if (!held)
    return NULL;

  motcua_uuid_to_string (&holder, holder_id);
  motcua_uuid_to_string (case_id, case_text);
  return g_strdup_printf (_("receipt number %s is held already by case %s: case %s cannot"
                            " take it (a printed number is never changed; tell the province)"),
                          v->s, holder_id, case_text);
}

/* A row of a timeline or a scan never changes once written: a push of one the hub holds
 * already, with other values, is refused. The merge would keep the hub's (the first wins),
 * but the push is logged as it came, so the replicas below would take the other values; and
 * a row naming another case would leave the scope it was in (found by fuzz-push). The same
 * values again are a harmless repeat. */
static gboolean
same_value (const MotcuaValue *a,
            const MotcuaValue *b)
{
  return a->type == b->type
         && (a->type == SQLITE_NULL
             || (a->type == SQLITE_INTEGER && a->i == b->i)
             || (a->type == SQLITE_TEXT && strcmp (a->s, b->s) == 0)
             || (a->type == SQLITE_BLOB && memcmp (a->s, b->s, 16) == 0));
}

static char *
insert_only_refusal (MotcuaReplica        *hub,
                     const MotcuaWireItem *pushed)
{
  const MotcuaTableDesc *table = pushed->table;
  g_autofree char *sql = g_strdup_printf ("SELECT rid FROM %s WHERE id = ?1", table->name);
  sqlite3_stmt *stmt = _motcua_replica_prepare_text (hub, sql, NULL);
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_batch_new ();
  MotcuaWireItem *held;
  gint64 rid = -1;
  char id[37];

  if (stmt == NULL)
    return NULL;   /* the merge meets the same error */
  sqlite3_bind_blob (stmt, 1, pushed->row_id.bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  held = _motcua_wire_batch_add (batch, table, FALSE, 0);
  if (rid < 0 || !_motcua_replica_read_row (hub, table, rid, batch, held, NULL))
    return NULL;

  for (guint c = 0; c < table->n_columns; c++)
    if (!same_value (&held->values[c], &pushed->values[c]))
      {
        motcua_uuid_to_string (&pushed->row_id, id);
        return g_strdup_printf (_("row %s of %s exists already with another %s: it never"
                                  " changes"), id, table->name, table->columns[c].name);
      }

  return NULL;
}

/* The procedure of the case @case_id: the hub's, or the one this push names for a case the
 * hub does not hold yet (@named_procedures). */
static gboolean
case_procedure (MotcuaReplica    *hub,
                GHashTable       *named_procedures,
                const MotcuaUuid *case_id,
                MotcuaUuid       *out)
{
  g_autoptr(GBytes) key = g_bytes_new (case_id->bytes, 16);
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT procedure_id FROM cases"
                                                " WHERE id = ?1", NULL);
  GBytes *named;
  gboolean found = FALSE;

  if (stmt != NULL)
    {
      sqlite3_bind_blob (stmt, 1, case_id->bytes, 16, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == 16)
        {
          memcpy (out->bytes, sqlite3_column_blob (stmt, 0), 16);
          found = TRUE;
        }
      sqlite3_reset (stmt);
    }
  if (!found && (named = g_hash_table_lookup (named_procedures, key)) != NULL)
    {
      memcpy (out->bytes, g_bytes_get_data (named, NULL), 16);
      found = TRUE;
    }

  return found;
}

/* A value pushed for a case's column is held to the rules a desk's own writes obey (the same
 * code: _motcua_case_check_value()): a push is not a way round them. A value of the wrong
 * type is left to the merge, which refuses it with its own message. */
static char *
value_refusal (MotcuaReplica        *hub,
               GHashTable           *named_procedures,
               const MotcuaWireItem *change)
{
  g_autoptr(GError) error = NULL;
  MotcuaUuid procedure;
  gboolean has_procedure;
  char case_text[37];

  has_procedure = case_procedure (hub, named_procedures, &change->row_id, &procedure);
  if (_motcua_case_check_value (hub, change->column - 1, &change->values[0],
                                has_procedure ? &procedure : NULL, &error))
    return NULL;

  motcua_uuid_to_string (&change->row_id, case_text);
  return g_strdup_printf (_("case %s: %s"), case_text, error->message);
}

/* Whether a change is about a case the hub has never held, and this push does not make:
 * another desk made it, and the hub lost it with the hours a restored copy of its store
 * forgot (sync/PROTOCOL.md, "A restored server"). A push that makes a case names its
 * receiving office (@named_cases holds it then, and judges its scope). */
static gboolean
case_unknown (MotcuaReplica *hub,
              GHashTable    *named_cases,
              const guint8  *case_id)
{
  g_autoptr(GBytes) key = g_bytes_new (case_id, 16);

  return !(GPOINTER_TO_INT (g_hash_table_lookup (named_cases, key)) & NAMED_MADE)
         && !case_known (hub, case_id);
}

/* Not refused for good: the desk sends the change again once the case is back. */
static char *
wait_refusal (const MotcuaUuid *case_id,
              gboolean         *wait)
{
  char text[37];

  motcua_uuid_to_string (case_id, text);
  *wait = TRUE;

  return g_strdup_printf (_("case %s is not on the server yet: the change goes again once the"
                            " desk that made the case has sent it"), text);
}

/* The case a row of a timeline or a scan belongs to, or NULL. */
static const MotcuaUuid *
row_case (const MotcuaWireItem *change)
{
  const MotcuaValue *case_id = _motcua_wire_item_get (change, "case_id");

  return case_id != NULL && case_id->type == SQLITE_BLOB
         ? (const MotcuaUuid *) (const void *) case_id->s : NULL;
}

/* Why the peer may not write @change, or NULL if it may. Judged on the hub's state as it was
 * when the change's logical write began (see case_in_scope_for_write()). */
static char *
refusal (MotcuaReplica        *hub,
         MotcuaHubPeer        *peer,
         GHashTable           *named_cases,
         GHashTable           *named_procedures,
         GHashTable           *write_scope,
         const MotcuaWireItem *change,
         gboolean             *wait)
{
  const MotcuaTableDesc *table = change->table;
  const MotcuaUuid *row = &change->row_id;
  char row_text[37];

  motcua_uuid_to_string (row, row_text);
  if (table->province_only && peer->level != MOTCUA_LEVEL_PROVINCE)
    return g_strdup_printf (_("only a province replica writes %s"), table->name);

  if (table->id == MOTCUA_TABLE_CASES)
    {
      char *reason;

      if (case_unknown (hub, named_cases, row->bytes))
        return wait_refusal (row, wait);
      if (!case_writable (hub, peer, named_cases, write_scope, row->bytes))
        return g_strdup_printf (_("case %s is not in the jurisdiction of %s"), row_text,
                                peer->office_code);
      if ((reason = office_refusal (hub, change)) != NULL
          || (reason = receipt_refusal (hub, change)) != NULL)
        return reason;
      return value_refusal (hub, named_procedures, change);
    }
  else if (table->id == MOTCUA_TABLE_CASE_EVENTS || table->id == MOTCUA_TABLE_ATTACHMENTS)
    {
      const MotcuaUuid *case_id = row_case (change);

      if (case_id != NULL && case_unknown (hub, named_cases, case_id->bytes))
        return wait_refusal (case_id, wait);
      if (case_id == NULL || !case_writable (hub, peer, named_cases, write_scope, case_id->bytes))
        return g_strdup_printf (_("its case is not in the jurisdiction of %s"),
                                peer->office_code);
      return insert_only_refusal (hub, change);
    }
  else if (table->id == MOTCUA_TABLE_CONFLICTS)
    {
      sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT case_id FROM conflicts"
                                                    " WHERE id = ?1", NULL);
      gboolean allowed = FALSE;

      /* A replica writes a conflict only to resolve it: one the hub made, in its scope. */
      if (stmt != NULL)
        {
          sqlite3_bind_blob (stmt, 1, row->bytes, 16, SQLITE_STATIC);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            allowed = sqlite3_column_bytes (stmt, 0) != 16
                      ? peer->level == MOTCUA_LEVEL_PROVINCE
                      : case_in_scope_for_write (hub, peer, write_scope,
                                                 sqlite3_column_blob (stmt, 0));
          sqlite3_reset (stmt);
        }
      if (!allowed)
        return g_strdup_printf (_("conflict %s is not one %s may resolve"), row_text,
                                peer->office_code);
    }

  return NULL;
}

/* Conflicts: the hub sees every write in full and in an order that respects causality, so it
 * detects them exactly (DESIGN.md, Merge). */

typedef struct
{
  MotcuaHubPeer *peer;      /* NULL for the hub's own writes */
  guint          n_conflicts;
} PushState;

static char *
value_json_text (const MotcuaValue *value)
{
  g_autoptr(JsonNode) node = _motcua_value_to_json (value, -1);

  return json_to_string (node, FALSE);
}

static char *
office_of_replica (MotcuaReplica    *hub,
                   const MotcuaUuid *replica)
{
  sqlite3_stmt *stmt;
  char *code = NULL;

  if (memcmp (replica->bytes, hub->uuid.bytes, 16) == 0)
    return g_strdup (hub->office_code);

  stmt = _motcua_replica_prepare (hub, "SELECT office_code FROM hub_replicas"
                                  " WHERE replica_id = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, replica->bytes, 16, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    code = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return code;
}

enum
{
  K_TBL, K_ROW_ID, K_COL, K_CASE_ID,
  K_A_VALUE, K_A_HLC, K_A_REPLICA, K_A_OFFICE,
  K_B_VALUE, K_B_HLC, K_B_REPLICA, K_B_OFFICE,
  K_DETECTED_AT, K_RESOLVED, K_RESOLUTION, K_RESOLVED_BY, K_RESOLVED_AT, K_DELETED,
  K_N
};

/* The open conflict on a field, if any: its id and the HLCs of its two sides. */
static gboolean
open_conflict (MotcuaReplica    *hub,
               const MotcuaUuid *row,
               const char       *column,
               MotcuaUuid       *id,
               MotcuaHlc        *a_hlc,
               MotcuaHlc        *b_hlc)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT id, a_hlc, b_hlc FROM conflicts"
                                                " WHERE row_id = ?1 AND col = ?2"
                                                " AND resolved IS NOT 1 AND deleted IS NOT 1"
                                                " ORDER BY rid DESC LIMIT 1", NULL);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, row->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, column, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == 16)
    {
      memcpy (id->bytes, sqlite3_column_blob (stmt, 0), 16);
      *a_hlc = (MotcuaHlc) sqlite3_column_int64 (stmt, 1);
      *b_hlc = (MotcuaHlc) sqlite3_column_int64 (stmt, 2);
      found = TRUE;
    }
  sqlite3_reset (stmt);

  return found;
}

/* The id of the conflict between two writes, the same at any tier that detects it. */
static void
conflict_id (const MotcuaMergeEvent *event,
             MotcuaUuid             *out)
{
  char x[37], y[37], row[37];
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *key = NULL;

  motcua_uuid_to_string (&event->old->origin, x);
  motcua_uuid_to_string (event->origin, y);
  motcua_uuid_to_string (event->row, row);
  first = g_strdup_printf ("%" G_GUINT64_FORMAT "@%s", event->old->hlc, x);
  second = g_strdup_printf ("%" G_GUINT64_FORMAT "@%s", event->hlc, y);
  if (strcmp (first, second) > 0)
    {
      char *t = first;

      first = second;
      second = t;
    }
  key = g_strdup_printf ("%s/%s/%s/%s/%s", event->table->name, row,
                         event->table->columns[event->column - 1].name, first, second);
  motcua_uuid_for_key (out, "conflict", key);
}

static gboolean
detect_conflict (MotcuaReplica           *hub,
                 const MotcuaMergeEvent  *event,
                 gpointer                 user_data,
                 GError                 **error)
{
  PushState *state = user_data;
  const MotcuaTableDesc *conflicts = _motcua_table_lookup (MOTCUA_TABLE_CONFLICTS);
  const char *column;
  MotcuaValue values[K_N];
  g_autofree char *incoming = NULL;
  g_autofree char *held = NULL;
  g_autofree char *office = NULL;
  g_autofree char *now = NULL;
  MotcuaUuid id, case_id;
  MotcuaHlc a_hlc = 0, b_hlc = 0;
  guint64 mask = 0;
  char side;

  if (event->column == 0 || event->table->id == MOTCUA_TABLE_CONFLICTS
      || event->table->columns[event->column - 1].kind == MOTCUA_COL_STATUS)
    return TRUE;   /* rows of insert-only tables, and the status, merge without conflict */
  if (!event->old->exists || event->old->hlc == 0)
    return TRUE;   /* nothing written there before */
  if (event->hlc == event->old->hlc
      && memcmp (event->origin->bytes, event->old->origin.bytes, 16) == 0)
    return TRUE;   /* seen already */

  column = event->table->columns[event->column - 1].name;
  for (guint k = 0; k < K_N; k++)
    values[k] = MOTCUA_VALUE_NULL;

  /* A later write of a side of an open conflict continues that conflict. */
  if (open_conflict (hub, event->row, column, &id, &a_hlc, &b_hlc)
      && event->prev != 0 && (event->prev == a_hlc || event->prev == b_hlc))
    side = event->prev == a_hlc ? 'a' : 'b';
  else if (event->prev == event->old->hlc)
    return TRUE;   /* it had seen the value it replaced */
  else
    {
      gboolean equal = event->value->type == event->old->value.type
                       && (event->value->type == SQLITE_NULL
                           || (event->value->type == SQLITE_INTEGER
                               && event->value->i == event->old->value.i)
                           || (event->value->type == SQLITE_TEXT
                               && strcmp (event->value->s, event->old->value.s) == 0)
                           || (event->value->type == SQLITE_BLOB
                               && memcmp (event->value->s, event->old->value.s, 16) == 0));

      if (equal)
        return TRUE;   /* two writes that agree */
      side = 0;
      conflict_id (event, &id);
    }

  incoming = value_json_text (event->value);
  office = office_of_replica (hub, event->origin);
  now = _motcua_replica_now_iso (hub);

  if (side == 0)
    {
      /* A new conflict: a is what the hub held, b the write that had not seen it. */
      held = value_json_text (&event->old->value);
      values[K_TBL] = MOTCUA_VALUE_TEXT (event->table->name);
      values[K_ROW_ID] = MOTCUA_VALUE_ID (event->row);
      values[K_COL] = MOTCUA_VALUE_TEXT (column);
      if (event->table->id == MOTCUA_TABLE_CASES)
        {
          case_id = *event->row;
          values[K_CASE_ID] = MOTCUA_VALUE_ID (&case_id);
        }
      values[K_A_VALUE] = MOTCUA_VALUE_TEXT (held);
      values[K_A_HLC] = MOTCUA_VALUE_INT ((gint64) event->old->hlc);
      values[K_A_REPLICA] = MOTCUA_VALUE_ID (&event->old->origin);
      {
        g_autofree char *a_office = office_of_replica (hub, &event->old->origin);

        values[K_A_OFFICE] = MOTCUA_VALUE_TEXT (a_office);
        values[K_B_VALUE] = MOTCUA_VALUE_TEXT (incoming);
        values[K_B_HLC] = MOTCUA_VALUE_INT ((gint64) event->hlc);
        values[K_B_REPLICA] = MOTCUA_VALUE_ID (event->origin);
        values[K_B_OFFICE] = MOTCUA_VALUE_TEXT (office);
        values[K_DETECTED_AT] = MOTCUA_VALUE_TEXT (now);
        values[K_RESOLVED] = MOTCUA_VALUE_INT (0);
        mask = (G_GUINT64_CONSTANT (1) << K_RESOLUTION) - 1;
        state->n_conflicts++;
        return _motcua_replica_write_row (hub, conflicts, &id, values, mask, MOTCUA_WRITE_LOCAL,
                                          _motcua_replica_tick (hub), NULL, error);
      }
    }

  /* Continued: the side it followed takes the new write. */
  {
    guint base = side == 'a' ? K_A_VALUE : K_B_VALUE;

    values[base] = MOTCUA_VALUE_TEXT (incoming);
    values[base + 1] = MOTCUA_VALUE_INT ((gint64) event->hlc);
    values[base + 2] = MOTCUA_VALUE_ID (event->origin);
    values[base + 3] = MOTCUA_VALUE_TEXT (office);
    mask = G_GUINT64_CONSTANT (0xf) << base;

    return _motcua_replica_write_row (hub, conflicts, &id, values, mask, MOTCUA_WRITE_LOCAL,
                                      _motcua_replica_tick (hub), NULL, error);
  }
}

/* The global order */

typedef struct
{
  gboolean   has_case;
  MotcuaUuid case_id;
  guint      n_offices;
  MotcuaUuid offices[3];     /* receiving, handling, and the handling office before */
  gboolean   entered;        /* the case moved to a new handling office */
} EntryScope;

/* Which case a change is about, if any: a case row itself, a row of a case's timeline or
 * scans (by its case_id), or a conflict on a case. */
static gboolean
change_case (MotcuaReplica         *hub,
             const MotcuaWireItem  *change,
             MotcuaUuid            *case_id,
             gboolean              *has_case,
             GError               **error)
{
  const MotcuaTableDesc *table = change->table;
  const MotcuaUuid *row = &change->row_id;
  sqlite3_stmt *stmt;

  *has_case = FALSE;

  switch (table->id)
    {
    case MOTCUA_TABLE_CASES:
      *case_id = *row;
      *has_case = TRUE;
      break;
    case MOTCUA_TABLE_CASE_EVENTS:
    case MOTCUA_TABLE_ATTACHMENTS:
      {
        const MotcuaUuid *of = row_case (change);

        if (of != NULL)
          {
            *case_id = *of;
            *has_case = TRUE;
          }
      }
      break;
    case MOTCUA_TABLE_CONFLICTS:
      stmt = _motcua_replica_prepare (hub, "SELECT case_id FROM conflicts WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, row->bytes, 16, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == 16)
        {
          memcpy (case_id->bytes, sqlite3_column_blob (stmt, 0), 16);
          *has_case = TRUE;
        }
      sqlite3_reset (stmt);
      break;
    default:
      break;   /* reference data: about no case */
    }

  return TRUE;
}

/* Which case a change is about, and the offices that put it in a replica's scope: the case's
 * receiving and handling offices as the hub holds them, and its handling office before, so the
 * replicas a case leaves learn that it left. */
/* A case's handling office as last logged before the batch being logged: what is in
 * hub_case_scope when the batch's first entry about the case is logged. */
typedef struct
{
  gboolean known;      /* hub_case_scope has a row for the case */
  gboolean has_office;
  guint8   office[16];
} PriorHandling;

static gboolean
prior_handling (MotcuaReplica        *hub,
                GHashTable           *batch_prior,
                const MotcuaUuid     *case_id,
                const PriorHandling **out,
                GError              **error)
{
  g_autoptr(GBytes) key = g_bytes_new (case_id->bytes, 16);
  PriorHandling *prior = g_hash_table_lookup (batch_prior, key);
  sqlite3_stmt *stmt;
  int rc;

  if (prior == NULL)
    {
      stmt = _motcua_replica_prepare (hub, "SELECT handling_office_id FROM hub_case_scope"
                                      " WHERE case_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, case_id->bytes, 16, SQLITE_STATIC);
      prior = g_new0 (PriorHandling, 1);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          prior->known = TRUE;
          prior->has_office = sqlite3_column_bytes (stmt, 0) == 16;
          if (prior->has_office)
            memcpy (prior->office, sqlite3_column_blob (stmt, 0), 16);
        }
      sqlite3_reset (stmt);
      g_hash_table_insert (batch_prior, g_steal_pointer (&key), prior);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _motcua_replica_set_db_error (hub, error);
          return FALSE;
        }
    }
  *out = prior;

  return TRUE;
}

/* @batch_prior: see prior_handling(). Every entry of a batch about a case that moved in it is
 * scoped to the office it left, not only the entry that moved it: the changes of one push are
 * logged after all of them are applied, so the move must not hide in the middle. */
static gboolean
entry_scope (MotcuaReplica         *hub,
             GHashTable            *batch_prior,
             const MotcuaWireItem  *change,
             EntryScope            *scope,
             GError               **error)
{
  const PriorHandling *prior = NULL;
  MotcuaUuid receiving, handling;
  gboolean has_receiving, has_handling;
  sqlite3_stmt *stmt;

  memset (scope, 0, sizeof *scope);

  if (!change_case (hub, change, &scope->case_id, &scope->has_case, error))
    return FALSE;
  if (!scope->has_case)
    return TRUE;
  if (!case_offices (hub, scope->case_id.bytes, &receiving, &has_receiving, &handling,
                     &has_handling))
    return TRUE;   /* in no one's scope yet */

  if (has_receiving)
    scope->offices[scope->n_offices++] = receiving;
  if (has_handling)
    scope->offices[scope->n_offices++] = handling;

  /* The handling office as last logged before this batch. */
  if (!prior_handling (hub, batch_prior, &scope->case_id, &prior, error))
    return FALSE;
  if (prior->known)
    {
      if (prior->has_office
          && (!has_handling || memcmp (prior->office, handling.bytes, 16) != 0))
        {
          memcpy (scope->offices[scope->n_offices++].bytes, prior->office, 16);
          scope->entered = has_handling;
        }
      else if (!prior->has_office && has_handling)
        scope->entered = TRUE;
    }

  if (scope->n_offices > 0 && has_handling)
    {
      stmt = _motcua_replica_prepare (hub, "INSERT OR REPLACE INTO hub_case_scope"
                                      " (case_id, handling_office_id) VALUES (?1, ?2)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, scope->case_id.bytes, 16, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 2, handling.bytes, 16, SQLITE_STATIC);
      if (!_motcua_replica_step_done (hub, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
insert_log (MotcuaReplica     *hub,
            int                kind,
            const MotcuaUuid  *origin,
            gint64             seq,
            MotcuaTableId      table,
            const MotcuaUuid  *row,
            const EntryScope  *scope,
            const char        *text,
            GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (hub, "INSERT INTO hub_log (origin, seq, tbl, row_id, change,"
                                  " kind, case_id, office_a, office_b, office_c)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, origin->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_int (stmt, 3, table);
  sqlite3_bind_blob (stmt, 4, row->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, text, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, kind);
  if (scope->has_case)
    sqlite3_bind_blob (stmt, 7, scope->case_id.bytes, 16, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 7);
  for (guint i = 0; i < 3; i++)
    if (i < scope->n_offices)
      sqlite3_bind_blob (stmt, 8 + (int) i, scope->offices[i].bytes, 16, SQLITE_STATIC);
    else
      sqlite3_bind_null (stmt, 8 + (int) i);

  return _motcua_replica_step_done (hub, stmt, error);
}

/* A row's whole state as a snapshot row, in @out (left alone when there is no such row).
 * @batch: scratch space, emptied first. */
static gboolean
row_json (MotcuaReplica          *hub,
          const MotcuaTableDesc  *table,
          const MotcuaUuid       *id,
          MotcuaWireBatch        *batch,
          JsonArray              *out,
          GError                **error)
{
  gboolean found;

  _motcua_wire_batch_clear (batch);
  if (!_motcua_replica_row_item (hub, table, id, batch, &found, error))
    return FALSE;
  if (found)
    json_array_add_element (out, _motcua_wire_encode_item (_motcua_wire_batch_item (batch, 0)));

  return TRUE;
}

/* The whole state of a case (its row, timeline, attachments and conflicts) as snapshot rows. */
static JsonArray *
case_snapshot (MotcuaReplica     *hub,
               const MotcuaUuid  *case_id,
               GError           **error)
{
  static const struct { MotcuaTableId table; const char *sql; } parts[] = {
    { MOTCUA_TABLE_CASE_EVENTS, "SELECT id FROM case_events WHERE case_id = ?1 ORDER BY rid" },
    { MOTCUA_TABLE_ATTACHMENTS, "SELECT id FROM attachments WHERE case_id = ?1 ORDER BY rid" },
    { MOTCUA_TABLE_CONFLICTS, "SELECT id FROM conflicts WHERE case_id = ?1 ORDER BY rid" },
  };
  g_autoptr(JsonArray) rows = json_array_new ();
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_batch_new ();

  if (!row_json (hub, _motcua_table_lookup (MOTCUA_TABLE_CASES), case_id, batch, rows, error))
    return NULL;

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      sqlite3_stmt *stmt = _motcua_replica_prepare (hub, parts[p].sql, error);
      int rc;

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_blob (stmt, 1, case_id->bytes, 16, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          MotcuaUuid id;

          if (sqlite3_column_bytes (stmt, 0) != 16)
            continue;
          memcpy (id.bytes, sqlite3_column_blob (stmt, 0), 16);
          /* The statement stays open: row_json uses other statements. */
          if (!row_json (hub, _motcua_table_lookup (parts[p].table), &id, batch, rows, error))
            {
              sqlite3_reset (stmt);
              return NULL;
            }
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _motcua_replica_set_db_error (hub, error);
          return NULL;
        }
    }

  return g_steal_pointer (&rows);
}

static guint64 last_gseq (MotcuaReplica *hub);

/* Appends accepted changes to the global order, each with its scope. A case that moved to a
 * new handling office is logged whole first, for the replicas it has just entered: they
 * hold the case before any change about it (its events, its moved fields) reaches them. */
static gboolean
log_changes (MotcuaReplica         *hub,
             MotcuaWireItem *const *accepted,
             guint                  n,
             GError               **error)
{
  g_autoptr(GHashTable) entered = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                         (GDestroyNotify) g_bytes_unref, NULL);
  g_autoptr(GHashTable) batch_prior = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                             (GDestroyNotify) g_bytes_unref,
                                                             g_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autofree EntryScope *scopes = g_new0 (EntryScope, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      if (!entry_scope (hub, batch_prior, accepted[i], &scopes[i], error))
        return FALSE;

      if (scopes[i].entered)
        {
          g_autoptr(GBytes) key = g_bytes_new (scopes[i].case_id.bytes, 16);

          /* Not g_hash_table_add() alone: on a key it holds, it frees the one held, which
           * order points to. */
          if (!g_hash_table_contains (entered, key))
            {
              g_ptr_array_add (order, key);
              g_hash_table_add (entered, g_steal_pointer (&key));
            }
        }
    }

  for (guint i = 0; i < order->len; i++)
    {
      MotcuaUuid case_id;
      MotcuaUuid receiving, handling;
      gboolean has_receiving, has_handling;
      g_autoptr(JsonArray) rows = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;
      EntryScope scope = { 0 };

      memcpy (case_id.bytes, g_bytes_get_data (order->pdata[i], NULL), 16);
      if (!case_offices (hub, case_id.bytes, &receiving, &has_receiving, &handling,
                         &has_handling)
          || !has_handling)
        continue;
      rows = case_snapshot (hub, &case_id, error);
      if (rows == NULL)
        return FALSE;
      node = json_node_init_array (json_node_alloc (), rows);
      text = json_to_string (node, FALSE);

      /* For the replicas of its new handling office; the others have it. */
      scope.has_case = TRUE;
      scope.case_id = case_id;
      scope.n_offices = 1;
      scope.offices[0] = handling;
      /* Snapshots are nobody's change: a negative sequence number keeps (origin, seq)
       * unique. */
      if (!insert_log (hub, 1, &hub->uuid, -(gint64) last_gseq (hub) - 1, MOTCUA_TABLE_CASES,
                       &case_id, &scope, text, error))
        return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) node = _motcua_wire_encode_item (accepted[i]);
      g_autofree char *text = json_to_string (node, FALSE);

      if (!insert_log (hub, 0, &accepted[i]->origin, (gint64) accepted[i]->seq,
                       accepted[i]->table->id, &accepted[i]->row_id, &scopes[i], text, error))
        return FALSE;
    }

  return TRUE;
}

/* The hub's own writes (the province publishing its catalogue, offices and calendar, its own
 * desk's cases, the conflicts it detects) join the global order like anyone's. */
gboolean
_motcua_hub_publish (MotcuaReplica  *hub,
                     GError        **error)
{
  guint64 published = (guint64) _motcua_replica_meta_get_int (hub, "hub_published", 0);
  g_autoptr(MotcuaWireBatch) own = NULL;
  g_autofree MotcuaWireItem **items = NULL;
  guint64 last;
  guint n;

  if (published >= hub->seq)
    return TRUE;

  if (!motcua_replica_begin (hub, error))
    return FALSE;
  own = _motcua_replica_collect (hub, published, 0, error);
  if (own == NULL)
    return _motcua_replica_finish (hub, FALSE, error);
  n = _motcua_wire_batch_length (own);
  items = g_new (MotcuaWireItem *, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    items[i] = _motcua_wire_batch_item (own, i);
  if (!log_changes (hub, items, n, error))
    return _motcua_replica_finish (hub, FALSE, error);

  last = n > 0 ? items[n - 1]->seq : published;

  return _motcua_replica_finish (hub,
                                 _motcua_replica_meta_set_int (hub, "hub_published",
                                                               (gint64) last, error),
                                 error);
}

static void
add_refusal (JsonArray  *rejected,
             gint64      seq,
             const char *reason)
{
  g_autoptr(JsonObject) r = json_object_new ();

  json_object_set_int_member (r, "s", seq);
  json_object_set_string_member (r, "reason", reason);
  json_array_add_object_element (rejected, g_steal_pointer (&r));
}

/* Keeps a refusal, with the case the refused change was about (if any), and whether the
 * change waits for that case (see wait_refusal()). */
static gboolean
record_refusal (MotcuaReplica     *hub,
                const MotcuaUuid  *origin,
                gint64             seq,
                const char        *reason,
                gboolean           wait,
                const MotcuaWireItem *change,
                GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "INSERT OR REPLACE INTO hub_rejected"
                                                " (origin, seq, reason, case_id, waits)"
                                                " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  MotcuaUuid case_id;
  gboolean has_case = FALSE;

  if (stmt == NULL || !change_case (hub, change, &case_id, &has_case, error))
    return FALSE;
  sqlite3_bind_blob (stmt, 1, origin->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_STATIC);
  if (has_case)
    sqlite3_bind_blob (stmt, 4, case_id.bytes, 16, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_int (stmt, 5, wait);

  return _motcua_replica_step_done (hub, stmt, error);
}

/* The refusals of the peer's changes @first … @last, in order: those of this push and those
 * of earlier pushes whose answer the peer may never have heard, since an acknowledgement
 * can run past the batch that carries it. A refusal about a case that is not the peer's
 * names it as "gone": the peer drops its copy, which only its refused writes kept. One about
 * a case the hub did not hold names it as "wait": the peer sends the change again when the
 * case reaches it from the hub. */
static gboolean
report_refusals (MotcuaReplica     *hub,
                 MotcuaHubPeer     *peer,
                 gint64             first,
                 gint64             last,
                 JsonArray         *rejected,
                 GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT seq, reason, case_id, waits"
                                                " FROM hub_rejected"
                                                " WHERE origin = ?1 AND seq BETWEEN ?2 AND ?3"
                                                " ORDER BY seq", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, peer->replica_id.bytes, 16, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, first);
  sqlite3_bind_int64 (stmt, 3, last);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      add_refusal (rejected, sqlite3_column_int64 (stmt, 0),
                   (const char *) sqlite3_column_text (stmt, 1));
      if (sqlite3_column_bytes (stmt, 2) == 16
          && (sqlite3_column_int (stmt, 3)
              || !case_in_scope (hub, peer, sqlite3_column_blob (stmt, 2))))
        {
          JsonObject *r = json_array_get_object_element (rejected,
                                                         json_array_get_length (rejected) - 1);
          char id[37];

          motcua_uuid_to_string ((const MotcuaUuid *) sqlite3_column_blob (stmt, 2), id);
          json_object_set_string_member (r, sqlite3_column_int (stmt, 3) ? "wait" : "gone", id);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (hub, error);
      return FALSE;
    }

  return TRUE;
}

/* The peer sent a change about a case its refusals waited for: sent again (or overtaken by a
 * later change of its own), they wait no more (waits 2; see _motcua_hub_cases_back()). */
static gboolean
waits_over (MotcuaReplica         *hub,
            MotcuaHubPeer         *peer,
            MotcuaWireItem *const *accepted,
            guint                  n,
            GError               **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT EXISTS (SELECT 1 FROM hub_rejected"
                                                " WHERE origin = ?1 AND waits = 1)", error);
  gboolean any;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, peer->replica_id.bytes, 16, SQLITE_STATIC);
  any = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (!any)
    return TRUE;

  stmt = _motcua_replica_prepare (hub, "UPDATE hub_rejected SET waits = 2 WHERE origin = ?1"
                                  " AND waits = 1 AND case_id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      MotcuaUuid case_id;
      gboolean has_case = FALSE;

      if (!change_case (hub, accepted[i], &case_id, &has_case, error))
        return FALSE;
      if (!has_case)
        continue;
      sqlite3_bind_blob (stmt, 1, peer->replica_id.bytes, 16, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 2, case_id.bytes, 16, SQLITE_STATIC);
      if (!_motcua_replica_step_done (hub, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* The cases a push makes, and whether the offices it gives them place them in the peer's
 * jurisdiction (@named_cases); and the procedures it gives them, which bound their papers
 * (@named_procedures). */
static void
name_cases (MotcuaReplica   *hub,
            MotcuaHubPeer   *peer,
            MotcuaWireBatch *changes,
            GHashTable      *named_cases,
            GHashTable      *named_procedures)
{
  for (guint i = 0; i < _motcua_wire_batch_length (changes); i++)
    {
      const MotcuaWireItem *change = _motcua_wire_batch_item (changes, i);
      const char *column = column_name (change);
      const MotcuaValue *value = &change->values[0];

      if (change->table->id != MOTCUA_TABLE_CASES)
        continue;
      if ((strcmp (column, "receiving_office_id") == 0
           || strcmp (column, "handling_office_id") == 0)
          && !case_known (hub, change->row_id.bytes))
        {
          GBytes *key = g_bytes_new (change->row_id.bytes, 16);
          int named = GPOINTER_TO_INT (g_hash_table_lookup (named_cases, key));

          /* A new row carries every column: the receiving office, even if null, says it is
           * made here; a transfer carries the handling office alone. */
          if (strcmp (column, "receiving_office_id") == 0)
            named |= NAMED_MADE;
          if (value->type == SQLITE_BLOB && office_in_scope (peer, value->s, 16))
            named |= NAMED_IN_SCOPE;
          g_hash_table_replace (named_cases, key, GINT_TO_POINTER (named));
        }
      if (strcmp (column, "procedure_id") == 0 && value->type == SQLITE_BLOB)
        g_hash_table_insert (named_procedures, g_bytes_new (change->row_id.bytes, 16),
                             g_bytes_new (value->s, 16));
    }
}

static gboolean
apply_pending (MotcuaReplica  *hub,
               GPtrArray      *pending,
               PushState      *state,
               GError        **error)
{
  gboolean ok = pending->len == 0
                || _motcua_replica_apply_items (hub, (MotcuaWireItem *const *) pending->pdata,
                                                pending->len, NULL, detect_conflict, state,
                                                error);

  g_ptr_array_set_size (pending, 0);

  return ok;
}

static gboolean
push_in_tx (MotcuaReplica    *hub,
            MotcuaHubPeer    *peer,
            MotcuaWireBatch  *changes,
            JsonArray        *rejected,
            guint            *n_conflicts,
            GError          **error)
{
  g_autoptr(GHashTable) named_cases = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                              (GDestroyNotify) g_bytes_unref,
                                                              NULL);
  g_autoptr(GHashTable) write_scope = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                              (GDestroyNotify) g_bytes_unref,
                                                              NULL);
  g_autoptr(GHashTable) named_procedures = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                                   (GDestroyNotify) g_bytes_unref,
                                                                   (GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) accepted = g_ptr_array_new ();
  g_autoptr(GPtrArray) pending = g_ptr_array_new ();   /* accepted, of the write under way */
  MotcuaHlc write_hlc = 0;
  gint64 first_seq = -1;
  PushState state = { peer, 0 };
  guint64 acked = peer->acked_seq;
  sqlite3_stmt *stmt;

  name_cases (hub, peer, changes, named_cases, named_procedures);

  /* Conflicts are detected against the hub's state with its own writes logged first. */
  if (!_motcua_hub_publish (hub, error))
    return FALSE;

  for (guint i = 0; i < _motcua_wire_batch_length (changes); i++)
    {
      MotcuaWireItem *change = _motcua_wire_batch_item (changes, i);
      g_autofree char *reason = NULL;
      gboolean wait = FALSE;

      /* A replica pushes its own changes only; the first push binds the token to it. */
      if (!peer->bound)
        {
          if (!_motcua_hub_bind_in_tx (hub, peer, &change->origin, error))
            return FALSE;
          acked = peer->acked_seq;
        }
      if (memcmp (change->origin.bytes, peer->replica_id.bytes, 16) != 0)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("change %u: o is another replica's: a replica pushes its own changes"),
                       i);
          return FALSE;
        }

      if (first_seq < 0)
        first_seq = (gint64) change->seq;
      if (change->seq <= acked)
        continue;   /* held already: acknowledged again (with its refusal, below) */
      if (change->seq != acked + 1)
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_GAP,
                       _("change %u has sequence number %llu but %llu was acknowledged last:"
                         " push from %llu"), i, (unsigned long long) change->seq,
                       (unsigned long long) acked, (unsigned long long) acked + 1);
          return FALSE;
        }

      if (change->hlc != write_hlc)
        {
          /* A new logical write: the last one is merged first (a write is merged whole, its
           * row read and written once), then scope is judged afresh. */
          if (!apply_pending (hub, pending, &state, error))
            return FALSE;
          write_hlc = change->hlc;
          g_hash_table_remove_all (write_scope);
        }
      reason = refusal (hub, peer, named_cases, named_procedures, write_scope, change, &wait);
      if (reason != NULL)
        {
          if (!record_refusal (hub, &change->origin, (gint64) change->seq, reason, wait, change,
                               error))
            return FALSE;
        }
      else
        {
          g_ptr_array_add (pending, change);
          g_ptr_array_add (accepted, change);
        }
      acked = change->seq;
    }

  if (!apply_pending (hub, pending, &state, error))
    return FALSE;

  if (!log_changes (hub, (MotcuaWireItem *const *) accepted->pdata, accepted->len, error)
      || !waits_over (hub, peer, (MotcuaWireItem *const *) accepted->pdata, accepted->len, error))
    return FALSE;
  if (first_seq > 0
      && !report_refusals (hub, peer, first_seq, (gint64) acked, rejected, error))
    return FALSE;
  /* The conflicts it found follow the changes that made them. */
  if (!_motcua_hub_publish (hub, error))
    return FALSE;

  stmt = _motcua_replica_prepare (hub, "UPDATE hub_replicas SET acked_seq = ?1, replica_id = ?2"
                                  " WHERE token_id = ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) acked);
  if (peer->bound)
    sqlite3_bind_blob (stmt, 2, peer->replica_id.bytes, 16, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, peer->token_id, -1, SQLITE_STATIC);
  if (!_motcua_replica_step_done (hub, stmt, error))
    return FALSE;

  peer->acked_seq = acked;
  *n_conflicts = state.n_conflicts;

  return TRUE;
}

gboolean
_motcua_hub_push_batch (MotcuaReplica    *hub,
                        MotcuaHubPeer    *peer,
                        MotcuaWireBatch  *changes,
                  guint64        *acked_out,
                  JsonArray     **rejected_out,
                  guint          *n_conflicts_out,
                  GError        **error)
{
  g_autoptr(JsonArray) rejected = json_array_new ();
  MotcuaHubPeer saved = *peer;
  guint n_conflicts = 0;

  if (!motcua_replica_begin (hub, error))
    return FALSE;
  if (!_motcua_replica_finish (hub, push_in_tx (hub, peer, changes, rejected, &n_conflicts,
                                                error), error))
    {
      /* Nothing of the push was kept. */
      peer->bound = saved.bound;
      peer->replica_id = saved.replica_id;
      peer->acked_seq = saved.acked_seq;
      return FALSE;
    }

  if (acked_out != NULL)
    *acked_out = peer->acked_seq;
  if (rejected_out != NULL)
    *rejected_out = g_steal_pointer (&rejected);
  if (n_conflicts_out != NULL)
    *n_conflicts_out = n_conflicts;

  return TRUE;
}

gboolean
_motcua_hub_push (MotcuaReplica  *hub,
                  MotcuaHubPeer  *peer,
                  JsonArray      *changes,
                  guint64        *acked_out,
                  JsonArray     **rejected_out,
                  guint          *n_conflicts_out,
                  GError        **error)
{
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_decode (changes, TRUE, error);

  return batch != NULL
         && _motcua_hub_push_batch (hub, peer, batch, acked_out, rejected_out, n_conflicts_out,
                                    error);
}

/* Pull */

static gboolean
entry_in_scope (MotcuaHubPeer *peer,
                sqlite3_stmt  *stmt,
                int            first_office_column)
{
  if (sqlite3_column_type (stmt, first_office_column - 1) == SQLITE_NULL)
    return TRUE;   /* about no case: reference data */

  for (int i = 0; i < 3; i++)
    if (office_in_scope (peer, sqlite3_column_blob (stmt, first_office_column + i),
                         sqlite3_column_bytes (stmt, first_office_column + i)))
      return TRUE;

  return FALSE;
}

/* The changes of one row write are logged together: the same origin and row, consecutive
 * sequence numbers. A write has at most one change per column, so a batch that finishes the
 * write it is in grows by less than this. */
#define MAX_WRITE_SPILL 64

typedef struct
{
  gboolean valid;
  guint8   origin[16];
  guint8   row[16];
  gint64   seq;
} LogWrite;

/* Whether the entry at @stmt (columns: 1 origin, 8 seq, 9 row) continues the write @previous
 * was part of. */
static gboolean
write_continues (const LogWrite *previous,
                 sqlite3_stmt   *stmt)
{
  return previous->valid
         && sqlite3_column_bytes (stmt, 1) == 16 && sqlite3_column_bytes (stmt, 9) == 16
         && memcmp (sqlite3_column_blob (stmt, 1), previous->origin, 16) == 0
         && memcmp (sqlite3_column_blob (stmt, 9), previous->row, 16) == 0
         && sqlite3_column_int64 (stmt, 8) == previous->seq + 1;
}

static void
write_remember (LogWrite     *previous,
                sqlite3_stmt *stmt,
                int           kind)
{
  previous->valid = kind == 0 && sqlite3_column_bytes (stmt, 1) == 16
                    && sqlite3_column_bytes (stmt, 9) == 16;
  if (!previous->valid)
    return;
  memcpy (previous->origin, sqlite3_column_blob (stmt, 1), 16);
  memcpy (previous->row, sqlite3_column_blob (stmt, 9), 16);
  previous->seq = sqlite3_column_int64 (stmt, 8);
}

/* The log past @cursor. Bounded in what it returns and in what it reads, so a replica far
 * behind gets answers of steady size. */
static gboolean
pull_log (MotcuaReplica  *hub,
          MotcuaHubPeer  *peer,
          guint64         cursor,
          guint           limit,
          JsonArray      *out,
          guint64        *cursor_out,
          gboolean       *more_out,
          GError        **error)
{
  sqlite3_stmt *stmt;
  LogWrite previous = { FALSE };
  guint64 last = cursor;
  guint scanned = 0;
  gboolean more = FALSE;
  int rc;

  stmt = _motcua_replica_prepare (hub, "SELECT gseq, origin, kind, change, case_id, office_a,"
                                  " office_b, office_c, seq, row_id FROM hub_log WHERE gseq > ?1"
                                  " ORDER BY gseq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) cursor);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean own = peer->bound && sqlite3_column_bytes (stmt, 1) == 16
                     && memcmp (sqlite3_column_blob (stmt, 1), peer->replica_id.bytes, 16) == 0;
      int kind = sqlite3_column_int (stmt, 2);

      gboolean same_write = kind == 0 && write_continues (&previous, stmt);

      /* A batch never ends inside one row write: a replica between two batches (a sync cut
       * there) holds every write whole, never a case with half its fields. */
      if ((json_array_get_length (out) >= limit || scanned >= limit * 20)
          && !(same_write && json_array_get_length (out) < limit + MAX_WRITE_SPILL))
        {
          more = TRUE;
          break;
        }
      scanned++;
      last = (guint64) sqlite3_column_int64 (stmt, 0);
      write_remember (&previous, stmt, kind);

      if ((own && kind == 0) || !entry_in_scope (peer, stmt, 5))
        continue;

      {
        g_autoptr(JsonNode) node = json_from_string ((const char *) sqlite3_column_text (stmt, 3),
                                                     NULL);

        if (node == NULL)
          continue;
        if (kind == 1 && JSON_NODE_HOLDS_ARRAY (node))
          {
            JsonArray *rows = json_node_get_array (node);

            for (guint i = 0; i < json_array_get_length (rows); i++)
              json_array_add_element (out, json_node_copy (json_array_get_element (rows, i)));
          }
        else
          json_array_add_element (out, g_steal_pointer (&node));
      }
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _motcua_replica_set_db_error (hub, error);
      return FALSE;
    }

  *cursor_out = last;
  *more_out = more;

  return TRUE;
}

/* A new replica downloads current state, not history: every row in its scope as a snapshot row,
 * table by table in rid order, then the log from where the snapshot began. The cursor says
 * where it is: "s<gseq>.<table>.<rid>". */
static const MotcuaTableId state_tables[] = {
  MOTCUA_TABLE_OFFICES, MOTCUA_TABLE_PROCEDURES, MOTCUA_TABLE_CALENDAR, MOTCUA_TABLE_CASES,
  MOTCUA_TABLE_CASE_EVENTS, MOTCUA_TABLE_ATTACHMENTS, MOTCUA_TABLE_CONFLICTS,
};

static gboolean
row_in_scope (MotcuaReplica  *hub,
              MotcuaHubPeer  *peer,
              MotcuaTableId   table,
              sqlite3_stmt   *stmt)
{
  switch (table)
    {
    case MOTCUA_TABLE_CASES:
      return office_in_scope (peer, sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2))
             || office_in_scope (peer, sqlite3_column_blob (stmt, 3),
                                 sqlite3_column_bytes (stmt, 3));
    case MOTCUA_TABLE_CASE_EVENTS:
    case MOTCUA_TABLE_ATTACHMENTS:
    case MOTCUA_TABLE_CONFLICTS:
      if (sqlite3_column_bytes (stmt, 2) != 16)
        return table == MOTCUA_TABLE_CONFLICTS;
      return case_in_scope (hub, peer, sqlite3_column_blob (stmt, 2));
    default:
      return TRUE;
    }
}

static gboolean
pull_state (MotcuaReplica  *hub,
            MotcuaHubPeer  *peer,
            guint64         base,
            guint           table_index,
            gint64          after_rid,
            guint           limit,
            JsonArray      *out,
            char          **cursor_out,
            gboolean       *more_out,
            GError        **error)
{
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_batch_new ();
  guint scanned = 0;

  for (; table_index < G_N_ELEMENTS (state_tables); table_index++, after_rid = 0)
    {
      const MotcuaTableDesc *table = _motcua_table_lookup (state_tables[table_index]);
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;
      int rc;

      switch (table->id)
        {
        case MOTCUA_TABLE_CASES:
          sql = g_strdup ("SELECT rid, id, receiving_office_id, handling_office_id FROM cases"
                          " WHERE rid > ?1 ORDER BY rid");
          break;
        case MOTCUA_TABLE_CASE_EVENTS:
        case MOTCUA_TABLE_ATTACHMENTS:
        case MOTCUA_TABLE_CONFLICTS:
          sql = g_strdup_printf ("SELECT rid, id, case_id FROM %s WHERE rid > ?1 ORDER BY rid",
                                 table->name);
          break;
        default:
          sql = g_strdup_printf ("SELECT rid, id FROM %s WHERE rid > ?1 ORDER BY rid",
                                 table->name);
          break;
        }
      stmt = _motcua_replica_prepare_text (hub, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, after_rid);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          MotcuaUuid id;

          if (json_array_get_length (out) >= limit || scanned >= limit * 20)
            {
              sqlite3_reset (stmt);
              *cursor_out = g_strdup_printf ("s%" G_GUINT64_FORMAT ".%u.%" G_GINT64_FORMAT, base,
                                             table_index, after_rid);
              *more_out = TRUE;
              return TRUE;
            }
          scanned++;
          after_rid = sqlite3_column_int64 (stmt, 0);
          if (sqlite3_column_bytes (stmt, 1) != 16
              || !row_in_scope (hub, peer, table->id, stmt))
            continue;
          memcpy (id.bytes, sqlite3_column_blob (stmt, 1), 16);
          if (!row_json (hub, table, &id, batch, out, error))
            {
              sqlite3_reset (stmt);
              return FALSE;
            }
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _motcua_replica_set_db_error (hub, error);
          return FALSE;
        }
    }

  *cursor_out = g_strdup_printf ("%" G_GUINT64_FORMAT, base);
  *more_out = TRUE;   /* the log from base follows */

  return TRUE;
}

static guint64
last_gseq (MotcuaReplica *hub)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (hub, "SELECT max(gseq) FROM hub_log", NULL);
  guint64 last = 0;

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    last = (guint64) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return last;
}

JsonArray *
_motcua_hub_pull (MotcuaReplica  *hub,
                  MotcuaHubPeer  *peer,
                  const char     *cursor,
                  guint           limit,
                  char          **cursor_out,
                  gboolean       *more_out,
                  GError        **error)
{
  g_autoptr(JsonArray) out = json_array_new ();
  guint64 base = 0, position = 0;
  guint table_index = 0;
  gint64 after_rid = 0;
  char *end = NULL;

  g_return_val_if_fail (cursor_out != NULL && more_out != NULL, NULL);

  if (!_motcua_hub_publish (hub, error))
    return NULL;

  if (cursor == NULL || *cursor == '\0')
    {
      /* From nothing: the current state, then the log from here. */
      if (!pull_state (hub, peer, last_gseq (hub), 0, 0, limit, out, cursor_out, more_out,
                       error))
        return NULL;
      return g_steal_pointer (&out);
    }

  /* Digits only (and a state cursor's “s” and dots): g_ascii_strtoull() would also take
   * spaces and a sign, and wrap “-1” around to the largest number. */
  for (const char *c = cursor[0] == 's' ? cursor + 1 : cursor; *c != '\0'; c++)
    if (!g_ascii_isdigit (*c) && !(cursor[0] == 's' && *c == '.'))
      goto bad;

  if (cursor[0] == 's')
    {
      errno = 0;
      base = g_ascii_strtoull (cursor + 1, &end, 10);
      if (end == NULL || *end != '.' || errno != 0 || base > G_MAXINT64 || base > last_gseq (hub))
        goto bad;
      table_index = (guint) g_ascii_strtoull (end + 1, &end, 10);
      if (end == NULL || *end != '.' || table_index >= G_N_ELEMENTS (state_tables))
        goto bad;
      after_rid = g_ascii_strtoll (end + 1, &end, 10);
      if (end == NULL || *end != '\0' || after_rid < 0)
        goto bad;
      if (!pull_state (hub, peer, base, table_index, after_rid, limit, out, cursor_out,
                       more_out, error))
        return NULL;
      return g_steal_pointer (&out);
    }

  errno = 0;
  position = g_ascii_strtoull (cursor, &end, 10);
  if (end == NULL || end == cursor || *end != '\0' || errno != 0 || position > G_MAXINT64
      || position > last_gseq (hub))
    goto bad;

  if (!pull_log (hub, peer, position, limit, out, &position, more_out, error))
    return NULL;
  *cursor_out = g_strdup_printf ("%" G_GUINT64_FORMAT, position);

  return g_steal_pointer (&out);

bad:
  /* Malformed, or past the end of the log: never one this server gave, or one it gave before
   * its store was restored from an older copy. NOT_FOUND, so that the answer can say so (the
   * replica then pulls its scope from the start). */
  g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
               _("cursor “%s” is not one this server gave"), cursor);
  return NULL;
}

gboolean
_motcua_replica_is_hub (MotcuaReplica *self)
{
  return _motcua_replica_meta_get_int (self, "hub", 0) != 0;
}
