/* fuzz-common.h: the small province the fuzz targets run against
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "motcua-hub-private.h"
#include "motcua-test-utils.h"

G_BEGIN_DECLS

/* Fixed identities, so that the seed corpus can name them. Commune T.D.A's replica pushes as
 * FUZZ_ORIGIN_A and has received FUZZ_CASE_A; commune T.D.B's, FUZZ_ORIGIN_B and FUZZ_CASE_B. */
#define FUZZ_ORIGIN_A "019559bb-4500-7000-8000-00000000000a"
#define FUZZ_ORIGIN_B "019559bb-4500-7000-8000-00000000000b"
#define FUZZ_CASE_A   "019559bb-4500-7000-8000-0000000ca5ea"
#define FUZZ_CASE_B   "019559bb-4500-7000-8000-0000000ca5eb"

typedef struct
{
  MotcuaFixture  hub;        /* the province T (the fixture of the tests), serving the others */
  MotcuaFixture  a;          /* commune T.D.A's replica (only when kept) */
  gboolean       has_a;
  char          *a_case_id;  /* FUZZ_CASE_A's real id on a */
  MotcuaHubPeer *peer_a;     /* T.D.A's token, bound to FUZZ_ORIGIN_A */
  MotcuaFixture  desk;       /* a second desk of T.D.A (the replica of fuzz-changes) */
  MotcuaFixture  district;   /* T.D, synced through the protocol (the oracle of fuzz-push) */
  char          *token_d;
} FuzzProvince;

/* Once per process, before anything else: GLib's criticals and warnings abort, replicas go to
 * a fresh directory under $MOTCUA_FUZZ_DIR, else /dev/shm (no fsync cost), else $TMPDIR. */
void          fuzz_process_init     (void);

/* The hub with T, T.D, T.D.A, T.D.B and the fixture's two procedures; FUZZ_CASE_A pushed by
 * T.D.A as FUZZ_ORIGIN_A and FUZZ_CASE_B by T.D.B as FUZZ_ORIGIN_B, for real (received on a
 * commune replica holding the hub's catalogue, its changes renamed); the second desk has merged
 * the catalogue and FUZZ_CASE_A; the district has synced. With @keep_a, the replica of T.D.A
 * stays open for making more changes (fuzz-seeds). */
FuzzProvince *fuzz_province_new     (gboolean       keep_a);
void          fuzz_province_free    (FuzzProvince  *p);

/* Pushes the changes of @p->a that the hub has not acknowledged, renamed as FUZZ_ORIGIN_A's
 * (its first case as FUZZ_CASE_A); the hub must accept them all. Returns them as a seed of
 * fuzz-push: "s" from 1. */
JsonArray    *fuzz_province_push_a  (FuzzProvince  *p);
/* Syncs the district with the hub through the protocol (a local transport): it pulls what is
 * new in its scope, and its digest of its scope must then be the hub's. */
gboolean      fuzz_sync_district    (FuzzProvince   *p,
                                     GError        **error);

/* Renames @from_case as @to_case wherever it appears ("r", "v", a row's "case_id"). */
void          fuzz_rename_case      (JsonArray     *changes,
                                     const char    *from_case,
                                     const char    *to_case);

/* _motcua_hub_push(), the one place that knows its signature. */
gboolean      fuzz_hub_push         (MotcuaReplica  *hub,
                                     MotcuaHubPeer  *peer,
                                     JsonArray      *changes,
                                     guint64        *acked_out,
                                     JsonArray     **rejected_out,
                                     GError        **error);

/* PRAGMA quick_check must answer ok; no transaction may be left open. */
void          fuzz_check_replica    (MotcuaReplica *replica,
                                     gboolean       quick_check);

/* The inputs of a process are not independent: the hub and its replicas keep what each one
 * did. When $MOTCUA_FUZZ_RECORD names a directory, every input since the province was last
 * made is written there, numbered in order (the directory is emptied when @renewed), so that
 * a failure that needed earlier inputs replays: run the target on those files, in order. */
void          fuzz_record           (const guint8  *data,
                                     gsize          size,
                                     gboolean       renewed);

/* Every this many inputs, PRAGMA quick_check; every FUZZ_RENEW_EVERY, the province is made
 * anew, so that its growth does not slow the run. */
#define FUZZ_QUICK_CHECK_EVERY 500
#define FUZZ_RENEW_EVERY       20000

/* The province for the input @data: made on the first input and anew every FUZZ_RENEW_EVERY
 * (freed at exit); the input is recorded (fuzz_record()) and counted, *@n_inputs being the
 * count with it. */
FuzzProvince *fuzz_province_for_input (const guint8 *data,
                                       gsize         size,
                                       guint64      *n_inputs);

/* Whether to skip @data rather than parse it: when it is not one array or object, or the server
 * would refuse it before parsing it (_motcua_json_scan(): not JSON by RFC 8259, nested deeper
 * than MOTCUA_JSON_MAX_DEPTH, a \u escape that is not four hex digits, a lone surrogate,
 * \u0000). json-glib 1.6, which the target parses the input with, has defects on some of those:
 * it parses (and frees) recursively, so a body of ~80,000 "[" overflows an 8 MiB stack; it
 * accepts a value followed by an array or an object ("[1] [2]"), keeping the first and leaking
 * the rest; and it leaks 152 bytes on a string such as "\ud83d\u0041". */
gboolean      fuzz_json_skip        (const char    *data,
                                     gsize          size);

/* The changes of a push body: {"changes": [...]} or a bare array; NULL otherwise. Borrowed. */
JsonArray    *fuzz_changes_of       (JsonNode      *root);
/* The changes in @data (see fuzz_changes_of()), parsed by @parser; NULL when @data is to be
 * skipped (fuzz_json_skip()), is not JSON or holds no changes. Borrowed from @parser. */
JsonArray    *fuzz_parse_changes    (JsonParser    *parser,
                                     const guint8  *data,
                                     gsize          size);

G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
void          fuzz_fail             (const char    *format,
                                     ...);

G_END_DECLS
