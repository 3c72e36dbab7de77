/* motcua-store-catalogue-private.h: offices, procedures and the calendar as the store reads them
 *
 * The province-authored rows the domain keeps (domain/motcua-catalogue.c), read by code, in
 * tree order, by filter or by full-text search, and handed over borrowed, one row per call of
 * a callback; the domain makes its records of them and keeps the rules (codes, levels, what a
 * missing one says). They are written as any replicated row is (_motcua_replica_write_row()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* Offices */

/* Sets @error to MOTCUA_ERROR_NOT_FOUND: @code is not one of this replica's offices. */
void      _motcua_store_offices_unknown   (const char        *code,
                                           GError           **error);

/* The office @code's id: *found says whether it is one of this replica's (not deleted). */
gboolean  _motcua_store_offices_find_id   (MotcuaReplica     *self,
                                           const char        *code,
                                           MotcuaUuid        *out,
                                           gboolean          *found,
                                           GError           **error);

/* Whether the office @id has a row, deleted or not. */
gboolean  _motcua_store_offices_exists    (MotcuaReplica     *self,
                                           const MotcuaUuid  *id,
                                           gboolean          *exists,
                                           GError           **error);

/* Whether @root is above @office, up to 16 levels: FALSE with @error set when it cannot be
 * read, FALSE without when it is not. */
gboolean  _motcua_store_offices_is_below  (MotcuaReplica     *self,
                                           const MotcuaUuid  *office,
                                           const MotcuaUuid  *root,
                                           GError           **error);

/* One office, borrowed: valid during the callback it is given to. */
typedef struct
{
  const MotcuaUuid *id;
  const char       *code;
  const char       *name;
  const char       *level;         /* as motcua_level_to_string() writes it */
  const char       *parent_code;   /* NULL for a root, or a parent this replica lacks */
  const char       *in_force_from;
  const char       *in_force_to;
  const char       *successor_code;
  const char       *former_parents;   /* "CODE/last day" entries joined by ';' */
  const char       *centre;
} MotcuaStoreOfficeRow;

typedef gboolean (*MotcuaStoreOfficeFunc) (const MotcuaStoreOfficeRow  *row,
                                           gpointer                     user_data,
                                           GError                     **error);

/* The office @code, if it is one of this replica's (not deleted): @each is called once or not
 * at all. */
gboolean  _motcua_store_offices_get       (MotcuaReplica          *self,
                                           const char             *code,
                                           MotcuaStoreOfficeFunc   each,
                                           gpointer                user_data,
                                           GError                **error);

/* The offices that are not deleted in tree order, siblings by code: all of them from the
 * roots (offices whose parent is none or unknown here) when @root_code is NULL, else those
 * of the subtree of @root_code. */
gboolean  _motcua_store_offices_each      (MotcuaReplica          *self,
                                           const char             *root_code,
                                           MotcuaStoreOfficeFunc   each,
                                           gpointer                user_data,
                                           GError                **error);

/* The offices of @code's jurisdiction on @day (MOTCUA_STORE_JURISDICTION), by code. */
gboolean  _motcua_store_offices_jurisdiction (MotcuaReplica          *self,
                                              const char             *code,
                                              const char             *day,
                                              MotcuaStoreOfficeFunc   each,
                                              gpointer                user_data,
                                              GError                **error);

/* Procedures */

/* One procedure, borrowed: valid during the callback it is given to. */
typedef struct
{
  const MotcuaUuid *id;
  const char       *code;
  gboolean          code_official;
  const char       *name;
  const char       *sector;
  const char       *levels;          /* levels by name, comma-separated */
  gint64            processing_days;
  gint64            fee;
  const char       *fee_note;
  const char       *online;          /* "full" or "partial" */
  const char       *documents;       /* a JSON array of strings */
  const char       *legal_basis;     /* a JSON array of strings */
  const char       *in_force_from;
  const char       *in_force_to;
  gboolean          sample;
  const char       *time_unit;       /* "days", "hours", or NULL: working days */
  const char       *receiving_levels;   /* as levels, or NULL: where it is decided */
} MotcuaStoreProcedureRow;

typedef gboolean (*MotcuaStoreProcedureFunc) (const MotcuaStoreProcedureRow  *row,
                                              gpointer                        user_data,
                                              GError                        **error);

/* The procedure @code, if the catalogue holds it (not deleted): @each is called once or not
 * at all. */
gboolean  _motcua_store_procedures_get    (MotcuaReplica             *self,
                                           const char                *code,
                                           MotcuaStoreProcedureFunc   each,
                                           gpointer                   user_data,
                                           GError                   **error);

/* The procedures that are not deleted, of @sector and for @level (its name) unless NULL, by
 * sector, name and code. */
gboolean  _motcua_store_procedures_each   (MotcuaReplica             *self,
                                           const char                *sector,
                                           const char                *level,
                                           MotcuaStoreProcedureFunc   each,
                                           gpointer                   user_data,
                                           GError                   **error);

/* At most @limit procedures that match the FTS5 query @match, best first. */
gboolean  _motcua_store_procedures_search (MotcuaReplica             *self,
                                           const char                *match,
                                           guint                      limit,
                                           MotcuaStoreProcedureFunc   each,
                                           gpointer                   user_data,
                                           GError                   **error);

/* Calendar */

/* One day of the calendar, borrowed: valid during the callback it is given to. */
typedef struct
{
  const char *date;
  const char *kind;   /* "holiday", "off" or "working" */
  const char *name;
} MotcuaStoreCalendarRow;

typedef gboolean (*MotcuaStoreCalendarFunc) (const MotcuaStoreCalendarRow  *row,
                                             gpointer                       user_data,
                                             GError                       **error);

/* The days of the calendar that are not deleted, by date: those whose date begins with
 * @year_prefix ("2026-"), or all of them when it is NULL. */
gboolean  _motcua_store_calendar_each     (MotcuaReplica            *self,
                                           const char               *year_prefix,
                                           MotcuaStoreCalendarFunc   each,
                                           gpointer                  user_data,
                                           GError                  **error);

G_END_DECLS
