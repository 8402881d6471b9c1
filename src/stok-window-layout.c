/* stok-window-layout.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window's two layouts. A wide window shows two panes side by side,
 * each scrolling on its own: the token's (key, durations, Generate, the
 * token and the history) in a column of its own width, and the session's
 * taking the rest. A narrow one, down to 360 px, is one column, with the
 * session under the history.
 *
 * libadwaita 1.2 has no breakpoints: the session view moves from one
 * parent to the other when the window's width crosses STOK_WINDOW_WIDE.
 * The width is known in size_allocate, where the widget tree must not
 * change, so the move waits for an idle; the keyboard focus, if it was in
 * the session view, stays where it was. */

#define G_LOG_DOMAIN "stok-window"

#include "config.h"

#include "stok-window-private.h"

/* From this width on, two panes: the token's column and a session pane
 * of at least about as much. */
#define STOK_WINDOW_WIDE 900
/* The token's column in a wide window: today's one column, at the width
 * where a token wraps to a few lines and the countdown reads large. */
#define STOK_WINDOW_TOKEN_PANE 460

static void
apply_layout (StokWindow *self,
              gboolean    wide)
{
  g_autoptr(GtkWidget) view = g_object_ref (GTK_WIDGET (self->session_view));
  g_autoptr(GtkWidget) focus = NULL;
  GtkWidget *from = gtk_widget_get_parent (view);
  GtkWidget *to = wide ? self->session_column : self->token_column;

  self->wide = !!wide;

  if (gtk_root_get_focus (GTK_ROOT (self)) != NULL &&
      gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (self)), view))
    focus = g_object_ref (gtk_root_get_focus (GTK_ROOT (self)));

  if (from != to)
    {
      gtk_box_remove (GTK_BOX (from), view);
      gtk_box_append (GTK_BOX (to), view);
    }

  stok_session_view_set_narrow (self->session_view, !wide);
  gtk_widget_set_visible (self->pane_separator, wide);
  gtk_widget_set_visible (self->session_scroller, wide);
  gtk_widget_set_hexpand (self->token_scroller, !wide);
  gtk_widget_set_size_request (self->token_scroller, wide ? STOK_WINDOW_TOKEN_PANE : -1, -1);

  if (focus != NULL && gtk_widget_get_root (focus) == GTK_ROOT (self))
    gtk_widget_grab_focus (focus);
}

static gboolean
layout_cb (gpointer user_data)
{
  StokWindow *self = user_data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  g_assert (STOK_IS_WINDOW (self));

  self->layout_id = 0;
  if ((width >= STOK_WINDOW_WIDE) != self->wide)
    apply_layout (self, width >= STOK_WINDOW_WIDE);

  return G_SOURCE_REMOVE;
}

/* The first layout from the size the window opens with, so that the
 * first frame already has the right one. */
void
_stok_window_layout_init (StokWindow *self)
{
  int width = 0;
  int height = 0;

  /* GTK 4.8 writes both sizes, NULL or not. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  apply_layout (self, width <= 0 || width >= STOK_WINDOW_WIDE);
}

void
_stok_window_layout_allocated (StokWindow *self,
                               int         width)
{
  if ((width >= STOK_WINDOW_WIDE) != self->wide && self->layout_id == 0)
    self->layout_id = g_idle_add (layout_cb, self);
}

void
_stok_window_layout_dispose (StokWindow *self)
{
  g_clear_handle_id (&self->layout_id, g_source_remove);
}
