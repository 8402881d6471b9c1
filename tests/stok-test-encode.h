/* stok-test-encode.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *stok_test_encode (const char *dir,
                        const char *name,
                        const char *pipeline);
gboolean stok_test_can_decode (const char *caps);

G_END_DECLS
