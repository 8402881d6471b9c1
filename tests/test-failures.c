/* test-failures.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The failure matrix of stok-failure-cases.c, through the client and
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

#include "stok-failure-cases.h"
#include "stok-test-cli.h"
#include "stok-test-util.h"
#include "stok-token-client.h"

#define KEY STOK_FAILURE_KEY

/* A session bus with no Secret Service, so that a command line that
 * looked for a key would find none of the user's. */
static GTestDBus *bus;

typedef struct
{
  StokFailureServers servers;
  StokTokenClient *client;
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

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  stok_failure_servers_set_up (&fixture->servers);
  fixture->client = stok_token_client_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->client));
  stok_failure_servers_tear_down (&fixture->servers);
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

/* Checks of the client's exchange and the command line's line, beyond
 * the code and the message. */

static void
check_tls (Fixture      *fixture,
           StokExchange *exchange,
           const char   *cli_line)
{
  g_assert_null (strstr (cli_line, "--insecure"));
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
  /* The head went out, the body only in part, to the client and then to
   * the command line. */
  g_assert_cmpuint (stok_exchange_get_status (exchange), ==, 200);
  g_assert_cmpuint (stok_raw_server_get_n_requests (fixture->servers.raw), ==, 2);
}

static void
check_redirect (Fixture      *fixture,
                StokExchange *exchange,
                const char   *cli_line)
{
  /* Asked once by the client, once by the command line. */
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->servers.server), ==, 2);
  g_assert_cmpuint (stok_exchange_get_status (exchange), ==, 302);
}

static const struct
{
  const char *name;
  void (*check) (Fixture *fixture, StokExchange *exchange, const char *cli_line);
} client_checks[] = {
  { "tls-self-signed", check_tls },
  { "rate-limited/retry-after-seconds", check_retry_seconds },
  { "rate-limited/retry-after-date", check_retry_date },
  { "rate-limited/no-retry-after", check_retry_none },
  { "unavailable/retry-after-seconds", check_retry_seconds },
  { "reset-mid-body", check_reset },
  { "redirect-to-other-host", check_redirect },
};

static SlowRun *
slow_run_of (const StokFailureCase *c)
{
  switch (c->speed)
    {
    case STOK_FAILURE_SLOW_SILENT:
      return &slow_silent;

    case STOK_FAILURE_SLOW_TRICKLE:
      return &slow_trickle;

    case STOK_FAILURE_FAST:
    default:
      return NULL;
    }
}

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
check_cli (const StokFailureCase *c,
           StokCliRun            *run)
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
  const StokFailureCase *c = user_data;
  SlowRun *slow = slow_run_of (c);
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(StokCliRun) own_run = NULL;
  g_autoptr(GError) error = NULL;
  StokCliRun *run;
  gint64 start;
  gint64 elapsed;

  if (!c->arrange (&fixture->servers))
    return;

  if (c->timeout != 0)
    stok_token_client_set_timeout (fixture->client, c->timeout);

  start = g_get_monotonic_time ();
  token = mint (fixture->client, fixture->servers.url, &exchange, &error);
  elapsed = g_get_monotonic_time () - start;

  g_assert_null (token);
  g_assert_error (error, STOK_ERROR, (int) c->code);
  g_test_message ("%s: %s", stok_error_get_title (error), error->message);
  assert_readable (error->message, c->fragment);

  /* Bounded: the time limit, never the server, decides how long. */
  g_assert_cmpint (elapsed, <, (stok_token_client_get_timeout (fixture->client) + 5) * G_USEC_PER_SEC);
  if (c->code == STOK_ERROR_TIMEOUT)
    g_assert_cmpint (elapsed, >=, (c->timeout * G_USEC_PER_SEC) * 3 / 4);

  if (slow != NULL)
    {
      run = slow->run;
      stok_cli_run_wait (run);
      g_assert_cmpuint (stok_raw_server_get_n_requests (slow->raw), ==, 1);
      /* The command line's own limit, 30 s, ended it; nothing longer. */
      g_assert_cmpint (run->elapsed_us, >=, (STOK_TOKEN_CLIENT_DEFAULT_TIMEOUT - 3) * G_USEC_PER_SEC);
      g_assert_cmpint (run->elapsed_us, <, (STOK_TOKEN_CLIENT_DEFAULT_TIMEOUT + 15) * G_USEC_PER_SEC);
    }
  else
    {
      g_autofree char *server = g_strconcat ("--server=", fixture->servers.url, NULL);
      const char * const args[] = { "--print-token", server, NULL };
      g_auto(GStrv) env = stok_cli_environ (KEY, g_test_dbus_get_bus_address (bus));

      own_run = stok_cli_run (args, env);
      run = own_run;
    }

  check_cli (c, run);

  if (c->check != NULL)
    c->check (&fixture->servers);
  for (guint i = 0; i < G_N_ELEMENTS (client_checks); i++)
    if (g_str_equal (client_checks[i].name, c->name))
      client_checks[i].check (fixture, exchange, run->err);
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

  for (guint i = 0; i < stok_n_failure_cases; i++)
    {
      g_autofree char *path = g_strconcat ("/failures/", stok_failure_cases[i].name, NULL);

      g_test_add (path, Fixture, &stok_failure_cases[i], fixture_set_up, test_case, fixture_tear_down);
    }

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  if (!g_test_subprocess ())
    {
      start_slow_run (&slow_silent, stok_failure_arrange_silent);
      start_slow_run (&slow_trickle, stok_failure_arrange_trickle);
    }

  status = g_test_run ();

  stop_slow_run (&slow_silent);
  stop_slow_run (&slow_trickle);

  g_test_dbus_down (bus);
  g_clear_object (&bus);

  return status;
}
