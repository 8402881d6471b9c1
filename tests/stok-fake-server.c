/* stok-fake-server.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A token server on 127.0.0.1 that follows spec/streaming-token.openapi.yaml
 * and spec/PROTOCOL.md, so that the client, the command line and the window
 * are tested over real HTTP rather than against a mocked libsoup. It can be
 * told to misbehave the way real servers and the proxies in front of them
 * do: any status and body, a slow answer, extra headers, chunked bodies.
 * It also redeems the tokens it minted on the streaming WebSocket,
 * `/v3/ws`, once each and within their redemption window, and runs the
 * session that follows as stok-fake-session.c says; tests reach what a
 * session received and sent from here, and set its faults here.
 *
 * Everything runs on the thread-default main context it was created in, so
 * a test that runs the client in the same loop needs no threads.
 *
 * The object spans five files, which stok-fake-server-private.h lists;
 * this one listens and takes the requests. */

#define G_LOG_DOMAIN "stok-fake-server"

#include "config.h"

#include "stok-fake-server-private.h"

typedef struct
{
  StokFakeServer *self;        /* unowned: dispose drops every pending answer */
  SoupServerMessage *message;
  gulong finished_id;
  guint source_id;
} Pending;

G_DEFINE_FINAL_TYPE (StokFakeServer, stok_fake_server, G_TYPE_OBJECT)

static void
pending_free (Pending *pending)
{
  g_clear_handle_id (&pending->source_id, g_source_remove);
  g_clear_signal_handler (&pending->finished_id, pending->message);
  g_clear_object (&pending->message);
  g_free (pending);
}

static void
stok_fake_server_dispose (GObject *object)
{
  StokFakeServer *self = (StokFakeServer *)object;

  /* Closing the connections first means no client is left waiting on a
   * delayed answer that will now never come. */
  if (self->server != NULL)
    soup_server_disconnect (self->server);

  g_list_free_full (g_steal_pointer (&self->pending), (GDestroyNotify) pending_free);
  while (self->sessions != NULL)
    stok_fake_session_abandon (self->sessions->data);
  g_clear_object (&self->last_session);
  g_clear_object (&self->server);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (stok_fake_server_parent_class)->dispose (object);
}

static void
stok_fake_server_finalize (GObject *object)
{
  StokFakeServer *self = (StokFakeServer *)object;

  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->api_key, g_free);
  g_clear_pointer (&self->reply, _stok_fake_server_reply_free);
  g_queue_clear_full (&self->queued_replies, _stok_fake_server_reply_free);
  g_clear_pointer (&self->extra_headers, g_hash_table_unref);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->last_token, g_free);
  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  g_clear_pointer (&self->last_path, g_free);
  g_clear_pointer (&self->last_query, g_free);
  g_clear_pointer (&self->last_session_id, g_free);
  g_clear_pointer (&self->last_websocket_query, g_free);
  g_clear_pointer (&self->websocket_close_reason, g_free);
  g_clear_pointer (&self->fault_reason, g_free);

  G_OBJECT_CLASS (stok_fake_server_parent_class)->finalize (object);
}

static void
stok_fake_server_class_init (StokFakeServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stok_fake_server_dispose;
  object_class->finalize = stok_fake_server_finalize;

  /* Its signals are about sessions: they are defined with them. */
  _stok_fake_server_class_websocket_init (klass);
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

static void
record_request (StokFakeServer    *self,
                SoupServerMessage *message)
{
  GUri *uri = soup_server_message_get_uri (message);

  self->request_count++;

  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  self->last_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_foreach (soup_server_message_get_request_headers (message),
                                copy_header, self->last_headers);

  g_free (self->last_path);
  self->last_path = g_strdup (g_uri_get_path (uri));
  g_free (self->last_query);
  self->last_query = g_strdup (g_uri_get_query (uri));
}

static gboolean
pending_timeout_cb (gpointer user_data)
{
  Pending *pending = user_data;
  StokFakeServer *self = pending->self;

  pending->source_id = 0;
  self->pending = g_list_remove (self->pending, pending);

  _stok_fake_server_answer (self, pending->message);
  g_clear_signal_handler (&pending->finished_id, pending->message);
  soup_server_message_unpause (pending->message);
  pending_free (pending);

  return G_SOURCE_REMOVE;
}

static void
pending_finished_cb (SoupServerMessage *message,
                     Pending           *pending)
{
  /* The client went away while the answer was held back. */
  pending->self->pending = g_list_remove (pending->self->pending, pending);
  pending_free (pending);
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  StokFakeServer *self = user_data;
  Pending *pending;

  record_request (self, message);

  if (self->delay_ms == 0)
    {
      _stok_fake_server_answer (self, message);
      return;
    }

  /* A slow server, without blocking the main loop that the client under
   * test may share with it. */
  pending = g_new0 (Pending, 1);
  pending->self = self;
  pending->message = g_object_ref (message);
  pending->finished_id = g_signal_connect (message, "finished",
                                           G_CALLBACK (pending_finished_cb), pending);
  pending->source_id = g_timeout_add (self->delay_ms, pending_timeout_cb, pending);
  self->pending = g_list_prepend (self->pending, pending);

  soup_server_message_pause (message);
}

static void
stok_fake_server_init (StokFakeServer *self)
{
  self->server = soup_server_new ("server-header", "streaming-token-fake-server ", NULL);
  self->clock = g_object_ref (stok_clock_get_default ());
  self->extra_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->queued_replies);

  soup_server_add_handler (self->server, NULL, handle_request, self, NULL);
  _stok_fake_server_websocket_init (self);
}

/**
 * stok_fake_server_new:
 *
 * Returns: (transfer full): a server that does not listen yet; see
 *   stok_fake_server_listen()
 */
StokFakeServer *
stok_fake_server_new (void)
{
  return g_object_new (STOK_TYPE_FAKE_SERVER, NULL);
}

/**
 * stok_fake_server_listen:
 * @self: a #StokFakeServer
 * @port: the TCP port, or 0 for any free one
 * @error: return location for a #GError
 *
 * Listens on 127.0.0.1 only: nothing outside this computer can reach it.
 *
 * Returns: %TRUE if the server listens
 */
gboolean
stok_fake_server_listen (StokFakeServer  *self,
                         guint            port,
                         GError         **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), FALSE);
  g_return_val_if_fail (self->url == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, (guint16) port);
  if (!soup_server_listen (self->server, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->port = (guint) g_uri_get_port (uris->data);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return TRUE;
}

/**
 * stok_fake_server_new_listening:
 *
 * For a test: a server listening on a free port of 127.0.0.1. The test
 * fails if it cannot listen.
 *
 * Returns: (transfer full): the listening server
 */
StokFakeServer *
stok_fake_server_new_listening (void)
{
  g_autoptr(StokFakeServer) self = stok_fake_server_new ();
  g_autoptr(GError) error = NULL;

  stok_fake_server_listen (self, 0, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&self);
}

/**
 * stok_fake_server_get_url:
 * @self: a listening #StokFakeServer
 *
 * Returns: (transfer none): the base URL, such as `http://127.0.0.1:41234`,
 *   without a trailing slash, as the client's server setting takes it
 */
const char *
stok_fake_server_get_url (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);

  return self->url;
}

guint
stok_fake_server_get_port (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  return self->port;
}

/**
 * stok_fake_server_get_soup_server:
 * @self: a #StokFakeServer
 *
 * For tests that add endpoints of their own, such as a redirect target.
 * The token handler serves every path that has no handler of its own.
 *
 * Returns: (transfer none): the underlying #SoupServer
 */
SoupServer *
stok_fake_server_get_soup_server (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);

  return self->server;
}

/**
 * stok_fake_server_get_clock:
 * @self: a #StokFakeServer
 *
 * Returns: (transfer none): the clock that stamps minted tokens
 */
StokClock *
stok_fake_server_get_clock (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);

  return self->clock;
}

/**
 * stok_fake_server_set_clock:
 * @self: a #StokFakeServer
 * @clock: (nullable): the server's own clock, or %NULL for the default
 *
 * A manual clock lets a test expire tokens without waiting.
 */
void
stok_fake_server_set_clock (StokFakeServer *self,
                            StokClock      *clock)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));
  g_return_if_fail (!clock || STOK_IS_CLOCK (clock));

  g_set_object (&self->clock, (clock != NULL ? clock : stok_clock_get_default ()));
}

/**
 * stok_fake_server_set_api_key:
 * @self: a #StokFakeServer
 * @api_key: (nullable): the one key to accept, or %NULL for any non-empty key
 */
void
stok_fake_server_set_api_key (StokFakeServer *self,
                              const char     *api_key)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));

  g_free (self->api_key);
  self->api_key = g_strdup (api_key);
}

/**
 * stok_fake_server_get_request_count:
 * @self: a #StokFakeServer
 *
 * WebSocket sessions are counted apart, by
 * stok_fake_server_get_websocket_count().
 *
 * Returns: how many HTTP requests arrived, on any path, answered or not yet
 */
guint
stok_fake_server_get_request_count (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  return self->request_count;
}

/**
 * stok_fake_server_get_last_request_headers:
 * @self: a #StokFakeServer
 *
 * Returns: (transfer none) (nullable): a copy of the last request's
 *   headers, or %NULL before the first request
 */
SoupMessageHeaders *
stok_fake_server_get_last_request_headers (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);

  return self->last_headers;
}

/**
 * stok_fake_server_get_last_request_header:
 * @self: a #StokFakeServer
 * @name: a header name, in any case
 *
 * Returns: (transfer none) (nullable): the header of the last request,
 *   such as `Authorization` or `User-Agent`, or %NULL if it had none
 */
const char *
stok_fake_server_get_last_request_header (StokFakeServer *self,
                                          const char     *name)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (self->last_headers == NULL)
    return NULL;

  return soup_message_headers_get_one (self->last_headers, name);
}

const char *
stok_fake_server_get_last_request_path (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);

  return self->last_path;
}

/**
 * stok_fake_server_get_last_request_query:
 * @self: a #StokFakeServer
 *
 * Returns: (transfer none) (nullable): the last request's query as it was
 *   sent, still encoded, or %NULL if it had none
 */
const char *
stok_fake_server_get_last_request_query (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);

  return self->last_query;
}
