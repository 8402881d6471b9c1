/* stok-mint.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "stok-exchange.h"
#include "stok-session.h"
#include "stok-token.h"

G_BEGIN_DECLS

#define STOK_TYPE_MINT (stok_mint_get_type())

G_DECLARE_FINAL_TYPE (StokMint, stok_mint, STOK, MINT, GObject)

StokMint         *stok_mint_new              (StokToken        *token,
                                              StokExchange     *exchange);
StokToken        *stok_mint_get_token        (StokMint         *self);
StokExchange     *stok_mint_get_exchange     (StokMint         *self);
GListModel       *stok_mint_get_sessions     (StokMint         *self);
StokSession      *stok_mint_get_last_session (StokMint         *self);
void              stok_mint_add_session      (StokMint         *self,
                                              StokSession      *session);

G_END_DECLS
