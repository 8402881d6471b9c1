/* stok-json.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Every JSON document the app reads comes from a server: the token reply,
 * an error body, the streaming server's messages. They are all parsed
 * here, so that what json-glib lets through is checked in one place. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "stok-error.h"
#include "stok-json.h"

static char *
dup_printable (const char *text)
{
  char *copy = g_utf8_make_valid (text, -1);

  for (char *p = copy; *p; p++)
    if ((guchar) *p < 0x20 || (guchar) *p == 0x7f)
      *p = ' ';

  return copy;
}

/* Returns: the value of four hex digits, or -1 */
static int
parse_hex4 (const char *p)
{
  int value = 0;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }

  return value;
}

/* Moves *p past the string that starts there. json-glib takes raw
 * control characters and unknown escapes, cuts the string at \u0000 and
 * turns half a surrogate pair into bytes that are not UTF-8, which then
 * reach labels and exports: such strings are not JSON, so they are
 * refused. */
static gboolean
skip_string (const char **p,
             const char  *end)
{
  gboolean after_high_surrogate = FALSE;

  for (const char *q = *p + 1; q < end; )
    {
      int unit;

      if (after_high_surrogate && (end - q < 2 || q[0] != '\\' || q[1] != 'u'))
        return FALSE;

      if (*q == '"')
        {
          *p = q + 1;
          return TRUE;
        }

      if ((guchar) *q < 0x20)
        return FALSE;

      if (*q != '\\')
        {
          q++;
          continue;
        }

      if (end - q < 2)
        return FALSE;

      if (q[1] != 'u')
        {
          if (q[1] == '\0' || strchr ("\"\\/bfnrt", q[1]) == NULL)
            return FALSE;
          q += 2;
          continue;
        }

      if (end - q < 6 || (unit = parse_hex4 (q + 2)) <= 0)
        return FALSE;

      if (unit >= 0xdc00 && unit <= 0xdfff)
        {
          if (!after_high_surrogate)
            return FALSE;
          after_high_surrogate = FALSE;
        }
      else if (after_high_surrogate)
        {
          return FALSE;
        }
      else if (unit >= 0xd800 && unit <= 0xdbff)
        {
          after_high_surrogate = TRUE;
        }

      q += 6;
    }

  return FALSE;
}

/* json-glib recurses once per level when it parses, generates and frees,
 * and the inspector's pretty-printing indents each line by its depth, so
 * that 64 KiB of '[' would print as 2 GB. Nothing the API sends comes
 * near this depth. */
static gboolean
check_text (const char  *data,
            gsize        length,
            GError     **error)
{
  const char *end = data + length;
  guint depth = 0;

  for (const char *p = data; p < end; )
    {
      if (*p == '"')
        {
          if (!skip_string (&p, end))
            {
              g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                                   _("a string is not closed, or holds a control character, a bad escape or half a surrogate pair"));
              return FALSE;
            }
          continue;
        }

      if (*p == '[' || *p == '{')
        {
          if (++depth > STOK_JSON_MAX_DEPTH)
            {
              g_set_error (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                           _("it is nested more than %d levels deep"),
                           STOK_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((*p == ']' || *p == '}') && depth > 0)
        {
          depth--;
        }

      p++;
    }

  return TRUE;
}

/**
 * stok_json_parse:
 * @data: a JSON document from the network
 * @length: its length in bytes
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the document's root, or %NULL with
 *   %STOK_ERROR_MALFORMED_RESPONSE and a message that is one line of
 *   valid UTF-8
 */
JsonNode *
stok_json_parse (const char  *data,
                 gsize        length,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (data == NULL)
    data = "";
  if (length > G_MAXSSIZE)
    length = G_MAXSSIZE;

  if (!check_text (data, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &json_error))
    {
      /* json-glib quotes the string it stopped at as decoded, so an escape
       * like \u001b would reach the terminal as a control character. */
      g_autofree char *message = dup_printable (json_error->message);

      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE, message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                           _("there is nothing but white space"));
      return NULL;
    }

  return root;
}
