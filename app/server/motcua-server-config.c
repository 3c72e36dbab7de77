/* motcua-server-config.c: the settings of motcua-server
 *
 * One group, [server], in a GKeyFile (data/motcua-server.conf is the sample). The flags of
 * `serve` override the file; the file overrides the built-in defaults. A key this file does not
 * know is an error, not a silent default: a typo in a limit must not go unnoticed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <stddef.h>

#include "motcua-server-private.h"

#define GROUP "server"

typedef enum
{
  KEY_PATH,      /* char *; relative to the config file's directory */
  KEY_ADDRESS,   /* char *; an IP address */
  KEY_UINT,      /* guint */
  KEY_UINT64,    /* guint64 */
  KEY_RATE,      /* double */
} KeyKind;

typedef struct
{
  const char *name;
  KeyKind     kind;
  gsize       offset;
  guint64     min;
  guint64     max;
} KeyDesc;

static const KeyDesc keys[] = {
  { "store", KEY_PATH, offsetof (MotcuaServerConfig, store), 0, 0 },
  { "listen", KEY_ADDRESS, offsetof (MotcuaServerConfig, listen), 0, 0 },
  { "port", KEY_UINT, offsetof (MotcuaServerConfig, port), 0, 65535 },
  { "tls-cert", KEY_PATH, offsetof (MotcuaServerConfig, tls_cert), 0, 0 },
  { "tls-key", KEY_PATH, offsetof (MotcuaServerConfig, tls_key), 0, 0 },
  { "max-body-bytes", KEY_UINT64, offsetof (MotcuaServerConfig, max_body_bytes),
    1024, G_GUINT64_CONSTANT (1) << 30 },
  { "max-changes-per-push", KEY_UINT, offsetof (MotcuaServerConfig, max_changes_per_push),
    1, 1000000 },
  { "max-changes-per-pull", KEY_UINT, offsetof (MotcuaServerConfig, max_changes_per_pull),
    1, 1000000 },
  { "max-blob-bytes", KEY_UINT64, offsetof (MotcuaServerConfig, max_blob_bytes),
    1024, G_GUINT64_CONSTANT (1) << 32 },
  { "requests-per-second", KEY_RATE, offsetof (MotcuaServerConfig, requests_per_second),
    0, 1000000 },
  { "burst", KEY_UINT, offsetof (MotcuaServerConfig, burst), 1, 1000000 },
  { "slow-client-timeout-s", KEY_UINT, offsetof (MotcuaServerConfig, slow_client_timeout_s),
    1, 3600 },
};

MotcuaServerConfig *
motcua_server_config_new (void)
{
  MotcuaServerConfig *config = g_new0 (MotcuaServerConfig, 1);

  config->listen = g_strdup ("127.0.0.1");
  config->port = 8470;
  config->max_body_bytes = 8 * 1024 * 1024;
  config->max_changes_per_push = 5000;
  config->max_changes_per_pull = MOTCUA_HUB_MAX_CHANGES_PER_PULL;
  config->max_blob_bytes = 20 * 1024 * 1024;
  config->requests_per_second = 20;
  config->burst = 40;
  config->slow_client_timeout_s = 30;

  return config;
}

void
motcua_server_config_free (MotcuaServerConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->store);
  g_free (config->listen);
  g_free (config->tls_cert);
  g_free (config->tls_key);
  g_free (config);
}

static const KeyDesc *
find_key (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (keys[i].name, name))
      return &keys[i];

  return NULL;
}

gboolean
motcua_server_config_set (MotcuaServerConfig  *config,
                          const char          *source,
                          const char          *key,
                          const char          *value,
                          GError             **error)
{
  const KeyDesc *desc = find_key (key);
  gpointer field;
  guint64 number;

  g_assert (desc != NULL);
  field = G_STRUCT_MEMBER_P (config, desc->offset);

  switch (desc->kind)
    {
    case KEY_PATH:
      if (*value == '\0')
        {
          motcua_set_usage_error (error, _("%s needs a file name"), source);
          return FALSE;
        }
      g_free (*(char **) field);
      *(char **) field = g_strdup (value);
      return TRUE;

    case KEY_ADDRESS:
      {
        g_autoptr(GInetAddress) address = g_inet_address_new_from_string (value);

        if (address == NULL)
          {
            motcua_set_usage_error (error, _("%s “%s” must be an IP address, such as "
                                             "127.0.0.1, 0.0.0.0 or ::"), source, value);
            return FALSE;
          }
        g_free (*(char **) field);
        *(char **) field = g_strdup (value);
        return TRUE;
      }

    case KEY_UINT:
    case KEY_UINT64:
      if (!g_ascii_string_to_unsigned (value, 10, desc->min, desc->max, &number, NULL))
        {
          motcua_set_usage_error (error,
                                  _("%s “%s” must be a whole number from %llu to %llu"),
                                  source, value, (unsigned long long) desc->min,
                                  (unsigned long long) desc->max);
          return FALSE;
        }
      if (desc->kind == KEY_UINT)
        *(guint *) field = (guint) number;
      else
        *(guint64 *) field = number;
      return TRUE;

    case KEY_RATE:
      {
        char *end = NULL;
        double rate = g_ascii_strtod (value, &end);

        if (*value == '\0' || end == NULL || *end != '\0' || !(rate >= (double) desc->min)
            || !(rate <= (double) desc->max))
          {
            motcua_set_usage_error (error, _("%s “%s” must be a number from %llu to %llu "
                                             "(0: no limit)"),
                                    source, value, (unsigned long long) desc->min,
                                    (unsigned long long) desc->max);
            return FALSE;
          }
        *(double *) field = rate;
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

gboolean
motcua_server_config_load (MotcuaServerConfig  *config,
                           const char          *path,
                           GError             **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *dir = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      motcua_set_usage_error (error, _("cannot read the config file %s: %s"), path,
                              local_error->message);
      return FALSE;
    }

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    if (!g_str_equal (groups[i], GROUP))
      {
        motcua_set_usage_error (error, _("%s: unknown group [%s]; the settings go in "
                                         "[server]"), path, groups[i]);
        return FALSE;
      }

  names = g_key_file_get_keys (file, GROUP, NULL, NULL);
  dir = g_path_get_dirname (path);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      const KeyDesc *desc = find_key (names[i]);
      g_autofree char *source = g_strdup_printf ("%s: %s", path, names[i]);
      g_autofree char *value = NULL;

      if (desc == NULL)
        {
          motcua_set_usage_error (error, _("%s: unknown key “%s” in [server]"), path,
                                  names[i]);
          return FALSE;
        }
      value = g_key_file_get_string (file, GROUP, names[i], &local_error);
      if (value == NULL)
        {
          motcua_set_usage_error (error, "%s: %s", source, local_error->message);
          return FALSE;
        }
      g_strstrip (value);
      if (desc->kind == KEY_PATH && *value != '\0' && !g_path_is_absolute (value)
          && !motcua_hub_store_is_postgresql (value))
        {
          char *absolute = g_build_filename (dir, value, NULL);

          g_free (value);
          value = absolute;
        }
      if (!motcua_server_config_set (config, source, names[i], value, error))
        return FALSE;
    }

  return TRUE;
}
