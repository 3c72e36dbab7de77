/* motcua-server-linger.c: an answer written on a connection taken from libsoup, then the
 * connection closed gently
 *
 * An answer given before a request's body is read (413 as soon as the headers are in, 408 to a
 * client too slow) is written on the connection taken from libsoup
 * (soup_server_message_steal_connection()). Closing it at once could reset it before the client
 * has read the answer, since the client is still sending: the rest of what it sends is read and
 * dropped first, for LINGER_SECONDS at most.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "motcua-server-private.h"

#define LINGER_SECONDS 2   /* how long an early answer reads what the client still sends */

typedef struct
{
  GIOStream      *stream;
  GBytes         *reply;
  GCancellable   *cancellable;
  guint           timeout_id;
  GDestroyNotify  done;
  gpointer        done_data;
  guint8          buffer[16384];
} Linger;

static void
linger_free (Linger *linger)
{
  g_clear_handle_id (&linger->timeout_id, g_source_remove);
  g_clear_object (&linger->stream);
  g_clear_object (&linger->cancellable);
  g_clear_pointer (&linger->reply, g_bytes_unref);
  linger->done (linger->done_data);
  g_free (linger);
}

static void
linger_closed (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  linger_free (data);
}

static void
linger_close (Linger *linger)
{
  g_clear_handle_id (&linger->timeout_id, g_source_remove);
  g_io_stream_close_async (linger->stream, G_PRIORITY_DEFAULT, NULL, linger_closed, linger);
}

static gboolean
linger_timeout (gpointer data)
{
  Linger *linger = data;

  linger->timeout_id = 0;
  g_cancellable_cancel (linger->cancellable);

  return G_SOURCE_REMOVE;
}

static void
linger_drained (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Linger *linger = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      linger_close (linger);
      return;
    }

  g_input_stream_read_async (G_INPUT_STREAM (source), linger->buffer, sizeof linger->buffer,
                             G_PRIORITY_DEFAULT, linger->cancellable, linger_drained, linger);
}

static void
linger_written (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Linger *linger = data;
  GSocket *socket;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      linger_close (linger);
      return;
    }

  /* The answer is out: say so (end of stream), then read and drop what the client still sends
   * until it stops, for LINGER_SECONDS at most: closing with unread data would reset the
   * connection, and the client could lose the answer. Reading costs little, and the time is
   * bounded. libsoup keeps the socket on the stolen stream. */
  socket = g_object_get_data (G_OBJECT (linger->stream), "GSocket");
  if (socket != NULL)
    g_socket_shutdown (socket, FALSE, TRUE, NULL);
  g_input_stream_read_async (g_io_stream_get_input_stream (linger->stream), linger->buffer,
                             sizeof linger->buffer, G_PRIORITY_DEFAULT, linger->cancellable,
                             linger_drained, linger);
}

void
motcua_server_linger (GIOStream      *stream,
                      GBytes         *reply,
                      GDestroyNotify  done,
                      gpointer        done_data)
{
  Linger *linger = g_new0 (Linger, 1);

  linger->stream = stream;
  linger->reply = reply;
  linger->done = done;
  linger->done_data = done_data;
  linger->cancellable = g_cancellable_new ();
  linger->timeout_id = g_timeout_add (LINGER_SECONDS * 1000, linger_timeout, linger);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (linger->stream),
                                   g_bytes_get_data (linger->reply, NULL),
                                   g_bytes_get_size (linger->reply), G_PRIORITY_DEFAULT,
                                   linger->cancellable, linger_written, linger);
}
