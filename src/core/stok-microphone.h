/* stok-microphone.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define STOK_TYPE_MICROPHONE (stok_microphone_get_type())

G_DECLARE_FINAL_TYPE (StokMicrophone, stok_microphone, STOK, MICROPHONE, GObject)

StokMicrophone *stok_microphone_new         (const char           *name,
                                             const char           *label);
const char     *stok_microphone_get_name    (StokMicrophone       *self);
const char     *stok_microphone_get_label   (StokMicrophone       *self);

void            stok_microphone_list_async  (GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GListModel     *stok_microphone_list_finish (GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
