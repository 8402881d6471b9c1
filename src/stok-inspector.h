/* stok-inspector.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-exchange.h"
#include "stok-session.h"

G_BEGIN_DECLS

#define STOK_TYPE_INSPECTOR (stok_inspector_get_type())

G_DECLARE_FINAL_TYPE (StokInspector, stok_inspector, STOK, INSPECTOR, AdwWindow)

StokInspector *stok_inspector_new              (GtkWindow        *parent);
void           stok_inspector_set_exchange     (StokInspector    *self,
                                                StokExchange     *exchange);
void           stok_inspector_set_session      (StokInspector    *self,
                                                StokSession      *session);

G_END_DECLS
