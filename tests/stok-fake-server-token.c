/* stok-fake-server-token.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* GET /v3/token as spec/streaming-token.openapi.yaml says: the key, the
 * parameters and their ranges, and the tokens minted, which the
 * streaming side redeems. */

#define G_LOG_DOMAIN "stok-fake-server"

#include "config.h"

#include <string.h>

#include "stok-fake-server-private.h"

#define TOKEN_PATH "/v3/token"

/* The ranges of GET /v3/token, restated from the spec rather than taken
 * from stok-params.h, so that a wrong constant there shows up as a test
 * failure instead of agreeing with itself. */
#define EXPIRES_IN_MIN      1
#define EXPIRES_IN_MAX      600
#define MAX_SESSION_MIN     60
#define MAX_SESSION_MAX     10800
#define MAX_SESSION_DEFAULT 10800

static char *
base64url (const guchar *data,
           gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *end;

  /* JWTs use the URL-safe alphabet without padding. */
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  end = strchr (text, '=');
  if (end != NULL)
    *end = '\0';

  return text;
}

static char *
make_token (gint64 expires_in_seconds,
            gint64 max_session_seconds)
{
  g_autofree char *jti = g_uuid_string_random ();
  g_autofree char *claims = NULL;
  g_autofree char *claims64 = NULL;
  g_autofree char *signature64 = NULL;
  guint32 signature[8];

  /* Looks like AssemblyAI's tokens, a JWT, but the claims mean nothing:
   * the client must treat the token as opaque. */
  claims = g_strdup_printf ("{\"jti\":\"%s\",\"exp_in\":%" G_GINT64_FORMAT ",\"max_session\":%" G_GINT64_FORMAT ",\"iat\":%" G_GINT64_FORMAT "}",
                            jti, expires_in_seconds, max_session_seconds,
                            g_get_real_time () / G_USEC_PER_SEC);
  for (guint i = 0; i < G_N_ELEMENTS (signature); i++)
    signature[i] = g_random_int ();

  claims64 = base64url ((const guchar *) claims, strlen (claims));
  signature64 = base64url ((const guchar *) signature, sizeof signature);

  return g_strconcat (STOK_FAKE_TOKEN_PREFIX, claims64, ".", signature64, NULL);
}

/* libsoup 3.2 knows no phrase for 429 and would send "Unknown Error",
 * which no real server does. */
const char *
_stok_fake_server_reason_phrase (guint status)
{
  return status == 429 ? "Too Many Requests" : NULL;
}

void
_stok_fake_server_set_json_reply (SoupServerMessage *message,
                                  guint              status,
                                  JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  char *body = json_to_string (root, FALSE);

  soup_server_message_set_status (message, status, _stok_fake_server_reason_phrase (status));
  soup_server_message_set_response (message, "application/json",
                                    SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
set_error_reply (SoupServerMessage *message,
                 guint              status,
                 const char        *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);

  _stok_fake_server_set_json_reply (message, status, builder);
}

static void
set_invalid_parameter_reply (SoupServerMessage *message,
                             const char        *parameter,
                             const char        *value,
                             gint64             minimum,
                             gint64             maximum,
                             const char        *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, "invalid_parameter");
  json_builder_set_member_name (builder, "details");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "parameter");
  json_builder_add_string_value (builder, parameter);
  if (value != NULL)
    {
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, value);
    }
  json_builder_set_member_name (builder, "minimum");
  json_builder_add_int_value (builder, minimum);
  json_builder_set_member_name (builder, "maximum");
  json_builder_add_int_value (builder, maximum);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  _stok_fake_server_set_json_reply (message, SOUP_STATUS_BAD_REQUEST, builder);
}

static gboolean
parse_integer (const char *text,
               gint64     *out_value)
{
  const char *p = text;

  /* Digits only, as an integer query parameter is: no "+", no spaces,
   * no "60.0". */
  if (*p == '-')
    p++;
  if (*p == '\0' || strlen (p) > 18)
    return FALSE;
  for (; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  *out_value = g_ascii_strtoll (text, NULL, 10);
  return TRUE;
}

static gboolean
check_parameter (SoupServerMessage *message,
                 GHashTable        *query,
                 const char        *name,
                 gboolean           required,
                 gint64             minimum,
                 gint64             maximum,
                 gint64             fallback,
                 gint64            *out_value)
{
  const char *value = g_hash_table_lookup (query, name);
  g_autofree char *text = NULL;

  if (value == NULL && !required)
    {
      *out_value = fallback;
      return TRUE;
    }

  if (value == NULL)
    text = g_strdup_printf ("%s is required", name);
  else if (!parse_integer (value, out_value))
    text = g_strdup_printf ("%s must be an integer, not \"%s\"", name, value);
  else if (*out_value < minimum || *out_value > maximum)
    text = g_strdup_printf ("%s must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT,
                            name, minimum, maximum);
  else
    return TRUE;

  set_invalid_parameter_reply (message, name, value, minimum, maximum, text);
  return FALSE;
}

void
_stok_fake_server_answer_per_spec (StokFakeServer    *self,
                                   SoupServerMessage *message)
{
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *token = NULL;
  GUri *uri = soup_server_message_get_uri (message);
  const char *key;
  StokFakeMinted *minted;
  gint64 expires_in = 0;
  gint64 max_session = 0;

  if (g_strcmp0 (g_uri_get_path (uri), TOKEN_PATH) != 0)
    {
      set_error_reply (message, SOUP_STATUS_NOT_FOUND, "Not found");
      return;
    }

  if (g_strcmp0 (soup_server_message_get_method (message), SOUP_METHOD_GET) != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "Allow", SOUP_METHOD_GET);
      set_error_reply (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed");
      return;
    }

  /* The key comes raw, without "Bearer". The server checks it before it
   * looks at the parameters, as the real one does. */
  key = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                      "Authorization");
  if (key == NULL || *key == '\0' ||
      (self->api_key != NULL && g_strcmp0 (key, self->api_key) != 0))
    {
      set_error_reply (message, SOUP_STATUS_UNAUTHORIZED, STOK_FAKE_UNAUTHORIZED_MESSAGE);
      return;
    }

  if (g_uri_get_query (uri) != NULL)
    query = soup_form_decode (g_uri_get_query (uri));
  else
    query = g_hash_table_new (g_str_hash, g_str_equal);

  if (!check_parameter (message, query, "expires_in_seconds", TRUE,
                        EXPIRES_IN_MIN, EXPIRES_IN_MAX, 0, &expires_in) ||
      !check_parameter (message, query, "max_session_duration_seconds", FALSE,
                        MAX_SESSION_MIN, MAX_SESSION_MAX, MAX_SESSION_DEFAULT, &max_session))
    return;

  token = make_token (expires_in, max_session);

  minted = g_new0 (StokFakeMinted, 1);
  minted->expires_in_seconds = expires_in;
  minted->max_session_seconds = max_session;
  minted->minted_at_us = stok_clock_get_time (self->clock);
  g_hash_table_insert (self->tokens, g_strdup (token), minted);
  g_free (self->last_token);
  self->last_token = g_strdup (token);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expires_in_seconds");
  json_builder_add_int_value (builder, expires_in);
  json_builder_end_object (builder);

  _stok_fake_server_set_json_reply (message, SOUP_STATUS_OK, builder);
}

guint
stok_fake_server_get_n_tokens (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), 0);

  return g_hash_table_size (self->tokens);
}

/**
 * stok_fake_server_get_last_token:
 * @self: a #StokFakeServer
 *
 * Returns: (transfer none) (nullable): the token minted last
 */
const char *
stok_fake_server_get_last_token (StokFakeServer *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), NULL);

  return self->last_token;
}

/**
 * stok_fake_server_lookup_token:
 * @self: a #StokFakeServer
 * @token: a token
 * @out_expires_in_seconds: (out) (optional): its redemption window
 * @out_max_session_seconds: (out) (optional): its session cap, the default
 *   when none was asked for
 * @out_minted_at_us: (out) (optional): when it was minted, on the server's
 *   clock
 *
 * Returns: %TRUE if this server minted @token
 */
gboolean
stok_fake_server_lookup_token (StokFakeServer *self,
                               const char     *token,
                               gint64         *out_expires_in_seconds,
                               gint64         *out_max_session_seconds,
                               gint64         *out_minted_at_us)
{
  StokFakeMinted *minted;

  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), FALSE);

  if (token == NULL || !(minted = g_hash_table_lookup (self->tokens, token)))
    return FALSE;

  if (out_expires_in_seconds != NULL)
    *out_expires_in_seconds = minted->expires_in_seconds;
  if (out_max_session_seconds != NULL)
    *out_max_session_seconds = minted->max_session_seconds;
  if (out_minted_at_us != NULL)
    *out_minted_at_us = minted->minted_at_us;

  return TRUE;
}

/**
 * stok_fake_server_is_token_redeemed:
 * @self: a #StokFakeServer
 * @token: a token
 *
 * Returns: %TRUE if this server minted @token and a session was opened
 *   with it
 */
gboolean
stok_fake_server_is_token_redeemed (StokFakeServer *self,
                                    const char     *token)
{
  StokFakeMinted *minted;

  g_return_val_if_fail (STOK_IS_FAKE_SERVER (self), FALSE);

  if (token == NULL || !(minted = g_hash_table_lookup (self->tokens, token)))
    return FALSE;

  return minted->redeemed;
}
