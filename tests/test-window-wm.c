/* test-window-wm.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window under a window manager, as GNOME on X11 runs it: mutter, on
 * an X server of this test's own, so that no other window test runs
 * under it.
 *
 * Under a window manager, each layout of the window brings a motion of
 * the pointer that did not move (GDK repeats where the pointer is, so
 * that GTK knows what is under it again). A pointer resting on a pane
 * that scrolls, through a live session whose turns lay the window out
 * several times a second, must not bring up the pane's overlay scroll
 * bar at each turn, to fade out again at 60 frames a second; a pointer
 * that moves still shows it. */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <X11/Xatom.h>

#include "stok-test-session.h"
#include "stok-test-util.h"
#include "stok-test-window.h"
#include "stok-window.h"

typedef StokTestWindowFixture Fixture;

/* The X server and its window manager, or why there are none. */
static GSubprocess *x_server;
static GSubprocess *window_manager;
static char *no_window_manager;

static gboolean
has_window_manager (Display *xdisplay)
{
  Atom check = XInternAtom (xdisplay, "_NET_SUPPORTING_WM_CHECK", False);
  Atom type = None;
  int format = 0;
  unsigned long n_items = 0, after = 0;
  unsigned char *data = NULL;
  gboolean found;

  XGetWindowProperty (xdisplay, DefaultRootWindow (xdisplay), check, 0, 1, False, XA_WINDOW,
                      &type, &format, &n_items, &after, &data);
  found = type == XA_WINDOW && n_items == 1;
  if (data != NULL)
    XFree (data);

  return found;
}

/* What a helper said on stderr, from @path, which is then removed. */
static char *
take_log (const char *path)
{
  g_autofree char *said = NULL;

  g_file_get_contents (path, &said, NULL, NULL);
  g_unlink (path);
  if (said == NULL || *g_strstrip (said) == '\0')
    return g_strdup ("nothing");

  return g_steal_pointer (&said);
}

/* Xvfb on a display of its choosing, then mutter on it; DISPLAY is set
 * to it for GTK. What each says goes to a file, to be told if it fails. */
static gboolean
start_window_manager (GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *number = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *x_log_path = NULL;
  g_autofree char *wm_log_path = NULL;
  g_autofree char *said = NULL;
  Display *xdisplay = NULL;

  x_log_path = g_strdup_printf ("%s/stok-test-window-wm-xvfb-%d.log", g_get_tmp_dir (), (int) getpid ());
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, x_log_path);
  x_server = g_subprocess_launcher_spawn (launcher, error, "Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24",
                                          "-nolisten", "tcp", "-noreset", NULL);
  g_clear_object (&launcher);
  if (x_server == NULL)
    {
      g_unlink (x_log_path);
      return FALSE;
    }

  /* Xvfb writes its display's number once it takes connections, then the
   * newline in a write of its own. The whole line is read: a pipe closed
   * after the number alone made that second write fail, and Xvfb exit
   * ("Cannot write display number to fd 3"), so that the display could
   * not be opened. CI skipped this test so, twice. */
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (x_server));
  number = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL);
  if (number == NULL)
    {
      said = take_log (x_log_path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Xvfb said no display; it said: %s", said);
      return FALSE;
    }
  display_name = g_strdup_printf (":%d", atoi (number));
  g_setenv ("DISPLAY", display_name, TRUE);

  xdisplay = XOpenDisplay (display_name);
  if (xdisplay == NULL)
    {
      said = take_log (x_log_path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not open %s; Xvfb said: %s", display_name, said);
      return FALSE;
    }

  wm_log_path = g_strdup_printf ("%s/stok-test-window-wm-mutter-%d.log", g_get_tmp_dir (), (int) getpid ());
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_stderr_file_path (launcher, wm_log_path);
  /* Its warnings are its own: the tests' fatal criticals are not. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  window_manager = g_subprocess_launcher_spawn (launcher, error, "mutter", "--x11", "--replace", "--sm-disable", NULL);
  if (window_manager == NULL)
    {
      XCloseDisplay (xdisplay);
      g_unlink (wm_log_path);
      g_unlink (x_log_path);
      return FALSE;
    }

  /* Managing the screen, it has its check window. */
  for (guint i = 0; i < 200 && !has_window_manager (xdisplay); i++)
    g_usleep (50 * 1000);
  if (!has_window_manager (xdisplay))
    {
      said = take_log (wm_log_path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "mutter did not take over %s in 10 s; it said: %s",
                   display_name, said);
      XCloseDisplay (xdisplay);
      g_unlink (x_log_path);
      return FALSE;
    }
  XCloseDisplay (xdisplay);
  g_unlink (wm_log_path);
  g_unlink (x_log_path);

  return TRUE;
}

static void
stop (GSubprocess **process)
{
  if (*process == NULL)
    return;

  g_subprocess_send_signal (*process, SIGTERM);
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

/* As a user moves the pointer: the X server's, moved to @x, @y of
 * @widget. */
static void
move_pointer (StokWindow *window,
              GtkWidget  *widget,
              double      x,
              double      y)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  Display *xdisplay = gdk_x11_display_get_xdisplay (gdk_surface_get_display (surface));
  graphene_point_t point;
  double surface_x, surface_y;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (window), &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &surface_x, &surface_y);
  XWarpPointer (xdisplay, None, gdk_x11_surface_get_xid (surface), 0, 0, 0, 0,
                (int) (point.x + surface_x), (int) (point.y + surface_y));
  XFlush (xdisplay);
}

static gboolean
scroll_bar_shown (gpointer data)
{
  return gtk_widget_get_opacity (data) > 0;
}

static gboolean
scroll_bar_hidden (gpointer data)
{
  return gtk_widget_get_opacity (data) == 0;
}

/* The pointer at rest on the session pane: the window laid out again, as
 * each new turn does, leaves the pane's overlay scroll bar hidden; the
 * pointer moved shows it. */
static void
test_pointer_at_rest (Fixture       *fixture,
                      gconstpointer  data)
{
  StokWindow *window = fixture->window;
  GtkWidget *scroller = stok_test_child (window, "session_scroller");
  GtkWidget *scroll_bar = gtk_scrolled_window_get_vscrollbar (GTK_SCROLLED_WINDOW (scroller));
  GtkWidget *view = stok_test_child (window, "session_view");
  double x, y;

  if (no_window_manager != NULL)
    {
      g_test_skip (no_window_manager);
      return;
    }

  /* Every parameter open: the session pane scrolls. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (stok_test_child (window, "session_view/params_group/turn_row")), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (stok_test_child (window, "session_view/params_group/advanced_row")), TRUE);
  stok_test_window_settle (window);
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller))), >,
                     gtk_widget_get_height (scroller));
  x = gtk_widget_get_width (scroller) / 2.0;
  y = gtk_widget_get_height (scroller) / 2.0;

  /* Moved onto the pane, the pointer shows its scroll bar, which fades
   * once the pointer rests. */
  move_pointer (window, scroller, x, y);
  g_assert_true (stok_test_wait_until (scroll_bar_shown, scroll_bar, 5000));
  g_assert_true (stok_test_wait_until (scroll_bar_hidden, scroll_bar, 10000));

  for (guint i = 0; i < 5; i++)
    {
      StokTestFrames frames;

      stok_test_frames_start (&frames, GTK_WINDOW (window));
      gtk_widget_queue_resize (view);
      for (guint ms = 0; ms < 300 || frames.layouts == 0; ms += 10)
        {
          g_assert_cmpuint (ms, <, 5000);
          stok_test_spin (10);
          g_assert_cmpfloat (gtk_widget_get_opacity (scroll_bar), ==, 0);
        }
      stok_test_frames_stop (&frames);
    }

  /* It is still there for a pointer that moves. */
  move_pointer (window, scroller, x + 4, y + 4);
  g_assert_true (stok_test_wait_until (scroll_bar_shown, scroll_bar, 5000));
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  int status;

  if (!start_window_manager (&error))
    {
      no_window_manager = g_strdup_printf ("No window manager: %s", error->message);
      stop (&window_manager);
      stop (&x_server);
      g_setenv ("DISPLAY", display, TRUE);
    }

  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_NO_KEYRING);

  g_test_add ("/window-wm/pointer-at-rest", Fixture, NULL, stok_test_window_fixture_set_up, test_pointer_at_rest,
              stok_test_window_fixture_tear_down);

  status = g_test_run ();
  stok_test_session_stop (&session);
  stop (&window_manager);
  stop (&x_server);
  g_free (no_window_manager);

  return status;
}
