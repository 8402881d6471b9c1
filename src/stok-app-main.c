/* stok-app-main.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window's executable, streaming-token-app. Users start it through
 * `streaming-token` (see main.c), the desktop file or D-Bus activation. */

#include "config.h"

#include <glib/gi18n.h>

#include "stok-application.h"
#include "stok-first-frame.h"
#include "stok-process.h"
#include "stok-renderer.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StokApplication) app = NULL;

  stok_process_init ();

  /* The X11 WM_CLASS then matches the desktop file. */
  g_set_prgname (APPLICATION_ID);
  g_set_application_name (_("Streaming Token"));

  stok_choose_renderer ();
  app = stok_application_new ();
  /* Only the start-up benchmark sets the variable this reads. */
  stok_first_frame_watch_application (GTK_APPLICATION (app));

  return g_application_run (G_APPLICATION (app), argc, argv);
}
