/* stok-countdown-bar.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The bar that empties as a token's redemption window runs out.
 *
 * Not a GtkLevelBar because of what a tick would cost: a new value there
 * queues an allocation, every allocation relays out the toplevel, and with
 * GTK 4.8 on X11 each relayout of a toplevel asks the X server for the
 * window's geometry and the work area again, about ten round trips in all.
 * Ticking once a second, a level bar kept the app awake twenty times a
 * second. This bar has a level bar's CSS nodes, so the theme draws it the
 * same,
 *
 *   levelbar.horizontal.continuous.countdown-bar
 *   ╰── trough
 *       ├── block.empty
 *       ├── block.filled.critical
 *       ├── block.filled.low
 *       ╰── block.filled.full
 *
 * but the blocks are laid out across the whole trough once, and the
 * fraction only decides which filled block is drawn, and how much of it: a
 * new value is a redraw and nothing else. There is one filled block per
 * level, rather than one whose class changes, because a new class makes
 * GTK lay the window out again.
 *
 * The levels warn as the end nears: full (the success colour) while a
 * fifth or more is left, then low (the warning colour), and critical (the
 * error colour) for the last tenth. A GtkLevelBar's own offsets would turn
 * it from green to blue at three quarters, which means nothing, and
 * libadwaita 1.2 draws its low block blue too; style.css colours these. */

#define G_LOG_DOMAIN "stok-countdown-bar"

#include "config.h"

#include <math.h>

#include "stok-countdown-bar.h"

/* The trough draws its blocks itself: the empty one whole, the filled one
 * of the current level slid out of view by the part that has gone. */
#define STOK_TYPE_COUNTDOWN_TROUGH (stok_countdown_trough_get_type())

G_DECLARE_FINAL_TYPE (StokCountdownTrough, stok_countdown_trough, STOK, COUNTDOWN_TROUGH, GtkWidget)

struct _StokCountdownTrough
{
  GtkWidget  parent_instance;

  GtkWidget *empty_block;
  GtkWidget *critical_block;
  GtkWidget *low_block;
  GtkWidget *full_block;
  double     fraction;
};

G_DEFINE_FINAL_TYPE (StokCountdownTrough, stok_countdown_trough, GTK_TYPE_WIDGET)

struct _StokCountdownBar
{
  GtkWidget            parent_instance;

  StokCountdownTrough *trough;
};

G_DEFINE_FINAL_TYPE (StokCountdownBar, stok_countdown_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static GtkWidget *
block_new (GtkWidget  *parent,
           const char *css_class,
           const char *level)
{
  GtkWidget *block = g_object_new (GTK_TYPE_BOX,
                                   "css-name", "block",
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                   NULL);

  gtk_widget_add_css_class (block, css_class);
  if (level != NULL)
    gtk_widget_add_css_class (block, level);
  gtk_widget_set_parent (block, parent);

  return block;
}

/* The filled block for the fraction left. */
static GtkWidget *
filled_block (StokCountdownTrough *self)
{
  if (self->fraction <= STOK_COUNTDOWN_BAR_CRITICAL)
    return self->critical_block;
  if (self->fraction <= STOK_COUNTDOWN_BAR_LOW)
    return self->low_block;
  return self->full_block;
}

static void
stok_countdown_trough_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  *minimum = 0;
  *natural = 0;

  for (GtkWidget *block = gtk_widget_get_first_child (widget);
       block != NULL;
       block = gtk_widget_get_next_sibling (block))
    {
      int block_min, block_nat;

      gtk_widget_measure (block, orientation, for_size, &block_min, &block_nat, NULL, NULL);
      *minimum = MAX (*minimum, block_min);
      *natural = MAX (*natural, block_nat);
    }
}

static void
stok_countdown_trough_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline)
{
  for (GtkWidget *block = gtk_widget_get_first_child (widget);
       block != NULL;
       block = gtk_widget_get_next_sibling (block))
    gtk_widget_allocate (block, width, height, baseline, NULL);
}

static void
stok_countdown_trough_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  StokCountdownTrough *self = STOK_COUNTDOWN_TROUGH (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  float filled = (float) (int) (self->fraction * width + 0.5);
  float radius = height / 2.f;
  GskRoundedRect outline;

  gtk_widget_snapshot_child (widget, self->empty_block, snapshot);

  if (filled <= 0)
    return;

  /* The trough's own pill shape, so that the filled block keeps its
   * rounded end where it is cut off; it is Adwaita's shape for both. */
  gsk_rounded_rect_init (&outline, &GRAPHENE_RECT_INIT (0, 0, width, height),
                         &GRAPHENE_SIZE_INIT (radius, radius), &GRAPHENE_SIZE_INIT (radius, radius),
                         &GRAPHENE_SIZE_INIT (radius, radius), &GRAPHENE_SIZE_INIT (radius, radius));
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  /* The bar's direction, which may be set on it alone, as on a level
   * bar. */
  if (gtk_widget_get_direction (gtk_widget_get_parent (widget)) == GTK_TEXT_DIR_RTL)
    gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (width - filled, 0));
  else
    gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (filled - width, 0));
  gtk_widget_snapshot_child (widget, filled_block (self), snapshot);
  gtk_snapshot_pop (snapshot);
}

static void
stok_countdown_trough_dispose (GObject *object)
{
  StokCountdownTrough *self = STOK_COUNTDOWN_TROUGH (object);

  g_clear_pointer (&self->empty_block, gtk_widget_unparent);
  g_clear_pointer (&self->critical_block, gtk_widget_unparent);
  g_clear_pointer (&self->low_block, gtk_widget_unparent);
  g_clear_pointer (&self->full_block, gtk_widget_unparent);

  G_OBJECT_CLASS (stok_countdown_trough_parent_class)->dispose (object);
}

static void
stok_countdown_trough_class_init (StokCountdownTroughClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_countdown_trough_dispose;

  widget_class->measure = stok_countdown_trough_measure;
  widget_class->size_allocate = stok_countdown_trough_size_allocate;
  widget_class->snapshot = stok_countdown_trough_snapshot;

  gtk_widget_class_set_css_name (widget_class, "trough");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
stok_countdown_trough_init (StokCountdownTrough *self)
{
  self->empty_block = block_new (GTK_WIDGET (self), "empty", NULL);
  self->critical_block = block_new (GTK_WIDGET (self), "filled", "critical");
  self->low_block = block_new (GTK_WIDGET (self), "filled", "low");
  self->full_block = block_new (GTK_WIDGET (self), "filled", "full");
}

static void
stok_countdown_bar_dispose (GObject *object)
{
  StokCountdownBar *self = STOK_COUNTDOWN_BAR (object);

  if (self->trough != NULL)
    gtk_widget_unparent (GTK_WIDGET (g_steal_pointer (&self->trough)));

  G_OBJECT_CLASS (stok_countdown_bar_parent_class)->dispose (object);
}

static void
stok_countdown_bar_direction_changed (GtkWidget        *widget,
                                      GtkTextDirection  previous_direction)
{
  StokCountdownBar *self = STOK_COUNTDOWN_BAR (widget);

  /* The trough fills from the other end, at the same size. */
  gtk_widget_queue_draw (GTK_WIDGET (self->trough));

  GTK_WIDGET_CLASS (stok_countdown_bar_parent_class)->direction_changed (widget, previous_direction);
}

static void
stok_countdown_bar_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StokCountdownBar *self = STOK_COUNTDOWN_BAR (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, stok_countdown_bar_get_fraction (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_countdown_bar_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  StokCountdownBar *self = STOK_COUNTDOWN_BAR (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      stok_countdown_bar_set_fraction (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_countdown_bar_class_init (StokCountdownBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_countdown_bar_dispose;
  object_class->get_property = stok_countdown_bar_get_property;
  object_class->set_property = stok_countdown_bar_set_property;

  widget_class->direction_changed = stok_countdown_bar_direction_changed;

  /**
   * StokCountdownBar:fraction:
   *
   * How much of the bar is filled, from 0 to 1.
   */
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL,
                         0.0, 1.0, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "levelbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_METER);
}

static void
stok_countdown_bar_init (StokCountdownBar *self)
{
  self->trough = g_object_new (STOK_TYPE_COUNTDOWN_TROUGH, NULL);
  self->trough->fraction = 1.0;
  gtk_widget_set_parent (GTK_WIDGET (self->trough), GTK_WIDGET (self));

  gtk_widget_add_css_class (GTK_WIDGET (self), "horizontal");
  gtk_widget_add_css_class (GTK_WIDGET (self), "continuous");
  gtk_widget_add_css_class (GTK_WIDGET (self), "countdown-bar");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 1.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 1.0,
                                  -1);
}

GtkWidget *
stok_countdown_bar_new (void)
{
  return g_object_new (STOK_TYPE_COUNTDOWN_BAR, NULL);
}

double
stok_countdown_bar_get_fraction (StokCountdownBar *self)
{
  g_return_val_if_fail (STOK_IS_COUNTDOWN_BAR (self), 0.0);

  return self->trough->fraction;
}

/**
 * stok_countdown_bar_set_fraction:
 * @self: a #StokCountdownBar
 * @fraction: how much is left, from 0 to 1
 *
 * Queues a redraw of the bar, never a new layout of the window. Out of
 * range is the nearest end; not a number (a window of no length) is
 * nothing left.
 */
void
stok_countdown_bar_set_fraction (StokCountdownBar *self,
                                 double            fraction)
{
  g_return_if_fail (STOK_IS_COUNTDOWN_BAR (self));

  fraction = isnan (fraction) ? 0.0 : CLAMP (fraction, 0.0, 1.0);
  if (fraction == self->trough->fraction)
    return;

  self->trough->fraction = fraction;
  gtk_widget_queue_draw (GTK_WIDGET (self->trough));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, fraction,
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}
