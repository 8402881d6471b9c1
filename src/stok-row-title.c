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
 * really has. Heights for a width are asked of the labels as they are.
 *
 * Rows whose header libadwaita builds itself, such as an AdwExpanderRow's,
 * get one with stok_row_title_adopt_labels(). */

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

static gboolean
is_label_with_class (GtkWidget  *widget,
                     const char *css_class)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class);
}

/* The box.title of a header built as libadwaita 1.2 builds an
 * AdwActionRow's: a vertical GtkBox holding label.title then
 * label.subtitle, and nothing else. */
static GtkWidget *
find_title_box (GtkWidget *widget)
{
  if (GTK_IS_BOX (widget) && gtk_widget_has_css_class (widget, "title"))
    {
      GtkWidget *title = gtk_widget_get_first_child (widget);
      GtkWidget *subtitle = title != NULL ? gtk_widget_get_next_sibling (title) : NULL;

      if (is_label_with_class (title, "title") &&
          is_label_with_class (subtitle, "subtitle") &&
          gtk_widget_get_next_sibling (subtitle) == NULL)
        return widget;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      /* Not into the rows an expander holds. */
      if (GTK_IS_REVEALER (child))
        continue;

      if ((found = find_title_box (child)) != NULL)
        return found;
    }

  return NULL;
}

/**
 * stok_row_title_adopt_labels:
 * @row: a row whose header libadwaita built, such as an #AdwExpanderRow
 *
 * Moves the title and subtitle labels of @row's header into a
 * #StokRowTitle inside their box, so that the header's box asks its
 * widths of the #StokRowTitle rather than searching the labels (see the
 * top of this file). The labels stay the row's own: the row still sets
 * their texts, shows and hides them, and names itself by them.
 *
 * Does nothing to a row not built as libadwaita 1.2 builds one.
 */
void
stok_row_title_adopt_labels (GtkWidget *row)
{
  GtkWidget *box;
  GtkWidget *labels[2];
  GtkWidget *title;

  g_return_if_fail (GTK_IS_WIDGET (row));

  box = find_title_box (row);
  if (box == NULL)
    return;

  labels[0] = gtk_widget_get_first_child (box);
  labels[1] = gtk_widget_get_next_sibling (labels[0]);

  /* Its box is box.title already, spaced and styled as such. */
  title = g_object_new (STOK_TYPE_ROW_TITLE, NULL);
  gtk_widget_remove_css_class (title, "title");
  gtk_widget_set_parent (title, box);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_object_ref (labels[i]);
      gtk_widget_unparent (labels[i]);
      gtk_widget_set_parent (labels[i], title);
      g_object_unref (labels[i]);
    }
}
