/* test-token-client.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The HTTP exchange against the fake token server, in this process and
 * in this main loop, over real sockets: what comes back for each answer a
 * server or a proxy can give, and what is never sent at all. */

#include "config.h"

#include <string.h>

#include "stok-error.h"
#include "stok-fake-server.h"
#include "stok-test-util.h"
#include "stok-token-client.h"

#define KEY "sk-test-0123456789abcdef"

typedef StokClientFixture Fixture;

static StokToken *
mint_full (Fixture       *fixture,
           const char    *server,
           const char    *key,
           gint64         expires_in,
           gint64         max_session,
           GCancellable  *cancellable,
           StokExchange **exchange,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stok_token_client_mint_async (fixture->client, server, key, expires_in, max_session,
                                cancellable, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return stok_token_client_mint_finish (fixture->client, result, exchange, error);
}

static StokToken *
mint (Fixture       *fixture,
      StokExchange **exchange,
      GError       **error)
{
  return mint_full (fixture, stok_fake_server_get_url (fixture->server), KEY,
                    60, 0, NULL, exchange, error);
}

static void
test_success (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (1000 * G_USEC_PER_SEC);
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;
  const char *user_agent;
  gint64 expires_in = 0;
  gint64 max_session = 0;

  stok_fake_server_set_api_key (fixture->server, KEY);
  stok_token_client_set_clock (fixture->client, clock);

  /* Pasted with a space in front and a line break after it. */
  token = mint_full (fixture, stok_fake_server_get_url (fixture->server),
                     " \t" KEY "\n", 120, 600, NULL, &exchange, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);

  /* What the user copies is exactly what the server minted. */
  g_assert_true (g_str_has_prefix (stok_token_get_token (token), STOK_FAKE_TOKEN_PREFIX));
  g_assert_cmpstr (stok_token_get_token (token), ==, stok_fake_server_get_last_token (fixture->server));
  g_assert_cmpint (stok_token_get_expires_in_seconds (token), ==, 120);
  g_assert_cmpint (stok_token_get_max_session_seconds (token), ==, 600);
  g_assert_cmpstr (stok_token_get_server (token), ==, stok_fake_server_get_url (fixture->server));

  /* The countdown starts from when the request went out. */
  g_assert_cmpint (stok_token_get_sent_at (token), ==, 1000 * G_USEC_PER_SEC);
  g_assert_cmpint (stok_token_get_remaining (token, stok_clock_get_time (clock)), ==, 120 * G_USEC_PER_SEC);
  g_assert_nonnull (stok_token_get_sent_at_wall (token));

  /* What the server saw: the trimmed key, raw, and who asked. */
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 1);
  g_assert_cmpstr (stok_fake_server_get_last_request_header (fixture->server, "Authorization"), ==, KEY);
  user_agent = stok_fake_server_get_last_request_header (fixture->server, "User-Agent");
  g_assert_nonnull (user_agent);
  g_assert_true (g_str_has_prefix (user_agent, "streaming-token/"));
  g_assert_cmpstr (stok_fake_server_get_last_request_path (fixture->server), ==, "/v3/token");
  g_assert_cmpstr (stok_fake_server_get_last_request_query (fixture->server), ==,
                   "expires_in_seconds=120&max_session_duration_seconds=600");
  g_assert_true (stok_fake_server_lookup_token (fixture->server, stok_token_get_token (token),
                                                &expires_in, &max_session, NULL));
  g_assert_cmpint (expires_in, ==, 120);
  g_assert_cmpint (max_session, ==, 600);

  /* The Inspector's record of it, with the key masked. */
  g_assert_nonnull (exchange);
  g_assert_cmpuint (stok_exchange_get_status (exchange), ==, 200);
  g_assert_cmpint (stok_exchange_get_latency (exchange), >, 0);
  g_assert_nonnull (strstr (stok_exchange_get_request_headers (exchange), "Authorization: " STOK_MASKED_KEY));
  g_assert_null (strstr (stok_exchange_get_request_headers (exchange), KEY));
  g_assert_nonnull (strstr (stok_exchange_get_uri (exchange), "/v3/token?expires_in_seconds=120"));
  g_assert_cmpuint (g_bytes_get_size (stok_exchange_get_body (exchange)), >, 0);

  g_assert_finalize_object (g_steal_pointer (&token));
}

static void
test_success_default_session (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(StokToken) first = NULL;
  g_autoptr(StokToken) second = NULL;
  g_autoptr(GError) error = NULL;
  gint64 max_session = 0;

  first = mint (fixture, NULL, &error);
  g_assert_no_error (error);

  /* Without a session cap none is sent, and the server's default holds. */
  g_assert_cmpstr (stok_fake_server_get_last_request_query (fixture->server), ==, "expires_in_seconds=60");
  g_assert_cmpint (stok_token_get_max_session_seconds (first), ==, 10800);
  g_assert_true (stok_fake_server_lookup_token (fixture->server, stok_token_get_token (first),
                                                NULL, &max_session, NULL));
  g_assert_cmpint (max_session, ==, 10800);

  /* Each request is a new token. */
  second = mint (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stok_token_get_token (first), !=, stok_token_get_token (second));
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 2);
}

static void
test_success_slow (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;

  stok_fake_server_set_delay (fixture->server, 300);
  stok_fake_server_set_chunked (fixture->server, TRUE);

  token = mint (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stok_token_get_token (token), ==, stok_fake_server_get_last_token (fixture->server));
}

static void
assert_http_error (Fixture      *fixture,
                   guint         status,
                   const char   *body,
                   StokErrorCode code,
                   const char   *server_message)
{
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = g_strdup_printf ("HTTP %u: ", status);

  g_test_message ("HTTP %u: %s", status, body);
  stok_fake_server_set_reply (fixture->server, status,
                              body[0] == '{' ? "application/json" :
                              body[0] == '<' || body[0] == '\0' ? "text/html" : "text/plain",
                              body, -1);

  token = mint (fixture, &exchange, &error);
  g_assert_null (token);
  g_assert_error (error, STOK_ERROR, (int) code);

  /* The one line the command line prints: the status and, when the
   * server said something, its own words. */
  g_assert_true (g_str_has_prefix (error->message, prefix));
  if (server_message != NULL)
    {
      g_assert_cmpstr (error->message + strlen (prefix), ==, server_message);
      if (body[0] == '{')
        g_assert_cmpstr (stok_exchange_get_server_error (exchange), ==, server_message);
    }
  else
    {
      g_assert_cmpstr (error->message + strlen (prefix), !=, "");
      g_assert_null (strchr (error->message, '<'));
    }

  g_assert_nonnull (exchange);
  g_assert_cmpuint (stok_exchange_get_status (exchange), ==, status);
  g_assert_cmpuint (g_bytes_get_size (stok_exchange_get_body (exchange)), ==, strlen (body));
}

static void
test_error_400 (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;

  assert_http_error (fixture, 400,
                     "{\"error\": \"expires_in_seconds must be between 1 and 600\", \"code\": \"invalid_parameter\","
                     " \"details\": {\"parameter\": \"expires_in_seconds\"}}",
                     STOK_ERROR_BAD_REQUEST, "expires_in_seconds must be between 1 and 600");

  /* The window shows which parameter: code and details survive. */
  g_assert_null (mint (fixture, &exchange, &error));
  g_assert_cmpstr (stok_exchange_get_server_code (exchange), ==, "invalid_parameter");
  g_assert_nonnull (strstr (stok_exchange_get_server_details (exchange), "\"expires_in_seconds\""));
}

static void
test_error_401 (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;

  /* A real 401 from the server's key check, not a canned one. */
  stok_fake_server_set_api_key (fixture->server, "sk-the-right-one");

  token = mint (fixture, &exchange, &error);
  g_assert_null (token);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (error->message, ==, "HTTP 401: " STOK_FAKE_UNAUTHORIZED_MESSAGE);
  g_assert_cmpuint (stok_exchange_get_status (exchange), ==, 401);
  g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, 0);
}

static void
test_error_statuses (Fixture       *fixture,
                     gconstpointer  user_data)
{
  assert_http_error (fixture, 403, "{\"error\": \"Your plan does not include streaming\"}",
                     STOK_ERROR_FORBIDDEN, "Your plan does not include streaming");
  assert_http_error (fixture, 404, "{\"error\": \"Not found\"}",
                     STOK_ERROR_NOT_FOUND, "Not found");
  assert_http_error (fixture, 404, "<html><body>Not Found</body></html>",
                     STOK_ERROR_NOT_FOUND, NULL);
  assert_http_error (fixture, 500, "{\"error\": \"Internal server error\", \"code\": \"internal\"}",
                     STOK_ERROR_SERVER, "Internal server error");
  assert_http_error (fixture, 503, "",
                     STOK_ERROR_SERVER, NULL);
  assert_http_error (fixture, 418, "{\"error\": \"I'm a teapot\"}",
                     STOK_ERROR_HTTP, "I'm a teapot");
  /* A proxy's words in plain text: its first line, not a guess from the
   * status; a page of it is no message. */
  assert_http_error (fixture, 403, "  Forbidden by corporate policy\r\nAsk IT for access.\n",
                     STOK_ERROR_FORBIDDEN, "Forbidden by corporate policy");
  {
    g_autofree char *page = g_strnfill (400, 'x');

    assert_http_error (fixture, 503, page, STOK_ERROR_SERVER, NULL);
  }
  /* Nothing at all, in plain text: the status's meaning. */
  stok_fake_server_set_reply (fixture->server, 503, "text/plain", "", 0);
  {
    g_autoptr(StokExchange) exchange = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_null (mint (fixture, &exchange, &error));
    g_assert_error (error, STOK_ERROR, STOK_ERROR_SERVER);
    g_assert_cmpstr (error->message, !=, "HTTP 503: ");
  }
  assert_http_error (fixture, 422, "{\"error\": \"Unprocessable\"}",
                     STOK_ERROR_HTTP, "Unprocessable");
}

static void
test_error_502_html (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  stok_fake_server_set_canned_reply (fixture->server, STOK_FAKE_REPLY_GATEWAY_HTML);

  token = mint (fixture, &exchange, &error);
  g_assert_null (token);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_SERVER);
  /* The HTML is not the message; it stays in the Inspector. */
  g_assert_true (g_str_has_prefix (error->message, "HTTP 502: "));
  g_assert_null (strchr (error->message, '<'));
  g_assert_null (stok_exchange_get_server_error (exchange));
  body = stok_exchange_dup_body_text (exchange);
  g_assert_nonnull (strstr (body, "502 Bad Gateway"));
}

static void
test_error_429 (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(StokExchange) exchange_date = NULL;
  g_autoptr(StokExchange) exchange_none = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *date = NULL;

  stok_fake_server_set_reply (fixture->server, 429, "application/json",
                              "{\"error\": \"Too many requests\"}", -1);

  stok_fake_server_set_extra_header (fixture->server, "Retry-After", "7");
  g_assert_null (mint (fixture, &exchange, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_RATE_LIMITED);
  g_assert_cmpstr (error->message, ==, "HTTP 429: Too many requests");
  g_assert_cmpint (stok_exchange_get_retry_after (exchange), ==, 7);
  /* As a real server says it, not libsoup 3.2's "Unknown Error". */
  g_assert_cmpstr (stok_exchange_get_reason (exchange), ==, "Too Many Requests");
  g_clear_error (&error);

  now = g_date_time_new_now_utc ();
  later = g_date_time_add_seconds (now, 120);
  date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  stok_fake_server_set_extra_header (fixture->server, "Retry-After", date);
  g_assert_null (mint (fixture, &exchange_date, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_RATE_LIMITED);
  g_assert_cmpint (stok_exchange_get_retry_after (exchange_date), >=, 110);
  g_assert_cmpint (stok_exchange_get_retry_after (exchange_date), <=, 120);
  g_clear_error (&error);

  stok_fake_server_set_extra_header (fixture->server, "Retry-After", NULL);
  g_assert_null (mint (fixture, &exchange_none, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_RATE_LIMITED);
  g_assert_cmpint (stok_exchange_get_retry_after (exchange_none), ==, -1);
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  user_data)
{
  static const StokFakeReply replies[] = {
    STOK_FAKE_REPLY_EMPTY,
    STOK_FAKE_REPLY_MALFORMED_JSON,
    STOK_FAKE_REPLY_NOT_JSON,
    STOK_FAKE_REPLY_ARRAY,
    STOK_FAKE_REPLY_MISSING_TOKEN,
    STOK_FAKE_REPLY_MISSING_EXPIRES,
    STOK_FAKE_REPLY_TOKEN_NOT_STRING,
    STOK_FAKE_REPLY_EXPIRES_NOT_INTEGER,
  };

  for (guint chunked = 0; chunked < 2; chunked++)
    {
      stok_fake_server_set_chunked (fixture->server, chunked);

      for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
        {
          g_autoptr(StokExchange) exchange = NULL;
          g_autoptr(StokToken) token = NULL;
          g_autoptr(GError) error = NULL;

          g_test_message ("canned reply %u, chunked %u", replies[i], chunked);
          stok_fake_server_set_canned_reply (fixture->server, replies[i]);

          token = mint (fixture, &exchange, &error);
          g_assert_null (token);
          g_assert_error (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE);
          /* What came back is kept, to be looked at. */
          g_assert_cmpuint (stok_exchange_get_status (exchange), ==, 200);
        }
    }
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  user_data)
{
  for (guint chunked = 0; chunked < 2; chunked++)
    {
      g_autoptr(StokToken) token = NULL;
      g_autoptr(StokToken) limit = NULL;
      g_autoptr(GError) error = NULL;

      /* With a Content-Length the client can refuse up front; chunked, it
       * has to count as it reads. */
      stok_fake_server_set_chunked (fixture->server, chunked);

      stok_fake_server_set_huge_reply (fixture->server, STOK_TOKEN_CLIENT_MAX_REPLY + 1);
      token = mint (fixture, NULL, &error);
      g_assert_null (token);
      g_assert_error (error, STOK_ERROR, STOK_ERROR_RESPONSE_TOO_LARGE);
      g_clear_error (&error);

      stok_fake_server_set_huge_reply (fixture->server, 10 * 1024 * 1024);
      token = mint (fixture, NULL, &error);
      g_assert_null (token);
      g_assert_error (error, STOK_ERROR, STOK_ERROR_RESPONSE_TOO_LARGE);
      g_clear_error (&error);

      /* The limit itself is still a reply. */
      stok_fake_server_set_huge_reply (fixture->server, STOK_TOKEN_CLIENT_MAX_REPLY);
      limit = mint (fixture, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (limit);
    }
}

static void
test_huge_error_page (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GString) page = g_string_new ("<html><title>503 Service Unavailable</title>");
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;

  /* A proxy's error page that runs past the cap still reports its
   * status, not "too large". */
  while (page->len <= 2 * STOK_TOKEN_CLIENT_MAX_REPLY)
    g_string_append (page, "<p>The service is unavailable.</p>");

  for (guint chunked = 0; chunked < 2; chunked++)
    {
      stok_fake_server_set_chunked (fixture->server, chunked);
      stok_fake_server_set_reply (fixture->server, 503, "text/html", page->str, page->len);
      token = mint (fixture, &exchange, &error);
      g_assert_null (token);
      g_assert_error (error, STOK_ERROR, STOK_ERROR_SERVER);
      g_assert_nonnull (strstr (error->message, "503"));
      g_assert_cmpuint (stok_exchange_get_status (exchange), ==, 503);
      g_assert_cmpuint (g_bytes_get_size (stok_exchange_get_body (exchange)), ==, STOK_TOKEN_CLIENT_MAX_REPLY);
      g_clear_error (&error);
      g_clear_object (&exchange);
    }
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  stok_fake_server_set_delay (fixture->server, 3000);
  g_timeout_add (100, cancel_cb, cancellable);

  start = g_get_monotonic_time ();
  token = mint_full (fixture, stok_fake_server_get_url (fixture->server), KEY, 60, 0,
                     cancellable, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Cancelling takes effect now, not when the server finally answers. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 1);
  g_clear_error (&error);

  /* Cancelled before it started. */
  g_cancellable_cancel (cancelled);
  token = mint_full (fixture, stok_fake_server_get_url (fixture->server), KEY, 60, 0,
                     cancelled, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  stok_token_client_set_timeout (fixture->client, 1);
  g_assert_cmpuint (stok_token_client_get_timeout (fixture->client), ==, 1);
  stok_fake_server_set_delay (fixture->server, 3000);

  start = g_get_monotonic_time ();
  token = mint (fixture, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2800 * 1000);
}

static void
test_connection_refused (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", stok_test_find_closed_port ());

  token = mint_full (fixture, url, KEY, 60, 0, NULL, &exchange, &error);
  g_assert_null (token);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_CONNECTION);
  /* Says where it tried to go. */
  g_assert_nonnull (strstr (error->message, url));
  g_assert_cmpuint (stok_exchange_get_status (exchange), ==, 0);
}

static void
test_nothing_sent_when_invalid (Fixture       *fixture,
                                gconstpointer  user_data)
{
  const char *url = stok_fake_server_get_url (fixture->server);
  g_autofree char *with_path = g_strconcat (url, "/v3/token", NULL);
  g_autofree char *insecure = g_strdup_printf ("http://example.com:%u", stok_fake_server_get_port (fixture->server));
  const struct {
    const char *server;
    const char *key;
    gint64 expires_in;
    gint64 max_session;
    StokErrorCode code;
  } cases[] = {
    { url, KEY, 0, 0, STOK_ERROR_INVALID_PARAMETER },
    { url, KEY, 601, 0, STOK_ERROR_INVALID_PARAMETER },
    { url, KEY, -1, 0, STOK_ERROR_INVALID_PARAMETER },
    { url, KEY, 60, 59, STOK_ERROR_INVALID_PARAMETER },
    { url, KEY, 60, 10801, STOK_ERROR_INVALID_PARAMETER },
    { url, KEY, 60, -60, STOK_ERROR_INVALID_PARAMETER },
    { with_path, KEY, 60, 0, STOK_ERROR_INVALID_URL },
    { "ftp://127.0.0.1", KEY, 60, 0, STOK_ERROR_INVALID_URL },
    { "", KEY, 60, 0, STOK_ERROR_INVALID_URL },
    { NULL, KEY, 60, 0, STOK_ERROR_INVALID_URL },
    { insecure, KEY, 60, 0, STOK_ERROR_INSECURE_URL },
    { url, NULL, 60, 0, STOK_ERROR_NO_KEY },
    { url, "", 60, 0, STOK_ERROR_NO_KEY },
    { url, " \n\t", 60, 0, STOK_ERROR_NO_KEY },
    { url, "sk-one\nX-Injected: yes", 60, 0, STOK_ERROR_INVALID_KEY },
    { url, "sk\001", 60, 0, STOK_ERROR_INVALID_KEY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StokExchange) exchange = NULL;
      g_autoptr(StokToken) token = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: %s", i, cases[i].server ? cases[i].server : "(null)");
      token = mint_full (fixture, cases[i].server, cases[i].key,
                         cases[i].expires_in, cases[i].max_session,
                         NULL, &exchange, &error);
      g_assert_null (token);
      g_assert_error (error, STOK_ERROR, (int) cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_null (exchange);
    }

  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 0);
}

static void
test_redirect (Fixture       *fixture,
               gconstpointer  user_data)
{
  static const guint statuses[] = { 301, 302, 303, 307, 308 };
  g_autoptr(StokFakeServer) elsewhere = stok_fake_server_new_listening ();
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;

  location = g_strconcat (stok_fake_server_get_url (elsewhere), "/v3/token?expires_in_seconds=60", NULL);
  stok_fake_server_set_extra_header (fixture->server, "Location", location);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(StokExchange) exchange = NULL;
      g_autoptr(StokToken) token = NULL;

      stok_fake_server_set_reply (fixture->server, statuses[i], NULL, NULL, 0);

      token = mint (fixture, &exchange, &error);
      g_assert_null (token);
      g_assert_error (error, STOK_ERROR, STOK_ERROR_REDIRECTED);
      g_assert_cmpuint (stok_exchange_get_status (exchange), ==, statuses[i]);
      g_clear_error (&error);
    }

  /* The key never went to the other server. */
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, G_N_ELEMENTS (statuses));
  g_assert_cmpuint (stok_fake_server_get_request_count (elsewhere), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&elsewhere));
}

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, stok_client_fixture_set_up, func, stok_client_fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD_TEST ("/token-client/success", test_success);
  ADD_TEST ("/token-client/success/default-session", test_success_default_session);
  ADD_TEST ("/token-client/success/slow-chunked", test_success_slow);
  ADD_TEST ("/token-client/error/400", test_error_400);
  ADD_TEST ("/token-client/error/401", test_error_401);
  ADD_TEST ("/token-client/error/statuses", test_error_statuses);
  ADD_TEST ("/token-client/error/502-html", test_error_502_html);
  ADD_TEST ("/token-client/error/429", test_error_429);
  ADD_TEST ("/token-client/malformed", test_malformed);
  ADD_TEST ("/token-client/too-large", test_too_large);
  ADD_TEST ("/token-client/huge-error-page", test_huge_error_page);
  ADD_TEST ("/token-client/cancel", test_cancel);
  ADD_TEST ("/token-client/timeout", test_timeout);
  ADD_TEST ("/token-client/connection-refused", test_connection_refused);
  ADD_TEST ("/token-client/nothing-sent-when-invalid", test_nothing_sent_when_invalid);
  ADD_TEST ("/token-client/redirect", test_redirect);

  return g_test_run ();
}
