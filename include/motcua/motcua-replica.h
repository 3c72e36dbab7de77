#pragma once

#include "motcua-inside.h"
#include <glib-object.h>

#include "motcua-hlc.h"
#include "motcua-records.h"
#include "motcua-workdays.h"

G_BEGIN_DECLS

#define MOTCUA_TYPE_REPLICA (motcua_replica_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaReplica, motcua_replica, MOTCUA, REPLICA, GObject)

/**
 * MotcuaReplica:
 *
 * One office's local replica: an SQLite file holding the offices, the procedure catalogue, the
 * calendar and the cases in the office's jurisdiction, and the log of every change this replica
 * made. Every write goes through this object: it validates its input and, in one transaction,
 * writes the row and appends one change per changed field. A write is durable when the call
 * returns.
 *
 * A replica is used from one thread at a time.
 */

G_GNUC_WARN_UNUSED_RESULT
MotcuaReplica   *motcua_replica_create            (const char            *path,
                                                   const char            *office_code,
                                                   MotcuaLevel            role,
                                                   GError               **error);
G_GNUC_WARN_UNUSED_RESULT
MotcuaReplica   *motcua_replica_open              (const char            *path,
                                                   GError               **error);
/* How long a write waits for another process's write to the same file (a sync beside the
 * desk, an administration command beside the server) before it fails as busy; 5 s at first. */
void             motcua_replica_set_busy_timeout  (MotcuaReplica         *self,
                                                   guint                  ms);

const char      *motcua_replica_get_path          (MotcuaReplica         *self);
const char      *motcua_replica_get_id            (MotcuaReplica         *self);
const char      *motcua_replica_get_office_code   (MotcuaReplica         *self);
/* Today by the replica's clock, in Vietnam (UTC+7): YYYY-MM-DD. */
char            *motcua_replica_dup_today         (MotcuaReplica         *self)
                                                   G_GNUC_WARN_UNUSED_RESULT;
MotcuaLevel      motcua_replica_get_role          (MotcuaReplica         *self);
const char      *motcua_replica_get_officer       (MotcuaReplica         *self);
void             motcua_replica_set_officer       (MotcuaReplica         *self,
                                                   const char            *officer);
guint64          motcua_replica_get_last_seq      (MotcuaReplica         *self);

/* Clock used for every stamp; tests replace it to replay a known day. Returns Unix ms. */
typedef gint64 (*MotcuaClockFunc) (gpointer user_data);
void             motcua_replica_set_clock         (MotcuaReplica         *self,
                                                   MotcuaClockFunc        func,
                                                   gpointer               user_data);

/* Group many writes into one transaction (a bulk import, a batch). A failed write inside the
 * group undoes only itself; rollback undoes the whole group. */
gboolean         motcua_replica_begin             (MotcuaReplica         *self,
                                                   GError               **error);
gboolean         motcua_replica_commit            (MotcuaReplica         *self,
                                                   GError               **error);
void             motcua_replica_rollback          (MotcuaReplica         *self);

/* Offices, the catalogue and the calendar are province-authored. On a province replica these
 * writes are logged and replicate; on any other replica they load local reference data (the
 * offline bootstrap before a first sync) which is never pushed and which the province's own
 * rows override. */
gboolean         motcua_replica_put_office        (MotcuaReplica         *self,
                                                   const MotcuaOffice    *office,
                                                   GError               **error);
G_GNUC_WARN_UNUSED_RESULT
MotcuaOffice    *motcua_replica_dup_office        (MotcuaReplica         *self,
                                                   const char            *code,
                                                   GError               **error);
G_GNUC_WARN_UNUSED_RESULT
GPtrArray       *motcua_replica_list_offices      (MotcuaReplica         *self,
                                                   GError               **error);
/* @code and every office below it, in tree order (parents first). */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray       *motcua_replica_list_subtree      (MotcuaReplica         *self,
                                                   const char            *code,
                                                   GError               **error);
/* The offices of @code's jurisdiction today, by code: the offices below it in force today (or
 * ended without a successor), and the ended offices whose work passed to one of them. Its
 * replica holds the cases they received or handle. */
GPtrArray       *motcua_replica_list_jurisdiction (MotcuaReplica         *self,
                                                   const char            *code,
                                                   GError               **error);
/* The tree in force on @day (YYYY-MM-DD) from @code, in tree order (parents first, siblings by
 * code), each office under the parent it had that day; an error if @code was not in force. */
GPtrArray       *motcua_replica_list_tree_on      (MotcuaReplica         *self,
                                                   const char            *code,
                                                   const char            *day,
                                                   GError               **error);

gboolean         motcua_replica_put_procedure     (MotcuaReplica         *self,
                                                   const MotcuaProcedure *procedure,
                                                   GError               **error);
G_GNUC_WARN_UNUSED_RESULT
MotcuaProcedure *motcua_replica_dup_procedure     (MotcuaReplica         *self,
                                                   const char            *code,
                                                   GError               **error);
/* @sector NULL for any; @level -1 for any. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray       *motcua_replica_list_procedures   (MotcuaReplica         *self,
                                                   const char            *sector,
                                                   int                    level,
                                                   GError               **error);
G_GNUC_WARN_UNUSED_RESULT
GPtrArray       *motcua_replica_search_procedures (MotcuaReplica         *self,
                                                   const char            *query,
                                                   guint                  limit,
                                                   GError               **error);

/* @kind is "holiday", "off" or "working". */
gboolean         motcua_replica_put_calendar_day  (MotcuaReplica         *self,
                                                   const char            *date,
                                                   const char            *kind,
                                                   const char            *name,
                                                   GError               **error);
G_GNUC_WARN_UNUSED_RESULT
GPtrArray       *motcua_replica_list_calendar     (MotcuaReplica         *self,
                                                   int                    year,
                                                   GError               **error);
/* The statutory default with the province's published days on top. */
G_GNUC_WARN_UNUSED_RESULT
MotcuaCalendar  *motcua_replica_dup_calendar      (MotcuaReplica         *self,
                                                   GError               **error);
/* The due date (YYYY-MM-DD) of a dossier of @procedure_code received at @received_at (ISO
 * 8601, NULL: now) at the counter, by the procedure's time limit in its unit; _for_channel()
 * through @channel, where an online dossier after the cut-off or on a day off counts from the
 * next working day. */
G_GNUC_WARN_UNUSED_RESULT
char            *motcua_replica_compute_due_date  (MotcuaReplica         *self,
                                                   const char            *procedure_code,
                                                   const char            *received_at,
                                                   GError               **error);
G_GNUC_WARN_UNUSED_RESULT
char            *motcua_replica_compute_due_date_for_channel (MotcuaReplica  *self,
                                                              const char     *procedure_code,
                                                              const char     *received_at,
                                                              MotcuaChannel   channel,
                                                              GError        **error);

typedef struct
{
  const char    *procedure_code;
  const char    *receiving_office;   /* NULL: this replica's office */
  /* The office that decides it, when another office of the province does (the dossier is
   * forwarded to it at once); NULL: the receiving office, when its level decides it. */
  const char    *deciding_office;
  /* With a deciding office: its result is handed back by the deciding office (or sent from
   * it), not at the receiving desk. Refused without one. */
  gboolean       return_at_deciding;
  const char    *applicant_name;
  const char    *citizen_id;         /* 12 digits */
  const char    *phone;              /* Vietnamese number, may be NULL */
  const char    *address;
  MotcuaChannel  channel;
  MotcuaPriority priority;
  const char    *received_at;        /* ISO 8601; NULL: now */
  const guint   *papers;             /* indices into the procedure's documents */
  guint          n_papers;
  const char    *note;
} MotcuaReception;

G_GNUC_WARN_UNUSED_RESULT
MotcuaCase      *motcua_replica_receive           (MotcuaReplica         *self,
                                                   const MotcuaReception *reception,
                                                   GError               **error);

/* A case brought over from another system with its historical dates and outcome. */
gboolean         motcua_replica_import_case       (MotcuaReplica         *self,
                                                   const MotcuaCase      *record,
                                                   GError               **error);

/* @key is a case id or a receipt number. */
G_GNUC_WARN_UNUSED_RESULT
MotcuaCase      *motcua_replica_dup_case          (MotcuaReplica         *self,
                                                   const char            *key,
                                                   GError               **error);
G_GNUC_WARN_UNUSED_RESULT
GPtrArray       *motcua_replica_list_case_events  (MotcuaReplica         *self,
                                                   const char            *key,
                                                   GError               **error);

/* Editable fields: applicant_name, citizen_id, phone, address, channel, priority, papers
 * ("0,2,3"), result, rating (0–5). Status, office and dates change through the workflow. */
gboolean         motcua_replica_edit_case         (MotcuaReplica         *self,
                                                   const char            *key,
                                                   const char            *field,
                                                   const char            *value,
                                                   const char            *note,
                                                   GError               **error);
G_GNUC_WARN_UNUSED_RESULT
GStrv            motcua_case_editable_fields      (void);
/* How the desk and the CLI name a case's field (translated), or @field itself. */
const char      *motcua_case_field_label          (const char            *field);

typedef struct
{
  const char    *at;           /* ISO 8601; NULL: now */
  const char    *note;
  const char    *result;       /* with approved/refused: what was decided or issued */
  MotcuaChannel  returned_via; /* with returned */
} MotcuaStepOptions;

gboolean         motcua_replica_advance_case      (MotcuaReplica         *self,
                                                   const char            *key,
                                                   MotcuaStatus           to,
                                                   const MotcuaStepOptions *options,
                                                   GError               **error);
gboolean         motcua_replica_transfer_case     (MotcuaReplica         *self,
                                                   const char            *key,
                                                   const char            *office_code,
                                                   const char            *note,
                                                   GError               **error);

/* The apology for a late case (phiếu xin lỗi và hẹn lại ngày trả kết quả): records on the
 * open case @key an "apologised" event promising the result on @new_date (YYYY-MM-DD, a
 * working day after the case's due date, today and any date promised already) for @reason
 * (required: the officer's words, printed on the slip, kept as the event's note). The event's
 * old_value is the date promised before (the due date at first), its new_value @new_date, its
 * due_date the case's. The case's due date does not change: it stays the legal deadline the
 * report judges by; motcua_case_dup_promised_date() reads the promise back. */
gboolean         motcua_replica_apologise_case    (MotcuaReplica         *self,
                                                   const char            *key,
                                                   const char            *new_date,
                                                   const char            *reason,
                                                   GError               **error);
/* The date promised by the latest apology among @events (@self's timeline, oldest first, as
 * motcua_replica_list_case_events() gives it), or NULL when none is later than @self's due
 * date (none was given, or the clock restarted since). */
G_GNUC_WARN_UNUSED_RESULT
char            *motcua_case_dup_promised_date    (const MotcuaCase      *self,
                                                   GPtrArray             *events);

typedef struct
{
  int         status;          /* MotcuaStatus or -1 */
  gboolean    open_only;       /* not yet resolved, returned, withdrawn or cancelled */
  gboolean    overdue;         /* open and past its due date on @today */
  gboolean    due_this_week;   /* open and due between @today and the week's Sunday */
  const char *procedure_code;
  int         channel;         /* MotcuaChannel or -1 */
  const char *office;          /* receiving or handling office in this office's jurisdiction */
  const char *query;           /* full-text, diacritic-insensitive, prefix as typed */
  const char *today;           /* YYYY-MM-DD; NULL: the replica clock's day (UTC+7) */
  guint       offset;
  guint       limit;           /* 0: 100 */
} MotcuaCaseFilter;

#define MOTCUA_CASE_FILTER_INIT { .status = -1, .channel = -1 }

G_GNUC_WARN_UNUSED_RESULT
GPtrArray       *motcua_replica_list_cases        (MotcuaReplica          *self,
                                                   const MotcuaCaseFilter *filter,
                                                   GError                **error);
gint64           motcua_replica_count_cases       (MotcuaReplica          *self,
                                                   const MotcuaCaseFilter *filter,
                                                   GError                **error);

/* Compacts the search indexes (one segment each) and refreshes SQLite's statistics. Worth doing
 * after a bulk import, or at a quiet moment: searches get faster. Takes seconds on a million
 * cases. */
gboolean         motcua_replica_optimize          (MotcuaReplica         *self,
                                                   GError               **error);

/* Local changes not yet acknowledged by a server, as the file holds them: those another
 * connection numbered included. */
gint64           motcua_replica_count_pending     (MotcuaReplica         *self,
                                                   GError               **error);

/* The change log, oldest first: for inspection and the replication engine. */
typedef struct
{
  char      *origin;      /* replica id */
  guint64    seq;
  MotcuaHlc  hlc;
  char      *table;
  char      *row_id;
  char      *column;      /* NULL for a whole insert-only row */
  GVariant  *value;       /* "mv": nothing for NULL, else x or s */
  MotcuaHlc  prev_hlc;
} MotcuaChange;

void             motcua_change_free               (MotcuaChange          *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaChange, motcua_change_free)

G_GNUC_WARN_UNUSED_RESULT
GPtrArray       *motcua_replica_list_changes      (MotcuaReplica         *self,
                                                   guint64                after_seq,
                                                   guint                  limit,
                                                   GError               **error);

G_END_DECLS
