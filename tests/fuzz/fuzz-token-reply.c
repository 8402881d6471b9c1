/* fuzz-token-reply.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The body of a 200 reply to GET /v3/token comes from whatever server the
 * user pointed the app at. Whatever it is, the parser must either refuse it
 * with a message a person can read or return a token that holds to the
 * spec, and that token must survive its own JSON export. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "fuzz-common.h"
#include "stok-error.h"
#include "stok-params.h"
#include "stok-token.h"

static void
check_token (StokToken *token)
{
  const char *text = stok_token_get_token (token);
  gint64 expires_in = stok_token_get_expires_in_seconds (token);

  g_assert (text != NULL && *text != '\0');
  g_assert (strlen (text) <= STOK_TOKEN_MAX_LENGTH);
  for (const char *p = text; *p; p++)
    g_assert ((guchar) *p > 0x20 && (guchar) *p < 0x7f);
  g_assert (expires_in >= STOK_EXPIRES_IN_MIN && expires_in <= STOK_EXPIRES_IN_MAX);
}

/* json-glib reads numbers its own way, so compare what was accepted with
 * what the reply literally says wherever it spells the member plainly: a
 * JSON integer, in decimal, of the same value. */
static void
check_expires_as_written (const char *body,
                          gsize       length,
                          gint64      expires_in)
{
  static const char key[] = "\"expires_in_seconds\"";
  const char *end = body + length;
  gboolean spelled = FALSE;

  for (const char *p = body;
       (p = g_strstr_len (p, end - p, key)) != NULL;
       p += strlen (key))
    {
      const char *digits = p + strlen (key);
      const char *q;
      g_autofree char *number = NULL;

      while (digits < end && g_ascii_isspace (*digits))
        digits++;
      if (digits == end || *digits != ':')
        continue;
      digits++;
      while (digits < end && g_ascii_isspace (*digits))
        digits++;

      q = digits < end && *digits == '-' ? digits + 1 : digits;
      while (q < end && g_ascii_isdigit (*q))
        q++;
      if (q == digits)
        continue;

      spelled = TRUE;
      number = g_strndup (digits, q - digits);
      if ((q == end || (*q != '\0' && strchr (",} \t\r\n", *q) != NULL)) &&
          (number[0] != '0' || number[1] == '\0') &&
          g_ascii_strtoll (number, NULL, 10) == expires_in)
        return;
    }

  /* Spelled with escapes in the name, or not at all: nothing to compare. */
  g_assert (!spelled);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(StokToken) token = NULL;
  g_autoptr(StokToken) again = NULL;
  g_autoptr(GDateTime) sent_at = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  fuzz_init ();

  token = stok_token_parse_reply ((const char *) data, size, &error);
  if (token == NULL)
    {
      g_assert (g_error_matches (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE));
      /* The message is shown in the window and the terminal as it is. */
      g_assert (fuzz_is_printable_line (error->message));
      return 0;
    }

  g_assert_no_error (error);
  check_token (token);
  check_expires_as_written ((const char *) data, size,
                            stok_token_get_expires_in_seconds (token));

  /* What the app does with a fresh token before showing or exporting it. */
  sent_at = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
  stok_token_set_sent_at (token, 1000000, sent_at);
  stok_token_set_max_session_seconds (token, STOK_MAX_SESSION_MAX);
  stok_token_set_server (token, STOK_DEFAULT_SERVER);

  json = stok_token_to_json (token, 2000000);
  g_assert (json != NULL);

  /* The export is a reply in its own right: the same token must come back. */
  again = stok_token_parse_reply (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stok_token_get_token (again), ==, stok_token_get_token (token));
  g_assert_cmpint (stok_token_get_expires_in_seconds (again), ==,
                   stok_token_get_expires_in_seconds (token));

  return 0;
}
