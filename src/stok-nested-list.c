/* stok-nested-list.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A bin around the scrolled window of a list that sits in a scrolled
 * page: the transcript, the inspector's frames. It makes the list behave
 * as one thing of the page.
 *
 * One Tab stop however many rows it holds: Tab enters it, the arrow keys
 * move inside, the next Tab leaves it. GTK 4.8's list views make every
 * row a Tab stop: past a transcript of a hundred turns, or the
 * inspector's thousand frames, Tab took as many presses. GTK 4.12 can be
 * told otherwise (GTK_LIST_TAB_ITEM); this is that, for 4.8.
 *
 * The wheel goes on to the page once the list cannot scroll that way (too
 * short to scroll at all, or at its end): a scrolled window in GTK 4 keeps
 * every wheel event it gets, and the page stopped under the pointer. */

#define G_LOG_DOMAIN "stok-nested-list"

#include "config.h"

#include "stok-nested-list.h"
#include "stok-wheel.h"

struct _StokNestedList
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (StokNestedList, stok_nested_list, ADW_TYPE_BIN)

static gboolean
stok_nested_list_focus (GtkWidget        *widget,
                        GtkDirectionType  direction)
{
  /* From inside, Tab goes on to what follows: the window's focus chain
   * moves past a widget whose focus gives up. */
  if ((direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD) &&
      gtk_widget_get_focus_child (widget) != NULL)
    return FALSE;

  return GTK_WIDGET_CLASS (stok_nested_list_parent_class)->focus (widget, direction);
}

/* Before the list's own handling, in the capture phase. */
static gboolean
scroll_cb (StokNestedList           *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (self));
  GtkAdjustment *inner;
  double inner_value, inner_end;

  g_assert (STOK_IS_NESTED_LIST (self));

  if (dy == 0 || !GTK_IS_SCROLLED_WINDOW (child))
    return FALSE;

  inner = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (child));
  inner_value = gtk_adjustment_get_value (inner);
  inner_end = gtk_adjustment_get_upper (inner) - gtk_adjustment_get_page_size (inner);
  if ((dy < 0 && inner_value > 0) || (dy > 0 && inner_value < inner_end))
    return FALSE;

  return stok_wheel_scroll_page (GTK_WIDGET (self), controller, dy);
}

static void
stok_nested_list_class_init (StokNestedListClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->focus = stok_nested_list_focus;
}

static void
stok_nested_list_init (StokNestedList *self)
{
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (scroll, "stok-page-wheel");
  g_signal_connect_object (scroll, "scroll", G_CALLBACK (scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
}

GtkWidget *
stok_nested_list_new (void)
{
  return g_object_new (STOK_TYPE_NESTED_LIST, NULL);
}
