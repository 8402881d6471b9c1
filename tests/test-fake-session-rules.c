/* test-fake-session-rules.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The rules of the fake server's streaming sessions, as README.md's
 * "The fake server's rules" states them: the parameters a session takes
 * and refuses, the size and pace of frames, the session cap, a token
 * used once, messages that are not ones, and README.md's copy of the
 * table. */

#include "config.h"

#include <string.h>

#include "stok-fake-server.h"
#include "stok-test-util.h"
#include "stok-test-ws-client.h"

static void
test_update_configuration_refused (void)
{
  static const struct {
    const char *message;
    const char *words;
  } cases[] = {
    { "{\"type\":\"UpdateConfiguration\",\"max_turn_silence\":\"fast\"}", "max_turn_silence" },
    { "{\"type\":\"UpdateConfiguration\",\"max_turn_silence\":-1}", "max_turn_silence" },
    { "{\"type\":\"UpdateConfiguration\",\"min_turn_silence\":12.5}", "min_turn_silence" },
    { "{\"type\":\"UpdateConfiguration\",\"end_of_turn_confidence_threshold\":1.5}", "end_of_turn_confidence_threshold" },
    { "{\"type\":\"UpdateConfiguration\",\"end_of_turn_confidence_threshold\":[]}", "end_of_turn_confidence_threshold" },
  };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      StokWsClient client;

      g_test_message ("%s", cases[i].message);
      stok_ws_open_session (&client, server, "sample_rate=16000", TRUE);
      stok_ws_client_send (&client, cases[i].message);
      stok_ws_client_assert_error (&client, 3006, cases[i].words);
      /* Nothing was changed. */
      g_assert_cmpstr (stok_fake_server_get_session_parameter (server, "max_turn_silence"), ==, "1280");
      stok_ws_client_clear (&client);
    }

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_frame_size (void)
{
  static const guint segments[] = { 1100 };
  static const struct {
    guint frame_ms;
    const char *words;
  } cases[] = {
    { 20, "20 ms" },
    { 1100, "1100 ms" },
  };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GBytes) audio = stok_ws_make_audio (16000, segments, G_N_ELEMENTS (segments));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      StokWsClient client;
      StokWsStream stream;

      stok_ws_open_session (&client, server, "sample_rate=16000", TRUE);
      stok_ws_stream_init (&stream, audio, cases[i].frame_ms, 32);
      stok_ws_stream_send (&client, &stream, 1);
      stok_ws_client_assert_error (&client, 3007, cases[i].words);
      stok_ws_client_clear (&client);
    }

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_too_fast (void)
{
  static const guint segments[] = { 3000 };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GBytes) audio = stok_ws_make_audio (16000, segments, G_N_ELEMENTS (segments));
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (audio, &length);
  StokWsClient client;

  /* Three seconds pushed at once, as a file read as fast as it can be. */
  stok_ws_open_session (&client, server, "sample_rate=16000", TRUE);
  for (gsize offset = 0; offset < length; offset += 1600)
    soup_websocket_connection_send_binary (client.connection, data + offset, 1600);
  stok_ws_client_assert_error (&client, 3007, "faster than real time");
  /* Taken up to the allowance of a second ahead, refused well before the
   * end. */
  g_assert_cmpint (stok_fake_server_get_audio_received_us (server), >, 1000000);
  g_assert_cmpint (stok_fake_server_get_audio_received_us (server), <, 3000000);

  stok_ws_client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static gboolean
is_open (gpointer data)
{
  return !((StokWsClient *) data)->closed;
}

static void
test_session_cap (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(StokClock) clock = stok_clock_new_manual (1000 * G_USEC_PER_SEC);
  g_autofree char *token = NULL;
  g_autofree char *query = NULL;
  StokWsClient client;
  gint64 expires_at;

  stok_fake_server_set_clock (server, clock);
  token = stok_ws_mint (server, "expires_in_seconds=60&max_session_duration_seconds=60");
  query = g_strdup_printf ("token=%s&sample_rate=16000", token);
  stok_ws_client_open (&client, server, query);
  stok_ws_client_wait_for (&client, "Begin", 1);
  expires_at = json_object_get_int_member (stok_ws_client_get (&client, "Begin", 0), "expires_at");
  g_assert_cmpint (expires_at, >=, g_get_real_time () / G_USEC_PER_SEC + 59);
  g_assert_cmpint (expires_at, <=, g_get_real_time () / G_USEC_PER_SEC + 60);

  /* A second short of the cap, the session goes on. */
  stok_clock_advance (clock, 59 * G_USEC_PER_SEC);
  stok_test_spin (100);
  g_assert_true (is_open (&client));

  stok_clock_advance (clock, 1 * G_USEC_PER_SEC);
  stok_ws_client_assert_error (&client, 3008, "maximum session duration");
  g_assert_cmpuint (stok_ws_client_count (&client, "Termination"), ==, 0);

  stok_ws_client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_bad_parameters (void)
{
  static const struct {
    const char *parameters;
    const char *name;
  } cases[] = {
    { "sample_rate=16000&speech_model=universal-streaming-klingon", "speech_model" },
    { "sample_rate=16000&speech_model=", "speech_model" },
    { "encoding=pcm_s16le", "sample_rate" },
    { "sample_rate=7999", "sample_rate" },
    { "sample_rate=48001", "sample_rate" },
    { "sample_rate=16k", "sample_rate" },
    { "sample_rate=16000.0", "sample_rate" },
    { "sample_rate=16000&encoding=flac", "encoding" },
    { "sample_rate=16000&encoding=opus", "encoding" },
    { "sample_rate=16000&format_turns=yes", "format_turns" },
    { "sample_rate=16000&end_of_turn_confidence_threshold=1.5", "end_of_turn_confidence_threshold" },
    { "sample_rate=16000&end_of_turn_confidence_threshold=high", "end_of_turn_confidence_threshold" },
    { "sample_rate=16000&min_turn_silence=-5", "min_turn_silence" },
    { "sample_rate=16000&max_turn_silence=abc", "max_turn_silence" },
    { "sample_rate=16000&min_end_of_turn_silence_when_confident=x", "min_end_of_turn_silence_when_confident" },
    { "sample_rate=16000&keyterms_prompt=AssemblyAI", "keyterms_prompt" },
    { "sample_rate=16000&keyterms_prompt=%5B1%2C2%5D", "keyterms_prompt" },
    /* The reason is cut to fit a close frame, the parameter still named. */
    { "sample_rate=16000&speech_model=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "speech_model" },
  };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      StokWsClient client;

      g_test_message ("%s", cases[i].parameters);
      stok_ws_open_session (&client, server, cases[i].parameters, FALSE);
      stok_ws_client_assert_error (&client, 3006, cases[i].name);
      g_assert_cmpuint (stok_ws_client_count (&client, "Begin"), ==, 0);
      g_assert_null (stok_fake_server_get_session_parameter (server, "sample_rate"));
      /* No session was opened: the token is not spent. */
      g_assert_false (stok_fake_server_is_token_redeemed (server, stok_fake_server_get_last_token (server)));
      stok_ws_client_clear (&client);
    }

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_good_parameters (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  StokWsClient client;
  JsonObject *configuration;
  JsonArray *terms;

  /* No speech_model: the newest docs' default. Unknown parameters are
   * ignored; the older name of min_turn_silence is taken. */
  stok_ws_open_session (&client, server,
                        "sample_rate=8000&encoding=pcm_mulaw&format_turns=false&end_of_turn_confidence_threshold=0.7"
                        "&min_end_of_turn_silence_when_confident=300&max_turn_silence=2000"
                        "&keyterms_prompt=%5B%22AssemblyAI%22%2C%22Kubernetes%22%5D&vad_threshold=0.5&no_such_parameter=1",
                        TRUE);
  configuration = json_object_get_object_member (stok_ws_client_get (&client, "Begin", 0), "configuration");
  g_assert_cmpstr (json_object_get_string_member (configuration, "speech_model"), ==, "universal-3-6-pro");
  g_assert_cmpint (json_object_get_int_member (configuration, "sample_rate"), ==, 8000);
  g_assert_cmpstr (json_object_get_string_member (configuration, "encoding"), ==, "pcm_mulaw");
  g_assert_false (json_object_get_boolean_member (configuration, "format_turns"));
  g_assert_cmpfloat (json_object_get_double_member (configuration, "end_of_turn_confidence_threshold"), ==, 0.7);
  g_assert_cmpint (json_object_get_int_member (configuration, "min_turn_silence"), ==, 300);
  g_assert_cmpint (json_object_get_int_member (configuration, "max_turn_silence"), ==, 2000);
  terms = json_object_get_array_member (configuration, "keyterms_prompt");
  g_assert_cmpuint (json_array_get_length (terms), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (terms, 1), ==, "Kubernetes");
  g_assert_false (json_object_has_member (configuration, "no_such_parameter"));

  g_assert_cmpstr (stok_fake_server_get_session_parameter (server, "speech_model"), ==, "universal-3-6-pro");
  g_assert_cmpstr (stok_fake_server_get_session_parameter (server, "keyterms_prompt"), ==, "[\"AssemblyAI\",\"Kubernetes\"]");
  g_assert_null (stok_fake_server_get_session_parameter (server, "no_such_parameter"));
  g_assert_true (stok_fake_server_is_token_redeemed (server, stok_fake_server_get_last_token (server)));

  /* KeepAlive needs no answer; a Terminate with no audio reports none. */
  stok_ws_client_send (&client, "{\"type\":\"KeepAlive\"}");
  g_assert_cmpint (json_object_get_int_member (stok_ws_client_terminate (&client), "audio_duration_seconds"), ==, 0);
  g_assert_cmpuint (stok_fake_server_get_n_received (server), ==, 2);
  g_assert_cmpstr (stok_fake_server_get_received (server, 0)->type, ==, "KeepAlive");

  stok_ws_client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_token_used_twice (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autofree char *token = stok_ws_mint (server, "expires_in_seconds=60");
  g_autofree char *query = g_strdup_printf ("token=%s&sample_rate=16000", token);
  StokWsClient first;
  StokWsClient second;

  stok_ws_client_open (&first, server, query);
  stok_ws_client_wait_for (&first, "Begin", 1);
  stok_ws_client_terminate (&first);

  stok_ws_client_open (&second, server, query);
  stok_ws_client_assert_error (&second, 1008, STOK_FAKE_WS_USED_TOKEN);
  g_assert_cmpuint (stok_ws_client_count (&second, "Begin"), ==, 0);

  stok_ws_client_clear (&first);
  stok_ws_client_clear (&second);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_invalid_messages (void)
{
  static const struct {
    const char *message;
    const char *words;
  } cases[] = {
    { "{\"type\":\"Bogus\"}", "Bogus" },
    { "{\"type\": \"Terminate\"", "Invalid JSON" },
    { "[\"Terminate\"]", "Invalid JSON" },
    { "{\"kind\":\"Terminate\"}", "\"type\"" },
    { "{\"type\":42}", "\"type\"" },
  };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      StokWsClient client;

      stok_ws_open_session (&client, server, "sample_rate=16000", TRUE);
      stok_ws_client_send (&client, cases[i].message);
      stok_ws_client_assert_error (&client, 3006, cases[i].words);
      g_assert_cmpuint (stok_fake_server_get_n_received (server), ==, 1);
      g_assert_cmpstr (stok_fake_server_get_received (server, 0)->text, ==, cases[i].message);
      stok_ws_client_clear (&client);
    }

  g_assert_finalize_object (g_steal_pointer (&server));
}

/* README.md shows the same rules as the code keeps. */
static void
test_rules_in_readme (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "README.md", NULL);
  g_autofree char *readme = NULL;
  g_autofree char *rules = stok_fake_server_dup_rules_markdown ();
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &readme, NULL, &error);
  g_assert_no_error (error);
  if (strstr (readme, rules) == NULL)
    g_test_message ("README.md should have, under \"The fake server's rules\":\n%s", rules);
  g_assert_nonnull (strstr (readme, rules));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fake-session/update-configuration-refused", test_update_configuration_refused);
  g_test_add_func ("/fake-session/frame-size", test_frame_size);
  g_test_add_func ("/fake-session/too-fast", test_too_fast);
  g_test_add_func ("/fake-session/session-cap", test_session_cap);
  g_test_add_func ("/fake-session/bad-parameters", test_bad_parameters);
  g_test_add_func ("/fake-session/good-parameters", test_good_parameters);
  g_test_add_func ("/fake-session/token-used-twice", test_token_used_twice);
  g_test_add_func ("/fake-session/invalid-messages", test_invalid_messages);
  g_test_add_func ("/fake-session/rules-in-readme", test_rules_in_readme);

  return g_test_run ();
}
