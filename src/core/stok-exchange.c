/* stok-exchange.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One HTTP exchange with a token server, kept for debugging: what was
 * asked (with the key masked), what came back and how long it took, and
 * the server's own error fields. The API key is never stored here. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

#include "stok-exchange.h"
#include "stok-json.h"

/* Error bodies larger than this are not worth parsing for a message. */
#define STOK_EXCHANGE_MAX_ERROR_BODY (64 * 1024)

struct _StokExchange
{
  GObject parent_instance;

  char *method;
  char *uri;
  GString *request_headers;
  GString *response_headers;
  char *reason;
  GBytes *body;
  char *server_error;
  char *server_code;
  char *server_details;
  gint64 latency_us;
  gint64 retry_after;
  guint status;
};

G_DEFINE_FINAL_TYPE (StokExchange, stok_exchange, G_TYPE_OBJECT)

static void
stok_exchange_finalize (GObject *object)
{
  StokExchange *self = (StokExchange *)object;

  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->uri, g_free);
  g_string_free (self->request_headers, TRUE);
  g_string_free (self->response_headers, TRUE);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_pointer (&self->server_error, g_free);
  g_clear_pointer (&self->server_code, g_free);
  g_clear_pointer (&self->server_details, g_free);

  G_OBJECT_CLASS (stok_exchange_parent_class)->finalize (object);
}

static void
stok_exchange_class_init (StokExchangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stok_exchange_finalize;
}

static void
stok_exchange_init (StokExchange *self)
{
  self->request_headers = g_string_new (NULL);
  self->response_headers = g_string_new (NULL);
  self->retry_after = -1;
}

StokExchange *
stok_exchange_new (const char *method,
                   const char *uri)
{
  StokExchange *self = g_object_new (STOK_TYPE_EXCHANGE, NULL);

  self->method = g_strdup (method);
  self->uri = g_strdup (uri);

  return self;
}

const char *
stok_exchange_get_method (StokExchange *self)
{
  g_return_val_if_fail (STOK_IS_EXCHANGE (self), NULL);

  return self->method;
}

const char *
stok_exchange_get_uri (StokExchange *self)
{
  g_return_val_if_fail (STOK_IS_EXCHANGE (self), NULL);

  return self->uri;
}

/**
 * stok_exchange_add_request_header:
 * @self: a #StokExchange
 * @name: a header name
 * @value: its value
 *
 * Records a request header. The value of `Authorization` is replaced by
 * %STOK_MASKED_KEY before it is stored, so the key cannot leak from here.
 */
void
stok_exchange_add_request_header (StokExchange *self,
                                  const char   *name,
                                  const char   *value)
{
  g_return_if_fail (STOK_IS_EXCHANGE (self));

  if (g_ascii_strcasecmp (name, "Authorization") == 0)
    value = STOK_MASKED_KEY;

  g_string_append_printf (self->request_headers, "%s: %s\n", name, value);
}

/**
 * stok_exchange_get_request_headers:
 * @self: a #StokExchange
 *
 * Returns: (transfer none): the request headers, one "Name: value" a line
 */
const char *
stok_exchange_get_request_headers (StokExchange *self)
{
  g_return_val_if_fail (STOK_IS_EXCHANGE (self), NULL);

  return self->request_headers->str;
}

void
stok_exchange_add_response_header (StokExchange *self,
                                   const char   *name,
                                   const char   *value)
{
  g_return_if_fail (STOK_IS_EXCHANGE (self));

  g_string_append_printf (self->response_headers, "%s: %s\n", name, value);
}

const char *
stok_exchange_get_response_headers (StokExchange *self)
{
  g_return_val_if_fail (STOK_IS_EXCHANGE (self), NULL);

  return self->response_headers->str;
}

void
stok_exchange_set_status (StokExchange *self,
                          guint         status,
                          const char   *reason)
{
  g_return_if_fail (STOK_IS_EXCHANGE (self));

  self->status = status;
  g_free (self->reason);
  self->reason = g_strdup (reason);
}

/**
 * stok_exchange_get_status:
 * @self: a #StokExchange
 *
 * Returns: the HTTP status, or 0 when no reply came
 */
guint
stok_exchange_get_status (StokExchange *self)
{
  g_return_val_if_fail (STOK_IS_EXCHANGE (self), 0);

  return self->status;
}

const char *
stok_exchange_get_reason (StokExchange *self)
{
  g_return_val_if_fail (STOK_IS_EXCHANGE (self), NULL);

  return self->reason;
}

void
stok_exchange_set_latency (StokExchange *self,
                           gint64        latency_us)
{
  g_return_if_fail (STOK_IS_EXCHANGE (self));

  self->latency_us = latency_us;
}

/**
 * stok_exchange_get_latency:
 * @self: a #StokExchange
 *
 * Returns: microseconds from sending the request to the end of the reply
 */
gint64
stok_exchange_get_latency (StokExchange *self)
{
  g_return_val_if_fail (STOK_IS_EXCHANGE (self), 0);

  return self->latency_us;
}

void
stok_exchange_set_body (StokExchange *self,
                        GBytes       *body)
{
  g_return_if_fail (STOK_IS_EXCHANGE (self));

  g_clear_pointer (&self->body, g_bytes_unref);
  if (body != NULL)
    self->body = g_bytes_ref (body);
}

/**
 * stok_exchange_get_body:
 * @self: a #StokExchange
 *
 * Returns: (transfer none) (nullable): the raw reply body
 */
GBytes *
stok_exchange_get_body (StokExchange *self)
{
  g_return_val_if_fail (STOK_IS_EXCHANGE (self), NULL);

  return self->body;
}

/**
 * stok_exchange_dup_body_text:
 * @self: a #StokExchange
 *
 * Returns: (transfer full): the body as valid UTF-8, JSON pretty-printed,
 *   anything else as it came with invalid bytes replaced
 */
char *
stok_exchange_dup_body_text (StokExchange *self)
{
  g_autoptr(JsonNode) root = NULL;
  const char *data;
  gsize length = 0;

  g_return_val_if_fail (STOK_IS_EXCHANGE (self), NULL);

  if (self->body == NULL)
    return g_strdup ("");

  data = g_bytes_get_data (self->body, &length);
  if (length == 0)
    return g_strdup ("");

  root = g_utf8_validate_len (data, length, NULL) ? stok_json_parse (data, length, NULL) : NULL;
  if (root != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_pretty (generator, TRUE);
      json_generator_set_root (generator, root);
      return json_generator_to_data (generator, NULL);
    }

  return g_utf8_make_valid (data, (gssize) MIN (length, G_MAXSSIZE));
}

void
stok_exchange_set_retry_after (StokExchange *self,
                               gint64        seconds)
{
  g_return_if_fail (STOK_IS_EXCHANGE (self));

  self->retry_after = seconds;
}

/**
 * stok_exchange_get_retry_after:
 * @self: a #StokExchange
 *
 * Returns: the seconds the server asked to wait, or -1 if it did not say
 */
gint64
stok_exchange_get_retry_after (StokExchange *self)
{
  g_return_val_if_fail (STOK_IS_EXCHANGE (self), -1);

  return self->retry_after;
}

const char *
stok_exchange_get_server_error (StokExchange *self)
{
  g_return_val_if_fail (STOK_IS_EXCHANGE (self), NULL);

  return self->server_error;
}

const char *
stok_exchange_get_server_code (StokExchange *self)
{
  g_return_val_if_fail (STOK_IS_EXCHANGE (self), NULL);

  return self->server_code;
}

/**
 * stok_exchange_get_server_details:
 * @self: a #StokExchange
 *
 * Returns: (nullable): the server's `details`, as pretty-printed JSON
 */
const char *
stok_exchange_get_server_details (StokExchange *self)
{
  g_return_val_if_fail (STOK_IS_EXCHANGE (self), NULL);

  return self->server_details;
}

/**
 * stok_exchange_parse_error_body:
 * @self: a #StokExchange with a body
 *
 * Reads the server's `error`, `code` and `details` out of the body.
 *
 * Returns: %TRUE if the body was an error object with an `error` string
 */
gboolean
stok_exchange_parse_error_body (StokExchange *self)
{
  const char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (STOK_IS_EXCHANGE (self), FALSE);

  g_clear_pointer (&self->server_error, g_free);
  g_clear_pointer (&self->server_code, g_free);
  g_clear_pointer (&self->server_details, g_free);

  if (self->body != NULL)
    data = g_bytes_get_data (self->body, &length);

  return stok_parse_error_body (data, length,
                                &self->server_error,
                                &self->server_code,
                                &self->server_details);
}

/* @data with every copy of @secret replaced by STOK_MASKED_KEY, or NULL
 * if it holds none. */
static GByteArray *
mask_bytes (const guint8 *data,
            gsize         length,
            const char   *secret)
{
  gsize secret_length = strlen (secret);
  GByteArray *masked = NULL;
  gsize copied = 0;

  for (gsize i = 0; secret_length > 0 && i + secret_length <= length; )
    {
      if (memcmp (data + i, secret, secret_length) != 0)
        {
          i++;
          continue;
        }

      if (masked == NULL)
        masked = g_byte_array_sized_new (length);
      g_byte_array_append (masked, data + copied, i - copied);
      g_byte_array_append (masked, (const guint8 *) STOK_MASKED_KEY, strlen (STOK_MASKED_KEY));
      i += secret_length;
      copied = i;
    }

  if (masked != NULL)
    g_byte_array_append (masked, data + copied, length - copied);

  return masked;
}

static void
mask_string (char       **text,
             const char  *secret)
{
  GByteArray *masked;

  if (*text == NULL || (masked = mask_bytes ((const guint8 *) *text, strlen (*text), secret)) == NULL)
    return;

  g_byte_array_append (masked, (const guint8 *) "", 1);
  g_free (*text);
  *text = (char *) g_byte_array_free (masked, FALSE);
}

/**
 * stok_exchange_mask_secret:
 * @self: a #StokExchange
 * @secret: the API key the request carried
 *
 * Replaces every copy of @secret in what the server sent back so far (the
 * reason phrase, the response headers, the body and the error fields read
 * from it) by %STOK_MASKED_KEY. A server or a proxy that echoes the key in
 * an error must not put it on screen, in a terminal or on the clipboard.
 */
void
stok_exchange_mask_secret (StokExchange *self,
                           const char   *secret)
{
  GByteArray *masked;

  g_return_if_fail (STOK_IS_EXCHANGE (self));
  g_return_if_fail (secret != NULL);

  if (*secret == '\0')
    return;

  mask_string (&self->reason, secret);
  mask_string (&self->server_error, secret);
  mask_string (&self->server_code, secret);
  mask_string (&self->server_details, secret);

  masked = mask_bytes ((const guint8 *) self->response_headers->str, self->response_headers->len, secret);
  if (masked != NULL)
    {
      g_string_truncate (self->response_headers, 0);
      g_string_append_len (self->response_headers, (const char *) masked->data, masked->len);
      g_byte_array_unref (masked);
    }

  if (self->body != NULL)
    {
      gsize length = 0;
      const guint8 *data = g_bytes_get_data (self->body, &length);

      masked = mask_bytes (data, length, secret);
      if (masked != NULL)
        {
          g_bytes_unref (self->body);
          self->body = g_byte_array_free_to_bytes (masked);
        }
    }
}

/**
 * stok_exchange_dup_curl_command:
 * @self: a #StokExchange
 *
 * The command reads the key from `$ASSEMBLYAI_API_KEY` in the shell that
 * runs it, so that what is copied never holds the key itself; in bash,
 * zsh and fish alike, so not `${…:?}`, which fish refuses. Where it is not
 * set, the server refuses the empty key, and --fail-with-body (curl 7.76)
 * shows why and exits 22, where curl would have exited 0.
 *
 * Returns: (transfer full): a curl command line that repeats the request
 */
char *
stok_exchange_dup_curl_command (StokExchange *self)
{
  g_autofree char *quoted_uri = NULL;

  g_return_val_if_fail (STOK_IS_EXCHANGE (self), NULL);

  quoted_uri = g_shell_quote (self->uri);
  return g_strdup_printf ("curl -sS --fail-with-body -H \"Authorization: $ASSEMBLYAI_API_KEY\" %s", quoted_uri);
}

/**
 * stok_exchange_dup_summary:
 * @self: a #StokExchange
 *
 * Returns: (transfer full): the request line and headers, a blank line, and
 *   the status line and headers of the reply, as an HTTP trace reads; the
 *   key is masked
 */
char *
stok_exchange_dup_summary (StokExchange *self)
{
  GString *text;

  g_return_val_if_fail (STOK_IS_EXCHANGE (self), NULL);

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s %s\n%s", self->method, self->uri,
                          self->request_headers->str);
  if (self->status != 0)
    g_string_append_printf (text, "\nHTTP %u %s\n%s", self->status,
                            self->reason != NULL ? self->reason : "",
                            self->response_headers->str);

  return g_string_free (text, FALSE);
}

/**
 * stok_parse_error_body:
 * @body: (nullable): an error reply's body
 * @length: its length in bytes
 * @out_error: (out) (optional): the `error` message
 * @out_code: (out) (optional): the `code`, when a string
 * @out_details: (out) (optional): `details`, pretty-printed
 *
 * Parses the spec's Error object. Every member's type is checked; members
 * of the wrong type are ignored rather than trusted.
 *
 * Returns: %TRUE if @body held an object with an `error` string
 */
gboolean
stok_parse_error_body (const char  *body,
                       gsize        length,
                       char       **out_error,
                       char       **out_code,
                       char       **out_details)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *node;
  gboolean found = FALSE;

  if (out_error != NULL)
    *out_error = NULL;
  if (out_code != NULL)
    *out_code = NULL;
  if (out_details != NULL)
    *out_details = NULL;

  if (body == NULL || length == 0 || length > STOK_EXCHANGE_MAX_ERROR_BODY)
    return FALSE;

  root = stok_json_parse (body, length, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  object = json_node_get_object (root);

  node = json_object_get_member (object, "error");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    {
      found = TRUE;
      if (out_error != NULL)
        *out_error = stok_dup_printable (json_node_get_string (node), -1);
    }

  node = json_object_get_member (object, "code");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && out_code != NULL)
    {
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        *out_code = stok_dup_printable (json_node_get_string (node), -1);
      else if (json_node_get_value_type (node) == G_TYPE_INT64)
        *out_code = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    }

  node = json_object_get_member (object, "details");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) && out_details != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_pretty (generator, TRUE);
      json_generator_set_root (generator, node);
      *out_details = json_generator_to_data (generator, NULL);
    }

  return found;
}

/**
 * stok_parse_retry_after:
 * @value: (nullable): a Retry-After header value
 * @now: the current time, for the HTTP-date form
 *
 * Returns: the seconds to wait, or -1 when @value is absent or unreadable
 */
gint64
stok_parse_retry_after (const char *value,
                        GDateTime  *now)
{
  g_autoptr(GDateTime) date = NULL;
  const char *p;

  if (value == NULL)
    return -1;

  while (g_ascii_isspace (*value))
    value++;

  if (g_ascii_isdigit (*value))
    {
      guint64 seconds;

      for (p = value; g_ascii_isdigit (*p); p++)
        ;
      while (g_ascii_isspace (*p))
        p++;
      if (*p != '\0')
        return -1;

      seconds = g_ascii_strtoull (value, NULL, 10);
      /* A day is already more than anyone will wait. */
      return (gint64) MIN (seconds, 86400);
    }

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL || now == NULL)
    return -1;

  return CLAMP (g_date_time_difference (date, now) / G_USEC_PER_SEC, 0, 86400);
}
