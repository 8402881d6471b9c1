/* stok-stream-params-private.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* StokStreamParams spans two files: stok-stream-params-table.c knows
 * each parameter and its rules, stok-stream-params.c keeps a set of
 * values and writes them as a URI or a message. */

#pragma once

#include "stok-stream-params.h"

G_BEGIN_DECLS

gboolean  _stok_stream_params_name_is_valid (const char  *name);
char     *_stok_stream_params_normalize     (const char  *name,
                                             const char  *value,
                                             GError     **error);

G_END_DECLS
