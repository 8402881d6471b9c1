/* bench-wakeups.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the app costs while nobody uses it: its wake-ups, the voluntary
 * context switches of its threads (each one a thread going to sleep, to
 * be woken again), summed over /proc/PID/task/TID/status, over SECONDS
 * with the window open
 *
 *   1. with a saved key and no token: nothing should run at all;
 *   2. with a token counting down: one tick a second is the baseline.
 *      This one is measured COUNTDOWN_RUNS times, each in a new process
 *      with one token, and judged by the median: it sits near its
 *      target, where one stray wake-up over SECONDS could decide.
 *
 * Both are measured on the bare X server that ./run bench provides and,
 * when mutter is installed (./run bench installs it), again under it, as
 * on a GNOME desktop. Without a window manager, GDK 4.8 looks for one on
 * every frame, two round trips to the X server that a desktop never
 * pays: the bare server is the harsher of the two.
 *
 * The nonvoluntary switches are printed beside them, not judged: a thread
 * that is preempted was running, and runs on later without being woken.
 * They count what other work on a shared machine does to the app.
 *
 *   bench-wakeups STREAMING-TOKEN FAKE-TOKEN-SERVER [SECONDS]
 *
 * Generate is pressed the way a user would, with Ctrl+Enter through
 * xdotool (XTEST). */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "bench-util.h"

#define IDLE_TARGET_PER_S      0.20
#define COUNTDOWN_BASELINE_PER_S 1.0
#define COUNTDOWN_TARGET_RATIO 3.0
#define COUNTDOWN_RUNS 3
/* A window without a key opens with the focus in the key's entry, whose
 * cursor GTK animates at every frame for gtk-cursor-blink-timeout (10 s)
 * and then leaves still: that is the toolkit's greeting, not what the
 * window costs while nobody touches it. Whether the bench's window is
 * given the X focus at all depended on what ran before it on the same
 * server (0b8658e's idle window measured 0.00/s here and blinked for 10 s
 * like this one when started alone), so the idle figure starts after it. */
#define SETTLE_S 12
/* What a new token sets off (the scroll to it, the focus moving to Copy,
 * their transitions, and about 3 s later the fading out of the overlay
 * scrollbar, 13 frames each laid out anew) is Generate's, not the
 * countdown's. */
#define TOKEN_SETTLE_S 5

/* Starts the app, against @server_url if given, and waits for its window,
 * which it returns in @out_window; on failure says why, stops the app if
 * it started, and returns 0. */
static GPid
open_app (const char  *path,
          const char  *server_url,
          char       **out_window)
{
  g_autofree char *server_arg = server_url ? g_strdup_printf ("--server=%s", server_url) : NULL;
  const char *argv[] = { path, server_arg, NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;

  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    {
      g_printerr ("%s\n", error->message);
      return 0;
    }

  *out_window = bench_wait_for_window (pid);
  if (*out_window == NULL)
    {
      g_printerr ("The window did not show\n");
      bench_stop_process (pid);
      return 0;
    }

  return pid;
}

/* Wake-ups per second of @pid over @seconds, and its preemptions. */
static double
measure_wakeups (GPid    pid,
                 guint   seconds,
                 double *preempted)
{
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  BenchSwitches switches;
  gint64 start;
  gint64 end;

  before = bench_read_context_switches (pid);
  start = bench_now_us ();
  g_usleep ((gulong) seconds * G_USEC_PER_SEC);
  after = bench_read_context_switches (pid);
  end = bench_now_us ();

  switches = bench_count_new_switches (before, after);
  *preempted = switches.nonvoluntary / ((end - start) / 1e6);

  return switches.voluntary / ((end - start) / 1e6);
}

static guint
count_token_requests (const char *log_path)
{
  g_autofree char *log = NULL;
  guint n = 0;

  if (!g_file_get_contents (log_path, &log, NULL, NULL))
    return 0;

  for (const char *p = log; (p = strstr (p, "GET /v3/token")) != NULL; p++)
    n++;

  return n;
}

/* Presses Ctrl+Enter in @window until the server has had more than
 * @requests_before token requests: a new window reads its key from the
 * keyring first, and Generate does nothing until then. */
static gboolean
press_generate (const char *window,
                const char *log_path,
                guint       requests_before)
{
  for (guint i = 0; i < 50 && count_token_requests (log_path) <= requests_before; i++)
    {
      const char *focus[] = { "windowfocus", "--sync", window, NULL };
      const char *press[] = { "key", "--clearmodifiers", "ctrl+Return", NULL };

      g_usleep (200 * 1000);
      g_free (bench_xdotool (focus));
      g_free (bench_xdotool (press));
    }

  return count_token_requests (log_path) > requests_before;
}

/* The idle and the countdown figures on the X server as it is, and
 * whether both met their targets. */
static gboolean
measure (const char *streaming_token,
         const char *fake_server,
         guint       seconds,
         const char *setting)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *window = NULL;
  g_autofree char *name = NULL;
  g_autofree char *figures = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *range = NULL;
  g_autoptr(GArray) countdowns = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) preemptions = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean pass = TRUE;
  double idle, countdown, preempted;
  GPid server;
  GPid app;
  int log_fd;

  /* 1. The window open, no token, no input. */
  app = open_app (streaming_token, NULL, &window);
  if (app == 0)
    return FALSE;
  g_usleep (SETTLE_S * G_USEC_PER_SEC);
  idle = measure_wakeups (app, seconds, &preempted);
  bench_stop_process (app);
  g_clear_pointer (&window, g_free);

  name = g_strdup_printf ("wake-ups, idle window, %s", setting);
  figures = g_strdup_printf ("app %.2f/s over %u s (preempted %.2f/s), baseline none (target %.2f/s)",
                             idle, seconds, preempted, IDLE_TARGET_PER_S);
  pass &= bench_report (name, figures, idle / IDLE_TARGET_PER_S, 1.0);

  /* 2. A token counting down. The default redemption window, 60 s, lasts
   * past the measurement. */
  log_fd = g_file_open_tmp ("stok-bench-server-XXXXXX.log", &log_path, &error);
  if (log_fd < 0)
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  close (log_fd);

  if (!bench_start_fake_server (fake_server, NULL, log_path, &server, &url, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }

  for (guint run = 0; run < COUNTDOWN_RUNS; run++)
    {
      g_clear_pointer (&window, g_free);
      app = open_app (streaming_token, url, &window);
      if (app == 0)
        {
          bench_stop_process (server);
          return FALSE;
        }

      if (!press_generate (window, log_path, run))
        {
          g_printerr ("Ctrl+Enter sent no token request\n");
          bench_stop_process (app);
          bench_stop_process (server);
          return FALSE;
        }

      g_usleep (TOKEN_SETTLE_S * G_USEC_PER_SEC);
      countdown = measure_wakeups (app, seconds, &preempted);
      bench_stop_process (app);
      g_array_append_val (countdowns, countdown);
      g_array_append_val (preemptions, preempted);
    }

  bench_stop_process (server);
  g_unlink (log_path);

  countdown = bench_median (countdowns);
  preempted = bench_median (preemptions);
  range = g_strdup_printf ("%.2f-%.2f", g_array_index (countdowns, double, 0),
                           g_array_index (countdowns, double, countdowns->len - 1));

  g_free (name);
  name = g_strdup_printf ("wake-ups, token counting down, %s", setting);
  g_free (figures);
  figures = g_strdup_printf ("app %.2f/s (median of %u runs of %u s: %s; "
                             "preempted %.2f/s), baseline %.2f/s (one tick a second)",
                             countdown, COUNTDOWN_RUNS, seconds, range, preempted,
                             COUNTDOWN_BASELINE_PER_S);
  pass &= bench_report (name, figures, countdown / COUNTDOWN_BASELINE_PER_S, COUNTDOWN_TARGET_RATIO);

  return pass;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mutter = g_find_program_in_path ("mutter");
  gboolean pass = TRUE;
  guint seconds = 30;

  if (argc < 3)
    {
      g_printerr ("usage: %s STREAMING-TOKEN FAKE-TOKEN-SERVER [SECONDS]\n", argv[0]);
      return EXIT_FAILURE;
    }
  if (argc > 3)
    seconds = (guint) g_ascii_strtoull (argv[3], NULL, 10);

  /* The key is in the keyring, as for a user who saved it. */
  g_unsetenv ("ASSEMBLYAI_API_KEY");
  if (!bench_store_key_in_keyring ("benchmark-key-not-a-secret", &error))
    {
      g_printerr ("Could not save a key in the keyring: %s\n", error->message);
      return EXIT_FAILURE;
    }

  pass &= measure (argv[1], argv[2], seconds, "bare X server");

  if (mutter != NULL)
    {
      GPid wm = bench_start_mutter (mutter);

      if (wm == 0)
        return EXIT_FAILURE;
      pass &= measure (argv[1], argv[2], seconds, "under mutter");
      bench_stop_process (wm);
    }
  else
    {
      g_print ("wake-ups under a window manager: not measured, mutter is not installed\n");
    }

  return pass ? EXIT_SUCCESS : EXIT_FAILURE;
}
