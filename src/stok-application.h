/* stok-application.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-key-source.h"

G_BEGIN_DECLS

#define STOK_TYPE_APPLICATION (stok_application_get_type())

G_DECLARE_FINAL_TYPE (StokApplication, stok_application, STOK, APPLICATION, AdwApplication)

StokApplication *stok_application_new        (void);
const char      *stok_application_get_server (StokApplication *self);
StokKeySource   *stok_application_get_key_source (StokApplication *self);

G_END_DECLS
