/* motcua-protocol-private.h: protocol v1, the hub's side, without the network
 *
 * motcua-server (app/server/) reads HTTP requests, checks the limits that belong to the
 * transport (body size, requests per second, slow clients), undoes gzip, and hands each request
 * to _motcua_hub_handle(). The tests call the same function in process, through a fault layer.
 * The protocol itself is documented in sync/PROTOCOL.md.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "motcua-replica.h"

G_BEGIN_DECLS

/* What the hub enforces itself (the server's config sets them). 0 means the default. */
typedef struct
{
  guint   max_changes_per_push;  /* default 5000: more → 413 */
  guint   max_changes_per_pull;  /* default 2000: a pull's batch is at most this */
  gint64  max_blob_size;         /* default 20 MiB: a bigger scan → 413 */
  gint64  max_skew_ms;           /* default MOTCUA_MAX_SKEW_MS: a change stamped further
                                  * ahead → 400 */
} MotcuaHubLimits;

typedef struct
{
  const char *method;    /* "GET", "POST", "PUT", "HEAD" */
  const char *path;      /* "/v1/push" */
  const char *query;     /* the URL's query without "?", or NULL */
  const char *token;     /* the bearer token, or NULL when none was sent */
  GBytes     *body;      /* the body, gzip undone; NULL for none */
} MotcuaHubRequest;

typedef struct
{
  guint       status;        /* HTTP status */
  const char *content_type;  /* "application/json" or "application/octet-stream" */
  GBytes     *body;
  /* For the server's log line */
  char       *replica;       /* "office/token-id", or "-" before authentication */
  char       *endpoint;      /* "push", "pull", … or "-" */
  guint       changes_in;
  guint       changes_out;
  char       *token_id;      /* for rate limits: NULL before authentication */
  guint64     bytes_in;      /* bytes of a scan received (blob upload) */
  guint64     bytes_out;     /* bytes of a scan sent (blob download) */
} MotcuaHubResponse;

void               _motcua_hub_response_free (MotcuaHubResponse      *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaHubResponse, _motcua_hub_response_free)

/* Answers one request; never fails: errors are 4xx (or 500 when the disk fails) responses with
 * the body {"error": {"code": "...", "message": "..."}}. */
MotcuaHubResponse *_motcua_hub_handle        (MotcuaReplica          *hub,
                                              const MotcuaHubLimits  *limits,
                                              const MotcuaHubRequest *request);

/* Whether the \u escape at @p (@left bytes from it) is one json-glib 1.6 can take: four hex
 * digits, and a surrogate only as a high half followed at once by a low half. After any other
 * surrogate json-glib reads the next two characters as if they had to be "\u" (the closing
 * quote included), scans on, and leaks the string it was building at the next bad pair; it
 * leaks on a short escape too. @skip: the bytes after the backslash that belong to it. The
 * server refuses a body with any other before parsing it; the fuzz targets skip it. */
gboolean           _motcua_json_escape_ok     (const char             *p,
                                               gsize                   left,
                                               gsize                  *skip);

/* An error response, for the errors the server finds before the hub sees a request (413 body
 * too large, 429 too many requests, 408 too slow, 400 bad gzip). */
MotcuaHubResponse *_motcua_hub_error_response (guint                   status,
                                               const char             *code,
                                               const char             *message);
/* The same for a 429, with "retry_after": the seconds until a request of the client's is
 * taken again (also sent as the Retry-After header, which the transports do not read). */
MotcuaHubResponse *_motcua_hub_busy_response  (const char             *message,
                                               guint                   retry_after);

G_END_DECLS
