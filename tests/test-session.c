/* test-session.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The streaming session engine against the fake server's /v3/ws in this
 * process and main loop: a verify, a session with spoken audio fed frame
 * by frame in real time, the controls, and the failure matrix of
 * sessions: every way a session ends, each with its outcome and what the
 * user reads about it. */

#include "config.h"

#include <string.h>

#include "stok-close-code.h"
#include "stok-error.h"
#include "stok-fake-server.h"
#include "stok-raw-server.h"
#include "stok-session.h"
#include "stok-stream-params.h"
#include "stok-test-util.h"

typedef StokClientFixture Fixture;

static StokSession *
verify_session (Fixture *fixture)
{
  g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
  StokSession *session = stok_session_new (fixture->client, token, NULL);

  stok_session_set_verify (session, TRUE);
  return session;
}

static gboolean
has_kind (StokSession   *session,
          StokDirection  direction,
          const char    *kind)
{
  GListModel *messages = stok_session_get_messages (session);

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(StokSessionMessage) message = g_list_model_get_item (messages, i);

      if (stok_session_message_get_direction (message) == direction &&
          g_strcmp0 (stok_session_message_get_kind (message), kind) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
test_verify (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(StokSession) session = verify_session (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *ending = NULL;
  StokSessionFigures figures;

  g_assert_true (stok_test_run_session (session, &error));
  g_assert_no_error (error);

  g_assert_cmpint (stok_session_get_outcome (session), ==, STOK_SESSION_OUTCOME_COMPLETED);
  g_assert_cmpint (stok_session_get_state (session), ==, STOK_SESSION_STATE_ENDED);
  g_assert_cmpstr (stok_session_get_session_id (session), ==, stok_fake_server_get_last_session_id (fixture->server));
  g_assert_cmpint (stok_session_get_expires_at (session), >, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_cmpint (stok_token_get_state (stok_session_get_token (session), 0), ==, STOK_TOKEN_STATE_REDEEMED);

  /* speech_model is always sent, with the rate and the encoding. */
  g_assert_cmpstr (stok_fake_server_get_session_parameter (fixture->server, "speech_model"), ==, "universal-streaming-english");
  g_assert_cmpstr (stok_fake_server_get_session_parameter (fixture->server, "sample_rate"), ==, "16000");
  g_assert_cmpstr (stok_fake_server_get_session_parameter (fixture->server, "encoding"), ==, "pcm_s16le");

  /* Terminate answered Begin; the server saw it and said Termination. */
  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 1);
  g_assert_true (has_kind (session, STOK_DIRECTION_RECEIVED, "Begin"));
  g_assert_true (has_kind (session, STOK_DIRECTION_SENT, "Terminate"));
  g_assert_true (has_kind (session, STOK_DIRECTION_RECEIVED, "Termination"));
  g_assert_true (has_kind (session, STOK_DIRECTION_EVENT, "closed"));
  g_assert_cmpuint (stok_session_get_close_code (session), ==, 1000);

  stok_session_get_figures (session, &figures);
  g_assert_cmpint (figures.connect_to_begin_us, >, 0);
  g_assert_cmpint (figures.terminate_to_termination_us, >=, 0);
  g_assert_cmpfloat (figures.server_audio_seconds, ==, 0);

  ending = stok_session_dup_ending (session);
  g_assert_true (g_str_has_prefix (ending, "Completed"));
}

static void
test_refused_used (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
  g_autoptr(StokSession) first = stok_session_new (fixture->client, token, NULL);
  g_autoptr(StokSession) second = stok_session_new (fixture->client, token, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *ending = NULL;
  g_autofree char *title = NULL;

  stok_session_set_verify (first, TRUE);
  g_assert_true (stok_test_run_session (first, NULL));

  /* The same token again: refused before Begin, 1008, and no audio was
   * asked for. */
  g_assert_false (stok_test_run_session (second, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_TOKEN_REFUSED);
  g_assert_cmpint (stok_session_get_outcome (second), ==, STOK_SESSION_OUTCOME_REFUSED);
  g_assert_false (stok_session_get_began (second));
  g_assert_cmpuint (stok_session_get_close_code (second), ==, 1008);
  g_assert_cmpuint (stok_fake_server_get_n_audio_frames (fixture->server), ==, 0);

  /* What the user reads: the code, its meaning, the server's words. */
  ending = stok_session_dup_ending (second);
  g_assert_nonnull (strstr (ending, "1008"));
  g_assert_nonnull (strstr (ending, stok_close_code_meaning (1008)));
  g_assert_nonnull (strstr (ending, STOK_FAKE_WS_USED_TOKEN));
  title = stok_session_dup_ending_title (second);
  g_assert_nonnull (strstr (title, "Unauthorized"));
}

static void
test_refused_expired (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (1000 * G_USEC_PER_SEC);
  g_autoptr(StokToken) token = NULL;
  g_autoptr(StokSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ending = NULL;

  stok_fake_server_set_clock (fixture->server, clock);
  token = stok_test_mint (fixture, 5);
  stok_clock_advance (clock, 6 * G_USEC_PER_SEC);

  session = stok_session_new (fixture->client, token, NULL);
  g_assert_false (stok_test_run_session (session, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_TOKEN_REFUSED);
  g_assert_cmpuint (stok_session_get_close_code (session), ==, 1008);
  ending = stok_session_dup_ending (session);
  g_assert_nonnull (strstr (ending, STOK_FAKE_WS_EXPIRED_TOKEN));
}

static void
set_fault_with_code (Fixture       *fixture,
                     StokFakeFault  fault,
                     gushort        code)
{
  StokFakeFaultSpec spec = { 0 };

  spec.fault = fault;
  spec.status = 401;
  spec.code = code;
  /* A sentence of its own, as servers write them. */
  spec.reason = "Internal server error.";
  stok_fake_server_set_fault (fixture->server, &spec, FALSE);
}

static void
set_fault (Fixture       *fixture,
           StokFakeFault  fault)
{
  set_fault_with_code (fixture, fault, 3005);
}

/* One case of the failure matrix: a fault of the fake server, and what
 * the session must make of it. */
typedef struct
{
  const char *name;
  StokFakeFault fault;
  /* The fault's close code, if not 3005. */
  gushort close_code;
  StokSessionOutcome outcome;
  GQuark domain;
  int code;
  /* Each of these in the ending the user reads. */
  const char *words[3];
  /* In what to do next, if the ending calls for more than starting
   * again. */
  const char *advice;
  /* How the inspector's "closed" line begins, where it says who closed. */
  const char *closed;
} Case;

/* The text of the session's last event of @kind. */
static const char *
event_text (StokSession *session,
            const char  *kind)
{
  GListModel *messages = stok_session_get_messages (session);
  const char *text = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(StokSessionMessage) message = g_list_model_get_item (messages, i);

      if (stok_session_message_get_direction (message) == STOK_DIRECTION_EVENT &&
          g_strcmp0 (stok_session_message_get_kind (message), kind) == 0)
        text = stok_session_message_get_text (message);
    }

  return text;
}

static void
test_failure_matrix (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const Case cases[] = {
    { "refused upgrade", STOK_FAKE_FAULT_REFUSE_UPGRADE, 0, STOK_SESSION_OUTCOME_REFUSED,
      STOK_ERROR, STOK_ERROR_TOKEN_REFUSED, { "HTTP 401", "Refused before Begin", NULL }, "check the API key" },
    { "Error after Begin", STOK_FAKE_FAULT_ERROR_AFTER_BEGIN, 0, STOK_SESSION_OUTCOME_FAILED,
      STOK_ERROR, STOK_ERROR_SESSION_FAILED, { "3005", "Internal server error", "after Begin" }, "server’s side",
      "closed by the server: 3005 " },
    { "drop after Begin", STOK_FAKE_FAULT_DROP_AFTER_BEGIN, 0, STOK_SESSION_OUTCOME_FAILED,
      STOK_ERROR, STOK_ERROR_SESSION_FAILED, { "dropped", "close frame", NULL }, "Check the network",
      "closed with no close frame (1006): the connection dropped" },
    { "huge message", STOK_FAKE_FAULT_HUGE_TEXT, 0, STOK_SESSION_OUTCOME_FAILED,
      STOK_ERROR, STOK_ERROR_SESSION_FAILED, { "larger than", "the app", "not a refusal" }, NULL,
      "closed by this app, with no answer to its close frame (1006)" },
    { "no Begin", STOK_FAKE_FAULT_NO_BEGIN, 0, STOK_SESSION_OUTCOME_FAILED,
      STOK_ERROR, STOK_ERROR_TIMEOUT, { "no Begin", NULL, NULL }, "region in Preferences" },
    { "no Termination", STOK_FAKE_FAULT_IGNORE_TERMINATE, 0, STOK_SESSION_OUTCOME_FAILED,
      STOK_ERROR, STOK_ERROR_SESSION_FAILED, { "no Termination", "Terminate", NULL } },
    { "server ends the session", STOK_FAKE_FAULT_END_SESSION, 0, STOK_SESSION_OUTCOME_FAILED,
      STOK_ERROR, STOK_ERROR_SESSION_FAILED, { "the server sent Termination", "before the app sent Terminate", NULL },
      "inactivity_timeout" },
    /* An Error ends the session, whether the server closes or not. */
    { "Error after Begin, no close", STOK_FAKE_FAULT_ERROR_NO_CLOSE, 0, STOK_SESSION_OUTCOME_FAILED,
      STOK_ERROR, STOK_ERROR_SESSION_FAILED, { "3005", "Internal server error", "after Begin" }, "server’s side" },
    { "Error for Begin, no close", STOK_FAKE_FAULT_ERROR_NO_BEGIN, 1008, STOK_SESSION_OUTCOME_REFUSED,
      STOK_ERROR, STOK_ERROR_TOKEN_REFUSED, { "Refused before Begin: the server sent Error 1008", "Internal server error", NULL }, "token" },
    /* Close codes servers send and libsoup 3.2 rejects: still the server's. */
    { "Error after Begin, 1012", STOK_FAKE_FAULT_ERROR_AFTER_BEGIN, 1012, STOK_SESSION_OUTCOME_FAILED,
      STOK_ERROR, STOK_ERROR_SESSION_FAILED, { "1012", "Internal server error", "after Begin" }, "server’s side" },
    { "Error after Begin, 1013", STOK_FAKE_FAULT_ERROR_AFTER_BEGIN, 1013, STOK_SESSION_OUTCOME_FAILED,
      STOK_ERROR, STOK_ERROR_SESSION_FAILED, { "1013", "Internal server error", "after Begin" }, "server’s side" },
    /* Frames libsoup refuses: the app closes, the server only echoes. */
    { "broken text after Begin", STOK_FAKE_FAULT_BROKEN_TEXT, 0, STOK_SESSION_OUTCOME_FAILED,
      STOK_ERROR, STOK_ERROR_SESSION_FAILED, { "not valid UTF-8", "the app closed the connection with 1007", NULL }, "proxy",
      "closed by this app: 1007" },
    { "broken Begin", STOK_FAKE_FAULT_BROKEN_BEGIN, 0, STOK_SESSION_OUTCOME_FAILED,
      STOK_ERROR, STOK_ERROR_SESSION_FAILED, { "not valid UTF-8", "1007", "had not refused the token" }, "proxy" },
    /* What a session keeps going through. */
    { "garbage text", STOK_FAKE_FAULT_GARBAGE_TEXT, 0, STOK_SESSION_OUTCOME_COMPLETED, 0, 0, { "Completed", NULL, NULL },
      NULL, "closed by this app: 1000" },
    { "binary frame", STOK_FAKE_FAULT_BINARY_FRAME, 0, STOK_SESSION_OUTCOME_COMPLETED, 0, 0, { "Completed", NULL, NULL } },
    { "unknown type", STOK_FAKE_FAULT_UNKNOWN_TYPE, 0, STOK_SESSION_OUTCOME_COMPLETED, 0, 0, { "Completed", NULL, NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
      g_autoptr(StokSession) session = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *ending = NULL;
      gboolean completed;

      g_test_message ("%s", cases[i].name);
      set_fault_with_code (fixture, cases[i].fault, cases[i].close_code != 0 ? cases[i].close_code : 3005);

      /* A verify would end a session before the fault came after Begin:
       * these sessions wait to be told, as a session with audio does. */
      session = stok_session_new (fixture->client, token, NULL);
      /* The waits the matrix is about are short; the others are left
       * long, for a slow machine or a memory checker. */
      stok_session_set_timeouts (session,
                                 cases[i].fault == STOK_FAKE_FAULT_NO_BEGIN ? 1000 : STOK_SESSION_BEGIN_TIMEOUT_MS,
                                 cases[i].fault == STOK_FAKE_FAULT_IGNORE_TERMINATE ? 1000 : STOK_SESSION_TERMINATION_TIMEOUT_MS);
      stok_session_set_verify (session, cases[i].outcome == STOK_SESSION_OUTCOME_COMPLETED ||
                                        cases[i].fault == STOK_FAKE_FAULT_IGNORE_TERMINATE);

      completed = stok_test_run_session (session, &error);
      ending = stok_session_dup_ending (session);
      g_test_message ("  %s", ending);

      g_assert_cmpint (stok_session_get_outcome (session), ==, cases[i].outcome);
      if (cases[i].outcome == STOK_SESSION_OUTCOME_COMPLETED)
        {
          g_assert_true (completed);
          g_assert_no_error (error);
          /* What the server sent is kept, whatever it was. */
          g_assert_cmpuint (g_list_model_get_n_items (stok_session_get_messages (session)), >=, 6);
        }
      else
        {
          g_assert_false (completed);
          g_assert_error (error, cases[i].domain, cases[i].code);
        }

      /* Only a refusal says the token was refused; once the server took
       * it with the connection, Begin or not, it is used up. */
      g_assert_cmpint (stok_token_get_state (token, 0), ==,
                       cases[i].outcome == STOK_SESSION_OUTCOME_REFUSED ? STOK_TOKEN_STATE_REJECTED
                                                                        : STOK_TOKEN_STATE_REDEEMED);

      /* What to do next, only where starting again is not all. */
      {
        g_autofree char *advice = stok_session_dup_advice (session);

        if (cases[i].advice == NULL)
          g_assert_null (advice);
        else if (advice == NULL || strstr (advice, cases[i].advice) == NULL)
          g_error ("%s: “%s” is not in the advice “%s”", cases[i].name, cases[i].advice, advice);
      }

      if (cases[i].closed != NULL)
        {
          const char *closed = event_text (session, "closed");

          g_test_message ("  %s", closed);
          g_assert_nonnull (closed);
          g_assert_true (g_str_has_prefix (closed, cases[i].closed));
        }

      /* The server's own full stop ends its quote. */
      g_assert_null (strstr (ending, ".”."));
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].words) && cases[i].words[j] != NULL; j++)
        if (strstr (ending, cases[i].words[j]) == NULL)
          g_error ("%s: “%s” is not in “%s”", cases[i].name, cases[i].words[j], ending);

      /* Nothing is left open on either side. */
      g_assert_cmpint (stok_session_get_state (session), ==, STOK_SESSION_STATE_ENDED);
      stok_fake_server_clear_fault (fixture->server);
    }
}

static void
test_unknown_messages_kept (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(StokSession) session = verify_session (fixture);

  set_fault (fixture, STOK_FAKE_FAULT_UNKNOWN_TYPE);
  g_assert_true (stok_test_run_session (session, NULL));
  g_assert_true (has_kind (session, STOK_DIRECTION_RECEIVED, "Heartbeat"));
}

static void
test_garbage_sanitized (Fixture       *fixture,
                        gconstpointer  user_data)
{
  GListModel *messages;
  g_autoptr(StokSession) session = verify_session (fixture);

  set_fault (fixture, STOK_FAKE_FAULT_GARBAGE_TEXT);
  g_assert_true (stok_test_run_session (session, NULL));

  /* No control character or terminal escape reaches a label or a
   * terminal, whatever the server sent. */
  messages = stok_session_get_messages (session);
  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(StokSessionMessage) message = g_list_model_get_item (messages, i);

      for (const char *p = stok_session_message_get_text (message); *p; p++)
        g_assert_cmpint ((guchar) *p, >=, 0x20);
    }
}



static void
test_long_close_reason (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
  g_autoptr(StokSession) session = stok_session_new (fixture->client, token, NULL);
  g_autoptr(GString) words = g_string_new ("Too many concurrent sessions: ");
  g_autofree char *ending = NULL;
  const char *reason;

  /* Two-byte characters, so that 123 bytes falls inside one. */
  while (words->len < 300)
    g_string_append (words, "é");

  stok_fake_server_set_websocket_close (fixture->server, 3009, words->str);
  g_assert_false (stok_test_run_session (session, NULL));

  /* The Error message keeps every word, and the user reads them; the
   * close reason is cut to what a close frame holds, on a character
   * boundary. */
  g_assert_cmpint (stok_session_get_outcome (session), ==, STOK_SESSION_OUTCOME_REFUSED);
  g_assert_cmpuint (stok_session_get_close_code (session), ==, 3009);
  g_assert_cmpstr (stok_session_get_error_message (session), ==, words->str);
  ending = stok_session_dup_ending (session);
  g_assert_nonnull (strstr (ending, words->str));
  g_assert_nonnull (strstr (ending, stok_close_code_meaning (3009)));
  reason = stok_session_get_close_reason (session);
  g_assert_nonnull (reason);
  g_assert_cmpuint (strlen (reason), <=, 123);
  g_assert_cmpuint (strlen (reason), >=, 122);
  g_assert_true (g_utf8_validate (reason, -1, NULL));
  g_assert_true (g_str_has_prefix (words->str, reason));
}

/* libsoup 3.2 takes a close with 1012, 1013 or 1014 for a broken frame
 * and answers with 1002; the server still closed first, and said why. */
static void
test_close_code_libsoup_rejects (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  const gushort codes[] = { 1012, 1013, 1014 };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
      g_autoptr(StokSession) session = stok_session_new (fixture->client, token, NULL);
      g_autofree char *ending = NULL;
      g_autofree char *advice = NULL;

      stok_fake_server_set_websocket_close (fixture->server, codes[i], "Busy, try again later.");
      g_assert_false (stok_test_run_session (session, NULL));

      ending = stok_session_dup_ending (session);
      advice = stok_session_dup_advice (session);
      g_test_message ("%u: %s / %s", codes[i], ending, advice);
      g_assert_cmpint (stok_session_get_outcome (session), ==, STOK_SESSION_OUTCOME_REFUSED);
      g_assert_cmpuint (stok_session_get_close_code (session), ==, codes[i]);
      g_assert_nonnull (strstr (ending, "Busy, try again later"));
      g_assert_nonnull (strstr (ending, stok_close_code_meaning (codes[i])));
      g_assert_null (strstr (ending, "breaks"));
      g_assert_nonnull (advice);
      g_assert_nonnull (strstr (advice, "server’s side"));
      /* A busy server said nothing of the token. */
      g_assert_cmpint (stok_token_get_state (token, 0), ==, STOK_TOKEN_STATE_REDEEMABLE);
    }
}

/* An Error without a code, before Begin and after it, from a server
 * that then does not close: a refusal that says nothing of the token,
 * and a failure. */
static void
test_error_without_code (Fixture       *fixture,
                         gconstpointer  user_data)
{
  const StokFakeFault faults[] = { STOK_FAKE_FAULT_ERROR_NO_BEGIN, STOK_FAKE_FAULT_ERROR_NO_CLOSE };
  const StokSessionOutcome outcomes[] = { STOK_SESSION_OUTCOME_REFUSED, STOK_SESSION_OUTCOME_FAILED };
  const char *endings[] = { "Refused before Begin: the server sent an Error without a code.",
                            "Failed after Begin: the server sent an Error without a code." };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
      g_autoptr(StokSession) session = stok_session_new (fixture->client, token, NULL);
      g_autofree char *ending = NULL;

      set_fault_with_code (fixture, faults[i], 0);
      g_assert_false (stok_test_run_session (session, NULL));
      ending = stok_session_dup_ending (session);
      g_test_message ("%s", ending);
      g_assert_cmpint (stok_session_get_outcome (session), ==, outcomes[i]);
      g_assert_true (g_str_has_prefix (ending, endings[i]));
      g_assert_nonnull (strstr (ending, "Internal server error"));
      g_assert_cmpint (stok_token_get_state (token, 0), ==,
                       i == 0 ? STOK_TOKEN_STATE_REDEEMABLE : STOK_TOKEN_STATE_REDEEMED);
      stok_fake_server_clear_fault (fixture->server);
    }
}

/* A parameter the server does not take refuses the session, not the
 * token: it still opens one with parameters the server takes. */
static void
test_refused_parameter_spares_token (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
  g_autoptr(StokStreamParams) params = stok_stream_params_new ();
  g_autoptr(StokSession) refused = NULL;
  g_autoptr(StokSession) verified = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ending = NULL;

  g_assert_true (stok_stream_params_set (params, "speech_model", "no-such-model", NULL));
  refused = stok_session_new (fixture->client, token, params);
  g_assert_false (stok_test_run_session (refused, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_TOKEN_REFUSED);

  ending = stok_session_dup_ending (refused);
  g_test_message ("%s", ending);
  g_assert_cmpuint (stok_session_get_close_code (refused), ==, 3006);
  g_assert_nonnull (strstr (ending, "did not take the session’s parameters"));
  g_assert_nonnull (strstr (ending, "no-such-model"));
  g_assert_null (strstr (ending, "not valid JSON"));
  g_assert_cmpint (stok_token_get_state (token, 0), ==, STOK_TOKEN_STATE_REDEEMABLE);

  verified = stok_session_new (fixture->client, token, NULL);
  stok_session_set_verify (verified, TRUE);
  g_assert_true (stok_test_run_session (verified, NULL));
  g_assert_cmpint (stok_token_get_state (token, 0), ==, STOK_TOKEN_STATE_REDEEMED);
}

static gboolean
session_began (gpointer data)
{
  return stok_session_get_began (data);
}

static gboolean
session_ended (gpointer data)
{
  return stok_session_get_state (data) == STOK_SESSION_STATE_ENDED;
}

static gboolean
raw_server_idle (gpointer data)
{
  return stok_raw_server_get_n_open (data) == 0;
}

/* A session on a raw server that sends @messages once it has taken the
 * WebSocket upgrade, then reads and ignores everything, a close too; or,
 * with @messages %NULL, takes the connection and answers nothing at all.
 * raw_run_open() gives it its session. */
typedef struct
{
  StokRawServer *raw;
  StokTokenClient *client;
  StokSession *session;
  GAsyncResult *result;
} RawRun;

static void
raw_run_set_up (RawRun             *run,
                const char * const *messages)
{
  run->raw = stok_raw_server_new ();
  run->client = stok_token_client_new ();
  g_assert_true (stok_raw_server_listen (run->raw, NULL));
  if (messages == NULL)
    stok_raw_server_set_reply (run->raw, STOK_RAW_SILENT, NULL, 0);
  else
    stok_raw_server_set_websocket_messages (run->raw, messages);
}

/* A session with a pasted token for @server, the raw server's address if
 * %NULL, and @params, the defaults if %NULL. */
static void
raw_run_open (RawRun           *run,
              const char       *server,
              StokStreamParams *params)
{
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = stok_token_new_pasted ("raw-token", server != NULL ? server : stok_raw_server_get_url (run->raw), &error);
  g_assert_no_error (error);
  run->session = stok_session_new (run->client, token, params);
}

static void
raw_run_start (RawRun *run)
{
  stok_session_run_async (run->session, NULL, stok_test_result_cb, &run->result);
}

static void
raw_run_wait (RawRun *run)
{
  while (run->result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
raw_run_tear_down (RawRun *run)
{
  g_clear_object (&run->result);
  g_clear_object (&run->session);
  g_clear_object (&run->client);
  g_clear_object (&run->raw);
}

/* A server that takes the session, then answers neither Terminate nor
 * the app's close: libsoup alone would keep the socket open 5 s more,
 * billed. A window that closes gives Termination half a second and the
 * close another half: the bound here is far from both, so that a slow
 * machine does not fail it, and far below libsoup's 5 s. */
static void
test_close_deaf_server (void)
{
  const char *messages[] = { "{\"type\":\"Begin\",\"id\":\"deaf\",\"expires_at\":4102444800}", NULL };
  RawRun run = { 0 };
  gint64 closed_at;

  raw_run_set_up (&run, messages);
  raw_run_open (&run, NULL, NULL);
  raw_run_start (&run);
  g_assert_true (stok_test_wait_until (session_began, run.session, 10000));
  g_assert_cmpuint (stok_raw_server_get_n_open (run.raw), ==, 1);

  closed_at = g_get_monotonic_time ();
  stok_session_close (run.session, 500);
  g_assert_true (stok_test_wait_until (session_ended, run.session, 3000));
  g_assert_true (stok_test_wait_until (raw_server_idle, run.raw, 1000));
  g_test_message ("socket closed %.2f s after the close", (g_get_monotonic_time () - closed_at) / 1e6);

  raw_run_wait (&run);
  g_assert_false (stok_session_run_finish (run.session, run.result, NULL));
  g_assert_cmpint (stok_session_get_outcome (run.session), ==, STOK_SESSION_OUTCOME_CANCELLED);
  raw_run_tear_down (&run);
}

static void
count_cb (StokSession *session,
          StokTurn    *turn,
          guint       *count)
{
  (*count)++;
}

static gboolean
has_n_turns (gpointer data)
{
  StokSession *session = data;

  return g_list_model_get_n_items (stok_session_get_turns (session)) >= 4;
}

/* Turns from a server that breaks the order: a partial after a turn's
 * final, a turn after a later one, a message without its order. The
 * final's words stand, each turn ends once, in its place. */
static void
test_turns_out_of_order (void)
{
  const char *messages[] = {
    "{\"type\":\"Begin\",\"id\":\"order\",\"expires_at\":4102444800}",
    "{\"type\":\"Turn\",\"turn_order\":0,\"end_of_turn\":true,\"transcript\":\"hello world\",\"words\":[]}",
    "{\"type\":\"Turn\",\"turn_order\":0,\"end_of_turn\":false,\"transcript\":\"\",\"words\":"
      "[{\"text\":\"bogus\",\"start\":0,\"end\":100,\"confidence\":0.9,\"word_is_final\":false}]}",
    "{\"type\":\"Turn\",\"turn_order\":2,\"end_of_turn\":true,\"transcript\":\"two\",\"words\":[]}",
    "{\"type\":\"Turn\",\"turn_order\":1,\"end_of_turn\":true,\"transcript\":\"one\",\"words\":[]}",
    "{\"type\":\"Turn\",\"turn_order\":2,\"end_of_turn\":true,\"turn_is_formatted\":true,\"transcript\":\"Two.\",\"words\":[]}",
    /* No order, after the last turn's final: the next turn's partial. */
    "{\"type\":\"Turn\",\"end_of_turn\":false,\"transcript\":\"three\",\"words\":[]}",
    NULL
  };
  const char *texts[] = { "hello world", "one", "Two.", "three" };
  RawRun run = { 0 };
  g_autofree char *transcript = NULL;
  GListModel *turns;
  guint n_ended = 0;

  raw_run_set_up (&run, messages);
  raw_run_open (&run, NULL, NULL);
  g_signal_connect (run.session, "turn-ended", G_CALLBACK (count_cb), &n_ended);
  raw_run_start (&run);
  g_assert_true (stok_test_wait_until (session_began, run.session, 10000));

  turns = stok_session_get_turns (run.session);
  g_assert_true (stok_test_wait_until (has_n_turns, run.session, 5000));
  stok_test_spin (200);
  g_assert_cmpuint (g_list_model_get_n_items (turns), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(StokTurn) turn = g_list_model_get_item (turns, i);
      g_autofree char *text = stok_turn_dup_text (turn);

      g_assert_cmpint (stok_turn_get_order (turn), ==, i);
      g_assert_cmpstr (text, ==, texts[i]);
      g_assert_true (stok_turn_get_end_of_turn (turn) == (i < 3));
    }
  g_assert_cmpuint (n_ended, ==, 3);
  transcript = stok_session_dup_transcript (run.session);
  g_assert_cmpstr (transcript, ==, "hello world\none\nTwo.\n");

  stok_session_close (run.session, 0);
  raw_run_wait (&run);
  raw_run_tear_down (&run);
}

static void
collect_text_cb (StokSession *session,
                 StokTurn    *turn,
                 GPtrArray   *texts)
{
  g_ptr_array_add (texts, stok_turn_dup_text (turn));
}

/* With format_turns, each final turn is announced formatted, and in its
 * order, though a late turn comes before one held for its copy. */
static void
test_turns_out_of_order_formatted (void)
{
  const char *messages[] = {
    "{\"type\":\"Begin\",\"id\":\"formatted\",\"expires_at\":4102444800}",
    "{\"type\":\"Turn\",\"turn_order\":0,\"end_of_turn\":true,\"transcript\":\"hello world\",\"words\":[]}",
    "{\"type\":\"Turn\",\"turn_order\":0,\"end_of_turn\":true,\"turn_is_formatted\":true,\"transcript\":\"Hello world.\",\"words\":[]}",
    "{\"type\":\"Turn\",\"turn_order\":2,\"end_of_turn\":true,\"transcript\":\"two\",\"words\":[]}",
    "{\"type\":\"Turn\",\"turn_order\":1,\"end_of_turn\":true,\"transcript\":\"one\",\"words\":[]}",
    "{\"type\":\"Turn\",\"turn_order\":1,\"end_of_turn\":true,\"turn_is_formatted\":true,\"transcript\":\"One.\",\"words\":[]}",
    "{\"type\":\"Turn\",\"turn_order\":2,\"end_of_turn\":true,\"turn_is_formatted\":true,\"transcript\":\"Two.\",\"words\":[]}",
    "{\"type\":\"Turn\",\"turn_order\":3,\"end_of_turn\":false,\"transcript\":\"three\",\"words\":[]}",
    NULL
  };
  const char *expected[] = { "Hello world.", "One.", "Two." };
  g_autoptr(StokStreamParams) params = stok_stream_params_new ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  RawRun run = { 0 };

  g_assert_true (stok_stream_params_set (params, "format_turns", "true", NULL));
  raw_run_set_up (&run, messages);
  raw_run_open (&run, NULL, params);
  g_signal_connect (run.session, "turn-ended", G_CALLBACK (collect_text_cb), texts);
  raw_run_start (&run);
  g_assert_true (stok_test_wait_until (has_n_turns, run.session, 10000));
  stok_test_spin (200);

  g_assert_cmpuint (texts->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (texts, i), ==, expected[i]);

  stok_session_close (run.session, 0);
  raw_run_wait (&run);
  raw_run_tear_down (&run);
}

/* A Termination the app did not ask for, as a server sends when its
 * inactivity_timeout runs out: not a session completed, since the audio
 * or the user had not ended it, but the server's own ending. */
static void
test_unasked_termination (void)
{
  const char *messages[] = {
    "{\"type\":\"Begin\",\"id\":\"unasked\",\"expires_at\":4102444800}",
    "{\"type\":\"Termination\",\"audio_duration_seconds\":0.5,\"session_duration_seconds\":1}",
    NULL
  };
  RawRun run = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *ending = NULL;
  g_autofree char *advice = NULL;

  raw_run_set_up (&run, messages);
  raw_run_open (&run, NULL, NULL);
  raw_run_start (&run);
  raw_run_wait (&run);

  g_assert_false (stok_session_run_finish (run.session, run.result, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (stok_session_get_outcome (run.session), ==, STOK_SESSION_OUTCOME_FAILED);
  title = stok_session_dup_ending_title (run.session);
  ending = stok_session_dup_ending (run.session);
  advice = stok_session_dup_advice (run.session);
  g_test_message ("%s / %s / %s", title, ending, advice);
  g_assert_cmpstr (title, ==, "Failed: the server ended the session");
  g_assert_nonnull (strstr (ending, "Termination after 1 s of session and 0.5 s of audio before the app sent Terminate"));
  g_assert_nonnull (strstr (advice, "inactivity_timeout"));
  raw_run_tear_down (&run);
}

/* A server under a proxy's path: the session opens under it, where the
 * token was minted. */
static void
test_server_path (void)
{
  const char *messages[] = { "{\"type\":\"Begin\",\"id\":\"proxied\",\"expires_at\":4102444800}", NULL };
  RawRun run = { 0 };
  g_autofree char *server = NULL;

  raw_run_set_up (&run, messages);
  server = g_strconcat (stok_raw_server_get_url (run.raw), "/proxy/", NULL);
  raw_run_open (&run, server, NULL);
  raw_run_start (&run);
  g_assert_true (stok_test_wait_until (session_began, run.session, 10000));
  g_test_message ("%s", stok_raw_server_get_last_request (run.raw));
  g_assert_true (g_str_has_prefix (stok_raw_server_get_last_request (run.raw), "GET /proxy/v3/ws?token=raw-token&"));

  stok_session_close (run.session, 0);
  raw_run_wait (&run);
  raw_run_tear_down (&run);
}

/* A server that takes the connection and never answers its upgrade: the
 * ending says so, not that Begin did not come. */
static void
test_upgrade_unanswered (void)
{
  RawRun run = { 0 };
  g_autofree char *title = NULL;
  g_autofree char *ending = NULL;

  raw_run_set_up (&run, NULL);
  raw_run_open (&run, NULL, NULL);
  stok_session_set_timeouts (run.session, 1000, 1000);
  raw_run_start (&run);
  raw_run_wait (&run);

  g_assert_false (stok_session_run_finish (run.session, run.result, NULL));
  g_assert_cmpint (stok_session_get_outcome (run.session), ==, STOK_SESSION_OUTCOME_FAILED);
  title = stok_session_dup_ending_title (run.session);
  ending = stok_session_dup_ending (run.session);
  g_test_message ("%s / %s", title, ending);
  g_assert_cmpstr (title, ==, "Failed: no answer to the WebSocket upgrade");
  g_assert_nonnull (strstr (ending, "did not answer the WebSocket upgrade within 1 s"));
  g_assert_null (strstr (ending, "Begin"));
  raw_run_tear_down (&run);
}

/* Over https, the same server never answers the TLS handshake: no
 * upgrade was asked for, and the ending says that no answer came, not
 * that the upgrade went unanswered. */
static void
test_connection_unanswered (void)
{
  RawRun run = { 0 };
  g_autofree char *server = NULL;
  g_autofree char *title = NULL;
  g_autofree char *ending = NULL;

  raw_run_set_up (&run, NULL);
  server = g_strdup_printf ("https://127.0.0.1:%u", stok_raw_server_get_port (run.raw));
  raw_run_open (&run, server, NULL);
  stok_session_set_timeouts (run.session, 1000, 1000);
  raw_run_start (&run);
  raw_run_wait (&run);

  g_assert_cmpint (stok_session_get_outcome (run.session), ==, STOK_SESSION_OUTCOME_FAILED);
  title = stok_session_dup_ending_title (run.session);
  ending = stok_session_dup_ending (run.session);
  g_test_message ("%s / %s", title, ending);
  g_assert_cmpstr (title, !=, "Failed: no answer to the WebSocket upgrade");
  g_assert_null (strstr (ending, "upgrade"));
  g_assert_nonnull (strstr (ending, "No answer came from the streaming server https://127.0.0.1:"));
  raw_run_tear_down (&run);
}

static gboolean
has_open_websocket (gpointer data)
{
  Fixture *fixture = data;

  return stok_fake_server_get_n_open_websockets (fixture->server) == 1;
}

static gboolean
has_no_open_websocket (gpointer data)
{
  Fixture *fixture = data;

  return stok_fake_server_get_n_open_websockets (fixture->server) == 0;
}

/* Stopped while the server is slow to begin: the connection is closed on
 * both sides at once, and no Begin ever comes. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
  g_autoptr(StokSession) session = stok_session_new (fixture->client, token, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 cancelled_at;

  stok_fake_server_set_websocket_delay (fixture->server, 3000);
  stok_session_run_async (session, cancellable, stok_test_result_cb, &result);
  g_assert_true (stok_test_wait_until (has_open_websocket, fixture, 5000));
  g_assert_null (result);

  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (stok_session_run_finish (session, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (stok_session_get_outcome (session), ==, STOK_SESSION_OUTCOME_CANCELLED);
  g_assert_true (stok_test_wait_until (has_no_open_websocket, fixture, 5000));
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, 2 * G_USEC_PER_SEC);
  stok_test_spin (200);
  g_assert_null (stok_fake_server_get_last_session_id (fixture->server));
  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 0);
}

/* Stopped before it started: nothing is sent, nothing spent. */
static void
test_cancel_before_connect (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(StokToken) token = stok_test_mint (fixture, 60);
  g_autoptr(StokSession) session = stok_session_new (fixture->client, token, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  stok_session_run_async (session, cancellable, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (stok_session_run_finish (session, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  stok_test_spin (100);
  g_assert_cmpuint (stok_fake_server_get_n_upgrade_requests (fixture->server), ==, 0);
  g_assert_cmpint (stok_token_get_state (token, 0), ==, STOK_TOKEN_STATE_REDEEMABLE);
  g_assert_false (stok_fake_server_is_token_redeemed (fixture->server, stok_token_get_token (token)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/session/" path, Fixture, NULL, stok_client_fixture_set_up, func, stok_client_fixture_tear_down)

  ADD ("verify", test_verify);
  ADD ("refused/used", test_refused_used);
  ADD ("refused/expired", test_refused_expired);
  ADD ("failure-matrix", test_failure_matrix);
  ADD ("unknown-messages-kept", test_unknown_messages_kept);
  ADD ("garbage-sanitized", test_garbage_sanitized);
  ADD ("refused/long-reason", test_long_close_reason);
  ADD ("refused/close-code-libsoup-rejects", test_close_code_libsoup_rejects);
  ADD ("refused/parameter-spares-token", test_refused_parameter_spares_token);
  ADD ("refused/error-without-code", test_error_without_code);
  g_test_add_func ("/session/close/deaf-server", test_close_deaf_server);
  g_test_add_func ("/session/turns/out-of-order", test_turns_out_of_order);
  g_test_add_func ("/session/turns/out-of-order-formatted", test_turns_out_of_order_formatted);
  g_test_add_func ("/session/unasked-termination", test_unasked_termination);
  g_test_add_func ("/session/upgrade-unanswered", test_upgrade_unanswered);
  g_test_add_func ("/session/connection-unanswered", test_connection_unanswered);
  g_test_add_func ("/session/server-path", test_server_path);
  ADD ("cancel", test_cancel);
  ADD ("cancel-before-connect", test_cancel_before_connect);

#undef ADD

  return g_test_run ();
}
