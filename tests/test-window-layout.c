/* test-window-layout.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window's two layouts, read from the allocations: two panes side by
 * side at the default size, each scrolling on its own, with the token,
 * its countdown and Verify's verdict in view without scrolling; one
 * column at 360 px, the session under the history; and the move from
 * one to the other as the window is resized, the focus kept. */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "stok-fake-server.h"
#include "stok-session-live.h"
#include "stok-test-audio.h"
#include "stok-test-session.h"
#include "stok-test-util.h"
#include "stok-test-window.h"
#include "stok-window.h"

typedef StokTestWindowFixture Fixture;

static graphene_rect_t
bounds_in (StokWindow *window,
           const char *name,
           const char *ancestor)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (stok_test_child (window, name),
                                            stok_test_child (window, ancestor), &bounds));
  return bounds;
}

static gboolean
session_in (StokWindow *window,
            const char *pane)
{
  return gtk_widget_is_ancestor (stok_test_child (window, "session_view"), stok_test_child (window, pane));
}

/* Whole within @scroller_name, as it shows now. */
static gboolean
in_scroller (StokWindow *window,
             const char *name,
             const char *scroller_name)
{
  GtkWidget *widget = stok_test_child (window, name);
  GtkWidget *scroller = stok_test_child (window, scroller_name);
  graphene_rect_t bounds;

  return gtk_widget_get_mapped (widget) &&
         gtk_widget_compute_bounds (widget, scroller, &bounds) &&
         bounds.size.height > 0 && bounds.origin.y >= 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller);
}

static void
assert_in_scroller (StokWindow *window,
                    const char *name,
                    const char *scroller_name)
{
  GtkWidget *scroller = stok_test_child (window, scroller_name);
  graphene_rect_t bounds = bounds_in (window, name, scroller_name);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  g_test_message ("%s: %g to %g of %d (scrolled %g of %g)", name, bounds.origin.y, bounds.origin.y + bounds.size.height,
                  gtk_widget_get_height (scroller), gtk_adjustment_get_value (adjustment),
                  gtk_adjustment_get_upper (adjustment));
  g_assert_true (in_scroller (window, name, scroller_name));
}

/* Whole within the token pane's scroller, as it shows now. */
static void
assert_in_view (StokWindow *window,
                const char *name)
{
  assert_in_scroller (window, name, "scrolled_window");
}

static gboolean
has_verification (gpointer data)
{
  StokWindow *window = data;

  return stok_test_is_idle (window) &&
         gtk_widget_get_visible (stok_test_child (window, "token_panel/verification_box"));
}

/* At the default size: two panes, the token's as wide as today's one
 * column; after Generate and Verify, the whole token, its countdown and
 * the verdict are in view, with no scrolling by the user. */
static void
test_wide_default (Fixture       *fixture,
                   gconstpointer  data)
{
  StokWindow *window = fixture->window;
  g_autoptr(GPtrArray) lives = g_ptr_array_new ();
  graphene_rect_t token_pane, session_pane;
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1180);
  g_assert_cmpint (height, ==, 720);
  stok_test_window_settle (window);

  g_assert_true (session_in (window, "session_scroller"));
  g_assert_true (gtk_widget_get_visible (stok_test_child (window, "session_scroller")));
  /* A pane of its own needs no heading to say what it is. */
  g_assert_false (gtk_widget_get_visible (stok_test_child (window, "session_view/narrow_heading")));
  token_pane = bounds_in (window, "scrolled_window", "panes_box");
  session_pane = bounds_in (window, "session_scroller", "panes_box");
  g_test_message ("token pane %g px, session pane %g px", token_pane.size.width, session_pane.size.width);
  g_assert_cmpfloat (token_pane.size.width, >=, 420);
  g_assert_cmpfloat (token_pane.size.width, <=, 480);
  g_assert_cmpfloat (session_pane.origin.x, >=, token_pane.origin.x + token_pane.size.width);
  g_assert_cmpfloat (session_pane.size.width, >=, token_pane.size.width);
  /* Each scrolls on its own, the full height. */
  g_assert_cmpfloat (session_pane.size.height, ==, token_pane.size.height);

  /* Before a first session there is no transcript to show, nor is one
   * built: the source, Start and every parameter are in view without
   * scrolling. */
  stok_test_collect_widgets (GTK_WIDGET (window), STOK_TYPE_SESSION_LIVE, lives);
  g_assert_cmpuint (lives->len, ==, 0);
  assert_in_scroller (window, "session_view/start_button", "session_scroller");
  assert_in_scroller (window, "session_view/params_group/speech_model_row", "session_scroller");
  assert_in_scroller (window, "session_view/params_group/advanced_row", "session_scroller");

  stok_test_set_key (window, "sk-good");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_token, window, 5000));
  stok_test_window_settle (window);
  assert_in_view (window, "token_panel/token_label");
  assert_in_view (window, "token_panel/countdown_inscription");

  stok_test_start_verify (window);
  g_assert_true (stok_test_wait_until (has_verification, window, 5000));
  stok_test_window_settle (window);

  assert_in_view (window, "token_panel/token_label");
  assert_in_view (window, "token_panel/countdown_inscription");
  assert_in_view (window, "token_panel/verification_box");
  g_assert_cmpstr (stok_test_label (window, "token_panel/countdown_inscription"), ==, "Verified");
}

/* At 360 px, one column: the session under the history, nothing wider
 * than the window. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  graphene_rect_t history, session;
  GtkWidget *grid;
  guint n_figures = 0;
  int minimum;

  g_settings_set_int (settings, "window-width", 360);
  stok_test_window_fixture_open (fixture, stok_fake_server_get_url (fixture->server));
  stok_test_window_settle (fixture->window);

  /* Nothing asks for more than a phone's width. */
  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("narrowest: %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 360);
  g_assert_true (session_in (fixture->window, "token_column"));
  g_assert_false (gtk_widget_get_visible (stok_test_child (fixture->window, "session_scroller")));
  history = bounds_in (fixture->window, "history_group", "token_column");
  session = bounds_in (fixture->window, "session_view", "token_column");
  g_assert_cmpfloat (session.origin.y, >=, history.origin.y + history.size.height);
  g_assert_cmpfloat (session.origin.x + session.size.width, <=, 360);
  /* Under the history, a heading says where the session's half begins. */
  g_assert_true (gtk_widget_get_visible (stok_test_child (fixture->window, "session_view/narrow_heading")));
  /* Start, Stop and End Turn one above the other. */
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (stok_test_child (fixture->window, "session_view/controls_box"))),
                   ==, GTK_ORIENTATION_VERTICAL);

  /* A session's latency figures one a line, each name whole: two a line
   * cut them to a few letters. */
  stok_test_set_key (fixture->window, "sk-good");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.start-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, fixture->window, 15000));
  stok_test_spin (300);
  grid = stok_test_child (fixture->window, "session_view/StokSessionLive/figures_grid");
  for (GtkWidget *child = gtk_widget_get_first_child (grid); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      int column;

      gtk_grid_query_child (GTK_GRID (grid), child, &column, NULL, NULL, NULL);
      if (GTK_IS_LABEL (child))
        {
          g_assert_cmpint (column, ==, 0);
          g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (child)), ==, PANGO_ELLIPSIZE_NONE);
        }
      else
        {
          g_assert_cmpint (column, ==, 1);
        }
      n_figures++;
    }
  g_assert_cmpuint (n_figures, ==, 14);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_session_ended, fixture->window, 15000));
}

static gboolean
is_narrow (gpointer data)
{
  return session_in (data, "token_column");
}

static gboolean
is_wide (gpointer data)
{
  return session_in (data, "session_scroller");
}

/* As a window manager resizes it: the X server's window, which GTK
 * follows. */
static void
resize (StokWindow *window,
        int         width)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  GdkDisplay *display = gdk_surface_get_display (surface);

  if (!GDK_IS_X11_DISPLAY (display))
    {
      g_test_skip ("Resized only on X11");
      return;
    }

  XResizeWindow (gdk_x11_display_get_xdisplay (display), gdk_x11_surface_get_xid (surface), width, 720);
  XFlush (gdk_x11_display_get_xdisplay (display));
}

/* Resized across the width, the session pane moves, and the focus stays
 * on the control it was on. */
static void
test_resize_keeps_focus (Fixture       *fixture,
                         gconstpointer  data)
{
  StokWindow *window = fixture->window;
  GtkWidget *start = stok_test_child (window, "session_view/start_button");

  stok_test_set_key (window, "sk-good");
  stok_test_window_settle (window);
  g_assert_true (is_wide (window));
  g_assert_true (gtk_widget_grab_focus (start));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == start);

  resize (window, 600);
  g_assert_true (stok_test_wait_until (is_narrow, window, 5000));
  stok_test_window_settle (window);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == start);

  resize (window, 1180);
  g_assert_true (stok_test_wait_until (is_wide, window, 5000));
  stok_test_window_settle (window);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == start);
}

/* Whole within the session pane, as it shows now. */
static gboolean
in_session_view (StokWindow *window,
                 const char *name)
{
  return in_scroller (window, name, "session_scroller");
}

static gboolean
ending_in_view (gpointer data)
{
  return in_session_view (data, "session_view/controls_box") &&
         in_session_view (data, "session_view/ending_card");
}

static gboolean
stop_in_view (gpointer data)
{
  return in_session_view (data, "session_view/stop_button") &&
         in_session_view (data, "session_view/end_turn_button");
}

/* The session pane, laid out with the session, is tall enough that its
 * end is below the controls by more than a view. */
static gboolean
controls_scroll_away (gpointer data)
{
  StokWindow *window = data;
  GtkWidget *scroller = stok_test_child (window, "session_scroller");
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  graphene_rect_t bounds;

  return gtk_widget_compute_bounds (stok_test_child (window, "session_view/controls_box"), scroller, &bounds) &&
         gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) >
         gtk_adjustment_get_value (adjustment) + bounds.origin.y + bounds.size.height;
}

/* The session pane scrolled to its end, among the parameters, where the
 * controls are out of view: else the test would prove nothing. */
static void
scroll_session_to_end (StokWindow *window)
{
  GtkWidget *scroller = stok_test_child (window, "session_scroller");
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  g_assert_true (stok_test_wait_until (controls_scroll_away, window, 5000));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  stok_test_spin (200);
  g_assert_false (in_session_view (window, "session_view/controls_box"));
}

/* A wheel's notch down over the transcript, which is at its end (it
 * follows the newest turn): the transcript's own handler first, as GTK
 * would run it, then the page's. */
static void
assert_wheel_scrolls_page (StokWindow *window)
{
  GtkWidget *transcript = stok_test_child (window, "session_view/StokSessionLive/transcript_scroller");
  GtkAdjustment *page = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (stok_test_child (window, "session_scroller")));

  stok_test_assert_wheel_goes_on (transcript, page);
}

/* Started or ended from far down the session pane, among the parameters
 * (Ctrl+R, Escape): Stop, and then how the session ended, come into view
 * with the controls above them. Waited for while the session streams,
 * whose frames never settle. */
static void
test_session_in_view (Fixture       *fixture,
                      gconstpointer  data)
{
  StokWindow *window = fixture->window;
  /* A file that outlasts the test: the Sample could end on its own. */
  g_autofree char *dir = g_dir_make_tmp ("stok-window-layout-XXXXXX", NULL);
  g_autofree char *path = stok_test_write_wav (dir, "tone.wav", 16000, 1, 120000, STOK_TEST_TONE);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  stok_window_open_audio_file (window, file);
  stok_test_set_key (window, "sk-good");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, window, 15000));
  g_assert_true (stok_test_wait_until (stop_in_view, window, 5000));

  scroll_session_to_end (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_session_ended, window, 15000));
  g_assert_true (stok_test_wait_until (ending_in_view, window, 5000));

  /* The wheel over the transcript, at its end, scrolls the page on. */
  assert_wheel_scrolls_page (window);

  scroll_session_to_end (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, window, 15000));
  g_assert_true (stok_test_wait_until (stop_in_view, window, 5000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_session_ended, window, 15000));
  stok_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_NO_KEYRING);

#define ADD(path, func) \
  g_test_add ("/window-layout/" path, Fixture, NULL, stok_test_window_fixture_set_up, func, \
              stok_test_window_fixture_tear_down)

  ADD ("wide-default", test_wide_default);
  ADD ("narrow", test_narrow);
  ADD ("resize-keeps-focus", test_resize_keeps_focus);
  ADD ("session-in-view", test_session_in_view);

#undef ADD

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
