/* main.c: motcua-server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-server.h"

int
main (int    argc,
      char **argv)
{
  return motcua_server_run (argc, argv);
}
