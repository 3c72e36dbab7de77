/* motcua-attachments-group.h: a dossier's scans: list, add from a file, view, download
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "motcua-session.h"

G_BEGIN_DECLS

#define MOTCUA_TYPE_ATTACHMENTS_GROUP (motcua_attachments_group_get_type ())

G_DECLARE_FINAL_TYPE (MotcuaAttachmentsGroup, motcua_attachments_group, MOTCUA, ATTACHMENTS_GROUP,
                      AdwPreferencesGroup)

/* Shows the scans of the case @case_id of @session (NULL: none), dropping what was under way for
 * the case shown before. */
void        motcua_attachments_group_show        (MotcuaAttachmentsGroup *self,
                                                  MotcuaSession          *session,
                                                  const char             *case_id);
/* Reads the list again (after a sync, say). */
void        motcua_attachments_group_reload      (MotcuaAttachmentsGroup *self);
/* What "Add Scan…" does with the file chosen: checks its size, reads it without blocking and
 * attaches it; "changed" follows, or an error is shown. */
void        motcua_attachments_group_add_file    (MotcuaAttachmentsGroup *self,
                                                  GFile                  *file);
/* What a row's button does: views the scan (an image in a window of the desk, anything else in
 * the application the system has for it), downloading it from the server first when it is not
 * on this computer yet. */
void        motcua_attachments_group_open        (MotcuaAttachmentsGroup *self,
                                                  const char             *attachment_id);

/* The scans listed (MotcuaAttachment), as last read. */
/* Removes a scan of the case shown, with @reason (what the remove button's dialog does);
 * FALSE with the error shown in the group when the library refuses. */
gboolean    motcua_attachments_group_remove      (MotcuaAttachmentsGroup *self,
                                                  const char             *attachment_id,
                                                  const char             *reason);
GPtrArray  *motcua_attachments_group_get_attachments (MotcuaAttachmentsGroup *self);
/* The message shown for the last thing that went wrong, or NULL. */
const char *motcua_attachments_group_get_error   (MotcuaAttachmentsGroup *self);
/* TRUE while a scan is being added, read or downloaded. */
gboolean    motcua_attachments_group_get_busy    (MotcuaAttachmentsGroup *self);

G_END_DECLS
