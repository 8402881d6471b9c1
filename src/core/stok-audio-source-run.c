/* stok-audio-source-run.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* StokAudioSource running: decoding or capturing, and sending frames.
 *
 * A file is sent in real time: frame k goes out when the clock reaches
 * start + k * frame-ms (StokPacer), never before, so the server never
 * sees audio faster than it is spoken; frames that fell behind while the
 * main loop was busy go out together, so nothing drifts. The microphone
 * is real time already: its frames go out as they are captured.
 *
 * The decoding is GStreamer's, in a module loaded on first use
 * (stok-audio-backend.c), which decodes only a little ahead of what has
 * been sent. Frames, the end and failures are all emitted here, on the
 * main context that called stok_audio_source_start(), never on one of
 * GStreamer's threads. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "stok-audio-source-private.h"

/* The shortest frame the server accepts: a file's last frame is padded
 * with silence up to it. */
#define MIN_FRAME_MS STOK_AUDIO_FRAME_MS_MIN

/* A file's decoded audio is taken in batches of up to this much, once
 * less than a frame is left: the decoder, held back until most of what
 * it had decoded ahead is taken (stok-gst-audio.c), then runs once a
 * batch, and the app pulls only at a batch's start. */
#define FILE_BATCH_MS 1000

static gsize
frame_s16_bytes_for (guint rate,
                     guint ms)
{
  return (gsize) stok_audio_samples_for_ms (rate, ms) * 2;
}

/* The bytes of 16-bit audio in a frame. */
static gsize
frame_s16_bytes (StokAudioSource *self)
{
  return frame_s16_bytes_for (self->run_rate, self->run_frame_ms);
}

static void
set_level (StokAudioSource *self,
           double           level)
{
  if (self->level == level)
    return;

  self->level = level;
  _stok_audio_source_notify (self, PROP_LEVEL);
}

static void
set_start_us (StokAudioSource *self,
              gint64           start_us)
{
  if (self->start_us == start_us)
    return;

  self->start_us = start_us;
  _stok_audio_source_notify (self, PROP_START_US);
}

void
_stok_audio_source_stop_running (StokAudioSource *self)
{
  if (!self->running)
    return;

  self->running = FALSE;
  self->run_id++;

  g_clear_signal_handler (&self->clock_changed_id, self->clock);
  if (self->pace_source != NULL)
    {
      g_source_destroy (self->pace_source);
      g_clear_pointer (&self->pace_source, g_source_unref);
    }
  g_clear_pointer (&self->stream, self->gst->free);
  g_clear_pointer (&self->pending, g_byte_array_unref);
}

static void
finish (StokAudioSource *self)
{
  _stok_audio_source_stop_running (self);
  _stok_audio_source_notify (self, PROP_RUNNING);
  _stok_audio_source_emit_finished (self);
}

static void
fail (StokAudioSource *self,
      const GError    *error)
{
  g_autofree char *name = stok_audio_source_dup_display_name (self);
  g_autoptr(GError) source_failure = _stok_audio_source_error (self->kind, name, self->device, error, self->n_frames > 0);

  g_debug ("Audio: %s", source_failure->message);

  _stok_audio_source_stop_running (self);
  _stok_audio_source_notify (self, PROP_RUNNING);
  _stok_audio_source_emit_failed (self, source_failure);
}

/* Pulls decoded audio until @want bytes wait or nothing more has come.
 * Pulling no further than needed is what holds the decoder back. */
static gboolean
fill (StokAudioSource  *self,
      gsize             want,
      GError          **error)
{
  while (self->pending->len < want && !self->eos)
    {
      g_autoptr(GBytes) bytes = NULL;
      gboolean eos = FALSE;

      bytes = self->gst->pull (self->stream, 0, &eos, error);
      if (bytes != NULL)
        g_byte_array_append (self->pending, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      else if (eos)
        self->eos = TRUE;
      else if (error != NULL && *error != NULL)
        return FALSE;
      else
        break;
    }

  return TRUE;
}

/* A file's audio: nothing pulled while a frame waits, then a batch. */
static gboolean
refill (StokAudioSource  *self,
        GError          **error)
{
  if (self->pending->len >= frame_s16_bytes (self))
    return TRUE;

  return fill (self, frame_s16_bytes_for (self->run_rate, FILE_BATCH_MS), error);
}

/* Sends the first @n_bytes waiting, padded with silence to the shortest
 * frame the server takes. Returns FALSE if a handler stopped the source. */
static gboolean
emit_frame (StokAudioSource *self,
            gsize            n_bytes)
{
  g_autoptr(GBytes) s16 = NULL;
  g_autoptr(GBytes) frame = NULL;
  gsize min_bytes = frame_s16_bytes_for (self->run_rate, MIN_FRAME_MS);
  gint64 offset_us = stok_audio_samples_to_us (self->run_rate, self->n_samples_sent);
  guint run_id = self->run_id;
  gsize frame_size;

  if (n_bytes < min_bytes)
    {
      guint8 *padded = g_malloc0 (min_bytes);

      memcpy (padded, self->pending->data, n_bytes);
      s16 = g_bytes_new_take (padded, min_bytes);
    }
  else
    {
      s16 = g_bytes_new (self->pending->data, n_bytes);
    }
  g_byte_array_remove_range (self->pending, 0, n_bytes);

  if (self->run_encoding == STOK_AUDIO_ENCODING_PCM_MULAW)
    frame = stok_audio_s16le_to_mulaw (g_bytes_get_data (s16, NULL), g_bytes_get_size (s16));
  else
    frame = g_bytes_ref (s16);

  self->n_frames++;
  if (self->kind != STOK_AUDIO_SOURCE_MICROPHONE)
    stok_pacer_mark_sent (&self->pacer);
  self->n_samples_sent += g_bytes_get_size (s16) / 2;
  self->audio_sent_us = stok_audio_samples_to_us (self->run_rate, self->n_samples_sent);
  frame_size = g_bytes_get_size (frame);

  /* The level first: a frame's handlers read it as the frame's own. */
  set_level (self, stok_audio_level_dbfs (self->run_encoding, g_bytes_get_data (frame, NULL), frame_size));
  _stok_audio_source_emit_frame (self, frame, offset_us);
  if (self->run_id != run_id)
    return FALSE;

  _stok_audio_source_notify (self, PROP_AUDIO_SENT_US);

  return self->run_id == run_id;
}

/* When to look again: at the next frame's due time if its audio is here
 * (or will be, by then), else when the decoder says it has more. */
static void
schedule (StokAudioSource *self)
{
  gint64 delay;

  if (!stok_pacer_is_started (&self->pacer))
    {
      g_source_set_ready_time (self->pace_source, -1);
      return;
    }

  delay = stok_pacer_get_next_due (&self->pacer) - stok_clock_get_time (self->clock);
  if (delay <= 0 && self->pending->len < frame_s16_bytes (self) && !self->eos)
    g_source_set_ready_time (self->pace_source, -1);
  else
    g_source_set_ready_time (self->pace_source, g_get_monotonic_time () + MAX (delay, 0));
}

static void
pump_file (StokAudioSource *self)
{
  g_autoptr(GError) error = NULL;
  guint run_id = self->run_id;
  guint64 n_due;

  if (!refill (self, &error))
    {
      fail (self, error);
      return;
    }

  /* The clock starts with the first frame's audio in hand, so that the
   * time GStreamer takes to start does not make it late. */
  if (!stok_pacer_is_started (&self->pacer))
    {
      if (self->pending->len < frame_s16_bytes (self) && !self->eos)
        {
          schedule (self);
          return;
        }
      stok_pacer_start (&self->pacer, stok_clock_get_time (self->clock));
      set_start_us (self, self->pacer.start_us);
      if (self->run_id != run_id)
        return;
    }

  n_due = stok_pacer_get_n_due (&self->pacer, stok_clock_get_time (self->clock));
  for (; n_due > 0; n_due--)
    {
      gsize want = frame_s16_bytes (self);

      if (!refill (self, &error))
        {
          fail (self, error);
          return;
        }

      if (self->pending->len == 0 && self->eos)
        break;

      /* Late: the decoder will say when it has caught up. */
      if (self->pending->len < want && !self->eos)
        break;

      if (!emit_frame (self, MIN (want, self->pending->len)))
        return;

      /* Looks ahead for the end, so that it comes with the last frame. */
      if (!refill (self, &error))
        {
          fail (self, error);
          return;
        }
    }

  if (self->run_id != run_id)
    return;

  if (self->eos && self->pending->len == 0)
    finish (self);
  else
    schedule (self);
}

static void
pump_microphone (StokAudioSource *self)
{
  g_autoptr(GError) error = NULL;
  guint run_id = self->run_id;

  if (!fill (self, G_MAXSIZE, &error))
    {
      fail (self, error);
      return;
    }

  while (self->pending->len >= frame_s16_bytes (self))
    {
      if (self->n_frames == 0)
        {
          /* Its audio began a frame ago: the same start as a file's. */
          set_start_us (self, stok_clock_get_time (self->clock) -
                              stok_audio_samples_to_us (self->run_rate, frame_s16_bytes (self) / 2));
          if (self->run_id != run_id)
            return;
        }
      if (!emit_frame (self, frame_s16_bytes (self)))
        return;
    }

  if (self->eos)
    {
      g_autoptr(GError) eos_error = g_error_new_literal (STOK_GST_ERROR, STOK_GST_ERROR_NO_DEVICE,
                                                         _("the device closed"));
      fail (self, eos_error);
    }
}

static void
pump (StokAudioSource *self)
{
  g_autoptr(StokAudioSource) hold = g_object_ref (self);

  if (!self->running)
    return;

  if (self->kind == STOK_AUDIO_SOURCE_MICROPHONE)
    pump_microphone (self);
  else
    pump_file (self);
}

static gboolean
ready_cb (gpointer user_data)
{
  StokAudioSource *self = user_data;

  g_assert (STOK_IS_AUDIO_SOURCE (self));

  pump (self);

  return G_SOURCE_CONTINUE;
}

static gboolean
pace_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  g_source_set_ready_time (source, -1);

  return callback (user_data);
}

static GSourceFuncs pace_source_funcs = {
  NULL, NULL, pace_dispatch, NULL, NULL, NULL,
};

/* A manual clock moves only when told: look at once. */
static void
clock_changed_cb (StokClock       *clock,
                  StokAudioSource *self)
{
  g_assert (STOK_IS_AUDIO_SOURCE (self));

  if (self->pace_source != NULL)
    g_source_set_ready_time (self->pace_source, 0);
}

/**
 * stok_audio_source_start:
 * @self: a stopped #StokAudioSource
 * @error: return location for a #GError
 *
 * Starts decoding or capturing. #StokAudioSource::frame, ::finished and
 * ::failed are then emitted on the thread-default main context of the
 * caller. A check is not required first, but only the check scans for
 * silence and compares rates.
 *
 * Returns: %TRUE if the source started
 */
gboolean
stok_audio_source_start (StokAudioSource  *self,
                         GError          **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GError) gst_error = NULL;
  g_autofree char *name = NULL;
  const StokGstAudioFuncs *gst;
  StokGstStream *stream;

  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);
  g_return_val_if_fail (self->file != NULL || self->kind == STOK_AUDIO_SOURCE_MICROPHONE, FALSE);

  if (!(gst = stok_audio_backend_get (error)))
    return FALSE;

  name = stok_audio_source_dup_display_name (self);
  if (self->kind == STOK_AUDIO_SOURCE_MICROPHONE)
    stream = gst->open_microphone (self->device, self->sample_rate, self->frame_ms, &gst_error);
  else
    stream = gst->open_file (self->file, self->sample_rate, &gst_error);
  if (stream == NULL)
    {
      g_propagate_error (error, _stok_audio_source_error (self->kind, name, self->device, gst_error, FALSE));
      return FALSE;
    }

  self->gst = gst;
  self->stream = stream;
  self->run_rate = self->sample_rate;
  self->run_frame_ms = self->frame_ms;
  self->run_encoding = self->encoding;
  self->pending = g_byte_array_new ();
  self->n_frames = 0;
  self->n_samples_sent = 0;
  self->eos = FALSE;
  stok_pacer_init (&self->pacer, self->sample_rate,
                   stok_audio_samples_for_ms (self->sample_rate, self->frame_ms));
  self->running = TRUE;

  context = g_main_context_ref_thread_default ();
  self->pace_source = g_source_new (&pace_source_funcs, sizeof (GSource));
  g_source_set_static_name (self->pace_source, "[stok] audio pacing");
  /* Ahead of default-priority work such as redraws, so that frames are
   * not held up behind them. */
  g_source_set_priority (self->pace_source, G_PRIORITY_HIGH);
  g_source_set_callback (self->pace_source, ready_cb, self, NULL);
  g_source_attach (self->pace_source, context);

  self->clock_changed_id = g_signal_connect (self->clock, "changed",
                                             G_CALLBACK (clock_changed_cb), self);

  if (!gst->play (stream, context, ready_cb, self, &gst_error))
    {
      _stok_audio_source_stop_running (self);
      g_propagate_error (error, _stok_audio_source_error (self->kind, name, self->device, gst_error, FALSE));
      return FALSE;
    }

  if (self->audio_sent_us != 0)
    {
      self->audio_sent_us = 0;
      _stok_audio_source_notify (self, PROP_AUDIO_SENT_US);
    }
  set_level (self, STOK_AUDIO_LEVEL_FLOOR);
  set_start_us (self, -1);
  _stok_audio_source_notify (self, PROP_RUNNING);

  return TRUE;
}

/**
 * stok_audio_source_stop:
 * @self: a #StokAudioSource
 *
 * Stops sending; audio decoded or captured but not sent yet is dropped.
 * Emits neither ::finished nor ::failed.
 */
void
stok_audio_source_stop (StokAudioSource *self)
{
  g_return_if_fail (STOK_IS_AUDIO_SOURCE (self));

  if (!self->running)
    return;

  _stok_audio_source_stop_running (self);
  _stok_audio_source_notify (self, PROP_RUNNING);
}
