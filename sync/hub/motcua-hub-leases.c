/* motcua-hub-leases.c: receipt numbers leased to desks
 *
 * Blocks of numbers per office and year, counted in hub_leases and logged in hub_lease_log
 * (store/motcua-store-leases.c), each in the range of the store's generation
 * (motcua-hub-restore.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "motcua-error.h"
#include "motcua-hub-private.h"

/* Receipt numbers: blocks per office and year, never given twice. */
gboolean
_motcua_hub_lease (MotcuaReplica  *hub,
                   const char     *token_id,
                   const char     *office_code,
                   int             year,
                   guint           count,
                   gint64         *first_out,
                   gint64         *last_out,
                   GError        **error)
{
  MotcuaUuid office;
  gboolean has_office;
  gint64 first;

  /* The hub's own desk may have given numbers of an office it knows before it leased any. */
  has_office = _motcua_replica_office_id (hub, "office", office_code, &office, NULL);
  if (!_motcua_receipt_grant (hub, token_id, office_code, has_office ? &office : NULL, year,
                              count, &first, error))
    return FALSE;

  *first_out = first;
  *last_out = first + count - 1;

  return TRUE;
}
