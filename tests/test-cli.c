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
#include <signal.h>
#include <string.h>

#ifdef HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#include "stok-fake-server.h"
#include "stok-test-cli.h"

#define KEY "sk-cli-0123456789"

/* A session bus with no Secret Service on it, so that a missing key is
 * never found in the keyring of whoever runs the tests. */
static GTestDBus *bus;
/* GTestDBus unsets DISPLAY on the way up; the window needs it. */
static char *display;

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

#define HELP_HINT "Try “streaming-token --help” for more information.\n"

/* The command line's one format for times: ISO 8601 in UTC, to the
 * second. Returns its Unix time, or asserts. */
static gint64
assert_utc_time (const char *text)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *again = NULL;

  g_assert_nonnull (text);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", text, 0, 0));
  time = g_date_time_new_from_iso8601 (text, NULL);
  g_assert_nonnull (time);

  return g_date_time_to_unix (time);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
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
  g_autoptr(StokCliRun) run = NULL;
  JsonObject *object;
  gint64 before;
  gint64 deadline;

  before = g_get_real_time () / G_USEC_PER_SEC;
  run = run_cli (args, KEY);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  stok_assert_one_line (run->out);

  object = parse_object (parser, run->out);

  g_assert_cmpstr (json_object_get_string_member (object, "token"), ==,
                   stok_fake_server_get_last_token (fixture->server));
  g_assert_cmpint (json_object_get_int_member (object, "expires_in_seconds"), ==, 90);
  g_assert_cmpint (json_object_get_int_member (object, "max_session_duration_seconds"), ==, 10800);
  g_assert_cmpstr (json_object_get_string_member (object, "server"), ==,
                   stok_fake_server_get_url (fixture->server));

  /* The redemption deadline, named for what it is: 90 s after the
   * request was sent, in the command line's one format for times. */
  g_assert_false (json_object_has_member (object, "expires_at"));
  deadline = assert_utc_time (json_object_get_string_member (object, "redeemable_until"));
  g_assert_cmpint (deadline, >=, before + 90);
  g_assert_cmpint (deadline, <=, g_get_real_time () / G_USEC_PER_SEC + 90);
}

/* What a script captures with T=$(streaming-token --print-token) is the
 * token alone, even with GLib's debug output on. */
static void
test_debug_on_stderr (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *server = server_arg (fixture);
  const char * const args[] = { "--print-token", server, NULL };
  g_auto(GStrv) env = stok_cli_environ (KEY, g_test_dbus_get_bus_address (bus));
  g_autoptr(StokCliRun) run = NULL;
  g_autofree char *expected = NULL;

  env = g_environ_setenv (env, "G_MESSAGES_DEBUG", "all", TRUE);
  run = stok_cli_run (args, env);

  g_assert_cmpint (run->status, ==, 0);
  expected = g_strconcat (stok_fake_server_get_last_token (fixture->server), "\n", NULL);
  g_assert_cmpstr (run->out, ==, expected);
  /* The debug lines are there, on stderr. */
  g_assert_nonnull (strstr (run->err, "stok-token-client-DEBUG"));
  g_assert_null (strstr (run->out, KEY));
  g_assert_null (strstr (run->err, KEY));
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

  /* A proxy's HTML page is not printed to the terminal; that one came
   * instead of the API's JSON, and its title, which says whose, are. */
  stok_fake_server_set_canned_reply (fixture->server, STOK_FAKE_REPLY_GATEWAY_HTML);
  gateway = run_cli (args, KEY);
  g_assert_cmpint (gateway->status, ==, 1);
  stok_assert_one_line (gateway->err);
  g_assert_nonnull (strstr (gateway->err, "HTTP 502: a web page titled “502 Bad Gateway”, not the API’s JSON"));
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

/* A token that never reached stdout is lost: the script that captured
 * nothing must not be told that all went well. */
static void
test_output_failed (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *server = server_arg (fixture);
  const char * const text_args[] = { "--print-token", server, NULL };
  const char * const json_args[] = { "--print-token", "--json", server, NULL };
  const char * const *cases[] = { text_args, json_args };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) env = stok_cli_environ (KEY, g_test_dbus_get_bus_address (bus));
      g_autoptr(StokCliRun) run = stok_cli_run_start_full (cases[i], env, NULL, "/dev/full");

      stok_cli_run_wait (run);
      g_assert_cmpint (run->status, ==, 1);
      stok_assert_one_line (run->err);
      g_assert_cmpstr (run->err, ==, "streaming-token: Could not write the output: No space left on device\n");
    }
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
    { "-e", "120", server, NULL },
    { "--verify", "-e", "0", server, NULL },
    { "--verify", "-m", "10801", server, NULL },
    { "--verify", "--server=http://example.com", NULL },
    { "--verify", server, "unexpected", NULL },
    { "--verify", "--bogus", server, NULL },
    /* Without --print-token or --verify: what the window would refuse
     * is refused here, with the same status and hint. */
    { "--bogus", NULL },
    { "--bogus", "speech.wav", NULL },
    { "speech.wav", "-x", NULL },
    { "--server=http://example.com", NULL },
    { "--server", "ftp://127.0.0.1", "speech.wav", NULL },
    { "--server", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StokCliRun) run = NULL;
      g_autofree char *line = g_strjoinv (" ", (char **) cases[i]);

      g_test_message ("%s", line);
      run = run_cli (cases[i], KEY);
      g_assert_cmpint (run->status, ==, 2);
      g_assert_cmpstr (run->out, ==, "");
      g_assert_true (g_str_has_prefix (run->err, "streaming-token: "));
      /* What was wrong on one line, then where to look. */
      g_assert_true (g_str_has_suffix (run->err, HELP_HINT));
      g_assert_cmpint (strchr (run->err, '\n') + 1 - run->err, ==, strlen (run->err) - strlen (HELP_HINT));
    }

  /* Checked before any network traffic. */
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 0);
}

/* An option given without a mode is named in the error, not others. */
static void
test_option_without_mode (Fixture       *fixture,
                          gconstpointer  user_data)
{
  const char *cases[] = { "--format-turns", "--speech-model=whisper-rt", "--param=prompt=hi",
                          "--token-stdin", "--json", "--expires-in-seconds=60" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char * const args[] = { cases[i], NULL };
      g_autoptr(StokCliRun) run = run_cli (args, KEY);
      g_autofree char *name = g_strndup (cases[i], strcspn (cases[i], "="));

      g_test_message ("%s: %s", cases[i], run->err);
      g_assert_cmpint (run->status, ==, 2);
      g_assert_nonnull (strstr (run->err, name));
      g_assert_true (g_str_has_suffix (run->err, HELP_HINT));
    }
}

static void
test_conflicting_modes (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *server = server_arg (fixture);
  const char * const cases[][5] = {
    { "--print-token", "--verify", server, NULL },
    { "--verify", "--print-token", "--json", server, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StokCliRun) run = run_cli (cases[i], KEY);

      /* Refused, not one of the two silently run. */
      g_assert_cmpint (run->status, ==, 2);
      g_assert_cmpstr (run->out, ==, "");
      g_assert_nonnull (strstr (run->err, "--print-token"));
      g_assert_nonnull (strstr (run->err, "--verify"));
      g_assert_true (g_str_has_suffix (run->err, HELP_HINT));
    }

  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 0);
  g_assert_cmpuint (stok_fake_server_get_websocket_count (fixture->server), ==, 0);
}

static char *
read_proc (const char *pid,
           const char *name,
           gsize      *length)
{
  g_autofree char *path = g_build_filename ("/proc", pid, name, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, length, NULL))
    return NULL;

  return contents;
}

/* What the window takes goes to it as it was typed: streaming-token
 * replaces itself with streaming-token-app, same arguments. */
static void
test_window_arguments (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *server = server_arg (fixture);
  const char *url = stok_fake_server_get_url (fixture->server);
  const char * const cases[][5] = {
    { "speech.wav", NULL },
    { server, "speech.wav", "other.ogg", NULL },
    { "--server", url, "speech.wav", NULL },
    { "--", "-speech.wav", NULL },
    { "--gapplication-service", NULL },
  };

  /* The window needs a display to stay up while it is looked at. */
  if (display == NULL)
    {
      g_test_skip ("needs an X display");
      return;
    }

  /* Followed by valgrind, every program shows as valgrind's tool in
   * /proc, with valgrind's arguments. */
  if (RUNNING_ON_VALGRIND)
    {
      g_test_skip ("/proc shows valgrind, not the window, under valgrind");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) env = stok_cli_environ (KEY, g_test_dbus_get_bus_address (bus));
      g_autoptr(StokCliRun) run = NULL;
      g_autoptr(GString) expected = g_string_new (g_getenv ("STOK_STREAMING_TOKEN"));
      g_autofree char *line = g_strjoinv (" ", (char **) cases[i]);
      g_autofree char *cmdline = NULL;
      gsize length = 0;
      gboolean exec_seen = FALSE;
      gint64 deadline;

      g_test_message ("%s", line);
      g_assert_nonnull (g_getenv ("STOK_STREAMING_TOKEN"));
      env = g_environ_setenv (env, "DISPLAY", display, TRUE);
      run = stok_cli_run_start (cases[i], env);

      /* Looked at from the moment it starts: no window is waited for.
       * During the exec, the new executable shows a moment before its
       * arguments do. */
      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while (!exec_seen && g_get_monotonic_time () < deadline)
        {
          g_autofree char *exe_link = g_build_filename ("/proc", run->pid, "exe", NULL);
          g_autofree char *exe = g_file_read_link (exe_link, NULL);

          g_clear_pointer (&cmdline, g_free);
          cmdline = read_proc (run->pid, "cmdline", &length);
          exec_seen = exe != NULL && g_str_has_suffix (exe, "/streaming-token-app") && length > 0;
          if (!exec_seen)
            g_usleep (G_USEC_PER_SEC / 1000);
        }
      g_assert_true (exec_seen);
      g_string_append_c (expected, '\0');
      for (guint j = 0; cases[i][j] != NULL; j++)
        g_string_append_len (expected, cases[i][j], strlen (cases[i][j]) + 1);
      g_assert_cmpmem (cmdline, length, expected->str, expected->len);

      /* Ended by a signal: not a run that stok_cli_run_done() collects. */
      g_subprocess_send_signal (run->process, SIGTERM);
      while (run->result == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_subprocess_wait (run->process, NULL, NULL);
    }

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
  /* Usage, as the README says: what was wrong, then where to look. */
  g_assert_true (g_str_has_suffix (unset->err, HELP_HINT));
  g_assert_cmpint (strchr (unset->err, '\n') + 1 - unset->err, ==, strlen (unset->err) - strlen (HELP_HINT));
  /* At once, not after the keyring's time limit. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  /* Only whitespace is no key either, and the message says the variable
   * is set, to nothing, rather than telling the user to set it. */
  blank = run_cli (args, " \n");
  g_assert_cmpint (blank->status, ==, 2);
  g_assert_true (g_str_has_prefix (blank->err, "streaming-token: No API key: ASSEMBLYAI_API_KEY is set but empty, "));
  g_assert_true (g_str_has_suffix (blank->err, HELP_HINT));
  g_assert_cmpint (strchr (blank->err, '\n') + 1 - blank->err, ==, strlen (blank->err) - strlen (HELP_HINT));

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
  g_assert_true (g_str_has_suffix (run->err, HELP_HINT));
  g_assert_cmpint (strchr (run->err, '\n') + 1 - run->err, ==, strlen (run->err) - strlen (HELP_HINT));
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

/* A server under a proxy's path: the token is asked for under it. */
static void
test_server_path (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *server = g_strdup_printf ("--server=%s/proxy/", stok_fake_server_get_url (fixture->server));
  const char * const args[] = { "--print-token", server, NULL };
  g_autoptr(StokCliRun) run = run_cli (args, KEY);

  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 1);
  g_assert_cmpstr (stok_fake_server_get_last_request_path (fixture->server), ==, "/proxy/v3/token");
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
  ADD_TEST ("/cli/debug-on-stderr", test_debug_on_stderr);
  ADD_TEST ("/cli/failed/unauthorized", test_unauthorized);
  ADD_TEST ("/cli/failed/request", test_request_failed);
  ADD_TEST ("/cli/failed/connection-refused", test_connection_refused);
  ADD_TEST ("/cli/failed/output", test_output_failed);
  ADD_TEST ("/cli/usage/invalid", test_usage_errors);
  ADD_TEST ("/cli/usage/conflicting-modes", test_conflicting_modes);
  ADD_TEST ("/cli/usage/option-without-mode", test_option_without_mode);
  ADD_TEST ("/cli/window-arguments", test_window_arguments);
  ADD_TEST ("/cli/usage/no-key", test_no_key);
  ADD_TEST ("/cli/usage/invalid-key", test_invalid_key);
  ADD_TEST ("/cli/version", test_version);
  ADD_TEST ("/cli/server-path", test_server_path);

  display = g_strdup (g_getenv ("DISPLAY"));
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  status = g_test_run ();

  g_test_dbus_down (bus);
  g_clear_object (&bus);
  g_clear_pointer (&display, g_free);

  return status;
}
