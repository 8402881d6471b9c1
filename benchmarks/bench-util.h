/* bench-util.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A thread's context switches, as /proc counts them. */
typedef struct
{
  /* It slept, and was woken: each is one wake-up. */
  gint64 voluntary;
  /* It was running, and the scheduler gave its core to another. */
  gint64 nonvoluntary;
} BenchSwitches;

gint64    bench_now_us                  (void);
double    bench_median                  (GArray      *values);
gboolean  bench_report                  (const char  *name,
                                         const char  *figures,
                                         double       ratio,
                                         double       target);
gboolean  bench_report_fact             (const char  *name,
                                         const char  *figures,
                                         gboolean     met);
gboolean  bench_start_fake_server       (const char  *path,
                                         const char  *extra_arg,
                                         const char  *log_path,
                                         GPid        *out_pid,
                                         char       **out_url,
                                         GError     **error);
gboolean  bench_start_fake_server_with_args (const char         *path,
                                             const char * const *extra_args,
                                             const char         *log_path,
                                             GPid               *out_pid,
                                             char              **out_url,
                                             GError            **error);
void      bench_stop_process            (GPid         pid);
GHashTable *bench_read_context_switches (GPid         pid);
BenchSwitches bench_count_new_switches  (GHashTable  *before,
                                         GHashTable  *after);
long      bench_read_status_kib         (const char  *field);
gboolean  bench_store_key_in_keyring    (const char  *key,
                                         GError     **error);
char     *bench_xdotool                 (const char * const *args);
char     *bench_wait_for_window         (GPid         pid);
GPid      bench_start_mutter            (const char  *path);
char     *bench_write_long_wav          (const char  *path,
                                         const char  *dir,
                                         guint        seconds);

G_END_DECLS
