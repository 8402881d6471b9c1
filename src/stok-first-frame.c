/* stok-first-frame.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The start-up benchmark's hook (benchmarks/bench-startup.c).
 *
 * With STOK_BENCHMARK_FIRST_FRAME set to a CLOCK_MONOTONIC time in
 * microseconds, taken just before exec, a watched window reports on stderr
 * how long after that time its first frame was painted, and the peak
 * resident memory (VmHWM) at that moment, then quits the application:
 *
 *   first-frame: elapsed_us=201337 vmhwm_kib=61234 gstreamer=0 svg=0
 *
 * gstreamer says whether libgstreamer is mapped by then: the app loads it
 * only when a session with audio starts, and start-up must not pay it.
 * svg says the same of gdk-pixbuf's SVG loader, which brings librsvg,
 * libxml2 and ICU, 8 MiB, for an icon that has no PNG.
 *
 * The app and the bare window that serves as the baseline
 * (benchmarks/bare-window.c) both compile this one file, so that they are
 * measured by exactly the same code. Without the variable it costs one
 * getenv. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stok-first-frame.h"

static long
read_vmhwm_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;

  line = strstr (status, "\nVmHWM:");
  if (line == NULL)
    return -1;

  return strtol (line + strlen ("\nVmHWM:"), NULL, 10);
}

/* Whether a file whose path holds @name is among the process's
 * mappings. */
static gboolean
is_mapped (const char *name)
{
  g_autofree char *maps = NULL;

  if (!g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL))
    return FALSE;

  return strstr (maps, name) != NULL;
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                GtkWindow     *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  GApplication *app;
  gint64 now = g_get_monotonic_time ();
  gint64 start;

  g_assert (GTK_IS_WINDOW (window));

  /* A frame can run before the X server has mapped the window; nothing
   * reaches the screen then, so it does not count. */
  if (surface == NULL || !gdk_surface_get_mapped (surface))
    return;

  g_signal_handlers_disconnect_by_func (frame_clock, after_paint_cb, window);

  start = g_ascii_strtoll (g_getenv (STOK_FIRST_FRAME_ENV), NULL, 10);
  fprintf (stderr, "first-frame: elapsed_us=%" G_GINT64_FORMAT " vmhwm_kib=%ld gstreamer=%d svg=%d\n",
           start > 0 ? now - start : -1, read_vmhwm_kib (),
           is_mapped ("/libgstreamer-"), is_mapped ("/libpixbufloader-svg."));
  fflush (stderr);

  app = g_application_get_default ();
  if (app != NULL)
    g_application_quit (app);
  else
    gtk_window_destroy (window);
}

static void
realize_cb (GtkWindow *window)
{
  g_assert (GTK_IS_WINDOW (window));

  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                           G_CALLBACK (after_paint_cb), window, 0);
}

/**
 * stok_first_frame_watch:
 * @window: a window not yet realized
 *
 * Reports @window's first frame if STOK_BENCHMARK_FIRST_FRAME is set;
 * does nothing otherwise.
 */
void
stok_first_frame_watch (GtkWindow *window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  if (g_getenv (STOK_FIRST_FRAME_ENV) == NULL)
    return;

  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), NULL);
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window)
{
  g_assert (GTK_IS_APPLICATION (app));

  /* The first window is the one the user waits for. */
  g_signal_handlers_disconnect_by_func (app, window_added_cb, NULL);
  stok_first_frame_watch (window);
}

/**
 * stok_first_frame_watch_application:
 * @app: an application that has no window yet
 *
 * Reports the first frame of @app's first window, as
 * stok_first_frame_watch() does: called from the program's main(), so
 * that no widget carries the benchmark's hook.
 */
void
stok_first_frame_watch_application (GtkApplication *app)
{
  g_return_if_fail (GTK_IS_APPLICATION (app));

  if (g_getenv (STOK_FIRST_FRAME_ENV) == NULL)
    return;

  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);
}
