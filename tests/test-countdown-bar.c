/* test-countdown-bar.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The bar that empties as a token's redemption window runs out, drawn
 * on the X server: it looks as a GtkLevelBar with the countdown's levels
 * looks at the same value, colour for colour, yet a new value only redraws it and never lays the
 * window out again; and a screen reader reads its value. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "stok-countdown-bar.h"
#include "stok-test-window.h"

#define BAR_WIDTH 200

typedef struct
{
  GtkWindow *window;
  StokCountdownBar *bar;
  GtkLevelBar *level_bar;
  guint paints;
} Fixture;

static void
paint_cb (GdkFrameClock *frame_clock,
          guint         *paints)
{
  (*paints)++;
}

typedef struct
{
  guint *paints;
  guint until;
} PaintWait;

static gboolean
painted (gpointer data)
{
  PaintWait *wait = data;

  return *wait->paints >= wait->until;
}

/* Until the window has drawn a new frame: what the widgets show is
 * then what the user sees. */
static void
wait_for_frame (Fixture *fixture)
{
  PaintWait wait = { &fixture->paints, fixture->paints + 1 };

  gtk_widget_queue_draw (GTK_WIDGET (fixture->window));
  g_assert_true (stok_test_wait_until (painted, &wait, 10000));
}

static gboolean
is_drawn (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_mapped (GTK_WIDGET (fixture->bar)) &&
         gtk_widget_get_width (GTK_WIDGET (fixture->bar)) == BAR_WIDTH &&
         gtk_widget_get_width (GTK_WIDGET (fixture->level_bar)) == BAR_WIDTH;
}

/* The bar and, under it, a GtkLevelBar of the same width to hold it
 * against. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  fixture->bar = STOK_COUNTDOWN_BAR (stok_countdown_bar_new ());
  fixture->level_bar = GTK_LEVEL_BAR (gtk_level_bar_new ());
  /* The countdown's levels, which the bar draws as a level bar with
   * these offsets and its style class would. */
  gtk_level_bar_remove_offset_value (fixture->level_bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (fixture->level_bar, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_add_offset_value (fixture->level_bar, "critical", STOK_COUNTDOWN_BAR_CRITICAL);
  gtk_level_bar_add_offset_value (fixture->level_bar, GTK_LEVEL_BAR_OFFSET_LOW, STOK_COUNTDOWN_BAR_LOW);
  gtk_widget_add_css_class (GTK_WIDGET (fixture->level_bar), "countdown-bar");
  gtk_widget_set_size_request (GTK_WIDGET (fixture->bar), BAR_WIDTH, -1);
  gtk_widget_set_size_request (GTK_WIDGET (fixture->level_bar), BAR_WIDTH, -1);
  gtk_widget_set_halign (GTK_WIDGET (fixture->bar), GTK_ALIGN_START);
  gtk_widget_set_halign (GTK_WIDGET (fixture->level_bar), GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->bar));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->level_bar));

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (fixture->window, box);
  gtk_window_present (fixture->window);

  g_assert_true (stok_test_wait_until (is_drawn, fixture, 10000));
  g_signal_connect (gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (fixture->window))),
                    "paint", G_CALLBACK (paint_cb), &fixture->paints);
  wait_for_frame (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_signal_handlers_disconnect_by_data (gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (fixture->window))),
                                        &fixture->paints);
  stok_test_close_window (g_steal_pointer (&fixture->window));
}

/* What @widget showed in the window's last frame, drawn again. */
static GdkTexture *
render (GtkWidget *widget)
{
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* The colours across the middle row of @widget, one a pixel. */
static guint32 *
middle_row (GtkWidget *widget)
{
  g_autoptr(GdkTexture) texture = render (widget);
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, width * height);
  guint32 *row = g_new (guint32, width);

  g_assert_cmpint (width, ==, BAR_WIDTH);
  gdk_texture_download (texture, (guchar *) pixels, width * sizeof (guint32));
  memcpy (row, pixels + (height / 2) * width, width * sizeof (guint32));

  return row;
}

/* The colour of the filled part and of the empty part of @widget, each
 * read in the middle of that part, away from its rounded ends. */
static void
read_parts (GtkWidget *widget,
            double     fraction,
            guint32   *filled,
            guint32   *empty)
{
  g_autofree guint32 *row = middle_row (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int filled_middle = (int) (fraction * BAR_WIDTH / 2);
  int empty_middle = (int) ((fraction * BAR_WIDTH + BAR_WIDTH) / 2);

  if (rtl)
    {
      filled_middle = BAR_WIDTH - 1 - filled_middle;
      empty_middle = BAR_WIDTH - 1 - empty_middle;
    }

  if (filled != NULL)
    *filled = row[filled_middle];
  if (empty != NULL)
    *empty = row[empty_middle];
}

static void
show (Fixture *fixture,
      double   fraction)
{
  stok_countdown_bar_set_fraction (fixture->bar, fraction);
  gtk_level_bar_set_value (fixture->level_bar, fraction);
  wait_for_frame (fixture);
}

/* At each value, the filled part has the colour a GtkLevelBar's has at
 * that value, the empty part the colour of its empty part, and each part
 * its share of the width, from the end the level bar fills from. */
static void
assert_looks_like_level_bar (Fixture *fixture)
{
  static const double fractions[] = { 0.05, 0.1, 0.11, 0.2, 0.21, 0.5, 0.75, 0.9 };

  for (guint i = 0; i < G_N_ELEMENTS (fractions); i++)
    {
      guint32 filled, empty, expected_filled, expected_empty;

      g_test_message ("%s, %.2f",
                      gtk_widget_get_direction (GTK_WIDGET (fixture->bar)) == GTK_TEXT_DIR_RTL
                        ? "right to left" : "left to right",
                      fractions[i]);
      show (fixture, fractions[i]);
      read_parts (GTK_WIDGET (fixture->bar), fractions[i], &filled, &empty);
      read_parts (GTK_WIDGET (fixture->level_bar), fractions[i], &expected_filled, &expected_empty);

      g_assert_cmphex (filled, ==, expected_filled);
      g_assert_cmphex (empty, ==, expected_empty);
      g_assert_cmphex (filled, !=, empty);
    }
}

/* With the theme and the style the app runs with: the success colour
 * while more than a fifth is left, the warning colour down to a tenth,
 * the error colour for the last tenth: three colours, told apart. */
static void
test_looks_like_level_bar (Fixture       *fixture,
                           gconstpointer  user_data)
{
  guint32 full, low, critical;

  assert_looks_like_level_bar (fixture);

  show (fixture, 0.5);
  read_parts (GTK_WIDGET (fixture->bar), 0.5, &full, NULL);
  show (fixture, 0.15);
  read_parts (GTK_WIDGET (fixture->bar), 0.15, &low, NULL);
  show (fixture, 0.05);
  read_parts (GTK_WIDGET (fixture->bar), 0.05, &critical, NULL);
  g_assert_cmphex (full, !=, low);
  g_assert_cmphex (low, !=, critical);
  g_assert_cmphex (full, !=, critical);
}

/* Filled from the right where text runs from the right: set on the bar
 * alone, or for the whole app, as a right-to-left language does. */
static void
test_right_to_left (Fixture       *fixture,
                    gconstpointer  user_data)
{
  guint32 filled, expected_filled;

  /* Turned around while it shows a value, it shows it from the right. */
  show (fixture, 0.3);
  gtk_widget_set_direction (GTK_WIDGET (fixture->bar), GTK_TEXT_DIR_RTL);
  gtk_widget_set_direction (GTK_WIDGET (fixture->level_bar), GTK_TEXT_DIR_RTL);
  wait_for_frame (fixture);
  read_parts (GTK_WIDGET (fixture->bar), 0.3, &filled, NULL);
  read_parts (GTK_WIDGET (fixture->level_bar), 0.3, &expected_filled, NULL);
  g_assert_cmphex (filled, ==, expected_filled);

  assert_looks_like_level_bar (fixture);

  gtk_widget_set_direction (GTK_WIDGET (fixture->bar), GTK_TEXT_DIR_NONE);
  gtk_widget_set_direction (GTK_WIDGET (fixture->level_bar), GTK_TEXT_DIR_NONE);
  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  assert_looks_like_level_bar (fixture);
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

/* A theme that colours the levels its own way (as high contrast or a
 * user's CSS may) sees the block of the level at each value: "critical"
 * up to a tenth, "low" up to a fifth, "full" above. */
static void
test_levels (Fixture       *fixture,
             gconstpointer  user_data)
{
  static const struct {
    double fraction;
    guint32 colour;
  } cases[] = {
    { 0.05, 0xffffff00 },
    { 0.1, 0xffffff00 },
    { 0.11, 0xffff0000 },
    { 0.2, 0xffff0000 },
    { 0.21, 0xff00ff00 },
    { 0.5, 0xff00ff00 },
    { 0.99, 0xff00ff00 },
  };
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (fixture->window));

  gtk_css_provider_load_from_data (provider,
                                   "levelbar.countdown-bar > trough > block.filled.critical { background-color: #ffff00; }"
                                   "levelbar.countdown-bar > trough > block.filled.low { background-color: #ff0000; }"
                                   "levelbar.countdown-bar > trough > block.filled.full { background-color: #00ff00; }",
                                   -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_USER + 1);

  assert_looks_like_level_bar (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint32 filled;

      show (fixture, cases[i].fraction);
      read_parts (GTK_WIDGET (fixture->bar), cases[i].fraction, &filled, NULL);
      g_assert_cmphex (filled, ==, cases[i].colour);
    }

  gtk_style_context_remove_provider_for_display (display, GTK_STYLE_PROVIDER (provider));
}

/* The whole middle row, rounded ends included, as the level bar's. */
static void
assert_same_row (Fixture *fixture)
{
  g_autofree guint32 *row = middle_row (GTK_WIDGET (fixture->bar));
  g_autofree guint32 *expected = middle_row (GTK_WIDGET (fixture->level_bar));

  for (guint x = 0; x < BAR_WIDTH; x++)
    g_assert_cmphex (row[x], ==, expected[x]);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  g_assert (STOK_IS_COUNTDOWN_BAR (object));

  (*count)++;
}

/* Out of range is the nearest end: nothing left, or all of it, drawn as
 * a level bar draws it, not a pixel of the other colour at either end. A
 * value that is not a number (a window of no length) is nothing left.
 * Only a real change is notified. */
static void
test_clamps (Fixture       *fixture,
             gconstpointer  user_data)
{
  static const struct {
    double set;
    double shown;
  } cases[] = {
    { 0.5, 0.5 },
    { -0.5, 0.0 },
    { 1.5, 1.0 },
    { -INFINITY, 0.0 },
    { INFINITY, 1.0 },
    { NAN, 0.0 },
    { 0.0, 0.0 },
    { 1.0, 1.0 },
  };
  guint notifies = 0;

  g_signal_connect (fixture->bar, "notify::fraction", G_CALLBACK (notify_cb), &notifies);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double before = stok_countdown_bar_get_fraction (fixture->bar);
      guint notifies_before = notifies;

      g_test_message ("%g", cases[i].set);
      stok_countdown_bar_set_fraction (fixture->bar, cases[i].set);
      gtk_level_bar_set_value (fixture->level_bar, cases[i].shown);
      wait_for_frame (fixture);
      g_assert_cmpfloat (stok_countdown_bar_get_fraction (fixture->bar), ==, cases[i].shown);
      g_assert_cmpuint (notifies, ==, notifies_before + (before != cases[i].shown ? 1 : 0));
      assert_same_row (fixture);
    }

  /* The same through the property, as a template binding sets it. */
  g_object_set (fixture->bar, "fraction", 0.25, NULL);
  g_assert_cmpfloat (stok_countdown_bar_get_fraction (fixture->bar), ==, 0.25);
}

static void
layout_cb (GdkSurface *surface,
           int         width,
           int         height,
           guint      *layouts)
{
  (*layouts)++;
}

/* Counts the window's layouts while @widget goes from full to empty,
 * one frame a step. */
static guint
layouts_while_emptying (Fixture   *fixture,
                        GtkWidget *widget)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (fixture->window));
  GdkFrameClock *frame_clock = gdk_surface_get_frame_clock (surface);
  guint layouts = 0;
  guint paints = 0;

  g_signal_connect (surface, "layout", G_CALLBACK (layout_cb), &layouts);
  g_signal_connect (frame_clock, "paint", G_CALLBACK (paint_cb), &paints);

  for (guint step = 1; step <= 20; step++)
    {
      PaintWait wait = { &paints, paints + 1 };
      double fraction = 1.0 - step / 20.0;

      if (STOK_IS_COUNTDOWN_BAR (widget))
        stok_countdown_bar_set_fraction (STOK_COUNTDOWN_BAR (widget), fraction);
      else
        gtk_level_bar_set_value (GTK_LEVEL_BAR (widget), fraction);

      /* Each step is drawn. */
      g_assert_true (stok_test_wait_until (painted, &wait, 10000));
    }

  g_signal_handlers_disconnect_by_data (surface, &layouts);
  g_signal_handlers_disconnect_by_data (frame_clock, &paints);

  return layouts;
}

/* A tick of the countdown is one redraw: the bar is drawn at each new
 * value, through every level, and the window is never laid out again.
 * A GtkLevelBar, which the bar replaces for that reason, is, as the
 * same count shows. */
static void
test_redraw_only (Fixture       *fixture,
                  gconstpointer  user_data)
{
  show (fixture, 1.0);
  stok_test_spin (500);

  g_assert_cmpuint (layouts_while_emptying (fixture, GTK_WIDGET (fixture->bar)), ==, 0);
  g_assert_cmpuint (layouts_while_emptying (fixture, GTK_WIDGET (fixture->level_bar)), >, 0);
}

/* A screen reader reads it as a meter from 0 to 1, at its value. */
static void
test_accessible (Fixture       *fixture,
                 gconstpointer  user_data)
{
  static const struct {
    double set;
    double read;
  } cases[] = {
    { 0.5, 0.5 },
    { 0.25, 0.25 },
    { 1.5, 1.0 },
    { -1.0, 0.0 },
    { NAN, 0.0 },
    { 1.0, 1.0 },
  };
  GtkAccessible *accessible = GTK_ACCESSIBLE (fixture->bar);

  gtk_test_accessible_assert_role (accessible, GTK_ACCESSIBLE_ROLE_METER);
  gtk_test_accessible_assert_property (accessible, GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0);
  gtk_test_accessible_assert_property (accessible, GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 1.0);
  gtk_test_accessible_assert_property (accessible, GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 1.0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      stok_countdown_bar_set_fraction (fixture->bar, cases[i].set);
      gtk_test_accessible_assert_property (accessible, GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, cases[i].read);
    }
}

/* Not shown, it is freed with whatever holds it. */
static void
test_finalize (void)
{
  GtkWidget *bar = g_object_ref_sink (stok_countdown_bar_new ());

  stok_countdown_bar_set_fraction (STOK_COUNTDOWN_BAR (bar), 0.5);
  g_assert_finalize_object (bar);
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  g_setenv ("GTK_A11Y", "test", TRUE);
  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_NO_KEYRING);

  g_test_add ("/countdown-bar/looks-like-level-bar", Fixture, NULL,
              fixture_set_up, test_looks_like_level_bar, fixture_tear_down);
  g_test_add ("/countdown-bar/right-to-left", Fixture, NULL,
              fixture_set_up, test_right_to_left, fixture_tear_down);
  g_test_add ("/countdown-bar/levels", Fixture, NULL,
              fixture_set_up, test_levels, fixture_tear_down);
  g_test_add ("/countdown-bar/clamps", Fixture, NULL,
              fixture_set_up, test_clamps, fixture_tear_down);
  g_test_add ("/countdown-bar/redraw-only", Fixture, NULL,
              fixture_set_up, test_redraw_only, fixture_tear_down);
  g_test_add ("/countdown-bar/accessible", Fixture, NULL,
              fixture_set_up, test_accessible, fixture_tear_down);
  g_test_add_func ("/countdown-bar/finalize", test_finalize);

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
