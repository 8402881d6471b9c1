/* stok-close-code.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Who a close code points at, so that the window and the command line can
 * say where to look. */
typedef enum
{
  STOK_CLOSE_BLAME_NONE,     /* a normal end */
  STOK_CLOSE_BLAME_TOKEN,    /* the token or the account */
  STOK_CLOSE_BLAME_CLIENT,   /* what this app, or the client, sent */
  STOK_CLOSE_BLAME_SERVER,   /* the server or the network */
  STOK_CLOSE_BLAME_LIMIT,    /* a limit of the account or the session */
} StokCloseBlame;

typedef struct
{
  gushort         code;
  StokCloseBlame  blame;
  /* Short, for a headline: "Unauthorized". */
  const char     *title;
  /* One sentence: what it means on AssemblyAI's streaming API. */
  const char     *meaning;
} StokCloseCode;

const StokCloseCode *stok_close_code_lookup   (gushort code);
const char          *stok_close_code_title    (gushort code);
const char          *stok_close_code_meaning  (gushort code);

G_END_DECLS
