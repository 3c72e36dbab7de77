/* motcua-case-page.h: one dossier: its fields, papers, timeline and the steps it can take
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "motcua-session.h"

G_BEGIN_DECLS

#define MOTCUA_TYPE_CASE_PAGE (motcua_case_page_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaCasePage, motcua_case_page, MOTCUA, CASE_PAGE, AdwBin)

/* Shows the case @key (receipt number or id) of @session; FALSE (with a toast) if it is not
 * there. */
gboolean          motcua_case_page_show      (MotcuaCasePage *self,
                                              MotcuaSession  *session,
                                              const char     *key);
/* The case shown, as last read. */
const MotcuaCase *motcua_case_page_get_case  (MotcuaCasePage *self);
/* Saves the slip of the case's latest apology as a PDF file at @path. */
gboolean          motcua_case_page_save_apology_pdf (MotcuaCasePage  *self,
                                                     const char      *path,
                                                     GError         **error);

G_END_DECLS
