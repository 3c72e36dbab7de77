/* motcua-hub.h: the province's side of replication, as the server drives it
 *
 * A MotcuaHub is a province replica serving the others (sync/hub/): it judges their pushes,
 * serves their pulls, detects conflicts, leases receipt numbers, enrolls and revokes replicas,
 * and keeps scans. The server (app/server/) is a thin adapter over it: it reads HTTP requests,
 * checks the limits that belong to the transport (body size, requests per second, slow
 * clients), undoes gzip, and hands each request to motcua_hub_handle(). The protocol itself is
 * documented in sync/PROTOCOL.md.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-inside.h"
#include <gio/gio.h>

#include "motcua-replica.h"

G_BEGIN_DECLS

#define MOTCUA_TYPE_HUB (motcua_hub_get_type ())
G_DECLARE_FINAL_TYPE (MotcuaHub, motcua_hub, MOTCUA, HUB, GObject)

/* The hub of the province replica @store; refused (MOTCUA_ERROR_INVALID) for a replica of any
 * other level. */
MotcuaHub         *motcua_hub_new              (MotcuaReplica          *store,
                                                GError                **error);
MotcuaReplica     *motcua_hub_get_store        (MotcuaHub              *self);
/* Appends the province's own new writes (catalogue, calendar, offices, resolutions) to the
 * global order the replicas pull; the hub does so itself before every push and pull, and an
 * administration command beside a running server calls it so desks see its writes at once. */
gboolean           motcua_hub_publish          (MotcuaHub              *self,
                                                GError                **error);
/* Counts the sums the store keeps for the digests of replicas' scopes again from every row.
 * motcua-server does it when it starts to serve: a store written behind its back (by hand,
 * while it was stopped) then gives the digests of what it holds. It reads every row once. */
gboolean           motcua_hub_count_digests    (MotcuaHub              *self,
                                                GError                **error);

/* The most changes a pulled batch holds by default: a replica asks for 2,000 first and for more
 * while the answers come back quickly (fewer, larger transactions on a fast link). */
#define MOTCUA_HUB_MAX_CHANGES_PER_PULL 8000

/* What the hub enforces itself (the server's config sets them). 0 means the default. */
typedef struct
{
  guint   max_changes_per_push;  /* default 5000: more → 413 */
  guint   max_changes_per_pull;  /* default MOTCUA_HUB_MAX_CHANGES_PER_PULL: a pull's batch is
                                  * at most this */
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

void               motcua_hub_response_free    (MotcuaHubResponse      *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaHubResponse, motcua_hub_response_free)

/* Answers one request; never fails: errors are 4xx (or 500 when the disk fails) responses with
 * the body {"error": {"code": "...", "message": "..."}}. */
MotcuaHubResponse *motcua_hub_handle           (MotcuaHub              *self,
                                                const MotcuaHubLimits  *limits,
                                                const MotcuaHubRequest *request);
/* An error response, for the errors the server finds before the hub sees a request (413 body
 * too large, 429 too many requests, 408 too slow, 400 bad gzip). */
MotcuaHubResponse *motcua_hub_error_response   (guint                   status,
                                                const char             *code,
                                                const char             *message);
/* The same for a 429, with "retry_after": the seconds until a request of the client's is
 * taken again (also sent as the Retry-After header, which the transports do not read). */
MotcuaHubResponse *motcua_hub_busy_response    (const char             *message,
                                                guint                   retry_after);

/* Protocol v1's bodies may be gzipped: gzip, and its inverse with a cap on the size it
 * produces (FALSE beyond it, and for data that ends too soon or runs on after its end).
 * Bodies shorter than MOTCUA_GZIP_MIN_BYTES travel as they are, both ways: gzip's own header
 * and the header naming it would make them longer (an idle sync is a few such bodies). */
#define MOTCUA_GZIP_MIN_BYTES 1024
/* How hard each side compresses. A replica's request crosses the desk's link once, often a 2G
 * upload: level 9 takes 6 % off a push for a few milliseconds of the desk's time per request.
 * The server answers every desk of the province: level 9 would take 5 % off a pull for 60 %
 * more of the server's time serving it (tests/bench, 7 December 2026). */
#define MOTCUA_GZIP_REQUEST_LEVEL 9
#define MOTCUA_GZIP_ANSWER_LEVEL  6

/* @level: zlib's, 1 (fastest) to 9 (smallest). */
GBytes            *motcua_gzip                 (GBytes                 *data,
                                                int                     level);
GBytes            *motcua_gunzip               (GBytes                 *data,
                                                gsize                   max_size,
                                                GError                **error);

/* Enrollment */

/* An enrolled replica, as motcua_hub_list_replicas() lists it. */
typedef struct
{
  char    *token_id;
  char    *office_code;
  char    *replica_id;     /* NULL until the replica binds the token (enroll or first push) */
  guint64  acked_seq;
  char    *desk_code;      /* short, unique in the province: "Q" and a number */
  gboolean revoked;
  char    *enrolled_at;
  char    *last_seen_at;   /* NULL when never seen */
} MotcuaHubReplicaInfo;

void               motcua_hub_replica_info_free (MotcuaHubReplicaInfo  *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaHubReplicaInfo, motcua_hub_replica_info_free)

/* Enrolls an office: returns its token ("id.secret"), shown once; only a salted hash is kept. */
char              *motcua_hub_enroll           (MotcuaHub              *self,
                                                const char             *office_code,
                                                GError                **error);
/* The enrolled replicas (MotcuaHubReplicaInfo), oldest first. */
GPtrArray         *motcua_hub_list_replicas    (MotcuaHub              *self,
                                                GError                **error);
gboolean           motcua_hub_revoke           (MotcuaHub              *self,
                                                const char             *token_id,
                                                GError                **error);

/* Restores */

/* Restores (motcua-hub-restore.c). Each restore of the store from an older copy opens a
 * generation; the receipt numbers of an office and year, and the desk numbers, given in
 * generation g start above g times these spans, so none the lost hours gave is given again. */
#define MOTCUA_HUB_RECEIPT_SPAN G_GINT64_CONSTANT (1000000)
#define MOTCUA_HUB_DESK_SPAN    G_GINT64_CONSTANT (10000)
/* The store's generation: 0 until it is first restored from an older copy; each restore opens
 * a higher one, and the receipt numbers and desk codes given in it start above those of every
 * generation before. */
gint64             motcua_hub_get_generation   (MotcuaHub              *self);
/* Whether @store names a PostgreSQL store (a postgresql:// URI) rather than an SQLite file. */
gboolean           motcua_hub_store_is_postgresql (const char         *store);
/* Creates the schema of the PostgreSQL store @uri, or brings it up to this build's version, in
 * one transaction; several processes may run it at once. @from, @to: the version before and
 * after. A store of a newer build is left as it is (MOTCUA_ERROR_SCHEMA_TOO_NEW). The server
 * does not serve from a PostgreSQL store yet: this is where the store begins. */
gboolean           motcua_hub_migrate_postgresql  (const char         *uri,
                                                   int                *from,
                                                   int                *to,
                                                   GError            **error);
/* Puts the server store @copy_path (an older copy of it) in the place of @store_path, which
 * no process may have open, and opens a generation, above the copy's, the replaced store's
 * and the one noted in STORE.restores. The replaced store is kept as STORE.before-restore. A
 * copy that is damaged or not a server's store is refused, and the store is left as it was. */
gboolean           motcua_hub_restore          (const char             *store_path,
                                                const char             *copy_path,
                                                GError                **error);

G_END_DECLS
