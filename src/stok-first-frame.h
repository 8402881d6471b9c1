/* stok-first-frame.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STOK_FIRST_FRAME_ENV "STOK_BENCHMARK_FIRST_FRAME"

void stok_first_frame_watch             (GtkWindow      *window);
void stok_first_frame_watch_application (GtkApplication *app);

G_END_DECLS
