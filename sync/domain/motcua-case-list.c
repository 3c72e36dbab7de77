/* motcua-case-list.c: listing and counting cases by filter and search, and the changes
 * pending
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-cases-private.h"
#include "motcua-error.h"
#include "motcua-text.h"

/* Listing */

static char *
week_end (const char *today)
{
  GDate date;
  char buf[11];

  if (!motcua_check_date (_("today"), today, &date, NULL))
    return g_strdup (today);
  g_date_add_days (&date, G_DATE_SUNDAY - g_date_get_weekday (&date));
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &date);

  return g_strdup (buf);
}

/* Whether @query looks like (the start of) a receipt number: one word with a dash, made of
 * capital letters, digits, dots, dashes and underscores. Those are found through the receipt
 * index, as a prefix range. */
static char *
receipt_prefix (const char *query)
{
  g_autofree char *text = g_ascii_strup (query ? query : "", -1);
  char *t = g_strstrip (text);

  if (*t == '\0' || strchr (t, '-') == NULL
      || strspn (t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen (t))
    return NULL;

  return g_strdup (t);
}

/* How many of the newest matches of a full-text query are ranked. Ranking every match of a
 * one-letter prefix over a million cases takes seconds; the newest 500 take a millisecond, and a
 * query specific enough to be worth ranking has fewer matches than that. */
#define SEARCH_WINDOW 500

static gboolean
filter_is_query_only (const MotcuaCaseFilter *f)
{
  return f->status < 0 && !f->open_only && !f->overdue && !f->due_this_week
         && f->procedure_code == NULL && f->channel < 0 && f->office == NULL;
}

/* The store's query of a filter, checked, in @query, with the texts it borrows in @owned. */
static gboolean
filter_query (MotcuaReplica           *self,
              const MotcuaCaseFilter  *f,
              MotcuaStoreCaseQuery    *query,
              GPtrArray               *owned,
              GError                 **error)
{
  char *today, *receipt;

  if (f->today != NULL && !motcua_check_date (_("today"), f->today, NULL, error))
    return FALSE;
  if (f->status >= MOTCUA_N_STATUSES || f->channel >= MOTCUA_N_CHANNELS)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("filter: status or channel out of range"));
      return FALSE;
    }

  /* A typo in a filter must not look like "no cases". */
  if (f->office != NULL)
    {
      MotcuaUuid office;

      if (!_motcua_replica_office_id (self, _("office"), f->office, &office, error))
        return FALSE;
    }
  if (f->procedure_code != NULL)
    {
      g_autoptr(MotcuaProcedure) procedure = motcua_replica_dup_procedure (self, f->procedure_code,
                                                                           error);

      if (procedure == NULL)
        return FALSE;
    }

  query->office = f->office;
  receipt = receipt_prefix (f->query);
  if (receipt != NULL)
    {
      char *receipt_hi = g_strdup (receipt);

      /* The range of receipt numbers starting with the prefix: its last byte raised by one. */
      receipt_hi[strlen (receipt_hi) - 1]++;
      g_ptr_array_add (owned, receipt);
      g_ptr_array_add (owned, receipt_hi);
      query->receipt_lo = receipt;
      query->receipt_hi = receipt_hi;
    }
  else if (f->query != NULL && (query->match = _motcua_fts_query (f->query)) != NULL)
    {
      g_ptr_array_add (owned, (char *) query->match);
      query->match_window = filter_is_query_only (f) ? SEARCH_WINDOW : 0;
    }
  if (f->status >= 0)
    query->status = motcua_status_to_string ((MotcuaStatus) f->status);
  query->open_only = f->open_only || f->overdue || f->due_this_week;
  today = f->today ? g_strdup (f->today) : _motcua_replica_today (self);
  g_ptr_array_add (owned, today);
  if (f->overdue)
    query->due_before = today;
  if (f->due_this_week)
    {
      query->due_from = today;
      query->due_to = week_end (today);
      g_ptr_array_add (owned, (char *) query->due_to);
    }
  query->procedure_code = f->procedure_code;
  if (f->channel >= 0)
    query->channel = motcua_channel_to_string ((MotcuaChannel) f->channel);
  query->limit = f->limit ? (int) MIN (f->limit, G_MAXINT) : 100;
  query->offset = f->offset;

  return TRUE;
}

typedef struct
{
  GPtrArray *cases;
  guint64    acked;
} ListCases;

static gboolean
list_one (const MotcuaStoreCaseRow  *row,
          gpointer                   user_data,
          GError                   **error)
{
  ListCases *list = user_data;

  g_ptr_array_add (list->cases, _motcua_case_from_row (row, list->acked));

  return TRUE;
}

GPtrArray *
motcua_replica_list_cases (MotcuaReplica           *self,
                           const MotcuaCaseFilter  *filter,
                           GError                 **error)
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func ((GDestroyNotify) motcua_case_free);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  MotcuaCaseFilter defaults = MOTCUA_CASE_FILTER_INIT;
  MotcuaStoreCaseQuery query = { NULL };
  ListCases list;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), NULL);

  if (!filter_query (self, filter ? filter : &defaults, &query, owned, error))
    return NULL;
  list.cases = cases;
  /* Read once, before the rows: it uses a cached statement of its own. */
  list.acked = _motcua_replica_get_acked (self);
  if (!_motcua_store_cases_list (self, &query, list_one, &list, error))
    return NULL;

  return g_steal_pointer (&cases);
}

gint64
motcua_replica_count_cases (MotcuaReplica           *self,
                            const MotcuaCaseFilter  *filter,
                            GError                 **error)
{
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  MotcuaCaseFilter defaults = MOTCUA_CASE_FILTER_INIT;
  MotcuaStoreCaseQuery query = { NULL };

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), -1);

  if (!filter_query (self, filter ? filter : &defaults, &query, owned, error))
    return -1;

  return _motcua_store_cases_count (self, &query, error);
}

gint64
motcua_replica_count_pending (MotcuaReplica  *self,
                              GError        **error)
{
  guint64 acked;

  g_return_val_if_fail (MOTCUA_IS_REPLICA (self), -1);

  /* Another connection to the file (a desk's worker writing a reorganisation, a command) may
   * have numbered changes since this one last wrote: outside a transaction, look again. */
  if (self->tx_depth == 0 && !_motcua_replica_refresh (self, error))
    return -1;
  /* Sequence numbers are dense: what the hub has not acknowledged is the rest. */
  acked = _motcua_replica_get_acked (self);

  return (gint64) (self->seq > acked ? self->seq - acked : 0);
}
