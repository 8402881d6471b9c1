/* fuzz-common.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdint.h>
#include <stdlib.h>

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  g_log_writer_default (log_level & ~G_LOG_FLAG_FATAL, fields, n_fields, user_data);

  /* GLib ends a fatal message with a breakpoint (SIGTRAP), which neither
   * libFuzzer nor ASan catch: abort instead, so the input is kept. */
  if (log_level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR |
                   G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();

  return G_LOG_WRITER_HANDLED;
}

/* A critical or a warning means the code under test was handed something
 * it did not expect: that is a finding, not noise. */
static inline void
fuzz_init (void)
{
  static gboolean initialized;

  if (initialized)
    return;
  initialized = TRUE;

  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

/* The input as a C string: libFuzzer's buffer is not NUL-terminated. */
static inline char *
fuzz_dup_string (const uint8_t *data,
                 size_t         size)
{
  return g_strndup ((const char *) data, size);
}

/* What reaches a label or a terminal: valid UTF-8 on one line. */
static inline gboolean
fuzz_is_printable_line (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20 || (guchar) *p == 0x7f)
      return FALSE;

  return TRUE;
}

/* What is shown or copied as JSON: valid UTF-8 that parses. */
static inline void
fuzz_assert_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;

  g_assert (g_utf8_validate (text, -1, NULL));
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
}

G_END_DECLS
