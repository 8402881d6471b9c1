/* stok-history-row.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "stok-clock.h"
#include "stok-mint.h"

G_BEGIN_DECLS

#define STOK_TYPE_HISTORY_ROW (stok_history_row_get_type())

G_DECLARE_FINAL_TYPE (StokHistoryRow, stok_history_row, STOK, HISTORY_ROW, GtkListBoxRow)

GtkWidget *stok_history_row_new      (StokMint       *mint,
                                      StokClock      *clock);
StokMint  *stok_history_row_get_mint (StokHistoryRow *self);
void       stok_history_row_update   (StokHistoryRow *self);
gboolean   stok_history_row_get_shown (StokHistoryRow *self);
void       stok_history_row_set_shown (StokHistoryRow *self,
                                       gboolean        shown);

G_END_DECLS
