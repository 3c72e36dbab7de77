/* motcua-hub-store.c: which store a hub keeps, and the PostgreSQL store's migration
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-hub-private.h"

gboolean
motcua_hub_store_is_postgresql (const char *store)
{
  return _motcua_pg_is_uri (store);
}

gboolean
motcua_hub_migrate_postgresql (const char  *uri,
                               int         *from,
                               int         *to,
                               GError     **error)
{
  g_autoptr(MotcuaPg) pg = _motcua_pg_connect (uri, error);

  if (pg == NULL || !_motcua_pg_migrate (pg, from, error))
    return FALSE;
  *to = MOTCUA_PG_SCHEMA_VERSION;

  return TRUE;
}
