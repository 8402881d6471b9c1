/* rusage-of.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs a program and says what it cost, for bench-transcribe:
 *
 *   rusage-of PROGRAM [ARGS...]
 *
 * On file descriptor 3 it writes `pid PID` as soon as PROGRAM runs, then
 * `exit STATUS maxrss_kib KIB cpu_us MICROSECONDS` once it has ended
 * (STATUS is the exit status, or 128 + the signal that killed it).
 *
 * Why a program of its own: a child's ru_maxrss starts from its parent's
 * high-water mark, which fork copies and exec keeps, so a benchmark that
 * spawned the app from its own big process (a fake server, libsoup, the
 * frames it records) would read its own peak as the app's. This parent
 * is libc alone, a few hundred KiB, and it passes nothing else on. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define REPORT_FD 3

int
main (int   argc,
      char *argv[])
{
  struct rusage usage;
  FILE *report;
  pid_t pid;
  int status;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s PROGRAM [ARGS...]\n", argv[0]);
      return 2;
    }

  report = fdopen (REPORT_FD, "w");
  if (report == NULL)
    {
      fprintf (stderr, "%s: no file descriptor %d to report on: %s\n", argv[0], REPORT_FD, strerror (errno));
      return 2;
    }

  fflush (NULL);
  pid = fork ();
  if (pid < 0)
    {
      fprintf (stderr, "%s: fork: %s\n", argv[0], strerror (errno));
      return 2;
    }

  if (pid == 0)
    {
      /* The report is ours alone: the program could otherwise write to
       * it, or hold it open after we have finished. */
      close (REPORT_FD);
      execvp (argv[1], argv + 1);
      fprintf (stderr, "%s: %s: %s\n", argv[0], argv[1], strerror (errno));
      _exit (127);
    }

  fprintf (report, "pid %ld\n", (long) pid);
  fflush (report);

  while (wait4 (pid, &status, 0, &usage) < 0)
    {
      if (errno != EINTR)
        {
          fprintf (stderr, "%s: wait4: %s\n", argv[0], strerror (errno));
          return 2;
        }
    }

  fprintf (report, "exit %d maxrss_kib %ld cpu_us %lld\n",
           WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status),
           usage.ru_maxrss,
           (long long) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000LL +
           usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  fclose (report);

  return 0;
}
