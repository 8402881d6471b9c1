/* stok-audio-backend.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "stok-gst-audio.h"

G_BEGIN_DECLS

const StokGstAudioFuncs *stok_audio_backend_get         (GError **error);
gboolean                 stok_audio_backend_is_loaded   (void);

G_END_DECLS
