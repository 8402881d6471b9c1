/* test-audio-microphone.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The microphone, from a private PulseAudio's null sink: frames come as
 * captured, the devices are listed, and with no sound server at all the
 * check and the start say there is no microphone. */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "stok-audio-source.h"
#include "stok-error.h"
#include "stok-microphone.h"
#include "stok-test-audio.h"
#include "stok-test-pulse.h"
#include "stok-test-recorder.h"
#include "stok-test-util.h"

#define MS (G_USEC_PER_SEC / 1000)

static char *tmp_dir;

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
  g_subprocess_launcher_set_child_setup (launcher, stok_test_pulse_die_with_test, NULL, NULL);
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

/* In the test's process: starts a private sound server (@with_pulse)
 * or points at none, runs the test again in a subprocess that sees only
 * that, and waits for it to pass; %FALSE. In that subprocess: %TRUE, to
 * run the test's body. The sound server is the parent's, the capture the
 * child's: GStreamer reads PULSE_SERVER when it connects. */
static gboolean
in_subprocess (gboolean with_pulse)
{
  g_autofree char *server = NULL;
  Pulse pulse = { NULL, };

  if (g_test_subprocess ())
    return TRUE;

  if (with_pulse)
    {
      g_autofree char *why = NULL;

      if (!pulse_start (&pulse, &why))
        {
          g_test_skip (why);
          return FALSE;
        }
      server = g_strdup (pulse.server);
    }
  else
    {
      server = g_strconcat ("unix:", tmp_dir, "/no-pulse-here", NULL);
    }

  isolate_from_pulse (server);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("PULSE_SERVER");
  pulse_stop (&pulse);
  g_test_trap_assert_passed ();

  return FALSE;
}

typedef struct
{
  StokRecorder *recorder;
  double above;
} Level;

static gboolean
has_loud_frame (gpointer data)
{
  Level *level = data;
  StokRecorder *recorder = level->recorder;

  for (guint k = 0; k < recorder->frames->len; k++)
    if (stok_recorder_level_at (recorder, STOK_AUDIO_ENCODING_PCM_S16LE, k) > level->above)
      return TRUE;

  return recorder->error != NULL;
}

/* Frames come as captured, of the size asked for; their level rises when
 * a clip plays into the null sink. */
static void
test_microphone (void)
{
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(StokAudioSource) default_source = NULL;
  g_autoptr(StokRecorder) recorder = NULL;
  g_autoptr(GSubprocess) player = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *clip = NULL;
  g_autofree char *paplay = NULL;
  Level loud;

  if (!in_subprocess (TRUE))
    return;

  paplay = g_find_program_in_path ("paplay");
  g_assert_nonnull (paplay);

  /* The default device, which is the null sink's monitor here, and the
   * monitor by name. */
  default_source = stok_audio_source_new_microphone (NULL, NULL);
  g_assert_true (stok_test_check_source (default_source, &error));
  g_assert_no_error (error);

  source = stok_audio_source_new_microphone ("virt.monitor", NULL);
  g_assert_true (stok_test_check_source (source, &error));
  g_assert_no_error (error);

  recorder = stok_recorder_new (source);
  g_assert_true (stok_audio_source_start (source, &error));
  g_assert_no_error (error);

  /* Half a second of nothing playing: silence. */
  g_assert_true (stok_recorder_wait_for_frames (recorder, 10));
  for (guint k = 0; k < 10; k++)
    g_assert_cmpfloat (stok_recorder_level_at (recorder, STOK_AUDIO_ENCODING_PCM_S16LE, k), <, -60);

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
      g_assert_cmpuint (stok_recorder_frame_size (recorder, k), ==, 1600);
      g_assert_cmpint (stok_recorder_offset_at (recorder, k), ==, (gint64) k * 50 * MS);
    }
  g_assert_false (recorder->finished);
  g_assert_false (recorder->wrong_thread);
  g_test_message ("%u frames captured", recorder->frames->len);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GListModel **microphones = user_data;
  g_autoptr(GError) error = NULL;

  *microphones = stok_microphone_list_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*microphones);
}

static GListModel *
list_microphones (void)
{
  GListModel *microphones = NULL;

  stok_microphone_list_async (NULL, list_cb, &microphones);
  while (microphones == NULL)
    g_main_context_iteration (NULL, TRUE);

  return microphones;
}

/* The devices a session can capture from, as the window lists them: the
 * null sink's monitor, by the name pulsesrc opens and the sound server's
 * description; a device chosen that is gone is named by that
 * description when the check fails. */
static void
test_list_microphones (void)
{
  g_autoptr(GListModel) microphones = NULL;
  g_autoptr(StokAudioSource) gone = NULL;
  g_autoptr(GError) error = NULL;
  StokMicrophone *monitor = NULL;

  if (!in_subprocess (TRUE))
    return;

  microphones = list_microphones ();
  for (guint i = 0; i < g_list_model_get_n_items (microphones); i++)
    {
      g_autoptr(StokMicrophone) microphone = g_list_model_get_item (microphones, i);

      g_test_message ("%s: %s", stok_microphone_get_name (microphone), stok_microphone_get_label (microphone));
      if (g_strcmp0 (stok_microphone_get_name (microphone), "virt.monitor") == 0)
        monitor = microphone;
    }
  /* One device, listed once, though ALSA's provider may see it too. */
  g_assert_cmpuint (g_list_model_get_n_items (microphones), ==, 1);
  g_assert_nonnull (monitor);
  g_assert_cmpstr (stok_microphone_get_label (monitor), ==, "Monitor of Null Output");

  gone = stok_audio_source_new_microphone ("unplugged.monitor", "USB Headset");
  g_assert_false (stok_test_check_source (gone, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_NO_MICROPHONE);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (error->message, ==, "The microphone “USB Headset” is not connected: plug it in, or choose another.");
}

/* No sound server at all: the list is empty, not an error. */
static void
test_list_no_microphone (void)
{
  g_autoptr(GListModel) microphones = NULL;

  if (!in_subprocess (FALSE))
    return;

  microphones = list_microphones ();
  g_assert_cmpuint (g_list_model_get_n_items (microphones), ==, 0);
}

/* No sound server at all: the check says there is no microphone, and so
 * does start. */
static void
test_no_microphone (void)
{
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;

  if (!in_subprocess (FALSE))
    return;

  source = stok_audio_source_new_microphone (NULL, NULL);
  g_assert_false (stok_test_check_source (source, &error));
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

  g_test_add_func ("/audio-source/microphone", test_microphone);
  g_test_add_func ("/audio-source/no-microphone", test_no_microphone);
  g_test_add_func ("/audio-source/list-microphones", test_list_microphones);
  g_test_add_func ("/audio-source/list-no-microphone", test_list_no_microphone);

  status = g_test_run ();

  stok_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
