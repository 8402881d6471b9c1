/* test-audio-source.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The audio a session sends: frames of the right size, never sent before
 * their time and never drifting, from files GStreamer decodes, the
 * built-in sample and a microphone (a private PulseAudio's null sink);
 * the check that refuses a bad source before a token is spent; and
 * GStreamer loaded only when audio is used. Files are written by the
 * tests (stok-test-audio.c); a manual clock stands in for time wherever
 * real time is not the point. */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#include "stok-audio-source.h"
#include "stok-error.h"
#include "stok-fake-server.h"
#include "stok-pacer.h"
#include "stok-test-audio.h"
#include "stok-test-cli.h"
#include "stok-test-util.h"
#include "stok-token-client.h"

#define MS (G_USEC_PER_SEC / 1000)
#define KEY "sk-audio-0123456789"
#define GSTREAMER_LIBRARY "libgstreamer-1.0"

static char *tmp_dir;

/* What a source emitted, and when by its clock. */
typedef struct
{
  StokAudioSource *source;
  StokClock *clock;
  GPtrArray *frames;
  GArray *offsets;
  GArray *times;
  GError *error;
  GThread *thread;
  guint n_at_finish;
  guint stop_after;
  gboolean finished;
  gboolean wrong_thread;
} Recorder;

static void
frame_cb (StokAudioSource *source,
          GBytes          *data,
          gint64           offset_us,
          Recorder        *recorder)
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
             Recorder        *recorder)
{
  g_assert_false (recorder->finished);
  recorder->finished = TRUE;
  recorder->n_at_finish = recorder->frames->len;
}

static void
failed_cb (StokAudioSource *source,
           const GError    *error,
           Recorder        *recorder)
{
  g_assert_null (recorder->error);
  recorder->error = g_error_copy (error);
}

static Recorder *
recorder_new (StokAudioSource *source)
{
  Recorder *recorder = g_new0 (Recorder, 1);

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

static void
recorder_free (Recorder *recorder)
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

static gsize
frame_size (Recorder *recorder,
            guint     i)
{
  return g_bytes_get_size (g_ptr_array_index (recorder->frames, i));
}

static gint64
offset_at (Recorder *recorder,
           guint     i)
{
  return g_array_index (recorder->offsets, gint64, i);
}

static gint64
time_at (Recorder *recorder,
         guint     i)
{
  return g_array_index (recorder->times, gint64, i);
}

static double
level_at (Recorder          *recorder,
          StokAudioEncoding  encoding,
          guint              i)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (g_ptr_array_index (recorder->frames, i), &size);

  return stok_audio_level_dbfs (encoding, data, size);
}

typedef struct
{
  Recorder *recorder;
  guint n;
} Count;

static gboolean
has_frames (gpointer data)
{
  Count *count = data;

  return count->recorder->frames->len >= count->n || count->recorder->error != NULL;
}

static gboolean
wait_for_frames (Recorder *recorder,
                 guint     n)
{
  Count count = { recorder, n };

  return stok_test_wait_until (has_frames, &count, 20000) && recorder->frames->len >= n;
}

static gboolean
is_done (gpointer data)
{
  Recorder *recorder = data;

  return recorder->finished || recorder->error != NULL;
}

/* Plays a source paced by a manual clock to its end at once: every frame
 * is overdue as soon as its audio is decoded. */
static void
play_to_end (StokAudioSource *source,
             Recorder        *recorder)
{
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  stok_audio_source_start (source, &error);
  g_assert_no_error (error);

  while (!is_done (recorder))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      stok_clock_advance (recorder->clock, 10 * G_USEC_PER_SEC);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  g_assert_no_error (recorder->error);
  g_assert_false (stok_audio_source_get_running (source));
}

static gboolean
check (StokAudioSource  *source,
       GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stok_audio_source_check_async (source, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return stok_audio_source_check_finish (source, result, error);
}

static StokAudioSource *
file_source (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return stok_audio_source_new_for_file (file);
}

/* When frame k may go out at the earliest: once its own audio and the k
 * frames' before it have played, in real time, since the start. */
static gint64
due_time (Recorder *recorder,
          guint     k)
{
  guint rate = stok_audio_source_get_sample_rate (recorder->source);
  guint64 samples = (guint64) (k + 1) * stok_audio_samples_for_ms (rate, stok_audio_source_get_frame_ms (recorder->source));

  return stok_audio_source_get_start_us (recorder->source) +
         (gint64) ((samples * G_USEC_PER_SEC + rate - 1) / rate);
}

static void
assert_never_early (Recorder *recorder)
{
  guint rate = stok_audio_source_get_sample_rate (recorder->source);
  guint samples_per_frame = stok_audio_samples_for_ms (rate, stok_audio_source_get_frame_ms (recorder->source));

  g_assert_cmpint (stok_audio_source_get_start_us (recorder->source), >=, 0);
  for (guint k = 0; k < recorder->times->len; k++)
    {
      if (time_at (recorder, k) < due_time (recorder, k))
        g_error ("Frame %u was sent %" G_GINT64_FORMAT " µs before it was due",
                 k, due_time (recorder, k) - time_at (recorder, k));
      g_assert_cmpint (offset_at (recorder, k), ==,
                       stok_audio_samples_to_us (rate, (guint64) k * samples_per_frame));
    }
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Prints how late frames were against their due time: figures to read,
 * not to assert, since the machine's load decides them. */
static void
report_lateness (Recorder *recorder)
{
  g_autoptr(GArray) lateness = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n = recorder->times->len;

  for (guint k = 0; k < n; k++)
    {
      gint64 late = time_at (recorder, k) - due_time (recorder, k);

      g_array_append_val (lateness, late);
    }
  g_array_sort (lateness, compare_int64);

  g_test_message ("%u frames: lateness median %.2f ms, worst %.2f ms; last frame %.2f ms late",
                  n, g_array_index (lateness, gint64, n / 2) / 1000.0,
                  g_array_index (lateness, gint64, n - 1) / 1000.0,
                  (time_at (recorder, n - 1) - due_time (recorder, n - 1)) / 1000.0);
}

/* The pacer alone */

static void
test_pacer_schedule (void)
{
  StokPacer pacer;

  stok_pacer_init (&pacer, 16000, 800);
  g_assert_false (stok_pacer_is_started (&pacer));
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, G_MAXINT64 / 2), ==, 0);

  stok_pacer_start (&pacer, 1000 * MS);
  g_assert_cmpint (stok_pacer_get_due_time (&pacer, 0), ==, 1050 * MS);
  g_assert_cmpint (stok_pacer_get_due_time (&pacer, 7), ==, 1400 * MS);

  /* The first frame once its 50 ms have played, not a microsecond early:
   * the audio sent is never ahead of the clock. */
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, 999 * MS), ==, 0);
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, 1050 * MS - 1), ==, 0);
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, 1050 * MS), ==, 1);
  stok_pacer_mark_sent (&pacer);
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, 1050 * MS), ==, 0);

  /* Frame 1 not a microsecond early either. */
  g_assert_cmpint (stok_pacer_get_next_due (&pacer), ==, 1100 * MS);
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, 1100 * MS - 1), ==, 0);
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, 1100 * MS), ==, 1);
  stok_pacer_mark_sent (&pacer);

  /* Sent late, frame 2 is still due at 1150 ms, not 50 ms after frame 1
   * went out: the schedule never slides. */
  g_assert_cmpint (stok_pacer_get_next_due (&pacer), ==, 1150 * MS);
}

static void
test_pacer_overdue (void)
{
  StokPacer pacer;

  stok_pacer_init (&pacer, 16000, 1600);
  stok_pacer_start (&pacer, 0);
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, 100 * MS), ==, 1);
  stok_pacer_mark_sent (&pacer);

  /* Held up until 1.13 s: frames 1 to 10 are all due at once, 11 is
   * not. */
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, 1130 * MS), ==, 10);
  for (guint i = 0; i < 10; i++)
    stok_pacer_mark_sent (&pacer);
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, 1130 * MS), ==, 0);
  g_assert_cmpuint (stok_pacer_get_n_sent (&pacer), ==, 11);
  g_assert_cmpint (stok_pacer_get_next_due (&pacer), ==, 1200 * MS);

  /* Three hours in, exactly on time: no rounding has crept in. */
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, (gint64) 3 * 3600 * G_USEC_PER_SEC),
                    ==, 3 * 36000 - 11);
}

/* 50 ms at 11025 Hz is 552 samples, 50.068 ms: each frame is due when
 * the audio before it has played, to the microsecond, rounded up. */
static void
test_pacer_odd_rate (void)
{
  StokPacer pacer;
  gint64 three_hours;

  stok_pacer_init (&pacer, 11025, 552);
  stok_pacer_start (&pacer, 0);

  /* Frame 1 holds the audio up to 1104 samples: due when they played. */
  g_assert_cmpint (stok_pacer_get_due_time (&pacer, 1), ==, 100137);
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, 100136), ==, 1);
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, 100137), ==, 2);

  /* 19566 frames are 10799.97 s of audio: the last of them is due then,
   * not a frame's worth of rounding early or late. */
  three_hours = stok_pacer_get_due_time (&pacer, 19565);
  g_assert_cmpint (three_hours, ==, (gint64) ((19566ull * 552 * G_USEC_PER_SEC + 11024) / 11025));
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, three_hours - 1), ==, 19565);
  g_assert_cmpuint (stok_pacer_get_n_due (&pacer, three_hours), ==, 19566);
}

/* Paced by a manual clock */

static gboolean
has_started (gpointer data)
{
  return stok_audio_source_get_start_us (data) >= 0;
}

/* Starts @source on a manual @clock and moves the clock on until the
 * first frame is due: once its audio has played. */
static void
start_first_frame (StokAudioSource *source,
                   StokClock       *clock,
                   Recorder        *recorder)
{
  guint rate = stok_audio_source_get_sample_rate (source);
  guint64 samples = stok_audio_samples_for_ms (rate, stok_audio_source_get_frame_ms (source));
  guint n_before = recorder->frames->len;

  g_assert_true (stok_audio_source_start (source, NULL));
  g_assert_true (stok_test_wait_until (has_started, source, 20000));
  stok_test_spin (50);
  g_assert_cmpuint (recorder->frames->len, ==, n_before);
  stok_clock_advance (clock, (gint64) ((samples * G_USEC_PER_SEC + rate - 1) / rate));
  g_assert_true (wait_for_frames (recorder, n_before + 1));
}

static void
test_manual_clock (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (1000 * G_USEC_PER_SEC);
  g_autofree char *path = stok_test_write_wav (tmp_dir, "tone-1020ms.wav", 16000, 1, 1020, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = file_source (path);
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *last;
  gsize last_size;

  stok_audio_source_set_clock (source, clock);
  recorder = recorder_new (source);

  g_assert_true (stok_audio_source_start (source, &error));
  g_assert_no_error (error);
  g_assert_true (stok_audio_source_get_running (source));

  /* The pacing starts when the first audio is decoded; the clock stands
   * still: however long the main loop runs, and though the whole file is
   * decoded by now, no frame, since none has played yet. */
  g_assert_true (stok_test_wait_until (has_started, source, 20000));
  g_assert_cmpint (stok_audio_source_get_start_us (source), ==, 1000 * G_USEC_PER_SEC);
  stok_test_spin (300);
  g_assert_cmpuint (recorder->frames->len, ==, 0);

  /* Not one microsecond early: the first frame, 50 ms at 16 kHz in 16
   * bits, 1600 bytes, once those 50 ms have passed. */
  stok_clock_advance (clock, 50 * MS - 1);
  stok_test_spin (100);
  g_assert_cmpuint (recorder->frames->len, ==, 0);
  stok_clock_advance (clock, 1);
  g_assert_true (wait_for_frames (recorder, 1));
  g_assert_cmpuint (frame_size (recorder, 0), ==, 1600);
  g_assert_cmpuint (frame_size (recorder, 0), ==, stok_audio_bytes_for_ms (STOK_AUDIO_ENCODING_PCM_S16LE, 16000, 50));
  g_assert_cmpint (offset_at (recorder, 0), ==, 0);

  stok_clock_advance (clock, 50 * MS);
  g_assert_true (wait_for_frames (recorder, 2));
  stok_test_spin (50);
  g_assert_cmpuint (recorder->frames->len, ==, 2);
  g_assert_cmpint (offset_at (recorder, 1), ==, 50 * MS);

  /* The main loop held up for 260 ms: the five frames due meanwhile go
   * out together, and not the sixth. */
  stok_clock_advance (clock, 260 * MS);
  g_assert_true (wait_for_frames (recorder, 7));
  stok_test_spin (100);
  g_assert_cmpuint (recorder->frames->len, ==, 7);
  for (guint k = 2; k < 7; k++)
    g_assert_cmpint (time_at (recorder, k), ==, time_at (recorder, 2));
  g_assert_cmpint (stok_audio_source_get_audio_sent_us (source), ==, 7 * 50 * MS);

  /* To the end: 20 whole frames and 20 ms, padded with silence to the
   * 50 ms the server takes at least. */
  stok_clock_advance (clock, 10 * G_USEC_PER_SEC);
  g_assert_true (stok_test_wait_until (is_done, recorder, 20000));
  g_assert_no_error (recorder->error);
  g_assert_true (recorder->finished);
  g_assert_cmpuint (recorder->n_at_finish, ==, 21);
  g_assert_cmpuint (recorder->frames->len, ==, 21);
  for (guint k = 0; k < 21; k++)
    g_assert_cmpuint (frame_size (recorder, k), ==, 1600);

  last = g_bytes_get_data (g_ptr_array_index (recorder->frames, 20), &last_size);
  g_assert_cmpfloat (stok_audio_level_dbfs (STOK_AUDIO_ENCODING_PCM_S16LE, last, 640), >, -20);
  for (gsize i = 640; i < last_size; i++)
    g_assert_cmpuint (last[i], ==, 0);

  assert_never_early (recorder);
  g_assert_false (recorder->wrong_thread);
  g_assert_false (stok_audio_source_get_running (source));
  g_assert_cmpint (stok_audio_source_get_audio_sent_us (source), ==, 21 * 50 * MS);
  /* A tone at -6 dBFS peak: -9 dBFS RMS. */
  g_assert_cmpfloat_with_epsilon (stok_audio_source_get_level (source), -9.0 - 10 * log10 (50.0 / 20), 0.5);

  g_clear_pointer (&recorder, recorder_free);
  g_assert_finalize_object (g_steal_pointer (&source));
}

/* 11025 Hz makes 551.25 samples in 50 ms: frames of 552, paced by the
 * audio they hold, and the last one padded to 552 too. */
static void
test_odd_rate (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (0);
  g_autofree char *path = stok_test_write_wav (tmp_dir, "tone-11025.wav", 11025, 1, 1000, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = file_source (path);
  g_autoptr(Recorder) recorder = NULL;

  stok_audio_source_set_clock (source, clock);
  stok_audio_source_set_sample_rate (source, 11025);
  recorder = recorder_new (source);

  play_to_end (source, recorder);

  /* 11025 = 19 * 552 + 537 */
  g_assert_cmpuint (recorder->frames->len, ==, 20);
  for (guint k = 0; k < 20; k++)
    g_assert_cmpuint (frame_size (recorder, k), ==, 552 * 2);
  g_assert_cmpint (offset_at (recorder, 19), ==, (gint64) 19 * 552 * G_USEC_PER_SEC / 11025);
  g_assert_cmpint (stok_audio_source_get_audio_sent_us (source), ==, (gint64) 20 * 552 * G_USEC_PER_SEC / 11025);
  assert_never_early (recorder);
}

/* A second of audio a frame, in mu-law at 8 kHz: 8000 bytes each. */
static void
test_long_frames (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (0);
  g_autofree char *path = stok_test_write_wav (tmp_dir, "tone-8k.wav", 8000, 1, 3000, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = file_source (path);
  g_autoptr(Recorder) recorder = NULL;

  stok_audio_source_set_clock (source, clock);
  stok_audio_source_set_sample_rate (source, 8000);
  stok_audio_source_set_encoding (source, STOK_AUDIO_ENCODING_PCM_MULAW);
  stok_audio_source_set_frame_ms (source, 1000);
  recorder = recorder_new (source);

  start_first_frame (source, clock, recorder);
  stok_clock_advance (clock, 999 * MS);
  stok_test_spin (100);
  g_assert_cmpuint (recorder->frames->len, ==, 1);
  stok_clock_advance (clock, 1 * MS);
  g_assert_true (wait_for_frames (recorder, 2));

  stok_clock_advance (clock, 10 * G_USEC_PER_SEC);
  g_assert_true (stok_test_wait_until (is_done, recorder, 20000));
  g_assert_true (recorder->finished);
  g_assert_cmpuint (recorder->frames->len, ==, 3);
  for (guint k = 0; k < 3; k++)
    g_assert_cmpuint (frame_size (recorder, k), ==, 8000);
  assert_never_early (recorder);
}

/* A handler may stop the source: nothing more comes, not even the end. */
static void
test_stop_in_handler (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (0);
  g_autofree char *path = stok_test_write_wav (tmp_dir, "tone-stop.wav", 16000, 1, 2000, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = file_source (path);
  g_autoptr(Recorder) recorder = NULL;

  stok_audio_source_set_clock (source, clock);
  recorder = recorder_new (source);
  recorder->stop_after = 4;

  start_first_frame (source, clock, recorder);
  stok_clock_advance (clock, 10 * G_USEC_PER_SEC);
  g_assert_true (wait_for_frames (recorder, 4));
  stok_test_spin (200);

  g_assert_cmpuint (recorder->frames->len, ==, 4);
  g_assert_false (recorder->finished);
  g_assert_no_error (recorder->error);
  g_assert_false (stok_audio_source_get_running (source));

  /* And it starts again from the top. */
  recorder->stop_after = 0;
  g_ptr_array_set_size (recorder->frames, 0);
  g_array_set_size (recorder->offsets, 0);
  g_array_set_size (recorder->times, 0);
  play_to_end (source, recorder);
  g_assert_cmpuint (recorder->frames->len, ==, 40);
  g_assert_cmpint (offset_at (recorder, 0), ==, 0);
  g_assert_cmpint (stok_audio_source_get_audio_sent_us (source), ==, 2 * G_USEC_PER_SEC);
}

/* Decoding */

/* CD audio in stereo becomes mono at 16 kHz: the bytes are the duration's. */
static void
test_resample (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (0);
  g_autofree char *path = stok_test_write_wav (tmp_dir, "tone-44k-stereo.wav", 44100, 2, 2000, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = file_source (path);
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(GError) error = NULL;

  stok_audio_source_set_clock (source, clock);
  check (source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stok_audio_source_get_native_rate (source), ==, 44100);
  g_assert_cmpint (stok_audio_source_get_duration_us (source), ==, 2 * G_USEC_PER_SEC);

  recorder = recorder_new (source);
  play_to_end (source, recorder);

  g_assert_cmpuint (recorder->frames->len, ==, 40);
  for (guint k = 0; k < 40; k++)
    g_assert_cmpuint (frame_size (recorder, k), ==, 1600);
  g_assert_cmpint (stok_audio_source_get_audio_sent_us (source), ==, 2 * G_USEC_PER_SEC);

  /* Still the tone, at its level, after the conversion. */
  g_assert_cmpfloat_with_epsilon (level_at (recorder, STOK_AUDIO_ENCODING_PCM_S16LE, 20), -9.03, 0.2);
}

/* mu-law frames are half the size, and hold the same sound. */
static void
test_mulaw (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (0);
  g_autofree char *path = stok_test_write_wav (tmp_dir, "tone-mulaw.wav", 16000, 1, 1000, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = file_source (path);
  g_autoptr(Recorder) pcm = NULL;
  g_autoptr(Recorder) mulaw = NULL;

  stok_audio_source_set_clock (source, clock);
  pcm = recorder_new (source);
  play_to_end (source, pcm);
  g_clear_pointer (&pcm->source, g_object_unref);
  g_signal_handlers_disconnect_by_data (source, pcm);
  pcm->source = g_object_ref (source);

  stok_audio_source_set_encoding (source, STOK_AUDIO_ENCODING_PCM_MULAW);
  mulaw = recorder_new (source);
  play_to_end (source, mulaw);

  g_assert_cmpuint (mulaw->frames->len, ==, 20);
  g_assert_cmpuint (pcm->frames->len, ==, 20);
  for (guint k = 0; k < 20; k++)
    {
      const guint8 *linear = g_bytes_get_data (g_ptr_array_index (pcm->frames, k), NULL);
      const guint8 *law = g_bytes_get_data (g_ptr_array_index (mulaw->frames, k), NULL);

      g_assert_cmpuint (frame_size (mulaw, k), ==, 800);
      g_assert_cmpuint (frame_size (mulaw, k) * 2, ==, frame_size (pcm, k));
      g_assert_cmpfloat_with_epsilon (level_at (mulaw, STOK_AUDIO_ENCODING_PCM_MULAW, k),
                                      level_at (pcm, STOK_AUDIO_ENCODING_PCM_S16LE, k), 0.5);
      g_assert_cmpuint (law[100], ==, stok_audio_mulaw_encode ((gint16) (linear[200] | (linear[201] << 8))));
    }
}

/* The built-in sample: Ogg Vorbis at 48 kHz, spoken, with a pause long
 * enough to end a turn, played to its end. */
static void
test_sample (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (0);
  g_autoptr(StokAudioSource) source = stok_audio_source_new_sample ();
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  guint longest_quiet = 0, quiet = 0, loud = 0;
  gint64 duration;

  g_assert_cmpint (stok_audio_source_get_kind (source), ==, STOK_AUDIO_SOURCE_SAMPLE);
  name = stok_audio_source_dup_display_name (source);
  g_assert_cmpstr (name, ==, "Built-in sample");

  stok_audio_source_set_clock (source, clock);
  check (source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stok_audio_source_get_native_rate (source), ==, 48000);
  duration = stok_audio_source_get_duration_us (source);
  g_assert_cmpint (duration, >, 6 * G_USEC_PER_SEC);
  g_assert_cmpint (duration, <, 9 * G_USEC_PER_SEC);

  recorder = recorder_new (source);
  play_to_end (source, recorder);

  /* As long as the sample, give or take the padding of the last frame. */
  g_assert_cmpint (stok_audio_source_get_audio_sent_us (source), >=, duration);
  g_assert_cmpint (stok_audio_source_get_audio_sent_us (source), <, duration + 50 * MS);
  g_assert_cmpuint (recorder->frames->len, ==, (duration + 50 * MS - 1) / (50 * MS));

  for (guint k = 0; k < recorder->frames->len; k++)
    {
      double level = level_at (recorder, STOK_AUDIO_ENCODING_PCM_S16LE, k);

      if (level > -35)
        {
          loud++;
          if (loud > 1)
            longest_quiet = MAX (longest_quiet, quiet);
          quiet = 0;
        }
      else if (level < -50)
        quiet++;
    }

  /* Speech for seconds, and between it a pause of well over a second. */
  g_assert_cmpuint (loud, >, 40);
  g_assert_cmpuint (longest_quiet * 50, >=, 1200);
}

/* The check */

static void
assert_check_fails (StokAudioSource *source,
                    StokErrorCode    code,
                    const char      *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = stok_audio_source_dup_display_name (source);

  g_assert_false (check (source, &error));
  g_assert_error (error, STOK_ERROR, code);
  g_test_message ("%s", error->message);
  /* The message names the file, and says what is wrong. */
  g_assert_nonnull (strstr (error->message, name));
  if (in_message != NULL)
    g_assert_nonnull (strstr (error->message, in_message));
  g_assert_nonnull (stok_error_get_title (error));
  g_assert_nonnull (stok_error_get_advice (error));
}

static void
test_check_missing (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "no-such-file.wav", NULL);
  g_autoptr(StokAudioSource) source = file_source (path);

  assert_check_fails (source, STOK_ERROR_SOURCE_UNREADABLE, "no such file");
}

static void
test_check_folder (void)
{
  g_autoptr(StokAudioSource) source = file_source (tmp_dir);

  assert_check_fails (source, STOK_ERROR_SOURCE_UNREADABLE, "folder");
}

static void
test_check_text (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "notes.wav", NULL);
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "These are meeting notes, not a recording.\n", -1, &error);
  g_assert_no_error (error);
  source = file_source (path);

  assert_check_fails (source, STOK_ERROR_SOURCE_NOT_AUDIO, NULL);
}

static void
test_check_empty (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "empty.wav", NULL);
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "", 0, &error);
  g_assert_no_error (error);
  source = file_source (path);

  assert_check_fails (source, STOK_ERROR_SOURCE_NOT_AUDIO, "empty");
}

/* A picture decodes, but to no sound: not audio either. */
static void
test_check_image (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "icons", "hicolor",
                                                 "scalable", "apps",
                                                 "io.github.streamingtoken.StreamingToken.svg", NULL);
  g_autofree char *png = g_test_build_filename (G_TEST_DIST, "..", "data", "screenshots", "token.png", NULL);
  g_autoptr(StokAudioSource) source = NULL;

  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  source = file_source (png);
  assert_check_fails (source, STOK_ERROR_SOURCE_NOT_AUDIO, NULL);
  g_clear_object (&source);

  source = file_source (path);
  assert_check_fails (source, STOK_ERROR_SOURCE_NOT_AUDIO, NULL);
}

/* Five seconds of digital zero: scanned to its end, and refused. */
static void
test_check_silent (void)
{
  g_autofree char *path = stok_test_write_wav (tmp_dir, "silence.wav", 16000, 1, 5000, STOK_TEST_SILENCE);
  g_autoptr(StokAudioSource) source = file_source (path);

  assert_check_fails (source, STOK_ERROR_SOURCE_SILENT, NULL);
}

/* Telephone audio cannot be sent at 16 kHz without inventing it. */
static void
test_check_rate (void)
{
  g_autofree char *path = stok_test_write_wav (tmp_dir, "phone.wav", 8000, 1, 1000, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = file_source (path);
  g_autoptr(GError) error = NULL;

  assert_check_fails (source, STOK_ERROR_SOURCE_RATE, "8000 Hz");
  g_assert_cmpuint (stok_audio_source_get_native_rate (source), ==, 8000);

  /* At its own rate, or below, it passes. */
  stok_audio_source_set_sample_rate (source, 8000);
  g_assert_true (check (source, &error));
  g_assert_no_error (error);
}

/* Sound after seconds of silence is found; the file passes. */
static void
test_check_late_sound (void)
{
  g_autofree char *silence = stok_test_write_wav (tmp_dir, "late-a.wav", 16000, 1, 3000, STOK_TEST_SILENCE);
  g_autofree char *tone = stok_test_write_wav (tmp_dir, "late-b.wav", 16000, 1, 500, STOK_TEST_TONE);
  g_autofree char *path = g_build_filename (tmp_dir, "late.wav", NULL);
  g_autofree char *silence_data = NULL, *tone_data = NULL;
  g_autoptr(GString) joined = NULL;
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;
  gsize silence_len, tone_len;
  guint32 data_size;

  /* Silence then the tone, under one header. */
  g_file_get_contents (silence, &silence_data, &silence_len, &error);
  g_assert_no_error (error);
  g_file_get_contents (tone, &tone_data, &tone_len, &error);
  g_assert_no_error (error);
  joined = g_string_new_len (silence_data, silence_len);
  g_string_append_len (joined, tone_data + 44, tone_len - 44);
  data_size = GUINT32_TO_LE ((guint32) (joined->len - 44));
  memcpy (joined->str + 40, &data_size, 4);
  data_size = GUINT32_TO_LE ((guint32) (joined->len - 8));
  memcpy (joined->str + 4, &data_size, 4);
  g_file_set_contents (path, joined->str, joined->len, &error);
  g_assert_no_error (error);

  source = file_source (path);
  g_assert_true (check (source, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stok_audio_source_get_duration_us (source), ==, 3500 * MS);
}

/* Decoding stays a little ahead of the sending: a three-hour file (a
 * sparse one, silent, on no disk space) does not fill memory when it is
 * not being sent. */
static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);

  return strtol (line + strlen ("VmRSS:"), NULL, 10);
}

static void
test_memory (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (0);
  g_autofree char *path = stok_test_write_sparse_wav (tmp_dir, "three-hours.wav", 16000, 3 * 3600);
  g_autoptr(StokAudioSource) source = file_source (path);
  g_autoptr(Recorder) recorder = NULL;
  long before, after;

  stok_audio_source_set_clock (source, clock);
  recorder = recorder_new (source);

  /* Once to load GStreamer and its plugins, whose memory is not ours. */
  start_first_frame (source, clock, recorder);
  stok_audio_source_stop (source);
  before = rss_kib ();

  start_first_frame (source, clock, recorder);
  /* Time for a decoder without back-pressure to read tens of MiB: one
   * that was let run took 30 MiB in 1.5 s here. */
  stok_test_spin (2000);
  after = rss_kib ();
  g_test_message ("RSS %ld KiB before, %ld KiB while a 3-hour file (%.0f MiB of audio) is open",
                  before, after, 16000.0 * 2 * 3 * 3600 / (1 << 20));

  /* It grows by some 100 KiB: a few seconds of audio, and allocator
   * noise. Under a memory checker, resident memory is the checker's. */
#ifdef UNDER_ASAN
  g_test_message ("Under AddressSanitizer: not measured");
#else
  if (RUNNING_ON_VALGRIND)
    g_test_message ("Under valgrind: not measured");
  else
    g_assert_cmpint (after - before, <, 8 * 1024);
#endif
  stok_audio_source_stop (source);
  g_assert_cmpuint (recorder->frames->len, ==, 2);
}

/* Paced by the real clock */

/* 12 s at 50 ms a frame: no frame before its time, all 240 of them, and
 * the lateness printed (a figure, not a test). */
static void
test_real_clock (void)
{
  g_autofree char *path = stok_test_write_wav (tmp_dir, "tone-12s.wav", 16000, 1, 12000, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = file_source (path);
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started, elapsed;

  recorder = recorder_new (source);
  g_assert_true (stok_audio_source_get_clock (source) == stok_clock_get_default ());

  started = g_get_monotonic_time ();
  g_assert_true (stok_audio_source_start (source, &error));
  g_assert_no_error (error);
  g_assert_true (stok_test_wait_until (is_done, recorder, 30000));
  elapsed = g_get_monotonic_time () - started;

  g_assert_no_error (recorder->error);
  g_assert_cmpuint (recorder->frames->len, ==, 240);
  assert_never_early (recorder);
  /* The audio was not sent faster than it plays: the last frame went out
   * no sooner than the 12 s of audio after the start. Measured from the
   * start, not from the first frame, which may itself have gone out a
   * little late. */
  g_assert_cmpint (time_at (recorder, 239) - stok_audio_source_get_start_us (source), >=, 12000 * MS);
  report_lateness (recorder);
  g_test_message ("12 s of audio sent in %.3f s", elapsed / 1e6);
}

/* GStreamer loaded lazily */

static void
mint_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  StokToken **token = user_data;
  g_autoptr(GError) error = NULL;

  *token = stok_token_client_mint_finish (STOK_TOKEN_CLIENT (object), result, NULL, &error);
  g_assert_no_error (error);
}

/* In a process of its own, so that no other test has loaded it first:
 * minting maps no GStreamer, checking a source does. */
static void
test_lazy_loading (void)
{
  g_autoptr(StokFakeServer) server = NULL;
  g_autoptr(StokTokenClient) client = NULL;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  g_assert_false (stok_test_process_maps (GSTREAMER_LIBRARY));

  server = stok_fake_server_new_listening ();
  client = stok_token_client_new ();
  stok_token_client_mint_async (client, stok_fake_server_get_url (server), KEY, 60, 0,
                                NULL, mint_cb, &token);
  while (token == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* A source made but not used loads nothing either. */
  source = stok_audio_source_new_sample ();
  g_assert_false (stok_test_process_maps (GSTREAMER_LIBRARY));

  g_assert_true (check (source, &error));
  g_assert_no_error (error);
  g_assert_true (stok_test_process_maps (GSTREAMER_LIBRARY));
}

static char *
run_readelf (const char *readelf,
             const char *binary)
{
  const char *argv[] = { readelf, "-d", binary, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  return out;
}

/* The programs themselves: neither names GStreamer among the libraries
 * it needs, and `--print-token` loads none of it. */
static void
test_programs_without_gstreamer (void)
{
  const char *cli = g_getenv ("STOK_STREAMING_TOKEN");
  g_autofree char *bin_dir = NULL;
  g_autofree char *app = NULL;
  g_autofree char *readelf = g_find_program_in_path ("readelf");
  g_autoptr(StokFakeServer) server = NULL;
  g_autoptr(StokCliRun) run = NULL;
  g_autofree char *server_arg = NULL;
  g_autofree char *debug_dir = NULL;
  g_autofree char *debug_prefix = NULL;
  g_auto(GStrv) env = NULL;
  const char *entry;
  guint n_logs = 0;
  GDir *dir;

  if (cli == NULL)
    {
      g_test_skip ("STOK_STREAMING_TOKEN is not set");
      return;
    }
  bin_dir = g_path_get_dirname (cli);
  app = g_build_filename (bin_dir, "streaming-token-app", NULL);

  if (readelf == NULL)
    {
      g_test_message ("readelf not found: the NEEDED entries are not checked");
    }
  else
    {
      const char *binaries[] = { cli, app };

      for (guint i = 0; i < G_N_ELEMENTS (binaries); i++)
        {
          g_autofree char *dynamic = run_readelf (readelf, binaries[i]);

          g_assert_nonnull (strstr (dynamic, "(NEEDED)"));
          g_assert_nonnull (strstr (dynamic, "libglib-2.0"));
          g_assert_null (strstr (dynamic, "libgst"));
        }
    }

  /* The dynamic loader lists every library it maps, dlopen()ed ones too,
   * in a file of its own named after the process. */
  server = stok_fake_server_new_listening ();
  server_arg = g_strconcat ("--server=", stok_fake_server_get_url (server), NULL);
  debug_dir = g_build_filename (tmp_dir, "ld-debug", NULL);
  g_assert_cmpint (g_mkdir (debug_dir, 0700), ==, 0);
  debug_prefix = g_build_filename (debug_dir, "print-token", NULL);
  env = stok_cli_environ (KEY, NULL);
  env = g_environ_setenv (env, "LD_DEBUG", "files", TRUE);
  env = g_environ_setenv (env, "LD_DEBUG_OUTPUT", debug_prefix, TRUE);
  {
    const char * const args[] = { "--print-token", server_arg, NULL };

    run = stok_cli_run (args, env);
  }
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (stok_fake_server_get_last_token (server));
  g_assert_true (g_str_has_prefix (run->out, stok_fake_server_get_last_token (server)));

  dir = g_dir_open (debug_dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (debug_dir, entry, NULL);
      g_autofree char *loaded = NULL;

      g_assert_true (g_file_get_contents (path, &loaded, NULL, NULL));
      g_assert_nonnull (strstr (loaded, "libglib-2.0"));
      g_assert_null (strstr (loaded, GSTREAMER_LIBRARY));
      n_logs++;
    }
  g_dir_close (dir);
  g_assert_cmpuint (n_logs, >=, 1);
}

/* No module where it is looked for, or a file there that is no module:
 * audio is unavailable, and says why. Nothing else breaks. */
static void
test_no_module (void)
{
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      g_autofree char *missing = g_build_filename (tmp_dir, "no-such-module.so", NULL);
      g_autofree char *not_module = g_build_filename (tmp_dir, "not-a-module.so", NULL);
      g_autofree char *saved = g_strdup (g_getenv ("STOK_GST_AUDIO_MODULE"));

      g_assert_true (g_file_set_contents (not_module, "not a shared library\n", -1, NULL));

      g_setenv ("STOK_GST_AUDIO_MODULE", missing, TRUE);
      g_test_trap_subprocess ("/audio-source/no-module/subprocess/missing", 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("*not installed*no-such-module.so*");

      g_setenv ("STOK_GST_AUDIO_MODULE", not_module, TRUE);
      g_test_trap_subprocess ("/audio-source/no-module/subprocess/broken", 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("*could not be loaded*");

      if (saved != NULL)
        g_setenv ("STOK_GST_AUDIO_MODULE", saved, TRUE);
      return;
    }

  source = stok_audio_source_new_sample ();
  g_assert_false (check (source, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_AUDIO_UNAVAILABLE);
  g_print ("%s\n", error->message);
  g_clear_error (&error);

  g_assert_false (stok_audio_source_start (source, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_AUDIO_UNAVAILABLE);
  g_assert_false (stok_audio_source_get_running (source));
  g_assert_false (stok_test_process_maps (GSTREAMER_LIBRARY));
}

/* GStreamer without its plugins: the element that is missing is named. */
static void
test_no_plugins (void)
{
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      g_autofree char *empty = g_build_filename (tmp_dir, "no-plugins", NULL);
      g_autofree char *registry = g_build_filename (tmp_dir, "no-plugins.registry", NULL);

      g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
      g_setenv ("GST_PLUGIN_SYSTEM_PATH_1_0", empty, TRUE);
      g_setenv ("GST_PLUGIN_PATH_1_0", empty, TRUE);
      g_setenv ("GST_REGISTRY_1_0", registry, TRUE);
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_unsetenv ("GST_PLUGIN_SYSTEM_PATH_1_0");
      g_unsetenv ("GST_PLUGIN_PATH_1_0");
      g_unsetenv ("GST_REGISTRY_1_0");
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("*GStreamer has no *giosrc* element*");
      return;
    }

  source = stok_audio_source_new_sample ();
  g_assert_false (check (source, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_AUDIO_UNAVAILABLE);
  g_print ("%s\n", error->message);
  g_assert_nonnull (strstr (stok_error_get_advice (error), "gstreamer1.0-plugins-base"));
}

/* The microphone, from a private PulseAudio */

typedef struct
{
  GSubprocess *daemon;
  char *dir;
  char *server;
} Pulse;

static void
pulse_stop (Pulse *pulse)
{
  if (pulse->daemon != NULL)
    {
      g_subprocess_send_signal (pulse->daemon, SIGTERM);
      g_subprocess_wait (pulse->daemon, NULL, NULL);
      g_clear_object (&pulse->daemon);
    }
  if (pulse->dir != NULL)
    stok_test_rm_rf (pulse->dir);
  g_clear_pointer (&pulse->dir, g_free);
  g_clear_pointer (&pulse->server, g_free);
}

/* GSubprocess tells whether a child exited only once it was waited for:
 * a child that has exited and not been reaped is a zombie. */
static gboolean
has_exited (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (process));
  g_autofree char *stat = NULL;
  const char *end;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;

  /* pid (comm) state ...: the state follows the last parenthesis. */
  end = strrchr (stat, ')');

  return end == NULL || end[1] == '\0' || end[2] == 'Z' || end[2] == 'X';
}

/* A sound server with one null sink, "virt", whose monitor is a capture
 * device; it lives in a directory of its own and touches nothing of the
 * user's. Returns FALSE, with why, when it cannot run here. */
static gboolean
pulse_start (Pulse  *pulse,
             char  **why)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *socket = NULL;
  g_autofree char *protocol = NULL;
  g_autofree char *program = g_find_program_in_path ("pulseaudio");
  g_autofree char *log = NULL;
  gint64 deadline;

  memset (pulse, 0, sizeof *pulse);

  if (program == NULL)
    {
      *why = g_strdup ("pulseaudio is not installed");
      return FALSE;
    }

  pulse->dir = g_dir_make_tmp ("stok-pulse-XXXXXX", &error);
  g_assert_no_error (error);
  socket = g_build_filename (pulse->dir, "native", NULL);
  protocol = g_strdup_printf ("module-native-protocol-unix auth-anonymous=1 socket=%s", socket);
  log = g_build_filename (pulse->dir, "log", NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", pulse->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", pulse->dir, TRUE);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  pulse->daemon = g_subprocess_launcher_spawn (launcher, &error,
                                               program, "-n", "--daemonize=no",
                                               "--exit-idle-time=-1", "--log-target=stderr",
                                               "--load=module-null-sink sink_name=virt",
                                               "--load", protocol,
                                               NULL);
  if (pulse->daemon == NULL)
    {
      *why = g_strdup_printf ("pulseaudio did not start: %s", error->message);
      pulse_stop (pulse);
      return FALSE;
    }

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!g_file_test (socket, G_FILE_TEST_EXISTS))
    {
      if (g_get_monotonic_time () > deadline || has_exited (pulse->daemon))
        {
          g_autofree char *output = NULL;

          g_file_get_contents (log, &output, NULL, NULL);
          *why = g_strdup_printf ("pulseaudio did not open its socket: %s", output ? output : "");
          pulse_stop (pulse);
          return FALSE;
        }
      g_usleep (20 * 1000);
    }

  pulse->server = g_strconcat ("unix:", socket, NULL);
  return TRUE;
}

/* No sound server of the user's, and no autospawned one either. */
static void
isolate_from_pulse (const char *server)
{
  g_autofree char *config = g_build_filename (tmp_dir, "pulse-client.conf", NULL);

  g_assert_true (g_file_set_contents (config, "autospawn = no\n", -1, NULL));
  g_setenv ("PULSE_CLIENTCONFIG", config, TRUE);
  g_setenv ("PULSE_SERVER", server, TRUE);
}

typedef struct
{
  Recorder *recorder;
  double above;
} Level;

static gboolean
has_loud_frame (gpointer data)
{
  Level *level = data;
  Recorder *recorder = level->recorder;

  for (guint k = 0; k < recorder->frames->len; k++)
    if (level_at (recorder, STOK_AUDIO_ENCODING_PCM_S16LE, k) > level->above)
      return TRUE;

  return recorder->error != NULL;
}

/* Frames come as captured, of the size asked for; their level rises when
 * a clip plays into the null sink. The sound server is the parent's, the
 * capture the child's: GStreamer reads PULSE_SERVER when it connects. */
static void
test_microphone (void)
{
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(StokAudioSource) default_source = NULL;
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(GSubprocess) player = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *clip = NULL;
  g_autofree char *paplay = NULL;
  Level loud;

  if (!g_test_subprocess ())
    {
      g_autofree char *why = NULL;
      Pulse pulse;

      if (!pulse_start (&pulse, &why))
        {
          g_test_skip (why);
          return;
        }
      isolate_from_pulse (pulse.server);
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_unsetenv ("PULSE_SERVER");
      pulse_stop (&pulse);
      g_test_trap_assert_passed ();
      return;
    }

  paplay = g_find_program_in_path ("paplay");
  g_assert_nonnull (paplay);

  /* The default device, which is the null sink's monitor here, and the
   * monitor by name. */
  default_source = stok_audio_source_new_microphone (NULL);
  g_assert_true (check (default_source, &error));
  g_assert_no_error (error);

  source = stok_audio_source_new_microphone ("virt.monitor");
  g_assert_true (check (source, &error));
  g_assert_no_error (error);

  recorder = recorder_new (source);
  g_assert_true (stok_audio_source_start (source, &error));
  g_assert_no_error (error);

  /* Half a second of nothing playing: silence. */
  g_assert_true (wait_for_frames (recorder, 10));
  for (guint k = 0; k < 10; k++)
    g_assert_cmpfloat (level_at (recorder, STOK_AUDIO_ENCODING_PCM_S16LE, k), <, -60);

  clip = stok_test_write_wav (tmp_dir, "clip.wav", 44100, 2, 2000, STOK_TEST_TONE);
  player = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                             paplay, "--device=virt", clip, NULL);
  g_assert_no_error (error);

  loud.recorder = recorder;
  loud.above = -20;
  g_assert_true (stok_test_wait_until (has_loud_frame, &loud, 20000));
  g_assert_no_error (recorder->error);
  g_assert_cmpfloat (stok_audio_source_get_level (source), >, -100);

  stok_audio_source_stop (source);
  g_subprocess_wait (player, NULL, NULL);

  for (guint k = 0; k < recorder->frames->len; k++)
    {
      g_assert_cmpuint (frame_size (recorder, k), ==, 1600);
      g_assert_cmpint (offset_at (recorder, k), ==, (gint64) k * 50 * MS);
    }
  g_assert_false (recorder->finished);
  g_assert_false (recorder->wrong_thread);
  g_test_message ("%u frames captured", recorder->frames->len);
}

/* No sound server at all: the check says there is no microphone, and so
 * does start. */
static void
test_no_microphone (void)
{
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      g_autofree char *nowhere = g_strconcat ("unix:", tmp_dir, "/no-pulse-here", NULL);

      isolate_from_pulse (nowhere);
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_unsetenv ("PULSE_SERVER");
      g_test_trap_assert_passed ();
      return;
    }

  source = stok_audio_source_new_microphone (NULL);
  g_assert_false (check (source, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_NO_MICROPHONE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "No microphone is available"));
  g_clear_error (&error);

  g_assert_false (stok_audio_source_start (source, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_NO_MICROPHONE);
  g_assert_false (stok_audio_source_get_running (source));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("stok-audio-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/audio-source/pacer/schedule", test_pacer_schedule);
  g_test_add_func ("/audio-source/pacer/overdue", test_pacer_overdue);
  g_test_add_func ("/audio-source/pacer/odd-rate", test_pacer_odd_rate);
  g_test_add_func ("/audio-source/lazy-loading", test_lazy_loading);
  g_test_add_func ("/audio-source/programs-without-gstreamer", test_programs_without_gstreamer);
  g_test_add_func ("/audio-source/manual-clock", test_manual_clock);
  g_test_add_func ("/audio-source/manual-clock/odd-rate", test_odd_rate);
  g_test_add_func ("/audio-source/manual-clock/long-frames", test_long_frames);
  g_test_add_func ("/audio-source/manual-clock/stop-in-handler", test_stop_in_handler);
  g_test_add_func ("/audio-source/decode/resample", test_resample);
  g_test_add_func ("/audio-source/decode/mulaw", test_mulaw);
  g_test_add_func ("/audio-source/decode/sample", test_sample);
  g_test_add_func ("/audio-source/check/missing", test_check_missing);
  g_test_add_func ("/audio-source/check/folder", test_check_folder);
  g_test_add_func ("/audio-source/check/text", test_check_text);
  g_test_add_func ("/audio-source/check/empty", test_check_empty);
  g_test_add_func ("/audio-source/check/image", test_check_image);
  g_test_add_func ("/audio-source/check/silent", test_check_silent);
  g_test_add_func ("/audio-source/check/rate", test_check_rate);
  g_test_add_func ("/audio-source/check/late-sound", test_check_late_sound);
  g_test_add_func ("/audio-source/memory", test_memory);
  g_test_add_func ("/audio-source/real-clock", test_real_clock);
  g_test_add_func ("/audio-source/no-module", test_no_module);
  g_test_add_func ("/audio-source/no-module/subprocess/missing", test_no_module);
  g_test_add_func ("/audio-source/no-module/subprocess/broken", test_no_module);
  g_test_add_func ("/audio-source/no-plugins", test_no_plugins);
  g_test_add_func ("/audio-source/microphone", test_microphone);
  g_test_add_func ("/audio-source/no-microphone", test_no_microphone);

  status = g_test_run ();

  stok_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
