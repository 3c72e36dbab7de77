/* motcua-hub-restore.c: putting an older copy of the province's store back
 *
 * A copy taken at noon and restored at five has forgotten what the afternoon gave out: the
 * receipt numbers leased to desks, the desk codes given at enrollment. The desks still hold
 * and print them, so the restored store must never give them again. It cannot know how many
 * there were, so it does not guess: each restore opens a new generation, and every number and
 * desk code given after it comes from that generation's own range, above anything the one
 * before could have reached. What the desks' changes carried comes back as they push again
 * (sync/PROTOCOL.md, "A restored server").
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "motcua-error.h"
#include "motcua-hub-private.h"

gint64
_motcua_hub_generation (MotcuaReplica *hub)
{
  return _motcua_store_restore_generation (hub);
}

/* Whether @path is a whole, readable server store: a damaged copy or a desk's replica is never
 * put in the store's place. */
static gboolean
check_copy (const char  *path,
            GError     **error)
{
  MotcuaStoreCopyKind kind;

  if (!_motcua_store_restore_inspect (path, &kind, error))
    return FALSE;
  switch (kind)
    {
    case MOTCUA_STORE_COPY_DAMAGED:
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_CORRUPT,
                   _("%s is damaged or is not a Một Cửa store: nothing was restored"), path);
      return FALSE;
    case MOTCUA_STORE_COPY_NOT_HUB:
      g_set_error (error, MOTCUA_ERROR, MOTCUA_ERROR_INVALID,
                   _("%s is not a copy of a server's store (a desk's replica, or a store that"
                     " never enrolled a desk): nothing was restored"), path);
      return FALSE;
    case MOTCUA_STORE_COPY_HUB:
    default:
      return TRUE;
    }
}

/* The generation of the store being replaced, if it can still be read (a store lost with
 * its disk cannot): a copy older than the last restore must not open that one again. */
static gint64
replaced_generation (const char *store_path)
{
  if (!g_file_test (store_path, G_FILE_TEST_IS_REGULAR))
    return 0;

  return _motcua_store_restore_file_generation (store_path);
}

/* The generation the last restore noted beside the store (0: none). */
static gint64
noted_generation (const char *note)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (note, &text, NULL, NULL))
    return 0;

  return MAX (g_ascii_strtoll (text, NULL, 10), 0);
}

/* Opens the next generation after both the copy's and @replaced: leases and desk codes given
 * from now on start above anything either reached. Inside a transaction. */
static gboolean
open_generation (MotcuaReplica  *hub,
                 gint64          replaced,
                 GError        **error)
{
  gint64 generation = MAX (_motcua_hub_generation (hub), replaced) + 1;

  return _motcua_store_leases_raise (hub, generation * MOTCUA_HUB_RECEIPT_SPAN + 1, error)
         && _motcua_store_restore_set_generation (hub, generation, error);
}

/* The copy, brought up to date and given its new generation, beside the store: the store
 * then takes it whole or not at all, so a restore cut short never leaves a store that could
 * lease numbers again. */
static gboolean
prepare (const char  *copy_path,
         const char  *staged_path,
         gint64       replaced,
         GError     **error)
{
  g_autoptr(MotcuaReplica) hub = NULL;

  if (!check_copy (copy_path, error)
      || !_motcua_store_restore_copy (copy_path, staged_path, error))
    return FALSE;

  /* Opening it brings an older copy's schema up to date, as at any start. */
  hub = motcua_replica_open (staged_path, error);
  if (hub == NULL || !motcua_replica_begin (hub, error))
    return FALSE;

  return _motcua_replica_finish (hub, open_generation (hub, replaced, error), error);
}

static void
remove_staged (const char *staged)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (staged, suffixes[i], NULL);

      g_unlink (path);
    }
}

/* Renames @from (and its -wal, if any) to @to; the -shm goes: it only mirrors the -wal. */
static gboolean
move_db (const char  *from,
         const char  *to,
         GError     **error)
{
  static const char *const suffixes[] = { "", "-wal" };
  g_autofree char *shm = g_strconcat (from, "-shm", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *a = g_strconcat (from, suffixes[i], NULL);
      g_autofree char *b = g_strconcat (to, suffixes[i], NULL);
      int saved_errno;

      g_unlink (b);
      if (g_rename (a, b) == 0 || errno == ENOENT)
        continue;
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot move %s to %s: %s"), a, b, g_strerror (saved_errno));
      return FALSE;
    }
  g_unlink (shm);

  return TRUE;
}

gboolean
motcua_hub_restore (const char  *store_path,
                    const char  *copy_path,
                    GError     **error)
{
  g_autofree char *staged = g_strconcat (store_path, ".restoring", NULL);
  g_autofree char *before = g_strconcat (store_path, ".before-restore", NULL);
  g_autofree char *note = g_strconcat (store_path, ".restores", NULL);
  gboolean ok;

  /* The store being replaced is most often damaged: it is not written to, only moved aside
   * (kept, in case it holds anything still to be read), and the prepared copy takes its name. */
  remove_staged (staged);
  ok = prepare (copy_path, staged, MAX (replaced_generation (store_path), noted_generation (note)),
                error)
       && (!g_file_test (store_path, G_FILE_TEST_EXISTS) || move_db (store_path, before, error))
       && move_db (staged, store_path, error);
  remove_staged (staged);
  if (!ok)
    return FALSE;

  /* Beside the store as well: a store too damaged to read still leaves it. */
  {
    g_autoptr(MotcuaReplica) hub = motcua_replica_open (store_path, error);
    g_autofree char *text = NULL;

    if (hub == NULL)
      return FALSE;
    text = g_strdup_printf ("%" G_GINT64_FORMAT "\n", _motcua_hub_generation (hub));

    return g_file_set_contents (note, text, -1, error);
  }
}
