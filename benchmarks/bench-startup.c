/* bench-startup.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Time from exec to the main window's first frame, and peak resident
 * memory at that frame, for the app (with a saved key in the keyring)
 * against a bare AdwApplicationWindow, under each GSK renderer; and
 * whether the app had loaded GStreamer by then, which it must leave
 * until a session with audio starts (issue 15).
 *
 *   bench-startup STREAMING-TOKEN BARE-WINDOW REFERENCE-WINDOW [RUNS]
 *
 * All three run in turn, RUNS times each, so that a noisy neighbour hurts
 * them alike; the figures are medians. The clock starts in the child just
 * before exec and stops at the first after-paint of a mapped window (see
 * src/stok-first-frame.c).
 *
 * The reference window (benchmarks/bare-window.c) is not judged: its line
 * says what a header bar and one row cost beyond the bare window, and how
 * the app compares with that.
 *
 * Issue 15 asks that start-up and memory do not regress against the
 * release it was filed on, 0.1.0 (0b8658e). With STOK_BENCH_RELEASE set to
 * that release's built app (`./run bench` builds it from git), it runs in
 * turn with the others and the app is judged against it too, at the same
 * targets as against the bare window, memory at 1.10x under both
 * renderers. That app reads the key from the same keyring item and its
 * settings are a subset of this tree's schema; its hook reports no
 * mappings, which are only asked of this app. */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-util.h"

/* STOK_FIRST_FRAME_ENV of src/stok-first-frame.h, whose GTK this driver
 * does not load. */
#define STOK_FIRST_FRAME_ENV "STOK_BENCHMARK_FIRST_FRAME"

#define START_TARGET  1.15
#define MEMORY_TARGET 1.10
/* Issue 7 asked for 1.10x under both renderers. With cairo the app no
 * longer sets up OpenGL that it does not use, which the bare window
 * still does, and its peak was 0.41x the bare window's: tightened. */
#define MEMORY_TARGET_CAIRO 0.60
#define RUN_TIMEOUT_MS 30000

extern char **environ;

typedef struct
{
  double elapsed_s;
  double vmhwm_mib;
  /* libgstreamer, and gdk-pixbuf's SVG loader, were mapped at the
   * first frame. */
  gboolean gstreamer;
  gboolean svg;
  /* Whether the hook said the two above: 0.1.0's did not. */
  gboolean mappings;
} Sample;

/* Writes @value in decimal at @buffer; async-signal-safe, for the child. */
static void
format_decimal (char   *buffer,
                gint64  value)
{
  char digits[24];
  int n = 0;

  do
    {
      digits[n++] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value > 0);

  while (n > 0)
    *buffer++ = digits[--n];
  *buffer = '\0';
}

static gboolean
run_once (const char *path,
          const char *renderer,
          Sample     *sample)
{
  g_autoptr(GPtrArray) envp = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) output = g_string_new (NULL);
  char *start_var;
  const char *line;
  gint64 elapsed_us = -1;
  long vmhwm_kib = -1;
  int gstreamer = -1;
  int svg = -1;
  int fields = 0;
  int fds[2];
  pid_t pid;
  int status;

  for (char **e = environ; *e != NULL; e++)
    if (!g_str_has_prefix (*e, STOK_FIRST_FRAME_ENV "=") && !g_str_has_prefix (*e, "GSK_RENDERER="))
      g_ptr_array_add (envp, g_strdup (*e));
  g_ptr_array_add (envp, g_strdup_printf ("GSK_RENDERER=%s", renderer));
  /* Room for the start time, which the child writes in its own copy. */
  start_var = g_strdup (STOK_FIRST_FRAME_ENV "=00000000000000000000000");
  g_ptr_array_add (envp, start_var);
  g_ptr_array_add (envp, NULL);

  if (pipe (fds) != 0)
    return FALSE;

  pid = fork ();
  if (pid < 0)
    return FALSE;

  if (pid == 0)
    {
      struct timespec ts;

      dup2 (fds[1], STDERR_FILENO);
      close (fds[0]);
      close (fds[1]);
      clock_gettime (CLOCK_MONOTONIC, &ts);
      format_decimal (start_var + strlen (STOK_FIRST_FRAME_ENV "="),
                      (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000);
      execve (path, (char *[]) { (char *) path, NULL }, (char **) envp->pdata);
      _exit (127);
    }

  close (fds[1]);

  for (;;)
    {
      struct pollfd pfd = { fds[0], POLLIN, 0 };
      char buffer[4096];
      ssize_t n;

      if (poll (&pfd, 1, RUN_TIMEOUT_MS) <= 0)
        {
          g_printerr ("%s did not show its first frame within %d s\n", path, RUN_TIMEOUT_MS / 1000);
          kill (pid, SIGKILL);
          break;
        }

      n = read (fds[0], buffer, sizeof buffer);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (output, buffer, n);
    }

  close (fds[0]);
  waitpid (pid, &status, 0);

  line = strstr (output->str, "first-frame: ");
  if (line != NULL)
    fields = sscanf (line, "first-frame: elapsed_us=%" G_GINT64_FORMAT " vmhwm_kib=%ld gstreamer=%d svg=%d",
                     &elapsed_us, &vmhwm_kib, &gstreamer, &svg);
  if (fields < 2 || elapsed_us <= 0)
    {
      g_printerr ("%s (GSK_RENDERER=%s) reported no first frame:\n%s\n", path, renderer, output->str);
      return FALSE;
    }

  sample->elapsed_s = elapsed_us / 1e6;
  sample->vmhwm_mib = vmhwm_kib / 1024.0;
  sample->mappings = fields == 4;
  sample->gstreamer = sample->mappings && gstreamer != 0;
  sample->svg = sample->mappings && svg != 0;
  return TRUE;
}

typedef struct
{
  const char *path;
  GArray *times;
  GArray *memory;
} Subject;

/* The app's start-up and peak memory against @baseline's, under
 * @renderer: @against names the baseline in the figures' names, or %NULL
 * for the bare window. */
static gboolean
report_against (const char    *renderer,
                const char    *against,
                const Subject *app,
                const Subject *baseline,
                double         memory_target)
{
  g_autofree char *suffix = NULL;
  g_autofree char *name = NULL;
  g_autofree char *figures = NULL;
  const char *what = against != NULL ? against : "baseline";
  double app_s = bench_median (app->times);
  double base_s = bench_median (baseline->times);
  double app_mib = bench_median (app->memory);
  double base_mib = bench_median (baseline->memory);
  gboolean pass = TRUE;

  suffix = against != NULL ? g_strdup_printf (" against %s (%s)", against, renderer)
                           : g_strdup_printf (" (%s)", renderer);

  name = g_strconcat ("startup", suffix, NULL);
  figures = g_strdup_printf ("app %.3f s, %s %.3f s", app_s, what, base_s);
  pass &= bench_report (name, figures, app_s / base_s, START_TARGET);

  g_free (name);
  g_free (figures);
  name = g_strconcat ("peak memory at first frame", suffix, NULL);
  figures = g_strdup_printf ("app %.1f MiB, %s %.1f MiB", app_mib, what, base_mib);
  pass &= bench_report (name, figures, app_mib / base_mib, memory_target);

  return pass;
}

static gboolean
measure (const char *renderer,
         const char *app,
         const char *baseline,
         const char *reference,
         const char *release,
         guint       runs)
{
  Subject subjects[] = {
    { app, g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)) },
    { baseline, g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)) },
    { reference, g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)) },
    { release, g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)) },
  };
  guint n_subjects = release != NULL ? G_N_ELEMENTS (subjects) : G_N_ELEMENTS (subjects) - 1;
  g_autofree char *name = NULL;
  g_autofree char *figures = NULL;
  guint app_gstreamer = 0;
  guint app_svg = 0;
  double app_s, base_s, ref_s, app_mib, base_mib, ref_mib;
  gboolean pass = TRUE;
  Sample sample;

  /* Untimed: loads each into the page cache. */
  for (guint k = 0; k < n_subjects; k++)
    {
      if (!run_once (subjects[k].path, renderer, &sample))
        {
          pass = FALSE;
          goto out;
        }
      if (k == 0 && !sample.mappings)
        {
          g_printerr ("%s did not say what it had mapped at its first frame\n", app);
          pass = FALSE;
          goto out;
        }
    }

  for (guint i = 0; i < runs; i++)
    {
      /* Rotate which goes first, so none always follows the same one. */
      for (guint j = 0; j < n_subjects; j++)
        {
          Subject *subject = &subjects[(i + j) % n_subjects];

          if (!run_once (subject->path, renderer, &sample))
            {
              pass = FALSE;
              goto out;
            }

          g_array_append_val (subject->times, sample.elapsed_s);
          g_array_append_val (subject->memory, sample.vmhwm_mib);
          if (subject == &subjects[0] && sample.gstreamer)
            app_gstreamer++;
          if (subject == &subjects[0] && sample.svg)
            app_svg++;
        }
    }

  app_s = bench_median (subjects[0].times);
  base_s = bench_median (subjects[1].times);
  ref_s = bench_median (subjects[2].times);
  app_mib = bench_median (subjects[0].memory);
  base_mib = bench_median (subjects[1].memory);
  ref_mib = bench_median (subjects[2].memory);

  pass &= report_against (renderer, NULL, &subjects[0], &subjects[1],
                          g_str_equal (renderer, "cairo") ? MEMORY_TARGET_CAIRO : MEMORY_TARGET);

  /* Issue 15: GStreamer is for sessions with audio; start-up must not
   * load it. A fact, not a ratio: met when no run of the app had it. */
  name = g_strdup_printf ("GStreamer at first frame (%s)", renderer);
  figures = g_strdup_printf ("libgstreamer mapped in %u of %u runs of the app (target: none)",
                             app_gstreamer, runs);
  pass &= bench_report_fact (name, figures, app_gstreamer == 0);

  /* The SVG loader cost 8 MiB at the first frame for one arrow. A
   * development build's header bar has libadwaita's stripes, drawn from
   * an SVG: there it is said, not judged. */
  g_free (name);
  g_free (figures);
  name = g_strdup_printf ("SVG loader at first frame (%s)", renderer);
  figures = g_strdup_printf ("gdk-pixbuf's SVG loader mapped in %u of %u runs of the app (target: none)",
                             app_svg, runs);
  if (DEVELOPMENT_BUILD)
    g_print ("%s: %s; not judged in a development build\n", name, figures);
  else
    pass &= bench_report_fact (name, figures, app_svg == 0);

  g_print ("for scale (%s): a header bar and one row %.3f s and %.1f MiB, %.2fx and %.2fx "
           "the baseline; the app %.2fx and %.2fx of that window\n",
           renderer, ref_s, ref_mib, ref_s / base_s, ref_mib / base_mib,
           app_s / ref_s, app_mib / ref_mib);

  if (release != NULL)
    pass &= report_against (renderer, "0.1.0", &subjects[0], &subjects[3], MEMORY_TARGET);
  else
    g_print ("against 0.1.0 (%s): not measured, STOK_BENCH_RELEASE is not set (./run bench sets it)\n",
             renderer);
  fflush (stdout);

out:
  for (guint k = 0; k < G_N_ELEMENTS (subjects); k++)
    {
      g_array_unref (subjects[k].times);
      g_array_unref (subjects[k].memory);
    }

  return pass;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *renderers[] = { "gl", "cairo" };
  const char *release = g_getenv ("STOK_BENCH_RELEASE");
  gboolean pass = TRUE;
  guint runs = 15;

  if (argc < 4)
    {
      g_printerr ("usage: %s STREAMING-TOKEN BARE-WINDOW REFERENCE-WINDOW [RUNS]\n", argv[0]);
      return EXIT_FAILURE;
    }
  if (argc > 4)
    runs = (guint) g_ascii_strtoull (argv[4], NULL, 10);

  if (!bench_store_key_in_keyring ("benchmark-key-not-a-secret", &error))
    {
      g_printerr ("Could not save a key in the keyring: %s\n", error->message);
      return EXIT_FAILURE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (renderers); i++)
    {
      gboolean ok = measure (renderers[i], argv[1], argv[2], argv[3],
                             release != NULL && *release != '\0' ? release : NULL, runs);

      pass &= ok;
    }

  return pass ? EXIT_SUCCESS : EXIT_FAILURE;
}
