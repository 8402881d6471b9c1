/* stok-test-pulse.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A private sound server for the window's microphone tests: a null
 * sink, "virt", whose monitor is the default capture device, as
 * test-audio-microphone runs it, and a second one, "headset", to choose;
 * the tests play a clip into either. */

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>

#include "stok-test-pulse.h"

/**
 * stok_test_pulse_die_with_test:
 * @data: unused
 *
 * A #GSpawnChildSetupFunc: the sound server is told to end with the test
 * that started it, which a failed assertion ends without its teardown;
 * else each failed run left a pulseaudio behind.
 */
void
stok_test_pulse_die_with_test (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/**
 * stok_test_pulse_start:
 * @pulse: a zeroed #StokTestPulse
 * @tmp_dir: the test's own directory, for the server's socket and the
 *   client configuration
 *
 * Starts the server and points this process's PulseAudio clients at it
 * (PULSE_SERVER, PULSE_CLIENTCONFIG: nothing of the user's sound server,
 * and none autospawned).
 *
 * Returns: whether it runs; %FALSE if pulseaudio is missing or did not
 *   start within 10 s
 */
gboolean
stok_test_pulse_start (StokTestPulse *pulse,
                       const char    *tmp_dir)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *program = g_find_program_in_path ("pulseaudio");
  g_autofree char *socket = NULL;
  g_autofree char *protocol = NULL;
  g_autofree char *config = NULL;
  g_autofree char *server = NULL;
  gint64 deadline;

  if (program == NULL)
    return FALSE;

  pulse->dir = g_build_filename (tmp_dir, "pulse", NULL);
  g_mkdir (pulse->dir, 0700);
  socket = g_build_filename (pulse->dir, "native", NULL);
  protocol = g_strdup_printf ("module-native-protocol-unix auth-anonymous=1 socket=%s", socket);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", pulse->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", pulse->dir, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, stok_test_pulse_die_with_test, NULL, NULL);
  pulse->daemon = g_subprocess_launcher_spawn (launcher, NULL, program, "-n", "--daemonize=no",
                                               "--exit-idle-time=-1",
                                               "--load=module-null-sink sink_name=virt",
                                               "--load=module-null-sink sink_name=headset "
                                               "sink_properties=device.description=Headset",
                                               "--load", protocol, NULL);
  if (pulse->daemon == NULL)
    return FALSE;

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!g_file_test (socket, G_FILE_TEST_EXISTS))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (20 * 1000);
    }

  /* Nothing of the user's sound server, and none autospawned. */
  config = g_build_filename (tmp_dir, "pulse-client.conf", NULL);
  g_assert_true (g_file_set_contents (config, "autospawn = no\n", -1, NULL));
  g_setenv ("PULSE_CLIENTCONFIG", config, TRUE);
  server = g_strconcat ("unix:", socket, NULL);
  g_setenv ("PULSE_SERVER", server, TRUE);

  return TRUE;
}

/* Stops the server, if it started, and forgets its directory. */
void
stok_test_pulse_stop (StokTestPulse *pulse)
{
  if (pulse->daemon != NULL)
    {
      g_subprocess_send_signal (pulse->daemon, SIGTERM);
      g_subprocess_wait (pulse->daemon, NULL, NULL);
      g_clear_object (&pulse->daemon);
    }
  g_clear_pointer (&pulse->dir, g_free);
}
