/* stok-raw-server.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the raw server does once it has read a request's headers: the ways
 * a network misbehaves that a well-behaved SoupServer cannot imitate. */
typedef enum
{
  STOK_RAW_SILENT,          /* never answer, and keep the connection open */
  STOK_RAW_SCRIPT,          /* send the reply as it is, then close */
  STOK_RAW_TRICKLE,         /* send the head at once, then the body a byte at a time */
  STOK_RAW_RESET_MID_BODY,  /* send the head and half the body, then reset the connection */
  STOK_RAW_WEBSOCKET_DEAF,  /* take a WebSocket upgrade, send the reply's frames, then
                             * read and ignore everything, a close too, and never close */
} StokRawMode;

#define STOK_TYPE_RAW_SERVER (stok_raw_server_get_type())

G_DECLARE_FINAL_TYPE (StokRawServer, stok_raw_server, STOK, RAW_SERVER, GObject)

StokRawServer *stok_raw_server_new                 (void);
gboolean       stok_raw_server_listen              (StokRawServer  *self,
                                                    GError        **error);
const char    *stok_raw_server_get_url             (StokRawServer  *self);
guint          stok_raw_server_get_port            (StokRawServer  *self);
void           stok_raw_server_set_reply           (StokRawServer  *self,
                                                    StokRawMode     mode,
                                                    const char     *reply,
                                                    gssize          length);
void           stok_raw_server_set_trickle_interval (StokRawServer *self,
                                                    guint           interval_ms);
guint          stok_raw_server_get_n_connections   (StokRawServer  *self);
guint          stok_raw_server_get_n_open          (StokRawServer  *self);
guint          stok_raw_server_get_n_requests      (StokRawServer  *self);
gsize          stok_raw_server_get_n_bytes_sent    (StokRawServer  *self);
const char    *stok_raw_server_get_last_request    (StokRawServer  *self);

char          *stok_raw_reply_new                  (guint           status,
                                                    const char     *content_type,
                                                    const char     *body);
void           stok_raw_server_set_websocket_messages (StokRawServer      *self,
                                                       const char * const *messages);

G_END_DECLS
