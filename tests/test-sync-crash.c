/* test-sync-crash.c: SIGKILL of the client and of the server during sync
 *
 * A province store served by motcua-server on 127.0.0.1, with a district LC.NN and two of its
 * communes; a replica enrolled with motcua-cli for each commune (A and B) and one for the
 * district (D), which pulls all that the communes push. Each round makes local changes with
 * motcua-cli (an import of hundreds of cases, receptions, edits, status steps, transfers between
 * the communes, and now and then cases for the other commune, which the server must refuse),
 * starts `motcua-cli sync` on some replicas at once and, after a random delay, kills some of them
 * with SIGKILL, or kills the server and starts it again on the same store. After every kill the
 * three replicas and the store pass PRAGMA integrity_check, and a clean sync of each succeeds,
 * verified by the server's integrity digest.
 *
 * Every EPOCH_ROUNDS rounds everything is checked against a model of what was written: each case
 * exactly once wherever it belongs (by receipt number, with one id everywhere), each field with
 * its last value, each accepted change once on the server and each refused one kept on its
 * replica as rejected, and `export --canonical` of each replica equal to the server's restricted
 * to the replica's scope. Then a new province starts, so that syncs stay short.
 *
 * Rounds: $MOTCUA_CRASH_ROUNDS (a soak: MOTCUA_CRASH_ROUNDS=2000), else 1000 with -m slow,
 * else 100 (30 under AddressSanitizer, whose processes are several times slower); one to three
 * kills each. Unless asked for by number, the rounds stop early, at the end of an epoch, once
 * 180 s (480 s under AddressSanitizer) have passed, so that a machine busy with other work
 * still finishes within the suite's timeout. The seed is printed; $MOTCUA_CRASH_SEED replays the
 * same operations (where the kills land depends on timing). There are no timing assertions: the
 * delays only spread the kills over push, pull and the digest. The files are on /dev/shm when
 * there is one: a SIGKILL leaves what was written in the page cache, so the disk's fsync adds
 * nothing to what is tested here, only time.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "motcua-test-server.h"
#include "motcua-test-utils.h"

#define EPOCH_ROUNDS 25
#define PROCEDURE    "MAU.HT.001"

enum { A, B, D, N_REPLICAS };

static const MotcuaTestReplicaInfo *const replica_info = motcua_test_lc_replicas;
G_STATIC_ASSERT (G_N_ELEMENTS (motcua_test_lc_replicas) == N_REPLICAS);

/* The steps a case goes through here, in order. */
static const char *const steps[] = { "received", "in_processing", "approved", "returned" };

/* Where a kill landed, from what the client had printed by then. */
enum
{
  PHASE_START,      /* no batch acknowledged yet: status, or the first push */
  PHASE_PUSH,       /* pushing */
  PHASE_PULL,       /* pulling, more to come */
  PHASE_DIGEST,     /* pulled everything: digest, purge, the end */
  PHASE_DONE,       /* the sync had finished */
  N_PHASES
};

static const char *const phase_names[N_PHASES] = {
  "status/first push", "push", "pull", "digest/purge", "after the end",
};

typedef struct
{
  char     *receipt;
  guint     round;         /* made or handed over in that round: settled, editable, after it */
  guint     creator;       /* A or B */
  guint     receiving;     /* A or B */
  guint     handling;      /* A or B: the commune that alone edits it */
  gboolean  refused;       /* made for the other commune: refused by the server */
  char     *name;
  char     *phone;
  char     *address;       /* written by D alone */
  guint     step;          /* in steps[] */
} Case;

static void
case_free (Case *c)
{
  g_free (c->receipt);
  g_free (c->name);
  g_free (c->phone);
  g_free (c->address);
  g_free (c);
}

typedef struct
{
  guint        number;
  char        *dir;
  char        *store;
  char        *config;
  char        *url;
  guint16      port;
  GSubprocess *server;
  guint        server_starts;
  char        *db[N_REPLICAS];
  GPtrArray   *cases;      /* Case */
  guint        next_case;
} Epoch;

typedef struct
{
  GRand  *rand;
  guint32 seed;
  guint   round;
  gint64  estimate_us[N_REPLICAS];    /* how long a whole sync of each replica takes lately */
  guint   client_kills;
  guint   server_kills;
  guint   phases[N_PHASES];
  guint   refused_cases;
  guint   cases;
} Run;

/* Processes */

/* Each process dies with the test, whatever happens to the test. */
static GSubprocessLauncher *
launcher_new (Epoch           *e,
              GSubprocessFlags flags)
{
  return motcua_test_launcher_new (e->dir, flags, "C.UTF-8");
}

static GPtrArray *
argv_new (const char *program)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (program);
  g_ptr_array_add (argv, g_strdup (program));

  return argv;
}

static void
argv_add_valist (GPtrArray  *argv,
                 const char *first,
                 va_list     args)
{
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (a));
}

/* Runs @argv to its end; its exit status, and its standard output in @out. */
static int
run_argv (Epoch      *e,
          GPtrArray  *argv,
          char      **out)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(MotcuaTestRun) result = NULL;

  g_ptr_array_add (argv, NULL);
  launcher = launcher_new (e, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  result = motcua_test_run (launcher, (const char *const *) argv->pdata);
  if (result->status != 0)
    {
      g_autofree char *line = g_strjoinv (" ", (char **) argv->pdata);

      g_test_message ("%s: exit %d; stderr: %s", line, result->status, result->err);
    }
  if (out != NULL)
    *out = g_steal_pointer (&result->out);

  return result->status;
}

/* motcua-cli --db @db @first…: must succeed; its standard output. */
static char *
cli (Epoch      *e,
     const char *db,
     const char *first,
     ...) G_GNUC_NULL_TERMINATED;

static char *
cli (Epoch      *e,
     const char *db,
     const char *first,
     ...)
{
  g_autoptr(GPtrArray) argv = argv_new (g_getenv ("MOTCUA_CLI"));
  char *out = NULL;
  va_list args;

  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (db));
  va_start (args, first);
  argv_add_valist (argv, first, args);
  va_end (args);
  g_assert_cmpint (run_argv (e, argv, &out), ==, 0);

  return out;
}

/* motcua-server --store STORE @first…: must succeed; its standard output. */
static char *
admin (Epoch      *e,
       const char *first,
       ...) G_GNUC_NULL_TERMINATED;

static char *
admin (Epoch      *e,
       const char *first,
       ...)
{
  g_autoptr(GPtrArray) argv = argv_new (g_getenv ("MOTCUA_SERVER"));
  char *out = NULL;
  va_list args;

  g_ptr_array_add (argv, g_strdup ("--store"));
  g_ptr_array_add (argv, g_strdup (e->store));
  va_start (args, first);
  argv_add_valist (argv, first, args);
  va_end (args);
  g_assert_cmpint (run_argv (e, argv, &out), ==, 0);

  return out;
}

static void
write_config (Epoch *e)
{
  g_autoptr(GError) error = NULL;
  /* No rate limit: the syncs come back to back. Small pulls: a kill can land between
   * batches. */
  g_autofree char *text = g_strdup_printf ("[server]\nlisten=127.0.0.1\nport=%u\n"
                                           "requests-per-second=0\nmax-changes-per-pull=400\n",
                                           e->port);

  g_file_set_contents (e->config, text, -1, &error);
  g_assert_no_error (error);
}

/* Serves the store: on a port of the system's choosing the first time, then on the same one,
 * which the replicas were enrolled with. */
static void
server_start (Epoch *e)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *log = g_strdup_printf ("%s/server-%u.log", e->dir, e->server_starts++);
  g_autofree char *url = NULL;
  const char *argv[] = { g_getenv ("MOTCUA_SERVER"), "--config", e->config, "--store", e->store,
                         "serve", NULL };

  g_assert_null (e->server);
  write_config (e);
  launcher = launcher_new (e, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  e->server = motcua_test_server_spawn (launcher, argv, log, &url);
  g_assert_true (g_str_has_prefix (url, "http://"));
  if (e->port == 0)
    {
      e->url = g_steal_pointer (&url);
      e->port = motcua_test_url_port (e->url);
    }
  else
    g_assert_cmpstr (url, ==, e->url);
}

static void
server_kill (Epoch *e)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (e->server, SIGKILL);
  g_subprocess_wait (e->server, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (e->server));
  g_clear_object (&e->server);
}

/* SIGTERM: the server finishes and exits 0, saying so (under AddressSanitizer, its leak check
 * passed too). */
static void
server_stop (Epoch *e)
{
  g_autofree char *log = g_strdup_printf ("%s/server-%u.log", e->dir, e->server_starts - 1);

  g_free (motcua_test_server_stop (e->server, log));
  g_clear_object (&e->server);
}

/* SQLite */

static sqlite3 *
db_open (const char *path)
{
  sqlite3 *db = NULL;

  /* Read-only: the check changes nothing, not even by checkpointing a WAL left by a kill. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 60000);

  return db;
}

static sqlite3_stmt *
db_prepare (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));

  return stmt;
}

static gint64
db_int (sqlite3    *db,
        const char *sql)
{
  sqlite3_stmt *stmt = db_prepare (db, sql);
  gint64 v;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return v;
}

static void
assert_integrity (const char *path)
{
  sqlite3 *db = db_open (path);
  sqlite3_stmt *stmt = db_prepare (db, "PRAGMA integrity_check");

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    g_error ("%s: integrity_check: %s", path, sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
assert_all_integrity (Epoch *e)
{
  assert_integrity (e->store);
  for (guint r = 0; r < N_REPLICAS; r++)
    assert_integrity (e->db[r]);
}

/* The world */

static Epoch *
epoch_new (guint number)
{
  Epoch *e = g_new0 (Epoch, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *datadir = g_strdup (g_getenv ("MOTCUA_SOURCE_DATADIR"));
  g_autofree char *catalogue = g_build_filename (datadir, "catalogue.json", NULL);
  char *tokens[N_REPLICAS] = { NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  e->number = number;
  if (g_access ("/dev/shm", W_OK) == 0)
    {
      e->dir = g_strdup ("/dev/shm/test-sync-crash-XXXXXX");
      g_assert_nonnull (g_mkdtemp (e->dir));
    }
  else
    {
      e->dir = g_dir_make_tmp ("test-sync-crash-XXXXXX", &error);
      g_assert_no_error (error);
    }
  e->store = g_build_filename (e->dir, "province.db", NULL);
  e->config = g_build_filename (e->dir, "server.conf", NULL);
  e->cases = g_ptr_array_new_with_free_func ((GDestroyNotify) case_free);
  for (guint r = 0; r < N_REPLICAS; r++)
    e->db[r] = g_strdup_printf ("%s/%s.db", e->dir, replica_info[r].name);

  launcher = launcher_new (e, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  motcua_test_make_lc_store (launcher, e->store,
                             (const char *const[]) { "LC.NN.NM", "LC.NN.NH", NULL });
  g_free (admin (e, "publish", "catalogue", catalogue, NULL));
  for (guint r = 0; r < N_REPLICAS; r++)
    tokens[r] = g_strchomp (admin (e, "replicas", "enroll", replica_info[r].office, NULL));

  server_start (e);
  for (guint r = 0; r < N_REPLICAS; r++)
    {
      g_free (cli (e, e->db[r], "enroll", "--server", e->url, "--token", tokens[r], NULL));
      g_free (cli (e, e->db[r], "sync", NULL));
      g_free (tokens[r]);
    }

  return e;
}

static void
epoch_free (Epoch *e)
{
  g_assert_null (e->server);
  motcua_test_rm_rf (e->dir);
  g_free (e->dir);
  g_free (e->store);
  g_free (e->config);
  g_free (e->url);
  for (guint r = 0; r < N_REPLICAS; r++)
    g_free (e->db[r]);
  g_ptr_array_unref (e->cases);
  g_free (e);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Epoch, epoch_free)

/* Local work */

static guint
other_commune (guint r)
{
  return r == A ? B : A;
}

static char *
citizen_id (Run *run)
{
  return g_strdup_printf ("0%02d%09d", g_rand_int_range (run->rand, 1, 97),
                          g_rand_int_range (run->rand, 0, 1000000000));
}

/* An import of @n cases received by @office, in one transaction. */
static void
import_cases (Run        *run,
              Epoch      *e,
              guint       r,
              guint       n,
              guint       office)
{
  g_autoptr(GString) json = g_string_new ("{\"format\":\"motcua-cases\",\"version\":1,"
                                          "\"cases\":[");
  g_autofree char *path = g_strdup_printf ("%s/import-%s.json", e->dir, replica_info[r].name);
  g_autoptr(GError) error = NULL;
  gboolean refused = office != r;

  for (guint i = 0; i < n; i++)
    {
      Case *c = g_new0 (Case, 1);
      g_autofree char *cid = citizen_id (run);

      c->receipt = g_strdup_printf ("%s%s-E%u-%06u", refused ? "OOS-" : "",
                                    replica_info[r].name, e->number, e->next_case++);
      c->round = run->round;
      c->creator = r;
      c->receiving = office;
      c->handling = office;
      c->refused = refused;
      c->name = g_strdup_printf ("Lò Văn Pằng %s", c->receipt);
      g_string_append_printf (json, "%s{\"receipt_no\":\"%s\",\"procedure\":\"" PROCEDURE "\","
                              "\"receiving_office\":\"%s\",\"applicant\":{\"name\":\"%s\","
                              "\"citizen_id\":\"%s\"},\"channel\":\"online\","
                              "\"received_at\":\"2025-03-03T09:00:00+07:00\","
                              "\"status\":\"received\"}", i ? "," : "", c->receipt,
                              replica_info[office].office, c->name, cid);
      g_ptr_array_add (e->cases, c);
    }
  g_string_append (json, "]}");
  g_file_set_contents (path, json->str, (gssize) json->len, &error);
  g_assert_no_error (error);

  g_free (cli (e, e->db[r], "cases", "import", path, NULL));
  run->cases += n;
  if (refused)
    run->refused_cases += n;
}

/* A reception at the desk: its receipt number comes from a block leased from the server. */
static void
receive_case (Run   *run,
              Epoch *e,
              guint  r)
{
  g_autofree char *cid = citizen_id (run);
  g_autofree char *name = g_strdup_printf ("Vàng Thị Mai %u", e->next_case++);
  g_autofree char *out = cli (e, e->db[r], "--json", "cases", "receive", "--procedure", PROCEDURE,
                              "--name", name, "--citizen-id", cid, NULL);
  g_autoptr(JsonNode) root = motcua_test_parse_json (out, -1);
  Case *c = g_new0 (Case, 1);

  c->receipt = g_strdup (json_object_get_string_member (json_node_get_object (root),
                                                        "receipt_no"));
  c->round = run->round;
  c->creator = c->receiving = c->handling = r;
  c->name = g_steal_pointer (&name);
  g_ptr_array_add (e->cases, c);
  run->cases++;
}

/* A random settled case (made before this round, accepted by the server) that @r may write:
 * one it handles, or any for the district. NULL if there is none. */
static Case *
pick_case (Run   *run,
           Epoch *e,
           guint  r,
           gboolean open_only)
{
  for (guint tries = 0; tries < 20 && e->cases->len > 0; tries++)
    {
      Case *c = e->cases->pdata[g_rand_int_range (run->rand, 0, (gint32) e->cases->len)];

      if (c->refused || c->round >= run->round || (r != D && c->handling != r)
          || (open_only && c->step >= 2))
        continue;
      return c;
    }

  return NULL;
}

static void
local_work (Run   *run,
            Epoch *e)
{
  for (guint r = A; r <= B; r++)
    {
      guint n;

      if (g_rand_double (run->rand) < 0.6)
        import_cases (run, e, r, (guint) g_rand_int_range (run->rand, 50, 250), r);
      n = (guint) g_rand_int_range (run->rand, 0, 3);
      for (guint i = 0; i < n; i++)
        receive_case (run, e, r);
      /* Now and then cases for the other commune: the server refuses them, change by change,
       * and the replica keeps them, marked rejected. */
      if (g_rand_double (run->rand) < 0.1)
        import_cases (run, e, r, (guint) g_rand_int_range (run->rand, 1, 3), other_commune (r));

      n = (guint) g_rand_int_range (run->rand, 0, 4);
      for (guint i = 0; i < n; i++)
        {
          Case *c = pick_case (run, e, r, FALSE);
          g_autofree char *name = NULL;
          g_autofree char *phone = NULL;
          g_autofree char *name_arg = NULL;
          g_autofree char *phone_arg = NULL;
          gint32 which;

          if (c == NULL)
            break;
          name = g_strdup_printf ("Giàng A Dính %u-%u", run->round, i);
          phone = g_strdup_printf ("09%08d", g_rand_int_range (run->rand, 0, 100000000));
          name_arg = g_strconcat ("applicant_name=", name, NULL);
          phone_arg = g_strconcat ("phone=", phone, NULL);
          which = g_rand_int_range (run->rand, 0, 3);
          g_free (cli (e, e->db[r], "cases", "edit", c->receipt, which == 1 ? phone_arg : name_arg,
                       which == 2 ? phone_arg : NULL, NULL));
          if (which != 1)
            {
              g_free (c->name);
              c->name = g_steal_pointer (&name);
            }
          if (which != 0)
            {
              g_free (c->phone);
              c->phone = g_steal_pointer (&phone);
            }
        }

      n = (guint) g_rand_int_range (run->rand, 0, 3);
      for (guint i = 0; i < n; i++)
        {
          Case *c = pick_case (run, e, r, FALSE);

          if (c == NULL || c->step + 1 >= G_N_ELEMENTS (steps))
            continue;
          g_free (cli (e, e->db[r], "cases", "advance", c->receipt, steps[c->step + 1], NULL));
          c->step++;
        }

      /* One commune hands a case over to the other: the other receives it whole; a case handed
       * back leaves the scope of the commune that neither received nor handles it. */
      if (g_rand_double (run->rand) < 0.3)
        {
          Case *c = pick_case (run, e, r, TRUE);

          if (c != NULL)
            {
              g_free (cli (e, e->db[r], "cases", "transfer", c->receipt,
                           replica_info[other_commune (r)].office, NULL));
              c->handling = other_commune (r);
              /* Settled for its new commune only after a round more: the clean syncs run A
               * before B, so when B's transfer reaches the server in B's clean sync, A pulls it
               * at its sync of the next round, after that round's edits. */
              c->round = run->round + 1;
            }
        }
    }

  /* The district writes the addresses, and no one else does. */
  for (gint32 i = g_rand_int_range (run->rand, 0, 3); i > 0; i--)
    {
      Case *c = pick_case (run, e, D, FALSE);
      g_autofree char *address = NULL;

      if (c == NULL)
        break;
      address = g_strdup_printf ("Bản Nậm Củm %u-%d, xã %s", run->round, i,
                                 replica_info[c->receiving].office);
      {
        g_autofree char *field = g_strconcat ("address=", address, NULL);

        g_free (cli (e, e->db[D], "cases", "edit", c->receipt, field, NULL));
      }
      g_free (c->address);
      c->address = g_steal_pointer (&address);
    }
}

/* Syncs, and kills */

typedef struct
{
  GSubprocess *process;
  gint64       started_us;
  gint64       ended_us;     /* 0 while it runs */
  gboolean     victim;
  char        *out_path;
  char        *err_path;
} Client;

static void
client_exited (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Client *client = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  client->ended_us = g_get_monotonic_time ();
}

static void
client_clear (Client *client)
{
  g_clear_object (&client->process);
  g_free (client->out_path);
  g_free (client->err_path);
}

/* Where the sync had got to, from its progress lines (one per batch, on standard error) and
 * its summary (on standard output). */
static guint
client_phase (Client *client)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *last, *received;
  guint batches = 0;

  g_file_get_contents (client->out_path, &out, NULL, NULL);
  g_file_get_contents (client->err_path, &err, NULL, NULL);
  if (out != NULL && strstr (out, "Up to date:") != NULL)
    return PHASE_DONE;
  if (err == NULL || (last = g_strrstr (err, "sent ")) == NULL)
    return PHASE_START;
  received = strstr (last, ", received ");
  if (received != NULL && (received = strstr (received, "bytes, ")) != NULL)
    batches = (guint) g_ascii_strtoull (received + strlen ("bytes, "), NULL, 10);
  if (batches == 0)
    return PHASE_PUSH;
  if (strstr (last, "more to come") != NULL)
    return PHASE_PULL;

  return PHASE_DIGEST;
}

/* A sync that must work: verified by the digest without pulling the scope again, and no
 * conflicts (no two replicas write one field here). */
static void
clean_sync (Epoch *e,
            guint  r)
{
  g_autofree char *out = cli (e, e->db[r], "--json", "sync", NULL);
  g_autoptr(JsonNode) root = motcua_test_parse_json (out, -1);
  JsonObject *o = json_node_get_object (root);

  if (!json_object_get_boolean_member (o, "verified")
      || json_object_get_boolean_member (o, "repulled"))
    g_error ("%s: the sync after a kill was not verified at once: %s", e->db[r], out);
  g_assert_cmpint (json_object_get_int_member (o, "conflicts"), ==, 0);
}

/* Syncs some replicas at once and kills some of them, or the server, after a random delay;
 * then checks every file. */
static void
kill_once (Run   *run,
           Epoch *e,
           guint  cycle)
{
  Client clients[N_REPLICAS] = { { 0 } };
  gboolean syncing[N_REPLICAS];
  gboolean kill_server = g_rand_double (run->rand) < 0.3;
  gboolean killed = FALSE;
  guint n_clients = 0, n_victims = 0;
  gint64 window_us = 0, delay_us, kill_at;

  /* Who syncs, and who dies. */
  do
    {
      n_clients = n_victims = 0;
      for (guint r = 0; r < N_REPLICAS; r++)
        {
          syncing[r] = g_rand_double (run->rand) < 0.8;
          clients[r].victim = syncing[r] && !kill_server && g_rand_boolean (run->rand);
          n_clients += syncing[r];
          n_victims += clients[r].victim;
        }
    }
  while (n_clients == 0 || (!kill_server && n_victims == 0));

  /* Somewhere in the sync of a victim (or of anyone's, for the server), judged by how long
   * whole syncs of it took lately: a little past that at first, so that some kills land after
   * the end; earlier in a resumed sync, which has less left to do. */
  for (guint r = 0; r < N_REPLICAS; r++)
    if (syncing[r] && (kill_server || clients[r].victim))
      window_us = MAX (window_us, run->estimate_us[r] * (cycle == 0 ? 11 : 6) / 10);
  delay_us = g_rand_int_range (run->rand, 0, (gint32) CLAMP (window_us, 1000, G_MAXINT32));

  for (guint r = 0; r < N_REPLICAS; r++)
    {
      Client *client = &clients[r];
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GError) error = NULL;
      const char *argv[] = { g_getenv ("MOTCUA_CLI"), "--db", e->db[r], "sync", NULL };

      if (!syncing[r])
        continue;
      client->out_path = g_strdup_printf ("%s/sync-%u-%u-%s.out", e->dir, run->round, cycle,
                                          replica_info[r].name);
      client->err_path = g_strdup_printf ("%s/sync-%u-%u-%s.err", e->dir, run->round, cycle,
                                          replica_info[r].name);
      launcher = launcher_new (e, G_SUBPROCESS_FLAGS_NONE);
      g_subprocess_launcher_set_stdout_file_path (launcher, client->out_path);
      g_subprocess_launcher_set_stderr_file_path (launcher, client->err_path);
      client->started_us = g_get_monotonic_time ();
      client->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
      g_assert_no_error (error);
      g_subprocess_wait_async (client->process, NULL, client_exited, client);
    }

  kill_at = g_get_monotonic_time () + delay_us;
  for (;;)
    {
      gboolean running = FALSE;

      for (guint r = 0; r < N_REPLICAS; r++)
        running |= clients[r].process != NULL && clients[r].ended_us == 0;
      if (!killed && (g_get_monotonic_time () >= kill_at || !running))
        {
          killed = TRUE;
          if (kill_server)
            {
              /* Those it cuts off learn it from their connection: no need to wait. */
              server_kill (e);
              run->server_kills++;
            }
          for (guint r = 0; r < N_REPLICAS; r++)
            if (clients[r].victim && clients[r].ended_us == 0)
              g_subprocess_send_signal (clients[r].process, SIGKILL);
        }
      if (killed && !running)
        break;
      if (!killed)
        {
          /* Child watches need the main loop; the kill needs the clock. */
          while (g_main_context_iteration (NULL, FALSE))
            ;
          g_usleep (MIN (1000, MAX (0, kill_at - g_get_monotonic_time ())));
        }
      else
        g_main_context_iteration (NULL, TRUE);
    }

  for (guint r = 0; r < N_REPLICAS; r++)
    {
      Client *client = &clients[r];
      guint phase;

      if (client->process == NULL)
        continue;
      phase = client_phase (client);
      if (g_subprocess_get_if_signaled (client->process))
        {
          /* Only ever our SIGKILL: never a crash. */
          g_assert_true (client->victim);
          g_assert_cmpint (g_subprocess_get_term_sig (client->process), ==, SIGKILL);
          run->client_kills++;
          run->phases[phase]++;
          continue;
        }

      g_assert_true (g_subprocess_get_if_exited (client->process));
      if (kill_server && g_subprocess_get_exit_status (client->process) != 0)
        {
          g_autofree char *err = NULL;

          /* Cut off mid-request: a plain failure (1); or the server gone before the next
           * request: unreachable (4). */
          g_file_get_contents (client->err_path, &err, NULL, NULL);
          g_assert_true (g_subprocess_get_exit_status (client->process) == 1
                         || g_subprocess_get_exit_status (client->process) == 4);
          g_assert_nonnull (strstr (err, "motcua-cli: "));
          run->phases[phase]++;
          continue;
        }

      /* It ran to its end: it must have worked, and it says how long a sync takes now. */
      if (g_subprocess_get_exit_status (client->process) != 0)
        {
          g_autofree char *err = NULL;

          g_file_get_contents (client->err_path, &err, NULL, NULL);
          g_error ("%s: sync failed with nothing killed: %s", e->db[r], err);
        }
      if (client->victim || kill_server)
        run->phases[PHASE_DONE]++;
      run->estimate_us[r] = (run->estimate_us[r] * 3 + client->ended_us - client->started_us) / 4;
    }
  for (guint r = 0; r < N_REPLICAS; r++)
    client_clear (&clients[r]);

  assert_all_integrity (e);
  if (kill_server)
    server_start (e);
}

static void
kill_round (Run   *run,
            Epoch *e)
{
  /* One to three kills: each sync after one resumes where the last was cut. */
  for (guint cycle = 0, n = (guint) g_rand_int_range (run->rand, 1, 4); cycle < n; cycle++)
    kill_once (run, e, cycle);

  /* The communes first, then the district: after this every replica holds the server's
   * state, except for what B wrote after A synced (A gets it next round). */
  for (guint r = 0; r < N_REPLICAS; r++)
    clean_sync (e, r);
}

/* Checks against the model */

#define SERVER N_REPLICAS

typedef struct
{
  char *id;
  char *name;
  char *phone;
  char *address;
  char *status;
  char *handling;
} Row;

static void
row_free (Row *row)
{
  g_free (row->id);
  g_free (row->name);
  g_free (row->phone);
  g_free (row->address);
  g_free (row->status);
  g_free (row->handling);
  g_free (row);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* The cases in the file at @path by receipt number, each there once. */
static GHashTable *
load_cases (const char *path)
{
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) row_free);
  sqlite3 *db = db_open (path);
  sqlite3_stmt *stmt = db_prepare (db, "SELECT c.receipt_no, lower (hex (c.id)),"
                                   " c.applicant_name, c.phone, c.address, c.status, o.code"
                                   " FROM cases c LEFT JOIN offices o"
                                   " ON o.id = c.handling_office_id");
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row *row = g_new0 (Row, 1);
      char *receipt = column_text (stmt, 0);

      row->id = column_text (stmt, 1);
      row->name = column_text (stmt, 2);
      row->phone = column_text (stmt, 3);
      row->address = column_text (stmt, 4);
      row->status = column_text (stmt, 5);
      row->handling = column_text (stmt, 6);
      g_assert_nonnull (receipt);
      if (g_hash_table_contains (rows, receipt))
        g_error ("%s: receipt number %s twice", path, receipt);
      g_hash_table_insert (rows, receipt, row);
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return rows;
}

/* Whether @c belongs on replica @where (or the server). A refused case stays where it was
 * made, and nowhere else. */
static gboolean
expected_on (const Case *c,
             guint       where)
{
  if (c->refused)
    return where == c->creator;
  if (where == SERVER || where == D)
    return TRUE;

  return c->receiving == where || c->handling == where;
}

static void
check_cases (Epoch *e)
{
  GHashTable *rows[N_REPLICAS + 1];

  for (guint w = 0; w <= SERVER; w++)
    rows[w] = load_cases (w == SERVER ? e->store : e->db[w]);

  for (guint w = 0; w <= SERVER; w++)
    {
      const char *where = w == SERVER ? e->store : e->db[w];
      guint expected = 0;

      for (guint i = 0; i < e->cases->len; i++)
        {
          const Case *c = e->cases->pdata[i];
          Row *row = g_hash_table_lookup (rows[w], c->receipt);

          if (!expected_on (c, w))
            {
              if (row != NULL)
                g_error ("%s holds %s, which is not its to hold", where, c->receipt);
              continue;
            }
          expected++;
          if (row == NULL)
            g_error ("%s lost %s", where, c->receipt);
          g_assert_cmpstr (row->name, ==, c->name);
          g_assert_cmpstr (row->phone, ==, c->phone);
          g_assert_cmpstr (row->address, ==, c->address);
          g_assert_cmpstr (row->status, ==, steps[c->step]);
          g_assert_cmpstr (row->handling, ==, replica_info[c->handling].office);
          /* One id everywhere. */
          if (!c->refused)
            g_assert_cmpstr (row->id, ==,
                             ((Row *) g_hash_table_lookup (rows[SERVER], c->receipt))->id);
        }
      /* Nothing else: no case twice under two ids, none out of nowhere. */
      g_assert_cmpuint (g_hash_table_size (rows[w]), ==, expected);
    }

  for (guint w = 0; w <= SERVER; w++)
    g_hash_table_unref (rows[w]);
}

/* Each change once: every replica's log whole, every accepted change once in the server's
 * log and acknowledged, every refused one kept on its replica as rejected. */
static void
check_changes (Epoch *e)
{
  sqlite3 *server = db_open (e->store);

  for (guint r = 0; r < N_REPLICAS; r++)
    {
      sqlite3 *db = db_open (e->db[r]);
      sqlite3_stmt *stmt;
      gint64 last = db_int (db, "SELECT coalesce (max (seq + n - 1), 0) FROM changes"
                                " WHERE origin = 1");
      gint64 rejected = db_int (db, "SELECT count(*) FROM rejected");
      /* The changes of the cases made for the other commune, and of their timelines. */
      gint64 refused = db_int (db, "SELECT coalesce (sum (n), 0) FROM changes ch"
                                   " WHERE ch.origin = 1 AND ("
                                   " (ch.tbl = 4 AND ch.row_id IN (SELECT id FROM cases"
                                   "   WHERE receipt_no LIKE 'OOS-%'))"
                                   " OR (ch.tbl = 5 AND ch.row_id IN (SELECT e.id FROM case_events e"
                                   "   JOIN cases c ON c.id = e.case_id"
                                   "   WHERE c.receipt_no LIKE 'OOS-%')))");
      gint64 acked, logged;

      g_assert_cmpint (db_int (db, "SELECT coalesce (sum (n), 0) FROM changes WHERE origin = 1"),
                       ==, last);
      g_assert_cmpint (rejected, ==, refused);
      g_assert_cmpint (db_int (db, "SELECT count(*) FROM rejected r WHERE NOT EXISTS"
                                   " (SELECT 1 FROM changes ch JOIN cases c ON c.id = ch.row_id"
                                   "  WHERE ch.origin = 1 AND ch.tbl = 4"
                                   "  AND r.seq BETWEEN ch.seq AND ch.seq + ch.n - 1"
                                   "  AND c.receipt_no LIKE 'OOS-%')"
                                   " AND NOT EXISTS"
                                   " (SELECT 1 FROM changes ch JOIN case_events ev"
                                   "  ON ev.id = ch.row_id JOIN cases c ON c.id = ev.case_id"
                                   "  WHERE ch.origin = 1 AND ch.tbl = 5"
                                   "  AND r.seq BETWEEN ch.seq AND ch.seq + ch.n - 1"
                                   "  AND c.receipt_no LIKE 'OOS-%')"), ==, 0);

      stmt = db_prepare (db, "SELECT uuid FROM origins WHERE idx = 1");
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      {
        sqlite3_stmt *q = db_prepare (server, "SELECT acked_seq, (SELECT count(*) FROM hub_log"
                                              " WHERE origin = ?1 AND kind = 0)"
                                              " FROM hub_replicas WHERE replica_id = ?1");

        sqlite3_bind_blob (q, 1, sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0),
                           SQLITE_TRANSIENT);
        g_assert_cmpint (sqlite3_step (q), ==, SQLITE_ROW);
        acked = sqlite3_column_int64 (q, 0);
        logged = sqlite3_column_int64 (q, 1);
        sqlite3_finalize (q);
      }
      sqlite3_finalize (stmt);
      sqlite3_close (db);

      g_test_message ("%s: %" G_GINT64_FORMAT " changes, %" G_GINT64_FORMAT " refused",
                      replica_info[r].name, last, rejected);
      g_assert_cmpint (acked, ==, last);
      g_assert_cmpint (logged, ==, last - rejected);
    }
  sqlite3_close (server);
}

/* A canonical export's rows in @office's scope: each table's name, then its rows, a line
 * each. */
static char *
scoped_export (const char *text,
               const char *office)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) offices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) cases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *below = g_strconcat (office, ".", NULL);
  GPtrArray *rows = NULL;
  static const char *const order[] = { "offices", "cases" };

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];

      if (line[0] == '"')
        {
          char *name = g_strndup (line + 1, strcspn (line + 1, "\""));

          rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
          g_ptr_array_add (names, name);
          g_hash_table_insert (tables, name, rows);
        }
      else if (line[0] == '{' && rows != NULL)
        {
          gsize len = strlen (line);
          g_autoptr(GError) error = NULL;

          if (len > 0 && line[len - 1] == ',')
            line[--len] = '\0';
          g_ptr_array_add (rows, json_from_string (line, &error));
          g_assert_no_error (error);
        }
    }

  /* Offices first, then cases, then what hangs on cases. */
  for (guint o = 0; o < G_N_ELEMENTS (order); o++)
    {
      rows = g_hash_table_lookup (tables, order[o]);
      g_assert_nonnull (rows);
      for (guint i = 0; i < rows->len; i++)
        {
          JsonObject *row = json_node_get_object (rows->pdata[i]);
          const char *id = json_object_get_string_member (row, "id");

          if (o == 0)
            {
              const char *code = json_object_get_string_member (row, "code");

              if (g_str_equal (code, office) || g_str_has_prefix (code, below))
                g_hash_table_add (offices, g_strdup (id));
            }
          else if (g_hash_table_contains (offices, json_object_get_string_member_with_default (
                                            row, "receiving_office_id", ""))
                   || g_hash_table_contains (offices,
                                             json_object_get_string_member_with_default (
                                               row, "handling_office_id", "")))
            g_hash_table_add (cases, g_strdup (id));
        }
    }

  for (guint t = 0; t < names->len; t++)
    {
      const char *name = names->pdata[t];
      gboolean per_case = g_str_equal (name, "cases") || g_str_equal (name, "case_events")
                          || g_str_equal (name, "attachments") || g_str_equal (name, "conflicts");

      rows = g_hash_table_lookup (tables, name);
      g_string_append_printf (out, "%s\n", name);
      for (guint i = 0; i < rows->len; i++)
        {
          JsonObject *row = json_node_get_object (rows->pdata[i]);
          const char *key = g_str_equal (name, "cases") ? "id" : "case_id";
          g_autofree char *row_text = NULL;

          if (per_case)
            {
              JsonNode *node = json_object_get_member (row, key);

              if (node != NULL && !JSON_NODE_HOLDS_NULL (node)
                  && !g_hash_table_contains (cases, json_node_get_string (node)))
                continue;
              if ((node == NULL || JSON_NODE_HOLDS_NULL (node)) && !g_str_equal (name, "conflicts"))
                continue;
            }
          row_text = json_to_string (rows->pdata[i], FALSE);
          g_string_append_printf (out, "%s\n", row_text);
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_same_text (const char *what,
                  const char *ours,
                  const char *theirs)
{
  gsize line = 1;

  if (g_str_equal (ours, theirs))
    return;
  for (gsize i = 0; ours[i] == theirs[i]; i++)
    if (ours[i] == '\n')
      line++;
  {
    g_auto(GStrv) a = g_strsplit (ours, "\n", -1);
    g_auto(GStrv) b = g_strsplit (theirs, "\n", -1);

    g_error ("%s differs from the server's at line %" G_GSIZE_FORMAT ":\n%s\nthe server's:\n%s",
             what, line, line - 1 < g_strv_length (a) ? a[line - 1] : "(end)",
             line - 1 < g_strv_length (b) ? b[line - 1] : "(end)");
  }
}

static void
verify_epoch (Run   *run,
              Epoch *e)
{
  char *exports[N_REPLICAS] = { NULL };
  g_autofree char *server_export = NULL;

  /* Twice around: what B wrote to the cases it took over reaches A too. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint r = 0; r < N_REPLICAS; r++)
      clean_sync (e, r);

  for (guint r = 0; r < N_REPLICAS; r++)
    {
      g_autofree char *out = cli (e, e->db[r], "--json", "sync", "status", NULL);
      g_autoptr(JsonNode) root = motcua_test_parse_json (out, -1);
      JsonObject *o = json_node_get_object (root);

      g_assert_cmpint (json_object_get_int_member (o, "pending"), ==, 0);
      g_assert_cmpint (json_object_get_int_member (o, "conflicts"), ==, 0);
      exports[r] = cli (e, e->db[r], "export", "--canonical", NULL);
    }

  server_stop (e);
  assert_all_integrity (e);
  server_export = cli (e, e->store, "export", "--canonical", NULL);

  for (guint r = 0; r < N_REPLICAS; r++)
    {
      g_autofree char *ours = scoped_export (exports[r], replica_info[r].office);
      g_autofree char *theirs = scoped_export (server_export, replica_info[r].office);

      assert_same_text (e->db[r], ours, theirs);
      g_free (exports[r]);
    }

  check_cases (e);
  check_changes (e);
}

static void
test_kill_during_sync (void)
{
  const char *rounds_text = g_getenv ("MOTCUA_CRASH_ROUNDS");
  const char *seed_text = g_getenv ("MOTCUA_CRASH_SEED");
  Run run = { NULL };
  guint rounds, done = 0, epochs = 0;
  gint64 start = g_get_monotonic_time ();
  gint64 budget_s;

#ifdef __SANITIZE_ADDRESS__
  rounds = 30;
  budget_s = 480;
#else
  rounds = 100;
  budget_s = 180;
#endif
  if (g_test_slow ())
    rounds = 1000;
  /* Asked for by number: all of them, however long they take. */
  if (rounds_text != NULL)
    {
      rounds = (guint) g_ascii_strtoull (rounds_text, NULL, 10);
      budget_s = G_MAXINT64;
    }
  run.seed = seed_text != NULL ? (guint32) g_ascii_strtoull (seed_text, NULL, 10)
                               : g_random_int ();
  g_test_message ("seed %u (MOTCUA_CRASH_SEED=%u replays it), %u rounds", run.seed, run.seed,
                  rounds);
  run.rand = g_rand_new_with_seed (run.seed);
  for (guint r = 0; r < N_REPLICAS; r++)
    run.estimate_us[r] = 300 * 1000;

  /* On a machine busy with other work, the suite stops at the end of an epoch once its time is
   * up (a bound on its run time, not an assertion): it says how many rounds it ran. */
  while (done < rounds && (g_get_monotonic_time () - start) / G_USEC_PER_SEC < budget_s)
    {
      g_autoptr(Epoch) e = epoch_new (epochs++);

      for (guint i = 0; i < EPOCH_ROUNDS && done < rounds
           && (g_get_monotonic_time () - start) / G_USEC_PER_SEC < budget_s; i++, done++)
        {
          run.round++;
          local_work (&run, e);
          kill_round (&run, e);
        }
      verify_epoch (&run, e);
    }

  g_test_message ("%u rounds in %u provinces, %.0f s: %u cases (%u refused), %u clients and %u"
                  " servers killed", done, epochs,
                  (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC, run.cases,
                  run.refused_cases, run.client_kills, run.server_kills);
  for (guint p = 0; p < N_PHASES; p++)
    g_test_message ("  kills landing in %s: %u", phase_names[p], run.phases[p]);
  g_rand_free (run.rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crash/kill-during-sync", test_kill_during_sync);

  return g_test_run ();
}
