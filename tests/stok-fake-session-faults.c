/* stok-fake-session-faults.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The faults a test asks a fake session for, to run a client's failure
 * matrix: an Error, a dropped connection, frames that are not what they
 * should be, a flood of turns. */

#define G_LOG_DOMAIN "stok-fake-server"

#include "config.h"

#include <string.h>

#include "stok-fake-session-private.h"

static void
session_drop (StokFakeSession *self)
{
  GIOStream *stream;

  if (!_stok_fake_session_connection_is_open (self))
    return;

  /* Closed under libsoup's feet: the client reads the end of the stream
   * where a close frame should have been. */
  stream = soup_websocket_connection_get_io_stream (self->connection);
  g_io_stream_close (stream, NULL, NULL);
  _stok_fake_session_finish (self, SOUP_WEBSOCKET_CLOSE_ABNORMAL, NULL);
}

static char *
build_huge_turn (StokFakeSession *self,
                 gsize            size)
{
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (StokFakeWord));
  g_autofree char *text = NULL;
  /* About what one word takes in a Turn, twice: words and transcript. */
  gsize per_word = 90;

  /* Enough words to pass @size, each where it would be in a long turn. */
  for (guint i = 0; i <= size / per_word; i++)
    {
      StokFakeWord word = { (gint64) i * 300, (gint64) i * 300 + 250, i };

      g_array_append_val (words, word);
    }

  text = _stok_fake_session_build_turn (self->turn_order, (const StokFakeWord *) words->data, words->len, FALSE, FALSE, 0);
  while (strlen (text) < size)
    {
      StokFakeWord word = { (gint64) words->len * 300, (gint64) words->len * 300 + 250, words->len };

      for (guint i = 0; i < 64; i++, word.number++, word.start_ms += 300, word.end_ms += 300)
        g_array_append_val (words, word);
      g_free (text);
      text = _stok_fake_session_build_turn (self->turn_order, (const StokFakeWord *) words->data, words->len, FALSE, FALSE, 0);
    }

  return g_steal_pointer (&text);
}

/* A whole frame written past libsoup, which refuses to send it. It waits
 * at low priority until libsoup has written what it had queued (a Begin
 * or an Error just sent), so that no frame is cut in two. */
static gboolean
session_write_raw_frame_cb (gpointer user_data)
{
  StokFakeSession *self = user_data;
  g_autoptr(GBytes) frame = g_steal_pointer (&self->raw_frame);
  GOutputStream *output;

  g_assert (STOK_IS_FAKE_SESSION (self));

  self->fault_source_id = 0;
  if (!_stok_fake_session_connection_is_open (self))
    return G_SOURCE_REMOVE;

  output = g_io_stream_get_output_stream (soup_websocket_connection_get_io_stream (self->connection));
  g_output_stream_write_all (output, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame),
                             NULL, NULL, NULL);

  return G_SOURCE_REMOVE;
}

/* @payload is short: a server's frames are unmasked, and under 126
 * bytes the length fits in the header's second byte. */
static void
write_raw_frame (StokFakeSession *self,
                 guint8           opcode,
                 const void      *payload,
                 gsize            length)
{
  g_autoptr(GByteArray) frame = g_byte_array_sized_new (length + 2);

  g_assert (length < 126);

  g_byte_array_append (frame, (guint8[]) { 0x80 | opcode, (guint8) length }, 2);
  g_byte_array_append (frame, payload, length);
  g_clear_pointer (&self->raw_frame, g_bytes_unref);
  self->raw_frame = g_byte_array_free_to_bytes (g_steal_pointer (&frame));
  g_clear_handle_id (&self->fault_source_id, g_source_remove);
  self->fault_source_id = g_idle_add_full (G_PRIORITY_LOW, session_write_raw_frame_cb, self, NULL);
}

/* A text frame whose bytes are not UTF-8. */
void
_stok_fake_session_send_broken_text (StokFakeSession *self)
{
  /* A server that writes Latin-1: "café" with a single byte for é. */
  static const char turn[] = "{\"type\":\"Turn\",\"transcript\":\"caf\xe9\"}";
  static const char begin[] = "{\"type\":\"Begin\",\"id\":\"caf\xe9\"}";
  const char *text = self->fault.fault == STOK_FAKE_FAULT_BROKEN_BEGIN ? begin : turn;

  write_raw_frame (self, 0x1, text, strlen (text));
}

/* A close frame with a code libsoup 3.2 does not send, though servers
 * do (1012 to 1014). @reason is cut to a close frame's 123 bytes. */
void
_stok_fake_session_send_raw_close (StokFakeSession *self,
                                   gushort          code,
                                   const char      *reason)
{
  guint8 payload[125] = { code >> 8, code & 0xff };
  gsize length = 0;

  if (reason != NULL)
    {
      length = MIN (strlen (reason), sizeof payload - 2);
      memcpy (payload + 2, reason, length);
    }
  write_raw_frame (self, 0x8, payload, length + 2);
}

/* How many partials turn @turn of a flood has: shared out evenly, all in
 * one endless turn when there are no finals. */
static guint
flood_partials_in (StokFakeSession *self,
                   guint            turn)
{
  guint n_partials = self->fault.n_partials;
  guint n_finals = self->fault.n_finals;

  if (n_finals == 0)
    return n_partials;

  return n_partials / n_finals + (turn < n_partials % n_finals ? 1 : 0);
}

/* How many messages to send now: a batch as fast as it can, else what
 * the rate says is due since the flood began, so that a late tick
 * catches up rather than slowing the flood down. */
static guint64
flood_due (StokFakeSession *self)
{
  guint64 due;

  if (self->fault.rate == 0)
    return STOK_FAKE_FLOOD_BATCH;

  due = (guint64) (g_get_monotonic_time () - self->flood_started_us) * self->fault.rate / G_USEC_PER_SEC + 1;
  return due > self->flood_sent ? due - self->flood_sent : 0;
}

static gboolean
session_flood_cb (gpointer user_data)
{
  StokFakeSession *self = user_data;
  guint64 n;

  g_assert (STOK_IS_FAKE_SESSION (self));

  n = flood_due (self);
  for (guint64 i = 0; i < n; i++)
    {
      g_autoptr(GArray) words = NULL;
      g_autofree char *text = NULL;
      gboolean end_of_turn;
      guint n_words;

      if (!_stok_fake_session_connection_is_open (self) ||
          (self->fault.n_finals > 0 && self->flood_turn >= self->fault.n_finals) ||
          (self->fault.n_finals == 0 && self->flood_partials_in_turn >= self->fault.n_partials))
        {
          self->flood_source_id = 0;
          return G_SOURCE_REMOVE;
        }

      end_of_turn = self->flood_partials_in_turn >= flood_partials_in (self, self->flood_turn);

      /* Each message of a turn one word longer, as partials grow. */
      n_words = MIN (self->flood_partials_in_turn + 1, STOK_FAKE_FLOOD_MAX_WORDS);
      words = g_array_sized_new (FALSE, FALSE, sizeof (StokFakeWord), n_words);
      for (guint w = 0; w < n_words; w++)
        {
          guint number = self->flood_turn_words + w;
          StokFakeWord word = { (gint64) number * 300, (gint64) number * 300 + 250, number };

          g_array_append_val (words, word);
        }

      text = _stok_fake_session_build_turn (self->turn_order, (const StokFakeWord *) words->data, words->len,
                                            end_of_turn, FALSE, end_of_turn ? 1.0 : 0.0);
      _stok_fake_session_send (self, "Turn", text, FALSE);
      self->flood_sent++;

      if (end_of_turn)
        {
          self->n_final_turns++;
          self->turn_order++;
          self->flood_turn++;
          self->flood_turn_words += n_words;
          self->flood_partials_in_turn = 0;
        }
      else
        {
          self->flood_partials_in_turn++;
        }
    }

  return G_SOURCE_CONTINUE;
}

void
_stok_fake_session_fire_fault (StokFakeSession *self)
{
  g_autofree char *text = NULL;

  switch (self->fault.fault)
    {
    case STOK_FAKE_FAULT_ERROR_AFTER_BEGIN:
      _stok_fake_session_fail (self, self->fault.code, self->fault_reason);
      break;

    case STOK_FAKE_FAULT_ERROR_NO_CLOSE:
      _stok_fake_session_send_error (self, self->fault.code, self->fault_reason);
      break;

    case STOK_FAKE_FAULT_DROP_AFTER_BEGIN:
      session_drop (self);
      break;

    case STOK_FAKE_FAULT_GARBAGE_TEXT:
      /* Not JSON, with the terminal escapes a careless client would let
       * through to the user's terminal. */
      _stok_fake_session_send (self, NULL, "\x1b]0;fake\x07\x1b[31mnot JSON from the fake server\x1b[0m {", TRUE);
      break;

    case STOK_FAKE_FAULT_BINARY_FRAME:
      if (_stok_fake_session_connection_is_open (self))
        soup_websocket_connection_send_binary (self->connection, "\x00\xff" "fake binary frame", 19);
      break;

    case STOK_FAKE_FAULT_HUGE_TEXT:
      text = build_huge_turn (self, self->fault.size != 0 ? self->fault.size : STOK_FAKE_HUGE_TEXT_DEFAULT);
      _stok_fake_session_send (self, "Turn", text, TRUE);
      break;

    case STOK_FAKE_FAULT_UNKNOWN_TYPE:
      text = g_strdup_printf ("{\"type\":\"Heartbeat\",\"timestamp\":%" G_GINT64_FORMAT "}",
                              _stok_fake_session_audio_us (self) / 1000);
      _stok_fake_session_send (self, "Heartbeat", text, TRUE);
      break;

    case STOK_FAKE_FAULT_FLOOD:
      if (self->flood_source_id != 0)
        break;
      self->flood_started_us = g_get_monotonic_time ();
      self->flood_sent = 0;
      if (self->fault.rate > 0)
        self->flood_source_id = g_timeout_add (STOK_FAKE_FLOOD_TICK_MS, session_flood_cb, self);
      else
        self->flood_source_id = g_idle_add_full (G_PRIORITY_LOW, session_flood_cb, self, NULL);
      break;

    case STOK_FAKE_FAULT_BROKEN_TEXT:
      _stok_fake_session_send_broken_text (self);
      break;

    case STOK_FAKE_FAULT_END_SESSION:
      _stok_fake_session_terminate (self);
      break;

    case STOK_FAKE_FAULT_NONE:
    case STOK_FAKE_FAULT_REFUSE_UPGRADE:
    case STOK_FAKE_FAULT_BROKEN_BEGIN:
    case STOK_FAKE_FAULT_ERROR_NO_BEGIN:
    case STOK_FAKE_FAULT_NO_BEGIN:
    case STOK_FAKE_FAULT_IGNORE_TERMINATE:
    default:
      break;
    }
}

gboolean
_stok_fake_session_fault_cb (gpointer user_data)
{
  StokFakeSession *self = user_data;

  g_assert (STOK_IS_FAKE_SESSION (self));

  self->fault_source_id = 0;
  _stok_fake_session_fire_fault (self);

  return G_SOURCE_REMOVE;
}

/**
 * stok_fake_session_set_fault:
 * @self: a #StokFakeSession
 * @spec: (nullable): what to do to the session, or %NULL for nothing
 */
void
stok_fake_session_set_fault (StokFakeSession         *self,
                             const StokFakeFaultSpec *spec)
{
  g_return_if_fail (STOK_IS_FAKE_SESSION (self));

  g_clear_pointer (&self->fault_reason, g_free);
  if (spec == NULL)
    {
      memset (&self->fault, 0, sizeof self->fault);
      return;
    }

  self->fault = *spec;
  self->fault_reason = g_strdup (spec->reason);
  self->fault.reason = NULL;
}
