/* motcua-slowlink.c: a TCP proxy that behaves like a weak 2G/3G link, and counts the bytes
 *
 *   motcua-slowlink --listen 127.0.0.1:0 --to 127.0.0.1:8080
 *                   [--kbit 256] [--rtt-ms 300] [--loss 0.01] [--seed N] [--stats FILE]
 *   motcua-slowlink --listen 127.0.0.1:0 --to 127.0.0.1:8080 --passthrough --stats FILE
 *
 * Every connection accepted on --listen is joined to a new connection to --to, and the bytes
 * are copied both ways through an emulated link. Once bound it prints
 *
 *   listening on 127.0.0.1:PORT
 *
 * on stdout (flushed), so a script can start it with port 0 and read the port. On SIGUSR1 it
 * writes the byte counts to --stats (if given) and prints one line "stats {…totals…}" on
 * stdout; on SIGTERM or SIGINT it does the same and exits 0. The --stats file is replaced
 * atomically and holds the totals each way, per connection, and a "snapshot" number that grows
 * with every write, so a reader can tell a fresh file from the previous one.
 *
 * The bytes counted are the TCP payload delivered through the proxy: what an HTTP client and
 * server exchange (headers and bodies, after any compression), not IP/TCP headers. For the
 * overhead of a real link add ~40 bytes per 1,460-byte segment and per ACK.
 *
 * The link model, per direction of each connection (each connection has its own link, as if
 * the bottleneck were the last hop of one device but connections never competed):
 *
 *  - Bandwidth: the bytes are cut into segments of 1,460 bytes (an Ethernet MSS), and a segment
 *    leaves only when the link has finished sending the previous one: it occupies the link for
 *    size × 8 / (kbit × 1000) seconds. --kbit 0 means no bandwidth limit.
 *  - Delay: each segment arrives rtt / 2 after it has left (one-way propagation).
 *  - Handshake: a new connection's first byte cannot leave before one RTT after the accept
 *    (SYN, SYN-ACK), so short connections pay their set-up as on a real link.
 *  - Loss: each segment is lost with probability --loss. TCP resends it after a retransmission
 *    timeout, rto = max (200 ms, rtt): Linux's RTO is the smoothed RTT plus a variance term,
 *    at least 200 ms, so on a link with a steady RTT it is about that; fast retransmit, where
 *    it applies, recovers in about one RTT, which the same figure covers. Meanwhile the sender
 *    stalls (its window, about one bandwidth-delay product, fills up behind the missing
 *    segment), and the resend occupies the link once more, so each loss costs about rto plus
 *    one segment's time. TCP delivers in order, so the segments behind a lost one wait for it
 *    (head-of-line blocking).
 *
 * Not modelled: slow start and congestion windows (the window is taken to be at least the
 * bandwidth-delay product, 9.6 kB at 256 kbit/s and 300 ms, so throughput is the link rate),
 * lost ACKs, jitter, and competition between connections for one link. The proxy reads at most
 * QUEUE_LIMIT bytes ahead of what it has delivered in each direction, so a fast sender is held
 * back as a real link's full socket buffers would hold it.
 *
 * Single-threaded: one GMainLoop, asynchronous GIO streams, any number of connections.
 *
 * It needs nothing but GIO, so it also builds on its own:
 *
 *   cc -O2 -o motcua-slowlink motcua-slowlink.c $(pkg-config --cflags --libs gio-2.0)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <locale.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib-unix.h>

#define SEGMENT_BYTES 1460
#define READ_BYTES    32768
#define WRITE_BYTES   65536
#define QUEUE_LIMIT   (256 * 1024)
#define MIN_RTO_US    200000

typedef struct
{
  char    *listen;
  char    *to;
  gint     kbit;
  gint     rtt_ms;
  double   loss;
  gint64   seed;
  char    *stats_path;
  gboolean passthrough;
} Options;

/* What one connection carried; kept after it closes. */
typedef struct
{
  guint   id;
  double  opened;               /* seconds since the start */
  double  closed;               /* -1 while open */
  guint64 bytes[2];             /* delivered: [0] client → server, [1] server → client */
  guint64 segments_lost[2];
  char   *error;                /* why it ended badly, or NULL */
} ConnStats;

typedef struct
{
  gint64 due;                   /* monotonic µs when it reaches the other end */
  gsize  len;
  gsize  offset;                /* bytes of it already written */
  guint8 data[];
} Segment;

typedef struct _Conn Conn;

/* One direction of a connection. */
typedef struct
{
  Conn          *conn;
  guint          dir;           /* 0: client → server, 1: server → client */
  GInputStream  *in;
  GOutputStream *out;
  GSocket       *out_socket;
  GQueue         segments;      /* Segment, in order of delivery */
  gsize          queued;        /* bytes read and not yet delivered */
  gint64         link_free;     /* monotonic µs when the link can send the next segment */
  gint64         last_due;      /* delivery time of the last queued segment */
  gboolean       reading;
  gboolean       writing;
  gboolean       eof;           /* the source has closed its side */
  gboolean       shut;          /* and that was passed on */
  GSource       *timer;
  guint8         read_buf[READ_BYTES];
  guint8         write_buf[WRITE_BYTES];
  gsize          write_len;
} Pipe;

struct _Conn
{
  gint                ref_count;
  guint               index;    /* into the stats */
  gboolean            closed;
  gint64              accepted;
  GSocketConnection  *client;
  GSocketConnection  *server;
  GCancellable       *cancellable;
  Pipe                pipes[2];
};

typedef struct
{
  Options           opts;
  GMainLoop        *loop;
  GSocketService   *service;
  GSocketClient    *connector;
  GRand            *rand;
  GArray           *stats;      /* ConnStats */
  char             *bound;      /* "127.0.0.1:PORT" */
  gint64            started;
  guint64           snapshot;
  guint             n_open;
  gint64            rtt_us;
  gint64            rto_us;
  double            bytes_per_us; /* 0: unlimited */
} Link;

static Link link_;

static void pipe_pump (Pipe *pipe);
static void conn_close (Conn       *conn,
                        const char *error);

static double
seconds_since_start (gint64 when)
{
  return (when - link_.started) / 1e6;
}

static ConnStats *
conn_stats (Conn *conn)
{
  return &g_array_index (link_.stats, ConnStats, conn->index);
}

static Conn *
conn_ref (Conn *conn)
{
  conn->ref_count++;

  return conn;
}

static void
conn_unref (Conn *conn)
{
  if (--conn->ref_count > 0)
    return;

  g_assert (conn->closed);
  for (guint d = 0; d < 2; d++)
    g_queue_clear_full (&conn->pipes[d].segments, g_free);
  if (conn->server != NULL)
    g_io_stream_close (G_IO_STREAM (conn->server), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (conn->client), NULL, NULL);
  g_clear_object (&conn->server);
  g_clear_object (&conn->client);
  g_clear_object (&conn->cancellable);
  g_free (conn);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Conn, conn_unref)

static gboolean
on_timer (GSource     *source,
          GSourceFunc  callback,
          gpointer     user_data)
{
  g_source_set_ready_time (source, -1);

  return callback (user_data);
}

static GSourceFuncs timer_funcs = {
  .dispatch = on_timer,
};

static gboolean
on_pipe_timer (gpointer user_data)
{
  Pipe *pipe = user_data;
  Conn *conn = conn_ref (pipe->conn);

  /* Pumping may close the connection; it must outlive the call. */
  pipe_pump (pipe);
  conn_unref (conn);

  return G_SOURCE_CONTINUE;
}

/* The time a segment of @len bytes that is ready @now reaches the other end. */
static gint64
pipe_schedule (Pipe   *pipe,
               gsize   len,
               gint64  now,
               guint64 *lost)
{
  gint64 leaves = MAX (now, pipe->link_free);
  gint64 on_link = link_.bytes_per_us > 0 ? (gint64) (len / link_.bytes_per_us + 0.5) : 0;
  gint64 due;

  pipe->link_free = leaves + on_link;
  due = pipe->link_free + link_.rtt_us / 2;

  if (link_.opts.loss > 0 && g_rand_double (link_.rand) < link_.opts.loss)
    {
      /* Resent after the timeout, the sender stalled until then; the resend takes the link
       * again. */
      (*lost)++;
      due += link_.rto_us + on_link;
      pipe->link_free = MAX (pipe->link_free, leaves + link_.rto_us) + on_link;
    }

  /* In order: nothing overtakes a segment that is still on its way. */
  due = MAX (due, pipe->last_due);
  pipe->last_due = due;

  return due;
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Conn) conn = user_data;
  g_autoptr(GError) error = NULL;
  Pipe *pipe;
  gssize n;
  gint64 now;
  gsize segment_bytes;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  pipe = (Pipe *) g_object_get_data (source, "motcua-slowlink-pipe");
  pipe->reading = FALSE;
  if (conn->closed)
    return;
  if (n < 0)
    {
      conn_close (conn, error->message);
      return;
    }
  if (n == 0)
    {
      pipe->eof = TRUE;
      pipe_pump (pipe);
      return;
    }

  /* Segments matter only for the bandwidth and the loss; without either, a read is delivered
   * as it came. */
  now = g_get_monotonic_time ();
  segment_bytes = link_.bytes_per_us > 0 || link_.opts.loss > 0 ? SEGMENT_BYTES : (gsize) n;
  for (gsize offset = 0; offset < (gsize) n; offset += segment_bytes)
    {
      gsize len = MIN (segment_bytes, (gsize) n - offset);
      Segment *segment = g_malloc (sizeof (Segment) + len);

      segment->len = len;
      segment->offset = 0;
      memcpy (segment->data, pipe->read_buf + offset, len);
      segment->due = pipe_schedule (pipe, len, now, &conn_stats (conn)->segments_lost[pipe->dir]);
      g_queue_push_tail (&pipe->segments, segment);
      pipe->queued += len;
    }

  pipe_pump (pipe);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Conn) conn = user_data;
  g_autoptr(GError) error = NULL;
  Pipe *pipe;
  gsize written = 0;
  gsize left;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, &error);
  pipe = (Pipe *) g_object_get_data (source, "motcua-slowlink-pipe");
  pipe->writing = FALSE;
  if (conn->closed)
    return;
  if (error != NULL)
    {
      conn_close (conn, error->message);
      return;
    }

  conn_stats (conn)->bytes[pipe->dir] += written;
  pipe->queued -= written;
  for (left = written; left > 0;)
    {
      Segment *segment = g_queue_peek_head (&pipe->segments);
      gsize take = MIN (left, segment->len - segment->offset);

      segment->offset += take;
      left -= take;
      if (segment->offset == segment->len)
        g_free (g_queue_pop_head (&pipe->segments));
    }

  pipe_pump (pipe);
}

/* Moves what it can: reads while there is room, writes what is due, passes on an end of
 * stream once everything before it is delivered, and sets the timer for the next due segment. */
static void
pipe_pump (Pipe *pipe)
{
  Conn *conn = pipe->conn;
  Pipe *other = &conn->pipes[1 - pipe->dir];
  gint64 now = g_get_monotonic_time ();

  if (conn->closed)
    return;

  if (!pipe->reading && !pipe->eof && pipe->queued < QUEUE_LIMIT)
    {
      pipe->reading = TRUE;
      g_input_stream_read_async (pipe->in, pipe->read_buf, READ_BYTES, G_PRIORITY_DEFAULT,
                                 conn->cancellable, on_read, conn_ref (conn));
    }

  if (!pipe->writing)
    {
      Segment *head = g_queue_peek_head (&pipe->segments);

      if (head != NULL && head->due <= now)
        {
          pipe->write_len = 0;
          for (GList *l = pipe->segments.head; l != NULL; l = l->next)
            {
              Segment *segment = l->data;
              gsize len = segment->len - segment->offset;

              if (segment->due > now || pipe->write_len + len > WRITE_BYTES)
                break;
              memcpy (pipe->write_buf + pipe->write_len, segment->data + segment->offset, len);
              pipe->write_len += len;
            }
          if (pipe->write_len == 0)
            {
              /* A single segment larger than the buffer cannot happen: reads are smaller. */
              g_assert_not_reached ();
            }
          pipe->writing = TRUE;
          g_output_stream_write_all_async (pipe->out, pipe->write_buf, pipe->write_len,
                                           G_PRIORITY_DEFAULT, conn->cancellable, on_written,
                                           conn_ref (conn));
        }
      else if (head != NULL)
        g_source_set_ready_time (pipe->timer, head->due);
      else if (pipe->eof && !pipe->shut)
        {
          g_autoptr(GError) error = NULL;

          /* Half-close, as the sender did. */
          pipe->shut = TRUE;
          if (!g_socket_shutdown (pipe->out_socket, FALSE, TRUE, &error)
              && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
            {
              conn_close (conn, error->message);
              return;
            }
        }
    }

  if (pipe->shut && other->shut)
    conn_close (conn, NULL);
}

static void
conn_close (Conn       *conn,
            const char *error)
{
  ConnStats *stats = conn_stats (conn);

  if (conn->closed)
    return;

  conn->closed = TRUE;
  link_.n_open--;
  stats->closed = seconds_since_start (g_get_monotonic_time ());
  if (error != NULL)
    stats->error = g_strdup (error);
  g_cancellable_cancel (conn->cancellable);
  for (guint d = 0; d < 2; d++)
    if (conn->pipes[d].timer != NULL)
      {
        g_source_destroy (conn->pipes[d].timer);
        g_clear_pointer (&conn->pipes[d].timer, g_source_unref);
      }

  /* Drop the connection's own reference; pending operations hold theirs until they end. */
  conn_unref (conn);
}

static void
set_nodelay (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);

  /* The proxy decides when bytes leave; Nagle's algorithm must not hold them back. */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

static void
pipe_init (Conn              *conn,
           guint              dir,
           GSocketConnection *from,
           GSocketConnection *to)
{
  Pipe *pipe = &conn->pipes[dir];

  pipe->conn = conn;
  pipe->dir = dir;
  pipe->in = g_io_stream_get_input_stream (G_IO_STREAM (from));
  pipe->out = g_io_stream_get_output_stream (G_IO_STREAM (to));
  pipe->out_socket = g_socket_connection_get_socket (to);
  g_object_set_data (G_OBJECT (pipe->in), "motcua-slowlink-pipe", pipe);
  g_object_set_data (G_OBJECT (pipe->out), "motcua-slowlink-pipe", pipe);
  g_queue_init (&pipe->segments);
  pipe->timer = g_source_new (&timer_funcs, sizeof (GSource));
  g_source_set_callback (pipe->timer, on_pipe_timer, pipe, NULL);
  g_source_attach (pipe->timer, NULL);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Conn) conn = user_data;
  g_autoptr(GError) error = NULL;
  GSocketConnection *server;

  server = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (conn->closed)
    {
      g_clear_object (&server);
      return;
    }
  if (server == NULL)
    {
      g_printerr ("motcua-slowlink: connection %u: %s: %s\n", conn_stats (conn)->id,
                  link_.opts.to, error->message);
      conn_close (conn, error->message);
      return;
    }

  conn->server = server;
  set_nodelay (server);
  pipe_init (conn, 0, conn->client, conn->server);
  pipe_init (conn, 1, conn->server, conn->client);
  /* The handshake: nothing leaves before one round trip after the accept. */
  conn->pipes[0].link_free = conn->accepted + link_.rtt_us;
  pipe_pump (&conn->pipes[0]);
  pipe_pump (&conn->pipes[1]);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  Conn *conn = g_new0 (Conn, 1);
  ConnStats stats = { 0 };

  conn->ref_count = 1;
  conn->accepted = g_get_monotonic_time ();
  conn->client = g_object_ref (connection);
  conn->cancellable = g_cancellable_new ();
  set_nodelay (connection);

  stats.id = link_.stats->len + 1;
  stats.opened = seconds_since_start (conn->accepted);
  stats.closed = -1;
  conn->index = link_.stats->len;
  g_array_append_val (link_.stats, stats);
  link_.n_open++;

  g_socket_client_connect_to_host_async (link_.connector, link_.opts.to, 0, conn->cancellable,
                                         on_connected, conn_ref (conn));

  return TRUE;
}

/* JSON numbers whatever the locale (Vietnamese writes 0,01). */
static void
append_number (GString    *json,
               const char *format,
               double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (json, g_ascii_formatd (buf, sizeof buf, format, value));
}

static void
append_totals (GString *json)
{
  guint64 bytes[2] = { 0, 0 }, lost[2] = { 0, 0 };

  for (guint i = 0; i < link_.stats->len; i++)
    {
      const ConnStats *s = &g_array_index (link_.stats, ConnStats, i);

      for (guint d = 0; d < 2; d++)
        {
          bytes[d] += s->bytes[d];
          lost[d] += s->segments_lost[d];
        }
    }

  g_string_append_printf (json, "\"snapshot\":%" G_GUINT64_FORMAT ",\"elapsed_s\":",
                          link_.snapshot);
  append_number (json, "%.3f", seconds_since_start (g_get_monotonic_time ()));
  g_string_append_printf (json,
                          ",\"connections\":%u,\"open\":%u,"
                          "\"client_to_server_bytes\":%" G_GUINT64_FORMAT ","
                          "\"server_to_client_bytes\":%" G_GUINT64_FORMAT ","
                          "\"client_to_server_lost_segments\":%" G_GUINT64_FORMAT ","
                          "\"server_to_client_lost_segments\":%" G_GUINT64_FORMAT,
                          link_.stats->len, link_.n_open, bytes[0], bytes[1], lost[0], lost[1]);
}

static void
append_json_string (GString    *json,
                    const char *text)
{
  g_string_append_c (json, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (json, "\\%c", *p);
      else if ((guchar) *p < 0x20)
        g_string_append_printf (json, "\\u%04x", (guint) (guchar) *p);
      else
        g_string_append_c (json, *p);
    }
  g_string_append_c (json, '"');
}

/* Writes the stats file (if asked for) and prints the totals on stdout. */
static void
report (void)
{
  g_autoptr(GString) totals = g_string_new (NULL);

  link_.snapshot++;
  append_totals (totals);

  if (link_.opts.stats_path != NULL)
    {
      g_autoptr(GString) json = g_string_new ("{");
      g_autoptr(GError) error = NULL;

      g_string_append_len (json, totals->str, (gssize) totals->len);
      g_string_append (json, ",\"listen\":");
      append_json_string (json, link_.bound);
      g_string_append (json, ",\"to\":");
      append_json_string (json, link_.opts.to);
      g_string_append_printf (json, ",\"kbit\":%d,\"rtt_ms\":%d,\"loss\":", link_.opts.kbit,
                              link_.opts.rtt_ms);
      append_number (json, "%g", link_.opts.loss);
      g_string_append_printf (json, ",\"rto_ms\":%" G_GINT64_FORMAT ",\"seed\":%" G_GINT64_FORMAT
                              ",\"per_connection\":[", link_.rto_us / 1000, link_.opts.seed);
      for (guint i = 0; i < link_.stats->len; i++)
        {
          const ConnStats *s = &g_array_index (link_.stats, ConnStats, i);

          g_string_append_printf (json, "%s\n{\"id\":%u,\"opened_s\":", i > 0 ? "," : "",
                                  s->id);
          append_number (json, "%.3f", s->opened);
          g_string_append (json, ",\"closed_s\":");
          if (s->closed >= 0)
            append_number (json, "%.3f", s->closed);
          else
            g_string_append (json, "null");
          g_string_append_c (json, ',');
          g_string_append_printf (json,
                                  "\"client_to_server_bytes\":%" G_GUINT64_FORMAT ","
                                  "\"server_to_client_bytes\":%" G_GUINT64_FORMAT ","
                                  "\"client_to_server_lost_segments\":%" G_GUINT64_FORMAT ","
                                  "\"server_to_client_lost_segments\":%" G_GUINT64_FORMAT,
                                  s->bytes[0], s->bytes[1], s->segments_lost[0],
                                  s->segments_lost[1]);
          if (s->error != NULL)
            {
              g_string_append (json, ",\"error\":");
              append_json_string (json, s->error);
            }
          g_string_append_c (json, '}');
        }
      g_string_append (json, "]}\n");

      if (!g_file_set_contents (link_.opts.stats_path, json->str, (gssize) json->len, &error))
        g_printerr ("motcua-slowlink: %s\n", error->message);
    }

  g_print ("stats {%s}\n", totals->str);
  fflush (stdout);
}

static gboolean
on_report_signal (gpointer user_data)
{
  report ();

  return G_SOURCE_CONTINUE;
}

static gboolean
on_quit_signal (gpointer user_data)
{
  report ();
  g_main_loop_quit (link_.loop);

  return G_SOURCE_CONTINUE;
}

static void
conn_stats_clear (gpointer data)
{
  ConnStats *stats = data;

  g_free (stats->error);
}

static G_NORETURN void
usage_error (const char *message)
{
  g_printerr ("motcua-slowlink: %s\n", message);
  exit (2);
}

/* "127.0.0.1:8080", "[::1]:8080" → an address to bind. */
static GSocketAddress *
parse_listen (const char  *text,
              GError     **error)
{
  g_autoptr(GSocketConnectable) parsed = g_network_address_parse (text, 0, error);
  g_autoptr(GInetAddress) address = NULL;
  const char *host;

  if (parsed == NULL)
    return NULL;
  host = g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed));
  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--listen %s: give an IP address and a port, as 127.0.0.1:0", text);
      return NULL;
    }

  return g_inet_socket_address_new (address,
                                    g_network_address_get_port (G_NETWORK_ADDRESS (parsed)));
}

int
main (int   argc,
      char *argv[])
{
  Options *o = &link_.opts;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &o->listen,
      "Where to accept connections (port 0: any free port)", "ADDR:PORT" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &o->to, "Where to connect them", "HOST:PORT" },
    { "kbit", 0, 0, G_OPTION_ARG_INT, &o->kbit,
      "Bandwidth each way in kbit/s, 0 for unlimited (256)", "N" },
    { "rtt-ms", 0, 0, G_OPTION_ARG_INT, &o->rtt_ms, "Round-trip time in ms (300)", "MS" },
    { "loss", 0, 0, G_OPTION_ARG_DOUBLE, &o->loss,
      "Probability that a 1,460-byte segment is lost and resent (0.01)", "P" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o->seed, "Seed of the losses (1)", "N" },
    { "stats", 0, 0, G_OPTION_ARG_FILENAME, &o->stats_path,
      "Write the byte counts here as JSON on SIGUSR1, SIGTERM and SIGINT", "FILE" },
    { "passthrough", 0, 0, G_OPTION_ARG_NONE, &o->passthrough,
      "Only count: the same as --kbit 0 --rtt-ms 0 --loss 0", NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("— a TCP proxy that behaves like a weak 2G/3G link");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autofree char *host = NULL;

  setlocale (LC_ALL, "");
  o->kbit = 256;
  o->rtt_ms = 300;
  o->loss = 0.01;
  o->seed = 1;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Prints \"listening on ADDR:PORT\" once bound. SIGUSR1 writes --stats and prints a\n"
    "\"stats {…}\" line with the totals; SIGTERM or SIGINT does the same and exits.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    usage_error (error->message);
  if (argc > 1)
    usage_error ("unexpected arguments; see --help");
  if (o->listen == NULL || o->to == NULL)
    usage_error ("--listen ADDR:PORT and --to HOST:PORT are required");
  if (o->passthrough)
    {
      o->kbit = 0;
      o->rtt_ms = 0;
      o->loss = 0;
    }
  if (o->kbit < 0)
    usage_error ("--kbit must be 0 (unlimited) or more");
  if (o->rtt_ms < 0 || o->rtt_ms > 60000)
    usage_error ("--rtt-ms must be between 0 and 60000");
  if (!(o->loss >= 0 && o->loss < 1))
    usage_error ("--loss must be at least 0 and less than 1");

  address = parse_listen (o->listen, &error);
  if (address == NULL)
    usage_error (error->message);
  {
    g_autoptr(GSocketConnectable) to = g_network_address_parse (o->to, 0, &error);

    if (to == NULL || g_network_address_get_port (G_NETWORK_ADDRESS (to)) == 0)
      usage_error (error != NULL ? error->message : "--to needs a port, as 127.0.0.1:8080");
  }

  link_.started = g_get_monotonic_time ();
  link_.rand = g_rand_new_with_seed ((guint32) (o->seed ^ (o->seed >> 32)));
  link_.stats = g_array_new (FALSE, TRUE, sizeof (ConnStats));
  g_array_set_clear_func (link_.stats, conn_stats_clear);
  link_.rtt_us = (gint64) o->rtt_ms * 1000;
  link_.rto_us = MAX (MIN_RTO_US, link_.rtt_us);
  link_.bytes_per_us = o->kbit * 1000.0 / 8 / 1e6;
  link_.loop = g_main_loop_new (NULL, FALSE);
  link_.connector = g_socket_client_new ();
  link_.service = g_socket_service_new ();
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (link_.service), 512);

  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (link_.service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective, &error))
    {
      g_printerr ("motcua-slowlink: cannot listen on %s: %s\n", o->listen, error->message);
      return 1;
    }
  host = g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (effective)));
  link_.bound = g_strdup_printf (
    g_socket_address_get_family (effective) == G_SOCKET_FAMILY_IPV6 ? "[%s]:%u" : "%s:%u", host,
    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));

  g_signal_connect (link_.service, "incoming", G_CALLBACK (on_incoming), NULL);
  g_unix_signal_add (SIGUSR1, on_report_signal, NULL);
  g_unix_signal_add (SIGTERM, on_quit_signal, NULL);
  g_unix_signal_add (SIGINT, on_quit_signal, NULL);
  g_socket_service_start (link_.service);

  g_print ("listening on %s\n", link_.bound);
  if (o->kbit > 0)
    g_printerr ("motcua-slowlink: %s → %s, %d kbit/s each way, rtt %d ms, loss %g (rto %.0f ms)\n",
                link_.bound, o->to, o->kbit, o->rtt_ms, o->loss, link_.rto_us / 1e3);
  else
    g_printerr ("motcua-slowlink: %s → %s, unlimited bandwidth, rtt %d ms, loss %g (rto %.0f ms)\n",
                link_.bound, o->to, o->rtt_ms, o->loss, link_.rto_us / 1e3);
  fflush (stdout);

  g_main_loop_run (link_.loop);

  g_socket_service_stop (link_.service);
  g_socket_listener_close (G_SOCKET_LISTENER (link_.service));
  g_clear_object (&link_.service);
  g_clear_object (&link_.connector);
  g_clear_pointer (&link_.loop, g_main_loop_unref);
  g_clear_pointer (&link_.stats, g_array_unref);
  g_clear_pointer (&link_.rand, g_rand_free);
  g_free (link_.bound);
  g_free (o->listen);
  g_free (o->to);
  g_free (o->stats_path);

  return 0;
}
