/* stok-test-audio.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Audio fixtures written by the tests themselves: 16-bit PCM WAV files of
 * a tone or of silence, at any rate and channel count, so that no tool
 * beyond the build is needed to make them. */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "stok-test-audio.h"

static void
put_u32 (GByteArray *array,
         guint32     value)
{
  guint8 bytes[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >> 24) & 0xff };

  g_byte_array_append (array, bytes, 4);
}

static void
put_u16 (GByteArray *array,
         guint16     value)
{
  guint8 bytes[2] = { value & 0xff, (value >> 8) & 0xff };

  g_byte_array_append (array, bytes, 2);
}

static GByteArray *
wav_header (guint   rate,
            guint   channels,
            guint64 data_size)
{
  GByteArray *header = g_byte_array_new ();

  g_byte_array_append (header, (const guint8 *) "RIFF", 4);
  put_u32 (header, (guint32) (36 + data_size));
  g_byte_array_append (header, (const guint8 *) "WAVEfmt ", 8);
  put_u32 (header, 16);
  put_u16 (header, 1);                      /* PCM */
  put_u16 (header, channels);
  put_u32 (header, rate);
  put_u32 (header, rate * channels * 2);    /* bytes a second */
  put_u16 (header, channels * 2);           /* bytes a frame */
  put_u16 (header, 16);
  g_byte_array_append (header, (const guint8 *) "data", 4);
  put_u32 (header, (guint32) data_size);

  return header;
}

/**
 * stok_test_write_wav:
 *
 * Returns: (transfer full): the path of the new file
 */
char *
stok_test_write_wav (const char     *dir,
                     const char     *name,
                     guint           rate,
                     guint           channels,
                     guint           duration_ms,
                     StokTestSignal  signal)
{
  guint64 n_frames = (guint64) rate * duration_ms / 1000;
  g_autoptr(GByteArray) file = wav_header (rate, channels, n_frames * channels * 2);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  for (guint64 i = 0; i < n_frames; i++)
    {
      gint16 value = 0;

      if (signal == STOK_TEST_TONE)
        value = (gint16) (16384 * sin (2 * G_PI * 440 * i / rate));

      for (guint c = 0; c < channels; c++)
        put_u16 (file, (guint16) value);
    }

  g_file_set_contents (path, (const char *) file->data, file->len, &error);
  g_assert_no_error (error);

  return path;
}

/**
 * stok_test_write_sparse_wav:
 *
 * A WAV of silence, mono, that takes no room on disk: its samples are a
 * hole in the file, read back as zeros. For files of hours.
 *
 * Returns: (transfer full): the path of the new file
 */
char *
stok_test_write_sparse_wav (const char *dir,
                            const char *name,
                            guint       rate,
                            guint64     duration_s)
{
  guint64 data_size = (guint64) rate * duration_s * 2;
  g_autoptr(GByteArray) header = wav_header (rate, 1, data_size);
  char *path = g_build_filename (dir, name, NULL);
  int fd;

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, header->data, header->len), ==, (int) header->len);
  g_assert_cmpint (ftruncate (fd, header->len + data_size), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);

  return path;
}

/**
 * stok_test_process_maps:
 * @library: part of a shared library's file name
 *
 * Returns: %TRUE if this process has @library mapped
 */
gboolean
stok_test_process_maps (const char *library)
{
  g_autofree char *maps = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents ("/proc/self/maps", &maps, NULL, &error);
  g_assert_no_error (error);

  return strstr (maps, library) != NULL;
}
