/* bare-streaming.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The session benchmark's yardstick (bench-session.c): the least a GTK
 * window does while it streams, with nothing of the app in it. A timer
 * fires at the audio's frame rate, as the pacer sends a frame; another
 * at the rate Turn messages come, each adding a word to a wrapping label
 * that is drawn at once, as a transcript does; and a clock ticks once a
 * second in an inscription, which is drawn and never laid out again, as
 * the app's figures are. It sends and receives nothing: its wake-ups are
 * what GTK 4.8 itself takes for that much, the floor under any window
 * that streams and shows its turns as they come.
 *
 *   bare-streaming [TURNS-PER-S]
 *
 * TURNS-PER-S (3.2, the bench's spoken file) is how often a word is added;
 * the frame rate is 20/s, 50 ms frames. It draws with the renderer the
 * app would choose (stok-renderer.c). */

#include "config.h"

#include <stdlib.h>

#include <adwaita.h>

#include "stok-renderer.h"

#define FRAME_MS 50

typedef struct
{
  GtkLabel *transcript;
  GtkInscription *clock;
  double turns_per_s;
  guint words;
  guint seconds;
} Bare;

/* The pacer's send, a write that does not wait: only its wake-up counts. */
static gboolean
frame_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
turn_cb (gpointer data)
{
  Bare *bare = data;
  g_autofree char *text = NULL;

  text = g_strdup_printf ("%s word%u", gtk_label_get_label (bare->transcript), ++bare->words);
  gtk_label_set_label (bare->transcript, text);

  return G_SOURCE_CONTINUE;
}

static gboolean
tick_cb (gpointer data)
{
  Bare *bare = data;
  g_autofree char *text = g_strdup_printf ("%u s", ++bare->seconds);

  gtk_inscription_set_text (bare->clock, text);

  return G_SOURCE_CONTINUE;
}

static void
activate_cb (GApplication *app,
             gpointer      data)
{
  Bare *bare = data;
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *label = gtk_label_new ("");
  GtkWidget *clock = gtk_inscription_new ("0 s");

  gtk_window_set_title (GTK_WINDOW (window), "Bare Streaming");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), clock);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 720);

  bare->transcript = GTK_LABEL (label);
  bare->clock = GTK_INSCRIPTION (clock);
  g_timeout_add (FRAME_MS, frame_cb, bare);
  g_timeout_add ((guint) (1000 / bare->turns_per_s), turn_cb, bare);
  g_timeout_add_seconds (1, tick_cb, bare);

  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;
  Bare bare = { .turns_per_s = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 3.2 };

  if (bare.turns_per_s <= 0 || bare.turns_per_s > 100)
    {
      g_printerr ("usage: %s [TURNS-PER-S]\n", argv[0]);
      return EXIT_FAILURE;
    }

  /* The renderer the app draws with here, chosen as its main does. */
  stok_choose_renderer ();

  app = adw_application_new ("io.github.streamingtoken.StreamingToken.BareStreaming",
                             G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), &bare);

  return g_application_run (G_APPLICATION (app), 1, argv);
}
