/* stok-params.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The ranges of GET /v3/token, from the OpenAPI document. */
#define STOK_EXPIRES_IN_MIN            1
#define STOK_EXPIRES_IN_MAX            600
#define STOK_EXPIRES_IN_DEFAULT        60
#define STOK_MAX_SESSION_MIN           60
#define STOK_MAX_SESSION_MAX           10800
#define STOK_MAX_SESSION_DEFAULT       10800

#define STOK_DEFAULT_SERVER            "https://streaming.assemblyai.com"
#define STOK_US_SERVER                 "https://streaming.us.assemblyai.com"
#define STOK_EU_SERVER                 "https://streaming.eu.assemblyai.com"

gboolean  stok_params_check_expires_in   (gint64        expires_in_seconds,
                                          GError      **error);
gboolean  stok_params_check_max_session  (gint64        max_session_seconds,
                                          GError      **error);
gboolean  stok_params_parse_seconds      (const char   *text,
                                          gint64       *out_value);
GUri     *stok_params_parse_server       (const char   *text,
                                          GError      **error);
gboolean  stok_params_is_loopback_host   (const char   *host);
gboolean  stok_params_is_default_server  (GUri         *server);
char     *stok_params_build_token_uri    (GUri         *server,
                                          gint64        expires_in_seconds,
                                          gint64        max_session_seconds);
char     *stok_params_server_to_string   (GUri         *server);
char     *stok_params_server_for_region  (const char   *region,
                                          const char   *custom_server,
                                          GError      **error);
char     *stok_trim_api_key              (const char   *text);

G_END_DECLS
