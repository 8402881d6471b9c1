/* stok-reveal.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What a libadwaita toast covers at the bottom of a window: 48 px of
 * toast, its 24 px margin below and 12 px above. */
#define STOK_REVEAL_TOAST_CLEARANCE 84

void stok_reveal       (GtkWidget *widget,
                        int        clearance);
void stok_reveal_below (GtkWidget *widget,
                        GtkWidget *top,
                        int        clearance);

G_END_DECLS
