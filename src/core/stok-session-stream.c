/* stok-session-stream.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a streaming session sends and what it makes of what comes back:
 * audio frames and the control messages (Terminate, ForceEndpoint,
 * UpdateConfiguration, KeepAlive), and the server's messages, turned into
 * the session's state, its turns and its latency figures. */

#define G_LOG_DOMAIN "stok-session"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "stok-error.h"
#include "stok-json.h"
#include "stok-session-private.h"

static void
send_text (StokSession *self,
           const char  *text)
{
  g_autoptr(JsonNode) parsed = stok_json_parse (text, strlen (text), NULL);
  const char *kind = NULL;

  if (parsed != NULL && JSON_NODE_HOLDS_OBJECT (parsed))
    kind = stok_json_get_string (json_node_get_object (parsed), "type");

  soup_websocket_connection_send_text (self->connection, text);
  _stok_session_record (self, STOK_DIRECTION_SENT, kind, text, strlen (text), parsed);

  /* Kept apart from the messages, whose oldest go in a long session: the
   * timeline places each where it was sent. */
  if (kind != NULL)
    {
      const char *controls[] = { "ForceEndpoint", "UpdateConfiguration", "Terminate" };

      for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
        if (g_str_equal (kind, controls[i]))
          {
            StokSessionControl control = { _stok_session_now (self), controls[i] };

            g_array_append_val (self->controls, control);
          }
    }
}

static gboolean
termination_timeout_cb (gpointer user_data)
{
  StokSession *self = user_data;

  g_assert (STOK_IS_SESSION (self));

  self->termination_timeout_id = 0;
  self->termination_timed_out = TRUE;
  _stok_session_record_event (self, "timeout", _("No Termination in time: closing"));
  _stok_session_close_connection (self);

  return G_SOURCE_REMOVE;
}

/**
 * stok_session_terminate:
 * @self: a #StokSession
 *
 * Ends the session politely: Terminate, after which the server sends its
 * last turns and Termination, and closes. Before Begin, there is nothing
 * to terminate yet, so the connection is closed instead.
 *
 * Returns: %TRUE if Terminate was sent
 */
gboolean
stok_session_terminate (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), FALSE);

  if (self->state == STOK_SESSION_STATE_CONNECTING && !self->began)
    {
      self->cancelled = TRUE;
      g_cancellable_cancel (self->cancellable);
      _stok_session_close_connection (self);
      return FALSE;
    }

  if (self->state != STOK_SESSION_STATE_STREAMING || self->terminate_sent || !_stok_session_is_open (self))
    return FALSE;

  self->terminate_sent = TRUE;
  self->terminate_us = _stok_session_now (self);
  _stok_session_stop_source (self);
  send_text (self, "{\"type\":\"Terminate\"}");
  _stok_session_set_state (self, STOK_SESSION_STATE_ENDING);
  self->termination_timeout_id = g_timeout_add (self->termination_timeout_ms,
                                                termination_timeout_cb, self);

  return TRUE;
}

/**
 * stok_session_force_endpoint:
 * @self: a #StokSession
 *
 * Ends the current turn now. With no turn under way there is nothing to
 * end: a ForceEndpoint then would be charged to the next turn, ended by
 * the server's own detection, perhaps much later.
 *
 * Returns: %TRUE if ForceEndpoint was sent
 */
gboolean
stok_session_force_endpoint (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), FALSE);

  if (self->state != STOK_SESSION_STATE_STREAMING || !_stok_session_is_open (self) ||
      !stok_session_get_turn_open (self))
    return FALSE;

  self->force_us = _stok_session_now (self);
  send_text (self, "{\"type\":\"ForceEndpoint\"}");

  return TRUE;
}

/**
 * stok_session_update_configuration:
 * @self: a #StokSession
 * @changes: the turn parameters to change, and only those
 * @error: return location for a #GError
 *
 * Returns: %TRUE if UpdateConfiguration was sent
 */
gboolean
stok_session_update_configuration (StokSession       *self,
                                   StokStreamParams  *changes,
                                   GError           **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (STOK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (changes), FALSE);

  if (self->state != STOK_SESSION_STATE_STREAMING || !_stok_session_is_open (self))
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                           _("The session is not running: there is nothing to change."));
      return FALSE;
    }

  text = stok_stream_params_build_update (changes, error);
  if (text == NULL)
    return FALSE;

  send_text (self, text);
  return TRUE;
}

/**
 * stok_session_keep_alive:
 * @self: a #StokSession
 *
 * Tells the server the client is there, for sessions opened with an
 * inactivity_timeout.
 *
 * Returns: %TRUE if KeepAlive was sent
 */
gboolean
stok_session_keep_alive (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), FALSE);

  if (self->state != STOK_SESSION_STATE_STREAMING || !_stok_session_is_open (self))
    return FALSE;

  send_text (self, "{\"type\":\"KeepAlive\"}");
  return TRUE;
}

/**
 * stok_session_send_audio:
 * @self: a #StokSession
 * @frame: mono audio in the session's encoding and rate, 50 to 1000 ms
 * @level_db: its level in dBFS, for the timeline
 *
 * Returns: %TRUE if the frame was sent: the session is streaming and has
 *   not been told to end
 */
gboolean
stok_session_send_audio (StokSession *self,
                         GBytes      *frame,
                         double       level_db)
{
  gint64 sent_us;
  gint8 level;
  gsize size;

  g_return_val_if_fail (STOK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);

  if (self->state != STOK_SESSION_STATE_STREAMING || self->terminate_sent || !_stok_session_is_open (self))
    return FALSE;

  size = g_bytes_get_size (frame);
  soup_websocket_connection_send_binary (self->connection, g_bytes_get_data (frame, NULL), size);

  sent_us = _stok_session_now (self);
  if (self->first_audio_us < 0)
    {
      self->first_audio_us = sent_us;
      self->frame_us = (gint64) size * G_USEC_PER_SEC / MAX (self->bytes_per_second, 1);
    }
  g_array_append_val (self->frame_sent_us, sent_us);
  level = (gint8) CLAMP (level_db, -127.0, 0.0);
  g_array_append_val (self->levels, level);

  self->n_frames++;
  self->audio_bytes += size;
  self->audio_sent_us = (gint64) (self->audio_bytes * G_USEC_PER_SEC / MAX (self->bytes_per_second, 1));
  _stok_session_notify (self, PROP_AUDIO_SENT);

  return TRUE;
}

/**
 * stok_session_end_audio:
 * @self: a #StokSession
 *
 * Says that the last frame was sent: the session then ends with
 * Terminate, and the time from here to the last final turn is measured.
 */
void
stok_session_end_audio (StokSession *self)
{
  g_return_if_fail (STOK_IS_SESSION (self));

  if (self->audio_ended)
    return;

  self->audio_ended = TRUE;
  self->end_audio_us = _stok_session_now (self);
  stok_session_terminate (self);
}

/**
 * stok_session_get_audio_sent_at:
 * @self: a #StokSession
 * @audio_us: a time in the audio, from its start
 *
 * Returns: when the frame holding @audio_us was sent, in microseconds
 *   since the session started, or -1
 */
gint64
stok_session_get_audio_sent_at (StokSession *self,
                                gint64       audio_us)
{
  gint64 index;

  g_return_val_if_fail (STOK_IS_SESSION (self), -1);

  if (self->frame_sent_us->len == 0 || self->frame_us <= 0 || audio_us < 0)
    return -1;

  index = MIN (audio_us / self->frame_us, (gint64) self->frame_sent_us->len - 1);
  return g_array_index (self->frame_sent_us, gint64, index);
}

/* Announces the turns held back from the first on, while they have
 * their formatted copies, or all of them: in their order, whatever order
 * their copies came in. */
static void
announce_held (StokSession *self,
               gboolean     all)
{
  while (self->unannounced->len > 0)
    {
      StokTurn *first = g_ptr_array_index (self->unannounced, 0);
      g_autoptr(StokTurn) turn = NULL;

      if (!all && !stok_turn_get_formatted (first))
        break;
      turn = g_object_ref (first);
      g_ptr_array_remove_index (self->unannounced, 0);
      _stok_session_emit_turn_ended (self, turn);
    }
}

/* A final turn held back, as its formatted copy would come: in its place
 * among the others held, which a late turn may come before. */
static void
hold_turn (StokSession *self,
           StokTurn    *turn)
{
  guint position = self->unannounced->len;

  while (position > 0 &&
         stok_turn_get_order (g_ptr_array_index (self->unannounced, position - 1)) > stok_turn_get_order (turn))
    position--;
  g_ptr_array_insert (self->unannounced, (int) position, g_object_ref (turn));
}

/* A final turn whose formatted copy never came is announced when the
 * next turn begins, or at the end. */
void
_stok_session_announce_pending (StokSession *self)
{
  announce_held (self, TRUE);
}

/* Kept in order, so that the median is read, not sorted for, at each
 * final turn of a session of hours. */
static void
add_latency (StokSession *self,
             gint64       latency)
{
  guint low = 0, high = self->turn_latencies->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (g_array_index (self->turn_latencies, gint64, middle) <= latency)
        low = middle + 1;
      else
        high = middle;
    }
  g_array_insert_val (self->turn_latencies, low, latency);
}

static void
turn_became_final (StokSession *self,
                   StokTurn    *turn,
                   gint64       arrival_us)
{
  gint64 speech_end_ms = stok_turn_get_speech_end_ms (turn);
  gint64 sent_us = speech_end_ms >= 0 ? stok_session_get_audio_sent_at (self, speech_end_ms * 1000) : -1;

  if (self->force_us >= 0)
    {
      self->force_final_us = arrival_us - self->force_us;
      self->force_us = -1;
      stok_turn_set_forced (turn);
    }
  else if (self->terminate_sent)
    {
      stok_turn_set_terminated (turn);
    }

  if (sent_us >= 0 && arrival_us >= sent_us)
    {
      stok_turn_set_latency (turn, arrival_us - sent_us);
      /* The median is the server's own turn detection: a turn ended by
       * End Turn or Terminate was not detected, and came when the app
       * asked. */
      if (!stok_turn_get_forced (turn) && !stok_turn_get_terminated (turn))
        add_latency (self, arrival_us - sent_us);
    }

  if (self->end_audio_us >= 0)
    self->end_audio_final_us = arrival_us - self->end_audio_us;

  _stok_session_emit_figures_changed (self);

  /* With format_turns, a final turn is announced as formatted: held
   * back until its copy comes, and after those before it. */
  if (self->format_turns)
    {
      hold_turn (self, turn);
      announce_held (self, FALSE);
    }
  else
    {
      _stok_session_emit_turn_ended (self, turn);
    }
}

static void
handle_turn (StokSession *self,
             JsonObject  *object,
             gint64       arrival_us)
{
  g_autoptr(StokTurn) turn = NULL;
  GListModel *turns = G_LIST_MODEL (self->turns);
  guint n_turns = g_list_model_get_n_items (turns);
  gboolean end_of_turn = FALSE;
  gboolean was_formatted;
  double order = -1;
  guint position;

  /* Without its order, a message is of the last turn; a partial after
   * that turn's final begins the next. */
  stok_json_get_boolean (object, "end_of_turn", &end_of_turn);
  if (!stok_json_get_number (object, "turn_order", &order) || order < 0 || order > G_MAXINT32)
    {
      g_autoptr(StokTurn) last = n_turns > 0 ? g_list_model_get_item (turns, n_turns - 1) : NULL;

      order = last == NULL ? 0 : stok_turn_get_order (last);
      if (last != NULL && stok_turn_get_end_of_turn (last) && !end_of_turn && order < G_MAXINT32)
        order++;
    }

  /* The turn is the last one, or a new one; a formatted copy may come
   * for one before, and a server may send a new turn after a later one:
   * it goes in its place. Turns are kept in their order, so the look
   * back stops at the first turn before: through hours of turns it cost
   * each message. */
  for (position = n_turns; position > 0 && turn == NULL; position--)
    {
      g_autoptr(StokTurn) candidate = g_list_model_get_item (turns, position - 1);

      if (stok_turn_get_order (candidate) == (gint64) order)
        turn = g_steal_pointer (&candidate);
      else if (stok_turn_get_order (candidate) < (gint64) order)
        break;
    }

  if (turn == NULL)
    {
      /* The turns before a new last one will get no formatted copy now;
       * a late turn, before them, changes nothing of theirs. */
      if (position == n_turns)
        _stok_session_announce_pending (self);
      turn = stok_turn_new ((gint64) order);
      g_list_store_insert (self->turns, position, turn);
    }

  if (self->first_partial_us < 0 && self->first_audio_us >= 0)
    {
      self->first_partial_us = arrival_us;
      _stok_session_emit_figures_changed (self);
    }

  was_formatted = stok_turn_get_formatted (turn);
  if (stok_turn_apply_message (turn, object, arrival_us))
    turn_became_final (self, turn, arrival_us);
  else if (!was_formatted && stok_turn_get_formatted (turn))
    announce_held (self, FALSE);
}

static void
stop_waiting_for_begin (StokSession *self)
{
  g_clear_handle_id (&self->begin_timeout_id, g_source_remove);
}

static gboolean
grace_cb (gpointer user_data)
{
  StokSession *self = user_data;

  g_assert (STOK_IS_SESSION (self));

  self->grace_id = 0;
  _stok_session_close_connection (self);

  return G_SOURCE_REMOVE;
}

/* Closes after @grace_ms, unless a close is already on its way. */
static void
close_after (StokSession *self,
             guint        grace_ms)
{
  if (self->grace_id == 0)
    self->grace_id = g_timeout_add (grace_ms, grace_cb, self);
}

/* An Error ends the session: the server closes with its code. No more
 * audio goes out, Begin is no longer awaited, and a server that does not
 * close is closed on. */
static void
end_after_error (StokSession *self)
{
  stop_waiting_for_begin (self);
  _stok_session_stop_source (self);
  close_after (self, STOK_SESSION_ERROR_CLOSE_MS);
}

void
_stok_session_handle_text (StokSession *self,
                           const char  *data,
                           gsize        length)
{
  g_autoptr(JsonNode) parsed = NULL;
  g_autofree char *text = g_strndup (data, length);
  JsonObject *object = NULL;
  const char *type = NULL;
  gint64 arrival_us = _stok_session_now (self);
  double number;

  parsed = stok_json_parse (data, length, NULL);
  if (parsed != NULL && JSON_NODE_HOLDS_OBJECT (parsed))
    {
      object = json_node_get_object (parsed);
      type = stok_json_get_string (object, "type");
    }

  /* Anything, even garbage or a type nobody knows, is kept and shown as
   * it came; only the protocol's own messages change the session. */
  _stok_session_record (self, STOK_DIRECTION_RECEIVED, type != NULL ? type : "?", text, length,
          object != NULL ? parsed : NULL);
  if (type == NULL)
    return;

  if (g_str_equal (type, "Begin"))
    {
      const char *id = stok_json_get_string (object, "id");

      if (self->began)
        return;

      stop_waiting_for_begin (self);
      self->began = TRUE;
      self->began_us = arrival_us;
      g_free (self->session_id);
      self->session_id = id != NULL ? stok_dup_printable (id, MIN (strlen (id), 256)) : NULL;
      if (stok_json_get_number (object, "expires_at", &number) && number > 0 && number < (double) G_MAXINT32 * 4)
        self->expires_at = (gint64) number;
      stok_token_set_redeemed (self->token, TRUE);

      g_debug ("Session %s began", self->session_id != NULL ? self->session_id : "?");
      _stok_session_notify (self, PROP_SESSION_ID);
      _stok_session_emit_figures_changed (self);

      /* Begin crossed the close the app had sent (Stop, or no Begin in
       * time): the token is spent, but nothing starts. */
      if (!_stok_session_is_open (self))
        return;

      _stok_session_set_state (self, STOK_SESSION_STATE_STREAMING);

      /* A verify's session is open and may be billed: end it at once. */
      if (self->verify)
        stok_session_terminate (self);
      else
        _stok_session_start_source (self);
    }
  else if (g_str_equal (type, "Turn"))
    {
      handle_turn (self, object, arrival_us);
    }
  else if (g_str_equal (type, "SpeechStarted"))
    {
      if (stok_json_get_number (object, "timestamp", &number) && number >= 0 && number < (double) G_MAXINT32)
        g_array_append_val (self->speech_started_ms, (gint64) { (gint64) number });
    }
  else if (g_str_equal (type, "Termination"))
    {
      self->terminated = TRUE;
      self->termination_us = arrival_us;
      g_clear_handle_id (&self->termination_timeout_id, g_source_remove);
      if (stok_json_get_number (object, "audio_duration_seconds", &number) && number >= 0)
        self->server_audio_seconds = number;
      if (stok_json_get_number (object, "session_duration_seconds", &number) && number >= 0)
        self->server_session_seconds = number;
      _stok_session_announce_pending (self);
      _stok_session_emit_figures_changed (self);
      /* The server closes now; if it does not, the app does. */
      _stok_session_close_connection (self);
    }
  else if (g_str_equal (type, "Error"))
    {
      const char *message = stok_json_get_string (object, "error");

      g_free (self->error_message);
      self->error_message = message != NULL ? stok_dup_printable (message, MIN (strlen (message), 1024)) : NULL;
      /* Converting a double out of gint64's range is undefined; codes are
       * small, so anything else is no code at all. */
      if (stok_json_get_number (object, "error_code", &number) && number > 0 && number <= G_MAXINT32)
        self->error_code = (gint64) number;
      self->error_received = TRUE;
      end_after_error (self);
    }
}

void
_stok_session_message_cb (SoupWebsocketConnection *connection,
                          int                      type,
                          GBytes                  *message,
                          StokSession             *self)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);

  g_assert (STOK_IS_SESSION (self));

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    {
      _stok_session_handle_text (self, data, length);
    }
  else
    {
      g_autofree char *size = g_format_size (length);
      /* Translators: %s is a size such as "3.2 kB" */
      g_autofree char *note = g_strdup_printf (_("(%s of binary data)"), size);

      _stok_session_record (self, STOK_DIRECTION_RECEIVED, "binary", note, length, NULL);
    }
}

/**
 * stok_session_close:
 * @self: a #StokSession
 * @grace_ms: how long Termination may take
 *
 * Ends the session however far it got, for a window or an app that goes
 * away: a session is billed while its socket is open, so none is left
 * open. After Begin, Terminate, then the close after at most @grace_ms;
 * before, the close at once. The socket is gone at most
 * %STOK_SESSION_CLOSE_WAIT_MS after the close, answered or not.
 */
void
stok_session_close (StokSession *self,
                    guint        grace_ms)
{
  g_return_if_fail (STOK_IS_SESSION (self));

  if (self->state == STOK_SESSION_STATE_IDLE || self->state == STOK_SESSION_STATE_ENDED)
    return;

  self->cancelled = TRUE;
  if (!self->began)
    {
      g_cancellable_cancel (self->cancellable);
      _stok_session_close_connection (self);
      return;
    }

  stok_session_terminate (self);
  close_after (self, grace_ms);
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  StokSession *self = user_data;

  g_assert (STOK_IS_SESSION (self));

  stok_session_close (self, 1000);

  return G_SOURCE_REMOVE;
}

void
_stok_session_user_cancelled_cb (GCancellable *cancellable,
                                 StokSession  *self)
{
  /* From an idle: the connection must not close inside whatever code
   * cancelled, possibly on another thread. */
  g_idle_add_full (G_PRIORITY_DEFAULT, cancelled_idle_cb,
                   g_object_ref (self), g_object_unref);
}

static void
source_frame_cb (StokAudioSource *source,
                 GBytes          *frame,
                 gint64           offset_us,
                 StokSession     *self)
{
  g_assert (STOK_IS_SESSION (self));

  stok_session_send_audio (self, frame, stok_audio_source_get_level (source));
}

static void
source_finished_cb (StokAudioSource *source,
                    StokSession     *self)
{
  g_assert (STOK_IS_SESSION (self));

  /* Terminate after the last frame: the server sends the turns it still
   * holds, then Termination. */
  stok_session_end_audio (self);
}

static void
source_failed_cb (StokAudioSource *source,
                  const GError    *error,
                  StokSession     *self)
{
  g_assert (STOK_IS_SESSION (self));

  _stok_session_record_event (self, "source", error->message);
  g_clear_error (&self->source_error);
  self->source_error = g_error_copy (error);
  stok_session_end_audio (self);
}

/**
 * stok_session_get_source:
 * @self: a #StokSession
 *
 * Returns: (transfer none) (nullable): the audio the session streams
 */
StokAudioSource *
stok_session_get_source (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  return self->source;
}

/**
 * stok_session_set_source:
 * @self: a #StokSession, not yet run
 * @source: (nullable): the audio to stream, already checked, set to the
 *   session's rate and encoding
 *
 * The session starts @source once Begin came, sends its frames as they
 * come, ends with Terminate when it finishes or fails, and stops it when
 * the session ends, however it ends.
 */
void
stok_session_set_source (StokSession     *self,
                         StokAudioSource *source)
{
  g_return_if_fail (STOK_IS_SESSION (self));
  g_return_if_fail (!source || STOK_IS_AUDIO_SOURCE (source));
  g_return_if_fail (self->state == STOK_SESSION_STATE_IDLE);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_set_object (&self->source, source);
  if (source == NULL)
    return;

  g_signal_connect (source, "frame", G_CALLBACK (source_frame_cb), self);
  g_signal_connect (source, "finished", G_CALLBACK (source_finished_cb), self);
  g_signal_connect (source, "failed", G_CALLBACK (source_failed_cb), self);
}

void
_stok_session_start_source (StokSession *self)
{
  g_autoptr(GError) error = NULL;

  if (self->source == NULL)
    return;

  /* Frames before Begin would be audio the server never hears. */
  if (!stok_audio_source_start (self->source, &error))
    source_failed_cb (self->source, error, self);
}

void
_stok_session_stop_source (StokSession *self)
{
  if (self->source != NULL)
    stok_audio_source_stop (self->source);
}
