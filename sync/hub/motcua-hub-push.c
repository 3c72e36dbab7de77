/* motcua-hub-push.c: judging a push
 *
 * A replica pushes a contiguous run of its own changes. Each logical write (the changes of one
 * HLC) is judged on the hub's state as it was when the write began: a change outside the peer's
 * jurisdiction or authority is refused alone (kept, acknowledged, reported), one about a case
 * the hub lacks waits for it, the rest are merged whole with conflict detection and appended to
 * the global order, all in one transaction.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-cases-private.h"
#include "motcua-hub-private.h"

/* The name of the column a change writes, or "" for a whole row. */
static const char *
column_name (const MotcuaWireItem *change)
{
  return change->column > 0 ? change->table->columns[change->column - 1].name : "";
}

/* What a push says of a case the hub does not hold yet: that it makes it (it names the
 * office that received it), and that an office it names is in the peer's jurisdiction. */
enum { NAMED_MADE = 1 << 0, NAMED_IN_SCOPE = 1 << 1 };
#define NAMED_MADE_IN_SCOPE (NAMED_MADE | NAMED_IN_SCOPE)

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
  in = _motcua_hub_case_in_scope (hub, peer, case_id);
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
  gboolean has_receiving, has_handling, released;
  gboolean is_null = v->type == SQLITE_NULL;
  gboolean receiving_column = strcmp (column, "receiving_office_id") == 0;
  char text[37];

  if (!receiving_column && strcmp (column, "handling_office_id") != 0)
    return NULL;
  if (!is_null && !_motcua_store_hub_push_office_exists (hub, (const guint8 *) v->s))
    {
      motcua_uuid_to_string ((const MotcuaUuid *) (const void *) v->s, text);
      return g_strdup_printf (_("%s is not an office of this province"), text);
    }
  if (receiving_column && _motcua_hub_case_known (hub, change->row_id.bytes))
    {
      _motcua_store_hub_scope_case_offices (hub, change->row_id.bytes, &receiving,
                                            &has_receiving, &handling, &has_handling,
                                            &released);
      if (is_null || !(has_receiving || released) || memcmp (receiving.bytes, v->s, 16) != 0)
        {
          motcua_uuid_to_string (&change->row_id, text);
          return g_strdup_printf (_("the office that received case %s does not change after"
                                    " it is received"), text);
        }
    }

  return NULL;
}

/* Whether @change was stamped after the case's last move to another handling office (the
 * register of its handling_office_id: the reception for a dossier forwarded then, the transfer
 * otherwise). A write stamped no later was made while the desk that wrote it may still have
 * handled the case, offline before it heard of the move: the field merge judges it. On an
 * error, as if after: the change is then judged by the limits, and refused. */
static gboolean
written_after_move (MotcuaReplica        *hub,
                    const MotcuaWireItem *change)
{
  MotcuaHlc moved;

  return !_motcua_replica_column_hlc (hub, change->table, &change->row_id,
                                      C_HANDLING_OFFICE_ID, &moved, NULL)
         || change->hlc > moved;
}

/* A dossier received at one office and decided by another: forwarded at reception (Decree
 * 118/2025/NĐ-CP: received anywhere in the province), or transferred since. A desk whose
 * jurisdiction holds the receiving office but not the deciding one hands the result back
 * (unless the deciding office does), takes a withdrawal and keeps the applicant's contact and
 * rating: it writes only those, in writes stamped after the move (written_after_move()). */
static char *
receiving_desk_refusal (MotcuaReplica        *hub,
                        MotcuaHubPeer        *peer,
                        const MotcuaWireItem *change)
{
  static const char *const allowed[] = {
    "status", "resolved_at", "returned_at", "returned_via", "rating", "phone", "address", NULL
  };
  const char *column = column_name (change);
  const MotcuaValue *v = &change->values[0];
  MotcuaUuid receiving, handling;
  gboolean has_receiving, has_handling, returns;
  char text[37];

  if (!_motcua_hub_case_known (hub, change->row_id.bytes)
      || !_motcua_store_hub_scope_case_offices (hub, change->row_id.bytes, &receiving,
                                                &has_receiving, &handling, &has_handling, NULL)
      || !has_handling || _motcua_hub_office_in_scope (peer, handling.bytes, 16)
      || !has_receiving || !_motcua_hub_office_in_scope (peer, receiving.bytes, 16)
      || !written_after_move (hub, change))
    return NULL;
  returns = !_motcua_store_hub_scope_case_returned_by_decider (hub, change->row_id.bytes);

  if (strcmp (column, "status") == 0)
    {
      MotcuaStatusKey key;

      if (v->type == SQLITE_TEXT && motcua_status_key_decode (v->s, &key)
          && ((returns && key.status == MOTCUA_STATUS_RETURNED)
              || key.status == MOTCUA_STATUS_WITHDRAWN))
        return NULL;
    }
  else if (g_strv_contains (allowed, column)
           && (returns || (strcmp (column, "returned_at") != 0
                           && strcmp (column, "returned_via") != 0)))
    return NULL;

  motcua_uuid_to_string (&change->row_id, text);
  if (!returns)
    return g_strdup_printf (_("case %s is decided by another office, which hands its result"
                              " back: the desk that received it may take a withdrawal and keep"
                              " the applicant's contact and rating, not write %s"), text, column);
  return g_strdup_printf (_("case %s is decided by another office: the desk that received it"
                            " may hand its result back, take a withdrawal and keep the"
                            " applicant's contact and rating, not write %s"), text, column);
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
  MotcuaUuid holder;
  char holder_id[37], case_text[37];

  if (strcmp (column_name (change), "receipt_no") != 0 || v->type != SQLITE_TEXT)
    return NULL;
  /* Held by no other case, or not read (the merge meets the same error). */
  if (!_motcua_store_hub_push_receipt_holder (hub, v->s, case_id, &holder))
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
static char *
insert_only_refusal (MotcuaReplica        *hub,
                     const MotcuaWireItem *pushed)
{
  const MotcuaTableDesc *table = pushed->table;
  g_autoptr(MotcuaWireBatch) batch = NULL;
  MotcuaWireItem *held;
  gint64 rid;
  char id[37];

  /* -1 for a new row, as nearly every pushed one is; or one not read, and the merge meets the
   * same error. */
  rid = _motcua_store_hub_push_row_rid (hub, table->id, &pushed->row_id);
  if (rid < 0)
    return NULL;
  batch = _motcua_wire_batch_new ();
  held = _motcua_wire_batch_add (batch, table, FALSE, 0);
  if (!_motcua_replica_read_row (hub, table, rid, batch, held, NULL))
    return NULL;

  for (guint c = 0; c < table->n_columns; c++)
    if (!_motcua_value_equal (&held->values[c], &pushed->values[c]))
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
  GBytes *named;
  gboolean found = _motcua_store_hub_push_case_procedure (hub, case_id, out);

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
         && !_motcua_hub_case_known (hub, case_id);
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
          || (reason = receiving_desk_refusal (hub, peer, change)) != NULL
          || (reason = receipt_refusal (hub, change)) != NULL)
        return reason;
      return value_refusal (hub, named_procedures, change);
    }
  else if (table->id == MOTCUA_TABLE_CASE_EVENTS || table->id == MOTCUA_TABLE_ATTACHMENTS)
    {
      const MotcuaUuid *case_id = _motcua_hub_row_case (change);

      if (case_id != NULL && case_unknown (hub, named_cases, case_id->bytes))
        return wait_refusal (case_id, wait);
      if (case_id == NULL || !case_writable (hub, peer, named_cases, write_scope, case_id->bytes))
        return g_strdup_printf (_("its case is not in the jurisdiction of %s"),
                                peer->office_code);
      return insert_only_refusal (hub, change);
    }
  else if (table->id == MOTCUA_TABLE_CONFLICTS)
    {
      MotcuaUuid case_id;
      gboolean exists, has_case;
      gboolean allowed = FALSE;

      /* A replica writes a conflict only to resolve it: one the hub made, in its scope. */
      if (_motcua_store_hub_log_conflict_case (hub, row, &exists, &has_case, &case_id, NULL)
          && exists)
        allowed = !has_case
                  ? peer->level == MOTCUA_LEVEL_PROVINCE
                  : case_in_scope_for_write (hub, peer, write_scope, case_id.bytes);
      if (!allowed)
        return g_strdup_printf (_("conflict %s is not one %s may resolve"), row_text,
                                peer->office_code);
    }

  return NULL;
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
  MotcuaStoreHubRefusal refusal = { seq, reason, NULL, wait };
  MotcuaUuid case_id;
  gboolean has_case = FALSE;

  if (!_motcua_hub_change_case (hub, change, &case_id, &has_case, error))
    return FALSE;
  if (has_case)
    refusal.case_id = &case_id;

  return _motcua_store_hub_push_refusal_keep (hub, origin, &refusal, error);
}

typedef struct
{
  MotcuaReplica *hub;
  MotcuaHubPeer *peer;
  JsonArray     *rejected;
} RefusalReport;

static gboolean
report_refusal (const MotcuaStoreHubRefusal  *refusal,
                gpointer                      user_data,
                GError                      **error)
{
  RefusalReport *report = user_data;

  add_refusal (report->rejected, refusal->seq, refusal->reason);
  if (refusal->case_id != NULL
      && (refusal->waits
          || !_motcua_hub_case_in_scope (report->hub, report->peer, refusal->case_id->bytes)))
    {
      JsonObject *r = json_array_get_object_element (report->rejected,
                                                     json_array_get_length (report->rejected)
                                                     - 1);
      char id[37];

      motcua_uuid_to_string (refusal->case_id, id);
      json_object_set_string_member (r, refusal->waits ? "wait" : "gone", id);
    }

  return TRUE;
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
  RefusalReport report = { hub, peer, rejected };

  return _motcua_store_hub_push_refusals_read (hub, &peer->replica_id, first, last,
                                               report_refusal, &report, error);
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
  g_autoptr(GArray) case_ids = NULL;
  gboolean any;

  if (!_motcua_store_hub_push_any_waiting (hub, &peer->replica_id, &any, error))
    return FALSE;
  if (!any)
    return TRUE;

  case_ids = g_array_sized_new (FALSE, FALSE, sizeof (MotcuaUuid), n);
  for (guint i = 0; i < n; i++)
    {
      MotcuaUuid case_id;
      gboolean has_case = FALSE;

      if (!_motcua_hub_change_case (hub, accepted[i], &case_id, &has_case, error))
        return FALSE;
      if (has_case)
        g_array_append_val (case_ids, case_id);
    }

  return _motcua_store_hub_push_waits_over (hub, &peer->replica_id,
                                            (const MotcuaUuid *) (const void *) case_ids->data,
                                            case_ids->len, error);
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
          && !_motcua_hub_case_known (hub, change->row_id.bytes))
        {
          GBytes *key = g_bytes_new (change->row_id.bytes, 16);
          int named = GPOINTER_TO_INT (g_hash_table_lookup (named_cases, key));

          /* A new row carries every column: the receiving office, even if null, says it is
           * made here; a transfer carries the handling office alone. */
          if (strcmp (column, "receiving_office_id") == 0)
            named |= NAMED_MADE;
          if (value->type == SQLITE_BLOB && _motcua_hub_office_in_scope (peer, value->s, 16))
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
               guint          *n_found,
               GError        **error)
{
  gboolean ok = pending->len == 0
                || _motcua_replica_apply_items (hub, (MotcuaWireItem *const *) pending->pdata,
                                                pending->len, NULL, _motcua_hub_detect_conflict,
                                                n_found, error);

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
  guint n_found = 0;
  guint64 acked = peer->acked_seq;

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
          if (!apply_pending (hub, pending, &n_found, error))
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

  if (!apply_pending (hub, pending, &n_found, error))
    return FALSE;

  if (!_motcua_hub_log_changes (hub, (MotcuaWireItem *const *) accepted->pdata, accepted->len,
                                error)
      || !waits_over (hub, peer, (MotcuaWireItem *const *) accepted->pdata, accepted->len, error))
    return FALSE;
  if (first_seq > 0
      && !report_refusals (hub, peer, first_seq, (gint64) acked, rejected, error))
    return FALSE;
  /* The conflicts it found follow the changes that made them. */
  if (!_motcua_hub_publish (hub, error))
    return FALSE;

  if (!_motcua_store_hub_push_acknowledge (hub, peer->token_id, acked,
                                           peer->bound ? &peer->replica_id : NULL, error))
    return FALSE;

  peer->acked_seq = acked;
  *n_conflicts = n_found;

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
  g_autoptr(MotcuaWireBatch) batch = _motcua_wire_decode_array (changes, FALSE, TRUE, error);

  return batch != NULL
         && _motcua_hub_push_batch (hub, peer, batch, acked_out, rejected_out, n_conflicts_out,
                                    error);
}
