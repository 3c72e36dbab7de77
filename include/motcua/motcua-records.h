#pragma once

#include "motcua-inside.h"
#include <glib-object.h>

#include "motcua-workflow.h"

G_BEGIN_DECLS

/* Plain copies of replicated rows, read from a replica. They are snapshots: changing one changes
 * nothing in the replica; writes go through MotcuaReplica. Ids are UUID strings. */

typedef enum
{
  MOTCUA_LEVEL_PROVINCE,
  MOTCUA_LEVEL_DEPARTMENT,
  MOTCUA_LEVEL_DISTRICT,
  MOTCUA_LEVEL_COMMUNE,
  MOTCUA_N_LEVELS
} MotcuaLevel;

const char *motcua_level_to_string   (MotcuaLevel  level);
gboolean    motcua_level_from_string (const char  *text,
                                      MotcuaLevel *out);

/* The unit a procedure's time limit is counted in. */
typedef enum
{
  MOTCUA_TIME_WORKING_DAYS,   /* ngày làm việc: the calendar's working days */
  MOTCUA_TIME_DAYS,           /* ngày: calendar days, ending on a working day */
  MOTCUA_TIME_HOURS,          /* giờ: hours from the moment the clock starts */
  MOTCUA_N_TIME_UNITS
} MotcuaTimeUnit;

/* "working_days", "days", "hours" */
const char *motcua_time_unit_to_string   (MotcuaTimeUnit  unit);
gboolean    motcua_time_unit_from_string (const char     *text,
                                          MotcuaTimeUnit *out);
/* The largest time limit a procedure may have in @unit: 365 working days, 730 days, 720
 * hours. */
guint       motcua_time_unit_max         (MotcuaTimeUnit  unit);

typedef enum
{
  MOTCUA_SYNC_STATE_PENDING,
  MOTCUA_SYNC_STATE_SYNCED,
  MOTCUA_SYNC_STATE_REJECTED,
  MOTCUA_SYNC_STATE_CONFLICT,
} MotcuaSyncState;

/* A parent an office had before a reorganisation moved it, until @until (its last day there). */
typedef struct
{
  char *code;
  char  until[11];
} MotcuaOfficeParent;

/* An office, with the days it was in force: offices are created, merged and ended by the
 * reorganisations the province publishes, and the tree on any day is derived from them. */
typedef struct
{
  char               *id;
  char               *code;
  char               *name;
  MotcuaLevel         level;
  char               *parent_code;      /* NULL for the root */
  char               *in_force_from;    /* YYYY-MM-DD, or NULL: since before the records */
  char               *in_force_to;      /* its last day, or NULL: in force */
  char               *successor_code;   /* who took its work over when it ended, or NULL */
  char               *centre;           /* its one-stop reception, as receipts print it, or NULL */
  MotcuaOfficeParent *former_parents;   /* oldest first */
  guint               n_former_parents;
} MotcuaOffice;

typedef struct
{
  char    *id;
  char    *code;
  gboolean code_official;
  char    *name;
  char    *sector;
  guint    levels;            /* bit (1 << MotcuaLevel) per level that decides it */
  guint    receiving_levels;  /* the levels that may receive it; 0: those that decide it */
  guint    processing_days;   /* the time limit, the amount in time_unit; 0 = the same day */
  MotcuaTimeUnit time_unit;
  gint64   fee;               /* VND */
  char    *fee_note;
  gboolean online_full;       /* full (toàn trình) or partial online service */
  GStrv    documents;         /* required papers, in order; cases tick them by index */
  GStrv    legal_basis;
  char    *in_force_from;     /* YYYY-MM-DD or NULL */
  char    *in_force_to;
  gboolean sample;            /* some figure is a sample, not an official fact */
} MotcuaProcedure;

typedef struct
{
  char          *id;
  char          *receipt_no;
  char          *procedure_code;
  char          *procedure_name;
  char          *receiving_office;   /* office codes */
  char          *handling_office;
  char          *applicant_name;
  char          *citizen_id;
  char          *phone;
  char          *address;
  MotcuaChannel  channel;
  MotcuaPriority priority;
  char          *received_at;        /* ISO 8601, +07:00 */
  char          *clock_start;        /* YYYY-MM-DD the deadline counts from */
  char          *due_date;           /* YYYY-MM-DD */
  MotcuaStatus   status;
  guint          status_generation;
  GArray        *papers;             /* guint indices into the procedure's documents */
  char          *resolved_at;        /* ISO 8601 or NULL */
  char          *result;             /* the decision or document issued, or NULL */
  char          *returned_at;
  MotcuaChannel  returned_via;
  int            rating;             /* 0 = none, 1..5 */
  /* A dossier decided by another office than the one that received it: its result is handed
   * back by the deciding office, not at the receiving desk (which no longer holds the case
   * once it is). */
  gboolean       return_at_deciding;
  MotcuaSyncState sync_state;
} MotcuaCase;

typedef struct
{
  char *id;
  char *at;            /* ISO 8601 */
  char *replica;       /* the replica (desk) that wrote it */
  char *officer;
  char *action;        /* the kind: received, status, edited, transferred, imported,
                          attached, attachment_removed, conflict_resolved, apologised */
  char *detail;        /* only what an event of an older build said that its fields do not:
                          NULL for every event written since schema version 8 */
  char *note;          /* the officer's words */
  /* What happened, as the case stores values (status names, dates, office codes), never as
   * text for a reader (motcua_case_event_describe() makes one); NULL for what it does not
   * say. */
  char *field;         /* the case's column it changed: status, phone, handling_office_id… */
  char *old_value;
  char *new_value;     /* NULL with a field: cleared */
  char *from_office;   /* office codes, of a transfer */
  char *to_office;
  char *receipt_no;    /* of a reception or an import */
  char *due_date;      /* of a reception or an apology (the legal one), YYYY-MM-DD */
  char *ref;           /* the id of the row it is about: the scan attached or removed, the
                          conflict resolved */
} MotcuaCaseEvent;

typedef struct
{
  char *date;          /* YYYY-MM-DD */
  char *kind;          /* holiday, off, working */
  char *name;
} MotcuaCalendarEntry;

#define MOTCUA_TYPE_OFFICE    (motcua_office_get_type ())
#define MOTCUA_TYPE_PROCEDURE (motcua_procedure_get_type ())
#define MOTCUA_TYPE_CASE      (motcua_case_get_type ())
#define MOTCUA_TYPE_CASE_EVENT (motcua_case_event_get_type ())

GType            motcua_office_get_type     (void) G_GNUC_CONST;
GType            motcua_procedure_get_type  (void) G_GNUC_CONST;
GType            motcua_case_get_type       (void) G_GNUC_CONST;
GType            motcua_case_event_get_type (void) G_GNUC_CONST;

MotcuaOffice    *motcua_office_copy         (const MotcuaOffice    *self);
void             motcua_office_free         (MotcuaOffice          *self);
/* Whether @self was in force on @day (YYYY-MM-DD). */
/* Whether @self is in force on @day (YYYY-MM-DD): the reception of a dossier that day may use it. */
gboolean         motcua_procedure_in_force  (const MotcuaProcedure *self,
                                             const char            *day);
gboolean         motcua_office_in_force     (const MotcuaOffice    *self,
                                             const char            *day);
/* Its parent's code on @day: a former parent until the day it moved, then its parent. */
const char      *motcua_office_parent_on    (const MotcuaOffice    *self,
                                             const char            *day);
MotcuaProcedure *motcua_procedure_copy      (const MotcuaProcedure *self);
void             motcua_procedure_free      (MotcuaProcedure       *self);
MotcuaCase      *motcua_case_copy           (const MotcuaCase      *self);
void             motcua_case_free           (MotcuaCase            *self);
MotcuaCaseEvent *motcua_case_event_copy     (const MotcuaCaseEvent *self);
void             motcua_case_event_free     (MotcuaCaseEvent       *self);
char            *motcua_case_event_describe (const MotcuaCaseEvent *self) G_GNUC_WARN_UNUSED_RESULT;
void             motcua_calendar_entry_free (MotcuaCalendarEntry   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaOffice, motcua_office_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaProcedure, motcua_procedure_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaCase, motcua_case_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaCaseEvent, motcua_case_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaCalendarEntry, motcua_calendar_entry_free)

G_END_DECLS
