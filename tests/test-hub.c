/* test-hub.c: replicas syncing through a hub, the provincial server's core
 *
 * A province hub with a district T.D and its communes T.D.A and T.D.B; a replica for each of
 * the two communes and the district, enrolled with a token each. Syncing is what motcua-cli
 * sync will do over HTTP: push the replica's changes past what the hub acknowledged, then pull
 * the hub's changes in scope past the replica's cursor, in small batches.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-hub-private.h"
#include "motcua-protocol-private.h"
#include "motcua-test-transport.h"
#include "motcua-test-utils.h"
#include "test-hub.h"

const MotcuaHubLimits small_batches = { .max_changes_per_pull = 7 };

void
sync_replica (Province      *p,
              MotcuaFixture *replica,
              const char    *token,
              JsonArray    **rejected_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaTransport) transport = NULL;
  MotcuaSyncProgress summary;

  transport = _motcua_transport_new_local (p->hub.replica, &small_batches, token);
  _motcua_sync_once (replica->replica, transport, NULL, NULL, NULL, &summary, &error);
  g_assert_no_error (error);
  g_assert_true (summary.verified);
  g_assert_false (summary.repulled);
  g_assert_false (summary.recounted);
  g_assert_null (rejected_out);
}

MotcuaSyncProgress
sync_once (Province      *p,
           MotcuaFixture *f,
           const char    *token)
{
  g_autoptr(MotcuaTransport) transport = _motcua_transport_new_local (p->hub.replica,
                                                                      &small_batches, token);
  g_autoptr(GError) error = NULL;
  MotcuaSyncProgress summary;

  _motcua_sync_once (f->replica, transport, NULL, NULL, NULL, &summary, &error);
  g_assert_no_error (error);

  return summary;
}

MotcuaCase *
receive_on (MotcuaReplica *replica,
            const char    *name)
{
  MotcuaReception r = { .procedure_code = "HT.KS", .applicant_name = name,
                        .citizen_id = "012345678901" };
  g_autoptr(GError) error = NULL;
  MotcuaCase *c = motcua_replica_receive (replica, &r, &error);

  g_assert_no_error (error);

  return c;
}

MotcuaCase *
receive (MotcuaFixture *f,
         const char    *name)
{
  return receive_on (f->replica, name);
}

static void
test_catalogue_down (Province      *p,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaProcedure) procedure = motcua_replica_dup_procedure (p->a.replica, "DD.BD",
                                                                       &error);
  g_autoptr(GPtrArray) offices = motcua_replica_list_offices (p->d.replica, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (procedure->name, ==, "Đăng ký biến động đất đai");
  g_assert_cmpuint (offices->len, ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  HUB_ADD ("/hub/catalogue-down", test_catalogue_down);
  test_hub_conflicts_add_tests ();
  test_hub_push_add_tests ();
  test_hub_pull_add_tests ();
  test_hub_desks_add_tests ();
  test_hub_restore_add_tests ();
  test_hub_reorganisation_add_tests ();
  test_hub_apology_add_tests ();
  test_hub_digest_add_tests ();

  return g_test_run ();
}
