/* motcua-test-server.h: the programs under test, run as processes
 *
 * motcua-cli and motcua-server run in a test's directory under a fixed locale, without the
 * user's settings, and die with the test whatever happens to it (PR_SET_PDEATHSIG). A server
 * serves on 127.0.0.1 on a port of the system's choosing, which it prints first.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A launcher that runs in @dir under LC_ALL=@lc_all, without LANG, LANGUAGE, MOTCUA_DB or
 * MOTCUA_SERVER_CONFIG; its processes die with the test. */
GSubprocessLauncher *motcua_test_launcher_new   (const char          *dir,
                                                 GSubprocessFlags     flags,
                                                 const char          *lc_all);

/* How a program ended: its exit status, standard output and standard error ("" for none). */
typedef struct
{
  int   status;
  char *out;
  char *err;
} MotcuaTestRun;

void                 motcua_test_run_free       (MotcuaTestRun       *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaTestRun, motcua_test_run_free)

/* Runs @argv from @launcher (both pipes) to its end; it must exit, not be killed. */
MotcuaTestRun       *motcua_test_run            (GSubprocessLauncher *launcher,
                                                 const char *const   *argv);

/* Starts the server @argv ("motcua-server … serve …") from @launcher (stdout a pipe), its
 * standard error in the file @log, and waits for it to say where it listens: its URL,
 * "http://127.0.0.1:PORT" (https with TLS), in @url. A server that ends first fails the test
 * with its log. */
GSubprocess         *motcua_test_server_spawn   (GSubprocessLauncher *launcher,
                                                 const char *const   *argv,
                                                 const char          *log,
                                                 char               **url);
/* The port of @url. */
guint16              motcua_test_url_port       (const char          *url);
/* Waits for @server to end: it must exit 0 and say "stopped" (under AddressSanitizer, its
 * leak check passed too). Its log. */
char                *motcua_test_server_wait    (GSubprocess         *server,
                                                 const char          *log);
/* SIGTERM, then as motcua_test_server_wait(). */
char                *motcua_test_server_stop    (GSubprocess         *server,
                                                 const char          *log);

/* The replicas the tests over HTTP enroll in province LC, by name ("a", "b", "d") and office:
 * the communes Nậm Manh (LC.NN.NM) and Nậm Hàng (LC.NN.NH), and their district Nậm Nhùn. */
typedef struct
{
  const char *name;
  const char *office;
} MotcuaTestReplicaInfo;

extern const MotcuaTestReplicaInfo motcua_test_lc_replicas[3];

/* Makes @store the store of province LC, "Tỉnh Lai Châu", with motcua-server's administration
 * commands run from @launcher (both pipes): the district Nậm Nhùn (LC.NN) and its @communes
 * (NULL-terminated, of LC.NN.NM, LC.NN.NH and LC.NN.NP). */
void                 motcua_test_make_lc_store  (GSubprocessLauncher *launcher,
                                                 const char          *store,
                                                 const char *const   *communes);

/* One HTTP answer. */
typedef struct
{
  guint  status;
  char  *body;
  gsize  length;
  char  *content_encoding;
  char  *retry_after;
} MotcuaTestReply;

void                 motcua_test_reply_free     (MotcuaTestReply     *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaTestReply, motcua_test_reply_free)

/* One request to @base_url + @path with a SoupSession, which asks for and undoes gzip by
 * itself: "Authorization: @authorization" and "Content-Encoding: @content_encoding" unless
 * NULL, and the JSON @body unless NULL. Over https any certificate is taken (the tests'). */
MotcuaTestReply     *motcua_test_request        (const char          *base_url,
                                                 const char          *method,
                                                 const char          *path,
                                                 const char          *authorization,
                                                 const char          *content_encoding,
                                                 GBytes              *body);

/* Exit status 0, else the test fails after showing @err (a program's standard error). */
void                 motcua_test_assert_exit_ok (int                  status,
                                                 const char          *err);

G_END_DECLS
