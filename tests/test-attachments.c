/* test-attachments.c: scans attached to cases, and their bytes between replicas and the hub
 *
 * The province of test-hub.c: a hub, a district T.D and its communes T.D.A and T.D.B, each
 * replica syncing through the real engine with the hub in process. A transport wrapper counts
 * the bytes of scans on the wire and cuts the link after a number of chunks, so that resuming
 * is seen to send only what was missing.
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

static gboolean
cut_exchange (MotcuaTransport  *transport,
              MotcuaExchange   *x,
              GCancellable     *cancellable,
              GError          **error)
{
  CutTransport *self = (CutTransport *) transport;
  gboolean blob = g_str_has_prefix (x->path_and_query, "/v1/blobs/");
  gboolean is_put = blob && strcmp (x->method, "PUT") == 0;
  gboolean is_get = blob && strcmp (x->method, "GET") == 0;

  if (blob && self->refuse_blobs)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "offline (test)");
      return FALSE;
    }
  if (is_get && self->gets_left == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "cut (test)");
      return FALSE;
    }

  if (!motcua_test_pass_on (transport, x, cancellable, error))
    return FALSE;

  if (is_put)
    {
      self->puts++;
      self->put_bytes += g_bytes_get_size (x->body);
      if (self->puts_left >= 0 && self->puts_left-- == 0)
        {
          g_clear_pointer (&x->response, g_bytes_unref);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "cut (test)");
          return FALSE;
        }
    }
  if (is_get && x->status == 200)
    {
      self->gets++;
      self->get_bytes += g_bytes_get_size (x->response);
      if (self->gets_left > 0)
        self->gets_left--;
    }

  return TRUE;
}

static const MotcuaTransportClass cut_class = { cut_exchange, motcua_test_wrapper_free };

CutTransport *
cut_new (Province   *p,
         const char *token)
{
  CutTransport *self = g_new0 (CutTransport, 1);

  self->parent.klass = &cut_class;
  self->parent.token = g_strdup (token);
  self->inner = _motcua_transport_new_local (p->hub.replica, &p->limits, token);
  self->puts_left = -1;
  self->gets_left = -1;

  return self;
}

gboolean
sync_through (MotcuaFixture      *replica,
              CutTransport       *transport,
              MotcuaSyncProgress *summary,
              GError            **error)
{
  MotcuaSyncProgress p;

  return _motcua_sync_once (replica->replica, &transport->parent, NULL, NULL, NULL,
                            summary != NULL ? summary : &p, error);
}

void
sync_replica (Province           *p,
              MotcuaFixture      *replica,
              const char         *token,
              MotcuaSyncProgress *summary)
{
  g_autoptr(GError) error = NULL;
  CutTransport *transport = cut_new (p, token);
  MotcuaSyncProgress local;

  sync_through (replica, transport, summary != NULL ? summary : &local, &error);
  g_assert_no_error (error);
  _motcua_transport_free (&transport->parent);
}

MotcuaCase *
receive (MotcuaFixture *f,
         const char    *name)
{
  MotcuaReception r = { .procedure_code = "HT.KS", .applicant_name = name,
                        .citizen_id = "012345678901" };
  g_autoptr(GError) error = NULL;
  MotcuaCase *c = motcua_replica_receive (f->replica, &r, &error);

  g_assert_no_error (error);

  return c;
}

/* @size bytes that look like a scan: not compressible, different for each @seed. */
GBytes *
scan_bytes (gsize   size,
            guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int (rand);
  if (size >= 4)
    memcpy (data, "%PDF", 4);

  return g_bytes_new_take (data, size);
}

MotcuaAttachment *
attach (MotcuaFixture *f,
        const char    *case_id,
        GBytes        *data)
{
  g_autoptr(GError) error = NULL;
  MotcuaAttachment *a = motcua_replica_add_attachment (f->replica, case_id, "giay-chung-sinh.pdf",
                                                       "application/pdf", data, &error);

  g_assert_no_error (error);
  g_assert_nonnull (a);

  return a;
}

/* Whether this system knows media types (shared-mime-info): guesses are tested only then. */
static gboolean
pdf_guessable (void)
{
  g_autofree char *type = g_content_type_guess ("x.pdf", NULL, 0, NULL);
  g_autofree char *mime = g_content_type_get_mime_type (type);

  return g_strcmp0 (mime, "application/pdf") == 0;
}

void
assert_bytes_equal (GBytes *a,
                    GBytes *b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpuint (g_bytes_get_size (a), ==, g_bytes_get_size (b));
  g_assert_true (g_bytes_equal (a, b));
}

MotcuaHubResponse *
hub_request (Province   *p,
             const char *method,
             const char *token,
             const char *path,
             const char *query,
             GBytes     *body)
{
  g_autofree char *full_query = g_strdup_printf ("protocol=%d&schema=%d%s",
                                                 MOTCUA_PROTOCOL_VERSION, MOTCUA_SCHEMA_VERSION,
                                                 query != NULL ? query : "");
  MotcuaHubRequest request = { method, path, full_query, token, body };

  return _motcua_hub_handle (p->hub.replica, &p->limits, &request);
}

char *
error_code (MotcuaHubResponse *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  g_assert_cmpstr (response->content_type, ==, "application/json");
  json_parser_load_from_data (parser, g_bytes_get_data (response->body, NULL),
                              (gssize) g_bytes_get_size (response->body), &error);
  g_assert_no_error (error);
  o = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                     "error");
  g_assert_nonnull (o);

  return g_strdup (json_object_get_string_member (o, "code"));
}

MotcuaBlobState
hub_blob (Province   *p,
          const char *sha256)
{
  g_autoptr(GError) error = NULL;
  MotcuaBlobState state;

  g_assert_true (_motcua_blob_state (p->hub.replica, sha256, &state, &error));
  g_assert_no_error (error);

  return state;
}

/* Adding, listing, reading, on one replica */

static void
test_add_read (Province      *p,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Lò Văn Pằng");
  g_autoptr(GBytes) scan = scan_bytes (150 * 1024, 1);
  g_autoptr(MotcuaAttachment) a = attach (&p->a, c->receipt_no, scan);
  g_autoptr(MotcuaAttachment) again = NULL;
  g_autoptr(MotcuaAttachment) by_prefix = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, scan);
  g_autofree char *prefix = g_strndup (a->id, 8);
  MotcuaCaseEvent *last;

  g_assert_cmpstr (a->case_id, ==, c->id);
  g_assert_cmpstr (a->sha256, ==, sha);
  g_assert_cmpstr (a->name, ==, "giay-chung-sinh.pdf");
  g_assert_cmpstr (a->mime_type, ==, "application/pdf");
  g_assert_cmpuint (a->size, ==, 150 * 1024);
  g_assert_cmpstr (a->officer, ==, "Lò Thị Test");
  g_assert_cmpstr (a->replica, ==, motcua_replica_get_id (p->a.replica));
  g_assert_true (a->present);
  g_assert_cmpuint (a->received, ==, a->size);
  g_assert_false (a->uploaded);
  g_assert_cmpint (a->sync_state, ==, MOTCUA_SYNC_STATE_PENDING);

  list = motcua_replica_list_attachments (p->a.replica, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((MotcuaAttachment *) list->pdata[0])->id, ==, a->id);

  read = motcua_replica_read_attachment (p->a.replica, a->id, &error);
  g_assert_no_error (error);
  assert_bytes_equal (read, scan);

  by_prefix = motcua_replica_dup_attachment (p->a.replica, prefix, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (by_prefix->id, ==, a->id);

  /* The timeline says who attached what. */
  events = motcua_replica_list_case_events (p->a.replica, c->id, &error);
  g_assert_no_error (error);
  last = events->pdata[events->len - 1];
  g_assert_cmpstr (last->action, ==, "attached");
  g_assert_cmpstr (last->field, ==, "attachment");
  g_assert_cmpstr (last->new_value, ==, "giay-chung-sinh.pdf");
  g_assert_cmpstr (last->ref, ==, a->id);
  g_assert_null (last->detail);

  /* The same bytes again, under another name: a second attachment, stored once. */
  {
    g_autoptr(GError) err = NULL;

    again = motcua_replica_add_attachment (p->a.replica, c->id, "C:\\Scans\\ban-sao.pdf", NULL,
                                           scan, &err);
    g_assert_no_error (err);
  }
  g_assert_cmpstr (again->name, ==, "ban-sao.pdf");
  if (pdf_guessable ())
    g_assert_cmpstr (again->mime_type, ==, "application/pdf");
  g_assert_cmpint (motcua_test_count (p->a.replica, "attachments"), ==, 2);
  g_assert_cmpint (motcua_test_count (p->a.replica, "blobs"), ==, 1);
}

/* Every refusal names what was wrong, and writes nothing. */
static void
test_refusals (Province      *p,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Hà Thị Mai");
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) small = scan_bytes (1000, 2);
  g_autoptr(MotcuaAttachment) a = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  guint64 seq = motcua_replica_get_last_seq (p->a.replica);
  gint64 events = motcua_test_count (p->a.replica, "case_events");
  int fd;

  big = scan_bytes ((gsize) MOTCUA_ATTACHMENT_MAX_SIZE + 1, 3);
  a = motcua_replica_add_attachment (p->a.replica, c->id, "big.pdf", NULL, big, &error);
  g_assert_null (a);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "20971521 bytes"));
  g_assert_nonnull (strstr (error->message, "20971520 bytes"));
  g_clear_error (&error);

  a = motcua_replica_add_attachment (p->a.replica, c->id, "empty.pdf", NULL, empty, &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_clear_error (&error);

  a = motcua_replica_add_attachment (p->a.replica, "no-such-case", "x.pdf", NULL, small, &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  a = motcua_replica_add_attachment (p->a.replica, c->id, "../", NULL, small, &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_clear_error (&error);

  a = motcua_replica_add_attachment (p->a.replica, c->id, "x.pdf", "not a type", small, &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID);
  g_clear_error (&error);

  /* A file over the limit is refused from its size, before it is read: a sparse one here. */
  dir = g_dir_make_tmp ("motcua-att-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "huge.pdf", NULL);
  fd = g_open (path, O_CREAT | O_WRONLY, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 4 * 1024 * 1024 * 1024), ==, 0);
  close (fd);
  file = g_file_new_for_path (path);
  a = motcua_replica_add_attachment_from_file (p->a.replica, c->id, file, NULL, NULL, &error);
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "4294967296 bytes"));
  g_clear_error (&error);
  g_unlink (path);
  g_rmdir (dir);

  g_assert_cmpuint (motcua_replica_get_last_seq (p->a.replica), ==, seq);
  g_assert_cmpint (motcua_test_count (p->a.replica, "attachments"), ==, 0);
  g_assert_cmpint (motcua_test_count (p->a.replica, "blobs"), ==, 0);
  g_assert_cmpint (motcua_test_count (p->a.replica, "case_events"), ==, events);
}

static void
test_from_file (Province      *p,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = receive (&p->a, "Giàng A Tủa");
  g_autoptr(GBytes) scan = scan_bytes (5000, 4);
  g_autoptr(MotcuaAttachment) a = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = g_dir_make_tmp ("motcua-att-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "Giấy khai sinh.pdf", NULL);

  g_assert_no_error (error);
  g_file_set_contents (path, g_bytes_get_data (scan, NULL), (gssize) g_bytes_get_size (scan),
                       &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);

  a = motcua_replica_add_attachment_from_file (p->a.replica, c->id, file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->name, ==, "Giấy khai sinh.pdf");
  if (pdf_guessable ())
    g_assert_cmpstr (a->mime_type, ==, "application/pdf");
  read = motcua_replica_read_attachment (p->a.replica, a->id, &error);
  g_assert_no_error (error);
  assert_bytes_equal (read, scan);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ATTACHMENTS_ADD ("/attachments/add-read", test_add_read);
  ATTACHMENTS_ADD ("/attachments/refusals", test_refusals);
  ATTACHMENTS_ADD ("/attachments/from-file", test_from_file);
  test_attachments_sync_add_tests ();

  return g_test_run ();
}
