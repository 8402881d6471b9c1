/* stok-announcer.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STOK_TYPE_ANNOUNCER (stok_announcer_get_type())

G_DECLARE_FINAL_TYPE (StokAnnouncer, stok_announcer, STOK, ANNOUNCER, GObject)

StokAnnouncer *stok_announcer_new        (GtkWindow     *window);
GtkWindow     *stok_announcer_get_window (StokAnnouncer *self);
void           stok_announcer_announce   (StokAnnouncer *self,
                                          const char    *message);

G_END_DECLS
