/* stok-token-client.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stok-token-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "stok-deadline.h"
#include "stok-error.h"
#include "stok-params.h"
#include "stok-token-client.h"

#define READ_CHUNK 8192

/* libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

struct _StokTokenClient
{
  GObject parent_instance;

  /* Both made on first use; see session_for(). */
  SoupSession *session;
  SoupSession *direct_session;
  char *user_agent;
  StokClock *clock;
  guint timeout_seconds;
};

G_DEFINE_FINAL_TYPE (StokTokenClient, stok_token_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLOCK,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  StokExchange *exchange;
  SoupMessage *message;
  GInputStream *stream;
  GByteArray *body;
  StokDeadline *deadline;
  GCancellable *cancellable;
  GDateTime *sent_at_wall;
  char *server;
  gint64 sent_at_us;
  gint64 started_us;
  gint64 max_session_seconds;
} Mint;

static void
mint_free (gpointer data)
{
  Mint *mint = data;

  g_clear_pointer (&mint->deadline, stok_deadline_free);
  g_clear_object (&mint->exchange);
  g_clear_object (&mint->message);
  g_clear_object (&mint->stream);
  g_clear_pointer (&mint->body, g_byte_array_unref);
  g_clear_pointer (&mint->sent_at_wall, g_date_time_unref);
  g_clear_pointer (&mint->server, g_free);
  g_free (mint);
}

static void
stok_token_client_dispose (GObject *object)
{
  StokTokenClient *self = (StokTokenClient *)object;

  g_clear_object (&self->session);
  g_clear_object (&self->direct_session);
  g_clear_pointer (&self->user_agent, g_free);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (stok_token_client_parent_class)->dispose (object);
}

static void
stok_token_client_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StokTokenClient *self = STOK_TOKEN_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_seconds);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_token_client_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StokTokenClient *self = STOK_TOKEN_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      stok_token_client_set_clock (self, g_value_get_object (value));
      break;

    case PROP_TIMEOUT:
      stok_token_client_set_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_token_client_class_init (StokTokenClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stok_token_client_dispose;
  object_class->get_property = stok_token_client_get_property;
  object_class->set_property = stok_token_client_set_property;

  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL,
                         STOK_TYPE_CLOCK,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokTokenClient:timeout:
   *
   * Seconds a whole exchange may take, from connecting to the last byte
   * of the reply. A server that trickles its reply cannot hold on longer.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, 600, STOK_TOKEN_CLIENT_DEFAULT_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stok_token_client_init (StokTokenClient *self)
{
  self->timeout_seconds = STOK_TOKEN_CLIENT_DEFAULT_TIMEOUT;
  self->clock = g_object_ref (stok_clock_get_default ());
  self->user_agent = g_strdup_printf ("streaming-token/%s (+%s)", PACKAGE_VERSION, PACKAGE_WEBSITE);
}

StokTokenClient *
stok_token_client_new (void)
{
  return g_object_new (STOK_TYPE_TOKEN_CLIENT, NULL);
}

/**
 * stok_token_client_get_clock:
 * @self: a #StokTokenClient
 *
 * Returns: (transfer none): the clock that stamps when requests are sent
 */
StokClock *
stok_token_client_get_clock (StokTokenClient *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN_CLIENT (self), NULL);

  return self->clock;
}

void
stok_token_client_set_clock (StokTokenClient *self,
                             StokClock       *clock)
{
  g_return_if_fail (STOK_IS_TOKEN_CLIENT (self));
  g_return_if_fail (!clock || STOK_IS_CLOCK (clock));

  if (clock == NULL)
    clock = stok_clock_get_default ();

  if (g_set_object (&self->clock, clock))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK]);
}

guint
stok_token_client_get_timeout (StokTokenClient *self)
{
  g_return_val_if_fail (STOK_IS_TOKEN_CLIENT (self), 0);

  return self->timeout_seconds;
}

void
stok_token_client_set_timeout (StokTokenClient *self,
                               guint            timeout_seconds)
{
  g_return_if_fail (STOK_IS_TOKEN_CLIENT (self));
  g_return_if_fail (timeout_seconds > 0);

  if (self->timeout_seconds == timeout_seconds)
    return;

  self->timeout_seconds = timeout_seconds;
  if (self->session != NULL)
    soup_session_set_timeout (self->session, timeout_seconds);
  if (self->direct_session != NULL)
    soup_session_set_timeout (self->direct_session, timeout_seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

static gboolean
api_key_is_sendable (const char *key)
{
  for (const char *p = key; *p; p++)
    if ((guchar) *p < 0x20 || (guchar) *p == 0x7f)
      return FALSE;

  return TRUE;
}

static void
collect_header (const char *name,
                const char *value,
                gpointer    user_data)
{
  stok_exchange_add_response_header (user_data, name, value);
}

static GError *
error_from_transport (Mint         *mint,
                      const GError *error)
{
  return stok_error_new_from_transport (error, mint->server,
                                        stok_deadline_timed_out (mint->deadline));
}

static GError *
error_from_status (StokExchange *exchange)
{
  const char *server_error = stok_exchange_get_server_error (exchange);
  guint status = stok_exchange_get_status (exchange);
  StokErrorCode code;

  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST:
      code = STOK_ERROR_BAD_REQUEST;
      break;

    case SOUP_STATUS_UNAUTHORIZED:
      code = STOK_ERROR_UNAUTHORIZED;
      break;

    case SOUP_STATUS_FORBIDDEN:
      code = STOK_ERROR_FORBIDDEN;
      break;

    case SOUP_STATUS_NOT_FOUND:
      code = STOK_ERROR_NOT_FOUND;
      break;

    case STATUS_TOO_MANY_REQUESTS:
      code = STOK_ERROR_RATE_LIMITED;
      break;

    default:
      if (SOUP_STATUS_IS_REDIRECTION (status))
        code = STOK_ERROR_REDIRECTED;
      else if (SOUP_STATUS_IS_SERVER_ERROR (status))
        code = STOK_ERROR_SERVER;
      else
        code = STOK_ERROR_HTTP;
      break;
    }

  /* The message is what the command line prints: the status and, when
   * there is one, the server's own words. The window adds the advice. */
  if (server_error != NULL && *server_error != '\0')
    return g_error_new (STOK_ERROR, code, "HTTP %u: %s", status, server_error);

  return g_error_new (STOK_ERROR, code, "HTTP %u: %s",
                      status, stok_error_get_title (&(GError) { STOK_ERROR, code, NULL }));
}

static void
finish_reply (GTask *task)
{
  Mint *mint = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  guint status;

  status = soup_message_get_status (mint->message);
  headers = soup_message_get_response_headers (mint->message);
  body = g_byte_array_free_to_bytes (g_steal_pointer (&mint->body));

  stok_exchange_set_latency (mint->exchange, g_get_monotonic_time () - mint->started_us);
  stok_exchange_set_body (mint->exchange, body);

  g_debug ("Reply %u after %.1f ms, %" G_GSIZE_FORMAT " bytes",
           status, stok_exchange_get_latency (mint->exchange) / 1000.0,
           g_bytes_get_size (body));

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      token = stok_token_parse_reply (g_bytes_get_data (body, NULL),
                                      g_bytes_get_size (body), &error);
      if (token == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      stok_token_set_sent_at (token, mint->sent_at_us, mint->sent_at_wall);
      stok_token_set_max_session_seconds (token, mint->max_session_seconds);
      stok_token_set_server (token, mint->server);
      g_task_return_pointer (task, g_steal_pointer (&token), g_object_unref);
      return;
    }

  stok_exchange_parse_error_body (mint->exchange);

  if (status == STATUS_TOO_MANY_REQUESTS)
    {
      now = g_date_time_new_now_utc ();
      stok_exchange_set_retry_after (mint->exchange,
                                     stok_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"), now));
    }

  g_task_return_error (task, error_from_status (mint->exchange));
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GInputStream *stream = (GInputStream *)object;
  g_autoptr(GTask) task = user_data;
  Mint *mint = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;

  chunk = g_input_stream_read_bytes_finish (stream, result, &error);
  if (chunk == NULL)
    {
      g_autoptr(GError) mapped = error_from_transport (mint, error);

      /* The server was reached and had begun to answer: "could not
       * connect" would send the user to check the wrong thing. */
      if (mapped->domain == STOK_ERROR && mapped->code == STOK_ERROR_CONNECTION)
        {
          g_clear_error (&mapped);
          mapped = g_error_new (STOK_ERROR, STOK_ERROR_CONNECTION_LOST,
                                _("The connection to %s broke before the reply was complete: %s"),
                                mint->server, error->message);
        }
      g_task_return_error (task, g_steal_pointer (&mapped));
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      finish_reply (task);
      return;
    }

  if (mint->body->len + g_bytes_get_size (chunk) > STOK_TOKEN_CLIENT_MAX_REPLY)
    {
      g_cancellable_cancel (mint->cancellable);

      /* An error page that runs long still says what went wrong: its
       * status wins, with as much of the body as the cap allows. */
      if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (mint->message)))
        {
          g_byte_array_append (mint->body, g_bytes_get_data (chunk, NULL),
                               STOK_TOKEN_CLIENT_MAX_REPLY - mint->body->len);
          finish_reply (task);
          return;
        }

      g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_RESPONSE_TOO_LARGE,
                               _("The reply from %s was larger than %d KiB, far more than a token."),
                               mint->server, STOK_TOKEN_CLIENT_MAX_REPLY / 1024);
      return;
    }

  g_byte_array_append (mint->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));

  g_input_stream_read_bytes_async (stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   mint->cancellable, read_cb, g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SoupSession *session = (SoupSession *)object;
  g_autoptr(GTask) task = user_data;
  Mint *mint = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  mint->stream = soup_session_send_finish (session, result, &error);
  if (mint->stream == NULL)
    {
      g_debug ("Request failed: %s", error->message);
      g_task_return_error (task, error_from_transport (mint, error));
      return;
    }

  headers = soup_message_get_response_headers (mint->message);
  stok_exchange_set_status (mint->exchange,
                            soup_message_get_status (mint->message),
                            soup_message_get_reason_phrase (mint->message));
  soup_message_headers_foreach (headers, collect_header, mint->exchange);

  if (SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (mint->message)) &&
      soup_message_headers_get_content_length (headers) > STOK_TOKEN_CLIENT_MAX_REPLY)
    {
      g_cancellable_cancel (mint->cancellable);
      g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_RESPONSE_TOO_LARGE,
                               _("The reply from %s was larger than %d KiB, far more than a token."),
                               mint->server, STOK_TOKEN_CLIENT_MAX_REPLY / 1024);
      return;
    }

  g_input_stream_read_bytes_async (mint->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   mint->cancellable, read_cb, g_steal_pointer (&task));
}

/* No proxy serves a loopback address, so a loopback server gets a session
 * without one. Any proxy-enabled connection makes GIO load its proxy
 * modules (libproxy with libstdc++, GNOME's through dconf), whose
 * relocation took more than a third of `streaming-token --print-token`
 * against the fake server in perf (ld.so's do_lookup_x under dlopen);
 * other servers keep the system's proxy settings. Each session is made
 * when first needed: a command line uses only one. */
static SoupSession *
session_for (StokTokenClient *self,
             GUri            *server)
{
  g_assert (STOK_IS_TOKEN_CLIENT (self));

  if (!stok_params_is_loopback_host (g_uri_get_host (server)))
    {
      if (self->session == NULL)
        self->session = soup_session_new_with_options ("user-agent", self->user_agent,
                                                       "timeout", self->timeout_seconds,
                                                       NULL);
      return self->session;
    }

  if (self->direct_session == NULL)
    self->direct_session = soup_session_new_with_options ("user-agent", self->user_agent,
                                                          "timeout", self->timeout_seconds,
                                                          "proxy-resolver", NULL,
                                                          NULL);

  return self->direct_session;
}

/**
 * stok_token_client_get_soup_session:
 * @self: a #StokTokenClient
 * @server: a server's base URI
 *
 * Returns: (transfer none): the HTTP session for @server, which the
 *   streaming sessions share with the token requests: the same user agent,
 *   and no proxy for a loopback server
 */
SoupSession *
stok_token_client_get_soup_session (StokTokenClient *self,
                                    GUri            *server)
{
  g_return_val_if_fail (STOK_IS_TOKEN_CLIENT (self), NULL);
  g_return_val_if_fail (server != NULL, NULL);

  return session_for (self, server);
}

/**
 * stok_token_client_mint_async:
 * @self: a #StokTokenClient
 * @server: the server's base URL, under the rules of stok_params_parse_server()
 * @api_key: the AssemblyAI API key; surrounding whitespace is ignored
 * @expires_in_seconds: the redemption window, 1..600
 * @max_session_seconds: the session cap, 60..10800, or 0 to leave it out
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the token, or an error, is there
 * @user_data: data for @callback
 *
 * Asks @server for a temporary streaming token. Every argument is checked
 * before anything is sent, so an invalid request never reaches the
 * network. Redirects are not followed, so the key goes only to @server.
 */
void
stok_token_client_mint_async (StokTokenClient     *self,
                              const char          *server,
                              const char          *api_key,
                              gint64               expires_in_seconds,
                              gint64               max_session_seconds,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) server_uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *uri = NULL;
  SoupMessageHeaders *headers;
  Mint *mint;

  g_return_if_fail (STOK_IS_TOKEN_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stok_token_client_mint_async);

  mint = g_new0 (Mint, 1);
  g_task_set_task_data (task, mint, mint_free);

  if (!stok_params_check_expires_in (expires_in_seconds, &error) ||
      (max_session_seconds != 0 &&
       !stok_params_check_max_session (max_session_seconds, &error)) ||
      !(server_uri = stok_params_parse_server (server, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  key = stok_trim_api_key (api_key);
  if (key == NULL)
    {
      g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_NO_KEY,
                               _("No API key was given."));
      return;
    }

  if (!api_key_is_sendable (key))
    {
      g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_INVALID_KEY,
                               _("The API key contains line breaks or control characters."));
      return;
    }

  mint->server = stok_params_server_to_string (server_uri);
  mint->max_session_seconds = max_session_seconds;
  uri = stok_params_build_token_uri (server_uri, expires_in_seconds, max_session_seconds);

  mint->message = soup_message_new (SOUP_METHOD_GET, uri);
  soup_message_add_flags (mint->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (mint->message);
  soup_message_headers_replace (headers, "Authorization", key);
  soup_message_headers_replace (headers, "Accept", "application/json");

  mint->exchange = stok_exchange_new (SOUP_METHOD_GET, uri);
  stok_exchange_add_request_header (mint->exchange, "Authorization", key);
  stok_exchange_add_request_header (mint->exchange, "Accept", "application/json");
  stok_exchange_add_request_header (mint->exchange, "User-Agent",
                                    self->user_agent);

  mint->body = g_byte_array_new ();
  mint->deadline = stok_deadline_new (cancellable, self->timeout_seconds * 1000);
  /* Borrowed from the deadline, for the calls below. */
  mint->cancellable = stok_deadline_get_cancellable (mint->deadline);

  /* The redemption window starts on the server somewhere between now and
   * the reply: counting from now never promises time that is not there. */
  mint->sent_at_us = stok_clock_get_time (self->clock);
  mint->sent_at_wall = g_date_time_new_now_local ();
  mint->started_us = g_get_monotonic_time ();

  g_debug ("Requesting %s", uri);

  soup_session_send_async (session_for (self, server_uri), mint->message, G_PRIORITY_DEFAULT,
                           mint->cancellable, send_cb, g_steal_pointer (&task));
}

/**
 * stok_token_client_mint_finish:
 * @self: a #StokTokenClient
 * @result: the #GAsyncResult passed to the callback
 * @exchange: (out) (optional) (transfer full) (nullable): the exchange with
 *   the server, for debugging; %NULL when nothing was sent
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the token, or %NULL with @error set
 */
StokToken *
stok_token_client_mint_finish (StokTokenClient  *self,
                               GAsyncResult     *result,
                               StokExchange    **exchange,
                               GError          **error)
{
  Mint *mint;

  g_return_val_if_fail (STOK_IS_TOKEN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stok_token_client_mint_async, NULL);

  mint = g_task_get_task_data (G_TASK (result));
  if (exchange != NULL)
    *exchange = mint->exchange != NULL ? g_object_ref (mint->exchange) : NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Redeeming a token: open the streaming WebSocket with it, wait for
 * Begin, end the session at once with Terminate, and record every message
 * on the way. The API key is not involved: the token is the credential. */

typedef struct
{
  StokVerification *verification;
  StokToken *token;
  SoupMessage *message;
  SoupWebsocketConnection *connection;
  GCancellable *cancellable;
  GCancellable *user_cancellable;
  GSource *timeout_source;
  gulong cancelled_id;
  gint64 started_us;
  gboolean timed_out;
  gboolean cancelled;
  gboolean completed;
} Verify;

static void
verify_free (gpointer data)
{
  Verify *verify = data;

  if (verify->timeout_source != NULL)
    {
      g_source_destroy (verify->timeout_source);
      g_clear_pointer (&verify->timeout_source, g_source_unref);
    }
  if (verify->user_cancellable != NULL)
    g_cancellable_disconnect (verify->user_cancellable, verify->cancelled_id);
  g_clear_object (&verify->user_cancellable);
  g_clear_object (&verify->cancellable);
  /* verify_complete() disconnected the handlers, which held the task. */
  g_clear_object (&verify->connection);
  g_clear_object (&verify->message);
  g_clear_object (&verify->token);
  g_clear_object (&verify->verification);
  g_free (verify);
}

static gint64
verify_offset (Verify *verify)
{
  return g_get_monotonic_time () - verify->started_us;
}

/* Ends the task once, whichever of close, timeout or cancellation comes
 * first; @task is the reference held while the connection was open. */
static void
verify_complete (GTask  *task,
                 GError *error)
{
  Verify *verify = g_task_get_task_data (task);

  if (verify->completed)
    {
      g_clear_error (&error);
      return;
    }

  verify->completed = TRUE;
  if (verify->connection != NULL)
    g_signal_handlers_disconnect_by_data (verify->connection, task);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (verify->verification), g_object_unref);

  g_object_unref (task);
}

static void
verify_message_cb (SoupWebsocketConnection *connection,
                   int                      type,
                   GBytes                  *message,
                   GTask                   *task)
{
  Verify *verify = g_task_get_task_data (task);
  g_autofree char *text = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);
  gboolean was_accepted;
  gboolean was_terminated;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_autofree char *size = g_format_size (length);
      /* Translators: %s is a size such as "3.2 kB" */
      g_autofree char *note = g_strdup_printf (_("(%s of binary data)"), size);

      stok_verification_add_message (verify->verification, STOK_DIRECTION_RECEIVED,
                                     verify_offset (verify), note);
      return;
    }

  text = g_strndup (data, length);
  stok_verification_add_message (verify->verification, STOK_DIRECTION_RECEIVED,
                                 verify_offset (verify), text);

  was_accepted = stok_verification_get_accepted (verify->verification);
  was_terminated = stok_verification_get_terminated (verify->verification);
  stok_verification_handle_server_text (verify->verification, data, length);

  if (!was_accepted && stok_verification_get_accepted (verify->verification))
    {
      /* A session is open and may be billed: end it right away. */
      static const char terminate[] = "{\"type\": \"Terminate\"}";

      g_debug ("Session %s began; terminating it",
               stok_verification_get_session_id (verify->verification));
      stok_token_set_redeemed (verify->token, TRUE);
      soup_websocket_connection_send_text (connection, terminate);
      stok_verification_add_message (verify->verification, STOK_DIRECTION_SENT,
                                     verify_offset (verify), terminate);
    }
  else if (!was_terminated && stok_verification_get_terminated (verify->verification) &&
           soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
}

static void
verify_closed_cb (SoupWebsocketConnection *connection,
                  GTask                   *task)
{
  Verify *verify = g_task_get_task_data (task);
  gushort code = soup_websocket_connection_get_close_code (connection);
  const char *reason = soup_websocket_connection_get_close_data (connection);
  g_autofree char *event = NULL;

  stok_verification_set_closed (verify->verification, code, reason);
  event = g_strdup_printf ("closed %u %s", code, reason != NULL ? reason : "");
  stok_verification_add_message (verify->verification, STOK_DIRECTION_EVENT,
                                 verify_offset (verify), event);

  if (verify->cancelled)
    {
      verify_complete (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                  _("The verification was cancelled.")));
      return;
    }

  if (verify->timed_out)
    {
      verify_complete (task, g_error_new_literal (STOK_ERROR, STOK_ERROR_TIMEOUT,
                                                  _("The streaming server did not finish the session in time.")));
      return;
    }

  if (!stok_verification_get_accepted (verify->verification))
    stok_token_set_redeemed (verify->token, FALSE);

  verify_complete (task, NULL);
}

static void
verify_error_cb (SoupWebsocketConnection *connection,
                 GError                  *error,
                 GTask                   *task)
{
  Verify *verify = g_task_get_task_data (task);

  stok_verification_add_message (verify->verification, STOK_DIRECTION_EVENT,
                                 verify_offset (verify), error->message);
}

static void
verify_stop (Verify *verify)
{
  g_cancellable_cancel (verify->cancellable);

  if (verify->connection != NULL &&
      soup_websocket_connection_get_state (verify->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (verify->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
}

static gboolean
verify_timeout_cb (gpointer user_data)
{
  Verify *verify = user_data;

  verify->timed_out = TRUE;
  g_clear_pointer (&verify->timeout_source, g_source_unref);
  verify_stop (verify);

  return G_SOURCE_REMOVE;
}

static void
verify_cancelled_cb (GCancellable *cancellable,
                     Verify       *verify)
{
  verify->cancelled = TRUE;
  verify_stop (verify);
}

static void
verify_connect_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Verify *verify = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint status;

  verify->connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (verify->connection == NULL)
    {
      status = soup_message_get_status (verify->message);

      /* The server answered, but not with a WebSocket: it refused the
       * token at the door. */
      if (!verify->timed_out && !verify->cancelled &&
          status >= 300 && status != SOUP_STATUS_SWITCHING_PROTOCOLS)
        {
          g_autofree char *event = g_strdup_printf ("HTTP %u %s", status,
                                                    soup_message_get_reason_phrase (verify->message));

          stok_verification_add_message (verify->verification, STOK_DIRECTION_EVENT,
                                         verify_offset (verify), event);
          stok_verification_set_http_status (verify->verification, status);
          stok_token_set_redeemed (verify->token, FALSE);
          verify->completed = TRUE;
          g_task_return_pointer (task, g_object_ref (verify->verification), g_object_unref);
          return;
        }

      verify->completed = TRUE;
      if (verify->timed_out)
        g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_TIMEOUT,
                                 _("The streaming server did not answer in time."));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (error->domain == G_TLS_ERROR)
        g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_TLS,
                                 _("The secure connection to the streaming server failed: %s"), error->message);
      else if (error->domain == G_RESOLVER_ERROR)
        g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_HOST_NOT_FOUND,
                                 _("The streaming server’s name could not be resolved: %s"), error->message);
      else
        g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_CONNECTION,
                                 _("The connection to the streaming server failed: %s"), error->message);
      return;
    }

  stok_verification_add_message (verify->verification, STOK_DIRECTION_EVENT,
                                 verify_offset (verify), "connected");

  /* The connection's handlers hold the task until it closes. */
  g_signal_connect (verify->connection, "message", G_CALLBACK (verify_message_cb), task);
  g_signal_connect (verify->connection, "closed", G_CALLBACK (verify_closed_cb), task);
  g_signal_connect (verify->connection, "error", G_CALLBACK (verify_error_cb), task);
  g_steal_pointer (&task);

  if (verify->cancelled || verify->timed_out)
    verify_stop (verify);
}

/**
 * stok_token_client_verify_async:
 * @self: a #StokTokenClient
 * @token: a token minted by this client; it records the server
 * @cancellable: (nullable): a #GCancellable; cancelling closes the session
 * @callback: called with the outcome
 * @user_data: data for @callback
 *
 * Redeems @token on the streaming WebSocket of the server that minted it,
 * and ends the session it opens at once. This uses the token up: tokens
 * are single-use. @token's state becomes redeemed or rejected.
 */
void
stok_token_client_verify_async (StokTokenClient     *self,
                                StokToken           *token,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  Verify *verify;

  g_return_if_fail (STOK_IS_TOKEN_CLIENT (self));
  g_return_if_fail (STOK_IS_TOKEN (token));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stok_token_client_verify_async);
  /* Cancellation is reported when the socket has closed, not before. */
  g_task_set_check_cancellable (task, FALSE);

  verify = g_new0 (Verify, 1);
  verify->token = g_object_ref (token);
  g_task_set_task_data (task, verify, verify_free);

  server = stok_params_parse_server (stok_token_get_server (token) ? stok_token_get_server (token)
                                                                   : STOK_DEFAULT_SERVER,
                                     &error);
  if (server == NULL)
    {
      verify->completed = TRUE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  uri = stok_params_build_websocket_uri (server, stok_token_get_token (token));
  verify->verification = stok_verification_new (uri);
  verify->message = soup_message_new (SOUP_METHOD_GET, uri);
  soup_message_add_flags (verify->message, SOUP_MESSAGE_NO_REDIRECT);
  verify->cancellable = g_cancellable_new ();
  verify->started_us = g_get_monotonic_time ();

  if (cancellable != NULL)
    {
      verify->user_cancellable = g_object_ref (cancellable);
      verify->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (verify_cancelled_cb),
                                                    verify, NULL);
    }

  verify->timeout_source = g_timeout_source_new (self->timeout_seconds * 1000);
  g_source_set_callback (verify->timeout_source, verify_timeout_cb, verify, NULL);
  g_source_attach (verify->timeout_source, g_main_context_get_thread_default ());

  g_debug ("Redeeming a token on %s", g_uri_get_host (server));

  soup_session_websocket_connect_async (session_for (self, server), verify->message, NULL, NULL,
                                        G_PRIORITY_DEFAULT, verify->cancellable,
                                        verify_connect_cb, g_steal_pointer (&task));
}

/**
 * stok_token_client_verify_finish:
 * @self: a #StokTokenClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * A refusal by the server is an outcome, not an error: check
 * stok_verification_get_accepted(). Errors are for a server that could not
 * be reached, a timeout or a cancellation.
 *
 * Returns: (transfer full): the outcome, or %NULL with @error set
 */
StokVerification *
stok_token_client_verify_finish (StokTokenClient  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (STOK_IS_TOKEN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stok_token_client_verify_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
