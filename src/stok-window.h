/* stok-window.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-application.h"
#include "stok-clock.h"
#include "stok-key-source.h"
#include "stok-token.h"
#include "stok-token-client.h"

G_BEGIN_DECLS

#define STOK_TYPE_WINDOW (stok_window_get_type())

G_DECLARE_FINAL_TYPE (StokWindow, stok_window, STOK, WINDOW, AdwApplicationWindow)

StokWindow      *stok_window_new              (StokApplication *application,
                                               const char      *server);
const char      *stok_window_get_server       (StokWindow      *self);
StokClock       *stok_window_get_clock        (StokWindow      *self);
void             stok_window_set_clock        (StokWindow      *self,
                                               StokClock       *clock);
gboolean         stok_window_get_busy         (StokWindow      *self);
StokToken       *stok_window_get_token        (StokWindow      *self);
StokTokenClient *stok_window_get_token_client (StokWindow      *self);
StokKeySource   *stok_window_get_key_source   (StokWindow      *self);
GFile           *stok_window_get_audio_file   (StokWindow      *self);
gboolean         stok_window_open_audio_file  (StokWindow      *self,
                                               GFile           *file);

G_END_DECLS
