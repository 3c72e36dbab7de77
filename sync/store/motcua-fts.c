/* motcua-fts.c: an FTS5 tokenizer that folds Vietnamese
 *
 * unicode61 with remove_diacritics strips combining marks, but đ/Đ is a letter of its own and
 * would stay, so "dang ky" would not find "Đăng ký". This tokenizer splits on anything that is not
 * a letter or digit and folds every character with _motcua_fold_char(), the same folding that
 * motcua_text_fold() applies to queries.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "motcua-error.h"
#include "motcua-replica-private.h"
#include "motcua-text.h"

#define MAX_TOKEN 64

typedef struct
{
  int unused;
} Tokenizer;

static int
tokenizer_create (void            *ctx,
                  const char     **args,
                  int              n_args,
                  Fts5Tokenizer  **out)
{
  (void) ctx;
  (void) args;
  (void) n_args;

  *out = (Fts5Tokenizer *) g_new0 (Tokenizer, 1);

  return SQLITE_OK;
}

static void
tokenizer_delete (Fts5Tokenizer *tokenizer)
{
  g_free (tokenizer);
}

static int
tokenizer_tokenize (Fts5Tokenizer *tokenizer,
                    void          *ctx,
                    int            flags,
                    const char    *text,
                    int            length,
                    int          (*emit) (void *, int, const char *, int, int, int))
{
  char token[MAX_TOKEN + 8];
  int token_len = 0;
  int start = -1;
  int pos = 0;

  (void) tokenizer;
  (void) flags;

  while (pos <= length)
    {
      gunichar folded = 0;
      int next = pos;

      if (pos < length)
        {
          gunichar c = g_utf8_get_char_validated (text + pos, length - pos);

          if (c == (gunichar) -1 || c == (gunichar) -2)
            {
              next = pos + 1;   /* skip an invalid byte */
              c = ' ';
            }
          else
            next = (int) (g_utf8_next_char (text + pos) - text);

          folded = _motcua_fold_char (c);
          if (folded == MOTCUA_FOLD_SKIP)
            {
              pos = next;
              continue;
            }
        }

      if (folded != 0)
        {
          if (start < 0)
            start = pos;
          if (token_len < MAX_TOKEN)
            token_len += g_unichar_to_utf8 (folded, token + token_len);
        }
      else if (start >= 0)
        {
          int rc = emit (ctx, 0, token, token_len, start, pos);

          if (rc != SQLITE_OK)
            return rc;
          start = -1;
          token_len = 0;
        }

      if (pos == length)
        break;
      pos = next;
    }

  return SQLITE_OK;
}

gboolean
_motcua_fts_register (sqlite3  *db,
                      GError  **error)
{
  static fts5_tokenizer tokenizer = {
    tokenizer_create, tokenizer_delete, tokenizer_tokenize
  };
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  if (api == NULL || api->iVersion < 2
      || api->xCreateTokenizer (api, "motcua", NULL, &tokenizer, NULL) != SQLITE_OK)
    {
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_DATABASE,
                   _("This SQLite has no FTS5: Một Cửa needs SQLite built with FTS5"));
      return FALSE;
    }

  return TRUE;
}

char *
_motcua_fts_query (const char *text)
{
  g_autofree char *folded = motcua_text_fold (text);
  g_auto(GStrv) words = NULL;
  GString *query;

  if (folded[0] == '\0')
    return NULL;

  words = g_strsplit (folded, " ", -1);
  query = g_string_new (NULL);

  /* The words typed so far are whole; the last one is still being typed, so it is a prefix.
   * Folded words hold only letters and digits, so quoting them keeps FTS5 syntax out. */
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_printf (query, "\"%s\"%s", words[i], words[i + 1] == NULL ? "*" : "");
    }

  return g_string_free (query, FALSE);
}

/* Full-text indexing waits for the commit. FTS5 flushes its pending index at every savepoint
 * and statement journal once it has joined a transaction, which made each write of a batch
 * write a tiny segment; indexed at the end, a batch is indexed in one go. Searches inside an
 * uncommitted group do not see its rows, and nothing in the library searches there. */
typedef struct
{
  const MotcuaTableDesc *table;
  gint64                 rid;
  gboolean               had_old;
  char                  *old[8];
  char                  *now[8];
} FtsPending;

static void
fts_pending_clear (gpointer data)
{
  FtsPending *p = data;

  for (guint n = 0; n < G_N_ELEMENTS (p->old); n++)
    {
      g_free (p->old[n]);
      g_free (p->now[n]);
    }
}

GArray *
_motcua_fts_pending_new (void)
{
  GArray *pending = g_array_new (FALSE, TRUE, sizeof (FtsPending));

  g_array_set_clear_func (pending, fts_pending_clear);

  return pending;
}

void
_motcua_replica_queue_fts (MotcuaReplica         *self,
                           const MotcuaTableDesc *table,
                           gint64                 rid,
                           const MotcuaValue     *old,
                           const MotcuaValue     *now)
{
  FtsPending p = { table, rid, old != NULL, { NULL }, { NULL } };

  for (guint n = 0; table->fts_columns[n] != G_MAXUINT; n++)
    {
      const MotcuaValue *v = &now[table->fts_columns[n]];

      if (old != NULL && old[n].type == SQLITE_TEXT)
        p.old[n] = g_strdup (old[n].s);
      if (v->type == SQLITE_TEXT)
        p.now[n] = g_strdup (v->s);
    }

  g_array_append_val (self->fts_pending, p);
}

gboolean
_motcua_replica_flush_fts (MotcuaReplica  *self,
                           GError        **error)
{
  for (guint i = 0; i < self->fts_pending->len; i++)
    {
      const FtsPending *p = &g_array_index (self->fts_pending, FtsPending, i);
      const TableSql *sql = _motcua_table_sql (p->table);
      sqlite3_stmt *stmt;

      if (p->had_old)
        {
          stmt = _motcua_replica_prepare (self, sql->fts_delete_sql, error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, p->rid);
          for (guint n = 0; p->table->fts_columns[n] != G_MAXUINT; n++)
            sqlite3_bind_text (stmt, (int) n + 2, p->old[n], -1, SQLITE_STATIC);
          if (!_motcua_replica_step_done (self, stmt, error))
            return FALSE;
        }

      stmt = _motcua_replica_prepare (self, sql->fts_insert_sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, p->rid);
      for (guint n = 0; p->table->fts_columns[n] != G_MAXUINT; n++)
        sqlite3_bind_text (stmt, (int) n + 2, p->now[n], -1, SQLITE_STATIC);
      if (!_motcua_replica_step_done (self, stmt, error))
        return FALSE;
    }

  g_array_set_size (self->fts_pending, 0);

  return TRUE;
}
