/* stok-fake-session.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One streaming session of the fake server, `/v3/ws` once a token is
 * accepted: the parameters of the upgrade, Begin, audio frames checked
 * for size and pace, voice detected in them, SpeechStarted, partial and
 * final turns, ForceEndpoint, UpdateConfiguration, KeepAlive, Terminate
 * and Termination, the session cap, and the faults a test asks for.
 *
 * It does not recognise speech. Its words are stand-ins whose timings
 * follow the voiced audio, so that a client can be tested on what it
 * does with turns without a speech recogniser in the loop.
 *
 * Where spec/PROTOCOL.md leaves a rule open, the rules[] table of
 * stok-fake-session-rules.c says what the fake does and that it is a
 * guess; README.md carries the same table, printed by `fake-token-server
 * --rules`, and a test keeps the two equal. Everything is measured in
 * audio received, not in wall time, except the pace and the session cap,
 * so that turns are deterministic.
 *
 * The object spans five files, which stok-fake-session-private.h lists;
 * this one is the object, Begin, the session cap and what tests read. */

#define G_LOG_DOMAIN "stok-fake-server"

#include "config.h"

#include "stok-fake-session-private.h"

G_DEFINE_FINAL_TYPE (StokFakeSession, stok_fake_session, G_TYPE_OBJECT)

enum {
  MESSAGE_SENT,
  MESSAGE_RECEIVED,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_stok_fake_session_stop_timers (StokFakeSession *self)
{
  g_clear_handle_id (&self->begin_source_id, g_source_remove);
  g_clear_handle_id (&self->termination_source_id, g_source_remove);
  g_clear_handle_id (&self->fault_source_id, g_source_remove);
  g_clear_handle_id (&self->cap_source_id, g_source_remove);
  g_clear_handle_id (&self->flood_source_id, g_source_remove);
  g_clear_signal_handler (&self->clock_changed_id, self->clock);
}

/* Lets go of the connection, once, and says so: the session keeps what
 * it recorded for the tests that ask afterwards. */
void
_stok_fake_session_finish (StokFakeSession *self,
                           gushort          code,
                           const char      *reason)
{
  g_autoptr(StokFakeSession) hold = NULL;
  g_autoptr(SoupWebsocketConnection) connection = NULL;

  if (self->finished)
    return;

  /* Whoever listens may drop the last reference to the session. */
  hold = g_object_ref (self);
  self->finished = TRUE;
  self->ending = TRUE;
  _stok_fake_session_stop_timers (self);
  connection = g_steal_pointer (&self->connection);
  if (connection != NULL)
    g_signal_handlers_disconnect_by_data (connection, self);

  g_signal_emit (self, signals[CLOSED], 0, (guint) code, reason);
}

static void
stok_fake_session_dispose (GObject *object)
{
  StokFakeSession *self = (StokFakeSession *)object;

  _stok_fake_session_stop_timers (self);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->connection);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (stok_fake_session_parent_class)->dispose (object);
}

static void
stok_fake_session_finalize (GObject *object)
{
  StokFakeSession *self = (StokFakeSession *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->parameters, g_hash_table_unref);
  g_clear_pointer (&self->speech_model, g_free);
  g_clear_pointer (&self->keyterms, json_node_unref);
  g_clear_pointer (&self->fault_reason, g_free);
  g_clear_pointer (&self->frames, g_ptr_array_unref);
  g_clear_pointer (&self->received, g_ptr_array_unref);
  g_clear_pointer (&self->sent, g_ptr_array_unref);
  g_clear_pointer (&self->n_sent_by_type, g_hash_table_unref);
  g_clear_pointer (&self->words, g_array_unref);
  g_clear_pointer (&self->raw_frame, g_bytes_unref);

  G_OBJECT_CLASS (stok_fake_session_parent_class)->finalize (object);
}

static void
stok_fake_session_class_init (StokFakeSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stok_fake_session_dispose;
  object_class->finalize = stok_fake_session_finalize;

  /**
   * StokFakeSession::message-sent:
   * @message: the #StokFakeMessage, valid while the session lives
   *
   * A text frame went to the client. Flood messages are counted but not
   * signalled, nor kept.
   */
  signals[MESSAGE_SENT] =
    g_signal_new ("message-sent",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * StokFakeSession::message-received:
   * @message: the #StokFakeMessage, valid while the session lives
   *
   * A text frame came from the client.
   */
  signals[MESSAGE_RECEIVED] =
    g_signal_new ("message-received",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * StokFakeSession::closed:
   * @code: the close code, 1006 when the connection was dropped
   * @reason: (nullable): the close reason
   *
   * The connection is gone; the session keeps what it recorded.
   */
  signals[CLOSED] =
    g_signal_new ("closed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

static void
stok_fake_session_init (StokFakeSession *self)
{
  self->id = g_uuid_string_random ();
  self->parameters = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->frames = g_ptr_array_new_with_free_func (g_free);
  self->received = g_ptr_array_new_with_free_func (_stok_fake_session_message_free);
  self->sent = g_ptr_array_new_with_free_func (_stok_fake_session_message_free);
  self->n_sent_by_type = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->words = g_array_new (FALSE, FALSE, sizeof (StokFakeWord));
}

gboolean
_stok_fake_session_connection_is_open (StokFakeSession *self)
{
  return self->connection != NULL &&
         soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN;
}

gint64
_stok_fake_session_audio_us (StokFakeSession *self)
{
  gint64 bytes_per_second;

  if (self->sample_rate == 0)
    return 0;

  bytes_per_second = (gint64) self->sample_rate * (self->encoding == STOK_FAKE_ENCODING_PCM_S16LE ? 2 : 1);
  return self->n_bytes * G_USEC_PER_SEC / bytes_per_second;
}

/* The session cap, on the server's clock, so that a test can reach it by
 * moving a manual clock. */

static gboolean session_cap_cb (gpointer user_data);

static void
session_check_cap (StokFakeSession *self)
{
  gint64 left_us;

  if (!self->began || self->ending)
    return;

  left_us = self->begin_clock_us + self->max_session_seconds * G_USEC_PER_SEC - stok_clock_get_time (self->clock);
  if (left_us <= 0)
    {
      g_autofree char *text = g_strdup_printf ("Session expired: the maximum session duration of %" G_GINT64_FORMAT " seconds was reached",
                                               self->max_session_seconds);

      _stok_fake_session_fail (self, STOK_FAKE_CLOSE_SESSION_EXPIRED, text);
      return;
    }

  g_clear_handle_id (&self->cap_source_id, g_source_remove);
  self->cap_source_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (left_us / 1000 + 1, G_MAXUINT),
                                            session_cap_cb, self, NULL);
}

static gboolean
session_cap_cb (gpointer user_data)
{
  StokFakeSession *self = user_data;

  g_assert (STOK_IS_FAKE_SESSION (self));

  self->cap_source_id = 0;
  session_check_cap (self);

  return G_SOURCE_REMOVE;
}

static void
session_clock_changed_cb (StokClock       *clock,
                          StokFakeSession *self)
{
  g_assert (STOK_IS_FAKE_SESSION (self));

  session_check_cap (self);
}

/**
 * stok_fake_session_new:
 * @connection: a connection just upgraded on `/v3/ws`
 * @clock: the server's clock, for the session cap and its duration
 *
 * Returns: (transfer full): a session that has sent nothing yet
 */
StokFakeSession *
stok_fake_session_new (SoupWebsocketConnection *connection,
                       StokClock               *clock)
{
  StokFakeSession *self;

  g_return_val_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection), NULL);
  g_return_val_if_fail (STOK_IS_CLOCK (clock), NULL);

  self = g_object_new (STOK_TYPE_FAKE_SESSION, NULL);
  /* libsoup drops its reference when the handler returns: the session
   * keeps the connection open until it closes. */
  self->connection = g_object_ref (connection);
  self->clock = g_object_ref (clock);
  g_signal_connect (connection, "message", G_CALLBACK (_stok_fake_session_message_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (_stok_fake_session_closed_cb), self);

  return self;
}

const char *
stok_fake_session_get_id (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), NULL);

  return self->id;
}

/**
 * stok_fake_session_is_open:
 * @self: a #StokFakeSession
 *
 * Returns: %TRUE until the connection is closed or dropped
 */
gboolean
stok_fake_session_is_open (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), FALSE);

  return !self->finished;
}

/**
 * stok_fake_session_refuse:
 * @self: a #StokFakeSession
 * @code: the close code, and the Error's code unless it is 1000
 * @text: (nullable): the server's words
 *
 * Ends the session before Begin.
 */
void
stok_fake_session_refuse (StokFakeSession *self,
                          gushort          code,
                          const char      *text)
{
  g_return_if_fail (STOK_IS_FAKE_SESSION (self));

  _stok_fake_session_fail (self, code, text);
}

void
stok_fake_session_set_max_session_seconds (StokFakeSession *self,
                                           gint64           seconds)
{
  g_return_if_fail (STOK_IS_FAKE_SESSION (self));

  self->max_session_seconds = seconds;
}

static void
append_configuration (StokFakeSession *self,
                      GString         *out)
{
  g_string_append (out, "{\"speech_model\":");
  _stok_fake_session_append_string (out, self->speech_model);
  g_string_append_printf (out, ",\"sample_rate\":%u,\"encoding\":", self->sample_rate);
  _stok_fake_session_append_string (out, self->encoding == STOK_FAKE_ENCODING_PCM_S16LE ? "pcm_s16le" : "pcm_mulaw");
  g_string_append_printf (out, ",\"format_turns\":%s,\"end_of_turn_confidence_threshold\":",
                          self->format_turns ? "true" : "false");
  _stok_fake_session_append_fraction (out, self->threshold);
  g_string_append_printf (out, ",\"min_turn_silence\":%" G_GINT64_FORMAT ",\"max_turn_silence\":%" G_GINT64_FORMAT,
                          self->min_silence_ms, self->max_silence_ms);
  if (self->keyterms != NULL)
    {
      g_autofree char *terms = json_to_string (self->keyterms, FALSE);

      g_string_append (out, ",\"keyterms_prompt\":");
      g_string_append (out, terms);
    }
  g_string_append_c (out, '}');
}

static void
session_send_begin (StokFakeSession *self)
{
  g_autoptr(GString) text = g_string_new ("{\"type\":\"Begin\",\"id\":");

  if (self->ending || self->fault.fault == STOK_FAKE_FAULT_NO_BEGIN)
    return;
  if (self->fault.fault == STOK_FAKE_FAULT_BROKEN_BEGIN)
    {
      _stok_fake_session_send_broken_text (self);
      return;
    }
  if (self->fault.fault == STOK_FAKE_FAULT_ERROR_NO_BEGIN)
    {
      _stok_fake_session_send_error (self, self->fault.code, self->fault_reason);
      return;
    }

  self->began = TRUE;
  self->begin_clock_us = stok_clock_get_time (self->clock);
  self->begin_sent_us = g_get_monotonic_time ();

  _stok_fake_session_append_string (text, self->id);
  /* Unix time on the wire, so the wall clock rather than the server's
   * own, which only measures redemption windows and session caps. */
  g_string_append_printf (text, ",\"expires_at\":%" G_GINT64_FORMAT ",\"configuration\":",
                          g_get_real_time () / G_USEC_PER_SEC + self->max_session_seconds);
  append_configuration (self, text);
  g_string_append_c (text, '}');
  _stok_fake_session_send (self, "Begin", text->str, TRUE);

  self->clock_changed_id = g_signal_connect (self->clock, "changed",
                                             G_CALLBACK (session_clock_changed_cb), self);
  session_check_cap (self);

  if (self->fault.after_frames > 0)
    return;
  if (self->fault.after_ms > 0)
    self->fault_source_id = g_timeout_add (self->fault.after_ms, _stok_fake_session_fault_cb, self);
  else
    _stok_fake_session_fire_fault (self);
}

static gboolean
session_begin_cb (gpointer user_data)
{
  StokFakeSession *self = user_data;

  g_assert (STOK_IS_FAKE_SESSION (self));

  self->begin_source_id = 0;
  session_send_begin (self);

  return G_SOURCE_REMOVE;
}

/**
 * stok_fake_session_set_termination_delay:
 * @self: a #StokFakeSession
 * @delay_ms: how long Termination takes after Terminate, 0 for no time
 *
 * As a server that flushes a long last turn does.
 */
void
stok_fake_session_set_termination_delay (StokFakeSession *self,
                                         guint            delay_ms)
{
  g_return_if_fail (STOK_IS_FAKE_SESSION (self));

  self->termination_delay_ms = delay_ms;
}

/**
 * stok_fake_session_begin:
 * @self: a configured #StokFakeSession
 * @delay_ms: how long to hold Begin back, 0 for none
 */
void
stok_fake_session_begin (StokFakeSession *self,
                         guint            delay_ms)
{
  g_return_if_fail (STOK_IS_FAKE_SESSION (self));

  if (delay_ms > 0)
    self->begin_source_id = g_timeout_add (delay_ms, session_begin_cb, self);
  else
    session_send_begin (self);
}

/**
 * stok_fake_session_abandon:
 * @self: a #StokFakeSession
 *
 * Ends the session as a server going away does, so that the client under
 * test is not left waiting.
 */
void
stok_fake_session_abandon (StokFakeSession *self)
{
  g_return_if_fail (STOK_IS_FAKE_SESSION (self));

  _stok_fake_session_stop_timers (self);
  self->ending = TRUE;
  if (_stok_fake_session_connection_is_open (self))
    soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  _stok_fake_session_finish (self, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
}

/**
 * stok_fake_session_get_parameter:
 * @self: a #StokFakeSession
 * @name: a parameter such as `sample_rate`
 *
 * Returns: (nullable): its effective value as text, after any
 *   UpdateConfiguration, or %NULL if the session has none
 */
const char *
stok_fake_session_get_parameter (StokFakeSession *self,
                                 const char      *name)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->parameters, name);
}

gint64
stok_fake_session_get_begin_sent_us (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), 0);

  return self->begin_sent_us;
}

GPtrArray *
stok_fake_session_get_audio_frames (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), NULL);

  return self->frames;
}

gint64
stok_fake_session_get_audio_received_us (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), 0);

  return _stok_fake_session_audio_us (self);
}

GPtrArray *
stok_fake_session_get_received (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), NULL);

  return self->received;
}

GPtrArray *
stok_fake_session_get_sent (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), NULL);

  return self->sent;
}

guint
stok_fake_session_count_sent (StokFakeSession *self,
                              const char      *type)
{
  GHashTableIter iter;
  gpointer count;
  guint total = 0;

  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), 0);

  if (type != NULL)
    return GPOINTER_TO_UINT (g_hash_table_lookup (self->n_sent_by_type, type));

  g_hash_table_iter_init (&iter, self->n_sent_by_type);
  while (g_hash_table_iter_next (&iter, NULL, &count))
    total += GPOINTER_TO_UINT (count);

  return total;
}

guint
stok_fake_session_get_n_final_turns (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), 0);

  return self->n_final_turns;
}


void
_stok_fake_session_emit_message_sent (StokFakeSession *self,
                                      StokFakeMessage *message)
{
  g_signal_emit (self, signals[MESSAGE_SENT], 0, message);
}

void
_stok_fake_session_emit_message_received (StokFakeSession *self,
                                          StokFakeMessage *message)
{
  g_signal_emit (self, signals[MESSAGE_RECEIVED], 0, message);
}
