/* stok-tls-server.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define STOK_TYPE_TLS_SERVER (stok_tls_server_get_type())

G_DECLARE_FINAL_TYPE (StokTlsServer, stok_tls_server, STOK, TLS_SERVER, GObject)

StokTlsServer *stok_tls_server_new            (GError        **error);
StokTlsServer *stok_tls_server_new_or_skip    (void);
const char    *stok_tls_server_get_url        (StokTlsServer  *self);
guint          stok_tls_server_get_n_requests (StokTlsServer  *self);

G_END_DECLS
