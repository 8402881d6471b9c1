/* stok-test-recorder.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What an audio source emits, recorded for the audio tests, and the ways
 * they drive a source: checked, played to its end on a manual clock, or
 * started up to its first frame. */

#include "config.h"

#include "stok-test-recorder.h"
#include "stok-test-util.h"

static void
frame_cb (StokAudioSource *source,
          GBytes          *data,
          gint64           offset_us,
          StokRecorder    *recorder)
{
  gint64 now = stok_clock_get_time (recorder->clock);

  if (g_thread_self () != recorder->thread)
    recorder->wrong_thread = TRUE;

  g_ptr_array_add (recorder->frames, g_bytes_ref (data));
  g_array_append_val (recorder->offsets, offset_us);
  g_array_append_val (recorder->times, now);

  if (recorder->stop_after > 0 && recorder->frames->len == recorder->stop_after)
    stok_audio_source_stop (source);
}

static void
finished_cb (StokAudioSource *source,
             StokRecorder    *recorder)
{
  g_assert_false (recorder->finished);
  recorder->finished = TRUE;
  recorder->n_at_finish = recorder->frames->len;
}

static void
failed_cb (StokAudioSource *source,
           const GError    *error,
           StokRecorder    *recorder)
{
  g_assert_null (recorder->error);
  recorder->error = g_error_copy (error);
}

StokRecorder *
stok_recorder_new (StokAudioSource *source)
{
  StokRecorder *recorder = g_new0 (StokRecorder, 1);

  recorder->source = g_object_ref (source);
  recorder->clock = g_object_ref (stok_audio_source_get_clock (source));
  recorder->frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  recorder->offsets = g_array_new (FALSE, FALSE, sizeof (gint64));
  recorder->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  recorder->thread = g_thread_self ();

  g_signal_connect (source, "frame", G_CALLBACK (frame_cb), recorder);
  g_signal_connect (source, "finished", G_CALLBACK (finished_cb), recorder);
  g_signal_connect (source, "failed", G_CALLBACK (failed_cb), recorder);

  return recorder;
}

void
stok_recorder_free (StokRecorder *recorder)
{
  g_signal_handlers_disconnect_by_data (recorder->source, recorder);
  g_clear_object (&recorder->source);
  g_clear_object (&recorder->clock);
  g_ptr_array_unref (recorder->frames);
  g_array_unref (recorder->offsets);
  g_array_unref (recorder->times);
  g_clear_error (&recorder->error);
  g_free (recorder);
}


gsize
stok_recorder_frame_size (StokRecorder *recorder,
                          guint         i)
{
  return g_bytes_get_size (g_ptr_array_index (recorder->frames, i));
}

gint64
stok_recorder_offset_at (StokRecorder *recorder,
                         guint         i)
{
  return g_array_index (recorder->offsets, gint64, i);
}

gint64
stok_recorder_time_at (StokRecorder *recorder,
                       guint         i)
{
  return g_array_index (recorder->times, gint64, i);
}

double
stok_recorder_level_at (StokRecorder      *recorder,
                        StokAudioEncoding  encoding,
                        guint              i)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (g_ptr_array_index (recorder->frames, i), &size);

  return stok_audio_level_dbfs (encoding, data, size);
}

typedef struct
{
  StokRecorder *recorder;
  guint n;
} Count;

static gboolean
has_frames (gpointer data)
{
  Count *count = data;

  return count->recorder->frames->len >= count->n || count->recorder->error != NULL;
}

gboolean
stok_recorder_wait_for_frames (StokRecorder *recorder,
                               guint         n)
{
  Count count = { recorder, n };

  return stok_test_wait_until (has_frames, &count, 20000) && recorder->frames->len >= n;
}

gboolean
stok_recorder_is_done (gpointer data)
{
  StokRecorder *recorder = data;

  return recorder->finished || recorder->error != NULL;
}

/* Plays a source paced by a manual clock to its end at once: every frame
 * is overdue as soon as its audio is decoded. */
void
stok_test_play_to_end (StokAudioSource *source,
                       StokRecorder    *recorder)
{
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  stok_audio_source_start (source, &error);
  g_assert_no_error (error);

  while (!stok_recorder_is_done (recorder))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      stok_clock_advance (recorder->clock, 10 * G_USEC_PER_SEC);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  g_assert_no_error (recorder->error);
  g_assert_false (stok_audio_source_get_running (source));
}

gboolean
stok_test_check_source (StokAudioSource  *source,
                        GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stok_audio_source_check_async (source, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return stok_audio_source_check_finish (source, result, error);
}

StokAudioSource *
stok_test_file_source (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return stok_audio_source_new_for_file (file);
}

gboolean
stok_test_has_started (gpointer data)
{
  return stok_audio_source_get_start_us (data) >= 0;
}

/* Starts @source on a manual @clock and moves the clock on until the
 * first frame is due: once its audio has played. */
void
stok_test_start_first_frame (StokAudioSource *source,
                             StokClock       *clock,
                             StokRecorder    *recorder)
{
  guint rate = stok_audio_source_get_sample_rate (source);
  guint64 samples = stok_audio_samples_for_ms (rate, stok_audio_source_get_frame_ms (source));
  guint n_before = recorder->frames->len;

  g_assert_true (stok_audio_source_start (source, NULL));
  g_assert_true (stok_test_wait_until (stok_test_has_started, source, 20000));
  stok_test_spin (50);
  g_assert_cmpuint (recorder->frames->len, ==, n_before);
  stok_clock_advance (clock, (gint64) ((samples * G_USEC_PER_SEC + rate - 1) / rate));
  g_assert_true (stok_recorder_wait_for_frames (recorder, n_before + 1));
}
