/* main.c: motcua-cli
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-cli.h"

int
main (int    argc,
      char **argv)
{
  return motcua_cli_run (argc, argv);
}
