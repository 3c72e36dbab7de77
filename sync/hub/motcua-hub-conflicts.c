/* motcua-hub-conflicts.c: conflicts, detected as the hub merges
 *
 * The hub sees every write in full and in an order that respects causality, so it detects
 * conflicting edits of one field exactly (DESIGN.md, Merge) and writes them as rows that
 * replicate like any other.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-error.h"
#include "motcua-hub-private.h"

static char *
value_json_text (const MotcuaValue *value)
{
  GString *text = g_string_new (NULL);

  _motcua_wire_write_value (text, value);

  return g_string_free (text, FALSE);
}

static char *
office_of_replica (MotcuaReplica    *hub,
                   const MotcuaUuid *replica)
{
  if (memcmp (replica->bytes, hub->uuid.bytes, 16) == 0)
    return g_strdup (hub->office_code);

  return _motcua_store_replicas_office_of (hub, replica);
}

enum
{
  K_TBL, K_ROW_ID, K_COL, K_CASE_ID,
  K_A_VALUE, K_A_HLC, K_A_REPLICA, K_A_OFFICE,
  K_B_VALUE, K_B_HLC, K_B_REPLICA, K_B_OFFICE,
  K_DETECTED_AT, K_RESOLVED, K_RESOLUTION, K_RESOLVED_BY, K_RESOLVED_AT, K_DELETED,
  K_N
};

/* The id of the conflict between two writes, the same at any tier that detects it. */
static void
conflict_id (const MotcuaMergeEvent *event,
             MotcuaUuid             *out)
{
  char x[37], y[37], row[37];
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *key = NULL;

  motcua_uuid_to_string (&event->old->origin, x);
  motcua_uuid_to_string (event->origin, y);
  motcua_uuid_to_string (event->row, row);
  first = g_strdup_printf ("%" G_GUINT64_FORMAT "@%s", event->old->hlc, x);
  second = g_strdup_printf ("%" G_GUINT64_FORMAT "@%s", event->hlc, y);
  if (strcmp (first, second) > 0)
    {
      char *t = first;

      first = second;
      second = t;
    }
  key = g_strdup_printf ("%s/%s/%s/%s/%s", event->table->name, row,
                         event->table->columns[event->column - 1].name, first, second);
  motcua_uuid_for_key (out, "conflict", key);
}

gboolean
_motcua_hub_detect_conflict (MotcuaReplica           *hub,
                             const MotcuaMergeEvent  *event,
                             gpointer                 user_data,
                             GError                 **error)
{
  guint *n_conflicts = user_data;
  const MotcuaTableDesc *conflicts = _motcua_table_lookup (MOTCUA_TABLE_CONFLICTS);
  const char *column;
  MotcuaValue values[K_N];
  g_autofree char *incoming = NULL;
  g_autofree char *held = NULL;
  g_autofree char *office = NULL;
  g_autofree char *now = NULL;
  MotcuaUuid id, case_id;
  MotcuaHlc a_hlc = 0, b_hlc = 0;
  guint64 mask = 0;
  char side;

  if (event->column == 0 || event->table->id == MOTCUA_TABLE_CONFLICTS
      || event->table->columns[event->column - 1].kind == MOTCUA_COL_STATUS)
    return TRUE;   /* rows of insert-only tables, and the status, merge without conflict */
  if (!event->old->exists || event->old->hlc == 0)
    return TRUE;   /* nothing written there before */
  if (event->hlc == event->old->hlc
      && memcmp (event->origin->bytes, event->old->origin.bytes, 16) == 0)
    return TRUE;   /* seen already */

  column = event->table->columns[event->column - 1].name;
  for (guint k = 0; k < K_N; k++)
    values[k] = MOTCUA_VALUE_NULL;

  /* A later write of a side of an open conflict continues that conflict. */
  if (_motcua_store_hub_conflicts_open (hub, event->row, column, &id, &a_hlc, &b_hlc)
      && event->prev != 0 && (event->prev == a_hlc || event->prev == b_hlc))
    side = event->prev == a_hlc ? 'a' : 'b';
  else if (event->prev == event->old->hlc)
    return TRUE;   /* it had seen the value it replaced */
  else
    {
      if (_motcua_value_equal (event->value, &event->old->value))
        return TRUE;   /* two writes that agree */
      side = 0;
      conflict_id (event, &id);
    }

  incoming = value_json_text (event->value);
  office = office_of_replica (hub, event->origin);
  now = _motcua_replica_now_iso (hub);

  if (side == 0)
    {
      /* A new conflict: a is what the hub held, b the write that had not seen it. */
      held = value_json_text (&event->old->value);
      values[K_TBL] = MOTCUA_VALUE_TEXT (event->table->name);
      values[K_ROW_ID] = MOTCUA_VALUE_ID (event->row);
      values[K_COL] = MOTCUA_VALUE_TEXT (column);
      if (event->table->id == MOTCUA_TABLE_CASES)
        {
          case_id = *event->row;
          values[K_CASE_ID] = MOTCUA_VALUE_ID (&case_id);
        }
      values[K_A_VALUE] = MOTCUA_VALUE_TEXT (held);
      values[K_A_HLC] = MOTCUA_VALUE_INT ((gint64) event->old->hlc);
      values[K_A_REPLICA] = MOTCUA_VALUE_ID (&event->old->origin);
      {
        g_autofree char *a_office = office_of_replica (hub, &event->old->origin);

        values[K_A_OFFICE] = MOTCUA_VALUE_TEXT (a_office);
        values[K_B_VALUE] = MOTCUA_VALUE_TEXT (incoming);
        values[K_B_HLC] = MOTCUA_VALUE_INT ((gint64) event->hlc);
        values[K_B_REPLICA] = MOTCUA_VALUE_ID (event->origin);
        values[K_B_OFFICE] = MOTCUA_VALUE_TEXT (office);
        values[K_DETECTED_AT] = MOTCUA_VALUE_TEXT (now);
        values[K_RESOLVED] = MOTCUA_VALUE_INT (0);
        mask = (G_GUINT64_CONSTANT (1) << K_RESOLUTION) - 1;
        (*n_conflicts)++;
        return _motcua_replica_write_row (hub, conflicts, &id, values, mask, MOTCUA_WRITE_LOCAL,
                                          _motcua_replica_tick (hub), NULL, error);
      }
    }

  /* Continued: the side it followed takes the new write. */
  {
    guint base = side == 'a' ? K_A_VALUE : K_B_VALUE;

    values[base] = MOTCUA_VALUE_TEXT (incoming);
    values[base + 1] = MOTCUA_VALUE_INT ((gint64) event->hlc);
    values[base + 2] = MOTCUA_VALUE_ID (event->origin);
    values[base + 3] = MOTCUA_VALUE_TEXT (office);
    mask = G_GUINT64_CONSTANT (0xf) << base;

    return _motcua_replica_write_row (hub, conflicts, &id, values, mask, MOTCUA_WRITE_LOCAL,
                                      _motcua_replica_tick (hub), NULL, error);
  }
}
