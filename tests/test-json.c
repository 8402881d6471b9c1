/* test-json.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a server's JSON may hold before the app believes it, and what the
 * text a server sent looks like once it reaches a label or a terminal.
 * The same cases pass whichever json-glib the app is built with. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "stok-error.h"
#include "stok-json.h"

/* Text that a label or a terminal shows as one line, as it is written:
 * valid UTF-8 without a control character or a line separator. */
static void
assert_printable (const char *text)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        g_error ("U+%04X at byte %" G_GSIZE_FORMAT, c, (gsize) (p - text));
    }
}

static JsonNode *
parse_len (const char  *data,
           gsize        length,
           GError     **error)
{
  g_autofree char *shown = g_strescape (data, NULL);

  g_test_message ("%s", shown);
  return stok_json_parse (data, length, error);
}

static JsonNode *
parse (const char  *data,
       GError     **error)
{
  return parse_len (data, strlen (data), error);
}

/* Refused as a malformed reply, with one printable line that says why:
 * what the window and the command line put after “The reply was not
 * JSON:”. Returns that line. */
static char *
assert_refused_len (const char *data,
                    gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = parse_len (data, length, &error);

  g_assert_null (root);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE);
  g_assert_cmpstr (error->message, !=, "");
  assert_printable (error->message);

  return g_strdup (error->message);
}

static char *
assert_refused (const char *data)
{
  return assert_refused_len (data, strlen (data));
}

static JsonNode *
assert_parsed (const char *data)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = parse (data, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);

  return root;
}

static char *
nested (guint       depth,
        const char *open,
        const char *inside,
        const char *close)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, open);
  g_string_append (text, inside);
  for (guint i = 0; i < depth; i++)
    g_string_append (text, close);

  return g_string_free (text, FALSE);
}

static void
test_depth (void)
{
  g_autofree char *expected = g_strdup_printf ("it is nested more than %d levels deep",
                                               STOK_JSON_MAX_DEPTH);
  g_autofree char *arrays = nested (STOK_JSON_MAX_DEPTH, "[", "", "]");
  g_autofree char *objects = nested (STOK_JSON_MAX_DEPTH, "{\"a\":", "0", "}");
  g_autofree char *arrays_over = nested (STOK_JSON_MAX_DEPTH + 1, "[", "", "]");
  g_autofree char *objects_over = nested (STOK_JSON_MAX_DEPTH + 1, "{\"a\":", "0", "}");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) flood = g_string_new (NULL);
  JsonNode *node;
  guint depth;

  /* Exactly at the limit, the whole document comes through. */
  root = assert_parsed (arrays);
  for (node = root, depth = 0; JSON_NODE_HOLDS_ARRAY (node); depth++)
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) == 0)
        {
          depth++;
          break;
        }
      node = json_array_get_element (array, 0);
    }
  g_assert_cmpuint (depth, ==, STOK_JSON_MAX_DEPTH);
  g_clear_pointer (&root, json_node_unref);

  root = assert_parsed (objects);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_clear_pointer (&root, json_node_unref);

  /* One level more is refused, and says so. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *message = assert_refused (i == 0 ? arrays_over : objects_over);

      g_assert_cmpstr (message, ==, expected);
    }

  /* What would overflow json-glib's stack, or print as gigabytes in the
   * inspector, is refused the same way and at once. */
  for (guint i = 0; i < 64 * 1024; i++)
    g_string_append_c (flood, i % 2 ? '[' : '{');
  {
    g_autofree char *message = assert_refused (flood->str);

    g_assert_cmpstr (message, ==, expected);
  }

  /* Brackets in strings are text, not depth. */
  g_string_printf (flood, "{\"text\": \"%s\"}", arrays_over);
  root = assert_parsed (flood->str);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "text"), ==, arrays_over);
}

/* A root that is not an object is still JSON: the callers check its
 * type and say “not a JSON object”. */
static void
test_roots (void)
{
  g_autoptr(JsonNode) array = assert_parsed ("[1, 2]");
  g_autoptr(JsonNode) string = assert_parsed ("\"token\"");
  g_autoptr(JsonNode) number = assert_parsed ("42");
  g_autoptr(JsonNode) null = assert_parsed (" null ");
  g_autoptr(JsonNode) boolean = assert_parsed ("true");

  g_assert_true (JSON_NODE_HOLDS_ARRAY (array));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (array)), ==, 2);
  g_assert_cmpstr (json_node_get_string (string), ==, "token");
  g_assert_cmpint (json_node_get_int (number), ==, 42);
  g_assert_true (JSON_NODE_HOLDS_NULL (null));
  g_assert_true (json_node_get_boolean (boolean));
}

static void
test_invalid_utf8 (void)
{
  static const char * const cases[] = {
    "{\"token\": \"\xff\"}",
    "{\"token\": \"caf\xc3\"}",
    "{\"token\": \"\xc0\xaf\"}",           /* an overlong '/' */
    "{\"token\": \"\xed\xa0\x80\"}",       /* a UTF-16 surrogate, as UTF-8 */
    "{\"token\": \"a\"}\xff",
    "\xff{\"token\": \"a\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_free (assert_refused (cases[i]));
}

/* A NUL would cut the token short where C reads it: refused wherever it
 * is, raw or escaped, rather than shown as half a token. */
static void
test_nul (void)
{
  static const char in_string[] = "{\"token\": \"ab\0cd\"}";
  static const char after[] = "{\"token\": \"abcd\"}\0";
  static const char between[] = "{\"token\":\0\"abcd\"}";

  g_free (assert_refused_len (in_string, sizeof in_string - 1));
  g_free (assert_refused_len (after, sizeof after - 1));
  g_free (assert_refused_len (between, sizeof between - 1));
  g_free (assert_refused ("{\"token\": \"ab\\u0000cd\"}"));
}

/* RFC 8259 leaves duplicate names to the reader; json-glib keeps the
 * last, in 1.6 as in 1.10, and so does the app. */
static void
test_duplicate_members (void)
{
  g_autoptr(JsonNode) root = assert_parsed ("{\"token\": \"first\", \"token\": \"second\"}");
  JsonObject *object = json_node_get_object (root);

  g_assert_cmpuint (json_object_get_size (object), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "token"), ==, "second");
}

static void
test_numbers (void)
{
  static const char * const good[] = {
    "{\"n\": 9223372036854775807}",
    "{\"n\": -9223372036854775808}",
    "{\"n\": 1.7976931348623157e308}",
    "{\"n\": -0}",
    "{\"n\": 0.5e-3}",
    "{\"n\": 1E2}",
  };
  /* json-glib 1.6 reads 0x3c and 074 as 60 and wraps 2^64 to -1, and
   * every version turns 1e400 into an infinity that it writes back out
   * as “inf.0”: a number read otherwise than the server meant it. */
  static const struct {
    const char *data;
    const char *member;
  } bad[] = {
    { "{\"expires_in_seconds\": 9223372036854775808}", "expires_in_seconds" },
    { "{\"expires_in_seconds\": -9223372036854775809}", "expires_in_seconds" },
    { "{\"expires_in_seconds\": 18446744073709551616}", "expires_in_seconds" },
    { "{\"expires_in_seconds\": -18446744073709551556}", "expires_in_seconds" },
    { "{\"expires_in_seconds\": 1e400}", "expires_in_seconds" },
    { "{\"expires_in_seconds\": -1e400}", "expires_in_seconds" },
    { "{\"expires_in_seconds\": 123456789012345678901234567890}", "expires_in_seconds" },
    { "{\"a\": [1, 2, 1e999]}", "a" },
    { "[1e400]", NULL },
    { "{\"expires_in_seconds\": 0x3c}", NULL },
    { "{\"expires_in_seconds\": 074}", NULL },
    { "{\"expires_in_seconds\": 01}", NULL },
    { "{\"expires_in_seconds\": 1.}", NULL },
    { "{\"expires_in_seconds\": .5}", NULL },
    { "{\"expires_in_seconds\": +1}", NULL },
    { "{\"expires_in_seconds\": -}", NULL },
    { "{\"expires_in_seconds\": 1e}", NULL },
  };
  g_autoptr(JsonNode) max = NULL;
  g_autoptr(JsonNode) tiny = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    json_node_unref (assert_parsed (good[i]));

  max = assert_parsed (good[0]);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (max), "n"), ==, G_MAXINT64);

  /* Too small to tell from zero is zero, not an error. */
  tiny = assert_parsed ("{\"n\": 1e-400}");
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (tiny), "n"), ==, 0.0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *message = assert_refused (bad[i].data);

      /* The range is checked on every json-glib: the message names the
       * member, so that the user knows which number was wrong. */
      if (bad[i].member != NULL)
        {
          g_autofree char *expected = g_strdup_printf ("“%s” is a number out of range, or not written as JSON allows",
                                                       bad[i].member);

          g_assert_cmpstr (message, ==, expected);
        }
    }
}

/* A second document after the first is not the reply the spec
 * describes, even when the first one is: json-glib 1.6 reads the first
 * and drops the rest. */
static void
test_trailing (void)
{
  static const char * const bad[] = {
    "{\"token\": \"a\"} {\"token\": \"b\"}",
    "{\"token\": \"a\"}[]",
    "[1] [2]",
    "\"a\" \"b\"",
    "1 2",
    "{\"token\": \"a\"}x",
    "{\"token\": \"a\"},",
    "{\"token\": \"a\"}}",
    "{\"token\": \"a\"};",
    "{\"token\": \"a\"}\v",
  };
  g_autoptr(JsonNode) root = assert_parsed ("{\"token\": \"a\"}\r\n\t ");

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "token"), ==, "a");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_free (assert_refused (bad[i]));
}

static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_free (assert_refused (""));
  g_free (assert_refused (" \r\n\t"));

  root = stok_json_parse (NULL, 0, &error);
  g_assert_null (root);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_MALFORMED_RESPONSE);
}

/* Strings as JSON writes them come through decoded; what json-glib
 * would misread is refused. */
static void
test_strings (void)
{
  static const char * const bad[] = {
    "{\"a\": \"red\x1b[31mtext\"}",   /* a raw escape character */
    "{\"a\": \"one\x01two\"}",
    "{\"a\": \"line\nbreak\"}",
    "{\"a\": \"tab\tbed\"}",
    "{\"a\": \"\\q\"}",               /* 1.6 reads it as q */
    "{\"a\": \"\\101\"}",             /* 1.6 reads it as A */
    "{\"a\": \"\\x41\"}",
    "{\"a\": \"\\u12\"}",
    "{\"a\": \"\\ud800\"}",           /* half a surrogate pair */
    "{\"a\": \"\\udc00\"}",
    "{\"a\": \"\\ud800x\"}",          /* 1.6 turns it into bytes that are not UTF-8 */
    "{\"a\": \"\\udc00x\"}",
    "{\"a\": \"\\ud800\\u0041\"}",
    "{\"a\": \"not closed}",
  };
  g_autoptr(JsonNode) root = assert_parsed ("{\"a\": \"\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00 \\u001b\"}");

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "a"), ==,
                   "\" \\ / \b\f\n\r\t é 😀 \x1b");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_free (assert_refused (bad[i]));
}

/* What some JSON readers take and the spec does not: json-glib 1.6 takes
 * most of it, and skips a byte-order mark, which RFC 8259 forbids a
 * sender to add. */
static void
test_extensions (void)
{
  static const char * const bad[] = {
    "{/* comment */ \"a\": 1}",
    "{\"a\": 1} // comment",
    "{\"a\": 1} # comment",
    "{'a': 1}",
    "{\"a\": 'b'}",
    "{a: 1}",
    "var reply = {\"a\": 1}",
    "[NaN]",
    "[Infinity]",
    "[True]",
    "[undefined]",
    "[1,]",
    "{\"a\": 1,}",
    "\xef\xbb\xbf{\"a\": 1}",
    "\xc2\xa0{\"a\": 1}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_free (assert_refused (bad[i]));
}

/* json-glib quotes what it stopped at, decoded: its message goes through
 * the same filter as anything else a server wrote. */
static void
test_parser_message_printable (void)
{
  g_autofree char *message = assert_refused ("[\"\\u001b]0;owned\\u0007\\u009b2J\" \"x\"]");

  g_assert_null (strchr (message, '\x1b'));
}

static void
assert_printable_copy (const char *text,
                       gssize      length,
                       const char *expected)
{
  g_autofree char *copy = stok_dup_printable (text, length);

  assert_printable (copy);
  g_assert_cmpstr (copy, ==, expected);
}

static void
test_printable_controls (void)
{
  /* Line breaks and the like become spaces: the line stays one line, the
   * words stay apart. */
  assert_printable_copy ("one\ntwo\r\nthree\tfour\x7f" "five\bsix", -1,
                         "one two  three four five six");
  assert_printable_copy ("\a\x01\x1f", -1, "   ");
}

/* What a terminal would act on, with the command line printing a
 * server's error: an escape turned into a space leaves the rest as
 * harmless text. */
static void
test_printable_escapes (void)
{
  /* Colour, cursor and screen: CSI. */
  assert_printable_copy ("\x1b[31mred\x1b[0m \x1b[2J\x1b[H", -1,
                         " [31mred [0m  [2J [H");
  /* The window title, and a hyperlink: OSC, ended by BEL or ST. */
  assert_printable_copy ("\x1b]0;owned\x07", -1, " ]0;owned ");
  assert_printable_copy ("\x1b]8;;https://example.invalid\x1b\\click\x1b]8;;\x1b\\", -1,
                         " ]8;;https://example.invalid \\click ]8;; \\");
}

/* The same controls in their 8-bit form: U+0080 to U+009F, which
 * terminals that read UTF-8 act on as well (U+009B is CSI, U+009D OSC,
 * U+009C ST), and U+0085, U+2028 and U+2029, which break lines. */
static void
test_printable_c1 (void)
{
  assert_printable_copy ("\xc2\x9b" "31mred", -1, " 31mred");
  assert_printable_copy ("\xc2\x9d" "0;owned" "\xc2\x9c", -1, " 0;owned ");
  assert_printable_copy ("a\xc2\x80" "b\xc2\x9f" "c", -1, "a b c");
  assert_printable_copy ("one\xc2\x85two\xe2\x80\xa8three\xe2\x80\xa9" "four", -1,
                         "one two three four");

  /* Letters next to them are untouched: U+00A0 to U+00FF, and beyond. */
  assert_printable_copy ("caf\xc3\xa9 \xc2\xa0\xc3\xbf \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", -1,
                         "café \xc2\xa0ÿ 日本 😀");
}

static void
test_printable_invalid_utf8 (void)
{
  /* Each byte that is not UTF-8 is one U+FFFD; the rest stays. */
  assert_printable_copy ("a\xff" "b", -1, "a\xef\xbf\xbd" "b");
  assert_printable_copy ("a\xc0\xaf" "b", -1, "a\xef\xbf\xbd\xef\xbf\xbd" "b");
  assert_printable_copy ("a\xed\xa0\x80" "b", -1, "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "b");
  /* An escape hidden as an overlong form is not an escape. */
  assert_printable_copy ("\xc0\x9b" "31m", -1, "\xef\xbf\xbd\xef\xbf\xbd" "31m");
}

static void
test_printable_length (void)
{
  g_autofree char *unterminated = g_memdup2 ("abcdef", 6);

  /* @length bytes and no more, from text that need not end with a NUL. */
  assert_printable_copy (unterminated, 6, "abcdef");
  assert_printable_copy (unterminated, 3, "abc");
  assert_printable_copy (unterminated, 0, "");
  assert_printable_copy ("abc", -1, "abc");

  /* Cut in the middle of a character, the half is marked, not kept. */
  assert_printable_copy ("caf\xc3\xa9", 4, "caf\xef\xbf\xbd");
  /* Cut in the middle of an 8-bit control: no half of it survives. */
  assert_printable_copy ("a\xc2\x9b", 2, "a\xef\xbf\xbd");
  /* A NUL inside @length does not end the text early. */
  assert_printable_copy ("a\0b", 3, "a\xef\xbf\xbd" "b");
}

/* Long text keeps its length: the limits are the callers'. */
static void
test_printable_long (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *copy = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append (text, i % 7 ? "é" : "\xc2\x9b");

  copy = stok_dup_printable (text->str, text->len);
  assert_printable (copy);
  g_assert_cmpuint (g_utf8_strlen (copy, -1), ==, 100000);
}

/* A server's words that end their own sentence take no full stop after
 * the quote. */
static void
test_ends_sentence (void)
{
  g_assert_true (stok_ends_sentence ("The fake server was told to fail this session."));
  g_assert_true (stok_ends_sentence ("Too fast! "));
  g_assert_true (stok_ends_sentence ("Who are you?"));
  g_assert_true (stok_ends_sentence ("And then\u2026"));
  g_assert_false (stok_ends_sentence ("Audio too fast"));
  g_assert_false (stok_ends_sentence ("Invalid token: “abc”"));
  g_assert_false (stok_ends_sentence (""));
  g_assert_false (stok_ends_sentence ("  "));
}

/* Words that do not end their sentence get the full stop a sentence
 * after them needs; those that do, none more. */
static void
test_dup_sentence (void)
{
  g_autofree char *bare = stok_dup_sentence ("Could not write the keyring: No space left on device");
  g_autofree char *ended = stok_dup_sentence ("The keyring is locked.");

  g_assert_cmpstr (bare, ==, "Could not write the keyring: No space left on device.");
  g_assert_cmpstr (ended, ==, "The keyring is locked.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/parse/depth", test_depth);
  g_test_add_func ("/json/parse/roots", test_roots);
  g_test_add_func ("/json/parse/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/json/parse/nul", test_nul);
  g_test_add_func ("/json/parse/duplicate-members", test_duplicate_members);
  g_test_add_func ("/json/parse/numbers", test_numbers);
  g_test_add_func ("/json/parse/trailing", test_trailing);
  g_test_add_func ("/json/parse/empty", test_empty);
  g_test_add_func ("/json/parse/strings", test_strings);
  g_test_add_func ("/json/parse/extensions", test_extensions);
  g_test_add_func ("/json/parse/parser-message-printable", test_parser_message_printable);
  g_test_add_func ("/json/printable/controls", test_printable_controls);
  g_test_add_func ("/json/printable/escapes", test_printable_escapes);
  g_test_add_func ("/json/printable/c1", test_printable_c1);
  g_test_add_func ("/json/printable/invalid-utf8", test_printable_invalid_utf8);
  g_test_add_func ("/json/printable/length", test_printable_length);
  g_test_add_func ("/json/printable/long", test_printable_long);
  g_test_add_func ("/json/ends-sentence", test_ends_sentence);
  g_test_add_func ("/json/dup-sentence", test_dup_sentence);

  return g_test_run ();
}
