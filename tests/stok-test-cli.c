/* stok-test-cli.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "stok-test-cli.h"

/**
 * stok_cli_get_binary:
 *
 * Returns: the `streaming-token` the tests run: the build's, or
 *   STOK_STREAMING_TOKEN's
 */
const char *
stok_cli_get_binary (void)
{
  static char *path;

  if (path == NULL)
    {
      const char *env = g_getenv ("STOK_STREAMING_TOKEN");

      path = env != NULL ? g_strdup (env)
                         : g_test_build_filename (G_TEST_BUILT, "..", "src", "streaming-token", NULL);
    }

  return path;
}

/**
 * stok_cli_environ:
 * @api_key: (nullable): ASSEMBLYAI_API_KEY, or %NULL to leave it unset
 * @bus_address: (nullable): the session bus, or %NULL for the test's own
 *
 * The environment of a plain run: untranslated messages, no debug output,
 * no proxy between the command line and the loopback servers.
 *
 * Returns: (transfer full): an environment for stok_cli_run_start()
 */
char **
stok_cli_environ (const char *api_key,
                  const char *bus_address)
{
  static const char * const dropped[] = {
    "G_MESSAGES_DEBUG", "LANGUAGE",
    "http_proxy", "https_proxy", "all_proxy", "no_proxy",
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
  };
  char **env = g_get_environ ();

  for (guint i = 0; i < G_N_ELEMENTS (dropped); i++)
    env = g_environ_unsetenv (env, dropped[i]);
  /* The messages checked are the untranslated ones. */
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  if (bus_address != NULL)
    env = g_environ_setenv (env, "DBUS_SESSION_BUS_ADDRESS", bus_address, TRUE);
  if (api_key != NULL)
    env = g_environ_setenv (env, "ASSEMBLYAI_API_KEY", api_key, TRUE);
  else
    env = g_environ_unsetenv (env, "ASSEMBLYAI_API_KEY");

  return env;
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  StokCliRun *run = user_data;

  /* Timed here, when the output ends, not when the test gets round to
   * looking. */
  run->elapsed_us = g_get_monotonic_time () - run->started_us;
  run->result = g_object_ref (result);
}

/**
 * stok_cli_run_start:
 * @args: the arguments after the program's name
 * @envp: its whole environment, see stok_cli_environ()
 *
 * Starts streaming-token; the test's main loop must run for it to finish
 * and for the servers it talks to to answer.
 *
 * Returns: (transfer full): the run, to wait for with stok_cli_run_wait()
 */
StokCliRun *
stok_cli_run_start (const char * const  *args,
                    char               **envp)
{
  return stok_cli_run_start_with_input (args, envp, NULL);
}

/**
 * stok_cli_run_start_with_input:
 * @args: the arguments after the program's name
 * @envp: its whole environment, see stok_cli_environ()
 * @input: (nullable): what to write on its standard input, which is then
 *   closed; %NULL to leave it the test's
 *
 * Returns: (transfer full): the run, to wait for with stok_cli_run_wait()
 */
StokCliRun *
stok_cli_run_start_with_input (const char * const  *args,
                               char               **envp,
                               const char          *input)
{
  return stok_cli_run_start_full (args, envp, input, NULL);
}

/**
 * stok_cli_run_start_full:
 * @args: the arguments after the program's name
 * @envp: its whole environment, see stok_cli_environ()
 * @input: (nullable): what to write on its standard input, which is then
 *   closed; %NULL to leave it the test's
 * @stdout_path: (nullable): a file to write standard output to, such as
 *   /dev/full, instead of the pipe whose text ends up in @run's out;
 *   that text is then ""
 *
 * Returns: (transfer full): the run, to wait for with stok_cli_run_wait()
 */
StokCliRun *
stok_cli_run_start_full (const char * const  *args,
                         char               **envp,
                         const char          *input,
                         const char          *stdout_path)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  StokCliRun *run = g_new0 (StokCliRun, 1);

  g_ptr_array_add (argv, (gpointer) stok_cli_get_binary ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new ((stdout_path == NULL ? G_SUBPROCESS_FLAGS_STDOUT_PIPE : 0) |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        (input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0));
  if (stdout_path != NULL)
    g_subprocess_launcher_set_stdout_file_path (launcher, stdout_path);
  g_subprocess_launcher_set_environ (launcher, envp);
  run->started_us = g_get_monotonic_time ();
  run->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  run->pid = g_strdup (g_subprocess_get_identifier (run->process));

  g_subprocess_communicate_utf8_async (run->process, input, NULL, communicate_cb, run);

  return run;
}

/**
 * stok_cli_run_done:
 * @run: a started run
 *
 * Returns: whether the process has exited and its output is collected;
 *   then its status, output and running time are in @run
 */
gboolean
stok_cli_run_done (StokCliRun *run)
{
  g_autoptr(GError) error = NULL;

  if (run->result == NULL)
    return FALSE;

  if (run->out == NULL)
    {
      g_subprocess_communicate_utf8_finish (run->process, run->result, &run->out, &run->err, &error);
      g_assert_no_error (error);
      if (run->out == NULL)
        run->out = g_strdup ("");
      g_subprocess_wait (run->process, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (run->process));
      run->status = g_subprocess_get_exit_status (run->process);

      g_test_message ("exit %d after %.1f s, stdout “%s”, stderr “%s”",
                      run->status, run->elapsed_us / (double) G_USEC_PER_SEC, run->out, run->err);
    }

  return TRUE;
}

void
stok_cli_run_wait (StokCliRun *run)
{
  while (!stok_cli_run_done (run))
    g_main_context_iteration (NULL, TRUE);
}

/**
 * stok_cli_run:
 * @args: the arguments after the program's name
 * @envp: its whole environment
 *
 * Returns: (transfer full): the finished run
 */
StokCliRun *
stok_cli_run (const char * const  *args,
              char               **envp)
{
  StokCliRun *run = stok_cli_run_start (args, envp);

  stok_cli_run_wait (run);

  return run;
}

void
stok_cli_run_free (StokCliRun *run)
{
  g_clear_object (&run->process);
  g_clear_object (&run->result);
  g_clear_pointer (&run->pid, g_free);
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  g_free (run);
}

/* What a script gets on an error: one line, whatever the server sent. */
void
stok_assert_one_line (const char *text)
{
  const char *newline = strchr (text, '\n');

  g_assert_nonnull (newline);
  g_assert_cmpstr (newline + 1, ==, "");
}
