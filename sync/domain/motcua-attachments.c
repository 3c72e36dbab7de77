/* motcua-attachments.c: scans attached to cases, as a replica holds them
 *
 * An attachment is an insert-only row (it replicates like a timeline event: merge is union)
 * naming its bytes by SHA-256; the bytes are in the local table blobs (motcua-blobs.c) when
 * this replica has them. Adding one stores the bytes, the row and a timeline event in one
 * transaction. The bytes travel separately (motcua-blob-sync.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "motcua-blobs-private.h"
#include "motcua-cases-private.h"
#include "motcua-domain-private.h"
#include "motcua-error.h"
#include "motcua-text.h"
#include "motcua-timeline-private.h"

#define MAX_NAME_BYTES 255

MotcuaAttachment *
motcua_attachment_copy (const MotcuaAttachment *self)
{
  MotcuaAttachment *copy = g_memdup2 (self, sizeof *self);

  copy->id = g_strdup (self->id);
  copy->case_id = g_strdup (self->case_id);
  copy->sha256 = g_strdup (self->sha256);
  copy->name = g_strdup (self->name);
  copy->mime_type = g_strdup (self->mime_type);
  copy->added_at = g_strdup (self->added_at);
  copy->replica = g_strdup (self->replica);
  copy->officer = g_strdup (self->officer);

  return copy;
}

void
motcua_attachment_free (MotcuaAttachment *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->case_id);
  g_free (self->sha256);
  g_free (self->name);
  g_free (self->mime_type);
  g_free (self->added_at);
  g_free (self->replica);
  g_free (self->officer);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (MotcuaAttachment, motcua_attachment, motcua_attachment_copy,
                     motcua_attachment_free)

/* Checks */

gboolean
_motcua_attachment_check_size (guint64   size,
                               GError  **error)
{
  if (size == 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("attachment: the scan is empty (0 bytes)"));
      return FALSE;
    }
  if (size > MOTCUA_ATTACHMENT_MAX_SIZE)
    {
      g_autofree char *size_text = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS
                                                             | G_FORMAT_SIZE_LONG_FORMAT);
      g_autofree char *limit_text = g_format_size_full (MOTCUA_ATTACHMENT_MAX_SIZE,
                                                        G_FORMAT_SIZE_IEC_UNITS
                                                        | G_FORMAT_SIZE_LONG_FORMAT);

      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_TOO_LARGE,
                   _("attachment: the scan is %s, more than the limit of %s: scan it at a lower"
                     " resolution or split it"), size_text, limit_text);
      return FALSE;
    }

  return TRUE;
}

/* The base name of @name (whichever separator it came with), or NULL with an error. */
static char *
clean_name (const char  *name,
            GError     **error)
{
  const char *base = name;

  for (const char *p = name; p != NULL && *p != '\0'; p++)
    if (*p == '/' || *p == '\\')
      base = p + 1;

  if (base == NULL || *base == '\0' || strcmp (base, ".") == 0 || strcmp (base, "..") == 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("name: an attachment needs a file name (“%s” is none)"), name ? name : "");
      return NULL;
    }
  if (!g_utf8_validate (base, -1, NULL) || strlen (base) > MAX_NAME_BYTES)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("name: the file name must be UTF-8 text of at most %d bytes"),
                   MAX_NAME_BYTES);
      return NULL;
    }
  for (const char *p = base; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                     _("name: the file name “%s” holds a control character"), base);
        return NULL;
      }

  return g_strdup (base);
}

/* "type/subtype", ASCII, without spaces; NULL guesses from the name and the bytes. */
static char *
clean_mime_type (const char  *mime_type,
                 const char  *name,
                 GBytes      *data,
                 GError     **error)
{
  g_autofree char *content_type = NULL;
  const char *slash;

  if (mime_type == NULL || *mime_type == '\0')
    {
      gsize size;
      const guchar *bytes = g_bytes_get_data (data, &size);
      char *guessed;

      content_type = g_content_type_guess (name, bytes, MIN (size, 4096), NULL);
      guessed = g_content_type_get_mime_type (content_type);

      return guessed != NULL ? guessed : g_strdup ("application/octet-stream");
    }

  slash = strchr (mime_type, '/');
  if (slash == NULL || slash == mime_type || slash[1] == '\0' || strlen (mime_type) > 127)
    goto bad;
  for (const char *p = mime_type; *p != '\0'; p++)
    if (!g_ascii_isgraph (*p))
      goto bad;

  return g_ascii_strdown (mime_type, -1);

bad:
  g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
               _("mime_type: “%s” is not a media type such as image/jpeg or application/pdf"),
               mime_type);
  return NULL;
}

/* Adding */

static gboolean
add_in_tx (MotcuaReplica    *self,
           const MotcuaUuid *case_id,
           const MotcuaUuid *id,
           const char       *name,
           const char       *mime_type,
           const char       *sha256,
           GBytes           *data,
           GError          **error)
{
  MotcuaHlc hlc = _motcua_replica_tick (self);
  g_autofree char *added_at = _motcua_replica_now_iso (self);
  MotcuaEventFacts facts = { .field = "attachment", .new_value = name, .ref = id };
  MotcuaValue values[8];

  values[0] = MOTCUA_VALUE_ID (case_id);
  values[1] = MOTCUA_VALUE_TEXT (sha256);
  values[2] = MOTCUA_VALUE_TEXT (name);
  values[3] = MOTCUA_VALUE_TEXT (mime_type);
  values[4] = MOTCUA_VALUE_INT ((gint64) g_bytes_get_size (data));
  values[5] = MOTCUA_VALUE_TEXT (added_at);
  values[6] = MOTCUA_VALUE_TEXT (self->id);
  values[7] = MOTCUA_VALUE_TEXT (self->officer);

  return _motcua_blob_store (self, sha256, data, error)
         && _motcua_replica_insert_row (self, _motcua_table_lookup (MOTCUA_TABLE_ATTACHMENTS),
                                        id, values, hlc, error)
         && _motcua_replica_add_case_event (self, case_id, hlc, NULL, "attached", &facts,
                                           NULL, error);
}

MotcuaAttachment *
motcua_replica_add_attachment (MotcuaReplica  *self,
                               const char     *case_key,
                               const char     *name,
                               const char     *mime_type,
                               GBytes         *data,
                               GError        **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *type = NULL;
  g_autofree char *sha256 = NULL;
  MotcuaUuid case_id, id;
  char id_text[37];

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (!_motcua_attachment_check_size (g_bytes_get_size (data), error)
      || (clean = clean_name (name, error)) == NULL
      || (type = clean_mime_type (mime_type, clean, data, error)) == NULL
      || !_motcua_replica_case_rid (self, case_key, NULL, &case_id, error))
    return NULL;

  sha256 = _motcua_sha256_of_bytes (data);
  motcua_uuid_v7 (&id);

  if (!motcua_replica_begin (self, error)
      || !_motcua_replica_finish (self,
                                  add_in_tx (self, &case_id, &id, clean, type, sha256, data,
                                             error),
                                  error))
    return NULL;

  motcua_uuid_to_string (&id, id_text);

  return motcua_replica_dup_attachment (self, id_text, error);
}

MotcuaAttachment *
motcua_replica_add_attachment_from_file (MotcuaReplica  *self,
                                         const char     *case_key,
                                         GFile          *file,
                                         const char     *mime_type,
                                         GCancellable   *cancellable,
                                         GError        **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *type = NULL;
  const char *content_type;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                            G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_autofree char *where = g_file_get_parse_name (file);

      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("attachment: %s is not a file"), where);
      return NULL;
    }
  /* Refused before a byte is read. */
  if (!_motcua_attachment_check_size ((guint64) g_file_info_get_size (info), error))
    return NULL;

  data = g_file_load_bytes (file, cancellable, NULL, error);
  if (data == NULL)
    return NULL;

  content_type = g_file_info_get_content_type (info);
  if (mime_type == NULL && content_type != NULL && !g_content_type_is_unknown (content_type))
    type = g_content_type_get_mime_type (content_type);

  return motcua_replica_add_attachment (self, case_key, g_file_info_get_display_name (info),
                                        mime_type != NULL ? mime_type : type, data, error);
}

/* Removing */

gboolean
_motcua_attachment_check_not_removed (const MotcuaAttachment *a,
                                      GError                **error)
{
  if (!a->removed)
    return TRUE;
  g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
               _("The scan “%s” was removed from its case"), a->name);
  return FALSE;
}

gboolean
motcua_replica_remove_attachment (MotcuaReplica  *self,
                                  const char     *id,
                                  const char     *reason,
                                  GError        **error)
{
  g_autoptr(MotcuaAttachment) a = NULL;
  MotcuaEventFacts facts = { .field = "attachment" };
  MotcuaUuid case_id, id_value;
  guint dropped = 0;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  if (!motcua_check_required (_("reason"), reason, error)
      || (a = motcua_replica_dup_attachment (self, id, error)) == NULL)
    return FALSE;
  if (a->removed)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("The scan “%s” was removed from its case already"), a->name);
      return FALSE;
    }
  if (a->case_id == NULL || !motcua_uuid_parse (a->case_id, &case_id)
      || !motcua_uuid_parse (a->id, &id_value))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                   _("The attachment %s names no case"), a->id);
      return FALSE;
    }

  /* The removal is found by the id (MOTCUA_ATTACHMENT_REMOVED_SQL). */
  facts.old_value = a->name;
  facts.ref = &id_value;
  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self,
                                 _motcua_replica_add_case_event (self, &case_id,
                                                                 _motcua_replica_tick (self),
                                                                 NULL, "attachment_removed",
                                                                 &facts, reason, error)
                                 && _motcua_blob_drop_orphans (self, a->sha256, &dropped,
                                                               error),
                                 error);
}

/* Reading */

typedef struct
{
  GPtrArray *out;
  guint64    acked;
} Collect;

/* @row as a MotcuaAttachment, added to the list: whether its bytes are here, and its sync
 * state. */
static gboolean
collect_attachment (const MotcuaStoreAttachmentRow  *row,
                    gpointer                         user_data,
                    GError                         **error)
{
  Collect *collect = user_data;
  MotcuaAttachment *a = g_new0 (MotcuaAttachment, 1);
  char text[37];

  motcua_uuid_to_string (row->id, text);
  a->id = g_strdup (text);
  if (row->case_id != NULL)
    {
      motcua_uuid_to_string (row->case_id, text);
      a->case_id = g_strdup (text);
    }
  a->sha256 = g_strdup (row->sha256);
  a->name = g_strdup (row->name);
  a->mime_type = g_strdup (row->mime_type);
  a->size = (guint64) MAX (row->size, 0);
  a->added_at = g_strdup (row->added_at);
  a->replica = g_strdup (row->replica);
  a->officer = g_strdup (row->officer);

  a->present = row->has_blob && (guint64) row->blob_size == a->size
               && row->blob_received == row->blob_size;
  if (a->present)
    a->received = a->size;
  else if (row->has_blob && row->has_progress)
    a->received = (guint64) CLAMP (row->progress, 0, (gint64) a->size);
  a->uploaded = row->has_blob && row->blob_uploaded;

  a->removed = row->removed;
  if (row->rejected)
    a->sync_state = MOTCUA_SYNC_STATE_REJECTED;
  else
    a->sync_state = row->seq > collect->acked ? MOTCUA_SYNC_STATE_PENDING
                                              : MOTCUA_SYNC_STATE_SYNCED;
  g_ptr_array_add (collect->out, a);

  return TRUE;
}

GPtrArray *
motcua_replica_list_attachments (MotcuaReplica  *self,
                                 const char     *case_key,
                                 GError        **error)
{
  g_autoptr(GPtrArray) list =
    g_ptr_array_new_with_free_func ((GDestroyNotify) motcua_attachment_free);
  Collect collect = { list, 0 };
  MotcuaUuid case_id;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (!_motcua_replica_case_rid (self, case_key, NULL, &case_id, error))
    return NULL;

  collect.acked = _motcua_replica_get_acked (self);
  if (!_motcua_store_attachments_each_of_case (self, &case_id, collect_attachment, &collect,
                                               error))
    return NULL;

  return g_steal_pointer (&list);
}

/* "0196a3f2-…" or a prefix of it → the upper-case hex digits of its start, or NULL. */
static char *
id_prefix_hex (const char *id)
{
  g_autoptr(GString) hex = g_string_new (NULL);

  for (const char *p = id; *p != '\0'; p++)
    {
      if (*p == '-')
        continue;
      if (!g_ascii_isxdigit (*p))
        return NULL;
      g_string_append_c (hex, g_ascii_toupper (*p));
    }

  return hex->len >= 8 ? g_string_free (g_steal_pointer (&hex), FALSE) : NULL;
}

MotcuaAttachment *
motcua_replica_dup_attachment (MotcuaReplica  *self,
                               const char     *id,
                               GError        **error)
{
  g_autoptr(GPtrArray) found =
    g_ptr_array_new_with_free_func ((GDestroyNotify) motcua_attachment_free);
  Collect collect = { found, 0 };
  g_autofree char *prefix = NULL;
  MotcuaUuid uuid;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (id == NULL || (!motcua_uuid_parse (id, &uuid) && (prefix = id_prefix_hex (id)) == NULL))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("attachment: give its id, or at least its first 8 characters"));
      return NULL;
    }

  collect.acked = _motcua_replica_get_acked (self);
  if (!_motcua_store_attachments_each_by_id (self, prefix == NULL ? &uuid : NULL, prefix,
                                             collect_attachment, &collect, error))
    return NULL;

  if (found->len > 1)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("attachment: “%s” names more than one; give more of its id"), id);
      return NULL;
    }
  if (found->len == 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_FOUND,
                   _("attachment “%s” is not in this replica"), id);
      return NULL;
    }

  return g_ptr_array_steal_index (found, 0);
}

GBytes *
motcua_replica_read_attachment (MotcuaReplica  *self,
                                const char     *id,
                                GError        **error)
{
  g_autoptr(MotcuaAttachment) a = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *actual = NULL;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  a = motcua_replica_dup_attachment (self, id, error);
  if (a == NULL || !_motcua_attachment_check_not_removed (a, error))
    return NULL;
  if (!a->present)
    {
      g_autofree char *received = g_format_size (a->received);
      g_autofree char *size = g_format_size (a->size);

      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_NOT_AVAILABLE,
                   _("The scan “%s” is not on this replica yet (%s of %s here): fetch it from"
                     " the server"), a->name, received, size);
      return NULL;
    }

  data = _motcua_blob_read (self, a->sha256, 0, (gint64) a->size, error);
  if (data == NULL)
    return NULL;

  /* A damaged disk must not show a citizen the wrong paper. */
  actual = _motcua_sha256_of_bytes (data);
  if (g_bytes_get_size (data) != a->size || strcmp (actual, a->sha256) != 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CHECKSUM,
                   _("The stored bytes of the scan “%s” do not match its SHA-256: the replica"
                     " file is damaged"), a->name);
      return NULL;
    }

  return g_steal_pointer (&data);
}

/* Fetching everything */

gboolean
motcua_replica_get_fetch_all_attachments (MotcuaReplica *self)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  return _motcua_replica_meta_get_int (self, "fetch_all_attachments", 0) != 0;
}

gboolean
motcua_replica_set_fetch_all_attachments (MotcuaReplica  *self,
                                          gboolean        fetch_all,
                                          GError        **error)
{
  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);

  if (!motcua_replica_begin (self, error))
    return FALSE;

  return _motcua_replica_finish (self,
                                 _motcua_replica_meta_set_int (self, "fetch_all_attachments",
                                                               fetch_all ? 1 : 0, error),
                                 error);
}
