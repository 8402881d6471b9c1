/* test-cli.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `streaming-token --print-token` as a script sees it: the built binary,
 * run against the fake token server that serves from this test's main
 * loop. Stdout, stderr and the exit status are the interface. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "stok-fake-server.h"
#include "stok-test-cli.h"

#define KEY "sk-cli-0123456789"

/* A session bus with no Secret Service on it, so that a missing key is
 * never found in the keyring of whoever runs the tests. */
static GTestDBus *bus;

typedef struct
{
  StokFakeServer *server;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->server = stok_fake_server_new_listening ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->server));
}

/* Runs streaming-token with @args; @api_key NULL leaves ASSEMBLYAI_API_KEY
 * unset. */
static StokCliRun *
run_cli (const char * const *args,
         const char         *api_key)
{
  g_auto(GStrv) env = stok_cli_environ (api_key, g_test_dbus_get_bus_address (bus));

  return stok_cli_run (args, env);
}

static char *
server_arg (Fixture *fixture)
{
  return g_strconcat ("--server=", stok_fake_server_get_url (fixture->server), NULL);
}

static void
test_print_token (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *server = server_arg (fixture);
  const char * const args[] = { "--print-token", server, NULL };
  g_autoptr(StokCliRun) run = NULL;
  g_autofree char *expected = NULL;

  stok_fake_server_set_api_key (fixture->server, KEY);

  /* A key exported with stray whitespace, as copied from a web page. */
  run = run_cli (args, "  " KEY " \n");

  g_assert_cmpint (run->status, ==, 0);
  /* The token alone, so that T=$(streaming-token --print-token) works. */
  g_assert_nonnull (stok_fake_server_get_last_token (fixture->server));
  expected = g_strconcat (stok_fake_server_get_last_token (fixture->server), "\n", NULL);
  g_assert_cmpstr (run->out, ==, expected);
  g_assert_cmpstr (run->err, ==, "");

  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 1);
  g_assert_cmpstr (stok_fake_server_get_last_request_header (fixture->server, "Authorization"), ==, KEY);
  g_assert_cmpstr (stok_fake_server_get_last_request_query (fixture->server), ==, "expires_in_seconds=60");
}

static void
test_print_token_options (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *server = server_arg (fixture);
  const char * const short_args[] = { "--print-token", "-e", "120", "-m", "600", server, NULL };
  const char * const long_args[] = { "--print-token", "--expires-in-seconds=1",
                                     "--max-session-duration-seconds=10800", server, NULL };
  g_autoptr(StokCliRun) short_run = NULL;
  g_autoptr(StokCliRun) long_run = NULL;
  gint64 expires_in = 0;
  gint64 max_session = 0;

  short_run = run_cli (short_args, KEY);
  g_assert_cmpint (short_run->status, ==, 0);
  g_assert_cmpstr (stok_fake_server_get_last_request_query (fixture->server), ==,
                   "expires_in_seconds=120&max_session_duration_seconds=600");
  g_strchomp (short_run->out);
  g_assert_true (stok_fake_server_lookup_token (fixture->server, short_run->out, &expires_in, &max_session, NULL));
  g_assert_cmpint (expires_in, ==, 120);
  g_assert_cmpint (max_session, ==, 600);

  long_run = run_cli (long_args, KEY);
  g_assert_cmpint (long_run->status, ==, 0);
  g_assert_cmpstr (stok_fake_server_get_last_request_query (fixture->server), ==,
                   "expires_in_seconds=1&max_session_duration_seconds=10800");
}

static void
test_json (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autofree char *server = server_arg (fixture);
  const char * const args[] = { "--print-token", "--json", "-e", "90", server, NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(StokCliRun) run = NULL;
  JsonObject *object;

  run = run_cli (args, KEY);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  stok_assert_one_line (run->out);

  json_parser_load_from_data (parser, run->out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (json_object_get_string_member (object, "token"), ==,
                   stok_fake_server_get_last_token (fixture->server));
  g_assert_cmpint (json_object_get_int_member (object, "expires_in_seconds"), ==, 90);
  g_assert_cmpint (json_object_get_int_member (object, "max_session_duration_seconds"), ==, 10800);
  g_assert_cmpstr (json_object_get_string_member (object, "server"), ==,
                   stok_fake_server_get_url (fixture->server));
  g_assert_true (json_object_has_member (object, "expires_at"));
}

static void
test_unauthorized (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *server = server_arg (fixture);
  const char * const args[] = { "--print-token", server, NULL };
  g_autoptr(StokCliRun) run = NULL;

  stok_fake_server_set_api_key (fixture->server, "sk-the-right-one");

  run = run_cli (args, KEY);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");
  /* One line with the status and the server's own words. */
  stok_assert_one_line (run->err);
  g_assert_nonnull (strstr (run->err, "HTTP 401"));
  g_assert_nonnull (strstr (run->err, STOK_FAKE_UNAUTHORIZED_MESSAGE));
  g_assert_null (strstr (run->err, KEY));
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 1);
}

static void
test_request_failed (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *server = server_arg (fixture);
  const char * const args[] = { "--print-token", server, NULL };
  g_autoptr(StokCliRun) rate_limited = NULL;
  g_autoptr(StokCliRun) gateway = NULL;
  g_autoptr(StokCliRun) malformed = NULL;

  stok_fake_server_set_reply (fixture->server, 429, "application/json",
                              "{\"error\": \"Too many requests\"}", -1);
  stok_fake_server_set_extra_header (fixture->server, "Retry-After", "7");
  rate_limited = run_cli (args, KEY);
  g_assert_cmpint (rate_limited->status, ==, 1);
  stok_assert_one_line (rate_limited->err);
  g_assert_nonnull (strstr (rate_limited->err, "HTTP 429"));
  g_assert_nonnull (strstr (rate_limited->err, "Too many requests"));
  g_assert_nonnull (strstr (rate_limited->err, "7 s"));
  stok_fake_server_set_extra_header (fixture->server, "Retry-After", NULL);

  /* A proxy's HTML page is not printed to the terminal. */
  stok_fake_server_set_canned_reply (fixture->server, STOK_FAKE_REPLY_GATEWAY_HTML);
  gateway = run_cli (args, KEY);
  g_assert_cmpint (gateway->status, ==, 1);
  stok_assert_one_line (gateway->err);
  g_assert_nonnull (strstr (gateway->err, "HTTP 502"));
  g_assert_null (strchr (gateway->err, '<'));

  stok_fake_server_set_canned_reply (fixture->server, STOK_FAKE_REPLY_MISSING_TOKEN);
  malformed = run_cli (args, KEY);
  g_assert_cmpint (malformed->status, ==, 1);
  g_assert_cmpstr (malformed->out, ==, "");
  stok_assert_one_line (malformed->err);
}

static void
test_connection_refused (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *server = server_arg (fixture);
  const char * const args[] = { "--print-token", server, NULL };
  g_autoptr(StokCliRun) run = NULL;

  /* Nothing listens there any more. */
  g_assert_finalize_object (g_steal_pointer (&fixture->server));

  run = run_cli (args, KEY);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");
  stok_assert_one_line (run->err);

  fixture_set_up (fixture, user_data);
}

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *server = server_arg (fixture);
  g_autofree char *with_path = g_strconcat (server, "/v3/token", NULL);
  g_autofree char *insecure = g_strdup_printf ("--server=http://example.com:%u",
                                               stok_fake_server_get_port (fixture->server));
  const char * const cases[][8] = {
    { "--print-token", "-e", "0", server, NULL },
    { "--print-token", "-e", "601", server, NULL },
    { "--print-token", "-e", "3600", server, NULL },
    { "--print-token", "-m", "59", server, NULL },
    { "--print-token", "-m", "10801", server, NULL },
    { "--print-token", "-e", "abc", server, NULL },
    { "--print-token", "-e", "60.5", server, NULL },
    { "--print-token", "--expires-in-seconds=", server, NULL },
    { "--print-token", "--max-session-duration-seconds=3h", server, NULL },
    { "--print-token", "--server=http://example.com", NULL },
    { "--print-token", insecure, NULL },
    { "--print-token", with_path, NULL },
    { "--print-token", "--server=ftp://127.0.0.1", NULL },
    { "--print-token", server, "unexpected", NULL },
    { "--print-token", "--no-such-option", server, NULL },
    { "--json", server, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StokCliRun) run = NULL;

      g_test_message ("%s %s %s", cases[i][0], cases[i][1], cases[i][2] ? cases[i][2] : "");
      run = run_cli (cases[i], KEY);
      g_assert_cmpint (run->status, ==, 2);
      g_assert_cmpstr (run->out, ==, "");
      g_assert_true (g_str_has_prefix (run->err, "streaming-token: "));
    }

  /* Checked before any network traffic. */
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 0);
}

static void
test_no_key (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *server = server_arg (fixture);
  const char * const args[] = { "--print-token", server, NULL };
  g_autoptr(StokCliRun) unset = NULL;
  g_autoptr(StokCliRun) blank = NULL;
  gint64 start;

  /* No ASSEMBLYAI_API_KEY and no keyring to fall back on. */
  start = g_get_monotonic_time ();
  unset = run_cli (args, NULL);
  g_assert_cmpint (unset->status, ==, 2);
  g_assert_cmpstr (unset->out, ==, "");
  g_assert_nonnull (strstr (unset->err, "ASSEMBLYAI_API_KEY"));
  /* At once, not after the keyring's time limit. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  /* Only whitespace is no key either. */
  blank = run_cli (args, " \n");
  g_assert_cmpint (blank->status, ==, 2);
  g_assert_nonnull (strstr (blank->err, "ASSEMBLYAI_API_KEY"));

  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 0);
}

static void
test_invalid_key (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *server = server_arg (fixture);
  const char * const args[] = { "--print-token", server, NULL };
  g_autoptr(StokCliRun) run = NULL;

  /* Two keys pasted one under the other: a line break inside cannot go
   * into a header, and is a usage error, not a failed request. */
  run = run_cli (args, KEY "\n" KEY "\n");
  g_assert_cmpint (run->status, ==, 2);
  g_assert_cmpstr (run->out, ==, "");
  stok_assert_one_line (run->err);
  g_assert_null (strstr (run->err, KEY));
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 0);
}

static void
test_version (Fixture       *fixture,
              gconstpointer  user_data)
{
  const char * const args[] = { "--version", NULL };
  g_autoptr(StokCliRun) run = NULL;

  run = run_cli (args, NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (g_str_has_prefix (run->out, "streaming-token "));
}

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  ADD_TEST ("/cli/print-token", test_print_token);
  ADD_TEST ("/cli/print-token/options", test_print_token_options);
  ADD_TEST ("/cli/json", test_json);
  ADD_TEST ("/cli/failed/unauthorized", test_unauthorized);
  ADD_TEST ("/cli/failed/request", test_request_failed);
  ADD_TEST ("/cli/failed/connection-refused", test_connection_refused);
  ADD_TEST ("/cli/usage/invalid", test_usage_errors);
  ADD_TEST ("/cli/usage/no-key", test_no_key);
  ADD_TEST ("/cli/usage/invalid-key", test_invalid_key);
  ADD_TEST ("/cli/version", test_version);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  status = g_test_run ();

  g_test_dbus_down (bus);
  g_clear_object (&bus);

  return status;
}
