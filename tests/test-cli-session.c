/* test-cli-session.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Sessions from the command line, as a script sees them: `--verify` and
 * `--transcribe FILE`, in text and in NDJSON, with a token minted or read
 * from standard input, against the fake server in this test's main loop.
 * stdout carries only the data, the exit status says how it ended, and
 * a bad source or bad usage costs no token. */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stok-fake-server.h"
#include "stok-raw-server.h"
#include "stok-test-audio.h"
#include "stok-test-cli.h"
#include "stok-test-util.h"

#define KEY "sk-cli-session-0123456789"
#define HELP_HINT "Try “streaming-token --help” for more information.\n"

/* A session bus with no Secret Service on it: no key is ever found in
 * the keyring of whoever runs the tests. */
static GTestDBus *bus;
static char *tmp_dir;

typedef struct
{
  StokFakeServer *server;
  char *server_arg;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->server = stok_fake_server_new_listening ();
  fixture->server_arg = g_strconcat ("--server=", stok_fake_server_get_url (fixture->server), NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_pointer (&fixture->server_arg, g_free);
  g_assert_finalize_object (g_steal_pointer (&fixture->server));
}

static StokCliRun *
run_cli_full (const char * const *args,
              const char         *api_key,
              const char         *input,
              gboolean            debug)
{
  g_auto(GStrv) env = stok_cli_environ (api_key, g_test_dbus_get_bus_address (bus));
  StokCliRun *run;

  if (debug)
    env = g_environ_setenv (env, "G_MESSAGES_DEBUG", "all", TRUE);

  run = stok_cli_run_start_with_input (args, env, input);
  stok_cli_run_wait (run);

  /* The key is nowhere in what the command line prints. */
  g_assert_null (strstr (run->out, KEY));
  g_assert_null (strstr (run->err, KEY));

  return run;
}

static StokCliRun *
run_cli (const char * const *args)
{
  return run_cli_full (args, KEY, NULL, FALSE);
}

static char *
spoken_file (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "two-turns.wav", NULL);
}

static JsonObject *
parse_line (JsonParser *parser,
            const char *line)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_verify_text (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const char * const args[] = { "--verify", fixture->server_arg, NULL };
  g_autoptr(StokCliRun) run = run_cli (args);
  g_autofree char *begin = NULL;

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  begin = g_strdup_printf ("Begin: session %s, session_expires_at ",
                           stok_fake_server_get_last_session_id (fixture->server));
  g_assert_true (g_str_has_prefix (run->out, begin));
  g_assert_nonnull (strstr (run->out, "\nTermination: session_duration_seconds "));
  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 1);
  /* speech_model is always sent, Verify included. */
  g_assert_cmpstr (stok_fake_server_get_session_parameter (fixture->server, "speech_model"), ==,
                   "universal-streaming-english");
}

/* A Termination whose figures are missing or not numbers: Verify's
 * line says what the server sent, not 0 or -1 in their place. */
static void
test_verify_termination_without_figures (void)
{
  const char *messages[] = {
    "{\"type\":\"Begin\",\"id\":\"figures\",\"expires_at\":4102444800}",
    "{\"type\":\"Termination\",\"audio_duration_seconds\":\"0\",\"session_duration_seconds\":null}",
    NULL
  };
  g_autoptr(StokRawServer) raw = stok_raw_server_new ();
  g_autofree char *server_arg = NULL;
  g_autoptr(StokCliRun) run = NULL;

  g_assert_true (stok_raw_server_listen (raw, NULL));
  stok_raw_server_set_websocket_messages (raw, messages);
  server_arg = g_strconcat ("--server=", stok_raw_server_get_url (raw), NULL);

  run = run_cli_full ((const char * const[]) { "--verify", "--token-stdin", server_arg, NULL },
                      KEY, "pasted-token\n", FALSE);
  g_test_message ("%s%s", run->out, run->err);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "\nTermination\n"));
  g_assert_null (strstr (run->out, "duration_seconds"));
}

/* On a terminal, partials are overwritten in place: each must fit on
 * one row of the terminal as wide as it is, or it wraps and the next
 * clears only its last row. Run under script(1), on a terminal 20
 * columns wide. */
static void
test_partials_fit_terminal (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autofree char *file = spoken_file ();
  g_autofree char *script = g_find_program_in_path ("script");
  g_autofree char *command = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) env = stok_cli_environ (KEY, g_test_dbus_get_bus_address (bus));
  g_auto(GStrv) partials = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_cut = 0;

  if (script == NULL)
    {
      g_test_skip ("script(1) is not installed");
      return;
    }

  command = g_strdup_printf ("stty cols 20; exec '%s' --transcribe '%s' %s >/dev/null",
                             stok_cli_get_binary (), file, fixture->server_arg);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_environ (launcher, env);
  process = g_subprocess_launcher_spawn (launcher, &error, script, "-q", "-e", "-c", command, "/dev/null", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_communicate_utf8_finish (process, result, &output, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));

  /* Each partial follows a clear of the row; after the last clear, the
   * figures. */
  partials = g_strsplit (output, "\r\033[K", -1);
  g_assert_cmpuint (g_strv_length (partials), >, 5);
  for (guint i = 1; partials[i + 1] != NULL; i++)
    {
      g_autofree char *row = g_strndup (partials[i], strcspn (partials[i], "\r\n"));

      g_test_message ("“%s”", row);
      g_assert_cmpint (g_utf8_strlen (row, -1), <=, 19);
      n_cut += g_str_has_prefix (row, "…");
    }
  g_assert_cmpuint (n_cut, >, 0);
}

/* One object a line, for each message in either direction, and a last
 * one with the outcome; times in ms since connecting, in order. */
static void
test_verify_json (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const char * const args[] = { "--verify", "--json", fixture->server_arg, NULL };
  g_autoptr(StokCliRun) run = run_cli (args);
  g_auto(GStrv) lines = NULL;
  gint64 begin_expires_at = 0;
  gboolean saw_begin = FALSE;
  gboolean saw_terminate = FALSE;
  double last_time = 0;
  guint n;

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_true (g_str_has_suffix (run->out, "}\n"));
  lines = g_strsplit (run->out, "\n", -1);
  n = g_strv_length (lines) - 1;
  g_assert_cmpuint (n, >=, 5);

  for (guint i = 0; i < n - 1; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object = parse_line (parser, lines[i]);
      const char *type = json_object_get_string_member (object, "type");
      const char *direction = json_object_get_string_member (object, "direction");

      g_assert_cmpfloat (json_object_get_double_member (object, "time_ms"), >=, last_time);
      last_time = json_object_get_double_member (object, "time_ms");

      if (g_str_equal (direction, "received") && g_str_equal (type, "Begin"))
        {
          /* Messages as they came: Begin's expires_at in Unix seconds. */
          JsonObject *begin = json_object_get_object_member (object, "message");

          begin_expires_at = json_object_get_int_member (begin, "expires_at");
          saw_begin = TRUE;
        }
      if (g_str_equal (direction, "sent") && g_str_equal (type, "Terminate"))
        {
          g_assert_true (saw_begin);
          saw_terminate = TRUE;
        }
    }
  g_assert_true (saw_terminate);

  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GDateTime) expires_at = NULL;
    JsonObject *outcome = parse_line (parser, lines[n - 1]);

    g_assert_cmpstr (json_object_get_string_member (outcome, "type"), ==, "Outcome");
    g_assert_cmpstr (json_object_get_string_member (outcome, "outcome"), ==, "completed");
    g_assert_cmpstr (json_object_get_string_member (outcome, "session_id"), ==,
                     stok_fake_server_get_last_session_id (fixture->server));
    /* The session's cut-off, as a time named for what it is, in the
     * command line's one format: the same instant as Begin's. */
    g_assert_false (json_object_has_member (outcome, "expires_at"));
    expires_at = g_date_time_new_from_iso8601 (json_object_get_string_member (outcome, "session_expires_at"), NULL);
    g_assert_nonnull (expires_at);
    g_assert_true (g_str_has_suffix (json_object_get_string_member (outcome, "session_expires_at"), "Z"));
    g_assert_cmpint (g_date_time_to_unix (expires_at), ==, begin_expires_at);
    g_assert_cmpfloat (json_object_get_double_member (outcome, "connect_to_begin_ms"), >, 0);
  }
}

static void
test_verify_refused (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const char * const args[] = { "--verify", fixture->server_arg, NULL };
  g_autoptr(StokCliRun) run = NULL;

  stok_fake_server_set_websocket_close (fixture->server, 3005, "Internal server error");
  run = run_cli (args);

  /* Exit 1, one line on stderr with the code, its meaning and the
   * server's words. */
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");
  stok_assert_one_line (run->err);
  g_assert_nonnull (strstr (run->err, "3005"));
  g_assert_nonnull (strstr (run->err, "Server error"));
  g_assert_nonnull (strstr (run->err, "Internal server error"));
}

static void
test_transcribe_text (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *file = spoken_file ();
  const char * const args[] = { "--transcribe", file, fixture->server_arg, NULL };
  g_autoptr(StokCliRun) run = run_cli_full (args, KEY, NULL, TRUE);
  g_auto(GStrv) lines = NULL;

  /* stdout: the final turns, one a line, nothing else, even with GLib's
   * debug output on; stderr: the figures. */
  g_assert_cmpint (run->status, ==, 0);
  lines = g_strsplit (run->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_nonnull (strstr (lines[0], "stand-in"));
  g_assert_nonnull (strstr (lines[1], "stand-in"));
  g_assert_cmpstr (lines[2], ==, "");
  g_assert_nonnull (strstr (run->err, "Connect to Begin"));
  g_assert_nonnull (strstr (run->err, "the server counted 6.10 s"));
  /* No partial on stderr: it is not a terminal. */
  g_assert_null (strstr (run->err, "\033[K"));

  /* Streamed in real time, in 50 ms frames, the whole file. */
  g_assert_cmpuint (stok_fake_server_get_n_audio_frames (fixture->server), ==, 122);
  g_assert_cmpint (stok_fake_server_get_audio_received_us (fixture->server), ==, 6100 * 1000);
  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 1);
}

static void
test_transcribe_json (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *file = spoken_file ();
  const char * const args[] = {
    "--transcribe", file, "--json", "--format-turns", "--speech-model=whisper-rt",
    "--param", "max_turn_silence=900", "--param", "keyterms_prompt=Streaming Token, GNOME",
    fixture->server_arg, NULL
  };
  g_autoptr(StokCliRun) run = run_cli (args);
  g_auto(GStrv) lines = NULL;
  guint n_formatted = 0;
  guint n;

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");

  /* The options reached the server as parameters; a list as JSON text. */
  g_assert_cmpstr (stok_fake_server_get_session_parameter (fixture->server, "speech_model"), ==, "whisper-rt");
  g_assert_cmpstr (stok_fake_server_get_session_parameter (fixture->server, "format_turns"), ==, "true");
  g_assert_cmpstr (stok_fake_server_get_session_parameter (fixture->server, "max_turn_silence"), ==, "900");
  g_assert_cmpstr (stok_fake_server_get_session_parameter (fixture->server, "keyterms_prompt"), ==,
                   "[\"Streaming Token\",\"GNOME\"]");

  lines = g_strsplit (run->out, "\n", -1);
  n = g_strv_length (lines) - 1;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object = parse_line (parser, lines[i]);

      /* Audio frames are never printed. */
      g_assert_cmpstr (json_object_get_string_member (object, "type"), !=, "binary");
      if (json_object_has_member (object, "message") &&
          g_strcmp0 (json_object_get_string_member (object, "type"), "Turn") == 0 &&
          json_object_get_boolean_member (json_object_get_object_member (object, "message"), "turn_is_formatted"))
        n_formatted++;
    }
  g_assert_cmpuint (n_formatted, ==, 2);

  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *outcome = parse_line (parser, lines[n - 1]);

    g_assert_cmpstr (json_object_get_string_member (outcome, "outcome"), ==, "completed");
    g_assert_cmpint (json_object_get_int_member (outcome, "frames_sent"), ==, 122);
    g_assert_cmpfloat (json_object_get_double_member (outcome, "server_audio_duration_seconds"), ==, 6.1);
  }
}

static void
test_token_stdin (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const char * const mint_args[] = { "--print-token", fixture->server_arg, NULL };
  const char * const verify_args[] = { "--verify", "--token-stdin", fixture->server_arg, NULL };
  g_autofree char *file = spoken_file ();
  const char * const transcribe_args[] = { "--transcribe", file, "--token-stdin", fixture->server_arg, NULL };
  g_autoptr(StokCliRun) minted = run_cli (mint_args);
  g_autoptr(StokCliRun) verified = NULL;
  g_autoptr(StokCliRun) again = NULL;
  g_autoptr(StokCliRun) fresh = NULL;
  g_autoptr(StokCliRun) transcribed = NULL;
  g_autofree char *padded = NULL;

  /* Minted elsewhere, as by the user's own backend; no key here, and no
   * keyring either: none is needed. */
  g_assert_cmpint (minted->status, ==, 0);
  padded = g_strdup_printf ("  %s\n\n", minted->out);
  verified = run_cli_full (verify_args, NULL, padded, FALSE);
  g_assert_cmpint (verified->status, ==, 0);
  g_assert_true (g_str_has_prefix (verified->out, "Begin: session "));
  g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, 1);

  /* Used up: refused with 1008, exit 1, what came on one line. */
  again = run_cli_full (verify_args, NULL, minted->out, FALSE);
  g_assert_cmpint (again->status, ==, 1);
  g_assert_cmpstr (again->out, ==, "");
  stok_assert_one_line (again->err);
  g_assert_nonnull (strstr (again->err, "1008"));
  g_assert_nonnull (strstr (again->err, "already used"));

  /* A session with audio too. */
  g_clear_pointer (&minted, stok_cli_run_free);
  fresh = run_cli (mint_args);
  transcribed = run_cli_full (transcribe_args, NULL, fresh->out, FALSE);
  g_assert_cmpint (transcribed->status, ==, 0);
  g_assert_nonnull (strstr (transcribed->out, "stand-in"));
  g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, 2);
}

/* The fake server answers with Error 3005 after @frames audio frames, in
 * the next session or in every one. */
static void
fail_after_frames (Fixture  *fixture,
                   guint     frames,
                   gboolean  every_session)
{
  StokFakeFaultSpec spec = { 0 };

  spec.fault = STOK_FAKE_FAULT_ERROR_AFTER_BEGIN;
  spec.after_frames = frames;
  spec.code = 3005;
  spec.reason = "Internal server error";
  stok_fake_server_set_fault (fixture->server, &spec, every_session);
}

/* The last line of a process's output, with its line break. */
static const char *
last_line_of (const char *text)
{
  const char *newline;

  g_assert_true (g_str_has_suffix (text, "\n"));
  newline = g_strrstr_len (text, strlen (text) - 1, "\n");

  return newline != NULL ? newline + 1 : text;
}

static void
test_failure_after_begin (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *file = spoken_file ();
  const char * const args[] = { "--transcribe", file, fixture->server_arg, NULL };
  g_autoptr(StokCliRun) run = NULL;
  const char *last_line;

  fail_after_frames (fixture, 10, FALSE);

  /* The token did open a session, yet it failed: exit 1, and what came
   * is said in the last line of stderr. */
  run = run_cli (args);
  g_assert_cmpint (run->status, ==, 1);
  last_line = last_line_of (run->err);
  g_assert_true (g_str_has_prefix (last_line, "streaming-token: Failed after Begin"));
  g_assert_nonnull (strstr (last_line, "3005"));
  g_assert_nonnull (strstr (last_line, "Internal server error"));
}

static StokCliRun *
start_cli (const char * const *args)
{
  g_auto(GStrv) env = stok_cli_environ (KEY, g_test_dbus_get_bus_address (bus));

  return stok_cli_run_start (args, env);
}

/* A session that fails mid-turn: the words of that turn, which will never
 * be final, are what someone finding out why it died wants to read last.
 * They go to stderr once, marked as such, before the ending; stdout keeps
 * final turns alone, and --json has them in its Turn lines already. */
static void
test_never_final (Fixture       *fixture,
                  gconstpointer  user_data)
{
  /* A tone without a pause: one turn that never ends by itself. */
  g_autofree char *file = stok_test_write_wav (tmp_dir, "no-pause.wav", 16000, 1, 3000, STOK_TEST_TONE);
  const char * const args[] = { "--transcribe", file, fixture->server_arg, NULL };
  const char * const json_args[] = { "--transcribe", file, "--json", fixture->server_arg, NULL };
  g_autoptr(StokCliRun) run = NULL;
  g_autoptr(StokCliRun) json_run = NULL;
  const char *never_final;
  const char *ending;

  fail_after_frames (fixture, 30, TRUE);

  run = run_cli (args);
  g_assert_cmpuint (stok_fake_server_count_sent (fixture->server, "Turn"), >, 0);
  g_assert_cmpuint (stok_fake_server_get_n_final_turns (fixture->server), ==, 0);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");

  never_final = strstr (run->err, "Never final: stand-in ");
  g_assert_nonnull (never_final);
  g_assert_true (never_final == run->err || never_final[-1] == '\n');
  g_assert_null (strstr (never_final + 1, "Never final"));
  ending = last_line_of (run->err);
  g_assert_true (g_str_has_prefix (ending, "streaming-token: Failed after Begin"));
  g_assert_true (never_final < ending);
  g_assert_true (strchr (never_final, '\n') < ending);

  json_run = run_cli (json_args);
  g_assert_cmpint (json_run->status, ==, 1);
  g_assert_null (strstr (json_run->err, "Never final"));
}

/* Ctrl+C, a service manager's SIGTERM, or the SIGHUP of a terminal
 * closed under it, mid-session: the session is billed while its socket
 * is open, so it ends with Terminate and the
 * Termination that comes at once is waited for; the outcome is printed
 * as ever, and the exit status is the shell's for that signal. */
static void
test_interrupted (Fixture       *fixture,
                  gconstpointer  user_data)
{
  int signum = GPOINTER_TO_INT (user_data);
  g_autofree char *file = spoken_file ();
  const char * const args[] = { "--transcribe", file, "--json", fixture->server_arg, NULL };
  g_autoptr(StokCliRun) run = start_cli (args);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *outcome;

  while (stok_fake_server_count_sent (fixture->server, "Turn") == 0 && !stok_cli_run_done (run))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (stok_cli_run_done (run));
  g_subprocess_send_signal (run->process, signum);
  stok_cli_run_wait (run);

  g_assert_cmpint (run->status, ==, 128 + signum);
  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 1);
  /* Stopped, not streamed to the end of the file. */
  g_assert_cmpuint (stok_fake_server_get_n_audio_frames (fixture->server), <, 122);

  outcome = parse_line (parser, last_line_of (run->out));
  g_assert_cmpstr (json_object_get_string_member (outcome, "type"), ==, "Outcome");
  g_assert_cmpstr (json_object_get_string_member (outcome, "outcome"), ==, "completed");
  g_assert_cmpstr (run->err, ==, "");
}

/* Under nohup, a closed terminal changes nothing: the file is streamed
 * to its end. */
static void
test_hangup_under_nohup (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *file = spoken_file ();
  g_autofree char *nohup = g_find_program_in_path ("nohup");
  g_auto(GStrv) env = stok_cli_environ (KEY, g_test_dbus_get_bus_address (bus));
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (nohup == NULL)
    {
      g_test_skip ("nohup is not installed");
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_environ (launcher, env);
  process = g_subprocess_launcher_spawn (launcher, &error, nohup, stok_cli_get_binary (), "--transcribe", file,
                                         fixture->server_arg, NULL);
  g_assert_no_error (error);
  while (stok_fake_server_count_sent (fixture->server, "Turn") == 0)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_send_signal (process, SIGHUP);

  g_subprocess_wait_async (process, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_wait_finish (process, result, &error));
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  /* The whole file: 6.1 s in frames of 50 ms. */
  g_assert_cmpuint (stok_fake_server_get_n_audio_frames (fixture->server), ==, 122);
}

/* A server that does not answer Terminate gets about a second, not the
 * ten an ordinary end allows; then the connection is closed, and the
 * ending says so. */
static void
test_interrupted_no_termination (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autofree char *file = spoken_file ();
  const char * const args[] = { "--transcribe", file, fixture->server_arg, NULL };
  StokFakeFaultSpec spec = { 0 };
  g_autoptr(StokCliRun) run = NULL;
  gint64 signalled_us;

  spec.fault = STOK_FAKE_FAULT_IGNORE_TERMINATE;
  stok_fake_server_set_fault (fixture->server, &spec, FALSE);
  run = start_cli (args);

  while (stok_fake_server_get_begin_sent_us (fixture->server) == 0 && !stok_cli_run_done (run))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (stok_cli_run_done (run));
  g_subprocess_send_signal (run->process, SIGINT);
  signalled_us = g_get_monotonic_time ();
  stok_cli_run_wait (run);

  g_assert_cmpint (run->status, ==, 130);
  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 1);
  g_assert_cmpint (run->started_us + run->elapsed_us - signalled_us, <, 4 * G_USEC_PER_SEC);
  g_assert_cmpstr (last_line_of (run->err), ==,
                   "streaming-token: Stopped: the app closed the session before Termination came.\n");
}

/* A second signal does not wait for the server. */
static void
test_interrupted_twice (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *file = spoken_file ();
  const char * const args[] = { "--transcribe", file, "--json", fixture->server_arg, NULL };
  StokFakeFaultSpec spec = { 0 };
  g_autoptr(StokCliRun) run = NULL;

  spec.fault = STOK_FAKE_FAULT_IGNORE_TERMINATE;
  stok_fake_server_set_fault (fixture->server, &spec, FALSE);
  run = start_cli (args);

  while (stok_fake_server_get_begin_sent_us (fixture->server) == 0 && !stok_cli_run_done (run))
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_send_signal (run->process, SIGINT);
  while (stok_fake_server_get_n_terminated (fixture->server) == 0 && !stok_cli_run_done (run))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (stok_cli_run_done (run));
  g_subprocess_send_signal (run->process, SIGINT);
  stok_cli_run_wait (run);

  /* Gone before the second the first signal gave the server. */
  g_assert_cmpint (run->status, ==, 130);
  g_assert_null (strstr (run->out, "\"type\":\"Outcome\""));
}

/* Stopped while the token is being minted: nothing more is started, and
 * the outcome says so. */
static void
test_interrupted_before_session (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  const char * const args[] = { "--verify", "--json", fixture->server_arg, NULL };
  g_autoptr(StokCliRun) run = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *outcome;

  stok_fake_server_set_delay (fixture->server, 20000);
  run = start_cli (args);

  while (stok_fake_server_get_request_count (fixture->server) == 0 && !stok_cli_run_done (run))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (stok_cli_run_done (run));
  g_subprocess_send_signal (run->process, SIGTERM);
  stok_cli_run_wait (run);

  g_assert_cmpint (run->status, ==, 143);
  g_assert_cmpint (run->elapsed_us, <, 10 * G_USEC_PER_SEC);
  stok_assert_one_line (run->out);
  outcome = parse_line (parser, run->out);
  g_assert_cmpstr (json_object_get_string_member (outcome, "type"), ==, "Outcome");
  g_assert_cmpstr (json_object_get_string_member (outcome, "outcome"), ==, "cancelled");
  g_assert_cmpstr (run->err, ==, "streaming-token: Stopped before the session began.\n");
  g_assert_cmpuint (stok_fake_server_get_n_upgrade_requests (fixture->server), ==, 0);
}

/* Turns that reach no one are not worth a session billed to the end:
 * once stdout fails, the session ends politely, and the exit status
 * says that the output was lost. */
static void
test_output_failed (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *file = spoken_file ();
  const char * const args[] = { "--transcribe", file, fixture->server_arg, NULL };
  g_auto(GStrv) env = stok_cli_environ (KEY, g_test_dbus_get_bus_address (bus));
  g_autoptr(StokCliRun) run = stok_cli_run_start_full (args, env, NULL, "/dev/full");

  stok_cli_run_wait (run);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (last_line_of (run->err), ==, "streaming-token: Could not write the output: No space left on device\n");
  g_assert_null (strstr (run->err, KEY));

  /* Ended with Terminate after the first final turn, not streamed to
   * the end of the file. */
  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 1);
  g_assert_cmpuint (stok_fake_server_get_n_audio_frames (fixture->server), <, 122);
}

static gboolean
has_final_turn (gpointer data)
{
  Fixture *fixture = data;

  return stok_fake_server_get_n_final_turns (fixture->server) > 0;
}

/* `| head -1`: the reader goes once it has its line. The session ends
 * then, not at the next write, which the next turn would hold back. */
static void
test_reader_gone (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *file = spoken_file ();
  g_autofree char *fifo = g_build_filename (tmp_dir, "reader-gone", NULL);
  const char * const args[] = { "--transcribe", file, fixture->server_arg, NULL };
  g_auto(GStrv) env = stok_cli_environ (KEY, g_test_dbus_get_bus_address (bus));
  g_autoptr(StokCliRun) run = NULL;
  guint n_frames_at_close;
  int reader;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  reader = g_open (fifo, O_RDONLY | O_NONBLOCK, 0);
  g_assert_cmpint (reader, >=, 0);
  run = stok_cli_run_start_full (args, env, NULL, fifo);

  g_assert_true (stok_test_wait_until (has_final_turn, fixture, 20000));
  close (reader);
  n_frames_at_close = stok_fake_server_get_n_audio_frames (fixture->server);
  stok_cli_run_wait (run);

  g_test_message ("%u frames when the reader went, %u in all", n_frames_at_close,
                  stok_fake_server_get_n_audio_frames (fixture->server));
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (last_line_of (run->err), ==, "streaming-token: Could not write the output: Broken pipe\n");
  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 1);
  /* Within a second and a half of audio, for a slow machine; the next
   * turn, whose write failed before, came about three seconds later. */
  g_assert_cmpuint (stok_fake_server_get_n_audio_frames (fixture->server), <=, n_frames_at_close + 30);
  g_unlink (fifo);
}

/* A token that could not be minted opened no session, yet a script
 * reading --json still gets an outcome as its last line, saying what the
 * stderr line says, with the token server's status. */
static void
test_mint_failed_json (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *file = spoken_file ();
  const char * const verify_args[] = { "--verify", "--json", fixture->server_arg, NULL };
  const char * const transcribe_args[] = { "--transcribe", file, "--json", fixture->server_arg, NULL };
  const struct {
    const char * const *args;
    StokFakeReply reply;
    guint status;
  } cases[] = {
    { verify_args, 0, 401 },
    { transcribe_args, STOK_FAKE_REPLY_GATEWAY_HTML, 502 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StokCliRun) run = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *said = NULL;
      JsonObject *outcome;

      if (cases[i].status == 401)
        stok_fake_server_set_api_key (fixture->server, "sk-the-right-one");
      else
        stok_fake_server_set_canned_reply (fixture->server, cases[i].reply);

      run = run_cli (cases[i].args);
      g_assert_cmpint (run->status, ==, 1);
      stok_assert_one_line (run->err);
      g_assert_true (g_str_has_prefix (run->err, "streaming-token: "));

      stok_assert_one_line (run->out);
      outcome = parse_line (parser, run->out);
      g_assert_cmpstr (json_object_get_string_member (outcome, "type"), ==, "Outcome");
      g_assert_cmpstr (json_object_get_string_member (outcome, "outcome"), ==, "failed");
      said = g_strndup (run->err + strlen ("streaming-token: "),
                        strlen (run->err) - strlen ("streaming-token: ") - 1);
      g_assert_cmpstr (json_object_get_string_member (outcome, "ending"), ==, said);
      g_assert_cmpint (json_object_get_int_member (outcome, "mint_http_status"), ==, cases[i].status);
      /* Not the status of a WebSocket upgrade: there was none. */
      g_assert_false (json_object_has_member (outcome, "http_status"));

      stok_fake_server_set_api_key (fixture->server, NULL);
      stok_fake_server_clear_replies (fixture->server);
    }

  g_assert_cmpuint (stok_fake_server_get_n_upgrade_requests (fixture->server), ==, 0);
}

static void
test_bad_sources (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.wav", NULL);
  g_autofree char *text = g_build_filename (tmp_dir, "notes.wav", NULL);
  g_autofree char *empty = g_build_filename (tmp_dir, "empty.wav", NULL);
  g_autofree char *silence = stok_test_write_wav (tmp_dir, "silence.wav", 16000, 1, 2000, STOK_TEST_SILENCE);
  g_autofree char *low_rate = stok_test_write_wav (tmp_dir, "phone.wav", 8000, 1, 1000, STOK_TEST_TONE);
  g_autofree char *odd_rate = stok_test_write_wav (tmp_dir, "old.wav", 11025, 1, 1000, STOK_TEST_TONE);
  g_autofree char *very_low = stok_test_write_wav (tmp_dir, "toy.wav", 6000, 1, 1000, STOK_TEST_TONE);
  const struct {
    const char *path;
    const char *param;
    const char *words;
  } cases[] = {
    { missing, NULL, "missing.wav" },
    { text, NULL, "notes.wav" },
    { empty, NULL, "empty.wav" },
    { silence, NULL, "no sound" },
    /* "Choose" means nothing here: the option that does it is said. */
    { low_rate, "sample_rate=16000", "8000 Hz or less. Try --param sample_rate=8000.\n" },
    { odd_rate, NULL, "11025 Hz or less. Try --param sample_rate=11025.\n" },
    { very_low, NULL, "the lowest rate a session takes. Try --param sample_rate=8000.\n" },
  };

  g_assert_true (g_file_set_contents (text, "Not audio: a text file named .wav.\n", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char * const args[] = {
        "--transcribe", cases[i].path, fixture->server_arg,
        cases[i].param != NULL ? "--param" : NULL, cases[i].param, NULL
      };
      g_autoptr(StokCliRun) run = run_cli (args);

      /* Each its own clear error on one line, then the hint of every
       * usage error, and no token spent. */
      g_assert_cmpint (run->status, ==, 2);
      g_assert_cmpstr (run->out, ==, "");
      g_assert_true (g_str_has_suffix (run->err, HELP_HINT));
      g_assert_cmpint (strchr (run->err, '\n') + 1 - run->err, ==, strlen (run->err) - strlen (HELP_HINT));
      if (strstr (run->err, cases[i].words) == NULL)
        g_error ("“%s” is not in “%s”", cases[i].words, run->err);
    }

  /* With --json, a script still reads an Outcome last, saying the same. */
  {
    const char * const args[] = { "--transcribe", silence, "--json", fixture->server_arg, NULL };
    g_autoptr(StokCliRun) run = run_cli (args);
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *outcome;

    g_assert_cmpint (run->status, ==, 2);
    outcome = parse_line (parser, last_line_of (run->out));
    g_assert_cmpstr (json_object_get_string_member (outcome, "type"), ==, "Outcome");
    g_assert_cmpstr (json_object_get_string_member (outcome, "outcome"), ==, "failed");
    g_assert_nonnull (strstr (json_object_get_string_member (outcome, "ending"), "no sound"));
  }

  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 0);
  g_assert_cmpuint (stok_fake_server_get_n_upgrade_requests (fixture->server), ==, 0);
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autofree char *file = spoken_file ();
  const char *server = fixture->server_arg;
  const char * const cases[][8] = {
    { "--transcribe", file, "--print-token", server, NULL },
    { "--transcribe", file, "--verify", server, NULL },
    { "--print-token", "--token-stdin", server, NULL },
    { "--verify", "--token-stdin", "-e", "120", server, NULL },
    { "--print-token", "--speech-model=whisper-rt", server, NULL },
    { "--print-token", "--param", "format_turns=true", server, NULL },
    { "--verify", "--param", "sample_rate=fast", server, NULL },
    { "--verify", "--param", "end_of_turn_confidence_threshold=2", server, NULL },
    { "--verify", "--param", "encoding=opus-ish", server, NULL },
    { "--verify", "--param", "token=abc", server, NULL },
    { "--verify", "--param", "no equals sign", server, NULL },
    { "--verify", "--speech-model=bad model", server, NULL },
    { "--transcribe", file, "--param", "sample_rate=100", server, NULL },
    { "--transcribe=", server, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StokCliRun) run = NULL;
      g_autofree char *line = g_strjoinv (" ", (char **) cases[i]);

      g_test_message ("%s", line);
      run = run_cli (cases[i]);
      g_assert_cmpint (run->status, ==, 2);
      g_assert_cmpstr (run->out, ==, "");
      g_assert_true (g_str_has_suffix (run->err, HELP_HINT));
    }

  /* An empty file name is not taken for the folder it is relative to. */
  {
    const char * const args[] = { "--transcribe=", server, NULL };
    g_autoptr(StokCliRun) run = run_cli (args);

    g_assert_cmpstr (run->err, ==, "streaming-token: --transcribe needs the name of an audio file.\n" HELP_HINT);
  }

  /* --token-stdin with nothing on standard input. */
  {
    const char * const args[] = { "--verify", "--token-stdin", server, NULL };
    g_autoptr(StokCliRun) run = run_cli_full (args, NULL, "  \n", FALSE);

    g_assert_cmpint (run->status, ==, 2);
    g_assert_nonnull (strstr (run->err, "no token"));
  }

  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 0);
  g_assert_cmpuint (stok_fake_server_get_n_upgrade_requests (fixture->server), ==, 0);
}

/* A command line refused as usage, and what it says on stderr. */
typedef struct
{
  const char *args[7];
  const char *err;
} UsageCase;

/* Each of @cases exits 2 with its words, before any request. */
static void
assert_usage_errors (Fixture         *fixture,
                     const UsageCase *cases,
                     guint            n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(StokCliRun) run = run_cli (cases[i].args);

      g_assert_cmpint (run->status, ==, 2);
      g_assert_cmpstr (run->out, ==, "");
      g_assert_cmpstr (run->err, ==, cases[i].err);
    }

  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 0);
  g_assert_cmpuint (stok_fake_server_get_n_upgrade_requests (fixture->server), ==, 0);
}

/* An option and a --param that set the same parameter, or two --param
 * that do: refused, rather than one silently winning, whatever the order
 * or values. */
static void
test_usage_same_parameter (Fixture       *fixture,
                           gconstpointer  user_data)
{
  const char *server = fixture->server_arg;
  const UsageCase cases[] = {
    { { "--verify", "--speech-model=whisper-rt", "--param", "speech_model=universal-streaming-english", server, NULL },
      "streaming-token: --speech-model and --param speech_model cannot be used together: choose one.\n" HELP_HINT },
    { { "--verify", "--param", "speech_model=whisper-rt", "--speech-model=whisper-rt", server, NULL },
      "streaming-token: --speech-model and --param speech_model cannot be used together: choose one.\n" HELP_HINT },
    { { "--verify", "--format-turns", "--param", "format_turns=false", server, NULL },
      "streaming-token: --format-turns and --param format_turns cannot be used together: choose one.\n" HELP_HINT },
    { { "--verify", "--param", "max_turn_silence=800", "--param", "max_turn_silence=900", server, NULL },
      "streaming-token: --param max_turn_silence is given twice: give it once.\n" HELP_HINT },
    { { "--verify", "--param", "min_turn_silence=200", "--param", "min_end_of_turn_silence_when_confident=300", server, NULL },
      "streaming-token: --param min_turn_silence and --param min_end_of_turn_silence_when_confident set the same parameter: give one.\n" HELP_HINT },
    { { "--verify", "--param", "min_end_of_turn_silence_when_confident=300", "--param", "min_turn_silence=200", server, NULL },
      "streaming-token: --param min_end_of_turn_silence_when_confident and --param min_turn_silence set the same parameter: give one.\n" HELP_HINT },
  };

  assert_usage_errors (fixture, cases, G_N_ELEMENTS (cases));
}

/* A minimum turn silence above the maximum, each in its range: a usage
 * error before a token is minted, the maximum as given or the server's
 * default, the minimum by its name or its older one. */
static void
test_usage_silences (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const char *server = fixture->server_arg;
  const UsageCase cases[] = {
    { { "--verify", "--param", "min_turn_silence=20000", "--param", "max_turn_silence=1280", server, NULL },
      "streaming-token: Minimum silence (min_turn_silence, 20000 ms) must not be more than maximum silence (max_turn_silence, 1280 ms).\n" HELP_HINT },
    { { "--verify", "--param", "min_turn_silence=2000", server, NULL },
      "streaming-token: Minimum silence (min_turn_silence, 2000 ms) must not be more than maximum silence (max_turn_silence, 1280 ms).\n" HELP_HINT },
    { { "--verify", "--param", "min_end_of_turn_silence_when_confident=900", "--param", "max_turn_silence=800", server, NULL },
      "streaming-token: Minimum silence (min_turn_silence, 900 ms) must not be more than maximum silence (max_turn_silence, 800 ms).\n" HELP_HINT },
  };

  assert_usage_errors (fixture, cases, G_N_ELEMENTS (cases));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("stok-cli-session-XXXXXX", NULL);
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

#define ADD(path, func) \
  g_test_add ("/cli-session/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("verify/text", test_verify_text);
  ADD ("verify/json", test_verify_json);
  ADD ("verify/refused", test_verify_refused);
  ADD ("transcribe/text", test_transcribe_text);
  ADD ("transcribe/json", test_transcribe_json);
  ADD ("token-stdin", test_token_stdin);
  g_test_add_func ("/cli-session/verify/termination-without-figures", test_verify_termination_without_figures);
  ADD ("failure-after-begin", test_failure_after_begin);
  ADD ("transcribe/never-final", test_never_final);
  ADD ("usage/silences", test_usage_silences);
  ADD ("mint-failed/json", test_mint_failed_json);
  ADD ("output-failed", test_output_failed);
  ADD ("reader-gone", test_reader_gone);
  ADD ("partials-fit-terminal", test_partials_fit_terminal);
  g_test_add ("/cli-session/interrupted/sigint", Fixture, GINT_TO_POINTER (SIGINT),
              fixture_set_up, test_interrupted, fixture_tear_down);
  g_test_add ("/cli-session/interrupted/sigterm", Fixture, GINT_TO_POINTER (SIGTERM),
              fixture_set_up, test_interrupted, fixture_tear_down);
  g_test_add ("/cli-session/interrupted/sighup", Fixture, GINT_TO_POINTER (SIGHUP),
              fixture_set_up, test_interrupted, fixture_tear_down);
  ADD ("interrupted/no-termination", test_interrupted_no_termination);
  ADD ("interrupted/hangup-under-nohup", test_hangup_under_nohup);
  ADD ("interrupted/twice", test_interrupted_twice);
  ADD ("interrupted/before-session", test_interrupted_before_session);
  ADD ("bad-sources", test_bad_sources);
  ADD ("usage", test_usage);
  ADD ("usage/same-parameter", test_usage_same_parameter);

#undef ADD

  status = g_test_run ();

  g_test_dbus_down (bus);
  g_clear_object (&bus);
  stok_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
