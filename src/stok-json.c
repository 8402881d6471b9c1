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

/* Moves *p past the string that starts there, or to @end if it never
 * closes. */
static void
skip_string (const char **p,
             const char  *end)
{
  const char *q = *p + 1;

  while (q < end && *q != '"')
    {
      if (*q == '\\' && end - q > 1)
        q++;
      q++;
    }

  *p = q < end ? q + 1 : end;
}

/* json-glib recurses once per level when it parses, generates and frees,
 * and the inspector's pretty-printing indents each line by its depth, so
 * that 64 KiB of '[' would print as 2 GB. Nothing the API sends comes
 * near this depth. */
static gboolean
check_depth (const char  *data,
             gsize        length,
             GError     **error)
{
  const char *end = data + length;
  guint depth = 0;

  for (const char *p = data; p < end; )
    {
      if (*p == '"')
        {
          skip_string (&p, end);
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

  if (!check_depth (data, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &json_error))
    {
      /* json-glib quotes the text it stopped at as it decoded it: control
       * characters, and lone surrogates as bytes that are not UTF-8. */
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
