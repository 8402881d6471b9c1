/* stok-row-title.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The title and subtitle of a row, stacked as in an AdwActionRow, whose
 * CSS node it takes (row > box.header > box.title), but measured at a
 * fraction of the cost.
 *
 * A row's header is a horizontal GtkBox. Asked its height for a width,
 * GTK 4.8's box layout searches, doubling then halving, for the least
 * height at which its wrapping children fit that width, and asks each
 * child its width at every height it tries; a wrapping GtkLabel answers
 * each of those with a search of its own, laying its text out at every
 * step. The two Durations rows' titles and subtitles were laid out 40 to
 * 84 times each before the window's first frame, 12 ms of start-up.
 *
 * This box answers a width for a height with its width for no height at
 * all, as GTK 3 did for height-for-width widgets: a row's height is never
 * constrained in a list that scrolls, so the box's search ends at its
 * first step, and the labels are laid out only at the widths the row
 * really has. Heights for a width are asked of the labels as they are. */

#define G_LOG_DOMAIN "stok-row-title"

#include "config.h"

#include "stok-row-title.h"

/* Adwaita's border-spacing of a row's title box. */
#define STOK_ROW_TITLE_SPACING 3

struct _StokRowTitle
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (StokRowTitle, stok_row_title, GTK_TYPE_WIDGET)

static GtkSizeRequestMode
stok_row_title_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
stok_row_title_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  guint n_visible = 0;

  *minimum = *natural = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;

      n_visible++;

      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
      else
        {
          gtk_widget_measure (child, orientation, for_size, &child_min, &child_nat, NULL, NULL);
          *minimum += child_min;
          *natural += child_nat;
        }
    }

  if (orientation == GTK_ORIENTATION_VERTICAL && n_visible > 1)
    {
      *minimum += STOK_ROW_TITLE_SPACING * (n_visible - 1);
      *natural += STOK_ROW_TITLE_SPACING * (n_visible - 1);
    }
}

static void
stok_row_title_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  int y = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_height;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, NULL, &child_height, NULL, NULL);
      gtk_widget_size_allocate (child, &(GtkAllocation) { 0, y, width, child_height }, -1);
      y += child_height + STOK_ROW_TITLE_SPACING;
    }
}

static void
stok_row_title_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (stok_row_title_parent_class)->dispose (object);
}

static void
stok_row_title_class_init (StokRowTitleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_row_title_dispose;

  widget_class->get_request_mode = stok_row_title_get_request_mode;
  widget_class->measure = stok_row_title_measure;
  widget_class->size_allocate = stok_row_title_size_allocate;

  gtk_widget_class_set_css_name (widget_class, "box");
}

static void
stok_row_title_init (StokRowTitle *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "title");
}
