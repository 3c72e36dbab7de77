/* motcua-store-digest-private.h: the digest of a scope, kept as rows are written
 *
 * The integrity digest (sync/PROTOCOL.md, pull) is the sum of a 128-bit hash of every row's
 * replicated state. Recounting it walks the whole scope; so the store keeps the sums instead,
 * in the transaction of every write, by triggers on the replicated tables: a case's hash with
 * those of its timeline, scans and conflicts (digest_cases), and the sums of the cases per
 * bucket (digest_sums): the office that received a case while it holds it and the office that
 * handles it. The offices, the catalogue, the calendar and the conflicts about no case are in
 * the bucket every scope holds. The digest of a scope is then a few rows read.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-store-rows-private.h"

G_BEGIN_DECLS

/* A sum of row hashes: two 64-bit lanes, added modulo 2^64, so the same whatever order the rows
 * are added in. */
typedef struct
{
  guint64 lanes[2];
} MotcuaDigest;

void          _motcua_digest_add            (MotcuaDigest            *sum,
                                             const MotcuaDigest      *x);
void          _motcua_digest_subtract       (MotcuaDigest            *sum,
                                             const MotcuaDigest      *x);
/* As the protocol prints it: 32 hexadecimal digits. */
char         *_motcua_digest_to_string      (const MotcuaDigest      *digest);

/* The hash of a row's replicated state: SHA-256 of the canonical bytes of its table's name, its
 * id and, for every column written by a replica, the column's number, the value's type and
 * bytes (integers as 8 bytes big-endian, text with its length first, ids as 16 bytes) and the
 * register's HLC and origin; its first 16 bytes as two big-endian lanes. @values has one per
 * column (the status as its "generation:name" register value); @registers is NULL for a row of
 * an insert-only table, whose columns that are not NULL count. FALSE (and @out zero) for a row
 * no replica wrote (reference data loaded from a file): it is not replicated state. */
gboolean      _motcua_row_digest            (const MotcuaTableDesc   *table,
                                             const guint8            *id,
                                             const MotcuaValue       *values,
                                             const MotcuaRowRegister *registers,
                                             MotcuaDigest            *out);

/* Registers the SQL functions and the triggers that keep the sums on this connection, and
 * counts the sums again when they were never counted (a store made or migrated by an older
 * build). Called when the replica is opened. */
gboolean      _motcua_store_digest_install  (MotcuaReplica           *self,
                                             GError                 **error);
/* Counts every sum again from the rows, in a transaction. */
gboolean      _motcua_store_digest_rebuild  (MotcuaReplica           *self,
                                             GError                 **error);

/* A bucket's sum: @receiver and @handler are 16-byte office ids or NULL; both NULL with
 * @everyone for the bucket in every scope. */
typedef struct
{
  const guint8 *receiver;
  const guint8 *handler;
  gboolean      everyone;
  MotcuaDigest  sum;
} MotcuaDigestBucket;

typedef gboolean (*MotcuaDigestBucketFunc) (const MotcuaDigestBucket  *bucket,
                                            gpointer                   user_data,
                                            GError                   **error);

/* Every bucket's sum. */
gboolean      _motcua_store_digest_foreach_bucket (MotcuaReplica          *self,
                                                   MotcuaDigestBucketFunc  each,
                                                   gpointer                user_data,
                                                   GError                **error);
/* What a replica's digest leaves out of the sums, with the bucket it is in: a case the server
 * said is not ours or that waits for the server (with its timeline, scans and conflicts), and
 * a row of a timeline or a scan the server refused. */
gboolean      _motcua_store_digest_foreach_left_out (MotcuaReplica          *self,
                                                     MotcuaDigestBucketFunc  each,
                                                     gpointer                user_data,
                                                     GError                **error);

G_END_DECLS
