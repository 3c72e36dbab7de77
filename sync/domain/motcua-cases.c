/* motcua-cases.c: reading a case, and writing one with its timeline event
 *
 * Every other file of cases (reception, corrections, steps, listing) reads and writes through
 * these; the rules the values obey are in motcua-case-values.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "motcua-cases-private.h"
#include "motcua-error.h"
#include "motcua-text.h"

/* Reading */

MotcuaCase *
_motcua_case_from_row (const MotcuaStoreCaseRow *row,
                       guint64                   acked)
{
  MotcuaCase *c = g_new0 (MotcuaCase, 1);
  char id[37];

  motcua_uuid_to_string (&row->id, id);
  c->id = g_strdup (id);
  c->receipt_no = g_strdup (row->receipt_no);
  c->procedure_code = g_strdup (row->procedure_code);
  c->procedure_name = g_strdup (row->procedure_name);
  c->receiving_office = g_strdup (row->receiving_office);
  c->handling_office = g_strdup (row->handling_office);
  c->applicant_name = g_strdup (row->applicant_name);
  c->citizen_id = g_strdup (row->citizen_id);
  c->phone = g_strdup (row->phone);
  c->address = g_strdup (row->address);
  motcua_channel_from_string (row->channel, &c->channel);
  motcua_priority_from_string (row->priority, &c->priority);
  c->received_at = g_strdup (row->received_at);
  c->clock_start = g_strdup (row->clock_start);
  c->due_date = g_strdup (row->due_date);
  motcua_status_from_string (row->status, &c->status);
  c->status_generation = row->status_generation;
  c->papers = g_array_new (FALSE, FALSE, sizeof (guint));
  _motcua_papers_parse (row->papers, c->papers, NULL);
  c->resolved_at = g_strdup (row->resolved_at);
  c->result = g_strdup (row->result);
  c->returned_at = g_strdup (row->returned_at);
  motcua_channel_from_string (row->returned_via, &c->returned_via);
  c->rating = row->rating;
  c->return_at_deciding = g_strcmp0 (row->return_at, "deciding") == 0;
  /* Pending while its last local change is not acknowledged by the hub. */
  c->sync_state = row->seq > acked ? MOTCUA_SYNC_STATE_PENDING : MOTCUA_SYNC_STATE_SYNCED;

  return c;
}

gboolean
_motcua_replica_case_rid (MotcuaReplica  *self,
                          const char     *key,
                          gint64         *rid_out,
                          MotcuaUuid     *id_out,
                          GError        **error)
{
  MotcuaUuid uuid;
  gboolean is_id;
  gboolean found;

  if (!motcua_check_required (_("case"), key, error))
    return FALSE;

  is_id = motcua_uuid_parse (key, &uuid);
  if (!_motcua_store_cases_lookup (self, is_id ? &uuid : NULL, is_id ? NULL : key, &found,
                                   rid_out, id_out, error))
    return FALSE;

  if (!found)
    g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                 _("case “%s” is not in this replica (give a case id or a receipt number)"), key);

  return found;
}

typedef struct
{
  MotcuaCase *c;
  guint64     acked;
} ReadOne;

static gboolean
read_one (const MotcuaStoreCaseRow  *row,
          gpointer                   user_data,
          GError                   **error)
{
  ReadOne *read = user_data;

  g_clear_pointer (&read->c, motcua_case_free);
  read->c = _motcua_case_from_row (row, read->acked);

  return TRUE;
}

MotcuaCase *
_motcua_case_dup_by_rid (MotcuaReplica  *self,
                         gint64          rid,
                         GError        **error)
{
  ReadOne read = { NULL, _motcua_replica_get_acked (self) };

  if (!_motcua_store_cases_read (self, rid, read_one, &read, error))
    {
      g_clear_pointer (&read.c, motcua_case_free);
      return NULL;
    }

  if (read.c == NULL)
    g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND, _("case %lld vanished"),
                 (long long) rid);

  return read.c;
}

MotcuaCase *
motcua_replica_dup_case (MotcuaReplica  *self,
                         const char     *key,
                         GError        **error)
{
  gint64 rid;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (!_motcua_replica_case_rid (self, key, &rid, NULL, error))
    return NULL;

  return _motcua_case_dup_by_rid (self, rid, error);
}

MotcuaCase *
_motcua_case_dup_by_key (MotcuaReplica  *self,
                         const char     *key,
                         gint64         *rid,
                         MotcuaUuid     *id,
                         GError        **error)
{
  if (!_motcua_replica_case_rid (self, key, rid, id, error))
    return NULL;

  return _motcua_case_dup_by_rid (self, *rid, error);
}

gboolean
_motcua_case_write (MotcuaReplica     *self,
                    const MotcuaUuid  *id,
                    MotcuaValue       *values,
                    guint64            mask,
                    MotcuaHlc          hlc,
                    const char        *at,
                    const char              *action,
                    const MotcuaEventFacts  *facts,
                    const char              *note,
                    GError                 **error)
{
  return _motcua_case_check_values (self, values, mask, NULL, error)
         && _motcua_replica_write_row (self, _motcua_cases_table (), id, values, mask,
                                       MOTCUA_WRITE_LOCAL, hlc, NULL, error)
         && _motcua_replica_add_case_event (self, id, hlc, at, action, facts, note, error);
}

gboolean
_motcua_case_received_only (MotcuaReplica     *self,
                            const MotcuaCase  *c)
{
  g_autoptr(GHashTable) jurisdiction = NULL;
  MotcuaUuid receiving, handling;

  if (c->handling_office == NULL || c->receiving_office == NULL
      || g_strcmp0 (c->handling_office, c->receiving_office) == 0)
    return FALSE;
  jurisdiction = _motcua_replica_jurisdiction_set (self, self->office_code, NULL);
  if (jurisdiction == NULL)
    return FALSE;
  motcua_uuid_for_key (&receiving, "office", c->receiving_office);
  motcua_uuid_for_key (&handling, "office", c->handling_office);

  return !_motcua_id_in_set (jurisdiction, handling.bytes, 16)
         && _motcua_id_in_set (jurisdiction, receiving.bytes, 16);
}
