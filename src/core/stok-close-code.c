/* stok-close-code.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Every WebSocket close code a streaming session can end with, and what it
 * means: RFC 6455's (IANA's registry, 1000-1015), AssemblyAI's v3 codes
 * (1008 and 3005-3009, spec/PROTOCOL.md), and v2's 4000-4104, which the
 * official SDKs still map and which still come from old endpoints. */

#include "config.h"

#include <glib/gi18n.h>

#include "stok-close-code.h"

static const StokCloseCode codes[] = {
  { 1000, STOK_CLOSE_BLAME_NONE, N_("Closed normally"),
    N_("The session ended as it should.") },
  { 1001, STOK_CLOSE_BLAME_SERVER, N_("Going away"),
    N_("The server is shutting down or restarting; start a new session.") },
  { 1002, STOK_CLOSE_BLAME_CLIENT, N_("Protocol error"),
    N_("One side broke the WebSocket protocol.") },
  { 1003, STOK_CLOSE_BLAME_CLIENT, N_("Unsupported data"),
    N_("A frame held data of a kind the receiver does not take.") },
  { 1005, STOK_CLOSE_BLAME_SERVER, N_("No status"),
    N_("The close frame carried no code.") },
  { 1006, STOK_CLOSE_BLAME_SERVER, N_("Connection dropped"),
    N_("The connection ended without a close frame: the network or the server cut it.") },
  { 1007, STOK_CLOSE_BLAME_CLIENT, N_("Invalid text"),
    N_("A text frame was not valid UTF-8.") },
  { 1008, STOK_CLOSE_BLAME_TOKEN, N_("Unauthorized"),
    N_("The token is missing, invalid, expired or already used, or the account has a problem.") },
  { 1009, STOK_CLOSE_BLAME_CLIENT, N_("Message too big"),
    N_("A message was larger than the receiver accepts.") },
  { 1010, STOK_CLOSE_BLAME_CLIENT, N_("Extension required"),
    N_("The server did not offer an extension the client needs.") },
  { 1011, STOK_CLOSE_BLAME_SERVER, N_("Internal server error"),
    N_("The server ran into a problem it could not recover from.") },
  { 1012, STOK_CLOSE_BLAME_SERVER, N_("Service restart"),
    N_("The service is restarting; start a new session in a moment.") },
  { 1013, STOK_CLOSE_BLAME_SERVER, N_("Try again later"),
    N_("The server is overloaded for now; start a new session later.") },
  { 1014, STOK_CLOSE_BLAME_SERVER, N_("Bad gateway"),
    N_("A gateway between here and the server got no valid answer from it.") },
  { 1015, STOK_CLOSE_BLAME_SERVER, N_("TLS handshake failed"),
    N_("The secure connection could not be set up.") },
  { 3005, STOK_CLOSE_BLAME_SERVER, N_("Server error"),
    N_("AssemblyAI’s server failed while handling the session.") },
  { 3006, STOK_CLOSE_BLAME_CLIENT, N_("Invalid message"),
    N_("A message sent to the server was not valid JSON, or not one the protocol knows.") },
  { 3007, STOK_CLOSE_BLAME_CLIENT, N_("Audio chunk rejected"),
    N_("An audio chunk held less than 50 ms or more than 1000 ms of audio, or audio came faster than real time.") },
  { 3008, STOK_CLOSE_BLAME_LIMIT, N_("Session expired"),
    N_("The session reached its maximum duration, the cap the token set.") },
  { 3009, STOK_CLOSE_BLAME_LIMIT, N_("Too many sessions"),
    N_("The account has more concurrent sessions open than it may.") },
  { 4000, STOK_CLOSE_BLAME_CLIENT, N_("Bad sample rate"),
    N_("The sample rate must be a positive whole number (v2 API).") },
  { 4001, STOK_CLOSE_BLAME_TOKEN, N_("Not authorized"),
    N_("The key or token was refused (v2 API).") },
  { 4002, STOK_CLOSE_BLAME_LIMIT, N_("Insufficient funds"),
    N_("The account has no funds left for streaming (v2 API).") },
  { 4003, STOK_CLOSE_BLAME_LIMIT, N_("Paid feature"),
    N_("Streaming needs a credit card on the account (v2 API).") },
  { 4004, STOK_CLOSE_BLAME_CLIENT, N_("No such session"),
    N_("The session ID does not exist (v2 API).") },
  { 4008, STOK_CLOSE_BLAME_LIMIT, N_("Session expired"),
    N_("The session reached its time limit (v2 API).") },
  { 4010, STOK_CLOSE_BLAME_CLIENT, N_("Session closed"),
    N_("The session had already been closed (v2 API).") },
  { 4029, STOK_CLOSE_BLAME_CLIENT, N_("Audio too fast"),
    N_("Audio was sent faster than real time (v2 API).") },
  { 4030, STOK_CLOSE_BLAME_CLIENT, N_("Session taken over"),
    N_("Another connection is handling this session (v2 API).") },
  { 4031, STOK_CLOSE_BLAME_CLIENT, N_("Session idle"),
    N_("No audio came for too long (v2 API).") },
  { 4032, STOK_CLOSE_BLAME_CLIENT, N_("Audio too short"),
    N_("An audio chunk was too short (v2 API).") },
  { 4033, STOK_CLOSE_BLAME_CLIENT, N_("Audio too long"),
    N_("An audio chunk was too long (v2 API).") },
  { 4034, STOK_CLOSE_BLAME_CLIENT, N_("Audio too small"),
    N_("An audio chunk was too small to transcode (v2 API).") },
  { 4100, STOK_CLOSE_BLAME_CLIENT, N_("Bad JSON"),
    N_("A message was not valid JSON (v2 API).") },
  { 4101, STOK_CLOSE_BLAME_CLIENT, N_("Bad schema"),
    N_("A message did not have the expected fields (v2 API).") },
  { 4102, STOK_CLOSE_BLAME_LIMIT, N_("Too many streams"),
    N_("The account has more streams open than it may (v2 API).") },
  { 4103, STOK_CLOSE_BLAME_CLIENT, N_("Reconnected"),
    N_("The session was reconnected elsewhere (v2 API).") },
  { 4104, STOK_CLOSE_BLAME_CLIENT, N_("Bad word boost"),
    N_("The word boost parameter could not be read (v2 API).") },
};

static const StokCloseCode unknown = {
  0, STOK_CLOSE_BLAME_SERVER, N_("Unknown close code"),
  N_("The server closed the session with a code this app does not know.")
};

/**
 * stok_close_code_lookup:
 * @code: a WebSocket close code
 *
 * Returns: (transfer none): what @code means; a code nobody documented
 *   gets an entry saying so, with a code of 0
 */
const StokCloseCode *
stok_close_code_lookup (gushort code)
{
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (codes[i].code == code)
      return &codes[i];

  return &unknown;
}

/**
 * stok_close_code_title:
 * @code: a WebSocket close code
 *
 * Returns: (transfer none): its short name, translated
 */
const char *
stok_close_code_title (gushort code)
{
  return _(stok_close_code_lookup (code)->title);
}

/**
 * stok_close_code_meaning:
 * @code: a WebSocket close code
 *
 * Returns: (transfer none): what it means, in a sentence, translated
 */
const char *
stok_close_code_meaning (gushort code)
{
  return _(stok_close_code_lookup (code)->meaning);
}
