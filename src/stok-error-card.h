/* stok-error-card.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-exchange.h"

G_BEGIN_DECLS

#define STOK_TYPE_ERROR_CARD (stok_error_card_get_type())

G_DECLARE_FINAL_TYPE (StokErrorCard, stok_error_card, STOK, ERROR_CARD, AdwBin)

GtkWidget    *stok_error_card_new       (void);
void          stok_error_card_show      (StokErrorCard *self,
                                         const GError  *error,
                                         StokExchange  *exchange,
                                         const char    *server);
void          stok_error_card_hide      (StokErrorCard *self);
void          stok_error_card_focus     (StokErrorCard *self);
const GError *stok_error_card_get_error (StokErrorCard *self);

G_END_DECLS
