/* test-attachments-http.c: scans end to end: motcua-cli desks and motcua-server over HTTP
 *
 * A province served by the built motcua-server on 127.0.0.1 (port 0) with a small scan limit;
 * desks are the built motcua-cli, run as an officer would (LC_ALL=C). A commune attaches scans
 * and syncs; the district lists them and gets one, fetched on demand; another commune cannot
 * read it; a district desk set to fetch everything gets every scan at its sync. Refusals exit
 * non-zero with a clear message and write nothing. The server logs the bytes of each chunk.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <motcua/motcua.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "motcua-test-server.h"
#include "motcua-test-utils.h"

typedef struct
{
  char        *dir;
  char        *store;
  GSubprocess *server;
  char        *url;
  char        *log;
} Fixture;

typedef struct
{
  int     status;
  GBytes *out;
  char   *out_text;   /* out, as text */
  char   *err;
} Run;

static void
run_free (Run *run)
{
  g_clear_pointer (&run->out, g_bytes_unref);
  g_free (run->out_text);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static Run *
run_argv (Fixture           *f,
          const char        *program,
          const char *const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher =
    motcua_test_launcher_new (f->dir, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                      | G_SUBPROCESS_FLAGS_STDERR_PIPE, "C");
  g_autoptr(GPtrArray) full = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  Run *run = g_new0 (Run, 1);

  g_ptr_array_add (full, (gpointer) program);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, (gpointer) argv[i]);
  g_ptr_array_add (full, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) full->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &run->out, &err, &error);
  g_assert_no_error (error);
  /* An empty pipe may come back as no bytes at all. */
  if (run->out == NULL)
    run->out = g_bytes_new (NULL, 0);
  if (err == NULL)
    err = g_bytes_new (NULL, 0);
  run->err = g_strndup (g_bytes_get_size (err) > 0 ? g_bytes_get_data (err, NULL) : "",
                        g_bytes_get_size (err));
  run->out_text = g_strndup (g_bytes_get_size (run->out) > 0
                             ? g_bytes_get_data (run->out, NULL) : "",
                             g_bytes_get_size (run->out));
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  return run;
}

/* motcua-server --store STORE @args… */
static Run *
server_run (Fixture           *f,
            const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) "--store");
  g_ptr_array_add (argv, f->store);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  return run_argv (f, g_getenv ("MOTCUA_SERVER"), (const char *const *) argv->pdata);
}

/* motcua-cli --db DB --officer … @first… */
static Run *
cli_run (Fixture    *f,
         const char *db,
         const char *first,
         ...) G_GNUC_NULL_TERMINATED;

static Run *
cli_run (Fixture    *f,
         const char *db,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *db_path = path_in (f, db);
  va_list args;

  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, db_path);
  g_ptr_array_add (argv, (gpointer) "--officer");
  g_ptr_array_add (argv, (gpointer) "Lò Thị Test");
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return run_argv (f, g_getenv ("MOTCUA_CLI"), (const char *const *) argv->pdata);
}

static void
assert_ok (Run *run)
{
  motcua_test_assert_exit_ok (run->status, run->err);
}

/* Exit status @status, nothing on standard output, a "motcua-cli: " line holding @needle. */
static void
assert_refused (Run        *run,
                int         status,
                const char *needle)
{
  g_test_message ("stderr: %s", run->err);
  g_assert_cmpint (run->status, ==, status);
  g_assert_cmpuint (g_bytes_get_size (run->out), ==, 0);
  g_assert_nonnull (strstr (run->err, "motcua-cli: "));
  g_assert_nonnull (strstr (run->err, needle));
}

static JsonNode *
parse_json (Run *run)
{
  return motcua_test_parse_json (g_bytes_get_data (run->out, NULL),
                                 (gssize) g_bytes_get_size (run->out));
}

static char *
token_for (Fixture    *f,
           const char *office)
{
  g_autoptr(Run) run = server_run (f, (const char *const[]) { "replicas", "enroll", office, NULL });

  assert_ok (run);

  return g_strchomp (g_strdup (run->out_text));
}

static void
server_start (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) launcher =
    motcua_test_launcher_new (f->dir, G_SUBPROCESS_FLAGS_STDOUT_PIPE, "C");
  g_autoptr(GError) error = NULL;
  g_autofree char *config = path_in (f, "server.conf");
  const char *argv[] = { g_getenv ("MOTCUA_SERVER"), "--config", config, "--store", f->store,
                         "serve", NULL };

  /* 300000 bytes: one of the scans below is over it. No rate limit: chunks come fast here. */
  g_file_set_contents (config, "[server]\nport=0\nlisten=127.0.0.1\nmax-blob-bytes=300000\n"
                       "requests-per-second=0\n", -1, &error);
  g_assert_no_error (error);

  f->log = path_in (f, "server.log");
  f->server = motcua_test_server_spawn (launcher, argv, f->log, &f->url);
  g_assert_true (g_str_has_prefix (f->url, "http://"));
}

/* SIGTERM; the server exits 0 (under AddressSanitizer, that is also its leak check). */
static char *
server_stop (Fixture *f)
{
  char *log = motcua_test_server_stop (f->server, f->log);

  g_test_message ("server log:\n%s", log);
  g_clear_object (&f->server);

  return log;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *catalogue = g_build_filename (g_getenv ("MOTCUA_SOURCE_DATADIR"),
                                                 "catalogue.json", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Run) publish = NULL;

  f->dir = g_dir_make_tmp ("test-attachments-http-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = path_in (f, "province.db");

  launcher = motcua_test_launcher_new (f->dir, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                | G_SUBPROCESS_FLAGS_STDERR_PIPE, "C");
  motcua_test_make_lc_store (launcher, f->store,
                             (const char *const[]) { "LC.NN.NM", "LC.NN.NP", NULL });
  publish = server_run (f, (const char *const[]) { "publish", "catalogue", catalogue, NULL });
  assert_ok (publish);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->server != NULL)
    {
      g_subprocess_force_exit (f->server);
      g_clear_object (&f->server);
    }
  motcua_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->store);
  g_free (f->url);
  g_free (f->log);
}

static void
enroll_and_sync (Fixture    *f,
                 const char *db,
                 const char *office)
{
  g_autofree char *token = token_for (f, office);
  g_autoptr(Run) enroll = cli_run (f, db, "enroll", "--server", f->url, "--token", token, NULL);
  g_autoptr(Run) sync = NULL;

  assert_ok (enroll);
  sync = cli_run (f, db, "sync", NULL);
  assert_ok (sync);
}

static GBytes *
write_scan (Fixture    *f,
            const char *name,
            gsize       size,
            guint32     seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = path_in (f, name);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int (rand);
  memcpy (data, "%PDF-1.4\n", 9);
  g_file_set_contents (path, (const char *) data, (gssize) size, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (data, size);
}

static GBytes *
read_file (Fixture    *f,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = path_in (f, name);
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

/* The attachments of @key on @db, as motcua-cli --json lists them. */
static JsonArray *
list_attachments (Fixture    *f,
                  const char *db,
                  const char *key)
{
  g_autoptr(Run) run = cli_run (f, db, "--json", "attachments", key, NULL);
  g_autoptr(JsonNode) root = NULL;

  assert_ok (run);
  root = parse_json (run);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));

  return json_array_ref (json_node_get_array (root));
}

typedef struct
{
  GMainLoop *loop;
  GBytes    *bytes;
  GError    *error;
  guint      n_progress;
  guint64    last_received;
} FetchState;

static void
on_attachment_progress (MotcuaSync *sync,
                        const char *attachment_id,
                        guint64     received,
                        guint64     size,
                        gpointer    user_data)
{
  FetchState *state = user_data;

  g_assert_cmpuint (received, <=, size);
  g_assert_cmpuint (received, >, state->last_received);
  state->n_progress++;
  state->last_received = received;
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  FetchState *state = user_data;

  state->bytes = motcua_sync_fetch_attachment_finish (MOTCUA_SYNC (source), result,
                                                      &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_end_to_end (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GBytes) scan = NULL;
  g_autoptr(GBytes) big = NULL;
  g_autoptr(JsonArray) list = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *receipt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *id_big = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *log = NULL;
  g_autofree char *huge = path_in (f, "huge.pdf");
  g_autofree char *out_missing = path_in (f, "missing.pdf");

  server_start (f);
  enroll_and_sync (f, "nm.db", "LC.NN.NM");
  enroll_and_sync (f, "nn.db", "LC.NN");
  enroll_and_sync (f, "np.db", "LC.NN.NP");

  {
    g_autoptr(Run) run = cli_run (f, "nm.db", "--json", "cases", "receive", "--procedure",
                                  "MAU.HT.001", "--name", "Lò Văn Pằng", "--citizen-id",
                                  "001085012345", NULL);

    assert_ok (run);
    root = parse_json (run);
    receipt = g_strdup (json_object_get_string_member (json_node_get_object (root),
                                                       "receipt_no"));
  }

  /* The commune attaches two scans: the second is over the server's limit, not the desk's. */
  scan = write_scan (f, "giay-chung-sinh.pdf", 200 * 1024 + 3, 1);
  big = write_scan (f, "ho-khau.pdf", 400 * 1000, 2);
  {
    g_autoptr(Run) one = cli_run (f, "nm.db", "attach", receipt, "giay-chung-sinh.pdf", NULL);
    g_autoptr(Run) two = cli_run (f, "nm.db", "--json", "attach", receipt, "ho-khau.pdf", NULL);
    g_autoptr(JsonNode) two_root = NULL;

    assert_ok (one);
    g_assert_nonnull (strstr (one->out_text, "Attached giay-chung-sinh.pdf"));
    assert_ok (two);
    two_root = parse_json (two);
    id_big = g_strdup (json_object_get_string_member (json_node_get_object (two_root), "id"));
  }

  /* Refusals: over the desk's limit (a sparse file), no such case, no such file. */
  {
    int fd = g_open (huge, O_CREAT | O_WRONLY, 0600);
    g_autoptr(Run) too_big = NULL;
    g_autoptr(Run) no_case = NULL;
    g_autoptr(Run) no_file = NULL;

    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (ftruncate (fd, 21 * 1024 * 1024), ==, 0);
    close (fd);
    too_big = cli_run (f, "nm.db", "attach", receipt, "huge.pdf", NULL);
    assert_refused (too_big, 2, "22020096 bytes");
    g_assert_nonnull (strstr (too_big->err, "20971520 bytes"));
    no_case = cli_run (f, "nm.db", "attach", "NO-SUCH", "giay-chung-sinh.pdf", NULL);
    assert_refused (no_case, 2, "NO-SUCH");
    no_file = cli_run (f, "nm.db", "attach", receipt, "nowhere.pdf", NULL);
    g_assert_cmpint (no_file->status, !=, 0);
  }
  list = list_attachments (f, "nm.db", receipt);
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  id = g_strdup (json_object_get_string_member (json_array_get_object_element (list, 0), "id"));
  sha = g_strdup (json_object_get_string_member (json_array_get_object_element (list, 0),
                                                 "sha256"));
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (list, 0),
                                                 "present"));
  g_clear_pointer (&list, json_array_unref);

  /* Its sync uploads the first; the server refuses the second, and the sync goes on. */
  {
    g_autoptr(Run) sync = cli_run (f, "nm.db", "sync", NULL);

    assert_ok (sync);
    g_assert_nonnull (strstr (sync->out_text, "Scans: 1 uploaded, 0 downloaded."));
    g_assert_nonnull (strstr (sync->err, "300000 bytes"));
  }

  /* The district sees both, holds neither, and gets the first when it opens it. */
  {
    g_autoptr(Run) sync = cli_run (f, "nn.db", "sync", NULL);
    g_autoptr(Run) get = NULL;
    g_autoptr(Run) get_stdout = NULL;
    g_autoptr(Run) missing = NULL;
    g_autoptr(GBytes) got = NULL;

    assert_ok (sync);
    list = list_attachments (f, "nn.db", receipt);
    g_assert_cmpuint (json_array_get_length (list), ==, 2);
    g_assert_false (json_object_get_boolean_member (json_array_get_object_element (list, 0),
                                                    "present"));
    g_clear_pointer (&list, json_array_unref);

    get = cli_run (f, "nn.db", "attachment", "get", id, "-o", "got.pdf", NULL);
    assert_ok (get);
    got = read_file (f, "got.pdf");
    g_assert_true (g_bytes_equal (got, scan));
    g_assert_nonnull (strstr (get->err, "received"));

    /* Now it is here: from standard output, without the network. */
    get_stdout = cli_run (f, "nn.db", "attachment", "get", id, NULL);
    assert_ok (get_stdout);
    g_assert_true (g_bytes_equal (get_stdout->out, scan));
    g_assert_cmpstr (get_stdout->err, ==, "");

    /* The second never reached the server: a clear failure, and no file. */
    missing = cli_run (f, "nn.db", "attachment", "get", id_big, "-o", "missing.pdf", NULL);
    assert_refused (missing, 1, "not uploaded");
    g_assert_false (g_file_test (out_missing, G_FILE_TEST_EXISTS));
  }

  /* The other commune has no such attachment, and the server gives it no bytes. */
  {
    g_autoptr(Run) get = cli_run (f, "np.db", "attachment", "get", id, "-o", "x.pdf", NULL);
    g_autofree char *token = token_for (f, "LC.NN.NP");
    g_autofree char *url = g_strdup_printf ("%s/v1/blobs/%s?protocol=%d&schema=%d&offset=0",
                                            f->url, sha, MOTCUA_PROTOCOL_VERSION,
                                            MOTCUA_SCHEMA_VERSION);
    g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;

    assert_refused (get, 2, "not in this replica");
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    body = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
    g_assert_cmpstr (soup_message_headers_get_content_type (
                       soup_message_get_response_headers (msg), NULL), ==, "application/json");
    g_assert_cmpuint (g_bytes_get_size (body), <, 1000);
  }

  /* A district desk set to fetch everything gets the first scan at its sync. */
  {
    g_autoptr(Run) on = NULL;
    g_autoptr(Run) sync = NULL;
    g_autoptr(Run) bad = NULL;

    enroll_and_sync (f, "nn2.db", "LC.NN");
    bad = cli_run (f, "nn2.db", "attachment", "fetch-all", "maybe", NULL);
    assert_refused (bad, 2, "maybe");
    on = cli_run (f, "nn2.db", "attachment", "fetch-all", "on", NULL);
    assert_ok (on);
    sync = cli_run (f, "nn2.db", "sync", NULL);
    assert_ok (sync);
    g_assert_nonnull (strstr (sync->out_text, "Scans: 0 uploaded, 1 downloaded."));
    list = list_attachments (f, "nn2.db", receipt);
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (list, 0),
                                                   "present"));
    g_assert_false (json_object_get_boolean_member (json_array_get_object_element (list, 1),
                                                    "present"));
  }

  /* The desk's way: the library's async fetch, in this process, with its progress signal. */
  {
    g_autofree char *db = path_in (f, "nn3.db");
    g_autoptr(MotcuaSync) sync = NULL;
    g_autoptr(GBytes) got = NULL;
    g_autoptr(GError) error = NULL;
    FetchState state = { g_main_loop_new (NULL, FALSE), NULL, NULL, 0, 0 };

    enroll_and_sync (f, "nn3.db", "LC.NN");
    sync = motcua_sync_new (db);
    g_signal_connect (sync, "attachment-progress", G_CALLBACK (on_attachment_progress), &state);
    motcua_sync_fetch_attachment_async (sync, id, NULL, on_fetched, &state);
    g_main_loop_run (state.loop);
    g_assert_no_error (state.error);
    g_assert_true (g_bytes_equal (state.bytes, scan));
    g_assert_cmpuint (state.n_progress, >=, 1);
    g_assert_cmpuint (state.last_received, ==, g_bytes_get_size (scan));

    /* Here now: the blocking call answers from the replica. */
    got = motcua_sync_fetch_attachment (sync, id, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (got, scan));
    g_main_loop_unref (state.loop);
    g_bytes_unref (state.bytes);
  }

  /* The commune removes the oversized scan it attached by mistake: a reason is required; the
   * district learns it at its next sync and no longer lists it. */
  {
    g_autoptr(Run) no_reason = cli_run (f, "nm.db", "attachment", "remove", id_big, NULL);
    g_autoptr(Run) removed = cli_run (f, "nm.db", "attachment", "remove", id_big, "--reason",
                                      "Quét nhầm hộ khẩu", NULL);
    g_autoptr(Run) again = cli_run (f, "nm.db", "attachment", "remove", id_big, "--reason",
                                    "lần nữa", NULL);
    g_autoptr(Run) show = cli_run (f, "nm.db", "--json", "attachment", "show", id_big, NULL);
    g_autoptr(Run) sync_nm = NULL;
    g_autoptr(Run) sync_nn = NULL;
    g_autoptr(JsonNode) shown = NULL;

    assert_refused (no_reason, 2, "--reason");
    assert_ok (removed);
    g_assert_nonnull (strstr (removed->out_text, "Removed the scan “ho-khau.pdf”"));
    assert_refused (again, 2, "already");
    assert_ok (show);
    shown = parse_json (show);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (shown), "removed"));

    sync_nm = cli_run (f, "nm.db", "sync", NULL);
    assert_ok (sync_nm);
    sync_nn = cli_run (f, "nn.db", "sync", NULL);
    assert_ok (sync_nn);
    g_clear_pointer (&list, json_array_unref);
    list = list_attachments (f, "nn.db", receipt);
    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0),
                                                    "id"), ==, id);
    g_clear_pointer (&list, json_array_unref);
  }

  log = server_stop (f);
  g_assert_nonnull (strstr (log, "LC.NN.NM/"));
  g_assert_nonnull (strstr (log, " blob-put in=0 out=0 "));
  g_assert_nonnull (strstr (log, " blob-get in=0 out=0 "));
  g_assert_nonnull (strstr (log, "bytes_in="));
  g_assert_nonnull (strstr (log, "bytes_out="));
  g_assert_nonnull (strstr (log, " blobs/status in=0 out=0 "));
  g_assert_nonnull (strstr (log, "status=413"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/attachments-http/end-to-end", Fixture, NULL, fixture_set_up, test_end_to_end,
              fixture_tear_down);

  return g_test_run ();
}
