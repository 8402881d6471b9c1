/* stok-fake-server-ws.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The fake server's streaming side: the upgrade on `/v3/ws`, the token
 * it redeems, the session that follows, which stok-fake-session.c runs,
 * the signals that tell tests what sessions do, and their faults. */

#define G_LOG_DOMAIN "stok-fake-server"

#include "config.h"

#include <string.h>

#include "stok-fake-server-private.h"

#define WEBSOCKET_PATH "/v3/ws"

enum {
  SESSION_OPENED,
  MESSAGE_SENT,
  MESSAGE_RECEIVED,
  SESSION_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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
  _stok_fake_server_set_json_reply (message, status, builder);
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
  StokFakeMinted *minted = NULL;

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

  stok_fake_session_set_termination_delay (session, self->termination_delay_ms);
  stok_fake_session_begin (session, self->websocket_delay_ms);
}

void
_stok_fake_server_class_websocket_init (StokFakeServerClass *klass)
{
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

void
_stok_fake_server_websocket_init (StokFakeServer *self)
{
  soup_server_add_handler (self->server, WEBSOCKET_PATH, handle_upgrade_request, self, NULL);
  soup_server_add_websocket_handler (self->server, WEBSOCKET_PATH, NULL, NULL,
                                     handle_websocket, self, NULL);
}

/**
 * stok_fake_close_code_is_sendable:
 * @code: a WebSocket close code
 *
 * Whether a server may close with @code: the standard codes a server
 * sends, 1012 to 1014 among them (which libsoup 3.2's client takes for a
 * broken frame), and the application's 3000 to 4999. Not the reserved
 * 1004 to 1006 and 1015, nor 1010, which only a client sends.
 *
 * Returns: %TRUE if the fake server can close with @code
 */
gboolean
stok_fake_close_code_is_sendable (guint code)
{
  return (code >= 1000 && code <= 1003) ||
         (code >= 1007 && code <= 1014 && code != 1010) ||
         (code >= 3000 && code <= 4999);
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
  g_return_if_fail (code == 0 || stok_fake_close_code_is_sendable (code));

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
 * stok_fake_server_set_termination_delay:
 * @self: a #StokFakeServer
 * @delay_ms: how long Termination takes after Terminate in the sessions
 *   from now on, 0 for no time
 */
void
stok_fake_server_set_termination_delay (StokFakeServer *self,
                                        guint           delay_ms)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));

  self->termination_delay_ms = delay_ms;
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
  g_return_if_fail (spec->fault <= STOK_FAKE_FAULT_LAST);
  g_return_if_fail (spec->fault != STOK_FAKE_FAULT_REFUSE_UPGRADE ||
                    spec->status == 0 || (spec->status >= 200 && spec->status <= 599 &&
                                          spec->status != SOUP_STATUS_SWITCHING_PROTOCOLS));
  /* An Error that no close follows may have no code (0). */
  g_return_if_fail ((spec->fault != STOK_FAKE_FAULT_ERROR_AFTER_BEGIN &&
                     spec->fault != STOK_FAKE_FAULT_ERROR_NO_CLOSE &&
                     spec->fault != STOK_FAKE_FAULT_ERROR_NO_BEGIN) ||
                    stok_fake_close_code_is_sendable (spec->code) ||
                    (spec->code == 0 && spec->fault != STOK_FAKE_FAULT_ERROR_AFTER_BEGIN));

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
  [STOK_FAKE_FAULT_BROKEN_TEXT] = "broken-text",
  [STOK_FAKE_FAULT_BROKEN_BEGIN] = "broken-begin",
  [STOK_FAKE_FAULT_ERROR_NO_CLOSE] = "error-no-close",
  [STOK_FAKE_FAULT_ERROR_NO_BEGIN] = "error-no-begin",
  [STOK_FAKE_FAULT_END_SESSION] = "end-session",
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
