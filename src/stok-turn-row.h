/* stok-turn-row.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "stok-turn.h"

G_BEGIN_DECLS

#define STOK_TYPE_TURN_ROW (stok_turn_row_get_type())

G_DECLARE_FINAL_TYPE (StokTurnRow, stok_turn_row, STOK, TURN_ROW, GtkWidget)

GtkWidget          *stok_turn_row_new            (void);
StokTurn           *stok_turn_row_get_turn       (StokTurnRow *self);
void                stok_turn_row_set_turn       (StokTurnRow *self,
                                                  StokTurn    *turn);
char               *stok_turn_row_dup_tooltip_at (StokTurnRow *self,
                                                  double       x,
                                                  double       y);
GtkListItemFactory *stok_turn_row_new_factory    (void);

G_END_DECLS
