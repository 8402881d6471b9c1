/* test-audio-format.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The arithmetic of audio frames: the protocol's encoding names, the
 * bytes a stretch of time takes, the limits the server sets, mu-law, and
 * the level a meter shows. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "stok-audio-format.h"
#include "stok-error.h"

static void
test_encoding_names (void)
{
  StokAudioEncoding encoding = STOK_AUDIO_ENCODING_PCM_S16LE;
  g_autoptr(GEnumClass) enum_class = NULL;

  g_assert_cmpstr (stok_audio_encoding_to_string (STOK_AUDIO_ENCODING_PCM_S16LE), ==, "pcm_s16le");
  g_assert_cmpstr (stok_audio_encoding_to_string (STOK_AUDIO_ENCODING_PCM_MULAW), ==, "pcm_mulaw");

  g_assert_true (stok_audio_encoding_from_string ("pcm_mulaw", &encoding));
  g_assert_cmpint (encoding, ==, STOK_AUDIO_ENCODING_PCM_MULAW);
  g_assert_true (stok_audio_encoding_from_string ("pcm_s16le", &encoding));
  g_assert_cmpint (encoding, ==, STOK_AUDIO_ENCODING_PCM_S16LE);

  /* Names the server knows but that are not raw audio we can make, and
   * near misses, are refused and leave the value alone. */
  encoding = STOK_AUDIO_ENCODING_PCM_MULAW;
  g_assert_false (stok_audio_encoding_from_string ("opus", &encoding));
  g_assert_false (stok_audio_encoding_from_string ("PCM_S16LE", &encoding));
  g_assert_false (stok_audio_encoding_from_string ("", &encoding));
  g_assert_false (stok_audio_encoding_from_string (NULL, &encoding));
  g_assert_cmpint (encoding, ==, STOK_AUDIO_ENCODING_PCM_MULAW);

  /* The enum's nicks are the protocol's names too. */
  enum_class = g_type_class_ref (STOK_TYPE_AUDIO_ENCODING);
  g_assert_cmpint (g_enum_get_value_by_nick (enum_class, "pcm_mulaw")->value, ==, STOK_AUDIO_ENCODING_PCM_MULAW);
}

static void
test_sizes (void)
{
  g_assert_cmpuint (stok_audio_encoding_get_bytes_per_sample (STOK_AUDIO_ENCODING_PCM_S16LE), ==, 2);
  g_assert_cmpuint (stok_audio_encoding_get_bytes_per_sample (STOK_AUDIO_ENCODING_PCM_MULAW), ==, 1);

  /* rate * ms / 1000 * bytes per sample */
  g_assert_cmpuint (stok_audio_bytes_for_ms (STOK_AUDIO_ENCODING_PCM_S16LE, 16000, 50), ==, 1600);
  g_assert_cmpuint (stok_audio_bytes_for_ms (STOK_AUDIO_ENCODING_PCM_MULAW, 16000, 50), ==, 800);
  g_assert_cmpuint (stok_audio_bytes_for_ms (STOK_AUDIO_ENCODING_PCM_MULAW, 8000, 1000), ==, 8000);
  g_assert_cmpuint (stok_audio_bytes_for_ms (STOK_AUDIO_ENCODING_PCM_S16LE, 48000, 1000), ==, 96000);
  g_assert_cmpuint (stok_audio_samples_for_ms (44100, 50), ==, 2205);

  /* 551.25 and 1102.5 samples: rounded up, since a frame under 50 ms is
   * refused. */
  g_assert_cmpuint (stok_audio_samples_for_ms (11025, 50), ==, 552);
  g_assert_cmpuint (stok_audio_samples_for_ms (22050, 50), ==, 1103);
  g_assert_cmpuint (stok_audio_bytes_for_ms (STOK_AUDIO_ENCODING_PCM_S16LE, 11025, 50), ==, 1104);

  /* How long samples play. */
  g_assert_cmpint (stok_audio_samples_to_us (16000, 800), ==, 50000);
  g_assert_cmpint (stok_audio_samples_to_us (11025, 552), ==, 50068);
  /* Three hours at 44.1 kHz, exactly. */
  g_assert_cmpint (stok_audio_samples_to_us (44100, (guint64) 44100 * 10800), ==, (gint64) 10800 * G_USEC_PER_SEC);
}

static void
test_limits (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (stok_audio_check_rate (8000, NULL));
  g_assert_true (stok_audio_check_rate (16000, NULL));
  g_assert_true (stok_audio_check_rate (48000, NULL));
  g_assert_false (stok_audio_check_rate (7999, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "sample_rate"));
  g_assert_nonnull (strstr (error->message, "7999"));
  g_clear_error (&error);
  g_assert_false (stok_audio_check_rate (96000, NULL));
  g_assert_false (stok_audio_check_rate (0, NULL));

  g_assert_true (stok_audio_check_frame_ms (STOK_AUDIO_FRAME_MS_DEFAULT, NULL));
  g_assert_cmpint (STOK_AUDIO_FRAME_MS_DEFAULT, ==, 50);
  g_assert_true (stok_audio_check_frame_ms (50, NULL));
  g_assert_true (stok_audio_check_frame_ms (1000, NULL));
  /* A browser's 20 ms buffer: the server would answer 3007. */
  g_assert_false (stok_audio_check_frame_ms (20, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "20"));
  g_clear_error (&error);
  g_assert_false (stok_audio_check_frame_ms (1001, NULL));
}

static void
test_mulaw (void)
{
  g_autoptr(GBytes) encoded = NULL;
  guint8 pcm[6] = { 0x00, 0x00, 0xff, 0x7f, 0x00, 0x80 };
  const guint8 *law;
  gsize size;
  gint16 previous = G_MININT16;

  /* G.711's fixed points: silence, and the extremes. */
  g_assert_cmpuint (stok_audio_mulaw_encode (0), ==, 0xff);
  g_assert_cmpint (stok_audio_mulaw_decode (0xff), ==, 0);
  g_assert_cmpint (stok_audio_mulaw_decode (0x7f), ==, 0);
  g_assert_cmpuint (stok_audio_mulaw_encode (G_MAXINT16), ==, 0x80);
  g_assert_cmpint (stok_audio_mulaw_decode (0x80), ==, 32124);
  g_assert_cmpuint (stok_audio_mulaw_encode (G_MININT16), ==, 0x00);
  g_assert_cmpint (stok_audio_mulaw_decode (0x00), ==, -32124);

  /* Every code decodes to a value that encodes back to it (0x7f is the
   * second zero), and encoding keeps the order of values. */
  for (guint b = 0; b < 256; b++)
    if (b != 0x7f)
      g_assert_cmpuint (stok_audio_mulaw_encode (stok_audio_mulaw_decode (b)), ==, b);
  for (int x = G_MININT16; x <= G_MAXINT16; x += 7)
    {
      gint16 y = stok_audio_mulaw_decode (stok_audio_mulaw_encode (x));

      g_assert_cmpint (y, >=, previous);
      /* Within the step of its segment: at most 1/16 of the value, or the
       * smallest step near zero. */
      g_assert_cmpint (ABS (y - x), <=, MAX (ABS (x) / 16, 8) + 132 / 16);
      previous = y;
    }

  encoded = stok_audio_s16le_to_mulaw (pcm, sizeof pcm);
  law = g_bytes_get_data (encoded, &size);
  g_assert_cmpuint (size, ==, 3);
  g_assert_cmpuint (law[0], ==, 0xff);
  g_assert_cmpuint (law[1], ==, 0x80);
  g_assert_cmpuint (law[2], ==, 0x00);
}

static GByteArray *
sine (guint  n,
      double amplitude)
{
  GByteArray *pcm = g_byte_array_new ();

  for (guint i = 0; i < n; i++)
    {
      gint16 value = (gint16) (amplitude * sin (2 * G_PI * 440 * i / 16000.0));
      guint8 bytes[2] = { value & 0xff, (value >> 8) & 0xff };

      g_byte_array_append (pcm, bytes, 2);
    }

  return pcm;
}

static void
test_level (void)
{
  g_autoptr(GByteArray) half = sine (16000, 16384);
  g_autoptr(GByteArray) quiet = sine (16000, 33);
  g_autoptr(GBytes) half_law = stok_audio_s16le_to_mulaw (half->data, half->len);
  guint8 silence[3200] = { 0, };
  guint8 square[4] = { 0xff, 0x7f, 0x00, 0x80 };
  g_autofree guint8 *law_silence = g_malloc (1600);

  /* A sine at half of full scale: -6 dBFS at its peak, -9 RMS. */
  g_assert_cmpfloat_with_epsilon (stok_audio_peak_dbfs (STOK_AUDIO_ENCODING_PCM_S16LE, half->data, half->len), -6.02, 0.05);
  g_assert_cmpfloat_with_epsilon (stok_audio_level_dbfs (STOK_AUDIO_ENCODING_PCM_S16LE, half->data, half->len), -9.03, 0.05);

  /* The same in mu-law, read back through its table. */
  g_assert_cmpfloat_with_epsilon (stok_audio_level_dbfs (STOK_AUDIO_ENCODING_PCM_MULAW,
                                                         g_bytes_get_data (half_law, NULL),
                                                         g_bytes_get_size (half_law)), -9.03, 0.2);

  /* A full-scale square wave is the top of the scale. */
  g_assert_cmpfloat_with_epsilon (stok_audio_level_dbfs (STOK_AUDIO_ENCODING_PCM_S16LE, square, sizeof square), 0.0, 0.01);

  /* Silence, in either encoding, and nothing at all, sit at the floor. */
  memset (law_silence, 0xff, 1600);
  g_assert_cmpfloat (stok_audio_level_dbfs (STOK_AUDIO_ENCODING_PCM_S16LE, silence, sizeof silence), ==, STOK_AUDIO_LEVEL_FLOOR);
  g_assert_cmpfloat (stok_audio_peak_dbfs (STOK_AUDIO_ENCODING_PCM_S16LE, silence, sizeof silence), ==, STOK_AUDIO_LEVEL_FLOOR);
  g_assert_cmpfloat (stok_audio_level_dbfs (STOK_AUDIO_ENCODING_PCM_MULAW, law_silence, 1600), ==, STOK_AUDIO_LEVEL_FLOOR);
  g_assert_cmpfloat (stok_audio_level_dbfs (STOK_AUDIO_ENCODING_PCM_S16LE, NULL, 0), ==, STOK_AUDIO_LEVEL_FLOOR);

  /* A whisper just under -60 dBFS at its peak: what the check calls
   * silence. */
  g_assert_cmpfloat (stok_audio_peak_dbfs (STOK_AUDIO_ENCODING_PCM_S16LE, quiet->data, quiet->len), <, -59.9);
  g_assert_cmpfloat (stok_audio_peak_dbfs (STOK_AUDIO_ENCODING_PCM_S16LE, quiet->data, quiet->len), >, -60.1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/audio-format/encoding-names", test_encoding_names);
  g_test_add_func ("/audio-format/sizes", test_sizes);
  g_test_add_func ("/audio-format/limits", test_limits);
  g_test_add_func ("/audio-format/mulaw", test_mulaw);
  g_test_add_func ("/audio-format/level", test_level);

  return g_test_run ();
}
