/* bench-pacing.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How well a file is paced in real time: a StokAudioSource plays a 60 s
 * file in 50 ms frames on the system's clock, and each frame's lateness
 * against its due time is measured as it is emitted.
 *
 *   bench-pacing [SECONDS]
 *
 * Targets (issue 13): median lateness <= 5 ms, worst <= 20 ms, drift over
 * the file <= 1 ms a minute, and the source's CPU time <= 2% of one core
 * over the wall time. The baseline, run in the same main loop at the same
 * time, is what pacing with a plain 50 ms timeout does: each tick is
 * scheduled from the last, and the lateness adds up. (The lead measures
 * the same at the fake server's end of the WebSocket.) */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "bench-util.h"
#include "stok-audio-source.h"
#include "stok-test-audio.h"

#define FRAME_MS 50
#define MEDIAN_TARGET_MS 5.0
#define WORST_TARGET_MS 20.0
#define DRIFT_TARGET_MS_PER_MIN 1.0
#define CPU_TARGET_PERCENT 2.0

typedef struct
{
  StokAudioSource *source;
  GArray *times;
  GMainLoop *loop;
  GError *error;
  gboolean done;

  /* The naive ticker: g_timeout_add (FRAME_MS) from the first frame on. */
  guint ticker_id;
  gint64 ticker_start;
  gint64 ticker_last;
  guint n_ticks;
} Run;

static gboolean
tick_cb (gpointer user_data)
{
  Run *run = user_data;

  run->ticker_last = stok_clock_get_time (stok_clock_get_default ());
  run->n_ticks++;

  return G_SOURCE_CONTINUE;
}

static void
frame_cb (StokAudioSource *source,
          GBytes          *data,
          gint64           offset_us,
          Run             *run)
{
  gint64 now = stok_clock_get_time (stok_clock_get_default ());

  g_array_append_val (run->times, now);

  if (run->times->len == 1)
    {
      run->ticker_start = now;
      run->ticker_id = g_timeout_add (FRAME_MS, tick_cb, run);
    }
}

static void
finished_cb (StokAudioSource *source,
             Run             *run)
{
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

static void
failed_cb (StokAudioSource *source,
           const GError    *error,
           Run             *run)
{
  run->error = g_error_copy (error);
  g_main_loop_quit (run->loop);
}

static gint64
cpu_time_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);

  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median_of (GArray *values,
           guint   from,
           guint   to)
{
  g_autoptr(GArray) part = g_array_new (FALSE, FALSE, sizeof (double));

  g_array_append_vals (part, &g_array_index (values, double, from), to - from);
  g_array_sort (part, compare_double);

  return g_array_index (part, double, part->len / 2);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GArray) lateness = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *figures = NULL;
  guint seconds = argc > 1 ? (guint) atoi (argv[1]) : 60;
  Run run = { NULL, };
  gint64 start, wall_start, wall, cpu_start, cpu;
  double median, worst, drift, end_to_end, ticker_drift, minutes, cpu_percent;
  guint n, worst_frame = 0;
  gboolean pass = TRUE;

  dir = g_dir_make_tmp ("bench-pacing-XXXXXX", &error);
  g_assert_no_error (error);
  path = stok_test_write_wav (dir, "tone.wav", 16000, 1, seconds * 1000, STOK_TEST_TONE);
  file = g_file_new_for_path (path);

  run.source = stok_audio_source_new_for_file (file);
  run.times = g_array_new (FALSE, FALSE, sizeof (gint64));
  run.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (run.source, "frame", G_CALLBACK (frame_cb), &run);
  g_signal_connect (run.source, "finished", G_CALLBACK (finished_cb), &run);
  g_signal_connect (run.source, "failed", G_CALLBACK (failed_cb), &run);

  /* GStreamer and its plugins loaded first: that is the check's cost. */
  {
    g_autoptr(StokAudioSource) warm = stok_audio_source_new_sample ();

    if (!stok_audio_source_start (warm, &error))
      g_error ("The audio source does not start: %s", error->message);
    stok_audio_source_stop (warm);
  }

  g_print ("pacing: %u s of audio in %d ms frames, on the real clock...\n", seconds, FRAME_MS);
  cpu_start = cpu_time_us ();
  wall_start = g_get_monotonic_time ();
  if (!stok_audio_source_start (run.source, &error))
    g_error ("The audio source does not start: %s", error->message);
  g_main_loop_run (run.loop);
  wall = g_get_monotonic_time () - wall_start;
  cpu = cpu_time_us () - cpu_start;
  g_clear_handle_id (&run.ticker_id, g_source_remove);

  if (run.error != NULL)
    g_error ("The audio source failed: %s", run.error->message);

  n = run.times->len;
  g_assert_cmpuint (n, ==, seconds * 1000 / FRAME_MS);
  start = stok_audio_source_get_start_us (run.source);

  lateness = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint k = 0; k < n; k++)
    {
      /* Due once its own audio has played: never ahead of real time. */
      double late_ms = (g_array_index (run.times, gint64, k) - (start + (gint64) (k + 1) * FRAME_MS * 1000)) / 1000.0;

      if (late_ms < 0)
        {
          g_print ("pacing: frame %u was sent %.3f ms early FAIL\n", k, -late_ms);
          pass = FALSE;
        }
      g_array_append_val (lateness, late_ms);
    }

  /* Drift: how the lateness moves over the file, from the median of its
   * first fifth to that of its last, so that one frame held up by the
   * machine is not taken for a trend. The naive ticker's over the same
   * time, for comparison: how far its last tick is behind the count. */
  minutes = (n - 1) * FRAME_MS / 60000.0;
  {
    guint fifth = MAX (n / 5, 1);
    double first = median_of (lateness, 0, fifth);
    double last = median_of (lateness, n - fifth, n);

    drift = (last - first) / ((n - fifth) * FRAME_MS / 60000.0);
  }
  end_to_end = g_array_index (lateness, double, n - 1) - g_array_index (lateness, double, 0);
  ticker_drift = run.n_ticks > 1
    ? ((run.ticker_last - run.ticker_start) / 1000.0 - run.n_ticks * (double) FRAME_MS) /
      (run.n_ticks * FRAME_MS / 60000.0)
    : 0;

  for (guint k = 0; k < n; k++)
    if (g_array_index (lateness, double, k) > g_array_index (lateness, double, worst_frame))
      worst_frame = k;
  g_array_sort (lateness, compare_double);
  median = g_array_index (lateness, double, n / 2);
  worst = g_array_index (lateness, double, n - 1);
  cpu_percent = 100.0 * cpu / wall;

  figures = g_strdup_printf ("median %.2f ms over %u frames, target %.0f ms", median, n, MEDIAN_TARGET_MS);
  pass &= bench_report ("pacing lateness (median)", figures, median / MEDIAN_TARGET_MS, 1.0);
  g_free (figures);

  figures = g_strdup_printf ("worst %.2f ms (frame %u), target %.0f ms", worst, worst_frame, WORST_TARGET_MS);
  pass &= bench_report ("pacing lateness (worst)", figures, worst / WORST_TARGET_MS, 1.0);
  g_free (figures);

  figures = g_strdup_printf ("%.3f ms/min (last frame %.2f ms later than the first over %.1f min; "
                             "a plain %d ms timeout: %.1f ms/min), target %.0f ms/min",
                             drift, end_to_end, minutes, FRAME_MS, ticker_drift, DRIFT_TARGET_MS_PER_MIN);
  pass &= bench_report ("pacing drift", figures, fabs (drift) / DRIFT_TARGET_MS_PER_MIN, 1.0);
  g_free (figures);

  figures = g_strdup_printf ("%.2f%% of a core (%.2f s CPU over %.1f s), target %.0f%%",
                             cpu_percent, cpu / 1e6, wall / 1e6, CPU_TARGET_PERCENT);
  pass &= bench_report ("pacing cpu", figures, cpu_percent / CPU_TARGET_PERCENT, 1.0);

  g_signal_handlers_disconnect_by_data (run.source, &run);
  g_clear_object (&run.source);
  g_array_unref (run.times);
  g_main_loop_unref (run.loop);
  g_unlink (path);
  g_rmdir (dir);

  return pass ? EXIT_SUCCESS : EXIT_FAILURE;
}
