/* test-attachments-sync.c: scans between replicas: uploads, downloads, cuts, corruption, scope
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-blob-sync-private.h"
#include "motcua-hub-private.h"
#include "motcua-protocol-private.h"
#include "motcua-version.h"
#include "motcua-test-transport.h"
#include "motcua-test-utils.h"
#include "test-attachments.h"

/* Between replicas */

/* A commune attaches; the hub gets the bytes at its sync; the district gets the row, and the
 * bytes when it opens the scan. */
static void
test_fetch_on_open (Province      *p,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Vàng A Sình");
  g_autoptr(GBytes) scan = scan_bytes (200 * 1024 + 17, 5);
  g_autoptr(MotcuaAttachment) a = attach (&p->a, c->id, scan);
  g_autoptr(MotcuaAttachment) on_a = NULL;
  g_autoptr(MotcuaAttachment) on_d = NULL;
  g_autoptr(GBytes) on_hub = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GBytes) fetched = NULL;
  g_autoptr(GPtrArray) list = NULL;
  CutTransport *transport;
  MotcuaSyncProgress summary = { 0 };
  guint64 bytes_in = 0;

  sync_replica (p, &p->a, p->token_a, &summary);
  g_assert_cmpuint (summary.attachments_sent, ==, 1);
  g_assert_cmpuint (summary.bytes_sent, >, g_bytes_get_size (scan));

  on_hub = motcua_replica_read_attachment (p->hub.replica, a->id, &error);
  g_assert_no_error (error);
  assert_bytes_equal (on_hub, scan);
  on_a = motcua_replica_dup_attachment (p->a.replica, a->id, &error);
  g_assert_true (on_a->uploaded);
  g_assert_cmpint (on_a->sync_state, ==, MOTCUA_SYNC_STATE_SYNCED);

  sync_replica (p, &p->d, p->token_d, &summary);
  g_assert_cmpuint (summary.attachments_received, ==, 0);   /* not configured to fetch all */
  list = motcua_replica_list_attachments (p->d.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  on_d = motcua_attachment_copy (list->pdata[0]);
  g_assert_false (on_d->present);
  g_assert_cmpuint (on_d->received, ==, 0);
  g_assert_cmpstr (on_d->sha256, ==, a->sha256);

  read = motcua_replica_read_attachment (p->d.replica, a->id, &error);
  g_assert_null (read);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  transport = cut_new (p, p->token_d);
  fetched = _motcua_attachment_fetch (p->d.replica, &transport->parent, a->id, NULL, NULL,
                                      &bytes_in, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_equal (fetched, scan);
  g_assert_cmpuint (bytes_in, ==, g_bytes_get_size (scan));
  g_assert_cmpuint (transport->get_bytes, ==, g_bytes_get_size (scan));
  g_assert_cmpuint (transport->gets, >=, 2);   /* in chunks */
  _motcua_transport_free (&transport->parent);

  g_clear_pointer (&on_d, motcua_attachment_free);
  on_d = motcua_replica_dup_attachment (p->d.replica, a->id, &error);
  g_assert_true (on_d->present);
  g_clear_pointer (&read, g_bytes_unref);
  read = motcua_replica_read_attachment (p->d.replica, a->id, &error);
  g_assert_no_error (error);
  assert_bytes_equal (read, scan);
}

static void
test_fetch_all (Province      *p,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Sùng A Páo");
  g_autoptr(GBytes) one = scan_bytes (70 * 1024, 6);
  g_autoptr(GBytes) two = scan_bytes (3, 7);
  g_autoptr(MotcuaAttachment) a1 = attach (&p->a, c->id, one);
  g_autoptr(MotcuaAttachment) a2 = attach (&p->a, c->id, two);
  g_autoptr(GBytes) read1 = NULL;
  g_autoptr(GBytes) read2 = NULL;
  MotcuaSyncProgress summary = { 0 };

  g_assert_false (motcua_replica_get_fetch_all_attachments (p->d.replica));
  g_assert_true (motcua_replica_set_fetch_all_attachments (p->d.replica, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (motcua_replica_get_fetch_all_attachments (p->d.replica));

  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, &summary);
  g_assert_cmpuint (summary.attachments_received, ==, 2);

  read1 = motcua_replica_read_attachment (p->d.replica, a1->id, &error);
  g_assert_no_error (error);
  assert_bytes_equal (read1, one);
  read2 = motcua_replica_read_attachment (p->d.replica, a2->id, &error);
  g_assert_no_error (error);
  assert_bytes_equal (read2, two);

  /* Nothing more to fetch next time; the other commune never gets them. */
  sync_replica (p, &p->d, p->token_d, &summary);
  g_assert_cmpuint (summary.attachments_received, ==, 0);
  g_assert_true (motcua_replica_set_fetch_all_attachments (p->b.replica, TRUE, &error));
  sync_replica (p, &p->b, p->token_b, &summary);
  g_assert_cmpint (motcua_test_count (p->b.replica, "attachments"), ==, 0);
  g_assert_cmpint (motcua_test_count (p->b.replica, "blobs"), ==, 0);
}

/* The bytes are not on the server yet: fetching says so; fetch-all skips them and the sync
 * still succeeds. */
static void
test_not_uploaded (Province      *p,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Mùa A Dính");
  g_autoptr(GBytes) scan = scan_bytes (1000, 8);
  g_autoptr(MotcuaAttachment) a = attach (&p->a, c->id, scan);
  g_autoptr(GBytes) fetched = NULL;
  CutTransport *offline_blobs = cut_new (p, p->token_a);
  CutTransport *transport;
  MotcuaSyncProgress summary = { 0 };

  offline_blobs->refuse_blobs = TRUE;
  g_assert_false (sync_through (&p->a, offline_blobs, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE);
  g_clear_error (&error);
  _motcua_transport_free (&offline_blobs->parent);
  g_assert_false (hub_blob (p, a->sha256).exists);

  g_assert_true (motcua_replica_set_fetch_all_attachments (p->d.replica, TRUE, &error));
  sync_replica (p, &p->d, p->token_d, &summary);
  g_assert_cmpuint (summary.attachments_received, ==, 0);

  transport = cut_new (p, p->token_d);
  fetched = _motcua_attachment_fetch (p->d.replica, &transport->parent, a->id, NULL, NULL, NULL,
                                      NULL, &error);
  g_assert_null (fetched);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);
  g_assert_cmpint (motcua_test_count (p->d.replica, "blobs"), ==, 0);   /* no room taken */

  /* Once the commune syncs, it is there. */
  sync_replica (p, &p->a, p->token_a, NULL);
  fetched = _motcua_attachment_fetch (p->d.replica, &transport->parent, a->id, NULL, NULL, NULL,
                                      NULL, &error);
  g_assert_no_error (error);
  assert_bytes_equal (fetched, scan);
  _motcua_transport_free (&transport->parent);
}

/* A cut after three chunks of an upload (the third reaches the hub, its answer is lost): the
 * next sync sends only the rest. */
static void
test_upload_resumes (Province      *p,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Hờ A Chứ");
  gsize size = 20 * MOTCUA_BLOB_CHUNK + 100;
  g_autoptr(GBytes) scan = scan_bytes (size, 9);
  g_autoptr(MotcuaAttachment) a = attach (&p->a, c->id, scan);
  g_autoptr(GBytes) on_hub = NULL;
  CutTransport *transport = cut_new (p, p->token_a);
  MotcuaBlobState state;
  guint64 first_bytes;

  transport->puts_left = 2;
  g_assert_false (sync_through (&p->a, transport, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_clear_error (&error);
  g_assert_cmpuint (transport->puts, ==, 3);
  first_bytes = transport->put_bytes;
  g_assert_cmpuint (first_bytes, >=, 3 * MOTCUA_BLOB_CHUNK);
  g_assert_cmpuint (first_bytes, <, size);
  state = hub_blob (p, a->sha256);
  g_assert_true (state.exists);
  g_assert_cmpint (state.received, ==, first_bytes);
  g_assert_cmpint (state.size, ==, size);
  _motcua_transport_free (&transport->parent);

  transport = cut_new (p, p->token_a);
  g_assert_true (sync_through (&p->a, transport, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (transport->put_bytes, ==, size - first_bytes);
  _motcua_transport_free (&transport->parent);

  on_hub = motcua_replica_read_attachment (p->hub.replica, a->id, &error);
  g_assert_no_error (error);
  assert_bytes_equal (on_hub, scan);
}

/* A chunk sent again after a lost answer is refused with where the hub's copy ends, and the
 * replica goes on from there. */
static void
test_upload_lost_answer (Province      *p,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lý Thị Sâm");
  gsize size = 2 * MOTCUA_BLOB_CHUNK + 1;
  g_autoptr(GBytes) scan = scan_bytes (size, 10);
  g_autoptr(MotcuaAttachment) a = attach (&p->a, c->id, scan);
  g_autoptr(GBytes) first = g_bytes_new_from_bytes (scan, 0, MOTCUA_BLOB_CHUNK);
  g_autoptr(MotcuaHubResponse) response = NULL;
  g_autofree char *code = NULL;
  g_autofree char *path = g_strconcat ("/v1/blobs/", a->sha256, NULL);
  g_autofree char *query = g_strdup_printf ("&offset=0&size=%" G_GSIZE_FORMAT, size);
  CutTransport *offline_blobs = cut_new (p, p->token_a);

  /* Rows pushed, bytes not. */
  offline_blobs->refuse_blobs = TRUE;
  g_assert_false (sync_through (&p->a, offline_blobs, NULL, &error));
  g_clear_error (&error);
  _motcua_transport_free (&offline_blobs->parent);

  response = hub_request (p, "PUT", p->token_a, path, query, first);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (response->bytes_in, ==, MOTCUA_BLOB_CHUNK);
  g_clear_pointer (&response, motcua_hub_response_free);
  response = hub_request (p, "PUT", p->token_a, path, query, first);
  g_assert_cmpuint (response->status, ==, 409);
  code = error_code (response);
  g_assert_cmpstr (code, ==, "offset");
  g_assert_nonnull (strstr (g_bytes_get_data (response->body, NULL), "\"received\":65536"));

  sync_replica (p, &p->a, p->token_a, NULL);
  g_assert_cmpint (hub_blob (p, a->sha256).received, ==, size);
}

/* A cut download: the next fetch asks only for the rest. */
static void
test_download_resumes (Province      *p,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Thào A Sử");
  gsize size = 20 * MOTCUA_BLOB_CHUNK + 5;
  g_autoptr(GBytes) scan = scan_bytes (size, 11);
  g_autoptr(MotcuaAttachment) a = attach (&p->a, c->id, scan);
  g_autoptr(MotcuaAttachment) on_d = NULL;
  g_autoptr(GBytes) fetched = NULL;
  CutTransport *transport;
  guint64 first_bytes;

  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);

  transport = cut_new (p, p->token_d);
  transport->gets_left = 2;
  fetched = _motcua_attachment_fetch (p->d.replica, &transport->parent, a->id, NULL, NULL, NULL,
                                      NULL, &error);
  g_assert_null (fetched);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_clear_error (&error);
  g_assert_cmpuint (transport->gets, ==, 2);
  first_bytes = transport->get_bytes;
  g_assert_cmpuint (first_bytes, >=, 2 * MOTCUA_BLOB_CHUNK);
  _motcua_transport_free (&transport->parent);

  on_d = motcua_replica_dup_attachment (p->d.replica, a->id, &error);
  g_assert_false (on_d->present);
  g_assert_cmpuint (on_d->received, ==, first_bytes);
  fetched = motcua_replica_read_attachment (p->d.replica, a->id, &error);
  g_assert_null (fetched);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  /* A fetch-all sync picks it up where it stopped, too. */
  g_assert_true (motcua_replica_set_fetch_all_attachments (p->d.replica, TRUE, &error));
  transport = cut_new (p, p->token_d);
  g_assert_true (sync_through (&p->d, transport, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (transport->get_bytes, ==, size - first_bytes);
  _motcua_transport_free (&transport->parent);

  fetched = motcua_replica_read_attachment (p->d.replica, a->id, &error);
  g_assert_no_error (error);
  assert_bytes_equal (fetched, scan);
}

/* Bytes that are not what their SHA-256 names are refused, and nothing of them is kept. */
static void
test_corrupt_upload (Province      *p,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Cứ A Lử");
  g_autoptr(GBytes) scan = scan_bytes (1000, 12);
  g_autoptr(GBytes) forged = scan_bytes (1000, 13);
  g_autoptr(MotcuaAttachment) a = attach (&p->a, c->id, scan);
  g_autoptr(MotcuaHubResponse) response = NULL;
  g_autoptr(GBytes) on_hub = NULL;
  g_autofree char *code = NULL;
  g_autofree char *path = g_strconcat ("/v1/blobs/", a->sha256, NULL);
  CutTransport *offline_blobs = cut_new (p, p->token_a);

  offline_blobs->refuse_blobs = TRUE;
  g_assert_false (sync_through (&p->a, offline_blobs, NULL, &error));
  g_clear_error (&error);
  _motcua_transport_free (&offline_blobs->parent);

  response = hub_request (p, "PUT", p->token_a, path, "&offset=0&size=1000", forged);
  g_assert_cmpuint (response->status, ==, 400);
  code = error_code (response);
  g_assert_cmpstr (code, ==, "checksum-mismatch");
  g_assert_false (hub_blob (p, a->sha256).exists);
  g_assert_cmpint (motcua_test_count (p->hub.replica, "blobs"), ==, 0);
  g_clear_pointer (&response, motcua_hub_response_free);

  /* A size that is not the attachment's is not taken at all. */
  {
    g_autoptr(GBytes) shorter = g_bytes_new_from_bytes (forged, 0, 999);

    response = hub_request (p, "PUT", p->token_a, path, "&offset=0&size=999", shorter);
    g_assert_cmpuint (response->status, ==, 404);
    g_clear_pointer (&response, motcua_hub_response_free);
    g_assert_cmpint (motcua_test_count (p->hub.replica, "blobs"), ==, 0);
  }

  /* The real bytes go up at the next sync. */
  sync_replica (p, &p->a, p->token_a, NULL);
  on_hub = motcua_replica_read_attachment (p->hub.replica, a->id, &error);
  g_assert_no_error (error);
  assert_bytes_equal (on_hub, scan);
}

/* A corrupted download is discarded, not kept, and reported. */
static void
test_corrupt_download (Province      *p,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Tráng A Chu");
  g_autoptr(GBytes) scan = scan_bytes (3000, 14);
  g_autoptr(MotcuaAttachment) a = attach (&p->a, c->id, scan);
  g_autoptr(GBytes) fetched = NULL;
  CutTransport *transport;
  sqlite3 *db = NULL;

  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, NULL);

  /* The server's disk flips a byte. */
  g_assert_cmpint (sqlite3_open (p->hub.path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE blobs SET data = zeroblob (3000)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  transport = cut_new (p, p->token_d);
  fetched = _motcua_attachment_fetch (p->d.replica, &transport->parent, a->id, NULL, NULL, NULL,
                                      NULL, &error);
  g_assert_null (fetched);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CHECKSUM);
  g_clear_error (&error);
  _motcua_transport_free (&transport->parent);
  g_assert_cmpint (motcua_test_count (p->d.replica, "blobs"), ==, 0);
}

/* Another commune can neither read nor write the scan, nor learn that it exists. */
static void
test_scope (Province      *p,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lầu A Dế");
  g_autoptr(GBytes) scan = scan_bytes (5000, 15);
  g_autoptr(MotcuaAttachment) a = attach (&p->a, c->id, scan);
  g_autoptr(MotcuaHubResponse) response = NULL;
  g_autoptr(GBytes) status_body = NULL;
  g_autofree char *code = NULL;
  g_autofree char *path = g_strconcat ("/v1/blobs/", a->sha256, NULL);
  g_autofree char *status_json = g_strdup_printf ("{\"blobs\": [\"%s\"]}", a->sha256);
  g_autofree char *prefix = g_strndup (g_bytes_get_data (scan, NULL), 4);

  sync_replica (p, &p->a, p->token_a, NULL);
  g_assert_true (hub_blob (p, a->sha256).exists);

  response = hub_request (p, "GET", p->token_b, path, "&offset=0", NULL);
  g_assert_cmpuint (response->status, ==, 404);
  code = error_code (response);
  g_assert_cmpstr (code, ==, "not-found");
  g_assert_cmpuint (response->bytes_out, ==, 0);
  g_assert_null (g_strstr_len (g_bytes_get_data (response->body, NULL),
                               (gssize) g_bytes_get_size (response->body), prefix));
  g_clear_pointer (&response, motcua_hub_response_free);

  status_body = g_bytes_new (status_json, strlen (status_json));
  response = hub_request (p, "POST", p->token_b, "/v1/blobs/status", NULL, status_body);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_nonnull (strstr (g_bytes_get_data (response->body, NULL), "\"known\":false"));
  g_assert_nonnull (strstr (g_bytes_get_data (response->body, NULL), "\"received\":0"));
  g_clear_pointer (&response, motcua_hub_response_free);

  response = hub_request (p, "PUT", p->token_b, path, "&offset=0&size=5000", scan);
  g_assert_cmpuint (response->status, ==, 404);
  g_clear_pointer (&response, motcua_hub_response_free);

  /* Without a token, or with a malformed name. */
  response = hub_request (p, "GET", NULL, path, "&offset=0", NULL);
  g_assert_cmpuint (response->status, ==, 401);
  g_clear_pointer (&response, motcua_hub_response_free);
  response = hub_request (p, "GET", p->token_a, "/v1/blobs/NOT-A-SHA", "&offset=0", NULL);
  g_assert_cmpuint (response->status, ==, 400);
  g_clear_pointer (&response, motcua_hub_response_free);
  response = hub_request (p, "DELETE", p->token_a, path, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 405);
  g_clear_pointer (&response, motcua_hub_response_free);

  /* The district above it, and the commune itself, may. */
  response = hub_request (p, "GET", p->token_d, path, "&offset=4990&length=100", NULL);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->content_type, ==, "application/octet-stream");
  g_assert_cmpuint (g_bytes_get_size (response->body), ==, 10);
  g_assert_cmpint (memcmp (g_bytes_get_data (response->body, NULL),
                           (const guint8 *) g_bytes_get_data (scan, NULL) + 4990, 10), ==, 0);
  g_clear_pointer (&response, motcua_hub_response_free);
}

/* The server's limit: 413 with a clear message; the sync goes on, the scan waits. */
static void
test_server_limit (Province      *p,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Chang A Páo");
  g_autoptr(GBytes) scan = scan_bytes (100 * 1024, 16);
  g_autoptr(MotcuaAttachment) a = attach (&p->a, c->id, scan);
  g_autoptr(MotcuaAttachment) after = NULL;
  g_autoptr(MotcuaHubResponse) response = NULL;
  g_autoptr(GBytes) chunk = g_bytes_new_from_bytes (scan, 0, 1000);
  g_autofree char *code = NULL;
  g_autofree char *path = g_strconcat ("/v1/blobs/", a->sha256, NULL);
  MotcuaSyncProgress summary = { 0 };

  p->limits.max_blob_size = 50 * 1024;
  sync_replica (p, &p->a, p->token_a, &summary);
  g_assert_cmpuint (summary.attachments_sent, ==, 0);
  g_assert_false (hub_blob (p, a->sha256).exists);
  after = motcua_replica_dup_attachment (p->a.replica, a->id, &error);
  g_assert_false (after->uploaded);
  g_assert_cmpint (after->sync_state, ==, MOTCUA_SYNC_STATE_SYNCED);

  response = hub_request (p, "PUT", p->token_a, path, "&offset=0&size=102400", chunk);
  g_assert_cmpuint (response->status, ==, 413);
  code = error_code (response);
  g_assert_cmpstr (code, ==, "too-large");
  g_assert_nonnull (strstr (g_bytes_get_data (response->body, NULL), "102400"));
  g_assert_nonnull (strstr (g_bytes_get_data (response->body, NULL), "51200"));

  /* Raised, it goes up at the next sync. */
  p->limits.max_blob_size = 0;
  sync_replica (p, &p->a, p->token_a, &summary);
  g_assert_cmpuint (summary.attachments_sent, ==, 1);
}

/* A scan of a case purged from a replica (it left its scope) goes with it, once uploaded. */
static void
test_purged_with_case (Province      *p,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MotcuaReception r = { .procedure_code = "DD.BD", .applicant_name = "Vừ A Dình",
                        .citizen_id = "012345678901" };
  g_autoptr(MotcuaCase) c = motcua_replica_receive (p->d.replica, &r, &error);
  g_autoptr(GBytes) scan = scan_bytes (2000, 17);
  g_autoptr(MotcuaAttachment) a = NULL;
  MotcuaSyncProgress summary = { 0 };

  g_assert_no_error (error);
  /* The district hands it to commune A, which attaches a scan. */
  motcua_replica_transfer_case (p->d.replica, c->id, "T.D.A", NULL, &error);
  g_assert_no_error (error);
  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->a, p->token_a, NULL);
  a = attach (&p->a, c->id, scan);
  sync_replica (p, &p->a, p->token_a, NULL);
  g_assert_cmpint (motcua_test_count (p->a.replica, "blobs"), ==, 1);

  /* Then to commune B: A no longer holds the case, nor its scan. */
  sync_replica (p, &p->d, p->token_d, NULL);
  motcua_replica_transfer_case (p->d.replica, c->id, "T.D.B", NULL, &error);
  g_assert_no_error (error);
  sync_replica (p, &p->d, p->token_d, NULL);
  sync_replica (p, &p->a, p->token_a, &summary);
  g_assert_cmpuint (summary.purged, ==, 1);
  g_assert_cmpint (motcua_test_count (p->a.replica, "attachments"), ==, 0);
  g_assert_cmpint (motcua_test_count (p->a.replica, "blobs"), ==, 0);
  g_assert_cmpint (motcua_test_count (p->hub.replica, "blobs"), ==, 1);

  /* B, now handling it, may fetch it. */
  {
    CutTransport *transport = cut_new (p, p->token_b);
    g_autoptr(GBytes) fetched = NULL;

    sync_replica (p, &p->b, p->token_b, NULL);
    fetched = _motcua_attachment_fetch (p->b.replica, &transport->parent, a->id, NULL, NULL,
                                        NULL, NULL, &error);
    g_assert_no_error (error);
    assert_bytes_equal (fetched, scan);
    _motcua_transport_free (&transport->parent);
  }
}

/* Removing a scan attached by mistake: its timeline says who removed what and why, it is no
 * longer listed, read or fetched, here or at the district, and its bytes leave every replica
 * where no other attachment names them (the server keeps them, with the record). Removing it
 * again, or without a reason, is refused and writes nothing. */
static void
test_remove (Province      *p,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Mùa A Dế");
  g_autoptr(GBytes) wrong = scan_bytes (5000, 21);
  g_autoptr(GBytes) right = scan_bytes (4000, 22);
  g_autoptr(MotcuaAttachment) a_wrong = attach (&p->a, c->id, wrong);
  g_autoptr(MotcuaAttachment) a_right = attach (&p->a, c->id, right);
  g_autoptr(MotcuaAttachment) removed = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  MotcuaSyncProgress summary = { 0 };
  MotcuaCaseEvent *last;

  g_assert_true (motcua_replica_set_fetch_all_attachments (p->d.replica, TRUE, &error));
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, &summary);
  g_assert_cmpuint (summary.attachments_received, ==, 2);
  g_assert_cmpint (motcua_test_count (p->d.replica, "blobs"), ==, 2);

  /* No reason: refused, nothing written. */
  before = motcua_test_export (p->a.replica);
  g_assert_false (motcua_replica_remove_attachment (p->a.replica, a_wrong->id, " ", &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_clear_error (&error);
  after = motcua_test_export (p->a.replica);
  g_assert_cmpstr (before, ==, after);

  g_assert_true (motcua_replica_remove_attachment (p->a.replica, a_wrong->id,
                                                   "Nhầm hồ sơ của người khác", &error));
  g_assert_no_error (error);
  listed = motcua_replica_list_attachments (p->a.replica, c->id, &error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (((MotcuaAttachment *) listed->pdata[0])->id, ==, a_right->id);
  removed = motcua_replica_dup_attachment (p->a.replica, a_wrong->id, &error);
  g_assert_no_error (error);
  g_assert_true (removed->removed);
  read = motcua_replica_read_attachment (p->a.replica, a_wrong->id, &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (read);
  g_assert_cmpint (motcua_test_count (p->a.replica, "blobs"), ==, 1);
  events = motcua_replica_list_case_events (p->a.replica, c->id, &error);
  last = events->pdata[events->len - 1];
  g_assert_cmpstr (last->action, ==, "attachment_removed");
  g_assert_cmpstr (last->ref, ==, a_wrong->id);
  g_assert_cmpstr (last->old_value, ==, a_wrong->name);
  g_assert_null (last->detail);
  g_assert_cmpstr (last->note, ==, "Nhầm hồ sơ của người khác");

  /* Again: refused. */
  g_assert_false (motcua_replica_remove_attachment (p->a.replica, a_wrong->id, "lần nữa",
                                                    &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_clear_error (&error);

  /* The district learns it at its next sync, and lets the bytes go. */
  sync_replica (p, &p->a, p->token_a, NULL);
  sync_replica (p, &p->d, p->token_d, &summary);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = motcua_replica_list_attachments (p->d.replica, c->id, &error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpint (motcua_test_count (p->d.replica, "blobs"), ==, 1);
  g_assert_cmpint (motcua_test_count (p->hub.replica, "blobs"), ==, 2);
}

/* A scan removed before it was ever uploaded goes nowhere: its bytes are gone at once. */
static void
test_remove_before_upload (Province      *p,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Thào A Chớ");
  g_autoptr(GBytes) wrong = scan_bytes (3000, 23);
  g_autoptr(MotcuaAttachment) a = attach (&p->a, c->id, wrong);

  g_assert_true (motcua_replica_remove_attachment (p->a.replica, a->id, "Quét nhầm", &error));
  g_assert_no_error (error);
  g_assert_cmpint (motcua_test_count (p->a.replica, "blobs"), ==, 0);
  sync_replica (p, &p->a, p->token_a, NULL);
  g_assert_cmpint (motcua_test_count (p->hub.replica, "blobs"), ==, 0);
  g_assert_cmpint (motcua_test_count (p->hub.replica, "attachments"), ==, 1);
}

void
test_attachments_sync_add_tests (void)
{
  ATTACHMENTS_ADD ("/attachments/sync/fetch-on-open", test_fetch_on_open);
  ATTACHMENTS_ADD ("/attachments/sync/fetch-all", test_fetch_all);
  ATTACHMENTS_ADD ("/attachments/sync/not-uploaded", test_not_uploaded);
  ATTACHMENTS_ADD ("/attachments/sync/upload-resumes", test_upload_resumes);
  ATTACHMENTS_ADD ("/attachments/sync/upload-lost-answer", test_upload_lost_answer);
  ATTACHMENTS_ADD ("/attachments/sync/download-resumes", test_download_resumes);
  ATTACHMENTS_ADD ("/attachments/sync/corrupt-upload", test_corrupt_upload);
  ATTACHMENTS_ADD ("/attachments/sync/corrupt-download", test_corrupt_download);
  ATTACHMENTS_ADD ("/attachments/sync/scope", test_scope);
  ATTACHMENTS_ADD ("/attachments/sync/server-limit", test_server_limit);
  ATTACHMENTS_ADD ("/attachments/sync/purge", test_purged_with_case);
  ATTACHMENTS_ADD ("/attachments/sync/remove", test_remove);
  ATTACHMENTS_ADD ("/attachments/sync/remove-before-upload", test_remove_before_upload);
}
