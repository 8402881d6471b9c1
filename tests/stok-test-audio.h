/* stok-test-audio.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  STOK_TEST_TONE,     /* 440 Hz at -6 dBFS */
  STOK_TEST_SILENCE,  /* digital zero */
} StokTestSignal;

char *stok_test_write_wav        (const char     *dir,
                                  const char     *name,
                                  guint           rate,
                                  guint           channels,
                                  guint           duration_ms,
                                  StokTestSignal  signal);
char *stok_test_write_sparse_wav (const char     *dir,
                                  const char     *name,
                                  guint           rate,
                                  guint64         duration_s);
gboolean stok_test_process_maps  (const char     *library);

G_END_DECLS
