/* fuzz-common.c: the small province the fuzz targets run against
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define MOTCUA_COMPILATION
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "motcua-error.h"
#include "motcua-json-scan-private.h"
#include "motcua-protocol-private.h"
#include "motcua-transport-private.h"

static char *fuzz_dir;

void
fuzz_fail (const char *format,
           ...)
{
  va_list args;

  va_start (args, format);
  fputs ("fuzz: INVARIANT BROKEN: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  fflush (stderr);
  abort ();
}

/* Every message goes through here (g_log() too). GLib's own fatal messages may end in SIGTRAP,
 * which libFuzzer does not catch: abort(), so that it reports the input. */
static GLogWriterOutput
fatal_writer (GLogLevelFlags   level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  GLogWriterOutput out = g_log_writer_default (level, fields, n_fields, user_data);

  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) != 0)
    {
      fputs ("fuzz: a GLib critical or warning (above) is a bug\n", stderr);
      abort ();
    }

  return out;
}

static void
remove_fuzz_dir (void)
{
  if (fuzz_dir != NULL)
    motcua_test_rm_rf (fuzz_dir);
  g_clear_pointer (&fuzz_dir, g_free);
}

void
fuzz_process_init (void)
{
  static gboolean done = FALSE;
  const char *base = getenv ("MOTCUA_FUZZ_DIR");
  g_autofree char *template = NULL;

  if (done)
    return;
  done = TRUE;

  /* GLib's slices would hide leaks from LeakSanitizer (the runner sets it too). */
  setenv ("G_SLICE", "always-malloc", 0);

  /* A critical (a g_return_if_fail) or a warning is a bug the fuzzer must report. */
  g_log_set_writer_func (fatal_writer, NULL, NULL);

  /* Replicas are durable (synchronous=FULL): on tmpfs an fsync costs nothing. */
  if (base == NULL || *base == '\0')
    base = access ("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv ("TMPDIR");
  if (base == NULL || *base == '\0')
    base = "/tmp";
  template = g_build_filename (base, "motcua-fuzz-XXXXXX", NULL);
  if (g_mkdtemp (template) == NULL)
    fuzz_fail ("cannot make a directory in %s: %s", base, g_strerror (errno));
  fuzz_dir = g_steal_pointer (&template);
  /* The fixtures of the tests make their directories in $TMPDIR (g_get_tmp_dir() reads it once,
   * and nothing has called it yet). */
  g_setenv ("TMPDIR", fuzz_dir, TRUE);
  atexit (remove_fuzz_dir);
}

void
fuzz_record (const guint8 *data,
             gsize         size,
             gboolean      renewed)
{
  static guint64 n_recorded;
  const char *dir = getenv ("MOTCUA_FUZZ_RECORD");
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL || *dir == '\0')
    return;
  if (renewed)
    {
      if (n_recorded > 0)
        motcua_test_rm_rf (dir);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        fuzz_fail ("cannot make %s: %s", dir, g_strerror (errno));
      n_recorded = 0;
    }
  name = g_strdup_printf ("%08" G_GUINT64_FORMAT, n_recorded++);
  path = g_build_filename (dir, name, NULL);
  if (!g_file_set_contents (path, (const char *) data, (gssize) size, &error))
    fuzz_fail ("cannot record the input: %s", error->message);
}

static FuzzProvince *province;

static void
free_province (void)
{
  g_clear_pointer (&province, fuzz_province_free);
}

FuzzProvince *
fuzz_province_for_input (const guint8 *data,
                         gsize         size,
                         guint64      *n_inputs)
{
  static guint64 n;
  gboolean renewed = province == NULL || (n > 0 && n % FUZZ_RENEW_EVERY == 0);

  if (renewed)
    {
      if (province == NULL)
        atexit (free_province);
      free_province ();
      province = fuzz_province_new (FALSE);
    }
  fuzz_record (data, size, renewed);
  *n_inputs = ++n;

  return province;
}

gboolean
fuzz_json_skip (const char *data,
                gsize       size)
{
  MotcuaJsonValue value;

  return !_motcua_json_scan (data, size, &value, NULL)
         || (value.kind != MOTCUA_JSON_ARRAY && value.kind != MOTCUA_JSON_OBJECT);
}

JsonArray *
fuzz_changes_of (JsonNode *root)
{
  JsonNode *changes;

  if (root == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (root))
    return json_node_get_array (root);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  changes = json_object_get_member (json_node_get_object (root), "changes");

  return changes != NULL && JSON_NODE_HOLDS_ARRAY (changes) ? json_node_get_array (changes) : NULL;
}

void
fuzz_check_replica (MotcuaReplica *replica,
                    gboolean       quick_check)
{
  sqlite3_stmt *stmt = NULL;

  if (replica->tx_depth != 0 || !sqlite3_get_autocommit (replica->db))
    fuzz_fail ("%s: a transaction was left open (depth %u)", replica->path, replica->tx_depth);

  if (!quick_check)
    return;

  if (sqlite3_prepare_v2 (replica->db, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW
      || g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    fuzz_fail ("%s: PRAGMA quick_check: %s", replica->path,
               stmt != NULL && sqlite3_column_text (stmt, 0) != NULL
               ? (const char *) sqlite3_column_text (stmt, 0) : sqlite3_errmsg (replica->db));
  sqlite3_finalize (stmt);
}

void
fuzz_rename_case (JsonArray  *changes,
                  const char *from_case,
                  const char *to_case)
{
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *o = json_array_get_object_element (changes, i);
      JsonNode *v = json_object_get_member (o, "v");

      if (g_strcmp0 (json_object_get_string_member_with_default (o, "r", NULL), from_case) == 0)
        json_object_set_string_member (o, "r", to_case);
      if (v != NULL && JSON_NODE_HOLDS_VALUE (v)
          && g_strcmp0 (json_node_get_string (v), from_case) == 0)
        json_object_set_string_member (o, "v", to_case);
      if (v != NULL && JSON_NODE_HOLDS_OBJECT (v)
          && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (v),
                                                                    "case_id", NULL),
                        from_case) == 0)
        json_object_set_string_member (json_node_get_object (v), "case_id", to_case);
    }
}

static char *
enroll (FuzzProvince   *p,
        const char     *office,
        MotcuaHubPeer **peer_out)
{
  g_autoptr(GError) error = NULL;
  char *token = _motcua_hub_enroll (p->hub.replica, office, &error);

  g_assert_no_error (error);
  if (peer_out != NULL)
    {
      *peer_out = _motcua_hub_authenticate (p->hub.replica, token, &error);
      g_assert_no_error (error);
    }

  return token;
}

gboolean
fuzz_hub_push (MotcuaReplica  *hub,
               MotcuaHubPeer  *peer,
               JsonArray      *changes,
               guint64        *acked_out,
               JsonArray     **rejected_out,
               GError        **error)
{
  guint n_conflicts = 0;

  return _motcua_hub_push (hub, peer, changes, acked_out, rejected_out, &n_conflicts, error);
}

gboolean
fuzz_sync_district (FuzzProvince  *p,
                    GError       **error)
{
  static int enabled = -1;
  MotcuaHubLimits limits = { 0 };
  g_autoptr(MotcuaTransport) transport = _motcua_transport_new_local (p->hub.replica, &limits,
                                                                       p->token_d);
  MotcuaSyncProgress summary = { 0 };

  /* MOTCUA_FUZZ_DISTRICT=0 leaves the district out (to fuzz a tree whose sync is broken). */
  if (enabled < 0)
    enabled = g_strcmp0 (g_getenv ("MOTCUA_FUZZ_DISTRICT"), "0") != 0;
  if (!enabled)
    return TRUE;

  if (!_motcua_sync_once (p->district.replica, transport, NULL, NULL, NULL, &summary, error))
    return FALSE;
  if (!summary.verified)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                   "the district's digest of its scope differs from the hub's");
      return FALSE;
    }

  return TRUE;
}

/* Pushes @changes as @peer's, which must accept them all. */
static void
push_all (FuzzProvince  *p,
          MotcuaHubPeer *peer,
          JsonArray     *changes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rejected = NULL;
  guint64 acked = 0;

  fuzz_hub_push (p->hub.replica, peer, changes, &acked, &rejected, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rejected), ==, 0);
}

static void
set_origin (JsonArray  *changes,
            const char *origin)
{
  for (guint i = 0; i < json_array_get_length (changes); i++)
    json_object_set_string_member (json_array_get_object_element (changes, i), "o", origin);
}

/* A replica of @office with the province's catalogue and offices, merged as a pull brings them
 * (the hub's own changes), never synced: the hub knows nothing of it. */
static void
new_replica (FuzzProvince  *p,
             MotcuaFixture *f,
             MotcuaLevel    level,
             const char    *office,
             JsonArray     *catalogue)
{
  g_autoptr(GError) error = NULL;

  motcua_fixture_set_up_empty (f, level, office);
  g_assert_true (_motcua_replica_apply_changes (f->replica, catalogue, NULL, &error));
  g_assert_no_error (error);
}

/* A commune's replica receives a case; its changes, renamed (pushed as @origin, the case as
 * @case_id), are pushed as @peer's. Returns them; the case's real id in @id_out. */
static JsonArray *
receive_and_push (FuzzProvince  *p,
                  MotcuaFixture *commune,
                  MotcuaHubPeer *peer,
                  const char    *origin,
                  const char    *case_id,
                  const char    *name,
                  char         **id_out)
{
  static const guint papers[] = { 0, 1 };
  MotcuaReception r = {
    .procedure_code = "HT.KS", .applicant_name = name, .citizen_id = "012345678901",
    .phone = "0912345678", .address = "Bản Nậm Manh", .channel = MOTCUA_CHANNEL_COUNTER,
    .papers = papers, .n_papers = G_N_ELEMENTS (papers), .note = "Nhận tại quầy",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MotcuaCase) c = NULL;
  JsonArray *changes;

  c = motcua_replica_receive (commune->replica, &r, &error);
  g_assert_no_error (error);
  changes = _motcua_replica_collect_changes (commune->replica, 0, 0, &error);
  g_assert_no_error (error);
  set_origin (changes, origin);
  fuzz_rename_case (changes, c->id, case_id);
  push_all (p, peer, changes);
  g_assert_true (_motcua_replica_set_acked (commune->replica,
                                            motcua_replica_get_last_seq (commune->replica),
                                            &error));
  if (id_out != NULL)
    *id_out = g_strdup (c->id);

  return changes;
}

FuzzProvince *
fuzz_province_new (gboolean keep_a)
{
  FuzzProvince *p = g_new0 (FuzzProvince, 1);
  g_autoptr(MotcuaHubPeer) peer_b = NULL;
  g_autoptr(JsonArray) catalogue = NULL;
  g_autoptr(JsonArray) case_a = NULL;
  g_autoptr(JsonArray) case_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  MotcuaFixture b;

  fuzz_process_init ();

  motcua_fixture_set_up (&p->hub, NULL);
  catalogue = _motcua_replica_collect_changes (p->hub.replica, 0, 0, &error);
  g_assert_no_error (error);

  new_replica (p, &p->a, MOTCUA_LEVEL_COMMUNE, "T.D.A", catalogue);
  new_replica (p, &b, MOTCUA_LEVEL_COMMUNE, "T.D.B", catalogue);
  p->has_a = TRUE;
  token_a = enroll (p, "T.D.A", &p->peer_a);
  token_b = enroll (p, "T.D.B", &peer_b);
  case_a = receive_and_push (p, &p->a, p->peer_a, FUZZ_ORIGIN_A, FUZZ_CASE_A, "Lò Văn Pằng",
                             &p->a_case_id);
  case_b = receive_and_push (p, &b, peer_b, FUZZ_ORIGIN_B, FUZZ_CASE_B, "Hà Thị Mai", NULL);
  motcua_fixture_tear_down (&b, NULL);
  if (!keep_a)
    {
      motcua_fixture_tear_down (&p->a, NULL);
      p->has_a = FALSE;
    }

  /* A second desk of T.D.A holds the catalogue and its commune's case, merged. */
  new_replica (p, &p->desk, MOTCUA_LEVEL_COMMUNE, "T.D.A", catalogue);
  g_assert_true (_motcua_replica_apply_changes (p->desk.replica, case_a, NULL, &error));
  g_assert_no_error (error);

  /* The district syncs for real: it sees both cases. */
  motcua_fixture_set_up_empty (&p->district, MOTCUA_LEVEL_DISTRICT, "T.D");
  p->token_d = enroll (p, "T.D", NULL);
  fuzz_sync_district (p, &error);
  g_assert_no_error (error);

  /* The hub's clock a day on: every stamp of the seed corpus is in its past. */
  p->hub.now_ms += 24 * 3600 * 1000;

  fuzz_check_replica (p->hub.replica, TRUE);
  fuzz_check_replica (p->desk.replica, TRUE);
  fuzz_check_replica (p->district.replica, TRUE);

  return p;
}

JsonArray *
fuzz_province_push_a (FuzzProvince *p)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) changes = NULL;
  guint64 acked;
  JsonArray *seed;

  g_assert_true (p->has_a);
  acked = _motcua_replica_get_acked (p->a.replica);
  changes = _motcua_replica_collect_changes (p->a.replica, acked, 0, &error);
  g_assert_no_error (error);
  set_origin (changes, FUZZ_ORIGIN_A);
  fuzz_rename_case (changes, p->a_case_id, FUZZ_CASE_A);
  push_all (p, p->peer_a, changes);
  g_assert_true (_motcua_replica_set_acked (p->a.replica,
                                            motcua_replica_get_last_seq (p->a.replica),
                                            &error));

  /* The hub keeps no reference to them: they become the seed. */
  seed = g_steal_pointer (&changes);
  for (guint i = 0; i < json_array_get_length (seed); i++)
    {
      JsonObject *o = json_array_get_object_element (seed, i);

      json_object_set_int_member (o, "s", json_object_get_int_member (o, "s") - (gint64) acked);
    }

  return seed;
}

void
fuzz_province_free (FuzzProvince *p)
{
  if (p == NULL)
    return;

  _motcua_hub_peer_free (p->peer_a);
  g_free (p->token_d);
  g_free (p->a_case_id);
  if (p->has_a)
    motcua_fixture_tear_down (&p->a, NULL);
  motcua_fixture_tear_down (&p->district, NULL);
  motcua_fixture_tear_down (&p->desk, NULL);
  motcua_fixture_tear_down (&p->hub, NULL);
  g_free (p);
}

JsonArray *
fuzz_parse_changes (JsonParser   *parser,
                    const guint8 *data,
                    gsize         size)
{
  /* What json-glib itself cannot take (see fuzz_json_skip). */
  if (fuzz_json_skip ((const char *) data, size))
    return NULL;
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL))
    return NULL;

  return fuzz_changes_of (json_parser_get_root (parser));
}
