/* stok-session.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A streaming session: the WebSocket a token opens on /v3/ws of the host
 * that minted it, from connecting to one outcome, completed, refused or
 * failed. Every message is kept with its time, turns are a GListModel
 * that changes in place as partials grow, and the latencies a developer
 * tunes a voice agent by are measured on the way. Audio is fed in by the
 * caller, frame by frame (see StokAudioSource); without audio, with
 * StokSession:verify, the session ends at once after Begin: that is what
 * Verify does.
 *
 * The app's side of the protocol is here; what the server's messages
 * mean for the user is in stok-session-ending.c. */

#define G_LOG_DOMAIN "stok-session"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "stok-error.h"
#include "stok-json.h"
#include "stok-params.h"
#include "stok-session-private.h"

G_DEFINE_FINAL_TYPE (StokSession, stok_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (StokSessionState, stok_session_state,
  G_DEFINE_ENUM_VALUE (STOK_SESSION_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (STOK_SESSION_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (STOK_SESSION_STATE_STREAMING, "streaming"),
  G_DEFINE_ENUM_VALUE (STOK_SESSION_STATE_ENDING, "ending"),
  G_DEFINE_ENUM_VALUE (STOK_SESSION_STATE_ENDED, "ended"))

G_DEFINE_ENUM_TYPE (StokSessionOutcome, stok_session_outcome,
  G_DEFINE_ENUM_VALUE (STOK_SESSION_OUTCOME_NONE, "none"),
  G_DEFINE_ENUM_VALUE (STOK_SESSION_OUTCOME_COMPLETED, "completed"),
  G_DEFINE_ENUM_VALUE (STOK_SESSION_OUTCOME_REFUSED, "refused"),
  G_DEFINE_ENUM_VALUE (STOK_SESSION_OUTCOME_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (STOK_SESSION_OUTCOME_CANCELLED, "cancelled"))


static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
stok_session_dispose (GObject *object)
{
  StokSession *self = (StokSession *)object;

  g_clear_handle_id (&self->begin_timeout_id, g_source_remove);
  g_clear_handle_id (&self->termination_timeout_id, g_source_remove);
  g_clear_handle_id (&self->grace_id, g_source_remove);
  g_clear_handle_id (&self->close_wait_id, g_source_remove);
  if (self->user_cancellable != NULL)
    g_cancellable_disconnect (self->user_cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->user_cancellable);
  g_clear_object (&self->cancellable);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->connection);
  g_clear_object (&self->message);
  g_clear_object (&self->client);
  g_clear_object (&self->token);
  g_clear_object (&self->params);
  if (self->source != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->source, self);
      stok_audio_source_stop (self->source);
    }
  g_clear_object (&self->source);

  G_OBJECT_CLASS (stok_session_parent_class)->dispose (object);
}

static void
stok_session_finalize (GObject *object)
{
  StokSession *self = (StokSession *)object;

  g_clear_object (&self->messages);
  g_clear_object (&self->turns);
  g_clear_pointer (&self->unannounced, g_ptr_array_unref);
  g_clear_pointer (&self->turn_latencies, g_array_unref);
  g_clear_pointer (&self->frame_sent_us, g_array_unref);
  g_clear_pointer (&self->controls, g_array_unref);
  g_clear_pointer (&self->levels, g_array_unref);
  g_clear_pointer (&self->speech_started_ms, g_array_unref);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->http_reason, g_free);
  g_clear_pointer (&self->close_reason, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_error (&self->error);
  g_clear_error (&self->source_error);

  G_OBJECT_CLASS (stok_session_parent_class)->finalize (object);
}

static void
stok_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  StokSession *self = STOK_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_OUTCOME:
      g_value_set_enum (value, self->outcome);
      break;

    case PROP_SESSION_ID:
      g_value_set_string (value, self->session_id);
      break;

    case PROP_AUDIO_SENT:
      g_value_set_int64 (value, self->audio_sent_us);
      break;

    case PROP_VERIFY:
      g_value_set_boolean (value, self->verify);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_session_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  StokSession *self = STOK_SESSION (object);

  switch (prop_id)
    {
    case PROP_VERIFY:
      stok_session_set_verify (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_session_class_init (StokSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stok_session_dispose;
  object_class->finalize = stok_session_finalize;
  object_class->get_property = stok_session_get_property;
  object_class->set_property = stok_session_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       STOK_TYPE_SESSION_STATE, STOK_SESSION_STATE_IDLE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_OUTCOME] =
    g_param_spec_enum ("outcome", NULL, NULL,
                       STOK_TYPE_SESSION_OUTCOME, STOK_SESSION_OUTCOME_NONE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SESSION_ID] =
    g_param_spec_string ("session-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSession:audio-sent:
   *
   * Microseconds of audio sent so far.
   */
  properties[PROP_AUDIO_SENT] =
    g_param_spec_int64 ("audio-sent", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSession:verify:
   *
   * Whether the session ends with Terminate as soon as it began, without
   * audio: Verify.
   */
  properties[PROP_VERIFY] =
    g_param_spec_boolean ("verify", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StokSession::message:
   * @message: the message, sent or received, or an event
   * @parsed: (nullable): the message as JSON, when it was a JSON object
   *
   * Emitted for every message, audio frames excepted, as it goes or comes.
   */
  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, STOK_TYPE_SESSION_MESSAGE, JSON_TYPE_NODE);

  /**
   * StokSession::turn-ended:
   * @turn: a final turn
   *
   * Emitted once for each final turn: with format_turns, when its
   * formatted copy came (or when it is clear none will).
   */
  signals[TURN_ENDED] =
    g_signal_new ("turn-ended",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, STOK_TYPE_TURN);

  /**
   * StokSession::figures-changed:
   *
   * Emitted when a latency figure was measured; see
   * stok_session_get_figures().
   */
  signals[FIGURES_CHANGED] =
    g_signal_new ("figures-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
stok_session_init (StokSession *self)
{
  self->messages = g_list_store_new (STOK_TYPE_SESSION_MESSAGE);
  self->turns = g_list_store_new (STOK_TYPE_TURN);
  self->unannounced = g_ptr_array_new_with_free_func (g_object_unref);
  self->turn_latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->frame_sent_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->controls = g_array_new (FALSE, FALSE, sizeof (StokSessionControl));
  self->levels = g_array_new (FALSE, FALSE, sizeof (gint8));
  self->speech_started_ms = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->begin_timeout_ms = STOK_SESSION_BEGIN_TIMEOUT_MS;
  self->termination_timeout_ms = STOK_SESSION_TERMINATION_TIMEOUT_MS;
  self->started_us = -1;
  self->began_us = -1;
  self->first_audio_us = -1;
  self->first_partial_us = -1;
  self->end_audio_us = -1;
  self->end_audio_final_us = -1;
  self->force_us = -1;
  self->force_final_us = -1;
  self->terminate_us = -1;
  self->termination_us = -1;
  self->error_code = -1;
  self->server_audio_seconds = -1;
  self->server_session_seconds = -1;
}

/**
 * stok_session_new:
 * @client: the client whose HTTP session to use
 * @token: the token to redeem; it records the server that minted it
 * @params: (nullable): the connection's parameters, copied; %NULL for the
 *   defaults
 *
 * Returns: (transfer full): a session, not yet connected
 */
StokSession *
stok_session_new (StokTokenClient  *client,
                  StokToken        *token,
                  StokStreamParams *params)
{
  StokSession *self;
  const char *encoding;
  guint rate;

  g_return_val_if_fail (STOK_IS_TOKEN_CLIENT (client), NULL);
  g_return_val_if_fail (STOK_IS_TOKEN (token), NULL);
  g_return_val_if_fail (!params || STOK_IS_STREAM_PARAMS (params), NULL);

  self = g_object_new (STOK_TYPE_SESSION, NULL);
  self->client = g_object_ref (client);
  self->token = g_object_ref (token);
  self->params = params != NULL ? stok_stream_params_copy (params) : stok_stream_params_new ();
  self->format_turns = g_strcmp0 (stok_stream_params_get (self->params, "format_turns"), "true") == 0;

  rate = stok_stream_params_get_sample_rate (self->params);
  encoding = stok_stream_params_get_encoding (self->params);
  self->bytes_per_second = rate * (g_str_equal (encoding, "pcm_mulaw") ? 1 : 2);

  return self;
}

StokToken *
stok_session_get_token (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  return self->token;
}

/**
 * stok_session_get_params:
 * @self: a #StokSession
 *
 * Returns: (transfer none): the parameters the session connects with
 */
StokStreamParams *
stok_session_get_params (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  return self->params;
}

/**
 * stok_session_get_uri:
 * @self: a #StokSession
 *
 * Returns: (nullable): the WebSocket URI, token included, once running
 */
const char *
stok_session_get_uri (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  return self->uri;
}

gboolean
stok_session_get_verify (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), FALSE);

  return self->verify;
}

void
stok_session_set_verify (StokSession *self,
                         gboolean     verify)
{
  g_return_if_fail (STOK_IS_SESSION (self));
  g_return_if_fail (self->state == STOK_SESSION_STATE_IDLE);

  if (self->verify == !!verify)
    return;

  self->verify = !!verify;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFY]);
}

/**
 * stok_session_set_timeouts:
 * @self: a #StokSession, not yet running
 * @begin_ms: how long to wait for Begin, from connecting
 * @termination_ms: how long to wait for Termination, from Terminate
 *
 * Tests shorten the 10 s waits with this.
 */
void
stok_session_set_timeouts (StokSession *self,
                           guint        begin_ms,
                           guint        termination_ms)
{
  g_return_if_fail (STOK_IS_SESSION (self));
  g_return_if_fail (begin_ms > 0 && termination_ms > 0);

  self->begin_timeout_ms = begin_ms;
  self->termination_timeout_ms = termination_ms;
}

gint64
_stok_session_now (StokSession *self)
{
  return g_get_monotonic_time () - self->started_us;
}

void
_stok_session_set_state (StokSession      *self,
                         StokSessionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Keeps @message for the inspector, dropping the oldest past the cap,
 * and tells whoever prints messages as they come. */
void
_stok_session_record (StokSession   *self,
                      StokDirection  direction,
                      const char    *kind,
                      const char    *text,
                      gsize          size,
                      JsonNode      *parsed)
{
  g_autoptr(StokSessionMessage) message = NULL;

  message = stok_session_message_new (direction, _stok_session_now (self), kind, text, size);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->messages)) >= STOK_SESSION_MAX_MESSAGES)
    {
      g_list_store_splice (self->messages, 0, STOK_SESSION_DROP_MESSAGES, NULL, 0);
      self->n_dropped += STOK_SESSION_DROP_MESSAGES;
    }
  g_list_store_append (self->messages, message);

  g_signal_emit (self, signals[MESSAGE], 0, message, parsed);
}

void
_stok_session_record_event (StokSession *self,
                            const char  *kind,
                            const char  *text)
{
  _stok_session_record (self, STOK_DIRECTION_EVENT, kind, text, strlen (text), NULL);
}

void
_stok_session_notify (StokSession *self,
                      guint        prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
_stok_session_emit_turn_ended (StokSession *self,
                               StokTurn    *turn)
{
  g_signal_emit (self, signals[TURN_ENDED], 0, turn);
}

void
_stok_session_emit_figures_changed (StokSession *self)
{
  g_signal_emit (self, signals[FIGURES_CHANGED], 0);
}

gboolean
_stok_session_is_open (StokSession *self)
{
  return self->connection != NULL &&
         soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN;
}

/* A server that does not answer the app's close still has the socket
 * open, and the session billed: close it, and end the session here. */
static gboolean
close_wait_cb (gpointer user_data)
{
  StokSession *self = user_data;

  g_assert (STOK_IS_SESSION (self));

  self->close_wait_id = 0;
  _stok_session_record_event (self, "timeout", _("No answer to the close: closing the socket"));
  g_io_stream_close_async (soup_websocket_connection_get_io_stream (self->connection),
                           G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  _stok_session_finish (self);

  return G_SOURCE_REMOVE;
}

void
_stok_session_close_connection (StokSession *self)
{
  if (!_stok_session_is_open (self))
    return;

  self->close_sent = TRUE;
  soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  if (self->close_wait_id == 0)
    self->close_wait_id = g_timeout_add (STOK_SESSION_CLOSE_WAIT_MS, close_wait_cb, self);
}

static void
error_cb (SoupWebsocketConnection *connection,
          GError                  *error,
          StokSession             *self)
{
  g_assert (STOK_IS_SESSION (self));

  /* libsoup closes at once after a message over its limit, with no
   * close code from the server: say that the limit was ours. */
  if (g_error_matches (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_CLOSE_TOO_BIG))
    self->too_big = TRUE;
  /* Any other frame libsoup rejects while the connection is open makes
   * it close with a code of its own, which the server then echoes: the
   * close is the app's, not the server's verdict on the token. But a
   * close frame that came first is the server's, even one whose code
   * libsoup 3.2 rejects (1012 to 1014, which servers send). */
  else if (error->domain == SOUP_WEBSOCKET_ERROR &&
           soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN &&
           self->broken_frame_code == 0 && self->rejected_close_code == 0)
    {
      gushort peer_code = soup_websocket_connection_get_close_code (connection);

      if (peer_code != 0)
        self->rejected_close_code = peer_code;
      else
        self->broken_frame_code = (gushort) error->code;
    }

  _stok_session_record_event (self, "error", error->message);
}

static void
closed_cb (SoupWebsocketConnection *connection,
           StokSession             *self)
{
  g_autofree char *event = NULL;
  const char *reason = soup_websocket_connection_get_close_data (connection);

  g_assert (STOK_IS_SESSION (self));

  self->close_code = soup_websocket_connection_get_close_code (connection);
  /* libsoup keeps no reason with a code it rejects, and the server's
   * echo of its answer would stand as the server's code. */
  if (self->rejected_close_code != 0)
    {
      self->close_code = self->rejected_close_code;
      reason = NULL;
    }
  self->close_received = self->close_code != 0 && !self->close_sent && self->broken_frame_code == 0;
  g_free (self->close_reason);
  self->close_reason = reason != NULL && *reason != '\0' ? stok_dup_printable (reason, -1) : NULL;

  /* Which side closed, with its code; with no close frame at all, 1006
   * as the protocol calls it: the app's own close unanswered (libsoup
   * closes at once for a message over the app's limit), or a connection
   * that dropped. */
  if (self->close_code == 0 && (self->close_sent || self->too_big))
    event = g_strdup (_("closed by this app, with no answer to its close frame (1006)"));
  else if (self->close_code == 0)
    event = g_strdup (_("closed with no close frame (1006): the connection dropped"));
  else if (self->close_received)
    /* Translators: %u is a WebSocket close code, %s the server's reason
     * after a space, or nothing */
    event = g_strdup_printf (_("closed by the server: %u%s%s"), self->close_code,
                             self->close_reason != NULL ? " " : "",
                             self->close_reason != NULL ? self->close_reason : "");
  else
    /* Translators: %u is a WebSocket close code, %s a reason after a
     * space, or nothing */
    event = g_strdup_printf (_("closed by this app: %u%s%s"), self->close_code,
                             self->close_reason != NULL ? " " : "",
                             self->close_reason != NULL ? self->close_reason : "");
  _stok_session_record_event (self, "closed", event);
  _stok_session_finish (self);
}

static gboolean
begin_timeout_cb (gpointer user_data)
{
  StokSession *self = user_data;

  g_assert (STOK_IS_SESSION (self));

  self->begin_timeout_id = 0;
  self->begin_timed_out = TRUE;
  _stok_session_record_event (self, "timeout", _("No Begin in time: closing"));
  g_cancellable_cancel (self->cancellable);
  _stok_session_close_connection (self);

  return G_SOURCE_REMOVE;
}

static void
request_sent_cb (StokSession *self)
{
  g_assert (STOK_IS_SESSION (self));

  self->request_sent = TRUE;
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(StokSession) self = user_data;
  g_autoptr(GError) error = NULL;
  guint status;

  self->connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (self->connection == NULL)
    {
      status = soup_message_get_status (self->message);

      /* The server answered, but not with a WebSocket: it refused the
       * token at the door. */
      if (!self->begin_timed_out && !self->cancelled &&
          status >= 300 && status != SOUP_STATUS_SWITCHING_PROTOCOLS)
        {
          g_autofree char *event = NULL;

          self->http_status = status;
          self->http_reason = g_strdup (soup_message_get_reason_phrase (self->message));
          event = g_strdup_printf ("HTTP %u %s", status, self->http_reason != NULL ? self->http_reason : "");
          _stok_session_record_event (self, "refused", event);
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->begin_timed_out)
        {
          g_autofree char *peer = g_strdup_printf (_("the streaming server %s"), self->server);

          self->error = stok_error_new_from_transport (error, peer, self->begin_timed_out);
          _stok_session_record_event (self, "error", self->error->message);
        }

      _stok_session_finish (self);
      return;
    }

  self->upgraded = TRUE;
  soup_websocket_connection_set_max_incoming_payload_size (self->connection, STOK_SESSION_MAX_MESSAGE);
  _stok_session_record_event (self, "connected", "connected");

  g_signal_connect (self->connection, "message", G_CALLBACK (_stok_session_message_cb), self);
  g_signal_connect (self->connection, "error", G_CALLBACK (error_cb), self);
  g_signal_connect (self->connection, "closed", G_CALLBACK (closed_cb), self);

  if (self->cancelled || self->begin_timed_out)
    _stok_session_close_connection (self);
}

/* A turn still partial when the session ends never will be final. */
static void
mark_cut_off (StokSession *self)
{
  GListModel *turns = G_LIST_MODEL (self->turns);
  guint n = g_list_model_get_n_items (turns);
  g_autoptr(StokTurn) last = n > 0 ? g_list_model_get_item (turns, n - 1) : NULL;

  if (last != NULL && !stok_turn_get_end_of_turn (last))
    stok_turn_set_cut_off (last);
}

/* Decides the outcome once the connection has closed, or never opened,
 * and ends the run. */
void
_stok_session_finish (StokSession *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  StokSessionOutcome outcome;

  if (self->state == STOK_SESSION_STATE_ENDED)
    return;

  g_clear_handle_id (&self->begin_timeout_id, g_source_remove);
  g_clear_handle_id (&self->termination_timeout_id, g_source_remove);
  g_clear_handle_id (&self->grace_id, g_source_remove);
  g_clear_handle_id (&self->close_wait_id, g_source_remove);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  _stok_session_stop_source (self);

  _stok_session_announce_pending (self);
  mark_cut_off (self);

  /* A Termination before Begin ended no session, and one after an
   * Error does not undo it. One the app did not ask for ended the
   * session before the audio did, or before the user did: a failure,
   * explained as the server's own ending. */
  if (_stok_session_get_terminated_cleanly (self, TRUE))
    outcome = STOK_SESSION_OUTCOME_COMPLETED;
  else if (self->began)
    outcome = self->cancelled && !self->close_received && !self->error_received
              ? STOK_SESSION_OUTCOME_CANCELLED : STOK_SESSION_OUTCOME_FAILED;
  else if (self->begin_timed_out)
    outcome = STOK_SESSION_OUTCOME_FAILED;
  else if (self->http_status != 0 || self->close_received || self->error_received)
    outcome = STOK_SESSION_OUTCOME_REFUSED;
  else if (self->cancelled && !self->begin_timed_out)
    outcome = STOK_SESSION_OUTCOME_CANCELLED;
  else
    outcome = STOK_SESSION_OUTCOME_FAILED;

  /* A token the server refused can open no session; one that opened a
   * session, whatever came next, is used up, and so is one the server
   * took with the connection, even if no Begin came. A refusal of
   * something else leaves the token as it was. */
  if (outcome == STOK_SESSION_OUTCOME_REFUSED)
    {
      if (_stok_session_refusal_judges_token (self))
        stok_token_set_redeemed (self->token, FALSE);
    }
  else if (self->connection != NULL && !self->began)
    stok_token_set_redeemed (self->token, TRUE);

  self->outcome = outcome;
  g_debug ("Session ended: %s", stok_session_outcome_to_string (outcome));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
  _stok_session_set_state (self, STOK_SESSION_STATE_ENDED);

  if (task == NULL)
    return;

  switch (outcome)
    {
    case STOK_SESSION_OUTCOME_COMPLETED:
      g_task_return_boolean (task, TRUE);
      break;

    case STOK_SESSION_OUTCOME_CANCELLED:
      {
        g_autofree char *ending = stok_session_dup_ending (self);

        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", ending);
      }
      break;

    case STOK_SESSION_OUTCOME_REFUSED:
      {
        g_autofree char *ending = stok_session_dup_ending (self);

        g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_TOKEN_REFUSED, "%s", ending);
      }
      break;

    case STOK_SESSION_OUTCOME_FAILED:
      {
        g_autofree char *ending = stok_session_dup_ending (self);

        if (self->error != NULL && !self->began)
          g_task_return_error (task, g_error_copy (self->error));
        else if (self->begin_timed_out)
          g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_TIMEOUT, "%s", ending);
        else
          g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_SESSION_FAILED, "%s", ending);
      }
      break;

    case STOK_SESSION_OUTCOME_NONE:
    default:
      g_assert_not_reached ();
    }
}

/**
 * stok_session_run_async:
 * @self: a #StokSession, not yet run
 * @cancellable: (nullable): cancelling ends the session as
 *   stok_session_close() does, Termination given a second
 * @callback: called once the session has ended and its socket is closed
 * @user_data: data for @callback
 *
 * Connects, and runs the session to its outcome. Feed it audio with
 * stok_session_send_audio() once it is streaming (StokSession:state).
 */
void
stok_session_run_async (StokSession         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GUri) server = NULL;
  g_autoptr(GError) error = NULL;
  const char *server_text;

  g_return_if_fail (STOK_IS_SESSION (self));
  g_return_if_fail (self->state == STOK_SESSION_STATE_IDLE);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, stok_session_run_async);
  /* Cancellation is reported once the socket has closed, not before. */
  g_task_set_check_cancellable (self->task, FALSE);

  self->started_us = g_get_monotonic_time ();
  self->cancellable = g_cancellable_new ();
  _stok_session_set_state (self, STOK_SESSION_STATE_CONNECTING);

  /* Stopped before it started: not a byte is sent, not a token spent. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      self->cancelled = TRUE;
      _stok_session_finish (self);
      return;
    }

  server_text = stok_token_get_server (self->token);
  server = stok_params_parse_server (server_text != NULL ? server_text : STOK_DEFAULT_SERVER, &error);
  if (server == NULL)
    {
      self->error = g_steal_pointer (&error);
      _stok_session_finish (self);
      return;
    }

  self->server = g_uri_to_string_partial (server, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
  self->uri = stok_stream_params_build_uri (self->params, server, stok_token_get_token (self->token));
  self->message = soup_message_new (SOUP_METHOD_GET, self->uri);
  soup_message_add_flags (self->message, SOUP_MESSAGE_NO_REDIRECT);

  if (cancellable != NULL)
    {
      self->user_cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (_stok_session_user_cancelled_cb),
                                                  self, NULL);
    }

  self->begin_timeout_id = g_timeout_add (self->begin_timeout_ms, begin_timeout_cb, self);
  g_signal_connect_object (self->message, "wrote-headers", G_CALLBACK (request_sent_cb), self, G_CONNECT_SWAPPED);

  g_debug ("Opening a session on %s", self->server);

  /* The task holds the session until it ends; the callback holds it
   * while the connection is being made. */
  soup_session_websocket_connect_async (stok_token_client_get_soup_session (self->client, server),
                                        self->message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->cancellable, connect_cb, g_object_ref (self));
}

/**
 * stok_session_run_finish:
 * @self: a #StokSession
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the session completed with Termination; otherwise
 *   @error says how it ended: %STOK_ERROR_TOKEN_REFUSED,
 *   %STOK_ERROR_SESSION_FAILED, a connection error, or
 *   %G_IO_ERROR_CANCELLED. StokSession:outcome and
 *   stok_session_dup_ending() say the same at any time.
 */
gboolean
stok_session_run_finish (StokSession   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stok_session_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
