/* stok-wheel.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean stok_wheel_scroll_page          (GtkWidget                *inside,
                                          GtkEventControllerScroll *controller,
                                          double                    dy);
void     stok_wheel_only_when_focused    (GtkWidget                *field);

G_END_DECLS
