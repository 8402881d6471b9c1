/* stok-level-meter.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How loud the microphone is, as it captures: a bar from
 * STOK_LEVEL_METER_FLOOR to 0 dBFS, in the accent colour on a trough.
 *
 * It changes with every frame of audio, twenty times a second: like
 * StokCountdownBar, a new level only redraws it. Its size never depends
 * on the level, so the window is never laid out again for it (a
 * GtkLevelBar would queue an allocation with each value). */

#define G_LOG_DOMAIN "stok-level-meter"

#include "config.h"

#include <math.h>

#include "stok-level-meter.h"

#define HEIGHT 6
#define NATURAL_WIDTH 120

struct _StokLevelMeter
{
  GtkWidget parent_instance;

  double    level;
};

G_DEFINE_FINAL_TYPE (StokLevelMeter, stok_level_meter, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LEVEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
stok_level_meter_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 32;
      *natural = NATURAL_WIDTH;
    }
  else
    {
      *minimum = *natural = HEIGHT;
    }
}

static void
append_bar (GtkSnapshot   *snapshot,
            double         width,
            double         height,
            const GdkRGBA *colour)
{
  GskRoundedRect rect;

  gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (0, 0, width, height), height / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &rect);
  gtk_snapshot_append_color (snapshot, colour, &rect.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
stok_level_meter_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  StokLevelMeter *self = STOK_LEVEL_METER (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double filled = round (width * stok_level_meter_get_fraction (self));
  GdkRGBA foreground;
  GdkRGBA accent;

  /* The theme's colours at each frame: the dark style and high contrast
   * change them. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  gtk_style_context_get_color (context, &foreground);
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", &accent))
    accent = foreground;
  G_GNUC_END_IGNORE_DEPRECATIONS

  foreground.alpha *= 0.15;
  append_bar (snapshot, width, height, &foreground);
  if (filled >= height)
    append_bar (snapshot, filled, height, &accent);
}

static void
stok_level_meter_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  StokLevelMeter *self = STOK_LEVEL_METER (object);

  switch (prop_id)
    {
    case PROP_LEVEL:
      g_value_set_double (value, self->level);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_level_meter_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  StokLevelMeter *self = STOK_LEVEL_METER (object);

  switch (prop_id)
    {
    case PROP_LEVEL:
      stok_level_meter_set_level (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_level_meter_class_init (StokLevelMeterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = stok_level_meter_get_property;
  object_class->set_property = stok_level_meter_set_property;

  widget_class->measure = stok_level_meter_measure;
  widget_class->snapshot = stok_level_meter_snapshot;

  /**
   * StokLevelMeter:level:
   *
   * The level shown, in dBFS; at or under STOK_LEVEL_METER_FLOOR the bar
   * is empty.
   */
  properties[PROP_LEVEL] =
    g_param_spec_double ("level", NULL, NULL,
                         -G_MAXDOUBLE, 0.0, -100.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "levelmeter");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_METER);
}

static void
stok_level_meter_init (StokLevelMeter *self)
{
  self->level = -100.0;
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, STOK_LEVEL_METER_FLOOR,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, STOK_LEVEL_METER_FLOOR,
                                  -1);
}

GtkWidget *
stok_level_meter_new (void)
{
  return g_object_new (STOK_TYPE_LEVEL_METER, NULL);
}

double
stok_level_meter_get_level (StokLevelMeter *self)
{
  g_return_val_if_fail (STOK_IS_LEVEL_METER (self), STOK_LEVEL_METER_FLOOR);

  return self->level;
}

/**
 * stok_level_meter_set_level:
 * @self: a #StokLevelMeter
 * @level: a level in dBFS
 *
 * Shows @level: a redraw, never a new layout.
 */
void
stok_level_meter_set_level (StokLevelMeter *self,
                            double          level)
{
  double before;

  g_return_if_fail (STOK_IS_LEVEL_METER (self));

  level = MIN (level, 0.0);
  if (self->level == level)
    return;

  before = stok_level_meter_get_fraction (self);
  self->level = level;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);

  /* Silence stays silence: nothing to draw, and nothing to tell a screen
   * reader, which would hear of every frame otherwise. */
  if (stok_level_meter_get_fraction (self) == before)
    return;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, MAX (level, STOK_LEVEL_METER_FLOOR),
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * stok_level_meter_get_fraction:
 * @self: a #StokLevelMeter
 *
 * Returns: how much of the bar is filled, from 0 to 1
 */
double
stok_level_meter_get_fraction (StokLevelMeter *self)
{
  g_return_val_if_fail (STOK_IS_LEVEL_METER (self), 0.0);

  return CLAMP ((self->level - STOK_LEVEL_METER_FLOOR) / -STOK_LEVEL_METER_FLOOR, 0.0, 1.0);
}
