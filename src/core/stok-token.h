/* stok-token.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The longest token accepted from a server. Real tokens are JWTs of a few
 * hundred bytes; anything near this is not a token. */
#define STOK_TOKEN_MAX_LENGTH 8192

typedef enum
{
  STOK_TOKEN_STATE_REDEEMABLE,
  STOK_TOKEN_STATE_EXPIRED,
  STOK_TOKEN_STATE_REDEEMED,
  STOK_TOKEN_STATE_REJECTED,
} StokTokenState;

#define STOK_TYPE_TOKEN (stok_token_get_type())

G_DECLARE_FINAL_TYPE (StokToken, stok_token, STOK, TOKEN, GObject)

StokToken      *stok_token_parse_reply            (const char     *body,
                                                   gsize           length,
                                                   GError        **error);
StokToken      *stok_token_new                    (const char     *token,
                                                   gint64          expires_in_seconds);
StokToken      *stok_token_new_pasted             (const char     *text,
                                                   const char     *server,
                                                   GError        **error);
gboolean        stok_token_get_expiry_known       (StokToken      *self);
const char     *stok_token_get_token              (StokToken      *self);
gint64          stok_token_get_expires_in_seconds (StokToken      *self);
gint64          stok_token_get_max_session_seconds (StokToken     *self);
void            stok_token_set_max_session_seconds (StokToken     *self,
                                                   gint64          max_session_seconds);
const char     *stok_token_get_server             (StokToken      *self);
void            stok_token_set_server             (StokToken      *self,
                                                   const char     *server);
gint64          stok_token_get_sent_at            (StokToken      *self);
GDateTime      *stok_token_get_sent_at_wall       (StokToken      *self);
void            stok_token_set_sent_at            (StokToken      *self,
                                                   gint64          sent_at_us,
                                                   GDateTime      *sent_at_wall);
gint64          stok_token_get_deadline           (StokToken      *self);
gint64          stok_token_get_remaining          (StokToken      *self,
                                                   gint64          now_us);
StokTokenState  stok_token_get_state              (StokToken      *self,
                                                   gint64          now_us);
void            stok_token_set_redeemed           (StokToken      *self,
                                                   gboolean        accepted);
char           *stok_token_to_json                (StokToken      *self,
                                                   gint64          now_us);
char           *stok_format_duration              (gint64          seconds);
char           *stok_format_seconds               (double          seconds);
int             stok_round_ms                     (gint64          us);
char           *stok_format_countdown             (gint64          remaining_us);
gint64          stok_countdown_until_change       (gint64          remaining_us);
char           *stok_format_date_time             (GDateTime      *time);

G_END_DECLS
