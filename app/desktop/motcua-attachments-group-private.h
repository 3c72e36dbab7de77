/* motcua-attachments-group-private.h: what the files of the attachments group share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "motcua-attachments-group.h"

G_BEGIN_DECLS

struct _MotcuaAttachmentsGroup
{
  AdwPreferencesGroup  parent_instance;

  MotcuaSession       *session;
  char                *case_id;
  GCancellable        *cancellable;    /* what is under way for this case */
  GPtrArray           *attachments;    /* MotcuaAttachment, as listed */
  GPtrArray           *rows;           /* their rows, in the same order */
  char                *error;
  guint                busy;
  char                *fetching;       /* the id being downloaded, or NULL */
  MotcuaSync          *sync;           /* whose progress we follow */
  gulong               progress_handler;

  GtkWidget           *spinner;
  GtkWidget           *add_button;
  GtkWidget           *empty_row;
  GtkLabel            *error_label;
};

static inline MotcuaReplica *
replica (MotcuaAttachmentsGroup *self)
{
  return motcua_session_get_replica (self->session);
}

static inline const MotcuaAttachment *
lookup (MotcuaAttachmentsGroup *self,
        const char             *id,
        guint                  *index)
{
  for (guint i = 0; self->attachments != NULL && i < self->attachments->len; i++)
    {
      const MotcuaAttachment *attachment = g_ptr_array_index (self->attachments, i);

      if (g_strcmp0 (attachment->id, id) == 0)
        {
          if (index != NULL)
            *index = i;
          return attachment;
        }
    }
  return NULL;
}

static inline void
set_busy (MotcuaAttachmentsGroup *self,
          gboolean                busy)
{
  if (self->spinner == NULL)
    return;
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  gtk_widget_set_visible (self->spinner, self->busy > 0);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->busy > 0);
}

static inline void
clear_error (MotcuaAttachmentsGroup *self)
{
  g_clear_pointer (&self->error, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static inline void
show_error (MotcuaAttachmentsGroup *self,
            char                   *message)
{
  if (self->error_label == NULL)
    {
      g_free (message);
      return;
    }
  g_free (self->error);
  self->error = message;
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

G_END_DECLS
