/* fuzz-streaming-message.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Redeeming a token reads text messages from the streaming server: Begin,
 * Turn, Termination, Error, or anything at all. The input is a sequence of
 * such messages separated by NUL bytes, which cannot occur in JSON text.
 * Whatever they say, the outcome must read as text and export as JSON. */

/* A verification sees a handful of messages. Thousands of empty ones only
 * make each run slow (87 runs a second) without reaching new code. */
#define MAX_MESSAGES 16

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "stok-verification.h"

static void
check_printable (const char *text)
{
  if (text != NULL)
    g_assert (fuzz_is_printable_line (text));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(StokVerification) verification = NULL;
  g_autofree char *transcript = NULL;
  g_autofree char *refusal = NULL;
  g_autofree char *json = NULL;
  g_autofree char *last = NULL;
  const char *end = (const char *) data + size;
  gint64 offset_us = 0;
  guint n_messages = 0;

  fuzz_init ();

  verification = stok_verification_new ("wss://streaming.assemblyai.com/v3/ws?token=…");
  stok_verification_add_message (verification, STOK_DIRECTION_EVENT, 0, "Connected");

  /* As the client does for each text message: record it, then read it. */
  for (const char *message = (const char *) data;
       message < end && n_messages < MAX_MESSAGES;
       n_messages++)
    {
      const char *nul = memchr (message, '\0', end - message);
      gsize length = (nul != NULL ? nul : end) - message;

      g_free (last);
      last = g_strndup (message, length);
      stok_verification_add_message (verification, STOK_DIRECTION_RECEIVED,
                                     offset_us, last);
      stok_verification_handle_server_text (verification, message, length);

      offset_us += 1500;
      message = nul != NULL ? nul + 1 : end;
    }

  /* The close reason comes from the network too. */
  stok_verification_set_closed (verification, 1008, last);

  check_printable (stok_verification_get_session_id (verification));
  check_printable (stok_verification_get_error_message (verification));
  check_printable (stok_verification_get_close_reason (verification));

  transcript = stok_verification_dup_transcript (verification);
  g_assert (g_utf8_validate (transcript, -1, NULL));

  refusal = stok_verification_dup_refusal (verification);
  check_printable (refusal);

  json = stok_verification_to_json (verification);
  fuzz_assert_json (json);

  return 0;
}
