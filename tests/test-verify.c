/* test-verify.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Redeeming a token on the streaming WebSocket, against the fake server's
 * /v3/ws in this process and main loop: the session that opens and is
 * ended at once, each way the server refuses a token, cancellation, and
 * `streaming-token --verify` as a script runs it. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "stok-fake-server.h"
#include "stok-test-util.h"
#include "stok-token-client.h"

#define KEY "sk-verify-0123456789"

typedef StokClientFixture Fixture;

typedef struct
{
  Fixture *fixture;
  guint    n_open;
} OpenWebsockets;

static gboolean
has_open_websockets (gpointer data)
{
  OpenWebsockets *wanted = data;

  return stok_fake_server_get_n_open_websockets (wanted->fixture->server) == wanted->n_open;
}

static gboolean
wait_for_open_websockets (Fixture *fixture,
                          guint    n_open)
{
  OpenWebsockets wanted = { fixture, n_open };

  return stok_test_wait_until (has_open_websockets, &wanted, 5000);
}

static StokToken *
mint (Fixture *fixture,
      gint64   expires_in)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  StokToken *token;

  stok_token_client_mint_async (fixture->client, stok_fake_server_get_url (fixture->server),
                                KEY, expires_in, 0, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  token = stok_token_client_mint_finish (fixture->client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);

  return token;
}

static StokVerification *
verify_full (Fixture       *fixture,
             StokToken     *token,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stok_token_client_verify_async (fixture->client, token, cancellable, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return stok_token_client_verify_finish (fixture->client, result, error);
}

static StokVerification *
verify (Fixture   *fixture,
        StokToken *token)
{
  g_autoptr(GError) error = NULL;
  StokVerification *verification;

  verification = verify_full (fixture, token, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (verification);

  return verification;
}

static StokTokenState
token_state (StokToken *token)
{
  return stok_token_get_state (token, stok_clock_get_time (stok_clock_get_default ()));
}

/* Where @needle starts in @haystack, after @from, or fails the test. */
static const char *
find_after (const char *haystack,
            const char *from,
            const char *needle)
{
  const char *found = strstr (from != NULL ? from : haystack, needle);

  if (found == NULL)
    g_error ("“%s” is not where expected in:\n%s", needle, haystack);

  return found + strlen (needle);
}

static void
assert_refused (StokVerification *verification,
                gushort           code,
                const char       *words)
{
  g_autofree char *refusal = stok_verification_dup_refusal (verification);

  g_assert_false (stok_verification_get_accepted (verification));
  g_assert_null (stok_verification_get_session_id (verification));
  g_assert_cmpuint (stok_verification_get_close_code (verification), ==, code);
  g_assert_cmpstr (stok_verification_get_error_message (verification), ==, words);
  g_assert_cmpint (stok_verification_get_error_code (verification), ==, code);

  /* What the user reads: the code, what it means, the server's words. */
  g_assert_nonnull (strstr (refusal, stok_describe_close_code (code)));
  g_assert_nonnull (strstr (refusal, words));
}

static void
test_accepted (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(StokToken) token = mint (fixture, 60);
  g_autoptr(StokVerification) verification = NULL;
  g_autofree char *transcript = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *expected_query = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  const char *p;

  g_assert_cmpint (token_state (token), ==, STOK_TOKEN_STATE_REDEEMABLE);

  verification = verify (fixture, token);

  /* A session opened, and it is the one the server began. */
  g_assert_true (stok_verification_get_accepted (verification));
  g_assert_nonnull (stok_fake_server_get_last_session_id (fixture->server));
  g_assert_cmpstr (stok_verification_get_session_id (verification), ==,
                   stok_fake_server_get_last_session_id (fixture->server));
  g_assert_cmpint (stok_verification_get_expires_at (verification), >=, before + 10800);
  g_assert_cmpint (stok_verification_get_expires_at (verification), <=, g_get_real_time () / G_USEC_PER_SEC + 10800);

  /* Ended at once, cleanly, by the client's Terminate. */
  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 1);
  g_assert_true (stok_verification_get_terminated (verification));
  g_assert_cmpfloat (stok_verification_get_session_duration (verification), ==, 0);
  g_assert_cmpfloat (stok_verification_get_audio_duration (verification), ==, 0);
  g_assert_cmpuint (stok_verification_get_close_code (verification), ==, 1000);
  g_assert_null (stok_verification_get_error_message (verification));

  g_assert_cmpint (token_state (token), ==, STOK_TOKEN_STATE_REDEEMED);
  g_assert_true (stok_fake_server_is_token_redeemed (fixture->server, stok_token_get_token (token)));

  /* The URL of the spec, with the token as the credential. */
  escaped = g_uri_escape_string (stok_token_get_token (token), NULL, FALSE);
  expected_query = g_strdup_printf ("token=%s&sample_rate=16000&encoding=pcm_s16le", escaped);
  g_assert_cmpstr (stok_fake_server_get_last_websocket_query (fixture->server), ==, expected_query);
  g_assert_cmpuint (stok_fake_server_get_websocket_count (fixture->server), ==, 1);

  /* Every message, in order and in its direction. */
  transcript = stok_verification_dup_transcript (verification);
  g_test_message ("%s", transcript);
  p = find_after (transcript, NULL, "· connected");
  p = find_after (transcript, p, "← {\"type\":\"Begin\"");
  p = find_after (transcript, p, stok_verification_get_session_id (verification));
  p = find_after (transcript, p, "→ {\"type\": \"Terminate\"}");
  p = find_after (transcript, p, "← {\"type\":\"Termination\"");
  p = find_after (transcript, p, "· closed 1000");
  g_assert_null (strstr (p, "←"));

  /* The server's side of the connection is closed too. */
  g_assert_true (wait_for_open_websockets (fixture, 0));
}

static void
test_used_token_refused (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(StokToken) token = mint (fixture, 60);
  g_autoptr(StokVerification) first = NULL;
  g_autoptr(StokVerification) second = NULL;

  first = verify (fixture, token);
  g_assert_true (stok_verification_get_accepted (first));

  /* Tokens are single-use. */
  second = verify (fixture, token);
  assert_refused (second, 1008, STOK_FAKE_WS_USED_TOKEN);
  g_assert_cmpstr (stok_verification_get_close_reason (second), ==, STOK_FAKE_WS_USED_TOKEN);
  g_assert_false (stok_verification_get_terminated (second));
  g_assert_cmpint (token_state (token), ==, STOK_TOKEN_STATE_REJECTED);
  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 1);
  g_assert_cmpuint (stok_fake_server_get_websocket_count (fixture->server), ==, 2);
  g_assert_true (wait_for_open_websockets (fixture, 0));
}

static void
test_expired_token_refused (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (1000 * G_USEC_PER_SEC);
  g_autoptr(StokToken) in_time = NULL;
  g_autoptr(StokToken) too_late = NULL;
  g_autoptr(StokVerification) accepted = NULL;
  g_autoptr(StokVerification) refused = NULL;

  stok_fake_server_set_clock (fixture->server, clock);
  in_time = mint (fixture, 5);
  too_late = mint (fixture, 5);

  /* The last moment of the window still counts... */
  stok_clock_advance (clock, 5 * G_USEC_PER_SEC - 1);
  accepted = verify (fixture, in_time);
  g_assert_true (stok_verification_get_accepted (accepted));

  /* ...the end of it no longer does. */
  stok_clock_advance (clock, 1);
  refused = verify (fixture, too_late);
  assert_refused (refused, 1008, STOK_FAKE_WS_EXPIRED_TOKEN);
  g_assert_cmpint (token_state (too_late), ==, STOK_TOKEN_STATE_REJECTED);
  g_assert_false (stok_fake_server_is_token_redeemed (fixture->server, stok_token_get_token (too_late)));
}

static void
test_unknown_token_refused (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(StokToken) token = stok_token_new (STOK_FAKE_TOKEN_PREFIX "eyJqdGkiOiJmb3JnZWQifQ.c2ln", 60);
  g_autoptr(StokVerification) verification = NULL;

  stok_token_set_server (token, stok_fake_server_get_url (fixture->server));

  verification = verify (fixture, token);
  assert_refused (verification, 1008, STOK_FAKE_WS_INVALID_TOKEN);
  g_assert_cmpint (token_state (token), ==, STOK_TOKEN_STATE_REJECTED);
  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 0);
}

static void
test_server_error (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(StokToken) token = mint (fixture, 60);
  g_autoptr(StokVerification) refused = NULL;
  g_autoptr(StokVerification) accepted = NULL;
  g_autofree char *refusal = NULL;

  stok_fake_server_set_websocket_close (fixture->server, 3005, "Internal server error");

  refused = verify (fixture, token);
  assert_refused (refused, 3005, "Internal server error");
  refusal = stok_verification_dup_refusal (refused);
  g_assert_nonnull (strstr (refusal, "3005"));
  g_assert_nonnull (strstr (refusal, "Server error"));
  g_assert_cmpint (token_state (token), ==, STOK_TOKEN_STATE_REJECTED);

  /* For the next session only, and the token was not spent. */
  g_assert_false (stok_fake_server_is_token_redeemed (fixture->server, stok_token_get_token (token)));
  accepted = verify (fixture, token);
  g_assert_true (stok_verification_get_accepted (accepted));
}

static void
test_long_close_reason (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(StokToken) token = mint (fixture, 60);
  g_autoptr(StokVerification) verification = NULL;
  g_autoptr(GString) words = g_string_new ("Too many concurrent sessions: ");
  const char *reason;

  /* Two-byte characters, so that 123 bytes falls inside one. */
  while (words->len < 300)
    g_string_append (words, "é");

  stok_fake_server_set_websocket_close (fixture->server, 3009, words->str);
  verification = verify (fixture, token);

  /* The Error message keeps every word; the close reason is cut to what
   * a close frame holds, on a character boundary. */
  assert_refused (verification, 3009, words->str);
  reason = stok_verification_get_close_reason (verification);
  g_assert_nonnull (reason);
  g_assert_cmpuint (strlen (reason), <=, 123);
  g_assert_cmpuint (strlen (reason), >=, 122);
  g_assert_true (g_utf8_validate (reason, -1, NULL));
  g_assert_true (g_str_has_prefix (words->str, reason));
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(StokToken) token = mint (fixture, 60);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StokVerification) verification = NULL;
  g_autoptr(GError) error = NULL;
  gint64 cancelled_at;

  /* A server slow to begin: the session is open and silent. */
  stok_fake_server_set_websocket_delay (fixture->server, 3000);
  stok_token_client_verify_async (fixture->client, token, cancellable, stok_test_result_cb, &result);
  g_assert_true (wait_for_open_websockets (fixture, 1));
  g_assert_null (result);

  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  verification = stok_token_client_verify_finish (fixture->client, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (verification);

  /* The connection is closed, on both sides, well before Begin was due,
   * and no Begin ever comes. */
  g_assert_true (wait_for_open_websockets (fixture, 0));
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, 2 * G_USEC_PER_SEC);
  stok_test_spin (200);
  g_assert_null (stok_fake_server_get_last_session_id (fixture->server));
  g_assert_cmpuint (stok_fake_server_get_n_terminated (fixture->server), ==, 0);
}

static void
test_cancel_before_connect (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(StokToken) token = mint (fixture, 60);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(StokVerification) verification = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  verification = verify_full (fixture, token, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (verification);

  /* Nothing was spent. */
  stok_test_spin (100);
  g_assert_cmpint (token_state (token), ==, STOK_TOKEN_STATE_REDEEMABLE);
  g_assert_false (stok_fake_server_is_token_redeemed (fixture->server, stok_token_get_token (token)));
}

/* A bare WebSocket client, for what the app never sends. */
typedef struct
{
  SoupWebsocketConnection *connection;
  GPtrArray *received;
  gboolean closed;
} Raw;

static void
raw_message_cb (SoupWebsocketConnection *connection,
                int                      type,
                GBytes                  *message,
                Raw                     *raw)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);

  g_ptr_array_add (raw->received, g_strndup (data, length));
}

static void
raw_closed_cb (SoupWebsocketConnection *connection,
               Raw                     *raw)
{
  raw->closed = TRUE;
}

static void
raw_connect (Fixture    *fixture,
             const char *path_and_query,
             Raw        *raw)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  uri = g_strdup_printf ("ws://127.0.0.1:%u%s", stok_fake_server_get_port (fixture->server), path_and_query);
  message = soup_message_new (SOUP_METHOD_GET, uri);
  soup_session_websocket_connect_async (session, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  raw->received = g_ptr_array_new_with_free_func (g_free);
  raw->connection = soup_session_websocket_connect_finish (session, result, &error);
  g_assert_no_error (error);
  g_signal_connect (raw->connection, "message", G_CALLBACK (raw_message_cb), raw);
  g_signal_connect (raw->connection, "closed", G_CALLBACK (raw_closed_cb), raw);
}

static void
raw_wait_closed (Raw *raw)
{
  while (!raw->closed)
    g_main_context_iteration (NULL, TRUE);
}

static void
raw_clear (Raw *raw)
{
  if (raw->connection != NULL)
    g_signal_handlers_disconnect_by_data (raw->connection, raw);
  g_clear_object (&raw->connection);
  g_clear_pointer (&raw->received, g_ptr_array_unref);
}

static void
assert_error_message (const char *text,
                      gint64      code,
                      const char *words)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "Error");
  g_assert_cmpint (json_object_get_int_member (object, "error_code"), ==, code);
  if (words != NULL)
    g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, words);
}

static void
test_missing_token (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const char *queries[] = {
    "/v3/ws",
    "/v3/ws?sample_rate=16000&encoding=pcm_s16le",
    "/v3/ws?token=&sample_rate=16000",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      Raw raw = { 0 };

      raw_connect (fixture, queries[i], &raw);
      raw_wait_closed (&raw);

      g_assert_cmpuint (raw.received->len, ==, 1);
      assert_error_message (raw.received->pdata[0], 1008, STOK_FAKE_WS_MISSING_TOKEN);
      g_assert_cmpuint (soup_websocket_connection_get_close_code (raw.connection), ==, 1008);
      g_assert_cmpstr (soup_websocket_connection_get_close_data (raw.connection), ==, STOK_FAKE_WS_MISSING_TOKEN);
      raw_clear (&raw);
    }

  g_assert_cmpuint (stok_fake_server_get_websocket_count (fixture->server), ==, G_N_ELEMENTS (queries));
  g_assert_cmpuint (stok_fake_server_get_request_count (fixture->server), ==, 0);
}

static void
test_invalid_message (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(StokToken) token = mint (fixture, 60);
  /* sample_rate is required: without it the session is refused. */
  g_autofree char *path = g_strdup_printf ("/v3/ws?token=%s&sample_rate=16000", stok_token_get_token (token));
  Raw raw = { 0 };

  raw_connect (fixture, path, &raw);
  while (raw.received->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (raw.received->pdata[0], "{\"type\":\"Begin\""));

  soup_websocket_connection_send_text (raw.connection, "Terminate");
  raw_wait_closed (&raw);

  g_assert_cmpuint (raw.received->len, ==, 2);
  assert_error_message (raw.received->pdata[1], 3006, NULL);
  g_assert_cmpuint (soup_websocket_connection_get_close_code (raw.connection), ==, 3006);
  raw_clear (&raw);
}

static void
test_flood_is_capped (void)
{
  g_autoptr(StokVerification) verification = stok_verification_new ("ws://127.0.0.1:1/v3/ws");
  g_autofree char *transcript = NULL;
  guint lines = 0;

  /* A server that floods the socket fills no memory through the
   * transcript, and the way it ended still shows. */
  for (guint i = 0; i < 100000; i++)
    stok_verification_add_message (verification, STOK_DIRECTION_RECEIVED, i, "{\"type\":\"Turn\"}");
  stok_verification_add_message (verification, STOK_DIRECTION_EVENT, 100000, "closed 1000");

  transcript = stok_verification_dup_transcript (verification);
  for (const char *p = transcript; *p; p++)
    lines += *p == '\n';
  g_assert_cmpuint (lines, <=, 258);
  g_assert_nonnull (strstr (transcript, "closed 1000"));
  g_assert_nonnull (strstr (transcript, "99744 more messages not recorded"));
}

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, stok_client_fixture_set_up, func, stok_client_fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD_TEST ("/verify/accepted", test_accepted);
  ADD_TEST ("/verify/refused/used", test_used_token_refused);
  ADD_TEST ("/verify/refused/expired", test_expired_token_refused);
  ADD_TEST ("/verify/refused/unknown", test_unknown_token_refused);
  ADD_TEST ("/verify/refused/server-error", test_server_error);
  ADD_TEST ("/verify/refused/long-reason", test_long_close_reason);
  ADD_TEST ("/verify/cancel", test_cancel);
  ADD_TEST ("/verify/cancel-before-connect", test_cancel_before_connect);
  ADD_TEST ("/verify/fake-server/missing-token", test_missing_token);
  ADD_TEST ("/verify/fake-server/invalid-message", test_invalid_message);
  g_test_add_func ("/verify/transcript/flood-is-capped", test_flood_is_capped);

  return g_test_run ();
}
