/* stok-session-model.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a streaming session shows: its state, its messages and turns as
 * list models, the figures, the audio's levels, and how it ended. */

#define G_LOG_DOMAIN "stok-session"

#include "config.h"

#include "stok-session-private.h"

StokSessionState
stok_session_get_state (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), STOK_SESSION_STATE_IDLE);

  return self->state;
}

StokSessionOutcome
stok_session_get_outcome (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), STOK_SESSION_OUTCOME_NONE);

  return self->outcome;
}

/**
 * stok_session_get_began:
 * @self: a #StokSession
 *
 * Returns: whether Begin came: the token opened a session
 */
gboolean
stok_session_get_began (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), FALSE);

  return self->began;
}

const char *
stok_session_get_session_id (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  return self->session_id;
}

/**
 * stok_session_get_expires_at:
 * @self: a #StokSession
 *
 * Returns: the Unix time Begin gave for the session's cut-off, or 0
 */
gint64
stok_session_get_expires_at (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), 0);

  return self->expires_at;
}

/**
 * stok_session_get_started_at:
 * @self: a #StokSession
 *
 * Returns: the monotonic time the session started connecting, or -1;
 *   every offset of the session counts from it
 */
gint64
stok_session_get_started_at (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), -1);

  return self->started_us;
}

/**
 * stok_session_get_elapsed:
 * @self: a #StokSession
 *
 * Returns: microseconds since the session began (Begin), up to its end
 *   while it runs, or -1 before Begin
 */
gint64
stok_session_get_elapsed (StokSession *self)
{
  StokSessionMessage *last;
  gint64 elapsed;
  guint n;

  g_return_val_if_fail (STOK_IS_SESSION (self), -1);

  if (!self->began)
    return -1;

  if (self->state != STOK_SESSION_STATE_ENDED)
    return _stok_session_now (self) - self->began_us;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->messages));
  last = n > 0 ? g_list_model_get_item (G_LIST_MODEL (self->messages), n - 1) : NULL;
  if (last == NULL)
    return 0;

  elapsed = MAX (0, stok_session_message_get_offset (last) - self->began_us);
  g_object_unref (last);
  return elapsed;
}

/**
 * stok_session_get_messages:
 * @self: a #StokSession
 *
 * Returns: (transfer none): the last messages, at most
 *   %STOK_SESSION_MAX_MESSAGES and, once that many came, at least
 *   %STOK_SESSION_MAX_MESSAGES less %STOK_SESSION_DROP_MESSAGES: a
 *   #GListModel of #StokSessionMessage; audio frames are not in it
 */
GListModel *
stok_session_get_messages (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  return G_LIST_MODEL (self->messages);
}

guint
stok_session_get_n_dropped_messages (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), 0);

  return self->n_dropped;
}

/**
 * stok_session_get_turns:
 * @self: a #StokSession
 *
 * Returns: (transfer none): the turns, a #GListModel of #StokTurn: every
 *   final one, and the one in progress, which changes in place
 */
GListModel *
stok_session_get_turns (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  return G_LIST_MODEL (self->turns);
}

static gint64
difference (gint64 from,
            gint64 to)
{
  return from >= 0 && to >= from ? to - from : -1;
}

/**
 * stok_session_get_figures:
 * @self: a #StokSession
 * @figures: (out caller-allocates): where to store them
 */
void
stok_session_get_figures (StokSession        *self,
                          StokSessionFigures *figures)
{
  g_return_if_fail (STOK_IS_SESSION (self));
  g_return_if_fail (figures != NULL);

  figures->connect_to_begin_us = self->began ? self->began_us : -1;
  figures->first_audio_to_first_partial_us = difference (self->first_audio_us, self->first_partial_us);
  figures->end_of_audio_to_final_us = self->end_audio_final_us;
  figures->force_endpoint_to_final_us = self->force_final_us;
  figures->terminate_to_termination_us = self->terminated ? difference (self->terminate_us, self->termination_us) : -1;
  figures->audio_sent_us = self->audio_sent_us;
  figures->audio_bytes_sent = self->audio_bytes;
  figures->n_frames_sent = self->n_frames;
  figures->server_audio_seconds = self->server_audio_seconds;
  figures->server_session_seconds = self->server_session_seconds;
  /* turn_latencies is kept in order (turn_became_final()). */
  figures->n_timed_turns = self->turn_latencies->len;
  figures->median_turn_latency_us = self->turn_latencies->len > 0 ?
    g_array_index (self->turn_latencies, gint64, self->turn_latencies->len / 2) : -1;
}

/**
 * stok_session_get_levels:
 * @self: a #StokSession
 * @n_levels: (out): how many frames were sent
 * @frame_us: (out) (optional): the length of a frame, in microseconds
 *
 * Returns: (transfer none) (array length=n_levels): each frame's level in
 *   dBFS, -127 to 0, for the timeline
 */
const gint8 *
stok_session_get_levels (StokSession *self,
                         guint       *n_levels,
                         gint64      *frame_us)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);
  g_return_val_if_fail (n_levels != NULL, NULL);

  *n_levels = self->levels->len;
  if (frame_us != NULL)
    *frame_us = self->frame_us;

  return (const gint8 *) self->levels->data;
}

/**
 * stok_session_get_speech_started:
 * @self: a #StokSession
 * @n_events: (out): how many
 *
 * Returns: (transfer none) (array length=n_events): where in the audio
 *   each SpeechStarted placed the start of speech, in milliseconds
 */
const gint64 *
stok_session_get_speech_started (StokSession *self,
                                 guint       *n_events)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);
  g_return_val_if_fail (n_events != NULL, NULL);

  *n_events = self->speech_started_ms->len;
  return (const gint64 *) (gpointer) self->speech_started_ms->data;
}

/**
 * stok_session_get_controls:
 * @self: a #StokSession
 * @n_controls: (out): how many
 *
 * Returns: (transfer none) (array length=n_controls): the control
 *   messages the app sent (ForceEndpoint, UpdateConfiguration,
 *   Terminate), each with when, in order, all of them however long the
 *   session
 */
const StokSessionControl *
stok_session_get_controls (StokSession *self,
                           guint       *n_controls)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);
  g_return_val_if_fail (n_controls != NULL, NULL);

  *n_controls = self->controls->len;
  return (const StokSessionControl *) (gpointer) self->controls->data;
}

/**
 * stok_session_get_http_status:
 * @self: a #StokSession
 *
 * Returns: the HTTP status of a refused upgrade, or 0
 */
guint
stok_session_get_http_status (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), 0);

  return self->http_status;
}

/**
 * stok_session_get_close_code:
 * @self: a #StokSession
 *
 * Returns: the close code the server sent, or 0 if none came
 */
gushort
stok_session_get_close_code (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), 0);

  return self->close_code;
}

const char *
stok_session_get_close_reason (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  return self->close_reason;
}

/**
 * stok_session_get_error_code:
 * @self: a #StokSession
 *
 * Returns: the code of the server's Error message, or -1
 */
gint64
stok_session_get_error_code (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), -1);

  return self->error_code;
}

const char *
stok_session_get_error_message (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  return self->error_message;
}

/**
 * stok_session_get_error:
 * @self: a #StokSession
 *
 * Returns: (nullable): why the connection could not be made, if so
 */
const GError *
stok_session_get_error (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  return self->error;
}

/**
 * stok_session_get_source_error:
 * @self: a #StokSession
 *
 * Returns: (nullable): why the audio broke off before its end, if it did
 */
const GError *
stok_session_get_source_error (StokSession *self)
{
  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  return self->source_error;
}

/**
 * stok_session_get_turn_open:
 * @self: a #StokSession
 *
 * Returns: whether a turn is under way: the last one came, and is not
 *   final yet
 */
gboolean
stok_session_get_turn_open (StokSession *self)
{
  GListModel *turns;
  guint n;
  g_autoptr(StokTurn) last = NULL;

  g_return_val_if_fail (STOK_IS_SESSION (self), FALSE);

  turns = G_LIST_MODEL (self->turns);
  n = g_list_model_get_n_items (turns);
  if (n == 0)
    return FALSE;

  last = g_list_model_get_item (turns, n - 1);
  return !stok_turn_get_end_of_turn (last);
}

/**
 * stok_session_has_transcript:
 * @self: a #StokSession
 *
 * Returns: whether a final turn has words: whether
 *   stok_session_dup_transcript() would give anything worth copying
 */
gboolean
stok_session_has_transcript (StokSession *self)
{
  GListModel *turns;

  g_return_val_if_fail (STOK_IS_SESSION (self), FALSE);

  turns = G_LIST_MODEL (self->turns);
  for (guint i = 0; i < g_list_model_get_n_items (turns); i++)
    {
      g_autoptr(StokTurn) turn = g_list_model_get_item (turns, i);
      g_autofree char *text = NULL;

      if (!stok_turn_get_end_of_turn (turn))
        continue;
      text = stok_turn_dup_text (turn);
      if (*g_strstrip (text) != '\0')
        return TRUE;
    }

  return FALSE;
}

/**
 * stok_session_dup_transcript:
 * @self: a #StokSession
 *
 * Returns: (transfer full): the final turns, one a line, as copied from
 *   the window
 */
char *
stok_session_dup_transcript (StokSession *self)
{
  GListModel *turns;
  GString *text;

  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  turns = G_LIST_MODEL (self->turns);
  text = g_string_new (NULL);
  for (guint i = 0; i < g_list_model_get_n_items (turns); i++)
    {
      g_autoptr(StokTurn) turn = g_list_model_get_item (turns, i);
      g_autofree char *line = NULL;

      if (!stok_turn_get_end_of_turn (turn))
        continue;
      line = stok_turn_dup_text (turn);
      g_string_append (text, line);
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}
