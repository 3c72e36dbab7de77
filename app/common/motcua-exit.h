/* motcua-exit.h: the exit statuses of motcua-cli and motcua-server
 *
 * One table for both programs, so that a script reads a status the same way whichever of them
 * it ran, and one mapping from errors to statuses, so that the two cannot drift apart again.
 * The values are part of their stable interface (README.md documents them): a new one goes at
 * the end, and none is ever renumbered.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MotcuaExit:
 * @MOTCUA_EXIT_OK: the command did what was asked (or the server stopped when told to)
 * @MOTCUA_EXIT_FAILURE: any failure not below: the system (database, disk, I/O), a sync the
 *   server could not complete, or a store another motcua-server holds (a second server, a
 *   restore beside a server or a command); the message says what went wrong
 * @MOTCUA_EXIT_USAGE: the command line, the config file or the input was wrong, input over a
 *   size limit included; nothing was changed
 * @MOTCUA_EXIT_DAMAGED: the replica or the store is damaged (its change log cannot be read, its
 *   identity is missing) or is not a Một Cửa file at all; nothing was changed, and running the
 *   command again will not help: restore the file from a backup or make the replica anew
 * @MOTCUA_EXIT_UNAVAILABLE: the server could not be reached (network, name lookup, time out);
 *   nothing was lost, and the same command can run again later
 */
typedef enum
{
  MOTCUA_EXIT_OK = 0,
  MOTCUA_EXIT_FAILURE = 1,
  MOTCUA_EXIT_USAGE = 2,
  MOTCUA_EXIT_DAMAGED = 3,
  MOTCUA_EXIT_UNAVAILABLE = 4,
} MotcuaExit;

/* The exit status for a command that failed with @error, by its domain and code (never by its
 * message): G_OPTION_ERROR is bad usage; the library's errors as documented above. */
MotcuaExit  motcua_exit_for_error (const GError *error);

/* The table above in a few lines, translated, for the end of a program's --help. */
const char *motcua_exit_describe  (void);

G_END_DECLS
