/* stok-source-group.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-session.h"
#include "stok-session-setup.h"

G_BEGIN_DECLS

#define STOK_TYPE_SOURCE_GROUP (stok_source_group_get_type())

G_DECLARE_FINAL_TYPE (StokSourceGroup, stok_source_group, STOK, SOURCE_GROUP, AdwPreferencesGroup)

GtkWidget        *stok_source_group_new         (void);
StokSessionSetup *stok_source_group_get_setup   (StokSourceGroup  *self);
void              stok_source_group_set_setup   (StokSourceGroup  *self,
                                                 StokSessionSetup *setup);
StokSession      *stok_source_group_get_session (StokSourceGroup  *self);
void              stok_source_group_set_narrow  (StokSourceGroup  *self,
                                                 gboolean          narrow);
void              stok_source_group_set_session (StokSourceGroup  *self,
                                                 StokSession      *session);

G_END_DECLS
