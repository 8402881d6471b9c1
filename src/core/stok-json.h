/* stok-json.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The deepest nesting accepted from a server. The token reply is one
 * level deep, a streaming Turn message three. */
#define STOK_JSON_MAX_DEPTH 32

JsonNode *stok_json_parse     (const char  *data,
                               gsize        length,
                               GError     **error);
char     *stok_dup_printable  (const char  *text,
                               gssize       length);

G_END_DECLS
