/* stok-clock.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define STOK_TYPE_CLOCK (stok_clock_get_type())

G_DECLARE_FINAL_TYPE (StokClock, stok_clock, STOK, CLOCK, GObject)

StokClock *stok_clock_get_default  (void);
StokClock *stok_clock_new_manual   (gint64     start_us);
gint64     stok_clock_get_time     (StokClock *self);
void       stok_clock_advance      (StokClock *self,
                                    gint64     delta_us);

G_END_DECLS
