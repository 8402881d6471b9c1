/* bench-transcribe.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* bench-transcribe spans two files: the benchmark, and what it reads of
 * the machine in bench-transcribe-probe.c. */

#pragma once

#include <glib.h>
#include <sys/types.h>

#include "stok-fake-server.h"

G_BEGIN_DECLS

#define FRAME_MS 50
#define N_WORST_SHOWN 3

/* How long threads had waited for a CPU, at one moment: what the rest
 * of a shared machine costs, so that a late frame can be told from a slow
 * app. */
typedef struct
{
  gint64 at_us;
  gint64 app_main_wait_us;   /* the app's main thread: its pacing and sends */
  gint64 app_wait_us;        /* all of the app's threads, decoding included */
  gint64 server_wait_us;     /* this process's main thread: the fake server */
  /* And how long the two main threads ran: a thread busy with something
   * else when a frame is due holds it up too. */
  gint64 app_main_run_us;
  gint64 server_run_us;
  /* CPU time the host of a virtual machine took from all of its CPUs,
   * to 10 ms: no thread here sees it as waiting, yet a timer due on a
   * CPU taken away fires late, and a thread running on the other CPU
   * may spin for it in the kernel (hrtimer_cancel()), which counts as
   * running. */
  gint64 steal_us;
} Waits;

gint64   bench_clock_ticks_to_us      (gint64          ticks);
gint64   bench_read_process_cpu_us    (pid_t           pid);
gint64   bench_read_run_delay_us      (const char     *path,
                                       gint64         *out_run_us);
gint64   bench_read_steal_us          (void);
gint64   bench_read_cpu_pressure_us   (void);
gboolean bench_waits_between          (GArray         *waits,
                                       gint64          from_us,
                                       gint64          to_us,
                                       Waits          *out);
void     bench_explain_worst_frames   (StokFakeServer *server,
                                       GArray         *waits);

G_END_DECLS
