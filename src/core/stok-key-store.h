/* stok-key-store.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define STOK_KEY_STORE_SCHEMA_NAME "io.github.streamingtoken.StreamingToken.ApiKey"
#define STOK_KEY_STORE_DEFAULT_TIMEOUT 10

#define STOK_TYPE_KEY_STORE (stok_key_store_get_type())

G_DECLARE_FINAL_TYPE (StokKeyStore, stok_key_store, STOK, KEY_STORE, GObject)

const SecretSchema *stok_key_store_get_schema   (void);
StokKeyStore       *stok_key_store_new          (void);
void                stok_key_store_set_timeout  (StokKeyStore         *self,
                                                 guint                 timeout_seconds);
void                stok_key_store_lookup_async (StokKeyStore         *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
char               *stok_key_store_lookup_finish (StokKeyStore        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void                stok_key_store_store_async  (StokKeyStore         *self,
                                                 const char           *api_key,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean            stok_key_store_store_finish (StokKeyStore         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void                stok_key_store_clear_async  (StokKeyStore         *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean            stok_key_store_clear_finish (StokKeyStore         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
