/* motcua-sync.c: a replica syncing with its server (protocol v1, see sync/PROTOCOL.md)
 *
 * One sync: ask the server's time and what it acknowledged; re-stamp pending changes if this
 * computer's clock ran ahead; push pending changes in contiguous batches; renew receipt-number
 * leases; pull in bounded batches, each committed with its cursor, until up to date; compare
 * the scope's digest with the server's, pulling the whole scope again when they differ; purge
 * the cases that left the scope. Every step is idempotent, so a sync cut anywhere is simply run
 * again and resumes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "motcua-blobs-private.h"
#include "motcua-conflicts.h"
#include "motcua-error.h"
#include "motcua-replica-private.h"
#include "motcua-sync.h"
#include "motcua-transport-private.h"
#include "motcua-version.h"

/* Changes per push: the server takes 5,000 (PROTOCOL.md), and a batch is rounded up to whole row
 * writes (63 more at most). Each push is a request and a durable transaction on the server, so
 * fewer, larger ones go faster; 4,000 compact changes are ~30 kB of gzip, ~1 s at 256 kbit/s. */
#define PUSH_BATCH 4000
#define PULL_BATCH 2000
/* A transport's own batch size, if it sets one. */
#define BATCH(set, otherwise) ((set) != 0 ? (set) : (otherwise))
#define LEASE_BLOCK 200
/* Pushes made again, when the officer wrote during a sync, before its comparison of digests is
 * left to the next sync. */
#define WRITES_DURING_SYNC_ROUNDS 2
#define LEASE_LOW 50

typedef struct
{
  MotcuaReplica      *replica;
  MotcuaTransport    *transport;
  MotcuaProgressFunc  progress;
  gpointer            user_data;
  GCancellable       *cancellable;
  MotcuaSyncProgress  p;
  gint64              server_now;
  guint64             held;           /* what the server holds of ours, from its status */
  gboolean            compact;        /* the server takes and gives compact change lists */
  guint64             upto;           /* this push ends here: what was written when it began */
} Run;

/* One request; the answer's JSON object, or FALSE with an error naming what went wrong. */
static JsonObject *
call (Run         *run,
      const char  *method,
      const char  *endpoint,
      JsonObject  *body,
      GError     **error)
{
  g_autofree char *path = g_strdup_printf ("/v1/%s?protocol=%d&schema=%d", endpoint,
                                           MOTCUA_PROTOCOL_VERSION, MOTCUA_SCHEMA_VERSION);
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  guint status = 0;
  JsonObject *o;
  gsize size;
  const char *data;

  if (body != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
      char *text = json_to_string (node, FALSE);

      request = g_bytes_new_take (text, strlen (text));
    }

  /* Asked to slow down (429): wait as long as the server says and send it again; a push
   * and a pull by cursor are both safe to repeat. */
  for (guint attempt = 0; ; attempt++)
    {
      MotcuaExchange x = { method, path, request };

      g_clear_pointer (&response, g_bytes_unref);
      if (!run->transport->klass->exchange (run->transport, &x, run->cancellable, error))
        return NULL;
      status = x.status;
      response = x.response;
      run->p.bytes_sent += x.wire_out;
      run->p.bytes_received += x.wire_in;
      if (status != 429 || attempt >= MOTCUA_BUSY_RETRIES)
        break;
      if (!_motcua_wait_cancellable (_motcua_retry_after (response, 1u << attempt),
                                     run->cancellable, error))
        return NULL;
    }

  data = g_bytes_get_data (response, &size);
  if (!json_parser_load_from_data (parser, data ? data : "", (gssize) size, &local_error)
      || (o = _motcua_json_root_object (parser)) == NULL)
    {
      /* A body cut short by the network, or not a Một Cửa server. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   _("The server's answer to %s was cut short or is not JSON (HTTP %u)"),
                   endpoint, status);
      return NULL;
    }
  if (status != 200)
    {
      JsonNode *e_node = json_object_get_member (o, "error");
      JsonObject *e = e_node && JSON_NODE_HOLDS_OBJECT (e_node) ? json_node_get_object (e_node)
                                                                 : NULL;
      const char *code = e ? _motcua_json_string (e, "code", "") : "";
      const char *message = e ? _motcua_json_string (e, "message", "")
                              : "";
      int domain_code = MOTCUA_ERROR_INVALID;

      if (status == 401)
        domain_code = MOTCUA_ERROR_NOT_ENROLLED;
      else if (status == 403)
        domain_code = MOTCUA_ERROR_NOT_AUTHORIZED;
      else if (g_strcmp0 (code, "gap") == 0)
        domain_code = MOTCUA_ERROR_GAP;
      else if (g_strcmp0 (code, "update-required") == 0
               || g_strcmp0 (code, "server-outdated") == 0
               || g_strcmp0 (code, "protocol-mismatch") == 0)
        domain_code = MOTCUA_ERROR_SCHEMA_TOO_NEW;
      else if (g_strcmp0 (code, "clock-skew") == 0)
        domain_code = MOTCUA_ERROR_CLOCK_SKEW;
      else if (g_strcmp0 (code, "unknown-cursor") == 0)
        domain_code = MOTCUA_ERROR_NOT_FOUND;
      else if (status == 429 || status >= 500 || status == 408)
        {
          /* Busy or failing: worth retrying later, like a network error. */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("The server answered %u: %s"),
                       status, *message ? message : code);
          return NULL;
        }
      g_set_error (error, MOTCUA_ERROR, domain_code, _("The server refused %s: %s"), endpoint,
                   *message ? message : code);
      return NULL;
    }

  if (json_object_has_member (o, "now")
      && json_node_get_value_type (json_object_get_member (o, "now")) == G_TYPE_INT64)
    run->server_now = json_object_get_int_member (o, "now");

  return json_object_ref (o);
}

static void
report (Run *run)
{
  if (run->progress != NULL)
    run->progress (&run->p, run->user_data);
}

/* This computer's clock, before any correction. */
static gint64
local_ms (MotcuaReplica *self)
{
  if (self->clock_func != NULL)
    return self->clock_func (self->clock_data);

  return g_get_real_time () / 1000;
}

/* Keeps the desk code a status or enrollment answer gives, if it is one: letters and digits,
 * as a receipt number may carry them. */
static gboolean
keep_desk_code (MotcuaReplica  *self,
                JsonObject     *answer,
                GError        **error)
{
  const char *code = _motcua_json_string (answer, "desk", NULL);
  g_autofree char *held = NULL;
  gsize len = code ? strlen (code) : 0;

  if (len == 0 || len > 8)
    return TRUE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isupper (code[i]) && !g_ascii_isdigit (code[i]))
      return TRUE;
  held = _motcua_replica_meta_dup_text (self, "desk_code");
  if (g_strcmp0 (held, code) == 0)
    return TRUE;

  return _motcua_replica_meta_set_text (self, "desk_code", code, error);
}

/* The changes past this one nobody has seen yet: only those may be re-stamped. Not the ones
 * a server restored from an older copy lost: others pulled them before it was restored, and
 * they go again as they were (a re-stamped timeline row would differ from their copies for
 * ever; found by test-converge, seed 2). Nor the ones ever sent: a push whose answer was lost
 * may have been applied, and pulled by others (seed 26 with restores). */
static guint64
unheld_after (Run *run)
{
  guint64 sent = (guint64) _motcua_replica_meta_get_int (run->replica, "hub_sent_ever", 0);

  return MAX (MAX (_motcua_replica_get_acked_ever (run->replica), run->held), sent);
}

/* Re-stamps the changes past @after, correcting the times they read from the clock by
 * @shift_ms (and any still ahead of the corrected clock). Inside a transaction. */
static gboolean
restamp_in_tx (Run      *run,
               guint64   after,
               gint64    shift_ms,
               GError  **error)
{
  guint n = 0;

  if (!_motcua_replica_restamp (run->replica, after, shift_ms, &n, error))
    return FALSE;
  run->p.restamped += n;

  return TRUE;
}

/* The cases changes of ours waited for that the server holds now: those changes go again in
 * this sync's push, even if the case never reaches this replica (it is another office's now).
 * Inside a transaction. */
static gboolean
retry_back (MotcuaReplica  *self,
            JsonObject     *status,
            GError        **error)
{
  JsonNode *node = json_object_get_member (status, "back");
  JsonArray *back = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                                                                 : NULL;

  for (guint i = 0; back != NULL && i < json_array_get_length (back); i++)
    {
      JsonNode *element = json_array_get_element (back, i);
      MotcuaUuid id;

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
          && motcua_uuid_parse (json_node_get_string (element), &id)
          && !_motcua_replica_retry_waiting (self, &id, error))
        return FALSE;
    }

  return TRUE;
}

/* Status: the server's clock, and what it acknowledged of ours. */
static gboolean
step_status (Run     *run,
             GError **error)
{
  MotcuaReplica *self = run->replica;
  g_autoptr(JsonObject) status = NULL;
  gint64 before;

  /* The desk (another connection) may have written since this one opened. */
  if (!_motcua_replica_refresh (self, error))
    return FALSE;
  before = local_ms (self);
  gint64 after, offset, server_acked;
  guint64 acked = _motcua_replica_get_acked (self);

  status = call (run, "GET", "status", NULL, error);
  if (status == NULL)
    return FALSE;
  after = local_ms (self);

  if (g_strcmp0 (_motcua_json_string (status, "office", ""),
                 self->office_code) != 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED,
                   _("The server knows this token as office %s, but this replica is %s"),
                   _motcua_json_string (status, "office", "?"),
                   self->office_code);
      return FALSE;
    }

  /* The server's time minus ours, halfway through the request. */
  offset = run->server_now - (before + after) / 2;
  run->p.clock_offset_ms = offset;

  server_acked = _motcua_json_int (status, "acked", 0);
  {
    JsonNode *compact = json_object_get_member (status, "compact");

    run->compact = compact != NULL && JSON_NODE_HOLDS_VALUE (compact)
                   && json_node_get_value_type (compact) == G_TYPE_BOOLEAN
                   && json_node_get_boolean (compact);
  }

  if (!motcua_replica_begin (self, error))
    return FALSE;
  /* A server restored from an older backup holds less of ours: push again from there. One
   * that holds more (an answer was lost) acknowledges those again when they are pushed, with
   * the refusals the lost answer carried; until then they are not ours to re-stamp. */
  run->held = MIN ((guint64) MAX (server_acked, 0), self->seq);
  if (run->held < acked && !_motcua_replica_set_acked (self, run->held, error))
    return _motcua_replica_finish (self, FALSE, error);
  if (ABS (offset - self->clock_offset_ms) > 1000)
    {
      gint64 shift = offset - self->clock_offset_ms;

      self->clock_offset_ms = offset;
      if (!_motcua_replica_meta_set_int (self, "clock_offset", offset, error))
        return _motcua_replica_finish (self, FALSE, error);

      /* What was written since the clock was last corrected read it wrong by as much: the
       * changes nobody has seen take the correction with new stamps, in this transaction,
       * so that the times they push and the offset they were corrected by go together. */
      if (self->seq > unheld_after (run)
          && !restamp_in_tx (run, unheld_after (run), shift, error))
        return _motcua_replica_finish (self, FALSE, error);
    }
  if (!keep_desk_code (self, status, error) || !retry_back (self, status, error))
    return _motcua_replica_finish (self, FALSE, error);

  return _motcua_replica_finish (self, TRUE, error);
}

static gboolean
restamp (Run      *run,
         guint64   after,
         GError  **error)
{
  MotcuaReplica *self = run->replica;

  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self, restamp_in_tx (run, after, 0, error), error);
}

/* Whether a change the server does not hold is stamped more than @ahead_ms ahead of its
 * clock; @after_out: the change before the first such. Neither it nor any after it (the server
 * takes a contiguous run) was taken, so they may all be re-stamped, even if sent before: past
 * what the server said it holds, or, once a push was refused as ahead of its clock, stamped
 * further ahead than the server ever takes. */
static gboolean
pending_in_future (Run     *run,
                   gint64   ahead_ms,
                   guint64 *after_out)
{
  MotcuaReplica *self = run->replica;
  guint64 acked = MAX (_motcua_replica_get_acked (self), run->held);
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT min(seq) FROM changes"
                                                " WHERE origin = ?1 AND seq + n - 1 > ?2"
                                                " AND hlc > ?3", NULL);
  gint64 first = 0;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->self_origin);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) acked);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) motcua_hlc_make (run->server_now + ahead_ms,
                                                                 G_MAXUINT16));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    first = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  *after_out = MAX ((guint64) MAX (first - 1, 0), acked);

  return first > 0;
}

static gboolean
moves_cases (JsonArray *items)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);

      if (o != NULL
          && g_strcmp0 (_motcua_json_string (o, "t", ""), "cases") == 0
          && (json_object_has_member (o, "k")
              || g_strcmp0 (_motcua_json_string (o, "c", ""),
                            "handling_office_id") == 0))
        return TRUE;
    }

  return FALSE;
}

/* Pulled changes may have moved cases out of this replica's scope: purge is due, and stays
 * due until it has run, even if this sync is cut before it gets there. (A transfer made here
 * marks it itself: its push may be acknowledged in a batch that does not carry it.) */
static gboolean
mark_purge_due (MotcuaReplica  *self,
                JsonArray      *changes,
                GError        **error)
{
  return !moves_cases (changes) || _motcua_replica_meta_set_int (self, "purge_due", 1, error);
}

static gboolean
forget_refusals (MotcuaReplica  *self,
                 guint64         first,
                 guint64         last,
                 GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "DELETE FROM rejected"
                                                " WHERE seq BETWEEN ?1 AND ?2", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) first);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) last);

  return _motcua_replica_step_done (self, stmt, error);
}

static gboolean
note_sent (MotcuaReplica  *self,
           guint64         last,
           GError        **error)
{
  if ((guint64) _motcua_replica_meta_get_int (self, "hub_sent_ever", 0) >= last)
    return TRUE;
  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self, _motcua_replica_meta_set_int (self, "hub_sent_ever",
                                                                     (gint64) last, error),
                                 error);
}

static gboolean
step_push (Run     *run,
           GError **error)
{
  MotcuaReplica *self = run->replica;
  gboolean restamped = FALSE;
  guint64 after;

  if (pending_in_future (run, 60 * 1000, &after))
    {
      if (!restamp (run, after, error))
        return FALSE;
      restamped = TRUE;
    }

  /* A consistent run of the log, up to what was written when the push began: what the officer
   * writes meanwhile goes in the next push (DESIGN.md, Change capture). */
  if (!_motcua_replica_refresh (self, error))
    return FALSE;
  run->upto = self->seq;

  while (_motcua_replica_get_acked (self) < run->upto)
    {
      guint64 acked = _motcua_replica_get_acked (self);
      guint batch = MIN (BATCH (run->transport->push_batch, PUSH_BATCH), run->upto - acked);
      g_autoptr(JsonArray) changes = NULL;
      g_autoptr(JsonObject) body = json_object_new ();
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(GError) local_error = NULL;
      JsonArray *rejected;
      guint n;
      gint64 new_acked;

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;

      /* Compact: each change without what the one before it implies, half the bytes. */
      changes = run->compact ? _motcua_replica_collect_compact (self, acked, batch, error)
                             : _motcua_replica_collect_changes (self, acked, batch, error);
      if (changes == NULL)
        return FALSE;
      n = json_array_get_length (changes);
      if (n == 0)
        break;
      if (run->compact)
        json_object_set_boolean_member (body, "compact", TRUE);
      json_object_set_array_member (body, "changes", json_array_ref (changes));

      /* Once sent, a change may be applied even if no answer comes back: never re-stamped
       * by a clock correction after that (see unheld_after()). */
      if (!note_sent (self, acked + n, error))
        return FALSE;
      answer = call (run, "POST", "push", body, &local_error);
      if (answer == NULL && !restamped
          && g_error_matches (local_error, MOTCUA_ERROR, MOTCUA_ERROR_CLOCK_SKEW))
        {
          /* Our clock was wrong when these were made: the server's time is known now. */
          g_clear_error (&local_error);
          if (!pending_in_future (run, MOTCUA_MAX_SKEW_MS, &after)
              && !pending_in_future (run, 60 * 1000, &after))
            after = MAX (_motcua_replica_get_acked (self), run->held);
          if (!restamp (run, after, error))
            return FALSE;
          restamped = TRUE;
          continue;
        }
      if (answer == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      new_acked = _motcua_json_int (answer, "acked", 0);
      rejected = json_object_get_array_member (answer, "rejected");
      if (new_acked < 0 || (guint64) new_acked > run->upto)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The server acknowledged changes this replica never made"));
          return FALSE;
        }

      if (!motcua_replica_begin (self, error))
        return FALSE;
      /* The answer's refusals are all there are of what it acknowledges: a refusal kept from
       * before (by a store since restored from an older copy) that it does not repeat is
       * over, the change taken this time. */
      if (!forget_refusals (self, acked + 1, (guint64) new_acked, error))
        return _motcua_replica_finish (self, FALSE, error);
      for (guint i = 0; rejected != NULL && i < json_array_get_length (rejected); i++)
        {
          JsonObject *r = json_array_get_object_element (rejected, i);
          MotcuaUuid gone, wait;
          gboolean is_gone = r != NULL && motcua_uuid_parse (_motcua_json_string (r, "gone", ""),
                                                             &gone);
          gboolean waits = r != NULL && motcua_uuid_parse (_motcua_json_string (r, "wait", ""),
                                                           &wait);

          if (r != NULL
              && !_motcua_replica_add_rejected (self,
                                                (guint64) _motcua_json_int (r, "s", 0),
                                                _motcua_json_string (r, "reason", ""),
                                                is_gone ? &gone : NULL, waits ? &wait : NULL,
                                                error))
            return _motcua_replica_finish (self, FALSE, error);
        }
      if (!_motcua_replica_finish (self, _motcua_replica_set_acked (self, (guint64) new_acked,
                                                                    error), error))
        return FALSE;

      run->p.changes_sent += (guint64) new_acked > acked ? (guint64) new_acked - acked : 0;
      run->p.rejected += rejected ? json_array_get_length (rejected) : 0;
      run->p.batches_sent++;
      report (run);

      if ((guint64) new_acked <= acked)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("The server did not acknowledge change %llu"),
                       (unsigned long long) acked + 1);
          return FALSE;
        }
    }

  return TRUE;
}

/* Receipt numbers: keep a block of this year's ahead (and next year's in December), for each
 * office this replica receives for, renewed at every sync. */
static gboolean
step_lease (Run     *run,
            GError **error)
{
  MotcuaReplica *self = run->replica;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (_motcua_replica_now_ms (self)
                                                              / 1000);
  g_autoptr(GPtrArray) offices = _motcua_replica_lease_offices (self, error);
  int year = g_date_time_get_year (now);
  int years[2] = { year, g_date_time_get_month (now) == 12 ? year + 1 : 0 };
  guint block = BATCH (run->transport->lease_block, LEASE_BLOCK);
  /* Renewed when a quarter of a block is left, whatever the block. */
  gint64 low = (gint64) block * LEASE_LOW / LEASE_BLOCK;

  if (offices == NULL)
    return FALSE;

  for (guint i = 0; i < offices->len; i++)
    for (guint y = 0; y < G_N_ELEMENTS (years); y++)
      {
        const MotcuaLeaseOffice *office = offices->pdata[i];
        g_autoptr(JsonObject) body = NULL;
        g_autoptr(JsonObject) answer = NULL;
        g_autoptr(GError) local_error = NULL;

        if (years[y] == 0 || _motcua_replica_lease_left (self, &office->id, years[y]) >= low)
          continue;

        body = json_object_new ();
        json_object_set_string_member (body, "office", office->code);
        json_object_set_int_member (body, "year", years[y]);
        json_object_set_int_member (body, "count", block);
        answer = call (run, "POST", "lease", body, &local_error);
        if (answer == NULL && local_error->domain == MOTCUA_ERROR
            && local_error->code != MOTCUA_ERROR_NOT_ENROLLED)
          {
            /* Refused (no numbers left, an office no longer this desk's): the desk gives
             * numbers carrying its desk code until a lease is given again. */
            g_message (_("No receipt numbers of %s leased for %d: %s"), office->code,
                       years[y], local_error->message);
            g_clear_error (&local_error);
            continue;
          }
        if (answer == NULL)
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return FALSE;
          }

        if (!motcua_replica_begin (self, error))
          return FALSE;
        if (!_motcua_replica_finish (self,
                                     _motcua_replica_add_lease (self, &office->id, years[y],
                                                                _motcua_json_int (answer,
                                                                                  "first", 0),
                                                                _motcua_json_int (answer,
                                                                                  "last", -1),
                                                                error), error))
          return FALSE;
      }

  return TRUE;
}

/* The latest HLC among pulled items, so that a re-stamp never goes behind what was seen. */
static MotcuaHlc
latest_stamp (JsonArray *items)
{
  MotcuaHlc latest = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);
      JsonArray *pairs;

      if (o == NULL)
        continue;
      latest = MAX (latest, (MotcuaHlc) _motcua_json_int (o, "h", 0));
      pairs = json_object_has_member (o, "k") ? json_object_get_array_member (o, "k") : NULL;
      for (guint k = 0; pairs != NULL && k < json_array_get_length (pairs); k++)
        {
          JsonArray *pair = json_array_get_array_element (pairs, k);

          if (pair != NULL && json_array_get_length (pair) == 2)
            latest = MAX (latest, (MotcuaHlc) json_array_get_int_element (pair, 0));
        }
    }

  return latest;
}

/* One number from a query with no parameters. */
static gboolean
query_int (MotcuaReplica  *self,
           const char     *sql,
           gint64         *out,
           GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/* The tables whose rows belong to a case, with the last rid each held before a batch. */
static const struct { const char *max_sql; const char *orphans_sql; } case_rows[] = {
  { "SELECT coalesce (max (rid), 0) FROM case_events",
    "DELETE FROM case_events WHERE rid > ?1 AND case_id NOT IN (SELECT id FROM cases)" },
  { "SELECT coalesce (max (rid), 0) FROM attachments",
    "DELETE FROM attachments WHERE rid > ?1 AND case_id NOT IN (SELECT id FROM cases)" },
  { "SELECT coalesce (max (rid), 0) FROM conflicts",
    "DELETE FROM conflicts WHERE rid > ?1 AND case_id IS NOT NULL"
    " AND case_id NOT IN (SELECT id FROM cases)" },
};

static gboolean
is_state_transfer (const char *previous_cursor)
{
  return previous_cursor == NULL || previous_cursor[0] == 's';
}

static gboolean
mark_case_rows (MotcuaReplica  *self,
                gint64          marks[G_N_ELEMENTS (case_rows)],
                GError        **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (case_rows); i++)
    if (!query_int (self, case_rows[i].max_sql, &marks[i], error))
      return FALSE;

  return TRUE;
}

/* During a state transfer, the rows of a case's timeline, scans and conflicts are sent table
 * by table after the cases: a case that entered the scope in between has its rows sent but
 * not itself. It follows whole in the log after the transfer; its rows wait for it there.
 * The log of a server restored from a backup can likewise hold a desk's timeline row, sent
 * again, for a case the desk that made it has not sent again yet: dropped here, it comes back
 * with the re-pull the digest then asks for, instead of failing every sync on the foreign key.
 * Only the rows this batch inserted (past @marks) can be such orphans: the check costs what
 * the batch brought, not the size of the tables. */
static gboolean
drop_orphans (MotcuaReplica  *self,
              const gint64    marks[G_N_ELEMENTS (case_rows)],
              GError        **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (case_rows); i++)
    {
      sqlite3_stmt *stmt = _motcua_replica_prepare (self, case_rows[i].orphans_sql, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, marks[i]);
      if (!_motcua_replica_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* The HLC of this replica's oldest change the server has not acknowledged (G_MAXINT64 when
 * there is none). */
static gboolean
oldest_pending_stamp (MotcuaReplica  *self,
                      MotcuaHlc      *out,
                      GError        **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT min(hlc) FROM changes"
                                                " WHERE origin = ?1 AND seq + n - 1 > ?2",
                                                error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->self_origin);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) _motcua_replica_get_acked (self));
  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL
         ? (MotcuaHlc) sqlite3_column_int64 (stmt, 0) : (MotcuaHlc) G_MAXINT64;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _motcua_replica_set_db_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/* A batch of a state transfer (from a null cursor, or one in "s…") carries the server's
 * current rows, applied as the server's word on what it acknowledged (see
 * _motcua_replica_merge_field()); a batch of the log is merged like any change. */
static gboolean
apply_items (MotcuaReplica  *self,
             JsonArray      *items,
             const char     *previous_cursor,
             GError        **error)
{
  gboolean ok;

  if (!is_state_transfer (previous_cursor))
    return _motcua_replica_apply_full (self, items, NULL, NULL, NULL, error);

  if (!oldest_pending_stamp (self, &self->repair_pending_from, error))
    return FALSE;
  self->repairing = TRUE;
  ok = _motcua_replica_apply_full (self, items, NULL, NULL, NULL, error);
  self->repairing = FALSE;

  return ok;
}

/* A case the server sends whole is in this replica's scope again: any mark that it was not
 * ours (see _motcua_replica_add_rejected()) is obsolete. */
static gboolean
clear_gone (MotcuaReplica  *self,
            JsonArray      *items,
            GError        **error)
{
  gint64 marked;

  /* Almost always none: then a first sync's 20,000 cases cost one query, not 20,000. */
  if (!query_int (self, "SELECT EXISTS (SELECT 1 FROM rejected WHERE gone IS NOT NULL)",
                  &marked, error))
    return FALSE;
  if (!marked)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);
      sqlite3_stmt *stmt;
      MotcuaUuid id;

      if (o == NULL || !json_object_has_member (o, "k")
          || g_strcmp0 (_motcua_json_string (o, "t", ""), "cases") != 0
          || !motcua_uuid_parse (_motcua_json_string (o, "r", ""), &id))
        continue;
      stmt = _motcua_replica_prepare (self, "UPDATE rejected SET gone = NULL WHERE gone = ?1",
                                      error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_blob (stmt, 1, id.bytes, 16, SQLITE_STATIC);
      if (!_motcua_replica_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* The cases this batch brings that changes of ours waited for (the server did not hold them):
 * those changes go again, in the push that follows. */
static gboolean
retry_waiting (MotcuaReplica  *self,
               JsonArray      *items,
               GError        **error)
{
  gint64 waiting;

  if (!query_int (self, "SELECT EXISTS (SELECT 1 FROM rejected WHERE wait IS NOT NULL)",
                  &waiting, error))
    return FALSE;
  for (guint i = 0; waiting && i < json_array_get_length (items); i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);
      MotcuaUuid id;

      if (o != NULL && g_strcmp0 (_motcua_json_string (o, "t", ""), "cases") == 0
          && motcua_uuid_parse (_motcua_json_string (o, "r", ""), &id)
          && !_motcua_replica_retry_waiting (self, &id, error))
        return FALSE;
    }

  return TRUE;
}

/* A state transfer brings the server's rows whole; what it did not bring is not the server's,
 * and goes at its end (see _motcua_replica_transfer_end()). A replica that held no case and no
 * conflict when the transfer began has nothing to sweep: a new desk's first sync notes
 * nothing. */
/* Before a transfer's first batch is applied: whether it will have anything to sweep. */
static gboolean
begin_transfer (MotcuaReplica  *self,
                const char     *previous_cursor,
                GError        **error)
{
  gint64 held;

  if (previous_cursor != NULL)
    return TRUE;

  return query_int (self, "SELECT EXISTS (SELECT 1 FROM cases)"
                          " OR EXISTS (SELECT 1 FROM conflicts)", &held, error)
         && _motcua_replica_meta_set_int (self, "transfer_sweep", held, error);
}

static gboolean
note_transfer (MotcuaReplica  *self,
               const char     *previous_cursor,
               const char     *cursor,
               JsonArray      *items,
               GError        **error)
{
  guint n = 0;

  if (!is_state_transfer (previous_cursor)
      || _motcua_replica_meta_get_int (self, "transfer_sweep", 1) == 0)
    return TRUE;
  if (!_motcua_replica_transfer_saw (self, items, previous_cursor == NULL, error))
    return FALSE;
  if (is_state_transfer (cursor))
    return TRUE;

  return _motcua_replica_transfer_end (self, &n, error);
}

static gboolean
apply_batch (Run         *run,
             JsonArray   *items,
             const char  *previous_cursor,
             const char  *cursor,
             GError     **error)
{
  MotcuaReplica *self = run->replica;
  MotcuaHlc latest = latest_stamp (items);
  gint64 seen = _motcua_replica_meta_get_int (self, "hub_seen_hlc", 0);
  gint64 marks[G_N_ELEMENTS (case_rows)] = { 0 };

  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self,
                                 mark_case_rows (self, marks, error)
                                 && begin_transfer (self, previous_cursor, error)
                                 && apply_items (self, items, previous_cursor, error)
                                 && note_transfer (self, previous_cursor, cursor, items, error)
                                 && drop_orphans (self, marks, error)
                                 && clear_gone (self, items, error)
                                 && retry_waiting (self, items, error)
                                 && _motcua_replica_meta_set_text (self, "hub_cursor", cursor,
                                                                   error)
                                 && mark_purge_due (self, items, error)
                                 && ((MotcuaHlc) seen >= latest
                                     || _motcua_replica_meta_set_int (self, "hub_seen_hlc",
                                                                      (gint64) latest, error)),
                                 error);
}

/* Pulls until up to date; the server's digest of the scope in @digest_out. */
static gboolean
pull_all (Run       *run,
          char     **digest_out,
          GError   **error)
{
  MotcuaReplica *self = run->replica;

  for (;;)
    {
      g_autofree char *cursor = _motcua_replica_meta_dup_text (self, "hub_cursor");
      g_autoptr(JsonObject) body = json_object_new ();
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(JsonArray) expanded = NULL;
      g_autoptr(GError) local_error = NULL;
      JsonArray *items;
      const char *next;

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;

      if (cursor != NULL)
        json_object_set_string_member (body, "cursor", cursor);
      else
        json_object_set_null_member (body, "cursor");
      json_object_set_int_member (body, "limit", BATCH (run->transport->pull_batch, PULL_BATCH));
      if (run->compact)
        json_object_set_boolean_member (body, "compact", TRUE);

      answer = call (run, "POST", "pull", body, &local_error);
      if (answer == NULL && cursor != NULL
          && g_error_matches (local_error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND))
        {
          /* A cursor the server does not know: its store was restored from an older copy.
           * Pull the scope from the start; the digest then says whether all is well. */
          g_message ("The server does not know the cursor of %s (%s): pulling its scope again",
                     self->path, local_error->message);
          g_clear_error (&local_error);
          if (!motcua_replica_begin (self, error)
              || !_motcua_replica_finish (self,
                                          _motcua_replica_meta_set_text (self, "hub_cursor",
                                                                         NULL, error),
                                          error))
            return FALSE;
          continue;
        }
      if (answer == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      items = json_object_has_member (answer, "items")
              && JSON_NODE_HOLDS_ARRAY (json_object_get_member (answer, "items"))
              ? json_object_get_array_member (answer, "items") : NULL;
      next = _motcua_json_string (answer, "cursor", NULL);
      if (items == NULL || next == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The server's answer to pull lacks items or cursor"));
          return FALSE;
        }
      if (run->compact)
        items = expanded = _motcua_changes_expand (items);

      if (!apply_batch (run, items, cursor, next, error))
        return FALSE;

      run->p.changes_received += json_array_get_length (items);
      run->p.batches_received++;
      {
        JsonNode *more = json_object_get_member (answer, "more");

        run->p.more = more != NULL && JSON_NODE_HOLDS_VALUE (more)
                      && json_node_get_value_type (more) == G_TYPE_BOOLEAN
                      && json_node_get_boolean (more);
      }
      report (run);

      if (!run->p.more)
        {
          *digest_out = g_strdup (_motcua_json_string (answer, "digest",
                                                                              ""));
          return TRUE;
        }
    }
}

/* Purges what left the scope. A case that still holds changes the server has not
 * acknowledged stays, and the purge stays due until it can go. */
static gboolean
purge (Run     *run,
       GError **error)
{
  MotcuaReplica *self = run->replica;
  guint purged = 0, kept = 0;

  if (!motcua_replica_begin (self, error))
    return FALSE;
  if (!_motcua_replica_finish (self,
                               _motcua_replica_purge (self, &purged, &kept, error)
                               && _motcua_replica_meta_set_int (self, "purge_due", kept > 0,
                                                                error),
                               error))
    return FALSE;
  run->p.purged += purged;

  return TRUE;
}

/* This replica's digest, read in one snapshot while the desk may go on writing, and whether
 * that snapshot holds changes the server has not acknowledged: written while this sync ran,
 * they are in no digest of the server's, so the two cannot be compared. */
static gboolean
local_digest (Run       *run,
              char     **out,
              gboolean  *pending,
              GError   **error)
{
  MotcuaReplica *self = run->replica;
  gboolean ok;

  if (!_motcua_replica_exec (self, "BEGIN", error))
    return FALSE;
  *pending = (guint64) _motcua_replica_meta_get_int (self, "seq", 0)
             > _motcua_replica_get_acked (self);
  ok = *pending || (*out = _motcua_replica_scope_digest (self, self->office_code, error)) != NULL;
  sqlite3_exec (self->db, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);

  return ok;
}

/* Pulls until up to date and compares digests. What the officer wrote during the sync is
 * pushed and the comparison made again; an officer who keeps writing through every round
 * leaves it to the next sync (verify_deferred), which is neither a failure nor a re-pull. */
static gboolean
pull_and_compare (Run       *run,
                  char     **ours,
                  char     **theirs,
                  GError   **error)
{
  MotcuaReplica *self = run->replica;

  for (guint round = 0;; round++)
    {
      gboolean pending = FALSE;

      g_clear_pointer (ours, g_free);
      g_clear_pointer (theirs, g_free);
      if (!pull_all (run, theirs, error))
        return FALSE;
      if (_motcua_replica_meta_get_int (self, "purge_due", 0) != 0 && !purge (run, error))
        return FALSE;
      if (!local_digest (run, ours, &pending, error))
        return FALSE;
      if (!pending)
        return TRUE;
      if (round == WRITES_DURING_SYNC_ROUNDS)
        {
          run->p.verify_deferred = TRUE;
          return TRUE;
        }
      if (!step_push (run, error))
        return FALSE;
    }
}

static gboolean
step_pull (Run     *run,
           GError **error)
{
  MotcuaReplica *self = run->replica;
  g_autofree char *theirs = NULL;
  g_autofree char *ours = NULL;

  if (!pull_and_compare (run, &ours, &theirs, error))
    return FALSE;
  if (run->p.verify_deferred || g_strcmp0 (ours, theirs) == 0)
    {
      run->p.verified = !run->p.verify_deferred;
      return TRUE;
    }

  /* Divergence never hides: pull the whole scope again, and say so. */
  g_message ("The integrity digest of %s differs from the server's (%s, server %s):"
             " pulling its scope again", self->path, ours, theirs);
  run->p.repulled = TRUE;
  if (!motcua_replica_begin (self, error))
    return FALSE;
  if (!_motcua_replica_finish (self,
                               _motcua_replica_meta_set_text (self, "hub_cursor", NULL, error)
                               && _motcua_replica_meta_set_int (self, "purge_due", 1, error),
                               error))
    return FALSE;

  if (!pull_and_compare (run, &ours, &theirs, error))
    return FALSE;
  if (run->p.verify_deferred)
    return TRUE;
  if (g_strcmp0 (ours, theirs) != 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DIVERGED,
                   _("This replica still differs from the server after pulling its whole scope"
                     " again (digest %s, server %s): keep the replica file and report it"),
                   ours, theirs);
      return FALSE;
    }
  run->p.verified = TRUE;

  return TRUE;
}

/* Two syncs of one replica at once (the desk's and motcua-cli's) would push the same run and
 * race over the cursor: a lock file beside the replica lets one through and tells the other
 * plainly. The kernel drops a flock() when its process dies: a killed sync never leaves it. */
static int
lock_sync (MotcuaReplica  *self,
           GError        **error)
{
  g_autofree char *path = g_strconcat (self->path, "-sync.lock", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  int saved_errno;

  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not open %s: %s"), path, g_strerror (saved_errno));
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) == 0)
    return fd;

  saved_errno = errno;
  close (fd);
  if (saved_errno == EWOULDBLOCK)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                 _("Another sync of this replica is running (the desk's or motcua-cli's):"
                   " try again when it ends"));
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Could not lock %s: %s"), path, g_strerror (saved_errno));

  return -1;
}

gboolean
_motcua_sync_once (MotcuaReplica      *replica,
                   MotcuaTransport    *transport,
                   MotcuaProgressFunc  progress,
                   gpointer            user_data,
                   GCancellable       *cancellable,
                   MotcuaSyncProgress *summary,
                   GError            **error)
{
  Run run = { replica, transport, progress, user_data, cancellable, { 0 }, 0, 0 };
  int lock = lock_sync (replica, error);
  gboolean ok;

  if (lock < 0)
    return FALSE;

  /* Rows first, both ways; then the bytes of scans, which may take long on a slow link. */
  ok = step_status (&run, error)
       && step_push (&run, error)
       && step_lease (&run, error)
       && step_pull (&run, error)
       && _motcua_sync_blobs (replica, transport, &run.p, progress, user_data, cancellable,
                              error);

  if (ok)
    {
      run.p.conflicts = (guint) MAX (motcua_replica_count_conflicts (replica, NULL), 0);
      if (motcua_replica_begin (replica, NULL))
        _motcua_replica_finish (replica,
                                _motcua_replica_meta_set_int (replica, "last_sync",
                                                              g_get_real_time () / G_USEC_PER_SEC,
                                                              NULL), NULL);
    }
  if (summary != NULL)
    *summary = run.p;
  close (lock);

  return ok;
}

gboolean
_motcua_sync_bind (MotcuaReplica    *replica,
                   MotcuaTransport  *transport,
                   const char       *server_url,
                   GCancellable     *cancellable,
                   GError          **error)
{
  Run run = { replica, transport, NULL, NULL, cancellable, { 0 }, 0, 0 };
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;

  json_object_set_string_member (body, "replica", replica->id);
  answer = call (&run, "POST", "enroll", body, error);
  if (answer == NULL)
    return FALSE;
  if (g_strcmp0 (_motcua_json_string (answer, "office", ""),
                 replica->office_code) != 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("The token is for office %s, but this replica is %s"),
                   _motcua_json_string (answer, "office", "?"),
                   replica->office_code);
      return FALSE;
    }

  if (!motcua_replica_begin (replica, error))
    return FALSE;

  /* Reference data loaded from files (HLC 0) stays until the province's overrides it. */
  return _motcua_replica_finish (replica,
                                 TRUE
                                 && _motcua_replica_meta_set_text (replica, "server_url",
                                                                   server_url, error)
                                 && _motcua_replica_meta_set_text (replica, "server_token",
                                                                   transport->token, error)
                                 && _motcua_replica_meta_set_text (replica, "hub_cursor", NULL,
                                                                   error)
                                 && keep_desk_code (replica, answer, error),
                                 error);
}

/* Enrollment */

char *
motcua_replica_dup_server_url (MotcuaReplica *self)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  return _motcua_replica_meta_dup_text (self, "server_url");
}

char *
motcua_replica_dup_desk_code (MotcuaReplica *self)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  return _motcua_replica_meta_dup_text (self, "desk_code");
}

gint64
motcua_replica_get_clock_offset_ms (MotcuaReplica *self)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), 0);

  /* A sync runs on a connection of its own: what it measured is in the file. */
  if (self->tx_depth == 0)
    _motcua_replica_refresh (self, NULL);

  return self->clock_offset_ms;
}

gboolean
motcua_sync_enroll (const char    *path,
                    const char    *server_url,
                    const char    *token,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(MotcuaTransport) transport = NULL;
  g_autoptr(MotcuaReplica) replica = NULL;
  Run run = { NULL, NULL, NULL, NULL, cancellable, { 0 }, 0, 0 };
  g_autoptr(JsonObject) status = NULL;
  MotcuaLevel level;

  g_return_val_if_fail (path != NULL && server_url != NULL, FALSE);

  if (token == NULL || strchr (token, '.') == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("token: give the token “motcua-server replicas enroll” printed"));
      return FALSE;
    }
  transport = _motcua_transport_new_http (server_url, token, error);
  if (transport == NULL)
    return FALSE;
  run.transport = transport;

  status = call (&run, "GET", "status", NULL, error);
  if (status == NULL)
    return FALSE;
  if (!motcua_level_from_string (_motcua_json_string (status, "level", ""),
                                 &level))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The server did not say the token's office level"));
      return FALSE;
    }

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    replica = motcua_replica_open (path, error);
  else
    replica = motcua_replica_create (path, json_object_get_string_member (status, "office"),
                                     level, error);
  if (replica == NULL)
    return FALSE;

  return _motcua_sync_bind (replica, transport, server_url, cancellable, error);
}

/* MotcuaSync */

struct _MotcuaSync
{
  GObject          parent_instance;

  char            *path;
  GMainContext    *context;
  MotcuaSyncStatus  state;
  char            *error_message;
  gint64           last_sync;
  gint64           n_pending;
  gint64           n_rejected;
  gint64           n_conflicts;
  GTask           *running;        /* the run under way */
  GPtrArray       *waiting;        /* GTasks of callers that joined it */
  guint            auto_source;
  guint            auto_interval;
  gulong           network_handler;
};

enum
{
  PROP_0,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_LAST_SYNC,
  PROP_N_PENDING,
  PROP_N_REJECTED,
  PROP_N_CONFLICTS,
  N_PROPS
};

enum
{
  SIGNAL_PROGRESS,
  SIGNAL_ATTACHMENT_PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MotcuaSync, motcua_sync, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (MotcuaSyncProgress, motcua_sync_progress, motcua_sync_progress_copy,
                     g_free)

MotcuaSyncProgress *
motcua_sync_progress_copy (const MotcuaSyncProgress *progress)
{
  return g_memdup2 (progress, sizeof *progress);
}

static void
motcua_sync_dispose (GObject *object)
{
  MotcuaSync *self = MOTCUA_SYNC (object);

  motcua_sync_set_auto (self, 0);

  G_OBJECT_CLASS (motcua_sync_parent_class)->dispose (object);
}

static void
motcua_sync_finalize (GObject *object)
{
  MotcuaSync *self = MOTCUA_SYNC (object);

  g_free (self->path);
  g_free (self->error_message);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);

  G_OBJECT_CLASS (motcua_sync_parent_class)->finalize (object);
}

static void
motcua_sync_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MotcuaSync *self = MOTCUA_SYNC (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->last_sync);
      break;
    case PROP_N_PENDING:
      g_value_set_int64 (value, self->n_pending);
      break;
    case PROP_N_REJECTED:
      g_value_set_int64 (value, self->n_rejected);
      break;
    case PROP_N_CONFLICTS:
      g_value_set_int64 (value, self->n_conflicts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
motcua_sync_class_init (MotcuaSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = motcua_sync_dispose;
  object_class->finalize = motcua_sync_finalize;
  object_class->get_property = motcua_sync_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, MOTCUA_SYNC_STATUS_NOT_ENROLLED,
                      MOTCUA_SYNC_STATUS_ERROR, MOTCUA_SYNC_STATUS_NOT_ENROLLED,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_PENDING] =
    g_param_spec_int64 ("n-pending", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_REJECTED] =
    g_param_spec_int64 ("n-rejected", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_CONFLICTS] =
    g_param_spec_int64 ("n-conflicts", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MotcuaSync::progress:
   * @progress: (type MotcuaSyncProgress): what the sync under way has done so far
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, motcua_sync_progress_get_type () | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * MotcuaSync::attachment-progress:
   * @attachment_id: the attachment being fetched
   * @received: its bytes on this replica so far
   * @size: its size
   *
   * A fetch (motcua_sync_fetch_attachment_async()) got a chunk.
   */
  signals[SIGNAL_ATTACHMENT_PROGRESS] =
    g_signal_new ("attachment-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_UINT64, G_TYPE_UINT64);
}

/* For motcua-blob-sync.c */

const char *
_motcua_sync_get_path (MotcuaSync *self)
{
  return self->path;
}

GMainContext *
_motcua_sync_get_context (MotcuaSync *self)
{
  return self->context;
}

void
_motcua_sync_emit_attachment_progress (MotcuaSync *self,
                                       const char *attachment_id,
                                       guint64     received,
                                       guint64     size)
{
  g_signal_emit (self, signals[SIGNAL_ATTACHMENT_PROGRESS], 0, attachment_id, received, size);
}

static void
motcua_sync_init (MotcuaSync *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
set_state (MotcuaSync      *self,
           MotcuaSyncStatus  state,
           const char      *message)
{
  if (g_strcmp0 (self->error_message, message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
set_count (MotcuaSync *self,
           gint64     *field,
           gint64      value,
           guint       prop)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

void
motcua_sync_refresh_counts (MotcuaSync *self)
{
  g_autoptr(MotcuaReplica) replica = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (MOTCUA_IS_SYNC (self));

  replica = motcua_replica_open (self->path, NULL);
  if (replica == NULL)
    return;

  url = motcua_replica_dup_server_url (replica);
  if (url == NULL)
    set_state (self, MOTCUA_SYNC_STATUS_NOT_ENROLLED, NULL);
  else if (self->state == MOTCUA_SYNC_STATUS_NOT_ENROLLED)
    set_state (self, MOTCUA_SYNC_STATUS_IDLE, NULL);

  set_count (self, &self->n_pending, MAX (motcua_replica_count_pending (replica, NULL), 0),
             PROP_N_PENDING);
  set_count (self, &self->n_rejected, MAX (motcua_replica_count_rejected (replica, NULL), 0),
             PROP_N_REJECTED);
  set_count (self, &self->n_conflicts, MAX (motcua_replica_count_conflicts (replica, NULL), 0),
             PROP_N_CONFLICTS);
  set_count (self, &self->last_sync, _motcua_replica_meta_get_int (replica, "last_sync", 0),
             PROP_LAST_SYNC);
}

MotcuaSync *
motcua_sync_new (const char *replica_path)
{
  MotcuaSync *self;

  g_return_val_if_fail (replica_path != NULL, NULL);

  self = g_object_new (MOTCUA_TYPE_SYNC, NULL);
  self->path = g_strdup (replica_path);
  self->context = g_main_context_ref_thread_default ();
  motcua_sync_refresh_counts (self);

  return self;
}

typedef struct
{
  MotcuaSync         *self;
  MotcuaSyncProgress  progress;
} ProgressIdle;

static gboolean
emit_progress (gpointer data)
{
  ProgressIdle *idle = data;

  g_signal_emit (idle->self, signals[SIGNAL_PROGRESS], 0, &idle->progress);

  return G_SOURCE_REMOVE;
}

static void
progress_idle_free (gpointer data)
{
  ProgressIdle *idle = data;

  g_object_unref (idle->self);
  g_free (idle);
}

static void
progress_in_thread (const MotcuaSyncProgress *progress,
                    gpointer                  user_data)
{
  MotcuaSync *self = user_data;
  ProgressIdle *idle = g_new0 (ProgressIdle, 1);

  idle->self = g_object_ref (self);
  idle->progress = *progress;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_progress, idle,
                              progress_idle_free);
}

/* One run on its own connection to the replica and its own HTTP session. */
static gboolean
run_on_path (const char          *path,
             MotcuaProgressFunc   progress,
             gpointer             user_data,
             GCancellable        *cancellable,
             MotcuaSyncProgress  *summary,
             GError             **error)
{
  g_autoptr(MotcuaReplica) replica = NULL;
  g_autoptr(MotcuaTransport) transport = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;

  replica = motcua_replica_open (path, error);
  if (replica == NULL)
    return FALSE;
  url = _motcua_replica_meta_dup_text (replica, "server_url");
  token = _motcua_replica_meta_dup_text (replica, "server_token");
  if (url == NULL || token == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED,
                   _("This replica is not enrolled with a server: enroll it first"));
      return FALSE;
    }
  transport = _motcua_transport_new_http (url, token, error);
  if (transport == NULL)
    return FALSE;

  return _motcua_sync_once (replica, transport, progress, user_data, cancellable, summary,
                            error);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  MotcuaSync *self = source_object;
  g_autoptr(GError) error = NULL;
  MotcuaSyncProgress *summary = g_new0 (MotcuaSyncProgress, 1);

  if (run_on_path (self->path, progress_in_thread, self, cancellable, summary, &error))
    g_task_return_pointer (task, summary, g_free);
  else
    {
      g_free (summary);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

static void
finish_state (MotcuaSync               *self,
              const MotcuaSyncProgress *summary,
              const GError             *error)
{
  if (summary != NULL)
    set_state (self, MOTCUA_SYNC_STATUS_UP_TO_DATE, NULL);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_state (self, MOTCUA_SYNC_STATUS_IDLE, NULL);
  else if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR
           || error->domain == G_TLS_ERROR)
    set_state (self, MOTCUA_SYNC_STATUS_OFFLINE, error->message);
  else
    set_state (self, MOTCUA_SYNC_STATUS_ERROR, error->message);
  motcua_sync_refresh_counts (self);
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  MotcuaSync *self = MOTCUA_SYNC (source);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);
  g_autoptr(GError) error = NULL;
  g_autofree MotcuaSyncProgress *summary = g_task_propagate_pointer (G_TASK (result), &error);

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_clear_object (&self->running);

  finish_state (self, summary, error);

  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = waiting->pdata[i];

      if (summary != NULL)
        g_task_return_pointer (task, g_memdup2 (summary, sizeof *summary), g_free);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

void
motcua_sync_run_async (MotcuaSync          *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *waiter;

  g_return_if_fail (MOTCUA_IS_SYNC (self));

  waiter = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (waiter, motcua_sync_run_async);
  g_ptr_array_add (self->waiting, waiter);

  if (self->running != NULL)
    return;   /* it joins the run under way */

  set_state (self, MOTCUA_SYNC_STATUS_SYNCING, NULL);
  self->running = g_task_new (self, cancellable, run_done, NULL);
  g_task_set_source_tag (self->running, run_thread);
  g_task_run_in_thread (self->running, run_thread);
}

gboolean
motcua_sync_run_finish (MotcuaSync          *self,
                        GAsyncResult        *result,
                        MotcuaSyncProgress  *summary,
                        GError             **error)
{
  g_autofree MotcuaSyncProgress *p = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  p = g_task_propagate_pointer (G_TASK (result), error);
  if (p == NULL)
    return FALSE;
  if (summary != NULL)
    *summary = *p;

  return TRUE;
}

static void
progress_here (const MotcuaSyncProgress *progress,
               gpointer                  user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_PROGRESS], 0, progress);
}

gboolean
motcua_sync_run (MotcuaSync          *self,
                 GCancellable        *cancellable,
                 MotcuaSyncProgress  *summary,
                 GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  MotcuaSyncProgress p = { 0 };
  gboolean ok;

  g_return_val_if_fail (MOTCUA_IS_SYNC (self), FALSE);

  set_state (self, MOTCUA_SYNC_STATUS_SYNCING, NULL);
  ok = run_on_path (self->path, progress_here, self, cancellable, &p, &local_error);
  finish_state (self, ok ? &p : NULL, local_error);
  if (summary != NULL)
    *summary = p;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return ok;
}

MotcuaSyncStatus
motcua_sync_get_state (MotcuaSync *self)
{
  g_return_val_if_fail (MOTCUA_IS_SYNC (self), MOTCUA_SYNC_STATUS_ERROR);

  return self->state;
}

const char *
motcua_sync_get_error_message (MotcuaSync *self)
{
  g_return_val_if_fail (MOTCUA_IS_SYNC (self), NULL);

  return self->error_message;
}

gint64
motcua_sync_get_last_sync (MotcuaSync *self)
{
  g_return_val_if_fail (MOTCUA_IS_SYNC (self), 0);

  return self->last_sync;
}

gint64
motcua_sync_get_n_pending (MotcuaSync *self)
{
  g_return_val_if_fail (MOTCUA_IS_SYNC (self), 0);

  return self->n_pending;
}

gint64
motcua_sync_get_n_rejected (MotcuaSync *self)
{
  g_return_val_if_fail (MOTCUA_IS_SYNC (self), 0);

  return self->n_rejected;
}

gint64
motcua_sync_get_n_conflicts (MotcuaSync *self)
{
  g_return_val_if_fail (MOTCUA_IS_SYNC (self), 0);

  return self->n_conflicts;
}

static void
auto_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  motcua_sync_run_finish (MOTCUA_SYNC (source), result, NULL, NULL);
}

static gboolean
auto_tick (gpointer user_data)
{
  MotcuaSync *self = user_data;

  if (self->state != MOTCUA_SYNC_STATUS_NOT_ENROLLED)
    motcua_sync_run_async (self, NULL, auto_done, NULL);

  return G_SOURCE_CONTINUE;
}

static void
network_changed (GNetworkMonitor *monitor,
                 gboolean         available,
                 gpointer         user_data)
{
  MotcuaSync *self = user_data;

  /* The link is back: what waited goes now. */
  if (available && self->state == MOTCUA_SYNC_STATUS_OFFLINE)
    auto_tick (self);
}

void
motcua_sync_set_auto (MotcuaSync *self,
                      guint       interval_s)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();

  g_return_if_fail (MOTCUA_IS_SYNC (self));

  if (self->auto_source != 0)
    {
      g_source_remove (self->auto_source);
      self->auto_source = 0;
    }
  if (self->network_handler != 0)
    {
      g_signal_handler_disconnect (monitor, self->network_handler);
      self->network_handler = 0;
    }
  self->auto_interval = interval_s;
  if (interval_s == 0)
    return;

  self->auto_source = g_timeout_add_seconds (interval_s, auto_tick, self);
  self->network_handler = g_signal_connect (monitor, "network-changed",
                                            G_CALLBACK (network_changed), self);
}

const char *
motcua_sync_status_to_string (MotcuaSyncStatus state)
{
  switch (state)
    {
    case MOTCUA_SYNC_STATUS_NOT_ENROLLED:
      return _("not enrolled");
    case MOTCUA_SYNC_STATUS_IDLE:
      return _("not synced yet");
    case MOTCUA_SYNC_STATUS_OFFLINE:
      return _("offline");
    case MOTCUA_SYNC_STATUS_SYNCING:
      return _("syncing");
    case MOTCUA_SYNC_STATUS_UP_TO_DATE:
      return _("up to date");
    case MOTCUA_SYNC_STATUS_ERROR:
    default:
      return _("error");
    }
}
