/* test-hub.h: what the files of test-hub share: the province fixture and its helpers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "motcua-hub-private.h"
#include "motcua-test-utils.h"

typedef MotcuaTestProvince Province;

/* Small batches, so that resuming from a cursor is exercised. */
extern const MotcuaHubLimits small_batches;

#define HUB_ADD(path, func) \
  g_test_add (path, Province, &small_batches, motcua_test_province_set_up, func, \
              motcua_test_province_tear_down)

void sync_replica (Province      *p,
                   MotcuaFixture *replica,
                   const char    *token,
                   JsonArray    **rejected_out);

/* One sync in process, which must not fail; its summary. */
MotcuaSyncProgress sync_once (Province      *p,
                              MotcuaFixture *f,
                              const char    *token);

MotcuaCase *receive_on (MotcuaReplica *replica,
                        const char    *name);

MotcuaCase *receive (MotcuaFixture *f,
                     const char    *name);

JsonObject *forged_change (MotcuaFixture *f,
                           guint64        seq,
                           guint          logical,
                           const char    *table,
                           const char    *row,
                           const char    *column,
                           JsonNode      *value);

void forge_office (JsonArray     *forged,
                   MotcuaFixture *f,
                   guint64        seq,
                   guint          logical,
                   const char    *row,
                   const char    *column,
                   const char    *code);

MotcuaCaseEvent *dup_event (MotcuaReplica *replica,
                            const char    *case_id,
                            const char    *id,
                            const char    *ref);

gint64 open_conflicts (MotcuaReplica *replica);

guint post (Province   *p,
            const char *token,
            const char *path,
            const char *body,
            char      **answer);

guint sync_refused (Province      *p,
                    MotcuaFixture *f,
                    const char    *token);

void sync_desk (Province      *p,
                MotcuaFixture *f,
                const char    *token);

void bind_desk (Province      *p,
                MotcuaFixture *f,
                const char    *token);

void test_hub_push_add_tests (void);
void test_hub_pull_add_tests (void);
void test_hub_conflicts_add_tests (void);
void test_hub_desks_add_tests (void);
void test_hub_restore_add_tests (void);
void test_hub_reorganisation_add_tests (void);
void test_hub_apology_add_tests (void);
void test_hub_digest_add_tests (void);
