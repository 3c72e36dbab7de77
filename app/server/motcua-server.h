/* motcua-server.h: the provincial server of Một Cửa
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs the tool on @argv as typed on the command line; returns the exit status. */
int motcua_server_run (int    argc,
                       char **argv);

G_END_DECLS
