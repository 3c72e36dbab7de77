/* motcua-replica-private.h: what the modules of libmotcua share about a replica
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

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

typedef struct
{
  const char      *name;
  MotcuaColumnKind kind;
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

static inline MotcuaValue
_motcua_value_text (const char *text)
{
  MotcuaValue value = { text != NULL ? SQLITE_TEXT : SQLITE_NULL, 0, text };

  return value;
}
#define MOTCUA_VALUE_ID(u)         ((MotcuaValue) { SQLITE_BLOB, 0, (const char *) (u)->bytes })

/* Why a write is made. */
typedef enum
{
  MOTCUA_WRITE_LOCAL,   /* an edit on this replica: logged, replicates */
  MOTCUA_WRITE_SEED,    /* local reference data on a non-province replica: not logged */
  MOTCUA_WRITE_NEW,     /* as LOCAL, for a row just named with a fresh UUIDv7: it cannot exist */
} MotcuaWriteMode;

/* What a reception needs to know of a procedure (motcua-cases.c). */
typedef struct
{
  MotcuaUuid id;
  guint      processing_days;
  guint      n_documents;
  char      *name;
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
  GHashTable      *procedures;     /* code → MotcuaProcedureInfo, cached */

  MotcuaCalendar  *calendar;       /* cache, dropped when the calendar table changes */

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

gboolean      _motcua_replica_keep_logged_row (MotcuaReplica         *self,
                                              const MotcuaTableDesc *table,
                                              gint64                 rid,
                                              const MotcuaUuid      *id,
                                              GError               **error);

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
char         *_motcua_replica_today        (MotcuaReplica  *self);

/* Change capture: write the given columns of a row (creating it if needed) and log one change
 * per column whose value changed. @mask has bit (n - 1) for column n. */
gboolean      _motcua_replica_write_row    (MotcuaReplica         *self,
                                            const MotcuaTableDesc *table,
                                            const MotcuaUuid      *id,
                                            const MotcuaValue     *values,
                                            guint64                mask,
                                            MotcuaWriteMode        mode,
                                            MotcuaHlc              hlc,
                                            gint64                *rid_out,
                                            GError               **error);
/* Reads the next change of a change record's fields; FALSE at the end or on damage. */
gboolean      _motcua_change_fields_next   (const guint8  **p,
                                            const guint8   *end,
                                            guint          *column,
                                            MotcuaHlc      *prev_hlc,
                                            MotcuaValue    *value,
                                            gsize          *text_len);
GArray       *_motcua_fts_pending_new      (void);
/* Applies the full-text updates of the transaction; called just before it commits. */
gboolean      _motcua_replica_flush_fts    (MotcuaReplica  *self,
                                            GError        **error);

/* Re-issue a change the server refused (see motcua_replica_retry_rejected()): the field
 * @column of a row as it holds now, or a whole row of an insert-only table, logged as a new
 * local change stamped @hlc. It has seen @seen (NULL: the register the field holds).
 * MOTCUA_ERROR_INVALID when the row is no longer here. */
gboolean      _motcua_replica_reissue_field (MotcuaReplica         *self,
                                             const MotcuaTableDesc *table,
                                             const MotcuaUuid      *id,
                                             guint                  column,
                                             const MotcuaHlc       *seen,
                                             MotcuaHlc              hlc,
                                             GError               **error);
gboolean      _motcua_replica_reissue_insert (MotcuaReplica         *self,
                                              const MotcuaTableDesc *table,
                                              const MotcuaUuid      *id,
                                              MotcuaHlc              hlc,
                                              GError               **error);
/* A refused change to a row purged meanwhile, logged again from its record's @value (for a
 * row of a timeline or a scan, @column 0 and the JSON the record kept). */
gboolean      _motcua_replica_log_again    (MotcuaReplica         *self,
                                            const MotcuaTableDesc *table,
                                            const MotcuaUuid      *id,
                                            guint                  column,
                                            const MotcuaValue     *value,
                                            MotcuaHlc              seen,
                                            MotcuaHlc              hlc,
                                            GError               **error);

/* Puts back a row of a timeline or a scan this replica wrote and purged with its case, from
 * the values its record kept (@kept, JSON: see _motcua_replica_keep_logged_row()), if its case
 * is here (@put says whether) and the row is not (motcua-changes.c). Inside a transaction. */
gboolean      _motcua_replica_put_back_logged_row (MotcuaReplica         *self,
                                                   const MotcuaTableDesc *table,
                                                   const MotcuaUuid      *id,
                                                   const char            *kept,
                                                   gboolean              *put,
                                                   GError               **error);

/* Insert a row of an insert-only table and log it as one change. */
gboolean      _motcua_replica_insert_row   (MotcuaReplica         *self,
                                            const MotcuaTableDesc *table,
                                            const MotcuaUuid      *id,
                                            const MotcuaValue     *values,
                                            MotcuaHlc              hlc,
                                            GError               **error);

/* A register as it was before a merge: for the hub, which detects conflicts. */
typedef struct
{
  gboolean    exists;     /* the row existed */
  MotcuaValue value;
  char       *owned;      /* the bytes of value, owned */
  MotcuaHlc   hlc;        /* 0: never written */
  MotcuaUuid  origin;
} MotcuaRegister;

void          _motcua_register_clear       (MotcuaRegister *reg);

/* Merging changes from other replicas (motcua-capture.c). */
typedef struct
{
  guint              column;       /* from 1 */
  const MotcuaValue *value;
  MotcuaHlc          hlc;
  gint64             origin;       /* its index, see _motcua_replica_origin_index() */
  const MotcuaUuid  *origin_uuid;
} MotcuaFieldWrite;

/* Merges fields (each column at most once) of one row: the row is read and written once, as if
 * they had been merged one by one in order. @won and @olds (NULL or one register each, as
 * _motcua_replica_merge_field() gives it) have @n_fields elements. */
gboolean      _motcua_replica_merge_fields (MotcuaReplica          *self,
                                            const MotcuaTableDesc  *table,
                                            const MotcuaUuid       *id,
                                            guint                   n_fields,
                                            const MotcuaFieldWrite *fields,
                                            gboolean               *won,
                                            MotcuaRegister         *olds,
                                            GError                **error);
gboolean      _motcua_replica_merge_field  (MotcuaReplica         *self,
                                            const MotcuaTableDesc *table,
                                            const MotcuaUuid      *id,
                                            guint                  column,
                                            const MotcuaValue     *value,
                                            MotcuaHlc              hlc,
                                            gint64                 origin,
                                            const MotcuaUuid      *origin_uuid,
                                            gboolean              *won,
                                            MotcuaRegister        *old,
                                            GError               **error);
gboolean      _motcua_replica_merge_insert (MotcuaReplica         *self,
                                            const MotcuaTableDesc *table,
                                            const MotcuaUuid      *id,
                                            const MotcuaValue     *values,
                                            gboolean              *inserted,
                                            GError               **error);

/* No stamp is later than 3000-01-01: a stamp near 2^63 would overflow the clocks that observe
 * it (the next tick would be negative). */
#define MOTCUA_HLC_LATEST (G_GINT64_CONSTANT (32503680000000) << 16)

/* Replicas by local index (origins.idx); an unknown UUID gets a new index. */
gboolean      _motcua_replica_origin_index (MotcuaReplica     *self,
                                            const MotcuaUuid  *uuid,
                                            gint64            *index_out,
                                            GError           **error);
gboolean      _motcua_replica_origin_uuid  (MotcuaReplica     *self,
                                            gint64             index,
                                            MotcuaUuid        *out,
                                            GError           **error);

/* Lookups by natural key; FALSE with MOTCUA_ERROR_NOT_FOUND naming the field. */
gboolean      _motcua_replica_office_id    (MotcuaReplica  *self,
                                            const char     *field,
                                            const char     *code,
                                            MotcuaUuid     *out,
                                            GError        **error);
gboolean      _motcua_replica_case_rid     (MotcuaReplica  *self,
                                            const char     *key,
                                            gint64         *rid_out,
                                            MotcuaUuid     *id_out,
                                            GError        **error);
/* Whether @value may be stored in the column @column (its index) of a case, by the rules the
 * replica's own writes obey (a citizen ID of 12 digits, a channel by name, real dates, papers
 * as a list, a procedure of the catalogue…): one definition, called where a replica writes a
 * case and where a hub is pushed a change to one (motcua-cases.c). @procedure_id: the case's
 * procedure, to bound its papers by, or NULL. */
gboolean      _motcua_case_check_value     (MotcuaReplica      *self,
                                            guint               column,
                                            const MotcuaValue  *value,
                                            const MotcuaUuid   *procedure_id,
                                            GError            **error);
/* Appends an event to a case's timeline, by this replica's officer, now (motcua-cases.c).
 * Inside a transaction. */
gboolean      _motcua_replica_add_case_event (MotcuaReplica    *self,
                                              const MotcuaUuid *case_id,
                                              MotcuaHlc         hlc,
                                              const char       *action,
                                              const char       *detail,
                                              const char       *note,
                                              GError          **error);
/* Whether @office is @root or an office below it. */
gboolean      _motcua_replica_office_within (MotcuaReplica    *self,
                                             const MotcuaUuid *office,
                                             const MotcuaUuid *root,
                                             GError          **error);
MotcuaWriteMode _motcua_replica_authority  (MotcuaReplica  *self);

/* Bytes from the kernel's random source (motcua-uuid.c). */
void          _motcua_random_bytes         (guint8         *buf,
                                            gsize           len);

/* Writes a JSON string literal for @text (NULL → null). */
void          _motcua_json_append_string   (GString        *out,
                                            const char     *text);

/* The FTS5 tokenizer "motcua" (folding Vietnamese) on @db. */
gboolean      _motcua_fts_register         (sqlite3        *db,
                                            GError        **error);
/* The folded letter or digit for @c; 0 for a separator; MOTCUA_FOLD_SKIP for a combining mark,
 * which belongs to the letter before it. */
#define MOTCUA_FOLD_SKIP ((gunichar) 1)
gunichar      _motcua_fold_char            (gunichar        c);

/* "nguyen van" → "\"nguyen\"* \"van\"*" for FTS5 MATCH; NULL when nothing is left. */
char         *_motcua_fts_query            (const char     *text);

void          _motcua_replica_drop_caches  (MotcuaReplica  *self);

/* The replica's side of replication (motcua-replication.c) */
guint64       _motcua_replica_get_acked    (MotcuaReplica  *self);
/* The most the server ever acknowledged: more than it does now when its store was restored
 * from an older copy. The changes up to it were pulled by others meanwhile: they go again as
 * they were, never re-stamped. */
guint64       _motcua_replica_get_acked_ever (MotcuaReplica *self);
/* Inside a transaction. */
gboolean      _motcua_replica_set_acked    (MotcuaReplica  *self,
                                            guint64         acked,
                                            GError        **error);
/* An order-independent digest of the current values of everything in the scope of @office_code
 * (motcua-replication.c): 32 hex digits. Both sides of a sync compute it. */
char         *_motcua_replica_scope_digest (MotcuaReplica  *self,
                                            const char     *office_code,
                                            GError        **error);
/* Records a refusal; @gone: the case the server said is not this replica's, @wait: the case
 * the server does not hold yet, which the change waits for (each may be NULL). */
gboolean      _motcua_replica_add_rejected (MotcuaReplica     *self,
                                            guint64            seq,
                                            const char        *reason,
                                            const MotcuaUuid  *gone,
                                            const MotcuaUuid  *wait,
                                            GError           **error);
/* A state transfer: the cases and conflicts of a batch of it are noted as the server's, and
 * at its end the rows it did not bring go, unless something of them is not acknowledged or
 * was refused (motcua-replication.c). Inside a transaction. */
gboolean      _motcua_replica_transfer_end (MotcuaReplica     *self,
                                            guint             *n_out,
                                            GError           **error);
/* Sends again the changes that waited for the case @case_id, now that it came from the
 * server (motcua-conflicts.c). Inside a transaction. */
gboolean      _motcua_replica_retry_waiting (MotcuaReplica     *self,
                                             const MotcuaUuid  *case_id,
                                             GError           **error);
/* Gives this replica's unpushed changes (past @acked) new stamps from the corrected clock,
 * and corrects the times they read from the clock by @shift_ms (motcua-capture.c). Inside a
 * transaction. */
gboolean      _motcua_replica_restamp      (MotcuaReplica  *self,
                                            guint64         acked,
                                            gint64          shift_ms,
                                            guint          *n_out,
                                            GError        **error);
/* The due date of case @rid if its clock started on @day (motcua-cases.c). */
gboolean      _motcua_replica_case_due_date (MotcuaReplica  *self,
                                             gint64          rid,
                                             const char     *day,
                                             char            out[11],
                                             GError        **error);
/* Deletes the cases outside this replica's scope that hold nothing unacknowledged; @n_kept_out
 * counts those that wait for their changes to be acknowledged. */
gboolean      _motcua_replica_purge        (MotcuaReplica  *self,
                                            guint          *n_out,
                                            guint          *n_kept_out,
                                            GError        **error);
/* Office ids (16-byte GBytes) of @office_code and the offices below it. */
GHashTable   *_motcua_replica_subtree_set  (MotcuaReplica  *self,
                                            const char     *office_code,
                                            GError        **error);
/* Whether the 16-byte id @id (of @size bytes) is in such a set. */
gboolean      _motcua_id_in_set            (GHashTable     *set,
                                            const void     *id,
                                            int             size);
/* Receipt numbers: a leased block, and how many are left of this year's for @office_id. */
gboolean      _motcua_replica_add_lease    (MotcuaReplica    *self,
                                            const MotcuaUuid *office_id,
                                            int               year,
                                            gint64            first,
                                            gint64            last,
                                            GError          **error);
typedef struct
{
  MotcuaUuid  id;
  char       *code;
} MotcuaLeaseOffice;

void          _motcua_lease_office_free    (gpointer          data);
GPtrArray    *_motcua_replica_lease_offices (MotcuaReplica   *self,
                                             GError         **error);
gint64        _motcua_replica_lease_left   (MotcuaReplica    *self,
                                            const MotcuaUuid *office_id,
                                            int               year);
/* Takes the next leased number, or 0 when none is left. Inside a transaction. */
gint64        _motcua_replica_take_leased  (MotcuaReplica    *self,
                                            const MotcuaUuid *office_id,
                                            int               year,
                                            GError          **error);

G_END_DECLS
