/* stok-params-group.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-session-setup.h"

G_BEGIN_DECLS

#define STOK_TYPE_PARAMS_GROUP (stok_params_group_get_type())

G_DECLARE_FINAL_TYPE (StokParamsGroup, stok_params_group, STOK, PARAMS_GROUP, AdwPreferencesGroup)

GtkWidget        *stok_params_group_new         (void);
StokSessionSetup *stok_params_group_get_setup   (StokParamsGroup  *self);
void              stok_params_group_set_setup   (StokParamsGroup  *self,
                                                 StokSessionSetup *setup);
gboolean          stok_params_group_get_running (StokParamsGroup  *self);
void              stok_params_group_set_running (StokParamsGroup  *self,
                                                 gboolean          running);
const char       *stok_params_group_get_problem (StokParamsGroup  *self);

G_END_DECLS
