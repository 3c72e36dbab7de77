/* test-server.h: what the files of test-server share: the fixture, running motcua-server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <motcua/motcua.h>

#include "motcua-test-server.h"
#include "motcua-test-utils.h"

typedef struct
{
  char *dir;
  char *store;
} Fixture;

typedef MotcuaTestRun Run;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, motcua_test_run_free)

#define SERVER_ADD(path, func) \
  g_test_add ("/server/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

void fixture_set_up (Fixture       *f,
                     gconstpointer  data);

void fixture_tear_down (Fixture       *f,
                        gconstpointer  data);

char *write_file (Fixture    *f,
                  const char *name,
                  const char *contents);

char *data_file (const char *name);

Run *server_run (Fixture    *f,
                 const char *first,
                 ...) G_GNUC_NULL_TERMINATED;

void assert_ok (Run *run);

void assert_error (Run        *run,
                   int         status,
                   const char *needle);

void assert_json_error (const char *body,
                        gssize      length,
                        const char *code);

void init_store (Fixture *f);

void test_server_serve_add_tests (void);
