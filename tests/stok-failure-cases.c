/* stok-failure-cases.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The failure matrix: every way a network or a server can fail a token
 * request, each against a real server on loopback. One table, which the
 * client and the command line (test-failures.c) and the window
 * (test-window-failures.c) all run, so that each failure is told the same
 * way wherever the user meets it. */

#include "config.h"

#include "stok-failure-cases.h"
#include "stok-test-util.h"
#include "stok-token-client.h"
#include "stok-token.h"

/* A body long enough that, a byte every 50 ms, it would take over a
 * minute and a half: only the time limit can end the exchange early. */
#define STOK_TRICKLE_BODY_LENGTH 2000
#define STOK_TRICKLE_INTERVAL_MS 50

/* Short, so that the silent and trickling servers cost little time; the
 * command line keeps its own default, which is part of what is tested. */
#define STOK_FAILURE_CLIENT_TIMEOUT 2

void
stok_failure_servers_set_up (StokFailureServers *servers)
{
  g_autoptr(GError) error = NULL;

  servers->server = stok_fake_server_new_listening ();
  servers->elsewhere = stok_fake_server_new_listening ();
  servers->raw = stok_raw_server_new ();
  stok_raw_server_listen (servers->raw, &error);
  g_assert_no_error (error);
  servers->url = g_strdup (stok_fake_server_get_url (servers->server));
}

void
stok_failure_servers_tear_down (StokFailureServers *servers)
{
  g_assert_finalize_object (g_steal_pointer (&servers->server));
  g_assert_finalize_object (g_steal_pointer (&servers->elsewhere));
  g_assert_finalize_object (g_steal_pointer (&servers->raw));
  if (servers->tls != NULL)
    g_assert_finalize_object (g_steal_pointer (&servers->tls));
  g_clear_pointer (&servers->url, g_free);

  /* Let closed connections settle before the next case. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
set_url (StokFailureServers *servers,
         const char         *url)
{
  g_free (servers->url);
  servers->url = g_strdup (url);
}

static void
set_body (StokFailureServers *servers,
          const char         *body)
{
  stok_fake_server_set_reply (servers->server, 200, "application/json", body, -1);
}

void
stok_failure_arrange_silent (StokRawServer *raw)
{
  stok_raw_server_set_reply (raw, STOK_RAW_SILENT, NULL, 0);
}

void
stok_failure_arrange_trickle (StokRawServer *raw)
{
  g_autoptr(GString) body = g_string_new ("{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "e30.c2ln\", \"expires_in_seconds\": 60");
  g_autofree char *reply = NULL;

  /* Valid JSON to the last byte: whitespace is allowed before the brace. */
  while (body->len < STOK_TRICKLE_BODY_LENGTH - 1)
    g_string_append_c (body, ' ');
  g_string_append_c (body, '}');

  reply = stok_raw_reply_new (200, "application/json", body->str);
  stok_raw_server_set_trickle_interval (raw, STOK_TRICKLE_INTERVAL_MS);
  stok_raw_server_set_reply (raw, STOK_RAW_TRICKLE, reply, -1);
}

/* Arrangements */

static gboolean
arrange_refused (StokFailureServers *servers)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", stok_test_find_closed_port ());

  set_url (servers, url);
  return TRUE;
}

static gboolean
arrange_host_not_found (StokFailureServers *servers)
{
  /* RFC 6761: .invalid never resolves, so nothing but the lookup itself
   * leaves the machine, and with no resolver at all it fails the same. */
  set_url (servers, "https://stok-failures.invalid");
  return TRUE;
}

static gboolean
arrange_tls (StokFailureServers *servers)
{
  servers->tls = stok_tls_server_new_or_skip ();
  if (servers->tls == NULL)
    return FALSE;

  set_url (servers, stok_tls_server_get_url (servers->tls));
  return TRUE;
}

static gboolean
arrange_no_reply (StokFailureServers *servers)
{
  stok_failure_arrange_silent (servers->raw);
  set_url (servers, stok_raw_server_get_url (servers->raw));
  return TRUE;
}

static gboolean
arrange_trickle (StokFailureServers *servers)
{
  stok_failure_arrange_trickle (servers->raw);
  set_url (servers, stok_raw_server_get_url (servers->raw));
  return TRUE;
}

static gboolean
arrange_too_large (StokFailureServers *servers)
{
  /* Chunked, so that only counting while reading can catch it. */
  stok_fake_server_set_chunked (servers->server, TRUE);
  stok_fake_server_set_huge_reply (servers->server, 1024 * 1024);
  return TRUE;
}

static gboolean
arrange_gateway_html (StokFailureServers *servers)
{
  stok_fake_server_set_canned_reply (servers->server, STOK_FAKE_REPLY_GATEWAY_HTML);
  return TRUE;
}

static gboolean
arrange_empty (StokFailureServers *servers)
{
  stok_fake_server_set_canned_reply (servers->server, STOK_FAKE_REPLY_EMPTY);
  return TRUE;
}

static gboolean
arrange_token_missing (StokFailureServers *servers)
{
  set_body (servers, "{\"expires_in_seconds\": 60}");
  return TRUE;
}

static gboolean
arrange_token_number (StokFailureServers *servers)
{
  set_body (servers, "{\"token\": 1234567890, \"expires_in_seconds\": 60}");
  return TRUE;
}

static gboolean
arrange_token_empty (StokFailureServers *servers)
{
  set_body (servers, "{\"token\": \"\", \"expires_in_seconds\": 60}");
  return TRUE;
}

static gboolean
arrange_token_megabyte (StokFailureServers *servers)
{
  g_autoptr(GString) body = g_string_new ("{\"token\": \"" STOK_FAKE_TOKEN_PREFIX);

  while (body->len < 1024 * 1024)
    g_string_append (body, "eyJhbGciOiJIUzI1NiJ9");
  g_string_append (body, "\", \"expires_in_seconds\": 60}");
  set_body (servers, body->str);
  return TRUE;
}

static gboolean
arrange_token_too_long (StokFailureServers *servers)
{
  g_autoptr(GString) body = g_string_new ("{\"token\": \"" STOK_FAKE_TOKEN_PREFIX);

  /* Under the reply's cap, over any token's length. */
  while (body->len < 2 * STOK_TOKEN_MAX_LENGTH)
    g_string_append_c (body, 'A');
  g_string_append (body, "\", \"expires_in_seconds\": 60}");
  set_body (servers, body->str);
  return TRUE;
}

static gboolean
arrange_token_control (StokFailureServers *servers)
{
  /* A bell, and a line break that would end a header or a shell line. */
  set_body (servers, "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "\\u0007e30\\nX-Injected: yes\", \"expires_in_seconds\": 60}");
  return TRUE;
}

static gboolean
arrange_expires_negative (StokFailureServers *servers)
{
  set_body (servers, "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "e30.c2ln\", \"expires_in_seconds\": -60}");
  return TRUE;
}

static gboolean
arrange_expires_zero (StokFailureServers *servers)
{
  set_body (servers, "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "e30.c2ln\", \"expires_in_seconds\": 0}");
  return TRUE;
}

static gboolean
arrange_expires_fractional (StokFailureServers *servers)
{
  set_body (servers, "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "e30.c2ln\", \"expires_in_seconds\": 59.5}");
  return TRUE;
}

static gboolean
arrange_expires_string (StokFailureServers *servers)
{
  set_body (servers, "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "e30.c2ln\", \"expires_in_seconds\": \"60\"}");
  return TRUE;
}

static gboolean
arrange_expires_above_600 (StokFailureServers *servers)
{
  set_body (servers, "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "e30.c2ln\", \"expires_in_seconds\": 3600}");
  return TRUE;
}

static gboolean
arrange_rate_limited (StokFailureServers *servers)
{
  stok_fake_server_set_reply (servers->server, 429, "application/json",
                              "{\"error\": \"Too many requests\"}", -1);
  return TRUE;
}

static gboolean
arrange_rate_limited_seconds (StokFailureServers *servers)
{
  arrange_rate_limited (servers);
  stok_fake_server_set_extra_header (servers->server, "Retry-After", "7");
  return TRUE;
}

/* A server restarting, which says when to come back. */
static gboolean
arrange_unavailable_seconds (StokFailureServers *servers)
{
  stok_fake_server_set_reply (servers->server, 503, "application/json",
                              "{\"error\": \"Service restarting\"}", -1);
  stok_fake_server_set_extra_header (servers->server, "Retry-After", "7");
  return TRUE;
}

static gboolean
arrange_rate_limited_date (StokFailureServers *servers)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 120);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);

  arrange_rate_limited (servers);
  stok_fake_server_set_extra_header (servers->server, "Retry-After", date);
  return TRUE;
}

static gboolean
arrange_reset_mid_body (StokFailureServers *servers)
{
  g_autofree char *reply = NULL;

  reply = stok_raw_reply_new (200, "application/json",
                              "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "eyJqdGkiOiJyZXNldCJ9.c2lnbmF0dXJl\", \"expires_in_seconds\": 60}");
  stok_raw_server_set_reply (servers->raw, STOK_RAW_RESET_MID_BODY, reply, -1);
  set_url (servers, stok_raw_server_get_url (servers->raw));
  return TRUE;
}

static gboolean
arrange_redirect (StokFailureServers *servers)
{
  g_autoptr(StokTokenClient) client = stok_token_client_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StokToken) control = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;

  /* First show that the other server records a key that does reach it,
   * so that its silence below means something. */
  stok_token_client_mint_async (client, stok_fake_server_get_url (servers->elsewhere), STOK_FAILURE_KEY,
                                60, 0, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  control = stok_token_client_mint_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stok_fake_server_get_last_request_header (servers->elsewhere, "Authorization"), ==, STOK_FAILURE_KEY);
  servers->elsewhere_requests = stok_fake_server_get_request_count (servers->elsewhere);

  /* Another host name for the same loopback, as a hostile or confused
   * server would name another machine. */
  location = g_strdup_printf ("http://localhost:%u/v3/token?expires_in_seconds=60",
                              stok_fake_server_get_port (servers->elsewhere));
  stok_fake_server_set_reply (servers->server, 302, NULL, NULL, 0);
  stok_fake_server_set_extra_header (servers->server, "Location", location);
  return TRUE;
}

/* What the servers saw, whoever asked */

static void
check_tls (StokFailureServers *servers)
{
  /* Refused during the handshake: the request, and the key in it, never
   * went out. */
  g_assert_cmpuint (stok_tls_server_get_n_requests (servers->tls), ==, 0);
}

static void
check_trickle (StokFailureServers *servers)
{
  /* It really was trickling, not silent: some of the body came. */
  g_assert_cmpuint (stok_raw_server_get_n_bytes_sent (servers->raw), >, 100);
  g_assert_cmpuint (stok_raw_server_get_n_bytes_sent (servers->raw), <, STOK_TRICKLE_BODY_LENGTH);
}

static void
check_redirect (StokFailureServers *servers)
{
  /* The key went to the server asked, and nowhere else. */
  g_assert_cmpstr (stok_fake_server_get_last_request_header (servers->server, "Authorization"), ==, STOK_FAILURE_KEY);
  g_assert_cmpuint (stok_fake_server_get_request_count (servers->elsewhere), ==, servers->elsewhere_requests);
}

const StokFailureCase stok_failure_cases[] = {
  { "connection-refused", arrange_refused, STOK_ERROR_CONNECTION, "Connection refused" },
  { "host-not-found", arrange_host_not_found, STOK_ERROR_HOST_NOT_FOUND, "stok-failures.invalid" },
  { "tls-self-signed", arrange_tls, STOK_ERROR_TLS, "secure connection", check_tls },
  { "no-reply", arrange_no_reply, STOK_ERROR_TIMEOUT, "No answer came from http://127.0.0.1:", NULL,
    STOK_FAILURE_CLIENT_TIMEOUT, STOK_FAILURE_SLOW_SILENT },
  { "trickle", arrange_trickle, STOK_ERROR_TIMEOUT, "No answer came from http://127.0.0.1:", check_trickle,
    STOK_FAILURE_CLIENT_TIMEOUT, STOK_FAILURE_SLOW_TRICKLE },
  { "too-large", arrange_too_large, STOK_ERROR_RESPONSE_TOO_LARGE, "larger than 64 KiB" },
  { "gateway-502-html", arrange_gateway_html, STOK_ERROR_SERVER, "HTTP 502" },
  { "empty-200", arrange_empty, STOK_ERROR_MALFORMED_RESPONSE, "HTTP 200: The reply was empty." },
  { "token/missing", arrange_token_missing, STOK_ERROR_MALFORMED_RESPONSE, "HTTP 200: The reply has no “token”" },
  { "token/number", arrange_token_number, STOK_ERROR_MALFORMED_RESPONSE, "“token” is not a string" },
  { "token/empty", arrange_token_empty, STOK_ERROR_MALFORMED_RESPONSE, "“token” is empty" },
  { "token/megabyte", arrange_token_megabyte, STOK_ERROR_RESPONSE_TOO_LARGE, "larger than 64 KiB" },
  { "token/too-long", arrange_token_too_long, STOK_ERROR_MALFORMED_RESPONSE, "“token” is longer than" },
  { "token/control-characters", arrange_token_control, STOK_ERROR_MALFORMED_RESPONSE, "control characters" },
  { "expires/negative", arrange_expires_negative, STOK_ERROR_MALFORMED_RESPONSE, "is -60, outside 1 to 600" },
  { "expires/zero", arrange_expires_zero, STOK_ERROR_MALFORMED_RESPONSE, "is 0, outside 1 to 600" },
  { "expires/fractional", arrange_expires_fractional, STOK_ERROR_MALFORMED_RESPONSE, "not a whole number" },
  { "expires/string", arrange_expires_string, STOK_ERROR_MALFORMED_RESPONSE, "not a whole number" },
  { "expires/above-600", arrange_expires_above_600, STOK_ERROR_MALFORMED_RESPONSE, "is 3600, outside 1 to 600" },
  { "rate-limited/retry-after-seconds", arrange_rate_limited_seconds, STOK_ERROR_RATE_LIMITED, "HTTP 429: Too many requests" },
  { "rate-limited/retry-after-date", arrange_rate_limited_date, STOK_ERROR_RATE_LIMITED, "HTTP 429: Too many requests" },
  { "rate-limited/no-retry-after", arrange_rate_limited, STOK_ERROR_RATE_LIMITED, "HTTP 429: Too many requests" },
  { "unavailable/retry-after-seconds", arrange_unavailable_seconds, STOK_ERROR_SERVER, "HTTP 503: Service restarting" },
  { "reset-mid-body", arrange_reset_mid_body, STOK_ERROR_CONNECTION_LOST, "broke before the reply was complete" },
  { "redirect-to-other-host", arrange_redirect, STOK_ERROR_REDIRECTED, "HTTP 302", check_redirect },
};

const guint stok_n_failure_cases = G_N_ELEMENTS (stok_failure_cases);
