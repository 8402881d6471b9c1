/* test-fake-session.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The fake server's streaming sessions, driven with a plain libsoup
 * WebSocket client rather than the app's engine, which the fake is there
 * to test: audio in, turns out, every rule of README.md's "The fake
 * server's rules", and each fault a client's failure matrix needs.
 *
 * Audio is streamed in 50 ms frames paced on the monotonic clock, up to
 * half a second ahead of it (the server allows one second), so that a
 * test takes about as long as its audio. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "stok-fake-server.h"
#include "stok-test-util.h"

#define WAIT_MS 10000
#define LEAD_MS 500

/* What a client of the session sees. */
typedef struct
{
  SoupSession *session;
  SoupMessage *message;
  SoupWebsocketConnection *connection;
  GPtrArray *texts;        /* char *, every text frame in order */
  GPtrArray *objects;      /* JsonObject *, or NULL where a text is not one */
  guint n_binary;
  gboolean closed;
  gushort close_code;
  char *close_reason;
  guint status;            /* the HTTP status when the upgrade was refused */
} Client;

static void
client_clear (Client *client)
{
  if (client->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (client->connection, client);
      if (soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  g_clear_object (&client->connection);
  g_clear_object (&client->message);
  g_clear_object (&client->session);
  g_clear_pointer (&client->texts, g_ptr_array_unref);
  g_clear_pointer (&client->objects, g_ptr_array_unref);
  g_clear_pointer (&client->close_reason, g_free);

  /* Let closed connections settle before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
object_unref0 (gpointer data)
{
  if (data != NULL)
    json_object_unref (data);
}

static void
client_message_cb (SoupWebsocketConnection *connection,
                   int                      type,
                   GBytes                  *message,
                   Client                  *client)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);
  JsonObject *object = NULL;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      client->n_binary++;
      return;
    }

  if (json_parser_load_from_data (parser, data, (gssize) length, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object = json_object_ref (json_node_get_object (json_parser_get_root (parser)));

  g_ptr_array_add (client->texts, g_strndup (data, length));
  g_ptr_array_add (client->objects, object);
}

static void
client_closed_cb (SoupWebsocketConnection *connection,
                  Client                  *client)
{
  client->closed = TRUE;
  client->close_code = soup_websocket_connection_get_close_code (connection);
  client->close_reason = g_strdup (soup_websocket_connection_get_close_data (connection));
}

/* Opens @uri; a refused upgrade leaves @client->status set and no
 * connection. */
static void
client_open_uri (Client     *client,
                 const char *uri)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  memset (client, 0, sizeof *client);
  client->texts = g_ptr_array_new_with_free_func (g_free);
  client->objects = g_ptr_array_new_with_free_func (object_unref0);
  client->session = soup_session_new ();
  client->message = soup_message_new (SOUP_METHOD_GET, uri);

  soup_session_websocket_connect_async (client->session, client->message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  client->connection = soup_session_websocket_connect_finish (client->session, result, &error);
  if (client->connection == NULL)
    {
      client->status = soup_message_get_status (client->message);
      return;
    }

  g_signal_connect (client->connection, "message", G_CALLBACK (client_message_cb), client);
  g_signal_connect (client->connection, "closed", G_CALLBACK (client_closed_cb), client);
}

static void
client_open (Client         *client,
             StokFakeServer *server,
             const char     *query)
{
  g_autofree char *uri = g_strdup_printf ("ws://127.0.0.1:%u/v3/ws?%s", stok_fake_server_get_port (server), query);

  client_open_uri (client, uri);
}

static const char *
object_type (JsonObject *object)
{
  if (object == NULL || !json_object_has_member (object, "type"))
    return NULL;

  return json_object_get_string_member (object, "type");
}

static guint
client_count (Client     *client,
              const char *type)
{
  guint n = 0;

  for (guint i = 0; i < client->objects->len; i++)
    if (g_strcmp0 (object_type (client->objects->pdata[i]), type) == 0)
      n++;

  return n;
}

/* The @nth (from 0) message of @type. */
static JsonObject *
client_get (Client     *client,
            const char *type,
            guint       nth)
{
  for (guint i = 0; i < client->objects->len; i++)
    if (g_strcmp0 (object_type (client->objects->pdata[i]), type) == 0 && nth-- == 0)
      return client->objects->pdata[i];

  return NULL;
}

typedef struct
{
  Client *client;
  const char *type;
  guint n;
} Waiting;

static gboolean
has_messages (gpointer data)
{
  Waiting *waiting = data;

  return client_count (waiting->client, waiting->type) >= waiting->n;
}

static void
client_wait_for (Client     *client,
                 const char *type,
                 guint       n)
{
  Waiting waiting = { client, type, n };

  g_assert_true (stok_test_wait_until (has_messages, &waiting, WAIT_MS));
}

static gboolean
has_texts (gpointer data)
{
  Waiting *waiting = data;

  return waiting->client->texts->len >= waiting->n;
}

/* Waits for @n text frames, messages or not. */
static void
client_wait_for_texts (Client *client,
                       guint   n)
{
  Waiting waiting = { client, NULL, n };

  g_assert_true (stok_test_wait_until (has_texts, &waiting, WAIT_MS));
}

static gboolean
is_closed (gpointer data)
{
  Client *client = data;

  return client->closed;
}

static void
client_wait_closed (Client *client)
{
  g_assert_true (stok_test_wait_until (is_closed, client, WAIT_MS));
}

/* Asserts that the session ended with an Error of @code that names
 * @words, and a close with the same code and words. */
static void
client_assert_error (Client     *client,
                     gushort     code,
                     const char *words)
{
  JsonObject *error;

  client_wait_closed (client);
  error = client_get (client, "Error", 0);
  g_assert_nonnull (error);
  g_test_message ("Error: %s", json_object_get_string_member (error, "error"));
  g_assert_cmpint (json_object_get_int_member (error, "error_code"), ==, code);
  g_assert_nonnull (strstr (json_object_get_string_member (error, "error"), words));
  g_assert_cmpuint (client->close_code, ==, code);
  g_assert_nonnull (client->close_reason);
  g_assert_nonnull (strstr (client->close_reason, words));
  g_assert_cmpuint (strlen (client->close_reason), <=, 123);
}

/* Audio, paced: frame i goes out LEAD_MS before it is due in real time. */
typedef struct
{
  const guint8 *data;
  gsize length;
  gsize frame_bytes;
  guint frame_ms;
  gsize offset;
  guint n_sent;
  gint64 start_us;
} Stream;

static void
stream_init (Stream       *stream,
             GBytes       *audio,
             guint         frame_ms,
             guint         bytes_per_ms)
{
  memset (stream, 0, sizeof *stream);
  stream->data = g_bytes_get_data (audio, &stream->length);
  stream->frame_ms = frame_ms;
  stream->frame_bytes = (gsize) frame_ms * bytes_per_ms;
}

static void
stream_send (Client *client,
             Stream *stream,
             guint   n_frames)
{
  if (stream->start_us == 0)
    stream->start_us = g_get_monotonic_time ();

  for (guint i = 0; i < n_frames && stream->offset < stream->length && !client->closed; i++)
    {
      gint64 due = stream->start_us + ((gint64) stream->n_sent * stream->frame_ms - LEAD_MS) * 1000;
      gsize size = MIN (stream->frame_bytes, stream->length - stream->offset);

      while (g_get_monotonic_time () < due)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }

      soup_websocket_connection_send_binary (client->connection, stream->data + stream->offset, size);
      stream->offset += size;
      stream->n_sent++;
    }
}

static void
client_send (Client     *client,
             const char *text)
{
  soup_websocket_connection_send_text (client->connection, text);
}

/* Ends the session politely and waits for Termination and the close. */
static JsonObject *
client_terminate (Client *client)
{
  client_send (client, "{\"type\":\"Terminate\"}");
  client_wait_closed (client);
  g_assert_cmpuint (client->close_code, ==, SOUP_WEBSOCKET_CLOSE_NORMAL);
  g_assert_cmpuint (client_count (client, "Termination"), ==, 1);
  /* Termination is the last word. */
  g_assert_cmpstr (object_type (client->objects->pdata[client->objects->len - 1]), ==, "Termination");

  return client_get (client, "Termination", 0);
}

static char *
mint (StokFakeServer *server,
      const char     *query)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("%s/v3/token?%s", stok_fake_server_get_url (server), query);
  g_autofree char *escaped = NULL;

  message = soup_message_new (SOUP_METHOD_GET, url);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", "any-key");
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);

  escaped = g_uri_escape_string (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "token"),
                                 NULL, FALSE);
  return g_steal_pointer (&escaped);
}

/* Mints a token and opens a session with it and @parameters; waits for
 * Begin unless @expect_begin is FALSE. */
static void
open_session (Client         *client,
              StokFakeServer *server,
              const char     *parameters,
              gboolean        expect_begin)
{
  g_autofree char *token = mint (server, "expires_in_seconds=60");
  g_autofree char *query = g_strdup_printf ("token=%s%s%s", token, *parameters ? "&" : "", parameters);

  client_open (client, server, query);
  g_assert_nonnull (client->connection);
  if (expect_begin)
    client_wait_for (client, "Begin", 1);
}

/* Audio made in the test: a 440 Hz tone (-12 dBFS) or silence. */

static void
append_tone (GByteArray *audio,
             guint       rate,
             guint       ms,
             gboolean    voiced)
{
  guint n = rate * ms / 1000;

  for (guint i = 0; i < n; i++)
    {
      gint16 sample = voiced ? (gint16) (8000 * sin (2 * G_PI * 440 * i / rate)) : 0;
      guint8 bytes[2] = { sample & 0xFF, (sample >> 8) & 0xFF };

      g_byte_array_append (audio, bytes, 2);
    }
}

/* Segments of alternating tone and silence, tone first, in ms. */
static GBytes *
make_audio (guint        rate,
            const guint *segments,
            guint        n_segments)
{
  GByteArray *audio = g_byte_array_new ();

  for (guint i = 0; i < n_segments; i++)
    append_tone (audio, rate, segments[i], i % 2 == 0);

  return g_byte_array_free_to_bytes (audio);
}

static guint8
mulaw_encode (gint16 sample)
{
  int sign = sample < 0 ? 0x80 : 0;
  int magnitude = MIN (ABS ((int) sample), 32635) + 0x84;
  int exponent = 7;

  for (int mask = 0x4000; exponent > 0 && !(magnitude & mask); mask >>= 1)
    exponent--;

  return (guint8) ~(sign | (exponent << 4) | ((magnitude >> (exponent + 3)) & 0x0F));
}

static GBytes *
to_mulaw (GBytes *s16)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (s16, &length);
  guint8 *out = g_malloc (length / 2);

  for (gsize i = 0; i < length / 2; i++)
    out[i] = mulaw_encode ((gint16) (data[2 * i] | (data[2 * i + 1] << 8)));

  return g_bytes_new_take (out, length / 2);
}

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
  Client client;
  Stream stream;
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

  open_session (&client, server, "sample_rate=16000&encoding=pcm_s16le&speech_model=universal-streaming-english", TRUE);

  /* Begin: the session the server opened, with its parameters. */
  begin = client_get (&client, "Begin", 0);
  g_assert_cmpstr (json_object_get_string_member (begin, "id"), ==, stok_fake_server_get_last_session_id (server));
  g_assert_cmpint (json_object_get_int_member (begin, "expires_at"), >, g_get_real_time () / G_USEC_PER_SEC);
  configuration = json_object_get_object_member (begin, "configuration");
  g_assert_cmpstr (json_object_get_string_member (configuration, "speech_model"), ==, "universal-streaming-english");
  g_assert_cmpint (json_object_get_int_member (configuration, "sample_rate"), ==, 16000);
  g_assert_cmpstr (json_object_get_string_member (configuration, "encoding"), ==, "pcm_s16le");

  stream_init (&stream, audio, 50, 32);
  stream_send (&client, &stream, G_MAXUINT);
  termination = client_terminate (&client);

  /* The true duration of the file. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (termination, "audio_duration_seconds"), duration, 0.0005);
  g_assert_cmpint (json_object_get_int_member (termination, "session_duration_seconds"), >=, 0);
  g_assert_cmpint (stok_fake_server_get_audio_received_us (server), ==, (gint64) (duration * G_USEC_PER_SEC));

  /* A turn a sentence, each begun by SpeechStarted within its sentence. */
  g_assert_cmpuint (client_count (&client, "SpeechStarted"), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      gint64 timestamp = json_object_get_int_member (client_get (&client, "SpeechStarted", i), "timestamp");

      g_assert_cmpint (timestamp, >=, g_array_index (regions, gint64, 2 * i) - 20);
      g_assert_cmpint (timestamp, <=, g_array_index (regions, gint64, 2 * i) + 20);
    }

  /* In order: partials that grow, a final turn at the pause, then the
   * next sentence. */
  for (guint i = 0; i < client.objects->len; i++)
    {
      JsonObject *object = client.objects->pdata[i];
      const char *type = object_type (object);
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
  g_assert_cmpuint (stok_fake_server_count_sent (server, "Turn"), ==, client_count (&client, "Turn"));
  g_assert_cmpuint (stok_fake_server_get_n_terminated (server), ==, 1);

  client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_force_endpoint (void)
{
  static const guint segments[] = { 2000 };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GBytes) audio = make_audio (16000, segments, G_N_ELEMENTS (segments));
  Client client;
  Stream stream;
  JsonObject *final;
  JsonArray *words;

  open_session (&client, server, "sample_rate=16000", TRUE);
  stream_init (&stream, audio, 50, 32);
  stream_send (&client, &stream, 20);
  client_send (&client, "{\"type\":\"ForceEndpoint\"}");
  stream_send (&client, &stream, G_MAXUINT);
  client_terminate (&client);

  /* The voice went on, but the turn ended where ForceEndpoint came: at
   * one second of audio, with no silence. */
  final = client_get (&client, "Turn", 0);
  for (guint i = 0; !json_object_get_boolean_member (final, "end_of_turn"); i++)
    final = client_get (&client, "Turn", i);
  g_assert_cmpint (json_object_get_int_member (final, "turn_order"), ==, 0);
  words = json_object_get_array_member (final, "words");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (words, json_array_get_length (words) - 1), "end"), ==, 1000);
  g_assert_cmpfloat (json_object_get_double_member (final, "end_of_turn_confidence"), ==, 0.0);

  /* The voice that followed is a turn of its own, ended by Terminate. */
  g_assert_cmpuint (client_count (&client, "SpeechStarted"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (client_get (&client, "SpeechStarted", 1), "timestamp"), ==, 1000);
  g_assert_cmpuint (stok_fake_server_get_n_final_turns (server), ==, 2);
  g_assert_cmpstr (stok_fake_server_get_received (server, 0)->type, ==, "ForceEndpoint");
  g_assert_cmpint (stok_fake_server_get_received (server, 0)->audio_us, ==, 1000000);

  /* Nothing to end: nothing sent. */
  client_clear (&client);
  open_session (&client, server, "sample_rate=16000", TRUE);
  client_send (&client, "{\"type\":\"ForceEndpoint\"}");
  client_terminate (&client);
  g_assert_cmpuint (client_count (&client, "Turn"), ==, 0);

  client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

/* How much silence the server waited for before it sent final turn
 * @turn: when it was sent, in audio received, after the turn's last word. */
static gint64
silence_before_final (StokFakeServer *server,
                      Client         *client,
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
  g_autoptr(GBytes) audio = make_audio (16000, segments, G_N_ELEMENTS (segments));
  Client client;
  Stream stream;
  gint64 before, after;

  open_session (&client, server, "sample_rate=16000", TRUE);
  g_assert_cmpstr (stok_fake_server_get_session_parameter (server, "max_turn_silence"), ==, "1280");
  g_assert_cmpstr (stok_fake_server_get_session_parameter (server, "min_turn_silence"), ==, "400");

  stream_init (&stream, audio, 50, 32);
  stream_send (&client, &stream, 40);
  client_send (&client, "{\"type\":\"UpdateConfiguration\",\"max_turn_silence\":200,\"min_turn_silence\":100,"
                        "\"end_of_turn_confidence_threshold\":null}");
  stream_send (&client, &stream, G_MAXUINT);
  client_terminate (&client);

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

  client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

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
      Client client;

      g_test_message ("%s", cases[i].message);
      open_session (&client, server, "sample_rate=16000", TRUE);
      client_send (&client, cases[i].message);
      client_assert_error (&client, 3006, cases[i].words);
      /* Nothing was changed. */
      g_assert_cmpstr (stok_fake_server_get_session_parameter (server, "max_turn_silence"), ==, "1280");
      client_clear (&client);
    }

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_format_turns (void)
{
  static const guint segments[] = { 500, 800 };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GBytes) audio = make_audio (16000, segments, G_N_ELEMENTS (segments));
  Client client;
  Stream stream;
  JsonObject *final = NULL;
  JsonObject *formatted = NULL;
  JsonArray *words;
  g_autofree char *expected = NULL;
  guint index = 0;

  open_session (&client, server, "sample_rate=16000&format_turns=True", TRUE);
  g_assert_cmpstr (stok_fake_server_get_session_parameter (server, "format_turns"), ==, "true");
  stream_init (&stream, audio, 50, 32);
  stream_send (&client, &stream, G_MAXUINT);
  client_terminate (&client);

  /* The final turn, then at once its formatted copy. */
  for (; index < client.objects->len; index++)
    {
      JsonObject *object = client.objects->pdata[index];

      if (g_strcmp0 (object_type (object), "Turn") == 0 && json_object_get_boolean_member (object, "end_of_turn"))
        break;
    }
  g_assert_cmpuint (index + 1, <, client.objects->len);
  final = client.objects->pdata[index];
  formatted = client.objects->pdata[index + 1];
  g_assert_false (json_object_get_boolean_member (final, "turn_is_formatted"));
  g_assert_cmpstr (object_type (formatted), ==, "Turn");
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

  client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_mulaw (void)
{
  static const guint segments[] = { 500, 800 };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GBytes) s16 = make_audio (8000, segments, G_N_ELEMENTS (segments));
  g_autoptr(GBytes) audio = to_mulaw (s16);
  Client client;
  Stream stream;
  JsonObject *termination;
  JsonArray *words;
  JsonObject *final;

  open_session (&client, server, "sample_rate=8000&encoding=pcm_mulaw", TRUE);
  stream_init (&stream, audio, 50, 8);
  stream_send (&client, &stream, G_MAXUINT);
  termination = client_terminate (&client);

  /* Decoded, the tone is voice: a turn over its half second. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (termination, "audio_duration_seconds"), 1.3, 0.0005);
  g_assert_cmpint (json_object_get_int_member (client_get (&client, "SpeechStarted", 0), "timestamp"), ==, 0);
  g_assert_cmpuint (stok_fake_server_get_n_final_turns (server), ==, 1);
  final = client_get (&client, "Turn", client_count (&client, "Turn") - 1);
  words = json_object_get_array_member (final, "words");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (words, json_array_get_length (words) - 1), "end"), ==, 500);
  g_assert_cmpint (stok_fake_server_get_audio_frame (server, 0)->audio_us, ==, 50000);

  client_clear (&client);
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
  g_autoptr(GBytes) audio = make_audio (16000, segments, G_N_ELEMENTS (segments));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Client client;
      Stream stream;

      open_session (&client, server, "sample_rate=16000", TRUE);
      stream_init (&stream, audio, cases[i].frame_ms, 32);
      stream_send (&client, &stream, 1);
      client_assert_error (&client, 3007, cases[i].words);
      client_clear (&client);
    }

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_too_fast (void)
{
  static const guint segments[] = { 3000 };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GBytes) audio = make_audio (16000, segments, G_N_ELEMENTS (segments));
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (audio, &length);
  Client client;

  /* Three seconds pushed at once, as a file read as fast as it can be. */
  open_session (&client, server, "sample_rate=16000", TRUE);
  for (gsize offset = 0; offset < length; offset += 1600)
    soup_websocket_connection_send_binary (client.connection, data + offset, 1600);
  client_assert_error (&client, 3007, "faster than real time");
  /* Taken up to the allowance of a second ahead, refused well before the
   * end. */
  g_assert_cmpint (stok_fake_server_get_audio_received_us (server), >, 1000000);
  g_assert_cmpint (stok_fake_server_get_audio_received_us (server), <, 3000000);

  client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static gboolean
is_open (gpointer data)
{
  return !((Client *) data)->closed;
}

static void
test_session_cap (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(StokClock) clock = stok_clock_new_manual (1000 * G_USEC_PER_SEC);
  g_autofree char *token = NULL;
  g_autofree char *query = NULL;
  Client client;
  gint64 expires_at;

  stok_fake_server_set_clock (server, clock);
  token = mint (server, "expires_in_seconds=60&max_session_duration_seconds=60");
  query = g_strdup_printf ("token=%s&sample_rate=16000", token);
  client_open (&client, server, query);
  client_wait_for (&client, "Begin", 1);
  expires_at = json_object_get_int_member (client_get (&client, "Begin", 0), "expires_at");
  g_assert_cmpint (expires_at, >=, g_get_real_time () / G_USEC_PER_SEC + 59);
  g_assert_cmpint (expires_at, <=, g_get_real_time () / G_USEC_PER_SEC + 60);

  /* A second short of the cap, the session goes on. */
  stok_clock_advance (clock, 59 * G_USEC_PER_SEC);
  stok_test_spin (100);
  g_assert_true (is_open (&client));

  stok_clock_advance (clock, 1 * G_USEC_PER_SEC);
  client_assert_error (&client, 3008, "maximum session duration");
  g_assert_cmpuint (client_count (&client, "Termination"), ==, 0);

  client_clear (&client);
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
      Client client;

      g_test_message ("%s", cases[i].parameters);
      open_session (&client, server, cases[i].parameters, FALSE);
      client_assert_error (&client, 3006, cases[i].name);
      g_assert_cmpuint (client_count (&client, "Begin"), ==, 0);
      g_assert_null (stok_fake_server_get_session_parameter (server, "sample_rate"));
      /* No session was opened: the token is not spent. */
      g_assert_false (stok_fake_server_is_token_redeemed (server, stok_fake_server_get_last_token (server)));
      client_clear (&client);
    }

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_good_parameters (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  Client client;
  JsonObject *configuration;
  JsonArray *terms;

  /* No speech_model: the newest docs' default. Unknown parameters are
   * ignored; the older name of min_turn_silence is taken. */
  open_session (&client, server,
                "sample_rate=8000&encoding=pcm_mulaw&format_turns=false&end_of_turn_confidence_threshold=0.7"
                "&min_end_of_turn_silence_when_confident=300&max_turn_silence=2000"
                "&keyterms_prompt=%5B%22AssemblyAI%22%2C%22Kubernetes%22%5D&vad_threshold=0.5&no_such_parameter=1",
                TRUE);
  configuration = json_object_get_object_member (client_get (&client, "Begin", 0), "configuration");
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
  client_send (&client, "{\"type\":\"KeepAlive\"}");
  g_assert_cmpint (json_object_get_int_member (client_terminate (&client), "audio_duration_seconds"), ==, 0);
  g_assert_cmpuint (stok_fake_server_get_n_received (server), ==, 2);
  g_assert_cmpstr (stok_fake_server_get_received (server, 0)->type, ==, "KeepAlive");

  client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_token_used_twice (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autofree char *token = mint (server, "expires_in_seconds=60");
  g_autofree char *query = g_strdup_printf ("token=%s&sample_rate=16000", token);
  Client first;
  Client second;

  client_open (&first, server, query);
  client_wait_for (&first, "Begin", 1);
  client_terminate (&first);

  client_open (&second, server, query);
  client_assert_error (&second, 1008, STOK_FAKE_WS_USED_TOKEN);
  g_assert_cmpuint (client_count (&second, "Begin"), ==, 0);

  client_clear (&first);
  client_clear (&second);
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
      Client client;

      open_session (&client, server, "sample_rate=16000", TRUE);
      client_send (&client, cases[i].message);
      client_assert_error (&client, 3006, cases[i].words);
      g_assert_cmpuint (stok_fake_server_get_n_received (server), ==, 1);
      g_assert_cmpstr (stok_fake_server_get_received (server, 0)->text, ==, cases[i].message);
      client_clear (&client);
    }

  g_assert_finalize_object (g_steal_pointer (&server));
}

/* Faults. */

static void
test_fault_refuse_upgrade (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autofree char *token = mint (server, "expires_in_seconds=60");
  g_autofree char *query = g_strdup_printf ("token=%s&sample_rate=16000", token);
  Client refused;
  Client accepted;

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_REFUSE_UPGRADE, .status = 401 }, FALSE);
  client_open (&refused, server, query);
  g_assert_null (refused.connection);
  g_assert_cmpuint (refused.status, ==, 401);
  g_assert_cmpuint (stok_fake_server_get_n_upgrade_requests (server), ==, 1);
  g_assert_cmpuint (stok_fake_server_get_websocket_count (server), ==, 0);
  g_assert_false (stok_fake_server_is_token_redeemed (server, stok_fake_server_get_last_token (server)));

  /* Once only: the next upgrade goes through, with the same token. */
  client_open (&accepted, server, query);
  client_wait_for (&accepted, "Begin", 1);
  g_assert_cmpuint (stok_fake_server_get_n_upgrade_requests (server), ==, 2);
  g_assert_cmpuint (stok_fake_server_get_websocket_count (server), ==, 1);

  client_clear (&refused);
  client_clear (&accepted);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_fault_error_after_begin (void)
{
  static const guint segments[] = { 500 };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GBytes) audio = make_audio (16000, segments, G_N_ELEMENTS (segments));
  Client client;
  Stream stream;

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) {
                                .fault = STOK_FAKE_FAULT_ERROR_AFTER_BEGIN,
                                .after_frames = 3,
                                .code = 3005,
                                .reason = "Internal server error",
                              }, FALSE);
  open_session (&client, server, "sample_rate=16000", TRUE);
  stream_init (&stream, audio, 50, 32);
  stream_send (&client, &stream, G_MAXUINT);
  client_assert_error (&client, 3005, "Internal server error");
  /* After the third frame, not before. */
  g_assert_cmpint (stok_fake_server_get_audio_received_us (server), ==, 150000);
  g_assert_cmpuint (client_count (&client, "SpeechStarted"), ==, 1);

  client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_fault_drop (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  Client client;

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_DROP_AFTER_BEGIN, .after_ms = 100 }, FALSE);
  open_session (&client, server, "sample_rate=16000", TRUE);
  client_wait_closed (&client);

  /* No close frame: the connection just ended, and libsoup has no code
   * to report (RFC 6455 calls that 1006). */
  g_assert_cmpuint (client.close_code, ==, 0);
  g_assert_cmpuint (client.objects->len, ==, 1);
  g_assert_cmpuint (stok_fake_server_get_n_open_websockets (server), ==, 0);

  client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_fault_frames (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  Client garbage, binary, unknown, huge;
  const char *text;
  gsize largest = 0;

  /* Not JSON, with terminal escapes in it; the session goes on. */
  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_GARBAGE_TEXT }, FALSE);
  open_session (&garbage, server, "sample_rate=16000", TRUE);
  client_wait_for_texts (&garbage, 2);
  text = garbage.texts->pdata[1];
  g_assert_null (garbage.objects->pdata[1]);
  g_assert_nonnull (strchr (text, '\x1b'));
  client_terminate (&garbage);

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_BINARY_FRAME }, FALSE);
  open_session (&binary, server, "sample_rate=16000", TRUE);
  client_terminate (&binary);
  g_assert_cmpuint (binary.n_binary, ==, 1);

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_UNKNOWN_TYPE }, FALSE);
  open_session (&unknown, server, "sample_rate=16000", TRUE);
  client_wait_for (&unknown, "Heartbeat", 1);
  client_terminate (&unknown);

  /* A valid Turn of 2 MiB: a client can only refuse it for its size. */
  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_HUGE_TEXT }, FALSE);
  open_session (&huge, server, "sample_rate=16000", FALSE);
  soup_websocket_connection_set_max_incoming_payload_size (huge.connection, 8 * 1024 * 1024);
  client_wait_for (&huge, "Turn", 1);
  for (guint i = 0; i < huge.texts->len; i++)
    largest = MAX (largest, strlen (huge.texts->pdata[i]));
  g_assert_cmpuint (largest, >=, 2 * 1024 * 1024);
  g_assert_cmpuint (largest, <, 3 * 1024 * 1024);
  client_terminate (&huge);

  client_clear (&garbage);
  client_clear (&binary);
  client_clear (&unknown);
  client_clear (&huge);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_fault_silences (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  Client no_begin, ignored;

  /* The token is taken, and Begin never comes; nor does Termination.
   * A bad message sent after Terminate is still answered, so whatever
   * Terminate would have brought would have come before it. */
  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_NO_BEGIN }, FALSE);
  open_session (&no_begin, server, "sample_rate=16000", FALSE);
  client_send (&no_begin, "{\"type\":\"Terminate\"}");
  client_send (&no_begin, "{\"type\":\"Bogus\"}");
  client_assert_error (&no_begin, 3006, "Bogus");
  g_assert_cmpuint (no_begin.texts->len, ==, 1);
  g_assert_cmpuint (stok_fake_server_count_sent (server, "Begin"), ==, 0);
  g_assert_true (stok_fake_server_is_token_redeemed (server, stok_fake_server_get_last_token (server)));

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_IGNORE_TERMINATE }, FALSE);
  open_session (&ignored, server, "sample_rate=16000", TRUE);
  client_send (&ignored, "{\"type\":\"Terminate\"}");
  client_send (&ignored, "{\"type\":\"Bogus\"}");
  client_assert_error (&ignored, 3006, "Bogus");
  g_assert_cmpuint (ignored.texts->len, ==, 2);
  g_assert_cmpuint (client_count (&ignored, "Termination"), ==, 0);
  g_assert_cmpuint (stok_fake_server_get_n_terminated (server), ==, 2);

  client_clear (&no_begin);
  client_clear (&ignored);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_fault_flood (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  Client client;
  guint n_finals = 0;

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) {
                                .fault = STOK_FAKE_FAULT_FLOOD,
                                .n_partials = 500,
                                .n_finals = 30,
                              }, FALSE);
  open_session (&client, server, "sample_rate=16000", TRUE);
  client_wait_for (&client, "Turn", 530);
  stok_test_spin (50);

  g_assert_cmpuint (client_count (&client, "Turn"), ==, 530);
  for (guint i = 0; i < client_count (&client, "Turn"); i++)
    {
      JsonObject *turn = client_get (&client, "Turn", i);

      if (json_object_get_boolean_member (turn, "end_of_turn"))
        g_assert_cmpint (json_object_get_int_member (turn, "turn_order"), ==, n_finals++);
    }
  g_assert_cmpuint (n_finals, ==, 30);
  g_assert_cmpuint (stok_fake_server_count_sent (server, "Turn"), ==, 530);
  g_assert_cmpuint (stok_fake_server_get_n_final_turns (server), ==, 30);
  /* Counted, not kept. */
  g_assert_cmpuint (stok_fake_server_get_n_sent (server), ==, 1);
  client_terminate (&client);

  client_clear (&client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_fault_every_session (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  Client clients[3];

  stok_fake_server_set_fault (server, &(StokFakeFaultSpec) { .fault = STOK_FAKE_FAULT_DROP_AFTER_BEGIN }, TRUE);
  for (guint i = 0; i < 2; i++)
    {
      open_session (&clients[i], server, "sample_rate=16000", FALSE);
      client_wait_closed (&clients[i]);
      g_assert_cmpuint (clients[i].close_code, ==, 0);
    }

  stok_fake_server_clear_fault (server);
  open_session (&clients[2], server, "sample_rate=16000", TRUE);
  client_terminate (&clients[2]);

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    client_clear (&clients[i]);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_fault_names (void)
{
  for (StokFakeFault fault = STOK_FAKE_FAULT_NONE; fault <= STOK_FAKE_FAULT_FLOOD; fault++)
    {
      StokFakeFault found = STOK_FAKE_FAULT_NONE;

      g_assert_true (stok_fake_fault_from_name (stok_fake_fault_get_name (fault), &found));
      g_assert_cmpint (found, ==, fault);
    }
  g_assert_false (stok_fake_fault_from_name ("drop", NULL));
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
  Client client;

  if (path == NULL)
    path = fallback = g_test_build_filename (G_TEST_BUILT, "fake-token-server", NULL);

  help = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path, "--help", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (help, NULL, NULL, &help_text, NULL, &error);
  g_assert_no_error (error);
  for (StokFakeFault fault = STOK_FAKE_FAULT_REFUSE_UPGRADE; fault <= STOK_FAKE_FAULT_FLOOD; fault++)
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
  client_open_uri (&client, uri);
  g_assert_nonnull (client.connection);
  client_wait_closed (&client);
  g_assert_cmpuint (client.close_code, ==, 0);
  g_assert_cmpuint (client_count (&client, "Begin"), ==, 1);

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

  client_clear (&client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fake-session/spoken-file", test_spoken_file);
  g_test_add_func ("/fake-session/force-endpoint", test_force_endpoint);
  g_test_add_func ("/fake-session/update-configuration", test_update_configuration);
  g_test_add_func ("/fake-session/update-configuration-refused", test_update_configuration_refused);
  g_test_add_func ("/fake-session/format-turns", test_format_turns);
  g_test_add_func ("/fake-session/mulaw", test_mulaw);
  g_test_add_func ("/fake-session/frame-size", test_frame_size);
  g_test_add_func ("/fake-session/too-fast", test_too_fast);
  g_test_add_func ("/fake-session/session-cap", test_session_cap);
  g_test_add_func ("/fake-session/bad-parameters", test_bad_parameters);
  g_test_add_func ("/fake-session/good-parameters", test_good_parameters);
  g_test_add_func ("/fake-session/token-used-twice", test_token_used_twice);
  g_test_add_func ("/fake-session/invalid-messages", test_invalid_messages);
  g_test_add_func ("/fake-session/fault/refuse-upgrade", test_fault_refuse_upgrade);
  g_test_add_func ("/fake-session/fault/error-after-begin", test_fault_error_after_begin);
  g_test_add_func ("/fake-session/fault/drop", test_fault_drop);
  g_test_add_func ("/fake-session/fault/frames", test_fault_frames);
  g_test_add_func ("/fake-session/fault/silences", test_fault_silences);
  g_test_add_func ("/fake-session/fault/flood", test_fault_flood);
  g_test_add_func ("/fake-session/fault/every-session", test_fault_every_session);
  g_test_add_func ("/fake-session/fault/names", test_fault_names);
  g_test_add_func ("/fake-session/rules-in-readme", test_rules_in_readme);
  g_test_add_func ("/fake-session/executable", test_executable);

  return g_test_run ();
}
