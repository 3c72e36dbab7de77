#pragma once

#include "motcua-inside.h"
#include <glib.h>

G_BEGIN_DECLS

/* Fold Vietnamese text for search: strip diacritics (including đ/Đ → d), lower-case, keep letters
 * and digits, one space between words. "Đăng ký khai sinh" → "dang ky khai sinh". */
G_GNUC_WARN_UNUSED_RESULT
char     *motcua_text_fold             (const char  *text);

/* Input checks. Each names @field and the bad value in its MOTCUA_ERROR_INVALID error. */
gboolean  motcua_check_required        (const char  *field,
                                        const char  *value,
                                        GError     **error);
/* A citizen identity number (CCCD): exactly 12 digits. */
gboolean  motcua_check_citizen_id      (const char  *field,
                                        const char  *value,
                                        GError     **error);
/* A Vietnamese phone number: mobile 0[35789]xxxxxxxx or landline 02xxxxxxxxx; +84 and spaces,
 * dots and dashes accepted. Returns the normalized number (digits, leading 0). */
G_GNUC_WARN_UNUSED_RESULT
char     *motcua_normalize_phone       (const char  *field,
                                        const char  *value,
                                        GError     **error);
/* YYYY-MM-DD naming a real day. */
gboolean  motcua_check_date            (const char  *field,
                                        const char  *value,
                                        GDate       *out,
                                        GError     **error);
/* An ISO 8601 date-time ("2025-03-04T09:15:00+07:00", "…Z", or without a zone meaning
 * Vietnam's UTC+7). Returns it as "YYYY-MM-DDTHH:MM:SS+07:00". */
G_GNUC_WARN_UNUSED_RESULT
char     *motcua_normalize_datetime    (const char  *field,
                                        const char  *value,
                                        GError     **error);
/* Unix ms → "YYYY-MM-DDTHH:MM:SS+07:00". */
G_GNUC_WARN_UNUSED_RESULT
char     *motcua_datetime_from_unix_ms (gint64       unix_ms);

G_END_DECLS
