/* main.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `streaming-token` is small on purpose: it links no GTK. Given only what
 * the window takes (see stok_cli_wants_command_line()), it replaces itself
 * with the window's executable, which lives beside it in the build tree
 * and in libexecdir once installed; anything else, it answers itself,
 * usage errors included. Scripts that mint tokens in a loop thus never pay
 * for loading GTK and libadwaita. */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "stok-cli.h"
#include "stok-process.h"

#define APP_EXECUTABLE "streaming-token-app"

static char *
find_app_executable (void)
{
  g_autofree char *self_path = NULL;

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self_path);
      g_autofree char *sibling = g_build_filename (dir, APP_EXECUTABLE, NULL);

      if (g_file_test (sibling, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&sibling);
    }

  return g_build_filename (LIBEXECDIR, APP_EXECUTABLE, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *app = NULL;

  stok_process_init ();

  if (stok_cli_wants_command_line (argc, argv))
    return stok_cli_run (argc, argv);

  app = find_app_executable ();
  execv (app, argv);

  g_printerr ("streaming-token: %s: %s\n", app, g_strerror (errno));
  return STOK_EXIT_FAILED;
}
