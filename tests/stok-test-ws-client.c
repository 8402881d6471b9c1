/* stok-test-ws-client.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The WebSocket client the fake session's tests drive sessions with.
 * Audio is streamed in frames paced on the monotonic clock, up to half a
 * second ahead of it (the server allows one second), so that a test
 * takes about as long as its audio. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "stok-test-util.h"
#include "stok-test-ws-client.h"

#define WAIT_MS 10000
#define LEAD_MS 500

void
stok_ws_client_clear (StokWsClient *client)
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
                   StokWsClient            *client)
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
                  StokWsClient            *client)
{
  client->closed = TRUE;
  client->close_code = soup_websocket_connection_get_close_code (connection);
  client->close_reason = g_strdup (soup_websocket_connection_get_close_data (connection));
}

/* Opens @uri; a refused upgrade leaves @client->status set and no
 * connection. */
void
stok_ws_client_open_uri (StokWsClient *client,
                         const char   *uri)
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

void
stok_ws_client_open (StokWsClient   *client,
                     StokFakeServer *server,
                     const char     *query)
{
  g_autofree char *uri = g_strdup_printf ("ws://127.0.0.1:%u/v3/ws?%s", stok_fake_server_get_port (server), query);

  stok_ws_client_open_uri (client, uri);
}

const char *
stok_ws_object_type (JsonObject *object)
{
  if (object == NULL || !json_object_has_member (object, "type"))
    return NULL;

  return json_object_get_string_member (object, "type");
}

guint
stok_ws_client_count (StokWsClient *client,
                      const char   *type)
{
  guint n = 0;

  for (guint i = 0; i < client->objects->len; i++)
    if (g_strcmp0 (stok_ws_object_type (client->objects->pdata[i]), type) == 0)
      n++;

  return n;
}

/* The @nth (from 0) message of @type. */
JsonObject *
stok_ws_client_get (StokWsClient *client,
                    const char   *type,
                    guint         nth)
{
  for (guint i = 0; i < client->objects->len; i++)
    if (g_strcmp0 (stok_ws_object_type (client->objects->pdata[i]), type) == 0 && nth-- == 0)
      return client->objects->pdata[i];

  return NULL;
}

typedef struct
{
  StokWsClient *client;
  const char *type;
  guint n;
} Waiting;

static gboolean
has_messages (gpointer data)
{
  Waiting *waiting = data;

  return stok_ws_client_count (waiting->client, waiting->type) >= waiting->n;
}

void
stok_ws_client_wait_for (StokWsClient *client,
                         const char   *type,
                         guint         n)
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
void
stok_ws_client_wait_for_texts (StokWsClient *client,
                               guint         n)
{
  Waiting waiting = { client, NULL, n };

  g_assert_true (stok_test_wait_until (has_texts, &waiting, WAIT_MS));
}

static gboolean
is_closed (gpointer data)
{
  StokWsClient *client = data;

  return client->closed;
}

void
stok_ws_client_wait_closed (StokWsClient *client)
{
  g_assert_true (stok_test_wait_until (is_closed, client, WAIT_MS));
}

/* Asserts that the session ended with an Error of @code that names
 * @words, and a close with the same code and words. */
void
stok_ws_client_assert_error (StokWsClient *client,
                             gushort       code,
                             const char   *words)
{
  JsonObject *error;

  stok_ws_client_wait_closed (client);
  error = stok_ws_client_get (client, "Error", 0);
  g_assert_nonnull (error);
  g_test_message ("Error: %s", json_object_get_string_member (error, "error"));
  g_assert_cmpint (json_object_get_int_member (error, "error_code"), ==, code);
  g_assert_nonnull (strstr (json_object_get_string_member (error, "error"), words));
  g_assert_cmpuint (client->close_code, ==, code);
  g_assert_nonnull (client->close_reason);
  g_assert_nonnull (strstr (client->close_reason, words));
  g_assert_cmpuint (strlen (client->close_reason), <=, 123);
}

void
stok_ws_stream_init (StokWsStream *stream,
                     GBytes       *audio,
                     guint         frame_ms,
                     guint         bytes_per_ms)
{
  memset (stream, 0, sizeof *stream);
  stream->data = g_bytes_get_data (audio, &stream->length);
  stream->frame_ms = frame_ms;
  stream->frame_bytes = (gsize) frame_ms * bytes_per_ms;
}

void
stok_ws_stream_send (StokWsClient *client,
                     StokWsStream *stream,
                     guint         n_frames)
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

void
stok_ws_client_send (StokWsClient *client,
                     const char   *text)
{
  soup_websocket_connection_send_text (client->connection, text);
}

/* Ends the session politely and waits for Termination and the close. */
JsonObject *
stok_ws_client_terminate (StokWsClient *client)
{
  stok_ws_client_send (client, "{\"type\":\"Terminate\"}");
  stok_ws_client_wait_closed (client);
  g_assert_cmpuint (client->close_code, ==, SOUP_WEBSOCKET_CLOSE_NORMAL);
  g_assert_cmpuint (stok_ws_client_count (client, "Termination"), ==, 1);
  /* Termination is the last word. */
  g_assert_cmpstr (stok_ws_object_type (client->objects->pdata[client->objects->len - 1]), ==, "Termination");

  return stok_ws_client_get (client, "Termination", 0);
}

char *
stok_ws_mint (StokFakeServer *server,
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
void
stok_ws_open_session (StokWsClient   *client,
                      StokFakeServer *server,
                      const char     *parameters,
                      gboolean        expect_begin)
{
  g_autofree char *token = stok_ws_mint (server, "expires_in_seconds=60");
  g_autofree char *query = g_strdup_printf ("token=%s%s%s", token, *parameters ? "&" : "", parameters);

  stok_ws_client_open (client, server, query);
  g_assert_nonnull (client->connection);
  if (expect_begin)
    stok_ws_client_wait_for (client, "Begin", 1);
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
GBytes *
stok_ws_make_audio (guint        rate,
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

GBytes *
stok_ws_to_mulaw (GBytes *s16)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (s16, &length);
  guint8 *out = g_malloc (length / 2);

  for (gsize i = 0; i < length / 2; i++)
    out[i] = mulaw_encode ((gint16) (data[2 * i] | (data[2 * i + 1] << 8)));

  return g_bytes_new_take (out, length / 2);
}
