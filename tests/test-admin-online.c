/* test-admin-online.c: the province's administration while its server serves
 *
 * A real motcua-server serves a store on 127.0.0.1 (port 0) in a temporary directory, while a
 * thread syncs three desks in a loop through the library (MotcuaSync), round after round. Beside
 * them, the test runs motcua-server's administration commands as the province would: publish a
 * changed procedure, add an office, enroll a desk (which then syncs) and revoke it (its next sync
 * is refused), resolve a conflict two desks made; two publishes at once. Every sync of the loop
 * must succeed, every desk must see what was published and resolved after its next sync, and the
 * hub's log must hold each (origin, seq) once. Then the same commands on the stopped store.
 *
 * No timing assertions: the waits count rounds of the loop; the bound on them only keeps a broken
 * server from hanging the suite.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <motcua/motcua.h>
#include <sqlite3.h>
#include <string.h>

#include "motcua-test-server.h"
#include "motcua-test-utils.h"

#define N_DESKS     3
#define MAX_ROUNDS  2000   /* a bound on every wait, never reached when things work */

typedef struct
{
  char                *dir;
  char                *store;
  GSubprocessLauncher *launcher;   /* for motcua-server's commands: both pipes */
  GSubprocess         *server;
  char                *log;
  char                *url;

  /* The desks the loop syncs: two of Nậm Manh commune, one of Mường Tè town. */
  char          *desks[N_DESKS];
  char          *tokens[N_DESKS];

  GThread       *loop;
  GMutex         mutex;
  GCond          cond;        /* signalled when any of the four below changes */
  guint          held;        /* the test edits desks: no sync starts */
  gboolean       syncing;     /* a sync of the loop is under way */
  guint          rounds;      /* rounds the loop has completed */
  guint          syncs;
  GPtrArray     *failures;    /* char *: what each failed sync said */
  gboolean       stop;
} Province;

/* motcua-server --store STORE @args… */
static GPtrArray *
server_argv (Province          *p,
             const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) g_getenv ("MOTCUA_SERVER"));
  g_assert_nonnull (argv->pdata[0]);
  g_ptr_array_add (argv, (gpointer) "--store");
  g_ptr_array_add (argv, p->store);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  return argv;
}

/* Checks that @run exited @status (and, for a failure, that it said @needle); returns its
 * standard output. */
static char *
check_run (MotcuaTestRun *run,
           int            status,
           const char    *needle)
{
  if (*run->err != '\0')
    g_test_message ("%s", run->err);
  g_assert_cmpint (run->status, ==, status);
  if (needle != NULL)
    g_assert_nonnull (strstr (run->err, needle));

  return g_strdup (run->out);
}

/* Runs motcua-server --store STORE @first… and checks its exit status. */
static char *
admin (Province   *p,
       int         status,
       const char *needle,
       const char *first,
       ...) G_GNUC_NULL_TERMINATED;

static char *
admin (Province   *p,
       int         status,
       const char *needle,
       const char *first,
       ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(MotcuaTestRun) run = NULL;
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  argv = server_argv (p, (const char *const *) args->pdata);
  run = motcua_test_run (p->launcher, (const char *const *) argv->pdata);

  return check_run (run, status, needle);
}

static char *
data_file (const char *name)
{
  return g_build_filename (g_getenv ("MOTCUA_SOURCE_DATADIR"), name, NULL);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

/* A catalogue of one procedure: the sample's first, under @name. */
static char *
write_catalogue (Province   *p,
                 const char *file,
                 const char *name)
{
  g_autofree char *sample = data_file ("catalogue.json");
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *procedures;
  JsonObject *first;
  char *path = g_build_filename (p->dir, file, NULL);

  g_file_get_contents (sample, &text, NULL, &error);
  g_assert_no_error (error);
  root = parse (text);
  procedures = json_object_get_array_member (json_node_get_object (root), "procedures");
  first = json_array_get_object_element (procedures, 0);
  json_object_set_string_member (first, "name", name);
  while (json_array_get_length (procedures) > 1)
    json_array_remove_element (procedures, 1);
  g_free (text);
  text = json_to_string (root, TRUE);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
server_start (Province *p)
{
  g_autofree char *config = g_build_filename (p->dir, "server.conf", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--config", config, "serve", NULL };

  /* Many syncs from one address: no rate limit. */
  g_file_set_contents (config, "[server]\nport=0\nlisten=127.0.0.1\nrequests-per-second=0\n", -1,
                       &error);
  g_assert_no_error (error);
  launcher = motcua_test_launcher_new (p->dir, G_SUBPROCESS_FLAGS_STDOUT_PIPE, "C");
  argv = server_argv (p, args);
  g_clear_pointer (&p->url, g_free);
  p->server = motcua_test_server_spawn (launcher, (const char *const *) argv->pdata, p->log,
                                        &p->url);
}

static void
server_stop (Province *p)
{
  g_free (motcua_test_server_stop (p->server, p->log));
  g_clear_object (&p->server);
}

/* A desk of @office: enrolled with a new token, then synced once. */
static char *
desk_new (Province    *p,
          const char  *office,
          const char  *name,
          char       **token_out)
{
  g_autofree char *out = admin (p, 0, NULL, "replicas", "enroll", office, NULL);
  g_autoptr(MotcuaSync) sync = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (p->dir, name, NULL);

  *token_out = g_strdup (g_strstrip (out));
  motcua_sync_enroll (path, p->url, *token_out, NULL, &error);
  g_assert_no_error (error);
  sync = motcua_sync_new (path);
  motcua_sync_run (sync, NULL, NULL, &error);
  g_assert_no_error (error);

  return path;
}

static gpointer
sync_loop (gpointer data)
{
  Province *p = data;
  g_autoptr(GPtrArray) syncs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < N_DESKS; i++)
    g_ptr_array_add (syncs, motcua_sync_new (p->desks[i]));

  g_mutex_lock (&p->mutex);
  while (!p->stop)
    {
      for (guint i = 0; i < N_DESKS; i++)
        {
          g_autoptr(GError) error = NULL;
          gboolean ok;

          /* No sync starts while the test edits desks. */
          while (p->held > 0)
            g_cond_wait (&p->cond, &p->mutex);
          p->syncing = TRUE;
          g_mutex_unlock (&p->mutex);
          ok = motcua_sync_run (syncs->pdata[i], NULL, NULL, &error);
          /* A sync refused as busy found the desk's sync lock held, and changed nothing: the
           * lock's file description lives on, until exec, in an administration command the
           * test has just spawned (fork copies it). It is tried again, as the message says. */
          for (guint tries = 0;
               !ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY) && tries < 500;
               tries++)
            {
              g_clear_error (&error);
              g_usleep (10 * 1000);
              ok = motcua_sync_run (syncs->pdata[i], NULL, NULL, &error);
            }
          g_mutex_lock (&p->mutex);
          if (!ok)
            g_ptr_array_add (p->failures, g_strdup_printf ("desk %u: %s", i, error->message));
          p->syncs++;
          p->syncing = FALSE;
          g_cond_broadcast (&p->cond);
        }
      p->rounds++;
      g_cond_broadcast (&p->cond);
    }
  g_mutex_unlock (&p->mutex);

  return NULL;
}

/* Keeps the loop from syncing until release_desks(). */
static void
hold_desks (Province *p)
{
  g_mutex_lock (&p->mutex);
  p->held++;
  while (p->syncing)
    g_cond_wait (&p->cond, &p->mutex);
  g_mutex_unlock (&p->mutex);
}

static void
release_desks (Province *p)
{
  g_mutex_lock (&p->mutex);
  p->held--;
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->mutex);
}

/* Waits until every desk has synced at least once since now. */
static void
wait_for_next_syncs (Province *p)
{
  guint until;

  g_mutex_lock (&p->mutex);
  until = p->rounds + 2;   /* the round under way may have synced some desks already */
  while (p->rounds < until && p->rounds < MAX_ROUNDS)
    g_cond_wait (&p->cond, &p->mutex);
  g_assert_cmpuint (p->rounds, <, MAX_ROUNDS);
  g_mutex_unlock (&p->mutex);
}

static MotcuaReplica *
open_desk (const char *path)
{
  g_autoptr(GError) error = NULL;
  MotcuaReplica *replica = motcua_replica_open (path, &error);

  g_assert_no_error (error);

  return replica;
}

static void
assert_procedure_name (const char *desk,
                       const char *code,
                       const char *name)
{
  g_autoptr(MotcuaReplica) replica = open_desk (desk);
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaProcedure) procedure = motcua_replica_dup_procedure (replica, code, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (procedure->name, ==, name);
}

static void
edit_phone (const char *desk,
            const char *case_id,
            const char *phone)
{
  g_autoptr(MotcuaReplica) replica = open_desk (desk);
  g_autoptr(GError) error = NULL;

  motcua_replica_edit_case (replica, case_id, "phone", phone, NULL, &error);
  g_assert_no_error (error);
}

static char *
case_phone (const char *desk,
            const char *case_id)
{
  g_autoptr(MotcuaReplica) replica = open_desk (desk);
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) record = motcua_replica_dup_case (replica, case_id, &error);

  g_assert_no_error (error);

  return g_strdup (record->phone);
}

/* The ids of the open conflicts at the server. */
static GPtrArray *
open_conflicts (Province *p)
{
  g_autofree char *out = admin (p, 0, NULL, "--json", "conflicts", "list", NULL);
  g_autoptr(JsonNode) root = parse (out);
  JsonArray *list = json_node_get_array (root);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (list); i++)
    g_ptr_array_add (ids, g_strdup (json_object_get_string_member (
                            json_array_get_object_element (list, i), "id")));

  return ids;
}

/* No (origin, seq) twice in the hub's log, and every change of the province's in it. */
static void
assert_log_whole (Province *p)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (p->store, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 60000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM (SELECT origin, seq FROM"
                                       " hub_log GROUP BY origin, seq HAVING count(*) > 1)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT (SELECT value FROM meta WHERE key ="
                                       " 'hub_published') >= (SELECT value FROM meta WHERE"
                                       " key = 'seq')", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
province_set_up (Province      *p,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *offices = data_file ("offices.json");
  g_autofree char *catalogue = data_file ("catalogue.json");
  const char *desk_offices[N_DESKS] = { "LC.NN.NM", "LC.NN.NM", "LC.MT.TT" };

  p->dir = g_dir_make_tmp ("test-admin-online-XXXXXX", &error);
  g_assert_no_error (error);
  p->store = g_build_filename (p->dir, "province.db", NULL);
  p->log = g_build_filename (p->dir, "server.log", NULL);
  p->launcher = motcua_test_launcher_new (p->dir, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                  | G_SUBPROCESS_FLAGS_STDERR_PIPE, "C");
  p->failures = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&p->mutex);
  g_cond_init (&p->cond);

  g_free (admin (p, 0, NULL, "init", "--province", "LC", "--name", "Tỉnh Lai Châu", NULL));
  g_free (admin (p, 0, NULL, "offices", "import", offices, NULL));
  g_free (admin (p, 0, NULL, "publish", "catalogue", catalogue, NULL));
  server_start (p);
  for (guint i = 0; i < N_DESKS; i++)
    {
      g_autofree char *name = g_strdup_printf ("desk-%u.db", i);

      p->desks[i] = desk_new (p, desk_offices[i], name, &p->tokens[i]);
    }
  p->loop = g_thread_new ("sync-loop", sync_loop, p);
}

static void
province_tear_down (Province      *p,
                    gconstpointer  data)
{
  if (p->loop != NULL)
    {
      g_mutex_lock (&p->mutex);
      p->stop = TRUE;
      g_mutex_unlock (&p->mutex);
      g_thread_join (p->loop);
    }
  if (p->server != NULL)
    server_stop (p);
  motcua_test_rm_rf (p->dir);
  for (guint i = 0; i < N_DESKS; i++)
    {
      g_free (p->desks[i]);
      g_free (p->tokens[i]);
    }
  g_ptr_array_unref (p->failures);
  g_mutex_clear (&p->mutex);
  g_cond_clear (&p->cond);
  g_clear_object (&p->launcher);
  g_free (p->url);
  g_free (p->log);
  g_free (p->store);
  g_free (p->dir);
}

/* Stops the loop and checks that every one of its syncs succeeded. */
static void
stop_loop (Province *p)
{
  g_mutex_lock (&p->mutex);
  p->stop = TRUE;
  g_mutex_unlock (&p->mutex);
  g_thread_join (g_steal_pointer (&p->loop));
  g_test_message ("%u syncs in %u rounds", p->syncs, p->rounds);
  for (guint i = 0; i < p->failures->len; i++)
    g_test_message ("failed: %s", (const char *) p->failures->pdata[i]);
  g_assert_cmpuint (p->failures->len, ==, 0);
  g_assert_cmpuint (p->rounds, >, 0);
}

static void
test_while_serving (Province      *p,
                    gconstpointer  data)
{
  g_autofree char *changed = write_catalogue (p, "changed.json", "Đăng ký khai sinh (2027)");
  g_autofree char *token = NULL;
  g_autofree char *token_id = NULL;
  g_autofree char *late = NULL;
  g_autofree char *offices = NULL;
  g_autofree char *phone = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(MotcuaSync) late_sync = NULL;
  g_autoptr(MotcuaCase) received = NULL;
  g_autoptr(GError) error = NULL;
  guint waits = 0;

  /* A changed procedure, published beside the server: every desk has it after its next sync. */
  g_free (admin (p, 0, NULL, "publish", "catalogue", changed, NULL));
  wait_for_next_syncs (p);
  for (guint i = 0; i < N_DESKS; i++)
    assert_procedure_name (p->desks[i], "MAU.HT.001", "Đăng ký khai sinh (2027)");

  /* A new office. */
  g_free (admin (p, 0, NULL, "offices", "add", "LC.NN.XY", "--name", "Xã Mới", "--level",
                 "commune", "--parent", "LC.NN", NULL));
  offices = admin (p, 0, NULL, "offices", "list", NULL);
  g_assert_nonnull (strstr (offices, "LC.NN.XY"));

  /* A desk enrolled now syncs; once its token is revoked, its next sync is refused. */
  late = desk_new (p, "LC.NN.NM", "late.db", &token);
  token_id = g_strndup (token, strcspn (token, "."));
  g_free (admin (p, 0, NULL, "replicas", "revoke", token_id, NULL));
  late_sync = motcua_sync_new (late);
  g_assert_false (motcua_sync_run (late_sync, NULL, NULL, &error));
  g_assert_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_ENROLLED);
  g_clear_error (&error);

  /* A conflict: two desks of the commune edit the phone of a case neither has seen the
   * other's edit of. */
  {
    g_autoptr(MotcuaReplica) a = open_desk (p->desks[0]);
    MotcuaReception reception = { .procedure_code = "MAU.HT.001",
                                  .applicant_name = "Vừ A Lồng",
                                  .citizen_id = "012089001234", .phone = "0912345678" };

    received = motcua_replica_receive (a, &reception, &error);
    g_assert_no_error (error);
  }
  wait_for_next_syncs (p);
  hold_desks (p);
  edit_phone (p->desks[0], received->id, "0912000001");
  edit_phone (p->desks[1], received->id, "0912000002");
  release_desks (p);
  for (conflicts = open_conflicts (p); conflicts->len == 0 && waits++ < MAX_ROUNDS;
       conflicts = open_conflicts (p))
    {
      g_ptr_array_unref (conflicts);
      wait_for_next_syncs (p);
    }
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_free (admin (p, 0, NULL, "conflicts", "resolve", conflicts->pdata[0], "--value",
                 "0912000003", NULL));
  wait_for_next_syncs (p);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(MotcuaReplica) desk = open_desk (p->desks[i]);
      g_autoptr(GPtrArray) open = motcua_replica_list_conflicts (desk, FALSE, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (open->len, ==, 0);
      phone = case_phone (p->desks[i], received->id);
      g_assert_cmpstr (phone, ==, "0912000003");
      g_clear_pointer (&phone, g_free);
    }

  /* A restore is refused while the server serves. */
  g_free (admin (p, 1, "in use", "restore", p->store, NULL));

  stop_loop (p);
  assert_log_whole (p);

  /* The same commands on the stopped store. */
  server_stop (p);
  g_free (admin (p, 0, NULL, "publish", "catalogue", changed, NULL));
  g_free (admin (p, 0, NULL, "offices", "add", "LC.NN.XZ", "--name", "Xã Mới Nữa", "--level",
                 "commune", "--parent", "LC.NN", NULL));
  g_free (token);
  g_free (token_id);
  token = admin (p, 0, NULL, "replicas", "enroll", "LC.NN.NM", NULL);
  token_id = g_strndup (token, strcspn (token, "."));
  g_free (admin (p, 0, NULL, "replicas", "revoke", token_id, NULL));
  g_free (admin (p, 0, NULL, "conflicts", "list", "--all", NULL));
  assert_log_whole (p);
}

/* Two administrators publish at once, beside the server: each change is logged once. */
static void
test_publish_race (Province      *p,
                   gconstpointer  data)
{
  for (guint round = 0; round < 3; round++)
    {
      g_autofree char *name_a = g_strdup_printf ("Đăng ký khai sinh (A%u)", round);
      g_autofree char *name_b = g_strdup_printf ("Đăng ký khai sinh (B%u)", round);
      g_autofree char *file_a = write_catalogue (p, "a.json", name_a);
      g_autofree char *file_b = write_catalogue (p, "b.json", name_b);
      const char *args_a[] = { "publish", "catalogue", file_a, NULL };
      const char *args_b[] = { "publish", "catalogue", file_b, NULL };
      g_autoptr(GPtrArray) argv_a = server_argv (p, args_a);
      g_autoptr(GPtrArray) argv_b = server_argv (p, args_b);
      g_autoptr(GSubprocess) a = NULL;
      g_autoptr(GSubprocess) b = NULL;
      g_autoptr(GError) error = NULL;

      /* Both started before either is waited for. */
      a = g_subprocess_launcher_spawnv (p->launcher, (const char *const *) argv_a->pdata, &error);
      g_assert_no_error (error);
      b = g_subprocess_launcher_spawnv (p->launcher, (const char *const *) argv_b->pdata, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait_check (a, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait_check (b, NULL, &error));
      g_assert_no_error (error);
      assert_log_whole (p);
    }

  wait_for_next_syncs (p);
  stop_loop (p);
  assert_log_whole (p);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/admin-online/while-serving", Province, NULL, province_set_up, test_while_serving,
              province_tear_down);
  g_test_add ("/admin-online/publish-race", Province, NULL, province_set_up, test_publish_race,
              province_tear_down);

  return g_test_run ();
}
