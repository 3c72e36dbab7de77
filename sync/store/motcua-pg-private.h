/* motcua-pg-private.h: the hub's PostgreSQL store, through libpq
 *
 * A province's server keeps its store in SQLite by default; a province that runs several server
 * processes keeps it in PostgreSQL 15 (the issue "The provincial server on PostgreSQL"). This
 * header is that store's connection (motcua-pg.c), its schema with its versions
 * (motcua-pg-schema.c) and each province's global order and clock (motcua-pg-log.c). Only the
 * store layer speaks to PostgreSQL, as only it speaks to SQLite.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

#include "motcua-hlc.h"
#include "motcua-uuid.h"

G_BEGIN_DECLS

/* The PostgreSQL schema this build writes and reads. */
#define MOTCUA_PG_SCHEMA_VERSION 2

typedef struct _MotcuaPg MotcuaPg;

/* Whether @store names a PostgreSQL store (a postgresql:// or postgres:// URI) rather than an
 * SQLite file. */
gboolean  _motcua_pg_is_uri           (const char  *store);
/* Connects to the database @uri names; the errors name the problem, never the URI (it may hold
 * a password). */
MotcuaPg *_motcua_pg_connect          (const char  *uri,
                                       GError     **error);
void      _motcua_pg_close            (MotcuaPg    *pg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MotcuaPg, _motcua_pg_close)

/* @sql's result (libpq's PGresult, for the store's own files: PQclear() it), with text
 * @params when @n_params > 0; NULL with @error set when it failed. */
struct pg_result *_motcua_pg_run      (MotcuaPg           *pg,
                                       const char         *sql,
                                       const char *const  *params,
                                       int                 n_params,
                                       GError            **error);
/* Runs @sql (statements without parameters; any rows they give are dropped). */
gboolean  _motcua_pg_exec             (MotcuaPg    *pg,
                                       const char  *sql,
                                       GError     **error);
/* The single integer the one-row, one-column query @sql returns; @fallback for no row or NULL. */
gboolean  _motcua_pg_query_int        (MotcuaPg    *pg,
                                       const char  *sql,
                                       gint64       fallback,
                                       gint64      *value,
                                       GError     **error);

/* The same with text parameters ($1, $2…), telling whether it gave a value (@found). */
gboolean  _motcua_pg_query_params_int (MotcuaPg           *pg,
                                       const char         *sql,
                                       const char *const  *params,
                                       int                 n_params,
                                       gboolean           *found,
                                       gint64             *value,
                                       GError            **error);

/* The schema version of the store (0: none yet). */
gboolean  _motcua_pg_schema_version   (MotcuaPg    *pg,
                                       int         *version,
                                       GError     **error);
/* Brings the store's schema up to MOTCUA_PG_SCHEMA_VERSION in one transaction, under a lock
 * that makes several processes migrating at once wait for each other. @from: the version it
 * was at. A store at a newer version than this build knows is left as it is, with
 * MOTCUA_ERROR_SCHEMA_TOO_NEW. */
gboolean  _motcua_pg_migrate          (MotcuaPg    *pg,
                                       int         *from,
                                       GError     **error);

/* A province's global order and clock (motcua-pg-log.c). */

/* Adds the province @code to the store, with its partition of the global log; nothing when it
 * is there already. */
gboolean  _motcua_pg_province_add     (MotcuaPg    *pg,
                                       const char  *code,
                                       const char  *name,
                                       GError     **error);
/* In the transaction that appends @n entries to @province's global log, before it appends
 * them: their numbers, @first … @first + @n - 1. The province's row stays locked until the
 * transaction ends, so the numbers follow commit order with no gap. */
gboolean  _motcua_pg_log_reserve      (MotcuaPg    *pg,
                                       const char  *province,
                                       guint        n,
                                       gint64      *first,
                                       GError     **error);
/* One row write in a province's global log. Borrowed. */
typedef struct
{
  int               kind;        /* 0: a row write; 1: a case's whole state (snapshot rows) */
  const MotcuaUuid *origin;
  gint64            seq;         /* the first of its origin's sequence numbers… */
  guint             n;           /* …and how many: seq … seq + n - 1 */
  MotcuaHlc         hlc;
  int               table;       /* MotcuaTableId */
  const MotcuaUuid *row_id;
  const MotcuaUuid *case_id;     /* NULL: about no case (reference data) */
  const MotcuaUuid *offices;     /* the offices that put it in a replica's scope, at most 3 */
  guint             n_offices;
  const char       *entry;       /* the write as the wire writes it */
} MotcuaPgLogEntry;

/* Appends @entries to @province's global log, numbered from the head on (@first_gseq), in the
 * caller's transaction, which holds the province's row until it ends. An entry whose (origin,
 * seq) the log holds already fails the whole append. */
gboolean  _motcua_pg_log_append       (MotcuaPg                *pg,
                                       const char              *province,
                                       const MotcuaPgLogEntry  *entries,
                                       guint                    n_entries,
                                       gint64                  *first_gseq,
                                       GError                 **error);
/* Calls @each with @province's entries after @after, in order, at most @limit; the entry is
 * valid during the call only (its @entry text and ids). FALSE from @each stops the read. */
typedef gboolean (*MotcuaPgLogEach) (gint64                   gseq,
                                     const MotcuaPgLogEntry  *entry,
                                     gpointer                 user_data);
gboolean  _motcua_pg_log_read         (MotcuaPg                *pg,
                                       const char              *province,
                                       gint64                   after,
                                       guint                    limit,
                                       MotcuaPgLogEach          each,
                                       gpointer                 user_data,
                                       GError                 **error);
/* A stamp from @province's clock later than every one it issued or saw, at @wall_ms. */
gboolean  _motcua_pg_clock_tick       (MotcuaPg    *pg,
                                       const char  *province,
                                       gint64       wall_ms,
                                       MotcuaHlc   *hlc,
                                       GError     **error);
/* @province's clock has seen @remote (a replica's stamp). */
gboolean  _motcua_pg_clock_observe    (MotcuaPg    *pg,
                                       const char  *province,
                                       MotcuaHlc    remote,
                                       GError     **error);

G_END_DECLS
