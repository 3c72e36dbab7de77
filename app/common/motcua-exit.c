/* motcua-exit.c: from an error to the exit status motcua-cli and motcua-server share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <motcua/motcua.h>

#include "motcua-exit.h"

MotcuaExit
motcua_exit_for_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, MOTCUA_EXIT_FAILURE);

  if (error->domain == G_OPTION_ERROR)
    return MOTCUA_EXIT_USAGE;

  if (error->domain == MOTCUA_ERROR)
    {
      switch ((MotcuaError) error->code)
        {
        case MOTCUA_ERROR_INVALID:
        case MOTCUA_ERROR_NOT_FOUND:
        case MOTCUA_ERROR_EXISTS:
        case MOTCUA_ERROR_ILLEGAL_TRANSITION:
        case MOTCUA_ERROR_NOT_AUTHORIZED:
        case MOTCUA_ERROR_SCHEMA_TOO_NEW:
        case MOTCUA_ERROR_IMPORT:
        case MOTCUA_ERROR_NOT_ENROLLED:
        case MOTCUA_ERROR_TOO_LARGE:
          return MOTCUA_EXIT_USAGE;
        case MOTCUA_ERROR_CORRUPT:
          return MOTCUA_EXIT_DAMAGED;
        case MOTCUA_ERROR_DATABASE:
        case MOTCUA_ERROR_GAP:
        default:
          return MOTCUA_EXIT_FAILURE;
        }
    }

  /* Only the errors that say the other end could not be reached: a local file that cannot be
   * read is G_IO_ERROR too, and is a failure. So is G_IO_ERROR_BUSY, which says both "the
   * server answered 429 or 5xx" and "the store is in use by another motcua-server". */
  if (error->domain == G_RESOLVER_ERROR)
    return MOTCUA_EXIT_UNAVAILABLE;
  if (error->domain == G_IO_ERROR)
    {
      switch ((GIOErrorEnum) error->code)
        {
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_HOST_NOT_FOUND:
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_TIMED_OUT:
          return MOTCUA_EXIT_UNAVAILABLE;
        default:
          break;
        }
    }

  return MOTCUA_EXIT_FAILURE;
}

const char *
motcua_exit_describe (void)
{
  return _("Exit status: 0 success; 1 failure (database, disk, network);\n"
           "2 bad usage, config or input (nothing was changed); 3 damaged replica or store\n"
           "(nothing was changed; restore it from a backup); 4 server unreachable\n"
           "(nothing was lost; run the command again later).");
}
