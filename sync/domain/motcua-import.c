/* motcua-import.c: importing catalogues, offices, calendars and historical cases
 *
 * Each file is read whole and every entry is validated and written inside one transaction: the
 * first bad entry rolls everything back, and its error names the entry (the CSV line, or the
 * JSON array index and code) and the field. CSV rows are turned into the same JSON objects the
 * JSON format holds (motcua-import-csv.c), so both formats share one validator.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <json-glib/json-glib.h>
#include <string.h>

#include "motcua-csv-private.h"
#include "motcua-error.h"
#include "motcua-import-private.h"
#include "motcua-domain-private.h"
#include "motcua-text.h"

#define MAX_IMPORT_SIZE (512 * 1024 * 1024)
#define BULK_OPTIMIZE_ROWS 10000

static const FieldSpec procedure_fields[] = {
  { "code", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "code_official", JSON_NODE_VALUE, G_TYPE_BOOLEAN, FALSE, FALSE },
  { "name", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "sector", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "levels", JSON_NODE_ARRAY, G_TYPE_STRING, TRUE, TRUE },
  { "receiving_levels", JSON_NODE_ARRAY, G_TYPE_STRING, FALSE, TRUE },
  { "processing_days", JSON_NODE_VALUE, G_TYPE_INT64, TRUE, FALSE },
  { "time_unit", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "fee", JSON_NODE_VALUE, G_TYPE_INT64, TRUE, FALSE },
  { "fee_note", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "online", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "documents", JSON_NODE_ARRAY, G_TYPE_STRING, TRUE, TRUE },
  { "legal_basis", JSON_NODE_ARRAY, G_TYPE_STRING, TRUE, TRUE },
  { "in_force_from", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "in_force_to", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "sample", JSON_NODE_VALUE, G_TYPE_BOOLEAN, FALSE, FALSE },
  { "note", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
};

const FieldSpec _motcua_import_office_fields[] = {
  { "code", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "name", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "level", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "parent", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "in_force_from", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "in_force_to", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "successor", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "centre", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "sample", JSON_NODE_VALUE, G_TYPE_BOOLEAN, FALSE, FALSE },
  { "note", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
};
const guint _motcua_import_n_office_fields = G_N_ELEMENTS (_motcua_import_office_fields);


static const FieldSpec calendar_fields[] = {
  { "date", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "kind", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "name", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "sample", JSON_NODE_VALUE, G_TYPE_BOOLEAN, FALSE, FALSE },
  { "note", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
};

/* In JSON the applicant is an object; in CSV its fields are flat (applicant_name, …). */
static const FieldSpec case_fields[] = {
  { "receipt_no", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "procedure", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "receiving_office", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "handling_office", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "applicant", JSON_NODE_OBJECT, 0, TRUE, FALSE },
  { "channel", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "priority", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "received_at", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "due_date", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "papers", JSON_NODE_ARRAY, G_TYPE_INT64, FALSE, TRUE },
  { "status", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "resolved_at", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "result", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "returned_at", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "returned_via", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "return_at", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "rating", JSON_NODE_VALUE, G_TYPE_INT64, FALSE, FALSE },
  { "note", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
};

static const FieldSpec applicant_fields[] = {
  { "name", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "citizen_id", JSON_NODE_VALUE, G_TYPE_STRING, TRUE, FALSE },
  { "phone", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
  { "address", JSON_NODE_VALUE, G_TYPE_STRING, FALSE, FALSE },
};

static const KindSpec kinds[] = {
  [MOTCUA_IMPORT_CATALOGUE] = { "motcua-catalogue", "procedures", procedure_fields,
                                G_N_ELEMENTS (procedure_fields) },
  [MOTCUA_IMPORT_OFFICES] = { "motcua-offices", "offices", _motcua_import_office_fields,
                              G_N_ELEMENTS (_motcua_import_office_fields) },
  [MOTCUA_IMPORT_CALENDAR] = { "motcua-calendar", "days", calendar_fields,
                               G_N_ELEMENTS (calendar_fields) },
  [MOTCUA_IMPORT_CASES] = { "motcua-cases", "cases", case_fields, G_N_ELEMENTS (case_fields) },
};

gboolean
_motcua_import_error (GError     **error,
                      const char  *where,
                      const char  *format,
                      ...)
        {
          g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT, _("%s: %s"), where, message);

  return FALSE;
}

static const char *
type_name (const FieldSpec *spec)
{
  if (spec->type == JSON_NODE_ARRAY)
    return spec->value_type == G_TYPE_INT64 ? _("a list of numbers") : _("a list of strings");
  if (spec->type == JSON_NODE_OBJECT)
    return _("an object");
  if (spec->value_type == G_TYPE_INT64)
    return _("a whole number");
  if (spec->value_type == G_TYPE_BOOLEAN)
    return _("true or false");
  return _("a string");
}

static gboolean
value_has_type (JsonNode *node,
                GType     type)
{
  GType actual;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  actual = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return actual == G_TYPE_INT64;
  return actual == type;
}

/* Checks an entry's members against @fields: no unknown member, required ones present, types. */
gboolean
_motcua_import_check_object (JsonObject       *object,
              const FieldSpec  *fields,
              guint             n_fields,
              const char       *where,
              GError          **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < n_fields && !known; i++)
        known = strcmp (fields[i].name, l->data) == 0;
      if (!known)
        return _motcua_import_error (error, where, _("unknown field “%s”"), (const char *) l->data);
    }

  for (guint i = 0; i < n_fields; i++)
    {
      const FieldSpec *spec = &fields[i];
      JsonNode *node = json_object_get_member (object, spec->name);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          if (spec->required)
            return _motcua_import_error (error, where, _("field %s is required"), spec->name);
          continue;
        }

      if (spec->type == JSON_NODE_ARRAY)
        {
          JsonArray *array;

          if (!JSON_NODE_HOLDS_ARRAY (node))
            return _motcua_import_error (error, where, _("field %s must be %s"), spec->name,
                                         type_name (spec));
          array = json_node_get_array (node);
          for (guint k = 0; spec->value_type != 0 && k < json_array_get_length (array); k++)
            if (!value_has_type (json_array_get_element (array, k), spec->value_type))
              return _motcua_import_error (error, where, _("field %s: item %u must be %s"),
                                           spec->name, k,
                                           spec->value_type == G_TYPE_INT64 ? _("a whole number")
                                                                            : _("a string"));
        }
      else if (spec->type == JSON_NODE_OBJECT)
        {
          if (!JSON_NODE_HOLDS_OBJECT (node))
            return _motcua_import_error (error, where, _("field %s must be an object"), spec->name);
        }
      else if (!value_has_type (node, spec->value_type))
        return _motcua_import_error (error, where, _("field %s must be %s"), spec->name,
                                     type_name (spec));
    }

  return TRUE;
}

const char *
_motcua_import_get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gint64
get_int (JsonObject *object,
         const char *name,
         gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  return json_node_get_int (node);
}

static gboolean
get_bool (JsonObject *object,
          const char *name,
          gboolean    fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  return json_node_get_boolean (node);
}

static GStrv
get_strv (JsonObject *object,
          const char *name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_strv_builder_add (builder, json_array_get_string_element (array, i));
    }

  return g_strv_builder_end (builder);
}

/* Writing one entry. Errors from the library are prefixed with @where. */

/* The list of levels @field of @o as a bit set. */
static gboolean
get_levels (JsonObject  *o,
            const char  *field,
            guint       *out,
            GError     **error)
{
  g_auto(GStrv) levels = get_strv (o, field);

  *out = 0;
  for (guint i = 0; levels[i] != NULL; i++)
    {
      MotcuaLevel level;

      if (!motcua_level_from_string (levels[i], &level))
        {
          g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                       _("%s: “%s” must be province, department, district or commune"), field,
                       levels[i]);
          return FALSE;
        }
      *out |= 1u << level;
    }

  return TRUE;
}

static gboolean
import_procedure (MotcuaReplica  *self,
                  JsonObject     *o,
                  GError        **error)
{
  g_auto(GStrv) documents = get_strv (o, "documents");
  g_auto(GStrv) legal_basis = get_strv (o, "legal_basis");
  MotcuaProcedure p = { 0 };
  const char *online = _motcua_import_get_string (o, "online");
  const char *time_unit = _motcua_import_get_string (o, "time_unit");
  gint64 days = get_int (o, "processing_days", -1);

  if (!get_levels (o, "levels", &p.levels, error)
      || !get_levels (o, "receiving_levels", &p.receiving_levels, error))
    return FALSE;
  if (g_strcmp0 (online, "full") != 0 && g_strcmp0 (online, "partial") != 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("online “%s” must be full or partial"), online ? online : "");
      return FALSE;
    }
  if (time_unit != NULL && !motcua_time_unit_from_string (time_unit, &p.time_unit))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("time_unit “%s” must be working_days, days or hours"), time_unit);
      return FALSE;
    }
  if (days < 0 || days > motcua_time_unit_max (p.time_unit))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("processing_days %lld must be from 0 to %u %s"),
                   (long long) days, motcua_time_unit_max (p.time_unit),
                   motcua_time_unit_to_string (p.time_unit));
      return FALSE;
    }

  p.code = (char *) _motcua_import_get_string (o, "code");
  p.code_official = get_bool (o, "code_official", FALSE);
  p.name = (char *) _motcua_import_get_string (o, "name");
  p.sector = (char *) _motcua_import_get_string (o, "sector");
  p.processing_days = (guint) days;
  p.fee = get_int (o, "fee", -1);
  p.fee_note = (char *) _motcua_import_get_string (o, "fee_note");
  p.online_full = g_str_equal (online, "full");
  p.documents = documents;
  p.legal_basis = legal_basis;
  p.in_force_from = (char *) _motcua_import_get_string (o, "in_force_from");
  p.in_force_to = (char *) _motcua_import_get_string (o, "in_force_to");
  p.sample = get_bool (o, "sample", FALSE);

  if (p.legal_basis[0] == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("legal_basis must name at least one legal document"));
      return FALSE;
    }

  return motcua_replica_put_procedure (self, &p, error);
}

gboolean
_motcua_import_put_office (MotcuaReplica  *self,
                           JsonObject     *o,
                           const char     *in_force_from,
                           GError        **error)
{
  MotcuaOffice office = { 0 };
  const char *level = _motcua_import_get_string (o, "level");

  if (!motcua_level_from_string (level, &office.level))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("level “%s” must be province, department, district or commune"),
                   level ? level : "");
      return FALSE;
    }

  office.code = (char *) _motcua_import_get_string (o, "code");
  office.name = (char *) _motcua_import_get_string (o, "name");
  office.parent_code = (char *) _motcua_import_get_string (o, "parent");
  if (office.parent_code != NULL && *office.parent_code == '\0')
    office.parent_code = NULL;
  office.in_force_from = (char *) (in_force_from ? in_force_from
                                                 : _motcua_import_get_string (o, "in_force_from"));
  office.in_force_to = (char *) _motcua_import_get_string (o, "in_force_to");
  office.successor_code = (char *) _motcua_import_get_string (o, "successor");
  office.centre = (char *) _motcua_import_get_string (o, "centre");

  return motcua_replica_put_office (self, &office, error);
}

static gboolean
import_office (MotcuaReplica  *self,
               JsonObject     *o,
               GError        **error)
{
  return _motcua_import_put_office (self, o, NULL, error);
}

static gboolean
import_calendar_day (MotcuaReplica  *self,
                     JsonObject     *o,
                     GError        **error)
{
  return motcua_replica_put_calendar_day (self, _motcua_import_get_string (o, "date"),
                                          _motcua_import_get_string (o, "kind"),
                                          _motcua_import_get_string (o, "name"), error);
}

static gboolean
import_case (MotcuaReplica  *self,
             JsonObject     *o,
             GError        **error)
{
  g_autoptr(GArray) papers = g_array_new (FALSE, FALSE, sizeof (guint));
  JsonObject *applicant = json_object_get_object_member (o, "applicant");
  JsonNode *papers_node = json_object_get_member (o, "papers");
  MotcuaCase c = { 0 };
  const char *status = _motcua_import_get_string (o, "status");
  const char *channel = _motcua_import_get_string (o, "channel");
  const char *priority = _motcua_import_get_string (o, "priority");
  const char *via = _motcua_import_get_string (o, "returned_via");
  const char *return_at = _motcua_import_get_string (o, "return_at");

  if (!_motcua_import_check_object (applicant, applicant_fields, G_N_ELEMENTS (applicant_fields),
                                    "applicant",
                     error))
    return FALSE;

  if (!motcua_status_from_string (status, &c.status))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("status “%s” is not a status (received, in_processing, supplement_requested,"
                   " resubmitted, approved, refused, returned, withdrawn, cancelled)"),
                   status ? status : "");
      return FALSE;
    }
  if (!motcua_channel_from_string (channel, &c.channel))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("channel “%s” must be counter, online, postal or home"),
                   channel ? channel : "");
      return FALSE;
    }
  if (priority != NULL && *priority != '\0' && !motcua_priority_from_string (priority, &c.priority))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("priority “%s” must be none, elderly, disabled, veteran, child or pregnant"),
                   priority);
      return FALSE;
    }
  if (via != NULL && *via != '\0' && !motcua_channel_from_string (via, &c.returned_via))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("returned_via “%s” must be counter, online, postal or home"), via);
      return FALSE;
    }
  if (return_at != NULL && *return_at != '\0' && strcmp (return_at, "receiving") != 0
      && strcmp (return_at, "deciding") != 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("return_at “%s” must be receiving or deciding"), return_at);
      return FALSE;
    }
  c.return_at_deciding = g_strcmp0 (return_at, "deciding") == 0;
  if (papers_node != NULL && JSON_NODE_HOLDS_ARRAY (papers_node))
    {
      JsonArray *array = json_node_get_array (papers_node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gint64 v = json_array_get_int_element (array, i);

          if (v < 0 || v > 63)
            {
              g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                           _("papers: %lld is not a paper number"), (long long) v);
              return FALSE;
            }
          g_array_append_val (papers, (guint) { (guint) v });
        }
    }

  c.receipt_no = (char *) _motcua_import_get_string (o, "receipt_no");
  c.procedure_code = (char *) _motcua_import_get_string (o, "procedure");
  c.receiving_office = (char *) _motcua_import_get_string (o, "receiving_office");
  c.handling_office = (char *) _motcua_import_get_string (o, "handling_office");
  c.applicant_name = (char *) _motcua_import_get_string (applicant, "name");
  c.citizen_id = (char *) _motcua_import_get_string (applicant, "citizen_id");
  c.phone = (char *) _motcua_import_get_string (applicant, "phone");
  c.address = (char *) _motcua_import_get_string (applicant, "address");
  c.received_at = (char *) _motcua_import_get_string (o, "received_at");
  c.due_date = (char *) _motcua_import_get_string (o, "due_date");
  c.papers = papers;
  c.resolved_at = (char *) _motcua_import_get_string (o, "resolved_at");
  c.result = (char *) _motcua_import_get_string (o, "result");
  c.returned_at = (char *) _motcua_import_get_string (o, "returned_at");
  c.rating = (int) CLAMP (get_int (o, "rating", 0), -1, 6);

  return motcua_replica_import_case (self, &c, error);
}

typedef gboolean (*ImportFunc) (MotcuaReplica *, JsonObject *, GError **);

static const ImportFunc importers[] = {
  [MOTCUA_IMPORT_CATALOGUE] = import_procedure,
  [MOTCUA_IMPORT_OFFICES] = import_office,
  [MOTCUA_IMPORT_CALENDAR] = import_calendar_day,
  [MOTCUA_IMPORT_CASES] = import_case,
};

static JsonArray *
json_to_entries (const KindSpec    *kind,
                 const char        *data,
                 gsize              length,
                 const char        *source,
                 GPtrArray         *wheres,
                 GError           **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonNode *root_node;
  JsonNode *array_node;
  JsonArray *array;
  const char *format;

  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT, _("%s is not valid JSON: %s"), source,
                   local_error->message);
      return NULL;
    }

  root_node = json_parser_get_root (parser);
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT,
                   _("%s: the top level must be an object with \"format\": \"%s\""), source,
                   kind->format);
      return NULL;
    }
  root = json_node_get_object (root_node);
  format = _motcua_import_get_string (root, "format");
  if (g_strcmp0 (format, kind->format) != 0)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT,
                   _("%s: format is “%s”, expected “%s”"), source, format ? format : "(missing)",
                   kind->format);
      return NULL;
    }
  if (get_int (root, "version", 0) != 1)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT,
                   _("%s: version %lld is not supported (this build reads version 1)"),
                   source, (long long) get_int (root, "version", 0));
      return NULL;
    }

  array_node = json_object_get_member (root, kind->array);
  if (array_node == NULL || !JSON_NODE_HOLDS_ARRAY (array_node))
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT,
                   _("%s: \"%s\" must be a list"), source, kind->array);
      return NULL;
    }

  array = json_node_get_array (array_node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *key = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *o = json_node_get_object (node);

          key = _motcua_import_get_string (o, "code");
          if (key == NULL)
            key = _motcua_import_get_string (o, "receipt_no");
          if (key == NULL)
            key = _motcua_import_get_string (o, "date");
        }
      g_ptr_array_add (wheres, key ? g_strdup_printf ("%s: %s[%u] (%s)", source, kind->array, i,
                                                      key)
                                   : g_strdup_printf ("%s: %s[%u]", source, kind->array, i));
    }

  return json_array_ref (array);
}

/* Offices refer to their parents and successors: write those first, whatever order the file
 * lists them in. */
static gboolean
order_offices (JsonArray  *entries,
               GPtrArray  *wheres,
               GError    **error)
{
  guint n = json_array_get_length (entries);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree guint *depth = g_new0 (guint, n);
  g_autofree guint *order = g_new0 (guint, n);
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) old_wheres = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      const char *code;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return TRUE;  /* reported, with its place, by the main loop */
      code = _motcua_import_get_string (json_node_get_object (node), "code");
      if (code != NULL)
        g_hash_table_insert (index, (gpointer) code, GUINT_TO_POINTER (i + 1));
    }

  /* An office's depth: one more than the deepest of its parent and successor in the file, so
   * both are written before it. Found by relaxing n times; a change in round n is a loop. */
  for (guint round = 0; round <= n; round++)
    {
      gboolean changed = FALSE;

      for (guint i = 0; i < n; i++)
        {
          JsonObject *o = json_array_get_object_element (entries, i);
          const char *links[] = { _motcua_import_get_string (o, "parent"),
                                  _motcua_import_get_string (o, "successor") };

          for (guint l = 0; l < G_N_ELEMENTS (links); l++)
            {
              guint p = links[l] ? GPOINTER_TO_UINT (g_hash_table_lookup (index, links[l])) : 0;

              if (p != 0 && p - 1 != i && depth[i] < depth[p - 1] + 1)
                {
                  depth[i] = depth[p - 1] + 1;
                  changed = TRUE;
                }
            }
        }
      if (!changed)
        break;
      if (round == n)
        for (guint i = 0; i < n; i++)
          if (depth[i] >= n)
            return _motcua_import_error (error, g_ptr_array_index (wheres, i),
                                         "the chain of parents and successors loops back on"
                                         " itself");
    }
  for (guint i = 0; i < n; i++)
    order[i] = i;

  for (guint i = 1; i < n; i++)   /* a stable insertion sort by depth */
    for (guint k = i; k > 0 && depth[order[k - 1]] > depth[order[k]]; k--)
      {
        guint t = order[k];

        order[k] = order[k - 1];
        order[k - 1] = t;
      }

  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (nodes, json_node_ref (json_array_get_element (entries, i)));
      g_ptr_array_add (old_wheres, g_steal_pointer (&g_ptr_array_index (wheres, i)));
    }
  for (guint i = 0; i < n; i++)
    json_array_remove_element (entries, 0);
  for (guint i = 0; i < n; i++)
    {
      json_array_add_element (entries, json_node_ref (g_ptr_array_index (nodes, order[i])));
      g_ptr_array_index (wheres, i) = g_strdup (g_ptr_array_index (old_wheres, order[i]));
    }

  return TRUE;
}

gboolean
motcua_replica_import_data (MotcuaReplica       *self,
                            const char          *data,
                            gsize                length,
                            const char          *source_name,
                            MotcuaImportKind     kind_id,
                            MotcuaImportFormat   format,
                            guint               *n_rows,
                            GError             **error)
{
  g_autoptr(GPtrArray) wheres = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonArray) entries = NULL;
  const KindSpec *kind;
  const char *source = source_name ? source_name : "input";

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail ((guint) kind_id < G_N_ELEMENTS (kinds), FALSE);

  kind = &kinds[kind_id];

  if (format == MOTCUA_FORMAT_AUTO)
    {
      if (g_str_has_suffix (source, ".csv") || g_str_has_suffix (source, ".CSV"))
        format = MOTCUA_FORMAT_CSV;
      else
        format = MOTCUA_FORMAT_JSON;
    }

  if (format == MOTCUA_FORMAT_CSV)
    {
      g_autoptr(GPtrArray) records = _motcua_csv_parse (data, length, source, error);

      if (records == NULL)
        return FALSE;
      entries = _motcua_import_csv_to_entries (kind, kind_id, records, source, wheres, error);
    }
  else
    entries = json_to_entries (kind, data, length, source, wheres, error);

  if (entries == NULL)
    return FALSE;
  if (kind_id == MOTCUA_IMPORT_OFFICES && !order_offices (entries, wheres, error))
    return FALSE;

  if (!motcua_replica_begin (self, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      const char *where = g_ptr_array_index (wheres, i);
      g_autoptr(GError) local_error = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          _motcua_import_error (error, where, _("must be an object"));
          motcua_replica_rollback (self);
          return FALSE;
        }

      if (!_motcua_import_check_object (json_node_get_object (node), kind->fields, kind->n_fields,
                                        where, error))
        {
          motcua_replica_rollback (self);
          return FALSE;
        }

      if (!importers[kind_id] (self, json_node_get_object (node), &local_error))
        {
          if (local_error->domain == MOTCUA_ERROR && local_error->code == MOTCUA_ERROR_DATABASE)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            _motcua_import_error (error, where, _("%s"), local_error->message);
          motcua_replica_rollback (self);
          return FALSE;
        }
    }

  /* An open case whose office ended before today goes to the office in charge now, as a
   * reorganisation would have moved it had the case been here then. */
  if (kind_id == MOTCUA_IMPORT_CASES)
    {
      guint moved = 0;

      if (!_motcua_offices_move_cases_of_ended_in_tx (self, &moved, error))
        {
          motcua_replica_rollback (self);
          return FALSE;
        }
    }

  if (!motcua_replica_commit (self, error))
    return FALSE;

  /* A bulk import leaves the search index in many small segments: compact it (seconds on a
   * million cases, and searches get faster). The import is saved either way. */
  if (json_array_get_length (entries) >= BULK_OPTIMIZE_ROWS && self->tx_depth == 0)
    {
      g_autoptr(GError) local_error = NULL;

      if (!motcua_replica_optimize (self, &local_error))
        g_debug ("Compacting the search index after the import failed: %s",
                 local_error->message);
    }

  if (n_rows != NULL)
    *n_rows = json_array_get_length (entries);

  return TRUE;
}

gboolean
motcua_replica_import_file (MotcuaReplica       *self,
                            const char          *path,
                            MotcuaImportKind     kind,
                            MotcuaImportFormat   format,
                            guint               *n_rows,
                            GError             **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  const char *contents;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  file = g_mapped_file_new (path, FALSE, &local_error);
  if (file == NULL)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT, _("Cannot read %s: %s"), path,
                   local_error->message);
      return FALSE;
    }
  if (g_mapped_file_get_length (file) > MAX_IMPORT_SIZE)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_IMPORT,
                   _("%s is larger than %d MiB: split it"), path, MAX_IMPORT_SIZE / (1024 * 1024));
      return FALSE;
    }

  name = g_path_get_basename (path);

  contents = g_mapped_file_get_contents (file);

  return motcua_replica_import_data (self,
                                     contents ? contents : "",
                                     g_mapped_file_get_length (file), name, kind, format, n_rows,
                                     error);
}
