/* stok-token-client.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "stok-clock.h"
#include "stok-exchange.h"
#include "stok-token.h"

G_BEGIN_DECLS

/* Real token replies are under 1 KiB; the cap only stops a hostile or
 * broken server from filling memory. */
#define STOK_TOKEN_CLIENT_MAX_REPLY (64 * 1024)
#define STOK_TOKEN_CLIENT_DEFAULT_TIMEOUT 30

#define STOK_TYPE_TOKEN_CLIENT (stok_token_client_get_type())

G_DECLARE_FINAL_TYPE (StokTokenClient, stok_token_client, STOK, TOKEN_CLIENT, GObject)

StokTokenClient *stok_token_client_new          (void);
StokClock       *stok_token_client_get_clock    (StokTokenClient      *self);
void             stok_token_client_set_clock    (StokTokenClient      *self,
                                                 StokClock            *clock);
guint            stok_token_client_get_timeout  (StokTokenClient      *self);
void             stok_token_client_set_timeout  (StokTokenClient      *self,
                                                 guint                 timeout_seconds);
SoupSession     *stok_token_client_get_soup_session (StokTokenClient  *self,
                                                 GUri                 *server);
void             stok_token_client_mint_async   (StokTokenClient      *self,
                                                 const char           *server,
                                                 const char           *api_key,
                                                 gint64                expires_in_seconds,
                                                 gint64                max_session_seconds,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
StokToken       *stok_token_client_mint_finish  (StokTokenClient      *self,
                                                 GAsyncResult         *result,
                                                 StokExchange        **exchange,
                                                 GError              **error);

G_END_DECLS
