/* stok-turn.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One turn of a streaming session: the partials that grow it, the final
 * that ends it, and the formatted copy that may follow, all applied to the
 * same object so that a view bound to it changes in place. Each word keeps
 * its span in the audio, and the turn the time each message came, for the
 * timeline. */

#define G_LOG_DOMAIN "stok-turn"

#include "config.h"

#include <string.h>

#include "stok-json.h"
#include "stok-turn.h"

/* A hostile server must not fill memory through one turn. */
#define MAX_WORDS 10000
#define MAX_TEXT (64 * 1024)

struct _StokTurn
{
  GObject parent_instance;

  gint64 order;
  char *transcript;
  char *speaker;
  char *language;
  GArray *words;
  GArray *partial_arrivals;
  double confidence;
  gint64 first_arrival_us;
  gint64 arrival_us;
  gint64 final_arrival_us;
  gint64 latency_us;
  guint end_of_turn : 1;
  guint formatted : 1;
  guint cut_off : 1;
  guint forced : 1;
  guint terminated : 1;
};

G_DEFINE_FINAL_TYPE (StokTurn, stok_turn, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ORDER,
  PROP_TRANSCRIPT,
  PROP_END_OF_TURN,
  PROP_FORMATTED,
  PROP_CONFIDENCE,
  PROP_ARRIVAL,
  PROP_LATENCY,
  PROP_N_WORDS,
  PROP_CUT_OFF,
  PROP_FORCED,
  PROP_TERMINATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
word_clear (gpointer data)
{
  StokWord *word = data;

  g_clear_pointer (&word->text, g_free);
}

static void
stok_turn_finalize (GObject *object)
{
  StokTurn *self = (StokTurn *)object;

  g_clear_pointer (&self->transcript, g_free);
  g_clear_pointer (&self->speaker, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->words, g_array_unref);
  g_clear_pointer (&self->partial_arrivals, g_array_unref);

  G_OBJECT_CLASS (stok_turn_parent_class)->finalize (object);
}

static void
stok_turn_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  StokTurn *self = STOK_TURN (object);

  switch (prop_id)
    {
    case PROP_ORDER:
      g_value_set_int64 (value, self->order);
      break;

    case PROP_TRANSCRIPT:
      g_value_set_string (value, self->transcript);
      break;

    case PROP_END_OF_TURN:
      g_value_set_boolean (value, self->end_of_turn);
      break;

    case PROP_FORMATTED:
      g_value_set_boolean (value, self->formatted);
      break;

    case PROP_CONFIDENCE:
      g_value_set_double (value, self->confidence);
      break;

    case PROP_ARRIVAL:
      g_value_set_int64 (value, self->arrival_us);
      break;

    case PROP_LATENCY:
      g_value_set_int64 (value, self->latency_us);
      break;

    case PROP_N_WORDS:
      g_value_set_uint (value, self->words->len);
      break;

    case PROP_CUT_OFF:
      g_value_set_boolean (value, self->cut_off);
      break;

    case PROP_FORCED:
      g_value_set_boolean (value, self->forced);
      break;

    case PROP_TERMINATED:
      g_value_set_boolean (value, self->terminated);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_turn_class_init (StokTurnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stok_turn_finalize;
  object_class->get_property = stok_turn_get_property;

  properties[PROP_ORDER] =
    g_param_spec_int64 ("order", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokTurn:transcript:
   *
   * The turn's text as the server last sent it. A partial can have words
   * and no transcript yet: see stok_turn_dup_text().
   */
  properties[PROP_TRANSCRIPT] =
    g_param_spec_string ("transcript", NULL, NULL,
                         "",
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_END_OF_TURN] =
    g_param_spec_boolean ("end-of-turn", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FORMATTED] =
    g_param_spec_boolean ("formatted", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokTurn:confidence:
   *
   * The end-of-turn confidence the server last gave, or -1.
   */
  properties[PROP_CONFIDENCE] =
    g_param_spec_double ("confidence", NULL, NULL,
                         -1, 1, -1,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokTurn:arrival:
   *
   * Microseconds from the start of the session to the last message of the
   * turn.
   */
  properties[PROP_ARRIVAL] =
    g_param_spec_int64 ("arrival", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokTurn:latency:
   *
   * Microseconds from sending the audio at the end of the turn's last
   * word to the final turn's arrival: what a voice agent waits. -1 until
   * known.
   */
  properties[PROP_LATENCY] =
    g_param_spec_int64 ("latency", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_WORDS] =
    g_param_spec_uint ("n-words", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokTurn:cut-off:
   *
   * Whether the session ended before the turn did: it was never final.
   */
  properties[PROP_CUT_OFF] =
    g_param_spec_boolean ("cut-off", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokTurn:forced:
   *
   * Whether the turn ended because the app sent ForceEndpoint.
   */
  properties[PROP_FORCED] =
    g_param_spec_boolean ("forced", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokTurn:terminated:
   *
   * Whether the turn ended because the app sent Terminate, by Stop or at
   * the end of the audio.
   */
  properties[PROP_TERMINATED] =
    g_param_spec_boolean ("terminated", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stok_turn_init (StokTurn *self)
{
  self->transcript = g_strdup ("");
  self->words = g_array_new (FALSE, TRUE, sizeof (StokWord));
  g_array_set_clear_func (self->words, word_clear);
  self->partial_arrivals = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->confidence = -1;
  self->first_arrival_us = -1;
  self->arrival_us = -1;
  self->final_arrival_us = -1;
  self->latency_us = -1;
}

StokTurn *
stok_turn_new (gint64 turn_order)
{
  StokTurn *self = g_object_new (STOK_TYPE_TURN, NULL);

  self->order = turn_order;

  return self;
}

static char *
dup_text (const char *text)
{
  if (text == NULL)
    return NULL;

  return stok_dup_printable (text, MIN (strlen (text), MAX_TEXT));
}

/* Milliseconds of audio as sent, if they make sense as such. */
static gboolean
get_ms (JsonObject *object,
        const char *name,
        gint64     *out_ms)
{
  double value;

  if (!stok_json_get_number (object, name, &value) || value < 0 || value > (double) G_MAXINT32 * 1000)
    return FALSE;

  *out_ms = (gint64) value;
  return TRUE;
}

static void
read_words (StokTurn  *self,
            JsonArray *array)
{
  g_array_set_size (self->words, 0);

  for (guint i = 0; i < json_array_get_length (array) && self->words->len < MAX_WORDS; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      StokWord word = { NULL, -1, -1, -1, FALSE };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      object = json_node_get_object (node);
      word.text = dup_text (stok_json_get_string (object, "text"));
      if (word.text == NULL)
        continue;
      get_ms (object, "start", &word.start_ms);
      get_ms (object, "end", &word.end_ms);
      if (!stok_json_get_number (object, "confidence", &word.confidence) ||
          word.confidence < 0 || word.confidence > 1)
        word.confidence = -1;
      stok_json_get_boolean (object, "word_is_final", &word.final);

      g_array_append_val (self->words, word);
    }
}

/**
 * stok_turn_apply_message:
 * @self: a #StokTurn
 * @message: a `Turn` message of this turn
 * @arrival_us: when it came, in microseconds since the session started
 *
 * Takes what @message says of the turn. A partial after the final (which
 * a server should not send) changes nothing: the final's words stand.
 *
 * Returns: %TRUE if this message made the turn final
 */
gboolean
stok_turn_apply_message (StokTurn   *self,
                         JsonObject *message,
                         gint64      arrival_us)
{
  gboolean end_of_turn = FALSE;
  gboolean formatted = FALSE;
  gboolean became_final;
  JsonNode *words;
  double confidence;
  const char *text;

  g_return_val_if_fail (STOK_IS_TURN (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  stok_json_get_boolean (message, "end_of_turn", &end_of_turn);
  stok_json_get_boolean (message, "turn_is_formatted", &formatted);
  if (self->end_of_turn && !end_of_turn)
    return FALSE;
  became_final = end_of_turn && !self->end_of_turn;

  g_object_freeze_notify (G_OBJECT (self));

  if (self->first_arrival_us < 0)
    self->first_arrival_us = arrival_us;
  self->arrival_us = arrival_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARRIVAL]);

  if (!end_of_turn)
    g_array_append_val (self->partial_arrivals, arrival_us);

  /* A partial's text may still be empty while its words are not: keep
   * it empty, as sent; stok_turn_dup_text() reads the words then. */
  text = stok_json_get_string (message, "transcript");
  if (text != NULL && g_strcmp0 (text, self->transcript) != 0)
    {
      g_free (self->transcript);
      self->transcript = dup_text (text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSCRIPT]);
    }

  words = json_object_get_member (message, "words");
  if (words != NULL && JSON_NODE_HOLDS_ARRAY (words))
    {
      read_words (self, json_node_get_array (words));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WORDS]);
    }

  if (stok_json_get_number (message, "end_of_turn_confidence", &confidence) &&
      confidence >= 0 && confidence <= 1 && confidence != self->confidence)
    {
      self->confidence = confidence;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIDENCE]);
    }

  if (became_final)
    {
      self->end_of_turn = TRUE;
      self->final_arrival_us = arrival_us;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_OF_TURN]);
    }

  if (formatted && !self->formatted)
    {
      self->formatted = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORMATTED]);
    }

  if ((text = stok_json_get_string (message, "speaker_label")) != NULL)
    {
      g_free (self->speaker);
      self->speaker = dup_text (text);
    }
  if ((text = stok_json_get_string (message, "language_code")) != NULL)
    {
      g_free (self->language);
      self->language = dup_text (text);
    }

  g_object_thaw_notify (G_OBJECT (self));

  return became_final;
}

gint64
stok_turn_get_order (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), 0);

  return self->order;
}

const char *
stok_turn_get_transcript (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), NULL);

  return self->transcript;
}

/**
 * stok_turn_dup_text:
 * @self: a #StokTurn
 *
 * Returns: (transfer full): the transcript, or while a partial has none
 *   yet, its words joined
 */
char *
stok_turn_dup_text (StokTurn *self)
{
  GString *text;

  g_return_val_if_fail (STOK_IS_TURN (self), NULL);

  if (*self->transcript != '\0' || self->words->len == 0)
    return g_strdup (self->transcript);

  text = g_string_new (NULL);
  for (guint i = 0; i < self->words->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, g_array_index (self->words, StokWord, i).text);
    }

  return g_string_free (text, FALSE);
}

gboolean
stok_turn_get_end_of_turn (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), FALSE);

  return self->end_of_turn;
}

gboolean
stok_turn_get_formatted (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), FALSE);

  return self->formatted;
}

double
stok_turn_get_confidence (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), -1);

  return self->confidence;
}

const char *
stok_turn_get_speaker (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), NULL);

  return self->speaker;
}

const char *
stok_turn_get_language (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), NULL);

  return self->language;
}

guint
stok_turn_get_n_words (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), 0);

  return self->words->len;
}

/**
 * stok_turn_get_word:
 * @self: a #StokTurn
 * @position: a word's index
 *
 * Returns: (transfer none): the word; valid until the turn next changes
 */
const StokWord *
stok_turn_get_word (StokTurn *self,
                    guint     position)
{
  g_return_val_if_fail (STOK_IS_TURN (self), NULL);
  g_return_val_if_fail (position < self->words->len, NULL);

  return &g_array_index (self->words, StokWord, position);
}

/**
 * stok_turn_get_n_low_confidence:
 * @self: a #StokTurn
 *
 * Returns: how many words have a confidence of %STOK_LOW_CONFIDENCE or less
 */
guint
stok_turn_get_n_low_confidence (StokTurn *self)
{
  guint n = 0;

  g_return_val_if_fail (STOK_IS_TURN (self), 0);

  for (guint i = 0; i < self->words->len; i++)
    {
      double confidence = g_array_index (self->words, StokWord, i).confidence;

      if (confidence >= 0 && confidence <= STOK_LOW_CONFIDENCE)
        n++;
    }

  return n;
}

gint64
stok_turn_get_first_arrival (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), -1);

  return self->first_arrival_us;
}

gint64
stok_turn_get_arrival (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), -1);

  return self->arrival_us;
}

/**
 * stok_turn_get_final_arrival:
 * @self: a #StokTurn
 *
 * Returns: microseconds from the start of the session to the final
 *   message of the turn, or -1 while it is partial
 */
gint64
stok_turn_get_final_arrival (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), -1);

  return self->final_arrival_us;
}

guint
stok_turn_get_n_partials (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), 0);

  return self->partial_arrivals->len;
}

/**
 * stok_turn_get_partial_arrivals:
 * @self: a #StokTurn
 * @n_arrivals: (out): how many
 *
 * Returns: (transfer none) (array length=n_arrivals): when each partial
 *   came, in microseconds since the session started
 */
const gint64 *
stok_turn_get_partial_arrivals (StokTurn *self,
                                guint    *n_arrivals)
{
  g_return_val_if_fail (STOK_IS_TURN (self), NULL);
  g_return_val_if_fail (n_arrivals != NULL, NULL);

  *n_arrivals = self->partial_arrivals->len;
  return (const gint64 *) (gpointer) self->partial_arrivals->data;
}

gint64
stok_turn_get_latency (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), -1);

  return self->latency_us;
}

void
stok_turn_set_latency (StokTurn *self,
                       gint64    latency_us)
{
  g_return_if_fail (STOK_IS_TURN (self));

  if (self->latency_us == latency_us)
    return;

  self->latency_us = latency_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY]);
}

gboolean
stok_turn_get_cut_off (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), FALSE);

  return self->cut_off;
}

/**
 * stok_turn_set_cut_off:
 * @self: a #StokTurn, not final
 *
 * Records that the session ended before the turn did.
 */
void
stok_turn_set_cut_off (StokTurn *self)
{
  g_return_if_fail (STOK_IS_TURN (self));

  if (self->cut_off || self->end_of_turn)
    return;

  self->cut_off = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUT_OFF]);
}

gboolean
stok_turn_get_forced (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), FALSE);

  return self->forced;
}

/**
 * stok_turn_set_forced:
 * @self: a final #StokTurn
 *
 * Records that the turn ended in answer to ForceEndpoint, so that its
 * end-of-turn confidence is not read as the server's own decision.
 */
void
stok_turn_set_forced (StokTurn *self)
{
  g_return_if_fail (STOK_IS_TURN (self));

  if (self->forced || !self->end_of_turn)
    return;

  self->forced = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORCED]);
}

gboolean
stok_turn_get_terminated (StokTurn *self)
{
  g_return_val_if_fail (STOK_IS_TURN (self), FALSE);

  return self->terminated;
}

/**
 * stok_turn_set_terminated:
 * @self: a final #StokTurn
 *
 * Records that the turn ended in answer to Terminate, so that neither its
 * end-of-turn confidence nor its latency is read as the server's own
 * turn detection.
 */
void
stok_turn_set_terminated (StokTurn *self)
{
  g_return_if_fail (STOK_IS_TURN (self));

  if (self->terminated || !self->end_of_turn)
    return;

  self->terminated = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TERMINATED]);
}

/**
 * stok_turn_get_speech_end_ms:
 * @self: a #StokTurn
 *
 * Returns: where the last word ends in the audio, in milliseconds, or -1
 */
gint64
stok_turn_get_speech_end_ms (StokTurn *self)
{
  gint64 end_ms = -1;

  g_return_val_if_fail (STOK_IS_TURN (self), -1);

  for (guint i = 0; i < self->words->len; i++)
    end_ms = MAX (end_ms, g_array_index (self->words, StokWord, i).end_ms);

  return end_ms;
}
