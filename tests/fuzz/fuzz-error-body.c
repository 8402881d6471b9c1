/* fuzz-error-body.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* An error reply's body and its Retry-After header are the server's words,
 * shown in the window, the inspector and the terminal. Whatever they are,
 * what comes out must be readable text, and `details` must stay JSON. */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "stok-exchange.h"

static void
fuzz_error_body (const uint8_t *data,
                 size_t         size)
{
  g_autofree char *message = NULL;
  g_autofree char *code = NULL;
  g_autofree char *details = NULL;
  gboolean found;

  found = stok_parse_error_body ((const char *) data, size, &message, &code, &details);

  g_assert (found == (message != NULL));
  if (message != NULL)
    g_assert (fuzz_is_printable_line (message));
  if (code != NULL)
    g_assert (fuzz_is_printable_line (code));
  if (details != NULL)
    fuzz_assert_json (details);
}

static void
fuzz_body_text (const uint8_t *data,
                size_t         size)
{
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;

  /* The inspector shows every body through this, error or not. */
  exchange = stok_exchange_new ("GET", "https://streaming.assemblyai.com/v3/token");
  body = g_bytes_new (data, size);
  stok_exchange_set_body (exchange, body);
  text = stok_exchange_dup_body_text (exchange);
  g_assert (text != NULL);
  g_assert (g_utf8_validate (text, -1, NULL));

  stok_exchange_parse_error_body (exchange);
}

static void
fuzz_retry_after (const uint8_t *data,
                  size_t         size)
{
  g_autofree char *value = fuzz_dup_string (data, size);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
  gint64 seconds;

  seconds = stok_parse_retry_after (value, now);
  g_assert (seconds == -1 || (seconds >= 0 && seconds <= 86400));

  seconds = stok_parse_retry_after (value, NULL);
  g_assert (seconds == -1 || (seconds >= 0 && seconds <= 86400));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_init ();

  fuzz_error_body (data, size);
  fuzz_body_text (data, size);
  fuzz_retry_after (data, size);

  return 0;
}
