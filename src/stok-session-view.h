/* stok-session-view.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stok-clock.h"
#include "stok-mint.h"
#include "stok-session.h"
#include "stok-session-setup.h"

G_BEGIN_DECLS

#define STOK_TYPE_SESSION_VIEW (stok_session_view_get_type())

G_DECLARE_FINAL_TYPE (StokSessionView, stok_session_view, STOK, SESSION_VIEW, AdwBin)

GtkWidget        *stok_session_view_new                  (void);
StokSessionSetup *stok_session_view_get_setup            (StokSessionView *self);
StokSession      *stok_session_view_get_session          (StokSessionView *self);
void              stok_session_view_set_session          (StokSessionView *self,
                                                          StokSession     *session);
gboolean          stok_session_view_get_running          (StokSessionView *self);
gboolean          stok_session_view_get_starting         (StokSessionView *self);
void              stok_session_view_set_starting         (StokSessionView *self,
                                                          gboolean         starting);
StokMint         *stok_session_view_get_mint             (StokSessionView *self);
void              stok_session_view_set_mint             (StokSessionView *self,
                                                          StokMint        *mint);
gboolean          stok_session_view_get_token_redeemable (StokSessionView *self);
void              stok_session_view_set_token_redeemable (StokSessionView *self,
                                                          gboolean         redeemable);
gboolean          stok_session_view_get_can_mint         (StokSessionView *self);
void              stok_session_view_set_can_mint         (StokSessionView *self,
                                                          gboolean         can_mint);
const char       *stok_session_view_get_server           (StokSessionView *self);
void              stok_session_view_set_server           (StokSessionView *self,
                                                          const char      *server);
guint             stok_session_view_get_mint_wait        (StokSessionView *self);
void              stok_session_view_set_mint_wait        (StokSessionView *self,
                                                          guint            mint_wait);
StokClock        *stok_session_view_get_clock            (StokSessionView *self);
void              stok_session_view_set_clock            (StokSessionView *self,
                                                          StokClock       *clock);
gboolean          stok_session_view_get_uses_shown_token (StokSessionView *self);
void              stok_session_view_show_problem         (StokSessionView *self,
                                                          const GError    *problem);
gboolean          stok_session_view_open_file            (StokSessionView *self,
                                                          GFile           *file);
void              stok_session_view_set_narrow           (StokSessionView *self,
                                                          gboolean         narrow);
void              stok_session_view_present_live         (StokSessionView *self);
void              stok_session_view_present_ending       (StokSessionView *self);
void              stok_session_view_update               (StokSessionView *self);
gint64            stok_session_view_get_next_change      (StokSessionView *self);

G_END_DECLS
