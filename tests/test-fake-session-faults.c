/* test-fake-session-faults.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The faults the fake server puts in a streaming session when a test
 * asks, each a client's failure matrix needs, and fake-token-server on
 * its own, told to drop sessions. */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "stok-fake-server.h"
#include "stok-test-util.h"
#include "stok-test-ws-client.h"

/* Faults. */

static void
test_fault_refuse_upgrade (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autofree char *token = stok_ws_mint (server, "expires_in_seconds=60");
  g_autofree char *query = g_strdup_printf ("token=%s&sample_rate=16000", token);
  StokWsClient refused;
  StokWsClient accepted;

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_REFUSE_UPGRADE, .status = 401 }, FALSE);
  stok_ws_client_open (&refused, server, query);
  g_assert_null (refused.connection);
  g_assert_cmpuint (refused.status, ==, 401);
  g_assert_cmpuint (stok_fake_server_get_n_upgrade_requests (server), ==, 1);
  g_assert_cmpuint (stok_fake_server_get_websocket_count (server), ==, 0);
  g_assert_false (stok_fake_server_is_token_redeemed (server, stok_fake_server_get_last_token (server)));

  /* Once only: the next upgrade goes through, with the same token. */
  stok_ws_client_open (&accepted, server, query);
  stok_ws_client_wait_for (&accepted, "Begin", 1);
  g_assert_cmpuint (stok_fake_server_get_n_upgrade_requests (server), ==, 2);
  g_assert_cmpuint (stok_fake_server_get_websocket_count (server), ==, 1);

  stok_ws_client_clear (&refused);
  stok_ws_client_clear (&accepted);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_fault_error_after_begin (void)
{
  static const guint segments[] = { 500 };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GBytes) audio = stok_ws_make_audio (16000, segments, G_N_ELEMENTS (segments));
  StokWsClient client;
  StokWsStream stream;

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) {
                                .fault = STOK_FAKE_FAULT_ERROR_AFTER_BEGIN,
                                .after_frames = 3,
                                .code = 3005,
                                .reason = "Internal server error",
                              }, FALSE);
  stok_ws_open_session (&client, server, "sample_rate=16000", TRUE);
  stok_ws_stream_init (&stream, audio, 50, 32);
  stok_ws_stream_send (&client, &stream, G_MAXUINT);
  stok_ws_client_assert_error (&client, 3005, "Internal server error");
  /* After the third frame, not before. */
  g_assert_cmpint (stok_fake_server_get_audio_received_us (server), ==, 150000);
  g_assert_cmpuint (stok_ws_client_count (&client, "SpeechStarted"), ==, 1);

  stok_ws_client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_fault_drop (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  StokWsClient client;

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_DROP_AFTER_BEGIN, .after_ms = 100 }, FALSE);
  stok_ws_open_session (&client, server, "sample_rate=16000", TRUE);
  stok_ws_client_wait_closed (&client);

  /* No close frame: the connection just ended, and libsoup has no code
   * to report (RFC 6455 calls that 1006). */
  g_assert_cmpuint (client.close_code, ==, 0);
  g_assert_cmpuint (client.objects->len, ==, 1);
  g_assert_cmpuint (stok_fake_server_get_n_open_websockets (server), ==, 0);

  stok_ws_client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_fault_frames (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  StokWsClient garbage, binary, unknown, huge;
  const char *text;
  gsize largest = 0;

  /* Not JSON, with terminal escapes in it; the session goes on. */
  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_GARBAGE_TEXT }, FALSE);
  stok_ws_open_session (&garbage, server, "sample_rate=16000", TRUE);
  stok_ws_client_wait_for_texts (&garbage, 2);
  text = garbage.texts->pdata[1];
  g_assert_null (garbage.objects->pdata[1]);
  g_assert_nonnull (strchr (text, '\x1b'));
  stok_ws_client_terminate (&garbage);

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_BINARY_FRAME }, FALSE);
  stok_ws_open_session (&binary, server, "sample_rate=16000", TRUE);
  stok_ws_client_terminate (&binary);
  g_assert_cmpuint (binary.n_binary, ==, 1);

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_UNKNOWN_TYPE }, FALSE);
  stok_ws_open_session (&unknown, server, "sample_rate=16000", TRUE);
  stok_ws_client_wait_for (&unknown, "Heartbeat", 1);
  stok_ws_client_terminate (&unknown);

  /* A valid Turn of 2 MiB: a client can only refuse it for its size. */
  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_HUGE_TEXT }, FALSE);
  stok_ws_open_session (&huge, server, "sample_rate=16000", FALSE);
  soup_websocket_connection_set_max_incoming_payload_size (huge.connection, 8 * 1024 * 1024);
  stok_ws_client_wait_for (&huge, "Turn", 1);
  for (guint i = 0; i < huge.texts->len; i++)
    largest = MAX (largest, strlen (huge.texts->pdata[i]));
  g_assert_cmpuint (largest, >=, 2 * 1024 * 1024);
  g_assert_cmpuint (largest, <, 3 * 1024 * 1024);
  stok_ws_client_terminate (&huge);

  stok_ws_client_clear (&garbage);
  stok_ws_client_clear (&binary);
  stok_ws_client_clear (&unknown);
  stok_ws_client_clear (&huge);
  g_assert_finalize_object (g_steal_pointer (&server));
}

/* Text that is not UTF-8, after Begin and in its place: the client drops
 * it and closes with 1007, which the fake server echoes. */
static void
test_fault_broken_text (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  StokWsClient after, instead;

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_BROKEN_TEXT }, FALSE);
  stok_ws_open_session (&after, server, "sample_rate=16000", TRUE);
  stok_ws_client_wait_closed (&after);
  g_assert_cmpuint (after.close_code, ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
  g_assert_cmpuint (after.texts->len, ==, 1);
  g_assert_cmpstr (stok_ws_object_type (after.objects->pdata[0]), ==, "Begin");

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_BROKEN_BEGIN }, FALSE);
  stok_ws_open_session (&instead, server, "sample_rate=16000", FALSE);
  stok_ws_client_wait_closed (&instead);
  g_assert_cmpuint (instead.close_code, ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
  g_assert_cmpuint (instead.texts->len, ==, 0);
  g_assert_cmpuint (stok_fake_server_count_sent (server, "Begin"), ==, 0);

  stok_ws_client_clear (&after);
  stok_ws_client_clear (&instead);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_fault_silences (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  StokWsClient no_begin, ignored;

  /* The token is taken, and Begin never comes; nor does Termination.
   * A bad message sent after Terminate is still answered, so whatever
   * Terminate would have brought would have come before it. */
  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_NO_BEGIN }, FALSE);
  stok_ws_open_session (&no_begin, server, "sample_rate=16000", FALSE);
  stok_ws_client_send (&no_begin, "{\"type\":\"Terminate\"}");
  stok_ws_client_send (&no_begin, "{\"type\":\"Bogus\"}");
  stok_ws_client_assert_error (&no_begin, 3006, "Bogus");
  g_assert_cmpuint (no_begin.texts->len, ==, 1);
  g_assert_cmpuint (stok_fake_server_count_sent (server, "Begin"), ==, 0);
  g_assert_true (stok_fake_server_is_token_redeemed (server, stok_fake_server_get_last_token (server)));

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_IGNORE_TERMINATE }, FALSE);
  stok_ws_open_session (&ignored, server, "sample_rate=16000", TRUE);
  stok_ws_client_send (&ignored, "{\"type\":\"Terminate\"}");
  stok_ws_client_send (&ignored, "{\"type\":\"Bogus\"}");
  stok_ws_client_assert_error (&ignored, 3006, "Bogus");
  g_assert_cmpuint (ignored.texts->len, ==, 2);
  g_assert_cmpuint (stok_ws_client_count (&ignored, "Termination"), ==, 0);
  g_assert_cmpuint (stok_fake_server_get_n_terminated (server), ==, 2);

  stok_ws_client_clear (&no_begin);
  stok_ws_client_clear (&ignored);
  g_assert_finalize_object (g_steal_pointer (&server));
}

/* Every turn of the flood comes, once and in order, whether it is sent
 * as fast as it goes or at @rate messages a second. */
static void
check_flood (guint rate)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  StokWsClient client;
  guint n_finals = 0;

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) {
                                .fault = STOK_FAKE_FAULT_FLOOD,
                                .n_partials = 500,
                                .n_finals = 30,
                                .rate = rate,
                              }, FALSE);
  stok_ws_open_session (&client, server, "sample_rate=16000", TRUE);
  stok_ws_client_wait_for (&client, "Turn", 530);
  stok_test_spin (50);

  g_assert_cmpuint (stok_ws_client_count (&client, "Turn"), ==, 530);
  for (guint i = 0; i < stok_ws_client_count (&client, "Turn"); i++)
    {
      JsonObject *turn = stok_ws_client_get (&client, "Turn", i);

      if (json_object_get_boolean_member (turn, "end_of_turn"))
        g_assert_cmpint (json_object_get_int_member (turn, "turn_order"), ==, n_finals++);
    }
  g_assert_cmpuint (n_finals, ==, 30);
  g_assert_cmpuint (stok_fake_server_count_sent (server, "Turn"), ==, 530);
  g_assert_cmpuint (stok_fake_server_get_n_final_turns (server), ==, 30);
  /* Counted, not kept. */
  g_assert_cmpuint (stok_fake_server_get_n_sent (server), ==, 1);
  stok_ws_client_terminate (&client);

  stok_ws_client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_fault_flood (void)
{
  check_flood (0);
}

/* The benchmarks' flood, at a pace a window can draw through. */
static void
test_fault_flood_rate (void)
{
  check_flood (5000);
}

static void
test_fault_every_session (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  StokWsClient clients[3];

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_DROP_AFTER_BEGIN }, TRUE);
  for (guint i = 0; i < 2; i++)
    {
      stok_ws_open_session (&clients[i], server, "sample_rate=16000", FALSE);
      stok_ws_client_wait_closed (&clients[i]);
      g_assert_cmpuint (clients[i].close_code, ==, 0);
    }

  stok_fake_server_clear_fault (server);
  stok_ws_open_session (&clients[2], server, "sample_rate=16000", TRUE);
  stok_ws_client_terminate (&clients[2]);

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    stok_ws_client_clear (&clients[i]);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_fault_names (void)
{
  for (StokFakeFault fault = STOK_FAKE_FAULT_NONE; fault <= STOK_FAKE_FAULT_LAST; fault++)
    {
      StokFakeFault found = STOK_FAKE_FAULT_NONE;

      g_assert_true (stok_fake_fault_from_name (stok_fake_fault_get_name (fault), &found));
      g_assert_cmpint (found, ==, fault);
    }
  g_assert_false (stok_fake_fault_from_name ("drop", NULL));
}

/* fake-token-server on its own, told to drop sessions: it logs what came
 * and went, but neither the token nor the key. */
static void
test_executable (void)
{
  const char *path = g_getenv ("STOK_FAKE_SERVER");
  g_autofree char *fallback = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GSubprocess) help = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *help_text = NULL;
  g_autofree char *url = NULL;
  g_autofree char *log = NULL;
  g_autofree char *token = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *rules = NULL;
  g_autofree char *expected_rules = stok_fake_server_dup_rules_markdown ();
  StokWsClient client;

  if (path == NULL)
    path = fallback = g_test_build_filename (G_TEST_BUILT, "fake-token-server", NULL);

  help = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path, "--help", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (help, NULL, NULL, &help_text, NULL, &error);
  g_assert_no_error (error);
  for (StokFakeFault fault = STOK_FAKE_FAULT_REFUSE_UPGRADE; fault <= STOK_FAKE_FAULT_LAST; fault++)
    g_assert_nonnull (strstr (help_text, stok_fake_fault_get_name (fault)));

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              path, "--key=sk-fake-key-for-the-log", "--ws-fault=drop-after-begin",
                              "--ws-fault-after-ms=50", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);

  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *mint_url = g_strdup_printf ("%s/v3/token?expires_in_seconds=60", url);
    g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, mint_url);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();

    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", "sk-fake-key-for-the-log");
    body = soup_session_send_and_read (session, message, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL));
    token = g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "token"));
  }

  /* http://127.0.0.1:N becomes ws://127.0.0.1:N. */
  g_assert_true (g_str_has_prefix (url, "http://"));
  uri = g_strdup_printf ("ws://%s/v3/ws?token=%s&sample_rate=16000", url + strlen ("http://"), token);
  stok_ws_client_open_uri (&client, uri);
  g_assert_nonnull (client.connection);
  stok_ws_client_wait_closed (&client);
  g_assert_cmpuint (client.close_code, ==, 0);
  g_assert_cmpuint (stok_ws_client_count (&client, "Begin"), ==, 1);

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &log, &error);
  g_assert_no_error (error);
  g_test_message ("%s", log);
  g_assert_nonnull (strstr (log, "\"type\":\"Begin\""));
  g_assert_nonnull (strstr (log, "closed 1006"));
  g_assert_null (strstr (log, token));
  g_assert_null (strstr (log, "sk-fake-key-for-the-log"));
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  /* The rules it prints are the ones README.md shows. */
  {
    g_autoptr(GSubprocess) print = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path, "--rules", NULL);

    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (print, NULL, NULL, &rules, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (rules, ==, expected_rules);
  }

  stok_ws_client_clear (&client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fake-session/fault/refuse-upgrade", test_fault_refuse_upgrade);
  g_test_add_func ("/fake-session/fault/error-after-begin", test_fault_error_after_begin);
  g_test_add_func ("/fake-session/fault/drop", test_fault_drop);
  g_test_add_func ("/fake-session/fault/frames", test_fault_frames);
  g_test_add_func ("/fake-session/fault/broken-text", test_fault_broken_text);
  g_test_add_func ("/fake-session/fault/silences", test_fault_silences);
  g_test_add_func ("/fake-session/fault/flood", test_fault_flood);
  g_test_add_func ("/fake-session/fault/flood-rate", test_fault_flood_rate);
  g_test_add_func ("/fake-session/fault/every-session", test_fault_every_session);
  g_test_add_func ("/fake-session/fault/names", test_fault_names);
  g_test_add_func ("/fake-session/executable", test_executable);

  return g_test_run ();
}
