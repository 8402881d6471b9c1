/* stok-key-source.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "stok-key-store.h"

G_BEGIN_DECLS

/* The environment variable a key may come from, before the keyring. */
#define STOK_KEY_ENVIRONMENT_VARIABLE "ASSEMBLYAI_API_KEY"

typedef enum
{
  STOK_KEY_ORIGIN_NONE,
  STOK_KEY_ORIGIN_ENVIRONMENT,
  STOK_KEY_ORIGIN_KEYRING,
  STOK_KEY_ORIGIN_TYPED,
} StokKeyOrigin;

#define STOK_TYPE_KEY_ORIGIN (stok_key_origin_get_type ())
GType stok_key_origin_get_type (void);

#define STOK_TYPE_KEY_SOURCE (stok_key_source_get_type())

G_DECLARE_FINAL_TYPE (StokKeySource, stok_key_source, STOK, KEY_SOURCE, GObject)

StokKeySource *stok_key_source_new                (StokKeyStore         *store);
StokKeyStore  *stok_key_source_get_key_store      (StokKeySource        *self);
const char    *stok_key_source_get_key            (StokKeySource        *self);
void           stok_key_source_set_key            (StokKeySource        *self,
                                                   const char           *text);
StokKeyOrigin  stok_key_source_get_origin         (StokKeySource        *self);
gboolean       stok_key_source_get_saved          (StokKeySource        *self);
gboolean       stok_key_source_get_has_stored_key (StokKeySource        *self);
gboolean       stok_key_source_get_looking_up     (StokKeySource        *self);
gboolean       stok_key_source_get_saving         (StokKeySource        *self);
const char    *stok_key_source_get_problem        (StokKeySource        *self);
gboolean       stok_key_source_get_can_undo_forget (StokKeySource       *self);
void           stok_key_source_load_async         (StokKeySource        *self,
                                                   gboolean              keyring_too,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
char          *stok_key_source_load_finish        (StokKeySource        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void           stok_key_source_save_async         (StokKeySource        *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean       stok_key_source_save_finish        (StokKeySource        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void           stok_key_source_forget_async       (StokKeySource        *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean       stok_key_source_forget_finish      (StokKeySource        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void           stok_key_source_undo_forget_async  (StokKeySource        *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean       stok_key_source_undo_forget_finish (StokKeySource        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
