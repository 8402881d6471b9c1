/* stok-pacer.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Each due time is computed from the start, never from the previous
 * frame: a wait that ends late delays that frame alone, and the frames
 * behind it are due at once, so that the audio sent catches up with the
 * clock and never runs ahead of it, however long the file.
 *
 * Time is reckoned in samples, so that a frame that is not a whole number
 * of microseconds (or of samples at frame-ms: see
 * stok_audio_samples_for_ms()) adds no rounding, frame after frame. */

#include "config.h"

#include "stok-pacer.h"

/**
 * stok_pacer_init:
 * @self: a #StokPacer
 * @rate: samples a second
 * @samples_per_frame: the samples in each frame
 */
void
stok_pacer_init (StokPacer *self,
                 guint      rate,
                 guint      samples_per_frame)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (rate > 0);
  g_return_if_fail (samples_per_frame > 0);

  self->rate = rate;
  self->samples_per_frame = samples_per_frame;
  self->start_us = 0;
  self->n_sent = 0;
  self->started = FALSE;
}

/**
 * stok_pacer_start:
 * @self: a #StokPacer
 * @now_us: the clock's time when the first frame can go out
 */
void
stok_pacer_start (StokPacer *self,
                  gint64     now_us)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->started);

  self->start_us = now_us;
  self->started = TRUE;
}

gboolean
stok_pacer_is_started (const StokPacer *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->started;
}

/**
 * stok_pacer_get_due_time:
 * @self: a started #StokPacer
 * @frame: a frame's index, from 0
 *
 * Returns: the clock's time before which @frame must not be sent: when
 *   its own audio and the frames' before it have played, rounded up to
 *   the microsecond
 */
gint64
stok_pacer_get_due_time (const StokPacer *self,
                         guint64          frame)
{
  guint64 scaled;

  g_return_val_if_fail (self != NULL, G_MAXINT64);

  if (!self->started)
    return G_MAXINT64;

  /* Sent once its own audio has played, as a microphone would give it:
   * the audio sent is then never ahead of the clock, not even by one
   * frame. */
  scaled = (frame + 1) * self->samples_per_frame * G_USEC_PER_SEC;

  return self->start_us + (gint64) ((scaled + self->rate - 1) / self->rate);
}

/**
 * stok_pacer_get_n_due:
 * @self: a #StokPacer
 * @now_us: the clock's time
 *
 * Returns: how many frames are due at @now_us and not sent yet: more than
 *   one when the caller was held up
 */
guint64
stok_pacer_get_n_due (const StokPacer *self,
                      gint64           now_us)
{
  guint64 n_due_since_start;

  g_return_val_if_fail (self != NULL, 0);

  if (!self->started || now_us < self->start_us)
    return 0;

  /* Frame k is due once (k + 1) * samples_per_frame / rate seconds have
   * passed: the frames whose audio has all played. */
  n_due_since_start = (guint64) (now_us - self->start_us) * self->rate /
                      ((guint64) self->samples_per_frame * G_USEC_PER_SEC);
  if (n_due_since_start <= self->n_sent)
    return 0;

  return n_due_since_start - self->n_sent;
}

/**
 * stok_pacer_get_next_due:
 * @self: a started #StokPacer
 *
 * Returns: when the next frame not sent yet is due
 */
gint64
stok_pacer_get_next_due (const StokPacer *self)
{
  g_return_val_if_fail (self != NULL, G_MAXINT64);

  return stok_pacer_get_due_time (self, self->n_sent);
}

void
stok_pacer_mark_sent (StokPacer *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->started);

  self->n_sent++;
}

guint64
stok_pacer_get_n_sent (const StokPacer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_sent;
}
