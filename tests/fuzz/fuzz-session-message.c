/* fuzz-session-message.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A streaming session reads text messages from the server: Begin,
 * SpeechStarted, Turn (partial, final, formatted), Termination, Error,
 * Warning, or anything at all. The input is a sequence of such messages
 * separated by NUL bytes, which cannot occur in JSON text, fed to the
 * session's own reader as they would come off the socket. Whatever they
 * say, the turns, the log, the ending and the figures must read as
 * printable text, and the outcome must export as JSON. */

/* A session of minutes sees thousands of messages; a few dozen reach the
 * same code, and keep each run fast. */
#define MAX_MESSAGES 64

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "stok-json.h"
#include "stok-session-private.h"

static void
check_printable (const char *text)
{
  if (text != NULL)
    g_assert (fuzz_is_printable_line (text));
}

static void
check_turns (StokSession *session)
{
  GListModel *turns = stok_session_get_turns (session);

  for (guint i = 0; i < g_list_model_get_n_items (turns); i++)
    {
      g_autoptr(StokTurn) turn = g_list_model_get_item (turns, i);
      g_autofree char *text = stok_turn_dup_text (turn);

      check_printable (text);
      check_printable (stok_turn_get_speaker (turn));
      check_printable (stok_turn_get_language (turn));
      for (guint j = 0; j < stok_turn_get_n_words (turn); j++)
        {
          const StokWord *word = stok_turn_get_word (turn, j);

          check_printable (word->text);
          g_assert (word->confidence == -1 || (word->confidence >= 0 && word->confidence <= 1));
        }
      g_assert (stok_turn_get_confidence (turn) >= -1 && stok_turn_get_confidence (turn) <= 1);
      stok_turn_get_n_low_confidence (turn);
      stok_turn_get_speech_end_ms (turn);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static StokTokenClient *client;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(StokSession) session = NULL;
  g_autoptr(JsonNode) outcome = NULL;
  g_autofree char *ending = NULL;
  g_autofree char *title = NULL;
  g_autofree char *figures = NULL;
  g_autofree char *transcript = NULL;
  g_autofree char *json = NULL;
  const char *end = (const char *) data + size;
  GListModel *messages;
  guint n_messages = 0;

  fuzz_init ();

  if (client == NULL)
    client = stok_token_client_new ();

  token = stok_token_new ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.fuzz", 60);
  session = stok_session_new (client, token, NULL);

  /* As the session does for each text message off the socket. */
  for (const char *message = (const char *) data;
       message < end && n_messages < MAX_MESSAGES;
       n_messages++)
    {
      const char *nul = memchr (message, '\0', end - message);
      gsize length = (nul != NULL ? nul : end) - message;

      _stok_session_handle_text (session, message, length);
      message = nul != NULL ? nul + 1 : end;
    }

  _stok_session_finish (session);

  check_printable (stok_session_get_session_id (session));
  check_printable (stok_session_get_error_message (session));
  check_turns (session);

  messages = stok_session_get_messages (session);
  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(StokSessionMessage) message = g_list_model_get_item (messages, i);
      g_autofree char *line = stok_session_message_dup_line (message);
      g_autoptr(JsonNode) node = stok_session_message_to_json (message, NULL);
      g_autofree char *node_json = stok_json_to_line (node);

      check_printable (line);
      fuzz_assert_json (node_json);
    }

  ending = stok_session_dup_ending (session);
  check_printable (ending);
  title = stok_session_dup_ending_title (session);
  check_printable (title);
  figures = stok_session_dup_figures_text (session);
  g_assert (g_utf8_validate (figures, -1, NULL));
  transcript = stok_session_dup_transcript (session);
  g_assert (g_utf8_validate (transcript, -1, NULL));

  outcome = stok_session_to_json (session);
  json = stok_json_to_line (outcome);
  fuzz_assert_json (json);

  return 0;
}
