/* stok-raw-server.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* An HTTP server on 127.0.0.1 that speaks only as much HTTP as it takes to
 * misbehave: it reads a request's headers and then answers with scripted
 * bytes, a byte at a time, not at all, or with a connection reset halfway
 * through the body. A SoupServer always answers properly, which is what
 * makes it the wrong tool for these cases.
 *
 * Like the fake token server, it runs on the thread-default main context
 * it was created in, so a test can run the client in the same loop. */

#define G_LOG_DOMAIN "stok-raw-server"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "stok-raw-server.h"

#define HEAD_END "\r\n\r\n"
/* How long a connection stays open after half a body before the reset:
 * long enough for the client to have read the head, so that the reset
 * falls in the body as the case says. */
#define RESET_DELAY_MS 100

typedef struct
{
  gatomicrefcount ref_count;
  StokRawServer *self;            /* unowned; dispose closes every connection */
  GSocketConnection *connection;
  GCancellable *cancellable;
  GString *request;
  GBytes *reply;
  gsize head_length;
  gsize offset;
  guint source_id;
  StokRawMode mode;
  gboolean answered;
  gboolean closed;
  char buffer[4096];
} Conn;

struct _StokRawServer
{
  GObject parent_instance;

  GSocketService *service;
  GList *connections;
  GBytes *reply;
  char *url;
  char *last_request;
  StokRawMode mode;
  guint port;
  guint trickle_interval_ms;
  guint n_connections;
  guint n_requests;
  gsize n_bytes_sent;
};

G_DEFINE_FINAL_TYPE (StokRawServer, stok_raw_server, G_TYPE_OBJECT)

static Conn *
conn_ref (Conn *conn)
{
  g_atomic_ref_count_inc (&conn->ref_count);
  return conn;
}

static void
conn_unref (Conn *conn)
{
  if (!g_atomic_ref_count_dec (&conn->ref_count))
    return;

  g_clear_object (&conn->connection);
  g_clear_object (&conn->cancellable);
  g_clear_pointer (&conn->reply, g_bytes_unref);
  g_string_free (conn->request, TRUE);
  g_free (conn);
}

/* Drops the connection; with @reset, the peer gets a TCP reset instead of
 * an orderly end of stream. Callbacks still in flight find it closed. */
static void
conn_close (Conn     *conn,
            gboolean  reset)
{
  GSocket *socket;

  if (conn->closed)
    return;

  conn->closed = TRUE;
  g_clear_handle_id (&conn->source_id, g_source_remove);
  g_cancellable_cancel (conn->cancellable);

  socket = g_socket_connection_get_socket (conn->connection);
  if (reset)
    {
      struct linger linger = { .l_onoff = 1, .l_linger = 0 };

      /* SO_LINGER with a zero timeout makes close() send RST. */
      if (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger) != 0)
        g_warning ("Could not arm the reset: %s", g_strerror (errno));
    }
  g_socket_close (socket, NULL);

  if (conn->self != NULL)
    conn->self->connections = g_list_remove (conn->self->connections, conn);
  conn->self = NULL;
  conn_unref (conn);
}

static void write_next (Conn *conn);

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Conn *conn = user_data;
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, &written, &error);

  if (!conn->closed)
    {
      conn->self->n_bytes_sent += written;
      conn->offset += written;

      if (error != NULL)
        conn_close (conn, FALSE);
      else
        write_next (conn);
    }

  conn_unref (conn);
}

static void
write_range (Conn  *conn,
             gsize  length)
{
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (conn->connection));
  const char *data = g_bytes_get_data (conn->reply, NULL);

  g_output_stream_write_all_async (output, data + conn->offset, length, G_PRIORITY_DEFAULT,
                                   conn->cancellable, write_cb, conn_ref (conn));
}

static gboolean
trickle_cb (gpointer user_data)
{
  Conn *conn = user_data;

  conn->source_id = 0;
  write_range (conn, 1);

  return G_SOURCE_REMOVE;
}

static gboolean
reset_cb (gpointer user_data)
{
  Conn *conn = user_data;

  conn->source_id = 0;
  conn_close (conn, TRUE);

  return G_SOURCE_REMOVE;
}

/* Sends what comes next for the connection's mode, from where the last
 * write ended. */
static void
write_next (Conn *conn)
{
  gsize total = g_bytes_get_size (conn->reply);
  gsize half_body = conn->head_length + (total - conn->head_length) / 2;

  switch (conn->mode)
    {
    case STOK_RAW_SCRIPT:
      if (conn->offset < total)
        write_range (conn, total - conn->offset);
      else
        conn_close (conn, FALSE);
      break;

    case STOK_RAW_TRICKLE:
      if (conn->offset < conn->head_length)
        write_range (conn, conn->head_length - conn->offset);
      else if (conn->offset < total)
        conn->source_id = g_timeout_add (conn->self->trickle_interval_ms, trickle_cb, conn);
      else
        conn_close (conn, FALSE);
      break;

    case STOK_RAW_RESET_MID_BODY:
      if (conn->offset < half_body)
        write_range (conn, half_body - conn->offset);
      else
        conn->source_id = g_timeout_add (RESET_DELAY_MS, reset_cb, conn);
      break;

    case STOK_RAW_WEBSOCKET_DEAF:
      if (conn->offset < total)
        write_range (conn, total - conn->offset);
      break;

    case STOK_RAW_SILENT:
    default:
      break;
    }
}

/* The 101 that takes the upgrade in @request, as RFC 6455 has it, then
 * @frames; NULL if @request has no key. */
static GBytes *
websocket_reply_new (const char *request,
                     GBytes     *frames)
{
  static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *accept = NULL;
  g_auto(GStrv) lines = g_strsplit (request, "\r\n", -1);
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  g_autofree char *head = NULL;
  const char *key = NULL;
  guint8 digest[20];
  gsize digest_length = sizeof digest;

  for (guint i = 0; lines[i] != NULL && key == NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "Sec-WebSocket-Key:", strlen ("Sec-WebSocket-Key:")) == 0)
      key = g_strstrip (lines[i] + strlen ("Sec-WebSocket-Key:"));
  if (key == NULL)
    return NULL;

  g_checksum_update (sha1, (const guchar *) key, -1);
  g_checksum_update (sha1, (const guchar *) guid, -1);
  g_checksum_get_digest (sha1, digest, &digest_length);
  accept = g_base64_encode (digest, digest_length);
  head = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
                          "Upgrade: websocket\r\n"
                          "Connection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: %s\r\n\r\n", accept);
  g_byte_array_append (reply, (const guint8 *) head, strlen (head));
  g_byte_array_append (reply, g_bytes_get_data (frames, NULL), g_bytes_get_size (frames));

  return g_byte_array_free_to_bytes (g_steal_pointer (&reply));
}

static void
answer (Conn *conn)
{
  StokRawServer *self = conn->self;
  const char *data;
  const char *head_end;
  gsize length;

  conn->answered = TRUE;
  self->n_requests++;
  g_free (self->last_request);
  self->last_request = g_strndup (conn->request->str, conn->request->len);

  conn->mode = self->mode;
  if (conn->mode == STOK_RAW_WEBSOCKET_DEAF)
    conn->reply = websocket_reply_new (conn->request->str, self->reply);
  if (conn->reply == NULL)
    conn->reply = g_bytes_ref (self->reply);
  data = g_bytes_get_data (conn->reply, &length);
  head_end = length > 0 ? g_strstr_len (data, length, HEAD_END) : NULL;
  conn->head_length = head_end != NULL ? (gsize) (head_end - data) + strlen (HEAD_END) : length;

  write_next (conn);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Conn *conn = user_data;
  g_autoptr(GError) error = NULL;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (!conn->closed)
    {
      if (n_read <= 0)
        {
          /* The client went away or gave up. */
          conn_close (conn, FALSE);
        }
      else
        {
          g_string_append_len (conn->request, conn->buffer, n_read);
          if (!conn->answered && strstr (conn->request->str, HEAD_END) != NULL)
            answer (conn);

          /* Keep reading even when silent, to notice the client leave. */
          if (!conn->closed)
            g_input_stream_read_async (G_INPUT_STREAM (object), conn->buffer, sizeof conn->buffer,
                                       G_PRIORITY_DEFAULT, conn->cancellable, read_cb, conn_ref (conn));
        }
    }

  conn_unref (conn);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             StokRawServer     *self)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  Conn *conn;

  conn = g_new0 (Conn, 1);
  g_atomic_ref_count_init (&conn->ref_count);
  conn->self = self;
  conn->connection = g_object_ref (connection);
  conn->cancellable = g_cancellable_new ();
  conn->request = g_string_new (NULL);
  self->connections = g_list_prepend (self->connections, conn);
  self->n_connections++;

  g_input_stream_read_async (input, conn->buffer, sizeof conn->buffer, G_PRIORITY_DEFAULT,
                             conn->cancellable, read_cb, conn_ref (conn));

  return TRUE;
}

static void
stok_raw_server_dispose (GObject *object)
{
  StokRawServer *self = (StokRawServer *)object;

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_signal_handlers_disconnect_by_data (self->service, self);
    }

  while (self->connections != NULL)
    conn_close (self->connections->data, FALSE);

  g_clear_object (&self->service);

  G_OBJECT_CLASS (stok_raw_server_parent_class)->dispose (object);
}

static void
stok_raw_server_finalize (GObject *object)
{
  StokRawServer *self = (StokRawServer *)object;

  g_clear_pointer (&self->reply, g_bytes_unref);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->last_request, g_free);

  G_OBJECT_CLASS (stok_raw_server_parent_class)->finalize (object);
}

static void
stok_raw_server_class_init (StokRawServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stok_raw_server_dispose;
  object_class->finalize = stok_raw_server_finalize;
}

static void
stok_raw_server_init (StokRawServer *self)
{
  self->service = g_socket_service_new ();
  self->mode = STOK_RAW_SILENT;
  self->reply = g_bytes_new (NULL, 0);
  self->trickle_interval_ms = 50;

  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);
}

/**
 * stok_raw_server_new:
 *
 * Returns: (transfer full): a server that answers nothing until told
 *   otherwise with stok_raw_server_set_reply(); see stok_raw_server_listen()
 */
StokRawServer *
stok_raw_server_new (void)
{
  return g_object_new (STOK_TYPE_RAW_SERVER, NULL);
}

/**
 * stok_raw_server_listen:
 * @self: a #StokRawServer
 * @error: return location for a #GError
 *
 * Listens on a free port of 127.0.0.1 only.
 *
 * Returns: %TRUE if the server listens
 */
gboolean
stok_raw_server_listen (StokRawServer  *self,
                        GError        **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;

  g_return_val_if_fail (STOK_IS_RAW_SERVER (self), FALSE);
  g_return_val_if_fail (self->url == NULL, FALSE);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &effective, error))
    return FALSE;

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  g_socket_service_start (self->service);

  return TRUE;
}

/**
 * stok_raw_server_get_url:
 * @self: a listening #StokRawServer
 *
 * Returns: (transfer none): the base URL, such as `http://127.0.0.1:41234`
 */
const char *
stok_raw_server_get_url (StokRawServer *self)
{
  g_return_val_if_fail (STOK_IS_RAW_SERVER (self), NULL);

  return self->url;
}

guint
stok_raw_server_get_port (StokRawServer *self)
{
  g_return_val_if_fail (STOK_IS_RAW_SERVER (self), 0);

  return self->port;
}

/**
 * stok_raw_server_set_reply:
 * @self: a #StokRawServer
 * @mode: how to send @reply
 * @reply: (nullable): the bytes of a whole HTTP reply, head and body, or
 *   %NULL with %STOK_RAW_SILENT; with %STOK_RAW_WEBSOCKET_DEAF, the frames
 *   that follow the 101
 * @length: the length of @reply, or -1 if it is nul-terminated
 *
 * Sets what every connection from now on gets once its request's headers
 * are in. Connections already answered carry on as they were.
 */
void
stok_raw_server_set_reply (StokRawServer *self,
                           StokRawMode    mode,
                           const char    *reply,
                           gssize         length)
{
  g_return_if_fail (STOK_IS_RAW_SERVER (self));

  if (reply == NULL)
    length = 0;
  else if (length < 0)
    length = strlen (reply);

  self->mode = mode;
  g_clear_pointer (&self->reply, g_bytes_unref);
  self->reply = g_bytes_new (reply, length);
}

/**
 * stok_raw_server_set_trickle_interval:
 * @self: a #StokRawServer
 * @interval_ms: the pause before each byte of a trickled body
 */
void
stok_raw_server_set_trickle_interval (StokRawServer *self,
                                      guint          interval_ms)
{
  g_return_if_fail (STOK_IS_RAW_SERVER (self));

  self->trickle_interval_ms = interval_ms;
}

guint
stok_raw_server_get_n_connections (StokRawServer *self)
{
  g_return_val_if_fail (STOK_IS_RAW_SERVER (self), 0);

  return self->n_connections;
}

/**
 * stok_raw_server_get_n_open:
 * @self: a #StokRawServer
 *
 * A silent server keeps reading, so it notices at once when a client
 * gives up and closes.
 *
 * Returns: how many connections are open now
 */
guint
stok_raw_server_get_n_open (StokRawServer *self)
{
  g_return_val_if_fail (STOK_IS_RAW_SERVER (self), 0);

  return g_list_length (self->connections);
}

/**
 * stok_raw_server_get_n_requests:
 * @self: a #StokRawServer
 *
 * Returns: how many requests' headers arrived in full
 */
guint
stok_raw_server_get_n_requests (StokRawServer *self)
{
  g_return_val_if_fail (STOK_IS_RAW_SERVER (self), 0);

  return self->n_requests;
}

/**
 * stok_raw_server_get_n_bytes_sent:
 * @self: a #StokRawServer
 *
 * Returns: how many bytes of replies went out, on all connections
 */
gsize
stok_raw_server_get_n_bytes_sent (StokRawServer *self)
{
  g_return_val_if_fail (STOK_IS_RAW_SERVER (self), 0);

  return self->n_bytes_sent;
}

/**
 * stok_raw_server_get_last_request:
 * @self: a #StokRawServer
 *
 * Returns: (transfer none) (nullable): the last request as it arrived,
 *   request line and headers
 */
const char *
stok_raw_server_get_last_request (StokRawServer *self)
{
  g_return_val_if_fail (STOK_IS_RAW_SERVER (self), NULL);

  return self->last_request;
}

/**
 * stok_raw_reply_new:
 * @status: the HTTP status
 * @content_type: (nullable): the Content-Type, or %NULL for none
 * @body: the body
 *
 * Returns: (transfer full): a whole HTTP/1.1 reply with a Content-Length,
 *   for stok_raw_server_set_reply()
 */
char *
stok_raw_reply_new (guint       status,
                    const char *content_type,
                    const char *body)
{
  g_autofree char *type_header = NULL;
  const char *reason;

  switch (status)
    {
    case 200:
      reason = "OK";
      break;

    case 429:
      reason = "Too Many Requests";
      break;

    case 502:
      reason = "Bad Gateway";
      break;

    default:
      reason = "Status";
      break;
    }

  if (content_type != NULL)
    type_header = g_strdup_printf ("Content-Type: %s\r\n", content_type);

  return g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "%s"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n"
                          "\r\n"
                          "%s",
                          status, reason,
                          type_header != NULL ? type_header : "",
                          strlen (body), body);
}

/* A server's text frame, unmasked. */
static void
append_text_frame (GByteArray *frames,
                   const char *text)
{
  gsize length = strlen (text);

  g_assert_cmpuint (length, <, 65536);
  if (length < 126)
    g_byte_array_append (frames, (guint8[]) { 0x81, (guint8) length }, 2);
  else
    g_byte_array_append (frames, (guint8[]) { 0x81, 126, (guint8) (length >> 8), (guint8) length }, 4);
  g_byte_array_append (frames, (const guint8 *) text, length);
}

/**
 * stok_raw_server_set_websocket_messages:
 * @self: a #StokRawServer
 * @messages: (array zero-terminated=1): text messages, each shorter than
 *   64 KiB
 *
 * Takes the WebSocket upgrade of each connection, sends @messages as
 * text frames, then reads and ignores everything
 * (%STOK_RAW_WEBSOCKET_DEAF).
 */
void
stok_raw_server_set_websocket_messages (StokRawServer      *self,
                                        const char * const *messages)
{
  g_autoptr(GByteArray) frames = g_byte_array_new ();

  g_return_if_fail (STOK_IS_RAW_SERVER (self));
  g_return_if_fail (messages != NULL);

  for (guint i = 0; messages[i] != NULL; i++)
    append_text_frame (frames, messages[i]);
  stok_raw_server_set_reply (self, STOK_RAW_WEBSOCKET_DEAF, (const char *) frames->data, frames->len);
}
