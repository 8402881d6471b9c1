/* bare-window.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The start-up benchmark's baseline: the least a libadwaita app can show,
 * an empty AdwApplicationWindow of the app's default size, timed by the
 * same hook as the app (src/stok-first-frame.c). What the app takes beyond
 * this is what the app itself costs. */

#include "config.h"

#include <adwaita.h>

#include "stok-first-frame.h"

static void
activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));

  gtk_window_set_default_size (GTK_WINDOW (window), 520, 720);
  stok_first_frame_watch (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("io.github.streamingtoken.StreamingToken.BareWindow",
                             G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
