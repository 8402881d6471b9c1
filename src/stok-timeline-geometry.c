/* stok-timeline-geometry.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Where a session's audio, words and turns are on the timeline's axis,
 * and what is at a point of it, for its tooltips. */

#define G_LOG_DOMAIN "stok-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "stok-timeline-private.h"

const gint8 *
_stok_timeline_get_levels (StokTimeline *self,
                           guint        *n_levels,
                           gint64       *frame_us)
{
  *n_levels = 0;
  *frame_us = 0;
  if (self->session == NULL)
    return NULL;

  return stok_session_get_levels (self->session, n_levels, frame_us);
}

gint64
_stok_timeline_frame_sent (StokTimeline *self,
                           guint         frame,
                           gint64        frame_us)
{
  return stok_session_get_audio_sent_at (self->session, frame * frame_us);
}

/**
 * stok_timeline_audio_to_session:
 * @self: a #StokTimeline
 * @audio_us: a time in the audio, from its start
 *
 * Returns: where @audio_us is on the timeline's axis, in microseconds of
 *   session time: within the frame that held it, which ends when the
 *   frame was sent; or -1 before any audio was sent
 */
gint64
stok_timeline_audio_to_session (StokTimeline *self,
                                gint64        audio_us)
{
  gint64 frame_us;
  guint n_levels;
  gint64 frame;

  g_return_val_if_fail (STOK_IS_TIMELINE (self), -1);

  _stok_timeline_get_levels (self, &n_levels, &frame_us);
  if (n_levels == 0 || frame_us <= 0 || audio_us < 0)
    return -1;

  frame = MIN (audio_us / frame_us, (gint64) n_levels - 1);
  return _stok_timeline_frame_sent (self, frame, frame_us) - frame_us + (audio_us - frame * frame_us);
}

/* The live edge: the last frame sent, or the last message, if later. */
static gint64
get_end (StokTimeline *self)
{
  GListModel *messages;
  gint64 frame_us;
  guint n_levels, n;
  gint64 end = 0;

  if (self->session == NULL)
    return 0;

  _stok_timeline_get_levels (self, &n_levels, &frame_us);
  if (n_levels > 0)
    end = _stok_timeline_frame_sent (self, n_levels - 1, frame_us);

  messages = stok_session_get_messages (self->session);
  n = g_list_model_get_n_items (messages);
  if (n > 0)
    {
      g_autoptr(StokSessionMessage) last = g_list_model_get_item (messages, n - 1);

      end = MAX (end, stok_session_message_get_offset (last));
    }

  return end;
}

/* The view start that shows the live edge. */
gint64
_stok_timeline_get_live_start (StokTimeline *self)
{
  int room = MAX (0, gtk_widget_get_width (GTK_WIDGET (self)) - LIVE_MARGIN);

  return MAX (0, get_end (self) - (gint64) (room * G_USEC_PER_SEC / self->pixels_per_second));
}

/**
 * stok_timeline_get_view_start:
 * @self: a #StokTimeline
 *
 * Returns: the session time at the timeline's left edge, in microseconds
 */
gint64
stok_timeline_get_view_start (StokTimeline *self)
{
  g_return_val_if_fail (STOK_IS_TIMELINE (self), 0);

  if (self->follows_live)
    return _stok_timeline_get_live_start (self);

  return CLAMP (self->scroll_us, 0, _stok_timeline_get_live_start (self));
}

void
_stok_timeline_view_init (StokTimeline *self,
                          View         *view)
{
  view->pixels_per_second = self->pixels_per_second;
  view->start_us = stok_timeline_get_view_start (self);
  view->end_us = view->start_us + (gint64) (gtk_widget_get_width (GTK_WIDGET (self)) * G_USEC_PER_SEC / self->pixels_per_second);
}

double
stok_timeline_get_x_for_time (StokTimeline *self,
                              gint64        session_us)
{
  View view;

  g_return_val_if_fail (STOK_IS_TIMELINE (self), 0);

  _stok_timeline_view_init (self, &view);
  return view_x (&view, session_us);
}

/* The first turn whose last message came at @from_us or later: the
 * turns before it are drawn wholly before @from_us. */
guint
_stok_timeline_first_turn_from (GListModel *turns,
                                gint64      from_us)
{
  guint low = 0;
  guint high = g_list_model_get_n_items (turns);

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      g_autoptr(StokTurn) turn = g_list_model_get_item (turns, middle);

      if (stok_turn_get_arrival (turn) < from_us)
        low = middle + 1;
      else
        high = middle;
    }

  return low;
}

/* The first frame whose audio ends at @from_us or later. */
guint
_stok_timeline_first_frame_from (StokTimeline *self,
                                 guint         n_levels,
                                 gint64        frame_us,
                                 gint64        from_us)
{
  guint low = 0;
  guint high = n_levels;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (_stok_timeline_frame_sent (self, middle, frame_us) < from_us)
        low = middle + 1;
      else
        high = middle;
    }

  return low;
}

gboolean
_stok_timeline_word_rect (StokTimeline    *self,
                          const View      *view,
                          const StokWord  *word,
                          graphene_rect_t *rect)
{
  double x0, x1;

  if (word->start_ms < 0 || word->end_ms < word->start_ms)
    return FALSE;

  x0 = view_x (view, stok_timeline_audio_to_session (self, word->start_ms * 1000));
  x1 = view_x (view, stok_timeline_audio_to_session (self, word->end_ms * 1000));
  graphene_rect_init (rect, x0, WORDS_TOP, MAX (x1 - x0, 2), WORDS_HEIGHT);
  return TRUE;
}

gboolean
_stok_timeline_final_rect (const View      *view,
                           StokTurn        *turn,
                           graphene_rect_t *rect)
{
  gint64 final_us = stok_turn_get_final_arrival (turn);

  if (final_us < 0)
    return FALSE;

  graphene_rect_init (rect, view_x (view, final_us) - 1, WORDS_TOP, 2, MARKS_TOP + MARKS_HEIGHT - WORDS_TOP);
  return TRUE;
}

/* From the frame that held the end of the last word to the final turn:
 * StokTurn:latency. */
gboolean
_stok_timeline_latency_rect (StokTimeline    *self,
                             const View      *view,
                             StokTurn        *turn,
                             graphene_rect_t *rect)
{
  gint64 end_ms = stok_turn_get_speech_end_ms (turn);
  gint64 final_us = stok_turn_get_final_arrival (turn);
  gint64 sent_us;
  double x0, x1;

  if (end_ms < 0 || final_us < 0 || stok_turn_get_latency (turn) < 0)
    return FALSE;

  sent_us = stok_session_get_audio_sent_at (self->session, end_ms * 1000);
  x0 = view_x (view, sent_us);
  x1 = view_x (view, final_us);
  graphene_rect_init (rect, x0, WORDS_TOP, MAX (x1 - x0, 0), WORDS_HEIGHT);
  return TRUE;
}

static gboolean
get_turn_area (StokTimeline    *self,
               guint            position,
               int              word,
               gboolean         latency,
               graphene_rect_t *area)
{
  g_autoptr(StokTurn) turn = NULL;
  View view;

  if (self->session == NULL)
    return FALSE;

  turn = g_list_model_get_item (stok_session_get_turns (self->session), position);
  if (turn == NULL)
    return FALSE;

  _stok_timeline_view_init (self, &view);
  if (word >= 0)
    return (guint) word < stok_turn_get_n_words (turn) &&
           _stok_timeline_word_rect (self, &view, stok_turn_get_word (turn, word), area);
  if (latency)
    return _stok_timeline_latency_rect (self, &view, turn, area);
  return _stok_timeline_final_rect (&view, turn, area);
}

/**
 * stok_timeline_get_word_area:
 * @self: a #StokTimeline
 * @turn: the turn's position in the session's turns
 * @word: the word's position in the turn
 * @area: (out caller-allocates): where the word's span is drawn
 *
 * Returns: whether the turn and the word exist, with a span in the audio
 */
gboolean
stok_timeline_get_word_area (StokTimeline    *self,
                             guint            turn,
                             guint            word,
                             graphene_rect_t *area)
{
  g_return_val_if_fail (STOK_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  return get_turn_area (self, turn, (int) MIN (word, G_MAXINT), FALSE, area);
}

/**
 * stok_timeline_get_final_area:
 * @self: a #StokTimeline
 * @turn: the turn's position in the session's turns
 * @area: (out caller-allocates): where the mark of its final turn is drawn
 *
 * Returns: whether the turn exists and is final
 */
gboolean
stok_timeline_get_final_area (StokTimeline    *self,
                              guint            turn,
                              graphene_rect_t *area)
{
  g_return_val_if_fail (STOK_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  return get_turn_area (self, turn, -1, FALSE, area);
}

/**
 * stok_timeline_get_latency_area:
 * @self: a #StokTimeline
 * @turn: the turn's position in the session's turns
 * @area: (out caller-allocates): where its latency's bracket is drawn
 *
 * Returns: whether the turn exists and its latency is known
 */
gboolean
stok_timeline_get_latency_area (StokTimeline    *self,
                                guint            turn,
                                graphene_rect_t *area)
{
  g_return_val_if_fail (STOK_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  return get_turn_area (self, turn, -1, TRUE, area);
}

/* The word that ends last: the end of speech a turn's latency counts from. */
static const StokWord *
last_word (StokTurn *turn)
{
  const StokWord *last = NULL;

  for (guint i = 0; i < stok_turn_get_n_words (turn); i++)
    {
      const StokWord *word = stok_turn_get_word (turn, i);

      if (last == NULL || word->end_ms >= last->end_ms)
        last = word;
    }

  return last;
}

static char *
dup_final_tooltip (StokTurn *turn)
{
  const StokWord *word = last_word (turn);
  int number = (int) MIN (stok_turn_get_order (turn) + 1, G_MAXINT);
  double final_s = stok_turn_get_final_arrival (turn) / (double) G_USEC_PER_SEC;

  if (stok_turn_get_latency (turn) < 0 || word == NULL)
    /* Translators: a turn's number, and when its final turn came, in
     * seconds of the session */
    return g_strdup_printf (_("Turn %d: final at %.2f s"), number, final_s);

  /* Translators: a turn's number, when its final turn came, in seconds of
   * the session, its latency in milliseconds, and its last word */
  return g_strdup_printf (_("Turn %d: final at %.2f s, %d ms after the end of “%s” was sent"),
                          number, final_s, stok_round_ms (stok_turn_get_latency (turn)), word->text);
}

static char *
dup_turn_tooltip (StokTimeline *self,
                  const View   *view,
                  StokTurn     *turn,
                  double        x,
                  double        y)
{
  int number = (int) MIN (stok_turn_get_order (turn) + 1, G_MAXINT);
  graphene_rect_t rect;
  const gint64 *partials;
  guint n_partials;

  if (y < WORDS_TOP + WORDS_HEIGHT)
    {
      for (guint i = 0; i < stok_turn_get_n_words (turn); i++)
        {
          const StokWord *word = stok_turn_get_word (turn, i);

          if (!_stok_timeline_word_rect (self, view, word, &rect) || x < rect.origin.x || x >= rect.origin.x + rect.size.width)
            continue;

          if (word->confidence < 0)
            /* Translators: a turn's number, a word, and where it was in
             * the audio, in seconds */
            return g_strdup_printf (_("Turn %d, “%s”: %.2f to %.2f s of audio"),
                                    number, word->text, word->start_ms / 1000.0, word->end_ms / 1000.0);

          /* Translators: a turn's number, a word, where it was in the
           * audio, in seconds, and the server's confidence in it, 0 to 1 */
          return g_strdup_printf (_("Turn %d, “%s”: %.2f to %.2f s of audio, confidence %.2f"),
                                  number, word->text, word->start_ms / 1000.0, word->end_ms / 1000.0,
                                  word->confidence);
        }

      if (_stok_timeline_latency_rect (self, view, turn, &rect) && x >= rect.origin.x - 1 && x <= rect.origin.x + rect.size.width + 1)
        return dup_final_tooltip (turn);

      return NULL;
    }

  if (_stok_timeline_final_rect (view, turn, &rect) && fabs (x - (rect.origin.x + 1)) <= HIT_SLOP)
    return dup_final_tooltip (turn);

  partials = stok_turn_get_partial_arrivals (turn, &n_partials);
  for (guint i = 0; i < n_partials; i++)
    if (fabs (x - view_x (view, partials[i])) <= HIT_SLOP / 2)
      /* Translators: a turn's number, and when a partial of it came, in
       * seconds of the session */
      return g_strdup_printf (_("Turn %d: partial at %.2f s"), number, partials[i] / (double) G_USEC_PER_SEC);

  return NULL;
}

static char *
dup_level_tooltip (StokTimeline *self,
                   const View   *view,
                   double        x)
{
  const StokSessionControl *controls;
  const gint64 *events;
  const gint8 *levels;
  gint64 frame_us;
  guint n_controls, n_events, n_levels, frame;
  gint64 time_us;

  controls = stok_session_get_controls (self->session, &n_controls);
  for (guint i = 0; i < n_controls; i++)
    if (fabs (x - view_x (view, controls[i].sent_us)) <= HIT_SLOP)
      /* Translators: a message the app sent (ForceEndpoint,
       * UpdateConfiguration or Terminate, not translated), then when, in
       * seconds of the session */
      return g_strdup_printf (_("%s sent at %.2f s"), controls[i].kind, controls[i].sent_us / (double) G_USEC_PER_SEC);

  events = stok_session_get_speech_started (self->session, &n_events);
  for (guint i = 0; i < n_events; i++)
    if (fabs (x - view_x (view, stok_timeline_audio_to_session (self, events[i] * 1000))) <= HIT_SLOP)
      /* Translators: where SpeechStarted placed the start of speech, in
       * seconds of audio */
      return g_strdup_printf (_("Speech started at %.2f s of audio"), events[i] / 1000.0);

  levels = _stok_timeline_get_levels (self, &n_levels, &frame_us);
  time_us = view->start_us + (gint64) (x * G_USEC_PER_SEC / view->pixels_per_second);
  frame = _stok_timeline_first_frame_from (self, n_levels, frame_us, time_us);
  if (frame >= n_levels || _stok_timeline_frame_sent (self, frame, frame_us) - frame_us > time_us)
    return NULL;

  /* Translators: the level of the audio sent at a time of the session,
   * in seconds, in decibels relative to full scale */
  return g_strdup_printf (_("%.2f s: %d dBFS"), time_us / (double) G_USEC_PER_SEC, levels[frame]);
}

/**
 * stok_timeline_dup_tooltip_at:
 * @self: a #StokTimeline
 * @x: a point of the timeline, in its coordinates
 * @y: a point of the timeline, in its coordinates
 *
 * Returns: (transfer full) (nullable): what the tooltip says there: the
 *   word, the turn and its latency, a partial, SpeechStarted, a message
 *   the app sent, or the level
 */
char *
stok_timeline_dup_tooltip_at (StokTimeline *self,
                              double        x,
                              double        y)
{
  GListModel *turns;
  View view;

  g_return_val_if_fail (STOK_IS_TIMELINE (self), NULL);

  if (self->session == NULL)
    return NULL;

  _stok_timeline_view_init (self, &view);

  if (y >= PAD_TOP && y < PAD_TOP + LEVEL_HEIGHT)
    return dup_level_tooltip (self, &view, x);

  if (y < WORDS_TOP || y >= MARKS_TOP + MARKS_HEIGHT)
    return NULL;

  turns = stok_session_get_turns (self->session);
  for (guint i = _stok_timeline_first_turn_from (turns, view.start_us - HIT_SLOP * G_USEC_PER_SEC / view.pixels_per_second);
       i < g_list_model_get_n_items (turns); i++)
    {
      g_autoptr(StokTurn) turn = g_list_model_get_item (turns, i);
      char *text = dup_turn_tooltip (self, &view, turn, x, y);

      if (text != NULL)
        return text;
      if (stok_turn_get_first_arrival (turn) > view.end_us)
        break;
    }

  return NULL;
}
