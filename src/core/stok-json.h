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
gboolean  stok_ends_sentence  (const char  *text);
char     *stok_dup_sentence   (const char  *text);

const char *stok_json_get_string  (JsonObject *object,
                                   const char *name);
gboolean    stok_json_get_number  (JsonObject *object,
                                   const char *name,
                                   double     *out_value);
char       *stok_json_to_line     (JsonNode   *node);
gboolean    stok_json_get_boolean (JsonObject *object,
                                   const char *name,
                                   gboolean   *out_value);

G_END_DECLS
