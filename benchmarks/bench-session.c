/* bench-session.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The built app streaming a file, as a user runs it (issue 15):
 *
 *   1. GStreamer is loaded only when a session with audio starts: no
 *      libgstreamer in /proc/PID/maps with the window open and a file
 *      chosen, and libgstreamer there once the session began (the first
 *      frame itself is bench-startup's);
 *   2. its wake-ups (voluntary context switches, as bench-wakeups counts
 *      them) while streaming: at most the audio's frame rate, 20/s at
 *      50 ms frames, plus 5/s;
 *   3. and back to none once the session has ended: at most the idle
 *      window's 0.20/s.
 *
 *   bench-session STREAMING-TOKEN FAKE-TOKEN-SERVER SPOKEN-WAV [BARE-STREAMING [SECONDS]]
 *
 * SECONDS (10) is how long the ended session is watched. BARE-STREAMING
 * (bare-streaming.c) is measured after the app, for scale and not judged:
 * a window that only keeps the session's time, a timer at the frame rate
 * and a word drawn as often as the session's Turns came, says what GTK
 * itself takes for that on the same X server. All of it is
 * measured on the bare X server and, when mutter is installed, under it,
 * as bench-wakeups does.
 *
 * `streaming-token --server=URL FILE` opens the window with FILE chosen,
 * as Open With does; Start is pressed with Ctrl+R through xdotool. The
 * fake server runs in its own process, whose log says when the session
 * opened, began and closed, and how much audio it received. SPOKEN-WAV is
 * repeated to FILE_S seconds. The same speech is then streamed once more
 * as Ogg Vorbis, the built-in sample's format, on the bare X server: a
 * container puts a demuxer before the decoder. BENCH_SESSION_STRACE=FILE
 * writes 3 s of the app's system calls while it streams, to find what
 * wakes it. */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "bench-util.h"
#include "stok-test-encode.h"

#define FRAME_MS 50
#define FRAME_RATE (1000.0 / FRAME_MS)
#define STREAMING_ALLOWANCE_PER_S 5.0
#define ENDED_TARGET_PER_S 0.20
#define SETTLE_S 2
/* Streaming is measured this long, twice: from a second after Begin, and
 * once GTK has stopped animating the text cursor, BLINK_S after Ctrl+R.
 * The window opens with the focus in an entry, where Ctrl+R leaves it,
 * and GTK 4.8 draws that cursor's blink at every frame, 60 a second, for
 * gtk-cursor-blink-timeout (10 s) after the last key press: the
 * toolkit's, as in any window with an entry (bench-wakeups says the same
 * of the idle window). The first figure is printed, the second judged. */
#define STREAMING_S 5
#define BLINK_S 12
/* The file: long enough for both, short enough not to hold the benchmark
 * up. */
#define FILE_S 20
/* What the ending sets off (the card sliding in, the focus moving, the
 * scroll bars fading out) is the ending's, not the idle window's. */
#define ENDED_SETTLE_S 5
#define WAIT_S 20

static gboolean
log_has (const char *log_path,
         const char *needle)
{
  g_autofree char *log = NULL;

  if (!g_file_get_contents (log_path, &log, NULL, NULL))
    return FALSE;

  return strstr (log, needle) != NULL;
}

static gboolean
wait_for_log (const char *log_path,
              const char *needle,
              guint       seconds)
{
  for (guint i = 0; i < seconds * 20; i++)
    {
      if (log_has (log_path, needle))
        return TRUE;
      g_usleep (50 * 1000);
    }

  return FALSE;
}

static gboolean
gstreamer_mapped (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/maps", (int) pid);
  g_autofree char *maps = NULL;

  if (!g_file_get_contents (path, &maps, NULL, NULL))
    return FALSE;

  return strstr (maps, "/libgstreamer-") != NULL;
}

/* Each thread's share, by name, to say where the wake-ups are. */
static void
print_threads (GPid        pid,
               GHashTable *before,
               GHashTable *after,
               double      elapsed_s)
{
  GHashTableIter iter;
  gpointer tid, count;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &tid, &count))
    {
      g_autofree char *comm_path = g_strdup_printf ("/proc/%d/task/%s/comm", (int) pid, (const char *) tid);
      g_autofree char *comm = NULL;
      const BenchSwitches *now = count;
      const BenchSwitches *earlier = g_hash_table_lookup (before, tid);
      gint64 voluntary = now->voluntary - (earlier != NULL ? earlier->voluntary : 0);
      gint64 nonvoluntary = now->nonvoluntary - (earlier != NULL ? earlier->nonvoluntary : 0);

      if (voluntary == 0 && nonvoluntary == 0)
        continue;
      if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
        comm = g_strdup ("(gone)");
      g_print ("  thread %s %s: %.2f/s woken, %.2f/s preempted\n", (const char *) tid,
               g_strstrip (comm), voluntary / elapsed_s, nonvoluntary / elapsed_s);
    }
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
  print_threads (pid, before, after, (end - start) / 1e6);
  *preempted = switches.nonvoluntary / ((end - start) / 1e6);

  return switches.voluntary / ((end - start) / 1e6);
}

/* Presses Ctrl+R in @window until the server's log shows a session: the
 * window reads its key from the keyring first, and Start waits for it. */
static gboolean
press_start (const char *window,
             const char *log_path)
{
  for (guint i = 0; i < 50 && !log_has (log_path, "ws open"); i++)
    {
      const char *focus[] = { "windowfocus", "--sync", window, NULL };
      const char *press[] = { "key", "--clearmodifiers", "ctrl+r", NULL };

      g_free (bench_xdotool (focus));
      g_free (bench_xdotool (press));
      wait_for_log (log_path, "ws open", 1);
    }

  return log_has (log_path, "ws open");
}

/* What the server's log says of the session's end: "closed 1000 ...
 * (audio received: 7.800 s, 29 turns sent)". */
static char *
dup_closed_line (const char *log_path)
{
  g_autofree char *log = NULL;
  const char *line;

  if (!g_file_get_contents (log_path, &log, NULL, NULL) || (line = strstr (log, "ws closed ")) == NULL)
    return g_strdup ("(no close in the log)");

  return g_strndup (line + strlen ("ws closed "), strcspn (line + strlen ("ws closed "), "\n"));
}

/* The N of "N turns sent" in the server's closing line, or 0. */
static guint
turns_sent (const char *closed)
{
  const char *end = strstr (closed, " turns sent");
  const char *start = end;

  if (end == NULL)
    return 0;
  while (start > closed && g_ascii_isdigit (start[-1]))
    start--;

  return (guint) g_ascii_strtoull (start, NULL, 10);
}

/* The yardstick: bare-streaming's wake-ups at @turns_per_s, against the
 * app's @streaming, on the X server as it is. */
static void
measure_bare (const char *bare_streaming,
              double      turns_per_s,
              double      streaming,
              const char *setting)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rate = g_strdup_printf ("%.2f", turns_per_s);
  const char *bare_argv[] = { bare_streaming, rate, NULL };
  g_autofree char *window = NULL;
  double bare, preempted;
  GPid bare_pid;

  if (turns_per_s <= 0 ||
      !g_spawn_async (NULL, (char **) bare_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &bare_pid, &error))
    {
      g_print ("for scale, %s: bare-streaming not run (%s)\n", setting,
               error != NULL ? error->message : "the session sent no turns");
      return;
    }

  window = bench_wait_for_window (bare_pid);
  if (window != NULL)
    {
      g_usleep (SETTLE_S * G_USEC_PER_SEC);
      bare = measure_wakeups (bare_pid, STREAMING_S, &preempted);
      g_print ("for scale, %s: a bare window that keeps the same time (a timer at %.0f/s, "
               "%.2f words drawn and one tick a second), %.2f/s (preempted %.2f/s); "
               "the app %.2fx of it; not judged\n",
               setting, FRAME_RATE, turns_per_s, bare, preempted, streaming / bare);
    }
  else
    {
      g_print ("for scale, %s: bare-streaming showed no window\n", setting);
    }
  bench_stop_process (bare_pid);
}

/* The three figures on the X server as it is: @setting says which. */
static gboolean
measure (const char *streaming_token,
         const char *fake_server,
         const char *wav,
         const char *dir,
         guint       seconds,
         const char *setting,
         double     *streaming_out,
         double     *turns_per_s)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log_path = g_build_filename (dir, "server.log", NULL);
  g_autofree char *url = NULL;
  g_autofree char *server_arg = NULL;
  g_autofree char *window = NULL;
  g_autofree char *figures = NULL;
  g_autofree char *name = NULL;
  g_autofree char *closed = NULL;
  gboolean pass = TRUE;
  gboolean before, after;
  double streaming, ended, preempted, allowed;
  gint64 pressed_us, waited_us;
  GPid server, app;

  *streaming_out = 0;
  *turns_per_s = 0;
  if (!bench_start_fake_server (fake_server, NULL, log_path, &server, &url, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }

  server_arg = g_strdup_printf ("--server=%s", url);
  {
    const char *app_argv[] = { streaming_token, server_arg, wav, NULL };

    if (!g_spawn_async (NULL, (char **) app_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                        NULL, NULL, &app, &error))
      {
        g_printerr ("%s\n", error->message);
        bench_stop_process (server);
        return FALSE;
      }
  }

  window = bench_wait_for_window (app);
  if (window == NULL)
    {
      g_printerr ("The window did not show\n");
      pass = FALSE;
      goto out;
    }

  /* 1. GStreamer: not with the file merely chosen, then there once the
   * session has begun. */
  g_usleep (SETTLE_S * G_USEC_PER_SEC);
  before = gstreamer_mapped (app);

  pressed_us = g_get_monotonic_time ();
  if (!press_start (window, log_path) || !wait_for_log (log_path, "\"type\":\"Begin\"", WAIT_S))
    {
      g_printerr ("Ctrl+R opened no session\n");
      pass = FALSE;
      goto out;
    }
  after = gstreamer_mapped (app);

  name = g_strdup_printf ("GStreamer before Start, a file chosen, %s", setting);
  pass &= bench_report_fact (name,
                             before ? "libgstreamer mapped (target: not yet)" : "libgstreamer not mapped (target: not yet)",
                             !before);
  g_free (name);
  name = g_strdup_printf ("GStreamer once a session with audio began, %s", setting);
  pass &= bench_report_fact (name,
                             after ? "libgstreamer mapped (target: mapped)" : "libgstreamer not mapped (target: mapped)",
                             after);

  /* 2. Streaming the file: from a second after Begin, within the
   * shortest source the app could stream (the built-in sample, 7.8 s),
   * the cursor still blinking; then once it has stopped. */
  g_usleep (G_USEC_PER_SEC);
  streaming = measure_wakeups (app, STREAMING_S, &preempted);
  g_print ("wake-ups, streaming a file, the first %u s, %s: app %.2f/s (preempted %.2f/s), "
           "with GTK's cursor blink after Ctrl+R; not judged\n",
           STREAMING_S, setting, streaming, preempted);
  waited_us = g_get_monotonic_time () - pressed_us;
  if (waited_us < BLINK_S * G_USEC_PER_SEC)
    g_usleep (BLINK_S * G_USEC_PER_SEC - waited_us);

  if (g_getenv ("BENCH_SESSION_STRACE") != NULL)
    {
      /* To find out what wakes the app: 3 s of its system calls. */
      g_autofree char *pid_arg = g_strdup_printf ("%d", (int) app);
      const char *strace_argv[] = { "timeout", "-s", "INT", "3", "strace", "-f", "-tt", "-p", pid_arg,
                                    "-o", g_getenv ("BENCH_SESSION_STRACE"), NULL };

      g_spawn_sync (NULL, (char **) strace_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
    }
  streaming = measure_wakeups (app, STREAMING_S, &preempted);
  allowed = FRAME_RATE + STREAMING_ALLOWANCE_PER_S;
  figures = g_strdup_printf ("app %.2f/s over %u s (preempted %.2f/s), baseline the audio's "
                             "%.0f frames/s (%d ms) + %.0f/s = %.0f/s",
                             streaming, STREAMING_S, preempted, FRAME_RATE, FRAME_MS,
                             STREAMING_ALLOWANCE_PER_S, allowed);
  g_free (name);
  name = g_strdup_printf ("wake-ups, streaming a file, after the cursor's blink, %s", setting);
  pass &= bench_report (name, figures, streaming / allowed, 1.0);

  /* 3. The file ends, the app sends Terminate, the server Termination. */
  if (!wait_for_log (log_path, "ws closed", FILE_S + WAIT_S))
    {
      g_printerr ("The session did not end\n");
      pass = FALSE;
      goto out;
    }
  closed = dup_closed_line (log_path);
  g_print ("  the session: %s; the file holds %d s\n", closed, FILE_S);
  *streaming_out = streaming;
  *turns_per_s = turns_sent (closed) / (double) FILE_S;

  g_usleep (ENDED_SETTLE_S * G_USEC_PER_SEC);
  ended = measure_wakeups (app, seconds, &preempted);
  g_free (figures);
  figures = g_strdup_printf ("app %.2f/s over %u s (preempted %.2f/s), baseline none (target %.2f/s)",
                             ended, seconds, preempted, ENDED_TARGET_PER_S);
  g_free (name);
  name = g_strdup_printf ("wake-ups, session ended, %s", setting);
  pass &= bench_report (name, figures, ended / ENDED_TARGET_PER_S, 1.0);

out:
  bench_stop_process (app);
  bench_stop_process (server);
  if (g_getenv ("BENCH_KEEP_LOG") == NULL)
    g_unlink (log_path);
  else
    g_print ("server log kept in %s\n", log_path);

  return pass;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mutter = g_find_program_in_path ("mutter");
  g_autofree char *dir = NULL;
  g_autofree char *wav = NULL;
  g_autofree char *ogg_pipeline = NULL;
  g_autofree char *ogg = NULL;
  const char *bare_streaming;
  double streaming = 0;
  double turns_per_s = 0;
  gboolean pass = TRUE;
  guint seconds = 10;

  if (argc < 4)
    {
      g_printerr ("usage: %s STREAMING-TOKEN FAKE-TOKEN-SERVER SPOKEN-WAV [BARE-STREAMING [SECONDS]]\n",
                  argv[0]);
      return EXIT_FAILURE;
    }
  bare_streaming = argc > 4 ? argv[4] : NULL;
  if (argc > 5)
    seconds = MAX ((guint) g_ascii_strtoull (argv[5], NULL, 10), 1);

  /* The key is in the keyring, as for a user who saved it. */
  g_unsetenv ("ASSEMBLYAI_API_KEY");
  if (!bench_store_key_in_keyring ("benchmark-key-not-a-secret", &error))
    {
      g_printerr ("Could not save a key in the keyring: %s\n", error->message);
      return EXIT_FAILURE;
    }

  dir = g_dir_make_tmp ("bench-session-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  wav = bench_write_long_wav (argv[3], dir, FILE_S);
  ogg_pipeline = g_strdup_printf ("filesrc location=\"%s\" ! wavparse ! audioconvert ! vorbisenc ! oggmux", wav);
  ogg = stok_test_encode (dir, "spoken.ogg", ogg_pipeline);

  pass &= measure (argv[1], argv[2], wav, dir, seconds, "bare X server", &streaming, &turns_per_s);
  if (bare_streaming != NULL)
    measure_bare (bare_streaming, turns_per_s, streaming, "bare X server");
  pass &= measure (argv[1], argv[2], ogg, dir, seconds, "Ogg Vorbis, bare X server", &streaming, &turns_per_s);

  if (mutter != NULL)
    {
      GPid wm = bench_start_mutter (mutter);

      if (wm == 0)
        return EXIT_FAILURE;
      pass &= measure (argv[1], argv[2], wav, dir, seconds, "under mutter", &streaming, &turns_per_s);
      if (bare_streaming != NULL)
        measure_bare (bare_streaming, turns_per_s, streaming, "under mutter");
      bench_stop_process (wm);
    }
  else
    {
      g_print ("under a window manager: not measured, mutter is not installed\n");
    }

  g_unlink (wav);
  g_unlink (ogg);
  g_rmdir (dir);

  return pass ? EXIT_SUCCESS : EXIT_FAILURE;
}
