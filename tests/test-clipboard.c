/* test-clipboard.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A long text on the X11 clipboard: GTK 4.8 hangs when another program
 * pastes 256 KiB or more of it, counted after GTK converts it for that
 * program's target. A text of arrows and accents, as the inspector's
 * frames and a French transcript are, grows from UTF-8 to plain ASCII
 * ("→" as "\u2192"): what stok_clipboard_set_text() keeps stays under
 * the limit either way, and is pasted by another program while the
 * window goes on. */

#include "config.h"

#include <string.h>

#include "stok-clipboard.h"
#include "stok-test-window.h"

/* The size of @text once GTK has converted it to plain ASCII, each other
 * character as GCharsetConverter's fallback writes it. */
static gsize
ascii_size (const char *text)
{
  gsize size = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      size += c < 0x80 ? 1 : (c < 0x10000 ? 6 : 10);
    }

  return size;
}

typedef struct
{
  GtkWidget *widget;
  const char *text;
} Copy;

static void
copy_cb (gpointer data)
{
  Copy *copy = data;

  stok_clipboard_set_text (copy->widget, copy->text);
}

static void
test_long_dense_text (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *copied = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *label = gtk_label_new ("clipboard");
  Copy copy = { label, NULL };

  gtk_window_set_child (GTK_WINDOW (window), label);
  gtk_window_present (GTK_WINDOW (window));

  /* A megabyte of lines, each an arrow, accents and a few words. */
  for (guint i = 0; text->len < 1024 * 1024; i++)
    g_string_append_printf (text, "→ %u é à ü ß ç — «mot» ← 😀\n", i);

  copy.text = text->str;
  g_assert_false (stok_clipboard_set_text (label, text->str));
  copied = stok_test_read_clipboard (label);
  g_assert_true (g_str_has_prefix (copied, "[The first "));
  g_assert_true (g_utf8_validate (copied, -1, NULL));
  /* The end of the text, from a whole line. */
  g_assert_true (g_str_has_suffix (text->str, strchr (copied, '\n') + 1));
  g_assert_cmpuint (strlen (copied), <=, STOK_CLIPBOARD_X11_MAX_BYTES);
  g_test_message ("%zu bytes of UTF-8 copied, %zu as plain ASCII", strlen (copied), ascii_size (copied));
  g_assert_cmpuint (ascii_size (copied), <, 262144);

  stok_test_assert_pasted_elsewhere (label, copy_cb, &copy, "[The first ");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A short text goes whole. */
static void
test_short_text (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *label = gtk_label_new ("clipboard");
  g_autofree char *copied = NULL;

  gtk_window_set_child (GTK_WINDOW (window), label);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (stok_clipboard_set_text (label, "→ a short text\n"));
  copied = stok_test_read_clipboard (label);
  g_assert_cmpstr (copied, ==, "→ a short text\n");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_NO_KEYRING);

  g_test_add_func ("/clipboard/long-dense-text", test_long_dense_text);
  g_test_add_func ("/clipboard/short-text", test_short_text);

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
