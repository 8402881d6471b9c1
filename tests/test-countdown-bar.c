/* test-countdown-bar.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The bar that empties as a token's redemption window runs out, as drawn:
 * the colour of what is left says how near the end is, the theme's
 * success colour while a fifth or more is left, its warning colour below
 * that and its error colour for the last tenth; and a new value only
 * redraws it. */

#include "config.h"

#include <adwaita.h>

#include "stok-countdown-bar.h"
#include "stok-test-session.h"
#include "stok-test-window.h"

#define BAR_WIDTH 300

typedef struct
{
  GtkWindow *window;
  StokCountdownBar *bar;
  StokTestFrames frames;
} Fixture;

typedef struct
{
  StokTestFrames *frames;
  guint paints;
} PaintWait;

static gboolean
has_painted_since (gpointer data)
{
  PaintWait *wait = data;

  return wait->frames->paints > wait->paints;
}

/* Sets @fraction and waits for the frame that draws it. */
static void
set_fraction (Fixture *fixture,
              double   fraction)
{
  PaintWait wait = { &fixture->frames, fixture->frames.paints };
  gboolean changes = stok_countdown_bar_get_fraction (fixture->bar) != fraction;

  stok_countdown_bar_set_fraction (fixture->bar, fraction);
  if (changes)
    g_assert_true (stok_test_wait_until (has_painted_since, &wait, 2000));
}

static gboolean
is_drawn (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_mapped (GTK_WIDGET (fixture->bar)) &&
         gtk_widget_get_width (GTK_WIDGET (fixture->bar)) == BAR_WIDTH &&
         fixture->frames.paints > 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->bar = STOK_COUNTDOWN_BAR (stok_countdown_bar_new ());
  gtk_widget_set_size_request (GTK_WIDGET (fixture->bar), BAR_WIDTH, -1);
  gtk_widget_set_halign (GTK_WIDGET (fixture->bar), GTK_ALIGN_START);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->bar));
  gtk_widget_realize (GTK_WIDGET (fixture->window));
  stok_test_frames_start (&fixture->frames, fixture->window);
  gtk_window_present (fixture->window);
  g_assert_true (stok_test_wait_until (is_drawn, fixture, 5000));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  stok_test_frames_stop (&fixture->frames);
  gtk_window_destroy (fixture->window);
}

/* The colour the bar is drawn in at @x, half-way down. */
static GdkRGBA
colour_at (StokCountdownBar *bar,
           int               x)
{
  int width = gtk_widget_get_width (GTK_WIDGET (bar));
  int height = gtk_widget_get_height (GTK_WIDGET (bar));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (bar));
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (GTK_WIDGET (bar)));
  const guchar *pixel;

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  pixels = g_malloc (width * height * 4);
  /* Premultiplied BGRA, in the machine's byte order for 32-bit words. */
  gdk_texture_download (texture, pixels, width * 4);
  pixel = pixels + (height / 2) * width * 4 + x * 4;

  return (GdkRGBA) { pixel[2] / 255.f, pixel[1] / 255.f, pixel[0] / 255.f, pixel[3] / 255.f };
}

static GdkRGBA
theme_colour (StokCountdownBar *bar,
              const char       *name)
{
  GdkRGBA colour;

  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (bar)), name, &colour));
  return colour;
}

static gboolean
same_colour (const GdkRGBA *a,
             const GdkRGBA *b)
{
  return ABS (a->red - b->red) < 0.02 && ABS (a->green - b->green) < 0.02 && ABS (a->blue - b->blue) < 0.02;
}

static void
assert_colour (Fixture    *fixture,
               double      fraction,
               const char *name)
{
  GdkRGBA expected = theme_colour (fixture->bar, name);
  g_autofree char *expected_text = gdk_rgba_to_string (&expected);
  g_autofree char *drawn_text = NULL;
  GdkRGBA drawn;

  set_fraction (fixture, fraction);
  /* Inside what is left, clear of its rounded end. */
  drawn = colour_at (fixture->bar, (int) (fraction * BAR_WIDTH / 2));
  drawn_text = gdk_rgba_to_string (&drawn);
  g_test_message ("at %.2f: drawn %s, %s is %s", fraction, drawn_text, name, expected_text);
  g_assert_true (same_colour (&drawn, &expected));
}

static void
test_colours (Fixture       *fixture,
              gconstpointer  data)
{
  assert_colour (fixture, 1.0, "success_bg_color");
  assert_colour (fixture, 0.5, "success_bg_color");
  assert_colour (fixture, 0.21, "success_bg_color");
  assert_colour (fixture, 0.2, "warning_bg_color");
  assert_colour (fixture, 0.11, "warning_bg_color");
  assert_colour (fixture, 0.1, "error_bg_color");
  assert_colour (fixture, 0.04, "error_bg_color");
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  GdkRGBA left;
  GdkRGBA right;

  /* Nothing left: nothing of any level's colour, the trough alone. */
  set_fraction (fixture, 0.0);
  g_assert_cmpfloat (stok_countdown_bar_get_fraction (fixture->bar), ==, 0.0);
  left = colour_at (fixture->bar, 10);
  right = colour_at (fixture->bar, BAR_WIDTH - 10);
  g_assert_true (same_colour (&left, &right));
  for (guint i = 0; i < 3; i++)
    {
      const char *names[] = { "success_bg_color", "warning_bg_color", "error_bg_color" };
      GdkRGBA level = theme_colour (fixture->bar, names[i]);

      g_assert_false (same_colour (&left, &level));
    }
}

/* What a tick costs: a redraw, not a new layout, even when the level
 * changes. */
static void
test_value_only_redraws (Fixture       *fixture,
                         gconstpointer  data)
{
  const double fractions[] = { 0.9, 0.5, 0.19, 0.09, 0.0 };
  StokTestFrames frames;

  stok_test_frames_start (&frames, GTK_WINDOW (fixture->window));
  stok_test_frames_wait_for_quiet (&frames);
  frames.layouts = 0;
  frames.paints = 0;

  for (guint i = 0; i < G_N_ELEMENTS (fractions); i++)
    {
      guint paints = frames.paints;

      stok_countdown_bar_set_fraction (fixture->bar, fractions[i]);
      g_assert_true (stok_test_wait_until (has_painted_since, &(PaintWait) { &frames, paints }, 2000));
    }

  g_assert_cmpuint (frames.layouts, ==, 0);
  stok_test_frames_stop (&frames);
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_NO_KEYRING);

#define ADD(path, func) \
  g_test_add ("/countdown-bar/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("colours", test_colours);
  ADD ("empty", test_empty);
  ADD ("value-only-redraws", test_value_only_redraws);

#undef ADD

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
