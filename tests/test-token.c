/* test-token.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The token reply, the redemption window as it runs down, and how time is
 * written for people. */

#include "config.h"

#include <math.h>

#include <json-glib/json-glib.h>
#include <string.h>

#include "stok-clock.h"
#include "stok-error.h"
#include "stok-params.h"
#include "stok-token.h"

#define JWT "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJqdGkiOiJ0ZXN0In0.c2lnbmF0dXJl"
#define SECONDS(s) ((gint64) ((s) * (double) G_USEC_PER_SEC))

static StokToken *
parse (const char  *body,
       GError     **error)
{
  return stok_token_parse_reply (body, strlen (body), error);
}

static void
test_parse_good (void)
{
  static const struct {
    const char *body;
    const char *token;
    gint64 expires_in;
  } cases[] = {
    { "{\"token\": \"" JWT "\", \"expires_in_seconds\": 60}", JWT, 60 },
    { "{\"expires_in_seconds\":1,\"token\":\"a\"}", "a", 1 },
    { "{\"token\": \"" JWT "\", \"expires_in_seconds\": 600}", JWT, 600 },
    /* Members the spec does not know about are no reason to refuse. */
    { "{\"token\": \"t\", \"expires_in_seconds\": 30, \"session_id\": null, \"extra\": [1, 2]}", "t", 30 },
    { "\n  {\n \"token\" : \"t-_.~\" ,\n \"expires_in_seconds\" : 45 }\n", "t-_.~", 45 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StokToken) token = NULL;

      g_test_message ("%s", cases[i].body);
      token = parse (cases[i].body, &error);
      g_assert_no_error (error);
      g_assert_nonnull (token);
      g_assert_cmpstr (stok_token_get_token (token), ==, cases[i].token);
      g_assert_cmpint (stok_token_get_expires_in_seconds (token), ==, cases[i].expires_in);
      /* The session cap is not in the reply: the API's default until told. */
      g_assert_cmpint (stok_token_get_max_session_seconds (token), ==, 10800);
      g_assert_finalize_object (g_steal_pointer (&token));
    }
}

static void
test_parse_longest_token (void)
{
  g_autoptr(GString) body = g_string_new ("{\"token\": \"");
  g_autoptr(GError) error = NULL;
  g_autoptr(StokToken) token = NULL;

  for (guint i = 0; i < STOK_TOKEN_MAX_LENGTH; i++)
    g_string_append_c (body, 'a' + i % 26);
  g_string_append (body, "\", \"expires_in_seconds\": 60}");

  token = stok_token_parse_reply (body->str, body->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (stok_token_get_token (token)), ==, STOK_TOKEN_MAX_LENGTH);
}

static void
test_parse_bad (void)
{
  static const struct {
    const char *body;
    const char *mentions;
  } cases[] = {
    { "", NULL },
    { "<html><body>502 Bad Gateway</body></html>", NULL },
    { "Service Unavailable", NULL },
    { "{\"token\": \"abc\"", NULL },
    { "{\"token\": \"abc\", \"expires_in_seconds\": 60} trailing", NULL },
    { "[{\"token\": \"" JWT "\", \"expires_in_seconds\": 60}]", NULL },
    { "\"" JWT "\"", NULL },
    { "null", NULL },
    { "60", NULL },
    { "{}", "token" },
    { "{\"expires_in_seconds\": 60}", "token" },
    { "{\"token\": null, \"expires_in_seconds\": 60}", "token" },
    { "{\"token\": 12345, \"expires_in_seconds\": 60}", "token" },
    { "{\"token\": true, \"expires_in_seconds\": 60}", "token" },
    { "{\"token\": {\"value\": \"" JWT "\"}, \"expires_in_seconds\": 60}", "token" },
    { "{\"token\": [\"" JWT "\"], \"expires_in_seconds\": 60}", "token" },
    { "{\"token\": \"\", \"expires_in_seconds\": 60}", "token" },
    { "{\"token\": \"abc def\", \"expires_in_seconds\": 60}", "token" },
    { "{\"token\": \" " JWT "\", \"expires_in_seconds\": 60}", "token" },
    { "{\"token\": \"" JWT "\\n\", \"expires_in_seconds\": 60}", "token" },
    { "{\"token\": \"abc\\u0007def\", \"expires_in_seconds\": 60}", "token" },
    { "{\"token\": \"abc\\u001b[31mdef\", \"expires_in_seconds\": 60}", "token" },
    { "{\"token\": \"abc\\u007fdef\", \"expires_in_seconds\": 60}", "token" },
    { "{\"token\": \"t\\u00f6k\\u00e9n\", \"expires_in_seconds\": 60}", "token" },
    { "{\"token\": \"" JWT "\"}", "expires_in_seconds" },
    { "{\"token\": \"" JWT "\", \"expires_in_seconds\": null}", "expires_in_seconds" },
    { "{\"token\": \"" JWT "\", \"expires_in_seconds\": -60}", "expires_in_seconds" },
    { "{\"token\": \"" JWT "\", \"expires_in_seconds\": 0}", "expires_in_seconds" },
    { "{\"token\": \"" JWT "\", \"expires_in_seconds\": 60.5}", "expires_in_seconds" },
    { "{\"token\": \"" JWT "\", \"expires_in_seconds\": \"60\"}", "expires_in_seconds" },
    { "{\"token\": \"" JWT "\", \"expires_in_seconds\": true}", "expires_in_seconds" },
    { "{\"token\": \"" JWT "\", \"expires_in_seconds\": [60]}", "expires_in_seconds" },
    { "{\"token\": \"" JWT "\", \"expires_in_seconds\": 601}", "expires_in_seconds" },
    { "{\"token\": \"" JWT "\", \"expires_in_seconds\": 3600}", "expires_in_seconds" },
    { "{\"token\": \"" JWT "\", \"expires_in_seconds\": 99999999999999999999}", "expires_in_seconds" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StokToken) token = NULL;

      g_test_message ("%s", cases[i].body);
      token = parse (cases[i].body, &error);
      g_assert_null (token);
      g_assert_error (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE);
      g_assert_cmpstr (error->message, !=, "");
      /* The message says which member is wrong, for the Inspector. */
      if (cases[i].mentions != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].mentions));
    }
}

static void
test_parse_too_long_token (void)
{
  g_autoptr(GString) body = g_string_new ("{\"token\": \"");
  g_autoptr(GError) error = NULL;
  g_autoptr(StokToken) token = NULL;

  for (guint i = 0; i < STOK_TOKEN_MAX_LENGTH + 1; i++)
    g_string_append_c (body, 'a');
  g_string_append (body, "\", \"expires_in_seconds\": 60}");

  token = stok_token_parse_reply (body->str, body->len, &error);
  g_assert_null (token);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE);
  g_assert_nonnull (strstr (error->message, "8192"));
}

static void
test_parse_not_nul_terminated (void)
{
  static const char body[] = "{\"token\": \"abc\", \"expires_in_seconds\": 60}GARBAGE";
  g_autoptr(GError) error = NULL;
  g_autoptr(StokToken) token = NULL;

  /* Only @length bytes count: a body is a buffer, not a C string. */
  token = stok_token_parse_reply (body, strlen (body) - strlen ("GARBAGE"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stok_token_get_token (token), ==, "abc");
}

static void
changed_cb (StokClock *clock,
            guint     *count)
{
  (*count)++;
}

static void
test_remaining_manual_clock (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (SECONDS (1000));
  g_autoptr(StokToken) token = stok_token_new (JWT, 60);
  g_autofree char *start = NULL;
  g_autofree char *half = NULL;
  g_autofree char *last = NULL;
  g_autofree char *end = NULL;
  guint changed = 0;

  g_signal_connect (clock, "changed", G_CALLBACK (changed_cb), &changed);

  stok_token_set_sent_at (token, stok_clock_get_time (clock), NULL);
  g_assert_cmpint (stok_token_get_sent_at (token), ==, SECONDS (1000));
  g_assert_cmpint (stok_token_get_deadline (token), ==, SECONDS (1060));

  g_assert_cmpint (stok_token_get_remaining (token, stok_clock_get_time (clock)), ==, SECONDS (60));
  g_assert_cmpint (stok_token_get_state (token, stok_clock_get_time (clock)), ==, STOK_TOKEN_STATE_REDEEMABLE);
  start = stok_format_countdown (stok_token_get_remaining (token, stok_clock_get_time (clock)));
  g_assert_cmpstr (start, ==, "1:00");

  stok_clock_advance (clock, SECONDS (30));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (stok_token_get_remaining (token, stok_clock_get_time (clock)), ==, SECONDS (30));
  half = stok_format_countdown (stok_token_get_remaining (token, stok_clock_get_time (clock)));
  g_assert_cmpstr (half, ==, "0:30");

  /* Half a second left still reads as a second, and is still usable. */
  stok_clock_advance (clock, SECONDS (29.5));
  g_assert_cmpint (stok_token_get_remaining (token, stok_clock_get_time (clock)), ==, SECONDS (0.5));
  g_assert_cmpint (stok_token_get_state (token, stok_clock_get_time (clock)), ==, STOK_TOKEN_STATE_REDEEMABLE);
  last = stok_format_countdown (stok_token_get_remaining (token, stok_clock_get_time (clock)));
  g_assert_cmpstr (last, ==, "0:01");

  stok_clock_advance (clock, SECONDS (0.5));
  g_assert_cmpint (stok_token_get_remaining (token, stok_clock_get_time (clock)), ==, 0);
  g_assert_cmpint (stok_token_get_state (token, stok_clock_get_time (clock)), ==, STOK_TOKEN_STATE_EXPIRED);
  end = stok_format_countdown (stok_token_get_remaining (token, stok_clock_get_time (clock)));
  g_assert_cmpstr (end, ==, "0:00");
  g_assert_cmpuint (changed, ==, 3);
}

static void
test_remaining_after_suspend (void)
{
  g_autoptr(StokClock) clock = stok_clock_new_manual (SECONDS (5));
  g_autoptr(StokToken) token = stok_token_new (JWT, 600);

  stok_token_set_sent_at (token, stok_clock_get_time (clock), NULL);
  stok_clock_advance (clock, SECONDS (10));
  g_assert_cmpint (stok_token_get_remaining (token, stok_clock_get_time (clock)), ==, SECONDS (590));

  /* A lid closed for an hour: the window ran out on the server meanwhile,
   * and the token must read as expired at once, never as time left. */
  stok_clock_advance (clock, SECONDS (3600));
  g_assert_cmpint (stok_token_get_remaining (token, stok_clock_get_time (clock)), ==, 0);
  g_assert_cmpint (stok_token_get_state (token, stok_clock_get_time (clock)), ==, STOK_TOKEN_STATE_EXPIRED);
}

static void
test_default_clock (void)
{
  StokClock *clock = stok_clock_get_default ();
  gint64 before;
  gint64 after;

  g_assert_true (clock == stok_clock_get_default ());

  before = stok_clock_get_time (clock);
  g_usleep (50 * 1000);
  after = stok_clock_get_time (clock);

  g_assert_cmpint (after - before, >=, 50 * 1000);
  g_assert_cmpint (after - before, <, 10 * G_USEC_PER_SEC);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_states (void)
{
  g_autoptr(StokToken) redeemed = stok_token_new (JWT, 60);
  g_autoptr(StokToken) rejected = stok_token_new (JWT, 60);
  gint64 now = SECONDS (100);
  guint notified = 0;

  stok_token_set_sent_at (redeemed, now, NULL);
  stok_token_set_sent_at (rejected, now, NULL);
  g_signal_connect (redeemed, "notify::redeemed-state", G_CALLBACK (notify_cb), &notified);

  /* Tokens are single-use: once redeemed, time left no longer matters. */
  stok_token_set_redeemed (redeemed, TRUE);
  g_assert_cmpint (stok_token_get_state (redeemed, now), ==, STOK_TOKEN_STATE_REDEEMED);
  g_assert_cmpint (stok_token_get_state (redeemed, now + SECONDS (3600)), ==, STOK_TOKEN_STATE_REDEEMED);
  g_assert_cmpuint (notified, ==, 1);
  stok_token_set_redeemed (redeemed, TRUE);
  g_assert_cmpuint (notified, ==, 1);

  stok_token_set_redeemed (rejected, FALSE);
  g_assert_cmpint (stok_token_get_state (rejected, now), ==, STOK_TOKEN_STATE_REJECTED);
}

static void
test_to_json (void)
{
  g_autoptr(StokToken) token = stok_token_new (JWT, 120);
  g_autoptr(GDateTime) sent = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  JsonObject *object;

  stok_token_set_sent_at (token, SECONDS (1), sent);
  stok_token_set_max_session_seconds (token, 600);
  stok_token_set_server (token, "http://127.0.0.1:8080");

  json = stok_token_to_json (token, SECONDS (2));
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (json_object_get_string_member (object, "token"), ==, JWT);
  g_assert_cmpint (json_object_get_int_member (object, "expires_in_seconds"), ==, 120);
  g_assert_cmpint (json_object_get_int_member (object, "max_session_duration_seconds"), ==, 600);
  g_assert_cmpstr (json_object_get_string_member (object, "server"), ==, "http://127.0.0.1:8080");
  /* The window ends expires_in_seconds after the request was sent. */
  g_assert_cmpstr (json_object_get_string_member (object, "expires_at"), ==, "2026-01-02T03:06:05Z");
}

static void
test_max_session (void)
{
  g_autoptr(StokToken) token = stok_token_new (JWT, 60);

  stok_token_set_max_session_seconds (token, 600);
  g_assert_cmpint (stok_token_get_max_session_seconds (token), ==, 600);
  /* 0 means none was asked for: the server's default applies. */
  stok_token_set_max_session_seconds (token, 0);
  g_assert_cmpint (stok_token_get_max_session_seconds (token), ==, 10800);
}

static void
test_format_duration (void)
{
  static const struct {
    gint64 seconds;
    const char *text;
  } cases[] = {
    { 0, "0 s" },
    { 1, "1 s" },
    { 45, "45 s" },
    { 59, "59 s" },
    { 60, "1 min" },
    { 90, "1 min 30 s" },
    { 600, "10 min" },
    { 3599, "59 min 59 s" },
    { 3600, "1 h" },
    { 3660, "1 h 1 min" },
    { 3661, "1 h 1 min 1 s" },
    { 5400, "1 h 30 min" },
    { 10800, "3 h" },
    { -5, "0 s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = stok_format_duration (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* Every latency shown rounds the same way: a turn's 549.5 ms and a
 * median of it both read 550 ms, as the figures' %.0f had it. */
static void
test_round_ms (void)
{
  g_assert_cmpint (stok_round_ms (0), ==, 0);
  g_assert_cmpint (stok_round_ms (499), ==, 0);
  g_assert_cmpint (stok_round_ms (549499), ==, 549);
  g_assert_cmpint (stok_round_ms (549500), ==, 550);
  g_assert_cmpint (stok_round_ms (549999), ==, 550);
  g_assert_cmpint (stok_round_ms (-1), ==, 0);
  g_assert_cmpint (stok_round_ms (G_MAXINT64), ==, G_MAXINT);
}

/* A server's seconds, as precise as it gave them. */
static void
test_format_seconds (void)
{
  static const struct {
    double seconds;
    const char *text;
  } cases[] = {
    { 0, "0" },
    { 6, "6" },
    { 6.1, "6.1" },
    { 6.10, "6.1" },
    { 1.95, "1.95" },
    { 7.846, "7.85" },
    { 10799.999, "10800" },
    { -1, "0" },
    /* A server's nonsense, which converted to hundredths overflowed. */
    { 1e300, "1000000000000" },
    { INFINITY, "1000000000000" },
    { NAN, "0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = stok_format_seconds (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_countdown (void)
{
  static const struct {
    gint64 remaining_us;
    const char *text;
  } cases[] = {
    { SECONDS (600), "10:00" },
    { SECONDS (60), "1:00" },
    { SECONDS (59.2), "1:00" },
    { SECONDS (59), "0:59" },
    { SECONDS (61.5), "1:02" },
    { SECONDS (10), "0:10" },
    { SECONDS (9.001), "0:10" },
    { 1, "0:01" },
    { 0, "0:00" },
    { -1, "0:00" },
    { -SECONDS (30), "0:00" },
    { SECONDS (3599), "59:59" },
    { SECONDS (3599.5), "1:00:00" },
    { SECONDS (3661), "1:01:01" },
    { SECONDS (10800), "3:00:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = stok_format_countdown (cases[i].remaining_us);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_pasted (void)
{
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;
  const char *bad[] = { "", "  \n", "eyJ with space", "eyJ\ttab", "eyJ\x7f", "eyJ\xc3\xa9", "\"\"", "\"eyJ", "'eyJ\"" };
  /* Copied from a JSON value or a shell line: the quotes go too. */
  const char *quoted[] = { "\"eyJhbGciOiJIUzI1NiJ9.e30.sig\"", " 'eyJhbGciOiJIUzI1NiJ9.e30.sig'\n", "\" eyJhbGciOiJIUzI1NiJ9.e30.sig \"" };
  /* The token endpoint's reply, the WebSocket URL Copy As gives, an
   * Authorization header's value: the token is taken out. */
  const char *wrapped[] = {
    "{\"token\": \"eyJhbGciOiJIUzI1NiJ9.e30.sig\", \"expires_in_seconds\": 60}\n",
    "wss://streaming.assemblyai.com/v3/ws?sample_rate=16000&token=eyJhbGciOiJIUzI1NiJ9.e30.sig&encoding=pcm_s16le",
    "ws://127.0.0.1:8080/v3/ws?token=eyJhbGciOiJIUzI1NiJ9.e30.sig",
    "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig",
  };

  /* From the user's own backend: spaces around it go, the window is not
   * known, and it stays redeemable until the server says otherwise. */
  token = stok_token_new_pasted ("  eyJhbGciOiJIUzI1NiJ9.e30.sig\r\n", "https://streaming.eu.assemblyai.com", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stok_token_get_token (token), ==, "eyJhbGciOiJIUzI1NiJ9.e30.sig");
  g_assert_cmpstr (stok_token_get_server (token), ==, "https://streaming.eu.assemblyai.com");
  g_assert_false (stok_token_get_expiry_known (token));
  g_assert_cmpint (stok_token_get_remaining (token, G_MAXINT64 / 2), ==, -1);
  g_assert_cmpint (stok_token_get_state (token, G_MAXINT64 / 2), ==, STOK_TOKEN_STATE_REDEEMABLE);
  stok_token_set_redeemed (token, FALSE);
  g_assert_cmpint (stok_token_get_state (token, 0), ==, STOK_TOKEN_STATE_REJECTED);

  for (guint i = 0; i < G_N_ELEMENTS (quoted); i++)
    {
      g_autoptr(StokToken) unquoted = stok_token_new_pasted (quoted[i], STOK_DEFAULT_SERVER, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (stok_token_get_token (unquoted), ==, "eyJhbGciOiJIUzI1NiJ9.e30.sig");
    }

  for (guint i = 0; i < G_N_ELEMENTS (wrapped); i++)
    {
      g_autoptr(StokToken) unwrapped = stok_token_new_pasted (wrapped[i], STOK_DEFAULT_SERVER, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (stok_token_get_token (unwrapped), ==, "eyJhbGciOiJIUzI1NiJ9.e30.sig");
    }

  /* Copied with the wrong part of what holds it: said what it is. */
  token = stok_token_new_pasted ("{\"expires_in_seconds\": 60}", STOK_DEFAULT_SERVER, &error);
  g_assert_null (token);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (error->message, ==, "This is JSON with no “token” string in it: paste the token’s value.");
  g_clear_error (&error);
  token = stok_token_new_pasted ("wss://streaming.assemblyai.com/v3/ws?sample_rate=16000", STOK_DEFAULT_SERVER, &error);
  g_assert_null (token);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (error->message, ==, "This is an address with no token= in it: paste the token itself.");
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(StokToken) refused = stok_token_new_pasted (bad[i], STOK_DEFAULT_SERVER, &error);

      g_assert_null (refused);
      g_assert_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER);
      g_clear_error (&error);
    }
}

static void
test_countdown_until_change (void)
{
  const struct {
    gint64 remaining_us;
    gint64 until_us;
  } cases[] = {
    /* "1:00" until 59 s are left, then "0:59". */
    { 60 * G_USEC_PER_SEC, G_USEC_PER_SEC },
    { 59 * G_USEC_PER_SEC + 200000, 200000 },
    { 59 * G_USEC_PER_SEC + 1, 1 },
    /* "0:01" until nothing is left: the end is a change too. */
    { 700000, 700000 },
    { 1, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *before = stok_format_countdown (cases[i].remaining_us);
      g_autofree char *just_before = stok_format_countdown (cases[i].remaining_us - cases[i].until_us + 1);
      g_autofree char *after = stok_format_countdown (cases[i].remaining_us - cases[i].until_us);

      g_assert_cmpint (stok_countdown_until_change (cases[i].remaining_us), ==, cases[i].until_us);
      /* What is shown holds until then, and changes then. */
      g_assert_cmpstr (before, ==, just_before);
      g_assert_cmpstr (before, !=, after);
    }
}

static void
test_format_date_time (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) december = g_date_time_new (utc, 2026, 12, 2, 18, 49, 2);
  g_autoptr(GDateTime) february = g_date_time_new (utc, 2026, 2, 12, 8, 5, 9);
  g_autofree char *december_text = stok_format_date_time (december);
  g_autofree char *february_text = stok_format_date_time (february);

  /* The month in words, so that the two cannot be taken for each other;
   * the day unpadded, the time to the second. */
  g_assert_cmpstr (december_text, ==, "2 Dec, 18:49:02");
  g_assert_cmpstr (february_text, ==, "12 Feb, 08:05:09");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/token/parse/good", test_parse_good);
  g_test_add_func ("/token/parse/longest-token", test_parse_longest_token);
  g_test_add_func ("/token/parse/bad", test_parse_bad);
  g_test_add_func ("/token/parse/too-long-token", test_parse_too_long_token);
  g_test_add_func ("/token/parse/not-nul-terminated", test_parse_not_nul_terminated);
  g_test_add_func ("/token/remaining/manual-clock", test_remaining_manual_clock);
  g_test_add_func ("/token/remaining/after-suspend", test_remaining_after_suspend);
  g_test_add_func ("/token/clock/default", test_default_clock);
  g_test_add_func ("/token/states", test_states);
  g_test_add_func ("/token/to-json", test_to_json);
  g_test_add_func ("/token/max-session", test_max_session);
  g_test_add_func ("/token/format/duration", test_format_duration);
  g_test_add_func ("/token/format/seconds", test_format_seconds);
  g_test_add_func ("/token/format/round-ms", test_round_ms);
  g_test_add_func ("/token/format/countdown", test_format_countdown);
  g_test_add_func ("/token/pasted", test_pasted);
  g_test_add_func ("/token/format/countdown-until-change", test_countdown_until_change);
  g_test_add_func ("/token/format/date-time", test_format_date_time);

  return g_test_run ();
}
