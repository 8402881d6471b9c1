/* stok-stream-params-table.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What is known of each parameter of a streaming connection, from
 * spec/PROTOCOL.md, as one table, and the rules a value must follow to be
 * sent: its type, its range, its choices. A name the table does not know
 * is passed through as given, and so is any speech model. */

#define G_LOG_DOMAIN "stok-stream-params"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stok-error.h"
#include "stok-json.h"
#include "stok-stream-params-private.h"

/* Known values; the newest docs name others, which pass through too. */
static const char * const speech_models[] = {
  "universal-streaming-english",
  "universal-streaming-multilingual",
  "u3-rt-pro",
  "universal-3-5-pro",
  "universal-3-6-pro",
  "whisper-rt",
  NULL
};

/* Only what the app can produce: PCM, mono. The self-describing formats
 * of the SDKs (opus, ogg_opus, aac) would need an encoder. */
static const char * const encodings[] = {
  "pcm_s16le",
  "pcm_mulaw",
  NULL
};

static const StokParamInfo known[] = {
  { "speech_model", STOK_PARAM_CHOICE, STOK_PARAM_FLAGS_ALWAYS_SENT | STOK_PARAM_FLAGS_OPEN_CHOICE,
    0, 0, STOK_SPEECH_MODEL_DEFAULT, speech_models,
    N_("The model that transcribes; always sent, since one version of the docs says a connection without it fails") },
  { "sample_rate", STOK_PARAM_INTEGER, STOK_PARAM_FLAGS_ALWAYS_SENT,
    STOK_SAMPLE_RATE_MIN, STOK_SAMPLE_RATE_MAX, "16000", NULL,
    N_("Samples a second of the audio sent, in Hz: 16000 for speech, 8000 for telephony") },
  { "encoding", STOK_PARAM_CHOICE, STOK_PARAM_FLAGS_ALWAYS_SENT,
    0, 0, STOK_ENCODING_DEFAULT, encodings,
    N_("How the audio is encoded: 16-bit PCM, or µ-law for telephony") },
  { "format_turns", STOK_PARAM_BOOLEAN, STOK_PARAM_FLAGS_NONE,
    0, 0, "false", NULL,
    N_("Send each final turn again with punctuation and casing") },
  { "end_of_turn_confidence_threshold", STOK_PARAM_NUMBER, STOK_PARAM_FLAGS_UPDATABLE | STOK_PARAM_FLAGS_TURN,
    0, 1, "0.4", NULL,
    N_("How sure the model must be that the speaker finished before it ends the turn") },
  { "min_turn_silence", STOK_PARAM_INTEGER, STOK_PARAM_FLAGS_UPDATABLE | STOK_PARAM_FLAGS_TURN,
    0, 60000, "400", NULL,
    N_("Silence in ms after which a confident turn ends") },
  { "max_turn_silence", STOK_PARAM_INTEGER, STOK_PARAM_FLAGS_UPDATABLE | STOK_PARAM_FLAGS_TURN,
    0, 60000, "1280", NULL,
    N_("Silence in ms after which a turn ends, however unsure the model is") },
  { "keyterms_prompt", STOK_PARAM_TEXT_LIST, STOK_PARAM_FLAGS_NONE,
    0, 0, NULL, NULL,
    N_("Words and names to recognise better, such as product names") },
  { "prompt", STOK_PARAM_TEXT, STOK_PARAM_FLAGS_NONE,
    0, 0, NULL, NULL,
    N_("Free text that guides the model; some models only") },
  { "language_detection", STOK_PARAM_BOOLEAN, STOK_PARAM_FLAGS_NONE,
    0, 0, "false", NULL,
    N_("Detect the language of each turn") },
  { "inactivity_timeout", STOK_PARAM_INTEGER, STOK_PARAM_FLAGS_NONE,
    1, 10800, NULL, NULL,
    N_("Seconds without audio after which the server ends the session") },
  { "vad_threshold", STOK_PARAM_NUMBER, STOK_PARAM_FLAGS_NONE,
    0, 1, NULL, NULL,
    N_("How loud audio must be to count as speech") },
  { "filter_profanity", STOK_PARAM_BOOLEAN, STOK_PARAM_FLAGS_NONE,
    0, 0, "false", NULL,
    N_("Mask profanity in the transcript") },
  { "speaker_labels", STOK_PARAM_BOOLEAN, STOK_PARAM_FLAGS_NONE,
    0, 0, "false", NULL,
    N_("Label each turn with its speaker") },
  { "max_speakers", STOK_PARAM_INTEGER, STOK_PARAM_FLAGS_NONE,
    1, 32, NULL, NULL,
    N_("The most speakers to tell apart, with speaker labels") },
};

/* The longest value accepted: a query string must stay a URL. */
#define MAX_VALUE_LENGTH 4096
#define MAX_LIST_ITEMS 1000


/**
 * stok_stream_params_get_known:
 * @n_known: (out): the number of entries
 *
 * Returns: (transfer none) (array length=n_known): what is known of each
 *   parameter, in the order they are shown and sent
 */
const StokParamInfo *
stok_stream_params_get_known (guint *n_known)
{
  g_return_val_if_fail (n_known != NULL, NULL);

  *n_known = G_N_ELEMENTS (known);
  return known;
}

/**
 * stok_stream_params_lookup:
 * @name: a parameter's name
 *
 * Returns: (transfer none) (nullable): what is known of @name
 */
const StokParamInfo *
stok_stream_params_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_strcmp0 (known[i].name, name) == 0)
      return &known[i];

  return NULL;
}

/**
 * stok_stream_params_get_speech_models:
 *
 * Returns: (transfer none): the speech models known today, the default
 *   first
 */
const char * const *
stok_stream_params_get_speech_models (void)
{
  return speech_models;
}

gboolean
_stok_stream_params_name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 64)
    return FALSE;

  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

static gboolean
text_is_printable (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static char *
format_range (const StokParamInfo *info)
{
  char min[G_ASCII_DTOSTR_BUF_SIZE];
  char max[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (min, sizeof min, info->type == STOK_PARAM_INTEGER ? "%.0f" : "%g", info->min);
  g_ascii_formatd (max, sizeof max, info->type == STOK_PARAM_INTEGER ? "%.0f" : "%g", info->max);

  /* Translators: a range of values, such as "0 to 1" */
  return g_strdup_printf (_("%s to %s"), min, max);
}

static char *
normalize_list (const char  *name,
                const char  *value,
                GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) items = NULL;
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func (g_free);
  const char *start = value;

  while (g_ascii_isspace (*start))
    start++;

  /* As the API takes it, a JSON array of strings, or simply the terms
   * with commas between them. */
  if (*start == '[')
    {
      g_autoptr(JsonNode) parsed = stok_json_parse (start, strlen (start), NULL);
      JsonArray *array;

      if (parsed == NULL || !JSON_NODE_HOLDS_ARRAY (parsed))
        goto invalid;

      array = json_node_get_array (parsed);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            goto invalid;
          g_ptr_array_add (terms, g_strstrip (g_strdup (json_node_get_string (item))));
        }
    }
  else
    {
      items = g_strsplit (value, ",", -1);
      for (guint i = 0; items[i] != NULL; i++)
        g_ptr_array_add (terms, g_strstrip (g_strdup (items[i])));
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < terms->len; i++)
    {
      const char *term = g_ptr_array_index (terms, i);

      if (*term == '\0')
        continue;
      if (!text_is_printable (term))
        goto invalid;
      json_builder_add_string_value (builder, term);
    }
  json_builder_end_array (builder);

  if (terms->len > MAX_LIST_ITEMS)
    goto invalid;

  root = json_builder_get_root (builder);
  return stok_json_to_line (root);

invalid:
  g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
               _("%s takes a list of words, as a JSON array of strings or separated by commas."),
               name);
  return NULL;
}

/* Checks @value against what is known of @name, and returns it as it
 * goes on the wire. */
char *
_stok_stream_params_normalize (const char  *name,
                               const char  *value,
                               GError     **error)
{
  const StokParamInfo *info = stok_stream_params_lookup (name);
  g_autofree char *range = NULL;

  if (strlen (value) > MAX_VALUE_LENGTH)
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("The value of %s is too long."), name);
      return NULL;
    }

  if (info == NULL || info->type == STOK_PARAM_TEXT)
    {
      if (!text_is_printable (value))
        {
          g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                       _("The value of %s holds characters that cannot be sent."), name);
          return NULL;
        }
      return g_strdup (value);
    }

  switch (info->type)
    {
    case STOK_PARAM_INTEGER:
      {
        gint64 number;
        char *end = NULL;

        errno = 0;
        number = g_ascii_strtoll (value, &end, 10);
        if (!g_ascii_isdigit (*value) || errno != 0 || *end != '\0' ||
            number < info->min || number > info->max)
          {
            range = format_range (info);
            /* Translators: a parameter's name, its range, the value given */
            g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                         _("%s must be a whole number from %s, not “%s”."), name, range, value);
            return NULL;
          }
        return g_strdup_printf ("%" G_GINT64_FORMAT, number);
      }

    case STOK_PARAM_NUMBER:
      {
        char text[G_ASCII_DTOSTR_BUF_SIZE];
        double number;
        char *end = NULL;

        /* Decimal only, as a person writes it: strtod also reads hex
         * ("0x1p-1") and a leading "+", which a server may not. */
        errno = 0;
        number = g_ascii_strtod (value, &end);
        if (!(g_ascii_isdigit (*value) || *value == '.' || *value == '-') ||
            strpbrk (value, "xX") != NULL || errno != 0 || *end != '\0' ||
            !isfinite (number) || number < info->min || number > info->max)
          {
            range = format_range (info);
            /* Translators: a parameter's name, its range, the value given */
            g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                         _("%s must be a number from %s, not “%s”."), name, range, value);
            return NULL;
          }
        /* Sent as the number it is: ".50" and "5e-1" go as "0.5", the
         * same text as in UpdateConfiguration, and "-0" as "0". */
        if (number == 0)
          number = 0;
        return g_strdup (g_ascii_formatd (text, sizeof text, "%.15g", number));
      }

    case STOK_PARAM_BOOLEAN:
      if (g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1") ||
          g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "on") == 0)
        return g_strdup ("true");
      if (g_ascii_strcasecmp (value, "false") == 0 || g_str_equal (value, "0") ||
          g_ascii_strcasecmp (value, "no") == 0 || g_ascii_strcasecmp (value, "off") == 0)
        return g_strdup ("false");
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("%s is true or false, not “%s”."), name, value);
      return NULL;

    case STOK_PARAM_CHOICE:
      if (g_strv_contains (info->choices, value))
        return g_strdup (value);
      if ((info->flags & STOK_PARAM_FLAGS_OPEN_CHOICE) != 0 && *value != '\0')
        {
          for (const char *p = value; *p; p++)
            if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
              goto bad_choice;
          return g_strdup (value);
        }
    bad_choice:
      {
        g_autofree char *choices = g_strjoinv (", ", (char **) info->choices);

        /* An open choice takes any name: the known ones are suggestions,
         * and saying "use one of" them would be untrue. */
        if ((info->flags & STOK_PARAM_FLAGS_OPEN_CHOICE) != 0)
          /* Translators: a parameter's name, the value given, then the
           * values known today, such as universal-streaming-english */
          g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                       _("%s cannot be “%s”: it takes a name without spaces, of letters, digits, “-”, “_” and “.”, such as %s."),
                       name, value, choices);
        else
          /* Translators: a parameter's name, the value given, the values it takes */
          g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                       _("%s cannot be “%s”: use one of %s."), name, value, choices);
        return NULL;
      }

    case STOK_PARAM_TEXT_LIST:
      return normalize_list (name, value, error);

    case STOK_PARAM_TEXT:
    default:
      g_return_val_if_reached (NULL);
    }
}
