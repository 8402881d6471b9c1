/* stok-clipboard.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The most an X11 clipboard text may hold here, counted as GTK may
 * convert it: GTK 4.8 hangs on 256 KiB and more (see stok-clipboard.c). */
#define STOK_CLIPBOARD_X11_MAX_BYTES (240 * 1024)

gboolean stok_clipboard_set_text (GtkWidget  *widget,
                                  const char *text);

G_END_DECLS
