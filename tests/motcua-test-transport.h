/* motcua-test-transport.h: transports that wrap another one, for the tests' faults
 *
 * A test's transport starts with the fields of MotcuaTestWrapper (the transport, then the one it
 * wraps), passes an exchange on with motcua_test_pass_on() and is freed, with the one it wraps,
 * by motcua_test_wrapper_free().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-transport-private.h"

G_BEGIN_DECLS

typedef struct
{
  MotcuaTransport  parent;
  MotcuaTransport *inner;
} MotcuaTestWrapper;

static inline gboolean
motcua_test_pass_on (MotcuaTransport  *transport,
                     MotcuaExchange   *x,
                     GCancellable     *cancellable,
                     GError          **error)
{
  MotcuaTransport *inner = ((MotcuaTestWrapper *) transport)->inner;

  return inner->klass->exchange (inner, x, cancellable, error);
}

static inline void
motcua_test_wrapper_free (MotcuaTransport *transport)
{
  _motcua_transport_free (((MotcuaTestWrapper *) transport)->inner);
  g_free (transport);
}

G_END_DECLS
