/* bench-live.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Live sessions measured inside a running window (issue 15):
 *
 *  1. a turn drawn within one frame of its message arriving: a file
 *     streamed to the fake server, and for each Turn (partial or final)
 *     the time from its arrival at the client, as the session stamps it,
 *     to the end of the next frame the window paints. Median and worst,
 *     against 16.7 ms; the baseline printed beside it is a bare frame, a
 *     redraw of the same window asked for while it is idle;
 *  2. a flood: a server that sends 50,000 partial and 3,000 final turns
 *     (about three hours of talk) as fast as the client takes them. The
 *     window's RSS may grow by at most 16 MiB over it, from before Start
 *     to the last final; and it keeps drawing: the gaps between the
 *     frames it paints while the flood arrives, median and worst, against
 *     16.7 ms, and each Turn's arrival to its frame as in 1;
 *  3. the inspector open on a busy session: a flood of INSPECTOR_PARTIALS
 *     turns at INSPECTOR_RATE a second, past the messages a session keeps,
 *     with the inspector open, against the same flood with it closed,
 *     measured in this run: the process's CPU time a second of the flood,
 *     at most INSPECTOR_TARGET times the window's alone;
 *  4. the microphone: a session from a private PulseAudio's null sink,
 *     the speech played into it, against the same window streaming the
 *     speech from its file, in this run: the process's wake-ups a second,
 *     every thread, WAKEUPS_S from WAKEUPS_AFTER_S after Begin, when
 *     GTK has stopped blinking the cursor. Printed, not judged: issue
 *     15's target is a file's; this says what capture adds to it.
 *
 *   bench-live FAKE-TOKEN-SERVER SPOKEN-WAV [SECONDS]
 *
 * The fake servers run as processes of their own, as a remote server
 * would: the flood's send queue must not count in the window's memory. */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "bench-util.h"
#include "stok-key-group.h"
#include "stok-renderer.h"
#include "stok-session.h"
#include "stok-session-view.h"
#include "stok-test-pulse.h"
#include "stok-window.h"

#define FRAME_US           16667
/* fake-token-server's defaults for --ws-fault=flood. */
#define FLOOD_PARTIALS     50000
#define FLOOD_FINALS       3000
#define FLOOD_GROWTH_KIB   (16 * 1024)
/* Turn messages a second: 53,000 in 26.5 s, 400 times a real session's
 * pace, which the window must draw through. */
#define FLOOD_RATE         2000
/* Frames come every 16.7 ms at best; a median gap this much longer
 * means frames were missed. */
#define FLOOD_FRAME_TARGET 1.10
#define FLOOD_TIMEOUT_S    60
#define BARE_FRAMES        30
/* 1,600 Turn messages, 600 past the thousand a session keeps, at 150 a
 * second: a busy session's pace, a hundredfold the Sample's. */
#define INSPECTOR_PARTIALS 1500
#define INSPECTOR_FINALS   100
#define INSPECTOR_RATE     150
#define INSPECTOR_TARGET   2.0
#define WAKEUPS_AFTER_S    12
#define WAKEUPS_S          5
#define KEY                "benchmark-key-not-a-secret"

typedef struct
{
  StokWindow *window;
  StokSession *session;
  /* Arrivals of Turn messages not yet drawn, monotonic microseconds. */
  GArray *pending;
  /* For each Turn message, its arrival to the end of its frame. */
  GArray *latency_ms;
  /* When each frame was painted, while @frame_times is not NULL. */
  GArray *frame_times;
  gint64 last_frame_us;
  /* The first and the last Turn's arrival. */
  gint64 first_turn_us;
  gint64 last_turn_us;
  guint frames;
  guint n_turns;
  guint n_finals;
  gboolean painted;
} Bench;

static void
iterate_until (gboolean *condition,
               gint64    timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;

  while (!*condition && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  iterate_until (&done, G_MAXINT64 / 2);
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                Bench         *bench)
{
  gint64 now = g_get_monotonic_time ();

  bench->painted = TRUE;
  bench->frames++;

  for (guint i = 0; i < bench->pending->len; i++)
    {
      double late_ms = (now - g_array_index (bench->pending, gint64, i)) / 1000.0;

      g_array_append_val (bench->latency_ms, late_ms);
    }
  g_array_set_size (bench->pending, 0);

  if (bench->frame_times != NULL)
    g_array_append_val (bench->frame_times, now);
  bench->last_frame_us = now;
}

/* A message came: each Turn, partial or final, is to be drawn. Its
 * arrival is the session's stamp, taken as it was read. */
static void
message_cb (StokSession        *session,
            StokSessionMessage *message,
            JsonNode           *parsed,
            Bench              *bench)
{
  gint64 arrival;

  if (stok_session_message_get_direction (message) != STOK_DIRECTION_RECEIVED ||
      g_strcmp0 (stok_session_message_get_kind (message), "Turn") != 0)
    return;

  arrival = stok_session_get_started_at (session) + stok_session_message_get_offset (message);
  g_array_append_val (bench->pending, arrival);
  bench->n_turns++;
  if (bench->first_turn_us == 0)
    bench->first_turn_us = arrival;
  bench->last_turn_us = arrival;
}

static void
turn_ended_cb (StokSession *session,
               StokTurn    *turn,
               Bench       *bench)
{
  bench->n_finals++;
}

static StokWindow *
open_window (Bench           *bench,
             StokApplication *app,
             const char      *url,
             GFile           *file)
{
  StokWindow *window = stok_window_new (app, url);
  GtkEditable *key_row;
  GtkWidget *key_group;
  GtkWidget *session_view;

  bench->window = window;
  bench->pending = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench->latency_ms = g_array_new (FALSE, FALSE, sizeof (double));
  key_group = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), STOK_TYPE_WINDOW, "key_group"));
  key_row = GTK_EDITABLE (gtk_widget_get_template_child (key_group, STOK_TYPE_KEY_GROUP, "key_row"));
  gtk_editable_set_text (key_row, KEY);
  /* Chosen in the session view, as the file chooser or Open With do. */
  session_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), STOK_TYPE_WINDOW, "session_view"));
  stok_session_setup_choose_file (stok_session_view_get_setup (STOK_SESSION_VIEW (session_view)), file);
  gtk_window_present (GTK_WINDOW (window));

  /* Mapped, painted, past the keyring look-up and the file's check. */
  wait_ms (1000);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (after_paint_cb), bench);

  return window;
}

/* Lets what the window and its session still have to do run before the
 * arrays they fill go, and before the next measure. */
static void
close_window (Bench *bench)
{
  gtk_window_destroy (GTK_WINDOW (bench->window));
  wait_ms (200);
  g_clear_pointer (&bench->pending, g_array_unref);
  g_clear_pointer (&bench->latency_ms, g_array_unref);
}

/* A redraw of the idle window, from asking to painted, in ms. */
static double
bare_frame (Bench *bench)
{
  gint64 start;

  bench->painted = FALSE;
  start = g_get_monotonic_time ();
  gtk_widget_queue_draw (GTK_WIDGET (bench->window));
  iterate_until (&bench->painted, G_USEC_PER_SEC);

  return (bench->last_frame_us - start) / 1000.0;
}

/* Presses Start (Ctrl+R's action) and returns the session it opened. */
static StokSession *
start_session (Bench *bench)
{
  g_autoptr(StokSession) session = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  gtk_widget_activate_action (GTK_WIDGET (bench->window), "win.start-session", NULL);
  while (g_get_monotonic_time () < deadline)
    {
      g_clear_object (&session);
      g_object_get (bench->window, "session", &session, NULL);
      if (session != NULL)
        break;
      g_main_context_iteration (NULL, TRUE);
    }

  if (session == NULL)
    return NULL;

  bench->session = session;
  g_signal_connect (session, "message", G_CALLBACK (message_cb), bench);
  g_signal_connect (session, "turn-ended", G_CALLBACK (turn_ended_cb), bench);
  return session;
}

static gboolean
session_ended (Bench *bench)
{
  return stok_session_get_state (bench->session) == STOK_SESSION_STATE_ENDED;
}

static void
print_ending (Bench *bench)
{
  g_autofree char *title = stok_session_dup_ending_title (bench->session);
  g_autofree char *ending = stok_session_dup_ending (bench->session);

  g_print ("  the session ended: %s (%s)\n", title, ending);
}

static void
wait_for_end (Bench  *bench,
              gint64  timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;

  while (!session_ended (bench) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

/* The gaps between the frames painted from @first_us to @last_us, the
 * first one from @first_us, the last one up to the frame after
 * @last_us; @n_frames: the frames painted in between. */
static GArray *
frame_gaps (GArray *frame_times,
            gint64  first_us,
            gint64  last_us,
            guint  *n_frames)
{
  GArray *gaps = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 previous = first_us;

  *n_frames = 0;
  for (guint i = 0; i < frame_times->len; i++)
    {
      gint64 at = g_array_index (frame_times, gint64, i);
      double gap_ms;

      if (at < first_us)
        continue;

      gap_ms = (at - previous) / 1000.0;
      g_array_append_val (gaps, gap_ms);
      previous = at;
      if (at > last_us)
        break;
      (*n_frames)++;
    }

  return gaps;
}

static double
worst_of (GArray *values)
{
  double worst = 0;

  for (guint i = 0; i < values->len; i++)
    worst = MAX (worst, g_array_index (values, double, i));

  return worst;
}

static guint
count_over (GArray *values,
            double  limit)
{
  guint n = 0;

  for (guint i = 0; i < values->len; i++)
    n += g_array_index (values, double, i) > limit;

  return n;
}

/* 1. Turns drawn, against a bare frame of the same window. */
static gboolean
measure_turns (StokApplication *app,
               const char      *url,
               GFile           *file,
               guint            seconds)
{
  g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *figures = NULL;
  Bench bench = { 0 };
  double median;
  gboolean pass;
  gint64 started_us;
  guint frames;

  open_window (&bench, app, url, file);

  for (guint i = 0; i < BARE_FRAMES; i++)
    {
      double ms = bare_frame (&bench);

      g_array_append_val (bare, ms);
      wait_ms (20);
    }

  frames = bench.frames;
  started_us = g_get_monotonic_time ();
  if (start_session (&bench) == NULL)
    {
      g_printerr ("Start opened no session\n");
      return FALSE;
    }
  wait_for_end (&bench, (seconds + 20) * G_USEC_PER_SEC);
  /* Each frame costs wake-ups too (bench-session): how many it took. */
  g_print ("  the window drew %.1f frames a second while the session ran\n",
           (bench.frames - frames) / ((g_get_monotonic_time () - started_us) / 1e6));
  if (!session_ended (&bench) || bench.latency_ms->len == 0)
    {
      g_printerr ("The session did not end, or drew no turn (%u turns)\n", bench.n_turns);
      return FALSE;
    }
  print_ending (&bench);
  if (stok_session_get_outcome (bench.session) != STOK_SESSION_OUTCOME_COMPLETED)
    {
      g_printerr ("The session did not complete\n");
      return FALSE;
    }

  median = bench_median (bench.latency_ms);
  figures = g_strdup_printf ("%u Turn messages (%u final) drawn %.1f ms after arriving (median; "
                             "worst %.1f ms, %u over 16.7 ms), baseline a bare frame %.1f ms "
                             "(median of %u; worst %.1f ms), target one frame %.1f ms",
                             bench.latency_ms->len, bench.n_finals, median, worst_of (bench.latency_ms),
                             count_over (bench.latency_ms, FRAME_US / 1000.0),
                             bench_median (bare), BARE_FRAMES, worst_of (bare), FRAME_US / 1000.0);
  pass = bench_report ("turn arrival to drawn", figures, median / (FRAME_US / 1000.0), 1.0);

  close_window (&bench);

  return pass;
}

/* 2. The flood, at @rate Turn messages a second or as fast as the
 * client takes them (0). */
static gboolean
measure_flood (StokApplication *app,
               const char      *fake_server,
               guint            rate,
               gboolean         judge_memory,
               GFile           *file)
{
  g_autofree char *rate_arg = g_strdup_printf ("--flood-rate=%u", rate);
  const char *server_args[] = { "--ws-fault=flood", rate_arg, NULL };
  g_autofree char *how = rate > 0 ? g_strdup_printf ("%u a second", rate) : g_strdup ("as fast as it goes");
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GPid server;
  g_autofree char *figures = NULL;
  Bench bench = { 0 };
  StokWindow *window;
  long before_kib, begun_kib, after_kib;
  gint64 start, first_us, last_us, deadline;
  gboolean pass = TRUE;
  g_autoptr(GArray) gaps = NULL;
  guint frames;

  if (!bench_start_fake_server_with_args (fake_server, server_args, NULL, &server, &url, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }

  window = open_window (&bench, app, url, file);

  before_kib = bench_read_status_kib ("VmRSS");
  if (start_session (&bench) == NULL)
    {
      g_printerr ("Start opened no session\n");
      return FALSE;
    }

  start = g_get_monotonic_time ();
  deadline = start + FLOOD_TIMEOUT_S * G_USEC_PER_SEC;
  bench.frame_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  while (bench.n_turns == 0 && !session_ended (&bench) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  begun_kib = bench_read_status_kib ("VmRSS");

  while (bench.n_finals < FLOOD_FINALS && !session_ended (&bench) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  /* The frame after the last Turn ends the flood's last gap. */
  bench.painted = FALSE;
  iterate_until (&bench.painted, 10 * G_USEC_PER_SEC);

  /* From the Turns' own arrival stamps: one main loop iteration may
   * read many of them before this loop looks. */
  first_us = bench.first_turn_us;
  last_us = bench.last_turn_us;
  gaps = frame_gaps (bench.frame_times, first_us, last_us, &frames);
  g_clear_pointer (&bench.frame_times, g_array_unref);

  /* Drawn, and what the last messages set off is over. */
  wait_ms (1000);
  after_kib = bench_read_status_kib ("VmRSS");

  if (bench.n_finals < FLOOD_FINALS)
    {
      g_printerr ("The flood did not arrive: %u Turn messages, %u final, in %.1f s%s\n",
                  bench.n_turns, bench.n_finals, (g_get_monotonic_time () - start) / 1e6,
                  session_ended (&bench) ? " (the session ended)" : "");
      if (session_ended (&bench))
        print_ending (&bench);
      pass = FALSE;
    }

  /* Judged from the flood's first Turn: what the session's start costs
   * (its audio pipeline, its buffers) is printed, not counted. */
  figures = g_strdup_printf ("VmRSS %.1f MiB before Start, %.1f MiB at the first Turn, %.1f MiB after "
                             "%u Turn messages (%u final) in %.1f s; growth %.1f MiB from the first "
                             "Turn (%.1f MiB from before Start), target %d MiB; the session keeps "
                             "%u messages and %u turns",
                             before_kib / 1024.0, begun_kib / 1024.0, after_kib / 1024.0,
                             bench.n_turns, bench.n_finals, (last_us - first_us) / 1e6,
                             (after_kib - begun_kib) / 1024.0, (after_kib - before_kib) / 1024.0,
                             FLOOD_GROWTH_KIB / 1024,
                             g_list_model_get_n_items (stok_session_get_messages (bench.session)),
                             g_list_model_get_n_items (stok_session_get_turns (bench.session)));
  name = g_strdup_printf ("memory over a flood of turns, %s", how);
  /* A second flood finds the heap the first one grew: its figure says
   * nothing, and is not printed. */
  if (judge_memory)
    pass &= bench_report (name, figures, (double) (after_kib - begun_kib) / FLOOD_GROWTH_KIB, 1.0);

  g_free (figures);
  g_free (name);
  name = g_strdup_printf ("frames during the flood, %s", how);
  if (gaps->len > 0)
    {
      double median = bench_median (gaps);

      figures = g_strdup_printf ("%u frames in %.1f s: gaps %.1f ms (median), worst %.1f ms, %u over "
                                 "33.3 ms; Turn arrival to drawn %.1f ms (median), worst %.1f ms; "
                                 "baseline one frame %.1f ms",
                                 frames, (last_us - first_us) / 1e6, median, worst_of (gaps),
                                 count_over (gaps, 2 * FRAME_US / 1000.0),
                                 bench_median (bench.latency_ms), worst_of (bench.latency_ms),
                                 FRAME_US / 1000.0);
      /* As fast as it goes is beyond any real server: printed, not
       * judged. */
      if (rate > 0)
        pass &= bench_report (name, figures, median / (FRAME_US / 1000.0), FLOOD_FRAME_TARGET);
      else
        g_print ("%s: %s, ratio %.2fx (not judged)\n", name, figures, median / (FRAME_US / 1000.0));
    }
  else
    {
      g_print ("%s: none drawn FAIL\n", name);
      pass = FALSE;
    }

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-session", NULL);
  wait_for_end (&bench, 5 * G_USEC_PER_SEC);
  close_window (&bench);
  bench_stop_process (server);

  return pass;
}

/* CPU seconds the process has used, user and system. */
static double
cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* CPU seconds a second of a busy flood, from its first Turn to its last,
 * with the inspector open or not; a negative figure if it did not come. */
static double
flood_cpu (StokApplication *app,
           const char      *fake_server,
           GFile           *file,
           gboolean         inspector)
{
  g_autofree char *partials_arg = g_strdup_printf ("--flood-partials=%u", INSPECTOR_PARTIALS);
  g_autofree char *finals_arg = g_strdup_printf ("--flood-finals=%u", INSPECTOR_FINALS);
  g_autofree char *rate_arg = g_strdup_printf ("--flood-rate=%u", INSPECTOR_RATE);
  const char *server_args[] = { "--ws-fault=flood", partials_arg, finals_arg, rate_arg, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Bench bench = { 0 };
  StokWindow *window;
  double cpu_first, cpu_last, result = -1;
  gint64 deadline;
  GPid server;

  if (!bench_start_fake_server_with_args (fake_server, server_args, NULL, &server, &url, &error))
    {
      g_printerr ("%s\n", error->message);
      return -1;
    }

  window = open_window (&bench, app, url, file);
  if (inspector)
    {
      /* Ctrl+I's action, the window given back the focus. */
      gtk_widget_activate_action (GTK_WIDGET (window), "win.inspector", NULL);
      wait_ms (500);
      gtk_window_present (GTK_WINDOW (window));
      wait_ms (500);
    }

  if (start_session (&bench) != NULL)
    {
      deadline = g_get_monotonic_time () + FLOOD_TIMEOUT_S * G_USEC_PER_SEC;
      while (bench.n_turns == 0 && !session_ended (&bench) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      cpu_first = cpu_s ();
      while (bench.n_finals < INSPECTOR_FINALS && !session_ended (&bench) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      cpu_last = cpu_s ();

      if (bench.n_finals >= INSPECTOR_FINALS && bench.last_turn_us > bench.first_turn_us)
        result = (cpu_last - cpu_first) / ((bench.last_turn_us - bench.first_turn_us) / 1e6);
      else
        g_printerr ("The flood did not arrive: %u Turn messages, %u final\n", bench.n_turns, bench.n_finals);

      gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-session", NULL);
      wait_for_end (&bench, 5 * G_USEC_PER_SEC);
    }
  else
    {
      g_printerr ("Start opened no session\n");
    }

  close_window (&bench);
  bench_stop_process (server);

  return result;
}

static gboolean
measure_inspector (StokApplication *app,
                   const char      *fake_server,
                   GFile           *file)
{
  double closed = flood_cpu (app, fake_server, file, FALSE);
  double open = flood_cpu (app, fake_server, file, TRUE);
  g_autofree char *figures = NULL;

  if (closed <= 0 || open < 0)
    {
      g_print ("CPU with the inspector open on a busy session: not measured FAIL\n");
      return FALSE;
    }

  figures = g_strdup_printf ("%u Turn messages at %u a second: %.3f s of CPU a second with the inspector "
                             "open, baseline %.3f s with it closed",
                             INSPECTOR_PARTIALS + INSPECTOR_FINALS, INSPECTOR_RATE, open, closed);

  return bench_report ("CPU with the inspector open on a busy session", figures, open / closed, INSPECTOR_TARGET);
}

/* The process's wake-ups a second in a session from @kind, and its main
 * thread's in @main_thread. @file is the source, or what is played into
 * the microphone. */
static double
session_wakeups (StokApplication     *app,
                 const char          *url,
                 GFile               *file,
                 StokAudioSourceKind  kind,
                 double              *main_thread)
{
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GSubprocess) player = NULL;
  g_autofree char *main_tid = g_strdup_printf ("%d", (int) getpid ());
  Bench bench = { 0 };
  BenchSwitches all;
  const BenchSwitches *main_before, *main_after;
  GtkWidget *session_view;

  open_window (&bench, app, url, file);
  session_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (bench.window), STOK_TYPE_WINDOW, "session_view"));
  stok_session_setup_set_source_kind (stok_session_view_get_setup (STOK_SESSION_VIEW (session_view)), kind);
  if (start_session (&bench) == NULL)
    {
      g_printerr ("Start opened no session\n");
      close_window (&bench);
      return -1;
    }
  if (kind == STOK_AUDIO_SOURCE_MICROPHONE)
    {
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      player = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "paplay", "--device=virt", path, NULL);
      if (player == NULL)
        g_printerr ("paplay: %s\n", error->message);
    }

  wait_ms (WAKEUPS_AFTER_S * 1000);
  before = bench_read_context_switches (getpid ());
  wait_ms (WAKEUPS_S * 1000);
  after = bench_read_context_switches (getpid ());

  gtk_widget_activate_action (GTK_WIDGET (bench.window), "win.stop-session", NULL);
  wait_for_end (&bench, 10 * G_USEC_PER_SEC);
  if (player != NULL)
    {
      g_subprocess_force_exit (player);
      g_subprocess_wait (player, NULL, NULL);
    }
  print_ending (&bench);
  close_window (&bench);

  all = bench_count_new_switches (before, after);
  main_before = g_hash_table_lookup (before, main_tid);
  main_after = g_hash_table_lookup (after, main_tid);
  *main_thread = main_before != NULL && main_after != NULL
                 ? (main_after->voluntary - main_before->voluntary) / (double) WAKEUPS_S : 0;

  return all.voluntary / (double) WAKEUPS_S;
}

/* 4. The microphone against the file, both in this window. */
static void
measure_microphone (StokApplication *app,
                    const char      *url,
                    GFile           *file,
                    const char      *dir)
{
  StokTestPulse pulse = { 0 };
  g_autofree char *paplay = g_find_program_in_path ("paplay");
  double from_file, from_microphone, file_main = 0, microphone_main = 0;

  if (paplay == NULL || !stok_test_pulse_start (&pulse, dir))
    {
      g_print ("wake-ups, a session from the microphone: not measured, PulseAudio is not installed or did not start\n");
      stok_test_pulse_stop (&pulse);
      return;
    }

  from_file = session_wakeups (app, url, file, STOK_AUDIO_SOURCE_FILE, &file_main);
  from_microphone = session_wakeups (app, url, file, STOK_AUDIO_SOURCE_MICROPHONE, &microphone_main);
  stok_test_pulse_stop (&pulse);

  if (from_file <= 0 || from_microphone < 0)
    {
      g_print ("wake-ups, a session from the microphone: not measured\n");
      return;
    }
  g_print ("wake-ups, a session from the microphone (a null sink's monitor, the speech played into it), "
           "%u s from %u s after Begin, every thread: %.1f/s (the main thread %.1f/s), baseline the same "
           "window streaming the speech from its file %.1f/s (the main thread %.1f/s), ratio %.2fx; not judged\n",
           WAKEUPS_S, WAKEUPS_AFTER_S, from_microphone, microphone_main, from_file, file_main,
           from_microphone / from_file);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StokApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) long_file = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *wav = NULL;
  g_autofree char *long_wav = NULL;
  g_autofree char *url = NULL;
  gboolean pass = TRUE;
  guint seconds = 12;
  GPid server;

  if (argc < 3)
    {
      g_printerr ("usage: %s FAKE-TOKEN-SERVER SPOKEN-WAV [SECONDS]\n", argv[0]);
      return EXIT_FAILURE;
    }
  if (argc > 3)
    seconds = MAX ((guint) g_ascii_strtoull (argv[3], NULL, 10), 1);

  /* The key is typed in the window, never in the environment. */
  g_unsetenv ("ASSEMBLYAI_API_KEY");

  dir = g_dir_make_tmp ("bench-live-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  wav = bench_write_long_wav (argv[2], dir, seconds);
  file = g_file_new_for_path (wav);

  /* The renderer the app would pick, before any thread starts. */
  stok_choose_renderer ();
  app = stok_application_new ();
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (!bench_start_fake_server (argv[1], NULL, NULL, &server, &url, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  pass &= measure_turns (app, url, file, seconds);
  bench_stop_process (server);

  /* The flood's file outlasts it: the session stays open until Stop. */
  {
    g_autofree char *flood_dir = g_build_filename (dir, "flood", NULL);

    g_mkdir (flood_dir, 0700);
    long_wav = bench_write_long_wav (argv[2], flood_dir, FLOOD_TIMEOUT_S + 30);
    long_file = g_file_new_for_path (long_wav);
  }
  pass &= measure_flood (app, argv[1], FLOOD_RATE, TRUE, long_file);
  pass &= measure_flood (app, argv[1], 0, FALSE, long_file);
  pass &= measure_inspector (app, argv[1], long_file);

  /* Last, so that its sound server and capture threads are gone from
   * the measures above. */
  g_clear_pointer (&url, g_free);
  if (!bench_start_fake_server (argv[1], NULL, NULL, &server, &url, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  measure_microphone (app, url, long_file, dir);
  bench_stop_process (server);

  g_unlink (wav);
  g_unlink (long_wav);
  {
    g_autofree char *flood_dir = g_build_filename (dir, "flood", NULL);

    g_rmdir (flood_dir);
  }
  g_rmdir (dir);

  return pass ? EXIT_SUCCESS : EXIT_FAILURE;
}
