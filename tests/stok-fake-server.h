/* stok-fake-server.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "stok-clock.h"

G_BEGIN_DECLS

/* The JWT header (HS256) that the spec's example token starts with. */
#define STOK_FAKE_TOKEN_PREFIX "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."

/* What AssemblyAI answers to a missing or wrong key. */
#define STOK_FAKE_UNAUTHORIZED_MESSAGE "Authentication error, API token missing/invalid"

/* How the streaming WebSocket refuses a token, in the Error message and
 * as the reason of the 1008 close. */
#define STOK_FAKE_WS_MISSING_TOKEN "Unauthorized connection: token missing"
#define STOK_FAKE_WS_INVALID_TOKEN "Unauthorized connection: token invalid"
#define STOK_FAKE_WS_EXPIRED_TOKEN "Unauthorized connection: token expired"
#define STOK_FAKE_WS_USED_TOKEN    "Unauthorized connection: token already used"

/* Replies that break the spec in the ways servers and proxies do. */
typedef enum
{
  STOK_FAKE_REPLY_EMPTY,                /* 200, no body */
  STOK_FAKE_REPLY_MALFORMED_JSON,       /* 200, JSON cut short */
  STOK_FAKE_REPLY_NOT_JSON,             /* 200, an HTML page */
  STOK_FAKE_REPLY_ARRAY,                /* 200, a JSON array instead of an object */
  STOK_FAKE_REPLY_MISSING_TOKEN,        /* 200, no "token" */
  STOK_FAKE_REPLY_MISSING_EXPIRES,      /* 200, no "expires_in_seconds" */
  STOK_FAKE_REPLY_TOKEN_NOT_STRING,     /* 200, "token" is a number */
  STOK_FAKE_REPLY_EXPIRES_NOT_INTEGER,  /* 200, "expires_in_seconds" is a string */
  STOK_FAKE_REPLY_GATEWAY_HTML,         /* 502, an HTML page from a proxy */
} StokFakeReply;

#define STOK_TYPE_FAKE_SERVER (stok_fake_server_get_type())

G_DECLARE_FINAL_TYPE (StokFakeServer, stok_fake_server, STOK, FAKE_SERVER, GObject)

StokFakeServer     *stok_fake_server_new                      (void);
StokFakeServer     *stok_fake_server_new_listening            (void);
gboolean            stok_fake_server_listen                   (StokFakeServer  *self,
                                                               guint            port,
                                                               GError         **error);
const char         *stok_fake_server_get_url                  (StokFakeServer  *self);
guint               stok_fake_server_get_port                 (StokFakeServer  *self);
SoupServer         *stok_fake_server_get_soup_server          (StokFakeServer  *self);
StokClock          *stok_fake_server_get_clock                (StokFakeServer  *self);
void                stok_fake_server_set_clock                (StokFakeServer  *self,
                                                               StokClock       *clock);
void                stok_fake_server_set_api_key              (StokFakeServer  *self,
                                                               const char      *api_key);

void                stok_fake_server_set_reply                (StokFakeServer  *self,
                                                               guint            status,
                                                               const char      *content_type,
                                                               const char      *body,
                                                               gssize           length);
void                stok_fake_server_queue_reply              (StokFakeServer  *self,
                                                               guint            status,
                                                               const char      *content_type,
                                                               const char      *body,
                                                               gssize           length);
void                stok_fake_server_set_canned_reply         (StokFakeServer  *self,
                                                               StokFakeReply    reply);
void                stok_fake_server_set_huge_reply           (StokFakeServer  *self,
                                                               gsize            n_bytes);
void                stok_fake_server_clear_replies            (StokFakeServer  *self);
void                stok_fake_server_set_delay                (StokFakeServer  *self,
                                                               guint            delay_ms);
void                stok_fake_server_set_extra_header         (StokFakeServer  *self,
                                                               const char      *name,
                                                               const char      *value);
void                stok_fake_server_set_chunked              (StokFakeServer  *self,
                                                               gboolean         chunked);

guint               stok_fake_server_get_request_count        (StokFakeServer  *self);
SoupMessageHeaders *stok_fake_server_get_last_request_headers (StokFakeServer  *self);
const char         *stok_fake_server_get_last_request_header  (StokFakeServer  *self,
                                                               const char      *name);
const char         *stok_fake_server_get_last_request_path    (StokFakeServer  *self);
const char         *stok_fake_server_get_last_request_query   (StokFakeServer  *self);

guint               stok_fake_server_get_n_tokens             (StokFakeServer  *self);
const char         *stok_fake_server_get_last_token           (StokFakeServer  *self);
gboolean            stok_fake_server_lookup_token             (StokFakeServer  *self,
                                                               const char      *token,
                                                               gint64          *out_expires_in_seconds,
                                                               gint64          *out_max_session_seconds,
                                                               gint64          *out_minted_at_us);
gboolean            stok_fake_server_is_token_redeemed        (StokFakeServer  *self,
                                                               const char      *token);

void                stok_fake_server_set_websocket_close      (StokFakeServer  *self,
                                                               gushort          code,
                                                               const char      *reason);
void                stok_fake_server_set_websocket_delay      (StokFakeServer  *self,
                                                               guint            delay_ms);
guint               stok_fake_server_get_websocket_count      (StokFakeServer  *self);
guint               stok_fake_server_get_n_open_websockets    (StokFakeServer  *self);
guint               stok_fake_server_get_n_terminated         (StokFakeServer  *self);
const char         *stok_fake_server_get_last_session_id      (StokFakeServer  *self);
const char         *stok_fake_server_get_last_websocket_query (StokFakeServer  *self);

G_END_DECLS
