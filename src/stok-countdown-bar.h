/* stok-countdown-bar.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The levels of what is left: the error colour at or under a tenth, the
 * warning colour at or under a fifth. */
#define STOK_COUNTDOWN_BAR_CRITICAL 0.10
#define STOK_COUNTDOWN_BAR_LOW      0.20

#define STOK_TYPE_COUNTDOWN_BAR (stok_countdown_bar_get_type())

G_DECLARE_FINAL_TYPE (StokCountdownBar, stok_countdown_bar, STOK, COUNTDOWN_BAR, GtkWidget)

GtkWidget *stok_countdown_bar_new          (void);
double     stok_countdown_bar_get_fraction (StokCountdownBar *self);
void       stok_countdown_bar_set_fraction (StokCountdownBar *self,
                                            double            fraction);

G_END_DECLS
