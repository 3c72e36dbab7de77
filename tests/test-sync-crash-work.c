/* test-sync-crash-work.c: test-sync-crash's rounds: local work, syncs, and the kills
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
#include "test-sync-crash.h"

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

void
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
void
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

void
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
