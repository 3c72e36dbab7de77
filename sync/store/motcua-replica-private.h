/* motcua-replica-private.h: the store layer: a replica's SQLite file as the layers above use it
 *
 * Tables and columns as the change log names them, values, the replica object's state, prepared
 * statements, meta, the clock, origins, transactions and full-text updates. The layers above
 * add their own headers on top of this one (motcua-replication-private.h,
 * motcua-domain-private.h, motcua-hub-private.h, motcua-sync-private.h); see sync/README.md.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <sqlite3.h>

#include "motcua-base-private.h"
#include "motcua-hlc.h"
#include "motcua-replica.h"
#include "motcua-schema-private.h"
#include "motcua-uuid.h"

G_BEGIN_DECLS

/* Tables and columns as the change log names them. Column numbers are part of the replica's
 * schema and never reused: a new column gets a new number. */
typedef enum
{
  MOTCUA_TABLE_OFFICES = 1,
  MOTCUA_TABLE_PROCEDURES = 2,
  MOTCUA_TABLE_CALENDAR = 3,
  MOTCUA_TABLE_CASES = 4,
  MOTCUA_TABLE_CASE_EVENTS = 5,
  MOTCUA_TABLE_ATTACHMENTS = 6,
  MOTCUA_TABLE_CONFLICTS = 7,
} MotcuaTableId;

typedef enum
{
  MOTCUA_COL_TEXT,
  MOTCUA_COL_INT,
  MOTCUA_COL_ID,       /* a 16-byte UUID blob */
  MOTCUA_COL_STATUS,   /* the status register: physical columns status and status_gen */
} MotcuaColumnKind;

/* A replicated column: what the change log, the wire, the digest and the export know of it,
 * and, for a case's fields, what an officer may correct and how the desk and the CLI name it. */
typedef struct
{
  const char      *name;
  MotcuaColumnKind kind;
  const char      *label;      /* N_() for gettext; NULL: not shown by name */
  gboolean         editable;   /* an officer corrects it (motcua_replica_edit_case()) */
} MotcuaColumnDesc;

typedef struct
{
  MotcuaTableId           id;
  const char             *name;
  gboolean                insert_only;     /* rows never change: merge is union */
  gboolean                province_only;   /* only a province replica writes it */
  const MotcuaColumnDesc *columns;         /* column n of the change log is columns[n - 1] */
  guint                   n_columns;
  const char             *fts;             /* its full-text index, or NULL */
  const guint            *fts_columns;     /* indices into columns, G_MAXUINT-terminated */
} MotcuaTableDesc;

/* A case's columns, in their change-log order: the one list the column descriptions
 * (motcua-tables.c) and the domain's column indices (C_RECEIPT_NO…, motcua-cases-private.h)
 * are made from. X (ID, name, kind, label, editable): C_ID, and MotcuaColumnDesc's fields. */
#define MOTCUA_CASE_COLUMNS(X) \
  X (RECEIPT_NO,         "receipt_no",         MOTCUA_COL_TEXT,   NULL,                    FALSE) \
  X (PROCEDURE_ID,       "procedure_id",       MOTCUA_COL_ID,     NULL,                    FALSE) \
  X (RECEIVING_OFFICE_ID, "receiving_office_id", MOTCUA_COL_ID,    NULL,                    FALSE) \
  X (HANDLING_OFFICE_ID, "handling_office_id", MOTCUA_COL_ID,     NULL,                    FALSE) \
  X (APPLICANT_NAME,     "applicant_name",     MOTCUA_COL_TEXT,   N_("Applicant's name"),  TRUE)  \
  X (CITIZEN_ID,         "citizen_id",         MOTCUA_COL_TEXT,   N_("Citizen ID"),        TRUE)  \
  X (PHONE,              "phone",              MOTCUA_COL_TEXT,   N_("Phone"),             TRUE)  \
  X (ADDRESS,            "address",            MOTCUA_COL_TEXT,   N_("Address"),           TRUE)  \
  X (CHANNEL,            "channel",            MOTCUA_COL_TEXT,   N_("Channel"),           TRUE)  \
  X (PRIORITY,           "priority",           MOTCUA_COL_TEXT,   N_("Priority"),          TRUE)  \
  X (RECEIVED_AT,        "received_at",        MOTCUA_COL_TEXT,   NULL,                    FALSE) \
  X (CLOCK_START,        "clock_start",        MOTCUA_COL_TEXT,   NULL,                    FALSE) \
  X (DUE_DATE,           "due_date",           MOTCUA_COL_TEXT,   NULL,                    FALSE) \
  X (STATUS,             "status",             MOTCUA_COL_STATUS, NULL,                    FALSE) \
  X (PAPERS,             "papers",             MOTCUA_COL_TEXT,   N_("Papers received"),   TRUE)  \
  X (RESOLVED_AT,        "resolved_at",        MOTCUA_COL_TEXT,   NULL,                    FALSE) \
  X (RESULT,             "result",             MOTCUA_COL_TEXT,   N_("Result"),            TRUE)  \
  X (RETURNED_AT,        "returned_at",        MOTCUA_COL_TEXT,   NULL,                    FALSE) \
  X (RETURNED_VIA,       "returned_via",       MOTCUA_COL_TEXT,   NULL,                    FALSE) \
  X (RATING,             "rating",             MOTCUA_COL_INT,    N_("Satisfaction"),      TRUE)  \
  X (DELETED,            "deleted",            MOTCUA_COL_INT,    NULL,                    FALSE) \
  X (RETURN_AT,          "return_at",          MOTCUA_COL_TEXT,   NULL,                    FALSE)

const MotcuaTableDesc *_motcua_table_lookup      (MotcuaTableId id);
const MotcuaTableDesc *_motcua_table_by_name     (const char   *name);
int                    _motcua_table_column      (const MotcuaTableDesc *table,
                                                  const char            *name);
extern const MotcuaTableDesc *const _motcua_tables[];
extern const guint                  _motcua_n_tables;

/* A value of one column, borrowed. */
typedef struct
{
  int          type;    /* SQLITE_NULL, SQLITE_INTEGER, SQLITE_TEXT, SQLITE_BLOB */
  gint64       i;
  const char  *s;       /* text, or 16 bytes for an id */
} MotcuaValue;

/* The longest text a field may hold, in bytes. Longer ones are refused where they are written
 * and where they arrive: a huge string in a change would otherwise be stored by the server and
 * copied to every replica in scope. Procedures' lists of documents are the longest real values,
 * a few kilobytes. */
#define MOTCUA_MAX_TEXT_BYTES      (64 * 1024)

#define MOTCUA_VALUE_NULL          ((MotcuaValue) { SQLITE_NULL, 0, NULL })
#define MOTCUA_VALUE_INT(v)        ((MotcuaValue) { SQLITE_INTEGER, (v), NULL })
#define MOTCUA_VALUE_TEXT(v)       (_motcua_value_text (v))

/* Column @column of @stmt's current row as a value: NULL, a number, text, or a 16-byte id
 * (any other blob reads as NULL). Valid until the statement moves. */
MotcuaValue   _motcua_value_from_column     (sqlite3_stmt   *stmt,
                                             int             column);
/* Whether two values are the same: same type, and the same number, text or 16-byte id. */
gboolean      _motcua_value_equal           (const MotcuaValue *a,
                                             const MotcuaValue *b);

static inline MotcuaValue
_motcua_value_text (const char *text)
{
  MotcuaValue value = { text != NULL ? SQLITE_TEXT : SQLITE_NULL, 0, text };

  return value;
}
#define MOTCUA_VALUE_ID(u)         ((MotcuaValue) { SQLITE_BLOB, 0, (const char *) (u)->bytes })

/* The SQL of a table's rows, made once per table. values_sql reads a row's columns as the
 * change log names them (the status register as its text only) by rid. */
typedef struct
{
  char *select_sql;
  char *values_sql;
  char *insert_sql;
  char *update_sql;
  char *fts_insert_sql;
  char *fts_delete_sql;
  guint n_physical;
} TableSql;

const TableSql        *_motcua_table_sql        (const MotcuaTableDesc *table);

/* Why a write is made. */
typedef enum
{
  MOTCUA_WRITE_LOCAL,   /* an edit on this replica: logged, replicates */
  MOTCUA_WRITE_SEED,    /* local reference data on a non-province replica: not logged */
  MOTCUA_WRITE_NEW,     /* as LOCAL, for a row just named with a fresh UUIDv7: it cannot exist */
} MotcuaWriteMode;

/* Levels as a bit set (1 << MotcuaLevel) and as stored: names joined by commas
 * (motcua-records.c). Unknown names are skipped. */
char  *_motcua_levels_to_string   (guint        levels);
guint  _motcua_levels_from_string (const char  *text);

/* What a reception needs to know of a procedure (domain/motcua-reception.c). */
typedef struct
{
  MotcuaUuid id;
  guint      levels;              /* the levels that decide it */
  guint      receiving_levels;    /* the levels that may receive it */
  guint      processing_days;
  MotcuaTimeUnit time_unit;
  guint      n_documents;
  char      *name;
  char       in_force_from[11];   /* YYYY-MM-DD, or "" when it has no date */
  char       in_force_to[11];
} MotcuaProcedureInfo;

struct _MotcuaReplica
{
  GObject          parent_instance;

  char            *path;
  sqlite3         *db;
  GHashTable      *statements;          /* SQL text's address → sqlite3_stmt */
  GHashTable      *statements_by_text;  /* SQL text → sqlite3_stmt, for SQL built at run time */

  MotcuaUuid       uuid;
  char            *id;
  char            *office_code;
  MotcuaUuid       office_id;
  MotcuaLevel      role;
  char            *officer;

  MotcuaHlcClock   clock;
  guint64          seq;            /* the last sequence number this replica gave a change */
  gint64           self_origin;    /* this replica's row in origins */
  /* Applying a state transfer from the server: its registers stand against ours, except on
   * fields whose register is ours and at least this HLC (a change not yet acknowledged). */
  gboolean         repairing;
  MotcuaHlc        repair_pending_from;

  guint            tx_depth;
  gboolean         tx_broken;      /* a write failed halfway: the group must roll back */
  GArray          *tx_saved;       /* the (seq, hlc) to restore on rollback, per level */

  GArray          *fts_pending;    /* full-text updates to apply at commit */
  GHashTable      *origins;        /* origins.idx → MotcuaUuid, cached */
  GHashTable      *origin_indexes; /* MotcuaUuid → origins.idx, cached */
  GHashTable      *procedures;     /* code → MotcuaProcedureInfo, cached */

  /* The domain's working-day calendar (motcua_replica_dup_calendar()), cached here with what
   * frees it, and dropped with the caches above, as the calendar table may have changed. */
  gpointer         calendar;
  GDestroyNotify   calendar_free;

  MotcuaClockFunc  clock_func;
  gpointer         clock_data;
  gint64           clock_offset_ms;   /* the server's clock minus this computer's */

  /* PRAGMA data_version when the counters above were last read: another connection to the
   * file (a sync beside the desk, motcua-cli beside it) moves it when it commits. */
  gint64           data_version;
};

MotcuaReplica *_motcua_replica_create_at_version (const char   *path,
                                                  const char   *office_code,
                                                  MotcuaLevel   role,
                                                  int           version,
                                                  GError      **error);

/* Re-reads the sequence number, the clock and its offset, and drops the caches, if another
 * connection committed since this one last looked. Called by motcua_replica_begin() once it
 * holds the write lock, so two connections never give one sequence number twice. */
gboolean      _motcua_replica_refresh      (MotcuaReplica  *self,
                                            GError        **error);


/* MOTCUA_INSERT_ONLY_RECORD_SQL (motcua-schema-private.h) names these two tables by number. */
G_STATIC_ASSERT (MOTCUA_TABLE_CASE_EVENTS == 5 && MOTCUA_TABLE_ATTACHMENTS == 6);

/* The rid of the row a log record (changes ch) names by its UUID, or NULL when it is gone. */
#define MOTCUA_CHANGE_ROW_RID_SQL \
  " CASE ch.tbl" \
  " WHEN 1 THEN (SELECT rid FROM offices WHERE id = ch.row_id)" \
  " WHEN 2 THEN (SELECT rid FROM procedures WHERE id = ch.row_id)" \
  " WHEN 3 THEN (SELECT rid FROM calendar WHERE id = ch.row_id)" \
  " WHEN 4 THEN (SELECT rid FROM cases WHERE id = ch.row_id)" \
  " WHEN 5 THEN (SELECT rid FROM case_events WHERE id = ch.row_id)" \
  " WHEN 6 THEN (SELECT rid FROM attachments WHERE id = ch.row_id)" \
  " WHEN 7 THEN (SELECT rid FROM conflicts WHERE id = ch.row_id) END"

/* SQLite */
sqlite3_stmt *_motcua_replica_prepare      (MotcuaReplica  *self,
                                            const char     *sql,
                                            GError        **error);

sqlite3_stmt *_motcua_replica_prepare_text (MotcuaReplica  *self,
                                            const char     *sql,
                                            GError        **error);

gboolean      _motcua_replica_exec         (MotcuaReplica  *self,
                                            const char     *sql,
                                            GError        **error);

gboolean      _motcua_replica_step_done    (MotcuaReplica  *self,
                                            sqlite3_stmt   *stmt,
                                            GError        **error);

/* Ends a walk over @stmt's rows that stopped with @rc: resets @stmt, and says whether every
 * row was read. SQLITE_ROW means the walk's callback stopped it with its error set; any other
 * code but SQLITE_DONE sets the database's error. */
gboolean      _motcua_replica_rows_done    (MotcuaReplica  *self,
                                            sqlite3_stmt   *stmt,
                                            int             rc,
                                            GError        **error);

/* Ends a statement that read at most one row, or a walk its callback may stop early without
 * an error, which stopped with @rc: resets @stmt; FALSE with @walk_error (taken: the callback
 * failed) or with the database's error. */
gboolean      _motcua_replica_walk_done    (MotcuaReplica  *self,
                                            sqlite3_stmt   *stmt,
                                            int             rc,
                                            GError         *walk_error,
                                            GError        **error);

/* Steps @stmt (NULL: its error is set already) and returns the number it selects, or -1. */
gint64        _motcua_replica_step_count   (MotcuaReplica  *self,
                                            sqlite3_stmt   *stmt,
                                            GError        **error);

void          _motcua_replica_set_db_error (MotcuaReplica  *self,
                                            GError        **error);

void          _motcua_bind_value           (sqlite3_stmt   *stmt,
                                            int             index,
                                            const MotcuaValue *value);

/* Ends the group begun for one write: commits it if @ok, else rolls it back. Returns whether
 * the write is saved. */
gboolean      _motcua_replica_finish       (MotcuaReplica  *self,
                                            gboolean        ok,
                                            GError        **error);

gint64        _motcua_replica_meta_get_int (MotcuaReplica  *self,
                                            const char     *key,
                                            gint64          fallback);

/* Inside a transaction. */
gboolean      _motcua_replica_meta_set_int (MotcuaReplica  *self,
                                            const char     *key,
                                            gint64          value,
                                            GError        **error);

char         *_motcua_replica_meta_dup_text (MotcuaReplica *self,
                                             const char    *key);

/* Inside a transaction; NULL removes nothing but stores NULL. */
gboolean      _motcua_replica_meta_set_text (MotcuaReplica  *self,
                                             const char     *key,
                                             const char     *value,
                                             GError        **error);

gint64        _motcua_replica_now_ms       (MotcuaReplica  *self);

MotcuaHlc     _motcua_replica_tick         (MotcuaReplica  *self);

char         *_motcua_replica_now_iso      (MotcuaReplica  *self);

/* An office's jurisdiction on a day, as a WITH clause naming the table jurisdiction (id), from
 * the SQL parameters @code and @day: the office, the offices below it that are in force that
 * day or ended without a successor (whose cases stay with their parent), and every office whose
 * work passed to one of these when it ended (its cases followed). */
#define MOTCUA_STORE_JURISDICTION(code, day)                                                  \
  "WITH RECURSIVE jurisdiction (id) AS ("                                                    \
  "  SELECT id FROM offices WHERE code = " code " AND deleted IS NOT 1"                       \
  "  UNION"                                                                                  \
  "  SELECT o.id FROM offices o JOIN jurisdiction j ON o.parent_id = j.id"                   \
  "  WHERE o.deleted IS NOT 1"                                                               \
  "  AND (o.in_force_to IS NULL OR o.in_force_to >= " day " OR o.successor_id IS NULL)"       \
  "  UNION"                                                                                  \
  "  SELECT o.id FROM offices o JOIN jurisdiction j ON o.successor_id = j.id"                \
  "  WHERE o.deleted IS NOT 1) "

/* The receiving office of the case @c (a table alias) as far as it still holds the case:
 * NULL once the result of a dossier whose result the deciding office hands back has been
 * handed back (schema 10). A case is in the scope of the replicas of this office and of its
 * handling office: the one rule of the digest, the state transfer, the purge and the hub. */
#define MOTCUA_STORE_CASE_RECEIVER(c)                                                         \
  "CASE WHEN " c ".returned_at IS NOT NULL AND " c ".return_at = 'deciding' THEN NULL"          \
  " ELSE " c ".receiving_office_id END"

/* Moves the replica to office @code (a reorganisation ended its own): its meta and identity,
 * inside the caller's transaction. */
gboolean      _motcua_replica_set_office_code (MotcuaReplica  *self,
                                               const char     *code,
                                               GError        **error);
char         *_motcua_replica_today        (MotcuaReplica  *self);

GArray       *_motcua_fts_pending_new      (void);

/* Queues the full-text update of the row @rid of @table: from @old (NULL for a new row) to @now,
 * the values of the table's full-text columns (motcua-fts.c). */
void          _motcua_replica_queue_fts    (MotcuaReplica         *self,
                                            const MotcuaTableDesc *table,
                                            gint64                 rid,
                                            const MotcuaValue     *old,
                                            const MotcuaValue     *now);

/* Applies the full-text updates of the transaction; called just before it commits. */
gboolean      _motcua_replica_flush_fts    (MotcuaReplica  *self,
                                            GError        **error);

/* Replicas by local index (origins.idx); an unknown UUID gets a new index. */
gboolean      _motcua_replica_origin_index (MotcuaReplica     *self,
                                            const MotcuaUuid  *uuid,
                                            gint64            *index_out,
                                            GError           **error);

gboolean      _motcua_replica_origin_uuid  (MotcuaReplica     *self,
                                            gint64             index,
                                            MotcuaUuid        *out,
                                            GError           **error);

MotcuaWriteMode _motcua_replica_authority  (MotcuaReplica  *self);

/* The FTS5 tokenizer "motcua" (folding Vietnamese) on @db. */
gboolean      _motcua_fts_register         (sqlite3        *db,
                                            GError        **error);

/* "nguyen van" → "\"nguyen\"* \"van\"*" for FTS5 MATCH; NULL when nothing is left. */
char         *_motcua_fts_query            (const char     *text);

void          _motcua_replica_drop_caches  (MotcuaReplica  *self);

G_END_DECLS
