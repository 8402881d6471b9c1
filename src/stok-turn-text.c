/* stok-turn-text.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The text of a turn still partial: wrapped as a GtkLabel wraps it, but a
 * new text is a new size only when it takes another height.
 *
 * A partial grows several times a second. A GtkLabel asks for a new size
 * with each new text, and in GTK 4.8 any new size lays out the whole
 * window again: on X11 that is a round of round trips to the X server for
 * the window's geometry and work area, and a synthesized pointer motion,
 * which shows the overlay scroll bar under the pointer and fades it out
 * again at 60 frames a second. Here a text that fits the same lines is
 * only drawn again; a line more or less is a new size.
 *
 * Its width is the list's: a longer text never asks for a wider row.
 * Nothing in it is selectable, as nothing in a text that changes under
 * the pointer could stay selected; the final turn is a label again. */

#define G_LOG_DOMAIN "stok-turn-text"

#include "config.h"

#include "stok-turn-text.h"

struct _StokTurnText
{
  GtkWidget      parent_instance;

  char          *text;
  PangoAttrList *attributes;
  PangoLayout   *layout;
  /* The widths of the text, worked out once for each text: the list
   * asks for them at every layout, and the layout is kept at the width
   * drawn. -1 until then. */
  int            min_width;
  int            natural_width;
};

G_DEFINE_FINAL_TYPE (StokTurnText, stok_turn_text, GTK_TYPE_WIDGET)

static PangoLayout *
ensure_layout (StokTurnText *self)
{
  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->text);
      pango_layout_set_wrap (self->layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_attributes (self->layout, self->attributes);
    }

  return self->layout;
}

/* The layout wrapped at @width pixels, or not at all for -1. */
static PangoLayout *
layout_at_width (StokTurnText *self,
                 int           width)
{
  PangoLayout *layout = ensure_layout (self);

  pango_layout_set_width (layout, width >= 0 ? width * PANGO_SCALE : -1);

  return layout;
}

static GtkSizeRequestMode
stok_turn_text_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
stok_turn_text_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  StokTurnText *self = STOK_TURN_TEXT (widget);
  int width, height;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      if (self->min_width < 0)
        {
          g_autoptr(PangoLayout) probe = pango_layout_copy (ensure_layout (self));

          /* Broken at every place it may be: its widest character. */
          pango_layout_set_width (probe, 0);
          pango_layout_get_pixel_size (probe, &self->min_width, NULL);
          pango_layout_set_width (probe, -1);
          pango_layout_get_pixel_size (probe, &width, NULL);
          self->natural_width = MAX (self->min_width, width);
        }
      *minimum = self->min_width;
      *natural = self->natural_width;
    }
  else
    {
      pango_layout_get_pixel_size (layout_at_width (self, for_size), NULL, &height);
      *minimum = *natural = height;
    }
}

static void
stok_turn_text_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  StokTurnText *self = STOK_TURN_TEXT (widget);
  PangoLayout *layout = layout_at_width (self, gtk_widget_get_width (widget));

  /* As a label draws its text: the theme's colour and shadow. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_snapshot_render_layout (snapshot, gtk_widget_get_style_context (widget), 0, 0, layout);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
stok_turn_text_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  StokTurnText *self = STOK_TURN_TEXT (widget);

  GTK_WIDGET_CLASS (stok_turn_text_parent_class)->css_changed (widget, change);

  /* A new font or scale is in the widget's Pango context: its layout
   * learns of it here. */
  if (self->layout != NULL)
    pango_layout_context_changed (self->layout);
  self->min_width = self->natural_width = -1;
}

static void
stok_turn_text_finalize (GObject *object)
{
  StokTurnText *self = STOK_TURN_TEXT (object);

  g_clear_object (&self->layout);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->attributes, pango_attr_list_unref);

  G_OBJECT_CLASS (stok_turn_text_parent_class)->finalize (object);
}

static void
stok_turn_text_class_init (StokTurnTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = stok_turn_text_finalize;

  widget_class->get_request_mode = stok_turn_text_get_request_mode;
  widget_class->measure = stok_turn_text_measure;
  widget_class->snapshot = stok_turn_text_snapshot;
  widget_class->css_changed = stok_turn_text_css_changed;

  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
stok_turn_text_init (StokTurnText *self)
{
  self->text = g_strdup ("");
  self->min_width = self->natural_width = -1;
}

GtkWidget *
stok_turn_text_new (void)
{
  return g_object_new (STOK_TYPE_TURN_TEXT, NULL);
}

const char *
stok_turn_text_get_text (StokTurnText *self)
{
  g_return_val_if_fail (STOK_IS_TURN_TEXT (self), NULL);

  return self->text;
}

/**
 * stok_turn_text_get_attributes:
 * @self: a #StokTurnText
 *
 * Returns: (transfer none) (nullable): the attributes of its text
 */
PangoAttrList *
stok_turn_text_get_attributes (StokTurnText *self)
{
  g_return_val_if_fail (STOK_IS_TURN_TEXT (self), NULL);

  return self->attributes;
}

/**
 * stok_turn_text_set_text:
 * @self: a #StokTurnText
 * @text: the text to show
 * @attributes: (nullable): how parts of it look, by byte
 *
 * Shows @text, drawn again at once, and laid out again only when it takes
 * another height at the width @self has.
 */
void
stok_turn_text_set_text (StokTurnText  *self,
                         const char    *text,
                         PangoAttrList *attributes)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget);
  int height;

  g_return_if_fail (STOK_IS_TURN_TEXT (self));
  g_return_if_fail (text != NULL);

  if (g_str_equal (text, self->text) &&
      (attributes == self->attributes ||
       (attributes != NULL && self->attributes != NULL && pango_attr_list_equal (attributes, self->attributes))))
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  if (attributes != NULL)
    pango_attr_list_ref (attributes);
  g_clear_pointer (&self->attributes, pango_attr_list_unref);
  self->attributes = attributes;

  if (self->layout != NULL)
    {
      pango_layout_set_text (self->layout, self->text, -1);
      pango_layout_set_attributes (self->layout, self->attributes);
    }
  self->min_width = self->natural_width = -1;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->text,
                                  -1);

  if (gtk_widget_get_mapped (widget) && width > 0)
    {
      pango_layout_get_pixel_size (layout_at_width (self, width), NULL, &height);
      if (height == gtk_widget_get_height (widget))
        {
          gtk_widget_queue_draw (widget);
          return;
        }
    }

  gtk_widget_queue_resize (widget);
}

/**
 * stok_turn_text_get_layout:
 * @self: a #StokTurnText
 *
 * Returns: (transfer none): its text as drawn, at its width: for finding
 *   what is under the pointer, from the widget's top left corner
 */
PangoLayout *
stok_turn_text_get_layout (StokTurnText *self)
{
  g_return_val_if_fail (STOK_IS_TURN_TEXT (self), NULL);

  return layout_at_width (self, gtk_widget_get_width (GTK_WIDGET (self)));
}
