/* motcua-test-server.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <libsoup/soup.h>

#include "motcua-test-server.h"

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

GSubprocessLauncher *
motcua_test_launcher_new (const char       *dir,
                          GSubprocessFlags  flags,
                          const char       *lc_all)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_unsetenv (launcher, "MOTCUA_SERVER_CONFIG");
  g_subprocess_launcher_unsetenv (launcher, "MOTCUA_DB");
  g_subprocess_launcher_unsetenv (launcher, "LANG");
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", lc_all, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  return launcher;
}

void
motcua_test_run_free (MotcuaTestRun *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

MotcuaTestRun *
motcua_test_run (GSubprocessLauncher *launcher,
                 const char *const   *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  MotcuaTestRun *run = g_new0 (MotcuaTestRun, 1);

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  if (run->out == NULL)
    run->out = g_strdup ("");
  if (run->err == NULL)
    run->err = g_strdup ("");
  if (!g_subprocess_get_if_exited (process))
    {
      g_autofree char *line = g_strjoinv (" ", (char **) argv);

      g_error ("%s: killed by signal %d; stderr: %s", line, g_subprocess_get_term_sig (process),
               run->err);
    }
  run->status = g_subprocess_get_exit_status (process);

  return run;
}

static char *
read_log (const char *log)
{
  char *text = NULL;

  g_file_get_contents (log, &text, NULL, NULL);

  return text != NULL ? text : g_strdup ("");
}

GSubprocess *
motcua_test_server_spawn (GSubprocessLauncher *launcher,
                          const char *const   *argv,
                          const char          *log,
                          char               **url)
{
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GUri) uri = NULL;

  g_assert_nonnull (argv[0]);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  server = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL)
    {
      g_autofree char *text = read_log (log);

      g_error ("the server did not start: %s", text);
    }
  g_assert_true (g_str_has_prefix (line, "listening on http"));
  *url = g_strdup (line + strlen ("listening on "));
  uri = g_uri_parse (*url, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_assert_cmpint (g_uri_get_port (uri), >, 0);

  return g_steal_pointer (&server);
}

guint16
motcua_test_url_port (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  g_assert_cmpint (g_uri_get_port (uri), >, 0);

  return (guint16) g_uri_get_port (uri);
}

char *
motcua_test_server_wait (GSubprocess *server,
                         const char  *log)
{
  g_autoptr(GError) error = NULL;
  char *text;

  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);
  text = read_log (log);
  if (!g_subprocess_get_if_exited (server) || g_subprocess_get_exit_status (server) != 0)
    g_error ("the server did not stop cleanly:\n%s", text);
  g_assert_nonnull (strstr (text, "\nstopped\n"));

  return text;
}

char *
motcua_test_server_stop (GSubprocess *server,
                         const char  *log)
{
  g_subprocess_send_signal (server, SIGTERM);

  return motcua_test_server_wait (server, log);
}

const MotcuaTestReplicaInfo motcua_test_lc_replicas[3] = {
  { "a", "LC.NN.NM" },
  { "b", "LC.NN.NH" },
  { "d", "LC.NN" },
};

void
motcua_test_assert_exit_ok (int         status,
                            const char *err)
{
  if (status != 0)
    g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 0);
}

/* motcua-server --store @store @args…, which must succeed. */
static void
admin (GSubprocessLauncher *launcher,
       const char          *store,
       const char *const   *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(MotcuaTestRun) run = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("MOTCUA_SERVER"));
  g_assert_nonnull (argv->pdata[0]);
  g_ptr_array_add (argv, (gpointer) "--store");
  g_ptr_array_add (argv, (gpointer) store);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  run = motcua_test_run (launcher, (const char *const *) argv->pdata);
  motcua_test_assert_exit_ok (run->status, run->err);
}

void
motcua_test_make_lc_store (GSubprocessLauncher *launcher,
                           const char          *store,
                           const char *const   *communes)
{
  static const char *const names[][2] = {
    { "LC.NN.NM", "Xã Nậm Manh" },
    { "LC.NN.NH", "Xã Nậm Hàng" },
    { "LC.NN.NP", "Xã Nậm Pì" },
  };

  admin (launcher, store, (const char *const[]) { "init", "--province", "LC", "--name",
                                                  "Tỉnh Lai Châu", NULL });
  admin (launcher, store, (const char *const[]) { "offices", "add", "LC.NN", "--name",
                                                  "Huyện Nậm Nhùn", "--level", "district",
                                                  "--parent", "LC", NULL });
  for (guint c = 0; communes[c] != NULL; c++)
    {
      const char *name = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (g_str_equal (names[i][0], communes[c]))
          name = names[i][1];
      g_assert_nonnull (name);
      admin (launcher, store, (const char *const[]) { "offices", "add", communes[c], "--name",
                                                      name, "--level", "commune", "--parent",
                                                      "LC.NN", NULL });
    }
}

void
motcua_test_reply_free (MotcuaTestReply *reply)
{
  g_free (reply->body);
  g_free (reply->content_encoding);
  g_free (reply->retry_after);
  g_free (reply);
}

static gboolean
accept_test_certificate (SoupMessage          *msg,
                         GTlsCertificate      *certificate,
                         GTlsCertificateFlags  errors,
                         gpointer              data)
{
  return TRUE;
}

MotcuaTestReply *
motcua_test_request (const char *base_url,
                     const char *method,
                     const char *path,
                     const char *authorization,
                     const char *content_encoding,
                     GBytes     *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SoupMessageHeaders *headers;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  MotcuaTestReply *reply = g_new0 (MotcuaTestReply, 1);
  gconstpointer data;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (g_str_has_prefix (url, "https:"))
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_test_certificate), NULL);
  if (authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", authorization);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
  if (content_encoding != NULL)
    soup_message_headers_replace (headers, "Content-Encoding", content_encoding);

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  data = g_bytes_get_data (bytes, &reply->length);
  reply->body = g_strndup (data, reply->length);
  reply->content_encoding = g_strdup (soup_message_headers_get_one (
    soup_message_get_response_headers (msg), "Content-Encoding"));
  reply->retry_after = g_strdup (soup_message_headers_get_one (
    soup_message_get_response_headers (msg), "Retry-After"));

  return reply;
}
