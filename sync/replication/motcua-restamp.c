/* motcua-restamp.c: re-stamping the changes a wrong clock stamped
 *
 * A desk whose clock ran ahead stamped its changes in the future; the server refuses those. A
 * re-stamp gives the changes not yet acknowledged new stamps from the corrected clock, and
 * corrects the times they carry that were read from that clock (DESIGN.md, Clocks).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-rows-private.h"
#include "motcua-text.h"
#include "motcua-workflow.h"

/* Times a local write reads from this computer's clock. A re-stamp corrects them with the
 * stamps (DESIGN.md, Clocks); the day a case's clock starts, and its due date, follow. */
static const struct
{
  MotcuaTableId  table;
  const char    *column;
} clock_columns[] = {
  { MOTCUA_TABLE_CASES, "received_at" },
  { MOTCUA_TABLE_CASES, "resolved_at" },
  { MOTCUA_TABLE_CASES, "returned_at" },
  { MOTCUA_TABLE_CASE_EVENTS, "at" },
  { MOTCUA_TABLE_ATTACHMENTS, "added_at" },
  { MOTCUA_TABLE_CONFLICTS, "resolved_at" },
};

/* A time further than this from the stamp of the write that holds it was not read from the
 * clock: the officer typed it (a dossier received by post yesterday), and it stays. */
#define CLOCK_READING_SLACK_MS (10 * 60 * 1000)

/* How the times of one re-stamped operation are corrected. */
typedef struct
{
  MotcuaReplica     *self;
  MotcuaDueDateFunc  due_date;     /* a case's due date from the day its clock starts */
  gint64             written_ms;   /* its stamp before: what the clock read when it was made */
  gint64             shift_ms;     /* how far the clock was corrected since */
  gint64             limit_ms;     /* its new stamp: none of its times comes after */
  char               old_due[11];  /* a due date it moved, for the text of its event */
  char               new_due[11];
} TimesFix;

static gboolean
is_clock_column (MotcuaTableId  table,
                 const char    *column)
{
  for (guint i = 0; i < G_N_ELEMENTS (clock_columns); i++)
    if (clock_columns[i].table == table && strcmp (clock_columns[i].column, column) == 0)
      return TRUE;

  return FALSE;
}

/* The unix milliseconds @fix moves @ms to. */
static gint64
fix_ms (const TimesFix *fix,
        gint64          ms)
{
  return MIN (ms + fix->shift_ms, fix->limit_ms);
}

/* @value (a time), corrected; NULL if it stays as it is. */
static char *
fix_time (const TimesFix *fix,
          const char     *value)
{
  g_autoptr(GDateTime) dt = value ? g_date_time_new_from_iso8601 (value, NULL) : NULL;
  gint64 ms;

  if (dt == NULL)
    return NULL;
  ms = g_date_time_to_unix (dt) * 1000;
  if (ABS (ms - fix->written_ms) > CLOCK_READING_SLACK_MS
      || fix_ms (fix, ms) / 1000 == ms / 1000)
    return NULL;

  return motcua_datetime_from_unix_ms (fix_ms (fix, ms));
}

/* @day, the day a case's clock starts, corrected when it was the day of a time this write
 * read from the clock; NULL if it stays. @received is the write's received_at (or NULL), and
 * @fixed_received what it became (or NULL). */
static char *
fix_day (const TimesFix *fix,
         const char     *day,
         const char     *received,
         const char     *fixed_received)
{
  g_autofree char *written = NULL;
  g_autofree char *fixed = NULL;

  if (day == NULL || strlen (day) != 10)
    return NULL;
  if (received != NULL)
    return fixed_received != NULL && strncmp (day, received, 10) == 0
           && strncmp (day, fixed_received, 10) != 0 ? g_strndup (fixed_received, 10) : NULL;

  /* A resubmission restarts the clock: its day is the day of the write. */
  written = motcua_datetime_from_unix_ms (fix->written_ms);
  fixed = motcua_datetime_from_unix_ms (fix_ms (fix, fix->written_ms));
  if (strncmp (day, written, 10) != 0 || strncmp (day, fixed, 10) == 0)
    return NULL;

  return g_strndup (fixed, 10);
}

/* The fields of a change record with each overwritten stamp renamed as @renamed says: the
 * latest of those into @latest_prev (when not NULL), the record re-encoded into @out (when
 * not NULL). With @fix, the record of a write to row @rid of @table, the times it read from
 * the clock are corrected, and what each column became is set in @fixed (by column, from 0;
 * NULL where it stays). */
static gboolean
restamp_fields (GHashTable            *renamed,
                GBytes                *record,
                MotcuaHlc             *latest_prev,
                GByteArray            *out,
                TimesFix              *fix,
                const MotcuaTableDesc *table,
                gint64                 rid,
                char                 **fixed,
                GError               **error)
{
  gsize size;
  const guint8 *p = g_bytes_get_data (record, &size);
  const guint8 *end = p + size;
  guint column;
  MotcuaHlc prev;
  MotcuaValue value;
  gsize text_len;
  g_autofree char *received = NULL;
  gboolean day_moved = FALSE;

  while (p < end && _motcua_change_fields_next (&p, end, &column, &prev, &value, &text_len))
    {
      MotcuaHlc *renamed_prev = g_hash_table_lookup (renamed, &prev);
      g_autofree char *text = NULL;
      const char *name = fix != NULL && column >= 1 && column <= table->n_columns
                         ? table->columns[column - 1].name : "";
      char *now = NULL;

      if (renamed_prev != NULL)
        prev = *renamed_prev;
      if (latest_prev != NULL)
        *latest_prev = MAX (*latest_prev, prev);
      if (out == NULL)
        continue;
      if (value.type == SQLITE_TEXT)
        {
          text = g_strndup (value.s, text_len);
          value.s = text;
        }

      if (fix != NULL && value.type == SQLITE_TEXT)
        {
          if (is_clock_column (table->id, name))
            now = fix_time (fix, text);
          else if (table->id == MOTCUA_TABLE_CASES && strcmp (name, "clock_start") == 0)
            {
              int received_column = _motcua_table_column (table, "received_at");

              now = fix_day (fix, text, received, fixed[received_column - 1]);
              day_moved = now != NULL;
            }
          else if (table->id == MOTCUA_TABLE_CASES && strcmp (name, "due_date") == 0
                   && day_moved)
            {
              int day_column = _motcua_table_column (table, "clock_start");
              char due[11];
              g_autoptr(GError) local_error = NULL;

              /* Recomputed from the corrected day, as the write would have; a calendar that
               * has no due date for it keeps the one it had. */
              if (fix->due_date (fix->self, rid, fixed[day_column - 1], due, &local_error)
                  && strcmp (due, text) != 0)
                {
                  g_strlcpy (fix->old_due, text, sizeof fix->old_due);
                  g_strlcpy (fix->new_due, due, sizeof fix->new_due);
                  now = g_strdup (due);
                }
            }
          if (table->id == MOTCUA_TABLE_CASES && strcmp (name, "received_at") == 0)
            received = g_strdup (text);
          if (now != NULL)
            {
              fixed[column - 1] = now;
              value.s = now;
            }
        }
      _motcua_change_put (out, column, prev, &value);
    }

  return TRUE;
}

/* The clock's times in row @rid of @table, an insert-only table (its change holds no copy of
 * it: the row travels as it is), corrected by @fix; a "received" event's due date follows the
 * due date the operation moved. */
static gboolean
restamp_insert_only (MotcuaReplica         *self,
                     const MotcuaTableDesc *table,
                     gint64                 rid,
                     const TimesFix        *fix,
                     GError               **error)
{
  for (guint c = 0; c < table->n_columns; c++)
    {
      const char *name = table->columns[c].name;
      gboolean events = table->id == MOTCUA_TABLE_CASE_EVENTS;
      const char *columns[] = { name, events ? "due_date" : NULL, NULL };
      guint n = events ? 2 : 1;
      char *old[2] = { NULL, NULL };
      const char *now[2] = { NULL, NULL };
      gboolean ok;

      if (!is_clock_column (table->id, name))
        continue;

      if (!_motcua_store_rows_get_texts (self, table, rid, columns, n, old, error))
        return FALSE;
      now[0] = fix_time (fix, old[0]);
      if (fix->old_due[0] != '\0' && g_strcmp0 (old[1], fix->old_due) == 0)
        now[1] = fix->new_due;
      ok = (now[0] == NULL && now[1] == NULL)
           || _motcua_store_rows_set_texts (self, table, rid, NULL, columns, now, n, error);
      g_free (old[0]);
      g_free (old[1]);
      g_free ((char *) now[0]);
      if (!ok)
        return FALSE;
    }

  return TRUE;
}

/* The registers of row @rid that hold this replica's @old_hlc take @new_hlc, and their
 * columns the values @fixed gives (NULL: as they are). */
static gboolean
restamp_registers (MotcuaReplica         *self,
                   const MotcuaTableDesc *table,
                   gint64                 rid,
                   MotcuaHlc              old_hlc,
                   MotcuaHlc              new_hlc,
                   char                 **fixed,
                   GError               **error)
{
  g_autoptr(GBytes) old_clk = NULL;
  g_autoptr(GBytes) clk = NULL;
  const char *columns[64];
  const char *values[64];
  guint n = 0;
  Clocks clocks;

  if (!_motcua_store_rows_get_clk (self, table, rid, &old_clk, error))
    return FALSE;
  if (old_clk == NULL)
    return TRUE;
  _motcua_clocks_decode (&clocks, table->n_columns, g_bytes_get_data (old_clk, NULL),
                         g_bytes_get_size (old_clk));

  for (guint c = 0; c < table->n_columns; c++)
    if (clocks.hlc[c] == old_hlc && clocks.origin[c] == (guint32) self->self_origin)
      {
        clocks.hlc[c] = new_hlc;
        /* The value the row holds is this write's: it takes the corrected one. */
        if (fixed[c] != NULL)
          {
            columns[n] = table->columns[c].name;
            values[n++] = fixed[c];
          }
      }
  clk = _motcua_clocks_encode (&clocks, table->n_columns);

  return _motcua_store_rows_set_texts (self, table, rid, clk, columns, values, n, error);
}

/* The log's records a re-stamp walks, collected first: the re-stamp writes to the tables being
 * read. Per record, its (seq, hlc, table, rid) and its fields. */
typedef struct
{
  GArray    *records;
  GPtrArray *blobs;
} Collected;

static gboolean
collect_record (const MotcuaStoreLogRecord  *record,
                gpointer                     user_data,
                gboolean                    *stop,
                GError                     **error)
{
  Collected *collected = user_data;
  gint64 r[4] = { (gint64) record->seq, (gint64) record->hlc, record->table, record->rid };

  g_array_append_vals (collected->records, r, 1);
  g_ptr_array_add (collected->blobs, g_bytes_new (record->fields, record->fields_size));

  return TRUE;
}

/* Re-stamping: a replica whose clock ran ahead gives its changes that nobody has seen (those
 * past @acked) new stamps from the corrected clock, in their order, each still after the value
 * it overwrote. The registers they hold and the later changes that overwrote them follow.
 *
 * The times they read from the clock are corrected with them, in the change and in the row,
 * so that what is pushed is corrected: by @shift_ms, the correction the clock took since they
 * were written, and never past their new stamp (a clock set right by hand leaves no offset,
 * only times ahead). A time the officer typed is kept (see CLOCK_READING_SLACK_MS). */
gboolean
_motcua_replica_restamp (MotcuaReplica      *self,
                         guint64             acked,
                         gint64              shift_ms,
                         MotcuaDueDateFunc   due_date,
                         guint              *n_out,
                         GError            **error)
{
  g_autoptr(GHashTable) renamed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         g_free);
  MotcuaHlc last = 0;
  guint n = 0;

  g_assert (self->tx_depth > 0);

  {
    g_autoptr(GArray) records = g_array_new (FALSE, FALSE, sizeof (gint64) * 4);
    g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
    Collected collected = { records, blobs };

    if (!_motcua_store_log_foreach_after (self, acked, collect_record, &collected, error))
      return FALSE;

    /* The clock restarts from the corrected time and what it has seen of others. */
    self->clock.last = (MotcuaHlc) _motcua_replica_meta_get_int (self, "hub_seen_hlc", 0);

    for (guint first = 0; first < records->len;)
      {
        MotcuaHlc old_hlc = (MotcuaHlc) g_array_index (records, gint64, 4 * first + 1);
        MotcuaHlc new_hlc, latest_prev = 0;
        TimesFix fix = { self, due_date, (gint64) motcua_hlc_get_ms (old_hlc), shift_ms, 0, "",
                         "" };
        guint after = first;

        /* One operation, one stamp: the records of one write (a transfer's case row and its
         * event) keep sharing theirs, so the server still judges them together and a later
         * change that overwrote any of them is renamed to the stamp they all took. (Each
         * record once took its own: a transfer made before a re-stamp then named the event's
         * new stamp as the case row's, and the server saw a conflict of the replica with
         * itself; found by test-converge, seed 5510.) */
        while (after < records->len
               && (MotcuaHlc) g_array_index (records, gint64, 4 * after + 1) == old_hlc)
          after++;

        /* The new stamp comes after everything the operation overwrote. */
        for (guint i = first; i < after; i++)
          if (!restamp_fields (renamed, blobs->pdata[i], &latest_prev, NULL, NULL, NULL, 0, NULL,
                               error))
            return FALSE;
        if (latest_prev != 0)
          motcua_hlc_clock_observe (&self->clock, latest_prev, _motcua_replica_now_ms (self));
        new_hlc = _motcua_replica_tick (self);
        fix.limit_ms = (gint64) motcua_hlc_get_ms (new_hlc);

        for (guint i = first; i < after; i++)
          {
            const gint64 *r = &g_array_index (records, gint64, 4 * i);
            const MotcuaTableDesc *table = _motcua_table_lookup ((MotcuaTableId) r[2]);
            g_autoptr(GByteArray) fields = g_byte_array_new ();
            char *fixed[64] = { NULL };
            gboolean ok;

            if (table == NULL)
              continue;
            ok = restamp_fields (renamed, blobs->pdata[i], NULL, fields, &fix, table, r[3], fixed,
                                 error)
                 && (table->insert_only
                     ? restamp_insert_only (self, table, r[3], &fix, error)
                     : restamp_registers (self, table, r[3], old_hlc, new_hlc, fixed, error));
            for (guint c = 0; c < G_N_ELEMENTS (fixed); c++)
              g_free (fixed[c]);
            if (!ok)
              return FALSE;

            if (!_motcua_store_log_restamp (self, (guint64) r[0], new_hlc, fields->data,
                                            fields->len, error))
              return FALSE;
            n++;
          }

        {
          gint64 *key = g_new (gint64, 1);
          MotcuaHlc *val = g_new (MotcuaHlc, 1);

          *key = (gint64) old_hlc;
          *val = new_hlc;
          g_hash_table_replace (renamed, key, val);
        }
        last = new_hlc;
        first = after;
      }
  }

  if (last != 0)
    self->clock.last = MAX (self->clock.last, last);
  if (n_out != NULL)
    *n_out = n;

  return TRUE;
}

