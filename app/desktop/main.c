/* main.c: motcua, the one-stop desk
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "motcua-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(MotcuaApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = motcua_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
