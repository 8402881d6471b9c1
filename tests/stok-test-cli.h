/* stok-test-cli.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* `streaming-token` run as a script runs it, while the test's main loop
 * keeps serving the fake servers it talks to. */
typedef struct
{
  GSubprocess *process;
  GAsyncResult *result;
  char *pid;
  char *out;
  char *err;
  gint64 started_us;
  gint64 elapsed_us;
  int status;
} StokCliRun;

const char  *stok_cli_get_binary (void);
char       **stok_cli_environ    (const char          *api_key,
                                  const char          *bus_address);
StokCliRun  *stok_cli_run_start  (const char * const  *args,
                                  char               **envp);
StokCliRun  *stok_cli_run_start_with_input (const char * const  *args,
                                            char               **envp,
                                            const char          *input);
StokCliRun  *stok_cli_run_start_full (const char * const  *args,
                                      char               **envp,
                                      const char          *input,
                                      const char          *stdout_path);
gboolean     stok_cli_run_done   (StokCliRun          *run);
void         stok_cli_run_wait   (StokCliRun          *run);
StokCliRun  *stok_cli_run        (const char * const  *args,
                                  char               **envp);
void         stok_cli_run_free   (StokCliRun          *run);
void         stok_assert_one_line (const char         *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StokCliRun, stok_cli_run_free)

G_END_DECLS
