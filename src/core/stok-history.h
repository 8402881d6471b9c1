/* stok-history.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "stok-mint.h"

G_BEGIN_DECLS

#define STOK_TYPE_HISTORY (stok_history_get_type())

G_DECLARE_FINAL_TYPE (StokHistory, stok_history, STOK, HISTORY, GObject)

StokHistory *stok_history_new            (void);
void         stok_history_add            (StokHistory *self,
                                          StokMint    *mint);
StokMint    *stok_history_find_token     (StokHistory *self,
                                          StokToken   *token);
gint64       stok_history_next_expiry    (StokHistory *self,
                                          gint64       now_us,
                                          StokMint   **out_first);

G_END_DECLS
