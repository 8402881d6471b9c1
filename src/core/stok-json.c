/* stok-json.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Every JSON document the app reads comes from a server: the token reply,
 * an error body, the streaming server's messages. They are all parsed
 * here, so that what json-glib lets through is checked in one place.
 *
 * What json-glib checks itself depends on its version. Debian 12 has
 * 1.6; 1.8 (2023) changed nothing in the parser; 1.10 (2024) rewrote the
 * scanner, added JsonParser:strict and a nesting limit of 1024
 * (JSON_PARSER_MAX_RECURSION_DEPTH). From json-glib's history, and tried
 * on 1.6.6 and 1.10.8:
 *
 *                                       1.6           1.10, strict
 *   comments, 'strings', var x = {}     taken         refused
 *   unknown and octal escapes           taken         refused
 *   half a surrogate pair               some taken    refused
 *   0x3c, 074, 01, 1., .5               taken         refused
 *   a second document after the first   some taken    refused
 *   nothing but white space             no root       refused
 *   raw \b \f \n \r \t in a string      taken         refused
 *   other raw control characters        taken         taken
 *   \u0000                              cuts the string short, both
 *   integers past 64 bits               wrap          saturate
 *   1e400                               an infinity, both
 *   nesting                             any depth     1024 levels
 *   a byte-order mark                   skipped, both
 *   duplicate members                   the last one wins, both
 *
 * So with 1.10 and later the parser is strict, and this file checks only
 * what strict mode still takes: control characters and \u0000 in
 * strings, numbers out of range, nesting past STOK_JSON_MAX_DEPTH (far
 * below 1024), and text that is not ASCII outside strings, as a
 * byte-order mark is (RFC 8259 forbids senders to add one). With 1.6 it
 * checks the rest of the table too. Strict mode is not a choice on 1.10:
 * there a lax, immutable parser that meets a second document aborts the
 * program in json_parser_steal_root(). Which documents are accepted is
 * the same on both; only json-glib's own messages differ. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "stok-error.h"
#include "stok-json.h"

/* The length of the control character at @p in valid UTF-8, or 0: C0
 * and C1 controls and DEL, which terminals act on (one that reads UTF-8
 * takes U+009B as CSI and U+009D as OSC), and U+2028 and U+2029, which
 * break a line. Read from the bytes, since anything else is copied as
 * it is. */
static gsize
control_length (const char *p)
{
  const guchar *u = (const guchar *) p;

  if (u[0] < 0x20 || u[0] == 0x7f)
    return 1;
  if (u[0] == 0xc2 && u[1] < 0xa0)
    return 2;
  if (u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9))
    return 3;

  return 0;
}

/**
 * stok_dup_printable:
 * @text: text from the network
 * @length: its length in bytes, or -1 when it ends with a NUL
 *
 * Text that a server sent is shown on one line, in labels and in a
 * terminal: no escape sequences, no line breaks, valid UTF-8.
 *
 * Returns: (transfer full): @text with each byte that is not UTF-8
 *   replaced by U+FFFD and each control character by a space
 */
char *
stok_dup_printable (const char *text,
                    gssize      length)
{
  char *printable;
  char *out;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  /* A space is never longer than what it replaces: done in place. */
  printable = g_utf8_make_valid (text != NULL ? text : "", length);
  out = printable;

  for (const char *p = printable; *p; )
    {
      gsize control = control_length (p);

      if (control > 0)
        {
          *out++ = ' ';
          p += control;
        }
      else
        {
          *out++ = *p++;
        }
    }
  *out = '\0';

  return printable;
}

/**
 * stok_ends_sentence:
 * @text: words a server sent
 *
 * Returns: whether @text ends its own sentence (a full stop, a question
 *   or exclamation mark, an ellipsis), so that a quote of it takes no
 *   full stop after
 */
gboolean
stok_ends_sentence (const char *text)
{
  const char *end;
  gunichar last;

  g_return_val_if_fail (text != NULL, FALSE);

  end = text + strlen (text);
  while (end > text && g_ascii_isspace (end[-1]))
    end--;
  if (end == text)
    return FALSE;

  last = g_utf8_get_char (g_utf8_find_prev_char (text, end));
  return last == '.' || last == '!' || last == '?' || last == 0x2026;
}

/**
 * stok_dup_sentence:
 * @text: words that may not end their sentence, such as a keyring's
 *
 * Returns: (transfer full): @text, with a full stop if it has none, for
 *   a sentence to follow it
 */
char *
stok_dup_sentence (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return stok_ends_sentence (text) ? g_strdup (text) : g_strconcat (text, ".", NULL);
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

/* Moves *p past the string that starts there. Every json-glib takes raw
 * control characters (1.10 refuses five of them) and cuts the string at
 * \u0000, which would show a token or a message cut short; 1.6 also takes
 * unknown escapes and turns half a surrogate pair into bytes that are not
 * UTF-8, which then reach labels and exports. Such strings are not JSON,
 * so they are refused. */
static gboolean
skip_string (const char **p,
             const char  *end)
{
#if !JSON_CHECK_VERSION (1, 10, 0)
  gboolean after_high_surrogate = FALSE;
#endif

  for (const char *q = *p + 1; q < end; )
    {
      int unit;

#if !JSON_CHECK_VERSION (1, 10, 0)
      if (after_high_surrogate && (end - q < 2 || q[0] != '\\' || q[1] != 'u'))
        return FALSE;
#endif

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
#if !JSON_CHECK_VERSION (1, 10, 0)
          if (q[1] == '\0' || strchr ("\"\\/bfnrt", q[1]) == NULL)
            return FALSE;
#endif
          q += 2;
          continue;
        }

      if (end - q < 6 || (unit = parse_hex4 (q + 2)) <= 0)
        return FALSE;

#if !JSON_CHECK_VERSION (1, 10, 0)
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
#endif

      q += 6;
    }

  return FALSE;
}

#if JSON_CHECK_VERSION (1, 10, 0)

/* The extent of a number, however it is written: json-glib checks how. */
static const char *
skip_number_text (const char *p,
                  const char *end,
                  gboolean   *integer)
{
  *integer = TRUE;

  for (p++; p < end && (g_ascii_isdigit (*p) || memchr (".eE+-", *p, 5) != NULL); p++)
    if (!g_ascii_isdigit (*p))
      *integer = FALSE;

  return p;
}

#else

static const char *
skip_digits (const char *p,
             const char *end)
{
  while (p < end && g_ascii_isdigit (*p))
    p++;

  return p;
}

/* The extent of a number written as RFC 8259 allows, or NULL: json-glib
 * 1.6 reads 0x3c as 60, 074 as octal, and takes 01, 1. and .5. */
static const char *
skip_number_text (const char *p,
                  const char *end,
                  gboolean   *integer)
{
  *integer = TRUE;

  if (*p == '-')
    p++;
  if (p == end || !g_ascii_isdigit (*p))
    return NULL;
  p = *p == '0' ? p + 1 : skip_digits (p, end);

  if (p < end && *p == '.')
    {
      *integer = FALSE;
      if (++p == end || !g_ascii_isdigit (*p))
        return NULL;
      p = skip_digits (p, end);
    }

  if (p < end && (*p == 'e' || *p == 'E'))
    {
      *integer = FALSE;
      if (++p < end && (*p == '+' || *p == '-'))
        p++;
      if (p == end || !g_ascii_isdigit (*p))
        return NULL;
      p = skip_digits (p, end);
    }

  if (p < end && (g_ascii_isalnum (*p) || *p == '.' || *p == '+' || *p == '-'))
    return NULL;

  return p;
}

#endif

/* Moves *p past the number that starts there. Every json-glib reads an
 * integer past 64 bits as another number (1.6 wraps -18446744073709551556
 * to 60, 1.10 saturates it) and turns 1e400 into an infinity that it
 * writes back out as "inf.0": only numbers that fit a gint64 or a finite
 * double get through. */
static gboolean
skip_number (const char **p,
             const char  *end)
{
  g_autofree char *text = NULL;
  const char *q;
  gboolean integer;

  q = skip_number_text (*p, end, &integer);
  if (q == NULL)
    return FALSE;

  text = g_strndup (*p, q - *p);
  if (integer ? !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, NULL, NULL)
              : !isfinite (g_ascii_strtod (text, NULL)))
    return FALSE;

  *p = q;
  return TRUE;
}

#if !JSON_CHECK_VERSION (1, 10, 0)
/* json-glib 1.6 also takes comments, single quotes and identifiers. */
static gboolean
skip_literal (const char **p,
              const char  *end)
{
  static const char * const literals[] = { "true", "false", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      gsize length = strlen (literals[i]);

      if ((gsize) (end - *p) >= length && memcmp (*p, literals[i], length) == 0 &&
          ((gsize) (end - *p) == length || !g_ascii_isalnum ((*p)[length])))
        {
          *p += length;
          return TRUE;
        }
    }

  return FALSE;
}
#endif

/* Holds the text to what json-glib is lenient about (see the table at
 * the top), and its depth to STOK_JSON_MAX_DEPTH: json-glib recurses once
 * per level when it parses, generates and frees, and the inspector's
 * pretty-printing indents each line by its depth, so that 64 KiB of '['
 * would print as 2 GB. The grammar itself is left to json-glib. */
static gboolean
check_text (const char  *data,
            gsize        length,
            GError     **error)
{
  const char *p = data;
  const char *end = data + length;
  const char *member = NULL;
  gsize member_length = 0;
  guint depth = 0;
#if !JSON_CHECK_VERSION (1, 10, 0)
  gboolean after_root = FALSE;
#endif

  while (p < end)
    {
      const char *message = NULL;

      if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        {
          p++;
          continue;
        }

#if !JSON_CHECK_VERSION (1, 10, 0)
      /* json-glib 1.6 reads the first of two documents and drops the second. */
      if (after_root)
        {
          g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                               _("there is more after the end of the document"));
          return FALSE;
        }
#endif

      if (*p == '"')
        {
          const char *start = p;
          const char *next;

          if (!skip_string (&p, end))
            message = _("a string is not closed, or holds a control character, a bad escape or half a surrogate pair");

          /* A member name: a bad number is reported under it. */
          for (next = p; next < end && g_ascii_isspace (*next); next++)
            ;
          if (message == NULL && next < end && *next == ':')
            {
              member = start + 1;
              member_length = MIN (p - start - 2, 64);
            }
        }
      else if (*p == '-' || g_ascii_isdigit (*p))
        {
          if (!skip_number (&p, end))
            {
              if (member == NULL)
                {
                  message = _("a number is out of range, or not written as JSON allows");
                }
              else
                {
                  g_autofree char *name = stok_dup_printable (member, member_length);

                  g_set_error (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                               _("“%s” is a number out of range, or not written as JSON allows"),
                               name);
                  return FALSE;
                }
            }
        }
      else if (*p == '[' || *p == '{')
        {
          if (++depth > STOK_JSON_MAX_DEPTH)
            {
              g_set_error (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                           _("it is nested more than %d levels deep"),
                           STOK_JSON_MAX_DEPTH);
              return FALSE;
            }
          p++;
        }
      else if (*p == ']' || *p == '}')
        {
          /* Unbalanced brackets are json-glib's to report. */
          if (depth > 0)
            depth--;
          p++;
        }
      else if (*p == ',' || *p == ':')
        {
          p++;
        }
#if JSON_CHECK_VERSION (1, 10, 0)
      /* Strict mode refuses what is not JSON here, but skips a
       * byte-order mark. */
      else if ((guchar) *p >= 0x80)
        {
          message = _("it has text outside strings that JSON does not allow");
        }
      else
        {
          p++;
        }
#else
      else if (!skip_literal (&p, end))
        {
          message = _("it has text outside strings that JSON does not allow");
        }
#endif

      if (message != NULL)
        {
          g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE, message);
          return FALSE;
        }

#if !JSON_CHECK_VERSION (1, 10, 0)
      after_root = depth == 0;
#endif
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
#if JSON_CHECK_VERSION (1, 10, 0)
  json_parser_set_strict (parser, TRUE);
#endif
  if (!json_parser_load_from_data (parser, data, (gssize) length, &json_error))
    {
      /* json-glib quotes the string it stopped at as decoded, so an escape
       * like \u001b would reach the terminal as a control character. */
      g_autofree char *message = stok_dup_printable (json_error->message, -1);

      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE, message);
      return NULL;
    }

  /* Only 1.6 takes white space alone, but no version may leave a caller
   * with neither a root nor an error. */
  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE,
                           _("there is nothing but white space"));
      return NULL;
    }

  return root;
}

/**
 * stok_json_get_string:
 * @object: a JSON object
 * @name: a member's name
 *
 * Returns: (transfer none) (nullable): the member if it is a string
 */
const char *
stok_json_get_string (JsonObject *object,
                      const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/**
 * stok_json_get_number:
 * @object: a JSON object
 * @name: a member's name
 * @out_value: (out): the number
 *
 * Returns: %TRUE if the member is a finite number, integer or not
 */
gboolean
stok_json_get_number (JsonObject *object,
                      const char *name,
                      double     *out_value)
{
  JsonNode *node = json_object_get_member (object, name);
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      value = (double) json_node_get_int (node);
      break;

    case G_TYPE_DOUBLE:
      value = json_node_get_double (node);
      break;

    default:
      return FALSE;
    }

  if (!isfinite (value))
    return FALSE;

  *out_value = value;
  return TRUE;
}

/**
 * stok_json_get_boolean:
 * @object: a JSON object
 * @name: a member's name
 * @out_value: (out): the value
 *
 * Returns: %TRUE if the member is a boolean
 */
gboolean
stok_json_get_boolean (JsonObject *object,
                       const char *name,
                       gboolean   *out_value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  *out_value = json_node_get_boolean (node);
  return TRUE;
}

static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
          break;
        }
    }
  g_string_append_c (out, '"');
}

static void
append_node (GString  *out,
             JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (const GList *l = members; l != NULL; l = l->next)
          {
            if (l != members)
              g_string_append_c (out, ',');
            append_string (out, l->data);
            g_string_append_c (out, ':');
            append_node (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;

        case G_TYPE_DOUBLE:
          {
            char number[G_ASCII_DTOSTR_BUF_SIZE];
            double value = json_node_get_double (node);

            /* Fifteen digits round-trip what a server or a clock gives,
             * and print 0.4 as 0.4, not json-glib 1.6's
             * 0.40000000000000002. */
            g_ascii_formatd (number, sizeof number, "%.15g", isfinite (value) ? value : 0);
            g_string_append (out, number);
          }
          break;

        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;

        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          break;

        default:
          g_string_append (out, "null");
          break;
        }
      break;
    }
}

/**
 * stok_json_to_line:
 * @node: a JSON node
 *
 * Returns: (transfer full): @node as JSON on one line, for `--json`'s one
 *   object a line, its numbers as short as they round-trip
 */
char *
stok_json_to_line (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  append_node (out, node);
  return g_string_free (out, FALSE);
}
