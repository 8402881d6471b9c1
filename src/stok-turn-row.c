/* stok-turn-row.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One turn of a session's transcript, as a row of a GtkListView.
 *
 * The row follows its StokTurn through the turn's own notifications: a
 * partial is dim and its text is replaced in place as the turn grows, in
 * a StokTurnText, which lays the window out again only for a line more;
 * the final turn is a plain, selectable label, with its latency and
 * end-of-turn confidence under it. The session changes a turn in place and
 * never emits items-changed for it, so a partial redraws its own row and
 * no other row is bound again.
 *
 * Words the server was not sure of (STOK_LOW_CONFIDENCE or less) are in
 * the theme's warning colour, with a dotted underline of it; hovering any
 * word shows its confidence and where it was in the audio.
 *
 * A screen reader reads the row by its text. A partial is marked busy, so
 * that the text changing under it is not read out as it grows: the
 * session view announces each final turn once, itself. */

#define G_LOG_DOMAIN "stok-turn-row"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "stok-described.h"
#include "stok-token.h"
#include "stok-turn-row.h"
#include "stok-turn-text.h"

/* How far past the previous word a word is looked for in the text: a
 * formatted transcript adds punctuation and spaces, nothing longer. */
#define WORD_SLACK 16

typedef struct
{
  /* Bytes of the text shown. */
  int start;
  int end;
  guint word;
} Span;

struct _StokTurnRow
{
  GtkWidget  parent_instance;

  StokTurn  *turn;
  char      *text;
  /* Where each word of the turn is in the text shown. */
  GArray    *spans;
  GdkRGBA    warning;

  /* Template widgets */
  StokTurnText *partial_text;
  GtkLabel     *text_label;
  GtkLabel     *figures_label;
};

static void stok_turn_row_described_init (StokDescribedInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (StokTurnRow, stok_turn_row, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (STOK_TYPE_DESCRIBED, stok_turn_row_described_init))

enum {
  PROP_0,
  PROP_TURN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The theme's warning colour, which changes with the dark style. */
static GdkRGBA
lookup_warning (StokTurnRow *self)
{
  GdkRGBA colour;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  if (!gtk_style_context_lookup_color (context, "warning_color", &colour))
    gtk_style_context_get_color (context, &colour);
  G_GNUC_END_IGNORE_DEPRECATIONS

  return colour;
}

static gboolean
is_low_confidence (const StokWord *word)
{
  return word->confidence >= 0 && word->confidence <= STOK_LOW_CONFIDENCE;
}

/* What the row shows: the turn's text and, while it is partial, the words
 * not final yet, which its transcript does not hold. */
static char *
dup_shown_text (StokTurn *turn)
{
  g_autofree char *text = stok_turn_dup_text (turn);
  guint n_words = stok_turn_get_n_words (turn);
  guint first_open = n_words;
  GString *shown;

  if (stok_turn_get_end_of_turn (turn) || *stok_turn_get_transcript (turn) == '\0')
    return g_steal_pointer (&text);

  while (first_open > 0 && !stok_turn_get_word (turn, first_open - 1)->final)
    first_open--;
  if (first_open == n_words)
    return g_steal_pointer (&text);

  shown = g_string_new (text);
  for (guint i = first_open; i < n_words; i++)
    {
      if (shown->len > 0)
        g_string_append_c (shown, ' ');
      g_string_append (shown, stok_turn_get_word (turn, i)->text);
    }

  return g_string_free (shown, FALSE);
}

/* Finds each word in @text, in order. Case is ignored, since a formatted
 * transcript capitalizes; a word that is not found keeps no span. */
static void
find_words (StokTurnRow *self)
{
  guint n_words = stok_turn_get_n_words (self->turn);
  gsize length = strlen (self->text);
  gsize at = 0;

  g_array_set_size (self->spans, 0);

  for (guint i = 0; i < n_words; i++)
    {
      const char *word = stok_turn_get_word (self->turn, i)->text;
      gsize word_length = strlen (word);
      gsize last = MIN (length, at + WORD_SLACK + word_length);

      if (word_length == 0)
        continue;

      for (gsize p = at; p + word_length <= last; p++)
        if (g_ascii_strncasecmp (self->text + p, word, word_length) == 0)
          {
            Span span = { (int) p, (int) (p + word_length), i };

            g_array_append_val (self->spans, span);
            at = p + word_length;
            break;
          }
    }
}

static PangoAttrList *
build_attributes (StokTurnRow *self)
{
  PangoAttrList *attributes = pango_attr_list_new ();

  for (guint i = 0; i < self->spans->len; i++)
    {
      const Span *span = &g_array_index (self->spans, Span, i);
      guint16 red = (guint16) (self->warning.red * 65535);
      guint16 green = (guint16) (self->warning.green * 65535);
      guint16 blue = (guint16) (self->warning.blue * 65535);
      PangoAttribute *marks[4];

      if (!is_low_confidence (stok_turn_get_word (self->turn, span->word)))
        continue;

      /* The dotted line alone is faint at the text's size: the word
       * takes the colour too, whole even in a partial, whose text is
       * drawn dim. */
      marks[0] = pango_attr_underline_new (PANGO_UNDERLINE_ERROR);
      marks[1] = pango_attr_underline_color_new (red, green, blue);
      marks[2] = pango_attr_foreground_new (red, green, blue);
      marks[3] = pango_attr_foreground_alpha_new (G_MAXUINT16);
      for (guint j = 0; j < G_N_ELEMENTS (marks); j++)
        {
          marks[j]->start_index = span->start;
          marks[j]->end_index = span->end;
          pango_attr_list_insert (attributes, marks[j]);
        }
    }

  return attributes;
}

static gboolean
is_final (StokTurnRow *self)
{
  return self->turn != NULL && stok_turn_get_end_of_turn (self->turn);
}

/* The final turn in the label, a partial in the StokTurnText: only one of
 * them is shown, and only it follows the turn. */
static void
show_text (StokTurnRow *self)
{
  g_autoptr(PangoAttrList) attributes = build_attributes (self);
  gboolean final = is_final (self);

  if (final)
    {
      gtk_label_set_attributes (self->text_label, attributes);
      if (g_strcmp0 (gtk_label_get_text (self->text_label), self->text) != 0)
        gtk_label_set_text (self->text_label, self->text);
    }
  else
    {
      stok_turn_text_set_text (self->partial_text, self->text, attributes);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->text_label), final);
  gtk_widget_set_visible (GTK_WIDGET (self->partial_text), !final);
}

/* What a screen reader says of the final turn besides its text. */
static char *
dup_description (StokTurnRow *self)
{
  g_autoptr(GString) description = g_string_new (NULL);
  gint64 latency_us = stok_turn_get_latency (self->turn);
  double confidence = stok_turn_get_confidence (self->turn);
  g_autoptr(GString) low = g_string_new (NULL);
  guint n_words = stok_turn_get_n_words (self->turn);

  if (latency_us >= 0)
    /* Translators: the latency of a final turn, for a screen reader */
    g_string_append_printf (description, _("%d ms from the end of speech to the final turn."),
                            stok_round_ms (latency_us));

  if (stok_turn_get_forced (self->turn))
    {
      if (description->len > 0)
        g_string_append_c (description, ' ');
      /* Translators: for a screen reader */
      g_string_append (description, _("Ended by End Turn."));
    }
  else if (stok_turn_get_terminated (self->turn))
    {
      if (description->len > 0)
        g_string_append_c (description, ' ');
      /* Translators: for a screen reader; Terminate is the message that
       * ends a session, sent by Stop or at the end of the audio */
      g_string_append (description, _("Ended by Terminate."));
    }

  if (confidence >= 0)
    {
      if (description->len > 0)
        g_string_append_c (description, ' ');
      /* Translators: for a screen reader; %.2f is from 0 to 1 */
      g_string_append_printf (description, _("End-of-turn confidence %.2f."), confidence);
    }

  for (guint i = 0; i < n_words; i++)
    {
      const StokWord *word = stok_turn_get_word (self->turn, i);

      if (!is_low_confidence (word))
        continue;

      if (low->len > 0)
        g_string_append (low, ", ");
      /* Translators: a word the server was unsure of, and its confidence
       * from 0 to 1 */
      g_string_append_printf (low, _("“%s” %.2f"), word->text, word->confidence);
    }

  if (low->len > 0)
    {
      if (description->len > 0)
        g_string_append_c (description, ' ');
      /* Translators: for a screen reader; %s lists words and their
       * confidence */
      g_string_append_printf (description, _("Low confidence: %s."), low->str);
    }

  return g_string_free (g_steal_pointer (&description), FALSE);
}

/* What a screen reader says of the turn besides its text: of a final
 * turn, its figures; of one cut off, that it never became final. */
static char *
stok_turn_row_dup_description (StokDescribed *described)
{
  StokTurnRow *self = STOK_TURN_ROW (described);

  if (!is_final (self) && self->turn != NULL && stok_turn_get_cut_off (self->turn))
    return g_strdup (_("Never final: the session ended first."));
  if (!is_final (self))
    return NULL;

  return dup_description (self);
}

static void
stok_turn_row_described_init (StokDescribedInterface *iface)
{
  iface->dup_description = stok_turn_row_dup_description;
}

static void
update_description (StokTurnRow *self)
{
  g_autofree char *description = stok_turn_row_dup_description (STOK_DESCRIBED (self));

  if (description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
update_figures (StokTurnRow *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *figures = NULL;
  gboolean final = is_final (self);

  gtk_widget_set_visible (GTK_WIDGET (self->figures_label), final);
  if (!final && self->turn != NULL && stok_turn_get_cut_off (self->turn))
    {
      /* Said under it: dim for ever, it would read as still coming. */
      gtk_label_set_text (self->figures_label, _("never final: the session ended first"));
      gtk_widget_set_visible (GTK_WIDGET (self->figures_label), TRUE);
      update_description (self);
      return;
    }
  if (!final)
    {
      update_description (self);
      return;
    }

  if (stok_turn_get_latency (self->turn) >= 0)
    /* Translators: a turn's latency, in milliseconds */
    g_ptr_array_add (parts, g_strdup_printf (_("%d ms"), stok_round_ms (stok_turn_get_latency (self->turn))));
  if (stok_turn_get_forced (self->turn))
    /* Translators: the turn ended because the user pressed End turn,
     * which sends ForceEndpoint */
    g_ptr_array_add (parts, g_strdup (_("ended by End Turn")));
  else if (stok_turn_get_terminated (self->turn))
    /* Translators: the turn ended because the app sent Terminate, the
     * message that ends a session, on Stop or at the end of the audio */
    g_ptr_array_add (parts, g_strdup (_("ended by Terminate")));
  if (stok_turn_get_confidence (self->turn) >= 0)
    /* Translators: a turn's end-of-turn confidence, from 0 to 1 */
    g_ptr_array_add (parts, g_strdup_printf (_("end of turn %.2f"), stok_turn_get_confidence (self->turn)));
  if (stok_turn_get_formatted (self->turn))
    /* Translators: the turn's text is the server's formatted copy */
    g_ptr_array_add (parts, g_strdup (_("formatted")));
  g_ptr_array_add (parts, NULL);

  figures = g_strjoinv ("  ·  ", (char **) parts->pdata);
  gtk_label_set_text (self->figures_label, figures);
  gtk_widget_set_visible (GTK_WIDGET (self->figures_label), *figures != '\0');
  update_description (self);
}

static void
update_text (StokTurnRow *self)
{
  g_autofree char *text = self->turn != NULL ? dup_shown_text (self->turn) : g_strdup ("");

  /* A partial is dim (its widget's style); its row is busy, so that a
   * screen reader lets its growing text be. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, !is_final (self), -1);

  g_free (self->text);
  self->text = g_steal_pointer (&text);
  if (self->turn != NULL)
    find_words (self);
  else
    g_array_set_size (self->spans, 0);

  show_text (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->text,
                                  -1);
}

static void
turn_notify_cb (StokTurnRow *self,
                GParamSpec  *pspec,
                StokTurn    *turn)
{
  const char *name = g_param_spec_get_name (pspec);

  g_assert (STOK_IS_TURN_ROW (self));
  g_assert (turn == self->turn);

  if (g_str_equal (name, "transcript") || g_str_equal (name, "n-words") ||
      g_str_equal (name, "end-of-turn"))
    update_text (self);

  if (g_str_equal (name, "end-of-turn") || g_str_equal (name, "latency") ||
      g_str_equal (name, "confidence") || g_str_equal (name, "formatted") ||
      g_str_equal (name, "n-words") || g_str_equal (name, "cut-off") ||
      g_str_equal (name, "forced") || g_str_equal (name, "terminated"))
    update_figures (self);
}

/* The word of @self's text at byte @index, or NULL. */
static const StokWord *
word_at_index (StokTurnRow *self,
               int          index)
{
  for (guint i = 0; i < self->spans->len; i++)
    {
      const Span *span = &g_array_index (self->spans, Span, i);

      if (index >= span->start && index < span->end)
        return stok_turn_get_word (self->turn, span->word);
    }

  return NULL;
}

/**
 * stok_turn_row_dup_tooltip_at:
 * @self: a #StokTurnRow
 * @x: a point of the row, in its own coordinates
 * @y: a point of the row, in its own coordinates
 *
 * Returns: (transfer full) (nullable): what hovering the word at @x, @y
 *   shows: the word, where it was in the audio and its confidence
 */
char *
stok_turn_row_dup_tooltip_at (StokTurnRow *self,
                              double       x,
                              double       y)
{
  graphene_point_t point;
  const StokWord *word;
  GtkWidget *text;
  PangoLayout *layout;
  int offset_x = 0, offset_y = 0;
  int index, trailing;

  g_return_val_if_fail (STOK_IS_TURN_ROW (self), NULL);

  text = is_final (self) ? GTK_WIDGET (self->text_label) : GTK_WIDGET (self->partial_text);
  if (self->turn == NULL ||
      !gtk_widget_compute_point (GTK_WIDGET (self), text, &GRAPHENE_POINT_INIT (x, y), &point))
    return NULL;

  if (is_final (self))
    {
      layout = gtk_label_get_layout (self->text_label);
      gtk_label_get_layout_offsets (self->text_label, &offset_x, &offset_y);
    }
  else
    {
      layout = stok_turn_text_get_layout (self->partial_text);
    }
  if (!pango_layout_xy_to_index (layout,
                                 (int) ((point.x - offset_x) * PANGO_SCALE),
                                 (int) ((point.y - offset_y) * PANGO_SCALE),
                                 &index, &trailing))
    return NULL;

  word = word_at_index (self, index);
  if (word == NULL)
    return NULL;

  if (word->confidence < 0)
    /* Translators: a word, and where it was in the audio, in seconds */
    return g_strdup_printf (_("“%s”, %.2f to %.2f s of audio"),
                            word->text, word->start_ms / 1000.0, word->end_ms / 1000.0);

  if (is_low_confidence (word))
    /* Translators: a word, where it was in the audio, in seconds, and the
     * server's confidence in it, from 0 to 1 */
    return g_strdup_printf (_("“%s”, %.2f to %.2f s of audio: low confidence, %.2f"),
                            word->text, word->start_ms / 1000.0, word->end_ms / 1000.0,
                            word->confidence);

  /* Translators: a word, where it was in the audio, in seconds, and the
   * server's confidence in it, from 0 to 1 */
  return g_strdup_printf (_("“%s”, %.2f to %.2f s of audio: confidence %.2f"),
                          word->text, word->start_ms / 1000.0, word->end_ms / 1000.0,
                          word->confidence);
}

static gboolean
text_query_tooltip_cb (StokTurnRow *self,
                       int          x,
                       int          y,
                       gboolean     keyboard_mode,
                       GtkTooltip  *tooltip,
                       GtkWidget   *text_widget)
{
  g_autofree char *text = NULL;
  graphene_point_t point;

  g_assert (STOK_IS_TURN_ROW (self));

  if (keyboard_mode || self->turn == NULL)
    return FALSE;

  if (!gtk_widget_compute_point (text_widget, GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (x, y), &point))
    return FALSE;

  text = stok_turn_row_dup_tooltip_at (self, point.x, point.y);
  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
stok_turn_row_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  StokTurnRow *self = STOK_TURN_ROW (widget);
  GdkRGBA warning;

  GTK_WIDGET_CLASS (stok_turn_row_parent_class)->css_changed (widget, change);

  /* Before a turn, and once disposed, there is nothing to colour. */
  if (self->text_label == NULL || self->text == NULL)
    return;

  /* The dark style has its own warning colour. */
  warning = lookup_warning (self);
  if (!gdk_rgba_equal (&warning, &self->warning))
    {
      self->warning = warning;
      show_text (self);
    }
}

static void
stok_turn_row_dispose (GObject *object)
{
  StokTurnRow *self = STOK_TURN_ROW (object);

  stok_turn_row_set_turn (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_TURN_ROW);

  G_OBJECT_CLASS (stok_turn_row_parent_class)->dispose (object);
}

static void
stok_turn_row_finalize (GObject *object)
{
  StokTurnRow *self = STOK_TURN_ROW (object);

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->spans, g_array_unref);

  G_OBJECT_CLASS (stok_turn_row_parent_class)->finalize (object);
}

static void
stok_turn_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  StokTurnRow *self = STOK_TURN_ROW (object);

  switch (prop_id)
    {
    case PROP_TURN:
      g_value_set_object (value, self->turn);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_turn_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  StokTurnRow *self = STOK_TURN_ROW (object);

  switch (prop_id)
    {
    case PROP_TURN:
      stok_turn_row_set_turn (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_turn_row_class_init (StokTurnRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_turn_row_dispose;
  object_class->finalize = stok_turn_row_finalize;
  object_class->get_property = stok_turn_row_get_property;
  object_class->set_property = stok_turn_row_set_property;

  widget_class->css_changed = stok_turn_row_css_changed;

  /**
   * StokTurnRow:turn:
   *
   * The turn shown, followed as it changes.
   */
  properties[PROP_TURN] =
    g_param_spec_object ("turn", NULL, NULL,
                         STOK_TYPE_TURN,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-turn-row.ui");
  gtk_widget_class_bind_template_child (widget_class, StokTurnRow, partial_text);
  gtk_widget_class_bind_template_child (widget_class, StokTurnRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, StokTurnRow, figures_label);
  gtk_widget_class_bind_template_callback (widget_class, text_query_tooltip_cb);

  gtk_widget_class_set_css_name (widget_class, "turnrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  g_type_ensure (STOK_TYPE_TURN_TEXT);
}

static void
stok_turn_row_init (StokTurnRow *self)
{
  self->spans = g_array_new (FALSE, FALSE, sizeof (Span));

  gtk_widget_init_template (GTK_WIDGET (self));
  self->warning = lookup_warning (self);
  /* It only ever shows a partial, whose growing text a screen reader
   * lets be, as it does the busy row's. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->partial_text), GTK_ACCESSIBLE_STATE_BUSY, TRUE, -1);
}

GtkWidget *
stok_turn_row_new (void)
{
  return g_object_new (STOK_TYPE_TURN_ROW, NULL);
}

StokTurn *
stok_turn_row_get_turn (StokTurnRow *self)
{
  g_return_val_if_fail (STOK_IS_TURN_ROW (self), NULL);

  return self->turn;
}

/**
 * stok_turn_row_set_turn:
 * @self: a #StokTurnRow
 * @turn: (nullable): the turn to show
 *
 * Shows @turn and follows it as it changes, until another is set.
 */
void
stok_turn_row_set_turn (StokTurnRow *self,
                        StokTurn    *turn)
{
  g_return_if_fail (STOK_IS_TURN_ROW (self));
  g_return_if_fail (!turn || STOK_IS_TURN (turn));

  if (self->turn == turn)
    return;

  if (self->turn != NULL)
    g_signal_handlers_disconnect_by_func (self->turn, turn_notify_cb, self);
  g_set_object (&self->turn, turn);
  if (turn != NULL)
    g_signal_connect_object (turn, "notify", G_CALLBACK (turn_notify_cb), self, G_CONNECT_SWAPPED);

  /* Once disposed, the template's children are gone. */
  if (self->text_label != NULL)
    {
      update_text (self);
      update_figures (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TURN]);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  g_assert (GTK_IS_LIST_ITEM (item));

  /* The row's text is selectable; the row itself does nothing on a
   * click. */
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, stok_turn_row_new ());
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  g_assert (GTK_IS_LIST_ITEM (item));

  stok_turn_row_set_turn (STOK_TURN_ROW (gtk_list_item_get_child (item)),
                          gtk_list_item_get_item (item));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  g_assert (GTK_IS_LIST_ITEM (item));

  stok_turn_row_set_turn (STOK_TURN_ROW (gtk_list_item_get_child (item)), NULL);
}

/**
 * stok_turn_row_new_factory:
 *
 * Returns: (transfer full): a factory of #StokTurnRow for a #GtkListView
 *   of #StokTurn, such as stok_session_get_turns()
 */
GtkListItemFactory *
stok_turn_row_new_factory (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), NULL);

  return factory;
}
