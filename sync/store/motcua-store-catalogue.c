/* motcua-store-catalogue.c: offices, procedures and the calendar as the store reads them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"

#include "motcua-store-catalogue-private.h"

/* Ends a walk over a statement's rows that stopped with @rc: TRUE when it read them all. */
/* Offices */

gboolean
_motcua_store_offices_find_id (MotcuaReplica  *self,
                               const char     *code,
                               MotcuaUuid     *out,
                               gboolean       *found,
                               GError        **error)
{
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (self,
                                  "SELECT id FROM offices WHERE code = ?1 AND deleted IS NOT 1",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  *found = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == 16;
  if (*found)
    memcpy (out->bytes, sqlite3_column_blob (stmt, 0), 16);
  sqlite3_reset (stmt);

  return TRUE;
}

gboolean
_motcua_store_offices_exists (MotcuaReplica     *self,
                              const MotcuaUuid  *id,
                              gboolean          *exists,
                              GError           **error)
{
  sqlite3_stmt *stmt = _motcua_replica_prepare (self, "SELECT 1 FROM offices WHERE id = ?1",
                                                error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, id->bytes, 16, SQLITE_STATIC);
  *exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return TRUE;
}

gboolean
_motcua_store_offices_is_below (MotcuaReplica     *self,
                                const MotcuaUuid  *office,
                                const MotcuaUuid  *root,
                                GError           **error)
{
  sqlite3_stmt *stmt;
  gboolean below;

  stmt = _motcua_replica_prepare (self,
                                  "WITH RECURSIVE up (id, depth) AS ("
                                  "  SELECT parent_id, 1 FROM offices WHERE id = ?1"
                                  "  UNION ALL SELECT o.parent_id, depth + 1 FROM offices o"
                                  "  JOIN up ON o.id = up.id WHERE depth < 16)"
                                  " SELECT 1 FROM up WHERE id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, office->bytes, 16, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, root->bytes, 16, SQLITE_STATIC);
  below = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return below;
}

#define OFFICE_COLUMNS                                                                       \
  "o.id, o.code, o.name, o.level, p.code, o.in_force_from, o.in_force_to, s.code,"           \
  " o.former_parents, o.centre"
#define OFFICE_FROM                                                                          \
  " FROM offices o LEFT JOIN offices p ON p.id = o.parent_id"                                \
  " LEFT JOIN offices s ON s.id = o.successor_id "

static gboolean
office_row (sqlite3_stmt           *stmt,
            MotcuaStoreOfficeFunc   each,
            gpointer                user_data,
            GError                **error)
{
  MotcuaStoreOfficeRow row = {
    .id = sqlite3_column_blob (stmt, 0),
    .code = (const char *) sqlite3_column_text (stmt, 1),
    .name = (const char *) sqlite3_column_text (stmt, 2),
    .level = (const char *) sqlite3_column_text (stmt, 3),
    .parent_code = (const char *) sqlite3_column_text (stmt, 4),
    .in_force_from = (const char *) sqlite3_column_text (stmt, 5),
    .in_force_to = (const char *) sqlite3_column_text (stmt, 6),
    .successor_code = (const char *) sqlite3_column_text (stmt, 7),
    .former_parents = (const char *) sqlite3_column_text (stmt, 8),
    .centre = (const char *) sqlite3_column_text (stmt, 9),
  };

  return each (&row, user_data, error);
}

gboolean
_motcua_store_offices_get (MotcuaReplica          *self,
                           const char             *code,
                           MotcuaStoreOfficeFunc   each,
                           gpointer                user_data,
                           GError                **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  stmt = _motcua_replica_prepare (self, "SELECT " OFFICE_COLUMNS OFFICE_FROM
                                  "WHERE o.code = ?1 AND o.deleted IS NOT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == 16)
    ok = office_row (stmt, each, user_data, error);
  sqlite3_reset (stmt);

  return ok;
}

/* Tree order: a recursive walk from the roots, ordering siblings by code. */
#define OFFICE_TREE(root_condition)                                                          \
  "WITH RECURSIVE tree (id, path) AS ("                                                      \
  "  SELECT id, code FROM offices WHERE " root_condition " AND deleted IS NOT 1"                  \
  "  UNION ALL"                                                                              \
  "  SELECT o.id, tree.path || char(31) || o.code FROM offices o JOIN tree"                  \
  "  ON o.parent_id = tree.id WHERE o.deleted IS NOT 1)"                                          \
  "SELECT " OFFICE_COLUMNS OFFICE_FROM "JOIN tree ON tree.id = o.id ORDER BY tree.path"

void
_motcua_store_offices_unknown (const char  *code,
                               GError     **error)
{
  g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
               _("office “%s” is not an office of this replica"), code != NULL ? code : "");
}

gboolean
_motcua_store_offices_each (MotcuaReplica          *self,
                            const char             *root_code,
                            MotcuaStoreOfficeFunc   each,
                            gpointer                user_data,
                            GError                **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (root_code == NULL)
    stmt = _motcua_replica_prepare (self,
                                    OFFICE_TREE ("(parent_id IS NULL OR parent_id NOT IN"
                                                 " (SELECT id FROM offices))"), error);
  else
    stmt = _motcua_replica_prepare (self, OFFICE_TREE ("code = ?1"), error);
  if (stmt == NULL)
    return FALSE;
  if (root_code != NULL)
    sqlite3_bind_text (stmt, 1, root_code, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!office_row (stmt, each, user_data, error))
      break;

  return _motcua_replica_rows_done (self, stmt, rc, error);
}

gboolean
_motcua_store_offices_jurisdiction (MotcuaReplica          *self,
                                    const char             *code,
                                    const char             *day,
                                    MotcuaStoreOfficeFunc   each,
                                    gpointer                user_data,
                                    GError                **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _motcua_replica_prepare (self, MOTCUA_STORE_JURISDICTION ("?1", "?2")
                                  " SELECT " OFFICE_COLUMNS OFFICE_FROM
                                  "JOIN jurisdiction j ON j.id = o.id ORDER BY o.code", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, day, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!office_row (stmt, each, user_data, error))
      break;

  return _motcua_replica_rows_done (self, stmt, rc, error);
}

/* Procedures */

#define PROCEDURE_COLUMNS                                                                    \
  "p.id, p.code, p.code_official, p.name, p.sector, p.levels, p.processing_days, p.fee,"     \
  " p.fee_note, p.online, p.documents, p.legal_basis, p.in_force_from, p.in_force_to,"       \
  " p.sample, p.time_unit, p.receiving_levels"

static gboolean
procedure_row (sqlite3_stmt              *stmt,
               MotcuaStoreProcedureFunc   each,
               gpointer                   user_data,
               GError                   **error)
{
  MotcuaStoreProcedureRow row = {
    .id = sqlite3_column_blob (stmt, 0),
    .code = (const char *) sqlite3_column_text (stmt, 1),
    .code_official = sqlite3_column_int (stmt, 2) != 0,
    .name = (const char *) sqlite3_column_text (stmt, 3),
    .sector = (const char *) sqlite3_column_text (stmt, 4),
    .levels = (const char *) sqlite3_column_text (stmt, 5),
    .processing_days = sqlite3_column_int (stmt, 6),
    .fee = sqlite3_column_int64 (stmt, 7),
    .fee_note = (const char *) sqlite3_column_text (stmt, 8),
    .online = (const char *) sqlite3_column_text (stmt, 9),
    .documents = (const char *) sqlite3_column_text (stmt, 10),
    .legal_basis = (const char *) sqlite3_column_text (stmt, 11),
    .in_force_from = (const char *) sqlite3_column_text (stmt, 12),
    .in_force_to = (const char *) sqlite3_column_text (stmt, 13),
    .sample = sqlite3_column_int (stmt, 14) != 0,
    .time_unit = (const char *) sqlite3_column_text (stmt, 15),
    .receiving_levels = (const char *) sqlite3_column_text (stmt, 16),
  };

  return each (&row, user_data, error);
}

static gboolean
each_procedure (MotcuaReplica             *self,
                sqlite3_stmt              *stmt,
                MotcuaStoreProcedureFunc   each,
                gpointer                   user_data,
                GError                   **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!procedure_row (stmt, each, user_data, error))
      break;

  return _motcua_replica_rows_done (self, stmt, rc, error);
}

gboolean
_motcua_store_procedures_get (MotcuaReplica             *self,
                              const char                *code,
                              MotcuaStoreProcedureFunc   each,
                              gpointer                   user_data,
                              GError                   **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  stmt = _motcua_replica_prepare (self, "SELECT " PROCEDURE_COLUMNS " FROM procedures p"
                                  " WHERE p.code = ?1 AND p.deleted IS NOT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ok = procedure_row (stmt, each, user_data, error);
  sqlite3_reset (stmt);

  return ok;
}

gboolean
_motcua_store_procedures_each (MotcuaReplica             *self,
                               const char                *sector,
                               const char                *level,
                               MotcuaStoreProcedureFunc   each,
                               gpointer                   user_data,
                               GError                   **error)
{
  sqlite3_stmt *stmt;

  stmt = _motcua_replica_prepare (self, "SELECT " PROCEDURE_COLUMNS " FROM procedures p"
                                  " WHERE p.deleted IS NOT 1 AND (?1 IS NULL OR p.sector = ?1)"
                                  " AND (?2 IS NULL"
                                  "      OR ',' || p.levels || ',' LIKE '%,' || ?2 || ',%')"
                                  " ORDER BY p.sector, p.name, p.code", error);
  if (stmt == NULL)
    return FALSE;
  if (sector != NULL)
    sqlite3_bind_text (stmt, 1, sector, -1, SQLITE_STATIC);
  if (level != NULL)
    sqlite3_bind_text (stmt, 2, level, -1, SQLITE_STATIC);

  return each_procedure (self, stmt, each, user_data, error);
}

gboolean
_motcua_store_procedures_search (MotcuaReplica             *self,
                                 const char                *match,
                                 guint                      limit,
                                 MotcuaStoreProcedureFunc   each,
                                 gpointer                   user_data,
                                 GError                   **error)
{
  sqlite3_stmt *stmt;

  /* Names weigh more than codes and sectors. */
  stmt = _motcua_replica_prepare (self, "SELECT " PROCEDURE_COLUMNS " FROM procedures_fts f"
                                  " JOIN procedures p ON p.rid = f.rowid"
                                  " WHERE procedures_fts MATCH ?1 AND p.deleted IS NOT 1"
                                  " ORDER BY bm25 (procedures_fts, 2.0, 10.0, 1.0), p.code"
                                  " LIMIT ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, (int) limit);

  return each_procedure (self, stmt, each, user_data, error);
}

/* Calendar */

gboolean
_motcua_store_calendar_each (MotcuaReplica            *self,
                             const char               *year_prefix,
                             MotcuaStoreCalendarFunc   each,
                             gpointer                  user_data,
                             GError                  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _motcua_replica_prepare (self, "SELECT date, kind, name FROM calendar"
                                  " WHERE deleted IS NOT 1"
                                  " AND (?1 IS NULL OR substr (date, 1, 5) = ?1)"
                                  " ORDER BY date", error);
  if (stmt == NULL)
    return FALSE;
  if (year_prefix != NULL)
    sqlite3_bind_text (stmt, 1, year_prefix, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MotcuaStoreCalendarRow row = {
        .date = (const char *) sqlite3_column_text (stmt, 0),
        .kind = (const char *) sqlite3_column_text (stmt, 1),
        .name = (const char *) sqlite3_column_text (stmt, 2),
      };

      if (!each (&row, user_data, error))
        break;
    }

  return _motcua_replica_rows_done (self, stmt, rc, error);
}
