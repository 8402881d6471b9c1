/* test-exchange.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the Inspector shows of an exchange: the server's own error fields,
 * how long to wait after a 429, and never the key. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "stok-exchange.h"

static gboolean
parse_error (const char  *body,
             char       **out_error,
             char       **out_code,
             char       **out_details)
{
  return stok_parse_error_body (body, body != NULL ? strlen (body) : 0,
                                out_error, out_code, out_details);
}

static void
test_error_body_full (void)
{
  static const char body[] =
    "{\"error\": \"expires_in_seconds must be between 1 and 600\","
    " \"code\": \"invalid_parameter\","
    " \"details\": {\"parameter\": \"expires_in_seconds\", \"maximum\": 600}}";
  g_autofree char *error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *details = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_true (parse_error (body, &error, &code, &details));
  g_assert_cmpstr (error, ==, "expires_in_seconds must be between 1 and 600");
  g_assert_cmpstr (code, ==, "invalid_parameter");
  g_assert_nonnull (details);

  /* Details stay structured JSON, not flattened into words. */
  g_assert_true (json_parser_load_from_data (parser, details, -1, NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "parameter"), ==, "expires_in_seconds");
  g_assert_cmpint (json_object_get_int_member (object, "maximum"), ==, 600);
}

static void
test_error_body_minimal (void)
{
  g_autofree char *error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *details = NULL;

  g_assert_true (parse_error ("{\"error\": \"Authentication error, API token missing/invalid\"}",
                              &error, &code, &details));
  g_assert_cmpstr (error, ==, "Authentication error, API token missing/invalid");
  g_assert_null (code);
  g_assert_null (details);

  /* The out arguments are optional. */
  g_assert_true (parse_error ("{\"error\": \"x\"}", NULL, NULL, NULL));
}

static void
test_error_body_odd_types (void)
{
  g_autofree char *error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *details = NULL;

  /* A numeric code is still worth showing; details of any JSON type too. */
  g_assert_true (parse_error ("{\"error\": \"Too many\", \"code\": 429, \"details\": [\"a\"]}",
                              &error, &code, &details));
  g_assert_cmpstr (error, ==, "Too many");
  g_assert_cmpstr (code, ==, "429");
  g_assert_nonnull (strstr (details, "\"a\""));
  g_clear_pointer (&error, g_free);
  g_clear_pointer (&code, g_free);
  g_clear_pointer (&details, g_free);

  /* Members of the wrong type are ignored, not trusted. */
  g_assert_false (parse_error ("{\"error\": 42, \"code\": {\"x\": 1}, \"details\": null}",
                               &error, &code, &details));
  g_assert_null (error);
  g_assert_null (code);
  g_assert_null (details);
}

static void
test_error_body_not_an_error (void)
{
  static const char * const bodies[] = {
    NULL,
    "",
    "<html><body><h1>502 Bad Gateway</h1></body></html>",
    "Internal Server Error",
    "[\"error\"]",
    "\"error\"",
    "{\"message\": \"Not the spec's field\"}",
    "{\"error\": ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      static char untouched[] = "untouched";
      char *error = untouched;

      g_test_message ("%s", bodies[i] ? bodies[i] : "(null)");
      g_assert_false (parse_error (bodies[i], &error, NULL, NULL));
      /* Cleared, never left pointing at what the caller had there. */
      g_assert_null (error);
    }
}

static void
test_error_body_printable (void)
{
  g_autofree char *error = NULL;

  /* A hostile server cannot move the terminal's cursor or split the one
   * line the command line prints. */
  g_assert_true (parse_error ("{\"error\": \"bad\\u001b[2J\\nkey\\r\\tnow\"}", &error, NULL, NULL));
  g_assert_null (strchr (error, '\033'));
  g_assert_null (strchr (error, '\n'));
  g_assert_null (strchr (error, '\r'));
  g_assert_nonnull (strstr (error, "bad"));
  g_assert_nonnull (strstr (error, "now"));
  g_assert_true (g_utf8_validate (error, -1, NULL));
}

static void
test_error_body_too_large (void)
{
  g_autoptr(GString) body = g_string_new ("{\"error\": \"");
  g_autofree char *error = NULL;

  while (body->len < 65 * 1024)
    g_string_append_c (body, 'x');
  g_string_append (body, "\"}");

  g_assert_false (stok_parse_error_body (body->str, body->len, &error, NULL, NULL));
  g_assert_null (error);
}

static void
test_retry_after_seconds (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2015, 10, 21, 7, 28, 0);

  g_assert_cmpint (stok_parse_retry_after ("120", now), ==, 120);
  g_assert_cmpint (stok_parse_retry_after ("0", now), ==, 0);
  g_assert_cmpint (stok_parse_retry_after (" 7 ", now), ==, 7);
  g_assert_cmpint (stok_parse_retry_after ("7", NULL), ==, 7);
  /* Capped at a day: no one waits longer, and no overflow. */
  g_assert_cmpint (stok_parse_retry_after ("999999999", now), ==, 86400);
  g_assert_cmpint (stok_parse_retry_after ("99999999999999999999999999", now), ==, 86400);

  g_assert_cmpint (stok_parse_retry_after (NULL, now), ==, -1);
  g_assert_cmpint (stok_parse_retry_after ("", now), ==, -1);
  g_assert_cmpint (stok_parse_retry_after ("soon", now), ==, -1);
  g_assert_cmpint (stok_parse_retry_after ("-5", now), ==, -1);
  g_assert_cmpint (stok_parse_retry_after ("1.5", now), ==, -1);
  g_assert_cmpint (stok_parse_retry_after ("10 s", now), ==, -1);
}

static void
test_retry_after_date (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2015, 10, 21, 7, 28, 0);

  g_assert_cmpint (stok_parse_retry_after ("Wed, 21 Oct 2015 07:30:00 GMT", now), ==, 120);
  g_assert_cmpint (stok_parse_retry_after ("Wed, 21 Oct 2015 07:28:00 GMT", now), ==, 0);
  /* A date already past means now, not a negative wait. */
  g_assert_cmpint (stok_parse_retry_after ("Wed, 21 Oct 2015 07:00:00 GMT", now), ==, 0);
  g_assert_cmpint (stok_parse_retry_after ("Thu, 22 Oct 2015 07:28:00 GMT", now), ==, 86400);
  /* The obsolete forms HTTP still allows. */
  g_assert_cmpint (stok_parse_retry_after ("Wednesday, 21-Oct-15 07:29:00 GMT", now), ==, 60);
  g_assert_cmpint (stok_parse_retry_after ("Wed Oct 21 07:28:30 2015", now), ==, 30);
  /* A date needs a "now" to mean anything. */
  g_assert_cmpint (stok_parse_retry_after ("Wed, 21 Oct 2015 07:30:00 GMT", NULL), ==, -1);
}

static void
test_key_masked (void)
{
  g_autoptr(StokExchange) exchange = NULL;
  const char *headers;

  exchange = stok_exchange_new ("GET", "https://streaming.assemblyai.com/v3/token?expires_in_seconds=60");
  stok_exchange_add_request_header (exchange, "Authorization", "sk-0123456789abcdef");
  stok_exchange_add_request_header (exchange, "authorization", "sk-lowercase-name");
  stok_exchange_add_request_header (exchange, "User-Agent", "streaming-token/0.1.0");
  headers = stok_exchange_get_request_headers (exchange);

  g_assert_null (strstr (headers, "sk-0123456789abcdef"));
  g_assert_null (strstr (headers, "sk-lowercase-name"));
  g_assert_nonnull (strstr (headers, "Authorization: " STOK_MASKED_KEY "\n"));
  g_assert_nonnull (strstr (headers, "authorization: " STOK_MASKED_KEY "\n"));
  /* Other headers are shown as sent. */
  g_assert_nonnull (strstr (headers, "User-Agent: streaming-token/0.1.0\n"));

  g_assert_cmpstr (stok_exchange_get_method (exchange), ==, "GET");
  g_assert_cmpstr (stok_exchange_get_uri (exchange), ==,
                   "https://streaming.assemblyai.com/v3/token?expires_in_seconds=60");
  g_assert_finalize_object (g_steal_pointer (&exchange));
}

static void
test_exchange_reply (void)
{
  static const char body[] = "{\"error\":\"Slow down\",\"code\":\"rate_limited\"}";
  g_autoptr(StokExchange) exchange = stok_exchange_new ("GET", "http://127.0.0.1:1/v3/token");
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  g_autofree char *text = NULL;

  g_assert_cmpuint (stok_exchange_get_status (exchange), ==, 0);
  g_assert_cmpint (stok_exchange_get_retry_after (exchange), ==, -1);

  stok_exchange_set_status (exchange, 429, "Too Many Requests");
  stok_exchange_add_response_header (exchange, "Retry-After", "7");
  stok_exchange_set_body (exchange, bytes);
  stok_exchange_set_retry_after (exchange, 7);

  g_assert_true (stok_exchange_parse_error_body (exchange));
  g_assert_cmpuint (stok_exchange_get_status (exchange), ==, 429);
  g_assert_cmpstr (stok_exchange_get_reason (exchange), ==, "Too Many Requests");
  g_assert_cmpstr (stok_exchange_get_server_error (exchange), ==, "Slow down");
  g_assert_cmpstr (stok_exchange_get_server_code (exchange), ==, "rate_limited");
  g_assert_null (stok_exchange_get_server_details (exchange));
  g_assert_cmpint (stok_exchange_get_retry_after (exchange), ==, 7);
  g_assert_nonnull (strstr (stok_exchange_get_response_headers (exchange), "Retry-After: 7\n"));

  /* The raw body is shown pretty-printed when it is JSON. */
  text = stok_exchange_dup_body_text (exchange);
  g_assert_nonnull (strstr (text, "\"error\" : \"Slow down\""));
  g_assert_nonnull (strchr (text, '\n'));
}

static void
test_exchange_body_text (void)
{
  static const char html[] = "<html>\xff\xfe broken</html>";
  g_autoptr(StokExchange) exchange = stok_exchange_new ("GET", "http://127.0.0.1:1/v3/token");
  g_autoptr(GBytes) bytes = g_bytes_new_static (html, strlen (html));
  g_autofree char *empty = NULL;
  g_autofree char *text = NULL;

  empty = stok_exchange_dup_body_text (exchange);
  g_assert_cmpstr (empty, ==, "");

  /* Not JSON, not even UTF-8: shown as it came, made safe to display. */
  stok_exchange_set_body (exchange, bytes);
  g_assert_false (stok_exchange_parse_error_body (exchange));
  g_assert_null (stok_exchange_get_server_error (exchange));
  text = stok_exchange_dup_body_text (exchange);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "<html>"));
  g_assert_true (g_str_has_suffix (text, " broken</html>"));
}

/* A server that echoes the key: every copy of it is masked, in every
 * part of the reply that the window shows or the command line prints. */
static void
test_echoed_key_masked (void)
{
  static const char body[] = "{\"error\":\"Invalid API key: sk-echo\",\"code\":\"sk-echo\","
                             "\"details\":{\"key\":\"sk-echo\"}}";
  static const char page[] = "<p>sk-echo</p>\0<p>sk-echo</p>";
  static const char clean[] = "{\"error\":\"Invalid API key\"}";
  g_autoptr(StokExchange) exchange = stok_exchange_new ("GET", "http://127.0.0.1:1/v3/token");
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  g_autoptr(GBytes) page_bytes = g_bytes_new_static (page, sizeof page - 1);
  g_autoptr(GBytes) clean_bytes = g_bytes_new_static (clean, strlen (clean));
  g_autofree char *text = NULL;
  const char *data;
  gsize length;

  stok_exchange_set_status (exchange, 401, "Unauthorized sk-echo");
  stok_exchange_add_response_header (exchange, "X-Echo", "Authorization=sk-echo;sk-echo");
  stok_exchange_set_body (exchange, bytes);
  stok_exchange_mask_secret (exchange, "sk-echo");
  g_assert_true (stok_exchange_parse_error_body (exchange));

  g_assert_cmpstr (stok_exchange_get_reason (exchange), ==, "Unauthorized " STOK_MASKED_KEY);
  g_assert_cmpstr (stok_exchange_get_response_headers (exchange), ==,
                   "X-Echo: Authorization=" STOK_MASKED_KEY ";" STOK_MASKED_KEY "\n");
  g_assert_cmpstr (stok_exchange_get_server_error (exchange), ==, "Invalid API key: " STOK_MASKED_KEY);
  g_assert_cmpstr (stok_exchange_get_server_code (exchange), ==, STOK_MASKED_KEY);
  g_assert_null (strstr (stok_exchange_get_server_details (exchange), "sk-echo"));
  text = stok_exchange_dup_body_text (exchange);
  g_assert_null (strstr (text, "sk-echo"));
  g_assert_nonnull (strstr (text, STOK_MASKED_KEY));

  /* Fields read before the masking are masked too. */
  stok_exchange_set_body (exchange, bytes);
  g_assert_true (stok_exchange_parse_error_body (exchange));
  stok_exchange_mask_secret (exchange, "sk-echo");
  g_assert_cmpstr (stok_exchange_get_server_error (exchange), ==, "Invalid API key: " STOK_MASKED_KEY);

  /* Past a NUL too, where a string search would stop. */
  stok_exchange_set_body (exchange, page_bytes);
  stok_exchange_mask_secret (exchange, "sk-echo");
  data = g_bytes_get_data (stok_exchange_get_body (exchange), &length);
  g_assert_cmpuint (length, ==, sizeof page - 1 + 2 * (strlen (STOK_MASKED_KEY) - strlen ("sk-echo")));
  g_assert_cmpmem (data + strlen (data) + 1, length - strlen (data) - 1,
                   "<p>" STOK_MASKED_KEY "</p>", strlen ("<p>" STOK_MASKED_KEY "</p>"));

  /* A reply without the key is left as it came. */
  stok_exchange_set_body (exchange, clean_bytes);
  stok_exchange_mask_secret (exchange, "sk-echo");
  g_assert_true (stok_exchange_get_body (exchange) == clean_bytes);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/exchange/error-body/full", test_error_body_full);
  g_test_add_func ("/exchange/error-body/minimal", test_error_body_minimal);
  g_test_add_func ("/exchange/error-body/odd-types", test_error_body_odd_types);
  g_test_add_func ("/exchange/error-body/not-an-error", test_error_body_not_an_error);
  g_test_add_func ("/exchange/error-body/printable", test_error_body_printable);
  g_test_add_func ("/exchange/error-body/too-large", test_error_body_too_large);
  g_test_add_func ("/exchange/retry-after/seconds", test_retry_after_seconds);
  g_test_add_func ("/exchange/retry-after/date", test_retry_after_date);
  g_test_add_func ("/exchange/key-masked", test_key_masked);
  g_test_add_func ("/exchange/echoed-key-masked", test_echoed_key_masked);
  g_test_add_func ("/exchange/reply", test_exchange_reply);
  g_test_add_func ("/exchange/body-text", test_exchange_body_text);

  return g_test_run ();
}
