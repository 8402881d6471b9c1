/* stok-test-pulse.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *daemon;
  char        *dir;
} StokTestPulse;

gboolean stok_test_pulse_start (StokTestPulse *pulse,
                                const char    *tmp_dir);
void     stok_test_pulse_stop  (StokTestPulse *pulse);
void     stok_test_pulse_die_with_test (gpointer data);

G_END_DECLS
