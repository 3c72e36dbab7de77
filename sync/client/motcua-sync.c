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

#include "motcua-blob-sync-private.h"
#include "motcua-conflicts.h"
#include "motcua-error.h"
#include "motcua-json-scan-private.h"
#include "motcua-replica-private.h"
#include "motcua-sync.h"
#include "motcua-reorganisation.h"
#include "motcua-sync-private.h"
#include "motcua-version.h"

JsonObject *
_motcua_sync_call (Run         *run,
                   const char  *method,
                   const char  *endpoint,
                   JsonObject  *body,
                   GError     **error)
{
  return _motcua_sync_call_list (run, method, endpoint, body, NULL, NULL, NULL, error);
}

JsonObject *
_motcua_sync_call_list (Run         *run,
                        const char  *method,
                        const char  *endpoint,
                        JsonObject  *body,
                        const char  *list,
                        const char  *list_in,
                        GBytes     **list_out,
                        GError     **error)
{
  g_autofree char *path = g_strdup_printf ("/v1/%s?protocol=%d&schema=%d", endpoint,
                                           MOTCUA_PROTOCOL_VERSION, MOTCUA_SCHEMA_VERSION);
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *rest = NULL;
  MotcuaJsonValue member = { 0 };
  guint status = 0;
  JsonObject *o;
  gsize size;
  const char *data;

  if (body != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
      g_autofree char *members = json_to_string (node, FALSE);
      GString *text = g_string_new (members);

      if (list_in != NULL)
        {
          /* In place of the closing brace: ,"list":… and the brace again. */
          g_string_truncate (text, text->len - 1);
          g_string_append_printf (text, "%s\"%s\":", text->len > 1 ? "," : "", list);
          g_string_append (text, list_in);
          g_string_append_c (text, '}');
        }
      request = g_string_free_to_bytes (text);
    }

  /* Asked to slow down (429): wait as long as the server says and send it again; a push
   * and a pull by cursor are both safe to repeat. */
  for (guint attempt = 0; ; attempt++)
    {
      MotcuaExchange x = { method, path, request };
      gint64 start = g_get_monotonic_time ();

      g_clear_pointer (&response, g_bytes_unref);
      if (!run->transport->klass->exchange (run->transport, &x, run->cancellable, error))
        return NULL;
      run->exchange_us = run->transport->exchange_us != 0 ? run->transport->exchange_us
                                                          : g_get_monotonic_time () - start;
      run->exchange_bytes = x.wire_in;
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
  if (data != NULL && list_out != NULL)
    rest = _motcua_json_cut_member (data, size, list, &member, NULL);
  if ((list_out != NULL && rest == NULL)
      || !json_parser_load_from_data (parser, rest != NULL ? rest : data ? data : "",
                                      rest != NULL ? -1 : (gssize) size, &local_error)
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
  if (list_out != NULL)
    *list_out = member.kind != 0
                ? g_bytes_new_from_bytes (response, (gsize) (member.start - data),
                                          (gsize) (member.end - member.start))
                : NULL;

  return json_object_ref (o);
}

void
_motcua_sync_report (Run *run)
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

  if (!_motcua_replica_restamp (run->replica, after, shift_ms,
                                _motcua_replica_case_due_date, &n, error))
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
/* Whether the server's @status says office @code ended and its work passed to the office the
 * token serves now. */
static gboolean
moved_from (JsonObject *status,
            const char *code)
{
  JsonNode *node = json_object_get_member (status, "moved_from");
  JsonArray *moved;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  moved = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (moved); i++)
    {
      JsonNode *item = json_array_get_element (moved, i);

      if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING
          && g_strcmp0 (json_node_get_string (item), code) == 0)
        return TRUE;
    }

  return FALSE;
}

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

  status = _motcua_sync_call (run, "GET", "status", NULL, error);
  if (status == NULL)
    return FALSE;
  after = local_ms (self);

  if (g_strcmp0 (_motcua_json_string (status, "office", ""), self->office_code) != 0
      && moved_from (status, self->office_code))
    {
      /* A reorganisation ended this replica's office: it serves the successor now, keeps its
       * pending changes, and pulls the successor's scope whole. */
      g_message (_("Office %s ended: this replica now belongs to %s, and pulls its scope"),
                 self->office_code, _motcua_json_string (status, "office", ""));
      if (!motcua_replica_begin (self, error)
          || !_motcua_replica_finish (self,
                                      _motcua_replica_set_office_code (
                                        self, _motcua_json_string (status, "office", ""), error)
                                      && _motcua_replica_meta_set_text (self, "hub_cursor", NULL,
                                                                        error)
                                      && _motcua_replica_meta_set_int (self, "purge_due", 1,
                                                                       error),
                                      error))
        return FALSE;
      run->p.rehomed = TRUE;
    }
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
  gint64 first = _motcua_store_sync_first_after (self, acked,
                                                 motcua_hlc_make (run->server_now + ahead_ms,
                                                                  G_MAXUINT16));

  *after_out = MAX ((guint64) MAX (first - 1, 0), acked);

  return first > 0;
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

/* A replica re-homed by a reorganisation has pulled its new scope, offices included: the open
 * cases it received offline for its ended office go to the office in charge, and are pushed at
 * once. */
static gboolean
step_rehomed (Run     *run,
              GError **error)
{
  guint moved = 0;

  if (!run->p.rehomed)
    return TRUE;
  if (!motcua_replica_move_cases_of_ended_offices (run->replica, &moved, error))
    return FALSE;

  return moved == 0 || _motcua_sync_step_push (run, error);
}

gboolean
_motcua_sync_step_push (Run     *run,
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
      g_autofree char *changes = NULL;
      g_autoptr(JsonObject) body = json_object_new ();
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(GError) local_error = NULL;
      JsonArray *rejected;
      guint n;
      gint64 new_acked;

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;

      /* Compact: each change without what the one before it implies, half the bytes. */
      changes = _motcua_replica_collect_text (self, acked, batch, run->compact, &n, error);
      if (changes == NULL)
        return FALSE;
      if (n == 0)
        break;
      if (run->compact)
        json_object_set_boolean_member (body, "compact", TRUE);

      /* Once sent, a change may be applied even if no answer comes back: never re-stamped
       * by a clock correction after that (see unheld_after()). */
      if (!note_sent (self, acked + n, error))
        return FALSE;
      answer = _motcua_sync_call_list (run, "POST", "push", body, "changes", changes, NULL,
                                       &local_error);
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
      if (!_motcua_store_sync_forget_refusals (self, acked + 1, (guint64) new_acked, error))
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
      _motcua_sync_report (run);

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
  g_autoptr(GPtrArray) offices = _motcua_store_receipts_offices (self, error);
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
        gboolean added;

        if (years[y] == 0
            || _motcua_store_receipts_lease_left (self, &office->id, years[y]) >= low)
          continue;

        body = json_object_new ();
        json_object_set_string_member (body, "office", office->code);
        json_object_set_int_member (body, "year", years[y]);
        json_object_set_int_member (body, "count", block);
        answer = _motcua_sync_call (run, "POST", "lease", body, &local_error);
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
        added = _motcua_store_receipts_add_lease (self, &office->id, years[y],
                                                  _motcua_json_int (answer, "first", 0),
                                                  _motcua_json_int (answer, "last", -1), error);
        if (!_motcua_replica_finish (self, added, error))
          return FALSE;
      }

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
       && _motcua_sync_step_push (&run, error)
       && step_lease (&run, error)
       && _motcua_sync_step_pull (&run, error)
       && step_rehomed (&run, error)
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
  answer = _motcua_sync_call (&run, "POST", "enroll", body, error);
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

  status = _motcua_sync_call (&run, "GET", "status", NULL, error);
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

