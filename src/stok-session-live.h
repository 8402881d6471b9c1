/* stok-session-live.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-clock.h"
#include "stok-session.h"

G_BEGIN_DECLS

#define STOK_TYPE_SESSION_LIVE (stok_session_live_get_type())

G_DECLARE_FINAL_TYPE (StokSessionLive, stok_session_live, STOK, SESSION_LIVE, AdwBin)

GtkWidget   *stok_session_live_new             (void);
StokSession *stok_session_live_get_session     (StokSessionLive *self);
void         stok_session_live_set_session     (StokSessionLive *self,
                                                StokSession     *session);
StokClock   *stok_session_live_get_clock       (StokSessionLive *self);
void         stok_session_live_set_clock       (StokSessionLive *self,
                                                StokClock       *clock);
void         stok_session_live_update          (StokSessionLive *self);
gint64       stok_session_live_get_next_change (StokSessionLive *self);
void         stok_session_live_set_narrow      (StokSessionLive *self,
                                                gboolean         narrow);
gboolean     stok_session_live_get_follows     (StokSessionLive *self);

G_END_DECLS
