/* stok-token-panel.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-announcer.h"
#include "stok-clock.h"
#include "stok-mint.h"

G_BEGIN_DECLS

#define STOK_TYPE_TOKEN_PANEL (stok_token_panel_get_type())

G_DECLARE_FINAL_TYPE (StokTokenPanel, stok_token_panel, STOK, TOKEN_PANEL, AdwBin)

GtkWidget     *stok_token_panel_new           (void);
StokMint      *stok_token_panel_get_mint      (StokTokenPanel *self);
void           stok_token_panel_set_mint      (StokTokenPanel *self,
                                               StokMint       *mint);
StokClock     *stok_token_panel_get_clock     (StokTokenPanel *self);
void           stok_token_panel_set_clock     (StokTokenPanel *self,
                                               StokClock      *clock);
StokAnnouncer *stok_token_panel_get_announcer (StokTokenPanel *self);
void           stok_token_panel_set_announcer (StokTokenPanel *self,
                                               StokAnnouncer  *announcer);
gboolean       stok_token_panel_get_redeemable (StokTokenPanel *self);
void           stok_token_panel_update        (StokTokenPanel *self);
gint64         stok_token_panel_get_next_change (StokTokenPanel *self);
void           stok_token_panel_present       (StokTokenPanel *self);
void           stok_token_panel_focus         (StokTokenPanel *self);

G_END_DECLS
