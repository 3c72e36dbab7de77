/* motcua-schema.c: the replica's schema and its forward migrations
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-error.h"
#include "motcua-schema-private.h"
#include "motcua-uuid.h"
#include "motcua-version.h"

/* Events written before schema version 8 said what they did in detail, as text. */
#define LEGACY_EVENT_PART(part) part " = motcua_legacy_event (action, detail, '" part "')"
#define LEGACY_EVENT_UPDATE_SQL \
  "UPDATE case_events SET " LEGACY_EVENT_PART ("field") "," LEGACY_EVENT_PART ("old_value") "," \
  LEGACY_EVENT_PART ("new_value") "," LEGACY_EVENT_PART ("from_office") "," \
  LEGACY_EVENT_PART ("to_office") "," LEGACY_EVENT_PART ("receipt_no") "," \
  LEGACY_EVENT_PART ("due_date") "," LEGACY_EVENT_PART ("ref") "," LEGACY_EVENT_PART ("detail") \
  " WHERE detail IS NOT NULL AND field IS NULL AND old_value IS NULL AND new_value IS NULL" \
  " AND from_office IS NULL AND to_office IS NULL AND receipt_no IS NULL AND due_date IS NULL" \
  " AND ref IS NULL"

/* Migration n takes a replica from schema version n to n + 1. Never edit a released one: add a
 * new one and raise MOTCUA_SCHEMA_VERSION. */
static const char *const migrations[] = {
  /* 0 → 1: the replica. Every replicated table has a local integer key (rid: the change log and
   * the indexes refer to rows by it, compactly) and a UUID (id: how rows are named between
   * replicas). _clk packs the (HLC, origin) of each column's register; _seq is the last local
   * change to the row, which says whether the row is pending. */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY) WITHOUT ROWID;"
  "CREATE TABLE origins (idx INTEGER PRIMARY KEY, uuid BLOB NOT NULL UNIQUE);"
  "CREATE TABLE offices ("
  "  rid INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE,"
  "  code TEXT, name TEXT, level TEXT, parent_id BLOB,"
  "  deleted INTEGER DEFAULT 0, _clk BLOB, _seq INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX offices_code ON offices (code);"
  "CREATE INDEX offices_parent ON offices (parent_id);"
  "CREATE TABLE procedures ("
  "  rid INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE,"
  "  code TEXT, code_official INTEGER, name TEXT, sector TEXT, levels TEXT,"
  "  processing_days INTEGER, fee INTEGER, fee_note TEXT, online TEXT,"
  "  documents TEXT, legal_basis TEXT, in_force_from TEXT, in_force_to TEXT, sample INTEGER,"
  "  deleted INTEGER DEFAULT 0, _clk BLOB, _seq INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX procedures_code ON procedures (code);"
  "CREATE TABLE calendar ("
  "  rid INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE,"
  "  date TEXT, kind TEXT, name TEXT,"
  "  deleted INTEGER DEFAULT 0, _clk BLOB, _seq INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX calendar_date ON calendar (date);"
  "CREATE TABLE cases ("
  "  rid INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE,"
  "  receipt_no TEXT, procedure_id BLOB, receiving_office_id BLOB, handling_office_id BLOB,"
  "  applicant_name TEXT, citizen_id TEXT, phone TEXT, address TEXT,"
  "  channel TEXT, priority TEXT, received_at TEXT, clock_start TEXT, due_date TEXT,"
  "  status TEXT, status_gen INTEGER NOT NULL DEFAULT 0, papers TEXT,"
  "  resolved_at TEXT, result TEXT, returned_at TEXT, returned_via TEXT, rating INTEGER,"
  "  deleted INTEGER DEFAULT 0, _clk BLOB, _seq INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX cases_receipt ON cases (receipt_no);"
  "CREATE INDEX cases_received ON cases (received_at);"
  "CREATE INDEX cases_open_due ON cases (due_date) WHERE resolved_at IS NULL;"
  /* Covers the report: one narrow scan per office, no table lookups. */
  "CREATE INDEX cases_report ON cases (receiving_office_id, received_at, resolved_at,"
  "                                     due_date, status, channel);"
  "CREATE INDEX cases_handling ON cases (handling_office_id);"
  "CREATE INDEX cases_procedure ON cases (procedure_id);"
  "CREATE TABLE case_events ("
  "  rid INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE,"
  "  case_id BLOB NOT NULL REFERENCES cases (id) DEFERRABLE INITIALLY DEFERRED,"
  "  at TEXT, replica TEXT, officer TEXT, action TEXT, detail TEXT, note TEXT,"
  "  _clk BLOB, _seq INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX case_events_case ON case_events (case_id);"
  "CREATE TABLE attachments ("
  "  rid INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE,"
  "  case_id BLOB NOT NULL REFERENCES cases (id) DEFERRABLE INITIALLY DEFERRED,"
  "  sha256 TEXT, name TEXT, mime_type TEXT, size INTEGER, added_at TEXT, replica TEXT,"
  "  officer TEXT, _clk BLOB, _seq INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX attachments_case ON attachments (case_id);"
  /* The change log: one change per changed field, each with its own sequence number, stored
   * as one record per row write: the changes of one write share their origin, HLC, table and
   * row. A record holds the changes seq … seq + n - 1; fields packs, per change, its column,
   * the HLC of the value it overwrote and the new value (motcua-capture.c). origin is local
   * shorthand for a replica UUID (origins.idx); row is the rid of the row in table tbl. */
  "CREATE TABLE changes ("
  "  origin INTEGER NOT NULL REFERENCES origins (idx), seq INTEGER NOT NULL,"
  "  n INTEGER NOT NULL, hlc INTEGER NOT NULL, tbl INTEGER NOT NULL, row INTEGER NOT NULL,"
  "  fields BLOB NOT NULL,"
  "  PRIMARY KEY (origin, seq)) WITHOUT ROWID;"
  "CREATE TABLE receipt_counters ("
  "  office_id BLOB NOT NULL, year INTEGER NOT NULL, next INTEGER NOT NULL,"
  "  PRIMARY KEY (office_id, year)) WITHOUT ROWID;",

  /* 1 → 2: search. Full-text indexes over the catalogue and the cases with the "motcua"
   * tokenizer, which folds Vietnamese diacritics. The change capture keeps them in step, not
   * triggers: a trigger makes every write open a statement journal, and FTS5 flushes its
   * pending index at each one, which turned a bulk import into thousands of tiny segments. */
  "CREATE VIRTUAL TABLE procedures_fts USING fts5 ("
  "  code, name, sector, content='procedures', content_rowid='rid',"
  "  tokenize='motcua', prefix='1 2 3');"
  /* Receipt numbers are not words: they are found through their own index (cases_receipt). */
  "CREATE VIRTUAL TABLE cases_fts USING fts5 ("
  "  applicant_name, citizen_id, phone, content='cases', content_rowid='rid',"
  "  tokenize='motcua', prefix='1 2 3', detail='column');"
  "INSERT INTO procedures_fts (procedures_fts) VALUES ('rebuild');"
  "INSERT INTO cases_fts (cases_fts) VALUES ('rebuild');",

  /* 2 → 3: the hub, what a replica keeps when it serves others (the provincial server). Every
   * change it accepts is appended to hub_log in the order it was accepted, the global order
   * replicas pull in; hub_replicas holds the enrolled replicas: their token as a salted hash,
   * their office and what of theirs was acknowledged. Empty on a desk. */
  "CREATE TABLE hub_log ("
  "  gseq INTEGER PRIMARY KEY, origin BLOB NOT NULL, seq INTEGER NOT NULL,"
  "  tbl INTEGER NOT NULL, row_id BLOB NOT NULL, change TEXT NOT NULL,"
  "  UNIQUE (origin, seq));"
  "CREATE TABLE hub_replicas ("
  "  token_id TEXT PRIMARY KEY, salt BLOB NOT NULL, token_hash BLOB NOT NULL,"
  "  office_code TEXT NOT NULL, replica_id BLOB UNIQUE,"
  "  acked_seq INTEGER NOT NULL DEFAULT 0, revoked INTEGER NOT NULL DEFAULT 0,"
  "  enrolled_at TEXT NOT NULL) WITHOUT ROWID;",
  /* 3 → 4: replication.
   * conflicts: a replicated table (registers like any row): two writes to one field that had
   * not seen each other, both kept, until a resolution closes it. Values are JSON texts.
   * rejected: this replica's changes the server refused, with its reason (local); gone names
 * the case of a refused change when the server said the case is not this replica's, until
 * the copy is dropped.
   * receipt_leases: blocks of receipt numbers the server leased to this replica (local).
   * blobs: the bytes of scans by SHA-256, filled in place as they arrive (received), so an
   * upload or download resumes where it was cut; uploaded says the server has them all.
   * hub_log learns which case an entry is about and the offices that put it in a replica's
   * scope when it was accepted; kind 1 is a snapshot of a case (its whole state), logged when
   * the case enters a new office's scope. hub_case_scope remembers each case's handling office
   * as last logged, hub_leases the next free receipt number per office and year. */
  "CREATE TABLE conflicts ("
  "  rid INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE,"
  "  tbl TEXT, row_id BLOB, col TEXT, case_id BLOB,"
  "  a_value TEXT, a_hlc INTEGER, a_replica BLOB, a_office TEXT,"
  "  b_value TEXT, b_hlc INTEGER, b_replica BLOB, b_office TEXT,"
  "  detected_at TEXT, resolved INTEGER, resolution TEXT, resolved_by TEXT, resolved_at TEXT,"
  "  deleted INTEGER DEFAULT 0, _clk BLOB, _seq INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX conflicts_field ON conflicts (row_id, col);"
  "CREATE INDEX conflicts_case ON conflicts (case_id);"
  "CREATE TABLE rejected ("
  "  seq INTEGER PRIMARY KEY, reason TEXT NOT NULL, at TEXT NOT NULL, gone BLOB);"
  "CREATE TABLE receipt_leases ("
  "  office_id BLOB NOT NULL, year INTEGER NOT NULL, first INTEGER NOT NULL,"
  "  last INTEGER NOT NULL, next INTEGER NOT NULL,"
  "  PRIMARY KEY (office_id, year, first)) WITHOUT ROWID;"
  "CREATE TABLE blobs ("
  "  sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, received INTEGER NOT NULL DEFAULT 0,"
  "  uploaded INTEGER NOT NULL DEFAULT 0, data BLOB NOT NULL);"
  /* The server checks every chunk of a scan against the attachments naming it. */
  "CREATE INDEX attachments_sha256 ON attachments (sha256);"
  "ALTER TABLE hub_log ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE hub_log ADD COLUMN case_id BLOB;"
  "ALTER TABLE hub_log ADD COLUMN office_a BLOB;"
  "ALTER TABLE hub_log ADD COLUMN office_b BLOB;"
  "ALTER TABLE hub_log ADD COLUMN office_c BLOB;"
  "ALTER TABLE hub_replicas ADD COLUMN last_seen_at TEXT;"
  "CREATE TABLE hub_case_scope ("
  "  case_id BLOB PRIMARY KEY, handling_office_id BLOB) WITHOUT ROWID;"
  "CREATE TABLE hub_leases ("
  "  office_code TEXT NOT NULL, year INTEGER NOT NULL, next INTEGER NOT NULL,"
  "  PRIMARY KEY (office_code, year)) WITHOUT ROWID;"
  "CREATE TABLE hub_lease_log ("
  "  token_id TEXT NOT NULL, office_code TEXT NOT NULL, year INTEGER NOT NULL,"
  "  first INTEGER NOT NULL, last INTEGER NOT NULL, at TEXT NOT NULL);"
  /* The changes the hub refused, so that a push repeated after its answer was lost hears
   * the refusals again instead of a bare acknowledgement. */
  "CREATE TABLE hub_rejected ("
  "  origin BLOB NOT NULL, seq INTEGER NOT NULL, reason TEXT NOT NULL, case_id BLOB,"
  "  PRIMARY KEY (origin, seq)) WITHOUT ROWID;",

  /* 4 → 5: desk codes. Each enrolled replica gets a short code at enrollment, numbered across
   * the province (so unique in its office, and also among the desks of other offices that
   * receive for the same office); a desk out of leased receipt numbers offline gives numbers
   * that carry it. Replicas enrolled before get theirs in the order they were enrolled. */
  "ALTER TABLE hub_replicas ADD COLUMN desk_no INTEGER;"
  "UPDATE hub_replicas SET desk_no = (SELECT count(*) FROM hub_replicas AS h"
  "  WHERE (h.enrolled_at, h.token_id) <= (hub_replicas.enrolled_at, hub_replicas.token_id));"
  "CREATE UNIQUE INDEX hub_replicas_desk ON hub_replicas (desk_no);",

  /* 5 → 6: the change log names a row by its UUID, not its rid. A case purged when it left the
   * scope gave its rid back, and the next row took it: its history then showed another case,
   * and after the server lost acknowledged changes (a store restored from a backup) they could
   * not be sent again. Records whose row is gone already (purged after they were acknowledged)
   * keep a null row_id; they are never sent again. */
  "ALTER TABLE changes ADD COLUMN row_id BLOB;"
  "UPDATE changes SET row_id = CASE tbl"
  "  WHEN 1 THEN (SELECT id FROM offices WHERE rid = changes.row)"
  "  WHEN 2 THEN (SELECT id FROM procedures WHERE rid = changes.row)"
  "  WHEN 3 THEN (SELECT id FROM calendar WHERE rid = changes.row)"
  "  WHEN 4 THEN (SELECT id FROM cases WHERE rid = changes.row)"
  "  WHEN 5 THEN (SELECT id FROM case_events WHERE rid = changes.row)"
  "  WHEN 6 THEN (SELECT id FROM attachments WHERE rid = changes.row)"
  "  WHEN 7 THEN (SELECT id FROM conflicts WHERE rid = changes.row) END;"
  "ALTER TABLE changes DROP COLUMN row;"
  /* A purged row of a timeline or a scan leaves its values in its record (motcua-capture.c). */
  "CREATE INDEX changes_row ON changes (row_id) WHERE " MOTCUA_INSERT_ONLY_RECORD_SQL ";",

  /* 6 → 7: changes that wait for their case. A server store restored from an older copy has
   * lost the cases desks made in the hours it forgot, until those desks send them again; a
   * change another desk made to such a case meanwhile is refused as waiting for it
   * (hub_rejected.waits), and the desk keeps it (rejected.wait names the case) and sends it
   * again when the case reaches it from the server. */
  "ALTER TABLE hub_rejected ADD COLUMN waits INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE rejected ADD COLUMN wait BLOB;"
  "CREATE INDEX rejected_wait ON rejected (wait) WHERE wait IS NOT NULL;"
  /* The cases and conflicts a state transfer under way has brought (local): at its end, those
   * it did not bring are not the server's (a restored store lost them, or a case left the scope
   * in what it lost), and go unless something of them is not acknowledged. */
  "CREATE TABLE transfer_seen ("
  "  tbl INTEGER NOT NULL, id BLOB NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID;",

  /* 7 → 8: the timeline says what happened in fields, not in English-ish text that readers
   * parsed back: the field a step or a correction changed, its old and new values, the offices
   * a transfer moved the case between, a reception's receipt number and due date, and the row
   * an event is about (a scan; a conflict it resolved). Every event held is parsed once, here;
   * detail stays only when it says something the fields cannot (an action this build does not
   * know). The same parse applies to an old event that arrives later (_motcua_schema_upgrade_
   * event), so every replica holds the same row. */
  "ALTER TABLE case_events ADD COLUMN field TEXT;"
  "ALTER TABLE case_events ADD COLUMN old_value TEXT;"
  "ALTER TABLE case_events ADD COLUMN new_value TEXT;"
  "ALTER TABLE case_events ADD COLUMN from_office TEXT;"
  "ALTER TABLE case_events ADD COLUMN to_office TEXT;"
  "ALTER TABLE case_events ADD COLUMN receipt_no TEXT;"
  "ALTER TABLE case_events ADD COLUMN due_date TEXT;"
  "ALTER TABLE case_events ADD COLUMN ref BLOB;"
  LEGACY_EVENT_UPDATE_SQL ";"
  "CREATE INDEX case_events_ref ON case_events (ref) WHERE ref IS NOT NULL;",

  /* 8 → 9: offices with dates. Since 1 July 2025 offices are merged and ended by published
   * reorganisations, so an office carries the first and last day it was in force, the office
   * that took its work over when it ended, the parents it had before (former_parents: "CODE/
   * last day" entries, oldest first, joined by ';'), and the name of its one-stop reception as
   * receipts print it. Procedures say the unit of their time limit: working days (NULL),
   * calendar days or hours. */
  "ALTER TABLE offices ADD COLUMN in_force_from TEXT;"
  "ALTER TABLE offices ADD COLUMN in_force_to TEXT;"
  "ALTER TABLE offices ADD COLUMN successor_id BLOB;"
  "ALTER TABLE offices ADD COLUMN former_parents TEXT;"
  "ALTER TABLE offices ADD COLUMN centre TEXT;"
  "CREATE INDEX offices_successor ON offices (successor_id) WHERE successor_id IS NOT NULL;"
  "ALTER TABLE procedures ADD COLUMN time_unit TEXT;"
  /* The levels a procedure's dossiers may be received at, when they are not only those that
   * decide it (Decree 118/2025/NĐ-CP: received anywhere in the province, decided where the
   * law says). NULL: where it is decided. */
  "ALTER TABLE procedures ADD COLUMN receiving_levels TEXT;",

  /* 9 → 10: where a forwarded dossier's result is handed back. A dossier received at one
   * desk and decided at another office is handed back at the receiving desk ('receiving', the
   * rule of Decree 118/2025/NĐ-CP unless the applicant chose otherwise) or by the deciding
   * office ('deciding'); in the second case the receiving office no longer holds the case
   * once its result is handed back. NULL: a dossier decided where it was received. The hub
   * remembers, per case, whether the receiving office held it when last logged, so the
   * receiving office's replicas learn of the step that ends its holding. */
  ("ALTER TABLE cases ADD COLUMN return_at TEXT;"
   "ALTER TABLE hub_case_scope ADD COLUMN receiving_held INTEGER NOT NULL DEFAULT 1;"),

  /* 10 → 11: the digest kept as rows are written (motcua-store-digest.c). digest_cases holds,
   * per case, the sum of its row's hash and those of its timeline, scans and conflicts;
   * digest_sums the sums of the cases per bucket: the office that received a case (while it
   * holds it) and the office that handles it, x'' for none; x'ff', x'ff' is the bucket of the
   * rows every scope holds. Sums are two 64-bit lanes, 16 bytes big-endian. They are counted
   * when the replica is next opened (meta digest_counted), and kept by triggers after. */
  "CREATE TABLE digest_cases (case_id BLOB PRIMARY KEY, sum BLOB) WITHOUT ROWID;"
  "CREATE TABLE digest_sums ("
  "  receiver BLOB NOT NULL, handler BLOB NOT NULL, sum BLOB,"
  "  PRIMARY KEY (receiver, handler)) WITHOUT ROWID;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == MOTCUA_SCHEMA_VERSION);

static gboolean
set_db_error (sqlite3     *db,
              const char  *what,
              GError     **error)
{
  g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE, _("%s: %s"), what, sqlite3_errmsg (db));
  return FALSE;
}

/* The fields an event written before schema version 8 said in its detail, as its writers
 * formatted it: "received" "T.D.A-2026-000001 HT.KS, due 2026-03-17"; "imported"
 * "T.D.A-2025-000007 imported as approved"; "status" "received → in_processing"; "transferred"
 * "T.D.A → T.D" ("?" for no office); "edited" "phone = 0912…" ("(empty)" when cleared);
 * "attached" "name (1.2 MB)"; "attachment_removed" "<attachment id> name". Anything else is
 * not parsed (parsed stays FALSE) and keeps its detail. */
typedef struct
{
  gboolean   parsed;
  char      *field;
  char      *old_value;
  char      *new_value;
  char      *from_office;
  char      *to_office;
  char      *receipt_no;
  char      *due_date;
  gboolean   has_ref;
  MotcuaUuid ref;
} LegacyEvent;

static void
legacy_event_clear (LegacyEvent *e)
{
  g_free (e->field);
  g_free (e->old_value);
  g_free (e->new_value);
  g_free (e->from_office);
  g_free (e->to_office);
  g_free (e->receipt_no);
  g_free (e->due_date);
}

/* The two sides of @text around the first @separator, or FALSE. */
static gboolean
split_once (const char  *text,
            const char  *separator,
            char       **left,
            char       **right)
{
  const char *at = strstr (text, separator);

  if (at == NULL)
    return FALSE;
  *left = g_strndup (text, (gsize) (at - text));
  *right = g_strdup (at + strlen (separator));
  return TRUE;
}

static void
legacy_event_parse (const char  *action,
                    const char  *detail,
                    LegacyEvent *e)
{
  g_autofree char *left = NULL;
  g_autofree char *right = NULL;

  memset (e, 0, sizeof *e);
  if (action == NULL || detail == NULL)
    return;

  if (strcmp (action, "received") == 0)
    {
      const char *due = g_strrstr (detail, ", due ");
      const char *space = strchr (detail, ' ');

      if (due == NULL)
        return;
      e->receipt_no = g_strndup (detail, (gsize) ((space != NULL && space < due ? space : due)
                                                  - detail));
      e->due_date = g_strdup (due + strlen (", due "));
    }
  else if (strcmp (action, "imported") == 0)
    {
      if (!split_once (detail, " imported as ", &left, &right))
        return;
      e->receipt_no = g_steal_pointer (&left);
      e->field = g_strdup ("status");
      e->new_value = g_steal_pointer (&right);
    }
  else if (strcmp (action, "status") == 0 || strcmp (action, "transferred") == 0)
    {
      gboolean status = strcmp (action, "status") == 0;

      if (!split_once (detail, " → ", &left, &right))
        return;
      if (status)
        {
          e->field = g_strdup ("status");
          e->old_value = g_steal_pointer (&left);
          e->new_value = g_steal_pointer (&right);
        }
      else
        {
          e->field = g_strdup ("handling_office_id");
          e->from_office = strcmp (left, "?") != 0 ? g_steal_pointer (&left) : NULL;
          e->to_office = strcmp (right, "?") != 0 ? g_steal_pointer (&right) : NULL;
        }
    }
  else if (strcmp (action, "edited") == 0)
    {
      if (!split_once (detail, " = ", &left, &right))
        return;
      e->field = g_steal_pointer (&left);
      e->new_value = strcmp (right, "(empty)") != 0 ? g_steal_pointer (&right) : NULL;
    }
  else if (strcmp (action, "attached") == 0)
    {
      const char *size = g_strrstr (detail, " (");

      e->field = g_strdup ("attachment");
      e->new_value = size != NULL && g_str_has_suffix (detail, ")")
                     ? g_strndup (detail, (gsize) (size - detail)) : g_strdup (detail);
    }
  else if (strcmp (action, "attachment_removed") == 0)
    {
      g_autofree char *id = g_strndup (detail, 36);

      if (strlen (detail) < 36 || !motcua_uuid_parse (id, &e->ref))
        return;
      e->has_ref = TRUE;
      e->field = g_strdup ("attachment");
      e->old_value = g_strdup (detail[36] == ' ' ? detail + 37 : detail + 36);
    }
  else
    return;

  e->parsed = TRUE;
}

/* SQL motcua_legacy_event (action, detail, part): the column @part of an event written before
 * schema version 8 (LegacyEvent), "detail" giving what stays of its detail. */
static void
legacy_event_sql (sqlite3_context  *context,
                  int               argc,
                  sqlite3_value   **argv)
{
  const char *action = (const char *) sqlite3_value_text (argv[0]);
  const char *detail = (const char *) sqlite3_value_text (argv[1]);
  const char *part = (const char *) sqlite3_value_text (argv[2]);
  LegacyEvent e;
  const char *text = NULL;

  g_assert (argc == 3);

  legacy_event_parse (action, detail, &e);
  if (part == NULL)
    ;
  else if (strcmp (part, "detail") == 0)
    text = e.parsed ? NULL : detail;
  else if (strcmp (part, "ref") == 0)
    {
      if (e.has_ref)
        sqlite3_result_blob (context, e.ref.bytes, 16, SQLITE_TRANSIENT);
      else
        sqlite3_result_null (context);
      legacy_event_clear (&e);
      return;
    }
  else if (strcmp (part, "field") == 0)
    text = e.field;
  else if (strcmp (part, "old_value") == 0)
    text = e.old_value;
  else if (strcmp (part, "new_value") == 0)
    text = e.new_value;
  else if (strcmp (part, "from_office") == 0)
    text = e.from_office;
  else if (strcmp (part, "to_office") == 0)
    text = e.to_office;
  else if (strcmp (part, "receipt_no") == 0)
    text = e.receipt_no;
  else if (strcmp (part, "due_date") == 0)
    text = e.due_date;

  if (text != NULL)
    sqlite3_result_text (context, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_result_null (context);
  legacy_event_clear (&e);
}

static gboolean
register_functions (sqlite3 *db)
{
  return sqlite3_create_function (db, "motcua_legacy_event", 3,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL,
                                  legacy_event_sql, NULL, NULL) == SQLITE_OK;
}

gboolean
_motcua_schema_upgrade_event (sqlite3           *db,
                              const guint8      *id,
                              GError           **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  ok = sqlite3_prepare_v2 (db, LEGACY_EVENT_UPDATE_SQL " AND id = ?1", -1, &stmt, NULL)
       == SQLITE_OK;
  if (ok)
    {
      sqlite3_bind_blob (stmt, 1, id, 16, SQLITE_STATIC);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  if (!ok)
    return set_db_error (db, "Reading an event of an older build", error);

  return TRUE;
}

int
_motcua_schema_get_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return version;
}

gboolean
_motcua_schema_migrate (sqlite3  *db,
                        int       to_version,
                        GError  **error)
{
  int version = _motcua_schema_get_version (db);

  g_return_val_if_fail (to_version <= MOTCUA_SCHEMA_VERSION, FALSE);

  if (version < 0)
    return set_db_error (db, "Could not read the schema version", error);
  if (!register_functions (db))
    return set_db_error (db, "Could not register the schema's functions", error);

  if (version > MOTCUA_SCHEMA_VERSION)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_SCHEMA_TOO_NEW,
                   _("The replica has schema version %d, newer than this build of Một Cửa "
                   "understands (%d): update Một Cửa to open it"), version, MOTCUA_SCHEMA_VERSION);
      return FALSE;
    }

  if (version >= to_version)
    return TRUE;

  if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return set_db_error (db, "Could not start the schema migration", error);

  for (int v = version; v < to_version; v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      if (sqlite3_exec (db, migrations[v], NULL, NULL, NULL) != SQLITE_OK
          || sqlite3_exec (db, bump, NULL, NULL, NULL) != SQLITE_OK)
        {
          g_autofree char *what = g_strdup_printf ("Migrating the replica to schema version %d",
                                                   v + 1);
          set_db_error (db, what, error);
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }

  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (db, "Could not commit the schema migration", error);
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  return TRUE;
}
