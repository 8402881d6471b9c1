/* stok-history-group.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-clock.h"
#include "stok-history.h"

G_BEGIN_DECLS

#define STOK_TYPE_HISTORY_GROUP (stok_history_group_get_type())

G_DECLARE_FINAL_TYPE (StokHistoryGroup, stok_history_group, STOK, HISTORY_GROUP, AdwPreferencesGroup)

GtkWidget   *stok_history_group_new         (void);
StokHistory *stok_history_group_get_history (StokHistoryGroup *self);
void         stok_history_group_set_history (StokHistoryGroup *self,
                                             StokHistory      *history);
StokClock   *stok_history_group_get_clock   (StokHistoryGroup *self);
void         stok_history_group_set_clock   (StokHistoryGroup *self,
                                             StokClock        *clock);
StokMint    *stok_history_group_get_shown   (StokHistoryGroup *self);
void         stok_history_group_set_shown   (StokHistoryGroup *self,
                                             StokMint         *shown);
void         stok_history_group_update      (StokHistoryGroup *self);

G_END_DECLS
