/* stok-fake-server-private.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* StokFakeServer spans five files: stok-fake-server.c is the object,
 * listening and taking requests; stok-fake-server-replies.c how it
 * answers them, per spec or as told; stok-fake-server-token.c GET
 * /v3/token per spec; stok-fake-server-ws.c the streaming side, the
 * upgrade, the redemption of a token, sessions and their faults;
 * stok-fake-server-last-session.c what tests read of the last session.
 * This is what they share. */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "stok-fake-server.h"
#include "stok-fake-session.h"

G_BEGIN_DECLS

/* A reply a test told the server to give, sent as it is. */
typedef struct
{
  guint status;
  char *content_type;
  GBytes *body;
} StokFakeServerReply;

/* A token the server minted, by its text in the tokens table. */
typedef struct
{
  gint64 expires_in_seconds;
  gint64 max_session_seconds;
  gint64 minted_at_us;
  gboolean redeemed;
} StokFakeMinted;

struct _StokFakeServer
{
  GObject parent_instance;

  SoupServer *server;
  StokClock *clock;
  char *url;
  char *api_key;
  StokFakeServerReply *reply;
  GQueue queued_replies;
  GHashTable *extra_headers;
  GHashTable *tokens;
  char *last_token;
  GList *pending;
  SoupMessageHeaders *last_headers;
  char *last_path;
  char *last_query;
  GList *sessions;
  StokFakeSession *last_session;
  char *last_session_id;
  char *last_websocket_query;
  char *websocket_close_reason;
  guint websocket_count;
  guint websocket_delay_ms;
  guint termination_delay_ms;
  guint n_terminated;
  guint n_upgrade_requests;
  StokFakeFaultSpec fault;
  char *fault_reason;
  gboolean fault_every_session;
  gushort websocket_close_code;
  guint port;
  guint delay_ms;
  guint request_count;
  gboolean chunked;
};

/* stok-fake-server-replies.c */
void     _stok_fake_server_answer               (StokFakeServer      *self,
                                                 SoupServerMessage   *message);
void     _stok_fake_server_reply_free           (gpointer             data);

/* stok-fake-server-token.c */
void     _stok_fake_server_answer_per_spec      (StokFakeServer      *self,
                                                 SoupServerMessage   *message);
const char *_stok_fake_server_reason_phrase   (guint                status);
void     _stok_fake_server_set_json_reply       (SoupServerMessage   *message,
                                                 guint                status,
                                                 JsonBuilder         *builder);

/* stok-fake-server-ws.c */
void     _stok_fake_server_class_websocket_init (StokFakeServerClass *klass);
void     _stok_fake_server_websocket_init       (StokFakeServer      *self);

G_END_DECLS
