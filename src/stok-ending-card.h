/* stok-ending-card.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-session.h"

G_BEGIN_DECLS

#define STOK_TYPE_ENDING_CARD (stok_ending_card_get_type())

G_DECLARE_FINAL_TYPE (StokEndingCard, stok_ending_card, STOK, ENDING_CARD, AdwBin)

GtkWidget    *stok_ending_card_new         (void);
StokSession  *stok_ending_card_get_session (StokEndingCard *self);
void          stok_ending_card_set_session (StokEndingCard *self,
                                            StokSession    *session);
void          stok_ending_card_set_shown_token (StokEndingCard *self,
                                                StokToken      *token);
const GError *stok_ending_card_get_problem (StokEndingCard *self);
void          stok_ending_card_set_problem (StokEndingCard *self,
                                            const GError   *problem);

G_END_DECLS
