/* stok-key-group.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-key-source.h"

G_BEGIN_DECLS

#define STOK_TYPE_KEY_GROUP (stok_key_group_get_type())

G_DECLARE_FINAL_TYPE (StokKeyGroup, stok_key_group, STOK, KEY_GROUP, AdwPreferencesGroup)

GtkWidget     *stok_key_group_new            (void);
StokKeySource *stok_key_group_get_key_source (StokKeyGroup  *self);
void           stok_key_group_set_key_source (StokKeyGroup  *self,
                                              StokKeySource *key_source);

G_END_DECLS
