/* motcua-test-transport.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include "motcua-hub-private.h"
#include "motcua-test-transport.h"

gboolean
motcua_test_pass_on (MotcuaTransport  *transport,
                     MotcuaExchange   *x,
                     GCancellable     *cancellable,
                     GError          **error)
{
  MotcuaTransport *inner = ((MotcuaTestWrapper *) transport)->inner;

  return inner->klass->exchange (inner, x, cancellable, error);
}

void
motcua_test_wrapper_free (MotcuaTransport *transport)
{
  _motcua_transport_free (((MotcuaTestWrapper *) transport)->inner);
  g_free (transport);
}

static void
first_sync (MotcuaTestProvince    *p,
            const MotcuaHubLimits *limits,
            MotcuaFixture         *replica,
            const char            *token)
{
  g_autoptr(MotcuaTransport) transport = _motcua_transport_new_local (p->hub.replica, limits,
                                                                      token);
  g_autoptr(GError) error = NULL;
  MotcuaSyncProgress summary;

  _motcua_sync_once (replica->replica, transport, NULL, NULL, NULL, &summary, &error);
  g_assert_no_error (error);
  g_assert_true (summary.verified);
  g_assert_false (summary.repulled);
  g_assert_false (summary.recounted);
}

void
motcua_test_province_set_up (MotcuaTestProvince *p,
                             gconstpointer       data)
{
  const MotcuaHubLimits *limits = data != NULL ? data : &p->limits;
  g_autoptr(GError) error = NULL;

  motcua_fixture_set_up (&p->hub, NULL);
  motcua_fixture_set_up_empty (&p->a, MOTCUA_LEVEL_COMMUNE, "T.D.A");
  motcua_fixture_set_up_empty (&p->b, MOTCUA_LEVEL_COMMUNE, "T.D.B");
  motcua_fixture_set_up_empty (&p->d, MOTCUA_LEVEL_DISTRICT, "T.D");

  p->token_a = _motcua_hub_enroll (p->hub.replica, "T.D.A", &error);
  p->token_b = _motcua_hub_enroll (p->hub.replica, "T.D.B", &error);
  p->token_d = _motcua_hub_enroll (p->hub.replica, "T.D", &error);
  g_assert_no_error (error);

  first_sync (p, limits, &p->a, p->token_a);
  first_sync (p, limits, &p->b, p->token_b);
  first_sync (p, limits, &p->d, p->token_d);
}

void
motcua_test_province_tear_down (MotcuaTestProvince *p,
                                gconstpointer       data)
{
  motcua_fixture_tear_down (&p->a, NULL);
  motcua_fixture_tear_down (&p->b, NULL);
  motcua_fixture_tear_down (&p->d, NULL);
  motcua_fixture_tear_down (&p->hub, NULL);
  g_free (p->token_a);
  g_free (p->token_b);
  g_free (p->token_d);
}

gboolean
motcua_test_digest_kept (MotcuaReplica  *replica,
                         const char     *office,
                         char          **kept,
                         char          **counted)
{
  g_autoptr(GError) error = NULL;

  *kept = _motcua_replica_scope_digest (replica, office, &error);
  g_assert_no_error (error);
  *counted = _motcua_replica_scope_recount (replica, office, &error);
  g_assert_no_error (error);

  return g_strcmp0 (*kept, *counted) == 0;
}
