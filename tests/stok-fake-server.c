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
 * a test that runs the client in the same loop needs no threads. */

#define G_LOG_DOMAIN "stok-fake-server"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "stok-fake-server.h"
#include "stok-fake-session.h"

#define TOKEN_PATH "/v3/token"
#define WEBSOCKET_PATH "/v3/ws"

/* The token in canned replies: well-formed, so that only what the canned
 * reply is about is wrong. */
#define CANNED_TOKEN STOK_FAKE_TOKEN_PREFIX "eyJqdGkiOiJjYW5uZWQifQ.c2lnbmF0dXJl"

/* The ranges of GET /v3/token, restated from the spec rather than taken
 * from stok-params.h, so that a wrong constant there shows up as a test
 * failure instead of agreeing with itself. */
#define EXPIRES_IN_MIN      1
#define EXPIRES_IN_MAX      600
#define MAX_SESSION_MIN     60
#define MAX_SESSION_MAX     10800
#define MAX_SESSION_DEFAULT 10800

typedef struct
{
  guint status;
  char *content_type;
  GBytes *body;
} Reply;

typedef struct
{
  gint64 expires_in_seconds;
  gint64 max_session_seconds;
  gint64 minted_at_us;
  gboolean redeemed;
} Minted;

typedef struct
{
  StokFakeServer *self;        /* unowned: dispose drops every pending answer */
  SoupServerMessage *message;
  gulong finished_id;
  guint source_id;
} Pending;

struct _StokFakeServer
{
  GObject parent_instance;

  SoupServer *server;
  StokClock *clock;
  char *url;
  char *api_key;
  Reply *reply;
  GQueue queued_replies;
  GHashTable *extra_headers;
  GHashTable *tokens;
  char *last_token;
  GList *pending;
  SoupMessageHeaders *last_headers;
  char *last_path;
  char *last_query;
  GList *sessions;
  StokFakeSession *last_session;
  char *last_session_id;
  char *last_websocket_query;
  char *websocket_close_reason;
  guint websocket_count;
  guint websocket_delay_ms;
  guint n_terminated;
  guint n_upgrade_requests;
  StokFakeFaultSpec fault;
  char *fault_reason;
  gboolean fault_every_session;
  gushort websocket_close_code;
  guint port;
  guint delay_ms;
  guint request_count;
  gboolean chunked;
};

G_DEFINE_FINAL_TYPE (StokFakeServer, stok_fake_server, G_TYPE_OBJECT)

enum {
  SESSION_OPENED,
  MESSAGE_SENT,
  MESSAGE_RECEIVED,
  SESSION_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static Reply *
reply_new (guint       status,
           const char *content_type,
           const char *body,
           gssize      length)
{
  Reply *reply = g_new0 (Reply, 1);

  if (body == NULL)
    length = 0;
  else if (length < 0)
    length = strlen (body);

  reply->status = status;
  reply->content_type = g_strdup (content_type);
  reply->body = g_bytes_new (body, length);

  return reply;
}

static void
reply_free (gpointer data)
{
  Reply *reply = data;

  g_free (reply->content_type);
  g_bytes_unref (reply->body);
  g_free (reply);
}

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
  g_clear_pointer (&self->reply, reply_free);
  g_queue_clear_full (&self->queued_replies, reply_free);
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

  /**
   * StokFakeServer::session-opened:
   * @query: the upgrade's query with the token's value left out
   *
   * A WebSocket was upgraded on `/v3/ws`, whatever becomes of it.
   */
  signals[SESSION_OPENED] =
    g_signal_new ("session-opened",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * StokFakeServer::message-sent:
   * @message: (type gpointer): the #StokFakeMessage
   *
   * A session sent a text frame. A flood's turns are counted by
   * stok_fake_server_count_sent() but neither kept nor signalled.
   */
  signals[MESSAGE_SENT] =
    g_signal_new ("message-sent",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * StokFakeServer::message-received:
   * @message: (type gpointer): the #StokFakeMessage
   *
   * A session received a text frame.
   */
  signals[MESSAGE_RECEIVED] =
    g_signal_new ("message-received",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * StokFakeServer::session-closed:
   * @code: the close code, 1006 for a dropped connection
   * @reason: (nullable): the close reason
   * @audio_us: the audio the session received
   */
  signals[SESSION_CLOSED] =
    g_signal_new ("session-closed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_INT64);
}

static char *
base64url (const guchar *data,
           gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *end;

  /* JWTs use the URL-safe alphabet without padding. */
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  end = strchr (text, '=');
  if (end != NULL)
    *end = '\0';

  return text;
}

static char *
make_token (gint64 expires_in_seconds,
            gint64 max_session_seconds)
{
  g_autofree char *jti = g_uuid_string_random ();
  g_autofree char *claims = NULL;
  g_autofree char *claims64 = NULL;
  g_autofree char *signature64 = NULL;
  guint32 signature[8];

  /* Looks like AssemblyAI's tokens, a JWT, but the claims mean nothing:
   * the client must treat the token as opaque. */
  claims = g_strdup_printf ("{\"jti\":\"%s\",\"exp_in\":%" G_GINT64_FORMAT ",\"max_session\":%" G_GINT64_FORMAT ",\"iat\":%" G_GINT64_FORMAT "}",
                            jti, expires_in_seconds, max_session_seconds,
                            g_get_real_time () / G_USEC_PER_SEC);
  for (guint i = 0; i < G_N_ELEMENTS (signature); i++)
    signature[i] = g_random_int ();

  claims64 = base64url ((const guchar *) claims, strlen (claims));
  signature64 = base64url ((const guchar *) signature, sizeof signature);

  return g_strconcat (STOK_FAKE_TOKEN_PREFIX, claims64, ".", signature64, NULL);
}

static void
set_json_reply (SoupServerMessage *message,
                guint              status,
                JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  char *body = json_to_string (root, FALSE);

  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "application/json",
                                    SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
set_error_reply (SoupServerMessage *message,
                 guint              status,
                 const char        *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);

  set_json_reply (message, status, builder);
}

static void
set_invalid_parameter_reply (SoupServerMessage *message,
                             const char        *parameter,
                             const char        *value,
                             gint64             minimum,
                             gint64             maximum,
                             const char        *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, "invalid_parameter");
  json_builder_set_member_name (builder, "details");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "parameter");
  json_builder_add_string_value (builder, parameter);
  if (value != NULL)
    {
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, value);
    }
  json_builder_set_member_name (builder, "minimum");
  json_builder_add_int_value (builder, minimum);
  json_builder_set_member_name (builder, "maximum");
  json_builder_add_int_value (builder, maximum);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  set_json_reply (message, SOUP_STATUS_BAD_REQUEST, builder);
}

static gboolean
parse_integer (const char *text,
               gint64     *out_value)
{
  const char *p = text;

  /* Digits only, as an integer query parameter is: no "+", no spaces,
   * no "60.0". */
  if (*p == '-')
    p++;
  if (*p == '\0' || strlen (p) > 18)
    return FALSE;
  for (; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  *out_value = g_ascii_strtoll (text, NULL, 10);
  return TRUE;
}

static gboolean
check_parameter (SoupServerMessage *message,
                 GHashTable        *query,
                 const char        *name,
                 gboolean           required,
                 gint64             minimum,
                 gint64             maximum,
                 gint64             fallback,
                 gint64            *out_value)
{
  const char *value = g_hash_table_lookup (query, name);
  g_autofree char *text = NULL;

  if (value == NULL && !required)
    {
      *out_value = fallback;
      return TRUE;
    }

  if (value == NULL)
    text = g_strdup_printf ("%s is required", name);
  else if (!parse_integer (value, out_value))
    text = g_strdup_printf ("%s must be an integer, not \"%s\"", name, value);
  else if (*out_value < minimum || *out_value > maximum)
    text = g_strdup_printf ("%s must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT,
                            name, minimum, maximum);
  else
    return TRUE;

  set_invalid_parameter_reply (message, name, value, minimum, maximum, text);
  return FALSE;
}

static void
answer_per_spec (StokFakeServer    *self,
                 SoupServerMessage *message)
{
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *token = NULL;
  GUri *uri = soup_server_message_get_uri (message);
  const char *key;
  Minted *minted;
  gint64 expires_in = 0;
  gint64 max_session = 0;

  if (g_strcmp0 (g_uri_get_path (uri), TOKEN_PATH) != 0)
    {
      set_error_reply (message, SOUP_STATUS_NOT_FOUND, "Not found");
      return;
    }

  if (g_strcmp0 (soup_server_message_get_method (message), SOUP_METHOD_GET) != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "Allow", SOUP_METHOD_GET);
      set_error_reply (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed");
      return;
    }

  /* The key comes raw, without "Bearer". The server checks it before it
   * looks at the parameters, as the real one does. */
  key = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                      "Authorization");
  if (key == NULL || *key == '\0' ||
      (self->api_key != NULL && g_strcmp0 (key, self->api_key) != 0))
    {
      set_error_reply (message, SOUP_STATUS_UNAUTHORIZED, STOK_FAKE_UNAUTHORIZED_MESSAGE);
      return;
    }

  if (g_uri_get_query (uri) != NULL)
    query = soup_form_decode (g_uri_get_query (uri));
  else
    query = g_hash_table_new (g_str_hash, g_str_equal);

  if (!check_parameter (message, query, "expires_in_seconds", TRUE,
                        EXPIRES_IN_MIN, EXPIRES_IN_MAX, 0, &expires_in) ||
      !check_parameter (message, query, "max_session_duration_seconds", FALSE,
                        MAX_SESSION_MIN, MAX_SESSION_MAX, MAX_SESSION_DEFAULT, &max_session))
    return;

  token = make_token (expires_in, max_session);

  minted = g_new0 (Minted, 1);
  minted->expires_in_seconds = expires_in;
  minted->max_session_seconds = max_session;
  minted->minted_at_us = stok_clock_get_time (self->clock);
  g_hash_table_insert (self->tokens, g_strdup (token), minted);
  g_free (self->last_token);
  self->last_token = g_strdup (token);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expires_in_seconds");
  json_builder_add_int_value (builder, expires_in);
  json_builder_end_object (builder);

  set_json_reply (message, SOUP_STATUS_OK, builder);
}

static void
apply_reply (SoupServerMessage *message,
             const Reply       *reply)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (reply->body, &length);

  soup_server_message_set_status (message, reply->status, NULL);
  soup_server_message_set_response (message, reply->content_type,
                                    SOUP_MEMORY_COPY, data, length);
}

static void
answer (StokFakeServer    *self,
        SoupServerMessage *message)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  Reply *queued = g_queue_pop_head (&self->queued_replies);
  GHashTableIter iter;
  gpointer name, value;

  if (queued != NULL)
    {
      apply_reply (message, queued);
      reply_free (queued);
    }
  else if (self->reply != NULL)
    {
      apply_reply (message, self->reply);
    }
  else
    {
      answer_per_spec (self, message);
    }

  g_hash_table_iter_init (&iter, self->extra_headers);
  while (g_hash_table_iter_next (&iter, &name, &value))
    soup_message_headers_replace (headers, name, value);

  /* Without a Content-Length, a client can only find out the size of a
   * body by reading it. */
  if (self->chunked)
    {
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      /* Chunked, the end of the body must be said, or the client waits. */
      soup_message_body_complete (soup_server_message_get_response_body (message));
    }
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

  answer (self, pending->message);
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
      answer (self, message);
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

/* The streaming side: the upgrade, the token, and the session that
 * follows, which stok-fake-session.c runs. */

/* The upgrade request, before libsoup answers 101: the one place where a
 * WebSocket can be refused with an HTTP status. */
static void
handle_upgrade_request (SoupServer        *server,
                        SoupServerMessage *message,
                        const char        *path,
                        GHashTable        *query,
                        gpointer           user_data)
{
  StokFakeServer *self = user_data;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *text = NULL;
  guint status;

  g_assert (STOK_IS_FAKE_SERVER (self));

  self->n_upgrade_requests++;

  if (self->fault.fault != STOK_FAKE_FAULT_REFUSE_UPGRADE)
    return;

  status = self->fault.status != 0 ? self->fault.status : SOUP_STATUS_FORBIDDEN;
  if (!self->fault_every_session)
    stok_fake_server_clear_fault (self);

  text = g_strdup_printf ("The fake server was told to refuse the upgrade with %u.", status);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  set_json_reply (message, status, builder);
}

static void
session_message_sent_cb (StokFakeSession *session,
                         StokFakeMessage *message,
                         StokFakeServer  *self)
{
  g_assert (STOK_IS_FAKE_SERVER (self));

  if (g_strcmp0 (message->type, "Begin") == 0)
    {
      g_free (self->last_session_id);
      self->last_session_id = g_strdup (stok_fake_session_get_id (session));
    }

  g_signal_emit (self, signals[MESSAGE_SENT], 0, message);
}

static void
session_message_received_cb (StokFakeSession *session,
                             StokFakeMessage *message,
                             StokFakeServer  *self)
{
  g_assert (STOK_IS_FAKE_SERVER (self));

  if (g_strcmp0 (message->type, "Terminate") == 0)
    self->n_terminated++;

  g_signal_emit (self, signals[MESSAGE_RECEIVED], 0, message);
}

static void
session_closed_cb (StokFakeSession *session,
                   guint            code,
                   const char      *reason,
                   StokFakeServer  *self)
{
  GList *link = g_list_find (self->sessions, session);

  g_assert (STOK_IS_FAKE_SERVER (self));

  g_signal_emit (self, signals[SESSION_CLOSED], 0, code, reason,
                 stok_fake_session_get_audio_received_us (session));

  if (link != NULL)
    {
      self->sessions = g_list_delete_link (self->sessions, link);
      g_signal_handlers_disconnect_by_data (session, self);
      g_object_unref (session);
    }
}

static char *
hide_token (const char *query)
{
  g_auto(GStrv) pairs = NULL;

  if (query == NULL)
    return g_strdup ("");

  /* The token is a credential too: logs show that it came, not what it
   * was. */
  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      if (g_str_has_prefix (pairs[i], "token="))
        {
          g_free (pairs[i]);
          pairs[i] = g_strdup ("token=…");
        }
    }

  return g_strjoinv ("&", pairs);
}

static void
handle_websocket (SoupServer              *server,
                  SoupServerMessage       *message,
                  const char              *path,
                  SoupWebsocketConnection *connection,
                  gpointer                 user_data)
{
  StokFakeServer *self = user_data;
  GUri *uri = soup_server_message_get_uri (message);
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *shown_query = hide_token (g_uri_get_query (uri));
  StokFakeSession *session;
  const char *token = NULL;
  const char *refusal = NULL;
  Minted *minted = NULL;

  self->websocket_count++;
  g_free (self->last_websocket_query);
  self->last_websocket_query = g_strdup (g_uri_get_query (uri));

  session = stok_fake_session_new (connection, self->clock);
  g_signal_connect (session, "message-sent", G_CALLBACK (session_message_sent_cb), self);
  g_signal_connect (session, "message-received", G_CALLBACK (session_message_received_cb), self);
  g_signal_connect (session, "closed", G_CALLBACK (session_closed_cb), self);
  self->sessions = g_list_prepend (self->sessions, session);
  g_set_object (&self->last_session, session);

  g_signal_emit (self, signals[SESSION_OPENED], 0, shown_query);

  if (self->websocket_close_code != 0)
    {
      g_autofree char *reason = g_steal_pointer (&self->websocket_close_reason);
      gushort code = self->websocket_close_code;

      self->websocket_close_code = 0;
      stok_fake_session_refuse (session, code, reason);
      return;
    }

  if (g_uri_get_query (uri) != NULL)
    query = soup_form_decode (g_uri_get_query (uri));
  else
    query = g_hash_table_new (g_str_hash, g_str_equal);
  token = g_hash_table_lookup (query, "token");

  if (token == NULL || *token == '\0')
    refusal = STOK_FAKE_WS_MISSING_TOKEN;
  else if ((minted = g_hash_table_lookup (self->tokens, token)) == NULL)
    refusal = STOK_FAKE_WS_INVALID_TOKEN;
  else if (minted->redeemed)
    refusal = STOK_FAKE_WS_USED_TOKEN;
  else if (stok_clock_get_time (self->clock) >= minted->minted_at_us + minted->expires_in_seconds * G_USEC_PER_SEC)
    refusal = STOK_FAKE_WS_EXPIRED_TOKEN;

  if (refusal != NULL)
    {
      stok_fake_session_refuse (session, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, refusal);
      return;
    }

  /* A refused parameter leaves the token unspent: no session opened. */
  if (!stok_fake_session_configure (session, query))
    return;

  /* Single use: the session it opens spends the token, whatever the
   * session does next. */
  minted->redeemed = TRUE;
  stok_fake_session_set_max_session_seconds (session, minted->max_session_seconds);

  if (self->fault.fault != STOK_FAKE_FAULT_NONE)
    {
      stok_fake_session_set_fault (session, &self->fault);
      if (!self->fault_every_session)
        stok_fake_server_clear_fault (self);
    }

  stok_fake_session_begin (session, self->websocket_delay_ms);
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
  soup_server_add_handler (self->server, WEBSOCKET_PATH, handle_upgrade_request, self, NULL);
  soup_server_add_websocket_handler (self->server, WEBSOCKET_PATH, NULL, NULL,
                                     handle_websocket, self, NULL);
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
 * stok_fake_server_set_reply:
 * @self: a #StokFakeServer
 * @status: the HTTP status
 * @content_type: (nullable): the Content-Type, or %NULL for none
 * @body: (nullable): the body, sent as it is
 * @length: the length of @body, or -1 if it is nul-terminated
 *
 * Answers every request from now on with @status and @body instead of
 * following the spec, until stok_fake_server_clear_replies(). No token is
 * minted. Delay and extra headers still apply.
 */
void
stok_fake_server_set_reply (StokFakeServer *self,
                            guint           status,
                            const char     *content_type,
                            const char     *body,
                            gssize          length)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));
  g_return_if_fail (status >= 100 && status <= 999);

  g_clear_pointer (&self->reply, reply_free);
  self->reply = reply_new (status, content_type, body, length);
}

/**
 * stok_fake_server_queue_reply:
 * @self: a #StokFakeServer
 * @status: the HTTP status
 * @content_type: (nullable): the Content-Type, or %NULL for none
 * @body: (nullable): the body, sent as it is
 * @length: the length of @body, or -1 if it is nul-terminated
 *
 * Like stok_fake_server_set_reply(), but for one request only: queued
 * replies are used first, in order, then the server goes back to what it
 * did before. A 429 followed by a good token is a queued reply.
 */
void
stok_fake_server_queue_reply (StokFakeServer *self,
                              guint           status,
                              const char     *content_type,
                              const char     *body,
                              gssize          length)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));
  g_return_if_fail (status >= 100 && status <= 999);

  g_queue_push_tail (&self->queued_replies, reply_new (status, content_type, body, length));
}

/**
 * stok_fake_server_set_canned_reply:
 * @self: a #StokFakeServer
 * @reply: one of the ways a reply breaks the spec
 *
 * stok_fake_server_set_reply() with a body that breaks the spec in the
 * way @reply names.
 */
void
stok_fake_server_set_canned_reply (StokFakeServer *self,
                                   StokFakeReply   reply)
{
  guint status = SOUP_STATUS_OK;
  const char *content_type = "application/json";
  const char *body = NULL;

  g_return_if_fail (STOK_IS_FAKE_SERVER (self));

  switch (reply)
    {
    case STOK_FAKE_REPLY_EMPTY:
      body = "";
      break;

    case STOK_FAKE_REPLY_MALFORMED_JSON:
      body = "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "eyJqdGkiOi";
      break;

    case STOK_FAKE_REPLY_NOT_JSON:
      /* What a captive portal puts in place of any answer. */
      content_type = "text/html; charset=utf-8";
      body = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>"
             "<body><p>Sign in to the network to continue.</p></body></html>\n";
      break;

    case STOK_FAKE_REPLY_ARRAY:
      body = "[{\"token\": \"" CANNED_TOKEN "\", \"expires_in_seconds\": 60}]";
      break;

    case STOK_FAKE_REPLY_MISSING_TOKEN:
      body = "{\"expires_in_seconds\": 60}";
      break;

    case STOK_FAKE_REPLY_MISSING_EXPIRES:
      body = "{\"token\": \"" CANNED_TOKEN "\"}";
      break;

    case STOK_FAKE_REPLY_TOKEN_NOT_STRING:
      body = "{\"token\": 12345, \"expires_in_seconds\": 60}";
      break;

    case STOK_FAKE_REPLY_EXPIRES_NOT_INTEGER:
      body = "{\"token\": \"" CANNED_TOKEN "\", \"expires_in_seconds\": \"60\"}";
      break;

    case STOK_FAKE_REPLY_GATEWAY_HTML:
      status = SOUP_STATUS_BAD_GATEWAY;
      content_type = "text/html";
      body = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
             "<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
             "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
      break;

    default:
      g_return_if_reached ();
    }

  stok_fake_server_set_reply (self, status, content_type, body, -1);
}

/**
 * stok_fake_server_set_huge_reply:
 * @self: a #StokFakeServer
 * @n_bytes: the size of the body
 *
 * Answers every request with a 200 whose body is a valid token reply
 * padded to @n_bytes, so that a client can only refuse it for its size.
 */
void
stok_fake_server_set_huge_reply (StokFakeServer *self,
                                 gsize           n_bytes)
{
  static const char head[] = "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "eyJqdGkiOiJodWdlIn0.c2ln\", \"expires_in_seconds\": 60, \"padding\": \"";
  static const char tail[] = "\"}";
  g_autoptr(GString) body = NULL;

  g_return_if_fail (STOK_IS_FAKE_SERVER (self));

  body = g_string_sized_new (n_bytes + 1);
  g_string_append (body, head);
  while (body->len + strlen (tail) < n_bytes)
    g_string_append_c (body, 'x');
  g_string_append (body, tail);

  stok_fake_server_set_reply (self, SOUP_STATUS_OK, "application/json", body->str, body->len);
}

/**
 * stok_fake_server_clear_replies:
 * @self: a #StokFakeServer
 *
 * Drops the queued and standing replies: the server follows the spec again.
 */
void
stok_fake_server_clear_replies (StokFakeServer *self)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));

  g_clear_pointer (&self->reply, reply_free);
  g_queue_clear_full (&self->queued_replies, reply_free);
}

/**
 * stok_fake_server_set_delay:
 * @self: a #StokFakeServer
 * @delay_ms: how long to hold back every answer, 0 for none
 *
 * The main loop keeps running meanwhile.
 */
void
stok_fake_server_set_delay (StokFakeServer *self,
                            guint           delay_ms)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));

  self->delay_ms = delay_ms;
}

/**
 * stok_fake_server_set_extra_header:
 * @self: a #StokFakeServer
 * @name: a response header, such as `Retry-After` or `Location`
 * @value: (nullable): its value, or %NULL to stop sending it
 *
 * Adds @name to every answer, replacing the header the server would have
 * sent under that name.
 */
void
stok_fake_server_set_extra_header (StokFakeServer *self,
                                   const char     *name,
                                   const char     *value)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));
  g_return_if_fail (name != NULL);

  if (value == NULL)
    g_hash_table_remove (self->extra_headers, name);
  else
    g_hash_table_insert (self->extra_headers, g_strdup (name), g_strdup (value));
}

/**
 * stok_fake_server_set_chunked:
 * @self: a #StokFakeServer
 * @chunked: whether to send bodies in chunks, without a Content-Length
 */
void
stok_fake_server_set_chunked (StokFakeServer *self,
                              gboolean        chunked)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));

  self->chunked = !!chunked;
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

guint
stok_fake_server_get_n_tokens (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  return g_hash_table_size (self->tokens);
}

/**
 * stok_fake_server_get_last_token:
 * @self: a #StokFakeServer
 *
 * Returns: (transfer none) (nullable): the token minted last
 */
const char *
stok_fake_server_get_last_token (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);

  return self->last_token;
}

/**
 * stok_fake_server_lookup_token:
 * @self: a #StokFakeServer
 * @token: a token
 * @out_expires_in_seconds: (out) (optional): its redemption window
 * @out_max_session_seconds: (out) (optional): its session cap, the default
 *   when none was asked for
 * @out_minted_at_us: (out) (optional): when it was minted, on the server's
 *   clock
 *
 * Returns: %TRUE if this server minted @token
 */
gboolean
stok_fake_server_lookup_token (StokFakeServer *self,
                               const char     *token,
                               gint64         *out_expires_in_seconds,
                               gint64         *out_max_session_seconds,
                               gint64         *out_minted_at_us)
{
  Minted *minted;

  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), FALSE);

  if (token == NULL || !(minted = g_hash_table_lookup (self->tokens, token)))
    return FALSE;

  if (out_expires_in_seconds != NULL)
    *out_expires_in_seconds = minted->expires_in_seconds;
  if (out_max_session_seconds != NULL)
    *out_max_session_seconds = minted->max_session_seconds;
  if (out_minted_at_us != NULL)
    *out_minted_at_us = minted->minted_at_us;

  return TRUE;
}

/**
 * stok_fake_server_set_websocket_close:
 * @self: a #StokFakeServer
 * @code: a close code that a server may send, such as 3005, or 0 for none
 * @reason: (nullable): the server's words, sent in full in the Error
 *   message and cut to 123 bytes as the close reason
 *
 * Ends the next WebSocket session, whatever its token, with an Error
 * message carrying @code (none for 1000) and a close with @code. The
 * token is not spent. Sessions after that one follow the spec again.
 */
void
stok_fake_server_set_websocket_close (StokFakeServer *self,
                                      gushort         code,
                                      const char     *reason)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));
  /* What libsoup lets a server put in a close frame. */
  g_return_if_fail (code == 0 ||
                    (code >= 1000 && code <= 1011 && code != 1004 && code != 1005 &&
                     code != 1006 && code != 1010) ||
                    (code >= 3000 && code <= 4999));

  self->websocket_close_code = code;
  g_free (self->websocket_close_reason);
  self->websocket_close_reason = g_strdup (reason);
}

/**
 * stok_fake_server_set_websocket_delay:
 * @self: a #StokFakeServer
 * @delay_ms: how long to hold back Begin once a token is accepted, 0 for
 *   none
 *
 * Leaves a session open and silent for a while, as a loaded server does,
 * so that a client can be cancelled or time out in the middle.
 */
void
stok_fake_server_set_websocket_delay (StokFakeServer *self,
                                      guint           delay_ms)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));

  self->websocket_delay_ms = delay_ms;
}

/**
 * stok_fake_server_get_websocket_count:
 * @self: a #StokFakeServer
 *
 * Returns: how many WebSocket sessions were opened on `/v3/ws`, accepted
 *   or refused
 */
guint
stok_fake_server_get_websocket_count (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  return self->websocket_count;
}

/**
 * stok_fake_server_get_n_open_websockets:
 * @self: a #StokFakeServer
 *
 * Returns: how many WebSocket sessions are not closed yet
 */
guint
stok_fake_server_get_n_open_websockets (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  return g_list_length (self->sessions);
}

/**
 * stok_fake_server_get_n_terminated:
 * @self: a #StokFakeServer
 *
 * Returns: how many sessions the client ended with `Terminate`
 */
guint
stok_fake_server_get_n_terminated (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  return self->n_terminated;
}

/**
 * stok_fake_server_get_last_session_id:
 * @self: a #StokFakeServer
 *
 * Returns: (transfer none) (nullable): the id sent in the last `Begin`
 */
const char *
stok_fake_server_get_last_session_id (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);

  return self->last_session_id;
}

/**
 * stok_fake_server_get_last_websocket_query:
 * @self: a #StokFakeServer
 *
 * Returns: (transfer none) (nullable): the query of the last WebSocket
 *   session as it was sent, still encoded
 */
const char *
stok_fake_server_get_last_websocket_query (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);

  return self->last_websocket_query;
}

/**
 * stok_fake_server_is_token_redeemed:
 * @self: a #StokFakeServer
 * @token: a token
 *
 * Returns: %TRUE if this server minted @token and a session was opened
 *   with it
 */
gboolean
stok_fake_server_is_token_redeemed (StokFakeServer *self,
                                    const char     *token)
{
  Minted *minted;

  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), FALSE);

  if (token == NULL || !(minted = g_hash_table_lookup (self->tokens, token)))
    return FALSE;

  return minted->redeemed;
}

/**
 * stok_fake_server_get_n_upgrade_requests:
 * @self: a #StokFakeServer
 *
 * Returns: how many requests came to `/v3/ws`, upgraded or refused with
 *   an HTTP status
 */
guint
stok_fake_server_get_n_upgrade_requests (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  return self->n_upgrade_requests;
}

/**
 * stok_fake_server_get_session_parameter:
 * @self: a #StokFakeServer
 * @name: a parameter such as `speech_model` or `max_turn_silence`
 *
 * The last session's parameters as it took them: defaults filled in,
 * numbers in their plain form, `keyterms_prompt` as JSON text, and
 * changed by UpdateConfiguration.
 *
 * Returns: (transfer none) (nullable): the value, or %NULL if there was
 *   no session, it was refused, or it has no such parameter
 */
const char *
stok_fake_server_get_session_parameter (StokFakeServer *self,
                                        const char     *name)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (self->last_session == NULL)
    return NULL;

  return stok_fake_session_get_parameter (self->last_session, name);
}

/**
 * stok_fake_server_get_begin_sent_us:
 * @self: a #StokFakeServer
 *
 * Returns: when the last session sent Begin, on g_get_monotonic_time()'s
 *   clock, or 0 if it did not
 */
gint64
stok_fake_server_get_begin_sent_us (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  if (self->last_session == NULL)
    return 0;

  return stok_fake_session_get_begin_sent_us (self->last_session);
}

/**
 * stok_fake_server_get_n_audio_frames:
 * @self: a #StokFakeServer
 *
 * Returns: how many binary frames the last session received, checked or
 *   not
 */
guint
stok_fake_server_get_n_audio_frames (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  if (self->last_session == NULL)
    return 0;

  return stok_fake_session_get_audio_frames (self->last_session)->len;
}

/**
 * stok_fake_server_get_audio_frame:
 * @self: a #StokFakeServer
 * @index: which frame of the last session, from 0
 *
 * For pacing tests: what arrived, when and how much audio it held, as
 * the server received it rather than as the client meant to send it.
 *
 * Returns: (transfer none): the frame, valid until the next session opens
 */
const StokFakeAudioFrame *
stok_fake_server_get_audio_frame (StokFakeServer *self,
                                  guint           index)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);
  g_return_val_if_fail (index < stok_fake_server_get_n_audio_frames (self), NULL);

  return g_ptr_array_index (stok_fake_session_get_audio_frames (self->last_session), index);
}

/**
 * stok_fake_server_get_audio_received_us:
 * @self: a #StokFakeServer
 *
 * Returns: the audio the last session took after Begin, in microseconds
 *   at its rate and encoding: what Termination reports
 */
gint64
stok_fake_server_get_audio_received_us (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  if (self->last_session == NULL)
    return 0;

  return stok_fake_session_get_audio_received_us (self->last_session);
}

/**
 * stok_fake_server_get_n_received:
 * @self: a #StokFakeServer
 *
 * Returns: how many text frames the last session received
 */
guint
stok_fake_server_get_n_received (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  if (self->last_session == NULL)
    return 0;

  return stok_fake_session_get_received (self->last_session)->len;
}

/**
 * stok_fake_server_get_received:
 * @self: a #StokFakeServer
 * @index: which text frame of the last session, from 0
 *
 * Returns: (transfer none): the frame, valid until the next session opens
 */
const StokFakeMessage *
stok_fake_server_get_received (StokFakeServer *self,
                               guint           index)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);
  g_return_val_if_fail (index < stok_fake_server_get_n_received (self), NULL);

  return g_ptr_array_index (stok_fake_session_get_received (self->last_session), index);
}

/**
 * stok_fake_server_get_n_sent:
 * @self: a #StokFakeServer
 *
 * Returns: how many text frames the last session sent and kept: all but
 *   a flood's
 */
guint
stok_fake_server_get_n_sent (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  if (self->last_session == NULL)
    return 0;

  return stok_fake_session_get_sent (self->last_session)->len;
}

/**
 * stok_fake_server_get_sent:
 * @self: a #StokFakeServer
 * @index: which text frame of the last session, from 0
 *
 * Returns: (transfer none): the frame, valid until the next session opens
 */
const StokFakeMessage *
stok_fake_server_get_sent (StokFakeServer *self,
                           guint           index)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);
  g_return_val_if_fail (index < stok_fake_server_get_n_sent (self), NULL);

  return g_ptr_array_index (stok_fake_session_get_sent (self->last_session), index);
}

/**
 * stok_fake_server_count_sent:
 * @self: a #StokFakeServer
 * @type: (nullable): a message type such as `Turn`, "" for frames that
 *   are not messages, or %NULL for all
 *
 * Counts a flood's messages too; a test can wait on it for "N turns
 * sent".
 *
 * Returns: how many text frames of @type the last session sent
 */
guint
stok_fake_server_count_sent (StokFakeServer *self,
                             const char     *type)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  if (self->last_session == NULL)
    return 0;

  return stok_fake_session_count_sent (self->last_session, type);
}

/**
 * stok_fake_server_get_n_final_turns:
 * @self: a #StokFakeServer
 *
 * Returns: how many turns the last session ended (end_of_turn true),
 *   formatted copies not counted
 */
guint
stok_fake_server_get_n_final_turns (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  if (self->last_session == NULL)
    return 0;

  return stok_fake_session_get_n_final_turns (self->last_session);
}

/**
 * stok_fake_server_set_fault:
 * @self: a #StokFakeServer
 * @spec: the fault and its details, copied
 * @every_session: %FALSE for the next session only, %TRUE for every one
 *   until stok_fake_server_clear_fault()
 *
 * A refused upgrade applies to the next request on `/v3/ws`; every
 * other fault to the next session whose token and parameters are
 * accepted, which spends the token.
 */
void
stok_fake_server_set_fault (StokFakeServer          *self,
                            const StokFakeFaultSpec *spec,
                            gboolean                 every_session)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));
  g_return_if_fail (spec != NULL);
  g_return_if_fail (spec->fault <= STOK_FAKE_FAULT_FLOOD);
  g_return_if_fail (spec->fault != STOK_FAKE_FAULT_REFUSE_UPGRADE ||
                    spec->status == 0 || (spec->status >= 200 && spec->status <= 599 &&
                                          spec->status != SOUP_STATUS_SWITCHING_PROTOCOLS));
  /* What libsoup lets a server put in a close frame. */
  g_return_if_fail (spec->fault != STOK_FAKE_FAULT_ERROR_AFTER_BEGIN ||
                    (spec->code >= 1000 && spec->code <= 1011 && spec->code != 1004 &&
                     spec->code != 1005 && spec->code != 1006 && spec->code != 1010) ||
                    (spec->code >= 3000 && spec->code <= 4999));

  g_free (self->fault_reason);
  self->fault_reason = g_strdup (spec->reason);
  self->fault = *spec;
  self->fault.reason = self->fault_reason;
  self->fault_every_session = !!every_session;
}

/**
 * stok_fake_server_clear_fault:
 * @self: a #StokFakeServer
 *
 * Sessions follow the rules again.
 */
void
stok_fake_server_clear_fault (StokFakeServer *self)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));

  memset (&self->fault, 0, sizeof self->fault);
  g_clear_pointer (&self->fault_reason, g_free);
  self->fault_every_session = FALSE;
}

static const char * const fault_names[] = {
  [STOK_FAKE_FAULT_NONE] = "none",
  [STOK_FAKE_FAULT_REFUSE_UPGRADE] = "refuse-upgrade",
  [STOK_FAKE_FAULT_ERROR_AFTER_BEGIN] = "error-after-begin",
  [STOK_FAKE_FAULT_DROP_AFTER_BEGIN] = "drop-after-begin",
  [STOK_FAKE_FAULT_GARBAGE_TEXT] = "garbage-text",
  [STOK_FAKE_FAULT_BINARY_FRAME] = "binary-frame",
  [STOK_FAKE_FAULT_HUGE_TEXT] = "huge-text",
  [STOK_FAKE_FAULT_UNKNOWN_TYPE] = "unknown-type",
  [STOK_FAKE_FAULT_NO_BEGIN] = "no-begin",
  [STOK_FAKE_FAULT_IGNORE_TERMINATE] = "ignore-terminate",
  [STOK_FAKE_FAULT_FLOOD] = "flood",
};

/**
 * stok_fake_fault_get_name:
 * @fault: a #StokFakeFault
 *
 * Returns: its name for fake-token-server's --ws-fault, such as
 *   `drop-after-begin`
 */
const char *
stok_fake_fault_get_name (StokFakeFault fault)
{
  g_return_val_if_fail (fault < G_N_ELEMENTS (fault_names), NULL);

  return fault_names[fault];
}

gboolean
stok_fake_fault_from_name (const char    *name,
                           StokFakeFault *out_fault)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (fault_names); i++)
    {
      if (g_str_equal (name, fault_names[i]))
        {
          if (out_fault != NULL)
            *out_fault = (StokFakeFault) i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * stok_fake_server_dup_rules_markdown:
 *
 * Returns: (transfer full): the fake server's rules, as the Markdown table
 *   that README.md shows under "The fake server's rules"
 */
char *
stok_fake_server_dup_rules_markdown (void)
{
  return stok_fake_session_dup_rules_markdown ();
}
