/* stok-clipboard.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Puts a long text on the clipboard without hanging the app.
 *
 * GTK 4.8 on X11 hands a text of 256 KiB or more to another program in
 * pieces (the INCR protocol), and waits for each piece's receipt on the
 * main thread that would have to read it (gdkselectionoutputstream-x11.c):
 * pasted elsewhere, such a text froze the app for good, a billed session
 * with it. A live session's frames pass that in a few minutes. On X11 a
 * text that long, counted as GTK may convert it for the program that
 * pastes it, is cut to its end, the part a developer looks at, at a line,
 * and says so in its first line. */

#define G_LOG_DOMAIN "stok-clipboard"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "stok-clipboard.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

/* What a character may cost once GTK converts the text for a program
 * that asks for another target than UTF8_STRING: plain ASCII writes
 * "\u2192" for "→", six bytes for two or three, and "\U0001f600" for
 * four (GCharsetConverter's fallback); Latin-1 and compound text take
 * less. The limit holds for the longest of them. */
static gsize
converted_cost (gunichar c)
{
  return c < 0x80 ? 1 : 10;
}

/* Room kept for the note, whatever its translation: its own cost. */
#define NOTE_ROOM 512

/**
 * stok_clipboard_set_text:
 * @widget: the widget whose clipboard takes @text
 * @text: the text, in UTF-8
 *
 * Returns: %TRUE if @text went whole, %FALSE if only its end did
 */
gboolean
stok_clipboard_set_text (GtkWidget  *widget,
                         const char *text)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_DISPLAY (gtk_widget_get_display (widget)))
    {
      g_autofree char *note = NULL;
      g_autofree char *cut = NULL;
      g_autofree char *left_out = NULL;
      const char *end = text + strlen (text);
      const char *start = end;
      const char *line;
      gsize cost = 0;

      /* From the end back, as much as the limit holds once converted. */
      while (start > text)
        {
          const char *previous = g_utf8_prev_char (start);
          gsize more = converted_cost (g_utf8_get_char (previous));

          if (cost + more > STOK_CLIPBOARD_X11_MAX_BYTES)
            break;
          cost += more;
          start = previous;
        }

      if (start == text)
        {
          gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
          return TRUE;
        }

      /* Room for the note, then from the first whole line after it, or
       * from a whole character of a line too long for it. */
      while (start < end && cost > STOK_CLIPBOARD_X11_MAX_BYTES - NOTE_ROOM)
        {
          cost -= converted_cost (g_utf8_get_char (start));
          start = g_utf8_next_char (start);
        }
      line = strchr (start, '\n');
      if (line != NULL && line[1] != '\0')
        start = line + 1;

      left_out = g_format_size_full (start - text, G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: the first line of a long text copied to the
       * clipboard; %s is a size such as "120.5 KiB" */
      note = g_strdup_printf (_("[The first %s are left out: the X11 clipboard takes at most 240 KiB from this app.]"),
                              left_out);
      cut = g_strconcat (note, "\n", start, NULL);
      gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), cut);
      return FALSE;
    }
#endif

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  return TRUE;
}
