/* stok-fake-session.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "stok-clock.h"
#include "stok-fake-server.h"

G_BEGIN_DECLS

/* One streaming session of the fake server, private to it: the server
 * redeems the token and owns the session; tests reach what a session
 * recorded through stok-fake-server.h. */

#define STOK_TYPE_FAKE_SESSION (stok_fake_session_get_type())

G_DECLARE_FINAL_TYPE (StokFakeSession, stok_fake_session, STOK, FAKE_SESSION, GObject)

StokFakeSession          *stok_fake_session_new                   (SoupWebsocketConnection *connection,
                                                                   StokClock               *clock);
const char               *stok_fake_session_get_id                (StokFakeSession         *self);
gboolean                  stok_fake_session_is_open               (StokFakeSession         *self);

void                      stok_fake_session_refuse                (StokFakeSession         *self,
                                                                   gushort                  code,
                                                                   const char              *text);
gboolean                  stok_fake_session_configure             (StokFakeSession         *self,
                                                                   GHashTable              *query);
void                      stok_fake_session_set_max_session_seconds (StokFakeSession       *self,
                                                                   gint64                   seconds);
void                      stok_fake_session_set_fault             (StokFakeSession         *self,
                                                                   const StokFakeFaultSpec *spec);
void                      stok_fake_session_set_termination_delay (StokFakeSession         *self,
                                                                   guint                    delay_ms);
void                      stok_fake_session_begin                 (StokFakeSession         *self,
                                                                   guint                    delay_ms);
void                      stok_fake_session_abandon               (StokFakeSession         *self);

const char               *stok_fake_session_get_parameter         (StokFakeSession         *self,
                                                                   const char              *name);
gint64                    stok_fake_session_get_begin_sent_us     (StokFakeSession         *self);
GPtrArray                *stok_fake_session_get_audio_frames      (StokFakeSession         *self);
gint64                    stok_fake_session_get_audio_received_us (StokFakeSession         *self);
GPtrArray                *stok_fake_session_get_received          (StokFakeSession         *self);
GPtrArray                *stok_fake_session_get_sent              (StokFakeSession         *self);
guint                     stok_fake_session_count_sent            (StokFakeSession         *self,
                                                                   const char              *type);
guint                     stok_fake_session_get_n_final_turns     (StokFakeSession         *self);

char                     *stok_fake_session_dup_rules_markdown    (void);

G_END_DECLS
