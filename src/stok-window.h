/* stok-window.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-application.h"

G_BEGIN_DECLS

#define STOK_TYPE_WINDOW (stok_window_get_type())

G_DECLARE_FINAL_TYPE (StokWindow, stok_window, STOK, WINDOW, AdwApplicationWindow)

StokWindow *stok_window_new (StokApplication *application);

G_END_DECLS
