/* bench-util.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the benchmarks share: medians, the one report format, the fake
 * token server as a child process, and readings from /proc. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-util.h"

gint64
bench_now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/**
 * bench_median:
 * @values: doubles; sorted in place
 */
double
bench_median (GArray *values)
{
  guint n = values->len;

  g_return_val_if_fail (n > 0, 0.0);

  g_array_sort (values, compare_doubles);
  if (n % 2 == 1)
    return g_array_index (values, double, n / 2);

  return (g_array_index (values, double, n / 2 - 1) + g_array_index (values, double, n / 2)) / 2.0;
}

/**
 * bench_report:
 * @name: what was measured, e.g. "startup (gl)"
 * @figures: the figure and the baseline's, in words and units
 * @ratio: the figure against its baseline
 * @target: the highest ratio that passes
 *
 * Prints one line in the format every benchmark shares, e.g.
 * `startup (gl): app 0.341 s, baseline 0.330 s, ratio 1.03x (target <= 1.15x) PASS`.
 *
 * Returns: whether @ratio meets @target
 */
gboolean
bench_report (const char *name,
              const char *figures,
              double      ratio,
              double      target)
{
  gboolean pass = ratio <= target;

  g_print ("%s: %s, ratio %.2fx (target <= %.2fx) %s\n",
           name, figures, ratio, target, pass ? "PASS" : "FAIL");
  fflush (stdout);

  return pass;
}

/**
 * bench_report_fact:
 * @name: what was looked at
 * @figures: what was found and what was wanted, in words
 * @met: whether it was what was wanted
 *
 * As bench_report(), for a figure that is a fact rather than a ratio,
 * e.g. whether a library was loaded.
 *
 * Returns: @met
 */
gboolean
bench_report_fact (const char *name,
                   const char *figures,
                   gboolean    met)
{
  g_print ("%s: %s %s\n", name, figures, met ? "PASS" : "FAIL");
  fflush (stdout);

  return met;
}

/**
 * bench_start_fake_server_with_args:
 * @path: the fake-token-server executable
 * @extra_args: (nullable): more arguments, %NULL-terminated, e.g.
 *   "--ws-fault=flood", "--flood-rate=2000"
 * @log_path: (nullable): where its request log goes; by default nowhere,
 *   since writing it would be part of every answer's time
 * @out_pid: (out): its process, for bench_stop_process()
 * @out_url: (out): the URL it printed
 *
 * Starts the fake token server and waits for its URL, the first line it
 * prints.
 */
gboolean
bench_start_fake_server_with_args (const char         *path,
                                   const char * const *extra_args,
                                   const char         *log_path,
                                   GPid               *out_pid,
                                   char              **out_url,
                                   GError            **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GString) line = g_string_new (NULL);
  int out_fd = -1;
  int log_fd;
  gboolean spawned;
  char c;

  g_ptr_array_add (argv, (gpointer) path);
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  log_fd = open (log_path != NULL ? log_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (log_fd < 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "%s: %s", log_path, g_strerror (errno));
      return FALSE;
    }

  spawned = g_spawn_async_with_pipes_and_fds (NULL, (const char * const *) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                              NULL, NULL, -1, -1, log_fd, NULL, NULL, 0,
                                              out_pid, NULL, &out_fd, NULL, error);
  close (log_fd);
  if (!spawned)
    return FALSE;

  while (read (out_fd, &c, 1) == 1 && c != '\n')
    g_string_append_c (line, c);
  close (out_fd);

  if (!g_str_has_prefix (line->str, "http://"))
    {
      bench_stop_process (*out_pid);
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   "%s printed no URL", path);
      return FALSE;
    }

  *out_url = g_string_free (g_steal_pointer (&line), FALSE);
  return TRUE;
}

/**
 * bench_start_fake_server:
 * @path: the fake-token-server executable
 * @extra_arg: (nullable): one more argument, e.g. "--delay-ms=20"
 * @log_path: (nullable): where its request log goes; by default nowhere,
 *   since writing it would be part of every answer's time
 * @out_pid: (out): its process, for bench_stop_process()
 * @out_url: (out): the URL it printed
 *
 * As bench_start_fake_server_with_args(), with one argument at most.
 */
gboolean
bench_start_fake_server (const char  *path,
                         const char  *extra_arg,
                         const char  *log_path,
                         GPid        *out_pid,
                         char       **out_url,
                         GError     **error)
{
  const char *extra_args[] = { extra_arg, NULL };

  return bench_start_fake_server_with_args (path, extra_args, log_path, out_pid, out_url, error);
}

void
bench_stop_process (GPid pid)
{
  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
}

static gboolean
read_switches (const char    *status_path,
               BenchSwitches *switches)
{
  g_autofree char *status = NULL;
  const char *voluntary;
  const char *nonvoluntary;

  if (!g_file_get_contents (status_path, &status, NULL, NULL))
    return FALSE;

  voluntary = strstr (status, "\nvoluntary_ctxt_switches:");
  nonvoluntary = strstr (status, "\nnonvoluntary_ctxt_switches:");
  if (voluntary == NULL || nonvoluntary == NULL)
    return FALSE;

  switches->voluntary = g_ascii_strtoll (voluntary + strlen ("\nvoluntary_ctxt_switches:"), NULL, 10);
  switches->nonvoluntary = g_ascii_strtoll (nonvoluntary + strlen ("\nnonvoluntary_ctxt_switches:"), NULL, 10);
  return TRUE;
}

/**
 * bench_read_context_switches:
 * @pid: a running process
 *
 * Returns: (transfer full): for each of @pid's threads, by thread id, its
 *   #BenchSwitches so far
 */
GHashTable *
bench_read_context_switches (GPid pid)
{
  g_autofree char *task_dir = g_strdup_printf ("/proc/%d/task", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (task_dir, 0, NULL);
  GHashTable *switches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *tid;

  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (task_dir, tid, "status", NULL);
      BenchSwitches count;

      if (read_switches (path, &count))
        g_hash_table_insert (switches, g_strdup (tid), g_memdup2 (&count, sizeof count));
    }

  return switches;
}

/**
 * bench_count_new_switches:
 *
 * Returns: the context switches between two readings, thread by thread: a
 *   thread that exited in between would otherwise take its whole count
 *   out of the sum, and a new one is counted from zero
 */
BenchSwitches
bench_count_new_switches (GHashTable *before,
                          GHashTable *after)
{
  GHashTableIter iter;
  gpointer tid;
  gpointer count;
  BenchSwitches total = { 0, 0 };

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &tid, &count))
    {
      const BenchSwitches *now = count;
      const BenchSwitches *earlier = g_hash_table_lookup (before, tid);

      total.voluntary += now->voluntary - (earlier != NULL ? earlier->voluntary : 0);
      total.nonvoluntary += now->nonvoluntary - (earlier != NULL ? earlier->nonvoluntary : 0);
    }

  return total;
}

/**
 * bench_read_status_kib:
 * @field: e.g. "VmRSS"
 *
 * Returns: that line of /proc/self/status, in KiB, or -1
 */
long
bench_read_status_kib (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *needle = g_strdup_printf ("\n%s:", field);
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;

  line = strstr (status, needle);
  if (line == NULL)
    return -1;

  return strtol (line + strlen (needle), NULL, 10);
}

/**
 * bench_store_key_in_keyring:
 *
 * Saves @key where the app looks for it, as `secret-tool` would for a
 * user: the app's schema name and provider=assemblyai.
 */
gboolean
bench_store_key_in_keyring (const char  *key,
                            GError     **error)
{
  g_autoptr(GSubprocess) secret_tool = NULL;

  /* The key on stdin, as a user would paste it. */
  secret_tool = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE, error,
                                  "secret-tool", "store", "--label=Streaming Token benchmark key",
                                  "xdg:schema", "io.github.streamingtoken.StreamingToken.ApiKey",
                                  "provider", "assemblyai", NULL);
  if (secret_tool == NULL)
    return FALSE;

  return g_subprocess_communicate_utf8 (secret_tool, key, NULL, NULL, NULL, error) &&
         g_subprocess_wait_check (secret_tool, NULL, error);
}

/* The audio of @path, a 16 kHz mono s16 WAV such as
 * tests/data/two-turns.wav, repeated to @seconds, written as spoken.wav in
 * @dir. */
char *
bench_write_long_wav (const char *path,
                      const char *dir,
                      guint       seconds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) wav = g_byte_array_new ();
  g_autofree char *contents = NULL;
  char *out_path;
  const guint8 *data = NULL;
  gsize length;
  gsize data_size = 0;
  gsize offset = 12;
  guint32 total = seconds * 16000 * 2;
  guint32 field;
  guint16 short_field;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);

  /* The chunks after RIFF....WAVE, up to "data". */
  if (length < 12 || memcmp (contents, "RIFF", 4) != 0 || memcmp (contents + 8, "WAVE", 4) != 0)
    g_error ("%s is not a WAV file", path);
  while (offset + 8 <= length)
    {
      guint32 size;

      memcpy (&size, contents + offset + 4, 4);
      size = GUINT32_FROM_LE (size);
      if (memcmp (contents + offset, "data", 4) == 0)
        {
          data = (const guint8 *) contents + offset + 8;
          data_size = MIN (size, length - offset - 8) & ~(gsize) 1;
          break;
        }
      offset += 8 + size + (size & 1);
    }
  if (data == NULL || data_size == 0)
    g_error ("%s holds no audio", path);

  g_byte_array_append (wav, (const guint8 *) "RIFF", 4);
  field = GUINT32_TO_LE (36 + total);
  g_byte_array_append (wav, (const guint8 *) &field, 4);
  g_byte_array_append (wav, (const guint8 *) "WAVEfmt ", 8);
  field = GUINT32_TO_LE (16);
  g_byte_array_append (wav, (const guint8 *) &field, 4);
  short_field = GUINT16_TO_LE (1);      /* PCM */
  g_byte_array_append (wav, (const guint8 *) &short_field, 2);
  short_field = GUINT16_TO_LE (1);      /* mono */
  g_byte_array_append (wav, (const guint8 *) &short_field, 2);
  field = GUINT32_TO_LE (16000);
  g_byte_array_append (wav, (const guint8 *) &field, 4);
  field = GUINT32_TO_LE (16000 * 2);
  g_byte_array_append (wav, (const guint8 *) &field, 4);
  short_field = GUINT16_TO_LE (2);
  g_byte_array_append (wav, (const guint8 *) &short_field, 2);
  short_field = GUINT16_TO_LE (16);
  g_byte_array_append (wav, (const guint8 *) &short_field, 2);
  g_byte_array_append (wav, (const guint8 *) "data", 4);
  field = GUINT32_TO_LE (total);
  g_byte_array_append (wav, (const guint8 *) &field, 4);

  for (guint32 written = 0; written < total;)
    {
      guint32 n = MIN ((guint32) data_size, total - written);

      g_byte_array_append (wav, data, n);
      written += n;
    }

  out_path = g_build_filename (dir, "spoken.wav", NULL);
  if (!g_file_set_contents (out_path, (const char *) wav->data, wav->len, &error))
    g_error ("%s", error->message);

  return out_path;
}

/**
 * bench_xdotool:
 * @args: xdotool's arguments, %NULL-terminated
 *
 * Runs xdotool, which drives the X server as a user would (XTEST).
 *
 * Returns: (nullable): what it printed, stripped, or %NULL if it failed
 */
char *
bench_xdotool (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  int status;

  g_ptr_array_add (argv, (gpointer) "xdotool");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return NULL;

  return g_strstrip (g_steal_pointer (&out));
}

/* The X window of @pid, once it is mapped, or NULL after 20 s. */
char *
bench_wait_for_window (GPid pid)
{
  g_autofree char *pid_text = g_strdup_printf ("%d", (int) pid);

  for (guint i = 0; i < 200; i++)
    {
      const char *args[] = { "search", "--onlyvisible", "--pid", pid_text, NULL };
      g_autofree char *windows = bench_xdotool (args);

      if (windows != NULL && windows[0] != '\0')
        {
          char *newline = strchr (windows, '\n');

          /* The first is the toplevel; GTK maps nothing else here. */
          if (newline != NULL)
            *newline = '\0';
          return g_steal_pointer (&windows);
        }

      g_usleep (100 * 1000);
    }

  return NULL;
}

/* Starts mutter as the X server's window manager, as GNOME runs it on X11,
 * and waits until it manages windows. */
GPid
bench_start_mutter (const char *path)
{
  const char *argv[] = { path, "--x11", "--replace", "--sm-disable", NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;

  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    {
      g_printerr ("mutter did not start: %s\n", error->message);
      return 0;
    }

  /* Once it manages the screen, mutter has its check window, which it
   * names after itself. */
  for (guint i = 0; i < 100; i++)
    {
      const char *args[] = { "search", "--maxdepth", "2", "--name", "^Mutter$", NULL };
      g_autofree char *windows = bench_xdotool (args);

      if (windows != NULL && windows[0] != '\0')
        return pid;
      g_usleep (100 * 1000);
    }

  g_printerr ("mutter did not take over the screen\n");
  bench_stop_process (pid);
  return 0;
}
