/* test-attachments.h: what the files of test-attachments share: the province, helpers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "motcua-hub-private.h"
#include "motcua-test-transport.h"
#include "motcua-test-utils.h"

typedef MotcuaTestProvince Province;

/* A transport around the in-process one: counts the chunks and bytes of scans, and cuts the
 * link after a number of them. A cut upload loses the answer (the hub stored the chunk, the
 * replica does not know it); a cut download loses the request. */
typedef struct
{
  MotcuaTransport  parent;
  MotcuaTransport *inner;
  int              puts_left;     /* cut at the PUT after this many; -1: never */
  int              gets_left;
  gboolean         refuse_blobs;  /* every request about blobs fails, as if offline */
  guint            puts, gets;
  guint64          put_bytes, get_bytes;
} CutTransport;

#define ATTACHMENTS_ADD(path, func) \
  g_test_add (path, Province, NULL, motcua_test_province_set_up, func, \
              motcua_test_province_tear_down)

CutTransport *cut_new (Province   *p,
                       const char *token);

gboolean sync_through (MotcuaFixture      *replica,
                       CutTransport       *transport,
                       MotcuaSyncProgress *summary,
                       GError            **error);

void sync_replica (Province           *p,
                   MotcuaFixture      *replica,
                   const char         *token,
                   MotcuaSyncProgress *summary);

MotcuaCase *receive (MotcuaFixture *f,
                     const char    *name);

GBytes *scan_bytes (gsize   size,
                    guint32 seed);

MotcuaAttachment *attach (MotcuaFixture *f,
                          const char    *case_id,
                          GBytes        *data);

void assert_bytes_equal (GBytes *a,
                         GBytes *b);

MotcuaHubResponse *hub_request (Province   *p,
                                const char *method,
                                const char *token,
                                const char *path,
                                const char *query,
                                GBytes     *body);

char *error_code (MotcuaHubResponse *response);

MotcuaBlobState hub_blob (Province   *p,
                          const char *sha256);

void test_attachments_sync_add_tests (void);
