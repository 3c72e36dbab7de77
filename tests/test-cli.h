/* test-cli.h: what the files of test-cli share: the fixture, the sample data, running motcua-cli
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <motcua/motcua.h>

#include "motcua-test-server.h"
#include "motcua-test-utils.h"

#define OFFICE "LC.SP.TV"
#define CITIZEN "001085012345"

/* Sample data written by the tests themselves, so that they do not move when data/ does. */
extern const char offices_json[];
extern const char catalogue_json[];
extern const char calendar_json[];
extern const char cases_json[];

typedef struct
{
  char *dir;
  char *db;
} Fixture;

typedef MotcuaTestRun Run;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, motcua_test_run_free)

#define CLI_ADD(path, func) \
  g_test_add ("/cli/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

char *fixture_path (Fixture    *f,
                    const char *name);

char *write_file (Fixture    *f,
                  const char *name,
                  const char *contents);

void fixture_set_up (Fixture       *f,
                     gconstpointer  data);

void fixture_tear_down (Fixture       *f,
                        gconstpointer  data);

Run *cli_runv (Fixture           *f,
               const char *const *env,
               const char *const *argv);

Run *cli_run_valist (Fixture    *f,
                     gboolean    json,
                     const char *first,
                     va_list     args);

Run *cli_run (Fixture    *f,
             const char *first,
             ...) G_GNUC_NULL_TERMINATED;

void assert_ok (Run *run);

void assert_usage_error (Run        *run,
                         const char *needle);

void assert_error (Run        *run,
                   int         status,
                   const char *needle);

void tamper (Fixture    *f,
             const char *sql);

JsonNode *parse_json (const char *text);

char *export_state (Fixture *f);

void set_up_desk (Fixture *f);

char *receive (Fixture    *f,
               const char *procedure,
               const char *at);

JsonObject *ok_object (Run *run);

JsonObject *show_case (Fixture    *f,
                       const char *key);

void test_cli_cases_add_tests (void);
void test_cli_output_add_tests (void);
void test_cli_sync_add_tests (void);
