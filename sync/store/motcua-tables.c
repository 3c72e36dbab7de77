/* motcua-tables.c: the replicated tables, as the change log sees them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-replica-private.h"

static const MotcuaColumnDesc office_columns[] = {
  { "code", MOTCUA_COL_TEXT },
  { "name", MOTCUA_COL_TEXT },
  { "level", MOTCUA_COL_TEXT },
  { "parent_id", MOTCUA_COL_ID },
  { "deleted", MOTCUA_COL_INT },
  { "in_force_from", MOTCUA_COL_TEXT },
  { "in_force_to", MOTCUA_COL_TEXT },
  { "successor_id", MOTCUA_COL_ID },
  { "former_parents", MOTCUA_COL_TEXT },
  { "centre", MOTCUA_COL_TEXT },
};

static const MotcuaColumnDesc procedure_columns[] = {
  { "code", MOTCUA_COL_TEXT },
  { "code_official", MOTCUA_COL_INT },
  { "name", MOTCUA_COL_TEXT },
  { "sector", MOTCUA_COL_TEXT },
  { "levels", MOTCUA_COL_TEXT },
  { "processing_days", MOTCUA_COL_INT },
  { "fee", MOTCUA_COL_INT },
  { "fee_note", MOTCUA_COL_TEXT },
  { "online", MOTCUA_COL_TEXT },
  { "documents", MOTCUA_COL_TEXT },
  { "legal_basis", MOTCUA_COL_TEXT },
  { "in_force_from", MOTCUA_COL_TEXT },
  { "in_force_to", MOTCUA_COL_TEXT },
  { "sample", MOTCUA_COL_INT },
  { "deleted", MOTCUA_COL_INT },
  { "time_unit", MOTCUA_COL_TEXT },
  { "receiving_levels", MOTCUA_COL_TEXT },
};

static const MotcuaColumnDesc calendar_columns[] = {
  { "date", MOTCUA_COL_TEXT },
  { "kind", MOTCUA_COL_TEXT },
  { "name", MOTCUA_COL_TEXT },
  { "deleted", MOTCUA_COL_INT },
};

#define CASE_COLUMN(id, name, kind, label, editable) { name, kind, label, editable },
static const MotcuaColumnDesc case_columns[] = {
  MOTCUA_CASE_COLUMNS (CASE_COLUMN)
};
#undef CASE_COLUMN

static const MotcuaColumnDesc event_columns[] = {
  { "case_id", MOTCUA_COL_ID },
  { "at", MOTCUA_COL_TEXT },
  { "replica", MOTCUA_COL_TEXT },
  { "officer", MOTCUA_COL_TEXT },
  { "action", MOTCUA_COL_TEXT },
  { "detail", MOTCUA_COL_TEXT },        /* before schema 8 only: what the fields now say */
  { "note", MOTCUA_COL_TEXT },
  { "field", MOTCUA_COL_TEXT },
  { "old_value", MOTCUA_COL_TEXT },
  { "new_value", MOTCUA_COL_TEXT },
  { "from_office", MOTCUA_COL_TEXT },
  { "to_office", MOTCUA_COL_TEXT },
  { "receipt_no", MOTCUA_COL_TEXT },
  { "due_date", MOTCUA_COL_TEXT },
  { "ref", MOTCUA_COL_ID },
};

static const MotcuaColumnDesc attachment_columns[] = {
  { "case_id", MOTCUA_COL_ID },
  { "sha256", MOTCUA_COL_TEXT },
  { "name", MOTCUA_COL_TEXT },
  { "mime_type", MOTCUA_COL_TEXT },
  { "size", MOTCUA_COL_INT },
  { "added_at", MOTCUA_COL_TEXT },
  { "replica", MOTCUA_COL_TEXT },
  { "officer", MOTCUA_COL_TEXT },
};

static const MotcuaColumnDesc conflict_columns[] = {
  { "tbl", MOTCUA_COL_TEXT },
  { "row_id", MOTCUA_COL_ID },
  { "col", MOTCUA_COL_TEXT },
  { "case_id", MOTCUA_COL_ID },
  { "a_value", MOTCUA_COL_TEXT },
  { "a_hlc", MOTCUA_COL_INT },
  { "a_replica", MOTCUA_COL_ID },
  { "a_office", MOTCUA_COL_TEXT },
  { "b_value", MOTCUA_COL_TEXT },
  { "b_hlc", MOTCUA_COL_INT },
  { "b_replica", MOTCUA_COL_ID },
  { "b_office", MOTCUA_COL_TEXT },
  { "detected_at", MOTCUA_COL_TEXT },
  { "resolved", MOTCUA_COL_INT },
  { "resolution", MOTCUA_COL_TEXT },
  { "resolved_by", MOTCUA_COL_TEXT },
  { "resolved_at", MOTCUA_COL_TEXT },
  { "deleted", MOTCUA_COL_INT },
};

/* The full-text indexes: which columns they hold, in their order (see motcua-schema.c). */
static const guint procedure_fts[] = { 0, 2, 3, G_MAXUINT };       /* code, name, sector */
static const guint case_fts[] = { 4, 5, 6, G_MAXUINT };            /* name, ID, phone */

#define TABLE(tid, tname, ins, prov, cols, fts, fts_cols) \
  static const MotcuaTableDesc table_##tname = { tid, #tname, ins, prov, cols, \
                                                 G_N_ELEMENTS (cols), fts, fts_cols }

TABLE (MOTCUA_TABLE_OFFICES, offices, FALSE, TRUE, office_columns, NULL, NULL);
TABLE (MOTCUA_TABLE_PROCEDURES, procedures, FALSE, TRUE, procedure_columns, "procedures_fts",
       procedure_fts);
TABLE (MOTCUA_TABLE_CALENDAR, calendar, FALSE, TRUE, calendar_columns, NULL, NULL);
TABLE (MOTCUA_TABLE_CASES, cases, FALSE, FALSE, case_columns, "cases_fts", case_fts);
TABLE (MOTCUA_TABLE_CASE_EVENTS, case_events, TRUE, FALSE, event_columns, NULL, NULL);
TABLE (MOTCUA_TABLE_ATTACHMENTS, attachments, TRUE, FALSE, attachment_columns, NULL, NULL);
TABLE (MOTCUA_TABLE_CONFLICTS, conflicts, FALSE, FALSE, conflict_columns, NULL, NULL);

#undef TABLE

const MotcuaTableDesc *const _motcua_tables[] = {
  &table_offices,
  &table_procedures,
  &table_calendar,
  &table_cases,
  &table_case_events,
  &table_attachments,
  &table_conflicts,
};
const guint _motcua_n_tables = G_N_ELEMENTS (_motcua_tables);

const MotcuaTableDesc *
_motcua_table_lookup (MotcuaTableId id)
{
  for (guint i = 0; i < _motcua_n_tables; i++)
    if (_motcua_tables[i]->id == id)
      return _motcua_tables[i];

  return NULL;
}

const MotcuaTableDesc *
_motcua_table_by_name (const char *name)
{
  for (guint i = 0; name != NULL && i < _motcua_n_tables; i++)
    if (strcmp (_motcua_tables[i]->name, name) == 0)
      return _motcua_tables[i];

  return NULL;
}

int
_motcua_table_column (const MotcuaTableDesc *table,
                      const char            *name)
{
  for (guint i = 0; name != NULL && i < table->n_columns; i++)
    if (strcmp (table->columns[i].name, name) == 0)
      return (int) i + 1;

  return -1;
}

/* The SQL of each table's rows, made once. */
static TableSql table_sql[MOTCUA_TABLE_CONFLICTS + 1];

const TableSql *
_motcua_table_sql (const MotcuaTableDesc *table)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      for (guint t = 0; t < _motcua_n_tables; t++)
        {
          const MotcuaTableDesc *desc = _motcua_tables[t];
          TableSql *sql = &table_sql[desc->id];
          g_autoptr(GString) names = g_string_new (NULL);
          g_autoptr(GString) params = g_string_new (NULL);
          g_autoptr(GString) sets = g_string_new (NULL);
          g_autoptr(GString) logical = g_string_new (NULL);
          guint n = 0;

          for (guint c = 0; c < desc->n_columns; c++)
            {
              const char *phys[2] = { desc->columns[c].name, NULL };

              if (desc->columns[c].kind == MOTCUA_COL_STATUS)
                phys[1] = "status_gen";
              g_string_append_printf (logical, "%s%s", c > 0 ? ", " : "", phys[0]);

              for (guint k = 0; k < 2 && phys[k] != NULL; k++)
                {
                  n++;
                  g_string_append_printf (names, "%s, ", phys[k]);
                  g_string_append_printf (params, "?%u, ", n + 1);
                  g_string_append_printf (sets, "%s = ?%u, ", phys[k], n + 1);
                }
            }

          sql->n_physical = n;
          sql->select_sql = g_strdup_printf ("SELECT rid, %s_clk FROM %s WHERE id = ?1",
                                             names->str, desc->name);
          sql->values_sql = g_strdup_printf ("SELECT %s FROM %s WHERE rid = ?1", logical->str,
                                             desc->name);
          sql->insert_sql = g_strdup_printf ("INSERT INTO %s (id, %s_clk, _seq)"
                                             " VALUES (?1, %s?%u, ?%u)",
                                             desc->name, names->str, params->str, n + 2, n + 3);
          if (desc->fts != NULL)
            {
              g_autoptr(GString) fts_names = g_string_new (NULL);
              g_autoptr(GString) fts_params = g_string_new (NULL);

              for (guint k = 0; desc->fts_columns[k] != G_MAXUINT; k++)
                {
                  g_string_append_printf (fts_names, ", %s",
                                          desc->columns[desc->fts_columns[k]].name);
                  g_string_append_printf (fts_params, ", ?%u", k + 2);
                }
              sql->fts_insert_sql = g_strdup_printf ("INSERT INTO %s (rowid%s) VALUES (?1%s)",
                                                     desc->fts, fts_names->str, fts_params->str);
              sql->fts_delete_sql = g_strdup_printf ("INSERT INTO %s (%s, rowid%s)"
                                                     " VALUES ('delete', ?1%s)", desc->fts,
                                                     desc->fts, fts_names->str, fts_params->str);
            }
          sql->update_sql = g_strdup_printf ("UPDATE %s SET %s_clk = ?%u, _seq = max (_seq, ?%u)"
                                             " WHERE rid = ?1",
                                             desc->name, sets->str, n + 2, n + 3);
        }

      g_once_init_leave (&initialized, 1);
    }

  return &table_sql[table->id];
}
