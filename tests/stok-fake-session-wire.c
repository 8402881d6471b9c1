/* stok-fake-session-wire.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What goes over a fake session's WebSocket: the JSON it writes, the
 * messages it sends, the Error that ends it, and the messages and audio
 * frames it receives, checked for size and pace. */

#define G_LOG_DOMAIN "stok-fake-server"

#include "config.h"

#include <math.h>
#include <string.h>

#include "stok-fake-session-private.h"

/* RFC 6455 leaves 123 bytes for a close reason after the code. */
#define MAX_CLOSE_REASON 123

void
_stok_fake_session_message_free (gpointer data)
{
  StokFakeMessage *message = data;

  g_free (message->text);
  g_free (message->type);
  g_free (message);
}

/* JSON written by hand, so that numbers read as a server writes them
 * (0.45, not json-glib's 0.45000000000000001). */

void
_stok_fake_session_append_string (GString    *out,
                                  const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else if (*p < 0x20)
        {
          g_string_append_printf (out, "\\u%04x", *p);
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

/* A number that always reads as a fraction, with at most 3 decimals. */
char *
_stok_fake_session_dup_fraction (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  gsize length;

  g_ascii_formatd (buffer, sizeof buffer, "%.3f", value);
  length = strlen (buffer);
  while (length > 2 && buffer[length - 1] == '0' && buffer[length - 2] != '.')
    buffer[--length] = '\0';

  return g_strdup (buffer);
}

void
_stok_fake_session_append_fraction (GString *out,
                                    double   value)
{
  g_autofree char *text = _stok_fake_session_dup_fraction (value);

  g_string_append (out, text);
}

static char *
format_ms (double ms)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (ms == floor (ms))
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) ms);

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.1f", ms));
}

static char *
dup_close_reason (const char *reason)
{
  const char *end;

  if (reason == NULL || strlen (reason) <= MAX_CLOSE_REASON)
    return g_strdup (reason);

  /* libsoup turns a longer reason into a protocol error; cut it on a
   * character boundary, since it must stay valid UTF-8. */
  end = reason + MAX_CLOSE_REASON;
  while (end > reason && ((guchar) *end & 0xC0) == 0x80)
    end--;

  return g_strndup (reason, end - reason);
}

static StokFakeMessage *
message_new (StokFakeSession *self,
             const char      *text,
             const char      *type)
{
  StokFakeMessage *message = g_new0 (StokFakeMessage, 1);

  message->text = g_strdup (text);
  message->type = g_strdup (type);
  message->at_us = g_get_monotonic_time ();
  message->audio_us = _stok_fake_session_audio_us (self);

  return message;
}

static void
count_sent (StokFakeSession *self,
            const char      *type)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->n_sent_by_type, type));

  g_hash_table_replace (self->n_sent_by_type, g_strdup (type), GUINT_TO_POINTER (n + 1));
}

/* Sends @text, of type @type (NULL when it is not a message at all),
 * and keeps it unless it is part of a flood. */
void
_stok_fake_session_send (StokFakeSession *self,
                         const char      *type,
                         const char      *text,
                         gboolean         keep)
{
  StokFakeMessage *message;

  if (!_stok_fake_session_connection_is_open (self))
    return;

  soup_websocket_connection_send_text (self->connection, text);
  count_sent (self, type != NULL ? type : "");

  if (!keep)
    return;

  message = message_new (self, text, type);
  _stok_fake_session_emit_message_sent (self, message);
  if (self->sent->len < STOK_FAKE_KEEP_MAX_MESSAGES)
    g_ptr_array_add (self->sent, message);
  else
    _stok_fake_session_message_free (message);
}

/* Ends the session as the real server ends one on an error: an Error
 * message that carries the close code, then the close itself. */
/* An Error message alone, with @text (nullable) made valid UTF-8, and
 * without a code for 0. */
void
_stok_fake_session_send_error (StokFakeSession *self,
                               gushort          code,
                               const char      *text)
{
  g_autoptr(GString) message = g_string_new ("{\"type\":\"Error\",");
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  if (code != 0)
    g_string_append_printf (message, "\"error_code\":%u,", code);
  g_string_append (message, "\"error\":");
  _stok_fake_session_append_string (message, valid);
  g_string_append_c (message, '}');
  _stok_fake_session_send (self, "Error", message->str, TRUE);
}

void
_stok_fake_session_fail (StokFakeSession *self,
                         gushort          code,
                         const char      *text)
{
  g_autofree char *reason = NULL;
  g_autofree char *valid = NULL;

  if (self->ending || !_stok_fake_session_connection_is_open (self))
    return;

  self->ending = TRUE;
  _stok_fake_session_stop_timers (self);
  valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  reason = dup_close_reason (valid);

  if (code != SOUP_WEBSOCKET_CLOSE_NORMAL)
    _stok_fake_session_send_error (self, code, valid);

  /* libsoup's own close would turn these into 1002. */
  if (code >= 1012 && code <= 1014)
    _stok_fake_session_send_raw_close (self, code, reason);
  else
    soup_websocket_connection_close (self->connection, code, reason);
}

/* Messages from the client. */

/* The last turn, Termination with the audio and the session's length,
 * and the close: the answer to Terminate, or the server's own end. */
void
_stok_fake_session_terminate (StokFakeSession *self)
{
  g_autoptr(GString) text = g_string_new ("{\"type\":\"Termination\",\"audio_duration_seconds\":");
  gint64 audio_us = _stok_fake_session_audio_us (self);
  gint64 elapsed_us = 0;

  _stok_fake_session_end_turn (self, self->n_windowed_samples * 1000 / MAX (self->sample_rate, 1));
  _stok_fake_session_stop_timers (self);
  self->ending = TRUE;

  if (self->began)
    elapsed_us = stok_clock_get_time (self->clock) - self->begin_clock_us;

  if (audio_us % G_USEC_PER_SEC == 0)
    g_string_append_printf (text, "%" G_GINT64_FORMAT, audio_us / G_USEC_PER_SEC);
  else
    g_string_append_printf (text, "%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT,
                            audio_us / G_USEC_PER_SEC, (audio_us % G_USEC_PER_SEC) / 1000);
  g_string_append_printf (text, ",\"session_duration_seconds\":%" G_GINT64_FORMAT "}",
                          MAX (elapsed_us, 0) / G_USEC_PER_SEC);

  _stok_fake_session_send (self, "Termination", text->str, TRUE);
  if (_stok_fake_session_connection_is_open (self))
    soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
}

static gboolean
session_terminate_cb (gpointer user_data)
{
  StokFakeSession *self = user_data;

  g_assert (STOK_IS_FAKE_SESSION (self));

  self->termination_source_id = 0;
  if (_stok_fake_session_connection_is_open (self))
    _stok_fake_session_terminate (self);

  return G_SOURCE_REMOVE;
}

static void
session_text (StokFakeSession *self,
              const char      *data,
              gsize            length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *text = g_utf8_make_valid (data, (gssize) length);
  JsonObject *object = NULL;
  const char *kind = NULL;
  StokFakeMessage *message;

  if (json_parser_load_from_data (parser, data, (gssize) length, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonNode *node;

      object = json_node_get_object (json_parser_get_root (parser));
      node = json_object_get_member (object, "type");
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        kind = json_node_get_string (node);
    }

  message = message_new (self, text, kind);
  _stok_fake_session_emit_message_received (self, message);
  if (self->received->len < STOK_FAKE_KEEP_MAX_MESSAGES)
    g_ptr_array_add (self->received, message);
  else
    _stok_fake_session_message_free (message);

  if (self->ending)
    return;

  if (kind == NULL)
    {
      _stok_fake_session_fail (self, STOK_FAKE_CLOSE_INVALID_MESSAGE, object == NULL
                               ? "Invalid JSON: a message must be a JSON object"
                               : "Invalid message: expected a JSON object with a \"type\"");
    }
  else if (g_str_equal (kind, "Terminate"))
    {
      if (self->fault.fault == STOK_FAKE_FAULT_IGNORE_TERMINATE ||
          self->fault.fault == STOK_FAKE_FAULT_NO_BEGIN)
        return;
      if (self->termination_delay_ms > 0)
        {
          if (self->termination_source_id == 0)
            self->termination_source_id = g_timeout_add (self->termination_delay_ms,
                                                         session_terminate_cb, self);
        }
      else
        _stok_fake_session_terminate (self);
    }
  else if (g_str_equal (kind, "ForceEndpoint"))
    {
      _stok_fake_session_end_turn (self, self->n_windowed_samples * 1000 / MAX (self->sample_rate, 1));
    }
  else if (g_str_equal (kind, "UpdateConfiguration"))
    {
      _stok_fake_session_update_configuration (self, object);
    }
  else if (!g_str_equal (kind, "KeepAlive"))
    {
      g_autofree char *valid = g_utf8_make_valid (kind, -1);
      g_autofree char *problem = g_strdup_printf ("Invalid message type: %s", valid);

      _stok_fake_session_fail (self, STOK_FAKE_CLOSE_INVALID_MESSAGE, problem);
    }
}

static void
session_audio (StokFakeSession *self,
               const guint8    *data,
               gsize            length)
{
  g_autofree StokFakeAudioFrame *frame = g_new0 (StokFakeAudioFrame, 1);
  gint64 bytes_per_second = 1;
  gint64 ahead_us;
  gint64 audio_us;
  gint64 received_us;

  frame->received_us = received_us = g_get_monotonic_time ();
  frame->n_bytes = length;
  if (self->sample_rate > 0)
    {
      bytes_per_second = (gint64) self->sample_rate * (self->encoding == STOK_FAKE_ENCODING_PCM_S16LE ? 2 : 1);
      frame->audio_us = (gint64) length * G_USEC_PER_SEC / bytes_per_second;
    }
  audio_us = frame->audio_us;
  if (self->frames->len < STOK_FAKE_KEEP_MAX_FRAMES)
    g_ptr_array_add (self->frames, g_steal_pointer (&frame));

  if (!self->began || self->ending)
    return;

  if (audio_us < STOK_FAKE_FRAME_MIN_MS * 1000 || audio_us > STOK_FAKE_FRAME_MAX_MS * 1000)
    {
      g_autofree char *ms = format_ms ((double) length * 1000.0 / (double) bytes_per_second);
      g_autofree char *text = g_strdup_printf ("Input duration violation: %s ms of audio in a frame; each must hold %d to %d ms",
                                               ms, STOK_FAKE_FRAME_MIN_MS, STOK_FAKE_FRAME_MAX_MS);

      _stok_fake_session_fail (self, STOK_FAKE_CLOSE_AUDIO_VIOLATION, text);
      return;
    }

  self->n_bytes += length;
  ahead_us = _stok_fake_session_audio_us (self) - (received_us - self->begin_sent_us);
  if (ahead_us > STOK_FAKE_PACE_AHEAD_MAX_MS * 1000)
    {
      char audio[G_ASCII_DTOSTR_BUF_SIZE];
      char elapsed[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *text = NULL;

      g_ascii_formatd (audio, sizeof audio, "%.3f", _stok_fake_session_audio_us (self) / 1e6);
      g_ascii_formatd (elapsed, sizeof elapsed, "%.3f", (received_us - self->begin_sent_us) / 1e6);
      text = g_strdup_printf ("Audio sent faster than real time: %s s of audio %s s after Begin",
                              audio, elapsed);
      _stok_fake_session_fail (self, STOK_FAKE_CLOSE_AUDIO_VIOLATION, text);
      return;
    }

  _stok_fake_session_listen (self, data, length);

  self->n_frames_since_begin++;
  if (self->fault.after_frames > 0 && self->n_frames_since_begin == self->fault.after_frames)
    _stok_fake_session_fire_fault (self);
}

void
_stok_fake_session_message_cb (SoupWebsocketConnection *connection,
                               int                      type,
                               GBytes                  *message,
                               StokFakeSession         *self)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);

  g_assert (STOK_IS_FAKE_SESSION (self));

  if (soup_websocket_connection_get_state (connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    session_text (self, data, length);
  else
    session_audio (self, (const guint8 *) data, length);
}

void
_stok_fake_session_closed_cb (SoupWebsocketConnection *connection,
                              StokFakeSession         *self)
{
  g_assert (STOK_IS_FAKE_SESSION (self));

  _stok_fake_session_finish (self,
                             soup_websocket_connection_get_close_code (connection),
                             soup_websocket_connection_get_close_data (connection));
}
