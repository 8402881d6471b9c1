/* stok-turn-text.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STOK_TYPE_TURN_TEXT (stok_turn_text_get_type())

G_DECLARE_FINAL_TYPE (StokTurnText, stok_turn_text, STOK, TURN_TEXT, GtkWidget)

GtkWidget     *stok_turn_text_new            (void);
const char    *stok_turn_text_get_text       (StokTurnText  *self);
PangoAttrList *stok_turn_text_get_attributes (StokTurnText  *self);
void           stok_turn_text_set_text       (StokTurnText  *self,
                                              const char    *text,
                                              PangoAttrList *attributes);
PangoLayout   *stok_turn_text_get_layout     (StokTurnText  *self);

G_END_DECLS
