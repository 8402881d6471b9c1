/* test-fake-server.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The fake token server is what every other test believes, so it is
 * checked against the spec on its own, with a plain SoupSession rather
 * than the client it is there to test. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "stok-fake-server.h"
#include "stok-test-util.h"

typedef struct
{
  guint status;
  SoupMessageHeaders *headers;
  GBytes *body;
  JsonNode *json;
} Response;

static void
response_free (Response *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static Response *
fetch (const char *base,
       const char *path_and_query,
       const char *key)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (base, path_and_query, NULL);
  Response *response = g_new0 (Response, 1);

  message = soup_message_new (SOUP_METHOD_GET, url);
  if (key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", key);

  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  response->body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (message);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (message));

  if (g_bytes_get_size (response->body) > 0 &&
      json_parser_load_from_data (parser, g_bytes_get_data (response->body, NULL),
                                  g_bytes_get_size (response->body), NULL) &&
      json_parser_get_root (parser) != NULL)
    response->json = json_node_copy (json_parser_get_root (parser));

  return response;
}

static JsonObject *
response_get_object (Response *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==, "application/json");

  return json_node_get_object (response->json);
}

static void
test_url (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autofree char *expected = g_strdup_printf ("http://127.0.0.1:%u", stok_fake_server_get_port (server));

  g_assert_cmpuint (stok_fake_server_get_port (server), >, 0);
  g_assert_cmpstr (stok_fake_server_get_url (server), ==, expected);
  g_assert_nonnull (stok_fake_server_get_soup_server (server));
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_mint (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(StokClock) clock = stok_clock_new_manual (42 * G_USEC_PER_SEC);
  g_autoptr(Response) first = NULL;
  g_autoptr(Response) second = NULL;
  g_auto(GStrv) parts = NULL;
  JsonObject *object;
  const char *token;
  gint64 expires_in = 0;
  gint64 max_session = 0;
  gint64 minted_at = 0;

  stok_fake_server_set_clock (server, clock);

  first = fetch (stok_fake_server_get_url (server), "/v3/token?expires_in_seconds=60&max_session_duration_seconds=600", "any-key");
  g_assert_cmpuint (first->status, ==, 200);
  object = response_get_object (first);
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  token = json_object_get_string_member (object, "token");
  g_assert_true (g_str_has_prefix (token, STOK_FAKE_TOKEN_PREFIX));
  /* Three base64url parts, as a JWT has, safe in a URL as it is. */
  parts = g_strsplit (token, ".", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  for (const char *p = token; *p; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.');
  g_assert_cmpint (json_object_get_int_member (object, "expires_in_seconds"), ==, 60);

  g_assert_cmpuint (stok_fake_server_get_n_tokens (server), ==, 1);
  g_assert_cmpstr (stok_fake_server_get_last_token (server), ==, token);
  g_assert_true (stok_fake_server_lookup_token (server, token, &expires_in, &max_session, &minted_at));
  g_assert_cmpint (expires_in, ==, 60);
  g_assert_cmpint (max_session, ==, 600);
  g_assert_cmpint (minted_at, ==, 42 * G_USEC_PER_SEC);
  g_assert_false (stok_fake_server_lookup_token (server, "eyJ-not-minted", NULL, NULL, NULL));
  g_assert_false (stok_fake_server_lookup_token (server, NULL, NULL, NULL, NULL));

  stok_clock_advance (clock, 10 * G_USEC_PER_SEC);
  second = fetch (stok_fake_server_get_url (server), "/v3/token?expires_in_seconds=600", "any-key");
  g_assert_cmpuint (second->status, ==, 200);
  object = response_get_object (second);
  g_assert_cmpstr (json_object_get_string_member (object, "token"), !=, token);
  g_assert_true (stok_fake_server_lookup_token (server, json_object_get_string_member (object, "token"),
                                                &expires_in, &max_session, &minted_at));
  g_assert_cmpint (expires_in, ==, 600);
  g_assert_cmpint (max_session, ==, 10800);
  g_assert_cmpint (minted_at, ==, 52 * G_USEC_PER_SEC);

  g_assert_cmpuint (stok_fake_server_get_request_count (server), ==, 2);
  g_assert_cmpstr (stok_fake_server_get_last_request_path (server), ==, "/v3/token");
  g_assert_cmpstr (stok_fake_server_get_last_request_query (server), ==, "expires_in_seconds=600");
  g_assert_cmpstr (stok_fake_server_get_last_request_header (server, "authorization"), ==, "any-key");
  g_assert_nonnull (stok_fake_server_get_last_request_headers (server));
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
assert_unauthorized (Response *response)
{
  JsonObject *object;

  g_assert_cmpuint (response->status, ==, 401);
  object = response_get_object (response);
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, STOK_FAKE_UNAUTHORIZED_MESSAGE);
}

static void
test_unauthorized (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  const char *url = stok_fake_server_get_url (server);
  const char *query = "/v3/token?expires_in_seconds=60";
  g_autoptr(Response) none = NULL;
  g_autoptr(Response) empty = NULL;
  g_autoptr(Response) wrong = NULL;
  g_autoptr(Response) bearer = NULL;
  g_autoptr(Response) right = NULL;

  none = fetch (url, query, NULL);
  assert_unauthorized (none);
  empty = fetch (url, query, "");
  assert_unauthorized (empty);

  stok_fake_server_set_api_key (server, "sk-right");
  wrong = fetch (url, query, "sk-wrong");
  assert_unauthorized (wrong);
  /* The key goes raw: a Bearer prefix is a different key. */
  bearer = fetch (url, query, "Bearer sk-right");
  assert_unauthorized (bearer);
  right = fetch (url, query, "sk-right");
  g_assert_cmpuint (right->status, ==, 200);

  g_assert_cmpuint (stok_fake_server_get_n_tokens (server), ==, 1);
  g_assert_cmpuint (stok_fake_server_get_request_count (server), ==, 5);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_invalid_parameters (void)
{
  static const struct {
    const char *query;
    const char *parameter;
  } cases[] = {
    { "", "expires_in_seconds" },
    { "?max_session_duration_seconds=600", "expires_in_seconds" },
    { "?expires_in=60", "expires_in_seconds" },
    { "?expires_in_seconds=", "expires_in_seconds" },
    { "?expires_in_seconds=0", "expires_in_seconds" },
    { "?expires_in_seconds=601", "expires_in_seconds" },
    { "?expires_in_seconds=3600", "expires_in_seconds" },
    { "?expires_in_seconds=-1", "expires_in_seconds" },
    { "?expires_in_seconds=abc", "expires_in_seconds" },
    { "?expires_in_seconds=60.0", "expires_in_seconds" },
    { "?expires_in_seconds=%2B60", "expires_in_seconds" },
    { "?expires_in_seconds=99999999999999999999", "expires_in_seconds" },
    { "?expires_in_seconds=60&max_session_duration_seconds=59", "max_session_duration_seconds" },
    { "?expires_in_seconds=60&max_session_duration_seconds=10801", "max_session_duration_seconds" },
    { "?expires_in_seconds=60&max_session_duration_seconds=x", "max_session_duration_seconds" },
    { "?expires_in_seconds=60&max_session_duration_seconds=", "max_session_duration_seconds" },
  };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/v3/token", cases[i].query, NULL);
      g_autoptr(Response) response = NULL;
      JsonObject *object;
      JsonObject *details;

      g_test_message ("%s", path);
      response = fetch (stok_fake_server_get_url (server), path, "any-key");
      g_assert_cmpuint (response->status, ==, 400);
      object = response_get_object (response);
      g_assert_nonnull (strstr (json_object_get_string_member (object, "error"), cases[i].parameter));
      g_assert_cmpstr (json_object_get_string_member (object, "code"), ==, "invalid_parameter");
      details = json_object_get_object_member (object, "details");
      g_assert_nonnull (details);
      g_assert_cmpstr (json_object_get_string_member (details, "parameter"), ==, cases[i].parameter);
    }

  g_assert_cmpuint (stok_fake_server_get_n_tokens (server), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_boundaries_accepted (void)
{
  static const char * const queries[] = {
    "?expires_in_seconds=1",
    "?expires_in_seconds=600",
    "?expires_in_seconds=1&max_session_duration_seconds=60",
    "?expires_in_seconds=600&max_session_duration_seconds=10800",
  };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *path = g_strconcat ("/v3/token", queries[i], NULL);
      g_autoptr(Response) response = fetch (stok_fake_server_get_url (server), path, "k");

      g_assert_cmpuint (response->status, ==, 200);
    }

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_other_paths (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(Response) root = fetch (stok_fake_server_get_url (server), "/", "k");
  g_autoptr(Response) v2 = fetch (stok_fake_server_get_url (server), "/v2/realtime/token", "k");

  g_assert_cmpuint (root->status, ==, 404);
  g_assert_cmpuint (v2->status, ==, 404);
  g_assert_nonnull (json_object_get_string_member (response_get_object (v2), "error"));
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_replies (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  const char *url = stok_fake_server_get_url (server);
  const char *path = "/v3/token?expires_in_seconds=60";
  g_autoptr(Response) queued = NULL;
  g_autoptr(Response) after_queue = NULL;
  g_autoptr(Response) standing1 = NULL;
  g_autoptr(Response) standing2 = NULL;
  g_autoptr(Response) cleared = NULL;

  /* A queued reply answers one request, then the spec is back. */
  stok_fake_server_queue_reply (server, 429, "application/json", "{\"error\": \"slow\"}", -1);
  queued = fetch (url, path, "k");
  g_assert_cmpuint (queued->status, ==, 429);
  g_assert_cmpstr (json_object_get_string_member (response_get_object (queued), "error"), ==, "slow");
  after_queue = fetch (url, path, "k");
  g_assert_cmpuint (after_queue->status, ==, 200);

  /* A standing reply answers every request, with its bytes as given. */
  stok_fake_server_set_reply (server, 500, "text/plain", "oops\0!", 6);
  standing1 = fetch (url, path, "k");
  standing2 = fetch (url, path, "k");
  g_assert_cmpuint (standing1->status, ==, 500);
  g_assert_cmpuint (standing2->status, ==, 500);
  g_assert_cmpmem (g_bytes_get_data (standing2->body, NULL), g_bytes_get_size (standing2->body), "oops\0!", 6);
  g_assert_cmpstr (soup_message_headers_get_content_type (standing2->headers, NULL), ==, "text/plain");

  stok_fake_server_clear_replies (server);
  cleared = fetch (url, path, "k");
  g_assert_cmpuint (cleared->status, ==, 200);

  g_assert_cmpuint (stok_fake_server_get_n_tokens (server), ==, 2);
  g_assert_cmpuint (stok_fake_server_get_request_count (server), ==, 5);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_canned_replies (void)
{
  static const struct {
    StokFakeReply reply;
    guint status;
    gboolean json_object;
  } cases[] = {
    { STOK_FAKE_REPLY_EMPTY, 200, FALSE },
    { STOK_FAKE_REPLY_MALFORMED_JSON, 200, FALSE },
    { STOK_FAKE_REPLY_NOT_JSON, 200, FALSE },
    { STOK_FAKE_REPLY_ARRAY, 200, FALSE },
    { STOK_FAKE_REPLY_MISSING_TOKEN, 200, TRUE },
    { STOK_FAKE_REPLY_MISSING_EXPIRES, 200, TRUE },
    { STOK_FAKE_REPLY_TOKEN_NOT_STRING, 200, TRUE },
    { STOK_FAKE_REPLY_EXPIRES_NOT_INTEGER, 200, TRUE },
    { STOK_FAKE_REPLY_GATEWAY_HTML, 502, FALSE },
  };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Response) response = NULL;

      stok_fake_server_set_canned_reply (server, cases[i].reply);
      response = fetch (stok_fake_server_get_url (server), "/v3/token?expires_in_seconds=60", "k");
      g_assert_cmpuint (response->status, ==, cases[i].status);

      /* Each breaks the spec in exactly its own way. */
      if (cases[i].json_object)
        {
          JsonObject *object = response_get_object (response);
          JsonNode *token = json_object_get_member (object, "token");
          JsonNode *expires = json_object_get_member (object, "expires_in_seconds");
          gboolean token_ok = token != NULL && json_node_get_value_type (token) == G_TYPE_STRING;
          gboolean expires_ok = expires != NULL && json_node_get_value_type (expires) == G_TYPE_INT64;

          g_assert_true (token_ok != expires_ok);
        }
      else
        {
          g_assert_true (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json));
        }
    }

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_huge_and_chunked (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(Response) sized = NULL;
  g_autoptr(Response) chunked = NULL;

  stok_fake_server_set_huge_reply (server, 100000);
  sized = fetch (stok_fake_server_get_url (server), "/v3/token?expires_in_seconds=60", "k");
  g_assert_cmpuint (g_bytes_get_size (sized->body), ==, 100000);
  g_assert_cmpint (soup_message_headers_get_content_length (sized->headers), ==, 100000);
  /* Still a token reply: only its size is wrong. */
  g_assert_true (json_object_has_member (response_get_object (sized), "token"));

  stok_fake_server_set_chunked (server, TRUE);
  chunked = fetch (stok_fake_server_get_url (server), "/v3/token?expires_in_seconds=60", "k");
  g_assert_cmpuint (g_bytes_get_size (chunked->body), ==, 100000);
  g_assert_cmpint (soup_message_headers_get_encoding (chunked->headers), ==, SOUP_ENCODING_CHUNKED);
  g_assert_null (soup_message_headers_get_one (chunked->headers, "Content-Length"));

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_extra_header (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(Response) with = NULL;
  g_autoptr(Response) without = NULL;

  stok_fake_server_set_extra_header (server, "Retry-After", "7");
  with = fetch (stok_fake_server_get_url (server), "/v3/token?expires_in_seconds=60", "k");
  g_assert_cmpstr (soup_message_headers_get_one (with->headers, "Retry-After"), ==, "7");

  stok_fake_server_set_extra_header (server, "Retry-After", NULL);
  without = fetch (stok_fake_server_get_url (server), "/v3/token?expires_in_seconds=60", "k");
  g_assert_null (soup_message_headers_get_one (without->headers, "Retry-After"));

  g_assert_finalize_object (g_steal_pointer (&server));
}

static gboolean
tick_cb (gpointer user_data)
{
  guint *ticks = user_data;

  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

static void
test_delay (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(Response) response = NULL;
  guint ticks = 0;
  guint tick_id;
  gint64 start;

  stok_fake_server_set_delay (server, 500);
  tick_id = g_timeout_add (50, tick_cb, &ticks);

  start = g_get_monotonic_time ();
  response = fetch (stok_fake_server_get_url (server), "/v3/token?expires_in_seconds=60", "k");
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 500 * 1000);
  /* The main loop kept running while the answer was held back. */
  g_assert_cmpuint (ticks, >=, 3);

  g_source_remove (tick_id);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_dispose_while_delayed (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (stok_fake_server_get_url (server), "/v3/token?expires_in_seconds=60", NULL);

  stok_fake_server_set_delay (server, 10000);
  message = soup_message_new (SOUP_METHOD_GET, url);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", "k");
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, stok_test_result_cb, &result);
  while (stok_fake_server_get_request_count (server) == 0)
    g_main_context_iteration (NULL, TRUE);

  /* Going away with an answer still held back neither crashes nor leaves
   * the client waiting for ten seconds. */
  g_assert_finalize_object (g_steal_pointer (&server));
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_nonnull (error);
}

static void
test_executable (void)
{
  const char *path = g_getenv ("STOK_FAKE_SERVER");
  g_autofree char *fallback = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GRegex) url_regex = NULL;
  g_autoptr(Response) accepted = NULL;
  g_autoptr(Response) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (path == NULL)
    path = fallback = g_test_build_filename (G_TEST_BUILT, "fake-token-server", NULL);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              path, "--key=sk-demo", "--delay-ms=10", NULL);
  g_assert_no_error (error);

  /* The first line is the base URL, flushed at once. */
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  url_regex = g_regex_new ("^http://127\\.0\\.0\\.1:[0-9]+$", 0, 0, NULL);
  g_assert_true (g_regex_match (url_regex, url, 0, NULL));

  accepted = fetch (url, "/v3/token?expires_in_seconds=60", "sk-demo");
  g_assert_cmpuint (accepted->status, ==, 200);
  refused = fetch (url, "/v3/token?expires_in_seconds=60", "sk-other");
  g_assert_cmpuint (refused->status, ==, 401);

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fake-server/url", test_url);
  g_test_add_func ("/fake-server/mint", test_mint);
  g_test_add_func ("/fake-server/unauthorized", test_unauthorized);
  g_test_add_func ("/fake-server/invalid-parameters", test_invalid_parameters);
  g_test_add_func ("/fake-server/boundaries-accepted", test_boundaries_accepted);
  g_test_add_func ("/fake-server/other-paths", test_other_paths);
  g_test_add_func ("/fake-server/replies", test_replies);
  g_test_add_func ("/fake-server/canned-replies", test_canned_replies);
  g_test_add_func ("/fake-server/huge-and-chunked", test_huge_and_chunked);
  g_test_add_func ("/fake-server/extra-header", test_extra_header);
  g_test_add_func ("/fake-server/delay", test_delay);
  g_test_add_func ("/fake-server/dispose-while-delayed", test_dispose_while_delayed);
  g_test_add_func ("/fake-server/executable", test_executable);

  return g_test_run ();
}
