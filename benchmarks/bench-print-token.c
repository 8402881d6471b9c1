/* bench-print-token.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `streaming-token --print-token` against the fake token server on
 * loopback, the whole process, against curl making the same request to
 * the same server:
 *
 *   bench-print-token STREAMING-TOKEN FAKE-TOKEN-SERVER [RUNS]
 *
 * Runs are paired, the order alternating within pairs, and the figures are
 * medians of wall time from spawn to exit. It also checks that the
 * command line does not load GTK. */

#include "config.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-util.h"

#define TARGET 1.00
#define KEY "benchmark-key-not-a-secret"

extern char **environ;

static gboolean
timed_run (char * const *argv,
           double       *out_seconds)
{
  posix_spawn_file_actions_t actions;
  gint64 start;
  pid_t pid;
  int status;
  int res;

  /* Output to /dev/null for both: a terminal is not what is measured. */
  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);

  start = bench_now_us ();
  res = posix_spawnp (&pid, argv[0], &actions, NULL, argv, environ);
  if (res == 0)
    res = waitpid (pid, &status, 0) == pid ? 0 : -1;
  *out_seconds = (bench_now_us () - start) / 1e6;

  posix_spawn_file_actions_destroy (&actions);

  if (res != 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_printerr ("%s failed\n", argv[0]);
      return FALSE;
    }

  return TRUE;
}

/* Whether the dynamic linker would load GTK for @path, as ldd asks it. */
static gboolean
links_gtk (const char *path)
{
  const char *argv[] = { path, NULL };
  const char *envp[] = { "LD_TRACE_LOADED_OBJECTS=1", NULL };
  g_autofree char *out = NULL;

  if (!g_spawn_sync (NULL, (char **) argv, (char **) envp, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, NULL, NULL, NULL))
    return TRUE;

  return strstr (out, "libgtk") != NULL || strstr (out, "libadwaita") != NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) app_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) curl_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *server_arg = NULL;
  g_autofree char *token_url = NULL;
  g_autofree char *figures = NULL;
  char **app_argv;
  char **curl_argv;
  double app_s, curl_s, seconds;
  gboolean pass = TRUE;
  guint runs = 40;
  GPid server;

  if (argc < 3)
    {
      g_printerr ("usage: %s STREAMING-TOKEN FAKE-TOKEN-SERVER [RUNS]\n", argv[0]);
      return EXIT_FAILURE;
    }
  if (argc > 3)
    runs = (guint) g_ascii_strtoull (argv[3], NULL, 10);

  if (!bench_start_fake_server (argv[2], NULL, NULL, &server, &url, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  /* The same request: the default redemption window, the key in the
   * Authorization header, as the spec has it. */
  g_setenv ("ASSEMBLYAI_API_KEY", KEY, TRUE);
  server_arg = g_strdup_printf ("--server=%s", url);
  token_url = g_strdup_printf ("%s/v3/token?expires_in_seconds=60", url);
  app_argv = (char *[]) { argv[1], (char *) "--print-token", server_arg, NULL };
  curl_argv = (char *[]) { (char *) "curl", (char *) "--silent", (char *) "--show-error", (char *) "--fail",
                           (char *) "--header", (char *) "Authorization: " KEY, token_url, NULL };

  /* Untimed: the page cache, the server's first connection. */
  if (!timed_run (app_argv, &seconds) || !timed_run (curl_argv, &seconds))
    {
      bench_stop_process (server);
      return EXIT_FAILURE;
    }

  for (guint i = 0; i < runs; i++)
    {
      for (guint j = 0; j < 2; j++)
        {
          gboolean is_app = (i + j) % 2 == 0;

          if (!timed_run (is_app ? app_argv : curl_argv, &seconds))
            {
              bench_stop_process (server);
              return EXIT_FAILURE;
            }
          g_array_append_val (is_app ? app_times : curl_times, seconds);
        }
    }

  bench_stop_process (server);

  app_s = bench_median (app_times);
  curl_s = bench_median (curl_times);
  figures = g_strdup_printf ("streaming-token %.2f ms, curl %.2f ms (medians of %u paired runs)",
                             app_s * 1e3, curl_s * 1e3, runs);
  pass &= bench_report ("print-token", figures, app_s / curl_s, TARGET);

  if (links_gtk (argv[1]))
    {
      g_print ("print-token: %s links GTK or libadwaita FAIL\n", argv[1]);
      pass = FALSE;
    }
  else
    {
      g_print ("print-token: links neither GTK nor libadwaita PASS\n");
    }

  return pass ? EXIT_SUCCESS : EXIT_FAILURE;
}
