/* stok-exchange.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What an API key looks like wherever a request is shown or copied. */
#define STOK_MASKED_KEY "••••••••"

#define STOK_TYPE_EXCHANGE (stok_exchange_get_type())

G_DECLARE_FINAL_TYPE (StokExchange, stok_exchange, STOK, EXCHANGE, GObject)

StokExchange *stok_exchange_new                  (const char    *method,
                                                  const char    *uri);
const char   *stok_exchange_get_method           (StokExchange  *self);
const char   *stok_exchange_get_uri              (StokExchange  *self);
void          stok_exchange_add_request_header   (StokExchange  *self,
                                                  const char    *name,
                                                  const char    *value);
const char   *stok_exchange_get_request_headers  (StokExchange  *self);
void          stok_exchange_add_response_header  (StokExchange  *self,
                                                  const char    *name,
                                                  const char    *value);
const char   *stok_exchange_get_response_headers (StokExchange  *self);
void          stok_exchange_set_status           (StokExchange  *self,
                                                  guint          status,
                                                  const char    *reason);
guint         stok_exchange_get_status           (StokExchange  *self);
const char   *stok_exchange_get_reason           (StokExchange  *self);
void          stok_exchange_set_latency          (StokExchange  *self,
                                                  gint64         latency_us);
gint64        stok_exchange_get_latency          (StokExchange  *self);
void          stok_exchange_set_body             (StokExchange  *self,
                                                  GBytes        *body);
GBytes       *stok_exchange_get_body             (StokExchange  *self);
char         *stok_exchange_dup_body_text        (StokExchange  *self);
void          stok_exchange_set_retry_after      (StokExchange  *self,
                                                  gint64         seconds);
gint64        stok_exchange_get_retry_after      (StokExchange  *self);
const char   *stok_exchange_get_server_error     (StokExchange  *self);
const char   *stok_exchange_get_server_code      (StokExchange  *self);
const char   *stok_exchange_get_server_details   (StokExchange  *self);
gboolean      stok_exchange_parse_error_body     (StokExchange  *self);
void          stok_exchange_mask_secret          (StokExchange  *self,
                                                  const char    *secret);
char         *stok_exchange_dup_curl_command     (StokExchange  *self);
char         *stok_exchange_dup_summary          (StokExchange  *self);

gboolean      stok_parse_error_body              (const char    *body,
                                                  gsize          length,
                                                  char         **out_error,
                                                  char         **out_code,
                                                  char         **out_details);
gint64        stok_parse_retry_after             (const char    *value,
                                                  GDateTime     *now);

G_END_DECLS
