/* stok-focus-keeper.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STOK_TYPE_FOCUS_KEEPER (stok_focus_keeper_get_type())

G_DECLARE_FINAL_TYPE (StokFocusKeeper, stok_focus_keeper, STOK, FOCUS_KEEPER, GObject)

/**
 * StokFocusKeeperFunc:
 * @last_focus: (nullable): where the focus was before GTK dropped it
 * @user_data: the data given to stok_focus_keeper_new()
 *
 * Puts the keyboard focus back after GTK dropped it; or leaves it, when
 * @last_focus says the focus was not the caller's to keep.
 */
typedef void (*StokFocusKeeperFunc) (GtkWidget *last_focus,
                                     gpointer   user_data);

StokFocusKeeper *stok_focus_keeper_new            (StokFocusKeeperFunc  refocus,
                                                   gpointer             user_data);
GtkRoot         *stok_focus_keeper_get_root       (StokFocusKeeper     *self);
void             stok_focus_keeper_set_root       (StokFocusKeeper     *self,
                                                   GtkRoot             *root);
GtkWidget       *stok_focus_keeper_get_last_focus (StokFocusKeeper     *self);

G_END_DECLS
