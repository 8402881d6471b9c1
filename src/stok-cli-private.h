/* stok-cli-private.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The command line spans two files: stok-cli.c reads the options, checks
 * them, finds the key and mints; stok-cli-session.c runs a session. This
 * is what they share. */

#pragma once

#include "stok-audio-source.h"
#include "stok-cli.h"
#include "stok-stream-params.h"
#include "stok-token-client.h"

G_BEGIN_DECLS

typedef enum
{
  STOK_CLI_MODE_PRINT_TOKEN,
  STOK_CLI_MODE_VERIFY,
  STOK_CLI_MODE_TRANSCRIBE,
} StokCliMode;

typedef struct
{
  StokCliMode mode;
  gboolean json;
  gboolean token_stdin;
  gint64 expires_in;
  gint64 max_session;
  char *server;
  char *file;
  StokStreamParams *params;
} StokCliOptions;

gboolean  stok_cli_print_line        (const char      *line);
gboolean  stok_cli_get_output_failed (void);
void      stok_cli_set_output_failed (int errsv);
void      stok_cli_print_error       (const char      *message);
char     *stok_cli_format_unix_utc   (gint64           unix_seconds);
int       stok_cli_run_session       (StokCliOptions  *options,
                                      StokTokenClient *client,
                                      StokToken       *token,
                                      StokAudioSource *source,
                                      GCancellable    *cancellable);

G_END_DECLS
