/* stok-durations-group.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-announcer.h"

G_BEGIN_DECLS

#define STOK_TYPE_DURATIONS_GROUP (stok_durations_group_get_type())

G_DECLARE_FINAL_TYPE (StokDurationsGroup, stok_durations_group, STOK, DURATIONS_GROUP, AdwPreferencesGroup)

GtkWidget *stok_durations_group_new             (void);
void       stok_durations_group_commit          (StokDurationsGroup *self);
gint64     stok_durations_group_get_expires_in  (StokDurationsGroup *self);
gint64     stok_durations_group_get_max_session (StokDurationsGroup *self);

G_END_DECLS
