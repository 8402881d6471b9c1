/* stok-cli.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of the command line, as documented in the README. */
typedef enum
{
  STOK_EXIT_OK = 0,
  STOK_EXIT_FAILED = 1,
  STOK_EXIT_USAGE = 2,
} StokExitStatus;

gboolean  stok_cli_wants_command_line (int    argc,
                                       char **argv);
int       stok_cli_run                (int    argc,
                                       char **argv);

G_END_DECLS
