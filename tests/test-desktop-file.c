/* test-desktop-file.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The desktop file as Files reads it for "Open With": the app takes
 * files, and the audio types it lists are the ones it can stream. A file
 * of each format is encoded here with GStreamer; Files must type it as
 * one the desktop file lists, and the app's audio source must decode it,
 * as GStreamer's base and good plugins do. Every type listed is backed by
 * such a file. desktop-file-validate runs in the data suite. */

#include "config.h"

#include <gio/gdesktopappinfo.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "stok-audio-source.h"
#include "stok-test-encode.h"
#include "stok-test-recorder.h"
#include "stok-test-util.h"

typedef struct
{
  const char *name;
  /* What turns the tone into the file, or NULL when written by hand. */
  const char *encoder;
  /* The type GIO gives the file from its name and its content: what
   * Files offers the apps of. */
  const char *content_type;
} Format;

static const Format formats[] = {
  { "tone.wav", "wavenc", "audio/x-wav" },
  { "tone.flac", "flacenc", "audio/flac" },
  { "tone.ogg", "vorbisenc ! oggmux", "audio/x-vorbis+ogg" },
  { "tone.opus", "opusenc ! oggmux", "audio/x-opus+ogg" },
  { "tone.oga", "flacenc ! oggmux", "audio/x-flac+ogg" },
  { "tone.spx", "speexenc ! oggmux", "audio/x-speex+ogg" },
  { "tone.mp3", "lamemp3enc ! id3v2mux", "audio/mpeg" },
  { "tone.mka", "vorbisenc ! matroskamux", "audio/x-matroska" },
  { "tone.wv", "wavpackenc", "audio/x-wavpack" },
  { "tone.au", NULL, "audio/basic" },
  /* GIO calls every WebM file video/webm: audio/webm is what browsers
   * declare for MediaRecorder's recordings, and what they download
   * them as. The file is checked to decode, by its declared type. */
  { "tone.webm", "opusenc ! webmmux", NULL },
};

static char *tmp_dir;

static char *
desktop_file_path (void)
{
  g_autofree char *name = g_strconcat (APPLICATION_ID, ".desktop", NULL);

  return g_test_build_filename (G_TEST_BUILT, "..", "data", name, NULL);
}

/* One second of a 440 Hz tone. */
static char *
encode (const Format *format)
{
  g_autofree char *pipeline = g_strdup_printf ("audiotestsrc wave=sine freq=440 volume=0.5 num-buffers=50 samplesperbuffer=960 "
                                               "! audio/x-raw,rate=48000,channels=1 ! audioconvert ! audioresample "
                                               "! %s",
                                               format->encoder);

  return stok_test_encode (tmp_dir, format->name, pipeline);
}

/* Sun's .au, which no plugin of base or good writes: a header, then
 * 16-bit samples, big-endian. */
static char *
write_au (const Format *format)
{
  g_autofree char *path = g_build_filename (tmp_dir, format->name, NULL);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  const guint32 rate = 16000;
  const guint32 header[] = { 0x2e736e64, 24, rate * 2, 3, rate, 1 };

  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    {
      guint32 be = GUINT32_TO_BE (header[i]);

      g_byte_array_append (bytes, (const guint8 *) &be, 4);
    }
  for (guint i = 0; i < rate; i++)
    {
      gint16 sample = (gint16) (16383 * sin (2 * G_PI * 440 * i / rate));
      guint16 be = GUINT16_TO_BE ((guint16) sample);

      g_byte_array_append (bytes, (const guint8 *) &be, 2);
    }

  g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

/* Whether Files offers the app for @type: for it or for a type it is a
 * kind of, as GIO finds applications. */
static gboolean
is_offered (GAppInfo   *app,
            const char *type)
{
  const char **listed = g_app_info_get_supported_types (app);

  for (guint i = 0; listed != NULL && listed[i] != NULL; i++)
    if (g_content_type_is_a (type, listed[i]))
      return TRUE;

  return FALSE;
}

static void
test_exec (void)
{
  g_autofree char *path = desktop_file_path ();
  g_autoptr(GDesktopAppInfo) app = g_desktop_app_info_new_from_filename (path);

  g_assert_nonnull (app);
  g_assert_cmpstr (g_app_info_get_executable (G_APP_INFO (app)), ==, "streaming-token");
  /* Files hands over what the user picked as URIs (%U), even on a
   * remote share: giosrc reads any location GIO can. */
  g_assert_true (g_app_info_supports_uris (G_APP_INFO (app)));
  /* With DBusActivatable, Files calls the running app's Open. */
  g_assert_true (g_desktop_app_info_get_boolean (app, "DBusActivatable"));
}

static void
test_formats_decode (void)
{
  g_autofree char *path = desktop_file_path ();
  g_autoptr(GDesktopAppInfo) app = g_desktop_app_info_new_from_filename (path);
  const char **listed;

  g_assert_nonnull (app);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      const Format *format = &formats[i];
      g_autofree char *file_path = format->encoder ? encode (format) : write_au (format);
      g_autoptr(GFile) file = g_file_new_for_path (file_path);
      g_autoptr(GFileInfo) info = NULL;
      g_autoptr(StokClock) clock = stok_clock_new_manual (0);
      g_autoptr(StokAudioSource) source = NULL;
      g_autoptr(StokRecorder) recorder = NULL;
      g_autoptr(GError) error = NULL;
      gint64 sent_us;

      g_test_message ("%s", format->name);

      if (format->content_type != NULL)
        {
          info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE, G_FILE_QUERY_INFO_NONE, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (g_file_info_get_content_type (info), ==, format->content_type);
          g_assert_true (is_offered (G_APP_INFO (app), format->content_type));
        }

      /* What the session checks before it spends a token, then the
       * whole file as a session sends it: the second of tone, at its
       * level (lossy codecs add a little at the ends). */
      source = stok_audio_source_new_for_file (file);
      stok_audio_source_set_clock (source, clock);
      stok_test_check_source (source, &error);
      g_assert_no_error (error);
      recorder = stok_recorder_new (source);
      stok_test_play_to_end (source, recorder);
      sent_us = stok_audio_source_get_audio_sent_us (source);
      g_assert_cmpint (sent_us, >=, 950 * 1000);
      g_assert_cmpint (sent_us, <=, 1150 * 1000);
      g_assert_cmpfloat_with_epsilon (stok_recorder_level_at (recorder, STOK_AUDIO_ENCODING_PCM_S16LE, 10), -9.03, 1.0);
    }

  /* Every type listed is one of these files' types, or what they are a
   * kind of: the list promises nothing the app cannot stream. */
  listed = g_app_info_get_supported_types (G_APP_INFO (app));
  g_assert_nonnull (listed);
  for (guint i = 0; listed[i] != NULL; i++)
    {
      gboolean backed = g_str_equal (listed[i], "audio/webm");

      g_assert_true (g_str_has_prefix (listed[i], "audio/"));
      for (guint j = 0; j < G_N_ELEMENTS (formats) && !backed; j++)
        backed = formats[j].content_type != NULL && g_content_type_is_a (formats[j].content_type, listed[i]);
      if (!backed)
        g_error ("%s is listed, but no file of that type was decoded", listed[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* GIO takes a desktop file only when its Exec is on PATH. */
  {
    const char *launcher = g_getenv ("STOK_STREAMING_TOKEN");
    g_autofree char *bin_dir = NULL;
    g_autofree char *path = NULL;

    g_assert_nonnull (launcher);
    bin_dir = g_path_get_dirname (launcher);
    path = g_strconcat (bin_dir, ":", g_getenv ("PATH"), NULL);
    g_setenv ("PATH", path, TRUE);
  }
  gst_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("stok-desktop-file-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/desktop-file/exec", test_exec);
  g_test_add_func ("/desktop-file/formats-decode", test_formats_decode);

  status = g_test_run ();
  stok_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  gst_deinit ();

  return status;
}
