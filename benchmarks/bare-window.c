/* bare-window.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The start-up benchmark's baseline: the least a libadwaita app can show,
 * an empty AdwApplicationWindow of the app's default size, timed by the
 * same hook as the app (src/stok-first-frame.c). What the app takes beyond
 * this is what the app itself costs.
 *
 * Built with REFERENCE_WINDOW defined, it is the benchmark's yardstick
 * instead: the same window with the least content of the app's kind, a
 * header bar and one boxed list of one row. It shows what any window pays
 * for its first text, buttons and rows under each renderer, so that a
 * reader can tell the app's own cost from the toolkit's. */

#include "config.h"

#include <adwaita.h>

#include "stok-first-frame.h"

static void
activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));

#ifdef REFERENCE_WINDOW
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = adw_action_row_new ();

  gtk_window_set_title (GTK_WINDOW (window), "Reference Window");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "Expires in");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_margin_top (list, 24);
  gtk_widget_set_margin_start (list, 12);
  gtk_widget_set_margin_end (list, 12);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), list);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
#endif

  /* The app's: the schema's window-width and window-height. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 720);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("io.github.streamingtoken.StreamingToken.BareWindow",
                             G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  /* As the app's main does. */
  stok_first_frame_watch_application (GTK_APPLICATION (app));

  return g_application_run (G_APPLICATION (app), argc, argv);
}
