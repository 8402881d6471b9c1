/* test-audio-pacing.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The audio source's pacing: frames of the right size, never sent before
 * their time and never drifting, by the pacer alone, on a manual clock
 * and on the real one. Files are written by the tests
 * (stok-test-audio.c); a manual clock stands in for time wherever real
 * time is not the point. */

#include "config.h"

#include <math.h>

#include "stok-audio-source.h"
#include "stok-pacer.h"
#include "stok-test-audio.h"
#include "stok-test-recorder.h"
#include "stok-test-util.h"

#define MS (G_USEC_PER_SEC / 1000)

static char *tmp_dir;

/* When frame k may go out at the earliest: once its own audio and the k
 * frames' before it have played, in real time, since the start. */
static gint64
due_time (StokRecorder *recorder,
          guint         k)
{
  guint rate = stok_audio_source_get_sample_rate (recorder->source);
  guint64 samples = (guint64) (k + 1) * stok_audio_samples_for_ms (rate, stok_audio_source_get_frame_ms (recorder->source));

  return stok_audio_source_get_start_us (recorder->source) +
         (gint64) ((samples * G_USEC_PER_SEC + rate - 1) / rate);
}

static void
assert_never_early (StokRecorder *recorder)
{
  guint rate = stok_audio_source_get_sample_rate (recorder->source);
  guint samples_per_frame = stok_audio_samples_for_ms (rate, stok_audio_source_get_frame_ms (recorder->source));

  g_assert_cmpint (stok_audio_source_get_start_us (recorder->source), >=, 0);
  for (guint k = 0; k < recorder->times->len; k++)
    {
      if (stok_recorder_time_at (recorder, k) < due_time (recorder, k))
        g_error ("Frame %u was sent %" G_GINT64_FORMAT " µs before it was due",
                 k, due_time (recorder, k) - stok_recorder_time_at (recorder, k));
      g_assert_cmpint (stok_recorder_offset_at (recorder, k), ==,
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
report_lateness (StokRecorder *recorder)
{
  g_autoptr(GArray) lateness = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n = recorder->times->len;

  for (guint k = 0; k < n; k++)
    {
      gint64 late = stok_recorder_time_at (recorder, k) - due_time (recorder, k);

      g_array_append_val (lateness, late);
    }
  g_array_sort (lateness, compare_int64);

  g_test_message ("%u frames: lateness median %.2f ms, worst %.2f ms; last frame %.2f ms late",
                  n, g_array_index (lateness, gint64, n / 2) / 1000.0,
                  g_array_index (lateness, gint64, n - 1) / 1000.0,
                  (stok_recorder_time_at (recorder, n - 1) - due_time (recorder, n - 1)) / 1000.0);
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

static void
test_manual_clock (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (1000 * G_USEC_PER_SEC);
  g_autofree char *path = stok_test_write_wav (tmp_dir, "tone-1020ms.wav", 16000, 1, 1020, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = stok_test_file_source (path);
  g_autoptr(StokRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *last;
  gsize last_size;

  stok_audio_source_set_clock (source, clock);
  recorder = stok_recorder_new (source);

  g_assert_true (stok_audio_source_start (source, &error));
  g_assert_no_error (error);
  g_assert_true (stok_audio_source_get_running (source));

  /* The pacing starts when the first audio is decoded; the clock stands
   * still: however long the main loop runs, and though the whole file is
   * decoded by now, no frame, since none has played yet. */
  g_assert_true (stok_test_wait_until (stok_test_has_started, source, 20000));
  g_assert_cmpint (stok_audio_source_get_start_us (source), ==, 1000 * G_USEC_PER_SEC);
  stok_test_spin (300);
  g_assert_cmpuint (recorder->frames->len, ==, 0);

  /* Not one microsecond early: the first frame, 50 ms at 16 kHz in 16
   * bits, 1600 bytes, once those 50 ms have passed. */
  stok_clock_advance (clock, 50 * MS - 1);
  stok_test_spin (100);
  g_assert_cmpuint (recorder->frames->len, ==, 0);
  stok_clock_advance (clock, 1);
  g_assert_true (stok_recorder_wait_for_frames (recorder, 1));
  g_assert_cmpuint (stok_recorder_frame_size (recorder, 0), ==, 1600);
  g_assert_cmpuint (stok_recorder_frame_size (recorder, 0), ==, stok_audio_bytes_for_ms (STOK_AUDIO_ENCODING_PCM_S16LE, 16000, 50));
  g_assert_cmpint (stok_recorder_offset_at (recorder, 0), ==, 0);

  stok_clock_advance (clock, 50 * MS);
  g_assert_true (stok_recorder_wait_for_frames (recorder, 2));
  stok_test_spin (50);
  g_assert_cmpuint (recorder->frames->len, ==, 2);
  g_assert_cmpint (stok_recorder_offset_at (recorder, 1), ==, 50 * MS);

  /* The main loop held up for 260 ms: the five frames due meanwhile go
   * out together, and not the sixth. */
  stok_clock_advance (clock, 260 * MS);
  g_assert_true (stok_recorder_wait_for_frames (recorder, 7));
  stok_test_spin (100);
  g_assert_cmpuint (recorder->frames->len, ==, 7);
  for (guint k = 2; k < 7; k++)
    g_assert_cmpint (stok_recorder_time_at (recorder, k), ==, stok_recorder_time_at (recorder, 2));
  g_assert_cmpint (stok_audio_source_get_audio_sent_us (source), ==, 7 * 50 * MS);

  /* To the end: 20 whole frames and 20 ms, padded with silence to the
   * 50 ms the server takes at least. */
  stok_clock_advance (clock, 10 * G_USEC_PER_SEC);
  g_assert_true (stok_test_wait_until (stok_recorder_is_done, recorder, 20000));
  g_assert_no_error (recorder->error);
  g_assert_true (recorder->finished);
  g_assert_cmpuint (recorder->n_at_finish, ==, 21);
  g_assert_cmpuint (recorder->frames->len, ==, 21);
  for (guint k = 0; k < 21; k++)
    g_assert_cmpuint (stok_recorder_frame_size (recorder, k), ==, 1600);

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

  g_clear_pointer (&recorder, stok_recorder_free);
  g_assert_finalize_object (g_steal_pointer (&source));
}

/* 11025 Hz makes 551.25 samples in 50 ms: frames of 552, paced by the
 * audio they hold, and the last one padded to 552 too. */
static void
test_odd_rate (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (0);
  g_autofree char *path = stok_test_write_wav (tmp_dir, "tone-11025.wav", 11025, 1, 1000, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = stok_test_file_source (path);
  g_autoptr(StokRecorder) recorder = NULL;

  stok_audio_source_set_clock (source, clock);
  stok_audio_source_set_sample_rate (source, 11025);
  recorder = stok_recorder_new (source);

  stok_test_play_to_end (source, recorder);

  /* 11025 = 19 * 552 + 537 */
  g_assert_cmpuint (recorder->frames->len, ==, 20);
  for (guint k = 0; k < 20; k++)
    g_assert_cmpuint (stok_recorder_frame_size (recorder, k), ==, 552 * 2);
  g_assert_cmpint (stok_recorder_offset_at (recorder, 19), ==, (gint64) 19 * 552 * G_USEC_PER_SEC / 11025);
  g_assert_cmpint (stok_audio_source_get_audio_sent_us (source), ==, (gint64) 20 * 552 * G_USEC_PER_SEC / 11025);
  assert_never_early (recorder);
}

/* A second of audio a frame, in mu-law at 8 kHz: 8000 bytes each. */
static void
test_long_frames (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (0);
  g_autofree char *path = stok_test_write_wav (tmp_dir, "tone-8k.wav", 8000, 1, 3000, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = stok_test_file_source (path);
  g_autoptr(StokRecorder) recorder = NULL;

  stok_audio_source_set_clock (source, clock);
  stok_audio_source_set_sample_rate (source, 8000);
  stok_audio_source_set_encoding (source, STOK_AUDIO_ENCODING_PCM_MULAW);
  stok_audio_source_set_frame_ms (source, 1000);
  recorder = stok_recorder_new (source);

  stok_test_start_first_frame (source, clock, recorder);
  stok_clock_advance (clock, 999 * MS);
  stok_test_spin (100);
  g_assert_cmpuint (recorder->frames->len, ==, 1);
  stok_clock_advance (clock, 1 * MS);
  g_assert_true (stok_recorder_wait_for_frames (recorder, 2));

  stok_clock_advance (clock, 10 * G_USEC_PER_SEC);
  g_assert_true (stok_test_wait_until (stok_recorder_is_done, recorder, 20000));
  g_assert_true (recorder->finished);
  g_assert_cmpuint (recorder->frames->len, ==, 3);
  for (guint k = 0; k < 3; k++)
    g_assert_cmpuint (stok_recorder_frame_size (recorder, k), ==, 8000);
  assert_never_early (recorder);
}

/* A handler may stop the source: nothing more comes, not even the end. */
static void
test_stop_in_handler (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (0);
  g_autofree char *path = stok_test_write_wav (tmp_dir, "tone-stop.wav", 16000, 1, 2000, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = stok_test_file_source (path);
  g_autoptr(StokRecorder) recorder = NULL;

  stok_audio_source_set_clock (source, clock);
  recorder = stok_recorder_new (source);
  recorder->stop_after = 4;

  stok_test_start_first_frame (source, clock, recorder);
  stok_clock_advance (clock, 10 * G_USEC_PER_SEC);
  g_assert_true (stok_recorder_wait_for_frames (recorder, 4));
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
  stok_test_play_to_end (source, recorder);
  g_assert_cmpuint (recorder->frames->len, ==, 40);
  g_assert_cmpint (stok_recorder_offset_at (recorder, 0), ==, 0);
  g_assert_cmpint (stok_audio_source_get_audio_sent_us (source), ==, 2 * G_USEC_PER_SEC);
}

/* Paced by the real clock */

/* 12 s at 50 ms a frame: no frame before its time, all 240 of them, and
 * the lateness printed (a figure, not a test). */
static void
test_real_clock (void)
{
  g_autofree char *path = stok_test_write_wav (tmp_dir, "tone-12s.wav", 16000, 1, 12000, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = stok_test_file_source (path);
  g_autoptr(StokRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started, elapsed;

  recorder = stok_recorder_new (source);
  g_assert_true (stok_audio_source_get_clock (source) == stok_clock_get_default ());

  started = g_get_monotonic_time ();
  g_assert_true (stok_audio_source_start (source, &error));
  g_assert_no_error (error);
  g_assert_true (stok_test_wait_until (stok_recorder_is_done, recorder, 30000));
  elapsed = g_get_monotonic_time () - started;

  g_assert_no_error (recorder->error);
  g_assert_cmpuint (recorder->frames->len, ==, 240);
  assert_never_early (recorder);
  /* The audio was not sent faster than it plays: the last frame went out
   * no sooner than the 12 s of audio after the start. Measured from the
   * start, not from the first frame, which may itself have gone out a
   * little late. */
  g_assert_cmpint (stok_recorder_time_at (recorder, 239) - stok_audio_source_get_start_us (source), >=, 12000 * MS);
  report_lateness (recorder);
  g_test_message ("12 s of audio sent in %.3f s", elapsed / 1e6);
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
  g_test_add_func ("/audio-source/manual-clock", test_manual_clock);
  g_test_add_func ("/audio-source/manual-clock/odd-rate", test_odd_rate);
  g_test_add_func ("/audio-source/manual-clock/long-frames", test_long_frames);
  g_test_add_func ("/audio-source/manual-clock/stop-in-handler", test_stop_in_handler);
  g_test_add_func ("/audio-source/real-clock", test_real_clock);

  status = g_test_run ();

  stok_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
