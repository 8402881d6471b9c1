/* bench-transcribe.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `streaming-token --transcribe FILE`, the built program, streaming a
 * 60 s spoken file to the fake server that runs in this process, as the
 * tests run it:
 *
 *   bench-transcribe STREAMING-TOKEN RUSAGE-OF SPOKEN-WAV [SECONDS [RUNS]]
 *
 * Pacing as the fake server received it (issue 13): each frame's
 * lateness against its due time, median <= 5 ms and worst <= 20 ms, and
 * the drift of the lateness over the file, <= 1 ms a minute. The server
 * cannot see when the client's clock started, so frame 0's arrival is
 * the reference: frame k is due when frame 0 arrived plus the audio of
 * the frames before k. The lateness of frame 0 itself (after Begin and
 * its own 50 ms) is printed apart.
 *
 * Cost: the app's CPU time over the wall time from Begin to Terminate,
 * read from /proc while it streams, <= 2% of one core; and its peak RSS
 * against that of `--print-token` on the same server, in the same run,
 * which has no target: the issue asks for the two side by side. Both
 * programs run under rusage-of (see there for why).
 *
 * Beside the figures it says what held up the latest frames: how long,
 * around each, the app's main thread and the fake server's waited for a
 * CPU (the run delay of /proc's schedstat) and ran; and how busy the
 * machine was (CPU pressure, and steal under a hypervisor). On a shared
 * machine a late frame is more often the neighbours' doing than the
 * app's, and this tells the two apart.
 *
 * SPOKEN-WAV is repeated to SECONDS (60 by default) of 16 kHz mono s16;
 * with RUNS above 1 (1 by default: a run is a minute) the figures are
 * medians over the runs. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-transcribe.h"
#include "bench-util.h"
#include "stok-fake-server.h"

#define MEDIAN_TARGET_MS 5.0
#define WORST_TARGET_MS 20.0
#define DRIFT_TARGET_MS_PER_MIN 1.0
#define CPU_TARGET_PERCENT 2.0
#define PRINT_TOKEN_RUNS 5
#define KEY "benchmark-key-not-a-secret"
#define REPORT_FD 3
#define WAITS_EVERY_MS 50

/* One program run under rusage-of, while the fake server answers it. */
typedef struct
{
  /* (nullable): where to keep a Waits every WAITS_EVERY_MS while it runs */
  GArray *waits;

  GMainLoop *loop;
  GString *report;
  GPid helper;
  pid_t pid;
  int report_fd;
  gboolean timed_out;

  /* What rusage-of said once it ended. */
  int status;
  long maxrss_kib;
  gint64 cpu_us;

  /* The app's CPU time and the clock at Begin and at Terminate, as the
   * fake server sent and received them. */
  gint64 begin_us;
  gint64 begin_cpu_us;
  gint64 terminate_us;
  gint64 terminate_cpu_us;

  /* /proc/pressure/cpu's "some" total then: the time in which some task
   * on the machine waited for a CPU. */
  gint64 begin_pressure_us;
  gint64 terminate_pressure_us;
  /* /proc/stat's steal then: CPU time a virtual machine's host gave to
   * others, which no thread here sees as waiting. */
  gint64 begin_steal_us;
  gint64 terminate_steal_us;
} Child;

/* What one --transcribe run measured. */
typedef struct
{
  double median_ms;
  double worst_ms;
  guint worst_frame;
  double earliest_ms;
  double drift_ms_per_min;
  double tenths_ms[10];
  double first_frame_ms;
  double cpu_percent;
  double streaming_s;
  double streaming_cpu_s;
  double whole_cpu_s;
  long maxrss_kib;
  guint n_frames;
  guint n_final_turns;
} Figures;

/* Keeps the waits so far, as of @at_us, which is about now. */
static void
sample_waits (Child  *child,
              gint64  at_us)
{
  g_autofree char *task_dir = g_strdup_printf ("/proc/%d/task", (int) child->pid);
  g_autofree char *main_path = g_strdup_printf ("%s/%d/schedstat", task_dir, (int) child->pid);
  g_autoptr(GDir) dir = g_dir_open (task_dir, 0, NULL);
  Waits waits = { 0 };
  const char *tid;

  waits.at_us = at_us;
  waits.steal_us = bench_read_steal_us ();
  waits.server_wait_us = bench_read_run_delay_us ("/proc/thread-self/schedstat", &waits.server_run_us);
  waits.app_main_wait_us = bench_read_run_delay_us (main_path, &waits.app_main_run_us);
  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (task_dir, tid, "schedstat", NULL);

      waits.app_wait_us += bench_read_run_delay_us (path, NULL);
    }
  g_array_append_val (child->waits, waits);
}

static gboolean
sample_waits_cb (gpointer user_data)
{
  Child *child = user_data;

  sample_waits (child, g_get_monotonic_time ());

  return G_SOURCE_CONTINUE;
}

static void
message_sent_cb (StokFakeServer        *server,
                 const StokFakeMessage *message,
                 Child                 *child)
{
  if (g_strcmp0 (message->type, "Begin") == 0 && child->begin_us == 0)
    {
      child->begin_us = message->at_us;
      child->begin_cpu_us = bench_read_process_cpu_us (child->pid);
      child->begin_pressure_us = bench_read_cpu_pressure_us ();
      child->begin_steal_us = bench_read_steal_us ();
      if (child->waits != NULL)
        sample_waits (child, message->at_us);
    }
}

static void
message_received_cb (StokFakeServer        *server,
                     const StokFakeMessage *message,
                     Child                 *child)
{
  if (g_strcmp0 (message->type, "Terminate") == 0 && child->terminate_us == 0)
    {
      child->terminate_us = message->at_us;
      child->terminate_cpu_us = bench_read_process_cpu_us (child->pid);
      child->terminate_pressure_us = bench_read_cpu_pressure_us ();
      child->terminate_steal_us = bench_read_steal_us ();
      if (child->waits != NULL)
        sample_waits (child, message->at_us);
    }
}

static gboolean
report_readable_cb (int          fd,
                    GIOCondition condition,
                    gpointer     user_data)
{
  Child *child = user_data;
  char buffer[256];
  gssize n;

  n = read (fd, buffer, sizeof buffer);
  if (n < 0 && errno == EINTR)
    return G_SOURCE_CONTINUE;
  if (n > 0)
    {
      g_string_append_len (child->report, buffer, n);
      return G_SOURCE_CONTINUE;
    }

  g_main_loop_quit (child->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
child_timeout_cb (gpointer user_data)
{
  Child *child = user_data;

  child->timed_out = TRUE;
  kill (child->pid, SIGTERM);

  return G_SOURCE_REMOVE;
}

/* Runs @argv under rusage-of, stdout and stderr to files, and serves the
 * fake server until it ends. */
static gboolean
run_child (const char  *rusage_of,
           const char  *const *argv,
           char       **envp,
           const char  *out_path,
           const char  *err_path,
           guint        timeout_s,
           Child       *child)
{
  g_autoptr(GPtrArray) full_argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *pid_line = NULL;
  const char *exit_line;
  int pipe_fds[2];
  int out_fd, err_fd;
  int source_fds[1];
  int target_fds[1] = { REPORT_FD };
  guint timeout_id;
  guint waits_id = 0;
  gboolean spawned;
  char c;

  g_ptr_array_add (full_argv, (gpointer) rusage_of);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full_argv, (gpointer) argv[i]);
  g_ptr_array_add (full_argv, NULL);

  if (!g_unix_open_pipe (pipe_fds, FD_CLOEXEC, &error))
    g_error ("pipe: %s", error->message);
  out_fd = open (out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  err_fd = open (err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out_fd < 0 || err_fd < 0)
    g_error ("%s: %s", out_path, g_strerror (errno));

  source_fds[0] = pipe_fds[1];
  spawned = g_spawn_async_with_pipes_and_fds (NULL, (const char * const *) full_argv->pdata,
                                              (const char * const *) envp,
                                              G_SPAWN_DO_NOT_REAP_CHILD,
                                              NULL, NULL, -1, out_fd, err_fd,
                                              source_fds, target_fds, 1,
                                              &child->helper, NULL, NULL, NULL, &error);
  close (pipe_fds[1]);
  close (out_fd);
  close (err_fd);
  if (!spawned)
    {
      g_printerr ("%s: %s\n", rusage_of, error->message);
      close (pipe_fds[0]);
      return FALSE;
    }

  /* Its first line comes at once, before the program does anything
   * that needs the server: reading it may block. */
  child->report = g_string_new (NULL);
  while (read (pipe_fds[0], &c, 1) == 1 && c != '\n')
    g_string_append_c (child->report, c);
  pid_line = g_string_free (g_steal_pointer (&child->report), FALSE);
  if (!g_str_has_prefix (pid_line, "pid "))
    {
      g_printerr ("%s said no pid\n", rusage_of);
      close (pipe_fds[0]);
      waitpid (child->helper, NULL, 0);
      g_spawn_close_pid (child->helper);
      return FALSE;
    }
  child->pid = (pid_t) g_ascii_strtoll (pid_line + strlen ("pid "), NULL, 10);

  child->report = g_string_new (NULL);
  child->report_fd = pipe_fds[0];
  child->loop = g_main_loop_new (NULL, FALSE);
  g_unix_fd_add (child->report_fd, G_IO_IN | G_IO_HUP | G_IO_ERR, report_readable_cb, child);
  timeout_id = g_timeout_add_seconds (timeout_s, child_timeout_cb, child);
  if (child->waits != NULL)
    waits_id = g_timeout_add (WAITS_EVERY_MS, sample_waits_cb, child);
  g_main_loop_run (child->loop);
  if (!child->timed_out)
    g_source_remove (timeout_id);
  g_clear_handle_id (&waits_id, g_source_remove);

  close (child->report_fd);
  waitpid (child->helper, NULL, 0);
  g_spawn_close_pid (child->helper);
  g_clear_pointer (&child->loop, g_main_loop_unref);

  exit_line = child->report->str;
  if (sscanf (exit_line, "exit %d maxrss_kib %ld cpu_us %" G_GINT64_FORMAT,
              &child->status, &child->maxrss_kib, &child->cpu_us) != 3)
    {
      g_printerr ("%s said “%s”\n", rusage_of, exit_line);
      g_string_free (child->report, TRUE);
      return FALSE;
    }
  g_string_free (child->report, TRUE);

  if (child->timed_out)
    {
      g_printerr ("%s did not end within %u s\n", argv[0], timeout_s);
      return FALSE;
    }

  return TRUE;
}

static double
median_of_range (GArray *values,
                 guint   from,
                 guint   to)
{
  g_autoptr(GArray) part = g_array_new (FALSE, FALSE, sizeof (double));

  g_array_append_vals (part, &g_array_index (values, double, from), to - from);

  return bench_median (part);
}

/* Lateness of each frame as the fake server received it, against frame
 * 0's arrival and the audio of the frames before. */
static gboolean
measure_pacing (StokFakeServer *server,
                Figures        *figures)
{
  g_autoptr(GArray) lateness = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) sorted = NULL;
  const StokFakeAudioFrame *first;
  gint64 audio_before_us = 0;
  guint n = stok_fake_server_get_n_audio_frames (server);
  guint fifth;

  if (n < 10)
    return FALSE;

  first = stok_fake_server_get_audio_frame (server, 0);
  figures->first_frame_ms = (first->received_us - (stok_fake_server_get_begin_sent_us (server) +
                                                   first->audio_us)) / 1000.0;

  figures->worst_frame = 0;
  for (guint k = 0; k < n; k++)
    {
      const StokFakeAudioFrame *frame = stok_fake_server_get_audio_frame (server, k);
      double late_ms = (frame->received_us - (first->received_us + audio_before_us)) / 1000.0;

      g_array_append_val (lateness, late_ms);
      if (late_ms > g_array_index (lateness, double, figures->worst_frame))
        figures->worst_frame = k;
      audio_before_us += frame->audio_us;
    }

  /* Drift: from the median of the first fifth to that of the last, over
   * the time between their middles, so that one frame held up by the
   * machine is not taken for a trend. */
  fifth = MAX (n / 5, 1);
  figures->drift_ms_per_min = (median_of_range (lateness, n - fifth, n) - median_of_range (lateness, 0, fifth)) /
                              ((n - fifth) * (audio_before_us / (double) n) / 60e6);

  for (guint i = 0; i < 10; i++)
    figures->tenths_ms[i] = median_of_range (lateness, i * n / 10, MAX ((i + 1) * n / 10, i * n / 10 + 1));

  sorted = g_array_copy (lateness);
  figures->median_ms = bench_median (sorted);
  figures->worst_ms = g_array_index (sorted, double, n - 1);
  figures->earliest_ms = g_array_index (sorted, double, 0);
  figures->n_frames = n;

  return TRUE;
}

static char **
child_environ (void)
{
  static const char * const dropped[] = {
    "G_MESSAGES_DEBUG", "LANGUAGE",
    "http_proxy", "https_proxy", "all_proxy", "no_proxy",
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
  };
  char **env = g_get_environ ();

  for (guint i = 0; i < G_N_ELEMENTS (dropped); i++)
    env = g_environ_unsetenv (env, dropped[i]);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  /* The key as a user gives it to a script: never on the command line. */
  env = g_environ_setenv (env, "ASSEMBLYAI_API_KEY", KEY, TRUE);

  return env;
}

static gboolean
transcribe_once (const char  *streaming_token,
                 const char  *rusage_of,
                 const char  *wav,
                 const char  *dir,
                 guint        seconds,
                 char       **envp,
                 Figures     *figures)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autofree char *server_arg = NULL;
  g_autofree char *out_path = g_build_filename (dir, "transcribe.out", NULL);
  g_autofree char *err_path = g_build_filename (dir, "transcribe.err", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GArray) waits = g_array_new (FALSE, FALSE, sizeof (Waits));
  Child child = { 0 };
  Waits total;
  gboolean ran;

  stok_fake_server_set_api_key (server, KEY);
  server_arg = g_strconcat ("--server=", stok_fake_server_get_url (server), NULL);
  child.waits = waits;
  g_signal_connect (server, "message-sent", G_CALLBACK (message_sent_cb), &child);
  g_signal_connect (server, "message-received", G_CALLBACK (message_received_cb), &child);

  {
    const char *argv[] = { streaming_token, "--transcribe", wav, server_arg, NULL };

    ran = run_child (rusage_of, argv, envp, out_path, err_path, seconds + 60, &child);
  }
  g_signal_handlers_disconnect_by_data (server, &child);

  g_file_get_contents (out_path, &out, NULL, NULL);
  g_file_get_contents (err_path, &err, NULL, NULL);
  if (!ran || child.status != 0)
    {
      g_printerr ("--transcribe failed (exit %d); stderr: %s\n", child.status, err != NULL ? err : "");
      return FALSE;
    }

  /* What a user would see: turns, and the whole file received. */
  if (out == NULL || strstr (out, "stand-in") == NULL)
    {
      g_printerr ("--transcribe printed no turn: “%s”\n", out != NULL ? out : "");
      return FALSE;
    }
  if (stok_fake_server_get_audio_received_us (server) != (gint64) seconds * G_USEC_PER_SEC)
    {
      g_printerr ("The fake server received %.3f s of audio, not %u s\n",
                  stok_fake_server_get_audio_received_us (server) / 1e6, seconds);
      return FALSE;
    }
  if (child.begin_us == 0 || child.terminate_us <= child.begin_us ||
      child.begin_cpu_us < 0 || child.terminate_cpu_us < 0)
    {
      g_printerr ("The app's CPU time was not read while it streamed\n");
      return FALSE;
    }

  if (!measure_pacing (server, figures))
    return FALSE;

  figures->streaming_s = (child.terminate_us - child.begin_us) / 1e6;
  figures->streaming_cpu_s = (child.terminate_cpu_us - child.begin_cpu_us) / 1e6;
  figures->cpu_percent = 100.0 * figures->streaming_cpu_s / figures->streaming_s;
  figures->whole_cpu_s = child.cpu_us / 1e6;
  figures->maxrss_kib = child.maxrss_kib;
  figures->n_final_turns = stok_fake_server_get_n_final_turns (server);

  g_print ("transcribe: median lateness by tenths of the file (ms):");
  for (guint i = 0; i < 10; i++)
    g_print (" %.2f", figures->tenths_ms[i]);
  g_print ("\n");
  g_print ("transcribe: run of %.1f s streaming: %u frames, %u final turns; the app said: %s",
           figures->streaming_s, figures->n_frames, figures->n_final_turns,
           err != NULL && *err != '\0' ? err : "(nothing)\n");

  bench_explain_worst_frames (server, waits);
  if (bench_waits_between (waits, child.begin_us, child.terminate_us, &total))
    g_print ("transcribe: from Begin to Terminate the app's main thread waited %.0f ms for a CPU "
             "(all its threads %.0f ms), the fake server's %.0f ms\n",
             total.app_main_wait_us / 1000.0, total.app_wait_us / 1000.0, total.server_wait_us / 1000.0);
  if (child.begin_pressure_us >= 0 && child.terminate_pressure_us >= 0)
    g_print ("transcribe: the machine: some task waited for a CPU %.1f%% of that time\n",
             100.0 * (child.terminate_pressure_us - child.begin_pressure_us) /
             (double) (child.terminate_us - child.begin_us));
  if (child.begin_steal_us >= 0 && child.terminate_steal_us >= 0)
    g_print ("transcribe: the machine: its host took %.0f ms of CPU time from it (steal)\n",
             (child.terminate_steal_us - child.begin_steal_us) / 1000.0);

  g_unlink (out_path);
  g_unlink (err_path);

  return TRUE;
}

static gboolean
print_token_maxrss (const char *streaming_token,
                    const char *rusage_of,
                    const char *dir,
                    char      **envp,
                    double     *out_kib)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GArray) peaks = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *server_arg = NULL;
  g_autofree char *out_path = g_build_filename (dir, "print-token.out", NULL);
  g_autofree char *err_path = g_build_filename (dir, "print-token.err", NULL);

  stok_fake_server_set_api_key (server, KEY);
  server_arg = g_strconcat ("--server=", stok_fake_server_get_url (server), NULL);

  for (guint i = 0; i < PRINT_TOKEN_RUNS; i++)
    {
      const char *argv[] = { streaming_token, "--print-token", server_arg, NULL };
      Child child = { 0 };
      double kib;

      if (!run_child (rusage_of, argv, envp, out_path, err_path, 30, &child) || child.status != 0)
        {
          g_printerr ("--print-token failed (exit %d)\n", child.status);
          return FALSE;
        }
      kib = child.maxrss_kib;
      g_array_append_val (peaks, kib);
    }

  if (stok_fake_server_get_n_tokens (server) != PRINT_TOKEN_RUNS)
    {
      g_printerr ("--print-token minted %u tokens, not %u\n",
                  stok_fake_server_get_n_tokens (server), PRINT_TOKEN_RUNS);
      return FALSE;
    }

  g_unlink (out_path);
  g_unlink (err_path);
  *out_kib = bench_median (peaks);

  return TRUE;
}

/* The median over the runs of the figure at @offset in Figures. */
static double
median_figure (GArray *runs,
               gsize   offset)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < runs->len; i++)
    {
      const Figures *figures = &g_array_index (runs, Figures, i);
      double value = *(const double *) ((const char *) figures + offset);

      g_array_append_val (values, value);
    }

  return bench_median (values);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (Figures));
  g_autoptr(GArray) peaks = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *wav = NULL;
  g_autofree char *figures = NULL;
  g_autofree char *of_runs = NULL;
  guint seconds = 60;
  guint n_runs = 1;
  double median, worst, drift, cpu, first_frame, earliest;
  double transcribe_kib, print_token_kib;
  gboolean pass = TRUE;

  if (argc < 4)
    {
      g_printerr ("usage: %s STREAMING-TOKEN RUSAGE-OF SPOKEN-WAV [SECONDS [RUNS]]\n", argv[0]);
      return EXIT_FAILURE;
    }
  if (argc > 4)
    seconds = (guint) g_ascii_strtoull (argv[4], NULL, 10);
  if (argc > 5)
    n_runs = MAX ((guint) g_ascii_strtoull (argv[5], NULL, 10), 1);

  dir = g_dir_make_tmp ("bench-transcribe-XXXXXX", &error);
  g_assert_no_error (error);
  wav = bench_write_long_wav (argv[3], dir, seconds);
  envp = child_environ ();

  /* --print-token first: its peak is the yardstick, and its run warms
   * the page cache for the app's libraries. */
  if (!print_token_maxrss (argv[1], argv[2], dir, envp, &print_token_kib))
    return EXIT_FAILURE;

  for (guint i = 0; i < n_runs; i++)
    {
      Figures run = { 0 };
      double kib;

      g_print ("transcribe: %u s of speech in %d ms frames to the fake server, run %u of %u...\n",
               seconds, FRAME_MS, i + 1, n_runs);
      if (!transcribe_once (argv[1], argv[2], wav, dir, seconds, envp, &run))
        return EXIT_FAILURE;
      g_array_append_val (runs, run);
      kib = run.maxrss_kib;
      g_array_append_val (peaks, kib);
    }

  g_unlink (wav);
  g_rmdir (dir);

  of_runs = n_runs > 1 ? g_strdup_printf (", medians of %u runs", n_runs) : g_strdup ("");
  median = median_figure (runs, G_STRUCT_OFFSET (Figures, median_ms));
  worst = median_figure (runs, G_STRUCT_OFFSET (Figures, worst_ms));
  earliest = median_figure (runs, G_STRUCT_OFFSET (Figures, earliest_ms));
  drift = median_figure (runs, G_STRUCT_OFFSET (Figures, drift_ms_per_min));
  first_frame = median_figure (runs, G_STRUCT_OFFSET (Figures, first_frame_ms));
  cpu = median_figure (runs, G_STRUCT_OFFSET (Figures, cpu_percent));
  transcribe_kib = bench_median (peaks);

  g_print ("transcribe: frame k due at frame 0's arrival + k x %d ms, as the fake server received them; "
           "frame 0 came %.2f ms after Begin + its own %d ms\n",
           FRAME_MS, first_frame, FRAME_MS);

  figures = g_strdup_printf ("median %.2f ms over %u frames (earliest %.2f ms)%s, target %.0f ms",
                             median, g_array_index (runs, Figures, 0).n_frames, earliest, of_runs,
                             MEDIAN_TARGET_MS);
  pass &= bench_report ("transcribe lateness at the server (median)", figures, median / MEDIAN_TARGET_MS, 1.0);
  g_free (figures);

  if (n_runs == 1)
    {
      figures = g_strdup_printf ("worst %.2f ms (frame %u), target %.0f ms",
                                 worst, g_array_index (runs, Figures, 0).worst_frame, WORST_TARGET_MS);
    }
  else
    {
      g_autoptr(GString) each = g_string_new (NULL);

      for (guint i = 0; i < n_runs; i++)
        g_string_append_printf (each, "%s%.2f", i > 0 ? ", " : "", g_array_index (runs, Figures, i).worst_ms);
      figures = g_strdup_printf ("worst %.2f ms (runs: %s ms)%s, target %.0f ms",
                                 worst, each->str, of_runs, WORST_TARGET_MS);
    }
  pass &= bench_report ("transcribe lateness at the server (worst)", figures, worst / WORST_TARGET_MS, 1.0);
  g_free (figures);

  figures = g_strdup_printf ("%.3f ms/min (median of the last fifth against the first)%s, target %.0f ms/min",
                             drift, of_runs, DRIFT_TARGET_MS_PER_MIN);
  pass &= bench_report ("transcribe drift at the server", figures, fabs (drift) / DRIFT_TARGET_MS_PER_MIN, 1.0);
  g_free (figures);

  figures = g_strdup_printf ("%.2f%% of a core (%s%.2f s CPU from Begin to Terminate over %.1f s; "
                             "%.2f s CPU over the whole run)%s, target %.0f%%",
                             cpu, n_runs > 1 ? "run 1: " : "", g_array_index (runs, Figures, 0).streaming_cpu_s,
                             g_array_index (runs, Figures, 0).streaming_s,
                             g_array_index (runs, Figures, 0).whole_cpu_s, of_runs, CPU_TARGET_PERCENT);
  pass &= bench_report ("transcribe cpu", figures, cpu / CPU_TARGET_PERCENT, 1.0);

  /* No target: the issue asks for the two side by side. */
  g_print ("transcribe peak RSS: --transcribe %.1f MiB, --print-token %.1f MiB (median of %u), "
           "ratio %.2fx (no target)\n",
           transcribe_kib / 1024.0, print_token_kib / 1024.0, PRINT_TOKEN_RUNS,
           transcribe_kib / print_token_kib);
  fflush (stdout);

  return pass ? EXIT_SUCCESS : EXIT_FAILURE;
}
