/* motcua-receipts.c: receipt numbers on the desk's side: their format, the next one, the blocks
 * the server leased this replica (kept, counted, taken from) and the numbers carrying the desk's
 * code when they run out offline
 *
 * Numbers are unique across the province (DESIGN.md, Receipt numbers). The server grants the
 * leases (hub/motcua-hub-leases.c); the province's own desk takes its numbers straight from
 * that counter (store/motcua-store-leases.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "motcua-cases-private.h"
#include "motcua-error.h"

/* The number printed on a receipt: OFFICE-YEAR-NNNNNN, or OFFICE-YEAR-DESK-NNNN for the
 * numbers a desk out of leased ones gives offline, which carry its desk code. */
static char *
format_number (const char *office_code,
               int         year,
               const char *desk,
               gint64      number)
{
  if (desk != NULL)
    return g_strdup_printf ("%s-%04d-%s-%04" G_GINT64_FORMAT, office_code, year, desk, number);
  return g_strdup_printf ("%s-%04d-%06" G_GINT64_FORMAT, office_code, year, number);
}

/* The province's lease counter */

gboolean
_motcua_receipt_grant (MotcuaReplica     *self,
                       const char        *token_id,
                       const char        *office_code,
                       const MotcuaUuid  *office_id,
                       int                year,
                       guint              count,
                       gint64            *first_out,
                       GError           **error)
{
  if (!_motcua_store_leases_grant (self, token_id, office_code, office_id, year, count,
                                   first_out, error))
    return FALSE;
  if (*first_out == 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_AVAILABLE,
                   _("Office %s has no receipt numbers left to lease for %d: desks give"
                     " numbers carrying their desk code"), office_code, year);
      return FALSE;
    }

  return TRUE;
}

/* The next number */

char *
_motcua_receipt_next (MotcuaReplica    *self,
                      const MotcuaUuid *office_id,
                      const char       *office_code,
                      int               year,
                      GError          **error)
{
  gint64 number = 0;
  g_autofree char *server = _motcua_replica_meta_dup_text (self, "server_url");

  /* Numbers are unique across the province: an enrolled desk gives the numbers its server
   * leased it; the server's own desk takes them from the lease counter itself. */
  if (_motcua_store_replicas_is_hub (self))
    {
      if (!_motcua_receipt_grant (self, "hub", office_code, office_id, year, 1, &number, error))
        return NULL;
      return format_number (office_code, year, NULL, number);
    }
  if (server != NULL)
    {
      number = _motcua_store_receipts_take_leased (self, office_id, year, error);
      if (number < 0)
        return NULL;
      if (number > 0)
        return format_number (office_code, year, NULL, number);
    }

  /* Per office and year. An enrolled desk that ran out of leased numbers offline gives a
   * visibly distinct one that carries its desk code, unique in the province: no other desk
   * can make it. */
  number = _motcua_store_receipts_count (self, office_id, year, error);
  if (number < 0)
    return NULL;

  if (server != NULL)
    {
      g_autofree char *desk = _motcua_replica_meta_dup_text (self, "desk_code");

      /* A desk enrolled before desk codes existed, not synced since: the random part of its
       * id (the last 12 hex digits of a UUIDv7; its first ones are a timestamp). */
      if (desk == NULL)
        desk = g_strdup_printf ("R%s", self->id + 24);
      return format_number (office_code, year, desk, number);
    }

  return format_number (office_code, year, NULL, number);
}
