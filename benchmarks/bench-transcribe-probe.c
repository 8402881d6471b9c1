/* bench-transcribe-probe.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What bench-transcribe reads of the machine to say what held up a late
 * frame: a process's CPU time, a thread's waits for a CPU and its running
 * time (/proc's schedstat), the machine's CPU pressure, and the steal of
 * a virtual machine's host. */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-transcribe.h"

gint64
bench_clock_ticks_to_us (gint64 ticks)
{
  static long per_second;

  if (per_second == 0)
    per_second = sysconf (_SC_CLK_TCK);

  return ticks * G_USEC_PER_SEC / per_second;
}


/* The user and system time of all of @pid's threads so far, or -1. */
gint64
bench_read_process_cpu_us (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return -1;

  /* The name in parentheses may hold spaces: count from after it. Then
   * state is field 3, utime 14 and stime 15. */
  after_name = strrchr (stat, ')');
  if (after_name == NULL)
    return -1;
  fields = g_strsplit (after_name + 2, " ", 14);
  if (g_strv_length (fields) < 14)
    return -1;

  return bench_clock_ticks_to_us (g_ascii_strtoll (fields[11], NULL, 10) +
                            g_ascii_strtoll (fields[12], NULL, 10));
}


/* A thread's schedstat: the nanoseconds it ran, and those it spent
 * runnable but not running. 0 if the thread is gone. */
gint64
bench_read_run_delay_us (const char *path,
                         gint64     *out_run_us)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  fields = g_strsplit (contents, " ", 3);
  if (g_strv_length (fields) < 2)
    return 0;

  if (out_run_us != NULL)
    *out_run_us = g_ascii_strtoll (fields[0], NULL, 10) / 1000;

  return g_ascii_strtoll (fields[1], NULL, 10) / 1000;
}


/* The steal time of all CPUs together, or -1. */
gint64
bench_read_steal_us (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;

  /* cpu user nice system idle iowait irq softirq steal ... */
  if (!g_file_get_contents ("/proc/stat", &contents, NULL, NULL) || !g_str_has_prefix (contents, "cpu "))
    return -1;
  fields = g_strsplit_set (contents + strlen ("cpu "), " \n", 10);
  if (g_strv_length (fields) < 10)
    return -1;

  return bench_clock_ticks_to_us (g_ascii_strtoll (fields[8], NULL, 10));
}


/* -1 where the kernel has no pressure stall information. */
gint64
bench_read_cpu_pressure_us (void)
{
  g_autofree char *contents = NULL;
  const char *total;

  if (!g_file_get_contents ("/proc/pressure/cpu", &contents, NULL, NULL))
    return -1;
  total = strstr (contents, "total=");
  if (total == NULL)
    return -1;

  return g_ascii_strtoll (total + strlen ("total="), NULL, 10);
}


/* The waits between the last sample at or before @from_us and the first
 * at or after @to_us; FALSE if the samples do not cover that time. */
gboolean
bench_waits_between (GArray *waits,
                     gint64  from_us,
                     gint64  to_us,
                     Waits  *out)
{
  const Waits *from = NULL;
  const Waits *to = NULL;

  for (guint i = 0; i < waits->len; i++)
    {
      const Waits *sample = &g_array_index (waits, Waits, i);

      if (sample->at_us <= from_us)
        from = sample;
      if (sample->at_us >= to_us && to == NULL)
        to = sample;
    }
  if (from == NULL || to == NULL)
    return FALSE;

  out->at_us = to->at_us - from->at_us;
  out->app_main_wait_us = to->app_main_wait_us - from->app_main_wait_us;
  /* A thread that ended took its count with it. */
  out->app_wait_us = MAX (to->app_wait_us - from->app_wait_us, 0);
  out->server_wait_us = to->server_wait_us - from->server_wait_us;
  out->app_main_run_us = to->app_main_run_us - from->app_main_run_us;
  out->server_run_us = to->server_run_us - from->server_run_us;
  out->steal_us = to->steal_us - from->steal_us;

  return TRUE;
}


/* What held up the latest frames: a frame that waited as long for a CPU
 * as it was late was held up by the rest of the machine, not by the
 * app. */
void
bench_explain_worst_frames (StokFakeServer *server,
                            GArray         *waits)
{
  g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (guint));
  const StokFakeAudioFrame *first = stok_fake_server_get_audio_frame (server, 0);
  guint n = stok_fake_server_get_n_audio_frames (server);

  for (guint i = 0; i < MIN (N_WORST_SHOWN, n); i++)
    {
      gint64 worst_late_us = G_MININT64;
      gint64 worst_due_us = 0;
      gint64 audio_before_us = 0;
      guint worst = 0;
      Waits held;

      for (guint k = 0; k < n; k++)
        {
          const StokFakeAudioFrame *frame = stok_fake_server_get_audio_frame (server, k);
          gint64 due_us = first->received_us + audio_before_us;
          gboolean taken = FALSE;

          audio_before_us += frame->audio_us;
          for (guint j = 0; j < shown->len; j++)
            taken |= g_array_index (shown, guint, j) == k;
          if (!taken && frame->received_us - due_us > worst_late_us)
            {
              worst_late_us = frame->received_us - due_us;
              worst_due_us = due_us;
              worst = k;
            }
        }
      g_array_append_val (shown, worst);

      /* From when its wait began, a frame before it is due, to when it
       * came. */
      if (!bench_waits_between (waits, worst_due_us - FRAME_MS * 1000,
                          stok_fake_server_get_audio_frame (server, worst)->received_us, &held))
        continue;

      g_print ("transcribe: frame %u came %.2f ms late; in the %.0f ms around it the app's main thread "
               "waited %.2f ms for a CPU (all its threads %.2f ms) and ran %.2f ms, "
               "the fake server's waited %.2f ms and ran %.2f ms; the host took %.0f ms (steal)\n",
               worst, worst_late_us / 1000.0, held.at_us / 1000.0, held.app_main_wait_us / 1000.0,
               held.app_wait_us / 1000.0, held.app_main_run_us / 1000.0,
               held.server_wait_us / 1000.0, held.server_run_us / 1000.0, held.steal_us / 1000.0);
    }
}
