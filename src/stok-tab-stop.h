/* stok-tab-stop.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define STOK_TYPE_TAB_STOP (stok_tab_stop_get_type())

G_DECLARE_FINAL_TYPE (StokTabStop, stok_tab_stop, STOK, TAB_STOP, AdwBin)

GtkWidget *stok_tab_stop_new (void);

G_END_DECLS
