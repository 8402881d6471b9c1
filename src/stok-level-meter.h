/* stok-level-meter.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The range the meter shows, in dBFS: quiet room noise sits near the
 * floor, speech between -30 and -10. */
#define STOK_LEVEL_METER_FLOOR (-60.0)

#define STOK_TYPE_LEVEL_METER (stok_level_meter_get_type())

G_DECLARE_FINAL_TYPE (StokLevelMeter, stok_level_meter, STOK, LEVEL_METER, GtkWidget)

GtkWidget *stok_level_meter_new          (void);
double     stok_level_meter_get_level    (StokLevelMeter *self);
void       stok_level_meter_set_level    (StokLevelMeter *self,
                                          double          level);
double     stok_level_meter_get_fraction (StokLevelMeter *self);

G_END_DECLS
