/* test-params.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The API's ranges and the rules for the server address: what the user
 * may type, and what is refused before anything reaches the network. */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "stok-error.h"
#include "stok-params.h"

static void
test_expires_in_range (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (stok_params_check_expires_in (1, NULL));
  g_assert_true (stok_params_check_expires_in (60, NULL));
  g_assert_true (stok_params_check_expires_in (600, NULL));

  g_assert_false (stok_params_check_expires_in (0, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  /* The message names the parameter as the API does, and the range. */
  g_assert_nonnull (strstr (error->message, "expires_in_seconds"));
  g_assert_nonnull (strstr (error->message, "600"));
  g_clear_error (&error);

  g_assert_false (stok_params_check_expires_in (601, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "601"));
  g_clear_error (&error);

  /* The v2 habit of an hour. */
  g_assert_false (stok_params_check_expires_in (3600, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  g_assert_false (stok_params_check_expires_in (-1, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  g_assert_false (stok_params_check_expires_in (G_MININT64, NULL));
  g_assert_false (stok_params_check_expires_in (G_MAXINT64, NULL));
}

static void
test_max_session_range (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (stok_params_check_max_session (60, NULL));
  g_assert_true (stok_params_check_max_session (600, NULL));
  g_assert_true (stok_params_check_max_session (10800, NULL));

  g_assert_false (stok_params_check_max_session (59, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "max_session_duration_seconds"));
  g_assert_nonnull (strstr (error->message, "59"));
  g_clear_error (&error);

  g_assert_false (stok_params_check_max_session (10801, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "10801"));
  g_clear_error (&error);

  g_assert_false (stok_params_check_max_session (0, NULL));
  g_assert_false (stok_params_check_max_session (-60, NULL));
}

static void
test_defaults_inside_ranges (void)
{
  /* The defaults the window and the command line start from must be
   * values the API accepts. */
  g_assert_true (stok_params_check_expires_in (STOK_EXPIRES_IN_DEFAULT, NULL));
  g_assert_true (stok_params_check_max_session (STOK_MAX_SESSION_DEFAULT, NULL));
  g_assert_cmpint (STOK_EXPIRES_IN_DEFAULT, ==, 60);
  g_assert_cmpint (STOK_MAX_SESSION_DEFAULT, ==, 10800);
}

static void
test_parse_seconds (void)
{
  static const struct {
    const char *text;
    gint64 value;
  } good[] = {
    { "0", 0 },
    { "1", 1 },
    { "60", 60 },
    { "600", 600 },
    { "0600", 600 },
    { "10800", 10800 },
    { "-5", -5 },
    { "9223372036854775807", G_MAXINT64 },
  };
  static const char * const bad[] = {
    "", " ", "abc", "60s", "1.5", "60.0", "1e3", "0x10", "+60", " 60", "60 ",
    "60\n", "\t60", "-", "--5", "6 0", "١٢", "99999999999999999999",
    "-99999999999999999999",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      gint64 value = -12345;

      g_test_message ("“%s”", good[i].text);
      g_assert_true (stok_params_parse_seconds (good[i].text, &value));
      g_assert_cmpint (value, ==, good[i].value);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 value = -12345;

      g_autofree char *shown = g_strescape (bad[i], NULL);

      g_test_message ("“%s”", shown);
      g_assert_false (stok_params_parse_seconds (bad[i], &value));
      /* A refused text leaves the old value alone. */
      g_assert_cmpint (value, ==, -12345);
    }

  {
    gint64 value = -12345;

    g_assert_false (stok_params_parse_seconds (NULL, &value));
    g_assert_cmpint (value, ==, -12345);
  }
}

static void
assert_server (const char *text,
               const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *string = NULL;
  g_autofree char *shown = g_strescape (text, NULL);

  /* Escaped: TAP output must stay valid UTF-8 on one line. */
  g_test_message ("“%s”", shown);
  uri = stok_params_parse_server (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (uri);

  string = stok_params_server_to_string (uri);
  g_assert_cmpstr (string, ==, expected);
}

static void
assert_server_refused (const char   *text,
                       StokErrorCode code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *shown = text != NULL ? g_strescape (text, NULL) : g_strdup ("(null)");

  g_test_message ("“%s”", shown);
  uri = stok_params_parse_server (text, &error);
  g_assert_null (uri);
  g_assert_error (error, STOK_ERROR, (int) code);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_server_https (void)
{
  assert_server ("https://streaming.assemblyai.com", "https://streaming.assemblyai.com");
  assert_server ("https://streaming.assemblyai.com/", "https://streaming.assemblyai.com");
  assert_server ("https://streaming.eu.assemblyai.com", "https://streaming.eu.assemblyai.com");
  assert_server ("https://example.com:8443", "https://example.com:8443");
  assert_server ("https://10.1.2.3", "https://10.1.2.3");
  assert_server ("https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443");
  assert_server ("https://my_host.internal", "https://my_host.internal");
  /* A scheme's own port is no port: one server, one spelling. */
  assert_server ("https://streaming.assemblyai.com:443", "https://streaming.assemblyai.com");
  assert_server ("https://example.com:80", "https://example.com:80");
  /* International names go out in their ASCII form. */
  assert_server ("https://m\xc3\xbcnchen.example", "https://xn--mnchen-3ya.example");
  assert_server (STOK_DEFAULT_SERVER, STOK_DEFAULT_SERVER);
  assert_server (STOK_US_SERVER, STOK_US_SERVER);
  assert_server (STOK_EU_SERVER, STOK_EU_SERVER);
}

static void
test_server_http_loopback (void)
{
  assert_server ("http://localhost", "http://localhost");
  assert_server ("http://localhost:8080", "http://localhost:8080");
  assert_server ("http://LOCALHOST:8080/", "http://localhost:8080");
  assert_server ("http://127.0.0.1:41234", "http://127.0.0.1:41234");
  assert_server ("http://127.1.2.3", "http://127.1.2.3");
  assert_server ("http://[::1]:8080", "http://[::1]:8080");
  assert_server ("http://[::1]", "http://[::1]");
  assert_server ("http://127.0.0.1:80", "http://127.0.0.1");

  g_assert_true (stok_params_is_loopback_host ("localhost"));
  g_assert_true (stok_params_is_loopback_host ("127.0.0.1"));
  g_assert_true (stok_params_is_loopback_host ("127.255.255.254"));
  g_assert_true (stok_params_is_loopback_host ("::1"));
  g_assert_false (stok_params_is_loopback_host ("128.0.0.1"));
  g_assert_false (stok_params_is_loopback_host ("10.0.0.1"));
  g_assert_false (stok_params_is_loopback_host ("::2"));
  g_assert_false (stok_params_is_loopback_host ("localhost.example.com"));
  g_assert_false (stok_params_is_loopback_host ("127.0.0.1.example.com"));
  g_assert_false (stok_params_is_loopback_host (NULL));
}

static void
test_server_http_insecure (void)
{
  /* The key would cross the network in clear. */
  assert_server_refused ("http://example.com", STOK_ERROR_INSECURE_URL);
  assert_server_refused ("http://streaming.assemblyai.com", STOK_ERROR_INSECURE_URL);
  assert_server_refused ("http://10.0.0.1:8080", STOK_ERROR_INSECURE_URL);
  assert_server_refused ("http://[2001:db8::1]", STOK_ERROR_INSECURE_URL);
  assert_server_refused ("http://localhost.example.com", STOK_ERROR_INSECURE_URL);
  assert_server_refused ("http://127.0.0.1.nip.io", STOK_ERROR_INSECURE_URL);

  /* The advice names the same address over https, port and all. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GUri) uri = stok_params_parse_server ("http://example.com:8080", &error);

    g_assert_null (uri);
    g_assert_error (error, STOK_ERROR, STOK_ERROR_INSECURE_URL);
    g_assert_nonnull (strstr (error->message, "https://example.com:8080"));
  }
}

static void
test_server_invalid (void)
{
  assert_server_refused ("", STOK_ERROR_INVALID_URL);
  assert_server_refused ("http://127.0.0.1:0", STOK_ERROR_INVALID_URL);
  assert_server_refused (NULL, STOK_ERROR_INVALID_URL);
  assert_server_refused ("streaming.assemblyai.com", STOK_ERROR_INVALID_URL);
  assert_server_refused ("ftp://streaming.assemblyai.com", STOK_ERROR_INVALID_URL);
  assert_server_refused ("wss://streaming.assemblyai.com", STOK_ERROR_INVALID_URL);
  assert_server_refused ("file:///etc/passwd", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https:///v3/token", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://streaming.assemblyai.com/v3/token", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://streaming.assemblyai.com/v3", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://streaming.assemblyai.com?expires_in_seconds=60", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://streaming.assemblyai.com/?", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://streaming.assemblyai.com#x", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://user:secret@streaming.assemblyai.com", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://user@streaming.assemblyai.com", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://streaming.assemblyai.com:99999", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://exa mple.com", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://streaming.assemblyai.com\n", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://exa%20mple.com", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://ex<a>mple.com", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://[::1", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://\xff\xfe", STOK_ERROR_INVALID_URL);
  /* The API's own path is refused even on loopback, and before the
   * http check, with the server to give instead. */
  assert_server_refused ("http://127.0.0.1:8080/v3/token", STOK_ERROR_INVALID_URL);
  assert_server_refused ("https://example.com/proxy/v3/ws", STOK_ERROR_INVALID_URL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GUri) uri = stok_params_parse_server ("https://example.com:8443/proxy/v3/token/", &error);

    g_assert_null (uri);
    g_assert_nonnull (strstr (error->message, "give the server alone, such as https://example.com:8443/proxy."));
  }
  /* A WebSocket URL pasted whole, token and all. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GUri) uri = stok_params_parse_server ("https://streaming.assemblyai.com/v3/ws?token=abc&sample_rate=16000", &error);

    g_assert_null (uri);
    g_assert_nonnull (strstr (error->message, "give the server alone, such as https://streaming.assemblyai.com."));
  }
}

/* A proxy may serve the API under a path of its own: the base of the
 * API's paths, written without its trailing slashes. */
static void
test_server_path (void)
{
  assert_server ("https://example.com/proxy", "https://example.com/proxy");
  assert_server ("https://example.com/proxy/", "https://example.com/proxy");
  assert_server ("https://example.com/a/b//", "https://example.com/a/b");
  assert_server ("http://127.0.0.1:8080/assemblyai", "http://127.0.0.1:8080/assemblyai");
  assert_server ("https://example.com/v3api", "https://example.com/v3api");
}

static void
test_server_default (void)
{
  g_autoptr(GUri) standard = stok_params_parse_server (STOK_DEFAULT_SERVER, NULL);
  g_autoptr(GUri) slash = stok_params_parse_server ("https://streaming.assemblyai.com/", NULL);
  g_autoptr(GUri) capitals = stok_params_parse_server ("https://Streaming.AssemblyAI.com", NULL);
  g_autoptr(GUri) eu = stok_params_parse_server (STOK_EU_SERVER, NULL);
  g_autoptr(GUri) local = stok_params_parse_server ("http://127.0.0.1:8080", NULL);

  g_assert_true (stok_params_is_default_server (standard));
  g_assert_true (stok_params_is_default_server (slash));
  /* Host names are not case-sensitive: the same server, written
   * differently, is still the default one. */
  g_assert_true (stok_params_is_default_server (capitals));
  g_assert_false (stok_params_is_default_server (eu));
  g_assert_false (stok_params_is_default_server (local));
}

static void
test_token_uri (void)
{
  g_autoptr(GUri) server = stok_params_parse_server (STOK_DEFAULT_SERVER, NULL);
  g_autoptr(GUri) local = stok_params_parse_server ("http://127.0.0.1:41234/", NULL);
  g_autoptr(GUri) ipv6 = stok_params_parse_server ("http://[::1]:8080", NULL);
  g_autofree char *with_max = NULL;
  g_autofree char *without_max = NULL;
  g_autofree char *on_local = NULL;
  g_autofree char *on_ipv6 = NULL;

  with_max = stok_params_build_token_uri (server, 60, 600);
  g_assert_cmpstr (with_max, ==,
                   "https://streaming.assemblyai.com/v3/token?expires_in_seconds=60&max_session_duration_seconds=600");

  /* Without a session cap the server's default applies: not sent at all. */
  without_max = stok_params_build_token_uri (server, 600, 0);
  g_assert_cmpstr (without_max, ==,
                   "https://streaming.assemblyai.com/v3/token?expires_in_seconds=600");

  on_local = stok_params_build_token_uri (local, 1, 10800);
  g_assert_cmpstr (on_local, ==,
                   "http://127.0.0.1:41234/v3/token?expires_in_seconds=1&max_session_duration_seconds=10800");

  on_ipv6 = stok_params_build_token_uri (ipv6, 30, 0);
  g_assert_cmpstr (on_ipv6, ==, "http://[::1]:8080/v3/token?expires_in_seconds=30");

  {
    g_autoptr(GUri) proxied = stok_params_parse_server ("https://example.com/proxy/", NULL);
    g_autofree char *on_proxy = stok_params_build_token_uri (proxied, 60, 0);

    g_assert_cmpstr (on_proxy, ==, "https://example.com/proxy/v3/token?expires_in_seconds=60");
  }
}

static void
test_trim_api_key (void)
{
  g_autofree char *plain = stok_trim_api_key ("sk-abc");
  g_autofree char *padded = stok_trim_api_key ("  sk-abc \r\n");
  g_autofree char *blank = stok_trim_api_key (" \t\n");
  g_autofree char *empty = stok_trim_api_key ("");
  g_autofree char *none = stok_trim_api_key (NULL);

  g_assert_cmpstr (plain, ==, "sk-abc");
  g_assert_cmpstr (padded, ==, "sk-abc");
  g_assert_null (blank);
  g_assert_null (empty);
  g_assert_null (none);
}

static void
test_server_for_region (void)
{
  const struct {
    const char *region;
    const char *custom;
    const char *server;
    const char *problem;
  } cases[] = {
    { "default", "", STOK_DEFAULT_SERVER },
    { "us", "", STOK_US_SERVER },
    { "eu", "http://127.0.0.1:1", STOK_EU_SERVER },
    { "unheard-of", "", STOK_DEFAULT_SERVER },
    /* A custom server as --server would take it, written one way. */
    { "custom", " HTTPS://Example.COM:443/ ", "https://example.com" },
    { "custom", "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
    /* One that cannot be used says why, rather than quietly becoming
     * the real server or failing later with no pointer to the choice. */
    { "custom", "http://example.com", NULL, "Use https://example.com instead." },
    { "custom", "", NULL, "empty" },
    { "custom", NULL, NULL, "empty" },
    { "custom", "example", NULL, "not a URL" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *server = stok_params_server_for_region (cases[i].region, cases[i].custom, &error);

      g_assert_cmpstr (server, ==, cases[i].server);
      if (cases[i].problem == NULL)
        {
          g_assert_no_error (error);
        }
      else
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == STOK_ERROR);
          g_assert_nonnull (strstr (error->message, cases[i].problem));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/params/expires-in/range", test_expires_in_range);
  g_test_add_func ("/params/max-session/range", test_max_session_range);
  g_test_add_func ("/params/defaults", test_defaults_inside_ranges);
  g_test_add_func ("/params/parse-seconds", test_parse_seconds);
  g_test_add_func ("/params/server/https", test_server_https);
  g_test_add_func ("/params/server/http-loopback", test_server_http_loopback);
  g_test_add_func ("/params/server/http-insecure", test_server_http_insecure);
  g_test_add_func ("/params/server/invalid", test_server_invalid);
  g_test_add_func ("/params/server/path", test_server_path);
  g_test_add_func ("/params/server/default", test_server_default);
  g_test_add_func ("/params/token-uri", test_token_uri);
  g_test_add_func ("/params/trim-api-key", test_trim_api_key);
  g_test_add_func ("/params/server-for-region", test_server_for_region);

  return g_test_run ();
}
