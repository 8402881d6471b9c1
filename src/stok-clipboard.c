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
 * text that long is cut to its end, the part a developer looks at, at a
 * line, and says so in its first line. */

#define G_LOG_DOMAIN "stok-clipboard"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-clipboard.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

/**
 * stok_clipboard_set_text:
 * @widget: the widget whose clipboard takes @text
 * @text: the text
 *
 * Returns: %TRUE if @text went whole, %FALSE if only its end did
 */
gboolean
stok_clipboard_set_text (GtkWidget  *widget,
                         const char *text)
{
  g_autofree char *note = NULL;
  g_autofree char *cut = NULL;
  g_autofree char *left_out = NULL;
  gsize length;
  const char *start;
  const char *line;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  length = strlen (text);
#ifdef GDK_WINDOWING_X11
  if (length > STOK_CLIPBOARD_X11_MAX_BYTES && GDK_IS_X11_DISPLAY (gtk_widget_get_display (widget)))
    {
      left_out = g_format_size_full (length - STOK_CLIPBOARD_X11_MAX_BYTES, G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: the first line of a long text copied to the
       * clipboard; %s is a size such as "120.5 KiB" */
      note = g_strdup_printf (_("[The first %s are left out: the X11 clipboard takes at most 240 KiB from this app.]"),
                              left_out);

      /* From the first whole line that fits after the note, or from a
       * whole character of a line too long for it. */
      start = text + length - (STOK_CLIPBOARD_X11_MAX_BYTES - strlen (note) - 1);
      line = strchr (start, '\n');
      if (line != NULL && line[1] != '\0')
        start = line + 1;
      else
        while ((*start & 0xC0) == 0x80)
          start++;
      cut = g_strconcat (note, "\n", start, NULL);
      gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), cut);
      return FALSE;
    }
#endif

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  return TRUE;
}
