/* test-security.h: what the files of test-security share: the served province, HTTP helpers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "motcua-test-server.h"
#include "motcua-test-utils.h"

#define PROCEDURE "MAU.HT.001"
#define MAX_BODY  (1024 * 1024)
/* Longer than any field may be, and short enough for a command line. */
#define HUGE_FIELD (100 * 1024)

enum { A, B, D, N_REPLICAS };
static const MotcuaTestReplicaInfo *const replica_info = motcua_test_lc_replicas;
G_STATIC_ASSERT (G_N_ELEMENTS (motcua_test_lc_replicas) == N_REPLICAS);

typedef struct
{
  char        *dir;
  char        *store;
  char        *url;
  GSubprocess *server;
  char        *log;
  char        *db[N_REPLICAS];
  char        *token[N_REPLICAS];
  GPtrArray   *b_ids;        /* B's case ids */
  GPtrArray   *b_receipts;   /* and receipt numbers */
  char        *a_id;         /* one of A's cases */
} Fixture;

typedef MotcuaTestReply Reply;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, motcua_test_reply_free)

#define SECURITY_ADD(path, func) \
  g_test_add ("/server/security/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

void fixture_set_up (Fixture       *f,
                     gconstpointer  data);

void fixture_tear_down (Fixture       *f,
                        gconstpointer  data);

GPtrArray *argv_new (const char *program,
                     const char *flag,
                     const char *path);

int run_argv (Fixture    *f,
              GPtrArray  *argv,
              char      **out,
              char      **err);

char *admin (Fixture    *f,
             const char *first,
             ...) G_GNUC_NULL_TERMINATED;

char *cli (Fixture    *f,
           guint       r,
           const char *first,
           ...) G_GNUC_NULL_TERMINATED;

void server_start (Fixture    *f,
                   const char *extra);

void server_stop (Fixture *f);

char *receive (Fixture     *f,
               guint        r,
               const char  *name,
               const char  *citizen_id,
               char       **receipt);

char *v1 (const char *endpoint);

Reply *request_full (Fixture    *f,
                     const char *method,
                     const char *path,
                     const char *authorization,
                     const char *content_encoding,
                     GBytes     *body);

Reply *request (Fixture    *f,
                const char *method,
                const char *path,
                const char *token,
                const char *body);

char *assert_error (Reply      *reply,
                    guint       status,
                    const char *code);

JsonNode *assert_ok (Reply *reply);

void assert_still_serving (Fixture *f);

void assert_nothing_of_b (Fixture    *f,
                          const char *bytes,
                          gsize       length);

void assert_all_of_b (Fixture    *f,
                      const char *bytes,
                      gsize       length);

char *uuid_of (const char *kind,
               const char *key);

gint64 hlc_now (void);

JsonObject *change_new (const char *origin,
                        gint64      seq,
                        const char *table,
                        const char *row,
                        const char *column);

void add_text_change (JsonArray  *changes,
                      const char *origin,
                      const char *table,
                      const char *row,
                      const char *column,
                      const char *value);

char *push_body (JsonArray *changes);

JsonArray *push_refused (Fixture    *f,
                         const char *token,
                         JsonArray  *changes,
                         Reply     **reply_out);

void push_all_refused (Fixture    *f,
                       const char *token,
                       JsonArray  *changes,
                       const char *reason);

char *enroll_token (Fixture    *f,
                    const char *office);

char *district_state (Fixture *f);

gint64 acked (Fixture    *f,
              const char *token);

void test_security_scope_add_tests (void);
void test_security_input_add_tests (void);
