/* fuzz-server-url.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The server address and the durations are typed by the user or passed on
 * the command line, and the token from a server ends up in a WebSocket
 * URL. A server that is accepted must be https, or http to this computer,
 * and the URLs built from it must point at that same host and port. */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "fuzz-common.h"
#include "stok-error.h"
#include "stok-params.h"
#include "stok-stream-params.h"

#define TOKEN "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.x.y"

static void
check_seconds (const char *text)
{
  gint64 value = 0;

  if (!stok_params_parse_seconds (text, &value))
    return;

  /* Only an optional minus and digits: no spaces, signs or hex. */
  for (const char *p = text[0] == '-' ? text + 1 : text; *p; p++)
    g_assert (g_ascii_isdigit (*p));
}

/* Parses a URL that the app built, so it must parse. */
static GUri *
parse_built (const char *text)
{
  g_autoptr(GError) error = NULL;
  GUri *uri;

  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED_QUERY, &error);
  g_assert_no_error (error);

  return uri;
}

static void
check_same_server (GUri *server,
                   GUri *uri)
{
  g_assert_cmpstr (g_uri_get_host (uri), ==, g_uri_get_host (server));
  g_assert_cmpint (g_uri_get_port (uri), ==, g_uri_get_port (server));
  g_assert_null (g_uri_get_userinfo (uri));
  g_assert_null (g_uri_get_fragment (uri));
}

static void
check_websocket_uri (GUri       *server,
                     const char *token)
{
  g_autoptr(StokStreamParams) sent = stok_stream_params_new ();
  g_autofree char *text = NULL;
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) params = NULL;
  g_autofree char *decoded = NULL;
  gboolean secure;

  secure = g_str_equal (g_uri_get_scheme (server), "https");
  text = stok_stream_params_build_uri (sent, server, token);
  uri = parse_built (text);

  check_same_server (server, uri);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, secure ? "wss" : "ws");
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/v3/ws");

  /* The token must come back whole, whatever bytes it holds. */
  params = g_strsplit (g_uri_get_query (uri), "&", -1);
  g_assert_cmpuint (g_strv_length (params), ==, 4);
  g_assert (g_str_has_prefix (params[0], "token="));
  decoded = g_uri_unescape_string (params[0] + strlen ("token="), NULL);
  g_assert_cmpstr (decoded, ==, token);
  g_assert_cmpstr (params[1], ==, "speech_model=" STOK_SPEECH_MODEL_DEFAULT);
  g_assert_cmpstr (params[2], ==, "sample_rate=16000");
  g_assert_cmpstr (params[3], ==, "encoding=pcm_s16le");
}

static void
check_token_uri (GUri   *server,
                 gint64  expires_in,
                 gint64  max_session)
{
  g_autofree char *text = NULL;
  g_autofree char *query = NULL;
  g_autoptr(GUri) uri = NULL;

  text = stok_params_build_token_uri (server, expires_in, max_session);
  uri = parse_built (text);

  check_same_server (server, uri);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, g_uri_get_scheme (server));
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/v3/token");

  if (max_session > 0)
    query = g_strdup_printf ("expires_in_seconds=%" G_GINT64_FORMAT
                             "&max_session_duration_seconds=%" G_GINT64_FORMAT,
                             expires_in, max_session);
  else
    query = g_strdup_printf ("expires_in_seconds=%" G_GINT64_FORMAT, expires_in);
  g_assert_cmpstr (g_uri_get_query (uri), ==, query);
}

static void
check_server (const char *text)
{
  g_autoptr(GUri) server = NULL;
  g_autoptr(GUri) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_text = NULL;
  g_autofree char *again_text = NULL;
  const char *scheme;

  server = stok_params_parse_server (text, &error);
  if (server == NULL)
    {
      g_assert_nonnull (error);
      g_assert (error->domain == STOK_ERROR);
      g_assert (error->code == STOK_ERROR_INVALID_URL ||
                error->code == STOK_ERROR_INSECURE_URL);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return;
    }

  g_assert_no_error (error);

  /* The key is never sent in clear across the network. */
  scheme = g_uri_get_scheme (server);
  g_assert (g_str_equal (scheme, "https") ||
            (g_str_equal (scheme, "http") &&
             stok_params_is_loopback_host (g_uri_get_host (server))));

  /* What is saved in the settings must read back as the same server. */
  server_text = stok_params_server_to_string (server);
  again = stok_params_parse_server (server_text, &error);
  g_assert_no_error (error);
  again_text = stok_params_server_to_string (again);
  g_assert_cmpstr (again_text, ==, server_text);
  stok_params_is_default_server (server);

  check_token_uri (server, STOK_EXPIRES_IN_DEFAULT, 0);
  check_token_uri (server, STOK_EXPIRES_IN_MAX, STOK_MAX_SESSION_MAX);
  check_websocket_uri (server, TOKEN);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static GUri *loopback;
  g_autofree char *text = NULL;

  fuzz_init ();

  if (loopback == NULL)
    loopback = stok_params_parse_server ("http://[::1]:8080", NULL);

  text = fuzz_dup_string (data, size);

  check_seconds (text);
  check_server (text);

  /* Any bytes as a token: the WebSocket URL must carry them unchanged. */
  if (*text != '\0')
    check_websocket_uri (loopback, text);

  return 0;
}
