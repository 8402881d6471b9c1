/* test-timeline.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The session's timeline on the X server, following a real session of
 * the spoken fixture against the fake server: each word drawn where the
 * fake server placed it in the audio, as that audio was sent; each final
 * turn marked at its arrival, with the latency from the end of its last
 * word; tooltips that name the turn, the word and the figure; the figures
 * for a screen reader; the theme's colours, light and dark; a redraw, and
 * never a new layout of the window, for each new frame of audio, and
 * nothing at all once the session is over; and the live edge followed
 * until the user scrolls back. */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "stok-test-live.h"
#include "stok-test-window.h"
#include "stok-timeline.h"
#include "stok-turn-row.h"

typedef struct
{
  StokClientFixture client;
  StokTestLive live;
  StokTestShown shown;
  StokTimeline *timeline;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  stok_client_fixture_set_up (&fixture->client, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->shown.window != NULL)
    stok_test_shown_close (&fixture->shown);
  stok_test_live_clear (&fixture->live);
  stok_client_fixture_tear_down (&fixture->client, NULL);
}

static void
show_timeline (Fixture *fixture,
               int      width)
{
  fixture->timeline = STOK_TIMELINE (stok_timeline_new ());
  stok_timeline_set_session (fixture->timeline, fixture->live.session);
  stok_test_shown_present (&fixture->shown, GTK_WIDGET (fixture->timeline), width, -1);
}

static GdkRGBA
theme_colour (GtkWidget  *widget,
              const char *name)
{
  GdkRGBA colour;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, &colour));
  G_GNUC_END_IGNORE_DEPRECATIONS

  return colour;
}

/* How much of @colour over @background @pixel is, if it is that blend
 * within a few levels, else -1. */
static double
blend_of (guint32        pixel,
          const GdkRGBA *colour,
          const GdkRGBA *background)
{
  double p[3] = { ((pixel >> 16) & 0xff) / 255.0, ((pixel >> 8) & 0xff) / 255.0, (pixel & 0xff) / 255.0 };
  double c[3] = { colour->red, colour->green, colour->blue };
  double b[3] = { background->red, background->green, background->blue };
  double dot = 0, norm = 0, amount;

  for (guint i = 0; i < 3; i++)
    {
      dot += (p[i] - b[i]) * (c[i] - b[i]);
      norm += (c[i] - b[i]) * (c[i] - b[i]);
    }
  amount = dot / norm;

  for (guint i = 0; i < 3; i++)
    if (fabs (b[i] + amount * (c[i] - b[i]) - p[i]) > 8 / 255.0)
      return -1;

  return amount;
}

static double
luminance (const GdkRGBA *colour)
{
  double channels[3] = { colour->red, colour->green, colour->blue };

  for (guint i = 0; i < 3; i++)
    channels[i] = channels[i] <= 0.03928 ? channels[i] / 12.92 : pow ((channels[i] + 0.055) / 1.055, 2.4);

  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}

/* WCAG's contrast ratio, of which a mark needs 3:1. */
static double
contrast (const GdkRGBA *a,
          const GdkRGBA *b)
{
  double la = luminance (a);
  double lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* Where the timeline should put @audio_us of audio, worked out from what
 * the session says it sent and when: the frame that held it ends when it
 * was sent, and at 100 px a second from the start of the session. */
static double
expected_x (StokSession *session,
            gint64       audio_us)
{
  gint64 frame_us;
  guint n_levels;
  gint64 frame;

  stok_session_get_levels (session, &n_levels, &frame_us);
  frame = audio_us / frame_us;
  g_assert_cmpint (frame, <, n_levels);

  return (stok_session_get_audio_sent_at (session, audio_us) - frame_us + (audio_us - frame * frame_us))
         * STOK_TIMELINE_DEFAULT_PIXELS_PER_SECOND / G_USEC_PER_SEC;
}

/* The final Turn messages the fake server sent, as it sent them. */
static GPtrArray *
final_turns_sent (StokFakeServer *server)
{
  GPtrArray *finals = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint i = 0; i < stok_fake_server_get_n_sent (server); i++)
    {
      const StokFakeMessage *sent = stok_fake_server_get_sent (server, i);
      JsonNode *node;
      JsonObject *object;

      if (g_strcmp0 (sent->type, "Turn") != 0)
        continue;

      node = json_from_string (sent->text, NULL);
      object = json_node_get_object (node);
      if (json_object_get_boolean_member (object, "end_of_turn") &&
          !json_object_get_boolean_member (object, "turn_is_formatted"))
        g_ptr_array_add (finals, node);
      else
        json_node_unref (node);
    }

  return finals;
}

static guint32
pixel_at (GdkTexture *texture,
          double      x,
          double      y)
{
  return stok_test_pixel (texture, (int) floor (x), (int) floor (y));
}

/* Each word where the fake server placed it in the audio, as sent, within
 * a pixel, in the accent colour, or the warning colour if it was unsure;
 * nothing just before a turn's first word. */
static void
assert_words_placed (Fixture    *fixture,
                     GdkTexture *texture,
                     gboolean    dark)
{
  StokSession *session = fixture->live.session;
  g_autoptr(GPtrArray) finals = final_turns_sent (fixture->client.server);
  GtkWidget *widget = GTK_WIDGET (fixture->timeline);
  GdkRGBA background = theme_colour (widget, "window_bg_color");
  GdkRGBA accent = theme_colour (widget, "accent_color");
  GdkRGBA warning = theme_colour (widget, "warning_color");
  guint n_unsure = 0;

  g_assert_cmpuint (finals->len, ==, 2);
  for (guint i = 0; i < finals->len; i++)
    {
      JsonObject *object = json_node_get_object (finals->pdata[i]);
      JsonArray *words = json_object_get_array_member (object, "words");
      guint order = (guint) json_object_get_int_member (object, "turn_order");

      for (guint j = 0; j < json_array_get_length (words); j++)
        {
          JsonObject *word = json_array_get_object_element (words, j);
          gint64 start_ms = json_object_get_int_member (word, "start");
          gint64 end_ms = json_object_get_int_member (word, "end");
          gboolean unsure = json_object_get_double_member (word, "confidence") <= STOK_LOW_CONFIDENCE;
          double x0 = expected_x (session, start_ms * 1000);
          double x1 = expected_x (session, end_ms * 1000);
          double middle;
          graphene_rect_t area;

          /* A word is never less than 2 px wide: audio sent late goes
           * out in a burst, its words squeezed to where it was sent. */
          g_assert_true (stok_timeline_get_word_area (fixture->timeline, order, j, &area));
          g_assert_cmpfloat_with_epsilon (area.origin.x, x0, 1.0);
          g_assert_cmpfloat_with_epsilon (area.origin.x + area.size.width, MAX (x1, x0 + 2), 1.0);

          middle = area.origin.y + area.size.height / 2;
          g_assert_cmpfloat (blend_of (pixel_at (texture, area.origin.x + area.size.width / 2, middle),
                                       unsure ? &warning : &accent, &background),
                             >=, 0.8);
          if (j == 0)
            g_assert_cmpfloat_with_epsilon (blend_of (pixel_at (texture, x0 - 3, middle), &accent, &background), 0, 0.01);
          n_unsure += unsure;
        }
    }

  /* The fake server makes every fifth word unsure. */
  g_assert_cmpuint (n_unsure, >, 0);
  g_test_message ("%s: %u words unsure", dark ? "dark" : "light", n_unsure);
}

/* Each final turn marked at its arrival, in the accent colour, with its
 * latency's bracket from the frame that held its last word. */
static void
assert_finals_placed (Fixture    *fixture,
                      GdkTexture *texture)
{
  GListModel *turns = stok_session_get_turns (fixture->live.session);
  GtkWidget *widget = GTK_WIDGET (fixture->timeline);
  GdkRGBA background = theme_colour (widget, "window_bg_color");
  GdkRGBA accent = theme_colour (widget, "accent_color");

  for (guint i = 0; i < g_list_model_get_n_items (turns); i++)
    {
      g_autoptr(StokTurn) turn = g_list_model_get_item (turns, i);
      double x = stok_turn_get_final_arrival (turn) * STOK_TIMELINE_DEFAULT_PIXELS_PER_SECOND / G_USEC_PER_SEC;
      graphene_rect_t mark, bracket;

      g_assert_true (stok_timeline_get_final_area (fixture->timeline, i, &mark));
      g_assert_cmpfloat_with_epsilon (mark.origin.x + mark.size.width / 2, x, 1.0);
      g_assert_cmpfloat (blend_of (pixel_at (texture, x, mark.origin.y + mark.size.height - 4), &accent, &background),
                         >=, 0.9);

      g_assert_true (stok_timeline_get_latency_area (fixture->timeline, i, &bracket));
      g_assert_cmpfloat_with_epsilon (bracket.origin.x + bracket.size.width, x, 1.0);
      g_assert_cmpfloat_with_epsilon (bracket.size.width,
                                      stok_turn_get_latency (turn) * STOK_TIMELINE_DEFAULT_PIXELS_PER_SECOND / G_USEC_PER_SEC,
                                      1.0);
      g_assert_cmpfloat (contrast (&accent, &background), >=, 3.0);
    }
}

/* What hovering says: the word, the turn and its latency, a partial, the
 * start of speech. */
static void
assert_tooltips (Fixture *fixture)
{
  StokSession *session = fixture->live.session;
  GListModel *turns = stok_session_get_turns (session);
  g_autoptr(StokTurn) turn = g_list_model_get_item (turns, 1);
  const StokWord *last = stok_turn_get_word (turn, stok_turn_get_n_words (turn) - 1);
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  const gint64 *partials;
  const gint64 *speech;
  guint n_partials, n_speech;
  graphene_rect_t area;

  expected = g_strdup_printf ("Turn 2: final at %.2f s, %d ms after the end of “%s” was sent",
                              stok_turn_get_final_arrival (turn) / 1e6, (int) ((stok_turn_get_latency (turn) + 500) / 1000),
                              last->text);
  g_assert_true (stok_timeline_get_final_area (fixture->timeline, 1, &area));
  text = stok_timeline_dup_tooltip_at (fixture->timeline, area.origin.x + 1, area.origin.y + area.size.height - 4);
  g_assert_cmpstr (text, ==, expected);
  g_clear_pointer (&text, g_free);

  g_assert_true (stok_timeline_get_latency_area (fixture->timeline, 1, &area));
  text = stok_timeline_dup_tooltip_at (fixture->timeline, area.origin.x + area.size.width / 2,
                                       area.origin.y + area.size.height / 2);
  g_assert_cmpstr (text, ==, expected);
  g_clear_pointer (&text, g_free);

  for (guint i = 0; i < g_list_model_get_n_items (turns); i++)
    {
      g_autoptr(StokTurn) each = g_list_model_get_item (turns, i);

      for (guint j = 0; j < stok_turn_get_n_words (each); j++)
        {
          const StokWord *word = stok_turn_get_word (each, j);

          g_assert_true (stok_timeline_get_word_area (fixture->timeline, i, j, &area));
          g_free (expected);
          expected = g_strdup_printf ("Turn %u, “%s”: %.2f to %.2f s of audio, confidence %.2f",
                                      i + 1, word->text, word->start_ms / 1000.0, word->end_ms / 1000.0,
                                      word->confidence);
          text = stok_timeline_dup_tooltip_at (fixture->timeline, area.origin.x + area.size.width / 2,
                                               area.origin.y + area.size.height / 2);
          g_assert_cmpstr (text, ==, expected);
          g_clear_pointer (&text, g_free);
        }
    }

  partials = stok_turn_get_partial_arrivals (turn, &n_partials);
  g_assert_cmpuint (n_partials, >, 0);
  g_free (expected);
  expected = g_strdup_printf ("Turn 2: partial at %.2f s", partials[0] / 1e6);
  text = stok_timeline_dup_tooltip_at (fixture->timeline, stok_timeline_get_x_for_time (fixture->timeline, partials[0]),
                                       area.origin.y + area.size.height + 10);
  g_assert_cmpstr (text, ==, expected);
  g_clear_pointer (&text, g_free);

  speech = stok_session_get_speech_started (session, &n_speech);
  g_assert_cmpuint (n_speech, >, 0);
  g_free (expected);
  expected = g_strdup_printf ("Speech started at %.2f s of audio", speech[0] / 1000.0);
  text = stok_timeline_dup_tooltip_at (fixture->timeline,
                                       stok_timeline_get_x_for_time (fixture->timeline,
                                                                     stok_timeline_audio_to_session (fixture->timeline, speech[0] * 1000)),
                                       10);
  g_assert_cmpstr (text, ==, expected);
}

static gboolean
nothing_drawn_for (Fixture *fixture,
                   guint    ms)
{
  guint paints = fixture->shown.paints;

  stok_test_spin (ms);
  return fixture->shown.paints == paints;
}

/* A whole session followed live, then read as the user reads it. */
static void
test_live (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autofree char *summary = NULL;
  StokSessionFigures figures;
  g_autoptr(StokTurn) last = NULL;
  g_autoptr(GdkTexture) light = NULL;
  g_autoptr(GdkTexture) dark = NULL;
  guint layouts, paints;

  stok_test_live_start (&fixture->live, &fixture->client, NULL);
  show_timeline (fixture, 800);
  gtk_test_accessible_assert_role (fixture->timeline, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (fixture->timeline, GTK_ACCESSIBLE_PROPERTY_LABEL, "Session timeline");
  gtk_test_accessible_assert_property (fixture->timeline, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "No final turn yet.");
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (fixture->timeline)));
  g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (fixture->timeline)));

  /* Each new frame of audio and each message is drawn: a redraw, never
   * a new layout of the window. */
  layouts = fixture->shown.layouts;
  paints = fixture->shown.paints;
  stok_test_live_wait (&fixture->live);
  stok_test_shown_wait_frame (&fixture->shown);
  g_test_message ("%u frames drawn while streaming", fixture->shown.paints - paints);
  g_assert_cmpuint (fixture->shown.paints - paints, >=, 20);
  g_assert_cmpuint (fixture->shown.layouts, ==, layouts);

  /* Over, it is drawn no more. */
  g_assert_true (nothing_drawn_for (fixture, 600));

  /* The whole session fits: from its start. */
  g_assert_true (stok_timeline_get_follows_live (fixture->timeline));
  g_assert_cmpint (stok_timeline_get_view_start (fixture->timeline), ==, 0);

  light = stok_test_render (GTK_WIDGET (fixture->timeline));
  assert_words_placed (fixture, light, FALSE);
  assert_finals_placed (fixture, light);
  assert_tooltips (fixture);
  stok_test_save_screenshot (&fixture->shown, "timeline-light.png");

  /* The figures, for a screen reader. */
  last = g_list_model_get_item (stok_session_get_turns (fixture->live.session), 1);
  stok_session_get_figures (fixture->live.session, &figures);
  summary = g_strdup_printf ("Last turn: %d ms from end of speech to final. Median of 2 turns: %d ms.",
                             (int) ((stok_turn_get_latency (last) + 500) / 1000),
                             (int) ((figures.median_turn_latency_us + 500) / 1000));
  gtk_test_accessible_assert_property (fixture->timeline, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary);

  /* Dark: the dark style's own colours, as readable. */
  stok_test_set_dark (&fixture->shown, TRUE);
  dark = stok_test_render (GTK_WIDGET (fixture->timeline));
  g_assert_cmphex (stok_test_pixel (dark, 1, 1), !=, stok_test_pixel (light, 1, 1));
  assert_words_placed (fixture, dark, TRUE);
  assert_finals_placed (fixture, dark);
  stok_test_save_screenshot (&fixture->shown, "timeline-dark.png");
  stok_test_set_dark (&fixture->shown, FALSE);
}

/* As the user scrolls, with a touchpad or a wheel, or with the keys. */
static gboolean
send_to_controller (StokTimeline *timeline,
                    GType         type,
                    const char   *signal,
                    ...)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (timeline));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        {
          va_list args;

          va_start (args, signal);
          if (type == GTK_TYPE_EVENT_CONTROLLER_KEY)
            {
              guint keyval = va_arg (args, guint);

              g_signal_emit_by_name (controller, signal, keyval, 0, 0, &handled);
            }
          else
            {
              double dx = va_arg (args, double);
              double dy = va_arg (args, double);

              g_signal_emit_by_name (controller, signal, dx, dy, &handled);
            }
          va_end (args);
          return handled;
        }
    }

  g_error ("No %s on the timeline", g_type_name (type));
}

static gboolean
press (Fixture *fixture,
       guint    keyval)
{
  return send_to_controller (fixture->timeline, GTK_TYPE_EVENT_CONTROLLER_KEY, "key-pressed", keyval);
}

typedef struct
{
  StokSession *session;
  gint64 audio_us;
} AudioWait;

static gboolean
audio_sent (gpointer data)
{
  AudioWait *wait = data;
  StokSessionFigures figures;

  stok_session_get_figures (wait->session, &figures);
  return figures.audio_sent_us >= wait->audio_us;
}

static void
wait_for_audio (Fixture *fixture,
                gint64   audio_us)
{
  AudioWait wait = { fixture->live.session, audio_us };

  g_assert_true (stok_test_wait_until (audio_sent, &wait, 20000));
  stok_test_shown_wait_frame (&fixture->shown);
}

/* The last frame sent, in view near the right edge. */
static void
assert_live_edge_shown (Fixture *fixture)
{
  StokSession *session = fixture->live.session;
  int width = gtk_widget_get_width (GTK_WIDGET (fixture->timeline));
  gint64 frame_us;
  guint n_levels;
  double x;

  stok_session_get_levels (session, &n_levels, &frame_us);
  x = stok_timeline_get_x_for_time (fixture->timeline, stok_session_get_audio_sent_at (session, (n_levels - 1) * frame_us));
  g_assert_cmpfloat (x, >=, width / 2.0);
  g_assert_cmpfloat (x, <=, width);
}

/* In a narrow window, the timeline keeps the live edge in view until the
 * user scrolls back, stays where the user left it while the session goes
 * on, and follows again from End. */
static void
test_follow (Fixture       *fixture,
             gconstpointer  user_data)
{
  gint64 start_us;

  stok_test_live_start (&fixture->live, &fixture->client, NULL);
  show_timeline (fixture, 300);

  /* Four seconds of audio, where three show. */
  wait_for_audio (fixture, 4 * G_USEC_PER_SEC);
  g_assert_true (stok_timeline_get_follows_live (fixture->timeline));
  g_assert_cmpint (stok_timeline_get_view_start (fixture->timeline), >, 0);
  assert_live_edge_shown (fixture);

  /* Pressed, it takes the keys. */
  gtk_window_set_focus (GTK_WINDOW (fixture->shown.window), NULL);
  send_to_controller (fixture->timeline, GTK_TYPE_GESTURE_DRAG, "drag-begin", 10.0, 10.0);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (fixture->timeline)));

  /* Home: the start, kept while audio comes. */
  g_assert_true (press (fixture, GDK_KEY_Home));
  g_assert_false (stok_timeline_get_follows_live (fixture->timeline));
  g_assert_cmpint (stok_timeline_get_view_start (fixture->timeline), ==, 0);
  wait_for_audio (fixture, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (stok_timeline_get_view_start (fixture->timeline), ==, 0);

  /* The arrow keys: a second at a time. */
  g_assert_true (press (fixture, GDK_KEY_Right));
  g_assert_cmpint (stok_timeline_get_view_start (fixture->timeline), ==, G_USEC_PER_SEC);
  g_assert_true (press (fixture, GDK_KEY_Left));
  g_assert_cmpint (stok_timeline_get_view_start (fixture->timeline), ==, 0);

  /* End: live again. */
  g_assert_true (press (fixture, GDK_KEY_End));
  g_assert_true (stok_timeline_get_follows_live (fixture->timeline));
  stok_test_shown_wait_frame (&fixture->shown);
  assert_live_edge_shown (fixture);

  /* A touchpad's swipe back: left where it is taken. */
  start_us = stok_timeline_get_view_start (fixture->timeline);
  g_assert_true (send_to_controller (fixture->timeline, GTK_TYPE_EVENT_CONTROLLER_SCROLL, "scroll", -1.0, 0.0));
  g_assert_false (stok_timeline_get_follows_live (fixture->timeline));
  g_assert_cmpint (stok_timeline_get_view_start (fixture->timeline), <, start_us);

  /* The wheel alone scrolls the page the timeline is on. */
  start_us = stok_timeline_get_view_start (fixture->timeline);
  g_assert_false (send_to_controller (fixture->timeline, GTK_TYPE_EVENT_CONTROLLER_SCROLL, "scroll", 0.0, 1.0));
  g_assert_cmpint (stok_timeline_get_view_start (fixture->timeline), ==, start_us);

  stok_test_live_wait (&fixture->live);
  stok_test_save_screenshot (&fixture->shown, "timeline-narrow.png");
}

static gboolean
second_turn_growing (gpointer data)
{
  StokSession *session = data;
  g_autoptr(StokTurn) turn = NULL;

  if (g_list_model_get_n_items (stok_session_get_turns (session)) < 2)
    return FALSE;

  turn = g_list_model_get_item (stok_session_get_turns (session), 1);
  return stok_turn_get_n_words (turn) >= 3 && !stok_turn_get_end_of_turn (turn);
}

/* With STOK_TEST_SCREENSHOTS set to a directory: the transcript and the
 * timeline together, as the session view will have them, in the middle
 * of the second turn and at the end, light and dark, to look at. */
static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  user_data)
{
  StokSession *session;
  GtkWidget *scrolled;
  GtkWidget *list;
  GtkWidget *box;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  scrolled = gtk_scrolled_window_new ();
  session = stok_test_live_start (&fixture->live, &fixture->client, NULL);
  list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (stok_session_get_turns (session)))),
                            stok_turn_row_new_factory ());
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  fixture->timeline = STOK_TIMELINE (stok_timeline_new ());
  stok_timeline_set_session (fixture->timeline, session);
  gtk_widget_set_margin_top (GTK_WIDGET (fixture->timeline), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (fixture->timeline), 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->timeline));
  stok_test_shown_present (&fixture->shown, box, 600, 300);

  g_assert_true (stok_test_wait_until (second_turn_growing, session, 20000));
  stok_test_save_screenshot (&fixture->shown, "session-partial-light.png");
  stok_test_set_dark (&fixture->shown, TRUE);
  stok_test_save_screenshot (&fixture->shown, "session-partial-dark.png");
  stok_test_live_wait (&fixture->live);
  stok_test_save_screenshot (&fixture->shown, "session-dark.png");
  stok_test_set_dark (&fixture->shown, FALSE);
  stok_test_save_screenshot (&fixture->shown, "session-light.png");
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  g_setenv ("GTK_A11Y", "test", TRUE);
  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_NO_KEYRING);
  stok_test_load_app_style ();

  g_test_add ("/timeline/live", Fixture, NULL, fixture_set_up, test_live, fixture_tear_down);
  g_test_add ("/timeline/follow", Fixture, NULL, fixture_set_up, test_follow, fixture_tear_down);
  /* Pictures to look at, not a test: only when asked for. */
  if (g_getenv ("STOK_TEST_SCREENSHOTS") != NULL)
    g_test_add ("/timeline/screenshots", Fixture, NULL, fixture_set_up, test_screenshots, fixture_tear_down);

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
