/* stok-wheel.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The mouse wheel over what sits in a scrolled page. A scrolled window in
 * GTK 4 keeps every wheel event it gets, and a spin button takes every
 * one as a step: the page stopped under the pointer, or a value changed
 * as the page went past it. The wheel goes to the page instead, from a
 * list at its end (StokNestedList) and from a field the user is not
 * editing. */

#define G_LOG_DOMAIN "stok-wheel"

#include "config.h"

#include <math.h>

#include "stok-wheel.h"

/**
 * stok_wheel_scroll_page:
 * @inside: a widget in a scrolled page
 * @controller: the controller the wheel came through
 * @dy: how far it went
 *
 * Scrolls the page around @inside as far as GtkScrolledWindow would for
 * the same wheel or touchpad motion.
 *
 * Returns: whether there was a page to scroll
 */
gboolean
stok_wheel_scroll_page (GtkWidget                *inside,
                        GtkEventControllerScroll *controller,
                        double                    dy)
{
  GtkWidget *parent;
  GtkWidget *page;
  GtkAdjustment *adjustment;
  double step;

  g_return_val_if_fail (GTK_IS_WIDGET (inside), FALSE);

  parent = gtk_widget_get_parent (inside);
  page = parent != NULL ? gtk_widget_get_ancestor (parent, GTK_TYPE_SCROLLED_WINDOW) : NULL;
  if (page == NULL)
    return FALSE;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (page));
  /* A wheel's notch as GtkScrolledWindow scrolls it; a touchpad's
   * pixels as they come. */
  step = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL
         ? pow (gtk_adjustment_get_page_size (adjustment), 2.0 / 3.0) : 1.0;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + dy * step);

  return TRUE;
}

/* Before the field's own handling, in the capture phase. */
static gboolean
field_scroll_cb (GtkEventControllerScroll *controller,
                 double                    dx,
                 double                    dy,
                 gpointer                  user_data)
{
  GtkWidget *field = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  if (gtk_widget_has_focus (field) ||
      (gtk_widget_get_state_flags (field) & GTK_STATE_FLAG_FOCUS_WITHIN) != 0)
    return FALSE;

  return dy != 0 && stok_wheel_scroll_page (field, controller, dy);
}

/**
 * stok_wheel_only_when_focused:
 * @field: a field that takes the wheel, such as a spin button
 *
 * Lets @field take the wheel only while it has the keyboard focus, as
 * when the user clicked in it; otherwise the wheel scrolls the page.
 */
void
stok_wheel_only_when_focused (GtkWidget *field)
{
  GtkEventController *scroll;

  g_return_if_fail (GTK_IS_WIDGET (field));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (scroll, "stok-page-wheel");
  g_signal_connect (scroll, "scroll", G_CALLBACK (field_scroll_cb), NULL);
  gtk_widget_add_controller (field, scroll);
}
