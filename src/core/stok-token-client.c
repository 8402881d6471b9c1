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
#include <string.h>

#include "stok-deadline.h"
#include "stok-error.h"
#include "stok-json.h"
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

/* What the server sent back is shown and copied: a server that echoes
 * the key must not get it there. The request's header is the one place
 * the key is kept while the request runs. */
static void
mask_key (Mint *mint)
{
  const char *key = soup_message_headers_get_one (soup_message_get_request_headers (mint->message),
                                                  "Authorization");

  if (key != NULL)
    stok_exchange_mask_secret (mint->exchange, key);
}

static GError *
error_from_transport (Mint         *mint,
                      const GError *error)
{
  return stok_error_new_from_transport (error, mint->server,
                                        stok_deadline_timed_out (mint->deadline));
}

/* The longest line of a plain-text error body taken as the server's
 * words. */
#define STOK_TOKEN_CLIENT_MAX_WORDS 300

/* A short plain-text body is a person's words, such as a proxy's
 * "Forbidden by corporate policy": its first line says more than a
 * guess from the status. A page of text says nothing in one. */
static char *
dup_plain_text_words (SoupMessageHeaders *headers,
                      GBytes             *body)
{
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autofree char *line = NULL;
  const char *data;
  const char *end;
  gsize length = 0;

  if (body == NULL || type == NULL || g_ascii_strcasecmp (type, "text/plain") != 0)
    return NULL;

  data = g_bytes_get_data (body, &length);
  if (length == 0)
    return NULL;
  if ((end = memchr (data, '\n', length)) != NULL)
    length = (gsize) (end - data);
  if (length == 0 || length > STOK_TOKEN_CLIENT_MAX_WORDS)
    return NULL;

  line = stok_dup_printable (data, (gssize) length);
  g_strstrip (line);

  return *line != '\0' ? g_steal_pointer (&line) : NULL;
}

/* An HTML page where the API sends JSON is a gateway's or a proxy's:
 * its title ("502 Bad Gateway", a provider's name) says whose. */
static char *
dup_html_words (SoupMessageHeaders *headers,
                GBytes             *body)
{
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autofree char *page = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *title = NULL;
  const char *start;
  const char *end;
  gsize length = 0;
  const char *data;

  if (body == NULL || type == NULL || g_ascii_strcasecmp (type, "text/html") != 0)
    return NULL;

  data = g_bytes_get_data (body, &length);
  page = stok_dup_printable (data, (gssize) MIN (length, 4096));
  folded = g_ascii_strdown (page, -1);
  if ((start = strstr (folded, "<title>")) != NULL &&
      (end = strstr (start, "</title>")) != NULL &&
      end - start - 7 <= STOK_TOKEN_CLIENT_MAX_WORDS)
    {
      title = g_strndup (page + (start - folded) + 7, end - start - 7);
      g_strstrip (title);
    }

  if (title != NULL && *title != '\0')
    /* Translators: what came instead of the API's JSON; %s is the page's
     * title, such as "502 Bad Gateway" */
    return g_strdup_printf (_("a web page titled “%s”, not the API’s JSON"), title);

  return g_strdup (_("a web page, not the API’s JSON"));
}

static GError *
error_from_status (StokExchange *exchange,
                   const char   *plain_words)
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
  if (plain_words != NULL)
    return g_error_new (STOK_ERROR, code, "HTTP %u: %s", status, plain_words);

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
  g_autofree char *words = NULL;
  SoupMessageHeaders *headers;
  guint status;

  status = soup_message_get_status (mint->message);
  headers = soup_message_get_response_headers (mint->message);
  body = g_byte_array_free_to_bytes (g_steal_pointer (&mint->body));

  stok_exchange_set_latency (mint->exchange, g_get_monotonic_time () - mint->started_us);
  stok_exchange_set_body (mint->exchange, body);
  mask_key (mint);

  g_debug ("Reply %u after %.1f ms, %" G_GSIZE_FORMAT " bytes",
           status, stok_exchange_get_latency (mint->exchange) / 1000.0,
           g_bytes_get_size (body));

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      token = stok_token_parse_reply (g_bytes_get_data (body, NULL),
                                      g_bytes_get_size (body), &error);
      if (token == NULL)
        {
          /* The status too, as every other failed request says it: a
           * 200 that carries no token is the surprise. */
          g_prefix_error (&error, "HTTP %u: ", status);
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

  /* A busy or restarting server may say when to come back, as a rate
   * limit does. */
  if (status == STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    {
      now = g_date_time_new_now_utc ();
      stok_exchange_set_retry_after (mint->exchange,
                                     stok_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"), now));
    }

  words = dup_plain_text_words (headers, stok_exchange_get_body (mint->exchange));
  if (words == NULL)
    words = dup_html_words (headers, stok_exchange_get_body (mint->exchange));
  g_task_return_error (task, error_from_status (mint->exchange, words));
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
  mask_key (mint);

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
