/* stok-test-ws-client.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A plain libsoup WebSocket client of the fake server's streaming
 * sessions, rather than the app's engine, which the fake is there to
 * test; audio paced on the monotonic clock; and audio made in the test. */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "stok-fake-server.h"

G_BEGIN_DECLS

/* What a client of the session sees. */
typedef struct
{
  SoupSession *session;
  SoupMessage *message;
  SoupWebsocketConnection *connection;
  GPtrArray *texts;        /* char *, every text frame in order */
  GPtrArray *objects;      /* JsonObject *, or NULL where a text is not one */
  guint n_binary;
  gboolean closed;
  gushort close_code;
  char *close_reason;
  guint status;            /* the HTTP status when the upgrade was refused */
} StokWsClient;

/* Audio, paced: frame i goes out half a second (LEAD_MS) before it is
 * due in real time. */
typedef struct
{
  const guint8 *data;
  gsize length;
  gsize frame_bytes;
  guint frame_ms;
  gsize offset;
  guint n_sent;
  gint64 start_us;
} StokWsStream;

void        stok_ws_client_open_uri       (StokWsClient   *client,
                                           const char     *uri);
void        stok_ws_client_open           (StokWsClient   *client,
                                           StokFakeServer *server,
                                           const char     *query);
void        stok_ws_client_clear          (StokWsClient   *client);
guint       stok_ws_client_count          (StokWsClient   *client,
                                           const char     *type);
JsonObject *stok_ws_client_get            (StokWsClient   *client,
                                           const char     *type,
                                           guint           nth);
void        stok_ws_client_wait_for       (StokWsClient   *client,
                                           const char     *type,
                                           guint           n);
void        stok_ws_client_wait_for_texts (StokWsClient   *client,
                                           guint           n);
void        stok_ws_client_wait_closed    (StokWsClient   *client);
void        stok_ws_client_assert_error   (StokWsClient   *client,
                                           gushort         code,
                                           const char     *words);
void        stok_ws_client_send           (StokWsClient   *client,
                                           const char     *text);
JsonObject *stok_ws_client_terminate      (StokWsClient   *client);
const char *stok_ws_object_type           (JsonObject     *object);

void        stok_ws_stream_init           (StokWsStream   *stream,
                                           GBytes         *audio,
                                           guint           frame_ms,
                                           guint           bytes_per_ms);
void        stok_ws_stream_send           (StokWsClient   *client,
                                           StokWsStream   *stream,
                                           guint           n_frames);

char       *stok_ws_mint                  (StokFakeServer *server,
                                           const char     *query);
void        stok_ws_open_session          (StokWsClient   *client,
                                           StokFakeServer *server,
                                           const char     *parameters,
                                           gboolean        expect_begin);

GBytes     *stok_ws_make_audio            (guint           rate,
                                           const guint    *segments,
                                           guint           n_segments);
GBytes     *stok_ws_to_mulaw              (GBytes         *s16);

G_END_DECLS
