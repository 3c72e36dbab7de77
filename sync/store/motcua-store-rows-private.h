/* motcua-store-rows-private.h: a replicated row's SQL: its values and registers, read and written
 *
 * The store's side of motcua-rows.c, motcua-capture.c and motcua-restamp.c (replication/): a row
 * of a table of registers read and written whole by its physical columns (the status as its two,
 * status and status_gen), a row of an insert-only table stored and looked up, and the columns a
 * re-stamp corrects. Values are borrowed from the statement: valid during the callback only.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-replica-private.h"

G_BEGIN_DECLS

/* A row's registers (_clk): the distinct (HLC, origin) pairs its columns were written with, then
 * one byte per column naming its pair. Most columns of a row were written together, so a case's
 * 21 registers take ~40 bytes rather than 21 × 12.
 *   [n] n × (HLC big-endian 8, origin index big-endian 4) [column → pair index or 0xff] */
#define NO_PAIR 0xff

typedef struct
{
  MotcuaHlc hlc[64];
  guint32   origin[64];
} Clocks;

void             _motcua_clocks_decode  (Clocks                 *clocks,
                                         guint                   n_columns,
                                         const guint8           *blob,
                                         gsize                   size);
GBytes          *_motcua_clocks_encode  (const Clocks           *clocks,
                                         guint                   n_columns);

/* The (HLC, origin) register of one column of a row, as it travels and as it is hashed. */
typedef struct
{
  gboolean   written;   /* FALSE: never written by a replica (seeded from a file) */
  MotcuaHlc  hlc;
  MotcuaUuid origin;
} MotcuaRowRegister;

/* The registers of @clocks (@n_columns of them) with their origins' UUIDs, into @out. */
gboolean         _motcua_clocks_registers (MotcuaReplica        *self,
                                           const Clocks         *clocks,
                                           guint                 n_columns,
                                           MotcuaRowRegister    *out,
                                           GError              **error);

/* A status as stored (its name and generation, columns status and status_gen) as its
 * register's value, "generation:name"; NULL when @status is no status's name. */
char            *_motcua_status_key_from_stored (const char *status,
                                                 gint64      generation);


/* A row as stored: its physical columns in the order of _motcua_table_sql()'s (TableSql's
 * n_physical of them) and its registers (_clk) as they are packed. */
typedef struct
{
  gint64             rid;        /* -1: a row not stored yet */
  const MotcuaValue *values;
  const guint8      *clk;
  gsize              clk_size;
} MotcuaStoreRow;

typedef gboolean (*MotcuaStoreRowFunc) (const MotcuaStoreRow  *row,
                                        gpointer               user_data,
                                        GError               **error);

/* Reads the row @id of @table: @each is called once if it exists, not at all if not. */
gboolean      _motcua_store_rows_read         (MotcuaReplica          *self,
                                               const MotcuaTableDesc  *table,
                                               const MotcuaUuid       *id,
                                               MotcuaStoreRowFunc      each,
                                               gpointer                user_data,
                                               GError                **error);

/* Writes @row back, inserting it (as @id) when its rid is -1, and gives its rid in @rid_out.
 * @seq is the row's last local change, or 0 for none: an update keeps the greater. */
gboolean      _motcua_store_rows_write        (MotcuaReplica          *self,
                                               const MotcuaTableDesc  *table,
                                               const MotcuaUuid       *id,
                                               const MotcuaStoreRow   *row,
                                               guint64                 seq,
                                               gint64                 *rid_out,
                                               GError                **error);

/* The rid of the row @id of @table, or -1 when there is none. */
gboolean      _motcua_store_rows_find         (MotcuaReplica          *self,
                                               const MotcuaTableDesc  *table,
                                               const MotcuaUuid       *id,
                                               gint64                 *rid_out,
                                               GError                **error);

/* The replicated columns of the row @rid of @table, in order (*found FALSE if there is none):
 * @values for @each has table->n_columns elements, and @row->rid is @rid. */
gboolean      _motcua_store_rows_read_values  (MotcuaReplica          *self,
                                               const MotcuaTableDesc  *table,
                                               gint64                  rid,
                                               MotcuaStoreRowFunc      each,
                                               gpointer                user_data,
                                               gboolean               *found,
                                               GError                **error);

/* A row of an insert-only table: inserted with its @values (table->n_columns of them) and
 * @seq, its local change (0 for a merged row); its last local change (0: none, -1: no such row);
 * deleted. */
gboolean      _motcua_store_rows_insert_only  (MotcuaReplica          *self,
                                               const MotcuaTableDesc  *table,
                                               const MotcuaUuid       *id,
                                               const MotcuaValue      *values,
                                               guint64                 seq,
                                               GError                **error);
gboolean      _motcua_store_rows_get_seq      (MotcuaReplica          *self,
                                               const MotcuaTableDesc  *table,
                                               const MotcuaUuid       *id,
                                               gint64                 *seq_out,
                                               GError                **error);
gboolean      _motcua_store_rows_delete       (MotcuaReplica          *self,
                                               const MotcuaTableDesc  *table,
                                               const MotcuaUuid       *id,
                                               GError                **error);

/* An event of the timeline that arrived from a build older than schema version 8, made to hold
 * what the migration made of those already held (_motcua_schema_upgrade_event()). */
gboolean      _motcua_store_rows_upgrade_event (MotcuaReplica         *self,
                                                const MotcuaUuid      *id,
                                                GError               **error);

/* Names the local change @seq as the one the row @id of insert-only @table was last written by;
 * *found FALSE when there is no such row. */
gboolean      _motcua_store_rows_set_seq      (MotcuaReplica          *self,
                                               const MotcuaTableDesc  *table,
                                               const MotcuaUuid       *id,
                                               guint64                 seq,
                                               gboolean               *found,
                                               GError                **error);

/* The text columns @columns (@n of them, names) of the row @rid of @table into @out (newly
 * allocated, NULL for a NULL; all NULL when there is no such row). */
gboolean      _motcua_store_rows_get_texts    (MotcuaReplica          *self,
                                               const MotcuaTableDesc  *table,
                                               gint64                  rid,
                                               const char *const      *columns,
                                               guint                   n,
                                               char                  **out,
                                               GError                **error);

/* Sets the text columns @columns of the row @rid of @table to @values, where not NULL (NULL
 * keeps the value), and its registers to @clk unless it is NULL. */
gboolean      _motcua_store_rows_set_texts    (MotcuaReplica          *self,
                                               const MotcuaTableDesc  *table,
                                               gint64                  rid,
                                               GBytes                 *clk,
                                               const char *const      *columns,
                                               const char *const      *values,
                                               guint                   n,
                                               GError                **error);

/* The registers (_clk) of the row @rid of @table, or NULL when there is no such row. */
gboolean      _motcua_store_rows_get_clk      (MotcuaReplica          *self,
                                               const MotcuaTableDesc  *table,
                                               gint64                  rid,
                                               GBytes                **clk_out,
                                               GError                **error);

G_END_DECLS
