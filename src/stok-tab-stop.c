/* stok-tab-stop.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A bin that is one Tab stop however many its child holds: Tab enters it,
 * the arrow keys move inside, the next Tab leaves it.
 *
 * GTK 4.8's list views make every row a Tab stop: past a transcript of a
 * hundred turns, or the inspector's thousand frames, Tab takes as many
 * presses. GTK 4.12 can be told otherwise (GTK_LIST_TAB_ITEM); this is
 * that, for any child, around the scrolled window of a list. */

#define G_LOG_DOMAIN "stok-tab-stop"

#include "config.h"

#include "stok-tab-stop.h"

struct _StokTabStop
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (StokTabStop, stok_tab_stop, ADW_TYPE_BIN)

static gboolean
stok_tab_stop_focus (GtkWidget        *widget,
                     GtkDirectionType  direction)
{
  /* From inside, Tab goes on to what follows: the window's focus chain
   * moves past a widget whose focus gives up. */
  if ((direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD) &&
      gtk_widget_get_focus_child (widget) != NULL)
    return FALSE;

  return GTK_WIDGET_CLASS (stok_tab_stop_parent_class)->focus (widget, direction);
}

static void
stok_tab_stop_class_init (StokTabStopClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->focus = stok_tab_stop_focus;
}

static void
stok_tab_stop_init (StokTabStop *self)
{
}

GtkWidget *
stok_tab_stop_new (void)
{
  return g_object_new (STOK_TYPE_TAB_STOP, NULL);
}
