/* stok-timeline-draw.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Drawing the timeline: only what is in view, with the theme's
 * colours, read at each frame, so that the dark style or a high contrast
 * theme takes effect at once. */

#define G_LOG_DOMAIN "stok-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "stok-timeline-private.h"

/* Pixels between a final mark and its latency's figure. */
#define FIGURE_GAP  6
/* Room left of the view for a figure that started before it. */
#define FIGURE_ROOM 80

typedef struct
{
  GdkRGBA fg;
  GdkRGBA accent;
  GdkRGBA warning;
} Colours;

static void
get_colours (StokTimeline *self,
             Colours      *colours)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, &colours->fg);
  if (!gtk_style_context_lookup_color (context, "accent_color", &colours->accent))
    colours->accent = colours->fg;
  if (!gtk_style_context_lookup_color (context, "warning_color", &colours->warning))
    colours->warning = colours->fg;
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static GdkRGBA
with_alpha (const GdkRGBA *colour,
            double         alpha)
{
  GdkRGBA faded = *colour;

  faded.alpha *= alpha;
  return faded;
}

static void
append_rounded (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                float                  radius,
                const GdkRGBA         *colour)
{
  GskRoundedRect outline;

  gsk_rounded_rect_init_from_rect (&outline, rect, MIN (radius, MIN (rect->size.width, rect->size.height) / 2));
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  gtk_snapshot_append_color (snapshot, colour, rect);
  gtk_snapshot_pop (snapshot);
}

static PangoLayout *
create_small_layout (StokTimeline *self)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();

  /* A caption's size, with figures of one width, as .numeric has. */
  pango_attr_list_insert (attributes, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_attr_list_insert (attributes, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attributes);

  return layout;
}

/* Draws @layout, its text already set and measured for the room it
 * takes, at @x and centred on @middle_y. */
static void
append_layout (GtkSnapshot   *snapshot,
               PangoLayout   *layout,
               double         x,
               double         middle_y,
               const GdkRGBA *colour)
{
  int text_height;

  pango_layout_get_pixel_size (layout, NULL, &text_height);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (roundf ((float) x), roundf ((float) (middle_y - text_height / 2.0))));
  gtk_snapshot_append_layout (snapshot, layout, colour);
  gtk_snapshot_restore (snapshot);
}

static void
draw_axis (StokTimeline *self,
           GtkSnapshot  *snapshot,
           const View   *view,
           PangoLayout  *layout,
           const Colours *colours)
{
  static const int steps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600 };
  GdkRGBA dim = with_alpha (&colours->fg, 0.55);
  int step = steps[G_N_ELEMENTS (steps) - 1];
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int label_width;

  /* A label every so many seconds, far enough apart to read. */
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * view->pixels_per_second >= 56)
      {
        step = steps[i];
        break;
      }

  for (gint64 second = view->start_us / G_USEC_PER_SEC / step * step;
       second * G_USEC_PER_SEC <= view->end_us;
       second += step)
    {
      g_autofree char *label = NULL;
      double x = floor (view_x (view, second * G_USEC_PER_SEC));

      if (second < 60)
        /* Translators: seconds on the timeline's axis */
        label = g_strdup_printf (C_("duration", "%d s"), (int) second);
      else
        label = g_strdup_printf ("%d:%02d", (int) (second / 60), (int) (second % 60));

      gtk_snapshot_append_color (snapshot, &dim, &GRAPHENE_RECT_INIT (x, AXIS_TOP, 1, 4));
      /* Whole or not at all: a label cut at either edge ("22" of
       * "22 s") reads as another time. */
      pango_layout_set_text (layout, label, -1);
      pango_layout_get_pixel_size (layout, &label_width, NULL);
      if (x + 3 >= 0 && x + 3 + label_width <= width)
        append_layout (snapshot, layout, x + 3, AXIS_TOP + AXIS_HEIGHT / 2.0 + 1, &dim);
    }
}

static void
draw_levels (StokTimeline  *self,
             GtkSnapshot   *snapshot,
             const View    *view,
             const Colours *colours)
{
  GdkRGBA colour = with_alpha (&colours->fg, 0.22);
  const double middle = PAD_TOP + LEVEL_HEIGHT / 2.0;
  const gint8 *levels;
  gint64 frame_us;
  guint n_levels;

  levels = _stok_timeline_get_levels (self, &n_levels, &frame_us);
  if (n_levels == 0 || frame_us <= 0)
    return;

  for (guint i = _stok_timeline_first_frame_from (self, n_levels, frame_us, view->start_us); i < n_levels; i++)
    {
      gint64 sent_us = _stok_timeline_frame_sent (self, i, frame_us);
      double x0 = round (view_x (view, sent_us - frame_us));
      double x1 = round (view_x (view, sent_us));
      double level = CLAMP ((levels[i] - LEVEL_FLOOR_DB) / -LEVEL_FLOOR_DB, 0.0, 1.0);
      double height = MAX (1.0, round (level * LEVEL_HEIGHT / 2) * 2);
      /* Bars a pixel apart; silence, a line. */
      double width = x1 - x0 >= 3 && height > 2 ? x1 - x0 - 1 : MAX (x1 - x0, 1);

      if (sent_us - frame_us > view->end_us)
        break;

      append_rounded (snapshot, &GRAPHENE_RECT_INIT (x0, middle - height / 2, width, height), 1, &colour);
    }
}

/* A mark on the level's row, at @at_us: a line down through the levels
 * under a head, round for the server's SpeechStarted, square for what the
 * app sent. */
static void
append_level_mark (GtkSnapshot   *snapshot,
                   const View    *view,
                   gint64         at_us,
                   const GdkRGBA *line,
                   const GdkRGBA *head,
                   gboolean       round_head)
{
  double x = round (view_x (view, at_us));

  if (x < -HIT_SLOP || x > view_x (view, view->end_us) + HIT_SLOP)
    return;

  gtk_snapshot_append_color (snapshot, line, &GRAPHENE_RECT_INIT (x, PAD_TOP + 3, 1, LEVEL_HEIGHT - 3));
  if (round_head)
    append_rounded (snapshot, &GRAPHENE_RECT_INIT (x - 2.5, PAD_TOP, 6, 6), 3, head);
  else
    gtk_snapshot_append_color (snapshot, head, &GRAPHENE_RECT_INIT (x - 2.5, PAD_TOP, 6, 6));
}

static void
draw_speech_started (StokTimeline  *self,
                     GtkSnapshot   *snapshot,
                     const View    *view,
                     const Colours *colours)
{
  const gint64 *events;
  guint n_events;

  events = stok_session_get_speech_started (self->session, &n_events);
  for (guint i = 0; i < n_events; i++)
    append_level_mark (snapshot, view, stok_timeline_audio_to_session (self, events[i] * 1000),
                       &colours->accent, &colours->accent, TRUE);
}

/* ForceEndpoint, UpdateConfiguration and Terminate where the app sent
 * them: in the text's colour, since they are the app's and not the
 * server's. */
static void
draw_controls (StokTimeline  *self,
               GtkSnapshot   *snapshot,
               const View    *view,
               const Colours *colours)
{
  const StokSessionControl *controls;
  GdkRGBA line = with_alpha (&colours->fg, 0.55);
  guint n_controls;

  controls = stok_session_get_controls (self->session, &n_controls);
  for (guint i = 0; i < n_controls; i++)
    append_level_mark (snapshot, view, controls[i].sent_us, &line, &colours->fg, FALSE);
}

/* Where a turn starts: its first word, or its first message. */
static double
turn_start_x (StokTimeline *self,
              const View   *view,
              StokTurn     *turn)
{
  if (stok_turn_get_n_words (turn) > 0 && stok_turn_get_word (turn, 0)->start_ms >= 0)
    return view_x (view, stok_timeline_audio_to_session (self, stok_turn_get_word (turn, 0)->start_ms * 1000));

  return view_x (view, stok_turn_get_first_arrival (turn));
}

static void
draw_turn (StokTimeline  *self,
           GtkSnapshot   *snapshot,
           const View    *view,
           PangoLayout   *layout,
           const Colours *colours,
           StokTurn      *turn,
           double         next_x)
{
  gboolean final = stok_turn_get_end_of_turn (turn);
  GdkRGBA tick = with_alpha (&colours->fg, 0.55);
  GdkRGBA bracket = with_alpha (&colours->fg, 0.8);
  graphene_rect_t rect;
  const gint64 *partials;
  guint n_partials;

  /* Words: a partial's lighter, until they are final. */
  for (guint i = 0; i < stok_turn_get_n_words (turn); i++)
    {
      const StokWord *word = stok_turn_get_word (turn, i);
      gboolean low = word->confidence >= 0 && word->confidence <= STOK_LOW_CONFIDENCE;
      GdkRGBA colour = with_alpha (low ? &colours->warning : &colours->accent, final ? 0.85 : 0.4);

      if (!_stok_timeline_word_rect (self, view, word, &rect))
        continue;

      /* A pixel apart from the next word, which may start where this
       * one ends. */
      if (rect.size.width > 3)
        rect.size.width -= 1;
      append_rounded (snapshot, &rect, 3, &colour);
    }

  partials = stok_turn_get_partial_arrivals (turn, &n_partials);
  for (guint i = 0; i < n_partials; i++)
    {
      double x = round (view_x (view, partials[i]));

      gtk_snapshot_append_color (snapshot, &tick, &GRAPHENE_RECT_INIT (x, MARKS_TOP + MARKS_HEIGHT - 6, 1, 6));
    }

  if (_stok_timeline_latency_rect (self, view, turn, &rect))
    {
      g_autofree char *figure = g_strdup_printf (_("%d ms"), stok_round_ms (stok_turn_get_latency (turn)));
      double middle_y = WORDS_TOP + WORDS_HEIGHT / 2.0;
      double x0 = round (rect.origin.x);
      double x1 = round (rect.origin.x + rect.size.width);
      int text_width;

      /* The bracket, from the end of speech as sent to the final mark. */
      gtk_snapshot_append_color (snapshot, &bracket, &GRAPHENE_RECT_INIT (x0, middle_y - 4, 1, 8));
      gtk_snapshot_append_color (snapshot, &bracket, &GRAPHENE_RECT_INIT (x0, middle_y, MAX (x1 - x0, 0), 1));

      /* Its figure just after the mark, in the silence that ends a turn;
       * in the bracket if the next turn starts too soon for that. */
      pango_layout_set_text (layout, figure, -1);
      pango_layout_get_pixel_size (layout, &text_width, NULL);
      /* Whole or not at all, as the axis's labels: "s" of "549 ms" at
       * the left edge, as the view follows the audio, is no figure. */
      if (x1 + FIGURE_GAP + text_width + FIGURE_GAP <= next_x)
        {
          if (x1 + FIGURE_GAP >= 0)
            append_layout (snapshot, layout, x1 + FIGURE_GAP, middle_y, &bracket);
        }
      else if (x1 - x0 >= text_width + 2 * FIGURE_GAP)
        {
          if (round ((x0 + x1 - text_width) / 2) >= 0)
            append_layout (snapshot, layout, round ((x0 + x1 - text_width) / 2), middle_y - 7, &bracket);
        }
    }

  if (_stok_timeline_final_rect (view, turn, &rect))
    {
      double x = rect.origin.x + 1;

      append_rounded (snapshot, &rect, 1, &colours->accent);
      append_rounded (snapshot, &GRAPHENE_RECT_INIT (x - 4, MARKS_TOP + MARKS_HEIGHT / 2.0 - 4, 8, 8), 4, &colours->accent);
    }
}

void
_stok_timeline_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  StokTimeline *self = STOK_TIMELINE (widget);
  int width = gtk_widget_get_width (widget);
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(StokTurn) next = NULL;
  guint i, n_turns;
  GListModel *turns;
  Colours colours;
  View view;

  _stok_timeline_view_init (self, &view);
  get_colours (self, &colours);
  layout = create_small_layout (self);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, gtk_widget_get_height (widget)));

  draw_axis (self, snapshot, &view, layout, &colours);
  if (self->session != NULL)
    {
      draw_levels (self, snapshot, &view, &colours);
      draw_speech_started (self, snapshot, &view, &colours);
      draw_controls (self, snapshot, &view, &colours);

      /* From the first turn whose last message is in view, or whose
       * latency's figure may be, to the first that starts after it. */
      turns = stok_session_get_turns (self->session);
      n_turns = g_list_model_get_n_items (turns);
      i = _stok_timeline_first_turn_from (turns, view.start_us - (gint64) (FIGURE_ROOM * G_USEC_PER_SEC / view.pixels_per_second));
      next = i < n_turns ? g_list_model_get_item (turns, i) : NULL;
      while (next != NULL)
        {
          g_autoptr(StokTurn) turn = g_steal_pointer (&next);

          if (turn_start_x (self, &view, turn) > width)
            break;

          next = ++i < n_turns ? g_list_model_get_item (turns, i) : NULL;
          draw_turn (self, snapshot, &view, layout, &colours, turn,
                     next != NULL ? turn_start_x (self, &view, next) : G_MAXDOUBLE);
        }
    }

  gtk_snapshot_pop (snapshot);
}
