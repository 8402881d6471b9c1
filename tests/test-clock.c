/* test-clock.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The clock token deadlines are measured with: the default one runs on
 * while the computer sleeps, as a token's redemption window does on the
 * server; the manual one moves only when a test moves it. */

#include "config.h"

#include <gio/gio.h>
#include <string.h>
#include <time.h>

#include "stok-clock.h"

#define PRINT_CLOCKS "--print-clocks"
#define DAY_US (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)

/* This program, to run again in a time namespace: argv[0], since under
 * valgrind /proc/self/exe is valgrind. */
static char *self_path;

static gint64
boottime_us (void)
{
  struct timespec ts;

  g_assert_cmpint (clock_gettime (CLOCK_BOOTTIME, &ts), ==, 0);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
count_cb (StokClock *clock,
          guint     *count)
{
  g_assert (STOK_IS_CLOCK (clock));

  (*count)++;
}

/* Each reading of the default clock lies between two readings of
 * CLOCK_BOOTTIME taken around it. */
static void
test_default_reads_boottime (void)
{
  StokClock *clock = stok_clock_get_default ();

  g_assert_true (stok_clock_get_default () == clock);

  for (guint i = 0; i < 10000; i++)
    {
      gint64 before = boottime_us ();
      gint64 now = stok_clock_get_time (clock);
      gint64 after = boottime_us ();

      g_assert_cmpint (before, <=, now);
      g_assert_cmpint (now, <=, after);
    }
}

/* Never back, and on by at least as long as the process slept. */
static void
test_default_monotonic (void)
{
  StokClock *clock = stok_clock_get_default ();
  gint64 last = stok_clock_get_time (clock);
  gint64 before_sleep;

  for (guint i = 0; i < 100000; i++)
    {
      gint64 now = stok_clock_get_time (clock);

      g_assert_cmpint (now, >=, last);
      last = now;
    }

  before_sleep = stok_clock_get_time (clock);
  g_usleep (20 * 1000);
  g_assert_cmpint (stok_clock_get_time (clock) - before_sleep, >=, 20 * 1000);
}

/* What the child in the time namespace prints: the default clock and
 * CLOCK_MONOTONIC, read one after the other. */
static int
print_clocks (void)
{
  gint64 clock_us = stok_clock_get_time (stok_clock_get_default ());
  gint64 monotonic_us = g_get_monotonic_time ();

  g_print ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", clock_us, monotonic_us);

  return 0;
}

static gboolean
run (const char * const  *argv,
     char               **out,
     char               **err)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;

  child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, out, err, &error);
  g_assert_no_error (error);

  return g_subprocess_get_if_exited (child) && g_subprocess_get_exit_status (child) == 0;
}

/* A suspend cannot be had in a test, but a time namespace can show a
 * process a CLOCK_BOOTTIME a day ahead of CLOCK_MONOTONIC, which is what
 * a day asleep leaves behind. There the default clock must read a day
 * more than CLOCK_MONOTONIC: a token minted before the lid closed is
 * shown as expired once it opens. */
static void
test_default_counts_suspend (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) fields = NULL;
  const char *unshare[] = {
    "unshare", "--user", "--map-root-user", "--time", "--boottime", "86400",
    NULL, NULL, NULL,
  };
  gint64 host_offset = boottime_us () - g_get_monotonic_time ();
  gint64 clock_us, monotonic_us;

  /* Without user or time namespaces (a kernel before 5.6, or a container
   * that forbids them) there is nothing to measure. */
  unshare[6] = "true";
  if (!run (unshare, NULL, &err))
    {
      g_autofree char *reason = g_strdup_printf ("no time namespace here: %s", err);

      g_test_skip (reason);
      return;
    }
  g_clear_pointer (&err, g_free);

  unshare[6] = self_path;
  unshare[7] = PRINT_CLOCKS;
  if (!run (unshare, &out, &err))
    g_error ("%s failed: %s", self_path, err);

  fields = g_strsplit (g_strstrip (out), " ", -1);
  g_assert_cmpuint (g_strv_length (fields), ==, 2);
  clock_us = g_ascii_strtoll (fields[0], NULL, 10);
  monotonic_us = g_ascii_strtoll (fields[1], NULL, 10);

  /* A day more than the host's own offset, give or take what it took to
   * read the two clocks: neither CLOCK_MONOTONIC nor the wall clock. */
  g_assert_cmpint (clock_us - monotonic_us, >=, DAY_US + host_offset - G_USEC_PER_SEC);
  g_assert_cmpint (clock_us - monotonic_us, <=, DAY_US + host_offset + G_USEC_PER_SEC);
}

/* Time passing is not a change: nothing listens for it. */
static void
test_default_never_changes (void)
{
  StokClock *clock = stok_clock_get_default ();
  guint changes = 0;
  gulong id = g_signal_connect (clock, "changed", G_CALLBACK (count_cb), &changes);
  gint64 start = stok_clock_get_time (clock);

  while (stok_clock_get_time (clock) - start < 50 * 1000)
    g_main_context_iteration (NULL, FALSE);

  /* Only a manual clock can be moved. */
  g_test_expect_message ("stok-clock", G_LOG_LEVEL_CRITICAL, "*self->manual*");
  stok_clock_advance (clock, DAY_US);
  g_test_assert_expected_messages ();

  g_assert_cmpuint (changes, ==, 0);
  g_assert_cmpint (stok_clock_get_time (clock), <=, boottime_us ());
  g_signal_handler_disconnect (clock, id);
}

typedef struct
{
  guint changes;
  gint64 seen_us;
} Changes;

static void
record_cb (StokClock *clock,
           Changes   *changes)
{
  g_assert (STOK_IS_CLOCK (clock));

  changes->changes++;
  changes->seen_us = stok_clock_get_time (clock);
}

static void
test_manual (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (1000);
  g_autoptr(StokClock) other = stok_clock_new_manual (1000);
  Changes changes = { 0 };

  g_signal_connect (clock, "changed", G_CALLBACK (record_cb), &changes);

  /* It reads what it was given, however long the test takes. */
  g_assert_cmpint (stok_clock_get_time (clock), ==, 1000);
  g_usleep (10 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (stok_clock_get_time (clock), ==, 1000);
  g_assert_cmpuint (changes.changes, ==, 0);

  /* Moved, it says so once, and whoever listens reads the new time. */
  stok_clock_advance (clock, 30 * G_USEC_PER_SEC);
  g_assert_cmpint (stok_clock_get_time (clock), ==, 1000 + 30 * G_USEC_PER_SEC);
  g_assert_cmpuint (changes.changes, ==, 1);
  g_assert_cmpint (changes.seen_us, ==, 1000 + 30 * G_USEC_PER_SEC);

  stok_clock_advance (clock, DAY_US);
  g_assert_cmpint (stok_clock_get_time (clock), ==, 1000 + 30 * G_USEC_PER_SEC + DAY_US);
  g_assert_cmpuint (changes.changes, ==, 2);

  /* Not moved, no change. */
  stok_clock_advance (clock, 0);
  g_assert_cmpuint (changes.changes, ==, 2);

  /* No clock goes back, the manual one no more than the real one. */
  g_test_expect_message ("stok-clock", G_LOG_LEVEL_CRITICAL, "*delta_us >= 0*");
  stok_clock_advance (clock, -1);
  g_test_assert_expected_messages ();
  g_assert_cmpint (stok_clock_get_time (clock), ==, 1000 + 30 * G_USEC_PER_SEC + DAY_US);
  g_assert_cmpuint (changes.changes, ==, 2);

  /* Each manual clock keeps its own time. */
  g_assert_cmpint (stok_clock_get_time (other), ==, 1000);

  g_assert_finalize_object (g_steal_pointer (&other));
  g_assert_finalize_object (g_steal_pointer (&clock));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (argc == 2 && strcmp (argv[1], PRINT_CLOCKS) == 0)
    return print_clocks ();

  self_path = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clock/default/reads-boottime", test_default_reads_boottime);
  g_test_add_func ("/clock/default/monotonic", test_default_monotonic);
  g_test_add_func ("/clock/default/counts-suspend", test_default_counts_suspend);
  g_test_add_func ("/clock/default/never-changes", test_default_never_changes);
  g_test_add_func ("/clock/manual", test_manual);

  status = g_test_run ();
  g_free (self_path);

  return status;
}
