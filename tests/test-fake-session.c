/* test-fake-session.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The fake server's streaming sessions, driven with a plain libsoup
 * WebSocket client rather than the app's engine, which the fake is there
 * to test (stok-test-ws-client.c): audio in, turns out. What a session
 * accepts and refuses is in test-fake-session-rules.c, its faults in
 * test-fake-session-faults.c.
 *
 * Audio is streamed in 50 ms frames paced on the monotonic clock, up to
 * half a second ahead of it (the server allows one second), so that a
 * test takes about as long as its audio. */

#include "config.h"

#include <string.h>

#include "stok-fake-server.h"
#include "stok-test-ws-client.h"

/* The spoken fixture: 16 kHz mono s16le samples of a WAV file. */
static GBytes *
read_wav (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  gsize offset = 12;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_true (length > 44 && memcmp (contents, "RIFF", 4) == 0 && memcmp (contents + 8, "WAVE", 4) == 0);

  while (offset + 8 <= length)
    {
      guint32 size = GUINT32_FROM_LE (*(guint32 *) (gpointer) (contents + offset + 4));

      if (memcmp (contents + offset, "fmt ", 4) == 0)
        {
          /* PCM, mono, 16 kHz, 16 bits. */
          g_assert_cmpuint (GUINT16_FROM_LE (*(guint16 *) (gpointer) (contents + offset + 8)), ==, 1);
          g_assert_cmpuint (GUINT16_FROM_LE (*(guint16 *) (gpointer) (contents + offset + 10)), ==, 1);
          g_assert_cmpuint (GUINT32_FROM_LE (*(guint32 *) (gpointer) (contents + offset + 12)), ==, 16000);
          g_assert_cmpuint (GUINT16_FROM_LE (*(guint16 *) (gpointer) (contents + offset + 22)), ==, 16);
        }
      else if (memcmp (contents + offset, "data", 4) == 0)
        {
          g_assert_cmpuint (offset + 8 + size, <=, length);
          return g_bytes_new (contents + offset + 8, size);
        }
      offset += 8 + size + (size & 1);
    }

  g_assert_not_reached ();
}

/* Where a file is voiced, found without the server's detector: 5 ms
 * blocks whose peak passes 1% of full scale, joined across gaps shorter
 * than 300 ms. Returns pairs of start and end, in ms. */
static GArray *
find_voiced_regions (GBytes *audio,
                     guint   rate)
{
  GArray *regions = g_array_new (FALSE, FALSE, sizeof (gint64));
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (audio, &length);
  guint block = rate / 200;
  gint64 start = -1;
  gint64 end = -1;

  for (gsize i = 0; i + block <= length / 2; i += block)
    {
      int peak = 0;

      for (gsize j = i; j < i + block; j++)
        peak = MAX (peak, ABS ((int) (gint16) (data[2 * j] | (data[2 * j + 1] << 8))));

      if (peak < 328)
        continue;

      if (start >= 0 && (gint64) (i * 1000 / rate) - end >= 300)
        {
          g_array_append_val (regions, start);
          g_array_append_val (regions, end);
          start = -1;
        }
      if (start < 0)
        start = (gint64) (i * 1000 / rate);
      end = (gint64) ((i + block) * 1000 / rate);
    }

  if (start >= 0)
    {
      g_array_append_val (regions, start);
      g_array_append_val (regions, end);
    }

  return regions;
}

static const char * const stand_ins[] = {
  "stand-in", "words", "from", "the", "fake", "server",
};

static gboolean
is_stand_in (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (stand_ins); i++)
    if (g_str_equal (text, stand_ins[i]))
      return TRUE;

  return FALSE;
}

static void
test_spoken_file (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GBytes) audio = read_wav ("two-turns.wav");
  g_autoptr(GArray) regions = find_voiced_regions (audio, 16000);
  double duration = g_bytes_get_size (audio) / 32000.0;
  StokWsClient client;
  StokWsStream stream;
  JsonObject *begin;
  JsonObject *termination;
  JsonObject *configuration;
  guint turn = 0;
  guint partials_in_turn = 0;
  guint last_n_words = 0;
  guint n_words = 0;
  guint n_low = 0;
  guint n_speech_started = 0;
  gint64 audio_us = 0;

  g_test_message ("fixture: %.3f s, %u voiced regions", duration, regions->len / 2);
  g_assert_cmpuint (regions->len, ==, 4);

  stok_ws_open_session (&client, server, "sample_rate=16000&encoding=pcm_s16le&speech_model=universal-streaming-english", TRUE);

  /* Begin: the session the server opened, with its parameters. */
  begin = stok_ws_client_get (&client, "Begin", 0);
  g_assert_cmpstr (json_object_get_string_member (begin, "id"), ==, stok_fake_server_get_last_session_id (server));
  g_assert_cmpint (json_object_get_int_member (begin, "expires_at"), >, g_get_real_time () / G_USEC_PER_SEC);
  configuration = json_object_get_object_member (begin, "configuration");
  g_assert_cmpstr (json_object_get_string_member (configuration, "speech_model"), ==, "universal-streaming-english");
  g_assert_cmpint (json_object_get_int_member (configuration, "sample_rate"), ==, 16000);
  g_assert_cmpstr (json_object_get_string_member (configuration, "encoding"), ==, "pcm_s16le");

  stok_ws_stream_init (&stream, audio, 50, 32);
  stok_ws_stream_send (&client, &stream, G_MAXUINT);
  termination = stok_ws_client_terminate (&client);

  /* The true duration of the file. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (termination, "audio_duration_seconds"), duration, 0.0005);
  g_assert_cmpint (json_object_get_int_member (termination, "session_duration_seconds"), >=, 0);
  g_assert_cmpint (stok_fake_server_get_audio_received_us (server), ==, (gint64) (duration * G_USEC_PER_SEC));

  /* A turn a sentence, each begun by SpeechStarted within its sentence. */
  g_assert_cmpuint (stok_ws_client_count (&client, "SpeechStarted"), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      gint64 timestamp = json_object_get_int_member (stok_ws_client_get (&client, "SpeechStarted", i), "timestamp");

      g_assert_cmpint (timestamp, >=, g_array_index (regions, gint64, 2 * i) - 20);
      g_assert_cmpint (timestamp, <=, g_array_index (regions, gint64, 2 * i) + 20);
    }

  /* In order: partials that grow, a final turn at the pause, then the
   * next sentence. */
  for (guint i = 0; i < client.objects->len; i++)
    {
      JsonObject *object = client.objects->pdata[i];
      const char *type = stok_ws_object_type (object);
      JsonArray *words;
      gboolean end_of_turn;
      g_autoptr(GString) transcript = g_string_new (NULL);

      g_test_message ("← %s", (const char *) client.texts->pdata[i]);
      g_assert_nonnull (type);
      if (g_str_equal (type, "SpeechStarted"))
        {
          n_speech_started++;
          continue;
        }
      if (!g_str_equal (type, "Turn"))
        continue;

      words = json_object_get_array_member (object, "words");
      end_of_turn = json_object_get_boolean_member (object, "end_of_turn");
      g_assert_cmpuint (json_object_get_int_member (object, "turn_order"), ==, turn);
      g_assert_false (json_object_get_boolean_member (object, "turn_is_formatted"));
      g_assert_true (json_object_has_member (object, "end_of_turn_confidence"));
      g_assert_cmpuint (json_array_get_length (words), >, 0);
      g_assert_cmpuint (json_array_get_length (words), >=, last_n_words);

      for (guint w = 0; w < json_array_get_length (words); w++)
        {
          JsonObject *word = json_array_get_object_element (words, w);
          const char *text = json_object_get_string_member (word, "text");
          gint64 start = json_object_get_int_member (word, "start");
          gint64 end = json_object_get_int_member (word, "end");
          gboolean last = w + 1 == json_array_get_length (words);

          /* Stand-ins, where the voice was, final but for a partial's last. */
          g_assert_true (is_stand_in (text));
          g_assert_cmpint (start, <, end);
          g_assert_cmpint (start, >=, g_array_index (regions, gint64, 2 * turn) - 20);
          g_assert_cmpint (end, <=, g_array_index (regions, gint64, 2 * turn + 1) + 20);
          g_assert_cmpint (json_object_get_boolean_member (word, "word_is_final"), ==, end_of_turn || !last);
          if (end_of_turn || !last)
            {
              if (transcript->len > 0)
                g_string_append_c (transcript, ' ');
              g_string_append (transcript, text);
            }
          if (end_of_turn && json_object_get_double_member (word, "confidence") < 0.5)
            n_low++;
        }
      g_assert_cmpstr (json_object_get_string_member (object, "transcript"), ==, transcript->str);

      if (!end_of_turn)
        {
          /* The first partial of a turn has a word and no transcript yet. */
          if (partials_in_turn++ == 0)
            g_assert_cmpstr (json_object_get_string_member (object, "transcript"), ==, "");
          last_n_words = json_array_get_length (words);
          continue;
        }

      g_assert_cmpuint (partials_in_turn, >=, 2);
      g_assert_cmpfloat (json_object_get_double_member (object, "end_of_turn_confidence"), >=, 0.4);
      /* Each turn ended in its pause, before the next began. */
      g_assert_cmpuint (n_speech_started, ==, turn + 1);
      n_words += json_array_get_length (words);
      turn++;
      partials_in_turn = 0;
      last_n_words = 0;
    }
  g_assert_cmpuint (turn, ==, 2);
  g_assert_cmpuint (stok_fake_server_get_n_final_turns (server), ==, 2);
  /* Every fifth word is one a client should mark. */
  g_assert_cmpuint (n_low, ==, n_words / 5);

  /* What the server received, frame by frame, in real time or less than
   * a second ahead of it. */
  g_assert_cmpuint (stok_fake_server_get_n_audio_frames (server), ==, stream.n_sent);
  for (guint i = 0; i < stok_fake_server_get_n_audio_frames (server); i++)
    {
      const StokFakeAudioFrame *frame = stok_fake_server_get_audio_frame (server, i);

      g_assert_cmpuint (frame->n_bytes, ==, 1600);
      g_assert_cmpint (frame->audio_us, ==, 50000);
      g_assert_cmpint (frame->received_us, >=, stok_fake_server_get_begin_sent_us (server));
      if (i > 0)
        g_assert_cmpint (frame->received_us, >=, stok_fake_server_get_audio_frame (server, i - 1)->received_us);
      audio_us += frame->audio_us;
      g_assert_cmpint (audio_us - (frame->received_us - stok_fake_server_get_begin_sent_us (server)), <=, 1000000);
    }
  g_assert_cmpuint (stok_fake_server_get_n_received (server), ==, 1);
  g_assert_cmpstr (stok_fake_server_get_received (server, 0)->type, ==, "Terminate");
  g_assert_cmpuint (stok_fake_server_count_sent (server, "Turn"), ==, stok_ws_client_count (&client, "Turn"));
  g_assert_cmpuint (stok_fake_server_get_n_terminated (server), ==, 1);

  stok_ws_client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_force_endpoint (void)
{
  static const guint segments[] = { 2000 };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GBytes) audio = stok_ws_make_audio (16000, segments, G_N_ELEMENTS (segments));
  StokWsClient client;
  StokWsStream stream;
  JsonObject *final;
  JsonArray *words;

  stok_ws_open_session (&client, server, "sample_rate=16000", TRUE);
  stok_ws_stream_init (&stream, audio, 50, 32);
  stok_ws_stream_send (&client, &stream, 20);
  stok_ws_client_send (&client, "{\"type\":\"ForceEndpoint\"}");
  stok_ws_stream_send (&client, &stream, G_MAXUINT);
  stok_ws_client_terminate (&client);

  /* The voice went on, but the turn ended where ForceEndpoint came: at
   * one second of audio, with no silence. */
  final = stok_ws_client_get (&client, "Turn", 0);
  for (guint i = 0; !json_object_get_boolean_member (final, "end_of_turn"); i++)
    final = stok_ws_client_get (&client, "Turn", i);
  g_assert_cmpint (json_object_get_int_member (final, "turn_order"), ==, 0);
  words = json_object_get_array_member (final, "words");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (words, json_array_get_length (words) - 1), "end"), ==, 1000);
  g_assert_cmpfloat (json_object_get_double_member (final, "end_of_turn_confidence"), ==, 0.0);

  /* The voice that followed is a turn of its own, ended by Terminate. */
  g_assert_cmpuint (stok_ws_client_count (&client, "SpeechStarted"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (stok_ws_client_get (&client, "SpeechStarted", 1), "timestamp"), ==, 1000);
  g_assert_cmpuint (stok_fake_server_get_n_final_turns (server), ==, 2);
  g_assert_cmpstr (stok_fake_server_get_received (server, 0)->type, ==, "ForceEndpoint");
  g_assert_cmpint (stok_fake_server_get_received (server, 0)->audio_us, ==, 1000000);

  /* Nothing to end: nothing sent. */
  stok_ws_client_clear (&client);
  stok_ws_open_session (&client, server, "sample_rate=16000", TRUE);
  stok_ws_client_send (&client, "{\"type\":\"ForceEndpoint\"}");
  stok_ws_client_terminate (&client);
  g_assert_cmpuint (stok_ws_client_count (&client, "Turn"), ==, 0);

  stok_ws_client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

/* How much silence the server waited for before it sent final turn
 * @turn: when it was sent, in audio received, after the turn's last word. */
static gint64
silence_before_final (StokFakeServer *server,
                      StokWsClient   *client,
                      guint           turn)
{
  guint n = 0;

  for (guint i = 0; i < stok_fake_server_get_n_sent (server); i++)
    {
      const StokFakeMessage *message = stok_fake_server_get_sent (server, i);

      if (g_strcmp0 (message->type, "Turn") == 0 && strstr (message->text, "\"end_of_turn\":true") != NULL && n++ == turn)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonArray *words;

          g_assert_true (json_parser_load_from_data (parser, message->text, -1, NULL));
          words = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "words");
          return message->audio_us / 1000 -
                 json_object_get_int_member (json_array_get_object_element (words, json_array_get_length (words) - 1), "end");
        }
    }

  g_assert_not_reached ();
}

static void
test_update_configuration (void)
{
  static const guint segments[] = { 500, 1500, 500, 1500 };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GBytes) audio = stok_ws_make_audio (16000, segments, G_N_ELEMENTS (segments));
  StokWsClient client;
  StokWsStream stream;
  gint64 before, after;

  stok_ws_open_session (&client, server, "sample_rate=16000", TRUE);
  g_assert_cmpstr (stok_fake_server_get_session_parameter (server, "max_turn_silence"), ==, "1280");
  g_assert_cmpstr (stok_fake_server_get_session_parameter (server, "min_turn_silence"), ==, "400");

  stok_ws_stream_init (&stream, audio, 50, 32);
  stok_ws_stream_send (&client, &stream, 40);
  stok_ws_client_send (&client, "{\"type\":\"UpdateConfiguration\",\"max_turn_silence\":200,\"min_turn_silence\":100,"
                                "\"end_of_turn_confidence_threshold\":null}");
  stok_ws_stream_send (&client, &stream, G_MAXUINT);
  stok_ws_client_terminate (&client);

  /* By default a turn waits for 512 ms of silence (0.4 of 1280 ms); after
   * the update, for 100 ms. Each within a frame of 50 ms. */
  g_assert_cmpuint (stok_fake_server_get_n_final_turns (server), ==, 2);
  before = silence_before_final (server, &client, 0);
  after = silence_before_final (server, &client, 1);
  g_test_message ("silence before the final turn: %" G_GINT64_FORMAT " ms, then %" G_GINT64_FORMAT " ms", before, after);
  g_assert_cmpint (before, >=, 512);
  g_assert_cmpint (before, <, 512 + 60);
  g_assert_cmpint (after, >=, 100);
  g_assert_cmpint (after, <, 100 + 60);
  g_assert_cmpstr (stok_fake_server_get_session_parameter (server, "max_turn_silence"), ==, "200");
  g_assert_cmpstr (stok_fake_server_get_session_parameter (server, "min_turn_silence"), ==, "100");
  g_assert_cmpstr (stok_fake_server_get_session_parameter (server, "end_of_turn_confidence_threshold"), ==, "0.4");

  stok_ws_client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_format_turns (void)
{
  static const guint segments[] = { 500, 800 };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GBytes) audio = stok_ws_make_audio (16000, segments, G_N_ELEMENTS (segments));
  StokWsClient client;
  StokWsStream stream;
  JsonObject *final = NULL;
  JsonObject *formatted = NULL;
  JsonArray *words;
  g_autofree char *expected = NULL;
  guint index = 0;

  stok_ws_open_session (&client, server, "sample_rate=16000&format_turns=True", TRUE);
  g_assert_cmpstr (stok_fake_server_get_session_parameter (server, "format_turns"), ==, "true");
  stok_ws_stream_init (&stream, audio, 50, 32);
  stok_ws_stream_send (&client, &stream, G_MAXUINT);
  stok_ws_client_terminate (&client);

  /* The final turn, then at once its formatted copy. */
  for (; index < client.objects->len; index++)
    {
      JsonObject *object = client.objects->pdata[index];

      if (g_strcmp0 (stok_ws_object_type (object), "Turn") == 0 && json_object_get_boolean_member (object, "end_of_turn"))
        break;
    }
  g_assert_cmpuint (index + 1, <, client.objects->len);
  final = client.objects->pdata[index];
  formatted = client.objects->pdata[index + 1];
  g_assert_false (json_object_get_boolean_member (final, "turn_is_formatted"));
  g_assert_cmpstr (stok_ws_object_type (formatted), ==, "Turn");
  g_assert_true (json_object_get_boolean_member (formatted, "turn_is_formatted"));
  g_assert_true (json_object_get_boolean_member (formatted, "end_of_turn"));
  g_assert_cmpint (json_object_get_int_member (formatted, "turn_order"), ==, json_object_get_int_member (final, "turn_order"));

  expected = g_strdup_printf ("%s.", json_object_get_string_member (final, "transcript"));
  expected[0] = g_ascii_toupper (expected[0]);
  g_assert_cmpstr (json_object_get_string_member (formatted, "transcript"), ==, expected);
  words = json_object_get_array_member (formatted, "words");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_array_get_object_element (words, 0), "text"), "S"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (json_array_get_object_element (words, json_array_get_length (words) - 1), "text"), "."));
  g_assert_cmpuint (stok_fake_server_get_n_final_turns (server), ==, 1);

  stok_ws_client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_mulaw (void)
{
  static const guint segments[] = { 500, 800 };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GBytes) s16 = stok_ws_make_audio (8000, segments, G_N_ELEMENTS (segments));
  g_autoptr(GBytes) audio = stok_ws_to_mulaw (s16);
  StokWsClient client;
  StokWsStream stream;
  JsonObject *termination;
  JsonArray *words;
  JsonObject *final;

  stok_ws_open_session (&client, server, "sample_rate=8000&encoding=pcm_mulaw", TRUE);
  stok_ws_stream_init (&stream, audio, 50, 8);
  stok_ws_stream_send (&client, &stream, G_MAXUINT);
  termination = stok_ws_client_terminate (&client);

  /* Decoded, the tone is voice: a turn over its half second. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (termination, "audio_duration_seconds"), 1.3, 0.0005);
  g_assert_cmpint (json_object_get_int_member (stok_ws_client_get (&client, "SpeechStarted", 0), "timestamp"), ==, 0);
  g_assert_cmpuint (stok_fake_server_get_n_final_turns (server), ==, 1);
  final = stok_ws_client_get (&client, "Turn", stok_ws_client_count (&client, "Turn") - 1);
  words = json_object_get_array_member (final, "words");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (words, json_array_get_length (words) - 1), "end"), ==, 500);
  g_assert_cmpint (stok_fake_server_get_audio_frame (server, 0)->audio_us, ==, 50000);

  stok_ws_client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fake-session/spoken-file", test_spoken_file);
  g_test_add_func ("/fake-session/force-endpoint", test_force_endpoint);
  g_test_add_func ("/fake-session/update-configuration", test_update_configuration);
  g_test_add_func ("/fake-session/format-turns", test_format_turns);
  g_test_add_func ("/fake-session/mulaw", test_mulaw);

  return g_test_run ();
}
