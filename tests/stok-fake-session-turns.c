/* stok-fake-session-turns.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Voice detection and turns: the audio a session receives is cut in
 * windows, voiced or not, which make words, partial turns and final
 * ones, all timed in audio received. */

#define G_LOG_DOMAIN "stok-fake-server"

#include "config.h"

#include "stok-fake-session-private.h"

/* Stand-ins that say what they are, cycled through word after word. */
static const char * const stand_in_words[] = {
  "stand-in", "words", "from", "the", "fake", "server",
};

static double
session_confidence (StokFakeSession *self,
                    gint64           position_ms)
{
  gint64 silence = MAX (position_ms - self->voiced_end_ms, 0);

  if (self->max_silence_ms <= 0)
    return 1.0;

  return MIN (1.0, (double) silence / (double) self->max_silence_ms);
}

static void
append_word (GString            *out,
             const StokFakeWord *word,
             gboolean            is_final,
             gboolean            formatted,
             gboolean            first,
             gboolean            last)
{
  const char *text = stand_in_words[word->number % G_N_ELEMENTS (stand_in_words)];
  g_autoptr(GString) shown = g_string_new (text);

  if (formatted && first)
    shown->str[0] = g_ascii_toupper (shown->str[0]);
  if (formatted && last)
    g_string_append_c (shown, '.');

  g_string_append (out, "{\"text\":");
  _stok_fake_session_append_string (out, shown->str);
  g_string_append_printf (out, ",\"start\":%" G_GINT64_FORMAT ",\"end\":%" G_GINT64_FORMAT ",\"confidence\":",
                          word->start_ms, word->end_ms);
  _stok_fake_session_append_fraction (out, word->number % STOK_FAKE_LOW_CONFIDENCE_EVERY == STOK_FAKE_LOW_CONFIDENCE_EVERY - 1
                                           ? STOK_FAKE_LOW_WORD_CONFIDENCE : STOK_FAKE_WORD_CONFIDENCE);
  g_string_append_printf (out, ",\"word_is_final\":%s}", is_final ? "true" : "false");
}

/* A Turn with @words; in a partial every word but the last is final, and
 * the transcript holds only the final ones. */
char *
_stok_fake_session_build_turn (guint               turn_order,
                               const StokFakeWord *words,
                               guint               n_words,
                               gboolean            end_of_turn,
                               gboolean            formatted,
                               double              confidence)
{
  g_autoptr(GString) out = g_string_new ("{\"type\":\"Turn\",");
  g_autoptr(GString) transcript = g_string_new (NULL);

  for (guint i = 0; i < n_words; i++)
    {
      gboolean is_final = end_of_turn || i + 1 < n_words;
      const char *text = stand_in_words[words[i].number % G_N_ELEMENTS (stand_in_words)];

      if (!is_final)
        continue;
      if (transcript->len > 0)
        g_string_append_c (transcript, ' ');
      g_string_append (transcript, text);
    }

  if (formatted && transcript->len > 0)
    {
      transcript->str[0] = g_ascii_toupper (transcript->str[0]);
      g_string_append_c (transcript, '.');
    }

  g_string_append_printf (out, "\"turn_order\":%u,\"turn_is_formatted\":%s,\"end_of_turn\":%s,\"transcript\":",
                          turn_order, formatted ? "true" : "false", end_of_turn ? "true" : "false");
  _stok_fake_session_append_string (out, transcript->str);
  g_string_append (out, ",\"end_of_turn_confidence\":");
  _stok_fake_session_append_fraction (out, confidence);
  g_string_append (out, ",\"words\":[");
  for (guint i = 0; i < n_words; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_word (out, &words[i], end_of_turn || i + 1 < n_words, formatted, i == 0, i + 1 == n_words);
    }
  g_string_append (out, "]}");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
session_close_word (StokFakeSession *self)
{
  StokFakeWord word;

  if (!self->word_open)
    return;

  word.start_ms = self->word_start_ms;
  word.end_ms = self->voiced_end_ms;
  word.number = self->n_words++;
  g_array_append_val (self->words, word);
  self->word_open = FALSE;
}

static void
session_send_partial (StokFakeSession *self,
                      gint64           position_ms)
{
  g_autoptr(GArray) words = g_array_copy (self->words);
  g_autofree char *text = NULL;

  /* The word still being spoken goes out as it is so far. */
  if (self->word_open)
    {
      StokFakeWord open = { self->word_start_ms, self->voiced_end_ms, self->n_words };

      g_array_append_val (words, open);
    }

  if (words->len == 0)
    return;

  text = _stok_fake_session_build_turn (self->turn_order, (const StokFakeWord *) words->data, words->len,
                                        FALSE, FALSE, session_confidence (self, position_ms));
  _stok_fake_session_send (self, "Turn", text, TRUE);
  self->voiced_since_partial_ms = 0;
}

void
_stok_fake_session_end_turn (StokFakeSession *self,
                             gint64           position_ms)
{
  double confidence = session_confidence (self, position_ms);
  g_autofree char *final = NULL;

  if (!self->in_turn)
    return;

  session_close_word (self);
  if (self->words->len > 0)
    {
      final = _stok_fake_session_build_turn (self->turn_order, (const StokFakeWord *) self->words->data, self->words->len,
                                             TRUE, FALSE, confidence);
      _stok_fake_session_send (self, "Turn", final, TRUE);
      self->n_final_turns++;

      if (self->format_turns)
        {
          g_autofree char *formatted = _stok_fake_session_build_turn (self->turn_order, (const StokFakeWord *) self->words->data,
                                                                      self->words->len, TRUE, TRUE, confidence);

          _stok_fake_session_send (self, "Turn", formatted, TRUE);
        }
      self->turn_order++;
    }

  g_array_set_size (self->words, 0);
  self->in_turn = FALSE;
  self->voiced_since_partial_ms = 0;
}

static void
session_window (StokFakeSession *self,
                gboolean         voiced)
{
  gint64 start_ms = (self->n_windowed_samples - self->window_length) * 1000 / self->sample_rate;
  gint64 end_ms = self->n_windowed_samples * 1000 / self->sample_rate;

  if (voiced)
    {
      if (!self->in_turn)
        {
          g_autofree char *text = g_strdup_printf ("{\"type\":\"SpeechStarted\",\"timestamp\":%" G_GINT64_FORMAT "}",
                                                   start_ms);

          self->in_turn = TRUE;
          self->voiced_since_partial_ms = 0;
          _stok_fake_session_send (self, "SpeechStarted", text, TRUE);
        }

      if (!self->word_open)
        {
          self->word_open = TRUE;
          self->word_start_ms = start_ms;
        }

      self->voiced_end_ms = end_ms;
      self->voiced_since_partial_ms += end_ms - start_ms;

      if (end_ms - self->word_start_ms >= STOK_FAKE_WORD_MAX_MS)
        {
          session_close_word (self);
          session_send_partial (self, end_ms);
        }
      else if (self->voiced_since_partial_ms >= STOK_FAKE_PARTIAL_EVERY_MS)
        {
          session_send_partial (self, end_ms);
        }

      return;
    }

  if (!self->in_turn)
    return;

  if (self->word_open && end_ms - self->voiced_end_ms >= STOK_FAKE_WORD_GAP_MS)
    {
      session_close_word (self);
      session_send_partial (self, end_ms);
    }

  if ((end_ms - self->voiced_end_ms >= self->min_silence_ms &&
       session_confidence (self, end_ms) >= self->threshold) ||
      end_ms - self->voiced_end_ms >= self->max_silence_ms)
    _stok_fake_session_end_turn (self, end_ms);
}

static gint16
mulaw_decode (guint8 value)
{
  int sign, exponent, mantissa, magnitude;

  value = ~value;
  sign = value & 0x80;
  exponent = (value >> 4) & 0x07;
  mantissa = value & 0x0F;
  magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;

  return (gint16) (sign ? -magnitude : magnitude);
}

static void
session_add_sample (StokFakeSession *self,
                    gint16           sample)
{
  self->window_energy += (double) sample * (double) sample;
  if (++self->window_fill < self->window_length)
    return;

  self->n_windowed_samples += self->window_length;
  session_window (self, self->window_energy / self->window_length > self->voiced_energy);
  self->window_fill = 0;
  self->window_energy = 0;
}

void
_stok_fake_session_listen (StokFakeSession *self,
                           const guint8    *data,
                           gsize            length)
{
  gsize i = 0;

  if (self->encoding == STOK_FAKE_ENCODING_PCM_MULAW)
    {
      for (; i < length && !self->ending; i++)
        session_add_sample (self, mulaw_decode (data[i]));
      return;
    }

  /* A frame of an odd size leaves a byte for the next one. */
  if (self->has_odd_byte && length > 0)
    {
      session_add_sample (self, (gint16) (self->odd_byte | (data[0] << 8)));
      self->has_odd_byte = FALSE;
      i = 1;
    }
  for (; i + 1 < length && !self->ending; i += 2)
    session_add_sample (self, (gint16) (data[i] | (data[i + 1] << 8)));
  if (i < length)
    {
      self->odd_byte = data[i];
      self->has_odd_byte = TRUE;
    }
}
