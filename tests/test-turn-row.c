/* test-turn-row.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A turn of the transcript, as a user watches it in a list on the X
 * server while a real session runs against the fake server: a partial
 * dim, replaced in place as it grows, by its own row; the final turn
 * plain, its formatted copy marked, its latency and end-of-turn
 * confidence under it; the words the server was unsure of underlined in
 * the theme's warning colour, light and dark, each word's confidence on
 * hover; and a screen reader reading the row by its text, never while it
 * is partial. */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "stok-test-live.h"
#include "stok-test-window.h"
#include "stok-turn-row.h"
#include "stok-turn-text.h"

typedef struct
{
  StokClientFixture client;
  StokTestLive live;
  StokTestShown shown;
  GtkListItemFactory *factory;
  GtkListView *list;
  guint n_binds;
} Fixture;

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         Fixture                  *fixture)
{
  fixture->n_binds++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  stok_client_fixture_set_up (&fixture->client, NULL);
  fixture->factory = stok_turn_row_new_factory ();
  g_signal_connect_after (fixture->factory, "bind", G_CALLBACK (bind_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->shown.window != NULL)
    stok_test_shown_close (&fixture->shown);
  stok_test_live_clear (&fixture->live);
  g_clear_object (&fixture->factory);
  stok_client_fixture_tear_down (&fixture->client, NULL);
}

/* The transcript as the session view has it: a list of the session's
 * turns, in a window of 420 by 360. */
static void
show_list (Fixture    *fixture,
           GListModel *turns)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkSelectionModel *model = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (turns)));

  fixture->list = GTK_LIST_VIEW (gtk_list_view_new (model, g_object_ref (fixture->factory)));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (fixture->list));
  stok_test_shown_present (&fixture->shown, scrolled, 420, 360);
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (STOK_IS_TURN_ROW (widget))
    g_ptr_array_add (rows, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

/* The row that shows @turn, or NULL. */
static StokTurnRow *
find_row (Fixture  *fixture,
          StokTurn *turn)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (fixture->list), rows);
  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_mapped (rows->pdata[i]) && stok_turn_row_get_turn (rows->pdata[i]) == turn)
      return rows->pdata[i];

  return NULL;
}

static GtkLabel *
row_label (StokTurnRow *row,
           const char  *name)
{
  return GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (row), STOK_TYPE_TURN_ROW, name));
}

/* What shows the turn's text: a partial's StokTurnText or the final
 * turn's label, never both. */
static GtkWidget *
shown_text (StokTurnRow *row)
{
  GtkWidget *partial = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), STOK_TYPE_TURN_ROW, "partial_text"));
  GtkWidget *label = GTK_WIDGET (row_label (row, "text_label"));

  g_assert_true (gtk_widget_get_visible (partial) != gtk_widget_get_visible (label));

  return gtk_widget_get_visible (label) ? label : partial;
}

static const char *
text_of (StokTurnRow *row)
{
  GtkWidget *text = shown_text (row);

  if (GTK_IS_LABEL (text))
    return gtk_label_get_text (GTK_LABEL (text));
  return stok_turn_text_get_text (STOK_TURN_TEXT (text));
}

static gboolean
is_dim (StokTurnRow *row)
{
  GdkRGBA colour;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (shown_text (row)), &colour);
  G_GNUC_END_IGNORE_DEPRECATIONS

  /* Dim by the colour its text is drawn in, as dim-label would be. */
  return colour.alpha < 0.7;
}

static PangoAttrList *
attributes_of (StokTurnRow *row)
{
  GtkWidget *text = shown_text (row);

  if (GTK_IS_LABEL (text))
    return gtk_label_get_attributes (GTK_LABEL (text));
  return stok_turn_text_get_attributes (STOK_TURN_TEXT (text));
}

/* The text as drawn, and where it is drawn in its widget. */
static PangoLayout *
layout_of (StokTurnRow *row,
           int         *x,
           int         *y)
{
  GtkWidget *text = shown_text (row);

  if (GTK_IS_LABEL (text))
    {
      gtk_label_get_layout_offsets (GTK_LABEL (text), x, y);
      return gtk_label_get_layout (GTK_LABEL (text));
    }

  *x = *y = 0;
  return stok_turn_text_get_layout (STOK_TURN_TEXT (text));
}

static StokTurn *
get_turn (StokSession *session,
          guint        position)
{
  GListModel *turns = stok_session_get_turns (session);
  g_autoptr(StokTurn) turn = NULL;

  if (position >= g_list_model_get_n_items (turns))
    return NULL;

  /* The session holds it. */
  turn = g_list_model_get_item (turns, position);
  return turn;
}

/* The fake server's words, one after the other: what a partial shows,
 * its transcript holding all but the last. */
static char *
dup_words (StokTurn *turn)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < stok_turn_get_n_words (turn); i++)
    {
      if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, stok_turn_get_word (turn, i)->text);
    }

  return g_string_free (text, FALSE);
}

typedef struct
{
  StokSession *session;
  guint position;
  guint n_words;
  gboolean final;
} TurnWait;

static gboolean
turn_reached (gpointer data)
{
  TurnWait *wait = data;
  StokTurn *turn = get_turn (wait->session, wait->position);

  if (turn == NULL)
    return FALSE;
  if (wait->final)
    return stok_turn_get_end_of_turn (turn);
  return stok_turn_get_end_of_turn (turn) || stok_turn_get_n_words (turn) >= wait->n_words;
}

static void
wait_for_turn (Fixture  *fixture,
               guint     position,
               guint     n_words,
               gboolean  final)
{
  TurnWait wait = { fixture->live.session, position, n_words, final };

  g_assert_true (stok_test_wait_until (turn_reached, &wait, 20000));
  stok_test_shown_wait_frame (&fixture->shown);
}

/* The byte ranges of @row's text underlined as unsure. */
static GArray *
underlined (StokTurnRow *row)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (int));
  PangoAttrList *attributes = attributes_of (row);
  g_autoptr(PangoAttrIterator) iter = NULL;

  if (attributes == NULL)
    return ranges;

  iter = pango_attr_list_get_iterator (attributes);
  do
    {
      PangoAttribute *attribute = pango_attr_iterator_get (iter, PANGO_ATTR_UNDERLINE);

      if (attribute != NULL && ((PangoAttrInt *) attribute)->value == PANGO_UNDERLINE_ERROR)
        {
          int start, end;

          pango_attr_iterator_range (iter, &start, &end);
          g_array_append_val (ranges, start);
          g_array_append_val (ranges, end);
        }
    }
  while (pango_attr_iterator_next (iter));

  return ranges;
}

/* The byte range of @turn's word @position in @text, searched for in
 * order from @from; a formatted text capitalizes. */
static int
find_word (const char *text,
           const char *word,
           int         from)
{
  for (const char *p = text + from; *p != '\0'; p++)
    if (g_ascii_strncasecmp (p, word, strlen (word)) == 0)
      return (int) (p - text);

  g_error ("“%s” is not in “%s”", word, text);
}

/* Every word of confidence STOK_LOW_CONFIDENCE or less is underlined, and
 * only those; returns how many. */
static guint
assert_low_confidence_marked (StokTurnRow *row)
{
  StokTurn *turn = stok_turn_row_get_turn (row);
  const char *text = text_of (row);
  g_autoptr(GArray) ranges = underlined (row);
  guint n_low = 0;
  int at = 0;

  for (guint i = 0; i < stok_turn_get_n_words (turn); i++)
    {
      const StokWord *word = stok_turn_get_word (turn, i);
      int start = find_word (text, word->text, at);
      int end = start + (int) strlen (word->text);
      gboolean marked = FALSE;

      for (guint j = 0; j < ranges->len; j += 2)
        if (g_array_index (ranges, int, j) == start && g_array_index (ranges, int, j + 1) == end)
          marked = TRUE;

      g_assert_cmpint (marked, ==, word->confidence <= STOK_LOW_CONFIDENCE);
      n_low += marked;
      at = end;
    }

  g_assert_cmpuint (ranges->len / 2, ==, n_low);
  return n_low;
}

/* The middle of byte @index of @row's text, in the row's coordinates. */
static graphene_point_t
point_of_index (StokTurnRow *row,
                int          index)
{
  PangoRectangle position;
  graphene_point_t point;
  int x, y;

  pango_layout_index_to_pos (layout_of (row, &x, &y), index, &position);
  g_assert_true (gtk_widget_compute_point (shown_text (row), GTK_WIDGET (row),
                                           &GRAPHENE_POINT_INIT (x + (position.x + position.width / 2.0) / PANGO_SCALE,
                                                                 y + (position.y + position.height / 2.0) / PANGO_SCALE),
                                           &point));
  return point;
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

/* The colour the unsure words are drawn and underlined in. */
static void
assert_marked_colour (StokTurnRow   *row,
                      const GdkRGBA *expected)
{
  PangoAttrList *attributes = attributes_of (row);
  g_autoptr(PangoAttrIterator) iter = pango_attr_list_get_iterator (attributes);
  guint n = 0;

  do
    {
      PangoAttrType types[] = { PANGO_ATTR_UNDERLINE_COLOR, PANGO_ATTR_FOREGROUND };

      for (guint i = 0; i < G_N_ELEMENTS (types); i++)
        {
          PangoAttrColor *colour = (PangoAttrColor *) pango_attr_iterator_get (iter, types[i]);

          if (colour == NULL)
            continue;
          g_assert_cmpint (colour->color.red >> 8, ==, (int) (expected->red * 255));
          g_assert_cmpint (colour->color.green >> 8, ==, (int) (expected->green * 255));
          g_assert_cmpint (colour->color.blue >> 8, ==, (int) (expected->blue * 255));
          n++;
        }
    }
  while (pango_attr_iterator_next (iter));

  g_assert_cmpuint (n, >, 0);
}

/* How much of @colour over @background @pixel is, if it is that blend
 * within a few levels, else -1: antialiasing blends a thin line. */
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

/* The word is drawn in @colour, as the user sees it: its strokes are
 * that colour over the background, nearly all of it at their middle, and
 * a dotted line of it is under the word. */
static void
assert_marked_drawn (StokTurnRow   *row,
                     int            index,
                     const GdkRGBA *colour)
{
  g_autoptr(GdkTexture) texture = stok_test_render (GTK_WIDGET (row));
  GdkRGBA background = theme_colour (GTK_WIDGET (row), "window_bg_color");
  PangoRectangle glyph;
  graphene_point_t point = point_of_index (row, index);
  double in_word = 0;
  double under_word = 0;
  int offset_x, offset_y;

  pango_layout_index_to_pos (layout_of (row, &offset_x, &offset_y), index, &glyph);
  for (int y = (int) (point.y - glyph.height / PANGO_SCALE / 2.0); y < gtk_widget_get_height (GTK_WIDGET (row)); y++)
    for (int x = (int) point.x - 3; x <= (int) point.x + 3; x++)
      {
        double amount = blend_of (stok_test_pixel (texture, x, y), colour, &background);

        if (y < point.y + glyph.height / PANGO_SCALE / 2.0 - 2)
          in_word = MAX (in_word, amount);
        else if (y < point.y + glyph.height / PANGO_SCALE / 2.0 + 4)
          under_word = MAX (under_word, amount);
      }

  g_assert_cmpfloat (in_word, >=, 0.8);
  g_assert_cmpfloat (under_word, >=, 0.2);
}

/* What a screen reader says of a final turn besides its text. */
static char *
dup_spoken_figures (StokTurn *turn)
{
  GString *spoken = g_string_new (NULL);
  const char *separator = "";

  g_string_append_printf (spoken, "%d ms from the end of speech to the final turn. End-of-turn confidence %.2f.",
                          (int) ((stok_turn_get_latency (turn) + 500) / 1000), stok_turn_get_confidence (turn));
  for (guint i = 0; i < stok_turn_get_n_words (turn); i++)
    {
      const StokWord *word = stok_turn_get_word (turn, i);

      if (word->confidence > STOK_LOW_CONFIDENCE)
        continue;
      if (*separator == '\0')
        g_string_append (spoken, " Low confidence: ");
      g_string_append_printf (spoken, "%s“%s” %.2f", separator, word->text, word->confidence);
      separator = ", ";
    }
  if (*separator != '\0')
    g_string_append_c (spoken, '.');

  return g_string_free (spoken, FALSE);
}

/* The first unsure word of @row: its confidence on hover, and its
 * underline in the theme's warning colour, light and dark. */
static void
assert_unsure_word_shown (Fixture     *fixture,
                          StokTurnRow *row)
{
  StokTurn *turn = stok_turn_row_get_turn (row);
  const char *text = text_of (row);
  g_autofree char *tooltip = NULL;
  g_autofree char *expected = NULL;
  const StokWord *word = NULL;
  graphene_point_t point;
  GdkRGBA light, dark;
  int index = 0;

  for (guint i = 0; i < stok_turn_get_n_words (turn); i++)
    {
      word = stok_turn_get_word (turn, i);
      index = find_word (text, word->text, index);
      if (word->confidence <= STOK_LOW_CONFIDENCE)
        break;
      index += (int) strlen (word->text);
    }
  g_assert_nonnull (word);

  point = point_of_index (row, index + 1);
  tooltip = stok_turn_row_dup_tooltip_at (row, point.x, point.y);
  expected = g_strdup_printf ("“%s”, %.2f to %.2f s of audio: low confidence, 0.45",
                              word->text, word->start_ms / 1000.0, word->end_ms / 1000.0);
  g_assert_cmpstr (tooltip, ==, expected);
  /* Off the text, nothing. */
  g_assert_null (stok_turn_row_dup_tooltip_at (row, gtk_widget_get_width (GTK_WIDGET (row)) - 2, 1));

  /* Unsure words are in the warning colour, with its dotted line. */
  light = theme_colour (GTK_WIDGET (row), "warning_color");
  assert_marked_colour (row, &light);
  assert_marked_drawn (row, index + 1, &light);

  stok_test_set_dark (&fixture->shown, TRUE);
  dark = theme_colour (GTK_WIDGET (row), "warning_color");
  g_assert_false (gdk_rgba_equal (&light, &dark));
  assert_marked_colour (row, &dark);
  assert_marked_drawn (row, index + 1, &dark);
  stok_test_save_screenshot (&fixture->shown, "turn-rows-dark.png");

  stok_test_set_dark (&fixture->shown, FALSE);
  assert_marked_colour (row, &light);
  stok_test_save_screenshot (&fixture->shown, "turn-rows-light.png");
}

/* From each Turn message to the end of the frame that drew it, for the
 * log: the lead's benchmark judges it, not this test. */
typedef struct
{
  gint64 message_us;
  GArray *delays;
  /* What the last Turn said that a row shows. */
  char *shown;
} Timing;

/* Of a Turn message, what its row shows: each word, the newest still a
 * guess; its transcript and whether it ended. Another message with the
 * same is nothing new to draw. */
static char *
dup_shown (JsonNode *parsed)
{
  JsonObject *object = json_node_get_object (parsed);
  JsonArray *words = json_object_has_member (object, "words") ? json_object_get_array_member (object, "words") : NULL;
  GString *shown = g_string_new (json_object_get_string_member_with_default (object, "transcript", ""));

  g_string_append_printf (shown, "|%d|", json_object_get_boolean_member_with_default (object, "end_of_turn", FALSE));
  for (guint i = 0; words != NULL && i < json_array_get_length (words); i++)
    g_string_append_printf (shown, "%s ", json_object_get_string_member (json_array_get_object_element (words, i), "text"));

  return g_string_free (shown, FALSE);
}

static void
turn_message_cb (StokSession        *session,
                 StokSessionMessage *message,
                 JsonNode           *parsed,
                 Timing             *timing)
{
  g_autofree char *shown = NULL;

  if (stok_session_message_get_direction (message) != STOK_DIRECTION_RECEIVED ||
      g_strcmp0 (stok_session_message_get_kind (message), "Turn") != 0)
    return;

  shown = dup_shown (parsed);
  if (g_strcmp0 (shown, timing->shown) == 0)
    return;

  g_free (timing->shown);
  timing->shown = g_steal_pointer (&shown);
  if (timing->message_us < 0)
    timing->message_us = g_get_monotonic_time ();
}

static void
timing_paint_cb (GdkFrameClock *frame_clock,
                 Timing        *timing)
{
  gint64 delay;

  if (timing->message_us < 0)
    return;

  delay = g_get_monotonic_time () - timing->message_us;
  g_array_append_val (timing->delays, delay);
  timing->message_us = -1;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  return *(const gint64 *) a < *(const gint64 *) b ? -1 : *(const gint64 *) a > *(const gint64 *) b;
}

/* A real session of two turns, with formatted copies, watched in a list
 * from its first partial to its end. */
static void
test_live (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(StokStreamParams) params = stok_stream_params_new ();
  g_autofree char *first_text = NULL;
  StokSession *session;
  StokTurnRow *row;
  StokTurn *turn;
  GtkLabel *figures;
  StokTurnRow *unsure = NULL;
  Timing timing = { -1, g_array_new (FALSE, FALSE, sizeof (gint64)), NULL };
  GdkFrameClock *frame_clock;
  guint layouts, grown_layouts;
  int height;
  guint n_binds;
  guint n_words;

  g_assert_true (stok_stream_params_set (params, "format_turns", "true", NULL));
  session = stok_test_live_start (&fixture->live, &fixture->client, params);
  show_list (fixture, stok_session_get_turns (session));
  frame_clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (fixture->shown.window)));
  g_signal_connect (session, "message", G_CALLBACK (turn_message_cb), &timing);
  layouts = fixture->shown.layouts;
  g_signal_connect_after (frame_clock, "paint", G_CALLBACK (timing_paint_cb), &timing);

  /* The first partial: its words, dim, busy for a screen reader. */
  wait_for_turn (fixture, 0, 1, FALSE);
  turn = get_turn (session, 0);
  row = find_row (fixture, turn);
  g_assert_nonnull (row);
  figures = row_label (row, "figures_label");
  if (!stok_turn_get_end_of_turn (turn))
    {
      g_autofree char *words = dup_words (turn);

      g_assert_cmpstr (text_of (row), ==, words);
      g_assert_true (is_dim (row));
      g_assert_false (gtk_widget_get_visible (GTK_WIDGET (figures)));
      gtk_test_accessible_assert_state (row, GTK_ACCESSIBLE_STATE_BUSY, TRUE);
      gtk_test_accessible_assert_state (shown_text (row), GTK_ACCESSIBLE_STATE_BUSY, TRUE);
      gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL, words);
    }
  first_text = g_strdup (text_of (row));

  /* It grows in the same row, which is not bound again: the partial
   * redraws its own row, not the list; and while it fits the same lines,
   * the window is not laid out again for it. */
  n_binds = fixture->n_binds;
  n_words = stok_turn_get_n_words (turn);
  grown_layouts = fixture->shown.layouts;
  height = gtk_widget_get_height (GTK_WIDGET (row));
  wait_for_turn (fixture, 0, n_words + 1, FALSE);
  g_assert_true (find_row (fixture, turn) == row);
  g_assert_cmpuint (fixture->n_binds, ==, n_binds);
  if (!stok_turn_get_end_of_turn (turn))
    {
      g_autofree char *words = dup_words (turn);

      g_assert_cmpstr (text_of (row), ==, words);
      g_assert_true (g_str_has_prefix (words, first_text));
      g_assert_cmpuint (strlen (words), >, strlen (first_text));
      g_assert_true (is_dim (row));
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (row)), ==, height);
      g_assert_cmpuint (fixture->shown.layouts, ==, grown_layouts);
    }

  stok_test_live_wait (&fixture->live);
  stok_test_shown_wait_frame (&fixture->shown);
  g_assert_cmpuint (g_list_model_get_n_items (stok_session_get_turns (session)), ==, 2);

  g_signal_handlers_disconnect_by_data (session, &timing);
  g_signal_handlers_disconnect_by_data (frame_clock, &timing);
  g_array_sort (timing.delays, compare_int64);
  g_test_message ("Turn message with new text to its frame drawn: median %.1f ms, worst %.1f ms, of %u",
                  g_array_index (timing.delays, gint64, timing.delays->len / 2) / 1000.0,
                  g_array_index (timing.delays, gint64, timing.delays->len - 1) / 1000.0, timing.delays->len);
  g_test_message ("%u layouts of the window for %u Turn messages", fixture->shown.layouts - layouts,
                  stok_fake_server_count_sent (fixture->client.server, "Turn"));
  g_array_unref (timing.delays);
  g_free (timing.shown);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *latency = NULL;
      g_autofree char *confidence = NULL;
      g_autofree char *spoken = NULL;

      turn = get_turn (session, i);
      row = find_row (fixture, turn);
      g_assert_nonnull (row);
      figures = row_label (row, "figures_label");

      /* The final turn, formatted as the server sent it last: plain, with
       * its figures, read by a screen reader. */
      g_assert_true (stok_turn_get_end_of_turn (turn));
      g_assert_true (stok_turn_get_formatted (turn));
      g_assert_cmpstr (text_of (row), ==, stok_turn_get_transcript (turn));
      g_assert_true (g_ascii_isupper (text_of (row)[0]));
      g_assert_true (g_str_has_suffix (text_of (row), "."));
      g_assert_false (is_dim (row));
      g_assert_true (gtk_label_get_selectable (GTK_LABEL (shown_text (row))));

      g_assert_cmpint (stok_turn_get_latency (turn), >, 0);
      /* To the nearest millisecond, as the figures round it. */
      latency = g_strdup_printf ("%d ms", (int) ((stok_turn_get_latency (turn) + 500) / 1000));
      confidence = g_strdup_printf ("end of turn %.2f", stok_turn_get_confidence (turn));
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (figures)));
      g_test_message ("Turn %u: “%s”, %s", i, text_of (row), gtk_label_get_text (figures));
      g_assert_nonnull (strstr (gtk_label_get_text (figures), latency));
      g_assert_nonnull (strstr (gtk_label_get_text (figures), confidence));
      g_assert_nonnull (strstr (gtk_label_get_text (figures), "formatted"));

      gtk_test_accessible_assert_state (row, GTK_ACCESSIBLE_STATE_BUSY, FALSE);
      gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL, text_of (row));
      spoken = dup_spoken_figures (turn);
      gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, spoken);

      if (assert_low_confidence_marked (row) > 0 && unsure == NULL)
        unsure = row;
    }

  /* The fake server makes every fifth word unsure. */
  g_assert_nonnull (unsure);
  assert_unsure_word_shown (fixture, unsure);
}

static void
apply (StokTurn   *turn,
       const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  stok_turn_apply_message (turn, json_node_get_object (node), 1000);
}

#define WORD(text, confidence, final) \
  "{\"text\":\"" text "\",\"start\":300,\"end\":600,\"confidence\":" #confidence ",\"word_is_final\":" #final "}"

/* Every state a turn goes through, each as the row shows it: a partial
 * with no transcript yet, one whose newest word changes, the final turn
 * before and after its latency is known, its formatted copy; and no turn
 * at all. */
static void
test_states (void)
{
  g_autoptr(StokTurn) turn = stok_turn_new (0);
  StokTurnRow *row = g_object_ref_sink (STOK_TURN_ROW (stok_turn_row_new ()));
  GtkLabel *figures = row_label (row, "figures_label");
  g_autoptr(GArray) ranges = NULL;

  stok_turn_row_set_turn (row, turn);
  g_assert_true (stok_turn_row_get_turn (row) == turn);
  g_assert_cmpstr (text_of (row), ==, "");

  /* A first partial: a word, and no transcript. */
  apply (turn, "{\"type\":\"Turn\",\"turn_order\":0,\"end_of_turn\":false,\"transcript\":\"\","
               "\"end_of_turn_confidence\":0.1,\"words\":[" WORD ("stand-in", 0.92, false) "]}");
  g_assert_cmpstr (text_of (row), ==, "stand-in");
  g_assert_true (is_dim (row));
  /* Not by dim-label's opacity, which would dim an unsure word's warning
   * colour too, below a readable contrast. */
  g_assert_false (gtk_widget_has_css_class (shown_text (row), "dim-label"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (figures)));
  gtk_test_accessible_assert_state (row, GTK_ACCESSIBLE_STATE_BUSY, TRUE);

  /* An unsure word in it is drawn opaque, in the warning colour. */
  apply (turn, "{\"type\":\"Turn\",\"turn_order\":0,\"end_of_turn\":false,\"transcript\":\"\","
               "\"words\":[" WORD ("stand-in", 0.45, false) "]}");
  {
    g_autoptr(PangoAttrIterator) iter = pango_attr_list_get_iterator (attributes_of (row));
    PangoAttrInt *alpha = (PangoAttrInt *) pango_attr_iterator_get (iter, PANGO_ATTR_FOREGROUND_ALPHA);

    g_assert_nonnull (alpha);
    g_assert_cmpint (alpha->value, ==, G_MAXUINT16);
  }

  /* The newest word is the server's guess, which it may change: shown
   * after the transcript, and replaced. */
  apply (turn, "{\"type\":\"Turn\",\"turn_order\":0,\"end_of_turn\":false,\"transcript\":\"stand-in\","
               "\"words\":[" WORD ("stand-in", 0.92, true) "," WORD ("word", 0.92, false) "]}");
  g_assert_cmpstr (text_of (row), ==, "stand-in word");
  apply (turn, "{\"type\":\"Turn\",\"turn_order\":0,\"end_of_turn\":false,\"transcript\":\"stand-in\","
               "\"words\":[" WORD ("stand-in", 0.92, true) "," WORD ("words", 0.92, false) "]}");
  g_assert_cmpstr (text_of (row), ==, "stand-in words");

  /* Final: plain, its confidence under it, the unsure word marked; its
   * latency once the session has worked it out. */
  apply (turn, "{\"type\":\"Turn\",\"turn_order\":0,\"end_of_turn\":true,\"transcript\":\"stand-in words from\","
               "\"end_of_turn_confidence\":0.7,\"words\":[" WORD ("stand-in", 0.92, true) ","
               WORD ("words", 0.92, true) "," WORD ("from", 0.45, true) "]}");
  g_assert_cmpstr (text_of (row), ==, "stand-in words from");
  g_assert_false (is_dim (row));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (figures)));
  g_assert_cmpstr (gtk_label_get_text (figures), ==, "end of turn 0.70");
  gtk_test_accessible_assert_state (row, GTK_ACCESSIBLE_STATE_BUSY, FALSE);
  ranges = underlined (row);
  g_assert_cmpuint (ranges->len, ==, 2);
  g_assert_cmpint (g_array_index (ranges, int, 0), ==, 15);
  g_assert_cmpint (g_array_index (ranges, int, 1), ==, 19);
  g_clear_pointer (&ranges, g_array_unref);

  stok_turn_set_latency (turn, 480 * 1000);
  g_assert_cmpstr (gtk_label_get_text (figures), ==, "480 ms  ·  end of turn 0.70");
  gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "480 ms from the end of speech to the final turn. "
                                       "End-of-turn confidence 0.70. Low confidence: “from” 0.45.");

  /* The formatted copy replaces the text, and says so; the unsure word
   * is still found, punctuated. */
  apply (turn, "{\"type\":\"Turn\",\"turn_order\":0,\"end_of_turn\":true,\"turn_is_formatted\":true,"
               "\"transcript\":\"Stand-in words from.\",\"end_of_turn_confidence\":0.7,\"words\":["
               WORD ("Stand-in", 0.92, true) "," WORD ("words", 0.92, true) "," WORD ("from.", 0.45, true) "]}");
  g_assert_cmpstr (text_of (row), ==, "Stand-in words from.");
  g_assert_cmpstr (gtk_label_get_text (figures), ==, "480 ms  ·  end of turn 0.70  ·  formatted");
  ranges = underlined (row);
  g_assert_cmpuint (ranges->len, ==, 2);
  g_assert_cmpint (g_array_index (ranges, int, 0), ==, 15);
  g_assert_cmpint (g_array_index (ranges, int, 1), ==, 20);

  /* A turn ended by End Turn says so, beside a confidence that is not
   * the server's own decision. */
  stok_turn_set_forced (turn);
  g_assert_cmpstr (gtk_label_get_text (figures), ==, "480 ms  ·  ended by End Turn  ·  end of turn 0.70  ·  formatted");
  gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "480 ms from the end of speech to the final turn. Ended by End Turn. "
                                       "End-of-turn confidence 0.70. Low confidence: “from.” 0.45.");

  /* A partial the session ended before: still dim, and said never to
   * come. */
  g_clear_object (&turn);
  turn = stok_turn_new (1);
  stok_turn_row_set_turn (row, turn);
  apply (turn, "{\"type\":\"Turn\",\"turn_order\":1,\"end_of_turn\":false,\"transcript\":\"\","
               "\"words\":[" WORD ("stand-in", 0.92, false) "]}");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (figures)));
  stok_turn_set_cut_off (turn);
  g_assert_true (is_dim (row));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (figures)));
  g_assert_cmpstr (gtk_label_get_text (figures), ==, "never final: the session ended first");
  gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Never final: the session ended first.");

  /* No turn: nothing. */
  stok_turn_row_set_turn (row, NULL);
  g_assert_cmpstr (text_of (row), ==, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (figures)));

  /* The row lets go of its turn, and is freed. */
  stok_turn_row_set_turn (row, turn);
  g_assert_finalize_object (row);
}

/* The height of @row at @width, as a list gives it that width. */
static int
height_at (StokTurnRow *row,
           int          width)
{
  int height;

  gtk_widget_measure (GTK_WIDGET (row), GTK_ORIENTATION_VERTICAL, width, &height, NULL, NULL, NULL);

  return height;
}

#define LONG_WORDS \
  WORD ("stand-in", 0.92, true) "," WORD ("words", 0.92, true) "," WORD ("from", 0.92, true) "," \
  WORD ("the", 0.92, true) "," WORD ("fake", 0.92, true) "," WORD ("server", 0.92, true) "," \
  WORD ("stand-in", 0.92, true) "," WORD ("words", 0.92, true) "," WORD ("from", 0.92, true) "," \
  WORD ("the", 0.92, true) "," WORD ("fake", 0.92, true) "," WORD ("server", 0.92, true)

/* A partial too long for its row's width wraps, and the row is as tall
 * as it will be with the same words final, in the label. */
static void
test_wraps (void)
{
  g_autoptr(StokTurn) turn = stok_turn_new (0);
  StokTurnRow *row = g_object_ref_sink (STOK_TURN_ROW (stok_turn_row_new ()));
  int one_line, partial, final;

  stok_turn_row_set_turn (row, turn);
  apply (turn, "{\"type\":\"Turn\",\"turn_order\":0,\"end_of_turn\":false,\"transcript\":\"\","
               "\"words\":[" WORD ("stand-in", 0.92, false) "]}");
  one_line = height_at (row, 200);

  apply (turn, "{\"type\":\"Turn\",\"turn_order\":0,\"end_of_turn\":false,"
               "\"transcript\":\"stand-in words from the fake server stand-in words from the fake server\","
               "\"words\":[" LONG_WORDS "]}");
  g_assert_true (is_dim (row));
  partial = height_at (row, 200);
  g_assert_cmpint (partial, >=, 2 * one_line);

  apply (turn, "{\"type\":\"Turn\",\"turn_order\":0,\"end_of_turn\":true,"
               "\"transcript\":\"stand-in words from the fake server stand-in words from the fake server\","
               "\"words\":[" LONG_WORDS "]}");
  g_assert_false (is_dim (row));
  gtk_widget_set_visible (GTK_WIDGET (row_label (row, "figures_label")), FALSE);
  final = height_at (row, 200);
  g_assert_cmpint (final, ==, partial);

  stok_turn_row_set_turn (row, NULL);
  g_assert_finalize_object (row);
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

  g_test_add_func ("/turn-row/states", test_states);
  g_test_add_func ("/turn-row/wraps", test_wraps);
  g_test_add ("/turn-row/live", Fixture, NULL, fixture_set_up, test_live, fixture_tear_down);

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
