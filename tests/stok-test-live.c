/* stok-test-live.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the session view's widgets are tested with: a real session against
 * the fake server in this process, fed the spoken fixture in real time,
 * and a small window of their own on the X server, read as the user sees
 * it: by its frames and its pixels. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "stok-audio-format.h"
#include "stok-test-live.h"

#define KEY "sk-live-0123456789"
#define FRAME_BYTES (16000 * 2 * STOK_TEST_LIVE_FRAME_MS / 1000)

/* The spoken fixture, 16 kHz mono s16le, read from its WAV "data" chunk. */
static GBytes *
load_two_turns (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "two-turns.wav", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gsize at = 12;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  while (at + 8 <= length)
    {
      guint32 size = GUINT32_FROM_LE (*(guint32 *) (gpointer) (contents + at + 4));

      if (memcmp (contents + at, "data", 4) == 0)
        return g_bytes_new (contents + at + 8, MIN (size, length - at - 8));
      at += 8 + size + (size & 1);
    }

  g_error ("No audio in %s", path);
}

/* Paced off the monotonic clock from the first frame, so that the feed
 * never gets ahead of real time, however late a tick comes; the end of
 * the file ends the session with Terminate, as the app does. */
static gboolean
feed_cb (gpointer user_data)
{
  StokTestLive *live = user_data;
  gsize size = g_bytes_get_size (live->audio);
  gint64 due_frames = (g_get_monotonic_time () - live->started_us) / (STOK_TEST_LIVE_FRAME_MS * 1000) + 1;

  while (live->n_frames < due_frames)
    {
      g_autoptr(GBytes) frame = NULL;
      gsize length = MIN (FRAME_BYTES, size - live->offset);
      double level;

      if (length < FRAME_BYTES || (live->stop_after > 0 && live->n_frames == live->stop_after))
        {
          live->source_id = 0;
          stok_session_end_audio (live->session);
          return G_SOURCE_REMOVE;
        }

      frame = g_bytes_new_from_bytes (live->audio, live->offset, length);
      level = stok_audio_level_dbfs (STOK_AUDIO_ENCODING_PCM_S16LE, g_bytes_get_data (frame, NULL), length);
      g_assert_true (stok_session_send_audio (live->session, frame, level));
      live->offset += length;
      live->n_frames++;
    }

  return G_SOURCE_CONTINUE;
}

static void
state_cb (StokSession  *session,
          GParamSpec   *pspec,
          StokTestLive *live)
{
  if (stok_session_get_state (session) == STOK_SESSION_STATE_STREAMING && live->started_us == 0)
    {
      live->started_us = g_get_monotonic_time ();
      live->source_id = g_timeout_add (STOK_TEST_LIVE_FRAME_MS / 5, feed_cb, live);
    }
}

/**
 * stok_test_live_start:
 * @live: a zeroed #StokTestLive
 * @fixture: the fake server and a client of it
 * @params: (nullable): the session's parameters
 *
 * Mints a token and starts a session with it; audio goes out once it has
 * begun.
 *
 * Returns: (transfer none): the session, held by @live
 */
StokSession *
stok_test_live_start (StokTestLive      *live,
                      StokClientFixture *fixture,
                      StokStreamParams  *params)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;

  stok_token_client_mint_async (fixture->client, stok_fake_server_get_url (fixture->server),
                                KEY, 60, 0, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  token = stok_token_client_mint_finish (fixture->client, result, NULL, &error);
  g_assert_no_error (error);

  live->session = stok_session_new (fixture->client, token, params);
  live->audio = load_two_turns ();
  g_signal_connect (live->session, "notify::state", G_CALLBACK (state_cb), live);
  stok_session_run_async (live->session, NULL, stok_test_result_cb, &live->result);

  return live->session;
}

gboolean
stok_test_live_is_over (gpointer data)
{
  StokTestLive *live = data;

  return live->result != NULL;
}

/* Until the session has ended, completed. */
void
stok_test_live_wait (StokTestLive *live)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (stok_test_wait_until (stok_test_live_is_over, live, 30000));
  g_assert_true (stok_session_run_finish (live->session, live->result, &error));
  g_assert_no_error (error);
}

void
stok_test_live_clear (StokTestLive *live)
{
  g_clear_handle_id (&live->source_id, g_source_remove);
  if (live->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (live->session, live);
      if (live->result == NULL)
        {
          stok_session_close (live->session, 100);
          g_assert_true (stok_test_wait_until (stok_test_live_is_over, live, 5000));
        }
    }
  g_clear_object (&live->result);
  g_clear_object (&live->session);
  g_clear_pointer (&live->audio, g_bytes_unref);
}

static void
paint_cb (GdkFrameClock *frame_clock,
          StokTestShown *shown)
{
  shown->paints++;
}

static void
layout_cb (GdkSurface    *surface,
           int            width,
           int            height,
           StokTestShown *shown)
{
  shown->layouts++;
}

static gboolean
is_mapped (gpointer data)
{
  GtkWidget *child = data;

  return gtk_widget_get_mapped (child) && gtk_widget_get_width (child) > 0;
}

/* @child alone in a window of @width by @height, drawn and settled (the
 * X server configures a new window once more after it is shown); its
 * paints and layouts counted from there. */
void
stok_test_shown_present (StokTestShown *shown,
                         GtkWidget     *child,
                         int            width,
                         int            height)
{
  GdkSurface *surface;

  shown->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (shown->window, width, height);
  gtk_window_set_child (shown->window, child);
  gtk_window_present (shown->window);
  g_assert_true (stok_test_wait_until (is_mapped, child, 10000));

  surface = gtk_native_get_surface (GTK_NATIVE (shown->window));
  g_signal_connect (gdk_surface_get_frame_clock (surface), "paint", G_CALLBACK (paint_cb), shown);
  g_signal_connect (surface, "layout", G_CALLBACK (layout_cb), shown);
  stok_test_shown_wait_frame (shown);

  for (guint quiet_ms = 0, ms = 0; quiet_ms < 500 && ms < 5000; ms += 50)
    {
      guint layouts = shown->layouts;

      stok_test_spin (50);
      quiet_ms = shown->layouts == layouts ? quiet_ms + 50 : 0;
    }
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

/* Until the window has drawn a new frame: what it shows is then what
 * the user sees. */
void
stok_test_shown_wait_frame (StokTestShown *shown)
{
  PaintWait wait = { &shown->paints, shown->paints + 1 };

  gtk_widget_queue_draw (GTK_WIDGET (shown->window));
  g_assert_true (stok_test_wait_until (painted, &wait, 10000));
}

static gboolean
is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

void
stok_test_shown_close (StokTestShown *shown)
{
  gpointer alive = shown->window;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (shown->window));

  g_signal_handlers_disconnect_by_data (gdk_surface_get_frame_clock (surface), shown);
  g_signal_handlers_disconnect_by_data (surface, shown);
  g_object_add_weak_pointer (G_OBJECT (shown->window), &alive);
  gtk_window_destroy (g_steal_pointer (&shown->window));
  g_assert_true (stok_test_wait_until (is_gone, &alive, 20000));
}

/* What @widget showed in its window's last frame, drawn again by the
 * window's own renderer. Wait for a frame first: a widget with a redraw
 * pending gives nothing. */
GdkTexture *
stok_test_render (GtkWidget *widget)
{
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (widget));
  GdkRGBA background;

  /* Over the window's background, as on the screen. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (window), "window_bg_color", &background))
    g_error ("The theme has no window_bg_color");
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* The colour at @x, @y, as 0xAARRGGBB. */
guint32
stok_test_pixel (GdkTexture *texture,
                 int         x,
                 int         y)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, width * height);

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (x, <, width);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (y, <, height);
  gdk_texture_download (texture, (guchar *) pixels, width * sizeof (guint32));

  return pixels[y * width + x];
}

/* The dark style, or the light one, as the user's preference sets it. */
void
stok_test_set_dark (StokTestShown *shown,
                    gboolean       dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_cmpint (adw_style_manager_get_dark (adw_style_manager_get_default ()), ==, dark);
  stok_test_shown_wait_frame (shown);
  stok_test_shown_wait_frame (shown);
}

/* The app's style sheet, as AdwApplication loads it for the app. */
void
stok_test_load_app_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/streamingtoken/StreamingToken/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* With STOK_TEST_SCREENSHOTS set to a directory, the window as a PNG
 * there, to look at. */
void
stok_test_save_screenshot (StokTestShown *shown,
                           const char    *name)
{
  const char *dir = g_getenv ("STOK_TEST_SCREENSHOTS");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    return;

  stok_test_shown_wait_frame (shown);
  texture = stok_test_render (gtk_window_get_child (shown->window));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}
