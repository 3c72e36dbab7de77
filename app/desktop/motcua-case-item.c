/* motcua-case-item.c: one row of the case list, filled in when its page arrives
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "motcua-case-item.h"
#include "motcua-format.h"

struct _MotcuaCaseItem
{
  GObject     parent_instance;

  guint       position;
  MotcuaCase *record;
  gboolean    overdue;
  char       *due;
};

G_DEFINE_FINAL_TYPE (MotcuaCaseItem, motcua_case_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_RECEIPT,
  PROP_APPLICANT,
  PROP_PROCEDURE,
  PROP_STATUS,
  PROP_STATUS_CLASS,
  PROP_DUE,
  PROP_OVERDUE,
  PROP_OFFICE,
  PROP_CHANNEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
motcua_case_item_finalize (GObject *object)
{
  MotcuaCaseItem *self = MOTCUA_CASE_ITEM (object);

  g_clear_pointer (&self->record, motcua_case_free);
  g_clear_pointer (&self->due, g_free);

  G_OBJECT_CLASS (motcua_case_item_parent_class)->finalize (object);
}

static void
motcua_case_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MotcuaCaseItem *self = MOTCUA_CASE_ITEM (object);
  const MotcuaCase *record = self->record;

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, record != NULL);
      break;
    case PROP_RECEIPT:
      g_value_set_string (value, record != NULL ? record->receipt_no : "");
      break;
    case PROP_APPLICANT:
      g_value_set_string (value, record != NULL ? record->applicant_name : "");
      break;
    case PROP_PROCEDURE:
      g_value_set_string (value, record != NULL ? record->procedure_name : "");
      break;
    case PROP_STATUS:
      g_value_set_string (value, record != NULL ? motcua_format_status (record->status) : "");
      break;
    case PROP_STATUS_CLASS:
      g_value_set_string (value, record != NULL ? motcua_format_status_class (record->status)
                                                : "status-closed");
      break;
    case PROP_DUE:
      g_value_set_string (value, self->due != NULL ? self->due : "");
      break;
    case PROP_OVERDUE:
      g_value_set_boolean (value, self->overdue);
      break;
    case PROP_OFFICE:
      g_value_set_string (value, record != NULL ? record->handling_office : "");
      break;
    case PROP_CHANNEL:
      g_value_set_string (value, record != NULL ? motcua_format_channel (record->channel) : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
motcua_case_item_class_init (MotcuaCaseItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = motcua_case_item_finalize;
  object_class->get_property = motcua_case_item_get_property;

  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);
  properties[PROP_RECEIPT] = g_param_spec_string ("receipt", NULL, NULL, "", flags);
  properties[PROP_APPLICANT] = g_param_spec_string ("applicant", NULL, NULL, "", flags);
  properties[PROP_PROCEDURE] = g_param_spec_string ("procedure", NULL, NULL, "", flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, "", flags);
  properties[PROP_STATUS_CLASS] = g_param_spec_string ("status-class", NULL, NULL, "", flags);
  properties[PROP_DUE] = g_param_spec_string ("due", NULL, NULL, "", flags);
  properties[PROP_OVERDUE] = g_param_spec_boolean ("overdue", NULL, NULL, FALSE, flags);
  properties[PROP_OFFICE] = g_param_spec_string ("office", NULL, NULL, "", flags);
  properties[PROP_CHANNEL] = g_param_spec_string ("channel", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
motcua_case_item_init (MotcuaCaseItem *self)
{
}

MotcuaCaseItem *
motcua_case_item_new (guint position)
{
  MotcuaCaseItem *self = g_object_new (MOTCUA_TYPE_CASE_ITEM, NULL);

  self->position = position;
  return self;
}

guint
motcua_case_item_get_position (MotcuaCaseItem *self)
{
  g_return_val_if_fail (MOTCUA_IS_CASE_ITEM (self), 0);

  return self->position;
}

const MotcuaCase *
motcua_case_item_get_case (MotcuaCaseItem *self)
{
  g_return_val_if_fail (MOTCUA_IS_CASE_ITEM (self), NULL);

  return self->record;
}

gboolean
motcua_case_item_get_loaded (MotcuaCaseItem *self)
{
  g_return_val_if_fail (MOTCUA_IS_CASE_ITEM (self), FALSE);

  return self->record != NULL;
}

gboolean
motcua_case_item_get_overdue (MotcuaCaseItem *self)
{
  g_return_val_if_fail (MOTCUA_IS_CASE_ITEM (self), FALSE);

  return self->overdue;
}

void
motcua_case_item_set_case (MotcuaCaseItem   *self,
                           const MotcuaCase *record,
                           const char       *today)
{
  g_return_if_fail (MOTCUA_IS_CASE_ITEM (self));
  g_return_if_fail (record != NULL);

  g_clear_pointer (&self->record, motcua_case_free);
  self->record = motcua_case_copy (record);
  g_free (self->due);
  self->due = motcua_format_date (record->due_date);
  self->overdue = motcua_status_is_open (record->status) && today != NULL
                  && record->due_date != NULL && strcmp (record->due_date, today) < 0;

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = PROP_LOADED; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
  g_object_thaw_notify (G_OBJECT (self));
}
