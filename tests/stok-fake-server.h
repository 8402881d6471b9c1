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

/* What the fake server can be told to do to the next streaming session
 * (or to every one), to run a client's failure matrix. Their names, for
 * fake-token-server's --ws-fault, are in stok_fake_fault_get_name(). */
typedef enum
{
  STOK_FAKE_FAULT_NONE,
  STOK_FAKE_FAULT_REFUSE_UPGRADE,     /* an HTTP status instead of 101 */
  STOK_FAKE_FAULT_ERROR_AFTER_BEGIN,  /* an Error, then a close with its code */
  STOK_FAKE_FAULT_DROP_AFTER_BEGIN,   /* the TCP connection closed, no close frame */
  STOK_FAKE_FAULT_GARBAGE_TEXT,       /* a text frame that is not JSON */
  STOK_FAKE_FAULT_BINARY_FRAME,       /* a binary frame from the server */
  STOK_FAKE_FAULT_HUGE_TEXT,          /* a valid Turn of (by default) 2 MiB */
  STOK_FAKE_FAULT_UNKNOWN_TYPE,       /* {"type": "Heartbeat", ...} */
  STOK_FAKE_FAULT_NO_BEGIN,           /* the token is accepted, Begin never comes */
  STOK_FAKE_FAULT_IGNORE_TERMINATE,   /* Terminate gets no Termination */
  STOK_FAKE_FAULT_FLOOD,              /* partial and final turns as fast as it can */
  STOK_FAKE_FAULT_BROKEN_TEXT,        /* a text frame that is not UTF-8 */
  STOK_FAKE_FAULT_BROKEN_BEGIN,       /* in place of Begin, a text frame that is not UTF-8 */
  STOK_FAKE_FAULT_ERROR_NO_CLOSE,     /* an Error after Begin, and no close */
  STOK_FAKE_FAULT_ERROR_NO_BEGIN,     /* in place of Begin, an Error, and no close */
  STOK_FAKE_FAULT_END_SESSION,        /* Termination unasked, then a close, as an
                                       * inactivity_timeout ends a session */
} StokFakeFault;

#define STOK_FAKE_FAULT_LAST STOK_FAKE_FAULT_END_SESSION

/* A fault and its details; the fields a fault does not use are ignored.
 * When: after @after_frames audio frames if that is not 0, else
 * @after_ms of wall time after Begin (0: right after it). */
typedef struct
{
  StokFakeFault fault;
  guint after_ms;
  guint after_frames;
  guint status;         /* REFUSE_UPGRADE: the HTTP status, e.g. 401 */
  gushort code;         /* ERROR_AFTER_BEGIN: the Error's code and the close code */
  const char *reason;   /* ERROR_AFTER_BEGIN: the server's words */
  gsize size;           /* HUGE_TEXT: its size in bytes, 0 for 2 MiB */
  guint n_partials;     /* FLOOD: partial turns to send */
  guint n_finals;       /* FLOOD: final turns among them */
  guint rate;           /* FLOOD: Turn messages a second, 0 for as fast as it can */
} StokFakeFaultSpec;

/* An audio frame as the fake server received it. */
typedef struct
{
  gint64 received_us;   /* g_get_monotonic_time () when it arrived */
  gsize n_bytes;
  gint64 audio_us;      /* the audio it holds, at the session's rate and encoding */
} StokFakeAudioFrame;

/* A text frame the fake server received or sent. */
typedef struct
{
  char *text;
  char *type;           /* its "type", or NULL if it has none */
  gint64 at_us;         /* g_get_monotonic_time () when it came or went */
  gint64 audio_us;      /* how much audio the session had received by then */
} StokFakeMessage;

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

gboolean            stok_fake_close_code_is_sendable          (guint            code);
void                stok_fake_server_set_websocket_close      (StokFakeServer  *self,
                                                               gushort          code,
                                                               const char      *reason);
void                stok_fake_server_set_websocket_delay      (StokFakeServer  *self,
                                                               guint            delay_ms);
void                stok_fake_server_set_termination_delay    (StokFakeServer  *self,
                                                               guint            delay_ms);
guint               stok_fake_server_get_websocket_count      (StokFakeServer  *self);
guint               stok_fake_server_get_n_open_websockets    (StokFakeServer  *self);
guint               stok_fake_server_get_n_terminated         (StokFakeServer  *self);
const char         *stok_fake_server_get_last_session_id      (StokFakeServer  *self);
const char         *stok_fake_server_get_last_websocket_query (StokFakeServer  *self);

/* The streaming session: what the last one received and sent, and the
 * faults of the next one. */
guint               stok_fake_server_get_n_upgrade_requests   (StokFakeServer  *self);
const char         *stok_fake_server_get_session_parameter    (StokFakeServer  *self,
                                                               const char      *name);
gint64              stok_fake_server_get_begin_sent_us        (StokFakeServer  *self);
guint               stok_fake_server_get_n_audio_frames       (StokFakeServer  *self);
const StokFakeAudioFrame *
                    stok_fake_server_get_audio_frame          (StokFakeServer  *self,
                                                               guint            index);
gint64              stok_fake_server_get_audio_received_us    (StokFakeServer  *self);
guint               stok_fake_server_get_n_received           (StokFakeServer  *self);
const StokFakeMessage *
                    stok_fake_server_get_received             (StokFakeServer  *self,
                                                               guint            index);
guint               stok_fake_server_get_n_sent               (StokFakeServer  *self);
const StokFakeMessage *
                    stok_fake_server_get_sent                 (StokFakeServer  *self,
                                                               guint            index);
guint               stok_fake_server_count_sent               (StokFakeServer  *self,
                                                               const char      *type);
guint               stok_fake_server_get_n_final_turns        (StokFakeServer  *self);

void                stok_fake_server_set_fault                (StokFakeServer          *self,
                                                               const StokFakeFaultSpec *spec,
                                                               gboolean                 every_session);
void                stok_fake_server_clear_fault              (StokFakeServer  *self);

const char         *stok_fake_fault_get_name                  (StokFakeFault    fault);
gboolean            stok_fake_fault_from_name                 (const char      *name,
                                                               StokFakeFault   *out_fault);
char               *stok_fake_server_dup_rules_markdown       (void);

G_END_DECLS
