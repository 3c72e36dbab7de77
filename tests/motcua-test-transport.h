/* motcua-test-transport.h: the tests' province in process, and transports that wrap another
 *
 * A test's transport starts with the fields of MotcuaTestWrapper (the transport, then the one it
 * wraps), passes an exchange on with motcua_test_pass_on() and is freed, with the one it wraps,
 * by motcua_test_wrapper_free().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-test-utils.h"
#include "motcua-transport-private.h"

G_BEGIN_DECLS

typedef struct
{
  MotcuaTransport  parent;
  MotcuaTransport *inner;
} MotcuaTestWrapper;

gboolean motcua_test_pass_on                (MotcuaTransport     *transport,
                                             MotcuaExchange      *x,
                                             GCancellable        *cancellable,
                                             GError             **error);
void     motcua_test_wrapper_free           (MotcuaTransport     *transport);

/* The tests' province (motcua_fixture_set_up()) serving as the hub of empty replicas of its
 * communes T.D.A and T.D.B and its district T.D, enrolled with it. */
typedef struct
{
  MotcuaFixture    hub;
  MotcuaFixture    a, b, d;
  char            *token_a, *token_b, *token_d;
  MotcuaHubLimits  limits;     /* the hub's, for the test to set */
} MotcuaTestProvince;

/* A GTest fixture's set-up: each replica syncs once, in process, and the sync verifies; the
 * catalogue and the offices flow down to everyone. @data: the hub's limits for these first
 * syncs (const MotcuaHubLimits *), or NULL for @p->limits. */
void     motcua_test_province_set_up        (MotcuaTestProvince  *p,
                                             gconstpointer        data);
void     motcua_test_province_tear_down     (MotcuaTestProvince  *p,
                                             gconstpointer        data);

/* Whether the digest sums @replica keeps for @office's scope are what a count from every row
 * gives; the two digests in @kept and @counted. */
gboolean motcua_test_digest_kept            (MotcuaReplica       *replica,
                                             const char          *office,
                                             char               **kept,
                                             char               **counted);

G_END_DECLS
