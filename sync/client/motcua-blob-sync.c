/* motcua-blob-sync.c: the bytes of scans between a replica and its server
 *
 * Uploads: at each sync, once the rows are pushed (so the server knows the attachments), every
 * whole blob the server has not confirmed goes up in chunks, each from where the server's copy
 * ends (POST /v1/blobs/status says where, one request for many blobs). Downloads: a scan is
 * fetched when it is opened (motcua_sync_fetch_attachment_async()), or every scan in scope at
 * each sync when the replica is so configured; each chunk is committed with its progress, so a
 * cut download resumes where it stopped. The last chunk in, the blob is verified against its
 * SHA-256, on both sides. See sync/PROTOCOL.md, Blobs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-blob-sync-private.h"
#include "motcua-error.h"
#include "motcua-version.h"

/* A server answering chunk after chunk without moving forward is broken; stop after this. */
#define MAX_STALLS 3
/* Chunks start at MOTCUA_BLOB_CHUNK and follow the link: doubled while one takes less than
 * FAST_US (a LAN: fewer requests, and the server's rate limit is not hit), halved while one
 * takes more than SLOW_US (a 2G link in a valley: a cut loses little), within these bounds. */
#define MIN_CHUNK (16 * 1024)
#define FAST_US (G_USEC_PER_SEC / 2)
#define SLOW_US (8 * G_USEC_PER_SEC)
typedef struct
{
  MotcuaTransport *transport;
  GCancellable    *cancellable;
  guint64          wire_out;
  guint64          wire_in;
  gsize            chunk;      /* bytes per request, now */
} Link;

#define LINK_INIT(transport, cancellable) { (transport), (cancellable), 0, 0, MOTCUA_BLOB_CHUNK }

/* What a refusal said, beyond its error. */
typedef struct
{
  char    code[32];
  gint64  received;    /* from a 409 "offset": where the server's copy ends */
} Refusal;

/* Adapts the chunk size to how long the last one took. */
static void
link_chunk_took (Link   *link,
                 gint64  elapsed_us)
{
  if (elapsed_us < FAST_US && link->chunk < MOTCUA_BLOB_MAX_CHUNK)
    link->chunk *= 2;
  else if (elapsed_us > SLOW_US && link->chunk > MIN_CHUNK)
    link->chunk /= 2;
}

/* Waits @seconds, or less if @cancellable is cancelled. */
static gboolean
json_true (JsonObject *o,
           const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* The error of a non-200 answer, and what else it said in @refusal. */
static void
set_answer_error (guint        status,
                  GBytes      *body,
                  const char  *what,
                  Refusal     *refusal,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *e = NULL;
  const char *code = "", *message = "";
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  int domain_code = MOTCUA_ERROR_INVALID;
  JsonObject *o;

  if (data != NULL && json_parser_load_from_data (parser, data, (gssize) size, NULL)
      && (o = _motcua_json_root_object (parser)) != NULL)
    {
      JsonNode *node = json_object_get_member (o, "error");

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          e = json_node_get_object (node);
          code = _motcua_json_string (e, "code", "");
          message = _motcua_json_string (e, "message", "");
          g_strlcpy (refusal->code, code, sizeof refusal->code);
          refusal->received = _motcua_json_int (e, "received", -1);
        }
    }

  if (status == 429 || status == 408 || status >= 500)
    {
      /* Busy or failing: worth retrying later, like a network error. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("The server answered %u: %s"), status,
                   *message ? message : code);
      return;
    }
  if (e == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   _("The server's answer to %s was cut short or is not JSON (HTTP %u)"), what,
                   status);
      return;
    }

  if (status == 401)
    domain_code = MOTCUA_ERROR_NOT_ENROLLED;
  else if (status == 403)
    domain_code = MOTCUA_ERROR_NOT_AUTHORIZED;
  else if (status == 413)
    domain_code = MOTCUA_ERROR_TOO_LARGE;
  else if (g_strcmp0 (code, "not-uploaded") == 0)
    domain_code = MOTCUA_ERROR_NOT_AVAILABLE;
  else if (status == 404)
    domain_code = MOTCUA_ERROR_NOT_FOUND;
  else if (g_strcmp0 (code, "checksum-mismatch") == 0)
    domain_code = MOTCUA_ERROR_CHECKSUM;
  else if (g_strcmp0 (code, "offset") == 0)
    domain_code = MOTCUA_ERROR_GAP;
  else if (g_strcmp0 (code, "update-required") == 0
           || g_strcmp0 (code, "server-outdated") == 0
           || g_strcmp0 (code, "protocol-mismatch") == 0)
    domain_code = MOTCUA_ERROR_SCHEMA_TOO_NEW;

  g_set_error (error, MOTCUA_ERROR, domain_code, _("The server refused %s: %s"), what,
               *message ? message : code);
}

/* One request about blobs: "/v1/blobs/@what?…@query". The body of a 200 answer; a 429 is
 * tried again a few times, after a pause. */
static GBytes *
blob_request (Link        *link,
              const char  *method,
              const char  *what,
              const char  *query,
              GBytes      *body,
              Refusal     *refusal,
              GError     **error)
{
  g_autofree char *path = g_strdup_printf ("/v1/blobs/%s?protocol=%d&schema=%d%s", what,
                                           MOTCUA_PROTOCOL_VERSION, MOTCUA_SCHEMA_VERSION,
                                           query != NULL ? query : "");
  Refusal ignored;

  if (refusal == NULL)
    refusal = &ignored;
  memset (refusal, 0, sizeof *refusal);
  refusal->received = -1;

  for (guint attempt = 0; ; attempt++)
    {
      MotcuaExchange x = { method, path, body };
      g_autoptr(GBytes) answer = NULL;
      guint status;

      if (g_cancellable_set_error_if_cancelled (link->cancellable, error))
        return NULL;
      if (!link->transport->klass->exchange (link->transport, &x, link->cancellable, error))
        return NULL;
      answer = x.response;
      status = x.status;
      link->wire_out += x.wire_out;
      link->wire_in += x.wire_in;

      if (status == 200)
        return g_steal_pointer (&answer);
      if (status == 429 && attempt < MOTCUA_BUSY_RETRIES)
        {
          if (!_motcua_wait_cancellable (_motcua_retry_after (answer, 1u << attempt),
                                         link->cancellable, error))
            return NULL;
          continue;
        }
      set_answer_error (status, answer, strcmp (what, "status") == 0 ? "blobs/status" : "blob",
                        refusal, error);
      return NULL;
    }
}

/* A 200 answer's JSON object. */
static JsonObject *
answer_object (GBytes  *answer,
               GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size;
  const char *data = g_bytes_get_data (answer, &size);
  JsonObject *o;

  if (data == NULL || !json_parser_load_from_data (parser, data, (gssize) size, NULL)
      || (o = _motcua_json_root_object (parser)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   _("The server's answer about a scan was cut short or is not JSON"));
      return NULL;
    }

  return json_object_ref (o);
}

/* Whether an error is about this one blob (skip it, go on) rather than the link or the
 * replica's standing with the server (stop). */
static gboolean
blob_only_error (const GError *error)
{
  return error->domain == MOTCUA_ERROR
         && (error->code == MOTCUA_ERROR_NOT_FOUND || error->code == MOTCUA_ERROR_NOT_AVAILABLE
             || error->code == MOTCUA_ERROR_TOO_LARGE || error->code == MOTCUA_ERROR_CHECKSUM
             || error->code == MOTCUA_ERROR_INVALID || error->code == MOTCUA_ERROR_GAP);
}

/* Downloads */

typedef void (*ChunkFunc) (guint64  received,
                           guint64  size,
                           gpointer user_data);

/* Commits one downloaded chunk at @offset of a blob of @size bytes, making its row at the
 * first one (not before: a scan the server does not have takes no room here); *next the
 * offset to ask for next. */
static gboolean
store_chunk (MotcuaReplica  *replica,
             const char     *sha256,
             gint64          size,
             gint64          offset,
             GBytes         *chunk,
             gint64         *next,
             GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean corrupt = FALSE;

  if (!motcua_replica_begin (replica, error))
    return FALSE;
  if (!_motcua_replica_finish (replica,
                               _motcua_blob_prepare (replica, sha256, size, TRUE, &local_error)
                               && _motcua_blob_write (replica, sha256, offset, chunk, next,
                                                      &corrupt, &local_error), &local_error))
    {
      /* Another download of the same scan moved on meanwhile: continue from where it is. */
      if (g_error_matches (local_error, MOTCUA_ERROR, MOTCUA_ERROR_GAP))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (corrupt)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CHECKSUM,
                   _("The bytes the server sent do not match the scan's SHA-256 %s: they were"
                     " discarded"), sha256);
      return FALSE;
    }

  return TRUE;
}

/* Downloads the blob @sha256 of @size bytes, resuming what is here already. */
static gboolean
download (MotcuaReplica  *replica,
          Link           *link,
          const char     *sha256,
          gint64          size,
          ChunkFunc       chunk_func,
          gpointer        user_data,
          GError        **error)
{
  MotcuaBlobState state;
  gint64 offset;
  guint stalls = 0;

  if (!_motcua_attachment_check_size ((guint64) size, error)
      || !_motcua_blob_state (replica, sha256, &state, error))
    return FALSE;

  /* A partial row of another size is started again by _motcua_blob_prepare(). */
  offset = state.exists && state.size == size ? state.received : 0;
  while (offset < size)
    {
      g_autofree char *query = g_strdup_printf ("&offset=%lld&length=%" G_GSIZE_FORMAT,
                                                (long long) offset, link->chunk);
      g_autoptr(GBytes) chunk = NULL;
      gint64 next = offset;
      gint64 started = g_get_monotonic_time ();

      chunk = blob_request (link, "GET", sha256, query, NULL, NULL, error);
      if (chunk == NULL)
        return FALSE;
      link_chunk_took (link, g_get_monotonic_time () - started);
      if (g_bytes_get_size (chunk) == 0 || (gint64) g_bytes_get_size (chunk) > size - offset)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The server sent %lu bytes of a scan at %lld of %lld"),
                       (unsigned long) g_bytes_get_size (chunk), (long long) offset,
                       (long long) size);
          return FALSE;
        }
      if (!store_chunk (replica, sha256, size, offset, chunk, &next, error))
        return FALSE;
      stalls = next > offset ? 0 : stalls + 1;
      if (stalls >= MAX_STALLS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("The download of the scan %s does not move forward"), sha256);
          return FALSE;
        }
      offset = next;
      if (chunk_func != NULL)
        chunk_func ((guint64) offset, (guint64) size, user_data);
    }

  return TRUE;
}

typedef struct
{
  const char             *id;
  MotcuaBlobProgressFunc  func;
  gpointer                user_data;
} FetchProgress;

static void
fetch_chunk (guint64  received,
             guint64  size,
             gpointer user_data)
{
  FetchProgress *fp = user_data;

  if (fp->func != NULL)
    fp->func (fp->id, received, size, fp->user_data);
}

GBytes *
_motcua_attachment_fetch (MotcuaReplica          *replica,
                          MotcuaTransport        *transport,
                          const char             *attachment_id,
                          MotcuaBlobProgressFunc  progress,
                          gpointer                user_data,
                          guint64                *bytes_in,
                          GCancellable           *cancellable,
                          GError                **error)
{
  g_autoptr(MotcuaAttachment) a = motcua_replica_dup_attachment (replica, attachment_id, error);
  Link link = LINK_INIT (transport, cancellable);
  FetchProgress fp = { NULL, progress, user_data };
  gboolean ok;

  if (bytes_in != NULL)
    *bytes_in = 0;
  if (a == NULL || !_motcua_attachment_check_not_removed (a, error))
    return NULL;
  if (!a->present)
    {
      fp.id = a->id;
      ok = download (replica, &link, a->sha256, (gint64) a->size, fetch_chunk, &fp, error);
      if (bytes_in != NULL)
        *bytes_in = link.wire_in;
      if (!ok)
        return NULL;
    }

  return motcua_replica_read_attachment (replica, a->id, error);
}

/* During a sync */

typedef struct
{
  MotcuaSyncProgress *p;
  MotcuaProgressFunc  progress;
  gpointer            user_data;
  Link               *link;
  guint64             sent_before;
  guint64             received_before;
} SyncReport;

static void
report_chunk (guint64  done,
              guint64  size,
              gpointer user_data)
{
  SyncReport *r = user_data;

  r->p->bytes_sent = r->sent_before + r->link->wire_out;
  r->p->bytes_received = r->received_before + r->link->wire_in;
  if (r->progress != NULL)
    r->progress (r->p, r->user_data);
}

/* Sends the chunk of the local blob @sha256 at @offset; *next where the server's copy ends
 * now (it may be further on: the answer to an earlier chunk was lost). */
static gboolean
upload_chunk (MotcuaReplica  *replica,
              Link           *link,
              const char     *sha256,
              gint64          size,
              gint64          offset,
              gint64         *next,
              GError        **error)
{
  g_autofree char *query = g_strdup_printf ("&offset=%lld&size=%lld", (long long) offset,
                                            (long long) size);
  g_autoptr(GBytes) chunk = _motcua_blob_read (replica, sha256, offset, (gint64) link->chunk,
                                               error);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonObject) o = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 started = g_get_monotonic_time ();
  Refusal refusal;

  if (chunk == NULL)
    return FALSE;
  answer = blob_request (link, "PUT", sha256, query, chunk, &refusal, &local_error);
  if (answer == NULL)
    {
      if (g_error_matches (local_error, MOTCUA_ERROR, MOTCUA_ERROR_GAP))
        {
          *next = refusal.received;
          return TRUE;
        }
      /* The server takes smaller bodies than this (its max-body-bytes): send smaller ones. */
      if (strcmp (refusal.code, "body-too-large") == 0 && link->chunk > MIN_CHUNK)
        {
          link->chunk = MAX (link->chunk / 4, MIN_CHUNK);
          *next = offset;
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  link_chunk_took (link, g_get_monotonic_time () - started);

  o = answer_object (answer, error);
  if (o == NULL)
    return FALSE;
  *next = json_true (o, "complete") ? size : _motcua_json_int (o, "received", -1);

  return TRUE;
}

/* Uploads the whole local blob @sha256 from @offset, where the server's copy ends. */
static gboolean
upload (MotcuaReplica  *replica,
        Link           *link,
        const char     *sha256,
        gint64          size,
        gint64          offset,
        SyncReport     *report,
        GError        **error)
{
  guint stalls = 0;

  while (offset < size)
    {
      gsize chunk = link->chunk;
      gint64 next = -1;

      if (!upload_chunk (replica, link, sha256, size, offset, &next, error))
        return FALSE;
      if (next < 0 || next > size)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The server holds %lld bytes of a scan of %lld"), (long long) next,
                       (long long) size);
          return FALSE;
        }
      stalls = next > offset || link->chunk < chunk ? 0 : stalls + 1;
      if (stalls >= MAX_STALLS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("The upload of the scan %s does not move forward"), sha256);
          return FALSE;
        }
      offset = next;
      report_chunk ((guint64) offset, (guint64) size, report);
    }

  if (!motcua_replica_begin (replica, error))
    return FALSE;

  return _motcua_replica_finish (replica, _motcua_blob_set_uploaded (replica, sha256, error),
                                 error);
}

typedef struct
{
  char   *sha256;
  gint64  size;
} Pending;

static void
pending_clear (Pending *pending)
{
  g_free (pending->sha256);
}

static gboolean
add_pending (const MotcuaStoreBlobRow  *row,
             gpointer                   user_data,
             GError                   **error)
{
  Pending pending = { g_strdup (row->sha256), row->size };

  g_array_append_val (user_data, pending);

  return TRUE;
}

typedef struct
{
  GArray *out;
  gint64 *after;
} UploadPending;

static gboolean
add_upload (const MotcuaStoreBlobRow  *row,
            gpointer                   user_data,
            GError                   **error)
{
  UploadPending *upload = user_data;

  *upload->after = row->rowid;

  return add_pending (row, upload->out, error);
}

/* Up to MOTCUA_BLOB_MAX_STATUS whole blobs not known to be on the server, past rowid @after. */
static GArray *
blobs_to_upload (MotcuaReplica  *replica,
                 gint64         *after,
                 GError        **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (Pending));
  UploadPending upload = { out, after };

  g_array_set_clear_func (out, (GDestroyNotify) pending_clear);
  if (!_motcua_store_sync_blobs_to_upload (replica, *after, MOTCUA_BLOB_MAX_STATUS, add_upload,
                                           &upload, error))
    return NULL;

  return g_steal_pointer (&out);
}

/* What the server holds of each of @batch: a JSON array in the same order. */
static JsonObject *
ask_status (Link    *link,
            GArray  *batch,
            GError **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonArray) list = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) answer = NULL;
  char *text;

  for (guint i = 0; i < batch->len; i++)
    json_array_add_string_element (list, g_array_index (batch, Pending, i).sha256);
  json_object_set_array_member (body, "blobs", g_steal_pointer (&list));
  node = json_node_init_object (json_node_alloc (), body);
  text = json_to_string (node, FALSE);
  request = g_bytes_new_take (text, strlen (text));

  answer = blob_request (link, "POST", "status", NULL, request, NULL, error);
  if (answer == NULL)
    return NULL;

  return answer_object (answer, error);
}

static gboolean
upload_batch (MotcuaReplica  *replica,
              Link           *link,
              GArray         *batch,
              SyncReport     *report,
              GError        **error)
{
  g_autoptr(JsonObject) status = ask_status (link, batch, error);
  JsonArray *blobs;

  if (status == NULL)
    return FALSE;
  blobs = json_object_has_member (status, "blobs")
          && JSON_NODE_HOLDS_ARRAY (json_object_get_member (status, "blobs"))
          ? json_object_get_array_member (status, "blobs") : NULL;
  if (blobs == NULL || json_array_get_length (blobs) != batch->len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The server's answer to blobs/status does not list the scans asked about"));
      return FALSE;
    }

  for (guint i = 0; i < batch->len; i++)
    {
      Pending *pending = &g_array_index (batch, Pending, i);
      JsonObject *entry = json_array_get_object_element (blobs, i);
      g_autoptr(GError) local_error = NULL;
      gboolean ok;

      if (entry == NULL || !json_true (entry, "known"))
        continue;   /* its attachment was refused, or is not the server's to hold: skip it */
      if (json_true (entry, "complete"))
        {
          /* Someone uploaded the same bytes already. */
          ok = motcua_replica_begin (replica, &local_error)
               && _motcua_replica_finish (replica,
                                          _motcua_blob_set_uploaded (replica, pending->sha256,
                                                                     &local_error),
                                          &local_error);
        }
      else
        ok = upload (replica, link, pending->sha256, pending->size,
                     CLAMP (_motcua_json_int (entry, "received", 0), 0, pending->size), report,
                     &local_error);

      if (ok)
        report->p->attachments_sent++;
      else if (blob_only_error (local_error))
        g_message ("The scan %s was not uploaded: %s", pending->sha256, local_error->message);
      else
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
upload_all (MotcuaReplica  *replica,
            Link           *link,
            SyncReport     *report,
            GError        **error)
{
  gint64 after = 0;

  for (;;)
    {
      g_autoptr(GArray) batch = blobs_to_upload (replica, &after, error);

      if (batch == NULL)
        return FALSE;
      if (batch->len == 0)
        return TRUE;
      if (!upload_batch (replica, link, batch, report, error))
        return FALSE;
    }
}

static gboolean
add_valid_pending (const MotcuaStoreBlobRow  *row,
                   gpointer                   user_data,
                   GError                   **error)
{
  return !_motcua_sha256_valid (row->sha256) || add_pending (row, user_data, error);
}

/* Every blob of this replica's attachments that is not whole here (one per SHA-256). */
static GArray *
blobs_to_fetch (MotcuaReplica  *replica,
                GError        **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (Pending));

  g_array_set_clear_func (out, (GDestroyNotify) pending_clear);
  if (!_motcua_store_sync_blobs_to_fetch (replica, add_valid_pending, out, error))
    return NULL;

  return g_steal_pointer (&out);
}

static gboolean
fetch_all (MotcuaReplica  *replica,
           Link           *link,
           SyncReport     *report,
           GError        **error)
{
  g_autoptr(GArray) wanted = blobs_to_fetch (replica, error);

  if (wanted == NULL)
    return FALSE;

  for (guint i = 0; i < wanted->len; i++)
    {
      Pending *pending = &g_array_index (wanted, Pending, i);
      g_autoptr(GError) local_error = NULL;

      if (download (replica, link, pending->sha256, pending->size, report_chunk, report,
                    &local_error))
        report->p->attachments_received++;
      else if (g_error_matches (local_error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_AVAILABLE))
        continue;   /* not uploaded yet by its desk: a later sync gets it */
      else if (blob_only_error (local_error))
        g_message ("The scan %s was not downloaded: %s", pending->sha256, local_error->message);
      else
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
_motcua_sync_blobs (MotcuaReplica       *replica,
                    MotcuaTransport     *transport,
                    MotcuaSyncProgress  *p,
                    MotcuaProgressFunc   progress,
                    gpointer             user_data,
                    GCancellable        *cancellable,
                    GError             **error)
{
  Link link = LINK_INIT (transport, cancellable);
  SyncReport report = { p, progress, user_data, &link, p->bytes_sent, p->bytes_received };
  guint dropped = 0;
  gboolean ok;

  ok = upload_all (replica, &link, &report, error)
       && (!motcua_replica_get_fetch_all_attachments (replica)
           || fetch_all (replica, &link, &report, error));
  p->bytes_sent = report.sent_before + link.wire_out;
  p->bytes_received = report.received_before + link.wire_in;
  if (!ok)
    return FALSE;

  /* Scans of cases purged from this replica (they left its scope) go with them. */
  if (!motcua_replica_begin (replica, error))
    return FALSE;

  return _motcua_replica_finish (replica,
                                 _motcua_blob_drop_orphans (replica, NULL, &dropped, error),
                                 error);
}
