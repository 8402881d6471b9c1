/* stok-reveal.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Scrolls a widget into view, whole and clear of what covers the bottom
 * of the view (a toast), once it is laid out: the frame that first draws
 * it comes first, and is not made to wait for this. */

#define G_LOG_DOMAIN "stok-reveal"

#include "config.h"

#include "stok-reveal.h"

/* Above the top widget of stok_reveal_below(), once scrolled. */
#define REVEAL_TOP_MARGIN 12

typedef struct
{
  GWeakRef widget;
  GWeakRef top;
  int      clearance;
} Reveal;

static void
reveal_free (gpointer data,
             GClosure *closure)
{
  Reveal *reveal = data;

  g_weak_ref_clear (&reveal->widget);
  g_weak_ref_clear (&reveal->top);
  g_free (reveal);
}

/* Where the view around @widget would have to be scrolled to show it
 * whole with @clearance free below it, its top first if it is taller
 * than that; FALSE if it is not in a scrolled view or not laid out. */
static gboolean
find_scroll (GtkWidget      *widget,
             GtkWidget      *top,
             int             clearance,
             GtkAdjustment **out_adjustment,
             double         *out_value)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *viewport = scrolled != NULL ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)) : NULL;
  GtkWidget *content = GTK_IS_VIEWPORT (viewport) ? gtk_viewport_get_child (GTK_VIEWPORT (viewport)) : NULL;
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  double value;

  if (content == NULL ||
      !gtk_widget_get_mapped (widget) ||
      gtk_widget_get_height (widget) == 0 ||
      !gtk_widget_compute_bounds (widget, content, &bounds))
    return FALSE;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  value = MAX (gtk_adjustment_get_value (adjustment),
               bounds.origin.y + bounds.size.height + clearance - gtk_adjustment_get_page_size (adjustment));
  /* Down to it, or up to it when it is above the view. */
  value = MIN (value, bounds.origin.y);

  /* Scrolled at all, then to @top's start, less half the spacing of a
   * GNOME page: @top shows whole at the top of the view, and no row
   * above it is cut in two; as much of @widget as fits shows under it. */
  if (top != NULL && value != gtk_adjustment_get_value (adjustment))
    {
      graphene_rect_t top_bounds;

      if (gtk_widget_compute_bounds (top, content, &top_bounds))
        value = MAX (top_bounds.origin.y - REVEAL_TOP_MARGIN, 0);
    }

  *out_adjustment = adjustment;
  *out_value = value;

  return TRUE;
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                Reveal        *reveal)
{
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&reveal->widget);
  g_autoptr(GtkWidget) top = g_weak_ref_get (&reveal->top);
  GtkAdjustment *adjustment;
  double value;

  g_assert (GDK_IS_FRAME_CLOCK (frame_clock));

  /* Not laid out in this frame: the next one, then. */
  if (widget != NULL && !find_scroll (widget, top, reveal->clearance, &adjustment, &value))
    return;

  if (widget != NULL)
    gtk_adjustment_set_value (adjustment, value);

  /* Frees @reveal. */
  g_signal_handlers_disconnect_by_func (frame_clock, after_paint_cb, reveal);
}

/**
 * stok_reveal_below:
 * @widget: a widget in a #GtkScrolledWindow, shown or about to be
 * @top: (nullable): a widget above @widget in the same view
 * @clearance: pixels to keep free below it, at the bottom of the view
 *
 * As stok_reveal(); but when the view has to scroll, it scrolls to the
 * start of @top, which stays in view whole, and what is above it goes out
 * of view whole rather than cut in two.
 */
void
stok_reveal_below (GtkWidget *widget,
                   GtkWidget *top,
                   int        clearance)
{
  GdkFrameClock *frame_clock;
  GtkNative *native;
  Reveal *reveal;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (!top || GTK_IS_WIDGET (top));

  /* The window's clock: a widget shown in this iteration (a card that
   * has just been made visible) is not realized yet, and has none. */
  native = gtk_widget_get_native (widget);
  frame_clock = native != NULL ? gtk_widget_get_frame_clock (GTK_WIDGET (native)) : NULL;
  if (frame_clock == NULL)
    return;

  /* Decided after the next frame's layout, never from this one: what
   * changed in this iteration (a verdict shown under the token) is not
   * laid out yet, and the widget may look in view when it will not be. */
  reveal = g_new0 (Reveal, 1);
  g_weak_ref_init (&reveal->widget, widget);
  g_weak_ref_init (&reveal->top, top);
  reveal->clearance = clearance;
  g_signal_connect_data (frame_clock, "after-paint", G_CALLBACK (after_paint_cb),
                         reveal, reveal_free, 0);
  gdk_frame_clock_request_phase (frame_clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

/**
 * stok_reveal:
 * @widget: a widget in a #GtkScrolledWindow, shown or about to be
 * @clearance: pixels to keep free below it, at the bottom of the view
 *
 * Scrolls the view so that @widget shows whole, @clearance pixels above
 * the bottom of the view, once a frame has laid it out; if it is taller
 * than that, its top shows. Where it already shows so, nothing moves.
 */
void
stok_reveal (GtkWidget *widget,
             int        clearance)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  stok_reveal_below (widget, NULL, clearance);
}
