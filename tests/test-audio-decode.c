/* test-audio-decode.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the audio source makes of files: decoded, converted to the rate
 * and encoding asked for, the built-in sample; the check that refuses a
 * bad file before a token is spent; and decoding that stays a little
 * ahead of the sending. Files are written by the tests
 * (stok-test-audio.c). */

#include "config.h"

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
#include "stok-test-audio.h"
#include "stok-test-encode.h"
#include "stok-test-recorder.h"
#include "stok-test-util.h"

#define MS (G_USEC_PER_SEC / 1000)

static char *tmp_dir;

/* Decoding */

/* CD audio in stereo becomes mono at 16 kHz: the bytes are the duration's. */
static void
test_resample (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (0);
  g_autofree char *path = stok_test_write_wav (tmp_dir, "tone-44k-stereo.wav", 44100, 2, 2000, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = stok_test_file_source (path);
  g_autoptr(StokRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;

  stok_audio_source_set_clock (source, clock);
  stok_test_check_source (source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stok_audio_source_get_native_rate (source), ==, 44100);
  g_assert_cmpint (stok_audio_source_get_duration_us (source), ==, 2 * G_USEC_PER_SEC);

  recorder = stok_recorder_new (source);
  stok_test_play_to_end (source, recorder);

  g_assert_cmpuint (recorder->frames->len, ==, 40);
  for (guint k = 0; k < 40; k++)
    g_assert_cmpuint (stok_recorder_frame_size (recorder, k), ==, 1600);
  g_assert_cmpint (stok_audio_source_get_audio_sent_us (source), ==, 2 * G_USEC_PER_SEC);

  /* Still the tone, at its level, after the conversion. */
  g_assert_cmpfloat_with_epsilon (stok_recorder_level_at (recorder, STOK_AUDIO_ENCODING_PCM_S16LE, 20), -9.03, 0.2);
}

/* mu-law frames are half the size, and hold the same sound. */
static void
test_mulaw (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (0);
  g_autofree char *path = stok_test_write_wav (tmp_dir, "tone-mulaw.wav", 16000, 1, 1000, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = stok_test_file_source (path);
  g_autoptr(StokRecorder) pcm = NULL;
  g_autoptr(StokRecorder) mulaw = NULL;

  stok_audio_source_set_clock (source, clock);
  pcm = stok_recorder_new (source);
  stok_test_play_to_end (source, pcm);
  g_clear_pointer (&pcm->source, g_object_unref);
  g_signal_handlers_disconnect_by_data (source, pcm);
  pcm->source = g_object_ref (source);

  stok_audio_source_set_encoding (source, STOK_AUDIO_ENCODING_PCM_MULAW);
  mulaw = stok_recorder_new (source);
  stok_test_play_to_end (source, mulaw);

  g_assert_cmpuint (mulaw->frames->len, ==, 20);
  g_assert_cmpuint (pcm->frames->len, ==, 20);
  for (guint k = 0; k < 20; k++)
    {
      const guint8 *linear = g_bytes_get_data (g_ptr_array_index (pcm->frames, k), NULL);
      const guint8 *law = g_bytes_get_data (g_ptr_array_index (mulaw->frames, k), NULL);

      g_assert_cmpuint (stok_recorder_frame_size (mulaw, k), ==, 800);
      g_assert_cmpuint (stok_recorder_frame_size (mulaw, k) * 2, ==, stok_recorder_frame_size (pcm, k));
      g_assert_cmpfloat_with_epsilon (stok_recorder_level_at (mulaw, STOK_AUDIO_ENCODING_PCM_MULAW, k),
                                      stok_recorder_level_at (pcm, STOK_AUDIO_ENCODING_PCM_S16LE, k), 0.5);
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
  g_autoptr(StokRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  guint longest_quiet = 0, quiet = 0, loud = 0;
  gint64 duration;

  g_assert_cmpint (stok_audio_source_get_kind (source), ==, STOK_AUDIO_SOURCE_SAMPLE);
  name = stok_audio_source_dup_display_name (source);
  g_assert_cmpstr (name, ==, "Built-in sample");

  stok_audio_source_set_clock (source, clock);
  stok_test_check_source (source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stok_audio_source_get_native_rate (source), ==, 48000);
  duration = stok_audio_source_get_duration_us (source);
  g_assert_cmpint (duration, >, 6 * G_USEC_PER_SEC);
  g_assert_cmpint (duration, <, 9 * G_USEC_PER_SEC);

  recorder = stok_recorder_new (source);
  stok_test_play_to_end (source, recorder);

  /* As long as the sample, give or take the padding of the last frame. */
  g_assert_cmpint (stok_audio_source_get_audio_sent_us (source), >=, duration);
  g_assert_cmpint (stok_audio_source_get_audio_sent_us (source), <, duration + 50 * MS);
  g_assert_cmpuint (recorder->frames->len, ==, (duration + 50 * MS - 1) / (50 * MS));

  for (guint k = 0; k < recorder->frames->len; k++)
    {
      double level = stok_recorder_level_at (recorder, STOK_AUDIO_ENCODING_PCM_S16LE, k);

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

/* Two seconds of film: a test picture, and the tone beside it. */
#define FILM_VIDEO "videotestsrc num-buffers=50 ! video/x-raw,width=160,height=120,framerate=25/1 "
#define FILM_AUDIO "audiotestsrc wave=sine freq=440 volume=0.5 num-buffers=100 samplesperbuffer=960 " \
                   "! audio/x-raw,rate=48000,channels=1 ! audioconvert ! vorbisenc "

/* A film's picture is read and dropped, on the thread that reads the
 * file, and its sound is decoded whole: a video track neither blocks
 * the audio nor fails the file. */
static void
test_film (void)
{
  const char *films[][2] = {
    { "film.mkv", FILM_VIDEO "! vp8enc ! mux. " FILM_AUDIO "! mux. matroskamux name=mux" },
    { "film.ogv", FILM_VIDEO "! theoraenc ! mux. " FILM_AUDIO "! mux. oggmux name=mux" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (films); i++)
    {
      g_autofree char *path = stok_test_encode (tmp_dir, films[i][0], films[i][1]);
      g_autoptr(StokClock) clock = stok_clock_new_manual (0);
      g_autoptr(StokAudioSource) source = stok_test_file_source (path);
      g_autoptr(StokRecorder) recorder = NULL;
      g_autoptr(GError) error = NULL;
      gint64 sent_us;

      g_test_message ("%s", films[i][0]);
      stok_audio_source_set_clock (source, clock);
      stok_test_check_source (source, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (stok_audio_source_get_native_rate (source), ==, 48000);

      recorder = stok_recorder_new (source);
      stok_test_play_to_end (source, recorder);
      sent_us = stok_audio_source_get_audio_sent_us (source);
      g_assert_cmpint (sent_us, >=, 1950 * MS);
      g_assert_cmpint (sent_us, <=, 2150 * MS);
      g_assert_cmpfloat_with_epsilon (stok_recorder_level_at (recorder, STOK_AUDIO_ENCODING_PCM_S16LE, 20), -9.03, 1.0);
    }
}

/* The check */

static void
assert_check_fails (StokAudioSource *source,
                    StokErrorCode    code,
                    const char      *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = stok_audio_source_dup_display_name (source);

  g_assert_false (stok_test_check_source (source, &error));
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
  g_autoptr(StokAudioSource) source = stok_test_file_source (path);

  assert_check_fails (source, STOK_ERROR_SOURCE_UNREADABLE, "no such file");
}

static void
test_check_folder (void)
{
  g_autoptr(StokAudioSource) source = stok_test_file_source (tmp_dir);

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
  source = stok_test_file_source (path);

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
  source = stok_test_file_source (path);

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
  source = stok_test_file_source (png);
  assert_check_fails (source, STOK_ERROR_SOURCE_NOT_AUDIO, NULL);
  g_clear_object (&source);

  source = stok_test_file_source (path);
  assert_check_fails (source, STOK_ERROR_SOURCE_NOT_AUDIO, NULL);
}

/* Audio GStreamer has no decoder for here: the message names its type,
 * as GStreamer's own does not. adpcm.wav is 0.1 s of tone in Microsoft
 * ADPCM (sox -n -r 16000 -c 1 -e ms-adpcm adpcm.wav synth 0.1 sine 440),
 * whose decoder is in GStreamer's bad plugins, which the app does not
 * install. */
static void
test_check_no_decoder (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "adpcm.wav", NULL);
  g_autoptr(StokAudioSource) source = NULL;

  if (stok_test_can_decode ("audio/x-adpcm, layout=(string)microsoft"))
    {
      g_test_skip ("GStreamer decodes Microsoft ADPCM here");
      return;
    }

  source = stok_test_file_source (path);
  assert_check_fails (source, STOK_ERROR_AUDIO_UNAVAILABLE, "audio/x-adpcm");
}

/* A film without sound is refused as such. */
static void
test_check_silent_film (void)
{
  g_autofree char *path = stok_test_encode (tmp_dir, "silent-film.ogv", FILM_VIDEO "! theoraenc ! oggmux");
  g_autoptr(StokAudioSource) source = stok_test_file_source (path);

  assert_check_fails (source, STOK_ERROR_SOURCE_NOT_AUDIO, "no audio");
}

/* Five seconds of digital zero: scanned to its end, and refused. */
static void
test_check_silent (void)
{
  g_autofree char *path = stok_test_write_wav (tmp_dir, "silence.wav", 16000, 1, 5000, STOK_TEST_SILENCE);
  g_autoptr(StokAudioSource) source = stok_test_file_source (path);

  assert_check_fails (source, STOK_ERROR_SOURCE_SILENT, "no sound");
}

/* An Ogg Vorbis file cut off in its headers, as by a download that
 * stopped: refused as not audio, and with no GStreamer critical on the
 * way (its pad's caps were read before they were fixed). */
static void
test_check_cut_off (void)
{
  g_autofree char *sample = g_test_build_filename (G_TEST_DIST, "..", "src", "core", "sample", "sample.ogg", NULL);
  g_autofree char *path = g_build_filename (tmp_dir, "cut-off.ogg", NULL);
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_file_get_contents (sample, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 5000);
  g_file_set_contents (path, contents, 5000, &error);
  g_assert_no_error (error);
  source = stok_test_file_source (path);

  assert_check_fails (source, STOK_ERROR_SOURCE_NOT_AUDIO, NULL);
}

/* A WAV header with no samples after it is not called silent: nothing
 * was decoded at all. */
static void
test_check_no_samples (void)
{
  g_autofree char *path = stok_test_write_wav (tmp_dir, "header-only.wav", 16000, 1, 0, STOK_TEST_SILENCE);
  g_autoptr(StokAudioSource) source = stok_test_file_source (path);

  assert_check_fails (source, STOK_ERROR_SOURCE_SILENT, "decoded no audio");
}

/* A tone recorded at @native Hz, refused at 16 kHz with @advice, which
 * names the rate to choose; at 8000 Hz, it passes. */
static void
assert_rate_advised (guint       native,
                     const char *advice)
{
  g_autofree char *name = g_strdup_printf ("tone-%u.wav", native);
  g_autofree char *path = stok_test_write_wav (tmp_dir, name, native, 1, 1000, STOK_TEST_TONE);
  g_autoptr(StokAudioSource) source = stok_test_file_source (path);
  g_autoptr(GError) error = NULL;

  assert_check_fails (source, STOK_ERROR_SOURCE_RATE, advice);
  g_assert_cmpuint (stok_audio_source_get_native_rate (source), ==, native);

  stok_audio_source_set_sample_rate (source, 8000);
  g_assert_true (stok_test_check_source (source, &error));
  g_assert_no_error (error);
}

/* Telephone audio cannot be sent at 16 kHz without inventing it; at its
 * own rate, or below, it passes. */
static void
test_check_rate (void)
{
  assert_rate_advised (8000, "Choose 8000 Hz or less");
}

/* Audio recorded below the lowest rate a session takes goes at that
 * rate, and the refusal at a higher one names it. */
static void
test_check_rate_below_lowest (void)
{
  assert_rate_advised (6000, "Choose 8000 Hz, the lowest");
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

  source = stok_test_file_source (path);
  g_assert_true (stok_test_check_source (source, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stok_audio_source_get_duration_us (source), ==, 3500 * MS);
}

/* Start then Stop at once, as a session refused on connecting does: the
 * decoder may be finding the file's streams while the pipeline is taken
 * down. Once in some hundreds of tries here, GStreamer said "loop
 * detected in the graph" (a stream linked meanwhile), and once in some
 * thousands the source's stream was freed twice (critical); both are
 * fatal under the test framework. */
static void
test_stop_at_once (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (0);
  g_autoptr(StokAudioSource) source = stok_audio_source_new_sample ();
  guint n_tries = RUNNING_ON_VALGRIND ? 50 : 2000;

#ifdef UNDER_ASAN
  n_tries = 300;
#endif

  stok_audio_source_set_clock (source, clock);

  for (guint i = 0; i < n_tries; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (stok_audio_source_start (source, &error));
      g_assert_no_error (error);
      g_assert_true (stok_audio_source_get_running (source));
      /* Stopped at different points of finding the streams. */
      g_usleep (g_test_rand_int_range (0, 3000));
      stok_audio_source_stop (source);
      g_assert_false (stok_audio_source_get_running (source));
    }
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
  g_autoptr(StokAudioSource) source = stok_test_file_source (path);
  g_autoptr(StokRecorder) recorder = NULL;
  long before, after;

  stok_audio_source_set_clock (source, clock);
  recorder = stok_recorder_new (source);

  /* Once to load GStreamer and its plugins, whose memory is not ours. */
  stok_test_start_first_frame (source, clock, recorder);
  stok_audio_source_stop (source);
  before = rss_kib ();

  stok_test_start_first_frame (source, clock, recorder);
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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("stok-audio-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/audio-source/decode/resample", test_resample);
  g_test_add_func ("/audio-source/decode/mulaw", test_mulaw);
  g_test_add_func ("/audio-source/decode/sample", test_sample);
  g_test_add_func ("/audio-source/decode/film", test_film);
  g_test_add_func ("/audio-source/decode/stop-at-once", test_stop_at_once);
  g_test_add_func ("/audio-source/check/missing", test_check_missing);
  g_test_add_func ("/audio-source/check/folder", test_check_folder);
  g_test_add_func ("/audio-source/check/text", test_check_text);
  g_test_add_func ("/audio-source/check/empty", test_check_empty);
  g_test_add_func ("/audio-source/check/image", test_check_image);
  g_test_add_func ("/audio-source/check/silent-film", test_check_silent_film);
  g_test_add_func ("/audio-source/check/no-decoder", test_check_no_decoder);
  g_test_add_func ("/audio-source/check/silent", test_check_silent);
  g_test_add_func ("/audio-source/check/no-samples", test_check_no_samples);
  g_test_add_func ("/audio-source/check/cut-off", test_check_cut_off);
  g_test_add_func ("/audio-source/check/rate", test_check_rate);
  g_test_add_func ("/audio-source/check/rate-below-lowest", test_check_rate_below_lowest);
  g_test_add_func ("/audio-source/check/late-sound", test_check_late_sound);
  g_test_add_func ("/audio-source/memory", test_memory);

  status = g_test_run ();

  stok_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
