/* test-failures.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The failure matrix: every way a network or a server can fail a token
 * request, each against a real server on loopback, through the client and
 * through `streaming-token --print-token`. Each case must give its own
 * error code, a message a person can read (and that holds no key), and on
 * the command line exit status 1 with exactly one line on stderr.
 *
 * test-token-client.c checks the exchange's bookkeeping for many of these
 * statuses; here the point is what the user is told, the same way on both
 * sides. The window's side is in test-window-failures.c. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "stok-error.h"
#include "stok-fake-server.h"
#include "stok-raw-server.h"
#include "stok-test-cli.h"
#include "stok-test-util.h"
#include "stok-tls-server.h"
#include "stok-token-client.h"

#define KEY "sk-failures-0123456789"

/* Short, so that the silent and trickling servers cost little time; the
 * command line keeps its own default, which is part of what is tested. */
#define CLIENT_TIMEOUT 2

/* A body long enough that, a byte every 50 ms, it would take over a
 * minute and a half: only the time limit can end the exchange early. */
#define TRICKLE_BODY_LENGTH 2000
#define TRICKLE_INTERVAL_MS 50

/* A session bus with no Secret Service, so that a command line that
 * looked for a key would find none of the user's. */
static GTestDBus *bus;

typedef struct
{
  StokFakeServer *server;
  StokFakeServer *elsewhere;
  StokRawServer *raw;
  StokTlsServer *tls;
  StokTokenClient *client;
  char *url;
  guint elsewhere_requests;
} Fixture;

/* The command line gives up on a silent or trickling server only after
 * its own 30 s; those two runs start before every other case and run
 * alongside them, so that the suite does not wait for them in turn. */
typedef struct
{
  StokRawServer *raw;
  StokCliRun *run;
} SlowRun;

static SlowRun slow_silent;
static SlowRun slow_trickle;

typedef struct
{
  const char *path;
  void (*arrange) (Fixture *fixture);
  StokErrorCode code;
  const char *fragment;
  void (*check) (Fixture *fixture, StokExchange *exchange, const char *cli_line);
  SlowRun *slow;
  guint timeout;
} Case;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = stok_fake_server_new_listening ();
  fixture->elsewhere = stok_fake_server_new_listening ();
  fixture->raw = stok_raw_server_new ();
  stok_raw_server_listen (fixture->raw, &error);
  g_assert_no_error (error);

  fixture->client = stok_token_client_new ();
  fixture->url = g_strdup (stok_fake_server_get_url (fixture->server));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->client));
  g_assert_finalize_object (g_steal_pointer (&fixture->server));
  g_assert_finalize_object (g_steal_pointer (&fixture->elsewhere));
  g_assert_finalize_object (g_steal_pointer (&fixture->raw));
  if (fixture->tls != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->tls));
  g_clear_pointer (&fixture->url, g_free);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static StokToken *
mint (StokTokenClient  *client,
      const char       *url,
      StokExchange    **exchange,
      GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stok_token_client_mint_async (client, url, KEY, 60, 0, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return stok_token_client_mint_finish (client, result, exchange, error);
}

static void
set_body (Fixture    *fixture,
          const char *body)
{
  stok_fake_server_set_reply (fixture->server, 200, "application/json", body, -1);
}

/* Arrangements: each points fixture->url at a server that fails in one
 * way. */

static void
arrange_refused (Fixture *fixture)
{
  g_free (fixture->url);
  fixture->url = g_strdup_printf ("http://127.0.0.1:%u", stok_test_find_closed_port ());
}

static void
arrange_host_not_found (Fixture *fixture)
{
  /* RFC 6761: .invalid never resolves, so nothing but the lookup itself
   * leaves the machine, and with no resolver at all it fails the same. */
  g_free (fixture->url);
  fixture->url = g_strdup ("https://stok-failures.invalid");
}

static void
arrange_tls (Fixture *fixture)
{
  fixture->tls = stok_tls_server_new_or_skip ();
  if (fixture->tls == NULL)
    return;

  g_free (fixture->url);
  fixture->url = g_strdup (stok_tls_server_get_url (fixture->tls));
}

static void
arrange_raw_silent (StokRawServer *raw)
{
  stok_raw_server_set_reply (raw, STOK_RAW_SILENT, NULL, 0);
}

static void
arrange_raw_trickle (StokRawServer *raw)
{
  g_autoptr(GString) body = g_string_new ("{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "e30.c2ln\", \"expires_in_seconds\": 60");
  g_autofree char *reply = NULL;

  /* Valid JSON to the last byte: whitespace is allowed before the brace. */
  while (body->len < TRICKLE_BODY_LENGTH - 1)
    g_string_append_c (body, ' ');
  g_string_append_c (body, '}');

  reply = stok_raw_reply_new (200, "application/json", body->str);
  stok_raw_server_set_trickle_interval (raw, TRICKLE_INTERVAL_MS);
  stok_raw_server_set_reply (raw, STOK_RAW_TRICKLE, reply, -1);
}

static void
arrange_no_reply (Fixture *fixture)
{
  arrange_raw_silent (fixture->raw);
  g_free (fixture->url);
  fixture->url = g_strdup (stok_raw_server_get_url (fixture->raw));
}

static void
arrange_trickle (Fixture *fixture)
{
  arrange_raw_trickle (fixture->raw);
  g_free (fixture->url);
  fixture->url = g_strdup (stok_raw_server_get_url (fixture->raw));
}

static void
arrange_too_large (Fixture *fixture)
{
  /* Chunked, so that only counting while reading can catch it. */
  stok_fake_server_set_chunked (fixture->server, TRUE);
  stok_fake_server_set_huge_reply (fixture->server, 1024 * 1024);
}

static void
arrange_gateway_html (Fixture *fixture)
{
  stok_fake_server_set_canned_reply (fixture->server, STOK_FAKE_REPLY_GATEWAY_HTML);
}

static void
arrange_empty (Fixture *fixture)
{
  stok_fake_server_set_canned_reply (fixture->server, STOK_FAKE_REPLY_EMPTY);
}

static void
arrange_token_missing (Fixture *fixture)
{
  set_body (fixture, "{\"expires_in_seconds\": 60}");
}

static void
arrange_token_number (Fixture *fixture)
{
  set_body (fixture, "{\"token\": 1234567890, \"expires_in_seconds\": 60}");
}

static void
arrange_token_empty (Fixture *fixture)
{
  set_body (fixture, "{\"token\": \"\", \"expires_in_seconds\": 60}");
}

static void
arrange_token_megabyte (Fixture *fixture)
{
  g_autoptr(GString) body = g_string_new ("{\"token\": \"" STOK_FAKE_TOKEN_PREFIX);

  while (body->len < 1024 * 1024)
    g_string_append (body, "eyJhbGciOiJIUzI1NiJ9");
  g_string_append (body, "\", \"expires_in_seconds\": 60}");
  set_body (fixture, body->str);
}

static void
arrange_token_too_long (Fixture *fixture)
{
  g_autoptr(GString) body = g_string_new ("{\"token\": \"" STOK_FAKE_TOKEN_PREFIX);

  /* Under the reply's cap, over any token's length. */
  while (body->len < 2 * STOK_TOKEN_MAX_LENGTH)
    g_string_append_c (body, 'A');
  g_string_append (body, "\", \"expires_in_seconds\": 60}");
  set_body (fixture, body->str);
}

static void
arrange_token_control (Fixture *fixture)
{
  /* A bell, and a line break that would end a header or a shell line. */
  set_body (fixture, "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "\\u0007e30\\nX-Injected: yes\", \"expires_in_seconds\": 60}");
}

static void
arrange_expires_negative (Fixture *fixture)
{
  set_body (fixture, "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "e30.c2ln\", \"expires_in_seconds\": -60}");
}

static void
arrange_expires_zero (Fixture *fixture)
{
  set_body (fixture, "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "e30.c2ln\", \"expires_in_seconds\": 0}");
}

static void
arrange_expires_fractional (Fixture *fixture)
{
  set_body (fixture, "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "e30.c2ln\", \"expires_in_seconds\": 59.5}");
}

static void
arrange_expires_string (Fixture *fixture)
{
  set_body (fixture, "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "e30.c2ln\", \"expires_in_seconds\": \"60\"}");
}

static void
arrange_expires_above_600 (Fixture *fixture)
{
  set_body (fixture, "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "e30.c2ln\", \"expires_in_seconds\": 3600}");
}

static void
arrange_rate_limited (Fixture *fixture)
{
  stok_fake_server_set_reply (fixture->server, 429, "application/json",
                              "{\"error\": \"Too many requests\"}", -1);
}

static void
arrange_rate_limited_seconds (Fixture *fixture)
{
  arrange_rate_limited (fixture);
  stok_fake_server_set_extra_header (fixture->server, "Retry-After", "7");
}

static void
arrange_rate_limited_date (Fixture *fixture)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 120);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);

  arrange_rate_limited (fixture);
  stok_fake_server_set_extra_header (fixture->server, "Retry-After", date);
}

static void
arrange_reset_mid_body (Fixture *fixture)
{
  g_autofree char *reply = NULL;

  reply = stok_raw_reply_new (200, "application/json",
                              "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "eyJqdGkiOiJyZXNldCJ9.c2lnbmF0dXJl\", \"expires_in_seconds\": 60}");
  stok_raw_server_set_reply (fixture->raw, STOK_RAW_RESET_MID_BODY, reply, -1);
  g_free (fixture->url);
  fixture->url = g_strdup (stok_raw_server_get_url (fixture->raw));
}

static void
arrange_redirect (Fixture *fixture)
{
  g_autoptr(StokToken) control = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;

  /* First show that the other server records a key that does reach it,
   * so that its silence below means something. */
  control = mint (fixture->client, stok_fake_server_get_url (fixture->elsewhere), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stok_fake_server_get_last_request_header (fixture->elsewhere, "Authorization"), ==, KEY);
  fixture->elsewhere_requests = stok_fake_server_get_request_count (fixture->elsewhere);

  /* Another host name for the same loopback, as a hostile or confused
   * server would name another machine. */
  location = g_strdup_printf ("http://localhost:%u/v3/token?expires_in_seconds=60",
                              stok_fake_server_get_port (fixture->elsewhere));
  stok_fake_server_set_reply (fixture->server, 302, NULL, NULL, 0);
  stok_fake_server_set_extra_header (fixture->server, "Location", location);
}

/* Checks beyond the code and the message. */

static void
check_tls (Fixture      *fixture,
           StokExchange *exchange,
           const char   *cli_line)
{
  /* Refused during the handshake: the request, and the key in it, never
   * went out. */
  g_assert_cmpuint (stok_tls_server_get_n_requests (fixture->tls), ==, 0);
  g_assert_null (strstr (cli_line, "--insecure"));
}

static void
check_trickle (Fixture      *fixture,
               StokExchange *exchange,
               const char   *cli_line)
{
  /* It really was trickling, not silent: some of the body came. */
  g_assert_cmpuint (stok_raw_server_get_n_bytes_sent (fixture->raw), >, 100);
  g_assert_cmpuint (stok_raw_server_get_n_bytes_sent (fixture->raw), <, TRICKLE_BODY_LENGTH);
}

static void
check_retry_seconds (Fixture      *fixture,
                     StokExchange *exchange,
                     const char   *cli_line)
{
  g_assert_cmpint (stok_exchange_get_retry_after (exchange), ==, 7);
  g_assert_nonnull (strstr (cli_line, "Retry after 7 s."));
}

static void
check_retry_date (Fixture      *fixture,
                  StokExchange *exchange,
                  const char   *cli_line)
{
  const char *retry = strstr (cli_line, "Retry after ");
  int minutes = 0;
  int seconds = 0;

  g_assert_cmpint (stok_exchange_get_retry_after (exchange), >, 90);
  g_assert_cmpint (stok_exchange_get_retry_after (exchange), <=, 120);

  /* The date, turned into the wait a person can act on: "1 min 58 s". */
  g_assert_nonnull (retry);
  retry += strlen ("Retry after ");
  if (sscanf (retry, "%d min %d s", &minutes, &seconds) < 1)
    g_assert_cmpint (sscanf (retry, "%d s", &seconds), ==, 1);
  else if (strstr (retry, " min ") == NULL)
    seconds = 0;
  g_assert_cmpint (minutes * 60 + seconds, >, 90);
  g_assert_cmpint (minutes * 60 + seconds, <=, 120);
}

static void
check_retry_none (Fixture      *fixture,
                  StokExchange *exchange,
                  const char   *cli_line)
{
  g_assert_cmpint (stok_exchange_get_retry_after (exchange), ==, -1);
  g_assert_null (strstr (cli_line, "Retry after"));
}

static void
check_reset (Fixture      *fixture,
             StokExchange *exchange,
             const char   *cli_line)
{
  /* The head went out, the body only in part. */
  g_assert_cmpuint (stok_exchange_get_status (exchange), ==, 200);
  g_assert_cmpuint (stok_raw_server_get_n_requests (fixture->raw), ==, 2);
}

static void
check_redirect (Fixture      *fixture,
                StokExchange *exchange,
                const char   *cli_line)
{
  /* The key went to the server asked, and nowhere else. */
  g_assert_cmpstr (stok_fake_server_get_last_request_header (fixture->server, "Authorization"), ==, KEY);
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 2);
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->elsewhere), ==, fixture->elsewhere_requests);
  g_assert_cmpuint (stok_exchange_get_status (exchange), ==, 302);
}

static const Case cases[] = {
  { "/failures/connection-refused", arrange_refused, STOK_ERROR_CONNECTION, "Connection refused" },
  { "/failures/host-not-found", arrange_host_not_found, STOK_ERROR_HOST_NOT_FOUND, "stok-failures.invalid" },
  { "/failures/tls-self-signed", arrange_tls, STOK_ERROR_TLS, "secure connection", check_tls },
  { "/failures/no-reply", arrange_no_reply, STOK_ERROR_TIMEOUT, "did not answer in time", NULL, &slow_silent, CLIENT_TIMEOUT },
  { "/failures/trickle", arrange_trickle, STOK_ERROR_TIMEOUT, "did not answer in time", check_trickle, &slow_trickle, CLIENT_TIMEOUT },
  { "/failures/too-large", arrange_too_large, STOK_ERROR_RESPONSE_TOO_LARGE, "larger than 64 KiB" },
  { "/failures/gateway-502-html", arrange_gateway_html, STOK_ERROR_SERVER, "HTTP 502" },
  { "/failures/empty-200", arrange_empty, STOK_ERROR_MALFORMED_RESPONSE, "empty" },
  { "/failures/token/missing", arrange_token_missing, STOK_ERROR_MALFORMED_RESPONSE, "no “token”" },
  { "/failures/token/number", arrange_token_number, STOK_ERROR_MALFORMED_RESPONSE, "“token” is not a string" },
  { "/failures/token/empty", arrange_token_empty, STOK_ERROR_MALFORMED_RESPONSE, "“token” is empty" },
  { "/failures/token/megabyte", arrange_token_megabyte, STOK_ERROR_RESPONSE_TOO_LARGE, "larger than 64 KiB" },
  { "/failures/token/too-long", arrange_token_too_long, STOK_ERROR_MALFORMED_RESPONSE, "“token” is longer than" },
  { "/failures/token/control-characters", arrange_token_control, STOK_ERROR_MALFORMED_RESPONSE, "control characters" },
  { "/failures/expires/negative", arrange_expires_negative, STOK_ERROR_MALFORMED_RESPONSE, "is -60, outside 1 to 600" },
  { "/failures/expires/zero", arrange_expires_zero, STOK_ERROR_MALFORMED_RESPONSE, "is 0, outside 1 to 600" },
  { "/failures/expires/fractional", arrange_expires_fractional, STOK_ERROR_MALFORMED_RESPONSE, "not a whole number" },
  { "/failures/expires/string", arrange_expires_string, STOK_ERROR_MALFORMED_RESPONSE, "not a whole number" },
  { "/failures/expires/above-600", arrange_expires_above_600, STOK_ERROR_MALFORMED_RESPONSE, "is 3600, outside 1 to 600" },
  { "/failures/rate-limited/retry-after-seconds", arrange_rate_limited_seconds, STOK_ERROR_RATE_LIMITED, "HTTP 429: Too many requests", check_retry_seconds },
  { "/failures/rate-limited/retry-after-date", arrange_rate_limited_date, STOK_ERROR_RATE_LIMITED, "HTTP 429: Too many requests", check_retry_date },
  { "/failures/rate-limited/no-retry-after", arrange_rate_limited, STOK_ERROR_RATE_LIMITED, "HTTP 429: Too many requests", check_retry_none },
  { "/failures/reset-mid-body", arrange_reset_mid_body, STOK_ERROR_CONNECTION_LOST, "broke before the reply was complete", check_reset },
  { "/failures/redirect-to-other-host", arrange_redirect, STOK_ERROR_REDIRECTED, "HTTP 302", check_redirect },
};

/* A message for a person: text, one line, not markup, not a wall of the
 * server's bytes, and never the key. */
static void
assert_readable (const char *message,
                 const char *fragment)
{
  g_assert_true (g_utf8_validate (message, -1, NULL));
  g_assert_cmpuint (strlen (message), >=, 10);
  g_assert_cmpuint (strlen (message), <=, 300);
  for (const char *p = message; *p; p++)
    g_assert_false ((guchar) *p < 0x20 || (guchar) *p == 0x7f);
  g_assert_null (strchr (message, '<'));
  g_assert_null (strstr (message, KEY));
  g_assert_nonnull (strstr (message, fragment));
}

static void
check_cli (const Case *c,
           StokCliRun *run)
{
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");
  stok_assert_one_line (run->err);
  g_assert_true (g_str_has_prefix (run->err, "streaming-token: "));
  g_strchomp (run->err);
  assert_readable (run->err, c->fragment);
}

static void
test_case (Fixture       *fixture,
           gconstpointer  user_data)
{
  const Case *c = user_data;
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(StokCliRun) own_run = NULL;
  g_autoptr(GError) error = NULL;
  StokCliRun *run;
  gint64 start;
  gint64 elapsed;

  c->arrange (fixture);
  if (c->arrange == arrange_tls && fixture->tls == NULL)
    return;

  if (c->timeout != 0)
    stok_token_client_set_timeout (fixture->client, c->timeout);

  start = g_get_monotonic_time ();
  token = mint (fixture->client, fixture->url, &exchange, &error);
  elapsed = g_get_monotonic_time () - start;

  g_assert_null (token);
  g_assert_error (error, STOK_ERROR, (int) c->code);
  g_test_message ("%s: %s", stok_error_get_title (error), error->message);
  assert_readable (error->message, c->fragment);

  /* Bounded: the time limit, never the server, decides how long. */
  g_assert_cmpint (elapsed, <, (stok_token_client_get_timeout (fixture->client) + 5) * G_USEC_PER_SEC);
  if (c->code == STOK_ERROR_TIMEOUT)
    g_assert_cmpint (elapsed, >=, (c->timeout * G_USEC_PER_SEC) * 3 / 4);

  if (c->slow != NULL)
    {
      run = c->slow->run;
      stok_cli_run_wait (run);
      g_assert_cmpuint (stok_raw_server_get_n_requests (c->slow->raw), ==, 1);
      /* The command line's own limit, 30 s, ended it; nothing longer. */
      g_assert_cmpint (run->elapsed_us, >=, (STOK_TOKEN_CLIENT_DEFAULT_TIMEOUT - 3) * G_USEC_PER_SEC);
      g_assert_cmpint (run->elapsed_us, <, (STOK_TOKEN_CLIENT_DEFAULT_TIMEOUT + 15) * G_USEC_PER_SEC);
    }
  else
    {
      g_autofree char *server = g_strconcat ("--server=", fixture->url, NULL);
      const char * const args[] = { "--print-token", server, NULL };
      g_auto(GStrv) env = stok_cli_environ (KEY, g_test_dbus_get_bus_address (bus));

      own_run = stok_cli_run (args, env);
      run = own_run;
    }

  check_cli (c, run);

  if (c->check != NULL)
    c->check (fixture, exchange, run->err);
}

static void
start_slow_run (SlowRun *slow,
                void   (*arrange) (StokRawServer *raw))
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_auto(GStrv) env = NULL;

  slow->raw = stok_raw_server_new ();
  stok_raw_server_listen (slow->raw, &error);
  g_assert_no_error (error);
  arrange (slow->raw);

  server = g_strconcat ("--server=", stok_raw_server_get_url (slow->raw), NULL);
  env = stok_cli_environ (KEY, g_test_dbus_get_bus_address (bus));
  slow->run = stok_cli_run_start ((const char * const []) { "--print-token", server, NULL }, env);
}

static void
stop_slow_run (SlowRun *slow)
{
  if (slow->run == NULL)
    return;

  /* Only there when its case did not run: then there is no need to wait. */
  if (!stok_cli_run_done (slow->run))
    g_subprocess_force_exit (slow->run->process);
  stok_cli_run_wait (slow->run);
  g_clear_pointer (&slow->run, stok_cli_run_free);
  g_clear_object (&slow->raw);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* A proxy between the client and 127.0.0.1 would change every answer. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("all_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("ALL_PROXY");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add (cases[i].path, Fixture, &cases[i], fixture_set_up, test_case, fixture_tear_down);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  if (!g_test_subprocess ())
    {
      start_slow_run (&slow_silent, arrange_raw_silent);
      start_slow_run (&slow_trickle, arrange_raw_trickle);
    }

  status = g_test_run ();

  stop_slow_run (&slow_silent);
  stop_slow_run (&slow_trickle);

  g_test_dbus_down (bus);
  g_clear_object (&bus);

  return status;
}
